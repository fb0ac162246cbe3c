//! File identifiers and paths of the files this crate reads: TS 51.011 §10.7
//! (the classic SIM's tree), TS 102 221 §13 (MF-level files of a UICC) and
//! TS 31.102 §4.2 (ADF.USIM).
//!
//! The one list of file identifiers: the host-side session selects by these,
//! the virtual SIM builds its tree from [`FILES`]. Each [`File`] carries its
//! path from the MF and, for EFs, the structure and size the specifications
//! give, so that both sides agree without a second table.
//!
//! ```
//! use simcore::fs::{self, Fid};
//! assert_eq!(fs::EF_IMSI.path, &[Fid::MF, Fid::DF_GSM, Fid(0x6F07)]);
//! assert_eq!(fs::EF_IMSI.path_from_mf(), &[Fid::DF_GSM, Fid(0x6F07)]);
//! assert_eq!(fs::lookup(Fid::DF_TELECOM, Fid(0x6F40)).map(|f| f.name), Some("EF_MSISDN"));
//! ```

use crate::fcp::{EfStructure, FileKind};
use core::fmt;

/// A two-byte file identifier (TS 102 221 §8.3). `Debug` shows it in hex as
/// the specifications write it: `Fid(6F07)`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fid(pub u16);

impl fmt::Debug for Fid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fid({:04X})", self.0)
    }
}

impl Fid {
    /// MF, 3F00 (TS 102 221 §8.3; TS 51.011 §10.7).
    pub const MF: Fid = Fid(0x3F00);
    /// DF_TELECOM, 7F10 (TS 51.011 §10.7).
    pub const DF_TELECOM: Fid = Fid(0x7F10);
    /// DF_GSM, 7F20 (TS 51.011 §10.7).
    pub const DF_GSM: Fid = Fid(0x7F20);
    /// The current application's ADF, 7FFF, usable as the first FID of a path
    /// (TS 102 221 §8.4.2).
    pub const CURRENT_ADF: Fid = Fid(0x7FFF);

    /// The two bytes, as SELECT sends them (TS 102 221 §8.3).
    #[must_use]
    pub const fn to_bytes(self) -> [u8; 2] {
        self.0.to_be_bytes()
    }
}

/// `3F00`.
impl fmt::Display for Fid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04X}", self.0)
    }
}

/// The AID prefix of a USIM application, RID A000000087 and application code
/// 1002 (TS 101 220 annex E; the full AID in EF_DIR adds country and provider).
pub const USIM_AID_PREFIX: [u8; 7] = [0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02];

/// The AID prefix of an ISIM application, RID A000000087 and application code
/// 1004 (TS 101 220 annex E, TS 31.103 §4.1).
pub const ISIM_AID_PREFIX: [u8; 7] = [0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x04];

/// A file of the SIM/USIM tree (TS 51.011 §10.7, TS 102 221 §13, TS 31.102 §4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct File {
    /// The name used in the specifications (`EF_IMSI`; TS 51.011 §10.7,
    /// TS 102 221 §13, TS 31.102 §4.2).
    pub name: &'static str,
    /// Its identifier (TS 102 221 §8.3).
    pub fid: Fid,
    /// Every FID from the MF down to the file, both included (TS 102 221
    /// §8.4.2); USIM files start with [`Fid::CURRENT_ADF`] (select ADF.USIM by
    /// AID first).
    pub path: &'static [Fid],
    /// MF, DF, ADF or working EF (TS 51.011 §10.7, TS 102 221 §13, TS 31.102
    /// §4.2).
    pub kind: FileKind,
    /// The EF structure (TS 51.011 §10, TS 102 221 §13, TS 31.102 §4.2).
    pub structure: Option<EfStructure>,
    /// The size in bytes of a transparent EF with a fixed size, or the minimum
    /// record length of a record EF (14 for dialling numbers), as TS 51.011
    /// §10, TS 102 221 §13 or TS 31.102 §4.2 give it.
    pub size: Option<u16>,
    /// The clause that defines the file (in TS 51.011 §10, TS 102 221 §13 or
    /// TS 31.102 §4.2).
    pub clause: &'static str,
    /// The short file identifier the specification assigns (TS 102 221 §13
    /// for EF_ICCID and EF_DIR, TS 31.102 §4.2 for the USIM's EFs), usable
    /// with READ BINARY / READ RECORD on a UICC (TS 102 221 §11.1.3, §11.1.5).
    pub sfi: Option<u8>,
}

