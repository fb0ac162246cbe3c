//! The card's identity: EF_ICCID (TS 102 221 §13.2, ITU-T E.118), EF_IMSI
//! (TS 51.011 §10.3.2) with the MNC length of EF_AD (§10.3.18), EF_SPN
//! (§10.3.11) and EF_MSISDN (§10.5.5), one at a time or in one [`Summary`];
//! on a UICC from ADF.USIM (TS 31.102 §4.2.2, §4.2.18, §4.2.12, §4.2.26),
//! from DF_GSM only when the card has no USIM ([`super::usim`]).
//!
//! The contents are decoded by [`crate::ef`]; this module only chooses the
//! reads. Each read asks for the size [`crate::fs`] gives the file (10 bytes of
//! ICCID, 9 of IMSI, 17 of SPN, 4 of AD), so no GET RESPONSE is needed to learn
//! it; a shorter file is read in full anyway (see [`super::files`]). The
//! summary orders its reads to cross as few DFs as possible: EF_ICCID under the
//! MF (by SFI on a UICC); from a USIM, EF_IMSI and EF_AD by SFI, EF_SPN and
//! EF_MSISDN in the same ADF; otherwise EF_MSISDN under DF_TELECOM, then
//! EF_IMSI, EF_AD and EF_SPN under DF_GSM.

use super::{Sim, SimError, Unavailable};
use crate::codec::DecodeError;
use crate::ef::{Ad, DiallingNumber, Iccid, Imsi, MncLength, MncLengthSource, Plmn, Spn};
use crate::fs::{self, File};
use crate::profile::Profile;
use crate::transport::{Trace, Transport};

/// One item of a [`Summary`]: the value, or why the card did not give it (TS 51.011 §10.3, TS 102 221 §13.2).
pub type Field<T> = Result<T, Unavailable>;

/// Where the identity files were read from (TS 31.102 §4.2, TS 51.011 §10.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IdentitySource {
    /// ADF.USIM (TS 31.102 §4.2), on a UICC with a USIM.
    Usim,
    /// DF_GSM and DF_TELECOM (TS 51.011 §10): a classic SIM, or a UICC
    /// without a USIM.
    Gsm,
}

/// The files the identity is read from: the USIM application's or the GSM
/// application's (DF_GSM, DF_TELECOM).
#[derive(Debug, Clone, Copy)]
struct IdentityFiles {
    source: IdentitySource,
    imsi: &'static File,
    ad: &'static File,
    spn: &'static File,
    msisdn: &'static File,
}

const GSM: IdentityFiles = IdentityFiles {
    source: IdentitySource::Gsm,
    imsi: &fs::EF_IMSI,
    ad: &fs::EF_AD,
    spn: &fs::EF_SPN,
    msisdn: &fs::EF_MSISDN,
};

const USIM: IdentityFiles = IdentityFiles {
    source: IdentitySource::Usim,
    imsi: &fs::USIM_EF_IMSI,
    ad: &fs::USIM_EF_AD,
    spn: &fs::USIM_EF_SPN,
    msisdn: &fs::USIM_EF_MSISDN,
};

/// The bytes of EF_SPN (TS 51.011 §10.3.11), checked to decode; [`SpnContent::spn`]
/// gives the decoded view.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SpnContent {
    bytes: heapless::Vec<u8, { Spn::EF_LEN }>,
}

/// EF_SPN's bytes in hex (TS 51.011 §10.3.11).
impl core::fmt::Debug for SpnContent {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("SpnContent").field(&crate::hex::Hex(&self.bytes)).finish()
    }
}

impl SpnContent {
    /// Check and keep EF_SPN's bytes (at most 17) (TS 51.011 §10.3.11).
    ///
    /// # Errors
    /// The decoder's error ([`Spn::from_ef`]), or [`DecodeError::TrailingBytes`]
    /// past 17 bytes.
    pub fn new(bytes: &[u8]) -> Result<Self, DecodeError> {
        Spn::from_ef(bytes)?;
        let bytes = heapless::Vec::from_slice(bytes)
            .map_err(|_| DecodeError::TrailingBytes { what: "EF_SPN", offset: Spn::EF_LEN })?;
        Ok(SpnContent { bytes })
    }

    /// The decoded content: display condition and name (TS 51.011 §10.3.11).
    #[must_use]
    pub fn spn(&self) -> Option<Spn<'_>> {
        Spn::from_ef(&self.bytes).ok()
    }

    /// The raw bytes (TS 51.011 §10.3.11).
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }
}

