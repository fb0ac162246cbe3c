//! The one table of clock rate conversion (Fi, fmax) and baud rate adjustment
//! (Di) factors, ISO/IEC 7816-3:2006 §8.3 tables 7 and 8.
//!
//! TA1 of the ATR and PPS1 of a PPS exchange carry the same byte: FI in b8–b5
//! and DI in b4–b1. [`FiDi`] holds that byte and answers every question about
//! it (Fi, Di, fmax, clocks per etu, bit rate at a clock); the virtual card and
//! the host side both read this table, nothing else repeats it.

use core::fmt;

/// Fi and fmax (kHz) for an FI code, `None` where the code is reserved for
/// future use (ISO/IEC 7816-3:2006 table 7).
const fn fi_fmax(fi_code: u8) -> Option<(u16, u32)> {
    match fi_code & 0x0F {
        0x0 => Some((372, 4_000)),
        0x1 => Some((372, 5_000)),
        0x2 => Some((558, 6_000)),
        0x3 => Some((744, 8_000)),
        0x4 => Some((1116, 12_000)),
        0x5 => Some((1488, 16_000)),
        0x6 => Some((1860, 20_000)),
        0x9 => Some((512, 5_000)),
        0xA => Some((768, 7_500)),
        0xB => Some((1024, 10_000)),
        0xC => Some((1536, 15_000)),
        0xD => Some((2048, 20_000)),
        _ => None,
    }
}

/// Di for a DI code (ISO/IEC 7816-3:2006 table 8). DI = 7 (Di = 64) was
/// reserved in the 1997 edition.
const fn di_value(di_code: u8) -> Option<u8> {
    match di_code & 0x0F {
        0x1 => Some(1),
        0x2 => Some(2),
        0x3 => Some(4),
        0x4 => Some(8),
        0x5 => Some(16),
        0x6 => Some(32),
        0x7 => Some(64),
        0x8 => Some(12),
        0x9 => Some(20),
        _ => None,
    }
}

/// The default clock rate conversion integer Fd = 372 (ISO/IEC 7816-3:2006 §7.1).
pub const FD: u16 = 372;

/// The default baud rate adjustment integer Dd = 1 (ISO/IEC 7816-3:2006 §7.1).
pub const DD: u8 = 1;

/// The FI/DI byte of TA1 and PPS1 (ISO/IEC 7816-3:2006 §8.3, tables 7 and 8;
/// §9.2 for PPS1).
///
/// Reserved codes are kept, not rejected: [`FiDi::fi`] or [`FiDi::di`] then
/// answer `None`, and so does everything derived from them.
///
/// ```
/// use simcore::atr::FiDi;
/// let ta1 = FiDi::from_byte(0x96); // vector V01: Fi 512, Di 32
/// assert_eq!((ta1.fi(), ta1.di(), ta1.fmax_khz()), (Some(512), Some(32), Some(5_000)));
/// assert_eq!(ta1.bit_rate(3_571_200), Some(223_200));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct FiDi(u8);

impl FiDi {
    /// `11`: Fd = 372, Dd = 1, the values in force without TA1 and before any
    /// PPS (ISO/IEC 7816-3:2006 §8.3). Its fmax is 5 MHz.
    pub const DEFAULT: Self = Self(0x11);

    /// Wraps a TA1 or PPS1 byte (ISO/IEC 7816-3:2006 §8.3; §9.2 for PPS1).
    #[must_use]
    pub const fn from_byte(byte: u8) -> Self {
        Self(byte)
    }

    /// Builds the byte from an FI code and a DI code, the low four bits of each
    /// (ISO/IEC 7816-3:2006 §8.3).
    #[must_use]
    pub const fn from_codes(fi_code: u8, di_code: u8) -> Self {
        Self(((fi_code & 0x0F) << 4) | (di_code & 0x0F))
    }

    /// The byte itself (TA1 or PPS1, ISO/IEC 7816-3:2006 §8.3).
    #[must_use]
    pub const fn byte(self) -> u8 {
        self.0
    }

    /// FI, the code in b8–b5 (ISO/IEC 7816-3:2006 §8.3).
    #[must_use]
    pub const fn fi_code(self) -> u8 {
        self.0 >> 4
    }

    /// DI, the code in b4–b1 (ISO/IEC 7816-3:2006 §8.3).
    #[must_use]
    pub const fn di_code(self) -> u8 {
        self.0 & 0x0F
    }

    /// Fi, the clock rate conversion integer; `None` for a reserved FI
    /// (ISO/IEC 7816-3:2006 table 7).
    #[must_use]
    pub const fn fi(self) -> Option<u16> {
        match fi_fmax(self.fi_code()) {
            Some((fi, _)) => Some(fi),
            None => None,
        }
    }

    /// Di, the baud rate adjustment integer; `None` for a reserved DI
    /// (ISO/IEC 7816-3:2006 table 8).
    #[must_use]
    pub const fn di(self) -> Option<u8> {
        di_value(self.di_code())
    }

    /// fmax, the highest clock frequency the card accepts, in kHz; `None` for a
    /// reserved FI (ISO/IEC 7816-3:2006 table 7).
    #[must_use]
    pub const fn fmax_khz(self) -> Option<u32> {
        match fi_fmax(self.fi_code()) {
            Some((_, fmax)) => Some(fmax),
            None => None,
        }
    }

