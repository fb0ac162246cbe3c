//! One summary of a SELECT/STATUS response for both card profiles: TS 51.011
//! §9.2.1 ([`super::gsm`]) and TS 102 221 §11.1.1.4 ([`super::uicc`]).
//!
//! The session reads kind, identifier, structure, size, records and the
//! state of each secret code from [`FileSummary`] without caring which layout
//! the card sent. Codes are named by key reference: on a classic SIM CHV1 is
//! reported as key reference `01` and CHV2 as `81`, the references their
//! successors PIN1 and PIN2 carry on a UICC (TS 102 221 §9.5.1 table 9.3).

use super::gsm::{self, CodeStatus};
use super::uicc::{Fcp, PinStatusTemplate, PinStatuses, TAG_FCP};
use super::{EfStructure, FileKind};
use crate::chv::KeyReference;
use crate::codec::DecodeError;

/// A secret code, named by key reference (TS 102 221 table 9.3, TS 51.011 §9.2.1 bytes 19–22).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecretCode {
    /// A PIN (CHV): `01` = PIN1/CHV1, `81` = PIN2/CHV2, `0A` = ADM1, … (TS 102 221 table 9.3).
    Pin(u8),
    /// The unblocking code (PUK, UNBLOCK CHV) of the PIN with this key reference (TS 102 221 table 9.3).
    Unblock(u8),
}

impl SecretCode {
    /// The key reference of the PIN, as [`crate::chv`] types it; `None` for a
    /// value TS 102 221 table 9.3 reserves (a card may still list one).
    #[must_use]
    pub const fn key_reference(self) -> Option<KeyReference> {
        let (SecretCode::Pin(value) | SecretCode::Unblock(value)) = self;
        match KeyReference::new(value) {
            Ok(key) => Some(key),
            Err(_) => None,
        }
    }
}

/// The PIN with this key reference.
impl From<KeyReference> for SecretCode {
    fn from(key: KeyReference) -> Self {
        SecretCode::Pin(key.value())
    }
}

/// What a response says about one secret code; fields the layout does not
/// carry are `None` (TS 51.011 §9.2.1, TS 102 221 §9.5.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CodeState {
    /// Which code (TS 102 221 table 9.3).
    pub code: SecretCode,
    /// Whether verification is required (UICC PS_DO bit; SIM: CHV1 from the
    /// file characteristics, CHV2 whenever initialised) (TS 102 221 §9.5.2, TS 51.011 §9.2.1).
    pub enabled: Option<bool>,
    /// False presentations left (SIM only; a UICC answers VERIFY with 63CX);
    /// `None` for a code that is not initialised, whose b4–b1 count nothing
    /// (TS 51.011 §9.2.1 bytes 19–22).
    pub attempts_left: Option<u8>,
    /// Whether the code is initialised (SIM only) (TS 51.011 §9.2.1).
    pub initialised: Option<bool>,
    /// The usage qualifier (UICC only) (TS 102 221 §9.5.2).
    pub usage_qualifier: Option<u8>,
}

/// Where the code states come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Codes<'a> {
    None,
    Gsm { codes: [Option<CodeStatus>; 4], chv1_disabled: bool },
    Uicc(PinStatusTemplate<'a>),
}

/// The facts a session needs from any SELECT/STATUS response (TS 51.011 §9.2.1, TS 102 221 §11.1.1.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct FileSummary<'a> {
    /// MF, DF, ADF or EF (TS 51.011 §9.2.1, TS 102 221 §11.1.1.4).
    pub kind: FileKind,
    /// The file identifier (absent from some ADF responses) (TS 51.011 §9.2.1, TS 102 221 §11.1.1.4).
    pub fid: Option<u16>,
    /// The EF structure, if an EF and known (TS 51.011 §9.2.1, TS 102 221 §11.1.1.4).
    pub structure: Option<EfStructure>,
    /// The EF body size in bytes (TS 51.011 §9.2.1, TS 102 221 §11.1.1.4).
    pub size: Option<u32>,
    /// The record length of a record EF (TS 51.011 §9.2.1, TS 102 221 §11.1.1.4).
    pub record_length: Option<u16>,
    /// The number of records of a record EF (TS 51.011 §9.2.1, TS 102 221 §11.1.1.4).
    pub record_count: Option<u16>,
    /// Free memory of a DF (SIM bytes 3–4, UICC `A5`/`83`) (TS 51.011 §9.2.1, TS 102 221 §11.1.1.4).
    pub free_memory: Option<u32>,
    /// Whether the file is usable: SIM EF not invalidated, UICC life cycle
    /// activated; `None` when the response does not say (TS 51.011 §9.2.1, TS 102 221 §11.1.1.4).
    pub active: Option<bool>,
    codes: Codes<'a>,
}

impl<'a> FileSummary<'a> {
    /// Summarise either layout: a response starting with tag `62` is an FCP
    /// template, anything else a TS 51.011 response.
    ///
    /// # Errors
    /// The error of the layout's decoder.
    pub fn from_response(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        if bytes.first() == Some(&TAG_FCP) {
            Fcp::parse(bytes).map(|fcp| Self::from_fcp(&fcp))
        } else {
            gsm::Response::parse(bytes).map(Self::from_gsm)
        }
    }

