//! Card profiles: what a virtual card holds, written as TOML (serde).
//!
//! A profile names the personality (classic SIM, 3GPP TS 51.011, or UICC,
//! ETSI TS 102 221), the ATR (ISO/IEC 7816-3 §8), the identity in friendly
//! form (ICCID, ITU-T E.118; IMSI, TS 23.003; service provider name, TS 51.011
//! §10.3.11; MSISDN, §10.5.5), the secret codes with their counters, and any
//! file by path with raw hex. Everything left out takes the value of the
//! built-in default ([`CardProfile::default`]): a test-network subscription,
//! MCC 001 MNC 01.
//!
//! ```toml
//! personality = "sim"            # or "uicc" (the default)
//! iccid = "89001012345678901239"
//! imsi = "001010123456789"
//! spn = "simcore"
//! msisdn = "+15550100"
//!
//! [codes]
//! pin1 = "1234"                  # or a table:
//! puk1 = { value = "12345678", attempts_left = 10, max_attempts = 10 }
//! pin2 = { value = "5678", enabled = true }
//!
//! [files]
//! "3F00/2FE2" = "98 10 14 30 12 11 81 15 70 02"
//! "3F00/7F10/6F3C" = { structure = "linear-fixed", record_length = 4, data = "00112233 44556677", read = "pin1", update = "pin1" }
//! ```
//!
//! A UICC carries a USIM application (ADF.USIM, TS 31.102) with EF_IMSI, EF_AD,
//! EF_SPN, EF_FPLMN, EF_LOCI and EF_MSISDN shared with DF_GSM / DF_TELECOM, and
//! its own EF_UST (`usim_services`, the available service numbers) and
//! EF_EHPLMN (`ehplmn`, default: the home PLMN). An `[euicc]` table makes the
//! UICC an eUICC (GSMA SGP.22): its ATR announces eUICC functions, EF_DIR
//! lists the ISD-R and the ECASD, and both answer on logical channels.
//!
//! ```toml
//! usim_services = [19, 21, 33, 71]
//! ehplmn = ["001-01", "001-02"]
//!
//! [euicc]
//! eid = "89882119900000000000000000000005"
//! isd_r_aid = "A0000005591010FFFFFFFF8900050500"   # answer at a vendor's AID
//! isd_r = true                                    # false: an M2M card with only the ECASD
//! ecasd = true
//! ```
//!
//! The files are applied after the friendly fields, so a raw EF_ICCID wins
//! over `iccid`. A path is a list of 4-digit identifiers from the MF
//! (`3F00/…`); `7FFF` (or `ADF.USIM`) names ADF.USIM. Missing DFs on the way
//! are created.

use super::files::{Access, Structure};
use super::pin::{DEFAULT_PIN_ATTEMPTS, DEFAULT_PUK_ATTEMPTS, MAX_ATTEMPTS};
use crate::profile::Profile;
use core::fmt;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::string::{String, ToString};
use std::vec::Vec;

/// The default UICC ATR: TA1 96 (Fi 512, Di 32), T=0, T=15 with TA3 C7 (clock
/// stop, classes A, B, C), compact-TLV historical bytes (card service data 31
/// E0, card capabilities 73 FE 21 1B, issuer data "vSIM1"), TCK F0
/// (TS 102 221 §6.3, ISO/IEC 7816-3 §8.2).
pub const DEFAULT_UICC_ATR: &str = "3B 9D 96 80 1F C7 80 31 E0 73 FE 21 1B 55 76 53 49 4D 31 F0";

/// The default eUICC ATR: the UICC one with TD2 3F announcing TB3 82, the
/// first TB after T=15 with b8 and b2 set: "eUICC functions supported" (TS
/// 102 221 table 6.7, resolved Q7); issuer data "vEUIC", TCK 2E (ISO/IEC
/// 7816-3 §8.2.5).
pub const DEFAULT_EUICC_ATR: &str = "3B 9D 96 80 3F C7 82 80 31 E0 73 FE 21 1B 55 76 45 55 49 43 2E";

/// The default EID: pySim's GET EID test vector (vectors.md V101), whose check
/// digits are valid (V103) (GSMA SGP.29).
pub const DEFAULT_EID: &str = "89882119900000000000000000000005";

/// The USIM services available by default (TS 31.102 §4.2.8): 19 service
/// provider name, 21 MSISDN, 33 (shall be set to 1), 71 equivalent HPLMN —
/// the files this card has.
pub const DEFAULT_USIM_SERVICES: [u16; 4] = [19, 21, 33, 71];

