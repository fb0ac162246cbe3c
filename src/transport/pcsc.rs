//! The PC/SC transport (feature `pcsc`): any reader the system's smart-card
//! service knows — pcsc-lite's pcscd on Linux and macOS, WinSCard on Windows —
//! through the `pcsc` crate. It wraps the calls of the PC/SC Workgroup
//! specification part 5 (`SCardEstablishContext`, `SCardListReaders`,
//! `SCardConnect`, `SCardStatus`, `SCardTransmit`, `SCardReconnect`,
//! `SCardBeginTransaction`, `SCardDisconnect`).
//!
//! | Need | Here |
//! |---|---|
//! | which readers there are | [`readers`] |
//! | a reader by name, or the first with a card | [`PcscTransport::connect`], [`PcscTransport::connect_first`] |
//! | shared or exclusive access, T=0, T=1 or either | [`PcscConfig`] |
//! | the ATR | [`Transport::atr`], read from the card status |
//! | one command APDU, up to extended length | [`Transport::transmit`] (a 65 538-byte receive buffer) |
//! | a cold or warm reset | [`Transport::reset`] (`SCardReconnect` with unpower / reset) |
//! | several commands no other program can interleave | [`PcscTransport::transaction`] |
//! | disconnect | on drop, with the configured [`Disposition`] |
//!
//! Building needs the PC/SC headers and library (Debian: `apt install
//! libpcsclite-dev pkg-config`); running needs the service (`apt install
//! pcscd`). Nothing else in simcore does.
//!
//! Errors say what to do. [`PcscError`]'s [`kind`](Error::kind) is the
//! transport's [`ErrorKind`] (`SCARD_E_NO_SERVICE` → [`ErrorKind::NoService`],
//! `SCARD_E_NO_READERS_AVAILABLE` → [`ErrorKind::NoReader`],
//! `SCARD_E_NO_SMARTCARD` → [`ErrorKind::NoCard`], `SCARD_W_REMOVED_CARD` →
//! [`ErrorKind::CardRemoved`] …) and its message carries a hint ("is pcscd
//! running? On Debian: apt install pcscd, then start pcscd").
//!
//! Recovery: when pcscd restarts, every context and card handle of the old
//! daemon is dead. A call that finds its context lost establishes a new one
//! and reconnects to the same reader at once; if that works the call fails
//! with [`PcscError::Reconnected`] (the card was power-cycled: the selected
//! file and the verified PIN are gone, so the caller must start over), and
//! the next call goes through. If pcscd is not back yet the call fails with
//! [`ErrorKind::NoService`] and the next call tries again. The same happens
//! after a card was removed and put back, or reset by another program.
//! The transport never sends a command to a card whose reset its caller has
//! not been told about.
//!
//! ```no_run
//! use simcore::transport::pcsc::{PcscConfig, PcscTransport, readers};
//! use simcore::transport::{Link, Transport};
//! use simcore::apdu::Command;
//!
//! println!("readers: {:?}", readers()?);
//! let card = PcscTransport::connect_first(PcscConfig::DEFAULT)?;
//! println!("{}: ATR {:02X?}", card.reader(), card.atr());
//! let mut link = Link::new(card);
//! let mut buf = [0u8; 258];
//! let select_mf = Command::new(0x00, 0xA4, 0x00, 0x0C).with_data(&[0x3F, 0x00])?;
//! println!("{}", link.transmit(&select_mf, &mut buf)?.sw());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Thread safety: the transport is `Send`; PC/SC itself serialises commands
//! from several programs, and a [`PcscTransaction`] keeps the card to one.

use super::{Error, ErrorKind, Protocol, Reset, Transport};
use core::time::Duration;
use std::boxed::Box;
use std::ffi::CString;
use std::string::String;
use std::vec;
use std::vec::Vec;

/// The largest response PC/SC carries: an extended APDU's 65 536 data bytes,
/// SW1 SW2 and room the drivers use (pcsc-lite's `MAX_BUFFER_SIZE_EXTENDED`).
pub const MAX_RESPONSE_LEN: usize = ::pcsc::MAX_BUFFER_SIZE_EXTENDED;

/// How long a failed command waits for pcscd to report a removed card before
/// calling the failure an input/output error (pcscd polls some readers, vpcd
/// among them, every 400 ms).
const REMOVAL_POLL: Duration = Duration::from_millis(1000);

