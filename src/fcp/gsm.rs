//! The SELECT/STATUS response of a classic SIM, 3GPP TS 51.011 §9.2.1 (GSM
//! 11.11), with resolved Q4 and Q5 for the bits the digest left open.
//!
//! MF or DF (byte numbers from 1):
//!
//! | Bytes | Content |
//! |---|---|
//! | 1–2 | RFU |
//! | 3–4 | free memory not allocated to children |
//! | 5–6 | file ID |
//! | 7 | type: `01` MF, `02` DF |
//! | 8–12 | RFU |
//! | 13 | length of the GSM data that follows (9 or more) |
//! | 14 | file characteristics ([`FileCharacteristics`]) |
//! | 15, 16 | number of child DFs, of child EFs |
//! | 17 | number of CHVs, UNBLOCK CHVs and administrative codes |
//! | 18 | RFU |
//! | 19–22 | status of CHV1, UNBLOCK CHV1, CHV2, UNBLOCK CHV2 ([`CodeStatus`]) |
//!
//! EF:
//!
//! | Bytes | Content |
//! |---|---|
//! | 1–2 | RFU |
//! | 3–4 | file size (record length × records for record EFs) |
//! | 5–6 | file ID |
//! | 7 | type: `04` EF |
//! | 8 | RFU; b7 = INCREASE allowed (cyclic EFs) |
//! | 9–11 | access conditions: READ/SEEK, UPDATE ; INCREASE, RFU ; REHABILITATE, INVALIDATE |
//! | 12 | file status: b1 = not invalidated, b3 = readable and updatable when invalidated |
//! | 13 | length of the data that follows (2) |
//! | 14 | structure: `00` transparent, `01` linear fixed, `03` cyclic |
//! | 15 | record length |
//!
//! [`Response::parse`] reads either; [`Directory::encode_into`] and
//! [`Ef::encode_into`] write them back for the virtual SIM.

use super::EfStructure;
use crate::codec::error::{out_prefix, take};
use crate::codec::{DecodeError, EncodeError};
use core::fmt;

/// Byte 7 value of the MF.
const TYPE_MF: u8 = 0x01;
/// Byte 7 value of a DF.
const TYPE_DF: u8 = 0x02;
/// Byte 7 value of an EF.
const TYPE_EF: u8 = 0x04;

/// A decoded TS 51.011 §9.2.1 response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Response {
    /// The MF or a DF (TS 51.011 §9.2.1).
    Directory(Directory),
    /// An EF (TS 51.011 §9.2.1).
    Ef(Ef),
}

impl Response {
    /// Decode a response by its type byte (byte 7) (TS 51.011 §9.2.1).
    ///
    /// # Errors
    /// [`DecodeError::Truncated`] before byte 7; [`DecodeError::Invalid`] for
    /// another type; else the error of [`Directory::parse`] or [`Ef::parse`].
    pub fn parse(bytes: &[u8]) -> Result<Self, DecodeError> {
        match bytes.get(6) {
            Some(&TYPE_MF | &TYPE_DF) => Directory::parse(bytes).map(Response::Directory),
            Some(&TYPE_EF) => Ef::parse(bytes).map(Response::Ef),
            Some(&other) => Err(DecodeError::Invalid { what: "type of file", offset: 6, found: other }),
            None => Err(DecodeError::Truncated {
                what: "SELECT response",
                offset: bytes.len(),
                needed: 7 - bytes.len(),
            }),
        }
    }
}

/// The file characteristics of an MF/DF, byte 14 (TS 51.011 §9.2.1, resolved Q4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileCharacteristics(pub u8);

/// Clock stop, from b1, b3 and b4 of the file characteristics (TS 51.011 §9.2.1 byte 14, resolved Q4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClockStop {
    /// b1 = 1, b3 = b4 = 0: allowed, no preferred level (TS 51.011 §9.2.1).
    Allowed,
    /// b1 = 1, b3 = 1: allowed, high level preferred (TS 51.011 §9.2.1).
    AllowedHighPreferred,
    /// b1 = 1, b4 = 1: allowed, low level preferred (TS 51.011 §9.2.1).
    AllowedLowPreferred,
    /// b1 = 0, b3 = b4 = 0: not allowed (TS 51.011 §9.2.1).
    NotAllowed,
    /// b1 = 0, b3 = 1: not allowed unless at high level (TS 51.011 §9.2.1).
    OnlyHigh,
    /// b1 = 0, b4 = 1: not allowed unless at low level (TS 51.011 §9.2.1).
    OnlyLow,
    /// b3 = b4 = 1: not defined; the byte is kept (TS 51.011 §9.2.1).
    Undefined(u8),
}

