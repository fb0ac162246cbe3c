//! EF_ICCID (2FE2): the ICC identification, TS 51.011 §10.1.1 / TS 102 221
//! §13.2, numbered by ITU-T E.118.
//!
//! Ten bytes of swapped-nibble BCD, the trailing nibbles `F`. Real cards hold
//! 19 digits (the E.118 maximum, check digit included) or 20; some Chinese
//! cards hold hex letters inside the number (resolved Q9). [`Iccid`] keeps
//! every nibble — letters are shown as `A`–`E` and flagged by
//! [`Iccid::is_decimal`] — and reports the Luhn check digit as a verdict
//! ([`Iccid::luhn`]) rather than rejecting numbers that fail it.

use super::e164::{self, CountryCode};
use crate::codec::error::check_digit_count;
use crate::codec::{DecodeError, bcd, luhn};
use core::fmt;
use core::str::FromStr;

/// Bytes of EF_ICCID.
const EF_LEN: usize = 10;
/// Digits EF_ICCID holds at most.
const MAX_DIGITS: usize = 2 * EF_LEN;

/// An ICCID: up to 20 digits, kept as text (no allocation, `Copy`) (TS 51.011 §10.1.1, ITU-T E.118).
#[derive(Clone, Copy)]
pub struct Iccid {
    /// ASCII `0`–`9`, `A`–`F`; only the first `len` are used.
    text: [u8; MAX_DIGITS],
    len: u8,
    /// The Luhn verdict, found when the number was read.
    luhn: Luhn,
}

/// The Luhn verdict on an ICCID's last digit (ITU-T E.118 §4.4). Reported,
/// never enforced: real cards carry invalid check digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Luhn {
    /// The last digit is the Luhn check digit of the others (ITU-T E.118 §4.4).
    Valid,
    /// The last digit is not; `expected` is the check digit the others call for (ITU-T E.118 §4.4).
    Invalid {
        /// The check digit the payload calls for (ITU-T E.118 §4.4).
        expected: u8,
    },
    /// The number holds a non-decimal digit, so the check does not apply (ITU-T E.118 §4.4).
    NotDecimal,
}

/// The E.164 country code field of an ICCID (ITU-T E.118 §4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IccidCountry {
    /// The country calling code and its regions (ITU-T E.118 §4.2).
    pub code: CountryCode,
    /// Digits the field takes in the ICCID: the code's own digits, or one more
    /// for a zero-padded one-digit code (`8901…` for the USA) (ITU-T E.118 §4.2).
    pub len: usize,
}

impl Iccid {
    /// Length of EF_ICCID in bytes (TS 51.011 §10.1.1).
    pub const EF_LEN: usize = EF_LEN;

    /// Decode the 10 bytes of EF_ICCID: swap the nibbles, drop the trailing `F`s (TS 51.011 §10.1.1).
    ///
    /// # Errors
    /// [`DecodeError::Truncated`] for fewer than 10 bytes,
    /// [`DecodeError::TrailingBytes`] for more, [`DecodeError::Empty`] when every
    /// nibble is `F`.
    pub fn from_ef(bytes: &[u8]) -> Result<Self, DecodeError> {
        let ef: &[u8; EF_LEN] = match bytes.split_first_chunk() {
            Some((ef, [])) => ef,
            Some((_, _)) => return Err(DecodeError::TrailingBytes { what: "EF_ICCID", offset: EF_LEN }),
            None => {
                return Err(DecodeError::Truncated {
                    what: "EF_ICCID",
                    offset: bytes.len(),
                    needed: EF_LEN - bytes.len(),
                });
            }
        };
        let len = bcd::digit_count(ef);
        if len == 0 {
            return Err(DecodeError::Empty { what: "ICCID", offset: 0 });
        }
        let mut text = [0u8; MAX_DIGITS];
        for (pair, &b) in text.as_chunks_mut::<2>().0.iter_mut().zip(ef) {
            *pair = [bcd::hex_ascii(b & 0x0F), bcd::hex_ascii(b >> 4)];
        }
        let len8 = u8::try_from(len).unwrap_or(0);
        let luhn = match luhn::is_valid_bcd(ef, len) {
            Some(true) => Luhn::Valid,
            Some(false) => expected_check_digit(&text, len8),
            None => Luhn::NotDecimal,
        };
        Ok(Iccid { text, len: len8, luhn })
    }

    /// Parse a printed ICCID: 1 to 20 digits, spaces and dashes ignored (ITU-T
    /// E.118, TS 51.011 §10.1.1). Hex letters `A`–`F` (either case) are accepted
    /// as digits, as some cards carry them (resolved Q9), except a final `F`,
    /// which EF_ICCID cannot tell from the filler.
    ///
    /// # Errors
    /// [`DecodeError::InvalidChar`] naming the character position;
    /// [`DecodeError::DigitCount`] for text without a digit or with more than 20.
    pub fn parse(text: &str) -> Result<Self, DecodeError> {
        const WHAT: &str = "printed ICCID";
        let mut out = [0u8; MAX_DIGITS];
        let mut len = 0usize;
        let mut last_f = None;
        for (offset, c) in text.chars().enumerate() {
            if matches!(c, ' ' | '-') {
                continue;
            }
            let Some(value) = crate::hex::nibble(c) else {
                return Err(DecodeError::InvalidChar { what: WHAT, offset, found: c });
            };
            if let Some(slot) = out.get_mut(len) {
                *slot = bcd::hex_ascii(value);
            }
            last_f = (value == bcd::FILLER).then_some((offset, c));
            len += 1;
        }
        if let Some((offset, found)) = last_f {
            return Err(DecodeError::InvalidChar { what: WHAT, offset, found });
        }
        check_digit_count(WHAT, text, len, 1, MAX_DIGITS)?;
        let len8 = u8::try_from(len).unwrap_or(0);
        let digits = out.get(..len).unwrap_or_default();
        let luhn = match luhn::is_valid(digits) {
            Some(true) => Luhn::Valid,
            Some(false) => expected_check_digit(&out, len8),
            None => Luhn::NotDecimal,
        };
        Ok(Iccid { text: out, len: len8, luhn })
    }

