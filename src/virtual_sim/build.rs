//! Building a card from a [`CardProfile`]: the tree of [`crate::fs::FILES`]
//! (TS 51.011 §10.7, TS 102 221 §13, TS 31.102 §4.2) with the contents the
//! profile's friendly fields encode through [`crate::ef`], the access
//! conditions of TS 51.011 §10, the files the profile adds or overwrites, and
//! the codes.
//!
//! The USIM's EFs are links to their DF_GSM / DF_TELECOM twins (one body, two
//! paths), so an IMSI written through one is read through the other, as on
//! real cards; EF_UST and EF_EHPLMN are the USIM's own (TS 31.102 §4.2.8,
//! §4.2.84). An `[euicc]` profile adds the ISD-R and the ECASD (GSMA SGP.22,
//! SGP.02) and lists them in EF_DIR after the USIM.

use super::card::{Card, Codes, EuiccApplets};
use super::encode;
use super::files::{Access, Body, FileTree, Kind, NodeId, Structure};
use super::pin::{Chv, MAX_ATTEMPTS, SecretCode, code_from_text};
use super::profile::{
    CardProfile, CodeConfig, CodesConfig, DEFAULT_CODES, FileConfig, ProfileError, parse_path,
};
use crate::ef::{
    Ad, Iccid, Imsi, Lai, Loci, MncLength, OperationMode, Plmn, PlmnList, ServiceTable, Spn, SpnDisplay,
    UpdateStatus,
};
use crate::fcp::FileKind;
use crate::fs::{self, Fid};
use crate::profile::Profile;
use std::vec::Vec;

// The default files' identifiers, from the one table in [`crate::fs`].
const ICCID: u16 = fs::EF_ICCID.fid.0;
const DIR: u16 = fs::EF_DIR.fid.0;
const IMSI: u16 = fs::EF_IMSI.fid.0;
const KC: u16 = fs::EF_KC.fid.0;
const ACC: u16 = fs::EF_ACC.fid.0;
const PLMNSEL: u16 = fs::EF_PLMNSEL.fid.0;
const LOCI: u16 = fs::EF_LOCI.fid.0;
const AD: u16 = fs::EF_AD.fid.0;
const SPN: u16 = fs::EF_SPN.fid.0;
const ADN: u16 = fs::EF_ADN.fid.0;
const MSISDN: u16 = fs::EF_MSISDN.fid.0;
const UST: u16 = fs::USIM_EF_UST.fid.0;
const EHPLMN: u16 = fs::USIM_EF_EHPLMN.fid.0;

/// Record length of EF_MSISDN and EF_ADN: 14 + a 14-character alpha identifier.
const DIALLING_RECORD_LEN: usize = 28;
/// Record length of EF_DIR.
const DIR_RECORD_LEN: usize = 32;
/// Bytes of EF_UST at least: services 1–152 (TS 31.102 Release 17 defines 146).
const UST_LEN: usize = 19;
/// Bytes of EF_EHPLMN at least: 4 entries.
const EHPLMN_LEN: usize = 12;

/// READ and UPDATE access of the default files (TS 51.011 §10.1–§10.5, TS 102
/// 221 §13.1, TS 31.102 §4.2; EF_ICCID is never updated; EF_IMSI, EF_ACC,
/// EF_UST and EF_EHPLMN need ADM).
fn access(fid: u16) -> (Access, Access) {
    let adm = Access::Adm(0x0A);
    match fid {
        ICCID => (Access::Always, Access::Never),
        DIR | AD | SPN => (Access::Always, adm),
        // EF_IMSI, EF_ACC; EF_UST and EF_EHPLMN (TS 31.102 §4.2.8, §4.2.84: READ PIN, UPDATE ADM).
        IMSI | ACC | UST | EHPLMN => (Access::Chv1, adm),
        _ => (Access::Chv1, Access::Chv1),
    }
}

fn invalid(field: &str, error: impl core::fmt::Display) -> ProfileError {
    ProfileError::invalid(field, error)
}

