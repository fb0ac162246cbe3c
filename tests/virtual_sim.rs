//! The virtual SIM/UICC command by command: TS 51.011 §9 (classic SIM) and TS
//! 102 221 §10–§11 (UICC), with the PIN rules of resolved.md Q1–Q3 and the
//! command vectors G of ../shared/spec/vectors.md. Expected responses are
//! written from the specifications, not taken from the card.

#![cfg(feature = "virtual-sim")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
#![allow(clippy::cast_possible_truncation)]

use simcore::apdu::Command;
use simcore::ef::{Iccid, Imsi, Luhn};
use simcore::fcp::gsm::{self, Response as GsmResponse};
use simcore::fcp::uicc::Fcp;
use simcore::fcp::{FileKind, FileSummary, SecretCode};
use simcore::transport::{Link, Protocol, Reset, Transport};
use simcore::virtual_sim::profile::{DEFAULT_ICCID, DEFAULT_IMSI};
use simcore::virtual_sim::{CardProfile, LinkMode, VirtualSim};
use simcore::{Profile, StatusWord, hex};

/// Send hex `command`, return (data, SW as 0xSW1SW2).
fn send(sim: &mut VirtualSim, command: &str) -> (Vec<u8>, u16) {
    let raw = hex::decode(command).unwrap();
    let response = sim.respond(&raw).unwrap().to_vec();
    let (data, sw) = response.split_at(response.len() - 2);
    (data.to_vec(), u16::from_be_bytes([sw[0], sw[1]]))
}

fn sw(sim: &mut VirtualSim, command: &str) -> u16 {
    send(sim, command).1
}

fn sim() -> VirtualSim {
    VirtualSim::from_profile(&CardProfile::default().with_personality(Profile::Sim)).unwrap()
}

fn uicc() -> VirtualSim {
    VirtualSim::new()
}

// PIN "1234" and PUK "12345678" coded as TS 51.011 §9.3 (vectors V71, V75).
const PIN: &str = "31 32 33 34 FF FF FF FF";
const WRONG: &str = "30 30 30 30 FF FF FF FF";
const PUK: &str = "31 32 33 34 35 36 37 38";

// ---- classic SIM (TS 51.011) ------------------------------------------------

#[test]
fn sim_select_mf_then_get_response() {
    // V82: SELECT answers 9F 16, GET RESPONSE with CLA A0 returns the 22 bytes.
    let mut s = sim();
    assert_eq!(sw(&mut s, "A0 A4 00 00 02 3F 00"), 0x9F16);
    let (data, word) = send(&mut s, "A0 C0 00 00 16");
    assert_eq!(word, 0x9000);
    let GsmResponse::Directory(dir) = GsmResponse::parse(&data).unwrap() else { panic!("not a DF") };
    assert!(dir.is_mf);
    assert_eq!(dir.fid, 0x3F00);
    // Bytes 19–22: initialised, 3 / 10 / 3 / 10 attempts (TS 51.011 §9.2.1; V91 shows 83 8A 83 8A).
    assert_eq!(&data[18..22], &[0x83, 0x8A, 0x83, 0x8A]);
    assert!(!dir.characteristics.chv1_disabled());
    // MF children: DF_TELECOM and DF_GSM; EF_ICCID (no EF_DIR or ADF on a SIM).
    assert_eq!((dir.df_count, dir.ef_count), (2, 1));
    // GET RESPONSE only right after: now there is nothing (6F 00).
    assert_eq!(sw(&mut s, "A0 C0 00 00 16"), 0x6F00);
}

#[test]
fn sim_get_response_length_rules() {
    let mut s = sim();
    assert_eq!(sw(&mut s, "A0 A4 00 00 02 7F 20"), 0x9F16);
    // P3 above the 22 bytes: 67 16 (TS 51.011 §9.4.6, correct length), data kept.
    assert_eq!(sw(&mut s, "A0 C0 00 00 20"), 0x6716);
    // Fewer bytes may be asked for (phones read the first 13 of a DF response).
    let (data, word) = send(&mut s, "A0 C0 00 00 0D");
    assert_eq!((data.len(), word), (13, 0x9000));
    assert_eq!(&data[4..7], &[0x7F, 0x20, 0x02]);
}

#[test]
fn sim_reads_iccid_and_imsi_behind_chv1() {
    let mut s = sim();
    assert_eq!(sw(&mut s, "A0 A4 00 00 02 2F E2"), 0x9F0F);
    let (header, _) = send(&mut s, "A0 C0 00 00 0F");
    let GsmResponse::Ef(ef) = GsmResponse::parse(&header).unwrap() else { panic!("not an EF") };
    assert_eq!((ef.fid, ef.size), (0x2FE2, 10));
    assert_eq!(ef.access.read, gsm::AccessCondition::Always);
    let (data, word) = send(&mut s, "A0 B0 00 00 0A");
    assert_eq!(word, 0x9000);
    let iccid = Iccid::from_ef(&data).unwrap();
    assert_eq!(iccid.as_str(), DEFAULT_ICCID);
    assert_eq!(iccid.luhn(), Luhn::Valid);
    // EF_IMSI needs CHV1 (TS 51.011 §10.3.2): 98 04 until verified.
    assert_eq!(sw(&mut s, "A0 A4 00 00 02 7F 20"), 0x9F16);
    assert_eq!(sw(&mut s, "A0 A4 00 00 02 6F 07"), 0x9F0F);
    assert_eq!(sw(&mut s, "A0 B0 00 00 09"), 0x9804);
    assert_eq!(sw(&mut s, &format!("A0 20 00 01 08 {PIN}")), 0x9000); // V71
    let (data, word) = send(&mut s, "A0 B0 00 00 09");
    assert_eq!(word, 0x9000);
    // V24: IMSI 001010123456789 is 08 09 10 10 10 32 54 76 98.
    assert_eq!(data, hex::decode("08 09 10 10 10 32 54 76 98").unwrap());
    assert_eq!(Imsi::from_ef(&data).unwrap().as_str(), DEFAULT_IMSI);
}

#[test]
fn sim_spn_bytes_are_the_ones_ts_51_011_gives() {
    // The built-in card's SPN "simcore" as raw bytes, not through the crate's decoder: TS 51.011
    // §10.3.11, byte 1 the display condition (b1 = 1: the registered PLMN is shown), then the
    // name in the SMS default alphabet (TS 23.038 §6.2.1: the lowercase letters have the ASCII
    // values), one character per byte, padded with FF to 17 bytes.
    let mut s = sim();
    assert_eq!(sw(&mut s, &format!("A0 20 00 01 08 {PIN}")), 0x9000); // V71
    assert_eq!(sw(&mut s, "A0 A4 00 00 02 7F 20"), 0x9F16);
    assert_eq!(sw(&mut s, "A0 A4 00 00 02 6F 46") >> 8, 0x9F);
    let (data, word) = send(&mut s, "A0 B0 00 00 11");
    assert_eq!(word, 0x9000);
    assert_eq!(data, hex::decode("01 73 69 6D 63 6F 72 65 FF FF FF FF FF FF FF FF FF").unwrap());
}

