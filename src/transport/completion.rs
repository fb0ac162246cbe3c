//! Response completion above the transport, written once for every backend:
//! ISO/IEC 7816-3 §12.2 (T=0 mapping of the cases), ISO/IEC 7816-4 §5.1.3 and
//! §7.6.1 (61XX, 6CXX, GET RESPONSE), TS 51.011 §9.4.1 (9FXX) and TS 102 221
//! §7.3.1.1.4 and §12.1.1 (the UICC's T=0 rules).
//!
//! [`Link::transmit`] sends a [`Command`] and returns the complete [`Response`]:
//!
//! | Card answers | Link does |
//! |---|---|
//! | (T=0 link) | sends a TPDU: case 1 with P3 = 00, case 4 as case 3 (Le dropped, [`Command::to_t0`]) |
//! | 61 XX | GET RESPONSE with the command's class (logical channel kept, see [`get_response_cla`]) and Le = XX (00 = 256); repeated 61 XX are followed and the data concatenated; the card decides the length, so the data can be longer than the command's Ne |
//! | 9F XX | GET RESPONSE with CLA A0, Le = XX (classic SIM) |
//! | 9E XX | the same (TS 51.011 §9.4.1: the response data of a SIM data download error); the caller gets the data with 9E XX, not the 90 00 of the GET RESPONSE, so the error is not lost |
//! | 61 XX or 9F XX after a command without Ne | as above, unless [`Options::with_fetch_unrequested`] is off: then the caller gets the status word and no GET RESPONSE is sent |
//! | 6C XX | resends the last command with Le = XX when it has an Le to correct (case 2 or 4: never a PIN command, which would spend an attempt per resend; on T=0 only a TPDU without data, which is the only one that can carry Le) |
//! | 67 XX (XX ≠ 00) after a classic SIM's STATUS, READ BINARY, READ RECORD, GET RESPONSE or FETCH (class A0) | resends with Le = XX, the P3 the card names (TS 51.011 §9.4.6; [`StatusWord::action_for`]); 67 XX after any other command, and 67 00 always, go to the caller |
//! | 6C XX or 67 XX naming the Le just sent | nothing more: the caller gets the status word instead of the same command again |
//! | 91 XX | nothing more: the caller gets 91 XX (a proactive command waits for FETCH) |
//! | 62XX, 63XX, 9XXX ≠ 9000 after the case-3 part of a case-4 command on T=0 | with [`Options::with_uicc_case4_warnings`] (TS 102 221 §7.3.1.1.4): GET RESPONSE with Le = 00; the caller gets the data with the warning |
//! | 90 00 after the case-3 part of a case-4 command on T=0 | with [`Options::with_iso_case4_get_response`] (ISO/IEC 7816-3 §12.2.5, case 4S.2): GET RESPONSE with Le = Ne |
//!
//! The status words' meanings come from [`StatusWord::action_for`]; nothing here
//! re-derives them. Every exchange is bounded: at most
//! [`Options::max_exchanges`] per command (16 by default), so a card that
//! answers 61XX forever ends with [`CompletionError::TooManyExchanges`]; and the
//! response never exceeds the caller's buffer ([`CompletionError::BufferTooSmall`],
//! checked before asking for bytes the buffer cannot hold).
//!
//! No allocation: a command is encoded into a 261-byte buffer on the stack
//! (every short APDU fits; longer extended commands are refused with
//! [`CompletionError::CommandTooLong`]), wiped after each call because it may
//! hold a PIN. The response is written straight into the caller's buffer when
//! 258 bytes or more remain, else received on the stack and copied.
//!
//! ```
//! # #[cfg(feature = "std")] {
//! use simcore::apdu::Command;
//! use simcore::transport::mock::MockTransport;
//! use simcore::transport::{Link, Protocol};
//!
//! // A classic SIM on T=0: SELECT DF_GSM, then GET RESPONSE on 9F 16 (vector V82).
//! let card = MockTransport::new(Protocol::T0)
//!     .expect(&[0xA0, 0xA4, 0x00, 0x00, 0x02, 0x7F, 0x20], &[0x9F, 0x16])
//!     .expect(&[0xA0, 0xC0, 0x00, 0x00, 0x16], &[[0u8; 22].as_slice(), &[0x90, 0x00]].concat());
//! let mut link = Link::new(card);
//! let select = Command::new(0xA0, 0xA4, 0x00, 0x00).with_data(&[0x7F, 0x20])?;
//! let mut buf = [0u8; 258];
//! let response = link.transmit(&select, &mut buf)?;
//! assert_eq!(response.data().len(), 22);
//! assert_eq!(response.sw(), simcore::StatusWord::SUCCESS);
//! assert_eq!(response.exchanges(), 2);
//! assert_eq!(link.apdu_count(), 2);
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use super::trace::{Event, NoTrace, Trace, TracedCommand, TracedResponse};
use super::{Error, ErrorKind, Protocol, Reset, Transport};
use crate::apdu::{ApduError, Command, CommandView, MAX_SHORT_COMMAND_LEN, MAX_SHORT_RESPONSE_LEN};
use crate::chv::carries_secret;
use crate::profile::Profile;
use crate::sw::{Action, Answering, ResponseClass, StatusWord};
use zeroize::Zeroize;

