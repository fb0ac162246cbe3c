//! Fuzz the card session (`simcore::card::Sim`) against a hostile card: every
//! answer comes from the fuzzer. The session never panics, whatever the card
//! says (TS 51.011 §9, TS 102 221 §10–§11), and the last-attempt guard holds,
//! checked on the recorded traffic rather than on what the session reports:
//!
//! - with `Guard::Protect`, a command that spends an attempt (VERIFY, CHANGE,
//!   DISABLE, ENABLE or UNBLOCK with data) goes out only right after the card
//!   reported at least 2 attempts left on the counter it spends: on a UICC the
//!   counter query's final answer was 63 CX with X ≥ 2 (TS 102 221 §11.1.9.1.2,
//!   §11.1.13.1.2); on a classic SIM the STATUS answer's CHV status byte for
//!   that code (TS 51.011 §9.2.1 bytes 19–22) held X ≥ 2. "The answer" is the
//!   complete response, GET RESPONSE data included (`completed`);
//! - with `Guard::ForceLastAttempt`, never right after the card reported the
//!   counter at 0 (a blocked code).
//!
//! One exception on a UICC: a counter query answered 90 00 (the PIN is
//! verified, ISO/IEC 7816-4) counts as the count reported before the last
//! command that presented the PIN and was answered 90 00 or 91 XX, when no
//! other PIN command went out in between: a right code resets the counter to
//! its maximum (TS 102 221 §11.1.9), at least that count.
//!
//! Input: a flags byte (protocol, guard, which code), then the card's answers,
//! each a length byte and that many bytes. When the answers run out the card
//! is gone (`ErrorKind::NoCard`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use simcore::Profile;
use simcore::card::{Guard, Sim};
use simcore::chv::{KeyReference, Pin};
use simcore::transport::{ErrorKind, Protocol, Reset, Transport};

/// A card that plays the fuzzer's answers and records each exchange.
struct Hostile<'a> {
    answers: &'a [u8],
    protocol: Protocol,
    log: Vec<(Vec<u8>, Vec<u8>)>,
}

impl Transport for Hostile<'_> {
    type Error = ErrorKind;
    fn transmit<'b>(&mut self, command: &[u8], response: &'b mut [u8]) -> Result<&'b [u8], ErrorKind> {
        let (&len, rest) = self.answers.split_first().ok_or(ErrorKind::NoCard)?;
        let len = usize::from(len).min(rest.len());
        let (answer, rest) = rest.split_at(len);
        self.answers = rest;
        self.log.push((command.to_vec(), answer.to_vec()));
        let out = response.get_mut(..answer.len()).ok_or(ErrorKind::Protocol)?;
        out.copy_from_slice(answer);
        Ok(out)
    }
    fn atr(&self) -> Option<&[u8]> {
        None
    }
    fn reset(&mut self, reset: Reset) -> Result<Reset, ErrorKind> {
        Ok(reset)
    }
    fn protocol(&self) -> Protocol {
        self.protocol
    }
}

const UNBLOCK: u8 = 0x2C;

/// Whether a sent command spends an attempt: a PIN instruction with data.
fn spends(command: &[u8]) -> Option<u8> {
    match command {
        [_, ins @ (0x20 | 0x24 | 0x26 | 0x28 | 0x2C), _, _, lc, _, ..] if *lc > 0 => Some(*ins),
        _ => None,
    }
}

/// The attempts the card reported in `answer` for the counter `ins` spends.
fn reported(profile: Profile, key: KeyReference, ins: u8, answer: &[u8]) -> Option<u8> {
    let (data, sw) = answer.split_last_chunk::<2>()?;
    match profile {
        Profile::Sim => {
            // STATUS: the TS 51.011 §9.2.1 MF/DF response, bytes 19–22 = CHV1,
            // UNBLOCK CHV1, CHV2, UNBLOCK CHV2, b4–b1 the count when b8 says the
            // code is initialised; only the bytes that byte 13 (the length of
            // the GSM-specific data) covers count.
            if *sw != [0x90, 0x00] || data.len() < 17 || data[0] == 0x62 || !matches!(data[6], 0x01 | 0x02) {
                return None;
            }
            // Only CHV1 and CHV2 have status bytes; other codes report nothing.
            let chv2 = match key {
                KeyReference::PIN1 => false,
                KeyReference::PIN2 => true,
                _ => return None,
            };
            let index = 18 + 2 * usize::from(chv2) + usize::from(ins == UNBLOCK);
            let end = data.len().min(13 + usize::from(data[12]));
            (index < end && data[index] & 0x80 != 0).then(|| data[index] & 0x0F)
        }
        _ => match *sw {
            [0x63, x] if x & 0xF0 == 0xC0 => Some(x & 0x0F),
            [0x69, 0x83] => Some(0),
            _ => None,
        },
    }
}

