//! The card session: 3GPP TS 51.011 §9 (classic SIM) and ETSI TS 102 221 §8,
//! §9.5 and §11 (UICC) driven through one [`Sim`].
//!
//! [`Sim`] owns a [`Link`] (response completion, APDU count, trace) and adds
//! what needs the card's profile:
//! - profile detection without a reset ([`Sim::open`]): SELECT MF with CLA 00
//!   (TS 102 221 §11.1.1); when that fails (a classic SIM answers 6E 00 or
//!   6D 00; any other error is tried the same way) the classic SIM's SELECT MF
//!   with CLA A0 (TS 51.011 §9.2.1);
//! - selection with tracking ([`select`]): no SELECT repeated, SELECT by path
//!   on a UICC, the shortest legal walk on a SIM, file information only on
//!   request ([`Sim::file_info`]); READ BINARY by short file identifier where
//!   that saves a SELECT (TS 102 221 §11.1.3);
//! - transparent and record files, chunked beyond 256 bytes ([`files`]);
//! - the identity: ICCID, IMSI with the MNC length of EF_AD, SPN, MSISDN, and
//!   a one-call [`Summary`] ([`identity`]);
//! - PIN status without spending an attempt and the five PIN operations with
//!   typed outcomes ([`pin`]), all behind the last-attempt guard ([`guard`]).
//!
//! - the USIM application ([`usim`]): on a UICC the identity comes from
//!   ADF.USIM (selected by AID the first time it is needed), from DF_GSM only
//!   when the card has no USIM; EF_DIR's applications, EF_UST, EF_EHPLMN,
//!   EF_FPLMN and a one-call [`UsimSummary`];
//! - the eUICC ([`euicc`]): the EID on a logical channel, eUICC detection.
//!
//! It allocates nothing: responses land in a 258-byte buffer inside the
//! session, file contents in the caller's buffers or small owned values.
//!
//! ```
//! # #[cfg(feature = "virtual-sim")] {
//! use simcore::card::{Guard, PinOutcome, Sim};
//! use simcore::chv::{KeyReference, Pin};
//! use simcore::virtual_sim::VirtualSim;
//! use simcore::Profile;
//!
//! // The built-in virtual UICC (PIN1 1234, enabled).
//! let mut sim = Sim::open(VirtualSim::new())?;
//! assert_eq!(sim.profile(), Profile::Uicc);
//! assert_eq!(sim.iccid()?.as_str(), "89001012345678901239");
//! let pin1 = sim.pin_status(KeyReference::PIN1)?;
//! assert_eq!((pin1.enabled, pin1.attempts_left), (Some(true), Some(3)));
//! let outcome = sim.verify(KeyReference::PIN1, &Pin::new("1234")?, Guard::Protect)?;
//! assert_eq!(outcome, PinOutcome::Done);
//! assert_eq!(sim.imsi()?.as_str(), "001010123456789");
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Paths into ADF.USIM start at the current ADF (7FFF, [`crate::fs`]):
//! [`Sim::select`] and the reads select the USIM first when they meet one.
//!
//! Thread safety: a session is used through `&mut`, one command at a time.

mod error;
pub mod euicc;
pub mod files;
pub mod guard;
pub mod identity;
pub mod pin;
pub mod select;
pub mod usim;

pub use error::{CardCommand, CardStatus, SimError, Unavailable};
pub use guard::{Guard, Refusal};
pub use identity::{Field, IdentitySource, MsisdnRecord, SpnContent, Summary};
pub use pin::{PinOutcome, PinStatus};
pub use usim::{ApplicationEntry, PlmnEntries, UsimSelection, UsimSummary, UstContent};

use crate::apdu::{Command, MAX_SHORT_RESPONSE_LEN};
use crate::fs::Fid;
use crate::ins::SELECT;
use crate::profile::Profile;
use crate::sw::StatusWord;
use crate::transport::{Link, NoTrace, Options, Trace, Transport};
use core::fmt;
use select::Current;