use crate::ins::GET_RESPONSE;

/// Class byte of a classic SIM's GET RESPONSE after 9FXX (TS 51.011 §9.2.18).
const SIM_CLA: u8 = 0xA0;

/// How commands are framed on the link (ISO/IEC 7816-3 §12.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Mapping {
    /// T=0 TPDUs when [`Transport::protocol`] is [`Protocol::T0`], APDUs otherwise
    /// (ISO/IEC 7816-3 §12.2).
    FromProtocol,
    /// Always T=0 TPDUs (ISO/IEC 7816-3 §12.2), e.g. for a modem's `AT+CSIM`.
    T0,
    /// Always APDUs as built (ISO/IEC 7816-4 §5.1), e.g. for a reader that maps
    /// case 4 itself.
    Apdu,
}

/// What the completion layer does beyond the rules every card needs
/// (TS 102 221 §7.3.1.1.4, ISO/IEC 7816-3 §12.2.5).
///
/// Built with const methods: `Options::for_profile(Profile::Uicc).with_max_exchanges(32)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Options {
    mapping: Mapping,
    uicc_case4_warnings: bool,
    iso_case4_get_response: bool,
    fetch_unrequested: bool,
    max_exchanges: u16,
    profile: Option<Profile>,
}

impl Options {
    /// Framing from the protocol, neither optional case-4 rule, data fetched even
    /// for commands without Ne, at most 16 exchanges per command, status words
    /// described for the first profile that knows them
    /// (ISO/IEC 7816-3 §12.2, ISO/IEC 7816-4 §7.6.1).
    pub const DEFAULT: Self = Options {
        mapping: Mapping::FromProtocol,
        uicc_case4_warnings: false,
        iso_case4_get_response: false,
        fetch_unrequested: true,
        max_exchanges: 16,
        profile: None,
    };

    /// The defaults for a card of `profile`: on a UICC the TS 102 221
    /// §7.3.1.1.4 rule is on ([`Options::with_uicc_case4_warnings`]); the trace
    /// describes status words for `profile`.
    #[must_use]
    pub const fn for_profile(profile: Profile) -> Self {
        Options {
            uicc_case4_warnings: matches!(profile, Profile::Uicc),
            profile: Some(profile),
            ..Self::DEFAULT
        }
    }

    /// Set the framing (ISO/IEC 7816-3 §12.2).
    #[must_use]
    pub const fn with_mapping(mut self, mapping: Mapping) -> Self {
        self.mapping = mapping;
        self
    }

    /// TS 102 221 §7.3.1.1.4 (T=0 only): when the case-3 part of a case-4
    /// command gets a warning (62XX, 63XX) or an application status (9XXX other
    /// than 90 00), send GET RESPONSE with Le = 00 and return its data with that
    /// status word (91XX from the GET RESPONSE wins, so a pending proactive
    /// command is never hidden).
    #[must_use]
    pub const fn with_uicc_case4_warnings(mut self, on: bool) -> Self {
        self.uicc_case4_warnings = on;
        self
    }