#[test]
fn sim_checking_errors() {
    let mut s = sim();
    assert_eq!(sw(&mut s, "00 A4 00 00 02 3F 00"), 0x6E00, "class 00 on a SIM");
    assert_eq!(sw(&mut s, "A0 12 00 00 10"), 0x6D00, "FETCH is not supported");
    // Nor are the UICC's MANAGE CHANNEL, GET DATA and STORE DATA (TS 51.011 §9.4: 6D XX).
    assert_eq!(sw(&mut s, "A0 70 00 00 01"), 0x6D00);
    assert_eq!(sw(&mut s, "A0 CA 00 5A 12"), 0x6D00);
    assert_eq!(sw(&mut s, "A0 E2 91 00 01 00"), 0x6D00);
    assert_eq!(sw(&mut s, "A0 A4 01 00 02 3F 00"), 0x6B00);
    assert_eq!(sw(&mut s, "A0 A4 00 00 03 3F 00 00"), 0x6702, "SELECT takes P3 = 02");
    assert_eq!(sw(&mut s, "A0 A4 00 00 02 6F 07"), 0x9404, "EF_IMSI is not under the MF");
    assert_eq!(sw(&mut s, "A0 B0 00 00 0A"), 0x9400, "no EF selected");
    assert_eq!(sw(&mut s, "A0 A4 00 00 02 2F E2"), 0x9F0F);
    assert_eq!(sw(&mut s, "A0 B0 00 00 0B"), 0x670A, "P3 beyond the file: correct length 0A");
    assert_eq!(sw(&mut s, "A0 B0 00 0A 01"), 0x9402, "offset beyond the file");
    let (data, word) = send(&mut s, "A0 B0 00 08 02");
    assert_eq!((data.len(), word), (2, 0x9000));
    assert_eq!(sw(&mut s, "A0 B2 01 04 0A"), 0x9408, "READ RECORD on a transparent EF");
    assert_eq!(sw(&mut s, "A0 D6 00 00 01 00"), 0x9804, "EF_ICCID: UPDATE never (ADM not enough either)");
    assert_eq!(sw(&mut s, "A0 20 00 03 08 31 32 33 34 FF FF FF FF"), 0x6B00, "no CHV3");
    assert_eq!(sw(&mut s, "A0 20 00 01 04 31 32 33 34"), 0x6708, "a CHV is 8 bytes");
    assert_eq!(sw(&mut s, "A0 20 00 01 00"), 0x6708, "no counter query on a SIM");
    assert_eq!(sw(&mut s, "A0"), 0x6700);
}

fn chv_bytes(s: &mut VirtualSim) -> Vec<u8> {
    assert_eq!(sw(s, "A0 F2 00 00 16"), 0x9000);
    send(s, "A0 F2 00 00 16").0[18..22].to_vec()
}

#[test]
fn sim_chv1_blocks_and_unblocks() {
    // TS 51.011 §9.4.5: 98 04 while attempts remain, 98 40 when none is left;
    // the counts live in the CHV status bytes (§9.2.1 bytes 19–22).
    let mut s = sim();
    let verify_wrong = format!("A0 20 00 01 08 {WRONG}");
    assert_eq!(sw(&mut s, &verify_wrong), 0x9804);
    assert_eq!(chv_bytes(&mut s)[0], 0x82);
    assert_eq!(sw(&mut s, &verify_wrong), 0x9804);
    assert_eq!(chv_bytes(&mut s)[0], 0x81);
    assert_eq!(sw(&mut s, &verify_wrong), 0x9840);
    assert_eq!(chv_bytes(&mut s), [0x80, 0x8A, 0x83, 0x8A]);
    // Blocked: the right CHV1 no longer helps, and files behind CHV1 stay closed.
    assert_eq!(sw(&mut s, &format!("A0 20 00 01 08 {PIN}")), 0x9840);
    // UNBLOCK CHV1 uses P2 = 00 (resolved.md Q3, V75); P2 = 01 is wrong.
    assert_eq!(sw(&mut s, &format!("A0 2C 00 01 10 {PUK} {PIN}")), 0x6B00);
    assert_eq!(
        sw(&mut s, &format!("A0 2C 00 00 10 {WRONG} {WRONG} {PIN}")),
        0x6700,
        "P3 disagrees with the data"
    );
    assert_eq!(sw(&mut s, &format!("A0 2C 00 00 10 {WRONG} {PIN}")), 0x9804);
    assert_eq!(chv_bytes(&mut s), [0x80, 0x89, 0x83, 0x8A]);
    let new_pin = "39 39 39 39 FF FF FF FF";
    assert_eq!(sw(&mut s, &format!("A0 2C 00 00 10 {PUK} {new_pin}")), 0x9000);
    assert_eq!(chv_bytes(&mut s), [0x83, 0x8A, 0x83, 0x8A]);
    // UNBLOCK verifies the new CHV1: EF_IMSI reads at once.
    assert_eq!(sw(&mut s, "A0 A4 00 00 02 7F 20"), 0x9F16);
    assert_eq!(sw(&mut s, "A0 A4 00 00 02 6F 07"), 0x9F0F);
    assert_eq!(sw(&mut s, "A0 B0 00 00 09"), 0x9000);
    assert_eq!(sw(&mut s, &format!("A0 20 00 01 08 {new_pin}")), 0x9000);
}

#[test]
fn sim_unblock_chv_blocked_is_final() {
    let mut s = sim();
    for _ in 0..9 {
        assert_eq!(sw(&mut s, &format!("A0 2C 00 00 10 {WRONG} {PIN}")), 0x9804);
    }
    assert_eq!(sw(&mut s, &format!("A0 2C 00 00 10 {WRONG} {PIN}")), 0x9840);
    assert_eq!(chv_bytes(&mut s)[1], 0x80);
    assert_eq!(sw(&mut s, &format!("A0 2C 00 00 10 {PUK} {PIN}")), 0x9840);
    // CHV2's unblock code is another counter (P2 = 02, V76).
    assert_eq!(sw(&mut s, &format!("A0 2C 00 02 10 {PUK} {PIN}")), 0x9804);
    assert_eq!(sw(&mut s, &format!("A0 2C 00 02 10 38 37 36 35 34 33 32 31 {PIN}")), 0x9000);
}