/// One record of EF_MSISDN (TS 51.011 §10.5.5: X + 14 bytes), checked to
/// decode; [`MsisdnRecord::number`] gives the decoded view.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct MsisdnRecord {
    bytes: heapless::Vec<u8, 255>,
}

/// The record's bytes in hex (TS 51.011 §10.5.5).
impl core::fmt::Debug for MsisdnRecord {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("MsisdnRecord").field(&crate::hex::Hex(&self.bytes)).finish()
    }
}

impl MsisdnRecord {
    /// Check and keep a record (at most 255 bytes) (TS 51.011 §10.5.5).
    ///
    /// # Errors
    /// The decoder's error ([`DiallingNumber::parse`]), or
    /// [`DecodeError::TrailingBytes`] past 255 bytes.
    pub fn new(bytes: &[u8]) -> Result<Self, DecodeError> {
        DiallingNumber::parse(bytes)?;
        let bytes = heapless::Vec::from_slice(bytes)
            .map_err(|_| DecodeError::TrailingBytes { what: "EF_MSISDN record", offset: 255 })?;
        Ok(MsisdnRecord { bytes })
    }

    /// The decoded record: alpha identifier and number (TS 51.011 §10.5.5).
    #[must_use]
    pub fn number(&self) -> Option<DiallingNumber<'_>> {
        DiallingNumber::parse(&self.bytes).ok()
    }

    /// The raw record (TS 51.011 §10.5.5).
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }
}

/// The identity in one call ([`Sim::summary`]). A file the card lacks or
/// protects does not fail the summary: its field says why it is missing (TS 51.011 §10.3, TS 102 221 §13.2).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Summary {
    /// The card's profile (TS 51.011 §9, TS 102 221 §11).
    pub profile: Profile,
    /// Where EF_IMSI, EF_AD, EF_SPN and EF_MSISDN came from (TS 31.102 §4.2, TS 51.011 §10.3).
    pub source: IdentitySource,
    /// EF_ICCID (TS 102 221 §13.2, TS 51.011 §10.1.1).
    pub iccid: Field<Iccid>,
    /// EF_IMSI (PIN1-protected on most cards) (TS 51.011 §10.3.2, TS 31.102 §4.2.2).
    pub imsi: Field<Imsi>,
    /// EF_AD, for the MNC length (TS 51.011 §10.3.18, TS 31.102 §4.2.18).
    pub ad: Field<Ad>,
    /// EF_SPN (TS 51.011 §10.3.11, TS 31.102 §4.2.12).
    pub spn: Field<SpnContent>,
    /// The first record of EF_MSISDN (TS 51.011 §10.5.5, TS 31.102 §4.2.26).
    pub msisdn: Field<MsisdnRecord>,
}

impl Summary {
    /// The MNC length of the IMSI: EF_AD's, else the fallback table
    /// ([`Imsi::mnc_length`]); `None` without an IMSI (TS 51.011 §10.3.18).
    #[must_use]
    pub fn mnc_length(&self) -> Option<(MncLength, MncLengthSource)> {
        let imsi = self.imsi.as_ref().ok()?;
        Some(imsi.mnc_length(self.ad.as_ref().ok()))
    }

    /// The home PLMN (MCC and MNC) of the IMSI (TS 23.003 §2.2).
    #[must_use]
    pub fn home_plmn(&self) -> Option<Plmn> {
        let (length, _) = self.mnc_length()?;
        self.imsi.as_ref().ok().map(|imsi| imsi.plmn(length))
    }
}

/// A field from a read: the value, or why the file is unavailable; errors
/// that are not about the file (the link) end the summary.
pub(crate) fn field<T, E>(read: Result<T, SimError<E>>) -> Result<Field<T>, SimError<E>> {
    match read {
        Ok(value) => Ok(Ok(value)),
        Err(e) => match e.unavailable() {
            Some(why) => Ok(Err(why)),
            None => Err(e),
        },
    }
}

impl<T: Transport, H: Trace> Sim<T, H> {
    /// The USIM's files on a UICC that has one (selected the first time), the
    /// GSM application's otherwise.
    fn identity_files(&mut self) -> Result<IdentityFiles, SimError<T::Error>> {
        if self.profile == Profile::Uicc && self.ensure_usim()? { Ok(USIM) } else { Ok(GSM) }
    }