/// The complete response of the last command of `log`, as the completion
/// layer assembles it (ISO/IEC 7816-4 §7.6.1, TS 51.011 §9.4.1): the data of
/// each answer that asked for GET RESPONSE (61XX, 9FXX), then the last answer;
/// an answer 6CXX that made the command go again (the same header, P3 = XX,
/// ISO/IEC 7816-3 §10.3.3), or a classic SIM's 67XX that did (TS 51.011
/// §9.4.6), adds nothing. Such an answer followed by another command ends that
/// command's exchange.
fn completed(log: &[(Vec<u8>, Vec<u8>)]) -> Vec<u8> {
    let sw = |answer: &[u8]| answer.len().checked_sub(2).map(|n| (answer[n], answer[n + 1]));
    let mut start = log.len() - 1;
    while start > 0 {
        let (command, previous_command) = (&log[start].0, &log[start - 1].0);
        let previous = sw(&log[start - 1].1);
        let get_response = command.get(1) == Some(&0xC0) && matches!(previous, Some((0x61 | 0x9F, _)));
        // 6C XX anywhere, and 67 XX (XX ≠ 00) after a classic SIM's outgoing
        // command (TS 51.011 §9.4.6: STATUS, READ BINARY, READ RECORD, GET
        // RESPONSE, FETCH), ask for the same command with P3 = XX.
        let outgoing_sim = previous_command.first() == Some(&0xA0)
            && matches!(previous_command.get(1), Some(0xF2 | 0xB0 | 0xB2 | 0xC0 | 0x12));
        let asks_again = match previous {
            Some((0x6C, xx)) => Some(xx),
            Some((0x67, xx)) if xx != 0 && outgoing_sim => Some(xx),
            _ => None,
        };
        let resent = asks_again
            .is_some_and(|xx| command.get(..4) == previous_command.get(..4) && command.get(4) == Some(&xx));
        if !(get_response || resent) {
            break;
        }
        start -= 1;
    }
    let mut out = Vec::new();
    for (_, answer) in &log[start..log.len() - 1] {
        if matches!(sw(answer), Some((0x61 | 0x9F, _))) {
            out.extend_from_slice(&answer[..answer.len() - 2]);
        }
    }
    out.extend_from_slice(&log[log.len() - 1].1);
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, answers)) = data.split_first() else { return };
    let protocol = if flags & 1 == 0 { Protocol::T0 } else { Protocol::T1 };
    let guard = if flags & 2 == 0 { Guard::Protect } else { Guard::ForceLastAttempt };
    let key = [KeyReference::PIN1, KeyReference::PIN2, KeyReference::ADM1, KeyReference::UNIVERSAL_PIN]
        [usize::from(flags >> 2 & 3)];
    let mut card = Hostile { answers, protocol, log: Vec::new() };
    let pin = Pin::new("1234").unwrap();
    let puk = Pin::puk("12345678").unwrap();
    let profile = {
        let Ok(mut sim) = Sim::open(&mut card) else { return };
        let profile = sim.profile();
        let _ = sim.pin_status(key).map(|s| (s.is_blocked(), format!("{s:?}")));
        let _ = sim.verify(key, &pin, guard).map(|o| o.to_string());
        let _ = sim.unblock(key, &puk, &pin, guard);
        let _ = sim.change(key, &pin, &pin, guard);
        let _ = sim.disable(key, &pin, guard);
        let _ = sim.enable(key, &pin, guard);
        let _ = sim.summary().map(|s| format!("{s:?}"));
        let _ = (sim.iccid(), sim.imsi(), sim.spn(), sim.msisdn());
        let _ = sim.pin_statuses([key, KeyReference::PIN2]).map(|s| format!("{s:?}"));
        profile
    };
    let exchanges = || card.log.iter().map(|(c, a)| format!("> {c:02X?}\n< {a:02X?}\n")).collect::<String>();
    let ends = |answer: &[u8], sw1: u8, sw2: Option<u8>| {
        answer.len() >= 2 && answer[answer.len() - 2] == sw1 && sw2.is_none_or(|b| answer[answer.len() - 1] == b)
    };
    let mut at_least: Option<u8> = None;
    for (i, (command, _)) in card.log.iter().enumerate() {
        let Some(ins) = spends(command) else { continue };
        let query = i.checked_sub(1).map(|j| completed(&card.log[..=j])).unwrap_or_default();
        let verified = profile != Profile::Sim && ins != UNBLOCK && ends(&query, 0x90, Some(0x00));
        let before = match reported(profile, key, ins, &query) {
            None if verified => at_least,
            reading => reading,
        };
        let answer = completed(&card.log[..=i]);
        let done = ends(&answer, 0x90, Some(0x00)) || ends(&answer, 0x91, None);
        at_least = if done && ins != UNBLOCK { before } else { None };
        match guard {
            Guard::Protect => assert!(
                before.is_some_and(|n| n >= 2),
                "{command:02X?} sent with {before:?} attempts reported just before; the exchanges:\n{}",
                exchanges()
            ),
            Guard::ForceLastAttempt => assert_ne!(
                before,
                Some(0),
                "{command:02X?} sent to a blocked code; the exchanges:\n{}",
                exchanges()
            ),
        }
    }
});
