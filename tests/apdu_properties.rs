//! Property tests for ISO/IEC 7816-4 §5.1: encode then parse gives the same
//! fields for every case and both forms; arbitrary bytes never panic a parser.

#![cfg(feature = "std")]
// Tests fail loudly: unwrap, expect, panic and indexing are the point here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use proptest::prelude::*;
use simcore::apdu::{Command, CommandView, ResponseView};
use simcore::{Profile, StatusWord};

fn command_parts() -> impl Strategy<Value = (u8, u8, u8, u8, Vec<u8>, Option<u32>, bool)> {
    let data = prop_oneof![
        4 => proptest::collection::vec(any::<u8>(), 0..=300),
        1 => proptest::collection::vec(any::<u8>(), 65_000..=65_535),
    ];
    let ne = prop_oneof![
        Just(None),
        (1u32..=256).prop_map(Some),
        (257u32..=65_536).prop_map(Some),
        Just(Some(65_536)),
        Just(Some(256)),
    ];
    (any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>(), data, ne, any::<bool>())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn encode_then_parse_round_trips((cla, ins, p1, p2, data, ne, extended) in command_parts()) {
        let mut cmd = Command::new(cla, ins, p1, p2).with_data(&data).unwrap();
        if let Some(ne) = ne {
            cmd = cmd.with_ne(ne).unwrap();
        }
        if extended {
            cmd = cmd.extended();
        }
        let bytes = cmd.to_vec();
        prop_assert_eq!(bytes.len(), cmd.encoded_len());
        let view = CommandView::parse(&bytes).unwrap();
        prop_assert_eq!(view.header(), [cla, ins, p1, p2]);
        prop_assert_eq!(view.data(), &data[..]);
        prop_assert_eq!(view.ne(), ne);
        prop_assert_eq!(view.case(), cmd.case());
        // The short form is used exactly when it can be and was not refused.
        let fits_short = data.len() <= 255 && ne.is_none_or(|n| n <= 256);
        let has_length = !data.is_empty() || ne.is_some();
        prop_assert_eq!(view.case().is_extended(), has_length && (!fits_short || extended));
    }

    #[test]
    fn arbitrary_bytes_never_panic(raw in proptest::collection::vec(any::<u8>(), 0..600)) {
        if let Ok(view) = CommandView::parse(&raw) {
            // Whatever parses re-encodes to the very same bytes.
            prop_assert_eq!(view.to_command().to_vec(), raw.clone());
        }
        let _ = ResponseView::parse(&raw);
    }

    #[test]
    fn every_status_word_describes_without_panic(sw1 in any::<u8>(), sw2 in any::<u8>()) {
        let sw = StatusWord::new(sw1, sw2);
        let _ = sw.class();
        let _ = sw.action();
        for profile in [Profile::Iso7816, Profile::Sim, Profile::Uicc] {
            let text = sw.describe(profile).to_string();
            let prefix = format!("{sw1:02X} {sw2:02X}: ");
            prop_assert!(text.starts_with(&prefix));
            prop_assert!(!text.contains('{') && !text.contains('}'), "unfilled template in {}", text);
            let _ = sw.chv(profile);
        }
    }
}
