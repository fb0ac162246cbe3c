//! The serial reader transport (feature `serial`): a Phoenix or Smartmouse
//! reader on a UART, speaking ISO/IEC 7816-3:2006 itself — the reset (§6.2),
//! the ATR (§8), PPS (§9) and the T=0 character protocol (§10).
//!
//! These readers, and the cheap USB ones built the same way (pySim's serial
//! backend drives them), wire the card's I/O contact to both RX and TX of the
//! UART and its RST contact to a modem line. Hence:
//!
//! - **every byte sent comes back as an echo**: [`SerialTransport`] reads it
//!   back and compares ([`SerialError::Echo`], [`SerialError::NoEcho`]);
//! - **the reset is a modem line**: RTS by default, or DTR, with the level
//!   during reset configurable ([`SerialConfig::with_reset_line`],
//!   [`SerialConfig::with_reset_asserted`]); pySim's `-rts` is the default;
//! - **the line starts at 9600 baud, 8 data bits, even parity, 2 stop bits**:
//!   one character is 12 etu, the guard time of §7.2, at a clock of 9600 × 372
//!   = 3.5712 MHz ([`SerialConfig::with_baud_rate`] for other clocks).
//!
//! After the reset the ATR is read with [`AtrReader`]:
//! TS within the initial waiting time (40 000 clock cycles, §8.1), each next
//! character within 9600 etu (§8.2), each plus [`SerialConfig::margin`]. An
//! inverse-convention card (TS read as 03 by the direct-convention UART) is
//! recognised: from then on every byte is converted both ways and the UART
//! checks odd parity, which is what the inverse convention's even parity
//! looks like to it. (A UART that replaces a byte with a parity error by 00,
//! as Linux does with input parity checking on, loses the TS of such a card;
//! the pseudo-terminal tests carry no parity.)
//!
//! In negotiable mode the transport then sends PPS ([`Pps`]) when TA1 offers
//! another Fi/Di than Fd/Dd and the port accepts the bit rate it implies
//! (clock × Di / Fi: 55 800 baud for TA1 = 94, 223 200 for 96), checks the
//! card's answer and switches the port's rate; when the card keeps Fd/Dd or
//! does not answer it stays at (or is reset back to) 9600 baud
//! ([`SerialTransport::pps_outcome`] says what happened). In specific mode
//! (TA2) the rate of TA1 applies at once.
//!
//! Commands travel as T=0 TPDUs (the transport reports
//! [`Protocol::T0`], so
//! [`Link`](super::Link) maps case 4 to case 3 and fetches the data
//! with GET RESPONSE): the header, then the procedure bytes NULL, ACK, ~ACK
//! and SW1 SW2 (see "T=0" below). Each byte from the card is
//! awaited for the work waiting time WT = WI × 960 × Fi / f (§10.2, WI from
//! TC2, Fi from TA1 even at Fd/Dd), plus the margin; a NULL restarts it; a command never
//! takes longer than [`SerialConfig::max_exchange_time`]. A card that stops
//! answering therefore ends in [`SerialError::Timeout`], never a hang.
//!
//! ```no_run
//! use simcore::transport::serial::{SerialConfig, SerialTransport};
//! use simcore::transport::{Link, Transport};
//! use simcore::apdu::Command;
//!
//! let reader = SerialTransport::open("/dev/ttyUSB0", SerialConfig::DEFAULT)?;
//! println!("ATR {:?}, PPS: {:?}", reader.atr(), reader.pps_outcome());
//! let mut link = Link::new(reader);
//! let mut buf = [0u8; 258];
//! let select_mf = Command::new(0xA0, 0xA4, 0x00, 0x00).with_data(&[0x3F, 0x00])?;
//! let response = link.transmit(&select_mf, &mut buf)?;
//! println!("{}", response.sw());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Thread safety: the transport is `Send`; use it from one thread at a time.
//!
//! ## T=0
//!
//! The host side of the character protocol lives in a submodule that runs on
//! any byte line, so it is unit-tested against scripts; see its table of
//! procedure bytes in the source (`src/transport/serial/t0.rs`).

mod config;
mod error;
mod t0;