    /// Summarise a TS 51.011 response.
    #[must_use]
    pub fn from_gsm(response: gsm::Response) -> Self {
        match response {
            gsm::Response::Directory(d) => FileSummary {
                kind: if d.is_mf { FileKind::Mf } else { FileKind::Df },
                fid: Some(d.fid),
                structure: None,
                size: None,
                record_length: None,
                record_count: None,
                free_memory: Some(u32::from(d.free_memory)),
                active: None,
                codes: Codes::Gsm { codes: d.codes, chv1_disabled: d.characteristics.chv1_disabled() },
            },
            gsm::Response::Ef(e) => {
                let records = e.record_count();
                FileSummary {
                    kind: FileKind::WorkingEf,
                    fid: Some(e.fid),
                    structure: Some(e.structure),
                    size: Some(u32::from(e.size)),
                    record_length: records.map(|_| u16::from(e.record_length)),
                    record_count: records,
                    free_memory: None,
                    active: Some(e.status.contains(gsm::FileStatus::NOT_INVALIDATED)),
                    codes: Codes::None,
                }
            }
        }
    }

    /// Summarise a UICC FCP template (TS 102 221 §11.1.1.4).
    #[must_use]
    pub fn from_fcp(fcp: &Fcp<'a>) -> Self {
        let kind = fcp.kind();
        let records = fcp.descriptor.records;
        FileSummary {
            kind,
            fid: fcp.fid,
            structure: fcp.descriptor.structure(),
            size: if kind.is_ef() { fcp.file_size } else { None },
            record_length: records.map(|(len, _)| len),
            record_count: records.map(|(_, count)| u16::from(count)),
            free_memory: fcp.proprietary.and_then(|p| p.available_memory()),
            active: fcp.life_cycle.map(|l| l == crate::lcs::LifeCycleStatus::Activated),
            codes: fcp.pin_status.map_or(Codes::None, Codes::Uicc),
        }
    }

    /// The state of every code the response reports (TS 51.011 §9.2.1, TS 102 221 §9.5.2).
    #[must_use]
    pub fn codes(&self) -> CodeStates<'a> {
        match self.codes {
            Codes::None => CodeStates::Gsm { codes: [None; 4], chv1_disabled: false, index: 4 },
            Codes::Gsm { codes, chv1_disabled } => CodeStates::Gsm { codes, chv1_disabled, index: 0 },
            Codes::Uicc(template) => CodeStates::Uicc(template.iter()),
        }
    }

    /// The state of `code`, if the response reports it (TS 51.011 §9.2.1, TS 102 221 §9.5.2).
    #[must_use]
    pub fn code(&self, code: SecretCode) -> Option<CodeState> {
        self.codes().find(|c| c.code == code)
    }
}

/// The code states of a [`FileSummary`] (TS 51.011 §9.2.1, TS 102 221 §9.5.2).
#[derive(Debug, Clone)]
pub enum CodeStates<'a> {
    /// From TS 51.011 bytes 19–22.
    #[doc(hidden)]
    Gsm {
        /// CHV1, UNBLOCK CHV1, CHV2, UNBLOCK CHV2.
        codes: [Option<CodeStatus>; 4],
        /// Byte 14 b8.
        chv1_disabled: bool,
        /// The next of the four.
        index: usize,
    },
    /// From the UICC PIN status template `C6` (TS 102 221 §9.5.2).
    #[doc(hidden)]
    Uicc(PinStatuses<'a>),
}

impl Iterator for CodeStates<'_> {
    type Item = CodeState;

    fn next(&mut self) -> Option<CodeState> {
        match self {
            CodeStates::Uicc(pins) => pins.next().map(|p| CodeState {
                code: SecretCode::Pin(p.key_reference),
                enabled: Some(p.enabled),
                attempts_left: None,
                initialised: None,
                usage_qualifier: p.usage_qualifier,
            }),
            CodeStates::Gsm { codes, chv1_disabled, index } => loop {
                let i = *index;
                let slot = codes.get(i)?;
                *index += 1;
                let Some(status) = *slot else { continue };
                let code = match i {
                    0 => SecretCode::Pin(0x01),
                    1 => SecretCode::Unblock(0x01),
                    2 => SecretCode::Pin(0x81),
                    _ => SecretCode::Unblock(0x81),
                };
                let enabled = match i {
                    0 => Some(!*chv1_disabled),
                    2 => Some(status.is_initialised()),
                    _ => None,
                };
                // b8 = 0: the code was never set up, and b4–b1 count nothing.
                let attempts_left = status.is_initialised().then(|| status.attempts_left());
                return Some(CodeState {
                    code,
                    enabled,
                    attempts_left,
                    initialised: Some(status.is_initialised()),
                    usage_qualifier: None,
                });
            },
        }
    }
}
