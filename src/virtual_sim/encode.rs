//! What the virtual card says about its files, on top of the crate's one FCP
//! layout ([`crate::fcp`]): the TS 51.011 §9.2.1 response to SELECT and STATUS
//! with the live CHV status bytes, the ETSI TS 102 221 §11.1.1.4 FCP template
//! with the live PIN status template DO (§9.5.2), and the two records this
//! card generates itself: EF_ARR access rules (ISO/IEC 7816-4 §9.3.3, TS 102
//! 221 §9.2.5) and the EF_DIR application template (ISO/IEC 7816-4 §8.2.1.1,
//! TS 102 221 §13.1).
//!
//! Everything is appended to a caller's `Vec`, which the card reuses, so a
//! SELECT does not allocate once the card is warm.

use super::files::{Access, Body, Kind, Structure};
use crate::codec::TlvWriter;
use crate::fcp::gsm::{self, CodeStatus, FileCharacteristics};
use crate::fcp::uicc::{FcpTemplate, FileDescriptor, PinStatus, ProprietaryInfo, SecurityAttributes, Sfi};
use std::vec::Vec;

/// The live state of the codes that SELECT and STATUS report (TS 51.011 §9.2.1, TS 102 221 §9.5.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeStates {
    /// CHV1 / PIN1 enabled (TS 51.011 §9.2.1 byte 14, TS 102 221 §9.5.2).
    pub pin1_enabled: bool,
    /// CHV2 / PIN2 enabled (TS 102 221 §9.5.2).
    pub pin2_enabled: bool,
    /// Attempts left: CHV1, UNBLOCK CHV1, CHV2, UNBLOCK CHV2 (`None` when the
    /// code is not initialised) (TS 51.011 §9.2.1 bytes 19–22).
    pub attempts: [Option<u8>; 4],
}

/// Secret codes on the card (TS 51.011 §9.2.1 byte 17): CHV1, UNBLOCK CHV1,
/// CHV2, UNBLOCK CHV2 and ADM.
pub const CODE_COUNT: u8 = 5;

/// File characteristics (resolved.md Q4): clock stop allowed with no
/// preferred level (b1), 13/4 MHz (b2), 3 V technology (b5); b8 set when CHV1
/// is disabled (TS 51.011 §9.2.1 byte 14).
pub const fn characteristics(pin1_enabled: bool) -> FileCharacteristics {
    FileCharacteristics(0x13 | if pin1_enabled { 0x00 } else { 0x80 })
}

/// Append `bytes` written by `write` into a stack buffer of 64 bytes.
fn append<F>(out: &mut Vec<u8>, write: F)
where
    F: FnOnce(&mut [u8]) -> usize,
{
    let mut buf = [0u8; 64];
    let len = write(&mut buf);
    out.extend_from_slice(buf.get(..len).unwrap_or_default());
}

/// TS 51.011 §9.2.1, MF or DF: 22 bytes.
pub fn gsm_df(out: &mut Vec<u8>, fid: u16, is_mf: bool, children: (usize, usize), codes: &CodeStates) {
    let status = |a: Option<u8>| a.map_or(CodeStatus(0), CodeStatus::initialised);
    let [a, b, c, d] = codes.attempts.map(status);
    let mut dir = gsm::Directory::new(fid, is_mf, characteristics(codes.pin1_enabled), [a, b, c, d]);
    dir.df_count = u8::try_from(children.0).unwrap_or(u8::MAX);
    dir.ef_count = u8::try_from(children.1).unwrap_or(u8::MAX);
    dir.code_count = CODE_COUNT;
    append(out, |buf| dir.encode_into(buf).unwrap_or(0));
}

/// TS 51.011 §9.2.1, EF: 15 bytes.
pub fn gsm_ef(out: &mut Vec<u8>, fid: u16, body: &Body) {
    let size = u16::try_from(body.data().len()).unwrap_or(u16::MAX);
    let record_len = u8::try_from(body.record_len()).unwrap_or(0);
    let ef = gsm::Ef::new(fid, body.structure(), size, record_len, body.read_access(), body.update_access());
    append(out, |buf| ef.encode_into(buf).unwrap_or(0));
}

