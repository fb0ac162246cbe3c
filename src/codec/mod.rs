//! Byte codecs of SIM files: swapped-nibble BCD (TS 51.011 §10, TS 24.008
//! §10.5.4.7), the Luhn check digit (ISO/IEC 7812-1 annex B, used by ITU-T
//! E.118), BER-TLV (ISO/IEC 7816-4 §5.2, as TS 102 221 §11.1.1.4 uses it), the
//! GSM 7-bit default alphabet (TS 23.038 §6.2.1) and the alpha identifier forms
//! of TS 102 221 annex A / TS 51.011 annex B.
//!
//! This module owns the one BCD codec, the one TLV reader and writer and the one
//! GSM alphabet table of the crate; [`crate::ef`] and [`crate::fcp`] build on
//! them, and so does the virtual SIM. Nothing here allocates: decoders borrow
//! their input, encoders write into the caller's buffer. The COMPACT-TLV of
//! ATR historical bytes is not here (it belongs to the ATR layer).

pub mod alpha;
pub mod bcd;
pub(crate) mod error;
pub mod gsm7;
pub mod luhn;
pub mod tlv;

pub use alpha::Alpha;
pub use error::{DecodeError, EncodeError};
pub use tlv::{Tlv, TlvIter, TlvWriter};
