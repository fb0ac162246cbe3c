//! Fuzz the EF_ICCID decoder (TS 51.011 §10.1.1, ITU-T E.118, resolved Q9):
//! never panic; the digits are the swapped nibbles before the `F` filler; the
//! Luhn verdict agrees with the check digit of ISO/IEC 7812-1 annex B; and
//! EF bytes → `Iccid` → EF bytes and → text → `Iccid` are fixed points,
//! the Luhn verdict read from BCD bytes equal to the one read from text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use simcore::codec::{bcd, luhn};
use simcore::ef::{Iccid, Luhn};

fuzz_target!(|data: &[u8]| {
    let iccid = match Iccid::from_ef(data) {
        Ok(iccid) => iccid,
        Err(error) => {
            assert!(error.offset() <= data.len(), "{error:?}");
            return;
        }
    };
    let text = iccid.as_str();
    assert_eq!(text.len(), iccid.len());
    assert_eq!(text.len(), bcd::digit_count(data));
    let nibbles: String = bcd::nibbles(data).take(iccid.len()).map(bcd::hex_char).collect();
    assert_eq!(text, nibbles);
    assert_eq!(iccid.digits().count(), iccid.len());
    assert_eq!(iccid.is_decimal(), text.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(iccid.non_decimal().count(), text.bytes().filter(|b| !b.is_ascii_digit()).count());
    match iccid.luhn() {
        Luhn::Valid => assert_eq!(luhn::is_valid_str(text), Some(true)),
        Luhn::Invalid { expected } => {
            assert_eq!(luhn::is_valid_str(text), Some(false));
            assert_eq!(luhn::check_digit_str(&text[..text.len() - 1]), Some(expected));
        }
        Luhn::NotDecimal => assert!(!iccid.is_decimal()),
    }
    let _ = (iccid.major_industry_identifier(), iccid.is_telecom(), iccid.issuer_identifier());
    if let Some(country) = iccid.country_code() {
        assert!(country.len <= iccid.len());
    }
    assert_eq!(iccid.to_string(), text);
    let _ = format!("{iccid:?}");
    // The fixed points; the EF never yields a text ending in the filler F.
    let ef = iccid.to_ef();
    assert_eq!(ef, data, "EF_ICCID re-encodes to the same bytes");
    let back = Iccid::from_ef(&ef).unwrap();
    assert_eq!(back, iccid);
    assert_eq!(back.luhn(), iccid.luhn());
    assert_eq!(back.to_ef(), ef);
    let printed = Iccid::parse(text).expect("the printed form parses back");
    assert_eq!(printed, iccid);
    assert_eq!(printed.luhn(), iccid.luhn());
    assert_eq!(printed.to_ef(), ef);
});
