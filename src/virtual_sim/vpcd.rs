//! Serving the virtual card to a real PC/SC stack through the `vpcd` driver of
//! vsmartcard (Debian package `vsmartcard-vpcd`): pcscd loads the driver from
//! `/etc/reader.conf.d/vpcd`, the driver listens on TCP port 35963, and the
//! card connects to it. Every PC/SC program then sees a card in the reader
//! "Virtual PCD 00 00".
//!
//! The wire format (vsmartcard's `vpcd` protocol): every message is a 2-byte
//! big-endian length, then the payload. A 1-byte payload is a control code
//! from the driver — `00` power off, `01` power on, `02` reset, `04` get ATR
//! (answered with the ATR) — and a longer payload is a command APDU, answered
//! with one response APDU (ISO/IEC 7816-4 §5.1). pcscd asks for the ATR about
//! twice a second to see whether the card is still there.
//!
//! The card is served T=0-like (its ATR offers T=0): data of case-4 commands
//! comes through GET RESPONSE after 61XX / 9FXX, as from a real SIM in a
//! reader working at TPDU level.

use super::VirtualSim;
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::vec::Vec;
use zeroize::Zeroize;

/// Where the vpcd driver listens by default (`/etc/reader.conf.d/vpcd`,
/// channel 0x8C7B = 35963; vsmartcard's vpcd protocol).
pub const DEFAULT_ADDRESS: &str = "127.0.0.1:35963";

/// Control code: power off (ISO/IEC 7816-3 §6.4 deactivation).
pub const POWER_OFF: u8 = 0x00;
/// Control code: power on (§6.2.2 cold reset).
pub const POWER_ON: u8 = 0x01;
/// Control code: reset (§6.2.3 warm reset).
pub const RESET: u8 = 0x02;
/// Control code: send the ATR (vsmartcard's vpcd protocol) (ISO/IEC 7816-3 §8).
pub const GET_ATR: u8 = 0x04;

/// Why serving over vpcd stopped (vsmartcard's vpcd protocol, module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VpcdError {
    /// The driver could not be reached (the TCP connection of vsmartcard's vpcd
    /// protocol).
    #[error("cannot connect to vpcd: {kind} (is pcscd running with the vpcd driver? try `pcscd -f -a`)")]
    Connect {
        /// What the operating system said.
        kind: io::ErrorKind,
    },
    /// The address is not of the form `HOST:PORT`, such as `127.0.0.1:35963`
    /// (vsmartcard's vpcd listens on port 35963).
    #[error("not a HOST:PORT address for vpcd (such as 127.0.0.1:35963): {kind}")]
    Address {
        /// What the operating system said.
        kind: io::ErrorKind,
    },
    /// The driver closed the connection: pcscd stopped, or unloaded the driver
    /// (vsmartcard's vpcd protocol).
    #[error("vpcd closed the connection (pcscd stopped?)")]
    Disconnected,
    /// Reading or writing the connection failed (vsmartcard's vpcd protocol over
    /// TCP; POSIX socket I/O).
    #[error("vpcd connection failed: {kind}")]
    Io {
        /// What the operating system said.
        kind: io::ErrorKind,
    },
    /// A message of length 0, which the protocol does not use; `offset` is the
    /// byte position in the stream where it started (vsmartcard's vpcd protocol:
    /// a 2-byte length, then the payload).
    #[error("empty vpcd message at byte {offset} of the stream")]
    EmptyMessage {
        /// Stream position of the length field.
        offset: u64,
    },
    /// An unknown 1-byte control code (vsmartcard's vpcd protocol: `00`, `01`,
    /// `02`, `04`).
    #[error("unknown vpcd control code {code:02X} at byte {offset} of the stream")]
    UnknownControl {
        /// The code.
        code: u8,
        /// Stream position of the code.
        offset: u64,
    },
}

impl VpcdError {
    fn io(e: &io::Error) -> Self {
        match e.kind() {
            io::ErrorKind::UnexpectedEof | io::ErrorKind::ConnectionReset | io::ErrorKind::BrokenPipe => {
                VpcdError::Disconnected
            }
            kind => VpcdError::Io { kind },
        }
    }

