//! The Luhn (mod 10) check digit, ISO/IEC 7812-1 annex B, as ITU-T E.118 §4.4
//! uses it for the last digit of an ICCID.
//!
//! Starting with the rightmost payload digit, every second digit is doubled
//! (9 subtracted when the result exceeds 9) and all digits are summed; the
//! check digit brings the sum to a multiple of 10. Digits are ASCII `0`–`9`;
//! anything else makes the answer `None` rather than a wrong digit.
//! [`is_valid_bcd`] checks swapped-nibble BCD directly, a table lookup per byte,
//! which is how [`crate::ef::Iccid`] reads EF_ICCID.
//!
//! ```
//! use simcore::codec::luhn;
//! // Worked example A of the spec digest §5: payload 894944000000115531 → 4.
//! assert_eq!(luhn::check_digit_str("894944000000115531"), Some(4));
//! assert_eq!(luhn::is_valid_str("8949440000001155314"), Some(true));
//! ```

/// The Luhn sum mod 10 of the ASCII digits `number`, doubling the rightmost
/// digit when `double_rightmost`; `None` if a byte is not `0`–`9`.
/// Digits go in pairs, one of which is doubled (2d − 9 when d ≥ 5).
#[inline]
fn sum(number: &[u8], double_rightmost: bool) -> Option<u8> {
    // Digits at even indices are doubled, or those at odd ones: decided once.
    let double_even = number.len() & 1 ^ usize::from(!double_rightmost) == 1;
    let (pairs, last) = number.as_chunks::<2>();
    let mut total = 0u32;
    let mut not_decimal = 0u8;
    for &[a, b] in pairs {
        let (a, b) = (a.wrapping_sub(b'0'), b.wrapping_sub(b'0'));
        not_decimal |= u8::from(a > 9) | u8::from(b > 9);
        let (a, b) = (a.min(9), b.min(9));
        let pair = if double_even { doubled(a) + b } else { a + doubled(b) };
        total += u32::from(pair);
    }
    if let [b] = *last {
        let d = b.wrapping_sub(b'0');
        not_decimal |= u8::from(d > 9);
        let d = d.min(9);
        total += u32::from(if double_even { doubled(d) } else { d });
    }
    if not_decimal != 0 { None } else { u8::try_from(total % 10).ok() }
}

/// A digit (0–9) doubled, 9 subtracted above 9.
#[inline]
const fn doubled(d: u8) -> u8 {
    if d >= 5 { 2 * d - 9 } else { 2 * d }
}

/// The check digit for the ASCII digits `payload` (the number without its
/// check digit); `None` if a byte is not `0`–`9` (ISO/IEC 7812-1 annex B).
#[must_use]
#[inline]
pub fn check_digit(payload: &[u8]) -> Option<u8> {
    sum(payload, true).map(|s| (10 - s) % 10)
}

/// Whether the ASCII digits `number` (payload, then check digit) pass; `None`
/// if a byte is not `0`–`9` (ISO/IEC 7812-1 annex B).
#[must_use]
#[inline]
pub fn is_valid(number: &[u8]) -> Option<bool> {
    sum(number, false).map(|s| s == 0)
}

/// The flag bit of [`BCD_PAIRS`] for a byte with a nibble above 9 (a
/// contribution is at most 18, so it never reaches this bit).
const NOT_DECIMAL: u8 = 0x80;

/// The Luhn contribution of one swapped-nibble BCD byte (two digits, the first
/// in the low nibble): row 0 doubles the first digit, row 1 the second.
/// A byte with a non-decimal nibble has [`NOT_DECIMAL`] set (its digits count 0).
#[allow(
    clippy::indexing_slicing,
    clippy::cast_possible_truncation,
    reason = "evaluated at compile time: an index out of range fails the build; b < 256"
)]
static BCD_PAIRS: [[u8; 256]; 2] = {
    let mut table = [[0u8; 256]; 2];
    let mut b = 0usize;
    while b < 256 {
        let (lo, hi) = ((b & 0x0F) as u8, (b >> 4) as u8);
        let flag = if lo > 9 || hi > 9 { NOT_DECIMAL } else { 0 };
        let (lo, hi) = (if lo > 9 { 0 } else { lo }, if hi > 9 { 0 } else { hi });
        table[0][b] = (doubled(lo) + hi) | flag;
        table[1][b] = (lo + doubled(hi)) | flag;
        b += 1;
    }
    table
};

