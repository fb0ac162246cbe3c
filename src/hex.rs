//! Hexadecimal text for bytes, in the spellings smart-card tools use.
//!
//! Card tools print bytes as `3B 9F 96`, `3b9f96` or `3B:9F:96` (pcsc-tools,
//! pySim, OpenSC). [`decode_into`] accepts all three, and a mix, into a
//! caller's buffer; [`Hex`] formats bytes back. No allocation. This module
//! implements no specification clause of its own; it is the notation the
//! specifications use for their examples (ISO/IEC 7816-4 §5, TS 102 221 §3).

use core::fmt;

/// Why a hexadecimal text could not be decoded (the hex notation of
/// ISO/IEC 7816-4 §5 and TS 102 221 §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HexError {
    /// A character that is neither a hex digit nor a separator (the hex notation
    /// of ISO/IEC 7816-4 §5 and TS 102 221 §3).
    #[error("invalid hex character {found:?} at character {offset}")]
    InvalidChar {
        /// The character found.
        found: char,
        /// Its position in the text, counted in characters from 0.
        offset: usize,
    },
    /// An odd number of hex digits, or a byte split by a separator (`3 B`) (the
    /// hex notation of ISO/IEC 7816-4 §5 and TS 102 221 §3).
    #[error("incomplete byte at character {offset}: hex digits come in pairs")]
    OddDigit {
        /// Position of the lone digit, counted in characters from 0.
        offset: usize,
    },
    /// More bytes than the output buffer holds (the hex notation of ISO/IEC
    /// 7816-4 §5 and TS 102 221 §3).
    #[error("more than {capacity} bytes of hex (the buffer is full at character {offset})")]
    BufferFull {
        /// Capacity of the buffer.
        capacity: usize,
        /// Position of the first digit that did not fit.
        offset: usize,
    },
    /// Fewer bytes than a fixed-size value needs (a status word's two, SW1 SW2
    /// of ISO/IEC 7816-4 §5.1.3, for [`StatusWord`](crate::StatusWord)'s
    /// `FromStr`).
    #[error("{found} byte(s) of hex where {expected} are needed (the text ends at character {offset})")]
    TooShort {
        /// Bytes needed.
        expected: usize,
        /// Bytes the text holds.
        found: usize,
        /// Position where the missing digits belong: the text's length in characters.
        offset: usize,
    },
}

impl HexError {
    /// The character position where the text went wrong (the hex notation of
    /// ISO/IEC 7816-4 §5 and TS 102 221 §3).
    #[must_use]
    pub const fn offset(&self) -> usize {
        match *self {
            HexError::InvalidChar { offset, .. }
            | HexError::OddDigit { offset }
            | HexError::BufferFull { offset, .. }
            | HexError::TooShort { offset, .. } => offset,
        }
    }
}

pub(crate) const fn nibble(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        'a'..='f' => Some(c as u8 - b'a' + 10),
        'A'..='F' => Some(c as u8 - b'A' + 10),
        _ => None,
    }
}

const fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '\t' | ':' | '-' | ',' | '\r' | '\n')
}

/// Decode hex text such as `3B 9F 96`, `3b9f96` or `3B:9F:96` into `buf`,
/// returning the filled part (the notation of ISO/IEC 7816-4 §5 and TS 102 221
/// §3).
///
/// Separators (space, tab, `:`, `-`, `,`, line ends) may stand between bytes,
/// never inside one. An optional `0x` prefix on the whole text is skipped.
///
/// # Errors
/// [`HexError`] with the character position of the first problem.
///
/// ```
/// let mut buf = [0u8; 4];
/// assert_eq!(simcore::hex::decode_into("3B:9f 00", &mut buf)?, &[0x3B, 0x9F, 0x00]);
/// # Ok::<(), simcore::hex::HexError>(())
/// ```
pub fn decode_into<'b>(text: &str, buf: &'b mut [u8]) -> Result<&'b [u8], HexError> {
    let (skip, body) = match text.trim_start().strip_prefix("0x") {
        Some(rest) => (text.chars().count() - rest.chars().count(), rest),
        None => (0, text),
    };
    let capacity = buf.len();
    let mut len = 0usize;
    let mut high: Option<(u8, usize)> = None;
    for (index, c) in body.chars().enumerate() {
        let offset = skip + index;
        if is_separator(c) {
            if let Some((_, at)) = high {
                return Err(HexError::OddDigit { offset: at });
            }
            continue;
        }
        let Some(value) = nibble(c) else {
            return Err(HexError::InvalidChar { found: c, offset });
        };
        match high.take() {
            None => high = Some((value, offset)),
            Some((h, at)) => {
                let slot = buf.get_mut(len).ok_or(HexError::BufferFull { capacity, offset: at })?;
                *slot = (h << 4) | value;
                len += 1;
            }
        }
    }
    if let Some((_, at)) = high {
        return Err(HexError::OddDigit { offset: at });
    }
    Ok(buf.get(..len).unwrap_or_default())
}

