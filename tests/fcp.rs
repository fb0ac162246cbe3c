//! SELECT/STATUS responses: TS 51.011 §9.2.1 (vectors H) and the TS 102 221
//! §11.1.1.4 FCP template (vectors I) of ../shared/spec/vectors.md, which come
//! from pySim's `tests/unittests/test_decode_select_resp.py` (osmocom/pysim),
//! decoded, summarised and encoded back.

#![cfg(feature = "std")]
// Tests fail loudly: unwrap, expect, panic and indexing are the point here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use simcore::codec::DecodeError;
use simcore::fcp::gsm::{
    AccessCondition, ClockStop, CodeStatus, Directory, Ef, FileCharacteristics, FileStatus, Response,
    SupplyVoltage,
};
use simcore::fcp::uicc::{
    Fcp, FcpTemplate, FileDescriptor, LifeCycleStatus, PinStatus, ProprietaryInfo, SecurityAttributes, Sfi,
};
use simcore::fcp::{EfStructure, FileKind, FileSummary, SecretCode};
use simcore::hex;

fn bytes(text: &str) -> Vec<u8> {
    hex::decode(text).unwrap()
}

/// V91: MF of a classic SIM (pySim test_CardProfileSIM).
const V91: &str = "00 00 00 00 3F 00 01 00 00 00 00 00 09 81 02 0C 04 00 83 8A 83 8A";
/// V92: DF_TELECOM (pySim).
const V92: &str = "00 00 00 00 7F 10 02 00 00 00 00 00 09 81 00 0D 04 00 83 8A 83 8A";
/// V96: EF_ICCID header (pySim).
const V96: &str = "00 00 00 0A 2F E2 04 00 0C FF FF 01 02 00 00";
/// V97: MF FCP of a UICC (pySim test_CardProfileUICC).
const V97: &str = "62 2C 82 02 78 21 83 02 3F 00 A5 0C 80 01 71 83 04 00 03 A7 38 87 01 01 8A 01 05 \
                   8B 03 2F 06 01 C6 0C 90 01 60 83 01 01 83 01 0A 83 01 0B";
/// V99: EF.IMSI FCP of a USIM (pySim).
const V99: &str = "62 17 82 02 41 21 83 02 6F 07 8A 01 05 8B 03 6F 06 0A 80 02 00 09 88 01 38";

#[test]
fn v91_gsm_mf() {
    let raw = bytes(V91);
    let Response::Directory(mf) = Response::parse(&raw).unwrap() else { panic!("not a directory") };
    assert!(mf.is_mf);
    assert_eq!((mf.fid, mf.free_memory), (0x3F00, 0));
    assert_eq!((mf.df_count, mf.ef_count, mf.code_count), (2, 12, 4));
    let c = mf.characteristics;
    assert!(c.chv1_disabled());
    assert_eq!(c.clock_stop(), ClockStop::Allowed);
    assert!(!c.needs_13_4_mhz());
    assert_eq!(c.supply_voltage(), SupplyVoltage::FiveVolt);
    let codes = mf.codes.map(Option::unwrap);
    assert_eq!(
        codes.map(|s| (s.is_initialised(), s.attempts_left())),
        [(true, 3), (true, 10), (true, 3), (true, 10)]
    );

    let mut out = [0u8; Directory::LEN];
    assert_eq!(mf.encode_into(&mut out), Ok(22));
    assert_eq!(out.to_vec(), raw);
    let status = [CodeStatus::initialised(3), CodeStatus::initialised(10)];
    let mut built =
        Directory::new(0x3F00, true, FileCharacteristics(0x81), [status[0], status[1], status[0], status[1]]);
    built.df_count = 2;
    built.ef_count = 12;
    assert_eq!(built, mf);

    let summary = FileSummary::from_response(&raw).unwrap();
    assert_eq!((summary.kind, summary.fid, summary.free_memory), (FileKind::Mf, Some(0x3F00), Some(0)));
    let chv1 = summary.code(SecretCode::Pin(0x01)).unwrap();
    assert_eq!((chv1.enabled, chv1.attempts_left, chv1.initialised), (Some(false), Some(3), Some(true)));
    let chv1_by_key = summary.code(simcore::chv::KeyReference::PIN1.into()).unwrap();
    assert_eq!(chv1_by_key, chv1);
    assert_eq!(chv1.code.key_reference(), Some(simcore::chv::KeyReference::PIN1));
    let puk2 = summary.code(SecretCode::Unblock(0x81)).unwrap();
    assert_eq!((puk2.enabled, puk2.attempts_left), (None, Some(10)));
    assert_eq!(summary.codes().count(), 4);
}

