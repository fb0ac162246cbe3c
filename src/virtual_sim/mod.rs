//! A stateful SIM/UICC in software: the card side of 3GPP TS 51.011 (classic
//! SIM) and ETSI TS 102 221 (UICC), on the same tables as the host side
//! (status words [`crate::sw`], file identifiers [`crate::fs`], SELECT
//! responses [`crate::fcp`], file contents [`crate::ef`], ATR and PPS
//! [`crate::atr`]). Feature `virtual-sim` (on by default).
//!
//! | Piece | Module |
//! |---|---|
//! | the card: APDU dispatch, selection per logical channel, response lengths (T=0 / T=1), an eUICC's ISD-R and ECASD | [`card`] |
//! | the file tree, EF structures, access conditions | [`files`] |
//! | CHV/PIN/PUK/ADM state machine | [`pin`] |
//! | TOML card profiles and the built-in default | [`profile`] |
//! | atomic write-back of counters and files | [`persist`] |
//! | serving to pcscd through vsmartcard's vpcd | [`vpcd`] |
//! | the ISO/IEC 7816-3 T=0 character protocol, and a pseudo-terminal (feature `serial`) | [`t0_serial`] |
//!
//! [`VirtualSim`] puts them together and implements
//! [`Transport`], so a session or a test uses it
//! like a reader with a card in it:
//!
//! ```
//! use simcore::apdu::Command;
//! use simcore::transport::Link;
//! use simcore::virtual_sim::VirtualSim;
//!
//! // The built-in profile: a UICC on the test network (MCC 001 MNC 01), T=0-like.
//! let mut link = Link::new(VirtualSim::new());
//! // SELECT EF_ICCID by path (FCP requested: 61XX then GET RESPONSE), READ BINARY.
//! let select = Command::new(0x00, 0xA4, 0x08, 0x04).with_data(&[0x2F, 0xE2])?.with_ne(256)?;
//! let mut buf = [0u8; 258];
//! assert_eq!(link.transmit(&select, &mut buf)?.sw(), simcore::StatusWord::SUCCESS);
//! let read = Command::new(0x00, 0xB0, 0x00, 0x00).with_ne(10)?;
//! let response = link.transmit(&read, &mut buf)?;
//! let iccid = simcore::ef::Iccid::from_ef(response.data())?;
//! assert_eq!(iccid.as_str(), simcore::virtual_sim::profile::DEFAULT_ICCID);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Thread safety: a card is used through `&mut`, one command at a time.

mod build;
pub mod card;
mod encode;
pub mod files;
mod layout;
pub mod persist;
pub mod pin;
pub mod profile;
pub mod t0_serial;
pub mod vpcd;

pub use card::{Card, LinkMode};
pub use profile::{CardProfile, ProfileError};

use crate::transport::{self, Protocol, Reset, Transport};
use std::path::{Path, PathBuf};
use std::string::String;
use std::vec::Vec;
use zeroize::Zeroizing;

/// Why the virtual card could not answer through [`Transport`] (TS 51.011 §9, TS 102 221 §10–§11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VirtualSimError {
    /// The response does not fit the caller's buffer (the response APDU, data and
    /// SW1 SW2, ISO/IEC 7816-4 §5.1.3).
    #[error("response of {needed} bytes does not fit a buffer of {capacity} bytes")]
    BufferTooSmall {
        /// Bytes of the response.
        needed: usize,
        /// Bytes of the buffer.
        capacity: usize,
    },
    /// The card's new state could not be written back to its profile file;
    /// the command was undone, as a card undoes a write its memory refuses
    /// ([`VirtualSim::write_back_failure`]: TS 102 221 §10.2.1.4 64 00,
    /// TS 51.011 §9.4.3 92 40).
    #[error("could not write the card state back to its profile file (the command was undone): {kind}")]
    Persist {
        /// What the operating system said.
        kind: std::io::ErrorKind,
    },
}

impl transport::Error for VirtualSimError {
    fn kind(&self) -> transport::ErrorKind {
        match self {
            VirtualSimError::BufferTooSmall { .. } => transport::ErrorKind::Other,
            VirtualSimError::Persist { .. } => transport::ErrorKind::Io,
        }
    }
}

