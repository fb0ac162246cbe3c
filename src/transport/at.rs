//! The answers of a cellular modem to `AT+CSIM`: 3GPP TS 27.007 §8.17
//! (generic SIM access, `+CSIM: <length>,"<response>"`), §9.2 (`+CME ERROR:
//! <err>` and the meaning of each number) and ITU-T V.250 §5.7 (final result
//! codes `OK` and `ERROR`, command echo).
//!
//! This module parses bytes only, so it needs neither `std` nor a serial port;
//! the modem transport (`transport::modem`, feature `modem`) drives it. An
//! [`AtAnswer`] takes the bytes of one command's answer as they arrive, in any
//! pieces, splits them into lines at CR or LF, and stops at the final result
//! code:
//!
//! | Line | Taken as |
//! |---|---|
//! | `+CSIM: 6,"9000"` | the response APDU (hex; `<length>` counts hex digits, TS 27.007 §8.17) |
//! | `OK` | the end: success |
//! | `ERROR` | the end: failure without a reason |
//! | `+CME ERROR: 10` or `+CME ERROR: SIM not inserted` | the end: failure, [`CmeError`] |
//! | `+CMS ERROR: 500` | the end: failure (an SMS error code, TS 27.005 §3.2.5) |
//! | `AT…` | the modem's echo of the command (echo left on): ignored |
//! | anything else (`+CREG: 1`, `RING`, `^RSSI:17`) | an unsolicited result code: ignored |
//!
//! Numeric result codes (`ATV0`) are not read: the transport leaves the modem
//! in verbose mode.
//!
//! ```
//! use simcore::transport::at::{AtAnswer, Final};
//! let mut answer = AtAnswer::new();
//! // Echo on, a URC between the response and OK, in two pieces.
//! assert_eq!(answer.feed(b"AT+CSIM=10,\"00B0000009\"\r\r\n+CSIM: 4,\"6C")?, None);
//! assert_eq!(answer.feed(b"09\"\r\n\r\n+CREG: 1\r\n\r\nOK\r\n")?, Some(Final::Ok));
//! assert_eq!(answer.response(), Some(&[0x6C, 0x09][..]));
//! assert_eq!(answer.ignored_lines(), 2);
//! # Ok::<(), simcore::transport::at::AtError>(())
//! ```

use crate::apdu::MAX_SHORT_RESPONSE_LEN;
use core::fmt;

/// The longest line kept: a `+CSIM:` line of a 258-byte response is 531
/// characters (3GPP TS 27.007 §8.17).
pub const MAX_LINE: usize = 1024;

/// Why an answer could not be read (3GPP TS 27.007 §8.17, §9.2, ITU-T V.250 §5.7).
///
/// Offsets count bytes from the start of the line in question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AtError {
    /// A `+CSIM:` line that is not `+CSIM: <length>,"<hex>"` (TS 27.007 §8.17).
    #[error("malformed +CSIM line: {what} at byte {offset}")]
    MalformedCsim {
        /// What was expected there (TS 27.007 §8.17).
        what: &'static str,
        /// Where the line went wrong.
        offset: usize,
    },
    /// The hex of a `+CSIM:` line has an odd number of digits (TS 27.007 §8.17).
    #[error("the +CSIM response has an odd number ({digits}) of hex digits")]
    OddHex {
        /// Hex digits found (TS 27.007 §8.17).
        digits: usize,
    },
    /// `<length>` matches neither the hex digits (TS 27.007 §8.17) nor the
    /// bytes they make.
    #[error("+CSIM announces length {declared} but carries {digits} hex digits")]
    LengthMismatch {
        /// The `<length>` field (TS 27.007 §8.17).
        declared: usize,
        /// Hex digits in `<response>` (TS 27.007 §8.17).
        digits: usize,
    },
    /// A second `+CSIM:` line in one answer (TS 27.007 §8.17).
    #[error("two +CSIM lines in one answer")]
    DuplicateCsim,
    /// The response is longer than a short response APDU (258 bytes) (ISO/IEC 7816-4 §5.1.3).
    #[error("the +CSIM response has {len} bytes; at most 258 fit a response APDU")]
    ResponseTooLong {
        /// Bytes in the response (ISO/IEC 7816-4 §5.1.3).
        len: usize,
    },
    /// A line longer than [`MAX_LINE`] bytes (an answer line, 3GPP TS 27.007
    /// §8.17 / ITU-T V.250 §5).
    #[error("a line of more than 1024 bytes from the modem")]
    LineTooLong,
}

