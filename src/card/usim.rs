//! The USIM application of a UICC: finding it (EF_DIR, ETSI TS 102 221 §13.1,
//! or SELECT by the right-truncated AID where the card allows partial DF
//! names, §11.1.1.3.1 and ISO/IEC 7816-4 §8.1.1.2.3), selecting ADF.USIM by
//! AID, and reading its files (3GPP TS 31.102 §4.2): EF_IMSI, EF_AD, EF_UST,
//! EF_EHPLMN, EF_FPLMN, EF_MSISDN, EF_SPN.
//!
//! The session prefers the USIM on a UICC: the identity reads
//! ([`Sim::imsi`], [`Sim::summary`] …) select ADF.USIM the first time they
//! need it and read its files, and fall back to DF_GSM only when the card has
//! no USIM. Selecting costs one APDU when the ATR's historical bytes allow
//! selection by partial DF name (or say nothing about it): SELECT by the AID
//! prefix `A0000000871002` (vector V86, P2 = 0C). Otherwise, or when that is
//! refused, EF_DIR is read (SELECT with FCP for the record count, then each
//! record) and the USIM's full AID selected.
//!
//! Afterwards every file of ADF.USIM is one APDU away when it has a short
//! file identifier ([`crate::fs::File::sfi`]: EF_IMSI 07, EF_AD 03, EF_UST 04,
//! EF_FPLMN 0D, EF_EHPLMN 1D), two (SELECT, READ) otherwise.

use super::identity::{MsisdnRecord, SpnContent, field};
use super::select::Target;
use super::{Field, Sim, SimError};
use crate::apdu::Command;
use crate::atr::{Atr, DataObject, SelectionMethods};
use crate::codec::Alpha;
use crate::ef::{
    Ad, Aid, Application, DirRecord, Imsi, MncLength, MncLengthSource, Plmn, PlmnList, ServiceTable,
};
use crate::fs::{self, Fid};
use crate::profile::Profile;
use crate::transport::{Trace, Transport};

/// Most applications [`Sim::applications`] keeps (EF_DIR records read) (TS 102 221 §13.1).
pub const MAX_APPLICATIONS: usize = 8;

/// Most PLMNs a [`PlmnEntries`] keeps (TS 31.102 §4.2.84).
pub const MAX_PLMNS: usize = 32;

use crate::ins::SELECT;

/// Whether the session knows where the USIM is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum UsimState {
    /// Not looked for yet (or forgotten).
    Unknown,
    /// ADF.USIM is the current application.
    Selected,
    /// The card has none (or is a classic SIM).
    Absent,
}

/// An application template of EF_DIR (TS 102 221 §13.1), owned.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ApplicationEntry {
    record: u8,
    aid: heapless::Vec<u8, 16>,
    label: Option<heapless::Vec<u8, 64>>,
}

/// The record number, and the AID and label bytes in hex (TS 102 221 §13.1).
impl core::fmt::Debug for ApplicationEntry {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ApplicationEntry")
            .field("record", &self.record)
            .field("aid", &crate::hex::Hex(&self.aid))
            .field("label", &self.label.as_deref().map(crate::hex::Hex))
            .finish()
    }
}

impl ApplicationEntry {
    fn new(record: u8, dir: &DirRecord<'_>) -> Self {
        let mut aid = heapless::Vec::new();
        // Cannot fail: an AID has at most 16 bytes (DirRecord::parse checks it).
        let _ = aid.extend_from_slice(dir.aid().as_bytes());
        let label = dir.label_bytes().map(|bytes| {
            let mut label = heapless::Vec::new();
            let _ = label.extend_from_slice(bytes.get(..64).unwrap_or(bytes));
            label
        });
        ApplicationEntry { record, aid, label }
    }

    /// The EF_DIR record it came from (1-based) (TS 102 221 §13.1).
    #[must_use]
    pub const fn record(&self) -> u8 {
        self.record
    }

    /// The application identifier (ISO/IEC 7816-4 §8.2.1.2).
    #[must_use]
    pub fn aid(&self) -> Aid<'_> {
        Aid::from_checked(&self.aid)
    }

    /// Which application it is (USIM, ISIM, ISD-R …, by RID and PIX) (TS 101 220 §4, annex E).
    #[must_use]
    pub fn application(&self) -> Application {
        self.aid().application()
    }

    /// The label (TS 102 221 annex A), when present and decodable.
    #[must_use]
    pub fn label(&self) -> Option<Alpha<'_>> {
        self.label.as_ref().and_then(|bytes| Alpha::parse(bytes).ok())
    }
}