/// Decode hex text into a `heapless::Vec` of capacity `N` (the notation of
/// ISO/IEC 7816-4 §5 and TS 102 221 §3).
///
/// # Errors
/// As [`decode_into`].
pub fn decode_heapless<const N: usize>(text: &str) -> Result<heapless::Vec<u8, N>, HexError> {
    let mut buf = [0u8; N];
    let bytes = decode_into(text, &mut buf)?;
    let mut out = heapless::Vec::new();
    // Cannot fail: `bytes` is at most N long.
    let _ = out.extend_from_slice(bytes);
    Ok(out)
}

/// Decode hex text into a `Vec` (the notation of ISO/IEC 7816-4 §5 and
/// TS 102 221 §3; feature `std`).
///
/// # Errors
/// As [`decode_into`].
// Also built for the crate's own unit tests, which run with the standard library.
#[cfg(any(feature = "std", test))]
pub fn decode(text: &str) -> Result<std::vec::Vec<u8>, HexError> {
    let mut buf = std::vec![0u8; text.len() / 2 + 1];
    let len = decode_into(text, &mut buf)?.len();
    buf.truncate(len);
    Ok(buf)
}

/// Displays bytes as uppercase hex: `3B9F96` with `{}`, `3B 9F 96` with `{:#}`
/// (the notation of ISO/IEC 7816-4 §5 and TS 102 221 §3).
///
/// ```
/// use simcore::hex::Hex;
/// assert_eq!(format!("{}", Hex(&[0x3B, 0x9F])), "3B9F");
/// assert_eq!(format!("{:#}", Hex(&[0x3B, 0x9F])), "3B 9F");
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Hex<'a>(pub &'a [u8]);

impl fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, b) in self.0.iter().enumerate() {
            if f.alternate() && i > 0 {
                f.write_str(" ")?;
            }
            write!(f, "{b:02X}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:#}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_agree() {
        let mut a = [0u8; 8];
        let mut b = [0u8; 8];
        let mut c = [0u8; 8];
        let x = decode_into("3B 9F 96 80", &mut a).unwrap();
        let y = decode_into("3b9f9680", &mut b).unwrap();
        let z = decode_into("3B:9F:96:80", &mut c).unwrap();
        assert_eq!(x, &[0x3B, 0x9F, 0x96, 0x80]);
        assert_eq!(x, y);
        assert_eq!(y, z);
    }

    #[test]
    fn errors_name_the_position() {
        let mut buf = [0u8; 2];
        assert_eq!(decode_into("3B 9G", &mut buf), Err(HexError::InvalidChar { found: 'G', offset: 4 }));
        assert_eq!(decode_into("3 B", &mut buf), Err(HexError::OddDigit { offset: 0 }));
        assert_eq!(decode_into("3B9", &mut buf), Err(HexError::OddDigit { offset: 2 }));
        assert_eq!(decode_into("010203", &mut buf), Err(HexError::BufferFull { capacity: 2, offset: 4 }));
        assert_eq!(decode_into("0x0102", &mut buf).unwrap(), &[1, 2]);
    }
}
