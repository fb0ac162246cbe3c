//! Command and response APDUs against ISO/IEC 7816-4 §5.1 (table 1) and the
//! hand-built vectors G of ../shared/spec/vectors.md.

#![cfg(feature = "std")]
// Tests fail loudly: unwrap, expect, panic and indexing are the point here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use simcore::apdu::{ApduError, Case, Command, CommandView, ResponseView};
use simcore::hex;
use simcore::sw::StatusWord;

fn bytes(text: &str) -> Vec<u8> {
    hex::decode(text).unwrap()
}

fn encode(cmd: &Command<'_>) -> Vec<u8> {
    let mut buf = vec![0u8; cmd.encoded_len()];
    let out = cmd.encode_into(&mut buf).unwrap().to_vec();
    assert_eq!(out, cmd.to_vec());
    match cmd.to_heapless::<512>() {
        Ok(v) => assert_eq!(out[..], v[..]),
        Err(e) => assert_eq!(e, ApduError::BufferTooSmall { needed: out.len(), capacity: 512 }),
    }
    out
}

// ---- Vectors G (vectors.md), built by hand from TS 51.011 §9.2 and TS 102 221 §11.1 ----

#[test]
fn v71_gsm_verify_chv1() {
    let pin = bytes("31 32 33 34 FF FF FF FF");
    let cmd = Command::new(0xA0, 0x20, 0x00, 0x01).with_data(&pin).unwrap();
    assert_eq!(encode(&cmd), bytes("A0 20 00 01 08 31 32 33 34 FF FF FF FF"));
    assert_eq!(cmd.case(), Case::Case3Short);
}

#[test]
fn v74_uicc_retry_counter_query_is_case_1_and_p3_00_on_t0() {
    let cmd = Command::new(0x00, 0x20, 0x00, 0x01);
    assert_eq!(encode(&cmd), bytes("00 20 00 01"));
    assert_eq!(cmd.case(), Case::Case1);
    let tpdu = cmd.to_t0().unwrap();
    let mut buf = [0u8; 5];
    assert_eq!(tpdu.encode_into(&mut buf).unwrap(), &bytes("00 20 00 01 00")[..]);
}

#[test]
fn v75_gsm_unblock_chv1_uses_p2_00() {
    let data = bytes("31 32 33 34 35 36 37 38 31 32 33 34 FF FF FF FF");
    let cmd = Command::new(0xA0, 0x2C, 0x00, 0x00).with_data(&data).unwrap();
    assert_eq!(encode(&cmd), bytes("A0 2C 00 00 10 31 32 33 34 35 36 37 38 31 32 33 34 FF FF FF FF"));
}

#[test]
fn v84_select_mf_with_fcp_and_its_t0_form() {
    let cmd = Command::new(0x00, 0xA4, 0x00, 0x04).with_data(&[0x3F, 0x00]).unwrap().with_ne(256).unwrap();
    assert_eq!(encode(&cmd), bytes("00 A4 00 04 02 3F 00 00"));
    // "T=0: send without trailing 00, expect 61XX" (V84).
    let tpdu = cmd.to_t0().unwrap();
    assert!(tpdu.drops_le());
    assert_eq!(tpdu.header(), [0x00, 0xA4, 0x00, 0x04, 0x02]);
    assert_eq!(tpdu.data(), &[0x3F, 0x00]);
    assert_eq!(tpdu.ne(), Some(256));
}

#[test]
fn v85_select_by_path_and_v86_by_aid() {
    let path = bytes("7F 20 6F 07");
    let cmd = Command::new(0x00, 0xA4, 0x08, 0x04).with_data(&path).unwrap().with_ne(256).unwrap();
    assert_eq!(encode(&cmd), bytes("00 A4 08 04 04 7F 20 6F 07 00"));
    let aid = bytes("A0 00 00 00 87 10 02");
    let cmd = Command::new(0x00, 0xA4, 0x04, 0x04).with_data(&aid).unwrap().with_ne(256).unwrap();
    assert_eq!(encode(&cmd), bytes("00 A4 04 04 07 A0 00 00 00 87 10 02 00"));
}

#[test]
fn v87_status_and_v88_manage_channel() {
    let status = Command::new(0x80, 0xF2, 0x00, 0x00).with_ne(256).unwrap();
    assert_eq!(encode(&status), bytes("80 F2 00 00 00"));
    let open = Command::new(0x00, 0x70, 0x00, 0x00).with_ne(1).unwrap();
    assert_eq!(encode(&open), bytes("00 70 00 00 01"));
}

