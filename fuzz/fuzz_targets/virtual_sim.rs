//! Fuzz the virtual SIM's command handler (TS 51.011 §9, TS 102 221 §10–§11)
//! over sequences of commands, with the PIN state machine's safety property:
//! an attempt counter never goes up except when a command that presents that
//! very code succeeds (90 00): VERIFY, CHANGE, DISABLE, ENABLE (which all
//! present the PIN and reset its counter, TS 102 221 §11.1.9–§11.1.12,
//! TS 51.011 §9.2.9–§9.2.12) or UNBLOCK (which resets both the PUK's and the
//! PIN's, §11.1.13 / §9.2.13). A counter goes down by at most one per command,
//! never without a PIN command, never above its maximum; at most one code's
//! counters change per command; every command gets a response ending in a
//! status word; nothing panics.
//!
//! Input: the first byte picks the personality and the link; the rest is
//! split into commands at `FF FE`. A command starting `FD k` is a PIN command
//! built from selector `k` with the right or a wrong code (so the fuzzer
//! reaches blocking, unblocking and the states between); `FC` resets the card;
//! anything else is sent raw.
#![no_main]

use libfuzzer_sys::fuzz_target;
use simcore::Profile;
use simcore::virtual_sim::card::Codes;
use simcore::virtual_sim::{CardProfile, LinkMode, VirtualSim};

/// The counters of one code: (code, unblock code) attempts left and maxima.
type Counters = [(u8, Option<u8>, u8, Option<u8>); 3];

fn counters(codes: &Codes) -> Counters {
    [&codes.pin1, &codes.pin2, &codes.adm].map(|chv| {
        (
            chv.code().attempts_left(),
            chv.unblock().map(|u| u.attempts_left()),
            chv.code().max_attempts(),
            chv.unblock().map(|u| u.max_attempts()),
        )
    })
}

const VERIFY: u8 = 0x20;
const CHANGE: u8 = 0x24;
const DISABLE: u8 = 0x26;
const ENABLE: u8 = 0x28;
const UNBLOCK: u8 = 0x2C;

/// The default profile's codes, ASCII padded with FF (profile.rs defaults).
fn coded(text: &[u8]) -> [u8; 8] {
    let mut out = [0xFF; 8];
    out[..text.len()].copy_from_slice(text);
    out
}

/// A PIN command from selector `k` (bits: instruction, code, right/wrong, new code).
fn pin_command(sim: bool, k: u8, wrong: &[u8]) -> Vec<u8> {
    let ins = [VERIFY, CHANGE, DISABLE, ENABLE, UNBLOCK, VERIFY, VERIFY, UNBLOCK][usize::from(k & 7)];
    let which = (k >> 3) & 3; // 0 PIN1, 1 PIN2, 2 ADM, 3 PIN1
    let right = k & 0x20 == 0;
    let (code, puk, p2) = match (which, sim) {
        (1, true) => (coded(b"5678"), coded(b"87654321"), 0x02),
        (1, false) => (coded(b"5678"), coded(b"87654321"), 0x81),
        (2, _) => (coded(b"88888888"), coded(b"88888888"), 0x0A),
        (_, true) => (coded(b"1234"), coded(b"12345678"), if ins == UNBLOCK { 0x00 } else { 0x01 }),
        (_, false) => (coded(b"1234"), coded(b"12345678"), 0x01),
    };
    let mut secret = if ins == UNBLOCK { puk } else { code };
    if !right {
        for (s, w) in secret.iter_mut().zip(wrong.iter().chain(std::iter::repeat(&0x30))) {
            *s ^= w | 1;
        }
    }
    // The new code (CHANGE, UNBLOCK) is the old one, or another valid PIN.
    let new = if k & 0x40 == 0 { code } else { coded(b"0000") };
    let cla = if sim { 0xA0 } else { 0x00 };
    let mut command = vec![cla, ins, 0x00, p2];
    let data: Vec<u8> = match ins {
        CHANGE | UNBLOCK => [secret, new].concat(),
        _ => secret.to_vec(),
    };
    if k & 0x80 != 0 && matches!(ins, VERIFY | UNBLOCK) {
        // The status query: no data.
        command.push(0x00);
        return command;
    }
    command.push(data.len() as u8);
    command.extend_from_slice(&data);
    command
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let sim = mode & 1 != 0;
    let personality = if sim { Profile::Sim } else { Profile::Uicc };
    let link = if mode & 2 == 0 { LinkMode::T0 } else { LinkMode::T1 };
    let Ok(card) = VirtualSim::from_profile(&CardProfile::default().with_personality(personality)) else {
        return;
    };
    let mut card = card.with_link(link);
    let mut before = counters(card.card().codes());
    for chunk in split_commands(rest) {
        let command: Vec<u8> = match chunk {
            [0xFC, ..] => {
                card.card_reset();
                let after = counters(card.card().codes());
                assert_eq!(after, before, "a reset changed a counter");
                continue;
            }
            [0xFD, k, wrong @ ..] => pin_command(sim, *k, wrong),
            raw => raw.to_vec(),
        };
        let response = card.respond(&command).expect("no persistence, no transport error").to_vec();
        assert!(response.len() >= 2, "no status word");
        let sw = [response[response.len() - 2], response[response.len() - 1]];
        let after = counters(card.card().codes());
        let ins = command.get(1).copied();
        let is_pin_command = matches!(ins, Some(VERIFY | CHANGE | DISABLE | ENABLE | UNBLOCK));
        let success = sw == [0x90, 0x00];
        let mut changed = 0;
        for (i, (b, a)) in before.iter().zip(after.iter()).enumerate() {
            let (code_before, unblock_before, max, unblock_max) = *b;
            let (code_after, unblock_after, max_after, unblock_max_after) = *a;
            assert_eq!((max, unblock_max), (max_after, unblock_max_after), "a maximum changed");
            assert!(code_after <= max && unblock_after <= unblock_max, "counter above its maximum: {a:?}");
            if b != a {
                changed += 1;
                assert!(is_pin_command, "code {i} changed by {command:02X?} → {sw:02X?}");
            }
            if code_after > code_before {
                assert!(success && is_pin_command, "PIN counter {i} went up: {command:02X?} → {sw:02X?}");
                assert_eq!(code_after, max, "a success restores the maximum");
            }
            if unblock_after > unblock_before {
                assert!(
                    success && ins == Some(UNBLOCK),
                    "PUK counter {i} went up: {command:02X?} → {sw:02X?}"
                );
            }
            if code_after < code_before {
                assert_eq!(code_before - code_after, 1, "more than one attempt spent");
                assert!(!success, "a success spent an attempt");
            }
            if let (Some(u_before), Some(u_after)) = (unblock_before, unblock_after) {
                if u_after < u_before {
                    assert_eq!(u_before - u_after, 1);
                    assert!(!success && ins == Some(UNBLOCK));
                    assert_eq!(code_after, code_before, "a wrong PUK touched the PIN counter");
                }
            }
        }
        assert!(changed <= 1, "one command changed {changed} codes");
        before = after;
    }
});

/// Commands separated by `FF FE`.
fn split_commands(rest: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < rest.len() {
        if rest[i] == 0xFF && rest.get(i + 1) == Some(&0xFE) {
            out.push(&rest[start..i]);
            i += 2;
            start = i;
        } else {
            i += 1;
        }
    }
    out.push(&rest[start..]);
    out
}
