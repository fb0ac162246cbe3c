//! Dialling-number records: EF_ADN (6F3A), EF_MSISDN (6F40) and their kin
//! (EF_FDN, EF_SDN, EF_BDN, EF_LND), TS 51.011 §10.5.1 (TS 31.102 §4.4.2.3).
//!
//! A record is X + 14 bytes:
//!
//! | Bytes | Content |
//! |---|---|
//! | 1 … X | alpha identifier ([`crate::codec::alpha`]) |
//! | X+1 | length of the BCD number in bytes, the TON/NPI byte included (`FF`: no number) |
//! | X+2 | TON and NPI (TS 24.008 §10.5.4.7) |
//! | X+3 … X+12 | the number, extended BCD (`*`, `#`, DTMF pause, wild), `F`-padded |
//! | X+13 | capability/configuration identifier (`FF`: none) |
//! | X+14 | extension record identifier (`FF`: none) |
//!
//! A number longer than 20 digits continues in an EXT record; this type reports
//! the extension identifier and leaves the reading of EF_EXT to the caller.

use crate::codec::{Alpha, DecodeError, EncodeError, alpha, bcd};
use core::fmt;

/// Bytes after the alpha identifier.
const TRAILER: usize = 14;
/// Bytes of the number field.
const NUMBER_BYTES: usize = 10;

/// The type of number, b7–b5 of the TON/NPI byte (TS 24.008 table 10.5.118).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ton {
    /// `000` (TS 24.008 table 10.5.118).
    Unknown,
    /// `001`: shown with a leading `+` (TS 24.008 table 10.5.118).
    International,
    /// `010` (TS 24.008 table 10.5.118).
    National,
    /// `011` (TS 24.008 table 10.5.118).
    NetworkSpecific,
    /// `100`: dedicated access, short code (TS 24.008 table 10.5.118).
    DedicatedAccess,
    /// `101`–`111`: reserved, value kept (TS 24.008 table 10.5.118).
    Reserved(u8),
}

/// The numbering plan, b4–b1 of the TON/NPI byte (TS 24.008 table 10.5.118).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Npi {
    /// `0000` (TS 24.008 table 10.5.118).
    Unknown,
    /// `0001`: ISDN/telephony, E.164 (TS 24.008 table 10.5.118).
    Isdn,
    /// `0011`: data, X.121 (TS 24.008 table 10.5.118).
    Data,
    /// `0100`: telex, F.69 (TS 24.008 table 10.5.118).
    Telex,
    /// `1000`: national (TS 24.008 table 10.5.118).
    National,
    /// `1001`: private (TS 24.008 table 10.5.118).
    Private,
    /// Any other value, kept (`1111` is reserved for extension) (TS 24.008 table 10.5.118).
    Reserved(u8),
}

/// The TON/NPI byte (b8 is the extension bit, 1) (TS 24.008 §10.5.4.7).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct TonNpi(pub u8);

/// The byte in hex: `TonNpi(91)` (TS 24.008 §10.5.4.7).
impl fmt::Debug for TonNpi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TonNpi({:02X})", self.0)
    }
}

impl TonNpi {
    /// International E.164: `91` (TS 51.011 §10.5.1, TON/NPI byte).
    pub const INTERNATIONAL: TonNpi = TonNpi(0x91);
    /// Unknown type, E.164 plan: `81` (TS 51.011 §10.5.1, TON/NPI byte).
    pub const UNKNOWN_ISDN: TonNpi = TonNpi(0x81);

    /// The type of number (TS 24.008 table 10.5.118).
    #[must_use]
    pub const fn ton(self) -> Ton {
        match (self.0 >> 4) & 0x07 {
            0 => Ton::Unknown,
            1 => Ton::International,
            2 => Ton::National,
            3 => Ton::NetworkSpecific,
            4 => Ton::DedicatedAccess,
            other => Ton::Reserved(other),
        }
    }

