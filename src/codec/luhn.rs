//! The Luhn (mod 10) check digit, ISO/IEC 7812-1 annex B, as ITU-T E.118 §4.4
//! uses it for the last digit of an ICCID.
//!
//! Starting with the rightmost payload digit, every second digit is doubled
//! (9 subtracted when the result exceeds 9) and all digits are summed; the
//! check digit brings the sum to a multiple of 10. Digits are ASCII `0`–`9`;
//! anything else makes the answer `None` rather than a wrong digit.
//!
//! ```
//! use simcore::codec::luhn;
//! // Worked example A of the spec digest §5: payload 894944000000115531 → 4.
//! assert_eq!(luhn::check_digit_str("894944000000115531"), Some(4));
//! assert_eq!(luhn::is_valid_str("8949440000001155314"), Some(true));
//! ```

/// The Luhn sum mod 10 of the ASCII digits `number[..len]`, doubling the
/// rightmost digit when `double_rightmost`; `None` if a byte is not `0`–`9`.
/// Bytes after `len` must be `0` (they add nothing, wherever they stand).
///
/// Written without branches on the digits so that the compiler can vectorise
/// it: a doubled digit d counts 2d − 9 when d ≥ 5.
#[inline]
fn sum(number: &[u8], len: usize, double_rightmost: bool) -> Option<u8> {
    let parity = len & 1 ^ usize::from(!double_rightmost);
    let mut total = 0u32;
    let mut not_decimal = false;
    for (i, &b) in number.iter().enumerate() {
        let d = b.wrapping_sub(b'0');
        not_decimal |= d > 9;
        let d = d.min(9);
        let doubled = (2 * d).wrapping_sub(if d >= 5 { 9 } else { 0 });
        total += u32::from(if (i & 1) ^ parity == 1 { doubled } else { d });
    }
    if not_decimal { None } else { u8::try_from(total % 10).ok() }
}

/// The check digit for the ASCII digits `payload` (the number without its
/// check digit); `None` if a byte is not `0`–`9`.
#[must_use]
#[inline]
pub fn check_digit(payload: &[u8]) -> Option<u8> {
    sum(payload, payload.len(), true).map(|s| (10 - s) % 10)
}

/// Whether the ASCII digits `number` (payload, then check digit) pass; `None`
/// if a byte is not `0`–`9`.
#[must_use]
#[inline]
pub fn is_valid(number: &[u8]) -> Option<bool> {
    sum(number, number.len(), false).map(|s| s == 0)
}

/// [`is_valid`] of `number[..len]` when every byte after `len` is `0`: a
/// fixed-size buffer of digits checks in a few vector operations.
#[must_use]
#[inline]
pub fn is_valid_zero_padded(number: &[u8], len: usize) -> Option<bool> {
    sum(number, len, false).map(|s| s == 0)
}

/// [`check_digit`] of text.
#[must_use]
pub fn check_digit_str(payload: &str) -> Option<u8> {
    check_digit(payload.as_bytes())
}

/// [`is_valid`] of text.
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
        assert_eq!(is_valid_zero_padded(b"799273987130000", 11), Some(true));
        assert_eq!(is_valid_zero_padded(b"799273987100000", 11), Some(false));
    }
}
