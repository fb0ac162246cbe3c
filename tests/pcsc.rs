//! The PC/SC transport (feature `pcsc`) against a real pcscd, with the
//! virtual SIM served to it over vsmartcard's vpcd driver (reader "Virtual
//! PCD 00 00", TCP 127.0.0.1:35963).
//!
//! Needs `SIMCORE_PCSC_TESTS=1` and a running pcscd with the vpcd driver (CI
//! starts `pcscd -f -a` and runs this binary alone with `--test-threads=1`:
//! one pcscd and one vpcd slot per machine; the tests also take a lock).
//! Without them the tests print "skipped: …" and pass; with the variable but
//! without pcscd they fail under `SIMCORE_CI`.

#![cfg(feature = "pcsc")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod example_bin;
mod readers_common;

use readers_common as common;
use readers_common::pcsc::{READER, ServedCard, available, lock};
use simcore::Profile;
use simcore::transport::pcsc::{PcscConfig, PcscError, PcscTransport, ShareMode, readers};
use simcore::transport::{Error, ErrorKind, Link, Protocol, Reset, Transport};
use simcore::virtual_sim::{CardProfile, profile};

fn sim() -> CardProfile {
    CardProfile::default().with_personality(Profile::Sim)
}

#[test]
fn readers_and_no_card() {
    let _guard = lock();
    if !available() {
        return;
    }
    assert!(readers().unwrap().iter().any(|r| r == READER));
    let error = PcscTransport::connect(READER, PcscConfig::DEFAULT).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NoCard, "{error}");
    assert!(error.to_string().contains("insert the SIM"), "{error}");
    let error = PcscTransport::connect("simcore: no such reader", PcscConfig::DEFAULT).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NoReader, "{error}");
    assert!(error.to_string().contains("list the readers"), "{error}");
    let error = PcscTransport::connect_first(PcscConfig::DEFAULT).unwrap_err();
    assert!(matches!(error, PcscError::NoCard { readers } if readers >= 1), "{error}");
    assert_eq!(error.kind(), ErrorKind::NoCard);
}

#[test]
fn identity_transactions_and_resets_on_a_uicc() {
    let _guard = lock();
    if !available() {
        return;
    }
    let card = ServedCard::start(&CardProfile::default());
    let reader = PcscTransport::connect_first(PcscConfig::DEFAULT).unwrap();
    assert_eq!(reader.reader(), READER);
    assert_eq!(reader.atr(), Some(card.atr()));
    // The ATR offers T=0 only; pcscd's reader works at TPDU level (resolved Q11).
    assert_eq!(reader.protocol(), Protocol::T0);
    let mut link = Link::new(reader);
    assert_eq!(common::read_iccid(&mut link, Profile::Uicc), profile::DEFAULT_ICCID);
    // A transaction is a transport too; it ends on drop.
    {
        let mut transaction = link.transport_mut().transaction().unwrap();
        assert_eq!(transaction.protocol(), Protocol::T0);
        let mut tx_link = Link::new(&mut transaction);
        assert_eq!(common::read_iccid(&mut tx_link, Profile::Uicc), profile::DEFAULT_ICCID);
    }
    let transaction = link.transport_mut().transaction().unwrap();
    transaction.end(simcore::transport::pcsc::Disposition::Leave).unwrap();
    // Warm and cold resets: the ATR again, the card back to its state after reset.
    let resets_before = card.resets();
    assert_eq!(link.reset(Reset::Warm).unwrap(), Reset::Warm);
    assert_eq!(link.reset(Reset::Cold).unwrap(), Reset::Cold);
    assert!(card.resets() >= resets_before + 2);
    assert_eq!(link.atr(), Some(card.atr()));
    assert_eq!(common::read_iccid(&mut link, Profile::Uicc), profile::DEFAULT_ICCID);
    // Receive buffers: a large one is used directly, a small one gets an error.
    let read = [0x00, 0xB0, 0x00, 0x00, 0x0A];
    let mut large = vec![0u8; 70_000];
    assert_eq!(link.transport_mut().transmit(&read, &mut large).unwrap().len(), 12);
    let mut small = [0u8; 4];
    let error = link.transport_mut().transmit(&read, &mut small).unwrap_err();
    assert_eq!(error, PcscError::BufferTooSmall { needed: 12, capacity: 4 });
}

#[test]
fn identity_and_pins_on_a_classic_sim() {
    let _guard = lock();
    if !available() {
        return;
    }
    let _card = ServedCard::start(&sim());
    let mut link = Link::new(PcscTransport::connect(READER, PcscConfig::DEFAULT).unwrap());
    assert_eq!(common::read_iccid(&mut link, Profile::Sim), profile::DEFAULT_ICCID);
    let mut buf = [0u8; 258];
    // TS 51.011 §9.4.5: a wrong CHV1 is 98 04; the right one 90 00.
    let sw = |link: &mut Link<PcscTransport>, command: &[u8], buf: &mut [u8]| {
        link.transmit_raw(command, buf).unwrap().sw().to_u16()
    };
    assert_eq!(sw(&mut link, &common::verify(0xA0, b"9999"), &mut buf), 0x9804);
    assert_eq!(sw(&mut link, &common::verify(0xA0, b"1234"), &mut buf), 0x9000);
}