impl AtError {
    /// The byte offset in the line, for the errors that have one (TS 27.007 §8.17).
    #[must_use]
    pub const fn offset(&self) -> Option<usize> {
        match *self {
            AtError::MalformedCsim { offset, .. } => Some(offset),
            AtError::OddHex { .. }
            | AtError::LengthMismatch { .. }
            | AtError::DuplicateCsim
            | AtError::ResponseTooLong { .. }
            | AtError::LineTooLong => None,
        }
    }
}

/// `+CME ERROR: <err>`, a mobile termination error (TS 27.007 §9.2).
///
/// The number is kept when the modem gave one (`AT+CMEE=1`) or when its
/// verbose text (`AT+CMEE=2`) is one of the table's; `None` for other text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CmeError {
    /// The error number (TS 27.007 §9.2).
    pub code: Option<u16>,
}

/// TS 27.007 §9.2.1 (general errors) and the SIM-related numbers of §9.2.2,
/// with the specification's texts.
const CME_ERRORS: [(u16, &str); 42] = [
    (0, "phone failure"),
    (1, "no connection to phone"),
    (2, "phone-adaptor link reserved"),
    (3, "operation not allowed"),
    (4, "operation not supported"),
    (5, "PH-SIM PIN required"),
    (6, "PH-FSIM PIN required"),
    (7, "PH-FSIM PUK required"),
    (10, "SIM not inserted"),
    (11, "SIM PIN required"),
    (12, "SIM PUK required"),
    (13, "SIM failure"),
    (14, "SIM busy"),
    (15, "SIM wrong"),
    (16, "incorrect password"),
    (17, "SIM PIN2 required"),
    (18, "SIM PUK2 required"),
    (20, "memory full"),
    (21, "invalid index"),
    (22, "not found"),
    (23, "memory failure"),
    (24, "text string too long"),
    (25, "invalid characters in text string"),
    (26, "dial string too long"),
    (27, "invalid characters in dial string"),
    (30, "no network service"),
    (31, "network timeout"),
    (32, "network not allowed - emergency calls only"),
    (40, "network personalization PIN required"),
    (41, "network personalization PUK required"),
    (42, "network subset personalization PIN required"),
    (43, "network subset personalization PUK required"),
    (44, "service provider personalization PIN required"),
    (45, "service provider personalization PUK required"),
    (46, "corporate personalization PIN required"),
    (47, "corporate personalization PUK required"),
    (48, "hidden key required"),
    (49, "EAP method not supported"),
    (50, "incorrect parameters"),
    (51, "command implemented but currently disabled"),
    (52, "command aborted by user"),
    (100, "unknown"),
];

impl CmeError {
    /// The meaning of the number, TS 27.007 §9.2.1 ("SIM not inserted" for 10).
    #[must_use]
    pub fn meaning(&self) -> Option<&'static str> {
        let code = self.code?;
        CME_ERRORS.iter().find_map(|&(n, text)| (n == code).then_some(text))
    }

    /// The error whose verbose text is `text` (TS 27.007 §9.2.1, case
    /// insensitive), or a number.
    #[must_use]
    pub fn from_text(text: &[u8]) -> Self {
        let text = trim(text);
        if let Some(code) = parse_number(text) {
            return CmeError { code: u16::try_from(code).ok() };
        }
        let code = CME_ERRORS
            .iter()
            .find_map(|&(n, known)| known.as_bytes().eq_ignore_ascii_case(text).then_some(n));
        CmeError { code }
    }

    /// What the number means for a transport: no card for "SIM not inserted"
    /// (10), "SIM failure" (13) and "SIM wrong" (15); a timeout for "network
    /// timeout" (31); anything else is [`super::ErrorKind::Other`] (TS 27.007 §9.2.1).
    #[must_use]
    pub const fn kind(&self) -> super::ErrorKind {
        match self.code {
            Some(10 | 13 | 15) => super::ErrorKind::NoCard,
            Some(31) => super::ErrorKind::Timeout,
            _ => super::ErrorKind::Other,
        }
    }
}

/// `+CME ERROR 10 (SIM not inserted)`.
impl fmt::Display for CmeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.code, self.meaning()) {
            (Some(code), Some(meaning)) => write!(f, "+CME ERROR {code} ({meaning})"),
            (Some(code), None) => write!(f, "+CME ERROR {code}"),
            (None, _) => f.write_str("+CME ERROR (a text this crate does not know)"),
        }
    }
}