    /// Whether both codes are defined by the standard (ISO/IEC 7816-3:2006
    /// tables 7 and 8).
    #[must_use]
    pub const fn is_valid(self) -> bool {
        self.fi().is_some() && self.di().is_some()
    }

    /// Clocks per etu as the exact fraction Fi / Di (for example 512 / 32 = 16,
    /// 372 / 8 = 46.5), `None` if a code is reserved; Fi and Di from
    /// ISO/IEC 7816-3:2006 §8.3.
    #[must_use]
    pub const fn clocks_per_etu(self) -> Option<(u16, u8)> {
        match (self.fi(), self.di()) {
            (Some(fi), Some(di)) => Some((fi, di)),
            _ => None,
        }
    }

    /// Bits per second at a clock of `clock_hz`: f × Di / Fi, rounded down (Fi
    /// and Di from ISO/IEC 7816-3:2006 §8.3).
    #[must_use]
    pub fn bit_rate(self, clock_hz: u32) -> Option<u32> {
        let (fi, di) = self.clocks_per_etu()?;
        // The quotient is at most clock_hz × 64 / 372 < 2^32.
        u32::try_from(u64::from(clock_hz) * u64::from(di) / u64::from(fi)).ok()
    }

    /// One etu in nanoseconds at a clock of `clock_hz`: Fi / (Di × f), rounded
    /// to the nearest nanosecond (Fi and Di from ISO/IEC 7816-3:2006 §8.3).
    /// `None` for a reserved code or a zero clock.
    #[must_use]
    pub fn etu_ns(self, clock_hz: u32) -> Option<u32> {
        let (fi, di) = self.clocks_per_etu()?;
        if clock_hz == 0 {
            return None;
        }
        let den = u64::from(di) * u64::from(clock_hz);
        let ns = (u64::from(fi) * 1_000_000_000 + den / 2) / den;
        // Beyond u32 only for clocks below about 1 kHz: saturate.
        Some(u32::try_from(ns).unwrap_or(u32::MAX))
    }
}

impl Default for FiDi {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl fmt::Debug for FiDi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FiDi({:02X})", self.0)
    }
}

/// `Fi = 512, Di = 32`, with `RFU` for a reserved code.
impl fmt::Display for FiDi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.fi() {
            Some(fi) => write!(f, "Fi = {fi}")?,
            None => write!(f, "Fi = RFU (FI {:X})", self.fi_code())?,
        }
        match self.di() {
            Some(di) => write!(f, ", Di = {di}"),
            None => write!(f, ", Di = RFU (DI {:X})", self.di_code()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Table values as printed by pcsc-tools ATR_analysis (@Fi, @FMax, @Di) and
    // digest §1.4.
    #[test]
    fn every_code() {
        let fi: [Option<u16>; 16] =
            core::array::from_fn(|c| FiDi::from_codes(u8::try_from(c).unwrap(), 1).fi());
        assert_eq!(
            fi,
            [
                Some(372),
                Some(372),
                Some(558),
                Some(744),
                Some(1116),
                Some(1488),
                Some(1860),
                None,
                None,
                Some(512),
                Some(768),
                Some(1024),
                Some(1536),
                Some(2048),
                None,
                None
            ]
        );
        let di: [Option<u8>; 16] =
            core::array::from_fn(|c| FiDi::from_codes(1, u8::try_from(c).unwrap()).di());
        assert_eq!(
            di[..10],
            [None, Some(1), Some(2), Some(4), Some(8), Some(16), Some(32), Some(64), Some(12), Some(20)]
        );
        assert!(di[10..].iter().all(Option::is_none));
        assert_eq!(FiDi::from_byte(0xA1).fmax_khz(), Some(7_500));
        assert_eq!(FiDi::from_byte(0x01).fmax_khz(), Some(4_000));
        assert_eq!(FiDi::from_byte(0x71).fmax_khz(), None);
    }

    #[test]
    fn derived_values() {
        // Digest §1.4: 0x96 → 16 clocks per etu, 0x11 → 372, 0x18 → 372/12 = 31.
        assert_eq!(FiDi::from_byte(0x96).clocks_per_etu(), Some((512, 32)));
        assert_eq!(FiDi::DEFAULT.clocks_per_etu(), Some((372, 1)));
        // V07: 3.5712 MHz with the defaults is 9600 bit/s, an etu of 104.17 µs.
        assert_eq!(FiDi::DEFAULT.bit_rate(3_571_200), Some(9_600));
        assert_eq!(FiDi::DEFAULT.etu_ns(3_571_200), Some(104_167));
        // ATR_analysis: TA1 = 96 gives 250000 bits/s at 4 MHz.
        assert_eq!(FiDi::from_byte(0x96).bit_rate(4_000_000), Some(250_000));
        assert_eq!(FiDi::from_byte(0x70).bit_rate(4_000_000), None);
        assert_eq!(FiDi::from_byte(0x11).etu_ns(0), None);
        assert_eq!(FiDi::from_byte(0xD7).etu_ns(1), Some(u32::MAX));
    }

    #[test]
    fn display() {
        assert_eq!(std::format!("{}", FiDi::from_byte(0x96)), "Fi = 512, Di = 32");
        assert_eq!(std::format!("{}", FiDi::from_byte(0x7A)), "Fi = RFU (FI 7), Di = RFU (DI A)");
    }
}
