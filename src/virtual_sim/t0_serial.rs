//! The card side of the ISO/IEC 7816-3 T=0 character protocol (§10), for a
//! virtual card on a serial line: the ATR after a reset (§8), the answer to a
//! PPS request (§9), then for each command the five header bytes CLA INS P1 P2
//! P3, the procedure bytes (§10.3.3: ACK = INS for all remaining data, ~INS for
//! one byte, NULL 60 to ask for more time) and the status bytes SW1 SW2. Bytes
//! travel in the direct convention, or in the inverse one (§8.1: complemented
//! and bit-reversed on the line, TS = 3F) on request.
//!
//! [`T0Engine`] is the byte-level state machine, independent of any port: feed
//! it what the reader sends, send what it returns. With feature `serial`,
//! `serve` runs it on a serial port, typically the master side of a
//! pseudo-terminal from serialport's `TTYPort::pair()`, whose slave side the
//! host's serial transport opens. A pseudo-terminal has no modem lines, so
//! the reset a reader signals on RST (RTS on a Phoenix reader) cannot arrive
//! that way: the card resets (and sends its ATR) when the host opens the
//! slave side, and on a `ResetSignal` from another thread; on a real port a
//! change of CTS (the reader's RTS through a null-modem cable) resets too.
//!
//! Parity (§7.2) is not modelled: a pseudo-terminal carries 8-bit bytes. The
//! host must put its side in raw mode (serialport does when it opens a port),
//! or the terminal's line discipline rewrites bytes such as 0A and 0D.

use super::VirtualSim;
use super::card::sends_data;
use crate::atr::{Convention, Pps};
use std::vec::Vec;

/// NULL procedure byte (ISO/IEC 7816-3 §10.3.3).
pub const NULL: u8 = 0x60;

/// PPSS, the first byte of a PPS request (ISO/IEC 7816-3 §9.2).
pub const PPSS: u8 = 0xFF;

/// How the card behaves on the line (ISO/IEC 7816-3 §8.1, §10.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct T0Options {
    /// Direct (TS 3B) or inverse (TS 3F) convention. The ATR's TS is sent
    /// accordingly, whatever the profile says (ISO/IEC 7816-3 §8.1).
    pub convention: Convention,
    /// Ask for the data one byte at a time with ~INS instead of ACK (§10.3.3).
    pub one_byte_at_a_time: bool,
    /// NULL bytes (60) sent before each answer, as a card that needs time would
    /// (ISO/IEC 7816-3 §10.3.3).
    pub null_bytes: u8,
}

impl Default for T0Options {
    fn default() -> Self {
        T0Options { convention: Convention::Direct, one_byte_at_a_time: false, null_bytes: 0 }
    }
}

/// Where the engine is in the exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Right after the ATR: a PPS request may come (§9.1).
    AfterAtr,
    /// Collecting a PPS request; the bytes are in `buf`.
    Pps,
    /// Collecting a command header; the bytes so far are in `buf`.
    Header,
    /// Receiving command data; `remaining` bytes to come.
    Data { remaining: usize },
}

/// The T=0 character protocol of the card (ISO/IEC 7816-3 §10), byte by byte.
#[derive(Debug, Clone)]
pub struct T0Engine {
    options: T0Options,
    state: State,
    buf: Vec<u8>,
    negotiated: Option<Pps>,
}

impl T0Engine {
    /// An engine with `options`; call [`T0Engine::reset`] before anything else
    /// (ISO/IEC 7816-3 §10).
    #[must_use]
    pub fn new(options: T0Options) -> Self {
        T0Engine { options, state: State::AfterAtr, buf: Vec::with_capacity(261), negotiated: None }
    }

    /// The options (ISO/IEC 7816-3 §8.1, §10.3).
    #[must_use]
    pub const fn options(&self) -> T0Options {
        self.options
    }

    /// The PPS accepted since the last reset, if any (ISO/IEC 7816-3 §9).
    #[must_use]
    pub const fn negotiated(&self) -> Option<Pps> {
        self.negotiated
    }

    fn emit(&self, out: &mut Vec<u8>, logical: u8) {
        out.push(self.options.convention.to_line(logical));
    }

