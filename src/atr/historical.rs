//! The historical bytes of the ATR and their COMPACT-TLV data objects,
//! ISO/IEC 7816-4:2005 §8.1.1 (category indicator, tables 82–88) and §5.3.3
//! (life cycle status, table 13).
//!
//! The first historical byte is the category indicator: 00 (COMPACT-TLV
//! objects, then a mandatory three-byte status indicator), 80 (COMPACT-TLV
//! objects only), 10 (a DIR data reference follows), 81–8F (reserved), any
//! other value (proprietary). A COMPACT-TLV object is one header byte, tag in
//! b8–b5 and length in b4–b1, then that many value bytes. Everything here
//! borrows the ATR; errors name the offset in the ATR.

use crate::apdu::{Command, CommandView, short_ne};
use crate::ins::{READ_BINARY, READ_RECORD};
pub use crate::lcs::LifeCycleStatus;
use crate::sw::StatusWord;
use core::fmt;

/// Why historical bytes could not be decoded (ISO/IEC 7816-4:2005 §8.1.1).
///
/// These errors do not make the ATR invalid: historical bytes are the card's
/// own business, and proprietary ones are common.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HistoricalError {
    /// A COMPACT-TLV object announces more value bytes than remain (§5.2.2.1).
    #[error("COMPACT-TLV object {tag:X} at byte {offset} announces {needed} more byte(s) than remain")]
    Truncated {
        /// Offset of the object's header byte in the ATR.
        offset: usize,
        /// The object's tag (§5.2.2.1).
        tag: u8,
        /// Bytes missing (§5.2.2.1).
        needed: usize,
    },
    /// Category 00 without room for the three-byte status indicator (LCS, SW1,
    /// SW2) at the end (§8.1.1.1 table 82).
    #[error(
        "category 00 at byte {offset} needs a 3-byte status indicator at the end; only {len} byte(s) follow"
    )]
    MissingStatusIndicator {
        /// Offset of the category indicator.
        offset: usize,
        /// Bytes after the category indicator (§8.1.1.1 table 82).
        len: usize,
    },
    /// Category 10 without the DIR data reference byte (§8.1.1.1 table 82).
    #[error("category 10 at byte {offset} announces a DIR data reference that is missing")]
    MissingDirDataReference {
        /// Offset of the category indicator.
        offset: usize,
    },
    /// An object whose length does not fit its tag (§8.1.1.2): the card service
    /// data byte (tag 3) is 1 byte; card capabilities (tag 7) and the status
    /// indicator (tag 8) are 1 to 3 bytes.
    #[error("COMPACT-TLV object {tag:X} at byte {offset} has length {len}, which its tag does not allow")]
    BadLength {
        /// Offset of the object's header byte in the ATR.
        offset: usize,
        /// The tag (§5.2.2.1).
        tag: u8,
        /// The length found (§8.1.1.2).
        len: usize,
    },
}

impl HistoricalError {
    /// Offset in the ATR of the byte where decoding went wrong (historical
    /// bytes, ISO/IEC 7816-3:2006 §8.2.4).
    #[must_use]
    pub const fn offset(&self) -> usize {
        match *self {
            HistoricalError::Truncated { offset, .. }
            | HistoricalError::MissingStatusIndicator { offset, .. }
            | HistoricalError::MissingDirDataReference { offset }
            | HistoricalError::BadLength { offset, .. } => offset,
        }
    }
}

/// The category indicator, the first historical byte (ISO/IEC 7816-4:2005
/// §8.1.1.1 table 82).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// 00: COMPACT-TLV objects, then a status indicator in the last three
    /// bytes (LCS, SW1, SW2) outside any TLV (§8.1.1.1 table 82).
    StatusAtEnd,
    /// 80: COMPACT-TLV objects; a status indicator, if any, is object 8
    /// (§8.1.1.1 table 82).
    CompactTlv,
    /// 10: the next byte is a DIR data reference (§8.1.1.1 table 82).
    DirDataReference,
    /// 81–8F: reserved for future use (§8.1.1.1 table 82).
    Reserved(u8),
    /// Any other value: a proprietary format (§8.1.1.1 table 82).
    Proprietary(u8),
}

