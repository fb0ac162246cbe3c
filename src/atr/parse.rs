//! Parsing a complete Answer-To-Reset into a borrowed view, ISO/IEC 7816-3:2006
//! §8.2 (structure) and §8.3 (which interface byte means what).

use super::error::{AtrError, MAX_ATR_LEN};
use super::historical::HistoricalBytes;
use super::interface::{
    ClockStop, Convention, DEFAULT_WI, ExtraGuardTime, Programming, SpecificMode, Spu, T1Parameters,
    VoltageClasses, work_waiting_time_clocks,
};
use super::tables::FiDi;
use crate::hex::Hex;
use core::fmt;

/// An interface byte kept with its offset in the ATR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Located {
    offset: u8,
    value: u8,
}

/// One group of interface bytes: TAi, TBi, TCi, TDi (ISO/IEC 7816-3:2006
/// §8.2.3). Group 1 is announced by T0, group i + 1 by TDi.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct InterfaceGroup {
    index: u8,
    offset: u8,
    qualifier: Option<u8>,
    ta: Option<u8>,
    tb: Option<u8>,
    tc: Option<u8>,
    td: Option<u8>,
}

impl InterfaceGroup {
    /// i, counted from 1: TA1 … TD1 form group 1 (§8.2.3).
    #[must_use]
    pub const fn index(&self) -> usize {
        self.index as usize
    }

    /// The T of TD(i−1) that qualifies this group's bytes (§8.2.3): `None` for
    /// group 1. For i ≥ 3, T = 15 makes TAi, TBi, TCi global and any other T
    /// makes them specific to protocol T; in group 2 the meaning is fixed by
    /// position (TA2 specific mode, TB2 PI2, TC2 WI of T=0).
    #[must_use]
    pub const fn qualifier(&self) -> Option<u8> {
        self.qualifier
    }

    /// TAi (§8.2.3).
    #[must_use]
    pub const fn ta(&self) -> Option<u8> {
        self.ta
    }

    /// TBi (§8.2.3).
    #[must_use]
    pub const fn tb(&self) -> Option<u8> {
        self.tb
    }

    /// TCi (§8.2.3).
    #[must_use]
    pub const fn tc(&self) -> Option<u8> {
        self.tc
    }

    /// TDi (§8.2.3).
    #[must_use]
    pub const fn td(&self) -> Option<u8> {
        self.td
    }

    /// The protocol TDi announces (its b4–b1, §8.2.3), if TDi is present.
    #[must_use]
    pub const fn protocol(&self) -> Option<u8> {
        match self.td {
            Some(td) => Some(td & 0x0F),
            None => None,
        }
    }

    /// Offset in the ATR of the group's first byte (§8.2.3).
    #[must_use]
    pub const fn offset(&self) -> usize {
        self.offset as usize
    }

    /// The bytes present, in order, each with its offset in the ATR and its
    /// name (`"TA"`, `"TB"`, `"TC"`, `"TD"`; §8.2.3).
    pub fn bytes(&self) -> impl Iterator<Item = (usize, &'static str, u8)> + use<> {
        let mut offset = self.offset as usize;
        [("TA", self.ta), ("TB", self.tb), ("TC", self.tc), ("TD", self.td)].into_iter().filter_map(
            move |(name, byte)| {
                let value = byte?;
                let at = offset;
                offset += 1;
                Some((at, name, value))
            },
        )
    }

    /// Number of bytes in the group (§8.2.3).
    #[must_use]
    pub const fn len(&self) -> usize {
        self.ta.is_some() as usize
            + self.tb.is_some() as usize
            + self.tc.is_some() as usize
            + self.td.is_some() as usize
    }

