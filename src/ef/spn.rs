//! EF_SPN (6F46): the service provider name, TS 51.011 §10.3.11 (TS 31.102
//! §4.2.12).
//!
//! Byte 1 is the display condition; bytes 2–17 the name as an alpha field
//! (GSM 7-bit unpacked, or a UCS2 form of TS 102 221 annex A), padded `FF`.

use crate::codec::{Alpha, DecodeError, EncodeError, alpha};
use core::fmt;

bitflags::bitflags! {
    /// The display condition, EF_SPN byte 1 (TS 51.011 §10.3.11). Unknown (RFU) bits are kept.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct SpnDisplay: u8 {
        /// b1: display the registered PLMN name when registered in the HPLMN
        /// (or a PLMN of EF_SPDI) (TS 51.011 §10.3.11).
        const REGISTERED_PLMN_IN_HPLMN = 0x01;
        /// b2 (TS 31.102 and later TS 51.011): the service provider name need
        /// not be displayed when roaming outside the HPLMN (TS 31.102 §4.2.12).
        const SPN_NOT_REQUIRED_ROAMING = 0x02;
        const _ = !0;
    }
}

/// The contents of EF_SPN, borrowing the name (TS 51.011 §10.3.11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Spn<'a> {
    /// Byte 1 (TS 51.011 §10.3.11).
    pub display: SpnDisplay,
    /// Bytes 2–17 (TS 51.011 §10.3.11).
    pub name: Alpha<'a>,
}

impl<'a> Spn<'a> {
    /// Bytes of EF_SPN (TS 51.011 §10.3.11).
    pub const EF_LEN: usize = 17;

    /// Decode EF_SPN (a shorter name field is accepted) (TS 51.011 §10.3.11).
    ///
    /// # Errors
    /// [`DecodeError::Truncated`] for an empty file; the name's
    /// [`Alpha::parse`] error, with the offset counted from byte 1 of the file.
    pub fn from_ef(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        let (&display, name) = bytes.split_first().ok_or(DecodeError::Truncated {
            what: "EF_SPN",
            offset: 0,
            needed: Self::EF_LEN,
        })?;
        let name = Alpha::parse(name).map_err(|e| e.shifted(1))?;
        Ok(Spn { display: SpnDisplay::from_bits_retain(display), name })
    }

    /// Write EF_SPN filling all of `out` (17 bytes normally): `display`, then
    /// `name` in the GSM alphabet, or UCS2 if it has a character the alphabet
    /// lacks, padded `FF` (TS 51.011 §10.3.11).
    ///
    /// # Errors
    /// [`EncodeError::BufferTooSmall`] when the name does not fit.
    pub fn encode_into(display: SpnDisplay, name: &str, out: &mut [u8]) -> Result<usize, EncodeError> {
        let capacity = out.len();
        let (first, rest) = out.split_first_mut().ok_or(EncodeError::too_small(1, capacity))?;
        *first = display.bits();
        alpha::encode(name, rest).map(|_| capacity).map_err(|e| match e {
            EncodeError::BufferTooSmall { needed, .. } => EncodeError::too_small(needed + 1, capacity),
            other => other,
        })
    }
}

impl fmt::Display for Spn<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.name.fmt(f)
    }
}