    /// A reset: the card is reset and the ATR is appended to `out` (line
    /// bytes), with TS set for the engine's convention (ISO/IEC 7816-3 §8.1).
    pub fn reset(&mut self, sim: &mut VirtualSim, out: &mut Vec<u8>) {
        sim.card_reset();
        self.state = State::AfterAtr;
        self.buf.clear();
        self.negotiated = None;
        let atr = sim.atr_bytes().to_vec();
        if let Some((_, rest)) = atr.split_first() {
            self.emit(out, self.options.convention.ts());
            for &b in rest {
                self.emit(out, b);
            }
        }
    }

    /// One byte from the reader (as on the line); what the card sends back is
    /// appended to `out` (as on the line) (ISO/IEC 7816-3 §9, §10.3).
    pub fn receive(&mut self, line_byte: u8, sim: &mut VirtualSim, out: &mut Vec<u8>) {
        let byte = self.options.convention.from_line(line_byte);
        match self.state {
            State::AfterAtr if byte == PPSS => {
                self.buf.clear();
                self.buf.push(byte);
                self.state = State::Pps;
            }
            State::AfterAtr | State::Header => {
                if self.state == State::AfterAtr {
                    self.buf.clear();
                    self.state = State::Header;
                }
                self.buf.push(byte);
                if self.buf.len() == 5 {
                    self.header_complete(sim, out);
                }
            }
            State::Pps => {
                self.buf.push(byte);
                if self.buf.len() == pps_len(&self.buf) {
                    self.pps_complete(sim, out);
                }
            }
            State::Data { remaining } => {
                self.buf.push(byte);
                let remaining = remaining.saturating_sub(1);
                if remaining == 0 {
                    self.execute(sim, out);
                } else {
                    self.state = State::Data { remaining };
                    if self.options.one_byte_at_a_time {
                        let ins = self.buf.get(1).copied().unwrap_or(0);
                        self.emit(out, !ins);
                    }
                }
            }
        }
    }

    /// Answer a complete PPS request (§9.2–§9.3): echo it when it asks for
    /// T=0 with the ATR's FI/DI or the defaults (or without PPS1); echo it
    /// without PPS1 (keeping Fd, Dd) for other FI/DI; say nothing to a bad
    /// request or another protocol, so that the reader resets.
    fn pps_complete(&mut self, sim: &VirtualSim, out: &mut Vec<u8>) {
        let request = core::mem::take(&mut self.buf);
        self.state = State::Header;
        let Ok(pps) = Pps::parse(&request) else { return };
        if pps.protocol() != 0 {
            return;
        }
        let ta1 = crate::Atr::parse(sim.atr_bytes()).ok().map(|atr| atr.fi_di());
        let answer = match pps.pps1() {
            None => pps,
            Some(fi_di) if Some(fi_di) == ta1 || fi_di == crate::atr::FiDi::default() => pps,
            Some(_) => Pps::new(0),
        };
        for &b in &answer.to_bytes() {
            self.emit(out, b);
        }
        self.negotiated = Some(answer);
    }

    fn header_complete(&mut self, sim: &mut VirtualSim, out: &mut Vec<u8>) {
        let (ins, p3) = (self.buf.get(1).copied().unwrap_or(0), self.buf.get(4).copied().unwrap_or(0));
        // §10.3.2: INS 6X and 9X are not valid in T=0 (they look like SW1).
        if matches!(ins & 0xF0, 0x60 | 0x90) {
            self.buf.clear();
            self.state = State::Header;
            for b in [0x6D, 0x00] {
                self.emit(out, b);
            }
            return;
        }
        if sends_data(ins) || p3 == 0 {
            self.execute(sim, out);
            return;
        }
        self.state = State::Data { remaining: usize::from(p3) };
        self.emit(out, if self.options.one_byte_at_a_time { !ins } else { ins });
    }

