//! The secret code itself: TS 51.011 §9.3 and TS 102 221 §11.1.9.3 (8 bytes, ASCII
//! digits padded with FF).

use core::fmt;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// Length of an encoded code: 8 bytes (TS 51.011 §9.3, TS 102 221 §11.1.9.3).
pub(crate) const ENCODED_LEN: usize = 8;

/// The padding byte after the digits (TS 51.011 §9.3, TS 102 221 §11.1.9.3).
const PAD: u8 = 0xFF;

/// A secret code: a PIN or CHV (4–8 digits), a PUK or UNBLOCK CHV (8 digits), or
/// an ADM code (8 digits, or 16 hex digits giving the 8 bytes directly).
///
/// Held encoded as TS 51.011 §9.3 and TS 102 221 §11.1.9.3 send it: the digits as
/// ASCII (`'0'` = 30 … `'9'` = 39), left-aligned, padded with FF to 8 bytes.
/// The bytes are zeroized when the value is dropped; `Debug` prints `Pin(**)`
/// and `Display` prints `**`; equality runs in constant time. A `Pin` is not
/// `Copy`: every clone is wiped on its own drop.
///
/// ```
/// use simcore::chv::{Pin, PinError};
/// let pin = Pin::new("1234")?;
/// assert_eq!(pin.expose_encoded(), &[0x31, 0x32, 0x33, 0x34, 0xFF, 0xFF, 0xFF, 0xFF]);
/// assert_eq!(Pin::new("12a4"), Err(PinError::NotADigit { offset: 2 }));
/// # Ok::<(), PinError>(())
/// ```
#[derive(Clone)]
pub struct Pin {
    encoded: [u8; ENCODED_LEN],
}

/// Why a text or a byte string is not a valid secret code. The error says where,
/// never which character: the text is a secret (TS 51.011 §9.3, TS 102 221 §11.1.9.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PinError {
    /// Too few or too many digits (TS 51.011 §9.3: 4 to 8 for a CHV, 8 for an
    /// UNBLOCK CHV).
    #[error("a code of {len} characters; {} digits are needed", DigitCount { min: *min, max: *max })]
    WrongLength {
        /// Number of characters given.
        len: usize,
        /// Fewest digits allowed.
        min: usize,
        /// Most digits allowed.
        max: usize,
    },
    /// An ADM code of neither 8 digits nor 16 hex digits (TS 51.011 §9.3).
    #[error("an ADM code has 8 digits or 16 hex digits; this one has {len} characters")]
    WrongAdmLength {
        /// Number of characters given.
        len: usize,
    },
    /// A character that is not a decimal digit (TS 51.011 §9.3).
    #[error("character {} of the code (offset {offset}) is not a decimal digit", offset + 1)]
    NotADigit {
        /// Position of the character, counted from 0.
        offset: usize,
    },
    /// A character of a 16-digit ADM code that is not a hex digit (TS 51.011 §9.3).
    #[error("character {} of the ADM code (offset {offset}) is not a hex digit", offset + 1)]
    NotAHexDigit {
        /// Position of the character, counted from 0.
        offset: usize,
    },
    /// An encoded code whose byte is neither an ASCII digit nor FF padding after
    /// the digits (TS 51.011 §9.3).
    #[error("byte {offset} of the encoded code is neither an ASCII digit nor FF padding")]
    BadEncoding {
        /// Offset of the byte.
        offset: usize,
    },
}

/// "8" or "4 to 8", for [`PinError::WrongLength`]'s message.
struct DigitCount {
    min: usize,
    max: usize,
}

impl core::fmt::Display for DigitCount {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        if self.min == self.max {
            write!(f, "{}", self.max)
        } else {
            write!(f, "{} to {}", self.min, self.max)
        }
    }
}

impl PinError {
    /// The position where the input went wrong, when there is one (TS 51.011 §9.3).
    #[must_use]
    pub const fn offset(&self) -> Option<usize> {
        match *self {
            PinError::NotADigit { offset }
            | PinError::NotAHexDigit { offset }
            | PinError::BadEncoding { offset } => Some(offset),
            PinError::WrongLength { .. } | PinError::WrongAdmLength { .. } => None,
        }
    }
}