/// Supply voltage technology, b7–b5 of the file characteristics (TS 51.011 §9.2.1 byte 14, resolved Q4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SupplyVoltage {
    /// `000`: 5 V only (TS 51.011 §9.2.1).
    FiveVolt,
    /// `001`: 3 V technology (TS 51.011 §9.2.1).
    ThreeVolt,
    /// `011`: 1.8 V technology (TS 51.011 §9.2.1).
    OnePointEightVolt,
    /// `111`: future class (TS 51.011 §9.2.1).
    Future,
    /// Any other value of b7–b5, kept (TS 51.011 §9.2.1).
    Other(u8),
}

impl FileCharacteristics {
    /// The clock-stop rule (TS 51.011 §9.2.1).
    #[must_use]
    pub const fn clock_stop(self) -> ClockStop {
        match (self.0 & 0x01 != 0, self.0 & 0x04 != 0, self.0 & 0x08 != 0) {
            (_, true, true) => ClockStop::Undefined(self.0),
            (true, false, false) => ClockStop::Allowed,
            (true, true, false) => ClockStop::AllowedHighPreferred,
            (true, false, true) => ClockStop::AllowedLowPreferred,
            (false, false, false) => ClockStop::NotAllowed,
            (false, true, false) => ClockStop::OnlyHigh,
            (false, false, true) => ClockStop::OnlyLow,
        }
    }

    /// b2: the GSM algorithm needs 13/4 MHz (true) or 13/8 MHz (false) (TS 51.011 §9.2.1).
    #[must_use]
    pub const fn needs_13_4_mhz(self) -> bool {
        self.0 & 0x02 != 0
    }

    /// b7–b5: supply voltage technology (TS 51.011 §9.2.1).
    #[must_use]
    pub const fn supply_voltage(self) -> SupplyVoltage {
        match (self.0 >> 4) & 0x07 {
            0b000 => SupplyVoltage::FiveVolt,
            0b001 => SupplyVoltage::ThreeVolt,
            0b011 => SupplyVoltage::OnePointEightVolt,
            0b111 => SupplyVoltage::Future,
            other => SupplyVoltage::Other(other),
        }
    }

    /// b8: CHV1 is disabled (1) or enabled (0) (TS 51.011 §9.2.1).
    #[must_use]
    pub const fn chv1_disabled(self) -> bool {
        self.0 & 0x80 != 0
    }
}

/// The status byte of a secret code, bytes 19–22 (TS 51.011 §9.2.1).
/// `Debug` shows it in hex, as the specification writes it: `CodeStatus(8A)`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CodeStatus(pub u8);

impl fmt::Debug for CodeStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CodeStatus({:02X})", self.0)
    }
}

impl CodeStatus {
    /// An initialised code with `attempts_left` (0–15) false presentations left (TS 51.011 §9.2.1).
    #[must_use]
    pub const fn initialised(attempts_left: u8) -> Self {
        CodeStatus(0x80 | (attempts_left & 0x0F))
    }

    /// b8: the code is initialised (TS 51.011 §9.2.1).
    #[must_use]
    pub const fn is_initialised(self) -> bool {
        self.0 & 0x80 != 0
    }

    /// b4–b1: false presentations left; 0 means blocked (TS 51.011 §9.2.1).
    #[must_use]
    pub const fn attempts_left(self) -> u8 {
        self.0 & 0x0F
    }
}

