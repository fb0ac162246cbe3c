//! Protocol and parameters selection (PPS), ISO/IEC 7816-3:2006 §9.
//!
//! Right after the ATR of a card in negotiable mode (no TA2), the interface
//! device may send one PPS request, `PPSS PPS0 [PPS1] [PPS2] [PPS3] PCK`: PPSS
//! is FF; PPS0 names the protocol in b4–b1 and announces PPS1, PPS2, PPS3 in
//! b5, b6, b7; PPS1 is FI/DI coded as TA1; PPS2 is SPU; PPS3 is reserved; PCK
//! makes the XOR of all bytes 00. The card accepts by echoing the request; it
//! may leave out PPS1 (then Fd = 372, Dd = 1 stay in force) or PPS2/PPS3.
//! Anything else is a failed exchange, after which the card is reset.

use super::parse::Atr;
use super::tables::FiDi;
use crate::hex::Hex;
use core::fmt;

/// PPSS, the first byte of every PPS message (§9.2).
pub const PPSS: u8 = 0xFF;

/// The longest PPS message: PPSS, PPS0, PPS1, PPS2, PPS3, PCK (ISO/IEC 7816-3:2006 §9.2).
pub const MAX_PPS_LEN: usize = 6;

/// Why a PPS could not be built, parsed or accepted (ISO/IEC 7816-3:2006 §9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PpsError {
    /// The message ends before the bytes PPS0 announces and PCK (§9.2).
    #[error("PPS truncated at byte {offset}: {needed} more byte(s) needed")]
    Truncated {
        /// Length of the input.
        offset: usize,
        /// Bytes missing (§9.2).
        needed: usize,
    },
    /// The first byte is not PPSS = FF (§9.2).
    #[error("PPSS at byte 0 is {found:02X}, not FF")]
    InvalidPpss {
        /// The byte found (§9.2).
        found: u8,
    },
    /// PPS0 has its reserved bit b8 set (§9.2).
    #[error("PPS0 at byte 1 has the reserved bit b8 set ({pps0:02X})")]
    ReservedBit {
        /// PPS0 (§9.2).
        pps0: u8,
    },
    /// The check byte PCK is wrong (§9.2).
    #[error("PCK at byte {offset} is {found:02X}; the XOR of the message needs {expected:02X}")]
    WrongPck {
        /// Offset of PCK.
        offset: usize,
        /// PCK received (§9.2).
        found: u8,
        /// PCK that makes the XOR 00 (§9.2).
        expected: u8,
    },
    /// Bytes after PCK (§9.2).
    #[error("{count} byte(s) after PCK at byte {offset}")]
    TrailingBytes {
        /// Offset of the first byte after PCK.
        offset: usize,
        /// How many (§9.2).
        count: usize,
    },
    /// The answer names another protocol than the request (§9.3).
    #[error("the card answers T={answered} at byte 1 to a request for T={requested}")]
    ProtocolMismatch {
        /// T requested (§9.3).
        requested: u8,
        /// T answered (§9.3).
        answered: u8,
    },
    /// The answer carries a PPS1, PPS2 or PPS3 that differs from the request or
    /// was not requested (§9.3).
    #[error("the card's PPS{index} at byte {offset} is {answered:02X}, not what was requested")]
    ParameterMismatch {
        /// Offset of the byte in the answer.
        offset: usize,
        /// 1, 2 or 3 (§9.2).
        index: u8,
        /// The byte answered (§9.3).
        answered: u8,
    },
    /// The ATR puts the card in specific mode (TA2 present, §8.3): PPS is not
    /// allowed (§9); use TA2's protocol and parameters.
    #[error("the card is in specific mode (TA2 = {ta2:02X}): no PPS")]
    SpecificMode {
        /// TA2 (§8.3).
        ta2: u8,
    },
    /// The protocol asked for is not offered in the ATR, or is 15 (§9).
    #[error("T={protocol} is not offered")]
    ProtocolNotOffered {
        /// The protocol (PPS0 b4–b1, §9.2).
        protocol: u8,
    },
    /// The output buffer is too small (the encoded PPS request, §9.2).
    #[error("buffer of {capacity} bytes is too small; {needed} bytes needed")]
    BufferTooSmall {
        /// Bytes needed.
        needed: usize,
        /// Bytes available.
        capacity: usize,
    },
}