#[test]
fn sim_disable_enable_chv1() {
    let mut s = sim();
    // V80 shape: DISABLE CHV1 P2 = 01 with the CHV.
    assert_eq!(sw(&mut s, &format!("A0 26 00 01 08 {WRONG}")), 0x9804);
    assert_eq!(sw(&mut s, &format!("A0 26 00 01 08 {PIN}")), 0x9000);
    assert_eq!(sw(&mut s, "A0 A4 00 00 02 3F 00"), 0x9F16);
    let (data, _) = send(&mut s, "A0 C0 00 00 16");
    assert_eq!(data[13] & 0x80, 0x80, "byte 14 b8: CHV1 disabled (resolved.md Q4)");
    assert_eq!(data[18], 0x83, "a right DISABLE restores the counter");
    // 98 08: contradiction with the CHV status (TS 51.011 §9.4.5).
    assert_eq!(sw(&mut s, &format!("A0 26 00 01 08 {PIN}")), 0x9808);
    assert_eq!(sw(&mut s, &format!("A0 20 00 01 08 {PIN}")), 0x9808);
    assert_eq!(sw(&mut s, &format!("A0 24 00 01 10 {PIN} {PIN}")), 0x9808);
    // A disabled CHV1 fulfils the access condition CHV1.
    assert_eq!(sw(&mut s, "A0 A4 00 00 02 7F 20"), 0x9F16);
    assert_eq!(sw(&mut s, "A0 A4 00 00 02 6F 07"), 0x9F0F);
    assert_eq!(sw(&mut s, "A0 B0 00 00 09"), 0x9000);
    // Only CHV1 can be disabled or enabled (resolved.md Q3).
    assert_eq!(sw(&mut s, &format!("A0 28 00 02 08 {PIN}")), 0x6B00);
    assert_eq!(sw(&mut s, &format!("A0 28 00 01 08 {PIN}")), 0x9000);
    assert_eq!(sw(&mut s, &format!("A0 28 00 01 08 {PIN}")), 0x9808);
}

#[test]
fn sim_change_chv2() {
    let mut s = sim();
    let pin2 = "35 36 37 38 FF FF FF FF";
    let new = "34 33 32 31 FF FF FF FF";
    // V79 shape with P2 = 02.
    assert_eq!(sw(&mut s, &format!("A0 24 00 02 10 {WRONG} {new}")), 0x9804);
    assert_eq!(chv_bytes(&mut s)[2], 0x82);
    assert_eq!(sw(&mut s, &format!("A0 24 00 02 10 {pin2} {new}")), 0x9000);
    assert_eq!(chv_bytes(&mut s)[2], 0x83);
    assert_eq!(sw(&mut s, &format!("A0 20 00 02 08 {pin2}")), 0x9804);
    assert_eq!(sw(&mut s, &format!("A0 20 00 02 08 {new}")), 0x9000);
}

#[test]
fn sim_update_binary_and_records() {
    let mut s = sim();
    assert_eq!(sw(&mut s, "A0 A4 00 00 02 7F 20"), 0x9F16);
    assert_eq!(sw(&mut s, "A0 A4 00 00 02 6F 7B"), 0x9F0F); // EF_FPLMN
    assert_eq!(sw(&mut s, "A0 D6 00 00 03 62 F2 10"), 0x9804, "UPDATE needs CHV1");
    assert_eq!(sw(&mut s, &format!("A0 20 00 01 08 {PIN}")), 0x9000);
    assert_eq!(sw(&mut s, "A0 D6 00 03 03 62 F2 10"), 0x9000); // V33: 262-01
    assert_eq!(sw(&mut s, "A0 D6 00 0B 02 00 00"), 0x6701, "runs past the end");
    let (data, _) = send(&mut s, "A0 B0 00 00 0C");
    assert_eq!(data, hex::decode("FFFFFF 62F210 FFFFFF FFFFFF").unwrap());
    // EF_MSISDN: linear fixed, 2 records of 28 bytes (TS 51.011 §10.5.5).
    assert_eq!(sw(&mut s, "A0 A4 00 00 02 7F 10"), 0x9F16);
    assert_eq!(sw(&mut s, "A0 A4 00 00 02 6F 40"), 0x9F0F);
    let (header, _) = send(&mut s, "A0 C0 00 00 0F");
    assert_eq!(&header[2..4], &[0x00, 0x38]);
    assert_eq!(&header[13..15], &[0x01, 0x1C], "linear fixed, record length 28");
    assert_eq!(sw(&mut s, "A0 B2 01 04 10"), 0x671C, "P3 must be the record length");
    assert_eq!(sw(&mut s, "A0 B2 03 04 1C"), 0x9402, "no record 3");
    let (first, word) = send(&mut s, "A0 B2 01 04 1C");
    assert_eq!(word, 0x9000);
    // +15550100: length 05 (TON/NPI and 4 BCD bytes), TON/NPI 91, swapped digits, then FF
    // (TS 51.011 §10.5.1), after a 14-byte alpha field.
    assert_eq!(&first[14..21], &hex::decode("05 91 51 55 10 00 FF").unwrap()[..]);
    // ABSOLUTE leaves the record pointer where it was: not set since the
    // SELECT, so NEXT reads record 1 (TS 51.011 §9.2.5).
    assert_eq!(send(&mut s, "A0 B2 00 02 1C").0, first, "the pointer was not set: NEXT reads record 1");
    // A NEXT refused for its length does not move the pointer either.
    assert_eq!(sw(&mut s, "A0 B2 00 02 10"), 0x671C);
    let (second, _) = send(&mut s, "A0 B2 00 02 1C"); // NEXT: record 2
    assert_eq!(second, vec![0xFF; 28]);
    assert_eq!(sw(&mut s, "A0 B2 00 02 1C"), 0x9402, "NEXT stops at the last record of a linear fixed EF");
    let (again, _) = send(&mut s, "A0 B2 00 03 1C"); // PREVIOUS
    assert_eq!(again, first);
    let record = "41 FF FF FF FF FF FF FF FF FF FF FF FF FF 03 81 21 F3 FF FF FF FF FF FF FF FF FF FF";
    assert_eq!(sw(&mut s, &format!("A0 DC 02 04 1C {record}")), 0x9000);
    assert_eq!(send(&mut s, "A0 B2 02 04 1C").0, hex::decode(record).unwrap());
    assert_eq!(sw(&mut s, "A0 DC 02 04 02 00 00"), 0x671C);
    assert_eq!(sw(&mut s, "A0 B2 01 05 1C"), 0x6B00, "mode 05 is not defined");
}

// ---- UICC (TS 102 221) ------------------------------------------------------