    /// Whether the group has no byte (only possible when T0 or TD(i−1)
    /// announces none, for group 1 of an ATR without interface bytes; §8.2.3).
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Reads the group announced by `y` (b4–b1 of T0 or TDi's high nibble) at
/// `pos`: `None` if `bytes` ends inside it.
#[inline]
fn read_group(
    bytes: &[u8],
    pos: usize,
    y: u8,
    index: u8,
    qualifier: Option<u8>,
) -> Option<(InterfaceGroup, usize)> {
    let mut at = pos;
    let mut take = |present: bool| -> Result<Option<u8>, ()> {
        if !present {
            return Ok(None);
        }
        let b = *bytes.get(at).ok_or(())?;
        at += 1;
        Ok(Some(b))
    };
    let ta = take(y & 0x1 != 0).ok()?;
    let tb = take(y & 0x2 != 0).ok()?;
    let tc = take(y & 0x4 != 0).ok()?;
    let td = take(y & 0x8 != 0).ok()?;
    // pos ≤ 33 on every call (the parser stops past 33 bytes).
    let offset = u8::try_from(pos).unwrap_or(u8::MAX);
    Some((InterfaceGroup { index, offset, qualifier, ta, tb, tc, td }, at))
}

/// Whether TDi's protocol makes TCK present: any T other than 0, T=15
/// included (ISO/IEC 7816-3:2006 §8.2.5).
#[inline]
pub(super) const fn announces_tck(td: u8) -> bool {
    td & 0x0F != 0
}

/// How many interface bytes a presence nibble Y announces (§8.2.3: b5–b8 of
/// T0 or TDi, here shifted to b1–b4).
#[inline]
pub(super) const fn presence_count(y: u8) -> u8 {
    (y & 1) + ((y >> 1) & 1) + ((y >> 2) & 1) + ((y >> 3) & 1)
}

/// XOR of all bytes, eight at a time.
#[inline]
fn xor(bytes: &[u8]) -> u8 {
    let mut chunks = bytes.chunks_exact(8);
    let mut wide = 0u64;
    for chunk in chunks.by_ref() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        wide ^= u64::from_ne_bytes(word);
    }
    let narrow = wide.to_ne_bytes().iter().fold(0u8, |acc, b| acc ^ b);
    chunks.remainder().iter().fold(narrow, |acc, b| acc ^ b)
}

/// The state of the check character TCK (ISO/IEC 7816-3:2006 §8.2.5).
/// `Debug` shows the bytes in hex: `Invalid { found: A2, expected: 93 }`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tck {
    /// Absent: only T=0 is offered, so TCK must not be sent (§8.2.5).
    Absent,
    /// Present and the XOR of T0 … TCK is 00 (§8.2.5).
    Valid(u8),
    /// Present but the XOR of T0 … TCK is not 00 (§8.2.5).
    Invalid {
        /// The TCK received (§8.2.5).
        found: u8,
        /// The TCK that would make the XOR 00 (§8.2.5).
        expected: u8,
    },
}

impl fmt::Debug for Tck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Tck::Absent => f.write_str("Absent"),
            Tck::Valid(tck) => write!(f, "Valid({tck:02X})"),
            Tck::Invalid { found, expected } => {
                write!(f, "Invalid {{ found: {found:02X}, expected: {expected:02X} }}")
            }
        }
    }
}

impl Tck {
    /// Whether TCK is present (ISO/IEC 7816-3:2006 §8.2.5).
    #[must_use]
    pub const fn is_present(self) -> bool {
        !matches!(self, Tck::Absent)
    }

    /// `Some(true)` for a correct TCK, `Some(false)` for a wrong one, `None`
    /// when absent (ISO/IEC 7816-3:2006 §8.2.5).
    #[must_use]
    pub const fn is_valid(self) -> Option<bool> {
        match self {
            Tck::Absent => None,
            Tck::Valid(_) => Some(true),
            Tck::Invalid { .. } => Some(false),
        }
    }
}

