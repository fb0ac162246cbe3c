//! Property tests: the virtual card answers every input with a response that
//! ends in a status word, and never panics (the issue's "no input makes it
//! panic"), in both personalities and on both links.

#![cfg(feature = "virtual-sim")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use proptest::prelude::*;
use simcore::Profile;
use simcore::virtual_sim::{CardProfile, LinkMode, VirtualSim};

fn card(sim: bool, t1: bool) -> VirtualSim {
    let personality = if sim { Profile::Sim } else { Profile::Uicc };
    let link = if t1 { LinkMode::T1 } else { LinkMode::T0 };
    VirtualSim::from_profile(&CardProfile::default().with_personality(personality)).unwrap().with_link(link)
}

/// A command that gets past the class and instruction checks most of the time.
fn plausible() -> impl Strategy<Value = Vec<u8>> {
    let cla = prop::sample::select(vec![0x00u8, 0x80, 0xA0, 0x01, 0x0C]);
    let ins = prop::sample::select(vec![
        0xA4u8, 0xF2, 0xB0, 0xD6, 0xB2, 0xDC, 0xC0, 0x20, 0x24, 0x26, 0x28, 0x2C, 0x70,
    ]);
    (cla, ins, any::<u8>(), any::<u8>(), prop::collection::vec(any::<u8>(), 0..24)).prop_map(
        |(cla, ins, p1, p2, body)| {
            let mut raw = vec![cla, ins, p1, p2];
            raw.extend(body);
            raw
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_bytes_get_a_status_word(sim in any::<bool>(), t1 in any::<bool>(),
                                   commands in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..300), 1..12)) {
        let mut card = card(sim, t1);
        for command in &commands {
            let response = card.respond(command).unwrap();
            prop_assert!(response.len() >= 2);
        }
    }

    #[test]
    fn plausible_sequences_get_a_status_word(sim in any::<bool>(), t1 in any::<bool>(),
                                             commands in prop::collection::vec(plausible(), 1..40)) {
        let mut card = card(sim, t1);
        for command in &commands {
            let response = card.respond(command).unwrap().to_vec();
            prop_assert!(response.len() >= 2 && response.len() <= 258);
            let sw1 = response[response.len() - 2];
            // Every SW1 is one of ISO/IEC 7816-4's 6X/9X (never the NULL byte 60).
            prop_assert!(matches!(sw1, 0x61..=0x6F | 0x90..=0x9F), "{response:02X?}");
        }
    }
}
