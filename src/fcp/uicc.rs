//! The FCP template of a UICC, ETSI TS 102 221 §11.1.1.4: tag `62` and the
//! data objects inside it.
//!
//! | Tag | Object | Type here |
//! |---|---|---|
//! | `82` | file descriptor: FDB, data coding, record length and count | [`FileDescriptor`] |
//! | `83` | file identifier | `u16` |
//! | `84` | DF name (AID) | bytes |
//! | `A5` | proprietary information (`80` UICC characteristics, `83` available memory, `87` supported commands, …) | [`Proprietary`] / [`ProprietaryInfo`] |
//! | `8A` | life cycle status integer | [`LifeCycleStatus`] |
//! | `8B` / `8C` / `AB` | security attributes, referenced / compact / expanded | [`SecurityAttributes`] (raw) |
//! | `C6` | PIN status template: `90` PS_DO, `95` usage qualifier, `83` key reference | [`PinStatusTemplate`], [`PinStatus`] |
//! | `80` / `81` | file size / total file size | `u32` |
//! | `88` | short file identifier | [`Sfi`] |
//!
//! [`Fcp::parse`] checks the template in one pass (the PIN status template and
//! the proprietary objects included) and keeps borrowed views; [`FcpTemplate`]
//! writes one, in the order of TS 102 221 tables 11.3–11.6, for the virtual
//! SIM. Unknown objects are skipped when decoding.

use super::{EfStructure, FileKind};
use crate::codec::{DecodeError, EncodeError, Tlv, TlvIter, TlvWriter};
pub use crate::lcs::LifeCycleStatus;

/// Tag of the FCP template (TS 102 221 §11.1.1.4).
pub const TAG_FCP: u8 = 0x62;
const TAG_FILE_SIZE: u32 = 0x80;
const TAG_TOTAL_SIZE: u32 = 0x81;
const TAG_DESCRIPTOR: u32 = 0x82;
const TAG_FID: u32 = 0x83;
const TAG_DF_NAME: u32 = 0x84;
const TAG_SFI: u32 = 0x88;
const TAG_LCSI: u32 = 0x8A;
const TAG_SEC_REFERENCED: u32 = 0x8B;
const TAG_SEC_COMPACT: u32 = 0x8C;
const TAG_SEC_EXPANDED: u32 = 0xAB;
const TAG_PROPRIETARY: u32 = 0xA5;
const TAG_PIN_STATUS: u32 = 0xC6;
const TAG_PS_DO: u32 = 0x90;
const TAG_USAGE_QUALIFIER: u32 = 0x95;
const TAG_KEY_REFERENCE: u32 = 0x83;

/// The file descriptor, tag `82` (TS 102 221 §11.1.1.4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileDescriptor {
    /// The file descriptor byte (FDB) (TS 102 221 §11.1.1.4.3).
    pub descriptor_byte: u8,
    /// The data coding byte (`21` in TS 102 221).
    pub data_coding: u8,
    /// Record length and number of records, for record EFs (TS 102 221 §11.1.1.4.3).
    pub records: Option<(u16, u8)>,
}

impl FileDescriptor {
    /// A DF or ADF (`78 21` if shareable, `38 21` if not) (TS 102 221 §11.1.1.4.3).
    #[must_use]
    pub const fn dedicated(shareable: bool) -> Self {
        FileDescriptor { descriptor_byte: 0x38 | (shareable as u8) << 6, data_coding: 0x21, records: None }
    }

    /// A working EF of `structure`; `records` (length, count) for record EFs (TS 102 221 §11.1.1.4.3).
    #[must_use]
    pub const fn working_ef(structure: EfStructure, shareable: bool, records: Option<(u16, u8)>) -> Self {
        let low = match structure {
            EfStructure::Transparent => 0x01,
            EfStructure::LinearFixed => 0x02,
            EfStructure::Cyclic => 0x06,
            EfStructure::BerTlv => 0x39,
        };
        FileDescriptor { descriptor_byte: low | (shareable as u8) << 6, data_coding: 0x21, records }
    }

