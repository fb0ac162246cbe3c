//! Fuzz the response APDU view and the status-word table (ISO/IEC 7816-4 §5.1.3,
//! §5.6; TS 51.011 §9.4; TS 102 221 §10.2.1).
#![no_main]

use libfuzzer_sys::fuzz_target;
use simcore::{Profile, ResponseView};

fuzz_target!(|data: &[u8]| {
    if let Ok(response) = ResponseView::parse(data) {
        let sw = response.sw();
        let _ = sw.class();
        let _ = sw.action();
        for profile in [Profile::Iso7816, Profile::Sim, Profile::Uicc] {
            let _ = sw.describe(profile).to_string();
            let _ = sw.chv(profile);
        }
    }
});