impl PpsError {
    /// The byte offset in the message (ISO/IEC 7816-3:2006 §9.2) where it went
    /// wrong, for parse errors.
    #[must_use]
    pub const fn offset(&self) -> Option<usize> {
        match *self {
            PpsError::Truncated { offset, .. }
            | PpsError::WrongPck { offset, .. }
            | PpsError::TrailingBytes { offset, .. }
            | PpsError::ParameterMismatch { offset, .. } => Some(offset),
            PpsError::InvalidPpss { .. } => Some(0),
            PpsError::ReservedBit { .. } | PpsError::ProtocolMismatch { .. } => Some(1),
            PpsError::SpecificMode { .. }
            | PpsError::ProtocolNotOffered { .. }
            | PpsError::BufferTooSmall { .. } => None,
        }
    }
}

/// A PPS message, request or answer (ISO/IEC 7816-3:2006 §9.2).
///
/// ```
/// use simcore::atr::{Atr, Pps};
/// // Vector V01's ATR offers T=0 with TA1 = 96: request FF 10 96 79 (vector V13).
/// let atr = simcore::hex::decode_heapless::<64>("3B9F96801F878031E073FE211B674A4C753034054BA9")?;
/// let pps = Pps::for_atr(&Atr::parse(&atr)?)?.expect("TA1 asks for a faster rate");
/// assert_eq!(pps.to_bytes().as_slice(), [0xFF, 0x10, 0x96, 0x79]);
/// // The card echoes: accepted, Fi 512 / Di 32 from now on.
/// let agreed = pps.check_response(&[0xFF, 0x10, 0x96, 0x79])?;
/// assert_eq!(agreed.fi_di().fi(), Some(512));
/// // The card drops PPS1: T=0 at Fd/Dd.
/// let agreed = pps.check_response(&[0xFF, 0x00, 0xFF])?;
/// assert_eq!(agreed.fi_di(), simcore::atr::FiDi::DEFAULT);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Pps {
    protocol: u8,
    pps1: Option<FiDi>,
    pps2: Option<u8>,
    pps3: Option<u8>,
}

impl Pps {
    /// A request for protocol `protocol` (its low four bits), without PPS1,
    /// PPS2 or PPS3 (ISO/IEC 7816-3:2006 §9.2).
    #[must_use]
    pub const fn new(protocol: u8) -> Self {
        Self { protocol: protocol & 0x0F, pps1: None, pps2: None, pps3: None }
    }

    /// With PPS1: the FI/DI to use (ISO/IEC 7816-3:2006 §9.2).
    #[must_use]
    pub const fn with_fi_di(mut self, fi_di: FiDi) -> Self {
        self.pps1 = Some(fi_di);
        self
    }

    /// With PPS2 (SPU, coded as the first TB after T=15; ISO/IEC 7816-3:2006
    /// §9.2).
    #[must_use]
    pub const fn with_pps2(mut self, pps2: u8) -> Self {
        self.pps2 = Some(pps2);
        self
    }

    /// With PPS3 (reserved for future use; ISO/IEC 7816-3:2006 §9.2).
    #[must_use]
    pub const fn with_pps3(mut self, pps3: u8) -> Self {
        self.pps3 = Some(pps3);
        self
    }

    /// The request an ATR's offer calls for: the first offered protocol and,
    /// when TA1 is present with defined codes, PPS1 = TA1. `Ok(None)` when
    /// there is nothing to negotiate (the default protocol at Fd/Dd), since
    /// the card then works without PPS (§9.1).
    ///
    /// # Errors
    /// [`PpsError::SpecificMode`] when TA2 is present.
    pub fn for_atr(atr: &Atr<'_>) -> Result<Option<Self>, PpsError> {
        let pps = Self::for_atr_protocol(atr, atr.default_protocol())?;
        Ok(if pps.pps1.is_none() { None } else { Some(pps) })
    }

    /// The request for protocol `protocol`, which the ATR must offer, with
    /// PPS1 = TA1 when TA1 is present with defined codes (ISO/IEC 7816-3:2006
    /// §9).
    ///
    /// # Errors
    /// [`PpsError::SpecificMode`] when TA2 is present;
    /// [`PpsError::ProtocolNotOffered`] when the ATR does not offer `protocol`.
    pub fn for_atr_protocol(atr: &Atr<'_>, protocol: u8) -> Result<Self, PpsError> {
        if let Some(mode) = atr.specific_mode() {
            return Err(PpsError::SpecificMode { ta2: mode.byte() });
        }
        if !atr.offers(protocol) {
            return Err(PpsError::ProtocolNotOffered { protocol });
        }
        let pps = Self::new(protocol);
        Ok(match atr.ta1() {
            Some(ta1) if ta1.is_valid() && ta1 != FiDi::DEFAULT => pps.with_fi_di(ta1),
            _ => pps,
        })
    }