    /// Process the TPDU in `buf` and send the answer: NULLs, then for data the
    /// procedure byte and the data, then SW1 SW2.
    fn execute(&mut self, sim: &mut VirtualSim, out: &mut Vec<u8>) {
        let ins = self.buf.get(1).copied().unwrap_or(0);
        let response = match sim.respond(&self.buf) {
            Ok(response) => response.to_vec(),
            // The state could not be saved, and the command was undone.
            Err(_) => sim.write_back_failure().to_vec(),
        };
        self.buf.clear();
        self.state = State::Header;
        for _ in 0..self.options.null_bytes {
            self.emit(out, NULL);
        }
        let Some((data, sw)) = response.split_last_chunk::<2>() else { return };
        if !data.is_empty() {
            if self.options.one_byte_at_a_time {
                for &b in data {
                    self.emit(out, !ins);
                    self.emit(out, b);
                }
            } else {
                self.emit(out, ins);
                for &b in data {
                    self.emit(out, b);
                }
            }
        }
        for &b in sw {
            self.emit(out, b);
        }
    }
}

/// The length of a PPS request from its first bytes (§9.2): PPSS, PPS0, the
/// PPS1–PPS3 that PPS0 announces, PCK. Until PPS0 is known, 3.
fn pps_len(bytes: &[u8]) -> usize {
    match bytes.get(1) {
        None => 3,
        Some(pps0) => 3 + (pps0 & 0x70).count_ones() as usize,
    }
}

#[cfg(all(feature = "serial", unix))]
#[cfg_attr(docsrs, doc(cfg(all(feature = "serial", unix))))]
pub use serial::{ResetSignal, ServeError, serve};

#[cfg(all(feature = "serial", unix))]
mod serial {
    //! The engine on a serial port (feature `serial`).
    use super::{T0Engine, VirtualSim};
    use core::sync::atomic::{AtomicBool, Ordering};
    use core::time::Duration;
    use serialport::{SerialPort, TTYPort};
    use std::io;
    use std::io::{Read, Write};
    use std::os::fd::AsRawFd;
    use std::sync::Arc;
    use std::vec::Vec;

    /// A reset (or stop) request for a card served on a port that has no modem
    /// lines: set it from another thread (ISO/IEC 7816-3 §6.2).
    #[derive(Debug, Clone, Default)]
    pub struct ResetSignal {
        reset: Arc<AtomicBool>,
        stop: Arc<AtomicBool>,
    }

    impl ResetSignal {
        /// A new signal, nothing requested (ISO/IEC 7816-3 §6.2.2).
        #[must_use]
        pub fn new() -> Self {
            Self::default()
        }

        /// Ask for a reset: the card sends its ATR again (ISO/IEC 7816-3 §6.2.3).
        pub fn reset(&self) {
            self.reset.store(true, Ordering::SeqCst);
        }

        /// Ask [`serve`] to return (ISO/IEC 7816-3 §6.4).
        pub fn stop(&self) {
            self.stop.store(true, Ordering::SeqCst);
        }
    }

    /// Why serving on a port stopped (ISO/IEC 7816-3 §8–§10).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
    #[non_exhaustive]
    pub enum ServeError {
        /// Reading or writing the port failed (the other side closed a
        /// pseudo-terminal, for one; POSIX I/O).
        #[error("serial port failed: {kind}")]
        Io {
            /// What the operating system said.
            kind: io::ErrorKind,
        },
    }

