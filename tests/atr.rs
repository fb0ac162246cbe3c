//! ATR, historical bytes, incremental reader and PPS against ISO/IEC 7816-3:2006
//! §8–§9, the vectors A and B of ../shared/spec/vectors.md, the ATR examples of
//! ETSI TS 102 221 annex (tech-invite rendering) and ATRs of real cards from
//! pcsc-tools' smartcard_list.txt.

#![cfg(feature = "std")]
// Tests fail loudly: unwrap, expect, panic and indexing are the point here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use simcore::StatusWord;
use simcore::atr::{
    Atr, AtrError, AtrReader, Category, ClockStop, Convention, DataObject, Edc, EfAccess, FiDi,
    HistoricalError, InitialAccess, LifeCycleStatus, Pps, PpsError, Progress, SelectionMethods, Tck,
    UiccFeatures, VoltageClasses, Warning, WriteBehaviour, clocks_to_micros,
};
use simcore::hex;

fn bytes(text: &str) -> Vec<u8> {
    hex::decode(text).unwrap()
}

/// `text` followed by the TCK that makes the XOR of T0..TCK zero (for spec
/// examples printed with TCK = 'XX').
fn with_tck(text: &str) -> Vec<u8> {
    let mut b = bytes(text);
    let tck = b[1..].iter().fold(0, |acc, x| acc ^ x);
    b.push(tck);
    b
}

fn objects(atr: &Atr<'_>) -> Vec<(u8, Vec<u8>)> {
    atr.historical().objects().map(|o| o.unwrap()).map(|o| (o.tag(), o.value().to_vec())).collect()
}

// ---- Vectors A (vectors.md) ----

#[test]
fn v01_sysmo_isim_sja2() {
    // pySim tests/pySim-shell_test/cardinfo/sysmoISIM-SJA2-cardinfo.ok
    let raw = bytes("3B 9F 96 80 1F 87 80 31 E0 73 FE 21 1B 67 4A 4C 75 30 34 05 4B A9");
    let atr = Atr::parse(&raw).unwrap();
    assert_eq!(atr.len(), 22);
    assert_eq!(atr.convention(), Convention::Direct);
    assert_eq!((atr.t0(), atr.k()), (0x9F, 15));
    let groups: Vec<_> = atr.groups().map(|g| (g.ta(), g.tb(), g.tc(), g.td())).collect();
    assert_eq!(
        groups,
        [
            (Some(0x96), None, None, Some(0x80)),
            (None, None, None, Some(0x1F)),
            (Some(0x87), None, None, None)
        ]
    );
    assert_eq!(atr.interface_bytes(), [0x96, 0x80, 0x1F, 0x87]);
    // TA1 96: Fi 512, Di 32, fmax 5 MHz, 16 clocks per etu, 223 200 bit/s at 3.5712 MHz.
    let fi_di = atr.fi_di();
    assert_eq!((fi_di.fi(), fi_di.di(), fi_di.fmax_khz()), (Some(512), Some(32), Some(5_000)));
    assert_eq!(fi_di.clocks_per_etu(), Some((512, 32)));
    assert_eq!(fi_di.bit_rate(3_571_200), Some(223_200));
    assert_eq!(atr.protocols().collect::<Vec<_>>(), [0]);
    assert_eq!(atr.default_protocol(), 0);
    assert!(atr.indicates_t15());
    assert!(atr.offers(0) && !atr.offers(1) && !atr.offers(15));
    // TA3 87: clock stop in state H, classes A, B and C.
    assert_eq!(atr.clock_stop(), ClockStop::StateH);
    assert_eq!(atr.voltage_classes(), VoltageClasses::A | VoltageClasses::B | VoltageClasses::C);
    assert_eq!(atr.spu(), None);
    assert!(!atr.is_euicc());
    assert_eq!(atr.tck(), Tck::Valid(0xA9));
    assert!(atr.extra_bytes().is_empty());
    assert_eq!(atr.warnings().count(), 0);
    assert_eq!(atr.specific_mode(), None);

    let hist = atr.historical();
    assert_eq!(hist.offset(), 6);
    assert_eq!(hist.category(), Some(Category::CompactTlv));
    assert_eq!(
        objects(&atr),
        [(3, vec![0xE0]), (7, vec![0xFE, 0x21, 0x1B]), (6, vec![0x4A, 0x4C, 0x75, 0x30, 0x34, 0x05, 0x4B])]
    );
    let decoded: Vec<_> = hist.objects().map(|o| o.unwrap().decode().unwrap()).collect();
    let DataObject::CardServiceData(cs) = decoded[0] else { panic!("{:?}", decoded[0]) };
    // E0: selection by full and partial DF name, objects in EF.DIR, READ RECORD, MF.
    assert!(cs.select_by_full_df_name() && cs.select_by_partial_df_name() && cs.objects_in_ef_dir());
    assert!(!cs.objects_in_ef_atr());
    assert_eq!(cs.ef_access(), EfAccess::ReadRecords);
    assert!(cs.has_mf());
    let DataObject::CardCapabilities(caps) = decoded[1] else { panic!("{:?}", decoded[1]) };
    assert_eq!(caps.selection_methods(), SelectionMethods::all() - SelectionMethods::RECORD_ID);
    let coding = caps.data_coding().unwrap();
    assert_eq!(coding.write_behaviour(), WriteBehaviour::Proprietary);
    assert!(!coding.ber_tlv_efs() && !coding.ff_valid_as_tag());
    assert_eq!(coding.data_unit_quartets(), 2);
    let third = caps.chaining_length_channels().unwrap();
    assert!(!third.command_chaining() && !third.extended_lc_le());
    assert!(third.channels_assigned_by_card() && third.channels_assigned_by_interface_device());
    assert_eq!(third.max_logical_channels(), 4);
    assert_eq!(decoded[2], DataObject::PreIssuingData(&[0x4A, 0x4C, 0x75, 0x30, 0x34, 0x05, 0x4B]));
    assert_eq!(hist.status_indicator(), Ok(None));
    assert_eq!(hist.check(), Ok(()));
    // Display: uppercase hex, spaced with {:#}.
    assert_eq!(atr.to_string(), "3B9F96801F878031E073FE211B674A4C753034054BA9");
    assert_eq!(format!("{atr:#}"), "3B 9F 96 80 1F 87 80 31 E0 73 FE 21 1B 67 4A 4C 75 30 34 05 4B A9");
}