pub use config::{PpsPolicy, ResetLine, SerialConfig};
pub use error::SerialError;
pub use t0::NULL;

use crate::atr::{Atr, AtrReader, Convention, FiDi, MAX_ATR_LEN, Pps, Progress, work_waiting_time_clocks};
use crate::transport::{Protocol, Reset, Transport};
use core::fmt;
use core::time::Duration;
use serialport::{ClearBuffer, DataBits, FlowControl, Parity, SerialPort, StopBits};
use std::boxed::Box;
use std::io;
use std::time::Instant;
use zeroize::{Zeroize, Zeroizing};

/// A hook that drives RST: called with `true` to hold the card in reset and
/// `false` to release it (ISO/IEC 7816-3:2006 §6.2).
pub type ResetHook = Box<dyn FnMut(bool) -> io::Result<()> + Send>;

/// What became of PPS at the last reset (ISO/IEC 7816-3 §9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PpsOutcome {
    /// Nothing to negotiate: T=0 first and TA1 absent or 11, or the card in
    /// specific mode (ISO/IEC 7816-3 §9).
    NotNeeded,
    /// PPS is off in the configuration; Fd/Dd in force (ISO/IEC 7816-3 §9).
    Disabled,
    /// TA1 offers a rate the port (or [`SerialConfig::with_max_baud_rate`])
    /// does not allow; Fd/Dd in force (ISO/IEC 7816-3 §8.3, §9).
    RateNotSupported {
        /// The bit rate TA1 implies (ISO/IEC 7816-3 §8.3).
        baud: u32,
    },
    /// The card echoed the request: its PPS1 is in force (ISO/IEC 7816-3 §9.3).
    Accepted(Pps),
    /// The card answered without PPS1 (§9.3): Fd/Dd in force.
    Refused(Pps),
    /// The exchange failed (no answer, or a wrong one); the card was reset
    /// again and works at Fd/Dd (ISO/IEC 7816-3 §9.3).
    Failed(SerialError),
}

/// The port with its read-ahead buffer, the convention, the echo and the
/// character timing: a [`t0::Line`] in logical bytes.
struct Wire {
    port: Box<dyn SerialPort>,
    rx: [u8; 64],
    head: usize,
    tail: usize,
    /// The card uses the inverse convention and the UART the direct one.
    convert: bool,
    echo: bool,
    /// One etu at the current rate.
    etu: Duration,
    /// Extra guard time between characters sent, in etu (TC1).
    extra_guard: u32,
    margin: Duration,
    last_rx: Option<Instant>,
}

