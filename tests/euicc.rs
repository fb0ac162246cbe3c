//! Reading the EID of the virtual eUICC (GSMA SGP.22 §5.7.20, SGP.02 ECASD,
//! TS 102 221 §11.1.17 logical channels): the APDUs on the wire against
//! vectors V88–V90 and V101, the APDU counts of each variant (standard ISD-R,
//! a vendor ISD-R AID, an M2M card with only the ECASD, a plain UICC, a
//! classic SIM), and the channel closed afterwards with the basic channel's
//! selection left alone.

#![cfg(feature = "virtual-sim")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use simcore::Profile;
use simcore::apdu::Command;
use simcore::euicc::{self, EidOptions, EidSource, EuiccError, KNOWN_ISD_R_AIDS};
use simcore::hex;
use simcore::sw::StatusWord;
use simcore::transport::{Event, Link};
use simcore::virtual_sim::profile::{DEFAULT_EID, EuiccConfig};
use simcore::virtual_sim::{CardProfile, LinkMode, VirtualSim};
use std::cell::RefCell;
use std::rc::Rc;

/// The TPDUs a traced link sent.
type Sent = Rc<RefCell<Vec<Vec<u8>>>>;

/// A link to `profile`'s card that records every TPDU sent.
fn traced(profile: CardProfile, mode: LinkMode) -> (Link<VirtualSim, impl FnMut(Event<'_>)>, Sent) {
    let sent = Rc::new(RefCell::new(Vec::new()));
    let log = Rc::clone(&sent);
    let card = VirtualSim::from_profile(&profile).unwrap().with_link(mode);
    let link = Link::new(card).with_trace(move |event: Event<'_>| {
        if let Event::Command(command) = event {
            log.borrow_mut().push(command.visible().to_vec());
        }
    });
    (link, sent)
}

fn with_euicc(config: EuiccConfig) -> CardProfile {
    CardProfile { euicc: Some(config), ..CardProfile::default() }
}

#[test]
fn standard_isd_r_on_t0_is_five_apdus_matching_the_vectors() {
    let (mut link, sent) = traced(CardProfile::euicc(), LinkMode::T0);
    assert!(euicc::atr_announces_euicc(link.atr().unwrap()));
    let reading = euicc::read_eid(&mut link, &EidOptions::DEFAULT).unwrap();
    assert_eq!(reading.eid.to_string(), DEFAULT_EID);
    assert!(reading.eid.check_digits_valid(), "vector V103");
    assert_eq!(reading.source, EidSource::IsdR(KNOWN_ISD_R_AIDS[0]));
    assert_eq!((reading.channel, reading.channel_closed), (1, true));
    assert_eq!(link.apdu_count(), 5);
    let expected = [
        "00 70 00 00 01",                                  // V88 open
        "01 A4 04 00 10 A0000005591010FFFFFFFF8900000100", // V89 (no Le: the FCI stays on the card)
        "81 E2 91 00 06 BF 3E 03 5C 01 5A",                // V90 on channel 1, as a T=0 TPDU
        "01 C0 00 00 15",                                  // GET RESPONSE: BF3E 12 5A 10 <EID>, 21 bytes
        "00 70 80 01 00",                                  // V88 close
    ];
    let expected: Vec<Vec<u8>> = expected.iter().map(|t| hex::decode(t).unwrap()).collect();
    assert_eq!(*sent.borrow(), expected);
    assert!(!link.transport().card().is_channel_open(1), "the channel is closed");
}

#[test]
fn t1_needs_no_get_response() {
    let (mut link, _) = traced(CardProfile::euicc(), LinkMode::T1);
    let reading = euicc::read_eid(&mut link, &EidOptions::DEFAULT).unwrap();
    assert_eq!(reading.eid.to_string(), DEFAULT_EID);
    assert_eq!(link.apdu_count(), 4);
}

#[test]
fn a_vendor_isd_r_costs_one_select_per_aid_before_it() {
    // 5ber's AID is second in the list: one failed SELECT (6A 82) more.
    let profile = with_euicc(EuiccConfig {
        isd_r_aid: Some("A0000005591010FFFFFFFF8900050500".into()),
        ..Default::default()
    });
    let (mut link, sent) = traced(profile, LinkMode::T0);
    let reading = euicc::read_eid(&mut link, &EidOptions::DEFAULT).unwrap();
    assert_eq!(reading.source, EidSource::IsdR(KNOWN_ISD_R_AIDS[1]));
    assert_eq!(
        reading.source,
        EidSource::IsdR(euicc::IsdRAid { name: "5ber", aid: KNOWN_ISD_R_AIDS[1].aid })
    );
    assert_eq!(link.apdu_count(), 6);
    assert_eq!(sent.borrow()[2][4..], hex::decode("10 A0000005591010FFFFFFFF8900050500").unwrap()[..]);
    // A configured list with only that AID: five APDUs again.
    let only = [KNOWN_ISD_R_AIDS[1]];
    let options = EidOptions { isd_r_aids: &only, ..EidOptions::DEFAULT };
    link.reset_apdu_count();
    euicc::read_eid(&mut link, &options).unwrap();
    assert_eq!(link.apdu_count(), 5);
}

