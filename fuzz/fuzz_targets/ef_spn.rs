//! Fuzz the EF_SPN decoder (TS 51.011 §10.3.11, TS 31.102 §4.2.12, the alpha
//! forms of TS 102 221 annex A): never panic; errors name a byte of the file;
//! and EF → name → EF → name is a fixed point (with room for the UCS2 form).
#![no_main]

use libfuzzer_sys::fuzz_target;
use simcore::ef::Spn;

/// What `text` reads back as: ç goes out as Ç's 0x09 when the text is written
/// in the GSM alphabet (resolved Q8).
fn as_sent(text: &str) -> String {
    if simcore::codec::gsm7::encoded_len(text).is_ok() { text.replace('ç', "Ç") } else { text.to_owned() }
}

fuzz_target!(|data: &[u8]| {
    let spn = match Spn::from_ef(data) {
        Ok(spn) => spn,
        Err(error) => {
            assert!(error.offset() <= data.len(), "{error:?}");
            let _ = error.to_string();
            return;
        }
    };
    assert_eq!(spn.display.bits(), data[0]);
    let name = spn.to_string();
    assert_eq!(name, spn.name.chars().collect::<String>());
    // Room for every character in the 80 form.
    let mut out = vec![0u8; 2 + 2 * name.chars().count().max(8)];
    Spn::encode_into(spn.display, &name, &mut out).expect("a decoded name encodes");
    let back = Spn::from_ef(&out).expect("an encoded EF_SPN decodes");
    assert_eq!(back.display, spn.display);
    assert_eq!(back.to_string(), as_sent(&name));
});