    /// ISO/IEC 7816-3 §12.2.5 case 4S.2 (T=0 only): when the case-3 part of a
    /// case-4 command gets 90 00, send GET RESPONSE with Le = Ne. Off by default:
    /// telecom cards signal response data with 61XX or 9FXX (resolved.md Q11).
    #[must_use]
    pub const fn with_iso_case4_get_response(mut self, on: bool) -> Self {
        self.iso_case4_get_response = on;
        self
    }

    /// Whether 61XX or 9FXX after a command without Ne (case 1 or 3) is followed
    /// with GET RESPONSE. On (the default), the data is fetched anyway, as pySim
    /// does, since callers often leave out the Le of a case-4 command. Off, the
    /// caller gets the 61XX or 9FXX itself and asks for data by setting Ne: this
    /// is how the card layer skips the GET RESPONSE of a classic SIM's SELECT
    /// whose file information it does not need (TS 51.011 §9.2.1 leaves that
    /// fetch to the terminal), saving one APDU per SELECT.
    #[must_use]
    pub const fn with_fetch_unrequested(mut self, on: bool) -> Self {
        self.fetch_unrequested = on;
        self
    }

    /// At most `max` exchanges (the command, GET RESPONSEs, resends) per
    /// [`Link::transmit`]; at least 1 (ISO/IEC 7816-4 §5.1.3, §7.6.1).
    #[must_use]
    pub const fn with_max_exchanges(mut self, max: u16) -> Self {
        self.max_exchanges = if max == 0 { 1 } else { max };
        self
    }

    /// The profile whose table describes status words in the trace
    /// (ISO/IEC 7816-4 §5.6, TS 51.011 §9.4, TS 102 221 §10.2.1).
    #[must_use]
    pub const fn with_profile(mut self, profile: Option<Profile>) -> Self {
        self.profile = profile;
        self
    }

    /// The framing (ISO/IEC 7816-3 §12.2).
    #[must_use]
    pub const fn mapping(&self) -> Mapping {
        self.mapping
    }

    /// Whether the TS 102 221 §7.3.1.1.4 rule is on.
    #[must_use]
    pub const fn uicc_case4_warnings(&self) -> bool {
        self.uicc_case4_warnings
    }

    /// Whether the ISO/IEC 7816-3 case 4S.2 rule is on.
    #[must_use]
    pub const fn iso_case4_get_response(&self) -> bool {
        self.iso_case4_get_response
    }

    /// Whether data announced after a command without Ne is fetched
    /// (ISO/IEC 7816-4 §7.6.1, TS 51.011 §9.4.1).
    #[must_use]
    pub const fn fetch_unrequested(&self) -> bool {
        self.fetch_unrequested
    }

    /// The bound on exchanges per command (ISO/IEC 7816-4 §5.1.3, §7.6.1).
    #[must_use]
    pub const fn max_exchanges(&self) -> u16 {
        self.max_exchanges
    }

    /// The profile for status-word descriptions
    /// (ISO/IEC 7816-4 §5.6, TS 51.011 §9.4, TS 102 221 §10.2.1).
    #[must_use]
    pub const fn profile(&self) -> Option<Profile> {
        self.profile
    }
}

