//! The GSM 7-bit default alphabet and its extension table, 3GPP TS 23.038
//! §6.2.1 and §6.2.1.1, in the unpacked form SIM files use (TS 51.011 annex B:
//! one character per byte, b8 = 0).
//!
//! This is the crate's one copy of the table; the alpha identifier codec
//! ([`crate::codec::alpha`]) and the virtual SIM use it both ways. Code 0x09 is
//! the capital `Ç` (U+00C7) as TS 23.038 draws it and Android and oFono decode
//! it (resolved Q8; Unicode's GSM0338.TXT says `ç`); the encoder accepts both
//! `Ç` and `ç` for it. Code 0x1B escapes to the extension table for the next
//! byte; an escape the table does not know shows the default-table character
//! (TS 23.038 §6.2.1.1), and a second escape, like a dangling one, shows a space.
//!
//! ```
//! use simcore::codec::gsm7;
//! let text: String = gsm7::Chars::new(&[0x47, 0x53, 0x4D, 0x1B, 0x65, 0x09, 0xFF, 0x41]).collect();
//! assert_eq!(text, "GSM€Ç");
//! let mut out = [0u8; 4];
//! assert_eq!(gsm7::encode_into("€ç", &mut out)?, 3);
//! assert_eq!(out[..3], [0x1B, 0x65, 0x09]);
//! # Ok::<(), simcore::codec::EncodeError>(())
//! ```

use super::EncodeError;

/// The escape to the extension table (TS 23.038 §6.2.1).
pub const ESCAPE: u8 = 0x1B;

/// The default alphabet, indexed by code (TS 23.038 §6.2.1). Entry 0x1B is the
/// escape and never decoded as a character.
pub const DEFAULT_ALPHABET: [char; 128] = [
    '@', '\u{A3}', '$', '\u{A5}', '\u{E8}', '\u{E9}', '\u{F9}', '\u{EC}', // 0x00
    '\u{F2}', '\u{C7}', '\n', '\u{D8}', '\u{F8}', '\r', '\u{C5}', '\u{E5}', // 0x08
    '\u{394}', '_', '\u{3A6}', '\u{393}', '\u{39B}', '\u{3A9}', '\u{3A0}', '\u{3A8}', // 0x10
    '\u{3A3}', '\u{398}', '\u{39E}', '\u{1B}', '\u{C6}', '\u{E6}', '\u{DF}', '\u{C9}', // 0x18
    ' ', '!', '"', '#', '\u{A4}', '%', '&', '\'', // 0x20
    '(', ')', '*', '+', ',', '-', '.', '/', // 0x28
    '0', '1', '2', '3', '4', '5', '6', '7', // 0x30
    '8', '9', ':', ';', '<', '=', '>', '?', // 0x38
    '\u{A1}', 'A', 'B', 'C', 'D', 'E', 'F', 'G', // 0x40
    'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', // 0x48
    'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', // 0x50
    'X', 'Y', 'Z', '\u{C4}', '\u{D6}', '\u{D1}', '\u{DC}', '\u{A7}', // 0x58
    '\u{BF}', 'a', 'b', 'c', 'd', 'e', 'f', 'g', // 0x60
    'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', // 0x68
    'p', 'q', 'r', 's', 't', 'u', 'v', 'w', // 0x70
    'x', 'y', 'z', '\u{E4}', '\u{F6}', '\u{F1}', '\u{FC}', '\u{E0}', // 0x78
];

/// The extension table: the codes that follow an escape (TS 23.038 §6.2.1.1).
pub const EXTENSION: [(u8, char); 10] = [
    (0x0A, '\u{0C}'),
    (0x14, '^'),
    (0x28, '{'),
    (0x29, '}'),
    (0x2F, '\\'),
    (0x3C, '['),
    (0x3D, '~'),
    (0x3E, ']'),
    (0x40, '|'),
    (0x65, '\u{20AC}'),
];

/// The character of a default-alphabet code; `None` for codes with b8 set and
/// for the escape (TS 23.038 §6.2.1).
#[must_use]
pub fn default_char(code: u8) -> Option<char> {
    if code == ESCAPE {
        return None;
    }
    DEFAULT_ALPHABET.get(usize::from(code)).copied()
}

