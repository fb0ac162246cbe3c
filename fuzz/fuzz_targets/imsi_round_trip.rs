//! Round trip of IMSIs (TS 51.011 §10.3.2, TS 24.008 §10.5.1.4): any printed
//! IMSI of 6–15 decimal digits → `Imsi` → EF_IMSI (length, parity, swapped
//! BCD) → `Imsi` gives the same digits, MCC, MNC and MSIN.
#![no_main]

use libfuzzer_sys::fuzz_target;
use simcore::ef::{Imsi, MncLength};

fuzz_target!(|input: (Vec<u8>, bool)| {
    let (raw, three) = input;
    let text: String = raw.iter().take(17).map(|b| char::from(b'0' + b % 10)).collect();
    let imsi = match Imsi::parse(&text) {
        Ok(imsi) => imsi,
        Err(_) => {
            assert!(!(6..=15).contains(&text.len()), "{text} refused");
            return;
        }
    };
    assert!((6..=15).contains(&text.len()));
    let ef = imsi.to_ef();
    assert_eq!(usize::from(ef[0]), (text.len() + 2) / 2, "L counts the parity nibble and the digits");
    assert_eq!(ef[1] & 0x0F, if text.len() % 2 == 1 { 0x09 } else { 0x01 });
    let back = Imsi::from_ef(&ef).unwrap();
    assert_eq!(back.as_str(), text);
    assert_eq!(back.mcc(), text[..3].parse::<u16>().unwrap());
    let length = if three { MncLength::Three } else { MncLength::Two };
    let plmn = back.plmn(length);
    assert_eq!(plmn.mnc(), text[3..3 + length.digits()].parse::<u16>().unwrap());
    assert_eq!(back.msin(length), &text[3 + length.digits()..]);
    assert_eq!(back.to_ef(), ef);
});
