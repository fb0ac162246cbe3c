//! What the interface characters mean, ISO/IEC 7816-3:2006 §8.1–§8.3, §10.2,
//! §11.4, and ETSI TS 102 221 §6.3 for the global bytes after T=15.
//!
//! Each type here decodes one byte (or one field of one): the convention
//! (TS), the deprecated programming bytes (TB1, TB2), the extra guard time
//! (TC1), the specific mode byte (TA2), the T=1 parameters (IFSC, BWI, CWI,
//! EDC), and the clock stop, class and SPU bytes after T=15. Where a byte is
//! absent the default of the standard applies; the types carry their
//! defaults. Which byte is which is decided by [`Atr`](super::Atr).

use super::tables::{FD, FiDi};
use core::fmt;

/// The convention announced by TS (ISO/IEC 7816-3:2006 §8.1).
///
/// In the direct convention a logical 1 is the high state and bits travel
/// least significant first; in the inverse convention a logical 1 is the low
/// state and bits travel most significant first. A UART set up for the direct
/// convention therefore receives each inverse-convention byte complemented
/// and bit-reversed: TS 3F arrives as 03 (digest §1.2, vector V12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Convention {
    /// TS = 3B (§8.1).
    Direct,
    /// TS = 3F (§8.1).
    Inverse,
}

impl Convention {
    /// The convention a logical TS byte announces: 3B or 3F, else `None`
    /// (ISO/IEC 7816-3:2006 §8.1).
    #[must_use]
    pub const fn from_ts(ts: u8) -> Option<Self> {
        match ts {
            0x3B => Some(Convention::Direct),
            0x3F => Some(Convention::Inverse),
            _ => None,
        }
    }

    /// The logical TS byte: 3B or 3F (ISO/IEC 7816-3:2006 §8.1).
    #[must_use]
    pub const fn ts(self) -> u8 {
        match self {
            Convention::Direct => 0x3B,
            Convention::Inverse => 0x3F,
        }
    }

    /// `"direct"` or `"inverse"` (ISO/IEC 7816-3:2006 §8.1).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Convention::Direct => "direct",
            Convention::Inverse => "inverse",
        }
    }

    /// The logical byte for a byte received by a UART set up for the direct
    /// convention (ISO/IEC 7816-3:2006 §8.1): unchanged in the direct
    /// convention; complemented and bit-reversed in the inverse convention (the
    /// operation is its own inverse, so [`Convention::to_line`] is the same
    /// mapping).
    ///
    /// ```
    /// use simcore::atr::Convention;
    /// assert_eq!(Convention::Inverse.from_line(0x03), 0x3F); // vector V12
    /// assert_eq!(Convention::Inverse.from_line(0xC0), 0xFC);
    /// ```
    #[must_use]
    pub const fn from_line(self, raw: u8) -> u8 {
        match self {
            Convention::Direct => raw,
            Convention::Inverse => (!raw).reverse_bits(),
        }
    }

    /// The byte to hand a direct-convention UART so that the card receives
    /// `logical` in this convention (ISO/IEC 7816-3:2006 §8.1).
    #[must_use]
    pub const fn to_line(self, logical: u8) -> u8 {
        self.from_line(logical)
    }
}

impl fmt::Display for Convention {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// TB1 and TB2: the programming voltage and current of contact C6 (VPP),
/// ISO/IEC 7816-3:1997 §6.5.3. **Deprecated**: ISO/IEC 7816-3:2006 §8.3 says a
/// card should not send them and an interface device shall ignore them; they
/// are decoded for analysis only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Programming {
    tb1: Option<u8>,
    tb2: Option<u8>,
}

impl Programming {
    /// From TB1 and TB2, each optional (ISO/IEC 7816-3:2006 §8.3).
    #[must_use]
    pub const fn from_bytes(tb1: Option<u8>, tb2: Option<u8>) -> Self {
        Self { tb1, tb2 }
    }

    /// TB1 as received (ISO/IEC 7816-3:2006 §8.3).
    #[must_use]
    pub const fn tb1(&self) -> Option<u8> {
        self.tb1
    }