/// A virtual SIM/UICC: a [`Card`], its ATR, the link mode, and optionally a
/// profile file its counters and files are written back to (TS 51.011 §9, TS 102 221 §10–§11).
#[derive(Debug, Clone)]
pub struct VirtualSim {
    card: Card,
    atr: Vec<u8>,
    link: LinkMode,
    profile: CardProfile,
    persist: Option<PathBuf>,
    /// With persistence: the file's text when it held `profile` (or as last
    /// saved), edited in place so that comments and layout survive. It holds
    /// the codes, so it is zeroized when replaced or dropped.
    source: Option<Zeroizing<String>>,
    /// EF contents as last saved (or loaded), by node, to find what changed.
    saved: Vec<Option<Vec<u8>>>,
}

impl Default for VirtualSim {
    fn default() -> Self {
        Self::new()
    }
}

impl VirtualSim {
    /// The card of the built-in profile ([`CardProfile::default`]): a UICC on
    /// the test network, T=0-like (TS 102 221 §10–§11).
    #[must_use]
    pub fn new() -> Self {
        let profile = CardProfile::default();
        match Self::from_profile(&profile) {
            Ok(sim) => sim,
            // The built-in profile is tested to build; this arm only keeps the
            // library free of panics.
            Err(_) => Self::assemble(
                card::Card::new(profile.personality, files::FileTree::new(), Self::fallback_codes()),
                Vec::from([0x3B, 0x00]),
                profile,
            ),
        }
    }

    fn fallback_codes() -> card::Codes {
        let code = |max| pin::SecretCode::new([0xFF; pin::CODE_LEN], max, max);
        card::Codes {
            pin1: pin::Chv::new(code(3), Some(code(10)), true),
            pin2: pin::Chv::new(code(3), Some(code(10)), true),
            adm: pin::Chv::new(code(3), None, true),
        }
    }

    fn assemble(card: Card, atr: Vec<u8>, profile: CardProfile) -> Self {
        let mut sim = VirtualSim {
            card,
            atr,
            link: LinkMode::T0,
            profile,
            persist: None,
            source: None,
            saved: Vec::new(),
        };
        sim.saved = sim.snapshot();
        sim
    }

    /// The card `profile` describes (TS 51.011 §10.7, TS 102 221 §13, TS 31.102 §4.2).
    ///
    /// # Errors
    /// [`ProfileError::Invalid`] naming the field or file at fault.
    pub fn from_profile(profile: &CardProfile) -> Result<Self, ProfileError> {
        let atr = profile.atr_bytes()?;
        let card = build::card(profile)?;
        Ok(Self::assemble(card, atr, profile.clone()))
    }

    /// The card of a TOML profile text (TS 51.011 §10.7, TS 102 221 §13, TS 31.102 §4.2).
    ///
    /// # Errors
    /// As [`CardProfile::from_toml`] and [`VirtualSim::from_profile`].
    pub fn from_toml(text: &str) -> Result<Self, ProfileError> {
        Self::from_profile(&CardProfile::from_toml(text)?)
    }

    /// The card of a profile file, without write-back
    /// (TS 51.011 §10.7, TS 102 221 §13, TS 31.102 §4.2).
    ///
    /// # Errors
    /// As [`CardProfile::load`] and [`VirtualSim::from_profile`].
    pub fn load(path: impl AsRef<Path>) -> Result<Self, ProfileError> {
        Self::from_profile(&CardProfile::load(path)?)
    }

    /// The card of a profile file whose codes, counters and changed files are
    /// written back to it atomically after every command that changes them
    /// ([`persist`]) (codes TS 102 221 §9.5, files §8). Only the entries that
    /// changed are rewritten, in place; the file's comments and layout stay.
    ///
    /// # Errors
    /// As [`VirtualSim::load`].
    pub fn open_persistent(path: impl AsRef<Path>) -> Result<Self, ProfileError> {
        let path = path.as_ref();
        Ok(Self::load(path)?.with_persistence(path))
    }

    /// Write the state back to `path` after every change (see
    /// [`VirtualSim::open_persistent`]) (codes TS 102 221 §9.5, files §8).
    ///
    /// When the file already holds this card's profile (as it does for
    /// [`VirtualSim::open_persistent`], or a card built from
    /// [`CardProfile::load`] of the same path), write-back edits its text:
    /// only the codes and files that changed are rewritten, and the comments,
    /// order and spelling of the rest stay. Otherwise the first write-back
    /// writes the whole profile.
    #[must_use]
    pub fn with_persistence(mut self, path: impl AsRef<Path>) -> Self {
        let path = path.as_ref();
        self.source = std::fs::read_to_string(path)
            .ok()
            .map(Zeroizing::new)
            .filter(|text| CardProfile::from_toml(text).is_ok_and(|held| held == self.profile));
        self.persist = Some(path.to_path_buf());
        self
    }