fn get_response(u: &mut VirtualSim, word: u16) -> Vec<u8> {
    assert_eq!(word >> 8, 0x61, "{word:04X}");
    let (data, ok) = send(u, &format!("00 C0 00 00 {:02X}", word & 0xFF));
    assert_eq!(ok, 0x9000);
    data
}

#[test]
fn uicc_select_mf_returns_fcp() {
    let mut u = uicc();
    // V84 as a T=0 TPDU: SELECT MF, FCP; 61 XX then GET RESPONSE.
    let word = sw(&mut u, "00 A4 00 04 02 3F 00");
    let fcp = get_response(&mut u, word);
    assert_eq!(fcp.len(), usize::from(word as u8));
    let parsed = Fcp::parse(&fcp).unwrap();
    assert_eq!(parsed.kind(), FileKind::Mf);
    assert_eq!(parsed.proprietary.unwrap().uicc_characteristics(), Some(0x71));
    let summary = FileSummary::from_response(&fcp).unwrap();
    assert_eq!(summary.code(SecretCode::Pin(0x01)).unwrap().enabled, Some(true));
    // No data asked for: P2 = 0C, 90 00 and nothing to get.
    assert_eq!(sw(&mut u, "00 A4 00 0C 02 3F 00"), 0x9000);
    assert_eq!(sw(&mut u, "00 C0 00 00 10"), 0x6F00);
}

#[test]
fn uicc_select_by_aid_path_and_fid() {
    let mut u = uicc();
    // V86: SELECT ADF.USIM by the right-truncated AID.
    let word = sw(&mut u, "00 A4 04 04 07 A0 00 00 00 87 10 02");
    let fcp = get_response(&mut u, word);
    let parsed = Fcp::parse(&fcp).unwrap();
    assert_eq!(parsed.kind(), FileKind::Adf);
    assert!(parsed.df_name.unwrap().starts_with(&simcore::fs::USIM_AID_PREFIX));
    assert_eq!(sw(&mut u, "00 A4 04 04 07 A0 00 00 00 87 10 04"), 0x6A82, "no ISIM");
    // EF_IMSI inside the ADF by FID, and through 7FFF by path (TS 102 221 §8.4.2).
    let word = sw(&mut u, "00 A4 00 04 02 6F 07");
    let fcp = get_response(&mut u, word);
    let parsed = Fcp::parse(&fcp).unwrap();
    assert_eq!((parsed.fid, parsed.file_size), (Some(0x6F07), Some(9)));
    assert_eq!(parsed.short_file_identifier(), Some(7), "TS 31.102: EF_IMSI SFI 07");
    assert_eq!(sw(&mut u, "00 A4 08 0C 04 7F FF 6F AD"), 0x9000);
    // V85: by path from the MF to DF_GSM/EF_IMSI.
    let word = sw(&mut u, "00 A4 08 04 04 7F 20 6F 07");
    let parsed_gsm = get_response(&mut u, word);
    assert_eq!(Fcp::parse(&parsed_gsm).unwrap().fid, Some(0x6F07));
    // Path from the current DF (P1 = 09), parent (P1 = 03), child DF (P1 = 01).
    assert_eq!(sw(&mut u, "00 A4 03 0C"), 0x9000, "parent of DF_GSM is the MF");
    assert_eq!(sw(&mut u, "00 A4 09 0C 02 2F E2"), 0x9000);
    // EF_ICCID's DF is the MF: DF_TELECOM is its child.
    assert_eq!(sw(&mut u, "00 A4 01 0C 02 7F 10"), 0x9000);
    assert_eq!(sw(&mut u, "00 A4 01 0C 02 7F 20"), 0x6A82, "DF_GSM is not a child of DF_TELECOM");
    assert_eq!(sw(&mut u, "00 A4 03 0C"), 0x9000);
    assert_eq!(sw(&mut u, "00 A4 01 0C 02 2F E2"), 0x6A82, "P1 = 01 selects DFs only");
    assert_eq!(sw(&mut u, "00 A4 03 0C"), 0x6A82, "the MF has no parent");
    assert_eq!(sw(&mut u, "00 A4 08 0C 04 7F 20 6F 99"), 0x6A82);
}

#[test]
fn uicc_checking_errors() {
    let mut u = uicc();
    assert_eq!(sw(&mut u, "A0 A4 00 00 02 3F 00"), 0x6E00, "class A0 on a UICC");
    assert_eq!(sw(&mut u, "80 A4 00 04 02 3F 00"), 0x6E00, "SELECT is interindustry");
    assert_eq!(sw(&mut u, "00 F2 00 00 00"), 0x6E00, "STATUS is proprietary");
    assert_eq!(sw(&mut u, "01 A4 00 04 02 3F 00"), 0x6881, "logical channel 1");
    assert_eq!(sw(&mut u, "0C A4 00 04 02 3F 00"), 0x6882, "secure messaging");
    assert_eq!(sw(&mut u, "00 12 00 00 10"), 0x6D00);
    assert_eq!(sw(&mut u, "00 A4 00 00 02 3F 00"), 0x6A86, "P2 = 00 is RFU in TS 102 221");
    assert_eq!(sw(&mut u, "00 A4 05 04 02 3F 00"), 0x6A86);
    assert_eq!(sw(&mut u, "00 A4 00 04 03 3F 00 00"), 0x6700);
    assert_eq!(sw(&mut u, "00 A4 08 04 03 7F 20 6F"), 0x6700, "odd path");
    assert_eq!(sw(&mut u, "00 A4 00 04 02 6F 07"), 0x6A82, "not from the MF");
    assert_eq!(sw(&mut u, "00 B0 00 00 01"), 0x6986, "no current EF");
    assert_eq!(sw(&mut u, "00 C0 00 00 10"), 0x6F00, "GET RESPONSE with nothing pending");
    assert_eq!(sw(&mut u, "00 C0 01 00 10"), 0x6B00);
    assert_eq!(send(&mut u, "00 70 00 00 01"), (vec![0x01], 0x9000), "MANAGE CHANNEL opens channel 1");
    assert_eq!(sw(&mut u, "00 70 80 01 00"), 0x9000, "and closes it");
    assert_eq!(sw(&mut u, "01 A4 00 04 02 3F 00"), 0x6881, "channel 1 is closed again");
    assert_eq!(sw(&mut u, "00 70 80 00 00"), 0x6A86, "the basic channel cannot be closed");
    // On T=0, P3 = 00 asks for 256 bytes: 6C 01, and the command did not run
    // (ISO/IEC 7816-3 §10.3.3), so no channel opened.
    assert_eq!(sw(&mut u, "00 70 00 00 00"), 0x6C01);
    assert_eq!(sw(&mut u, "01 A4 00 04 02 3F 00"), 0x6881, "6C 01 opened no channel");
    assert_eq!(sw(&mut u, "00 A4 00 04 05 3F 00"), 0x6700, "P3 promises more data than follows");
}

