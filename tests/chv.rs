//! PIN commands against vectors G (V71–V81) of ../shared/spec/vectors.md, built
//! by hand from TS 51.011 §9.2.9–§9.2.13 and TS 102 221 §11.1.9–§11.1.13 with
//! the P2 rules of resolved.md Q1 and Q3 (UNBLOCK CHV1 uses P2 = 00: osmocom-bb
//! `gsm1111_tx_unblock_chv`, wpa_supplicant `pcsc_funcs.c`); and the promise
//! that a PIN never shows in a trace, a `Debug` or a `Display`.

#![cfg(feature = "std")]
// Tests fail loudly: unwrap, expect, panic and indexing are the point here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use simcore::chv::{ChvCommand, ChvError, KeyReference, Operation, Pin, RetryCounter};
use simcore::hex;
use simcore::sw::ChvStatus;
use simcore::transport::mock::MockTransport;
use simcore::transport::trace::WriteTrace;
use simcore::transport::{Event, Link, Options, Protocol};
use simcore::{Profile, StatusWord};

fn bytes(text: &str) -> Vec<u8> {
    hex::decode(text).unwrap()
}

fn pin(digits: &str) -> Pin {
    Pin::new(digits).unwrap()
}

#[test]
fn v71_gsm_verify_chv1() {
    let cmd = ChvCommand::verify(Profile::Sim, KeyReference::PIN1, &pin("1234")).unwrap();
    assert_eq!(cmd.expose_bytes(), bytes("A0 20 00 01 08 31 32 33 34 FF FF FF FF"));
    assert_eq!(cmd.operation(), Operation::Verify);
    assert_eq!(cmd.spends(), Some(RetryCounter::Pin));
}

#[test]
fn v72_v73_uicc_verify_pin1_and_pin2() {
    let cmd = ChvCommand::verify(Profile::Uicc, KeyReference::PIN1, &pin("1234")).unwrap();
    assert_eq!(cmd.expose_bytes(), bytes("00 20 00 01 08 31 32 33 34 FF FF FF FF"));
    let cmd = ChvCommand::verify(Profile::Uicc, KeyReference::PIN2, &pin("1234")).unwrap();
    assert_eq!(cmd.expose_bytes(), bytes("00 20 00 81 08 31 32 33 34 FF FF FF FF"));
    // On a classic SIM PIN2 is CHV2, P2 = 02 (TS 51.011 §9.2.9).
    let cmd = ChvCommand::verify(Profile::Sim, KeyReference::PIN2, &pin("1234")).unwrap();
    assert_eq!(cmd.header(), [0xA0, 0x20, 0x00, 0x02]);
}

#[test]
fn v74_uicc_pin1_counter_query() {
    let cmd = ChvCommand::verify_query(Profile::Uicc, KeyReference::PIN1).unwrap();
    assert_eq!(cmd.expose_bytes(), bytes("00 20 00 01"));
    assert!(cmd.is_query());
    assert_eq!(cmd.spends(), None);
    // Through a T=0 link: the TPDU 00 20 00 01 00, typical answer 63 C3.
    let card = MockTransport::new(Protocol::T0).expect_hex("00 20 00 01 00", "63 C3").unwrap();
    let mut link = Link::new(card);
    let mut buf = [0u8; 8];
    let r = link.transmit(&cmd.command(), &mut buf).unwrap();
    assert_eq!(r.sw().chv(Profile::Uicc), Some(ChvStatus::AttemptsLeft(3)));
}

#[test]
fn v75_v76_gsm_unblock_chv1_uses_p2_00_and_chv2_p2_02() {
    let (puk, new) = (Pin::puk("12345678").unwrap(), pin("1234"));
    let cmd = ChvCommand::unblock(Profile::Sim, KeyReference::PIN1, &puk, &new).unwrap();
    assert_eq!(cmd.expose_bytes(), bytes("A0 2C 00 00 10 31 32 33 34 35 36 37 38 31 32 33 34 FF FF FF FF"));
    assert_eq!(cmd.spends(), Some(RetryCounter::Unblock));
    let cmd = ChvCommand::unblock(Profile::Sim, KeyReference::PIN2, &puk, &new).unwrap();
    assert_eq!(cmd.expose_bytes(), bytes("A0 2C 00 02 10 31 32 33 34 35 36 37 38 31 32 33 34 FF FF FF FF"));
}