#[test]
fn v90_get_eid_store_data() {
    let data = bytes("BF 3E 03 5C 01 5A");
    let cmd = Command::new(0x80, 0xE2, 0x91, 0x00).with_data(&data).unwrap().with_ne(256).unwrap();
    assert_eq!(encode(&cmd), bytes("80 E2 91 00 06 BF 3E 03 5C 01 5A 00"));
}

// ---- The bugs this ecosystem keeps repeating (ISO/IEC 7816-4 §5.1 table 1) ----

#[test]
fn no_lc_when_there_is_no_data() {
    let cmd = Command::new(0x00, 0xB0, 0x00, 0x00).with_data(&[]).unwrap().with_ne(9).unwrap();
    assert_eq!(encode(&cmd), bytes("00 B0 00 00 09"));
    assert_eq!(cmd.case(), Case::Case2Short);
}

#[test]
fn short_le_256_is_00_and_257_goes_extended() {
    let cmd = Command::new(0x00, 0xB0, 0x00, 0x00).with_ne(256).unwrap();
    assert_eq!(encode(&cmd), bytes("00 B0 00 00 00"));
    let cmd = Command::new(0x00, 0xB0, 0x00, 0x00).with_ne(257).unwrap();
    // A lone extended Le carries the 00 prefix, then Le big-endian.
    assert_eq!(encode(&cmd), bytes("00 B0 00 00 00 01 01"));
    assert_eq!(cmd.case(), Case::Case2Extended);
}

#[test]
fn extended_le_65536_is_0000_and_big_endian() {
    let cmd = Command::new(0x00, 0xB0, 0x00, 0x00).with_ne(65_536).unwrap();
    assert_eq!(encode(&cmd), bytes("00 B0 00 00 00 00 00"));
    let cmd = Command::new(0x00, 0xB0, 0x00, 0x00).with_ne(0x1234).unwrap();
    assert_eq!(encode(&cmd), bytes("00 B0 00 00 00 12 34"));
    let raw = bytes("00 B0 00 00 00 12 34");
    let parsed = CommandView::parse(&raw).unwrap();
    assert_eq!(parsed.ne(), Some(0x1234));
    assert_eq!(CommandView::parse(&bytes("00 B0 00 00 00 00 00")).unwrap().ne(), Some(65_536));
}

#[test]
fn extended_lc_is_followed_by_a_two_byte_le_without_a_second_prefix() {
    let data = [0xAB; 3];
    let cmd =
        Command::new(0x00, 0x88, 0x00, 0x81).with_data(&data).unwrap().with_ne(65_536).unwrap().extended();
    assert_eq!(encode(&cmd), bytes("00 88 00 81 00 00 03 AB AB AB 00 00"));
    let raw = bytes("00 88 00 81 00 00 03 AB AB AB 01 00");
    let view = CommandView::parse(&raw).unwrap();
    assert_eq!(view.case(), Case::Case4Extended);
    assert_eq!(view.data(), &data);
    assert_eq!(view.ne(), Some(256));
}

#[test]
fn a_short_lc_is_never_paired_with_an_extended_le() {
    // Small data but Ne > 256: both fields become extended.
    let cmd = Command::new(0x00, 0xCB, 0x3F, 0xFF).with_data(&[0x5C, 0x00]).unwrap().with_ne(300).unwrap();
    assert_eq!(encode(&cmd), bytes("00 CB 3F FF 00 00 02 5C 00 01 2C"));
    // Data beyond 255 with a small Ne: both extended too.
    let data = vec![0x11; 256];
    let cmd = Command::new(0x00, 0xD6, 0x00, 0x00).with_data(&data).unwrap().with_ne(1).unwrap();
    let out = encode(&cmd);
    assert_eq!(&out[..7], &bytes("00 D6 00 00 00 01 00")[..]);
    assert_eq!(&out[out.len() - 2..], &[0x00, 0x01]);
    assert_eq!(out.len(), 4 + 3 + 256 + 2);
}

