//! Fuzz the status-word table and everything read from a status word
//! (ISO/IEC 7816-4 §5.1.3 and §5.6, TS 51.011 §9.4, TS 102 221 §10.2.1): for
//! every profile, the meaning, the description, the class (by profile too), the transport action
//! and what a PIN command's answer says agree with each other, and the text
//! never leaves a placeholder unfilled.
//!
//! Input: pairs of bytes (SW1 SW2), the first 4 pairs.
#![no_main]

use libfuzzer_sys::fuzz_target;
use simcore::sw::{Action, ChvStatus, Class};
use simcore::{Profile, StatusWord};
use std::fmt::Write;

fuzz_target!(|data: &[u8]| {
    let mut text = String::new();
    for pair in data.chunks_exact(2).take(4) {
        let sw = StatusWord::new(pair[0], pair[1]);
        assert_eq!(sw.to_bytes(), [pair[0], pair[1]]);
        assert_eq!(StatusWord::from_u16(sw.to_u16()), sw);
        let class = sw.class();
        assert_eq!(sw.is_success(), class == Class::Success);
        match sw.action() {
            Some(Action::GetResponse { len, .. } | Action::Resend { le: len } | Action::Fetch { len }) => {
                assert!((1..=256).contains(&len));
                assert_eq!(len % 256, u16::from(pair[1]));
            }
            None => assert!(!matches!(pair[0], 0x61 | 0x6C | 0x91 | 0x9E | 0x9F)),
        }
        for profile in [Profile::Iso7816, Profile::Sim, Profile::Uicc] {
            // Only 92 XX is classed by profile (TS 51.011 §9.4.3, TS 102 221 §10.2.1.1).
            let by_profile = sw.class_in(profile);
            match (profile, pair[0]) {
                (Profile::Sim, 0x92) => {
                    let retries = pair[1] & 0xF0 == 0;
                    assert_eq!(by_profile, if retries { Class::Success } else { Class::Error });
                }
                (Profile::Uicc, 0x92) => assert_eq!(by_profile, Class::Success),
                _ => assert_eq!(by_profile, class),
            }
            let description = sw.describe(profile);
            text.clear();
            write!(text, "{description}").unwrap();
            let head = [pair[0] >> 4, pair[0] & 15, 16, pair[1] >> 4, pair[1] & 15]
                .map(|n| b"0123456789ABCDEF "[usize::from(n)]);
            assert_eq!(&text.as_bytes()[..5], head, "{text}");
            assert_eq!(&text.as_bytes()[5..7], b": ");
            for token in ["{n}", "{s}", "{ies}"] {
                assert!(!text.contains(token), "unfilled placeholder: {text}");
            }
            // The profile's meaning, or ISO/IEC 7816-4's marked as a fallback.
            let own = sw.meaning(profile);
            let fallback = own.is_none() && sw.meaning(Profile::Iso7816).is_some();
            assert_eq!(description.meaning(), own.or(sw.meaning(Profile::Iso7816)));
            assert_eq!(description.is_iso_fallback(), fallback);
            assert_eq!(text.ends_with(" code)") && text.contains("(ISO/IEC 7816-4; not a "), fallback, "{text}");
            if let Some(meaning) = sw.meaning(profile) {
                assert!(!meaning.template().is_empty());
                if meaning.template().contains("{n}") {
                    assert!(meaning.value().is_some(), "{text}");
                }
            }
            match sw.chv(profile) {
                Some(ChvStatus::AttemptsLeft(n)) => {
                    assert!(n <= 15);
                    assert_eq!(StatusWord::attempts_left(n), sw);
                }
                Some(status) => assert!(!sw.is_success() || status == ChvStatus::NotVerified, "{status:?}"),
                None => {}
            }
        }
        text.clear();
        write!(text, "{sw}").unwrap();
        assert_eq!(sw.meaning_any().is_some(), !text.ends_with("unknown status word"));
    }
});