/// How the session selected ADF.USIM (TS 102 221 §11.1.1.3.1, §13.1).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UsimSelection {
    /// By the AID prefix `A0000000871002` (TS 102 221 §11.1.1.3.1).
    Prefix,
    /// By the full AID of this EF_DIR record (TS 102 221 §13.1).
    FromEfDir(ApplicationEntry),
}

/// The contents of EF_UST, checked and owned; [`UstContent::table`] decodes (TS 31.102 §4.2.8).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct UstContent {
    bytes: heapless::Vec<u8, 64>,
}

/// EF_UST's bytes in hex (TS 31.102 §4.2.8).
impl core::fmt::Debug for UstContent {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("UstContent").field(&crate::hex::Hex(&self.bytes)).finish()
    }
}

impl UstContent {
    /// The service table (TS 31.102 §4.2.8).
    #[must_use]
    pub fn table(&self) -> ServiceTable<'_> {
        ServiceTable::from_checked(&self.bytes)
    }

    /// The raw bytes (TS 31.102 §4.2.8).
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }
}

/// The PLMNs of a list file (EF_EHPLMN, EF_FPLMN), in order, unused entries
/// left out; at most [`MAX_PLMNS`] (TS 24.008 §10.5.1.3, TS 31.102 §4.2.84).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct PlmnEntries {
    plmns: heapless::Vec<Plmn, MAX_PLMNS>,
    truncated: bool,
}

impl PlmnEntries {
    fn decode(bytes: &[u8]) -> Result<Self, crate::codec::DecodeError> {
        let mut out = PlmnEntries::default();
        for plmn in PlmnList::new(bytes) {
            if out.plmns.push(plmn?).is_err() {
                out.truncated = true;
            }
        }
        Ok(out)
    }

    /// The PLMNs (TS 24.008 §10.5.1.3, TS 31.102 §4.2.84).
    #[must_use]
    pub fn as_slice(&self) -> &[Plmn] {
        &self.plmns
    }

    /// Whether the file listed more than [`MAX_PLMNS`] (the rest is left out) (TS 31.102 §4.2.16,
    /// §4.2.84).
    #[must_use]
    pub const fn truncated(&self) -> bool {
        self.truncated
    }
}

/// What ADF.USIM holds about the subscription, in one call ([`Sim::usim`]),
/// the files pySim-read shows for a USIM. A file the card lacks or protects
/// does not fail it: its field says why (TS 31.102 §4.2).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UsimSummary {
    /// How ADF.USIM was found (TS 102 221 §11.1.1.3.1, §13.1).
    pub selection: UsimSelection,
    /// EF_IMSI (TS 31.102 §4.2.2).
    pub imsi: Field<Imsi>,
    /// EF_AD (§4.2.18).
    pub ad: Field<Ad>,
    /// EF_UST (§4.2.8).
    pub ust: Field<UstContent>,
    /// EF_EHPLMN (§4.2.84).
    pub ehplmn: Field<PlmnEntries>,
    /// EF_FPLMN (§4.2.16).
    pub fplmn: Field<PlmnEntries>,
    /// EF_SPN (§4.2.12).
    pub spn: Field<SpnContent>,
    /// The first record of EF_MSISDN (§4.2.26).
    pub msisdn: Field<MsisdnRecord>,
}

impl UsimSummary {
    /// The MNC length of the IMSI: EF_AD's, else the fallback table (TS 31.102 §4.2.18).
    #[must_use]
    pub fn mnc_length(&self) -> Option<(MncLength, MncLengthSource)> {
        let imsi = self.imsi.as_ref().ok()?;
        Some(imsi.mnc_length(self.ad.as_ref().ok()))
    }
}

impl<T: Transport, H: Trace> Sim<T, H> {
    /// Whether the ATR lets the session select by a partial DF name: yes
    /// unless its historical bytes carry card service data (ISO/IEC 7816-4
    /// table 85, b7) or card capabilities (table 86, b7) that say no. No ATR
    /// (a modem) says nothing, so the prefix is tried.
    fn partial_aid_allowed(&self) -> bool {
        let Some(bytes) = self.link.atr() else { return true };
        let Ok(atr) = Atr::parse(bytes) else { return true };
        let mut allowed = true;
        for object in atr.historical().objects().flatten() {
            match object.decode() {
                Ok(DataObject::CardServiceData(csd)) => allowed &= csd.select_by_partial_df_name(),
                Ok(DataObject::CardCapabilities(caps)) => {
                    allowed &= caps.selection_methods().contains(SelectionMethods::DF_BY_PARTIAL_NAME);
                }
                _ => {}
            }
        }
        allowed
    }