/// How the connection shares the reader (`dwShareMode` of `SCardConnect`) (PC/SC part 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ShareMode {
    /// Other programs may use the card between commands (`SCARD_SHARE_SHARED`) (PC/SC part 5).
    Shared,
    /// No other program may connect (`SCARD_SHARE_EXCLUSIVE`) (PC/SC part 5).
    Exclusive,
    /// A connection to the reader, not the card (`SCARD_SHARE_DIRECT`): no
    /// protocol, so no APDUs; for reader control only (PC/SC part 5).
    Direct,
}

/// The protocols the connection accepts (`dwPreferredProtocols`), ISO/IEC
/// 7816-3 T=0 and T=1 (§10, §11; PC/SC part 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PreferredProtocol {
    /// T=0 only (ISO/IEC 7816-3 §10).
    T0,
    /// T=1 only (ISO/IEC 7816-3 §11).
    T1,
    /// Whichever the reader and card agree on (PC/SC part 5, `SCardConnect`).
    Any,
}

/// What happens to the card when the transport lets it go
/// (`dwDisposition` of `SCardDisconnect`) (PC/SC part 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Disposition {
    /// Leave the card as it is: a verified PIN stays verified for the next
    /// program (PC/SC part 5).
    Leave,
    /// Warm reset: verifications are forgotten (ISO/IEC 7816-3 §6.2.3; PC/SC part 5).
    Reset,
    /// Power the card down (PC/SC part 5).
    Unpower,
}

/// How to connect (PC/SC part 5, `SCardConnect` and `SCardDisconnect`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PcscConfig {
    share: ShareMode,
    protocol: PreferredProtocol,
    disposition: Disposition,
}

impl PcscConfig {
    /// Shared access, T=0 or T=1, and a reset on disconnect so that a
    /// verified PIN does not outlive the session
    /// (PC/SC part 5, `SCardConnect` and `SCardDisconnect`).
    pub const DEFAULT: Self = PcscConfig {
        share: ShareMode::Shared,
        protocol: PreferredProtocol::Any,
        disposition: Disposition::Reset,
    };

    /// The share mode (PC/SC part 5, `SCardConnect`).
    #[must_use]
    pub const fn with_share_mode(mut self, share: ShareMode) -> Self {
        self.share = share;
        self
    }

    /// The protocols accepted (PC/SC part 5, `SCardConnect`).
    #[must_use]
    pub const fn with_protocol(mut self, protocol: PreferredProtocol) -> Self {
        self.protocol = protocol;
        self
    }

    /// What disconnecting does to the card (PC/SC part 5, `SCardDisconnect`).
    #[must_use]
    pub const fn with_disposition(mut self, disposition: Disposition) -> Self {
        self.disposition = disposition;
        self
    }

    /// The share mode (PC/SC part 5, `SCardConnect`).
    #[must_use]
    pub const fn share_mode(&self) -> ShareMode {
        self.share
    }

    /// The protocols accepted (PC/SC part 5, `SCardConnect`).
    #[must_use]
    pub const fn protocol(&self) -> PreferredProtocol {
        self.protocol
    }

    /// What disconnecting does to the card (PC/SC part 5, `SCardDisconnect`).
    #[must_use]
    pub const fn disposition(&self) -> Disposition {
        self.disposition
    }

    fn raw_share(&self) -> ::pcsc::ShareMode {
        match self.share {
            ShareMode::Shared => ::pcsc::ShareMode::Shared,
            ShareMode::Exclusive => ::pcsc::ShareMode::Exclusive,
            ShareMode::Direct => ::pcsc::ShareMode::Direct,
        }
    }

    fn raw_protocols(&self) -> ::pcsc::Protocols {
        match (self.share, self.protocol) {
            // SCardConnect in direct mode takes no protocol.
            (ShareMode::Direct, _) => ::pcsc::Protocols::UNDEFINED,
            (_, PreferredProtocol::T0) => ::pcsc::Protocols::T0,
            (_, PreferredProtocol::T1) => ::pcsc::Protocols::T1,
            (_, PreferredProtocol::Any) => ::pcsc::Protocols::ANY,
        }
    }
}

impl Default for PcscConfig {
    fn default() -> Self {
        Self::DEFAULT
    }
}

const fn raw_disposition(disposition: Disposition) -> ::pcsc::Disposition {
    match disposition {
        Disposition::Leave => ::pcsc::Disposition::LeaveCard,
        Disposition::Reset => ::pcsc::Disposition::ResetCard,
        Disposition::Unpower => ::pcsc::Disposition::UnpowerCard,
    }
}

