//! The cellular-modem transport (feature `modem`): a SIM reached through a
//! modem's AT command port with generic SIM access, `AT+CSIM` (3GPP TS 27.007
//! §8.17), over a serial line (`serialport`, default features off).
//!
//! Each command travels as `AT+CSIM=<length>,"<hex>"` and comes back as
//! `+CSIM: <length>,"<hex>"` then `OK` (parsed by [`super::at`]). The modem
//! hands the card T=0 TPDUs, so this transport reports [`Protocol::T0`]:
//! [`Link`](crate::transport::Link) sends case 4 as case 3 and follows 61XX,
//! 6CXX and 9FXX itself.
//!
//! - **Echo**: the transport sends `ATE0` when it opens the port; a modem
//!   that keeps echoing is understood anyway (a line starting with `AT` is
//!   the echo).
//! - **Unsolicited result codes** (`+CREG:`, `RING`, `^RSSI:`) may come
//!   before, between or after the lines of an answer: they are skipped.
//! - **Errors**: `ERROR` and `+CME ERROR: <n>` end a command with
//!   [`ModemError::Error`] or [`ModemError::Cme`], whose [`CmeError`] says
//!   what the number means (TS 27.007 §9.2: 10 "SIM not inserted" …);
//!   `AT+CMEE=1` asks for the numbers at open.
//! - **Timeouts**: a command gets [`ModemConfig::command_timeout`] for its
//!   final result code; a modem that stops answering ends in
//!   [`ModemError::Timeout`], never a hang. The answer may still come: the
//!   next command first waits up to the command timeout for it and drops it,
//!   so it is never taken for the next command's answer (TS 27.007 §8.17 ties
//!   no answer to its command); after that it counts as lost.
//! - **No ATR**: a modem does not pass the card's ATR on, so
//!   [`Transport::atr`] is `None` (an ATR is never made up), and the card
//!   cannot be reset from here ([`ModemError::ResetUnsupported`]).
//! - **Not alone**: the modem's own stack (and a connection manager such as
//!   ModemManager) talks to the same SIM between two `AT+CSIM`, and no AT
//!   command gives this transport the card to itself. The PIN guard reads a
//!   counter and sends the command in two exchanges, so stop such programs
//!   before a PIN operation.
//!
//! ```no_run
//! use simcore::transport::modem::{ModemConfig, ModemTransport};
//! use simcore::transport::Link;
//! use simcore::apdu::Command;
//!
//! let modem = ModemTransport::open("/dev/ttyUSB2", ModemConfig::DEFAULT)?;
//! let mut link = Link::new(modem);
//! let mut buf = [0u8; 258];
//! let select_mf = Command::new(0x00, 0xA4, 0x00, 0x0C).with_data(&[0x3F, 0x00])?;
//! println!("{}", link.transmit(&select_mf, &mut buf)?.sw());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Thread safety: the transport is `Send`; use it from one thread at a time.

use super::at::{self, AtAnswer, AtError, CmeError, Final};
use super::{ErrorKind, Protocol, Reset, Transport};
use core::time::Duration;
use serialport::{ClearBuffer, SerialPort};
use std::boxed::Box;
use std::io::{self, Read, Write};
use std::time::Instant;
use zeroize::{Zeroize, Zeroizing};

/// How the modem port is used (3GPP TS 27.007 §8.17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ModemConfig {
    baud_rate: u32,
    command_timeout: Duration,
    init: bool,
}

impl ModemConfig {
    /// 115 200 baud, 5 s per command, `ATE0` and `AT+CMEE=1` at open
    /// (ITU-T V.250 §5.7, TS 27.007 §9.2).
    pub const DEFAULT: Self =
        ModemConfig { baud_rate: 115_200, command_timeout: Duration::from_secs(5), init: true };

    /// The bit rate of the port (USB modems ignore it) (the DTE rate: ITU-T
    /// V.250 §6.2.10, +IPR).
    #[must_use]
    pub const fn with_baud_rate(mut self, baud_rate: u32) -> Self {
        self.baud_rate = baud_rate;
        self
    }

    /// How long a command may wait for its final result code (ITU-T V.250 §5.7).
    #[must_use]
    pub const fn with_command_timeout(mut self, timeout: Duration) -> Self {
        self.command_timeout = timeout;
        self
    }

    /// Whether to send `ATE0` and `AT+CMEE=1` when the port opens (on by
    /// default; a modem that refuses `AT+CMEE=1` is used anyway)
    /// (ITU-T V.250 §5.7, TS 27.007 §9.2).
    #[must_use]
    pub const fn with_init(mut self, init: bool) -> Self {
        self.init = init;
        self
    }

