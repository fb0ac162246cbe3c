//! Fuzz the EF_MSISDN / EF_ADN record decoder (TS 51.011 §10.5.1, TS 24.008
//! §10.5.4.7 extended BCD, alpha identifier of annex B): never panic; errors
//! name a byte of the record; the number has at most 20 digits; and record →
//! (alpha, number) → record → (alpha, number) is a fixed point.
#![no_main]

use libfuzzer_sys::fuzz_target;
use simcore::ef::{DiallingNumber, Ton};

/// What `text` reads back as: ç goes out as Ç's 0x09 when the text is written
/// in the GSM alphabet (resolved Q8).
fn as_sent(text: &str) -> String {
    if simcore::codec::gsm7::encoded_len(text).is_ok() { text.replace('ç', "Ç") } else { text.to_owned() }
}

fuzz_target!(|data: &[u8]| {
    let record = match DiallingNumber::parse(data) {
        Ok(record) => record,
        Err(error) => {
            assert!(error.offset() <= data.len(), "{error:?}");
            let _ = error.to_string();
            return;
        }
    };
    let alpha = record.alpha.to_string();
    let number = record.number.map(|n| n.to_string()).unwrap_or_default();
    if let Some(n) = record.number {
        assert!(n.len() <= 20);
        assert_eq!(n.nibbles().count(), n.len());
        let _ = (n.ton_npi().ton(), n.ton_npi().npi());
        assert_eq!(number.starts_with('+'), n.ton_npi().ton() == Ton::International && !n.is_empty());
        assert!(!number.contains('?'), "{number}");
    }
    let _ = record.is_empty();
    // Written back into a record with room for the alpha identifier in UCS2.
    let mut out = vec![0u8; 14 + 2 + 2 * alpha.chars().count()];
    DiallingNumber::encode_into(&alpha, &number, &mut out).expect("a decoded record encodes");
    let back = DiallingNumber::parse(&out).expect("an encoded record decodes");
    assert_eq!(back.alpha.to_string(), as_sent(&alpha));
    assert_eq!(back.number.map(|n| n.to_string()).unwrap_or_default(), number);
    assert_eq!((back.ccp, back.ext), (None, None));
});