    /// The stream offset, for the protocol errors (vsmartcard's vpcd protocol).
    #[must_use]
    pub const fn offset(&self) -> Option<u64> {
        match *self {
            VpcdError::EmptyMessage { offset } | VpcdError::UnknownControl { offset, .. } => Some(offset),
            _ => None,
        }
    }
}

/// What happened on the link, for logs and tests (vsmartcard's vpcd protocol)
/// (ISO/IEC 7816-4 §5.1, ISO/IEC 7816-3 §6.2, §8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counters {
    /// Command APDUs answered (ISO/IEC 7816-4 §5.1).
    pub apdus: u64,
    /// ATR requests answered (ISO/IEC 7816-3 §8).
    pub atr_requests: u64,
    /// Power-on and reset requests (ISO/IEC 7816-3 §6.2.2, §6.2.3).
    pub resets: u64,
}

/// A vpcd link: the card's side of the protocol over any byte stream (ISO/IEC 7816-4 §5.1).
pub struct Vpcd<S> {
    stream: S,
    position: u64,
    powered: bool,
    counters: Counters,
    /// The message being read: a command APDU may carry a PIN, so it is
    /// wiped once answered, on drop, and left out of `Debug`.
    buf: Vec<u8>,
}

/// The position, power and counters; not the last message, which may hold a PIN.
impl<S> core::fmt::Debug for Vpcd<S> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Vpcd")
            .field("position", &self.position)
            .field("powered", &self.powered)
            .field("counters", &self.counters)
            .finish_non_exhaustive()
    }
}

impl<S> Drop for Vpcd<S> {
    fn drop(&mut self) {
        self.buf.zeroize();
    }
}

impl Vpcd<TcpStream> {
    /// Connect to the vpcd driver at `address` (e.g. [`DEFAULT_ADDRESS`]) (vsmartcard's vpcd
    /// protocol, over TCP).
    ///
    /// # Errors
    /// [`VpcdError::Address`] for a text that is not `HOST:PORT`,
    /// [`VpcdError::Connect`] when the name does not resolve or nothing
    /// answers there.
    pub fn connect(address: &str) -> Result<Self, VpcdError> {
        // A text that is no HOST:PORT is InvalidInput; a name that does not
        // resolve (perhaps not yet) is a connection failure, worth a retry.
        let addresses: Vec<_> = match std::net::ToSocketAddrs::to_socket_addrs(address) {
            Ok(found) => found.collect(),
            Err(e) if e.kind() == io::ErrorKind::InvalidInput => {
                return Err(VpcdError::Address { kind: e.kind() });
            }
            Err(e) => return Err(VpcdError::Connect { kind: e.kind() }),
        };
        let stream = TcpStream::connect(&addresses[..]).map_err(|e| VpcdError::Connect { kind: e.kind() })?;
        let _ = stream.set_nodelay(true);
        Ok(Vpcd::new(stream))
    }
}

impl<S: Read + Write> Vpcd<S> {
    /// The protocol over `stream` (a connected socket, or anything else for tests) (vsmartcard's
    /// vpcd protocol).
    pub fn new(stream: S) -> Self {
        Vpcd {
            stream,
            position: 0,
            powered: true,
            counters: Counters::default(),
            buf: Vec::with_capacity(300),
        }
    }

    /// What was served so far (ISO/IEC 7816-4 §5.1, ISO/IEC 7816-3 §6.2, §8).
    #[must_use]
    pub const fn counters(&self) -> Counters {
        self.counters
    }

    /// Whether the driver has the card powered (ISO/IEC 7816-3 §6.2.2, §6.4).
    #[must_use]
    pub const fn is_powered(&self) -> bool {
        self.powered
    }