/// The character of the code that follows an escape: the extension table's,
/// a space for a second escape, else the default table's (TS 23.038 §6.2.1.1).
#[must_use]
pub fn extension_char(code: u8) -> char {
    match EXTENSION.iter().find(|(c, _)| *c == code) {
        Some(&(_, ch)) => ch,
        None => default_char(code).unwrap_or(' '),
    }
}

/// How a character is coded: one default-alphabet byte, or an escape and an
/// extension-table byte (TS 23.038 §6.2.1, §6.2.1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code {
    /// One byte of the default alphabet (TS 23.038 §6.2.1).
    Default(u8),
    /// `1B` followed by this extension-table byte (TS 23.038 §6.2.1.1).
    Extension(u8),
}

impl Code {
    /// Bytes the code takes: 1 or 2 (TS 23.038 §6.2.1).
    #[must_use]
    #[allow(clippy::len_without_is_empty, reason = "a code is never empty")]
    pub const fn len(self) -> usize {
        match self {
            Code::Default(_) => 1,
            Code::Extension(_) => 2,
        }
    }
}

/// Marks an extension-table code in [`ASCII_CODES`].
const EXTENDED: u8 = 0x80;
/// An ASCII character neither table codes (the backquote, DEL, most controls).
const NO_CODE: u8 = 0xFF;

/// The code of each ASCII character: its default-alphabet code, its
/// extension-table code with [`EXTENDED`] set, or [`NO_CODE`] (TS 23.038
/// §6.2.1). Derived from [`DEFAULT_ALPHABET`] and [`EXTENSION`] at compile
/// time, so encoding the usual text is one lookup per character, not a search.
#[allow(
    clippy::indexing_slicing,
    clippy::cast_possible_truncation,
    reason = "evaluated at compile time: an index out of range fails the build; code < 128"
)]
static ASCII_CODES: [u8; 128] = {
    let mut table = [NO_CODE; 128];
    let mut i = 0usize;
    while i < EXTENSION.len() {
        let (code, c) = EXTENSION[i];
        if (c as u32) < 128 {
            table[c as usize] = EXTENDED | code;
        }
        i += 1;
    }
    // The default alphabet last: it wins where both tables hold a character.
    let mut code = 0usize;
    while code < 128 {
        let c = DEFAULT_ALPHABET[code] as u32;
        if c < 128 && code != ESCAPE as usize {
            table[c as usize] = code as u8;
        }
        code += 1;
    }
    table
};

/// The code of `c` (TS 23.038 §6.2.1), or `None` if the alphabet lacks it. Both
/// `Ç` and `ç` map to 0x09 (resolved Q8).
#[must_use]
pub fn encode_char(c: char) -> Option<Code> {
    if let Some(&entry) = u8::try_from(c).ok().and_then(|b| ASCII_CODES.get(usize::from(b))) {
        return match entry {
            NO_CODE => None,
            _ if entry & EXTENDED != 0 => Some(Code::Extension(entry & !EXTENDED)),
            _ => Some(Code::Default(entry)),
        };
    }
    if c == '\u{E7}' {
        return Some(Code::Default(0x09));
    }
    if let Some(index) = DEFAULT_ALPHABET.iter().position(|&d| d == c)
        && index != usize::from(ESCAPE)
    {
        return u8::try_from(index).ok().map(Code::Default);
    }
    EXTENSION.iter().find(|(_, ch)| *ch == c).map(|&(code, _)| Code::Extension(code))
}

/// The bytes `text` takes in the unpacked alphabet (TS 23.038 §6.2.1).
///
/// # Errors
/// [`EncodeError::InvalidChar`] for the first character without a code.
pub fn encoded_len(text: &str) -> Result<usize, EncodeError> {
    text.chars().enumerate().try_fold(0usize, |n, (offset, c)| {
        encode_char(c).map(|code| n + code.len()).ok_or(EncodeError::InvalidChar {
            what: "GSM 7-bit text",
            offset,
            found: c,
        })
    })
}