/// The default SIM ATR: TA1 94 (Fi 512, Di 8), T=0 only (no TCK), five
/// proprietary historical bytes "VSIM1" (ISO/IEC 7816-3 §8.2).
pub const DEFAULT_SIM_ATR: &str = "3B 15 94 56 53 49 4D 31";

/// The default ICCID: 20 digits, Luhn check digit 9 (ITU-T E.118).
pub const DEFAULT_ICCID: &str = "89001012345678901239";

/// The default IMSI: test network MCC 001, MNC 01 (vectors.md V24) (TS 24.008 §10.5.1.4).
pub const DEFAULT_IMSI: &str = "001010123456789";

/// The default service provider name (TS 51.011 §10.3.11).
pub const DEFAULT_SPN: &str = "simcore";

/// The default MSISDN (TS 51.011 §10.5.1).
pub const DEFAULT_MSISDN: &str = "+15550100";

/// The default USIM AID: RID A000000087, application 1002 (TS 31.102 annex A),
/// then FF padding and a provider code.
pub const DEFAULT_USIM_AID: &str = "A0 00 00 00 87 10 02 FF FF FF FF 89 00 00 01 00";

/// Default codes: PIN1 1234, PUK1 12345678, PIN2 5678, PUK2 87654321, ADM 88888888
/// (TS 51.011 §9.3, TS 102 221 §9.5.1).
pub const DEFAULT_CODES: [(&str, &str); 5] =
    [("pin1", "1234"), ("puk1", "12345678"), ("pin2", "5678"), ("puk2", "87654321"), ("adm", "88888888")];

/// Why a profile could not be read or used (TS 51.011 §10.7, TS 102 221 §13).
///
/// Not `Copy`, unlike the crate's parse errors: it carries the TOML parser's
/// message and the name of the field at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProfileError {
    /// The text is not valid TOML for a profile (TOML 1.0, toml.io/en/v1.0.0).
    #[error("profile TOML at byte {offset}: {message}")]
    Toml {
        /// Byte offset of the problem in the text (0 when unknown).
        offset: usize,
        /// The parser's message.
        message: String,
    },
    /// A value is well-formed TOML but not usable (its field's coding: the ATR,
    /// ISO/IEC 7816-3 §8; an AID, ISO/IEC 7816-4 §8.2.1.2; the ICCID, ITU-T
    /// E.118; the IMSI, TS 23.003 §2.2; files, TS 51.011 §10, TS 102 221 §13).
    #[error("profile field `{field}`: {reason}")]
    Invalid {
        /// The field (or file path) at fault.
        field: String,
        /// What is wrong.
        reason: String,
    },
    /// The profile file could not be read or written (POSIX file I/O).
    #[error("profile file {path}: {kind}")]
    Io {
        /// The file.
        path: String,
        /// What the operating system said.
        kind: std::io::ErrorKind,
    },
}

impl ProfileError {
    pub(crate) fn invalid(field: &str, reason: impl ToString) -> Self {
        ProfileError::Invalid { field: field.to_string(), reason: reason.to_string() }
    }

    pub(crate) fn io(path: &std::path::Path, error: &std::io::Error) -> Self {
        ProfileError::Io { path: path.display().to_string(), kind: error.kind() }
    }
}

/// A secret code in a profile: its digits, or a table with counters
/// (TS 51.011 §9.3, TS 102 221 §9.5.1). `Debug` shows `**` for the digits,
/// so printing a profile does not print its codes; the TOML file has them.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum CodeConfig {
    /// Just the digits (`pin1 = "1234"`): full counters, enabled
    /// (TS 51.011 §9.3, TS 102 221 §9.5.1).
    Value(String),
    /// The digits with counters and state (TS 51.011 §9.2.1 bytes 19–22, TS 102 221 §11.1.9).
    Full {
        /// The digits (at most 8 characters) (TS 51.011 §9.3, TS 102 221 §9.5.1).
        value: String,
        /// Attempts left (default: the maximum) (TS 51.011 §9.2.1 bytes 19–22, TS 102 221 §11.1.9).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        attempts_left: Option<u8>,
        /// The counter's maximum (default 3 for PINs and ADM, 10 for PUKs; at most 15)
        /// (TS 102 221 §11.1.9, §11.1.13).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_attempts: Option<u8>,
        /// Whether the PIN is enabled (PIN1 and PIN2; default true)
        /// (TS 51.011 §9.2.1 byte 14, TS 102 221 §9.5.2).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        enabled: Option<bool>,
    },
}