/// Something in an ATR that does not stop decoding but that a careful reader
/// wants to know (ISO/IEC 7816-3:2006 §8; TS 102 221 §6 for UICCs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Warning {
    /// TCK present but wrong (§8.2.5): the ATR was corrupted, or the card
    /// computes it wrongly.
    WrongTck {
        /// Offset of TCK.
        offset: usize,
        /// TCK received (§8.2.5).
        found: u8,
        /// TCK that makes the XOR of T0 … TCK 00 (§8.2.5).
        expected: u8,
    },
    /// Bytes after the end T0 and the TDi bytes announce (§8.2). A T=0-only
    /// card that sends a TCK anyway shows up here as one extra byte.
    ExtraBytes {
        /// Offset of the first extra byte.
        offset: usize,
        /// Number of extra bytes (§8.2).
        count: usize,
    },
    /// TD1 announces T=15, which is invalid in TD1 (§8.2.3).
    T15InTd1 {
        /// Offset of TD1.
        offset: usize,
    },
    /// TA1 uses a reserved FI or DI code (§8.3 tables 7 and 8).
    ReservedFiDi {
        /// Offset of TA1.
        offset: usize,
        /// TA1 (§8.3 tables 7 and 8).
        fi_di: FiDi,
    },
    /// TA2 has reserved bits b7–b6 set (§8.3).
    SpecificModeReservedBits {
        /// Offset of TA2.
        offset: usize,
    },
    /// TA2 names a protocol that no TDi offers (§8.3).
    SpecificModeProtocolNotOffered {
        /// Offset of TA2.
        offset: usize,
        /// The protocol TA2 names (§8.3).
        protocol: u8,
    },
    /// TC2 = 00: WI = 0 is reserved (§10.2).
    ReservedWi {
        /// Offset of TC2.
        offset: usize,
    },
    /// The first TA for T=1 is 00 or FF: reserved IFSC values (§11.4.2).
    ReservedIfsc {
        /// Offset of the TA.
        offset: usize,
        /// The value (§11.4.2).
        ifsc: u8,
    },
    /// The first TB for T=1 has BWI above 9 (reserved, §11.4.3).
    ReservedBwi {
        /// Offset of the TB.
        offset: usize,
        /// The BWI (§11.4.3).
        bwi: u8,
    },
    /// The first TC for T=1 has reserved bits b8–b2 set (§11.4.4).
    ReservedEdcBits {
        /// Offset of the TC.
        offset: usize,
    },
    /// The first TA after T=15 indicates no class A, B, C or D (§8.3).
    NoVoltageClass {
        /// Offset of the TA.
        offset: usize,
    },
    /// The classes after T=15 are not consecutive (A and C without B), which
    /// TS 102 221 §6.2.1 forbids for a UICC.
    VoltageClassesNotConsecutive {
        /// Offset of the TA.
        offset: usize,
    },
}

impl Warning {
    /// Offset of the byte the warning is about (ISO/IEC 7816-3:2006 §8.2).
    #[must_use]
    pub const fn offset(&self) -> usize {
        match *self {
            Warning::WrongTck { offset, .. }
            | Warning::ExtraBytes { offset, .. }
            | Warning::T15InTd1 { offset }
            | Warning::ReservedFiDi { offset, .. }
            | Warning::SpecificModeReservedBits { offset }
            | Warning::SpecificModeProtocolNotOffered { offset, .. }
            | Warning::ReservedWi { offset }
            | Warning::ReservedIfsc { offset, .. }
            | Warning::ReservedBwi { offset, .. }
            | Warning::ReservedEdcBits { offset }
            | Warning::NoVoltageClass { offset }
            | Warning::VoltageClassesNotConsecutive { offset } => offset,
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Warning::WrongTck { offset, found, expected } => {
                write!(f, "byte {offset}: wrong TCK {found:02X}, the XOR of T0..TCK needs {expected:02X}")
            }
            Warning::ExtraBytes { offset, count } => {
                write!(f, "byte {offset}: {count} byte(s) after the end of the ATR")
            }
            Warning::T15InTd1 { offset } => write!(f, "byte {offset}: TD1 announces T=15, invalid in TD1"),
            Warning::ReservedFiDi { offset, fi_di } => {
                write!(f, "byte {offset}: TA1 {:02X} uses a reserved code ({fi_di})", fi_di.byte())
            }
            Warning::SpecificModeReservedBits { offset } => {
                write!(f, "byte {offset}: TA2 has reserved bits b7-b6 set")
            }
            Warning::SpecificModeProtocolNotOffered { offset, protocol } => {
                write!(f, "byte {offset}: TA2 asks for T={protocol}, which no TDi offers")
            }
            Warning::ReservedWi { offset } => write!(f, "byte {offset}: TC2 = 00, WI = 0 is reserved"),
            Warning::ReservedIfsc { offset, ifsc } => {
                write!(f, "byte {offset}: IFSC {ifsc:02X} is reserved (valid 01..FE)")
            }
            Warning::ReservedBwi { offset, bwi } => {
                write!(f, "byte {offset}: BWI {bwi} is reserved (valid 0..9)")
            }
            Warning::ReservedEdcBits { offset } => {
                write!(f, "byte {offset}: the T=1 TC has reserved bits b8-b2 set")
            }
            Warning::NoVoltageClass { offset } => {
                write!(f, "byte {offset}: the class indicator names no class")
            }
            Warning::VoltageClassesNotConsecutive { offset } => {
                write!(f, "byte {offset}: the classes are not consecutive (TS 102 221 forbids A+C without B)")
            }
        }
    }
}

