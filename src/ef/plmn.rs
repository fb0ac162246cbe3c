//! PLMN identities (MCC, MNC) in the 3-byte BCD form of TS 24.008 §10.5.1.3,
//! as EF_PLMNsel (TS 51.011 §10.3.4), EF_FPLMN (§10.3.16) and the LAI of
//! EF_LOCI (§10.3.17) hold them.
//!
//! | Byte | b8–b5 | b4–b1 |
//! |---|---|---|
//! | 1 | MCC digit 2 | MCC digit 1 |
//! | 2 | MNC digit 3 (`F` for a 2-digit MNC) | MCC digit 3 |
//! | 3 | MNC digit 2 | MNC digit 1 |
//!
//! `FF FF FF` marks an unused entry of a list.

use crate::codec::error::check_digit_count;
use crate::codec::{DecodeError, EncodeError};
use core::fmt;

/// The number of digits in an MNC: 2 or 3 (TS 23.003 §2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MncLength {
    /// Two digits (most of the world) (TS 23.003 §2.2).
    Two = 2,
    /// Three digits (North America, India's 405 exceptions, …) (TS 23.003 §2.2).
    Three = 3,
}

impl MncLength {
    /// 2 or 3 (TS 23.003 §2.2).
    #[must_use]
    pub const fn digits(self) -> usize {
        self as usize
    }

    /// From a digit count; `None` unless 2 or 3 (TS 23.003 §2.2).
    #[must_use]
    pub const fn from_digits(n: u8) -> Option<Self> {
        match n {
            2 => Some(MncLength::Two),
            3 => Some(MncLength::Three),
            _ => None,
        }
    }
}

/// A PLMN identity: mobile country code and mobile network code (TS 24.008 §10.5.1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Plmn {
    mcc: u16,
    mnc: u16,
    mnc_length: MncLength,
}

/// The decimal digit at nibble `n`, or the error naming byte `offset`.
fn decimal(n: u8, offset: usize) -> Result<u16, DecodeError> {
    if n <= 9 { Ok(u16::from(n)) } else { Err(DecodeError::Invalid { what: "PLMN digit", offset, found: n }) }
}

/// The last decimal digit of `v`.
#[allow(clippy::cast_possible_truncation, reason = "a value below 10")]
const fn digit(v: u16) -> u8 {
    (v % 10) as u8
}

impl Plmn {
    /// Bytes of the encoded form (TS 24.008 §10.5.1.3).
    pub const LEN: usize = 3;

    /// The PLMN `mcc`-`mnc` (TS 24.008 §10.5.1.3).
    ///
    /// # Errors
    /// [`EncodeError::OutOfRange`] for an MCC above 999 or an MNC above 99 (2
    /// digits) or 999 (3 digits).
    pub const fn new(mcc: u16, mnc: u16, mnc_length: MncLength) -> Result<Self, EncodeError> {
        if mcc > 999 {
            return Err(EncodeError::OutOfRange { what: "MCC", value: mcc as u32, max: 999 });
        }
        let max = match mnc_length {
            MncLength::Two => 99,
            MncLength::Three => 999,
        };
        if mnc > max {
            return Err(EncodeError::OutOfRange { what: "MNC", value: mnc as u32, max: max as u32 });
        }
        Ok(Plmn { mcc, mnc, mnc_length })
    }

    /// A PLMN from parts the caller has range-checked (digits it decoded).
    pub(crate) const fn from_parts(mcc: u16, mnc: u16, mnc_length: MncLength) -> Self {
        Plmn { mcc, mnc, mnc_length }
    }

    /// Decode the 3-byte form (TS 24.008 §10.5.1.3).
    ///
    /// # Errors
    /// [`DecodeError::Empty`] for `FF FF FF`, [`DecodeError::Invalid`] for a
    /// non-decimal digit (or an `F` other than MNC digit 3), naming its byte.
    pub fn from_bytes(bytes: [u8; 3]) -> Result<Self, DecodeError> {
        let [b1, b2, b3] = bytes;
        if bytes == [0xFF; 3] {
            return Err(DecodeError::Empty { what: "PLMN", offset: 0 });
        }
        let mcc = decimal(b1 & 0x0F, 0)? * 100 + decimal(b1 >> 4, 0)? * 10 + decimal(b2 & 0x0F, 1)?;
        let mnc12 = decimal(b3 & 0x0F, 2)? * 10 + decimal(b3 >> 4, 2)?;
        let (mnc, mnc_length) = match b2 >> 4 {
            0x0F => (mnc12, MncLength::Two),
            d => (mnc12 * 10 + decimal(d, 1)?, MncLength::Three),
        };
        Ok(Plmn { mcc, mnc, mnc_length })
    }