/// Write `text` into `out` in the unpacked alphabet (no padding); returns the
/// bytes written (TS 23.038 §6.2.1, TS 51.011 annex B).
///
/// # Errors
/// [`EncodeError::InvalidChar`] for a character without a code,
/// [`EncodeError::BufferTooSmall`] when `out` is too short.
pub fn encode_into(text: &str, out: &mut [u8]) -> Result<usize, EncodeError> {
    let needed = encoded_len(text)?;
    let out = super::error::out_prefix(out, needed)?;
    let mut pos = 0usize;
    for code in text.chars().filter_map(encode_char) {
        let (bytes, n) = match code {
            Code::Default(b) => ([b, 0], 1),
            Code::Extension(b) => ([ESCAPE, b], 2),
        };
        if let (Some(dst), Some(src)) = (out.get_mut(pos..pos + n), bytes.get(..n)) {
            dst.copy_from_slice(src);
        }
        pos += n;
    }
    Ok(pos)
}

/// Characters of unpacked GSM 7-bit text, up to the first `FF` filler (TS 23.038 §6.2.1, TS 51.011 annex B).
///
/// A byte with b8 set (other than `FF`) is not a character of the alphabet and
/// shows as U+FFFD; [`crate::codec::Alpha::parse`] rejects such bytes first.
#[derive(Debug, Clone)]
pub struct Chars<'a> {
    rest: &'a [u8],
}

impl<'a> Chars<'a> {
    /// The characters of `bytes` (TS 23.038 §6.2.1).
    #[must_use]
    pub const fn new(bytes: &'a [u8]) -> Self {
        Chars { rest: bytes }
    }
}

impl Iterator for Chars<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        let (&b, tail) = self.rest.split_first()?;
        if b == 0xFF {
            self.rest = &[];
            return None;
        }
        self.rest = tail;
        if b == ESCAPE {
            return Some(match self.rest.split_first() {
                Some((&next, tail)) if next != 0xFF => {
                    self.rest = tail;
                    extension_char(next)
                }
                _ => ' ',
            });
        }
        Some(default_char(b).unwrap_or('\u{FFFD}'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips() {
        for code in 0u8..0x80 {
            if code == ESCAPE {
                continue;
            }
            let c = default_char(code).unwrap();
            assert_eq!(encode_char(c), Some(Code::Default(code)), "code {code:02X}");
        }
        for (code, c) in EXTENSION {
            assert_eq!(encode_char(c), Some(Code::Extension(code)));
            assert_eq!(extension_char(code), c);
        }
    }

    /// The ASCII lookup table agrees with a search of both tables for every
    /// character up to U+3000 and the euro sign.
    #[test]
    fn the_ascii_table_agrees_with_the_alphabet() {
        let search = |c: char| {
            if c == '\u{E7}' {
                return Some(Code::Default(0x09));
            }
            let default = DEFAULT_ALPHABET.iter().position(|&d| d == c).filter(|&i| i != usize::from(ESCAPE));
            match default {
                Some(i) => u8::try_from(i).ok().map(Code::Default),
                None => EXTENSION.iter().find(|(_, ch)| *ch == c).map(|&(code, _)| Code::Extension(code)),
            }
        };
        for c in ('\0'..'\u{3000}').chain(['\u{20AC}']) {
            assert_eq!(encode_char(c), search(c), "{c:?}");
        }
        assert_eq!(encode_char('['), Some(Code::Extension(0x3C)));
        assert_eq!(encode_char('`'), None);
        assert_eq!(encode_char('@'), Some(Code::Default(0x00)));
    }

    /// TS 23.038 §6.2.1.1: an unknown escape shows the default character; resolved
    /// Q8: 0x09 is U+00C7, and ç encodes to it.
    #[test]
    fn escapes_and_the_c_cedilla() {
        assert_eq!(extension_char(0x41), 'A');
        assert_eq!(extension_char(ESCAPE), ' ');
        assert_eq!(Chars::new(&[0x1B]).collect::<heapless::String<4>>(), " ");
        assert_eq!(default_char(0x09), Some('\u{C7}'));
        assert_eq!(encode_char('\u{E7}'), Some(Code::Default(0x09)));
        assert_eq!(encode_char('\u{1B}'), None);
        assert_eq!(encode_char('ж'), None);
        assert_eq!(encoded_len("a€"), Ok(3));
        assert_eq!(
            encoded_len("aж"),
            Err(EncodeError::InvalidChar { what: "GSM 7-bit text", offset: 1, found: 'ж' })
        );
    }
}