/// What went wrong with PC/SC. Small and `Copy`; the message names the call
/// and says what to try.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PcscError {
    /// A PC/SC call failed.
    #[error("{operation}: {error} ({})", hint(*.error))]
    Call {
        /// What the transport was doing ("connecting to the reader").
        operation: &'static str,
        /// The PC/SC error (`SCARD_E_…`, `SCARD_W_…`).
        error: ::pcsc::Error,
    },
    /// Readers, but no card in any of them (PC/SC part 5).
    #[error("no card in any of the {readers} reader(s): insert one")]
    NoCard {
        /// How many readers there are (PC/SC part 5, `SCardListReaders`).
        readers: usize,
    },
    /// The connection is in direct mode: it has no protocol and carries no
    /// APDUs (PC/SC part 5, `SCardConnect`).
    #[error("the connection is in direct mode and carries no APDUs: connect in shared or exclusive mode")]
    DirectMode,
    /// The command is longer than PC/SC carries.
    #[error("command of {len} bytes is longer than PC/SC carries ({max} bytes)")]
    CommandTooLong {
        /// Length of the command (ISO/IEC 7816-4 §5.1).
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The response does not fit the caller's buffer (PC/SC part 5,
    /// `SCardTransmit`: `SCARD_E_INSUFFICIENT_BUFFER`).
    #[error(
        "response of {needed} bytes does not fit the {capacity}-byte buffer (the card executed the command)"
    )]
    BufferTooSmall {
        /// Bytes of the response.
        needed: usize,
        /// Bytes of the buffer.
        capacity: usize,
    },
    /// The card was reset (pcscd restarted, the card was put back, or another
    /// program reset it); the transport reconnected, and the card's state —
    /// the selected file, a verified PIN — is gone. The next call goes
    /// through (PC/SC part 5, `SCardReconnect`).
    #[error(
        "the card was reset ({cause}); reconnected, but the selected file and any verified PIN are gone: start again"
    )]
    Reconnected {
        /// What told the transport (PC/SC part 5).
        cause: ::pcsc::Error,
    },
}

/// A hint a person can act on, for each PC/SC error worth one.
const fn hint(error: ::pcsc::Error) -> &'static str {
    use ::pcsc::Error as E;
    match error {
        E::NoService | E::ServiceStopped | E::InvalidHandle => {
            "is pcscd running? On Debian: apt install pcscd, then start pcscd (systemctl start pcscd.socket, or pcscd -f)"
        }
        E::NoReadersAvailable => {
            "no reader: plug one in (the virtual SIM's reader comes from vsmartcard-vpcd's /etc/reader.conf.d/vpcd)"
        }
        E::UnknownReader | E::ReaderUnavailable => {
            "no reader of that name: list the readers (simcore::transport::pcsc::readers, or pcsc_scan) and use one"
        }
        E::NoSmartcard => "insert the SIM (contacts down, cut corner first) and try again",
        E::RemovedCard => "the card was removed during the session: put it back and start again",
        E::ResetCard => "another program reset the card: start again",
        E::UnpoweredCard | E::UnresponsiveCard | E::UnsupportedCard => {
            "the card does not answer to reset: check that it sits well, or try another reader"
        }
        E::SharingViolation => {
            "another program holds the card (exclusive mode or a transaction): close it (scdaemon, a browser) or connect shared"
        }
        E::ProtoMismatch => {
            "the card does not speak the protocol asked for: connect with PreferredProtocol::Any"
        }
        _ => kind_of(error).hint(),
    }
}

/// The transport's kind for a PC/SC error.
const fn kind_of(error: ::pcsc::Error) -> ErrorKind {
    use ::pcsc::Error as E;
    match error {
        E::NoService | E::ServiceStopped | E::InvalidHandle => ErrorKind::NoService,
        E::NoReadersAvailable | E::UnknownReader | E::ReaderUnavailable | E::ReaderUnsupported => {
            ErrorKind::NoReader
        }
        E::NoSmartcard | E::UnresponsiveCard | E::UnsupportedCard => ErrorKind::NoCard,
        E::RemovedCard | E::ResetCard | E::UnpoweredCard => ErrorKind::CardRemoved,
        E::Timeout | E::WaitedTooLong => ErrorKind::Timeout,
        E::ProtoMismatch | E::InvalidAtr | E::CardUnsupported => ErrorKind::Protocol,
        E::CommError | E::CommDataLost | E::NotTransacted => ErrorKind::Io,
        _ => ErrorKind::Other,
    }
}