impl fmt::Debug for CodeConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodeConfig::Value(_) => f.write_str("Value(**)"),
            CodeConfig::Full { attempts_left, max_attempts, enabled, .. } => f
                .debug_struct("Full")
                .field("value", &format_args!("**"))
                .field("attempts_left", attempts_left)
                .field("max_attempts", max_attempts)
                .field("enabled", enabled)
                .finish(),
        }
    }
}

impl CodeConfig {
    /// The digits (TS 51.011 §9.3, TS 102 221 §9.5.1).
    #[must_use]
    pub fn value(&self) -> &str {
        match self {
            CodeConfig::Value(v) | CodeConfig::Full { value: v, .. } => v,
        }
    }

    /// (attempts left, maximum), with `default_max` for what is not given
    /// (TS 51.011 §9.2.1 bytes 19–22, TS 102 221 §11.1.9).
    #[must_use]
    pub fn counters(&self, default_max: u8) -> (u8, u8) {
        match *self {
            CodeConfig::Value(_) => (default_max, default_max),
            CodeConfig::Full { attempts_left, max_attempts, .. } => {
                let max = max_attempts.unwrap_or(default_max).min(MAX_ATTEMPTS);
                (attempts_left.unwrap_or(max).min(max), max)
            }
        }
    }

    /// Whether enabled (default true) (TS 51.011 §9.2.1 byte 14, TS 102 221 §9.5.2).
    #[must_use]
    pub fn enabled(&self) -> bool {
        match *self {
            CodeConfig::Value(_) => true,
            CodeConfig::Full { enabled, .. } => enabled.unwrap_or(true),
        }
    }
}

/// The secret codes of a profile; each left out takes its default
/// ([`DEFAULT_CODES`]) (TS 51.011 §9.3, TS 102 221 §9.5).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodesConfig {
    /// CHV1 / PIN1 (TS 51.011 §9.2.9, TS 102 221 table 9.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin1: Option<CodeConfig>,
    /// UNBLOCK CHV1 / PUK1 (TS 51.011 §9.2.13, TS 102 221 §11.1.13).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub puk1: Option<CodeConfig>,
    /// CHV2 / PIN2 (TS 51.011 §9.2.9, TS 102 221 table 9.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin2: Option<CodeConfig>,
    /// UNBLOCK CHV2 / PUK2 (TS 51.011 §9.2.13, TS 102 221 §11.1.13).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub puk2: Option<CodeConfig>,
    /// ADM (ADM1) (TS 102 221 table 9.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adm: Option<CodeConfig>,
}

impl CodesConfig {
    /// The code named `name` ("pin1", "puk1", "pin2", "puk2", "adm")
    /// (TS 51.011 §9.3, TS 102 221 §9.5).
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&CodeConfig> {
        match name {
            "pin1" => self.pin1.as_ref(),
            "puk1" => self.puk1.as_ref(),
            "pin2" => self.pin2.as_ref(),
            "puk2" => self.puk2.as_ref(),
            "adm" => self.adm.as_ref(),
            _ => None,
        }
    }

    /// Replace the code named `name` (TS 51.011 §9.3, TS 102 221 §9.5).
    pub fn set(&mut self, name: &str, code: CodeConfig) {
        let slot = match name {
            "pin1" => &mut self.pin1,
            "puk1" => &mut self.puk1,
            "pin2" => &mut self.pin2,
            "puk2" => &mut self.puk2,
            _ => &mut self.adm,
        };
        *slot = Some(code);
    }

    /// The default counter maximum of the code named `name`
    /// (TS 51.011 §9.2.9, §9.2.13; TS 102 221 §11.1.9, §11.1.13).
    #[must_use]
    pub fn default_max(name: &str) -> u8 {
        if name.starts_with("puk") { DEFAULT_PUK_ATTEMPTS } else { DEFAULT_PIN_ATTEMPTS }
    }
}

/// An EF structure as a profile spells it (TS 51.011 §6.4, TS 102 221 §8.2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StructureName {
    /// Transparent (TS 51.011 §6.4, TS 102 221 §8.2.2).
    Transparent,
    /// Linear fixed (TS 51.011 §6.4, TS 102 221 §8.2.2).
    LinearFixed,
    /// Cyclic (TS 51.011 §6.4, TS 102 221 §8.2.2).
    Cyclic,
}