/// The final result code that ends an answer (V.250 §5.7.1, TS 27.007 §9.2,
/// TS 27.005 §3.2.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Final {
    /// `OK` (ITU-T V.250 §5.7).
    Ok,
    /// `ERROR` (ITU-T V.250 §5.7).
    Error,
    /// `+CME ERROR: <err>` (TS 27.007 §9.2).
    Cme(CmeError),
    /// `+CMS ERROR: <err>` (number, or `None` for text) (TS 27.005 §3.2.5).
    Cms(Option<u16>),
}

/// One line of an answer, classified (see the module documentation)
/// (3GPP TS 27.007 §8.17, §9.2, ITU-T V.250 §5.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line<'a> {
    /// `+CSIM: <length>,"<hex>"`: the hex digits, checked (TS 27.007 §8.17).
    Csim(&'a [u8]),
    /// A final result code (ITU-T V.250 §5.7, TS 27.007 §9.2).
    Final(Final),
    /// The echo of a command line (the modem repeats what it was sent unless told `ATE0`,
    /// ITU-T V.250 §6.2.4).
    Echo,
    /// Any other line: an unsolicited result code (ITU-T V.250 §5.7).
    Other,
}

fn trim(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(start, |i| i + 1);
    bytes.get(start..end).unwrap_or_default()
}

/// A decimal number of 1 to 6 digits.
fn parse_number(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() || bytes.len() > 6 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(bytes.iter().fold(0u32, |n, &d| n * 10 + u32::from(d - b'0')))
}

/// Classify one line (without its CR LF) (3GPP TS 27.007 §8.17, §9.2, ITU-T V.250 §5.7).
///
/// # Errors
/// [`AtError::MalformedCsim`], [`AtError::OddHex`] or
/// [`AtError::LengthMismatch`] for a `+CSIM:` line that does not read.
pub fn parse_line(line: &[u8]) -> Result<Line<'_>, AtError> {
    let start = line.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(line.len());
    let text = trim(line);
    if text.eq_ignore_ascii_case(b"OK") {
        return Ok(Line::Final(Final::Ok));
    }
    if text.eq_ignore_ascii_case(b"ERROR") {
        return Ok(Line::Final(Final::Error));
    }
    if let Some(rest) = strip_prefix_ignore_case(text, b"+CME ERROR:") {
        return Ok(Line::Final(Final::Cme(CmeError::from_text(rest))));
    }
    if let Some(rest) = strip_prefix_ignore_case(text, b"+CMS ERROR:") {
        return Ok(Line::Final(Final::Cms(parse_number(trim(rest)).and_then(|n| u16::try_from(n).ok()))));
    }
    if let Some(rest) = strip_prefix_ignore_case(text, b"+CSIM:") {
        let at = start + b"+CSIM:".len();
        return parse_csim(rest, at).map(Line::Csim);
    }
    if strip_prefix_ignore_case(text, b"AT").is_some() {
        return Ok(Line::Echo);
    }
    Ok(Line::Other)
}

fn strip_prefix_ignore_case<'a>(text: &'a [u8], prefix: &[u8]) -> Option<&'a [u8]> {
    let (head, rest) = text.split_at_checked(prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then_some(rest)
}

/// The grammar of the `+CSIM:` answer after its prefix (TS 27.007 §8.17),
/// the line already trimmed:
/// `*SP <length> "," *SP ( DQUOTE *HEXDIG DQUOTE / *HEXDIG )`.
/// Each step is a `nom` parser; a failing step says what it expected, and the
/// input it was left with gives the byte offset.
mod csim_grammar {
    use nom::bytes::complete::{tag, take_while, take_while1};
    use nom::combinator::{eof, map_opt, opt};
    use nom::error::{ErrorKind, ParseError};
    use nom::{IResult, Parser};

