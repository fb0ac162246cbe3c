//! EF_AD (6FAD): administrative data, TS 51.011 §10.3.18 (TS 31.102 §4.2.18).
//!
//! | Byte | Content |
//! |---|---|
//! | 1 | MS operation mode |
//! | 2–3 | additional information; byte 3 b1 = OFM, the ciphering indicator |
//! | 4 (optional) | b4–b1 length of the MNC in the IMSI (2 or 3) |

use super::plmn::MncLength;
use crate::codec::{DecodeError, EncodeError};

/// The MS operation mode, EF_AD byte 1 (TS 51.011 §10.3.18).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OperationMode {
    /// `00`: normal operation (TS 51.011 §10.3.18).
    Normal,
    /// `80`: type approval operations (TS 51.011 §10.3.18).
    TypeApproval,
    /// `01`: normal operation plus specific facilities (TS 51.011 §10.3.18).
    NormalSpecificFacilities,
    /// `81`: type approval operations plus specific facilities (TS 51.011 §10.3.18).
    TypeApprovalSpecificFacilities,
    /// `02`: maintenance (off-line) (TS 51.011 §10.3.18).
    Maintenance,
    /// `04`: cell test operation (TS 51.011 §10.3.18).
    CellTest,
    /// Any other value, kept (TS 51.011 §10.3.18).
    Other(u8),
}

impl OperationMode {
    /// From EF_AD byte 1 (TS 51.011 §10.3.18).
    #[must_use]
    pub const fn from_byte(b: u8) -> Self {
        match b {
            0x00 => OperationMode::Normal,
            0x80 => OperationMode::TypeApproval,
            0x01 => OperationMode::NormalSpecificFacilities,
            0x81 => OperationMode::TypeApprovalSpecificFacilities,
            0x02 => OperationMode::Maintenance,
            0x04 => OperationMode::CellTest,
            other => OperationMode::Other(other),
        }
    }

    /// EF_AD byte 1 (TS 51.011 §10.3.18).
    #[must_use]
    pub const fn to_byte(self) -> u8 {
        match self {
            OperationMode::Normal => 0x00,
            OperationMode::TypeApproval => 0x80,
            OperationMode::NormalSpecificFacilities => 0x01,
            OperationMode::TypeApprovalSpecificFacilities => 0x81,
            OperationMode::Maintenance => 0x02,
            OperationMode::CellTest => 0x04,
            OperationMode::Other(b) => b,
        }
    }
}

/// The contents of EF_AD (TS 51.011 §10.3.18).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Ad {
    /// Byte 1 (TS 51.011 §10.3.18).
    pub mode: OperationMode,
    /// Bytes 2–3 as stored; b1 of the second is the OFM flag ([`Ad::ofm`]) (TS 51.011 §10.3.18).
    pub additional_info: [u8; 2],
    /// Byte 4 b4–b1 when present and 2 or 3; `None` for a 3-byte EF_AD or any
    /// other value (the caller then falls back, resolved Q10) (TS 51.011 §10.3.18).
    pub mnc_length: Option<MncLength>,
}

impl Ad {
    /// EF_AD with bytes 2–3 = `00 00` except the OFM bit (TS 51.011 §10.3.18).
    #[must_use]
    pub const fn new(mode: OperationMode, ofm: bool, mnc_length: Option<MncLength>) -> Self {
        Ad { mode, additional_info: [0x00, ofm as u8], mnc_length }
    }

    /// Decode EF_AD (3 bytes or more; bytes after the 4th are RFU and ignored) (TS 51.011 §10.3.18).
    ///
    /// # Errors
    /// [`DecodeError::Truncated`] for fewer than 3 bytes.
    pub fn from_ef(bytes: &[u8]) -> Result<Self, DecodeError> {
        let Some(([mode, a, b], rest)) = bytes.split_first_chunk::<3>() else {
            return Err(DecodeError::Truncated {
                what: "EF_AD",
                offset: bytes.len(),
                needed: 3 - bytes.len(),
            });
        };
        let mnc_length = rest.first().and_then(|b4| MncLength::from_digits(b4 & 0x0F));
        Ok(Ad { mode: OperationMode::from_byte(*mode), additional_info: [*a, *b], mnc_length })
    }

    /// The OFM (operational feature monitor, ciphering indicator) bit: byte 3 b1 (TS 51.011 §10.3.18).
    #[must_use]
    pub const fn ofm(&self) -> bool {
        self.additional_info[1] & 0x01 != 0
    }

    /// Write EF_AD: 3 bytes, or 4 with the MNC length (TS 51.011 §10.3.18). Returns the bytes written.
    ///
    /// # Errors
    /// [`EncodeError::BufferTooSmall`].
    pub fn encode_into(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        let [a, b] = self.additional_info;
        let (bytes, n) = match self.mnc_length {
            Some(len) => ([self.mode.to_byte(), a, b, len as u8], 4),
            None => ([self.mode.to_byte(), a, b, 0], 3),
        };
        crate::codec::error::out_prefix(out, n)?.copy_from_slice(bytes.get(..n).unwrap_or_default());
        Ok(n)
    }
}