    /// TB2 as received (ISO/IEC 7816-3:2006 §8.3).
    #[must_use]
    pub const fn tb2(&self) -> Option<u8> {
        self.tb2
    }

    /// PI1, TB1 b5–b1: VPP in volts, 5 to 25; `None` when TB1 is absent,
    /// when PI1 = 0 (VPP not connected, [`Programming::vpp_not_connected`])
    /// and for the reserved values 1–4 and 26–31 (ISO/IEC 7816-3:1997 §6.5.3).
    #[must_use]
    pub const fn pi1(&self) -> Option<u8> {
        match self.tb1 {
            Some(tb1) if matches!(tb1 & 0x1F, 5..=25) => Some(tb1 & 0x1F),
            _ => None,
        }
    }

    /// II, TB1 b7–b6, as the maximum programming current in mA (25, 50, 100);
    /// `None` when TB1 is absent or II = 3, reserved (ISO/IEC 7816-3:1997
    /// §6.5.3).
    #[must_use]
    pub const fn ii_milliamps(&self) -> Option<u8> {
        match self.tb1 {
            Some(tb1) => match (tb1 >> 5) & 0x03 {
                0 => Some(25),
                1 => Some(50),
                2 => Some(100),
                _ => None,
            },
            None => None,
        }
    }

    /// Whether TB1 says VPP is not connected (PI1 = 0, ISO/IEC 7816-3:1997
    /// §6.5.3; TB1 = 00 is what EMV cards send).
    #[must_use]
    pub const fn vpp_not_connected(&self) -> bool {
        matches!(self.tb1, Some(tb1) if tb1 & 0x1F == 0)
    }

    /// PI2, TB2: VPP in tenths of a volt when 50..=250 (it replaces PI1); other
    /// values are reserved (ISO/IEC 7816-3:1997 §6.5.3).
    #[must_use]
    pub const fn pi2_decivolts(&self) -> Option<u8> {
        match self.tb2 {
            Some(pi2 @ 50..=250) => Some(pi2),
            _ => None,
        }
    }
}

/// TC1: the extra guard time integer N (ISO/IEC 7816-3:2006 §8.3). Absent
/// means N = 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExtraGuardTime(u8);

impl ExtraGuardTime {
    /// N = 0, the value without TC1 (ISO/IEC 7816-3:2006 §8.3).
    pub const DEFAULT: Self = Self(0);

    /// Wraps N (ISO/IEC 7816-3:2006 §8.3).
    #[must_use]
    pub const fn new(n: u8) -> Self {
        Self(n)
    }

    /// N, 0..=255 (ISO/IEC 7816-3:2006 §8.3).
    #[must_use]
    pub const fn n(self) -> u8 {
        self.0
    }

    /// Whether N = 255, the special value (ISO/IEC 7816-3:2006 §8.3): the guard
    /// time is the minimum, 12 etu between characters in T=0 and 11 etu (CGT)
    /// in T=1.
    #[must_use]
    pub const fn is_minimum(self) -> bool {
        self.0 == 255
    }

    /// The delay between the leading edges of two consecutive characters
    /// sent to the card, in etu: 12 + N, or for N = 255 the minimum of the
    /// protocol (12 for T=0, 11 for T=1). This takes the etu of N to be the
    /// etu in use, which holds except for a card that indicates T=15 and is
    /// still at Fd/Dd while TA1 says otherwise (ISO/IEC 7816-3:2006 §8.3).
    #[must_use]
    pub const fn character_guard_time_etu(self, protocol: u8) -> u16 {
        match (self.0, protocol) {
            (255, 1) => 11,
            (255, _) => 12,
            (n, _) => 12 + n as u16,
        }
    }
}

impl Default for ExtraGuardTime {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// TA2, the specific mode byte (ISO/IEC 7816-3:2006 §8.3). Its presence puts
/// the card in specific mode: no PPS, the protocol and parameters are fixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SpecificMode(u8);

impl SpecificMode {
    /// Wraps a TA2 byte (ISO/IEC 7816-3:2006 §8.3).
    #[must_use]
    pub const fn from_byte(byte: u8) -> Self {
        Self(byte)
    }