    /// Read and answer one message (ISO/IEC 7816-4 §5.1, ISO/IEC 7816-3 §8).
    ///
    /// # Errors
    /// [`VpcdError::Disconnected`] when the driver closed the connection,
    /// [`VpcdError::Io`], or a protocol error naming the stream offset.
    pub fn serve_one(&mut self, sim: &mut VirtualSim) -> Result<(), VpcdError> {
        let start = self.position;
        let mut length = [0u8; 2];
        self.stream.read_exact(&mut length).map_err(|e| VpcdError::io(&e))?;
        let len = usize::from(u16::from_be_bytes(length));
        self.buf.zeroize();
        self.buf.resize(len, 0);
        self.stream.read_exact(&mut self.buf).map_err(|e| VpcdError::io(&e))?;
        self.position += 2 + len as u64;
        match *self.buf.as_slice() {
            [] => Err(VpcdError::EmptyMessage { offset: start }),
            [POWER_OFF] => {
                self.powered = false;
                Ok(())
            }
            [POWER_ON | RESET] => {
                sim.card_reset();
                self.powered = true;
                self.counters.resets += 1;
                Ok(())
            }
            [GET_ATR] => {
                self.counters.atr_requests += 1;
                let atr = sim.atr_bytes().to_vec();
                self.send(&atr)
            }
            [code] => Err(VpcdError::UnknownControl { code, offset: start + 2 }),
            _ => {
                self.counters.apdus += 1;
                let mut command = core::mem::take(&mut self.buf);
                let result = match sim.respond(&command) {
                    Ok(response) => {
                        let response = response.to_vec();
                        self.send(&response)
                    }
                    // The state could not be saved (and the command was undone):
                    // tell the terminal the command failed.
                    Err(_) => self.send(&sim.write_back_failure()),
                };
                command.zeroize();
                self.buf = command;
                result
            }
        }
    }

    /// Answer messages until the driver goes away (ISO/IEC 7816-4 §5.1, ISO/IEC 7816-3 §8).
    ///
    /// # Errors
    /// As [`Vpcd::serve_one`]; [`VpcdError::Disconnected`] is the normal end
    /// when pcscd stops.
    pub fn serve(&mut self, sim: &mut VirtualSim) -> Result<(), VpcdError> {
        loop {
            self.serve_one(sim)?;
        }
    }