impl From<StructureName> for Structure {
    fn from(name: StructureName) -> Self {
        match name {
            StructureName::Transparent => Structure::Transparent,
            StructureName::LinearFixed => Structure::LinearFixed,
            StructureName::Cyclic => Structure::Cyclic,
        }
    }
}

/// An access condition as a profile spells it (TS 51.011 §9.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AccessName {
    /// ALW (TS 51.011 §9.3).
    Always,
    /// CHV1 / PIN1 (TS 51.011 §9.3).
    #[serde(alias = "chv1")]
    Pin1,
    /// CHV2 / PIN2 (TS 51.011 §9.3).
    #[serde(alias = "chv2")]
    Pin2,
    /// ADM (TS 51.011 §9.3).
    Adm,
    /// NEV (TS 51.011 §9.3).
    Never,
}

impl From<AccessName> for Access {
    fn from(name: AccessName) -> Self {
        match name {
            AccessName::Always => Access::Always,
            AccessName::Pin1 => Access::Chv1,
            AccessName::Pin2 => Access::Chv2,
            AccessName::Adm => Access::Adm(0x0A),
            AccessName::Never => Access::Never,
        }
    }
}

/// A file in a profile: raw hex for the content of an existing file (or a new
/// transparent EF readable always, updatable with ADM), or a table describing
/// a new file (TS 51.011 §6.4, §9.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FileConfig {
    /// The content as hex (all records one after the other for a record EF)
    /// (TS 51.011 §6.4, TS 102 221 §8.2.2).
    Hex(String),
    /// A file with its structure and access conditions (TS 51.011 §6.4, §9.3).
    Full {
        /// Transparent (default), linear-fixed or cyclic (TS 51.011 §6.4, TS 102 221 §8.2.2).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        structure: Option<StructureName>,
        /// Record length of a record EF (1–255) (TS 51.011 §9.2.1 byte 15, TS 102 221 §11.1.1.4.3).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        record_length: Option<usize>,
        /// The content as hex; `FF` fills up to `size` (TS 51.011 §6.4, TS 102 221 §8.2.2).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        data: Option<String>,
        /// Size in bytes (default: the data's length)
        /// (TS 51.011 §9.2.1 bytes 3–4, TS 102 221 §11.1.1.4).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        size: Option<usize>,
        /// READ access (default always) (TS 51.011 §9.3).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        read: Option<AccessName>,
        /// UPDATE access (default adm) (TS 51.011 §9.3).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        update: Option<AccessName>,
        /// Short file identifier, 1–30 (UICC) (TS 102 221 §8.3).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sfi: Option<u8>,
    },
}

fn is_default_personality(p: &Profile) -> bool {
    *p == Profile::Uicc
}

mod personality {
    //! `Profile` as the words "sim" and "uicc".
    use crate::profile::Profile;
    use serde::{Deserialize, Deserializer, Serializer};

    /// The card profile as its word (TS 51.011 for "sim", TS 102 221 for "uicc").
    pub fn serialize<S: Serializer>(p: &Profile, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(if *p == Profile::Sim { "sim" } else { "uicc" })
    }

    /// The word back to the card profile (TS 51.011 for "sim", TS 102 221 for "uicc").
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Profile, D::Error> {
        let word = std::string::String::deserialize(d)?;
        match word.to_ascii_lowercase().as_str() {
            "sim" | "gsm" => Ok(Profile::Sim),
            "uicc" | "usim" => Ok(Profile::Uicc),
            _ => Err(serde::de::Error::custom(std::format!(
                "unknown personality `{word}`; expected \"sim\" or \"uicc\""
            ))),
        }
    }
}

/// The eUICC part of a profile (GSMA SGP.22, SGP.02); everything left out
/// takes its default.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EuiccConfig {
    /// The EID, 32 digits (default [`DEFAULT_EID`]) (GSMA SGP.22 §5.7.20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eid: Option<String>,
    /// The AID the ISD-R answers at, hex (default the GSMA one,
    /// [`crate::euicc::ISD_R_AID`]) (GSMA SGP.22 §2.2.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isd_r_aid: Option<String>,
    /// Whether there is an ISD-R at all (default true; false models an M2M
    /// eUICC read through its ECASD only) (GSMA SGP.22 §2.2.1, SGP.02 §2.2.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isd_r: Option<bool>,
    /// Whether the ECASD answers GET DATA 5A (default true) (GSMA SGP.02 §2.2.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ecasd: Option<bool>,
}