    /// The byte itself (TA2, ISO/IEC 7816-3:2006 §8.3).
    #[must_use]
    pub const fn byte(self) -> u8 {
        self.0
    }

    /// T, b4–b1: the protocol to use (ISO/IEC 7816-3:2006 §8.3).
    #[must_use]
    pub const fn protocol(self) -> u8 {
        self.0 & 0x0F
    }

    /// b8 = 0: the card can change to negotiable mode (after a warm reset);
    /// b8 = 1: it cannot (digest §1.5 and D4 follow pcsc-tools and ISO).
    #[must_use]
    pub const fn can_change(self) -> bool {
        self.0 & 0x80 == 0
    }

    /// b5 = 1: the transmission parameters are defined implicitly, not by the
    /// interface bytes; b5 = 0: use Fi/Di from TA1 or the defaults
    /// (ISO/IEC 7816-3:2006 §8.3).
    #[must_use]
    pub const fn implicit_parameters(self) -> bool {
        self.0 & 0x10 != 0
    }

    /// b7–b6, reserved: should be 0 (ISO/IEC 7816-3:2006 §8.3).
    #[must_use]
    pub const fn reserved_bits(self) -> u8 {
        self.0 & 0x60
    }
}

/// TC2: the waiting time integer WI of T=0 (ISO/IEC 7816-3:2006 §10.2).
/// Absent means WI = 10; 00 is reserved.
pub const DEFAULT_WI: u8 = 10;

/// The work waiting time WT = WI × 960 × Fi clock cycles (ISO/IEC 7816-3:2006
/// §10.2): the most time between the leading edges of two consecutive
/// characters in T=0. `None` for a reserved FI.
///
/// ```
/// use simcore::atr::{FiDi, work_waiting_time_clocks};
/// // Vector V07: WI 10 and Fi 372 give 3 571 200 clocks, 1 s at 3.5712 MHz.
/// assert_eq!(work_waiting_time_clocks(10, FiDi::DEFAULT), Some(3_571_200));
/// ```
#[must_use]
pub const fn work_waiting_time_clocks(wi: u8, fi_di: FiDi) -> Option<u32> {
    match fi_di.fi() {
        // At most 255 × 960 × 2048 = 501 350 400 < 2^32.
        Some(fi) => Some(wi as u32 * 960 * fi as u32),
        None => None,
    }
}

/// Clock cycles at `clock_hz` as microseconds, rounded to the nearest; `None`
/// for a zero clock or a result beyond `u32` (ISO/IEC 7816-3:2006 §7.1).
#[must_use]
pub fn clocks_to_micros(clocks: u64, clock_hz: u32) -> Option<u32> {
    if clock_hz == 0 {
        return None;
    }
    let us = (u128::from(clocks) * 1_000_000 + u128::from(clock_hz / 2)) / u128::from(clock_hz);
    u32::try_from(us).ok()
}

/// The error detection code of T=1, TCi b1 (ISO/IEC 7816-3:2006 §11.4.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Edc {
    /// Longitudinal redundancy check, one byte (b1 = 0, the default; §11.4.4).
    #[default]
    Lrc,
    /// Cyclic redundancy check, two bytes (b1 = 1; §11.4.4).
    Crc,
}

/// The T=1 parameters from the first TAi, TBi and TCi (i ≥ 3) for T=1
/// (ISO/IEC 7816-3:2006 §11.4), with the defaults where a byte is absent:
/// IFSC 32, BWI 4, CWI 13, LRC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct T1Parameters {
    ifsc: u8,
    bwi: u8,
    cwi: u8,
    edc: Edc,
}

impl T1Parameters {
    /// The defaults: IFSC 32, BWI 4, CWI 13, LRC (§11.4).
    pub const DEFAULT: Self = Self { ifsc: 32, bwi: 4, cwi: 13, edc: Edc::Lrc };