    /// The applications EF_DIR lists (TS 102 221 §13.1), at most
    /// [`MAX_APPLICATIONS`]; empty on a classic SIM, which has no EF_DIR.
    /// Costs a SELECT with the FCP (for the record count) and one READ RECORD
    /// per record.
    ///
    /// # Errors
    /// [`SimError::Card`] when EF_DIR cannot be read (6A 82: the card has
    /// none); [`SimError::Decode`] for a record that is not an application
    /// template; [`SimError::Link`].
    pub fn applications(
        &mut self,
    ) -> Result<heapless::Vec<ApplicationEntry, MAX_APPLICATIONS>, SimError<T::Error>> {
        let mut out = heapless::Vec::new();
        if self.profile != Profile::Uicc {
            return Ok(out);
        }
        let mut fcp = [0u8; 258];
        let count = self.file_info(fs::EF_DIR.path, &mut fcp)?.record_count.unwrap_or(0);
        let mut record = [0u8; 256];
        for number in 1..=count.min(254) {
            let Ok(number) = u8::try_from(number) else { break };
            let bytes = self.read_record(fs::EF_DIR.path, number, &mut record)?;
            if let Some(dir) = DirRecord::parse(bytes)?
                && out.push(ApplicationEntry::new(number, &dir)).is_err()
            {
                break;
            }
        }
        Ok(out)
    }

    /// Select ADF.USIM (see the module documentation for how): `Ok(None)`
    /// when the card has no USIM (or is a classic SIM). The identity reads
    /// call this the first time they need it (TS 102 221 §11.1.1.3.1, §13.1).
    ///
    /// # Errors
    /// [`SimError::Link`] only: a card that refuses the SELECTs, has no
    /// EF_DIR or an EF_DIR that does not decode has no USIM as far as the
    /// session can tell (`Ok(None)`).
    pub fn select_usim(&mut self) -> Result<Option<UsimSelection>, SimError<T::Error>> {
        if self.profile != Profile::Uicc {
            self.usim = UsimState::Absent;
            return Ok(None);
        }
        self.usim = UsimState::Absent;
        self.usim_selection = None;
        let found = self.find_usim();
        if found.is_err() {
            // The link failed, not the card: ask again next time.
            self.usim = UsimState::Unknown;
        }
        found
    }

    /// [`Sim::select_usim`]'s search: by the AID prefix, then EF_DIR's USIM
    /// entries (TS 102 221 §11.1.1.3.1, §13.1).
    fn find_usim(&mut self) -> Result<Option<UsimSelection>, SimError<T::Error>> {
        if self.partial_aid_allowed() && self.select_aid(&fs::USIM_AID_PREFIX)? {
            self.usim_selection = Some(UsimSelection::Prefix);
            return Ok(Some(UsimSelection::Prefix));
        }
        let applications = match self.applications() {
            Ok(list) => list,
            Err(e) if e.unavailable().is_some() => return Ok(None),
            Err(e) => return Err(e),
        };
        for entry in applications {
            if entry.application() == Application::Usim && self.select_aid(entry.aid().as_bytes())? {
                let selection = UsimSelection::FromEfDir(entry);
                self.usim_selection = Some(selection.clone());
                return Ok(Some(selection));
            }
        }
        Ok(None)
    }

    /// SELECT by AID with no data back (P2 = 0C); whether it worked. On
    /// success ADF.USIM is the current DF.
    fn select_aid(&mut self, aid: &[u8]) -> Result<bool, SimError<T::Error>> {
        let command = Command::new(self.profile.cla(), SELECT, 0x04, self.quiet_select_p2);
        let command = command
            .with_data(aid)
            .map_err(|e| SimError::Link(crate::transport::CompletionError::Command(e)))?;
        let (sw, _) = self.exchange(&command)?;
        if super::selected(sw, self.profile) {
            self.current = super::select::Current::at(Target::parse(&[Fid::CURRENT_ADF])?);
            self.pins = super::pin::EnabledCache::default();
            self.presented.forget_local();
            self.usim = UsimState::Selected;
            return Ok(true);
        }
        self.current = super::select::Current::UNKNOWN;
        Ok(false)
    }

    /// Whether the USIM is the current application, selecting it the first
    /// time (see [`Sim::select_usim`]).
    pub(crate) fn ensure_usim(&mut self) -> Result<bool, SimError<T::Error>> {
        if self.usim == UsimState::Unknown {
            self.select_usim()?;
        }
        Ok(self.usim == UsimState::Selected)
    }