impl Wire {
    fn read_raw(&mut self, wait: Duration) -> Result<Option<u8>, SerialError> {
        if let Some(&byte) = self.rx.get(self.head).filter(|_| self.head < self.tail) {
            self.head += 1;
            return Ok(Some(byte));
        }
        let deadline = Instant::now() + wait;
        loop {
            let remaining = deadline.saturating_duration_since(Instant::now());
            self.port.set_timeout(remaining).map_err(SerialError::serialport("setting a timeout"))?;
            match self.port.read(&mut self.rx) {
                Ok(n) if n > 0 => {
                    self.last_rx = Some(Instant::now());
                    self.head = 1;
                    self.tail = n.min(self.rx.len());
                    return Ok(self.rx.first().copied());
                }
                Ok(_) if remaining.is_zero() => return Ok(None),
                Ok(_) => std::thread::sleep(Duration::from_millis(1)),
                Err(e) if matches!(e.kind(), io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock) => {
                    if remaining.is_zero() || Instant::now() >= deadline {
                        return Ok(None);
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(SerialError::Port { operation: "reading", kind: e.kind() }),
            }
        }
    }

    fn discard_input(&mut self) -> Result<(), SerialError> {
        self.rx.zeroize();
        self.head = 0;
        self.tail = 0;
        self.port.clear(ClearBuffer::Input).map_err(SerialError::serialport("discarding the input"))
    }

    /// §7.2: at least 16 etu between a character received and the next sent.
    fn wait_turnaround(&self) {
        if let Some(rest) = self.last_rx.and_then(|last| self.etus(16).checked_sub(last.elapsed())) {
            std::thread::sleep(rest);
        }
    }

    /// Waits out the turnaround, then drops what arrived and what was read
    /// ahead: bytes past the end of an ATR (a TCK that a T=0-only card need
    /// not send, §8.2.5) are no answer to what is sent next.
    fn settle(&mut self) -> Result<(), SerialError> {
        self.wait_turnaround();
        self.discard_input()
    }

    /// Zero the receive buffer, whatever a read left in it: the echo of a PIN
    /// command's data is the PIN. Bytes not read yet are dropped, as the next
    /// exchange's [`Wire::discard_input`] would.
    fn wipe(&mut self) {
        self.rx.zeroize();
        self.head = 0;
        self.tail = 0;
    }

    fn etus(&self, n: u32) -> Duration {
        self.etu.saturating_mul(n)
    }

    /// Sends raw line bytes and checks their echo; `base` is the offset of
    /// `raw` in the message, for errors.
    fn send_raw(&mut self, raw: &[u8], base: usize) -> Result<(), SerialError> {
        if self.extra_guard == 0 {
            self.port.write_all(raw).map_err(SerialError::port("writing"))?;
        } else {
            // §8.3: 12 + N etu from one character's leading edge to the next.
            // A write only queues the byte; flush waits until it has left the
            // UART (tcdrain), so the N etu come after its 12, not during them.
            for (i, byte) in raw.iter().enumerate() {
                if i > 0 {
                    std::thread::sleep(self.etus(self.extra_guard));
                }
                self.port.write_all(core::slice::from_ref(byte)).map_err(SerialError::port("writing"))?;
                self.port.flush().map_err(SerialError::port("writing"))?;
            }
        }
        self.port.flush().map_err(SerialError::port("writing"))?;
        if !self.echo {
            return Ok(());
        }
        let count = u32::try_from(raw.len()).unwrap_or(u32::MAX);
        let wait = self.etus((12 + self.extra_guard).saturating_mul(count)) + self.margin;
        for (i, &sent) in raw.iter().enumerate() {
            match self.read_raw(wait)? {
                Some(echoed) if echoed == sent => {}
                Some(_) => return Err(SerialError::Echo { offset: base + i }),
                None => return Err(SerialError::NoEcho { offset: base + i }),
            }
        }
        Ok(())
    }

    fn to_line(&self, logical: u8) -> u8 {
        if self.convert { Convention::Inverse.to_line(logical) } else { logical }
    }
}

impl t0::Line for Wire {
    fn send(&mut self, bytes: &[u8], offset: usize) -> Result<(), SerialError> {
        self.wait_turnaround();
        // Wiped when dropped: it holds the data sent, a PIN among them.
        let mut raw = Zeroizing::new([0u8; 32]);
        for (index, chunk) in bytes.chunks(raw.len()).enumerate() {
            for (slot, &b) in raw.iter_mut().zip(chunk) {
                *slot = self.to_line(b);
            }
            let line = raw.get(..chunk.len()).unwrap_or_default();
            self.send_raw(line, offset + index * raw.len())?;
        }
        Ok(())
    }

    fn receive(&mut self, wait: Duration) -> Result<Option<u8>, SerialError> {
        let convert = self.convert;
        Ok(self.read_raw(wait)?.map(|b| if convert { Convention::Inverse.from_line(b) } else { b }))
    }
}

/// A Phoenix/Smartmouse serial reader with a card in it (ISO/IEC 7816-3 §6,
/// §8–§10), implementing [`Transport`] with [`Protocol::T0`].
pub struct SerialTransport {
    wire: Wire,
    config: SerialConfig,
    reset_hook: Option<ResetHook>,
    atr: [u8; MAX_ATR_LEN],
    atr_len: usize,
    fi_di: FiDi,
    baud: u32,
    /// The work waiting time in clock cycles, from the ATR (see
    /// [`SerialTransport::work_waiting_time`]).
    wt_clocks: u32,
    pps: PpsOutcome,
}

impl fmt::Debug for SerialTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SerialTransport")
            .field("port", &self.wire.port.name())
            .field("atr", &crate::hex::Hex(self.atr.get(..self.atr_len).unwrap_or_default()))
            .field("fi_di", &self.fi_di)
            .field("baud", &self.baud)
            .field("pps", &self.pps)
            .finish_non_exhaustive()
    }
}