#[test]
fn v03_gsm_test_sim_t0_only() {
    // pySim tests/pySim-shell_test/cardinfo/sysmoSIM-GR1-cardinfo.ok
    let raw = bytes("3B 99 18 00 11 88 22 33 44 55 66 77 60");
    let atr = Atr::parse(&raw).unwrap();
    assert_eq!(atr.k(), 9);
    assert_eq!(atr.fi_di().clocks_per_etu(), Some((372, 12)));
    assert_eq!(atr.groups().count(), 2);
    assert_eq!(atr.protocols().collect::<Vec<_>>(), [0]);
    assert_eq!(atr.tck(), Tck::Absent);
    assert_eq!(atr.len(), 13);
    assert_eq!(atr.historical_bytes(), bytes("11 88 22 33 44 55 66 77 60"));
    assert_eq!(atr.historical().category(), Some(Category::Proprietary(0x11)));
    assert_eq!(atr.historical().objects().count(), 0);
    // Debug shows the bytes in hex and where T1 starts (offset 4), as does the reader's.
    assert_eq!(
        format!("{:?}", atr.historical()),
        "HistoricalBytes { bytes: 11 88 22 33 44 55 66 77 60, base: 4 }"
    );
    let mut reader = AtrReader::new();
    reader.feed(raw.get(..3).unwrap()).unwrap();
    assert!(format!("{reader:?}").starts_with("AtrReader { read: 3B 99 18, "), "{reader:?}");
}

#[test]
fn v05_tb1_and_tc2() {
    // pcsc-tools ATR_analysis usage line.
    let raw = bytes("3B A7 00 40 18 80 65 A2 08 01 01 52");
    let atr = Atr::parse(&raw).unwrap();
    let prog = atr.programming().unwrap();
    assert_eq!((prog.tb1(), prog.tb2()), (Some(0x00), None));
    assert!(prog.vpp_not_connected());
    assert_eq!(prog.pi1(), None);
    // ISO/IEC 7816-3:1997 §6.5.3: PI1 in volts from 5 to 25, the rest reserved;
    // II (b7–b6) 0, 1, 2 for 25, 50, 100 mA.
    let pi1 = |tb1| simcore::atr::Programming::from_bytes(Some(tb1), None).pi1();
    assert_eq!(
        (pi1(0x25), pi1(0x19), pi1(0x04), pi1(0x1A), pi1(0xFF)),
        (Some(5), Some(25), None, None, None)
    );
    assert_eq!(atr.wi(), 24);
    assert_eq!(atr.work_waiting_time_clocks(), Some(24 * 960 * 372));
    assert_eq!(objects(&atr), [(6, bytes("A2 08 01 01 52"))]);
    assert_eq!(atr.tck(), Tck::Absent);
    assert_eq!(atr.warnings().count(), 0);
}

#[test]
fn v06_jcop_t1() {
    // smartcard_list.txt: NXP JCOP 2.4.1.
    let raw = bytes("3B F8 13 00 00 81 31 FE 45 4A 43 4F 50 76 32 34 31 B7");
    let atr = Atr::parse(&raw).unwrap();
    assert_eq!(atr.fi_di().clocks_per_etu(), Some((372, 4)));
    assert_eq!(atr.extra_guard_time().n(), 0);
    assert_eq!(atr.programming().unwrap().tb1(), Some(0));
    assert_eq!(atr.protocols().collect::<Vec<_>>(), [1]);
    let t1 = atr.t1_parameters();
    assert_eq!((t1.ifsc(), t1.bwi(), t1.cwi(), t1.edc()), (254, 4, 5, Edc::Lrc));
    assert_eq!(t1.cwt_etu(), 11 + 32);
    assert_eq!(atr.historical_bytes(), b"JCOPv241");
    assert_eq!(atr.tck(), Tck::Valid(0xB7));
    // The T=1 bytes sit in group 3, qualified by TD2's T=1.
    let g3 = atr.groups().nth(2).unwrap();
    assert_eq!((g3.index(), g3.qualifier(), g3.offset()), (3, Some(1), 7));
    assert_eq!(g3.bytes().collect::<Vec<_>>(), [(7, "TA", 0xFE), (8, "TB", 0x45)]);
}