impl Category {
    /// The category of a first historical byte (ISO/IEC 7816-4:2005 §8.1.1.1
    /// table 82).
    #[must_use]
    pub const fn from_byte(byte: u8) -> Self {
        match byte {
            0x00 => Category::StatusAtEnd,
            0x80 => Category::CompactTlv,
            0x10 => Category::DirDataReference,
            0x81..=0x8F => Category::Reserved(byte),
            _ => Category::Proprietary(byte),
        }
    }

    /// The byte itself (ISO/IEC 7816-4:2005 table 82).
    #[must_use]
    pub const fn byte(self) -> u8 {
        match self {
            Category::StatusAtEnd => 0x00,
            Category::CompactTlv => 0x80,
            Category::DirDataReference => 0x10,
            Category::Reserved(b) | Category::Proprietary(b) => b,
        }
    }

    /// A short description (ISO/IEC 7816-4:2005 table 82).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Category::StatusAtEnd => "COMPACT-TLV objects and a status indicator in the last 3 bytes",
            Category::CompactTlv => "COMPACT-TLV objects",
            Category::DirDataReference => "DIR data reference",
            Category::Reserved(_) => "reserved for future use",
            Category::Proprietary(_) => "proprietary format",
        }
    }
}

/// The historical bytes T1 … TK of an ATR (ISO/IEC 7816-3:2006 §8.2.4,
/// contents ISO/IEC 7816-4:2005 §8.1.1).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct HistoricalBytes<'a> {
    bytes: &'a [u8],
    base: usize,
}

/// The bytes in hex and the offset of T1 in the ATR (ISO/IEC 7816-3:2006 §8.2.4).
impl core::fmt::Debug for HistoricalBytes<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HistoricalBytes")
            .field("bytes", &crate::hex::Hex(self.bytes))
            .field("base", &self.base)
            .finish()
    }
}

impl<'a> HistoricalBytes<'a> {
    /// Historical bytes (ISO/IEC 7816-3:2006 §8.2.4) found at offset `base` of
    /// an ATR (0 for bytes on their own, e.g. from EF.ATR); offsets in errors
    /// count from `base`.
    #[must_use]
    pub const fn new(bytes: &'a [u8], base: usize) -> Self {
        Self { bytes, base }
    }

    /// The bytes, raw (T1 … TK, ISO/IEC 7816-3:2006 §8.2.4).
    #[must_use]
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// Offset of the first historical byte in the ATR (ISO/IEC 7816-3:2006
    /// §8.2.4).
    #[must_use]
    pub const fn offset(&self) -> usize {
        self.base
    }

    /// The category indicator (ISO/IEC 7816-4:2005 §8.1.1.1 table 82); `None`
    /// without historical bytes.
    #[must_use]
    pub fn category(&self) -> Option<Category> {
        self.bytes.first().map(|&b| Category::from_byte(b))
    }