#[test]
fn uicc_read_binary_by_sfi_and_lengths() {
    let mut u = uicc();
    // EF_ICCID by SFI 02 (TS 102 221 §13.2): P1 = 80 | 02.
    let (data, word) = send(&mut u, "00 B0 82 00 0A");
    assert_eq!(word, 0x9000);
    assert_eq!(Iccid::from_ef(&data).unwrap().as_str(), DEFAULT_ICCID);
    // It is now the current EF.
    assert_eq!(send(&mut u, "00 B0 00 05 05").0, data[5..].to_vec());
    // V45: Le 00 on T=0 asks for 256; the EF has 10 bytes: 6C 0A.
    assert_eq!(sw(&mut u, "00 B0 00 00 00"), 0x6C0A);
    assert_eq!(sw(&mut u, "00 B0 00 0A 01"), 0x6B00, "offset beyond the end");
    assert_eq!(sw(&mut u, "00 B0 00 08 05"), 0x6C02);
    assert_eq!(sw(&mut u, "00 B0 9F 00 01"), 0x6A86, "SFI 1F is not an SFI");
    assert_eq!(sw(&mut u, "00 B0 85 00 01"), 0x6A82, "no SFI 05 under the MF");
    assert_eq!(sw(&mut u, "00 B0 C2 00 01"), 0x6A86, "P1 b7–b6 must be 0");
    // EF_DIR records by SFI 1E: the USIM application template (TS 102 221 §13.1).
    let (record, word) = send(&mut u, "00 B2 01 F4 20");
    assert_eq!(word, 0x9000);
    assert_eq!(record[0], 0x61);
    assert_eq!(record[2..4], [0x4F, 0x10]);
    assert_eq!(record[4..11], simcore::fs::USIM_AID_PREFIX);
    assert_eq!(sw(&mut u, "00 B2 01 04 00"), 0x6C20, "record length 32");
    assert_eq!(sw(&mut u, "00 B2 03 04 20"), 0x6A83);
    assert_eq!(sw(&mut u, "00 B0 00 00 01"), 0x6981, "READ BINARY on a record EF");
}

#[test]
fn uicc_pin1_guards_imsi_and_counts_down() {
    // resolved.md Q2: 63C2, 63C1, 63C0 on the blocking attempt, then 69 83.
    let mut u = uicc();
    assert_eq!(sw(&mut u, "00 A4 04 0C 07 A0 00 00 00 87 10 02"), 0x9000);
    assert_eq!(sw(&mut u, "00 B0 87 00 09"), 0x6982, "EF_IMSI (SFI 07) needs PIN1");
    assert_eq!(sw(&mut u, "00 20 00 01 00"), 0x63C3, "V74: the empty VERIFY reports 3 attempts");
    let wrong = format!("00 20 00 01 08 {WRONG}");
    assert_eq!(sw(&mut u, &wrong), 0x63C2);
    assert_eq!(sw(&mut u, &wrong), 0x63C1);
    assert_eq!(sw(&mut u, "00 20 00 01"), 0x63C1, "case 1 without P3 is the query too");
    assert_eq!(sw(&mut u, &wrong), 0x63C0);
    assert_eq!(sw(&mut u, &wrong), 0x6983);
    assert_eq!(sw(&mut u, &format!("00 20 00 01 08 {PIN}")), 0x6983);
    assert_eq!(sw(&mut u, &format!("00 24 00 01 10 {PIN} {PIN}")), 0x6983);
    assert_eq!(sw(&mut u, &format!("00 26 00 01 08 {PIN}")), 0x6983);
    assert_eq!(sw(&mut u, "00 20 00 01 00"), 0x63C0);
    assert_eq!(sw(&mut u, "00 B0 87 00 09"), 0x6982);
    // V78: the UNBLOCK query reports the PUK's 10 attempts (resolved.md Q1).
    assert_eq!(sw(&mut u, "00 2C 00 01 00"), 0x63CA);
    assert_eq!(sw(&mut u, &format!("00 2C 00 01 10 {WRONG} {PIN}")), 0x63C9);
    assert_eq!(sw(&mut u, "00 20 00 01 00"), 0x63C0, "a wrong PUK leaves the PIN counter alone");
    // V77: UNBLOCK with the PUK resets both counters and verifies.
    assert_eq!(sw(&mut u, &format!("00 2C 00 01 10 {PUK} {PIN}")), 0x9000);
    // Verified now: the query answers 90 00 (ISO/IEC 7816-4 VERIFY without
    // data: no verification needed) and gives no count.
    assert_eq!(sw(&mut u, "00 20 00 01 00"), 0x9000);
    assert_eq!(sw(&mut u, "00 2C 00 01 00"), 0x63CA);
    let (imsi, word) = send(&mut u, "00 B0 87 00 09");
    assert_eq!(word, 0x9000);
    assert_eq!(Imsi::from_ef(&imsi).unwrap().as_str(), DEFAULT_IMSI);
    // A reset forgets the verification (ISO/IEC 7816-3 §6.2), and the query
    // shows the counter UNBLOCK reset to its maximum (TS 102 221 §11.1.13).
    u.reset(Reset::Warm).unwrap();
    assert_eq!(sw(&mut u, "00 A4 04 0C 07 A0 00 00 00 87 10 02"), 0x9000);
    assert_eq!(sw(&mut u, "00 B0 87 00 09"), 0x6982);
    assert_eq!(sw(&mut u, "00 20 00 01 00"), 0x63C3);
}

#[test]
fn uicc_puk_blocked_is_final() {
    let mut u = uicc();
    let wrong = format!("00 2C 00 01 10 {WRONG} {PIN}");
    for left in (0..10u16).rev() {
        assert_eq!(sw(&mut u, &wrong), 0x63C0 | left);
    }
    assert_eq!(sw(&mut u, &wrong), 0x6983);
    assert_eq!(sw(&mut u, &format!("00 2C 00 01 10 {PUK} {PIN}")), 0x6983);
    assert_eq!(sw(&mut u, "00 2C 00 01 00"), 0x63C0);
    // PIN1 itself still works; PIN2's PUK is another counter (key reference 81),
    // which lives in the application (TS 102 221 §9.4): not found from the MF.
    assert_eq!(sw(&mut u, &format!("00 20 00 01 08 {PIN}")), 0x9000);
    assert_eq!(sw(&mut u, "00 2C 00 81 00"), 0x6A88);
    assert_eq!(sw(&mut u, "00 A4 04 0C 07 A0 00 00 00 87 10 02"), 0x9000);
    assert_eq!(sw(&mut u, "00 2C 00 81 00"), 0x63CA);
}