    /// The bit rate (the DTE rate: ITU-T V.250 §6.2.10, +IPR).
    #[must_use]
    pub const fn baud_rate(&self) -> u32 {
        self.baud_rate
    }

    /// The time allowed per command (ITU-T V.250 §5.7).
    #[must_use]
    pub const fn command_timeout(&self) -> Duration {
        self.command_timeout
    }
}

impl Default for ModemConfig {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// What went wrong on a modem (3GPP TS 27.007 §8.17, §9.2).
///
/// Small and `Copy`; [`ModemError::kind`] classifies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ModemError {
    /// The serial device could not be opened (the AT command port of 3GPP
    /// TS 27.007 §8.17; POSIX `open`).
    #[error(
        "cannot open the modem's AT port: {kind:?} (is the path right, e.g. /dev/ttyUSB2, and may you use it?)"
    )]
    Open {
        /// What serialport said.
        kind: serialport::ErrorKind,
    },
    /// Reading, writing or configuring the port failed (POSIX I/O and termios on
    /// the AT command port of 3GPP TS 27.007 §8.17).
    #[error("modem port failed while {operation}: {kind}")]
    Io {
        /// What the transport was doing.
        operation: &'static str,
        /// What the operating system said.
        kind: io::ErrorKind,
    },
    /// No final result code within the command timeout (ITU-T V.250 §5.7).
    #[error("the modem gave no final result code within {waited_ms} ms")]
    Timeout {
        /// How long the transport waited.
        waited_ms: u64,
    },
    /// The modem answered `ERROR` (it may not offer AT+CSIM, or the SIM is
    /// not ready) (ITU-T V.250 §5.7).
    #[error("the modem answered ERROR (does it support AT+CSIM? is the SIM ready?)")]
    Error,
    /// The modem answered `+CME ERROR` (TS 27.007 §9.2).
    #[error("the modem answered {0}")]
    Cme(CmeError),
    /// The modem answered `+CMS ERROR` (an SMS error number, TS 27.005 §3.2.5).
    #[error("the modem answered +CMS ERROR {0:?}")]
    Cms(Option<u16>),
    /// An answer that does not read (TS 27.007 §8.17, ITU-T V.250 §5.7).
    #[error("unreadable answer: {0}")]
    At(AtError),
    /// `OK` without a `+CSIM:` line (TS 27.007 §8.17).
    #[error("the modem answered OK without a +CSIM response")]
    NoResponse,
    /// A `+CSIM:` response without SW1 SW2 (TS 27.007 §8.17, ISO/IEC 7816-4 §5.1.3).
    #[error("the +CSIM response has {len} bytes; a response needs SW1 SW2")]
    ResponseTooShort {
        /// Bytes received (ISO/IEC 7816-4 §5.1.3).
        len: usize,
    },
    /// The response does not fit the caller's buffer (the `+CSIM` response,
    /// 3GPP TS 27.007 §8.17).
    #[error("response of {needed} bytes does not fit a buffer of {capacity} bytes")]
    BufferTooSmall {
        /// Bytes of the response.
        needed: usize,
        /// Bytes of the buffer.
        capacity: usize,
    },
    /// A command longer than a T=0 TPDU (260 bytes) (ISO/IEC 7816-3 §12.2).
    #[error("command of {len} bytes; AT+CSIM carries at most 260")]
    CommandTooLong {
        /// Bytes of the command (ISO/IEC 7816-3 §12.2).
        len: usize,
    },
    /// The card cannot be reset through the AT port (TS 27.007 §8.17).
    #[error("a modem cannot reset the card through AT+CSIM (restart the modem, e.g. AT+CFUN, instead)")]
    ResetUnsupported,
    /// `ATE0` at open was not answered with `OK` (ITU-T V.250 §5.7).
    #[error("the modem did not accept ATE0 at open ({0:?}): is this its AT command port?")]
    InitFailed(Final),
}

