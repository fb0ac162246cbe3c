//! The card session against the virtual SIM in both personalities: profile
//! detection (TS 102 221 §11.1.1, TS 51.011 §9.2.1), selection with tracking,
//! transparent and record files, the identity, with the APDU counts the
//! session promises. The expected commands are written from the
//! specifications (SELECT by path P1 = 08, P2 = 0C; READ BINARY by SFI, P1 =
//! 80 | SFI, TS 102 221 §11.1.3.2; the SIM's FID-only SELECT, TS 51.011 §6.5);
//! the expected values are the ones the test's card profile sets.

#![cfg(feature = "virtual-sim")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use simcore::card::{Sim, SimError, Unavailable};
use simcore::ef::{Luhn, MncLength, MncLengthSource};
use simcore::fcp::{EfStructure, FileKind};
use simcore::fs::{self, Fid};
use simcore::transport::mock::MockTransport;
use simcore::transport::{Event, Link, Protocol};
use simcore::virtual_sim::profile::{DEFAULT_ICCID, DEFAULT_IMSI, DEFAULT_MSISDN, DEFAULT_SPN};
use simcore::virtual_sim::{LinkMode, VirtualSim};
use simcore::{Profile, StatusWord};
use std::cell::RefCell;
use std::rc::Rc;

/// A virtual card of `personality` with `extra` TOML (codes, files).
fn card(personality: Profile, extra: &str) -> VirtualSim {
    let word = if personality == Profile::Sim { "sim" } else { "uicc" };
    VirtualSim::from_toml(&format!("personality = \"{word}\"\n{extra}")).unwrap()
}

/// PIN1 disabled: the IMSI and MSISDN are readable without a PIN.
const OPEN_CARD: &str = "[codes]\npin1 = { value = \"1234\", enabled = false }\n";

type Log = Rc<RefCell<Vec<String>>>;

/// A link to `card` whose commands are logged (`> …` lines only).
fn traced_link(card: VirtualSim) -> (Link<VirtualSim, impl FnMut(Event<'_>)>, Log) {
    let log: Log = Rc::default();
    let sink = Rc::clone(&log);
    let link = Link::new(card).with_trace(move |e: Event<'_>| {
        if let Event::Command(c) = e {
            sink.borrow_mut().push(c.to_string());
        }
    });
    (link, log)
}