    /// Decode the value of tag `82` (2 or 5 bytes) (TS 102 221 §11.1.1.4.3).
    ///
    /// # Errors
    /// [`DecodeError::Invalid`] for another length (at the length byte) or an
    /// RFU file type or structure (at the FDB).
    pub fn decode(tlv: &Tlv<'_>) -> Result<Self, DecodeError> {
        let (fdb, coding, records) = match *tlv.value() {
            [fdb, coding] => (fdb, coding, None),
            [fdb, coding, l1, l2, n] => (fdb, coding, Some((u16::from_be_bytes([l1, l2]), n))),
            _ => return Err(tlv.bad_length("file descriptor length")),
        };
        let descriptor = FileDescriptor { descriptor_byte: fdb, data_coding: coding, records };
        let invalid =
            DecodeError::Invalid { what: "file descriptor byte", offset: tlv.value_offset(), found: fdb };
        if fdb & 0x80 != 0 || descriptor.kind_bits().is_none() {
            return Err(invalid);
        }
        match descriptor.kind_bits() {
            Some(FileKind::WorkingEf | FileKind::InternalEf) if descriptor.structure_bits().is_err() => {
                Err(invalid)
            }
            // A DF or ADF is x0111000 (table 11.5): b3–b1 = 000.
            Some(FileKind::Df) if fdb & 0x07 != 0 => Err(invalid),
            _ => Ok(descriptor),
        }
    }

    /// DF (b6–b4 = 111), working EF (000) or internal EF (001); `None` if RFU.
    fn kind_bits(&self) -> Option<FileKind> {
        if self.descriptor_byte & 0x3F == 0x39 {
            return Some(FileKind::WorkingEf);
        }
        match (self.descriptor_byte >> 3) & 0x07 {
            0b111 => Some(FileKind::Df),
            0b000 => Some(FileKind::WorkingEf),
            0b001 => Some(FileKind::InternalEf),
            _ => None,
        }
    }

    /// The EF structure of b3–b1 (or the BER-TLV coding 111001); `Ok(None)` for
    /// "no information given", `Err` for RFU.
    fn structure_bits(&self) -> Result<Option<EfStructure>, ()> {
        if self.descriptor_byte & 0x3F == 0x39 {
            return Ok(Some(EfStructure::BerTlv));
        }
        match self.descriptor_byte & 0x07 {
            0b000 => Ok(None),
            0b001 => Ok(Some(EfStructure::Transparent)),
            0b010 => Ok(Some(EfStructure::LinearFixed)),
            0b110 => Ok(Some(EfStructure::Cyclic)),
            _ => Err(()),
        }
    }

    /// b7: the file is shareable (TS 102 221 §11.1.1.4.3).
    #[must_use]
    pub const fn is_shareable(&self) -> bool {
        self.descriptor_byte & 0x40 != 0
    }

    /// Whether the descriptor is that of a DF or ADF (TS 102 221 §11.1.1.4.3).
    #[must_use]
    pub fn is_dedicated(&self) -> bool {
        self.kind_bits() == Some(FileKind::Df)
    }

    /// The EF structure (`None` for a DF or "no information") (TS 102 221 §11.1.1.4.3).
    #[must_use]
    pub fn structure(&self) -> Option<EfStructure> {
        if self.is_dedicated() { None } else { self.structure_bits().ok().flatten() }
    }

    fn write(&self, w: &mut TlvWriter<'_>) -> Result<(), EncodeError> {
        match self.records {
            None => w.put(TAG_DESCRIPTOR, &[self.descriptor_byte, self.data_coding]),
            Some((len, count)) => {
                let [l1, l2] = len.to_be_bytes();
                w.put(TAG_DESCRIPTOR, &[self.descriptor_byte, self.data_coding, l1, l2, count])
            }
        }
    }
}

