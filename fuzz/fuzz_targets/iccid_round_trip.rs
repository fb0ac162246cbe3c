//! Round trip of ICCIDs (TS 51.011 §10.1.1, ITU-T E.118, resolved Q9): any
//! printed ICCID of 1–20 digits (hex letters allowed inside, spaces and dashes
//! ignored) → `Iccid` → EF_ICCID → `Iccid` gives the same digits and the same
//! Luhn verdict; a decimal number with its check digit appended is valid.
#![no_main]

use libfuzzer_sys::fuzz_target;
use simcore::codec::luhn;
use simcore::ef::{Iccid, Luhn};

fuzz_target!(|input: (Vec<u8>, bool)| {
    let (raw, decimal) = input;
    let alphabet: &[u8] = if decimal { b"0123456789" } else { b"0123456789ABCDEFabcdef -" };
    let text: String =
        raw.iter().take(24).map(|b| char::from(alphabet[usize::from(*b) % alphabet.len()])).collect();
    let digits: String =
        text.chars().filter(|c| !matches!(c, ' ' | '-')).map(|c| c.to_ascii_uppercase()).collect();
    let iccid = match Iccid::parse(&text) {
        Ok(iccid) => iccid,
        Err(_) => {
            assert!(digits.is_empty() || digits.len() > 20 || digits.ends_with('F'), "{text:?} refused");
            return;
        }
    };
    assert_eq!(iccid.as_str(), digits);
    let ef = iccid.to_ef();
    let back = Iccid::from_ef(&ef).unwrap();
    assert_eq!(back.as_str(), digits);
    assert_eq!(back.luhn(), iccid.luhn());
    assert_eq!(back.to_ef(), ef);
    assert_eq!(back.is_decimal(), digits.bytes().all(|b| b.is_ascii_digit()));
    if back.is_decimal() && digits.len() < 20 {
        let check = luhn::check_digit_str(&digits).unwrap();
        let full = Iccid::parse(&format!("{digits}{check}")).unwrap();
        assert_eq!(full.luhn(), Luhn::Valid);
        assert_eq!(Iccid::from_ef(&full.to_ef()).unwrap().luhn(), Luhn::Valid);
        let wrong = Iccid::parse(&format!("{digits}{}", (check + 1) % 10)).unwrap();
        assert_eq!(Iccid::from_ef(&wrong.to_ef()).unwrap().luhn(), Luhn::Invalid { expected: check });
    }
});