#[test]
fn data_boundaries_255_256_65535() {
    let data = vec![0x5A; 255];
    let cmd = Command::new(0x00, 0xD6, 0x00, 0x00).with_data(&data).unwrap();
    assert_eq!(encode(&cmd)[4], 0xFF);
    assert!(!cmd.is_extended());
    let data = vec![0x5A; 256];
    let cmd = Command::new(0x00, 0xD6, 0x00, 0x00).with_data(&data).unwrap();
    assert_eq!(&encode(&cmd)[4..7], &[0x00, 0x01, 0x00]);
    let data = vec![0x5A; 65_535];
    let cmd = Command::new(0x00, 0xD6, 0x00, 0x00).with_data(&data).unwrap();
    let out = encode(&cmd);
    assert_eq!(&out[4..7], &[0x00, 0xFF, 0xFF]);
    assert_eq!(CommandView::parse(&out).unwrap().case(), Case::Case3Extended);
}

#[test]
fn forced_extended_keeps_both_fields_extended() {
    let cmd = Command::new(0x00, 0xB0, 0x00, 0x00).with_ne(5).unwrap().extended();
    assert_eq!(encode(&cmd), bytes("00 B0 00 00 00 00 05"));
}

// ---- Parsing: every case, and inconsistent lengths named by offset ----

#[test]
fn parse_reports_each_case() {
    let cases = [
        ("00 A4 00 00", Case::Case1, 0, None),
        ("00 B0 00 00 00", Case::Case2Short, 0, Some(256)),
        ("00 A4 00 00 02 3F 00", Case::Case3Short, 2, None),
        ("00 A4 00 04 02 3F 00 1C", Case::Case4Short, 2, Some(28)),
        ("00 B0 00 00 00 01 00", Case::Case2Extended, 0, Some(256)),
        ("00 D6 00 00 00 00 02 01 02", Case::Case3Extended, 2, None),
        ("00 A4 00 04 00 00 02 3F 00 00 00", Case::Case4Extended, 2, Some(65_536)),
    ];
    for (text, case, nc, ne) in cases {
        let raw = bytes(text);
        let view = CommandView::parse(&raw).unwrap();
        assert_eq!(view.case(), case, "{text}");
        assert_eq!(view.nc(), nc, "{text}");
        assert_eq!(view.ne(), ne, "{text}");
        // The view turns back into the same bytes.
        assert_eq!(encode(&view.to_command()), raw, "{text}");
    }
}

#[test]
fn inconsistent_lengths_name_the_offset() {
    assert_eq!(CommandView::parse(&[0x00, 0xA4]), Err(ApduError::HeaderTruncated { offset: 2 }));
    // Lc = 3 but two data bytes.
    assert_eq!(
        CommandView::parse(&bytes("00 A4 00 00 03 3F 00")),
        Err(ApduError::InconsistentLength { offset: 4, len: 3 })
    );
    // Lc = 2, data, then two trailing bytes: neither 3S nor 4S.
    assert_eq!(CommandView::parse(&bytes("00 A4 00 00 02 3F 00 00 00")).unwrap_err().offset(), Some(4));
    // 00 then one byte: a truncated extended length.
    assert_eq!(
        CommandView::parse(&bytes("00 B0 00 00 00 01")),
        Err(ApduError::InconsistentLength { offset: 4, len: 2 })
    );
    // Extended Lc of zero.
    assert_eq!(
        CommandView::parse(&bytes("00 D6 00 00 00 00 00 01")),
        Err(ApduError::ZeroExtendedLc { offset: 5 })
    );
    // vsmartcard's 3-byte case-4E Le (digest D7) is not ISO.
    assert!(CommandView::parse(&bytes("00 88 00 81 00 00 01 AA 00 01 00")).is_err());
}