    /// Where a step failed (the input left there) and what it expected.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(super) struct Expected<'a> {
        pub(super) remaining: &'a [u8],
        pub(super) what: &'static str,
    }

    impl<'a> ParseError<&'a [u8]> for Expected<'a> {
        fn from_error_kind(remaining: &'a [u8], _: ErrorKind) -> Self {
            Expected { remaining, what: "+CSIM: <length>,\"<hex>\"" }
        }

        fn append(_: &'a [u8], _: ErrorKind, other: Self) -> Self {
            other
        }
    }

    type Step<'a, O> = IResult<&'a [u8], O, Expected<'a>>;

    /// Runs `parser`; if it fails, the error names `what` at the step's start.
    fn expect<'a, O>(
        what: &'static str,
        mut parser: impl Parser<&'a [u8], Output = O, Error = Expected<'a>>,
    ) -> impl FnMut(&'a [u8]) -> Step<'a, O> {
        move |input| parser.parse(input).map_err(|e| e.map(|_| Expected { remaining: input, what }))
    }

    fn spaces(input: &[u8]) -> Step<'_, &[u8]> {
        take_while(|b| b == b' ').parse(input)
    }

    /// `<length>`: the decimal digits there, read by [`super::parse_number`]
    /// (1 to 6 of them: no answer needs more).
    fn length(input: &[u8]) -> Step<'_, u32> {
        let digits = take_while1(|b: u8| b.is_ascii_digit());
        expect("<length>, a decimal number", map_opt(digits, super::parse_number))(input)
    }

    /// `"<hex>"` or, from modems that leave the quotes out, `<hex>`; then the end of the line.
    fn response(input: &[u8]) -> Step<'_, &[u8]> {
        let (rest, open) = opt(tag(&b"\""[..])).parse(input)?;
        let (rest, hex) = take_while(|b: u8| b.is_ascii_hexdigit()).parse(rest)?;
        let rest = if open.is_some() {
            let (rest, _) = expect("closing '\"'", nom::combinator::not(eof)).parse(rest)?;
            let (rest, _) = expect("a hex digit", tag(&b"\""[..])).parse(rest)?;
            expect("the end of the line", eof).parse(rest)?.0
        } else {
            expect("a hex digit", eof).parse(rest)?.0
        };
        Ok((rest, hex))
    }

    /// `<length>` and the hex digits of `<response>`.
    pub(super) fn csim(input: &[u8]) -> Step<'_, (u32, &[u8])> {
        let (rest, _) = spaces(input)?;
        let (rest, declared) = length(rest)?;
        let (rest, _) = expect("',' after <length>", tag(&b","[..])).parse(rest)?;
        let (rest, _) = spaces(rest)?;
        let (rest, hex) = response(rest)?;
        Ok((rest, (declared, hex)))
    }
}

/// `<length>,"<hex>"` after `+CSIM:` (TS 27.007 §8.17); `at` is the offset of
/// `rest` in the line.
fn parse_csim(rest: &[u8], at: usize) -> Result<&[u8], AtError> {
    let (declared, hex) = match csim_grammar::csim(rest) {
        // At most six digits: always fits.
        Ok((_, (declared, hex))) => (usize::try_from(declared).unwrap_or(usize::MAX), hex),
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => {
            let offset = at + rest.len().saturating_sub(e.remaining.len());
            return Err(AtError::MalformedCsim { what: e.what, offset });
        }
        // Complete parsers never ask for more input.
        Err(nom::Err::Incomplete(_)) => {
            return Err(AtError::MalformedCsim { what: "a complete line", offset: at + rest.len() });
        }
    };
    if hex.len() % 2 != 0 {
        return Err(AtError::OddHex { digits: hex.len() });
    }
    // TS 27.007 §8.17: <length> counts characters, twice the bytes; a modem
    // that counts bytes is tolerated.
    if declared != hex.len() && declared.saturating_mul(2) != hex.len() {
        return Err(AtError::LengthMismatch { declared, digits: hex.len() });
    }
    if hex.len() / 2 > MAX_SHORT_RESPONSE_LEN {
        return Err(AtError::ResponseTooLong { len: hex.len() / 2 });
    }
    Ok(hex)
}

/// The answer to one AT command, read piece by piece up to its final result
/// code (see the module documentation). No allocation (3GPP TS 27.007 §8.17, ITU-T V.250 §5.7).
#[derive(Clone)]
pub struct AtAnswer {
    /// The line being read: the modem's echo of `AT+CSIM` holds the command
    /// in hex, PIN data included, so it is wiped after each line, on error
    /// and on drop, and left out of `Debug`.
    line: heapless::Vec<u8, MAX_LINE>,
    response: heapless::Vec<u8, MAX_SHORT_RESPONSE_LEN>,
    csim: bool,
    ignored: u16,
    done: Option<Final>,
}