impl Pin {
    /// A PIN or CHV of 4 to 8 decimal digits (TS 51.011 §9.3; TS 102 221 §11.1.9.3).
    ///
    /// The text is taken as is: trim a line end read from a file first.
    ///
    /// # Errors
    /// [`PinError::WrongLength`] or [`PinError::NotADigit`].
    pub fn new(digits: &str) -> Result<Self, PinError> {
        Self::from_digits(digits, 4)
    }

    /// An UNBLOCK CHV or PUK: exactly 8 decimal digits (TS 51.011 §9.3; osmocom-bb
    /// `gsm1111_tx_unblock_chv` enforces the same).
    ///
    /// # Errors
    /// [`PinError::WrongLength`] or [`PinError::NotADigit`].
    pub fn puk(digits: &str) -> Result<Self, PinError> {
        Self::from_digits(digits, ENCODED_LEN)
    }

    /// An ADM code: 8 decimal digits (encoded as ASCII, like a PIN) or 16 hex
    /// digits (the 8 bytes themselves), as card issuers hand them out and pySim
    /// accepts them (`--pin-adm` / `--pin-adm-hex`) (TS 51.011 §9.3).
    ///
    /// # Errors
    /// [`PinError::WrongAdmLength`], [`PinError::NotADigit`] or
    /// [`PinError::NotAHexDigit`].
    pub fn adm(code: &str) -> Result<Self, PinError> {
        let len = code.chars().count();
        match len {
            ENCODED_LEN => Self::from_digits(code, ENCODED_LEN),
            16 => {
                let mut encoded = [0u8; ENCODED_LEN];
                let result = match crate::hex::decode_into(code, &mut encoded) {
                    Ok(bytes) if bytes.len() == ENCODED_LEN => Ok(()),
                    Ok(_) => Err(PinError::WrongAdmLength { len }),
                    Err(e) => Err(PinError::NotAHexDigit { offset: e.offset() }),
                };
                let pin = result.map(|()| Pin { encoded });
                encoded.zeroize();
                pin
            }
            _ => Err(PinError::WrongAdmLength { len }),
        }
    }

    /// Parse an encoded code as a card receives it: 4 to 8 ASCII digits then FF
    /// padding, 8 bytes in all (TS 51.011 §9.3). For the card side (a virtual SIM).
    ///
    /// # Errors
    /// [`PinError::WrongLength`] unless 8 bytes with 4 to 8 digits;
    /// [`PinError::BadEncoding`] naming the first byte that is wrong.
    pub fn from_encoded(encoded: &[u8]) -> Result<Self, PinError> {
        let Ok(block) = <[u8; ENCODED_LEN]>::try_from(encoded) else {
            return Err(PinError::WrongLength { len: encoded.len(), min: ENCODED_LEN, max: ENCODED_LEN });
        };
        let digits = leading_digits(&block);
        if let Some(offset) = (digits..ENCODED_LEN).find(|&i| block.get(i) != Some(&PAD)) {
            return Err(PinError::BadEncoding { offset });
        }
        if digits < 4 {
            return Err(PinError::WrongLength { len: digits, min: 4, max: ENCODED_LEN });
        }
        Ok(Pin { encoded: block })
    }

    fn from_digits(text: &str, min: usize) -> Result<Self, PinError> {
        let len = text.chars().count();
        if let Some((offset, _)) = text.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
            return Err(PinError::NotADigit { offset });
        }
        if !(min..=ENCODED_LEN).contains(&len) {
            return Err(PinError::WrongLength { len, min, max: ENCODED_LEN });
        }
        let mut encoded = [PAD; ENCODED_LEN];
        for (slot, byte) in encoded.iter_mut().zip(text.bytes()) {
            *slot = byte;
        }
        Ok(Pin { encoded })
    }

    /// The 8 bytes sent to the card (TS 51.011 §9.3, TS 102 221 §11.1.9.3). This
    /// is the secret: do not print or log it.
    #[must_use]
    pub const fn expose_encoded(&self) -> &[u8; ENCODED_LEN] {
        &self.encoded
    }

    /// How many leading bytes of the encoded code are ASCII digits: the length
    /// of a PIN, 8 for a PUK (TS 51.011 §9.3).
    #[must_use]
    pub(crate) fn digit_count(&self) -> usize {
        leading_digits(&self.encoded)
    }

    /// Compare with a presented 8-byte block in constant time (for the card side)
    /// (TS 51.011 §9.3, TS 102 221 §11.1.9.3).
    #[must_use]
    pub fn matches_encoded(&self, presented: &[u8]) -> bool {
        presented.len() == ENCODED_LEN
            && self.encoded.iter().zip(presented).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
    }
}