#[test]
fn v92_gsm_df_telecom() {
    let raw = bytes(V92);
    let Response::Directory(df) = Response::parse(&raw).unwrap() else { panic!("not a directory") };
    assert!(!df.is_mf);
    assert_eq!((df.fid, df.df_count, df.ef_count), (0x7F10, 0, 13));
    assert_eq!(df.codes[0].unwrap().attempts_left(), 3);
    let summary = FileSummary::from_response(&raw).unwrap();
    assert_eq!(summary.kind, FileKind::Df);
    let mut out = [0u8; 22];
    df.encode_into(&mut out).unwrap();
    assert_eq!(out.to_vec(), raw);
}

/// V94 (W. Rankl's trace, "clock stop allowed, no preferred level; 13/4 MHz;
/// 3 V technology; CHV1 enabled" = 0x13) and the real STATUS trace of resolved
/// Q4 (byte 14 = 0x33: 1.8 V technology; bytes 19–22 = 83 8A 83 8A).
#[test]
fn v94_file_characteristics_and_the_q4_trace() {
    let c = FileCharacteristics(0x13);
    assert_eq!(c.clock_stop(), ClockStop::Allowed);
    assert!(c.needs_13_4_mhz());
    assert_eq!(c.supply_voltage(), SupplyVoltage::ThreeVolt);
    assert!(!c.chv1_disabled());
    let c = FileCharacteristics(0x33);
    assert_eq!(c.supply_voltage(), SupplyVoltage::OnePointEightVolt);
    assert!(!c.chv1_disabled() && c.needs_13_4_mhz());
    assert_eq!(FileCharacteristics(0x05).clock_stop(), ClockStop::AllowedHighPreferred);
    assert_eq!(FileCharacteristics(0x08).clock_stop(), ClockStop::OnlyLow);
    assert_eq!(CodeStatus(0x8A).attempts_left(), 10);
    assert!(!CodeStatus(0x03).is_initialised());
    assert_eq!(CodeStatus(0x80).attempts_left(), 0);
}

#[test]
fn v96_gsm_ef_iccid() {
    let raw = bytes(V96);
    let Response::Ef(ef) = Response::parse(&raw).unwrap() else { panic!("not an EF") };
    assert_eq!((ef.size, ef.fid, ef.structure), (10, 0x2FE2, EfStructure::Transparent));
    assert_eq!(ef.access.read, AccessCondition::Always);
    assert_eq!(ef.access.update, AccessCondition::Adm(0x0C));
    assert_eq!(ef.access.increase, AccessCondition::Never);
    assert_eq!(ef.access.rehabilitate, AccessCondition::Never);
    assert_eq!(ef.access.invalidate, AccessCondition::Never);
    assert!(ef.status.contains(FileStatus::NOT_INVALIDATED));
    assert_eq!(ef.record_count(), None);
    let mut out = [0u8; Ef::LEN];
    ef.encode_into(&mut out).unwrap();
    assert_eq!(out.to_vec(), raw);
    let summary = FileSummary::from_response(&raw).unwrap();
    assert_eq!((summary.kind, summary.size, summary.active), (FileKind::WorkingEf, Some(10), Some(true)));
    assert_eq!(summary.codes().count(), 0);
}

/// A linear fixed EF (EF_ADN with 28-byte records × 10) built for the virtual SIM
/// and read back; an invalidated EF (TS 51.011 §9.2.1 byte 12, resolved Q5).
#[test]
fn gsm_record_ef_round_trip() {
    let mut ef =
        Ef::new(0x6F3A, EfStructure::LinearFixed, 280, 28, AccessCondition::Chv1, AccessCondition::Chv1);
    ef.status = FileStatus::READABLE_WHEN_INVALIDATED;
    let mut out = [0u8; 15];
    ef.encode_into(&mut out).unwrap();
    assert_eq!(out[11], 0x04);
    assert_eq!(out[13..], [0x01, 28]);
    let back = Ef::parse(&out).unwrap();
    assert_eq!(back, ef);
    assert_eq!(back.record_count(), Some(10));
    let summary = FileSummary::from_response(&out).unwrap();
    assert_eq!(
        (summary.record_length, summary.record_count, summary.active),
        (Some(28), Some(10), Some(false))
    );
    assert!(ef.encode_into(&mut out[..14]).is_err());
}

