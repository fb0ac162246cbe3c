//! Fuzz the virtual eUICC's logical channels and security domains (TS 102 221
//! §11.1.17 MANAGE CHANNEL, GSMA SGP.22 STORE DATA, SGP.02 GET DATA): the input
//! is split into commands at 0xFF 0xFE markers; the first byte picks the link
//! and whether the ISD-R is selected on a new channel first. Every command
//! must get a response ending in a status word, and nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use simcore::virtual_sim::{CardProfile, LinkMode, VirtualSim};

/// MANAGE CHANNEL open, then SELECT ISD-R on channel 1 (vectors V88, V89).
const PRELUDE: [&[u8]; 2] = [
    &[0x00, 0x70, 0x00, 0x00, 0x01],
    &[
        0x01, 0xA4, 0x04, 0x00, 0x10, 0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0x89,
        0x00, 0x00, 0x01, 0x00,
    ],
];

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let link = if mode & 1 == 0 { LinkMode::T0 } else { LinkMode::T1 };
    let Ok(card) = VirtualSim::from_profile(&CardProfile::euicc()) else { return };
    let mut card = card.with_link(link);
    if mode & 2 != 0 {
        for command in PRELUDE {
            assert!(card.respond(command).unwrap().len() >= 2);
        }
    }
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