    /// From the first TA, TB and TC for T=1, each optional (ISO/IEC 7816-3:2006
    /// §11.4).
    #[must_use]
    pub const fn from_bytes(ta: Option<u8>, tb: Option<u8>, tc: Option<u8>) -> Self {
        let mut p = Self::DEFAULT;
        if let Some(ta) = ta {
            p.ifsc = ta;
        }
        if let Some(tb) = tb {
            p.bwi = tb >> 4;
            p.cwi = tb & 0x0F;
        }
        if let Some(tc) = tc {
            p.edc = if tc & 0x01 == 0 { Edc::Lrc } else { Edc::Crc };
        }
        p
    }

    /// IFSC, the largest information field the card accepts (TA); 01..=FE are
    /// valid, 00 and FF reserved (ISO/IEC 7816-3:2006 §11.4).
    #[must_use]
    pub const fn ifsc(&self) -> u8 {
        self.ifsc
    }

    /// BWI, TB b8–b5; 0..=9 valid (ISO/IEC 7816-3:2006 §11.4).
    #[must_use]
    pub const fn bwi(&self) -> u8 {
        self.bwi
    }

    /// CWI, TB b4–b1 (ISO/IEC 7816-3:2006 §11.4).
    #[must_use]
    pub const fn cwi(&self) -> u8 {
        self.cwi
    }

    /// The error detection code (TC b1; ISO/IEC 7816-3:2006 §11.4.4).
    #[must_use]
    pub const fn edc(&self) -> Edc {
        self.edc
    }

    /// The character waiting time CWT = (11 + 2^CWI) etu (§11.4.3).
    #[must_use]
    pub const fn cwt_etu(&self) -> u32 {
        11 + (1u32 << (self.cwi & 0x0F))
    }

    /// The block waiting time BWT = 11 etu + 2^BWI × 960 × Fd / f (§11.4.3),
    /// in clock cycles, with the etu of `fi_di`. `None` for a reserved code
    /// in `fi_di`.
    #[must_use]
    pub const fn bwt_clocks(&self, fi_di: FiDi) -> Option<u64> {
        match fi_di.clocks_per_etu() {
            Some((fi, di)) => {
                let etu11 = (11 * fi as u64).div_ceil(di as u64);
                Some(etu11 + (1u64 << (self.bwi & 0x0F)) * 960 * FD as u64)
            }
            None => None,
        }
    }
}

impl Default for T1Parameters {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// The clock stop indicator XI, b8–b7 of the first TAi (i ≥ 3) after T=15
/// (ISO/IEC 7816-3:2006 §8.3; TS 102 221 §6.3.2). Absent means not supported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ClockStop {
    /// XI = 00 (ISO/IEC 7816-3:2006 §8.3).
    #[default]
    NotSupported,
    /// XI = 01: supported, clock stopped in state L (ISO/IEC 7816-3:2006 §8.3).
    StateL,
    /// XI = 10: supported, clock stopped in state H (ISO/IEC 7816-3:2006 §8.3).
    StateH,
    /// XI = 11: supported, either state (ISO/IEC 7816-3:2006 §8.3).
    NoPreference,
}

impl ClockStop {
    /// XI from the TA byte (ISO/IEC 7816-3:2006 §8.3; TS 102 221 §6.3.2).
    #[must_use]
    pub const fn from_ta(ta: u8) -> Self {
        match ta >> 6 {
            0 => ClockStop::NotSupported,
            1 => ClockStop::StateL,
            2 => ClockStop::StateH,
            _ => ClockStop::NoPreference,
        }
    }

    /// A short description (ISO/IEC 7816-3:2006 §8.3): "not supported", "state L",
    /// "state H", "no preference".
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            ClockStop::NotSupported => "not supported",
            ClockStop::StateL => "state L",
            ClockStop::StateH => "state H",
            ClockStop::NoPreference => "no preference",
        }
    }
}