#[test]
fn gsm_errors_name_the_byte() {
    let mut raw = bytes(V96);
    raw[6] = 0x03;
    assert_eq!(
        Response::parse(&raw),
        Err(DecodeError::Invalid { what: "type of file", offset: 6, found: 3 })
    );
    raw[6] = 0x04;
    raw[13] = 0x02;
    assert_eq!(
        Response::parse(&raw),
        Err(DecodeError::Invalid { what: "structure of EF", offset: 13, found: 2 })
    );
    raw[13] = 0x01;
    assert!(matches!(Response::parse(&raw[..14]), Err(DecodeError::Truncated { offset: 14, .. })));
    assert!(matches!(Response::parse(&bytes(V91)[..16]), Err(DecodeError::Truncated { offset: 16, .. })));
    // A short MF response without the CHV bytes still decodes.
    let short = Directory::parse(&bytes(V91)[..18]).unwrap();
    assert_eq!(short.codes, [None; 4]);
}

#[test]
fn v97_uicc_mf() {
    let raw = bytes(V97);
    assert_eq!(raw.len(), 46);
    let fcp = Fcp::parse(&raw).unwrap();
    assert_eq!(fcp.kind(), FileKind::Mf);
    assert_eq!(fcp.descriptor.descriptor_byte, 0x78);
    assert!(fcp.descriptor.is_shareable() && fcp.descriptor.is_dedicated());
    assert_eq!(fcp.fid, Some(0x3F00));
    let prop = fcp.proprietary.unwrap();
    assert_eq!(prop.uicc_characteristics(), Some(0x71));
    assert_eq!(prop.available_memory(), Some(239_416));
    assert_eq!(prop.supported_commands(), Some(0x01));
    assert_eq!(fcp.life_cycle, Some(LifeCycleStatus::Activated));
    assert_eq!(fcp.security.unwrap().arr_record(), Some((0x2F06, 1)));
    let pins: Vec<PinStatus> = fcp.pin_status.unwrap().iter().collect();
    assert_eq!(
        pins,
        [
            PinStatus { key_reference: 0x01, enabled: false, usage_qualifier: None },
            PinStatus { key_reference: 0x0A, enabled: true, usage_qualifier: None },
            PinStatus { key_reference: 0x0B, enabled: true, usage_qualifier: None },
        ]
    );
    assert_eq!(fcp.short_file_identifier(), None);

    let summary = FileSummary::from_response(&raw).unwrap();
    assert_eq!(
        (summary.kind, summary.free_memory, summary.active),
        (FileKind::Mf, Some(239_416), Some(true))
    );
    let pin1 = summary.code(SecretCode::Pin(0x01)).unwrap();
    assert_eq!((pin1.enabled, pin1.attempts_left), (Some(false), None));
    assert_eq!(summary.code(SecretCode::Pin(0x0A)).unwrap().enabled, Some(true));

    // The virtual SIM's builder writes the same 46 bytes.
    let template = FcpTemplate {
        proprietary: Some(ProprietaryInfo {
            uicc_characteristics: Some(0x71),
            available_memory: Some(239_416),
            supported_commands: Some(0x01),
            extra: &[],
        }),
        security: Some(SecurityAttributes::Referenced(&[0x2F, 0x06, 0x01])),
        pins: &pins,
        ..FcpTemplate::new(FileDescriptor::dedicated(true), Some(0x3F00))
    };
    let mut out = [0u8; 64];
    assert_eq!(template.encode_into(&mut out).unwrap(), &raw[..]);
    assert!(template.encode_into(&mut out[..45]).is_err());
}

