//! Errors of the data codecs ([`crate::codec`], [`crate::ef`], [`crate::fcp`]): what went
//! wrong, and where, in the file contents of TS 51.011 §10, the FCP of TS 102 221
//! §11.1.1.4 and the BER-TLV of ISO/IEC 7816-4 §5.2.2.

/// Why bytes (or a printed value) could not be decoded
/// (TS 51.011 §10, TS 102 221 §11.1.1.4, ISO/IEC 7816-4 §5.2.2).
///
/// Small and `Copy`; every variant names what was being decoded and the offset
/// where the input went wrong ([`DecodeError::offset`]): a byte offset for
/// binary input, a character offset for text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The input ends before `what` is complete (the structures of TS 51.011 §10,
    /// TS 102 221 §11.1.1.4 and ISO/IEC 7816-4 §5.2.2).
    #[error("{what}: input ends at byte {offset}, {needed} more byte(s) needed")]
    Truncated {
        /// The field or structure being read.
        what: &'static str,
        /// Length of the input, where the next byte was expected.
        offset: usize,
        /// How many more bytes the structure needs (at least).
        needed: usize,
    },
    /// A byte (or nibble) whose value the specification does not allow there
    /// (the codings of TS 51.011 §10, TS 102 221 §11.1.1.4 and ISO/IEC 7816-4
    /// §5.2.2).
    #[error("{what}: invalid value 0x{found:02X} at byte {offset}")]
    Invalid {
        /// The field being read.
        what: &'static str,
        /// Offset of the offending byte.
        offset: usize,
        /// The byte or nibble found.
        found: u8,
    },
    /// A character of a printed value that has no coding (the digits of an IMSI
    /// or PLMN, TS 23.003 §2.2; of an ICCID, ITU-T E.118 §4; of an EID, GSMA
    /// SGP.29).
    #[error("{what}: invalid character {found:?} at character {offset}")]
    InvalidChar {
        /// The value being read.
        what: &'static str,
        /// Position of the character, counted in characters from 0.
        offset: usize,
        /// The character found.
        found: char,
    },
    /// A printed value with too few or too many digits (an IMSI or PLMN,
    /// TS 23.003 §2.2; an ICCID, ITU-T E.118 §4).
    #[error("{what}: {count} digits, {min} to {max} needed (text ends at character {offset})")]
    DigitCount {
        /// The value read.
        what: &'static str,
        /// Digits in the text.
        count: usize,
        /// Fewest digits allowed.
        min: usize,
        /// Most digits allowed.
        max: usize,
        /// Length of the text in characters.
        offset: usize,
    },
    /// Bytes follow the end of a fixed-size structure (the files of TS 51.011
    /// §10, the FCP template of TS 102 221 §11.1.1.4, the EID of GSMA SGP.29).
    #[error("{what}: unexpected byte at {offset} after the end")]
    TrailingBytes {
        /// The structure read.
        what: &'static str,
        /// Offset of the first extra byte.
        offset: usize,
    },
    /// The value is absent: the file (TS 51.011 §10) holds only the filler
    /// (`FF` bytes or `F` nibbles).
    #[error("{what} is empty (only filler from byte {offset})")]
    Empty {
        /// The value read.
        what: &'static str,
        /// Where the filler starts.
        offset: usize,
    },
    /// BER-TLV nesting deeper than the reader allows ([`crate::codec::tlv::MAX_DEPTH`];
    /// ISO/IEC 7816-4 §5.2.2).
    #[error("TLV nesting deeper than {limit} levels at byte {offset}")]
    TooDeep {
        /// Offset of the object one level too deep.
        offset: usize,
        /// The limit.
        limit: u8,
    },
    /// A mandatory data object is absent from a template (BER-TLV,
    /// ISO/IEC 7816-4 §5.2.2).
    #[error("{what} (tag {tag:02X}) missing from the template ending at byte {offset}")]
    MissingTag {
        /// The data object.
        what: &'static str,
        /// Its tag (ISO/IEC 7816-4 §5.2.2).
        tag: u8,
        /// End of the template that lacks it.
        offset: usize,
    },
}

impl DecodeError {
    /// Where the input went wrong: a byte offset, or a character offset for
    /// printed values (ISO/IEC 7816-4 §5.2, TS 51.011 §10).
    #[must_use]
    pub const fn offset(&self) -> usize {
        match *self {
            DecodeError::Truncated { offset, .. }
            | DecodeError::Invalid { offset, .. }
            | DecodeError::InvalidChar { offset, .. }
            | DecodeError::DigitCount { offset, .. }
            | DecodeError::TrailingBytes { offset, .. }
            | DecodeError::Empty { offset, .. }
            | DecodeError::TooDeep { offset, .. }
            | DecodeError::MissingTag { offset, .. } => offset,
        }
    }