impl ModemError {
    /// The generic kind: [`ErrorKind::NoReader`] for a port that does not
    /// open, [`ErrorKind::Timeout`], [`ErrorKind::Io`], [`ErrorKind::Protocol`]
    /// for an unreadable answer, the [`CmeError`]'s kind (no card for "SIM not
    /// inserted"), [`ErrorKind::Other`] otherwise (TS 27.007 §9.2).
    #[must_use]
    pub const fn kind(&self) -> ErrorKind {
        match self {
            ModemError::Open { .. } => ErrorKind::NoReader,
            ModemError::Io { .. } => ErrorKind::Io,
            ModemError::Timeout { .. } => ErrorKind::Timeout,
            ModemError::Cme(e) => e.kind(),
            ModemError::At(_) | ModemError::NoResponse | ModemError::ResponseTooShort { .. } => {
                ErrorKind::Protocol
            }
            ModemError::Error
            | ModemError::Cms(_)
            | ModemError::BufferTooSmall { .. }
            | ModemError::CommandTooLong { .. }
            | ModemError::ResetUnsupported
            | ModemError::InitFailed(_) => ErrorKind::Other,
        }
    }
}

impl super::Error for ModemError {
    fn kind(&self) -> ErrorKind {
        ModemError::kind(self)
    }
}

/// Most bytes of a command: a T=0 TPDU, 5 header bytes and 255 data bytes.
const MAX_COMMAND: usize = 260;

/// How long one read waits before the deadline is checked again.
const POLL: Duration = Duration::from_millis(20);

/// A SIM behind a modem's AT port (3GPP TS 27.007 §8.17).
pub struct ModemTransport {
    port: Box<dyn SerialPort>,
    config: ModemConfig,
    line: std::vec::Vec<u8>,
    /// The last command ended without its final result code (a timeout, an
    /// answer that did not read): the modem may still be answering it.
    owed: bool,
}