impl Default for Options {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Why [`Link::transmit`] could not complete a command (ISO/IEC 7816-4 §7.6.1, ISO/IEC 7816-3
/// §12.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CompletionError<E> {
    /// The transport failed; see [`Error::kind`] for what to do (the exchange of
    /// ISO/IEC 7816-4 §5.1, ISO/IEC 7816-3 §12.2).
    #[error("transport: {0}")]
    Transport(#[source] E),
    /// The command cannot be framed, e.g. more than 255 data bytes on T=0
    /// (ISO/IEC 7816-3 §12.2), or it is not a valid APDU (`transmit_raw`).
    #[error("command: {0}")]
    Command(#[source] ApduError),
    /// The encoded command is longer than the layer's 261-byte buffer (ISO/IEC 7816-4 §5.1).
    #[error("command of {len} bytes; the completion layer sends at most {max}")]
    CommandTooLong {
        /// Encoded length (ISO/IEC 7816-4 §5.1).
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The response does not fit the caller's buffer (data and SW1 SW2, ISO/IEC
    /// 7816-4 §5.1.3).
    #[error("response of {needed} bytes (data and SW1 SW2) does not fit the {capacity}-byte buffer")]
    BufferTooSmall {
        /// Bytes the complete response needs, at least.
        needed: usize,
        /// The buffer's length.
        capacity: usize,
    },
    /// The card still asked for another exchange after the bound (ISO/IEC 7816-4 §5.1.3, §7.6.1).
    #[error("the card still answered {sw} after {limit} exchanges; giving up")]
    TooManyExchanges {
        /// The bound, [`Options::max_exchanges`] (ISO/IEC 7816-4 §5.1.3, §7.6.1).
        limit: u16,
        /// The last status word (ISO/IEC 7816-4 §5.6).
        sw: StatusWord,
    },
    /// The transport returned fewer than the two status bytes (ISO/IEC 7816-4 §5.1.3).
    #[error("the transport returned {len} bytes; a response needs SW1 SW2")]
    ResponseTooShort {
        /// Bytes returned (ISO/IEC 7816-4 §5.1.3).
        len: usize,
    },
    /// The transport returned bytes outside the start of the buffer it was
    /// given (a backend bug: see [`Transport::transmit`]; ISO/IEC 7816-4 §5.1,
    /// ISO/IEC 7816-3 §12.2).
    #[error("the transport returned its response outside the buffer it was given")]
    ResponseOutsideBuffer,
}

impl<E: Error> CompletionError<E> {
    /// The kind: the transport's own, [`ErrorKind::Protocol`] when the card
    /// misbehaved (endless chaining, no status word), [`ErrorKind::Other`] for
    /// the caller's command or buffer (ISO/IEC 7816-3 §12.2).
    #[must_use]
    pub fn kind(&self) -> ErrorKind {
        match self {
            CompletionError::Transport(e) => e.kind(),
            CompletionError::TooManyExchanges { .. } | CompletionError::ResponseTooShort { .. } => {
                ErrorKind::Protocol
            }
            CompletionError::Command(_)
            | CompletionError::CommandTooLong { .. }
            | CompletionError::BufferTooSmall { .. }
            | CompletionError::ResponseOutsideBuffer => ErrorKind::Other,
        }
    }
}

impl<E: Error + 'static> Error for CompletionError<E> {
    fn kind(&self) -> ErrorKind {
        CompletionError::kind(self)
    }
}

/// A completed response: all the data the card returned for the command, in the
/// caller's buffer, followed by the final SW1 SW2 (ISO/IEC 7816-4 §5.1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Response<'b> {
    bytes: &'b [u8],
    exchanges: u16,
}

impl<'b> Response<'b> {
    /// The response data (concatenated over GET RESPONSEs) (ISO/IEC 7816-4 §5.1.3, §7.6.1).
    #[must_use]
    pub fn data(&self) -> &'b [u8] {
        self.bytes.split_last_chunk::<2>().map_or(self.bytes, |(data, _)| data)
    }

    /// The final status word (ISO/IEC 7816-4 §5.1.3, §5.6).
    #[must_use]
    pub fn sw(&self) -> StatusWord {
        self.bytes.split_last_chunk::<2>().map_or(StatusWord::NO_PRECISE_DIAGNOSIS, |(_, &sw)| sw.into())
    }

    /// Whether the command ended normally, by the rule of
    /// [`ResponseView::is_success`](crate::apdu::ResponseView::is_success):
    /// 90 00, 91XX (a proactive command pending), 92XX but 92 40, a 61XX or
    /// 9FXX only when the link was told not to fetch; not the 9E XX the
    /// completion keeps to report a failed data download (ISO/IEC 7816-4
    /// §5.1.3 table 5, TS 51.011 §9.4.1). For exactly 90 00, compare the
    /// status word with [`StatusWord::SUCCESS`].
    #[must_use]
    pub fn is_success(&self) -> bool {
        crate::apdu::ResponseView::parse(self.bytes).is_ok_and(|view| view.is_success())
    }

    /// Data then SW1 SW2, contiguous, as
    /// [`ResponseView::parse`](crate::apdu::ResponseView::parse) takes them (ISO/IEC 7816-4 §5.1.3).
    #[must_use]
    pub const fn as_bytes(&self) -> &'b [u8] {
        self.bytes
    }

