//! Errors of the ATR layer, ISO/IEC 7816-3:2006 §8.

/// The longest ATR: TS and at most 32 further characters (ISO/IEC 7816-3:2006
/// §8.2.1).
pub const MAX_ATR_LEN: usize = 33;

/// Why bytes are not an Answer-To-Reset (ISO/IEC 7816-3:2006 §8.2).
///
/// Small and `Copy`; every variant names the byte offset where the input went
/// wrong ([`AtrError::offset`]). Anomalies that do not stop decoding (a wrong
/// TCK, extra bytes, reserved codes) are not errors: see
/// [`Atr::warnings`](super::Atr::warnings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AtrError {
    /// The input ends before the ATR does (§8.2). `needed` is the least number
    /// of further bytes the ATR needs, counting from what the bytes received so
    /// far announce (a TDi not yet received may announce more).
    #[error("ATR truncated at byte {offset}: at least {needed} more byte(s) needed")]
    Truncated {
        /// Length of the input: the offset of the first missing byte.
        offset: usize,
        /// Least number of bytes still missing (§8.2).
        needed: usize,
    },
    /// TS, the initial character, is neither 3B (direct convention) nor 3F
    /// (inverse convention) (§8.1). For the incremental reader, the raw
    /// value as received, where 03 is also accepted.
    #[error("TS = {found:02X} at byte 0 is neither 3B (direct) nor 3F (inverse convention)")]
    InvalidTs {
        /// The byte found in place of TS (§8.1).
        found: u8,
    },
    /// The structure announced by T0 and the TDi bytes needs more than 33
    /// bytes (§8.2.1).
    #[error("ATR too long: byte {offset} announces an ATR of at least {length} bytes, more than 33")]
    TooLong {
        /// Offset of the T0 or TDi byte whose announcement passes 33 bytes.
        offset: usize,
        /// Least length announced so far (§8.2.1).
        length: usize,
    },
    /// A byte given to the incremental reader after the ATR was complete
    /// (§8.2).
    #[error("byte {offset} arrives after the end of the ATR ({offset} bytes)")]
    AfterEnd {
        /// Offset the byte would have had: the length of the ATR.
        offset: usize,
    },
}

impl AtrError {
    /// The byte offset in the input where the ATR (ISO/IEC 7816-3:2006 §8.2)
    /// went wrong.
    #[must_use]
    pub const fn offset(&self) -> usize {
        match *self {
            AtrError::Truncated { offset, .. }
            | AtrError::TooLong { offset, .. }
            | AtrError::AfterEnd { offset } => offset,
            AtrError::InvalidTs { .. } => 0,
        }
    }
}