/// The security attributes, kept raw with their form (TS 102 221 §11.1.1.4.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecurityAttributes<'a> {
    /// `8B`: a reference to EF_ARR (FID and record number, or FID and
    /// SEID/record pairs) (TS 102 221 §11.1.1.4.7).
    Referenced(&'a [u8]),
    /// `8C`: compact form, AM byte and SC bytes (TS 102 221 §11.1.1.4.7).
    Compact(&'a [u8]),
    /// `AB`: expanded form, AM_DO and SC_DO objects (TS 102 221 §11.1.1.4.7).
    Expanded(&'a [u8]),
}

impl SecurityAttributes<'_> {
    /// For the 3-byte referenced form: the EF_ARR file identifier and record (TS 102 221 §11.1.1.4.7).
    #[must_use]
    pub fn arr_record(&self) -> Option<(u16, u8)> {
        match *self {
            SecurityAttributes::Referenced(&[f1, f2, record]) => Some((u16::from_be_bytes([f1, f2]), record)),
            _ => None,
        }
    }

    fn tag_and_value(&self) -> (u32, &[u8]) {
        match *self {
            SecurityAttributes::Referenced(v) => (TAG_SEC_REFERENCED, v),
            SecurityAttributes::Compact(v) => (TAG_SEC_COMPACT, v),
            SecurityAttributes::Expanded(v) => (TAG_SEC_EXPANDED, v),
        }
    }
}

/// The short file identifier, tag `88` (TS 102 221 §11.1.1.4.8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sfi {
    /// Tag absent: the SFI is b5–b1 of the file identifier (TS 102 221 §11.1.1.4.8).
    FromFid,
    /// Tag present and empty: the file has no SFI (TS 102 221 §11.1.1.4.8).
    Unsupported,
    /// The SFI (1–30), from b8–b4 of the value (TS 102 221 §11.1.1.4.8).
    Value(u8),
}

impl Sfi {
    /// Whether `sfi` can name a file: 1 to 30 (0 names the current EF in a
    /// command, 31 is reserved) (TS 102 221 §11.1.1.4.8, ISO/IEC 7816-4 §7.2.2).
    #[must_use]
    pub const fn is_valid(sfi: u8) -> bool {
        matches!(sfi, 1..=30)
    }
}

/// The proprietary information template `A5`, borrowed (TS 102 221 §11.1.1.4.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Proprietary<'a> {
    tlv: Tlv<'a>,
}

impl<'a> Proprietary<'a> {
    /// The objects inside (checked by [`Fcp::parse`]) (TS 102 221 §11.1.1.4.6).
    #[must_use]
    pub fn objects(&self) -> TlvIter<'a> {
        self.tlv.children().unwrap_or(TlvIter::new(&[]))
    }

    /// The raw content of `A5` (TS 102 221 §11.1.1.4.6).
    #[must_use]
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.tlv.value()
    }

    fn find(&self, tag: u32) -> Option<&'a [u8]> {
        self.objects().find(tag).ok().flatten().map(|t| t.value())
    }

    /// `80`: the UICC characteristics byte (MF only; resolved Q6: b1 clock
    /// stop allowed, b3/b4 level, b5–b7 voltage classes A/B/C) (TS 102 221 §11.1.1.4.6).
    #[must_use]
    pub fn uicc_characteristics(&self) -> Option<u8> {
        match self.find(0x80)? {
            &[b] => Some(b),
            _ => None,
        }
    }

    /// `83`: available memory in bytes (TS 102 221 §11.1.1.4.6).
    #[must_use]
    pub fn available_memory(&self) -> Option<u32> {
        be_number(self.find(0x83)?)
    }

    /// `87`: supported system commands (b1 = TERMINAL CAPABILITY) (TS 102 221 §11.1.1.4.6).
    #[must_use]
    pub fn supported_commands(&self) -> Option<u8> {
        match self.find(0x87)? {
            &[b] => Some(b),
            _ => None,
        }
    }
}

/// What [`FcpTemplate`] writes into `A5` (TS 102 221 §11.1.1.4.6).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ProprietaryInfo<'x> {
    /// `80`: UICC characteristics (mandatory for the MF; `71` is typical) (TS 102 221 §11.1.1.4.6).
    pub uicc_characteristics: Option<u8>,
    /// `83`: available memory, written on 4 bytes (TS 102 221 §11.1.1.4.6).
    pub available_memory: Option<u32>,
    /// `87`: supported system commands (TS 102 221 §11.1.1.4.6).
    pub supported_commands: Option<u8>,
    /// Further objects, already encoded, appended as they are (TS 102 221 §11.1.1.4.6).
    pub extra: &'x [u8],
}

