//! The link to a card, ISO/IEC 7816-3 (transmission protocols) and ISO/IEC
//! 7816-4 §5 (APDU exchange): the [`Transport`] trait, response completion, the
//! APDU trace, and a scripted mock.
//!
//! A [`Transport`] moves raw bytes only: one command APDU out, its raw response
//! (data + SW1 SW2) back, plus the card's ATR, a reset and the active protocol.
//! It knows nothing about 61XX, 9FXX or 6CXX. That recovery lives once, above
//! the trait, in [`Link`] (module [`completion`]): on a T=0 link a case-4
//! command travels as case 3 and its data comes back through GET RESPONSE; 61XX
//! and 9FXX are followed, 6CXX resends with the right Le, 91XX reaches the
//! caller, and every loop is bounded. [`Link`] also counts the APDUs really
//! exchanged and reports each one to a [`Trace`] hook with the PIN data
//! replaced by `**`.
//!
//! ```text
//!   Sim<T> (card layer)        Command ──▶ Link::transmit ──▶ Response (data, SW, exchanges)
//!                                            │  ▲   T=0 mapping, 61XX/9FXX/6CXX, bound, trace, count
//!   Transport (this trait)     raw bytes ──▶ transmit ──▶ raw bytes
//!   backends                   PC/SC · serial reader · virtual SIM · MockTransport
//! ```
//!
//! The shape follows `embedded-hal`: an associated error type whose
//! [`Error::kind`] is a small, non-exhaustive [`ErrorKind`], so generic code can
//! react ("no card: insert one") while each backend keeps its rich error; and a
//! blanket implementation for `&mut T`, so a session can borrow a transport
//! instead of owning it.
//!
//! Writing a backend: implement [`Transport`] for your type, with an error type
//! that implements [`Error`]. [`Transport::transmit`] must write the response at
//! the start of the caller's buffer and return that filled prefix, or fail with
//! an error when it does not fit (never truncate). A backend that carries T=0
//! TPDUs (a serial reader, a modem's `AT+CSIM`, a virtual SIM speaking T=0)
//! reports [`Protocol::T0`], and the completion layer then sends it TPDUs
//! (CLA INS P1 P2 P3 + data, ISO/IEC 7816-3 §12.2). This module needs neither
//! `std` nor an allocator; only [`mock`] needs feature `std`.
//!
//! Thread safety: a transport is used through `&mut`, one exchange at a time;
//! share one between threads behind a mutex.
//!
//! How the other layers fit:
//! - the card layer (`Sim<T: Transport>`) owns a `Link<T>`, sets
//!   [`Options::for_profile`] once the profile is known, sends commands with
//!   [`Link::transmit`] and reads [`Link::apdu_count`] for its APDU budgets; PIN
//!   commands come from [`crate::chv::ChvCommand`], whose
//!   [`spends`](crate::chv::ChvCommand::spends) tells the last-attempt guard
//!   which retry counter to read first;
//! - a virtual SIM served in-process implements [`Transport`] (with
//!   `Error = core::convert::Infallible` if it cannot fail), answering TPDUs
//!   when it reports [`Protocol::T0`]; on the card side it can log with
//!   [`TracedCommand`] and check a GET RESPONSE class with
//!   [`completion::get_response_cla`];
//! - PC/SC and serial backends implement [`Transport`] with their own error
//!   types, mapping them onto [`ErrorKind`] (`SCARD_E_NO_SERVICE` →
//!   [`ErrorKind::NoService`], `SCARD_W_REMOVED_CARD` → [`ErrorKind::CardRemoved`], …).

pub mod at;
pub mod completion;
#[cfg(feature = "std")]
pub mod mock;
#[cfg(feature = "modem")]
#[cfg_attr(docsrs, doc(cfg(feature = "modem")))]
pub mod modem;
#[cfg(feature = "pcsc")]
pub mod pcsc;
#[cfg(feature = "serial")]
pub mod serial;
pub mod trace;

use core::fmt;

pub use completion::{CompletionError, Link, Mapping, Options, Response};
pub use trace::{Event, NoTrace, Trace, TracedCommand, TracedResponse};