/// Why the card is (re)activated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Activation {
    /// When the port is opened.
    Open,
    /// [`Transport::reset`].
    Reset,
    /// After a failed PPS exchange (ISO/IEC 7816-3 §9.3): no PPS again.
    AfterFailedPps,
}

impl SerialTransport {
    /// Opens the serial device at `path` (`/dev/ttyUSB0`, `COM3`), resets the
    /// card and reads its ATR, negotiating PPS as configured (ISO/IEC 7816-3 §6.2, §8, §9).
    ///
    /// # Errors
    /// [`SerialError::Open`] when the device cannot be opened; otherwise as
    /// [`SerialTransport::from_port`].
    pub fn open(path: &str, config: SerialConfig) -> Result<Self, SerialError> {
        let port = serialport::new(path, config.baud_rate())
            .data_bits(DataBits::Eight)
            .parity(Parity::Even)
            .stop_bits(StopBits::Two)
            .flow_control(FlowControl::None)
            .open()
            .map_err(|e| SerialError::Open { kind: e.kind() })?;
        Self::from_port(port, config)
    }

    /// Takes an open port, sets it to the configured rate and 8E2, resets the
    /// card with the configured modem line and reads its ATR (ISO/IEC 7816-3 §6.2, §8, §9).
    ///
    /// # Errors
    /// [`SerialError::Port`] when the port cannot be set up,
    /// [`SerialError::ResetLine`] when the reset line cannot be driven,
    /// [`SerialError::NoAtr`] when no card answers, [`SerialError::Atr`] for
    /// a broken ATR, [`SerialError::UnsupportedProtocol`] for a card without
    /// T=0.
    pub fn from_port(port: Box<dyn SerialPort>, config: SerialConfig) -> Result<Self, SerialError> {
        Self::with_hook(port, config, None)
    }

    /// As [`SerialTransport::from_port`], with RST driven by `hook` instead of
    /// a modem line: a GPIO, or the card side of a test on a pseudo-terminal.
    /// `hook(true)` holds the card in reset, `hook(false)` releases it (ISO/IEC 7816-3 §6.2).
    ///
    /// # Errors
    /// As [`SerialTransport::from_port`]; a failing hook gives
    /// [`SerialError::ResetLine`].
    pub fn from_port_with_reset(
        port: Box<dyn SerialPort>,
        config: SerialConfig,
        hook: impl FnMut(bool) -> io::Result<()> + Send + 'static,
    ) -> Result<Self, SerialError> {
        Self::with_hook(port, config, Some(Box::new(hook)))
    }

    fn with_hook(
        mut port: Box<dyn SerialPort>,
        config: SerialConfig,
        reset_hook: Option<ResetHook>,
    ) -> Result<Self, SerialError> {
        let setup = SerialError::serialport("setting up the port");
        port.set_data_bits(DataBits::Eight).map_err(&setup)?;
        port.set_stop_bits(StopBits::Two).map_err(&setup)?;
        port.set_flow_control(FlowControl::None).map_err(&setup)?;
        if let (Some(level), false) = (config.dtr(), config.reset_line() == ResetLine::Dtr) {
            port.write_data_terminal_ready(level)
                .map_err(|e| SerialError::ResetLine { kind: io::Error::from(e).kind() })?;
        }
        let baud = config.baud_rate();
        let mut transport = SerialTransport {
            wire: Wire {
                port,
                rx: [0; 64],
                head: 0,
                tail: 0,
                convert: false,
                echo: config.echo(),
                etu: etu(baud),
                extra_guard: 0,
                margin: config.margin(),
                last_rx: None,
            },
            config,
            reset_hook,
            atr: [0; MAX_ATR_LEN],
            atr_len: 0,
            fi_di: FiDi::DEFAULT,
            baud,
            wt_clocks: wt_clocks(crate::atr::DEFAULT_WI, FiDi::DEFAULT),
            pps: PpsOutcome::NotNeeded,
        };
        transport.activate(Activation::Open)?;
        Ok(transport)
    }