/// A session whose commands are logged.
fn traced(card: VirtualSim) -> (Sim<VirtualSim, impl FnMut(Event<'_>)>, Log) {
    let (link, log) = traced_link(card);
    (Sim::open_link(link).unwrap(), log)
}

fn take(log: &Log) -> Vec<String> {
    std::mem::take(&mut *log.borrow_mut())
}

#[test]
fn detection_costs_one_apdu_on_a_uicc_and_two_on_a_sim() {
    let (sim, log) = traced(card(Profile::Uicc, ""));
    assert_eq!(sim.profile(), Profile::Uicc);
    assert_eq!(take(&log), ["00 A4 00 0C 02 3F 00"]);
    assert_eq!(sim.apdu_count(), 1);

    let (sim, log) = traced(card(Profile::Sim, ""));
    assert_eq!(sim.profile(), Profile::Sim);
    // The UICC's SELECT MF gets 6E 00 (class not supported), the SIM's 9F 16
    // whose 22 bytes are not fetched.
    assert_eq!(take(&log), ["00 A4 00 0C 02 3F 00", "A0 A4 00 00 02 3F 00"]);
    assert_eq!(sim.apdu_count(), 2);
    assert!(sim.atr().is_some());
}

#[test]
fn detection_on_scripted_cards() {
    // A classic SIM answering 6D 00 (instruction not supported) to class 00.
    let card = MockTransport::new(Protocol::T0)
        .expect_hex("00 A4 00 0C 02 3F 00", "6D 00")
        .unwrap()
        .expect_hex("A0 A4 00 00 02 3F 00", "9F 16")
        .unwrap();
    let sim = Sim::open(card).unwrap();
    assert_eq!(sim.profile(), Profile::Sim);
    sim.link().transport().finish().unwrap();

    // A UICC without P2 = 0C (6A 86): SELECT MF again with the FCP.
    let card = MockTransport::new(Protocol::T1)
        .expect_hex("00 A4 00 0C 02 3F 00", "6A 86")
        .unwrap()
        .expect_hex("00 A4 00 04 02 3F 00 00", "62 03 82 01 38 90 00")
        .unwrap();
    let sim = Sim::open(card).unwrap();
    assert_eq!(sim.profile(), Profile::Uicc);

    // Neither: not a telecom card.
    let card = MockTransport::new(Protocol::T1)
        .expect_hex("00 A4 00 0C 02 3F 00", "6E 00")
        .unwrap()
        .expect_hex("A0 A4 00 00 02 3F 00", "6E 00")
        .unwrap();
    let err = Sim::open(card).unwrap_err();
    assert_eq!(
        err,
        SimError::NotATelecomCard { uicc: StatusWord::CLA_NOT_SUPPORTED, sim: StatusWord::CLA_NOT_SUPPORTED }
    );
    assert!(err.to_string().contains("not a SIM or UICC"), "{err}");
}

#[test]
fn iccid_and_imsi_on_a_uicc_in_three_apdus_after_opening() {
    let (mut sim, log) = traced(card(Profile::Uicc, OPEN_CARD));
    take(&log);
    let iccid = sim.iccid().unwrap();
    let imsi = sim.imsi().unwrap();
    assert_eq!(iccid.as_str(), DEFAULT_ICCID);
    assert_eq!(iccid.luhn(), Luhn::Valid);
    assert_eq!(imsi.as_str(), DEFAULT_IMSI);
    assert_eq!(
        take(&log),
        [
            "00 B0 82 00 0A", // READ BINARY, SFI 02 = EF_ICCID (TS 102 221 §13.2)
            // The USIM first (TS 31.102): SELECT by the AID prefix (vector V86), no FCP,
            // since the ATR's card service data allow partial DF names.
            "00 A4 04 0C 07 A0 00 00 00 87 10 02",
            "00 B0 87 00 09", // READ BINARY, SFI 07 = the USIM's EF_IMSI (TS 31.102 §4.2.2)
        ]
    );
    // Target: ≤ 4 on a UICC, the opening SELECT MF included.
    assert_eq!(sim.apdu_count(), 4);
}

#[test]
fn iccid_and_imsi_on_a_sim_in_five_apdus_after_opening() {
    let (mut sim, log) = traced(card(Profile::Sim, OPEN_CARD));
    take(&log);
    assert_eq!(sim.iccid().unwrap().as_str(), DEFAULT_ICCID);
    assert_eq!(sim.imsi().unwrap().as_str(), DEFAULT_IMSI);
    assert_eq!(
        take(&log),
        [
            "A0 A4 00 00 02 2F E2", // 9F 0F, no GET RESPONSE
            "A0 B0 00 00 0A",
            "A0 A4 00 00 02 7F 20", // a child of the MF (TS 51.011 §6.5)
            "A0 A4 00 00 02 6F 07",
            "A0 B0 00 00 09",
        ]
    );
    // Target: ≤ 5 once the session is open (the two detection APDUs come first).
    assert_eq!(sim.apdu_count(), 2 + 5);
}

/// A session opened with [`Sim::open_after_reset`]: no APDU for the opening.
fn traced_after_reset(card: VirtualSim, profile: Profile) -> (Sim<VirtualSim, impl FnMut(Event<'_>)>, Log) {
    let (link, log) = traced_link(card);
    (Sim::open_after_reset(link, profile).unwrap(), log)
}

#[test]
fn a_caller_who_knows_the_profile_reads_iccid_and_imsi_of_a_sim_in_five_apdus_in_all() {
    // The target (≤ 5 on a classic SIM) counted from the card's reset: after the ATR the
    // MF is current (TS 51.011 §6.5), so the opening sends nothing.
    let (mut sim, log) = traced_after_reset(card(Profile::Sim, OPEN_CARD), Profile::Sim);
    assert_eq!(sim.apdu_count(), 0);
    assert_eq!(sim.profile(), Profile::Sim);
    assert_eq!(sim.iccid().unwrap().as_str(), DEFAULT_ICCID);
    assert_eq!(sim.imsi().unwrap().as_str(), DEFAULT_IMSI);
    assert_eq!(
        take(&log),
        [
            "A0 A4 00 00 02 2F E2",
            "A0 B0 00 00 0A",
            "A0 A4 00 00 02 7F 20",
            "A0 A4 00 00 02 6F 07",
            "A0 B0 00 00 09"
        ]
    );
    assert_eq!(sim.apdu_count(), 5);

    let (mut sim, log) = traced_after_reset(card(Profile::Uicc, OPEN_CARD), Profile::Uicc);
    assert_eq!(sim.iccid().unwrap().as_str(), DEFAULT_ICCID);
    assert_eq!(sim.imsi().unwrap().as_str(), DEFAULT_IMSI);
    assert_eq!(take(&log).len(), 3);
    assert_eq!(sim.apdu_count(), 3);
}

#[test]
fn open_after_reset_follows_a_reset_of_a_used_card() {
    // The card's selection is left in DF_GSM by a first session; a warm reset puts it back at the
    // MF, which is where open_after_reset starts.
    let mut sim = Sim::open(card(Profile::Sim, OPEN_CARD)).unwrap();
    assert_eq!(sim.imsi().unwrap().as_str(), DEFAULT_IMSI);
    let mut link = sim.into_link();
    link.reset(simcore::transport::Reset::Warm).unwrap();
    let mut sim = Sim::open_after_reset(link, Profile::Sim).unwrap();
    assert_eq!(sim.iccid().unwrap().as_str(), DEFAULT_ICCID, "EF_ICCID is read under the MF");
}

#[test]
fn open_after_reset_needs_a_telecom_profile() {
    let error = Sim::open_after_reset(Link::new(card(Profile::Uicc, "")), Profile::Iso7816).err().unwrap();
    assert!(matches!(error, SimError::NotASessionProfile(Profile::Iso7816)), "{error}");
    assert!(error.to_string().contains("Profile::Sim or Profile::Uicc"), "{error}");
}

#[test]
fn a_file_already_selected_is_not_selected_again() {
    for personality in [Profile::Uicc, Profile::Sim] {
        let (mut sim, log) = traced(card(personality, OPEN_CARD));
        sim.imsi().unwrap();
        take(&log);
        // Same file: READ only. A file in the same DF: one SELECT by FID, or on a
        // UICC, in ADF.USIM, READ BINARY by its SFI (EF_AD 03, TS 31.102 §4.2.18).
        sim.imsi().unwrap();
        sim.ad().unwrap();
        let expected: &[&str] = if personality == Profile::Sim {
            &["A0 B0 00 00 09", "A0 A4 00 00 02 6F AD", "A0 B0 00 00 04"]
        } else {
            &["00 B0 00 00 09", "00 B0 83 00 04"]
        };
        assert_eq!(take(&log), expected, "{personality:?}");
    }
}

#[test]
fn selection_by_fid_is_tracked_like_a_path() {
    for personality in [Profile::Uicc, Profile::Sim] {
        let (mut sim, log) = traced(card(personality, OPEN_CARD));
        take(&log);
        sim.select_fid(Fid::DF_GSM).unwrap();
        sim.select_fid(Fid(0x6F07)).unwrap();
        // DF_GSM's EF_IMSI is current now: reading it by path costs the READ only.
        let mut imsi = [0u8; 9];
        let bytes = sim.read_binary(fs::EF_IMSI.path, 0, &mut imsi).unwrap();
        assert_eq!(simcore::ef::Imsi::from_ef(bytes).unwrap().as_str(), DEFAULT_IMSI);
        let cla = if personality == Profile::Sim { "A0" } else { "00" };
        let p2 = if personality == Profile::Sim { "00" } else { "0C" };
        let log = take(&log);
        assert_eq!(log.len(), 3, "{log:?}");
        assert_eq!(log[2], format!("{cla} B0 00 00 09"));
        // On a UICC the first SELECT goes by path from the MF (P1 = 08); on a SIM by FID.
        if personality == Profile::Sim {
            assert_eq!(log[0], "A0 A4 00 00 02 7F 20");
        } else {
            assert_eq!(log[0], "00 A4 08 0C 02 7F 20");
        }
        assert_eq!(log[1], format!("{cla} A4 00 {p2} 02 6F 07"));
        sim.select_fid(Fid::MF).unwrap();
        assert!(sim.select_fid(Fid(0x6F99)).unwrap_err().is_file_not_found());
    }
}

#[test]
fn the_summary_reads_everything_within_the_budget() {
    // APDUs after opening: UICC 9 = ICCID 1 (SFI) + ADF.USIM 1 (SELECT by the
    // AID prefix) + IMSI 1 and AD 1 (by SFI) + SPN 2 + MSISDN 3 (SELECT, READ
    // RECORD with Le 00, 6C 1C resend). SIM 13 = ICCID 2 + MSISDN 4
    // (DF_TELECOM, EF, 67 1C and the resend) + DF_GSM 1 + 3 × 2.
    for (personality, budget) in [(Profile::Uicc, 9), (Profile::Sim, 13)] {
        let mut sim = Sim::open(card(personality, OPEN_CARD)).unwrap();
        let opening = sim.apdu_count();
        let summary = sim.summary().unwrap();
        assert_eq!(sim.apdu_count() - opening, budget, "{personality:?}");
        assert_eq!(summary.profile, personality);
        assert_eq!(summary.iccid.as_ref().unwrap().as_str(), DEFAULT_ICCID);
        assert_eq!(summary.imsi.as_ref().unwrap().as_str(), DEFAULT_IMSI);
        assert_eq!(summary.ad.unwrap().mnc_length, Some(MncLength::Two));
        assert_eq!(summary.mnc_length(), Some((MncLength::Two, MncLengthSource::Ad)));
        let plmn = summary.home_plmn().unwrap();
        assert_eq!((plmn.mcc(), plmn.mnc()), (1, 1));
        assert_eq!(summary.spn.as_ref().unwrap().spn().unwrap().to_string(), DEFAULT_SPN);
        let msisdn = summary.msisdn.as_ref().unwrap().number().unwrap();
        assert_eq!(msisdn.number.unwrap().to_string(), DEFAULT_MSISDN);
        // Again, from where the summary ended (ADF.USIM on a UICC, DF_GSM on a
        // SIM): one more APDU. On the UICC EF_ICCID takes a SELECT by path
        // instead of its SFI, and EF_IMSI a SELECT by path (7FFF 6F07) instead
        // of ADF.USIM's selection; on the SIM the MF comes first.
        let before = sim.apdu_count();
        let again = sim.summary().unwrap();
        assert_eq!(again, summary);
        assert_eq!(sim.apdu_count() - before, budget + 1, "{personality:?}");
    }
}

#[test]
fn three_digit_mnc_from_ef_ad() {
    // TS 51.011 §10.3.18 byte 4 = 3: MCC 310, MNC 260 (not in the fallback's way: AD says it).
    let extra =
        "imsi = \"310260123456789\"\nmnc_length = 3\n[codes]\npin1 = { value = \"1234\", enabled = false }\n";
    for personality in [Profile::Uicc, Profile::Sim] {
        let summary = Sim::open(card(personality, extra)).unwrap().summary().unwrap();
        assert_eq!(summary.mnc_length(), Some((MncLength::Three, MncLengthSource::Ad)));
        let plmn = summary.home_plmn().unwrap();
        assert_eq!((plmn.mcc(), plmn.mnc(), plmn.to_string()), (310, 260, "310-260".to_string()));
    }
}

#[test]
fn protected_files_say_so_in_the_summary() {
    // The built-in profile: PIN1 enabled, EF_IMSI and EF_MSISDN readable after
    // PIN1 (TS 51.011 §10: access condition CHV1).
    for personality in [Profile::Uicc, Profile::Sim] {
        let mut sim = Sim::open(card(personality, "")).unwrap();
        let summary = sim.summary().unwrap();
        assert!(summary.iccid.is_ok() && summary.spn.is_ok() && summary.ad.is_ok());
        assert_eq!(summary.imsi, Err(Unavailable::NeedsPin), "{personality:?}");
        assert_eq!(summary.msisdn, Err(Unavailable::NeedsPin), "{personality:?}");
        assert_eq!(summary.mnc_length(), None);
        let err = sim.imsi().unwrap_err();
        assert!(err.needs_pin() && !err.is_file_not_found(), "{err}");
        let expected = if personality == Profile::Sim { 0x9804 } else { 0x6982 };
        assert_eq!(err.status().map(StatusWord::to_u16), Some(expected));
        // The message reads 98 04 as the refusal of a READ BINARY (TS 51.011
        // §9.4.5), not as a wrong PIN nobody sent.
        let message = err.to_string();
        assert!(message.starts_with("READ BINARY: the card answered "), "{message}");
        assert!(!message.contains("wrong"), "{message}");
    }
}

#[test]
fn missing_files_are_not_found() {
    for personality in [Profile::Uicc, Profile::Sim] {
        let mut sim = Sim::open(card(personality, "")).unwrap();
        let err = sim.select(&[Fid::DF_GSM, Fid(0x6F99)]).unwrap_err();
        assert!(err.is_file_not_found(), "{personality:?}: {err}");
        assert!(err.to_string().starts_with("SELECT: the card answered"), "{err}");
        // The session knows nothing is certain now, and still finds its way.
        assert_eq!(sim.iccid().unwrap().as_str(), DEFAULT_ICCID);
    }
}

/// A 600-byte transparent EF under DF_TELECOM, readable and updatable always.
fn big_file() -> (String, Vec<u8>) {
    let data: Vec<u8> = (0..600u32).map(|i| (i % 251) as u8).collect();
    let hex: String = data.iter().map(|b| format!("{b:02X}")).collect();
    let toml = format!(
        "[files]\n\"3F00/7F10/6F99\" = {{ data = \"{hex}\", read = \"always\", update = \"always\" }}\n"
    );
    (toml, data)
}

const BIG: [Fid; 3] = [Fid::MF, Fid::DF_TELECOM, Fid(0x6F99)];

#[test]
fn transparent_files_beyond_256_bytes_are_read_and_written_in_pieces() {
    let (toml, data) = big_file();
    for personality in [Profile::Uicc, Profile::Sim] {
        let (mut sim, log) = traced(card(personality, &toml));
        take(&log);
        let mut out = [0u8; 600];
        assert_eq!(sim.read_binary(&BIG, 0, &mut out).unwrap(), &data[..]);
        let cla = if personality == Profile::Sim { "A0" } else { "00" };
        let reads: Vec<String> =
            take(&log).into_iter().filter(|c| c.starts_with(&format!("{cla} B0"))).collect();
        // Offsets 0, 256, 512 in P1 P2; Le 00 (256), 00, 58 (88).
        assert_eq!(
            reads,
            [format!("{cla} B0 00 00 00"), format!("{cla} B0 01 00 00"), format!("{cla} B0 02 00 58")],
            "{personality:?}"
        );
        // Asking beyond the end returns what there is.
        let mut more = [0u8; 1000];
        assert_eq!(sim.read_binary(&BIG, 300, &mut more).unwrap(), &data[300..]);
        // Writing 600 bytes: pieces of 255, 255 and 90.
        let new: Vec<u8> = data.iter().map(|b| b ^ 0xFF).collect();
        take(&log);
        sim.update_binary(&BIG, 0, &new).unwrap();
        let updates: Vec<String> =
            take(&log).into_iter().filter(|c| c.starts_with(&format!("{cla} D6"))).collect();
        assert_eq!(updates.len(), 3);
        assert!(updates[1].starts_with(&format!("{cla} D6 00 FF FF")), "{}", updates[1]);
        assert!(updates[2].starts_with(&format!("{cla} D6 01 FE 5A")), "{}", updates[2]);
        assert_eq!(sim.read_binary(&BIG, 0, &mut out).unwrap(), &new[..]);
        // Offsets beyond what P1 P2 can carry are refused before sending.
        let err = sim.read_binary(&BIG, 0x1_0000, &mut out).unwrap_err();
        assert!(matches!(err, SimError::OffsetOutOfRange { offset: 0x1_0000 }), "{err}");
    }
}

#[test]
fn records_are_read_and_written_whole() {
    // EF_ADN: 10 records of 28 bytes, read and update with PIN1 (disabled here).
    for personality in [Profile::Uicc, Profile::Sim] {
        let mut sim = Sim::open(card(personality, OPEN_CARD)).unwrap();
        let mut record = [0xFFu8; 28];
        simcore::ef::DiallingNumber::encode_into("Alice", "+4930123456", &mut record).unwrap();
        sim.update_record(fs::EF_ADN.path, 3, &record).unwrap();
        let mut out = [0u8; 64];
        let read = sim.read_record(fs::EF_ADN.path, 3, &mut out).unwrap();
        assert_eq!(read, &record[..]);
        let entry = simcore::ef::DiallingNumber::parse(read).unwrap();
        assert_eq!(
            (entry.alpha.to_string(), entry.number.unwrap().to_string()),
            ("Alice".into(), "+4930123456".into())
        );
        // The record length is known now: a wrong one is refused before sending.
        let before = sim.apdu_count();
        let err = sim.update_record(fs::EF_ADN.path, 3, &record[..20]).unwrap_err();
        assert_eq!(err, SimError::WrongRecordLength { len: 20, record_length: 28 });
        assert_eq!(sim.apdu_count(), before);
        // Once known, one READ RECORD per record.
        sim.read_record(fs::EF_ADN.path, 4, &mut out).unwrap();
        assert_eq!(sim.apdu_count(), before + 1);
        // A record beyond the file; a record number that does not exist in P1.
        let err = sim.read_record(fs::EF_ADN.path, 11, &mut out).unwrap_err();
        let expected = if personality == Profile::Sim { 0x9402 } else { 0x6A83 };
        assert_eq!(err.status().map(StatusWord::to_u16), Some(expected), "{err}");
        assert_eq!(sim.read_record(fs::EF_ADN.path, 0, &mut out), Err(SimError::RecordNumber { number: 0 }));
        assert_eq!(
            sim.update_record(fs::EF_ADN.path, 0xFF, &[0xFF; 28]),
            Err(SimError::RecordNumber { number: 0xFF })
        );
        // Too small a buffer is an error, not a truncation.
        let err = sim.read_record(fs::EF_ADN.path, 3, &mut out[..10]).unwrap_err();
        assert_eq!(err, SimError::BufferTooSmall { needed: 28, capacity: 10 });
    }
}

#[test]
fn file_information_on_request() {
    for personality in [Profile::Uicc, Profile::Sim] {
        let mut sim = Sim::open(card(personality, "")).unwrap();
        let mut buf = [0u8; 258];
        let info = sim.file_info(fs::EF_IMSI.path, &mut buf).unwrap();
        assert_eq!((info.kind, info.fid, info.size), (FileKind::WorkingEf, Some(0x6F07), Some(9)));
        assert_eq!(info.structure, Some(EfStructure::Transparent));
        let info = sim.file_info(fs::EF_MSISDN.path, &mut buf).unwrap();
        assert_eq!(
            (info.structure, info.record_length, info.record_count),
            (Some(EfStructure::LinearFixed), Some(28), Some(2))
        );
        let info = sim.file_info(&[Fid::MF], &mut buf).unwrap();
        assert_eq!(info.kind, FileKind::Mf);
        let info = sim.file_info(&[Fid::DF_GSM], &mut buf).unwrap();
        assert_eq!((info.kind, info.fid), (FileKind::Df, Some(0x7F20)));
        let mut small = [0u8; 4];
        assert!(matches!(sim.file_info(&[Fid::DF_GSM], &mut small), Err(SimError::BufferTooSmall { .. })));
    }
}

#[test]
fn t1_links_need_fewer_apdus() {
    // On T=1 the FCP and records come with the command: no GET RESPONSE, no 6C.
    let card = card(Profile::Uicc, OPEN_CARD).with_link(LinkMode::T1);
    let mut sim = Sim::open(card).unwrap();
    let opening = sim.apdu_count();
    let summary = sim.summary().unwrap();
    assert!(summary.msisdn.is_ok());
    // ICCID by SFI, ADF.USIM, IMSI and AD by SFI, SPN and MSISDN (SELECT + READ).
    assert_eq!(sim.apdu_count() - opening, 8);
}

#[test]
fn a_card_that_refuses_the_sfi_is_read_through_select() {
    // READ BINARY by SFI answered 6A 82: the session selects the EF (by FID:
    // the MF is the current DF) and reads.
    let card = MockTransport::new(Protocol::T1)
        .expect_hex("00 A4 00 0C 02 3F 00", "90 00")
        .unwrap()
        .expect_hex("00 B0 82 00 0A", "6A 82")
        .unwrap()
        .expect_hex("00 A4 00 0C 02 2F E2", "90 00")
        .unwrap()
        .expect_hex("00 B0 00 00 0A", "98 94 44 00 00 00 11 55 13 F4 90 00")
        .unwrap();
    let mut sim = Sim::open(card).unwrap();
    // Vector V17: 8949440000001155314.
    assert_eq!(sim.iccid().unwrap().as_str(), "8949440000001155314");
    sim.link().transport().finish().unwrap();
}

#[test]
fn link_failures_end_the_summary() {
    // The script ends after opening: the next command is a transport error.
    let card = MockTransport::new(Protocol::T1).expect_hex("00 A4 00 0C 02 3F 00", "90 00").unwrap();
    let mut sim = Sim::open(card).unwrap();
    let err = sim.summary().unwrap_err();
    assert!(matches!(err, SimError::Link(_)), "{err}");
    assert_eq!(err.unavailable(), None);
}

/// TS 51.011 §9.2.1: the 15 bytes GET RESPONSE returns for an EF (bytes 3–4
/// the size, 5–6 the FID, 7 type 04, 12 status 01 not invalidated, 13 two
/// bytes follow, 14 the structure, 15 the record length), laid out like the
/// EF_ICCID header of vector V96 (PSV).
fn gsm_ef_response(fid: u16, size: u16, structure: u8, record_length: u8) -> String {
    let [s1, s2] = size.to_be_bytes();
    let [f1, f2] = fid.to_be_bytes();
    format!(
        "00 00 {s1:02X} {s2:02X} {f1:02X} {f2:02X} 04 00 11 FF 22 01 02 {structure:02X} {record_length:02X} 90 00"
    )
}

/// A session, opened after a reset, on a scripted card: (command, reply) in hex.
fn scripted(profile: Profile, protocol: Protocol, steps: &[(&str, &str)]) -> Sim<MockTransport> {
    let card = steps.iter().fold(MockTransport::new(protocol), |card, (command, reply)| {
        card.expect_hex(command, reply).unwrap()
    });
    Sim::open_after_reset(Link::new(card), profile).unwrap()
}

/// A classic SIM (T=0) whose READ BINARY of 4 bytes of EF_AD is answered
/// `refusal`, up to the SELECT and GET RESPONSE that follow a 67 00, whose
/// file information gives `size`; then `rest`.
fn sim_reading_ad(refusal: &str, size: Option<u16>, rest: &[(&str, &str)]) -> Sim<MockTransport> {
    let info = size.map(|size| gsm_ef_response(0x6FAD, size, 0x00, 0x00));
    let mut steps = vec![
        ("A0 A4 00 00 02 7F 20", "9F 16"),
        ("A0 A4 00 00 02 6F AD", "9F 0F"),
        ("A0 B0 00 00 04", refusal),
    ];
    if let Some(info) = &info {
        steps.extend([("A0 A4 00 00 02 6F AD", "9F 0F"), ("A0 C0 00 00 0F", info.as_str())]);
    }
    steps.extend_from_slice(rest);
    scripted(Profile::Sim, Protocol::T0, &steps)
}

#[test]
fn a_sim_that_answers_67_00_to_a_record_read_is_asked_the_record_length() {
    // TS 51.011 §9.4.6 lets 67 XX carry XX = 00 (no length given): the session
    // asks SELECT's file information for the record length (byte 15) and
    // reads again. The record is pySim's EF_MSISDN test vector (34 bytes).
    let info = gsm_ef_response(0x6F40, 0x22, 0x01, 0x22);
    let record = "456967656e65205275666e756d6d6572ffffffff0891947172199181f3ffffffffff 90 00";
    let mut sim = scripted(
        Profile::Sim,
        Protocol::T0,
        &[
            ("A0 A4 00 00 02 7F 10", "9F 16"),
            ("A0 A4 00 00 02 6F 40", "9F 0F"),
            ("A0 B2 01 04 00", "67 00"),
            ("A0 A4 00 00 02 6F 40", "9F 0F"),
            ("A0 C0 00 00 0F", &info),
            ("A0 B2 01 04 22", record),
        ],
    );
    let msisdn = sim.msisdn().unwrap();
    let number = msisdn.number().unwrap();
    assert_eq!(number.alpha.to_string(), "Eigene Rufnummer");
    assert_eq!(number.number.unwrap().to_string(), "+4917279119183");
    sim.link().transport().finish().unwrap();
    // The length is known now: record 1 again is one READ RECORD with P3 = 22
    // (the script has ended, so the mock names what it got).
    let mut out = [0u8; 64];
    let err = sim.read_record(fs::EF_MSISDN.path, 1, &mut out).unwrap_err();
    assert!(format!("{err:?}").contains("got: \"A0 B2 01 04 22\""), "{err:?}");
}

#[test]
fn a_sim_that_answers_67_00_to_a_binary_read_is_asked_the_size() {
    // A 3-byte EF_AD (TS 51.011 §10.3.18: byte 4 is optional) read as 4 bytes:
    // 67 00, then SELECT's file information gives the size (bytes 3–4).
    let mut sim = sim_reading_ad("67 00", Some(3), &[("A0 B0 00 00 03", "00 00 00 90 00")]);
    let mut out = [0u8; 4];
    assert_eq!(sim.read_binary(fs::EF_AD.path, 0, &mut out).unwrap(), [0, 0, 0]);
    sim.link().transport().finish().unwrap();
}

#[test]
fn a_67_00_the_file_information_cannot_explain_is_the_cards_error() {
    // The file information names the length the card just refused: no loop,
    // the 67 00 is reported (one SELECT with its GET RESPONSE asked, once).
    let mut sim = sim_reading_ad("67 00", Some(4), &[]);
    let mut out = [0u8; 4];
    let err = sim.read_binary(fs::EF_AD.path, 0, &mut out).unwrap_err();
    assert!(matches!(err, SimError::Card { status, .. } if status.sw == StatusWord::WRONG_LENGTH), "{err}");
    sim.link().transport().finish().unwrap();
}

#[test]
fn a_length_named_by_67_xx_is_where_the_file_ends() {
    // TS 51.011 §9.4.6: 67 03 names the three bytes a 3-byte EF_AD has; the
    // session reads them and asks for nothing beyond.
    let mut sim = sim_reading_ad("67 03", None, &[("A0 B0 00 00 03", "00 00 00 90 00")]);
    let mut out = [0u8; 4];
    assert_eq!(sim.read_binary(fs::EF_AD.path, 0, &mut out).unwrap(), [0, 0, 0]);
    sim.link().transport().finish().unwrap();
}

#[test]
fn a_uicc_that_answers_67_00_to_a_record_read_is_asked_the_record_length() {
    // ISO/IEC 7816-4 §5.1.3: 67 00 names no length. The FCP's file descriptor
    // (TS 102 221 §11.1.1.4.3, tag 82: linear fixed, 32-byte records, one
    // record) gives it. The record is the one of tests/usim.rs (the Sierra
    // Wireless forum's EF_DIR record).
    let fcp = "62 0F 82 05 42 21 00 20 01 83 02 2F 00 80 02 00 20 90 00";
    let record = "61 18 4F 10 A0000000871002FF44FF128900000100 50 04 55 53 49 4D FFFFFFFFFFFF 90 00";
    let mut sim = scripted(
        Profile::Uicc,
        Protocol::T1,
        &[
            ("00 A4 00 0C 02 2F 00", "90 00"),
            ("00 B2 01 04 00", "67 00"),
            ("00 A4 00 04 02 2F 00 00", fcp),
            ("00 B2 01 04 20", record),
        ],
    );
    let mut out = [0u8; 256];
    let bytes = sim.read_record(fs::EF_DIR.path, 1, &mut out).unwrap();
    assert_eq!(bytes.len(), 32);
    assert_eq!(bytes[..2], [0x61, 0x18]);
    sim.link().transport().finish().unwrap();
}

// ---- what the session assumes after a failure ----------------------------

#[test]
fn a_failed_read_by_sfi_leaves_no_current_ef_behind() {
    // ISO/IEC 7816-4 §7.2.2: a command by SFI makes the EF current, and the
    // virtual card does so before it checks the access condition, as real
    // cards may. After EF_IMSI's read by SFI 07 is refused (69 82, PIN1 not
    // verified), EF_SPN must be selected again, not read as if current.
    let (mut sim, log) = traced(card(Profile::Uicc, ""));
    let first = sim.spn().unwrap();
    assert!(sim.imsi().unwrap_err().needs_pin());
    take(&log);
    assert_eq!(sim.spn().unwrap(), first);
    assert_eq!(take(&log), ["00 A4 00 0C 02 6F 46", "00 B0 00 00 11"]);
}

#[test]
fn an_offset_error_by_sfi_does_not_turn_sfis_off() {
    // 6B 00 after READ BINARY by SFI is "offset out of range" or "no such
    // SFI" (TS 102 221 §11.1.3). The session selects and tries again; the
    // same 6B 00 says it was the offset, and SFIs stay in use.
    let (mut sim, log) = traced(card(Profile::Uicc, OPEN_CARD));
    sim.spn().unwrap();
    let mut buf = [0u8; 4];
    let error = sim.read_binary(fs::USIM_EF_UST.path, 200, &mut buf).unwrap_err();
    assert!(matches!(error, SimError::Card { .. }), "{error:?}");
    take(&log);
    sim.ad().unwrap();
    assert_eq!(take(&log), ["00 B0 83 00 04"], "EF_AD still read by SFI 03");
}

#[test]
fn a_link_error_forgets_the_selection() {
    // The backend may have reset or reconnected the card (PC/SC reports a
    // reset as an error, then reconnects): the MF is current again (TS 102 221
    // §8.4), so the next read selects its file first.
    let card = MockTransport::new(Protocol::T1)
        .expect_hex("00 A4 00 0C 02 3F 00", "90 00")
        .unwrap()
        .expect_hex("00 A4 08 0C 04 7F 20 6F 07", "90 00")
        .unwrap()
        .expect_failure(&[0x00, 0xB0, 0x00, 0x00, 0x09], simcore::transport::ErrorKind::CardRemoved)
        .expect_hex("00 A4 08 0C 04 7F 20 6F 07", "90 00")
        .unwrap()
        .expect_hex("00 B0 00 00 09", "08 09 10 10 10 32 54 76 98 90 00")
        .unwrap();
    let mut sim = Sim::open(card).unwrap();
    sim.select(fs::EF_IMSI.path).unwrap();
    let mut out = [0u8; 9];
    assert!(matches!(sim.read_binary(fs::EF_IMSI.path, 0, &mut out), Err(SimError::Link(_))));
    assert_eq!(sim.read_binary(fs::EF_IMSI.path, 0, &mut out).unwrap().len(), 9);
    sim.link().transport().finish().unwrap();
}

#[test]
fn a_uicc_that_refuses_p2_0c_gets_p2_04_from_then_on() {
    // TS 102 221 §11.1.1.2 lets a UICC not support "no data returned": the
    // session opens with P2 = 04 (V97's MF FCP) and keeps using it.
    let mf = "62 2C 82 02 78 21 83 02 3F 00 A5 0C 80 01 71 83 04 00 03 A7 38 87 01 01 \
              8A 01 05 8B 03 2F 06 01 C6 0C 90 01 60 83 01 01 83 01 0A 83 01 0B 90 00";
    let card = MockTransport::new(Protocol::T1)
        .expect_hex("00 A4 00 0C 02 3F 00", "6A 86")
        .unwrap()
        .expect_hex("00 A4 00 04 02 3F 00 00", mf)
        .unwrap()
        .expect_hex("00 A4 08 04 04 7F 20 6F 07", "62 0F 82 02 41 21 83 02 6F 07 80 02 00 09 88 00 90 00")
        .unwrap()
        .expect_hex("00 B0 00 00 09", "08 09 10 10 10 32 54 76 98 90 00")
        .unwrap();
    let mut sim = Sim::open(card).unwrap();
    assert_eq!(sim.profile(), Profile::Uicc);
    let mut out = [0u8; 9];
    assert_eq!(sim.read_binary(fs::EF_IMSI.path, 0, &mut out).unwrap().len(), 9);
    sim.link().transport().finish().unwrap();
}

#[test]
fn an_update_whose_offset_cannot_be_sent_writes_nothing() {
    // TS 102 221 §11.1.4: P1 b8 = 0 leaves a 15-bit offset. 300 bytes from
    // 7F02 end past 7FFF: refused before the first piece, not after it.
    let card = MockTransport::new(Protocol::T1).expect_hex("00 A4 00 0C 02 3F 00", "90 00").unwrap();
    let mut sim = Sim::open(card).unwrap();
    let path = [Fid::MF, Fid::DF_TELECOM, Fid(0x6F99)];
    let error = sim.update_binary(&path, 0x7F02, &[0xAA; 300]).unwrap_err();
    assert!(matches!(error, SimError::OffsetOutOfRange { offset: 0x8001 }), "{error:?}");
    // The largest offset there is: an error, not an overflow.
    let error = sim.update_binary(&path, usize::MAX, &[0xAA; 300]).unwrap_err();
    assert!(matches!(error, SimError::OffsetOutOfRange { offset: usize::MAX }), "{error:?}");
    sim.link().transport().finish().unwrap();
}

#[test]
fn updates_done_after_internal_retries_are_done() {
    // TS 51.011 §9.4.3: 92 0X, command successful after X internal update
    // retries; TS 102 221 §10.2.1.3: 63 CX after a command that presents no code.
    let card = MockTransport::new(Protocol::T0)
        .expect_hex("A0 A4 00 00 02 2F E2", "9F 0F")
        .unwrap()
        .expect_hex("A0 D6 00 00 02 11 22", "92 01")
        .unwrap();
    let mut sim = Sim::open_after_reset(Link::new(card), Profile::Sim).unwrap();
    sim.update_binary(fs::EF_ICCID.path, 0, &[0x11, 0x22]).unwrap();
    sim.link().transport().finish().unwrap();
    let card = MockTransport::new(Protocol::T1)
        .expect_hex("00 D6 82 00 02 11 22", "63 C1")
        .unwrap()
        // EF_ICCID is current now: no SFI needed.
        .expect_hex("00 D6 00 00 02 11 22", "92 01")
        .unwrap();
    let mut sim = Sim::open_after_reset(Link::new(card), Profile::Uicc).unwrap();
    sim.update_binary(fs::EF_ICCID.path, 0, &[0x11, 0x22]).unwrap();
    // On a UICC every 92 XX is a normal ending, with information on a data
    // transfer session (TS 102 221 §10.2.1.1; pySim's ts_102_221 status word
    // table: "92xx: Normal ending of the command, with extra information
    // concerning an ongoing data transfer session").
    sim.update_binary(fs::EF_ICCID.path, 0, &[0x11, 0x22]).unwrap();
    sim.link().transport().finish().unwrap();
}

#[test]
fn sw_92_40_is_a_normal_ending_on_a_uicc_and_a_memory_problem_on_a_sim() {
    // TS 102 221 §10.2.1.1: 92 XX, 92 40 among them, ends normally on a UICC;
    // TS 51.011 §9.4.3: 92 40 is a classic SIM's memory problem.
    let card = MockTransport::new(Protocol::T1)
        .expect_hex("00 B0 82 00 0A", "98 00 01 21 43 65 87 09 21 93 92 40")
        .unwrap()
        .expect_hex("00 D6 00 00 02 11 22", "92 40")
        .unwrap();
    let mut sim = Sim::open_after_reset(Link::new(card), Profile::Uicc).unwrap();
    let mut out = [0u8; 10];
    assert_eq!(sim.read_binary(fs::EF_ICCID.path, 0, &mut out).unwrap()[..2], [0x98, 0x00]);
    sim.update_binary(fs::EF_ICCID.path, 0, &[0x11, 0x22]).unwrap();
    sim.link().transport().finish().unwrap();
    let card = MockTransport::new(Protocol::T0)
        .expect_hex("A0 A4 00 00 02 2F E2", "9F 0F")
        .unwrap()
        .expect_hex("A0 B0 00 00 0A", "92 40")
        .unwrap()
        .expect_hex("A0 D6 00 00 02 11 22", "92 40")
        .unwrap();
    let mut sim = Sim::open_after_reset(Link::new(card), Profile::Sim).unwrap();
    let error = sim.read_binary(fs::EF_ICCID.path, 0, &mut out).unwrap_err();
    assert!(matches!(error, SimError::Card { .. }), "{error:?}");
    let error = sim.update_binary(fs::EF_ICCID.path, 0, &[0x11, 0x22]).unwrap_err();
    assert!(matches!(error, SimError::Card { .. }), "{error:?}");
    sim.link().transport().finish().unwrap();
    // Before the profile is known, 92 40 to the UICC's SELECT MF is no
    // selection: the classic SIM is asked next (TS 102 221 §11.1.1, TS 51.011 §9.2.1).
    let card = MockTransport::new(Protocol::T0)
        .expect_hex("00 A4 00 0C 02 3F 00", "92 40")
        .unwrap()
        .expect_hex("A0 A4 00 00 02 3F 00", "9F 16")
        .unwrap();
    assert_eq!(Sim::open(card).unwrap().profile(), Profile::Sim);
}

#[test]
fn a_deactivated_file_is_selected_whatever_the_session_knew() {
    // 62 83, "selected file deactivated" (TS 102 221 §10.2.1.3), is a warning:
    // the file is selected. Also when the session does not know the current
    // DF (after a raw command) and sends the FID as it is.
    let card = MockTransport::new(Protocol::T1)
        .expect_hex("00 A4 00 0C 02 3F 00", "90 00")
        .unwrap()
        .expect_hex("80 F2 00 0C", "90 00")
        .unwrap()
        .expect_hex("00 A4 00 0C 02 6F 07", "62 83")
        .unwrap();
    let mut sim = Sim::open(card).unwrap();
    let status = simcore::apdu::Command::new(0x80, 0xF2, 0x00, 0x0C);
    sim.transmit(&status, &mut [0u8; 8]).unwrap();
    sim.select_fid(Fid(0x6F07)).unwrap();
    sim.link().transport().finish().unwrap();
}
