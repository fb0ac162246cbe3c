//! Errors of the APDU layer, ISO/IEC 7816-4 §5.

/// Why a command or response APDU could not be built or parsed (ISO/IEC 7816-4 §5.1).
///
/// Small and `Copy`; errors about input bytes carry the byte offset where the
/// input went wrong ([`ApduError::offset`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ApduError {
    /// Command data longer than 65535 bytes (Nc is at most 65535, ISO/IEC 7816-4 §5.1).
    #[error("command data is {len} bytes; at most 65535 fit in an APDU")]
    DataTooLong {
        /// Length of the data given, Nc (ISO/IEC 7816-4 §5.1).
        len: usize,
    },
    /// Ne outside 1..=65536 (ISO/IEC 7816-4 §5.1).
    #[error("Ne = {ne} is outside 1..=65536")]
    NeOutOfRange {
        /// The value given, Ne (ISO/IEC 7816-4 §5.1).
        ne: u32,
    },
    /// The output buffer cannot hold the encoding (the encoded command APDU, ISO/IEC 7816-4
    /// §5.1, or T=0 TPDU, ISO/IEC 7816-3 §12.2).
    #[error("buffer of {capacity} bytes is too small; {needed} bytes needed")]
    BufferTooSmall {
        /// Bytes needed.
        needed: usize,
        /// Bytes available.
        capacity: usize,
    },
    /// Fewer than the four header bytes CLA INS P1 P2 (ISO/IEC 7816-4 §5.1).
    #[error("command APDU ends at byte {offset}: the header CLA INS P1 P2 needs 4 bytes")]
    HeaderTruncated {
        /// Length of the input, where the missing byte would be.
        offset: usize,
    },
    /// The bytes after the header fit none of the seven cases of ISO/IEC 7816-4
    /// §5.1 (table 1).
    #[error(
        "inconsistent length field at byte {offset}: {len} bytes follow the header, \
         which fits no APDU case"
    )]
    InconsistentLength {
        /// Offset of the length field that disagrees with the input's length.
        offset: usize,
        /// Number of bytes after the header (ISO/IEC 7816-4 §5.1, table 1).
        len: usize,
    },
    /// An extended Lc of `00 00`: extended Lc is 1..=65535 (ISO/IEC 7816-4 §5.1).
    #[error("extended Lc of zero at byte {offset}")]
    ZeroExtendedLc {
        /// Offset of the first byte of the two-byte Lc.
        offset: usize,
    },
    /// A response APDU needs at least SW1 SW2 (ISO/IEC 7816-4 §5.1.3).
    #[error("response APDU of {len} bytes: SW1 SW2 need 2 bytes")]
    ResponseTruncated {
        /// Length of the input.
        len: usize,
    },
    /// More than 255 data bytes cannot travel in one T=0 TPDU (ISO/IEC 7816-3 §12.2;
    /// ISO/IEC 7816-4 §5.1 would need ENVELOPE chaining).
    #[error("{nc} data bytes do not fit one T=0 TPDU (at most 255)")]
    TooLongForT0 {
        /// Length of the command data, Nc (ISO/IEC 7816-3 §12.2).
        nc: usize,
    },
}

impl ApduError {
    /// The byte offset in the input where parsing failed (ISO/IEC 7816-4 §5.1),
    /// for parse errors.
    #[must_use]
    pub const fn offset(&self) -> Option<usize> {
        match *self {
            ApduError::HeaderTruncated { offset }
            | ApduError::InconsistentLength { offset, .. }
            | ApduError::ZeroExtendedLc { offset } => Some(offset),
            ApduError::ResponseTruncated { len } => Some(len),
            ApduError::DataTooLong { .. }
            | ApduError::NeOutOfRange { .. }
            | ApduError::BufferTooSmall { .. }
            | ApduError::TooLongForT0 { .. } => None,
        }
    }
}