    /// The COMPACT-TLV objects (ISO/IEC 7816-4:2005 §5.2.2.1) of categories 00
    /// and 80, in order; nothing for other categories. For category 00 the last
    /// three bytes (the status indicator) are not objects: see
    /// [`HistoricalBytes::status_indicator`].
    #[must_use]
    pub fn objects(&self) -> CompactTlvs<'a> {
        let body = match self.category() {
            Some(Category::CompactTlv) => self.bytes.get(1..),
            Some(Category::StatusAtEnd) => self.bytes.get(1..self.bytes.len().saturating_sub(3).max(1)),
            _ => None,
        };
        CompactTlvs { bytes: body.unwrap_or_default(), offset: self.base + 1 }
    }

    /// The status indicator (ISO/IEC 7816-4:2005 §8.1.1.3): the last three
    /// bytes for category 00, object 8 for category 80; `Ok(None)` when there
    /// is none.
    ///
    /// # Errors
    /// [`HistoricalError::MissingStatusIndicator`] for category 00 with fewer
    /// than three bytes after it; the first error among the objects before
    /// object 8 for category 80.
    pub fn status_indicator(&self) -> Result<Option<StatusIndicator>, HistoricalError> {
        match self.category() {
            Some(Category::StatusAtEnd) => match self.bytes {
                [_, .., lcs, sw1, sw2] => {
                    Ok(Some(StatusIndicator { lcs: Some(*lcs), sw: Some(StatusWord::new(*sw1, *sw2)) }))
                }
                _ => Err(HistoricalError::MissingStatusIndicator {
                    offset: self.base,
                    len: self.bytes.len().saturating_sub(1),
                }),
            },
            Some(Category::CompactTlv) => {
                for object in self.objects() {
                    if let DataObject::StatusIndicator(status) = object?.decode()? {
                        return Ok(Some(status));
                    }
                }
                Ok(None)
            }
            _ => Ok(None),
        }
    }

    /// The DIR data reference of category 10 (ISO/IEC 7816-4:2005 §8.1.1.1
    /// table 82).
    ///
    /// # Errors
    /// [`HistoricalError::MissingDirDataReference`] when category 10 has no
    /// second byte.
    pub fn dir_data_reference(&self) -> Result<Option<u8>, HistoricalError> {
        match self.category() {
            Some(Category::DirDataReference) => self
                .bytes
                .get(1)
                .copied()
                .map(Some)
                .ok_or(HistoricalError::MissingDirDataReference { offset: self.base }),
            _ => Ok(None),
        }
    }

    /// Decodes everything the category defines (ISO/IEC 7816-4:2005 §8.1.1) and
    /// reports the first problem: each object's framing and length, the status
    /// indicator of category 00, the reference of category 10.
    ///
    /// # Errors
    /// The first [`HistoricalError`] found.
    pub fn check(&self) -> Result<(), HistoricalError> {
        self.dir_data_reference()?;
        if self.category() == Some(Category::StatusAtEnd) {
            self.status_indicator()?;
        }
        for object in self.objects() {
            object?.decode()?;
        }
        Ok(())
    }
}

/// Iterator over COMPACT-TLV objects (ISO/IEC 7816-4:2005 §5.2.2.1). It stops
/// after the first error.
#[derive(Debug, Clone)]
pub struct CompactTlvs<'a> {
    bytes: &'a [u8],
    offset: usize,
}

impl<'a> CompactTlvs<'a> {
    /// COMPACT-TLV objects (ISO/IEC 7816-4:2005 §5.2.2.1) in `bytes`, the first
    /// header at `offset` of the enclosing data (for error offsets).
    #[must_use]
    pub const fn new(bytes: &'a [u8], offset: usize) -> Self {
        Self { bytes, offset }
    }
}

impl<'a> Iterator for CompactTlvs<'a> {
    type Item = Result<CompactTlv<'a>, HistoricalError>;

    fn next(&mut self) -> Option<Self::Item> {
        let (&header, rest) = self.bytes.split_first()?;
        let tag = header >> 4;
        let len = usize::from(header & 0x0F);
        let offset = self.offset;
        let Some((value, rest)) = rest.split_at_checked(len) else {
            self.bytes = &[];
            return Some(Err(HistoricalError::Truncated { offset, tag, needed: len - rest.len() }));
        };
        self.bytes = rest;
        self.offset += 1 + len;
        Some(Ok(CompactTlv { offset, tag, value }))
    }
}

/// One COMPACT-TLV object: header `tag << 4 | len`, then the value
/// (ISO/IEC 7816-4:2005 §5.2.2.1).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CompactTlv<'a> {
    offset: usize,
    tag: u8,
    value: &'a [u8],
}

/// The tag (one hex digit), the value in hex and the offset of the header
/// (ISO/IEC 7816-4:2005 §5.2.2.1).
impl core::fmt::Debug for CompactTlv<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CompactTlv")
            .field("offset", &self.offset)
            .field("tag", &format_args!("{:X}", self.tag))
            .field("value", &crate::hex::Hex(self.value))
            .finish()
    }
}

impl<'a> CompactTlv<'a> {
    /// Offset of the header byte in the ATR (ISO/IEC 7816-4:2005 §5.2.2.1).
    #[must_use]
    pub const fn offset(&self) -> usize {
        self.offset
    }

    /// The tag, 0..=15 (ISO/IEC 7816-4:2005 §5.2.2.1).
    #[must_use]
    pub const fn tag(&self) -> u8 {
        self.tag
    }