/// A parsed Answer-To-Reset that borrows its bytes (ISO/IEC 7816-3:2006 §8).
///
/// `TS T0 {TAi TBi TCi TDi}… T1…TK [TCK]`: [`Atr::parse`] walks the
/// structure T0 and the TDi bytes announce, checks TCK, and keeps the bytes
/// each interpretation needs. Everything else is computed on request from the
/// borrowed bytes; nothing is copied or allocated.
///
/// ```
/// use simcore::atr::{Atr, ClockStop, Tck};
/// let bytes = simcore::hex::decode_heapless::<33>(
///     "3B 9F 96 80 1F 87 80 31 E0 73 FE 21 1B 67 4A 4C 75 30 34 05 4B A9", // vector V01
/// )?;
/// let atr = Atr::parse(&bytes)?;
/// assert_eq!(atr.fi_di().fi(), Some(512));
/// assert_eq!(atr.protocols().collect::<Vec<_>>(), [0]);
/// assert_eq!(atr.clock_stop(), ClockStop::StateH);
/// assert_eq!(atr.tck(), Tck::Valid(0xA9));
/// assert_eq!(atr.historical_bytes().len(), 15);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Atr<'a> {
    /// The input: the ATR, then any extra bytes.
    input: &'a [u8],
    /// Length of the ATR proper.
    len: u8,
    historical_start: u8,
    tck: Tck,
    /// Bit T set when some TDi announces T.
    announced: u16,
    /// T of the first TDi other than T=15, or 0xFF.
    first_protocol: u8,
    /// Offsets of the bytes whose meaning depends on their place.
    at: Places,
}

/// Offsets of the interpreted interface bytes; 0 (the offset of TS) means
/// absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
struct Places {
    ta1: u8,
    tb1: u8,
    tc1: u8,
    td1: u8,
    ta2: u8,
    tb2: u8,
    tc2: u8,
    t1_ta: u8,
    t1_tb: u8,
    t1_tc: u8,
    t15_ta: u8,
    t15_tb: u8,
}

/// `current` if already set, else `candidate`: the first byte of its kind wins.
#[inline]
const fn first(current: u8, candidate: u8) -> u8 {
    if current == 0 { candidate } else { current }
}