impl Default for AtAnswer {
    fn default() -> Self {
        Self::new()
    }
}

/// The response read so far and the state; not the line being read, which
/// may be the echo of a PIN command.
impl core::fmt::Debug for AtAnswer {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("AtAnswer")
            .field("line_len", &self.line.len())
            .field("response", &crate::hex::Hex(&self.response))
            .field("csim", &self.csim)
            .field("ignored", &self.ignored)
            .field("done", &self.done)
            .finish()
    }
}

impl Drop for AtAnswer {
    fn drop(&mut self) {
        self.wipe_line();
    }
}

impl AtAnswer {
    /// An empty answer (TS 27.007 §8.17, ITU-T V.250 §5.7).
    #[must_use]
    pub const fn new() -> Self {
        AtAnswer {
            line: heapless::Vec::new(),
            response: heapless::Vec::new(),
            csim: false,
            ignored: 0,
            done: None,
        }
    }

    /// Take the next bytes. Returns the final result code once it is read;
    /// bytes after it are not looked at (and further calls return it again)
    /// (TS 27.007 §8.17, ITU-T V.250 §5.7).
    ///
    /// # Errors
    /// [`AtError`] for a `+CSIM:` line that does not read, a second one, or a
    /// line longer than [`MAX_LINE`].
    pub fn feed(&mut self, bytes: &[u8]) -> Result<Option<Final>, AtError> {
        if self.done.is_some() {
            return Ok(self.done);
        }
        for &byte in bytes {
            if byte != b'\r' && byte != b'\n' {
                if self.line.push(byte).is_err() {
                    self.wipe_line();
                    return Err(AtError::LineTooLong);
                }
                continue;
            }
            if self.line.iter().all(u8::is_ascii_whitespace) {
                self.line.clear();
                continue;
            }
            let outcome = self.take_line();
            self.wipe_line();
            if let Some(done) = outcome? {
                self.done = Some(done);
                return Ok(self.done);
            }
        }
        Ok(None)
    }

    /// Zero the line and empty it: an echoed `AT+CSIM` line holds the command
    /// in hex, PIN data included.
    fn wipe_line(&mut self) {
        zeroize::Zeroize::zeroize(self.line.as_mut_slice());
        self.line.clear();
    }

    fn take_line(&mut self) -> Result<Option<Final>, AtError> {
        match parse_line(&self.line)? {
            Line::Final(done) => Ok(Some(done)),
            Line::Csim(hex) => {
                if self.csim {
                    return Err(AtError::DuplicateCsim);
                }
                self.csim = true;
                for pair in hex.chunks_exact(2) {
                    let nibble = |c: u8| crate::hex::nibble(char::from(c));
                    if let [high, low] = *pair
                        && let (Some(high), Some(low)) = (nibble(high), nibble(low))
                    {
                        // Cannot overflow: parse_csim checked the length.
                        let _ = self.response.push(high << 4 | low);
                    }
                }
                Ok(None)
            }
            Line::Echo | Line::Other => {
                self.ignored = self.ignored.saturating_add(1);
                Ok(None)
            }
        }
    }

    /// The response APDU of the `+CSIM:` line, once one was read (TS 27.007 §8.17).
    #[must_use]
    pub fn response(&self) -> Option<&[u8]> {
        self.csim.then_some(self.response.as_slice())
    }

    /// The final result code, once read (ITU-T V.250 §5.7, TS 27.007 §9.2).
    #[must_use]
    pub const fn final_result(&self) -> Option<Final> {
        self.done
    }

    /// How many lines were ignored (echo, unsolicited result codes) (ITU-T V.250 §5.7).
    #[must_use]
    pub const fn ignored_lines(&self) -> u16 {
        self.ignored
    }
}