impl core::fmt::Debug for ModemTransport {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ModemTransport")
            .field("port", &self.port.name())
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl ModemTransport {
    /// Open the modem's AT port at `path` (`/dev/ttyUSB2`, `COM5`) and, unless
    /// the configuration says not to, send `ATE0` and `AT+CMEE=1` (TS 27.007 §8.17).
    ///
    /// # Errors
    /// [`ModemError::Open`]; the errors of [`ModemTransport::from_port`].
    pub fn open(path: &str, config: ModemConfig) -> Result<Self, ModemError> {
        let port = serialport::new(path, config.baud_rate)
            .timeout(POLL)
            .open()
            .map_err(|e| ModemError::Open { kind: e.kind() })?;
        Self::from_port(port, config)
    }

    /// Use an open port (a real one, or one side of a pseudo-terminal pair),
    /// initialised as [`ModemTransport::open`] does (TS 27.007 §8.17).
    ///
    /// # Errors
    /// [`ModemError::InitFailed`] when `ATE0` is refused; [`ModemError::Timeout`]
    /// when the port is silent; [`ModemError::Io`].
    pub fn from_port(port: Box<dyn SerialPort>, config: ModemConfig) -> Result<Self, ModemError> {
        let mut modem = ModemTransport { port, config, line: std::vec::Vec::with_capacity(540), owed: false };
        if config.init {
            match modem.command(b"ATE0\r")? {
                (Final::Ok, _) => {}
                (other, _) => return Err(ModemError::InitFailed(other)),
            }
            // Numeric +CME ERROR codes; a modem without AT+CMEE still works.
            modem.command(b"AT+CMEE=1\r")?;
        }
        Ok(modem)
    }

    /// The configuration (ITU-T V.250 §5.7 and §6.2.10).
    #[must_use]
    pub const fn config(&self) -> ModemConfig {
        self.config
    }

    /// Send one AT command line (with its CR) and read its answer up to the
    /// final result code.
    fn command(&mut self, line: &[u8]) -> Result<(Final, AtAnswer), ModemError> {
        if core::mem::take(&mut self.owed) {
            self.wait_for_late_answer()?;
        }
        // Whatever arrived since the last command (URCs) is stale.
        self.port
            .clear(ClearBuffer::Input)
            .map_err(|e| io_error("clearing the input", &io::Error::from(e)))?;
        self.port.write_all(line).map_err(|e| io_error("writing", &e))?;
        self.port.flush().map_err(|e| io_error("writing", &e))?;
        // Until the final result code is read, the modem owes an answer.
        self.owed = true;
        let answer = self.read_answer()?;
        self.owed = false;
        Ok(answer)
    }

    /// The previous command ended without its final result code, and TS 27.007
    /// §8.17 ties no answer to its command: an answer that comes now is that
    /// command's, and would be taken for the next one's. Read and drop what
    /// comes up to a final result code, for at most the command timeout; if
    /// none comes, the answer is taken as lost.
    fn wait_for_late_answer(&mut self) -> Result<(), ModemError> {
        match self.read_answer() {
            Ok(_) | Err(ModemError::Timeout { .. } | ModemError::At(_)) => Ok(()),
            Err(other) => Err(other),
        }
    }

    /// Read an answer up to its final result code, within the command timeout.
    fn read_answer(&mut self) -> Result<(Final, AtAnswer), ModemError> {
        let started = Instant::now();
        let deadline = started + self.config.command_timeout;
        let mut answer = AtAnswer::new();
        // What the modem sends back (an echo of the command line included, if
        // echo is on), wiped when dropped.
        let mut buf = Zeroizing::new([0u8; 256]);
        loop {
            let now = Instant::now();
            if now >= deadline {
                let waited_ms = u64::try_from(now.duration_since(started).as_millis()).unwrap_or(u64::MAX);
                return Err(ModemError::Timeout { waited_ms });
            }
            let wait = deadline.saturating_duration_since(now).min(POLL).max(Duration::from_millis(1));
            self.port.set_timeout(wait).map_err(|e| io_error("setting the timeout", &io::Error::from(e)))?;
            match self.port.read(buf.as_mut_slice()) {
                Ok(n) => {
                    if let Some(done) =
                        answer.feed(buf.get(..n).unwrap_or_default()).map_err(ModemError::At)?
                    {
                        return Ok((done, answer));
                    }
                }
                Err(e) if matches!(e.kind(), io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(io_error("reading", &e)),
            }
        }
    }

    /// Send an AT command of the caller's (`"AT+CIMI"`, without the CR) and
    /// wait for its final result code; the lines before it are not kept (ITU-T V.250 §5.7).
    ///
    /// # Errors
    /// [`ModemError::Error`], [`ModemError::Cme`], [`ModemError::Cms`] for a
    /// failure result; as [`Transport::transmit`] otherwise.
    pub fn at(&mut self, command: &str) -> Result<(), ModemError> {
        self.line.clear();
        self.line.extend_from_slice(command.as_bytes());
        self.line.push(b'\r');
        let mut line = core::mem::take(&mut self.line);
        let result = self.command(&line);
        // The caller's command may carry a code (AT+CPIN).
        line.zeroize();
        self.line = line;
        match result?.0 {
            Final::Ok => Ok(()),
            other => Err(failure(other)),
        }
    }
}

fn io_error(operation: &'static str, e: &io::Error) -> ModemError {
    ModemError::Io { operation, kind: e.kind() }
}

/// The error for a final result code other than OK.
const fn failure(done: Final) -> ModemError {
    match done {
        Final::Ok => ModemError::NoResponse,
        Final::Error => ModemError::Error,
        Final::Cme(e) => ModemError::Cme(e),
        Final::Cms(n) => ModemError::Cms(n),
    }
}

impl Transport for ModemTransport {
    type Error = ModemError;

    /// Send `command` (a T=0 TPDU) as `AT+CSIM` and return the card's
    /// response.
    fn transmit<'b>(&mut self, command: &[u8], response: &'b mut [u8]) -> Result<&'b [u8], ModemError> {
        if command.len() > MAX_COMMAND {
            return Err(ModemError::CommandTooLong { len: command.len() });
        }
        let mut line = core::mem::take(&mut self.line);
        line.clear();
        line.resize(16 + 2 * command.len(), 0);
        let result = match at::csim_command(command, &mut line) {
            Ok(bytes) => {
                let len = bytes.len();
                line.truncate(len);
                self.command(&line)
            }
            Err(_) => Err(ModemError::CommandTooLong { len: command.len() }),
        };
        // The hex of a PIN command's data is the PIN.
        line.zeroize();
        self.line = line;
        let (done, answer) = result?;
        if done != Final::Ok {
            return Err(failure(done));
        }
        let data = answer.response().ok_or(ModemError::NoResponse)?;
        if data.len() < 2 {
            return Err(ModemError::ResponseTooShort { len: data.len() });
        }
        let needed = data.len();
        let capacity = response.len();
        let out = response.get_mut(..needed).ok_or(ModemError::BufferTooSmall { needed, capacity })?;
        out.copy_from_slice(data);
        Ok(out)
    }

    /// `None`: the modem keeps the card's ATR to itself.
    fn atr(&self) -> Option<&[u8]> {
        None
    }

    /// Not possible through AT+CSIM: [`ModemError::ResetUnsupported`].
    fn reset(&mut self, _reset: Reset) -> Result<Reset, ModemError> {
        Err(ModemError::ResetUnsupported)
    }

    /// [`Protocol::T0`]: AT+CSIM carries TPDUs (TS 27.007 §8.17).
    fn protocol(&self) -> Protocol {
        Protocol::T0
    }
}
