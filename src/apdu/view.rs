//! Parsing raw command APDUs (the card side), ISO/IEC 7816-4 §5.1.

use super::{ApduError, Command, HEADER_LEN};
use crate::hex::Hex;
use core::fmt;

/// The seven encodings of ISO/IEC 7816-4 §5.1 (table 1 and §5.1.1–5.1.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Case {
    /// Case 1: no data, no Le (§5.1, table 1).
    Case1,
    /// Case 2 short: Le in one byte (§5.1, table 1).
    Case2Short,
    /// Case 3 short: Lc in one byte, then data (§5.1, table 1).
    Case3Short,
    /// Case 4 short: Lc, data, Le (§5.1, table 1).
    Case4Short,
    /// Case 2 extended: `00 Le1 Le2` (§5.1, table 1).
    Case2Extended,
    /// Case 3 extended: `00 Lc1 Lc2` then data (§5.1, table 1).
    Case3Extended,
    /// Case 4 extended: `00 Lc1 Lc2`, data, `Le1 Le2` (§5.1, table 1).
    Case4Extended,
}

impl Case {
    /// Whether this case uses the extended length form (ISO/IEC 7816-4 §5.1,
    /// table 1).
    #[must_use]
    pub const fn is_extended(self) -> bool {
        matches!(self, Case::Case2Extended | Case::Case3Extended | Case::Case4Extended)
    }

    /// Whether the command carries a data field (cases 3 and 4; ISO/IEC 7816-4
    /// §5.1, table 1).
    #[must_use]
    pub const fn has_data(self) -> bool {
        matches!(self, Case::Case3Short | Case::Case4Short | Case::Case3Extended | Case::Case4Extended)
    }

    /// Whether the command carries an Le field (cases 2 and 4; ISO/IEC 7816-4
    /// §5.1, table 1).
    #[must_use]
    pub const fn has_le(self) -> bool {
        matches!(self, Case::Case2Short | Case::Case4Short | Case::Case2Extended | Case::Case4Extended)
    }

    /// The short name used in ISO/IEC 7816-3 §12.1.3: "1", "2S", "3S", "4S", "2E", "3E", "4E".
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Case::Case1 => "1",
            Case::Case2Short => "2S",
            Case::Case3Short => "3S",
            Case::Case4Short => "4S",
            Case::Case2Extended => "2E",
            Case::Case3Extended => "3E",
            Case::Case4Extended => "4E",
        }
    }
}

impl fmt::Display for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A command APDU parsed from raw bytes, borrowing them (ISO/IEC 7816-4 §5.1).
///
/// The decision follows ISO/IEC 7816-3 §12.1.3: with L bytes after the header
/// and B1 the first of them, L = 0 is case 1; L = 1 is case 2S; B1 ≠ 0 gives
/// case 3S (L = 1 + B1) or 4S (L = 2 + B1); B1 = 0 gives case 2E (L = 3) or, with
/// Lc = B2B3 ≠ 0, case 3E (L = 3 + Lc) or 4E (L = 5 + Lc). Anything else is
/// [`ApduError::InconsistentLength`], naming the offset of the length field.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CommandView<'a> {
    header: [u8; 4],
    data: &'a [u8],
    ne: Option<u32>,
    case: Case,
}