#[test]
fn v07_minimal_all_defaults() {
    // CPP test "minimal T=0".
    let atr = Atr::parse(&[0x3B, 0x00]).unwrap();
    assert_eq!(atr.fi_di(), FiDi::DEFAULT);
    assert_eq!(
        (atr.fi_di().fi(), atr.fi_di().di(), atr.fi_di().fmax_khz()),
        (Some(372), Some(1), Some(5_000))
    );
    assert_eq!(atr.extra_guard_time().n(), 0);
    assert_eq!(atr.wi(), 10);
    assert_eq!(atr.voltage_classes(), VoltageClasses::A);
    assert_eq!(atr.clock_stop(), ClockStop::NotSupported);
    assert_eq!(atr.tck(), Tck::Absent);
    assert_eq!(atr.protocols().collect::<Vec<_>>(), [0]);
    assert_eq!(atr.t1_parameters().ifsc(), 32);
    // At 3.5712 MHz: 9600 bit/s, an etu of 104.17 µs, WT = 3 571 200 clocks = 1.000 s.
    assert_eq!(atr.fi_di().bit_rate(3_571_200), Some(9_600));
    assert_eq!(atr.work_waiting_time_clocks(), Some(3_571_200));
    assert_eq!(clocks_to_micros(3_571_200, 3_571_200), Some(1_000_000));
    assert_eq!(atr.groups().count(), 1);
    assert!(atr.groups().next().unwrap().is_empty());
    assert!(atr.historical().category().is_none());
}

#[test]
fn v08_class_indicator() {
    // CPP test "first TA for T=15 / with all classes".
    let raw = bytes("3B 80 80 1F 07 18");
    let atr = Atr::parse(&raw).unwrap();
    assert_eq!(atr.clock_stop(), ClockStop::NotSupported);
    assert_eq!(atr.voltage_classes(), VoltageClasses::A | VoltageClasses::B | VoltageClasses::C);
    assert_eq!(atr.tck(), Tck::Valid(0x18));
    assert_eq!(atr.t15_ta(), Some(0x07));
}

#[test]
fn a_class_indicator_naming_no_class_is_a_warning() {
    // V08's structure (TD1 80, TD2 1F: T=15, then its first TA), with a class
    // indicator Y (b6–b1, ISO/IEC 7816-3 §8.3; digest §1.6: b1 A, b2 B, b3 C)
    // that names none: clock stop with no preference (X = 11), no class.
    let raw = with_tck("3B 80 80 1F C0");
    let atr = Atr::parse(&raw).unwrap();
    assert_eq!(atr.t15_ta(), Some(0xC0));
    assert_eq!(atr.clock_stop(), ClockStop::NoPreference);
    assert!(atr.voltage_classes().is_empty());
    assert_eq!(atr.warnings().collect::<Vec<_>>(), [Warning::NoVoltageClass { offset: 4 }]);
    // Class A alone is a class: no warning.
    let raw = with_tck("3B 80 80 1F C1");
    assert_eq!(Atr::parse(&raw).unwrap().warnings().count(), 0);
}

#[test]
fn v10_t15_makes_tck_required_and_wrong_tck_is_flagged() {
    // CPP "others, TCK must be correct": TD1 0F needs TCK 8F. CPP and V10 reject this
    // ATR; simcore parses it and reports the wrong TCK as a warning instead (its
    // design: the bytes are kept and every problem is named, see `Atr::warnings`),
    // so what is checked against the source is the expected TCK, not the verdict.
    let raw = bytes("3B 80 0F 00");
    let atr = Atr::parse(&raw).unwrap();
    assert_eq!(atr.tck(), Tck::Invalid { found: 0x00, expected: 0x8F });
    assert_eq!(atr.tck().is_valid(), Some(false));
    assert_eq!(
        atr.warnings().collect::<Vec<_>>(),
        [Warning::T15InTd1 { offset: 2 }, Warning::WrongTck { offset: 3, found: 0, expected: 0x8F }]
    );
    // T=15 is no protocol: nothing is offered.
    assert_eq!(atr.protocols().count(), 0);
    assert_eq!(atr.default_protocol(), 0);
    // CPP "3B 00 00": TCK absent for T=0 only, so the last byte is extra. CPP
    // rejects it; simcore keeps it as extra bytes with a warning (as above).
    let atr = Atr::parse(&[0x3B, 0x00, 0x00]).unwrap();
    assert_eq!(atr.extra_bytes(), [0x00]);
    assert_eq!(atr.warnings().collect::<Vec<_>>(), [Warning::ExtraBytes { offset: 2, count: 1 }]);
}