/// [`is_valid`] of the first `len` digits of swapped-nibble BCD `bytes` (TS
/// 51.011 §10.1.1 order, as EF_ICCID holds them), a table lookup per byte;
/// `None` if one of those digits is not decimal or `bytes` holds fewer.
#[must_use]
pub fn is_valid_bcd(bytes: &[u8], len: usize) -> Option<bool> {
    let (full, rest) = bytes.split_at_checked(len / 2)?;
    // Verification doubles the second-from-right digit: the first digit of each
    // byte for an even count, the second for an odd one.
    let row = BCD_PAIRS.get(len & 1)?;
    let mut total = 0u32;
    // Every table entry ORed together: NOT_DECIMAL is set if one byte had it.
    let mut flags = 0u8;
    for &b in full {
        let pair = row.get(usize::from(b)).copied().unwrap_or(NOT_DECIMAL);
        flags |= pair;
        total += u32::from(pair & !NOT_DECIMAL);
    }
    if len & 1 == 1 {
        let last = rest.first()? & 0x0F;
        if last > 9 {
            flags |= NOT_DECIMAL;
        }
        total += u32::from(last);
    }
    if flags & NOT_DECIMAL != 0 { None } else { Some(total.is_multiple_of(10)) }
}

/// [`check_digit`] of text (ISO/IEC 7812-1 annex B).
#[must_use]
pub fn check_digit_str(payload: &str) -> Option<u8> {
    check_digit(payload.as_bytes())
}

/// [`is_valid`] of text (ISO/IEC 7812-1 annex B).
#[must_use]
pub fn is_valid_str(number: &str) -> Option<bool> {
    is_valid(number.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Worked example B of the spec digest §5 (20-digit ICCID, check digit 0) and
    /// the classic ISO/IEC 7812 example 7992739871 → 3.
    #[test]
    fn known_check_digits() {
        assert_eq!(check_digit_str("8901410321111851072"), Some(0));
        assert_eq!(check_digit_str("7992739871"), Some(3));
        assert_eq!(is_valid_str("79927398713"), Some(true));
        assert_eq!(is_valid_str("79927398710"), Some(false));
        assert_eq!(check_digit_str("12A"), None);
        assert_eq!(check_digit_str(""), Some(0));
        // 79927398713 as swapped-nibble BCD: 97 29 37 89 17 F3.
        let bcd = [0x97, 0x29, 0x37, 0x89, 0x17, 0xF3];
        assert_eq!(is_valid_bcd(&bcd, 11), Some(true));
        assert_eq!(is_valid_bcd(&[0x97, 0x29, 0x37, 0x89, 0x17, 0xF0], 11), Some(false));
        assert_eq!(is_valid_bcd(&[0x97, 0x29, 0x37, 0x89, 0x17, 0x3F], 12), None);
        assert_eq!(is_valid_bcd(&[0x97, 0x29, 0x3A, 0x89, 0x17, 0xF3], 11), None);
        assert_eq!(is_valid_bcd(&bcd, 13), None);
        assert_eq!(is_valid_bcd(&[0x21, 0x43, 0x65, 0x87, 0x09], 10), is_valid_str("1234567890"));
    }

    #[test]
    fn the_bcd_table_agrees_with_the_text_form_for_every_byte() {
        // Every byte in every position of a 3- or 4-digit number: the table's
        // verdict (with its non-decimal flag) equals the one read from the digits.
        for b in 0..=u8::MAX {
            for (bytes, len) in [([b, 0x05], 3), ([b, 0x50], 4), ([0x27, b], 4), ([0x27, b], 3)] {
                let digits: [u8; 4] = [bytes[0] & 0x0F, bytes[0] >> 4, bytes[1] & 0x0F, bytes[1] >> 4];
                let text: [u8; 4] = digits.map(|d| if d < 10 { b'0' + d } else { b'A' + d - 10 });
                assert_eq!(is_valid_bcd(&bytes, len), is_valid(&text[..len]), "{bytes:02X?} {len}");
            }
        }
    }
}