    /// The value bytes (ISO/IEC 7816-4:2005 §5.2.2.1).
    #[must_use]
    pub const fn value(&self) -> &'a [u8] {
        self.value
    }

    /// The header byte as sent (ISO/IEC 7816-4:2005 §5.2.2.1).
    #[must_use]
    pub fn header(&self) -> u8 {
        // The length came from a nibble: at most 15.
        (self.tag << 4) | (u8::try_from(self.value.len()).unwrap_or(0x0F) & 0x0F)
    }

    /// The object's meaning (ISO/IEC 7816-4:2005 §8.1.1.2, tables 83–88).
    ///
    /// # Errors
    /// [`HistoricalError::BadLength`] when the length does not fit the tag.
    pub fn decode(&self) -> Result<DataObject<'a>, HistoricalError> {
        let bad = HistoricalError::BadLength { offset: self.offset, tag: self.tag, len: self.value.len() };
        Ok(match self.tag {
            0x1 => DataObject::CountryCode(self.value),
            0x2 => DataObject::IssuerIdentificationNumber(self.value),
            0x3 => match *self.value {
                [byte] => DataObject::CardServiceData(CardServiceData(byte)),
                _ => return Err(bad),
            },
            0x4 => DataObject::InitialAccessData(self.value),
            0x5 => DataObject::CardIssuerData(self.value),
            0x6 => DataObject::PreIssuingData(self.value),
            0x7 => DataObject::CardCapabilities(CardCapabilities::from_bytes(self.value).ok_or(bad)?),
            0x8 => DataObject::StatusIndicator(match *self.value {
                [lcs] => StatusIndicator { lcs: Some(lcs), sw: None },
                [sw1, sw2] => StatusIndicator { lcs: None, sw: Some(StatusWord::new(sw1, sw2)) },
                [lcs, sw1, sw2] => StatusIndicator { lcs: Some(lcs), sw: Some(StatusWord::new(sw1, sw2)) },
                _ => return Err(bad),
            }),
            0xF => DataObject::ApplicationIdentifier(self.value),
            tag => DataObject::Other { tag, value: self.value },
        })
    }
}