impl<'a> Atr<'a> {
    /// Parses an ATR as a PC/SC reader reports it: logical bytes, TS first
    /// (§8.2).
    ///
    /// Bytes beyond the end that T0 and the TDi bytes announce are kept as
    /// [`Atr::extra_bytes`] (and a [`Warning::ExtraBytes`]), never dropped
    /// silently. A wrong TCK is decoded and flagged ([`Atr::tck`]).
    ///
    /// # Errors
    /// [`AtrError::InvalidTs`] when TS is not 3B or 3F;
    /// [`AtrError::Truncated`] (with the number of bytes still needed) when the
    /// input ends early; [`AtrError::TooLong`] when the structure announces
    /// more than 33 bytes.
    pub fn parse(input: &'a [u8]) -> Result<Self, AtrError> {
        let (ts, t0) = match *input {
            [ts, t0, ..] => (ts, t0),
            [ts] => {
                Convention::from_ts(ts).ok_or(AtrError::InvalidTs { found: ts })?;
                return Err(AtrError::Truncated { offset: 1, needed: 1 });
            }
            [] => return Err(AtrError::Truncated { offset: 0, needed: 2 }),
        };
        if Convention::from_ts(ts).is_none() {
            return Err(AtrError::InvalidTs { found: ts });
        }
        // Positions are u8: the length check keeps them at most 33 + 4.
        let k = t0 & 0x0F;
        let mut at = Places::default();
        let mut announced = 0u16;
        let mut first_protocol = 0xFF;
        let mut y = t0 >> 4;
        let mut announcer = 1u8;
        let mut pos = 2u8;
        let mut index = 1u8;
        let mut qualifier = 0xFFu8;
        let mut tck = 0u8;
        loop {
            let group_end = pos + presence_count(y);
            let least = group_end + k + tck;
            if usize::from(least) > MAX_ATR_LEN {
                return Err(AtrError::TooLong { offset: usize::from(announcer), length: usize::from(least) });
            }
            if input.len() < usize::from(group_end) {
                return Err(AtrError::Truncated {
                    offset: input.len(),
                    needed: usize::from(least) - input.len(),
                });
            }
            // Offsets of TAi, TBi, TCi, TDi in this order, 0 when absent.
            let (a, b, c, d) = (y & 1, (y >> 1) & 1, (y >> 2) & 1, (y >> 3) & 1);
            let ta = pos * a;
            let tb = (pos + a) * b;
            let tc = (pos + a + b) * c;
            let td = (pos + a + b + c) * d;
            match (index, qualifier) {
                (1, _) => (at.ta1, at.tb1, at.tc1, at.td1) = (ta, tb, tc, td),
                (2, _) => (at.ta2, at.tb2, at.tc2) = (ta, tb, tc),
                (_, 1) => {
                    at.t1_ta = first(at.t1_ta, ta);
                    at.t1_tb = first(at.t1_tb, tb);
                    at.t1_tc = first(at.t1_tc, tc);
                }
                (_, 15) => {
                    at.t15_ta = first(at.t15_ta, ta);
                    at.t15_tb = first(at.t15_tb, tb);
                }
                _ => {}
            }
            pos = group_end;
            if td == 0 {
                break;
            }
            // In bounds: the input holds the whole group.
            let td_byte = input.get(usize::from(td)).copied().unwrap_or(0);
            let t = td_byte & 0x0F;
            tck |= u8::from(announces_tck(td_byte));
            announced |= 1 << t;
            if first_protocol == 0xFF && t != 15 {
                first_protocol = t;
            }
            announcer = td;
            y = td_byte >> 4;
            qualifier = t;
            index = index.saturating_add(1);
        }
        let total = usize::from(pos + k + tck);
        if total > MAX_ATR_LEN {
            return Err(AtrError::TooLong { offset: usize::from(announcer), length: total });
        }
        let Some(bytes) = input.get(..total) else {
            return Err(AtrError::Truncated { offset: input.len(), needed: total - input.len() });
        };
        let tck = if tck != 0 {
            let check = xor(bytes.get(1..).unwrap_or_default());
            let found = bytes.last().copied().unwrap_or(0);
            if check == 0 { Tck::Valid(found) } else { Tck::Invalid { found, expected: found ^ check } }
        } else {
            Tck::Absent
        };
        Ok(Atr {
            input,
            len: pos + k + u8::from(tck.is_present()),
            historical_start: pos,
            tck,
            announced,
            first_protocol,
            at,
        })
    }

    /// The byte at a recorded place, with its offset.
    #[inline]
    fn located(&self, place: u8) -> Option<Located> {
        if place == 0 {
            return None;
        }
        self.input.get(usize::from(place)).map(|&value| Located { offset: place, value })
    }

    /// The value at a recorded place.
    #[inline]
    fn value(&self, place: u8) -> Option<u8> {
        self.located(place).map(|b| b.value)
    }