/// One entry of the PIN status template: a key reference and its state (TS 102 221 §9.5.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PinStatus {
    /// The key reference (`01` PIN1, `81` PIN2, `0A` ADM1, `11` universal PIN …)
    /// (TS 102 221 §9.5.2, table 9.3).
    pub key_reference: u8,
    /// Its bit in PS_DO: the PIN is enabled (TS 102 221 §9.5.2).
    pub enabled: bool,
    /// The usage qualifier `95` given before it (`08`: use the universal PIN) (TS 102 221 §9.5.2).
    pub usage_qualifier: Option<u8>,
}

/// The PIN status template `C6` (TS 102 221 §9.5.2): PS_DO `90`, a bit per key
/// reference (b8 of the first byte for the first), then the key references
/// `83`, each optionally preceded by a usage qualifier `95`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PinStatusTemplate<'a> {
    tlv: Tlv<'a>,
}

impl<'a> PinStatusTemplate<'a> {
    /// Check the template: `90` first, then `95`/`83` objects of one byte,
    /// no more key references than PS_DO has bits.
    fn check(tlv: Tlv<'a>) -> Result<Self, DecodeError> {
        let mut bits = None;
        let mut keys = 0usize;
        for object in tlv.children()? {
            let object = object?;
            match (object.tag(), bits) {
                (TAG_PS_DO, None) if !object.value().is_empty() => bits = Some(object.value().len() * 8),
                (TAG_USAGE_QUALIFIER, Some(_)) => {
                    object.value_array::<1>("usage qualifier length")?;
                }
                (TAG_KEY_REFERENCE, Some(n)) => {
                    object.value_array::<1>("key reference length")?;
                    keys += 1;
                    if keys > n {
                        return Err(DecodeError::Invalid {
                            what: "key reference beyond the PS_DO bits",
                            offset: object.offset(),
                            found: 0x83,
                        });
                    }
                }
                (tag, _) => {
                    return Err(DecodeError::Invalid {
                        what: "PIN status template object",
                        offset: object.offset(),
                        found: u8::try_from(tag & 0xFF).unwrap_or(0),
                    });
                }
            }
        }
        if bits.is_none() {
            return Err(DecodeError::MissingTag {
                what: "PS_DO",
                tag: 0x90,
                offset: tlv.value_offset() + tlv.value().len(),
            });
        }
        Ok(PinStatusTemplate { tlv })
    }

    /// The raw content of `C6` (TS 102 221 §9.5.2).
    #[must_use]
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.tlv.value()
    }

    /// The (key reference, enabled, usage qualifier) entries in order (TS 102 221 §9.5.2).
    #[must_use]
    pub fn iter(&self) -> PinStatuses<'a> {
        let mut objects = self.tlv.children().unwrap_or(TlvIter::new(&[]));
        let ps_do = objects.next().and_then(Result::ok).map_or(&[][..], |t| t.value());
        PinStatuses { objects, ps_do, index: 0 }
    }

    /// The entry for `key_reference` (TS 102 221 §9.5.2).
    #[must_use]
    pub fn get(&self, key_reference: u8) -> Option<PinStatus> {
        self.iter().find(|p| p.key_reference == key_reference)
    }

    /// Write a template for `pins` (the value of `C6` only).
    fn write(pins: &[PinStatus], w: &mut TlvWriter<'_>) -> Result<(), EncodeError> {
        let mut ps_do = [0u8; 32];
        let len = pins.len().div_ceil(8).max(1);
        let bits = ps_do.get_mut(..len).ok_or(EncodeError::OutOfRange {
            what: "PIN status template entries",
            value: u32::try_from(pins.len()).unwrap_or(u32::MAX),
            max: 256,
        })?;
        for (i, pin) in pins.iter().enumerate() {
            if let (true, Some(byte)) = (pin.enabled, bits.get_mut(i / 8)) {
                *byte |= 0x80 >> (i % 8);
            }
        }
        w.put(TAG_PS_DO, bits)?;
        for pin in pins {
            if let Some(uq) = pin.usage_qualifier {
                w.put(TAG_USAGE_QUALIFIER, &[uq])?;
            }
            w.put(TAG_KEY_REFERENCE, &[pin.key_reference])?;
        }
        Ok(())
    }
}

/// The entries of a [`PinStatusTemplate`] (TS 102 221 §9.5.2).
#[derive(Debug, Clone)]
pub struct PinStatuses<'a> {
    objects: TlvIter<'a>,
    ps_do: &'a [u8],
    index: usize,
}

