//! EF_DIR (2F00): the application directory of a UICC, ETSI TS 102 221 §13.1,
//! whose records are the application templates of ISO/IEC 7816-4 §8.2.1.1;
//! and the application identifiers they hold, ETSI TS 101 220 §4 (ISO/IEC
//! 7816-4 §8.2.1.2).
//!
//! A record is one BER-TLV object, padded with `FF`:
//!
//! | Tag | Object | Presence |
//! |---|---|---|
//! | `61` | application template | mandatory, around the rest |
//! | `4F` | application identifier (AID), 1–16 bytes | mandatory |
//! | `50` | application label (TS 102 221 annex A coding) | optional |
//! | `73`, `51`, `52`, `53`, … | other ISO/IEC 7816-4 objects | kept raw ([`DirRecord::other_objects`]) |
//!
//! An AID is a registered application provider identifier (RID, 5 bytes)
//! followed by a proprietary application identifier extension (PIX, up to 11
//! bytes) whose first two bytes are the application code (TS 101 220 §4.1):
//! 3GPP's RID `A000000087` with code `1002` is a USIM, `1004` an ISIM (TS 101
//! 220 annex E). [`Aid::application`] names the well-known ones.
//!
//! ```
//! use simcore::ef::{Application, DirRecord};
//! // pySim's EF_DIR test vector (pySim/ts_102_221.py, EF_DIR._test_de_encode).
//! let raw = simcore::hex::decode_heapless::<64>(
//!     "61194f10a0000000871004ffffffff890709000050054953696d31ffffff")?;
//! let record = DirRecord::parse(&raw)?.expect("not an empty record");
//! assert_eq!(record.aid().application(), Application::Isim);
//! assert_eq!(record.label().map(|l| l.to_string()).as_deref(), Some("ISim1"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::codec::tlv::{Tlv, TlvIter, TlvWriter};
use crate::codec::{Alpha, DecodeError, EncodeError};
use core::fmt;

/// Tag of the application template (ISO/IEC 7816-4 §8.2.1.1, table 11).
pub const TAG_APPLICATION_TEMPLATE: u32 = 0x61;
/// Tag of the application identifier (ISO/IEC 7816-4 §8.2.1.2).
pub const TAG_AID: u32 = 0x4F;
/// Tag of the application label (ISO/IEC 7816-4 §8.2.1.1, TS 102 221 §13.1).
pub const TAG_LABEL: u32 = 0x50;

/// Longest AID (ISO/IEC 7816-4 §8.2.1.2: a DF name of at most 16 bytes).
pub const MAX_AID_LEN: usize = 16;
/// Length of the RID (ISO/IEC 7816-5, TS 101 220 §4).
pub const RID_LEN: usize = 5;

/// RID of 3GPP (TS 101 220 annex E).
pub const RID_3GPP: [u8; RID_LEN] = [0xA0, 0x00, 0x00, 0x00, 0x87];
/// RID of 3GPP2 (TS 101 220 annex E).
pub const RID_3GPP2: [u8; RID_LEN] = [0xA0, 0x00, 0x00, 0x03, 0x43];
/// RID of ETSI (TS 101 220 annex E).
pub const RID_ETSI: [u8; RID_LEN] = [0xA0, 0x00, 0x00, 0x00, 0x09];
/// RID of the GSMA (SGP.02 §2.2.3: ISD-R, ECASD).
pub const RID_GSMA: [u8; RID_LEN] = [0xA0, 0x00, 0x00, 0x05, 0x59];
/// RID of GlobalPlatform (ARA-M, GlobalPlatform SEAC) (ISO/IEC 7816-5, ETSI TS 101 220 §4).
pub const RID_GLOBALPLATFORM: [u8; RID_LEN] = [0xA0, 0x00, 0x00, 0x01, 0x51];

/// The AID of the access rule application master, ARA-M (GlobalPlatform
/// Secure Element Access Control §3.1; listed in pySim's card info of a
/// sysmoEUICC1, `tests/pySim-shell_test/cardinfo`).
pub const ARA_M_AID: [u8; 9] = [0xA0, 0x00, 0x00, 0x01, 0x51, 0x41, 0x43, 0x4C, 0x00];