impl File {
    /// The same file with short file identifier `sfi` (TS 102 221 §13,
    /// TS 31.102 §4.2).
    #[must_use]
    pub const fn with_sfi(mut self, sfi: u8) -> File {
        self.sfi = Some(sfi);
        self
    }

    /// The path without the MF, as SELECT by path from the MF (P1 = 08) takes
    /// it (TS 102 221 §8.4.2).
    #[must_use]
    pub fn path_from_mf(&self) -> &'static [Fid] {
        match self.path.split_first() {
            Some((&Fid::MF, rest)) => rest,
            _ => self.path,
        }
    }

    /// The parent DF's FID (`None` for the MF and ADF.USIM; TS 51.011 §10.7,
    /// TS 31.102 §4.2).
    #[must_use]
    pub fn parent(&self) -> Option<Fid> {
        self.path.len().checked_sub(2).and_then(|i| self.path.get(i)).copied()
    }
}

const fn ef(
    name: &'static str,
    fid: u16,
    path: &'static [Fid],
    structure: EfStructure,
    size: u16,
    clause: &'static str,
) -> File {
    File {
        name,
        fid: Fid(fid),
        path,
        kind: FileKind::WorkingEf,
        structure: Some(structure),
        size: Some(size),
        clause,
        sfi: None,
    }
}

/// MF, TS 51.011 §10.7 / TS 102 221 §13.
pub const MF: File = File {
    name: "MF",
    fid: Fid::MF,
    path: &[Fid::MF],
    kind: FileKind::Mf,
    structure: None,
    size: None,
    clause: "TS 51.011 §10.7",
    sfi: None,
};
/// DF_TELECOM, TS 51.011 §10.7.
pub const DF_TELECOM: File = File {
    name: "DF_TELECOM",
    fid: Fid::DF_TELECOM,
    path: &[Fid::MF, Fid::DF_TELECOM],
    kind: FileKind::Df,
    structure: None,
    size: None,
    clause: "TS 51.011 §10.7",
    sfi: None,
};
/// DF_GSM, TS 51.011 §10.7.
pub const DF_GSM: File = File {
    name: "DF_GSM",
    fid: Fid::DF_GSM,
    path: &[Fid::MF, Fid::DF_GSM],
    kind: FileKind::Df,
    structure: None,
    size: None,
    clause: "TS 51.011 §10.7",
    sfi: None,
};
/// ADF.USIM, selected by AID ([`USIM_AID_PREFIX`]), TS 31.102 §4.2.
pub const ADF_USIM: File = File {
    name: "ADF_USIM",
    fid: Fid::CURRENT_ADF,
    path: &[Fid::CURRENT_ADF],
    kind: FileKind::Adf,
    structure: None,
    size: None,
    clause: "TS 31.102 §4.2",
    sfi: None,
};

/// EF_ICCID 2FE2 under the MF: transparent, 10 bytes, SFI 02 on a UICC (TS 51.011
/// §10.1.1, TS 102 221 §13.2).
pub const EF_ICCID: File =
    ef("EF_ICCID", 0x2FE2, &[Fid::MF, Fid(0x2FE2)], EfStructure::Transparent, 10, "TS 51.011 §10.1.1")
        .with_sfi(0x02);
/// EF_DIR 2F00 under the MF: linear fixed, one application template per
/// record; it names ADF.USIM by its AID; SFI 1E (TS 102 221 §13.1). UICC only.
pub const EF_DIR: File =
    ef("EF_DIR", 0x2F00, &[Fid::MF, Fid(0x2F00)], EfStructure::LinearFixed, 4, "TS 102 221 §13.1")
        .with_sfi(0x1E);