impl Iterator for PinStatuses<'_> {
    type Item = PinStatus;

    fn next(&mut self) -> Option<PinStatus> {
        let mut usage_qualifier = None;
        loop {
            let object = self.objects.next()?.ok()?;
            match (object.tag(), object.value()) {
                (TAG_USAGE_QUALIFIER, &[uq]) => usage_qualifier = Some(uq),
                (TAG_KEY_REFERENCE, &[key_reference]) => {
                    let bit =
                        self.ps_do.get(self.index / 8).is_some_and(|b| b & (0x80 >> (self.index % 8)) != 0);
                    self.index += 1;
                    return Some(PinStatus { key_reference, enabled: bit, usage_qualifier });
                }
                _ => {}
            }
        }
    }
}

/// A big-endian number of 1 to 4 bytes.
fn be_number(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() || bytes.len() > 4 {
        return None;
    }
    Some(bytes.iter().fold(0u32, |n, &b| (n << 8) | u32::from(b)))
}

/// A checked FCP template, borrowing the response (TS 102 221 §11.1.1.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fcp<'a> {
    /// Tag `82` (TS 102 221 §11.1.1.4.3).
    pub descriptor: FileDescriptor,
    /// Tag `83` (TS 102 221 §11.1.1.4).
    pub fid: Option<u16>,
    /// Tag `84` (TS 102 221 §11.1.1.4).
    pub df_name: Option<&'a [u8]>,
    /// Tag `A5` (TS 102 221 §11.1.1.4.6).
    pub proprietary: Option<Proprietary<'a>>,
    /// Tag `8A` (TS 102 221 §11.1.1.4).
    pub life_cycle: Option<LifeCycleStatus>,
    /// Tag `8B`, `8C` or `AB` (TS 102 221 §11.1.1.4.7).
    pub security: Option<SecurityAttributes<'a>>,
    /// Tag `C6` (TS 102 221 §9.5.2).
    pub pin_status: Option<PinStatusTemplate<'a>>,
    /// Tag `80` (TS 102 221 §11.1.1.4).
    pub file_size: Option<u32>,
    /// Tag `81` (TS 102 221 §11.1.1.4).
    pub total_size: Option<u32>,
    /// Tag `88` (TS 102 221 §11.1.1.4.8).
    pub sfi: Sfi,
}