bitflags::bitflags! {
    /// The class indicator UI, b6–b1 of the first TAi (i ≥ 3) after T=15
    /// (ISO/IEC 7816-3:2006 §8.3 table 10; TS 102 221 §6.2.1 table 6.1).
    /// Absent means class A only. Bits b6–b5 are reserved.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct VoltageClasses: u8 {
        /// Class A, 5 V (table 10).
        const A = 0x01;
        /// Class B, 3 V (table 10).
        const B = 0x02;
        /// Class C, 1.8 V (table 10).
        const C = 0x04;
        /// Class D, about 1.2 V (TS 102 221 recent releases; reserved before).
        const D = 0x08;
        /// b5, reserved (table 10).
        const RFU5 = 0x10;
        /// b6, reserved (table 10).
        const RFU6 = 0x20;
    }
}

impl VoltageClasses {
    /// UI from the TA byte (ISO/IEC 7816-3:2006 §8.3 table 10).
    #[must_use]
    pub const fn from_ta(ta: u8) -> Self {
        Self::from_bits_retain(ta & 0x3F)
    }

    /// Whether the classes form one run (A, AB, ABC, B, BC …). TS 102 221
    /// §6.2.1 requires a UICC's classes to be consecutive (never A and C
    /// without B).
    #[must_use]
    pub const fn is_consecutive(self) -> bool {
        let bits = self.bits() & 0x0F;
        if bits == 0 {
            return false;
        }
        let shifted = bits >> bits.trailing_zeros();
        shifted & (shifted + 1) == 0
    }
}

impl Default for VoltageClasses {
    fn default() -> Self {
        VoltageClasses::A
    }
}

bitflags::bitflags! {
    /// The features a UICC announces in the first TBi (i > 2) after T=15 when
    /// b8 = 1 (ETSI TS 102 221 §6.3.3 table 6.7; resolved Q7).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct UiccFeatures: u8 {
        /// b7: Inter-Chip USB UICC–terminal interface (TS 102 600; TS 102 221
        /// table 6.7).
        const INTER_CHIP_USB = 0x40;
        /// b6: UICC–CLF interface, SWP (TS 102 613; TS 102 221 table 6.7).
        const CLF_INTERFACE = 0x20;
        /// b5: low-impedance drivers and protocol on the I/O line (TS 102 221
        /// table 6.7).
        const LOW_IMPEDANCE = 0x10;
        /// b4: secure channel (TS 102 484; TS 102 221 table 6.7).
        const SECURE_CHANNEL = 0x08;
        /// b3 (with b4): secured APDU, platform to platform, required (TS 102 484;
        /// TS 102 221 table 6.7).
        const SECURED_APDU = 0x04;
        /// b2: the UICC supports eUICC functions (Android's `isEuiccSupported`;
        /// TS 102 221 table 6.7).
        const EUICC = 0x02;
        /// b1: multiple enabled profiles (newer releases; TS 102 221
        /// table 6.7).
        const MULTIPLE_ENABLED_PROFILES = 0x01;
    }
}

/// The first TBi (i > 2) after T=15: SPU, the use of contact C6 (ISO/IEC
/// 7816-3:2006 §8.3), which a UICC uses to announce extra interfaces and the
/// eUICC (ETSI TS 102 221 §6.3.3 table 6.7). `Debug` shows it in hex: `Spu(82)`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Spu(u8);

impl fmt::Debug for Spu {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Spu({:02X})", self.0)
    }
}

impl Spu {
    /// Wraps the TB byte (ISO/IEC 7816-3:2006 §8.3).
    #[must_use]
    pub const fn from_byte(byte: u8) -> Self {
        Self(byte)
    }

    /// The byte itself (SPU, ISO/IEC 7816-3:2006 §8.3).
    #[must_use]
    pub const fn byte(self) -> u8 {
        self.0
    }

    /// b8 = 1: proprietary use of C6, the form TS 102 221 codes.
    #[must_use]
    pub const fn is_proprietary(self) -> bool {
        self.0 & 0x80 != 0
    }

    /// Standard use (b8 = 0, ISO/IEC 7816-3:2006 §8.3): b7–b1, where 0 means C6
    /// is not used.
    #[must_use]
    pub const fn standard_use(self) -> Option<u8> {
        if self.is_proprietary() { None } else { Some(self.0 & 0x7F) }
    }