/// What a virtual card holds (see the module documentation for the TOML)
/// (TS 51.011 §10, TS 102 221 §13, ISO/IEC 7816-3 §8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardProfile {
    /// Classic SIM ([`Profile::Sim`]) or UICC ([`Profile::Uicc`], the default)
    /// (TS 51.011 §9, TS 102 221 §10–§11).
    #[serde(default = "uicc", with = "personality", skip_serializing_if = "is_default_personality")]
    pub personality: Profile,
    /// The ATR as hex (default [`DEFAULT_UICC_ATR`] or [`DEFAULT_SIM_ATR`]) (ISO/IEC 7816-3 §8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub atr: Option<String>,
    /// The ICCID, printed digits (ITU-T E.118, TS 102 221 §13.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iccid: Option<String>,
    /// The IMSI, printed digits (TS 23.003 §2.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imsi: Option<String>,
    /// Digits of the MNC in the IMSI, 2 or 3 (EF_AD byte 4; default 2) (TS 51.011 §10.3.18).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mnc_length: Option<u8>,
    /// The service provider name (TS 51.011 §10.3.11).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spn: Option<String>,
    /// The MSISDN, as dialled (`+` for international) (TS 51.011 §10.5.5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msisdn: Option<String>,
    /// The AID of ADF.USIM as hex (UICC) (TS 101 220 annex E).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usim_aid: Option<String>,
    /// The USIM services available in EF_UST (UICC; default
    /// [`DEFAULT_USIM_SERVICES`]) (TS 31.102 §4.2.8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usim_services: Option<Vec<u16>>,
    /// The equivalent home PLMNs of EF_EHPLMN, `MCC-MNC` (UICC; default the
    /// IMSI's home PLMN) (TS 31.102 §4.2.84).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ehplmn: Option<Vec<String>>,
    /// Present for an eUICC (UICC only) (GSMA SGP.22 §2.2.1, SGP.02 §2.2.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub euicc: Option<EuiccConfig>,
    /// The secret codes (TS 51.011 §9.3, TS 102 221 §9.5).
    #[serde(default, skip_serializing_if = "is_default_codes")]
    pub codes: CodesConfig,
    /// Files by path, applied last (TS 51.011 §10.7, TS 102 221 §13, TS 31.102 §4.2).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub files: BTreeMap<String, FileConfig>,
}

fn uicc() -> Profile {
    Profile::Uicc
}

fn is_default_codes(codes: &CodesConfig) -> bool {
    *codes == CodesConfig::default()
}

/// The built-in profile: a UICC on the test network (MCC 001, MNC 01) with
/// [`DEFAULT_ICCID`], [`DEFAULT_IMSI`], [`DEFAULT_SPN`], [`DEFAULT_MSISDN`]
/// and [`DEFAULT_CODES`].
impl Default for CardProfile {
    fn default() -> Self {
        CardProfile {
            personality: Profile::Uicc,
            atr: None,
            iccid: Some(DEFAULT_ICCID.to_string()),
            imsi: Some(DEFAULT_IMSI.to_string()),
            mnc_length: Some(2),
            spn: Some(DEFAULT_SPN.to_string()),
            msisdn: Some(DEFAULT_MSISDN.to_string()),
            usim_aid: None,
            usim_services: None,
            ehplmn: None,
            euicc: None,
            codes: CodesConfig::default(),
            files: BTreeMap::new(),
        }
    }
}

impl CardProfile {
    /// Read a profile from TOML 1.0 text (toml.io/en/v1.0.0).
    ///
    /// # Errors
    /// [`ProfileError::Toml`] with the byte offset of the problem.
    pub fn from_toml(text: &str) -> Result<Self, ProfileError> {
        toml::from_str(text).map_err(|e: toml::de::Error| ProfileError::Toml {
            offset: e.span().map_or(0, |s| s.start),
            message: e.message().to_string(),
        })
    }