#[test]
fn v77_v78_uicc_unblock_pin1_and_its_counter_query() {
    let (puk, new) = (Pin::puk("12345678").unwrap(), pin("1234"));
    let cmd = ChvCommand::unblock(Profile::Uicc, KeyReference::PIN1, &puk, &new).unwrap();
    assert_eq!(cmd.expose_bytes(), bytes("00 2C 00 01 10 31 32 33 34 35 36 37 38 31 32 33 34 FF FF FF FF"));
    let query = ChvCommand::unblock_query(Profile::Uicc, KeyReference::PIN1).unwrap();
    assert_eq!(query.expose_bytes(), bytes("00 2C 00 01"));
    // V78: 63 CA, 10 unblock attempts left.
    assert_eq!(StatusWord::new(0x63, 0xCA).chv(Profile::Uicc), Some(ChvStatus::AttemptsLeft(10)));
}

#[test]
fn v79_gsm_change_chv1() {
    let cmd = ChvCommand::change(Profile::Sim, KeyReference::PIN1, &pin("1234"), &pin("4321")).unwrap();
    assert_eq!(cmd.expose_bytes(), bytes("A0 24 00 01 10 31 32 33 34 FF FF FF FF 34 33 32 31 FF FF FF FF"));
}

#[test]
fn v80_gsm_disable_chv1_and_v81_uicc_enable_pin1() {
    let cmd = ChvCommand::disable(Profile::Sim, KeyReference::PIN1, &pin("0000")).unwrap();
    assert_eq!(cmd.expose_bytes(), bytes("A0 26 00 01 08 30 30 30 30 FF FF FF FF"));
    let cmd = ChvCommand::enable(Profile::Uicc, KeyReference::PIN1, &pin("0000")).unwrap();
    assert_eq!(cmd.expose_bytes(), bytes("00 28 00 01 08 30 30 30 30 FF FF FF FF"));
    // Only CHV1 can be disabled or enabled on a classic SIM (resolved.md Q3).
    assert_eq!(
        ChvCommand::enable(Profile::Sim, KeyReference::PIN2, &pin("0000")).unwrap_err(),
        ChvError::NotOnProfile {
            operation: Operation::Enable,
            key: KeyReference::PIN2,
            profile: Profile::Sim
        }
    );
    assert_eq!(
        ChvCommand::disable(Profile::Sim, KeyReference::PIN2, &pin("0000")).unwrap_err().to_string(),
        "DISABLE of PIN2 does not exist on a SIM (TS 51.011) card"
    );
}

#[test]
fn universal_pin_and_adm_on_a_uicc() {
    let cmd = ChvCommand::verify(Profile::Uicc, KeyReference::UNIVERSAL_PIN, &pin("1234")).unwrap();
    assert_eq!(cmd.header(), [0x00, 0x20, 0x00, 0x11]);
    let adm = Pin::adm("0123456789ABCDEF").unwrap();
    let cmd = ChvCommand::verify(Profile::Uicc, KeyReference::ADM1, &adm).unwrap();
    assert_eq!(cmd.expose_bytes(), bytes("00 20 00 0A 08 01 23 45 67 89 AB CD EF"));
}

/// The digits of the codes used below, as they would appear in hex or as text.
fn leaks(text: &str) -> Vec<&'static str> {
    ["31 32 33 34", "31323334", "1234", "35 36 37 38", "5678", "39 38 37 36", "9876"]
        .into_iter()
        .filter(|needle| text.contains(needle))
        .collect()
}