    /// The configuration (ISO/IEC 7816-3 §7, §10).
    #[must_use]
    pub const fn config(&self) -> &SerialConfig {
        &self.config
    }

    /// What became of PPS at the last reset (ISO/IEC 7816-3 §9).
    #[must_use]
    pub const fn pps_outcome(&self) -> PpsOutcome {
        self.pps
    }

    /// The FI/DI in force (TA1 after an accepted PPS or in specific mode,
    /// else Fd/Dd) (ISO/IEC 7816-3 §8.3, §9.2).
    #[must_use]
    pub const fn fi_di(&self) -> FiDi {
        self.fi_di
    }

    /// The port's bit rate now (ISO/IEC 7816-3 §7.1, §8.3).
    #[must_use]
    pub const fn baud_rate(&self) -> u32 {
        self.baud
    }

    /// The card's convention (ISO/IEC 7816-3 §8.1).
    #[must_use]
    pub const fn convention(&self) -> Convention {
        if self.wire.convert {
            Convention::Inverse
        } else {
            match self.atr.first() {
                Some(&0x3F) => Convention::Inverse,
                _ => Convention::Direct,
            }
        }
    }

    /// The work waiting time WT = WI × 960 × Fi / f (ISO/IEC 7816-3 §10.2),
    /// without the margin. WI is TC2's and Fi TA1's, as §10.2 writes it, even
    /// when PPS left Fd in force (as [`Atr::work_waiting_time_clocks`]). A
    /// reserved code counts as its default: TC2 = 00 as WI = 10, a reserved Fi
    /// as Fd = 372; waiting the default is safer than not waiting.
    #[must_use]
    pub fn work_waiting_time(&self) -> Duration {
        self.config.clocks(u64::from(self.wt_clocks))
    }

    /// The port, for settings this type does not cover (ISO/IEC 7816-3 §7).
    #[must_use]
    pub fn port(&self) -> &dyn SerialPort {
        self.wire.port.as_ref()
    }

    fn drive_reset(&mut self, hold: bool) -> Result<(), SerialError> {
        let to_error = |kind: io::ErrorKind| SerialError::ResetLine { kind };
        if let Some(hook) = self.reset_hook.as_mut() {
            return hook(hold).map_err(|e| to_error(e.kind()));
        }
        let level = if hold { self.config.reset_asserted() } else { !self.config.reset_asserted() };
        let result = match self.config.reset_line() {
            ResetLine::Rts => self.wire.port.write_request_to_send(level),
            ResetLine::Dtr => self.wire.port.write_data_terminal_ready(level),
            ResetLine::None => Ok(()),
        };
        result.map_err(|e| to_error(io::Error::from(e).kind()))
    }

    fn set_rate(&mut self, baud: u32) -> Result<(), SerialError> {
        self.wire.port.set_baud_rate(baud).map_err(SerialError::serialport("setting the bit rate"))?;
        self.baud = baud;
        self.wire.etu = etu(baud);
        Ok(())
    }

    /// Whether the port takes `baud` (and the configuration allows it): set
    /// it, read it back within 2 %, and go back to the current rate.
    fn rate_allowed(&mut self, baud: u32) -> bool {
        if self.config.max_baud_rate().is_some_and(|max| baud > max) {
            return false;
        }
        let current = self.baud;
        let accepted = self.wire.port.set_baud_rate(baud).is_ok()
            && self.wire.port.baud_rate().map_or(true, |got| got.abs_diff(baud) <= baud / 50);
        accepted && self.set_rate(current).is_ok()
    }