    /// Read a profile file (TOML 1.0, toml.io/en/v1.0.0).
    ///
    /// # Errors
    /// [`ProfileError::Io`], or as [`CardProfile::from_toml`].
    pub fn load(path: impl AsRef<std::path::Path>) -> Result<Self, ProfileError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| ProfileError::io(path, &e))?;
        Self::from_toml(&text)
    }

    /// The profile as TOML 1.0 text (toml.io/en/v1.0.0).
    ///
    /// # Errors
    /// [`ProfileError::Invalid`] if serde cannot write it (it always can for
    /// a profile that was read).
    pub fn to_toml(&self) -> Result<String, ProfileError> {
        toml::to_string(self).map_err(|e| ProfileError::invalid("profile", e))
    }

    /// The built-in profile as an eUICC: a UICC with an `[euicc]` table of
    /// defaults ([`DEFAULT_EID`], the GSMA ISD-R, the ECASD) and
    /// [`DEFAULT_EUICC_ATR`] (GSMA SGP.22 §2.2.1, SGP.02 §2.2.3).
    #[must_use]
    pub fn euicc() -> Self {
        CardProfile { euicc: Some(EuiccConfig::default()), ..CardProfile::default() }
    }

    /// The same profile with another personality (TS 51.011 §9, TS 102 221 §10–§11).
    #[must_use]
    pub fn with_personality(mut self, personality: Profile) -> Self {
        self.personality = personality;
        self
    }

    /// The ATR bytes: the profile's, or the personality's default.
    ///
    /// # Errors
    /// [`ProfileError::Invalid`] for bad hex or more than 33 bytes (ISO/IEC
    /// 7816-3 §8.2.1).
    pub fn atr_bytes(&self) -> Result<Vec<u8>, ProfileError> {
        let text = self.atr.as_deref().unwrap_or(match (self.personality, &self.euicc) {
            (Profile::Sim, _) => DEFAULT_SIM_ATR,
            (_, Some(_)) => DEFAULT_EUICC_ATR,
            (_, None) => DEFAULT_UICC_ATR,
        });
        let bytes = crate::hex::decode(text).map_err(|e| ProfileError::invalid("atr", e))?;
        if bytes.is_empty() || bytes.len() > 33 {
            return Err(ProfileError::invalid("atr", "an ATR has 1 to 33 bytes"));
        }
        Ok(bytes)
    }
}

/// A file path of a profile: `3F00/7F20/6F07`, `7FFF/6F07`, `ADF.USIM/6F07`.
/// The leading `3F00` may be left out (TS 51.011 §6.5, TS 102 221 §8.4.2).
///
/// # Errors
/// [`ProfileError::Invalid`] naming the path.
pub fn parse_path(text: &str) -> Result<Vec<u16>, ProfileError> {
    let mut path = Vec::new();
    for part in text.split('/').map(str::trim) {
        let fid = if part.eq_ignore_ascii_case("ADF.USIM") || part.eq_ignore_ascii_case("ADF") {
            crate::fs::Fid::CURRENT_ADF.0
        } else {
            let ok = part.len() == 4 && part.chars().all(|c| c.is_ascii_hexdigit());
            let fid = u16::from_str_radix(part, 16).ok().filter(|_| ok);
            fid.ok_or_else(|| {
                ProfileError::invalid(text, "a path is 4-digit hex file identifiers joined by /")
            })?
        };
        path.push(fid);
    }
    if path.first() == Some(&super::files::MF) {
        path.remove(0);
    }
    if path.is_empty() {
        return Err(ProfileError::invalid(text, "the path names no file below the MF"));
    }
    Ok(path)
}