#[test]
fn pins_never_show_in_debug_display_or_the_trace() {
    let pin1 = pin("1234");
    let puk = Pin::puk("12345678").unwrap();
    let new = pin("9876");
    assert_eq!(format!("{pin1}"), "**");
    assert_eq!(format!("{pin1:?}"), "Pin(**)");
    assert_eq!(format!("{:?}", Some(&puk)), "Some(Pin(**))");

    let verify = ChvCommand::verify(Profile::Uicc, KeyReference::PIN1, &pin1).unwrap();
    let unblock = ChvCommand::unblock(Profile::Sim, KeyReference::PIN1, &puk, &new).unwrap();
    let change = ChvCommand::change(Profile::Uicc, KeyReference::PIN2, &pin1, &new).unwrap();
    assert_eq!(verify.to_string(), "00 20 00 01 08 **");
    assert_eq!(unblock.to_string(), "A0 2C 00 00 10 **");
    // A counter query carries no code: the whole command (TS 102 221 §11.1.9).
    let query = ChvCommand::verify_query(Profile::Uicc, KeyReference::PIN1).unwrap();
    assert_eq!(query.to_string(), "00 20 00 01");
    assert_eq!(format!("{change:?}"), "ChvCommand { operation: Change, key: PIN2, apdu: 00 24 00 81 10 ** }");
    let text = format!("{verify} {verify:?} {unblock} {unblock:?} {change} {change:?}");
    assert!(leaks(&text).is_empty(), "{text}");

    // Through a link on T=0 and T=1, with a closure hook and a writer hook.
    for protocol in [Protocol::T0, Protocol::T1] {
        let card = MockTransport::new(protocol)
            .expect(verify.expose_bytes(), &[0x63, 0xC2])
            .expect(unblock.expose_bytes(), &[0x90, 0x00])
            .expect(change.expose_bytes(), &[0x98, 0x04]);
        let mut lines = Vec::new();
        let mut link = Link::new(card)
            .with_options(Options::for_profile(Profile::Uicc))
            .with_trace(|e: Event<'_>| lines.push(e.to_string()));
        let mut buf = [0u8; 258];
        for cmd in [&verify, &unblock, &change] {
            link.transmit(&cmd.command(), &mut buf).unwrap();
        }
        let mock_debug = format!("{:?}", link.transport());
        drop(link);
        let text = lines.join("\n");
        assert!(leaks(&text).is_empty() && leaks(&mock_debug).is_empty(), "{text}\n{mock_debug}");
        assert_eq!(lines[0], "> 00 20 00 01 08 **");
        // The trace reads 63 CX as the answer to a PIN command (TS 102 221 §10.2.1.3).
        assert_eq!(lines[1], "< 63 C2: 2 attempts left for the code (0: it is blocked)");
        assert_eq!(lines[2], "> A0 2C 00 00 10 **");
        assert_eq!(lines[4], "> 00 24 00 81 10 **");
        assert_eq!(lines.len(), 6);
    }

    let mut out = Vec::new();
    let card = MockTransport::new(Protocol::T0).expect(verify.expose_bytes(), &[0x90, 0x00]);
    let mut link = Link::new(card).with_trace(WriteTrace(&mut out));
    link.transmit(&verify.command(), &mut [0u8; 8]).unwrap();
    drop(link);
    let written = String::from_utf8(out).unwrap();
    assert_eq!(written, "> 00 20 00 01 08 **\n< 90 00: normal ending of the command\n");

    // A mismatch in the mock names the step and the offset, never the digits.
    let card = MockTransport::new(Protocol::T0).expect(verify.expose_bytes(), &[0x90, 0x00]);
    let mut link = Link::new(card);
    let wrong = ChvCommand::verify(Profile::Uicc, KeyReference::PIN1, &pin("9876")).unwrap();
    let err = link.transmit(&wrong.command(), &mut [0u8; 8]).unwrap_err();
    let message = format!("{err} {err:?}");
    assert!(leaks(&message).is_empty(), "{message}");
    assert!(message.contains("mock step 1: expected command 00 20 00 01 08 **, got 00 20 00 01 08 ** (first difference at byte 5)"), "{message}");
}

#[test]
fn pin_errors_name_the_position_not_the_character() {
    let err = Pin::new("12x4").unwrap_err();
    assert_eq!(err.offset(), Some(2));
    assert_eq!(err.to_string(), "character 3 of the code (offset 2) is not a decimal digit");
    // A PUK has exactly 8 digits (TS 51.011 §9.3).
    assert_eq!(Pin::puk("1234").unwrap_err().to_string(), "a code of 4 characters; 8 digits are needed");
    assert_eq!(Pin::new("12").unwrap_err().to_string(), "a code of 2 characters; 4 to 8 digits are needed");
    assert!(!format!("{err:?}").contains('x'));
    let err = Pin::adm("0123456789ABCDEZ").unwrap_err();
    assert!(!format!("{err} {err:?}").contains('Z'));
}