    /// Reset, ATR, protocol and rate (ISO/IEC 7816-3 §6.2, §8, §9).
    fn activate(&mut self, activation: Activation) -> Result<(), SerialError> {
        let allow_pps = activation != Activation::AfterFailedPps;
        // Without a reset line or hook nothing resets the card here: at open,
        // what it sent already (its ATR, as it was inserted) is kept.
        let passive = self.reset_hook.is_none() && self.config.reset_line() == ResetLine::None;
        let keep_input = passive && activation == Activation::Open;
        let initial = self.config.baud_rate();
        self.set_rate(initial)?;
        self.wire.port.set_parity(Parity::Even).map_err(SerialError::serialport("setting the parity"))?;
        self.wire.convert = false;
        self.wire.extra_guard = 0;
        self.wire.last_rx = None;
        self.fi_di = FiDi::DEFAULT;
        self.atr_len = 0;
        self.drive_reset(true)?;
        std::thread::sleep(self.config.reset_hold());
        if !keep_input {
            self.wire.discard_input()?;
        }
        self.drive_reset(false)?;
        self.read_atr()?;
        let bytes = self.atr;
        let atr = Atr::parse(bytes.get(..self.atr_len).unwrap_or_default()).map_err(SerialError::Atr)?;
        self.wt_clocks = wt_clocks(atr.wi(), atr.fi_di());
        let n = atr.extra_guard_time();
        self.wire.extra_guard = if n.is_minimum() { 0 } else { u32::from(n.n()) };
        if let Some(mode) = atr.specific_mode() {
            if mode.protocol() != 0 {
                return Err(SerialError::UnsupportedProtocol { protocol: mode.protocol() });
            }
            let fi_di = if mode.implicit_parameters() { FiDi::DEFAULT } else { atr.fi_di() };
            if fi_di != FiDi::DEFAULT {
                let baud = self.config.baud_rate_for(fi_di).unwrap_or(0);
                if baud == 0 || !self.rate_allowed(baud) {
                    return Err(SerialError::UnsupportedRate { baud });
                }
                self.set_rate(baud)?;
                self.fi_di = fi_di;
            }
            self.pps = PpsOutcome::NotNeeded;
            return Ok(());
        }
        let first = atr.default_protocol();
        if !atr.offers(0) {
            return Err(SerialError::UnsupportedProtocol { protocol: first });
        }
        if self.config.pps() == PpsPolicy::Off || !allow_pps {
            if first != 0 {
                return Err(SerialError::UnsupportedProtocol { protocol: first });
            }
            if self.config.pps() == PpsPolicy::Off {
                self.pps = PpsOutcome::Disabled;
            }
            return Ok(());
        }
        let mut request = Pps::for_atr_protocol(&atr, 0).map_err(SerialError::Pps)?;
        let mut not_supported = None;
        if let Some(fi_di) = request.pps1() {
            let baud = self.config.baud_rate_for(fi_di).unwrap_or(0);
            if baud == 0 || !self.rate_allowed(baud) {
                request = Pps::new(0);
                not_supported = Some(baud);
            }
        }
        if request.pps1().is_none() && first == 0 {
            self.pps =
                not_supported.map_or(PpsOutcome::NotNeeded, |baud| PpsOutcome::RateNotSupported { baud });
            return Ok(());
        }
        match self.negotiate(&request) {
            Ok(agreed) => {
                if let Some(fi_di) = agreed.pps1() {
                    let baud = self.config.baud_rate_for(fi_di).unwrap_or(initial);
                    self.set_rate(baud)?;
                    self.fi_di = fi_di;
                    self.pps = PpsOutcome::Accepted(agreed);
                } else {
                    self.pps = not_supported
                        .map_or(PpsOutcome::Refused(agreed), |baud| PpsOutcome::RateNotSupported { baud });
                }
                Ok(())
            }
            Err(error) if passive => {
                // §9.3 wants a reset now, and nothing here can make one: the
                // PPS failure is the error, not the ATR that would never come.
                Err(error)
            }
            Err(error) => {
                // §9.3: after a failed exchange the card is reset; no PPS again.
                self.activate(Activation::AfterFailedPps)?;
                self.pps = PpsOutcome::Failed(error);
                Ok(())
            }
        }
    }