/// Write `AT+CSIM=<length>,"<hex>"` and a CR for `command` into `out`
/// (TS 27.007 §8.17: `<length>` is the number of hex characters); the
/// written part.
///
/// # Errors
/// [`crate::codec::EncodeError::BufferTooSmall`] when `out` is too short
/// (it needs 13 + 2 × the command's length bytes at most).
///
/// ```
/// let mut out = [0u8; 64];
/// let line = simcore::transport::at::csim_command(&[0x00, 0xB0, 0x00, 0x00, 0x0A], &mut out)?;
/// assert_eq!(line, b"AT+CSIM=10,\"00B000000A\"\r");
/// # Ok::<(), simcore::codec::EncodeError>(())
/// ```
pub fn csim_command<'b>(command: &[u8], out: &'b mut [u8]) -> Result<&'b [u8], crate::codec::EncodeError> {
    let capacity = out.len();
    let mut len = 0usize;
    let mut put = |bytes: &[u8]| -> Result<(), crate::codec::EncodeError> {
        let end = len + bytes.len();
        out.get_mut(len..end)
            .ok_or(crate::codec::EncodeError::BufferTooSmall { needed: end, capacity })?
            .copy_from_slice(bytes);
        len = end;
        Ok(())
    };
    put(b"AT+CSIM=")?;
    let mut digits = [0u8; 20];
    let mut n = command.len() * 2;
    let mut i = digits.len();
    loop {
        i -= 1;
        if let Some(slot) = digits.get_mut(i) {
            *slot = b'0' + u8::try_from(n % 10).unwrap_or(0);
        }
        n /= 10;
        if n == 0 || i == 0 {
            break;
        }
    }
    put(digits.get(i..).unwrap_or_default())?;
    put(b",\"")?;
    for &byte in command {
        put(&[crate::codec::bcd::hex_ascii(byte >> 4), crate::codec::bcd::hex_ascii(byte & 0x0F)])?;
    }
    put(b"\"\r")?;
    Ok(out.get(..len).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines() {
        assert_eq!(parse_line(b"OK"), Ok(Line::Final(Final::Ok)));
        assert_eq!(parse_line(b"  ok "), Ok(Line::Final(Final::Ok)));
        assert_eq!(parse_line(b"ERROR"), Ok(Line::Final(Final::Error)));
        // TS 27.007 §9.2.1: 10 = SIM not inserted; the verbose form maps back.
        let numeric = parse_line(b"+CME ERROR: 10").unwrap();
        let verbose = parse_line(b"+CME ERROR: SIM not inserted").unwrap();
        assert_eq!(numeric, Line::Final(Final::Cme(CmeError { code: Some(10) })));
        assert_eq!(numeric, verbose);
        let Line::Final(Final::Cme(e)) = numeric else { panic!() };
        assert_eq!(e.meaning(), Some("SIM not inserted"));
        assert_eq!(e.kind(), crate::transport::ErrorKind::NoCard);
        assert_eq!(parse_line(b"+CME ERROR: no idea"), Ok(Line::Final(Final::Cme(CmeError { code: None }))));
        assert_eq!(parse_line(b"+CMS ERROR: 500"), Ok(Line::Final(Final::Cms(Some(500)))));
        assert_eq!(parse_line(b"+CSIM: 4,\"9000\""), Ok(Line::Csim(b"9000")));
        assert_eq!(parse_line(b"+CSIM:4,9000"), Ok(Line::Csim(b"9000")), "unquoted, no space");
        assert_eq!(parse_line(b"+CSIM: 2,\"9000\""), Ok(Line::Csim(b"9000")), "length in bytes tolerated");
        assert_eq!(parse_line(b"AT+CSIM=10,\"00B000000A\""), Ok(Line::Echo));
        assert_eq!(parse_line(b"+CREG: 1,\"00C3\",\"0010\""), Ok(Line::Other));
        assert_eq!(parse_line(b"RING"), Ok(Line::Other));
    }

    #[test]
    fn malformed_csim_lines_say_where() {
        assert_eq!(
            parse_line(b"+CSIM: x,\"90\""),
            Err(AtError::MalformedCsim { what: "<length>, a decimal number", offset: 7 })
        );
        assert_eq!(
            parse_line(b"+CSIM: 4;\"9000\""),
            Err(AtError::MalformedCsim { what: "',' after <length>", offset: 8 })
        );
        assert_eq!(
            parse_line(b"+CSIM: 4,\"9000"),
            Err(AtError::MalformedCsim { what: "closing '\"'", offset: 14 })
        );
        assert_eq!(
            parse_line(b"+CSIM: 4,\"90G0\""),
            Err(AtError::MalformedCsim { what: "a hex digit", offset: 12 })
        );
        assert_eq!(
            parse_line(b"+CSIM: 1234567,\"90\""),
            Err(AtError::MalformedCsim { what: "<length>, a decimal number", offset: 7 }),
            "seven digits"
        );
        assert_eq!(
            parse_line(b"+CSIM: 4,\"9000\"x"),
            Err(AtError::MalformedCsim { what: "the end of the line", offset: 15 }),
            "text after the closing quote"
        );
        assert_eq!(
            parse_line(b"+CSIM: 4,90 00"),
            Err(AtError::MalformedCsim { what: "a hex digit", offset: 11 }),
            "a space inside unquoted hex"
        );
        assert_eq!(
            parse_line(b"  +CSIM:   4,  \"9000\"  "),
            Ok(Line::Csim(b"9000")),
            "spaces around the fields"
        );
        assert_eq!(
            parse_line(b"+CSIM: 0,\"\""),
            Ok(Line::Csim(b"")),
            "an empty response reads; the transport refuses it"
        );
        assert_eq!(parse_line(b"+CSIM: 3,\"900\""), Err(AtError::OddHex { digits: 3 }));
        assert_eq!(parse_line(b"+CSIM: 6,\"9000\""), Err(AtError::LengthMismatch { declared: 6, digits: 4 }));
        let mut long = heapless::Vec::<u8, 700>::new();
        long.extend_from_slice(b"+CSIM: 520,\"").unwrap();
        long.extend_from_slice(&[b'0'; 520]).unwrap();
        long.push(b'"').unwrap();
        assert_eq!(parse_line(&long), Err(AtError::ResponseTooLong { len: 260 }));
    }

    #[test]
    fn an_unfinished_echo_of_a_pin_stays_out_of_debug() {
        // The echo of VERIFY "1234" (3132 3334 in the hex), cut before its CR,
        // as a timeout leaves it; then one too long for the line.
        let mut answer = AtAnswer::new();
        answer.feed(b"AT+CSIM=26,\"002000010831323334FFFFFFFF\"").unwrap();
        let shown = std::format!("{answer:?}");
        // Neither as bytes nor as text nor as hex digits.
        for leak in ["51, 49", "49, 50", "1234", "3132", "31 32"] {
            assert!(!shown.contains(leak), "{leak} in {shown}");
        }
        assert!(shown.contains("line_len: 39"), "{shown}");
        let mut long = AtAnswer::new();
        assert_eq!(long.feed(&[b'3'; MAX_LINE + 1]), Err(AtError::LineTooLong));
        assert!(std::format!("{long:?}").contains("line_len: 0"));
    }

    #[test]
    fn answers_in_pieces() {
        let whole = b"\r\n+CSIM: 8,\"01029000\"\r\n\r\nOK\r\n";
        for split in 0..whole.len() {
            let mut answer = AtAnswer::new();
            let first = answer.feed(&whole[..split]).unwrap();
            // "OK" ends at byte 27; its CR completes it.
            assert_eq!(first.is_some(), split >= 28, "split at {split}");
            assert_eq!(answer.feed(&whole[split..]).unwrap(), Some(Final::Ok));
            assert_eq!(answer.response(), Some(&[0x01, 0x02, 0x90, 0x00][..]));
        }
        let mut answer = AtAnswer::new();
        assert_eq!(answer.feed(b"\r\nOK\r\n").unwrap(), Some(Final::Ok));
        assert_eq!(answer.response(), None);
        assert_eq!(answer.feed(b"ERROR\r\n").unwrap(), Some(Final::Ok), "nothing after the final code");
        let mut answer = AtAnswer::new();
        assert_eq!(answer.feed(b"+CSIM: 4,\"9000\"\r\n+CSIM: 4,\"9000\"\r\n"), Err(AtError::DuplicateCsim));
        let mut answer = AtAnswer::new();
        assert_eq!(answer.feed(&[b'x'; MAX_LINE + 1]), Err(AtError::LineTooLong));
    }

    #[test]
    fn command_lines() {
        let mut out = [0u8; 600];
        // Vector V90 as a T=0 TPDU on the basic channel.
        let tpdu = crate::hex::decode("80 E2 91 00 06 BF 3E 03 5C 01 5A").unwrap();
        assert_eq!(csim_command(&tpdu, &mut out).unwrap(), b"AT+CSIM=22,\"80E2910006BF3E035C015A\"\r");
        let big = [0xABu8; 260];
        let line = csim_command(&big, &mut out).unwrap();
        assert!(line.starts_with(b"AT+CSIM=520,\"ABAB"));
        assert_eq!(line.len(), 8 + 3 + 2 + 520 + 2);
        assert!(csim_command(&big, &mut out[..100]).is_err());
    }
}