#[test]
fn an_m2m_card_answers_through_its_ecasd() {
    let profile = with_euicc(EuiccConfig {
        isd_r: Some(false),
        eid: Some("89049044900000000000000000102355".into()),
        ..Default::default()
    });
    let (mut link, sent) = traced(profile, LinkMode::T0);
    let reading = euicc::read_eid(&mut link, &EidOptions::DEFAULT).unwrap();
    assert_eq!(reading.source, EidSource::Ecasd);
    assert_eq!(reading.eid.to_string(), "89049044900000000000000000102355");
    // Open, six ISD-R AIDs refused, SELECT ECASD, GET DATA 5A with Le 12, close.
    assert_eq!(link.apdu_count(), 10);
    assert_eq!(sent.borrow()[8], hex::decode("81 CA 00 5A 12").unwrap());
    // Without the fallback it is not an eUICC.
    let options = EidOptions { ecasd_fallback: false, ..EidOptions::DEFAULT };
    let error = euicc::read_eid(&mut link, &options).unwrap_err();
    assert_eq!(error, EuiccError::NotAnEuicc { isd_r: StatusWord::FILE_NOT_FOUND, ecasd: None });
}

#[test]
fn a_plain_uicc_is_not_an_euicc() {
    let (mut link, _) = traced(CardProfile::default(), LinkMode::T0);
    assert!(!euicc::atr_announces_euicc(link.atr().unwrap()));
    let error = euicc::read_eid(&mut link, &EidOptions::DEFAULT).unwrap_err();
    assert_eq!(
        error,
        EuiccError::NotAnEuicc { isd_r: StatusWord::FILE_NOT_FOUND, ecasd: Some(StatusWord::FILE_NOT_FOUND) }
    );
    // Open, 6 ISD-R SELECTs, the ECASD SELECT, close: the channel is closed on failure too.
    assert_eq!(link.apdu_count(), 9);
    assert!(!link.transport().card().is_channel_open(1));
}

#[test]
fn a_classic_sim_refuses_the_channel_and_every_select() {
    let profile = CardProfile::default().with_personality(Profile::Sim);
    let (mut link, sent) = traced(profile, LinkMode::T0);
    let error = euicc::read_eid(&mut link, &EidOptions::DEFAULT).unwrap_err();
    assert_eq!(
        error,
        EuiccError::NotAnEuicc {
            isd_r: StatusWord::CLA_NOT_SUPPORTED,
            ecasd: Some(StatusWord::CLA_NOT_SUPPORTED)
        }
    );
    // MANAGE CHANNEL refused (6E 00): everything on the basic channel, nothing to close.
    assert_eq!(link.apdu_count(), 8);
    assert!(sent.borrow()[1].starts_with(&[0x00, 0xA4, 0x04, 0x00]));
}

#[test]
fn the_basic_channels_selection_survives() {
    let (mut link, _) = traced(CardProfile::euicc(), LinkMode::T0);
    let mut buf = [0u8; 258];
    // Select EF_ICCID on the basic channel, read the EID, then READ BINARY
    // without selecting again.
    let select = Command::new(0x00, 0xA4, 0x08, 0x0C).with_data(&[0x2F, 0xE2]).unwrap();
    assert_eq!(link.transmit(&select, &mut buf).unwrap().sw(), StatusWord::SUCCESS);
    euicc::read_eid(&mut link, &EidOptions::DEFAULT).unwrap();
    let read = Command::new(0x00, 0xB0, 0x00, 0x00).with_ne(10).unwrap();
    let response = link.transmit(&read, &mut buf).unwrap();
    assert_eq!(response.sw(), StatusWord::SUCCESS);
    let iccid = simcore::ef::Iccid::from_ef(response.data()).unwrap();
    assert_eq!(iccid.as_str(), simcore::virtual_sim::profile::DEFAULT_ICCID);
}

#[test]
fn ef_dir_lists_the_security_domains() {
    // TS 102 221 §13.1 records: USIM, ISD-R, ECASD, then a spare one.
    let sim = VirtualSim::from_profile(&CardProfile::euicc()).unwrap();
    let dir = sim.file(&[0x2F00]).unwrap();
    let apps: Vec<_> = dir
        .chunks(32)
        .filter_map(|r| simcore::ef::DirRecord::parse(r).unwrap())
        .map(|r| r.application())
        .collect();
    use simcore::ef::Application;
    assert_eq!(apps, [Application::Usim, Application::IsdR, Application::Ecasd]);
}