/// Errors after which the context (or its handles) belong to a daemon that
/// is gone.
const fn context_lost(error: ::pcsc::Error) -> bool {
    matches!(error, ::pcsc::Error::NoService | ::pcsc::Error::ServiceStopped | ::pcsc::Error::InvalidHandle)
}

impl PcscError {
    fn call(operation: &'static str) -> impl Fn(::pcsc::Error) -> PcscError {
        move |error| PcscError::Call { operation, error }
    }

    /// The PC/SC error underneath, if any.
    #[must_use]
    pub const fn pcsc_error(&self) -> Option<::pcsc::Error> {
        match *self {
            PcscError::Call { error, .. } | PcscError::Reconnected { cause: error } => Some(error),
            _ => None,
        }
    }
}

impl Error for PcscError {
    fn kind(&self) -> ErrorKind {
        match *self {
            PcscError::Call { error, .. } => kind_of(error),
            PcscError::NoCard { .. } => ErrorKind::NoCard,
            PcscError::Reconnected { .. } => ErrorKind::CardRemoved,
            PcscError::DirectMode | PcscError::CommandTooLong { .. } | PcscError::BufferTooSmall { .. } => {
                ErrorKind::Other
            }
        }
    }
}

fn establish() -> Result<::pcsc::Context, PcscError> {
    ::pcsc::Context::establish(::pcsc::Scope::User).map_err(PcscError::call("connecting to pcscd"))
}

fn list(context: &::pcsc::Context) -> Result<Vec<CString>, PcscError> {
    match context.list_readers_owned() {
        Ok(names) => Ok(names),
        Err(::pcsc::Error::NoReadersAvailable) => Ok(Vec::new()),
        Err(error) => Err(PcscError::Call { operation: "listing the readers", error }),
    }
}

/// The names of the readers the smart-card service knows (`SCardListReaders`),
/// empty when there are none (PC/SC part 5).
///
/// # Errors
/// [`PcscError::Call`] with kind [`ErrorKind::NoService`] when pcscd is not
/// running.
pub fn readers() -> Result<Vec<String>, PcscError> {
    let context = establish()?;
    Ok(list(&context)?.into_iter().map(|name| name.to_string_lossy().into_owned()).collect())
}

/// What the card said at the last connect or reset.
#[derive(Debug, Clone)]
struct CardState {
    atr: Vec<u8>,
    protocol: Option<Protocol>,
}

impl CardState {
    const fn empty() -> Self {
        CardState { atr: Vec::new(), protocol: None }
    }

    /// The card status of a connection made with `share`. pcsc-lite's
    /// `SCardStatus` reports the protocol of the reader, which another
    /// program's connection may have negotiated: a direct connection has none
    /// of its own whatever it says.
    fn read(card: &::pcsc::Card, share: ShareMode) -> Result<Self, PcscError> {
        let status = card.status2_owned().map_err(PcscError::call("reading the card status"))?;
        let protocol = status.protocol2().filter(|_| share != ShareMode::Direct).map(|p| match p {
            ::pcsc::Protocol::T0 => Protocol::T0,
            ::pcsc::Protocol::T1 => Protocol::T1,
            ::pcsc::Protocol::RAW => Protocol::Other,
        });
        Ok(CardState { atr: status.atr().to_vec(), protocol })
    }
}

/// One `SCardTransmit` through `card`, received into `scratch` (large enough
/// for any response) unless `response` is at least as large.
fn transmit_on<'b>(
    card: &::pcsc::Card,
    state: &CardState,
    scratch: &mut [u8],
    command: &[u8],
    response: &'b mut [u8],
) -> Result<&'b [u8], PcscError> {
    if state.protocol.is_none() {
        return Err(PcscError::DirectMode);
    }
    if command.len() > MAX_RESPONSE_LEN {
        return Err(PcscError::CommandTooLong { len: command.len(), max: MAX_RESPONSE_LEN });
    }
    let capacity = response.len();
    if capacity >= MAX_RESPONSE_LEN {
        let room = response.get_mut(..MAX_RESPONSE_LEN).unwrap_or_default();
        let len = receive(card, command, room)?.len();
        return Ok(response.get(..len).unwrap_or_default());
    }
    let got = receive(card, command, scratch)?;
    let out =
        response.get_mut(..got.len()).ok_or(PcscError::BufferTooSmall { needed: got.len(), capacity })?;
    out.copy_from_slice(got);
    Ok(out)
}