/// Key references the PIN status template of the MF and of the DFs outside
/// any application (DF_GSM, DF_TELECOM) lists: the global PIN1 and ADM1
/// (TS 102 221 §9.5.2, table 9.3).
pub const MF_KEY_REFERENCES: [u8; 2] = [0x01, 0x0A];
/// Key references of an ADF and the DFs within it: PIN1, the application's
/// local PIN2 (81) and ADM1 (TS 102 221 §9.4, table 9.3).
pub const DF_KEY_REFERENCES: [u8; 3] = [0x01, 0x81, 0x0A];

/// File identifier of EF_ARR under the MF (TS 102 221 §13.3).
pub const EF_ARR: u16 = 0x2F06;

fn pin_statuses(key_references: &[u8], codes: &CodeStates) -> [PinStatus; 3] {
    let status = |key_reference: u8| PinStatus {
        key_reference,
        enabled: match key_reference {
            0x01 => codes.pin1_enabled,
            0x81 => codes.pin2_enabled,
            _ => true,
        },
        usage_qualifier: None,
    };
    let mut out = [status(0x0A); 3];
    out.iter_mut().zip(key_references).for_each(|(slot, &kr)| *slot = status(kr));
    out
}

/// TS 102 221 §11.1.1.4: the FCP template of a MF, DF or ADF; `in_application`
/// for an ADF or a DF within one, whose PS_DO lists the local PIN2.
pub fn fcp_df(
    out: &mut Vec<u8>,
    fid: u16,
    kind: &Kind,
    arr_record: u8,
    codes: &CodeStates,
    in_application: bool,
) {
    let is_mf = matches!(kind, Kind::Mf);
    let refs: &[u8] = if in_application { &DF_KEY_REFERENCES } else { &MF_KEY_REFERENCES };
    let pins = pin_statuses(refs, codes);
    let [hi, lo] = EF_ARR.to_be_bytes();
    let arr = [hi, lo, arr_record];
    let mut fcp = FcpTemplate::new(FileDescriptor::dedicated(true), Some(fid));
    if let Kind::Df { aid: Some(aid) } = kind {
        fcp.df_name = Some(aid);
    }
    if is_mf {
        // UICC characteristics 71: clock stop allowed, classes A, B, C (resolved.md Q6).
        fcp.proprietary =
            Some(ProprietaryInfo { uicc_characteristics: Some(0x71), ..ProprietaryInfo::default() });
    }
    fcp.security = Some(SecurityAttributes::Referenced(&arr));
    fcp.pins = pins.get(..refs.len()).unwrap_or_default();
    append(out, |buf| fcp.encode_into(buf).map_or(0, <[u8]>::len));
}

/// TS 102 221 §11.1.1.4: the FCP template of an EF.
pub fn fcp_ef(out: &mut Vec<u8>, fid: u16, sfi: Option<u8>, body: &Body, arr_record: u8) {
    let records = (body.structure() != Structure::Transparent).then(|| {
        (u16::try_from(body.record_len()).unwrap_or(0), u8::try_from(body.record_count()).unwrap_or(u8::MAX))
    });
    let [hi, lo] = EF_ARR.to_be_bytes();
    let arr = [hi, lo, arr_record];
    let mut fcp = FcpTemplate::new(FileDescriptor::working_ef(body.structure(), true, records), Some(fid));
    fcp.security = Some(SecurityAttributes::Referenced(&arr));
    fcp.file_size = Some(u32::try_from(body.data().len()).unwrap_or(u32::MAX));
    fcp.sfi = sfi.map_or(Sfi::Unsupported, Sfi::Value);
    append(out, |buf| fcp.encode_into(buf).map_or(0, <[u8]>::len));
}

/// The key reference behind an access condition, `None` for always / never.
const fn key_reference(access: Access) -> Option<u8> {
    match access {
        Access::Chv1 => Some(0x01),
        Access::Chv2 => Some(0x81),
        Access::Adm(_) => Some(0x0A),
        Access::Always | Access::Reserved | Access::Never => None,
    }
}

