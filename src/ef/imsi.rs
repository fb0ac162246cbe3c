//! EF_IMSI (6F07): the international mobile subscriber identity, TS 51.011
//! §10.3.2 (TS 31.102 §4.2.2), coded as the mobile identity of TS 24.008
//! §10.5.1.4.
//!
//! | Byte | Content |
//! |---|---|
//! | 1 | L, the bytes in use after this one (1–8) |
//! | 2 | b8–b5 digit 1; b4 parity (1 = odd number of digits); b3–b1 type of identity `001` |
//! | 3 … L+1 | the other digits, low nibble first; an even count leaves the last high nibble `F` |
//!
//! The MCC is the first three digits; the MNC's length is not in the IMSI. It
//! comes from EF_AD byte 4 ([`crate::ef::Ad`]); without it, [`Imsi::mnc_length`]
//! applies the documented fallback of [`mnc_length_fallback`] (resolved Q10).

use super::ad::Ad;
use super::plmn::{MncLength, Plmn};
use crate::codec::error::check_digit_count;
use crate::codec::{DecodeError, bcd};
use core::fmt;
use core::str::FromStr;

/// Bytes of EF_IMSI.
const EF_LEN: usize = 9;
/// Digits of an IMSI at most (TS 23.003 §2.2).
const MAX_DIGITS: usize = 15;
/// Digits of an IMSI at least here: MCC, a 3-digit MNC (or a 2-digit one and
/// one MSIN digit).
const MIN_DIGITS: usize = 6;

/// An IMSI: 6 to 15 decimal digits, kept as text (no allocation, `Copy`)
/// (TS 51.011 §10.3.2, TS 24.008 §10.5.1.4).
#[derive(Clone, Copy)]
pub struct Imsi {
    text: [u8; MAX_DIGITS],
    len: u8,
}

/// Where [`Imsi::mnc_length`] took the MNC length from (TS 51.011 §10.3.18, resolved Q10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MncLengthSource {
    /// EF_AD byte 4 (TS 51.011 §10.3.18): the card says it.
    Ad,
    /// The fallback table of [`mnc_length_fallback`] lists the MCC (or MCC+MNC)
    /// as using three digits; used when EF_AD lacks byte 4 (TS 51.011 §10.3.18).
    Table,
    /// Nothing said otherwise: two digits, when EF_AD lacks byte 4 (TS 51.011 §10.3.18).
    Default,
}

/// MCCs whose MNCs have three digits: oFono's `plugins/mnclength.c`, built from
/// the ITU-T E.212 list of 1 January 2013 (resolved Q10). Sorted.
const THREE_DIGIT_MCCS: [u16; 30] = [
    302, 310, 311, 312, 313, 314, 315, 316, 330, 332, 334, 338, 342, 344, 346, 348, 350, 352, 354, 356, 358,
    360, 364, 365, 366, 376, 708, 722, 732, 750,
];

/// MCC+MNC ranges (six digits, inclusive) with a three-digit MNC under an MCC
/// of mostly two-digit MNCs: the union of oFono's exceptions and Android's
/// `IccRecords` list (resolved Q10). Sorted.
const THREE_DIGIT_MCC_MNCS: [(u32, u32); 14] = [
    (374_130, 374_130),
    (374_140, 374_140),
    (405_000, 405_000),
    (405_005, 405_007),
    (405_009, 405_014),
    (405_018, 405_018),
    (405_020, 405_022),
    (405_025, 405_047),
    (405_750, 405_756),
    (405_799, 405_886),
    (405_908, 405_932),
    (502_142, 502_143),
    (502_145, 502_148),
    (714_020, 714_020),
];