#[test]
fn v11_specific_mode() {
    // CPP: TA2 80 → specific mode, T=0, unable to change (ISO/pcsc-tools; digest D4).
    let raw = bytes("3B 80 10 80");
    let atr = Atr::parse(&raw).unwrap();
    let mode = atr.specific_mode().unwrap();
    assert_eq!(mode.protocol(), 0);
    assert!(!mode.can_change());
    assert!(!mode.implicit_parameters());
    assert_eq!(atr.tck(), Tck::Absent);
    assert_eq!(Pps::for_atr(&atr), Err(PpsError::SpecificMode { ta2: 0x80 }));
    // TA2 with b5 set and a reserved bit, naming a protocol no TDi offers.
    let raw = bytes("3B 80 10 51");
    let atr = Atr::parse(&raw).unwrap();
    let mode = atr.specific_mode().unwrap();
    assert!(mode.can_change() && mode.implicit_parameters());
    assert_eq!(
        atr.warnings().collect::<Vec<_>>(),
        [
            Warning::SpecificModeReservedBits { offset: 3 },
            Warning::SpecificModeProtocolNotOffered { offset: 3, protocol: 1 }
        ]
    );
}

#[test]
fn v12_inverse_convention_through_the_reader() {
    // Raw 03 on a direct UART is TS 3F; an inverse card of smartcard_list.txt.
    let logical = bytes("3F 28 00 00 11 14 00 03 68 90 00");
    let line: Vec<u8> = logical.iter().map(|&b| Convention::Inverse.to_line(b)).collect();
    assert_eq!(line[0], 0x03);
    let mut reader = AtrReader::new();
    let (progress, used) = reader.feed(&line).unwrap();
    assert_eq!((progress, used), (Progress::Complete(11), 11));
    assert_eq!(reader.bytes(), logical);
    assert!(reader.converts_bytes());
    assert_eq!(reader.convention(), Some(Convention::Inverse));
    let atr = reader.atr().unwrap();
    assert_eq!(atr.convention(), Convention::Inverse);
    // T0 28: TB1 00 and 8 historical bytes.
    assert_eq!(atr.historical_bytes(), bytes("00 11 14 00 03 68 90 00"));
    // The same card through a reader that converts: 3F arrives as is.
    let mut reader = AtrReader::new();
    assert_eq!(reader.feed(&logical).unwrap(), (Progress::Complete(11), 11));
    assert!(!reader.converts_bytes());
    assert_eq!(reader.bytes(), logical);
}

// ---- ETSI TS 102 221 annex: ATR examples (TCK printed as 'XX', computed here) ----

#[test]
fn ts_102_221_annex_t0_uicc() {
    let raw = with_tck("3B 97 95 80 1F 42 80 31 A0 73 BE 21 15");
    let atr = Atr::parse(&raw).unwrap();
    assert_eq!((atr.fi_di().fi(), atr.fi_di().di()), (Some(512), Some(16)));
    // TA3 42: clock stop in state L, class B (3 V).
    assert_eq!(atr.clock_stop(), ClockStop::StateL);
    assert_eq!(atr.voltage_classes(), VoltageClasses::B);
    let decoded: Vec<_> = atr.historical().objects().map(|o| o.unwrap().decode().unwrap()).collect();
    let DataObject::CardServiceData(cs) = decoded[0] else { panic!() };
    // A0: SELECT by AID (full DF name), EF.DIR present.
    assert!(cs.select_by_full_df_name() && cs.objects_in_ef_dir() && !cs.select_by_partial_df_name());
    let DataObject::CardCapabilities(caps) = decoded[1] else { panic!() };
    assert!(caps.selection_methods().contains(SelectionMethods::SHORT_EF_ID));
    let third = caps.chaining_length_channels().unwrap();
    // 15: no extended Lc and Le, 6 logical channels.
    assert!(!third.extended_lc_le());
    assert_eq!(third.max_logical_channels(), 6);
    assert!(matches!(atr.tck(), Tck::Valid(_)));
}

#[test]
fn ts_102_221_annex_t0_and_t1_uicc() {
    let raw = with_tck("3B 97 95 80 B1 FE 00 1F 42 80 31 A0 73 BE 21 17");
    let atr = Atr::parse(&raw).unwrap();
    assert_eq!(atr.protocols().collect::<Vec<_>>(), [0, 1]);
    let t1 = atr.t1_parameters();
    // TA3 FE: IFSC 254; TB3 00: BWI 0, CWI 0.
    assert_eq!((t1.ifsc(), t1.bwi(), t1.cwi()), (254, 0, 0));
    // TA4 42 after TD3 1F.
    assert_eq!(atr.voltage_classes(), VoltageClasses::B);
    assert_eq!(atr.clock_stop(), ClockStop::StateL);
    let caps = atr.historical().objects().nth(1).unwrap().unwrap().decode().unwrap();
    let DataObject::CardCapabilities(caps) = caps else { panic!() };
    // 17: eight or more logical channels.
    assert_eq!(caps.chaining_length_channels().unwrap().max_logical_channels(), 8);
}

// ---- Real cards from smartcard_list.txt ----