/// The interindustry data objects of the historical bytes (ISO/IEC
/// 7816-4:2005 §8.1.1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DataObject<'a> {
    /// Tag 1: country code (ISO 3166-1) and national data (§8.1.1.2).
    CountryCode(&'a [u8]),
    /// Tag 2: issuer identification number (ISO/IEC 7812-1; §8.1.1.2).
    IssuerIdentificationNumber(&'a [u8]),
    /// Tag 3: the card service data byte (§8.1.1.2, table 85).
    CardServiceData(CardServiceData),
    /// Tag 4: initial access data (the first command after the ATR; §8.1.1.2;
    /// read it with [`InitialAccess::from_value`]).
    InitialAccessData(&'a [u8]),
    /// Tag 5: card issuer's data (its coding is the issuer's; §8.1.1.2).
    CardIssuerData(&'a [u8]),
    /// Tag 6: pre-issuing data (chip and mask identification; §8.1.1.2).
    PreIssuingData(&'a [u8]),
    /// Tag 7: card capabilities, the three software function tables
    /// (§8.1.1.2.7).
    CardCapabilities(CardCapabilities),
    /// Tag 8: status indicator (§8.1.1.3).
    StatusIndicator(StatusIndicator),
    /// Tag F: application identifier (§8.1.1.2).
    ApplicationIdentifier(&'a [u8]),
    /// Tags 0 and 9–E: not defined by ISO/IEC 7816-4.
    Other {
        /// The tag (§8.1.1.2).
        tag: u8,
        /// The value (§8.1.1.2).
        value: &'a [u8],
    },
}

impl DataObject<'_> {
    /// The object's name in ISO/IEC 7816-4.
    #[must_use]
    pub const fn name(&self) -> &'static str {
        match self {
            DataObject::CountryCode(_) => "country code",
            DataObject::IssuerIdentificationNumber(_) => "issuer identification number",
            DataObject::CardServiceData(_) => "card service data",
            DataObject::InitialAccessData(_) => "initial access data",
            DataObject::CardIssuerData(_) => "card issuer's data",
            DataObject::PreIssuingData(_) => "pre-issuing data",
            DataObject::CardCapabilities(_) => "card capabilities",
            DataObject::StatusIndicator(_) => "status indicator",
            DataObject::ApplicationIdentifier(_) => "application identifier",
            DataObject::Other { .. } => "not defined by ISO/IEC 7816-4",
        }
    }
}

/// What initial access data (COMPACT-TLV tag 4) asks the terminal to send
/// first after the ATR (and PPS), to fetch the "initial data string" that may
/// not be readable later: ISO/IEC 7816-4:1995 §8.3.3, tables 81–84;
/// ISO/IEC 7816-4:2005 §8.1.1.2.4 ("a command APDU assumed to be the first
/// command after the answer to reset") and §8.1.2 (initial data string
/// recovery).
///
/// The 1995 edition allows lengths 1, 2 and 5 only; from 2005 the header is
/// "4Y" for any length, and a value of five bytes or more is read as the
/// command APDU itself (as Open eCard does), short or extended (the card
/// capabilities that say whether the card takes extended lengths may come
/// later in the historical bytes, so the caller decides whether to send it).
/// A short EF identifier is 1 to 30 (ISO/IEC 7816-4:2005 §5.3.1.1); for
/// READ RECORD(S), SFI 0 names the current EF (1995 table 36). Values that
/// fit none of these forms are kept as [`InitialAccess::Unrecognised`]: real
/// ATRs carry them (pcsc-tools' `smartcard_list.txt` has tag-4 values of 4,
/// 8 and 11 bytes, none of them a command), so they are no error.
///
/// ```
/// use simcore::atr::InitialAccess;
/// // `41 00` in the historical bytes: READ BINARY 00 B0 00 00, Le 00 (256 bytes).
/// let access = InitialAccess::from_value(&[0x00]);
/// assert_eq!(access, InitialAccess::ReadBinary { le: 0x00 });
/// let command = access.command().unwrap();
/// let mut buf = [0u8; 5];
/// assert_eq!(command.encode_into(&mut buf).unwrap(), [0x00, 0xB0, 0x00, 0x00, 0x00]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InitialAccess<'a> {
    /// Length 1: READ BINARY `00 B0 00 00` of the current EF, Le the byte
    /// (00: 256 bytes) (ISO/IEC 7816-4:1995 table 81).
    ReadBinary {
        /// The Le byte (ISO/IEC 7816-4:1995 table 81).
        le: u8,
    },
    /// Length 2, file byte b8 = 1: READ BINARY `00 B0 P1 00` with P1 the file
    /// byte, whose b5–b1 are the short EF identifier, 1 to 30 (ISO/IEC
    /// 7816-4:1995 tables 82 and 84).
    ReadBinaryBySfi {
        /// The short EF identifier, b5–b1 of the file byte (ISO/IEC 7816-4:1995 table 82).
        sfi: u8,
        /// The Le byte (ISO/IEC 7816-4:1995 table 84).
        le: u8,
    },
    /// Length 2, file byte b8 = 0: READ RECORD(S) `00 B2 01 P2` with P2 the
    /// short EF identifier followed by `110` (all records, from the last up to
    /// record 1); SFI 0 is the current EF (ISO/IEC 7816-4:1995 tables 82, 83
    /// and 36).
    ReadRecords {
        /// The short EF identifier, b5–b1 of the file byte (ISO/IEC 7816-4:1995 table 82).
        sfi: u8,
        /// The Le byte (ISO/IEC 7816-4:1995 table 83).
        le: u8,
    },
    /// Five bytes or more that parse as a command APDU: that command
    /// (ISO/IEC 7816-4:1995 §8.3.3.3; 2005 §8.1.1.2.4, §8.1.2).
    Command(CommandView<'a>),
    /// A value in none of these forms: length 0, 3 or 4, a file byte whose
    /// b7–b6 are not 00 (reserved, ISO/IEC 7816-4:1995 table 82) or whose SFI
    /// is 31 (reserved, table 36) or, for READ BINARY, 0 (no SFI, ISO/IEC
    /// 7816-4:2005 §5.3.1.1), or five bytes or more that are no command APDU.
    /// Probably the issuer's own data.
    Unrecognised(&'a [u8]),
}

impl<'a> InitialAccess<'a> {
    /// Read the value of a tag-4 object (ISO/IEC 7816-4:1995 §8.3.3, tables
    /// 81–84; 2005 §8.1.1.2.4, §8.1.2).
    #[must_use]
    pub fn from_value(value: &'a [u8]) -> Self {
        match *value {
            [le] => InitialAccess::ReadBinary { le },
            [file, le] if file & 0x60 == 0 => {
                let sfi = file & 0x1F;
                match (file & 0x80 != 0, sfi) {
                    (true, 1..=30) => InitialAccess::ReadBinaryBySfi { sfi, le },
                    (false, 0..=30) => InitialAccess::ReadRecords { sfi, le },
                    _ => InitialAccess::Unrecognised(value),
                }
            }
            _ if value.len() >= 5 => match CommandView::parse(value) {
                Ok(view) => InitialAccess::Command(view),
                Err(_) => InitialAccess::Unrecognised(value),
            },
            _ => InitialAccess::Unrecognised(value),
        }
    }

    /// The command to send, or `None` for [`InitialAccess::Unrecognised`] and
    /// for an SFI out of the range above in a value built by hand (ISO/IEC
    /// 7816-4:1995 tables 81, 83 and 84; CLA 00 as there).
    #[must_use]
    pub fn command(&self) -> Option<Command<'a>> {
        let read = |ins, p1, p2, le| Command::new(0x00, ins, p1, p2).with_ne(short_ne(le)).ok();
        match *self {
            InitialAccess::ReadBinary { le } => read(READ_BINARY, 0x00, 0x00, le),
            InitialAccess::ReadBinaryBySfi { sfi: sfi @ 1..=30, le } => {
                read(READ_BINARY, 0x80 | sfi, 0x00, le)
            }
            InitialAccess::ReadRecords { sfi: sfi @ 0..=30, le } => {
                read(READ_RECORD, 0x01, (sfi << 3) | 0b110, le)
            }
            InitialAccess::ReadBinaryBySfi { .. } | InitialAccess::ReadRecords { .. } => None,
            InitialAccess::Command(view) => Some(view.to_command()),
            InitialAccess::Unrecognised(_) => None,
        }
    }
}

/// How EF.DIR and EF.ATR are read: card service data b4–b2 (ISO/IEC
/// 7816-4:2005 table 85).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EfAccess {
    /// 100: READ BINARY (transparent structure; §8.1.1.2, table 85).
    ReadBinary,
    /// 010: GET DATA (TLV structure; §8.1.1.2, table 85).
    GetData,
    /// 000: READ RECORD(S) (record structure; §8.1.1.2, table 85).
    ReadRecords,
    /// Any other value (the three bits): reserved (§8.1.1.2, table 85).
    Reserved(u8),
}

/// The card service data byte, COMPACT-TLV tag 3 (ISO/IEC 7816-4:2005 table 85).
/// `Debug` shows it in hex: `CardServiceData(E0)`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CardServiceData(pub u8);

impl fmt::Debug for CardServiceData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CardServiceData({:02X})", self.0)
    }
}