fn receive<'r>(card: &::pcsc::Card, command: &[u8], room: &'r mut [u8]) -> Result<&'r [u8], PcscError> {
    let capacity = room.len();
    card.transmit2(command, room).map_err(|(error, needed)| match error {
        ::pcsc::Error::InsufficientBuffer => PcscError::BufferTooSmall { needed, capacity },
        error => PcscError::Call { operation: "sending the command", error },
    })
}

/// A card in a PC/SC reader, implementing [`Transport`].
pub struct PcscTransport {
    context: Option<::pcsc::Context>,
    card: Option<::pcsc::Card>,
    reader: String,
    config: PcscConfig,
    state: CardState,
    scratch: Box<[u8]>,
}

impl core::fmt::Debug for PcscTransport {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PcscTransport")
            .field("reader", &self.reader)
            .field("config", &self.config)
            .field("connected", &self.card.is_some())
            .field("atr", &crate::hex::Hex(&self.state.atr))
            .field("protocol", &self.state.protocol)
            .finish_non_exhaustive()
    }
}

impl PcscTransport {
    /// Connects to the card in the reader named `reader` (as [`readers`]
    /// lists it) (PC/SC part 5, `SCardConnect`).
    ///
    /// # Errors
    /// [`PcscError::Call`]: `SCARD_E_NO_SERVICE` (pcscd not running),
    /// `SCARD_E_UNKNOWN_READER`, `SCARD_E_NO_SMARTCARD`,
    /// `SCARD_E_SHARING_VIOLATION` …, each with its hint.
    pub fn connect(reader: &str, config: PcscConfig) -> Result<Self, PcscError> {
        let context = establish()?;
        let name = CString::new(reader).map_err(|_| PcscError::Call {
            operation: "connecting to the reader",
            error: ::pcsc::Error::UnknownReader,
        })?;
        let card = context
            .connect(&name, config.raw_share(), config.raw_protocols())
            .map_err(PcscError::call("connecting to the reader"))?;
        Self::assemble(context, card, String::from(reader), config)
    }

    /// Connects to the first reader (in the service's order) that has a card
    /// (PC/SC part 5, `SCardListReaders`, `SCardConnect`).
    ///
    /// # Errors
    /// `SCARD_E_NO_READERS_AVAILABLE` (kind [`ErrorKind::NoReader`]) when
    /// there is no reader; [`PcscError::NoCard`] when no reader has a card;
    /// `SCARD_E_SHARING_VIOLATION` when the only cards are held by other
    /// programs; `SCARD_E_NO_SERVICE` when pcscd is not running.
    pub fn connect_first(config: PcscConfig) -> Result<Self, PcscError> {
        let context = establish()?;
        let names = list(&context)?;
        if names.is_empty() {
            return Err(PcscError::Call {
                operation: "looking for a reader",
                error: ::pcsc::Error::NoReadersAvailable,
            });
        }
        let mut held = false;
        for name in &names {
            match context.connect(name, config.raw_share(), config.raw_protocols()) {
                Ok(card) => {
                    let reader = name.to_string_lossy().into_owned();
                    return Self::assemble(context, card, reader, config);
                }
                Err(::pcsc::Error::SharingViolation) => held = true,
                Err(error) if matches!(kind_of(error), ErrorKind::NoCard | ErrorKind::CardRemoved) => {}
                Err(error) => return Err(PcscError::Call { operation: "connecting to the reader", error }),
            }
        }
        Err(if held {
            PcscError::Call { operation: "connecting to the reader", error: ::pcsc::Error::SharingViolation }
        } else {
            PcscError::NoCard { readers: names.len() }
        })
    }

    fn assemble(
        context: ::pcsc::Context,
        card: ::pcsc::Card,
        reader: String,
        config: PcscConfig,
    ) -> Result<Self, PcscError> {
        let state = CardState::read(&card, config.share_mode())?;
        Ok(PcscTransport {
            context: Some(context),
            card: Some(card),
            reader,
            config,
            state,
            scratch: vec![0u8; MAX_RESPONSE_LEN].into_boxed_slice(),
        })
    }

    /// The reader's name (PC/SC part 5, `SCardListReaders`).
    #[must_use]
    pub fn reader(&self) -> &str {
        &self.reader
    }

    /// The connection settings (PC/SC part 5, `SCardConnect` and `SCardDisconnect`).
    #[must_use]
    pub const fn config(&self) -> &PcscConfig {
        &self.config
    }