impl<'a> Fcp<'a> {
    /// Decode a SELECT/STATUS response holding an FCP template (TS 102 221 §11.1.1.4).
    ///
    /// # Errors
    /// [`DecodeError::Invalid`] when the first object is not `62` or an object
    /// has a wrong length or value; [`DecodeError::MissingTag`] without a file
    /// descriptor; [`DecodeError::TrailingBytes`] after the template; the TLV
    /// errors of [`crate::codec::tlv`], all at their byte offset.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        let mut top = TlvIter::new(bytes);
        let template = match top.next() {
            Some(Ok(t)) if t.tag() == u32::from(TAG_FCP) => t,
            Some(Ok(t)) => {
                let found = bytes.get(t.offset()).copied().unwrap_or_default();
                return Err(DecodeError::Invalid { what: "FCP template tag", offset: t.offset(), found });
            }
            Some(Err(e)) => return Err(e),
            None => {
                return Err(DecodeError::Truncated { what: "FCP template", offset: bytes.len(), needed: 2 });
            }
        };
        if let Some(next) = top.next() {
            let offset = next.map_or_else(|e| e.offset(), |t| t.offset());
            return Err(DecodeError::TrailingBytes { what: "FCP template", offset });
        }
        let mut fcp = Fcp {
            descriptor: FileDescriptor { descriptor_byte: 0, data_coding: 0, records: None },
            fid: None,
            df_name: None,
            proprietary: None,
            life_cycle: None,
            security: None,
            pin_status: None,
            file_size: None,
            total_size: None,
            sfi: Sfi::FromFid,
        };
        let mut has_descriptor = false;
        for object in template.children()? {
            let object = object?;
            let value = object.value();
            match object.tag() {
                TAG_DESCRIPTOR => {
                    fcp.descriptor = FileDescriptor::decode(&object)?;
                    has_descriptor = true;
                }
                TAG_FID => {
                    fcp.fid = Some(u16::from_be_bytes(object.value_array::<2>("file identifier length")?))
                }
                TAG_DF_NAME if (1..=16).contains(&value.len()) => fcp.df_name = Some(value),
                TAG_DF_NAME => return Err(object.bad_length("DF name length")),
                TAG_PROPRIETARY => {
                    for inner in object.children()? {
                        inner?;
                    }
                    fcp.proprietary = Some(Proprietary { tlv: object });
                }
                TAG_LCSI => {
                    fcp.life_cycle =
                        Some(LifeCycleStatus::from_byte(object.value_array::<1>("LCSI length")?[0]))
                }
                TAG_SEC_REFERENCED => fcp.security = Some(SecurityAttributes::Referenced(value)),
                TAG_SEC_COMPACT => fcp.security = Some(SecurityAttributes::Compact(value)),
                TAG_SEC_EXPANDED => fcp.security = Some(SecurityAttributes::Expanded(value)),
                TAG_PIN_STATUS => fcp.pin_status = Some(PinStatusTemplate::check(object)?),
                TAG_FILE_SIZE => {
                    fcp.file_size =
                        Some(be_number(value).ok_or_else(|| object.bad_length("file size length"))?)
                }
                TAG_TOTAL_SIZE => {
                    fcp.total_size =
                        Some(be_number(value).ok_or_else(|| object.bad_length("total file size length"))?);
                }
                TAG_SFI => {
                    fcp.sfi = match *value {
                        [] => Sfi::Unsupported,
                        // b8–b4 the SFI (1–30), b3–b1 = 000 (§11.1.1.4.8).
                        [b] if b & 0x07 == 0 && Sfi::is_valid(b >> 3) => Sfi::Value(b >> 3),
                        [b] => {
                            return Err(DecodeError::Invalid {
                                what: "SFI (b8–b4 1 to 30, b3–b1 000)",
                                offset: object.value_offset(),
                                found: b,
                            });
                        }
                        _ => return Err(object.bad_length("SFI length")),
                    };
                }
                _ => {}
            }
        }
        if !has_descriptor {
            return Err(DecodeError::MissingTag {
                what: "file descriptor",
                tag: 0x82,
                offset: template.value_offset() + template.value().len(),
            });
        }
        Ok(fcp)
    }

    /// MF (DF with FID 3F00), ADF (DF with a DF name), DF, working or internal EF (TS 102 221 §11.1.1.4.3).
    #[must_use]
    pub fn kind(&self) -> FileKind {
        match self.descriptor.kind_bits() {
            Some(FileKind::Df) if self.fid == Some(crate::fs::Fid::MF.0) => FileKind::Mf,
            Some(FileKind::Df) if self.df_name.is_some() => FileKind::Adf,
            Some(kind) => kind,
            None => FileKind::WorkingEf,
        }
    }

    /// The SFI in force: the tag's value, the low 5 bits of the FID when the
    /// tag is absent (EFs only), or `None` (TS 102 221 §11.1.1.4.8).
    #[must_use]
    pub fn short_file_identifier(&self) -> Option<u8> {
        match self.sfi {
            Sfi::Value(v) => Some(v),
            Sfi::Unsupported => None,
            Sfi::FromFid if self.kind().is_ef() => self.fid.map(|f| u8::try_from(f & 0x1F).unwrap_or(0)),
            Sfi::FromFid => None,
        }
    }
}

/// What [`FcpTemplate::encode_into`] writes: an FCP template for the virtual
/// SIM's SELECT and STATUS responses (TS 102 221 §11.1.1.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FcpTemplate<'x> {
    /// `82` (TS 102 221 §11.1.1.4.3).
    pub descriptor: FileDescriptor,
    /// `83` (TS 102 221 §11.1.1.4).
    pub fid: Option<u16>,
    /// `84` (TS 102 221 §11.1.1.4).
    pub df_name: Option<&'x [u8]>,
    /// `A5` (TS 102 221 §11.1.1.4.6).
    pub proprietary: Option<ProprietaryInfo<'x>>,
    /// `8A` (TS 102 221 §11.1.1.4).
    pub life_cycle: Option<LifeCycleStatus>,
    /// `8B`, `8C` or `AB` (TS 102 221 §11.1.1.4.7).
    pub security: Option<SecurityAttributes<'x>>,
    /// `C6`, for DFs and ADFs (written when not empty) (TS 102 221 §9.5.2).
    pub pins: &'x [PinStatus],
    /// `80`, written on at least 2 bytes (TS 102 221 §11.1.1.4).
    pub file_size: Option<u32>,
    /// `81`, written on at least 2 bytes (TS 102 221 §11.1.1.4).
    pub total_size: Option<u32>,
    /// `88`: nothing for [`Sfi::FromFid`] (TS 102 221 §11.1.1.4.8).
    pub sfi: Sfi,
}