    /// Serve as T=0 (TPDUs, 61XX/9FXX, the default) or T=1 (whole APDUs) (ISO/IEC 7816-3 §10, §11).
    #[must_use]
    pub const fn with_link(mut self, link: LinkMode) -> Self {
        self.link = link;
        self
    }

    /// The link mode (ISO/IEC 7816-3 §10, §11).
    #[must_use]
    pub const fn link(&self) -> LinkMode {
        self.link
    }

    /// The ATR (ISO/IEC 7816-3 §8).
    #[must_use]
    pub fn atr_bytes(&self) -> &[u8] {
        &self.atr
    }

    /// The card (TS 51.011 §9, TS 102 221 §10–§11).
    #[must_use]
    pub const fn card(&self) -> &Card {
        &self.card
    }

    /// The personality: [`crate::Profile::Sim`] or [`crate::Profile::Uicc`]
    /// (TS 51.011 §9, TS 102 221 §10–§11).
    #[must_use]
    pub const fn personality(&self) -> crate::Profile {
        self.card.personality()
    }

    /// A reset of the card (ISO/IEC 7816-3 §6.2): MF selected, verifications
    /// forgotten; counters and files are kept.
    pub fn card_reset(&mut self) {
        self.card.reset();
    }

    /// The content of the EF at `path` (identifiers from the MF, which may be
    /// included), for tests and tools (TS 102 221 §8.4.2).
    #[must_use]
    pub fn file(&self, path: &[u16]) -> Option<&[u8]> {
        let tree = self.card.tree();
        tree.by_path(path).and_then(|id| tree.body(id)).map(files::Body::data)
    }

    /// Answer one raw command (a TPDU on T=0, an APDU on T=1) with the raw
    /// response; the state is written back first when persistence is on
    /// (ISO/IEC 7816-3 §12.2, ISO/IEC 7816-4 §5.1).
    ///
    /// # Errors
    /// [`VirtualSimError::Persist`] when the write-back failed. The card is
    /// then as it was before the command (a counter not spent, a PIN not
    /// verified, a file not written), so memory and file still agree; a
    /// reader serving it answers [`VirtualSim::write_back_failure`].
    pub fn respond(&mut self, command: &[u8]) -> Result<&[u8], VirtualSimError> {
        let before = self.persist.is_some().then(|| self.card.clone());
        self.card.process(command, self.link);
        if self.card.take_changed()
            && let Some(before) = before
            && let Err(kind) = self.save()
        {
            self.card = before;
            return Err(VirtualSimError::Persist { kind });
        }
        Ok(self.card.last_response())
    }

    /// The status word the serving readers send after
    /// [`VirtualSimError::Persist`], when the command was undone: on a UICC
    /// 64 00, an execution error with the non-volatile memory unchanged
    /// (TS 102 221 §10.2.1.4, ISO/IEC 7816-4 table 6); on a classic SIM, which
    /// has no such code, 92 40, memory problem (TS 51.011 §9.4.3).
    #[must_use]
    pub const fn write_back_failure(&self) -> [u8; 2] {
        match self.card.personality() {
            crate::Profile::Sim => [0x92, 0x40],
            _ => [0x64, 0x00],
        }
    }