#[test]
fn t0_mapping_per_case() {
    let mut buf = [0u8; 300];
    // Case 2: P3 = Le; 256 → 00.
    let cmd = Command::new(0x00, 0xB0, 0x00, 0x00).with_ne(9).unwrap();
    assert_eq!(cmd.to_t0().unwrap().encode_into(&mut buf).unwrap(), &bytes("00 B0 00 00 09")[..]);
    let cmd = Command::new(0x00, 0xB0, 0x00, 0x00).with_ne(256).unwrap();
    assert_eq!(cmd.to_t0().unwrap().p3(), 0x00);
    // Case 2E above 256: P3 = 00, the rest comes through 61XX.
    let cmd = Command::new(0x00, 0xB0, 0x00, 0x00).with_ne(1000).unwrap();
    assert_eq!(cmd.to_t0().unwrap().p3(), 0x00);
    // Case 3: P3 = Lc.
    let cmd = Command::new(0xA0, 0xA4, 0x00, 0x00).with_data(&[0x7F, 0x20]).unwrap();
    let tpdu = cmd.to_t0().unwrap();
    assert!(!tpdu.drops_le());
    assert_eq!(tpdu.encode_into(&mut buf).unwrap(), &bytes("A0 A4 00 00 02 7F 20")[..]);
    // A forced-extended case 3 with small data still fits T=0.
    let cmd = cmd.extended();
    assert_eq!(cmd.to_t0().unwrap().p3(), 2);
    // More than 255 data bytes cannot.
    let data = vec![0u8; 256];
    let cmd = Command::new(0x00, 0xD6, 0x00, 0x00).with_data(&data).unwrap();
    assert_eq!(cmd.to_t0(), Err(ApduError::TooLongForT0 { nc: 256 }));
    let tpdu = Command::new(0, 0xB0, 0, 0).with_data(&[1, 2, 3]).unwrap().to_t0().unwrap();
    assert_eq!(tpdu.encode_into(&mut [0u8; 7]), Err(ApduError::BufferTooSmall { needed: 8, capacity: 7 }));
}

#[test]
fn response_view_splits_data_and_sw() {
    // V82: a 22-byte GET RESPONSE answer plus 90 00.
    let raw = bytes("00 00 00 00 7F 20 02 00 00 00 00 00 09 81 00 0D 04 00 83 8A 83 8A 90 00");
    let r = ResponseView::parse(&raw).unwrap();
    assert_eq!(r.data().len(), 22);
    assert_eq!(r.sw(), StatusWord::SUCCESS);
    assert!(r.is_success());
    // The status word's meaning of success (ISO/IEC 7816-4 table 5): 61 10
    // and 91 XX are normal endings too; 92 40 (TS 51.011 §9.4.3) is not; 9E XX
    // is a normal ending whose data reports a failed data download (TS 51.011
    // §9.4.1), not a success of what the command carried.
    let cases = [
        (&[1, 2, 0x61, 0x10][..], true),
        (&[0x91, 0x1A], true),
        (&[0x92, 0x40], false),
        (&[0x9E, 0x02], false),
    ];
    for (raw, success) in cases {
        assert_eq!(ResponseView::parse(raw).unwrap().is_success(), success, "{raw:02X?}");
    }
    assert!(StatusWord::new(0x9E, 0x02).is_success(), "the status word itself is a normal ending");
    let r = ResponseView::parse(&[0x6A, 0x82]).unwrap();
    assert!(!r.is_success());
    assert!(r.data().is_empty());
    assert_eq!(r.sw(), StatusWord::FILE_NOT_FOUND);
    assert_eq!(ResponseView::parse(&[0x90]), Err(ApduError::ResponseTruncated { len: 1 }));
    assert_eq!(ResponseView::parse(&[]).unwrap_err().offset(), Some(0));
}

#[test]
fn errors_say_what_and_where() {
    let e = CommandView::parse(&bytes("00 A4 00 00 03 3F 00")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "inconsistent length field at byte 4: 3 bytes follow the header, which fits no APDU case"
    );
    let e = Command::new(0, 0, 0, 0).with_ne(70_000).unwrap_err();
    assert_eq!(e.to_string(), "Ne = 70000 is outside 1..=65536");
}

#[test]
fn debug_never_prints_a_pin() {
    // V71: VERIFY CHV1 "1234". The data of PIN commands is redacted in every Debug form.
    let raw = bytes("A0 20 00 01 08 31 32 33 34 FF FF FF FF");
    let view = CommandView::parse(&raw).unwrap();
    let command = view.to_command();
    let tpdu = command.to_t0().unwrap();
    for text in [format!("{view:?}"), format!("{command:?}"), format!("{tpdu:?}")] {
        assert!(!text.contains("31 32"), "{text}");
        assert!(text.contains("**"), "{text}");
    }
    // Other commands show their data.
    let select = Command::new(0x00, 0xA4, 0x00, 0x04).with_data(&[0x3F, 0x00]).unwrap();
    assert!(format!("{select:?}").contains("3F 00"));
}