/// EF_IMSI 6F07 under DF_GSM: transparent, 9 bytes (TS 51.011 §10.3.2).
pub const EF_IMSI: File = ef(
    "EF_IMSI",
    0x6F07,
    &[Fid::MF, Fid::DF_GSM, Fid(0x6F07)],
    EfStructure::Transparent,
    9,
    "TS 51.011 §10.3.2",
);
/// EF_Kc 6F20 under DF_GSM: transparent, 9 bytes (TS 51.011 §10.3.3).
pub const EF_KC: File = ef(
    "EF_Kc",
    0x6F20,
    &[Fid::MF, Fid::DF_GSM, Fid(0x6F20)],
    EfStructure::Transparent,
    9,
    "TS 51.011 §10.3.3",
);
/// EF_ACC 6F78 under DF_GSM: transparent, 2 bytes (TS 51.011 §10.3.15).
pub const EF_ACC: File = ef(
    "EF_ACC",
    0x6F78,
    &[Fid::MF, Fid::DF_GSM, Fid(0x6F78)],
    EfStructure::Transparent,
    2,
    "TS 51.011 §10.3.15",
);
/// EF_PLMNsel 6F30 under DF_GSM: transparent, 3 bytes per PLMN, 24 or more (TS 51.011 §10.3.4).
pub const EF_PLMNSEL: File = ef(
    "EF_PLMNsel",
    0x6F30,
    &[Fid::MF, Fid::DF_GSM, Fid(0x6F30)],
    EfStructure::Transparent,
    24,
    "TS 51.011 §10.3.4",
);
/// EF_SPN 6F46 under DF_GSM: transparent, 17 bytes (TS 51.011 §10.3.11).
pub const EF_SPN: File = ef(
    "EF_SPN",
    0x6F46,
    &[Fid::MF, Fid::DF_GSM, Fid(0x6F46)],
    EfStructure::Transparent,
    17,
    "TS 51.011 §10.3.11",
);
/// EF_FPLMN 6F7B under DF_GSM: transparent, 12 bytes (TS 51.011 §10.3.16).
pub const EF_FPLMN: File = ef(
    "EF_FPLMN",
    0x6F7B,
    &[Fid::MF, Fid::DF_GSM, Fid(0x6F7B)],
    EfStructure::Transparent,
    12,
    "TS 51.011 §10.3.16",
);
/// EF_LOCI 6F7E under DF_GSM: transparent, 11 bytes (TS 51.011 §10.3.17).
pub const EF_LOCI: File = ef(
    "EF_LOCI",
    0x6F7E,
    &[Fid::MF, Fid::DF_GSM, Fid(0x6F7E)],
    EfStructure::Transparent,
    11,
    "TS 51.011 §10.3.17",
);
/// EF_AD 6FAD under DF_GSM: transparent, 3 bytes or more (4 with the MNC length) (TS 51.011 §10.3.18).
pub const EF_AD: File = ef(
    "EF_AD",
    0x6FAD,
    &[Fid::MF, Fid::DF_GSM, Fid(0x6FAD)],
    EfStructure::Transparent,
    4,
    "TS 51.011 §10.3.18",
);

/// EF_ADN 6F3A under DF_TELECOM: linear fixed, X + 14 bytes (TS 51.011 §10.5.1).
pub const EF_ADN: File = ef(
    "EF_ADN",
    0x6F3A,
    &[Fid::MF, Fid::DF_TELECOM, Fid(0x6F3A)],
    EfStructure::LinearFixed,
    14,
    "TS 51.011 §10.5.1",
);
/// EF_MSISDN 6F40 under DF_TELECOM: linear fixed, X + 14 bytes (TS 51.011 §10.5.5).
pub const EF_MSISDN: File = ef(
    "EF_MSISDN",
    0x6F40,
    &[Fid::MF, Fid::DF_TELECOM, Fid(0x6F40)],
    EfStructure::LinearFixed,
    14,
    "TS 51.011 §10.5.5",
);

/// EF_IMSI 6F07 in ADF.USIM, SFI 07 (TS 31.102 §4.2.2).
pub const USIM_EF_IMSI: File =
    ef("EF_IMSI", 0x6F07, &[Fid::CURRENT_ADF, Fid(0x6F07)], EfStructure::Transparent, 9, "TS 31.102 §4.2.2")
        .with_sfi(0x07);
/// EF_SPN 6F46 in ADF.USIM (TS 31.102 §4.2.12).
pub const USIM_EF_SPN: File =
    ef("EF_SPN", 0x6F46, &[Fid::CURRENT_ADF, Fid(0x6F46)], EfStructure::Transparent, 17, "TS 31.102 §4.2.12");
/// EF_FPLMN 6F7B in ADF.USIM, SFI 0D: 3n bytes, n ≥ 4 (TS 31.102 §4.2.16).
pub const USIM_EF_FPLMN: File = ef(
    "EF_FPLMN",
    0x6F7B,
    &[Fid::CURRENT_ADF, Fid(0x6F7B)],
    EfStructure::Transparent,
    12,
    "TS 31.102 §4.2.16",
)
.with_sfi(0x0D);
/// EF_LOCI 6F7E in ADF.USIM, SFI 0B (TS 31.102 §4.2.17).
pub const USIM_EF_LOCI: File = ef(
    "EF_LOCI",
    0x6F7E,
    &[Fid::CURRENT_ADF, Fid(0x6F7E)],
    EfStructure::Transparent,
    11,
    "TS 31.102 §4.2.17",
)
.with_sfi(0x0B);
/// EF_AD 6FAD in ADF.USIM, SFI 03 (TS 31.102 §4.2.18).
pub const USIM_EF_AD: File =
    ef("EF_AD", 0x6FAD, &[Fid::CURRENT_ADF, Fid(0x6FAD)], EfStructure::Transparent, 4, "TS 31.102 §4.2.18")
        .with_sfi(0x03);