impl CardServiceData {
    /// b8: application selection by full DF name (ISO/IEC 7816-4:2005
    /// table 85).
    #[must_use]
    pub const fn select_by_full_df_name(self) -> bool {
        self.0 & 0x80 != 0
    }

    /// b7: application selection by partial DF name (ISO/IEC 7816-4:2005
    /// table 85).
    #[must_use]
    pub const fn select_by_partial_df_name(self) -> bool {
        self.0 & 0x40 != 0
    }

    /// b6: BER-TLV data objects available in EF.DIR (ISO/IEC 7816-4:2005
    /// table 85).
    #[must_use]
    pub const fn objects_in_ef_dir(self) -> bool {
        self.0 & 0x20 != 0
    }

    /// b5: BER-TLV data objects available in EF.ATR (ISO/IEC 7816-4:2005
    /// table 85).
    #[must_use]
    pub const fn objects_in_ef_atr(self) -> bool {
        self.0 & 0x10 != 0
    }

    /// b4–b2: how EF.DIR and EF.ATR are read (ISO/IEC 7816-4:2005 table 85).
    #[must_use]
    pub const fn ef_access(self) -> EfAccess {
        match (self.0 >> 1) & 0x07 {
            0b100 => EfAccess::ReadBinary,
            0b010 => EfAccess::GetData,
            0b000 => EfAccess::ReadRecords,
            other => EfAccess::Reserved(other),
        }
    }