    /// How many APDUs (or TPDUs) this command took: 1, plus each GET RESPONSE
    /// and resend (ISO/IEC 7816-4 §5.1.3, §7.6.1).
    #[must_use]
    pub const fn exchanges(&self) -> u16 {
        self.exchanges
    }

    /// When the status word is 91 XX: the length of the proactive command waiting
    /// for FETCH (TS 102 221 §7.4.2.2; vector V46).
    #[must_use]
    pub fn proactive_command_len(&self) -> Option<u16> {
        match self.sw().action() {
            Some(Action::Fetch { len }) => Some(len),
            _ => None,
        }
    }
}

/// The class byte of the GET RESPONSE that completes a command of class `cla`
/// after 61XX (ISO/IEC 7816-4 §7.6.1; TS 102 221 §10.1.1 and §12.1.1).
///
/// GET RESPONSE is an interindustry command (CLA 0X, 4X or 6X on a UICC) sent
/// on the command's logical channel. An interindustry class stays as is; the
/// TS 102 221 proprietary classes 8X, CX, EX (STATUS, ENVELOPE, …) become 0X,
/// 4X, 6X with the same channel and secure-messaging bits (b8 cleared). Any
/// other class (A0 of a classic SIM, other proprietary ones) is kept.
#[must_use]
pub const fn get_response_cla(cla: u8) -> u8 {
    match cla {
        0x80..=0x8F | 0xC0..=0xFE => cla & 0x7F,
        _ => cla,
    }
}

/// A transport with response completion, an APDU counter and a trace hook
/// (ISO/IEC 7816-3 §12.2, ISO/IEC 7816-4 §7.6.1).
///
/// This is what the card layer drives: `Sim<T>` owns a `Link<T>`. Borrow a
/// transport instead of moving it with `Link::new(&mut transport)`.
#[derive(Debug)]
pub struct Link<T, H = NoTrace> {
    transport: T,
    trace: H,
    options: Options,
    apdu_count: u64,
}

impl<T: Transport> Link<T> {
    /// Wrap `transport` with [`Options::DEFAULT`] and no trace
    /// (ISO/IEC 7816-3 §12.2, ISO/IEC 7816-4 §7.6.1).
    pub const fn new(transport: T) -> Self {
        Link { transport, trace: NoTrace, options: Options::DEFAULT, apdu_count: 0 }
    }
}

impl<T: Transport, H: Trace> Link<T, H> {
    /// Replace the options (TS 102 221 §7.3.1.1.4, ISO/IEC 7816-3 §12.2.5).
    #[must_use]
    pub fn with_options(mut self, options: Options) -> Self {
        self.options = options;
        self
    }

    /// Replace the trace hook (any `FnMut(Event)` closure, or
    /// [`WriteTrace`](super::trace::WriteTrace)) (ISO/IEC 7816-4 §5.1).
    #[must_use]
    pub fn with_trace<H2: Trace>(self, trace: H2) -> Link<T, H2> {
        Link { transport: self.transport, trace, options: self.options, apdu_count: self.apdu_count }
    }

    /// The options (TS 102 221 §7.3.1.1.4, ISO/IEC 7816-3 §12.2.5).
    #[must_use]
    pub const fn options(&self) -> Options {
        self.options
    }

    /// Change the options (e.g. once the card's profile is known)
    /// (TS 102 221 §7.3.1.1.4, ISO/IEC 7816-3 §12.2.5).
    pub fn set_options(&mut self, options: Options) {
        self.options = options;
    }

    /// The transport (ISO/IEC 7816-3 §12.2).
    #[must_use]
    pub const fn transport(&self) -> &T {
        &self.transport
    }

    /// The transport, mutably. Commands sent through it directly bypass
    /// completion, the counter and the trace (ISO/IEC 7816-3 §12.2).
    pub fn transport_mut(&mut self) -> &mut T {
        &mut self.transport
    }

    /// The trace hook (ISO/IEC 7816-4 §5.1).
    pub fn trace_mut(&mut self) -> &mut H {
        &mut self.trace
    }