/// The response for the MF or a DF (TS 51.011 §9.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Directory {
    /// Bytes 3–4: memory not allocated to children (TS 51.011 §9.2.1).
    pub free_memory: u16,
    /// Bytes 5–6 (TS 51.011 §9.2.1).
    pub fid: u16,
    /// Byte 7 = `01` (TS 51.011 §9.2.1).
    pub is_mf: bool,
    /// Byte 14 (TS 51.011 §9.2.1).
    pub characteristics: FileCharacteristics,
    /// Byte 15 (TS 51.011 §9.2.1).
    pub df_count: u8,
    /// Byte 16 (TS 51.011 §9.2.1).
    pub ef_count: u8,
    /// Byte 17: CHVs, UNBLOCK CHVs and administrative codes (TS 51.011 §9.2.1).
    pub code_count: u8,
    /// Bytes 19–22: CHV1, UNBLOCK CHV1, CHV2, UNBLOCK CHV2; `None` when the
    /// response ends before (or byte 13 does not cover) the byte (TS 51.011 §9.2.1).
    pub codes: [Option<CodeStatus>; 4],
}

impl Directory {
    /// Length of the response [`Directory::encode_into`] writes (TS 51.011 §9.2.1).
    pub const LEN: usize = 22;

    /// A directory response with the given counts and code states (TS 51.011 §9.2.1).
    #[must_use]
    pub const fn new(
        fid: u16,
        is_mf: bool,
        characteristics: FileCharacteristics,
        codes: [CodeStatus; 4],
    ) -> Self {
        let [a, b, c, d] = codes;
        Directory {
            free_memory: 0,
            fid,
            is_mf,
            characteristics,
            df_count: 0,
            ef_count: 0,
            code_count: 4,
            codes: [Some(a), Some(b), Some(c), Some(d)],
        }
    }

    /// Decode an MF/DF response (at least 17 bytes) (TS 51.011 §9.2.1).
    ///
    /// # Errors
    /// [`DecodeError::Truncated`] before byte 17; [`DecodeError::Invalid`] for
    /// a type byte other than `01`/`02`.
    pub fn parse(bytes: &[u8]) -> Result<Self, DecodeError> {
        let (head, _) = take(bytes, 17, "MF/DF response", 0)?;
        let Some([_, _, m1, m2, f1, f2, kind, _, _, _, _, _, gsm_len, chars, dfs, efs, codes]) =
            head.first_chunk::<17>().copied()
        else {
            return Err(DecodeError::Truncated { what: "MF/DF response", offset: bytes.len(), needed: 17 });
        };
        let is_mf = match kind {
            TYPE_MF => true,
            TYPE_DF => false,
            other => {
                return Err(DecodeError::Invalid { what: "type of file (MF/DF)", offset: 6, found: other });
            }
        };
        let end = bytes.len().min(13 + usize::from(gsm_len));
        let status = |i: usize| if i < end { bytes.get(i).copied().map(CodeStatus) } else { None };
        Ok(Directory {
            free_memory: u16::from_be_bytes([m1, m2]),
            fid: u16::from_be_bytes([f1, f2]),
            is_mf,
            characteristics: FileCharacteristics(chars),
            df_count: dfs,
            ef_count: efs,
            code_count: codes,
            codes: [status(18), status(19), status(20), status(21)],
        })
    }

    /// Write the 22-byte response (RFU bytes 00, byte 13 = 9; an absent code
    /// status is written `00`) (TS 51.011 §9.2.1).
    ///
    /// # Errors
    /// [`EncodeError::BufferTooSmall`].
    pub fn encode_into(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        let [m1, m2] = self.free_memory.to_be_bytes();
        let [f1, f2] = self.fid.to_be_bytes();
        let kind = if self.is_mf { TYPE_MF } else { TYPE_DF };
        let [c1, c2, c3, c4] = self.codes.map(|c| c.map_or(0, |s| s.0));
        let bytes = [
            0,
            0,
            m1,
            m2,
            f1,
            f2,
            kind,
            0,
            0,
            0,
            0,
            0,
            9,
            self.characteristics.0,
            self.df_count,
            self.ef_count,
            self.code_count,
            0,
            c1,
            c2,
            c3,
            c4,
        ];
        out_prefix(out, Self::LEN)?.copy_from_slice(&bytes);
        Ok(Self::LEN)
    }
}