    /// Read `file` whole, asking for its size from [`crate::fs`] (or 256).
    fn read_small<const N: usize>(&mut self, file: &File) -> Result<([u8; N], usize), SimError<T::Error>> {
        let mut out = [0u8; N];
        let want = file.size.map_or(N, usize::from).min(N);
        let len = self.read_binary(file.path, 0, out.get_mut(..want).unwrap_or_default())?.len();
        Ok((out, len))
    }

    /// EF_ICCID: the ICCID with its Luhn verdict (one APDU on a UICC, by SFI,
    /// when the MF is the current DF) (TS 102 221 §13.2, TS 51.011 §10.1.1).
    ///
    /// # Errors
    /// [`SimError::Card`], [`SimError::Decode`], [`SimError::Link`].
    pub fn iccid(&mut self) -> Result<Iccid, SimError<T::Error>> {
        let (bytes, len) = self.read_small::<{ Iccid::EF_LEN }>(&fs::EF_ICCID)?;
        Ok(Iccid::from_ef(bytes.get(..len).unwrap_or_default())?)
    }

    /// EF_IMSI. Most cards protect it with PIN1 ([`SimError::needs_pin`])
    /// (TS 51.011 §10.3.2, TS 31.102 §4.2.2).
    ///
    /// # Errors
    /// As [`Sim::iccid`].
    pub fn imsi(&mut self) -> Result<Imsi, SimError<T::Error>> {
        let file = self.identity_files()?.imsi;
        let (bytes, len) = self.read_small::<{ Imsi::EF_LEN }>(file)?;
        Ok(Imsi::from_ef(bytes.get(..len).unwrap_or_default())?)
    }

    /// EF_AD: the operation mode and the MNC length (TS 51.011 §10.3.18, TS 31.102 §4.2.18).
    ///
    /// # Errors
    /// As [`Sim::iccid`].
    pub fn ad(&mut self) -> Result<Ad, SimError<T::Error>> {
        let file = self.identity_files()?.ad;
        let (bytes, len) = self.read_small::<4>(file)?;
        Ok(Ad::from_ef(bytes.get(..len).unwrap_or_default())?)
    }

    /// EF_SPN: the service provider name and its display condition
    /// (TS 51.011 §10.3.11, TS 31.102 §4.2.12).
    ///
    /// # Errors
    /// As [`Sim::iccid`].
    pub fn spn(&mut self) -> Result<SpnContent, SimError<T::Error>> {
        let file = self.identity_files()?.spn;
        let (bytes, len) = self.read_small::<{ Spn::EF_LEN }>(file)?;
        Ok(SpnContent::new(bytes.get(..len).unwrap_or_default())?)
    }

    /// The first record of EF_MSISDN (the subscriber's own number, when the
    /// operator wrote it) (TS 51.011 §10.5.5, TS 31.102 §4.2.26).
    ///
    /// # Errors
    /// As [`Sim::iccid`].
    pub fn msisdn(&mut self) -> Result<MsisdnRecord, SimError<T::Error>> {
        let mut record = [0u8; 256];
        let path = self.identity_files()?.msisdn.path;
        let bytes = self.read_record(path, 1, &mut record)?;
        Ok(MsisdnRecord::new(bytes)?)
    }

    /// ICCID, MSISDN, IMSI, AD and SPN, in the order that crosses the fewest
    /// DFs (see the module documentation) (TS 51.011 §10.3, TS 102 221 §13.2).
    ///
    /// # Errors
    /// Only errors that end the session's work ([`SimError::Link`]); what the
    /// card refuses or a content that does not decode is kept in the field.
    pub fn summary(&mut self) -> Result<Summary, SimError<T::Error>> {
        let iccid = field(self.iccid())?;
        let files = self.identity_files()?;
        let profile = self.profile;
        let source = files.source;
        if source == IdentitySource::Usim {
            let imsi = field(self.imsi())?;
            let ad = field(self.ad())?;
            let spn = field(self.spn())?;
            let msisdn = field(self.msisdn())?;
            return Ok(Summary { profile, source, iccid, imsi, ad, spn, msisdn });
        }
        let msisdn = field(self.msisdn())?;
        let imsi = field(self.imsi())?;
        let ad = field(self.ad())?;
        let spn = field(self.spn())?;
        Ok(Summary { profile, source, iccid, imsi, ad, spn, msisdn })
    }
}