impl<'a> CommandView<'a> {
    /// Parse a complete command APDU (ISO/IEC 7816-4 §5.1; cases as in
    /// ISO/IEC 7816-3 §12.1.3).
    ///
    /// # Errors
    /// [`ApduError::HeaderTruncated`], [`ApduError::InconsistentLength`] or
    /// [`ApduError::ZeroExtendedLc`], each with the offending byte offset.
    pub fn parse(raw: &'a [u8]) -> Result<Self, ApduError> {
        let Some((&[cla, ins, p1, p2], body)) = raw.split_first_chunk::<HEADER_LEN>() else {
            return Err(ApduError::HeaderTruncated { offset: raw.len() });
        };
        let header = [cla, ins, p1, p2];
        let len = body.len();
        let inconsistent = ApduError::InconsistentLength { offset: HEADER_LEN, len };
        let view = |data: &'a [u8], ne: Option<u32>, case: Case| CommandView { header, data, ne, case };
        match body {
            [] => Ok(view(&[], None, Case::Case1)),
            [le] => Ok(view(&[], Some(short_ne(*le)), Case::Case2Short)),
            [0x00, rest @ ..] => {
                let Some((&[hi, lo], after_lc)) = rest.split_first_chunk::<2>() else {
                    return Err(inconsistent);
                };
                let n = usize::from(u16::from_be_bytes([hi, lo]));
                if after_lc.is_empty() {
                    // 00 Le1 Le2: a lone extended Le, 00 00 = 65536.
                    return Ok(view(&[], Some(extended_ne(hi, lo)), Case::Case2Extended));
                }
                if n == 0 {
                    return Err(ApduError::ZeroExtendedLc { offset: HEADER_LEN + 1 });
                }
                match (after_lc.get(..n), after_lc.get(n..)) {
                    (Some(data), Some([])) => Ok(view(data, None, Case::Case3Extended)),
                    (Some(data), Some(&[le1, le2])) => {
                        Ok(view(data, Some(extended_ne(le1, le2)), Case::Case4Extended))
                    }
                    _ => Err(inconsistent),
                }
            }
            [lc, rest @ ..] => {
                let n = usize::from(*lc);
                match (rest.get(..n), rest.get(n..)) {
                    (Some(data), Some([])) => Ok(view(data, None, Case::Case3Short)),
                    (Some(data), Some(&[le])) => Ok(view(data, Some(short_ne(le)), Case::Case4Short)),
                    _ => Err(inconsistent),
                }
            }
        }
    }

    /// CLA, the class byte (ISO/IEC 7816-4 §5.1).
    #[must_use]
    pub const fn cla(&self) -> u8 {
        self.header[0]
    }

    /// INS, the instruction byte (ISO/IEC 7816-4 §5.1).
    #[must_use]
    pub const fn ins(&self) -> u8 {
        self.header[1]
    }

    /// P1, the first parameter byte (ISO/IEC 7816-4 §5.1).
    #[must_use]
    pub const fn p1(&self) -> u8 {
        self.header[2]
    }

    /// P2, the second parameter byte (ISO/IEC 7816-4 §5.1).
    #[must_use]
    pub const fn p2(&self) -> u8 {
        self.header[3]
    }

    /// The four header bytes CLA INS P1 P2 (ISO/IEC 7816-4 §5.1).
    #[must_use]
    pub const fn header(&self) -> [u8; 4] {
        self.header
    }

    /// The data field, borrowed from the input (empty in cases 1 and 2;
    /// ISO/IEC 7816-4 §5.1).
    #[must_use]
    pub const fn data(&self) -> &'a [u8] {
        self.data
    }

    /// Nc, the length of the data field (ISO/IEC 7816-4 §5.1).
    #[must_use]
    pub const fn nc(&self) -> usize {
        self.data.len()
    }

    /// Ne (ISO/IEC 7816-4 §5.1), with `00` read as 256 (short) and `00 00` as
    /// 65536 (extended).
    #[must_use]
    pub const fn ne(&self) -> Option<u32> {
        self.ne
    }

    /// The case and form the bytes were in (ISO/IEC 7816-3 §12.1.3).
    #[must_use]
    pub const fn case(&self) -> Case {
        self.case
    }

    /// The same command as a [`Command`], keeping the extended form if the input
    /// used it (ISO/IEC 7816-4 §5.1).
    #[must_use]
    pub fn to_command(&self) -> Command<'a> {
        let [cla, ins, p1, p2] = self.header;
        let mut command = Command::new(cla, ins, p1, p2);
        if let Ok(c) = command.with_data(self.data) {
            command = c;
        }
        if let Some(Ok(c)) = self.ne.map(|ne| command.with_ne(ne)) {
            command = c;
        }
        if self.case.is_extended() {
            command = command.extended();
        }
        command
    }
}

impl fmt::Debug for CommandView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CommandView")
            .field("header", &Hex(&self.header))
            .field("data", &super::DataField { ins: self.ins(), data: self.data })
            .field("ne", &self.ne)
            .field("case", &self.case)
            .finish()
    }
}

/// Ne of a short Le byte: 00 means 256 (ISO/IEC 7816-4 §5.1).
pub(crate) const fn short_ne(le: u8) -> u32 {
    if le == 0 { 256 } else { le as u32 }
}

const fn extended_ne(hi: u8, lo: u8) -> u32 {
    match u16::from_be_bytes([hi, lo]) {
        0 => 65_536,
        n => n as u32,
    }
}

impl<'a> TryFrom<&'a [u8]> for CommandView<'a> {
    type Error = ApduError;
    fn try_from(raw: &'a [u8]) -> Result<Self, ApduError> {
        CommandView::parse(raw)
    }
}
