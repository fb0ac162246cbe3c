//! The session and the USIM application (3GPP TS 31.102 §4.2) and the eUICC
//! (GSMA SGP.22) against the virtual card, with the APDU counts each flow
//! costs: ADF.USIM by the AID prefix when the ATR allows partial DF names
//! (ISO/IEC 7816-4 table 85), through EF_DIR (TS 102 221 §13.1) when it does
//! not, DF_GSM only when there is no USIM; EF_UST, EF_EHPLMN, EF_FPLMN by
//! SFI; the EID through `Sim`.

#![cfg(feature = "virtual-sim")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use simcore::Profile;
use simcore::card::{IdentitySource, Sim, SimError, Unavailable, UsimSelection};
use simcore::ef::{Application, Plmn};
use simcore::euicc::{EidSource, EuiccError};
use simcore::transport::mock::MockTransport;
use simcore::transport::{Event, Link, Protocol};
use simcore::virtual_sim::profile::{
    DEFAULT_EID, DEFAULT_IMSI, DEFAULT_MSISDN, DEFAULT_SPN, DEFAULT_USIM_AID,
};
use simcore::virtual_sim::{CardProfile, VirtualSim};
use std::cell::RefCell;
use std::rc::Rc;

/// PIN1 disabled: every file reads without a PIN.
const OPEN: &str = "[codes]\npin1 = { value = \"1234\", enabled = false }\n";

/// The default UICC ATR with card service data 31 80 and card capabilities
/// 73 BE: selection by full DF name only (b7 clear in both), TCK D0.
const FULL_NAMES_ONLY_ATR: &str = "3B 9D 96 80 1F C7 80 31 80 73 BE 21 1B 55 76 53 49 4D 31 D0";

type Log = Rc<RefCell<Vec<String>>>;

fn open(toml: &str) -> (Sim<VirtualSim, impl FnMut(Event<'_>) + use<>>, Log) {
    let log: Log = Rc::default();
    let sink = Rc::clone(&log);
    let link = Link::new(VirtualSim::from_toml(toml).unwrap()).with_trace(move |e: Event<'_>| {
        if let Event::Command(c) = e {
            sink.borrow_mut().push(c.to_string());
        }
    });
    let sim = Sim::open_link(link).unwrap();
    log.borrow_mut().clear();
    (sim, log)
}

fn take(log: &Log) -> Vec<String> {
    std::mem::take(&mut *log.borrow_mut())
}

#[test]
fn usim_by_prefix_then_its_files() {
    let (mut sim, log) = open(OPEN);
    let before = sim.apdu_count();
    assert_eq!(sim.select_usim().unwrap(), Some(UsimSelection::Prefix));
    assert_eq!(take(&log), ["00 A4 04 0C 07 A0 00 00 00 87 10 02"], "vector V86 without the FCP");
    // EF_UST by SFI 04 with the Release 17 size: one APDU. TS 31.102 Release 17 numbers the
    // services up to 146, one bit each: ceil(146 / 8) = 19 bytes, Le 13.
    let ust = sim.ust().unwrap();
    let services: Vec<u16> = ust.table().services().map(|s| s.0).collect();
    assert_eq!(services, [19, 21, 33, 71]);
    // EF_EHPLMN and EF_FPLMN by SFI, read whole: Le 00, then the 6C XX length.
    assert_eq!(sim.ehplmn().unwrap().as_slice(), [Plmn::parse("001-01").unwrap()]);
    assert!(sim.fplmn().unwrap().as_slice().is_empty());
    assert_eq!(
        take(&log),
        ["00 B0 84 00 13", "00 B0 9D 00 00", "00 B0 9D 00 0C", "00 B0 8D 00 00", "00 B0 8D 00 0C"]
    );
    assert_eq!(sim.apdu_count() - before, 6);
}