/// The applications this crate recognises by their AID (ETSI TS 101 220 §4, annex E).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Application {
    /// USIM, 3GPP TS 31.102: RID `A000000087`, application code `1002`.
    Usim,
    /// ISIM, 3GPP TS 31.103: RID `A000000087`, application code `1004` (TS 101 220 annex E).
    Isim,
    /// CSIM, 3GPP2 C.S0065: RID `A000000343`, application code `1002` (TS 101 220 annex E).
    Csim,
    /// The eUICC's root issuer security domain, GSMA SGP.02 §2.2.3 /
    /// SGP.22 §2.2.1 ([`crate::euicc::ISD_R_AID`]).
    IsdR,
    /// The eUICC certificate authority security domain, GSMA SGP.02 §2.2.3
    /// ([`crate::euicc::ECASD_AID`]).
    Ecasd,
    /// The access rule application master (GlobalPlatform Secure Element
    /// Access Control §3.1).
    AraM,
    /// Any other application; see [`Aid::registrant`] and [`Aid::pix`] (TS 101 220 §4).
    Other,
}

impl Application {
    /// A short name: "USIM", "ISIM", "CSIM", "ISD-R", "ECASD", "ARA-M" or
    /// "other" (TS 101 220 annex E).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Application::Usim => "USIM",
            Application::Isim => "ISIM",
            Application::Csim => "CSIM",
            Application::IsdR => "ISD-R",
            Application::Ecasd => "ECASD",
            Application::AraM => "ARA-M",
            Application::Other => "other",
        }
    }
}

impl fmt::Display for Application {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An application identifier, borrowing its 1 to 16 bytes (ISO/IEC 7816-4
/// §8.2.1.2; TS 101 220 §4: RID then PIX).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Aid<'a> {
    bytes: &'a [u8],
}

impl<'a> Aid<'a> {
    /// View `bytes` as an AID (ISO/IEC 7816-4 §8.2.1.2).
    ///
    /// # Errors
    /// [`DecodeError::Invalid`] (at byte 0, `found` = the length) unless 1 to
    /// 16 bytes long.
    pub fn new(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        if bytes.is_empty() || bytes.len() > MAX_AID_LEN {
            return Err(DecodeError::Invalid {
                what: "AID length (1 to 16 bytes)",
                offset: 0,
                found: u8::try_from(bytes.len()).unwrap_or(u8::MAX),
            });
        }
        Ok(Aid { bytes })
    }

    /// An AID of bytes the caller has checked (1 to 16 of them).
    pub(crate) const fn from_checked(bytes: &'a [u8]) -> Self {
        Aid { bytes }
    }

    /// The bytes (ISO/IEC 7816-4 §8.2.1.2).
    #[must_use]
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The registered application provider identifier, the first 5 bytes
    /// (`None` for a shorter AID) (TS 101 220 §4).
    #[must_use]
    pub fn rid(&self) -> Option<[u8; RID_LEN]> {
        self.bytes.first_chunk::<RID_LEN>().copied()
    }

    /// The proprietary application identifier extension: what follows the
    /// RID (empty for a short AID) (TS 101 220 §4).
    #[must_use]
    pub fn pix(&self) -> &'a [u8] {
        self.bytes.get(RID_LEN..).unwrap_or_default()
    }

    /// The application code, the first two bytes of the PIX (TS 101 220 §4.1:
    /// `1002` USIM, `1004` ISIM under 3GPP's RID).
    #[must_use]
    pub fn application_code(&self) -> Option<u16> {
        self.pix().first_chunk::<2>().map(|b| u16::from_be_bytes(*b))
    }