    /// The TS 102 221 table 6.7 features, empty unless b8 = 1.
    #[must_use]
    pub const fn uicc_features(self) -> UiccFeatures {
        if self.is_proprietary() {
            UiccFeatures::from_bits_retain(self.0 & 0x7F)
        } else {
            UiccFeatures::empty()
        }
    }

    /// b8 and b2 set: the UICC supports eUICC functions (resolved Q7: 0x82;
    /// AOSP `AnswerToReset.checkIsEuiccSupported`; TS 102 221 §6.3.3
    /// table 6.7).
    #[must_use]
    pub const fn is_euicc(self) -> bool {
        self.0 & 0x82 == 0x82
    }
}

/// The name of transmission protocol T (ISO/IEC 7816-3:2006 §8.2.3).
#[must_use]
pub const fn protocol_name(t: u8) -> &'static str {
    match t {
        0 => "asynchronous half-duplex character transmission",
        1 => "asynchronous half-duplex block transmission",
        2 | 3 => "reserved for full-duplex operations",
        4 => "reserved for enhanced half-duplex character transmission",
        14 => "not standardised by ISO/IEC JTC 1/SC 17",
        15 => "not a protocol: global interface bytes follow",
        _ => "reserved for future use",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverse_convention_bytes() {
        // Vector V12: 03 → 3F, C0 → FC; the mapping is its own inverse.
        assert_eq!(Convention::Inverse.from_line(0x03), 0x3F);
        assert_eq!(Convention::Inverse.from_line(0xC0), 0xFC);
        assert_eq!(Convention::Direct.from_line(0x03), 0x03);
        for b in 0..=255u8 {
            assert_eq!(Convention::Inverse.to_line(Convention::Inverse.from_line(b)), b);
        }
    }

    #[test]
    fn class_runs() {
        // TS 102 221 §6.2.1: classes must be adjacent (AB or BC, never AC).
        assert!(VoltageClasses::from_ta(0x07).is_consecutive());
        assert!(VoltageClasses::from_ta(0x42).is_consecutive());
        assert!(VoltageClasses::from_ta(0x06).is_consecutive());
        assert!(!VoltageClasses::from_ta(0x05).is_consecutive());
        assert!(!VoltageClasses::from_ta(0x00).is_consecutive());
    }

    #[test]
    fn t1_defaults_and_times() {
        // Digest §1.7 defaults; CWT = 11 + 2^13 = 8203 etu.
        let p = T1Parameters::from_bytes(None, None, None);
        assert_eq!((p.ifsc(), p.bwi(), p.cwi(), p.edc()), (32, 4, 13, Edc::Lrc));
        assert_eq!(p.cwt_etu(), 8203);
        // BWT at Fd/Dd: 11 × 372 + 16 × 960 × 372 clocks.
        assert_eq!(p.bwt_clocks(FiDi::DEFAULT), Some(11 * 372 + 16 * 960 * 372));
        let q = T1Parameters::from_bytes(Some(0xFE), Some(0x45), Some(0x01));
        assert_eq!((q.ifsc(), q.bwi(), q.cwi(), q.edc()), (0xFE, 4, 5, Edc::Crc));
    }

    #[test]
    fn guard_time() {
        // Digest §1.3: N = 255 is 12 etu for T=0 and 11 etu for T=1.
        assert_eq!(ExtraGuardTime::new(255).character_guard_time_etu(0), 12);
        assert_eq!(ExtraGuardTime::new(255).character_guard_time_etu(1), 11);
        assert_eq!(ExtraGuardTime::new(2).character_guard_time_etu(0), 14);
    }

    #[test]
    fn spu_features() {
        // Resolved Q7 / TS 102 221 table 6.7.
        assert!(Spu::from_byte(0x82).is_euicc());
        assert!(!Spu::from_byte(0x02).is_euicc());
        assert_eq!(Spu::from_byte(0x02).standard_use(), Some(2));
        assert_eq!(
            Spu::from_byte(0x8C).uicc_features(),
            UiccFeatures::SECURE_CHANNEL | UiccFeatures::SECURED_APDU
        );
    }
}