    /// b1 = 0: the card has a master file (MF; ISO/IEC 7816-4:2005 table 85).
    #[must_use]
    pub const fn has_mf(self) -> bool {
        self.0 & 0x01 == 0
    }
}

bitflags::bitflags! {
    /// Card capabilities, first software function table: selection methods
    /// (ISO/IEC 7816-4:2005 table 86).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct SelectionMethods: u8 {
        /// b8: DF selection by full DF name (table 86).
        const DF_BY_FULL_NAME = 0x80;
        /// b7: DF selection by partial DF name (table 86).
        const DF_BY_PARTIAL_NAME = 0x40;
        /// b6: DF selection by path (table 86).
        const DF_BY_PATH = 0x20;
        /// b5: DF selection by file identifier (table 86).
        const DF_BY_FILE_ID = 0x10;
        /// b4: implicit DF selection (table 86).
        const IMPLICIT_DF = 0x08;
        /// b3: short EF identifier supported (table 86).
        const SHORT_EF_ID = 0x04;
        /// b2: record number supported (table 86).
        const RECORD_NUMBER = 0x02;
        /// b1: record identifier supported (table 86).
        const RECORD_ID = 0x01;
    }
}

/// What writing to an EF does: data coding byte b7–b6 (ISO/IEC 7816-4:2005
/// table 87).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WriteBehaviour {
    /// 00: one-time write (§8.1.1.2.7, table 87).
    OneTime,
    /// 01: proprietary (§8.1.1.2.7, table 87).
    Proprietary,
    /// 10: write OR (§8.1.1.2.7, table 87).
    Or,
    /// 11: write AND (§8.1.1.2.7, table 87).
    And,
}

/// The data coding byte, second software function table (ISO/IEC
/// 7816-4:2005 table 87).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DataCoding(pub u8);

impl DataCoding {
    /// b8: EFs of BER-TLV structure supported (ISO/IEC 7816-4:2005 table 87).
    #[must_use]
    pub const fn ber_tlv_efs(self) -> bool {
        self.0 & 0x80 != 0
    }

    /// b7–b6: behaviour of write functions (ISO/IEC 7816-4:2005 table 87).
    #[must_use]
    pub const fn write_behaviour(self) -> WriteBehaviour {
        match (self.0 >> 5) & 0x03 {
            0 => WriteBehaviour::OneTime,
            1 => WriteBehaviour::Proprietary,
            2 => WriteBehaviour::Or,
            _ => WriteBehaviour::And,
        }
    }

    /// b5: the value FF is valid as the first byte of a BER-TLV tag
    /// (ISO/IEC 7816-4:2005 table 87).
    #[must_use]
    pub const fn ff_valid_as_tag(self) -> bool {
        self.0 & 0x10 != 0
    }

    /// b4–b1: the data unit size, 2^value quartets (1 → one byte;
    /// ISO/IEC 7816-4:2005 table 87).
    #[must_use]
    pub const fn data_unit_quartets(self) -> u16 {
        1 << (self.0 & 0x0F)
    }
}

/// Command chaining, length fields and logical channels: the third software
/// function table (ISO/IEC 7816-4:2005 table 88).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ChainingLengthChannels(pub u8);

impl ChainingLengthChannels {
    /// b8: command chaining (ISO/IEC 7816-4:2005 table 88).
    #[must_use]
    pub const fn command_chaining(self) -> bool {
        self.0 & 0x80 != 0
    }

    /// b7: extended Lc and Le fields (ISO/IEC 7816-4:2005 table 88).
    #[must_use]
    pub const fn extended_lc_le(self) -> bool {
        self.0 & 0x40 != 0
    }

    /// b6: extended length information in EF.ATR/INFO (ISO/IEC 7816-4:2013;
    /// reserved in the 2005 edition, digest D6).
    #[must_use]
    pub const fn extended_length_info(self) -> bool {
        self.0 & 0x20 != 0
    }

    /// b5: logical channel numbers assigned by the card (ISO/IEC 7816-4:2005
    /// table 88).
    #[must_use]
    pub const fn channels_assigned_by_card(self) -> bool {
        self.0 & 0x10 != 0
    }