/// The ASCII digits before the FF padding of an encoded code (TS 51.011 §9.3).
fn leading_digits(encoded: &[u8; ENCODED_LEN]) -> usize {
    encoded.iter().take_while(|b| b.is_ascii_digit()).count()
}

impl PartialEq for Pin {
    /// Constant-time comparison of the encoded bytes.
    fn eq(&self, other: &Self) -> bool {
        self.matches_encoded(&other.encoded)
    }
}

impl Eq for Pin {}

impl Zeroize for Pin {
    fn zeroize(&mut self) {
        self.encoded.zeroize();
    }
}

impl Drop for Pin {
    fn drop(&mut self) {
        self.encoded.zeroize();
    }
}

impl ZeroizeOnDrop for Pin {}

impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pin(**)")
    }
}

/// Always `**`: the code is never printed.
impl fmt::Display for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("**")
    }
}

impl TryFrom<&str> for Pin {
    type Error = PinError;
    fn try_from(digits: &str) -> Result<Self, PinError> {
        Pin::new(digits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths() {
        assert_eq!(Pin::new("123"), Err(PinError::WrongLength { len: 3, min: 4, max: 8 }));
        assert_eq!(Pin::new("123456789"), Err(PinError::WrongLength { len: 9, min: 4, max: 8 }));
        assert_eq!(Pin::new("").map(|_| ()), Err(PinError::WrongLength { len: 0, min: 4, max: 8 }));
        assert!(Pin::new("12345678").is_ok());
        assert_eq!(Pin::puk("1234567"), Err(PinError::WrongLength { len: 7, min: 8, max: 8 }));
        assert_eq!(Pin::new("12 34"), Err(PinError::NotADigit { offset: 2 }));
        // A non-ASCII digit is not a digit, and the offset counts characters.
        assert_eq!(Pin::new("é123"), Err(PinError::NotADigit { offset: 0 }));
        assert_eq!(Pin::new("1234\n"), Err(PinError::NotADigit { offset: 4 }));
    }

    #[test]
    fn adm_forms() {
        let digits = Pin::adm("12345678").unwrap();
        assert_eq!(digits.expose_encoded(), b"12345678");
        let hex = Pin::adm("0123456789abcdef").unwrap();
        assert_eq!(hex.expose_encoded(), &[0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF]);
        assert_eq!(Pin::adm("0123456789abcdeg"), Err(PinError::NotAHexDigit { offset: 15 }));
        assert_eq!(Pin::adm("1234"), Err(PinError::WrongAdmLength { len: 4 }));
        assert_eq!(Pin::adm("1234567a"), Err(PinError::NotADigit { offset: 7 }));
        // Separators make 16 characters but fewer than 8 bytes.
        assert_eq!(Pin::adm("01 23 45 67 89 a"), Err(PinError::NotAHexDigit { offset: 15 }));
        assert_eq!(Pin::adm("01 23 45 67 89ab"), Err(PinError::WrongAdmLength { len: 16 }));
    }

    #[test]
    fn encoded_round_trip_and_errors() {
        let pin = Pin::new("0000").unwrap();
        assert_eq!(Pin::from_encoded(pin.expose_encoded()).unwrap(), pin);
        assert_eq!(
            Pin::from_encoded(&[0x31, 0x32, 0x33, 0x34, 0xFF, 0x35, 0xFF, 0xFF]),
            Err(PinError::BadEncoding { offset: 5 })
        );
        assert_eq!(
            Pin::from_encoded(&[0x31, 0x32, 0x33, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]),
            Err(PinError::WrongLength { len: 3, min: 4, max: 8 })
        );
        assert_eq!(Pin::from_encoded(&[0x31; 7]), Err(PinError::WrongLength { len: 7, min: 8, max: 8 }));
        assert!(pin.matches_encoded(b"0000\xFF\xFF\xFF\xFF"));
        assert!(!pin.matches_encoded(b"0001\xFF\xFF\xFF\xFF"));
        assert!(!pin.matches_encoded(b"0000"));
    }

    #[test]
    fn zeroize_wipes() {
        let mut pin = Pin::new("4321").unwrap();
        pin.zeroize();
        assert_eq!(pin.expose_encoded(), &[0u8; 8]);
    }
}
