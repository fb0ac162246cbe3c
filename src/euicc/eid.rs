//! The eUICC identifier (EID), GSMA SGP.02 and SGP.29: 32 decimal
//! digits, stored as 16 bytes of plain nibbles (high nibble first, no swap),
//! whose last two digits are check digits.
//!
//! The check digits follow ISO 7064 mod 97-10 (SGP.29): read as one
//! 32-digit decimal number, a valid EID leaves remainder 1 when divided by 97.
//! To compute them for a 30-digit body, append `00`, take the remainder r of
//! that number by 97, and append 98 − r as two digits.

use crate::codec::DecodeError;
use core::fmt;

/// Digits of an EID (GSMA SGP.29).
pub const EID_DIGITS: usize = 32;
/// Bytes of an EID (GSMA SGP.29).
pub const EID_LEN: usize = 16;
/// Digits of an EID before its check digits (GSMA SGP.29).
pub const EID_BODY_DIGITS: usize = 30;

/// An EID: 32 decimal digits (GSMA SGP.02, SGP.29). `Copy`, no allocation.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Eid {
    bytes: [u8; EID_LEN],
}

/// Remainder by 97 of the decimal number whose digits are `digits`, continuing
/// from `start` (ISO 7064 mod 97-10, the step of SGP.29).
fn mod97<I: IntoIterator<Item = u8>>(start: u32, digits: I) -> u32 {
    digits.into_iter().fold(start, |r, d| (r * 10 + u32::from(d)) % 97)
}

impl Eid {
    /// The EID of 16 bytes as a card returns it (tag 5A of GetEuiccData,
    /// SGP.22 §5.7.20; GET DATA 5A of the ECASD, SGP.02).
    ///
    /// # Errors
    /// [`DecodeError::Invalid`] for a nibble above 9, naming its byte.
    pub fn from_bytes(bytes: [u8; EID_LEN]) -> Result<Self, DecodeError> {
        for (offset, &b) in bytes.iter().enumerate() {
            if b >> 4 > 9 || b & 0x0F > 9 {
                return Err(DecodeError::Invalid { what: "EID digit", offset, found: b });
            }
        }
        Ok(Eid { bytes })
    }

    /// The EID of a slice that must be exactly 16 bytes (GSMA SGP.29).
    ///
    /// # Errors
    /// [`DecodeError::Truncated`] or [`DecodeError::TrailingBytes`] for
    /// another length; as [`Eid::from_bytes`].
    pub fn from_slice(bytes: &[u8]) -> Result<Self, DecodeError> {
        match <[u8; EID_LEN]>::try_from(bytes) {
            Ok(array) => Self::from_bytes(array),
            Err(_) if bytes.len() < EID_LEN => Err(DecodeError::Truncated {
                what: "EID",
                offset: bytes.len(),
                needed: EID_LEN - bytes.len(),
            }),
            Err(_) => Err(DecodeError::TrailingBytes { what: "EID", offset: EID_LEN }),
        }
    }

    /// Parse the 32 printed digits (spaces allowed between them) (GSMA SGP.29).
    ///
    /// # Errors
    /// [`DecodeError::InvalidChar`] for a character that is not a digit or
    /// for a 33rd digit; [`DecodeError::Truncated`] for fewer than 32.
    pub fn parse(text: &str) -> Result<Self, DecodeError> {
        let mut digits = [0u8; EID_DIGITS];
        read_digits(text, &mut digits, "EID")?;
        Ok(Self::from_digits(&digits))
    }