/// A session with a SIM or UICC over a [`Transport`] (TS 51.011 §9, TS 102 221 §8, §9.5, §11).
///
/// `H` is the [`Link`]'s trace hook; open with [`Sim::open_link`] to set one.
pub struct Sim<T: Transport, H: Trace = NoTrace> {
    link: Link<T, H>,
    profile: Profile,
    current: Current,
    /// Whether READ/UPDATE BINARY by short file identifier is worth trying
    /// (cleared when the card refuses it).
    sfi: bool,
    /// P2 of a UICC SELECT that wants no answer: 0C, or 04 for a card that
    /// refused 0C when the session opened (TS 102 221 §11.1.1.2).
    quiet_select_p2: u8,
    pins: pin::EnabledCache,
    presented: pin::PresentedCodes,
    usim: usim::UsimState,
    usim_selection: Option<UsimSelection>,
    buf: [u8; MAX_SHORT_RESPONSE_LEN],
}

impl<T: Transport> Sim<T> {
    /// Open a session on `transport`: detect the profile without resetting the
    /// card (see the module documentation); the MF is selected afterwards
    /// (TS 102 221 §11.1.1, TS 51.011 §9.2.1).
    ///
    /// # Errors
    /// [`SimError::NotATelecomCard`] when neither SELECT MF works;
    /// [`SimError::Link`] when the transport fails.
    pub fn open(transport: T) -> Result<Self, SimError<T::Error>> {
        Self::open_link(Link::new(transport))
    }
}

impl<T: Transport, H: Trace> Sim<T, H> {
    /// Open a session on a [`Link`] (with its trace hook and options: the
    /// framing and the bound on exchanges are kept, the rest is set for the
    /// profile) (TS 102 221 §11.1.1, TS 51.011 §9.2.1).
    ///
    /// Costs one APDU on a UICC (SELECT MF, P2 = 0C; on a UICC that refuses
    /// P2 = 0C, a second with P2 = 04, which the session then uses for every
    /// SELECT), two on a classic SIM (the UICC's SELECT MF refused, typically
    /// with 6E 00 or 6D 00, then the SIM's). Any error to the first is followed by the second;
    /// [`SimError::NotATelecomCard`] carries both status words when both fail.
    ///
    /// # Errors
    /// As [`Sim::open`].
    pub fn open_link(link: Link<T, H>) -> Result<Self, SimError<T::Error>> {
        let mut sim = Self::new(link, Profile::Uicc, Current::UNKNOWN);
        let mf = Fid::MF.to_bytes();
        let probe = Command::new(0x00, SELECT, 0x00, 0x0C);
        let (mut uicc, _) = sim.exchange(&probe.with_data(&mf).unwrap_or(probe))?;
        if matches!(uicc, StatusWord::WRONG_P1_P2 | StatusWord::INCORRECT_P1_P2) {
            // A UICC that always returns the FCP (TS 102 221 §11.1.1.2 lets P2 = 0C be unsupported).
            let fcp = Command::new(0x00, SELECT, 0x00, 0x04);
            let fcp = fcp.with_data(&mf).and_then(|c| c.with_ne(256)).unwrap_or(fcp);
            uicc = sim.exchange(&fcp)?.0;
            // Every later SELECT asks for the FCP too, and leaves it unread.
            sim.quiet_select_p2 = 0x04;
        }
        // The profile is not known yet: the profile-free class (92 40 is no
        // UICC's SELECT MF).
        if !selected(uicc, Profile::Iso7816) {
            sim.set_profile(Profile::Sim);
            let probe = Command::new(Profile::Sim.cla(), SELECT, 0x00, 0x00);
            let (sw, _) = sim.exchange(&probe.with_data(&mf).unwrap_or(probe))?;
            if !selected(sw, Profile::Sim) {
                return Err(SimError::NotATelecomCard { uicc, sim: sw });
            }
        }
        sim.current = Current::MF;
        Ok(sim)
    }

