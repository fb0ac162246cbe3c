//! Fuzz the response APDU view (ISO/IEC 7816-4 §5.1.3): never panic; a response
//! of two bytes or more is its data then SW1 SW2, anything shorter is refused;
//! and the status word it carries is described under every profile
//! (ISO/IEC 7816-4 §5.6, TS 51.011 §9.4, TS 102 221 §10.2.1).
#![no_main]

use libfuzzer_sys::fuzz_target;
use simcore::{Profile, ResponseView};

fuzz_target!(|data: &[u8]| {
    match ResponseView::parse(data) {
        Ok(response) => {
            assert!(data.len() >= 2);
            let sw = response.sw();
            assert_eq!([response.data(), &sw.to_bytes()[..]].concat(), data);
            // One meaning of success: the status word's class (ISO/IEC 7816-4 table 5).
            assert_eq!(response.is_success(), sw.is_success());
            assert!(response.is_success() || sw.to_bytes() != [0x90, 0x00]);
            let _ = sw.class();
            let _ = sw.action();
            for profile in [Profile::Iso7816, Profile::Sim, Profile::Uicc] {
                let _ = sw.describe(profile).to_string();
                let _ = sw.chv(profile);
            }
        }
        Err(error) => {
            assert!(data.len() < 2, "{error:?} for {} bytes", data.len());
            let _ = error.to_string();
        }
    }
});