#[test]
fn the_usim_summary_in_thirteen_apdus() {
    let (mut sim, _) = open(OPEN);
    let before = sim.apdu_count();
    let usim = sim.usim().unwrap().unwrap();
    // ADF.USIM 1; IMSI, AD, UST by SFI 1 each; EHPLMN, FPLMN 2 each; SPN 2 (SELECT,
    // READ); MSISDN 3 (SELECT, READ RECORD Le 00, 6C 1C resend).
    assert_eq!(sim.apdu_count() - before, 13);
    assert_eq!(usim.selection, UsimSelection::Prefix);
    assert_eq!(usim.imsi.as_ref().unwrap().as_str(), DEFAULT_IMSI);
    assert_eq!(usim.mnc_length().map(|(l, _)| l.digits()), Some(2));
    assert_eq!(usim.spn.as_ref().unwrap().spn().unwrap().to_string(), DEFAULT_SPN);
    let msisdn = usim.msisdn.as_ref().unwrap().number().unwrap();
    assert_eq!(msisdn.number.unwrap().to_string(), DEFAULT_MSISDN);
    assert!(usim.ust.as_ref().unwrap().table().is_available(71));
    assert_eq!(usim.ehplmn.as_ref().unwrap().as_slice().len(), 1);
    // The identity summary reads the same files from ADF.USIM.
    let summary = sim.summary().unwrap();
    assert_eq!(summary.source, IdentitySource::Usim);
    assert_eq!(summary.imsi.unwrap().as_str(), DEFAULT_IMSI);
}

#[test]
fn without_partial_names_the_usim_is_found_in_ef_dir() {
    let (mut sim, log) = open(&format!("atr = \"{FULL_NAMES_ONLY_ATR}\"\n{OPEN}"));
    let selection = sim.select_usim().unwrap().unwrap();
    let UsimSelection::FromEfDir(entry) = selection else { panic!("{selection:?}") };
    assert_eq!(entry.record(), 1);
    assert_eq!(entry.aid().to_string(), DEFAULT_USIM_AID.replace(' ', ""));
    assert_eq!(entry.label().unwrap().to_string(), "USIM");
    // EF_DIR: SELECT with the FCP (61XX, GET RESPONSE) for its 2 records, both
    // read; then ADF.USIM by its full AID.
    let sent = take(&log);
    assert_eq!(sent.len(), 5, "{sent:?}");
    assert_eq!(sent[0], "00 A4 00 04 02 2F 00", "EF_DIR by FID: the MF is the current DF");
    assert_eq!(sent[2], "00 B2 01 04 20");
    assert_eq!(sent[4], format!("00 A4 04 0C 10 {DEFAULT_USIM_AID}"));
    assert_eq!(sim.imsi().unwrap().as_str(), DEFAULT_IMSI);
}

#[test]
fn without_a_usim_the_identity_comes_from_df_gsm() {
    // The card's only application is an ISIM (TS 31.103): the prefix SELECT
    // fails, EF_DIR lists no USIM, DF_GSM is used.
    let toml = format!("usim_aid = \"A0000000871004FFFFFFFF8907090000\"\n{OPEN}");
    let (mut sim, log) = open(&toml);
    let before = sim.apdu_count();
    let summary = sim.summary().unwrap();
    assert_eq!(summary.source, IdentitySource::Gsm);
    assert_eq!(summary.imsi.unwrap().as_str(), DEFAULT_IMSI);
    let sent = take(&log);
    assert_eq!(sent[1], "00 A4 04 0C 07 A0 00 00 00 87 10 02", "{sent:?}");
    // ICCID 1, the prefix SELECT 1, EF_DIR 4 (SELECT, GET RESPONSE, 2 records),
    // then the DF_GSM summary: MSISDN 3, IMSI, AD, SPN 2 each.
    assert_eq!(sim.apdu_count() - before, 15);
    let apps = sim.applications().unwrap();
    assert_eq!(apps.iter().map(|a| a.application()).collect::<Vec<_>>(), [Application::Isim]);
    assert_eq!(sim.usim().unwrap(), None);
    let err = sim.ust().unwrap_err();
    assert!(matches!(err, SimError::NoUsim), "{err}");
    assert_eq!(err.unavailable(), Some(Unavailable::NoFile));
    // A classic SIM has neither EF_DIR nor a USIM, and says so without an APDU.
    let (mut sim, log) = open(&format!("personality = \"sim\"\n{OPEN}"));
    assert!(sim.applications().unwrap().is_empty());
    assert_eq!(sim.select_usim().unwrap(), None);
    assert!(take(&log).is_empty());
}

