//! Swapped-nibble BCD: TS 51.011 §10.1.1 (EF_ICCID), §10.3.2 (EF_IMSI), §10.5.1
//! (dialling numbers) and TS 24.008 §10.5.4.7 (the called party BCD number).
//!
//! Two digits per byte, the first digit in the **low** nibble (`98 10 …` holds
//! `8 9 0 1 …`); unused nibbles hold the filler `F`. This module owns that
//! nibble order, the filler and the two digit alphabets: the plain one, where
//! `A`–`F` are kept as hex letters so that nothing is lost (ICCIDs with letters
//! exist, resolved Q9), and the extended BCD of dialling numbers (`*`, `#`, the
//! DTMF pause and the wild value). What the digits mean is [`crate::ef`]'s
//! business.
//!
//! ```
//! use simcore::codec::bcd;
//! // EF_ICCID of vector V16: swap the nibbles, drop the trailing F.
//! let ef = [0x98, 0x88, 0x12, 0x01, 0x00, 0x00, 0x40, 0x03, 0x10, 0xF0];
//! let digits: Vec<char> = bcd::digits(&ef).map(bcd::hex_char).collect();
//! assert_eq!(digits.iter().collect::<String>(), "8988211000000430010");
//! let mut out = [0u8; 10];
//! bcd::encode_into(bcd::digits(&ef), &mut out)?;
//! assert_eq!(out, ef);
//! # Ok::<(), simcore::codec::EncodeError>(())
//! ```

use super::EncodeError;

/// The filler nibble of unused digit positions (TS 51.011 §10.1.1, §10.5.1).
pub const FILLER: u8 = 0x0F;

/// The nibbles of swapped-nibble BCD bytes, in digit order (low nibble first) (TS 51.011 §10.1.1).
///
/// Double-ended and exact-size, so a check digit can be computed from the
/// right without a buffer.
#[derive(Debug, Clone)]
pub struct Nibbles<'a> {
    bytes: &'a [u8],
    front: usize,
    back: usize,
}

impl Nibbles<'_> {
    fn at(&self, index: usize) -> u8 {
        nibble(self.bytes, index).unwrap_or(FILLER)
    }
}

impl Iterator for Nibbles<'_> {
    type Item = u8;

    fn next(&mut self) -> Option<u8> {
        (self.front < self.back).then(|| {
            let n = self.at(self.front);
            self.front += 1;
            n
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.back.saturating_sub(self.front);
        (n, Some(n))
    }
}

impl DoubleEndedIterator for Nibbles<'_> {
    fn next_back(&mut self) -> Option<u8> {
        (self.front < self.back).then(|| {
            self.back -= 1;
            self.at(self.back)
        })
    }
}

impl ExactSizeIterator for Nibbles<'_> {}

/// Every nibble of `bytes` in digit order, fillers included (TS 51.011 §10.1.1).
#[must_use]
pub const fn nibbles(bytes: &[u8]) -> Nibbles<'_> {
    Nibbles { bytes, front: 0, back: bytes.len() * 2 }
}

/// The nibbles of `bytes` without the trailing run of `F` fillers (an `F`
/// followed by a digit is kept: it is a digit position, not a filler) (TS 51.011 §10.1.1).
#[must_use]
pub fn digits(bytes: &[u8]) -> Nibbles<'_> {
    Nibbles { bytes, front: 0, back: digit_count(bytes) }
}

/// The number of digit positions before the trailing run of `F` fillers (TS 51.011 §10.1.1).
#[must_use]
pub fn digit_count(bytes: &[u8]) -> usize {
    let mut n = bytes.len() * 2;
    for &b in bytes.iter().rev() {
        if b == 0xFF {
            n -= 2;
        } else {
            if b >> 4 == FILLER {
                n -= 1;
            }
            break;
        }
    }
    n
}

/// The nibble at digit position `index` (low nibble of byte `index / 2` for
/// even positions, high nibble for odd ones) (TS 51.011 §10.1.1).
#[must_use]
pub fn nibble(bytes: &[u8], index: usize) -> Option<u8> {
    let b = *bytes.get(index / 2)?;
    Some(if index.is_multiple_of(2) { b & 0x0F } else { b >> 4 })
}