#[test]
fn sharing_violation_has_a_hint() {
    let _guard = lock();
    if !available() {
        return;
    }
    let _card = ServedCard::start(&CardProfile::default());
    let exclusive = PcscConfig::DEFAULT.with_share_mode(ShareMode::Exclusive);
    let holder = PcscTransport::connect(READER, exclusive).unwrap();
    let error = PcscTransport::connect(READER, PcscConfig::DEFAULT).unwrap_err();
    assert_eq!(error.pcsc_error(), Some(pcsc::Error::SharingViolation), "{error}");
    assert!(error.to_string().contains("another program holds the card"), "{error}");
    drop(holder);
    // Dropped: disconnected, so the card is free again.
    assert!(PcscTransport::connect(READER, PcscConfig::DEFAULT).is_ok());
    // A direct connection carries no APDUs, and says so instead of panicking.
    let direct = PcscConfig::DEFAULT.with_share_mode(ShareMode::Direct);
    if let Ok(mut reader) = PcscTransport::connect(READER, direct) {
        let mut buf = [0u8; 258];
        assert_eq!(reader.transmit(&[0x00, 0xB0, 0x00, 0x00, 0x0A], &mut buf), Err(PcscError::DirectMode));
    }
}

#[test]
fn a_card_stopped_mid_session_is_a_typed_error() {
    let _guard = lock();
    if !available() {
        return;
    }
    let card = ServedCard::start(&CardProfile::default());
    let mut link = Link::new(PcscTransport::connect(READER, PcscConfig::DEFAULT).unwrap());
    assert_eq!(common::read_iccid(&mut link, Profile::Uicc), profile::DEFAULT_ICCID);
    card.stop();
    let mut buf = [0u8; 258];
    let read = [0x00, 0xB0, 0x00, 0x00, 0x0A];
    let error = link.transport_mut().transmit(&read, &mut buf).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::CardRemoved, "{error}");
    assert!(error.to_string().contains("removed during the session"), "{error}");
    // No card now: each call tries again and says so.
    let error = link.transport_mut().transmit(&read, &mut buf).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NoCard, "{error}");
    assert!(!link.transport().is_connected());
    // The card is back: the transport reconnects (the caller knows the card was reset).
    let _card = ServedCard::start(&CardProfile::default());
    assert_eq!(common::read_iccid(&mut link, Profile::Uicc), profile::DEFAULT_ICCID);
    assert!(link.transport().is_connected());
}

/// The status word of `command` sent raw on `reader`.
fn raw_sw(reader: &mut impl Transport<Error = PcscError>, command: &[u8]) -> u16 {
    let mut buf = [0u8; 258];
    let response = reader.transmit(command, &mut buf).unwrap();
    u16::from_be_bytes([response[response.len() - 2], response[response.len() - 1]])
}

#[test]
fn a_reset_after_the_card_came_back_resets_it() {
    // SCardConnect resets nothing (SCARD_LEAVE_CARD: "do nothing"): a reset
    // asked for after the connection was lost must still reset the card, or
    // another program's verified PIN outlives it (ISO/IEC 7816-4 VERIFY
    // without data: 90 00 while verified, 63 C3 after a reset).
    let _guard = lock();
    if !available() {
        return;
    }
    let card = ServedCard::start(&CardProfile::default());
    let mut reader = PcscTransport::connect(READER, PcscConfig::DEFAULT).unwrap();
    card.stop();
    let mut buf = [0u8; 258];
    let error = reader.transmit(&[0x00, 0xB0, 0x00, 0x00, 0x0A], &mut buf).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::CardRemoved, "{error}");
    assert!(!reader.is_connected());
    let _card = ServedCard::start(&CardProfile::default());
    let query = [0x00, 0x20, 0x00, 0x01];
    {
        let leave = PcscConfig::DEFAULT.with_disposition(simcore::transport::pcsc::Disposition::Leave);
        let mut other = PcscTransport::connect(READER, leave).unwrap();
        assert_eq!(raw_sw(&mut other, &common::verify(0x00, b"1234")), 0x9000);
        assert_eq!(raw_sw(&mut other, &query), 0x9000);
    }
    for reset in [Reset::Warm, Reset::Cold] {
        assert_eq!(reader.reset(reset).unwrap(), reset);
        assert_eq!(raw_sw(&mut reader, &query), 0x63C3, "{reset:?}: PIN1 still verified");
    }
}