    /// The ATR's bytes, TS to TCK, without any extra bytes (§8.2).
    #[must_use]
    pub fn as_bytes(&self) -> &'a [u8] {
        self.input.get(..usize::from(self.len)).unwrap_or_default()
    }

    /// Length of the ATR, TS to TCK (§8.2).
    #[must_use]
    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    /// Always `false`: an ATR has at least TS and T0 (§8.2).
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes after the end of the ATR (§8.2: the structure fixes the length).
    #[must_use]
    pub fn extra_bytes(&self) -> &'a [u8] {
        self.input.get(usize::from(self.len)..).unwrap_or_default()
    }

    /// TS, the initial character (§8.1).
    #[must_use]
    pub fn ts(&self) -> u8 {
        self.input.first().copied().unwrap_or(0x3B)
    }

    /// The convention TS announces (§8.1).
    #[must_use]
    pub fn convention(&self) -> Convention {
        Convention::from_ts(self.ts()).unwrap_or(Convention::Direct)
    }

    /// T0, the format character: Y1 in b8–b5, K in b4–b1 (§8.2).
    #[must_use]
    pub fn t0(&self) -> u8 {
        self.input.get(1).copied().unwrap_or(0)
    }

    /// K, the number of historical bytes (T0 b4–b1; §8.2).
    #[must_use]
    pub fn k(&self) -> usize {
        usize::from(self.t0() & 0x0F)
    }

    /// The interface bytes, TA1 to the last TDi group, as one slice (§8.2.3).
    #[must_use]
    pub fn interface_bytes(&self) -> &'a [u8] {
        self.input.get(2..usize::from(self.historical_start)).unwrap_or_default()
    }

    /// The groups of interface bytes, in order (§8.2.3). An ATR without
    /// interface bytes yields one empty group.
    #[must_use]
    pub fn groups(&self) -> InterfaceGroups<'a> {
        InterfaceGroups { bytes: self.as_bytes(), next: Some((2, self.t0() >> 4, 1, None)) }
    }

    /// The K historical bytes, raw (§8.2.4).
    #[must_use]
    pub fn historical_bytes(&self) -> &'a [u8] {
        let start = usize::from(self.historical_start);
        self.input.get(start..start + self.k()).unwrap_or_default()
    }

    /// The historical bytes, for decoding (ISO/IEC 7816-4 §8.1.1).
    #[must_use]
    pub fn historical(&self) -> HistoricalBytes<'a> {
        HistoricalBytes::new(self.historical_bytes(), usize::from(self.historical_start))
    }

    /// The check character and its verdict (§8.2.5).
    #[must_use]
    pub const fn tck(&self) -> Tck {
        self.tck
    }

    /// The transmission protocols offered, in the order the TDi bytes name
    /// them, each once; the first is the default (§8.2.3). Without TD1 the
    /// only offer is T=0. T=15 is not a protocol and is left out (see
    /// [`Atr::indicates_t15`]).
    #[must_use]
    pub fn protocols(&self) -> Protocols<'a> {
        Protocols { groups: self.groups(), seen: 0, implicit_t0: self.at.td1 == 0 }
    }

    /// The first offered protocol, which applies unless a PPS selects another:
    /// T of the first TDi other than T=15, else T=0 (§8.2.3).
    #[must_use]
    pub const fn default_protocol(&self) -> u8 {
        if self.first_protocol == 0xFF { 0 } else { self.first_protocol }
    }

    /// Whether protocol `t` is offered (T=0 when TD1 is absent; §8.2.3).
    #[must_use]
    pub const fn offers(&self, t: u8) -> bool {
        if t >= 15 {
            return false;
        }
        if self.at.td1 == 0 {
            return t == 0;
        }
        self.announced & (1 << t) != 0
    }

    /// Whether some TDi announces T=15, i.e. global interface bytes follow
    /// (§8.2.3).
    #[must_use]
    pub const fn indicates_t15(&self) -> bool {
        self.announced & (1 << 15) != 0
    }

    /// TA1 as received (§8.3).
    #[must_use]
    pub fn ta1(&self) -> Option<FiDi> {
        self.value(self.at.ta1).map(FiDi::from_byte)
    }

    /// FI and DI from TA1, or the defaults Fd = 372, Dd = 1 (TA1 `11`) without
    /// it (§8.3).
    #[must_use]
    pub fn fi_di(&self) -> FiDi {
        self.ta1().unwrap_or(FiDi::DEFAULT)
    }

    /// TB1 and TB2, the deprecated VPP bytes (§8.3), if either is present.
    #[must_use]
    pub fn programming(&self) -> Option<Programming> {
        match (self.value(self.at.tb1), self.value(self.at.tb2)) {
            (None, None) => None,
            (tb1, tb2) => Some(Programming::from_bytes(tb1, tb2)),
        }
    }

    /// N from TC1, or 0 without it (§8.3).
    #[must_use]
    pub fn extra_guard_time(&self) -> ExtraGuardTime {
        self.value(self.at.tc1).map_or(ExtraGuardTime::DEFAULT, ExtraGuardTime::new)
    }

    /// TA2, present only in specific mode (§8.3); `None` means negotiable
    /// mode, where a PPS may follow the ATR.
    #[must_use]
    pub fn specific_mode(&self) -> Option<SpecificMode> {
        self.value(self.at.ta2).map(SpecificMode::from_byte)
    }

    /// WI from TC2 (T=0 only), or 10 without it (§10.2).
    #[must_use]
    pub fn wi(&self) -> u8 {
        self.value(self.at.tc2).unwrap_or(DEFAULT_WI)
    }

    /// The work waiting time of T=0 in clock cycles: WI × 960 × Fi, with Fi
    /// from TA1 (§10.2). `None` for a reserved FI.
    #[must_use]
    pub fn work_waiting_time_clocks(&self) -> Option<u32> {
        work_waiting_time_clocks(self.wi(), self.fi_di())
    }

    /// The T=1 parameters: the first TAi, TBi, TCi (i ≥ 3) after a TD(i−1)
    /// with T=1, with defaults for those absent (§11.4).
    #[must_use]
    pub fn t1_parameters(&self) -> T1Parameters {
        T1Parameters::from_bytes(
            self.value(self.at.t1_ta),
            self.value(self.at.t1_tb),
            self.value(self.at.t1_tc),
        )
    }

    /// The first TAi (i ≥ 3) after T=15: clock stop and class indicator, raw
    /// (§8.3).
    #[must_use]
    pub fn t15_ta(&self) -> Option<u8> {
        self.value(self.at.t15_ta)
    }

    /// The clock stop indicator from the first TA after T=15; not supported
    /// when absent (§8.3).
    #[must_use]
    pub fn clock_stop(&self) -> ClockStop {
        self.t15_ta().map_or(ClockStop::NotSupported, ClockStop::from_ta)
    }

    /// The class indicator from the first TA after T=15; class A only when
    /// absent (§8.3).
    #[must_use]
    pub fn voltage_classes(&self) -> VoltageClasses {
        self.t15_ta().map_or(VoltageClasses::A, VoltageClasses::from_ta)
    }

    /// The first TBi (i ≥ 3) after T=15: SPU, and a UICC's extra features
    /// (TS 102 221 table 6.7).
    #[must_use]
    pub fn spu(&self) -> Option<Spu> {
        self.value(self.at.t15_tb).map(Spu::from_byte)
    }

    /// Whether the first TB after T=15 has b8 and b2 set: the UICC supports
    /// eUICC functions (TS 102 221 table 6.7; resolved Q7).
    #[must_use]
    pub fn is_euicc(&self) -> bool {
        self.spu().is_some_and(Spu::is_euicc)
    }

    /// The anomalies that do not stop decoding, in byte order (§8; TS 102 221
    /// §6 for UICCs).
    pub fn warnings(&self) -> impl Iterator<Item = Warning> + use<'a> {
        let mut out: heapless::Vec<Warning, 16> = heapless::Vec::new();
        // At most one warning of each of the twelve kinds: pushes cannot fail.
        let mut push = |w: Warning| {
            let _ = out.push(w);
        };
        if let Some(ta1) = self.located(self.at.ta1) {
            let fi_di = FiDi::from_byte(ta1.value);
            if !fi_di.is_valid() {
                push(Warning::ReservedFiDi { offset: usize::from(ta1.offset), fi_di });
            }
        }
        if let Some(td1) = self.located(self.at.td1)
            && td1.value & 0x0F == 15
        {
            push(Warning::T15InTd1 { offset: usize::from(td1.offset) });
        }
        if let Some(ta2) = self.located(self.at.ta2) {
            let mode = SpecificMode::from_byte(ta2.value);
            let offset = usize::from(ta2.offset);
            if mode.reserved_bits() != 0 {
                push(Warning::SpecificModeReservedBits { offset });
            }
            if !self.offers(mode.protocol()) {
                push(Warning::SpecificModeProtocolNotOffered { offset, protocol: mode.protocol() });
            }
        }
        if let Some(tc2) = self.located(self.at.tc2)
            && tc2.value == 0
        {
            push(Warning::ReservedWi { offset: usize::from(tc2.offset) });
        }
        let mut later: heapless::Vec<Warning, 8> = heapless::Vec::new();
        if let Some(ta) = self.located(self.at.t1_ta)
            && matches!(ta.value, 0x00 | 0xFF)
        {
            let _ = later.push(Warning::ReservedIfsc { offset: usize::from(ta.offset), ifsc: ta.value });
        }
        if let Some(tb) = self.located(self.at.t1_tb)
            && tb.value >> 4 > 9
        {
            let _ = later.push(Warning::ReservedBwi { offset: usize::from(tb.offset), bwi: tb.value >> 4 });
        }
        if let Some(tc) = self.located(self.at.t1_tc)
            && tc.value & 0xFE != 0
        {
            let _ = later.push(Warning::ReservedEdcBits { offset: usize::from(tc.offset) });
        }
        if let Some(ta) = self.located(self.at.t15_ta) {
            let classes = VoltageClasses::from_ta(ta.value);
            let offset = usize::from(ta.offset);
            if classes.bits() & 0x0F == 0 {
                let _ = later.push(Warning::NoVoltageClass { offset });
            } else if !classes.is_consecutive() {
                let _ = later.push(Warning::VoltageClassesNotConsecutive { offset });
            }
        }
        later.sort_unstable_by_key(Warning::offset);
        for w in later {
            push(w);
        }
        if let Tck::Invalid { found, expected } = self.tck {
            push(Warning::WrongTck { offset: self.len().saturating_sub(1), found, expected });
        }
        let extra = self.extra_bytes();
        if !extra.is_empty() {
            push(Warning::ExtraBytes { offset: self.len(), count: extra.len() });
        }
        out.into_iter()
    }
}