    fn read_atr(&mut self) -> Result<(), SerialError> {
        let first_wait = self.config.clocks(40_000) + self.config.margin();
        let next_wait = self.wire.etus(9600) + self.config.margin();
        let mut reader = AtrReader::new();
        let mut wait = first_wait;
        loop {
            let Some(byte) = self.wire.read_raw(wait)? else {
                let received = reader.bytes().len();
                return Err(if received == 0 {
                    SerialError::NoAtr { waited_ms: millis(wait) }
                } else {
                    SerialError::AtrIncomplete { received }
                });
            };
            wait = next_wait;
            if let Progress::Complete(len) = reader.push(byte).map_err(SerialError::Atr)? {
                if let Some(dst) = self.atr.get_mut(..len) {
                    dst.copy_from_slice(reader.bytes());
                }
                self.atr_len = len;
                if reader.converts_bytes() {
                    self.wire.convert = true;
                    self.wire
                        .port
                        .set_parity(Parity::Odd)
                        .map_err(SerialError::serialport("setting the parity"))?;
                }
                return Ok(());
            }
        }
    }

    /// Sends `request` and checks the answer (§9.2–§9.3).
    fn negotiate(&mut self, request: &Pps) -> Result<Pps, SerialError> {
        use t0::Line;
        let wait = self.wire.etus(9600) + self.config.margin();
        self.wire.settle()?;
        self.wire.send(&request.to_bytes(), 0)?;
        let mut answer = [0u8; crate::atr::MAX_PPS_LEN];
        let mut len = 0usize;
        let mut expected = 2usize;
        while len < expected {
            let byte = self
                .wire
                .receive(wait)?
                .ok_or(SerialError::Timeout { offset: len, waited_ms: millis(wait) })?;
            if let Some(slot) = answer.get_mut(len) {
                *slot = byte;
            }
            len += 1;
            if len == 2 {
                expected = 3 + (byte & 0x70).count_ones() as usize;
            }
        }
        request.check_response(answer.get(..len).unwrap_or_default()).map_err(SerialError::Pps)
    }

    fn timing(&self) -> t0::Timing {
        t0::Timing {
            wait: self.work_waiting_time() + self.config.margin(),
            max_total: self.config.max_exchange_time(),
        }
    }
}

/// WT in clock cycles for TC2's `wi` and TA1's `ta1` (ISO/IEC 7816-3 §10.2),
/// a reserved code counted as its default (WI 10, Fd 372).
fn wt_clocks(wi: u8, ta1: FiDi) -> u32 {
    let wi = if wi == 0 { crate::atr::DEFAULT_WI } else { wi };
    work_waiting_time_clocks(wi, ta1).or(work_waiting_time_clocks(wi, FiDi::DEFAULT)).unwrap_or(0)
}

fn etu(baud: u32) -> Duration {
    Duration::from_nanos(1_000_000_000 / u64::from(baud.max(1)))
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

impl Transport for SerialTransport {
    type Error = SerialError;

    /// Sends one T=0 TPDU (CLA INS P1 P2 P3 + data; a 4-byte case-1 command
    /// gets P3 = 00) and returns the card's data and SW1 SW2.
    fn transmit<'b>(&mut self, command: &[u8], response: &'b mut [u8]) -> Result<&'b [u8], SerialError> {
        self.wire.discard_input()?;
        let timing = self.timing();
        let result = t0::exchange(&mut self.wire, command, response, timing);
        self.wire.wipe();
        match result {
            Ok(len) => Ok(response.get(..len).unwrap_or_default()),
            Err(error) => {
                // Whatever the card still sends belongs to the failed exchange.
                if matches!(
                    error,
                    SerialError::Timeout { .. }
                        | SerialError::ProcedureByte { .. }
                        | SerialError::Echo { .. }
                ) {
                    let _ = self.wire.discard_input();
                }
                Err(error)
            }
        }
    }

    fn atr(&self) -> Option<&[u8]> {
        self.atr.get(..self.atr_len)
    }

    /// A warm reset through the reset line (these readers cannot cut the
    /// card's power), with the ATR read and PPS negotiated again.
    fn reset(&mut self, _reset: Reset) -> Result<Reset, SerialError> {
        self.activate(Activation::Reset)?;
        Ok(Reset::Warm)
    }

    fn protocol(&self) -> Protocol {
        Protocol::T0
    }
}