/// A file's content: at most 65535 bytes, what a file size can say (TS 51.011
/// §9.2.1 bytes 3–4; the same bound as `size`).
fn file_data(field: &str, text: &str) -> Result<Vec<u8>, ProfileError> {
    let data = hex(field, text)?;
    if data.len() > 0xFFFF {
        return Err(invalid(field, "a file holds at most 65535 bytes"));
    }
    Ok(data)
}

fn hex(field: &str, text: &str) -> Result<Vec<u8>, ProfileError> {
    crate::hex::decode(text).map_err(|e| invalid(field, e))
}

/// The AID of ADF.USIM.
fn usim_aid(profile: &CardProfile) -> Result<Vec<u8>, ProfileError> {
    let aid = hex("usim_aid", profile.usim_aid.as_deref().unwrap_or(super::profile::DEFAULT_USIM_AID))?;
    if !(5..=16).contains(&aid.len()) {
        return Err(invalid("usim_aid", "an AID has 5 to 16 bytes (ISO/IEC 7816-4 §8.2.1.2)"));
    }
    Ok(aid)
}

/// The eUICC applications of `profile`.
fn euicc(profile: &CardProfile) -> Result<Option<EuiccApplets>, ProfileError> {
    let Some(config) = profile.euicc.as_ref().filter(|_| profile.personality != Profile::Sim) else {
        return Ok(None);
    };
    let eid = crate::euicc::Eid::parse(config.eid.as_deref().unwrap_or(super::profile::DEFAULT_EID))
        .map_err(|e| invalid("euicc.eid", e))?;
    let isd_r_aid = match (config.isd_r.unwrap_or(true), config.isd_r_aid.as_deref()) {
        (false, _) => None,
        (true, None) => Some(crate::euicc::ISD_R_AID.to_vec()),
        (true, Some(text)) => {
            let aid = hex("euicc.isd_r_aid", text)?;
            if !(5..=16).contains(&aid.len()) {
                return Err(invalid("euicc.isd_r_aid", "an AID has 5 to 16 bytes (ISO/IEC 7816-4 §8.2.1.2)"));
            }
            Some(aid)
        }
    };
    Ok(Some(EuiccApplets { eid: *eid.as_bytes(), isd_r_aid, ecasd: config.ecasd.unwrap_or(true) }))
}

/// EF_DIR: the USIM, then an eUICC's ISD-R and ECASD, then one spare record.
fn dir(aid: &[u8], euicc: Option<&EuiccApplets>) -> Vec<u8> {
    let mut records = Vec::with_capacity(DIR_RECORD_LEN * 4);
    let mut add = |aid: &[u8], label: &[u8]| {
        let start = records.len();
        encode::dir_record(&mut records, aid, label);
        records.resize(start + DIR_RECORD_LEN, 0xFF);
    };
    add(aid, b"USIM");
    if let Some(euicc) = euicc {
        if let Some(isd_r) = &euicc.isd_r_aid {
            add(isd_r, b"ISD-R");
        }
        if euicc.ecasd {
            add(&crate::euicc::ECASD_AID, b"ECASD");
        }
    }
    records.resize(records.len() + DIR_RECORD_LEN, 0xFF);
    records
}