    /// Whether the transport holds a live connection (it has none between a
    /// lost context or card and the next successful reconnection) (PC/SC part 5, `SCardReconnect`).
    #[must_use]
    pub const fn is_connected(&self) -> bool {
        self.card.is_some()
    }

    /// Drops the dead handles and connects again to the same reader with a
    /// new context (`SCardEstablishContext`, `SCardConnect`).
    fn reestablish(&mut self) -> Result<(), PcscError> {
        // The card handle before its context.
        self.card = None;
        self.context = None;
        self.state = CardState::empty();
        let context = establish()?;
        let name = CString::new(self.reader.as_str()).map_err(|_| PcscError::Call {
            operation: "reconnecting to the reader",
            error: ::pcsc::Error::UnknownReader,
        })?;
        let card = context
            .connect(&name, self.config.raw_share(), self.config.raw_protocols())
            .map_err(PcscError::call("reconnecting to the reader"))?;
        self.state = CardState::read(&card, self.config.share_mode())?;
        self.context = Some(context);
        self.card = Some(card);
        Ok(())
    }

    /// After `error` on a live connection: decide what the caller hears and
    /// leave the transport ready for the next call.
    fn recover(&mut self, error: PcscError) -> PcscError {
        let Some(cause) = error.pcsc_error() else { return error };
        let cause = match cause {
            // An unclear failure: the card may have gone, which the reader's
            // state will say once pcscd has polled it.
            ::pcsc::Error::CommError | ::pcsc::Error::NotTransacted | ::pcsc::Error::UnknownError => {
                if self.card_gone() {
                    ::pcsc::Error::RemovedCard
                } else {
                    return error;
                }
            }
            cause => cause,
        };
        if context_lost(cause) {
            // pcscd went away: try the new one at once.
            return match self.reestablish() {
                Ok(()) => PcscError::Reconnected { cause },
                Err(_) => error,
            };
        }
        match cause {
            ::pcsc::Error::ResetCard => {
                // SCARD_W_RESET_CARD must be acknowledged with SCardReconnect.
                let reconnected = self.card.as_mut().map(|card| {
                    card.reconnect(
                        self.config.raw_share(),
                        self.config.raw_protocols(),
                        ::pcsc::Disposition::LeaveCard,
                    )
                });
                match reconnected {
                    Some(Ok(())) => {
                        if let Some(state) = self
                            .card
                            .as_ref()
                            .and_then(|card| CardState::read(card, self.config.share_mode()).ok())
                        {
                            self.state = state;
                        }
                        PcscError::Reconnected { cause }
                    }
                    _ => {
                        self.card = None;
                        PcscError::Call { operation: "sending the command", error: cause }
                    }
                }
            }
            cause if matches!(kind_of(cause), ErrorKind::CardRemoved | ErrorKind::NoCard) => {
                // The caller is told now; the next call reconnects.
                self.card = None;
                PcscError::Call { operation: "sending the command", error: cause }
            }
            _ => error,
        }
    }

    /// Whether the reader reports no card, waiting up to [`REMOVAL_POLL`] for
    /// pcscd to notice (`SCardGetStatusChange`).
    fn card_gone(&self) -> bool {
        let (Some(context), Ok(name)) = (self.context.as_ref(), CString::new(self.reader.as_str())) else {
            return false;
        };
        let mut states = [::pcsc::ReaderState::new(name, ::pcsc::State::UNAWARE)];
        if context.get_status_change(Some(Duration::ZERO), &mut states).is_err() {
            return false;
        }
        let empty = |states: &[::pcsc::ReaderState]| {
            states
                .iter()
                .any(|s| s.event_state().intersects(::pcsc::State::EMPTY | ::pcsc::State::UNAVAILABLE))
        };
        if empty(&states) {
            return true;
        }
        for state in &mut states {
            state.sync_current_state();
        }
        context.get_status_change(Some(REMOVAL_POLL), &mut states).is_ok() && empty(&states)
    }

    /// A live card handle, reconnecting first when the last call lost it
    /// (the caller was told then).
    fn live(&mut self) -> Result<(), PcscError> {
        if self.card.is_none() {
            self.reestablish()?;
        }
        Ok(())
    }