    /// Give back the transport and the hook (ISO/IEC 7816-3 §12.2).
    pub fn into_parts(self) -> (T, H) {
        (self.transport, self.trace)
    }

    /// The number of APDUs (or TPDUs) exchanged with the card so far: every
    /// command, GET RESPONSE and resend that got a response (ISO/IEC 7816-4 §5.1, ISO/IEC 7816-3
    /// §12.2).
    #[must_use]
    pub const fn apdu_count(&self) -> u64 {
        self.apdu_count
    }

    /// Set the APDU counter back to zero (ISO/IEC 7816-4 §5.1).
    pub fn reset_apdu_count(&mut self) {
        self.apdu_count = 0;
    }

    /// The card's ATR ([`Transport::atr`]) (ISO/IEC 7816-3 §8).
    #[must_use]
    pub fn atr(&self) -> Option<&[u8]> {
        self.transport.atr()
    }

    /// The protocol in use ([`Transport::protocol`]) (ISO/IEC 7816-3 §8.2).
    #[must_use]
    pub fn protocol(&self) -> Protocol {
        self.transport.protocol()
    }

    /// Reset the card ([`Transport::reset`]) and trace it (ISO/IEC 7816-3 §6.2.2, §6.2.3).
    ///
    /// # Errors
    /// The transport's error.
    pub fn reset(&mut self, reset: Reset) -> Result<Reset, T::Error> {
        match self.transport.reset(reset) {
            Ok(done) => {
                self.trace.event(Event::Reset(done));
                Ok(done)
            }
            Err(e) => {
                self.trace.event(Event::Error(e.kind()));
                Err(e)
            }
        }
    }

