//! The interface device's side of the T=0 character protocol, ISO/IEC
//! 7816-3:2006 §10.3 (digest §2.4): the five-byte header CLA INS P1 P2 P3,
//! then the card's procedure bytes until SW1 SW2.
//!
//! | Card sends | Meaning | This side does |
//! |---|---|---|
//! | 60 (NULL) | more time needed | waits again, the work waiting time restarted |
//! | INS (ACK) | move all remaining data | sends the rest of the data, or receives the rest of Ne |
//! | INS ⊕ FF (~ACK) | move one byte | sends or receives one data byte |
//! | 6X (≠ 60), 9X | SW1 | receives SW2 and returns |
//! | anything else | broken protocol | [`SerialError::ProcedureByte`] |
//!
//! The exchange runs on a [`Line`] that moves logical bytes (the convention,
//! the echo and the timing of the port are the line's business), so it is
//! tested here against a script and runs unchanged on a real port.

use super::SerialError;
use core::time::Duration;
use std::time::Instant;

/// NULL procedure byte (ISO/IEC 7816-3 §10.3.3).
pub const NULL: u8 = 0x60;

/// A half-duplex byte line to a card, in logical bytes.
pub(crate) trait Line {
    /// Sends `bytes` to the card; `offset` is where they start in the
    /// message (the TPDU or the PPS request), for errors.
    fn send(&mut self, bytes: &[u8], offset: usize) -> Result<(), SerialError>;
    /// The next byte from the card within `wait`, `None` when none came.
    fn receive(&mut self, wait: Duration) -> Result<Option<u8>, SerialError>;
}

/// The waiting times of one exchange.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Timing {
    /// The work waiting time WT (§10.2) plus the host's margin: the longest
    /// wait for each byte from the card.
    pub wait: Duration,
    /// The longest the whole exchange may take (a bound of the host's, beyond
    /// ISO/IEC 7816-3 §10.2's per-character WT).
    pub max_total: Duration,
}

/// Whether `byte` is SW1 in the place of a procedure byte: 6X except 60, or
/// 9X (§10.3.3).
const fn is_sw1(byte: u8) -> bool {
    matches!(byte & 0xF0, 0x60 | 0x90) && byte != NULL
}

/// Splits a TPDU into its header and data, checking what T=0 can carry
/// (§10.3.2): a 4-byte case-1 command gets P3 = 00.
fn split_tpdu(tpdu: &[u8]) -> Result<([u8; 5], &[u8]), SerialError> {
    let (header, data) = match tpdu.split_first_chunk::<5>() {
        Some((header, data)) => (*header, data),
        None => match *tpdu {
            [cla, ins, p1, p2] => ([cla, ins, p1, p2, 0], &[][..]),
            _ => {
                return Err(SerialError::BadCommand {
                    offset: tpdu.len(),
                    reason: "shorter than the 4-byte header",
                });
            }
        },
    };
    let [cla, ins, _, _, p3] = header;
    if cla == 0xFF {
        return Err(SerialError::BadCommand { offset: 0, reason: "CLA FF is PPSS, reserved for PPS" });
    }
    if matches!(ins & 0xF0, 0x60 | 0x90) {
        return Err(SerialError::BadCommand { offset: 1, reason: "INS 6X and 9X cannot travel in T=0" });
    }
    if !data.is_empty() && data.len() != usize::from(p3) {
        return Err(SerialError::BadCommand {
            offset: 4,
            reason: "P3 differs from the data length (a case-4 APDU travels as case 3 on T=0)",
        });
    }
    Ok((header, data))
}