    /// Starts a transaction (`SCardBeginTransaction`): until it ends, no
    /// other program can send commands to the card. The transaction is itself
    /// a [`Transport`]; it ends when dropped (leaving the card as it is) or
    /// with [`PcscTransaction::end`].
    ///
    /// # Errors
    /// The PC/SC error, e.g. `SCARD_E_SHARING_VIOLATION` while another
    /// program's transaction lasts (pcsc-lite waits for it first), or
    /// `SCARD_W_RESET_CARD` (then the transport reconnects:
    /// [`PcscError::Reconnected`]).
    pub fn transaction(&mut self) -> Result<PcscTransaction<'_>, PcscError> {
        self.live()?;
        // A probe, ended at once, so that a failure can be recovered from:
        // the borrow checker does not let a method both return a borrow of a
        // field and, on the other path, repair `self`.
        let begun = match self.card.as_mut() {
            Some(card) => card.transaction2().map(drop).map_err(|(_, error)| error),
            None => Err(::pcsc::Error::InvalidHandle),
        };
        if let Err(error) = begun {
            return Err(self.recover(PcscError::Call { operation: "beginning a transaction", error }));
        }
        let PcscTransport { card, config, state, scratch, .. } = self;
        let card = card.as_mut().ok_or(PcscError::Call {
            operation: "beginning a transaction",
            error: ::pcsc::Error::InvalidHandle,
        })?;
        let transaction = card.transaction().map_err(PcscError::call("beginning a transaction"))?;
        Ok(PcscTransaction { transaction, config: *config, state, scratch })
    }
}

impl Transport for PcscTransport {
    type Error = PcscError;

    /// `SCardTransmit`: one command APDU (up to extended length) and its
    /// response. On T=0 the reader or driver works at TPDU level, so
    /// [`Link`](super::Link) maps case 4 to case 3 (resolved Q11).
    fn transmit<'b>(&mut self, command: &[u8], response: &'b mut [u8]) -> Result<&'b [u8], PcscError> {
        self.live()?;
        let result = match self.card.as_ref() {
            Some(card) => {
                transmit_on(card, &self.state, &mut self.scratch, command, response).map(<[u8]>::len)
            }
            None => {
                Err(PcscError::Call { operation: "sending the command", error: ::pcsc::Error::InvalidHandle })
            }
        };
        match result {
            Ok(len) => Ok(response.get(..len).unwrap_or_default()),
            Err(error) => Err(self.recover(error)),
        }
    }

    /// The ATR from the card status (`SCardStatus`) at the last connect or
    /// reset; `None` while disconnected.
    fn atr(&self) -> Option<&[u8]> {
        if self.card.is_some() && !self.state.atr.is_empty() { Some(&self.state.atr) } else { None }
    }

    /// `SCardReconnect` with `SCARD_UNPOWER_CARD` (cold) or
    /// `SCARD_RESET_CARD` (warm), then the ATR again. When the connection was
    /// lost (pcscd restarted, card put back) a new one is made first, and the
    /// card reset on it as asked: `SCardConnect` resets nothing, so another
    /// program's verified PIN would outlive a "reset" that only reconnected.
    fn reset(&mut self, reset: Reset) -> Result<Reset, PcscError> {
        if self.card.is_none() {
            self.reestablish()?;
        }
        let initialization = match reset {
            Reset::Cold => ::pcsc::Disposition::UnpowerCard,
            Reset::Warm => ::pcsc::Disposition::ResetCard,
        };
        let (share, protocols) = (self.config.raw_share(), self.config.raw_protocols());
        let mut connected_again = false;
        loop {
            let result = match self.card.as_mut() {
                Some(card) => card.reconnect(share, protocols, initialization),
                None => Err(::pcsc::Error::InvalidHandle),
            };
            match result {
                Ok(()) => break,
                Err(error)
                    if !connected_again
                        && (context_lost(error) || matches!(kind_of(error), ErrorKind::CardRemoved)) =>
                {
                    self.reestablish()?;
                    connected_again = true;
                }
                Err(error) => return Err(PcscError::Call { operation: "resetting the card", error }),
            }
        }
        if let Some(card) = self.card.as_ref() {
            self.state = CardState::read(card, self.config.share_mode())?;
        }
        Ok(reset)
    }

    /// T=0 or T=1 as negotiated; [`Protocol::Other`] for a raw or direct
    /// connection.
    fn protocol(&self) -> Protocol {
        self.state.protocol.unwrap_or(Protocol::Other)
    }
}

/// Disconnects with the configured [`Disposition`] (`SCardDisconnect`).
impl Drop for PcscTransport {
    fn drop(&mut self) {
        if let Some(card) = self.card.take() {
            // On failure pcsc's own drop disconnects again with a reset.
            let _ = card.disconnect(raw_disposition(self.config.disposition));
        }
    }
}