    /// The same error moved `by` bytes further into an enclosing input.
    #[must_use]
    pub(crate) const fn shifted(self, by: usize) -> Self {
        match self {
            DecodeError::Truncated { what, offset, needed } => {
                DecodeError::Truncated { what, offset: offset + by, needed }
            }
            DecodeError::Invalid { what, offset, found } => {
                DecodeError::Invalid { what, offset: offset + by, found }
            }
            DecodeError::InvalidChar { what, offset, found } => {
                DecodeError::InvalidChar { what, offset: offset + by, found }
            }
            DecodeError::DigitCount { what, count, min, max, offset } => {
                DecodeError::DigitCount { what, count, min, max, offset: offset + by }
            }
            DecodeError::TrailingBytes { what, offset } => {
                DecodeError::TrailingBytes { what, offset: offset + by }
            }
            DecodeError::Empty { what, offset } => DecodeError::Empty { what, offset: offset + by },
            DecodeError::TooDeep { offset, limit } => DecodeError::TooDeep { offset: offset + by, limit },
            DecodeError::MissingTag { what, tag, offset } => {
                DecodeError::MissingTag { what, tag, offset: offset + by }
            }
        }
    }
}

/// Why a value could not be encoded into file or response bytes (TS 51.011 §10, TS 102 221
/// §11.1.1.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// The output buffer cannot hold the encoding (the file contents of TS 51.011
    /// §10, the FCP of TS 102 221 §11.1.1.4, a BER-TLV object of ISO/IEC 7816-4
    /// §5.2.2).
    #[error("buffer of {capacity} bytes is too small; {needed} bytes needed")]
    BufferTooSmall {
        /// Bytes needed (at least).
        needed: usize,
        /// Bytes available.
        capacity: usize,
    },
    /// A character (or digit) that the target coding cannot represent (the GSM
    /// 7-bit default alphabet, TS 23.038 §6.2.1; UCS2, TS 102 221 annex A;
    /// dialling digits, TS 51.011 §10.5.1).
    #[error("{what}: character {found:?} at character {offset} cannot be encoded")]
    InvalidChar {
        /// The value being encoded.
        what: &'static str,
        /// Position of the character, counted in characters from 0.
        offset: usize,
        /// The character.
        found: char,
    },
    /// A value outside the range its field can hold (the fields of TS 51.011 §10
    /// and TS 102 221 §11.1.1.4; a BER-TLV length, ISO/IEC 7816-4 §5.2.2).
    #[error("{what}: {value} is out of range (at most {max})")]
    OutOfRange {
        /// The field.
        what: &'static str,
        /// The value given.
        value: u32,
        /// The largest value the field holds.
        max: u32,
    },
    /// A tag whose bytes are no BER-TLV tag, so the object would not read back
    /// as written: `00` or `FF` (padding), a first byte announcing more bytes
    /// that do not follow, or a later byte in the wrong form (ISO/IEC 7816-4
    /// §5.2.2.1).
    #[error("tag {tag:02X} is not a BER-TLV tag")]
    InvalidTag {
        /// The tag given.
        tag: u32,
    },
}

impl EncodeError {
    /// The character position for [`EncodeError::InvalidChar`] (ISO/IEC 7816-4 §5.2, TS 51.011
    /// §10).
    #[must_use]
    pub const fn offset(&self) -> Option<usize> {
        match *self {
            EncodeError::InvalidChar { offset, .. } => Some(offset),
            EncodeError::BufferTooSmall { .. }
            | EncodeError::OutOfRange { .. }
            | EncodeError::InvalidTag { .. } => None,
        }
    }

    /// [`EncodeError::BufferTooSmall`] for `needed` bytes in a buffer of `capacity`.
    pub(crate) const fn too_small(needed: usize, capacity: usize) -> Self {
        EncodeError::BufferTooSmall { needed, capacity }
    }
}

/// `Ok` when `count` digits of the printed `text` lie in `min..=max`; otherwise
/// [`DecodeError::DigitCount`] at the text's end (in characters).
pub(crate) fn check_digit_count(
    what: &'static str,
    text: &str,
    count: usize,
    min: usize,
    max: usize,
) -> Result<(), DecodeError> {
    if (min..=max).contains(&count) {
        return Ok(());
    }
    Err(DecodeError::DigitCount { what, count, min, max, offset: text.chars().count() })
}

/// Split `n` bytes off the front of `input`, or say what is missing.
pub(crate) fn take<'a>(
    input: &'a [u8],
    n: usize,
    what: &'static str,
    offset: usize,
) -> Result<(&'a [u8], &'a [u8]), DecodeError> {
    input.split_at_checked(n).ok_or_else(|| DecodeError::Truncated {
        what,
        offset: offset + input.len(),
        needed: n.saturating_sub(input.len()),
    })
}

/// The output slice `out[..n]`, or [`EncodeError::BufferTooSmall`].
pub(crate) fn out_prefix(out: &mut [u8], n: usize) -> Result<&mut [u8], EncodeError> {
    let capacity = out.len();
    out.get_mut(..n).ok_or(EncodeError::too_small(n, capacity))
}