/// `3F00/7F20/6F07` for a path from the MF (MF left out or included) (TS 51.011 §6.5, TS 102 221
/// §8.4.2).
#[must_use]
pub fn format_path(path: &[u16]) -> String {
    let mut out = String::from("3F00");
    for fid in path.iter().skip_while(|&&f| f == super::files::MF) {
        out.push_str(&std::format!("/{fid:04X}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printing_a_profile_does_not_print_its_codes() {
        // The built-in codes (DEFAULT_CODES) and a table with counters.
        let profile =
            CardProfile::from_toml("[codes]\npin2 = { value = \"2468\", attempts_left = 2 }\n").unwrap();
        let shown = std::format!("{profile:?}");
        for digits in ["1234", "12345678", "2468", "87654321", "88888888"] {
            assert!(!shown.contains(digits), "{digits} in {shown}");
        }
        assert!(shown.contains("attempts_left: Some(2)"), "{shown}");
    }

    #[test]
    fn default_profile_round_trips() {
        let profile = CardProfile::default();
        let text = profile.to_toml().unwrap();
        assert_eq!(CardProfile::from_toml(&text).unwrap(), profile);
    }

    #[test]
    fn the_documented_usim_and_euicc_example_reads() {
        let text = r#"
            usim_services = [19, 21, 33, 71]
            ehplmn = ["001-01", "001-02"]
            [euicc]
            eid = "89882119900000000000000000000005"
            isd_r_aid = "A0000005591010FFFFFFFF8900050500"
            isd_r = true
            ecasd = true
        "#;
        let p = CardProfile::from_toml(text).unwrap();
        assert_eq!(p.usim_services.as_deref(), Some(&[19, 21, 33, 71][..]));
        assert_eq!(p.ehplmn.as_ref().map(Vec::len), Some(2));
        let euicc = p.euicc.as_ref().unwrap();
        assert_eq!(euicc.isd_r_aid.as_deref(), Some("A0000005591010FFFFFFFF8900050500"));
        assert_eq!(p.atr_bytes().unwrap(), crate::hex::decode(DEFAULT_EUICC_ATR).unwrap());
        let round = CardProfile::from_toml(&p.to_toml().unwrap()).unwrap();
        assert_eq!(round, p);
        assert!(CardProfile::from_toml("[euicc]\nsecret = 1").is_err());
    }

    #[test]
    fn default_euicc_atr_announces_euicc_functions() {
        // TS 102 221 table 6.7 / resolved Q7: TB3 = 82 after T=15, TCK valid.
        let atr_bytes = crate::hex::decode(DEFAULT_EUICC_ATR).unwrap();
        let atr = crate::atr::Atr::parse(&atr_bytes).unwrap();
        assert!(atr.is_euicc());
        assert_eq!(atr.tck(), crate::atr::Tck::Valid(0x2E));
        let uicc = crate::hex::decode(DEFAULT_UICC_ATR).unwrap();
        assert!(!crate::atr::Atr::parse(&uicc).unwrap().is_euicc());
        assert!(crate::euicc::Eid::parse(DEFAULT_EID).unwrap().check_digits_valid());
    }

    #[test]
    fn the_documented_example_reads() {
        let text = r#"
            personality = "sim"
            iccid = "89001012345678901239"
            imsi = "001010123456789"
            spn = "simcore"
            msisdn = "+15550100"
            [codes]
            pin1 = "1234"
            puk1 = { value = "12345678", attempts_left = 10, max_attempts = 10 }
            pin2 = { value = "5678", enabled = true }
            [files]
            "3F00/2FE2" = "98 10 14 30 12 11 81 15 70 02"
            "3F00/7F10/6F3C" = { structure = "linear-fixed", record_length = 4, data = "00112233 44556677", read = "pin1", update = "pin1" }
        "#;
        let p = CardProfile::from_toml(text).unwrap();
        assert_eq!(p.personality, Profile::Sim);
        assert_eq!(p.codes.puk1.as_ref().unwrap().counters(10), (10, 10));
        assert_eq!(p.codes.pin2.as_ref().unwrap().counters(3), (3, 3));
        assert!(matches!(
            p.files.get("3F00/7F10/6F3C"),
            Some(FileConfig::Full { record_length: Some(4), .. })
        ));
    }

    #[test]
    fn errors_say_where() {
        let e = CardProfile::from_toml("personality = \"nfc\"").unwrap_err();
        assert!(
            matches!(&e, ProfileError::Toml { offset: 14, message } if message.contains("personality")),
            "{e}"
        );
        let e = CardProfile::from_toml("pin = 3").unwrap_err();
        assert!(matches!(e, ProfileError::Toml { offset: 0, .. }), "{e}");
        let p = CardProfile { atr: Some("3B 9".into()), ..CardProfile::default() };
        assert!(matches!(p.atr_bytes(), Err(ProfileError::Invalid { field, .. }) if field == "atr"));
    }

    #[test]
    fn paths() {
        assert_eq!(parse_path("3F00/7F20/6F07").unwrap(), [0x7F20, 0x6F07]);
        assert_eq!(parse_path("7f20/6f07").unwrap(), [0x7F20, 0x6F07]);
        assert_eq!(parse_path("ADF.USIM/6F07").unwrap(), [0x7FFF, 0x6F07]);
        assert!(parse_path("3F00").is_err());
        assert!(parse_path("3F00/7F2").is_err());
        assert!(parse_path("3F00/+F20").is_err());
        assert_eq!(format_path(&[0x3F00, 0x7F20, 0x6F07]), "3F00/7F20/6F07");
    }
}