    /// The profile with the card's current codes, counters and changed files
    /// written in: what persistence saves (codes TS 102 221 §9.5, files §8).
    #[must_use]
    pub fn current_profile(&self) -> CardProfile {
        let mut profile = self.profile.clone();
        let codes = self.card.codes();
        // A code is written in full only when its state differs from what the
        // profile says (or implies by default), so an unchanged `pin2 = "5678"`
        // stays as the user wrote it.
        let mut update = |name: &str, code: &pin::SecretCode, enabled: Option<bool>| {
            let described = build::code(&self.profile.codes, name).ok();
            let same = described.as_ref().is_some_and(|(was, was_enabled)| {
                was == code && enabled.is_none_or(|now| now == *was_enabled)
            });
            if !same {
                let full = profile::CodeConfig::Full {
                    value: pin::code_to_text(code.value()),
                    attempts_left: Some(code.attempts_left()),
                    max_attempts: Some(code.max_attempts()),
                    enabled,
                };
                profile.codes.set(name, full);
            }
        };
        update("pin1", codes.pin1.code(), Some(codes.pin1.is_enabled()));
        update("pin2", codes.pin2.code(), Some(codes.pin2.is_enabled()));
        if let Some(puk) = codes.pin1.unblock() {
            update("puk1", puk, None);
        }
        if let Some(puk) = codes.pin2.unblock() {
            update("puk2", puk, None);
        }
        update("adm", codes.adm.code(), None);
        let tree = self.card.tree();
        for (id, saved) in self.saved.iter().enumerate() {
            let Some(body) = tree.body(id) else { continue };
            if saved.as_deref() == Some(body.data()) || !build::is_first_of_body(tree, id) {
                continue;
            }
            // Entries naming this body (through any link) are replaced by one: the
            // user's own key and form if there is one, else a raw-hex entry.
            let names_body = |key: &str| {
                profile::parse_path(key)
                    .ok()
                    .and_then(|p| tree.by_path(&p))
                    .is_some_and(|k| build::same_body(tree, k, id))
            };
            let data = std::format!("{}", crate::hex::Hex(body.data()));
            let existing = self.profile.files.iter().find(|(k, _)| names_body(k));
            let (key, entry) = match existing {
                Some((
                    key,
                    profile::FileConfig::Full { structure, record_length, read, update, sfi, .. },
                )) => (
                    key.clone(),
                    profile::FileConfig::Full {
                        structure: *structure,
                        record_length: *record_length,
                        data: Some(data),
                        size: None,
                        read: *read,
                        update: *update,
                        sfi: *sfi,
                    },
                ),
                Some((key, profile::FileConfig::Hex(_))) => (key.clone(), profile::FileConfig::Hex(data)),
                None => (profile::format_path(&tree.path_of(id)), profile::FileConfig::Hex(data)),
            };
            profile.files.retain(|k, _| !names_body(k));
            profile.files.insert(key, entry);
        }
        profile
    }

    fn snapshot(&self) -> Vec<Option<Vec<u8>>> {
        let tree = self.card.tree();
        (0..tree.nodes().len()).map(|id| tree.body(id).map(|b| b.data().to_vec())).collect()
    }

    /// Write the current state to the persistence file now (codes TS 102 221 §9.5, files §8).
    ///
    /// # Errors
    /// The I/O error kind (nothing happens without persistence).
    pub fn save(&mut self) -> Result<(), std::io::ErrorKind> {
        let Some(path) = self.persist.clone() else { return Ok(()) };
        let profile = self.current_profile();
        let edited =
            self.source.as_deref().and_then(|source| layout::edited(source, &self.profile, &profile));
        let text = Zeroizing::new(match edited {
            Some(text) => text,
            None => profile.to_toml().map_err(|_| std::io::ErrorKind::InvalidData)?,
        });
        persist::write_atomic(&path, text.as_bytes()).map_err(|e| e.kind())?;
        self.profile = profile;
        self.source = Some(text);
        self.saved = self.snapshot();
        Ok(())
    }
}

impl Transport for VirtualSim {
    type Error = VirtualSimError;

    fn transmit<'b>(&mut self, command: &[u8], response: &'b mut [u8]) -> Result<&'b [u8], VirtualSimError> {
        let answer = self.respond(command)?;
        let needed = answer.len();
        let capacity = response.len();
        let out = response.get_mut(..needed).ok_or(VirtualSimError::BufferTooSmall { needed, capacity })?;
        out.copy_from_slice(answer);
        Ok(out)
    }

    fn atr(&self) -> Option<&[u8]> {
        Some(&self.atr)
    }

    /// Both resets return the card to its state after the ATR: MF selected,
    /// verifications forgotten (counters and files are non-volatile).
    fn reset(&mut self, reset: Reset) -> Result<Reset, VirtualSimError> {
        self.card_reset();
        Ok(reset)
    }

    fn protocol(&self) -> Protocol {
        match self.link {
            LinkMode::T0 => Protocol::T0,
            LinkMode::T1 => Protocol::T1,
        }
    }
}

/// For tests of the serving readers: a persistent card of profile `toml`
/// whose profile directory is gone, so that every write-back fails.
#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(crate) fn card_that_cannot_save(test: &str, toml: &str) -> VirtualSim {
    let dir = std::env::temp_dir().join(std::format!("simcore-undo-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("card.toml");
    std::fs::write(&path, toml).unwrap();
    let sim = VirtualSim::open_persistent(&path).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    sim
}