    /// Who registered the RID, for the RIDs of TS 101 220 annex E and the
    /// GSMA and GlobalPlatform ones: "3GPP", "3GPP2", "ETSI", "GSMA",
    /// "GlobalPlatform".
    #[must_use]
    pub fn registrant(&self) -> Option<&'static str> {
        let rid = self.rid()?;
        [
            (RID_3GPP, "3GPP"),
            (RID_3GPP2, "3GPP2"),
            (RID_ETSI, "ETSI"),
            (RID_GSMA, "GSMA"),
            (RID_GLOBALPLATFORM, "GlobalPlatform"),
        ]
        .into_iter()
        .find_map(|(known, name)| (known == rid).then_some(name))
    }

    /// Which application this is: by RID and application code for the
    /// 3GPP and 3GPP2 applications (a partial AID of 7 bytes is enough), by
    /// the whole AID for the GSMA security domains and ARA-M (TS 101 220 §4, annex E).
    #[must_use]
    pub fn application(&self) -> Application {
        let code = self.application_code();
        match (self.rid(), code) {
            (Some(RID_3GPP), Some(0x1002)) => Application::Usim,
            (Some(RID_3GPP), Some(0x1004)) => Application::Isim,
            (Some(RID_3GPP2), Some(0x1002)) => Application::Csim,
            _ if self.bytes == crate::euicc::ECASD_AID => Application::Ecasd,
            _ if crate::euicc::KNOWN_ISD_R_AIDS.iter().any(|known| self.bytes == known.aid) => {
                Application::IsdR
            }
            _ if self.bytes == ARA_M_AID => Application::AraM,
            _ => Application::Other,
        }
    }
}

/// `A0000000871002FFFFFFFF8907090000`: upper-case hex, no spaces.
impl fmt::Display for Aid<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.bytes.iter().try_for_each(|b| write!(f, "{b:02X}"))
    }
}

impl fmt::Debug for Aid<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Aid({self})")
    }
}

/// One record of EF_DIR: an application template (TS 102 221 §13.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DirRecord<'a> {
    template: Tlv<'a>,
    aid: Aid<'a>,
    label: Option<&'a [u8]>,
}

impl<'a> DirRecord<'a> {
    /// Parse a record: `Ok(None)` for an unused one (empty, or only `FF`
    /// and `00` padding) (TS 102 221 §13.1).
    ///
    /// # Errors
    /// [`DecodeError::Invalid`] when the record does not start with an
    /// application template `61`, or for an AID outside 1–16 bytes;
    /// [`DecodeError::MissingTag`] without an AID `4F`; the TLV reader's
    /// errors for a malformed object inside. Offsets count from the start of
    /// the record.
    pub fn parse(record: &'a [u8]) -> Result<Option<Self>, DecodeError> {
        let Some(first) = TlvIter::new(record).next() else { return Ok(None) };
        let template = first?;
        if template.tag() != TAG_APPLICATION_TEMPLATE {
            return Err(DecodeError::Invalid {
                what: "EF_DIR record: application template (tag 61)",
                offset: template.offset(),
                found: record.get(template.offset()).copied().unwrap_or_default(),
            });
        }
        let mut aid = None;
        let mut label = None;
        for object in template.children()? {
            let object = object?;
            match object.tag() {
                TAG_AID if aid.is_none() => {
                    aid = Some(
                        Aid::new(object.value())
                            .map_err(|_| object.bad_length("AID length (1 to 16 bytes)"))?,
                    );
                }
                TAG_LABEL if label.is_none() => label = Some(object.value()),
                _ => {}
            }
        }
        let aid = aid.ok_or(DecodeError::MissingTag {
            what: "application identifier",
            tag: 0x4F,
            offset: template.value_offset() + template.value().len(),
        })?;
        Ok(Some(DirRecord { template, aid, label }))
    }

