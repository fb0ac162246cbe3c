//! Fuzz the text decoders of SIM files: alpha identifiers in the GSM 7-bit
//! default alphabet (3GPP TS 23.038 §6.2.1, with the extension table) and the
//! UCS2 forms 80/81/82 (ETSI TS 102 221 annex A). Never panic; the three ways
//! to read the text agree; and bytes → text → bytes → text is a fixed point
//! (with room for the 80 form; ç comes back as Ç when the text goes out in
//! the GSM alphabet, resolved Q8).
#![no_main]

use libfuzzer_sys::fuzz_target;
use simcore::codec::{Alpha, alpha, gsm7};
use std::fmt::Write;

fuzz_target!(|data: &[u8]| {
    // The raw unpacked alphabet, any bytes.
    let _ = gsm7::Chars::new(data).count();
    let parsed = match Alpha::parse(data) {
        Ok(parsed) => parsed,
        Err(error) => {
            assert!(error.offset() <= data.len(), "{error:?}");
            let _ = error.to_string();
            return;
        }
    };
    let _ = (parsed.form(), parsed.is_empty(), parsed.as_bytes());
    let text = parsed.to_string();
    assert_eq!(text, parsed.chars().collect::<String>());
    let mut written = String::new();
    parsed.write_to(&mut written).unwrap();
    assert_eq!(written, text);
    match parsed.to_heapless::<64>() {
        Ok(small) => assert_eq!(small.as_str(), text),
        Err(_) => assert!(text.len() > 64),
    }
    // The fixed point.
    let mut out = vec![0u8; 1 + 2 * text.chars().count()];
    let used = alpha::encode(&text, &mut out).expect("decoded text encodes");
    assert!(used <= out.len());
    let again = Alpha::parse(&out).expect("encoded text decodes");
    // ç has no GSM code of its own: it goes out as Ç's 0x09 (resolved Q8).
    let expected = if gsm7::encoded_len(&text).is_ok() { text.replace('ç', "Ç") } else { text.clone() };
    assert_eq!(again.to_string(), expected);
    let mut gsm = String::new();
    if gsm7::encoded_len(&text).is_ok() {
        // In the GSM alphabet the unpacked characters read back the same.
        write!(gsm, "{}", gsm7::Chars::new(&out[..used]).collect::<String>()).unwrap();
        assert_eq!(gsm, expected);
    }
});
