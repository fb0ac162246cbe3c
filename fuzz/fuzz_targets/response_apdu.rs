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
            // Success as written out in the specifications, independently of the
            // status-word table: 90 00, 61XX, 9FXX (data to fetch), 91XX
            // (proactive command pending), 92XX but 92 40 (ISO/IEC 7816-4 table 5;
            // TS 51.011 §9.4.1, §9.4.3; TS 102 221 §10.2.1.1); not 9E XX, whose
            // data is a failed download's report.
            let [sw1, sw2] = sw.to_bytes();
            let normal = matches!((sw1, sw2), (0x90, 0x00) | (0x61 | 0x91 | 0x9F, _))
                || (sw1 == 0x92 && sw2 != 0x40);
            assert_eq!(response.is_success(), normal, "{sw1:02X} {sw2:02X}");
            assert_eq!(sw.is_success(), normal || sw1 == 0x9E, "{sw1:02X} {sw2:02X}");
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
