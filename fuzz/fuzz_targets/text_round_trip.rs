//! Round trip of text into SIM alpha fields (ETSI TS 102 221 annex A, 3GPP TS
//! 23.038 §6.2.1): any string the encoders accept reads back identical (ç as
//! Ç in the GSM form, resolved Q8); the GSM form is chosen exactly when every character has a
//! GSM code; encoding never writes past the field and refuses only what it
//! must (a full field, or a character beyond UCS2).
#![no_main]

use libfuzzer_sys::fuzz_target;
use simcore::codec::alpha::AlphaForm;
use simcore::codec::{Alpha, EncodeError, alpha, gsm7};

fuzz_target!(|input: (String, u8)| {
    let (text, room) = input;
    let mut out = vec![0u8; usize::from(room % 64)];
    let gsm = gsm7::encoded_len(&text);
    match alpha::encode(&text, &mut out) {
        Ok(used) => {
            assert!(used <= out.len());
            assert!(out[used..].iter().all(|&b| b == 0xFF), "the rest is FF filler");
            let parsed = Alpha::parse(&out).expect("encoded text decodes");
            let back = parsed.to_string();
            match gsm {
                Ok(len) => {
                    assert_eq!(len, used);
                    assert_eq!(parsed.form(), AlphaForm::Gsm);
                    assert_eq!(back, text.replace('ç', "Ç"));
                }
                Err(_) => {
                    assert_eq!(parsed.form(), AlphaForm::Ucs2);
                    assert_eq!(back, text);
                }
            }
        }
        Err(EncodeError::BufferTooSmall { needed, .. }) => assert!(needed > out.len()),
        Err(EncodeError::InvalidChar { found, .. }) => {
            assert!(gsm.is_err());
            assert!(u32::from(found) >= 0xFFFF);
        }
        Err(other) => panic!("unexpected {other:?}"),
    }
    // The unpacked GSM encoder alone.
    if let Ok(len) = gsm {
        let mut raw = vec![0u8; len];
        assert_eq!(gsm7::encode_into(&text, &mut raw), Ok(len));
        assert_eq!(gsm7::Chars::new(&raw).collect::<String>(), text.replace('ç', "Ç"));
    }
});
