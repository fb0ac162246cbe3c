//! Alpha identifiers and names in SIM files: ETSI TS 102 221 annex A (TS 51.011
//! annex B), used by EF_ADN, EF_MSISDN and EF_SPN.
//!
//! The first byte chooses the form:
//!
//! | First byte | Form |
//! |---|---|
//! | `00`–`7F` | GSM 7-bit default alphabet, unpacked, padded with `FF` ([`crate::codec::gsm7`]) |
//! | `80` | UCS2 big-endian; the text ends at `FF FF` (an odd trailing `FF` is allowed) |
//! | `81` | N = byte 2 characters; base = byte 3 × 0x80; each byte is a GSM character (b8 = 0) or base + (b7–b1) |
//! | `82` | as `81`, with a 16-bit base in bytes 3–4 |
//!
//! [`Alpha::parse`] checks the whole field once (lengths, b8 of GSM bytes,
//! UCS2 surrogates) and says which byte is wrong; afterwards decoding cannot
//! fail, so [`Alpha`] is [`core::fmt::Display`] and writes to any
//! [`core::fmt::Write`] or a `heapless::String`. [`encode`] writes text back in
//! the GSM form when every character has a code, else in the `80` form.
//!
//! ```
//! use simcore::codec::Alpha;
//! // Vector V37: UCS2 "Па".
//! let alpha = Alpha::parse(&[0x80, 0x04, 0x1F, 0x04, 0x30, 0xFF, 0xFF])?;
//! assert_eq!(alpha.to_string(), "Па");
//! let name: heapless::String<8> = alpha.to_heapless()?;
//! assert_eq!(name, "Па");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use super::gsm7::{self, ESCAPE};
use super::{DecodeError, EncodeError};
use core::fmt;

/// The coding of an alpha identifier (TS 102 221 annex A).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AlphaForm {
    /// GSM 7-bit default alphabet, unpacked (TS 102 221 annex A).
    Gsm,
    /// `80`: UCS2, two bytes per character (TS 102 221 annex A).
    Ucs2,
    /// `81`: one byte per character over the half-page `base` (byte 3 × 0x80;
    /// TS 102 221 annex A).
    Ucs2Base81 {
        /// The base code point (TS 102 221 annex A).
        base: u16,
    },
    /// `82`: one byte per character over a 16-bit `base` (TS 102 221 annex A).
    Ucs2Base82 {
        /// The base code point (TS 102 221 annex A).
        base: u16,
    },
}

/// A checked alpha identifier, borrowing the field's bytes (TS 102 221 annex A).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Alpha<'a> {
    form: AlphaForm,
    /// The character bytes: no header, no filler.
    body: &'a [u8],
}

/// The form and the body's bytes in hex (TS 102 221 annex A).
impl fmt::Debug for Alpha<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Alpha").field("form", &self.form).field("body", &crate::hex::Hex(self.body)).finish()
    }
}

/// The UCS2 code unit as a `char`, rejecting surrogates and FFFF: the filler of
/// the `80` form and a Unicode noncharacter, which no form can then carry (the
/// `82` form could name it as base FFFF + 0).
fn ucs2(unit: u32) -> Option<char> {
    if unit >= 0xFFFF { None } else { char::from_u32(unit) }
}

/// Check the bytes of the 81/82 forms: GSM bytes with escapes, or base + offset.
fn check_paged(body: &[u8], base: u16, body_offset: usize) -> Result<(), DecodeError> {
    for (i, &b) in body.iter().enumerate() {
        if b & 0x80 != 0 && ucs2(u32::from(base) + u32::from(b & 0x7F)).is_none() {
            return Err(DecodeError::Invalid {
                what: "alpha identifier UCS2 character",
                offset: body_offset + i,
                found: b,
            });
        }
    }
    Ok(())
}