    /// The numbering plan (TS 24.008 table 10.5.118).
    #[must_use]
    pub const fn npi(self) -> Npi {
        match self.0 & 0x0F {
            0x0 => Npi::Unknown,
            0x1 => Npi::Isdn,
            0x3 => Npi::Data,
            0x4 => Npi::Telex,
            0x8 => Npi::National,
            0x9 => Npi::Private,
            other => Npi::Reserved(other),
        }
    }
}

/// A dialling number, borrowing its BCD bytes (TS 51.011 §10.5.1).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Number<'a> {
    ton_npi: TonNpi,
    bcd: &'a [u8],
    digits: usize,
}

/// The TON/NPI byte and the BCD bytes in hex, as stored (TS 51.011 §10.5.1).
impl fmt::Debug for Number<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Number")
            .field("ton_npi", &self.ton_npi)
            .field("bcd", &crate::hex::Hex(self.bcd))
            .field("digits", &self.digits)
            .finish()
    }
}

impl<'a> Number<'a> {
    /// The TON/NPI byte (TS 24.008 §10.5.4.7).
    #[must_use]
    pub const fn ton_npi(&self) -> TonNpi {
        self.ton_npi
    }

    /// The digits' nibble values (0–14), without filler (TS 51.011 §10.5.1).
    #[must_use]
    pub fn nibbles(&self) -> bcd::Nibbles<'a> {
        bcd::digits(self.bcd)
    }

    /// Number of digits (TS 51.011 §10.5.1).
    #[must_use]
    pub const fn len(&self) -> usize {
        self.digits
    }

    /// Whether there is no digit (TS 51.011 §10.5.1).
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.digits == 0
    }
}

/// The number as dialled: `+` for an international number, then the digits
/// with `*`, `#`, `,` (pause), `N` (wild) and `;` (expansion). A number without digits (length
/// byte `01`, TON/NPI only) is empty, whatever its TON, as Android's
/// `PhoneNumberUtils.calledPartyBCDToString` shows it: a lone `+` is no number.
impl fmt::Display for Number<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ton_npi.ton() == Ton::International && self.digits > 0 {
            f.write_str("+")?;
        }
        self.nibbles().try_for_each(|n| fmt::Write::write_char(f, bcd::dialling_char(n).unwrap_or('?')))
    }
}

/// One record of EF_ADN, EF_MSISDN and the like (TS 51.011 §10.5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DiallingNumber<'a> {
    /// The alpha identifier (may be empty) (TS 51.011 §10.5.1).
    pub alpha: Alpha<'a>,
    /// The number; `None` when the length byte is `FF` (or 0) (TS 51.011 §10.5.1).
    pub number: Option<Number<'a>>,
    /// The capability/configuration identifier; `None` for `FF` (TS 51.011 §10.5.1).
    pub ccp: Option<u8>,
    /// The extension record identifier; `None` for `FF` (TS 51.011 §10.5.1).
    pub ext: Option<u8>,
}