/// The MNC length when EF_AD (TS 51.011 §10.3.18) does not give it (resolved Q10): three digits if
/// `mcc` is in oFono's E.212-derived list (302, 310–316, 330, 332, 334, 338,
/// 342–360 even, 364–366, 376, 708, 722, 732, 750) or `mcc`+`mnc3` (the first
/// three digits after the MCC) is one of the listed exceptions (India's 405
/// ranges, 374130/374140, Malaysia's 502142–502148, 714020 …); else two.
/// Android differs for 354–360 and 376, wpa_supplicant defaults to three: pass
/// your own length to [`Imsi::plmn`] to follow them.
#[must_use]
pub fn mnc_length_fallback(mcc: u16, mnc3: u16) -> (MncLength, MncLengthSource) {
    let key = u32::from(mcc) * 1000 + u32::from(mnc3);
    if THREE_DIGIT_MCCS.binary_search(&mcc).is_ok()
        || THREE_DIGIT_MCC_MNCS.iter().any(|&(lo, hi)| (lo..=hi).contains(&key))
    {
        (MncLength::Three, MncLengthSource::Table)
    } else {
        (MncLength::Two, MncLengthSource::Default)
    }
}

impl Imsi {
    /// Length of EF_IMSI in bytes (TS 51.011 §10.3.2).
    pub const EF_LEN: usize = EF_LEN;

    /// Decode EF_IMSI (9 bytes; a shorter read is accepted when it holds the L
    /// bytes announced) (TS 51.011 §10.3.2).
    ///
    /// # Errors
    /// [`DecodeError::Empty`] for L = `FF` or 0; [`DecodeError::Invalid`] for
    /// L above 8, a type of identity other than IMSI, a parity bit that
    /// disagrees with the digits, or a non-decimal digit (naming its byte);
    /// [`DecodeError::Truncated`]; [`DecodeError::TrailingBytes`] past 9 bytes.
    pub fn from_ef(bytes: &[u8]) -> Result<Self, DecodeError> {
        if bytes.len() > EF_LEN {
            return Err(DecodeError::TrailingBytes { what: "EF_IMSI", offset: EF_LEN });
        }
        let (&l, rest) =
            bytes.split_first().ok_or(DecodeError::Truncated { what: "EF_IMSI", offset: 0, needed: 2 })?;
        if l == 0xFF || l == 0 {
            return Err(DecodeError::Empty { what: "IMSI", offset: 0 });
        }
        if l > 8 {
            return Err(DecodeError::Invalid { what: "EF_IMSI length", offset: 0, found: l });
        }
        let (used, _) = crate::codec::error::take(rest, usize::from(l), "EF_IMSI", 1)?;
        let Some(&first) = used.first() else {
            return Err(DecodeError::Empty { what: "IMSI", offset: 0 });
        };
        if first & 0x07 != 0x01 {
            return Err(DecodeError::Invalid { what: "IMSI type of identity", offset: 1, found: first });
        }
        let odd = first & 0x08 != 0;
        let last_high = used.last().map_or(0x0F, |b| b >> 4);
        let count = 2 * usize::from(l) - 1 - usize::from(!odd);
        if (last_high == bcd::FILLER) == odd {
            return Err(DecodeError::Invalid { what: "IMSI parity", offset: 1, found: first });
        }
        if count < MIN_DIGITS {
            return Err(DecodeError::Invalid {
                what: "EF_IMSI length (fewer than 6 digits)",
                offset: 0,
                found: l,
            });
        }
        let mut text = [0u8; MAX_DIGITS];
        // Digit positions start at the high nibble of byte 2 (nibble index 1).
        for (i, slot) in text.iter_mut().take(count).enumerate() {
            let n = bcd::nibble(used, i + 1).unwrap_or(bcd::FILLER);
            if n > 9 {
                return Err(DecodeError::Invalid { what: "IMSI digit", offset: 1 + i.div_ceil(2), found: n });
            }
            *slot = b'0' + n;
        }
        Ok(Imsi { text, len: u8::try_from(count).unwrap_or(0) })
    }