    /// The EID of a 30-digit body followed by its two check digits (SGP.29
    /// §2.2).
    ///
    /// # Errors
    /// As [`Eid::parse`], with 30 digits expected.
    ///
    /// ```
    /// use simcore::euicc::Eid;
    /// // pySim's sysmoEUICC1 (tests/pySim-shell_test/euicc/get_eid.ok).
    /// let eid = Eid::with_check_digits("890490449000000000000000001023")?;
    /// assert_eq!(eid.to_string(), "89049044900000000000000000102355");
    /// assert!(eid.check_digits_valid());
    /// # Ok::<(), simcore::codec::DecodeError>(())
    /// ```
    pub fn with_check_digits(body: &str) -> Result<Self, DecodeError> {
        let mut digits = [0u8; EID_DIGITS];
        let (body_digits, check) = digits.split_at_mut(EID_BODY_DIGITS);
        read_digits(body, body_digits, "EID body")?;
        let value = check_digits(body_digits.iter().copied());
        if let [tens, units] = check {
            *tens = value / 10;
            *units = value % 10;
        }
        Ok(Self::from_digits(&digits))
    }

    fn from_digits(digits: &[u8; EID_DIGITS]) -> Self {
        let mut bytes = [0u8; EID_LEN];
        for (byte, pair) in bytes.iter_mut().zip(digits.chunks_exact(2)) {
            if let [high, low] = *pair {
                *byte = (high << 4) | low;
            }
        }
        Eid { bytes }
    }

    /// The 16 bytes (GSMA SGP.29).
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; EID_LEN] {
        &self.bytes
    }

    /// The 32 digits, each 0–9, most significant first (GSMA SGP.29).
    pub fn digits(&self) -> impl Iterator<Item = u8> + '_ {
        self.bytes.iter().flat_map(|b| [b >> 4, b & 0x0F])
    }

    /// The two check digits as a number, 0–99 (SGP.29 §2.2).
    #[must_use]
    pub fn check_value(&self) -> u8 {
        let [.., last] = self.bytes;
        (last >> 4) * 10 + (last & 0x0F)
    }

    /// Whether the 32-digit number leaves remainder 1 by 97 (SGP.29).
    #[must_use]
    pub fn check_digits_valid(&self) -> bool {
        // Two digits per step: r = (100 r + byte's value) mod 97.
        let r = self
            .bytes
            .iter()
            .fold(0u32, |r, &b| (r * 100 + u32::from(b >> 4) * 10 + u32::from(b & 0x0F)) % 97);
        r == 1
    }

    /// The issuer part: the first 18 digits, the EUM identification number
    /// (SGP.29: major industry identifier, country code, issuer
    /// identifier, platform and OS version, additional issuer information).
    pub fn issuer_digits(&self) -> impl Iterator<Item = u8> + '_ {
        self.digits().take(18)
    }
}

/// The check digits (0–99) of a 30-digit EID body (SGP.29): 98 minus the
/// remainder by 97 of the body followed by `00`. Digits above 9 are taken
/// modulo 10.
#[must_use]
pub fn check_digits<I: IntoIterator<Item = u8>>(body: I) -> u8 {
    let r = mod97(0, body.into_iter().map(|d| d % 10).chain([0, 0]));
    u8::try_from(98 - r).unwrap_or(0)
}

/// Read exactly `out.len()` decimal digits of `text` into `out` (spaces
/// skipped); a text that ends early is `Truncated` at its end, in characters.
fn read_digits(text: &str, out: &mut [u8], what: &'static str) -> Result<(), DecodeError> {
    let mut n = 0usize;
    for (offset, c) in text.chars().enumerate() {
        if c == ' ' {
            continue;
        }
        match (c.to_digit(10), out.get_mut(n)) {
            (Some(d), Some(slot)) => *slot = u8::try_from(d).unwrap_or(0),
            _ => return Err(DecodeError::InvalidChar { what, offset, found: c }),
        }
        n += 1;
    }
    match out.len().checked_sub(n) {
        Some(0) | None => Ok(()),
        Some(needed) => Err(DecodeError::Truncated { what, offset: text.chars().count(), needed }),
    }
}

/// The 32 digits.
impl fmt::Display for Eid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.bytes.iter().try_for_each(|b| write!(f, "{b:02X}"))
    }
}

impl fmt::Debug for Eid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Eid({self})")
    }
}