    /// The application identifier (ISO/IEC 7816-4 §8.2.1.2).
    #[must_use]
    pub const fn aid(&self) -> Aid<'a> {
        self.aid
    }

    /// Which application the AID names (TS 101 220 annex E).
    #[must_use]
    pub fn application(&self) -> Application {
        self.aid.application()
    }

    /// The application label, decoded per TS 102 221 annex A; `None` when
    /// absent or not a valid annex A string (the raw bytes stay available
    /// from [`DirRecord::label_bytes`]).
    #[must_use]
    pub fn label(&self) -> Option<Alpha<'a>> {
        self.label.and_then(|bytes| Alpha::parse(bytes).ok())
    }

    /// The application label's raw bytes (TS 102 221 §13.1).
    #[must_use]
    pub const fn label_bytes(&self) -> Option<&'a [u8]> {
        self.label
    }

    /// The value of the application template (every object inside `61`) (ISO/IEC 7816-4 §8.2.1.1).
    #[must_use]
    pub const fn template(&self) -> &'a [u8] {
        self.template.value()
    }

    /// The objects of the template other than the AID and the label
    /// (discretionary data `73`, file reference `51`, command APDU `52`, URL
    /// `5F50`, …), raw, in record order; offsets count from the record (ISO/IEC 7816-4 §8.2.1.1).
    pub fn other_objects(&self) -> impl Iterator<Item = Tlv<'a>> + use<'a> {
        let mut seen_aid = false;
        let mut seen_label = false;
        // The template was checked by `parse`, so the iterator yields no error.
        self.template.children().into_iter().flatten().filter_map(Result::ok).filter(move |object| {
            match object.tag() {
                TAG_AID if !seen_aid => {
                    seen_aid = true;
                    false
                }
                TAG_LABEL if !seen_label => {
                    seen_label = true;
                    false
                }
                _ => true,
            }
        })
    }

    /// Write the record `61 {4F aid, 50 label}` (no label object when
    /// `label` is empty) into `out` and return its length; the caller pads
    /// the rest of the record with `FF` (TS 102 221 §13.1).
    ///
    /// # Errors
    /// [`EncodeError::OutOfRange`] for an AID outside 1–16 bytes;
    /// [`EncodeError::BufferTooSmall`].
    pub fn encode_into(aid: &[u8], label: &[u8], out: &mut [u8]) -> Result<usize, EncodeError> {
        if aid.is_empty() || aid.len() > MAX_AID_LEN {
            return Err(EncodeError::OutOfRange {
                what: "AID length",
                value: u32::try_from(aid.len()).unwrap_or(u32::MAX),
                max: 16,
            });
        }
        let mut w = TlvWriter::new(out);
        w.nested(TAG_APPLICATION_TEMPLATE, |w| {
            w.put(TAG_AID, aid)?;
            if label.is_empty() { Ok(()) } else { w.put(TAG_LABEL, label) }
        })?;
        Ok(w.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hex::decode;
    use std::string::ToString;

    #[test]
    fn pysim_usim_record_keeps_the_discretionary_template() {
        // pySim pySim/ts_102_221.py, EF_DIR._test_de_encode, first vector: AID
        // a0000000871002ffffffff8907090000, label "USim1", discretionary
        // template 73 {a0 0c 80 01 17 81 02 5f 60 82 03 45 41 50}.
        let raw =
            decode("61294f10a0000000871002ffffffff890709000050055553696d31730ea00c80011781025f608203454150")
                .unwrap();
        let record = DirRecord::parse(&raw).unwrap().unwrap();
        assert_eq!(record.aid().as_bytes(), &decode("a0000000871002ffffffff8907090000").unwrap()[..]);
        assert_eq!(record.application(), Application::Usim);
        assert_eq!(record.aid().registrant(), Some("3GPP"));
        assert_eq!(record.aid().application_code(), Some(0x1002));
        assert_eq!(record.label().unwrap().to_string(), "USim1");
        let others: heapless::Vec<Tlv<'_>, 4> = record.other_objects().collect();
        assert_eq!(others.len(), 1);
        assert_eq!(others[0].tag(), 0x73);
        assert_eq!(others[0].value(), &decode("a00c80011781025f608203454150").unwrap()[..]);
        assert_eq!(others[0].offset(), 27);
    }

    #[test]
    fn real_records_from_modem_traces() {
        // A Sierra Wireless forum thread ("How to read EF-DIR using Linux QMI SDK"),
        // AT+CRSM=178,12032,1,4,0 answer: label "USIM", FF padding.
        let raw = decode("61184F10A0000000871002FF44FF12890000010050045553494DFFFFFFFFFFFF").unwrap();
        let record = DirRecord::parse(&raw).unwrap().unwrap();
        assert_eq!(record.aid().to_string(), "A0000000871002FF44FF128900000100");
        assert_eq!(record.label().unwrap().to_string(), "USIM");
        // Same thread, qmicli --uim-read-transparent: a 12-byte AID, label "Telenor USIM".
        let raw =
            decode("611C4F0CA0000000871002FF49FF0589500C54656C656E6F72205553494DFFFFFFFFFFFFFF").unwrap();
        let record = DirRecord::parse(&raw).unwrap().unwrap();
        assert_eq!(record.aid().as_bytes().len(), 12);
        assert_eq!(record.application(), Application::Usim);
        assert_eq!(record.label().unwrap().to_string(), "Telenor USIM");
    }

    #[test]
    fn empty_records_and_errors() {
        assert_eq!(DirRecord::parse(&[0xFF; 32]), Ok(None));
        assert_eq!(DirRecord::parse(&[]), Ok(None));
        // A record that is not an application template.
        assert_eq!(
            DirRecord::parse(&[0xFF, 0x62, 0x00]),
            Err(DecodeError::Invalid {
                what: "EF_DIR record: application template (tag 61)",
                offset: 1,
                found: 0x62
            })
        );
        // No AID: the template ends at byte 8.
        assert_eq!(
            DirRecord::parse(&decode("61 06 50 04 55 53 49 4D FF").unwrap()),
            Err(DecodeError::MissingTag { what: "application identifier", tag: 0x4F, offset: 8 })
        );
        // An AID of 17 bytes: the length byte (offset 3) is named.
        let mut long = [0u8; 21];
        long[..4].copy_from_slice(&[0x61, 0x13, 0x4F, 0x11]);
        assert_eq!(
            DirRecord::parse(&long),
            Err(DecodeError::Invalid { what: "AID length (1 to 16 bytes)", offset: 3, found: 17 })
        );
        // Truncated inside the template.
        assert!(matches!(
            DirRecord::parse(&decode("61 10 4F 07 A0 00 00").unwrap()),
            Err(DecodeError::Truncated { .. })
        ));
    }

    #[test]
    fn encoder_round_trips() {
        let aid = decode("A0000000871004FFFFFFFF8907090000").unwrap();
        let mut out = [0xFFu8; 40];
        let n = DirRecord::encode_into(&aid, b"ISim1", &mut out).unwrap();
        // pySim's second EF_DIR vector, the same bytes.
        assert_eq!(&out[..n], &decode("61194f10a0000000871004ffffffff890709000050054953696d31").unwrap()[..]);
        let record = DirRecord::parse(&out).unwrap().unwrap();
        assert_eq!(record.application(), Application::Isim);
        assert_eq!(
            DirRecord::encode_into(&[], b"", &mut out),
            Err(EncodeError::OutOfRange { what: "AID length", value: 0, max: 16 })
        );
        assert!(matches!(
            DirRecord::encode_into(&aid, b"ISim1", &mut out[..10]),
            Err(EncodeError::BufferTooSmall { .. })
        ));
    }

    #[test]
    fn well_known_aids() {
        let ara_m = Aid::new(&ARA_M_AID).unwrap();
        assert_eq!(ara_m.application(), Application::AraM);
        assert_eq!(ara_m.registrant(), Some("GlobalPlatform"));
        let prefix = Aid::new(&crate::fs::USIM_AID_PREFIX).unwrap();
        assert_eq!(prefix.application(), Application::Usim);
        let short = Aid::new(&[0xA0, 0x00]).unwrap();
        assert_eq!((short.rid(), short.pix(), short.application()), (None, &[][..], Application::Other));
        assert!(Aid::new(&[0; 17]).is_err());
    }
}
