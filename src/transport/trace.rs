//! The APDU trace: each command and response that crosses the link, in hex,
//! with the status word's meaning (ISO/IEC 7816-4 §5.6, TS 51.011 §9.4, TS 102
//! 221 §10.2.1, from [`crate::sw`]).
//!
//! A [`Trace`] hook sees [`Event`]s, never raw command bytes: a
//! [`TracedCommand`] shows the data of VERIFY, CHANGE, DISABLE, ENABLE and
//! UNBLOCK (see [`crate::chv::carries_secret`]) as `**` and has no accessor that
//! would reveal it, so no hook can print or log a PIN, however it is written.
//!
//! ```text
//! > 00 A4 00 04 02 3F 00
//! < 61 2E: 46 response bytes available (GET RESPONSE)
//! > 00 C0 00 00 2E
//! < 62 2C 82 02 … 0B 90 00: normal ending of the command
//! > 00 20 00 01 08 **
//! < 63 C2: verification failed, 2 attempts left
//! ```
//!
//! Any `FnMut(Event<'_>)` closure is a hook; with feature `std`,
//! [`WriteTrace`] writes one line per event to any `std::io::Write`.

use crate::hex::Hex;
use crate::profile::Profile;
use crate::sw::{Answering, StatusWord};
use crate::transport::{ErrorKind, Reset};
use core::fmt;

/// Receives each event of a [`Link`](super::Link) (ISO/IEC 7816-4 §5.1).
pub trait Trace {
    /// Called for each command before it is sent, each response after it came
    /// back, each transport error and each reset (ISO/IEC 7816-4 §5.1).
    fn event(&mut self, event: Event<'_>);
}

/// A hook that does nothing (the default) (ISO/IEC 7816-4 §5.1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoTrace;

impl Trace for NoTrace {
    #[inline]
    fn event(&mut self, _event: Event<'_>) {}
}

/// Any closure taking an [`Event`] is a hook.
impl<F: FnMut(Event<'_>)> Trace for F {
    fn event(&mut self, event: Event<'_>) {
        self(event);
    }
}

/// One thing that happened on the link. `Display` gives one line:
/// `> command`, `< response`, `! error`, `~ reset` (ISO/IEC 7816-4 §5.1, §5.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event<'a> {
    /// A command (APDU or T=0 TPDU) about to be sent (ISO/IEC 7816-4 §5.1, ISO/IEC 7816-3 §12.2).
    Command(TracedCommand<'a>),
    /// The raw response to it (ISO/IEC 7816-4 §5.1.3).
    Response(TracedResponse<'a>),
    /// The transport failed: its error's kind (the trace's own event; the kinds follow PC/SC
    /// part 5's error classes, see [`ErrorKind`]).
    Error(ErrorKind),
    /// The card was reset; the kind performed (ISO/IEC 7816-3 §6.2.2, §6.2.3).
    Reset(Reset),
}

impl fmt::Display for Event<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::Command(command) => write!(f, "> {command}"),
            Event::Response(response) => write!(f, "< {response}"),
            Event::Error(kind) => write!(f, "! {kind}"),
            Event::Reset(reset) => write!(f, "~ {reset}"),
        }
    }
}

/// A command as the trace may show it: hex, with the data of a PIN command
/// replaced by `**` (ISO/IEC 7816-4 §5.1 layout: the header, Lc or P3, data).
///
/// Only the first five bytes of such a command (CLA INS P1 P2 and Lc/P3) are
/// ever shown; nothing else of it can be read back from this type.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct TracedCommand<'a> {
    bytes: &'a [u8],
}

impl<'a> TracedCommand<'a> {
    /// Wrap raw command bytes (an APDU or a TPDU) (ISO/IEC 7816-4 §5.1).
    #[must_use]
    pub const fn new(bytes: &'a [u8]) -> Self {
        TracedCommand { bytes }
    }

    /// Whether the data is hidden: a PIN command with more than the five header
    /// bytes (TS 102 221 §11.1.9–§11.1.13, TS 51.011 §9.2.9–§9.2.13).
    #[must_use]
    pub fn is_redacted(&self) -> bool {
        crate::chv::hides_data(self.bytes)
    }

    /// The bytes the trace shows: the whole command, or only its first five
    /// bytes when [`is_redacted`](TracedCommand::is_redacted) (ISO/IEC 7816-4 §5.1).
    #[must_use]
    pub fn visible(&self) -> &'a [u8] {
        if self.is_redacted() { self.bytes.get(..5).unwrap_or_default() } else { self.bytes }
    }

    /// Number of bytes of the command (visible or not) (ISO/IEC 7816-4 §5.1).
    #[must_use]
    pub const fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether the command is empty (never for a real command) (ISO/IEC 7816-4 §5.1).
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

/// `00 A4 00 04 02 3F 00`, or `00 20 00 01 08 **` for a PIN command.
impl fmt::Display for TracedCommand<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::chv::write_hidden(f, self.bytes)
    }
}

