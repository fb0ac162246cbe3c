//! The Luhn (mod 10) check digit, ISO/IEC 7812-1 annex B, as ITU-T E.118 §4.4
//! uses it for the last digit of an ICCID.
//!
//! Starting with the rightmost payload digit, every second digit is doubled
//! (9 subtracted when the result exceeds 9) and all digits are summed; the
//! check digit brings the sum to a multiple of 10. Digits are values 0–9;
//! anything else makes the answer `None` rather than a wrong digit.
//!
//! ```
//! use simcore::codec::luhn;
//! // Worked example A of the spec digest §5: payload 894944000000115531 → 4.
//! assert_eq!(luhn::check_digit_str("894944000000115531"), Some(4));
//! assert_eq!(luhn::is_valid_str("8949440000001155314"), Some(true));
//! ```

/// A doubled digit with 9 subtracted above 9.
const DOUBLED: [u8; 10] = [0, 2, 4, 6, 8, 1, 3, 5, 7, 9];

/// The Luhn sum mod 10 of `digits`, doubling the rightmost digit when
/// `double_rightmost`; `None` if a value is not a decimal digit.
fn sum<I>(digits: I, double_rightmost: bool) -> Option<u8>
where
    I: IntoIterator<Item = u8>,
    I::IntoIter: DoubleEndedIterator,
{
    let mut total = 0u32;
    let mut double = double_rightmost;
    for d in digits.into_iter().rev() {
        let value = if double {
            *DOUBLED.get(usize::from(d))?
        } else if d <= 9 {
            d
        } else {
            return None;
        };
        total += u32::from(value);
        double = !double;
    }
    u8::try_from(total % 10).ok()
}

/// The check digit for `payload` (the number without its check digit).
#[must_use]
pub fn check_digit<I>(payload: I) -> Option<u8>
where
    I: IntoIterator<Item = u8>,
    I::IntoIter: DoubleEndedIterator,
{
    sum(payload, true).map(|s| (10 - s) % 10)
}

/// Whether `number` (payload followed by its check digit) passes the check;
/// `None` if a value is not a decimal digit.
#[must_use]
pub fn is_valid<I>(number: I) -> Option<bool>
where
    I: IntoIterator<Item = u8>,
    I::IntoIter: DoubleEndedIterator,
{
    sum(number, false).map(|s| s == 0)
}

/// Digit values of ASCII text; non-digits become 255 so that the check fails.
fn ascii_digits(text: &str) -> impl DoubleEndedIterator<Item = u8> + '_ {
    text.bytes().map(|b| if b.is_ascii_digit() { b - b'0' } else { u8::MAX })
}

/// [`check_digit`] of ASCII text; `None` if it holds a non-digit.
#[must_use]
pub fn check_digit_str(payload: &str) -> Option<u8> {
    check_digit(ascii_digits(payload))
}

/// [`is_valid`] of ASCII text; `None` if it holds a non-digit.
#[must_use]
pub fn is_valid_str(number: &str) -> Option<bool> {
    is_valid(ascii_digits(number))
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
    }
}