#[test]
fn global_tb_after_t15_marks_features() {
    // NXP SAM (smartcard_list.txt; Ludovic Rousseau's "TB4 - Global after T=15"
    // post): TD3 3F announces TA4 07 and TB4 83 after T=15.
    let raw = bytes("3B DE 18 FF 81 F1 FE 43 00 3F 07 83 44 45 53 46 69 72 65 38 20 53 41 4D 2D 58 17");
    let atr = Atr::parse(&raw).unwrap();
    assert_eq!(atr.protocols().collect::<Vec<_>>(), [1]);
    assert_eq!(atr.extra_guard_time().n(), 255);
    assert!(atr.extra_guard_time().is_minimum());
    let t1 = atr.t1_parameters();
    assert_eq!((t1.ifsc(), t1.bwi(), t1.cwi(), t1.edc()), (0xFE, 4, 3, Edc::Lrc));
    let spu = atr.spu().unwrap();
    assert_eq!(spu.byte(), 0x83);
    assert!(spu.is_proprietary());
    // Read with TS 102 221 table 6.7 (a UICC's reading; this card is a SAM).
    assert_eq!(spu.uicc_features(), UiccFeatures::EUICC | UiccFeatures::MULTIPLE_ENABLED_PROFILES);
    assert!(atr.is_euicc());
    assert_eq!(atr.voltage_classes(), VoltageClasses::A | VoltageClasses::B | VoltageClasses::C);
    assert_eq!(atr.tck(), Tck::Valid(0x17));
}

#[test]
fn euicc_bit_0x82() {
    // Resolved Q7: the first TB after T=15 = 82 announces eUICC functions.
    // V01 with TD2 1F → 3F (TA3 and TB3) and TB3 = 82 inserted; TCK recomputed.
    let raw = with_tck("3B 9F 96 80 3F 87 82 80 31 E0 73 FE 21 1B 67 4A 4C 75 30 34 05 4B");
    let atr = Atr::parse(&raw).unwrap();
    assert!(atr.is_euicc());
    assert_eq!(atr.spu().unwrap().uicc_features(), UiccFeatures::EUICC);
    assert_eq!(atr.clock_stop(), ClockStop::StateH);
}

#[test]
fn status_indicator_at_end() {
    // smartcard_list.txt: category 80, pre-issuing data (65 …), then object 8 of
    // length 3 (83 00 90 00): LCS 00, SW 90 00.
    let raw = bytes("3B 6B 00 00 80 65 B0 83 01 01 74 83 00 90 00");
    let atr = Atr::parse(&raw).unwrap();
    let hist = atr.historical();
    assert_eq!(objects(&atr), [(6, bytes("B0 83 01 01 74")), (8, bytes("00 90 00"))]);
    let status = hist.status_indicator().unwrap().unwrap();
    assert_eq!(status.lcs(), Some(0x00));
    assert_eq!(status.life_cycle(), Some(LifeCycleStatus::NoInformation));
    assert_eq!(status.sw(), Some(StatusWord::SUCCESS));
    // smartcard_list.txt: category 00, card capabilities (73 C8 40 00), and the
    // last three bytes 00 90 00 are the status indicator.
    let raw = bytes("3B 68 00 00 00 73 C8 40 00 00 90 00");
    let atr = Atr::parse(&raw).unwrap();
    assert_eq!(atr.historical().category(), Some(Category::StatusAtEnd));
    assert_eq!(objects(&atr), [(7, bytes("C8 40 00"))]);
    let status = atr.historical().status_indicator().unwrap().unwrap();
    assert_eq!((status.lcs(), status.sw()), (Some(0x00), Some(StatusWord::SUCCESS)));
}

// ---- Errors name the place ----

#[test]
fn errors_name_offset_and_need() {
    assert_eq!(Atr::parse(&[]), Err(AtrError::Truncated { offset: 0, needed: 2 }));
    assert_eq!(Atr::parse(&[0x3B]), Err(AtrError::Truncated { offset: 1, needed: 1 }));
    assert_eq!(Atr::parse(&[0x3C]), Err(AtrError::InvalidTs { found: 0x3C }));
    assert_eq!(Atr::parse(&[0x3C, 0x00]), Err(AtrError::InvalidTs { found: 0x3C }));
    // The 2-byte input the Rust crate of the issue panics on.
    assert_eq!(Atr::parse(&[0x3B, 0x9F]), Err(AtrError::Truncated { offset: 2, needed: 17 }));
    // V01 cut after TD1: the 15 historical bytes and TD2 are missing; TD2 is
    // still unknown, so TCK does not count yet.
    let v01 = bytes("3B 9F 96 80 1F 87 80 31 E0 73 FE 21 1B 67 4A 4C 75 30 34 05 4B A9");
    assert_eq!(Atr::parse(&v01[..4]), Err(AtrError::Truncated { offset: 4, needed: 16 }));
    // Cut before TCK: T=15 requires it.
    assert_eq!(Atr::parse(&v01[..21]), Err(AtrError::Truncated { offset: 21, needed: 1 }));
    let err = Atr::parse(&v01[..21]).unwrap_err();
    assert_eq!(err.offset(), 21);
    assert_eq!(err.to_string(), "ATR truncated at byte 21: at least 1 more byte(s) needed");
    // T0 FF, TD1 FF, TD2 FF, TD3 FF: 2 + 4 × 4 + 15 + TCK = 34 bytes.
    let long = bytes("3B FF 00 00 00 FF 00 00 00 FF 00 00 00 FF");
    assert_eq!(Atr::parse(&long), Err(AtrError::TooLong { offset: 13, length: 34 }));
    // A similar structure offering T=0 only (no TCK) fits in 33 bytes; TD4 00
    // announces T=0 and an empty group 5.
    let mut fits = bytes("3B FF 00 00 00 F0 00 00 00 F0 00 00 00 F0 00 00 00 00");
    fits.resize(33, 0x41);
    let atr = Atr::parse(&fits).unwrap();
    assert_eq!(atr.len(), 33);
    assert_eq!(atr.groups().count(), 5);
    assert_eq!(atr.tck(), Tck::Absent);
}