/// The content of a default EF.
fn content(file: &fs::File, profile: &CardProfile, aid: &[u8]) -> Result<Body, ProfileError> {
    let (read, update) = access(file.fid.0);
    let size = usize::from(file.size.unwrap_or(1));
    let imsi_text = profile.imsi.as_deref().unwrap_or(super::profile::DEFAULT_IMSI);
    let imsi = Imsi::parse(imsi_text).map_err(|e| invalid("imsi", e))?;
    let mnc_length = match profile.mnc_length.unwrap_or(2) {
        2 => MncLength::Two,
        3 => MncLength::Three,
        _ => return Err(invalid("mnc_length", "the MNC has 2 or 3 digits")),
    };
    let home = imsi.plmn(mnc_length).to_bytes();
    let transparent = |data: Vec<u8>| Ok(Body::transparent(data, read, update));
    match file.fid.0 {
        ICCID => {
            let text = profile.iccid.as_deref().unwrap_or(super::profile::DEFAULT_ICCID);
            let iccid = Iccid::parse(text).map_err(|e| invalid("iccid", e))?;
            transparent(iccid.to_ef().to_vec())
        }
        IMSI => transparent(imsi.to_ef().to_vec()),
        // EF_Kc: no key yet, CKSN 07 (TS 51.011 §10.3.3).
        KC => transparent([[0xFF; 8].as_slice(), &[0x07]].concat()),
        // EF_ACC: the access class is the IMSI's last digit (TS 22.011 §4.2), one bit
        // of ACC15..ACC0 (TS 51.011 §10.3.15).
        ACC => {
            let class = imsi.as_str().bytes().last().map_or(0, |d| d.saturating_sub(b'0') % 10);
            transparent((1u16 << class).to_be_bytes().to_vec())
        }
        AD => {
            let mut out = [0u8; 4];
            let n = Ad::new(OperationMode::Normal, false, Some(mnc_length))
                .encode_into(&mut out)
                .map_err(|e| invalid("mnc_length", e))?;
            transparent(out.get(..n).unwrap_or_default().to_vec())
        }
        SPN => {
            let mut out = [0xFFu8; Spn::EF_LEN];
            let name = profile.spn.as_deref().unwrap_or(super::profile::DEFAULT_SPN);
            Spn::encode_into(SpnDisplay::REGISTERED_PLMN_IN_HPLMN, name, &mut out)
                .map_err(|e| invalid("spn", e))?;
            transparent(out.to_vec())
        }
        PLMNSEL => {
            let mut data = std::vec![0xFF; size.max(24)];
            data.iter_mut().zip(home).for_each(|(d, h)| *d = h);
            transparent(data)
        }
        LOCI => {
            let lai = Lai { plmn: None, lac: 0xFFFE };
            transparent(Loci::new([0xFF; 4], lai, 0xFF, UpdateStatus::NotUpdated).to_ef().to_vec())
        }
        MSISDN | ADN => {
            let count = if file.fid.0 == MSISDN { 2 } else { 10 };
            let mut data = std::vec![0xFF; DIALLING_RECORD_LEN * count];
            if file.fid.0 == MSISDN {
                let number = profile.msisdn.as_deref().unwrap_or(super::profile::DEFAULT_MSISDN);
                let first = data.get_mut(..DIALLING_RECORD_LEN).unwrap_or_default();
                crate::ef::DiallingNumber::encode_into("", number, first)
                    .map_err(|e| invalid("msisdn", e))?;
            }
            Ok(Body::records(Structure::LinearFixed, DIALLING_RECORD_LEN, data, read, update))
        }
        DIR => {
            let records = dir(aid, euicc(profile)?.as_ref());
            Ok(Body::records(Structure::LinearFixed, DIR_RECORD_LEN, records, read, update))
        }
        // EF_UST: the profile's services, at least the 19 bytes of the Release 17 table.
        UST => {
            let services = profile.usim_services.as_deref().unwrap_or(&super::profile::DEFAULT_USIM_SERVICES);
            let mut table = std::vec![0u8; 256];
            let len =
                ServiceTable::encode_into(services, &mut table).map_err(|e| invalid("usim_services", e))?;
            table.truncate(len.max(UST_LEN));
            transparent(table)
        }
        // EF_EHPLMN: the profile's list, else the home PLMN; at least 4 entries, FF-padded.
        EHPLMN => {
            let plmns = match &profile.ehplmn {
                Some(list) => list
                    .iter()
                    .map(|text| Plmn::parse(text).map_err(|e| invalid("ehplmn", e)))
                    .collect::<Result<Vec<_>, _>>()?,
                None => std::vec![imsi.plmn(mnc_length)],
            };
            let mut data = std::vec![0xFF; (3 * plmns.len()).max(EHPLMN_LEN)];
            PlmnList::encode_into(&plmns, &mut data).map_err(|e| invalid("ehplmn", e))?;
            transparent(data)
        }
        _ => transparent(std::vec![0xFF; size]),
    }
}