/// A PC/SC transaction (`SCardBeginTransaction` … `SCardEndTransaction`):
/// the card answers this program only until it ends. It is a [`Transport`];
/// it does not reconnect by itself (a reset or a lost daemon ends it with an
/// error, after which the [`PcscTransport`] recovers on its next call).
pub struct PcscTransaction<'a> {
    transaction: ::pcsc::Transaction<'a>,
    config: PcscConfig,
    state: &'a mut CardState,
    scratch: &'a mut Box<[u8]>,
}

impl core::fmt::Debug for PcscTransaction<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PcscTransaction").field("protocol", &self.state.protocol).finish_non_exhaustive()
    }
}

impl PcscTransaction<'_> {
    /// Ends the transaction, doing `disposition` to the card
    /// (`SCardEndTransaction`).
    ///
    /// # Errors
    /// The PC/SC error (the transaction is ended by the drop then, leaving the
    /// card as it is).
    pub fn end(self, disposition: Disposition) -> Result<(), PcscError> {
        self.transaction
            .end(raw_disposition(disposition))
            .map_err(|(_, error)| PcscError::Call { operation: "ending the transaction", error })
    }
}

impl Transport for PcscTransaction<'_> {
    type Error = PcscError;

    fn transmit<'b>(&mut self, command: &[u8], response: &'b mut [u8]) -> Result<&'b [u8], PcscError> {
        transmit_on(&self.transaction, self.state, self.scratch, command, response)
    }

    fn atr(&self) -> Option<&[u8]> {
        if self.state.atr.is_empty() { None } else { Some(&self.state.atr) }
    }

    fn reset(&mut self, reset: Reset) -> Result<Reset, PcscError> {
        let initialization = match reset {
            Reset::Cold => ::pcsc::Disposition::UnpowerCard,
            Reset::Warm => ::pcsc::Disposition::ResetCard,
        };
        self.transaction
            .reconnect(self.config.raw_share(), self.config.raw_protocols(), initialization)
            .map_err(PcscError::call("resetting the card"))?;
        *self.state = CardState::read(&self.transaction, self.config.share_mode())?;
        Ok(reset)
    }

    fn protocol(&self) -> Protocol {
        self.state.protocol.unwrap_or(Protocol::Other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    #[test]
    fn errors_map_to_kinds_with_hints() {
        let no_service =
            PcscError::Call { operation: "connecting to pcscd", error: ::pcsc::Error::NoService };
        assert_eq!(no_service.kind(), ErrorKind::NoService);
        let text = no_service.to_string();
        assert!(text.contains("is pcscd running? On Debian: apt install pcscd, then start pcscd"), "{text}");
        let cases = [
            (::pcsc::Error::NoReadersAvailable, ErrorKind::NoReader, "plug one in"),
            (::pcsc::Error::UnknownReader, ErrorKind::NoReader, "list the readers"),
            (::pcsc::Error::NoSmartcard, ErrorKind::NoCard, "insert the SIM"),
            (::pcsc::Error::RemovedCard, ErrorKind::CardRemoved, "removed during the session"),
            (::pcsc::Error::SharingViolation, ErrorKind::Other, "another program holds the card"),
            (::pcsc::Error::Timeout, ErrorKind::Timeout, ErrorKind::Timeout.hint()),
        ];
        for (error, kind, words) in cases {
            let e = PcscError::Call { operation: "x", error };
            assert_eq!(e.kind(), kind, "{error:?}");
            assert!(e.to_string().contains(words), "{e}");
        }
        assert_eq!(PcscError::Reconnected { cause: ::pcsc::Error::NoService }.kind(), ErrorKind::CardRemoved);
        assert_eq!(PcscError::NoCard { readers: 2 }.kind(), ErrorKind::NoCard);
    }

    #[test]
    fn config_maps_to_pcsc() {
        let c = PcscConfig::DEFAULT;
        assert_eq!((c.raw_share(), c.raw_protocols()), (::pcsc::ShareMode::Shared, ::pcsc::Protocols::ANY));
        let c = c.with_share_mode(ShareMode::Exclusive).with_protocol(PreferredProtocol::T0);
        assert_eq!((c.raw_share(), c.raw_protocols()), (::pcsc::ShareMode::Exclusive, ::pcsc::Protocols::T0));
        let c = c.with_share_mode(ShareMode::Direct);
        assert_eq!(c.raw_protocols(), ::pcsc::Protocols::UNDEFINED);
        assert_eq!(raw_disposition(Disposition::Leave), ::pcsc::Disposition::LeaveCard);
    }
}
