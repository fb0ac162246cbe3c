//! EF_LOCI (6F7E): location information, TS 51.011 §10.3.17 (TS 31.102
//! §4.2.17): TMSI (4), LAI (5), TMSI TIME (1), location update status (1).
//!
//! The LAI is a PLMN triple ([`crate::ef::Plmn`]) and a 2-byte location area
//! code (TS 24.008 §10.5.1.3).

use super::plmn::Plmn;
use crate::codec::{DecodeError, EncodeError};

/// A location area identification: PLMN and LAC (TS 24.008 §10.5.1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Lai {
    /// The PLMN; `None` when the card holds `FF FF FF` (no LAI yet) (TS 24.008 §10.5.1.3).
    pub plmn: Option<Plmn>,
    /// The location area code (`FF FE` marks a deleted LAI) (TS 24.008 §10.5.1.3).
    pub lac: u16,
}

impl Lai {
    /// Bytes of the encoded form (TS 24.008 §10.5.1.3).
    pub const LEN: usize = 5;

    /// Decode the 5-byte form (TS 24.008 §10.5.1.3).
    ///
    /// # Errors
    /// [`DecodeError::Truncated`]; the PLMN's [`DecodeError::Invalid`].
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let Some(([p1, p2, p3, l1, l2], _)) = bytes.split_first_chunk::<5>() else {
            return Err(DecodeError::Truncated { what: "LAI", offset: bytes.len(), needed: 5 - bytes.len() });
        };
        let plmn = match Plmn::from_bytes([*p1, *p2, *p3]) {
            Ok(plmn) => Some(plmn),
            Err(DecodeError::Empty { .. }) => None,
            Err(e) => return Err(e),
        };
        Ok(Lai { plmn, lac: u16::from_be_bytes([*l1, *l2]) })
    }

    /// The 5-byte form (TS 24.008 §10.5.1.3).
    #[must_use]
    pub fn to_bytes(&self) -> [u8; 5] {
        let [p1, p2, p3] = self.plmn.map_or([0xFF; 3], |p| p.to_bytes());
        let [l1, l2] = self.lac.to_be_bytes();
        [p1, p2, p3, l1, l2]
    }
}

/// The location update status, EF_LOCI byte 11 b3–b1 (TS 51.011 §10.3.17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UpdateStatus {
    /// `000`: updated (TS 51.011 §10.3.17).
    Updated,
    /// `001`: not updated (TS 51.011 §10.3.17).
    NotUpdated,
    /// `010`: PLMN not allowed (TS 51.011 §10.3.17).
    PlmnNotAllowed,
    /// `011`: location area not allowed (TS 51.011 §10.3.17).
    LocationAreaNotAllowed,
    /// `1xx`: reserved, value kept (TS 51.011 §10.3.17).
    Reserved(u8),
}

/// The contents of EF_LOCI (TS 51.011 §10.3.17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Loci {
    /// Bytes 1–4: the TMSI (`FF FF FF FF`: none) (TS 51.011 §10.3.17).
    pub tmsi: [u8; 4],
    /// Bytes 5–9 (TS 51.011 §10.3.17).
    pub lai: Lai,
    /// Byte 10: TMSI TIME (RFU since phase 2; `FF` usually) (TS 51.011 §10.3.17).
    pub tmsi_time: u8,
    /// Byte 11 b3–b1 (TS 51.011 §10.3.17).
    pub update_status: UpdateStatus,
}

impl Loci {
    /// Bytes of EF_LOCI (TS 51.011 §10.3.17).
    pub const EF_LEN: usize = 11;

    /// EF_LOCI from its parts (TS 51.011 §10.3.17).
    #[must_use]
    pub const fn new(tmsi: [u8; 4], lai: Lai, tmsi_time: u8, update_status: UpdateStatus) -> Self {
        Loci { tmsi, lai, tmsi_time, update_status }
    }

    /// Decode EF_LOCI (bytes past 11 are ignored) (TS 51.011 §10.3.17).
    ///
    /// # Errors
    /// [`DecodeError::Truncated`]; the LAI's error, at its offset.
    pub fn from_ef(bytes: &[u8]) -> Result<Self, DecodeError> {
        let Some(([t1, t2, t3, t4, lai @ .., time, status], _)) = bytes.split_first_chunk::<11>() else {
            return Err(DecodeError::Truncated {
                what: "EF_LOCI",
                offset: bytes.len(),
                needed: 11 - bytes.len(),
            });
        };
        let lai = Lai::decode(lai).map_err(|e| e.shifted(4))?;
        let update_status = match status & 0x07 {
            0 => UpdateStatus::Updated,
            1 => UpdateStatus::NotUpdated,
            2 => UpdateStatus::PlmnNotAllowed,
            3 => UpdateStatus::LocationAreaNotAllowed,
            other => UpdateStatus::Reserved(other),
        };
        Ok(Loci { tmsi: [*t1, *t2, *t3, *t4], lai, tmsi_time: *time, update_status })
    }

    /// The 11 bytes of EF_LOCI (TS 51.011 §10.3.17).
    #[must_use]
    pub fn to_ef(&self) -> [u8; 11] {
        let [t1, t2, t3, t4] = self.tmsi;
        let [a, b, c, d, e] = self.lai.to_bytes();
        let status = match self.update_status {
            UpdateStatus::Updated => 0,
            UpdateStatus::NotUpdated => 1,
            UpdateStatus::PlmnNotAllowed => 2,
            UpdateStatus::LocationAreaNotAllowed => 3,
            UpdateStatus::Reserved(v) => v & 0x07,
        };
        [t1, t2, t3, t4, a, b, c, d, e, self.tmsi_time, status]
    }

    /// Write EF_LOCI into `out` (TS 51.011 §10.3.17).
    ///
    /// # Errors
    /// [`EncodeError::BufferTooSmall`].
    pub fn encode_into(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        crate::codec::error::out_prefix(out, Self::EF_LEN)?.copy_from_slice(&self.to_ef());
        Ok(Self::EF_LEN)
    }
}