impl<'a> Alpha<'a> {
    /// Check and view the alpha field `bytes` (its whole length, filler included;
    /// TS 102 221 annex A).
    ///
    /// # Errors
    /// [`DecodeError::Invalid`] for a first byte of `83`–`FE`, a GSM byte with b8
    /// set, or a UCS2 surrogate (offset of the byte); [`DecodeError::Truncated`]
    /// when the `81`/`82` header or its N characters run past the field.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        match bytes {
            [] | [0xFF, ..] => Ok(Alpha { form: AlphaForm::Gsm, body: &[] }),
            [first, ..] if *first < 0x80 => {
                let end = bytes.iter().position(|&b| b == 0xFF).unwrap_or(bytes.len());
                let body = bytes.get(..end).unwrap_or_default();
                if let Some(i) = body.iter().position(|&b| b & 0x80 != 0) {
                    let found = body.get(i).copied().unwrap_or_default();
                    return Err(DecodeError::Invalid {
                        what: "alpha identifier GSM character",
                        offset: i,
                        found,
                    });
                }
                Ok(Alpha { form: AlphaForm::Gsm, body })
            }
            [0x80, rest @ ..] => {
                let mut end = 0usize;
                for (i, pair) in rest.chunks(2).enumerate() {
                    match *pair {
                        [0xFF, 0xFF] | [0xFF] => break,
                        [hi, lo] => {
                            if ucs2(u32::from(u16::from_be_bytes([hi, lo]))).is_none() {
                                return Err(DecodeError::Invalid {
                                    what: "alpha identifier UCS2 character",
                                    offset: 1 + 2 * i,
                                    found: hi,
                                });
                            }
                            end += 2;
                        }
                        _ => {
                            return Err(DecodeError::Truncated {
                                what: "alpha identifier UCS2 character",
                                offset: bytes.len(),
                                needed: 1,
                            });
                        }
                    }
                }
                Ok(Alpha { form: AlphaForm::Ucs2, body: rest.get(..end).unwrap_or_default() })
            }
            [0x81, ..] | [0x82, ..] => {
                let is_81 = bytes.first() == Some(&0x81);
                let header = if is_81 { 3 } else { 4 };
                let (head, rest) = super::error::take(bytes, header, "alpha identifier header", 0)?;
                let (n, base, form) = match *head {
                    [_, n, page] => {
                        (n, u16::from(page) << 7, AlphaForm::Ucs2Base81 { base: u16::from(page) << 7 })
                    }
                    [_, n, hi, lo] => {
                        let base = u16::from_be_bytes([hi, lo]);
                        (n, base, AlphaForm::Ucs2Base82 { base })
                    }
                    _ => {
                        return Err(DecodeError::Truncated {
                            what: "alpha identifier header",
                            offset: 0,
                            needed: 1,
                        });
                    }
                };
                let (body, _) =
                    super::error::take(rest, usize::from(n), "alpha identifier characters", header)?;
                check_paged(body, base, header)?;
                Ok(Alpha { form, body })
            }
            [first, ..] => {
                Err(DecodeError::Invalid { what: "alpha identifier coding", offset: 0, found: *first })
            }
        }
    }

    /// The coding found (TS 102 221 annex A).
    #[must_use]
    pub const fn form(&self) -> AlphaForm {
        self.form
    }

    /// Whether the identifier holds no character (TS 102 221 annex A).
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.body.is_empty()
    }

    /// The encoded characters (without header and filler; TS 102 221 annex A).
    #[must_use]
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.body
    }

    /// The decoded characters (TS 102 221 annex A).
    #[must_use]
    pub const fn chars(&self) -> AlphaChars<'a> {
        AlphaChars { form: self.form, rest: self.body }
    }

    /// Write the text to any [`fmt::Write`] (TS 102 221 annex A).
    ///
    /// # Errors
    /// The writer's error.
    pub fn write_to<W: fmt::Write + ?Sized>(&self, w: &mut W) -> fmt::Result {
        self.chars().try_for_each(|c| w.write_char(c))
    }

    /// The text in a `heapless::String` of capacity `N` bytes (TS 102 221
    /// annex A).
    ///
    /// # Errors
    /// [`EncodeError::BufferTooSmall`] with the UTF-8 length needed.
    pub fn to_heapless<const N: usize>(&self) -> Result<heapless::String<N>, EncodeError> {
        let mut s = heapless::String::new();
        match self.write_to(&mut s) {
            Ok(()) => Ok(s),
            Err(_) => Err(EncodeError::too_small(self.chars().map(char::len_utf8).sum(), N)),
        }
    }
}

impl fmt::Display for Alpha<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_to(f)
    }
}

/// The characters of an [`Alpha`] (TS 102 221 annex A, TS 23.038 §6.2.1).
#[derive(Debug, Clone)]
pub struct AlphaChars<'a> {
    form: AlphaForm,
    rest: &'a [u8],
}

impl Iterator for AlphaChars<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        let base = match self.form {
            AlphaForm::Ucs2 => {
                let (pair, tail) = self.rest.split_first_chunk::<2>()?;
                self.rest = tail;
                return Some(ucs2(u32::from(u16::from_be_bytes(*pair))).unwrap_or('\u{FFFD}'));
            }
            AlphaForm::Gsm => None,
            AlphaForm::Ucs2Base81 { base } | AlphaForm::Ucs2Base82 { base } => Some(base),
        };
        let (&b, tail) = self.rest.split_first()?;
        self.rest = tail;
        if let (true, Some(base)) = (b & 0x80 != 0, base) {
            return Some(ucs2(u32::from(base) + u32::from(b & 0x7F)).unwrap_or('\u{FFFD}'));
        }
        if b == ESCAPE {
            return Some(match self.rest.split_first() {
                Some((&next, tail)) if next & 0x80 == 0 => {
                    self.rest = tail;
                    gsm7::extension_char(next)
                }
                _ => ' ',
            });
        }
        Some(gsm7::default_char(b).unwrap_or('\u{FFFD}'))
    }
}