    /// The protocol, PPS0 b4–b1 (ISO/IEC 7816-3:2006 §9.2).
    #[must_use]
    pub const fn protocol(&self) -> u8 {
        self.protocol
    }

    /// PPS1, if present (ISO/IEC 7816-3:2006 §9.2).
    #[must_use]
    pub const fn pps1(&self) -> Option<FiDi> {
        self.pps1
    }

    /// PPS2, if present (ISO/IEC 7816-3:2006 §9.2).
    #[must_use]
    pub const fn pps2(&self) -> Option<u8> {
        self.pps2
    }

    /// PPS3, if present (ISO/IEC 7816-3:2006 §9.2).
    #[must_use]
    pub const fn pps3(&self) -> Option<u8> {
        self.pps3
    }

    /// The FI/DI in force once this message is the card's answer: PPS1, or
    /// Fd/Dd without it (§9.3).
    #[must_use]
    pub fn fi_di(&self) -> FiDi {
        self.pps1.unwrap_or(FiDi::DEFAULT)
    }

    /// PPS0: the protocol and the presence of PPS1, PPS2, PPS3
    /// (ISO/IEC 7816-3:2006 §9.2).
    #[must_use]
    pub const fn pps0(&self) -> u8 {
        let mut pps0 = self.protocol;
        if self.pps1.is_some() {
            pps0 |= 0x10;
        }
        if self.pps2.is_some() {
            pps0 |= 0x20;
        }
        if self.pps3.is_some() {
            pps0 |= 0x40;
        }
        pps0
    }

    /// Length of the message, 3 to 6 bytes (ISO/IEC 7816-3:2006 §9.2).
    #[must_use]
    pub const fn encoded_len(&self) -> usize {
        3 + self.pps1.is_some() as usize + self.pps2.is_some() as usize + self.pps3.is_some() as usize
    }

    /// The message with its PCK (ISO/IEC 7816-3:2006 §9.2).
    #[must_use]
    pub fn to_bytes(&self) -> heapless::Vec<u8, MAX_PPS_LEN> {
        let mut out = heapless::Vec::new();
        let body = [Some(PPSS), Some(self.pps0()), self.pps1.map(FiDi::byte), self.pps2, self.pps3];
        let mut pck = 0u8;
        // At most six bytes in a six-byte vector: the pushes cannot fail.
        for b in body.into_iter().flatten() {
            pck ^= b;
            let _ = out.push(b);
        }
        let _ = out.push(pck);
        out
    }

    /// Writes the message into `buf`, returning the filled part
    /// (ISO/IEC 7816-3:2006 §9.2).
    ///
    /// # Errors
    /// [`PpsError::BufferTooSmall`].
    pub fn encode_into<'b>(&self, buf: &'b mut [u8]) -> Result<&'b [u8], PpsError> {
        let bytes = self.to_bytes();
        let capacity = buf.len();
        let out =
            buf.get_mut(..bytes.len()).ok_or(PpsError::BufferTooSmall { needed: bytes.len(), capacity })?;
        out.copy_from_slice(&bytes);
        Ok(out)
    }

    /// Parses one PPS message, checking PPSS, the reserved bit and PCK
    /// (ISO/IEC 7816-3:2006 §9.2).
    ///
    /// # Errors
    /// [`PpsError::InvalidPpss`], [`PpsError::ReservedBit`],
    /// [`PpsError::Truncated`], [`PpsError::WrongPck`],
    /// [`PpsError::TrailingBytes`].
    pub fn parse(bytes: &[u8]) -> Result<Self, PpsError> {
        let (ppss, pps0) = match *bytes {
            [ppss, pps0, ..] => (ppss, pps0),
            [ppss] if ppss != PPSS => return Err(PpsError::InvalidPpss { found: ppss }),
            _ => return Err(PpsError::Truncated { offset: bytes.len(), needed: 3 - bytes.len() }),
        };
        if ppss != PPSS {
            return Err(PpsError::InvalidPpss { found: ppss });
        }
        if pps0 & 0x80 != 0 {
            return Err(PpsError::ReservedBit { pps0 });
        }
        let len = 3 + (pps0 >> 4).count_ones() as usize;
        let Some((message, rest)) = bytes.split_at_checked(len) else {
            return Err(PpsError::Truncated { offset: bytes.len(), needed: len - bytes.len() });
        };
        let check = message.iter().fold(0u8, |acc, b| acc ^ b);
        if check != 0 {
            let found = message.last().copied().unwrap_or(0);
            return Err(PpsError::WrongPck { offset: len - 1, found, expected: found ^ check });
        }
        if !rest.is_empty() {
            return Err(PpsError::TrailingBytes { offset: len, count: rest.len() });
        }
        let mut params = message.get(2..len - 1).unwrap_or_default().iter().copied();
        let mut take = |bit: u8| if pps0 & bit != 0 { params.next() } else { None };
        let pps1 = take(0x10).map(FiDi::from_byte);
        let pps2 = take(0x20);
        let pps3 = take(0x40);
        Ok(Self { protocol: pps0 & 0x0F, pps1, pps2, pps3 })
    }

    /// Checks the card's answer to this request (§9.3): the same protocol,
    /// and each of PPS1, PPS2, PPS3 either echoed or left out. Returns what
    /// was agreed.
    ///
    /// # Errors
    /// Any [`Pps::parse`] error; [`PpsError::ProtocolMismatch`];
    /// [`PpsError::ParameterMismatch`] for a parameter that differs or was not
    /// requested.
    pub fn check_response(&self, response: &[u8]) -> Result<Pps, PpsError> {
        let answer = Self::parse(response)?;
        if answer.protocol != self.protocol {
            return Err(PpsError::ProtocolMismatch { requested: self.protocol, answered: answer.protocol });
        }
        let mut offset = 2;
        let pairs = [
            (1, self.pps1.map(FiDi::byte), answer.pps1.map(FiDi::byte)),
            (2, self.pps2, answer.pps2),
            (3, self.pps3, answer.pps3),
        ];
        for (index, requested, answered) in pairs {
            if let Some(answered) = answered {
                if requested != Some(answered) {
                    return Err(PpsError::ParameterMismatch { offset, index, answered });
                }
                offset += 1;
            }
        }
        Ok(answer)
    }
}