#[test]
fn reserved_codes_are_reported_not_rejected() {
    // Built by hand: TA1 = 7A (FI 7 and DI A are reserved); TD1 C0 announces
    // TC2 = 00 (WI 0 reserved) and TD2 F1 (T=1): TA3 FF (IFSC reserved), TB3 A5
    // (BWI A reserved), TC3 03 (EDC with reserved b2); TD3 1F (T=15): TA4 05,
    // classes A and C without B.
    let raw = with_tck("3B 90 7A C0 00 F1 FF A5 03 1F 05");
    let atr = Atr::parse(&raw).unwrap();
    assert_eq!(atr.fi_di().fi(), None);
    assert_eq!(atr.fi_di().fmax_khz(), None);
    assert_eq!(atr.work_waiting_time_clocks(), None);
    let warnings: Vec<_> = atr.warnings().collect();
    assert_eq!(
        warnings,
        [
            Warning::ReservedFiDi { offset: 2, fi_di: FiDi::from_byte(0x7A) },
            Warning::ReservedWi { offset: 4 },
            Warning::ReservedIfsc { offset: 6, ifsc: 0xFF },
            Warning::ReservedBwi { offset: 7, bwi: 0xA },
            Warning::ReservedEdcBits { offset: 8 },
            Warning::VoltageClassesNotConsecutive { offset: 10 },
        ]
    );
    assert_eq!(atr.t1_parameters().edc(), Edc::Crc);
    assert!(warnings.iter().all(|w| !w.to_string().is_empty()));
}

#[test]
fn historical_errors_name_the_offset() {
    // smartcard_list.txt "3B 67 00 00 80 20 3A 30 78 90 00": category 80, then
    // header 20 (tag 2, no value), header 3A (tag 3 with 10 bytes) overruns.
    let raw = bytes("3B 67 00 00 80 20 3A 30 78 90 00");
    let atr = Atr::parse(&raw).unwrap();
    let err = atr.historical().check().unwrap_err();
    assert_eq!(err, HistoricalError::Truncated { offset: 6, tag: 3, needed: 6 });
    assert_eq!(err.offset(), 6);
    // Card service data must be one byte.
    let h = simcore::atr::HistoricalBytes::new(&[0x80, 0x32, 0x01, 0x02], 0);
    assert_eq!(h.check(), Err(HistoricalError::BadLength { offset: 1, tag: 3, len: 2 }));
    // Category 10 needs its reference.
    let h = simcore::atr::HistoricalBytes::new(&[0x10], 5);
    assert_eq!(h.check(), Err(HistoricalError::MissingDirDataReference { offset: 5 }));
    let h = simcore::atr::HistoricalBytes::new(&[0x10, 0x2F], 5);
    assert_eq!(h.dir_data_reference(), Ok(Some(0x2F)));
}

// ---- Incremental reader ----

#[test]
fn reader_matches_parse_byte_by_byte() {
    let raw = bytes("3B 9F 96 80 1F 87 80 31 E0 73 FE 21 1B 67 4A 4C 75 30 34 05 4B A9");
    let mut reader = AtrReader::new();
    let mut needs = Vec::new();
    for &b in &raw {
        needs.push(reader.push(b).unwrap());
    }
    // T0 announces TA1, TD1 and 15 historical bytes (19 in all); TD1 80 announces
    // TD2; TD2 1F announces TA3 and T=15, hence TCK.
    assert_eq!(needs[0], Progress::NeedMore(1));
    assert_eq!(needs[1], Progress::NeedMore(17));
    assert_eq!(needs[3], Progress::NeedMore(16));
    assert_eq!(needs[4], Progress::NeedMore(17));
    assert_eq!(needs[21], Progress::Complete(22));
    assert_eq!(reader.atr().unwrap(), Atr::parse(&raw).unwrap());
    assert_eq!(reader.push(0x00), Err(AtrError::AfterEnd { offset: 22 }));
}

#[test]
fn reader_before_completion() {
    let mut reader = AtrReader::new();
    reader.feed(&[0x3B, 0x9F, 0x96]).unwrap();
    assert!(!reader.is_complete());
    assert_eq!(reader.atr(), Err(AtrError::Truncated { offset: 3, needed: 16 }));
    assert_eq!(AtrReader::new().push(0x3F), Ok(Progress::NeedMore(1)));
    assert_eq!(AtrReader::new().push(0x43), Err(AtrError::InvalidTs { found: 0x43 }));
}

// ---- PPS (vectors B) ----