/// What went wrong on a link, in terms generic code can act on: the card's
/// states of ISO/IEC 7816-3 (present, activated, answering within its waiting
/// time) and the host-side conditions around them.
///
/// Each kind has a [`hint`](ErrorKind::hint) for a person. New kinds may be
/// added, so match with a wildcard arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The smart-card service is not reachable (e.g. pcscd is not running)
    /// (PC/SC part 5: `SCARD_E_NO_SERVICE`).
    NoService,
    /// No card reader (or no such reader, serial device or virtual slot)
    /// (PC/SC part 5: `SCARD_E_NO_READERS_AVAILABLE`).
    NoReader,
    /// A reader, but no card in it (or the card does not answer to reset)
    /// (ISO/IEC 7816-3 §8; PC/SC part 5: `SCARD_E_NO_SMARTCARD`).
    NoCard,
    /// The card was removed, or reset by someone else, during the session
    /// (PC/SC part 5: `SCARD_W_REMOVED_CARD`).
    CardRemoved,
    /// The card or the reader did not answer in time (the waiting times WT and
    /// BWT of ISO/IEC 7816-3).
    Timeout,
    /// The transmission protocol was broken: a bad procedure byte, parity or
    /// checksum, an impossible length, an answer that is not a response (ISO/IEC 7816-3 §10, §11).
    Protocol,
    /// The host-side link failed: a USB, serial or socket input/output error
    /// (POSIX I/O; PC/SC part 5: `SCARD_F_COMM_ERROR`, `SCARD_E_COMM_DATA_LOST`).
    Io,
    /// Anything else; the backend's own error says more (e.g. the other PC/SC
    /// part 5 errors).
    Other,
}

impl ErrorKind {
    /// A short description: "no smart-card service", "no card in the reader", …
    /// (the PC/SC error conditions; ISO/IEC 7816-3 §6 for the card's states).
    #[must_use]
    pub const fn description(self) -> &'static str {
        match self {
            ErrorKind::NoService => "no smart-card service",
            ErrorKind::NoReader => "no card reader",
            ErrorKind::NoCard => "no card in the reader",
            ErrorKind::CardRemoved => "the card was removed or reset",
            ErrorKind::Timeout => "the card did not answer in time",
            ErrorKind::Protocol => "transmission protocol error",
            ErrorKind::Io => "input/output error on the link to the reader",
            ErrorKind::Other => "transport error",
        }
    }

    /// What a person can try next, e.g. "is pcscd running?" for
    /// [`ErrorKind::NoService`] (the PC/SC error conditions; ISO/IEC 7816-3 §6
    /// for the card's states).
    #[must_use]
    pub const fn hint(self) -> &'static str {
        match self {
            ErrorKind::NoService => "is pcscd running? (systemctl start pcscd.socket)",
            ErrorKind::NoReader => "is the reader plugged in, and is the reader name or serial device right?",
            ErrorKind::NoCard => "insert the SIM (contacts down, cut corner first) and try again",
            ErrorKind::CardRemoved => "keep the card in the reader and run the command again",
            ErrorKind::Timeout => "check that the card sits well; try another reader or a slower clock",
            ErrorKind::Protocol => "reset the card and retry; if it persists, try another reader",
            ErrorKind::Io => {
                "check the cable, and the permissions on the serial device, the socket or the file"
            }
            ErrorKind::Other => "see the backend's error message for details",
        }
    }
}

/// `"description (hint)"`.
impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.description(), self.hint())
    }
}

/// The error of a [`Transport`]: any error that says which [`ErrorKind`] it is
/// (ISO/IEC 7816-3 §12, the PC/SC and serial backends).
///
/// `core::error::Error` brings `Debug` and `Display`, so a backend's error can
/// be printed and chained with `?` into application errors.
pub trait Error: core::error::Error {
    /// The generic kind of this error (ISO/IEC 7816-3 §12).
    fn kind(&self) -> ErrorKind;
}

/// [`ErrorKind`] is itself a usable error, for backends with nothing more to say.
impl core::error::Error for ErrorKind {}

impl Error for ErrorKind {
    fn kind(&self) -> ErrorKind {
        *self
    }
}

/// For backends that cannot fail (an in-process card).
impl Error for core::convert::Infallible {
    fn kind(&self) -> ErrorKind {
        match *self {}
    }
}

/// The transmission protocol of the link, ISO/IEC 7816-3 §8.2 (T in TDi).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Protocol {
    /// T=0, character protocol (ISO/IEC 7816-3 §10): the completion layer sends
    /// TPDUs with one length byte P3, drops Le from case 4 and fetches data with
    /// GET RESPONSE.
    T0,
    /// T=1, block protocol (ISO/IEC 7816-3 §11): APDUs travel unchanged.
    T1,
    /// Anything else (a contactless link, a modem that takes APDUs): APDUs travel
    /// unchanged, as for T=1 (ISO/IEC 7816-3 §8.2).
    Other,
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Protocol::T0 => "T=0",
            Protocol::T1 => "T=1",
            Protocol::Other => "other",
        })
    }
}

/// A card reset, ISO/IEC 7816-3 §6.2.2 (cold: power off and on) and §6.2.3
/// (warm: RST only, power kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reset {
    /// Cold reset: deactivate, then activate again (power cycle) (ISO/IEC 7816-3 §6.2.2).
    Cold,
    /// Warm reset: RST low then high, with VCC and CLK kept (ISO/IEC 7816-3 §6.2.3).
    Warm,
}