impl fmt::Debug for Atr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Atr")
            .field("bytes", &Hex(self.as_bytes()))
            .field("convention", &self.convention())
            .field("fi_di", &self.fi_di())
            .field("protocols", &self.protocols().collect::<heapless::Vec<u8, 15>>())
            .field("historical", &Hex(self.historical_bytes()))
            .field("tck", &self.tck)
            .field("extra", &Hex(self.extra_bytes()))
            .finish()
    }
}

/// The ATR as uppercase hex: `3B9F96…` with `{}`, `3B 9F 96 …` with `{:#}`.
impl fmt::Display for Atr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&Hex(self.as_bytes()), f)
    }
}

/// Iterator over the interface groups of an [`Atr`] (§8.2.3).
#[derive(Debug, Clone)]
pub struct InterfaceGroups<'a> {
    bytes: &'a [u8],
    /// Position, presence nibble, index and qualifier of the next group.
    next: Option<(usize, u8, u8, Option<u8>)>,
}

impl Iterator for InterfaceGroups<'_> {
    type Item = InterfaceGroup;

    fn next(&mut self) -> Option<InterfaceGroup> {
        let (pos, y, index, qualifier) = self.next.take()?;
        let (group, end) = read_group(self.bytes, pos, y, index, qualifier)?;
        if let Some(td) = group.td {
            self.next = Some((end, td >> 4, index.saturating_add(1), Some(td & 0x0F)));
        }
        Some(group)
    }
}

/// Iterator over the protocols an [`Atr`] offers, each once, in order (ISO/IEC 7816-3:2006 §8.2.3).
#[derive(Debug, Clone)]
pub struct Protocols<'a> {
    groups: InterfaceGroups<'a>,
    seen: u16,
    implicit_t0: bool,
}

impl Iterator for Protocols<'_> {
    type Item = u8;

    fn next(&mut self) -> Option<u8> {
        if self.implicit_t0 {
            self.implicit_t0 = false;
            return Some(0);
        }
        for group in self.groups.by_ref() {
            if let Some(t) = group.protocol()
                && t != 15
                && self.seen & (1 << t) == 0
            {
                self.seen |= 1 << t;
                return Some(t);
            }
        }
        None
    }
}