#[test]
fn a_session_goes_on_after_another_program_reset_the_card() {
    // The reset comes back as an error once (Reconnected); the session then
    // selects its files again from the MF (TS 51.011 §6.5).
    let _guard = lock();
    if !available() {
        return;
    }
    let _card = ServedCard::start(&sim());
    let reader = PcscTransport::connect(READER, PcscConfig::DEFAULT).unwrap();
    let mut session = simcore::card::Sim::open(reader).unwrap();
    assert_eq!(session.iccid().unwrap().as_str(), profile::DEFAULT_ICCID);
    // Another program connects and disconnects with SCARD_RESET_CARD (the default).
    drop(PcscTransport::connect(READER, PcscConfig::DEFAULT).unwrap());
    assert_eq!(session.iccid().unwrap_err().kind(), ErrorKind::CardRemoved);
    assert_eq!(session.iccid().unwrap().as_str(), profile::DEFAULT_ICCID);
}

#[test]
fn a_direct_connection_has_no_protocol_while_another_program_has_one() {
    // pcsc-lite's SCardStatus reports the reader's protocol, negotiated here
    // by the shared connection: the direct one still carries no APDU.
    let _guard = lock();
    if !available() {
        return;
    }
    let _card = ServedCard::start(&CardProfile::default());
    let holder = PcscTransport::connect(READER, PcscConfig::DEFAULT).unwrap();
    assert_eq!(holder.protocol(), Protocol::T0);
    let direct = PcscConfig::DEFAULT.with_share_mode(ShareMode::Direct);
    let mut reader = PcscTransport::connect(READER, direct).unwrap();
    assert_eq!(reader.protocol(), Protocol::Other);
    let mut buf = [0u8; 258];
    assert_eq!(reader.transmit(&[0x00, 0xB0, 0x00, 0x00, 0x0A], &mut buf), Err(PcscError::DirectMode));
}

#[test]
fn the_session_identity_and_pin_guard_through_pcsc() {
    let _guard = lock();
    if !available() {
        return;
    }
    for personality in [Profile::Uicc, Profile::Sim] {
        let _card = ServedCard::start_sim(common::guarded_card(personality));
        let reader = PcscTransport::connect(READER, PcscConfig::DEFAULT).unwrap();
        common::session_flows(reader, personality);
    }
}

#[test]
fn the_pin_example_holds_the_card_alone_while_it_presents_a_code() {
    // The guard reads the counter, then sends the command: another program's
    // wrong code in between would spend an attempt it counted. `pin` connects
    // in exclusive mode for the commands that present a code.
    let _guard = lock();
    if !available() {
        return;
    }
    if example_bin::example("pin").is_none() {
        return;
    }
    let _card = ServedCard::start(&CardProfile::default());
    let run =
        |action: &str| example_bin::run("pin", &[action, "--pcsc"], &[("SIMCORE_PIN", "1234")]).unwrap();
    let holder = PcscTransport::connect(READER, PcscConfig::DEFAULT).unwrap();
    // Status spends nothing and shares the card.
    let status = run("status");
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let verify = run("verify");
    let err = String::from_utf8_lossy(&verify.stderr);
    assert_eq!(verify.status.code(), Some(1), "{err}");
    assert!(err.contains("another program holds the card"), "{err}");
    drop(holder);
    let verify = run("verify");
    assert!(verify.status.success(), "{}", String::from_utf8_lossy(&verify.stderr));
}

#[test]
fn sim_info_says_when_another_program_left_pin1_verified() {
    // A program that disconnects with SCARD_LEAVE_CARD leaves PIN1 verified;
    // the UICC then answers the counter query with 90 00 and no count
    // (ISO/IEC 7816-4 VERIFY without data), and `sim_info --verify-pin` says
    // so instead of presenting the code again (the guard's Refusal::Verified).
    let _guard = lock();
    if !available() {
        return;
    }
    if example_bin::example("sim_info").is_none() {
        return;
    }
    let _card = ServedCard::start(&CardProfile::default());
    let leave = PcscConfig::DEFAULT.with_disposition(simcore::transport::pcsc::Disposition::Leave);
    let mut sim = simcore::card::Sim::open(PcscTransport::connect(READER, leave).unwrap()).unwrap();
    let pin = simcore::chv::Pin::new("1234").unwrap();
    let outcome = sim.verify(simcore::chv::KeyReference::PIN1, &pin, simcore::card::Guard::Protect).unwrap();
    assert!(outcome.is_done(), "{outcome}");
    drop(sim);
    let out = example_bin::run("sim_info", &["--pcsc", "--verify-pin"], &[("SIMCORE_PIN", "1234")]).unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("PIN1 is verified already"), "{text}");
    assert!(text.contains(profile::DEFAULT_IMSI), "{text}");
}
