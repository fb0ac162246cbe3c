//! Round trip of the SELECT response encoders (the virtual SIM's): a TS 102
//! 221 §11.1.1.4 FCP template (`FcpTemplate`) and the TS 51.011 §9.2.1 MF/DF
//! and EF responses built from arbitrary fields, encoded, then decoded: the
//! fields come back identical, and `FileSummary` reports them.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use simcore::codec::TlvWriter;
use simcore::fcp::gsm::{AccessCondition, CodeStatus, Directory, Ef, FileCharacteristics, FileStatus};
use simcore::fcp::uicc::{
    Fcp, FcpTemplate, FileDescriptor, LifeCycleStatus, PinStatus, ProprietaryInfo, SecurityAttributes, Sfi,
};
use simcore::fcp::{EfStructure, FileSummary};

#[derive(Arbitrary, Debug)]
enum Case {
    Uicc(Template),
    GsmDirectory {
        fid: u16,
        is_mf: bool,
        characteristics: u8,
        codes: [u8; 4],
        free: u16,
        dfs: u8,
        efs: u8,
    },
    GsmEf {
        fid: u16,
        structure: u8,
        size: u16,
        record_length: u8,
        access: [u8; 5],
        status: u8,
        increase: bool,
    },
}

#[derive(Arbitrary, Debug)]
struct Template {
    dedicated: bool,
    structure: u8,
    shareable: bool,
    records: Option<(u16, u8)>,
    fid: Option<u16>,
    df_name: Option<Vec<u8>>,
    proprietary: Option<(Option<u8>, Option<u32>, Option<u8>, Vec<(u8, Vec<u8>)>)>,
    life_cycle: Option<u8>,
    security: Option<(u8, Vec<u8>)>,
    pins: Vec<(u8, bool, Option<u8>)>,
    file_size: Option<u32>,
    total_size: Option<u32>,
    sfi: Option<Option<u8>>,
}

const STRUCTURES: [EfStructure; 4] =
    [EfStructure::Transparent, EfStructure::LinearFixed, EfStructure::Cyclic, EfStructure::BerTlv];

fn uicc(t: Template) {
    let descriptor = if t.dedicated {
        FileDescriptor::dedicated(t.shareable)
    } else {
        FileDescriptor::working_ef(STRUCTURES[usize::from(t.structure % 4)], t.shareable, t.records)
    };
    let df_name = t.df_name.map(|mut n| {
        n.truncate(16);
        if n.is_empty() {
            n.push(0xA0);
        }
        n
    });
    // Extra proprietary objects: one-byte tags other than padding and those the template names.
    let mut extra = vec![0u8; 512];
    let extra_len = t.proprietary.as_ref().map_or(0, |(_, _, _, objects)| {
        let mut w = TlvWriter::new(&mut extra);
        for (tag, value) in objects.iter().take(4) {
            let tag = match tag & 0x1F {
                0x1F => 0x90,
                _ if matches!(tag, 0x00 | 0xFF | 0x80 | 0x83 | 0x87) => 0x90,
                _ => *tag,
            };
            if w.put(u32::from(tag), &value[..value.len().min(64)]).is_err() {
                break;
            }
        }
        w.len()
    });
    let proprietary = t.proprietary.map(|(uicc_characteristics, available_memory, supported_commands, _)| {
        ProprietaryInfo {
            uicc_characteristics,
            available_memory,
            supported_commands,
            extra: &extra[..extra_len],
        }
    });
    let security = t.security.as_ref().map(|(form, value)| match form % 3 {
        0 => SecurityAttributes::Referenced(value),
        1 => SecurityAttributes::Compact(value),
        _ => SecurityAttributes::Expanded(value),
    });
    let pins: Vec<PinStatus> = t
        .pins
        .iter()
        .take(16)
        .map(|&(key_reference, enabled, usage_qualifier)| PinStatus {
            key_reference,
            enabled,
            usage_qualifier,
        })
        .collect();
    let sfi = match t.sfi {
        None => Sfi::FromFid,
        Some(None) => Sfi::Unsupported,
        Some(Some(v)) => Sfi::Value(v % 30 + 1),
    };
    let template = FcpTemplate {
        df_name: df_name.as_deref(),
        proprietary,
        life_cycle: t.life_cycle.map(LifeCycleStatus::from_byte),
        security,
        pins: &pins,
        file_size: t.file_size,
        total_size: t.total_size,
        sfi,
        ..FcpTemplate::new(descriptor, t.fid)
    };
    let mut out = vec![0u8; 2048];
    let bytes = template.encode_into(&mut out).expect("room for the template");
    let fcp = Fcp::parse(bytes).expect("an encoded template decodes");
    assert_eq!(fcp.descriptor, descriptor);
    assert_eq!(fcp.fid, t.fid);
    assert_eq!(fcp.df_name, df_name.as_deref());
    assert_eq!(fcp.life_cycle, t.life_cycle.map(LifeCycleStatus::from_byte));
    assert_eq!(fcp.security, security);
    assert_eq!(fcp.file_size, t.file_size);
    assert_eq!(fcp.total_size, t.total_size);
    assert_eq!(fcp.sfi, sfi);
    let decoded: Vec<PinStatus> = fcp.pin_status.map(|p| p.iter().collect()).unwrap_or_default();
    assert_eq!(decoded, pins);
    match (fcp.proprietary, proprietary) {
        (Some(p), Some(info)) => {
            assert_eq!(p.uicc_characteristics(), info.uicc_characteristics);
            assert_eq!(p.available_memory(), info.available_memory);
            assert_eq!(p.supported_commands(), info.supported_commands);
        }
        (None, None) => {}
        (got, wanted) => panic!("proprietary {got:?} for {wanted:?}"),
    }
    let summary = FileSummary::from_fcp(&fcp);
    assert_eq!(summary.kind, fcp.kind());
    assert_eq!(summary.codes().count(), pins.len());
}