    /// Parse raw command bytes (ISO/IEC 7816-4 §5.1) and [`transmit`](Link::transmit) them.
    ///
    /// # Errors
    /// [`CompletionError::Command`] when the bytes are not an APDU; otherwise as
    /// [`Link::transmit`].
    pub fn transmit_raw<'b>(
        &mut self,
        command: &[u8],
        response: &'b mut [u8],
    ) -> Result<Response<'b>, CompletionError<T::Error>> {
        let view = CommandView::parse(command).map_err(CompletionError::Command)?;
        self.transmit(&view.to_command(), response)
    }

    /// Send `command` and complete its response into `response` (see the module
    /// documentation for the rules). The returned [`Response`] borrows `response`
    /// (ISO/IEC 7816-3 §12.2, ISO/IEC 7816-4 §7.6.1).
    ///
    /// # Errors
    /// [`CompletionError`]: the transport's error, a command that cannot be
    /// framed, a response larger than the buffer, or a card that does not stop
    /// asking for exchanges.
    pub fn transmit<'b>(
        &mut self,
        command: &Command<'_>,
        response: &'b mut [u8],
    ) -> Result<Response<'b>, CompletionError<T::Error>> {
        let t0 = match self.options.mapping {
            Mapping::FromProtocol => self.transport.protocol() == Protocol::T0,
            Mapping::T0 => true,
            Mapping::Apdu => false,
        };
        let options = self.options;
        let capacity = response.len();
        // The case-3 part of a case-4 command on T=0 gets the optional rules.
        let case4_on_t0 = t0 && !command.data().is_empty() && command.ne().is_some();
        let mut encoded = Scratch::new();
        let mut current = *command;
        // Response data bytes the next exchange announced (61XX, 6CXX), to check
        // the buffer before asking.
        let mut announced: Option<usize> = None;
        let mut filled = 0usize;
        let mut exchanges = 0u16;
        let mut warning: Option<StatusWord> = None;
        let mut last_sw = StatusWord::SUCCESS;

        let final_sw = loop {
            if exchanges >= options.max_exchanges {
                return Err(CompletionError::TooManyExchanges { limit: options.max_exchanges, sw: last_sw });
            }
            let room_len = capacity.saturating_sub(filled);
            let needed = announced.unwrap_or(0) + 2;
            if room_len < needed {
                return Err(CompletionError::BufferTooSmall { needed: filled + needed, capacity });
            }
            let sent = encoded.encode::<T::Error>(&current, t0)?;
            self.trace.event(Event::Command(TracedCommand::new(sent)));
            let room = response.get_mut(filled..).unwrap_or_default();
            let room_ptr = room.as_ptr();
            let direct = room_len >= MAX_SHORT_RESPONSE_LEN || current.ne().is_some_and(|ne| ne > 256);
            let result = if direct {
                self.transport.transmit(sent, room).map(|got| (got.as_ptr() == room_ptr, got.len()))
            } else {
                let mut received = [0u8; MAX_SHORT_RESPONSE_LEN];
                match self.transport.transmit(sent, &mut received) {
                    Ok(got) => {
                        let len = got.len();
                        let Some(dst) = room.get_mut(..len) else {
                            let traced = TracedResponse::new(got, options.profile)
                                .answering(Answering::of_ins(command.ins()));
                            self.trace.event(Event::Response(traced));
                            self.apdu_count += 1;
                            return Err(CompletionError::BufferTooSmall { needed: filled + len, capacity });
                        };
                        dst.copy_from_slice(got);
                        Ok((true, len))
                    }
                    Err(e) => Err(e),
                }
            };
            let len = match result {
                Ok((true, len)) if len <= room_len => len,
                Ok(_) => {
                    self.apdu_count += 1;
                    return Err(CompletionError::ResponseOutsideBuffer);
                }
                Err(e) => {
                    self.trace.event(Event::Error(e.kind()));
                    return Err(CompletionError::Transport(e));
                }
            };
            exchanges += 1;
            self.apdu_count += 1;
            let raw = response.get(filled..filled + len).unwrap_or_default();
            let traced =
                TracedResponse::new(raw, options.profile).answering(Answering::of_ins(command.ins()));
            self.trace.event(Event::Response(traced));
            let Some((data, &sw)) = raw.split_last_chunk::<2>() else {
                return Err(CompletionError::ResponseTooShort { len });
            };
            let data_len = data.len();
            let sw = StatusWord::from(sw);
            last_sw = sw;
            announced = None;
            match sw.action_for(current.cla(), current.ins()) {
                Some(Action::GetResponse { cla, len: le })
                    if options.fetch_unrequested || current.ne().is_some() =>
                {
                    filled += data_len;
                    if sw.sw1() == 0x9E {
                        // A data download error: the data is fetched, the error kept.
                        warning = Some(sw);
                    }
                    let cla = match cla {
                        ResponseClass::SameAsCommand => get_response_cla(command.cla()),
                        ResponseClass::Sim => SIM_CLA,
                    };
                    current = get_response(cla, le);
                    announced = Some(usize::from(le));
                }
                // 6CXX corrects Le (ISO/IEC 7816-4 §5.1.3), and so does a classic SIM's
                // 67XX after an outgoing command (TS 51.011 §9.4.6): a command without Ne
                // (case 1 or 3, the library's PIN commands among them) is not resent, or
                // the card could spend an attempt per resend; nor is a PIN command that a
                // caller built with an Le, on any protocol; nor a T=0 TPDU with data, which
                // has no room for Le; nor a command whose Le already is the one named. The
                // status word goes to the caller.
                Some(Action::Resend { le })
                    if current.ne().is_some_and(|ne| ne != u32::from(le))
                        && (current.data().is_empty() || (!t0 && !carries_secret(current.ins()))) =>
                {
                    // The data of a 6CXX answer, if any, is not part of the response.
                    current = current.with_ne(u32::from(le)).unwrap_or(current);
                    announced = Some(usize::from(le));
                }
                _ => {
                    filled += data_len;
                    let first = exchanges == 1;
                    if first && case4_on_t0 {
                        let cla = get_response_cla(command.cla());
                        if options.uicc_case4_warnings && is_uicc_case4_warning(sw) {
                            warning = Some(sw);
                            current = get_response(cla, 256);
                            continue;
                        }
                        if options.iso_case4_get_response && sw == StatusWord::SUCCESS {
                            let ne = command.ne().map_or(256, |ne| ne.min(256));
                            current = get_response(cla, u16::try_from(ne).unwrap_or(256));
                            continue;
                        }
                    }
                    break match warning {
                        Some(w) if sw.sw1() != 0x91 => w,
                        _ => sw,
                    };
                }
            }
        };
        let end = filled + 2;
        let Some(trailer) = response.get_mut(filled..end) else {
            return Err(CompletionError::BufferTooSmall { needed: end, capacity });
        };
        trailer.copy_from_slice(&final_sw.to_bytes());
        Ok(Response { bytes: response.get(..end).unwrap_or_default(), exchanges })
    }
}