#[test]
fn v13_to_v15_pps_from_atrs() {
    // V13: V01's TA1 96, T=0.
    let v01 = bytes("3B 9F 96 80 1F 87 80 31 E0 73 FE 21 1B 67 4A 4C 75 30 34 05 4B A9");
    let pps = Pps::for_atr(&Atr::parse(&v01).unwrap()).unwrap().unwrap();
    assert_eq!(pps.to_bytes().as_slice(), bytes("FF 10 96 79"));
    assert_eq!(pps.to_string(), "FF 10 96 79");
    // V14: V06's TA1 13, T=1.
    let v06 = bytes("3B F8 13 00 00 81 31 FE 45 4A 43 4F 50 76 32 34 31 B7");
    let pps = Pps::for_atr(&Atr::parse(&v06).unwrap()).unwrap().unwrap();
    assert_eq!(pps.to_bytes().as_slice(), bytes("FF 11 13 FD"));
    let mut buf = [0u8; 6];
    assert_eq!(pps.encode_into(&mut buf).unwrap(), bytes("FF 11 13 FD"));
    // V15: T=1 without PPS1 (keep 372/1).
    assert_eq!(Pps::new(1).to_bytes().as_slice(), bytes("FF 01 FE"));
    // A card without TA1 and T=0 first: nothing to negotiate.
    assert_eq!(
        Pps::for_atr(&Atr::parse(&bytes("3B 99 18 00 11 88 22 33 44 55 66 77 60")).unwrap()),
        Ok(Some(Pps::new(0).with_fi_di(FiDi::from_byte(0x18))))
    );
    assert_eq!(Pps::for_atr(&Atr::parse(&[0x3B, 0x00]).unwrap()), Ok(None));
    // Choosing T=1 on a T=0-only card.
    assert_eq!(
        Pps::for_atr_protocol(&Atr::parse(&v01).unwrap(), 1),
        Err(PpsError::ProtocolNotOffered { protocol: 1 })
    );
}

#[test]
fn pps_answers() {
    let request = Pps::new(0).with_fi_di(FiDi::from_byte(0x96));
    // Echo: accepted.
    assert_eq!(request.check_response(&bytes("FF 10 96 79")).unwrap().fi_di(), FiDi::from_byte(0x96));
    // V13 note: FF 00 FF = T=0 accepted, PPS1 refused → Fd/Dd.
    let answer = request.check_response(&bytes("FF 00 FF")).unwrap();
    assert_eq!((answer.protocol(), answer.fi_di()), (0, FiDi::DEFAULT));
    // PPS2 echoed too.
    let request = request.with_pps2(0x00);
    assert_eq!(request.to_bytes().as_slice(), bytes("FF 30 96 00 59"));
    assert_eq!(request.check_response(&bytes("FF 30 96 00 59")).unwrap().pps2(), Some(0));
    assert_eq!(request.check_response(&bytes("FF 10 96 79")).unwrap().pps2(), None);
    assert_eq!(PpsError::WrongPck { offset: 3, found: 0, expected: 0 }.offset(), Some(3));
}

#[test]
fn debug_shows_bytes_in_hex() {
    // The ATR a downstream review used, with a wrong last byte: the XOR of
    // T0..TCK (ISO/IEC 7816-3:2006 §8.2.5) says 93, computed by hand.
    let raw = hex::decode("3B 9F 96 80 1F C7 80 31 E0 73 FE 21 1B 63 3A 20 4E 83 00 90 00 A2").unwrap();
    let atr = Atr::parse(&raw).unwrap();
    assert_eq!(atr.tck(), Tck::Invalid { found: 0xA2, expected: 0x93 });
    assert_eq!(format!("{:?}", atr.tck()), "Invalid { found: A2, expected: 93 }");
    assert_eq!(format!("{:?}", Tck::Valid(0x0B)), "Valid(0B)");
    assert_eq!(format!("{:?}", simcore::fcp::gsm::CodeStatus(0x8A)), "CodeStatus(8A)");
    assert_eq!(format!("{:?}", simcore::atr::CardServiceData(0xE0)), "CardServiceData(E0)");
}

// ---- Initial access data (COMPACT-TLV tag 4) ----

/// The tag-4 value of `atr`'s historical bytes.
fn initial_access_value(atr: &[u8]) -> Vec<u8> {
    let atr = Atr::parse(atr).unwrap();
    let found: Vec<Vec<u8>> = atr
        .historical()
        .objects()
        .map(|o| o.unwrap().decode().unwrap())
        .filter_map(|o| match o {
            DataObject::InitialAccessData(value) => Some(value.to_vec()),
            _ => None,
        })
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    found[0].clone()
}

#[test]
fn initial_access_of_one_byte_is_read_binary_from_offset_zero() {
    // smartcard_list.txt: "Electronic CPF in Brazil" — 80, then 41 00 (tag 4, one byte).
    let value = initial_access_value(&bytes("3B 7F 14 00 00 80 41 00 57 4A 2D 49 44 4D 36 34 83 7F 90 00"));
    let access = InitialAccess::from_value(&value);
    assert_eq!(access, InitialAccess::ReadBinary { le: 0x00 });
    // ISO/IEC 7816-4:1995 table 81: CLA 00, INS B0, P1-P2 0000, Le the byte.
    assert_eq!(access.command().unwrap().to_vec(), bytes("00 B0 00 00 00"));
    assert_eq!(access.command().unwrap().ne(), Some(256));
}