/// An access condition nibble (TS 51.011 §9.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccessCondition {
    /// `0`: always (TS 51.011 §9.3).
    Always,
    /// `1`: CHV1 (TS 51.011 §9.3).
    Chv1,
    /// `2`: CHV2 (TS 51.011 §9.3).
    Chv2,
    /// `3`: reserved for future use (TS 51.011 §9.3).
    Reserved,
    /// `4`–`E`: administrative, the issuer's choice (the nibble kept) (TS 51.011 §9.3).
    Adm(u8),
    /// `F`: never (TS 51.011 §9.3).
    Never,
}

impl AccessCondition {
    /// From a nibble (TS 51.011 §9.3).
    #[must_use]
    pub const fn from_nibble(n: u8) -> Self {
        match n & 0x0F {
            0 => AccessCondition::Always,
            1 => AccessCondition::Chv1,
            2 => AccessCondition::Chv2,
            3 => AccessCondition::Reserved,
            0x0F => AccessCondition::Never,
            adm => AccessCondition::Adm(adm),
        }
    }

    /// The nibble (TS 51.011 §9.3).
    #[must_use]
    pub const fn to_nibble(self) -> u8 {
        match self {
            AccessCondition::Always => 0,
            AccessCondition::Chv1 => 1,
            AccessCondition::Chv2 => 2,
            AccessCondition::Reserved => 3,
            AccessCondition::Adm(n) => n & 0x0F,
            AccessCondition::Never => 0x0F,
        }
    }
}

/// The access conditions of an EF, bytes 9–11 (TS 51.011 §9.2.1, §9.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AccessConditions {
    /// READ and SEEK (TS 51.011 §9.2.1).
    pub read: AccessCondition,
    /// UPDATE (TS 51.011 §9.2.1).
    pub update: AccessCondition,
    /// INCREASE (TS 51.011 §9.2.1).
    pub increase: AccessCondition,
    /// REHABILITATE (TS 51.011 §9.2.1).
    pub rehabilitate: AccessCondition,
    /// INVALIDATE (TS 51.011 §9.2.1).
    pub invalidate: AccessCondition,
}

bitflags::bitflags! {
    /// The file status of an EF, byte 12 (TS 51.011 §9.2.1, resolved Q5). RFU
    /// bits are kept.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct FileStatus: u8 {
        /// b1: the file is not invalidated (0 = invalidated) (TS 51.011 §9.2.1).
        const NOT_INVALIDATED = 0x01;
        /// b3: readable and updatable while invalidated (TS 51.011 §9.2.1).
        const READABLE_WHEN_INVALIDATED = 0x04;
        const _ = !0;
    }
}

/// The response for an EF (TS 51.011 §9.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Ef {
    /// Bytes 3–4: the body size (record length × records for record EFs) (TS 51.011 §9.2.1).
    pub size: u16,
    /// Bytes 5–6 (TS 51.011 §9.2.1).
    pub fid: u16,
    /// Byte 8 b7: INCREASE allowed (cyclic EFs) (TS 51.011 §9.2.1).
    pub increase_allowed: bool,
    /// Bytes 9–11 (TS 51.011 §9.2.1).
    pub access: AccessConditions,
    /// Byte 12 (TS 51.011 §9.2.1).
    pub status: FileStatus,
    /// Byte 14 (TS 51.011 §9.2.1).
    pub structure: EfStructure,
    /// Byte 15: the record length (0 for a transparent EF) (TS 51.011 §9.2.1).
    pub record_length: u8,
}

impl Ef {
    /// Length of the response [`Ef::encode_into`] writes (TS 51.011 §9.2.1).
    pub const LEN: usize = 15;

    /// An EF response: not invalidated, INCREASE never, REHABILITATE and
    /// INVALIDATE by ADM `4` (TS 51.011 §9.2.1).
    #[must_use]
    pub const fn new(
        fid: u16,
        structure: EfStructure,
        size: u16,
        record_length: u8,
        read: AccessCondition,
        update: AccessCondition,
    ) -> Self {
        Ef {
            size,
            fid,
            increase_allowed: false,
            access: AccessConditions {
                read,
                update,
                increase: AccessCondition::Never,
                rehabilitate: AccessCondition::Adm(4),
                invalidate: AccessCondition::Adm(4),
            },
            status: FileStatus::NOT_INVALIDATED,
            structure,
            record_length,
        }
    }