/// One access mode DO and its security condition DO (ISO/IEC 7816-4 §9.3.3;
/// TS 102 221 §9.2.5): 90 00 always, 97 00 never, A4 {83 key reference, 95 08
/// user authentication} for a code.
fn rule(w: &mut TlvWriter<'_>, access_mode: u8, access: Access) -> Result<(), crate::codec::EncodeError> {
    w.put(0x80, &[access_mode])?;
    match (access, key_reference(access)) {
        (_, Some(kr)) => w.nested(0xA4, |w| {
            w.put(0x83, &[kr])?;
            w.put(0x95, &[0x08])
        }),
        (Access::Always, None) => w.put(0x90, &[]),
        (_, None) => w.put(0x97, &[]),
    }
}

/// An EF_ARR record giving READ (AM b1) to `read` and UPDATE (AM b2) to
/// `update`; `None` for the record of the DFs, whose administrative commands
/// (AM 7F) need ADM (TS 102 221 §13.3, ISO/IEC 7816-4 §9.3.3).
pub fn arr_record(out: &mut Vec<u8>, access: Option<(Access, Access)>) {
    append(out, |buf| {
        let mut w = TlvWriter::new(buf);
        let written = match access {
            None => rule(&mut w, 0x7F, Access::Adm(0xA)),
            Some((read, update)) if read == update => rule(&mut w, 0x03, read),
            Some((read, update)) => rule(&mut w, 0x01, read).and_then(|()| rule(&mut w, 0x02, update)),
        };
        written.map_or(0, |()| w.len())
    });
}

/// An EF_DIR record: application template 61 {4F AID, 50 label} (ISO/IEC
/// 7816-4 §8.2.1.1, TS 102 221 §13.1).
pub fn dir_record(out: &mut Vec<u8>, aid: &[u8], label: &[u8]) {
    append(out, |buf| crate::ef::DirRecord::encode_into(aid, label, buf).unwrap_or(0));
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODES: CodeStates = CodeStates {
        pin1_enabled: false,
        pin2_enabled: true,
        attempts: [Some(3), Some(10), Some(3), Some(10)],
    };

    #[test]
    fn gsm_mf_layout() {
        // vectors.md V91 (a real card, pySim test_decode_select_resp), except for
        // the bytes this card chooses itself: file characteristics (V91: 81, a
        // 5 V card; here 93, 3 V) and the number of codes (ADM counted here).
        let mut out = Vec::new();
        gsm_df(&mut out, 0x3F00, true, (2, 12), &CODES);
        let v91 = crate::hex::decode("0000 0000 3F00 01 0000000000 09 81 02 0C 04 00 838A838A").unwrap();
        assert_eq!(out.len(), 22);
        assert_eq!(out[..13], v91[..13]);
        assert_eq!((out[13], out[16]), (0x93, 0x05));
        assert_eq!(out[14..16], v91[14..16]);
        assert_eq!(out[17..], v91[17..]);
    }

    #[test]
    fn arr_records() {
        // ISO/IEC 7816-4 §9.3.3: AM_DO 80, SC_DO 90 00 (always), A4 CRT with 83 key
        // reference and 95 usage qualifier 08 (TS 102 221 §9.2.5).
        let mut out = Vec::new();
        arr_record(&mut out, Some((Access::Always, Access::Adm(0xA))));
        assert_eq!(out, crate::hex::decode("80 01 01 90 00 80 01 02 A4 06 83 01 0A 95 01 08").unwrap());
        out.clear();
        arr_record(&mut out, Some((Access::Chv1, Access::Chv1)));
        assert_eq!(out, crate::hex::decode("80 01 03 A4 06 83 01 01 95 01 08").unwrap());
        out.clear();
        arr_record(&mut out, Some((Access::Never, Access::Never)));
        assert_eq!(out, crate::hex::decode("80 01 03 97 00").unwrap());
    }

    #[test]
    fn dir_record_layout() {
        let mut out = Vec::new();
        dir_record(&mut out, &[0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02], b"USIM");
        assert_eq!(out, crate::hex::decode("61 0F 4F 07 A0 00 00 00 87 10 02 50 04 55 53 49 4D").unwrap());
    }
}