    /// The digits as text (`0`–`9`, and `A`–`F` where the card holds them) (TS 51.011 §10.1.1).
    #[must_use]
    pub fn as_str(&self) -> &str {
        let bytes = self.text.get(..usize::from(self.len)).unwrap_or_default();
        core::str::from_utf8(bytes).unwrap_or_default()
    }

    /// Number of digits (19 or 20 on real cards) (TS 51.011 §10.1.1).
    #[must_use]
    pub const fn len(&self) -> usize {
        self.len as usize
    }

    /// Always false: an [`Iccid`] has at least one digit (TS 51.011 §10.1.1).
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The digit values (0–15) in order (TS 51.011 §10.1.1).
    pub fn digits(&self) -> impl DoubleEndedIterator<Item = u8> + ExactSizeIterator + Clone + '_ {
        self.text.get(..usize::from(self.len)).unwrap_or_default().iter().map(|&b| ascii_value(b))
    }

    /// Whether every digit is decimal (TS 51.011 §10.1.1).
    #[must_use]
    pub fn is_decimal(&self) -> bool {
        self.as_str().bytes().all(|b| b.is_ascii_digit())
    }

    /// Positions (from 0) of the non-decimal digits, with their letter (TS 51.011 §10.1.1).
    pub fn non_decimal(&self) -> impl Iterator<Item = (usize, char)> + '_ {
        self.as_str().char_indices().filter(|(_, c)| !c.is_ascii_digit())
    }

    /// The Luhn verdict on the last digit (ITU-T E.118 §4.4), found when the
    /// number was read.
    #[must_use]
    pub const fn luhn(&self) -> Luhn {
        self.luhn
    }

    /// The major industry identifier, the first two digits (ITU-T E.118 §4.1):
    /// 89 for telecommunications. `None` if they are not decimal.
    #[must_use]
    pub fn major_industry_identifier(&self) -> Option<u8> {
        match self.as_str().as_bytes() {
            [a, b, ..] if a.is_ascii_digit() && b.is_ascii_digit() => Some((a - b'0') * 10 + (b - b'0')),
            _ => None,
        }
    }

    /// Whether the major industry identifier is 89 (telecommunications) (ITU-T E.118 §4.1).
    #[must_use]
    pub fn is_telecom(&self) -> bool {
        self.major_industry_identifier() == Some(89)
    }

    /// The E.164 country calling code after `89` (ITU-T E.118 §4.2), matched
    /// against the list in [`crate::ef::e164`]. Issuers often zero-pad a
    /// one-digit code (`8901…` in the USA, `8907…`), which is accepted; other
    /// zero-led fields are not guessed. `None` for a non-telecom number or a
    /// field that is no listed code.
    #[must_use]
    pub fn country_code(&self) -> Option<IccidCountry> {
        if !self.is_telecom() {
            return None;
        }
        let field = self.digits().skip(2);
        let mut peek = field.clone();
        if peek.next() == Some(0) {
            return e164::lookup(peek.take(1))
                .filter(|c| c.digits() == 1)
                .map(|code| IccidCountry { code, len: 2 });
        }
        e164::lookup(field).map(|code| IccidCountry { code, len: code.digits() })
    }

    /// The issuer identifier field after the country code (ITU-T E.118 §4.3).
    ///
    /// E.118 gives it 1 to 4 digits with the whole issuer identification number
    /// (`89`, country code, issuer) at most 7; its real width is the issuer's
    /// choice and not written on the card, so this returns the widest field the
    /// rule allows. A shorter issuer identifier is a prefix of it.
    #[must_use]
    pub fn issuer_identifier(&self) -> Option<&str> {
        let country = self.country_code()?;
        let start = 2 + country.len;
        let width = (7usize.saturating_sub(start)).min(4);
        self.as_str().get(start..(start + width).min(self.len().saturating_sub(1)))
    }

    /// The 10 bytes of EF_ICCID, `F`-padded (TS 51.011 §10.1.1).
    #[must_use]
    pub fn to_ef(&self) -> [u8; EF_LEN] {
        let mut out = [0xFF; EF_LEN];
        // Cannot fail: at most 20 digit values, all below 16.
        let _ = bcd::encode_into(self.digits(), &mut out);
        out
    }
}

/// [`Luhn::Invalid`] with the check digit the first `len - 1` digits of `text`
/// call for (the rare path, kept out of the decoders' way).
#[cold]
fn expected_check_digit(text: &[u8; MAX_DIGITS], len: u8) -> Luhn {
    let payload = text.get(..usize::from(len).saturating_sub(1)).unwrap_or_default();
    luhn::check_digit(payload).map_or(Luhn::NotDecimal, |expected| Luhn::Invalid { expected })
}

/// The value of an ASCII hex digit (upper case, as stored).
const fn ascii_value(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        _ => b.wrapping_sub(b'A' - 10) & 0x0F,
    }
}

impl PartialEq for Iccid {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Iccid {}

impl core::hash::Hash for Iccid {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl FromStr for Iccid {
    type Err = DecodeError;

    fn from_str(s: &str) -> Result<Self, DecodeError> {
        Iccid::parse(s)
    }
}

impl fmt::Display for Iccid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Iccid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Iccid({})", self.as_str())
    }
}