#[test]
fn v99_uicc_ef_imsi() {
    let raw = bytes(V99);
    let fcp = Fcp::parse(&raw).unwrap();
    assert_eq!(fcp.kind(), FileKind::WorkingEf);
    assert_eq!(fcp.descriptor.structure(), Some(EfStructure::Transparent));
    assert_eq!(fcp.fid, Some(0x6F07));
    assert_eq!(fcp.security, Some(SecurityAttributes::Referenced(&[0x6F, 0x06, 0x0A])));
    assert_eq!(fcp.file_size, Some(9));
    assert_eq!(fcp.sfi, Sfi::Value(7));
    assert_eq!(fcp.short_file_identifier(), Some(7));
    let summary = FileSummary::from_response(&raw).unwrap();
    assert_eq!(
        (summary.kind, summary.structure, summary.size),
        (FileKind::WorkingEf, Some(EfStructure::Transparent), Some(9))
    );
    assert_eq!(summary.codes().count(), 0);

    let template = FcpTemplate {
        security: Some(SecurityAttributes::Referenced(&[0x6F, 0x06, 0x0A])),
        file_size: Some(9),
        sfi: Sfi::Value(7),
        ..FcpTemplate::new(FileDescriptor::working_ef(EfStructure::Transparent, true, None), Some(0x6F07))
    };
    let mut out = [0u8; 32];
    assert_eq!(template.encode_into(&mut out).unwrap(), &raw[..]);
}

/// Linear fixed EF descriptor `42 21 00 0E 02` (digest §4.3), an ADF with a DF
/// name, usage qualifiers and an SFI derived from the FID (TS 102 221 §11.1.1.4.8).
#[test]
fn uicc_builder_round_trips_other_shapes() {
    let pins = [
        PinStatus { key_reference: 0x01, enabled: true, usage_qualifier: Some(0x08) },
        PinStatus { key_reference: 0x81, enabled: false, usage_qualifier: None },
        PinStatus { key_reference: 0x0A, enabled: true, usage_qualifier: None },
    ];
    let aid = [0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02, 0xFF, 0x49];
    let adf = FcpTemplate {
        df_name: Some(&aid),
        pins: &pins,
        total_size: Some(0x1234),
        ..FcpTemplate::new(FileDescriptor::dedicated(true), None)
    };
    let mut out = [0u8; 96];
    let encoded = adf.encode_into(&mut out).unwrap().to_vec();
    let fcp = Fcp::parse(&encoded).unwrap();
    assert_eq!(fcp.kind(), FileKind::Adf);
    assert_eq!(fcp.df_name, Some(&aid[..]));
    assert_eq!(fcp.total_size, Some(0x1234));
    assert_eq!(fcp.pin_status.unwrap().iter().collect::<Vec<_>>(), pins);
    assert!(!fcp.pin_status.unwrap().get(0x81).unwrap().enabled);
    let summary = FileSummary::from_fcp(&fcp);
    assert_eq!(summary.code(SecretCode::Pin(0x01)).unwrap().usage_qualifier, Some(0x08));

    let record = FcpTemplate {
        file_size: Some(28),
        ..FcpTemplate::new(
            FileDescriptor::working_ef(EfStructure::LinearFixed, true, Some((14, 2))),
            Some(0x6F3A),
        )
    };
    let encoded = record.encode_into(&mut out).unwrap().to_vec();
    assert_eq!(&encoded[2..9], &bytes("82 05 42 21 00 0E 02")[..]);
    let fcp = Fcp::parse(&encoded).unwrap();
    assert_eq!(fcp.short_file_identifier(), Some(0x1A));
    let summary = FileSummary::from_fcp(&fcp);
    assert_eq!(
        (summary.structure, summary.record_length, summary.record_count),
        (Some(EfStructure::LinearFixed), Some(14), Some(2))
    );

    let cyclic = FcpTemplate {
        sfi: Sfi::Unsupported,
        ..FcpTemplate::new(FileDescriptor::working_ef(EfStructure::Cyclic, false, Some((3, 5))), Some(0x6F39))
    };
    let fcp_bytes = cyclic.encode_into(&mut out).unwrap().to_vec();
    let fcp = Fcp::parse(&fcp_bytes).unwrap();
    assert_eq!(fcp.descriptor.structure(), Some(EfStructure::Cyclic));
    assert_eq!(fcp.short_file_identifier(), None);
}