fuzz_target!(|case: Case| {
    let mut out = [0u8; 32];
    match case {
        Case::Uicc(template) => uicc(template),
        Case::GsmDirectory { fid, is_mf, characteristics, codes, free, dfs, efs } => {
            let mut directory =
                Directory::new(fid, is_mf, FileCharacteristics(characteristics), codes.map(CodeStatus));
            directory.free_memory = free;
            directory.df_count = dfs;
            directory.ef_count = efs;
            let n = directory.encode_into(&mut out).unwrap();
            assert_eq!(Directory::parse(&out[..n]), Ok(directory));
            let summary = FileSummary::from_response(&out[..n]).unwrap();
            assert_eq!(summary.fid, Some(fid));
            let attempts: Vec<Option<u8>> = summary.codes().map(|c| c.attempts_left).collect();
            assert_eq!(attempts.len(), 4);
            // TS 51.011 §9.2.1 bytes 19–22: b4–b1 count only when b8 says the
            // code is initialised.
            for (got, code) in attempts.iter().zip(codes) {
                assert_eq!(*got, (code & 0x80 != 0).then_some(code & 0x0F));
            }
        }
        Case::GsmEf { fid, structure, size, record_length, access, status, increase } => {
            let structure = STRUCTURES[usize::from(structure % 3)];
            let [read, update, inc, rehabilitate, invalidate] = access.map(AccessCondition::from_nibble);
            let mut ef = Ef::new(fid, structure, size, record_length, read, update);
            ef.access.increase = inc;
            ef.access.rehabilitate = rehabilitate;
            ef.access.invalidate = invalidate;
            ef.status = FileStatus::from_bits_retain(status);
            ef.increase_allowed = increase;
            let n = ef.encode_into(&mut out).unwrap();
            assert_eq!(Ef::parse(&out[..n]), Ok(ef));
            for nibble in access {
                assert_eq!(AccessCondition::from_nibble(nibble).to_nibble(), nibble & 0x0F);
            }
            let summary = FileSummary::from_response(&out[..n]).unwrap();
            assert_eq!(summary.structure, Some(structure));
            assert_eq!(summary.record_count, ef.record_count());
        }
    }
});