impl fmt::Debug for TracedCommand<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TracedCommand({self})")
    }
}

/// A raw response: data and SW1 SW2, shown with the status word's meaning (ISO/IEC 7816-4 §5.1.3,
/// §5.6).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct TracedResponse<'a> {
    bytes: &'a [u8],
    profile: Option<Profile>,
    answering: Answering,
}

impl<'a> TracedResponse<'a> {
    /// Wrap raw response bytes; the meaning of the status word is looked up for
    /// `profile`, or for the first profile that knows it when `None`
    /// (ISO/IEC 7816-4 §5.6, TS 51.011 §9.4, TS 102 221 §10.2.1).
    #[must_use]
    pub const fn new(bytes: &'a [u8], profile: Option<Profile>) -> Self {
        TracedResponse { bytes, profile, answering: Answering::Any }
    }

    /// The same response, answering `answering` commands, which picks the
    /// meaning of 63 CX and 98 04 ([`StatusWord::meaning_for`]; TS 102 221
    /// §10.2.1.3, TS 51.011 §9.4.5).
    #[must_use]
    pub const fn answering(mut self, answering: Answering) -> Self {
        self.answering = answering;
        self
    }

    /// The raw response, data then SW1 SW2 (ISO/IEC 7816-4 §5.1.3).
    #[must_use]
    pub const fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The status word, when the response has at least two bytes (ISO/IEC 7816-4 §5.1.3, §5.6).
    #[must_use]
    pub fn sw(&self) -> Option<StatusWord> {
        self.bytes.split_last_chunk::<2>().map(|(_, &sw)| StatusWord::from(sw))
    }
}

/// `62 2C … 90 00: normal ending of the command`.
impl fmt::Display for TracedResponse<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.bytes.split_last_chunk::<2>(), self.sw()) {
            (Some((data, _)), Some(sw)) => {
                if !data.is_empty() {
                    write!(f, "{:#} ", Hex(data))?;
                }
                match self.profile {
                    Some(profile) => sw.describe_for(profile, self.answering).fmt(f),
                    None => sw.fmt(f),
                }
            }
            _ => write!(f, "{:#} (no status word)", Hex(self.bytes)),
        }
    }
}

impl fmt::Debug for TracedResponse<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TracedResponse({self})")
    }
}

/// Writes each event as one line to a `std::io::Write` (feature `std`), e.g.
/// `WriteTrace(std::io::stderr())` for an example's `--trace`. Write errors are
/// ignored: tracing never breaks an exchange (ISO/IEC 7816-4 §5.1).
#[cfg(feature = "std")]
#[derive(Debug, Clone, Default)]
pub struct WriteTrace<W>(pub W);

#[cfg(feature = "std")]
impl<W: std::io::Write> Trace for WriteTrace<W> {
    fn event(&mut self, event: Event<'_>) {
        let _ = writeln!(self.0, "{event}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    #[test]
    fn pin_commands_are_redacted_whatever_the_class() {
        let verify = [0xA0, 0x20, 0x00, 0x01, 0x08, 0x31, 0x32, 0x33, 0x34, 0xFF, 0xFF, 0xFF, 0xFF];
        assert_eq!(TracedCommand::new(&verify).to_string(), "A0 20 00 01 08 **");
        let unblock = [0x00, 0x2C, 0x00, 0x01, 0x10, 0x31, 0x32];
        assert_eq!(TracedCommand::new(&unblock).to_string(), "00 2C 00 01 10 **");
        // The counter query carries nothing secret (vector V74, as a T=0 TPDU).
        assert_eq!(TracedCommand::new(&[0x00, 0x20, 0x00, 0x01, 0x00]).to_string(), "00 20 00 01 00");
        let select = [0x00, 0xA4, 0x00, 0x04, 0x02, 0x3F, 0x00];
        assert_eq!(TracedCommand::new(&select).to_string(), "00 A4 00 04 02 3F 00");
        assert!(!TracedCommand::new(&select).is_redacted());
    }

    #[test]
    fn responses_carry_the_meaning() {
        let r = TracedResponse::new(&[0x63, 0xC2], Some(Profile::Uicc));
        assert!(r.to_string().starts_with("63 C2: "), "{r}");
        // TS 102 221 §10.2.1.3: the command picks the reading of 63 CX.
        let after_verify = r.answering(Answering::of_ins(crate::ins::VERIFY)).to_string();
        assert_eq!(after_verify, "63 C2: 2 attempts left for the code (0: it is blocked)");
        let after_update = r.answering(Answering::of_ins(crate::ins::UPDATE_BINARY)).to_string();
        assert_eq!(after_update, "63 C2: success after 2 internal retries");
        let r = TracedResponse::new(&[0x01, 0x02, 0x90, 0x00], None);
        assert_eq!(r.to_string(), "01 02 90 00: normal ending of the command");
        assert_eq!(TracedResponse::new(&[0x90], None).to_string(), "90 (no status word)");
        assert_eq!(Event::Reset(Reset::Warm).to_string(), "~ warm reset");
    }
}