#[test]
fn uicc_pin2_lives_in_its_application() {
    // TS 102 221 §9.4, table 9.3: 81 is the application's local second PIN.
    // Outside an ADF (the MF, DF_GSM, DF_TELECOM) it is referenced data not
    // found, and those DFs' PS_DO lists PIN1 and ADM1 only; in ADF.USIM and
    // below it, it answers and the ADF's PS_DO lists it.
    let mut u = uicc();
    let ps_do_keys = |u: &mut VirtualSim, select: &str| {
        let word = sw(u, select);
        let fcp = get_response(u, word);
        let summary = FileSummary::from_response(&fcp).unwrap();
        let keys = summary.codes().filter_map(|state| match state.code {
            SecretCode::Pin(key) => Some(key),
            _ => None,
        });
        keys.collect::<Vec<u8>>()
    };
    for df in ["3F00", "7F20", "7F10"] {
        assert_eq!(sw(&mut u, "00 A4 00 0C 02 3F00"), 0x9000);
        assert_eq!(sw(&mut u, &format!("00 A4 00 0C 02 {df}")), 0x9000, "{df}");
        assert_eq!(sw(&mut u, "00 20 00 81 00"), 0x6A88, "{df}");
        assert_eq!(sw(&mut u, "00 2C 00 81 00"), 0x6A88, "{df}");
        assert_eq!(sw(&mut u, "00 20 00 01 00"), 0x63C3, "{df}");
    }
    assert_eq!(ps_do_keys(&mut u, "00 A4 00 04 02 7F 20"), [0x01, 0x0A]);
    assert_eq!(sw(&mut u, "00 A4 04 0C 07 A0 00 00 00 87 10 02"), 0x9000);
    assert_eq!(sw(&mut u, "00 20 00 81 00"), 0x63C3);
    assert_eq!(ps_do_keys(&mut u, "00 A4 00 04 02 7F FF"), [0x01, 0x81, 0x0A]);
    // The MF again: the USIM stays the current application, but 81 is not
    // in the MF's context.
    assert_eq!(sw(&mut u, "00 A4 00 0C 02 3F 00"), 0x9000);
    assert_eq!(sw(&mut u, "00 20 00 81 00"), 0x6A88);
}

#[test]
fn uicc_disable_enable_and_ps_do() {
    let mut u = uicc();
    let ps_do = |u: &mut VirtualSim| {
        let word = sw(u, "00 A4 00 04 02 3F 00");
        let fcp = get_response(u, word);
        FileSummary::from_response(&fcp).unwrap().code(SecretCode::Pin(0x01)).unwrap().enabled
    };
    assert_eq!(ps_do(&mut u), Some(true));
    assert_eq!(sw(&mut u, &format!("00 26 00 01 08 {WRONG}")), 0x63C2);
    assert_eq!(sw(&mut u, &format!("00 26 00 01 08 {PIN}")), 0x9000);
    assert_eq!(ps_do(&mut u), Some(false), "PS_DO shows the live state (TS 102 221 §9.5.2)");
    // 69 85 for the contradictions (resolved.md Q1, ONO behaviour).
    assert_eq!(sw(&mut u, &format!("00 26 00 01 08 {PIN}")), 0x6985);
    assert_eq!(sw(&mut u, &format!("00 20 00 01 08 {PIN}")), 0x6985);
    assert_eq!(sw(&mut u, "00 20 00 01 00"), 0x63C3, "the query still reports the counter");
    // Disabled PIN1 opens EF_IMSI.
    assert_eq!(sw(&mut u, "00 A4 08 0C 04 7F 20 6F 07"), 0x9000);
    assert_eq!(sw(&mut u, "00 B0 00 00 09"), 0x9000);
    // V81: ENABLE PIN1.
    assert_eq!(sw(&mut u, &format!("00 28 00 01 08 {PIN}")), 0x9000);
    assert_eq!(sw(&mut u, &format!("00 28 00 01 08 {PIN}")), 0x6985);
    assert_eq!(ps_do(&mut u), Some(true));
    // P1 and key reference checks (resolved.md Q1, V65).
    assert_eq!(sw(&mut u, &format!("00 26 91 01 08 {PIN}")), 0x6B00);
    assert_eq!(sw(&mut u, &format!("00 20 00 05 08 {PIN}")), 0x6A88);
    assert_eq!(sw(&mut u, "00 20 00 01 04 31 32 33 34"), 0x6700);
}

#[test]
fn uicc_change_pin_checks_the_format() {
    let mut u = uicc();
    // TS 102 221 §9.5.1: 4–8 digits padded with FF; 6A 80 otherwise, no attempt spent.
    assert_eq!(sw(&mut u, &format!("00 24 00 01 10 {PIN} 31 32 FF FF FF FF FF FF")), 0x6A80);
    assert_eq!(sw(&mut u, "00 20 00 01 00"), 0x63C3);
    assert_eq!(sw(&mut u, &format!("00 24 00 01 10 {PIN} 35 35 35 35 35 FF FF FF")), 0x9000);
    assert_eq!(sw(&mut u, &format!("00 20 00 01 08 {PIN}")), 0x63C2);
    assert_eq!(sw(&mut u, "00 20 00 01 08 35 35 35 35 35 FF FF FF"), 0x9000);
    // ADM (key reference 0A) opens EF_AD for update.
    assert_eq!(sw(&mut u, "00 A4 08 0C 04 7F 20 6F AD"), 0x9000);
    assert_eq!(sw(&mut u, "00 D6 00 00 01 80"), 0x6982);
    assert_eq!(sw(&mut u, "00 20 00 0A 08 38 38 38 38 38 38 38 38"), 0x9000);
    assert_eq!(sw(&mut u, "00 D6 00 00 01 80"), 0x9000);
    assert_eq!(sw(&mut u, "00 D6 00 03 02 00 00"), 0x6700, "past the end of EF_AD");
    assert_eq!(send(&mut u, "00 B0 00 00 04").0, hex::decode("80 00 00 02").unwrap());
}

#[test]
fn uicc_status() {
    let mut u = uicc();
    assert_eq!(sw(&mut u, "00 A4 04 0C 07 A0 00 00 00 87 10 02"), 0x9000);
    // V87 as a T=0 TPDU: STATUS with P3 = the FCP's length.
    let word = sw(&mut u, "80 F2 00 00 00");
    assert_eq!(word >> 8, 0x6C);
    let (fcp, ok) = send(&mut u, &format!("80 F2 00 00 {:02X}", word & 0xFF));
    assert_eq!(ok, 0x9000);
    assert_eq!(Fcp::parse(&fcp).unwrap().kind(), FileKind::Adf);
    let (name, _) = send(&mut u, "80 F2 00 01 12");
    assert_eq!(name[..2], [0x84, 0x10]);
    assert_eq!(sw(&mut u, "80 F2 00 0C 00"), 0x9000);
    assert_eq!(sw(&mut u, "80 F2 03 00 00"), 0x6A86);
}