/// The tree of `profile` before its `files` are applied.
fn default_tree(profile: &CardProfile) -> Result<FileTree, ProfileError> {
    let uicc = profile.personality != Profile::Sim;
    let aid = usim_aid(profile)?;
    let mut tree = FileTree::new();
    for file in &fs::FILES {
        let path: Vec<u16> = file.path_from_mf().iter().map(|f| f.0).collect();
        let Some((&fid, parent_path)) = path.split_last() else { continue };
        let Some(parent) = tree.by_path(parent_path) else { continue };
        match file.kind {
            FileKind::Mf => {}
            FileKind::Df => {
                tree.add_df(parent, fid, None);
            }
            FileKind::Adf if uicc => {
                tree.add_df(parent, fid, Some(aid.clone()));
            }
            FileKind::Adf => {}
            FileKind::WorkingEf | FileKind::InternalEf => {
                if fid == fs::EF_DIR.fid.0 && !uicc {
                    continue;
                }
                let sfi = if uicc { file.sfi } else { None };
                // A USIM EF with a twin under DF_GSM or DF_TELECOM shares its body.
                let twin = fs::FILES
                    .iter()
                    .filter(|f| f.fid == file.fid && f.path.first() == Some(&Fid::MF) && f.kind.is_ef())
                    .find_map(|f| {
                        tree.by_path(f.path_from_mf().iter().map(|x| x.0).collect::<Vec<_>>().as_slice())
                    });
                let linked = match twin {
                    Some(twin) if parent_path.first() == Some(&Fid::CURRENT_ADF.0) => {
                        tree.add_link(parent, fid, sfi, twin)
                    }
                    _ => None,
                };
                if linked.is_none() {
                    tree.add_ef(parent, fid, sfi, content(file, profile, &aid)?);
                }
            }
        }
    }
    Ok(tree)
}

/// Apply one `[files]` entry.
fn apply_file(tree: &mut FileTree, key: &str, config: &FileConfig) -> Result<(), ProfileError> {
    let path = parse_path(key)?;
    let Some((&fid, parent_path)) = path.split_last() else { return Err(invalid(key, "empty path")) };
    // The DFs on the way, created when missing.
    let mut parent: NodeId = tree.mf();
    for &df in parent_path {
        parent = match tree.child(parent, df) {
            Some(id) if tree.node(id).is_some_and(super::files::Node::is_df) => id,
            Some(_) => return Err(invalid(key, "an EF cannot hold files")),
            None => tree.add_df(parent, df, None),
        };
    }
    let existing = tree.child(parent, fid);
    if existing.is_some_and(|id| tree.node(id).is_some_and(super::files::Node::is_df)) {
        return Err(invalid(key, "names a DF; only EFs have content"));
    }
    match config {
        FileConfig::Hex(text) => {
            let data = file_data(key, text)?;
            match existing.and_then(|id| tree.body_mut(id)) {
                Some(body) => {
                    if body.structure() != Structure::Transparent
                        && data.len() % body.record_len().max(1) != 0
                    {
                        return Err(invalid(key, "the data is not a whole number of records"));
                    }
                    body.set_data(data);
                }
                None => {
                    tree.add_ef(
                        parent,
                        fid,
                        None,
                        Body::transparent(data, Access::Always, Access::Adm(0x0A)),
                    );
                }
            }
        }
        FileConfig::Full { structure, record_length, data, size, read, update, sfi } => {
            let mut bytes = match data {
                Some(text) => file_data(key, text)?,
                None => Vec::new(),
            };
            if let Some(size) = *size {
                if size < bytes.len() || size > 0xFFFF {
                    return Err(invalid(key, "size is smaller than the data or above 65535"));
                }
                bytes.resize(size, 0xFF);
            }
            if sfi.is_some_and(|s| !crate::fcp::uicc::Sfi::is_valid(s)) {
                return Err(invalid(key, "an SFI is 1 to 30"));
            }
            let read = read.map_or(Access::Always, Access::from);
            let update = update.map_or(Access::Adm(0x0A), Access::from);
            let structure = structure.map_or(Structure::Transparent, Structure::from);
            let body = if structure == Structure::Transparent {
                Body::transparent(bytes, read, update)
            } else {
                let record_len = record_length
                    .filter(|l| (1..=255).contains(l))
                    .ok_or_else(|| invalid(key, "a record EF needs record_length 1 to 255"))?;
                if bytes.len() % record_len != 0 || bytes.is_empty() {
                    return Err(invalid(key, "the data is not a whole, non-zero number of records"));
                }
                Body::records(structure, record_len, bytes, read, update)
            };
            tree.add_ef(parent, fid, *sfi, body);
            if let Some(id) = tree.child(parent, fid) {
                tree.set_sfi(id, *sfi);
            }
        }
    }
    Ok(())
}