#[test]
fn uicc_errors_name_the_byte() {
    let raw = bytes(V97);
    // Not an FCP template.
    let mut other = raw.clone();
    other[0] = 0x6F;
    assert_eq!(
        Fcp::parse(&other),
        Err(DecodeError::Invalid { what: "FCP template tag", offset: 0, found: 0x6F })
    );
    // Cut inside the template.
    assert!(matches!(
        Fcp::parse(&raw[..40]),
        Err(DecodeError::Truncated { what: "TLV value", offset: 40, .. })
    ));
    // A descriptor of 3 bytes.
    let bad = bytes("62 05 82 03 41 21 00");
    assert_eq!(
        Fcp::parse(&bad),
        Err(DecodeError::Invalid { what: "file descriptor length", offset: 3, found: 3 })
    );
    // No descriptor at all.
    assert_eq!(
        Fcp::parse(&bytes("62 04 83 02 6F 07")),
        Err(DecodeError::MissingTag { what: "file descriptor", tag: 0x82, offset: 6 })
    );
    // More key references than PS_DO bits.
    let too_many = bytes("62 10 82 02 78 21 C6 0A 90 00 83 01 01 83 01 02 83 01");
    assert!(Fcp::parse(&too_many).is_err());
    let one_pin = bytes("62 0C 82 02 78 21 C6 06 90 01 80 83 01 01");
    assert!(Fcp::parse(&one_pin).unwrap().pin_status.unwrap().get(0x01).unwrap().enabled);
    // A PIN status template without PS_DO.
    assert!(matches!(
        Fcp::parse(&bytes("62 09 82 02 78 21 C6 03 83 01 01")),
        Err(DecodeError::Invalid { what: "PIN status template object", offset: 8, found: 0x83 })
    ));
    // Bytes after the template.
    let mut trailing = raw.clone();
    trailing.push(0x83);
    trailing.push(0x00);
    assert_eq!(Fcp::parse(&trailing), Err(DecodeError::TrailingBytes { what: "FCP template", offset: 46 }));
}

#[test]
fn reserved_sfi_and_df_codings_are_refused_both_ways() {
    // V99's SFI byte 38 is SFI 7 (b8–b4), b3–b1 = 000 (TS 102 221 §11.1.1.4.8).
    let mut raw = bytes(V99);
    assert_eq!(Fcp::parse(&raw).unwrap().sfi, Sfi::Value(7));
    // b3–b1 not 000, SFI 0 and SFI 31: no SFI a READ BINARY could name.
    for sfi in [0x3F, 0x00, 0xF8] {
        *raw.last_mut().unwrap() = sfi;
        assert_eq!(
            Fcp::parse(&raw),
            Err(DecodeError::Invalid { what: "SFI (b8–b4 1 to 30, b3–b1 000)", offset: 24, found: sfi })
        );
    }
    // A DF is x0111000 (table 11.5): FDB 3A (b3–b1 = 010) is no DF and no EF.
    assert_eq!(
        Fcp::parse(&bytes("62 04 82 02 3A 21")),
        Err(DecodeError::Invalid { what: "file descriptor byte", offset: 4, found: 0x3A })
    );
    // The encoder refuses what the parser would: SFI 0 or 31, a DF name of 17 bytes.
    let mut out = [0u8; 64];
    for sfi in [0, 31] {
        let template =
            FcpTemplate { sfi: Sfi::Value(sfi), ..FcpTemplate::new(FileDescriptor::dedicated(false), None) };
        assert!(template.encode_into(&mut out).is_err(), "SFI {sfi}");
    }
    let name = [0xA0; 17];
    let template = FcpTemplate {
        df_name: Some(&name),
        ..FcpTemplate::new(FileDescriptor::dedicated(false), Some(0x7FF0))
    };
    assert!(template.encode_into(&mut out).is_err());
    let template = FcpTemplate {
        df_name: Some(&name[..16]),
        ..FcpTemplate::new(FileDescriptor::dedicated(false), Some(0x7FF0))
    };
    let encoded = template.encode_into(&mut out).unwrap().to_vec();
    assert_eq!(Fcp::parse(&encoded).unwrap().df_name, Some(&name[..16]));
}