    /// Open a session on a card the caller has just reset, whose profile it
    /// knows: no APDU is sent. After the answer to reset the MF is the current
    /// directory (TS 51.011 §6.5, TS 102 221 §8.4: the MF is "implicitly
    /// selected"; ISO/IEC 7816-4 says the same of the basic logical channel in
    /// its SELECT clause), so the session starts there; with a classic SIM this saves the two APDUs
    /// of detection, and ICCID + IMSI cost five APDUs in all.
    ///
    /// Only for a card nothing has talked to since its reset (a fresh
    /// [`Transport::reset`], a virtual card
    /// just made): if another program selected a file meanwhile, the first
    /// reads go to the wrong file or fail. When in doubt use [`Sim::open_link`].
    ///
    /// # Errors
    /// [`SimError::NotASessionProfile`] for [`Profile::Iso7816`].
    pub fn open_after_reset(link: Link<T, H>, profile: Profile) -> Result<Self, SimError<T::Error>> {
        if !matches!(profile, Profile::Sim | Profile::Uicc) {
            return Err(SimError::NotASessionProfile(profile));
        }
        Ok(Self::new(link, profile, Current::MF))
    }

    /// A session on `link` speaking `profile`, with `current` selected and nothing learnt yet.
    fn new(link: Link<T, H>, profile: Profile, current: Current) -> Self {
        let mut sim = Sim {
            link,
            profile,
            current,
            sfi: true,
            quiet_select_p2: 0x0C,
            pins: pin::EnabledCache::default(),
            presented: pin::PresentedCodes::default(),
            usim: usim::UsimState::Unknown,
            usim_selection: None,
            buf: [0; MAX_SHORT_RESPONSE_LEN],
        };
        sim.set_profile(profile);
        sim
    }

    fn set_profile(&mut self, profile: Profile) {
        self.profile = profile;
        let options: Options = self.link.options();
        self.link.set_options(
            options
                .with_fetch_unrequested(false)
                .with_uicc_case4_warnings(profile == Profile::Uicc)
                .with_profile(Some(profile)),
        );
    }

    /// The detected profile: [`Profile::Sim`] or [`Profile::Uicc`] (TS 51.011 §9, TS 102 221 §11).
    #[must_use]
    pub const fn profile(&self) -> Profile {
        self.profile
    }

    /// The card's ATR, as the transport reports it (ISO/IEC 7816-3 §8).
    #[must_use]
    pub fn atr(&self) -> Option<&[u8]> {
        self.link.atr()
    }

    /// APDUs exchanged since the link was made (or the counter reset),
    /// GET RESPONSEs and resends included (command-response pairs, ISO/IEC 7816-4 §5.1).
    #[must_use]
    pub const fn apdu_count(&self) -> u64 {
        self.link.apdu_count()
    }

    /// Set the APDU counter back to zero (ISO/IEC 7816-4 §5.1).
    pub fn reset_apdu_count(&mut self) {
        self.link.reset_apdu_count();
    }

    /// The link (ISO/IEC 7816-3 §12.2, ISO/IEC 7816-4 §5.1).
    #[must_use]
    pub const fn link(&self) -> &Link<T, H> {
        &self.link
    }

    /// The link, mutably. A command sent through it may change the selection
    /// behind the session's back: call [`Sim::forget_selection`] afterwards (ISO/IEC 7816-3 §12.2,
    /// TS 102 221 §8.4).
    pub fn link_mut(&mut self) -> &mut Link<T, H> {
        // Commands sent behind the session's back may present codes.
        self.presented = pin::PresentedCodes::default();
        &mut self.link
    }

    /// Give the link back (ISO/IEC 7816-3 §12.2).
    pub fn into_link(self) -> Link<T, H> {
        self.link
    }

    /// Forget what is selected: the next file access selects from scratch
    /// (ADF.USIM included) (TS 51.011 §9.2.1, TS 102 221 §11.1.1).
    pub fn forget_selection(&mut self) {
        self.current = Current::UNKNOWN;
        self.pins = pin::EnabledCache::default();
        self.presented.forget_local();
        if self.usim == usim::UsimState::Selected {
            self.usim = usim::UsimState::Unknown;
        }
    }