    /// Decode an EF response (at least 14 bytes; 15 for record EFs) (TS 51.011 §9.2.1).
    ///
    /// # Errors
    /// [`DecodeError::Truncated`]; [`DecodeError::Invalid`] for a type byte
    /// other than `04` or a structure other than `00`, `01`, `03`.
    pub fn parse(bytes: &[u8]) -> Result<Self, DecodeError> {
        let (head, rest) = take(bytes, 14, "EF response", 0)?;
        let Some([_, _, s1, s2, f1, f2, kind, b8, ac1, ac2, ac3, status, _, structure]) =
            head.first_chunk::<14>().copied()
        else {
            return Err(DecodeError::Truncated { what: "EF response", offset: bytes.len(), needed: 14 });
        };
        if kind != TYPE_EF {
            return Err(DecodeError::Invalid { what: "type of file (EF)", offset: 6, found: kind });
        }
        let structure = match structure {
            0x00 => EfStructure::Transparent,
            0x01 => EfStructure::LinearFixed,
            0x03 => EfStructure::Cyclic,
            other => return Err(DecodeError::Invalid { what: "structure of EF", offset: 13, found: other }),
        };
        let record_length = match (structure, rest.first()) {
            (EfStructure::Transparent, r) => r.copied().unwrap_or(0),
            (_, Some(&r)) => r,
            (_, None) => {
                return Err(DecodeError::Truncated {
                    what: "EF response record length",
                    offset: 14,
                    needed: 1,
                });
            }
        };
        Ok(Ef {
            size: u16::from_be_bytes([s1, s2]),
            fid: u16::from_be_bytes([f1, f2]),
            increase_allowed: b8 & 0x40 != 0,
            access: AccessConditions {
                read: AccessCondition::from_nibble(ac1 >> 4),
                update: AccessCondition::from_nibble(ac1),
                increase: AccessCondition::from_nibble(ac2 >> 4),
                rehabilitate: AccessCondition::from_nibble(ac3 >> 4),
                invalidate: AccessCondition::from_nibble(ac3),
            },
            status: FileStatus::from_bits_retain(status),
            structure,
            record_length,
        })
    }

    /// Records in a record EF (size / record length); `None` for a transparent
    /// EF or a zero record length (TS 51.011 §9.2.1).
    #[must_use]
    pub const fn record_count(&self) -> Option<u16> {
        match self.structure {
            EfStructure::Transparent | EfStructure::BerTlv => None,
            EfStructure::LinearFixed | EfStructure::Cyclic => {
                if self.record_length == 0 {
                    None
                } else {
                    Some(self.size / self.record_length as u16)
                }
            }
        }
    }

    /// Write the 15-byte response (RFU bytes 00, the RFU nibble of byte 10 `F`,
    /// byte 13 = 2).
    ///
    /// # Errors
    /// [`EncodeError::BufferTooSmall`]; [`EncodeError::OutOfRange`] for a
    /// BER-TLV structure, which TS 51.011 has no code for.
    pub fn encode_into(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        let structure = match self.structure {
            EfStructure::Transparent => 0x00,
            EfStructure::LinearFixed => 0x01,
            EfStructure::Cyclic => 0x03,
            EfStructure::BerTlv => {
                return Err(EncodeError::OutOfRange {
                    what: "TS 51.011 EF structure (BER-TLV)",
                    value: 0x39,
                    max: 3,
                });
            }
        };
        let [s1, s2] = self.size.to_be_bytes();
        let [f1, f2] = self.fid.to_be_bytes();
        let a = &self.access;
        let bytes = [
            0,
            0,
            s1,
            s2,
            f1,
            f2,
            TYPE_EF,
            if self.increase_allowed { 0x40 } else { 0 },
            a.read.to_nibble() << 4 | a.update.to_nibble(),
            a.increase.to_nibble() << 4 | 0x0F,
            a.rehabilitate.to_nibble() << 4 | a.invalidate.to_nibble(),
            self.status.bits(),
            2,
            structure,
            self.record_length,
        ];
        out_prefix(out, Self::LEN)?.copy_from_slice(&bytes);
        Ok(Self::LEN)
    }
}