    /// Decode the first 3 bytes of `bytes` (TS 24.008 §10.5.1.3).
    ///
    /// # Errors
    /// [`DecodeError::Truncated`] for fewer than 3 bytes, else as [`Plmn::from_bytes`].
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        match bytes.first_chunk::<3>() {
            Some(b) => Plmn::from_bytes(*b),
            None => {
                Err(DecodeError::Truncated { what: "PLMN", offset: bytes.len(), needed: 3 - bytes.len() })
            }
        }
    }

    /// The 3-byte form (TS 24.008 §10.5.1.3).
    #[must_use]
    pub const fn to_bytes(&self) -> [u8; 3] {
        let (mcc, mnc) = (self.mcc, self.mnc);
        let (c1, c2, c3) = (digit(mcc / 100), digit(mcc / 10), digit(mcc));
        let (m1, m2, m3) = match self.mnc_length {
            MncLength::Two => (digit(mnc / 10), digit(mnc), 0x0F),
            MncLength::Three => (digit(mnc / 100), digit(mnc / 10), digit(mnc)),
        };
        [c2 << 4 | c1, m3 << 4 | c3, m2 << 4 | m1]
    }

    /// Parse `MCC-MNC` (`262-01`, `334-020`) or the digits alone (`26201`,
    /// `334020`): 3 MCC digits, then 2 or 3 MNC digits (TS 23.003 §2.2).
    ///
    /// # Errors
    /// [`DecodeError::InvalidChar`] for a character other than a digit or the
    /// dash after the MCC; [`DecodeError::DigitCount`] unless 5 or 6 digits.
    pub fn parse(text: &str) -> Result<Self, DecodeError> {
        const WHAT: &str = "printed PLMN";
        let mut digits = [0u16; 6];
        let mut n = 0usize;
        let mut dash = false;
        for (offset, c) in text.chars().enumerate() {
            if c == '-' && n == 3 && !dash {
                dash = true;
                continue;
            }
            let Some(d) = c.to_digit(10) else {
                return Err(DecodeError::InvalidChar { what: WHAT, offset, found: c });
            };
            if let Some(slot) = digits.get_mut(n) {
                *slot = u16::try_from(d).unwrap_or(0);
            }
            n += 1;
        }
        check_digit_count(WHAT, text, n, 5, 6)?;
        let [a, b, c, d, e, f] = digits;
        let (mnc, mnc_length) =
            if n == 5 { (d * 10 + e, MncLength::Two) } else { (d * 100 + e * 10 + f, MncLength::Three) };
        Ok(Plmn { mcc: a * 100 + b * 10 + c, mnc, mnc_length })
    }

    /// The mobile country code, 0–999 (TS 24.008 §10.5.1.3).
    #[must_use]
    pub const fn mcc(&self) -> u16 {
        self.mcc
    }

    /// The mobile network code, 0–999 (TS 24.008 §10.5.1.3).
    #[must_use]
    pub const fn mnc(&self) -> u16 {
        self.mnc
    }

    /// How many digits the MNC has (TS 24.008 §10.5.1.3).
    #[must_use]
    pub const fn mnc_length(&self) -> MncLength {
        self.mnc_length
    }
}

/// `262-01`, `334-020`: MCC, a dash, the MNC with its leading zeros.
impl fmt::Display for Plmn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:03}-{:0width$}", self.mcc, self.mnc, width = self.mnc_length.digits())
    }
}

/// The PLMNs of a list file (EF_PLMNsel, EF_FPLMN, TS 51.011 §10.3.4,
/// §10.3.16), skipping unused `FF FF FF` entries.
#[derive(Debug, Clone)]
pub struct PlmnList<'a> {
    rest: &'a [u8],
    offset: usize,
}

impl<'a> PlmnList<'a> {
    /// The entries of `bytes`, in priority order (TS 51.011 §10.3.4, §10.3.16).
    #[must_use]
    pub const fn new(bytes: &'a [u8]) -> Self {
        PlmnList { rest: bytes, offset: 0 }
    }

    /// Write `plmns` into `out` (3 bytes each) and fill the rest with `FF` (TS 51.011 §10.3.4, §10.3.16).
    ///
    /// # Errors
    /// [`EncodeError::BufferTooSmall`] when they do not fit.
    pub fn encode_into(plmns: &[Plmn], out: &mut [u8]) -> Result<usize, EncodeError> {
        let needed = plmns.len() * Plmn::LEN;
        if needed > out.len() {
            return Err(EncodeError::BufferTooSmall { needed, capacity: out.len() });
        }
        out.fill(0xFF);
        for (slot, plmn) in out.chunks_exact_mut(Plmn::LEN).zip(plmns) {
            slot.copy_from_slice(&plmn.to_bytes());
        }
        Ok(needed)
    }
}

impl Iterator for PlmnList<'_> {
    type Item = Result<Plmn, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.rest.is_empty() {
                return None;
            }
            let Some((entry, tail)) = self.rest.split_first_chunk::<3>() else {
                let e = DecodeError::Truncated {
                    what: "PLMN list entry",
                    offset: self.offset + self.rest.len(),
                    needed: 3 - self.rest.len(),
                };
                self.rest = &[];
                return Some(Err(e));
            };
            let at = self.offset;
            self.rest = tail;
            self.offset += 3;
            match Plmn::from_bytes(*entry) {
                Err(DecodeError::Empty { .. }) => continue,
                Err(e) => {
                    self.rest = &[];
                    return Some(Err(e.shifted(at)));
                }
                Ok(plmn) => return Some(Ok(plmn)),
            }
        }
    }
}