    /// Send a command built by the caller, with the session's class byte
    /// conventions left to the caller, and return its status word and the data
    /// (copied into `out`). The selection is forgotten afterwards, since the
    /// command may have changed it, and so is what the session knew of the
    /// retry counters, since it may have presented a code (ISO/IEC 7816-4 §5.1).
    ///
    /// # Errors
    /// [`SimError::Link`]; [`SimError::BufferTooSmall`] when `out` cannot hold
    /// the data.
    pub fn transmit<'b>(
        &mut self,
        command: &Command<'_>,
        out: &'b mut [u8],
    ) -> Result<(StatusWord, &'b [u8]), SimError<T::Error>> {
        self.forget_selection();
        self.presented = pin::PresentedCodes::default();
        let (sw, len) = self.exchange(command)?;
        Ok((sw, self.copy_out(len, out)?))
    }

    /// Send `command`; the response data is at the start of `self.buf`.
    pub(crate) fn exchange(
        &mut self,
        command: &Command<'_>,
    ) -> Result<(StatusWord, usize), SimError<T::Error>> {
        match self.link.transmit(command, &mut self.buf) {
            Ok(response) => Ok((response.sw(), response.data().len())),
            Err(error) => {
                // The backend may have reset or reconnected the card: the MF
                // is current again (TS 102 221 §8.4, TS 51.011 §6.5), or
                // another card is there.
                self.forget_selection();
                self.presented = pin::PresentedCodes::default();
                Err(error.into())
            }
        }
    }

    /// The first `len` bytes of the buffer.
    pub(crate) fn data(&self, len: usize) -> &[u8] {
        self.buf.get(..len).unwrap_or_default()
    }

    /// Copy the first `len` bytes of the buffer into `out`.
    pub(crate) fn copy_out<'b>(&self, len: usize, out: &'b mut [u8]) -> Result<&'b [u8], SimError<T::Error>> {
        let capacity = out.len();
        let dst = out.get_mut(..len).ok_or(SimError::BufferTooSmall { needed: len, capacity })?;
        dst.copy_from_slice(self.data(len));
        Ok(dst)
    }

    pub(crate) const fn card_error(&self, command: CardCommand, sw: StatusWord) -> SimError<T::Error> {
        SimError::Card { command, status: CardStatus { sw, profile: self.profile } }
    }
}

/// Whether a SELECT under `profile` worked: 90 00, 61XX / 9FXX (data left
/// unfetched), 91XX, the UICC's 92XX, or a warning such as 62 83 (file
/// deactivated) (ISO/IEC 7816-4 §5.1.3, TS 51.011 §9.4.1, TS 102 221 §10.2.1).
pub(crate) const fn selected(sw: StatusWord, profile: Profile) -> bool {
    matches!(sw.class_in(profile), crate::sw::Class::Success | crate::sw::Class::Warning)
}

/// Whether a command under `profile` ended normally
/// ([`StatusWord::class_in`]; ISO/IEC 7816-4 §5.1.3).
pub(crate) const fn succeeded(sw: StatusWord, profile: Profile) -> bool {
    matches!(sw.class_in(profile), crate::sw::Class::Success)
}

impl<T: Transport, H: Trace> fmt::Debug for Sim<T, H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sim")
            .field("profile", &self.profile)
            .field("current_df", &self.current.df.map(DebugPath))
            .field("current_ef", &self.current.ef)
            .field("apdu_count", &self.link.apdu_count())
            .finish_non_exhaustive()
    }
}

/// `3F00/7F20`.
struct DebugPath(select::DfPath);

impl fmt::Debug for DebugPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("3F00")?;
        for fid in self.0.as_slice() {
            write!(f, "/{fid}")?;
        }
        Ok(())
    }
}