/// `FF 10 96 79`.
impl fmt::Display for Pps {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#}", Hex(&self.to_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Vectors B (vectors.md): V13, V14, V15.
    #[test]
    fn vectors_b() {
        assert_eq!(
            Pps::new(0).with_fi_di(FiDi::from_byte(0x96)).to_bytes().as_slice(),
            [0xFF, 0x10, 0x96, 0x79]
        );
        assert_eq!(
            Pps::new(1).with_fi_di(FiDi::from_byte(0x13)).to_bytes().as_slice(),
            [0xFF, 0x11, 0x13, 0xFD]
        );
        assert_eq!(Pps::new(1).to_bytes().as_slice(), [0xFF, 0x01, 0xFE]);
        assert_eq!(Pps::parse(&[0xFF, 0x11, 0x13, 0xFD]), Ok(Pps::new(1).with_fi_di(FiDi::from_byte(0x13))));
    }

    #[test]
    fn answers() {
        let request = Pps::new(0).with_fi_di(FiDi::from_byte(0x96));
        assert_eq!(
            request.check_response(&[0xFF, 0x01, 0xFE]),
            Err(PpsError::ProtocolMismatch { requested: 0, answered: 1 })
        );
        assert_eq!(
            request.check_response(&[0xFF, 0x10, 0x95, 0x7A]),
            Err(PpsError::ParameterMismatch { offset: 2, index: 1, answered: 0x95 })
        );
        assert_eq!(
            request.check_response(&[0xFF, 0x10, 0x96, 0x78]),
            Err(PpsError::WrongPck { offset: 3, found: 0x78, expected: 0x79 })
        );
        assert_eq!(
            request.check_response(&[0xFF, 0x10, 0x96]),
            Err(PpsError::Truncated { offset: 3, needed: 1 })
        );
        assert_eq!(
            Pps::new(0).check_response(&[0xFF, 0x20, 0x00, 0xDF]),
            Err(PpsError::ParameterMismatch { offset: 2, index: 2, answered: 0x00 })
        );
        assert_eq!(Pps::parse(&[0xFE]), Err(PpsError::InvalidPpss { found: 0xFE }));
        assert_eq!(Pps::parse(&[0xFF, 0x80, 0x7F]), Err(PpsError::ReservedBit { pps0: 0x80 }));
        assert_eq!(
            Pps::parse(&[0xFF, 0x00, 0xFF, 0x00]),
            Err(PpsError::TrailingBytes { offset: 3, count: 1 })
        );
        let mut small = [0u8; 3];
        assert_eq!(request.encode_into(&mut small), Err(PpsError::BufferTooSmall { needed: 4, capacity: 3 }));
    }
}