/// TS 102 221 §7.3.1.1.4 (and the mapping rules after it): after the command
/// data of a case-4 command, warnings 62XX and 63XX and application statuses
/// 9XXX other than 90 00 let the terminal continue with GET RESPONSE.
const fn is_uicc_case4_warning(sw: StatusWord) -> bool {
    matches!(sw.sw1(), 0x62 | 0x63) || (sw.sw1() & 0xF0 == 0x90 && !matches!(sw, StatusWord::SUCCESS))
}

/// GET RESPONSE with class `cla` asking for `le` bytes (1–256).
fn get_response(cla: u8, le: u16) -> Command<'static> {
    let command = Command::new(cla, GET_RESPONSE, 0x00, 0x00);
    command.with_ne(u32::from(le)).unwrap_or(command)
}

/// The encoding buffer: every short command fits; wiped on drop, since it may
/// hold a PIN.
struct Scratch {
    buf: [u8; MAX_SHORT_COMMAND_LEN],
    used: usize,
}

impl Scratch {
    const fn new() -> Self {
        Scratch { buf: [0; MAX_SHORT_COMMAND_LEN], used: 0 }
    }

    /// Encode `command` as a T=0 TPDU or an APDU.
    fn encode<E>(&mut self, command: &Command<'_>, t0: bool) -> Result<&[u8], CompletionError<E>> {
        let max = self.buf.len();
        let bytes = if t0 {
            let tpdu = command.to_t0().map_err(CompletionError::Command)?;
            let len = tpdu.encoded_len();
            let dst = self.buf.get_mut(..len).ok_or(CompletionError::CommandTooLong { len, max })?;
            tpdu.encode_into(dst).map_err(CompletionError::Command)?
        } else {
            let len = command.encoded_len();
            let dst = self.buf.get_mut(..len).ok_or(CompletionError::CommandTooLong { len, max })?;
            command.encode_into(dst).map_err(CompletionError::Command)?
        };
        self.used = self.used.max(bytes.len());
        Ok(bytes)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Some(used) = self.buf.get_mut(..self.used) {
            used.zeroize();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_response_class_keeps_the_channel() {
        assert_eq!(get_response_cla(0x00), 0x00);
        assert_eq!(get_response_cla(0x03), 0x03);
        assert_eq!(get_response_cla(0x45), 0x45);
        assert_eq!(get_response_cla(0x80), 0x00);
        assert_eq!(get_response_cla(0x81), 0x01);
        assert_eq!(get_response_cla(0xC2), 0x42);
        assert_eq!(get_response_cla(0xE1), 0x61);
        assert_eq!(get_response_cla(0xA0), 0xA0);
    }

    #[test]
    fn uicc_case4_rule_covers_warnings_and_application_statuses() {
        // TS 102 221 §7.3.1.1.4, clause 4 b): "62xx, 63xx, 9xxx != 9000", as osmocom's pySim
        // quotes it beside the same rule (pySim/transport/__init__.py, send_apdu); resolved.md
        // Q11 names only 62XX / 63XX.
        for sw in [0x6283u16, 0x6300, 0x63C1, 0x9110, 0x9300, 0x9862] {
            assert!(is_uicc_case4_warning(StatusWord::from_u16(sw)), "{sw:04X}");
        }
        for sw in [0x9000u16, 0x6A82, 0x6982, 0x6700] {
            assert!(!is_uicc_case4_warning(StatusWord::from_u16(sw)), "{sw:04X}");
        }
    }

    #[test]
    fn options_build() {
        let o = Options::for_profile(Profile::Uicc).with_max_exchanges(0);
        assert!(o.uicc_case4_warnings() && !o.iso_case4_get_response());
        assert_eq!(o.max_exchanges(), 1);
        assert!(!Options::for_profile(Profile::Sim).uicc_case4_warnings());
        assert_eq!(Options::default(), Options::DEFAULT);
    }
}