#[test]
fn uicc_get_response_in_parts() {
    let mut u = uicc();
    let word = sw(&mut u, "00 A4 00 04 02 3F 00");
    let total = usize::from(word as u8);
    // Too long: 6C with the length, data kept for the retry.
    assert_eq!(sw(&mut u, &format!("00 C0 00 00 {:02X}", total + 1)), 0x6C00 | total as u16);
    let (head, word) = send(&mut u, "00 C0 00 00 10");
    assert_eq!((head.len(), word), (16, 0x6100 | (total as u16 - 16)));
    let (tail, word) = send(&mut u, &format!("00 C0 00 00 {:02X}", total - 16));
    assert_eq!(word, 0x9000);
    assert!(Fcp::parse(&[head, tail].concat()).is_ok());
}

#[test]
fn uicc_cyclic_and_linear_files_from_a_profile() {
    let text = r#"
        [files]
        "3F00/7F10/6F3C" = { structure = "cyclic", record_length = 2, data = "0101 0202 0303", read = "always", update = "always", sfi = 9 }
    "#;
    let mut u = VirtualSim::from_toml(text).unwrap();
    assert_eq!(sw(&mut u, "00 A4 08 0C 04 7F 10 6F 3C"), 0x9000);
    // Cyclic: PREVIOUS only for UPDATE (TS 51.011 §9.2.6); record 1 is the newest.
    assert_eq!(sw(&mut u, "00 DC 01 04 02 0909"), 0x6A86);
    assert_eq!(sw(&mut u, "00 DC 00 03 02 0909"), 0x9000);
    assert_eq!(send(&mut u, "00 B2 01 04 02").0, [9, 9]);
    assert_eq!(send(&mut u, "00 B2 03 04 02").0, [2, 2], "the oldest (0303) is gone");
    // The UPDATE left the pointer at record 1, and ABSOLUTE reads do not move
    // it (TS 102 221 §11.1.5): NEXT reads 2, 3, then wraps to 1 on a cyclic EF.
    assert_eq!(send(&mut u, "00 B2 00 02 02").0, [1, 1]);
    assert_eq!(send(&mut u, "00 B2 00 02 02").0, [2, 2]);
    assert_eq!(send(&mut u, "00 B2 00 02 02").0, [9, 9]);
    // CURRENT reads where NEXT left it, and does not move it.
    assert_eq!(send(&mut u, "00 B2 00 04 02").0, [9, 9]);
    assert_eq!(send(&mut u, "00 B2 00 03 02").0, [2, 2], "PREVIOUS from record 1 wraps to 3");
    // By SFI 9 from DF_TELECOM (b8–b4 of P2).
    assert_eq!(send(&mut u, "00 B2 02 4C 02").0, [1, 1]);
}

// ---- the two links ----------------------------------------------------------

#[test]
fn t1_link_returns_data_with_the_command() {
    let mut u = uicc().with_link(LinkMode::T1);
    assert_eq!(u.protocol(), Protocol::T1);
    // Case 4 with Le: the FCP comes at once (ISO/IEC 7816-4 §5.1).
    let (fcp, word) = send(&mut u, "00 A4 00 04 02 2F E2 00");
    assert_eq!(word, 0x9000);
    assert_eq!(Fcp::parse(&fcp).unwrap().file_size, Some(10));
    // Le 00: everything there is; Le beyond the end: the data with 62 82.
    let (data, word) = send(&mut u, "00 B0 00 00 00");
    assert_eq!((data.len(), word), (10, 0x9000));
    let (data, word) = send(&mut u, "00 B0 00 00 0C");
    assert_eq!((data.len(), word), (10, 0x6282));
    // Malformed length field: 67 00.
    assert_eq!(sw(&mut u, "00 B0 00 00 05 01"), 0x6700);
}

#[test]
fn both_links_through_the_completion_layer() {
    for link in [LinkMode::T0, LinkMode::T1] {
        for personality in [Profile::Sim, Profile::Uicc] {
            let card = VirtualSim::from_profile(&CardProfile::default().with_personality(personality))
                .unwrap()
                .with_link(link);
            let mut host = Link::new(card);
            let cla = personality.cla();
            let (p1, p2) = if personality == Profile::Sim { (0x00, 0x00) } else { (0x00, 0x04) };
            let mut buf = [0u8; 258];
            let select =
                Command::new(cla, 0xA4, p1, p2).with_data(&[0x2F, 0xE2]).unwrap().with_ne(256).unwrap();
            let response = host.transmit(&select, &mut buf).unwrap();
            assert_eq!(response.sw(), StatusWord::SUCCESS, "{link:?} {personality:?}");
            let summary = FileSummary::from_response(response.data()).unwrap();
            assert_eq!(summary.size, Some(10));
            let read = Command::new(cla, 0xB0, 0, 0).with_ne(10).unwrap();
            let response = host.transmit(&read, &mut buf).unwrap();
            assert_eq!(Iccid::from_ef(response.data()).unwrap().as_str(), DEFAULT_ICCID);
        }
    }
}

#[test]
fn transport_buffer_too_small_is_an_error() {
    let mut u = uicc();
    let mut small = [0u8; 4];
    let err = u.transmit(&hex::decode("00 B0 82 00 0A").unwrap(), &mut small).unwrap_err();
    assert_eq!(err, simcore::virtual_sim::VirtualSimError::BufferTooSmall { needed: 12, capacity: 4 });
    assert_eq!(u.atr().unwrap(), u.atr_bytes());
    assert_eq!(u.reset(Reset::Cold).unwrap(), Reset::Cold);
}

// ---- profiles ---------------------------------------------------------------