#[test]
fn initial_access_of_two_bytes_names_the_file_by_its_short_identifier() {
    // ISO/IEC 7816-4:1995 tables 82–84: the file byte (b8 = 1 transparent, 0
    // record; b7–b6 00; b5–b1 the SFI), then Le. The tables' text is quoted in
    // the WhileTrue project's CompactTlvDataObjectInitialAccessData.cs (C#), and
    // the table of contents of §8.3.3 at cardwerk.com; the bytes below are built
    // from that text by hand.
    let binary = InitialAccess::from_value(&[0x85, 0x10]);
    assert_eq!(binary, InitialAccess::ReadBinaryBySfi { sfi: 5, le: 0x10 });
    // Table 84: P1 is the file byte itself, P2 00.
    assert_eq!(binary.command().unwrap().to_vec(), bytes("00 B0 85 00 10"));
    let records = InitialAccess::from_value(&[0x05, 0x10]);
    assert_eq!(records, InitialAccess::ReadRecords { sfi: 5, le: 0x10 });
    // Table 83: P1 01, P2 the SFI followed by 110 (00101 110 = 2E).
    assert_eq!(records.command().unwrap().to_vec(), bytes("00 B2 01 2E 10"));
    // b7–b6 other than 00 are reserved (table 82).
    assert_eq!(InitialAccess::from_value(&[0xC5, 0x10]), InitialAccess::Unrecognised(&[0xC5, 0x10]));
    assert_eq!(InitialAccess::from_value(&[0x25, 0x10]).command(), None);
    // Table 36 (READ RECORD(S) P2): SFI 00000 is the current EF, 11111 reserved; an SFI
    // in READ BINARY's P1 is 1 to 30 (ISO/IEC 7816-4:2005 §5.3.1.1).
    let current = InitialAccess::from_value(&[0x00, 0x10]);
    assert_eq!(current, InitialAccess::ReadRecords { sfi: 0, le: 0x10 });
    assert_eq!(current.command().unwrap().to_vec(), bytes("00 B2 01 06 10"));
    for reserved in [[0x1F, 0x10], [0x9F, 0x10], [0x80, 0x10]] {
        assert_eq!(
            InitialAccess::from_value(&reserved),
            InitialAccess::Unrecognised(&reserved),
            "{reserved:02X?}"
        );
    }
    // Built by hand with an SFI no file byte can carry: no command, rather than a wrong one.
    assert_eq!(InitialAccess::ReadBinaryBySfi { sfi: 0x7F, le: 1 }.command(), None);
    assert_eq!(InitialAccess::ReadRecords { sfi: 0x40, le: 1 }.command(), None);
}

#[test]
fn initial_access_of_five_bytes_is_the_command_itself() {
    // ISO/IEC 7816-4:1995 §8.3.3.3: "the APDU of a command to perform".
    let value = bytes("00 CA 01 00 20");
    let access = InitialAccess::from_value(&value);
    let InitialAccess::Command(view) = access else { panic!("{access:?}") };
    assert_eq!((view.ins(), view.p1(), view.ne()), (0xCA, 0x01, Some(0x20)));
    assert_eq!(access.command().unwrap().to_vec(), value);
    // Extended lengths (ISO/IEC 7816-4:2005 §5.1, case 2E: Le 00 01 00 = 256) are a command
    // APDU too; whether the card takes them is for the caller to know.
    let extended = bytes("00 B0 00 00 00 01 00");
    let InitialAccess::Command(view) = InitialAccess::from_value(&extended) else { panic!() };
    assert_eq!((view.ne(), view.case().is_extended()), (Some(256), true));
    assert_eq!(InitialAccess::from_value(&extended).command().unwrap().to_vec(), extended);
}

#[test]
fn initial_access_values_of_real_cards_that_are_no_command_are_kept_unrecognised() {
    // smartcard_list.txt: "Visa Debit (Bank)" — category 00, 44 14 D3 34 70: four bytes,
    // a length ISO/IEC 7816-4:1995 does not define for tag 4.
    let visa =
        initial_access_value(&bytes("3B FF 13 00 FF 10 00 00 31 C1 73 82 11 06 44 14 D3 34 70 77 90 00"));
    assert_eq!(visa, [0x14, 0xD3, 0x34, 0x70]);
    assert_eq!(InitialAccess::from_value(&visa), InitialAccess::Unrecognised(&visa));
    // smartcard_list.txt: "Safran Morpho YpsID S3" — 48 then "ypsID S3": as an APDU its
    // Lc (0x44) announces 68 data bytes where 3 follow, so it is no command.
    let yps = initial_access_value(&bytes("3B 7D 18 00 00 00 48 79 70 73 49 44 20 53 33 07 90 00"));
    assert_eq!(yps, b"ypsID S3");
    assert_eq!(InitialAccess::from_value(&yps), InitialAccess::Unrecognised(&yps));
    assert_eq!(InitialAccess::from_value(&[]).command(), None);
}