/// Runs one T=0 exchange: sends `tpdu` (a header with P3, then its data if
/// any) and writes the card's data and SW1 SW2 at the start of `response`,
/// returning their length. With no data in the TPDU the card may send up to
/// P3 bytes (256 for P3 = 00, as TS 51.011 §9.1 reads it).
///
/// The whole answer is read even when it does not fit `response`, so the
/// line stays in step; the error comes afterwards.
pub(crate) fn exchange<L: Line + ?Sized>(
    line: &mut L,
    tpdu: &[u8],
    response: &mut [u8],
    timing: Timing,
) -> Result<usize, SerialError> {
    let (header, data) = split_tpdu(tpdu)?;
    let [_, ins, _, _, p3] = header;
    let mut to_send = data;
    let mut to_receive = match (data.is_empty(), p3) {
        (false, _) => 0,
        (true, 0) => 256,
        (true, p3) => usize::from(p3),
    };
    let mut filled = 0usize;
    let mut offset = 0usize;
    let start = Instant::now();
    let mut next = |line: &mut L| -> Result<u8, SerialError> {
        let wait = timing.wait.min(timing.max_total.saturating_sub(start.elapsed()));
        match line.receive(wait)? {
            Some(byte) => {
                offset += 1;
                Ok(byte)
            }
            None => Err(SerialError::Timeout {
                offset,
                waited_ms: u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
            }),
        }
    };
    line.send(&header, 0)?;
    loop {
        let procedure = next(line)?;
        if procedure == NULL {
            continue;
        }
        if is_sw1(procedure) {
            let sw2 = next(line)?;
            let needed = filled + 2;
            let capacity = response.len();
            let slot =
                response.get_mut(filled..needed).ok_or(SerialError::BufferTooSmall { needed, capacity })?;
            slot.copy_from_slice(&[procedure, sw2]);
            return Ok(needed);
        }
        let one = if procedure == ins {
            false
        } else if procedure == !ins {
            true
        } else {
            return Err(SerialError::ProcedureByte { byte: procedure, offset: offset - 1 });
        };
        if !to_send.is_empty() {
            let count = if one { 1 } else { to_send.len() };
            let (now, rest) = to_send.split_at(count);
            line.send(now, header.len() + data.len() - to_send.len())?;
            to_send = rest;
        } else if to_receive > 0 {
            let count = if one { 1 } else { to_receive };
            for _ in 0..count {
                let byte = next(line)?;
                if let Some(slot) = response.get_mut(filled) {
                    *slot = byte;
                }
                filled += 1;
            }
            to_receive -= count;
        } else {
            return Err(SerialError::ProcedureByte { byte: procedure, offset: offset - 1 });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::VecDeque;
    use std::vec::Vec;

    /// A card that answers from a script of bytes and records what it got.
    struct Script {
        card: VecDeque<u8>,
        sent: Vec<u8>,
    }

    impl Line for Script {
        fn send(&mut self, bytes: &[u8], offset: usize) -> Result<(), SerialError> {
            // Each piece starts where the bytes sent so far end.
            assert_eq!(offset, self.sent.len());
            self.sent.extend_from_slice(bytes);
            Ok(())
        }
        fn receive(&mut self, _wait: Duration) -> Result<Option<u8>, SerialError> {
            Ok(self.card.pop_front())
        }
    }

    const TIMING: Timing = Timing { wait: Duration::from_millis(10), max_total: Duration::from_secs(5) };

    fn run(tpdu: &[u8], card: &[u8]) -> (Result<Vec<u8>, SerialError>, Vec<u8>, usize) {
        let mut script = Script { card: card.iter().copied().collect(), sent: Vec::new() };
        let mut buf = [0u8; 258];
        let result = exchange(&mut script, tpdu, &mut buf, TIMING).map(|n| buf[..n].to_vec());
        (result, script.sent, script.card.len())
    }

    #[test]
    fn ack_sends_all_data() {
        // Vector V82: SELECT DF_GSM, ACK A4, the data, then 9F 16.
        let (r, sent, left) = run(&[0xA0, 0xA4, 0x00, 0x00, 0x02, 0x7F, 0x20], &[0xA4, 0x9F, 0x16]);
        assert_eq!(r.unwrap(), [0x9F, 0x16]);
        assert_eq!(sent, [0xA0, 0xA4, 0x00, 0x00, 0x02, 0x7F, 0x20]);
        assert_eq!(left, 0);
    }

    #[test]
    fn ack_receives_all_data() {
        // Vector V82's GET RESPONSE: A0 C0 00 00 16, ACK C0, 22 bytes, 90 00.
        let data: Vec<u8> = (0..22).collect();
        let card = [&[0xC0][..], &data, &[0x90, 0x00]].concat();
        let (r, sent, _) = run(&[0xA0, 0xC0, 0x00, 0x00, 0x16], &card);
        assert_eq!(r.unwrap(), [&data[..], &[0x90, 0x00]].concat());
        assert_eq!(sent, [0xA0, 0xC0, 0x00, 0x00, 0x16]);
    }

    #[test]
    fn one_byte_at_a_time_and_nulls() {
        // Vector V72 (VERIFY PIN1 "1234"): ~INS (DF) before each data byte,
        // NULL bytes between, then 63 C2 (TS 102 221, one attempt spent).
        let tpdu = [0x00, 0x20, 0x00, 0x01, 0x08, 0x31, 0x32, 0x33, 0x34, 0xFF, 0xFF, 0xFF, 0xFF];
        let mut card = Vec::new();
        for _ in 0..8 {
            card.extend_from_slice(&[0x60, 0xDF]);
        }
        card.extend_from_slice(&[0x60, 0x63, 0xC2]);
        let (r, sent, left) = run(&tpdu, &card);
        assert_eq!(r.unwrap(), [0x63, 0xC2]);
        assert_eq!(sent, tpdu);
        assert_eq!(left, 0);
        // Receiving: READ BINARY of 3 bytes, ~INS (4F) for the first, ACK for the rest.
        let (r, _, _) = run(&[0x00, 0xB0, 0x00, 0x00, 0x03], &[0x4F, 0x98, 0xB0, 0x10, 0x32, 0x90, 0x00]);
        assert_eq!(r.unwrap(), [0x98, 0x10, 0x32, 0x90, 0x00]);
        // Sending: ~INS for the first byte, then ACK for the rest.
        let (r, sent, _) = run(&[0xA0, 0xA4, 0x00, 0x00, 0x02, 0x7F, 0x20], &[0x5B, 0xA4, 0x9F, 0x16]);
        assert_eq!(r.unwrap(), [0x9F, 0x16]);
        assert_eq!(sent, [0xA0, 0xA4, 0x00, 0x00, 0x02, 0x7F, 0x20]);
    }

    #[test]
    fn status_without_data_and_case_1() {
        // Vector V45: READ BINARY with P3 00 on a 9-byte EF answers 6C 09 at once.
        let (r, _, _) = run(&[0x00, 0xB0, 0x00, 0x00, 0x00], &[0x6C, 0x09]);
        assert_eq!(r.unwrap(), [0x6C, 0x09]);
        // Vector V74: the case-1 retry counter query, 4 bytes: P3 00 is added; 63 C3.
        let (r, sent, _) = run(&[0x00, 0x20, 0x00, 0x01], &[0x63, 0xC3]);
        assert_eq!(r.unwrap(), [0x63, 0xC3]);
        assert_eq!(sent, [0x00, 0x20, 0x00, 0x01, 0x00]);
    }

    #[test]
    fn broken_procedure_bytes() {
        let (r, _, _) = run(&[0x00, 0xB0, 0x00, 0x00, 0x02], &[0x60, 0x12]);
        assert_eq!(r, Err(SerialError::ProcedureByte { byte: 0x12, offset: 1 }));
        // ACK after all data was sent.
        let (r, _, _) = run(&[0xA0, 0xA4, 0x00, 0x00, 0x02, 0x7F, 0x20], &[0xA4, 0xA4]);
        assert_eq!(r, Err(SerialError::ProcedureByte { byte: 0xA4, offset: 1 }));
        // ACK after all data was received.
        let (r, _, _) = run(&[0x00, 0xB0, 0x00, 0x00, 0x01], &[0xB0, 0x55, 0xB0]);
        assert_eq!(r, Err(SerialError::ProcedureByte { byte: 0xB0, offset: 2 }));
    }

    #[test]
    fn silence_is_a_timeout_with_the_offset() {
        let (r, _, _) = run(&[0x00, 0xB0, 0x00, 0x00, 0x04], &[]);
        assert_eq!(r, Err(SerialError::Timeout { offset: 0, waited_ms: 10 }));
        let (r, _, _) = run(&[0x00, 0xB0, 0x00, 0x00, 0x04], &[0xB0, 0x01, 0x02]);
        assert_eq!(r, Err(SerialError::Timeout { offset: 3, waited_ms: 10 }));
        // SW1 without SW2.
        let (r, _, _) = run(&[0x00, 0xB0, 0x00, 0x00, 0x04], &[0x60, 0x90]);
        assert_eq!(r, Err(SerialError::Timeout { offset: 2, waited_ms: 10 }));
    }

    #[test]
    fn endless_nulls_end_at_the_limit() {
        let mut script = Script { card: core::iter::repeat_n(NULL, 10_000).collect(), sent: Vec::new() };
        let timing = Timing { wait: Duration::from_millis(10), max_total: Duration::ZERO };
        let mut buf = [0u8; 258];
        let r = exchange(&mut script, &[0x00, 0x88, 0x00, 0x81, 0x00], &mut buf, timing);
        assert!(matches!(r, Err(SerialError::Timeout { waited_ms: 0, .. })), "{r:?}");
    }

    #[test]
    fn commands_t0_cannot_carry() {
        let bad = |tpdu: &[u8]| run(tpdu, &[0x90, 0x00]).0.unwrap_err();
        assert!(matches!(bad(&[0x00, 0xA4, 0x00]), SerialError::BadCommand { offset: 3, .. }));
        assert!(matches!(bad(&[0xFF, 0x10, 0x96, 0x79, 0x00]), SerialError::BadCommand { offset: 0, .. }));
        assert!(matches!(bad(&[0x00, 0x60, 0x00, 0x00, 0x00]), SerialError::BadCommand { offset: 1, .. }));
        assert!(matches!(bad(&[0x00, 0x9F, 0x00, 0x00, 0x00]), SerialError::BadCommand { offset: 1, .. }));
        // Vector V84 with its Le: a case-4 APDU, not a TPDU.
        assert!(matches!(
            bad(&[0x00, 0xA4, 0x00, 0x04, 0x02, 0x3F, 0x00, 0x00]),
            SerialError::BadCommand { offset: 4, .. }
        ));
    }

    #[test]
    fn a_small_buffer_is_an_error_after_the_whole_answer() {
        let data = [0x11u8; 22];
        let card = [&[0xC0][..], &data, &[0x90, 0x00]].concat();
        let mut script = Script { card: card.into_iter().collect(), sent: Vec::new() };
        let mut buf = [0u8; 8];
        let r = exchange(&mut script, &[0xA0, 0xC0, 0x00, 0x00, 0x16], &mut buf, TIMING);
        assert_eq!(r, Err(SerialError::BufferTooSmall { needed: 24, capacity: 8 }));
        assert!(script.card.is_empty());
    }
}