/// Write `digits` (nibble values 0–15) into `out` as swapped-nibble BCD, and
/// fill the rest of `out` with `F`. Returns the number of bytes that hold
/// digits (TS 51.011 §10.1.1).
///
/// # Errors
/// [`EncodeError::OutOfRange`] for a value above 15;
/// [`EncodeError::BufferTooSmall`] at the first digit that does not fit
/// (`needed` is then one byte more than `out`: at least that many; the rest of
/// `digits` is not read, so an endless iterator ends too).
pub fn encode_into<I: IntoIterator<Item = u8>>(digits: I, out: &mut [u8]) -> Result<usize, EncodeError> {
    out.fill(0xFF);
    let capacity = out.len();
    let mut count = 0usize;
    for d in digits {
        if d > 0x0F {
            return Err(EncodeError::OutOfRange { what: "BCD digit", value: u32::from(d), max: 15 });
        }
        let byte = out.get_mut(count / 2).ok_or(EncodeError::too_small(capacity + 1, capacity))?;
        *byte = if count.is_multiple_of(2) { (*byte & 0xF0) | d } else { (*byte & 0x0F) | (d << 4) };
        count += 1;
    }
    Ok(count.div_ceil(2))
}

/// The character of a nibble in the plain alphabet: `0`–`9`, then `A`–`F` for
/// the values a decimal number should not hold (kept, never dropped) (TS 51.011 §10.1.1).
#[must_use]
pub const fn hex_char(n: u8) -> char {
    hex_ascii(n) as char
}

/// [`hex_char`] as an ASCII byte (TS 51.011 §10.1.1).
#[must_use]
pub const fn hex_ascii(n: u8) -> u8 {
    match n & 0x0F {
        d @ 0..=9 => b'0' + d,
        d => b'A' + d - 10,
    }
}

/// The character of a nibble in the extended BCD of dialling numbers, TS 51.011
/// §10.5.1 / TS 24.008 table 10.5.118: `0`–`9`, `A` = `*`, `B` = `#`,
/// `C` = DTMF control digit separator (written `,`, a pause, as Android's
/// `PhoneNumberUtils` does), `D` = wild value (written `N`, ditto),
/// `E` = expansion digit (GSM 11.11's "shift key", RFU in later versions;
/// written `;` as Android's `BCD_EF_ADN_EXTENDED` does, so a record holding
/// one still reads). `F` (filler) has no character.
#[must_use]
pub const fn dialling_char(n: u8) -> Option<char> {
    match n {
        d @ 0..=9 => Some((b'0' + d) as char),
        0x0A => Some('*'),
        0x0B => Some('#'),
        0x0C => Some(','),
        0x0D => Some('N'),
        0x0E => Some(';'),
        _ => None,
    }
}

/// The nibble of a dialling-number character (inverse of [`dialling_char`]);
/// `p`/`P` are accepted for the pause and `n`/`?` for the wild value
/// (TS 51.011 §10.5.1, TS 24.008 table 10.5.118).
#[must_use]
pub const fn dialling_nibble(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '*' => Some(0x0A),
        '#' => Some(0x0B),
        ',' | 'p' | 'P' => Some(0x0C),
        'N' | 'n' | '?' => Some(0x0D),
        ';' => Some(0x0E),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn low_nibble_comes_first() {
        assert_eq!(nibbles(&[0x98, 0x10]).collect::<heapless::Vec<u8, 4>>(), [8, 9, 0, 1]);
        assert_eq!(nibbles(&[0x98, 0x10]).rev().collect::<heapless::Vec<u8, 4>>(), [1, 0, 9, 8]);
    }

    #[test]
    fn only_the_trailing_filler_run_is_dropped() {
        assert_eq!(digit_count(&[0x21, 0xF3, 0xFF]), 3);
        assert_eq!(digit_count(&[0xF1, 0x32]), 4); // F inside the number is a digit position
        assert_eq!(digit_count(&[0xFF, 0xFF]), 0);
        assert_eq!(digit_count(&[]), 0);
    }

    #[test]
    fn encode_pads_with_filler_and_reports_size() {
        let mut out = [0u8; 3];
        assert_eq!(encode_into([1, 2, 3], &mut out), Ok(2));
        assert_eq!(out, [0x21, 0xF3, 0xFF]);
        assert_eq!(encode_into([1, 2, 3, 4, 5], &mut out[..2]), Err(EncodeError::too_small(3, 2)));
        assert!(matches!(encode_into([16], &mut out), Err(EncodeError::OutOfRange { .. })));
        // The first digit that does not fit ends it: an endless source too.
        assert_eq!(encode_into(core::iter::repeat(1), &mut out), Err(EncodeError::too_small(4, 3)));
    }

    #[test]
    fn dialling_alphabet_round_trips() {
        for n in 0..=0x0E {
            let c = dialling_char(n).unwrap();
            assert_eq!(dialling_nibble(c), Some(n));
        }
        assert_eq!(dialling_char(0x0E), Some(';'));
        assert_eq!(dialling_char(0x0F), None);
        assert_eq!(hex_char(0x0B), 'B');
    }
}