    /// b4: logical channel numbers assigned by the interface device
    /// (ISO/IEC 7816-4:2005 table 88).
    #[must_use]
    pub const fn channels_assigned_by_interface_device(self) -> bool {
        self.0 & 0x08 != 0
    }

    /// b3–b1 + 1: the number of logical channels; 8 means eight or more
    /// (ISO/IEC 7816-4:2005 table 88).
    #[must_use]
    pub const fn max_logical_channels(self) -> u8 {
        (self.0 & 0x07) + 1
    }
}

/// Card capabilities, COMPACT-TLV tag 7: one to three software function
/// tables (ISO/IEC 7816-4:2005 §8.1.1.2.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CardCapabilities {
    tables: [u8; 3],
    len: u8,
}

impl CardCapabilities {
    /// From the value of object 7: 1 to 3 bytes, else `None`
    /// (ISO/IEC 7816-4:2005 §8.1.1.2.7).
    #[must_use]
    pub const fn from_bytes(value: &[u8]) -> Option<Self> {
        match *value {
            [a] => Some(Self { tables: [a, 0, 0], len: 1 }),
            [a, b] => Some(Self { tables: [a, b, 0], len: 2 }),
            [a, b, c] => Some(Self { tables: [a, b, c], len: 3 }),
            _ => None,
        }
    }

    /// The first table: selection methods (ISO/IEC 7816-4:2005 table 86).
    #[must_use]
    pub const fn selection_methods(&self) -> SelectionMethods {
        SelectionMethods::from_bits_retain(self.tables[0])
    }

    /// The second table, if present: the data coding byte (ISO/IEC 7816-4:2005
    /// table 87).
    #[must_use]
    pub const fn data_coding(&self) -> Option<DataCoding> {
        if self.len >= 2 { Some(DataCoding(self.tables[1])) } else { None }
    }

    /// The third table, if present: chaining, lengths, logical channels
    /// (ISO/IEC 7816-4:2005 table 88).
    #[must_use]
    pub const fn chaining_length_channels(&self) -> Option<ChainingLengthChannels> {
        if self.len >= 3 { Some(ChainingLengthChannels(self.tables[2])) } else { None }
    }
}

/// A status indicator: life cycle status and/or a status word (ISO/IEC
/// 7816-4:2005 §8.1.1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StatusIndicator {
    lcs: Option<u8>,
    sw: Option<StatusWord>,
}

impl StatusIndicator {
    /// The life cycle status byte, raw (ISO/IEC 7816-4:2005 §8.1.1.3).
    #[must_use]
    pub const fn lcs(&self) -> Option<u8> {
        self.lcs
    }

    /// The life cycle status, decoded (ISO/IEC 7816-4:2005 §5.3.3 table 13).
    #[must_use]
    pub const fn life_cycle(&self) -> Option<LifeCycleStatus> {
        match self.lcs {
            Some(b) => Some(LifeCycleStatus::from_byte(b)),
            None => None,
        }
    }

    /// The status word (meaning in [`crate::sw`]; ISO/IEC 7816-4:2005
    /// §8.1.1.3).
    #[must_use]
    pub const fn sw(&self) -> Option<StatusWord> {
        self.sw
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncated_object_names_its_header() {
        // 80 then header 45 (tag 4, 5 bytes) with only 2 bytes behind it.
        let h = HistoricalBytes::new(&[0x80, 0x45, 0x01, 0x02], 10);
        let err = h.objects().find_map(Result::err).unwrap();
        assert_eq!(err, HistoricalError::Truncated { offset: 11, tag: 4, needed: 3 });
        assert_eq!(h.check(), Err(err));
    }

    #[test]
    fn status_at_end_needs_three_bytes() {
        let h = HistoricalBytes::new(&[0x00, 0x90, 0x00], 4);
        assert_eq!(h.status_indicator(), Err(HistoricalError::MissingStatusIndicator { offset: 4, len: 2 }));
        let h = HistoricalBytes::new(&[0x00, 0x31, 0xC0, 0x05, 0x90, 0x00], 4);
        let status = h.status_indicator().unwrap().unwrap();
        assert_eq!(status.life_cycle(), Some(LifeCycleStatus::Activated));
        assert_eq!(status.sw(), Some(StatusWord::SUCCESS));
        assert_eq!(h.objects().count(), 1);
    }
}
