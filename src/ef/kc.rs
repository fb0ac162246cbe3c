//! EF_Kc (6F20) and EF_KcGPRS (6F52): the ciphering key and its sequence
//! number, TS 51.011 §10.3.3 and §10.3.32: Kc (8 bytes) then CKSN (1 byte,
//! b3–b1; `07` = no key available).

use crate::codec::{DecodeError, EncodeError};

/// The contents of EF_Kc (TS 51.011 §10.3.3).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Kc {
    /// The ciphering key Kc (TS 51.011 §10.3.3).
    pub kc: [u8; 8],
    /// The ciphering key sequence number, 0–7 (7: no key) (TS 51.011 §10.3.3).
    pub cksn: u8,
}

impl Kc {
    /// Bytes of EF_Kc (TS 51.011 §10.3.3).
    pub const EF_LEN: usize = 9;

    /// Decode EF_Kc (bytes after the ninth are ignored) (TS 51.011 §10.3.3).
    ///
    /// # Errors
    /// [`DecodeError::Truncated`] for fewer than 9 bytes.
    pub fn from_ef(bytes: &[u8]) -> Result<Self, DecodeError> {
        match bytes.split_first_chunk::<8>() {
            Some((kc, [cksn, ..])) => Ok(Kc { kc: *kc, cksn: cksn & 0x07 }),
            _ => Err(DecodeError::Truncated { what: "EF_Kc", offset: bytes.len(), needed: 9 - bytes.len() }),
        }
    }

    /// Whether a key is available (CKSN ≠ 7) (TS 51.011 §10.3.3).
    #[must_use]
    pub const fn is_available(&self) -> bool {
        self.cksn != 0x07
    }

    /// The 9 bytes of EF_Kc (TS 51.011 §10.3.3).
    #[must_use]
    pub fn to_ef(&self) -> [u8; 9] {
        let [a, b, c, d, e, f, g, h] = self.kc;
        [a, b, c, d, e, f, g, h, self.cksn & 0x07]
    }

    /// Write EF_Kc (TS 51.011 §10.3.3).
    ///
    /// # Errors
    /// [`EncodeError::BufferTooSmall`].
    pub fn encode_into(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        crate::codec::error::out_prefix(out, Self::EF_LEN)?.copy_from_slice(&self.to_ef());
        Ok(Self::EF_LEN)
    }
}

/// The key is secret: `Kc { kc: **, cksn: 5 }`.
impl core::fmt::Debug for Kc {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Kc {{ kc: **, cksn: {} }}", self.cksn)
    }
}