impl<'a> DiallingNumber<'a> {
    /// Decode a record (X + 14 bytes; X is the record length minus 14) (TS 51.011 §10.5.1).
    ///
    /// # Errors
    /// [`DecodeError::Truncated`] for fewer than 14 bytes;
    /// [`DecodeError::Invalid`] for a number length above 11 or a digit outside
    /// the extended BCD set (an `F` before the end), naming its byte; the
    /// alpha identifier's error.
    pub fn parse(record: &'a [u8]) -> Result<Self, DecodeError> {
        let x = record.len().checked_sub(TRAILER).ok_or_else(|| DecodeError::Truncated {
            what: "dialling number record",
            offset: record.len(),
            needed: TRAILER.saturating_sub(record.len()),
        })?;
        let (alpha_bytes, trailer) = record.split_at(x);
        let alpha = Alpha::parse(alpha_bytes)?;
        let Some(([len, ton_npi], rest)) = trailer.split_first_chunk::<2>() else {
            return Err(DecodeError::Truncated {
                what: "dialling number record",
                offset: record.len(),
                needed: 2,
            });
        };
        let Some((number_field, [ccp, ext])) = rest.split_last_chunk::<2>() else {
            return Err(DecodeError::Truncated {
                what: "dialling number record",
                offset: record.len(),
                needed: 2,
            });
        };
        let number = match *len {
            0xFF | 0x00 => None,
            n if usize::from(n) <= NUMBER_BYTES + 1 => {
                let bcd_bytes = number_field.get(..usize::from(n) - 1).unwrap_or_default();
                let digits = bcd::digit_count(bcd_bytes);
                for (i, nibble) in bcd::nibbles(bcd_bytes).take(digits).enumerate() {
                    if bcd::dialling_char(nibble).is_none() {
                        return Err(DecodeError::Invalid {
                            what: "dialling number digit",
                            offset: x + 2 + i / 2,
                            found: nibble,
                        });
                    }
                }
                Some(Number { ton_npi: TonNpi(*ton_npi), bcd: bcd_bytes, digits })
            }
            n => return Err(DecodeError::Invalid { what: "dialling number length", offset: x, found: n }),
        };
        let id = |b: u8| (b != 0xFF).then_some(b);
        Ok(DiallingNumber { alpha, number, ccp: id(*ccp), ext: id(*ext) })
    }

    /// Whether the record is unused: no alpha identifier and no number (TS 51.011 §10.5.1).
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.alpha.is_empty() && self.number.is_none()
    }

    /// Write a record filling all of `record` (X + 14 bytes): `alpha`, then
    /// `number` as dialled. A leading `+` gives TON/NPI `91` (international,
    /// E.164), otherwise `81`; the digits are `0`–`9`, `*`, `#`, `,`/`p` (pause),
    /// `N`/`?` (wild) and `;` (the expansion digit `E`), at most 20. CCP and EXT are `FF`. An empty `number`
    /// writes no number (TS 51.011 §10.5.1).
    ///
    /// # Errors
    /// [`EncodeError::InvalidChar`] for a character outside that set,
    /// [`EncodeError::OutOfRange`] for more than 20 digits,
    /// [`EncodeError::BufferTooSmall`] for a record shorter than 14 bytes or an
    /// alpha identifier longer than X.
    pub fn encode_into(alpha: &str, number: &str, record: &mut [u8]) -> Result<(), EncodeError> {
        let (ton_npi, digits) = match number.strip_prefix('+') {
            Some(rest) => (TonNpi::INTERNATIONAL, rest),
            None => (TonNpi::UNKNOWN_ISDN, number),
        };
        let skip = number.len() - digits.len();
        let mut count = 0u32;
        for (offset, c) in digits.chars().enumerate() {
            if bcd::dialling_nibble(c).is_none() {
                return Err(EncodeError::InvalidChar {
                    what: "dialling number",
                    offset: offset + skip,
                    found: c,
                });
            }
            count += 1;
        }
        if count > 20 {
            return Err(EncodeError::OutOfRange { what: "dialling number digits", value: count, max: 20 });
        }
        let capacity = record.len();
        let x = capacity.checked_sub(TRAILER).ok_or(EncodeError::too_small(TRAILER, capacity))?;
        let (alpha_field, trailer) = record.split_at_mut(x);
        alpha::encode(alpha, alpha_field).map_err(|e| match e {
            EncodeError::BufferTooSmall { needed, .. } => EncodeError::too_small(needed + TRAILER, capacity),
            other => other,
        })?;
        trailer.fill(0xFF);
        if let Some(([len, ton], rest)) = trailer.split_first_chunk_mut::<2>()
            && count > 0
        {
            let field = rest.get_mut(..NUMBER_BYTES).unwrap_or_default();
            let used = bcd::encode_into(digits.chars().filter_map(bcd::dialling_nibble), field)?;
            *len = u8::try_from(used + 1).unwrap_or(0xFF);
            *ton = ton_npi.0;
        }
        Ok(())
    }
}