impl core::str::FromStr for Eid {
    type Err = DecodeError;
    fn from_str(s: &str) -> Result<Self, DecodeError> {
        Eid::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    #[test]
    fn vector_v103_check_digits() {
        // vectors.md V103 (computed, checked twice); the first is pySim's
        // sysmoEUICC1 EID (get_eid.ok), the second its GET EID unit test.
        for text in ["89049044900000000000000000102355", "89882119900000000000000000000005"] {
            let eid = Eid::parse(text).unwrap();
            assert!(eid.check_digits_valid(), "{text}");
            assert_eq!(eid.to_string(), text);
            let body = &text[..30];
            assert_eq!(Eid::with_check_digits(body).unwrap(), eid);
        }
        assert_eq!(Eid::parse("89049044900000000000000000102355").unwrap().check_value(), 55);
        assert_eq!(check_digits([8, 9, 8, 8, 2, 1, 1, 9, 9].into_iter().chain([0; 21])), 5);
    }

    #[test]
    fn a_changed_digit_or_swap_breaks_the_check() {
        // ISO 7064 mod 97-10 catches every single-digit change and every swap of
        // two adjacent different digits.
        let good = "89049044900000000000000000102355";
        let digits: heapless::Vec<u8, 32> = good.bytes().map(|b| b - b'0').collect();
        for i in 0..32 {
            for d in 0..10u8 {
                if d == digits[i] {
                    continue;
                }
                let mut changed = digits.clone();
                changed[i] = d;
                let text: heapless::String<32> = changed.iter().map(|&d| char::from(b'0' + d)).collect();
                assert!(!Eid::parse(&text).unwrap().check_digits_valid(), "{text}");
            }
            if i + 1 < 32 && digits[i] != digits[i + 1] {
                let mut swapped = digits.clone();
                swapped.swap(i, i + 1);
                let text: heapless::String<32> = swapped.iter().map(|&d| char::from(b'0' + d)).collect();
                assert!(!Eid::parse(&text).unwrap().check_digits_valid(), "{text}");
            }
        }
    }

    #[test]
    fn bytes_and_errors() {
        // vectors.md V101: the 16 bytes of pySim's GET EID response.
        let bytes = crate::hex::decode("89882119900000000000000000000005").unwrap();
        let eid = Eid::from_slice(&bytes).unwrap();
        assert_eq!(eid.to_string(), "89882119900000000000000000000005");
        assert_eq!(eid.issuer_digits().count(), 18);
        let mut bad = [0x89u8; 16];
        bad[3] = 0x8A;
        assert_eq!(
            Eid::from_bytes(bad),
            Err(DecodeError::Invalid { what: "EID digit", offset: 3, found: 0x8A })
        );
        assert_eq!(
            Eid::from_slice(&[0x89; 15]),
            Err(DecodeError::Truncated { what: "EID", offset: 15, needed: 1 })
        );
        assert_eq!(Eid::from_slice(&[0x89; 17]), Err(DecodeError::TrailingBytes { what: "EID", offset: 16 }));
        assert_eq!(Eid::parse("8904"), Err(DecodeError::Truncated { what: "EID", offset: 4, needed: 28 }));
        // The offset counts characters, spaces included: the text ends at 9.
        assert_eq!(
            Eid::parse("8904 9044"),
            Err(DecodeError::Truncated { what: "EID", offset: 9, needed: 24 })
        );
        assert_eq!(
            Eid::with_check_digits("8904 9044"),
            Err(DecodeError::Truncated { what: "EID body", offset: 9, needed: 22 })
        );
        assert_eq!(Eid::parse("8904x"), Err(DecodeError::InvalidChar { what: "EID", offset: 4, found: 'x' }));
        assert!(Eid::parse("8904 9044 9000 0000 0000 0000 0010 2355").unwrap().check_digits_valid());
        assert!(Eid::parse("890490449000000000000000001023551").is_err());
    }
}
