//! EF_ACC (6F78): access control classes, TS 51.011 §10.3.15 (TS 31.102
//! §4.2.15): two bytes, byte 1 b8…b1 = classes 15…8, byte 2 b8…b1 = classes 7…0.

use crate::codec::{DecodeError, EncodeError};

/// The access control classes (0–15) of the subscriber (TS 51.011 §10.3.15).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Acc(pub u16);

impl Acc {
    /// Bytes of EF_ACC (TS 51.011 §10.3.15).
    pub const EF_LEN: usize = 2;

    /// Decode EF_ACC (bytes after the second are ignored) (TS 51.011 §10.3.15).
    ///
    /// # Errors
    /// [`DecodeError::Truncated`] for fewer than 2 bytes.
    pub fn from_ef(bytes: &[u8]) -> Result<Self, DecodeError> {
        match bytes.first_chunk::<2>() {
            Some(b) => Ok(Acc(u16::from_be_bytes(*b))),
            None => {
                Err(DecodeError::Truncated { what: "EF_ACC", offset: bytes.len(), needed: 2 - bytes.len() })
            }
        }
    }

    /// Whether class `n` (0–15) is set (TS 51.011 §10.3.15).
    #[must_use]
    pub const fn has(self, n: u8) -> bool {
        n < 16 && self.0 & (1 << n) != 0
    }

    /// The classes set, ascending (TS 51.011 §10.3.15).
    pub fn classes(self) -> impl Iterator<Item = u8> {
        (0u8..16).filter(move |&n| self.has(n))
    }

    /// Write EF_ACC (TS 51.011 §10.3.15).
    ///
    /// # Errors
    /// [`EncodeError::BufferTooSmall`].
    pub fn encode_into(self, out: &mut [u8]) -> Result<usize, EncodeError> {
        crate::codec::error::out_prefix(out, 2)?.copy_from_slice(&self.0.to_be_bytes());
        Ok(2)
    }
}