    /// Serve `sim` on `port` until [`ResetSignal::stop`]: the ATR whenever a
    /// reader arrives, then the T=0 exchange; a reset on request, or when CTS
    /// changes on a port that has modem lines (ISO/IEC 7816-3 §6.2, §8, §10).
    ///
    /// On the master side of a pseudo-terminal, "a reader arrives" is the slave
    /// side being opened: while no process has it open, reads fail (EIO on
    /// Linux) and the card waits; the first read that does not fail sends the
    /// ATR, like a card inserted into a powered reader. Closing and reopening
    /// the slave therefore resets the card, provided it stays closed for more
    /// than the card's polling period (about 20 ms). The ATR waits until the host has
    /// put its side in raw mode (no echo, no canonical line editing): sent
    /// earlier, the line discipline would echo it back to the card and hold it
    /// in a line buffer, and the host would miss it.
    ///
    /// # Errors
    /// [`ServeError::Io`] when the port fails otherwise.
    pub fn serve(
        sim: &mut VirtualSim,
        engine: &mut T0Engine,
        port: &mut TTYPort,
        signal: &ResetSignal,
    ) -> Result<(), ServeError> {
        let io_error = |e: &io::Error| ServeError::Io { kind: e.kind() };
        port.set_timeout(Duration::from_millis(20))
            .map_err(|e| ServeError::Io { kind: io::Error::from(e).kind() })?;
        let mut out = Vec::with_capacity(300);
        let mut reader_present = false;
        let mut cts = port.read_clear_to_send().ok();
        let mut buf = [0u8; 64];
        while !signal.stop.load(Ordering::SeqCst) {
            let now = port.read_clear_to_send().ok();
            let line_reset = matches!((cts, now), (Some(a), Some(b)) if a != b);
            cts = now;
            if signal.reset.swap(false, Ordering::SeqCst) || line_reset {
                out.clear();
                engine.reset(sim, &mut out);
            }
            if !out.is_empty() {
                port.write_all(&out).and_then(|()| port.flush()).map_err(|e| io_error(&e))?;
                out.clear();
            }
            let read = port.read(&mut buf);
            let absent = match &read {
                Ok(0) => true,
                Ok(_) => false,
                Err(e) => !matches!(e.kind(), io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock),
            };
            if absent {
                if let Err(e) = &read
                    && !reader_gone(e)
                {
                    return Err(io_error(e));
                }
                reader_present = false;
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
            if !reader_present {
                if !host_is_raw(port) {
                    // Bytes seen before the host is ready are line noise of its set-up.
                    std::thread::sleep(Duration::from_millis(2));
                    continue;
                }
                reader_present = true;
                engine.reset(sim, &mut out);
                continue;
            }
            if let Ok(n) = read {
                for &b in buf.get(..n).unwrap_or_default() {
                    engine.receive(b, sim, &mut out);
                }
            }
        }
        Ok(())
    }

    /// Whether the host side of the line is in raw mode (no echo, no canonical
    /// input). On a pseudo-terminal master this reads the slave's settings
    /// (Linux keeps one set for the pair); on a real port it reads our own,
    /// which serialport made raw.
    fn host_is_raw(port: &TTYPort) -> bool {
        use nix::sys::termios::{LocalFlags, tcgetattr};
        tcgetattr(port.as_raw_fd())
            .is_ok_and(|t| !t.local_flags.intersects(LocalFlags::ECHO | LocalFlags::ICANON))
    }

    /// Whether a read error means "nobody has the other side open" (EIO on a
    /// pseudo-terminal master, a hang-up) rather than a failure.
    fn reader_gone(error: &io::Error) -> bool {
        const EIO: i32 = 5;
        error.raw_os_error() == Some(EIO)
            || matches!(error.kind(), io::ErrorKind::BrokenPipe | io::ErrorKind::UnexpectedEof)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Drive the engine with line bytes, return the card's line bytes.
    fn feed(engine: &mut T0Engine, sim: &mut VirtualSim, bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        for &b in bytes {
            engine.receive(engine.options.convention.to_line(b), sim, &mut out);
        }
        out.iter().map(|&b| engine.options.convention.from_line(b)).collect()
    }

    fn sim_card() -> VirtualSim {
        let profile = super::super::CardProfile::default().with_personality(crate::Profile::Sim);
        VirtualSim::from_profile(&profile).unwrap()
    }

    #[test]
    fn atr_pps_and_a_select_with_ack() {
        let mut sim = sim_card();
        let mut engine = T0Engine::new(T0Options::default());
        let mut atr = Vec::new();
        engine.reset(&mut sim, &mut atr);
        assert_eq!(atr, sim.atr_bytes());
        // PPS T=0 with the ATR's TA1 (94): echoed (§9.3, the V13 shape with FI/DI 94).
        assert_eq!(feed(&mut engine, &mut sim, &[0xFF, 0x10, 0x94, 0x7B]), [0xFF, 0x10, 0x94, 0x7B]);
        // SELECT MF: header, ACK (A4), data, then 9F 16 (TS 51.011 §9.4.1).
        assert_eq!(feed(&mut engine, &mut sim, &[0xA0, 0xA4, 0x00, 0x00, 0x02]), [0xA4]);
        assert_eq!(feed(&mut engine, &mut sim, &[0x3F, 0x00]), [0x9F, 0x16]);
        // GET RESPONSE: ACK (C0), 22 bytes, 90 00.
        let answer = feed(&mut engine, &mut sim, &[0xA0, 0xC0, 0x00, 0x00, 0x16]);
        assert_eq!(answer.len(), 1 + 22 + 2);
        assert_eq!((answer[0], &answer[23..]), (0xC0, &[0x90, 0x00][..]));
        // An error answers with the status bytes only.
        assert_eq!(feed(&mut engine, &mut sim, &[0xA0, 0xB0, 0x00, 0x00, 0x0A]), [0x94, 0x00]);
        // INS 6X is not a T=0 instruction.
        assert_eq!(feed(&mut engine, &mut sim, &[0xA0, 0x60, 0x00, 0x00, 0x00]), [0x6D, 0x00]);
    }

    #[test]
    fn a_command_whose_state_cannot_be_saved_is_answered_as_failed() {
        // A persistent UICC whose profile directory is gone: VERIFY (a wrong
        // PIN, which changes the counter) is undone and answered 64 00,
        // non-volatile memory unchanged (TS 102 221 §10.2.1.4); the counter
        // query that follows still says 3 attempts (63 C3).
        let mut sim = super::super::card_that_cannot_save("t0", "");
        let mut engine = T0Engine::new(T0Options::default());
        let mut atr = Vec::new();
        engine.reset(&mut sim, &mut atr);
        assert_eq!(feed(&mut engine, &mut sim, &[0x00, 0x20, 0x00, 0x01, 0x08]), [0x20]);
        assert_eq!(feed(&mut engine, &mut sim, b"0000\xFF\xFF\xFF\xFF"), [0x64, 0x00]);
        assert_eq!(feed(&mut engine, &mut sim, &[0x00, 0x20, 0x00, 0x01, 0x00]), [0x63, 0xC3]);
    }

    #[test]
    fn pps_refusals() {
        let mut sim = sim_card();
        let mut engine = T0Engine::new(T0Options::default());
        let mut out = Vec::new();
        // V15: T=1 is not offered: no answer.
        engine.reset(&mut sim, &mut out);
        assert_eq!(feed(&mut engine, &mut sim, &[0xFF, 0x01, 0xFE]), []);
        // V13: FI/DI 96 is faster than TA1 94: accepted without PPS1 (Fd, Dd kept).
        engine.reset(&mut sim, &mut out);
        assert_eq!(feed(&mut engine, &mut sim, &[0xFF, 0x10, 0x96, 0x79]), [0xFF, 0x00, 0xFF]);
        // Bad PCK: no answer.
        engine.reset(&mut sim, &mut out);
        assert_eq!(feed(&mut engine, &mut sim, &[0xFF, 0x10, 0x94, 0x00]), []);
        // A PPS after the first command is a command with CLA FF: 6E 00 on a SIM.
        assert_eq!(feed(&mut engine, &mut sim, &[0xFF, 0xA4, 0x00, 0x00, 0x00]), [0x6E, 0x00]);
    }

    #[test]
    fn one_byte_at_a_time_nulls_and_inverse_convention() {
        let mut sim = VirtualSim::new();
        let options = T0Options { convention: Convention::Inverse, one_byte_at_a_time: true, null_bytes: 2 };
        let mut engine = T0Engine::new(options);
        let mut atr = Vec::new();
        engine.reset(&mut sim, &mut atr);
        // TS of the inverse convention reads 03 on a direct UART (V12).
        assert_eq!(atr[0], 0x03);
        assert_eq!(Convention::Inverse.from_line(atr[1]), sim.atr_bytes()[1]);
        // SELECT MF on a UICC: ~INS before each data byte, NULLs, 61 XX.
        assert_eq!(feed(&mut engine, &mut sim, &[0x00, 0xA4, 0x00, 0x04, 0x02]), [0x5B]);
        assert_eq!(feed(&mut engine, &mut sim, &[0x3F]), [0x5B]);
        let answer = feed(&mut engine, &mut sim, &[0x00]);
        assert_eq!(&answer[..3], &[0x60, 0x60, 0x61]);
        // READ BINARY by SFI: ~INS before every data byte.
        let answer = feed(&mut engine, &mut sim, &[0x00, 0xB0, 0x82, 0x00, 0x02]);
        assert_eq!(answer, [0x60, 0x60, 0x4F, 0x98, 0x4F, 0x00, 0x90, 0x00]);
    }
}