    fn send(&mut self, payload: &[u8]) -> Result<(), VpcdError> {
        let len =
            u16::try_from(payload.len()).map_err(|_| VpcdError::Io { kind: io::ErrorKind::InvalidData })?;
        let mut frame = Vec::with_capacity(payload.len() + 2);
        frame.extend_from_slice(&len.to_be_bytes());
        frame.extend_from_slice(payload);
        self.stream.write_all(&frame).and_then(|()| self.stream.flush()).map_err(|e| VpcdError::io(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    #[test]
    fn an_address_without_a_port_is_no_address() {
        // No name resolution is needed to refuse these (loopback only in tests).
        for address in ["nonsense", "127.0.0.1", "127.0.0.1:port"] {
            assert!(matches!(Vpcd::connect(address), Err(VpcdError::Address { .. })), "{address}");
        }
        let error = VpcdError::Address { kind: io::ErrorKind::InvalidInput };
        assert!(!error.to_string().contains("pcscd"), "{error}");
    }

    /// A stream that reads scripted driver messages and records the answers.
    struct Script {
        input: Cursor<Vec<u8>>,
        output: Vec<u8>,
    }

    impl Read for Script {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.input.read(buf)
        }
    }

    impl Write for Script {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.output.write(buf)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn frames(payloads: &[&[u8]]) -> Vec<u8> {
        payloads
            .iter()
            .flat_map(|p| [&u16::try_from(p.len()).unwrap().to_be_bytes()[..], p].concat())
            .collect()
    }

    #[test]
    fn control_codes_and_apdus() {
        let input = frames(&[&[POWER_ON], &[GET_ATR], &[0x00, 0xB0, 0x82, 0x00, 0x0A], &[POWER_OFF]]);
        let mut vpcd = Vpcd::new(Script { input: Cursor::new(input), output: Vec::new() });
        let mut sim = VirtualSim::new();
        assert_eq!(vpcd.serve(&mut sim), Err(VpcdError::Disconnected));
        assert!(!vpcd.is_powered());
        assert_eq!(vpcd.counters(), Counters { apdus: 1, atr_requests: 1, resets: 1 });
        let atr = sim.atr_bytes().to_vec();
        let iccid = sim.file(&[0x2FE2]).unwrap().to_vec();
        let expected = frames(&[&atr, &[iccid.as_slice(), &[0x90, 0x00]].concat()]);
        assert_eq!(vpcd.stream.output, expected);
    }

    #[test]
    fn protocol_errors_name_the_offset() {
        let input = frames(&[&[GET_ATR], &[0x07]]);
        let mut vpcd = Vpcd::new(Script { input: Cursor::new(input), output: Vec::new() });
        let mut sim = VirtualSim::new();
        let err = vpcd.serve(&mut sim).unwrap_err();
        assert_eq!(err, VpcdError::UnknownControl { code: 0x07, offset: 5 });
        assert_eq!(err.offset(), Some(5));
        let mut vpcd = Vpcd::new(Script { input: Cursor::new(std::vec![0, 0]), output: Vec::new() });
        assert_eq!(vpcd.serve(&mut sim), Err(VpcdError::EmptyMessage { offset: 0 }));
        // A message cut short is a lost driver, not a hang.
        let mut vpcd =
            Vpcd::new(Script { input: Cursor::new(std::vec![0, 5, 0x00, 0xA4]), output: Vec::new() });
        assert_eq!(vpcd.serve(&mut sim), Err(VpcdError::Disconnected));
    }

    #[test]
    fn a_command_whose_state_cannot_be_saved_is_answered_as_failed() {
        // A persistent classic SIM whose profile directory is gone: a wrong
        // VERIFY CHV1 is undone and answered 92 40 (TS 51.011 §9.4.3), and the
        // card's CHV1 counter is still 3 (STATUS byte 19, §9.2.1: 83).
        let mut sim = super::super::card_that_cannot_save("vpcd", "personality = \"sim\"\n");
        let verify = [0xA0, 0x20, 0x00, 0x01, 0x08, 0x30, 0x30, 0x30, 0x30, 0xFF, 0xFF, 0xFF, 0xFF];
        let status = [0xA0, 0xF2, 0x00, 0x00, 0x16];
        let input = frames(&[&[POWER_ON], &verify, &status]);
        let mut vpcd = Vpcd::new(Script { input: Cursor::new(input), output: Vec::new() });
        for _ in 0..3 {
            vpcd.serve_one(&mut sim).unwrap();
        }
        let output = &vpcd.stream.output;
        assert_eq!(output.get(..4), Some(&[0x00, 0x02, 0x92, 0x40][..]), "{output:02X?}");
        // The STATUS answer: 22 bytes and 90 00, byte 19 (offset 18) CHV1's status.
        let answer = output.get(4 + 2..).unwrap();
        assert_eq!((answer.len(), answer[18], &answer[22..]), (24, 0x83, &[0x90, 0x00][..]), "{answer:02X?}");
    }

    #[test]
    fn a_verify_leaves_no_pin_behind() {
        // VERIFY PIN1 "1234" (vector V74's data): answered, then wiped.
        let verify = [0x00, 0x20, 0x00, 0x01, 0x08, 0x31, 0x32, 0x33, 0x34, 0xFF, 0xFF, 0xFF, 0xFF];
        let input = frames(&[&[POWER_ON], &verify]);
        let mut vpcd = Vpcd::new(Script { input: Cursor::new(input), output: Vec::new() });
        let mut sim = VirtualSim::new();
        vpcd.serve_one(&mut sim).unwrap();
        vpcd.serve_one(&mut sim).unwrap();
        assert_eq!(vpcd.stream.output, frames(&[&[0x90, 0x00]]));
        assert!(vpcd.buf.iter().all(|&b| b == 0), "{:?}", vpcd.buf);
        let shown = std::format!("{vpcd:?}");
        for leak in ["49, 50", "1234", "3132", "31 32", "buf"] {
            assert!(!shown.contains(leak), "{leak} in {shown}");
        }
    }
}