impl fmt::Display for Reset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Reset::Cold => "cold reset",
            Reset::Warm => "warm reset",
        })
    }
}

/// A link that moves one command APDU to a card and brings its raw response
/// back (ISO/IEC 7816-4 §5.1), with the ATR (ISO/IEC 7816-3 §8), reset and the
/// active protocol.
///
/// Backends move bytes only: no GET RESPONSE, no retry, no interpretation of
/// the status word; [`Link`] does that above the trait, once for all backends.
/// A blanket implementation for `&mut T` lets a session borrow a transport.
///
/// ```
/// use simcore::transport::{ErrorKind, Protocol, Reset, Transport};
///
/// /// A card that answers 90 00 to everything.
/// struct Nod;
///
/// impl Transport for Nod {
///     type Error = ErrorKind;
///     fn transmit<'b>(&mut self, _command: &[u8], response: &'b mut [u8]) -> Result<&'b [u8], ErrorKind> {
///         let out = response.get_mut(..2).ok_or(ErrorKind::Other)?;
///         out.copy_from_slice(&[0x90, 0x00]);
///         Ok(out)
///     }
///     fn atr(&self) -> Option<&[u8]> {
///         Some(&[0x3B, 0x00])
///     }
///     fn reset(&mut self, _reset: Reset) -> Result<Reset, ErrorKind> {
///         Ok(Reset::Warm)
///     }
///     fn protocol(&self) -> Protocol {
///         Protocol::T1
///     }
/// }
///
/// let mut buf = [0u8; 8];
/// assert_eq!(Nod.transmit(&[0x00, 0xA4, 0x00, 0x0C], &mut buf), Ok(&[0x90, 0x00][..]));
/// ```
pub trait Transport {
    /// The backend's error; its [`Error::kind`] classifies it.
    type Error: Error;

    /// Send one command (an APDU, or a T=0 TPDU when [`Transport::protocol`] is
    /// [`Protocol::T0`]) and write the raw response, data then SW1 SW2, at the
    /// start of `response`, returning that filled prefix
    /// (ISO/IEC 7816-4 §5.1, ISO/IEC 7816-3 §12.2).
    ///
    /// [`Link`] passes at least 258 bytes (a short response: 256 data bytes
    /// and SW1 SW2) for every command with a short Le or none, so a backend
    /// that only answers short APDUs never meets a smaller buffer through it;
    /// for an extended Le it passes what is left of the caller's buffer.
    ///
    /// # Errors
    /// The backend's error: no card, card removed, timeout, I/O… A response that
    /// does not fit `response` is an error too, never a silent truncation.
    fn transmit<'b>(&mut self, command: &[u8], response: &'b mut [u8]) -> Result<&'b [u8], Self::Error>;

    /// The Answer-to-Reset of the card (ISO/IEC 7816-3 §8), or `None` when the
    /// backend has none to give (a modem).
    fn atr(&self) -> Option<&[u8]>;

    /// Reset the card, cold or warm where the backend can, and return the kind of
    /// reset performed (a backend that cannot cut the power does a warm reset
    /// when asked for a cold one) (ISO/IEC 7816-3 §6.2.2, §6.2.3).
    ///
    /// # Errors
    /// The backend's error, e.g. when it cannot reset the card at all.
    fn reset(&mut self, reset: Reset) -> Result<Reset, Self::Error>;

    /// The protocol in use since the last reset (ISO/IEC 7816-3 §8.2).
    fn protocol(&self) -> Protocol;
}

impl<T: Transport + ?Sized> Transport for &mut T {
    type Error = T::Error;

    fn transmit<'b>(&mut self, command: &[u8], response: &'b mut [u8]) -> Result<&'b [u8], Self::Error> {
        T::transmit(self, command, response)
    }

    fn atr(&self) -> Option<&[u8]> {
        T::atr(self)
    }

    fn reset(&mut self, reset: Reset) -> Result<Reset, Self::Error> {
        T::reset(self, reset)
    }

    fn protocol(&self) -> Protocol {
        T::protocol(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_hint_and_a_description() {
        let kinds = [
            ErrorKind::NoService,
            ErrorKind::NoReader,
            ErrorKind::NoCard,
            ErrorKind::CardRemoved,
            ErrorKind::Timeout,
            ErrorKind::Protocol,
            ErrorKind::Io,
            ErrorKind::Other,
        ];
        for (i, a) in kinds.iter().enumerate() {
            assert!(!a.hint().is_empty() && !a.description().is_empty());
            for b in kinds.get(i + 1..).unwrap_or_default() {
                assert_ne!(a.description(), b.description());
                assert_ne!(a.hint(), b.hint());
            }
        }
        assert!(ErrorKind::NoService.hint().contains("pcscd"));
        assert_eq!(ErrorKind::NoService.kind(), ErrorKind::NoService);
    }
}