/// EF_MSISDN 6F40 in ADF.USIM (TS 31.102 §4.2.26).
pub const USIM_EF_MSISDN: File = ef(
    "EF_MSISDN",
    0x6F40,
    &[Fid::CURRENT_ADF, Fid(0x6F40)],
    EfStructure::LinearFixed,
    14,
    "TS 31.102 §4.2.26",
);

/// EF_UST 6F38 in ADF.USIM, SFI 04: the USIM service table, one bit per
/// service, as long as the highest service needs (TS 31.102 §4.2.8;
/// [`crate::ef::ServiceTable`]). The size here is the Release 17 table's
/// (146 services).
pub const USIM_EF_UST: File =
    ef("EF_UST", 0x6F38, &[Fid::CURRENT_ADF, Fid(0x6F38)], EfStructure::Transparent, 19, "TS 31.102 §4.2.8")
        .with_sfi(0x04);
/// EF_EHPLMN 6FD9 in ADF.USIM, SFI 1D: equivalent home PLMNs, 3 bytes each,
/// as many as the operator lists, so no fixed size (TS 31.102 §4.2.84;
/// [`crate::ef::PlmnList`]).
pub const USIM_EF_EHPLMN: File = File {
    name: "EF_EHPLMN",
    fid: Fid(0x6FD9),
    path: &[Fid::CURRENT_ADF, Fid(0x6FD9)],
    kind: FileKind::WorkingEf,
    structure: Some(EfStructure::Transparent),
    size: None,
    clause: "TS 31.102 §4.2.84",
    sfi: Some(0x1D),
};

/// Every file above, parents before children (TS 51.011 §10.7, TS 102 221 §13, TS 31.102 §4.2).
pub const FILES: [File; 24] = [
    MF,
    EF_ICCID,
    EF_DIR,
    DF_TELECOM,
    EF_ADN,
    EF_MSISDN,
    DF_GSM,
    EF_IMSI,
    EF_KC,
    EF_PLMNSEL,
    EF_SPN,
    EF_FPLMN,
    EF_LOCI,
    EF_AD,
    EF_ACC,
    ADF_USIM,
    USIM_EF_IMSI,
    USIM_EF_SPN,
    USIM_EF_FPLMN,
    USIM_EF_LOCI,
    USIM_EF_AD,
    USIM_EF_MSISDN,
    USIM_EF_UST,
    USIM_EF_EHPLMN,
];

/// The file `fid` whose parent is `parent` (the MF's parent is the MF itself) (TS 51.011 §10.7).
#[must_use]
pub fn lookup(parent: Fid, fid: Fid) -> Option<&'static File> {
    FILES.iter().find(|f| f.fid == fid && f.parent().unwrap_or(Fid::MF) == parent)
}

/// The file whose path from the MF (MF excluded) is `path` (TS 51.011 §10.7, TS 31.102 §4.2).
#[must_use]
pub fn by_path(path: &[Fid]) -> Option<&'static File> {
    FILES.iter().find(|f| f.path_from_mf() == path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fids_print_in_hex_as_the_specifications_write_them() {
        // TS 51.011 §10.7: EF_IMSI 6F07 under DF_GSM 7F20.
        assert_eq!(std::format!("{:?} {}", EF_IMSI.fid, Fid::DF_GSM), "Fid(6F07) 7F20");
    }

    #[test]
    fn paths_end_in_their_file_and_parents_come_first() {
        for (i, file) in FILES.iter().enumerate() {
            assert_eq!(file.path.last(), Some(&file.fid), "{}", file.name);
            if let Some(parent) = file.parent() {
                let at = FILES.iter().position(|f| f.fid == parent && f.kind != FileKind::WorkingEf).unwrap();
                assert!(at < i, "{} before its parent", file.name);
            }
        }
        assert_eq!(lookup(Fid::MF, Fid(0x2FE2)).map(|f| f.name), Some("EF_ICCID"));
        assert_eq!(lookup(Fid::CURRENT_ADF, Fid(0x6F07)), Some(&USIM_EF_IMSI));
        assert_eq!(by_path(&[Fid::DF_GSM, Fid(0x6F07)]), Some(&EF_IMSI));
        assert_eq!(MF.parent(), None);
    }
}
