//! Fuzz the virtual SIM's command handler (TS 51.011 §9, TS 102 221 §10–§11):
//! the input is split into commands at 0xFF 0xFE markers; the first byte picks
//! the personality and the link. Every command must get a response ending in a
//! status word, and nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use simcore::Profile;
use simcore::virtual_sim::{CardProfile, LinkMode, VirtualSim};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let personality = if mode & 1 == 0 { Profile::Uicc } else { Profile::Sim };
    let link = if mode & 2 == 0 { LinkMode::T0 } else { LinkMode::T1 };
    let Ok(card) = VirtualSim::from_profile(&CardProfile::default().with_personality(personality)) else {
        return;
    };
    let mut card = card.with_link(link);
    let mut start = 0;
    for i in 0..=rest.len() {
        let end_here = i == rest.len() || (rest[i] == 0xFF && rest.get(i + 1) == Some(&0xFE));
        if end_here {
            let response = card.respond(&rest[start..i]).unwrap();
            assert!(response.len() >= 2);
            start = i + 2;
        }
    }
});