#[test]
fn a_refused_prefix_falls_back_to_the_full_aid() {
    // A scripted T=1 UICC without an ATR that refuses the right-truncated AID.
    let aid = "A0000000871002FF44FF128900000100";
    let card = MockTransport::new(Protocol::T1)
        .expect_hex("00 A4 00 0C 02 3F 00", "90 00")
        .unwrap()
        .expect_hex("00 A4 04 0C 07 A0 00 00 00 87 10 02", "6A 82")
        .unwrap()
        // EF_DIR with the FCP: linear fixed, 32-byte records, 1 record.
        .expect_hex("00 A4 08 04 02 2F 00 00", "62 0F 82 05 42 21 00 20 01 83 02 2F 00 80 02 00 20 90 00")
        .unwrap()
        // The Sierra Wireless forum's EF_DIR record (see src/ef/dir.rs).
        .expect_hex("00 B2 01 04 20", &format!("61 18 4F 10 {aid} 50 04 55 53 49 4D FFFFFFFFFFFF 90 00"))
        .unwrap()
        .expect_hex(&format!("00 A4 04 0C 10 {aid}"), "90 00")
        .unwrap()
        .expect_hex("00 B0 87 00 09", "08 09 10 10 10 32 54 76 98 90 00")
        .unwrap();
    let mut sim = Sim::open(card).unwrap();
    // vectors.md V24: 001010123456789.
    assert_eq!(sim.imsi().unwrap().as_str(), "001010123456789");
    assert_eq!(sim.apdu_count(), 6);
    sim.link().transport().finish().unwrap();
}

#[test]
fn the_eid_through_the_session() {
    let profile = CardProfile::euicc();
    let mut sim = Sim::open(VirtualSim::from_profile(&profile).unwrap()).unwrap();
    assert!(sim.atr_announces_euicc());
    let before = sim.apdu_count();
    assert!(sim.is_euicc().unwrap(), "the ATR says so: no APDU");
    assert_eq!(sim.apdu_count(), before);
    // The USIM stays selected on the basic channel while the EID is read on
    // channel 1: the IMSI read after it goes out by SFI with no SELECT (one
    // APDU; refused, PIN1 not being verified).
    assert_eq!(sim.iccid().unwrap().as_str(), simcore::virtual_sim::profile::DEFAULT_ICCID);
    assert!(sim.has_usim().unwrap());
    let reading = sim.eid().unwrap();
    assert_eq!(reading.eid.to_string(), DEFAULT_EID);
    assert!(matches!(reading.source, EidSource::IsdR(aid) if aid.name == "GSMA"));
    assert_eq!(sim.apdu_count() - before, 1 + 1 + 5);
    let before_imsi = sim.apdu_count();
    assert!(sim.imsi().unwrap_err().needs_pin());
    assert_eq!(sim.apdu_count() - before_imsi, 1);
    // A plain UICC: nothing in the ATR, no ISD-R, no ECASD (9 APDUs).
    let mut sim = Sim::open(VirtualSim::new()).unwrap();
    assert!(!sim.atr_announces_euicc());
    let before = sim.apdu_count();
    assert!(!sim.is_euicc().unwrap());
    assert_eq!(sim.apdu_count() - before, 9);
    // A classic SIM is not asked.
    let mut sim =
        Sim::open(VirtualSim::from_profile(&CardProfile::default().with_personality(Profile::Sim)).unwrap())
            .unwrap();
    let before = sim.apdu_count();
    assert!(matches!(sim.eid(), Err(EuiccError::NotAnEuicc { .. })));
    assert_eq!(sim.apdu_count(), before);
}

#[test]
fn a_link_failure_while_looking_for_the_usim_is_no_answer() {
    // The SELECT by AID got no answer (ISO/IEC 7816-3 §12.2: a link failure,
    // not the card's word): the session looks again next time instead of
    // taking the card for one without a USIM (TS 102 221 §11.1.1.3.1).
    let card = MockTransport::new(Protocol::T1)
        .expect_hex("00 A4 00 0C 02 3F 00", "90 00")
        .unwrap()
        .expect_failure(
            &simcore::hex::decode("00A4040C07A0000000871002").unwrap(),
            simcore::transport::ErrorKind::Timeout,
        )
        .expect_hex("00 A4 04 0C 07 A0 00 00 00 87 10 02", "90 00")
        .unwrap();
    let mut sim = Sim::open(card).unwrap();
    assert!(matches!(sim.has_usim(), Err(SimError::Link(_))));
    assert!(sim.has_usim().unwrap());
    sim.link().transport().finish().unwrap();
}