impl<'x> FcpTemplate<'x> {
    /// A template with only `descriptor` and `fid`, life cycle activated (TS 102 221 §11.1.1.4).
    #[must_use]
    pub const fn new(descriptor: FileDescriptor, fid: Option<u16>) -> Self {
        FcpTemplate {
            descriptor,
            fid,
            df_name: None,
            proprietary: None,
            life_cycle: Some(LifeCycleStatus::Activated),
            security: None,
            pins: &[],
            file_size: None,
            total_size: None,
            sfi: Sfi::FromFid,
        }
    }

    /// Write `62 L …` into `out` and return it (TS 102 221 §11.1.1.4).
    ///
    /// # Errors
    /// [`EncodeError::BufferTooSmall`]; [`EncodeError::OutOfRange`] for more
    /// than 256 PINs, an SFI outside 1–30 or a DF name of more than 16 bytes
    /// (or none), which [`Fcp::parse`] would refuse.
    pub fn encode_into<'b>(&self, out: &'b mut [u8]) -> Result<&'b [u8], EncodeError> {
        let mut w = TlvWriter::new(out);
        w.nested(u32::from(TAG_FCP), |w| self.write_content(w))?;
        Ok(w.into_bytes())
    }

    fn write_content(&self, w: &mut TlvWriter<'_>) -> Result<(), EncodeError> {
        self.descriptor.write(w)?;
        if let Some(fid) = self.fid {
            w.put(TAG_FID, &fid.to_be_bytes())?;
        }
        if let Some(name) = self.df_name {
            if !(1..=16).contains(&name.len()) {
                let value = u32::try_from(name.len()).unwrap_or(u32::MAX);
                return Err(EncodeError::OutOfRange { what: "DF name length", value, max: 16 });
            }
            w.put(TAG_DF_NAME, name)?;
        }
        if let Some(info) = self.proprietary {
            w.nested(TAG_PROPRIETARY, |w| {
                if let Some(c) = info.uicc_characteristics {
                    w.put(0x80, &[c])?;
                }
                if let Some(m) = info.available_memory {
                    w.put(0x83, &m.to_be_bytes())?;
                }
                if let Some(c) = info.supported_commands {
                    w.put(0x87, &[c])?;
                }
                w.raw(info.extra)
            })?;
        }
        if let Some(lcsi) = self.life_cycle {
            w.put(TAG_LCSI, &[lcsi.to_byte()])?;
        }
        if let Some(security) = self.security {
            let (tag, value) = security.tag_and_value();
            w.put(tag, value)?;
        }
        if !self.pins.is_empty() {
            w.nested(TAG_PIN_STATUS, |w| PinStatusTemplate::write(self.pins, w))?;
        }
        for (tag, size) in [(TAG_FILE_SIZE, self.file_size), (TAG_TOTAL_SIZE, self.total_size)] {
            if let Some(size) = size {
                let bytes = size.to_be_bytes();
                let skip = (size.leading_zeros() / 8).min(2) as usize;
                w.put(tag, bytes.get(skip..).unwrap_or_default())?;
            }
        }
        match self.sfi {
            Sfi::FromFid => Ok(()),
            Sfi::Unsupported => w.put(TAG_SFI, &[]),
            Sfi::Value(v) if Sfi::is_valid(v) => w.put(TAG_SFI, &[v << 3]),
            Sfi::Value(v) => {
                Err(EncodeError::OutOfRange { what: "SFI (1 to 30)", value: u32::from(v), max: 30 })
            }
        }
    }
}
