//! The virtual UICC's USIM application (3GPP TS 31.102 §4.2) and logical
//! channels (ETSI TS 102 221 §11.1.17), command by command: SELECT by partial
//! AID (vector V86), EF_DIR by SFI (TS 102 221 §13.1), EF_UST, EF_EHPLMN and
//! EF_IMSI by SFI, the profile's `usim_services` and `ehplmn`, and selections
//! kept apart per channel.

#![cfg(feature = "virtual-sim")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use simcore::ef::{Application, DirRecord, Imsi, Plmn, PlmnList, ServiceTable};
use simcore::fcp::uicc::Fcp;
use simcore::hex;
use simcore::virtual_sim::profile::{DEFAULT_IMSI, DEFAULT_USIM_AID};
use simcore::virtual_sim::{CardProfile, VirtualSim};

fn send(sim: &mut VirtualSim, command: &str) -> (Vec<u8>, u16) {
    let raw = hex::decode(command).unwrap();
    let response = sim.respond(&raw).unwrap().to_vec();
    let (data, sw) = response.split_at(response.len() - 2);
    (data.to_vec(), u16::from_be_bytes([sw[0], sw[1]]))
}

#[test]
fn usim_by_partial_aid_then_files_by_sfi() {
    let mut u = VirtualSim::new();
    // EF_UST, EF_EHPLMN and EF_IMSI are read with PIN1 (TS 31.102 §4.2): V72.
    assert_eq!(send(&mut u, "00 20 00 01 08 31 32 33 34 FF FF FF FF").1, 0x9000);
    // V86: SELECT by the 7-byte AID prefix, FCP asked: 61 XX on T=0.
    let (_, sw) = send(&mut u, "00 A4 04 04 07 A0 00 00 00 87 10 02");
    assert_eq!(sw >> 8, 0x61);
    let (fcp, sw) = send(&mut u, &format!("00 C0 00 00 {:02X}", sw & 0xFF));
    assert_eq!(sw, 0x9000);
    let fcp = Fcp::parse(&fcp).unwrap();
    assert_eq!(fcp.df_name, Some(&hex::decode(DEFAULT_USIM_AID).unwrap()[..]));
    assert_eq!(send(&mut u, "00 A4 04 0C 07 A0 00 00 00 87 10 02").1, 0x9000, "P2 0C: no FCP, no 61XX");
    // EF_UST by SFI 04 (TS 31.102 §4.2.8): the default services, 19 bytes.
    let (ust, sw) = send(&mut u, "00 B0 84 00 13");
    assert_eq!(sw, 0x9000);
    let services: Vec<u16> = ServiceTable::from_ef(&ust).unwrap().services().map(|s| s.0).collect();
    assert_eq!(services, [19, 21, 33, 71]);
    // EF_EHPLMN by SFI 1D: the home PLMN 001-01, then FF padding.
    assert_eq!(send(&mut u, "00 B0 9D 00 00"), (vec![], 0x6C0C), "Le 00 on T=0: the exact length is 12");
    let (ehplmn, sw) = send(&mut u, "00 B0 9D 00 0C");
    assert_eq!((ehplmn.len(), sw), (12, 0x9000));
    let plmns: Vec<Plmn> = PlmnList::new(&ehplmn).map(Result::unwrap).collect();
    assert_eq!(plmns, [Plmn::parse("001-01").unwrap()]);
    // EF_IMSI by SFI 07: the same body as DF_GSM's.
    let (imsi, sw) = send(&mut u, "00 B0 87 00 09");
    assert_eq!(sw, 0x9000);
    assert_eq!(Imsi::from_ef(&imsi).unwrap().as_str(), DEFAULT_IMSI);
}

#[test]
fn ef_dir_records_by_sfi() {
    let mut u = VirtualSim::new();
    // READ RECORD, SFI 1E (P2 = 1E << 3 | 4 = F4), record 1: the USIM's template.
    let (record, sw) = send(&mut u, "00 B2 01 F4 20");
    assert_eq!(sw, 0x9000);
    let dir = DirRecord::parse(&record).unwrap().unwrap();
    assert_eq!(dir.application(), Application::Usim);
    assert_eq!(dir.aid().as_bytes(), &hex::decode(DEFAULT_USIM_AID).unwrap()[..]);
    assert_eq!(dir.label().unwrap().to_string(), "USIM");
    // Record 2 is unused; record 3 does not exist.
    let (record, sw) = send(&mut u, "00 B2 02 F4 20");
    assert_eq!((DirRecord::parse(&record).unwrap(), sw), (None, 0x9000));
    assert_eq!(send(&mut u, "00 B2 03 F4 20").1, 0x6A83);
}