/// The code named `name` as `codes` describes it (its default when absent), and whether it is
/// enabled (TS 51.011 §9.3, TS 102 221 §9.5).
pub fn code(codes: &CodesConfig, name: &str) -> Result<(SecretCode, bool), ProfileError> {
    let default = DEFAULT_CODES.iter().find(|(n, _)| *n == name).map_or("", |(_, v)| *v);
    let config = codes.get(name).cloned().unwrap_or_else(|| CodeConfig::Value(default.into()));
    let value = code_from_text(config.value())
        .filter(|_| !config.value().is_empty())
        .ok_or_else(|| invalid(name, "a code has 1 to 8 characters"))?;
    // A counter is 4 bits (63 CX, TS 102 221 §10.2.1.3; TS 51.011 §9.2.1
    // bytes 19–22): out-of-range numbers are refused, not cut down.
    if let CodeConfig::Full { attempts_left, max_attempts, .. } = config {
        let max = max_attempts.unwrap_or(CodesConfig::default_max(name));
        if max > MAX_ATTEMPTS {
            return Err(invalid(
                name,
                format_args!("max_attempts is at most {MAX_ATTEMPTS} (a 4-bit counter)"),
            ));
        }
        if attempts_left.is_some_and(|left| left > max) {
            return Err(invalid(name, format_args!("attempts_left is at most max_attempts ({max})")));
        }
    }
    let (left, max) = config.counters(CodesConfig::default_max(name));
    Ok((SecretCode::new(value, left, max), config.enabled()))
}

/// The codes of `profile`.
fn codes(profile: &CardProfile) -> Result<Codes, ProfileError> {
    let (pin1, pin1_enabled) = code(&profile.codes, "pin1")?;
    let (puk1, _) = code(&profile.codes, "puk1")?;
    let (pin2, pin2_enabled) = code(&profile.codes, "pin2")?;
    let (puk2, _) = code(&profile.codes, "puk2")?;
    let (adm, _) = code(&profile.codes, "adm")?;
    Ok(Codes {
        pin1: Chv::new(pin1, Some(puk1), pin1_enabled),
        pin2: Chv::new(pin2, Some(puk2), pin2_enabled),
        adm: Chv::new(adm, None, true),
    })
}

/// The card `profile` describes (TS 51.011 §10.7, TS 102 221 §13, TS 31.102 §4.2).
///
/// # Errors
/// [`ProfileError::Invalid`] naming the field or file at fault.
pub fn card(profile: &CardProfile) -> Result<Card, ProfileError> {
    let mut tree = default_tree(profile)?;
    for (key, config) in &profile.files {
        apply_file(&mut tree, key, config)?;
    }
    let codes = codes(profile)?;
    let card = Card::new(profile.personality, tree, codes);
    Ok(match euicc(profile)? {
        Some(applets) => card.with_euicc(applets),
        None => card,
    })
}

/// Whether EFs `a` and `b` share one body (the same file, or a link) (TS 31.102 §4.2).
pub fn same_body(tree: &FileTree, a: NodeId, b: NodeId) -> bool {
    let body_of = |id: NodeId| match tree.node(id).map(super::files::Node::kind) {
        Some(Kind::Ef { body, .. }) => Some(*body),
        _ => None,
    };
    body_of(a).is_some() && body_of(a) == body_of(b)
}

/// Whether `id` is the first node of its body (links come after their twin) (TS 31.102 §4.2).
pub fn is_first_of_body(tree: &FileTree, id: NodeId) -> bool {
    (0..tree.nodes().len()).find(|&k| same_body(tree, k, id)) == Some(id)
}