/// Write `text` as an alpha field filling all of `out`: the GSM form when every
/// character has a GSM code, else UCS2 (`80`); the rest is `FF`. Returns the
/// bytes before the filler (TS 102 221 annex A).
///
/// # Errors
/// [`EncodeError::BufferTooSmall`] when the text does not fit `out`;
/// [`EncodeError::InvalidChar`] for a character outside the UCS2 range.
pub fn encode(text: &str, out: &mut [u8]) -> Result<usize, EncodeError> {
    match gsm7::encoded_len(text) {
        Ok(_) => encode_gsm(text, out),
        Err(_) => encode_ucs2(text, out),
    }
}

/// Write `text` in the GSM form, padding `out` with `FF` (TS 23.038 §6.2.1, TS 51.011 annex B).
///
/// # Errors
/// As [`gsm7::encode_into`].
pub fn encode_gsm(text: &str, out: &mut [u8]) -> Result<usize, EncodeError> {
    out.fill(0xFF);
    gsm7::encode_into(text, out)
}

/// Write `text` in the UCS2 form `80`, padding `out` with `FF` (TS 102 221 annex A).
///
/// # Errors
/// [`EncodeError::InvalidChar`] for a character beyond U+FFFF,
/// [`EncodeError::BufferTooSmall`] when `out` is too short.
pub fn encode_ucs2(text: &str, out: &mut [u8]) -> Result<usize, EncodeError> {
    out.fill(0xFF);
    let mut units = 0usize;
    for (offset, c) in text.chars().enumerate() {
        if u32::from(c) > 0xFFFF || u32::from(c) == 0xFFFF {
            return Err(EncodeError::InvalidChar { what: "UCS2 text", offset, found: c });
        }
        units += 1;
    }
    let needed = 1 + 2 * units;
    let out = super::error::out_prefix(out, needed)?;
    let mut parts = out.iter_mut();
    if let Some(first) = parts.next() {
        *first = 0x80;
    }
    let mut buf = [0u16; 2];
    for unit in text.chars().flat_map(|c| c.encode_utf16(&mut buf).first().copied()) {
        for b in unit.to_be_bytes() {
            if let Some(slot) = parts.next() {
                *slot = b;
            }
        }
    }
    Ok(needed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8]) -> heapless::String<64> {
        Alpha::parse(bytes).unwrap().to_heapless().unwrap()
    }

    /// Forms 81 and 82 built by the rules of TS 102 221 annex A (digest §6): base
    /// 0x0400 (81: byte 3 = 0x08), Cyrillic letters as 0x80 + offset, a GSM '-'.
    #[test]
    fn paged_forms() {
        // 81 05 08 | 9F B0 2D 9F B0 → "Па-Па" (U+041F = 0x400 + 0x1F, U+0430 = 0x400 + 0x30).
        assert_eq!(text(&[0x81, 0x05, 0x08, 0x9F, 0xB0, 0x2D, 0x9F, 0xB0, 0xFF]), "Па-Па");
        // An escape that is the last of the N characters shows a space.
        assert_eq!(text(&[0x82, 0x02, 0x04, 0x00, 0x9F, 0x1B, 0x65]), "П ");
        assert_eq!(text(&[0x82, 0x03, 0x04, 0x00, 0x9F, 0x1B, 0x65]), "П€");
        assert_eq!(
            Alpha::parse(&[0x81, 0x05, 0x08, 0x9F]),
            Err(DecodeError::Truncated { what: "alpha identifier characters", offset: 4, needed: 4 })
        );
    }

    #[test]
    fn bad_bytes_are_named() {
        assert_eq!(
            Alpha::parse(&[0x41, 0x90, 0xFF]),
            Err(DecodeError::Invalid { what: "alpha identifier GSM character", offset: 1, found: 0x90 })
        );
        assert_eq!(
            Alpha::parse(&[0x80, 0x00, 0x41, 0xD8, 0x00]),
            Err(DecodeError::Invalid { what: "alpha identifier UCS2 character", offset: 3, found: 0xD8 })
        );
        assert_eq!(
            Alpha::parse(&[0x83, 0x00]),
            Err(DecodeError::Invalid { what: "alpha identifier coding", offset: 0, found: 0x83 })
        );
        assert_eq!(text(&[0x80, 0x00, 0x41, 0xFF]), "A");
        assert!(Alpha::parse(&[0x80, 0x00, 0x41, 0x00]).is_err());
        assert!(Alpha::parse(&[0xFF; 4]).unwrap().is_empty());
    }

    #[test]
    fn encoder_picks_the_form() {
        let mut out = [0u8; 8];
        assert_eq!(encode("GSM-R", &mut out), Ok(5));
        assert_eq!(out, [0x47, 0x53, 0x4D, 0x2D, 0x52, 0xFF, 0xFF, 0xFF]);
        assert_eq!(encode("Па", &mut out), Ok(5));
        assert_eq!(out, [0x80, 0x04, 0x1F, 0x04, 0x30, 0xFF, 0xFF, 0xFF]);
        assert_eq!(encode("Пара", &mut out), Err(EncodeError::too_small(9, 8)));
        assert!(matches!(encode_ucs2("😀", &mut out), Err(EncodeError::InvalidChar { offset: 0, .. })));
    }
}