#[test]
fn profile_services_and_equivalent_plmns() {
    let profile = CardProfile {
        usim_services: Some(vec![2, 150]),
        ehplmn: Some(vec![
            "262-01".into(),
            "262-02".into(),
            "334-020".into(),
            "001-01".into(),
            "001-02".into(),
        ]),
        ..CardProfile::default()
    };
    let sim = VirtualSim::from_profile(&profile).unwrap();
    let ust = sim.file(&[0x7FFF, 0x6F38]).unwrap();
    assert_eq!(ust.len(), 19, "service 150 is in byte 19");
    let services: Vec<u16> = ServiceTable::from_ef(ust).unwrap().services().map(|s| s.0).collect();
    assert_eq!(services, [2, 150]);
    // vectors.md V33: 262-01 is 62 F2 10, 334-020 is 33 04 20.
    let ehplmn = sim.file(&[0x7FFF, 0x6FD9]).unwrap();
    assert_eq!(ehplmn.len(), 15);
    assert_eq!(&ehplmn[..3], &[0x62, 0xF2, 0x10]);
    assert_eq!(&ehplmn[6..9], &[0x33, 0x04, 0x20]);
    let bad = CardProfile { ehplmn: Some(vec!["26201x".into()]), ..CardProfile::default() };
    assert!(VirtualSim::from_profile(&bad).is_err());
    let bad = CardProfile { usim_services: Some(vec![0]), ..CardProfile::default() };
    assert!(VirtualSim::from_profile(&bad).is_err());
}

#[test]
fn channels_keep_their_own_selection() {
    let mut u = VirtualSim::new();
    assert_eq!(send(&mut u, "00 20 00 01 08 31 32 33 34 FF FF FF FF").1, 0x9000);
    // Basic channel: EF_ICCID selected.
    assert_eq!(send(&mut u, "00 A4 08 0C 02 2F E2").1, 0x9000);
    // Channel 1: open, select ADF.USIM and EF_IMSI there.
    assert_eq!(send(&mut u, "00 70 00 00 01"), (vec![1], 0x9000));
    assert_eq!(send(&mut u, "01 A4 04 0C 07 A0 00 00 00 87 10 02").1, 0x9000);
    assert_eq!(send(&mut u, "01 A4 00 0C 02 6F 07").1, 0x9000);
    // Each channel reads its own current EF.
    assert_eq!(send(&mut u, "00 B0 00 00 0A").0.len(), 10, "EF_ICCID on channel 0");
    let (imsi, sw) = send(&mut u, "01 B0 00 00 09");
    assert_eq!(sw, 0x9000);
    assert_eq!(Imsi::from_ef(&imsi).unwrap().as_str(), DEFAULT_IMSI);
    // A second channel opened from channel 1 starts in ADF.USIM (TS 102 221 §11.1.17).
    assert_eq!(send(&mut u, "01 70 00 00 01"), (vec![2], 0x9000));
    assert_eq!(send(&mut u, "02 A4 00 0C 02 6F 07").1, 0x9000, "EF_IMSI is a child of the current ADF");
    // Channel 3 is the last; a fourth is refused.
    assert_eq!(send(&mut u, "00 70 00 00 01"), (vec![3], 0x9000));
    assert_eq!(send(&mut u, "00 70 00 00 01").1, 0x6A81);
    // Closing channel 2 from itself returns to the basic channel.
    assert_eq!(send(&mut u, "02 70 80 02 00").1, 0x9000);
    assert_eq!(send(&mut u, "02 B0 00 00 09").1, 0x6881);
    assert_eq!(send(&mut u, "00 B0 00 00 0A").0.len(), 10, "channel 0 still on EF_ICCID");
    // A reset closes them all.
    u.card_reset();
    assert_eq!(send(&mut u, "01 B0 00 00 09").1, 0x6881);
}

#[test]
fn the_usims_ef_imsi_describes_itself_like_vector_v99() {
    // vectors.md V99 (pySim): EF.IMSI of a USIM, FDB 41 21 (shareable transparent
    // working EF), FID 6F07, size 9, SFI 07 (tag 88 = 38), LCSI 05.
    let v99 =
        hex::decode("62 17 82 02 41 21 83 02 6F 07 8A 01 05 8B 03 6F 06 0A 80 02 00 09 88 01 38").unwrap();
    let v99 = Fcp::parse(&v99).unwrap();
    let mut u = VirtualSim::new();
    assert_eq!(send(&mut u, "00 A4 04 0C 07 A0 00 00 00 87 10 02").1, 0x9000);
    let (_, sw) = send(&mut u, "00 A4 00 04 02 6F 07");
    let (fcp, _) = send(&mut u, &format!("00 C0 00 00 {:02X}", sw & 0xFF));
    let ours = Fcp::parse(&fcp).unwrap();
    assert_eq!(ours.descriptor, v99.descriptor);
    assert_eq!((ours.fid, ours.file_size), (v99.fid, v99.file_size));
    assert_eq!(ours.short_file_identifier(), Some(7));
    assert_eq!(ours.short_file_identifier(), v99.short_file_identifier());
    assert_eq!(ours.life_cycle, v99.life_cycle);
    assert_eq!(ours.kind(), v99.kind());
}