    /// Parse a printed IMSI: 6 to 15 decimal digits (TS 23.003 §2.2).
    ///
    /// # Errors
    /// [`DecodeError::InvalidChar`] for a non-digit, [`DecodeError::DigitCount`]
    /// for fewer than 6 digits or more than 15.
    pub fn parse(text: &str) -> Result<Self, DecodeError> {
        const WHAT: &str = "printed IMSI";
        let mut out = [0u8; MAX_DIGITS];
        let mut len = 0usize;
        for (offset, c) in text.chars().enumerate() {
            if !c.is_ascii_digit() {
                return Err(DecodeError::InvalidChar { what: WHAT, offset, found: c });
            }
            if let Some(slot) = out.get_mut(len) {
                *slot = u8::try_from(c).unwrap_or(b'0');
            }
            len += 1;
        }
        check_digit_count(WHAT, text, len, MIN_DIGITS, MAX_DIGITS)?;
        Ok(Imsi { text: out, len: u8::try_from(len).unwrap_or(0) })
    }

    /// The digits (TS 23.003 §2.2).
    #[must_use]
    pub fn as_str(&self) -> &str {
        core::str::from_utf8(self.text.get(..usize::from(self.len)).unwrap_or_default()).unwrap_or_default()
    }

    /// Number of digits, 6 to 15 (TS 23.003 §2.2).
    #[must_use]
    pub const fn len(&self) -> usize {
        self.len as usize
    }

    /// Always false: an [`Imsi`] has at least 6 digits (TS 23.003 §2.2).
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The number formed by digits `range` of the IMSI.
    fn number(&self, from: usize, count: usize) -> u16 {
        self.text.iter().skip(from).take(count).fold(0u16, |n, &d| n * 10 + u16::from(d.wrapping_sub(b'0')))
    }

    /// The mobile country code, the first three digits (TS 23.003 §2.2).
    #[must_use]
    pub fn mcc(&self) -> u16 {
        self.number(0, 3)
    }

    /// The MNC length: from EF_AD when it gives one, else by
    /// [`mnc_length_fallback`] (TS 51.011 §10.3.18).
    #[must_use]
    pub fn mnc_length(&self, ad: Option<&Ad>) -> (MncLength, MncLengthSource) {
        match ad.and_then(|ad| ad.mnc_length) {
            Some(len) => (len, MncLengthSource::Ad),
            None => mnc_length_fallback(self.mcc(), self.number(3, 3)),
        }
    }

    /// The home PLMN, with an MNC of `mnc_length` digits (TS 23.003 §2.2).
    #[must_use]
    pub fn plmn(&self, mnc_length: MncLength) -> Plmn {
        // Three digits and two or three digits: always in range.
        Plmn::from_parts(self.mcc(), self.number(3, mnc_length.digits()), mnc_length)
    }

    /// The mobile subscriber identification number, after MCC and MNC (TS 23.003 §2.2).
    #[must_use]
    pub fn msin(&self, mnc_length: MncLength) -> &str {
        self.as_str().get(3 + mnc_length.digits()..).unwrap_or_default()
    }

    /// The 9 bytes of EF_IMSI, `FF`-padded (TS 51.011 §10.3.2).
    #[must_use]
    pub fn to_ef(&self) -> [u8; EF_LEN] {
        let len = self.len();
        let odd = len % 2 == 1;
        let mut out = [0xFF; EF_LEN];
        let parity = if odd { 0x09 } else { 0x01 };
        let digits = core::iter::once(parity).chain(self.as_str().bytes().map(|b| b - b'0'));
        if let Some((first, body)) = out.split_first_mut() {
            // (len + 1) nibbles, rounded up to bytes: at most 8.
            *first = u8::try_from((len + 2) / 2).unwrap_or(8);
            let _ = bcd::encode_into(digits, body);
        }
        out
    }
}

impl PartialEq for Imsi {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Imsi {}

impl core::hash::Hash for Imsi {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl FromStr for Imsi {
    type Err = DecodeError;

    fn from_str(s: &str) -> Result<Self, DecodeError> {
        Imsi::parse(s)
    }
}

impl fmt::Display for Imsi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Imsi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Imsi({})", self.as_str())
    }
}