#[test]
fn default_profile_identity() {
    // Test network MCC 001 MNC 01 (TS 23.003), Luhn-valid ICCID (E.118).
    let u = uicc();
    let iccid = Iccid::from_ef(u.file(&[0x3F00, 0x2FE2]).unwrap()).unwrap();
    assert_eq!(iccid.luhn(), Luhn::Valid);
    let imsi = Imsi::from_ef(u.file(&[0x7F20, 0x6F07]).unwrap()).unwrap();
    assert_eq!(imsi.mcc(), 1);
    let ad = simcore::ef::Ad::from_ef(u.file(&[0x7F20, 0x6FAD]).unwrap()).unwrap();
    assert_eq!(imsi.plmn(ad.mnc_length.unwrap()).mnc(), 1);
    let spn = simcore::ef::Spn::from_ef(u.file(&[0x7F20, 0x6F46]).unwrap()).unwrap();
    assert_eq!(spn.to_string(), "simcore");
    // The USIM's EF_IMSI is the same file (a link).
    assert_eq!(u.file(&[0x7FFF, 0x6F07]), u.file(&[0x7F20, 0x6F07]));
    // Both default ATRs parse with the crate's ATR parser without warnings.
    for personality in [Profile::Sim, Profile::Uicc] {
        let card = VirtualSim::from_profile(&CardProfile::default().with_personality(personality)).unwrap();
        let atr = simcore::Atr::parse(card.atr_bytes()).unwrap();
        assert_eq!(atr.warnings().count(), 0, "{personality:?}");
        assert_eq!(atr.default_protocol(), 0);
    }
}

#[test]
fn profile_fields_and_raw_files() {
    let text = r#"
        personality = "sim"
        atr = "3B 00"
        imsi = "228062800000208"
        spn = "GSM-R CH"
        [codes]
        pin1 = { value = "0000", attempts_left = 1 }
        [files]
        "3F00/2FE2" = "98 10 14 30 12 11 81 15 70 02"
        "3F00/7F20/6F99" = "01 02 03"
    "#;
    let mut s = VirtualSim::from_toml(text).unwrap();
    assert_eq!(s.atr_bytes(), [0x3B, 0x00]);
    // V20: the issue's raw EF_ICCID is 89014103211118510720.
    assert_eq!(Iccid::from_ef(s.file(&[0x2FE2]).unwrap()).unwrap().as_str(), "89014103211118510720");
    // V22: IMSI 228062800000208 is 08 29 82 60 82 00 00 20 80.
    assert_eq!(s.file(&[0x7F20, 0x6F07]).unwrap(), hex::decode("08 29 82 60 82 00 00 20 80").unwrap());
    // V28: "GSM-R CH" after display condition 01.
    assert_eq!(
        &s.file(&[0x7F20, 0x6F46]).unwrap()[..9],
        &hex::decode("01 47 53 4D 2D 52 20 43 48").unwrap()[..]
    );
    assert_eq!(s.file(&[0x7F20, 0x6F99]).unwrap(), [1, 2, 3]);
    // One attempt left: a wrong CHV1 blocks at once.
    assert_eq!(sw(&mut s, "A0 20 00 01 08 31 31 31 31 FF FF FF FF"), 0x9840);
    assert_eq!(sw(&mut s, "A0 20 00 01 08 30 30 30 30 FF FF FF FF"), 0x9840);
}

#[test]
fn bad_profiles_name_the_field() {
    let cases = [
        ("iccid = \"89XY\"", "iccid"),
        ("imsi = \"12\"", "imsi"),
        ("mnc_length = 4", "mnc_length"),
        ("[codes]\npin1 = \"123456789\"", "pin1"),
        ("[files]\n\"3F00/7F20\" = \"00\"", "3F00/7F20"),
        ("[files]\n\"3F00/2FE2/0001\" = \"00\"", "3F00/2FE2/0001"),
        ("[files]\n\"3F00/6F01\" = { structure = \"linear-fixed\", data = \"00\" }", "3F00/6F01"),
        ("[files]\n\"3F00/6F01\" = { data = \"00\", sfi = 31 }", "3F00/6F01"),
        ("[files]\n\"3F00/6F01\" = \"0G\"", "3F00/6F01"),
        // A counter is 4 bits (TS 102 221 §10.2.1.3): refused, not cut down.
        ("[codes]\npin1 = { value = \"1234\", attempts_left = 99, max_attempts = 200 }", "pin1"),
        ("[codes]\npuk1 = { value = \"12345678\", max_attempts = 16 }", "puk1"),
        ("[codes]\npin2 = { value = \"1234\", attempts_left = 4 }", "pin2"),
    ];
    // More than a file size can say (TS 51.011 §9.2.1 bytes 3–4), as `size` is bounded.
    let huge = format!("[files]\n\"3F00/6F01\" = \"{}\"", "00".repeat(0x1_0000));
    let huge_full = format!("[files]\n\"3F00/6F02\" = {{ data = \"{}\" }}", "00".repeat(0x1_0000));
    let cases = cases.into_iter().chain([(huge.as_str(), "3F00/6F01"), (huge_full.as_str(), "3F00/6F02")]);
    for (text, field) in cases {
        match VirtualSim::from_toml(text) {
            Err(simcore::virtual_sim::ProfileError::Invalid { field: f, .. }) => {
                assert_eq!(f, field, "{text}")
            }
            other => panic!("{}: {other:?}", text.get(..80).unwrap_or(text)),
        }
    }
    // The bounds themselves are fine.
    let edge = format!(
        "[codes]\npin1 = {{ value = \"1234\", attempts_left = 15, max_attempts = 15 }}\n[files]\n\"3F00/6F01\" = \"{}\"",
        "00".repeat(0xFFFF)
    );
    VirtualSim::from_toml(&edge).unwrap();
    assert!(matches!(
        VirtualSim::from_toml("colour = \"red\""),
        Err(simcore::virtual_sim::ProfileError::Toml { .. })
    ));
}

#[test]
fn selecting_another_application_ends_the_local_pins_verification() {
    // TS 102 221 §9.4.1: only the universal PIN (and the global PINs) keep
    // their verification when an application ends; PIN2 (81) is local to
    // ADF.USIM. On the basic channel of the eUICC: USIM, VERIFY PIN1 and PIN2,
    // then the ISD-R in its place, then the USIM again.
    let mut e = VirtualSim::from_profile(&CardProfile::euicc()).unwrap();
    let usim = "00 A4 04 0C 10 A0000000871002FFFFFFFF8900000100";
    assert_eq!(sw(&mut e, usim), 0x9000);
    assert_eq!(sw(&mut e, "00 20 00 01 08 31323334FFFFFFFF"), 0x9000);
    assert_eq!(sw(&mut e, "00 20 00 81 08 35363738FFFFFFFF"), 0x9000);
    assert_eq!(sw(&mut e, "00 20 00 81 00"), 0x9000, "PIN2 verified");
    assert_eq!(sw(&mut e, "00 A4 04 0C 10 A0000005591010FFFFFFFF8900000100"), 0x9000, "ISD-R");
    assert_eq!(sw(&mut e, usim), 0x9000);
    assert_eq!(sw(&mut e, "00 20 00 81 00"), 0x63C3, "PIN2 no longer verified, 3 attempts");
    assert_eq!(sw(&mut e, "00 20 00 01 00"), 0x9000, "PIN1 (global) still verified");
}
