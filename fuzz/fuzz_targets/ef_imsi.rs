//! Fuzz the EF_IMSI decoder (TS 51.011 §10.3.2, TS 24.008 §10.5.1.4): never
//! panic; the digits are decimal, 6 to 15 of them, parity agreeing; the MNC
//! length rules (EF_AD, resolved Q10 fallback) give a PLMN that is a prefix;
//! and EF bytes → `Imsi` → text → `Imsi` → EF bytes is a fixed point.
//!
//! Input: EF_IMSI, then optionally `FF FE` and EF_AD.
#![no_main]

use libfuzzer_sys::fuzz_target;
use simcore::ef::{Ad, Imsi, MncLength};

fuzz_target!(|data: &[u8]| {
    let (ef, ad) = match data.windows(2).position(|w| w == [0xFF, 0xFE]) {
        Some(i) => (&data[..i], Ad::from_ef(&data[i + 2..]).ok()),
        None => (data, None),
    };
    let imsi = match Imsi::from_ef(ef) {
        Ok(imsi) => imsi,
        Err(error) => {
            assert!(error.offset() <= ef.len(), "{error:?}");
            return;
        }
    };
    let text = imsi.as_str();
    assert!((6..=15).contains(&text.len()), "{text}");
    assert!(text.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(u16::from_str_radix(&text[..3], 10).unwrap(), imsi.mcc());
    let (length, _source) = imsi.mnc_length(ad.as_ref());
    if let Some(from_ad) = ad.and_then(|a| a.mnc_length) {
        assert_eq!(length, from_ad);
    }
    let plmn = imsi.plmn(length);
    assert_eq!(plmn.mcc(), imsi.mcc());
    let digits = length.digits();
    assert_eq!(plmn.mnc(), text[3..3 + digits].parse::<u16>().unwrap());
    assert_eq!(plmn.mnc_length(), length);
    assert_eq!(imsi.msin(length), &text[3 + digits..]);
    for other in [MncLength::Two, MncLength::Three] {
        assert_eq!(imsi.msin(other).len() + 3 + other.digits(), text.len());
    }
    assert_eq!(imsi.to_string(), text);
    // The fixed point.
    let bytes = imsi.to_ef();
    let back = Imsi::from_ef(&bytes).unwrap();
    assert_eq!(back, imsi);
    assert_eq!(back.to_ef(), bytes);
    assert_eq!(Imsi::parse(text).unwrap(), imsi);
    // A shorter EF read that still holds the L bytes decodes to the same IMSI.
    let l = usize::from(bytes[0]);
    assert_eq!(Imsi::from_ef(&bytes[..=l]).unwrap(), imsi);
});