    /// Whether the card has a USIM application (selecting it the first time)
    /// (TS 102 221 §11.1.1.3.1, §13.1).
    ///
    /// # Errors
    /// As [`Sim::select_usim`].
    pub fn has_usim(&mut self) -> Result<bool, SimError<T::Error>> {
        self.ensure_usim()
    }

    /// The USIM's file at `file`, or [`SimError::NoUsim`].
    fn usim_file(&mut self, file: &fs::File) -> Result<&'static [Fid], SimError<T::Error>> {
        if self.ensure_usim()? {
            // Every USIM file of crate::fs starts at the current ADF (7FFF).
            Ok(fs::by_path(file.path_from_mf()).map_or(fs::ADF_USIM.path, |f| f.path))
        } else {
            Err(SimError::NoUsim)
        }
    }

    /// Read a whole transparent EF of at most 256 bytes into `out`.
    fn read_whole<'b>(
        &mut self,
        path: &[Fid],
        size: Option<u16>,
        out: &'b mut [u8],
    ) -> Result<&'b [u8], SimError<T::Error>> {
        let want = size.map_or(out.len(), usize::from).min(out.len());
        self.read_binary(path, 0, out.get_mut(..want).unwrap_or_default())
    }

    /// EF_UST, the USIM service table (TS 31.102 §4.2.8), read with the
    /// Release 17 size (19 bytes; a shorter file is read whole anyway).
    ///
    /// # Errors
    /// [`SimError::NoUsim`]; as [`Sim::read_binary`].
    pub fn ust(&mut self) -> Result<UstContent, SimError<T::Error>> {
        let path = self.usim_file(&fs::USIM_EF_UST)?;
        let mut buf = [0u8; 64];
        let bytes = self.read_whole(path, fs::USIM_EF_UST.size, &mut buf)?;
        ServiceTable::from_ef(bytes)?;
        let mut out = heapless::Vec::new();
        let _ = out.extend_from_slice(bytes);
        Ok(UstContent { bytes: out })
    }

    /// EF_EHPLMN, the equivalent home PLMNs (TS 31.102 §4.2.84), read whole.
    ///
    /// # Errors
    /// [`SimError::NoUsim`]; as [`Sim::read_binary`]; [`SimError::Decode`].
    pub fn ehplmn(&mut self) -> Result<PlmnEntries, SimError<T::Error>> {
        let path = self.usim_file(&fs::USIM_EF_EHPLMN)?;
        let mut buf = [0u8; 256];
        let bytes = self.read_whole(path, None, &mut buf)?;
        Ok(PlmnEntries::decode(bytes)?)
    }

    /// EF_FPLMN, the forbidden PLMNs, read whole: the USIM's (TS 31.102
    /// §4.2.16) on a UICC with a USIM, DF_GSM's (TS 51.011 §10.3.16)
    /// otherwise.
    ///
    /// # Errors
    /// As [`Sim::read_binary`]; [`SimError::Decode`].
    pub fn fplmn(&mut self) -> Result<PlmnEntries, SimError<T::Error>> {
        let path = if self.profile == Profile::Uicc && self.ensure_usim()? {
            fs::USIM_EF_FPLMN.path
        } else {
            fs::EF_FPLMN.path
        };
        let mut buf = [0u8; 256];
        let bytes = self.read_whole(path, None, &mut buf)?;
        Ok(PlmnEntries::decode(bytes)?)
    }

    /// ADF.USIM's files in one call (see [`UsimSummary`]): `Ok(None)` when
    /// the card has no USIM (TS 31.102 §4.2).
    ///
    /// # Errors
    /// Only errors that end the session's work ([`SimError::Link`]).
    pub fn usim(&mut self) -> Result<Option<UsimSummary>, SimError<T::Error>> {
        let selection = match self.usim {
            UsimState::Selected => self.usim_selection.clone().unwrap_or(UsimSelection::Prefix),
            UsimState::Absent => return Ok(None),
            UsimState::Unknown => match self.select_usim()? {
                Some(selection) => selection,
                None => return Ok(None),
            },
        };
        let imsi = field(self.imsi())?;
        let ad = field(self.ad())?;
        let ust = field(self.ust())?;
        let ehplmn = field(self.ehplmn())?;
        let fplmn = field(self.fplmn())?;
        let spn = field(self.spn())?;
        let msisdn = field(self.msisdn())?;
        Ok(Some(UsimSummary { selection, imsi, ad, ust, ehplmn, fplmn, spn, msisdn }))
    }
}
