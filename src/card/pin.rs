//! PIN management: TS 51.011 §9.2.9–§9.2.13 (CHV1, CHV2 and their UNBLOCK
//! CHVs on a classic SIM) and TS 102 221 §9.5 and §11.1.9–§11.1.13 (PIN1, PIN2,
//! the universal PIN and ADM on a UICC).
//!
//! **Status without spending an attempt** ([`Sim::pin_status`]):
//! - classic SIM: STATUS of the current DF; bytes 14 and 19–22 of its TS 51.011
//!   §9.2.1 response carry CHV1's enabled bit and the four counters (one APDU);
//! - UICC: whether the PIN is enabled comes from the PS_DO of a DF's FCP (TS 102
//!   221 §9.5.2; resolved.md Q1: the VERIFY status word cannot tell), the
//!   counters from VERIFY and UNBLOCK PIN without data, answered 63 CX (§11.1.9.1.2,
//!   §11.1.13.1.2). A VERIFY query answered 90 00 means the PIN is verified (or
//!   needs no verification): the card then gives no count.
//!
//! **Where a code lives** on a UICC: a global key reference (b8 = 0: PIN1,
//! the universal PIN, ADM) anywhere; a local one (b8 = 1, such as PIN2, 81)
//! only in its application (TS 102 221 §9.4, table 9.3: "Second PIN Appl.1"
//! is local). Before a query or a command for a local key the session makes
//! ADF.USIM (or a DF below it) current, selecting it first when needed;
//! DF_GSM only on a card without a USIM. Android, for one, always presents
//! PIN2 with the application's AID.
//!
//! **Operations** ([`Sim::verify`], [`Sim::change`], [`Sim::enable`],
//! [`Sim::disable`], [`Sim::unblock`]) first read the counter the command spends,
//! let the [`super::guard`] decide, send the command built by
//! [`crate::chv::ChvCommand`], and read the status word with
//! [`StatusWord::chv`] into a [`PinOutcome`]. On a classic SIM, 98 04 carries no
//! count (TS 51.011 §9.4.5); the outcome's count is the one read before, less
//! the attempt just spent.

use super::guard::{self, Count, Guard};
use super::select::{DfPath, Target};
use super::{CardCommand, CardStatus, Sim, SimError};
use crate::apdu::Command;
use crate::chv::{ChvCommand, ChvError, KeyReference, Pin, RetryCounter};
use crate::fcp::{FileSummary, SecretCode};
use crate::fs::Fid;
use crate::profile::Profile;
use crate::sw::{ChvStatus, StatusWord};
use crate::transport::{Trace, Transport};
use core::fmt;

use crate::ins::STATUS;

/// Bytes of a classic SIM's DF response up to the CHV status bytes (TS 51.011
/// §9.2.1: bytes 1–22).
const SIM_DF_RESPONSE_LEN: u32 = 22;

/// What the card says about one secret code. Fields it does not report are
/// `None` (TS 51.011 §9.2.1 bytes 19–22, TS 102 221 §9.5.2, §11.1.9.1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct PinStatus {
    /// The code (TS 102 221 table 9.3).
    pub key: KeyReference,
    /// Whether the code is checked (SIM: byte 14 b8 for CHV1, initialised for
    /// CHV2; UICC: the PS_DO bit) (TS 51.011 §9.2.1 byte 14, TS 102 221 §9.5.2).
    pub enabled: Option<bool>,
    /// Whether it is verified now (UICC: a VERIFY query answered 90 00; a
    /// classic SIM does not say) (TS 102 221 §11.1.9.1.2).
    pub verified: Option<bool>,
    /// Wrong presentations left before it blocks; 0 when blocked; `None` when
    /// the card gives no count, or (classic SIM) the code is not initialised
    /// (TS 51.011 §9.2.1 bytes 19–22, TS 102 221 §11.1.9.1.2).
    pub attempts_left: Option<u8>,
    /// Wrong presentations of its unblock code (PUK) left; 0 when the PUK is
    /// blocked, which is permanent. `None` for ADM, which has none, and for an
    /// unblock code that is not initialised
    /// (TS 51.011 §9.2.1 bytes 19–22, TS 102 221 §11.1.13.1.2).
    pub unblock_attempts_left: Option<u8>,
    /// Whether the code is initialised (classic SIM only: `Some(false)` for a
    /// CHV2 the operator never set up, which commands answer with 98 02)
    /// (TS 51.011 §9.2.1 bytes 19–22, §9.4.5).
    pub initialised: Option<bool>,
}

impl PinStatus {
    const fn unknown(key: KeyReference) -> Self {
        PinStatus {
            key,
            enabled: None,
            verified: None,
            attempts_left: None,
            unblock_attempts_left: None,
            initialised: None,
        }
    }

    /// Whether the code is blocked (no attempt left)
    /// (TS 102 221 §11.1.9–§11.1.13, TS 51.011 §9.2.9–§9.2.13).
    #[must_use]
    pub const fn is_blocked(&self) -> bool {
        matches!(self.attempts_left, Some(0))
    }

    /// Whether its unblock code is blocked: the card cannot be unblocked (TS 102 221 §11.1.13.1.1).
    #[must_use]
    pub const fn is_unblock_blocked(&self) -> bool {
        matches!(self.unblock_attempts_left, Some(0))
    }

    /// The value of `counter` (TS 102 221 §11.1.9, §11.1.13; TS 51.011 §9.2.1 bytes 19–22).
    #[must_use]
    pub const fn attempts(&self, counter: RetryCounter) -> Option<u8> {
        match counter {
            RetryCounter::Pin => self.attempts_left,
            RetryCounter::Unblock => self.unblock_attempts_left,
        }
    }
}

/// What a PIN operation did (TS 51.011 §9.4.5, TS 102 221 §10.2.1.5 and
/// §11.1.9–§11.1.13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PinOutcome {
    /// Done: verified, changed, enabled, disabled or unblocked (90 00)
    /// (TS 51.011 §9.4.1, TS 102 221 §10.2.1.1).
    Done,
    /// The code was wrong; `attempts_left` of the counter it spent remain, 0
    /// when this attempt blocked it (63 CX; 98 04 and 98 40 on a classic SIM)
    /// (TS 102 221 §11.1.9, TS 51.011 §9.4.5).
    WrongCode {
        /// Attempts left, when known (TS 102 221 §11.1.9; TS 51.011 §9.2.1 bytes 19–22).
        attempts_left: Option<u8>,
    },
    /// The code (for UNBLOCK: the unblock code) is blocked; nothing was spent
    /// (69 83; 98 40 on a SIM for a code blocked before). On a classic SIM
    /// whose counter could not be read first (the command was forced), 98 40
    /// may also answer the attempt that blocked the code
    /// (TS 102 221 §11.1.9, TS 51.011 §9.4.5).
    Blocked,
    /// The code is not initialised (98 02) (TS 51.011 §9.4.5).
    NotInitialised,
    /// The command contradicts the code's state: enabling an enabled code,
    /// disabling a disabled one, verifying or changing a disabled one (98 08;
    /// 69 84 or 69 85 on a UICC) (TS 51.011 §9.4.5, ISO/IEC 7816-4 table 6).
    Contradiction,
    /// The card refused for another reason, with its status word and the
    /// profile that gives it its meaning (for example 6A 88: no such code,
    /// 69 82: ADM needed) (ISO/IEC 7816-4 table 6).
    NotAllowed(CardStatus),
}

impl PinOutcome {
    /// Whether the operation was done (TS 51.011 §9.4.1, TS 102 221 §10.2.1.1).
    #[must_use]
    pub const fn is_done(&self) -> bool {
        matches!(self, PinOutcome::Done)
    }
}

impl fmt::Display for PinOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PinOutcome::Done => f.write_str("done"),
            PinOutcome::WrongCode { attempts_left: Some(0) } => f.write_str("wrong code; now blocked"),
            PinOutcome::WrongCode { attempts_left: Some(n) } => {
                write!(f, "wrong code; {n} attempt{} left", if *n == 1 { "" } else { "s" })
            }
            PinOutcome::WrongCode { attempts_left: None } => f.write_str("wrong code"),
            PinOutcome::Blocked => f.write_str("blocked"),
            PinOutcome::NotInitialised => f.write_str("not initialised"),
            PinOutcome::Contradiction => {
                f.write_str("contradicts the code's state (already enabled or disabled)")
            }
            PinOutcome::NotAllowed(sw) => write!(f, "not allowed: {sw}"),
        }
    }
}

/// The PS_DO bits of the last DF whose FCP was read (TS 102 221 §9.5.2).
#[derive(Debug, Clone, Default)]
pub(crate) struct EnabledCache {
    df: Option<DfPath>,
    enabled: heapless::Vec<(u8, bool), 16>,
}

impl EnabledCache {
    fn get(&self, df: DfPath, key: KeyReference) -> Option<Option<bool>> {
        if self.df != Some(df) {
            return None;
        }
        Some(self.enabled.iter().find(|(k, _)| *k == key.value()).map(|&(_, on)| on))
    }
}

/// What the session knows of PIN counters from its own commands: a code
/// presented right has its counter reset to the maximum (TS 102 221 §11.1.9,
/// TS 51.011 §9.2.9), which is at least the count read just before. A UICC
/// answers the counter query of a verified PIN with 90 00 and no count, so this
/// lower bound is what lets the guard allow a CHANGE or DISABLE after a VERIFY
/// in the same session. A wrong code, an UNBLOCK, a raw command, a link error
/// (the backend may have reset or reconnected) or a new session forgets it;
/// another application forgets the local PINs' (key references with b8 = 1,
/// TS 102 221 table 9.3: PIN2 of one ADF is not PIN2 of another). It assumes
/// no other program presented the code since (see [`super::guard`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct PresentedCodes {
    at_least: heapless::Vec<(u8, u8), 8>,
}

impl PresentedCodes {
    fn get(&self, key: KeyReference) -> Option<u8> {
        self.at_least.iter().find(|(k, _)| *k == key.value()).map(|&(_, n)| n)
    }

    fn forget(&mut self, key: KeyReference) {
        self.at_least.retain(|(k, _)| *k != key.value());
    }

    /// Forget the local PINs (b8 = 1), whose meaning depends on the application.
    pub(crate) fn forget_local(&mut self) {
        self.at_least.retain(|(k, _)| k & 0x80 == 0);
    }

    fn remember(&mut self, key: KeyReference, at_least: u8) {
        self.forget(key);
        // Eight codes at most are kept; a ninth is simply not remembered.
        let _ = self.at_least.push((key.value(), at_least));
    }
}

/// A UICC retry-counter query's answer.
enum Reading {
    /// 63 CX, or 0 for 69 83.
    Left(u8),
    /// 90 00: verified, or no verification needed; no count.
    Satisfied,
    /// Anything else that says nothing about the counter.
    Unknown,
}

impl<T: Transport, H: Trace> Sim<T, H> {
    /// The state of `key` without spending an attempt (see the module
    /// documentation). A classic SIM reports CHV1 and CHV2 only: an ADM code
    /// comes back with every field `None` (its state is the issuer's business,
    /// TS 51.011 §9.3), and a code the SIM has no VERIFY for (the universal
    /// PIN, a second application's PIN) is [`ChvError::NoSuchCode`], as a
    /// UICC without the code answers 6A 88
    /// (TS 51.011 §9.2.1 bytes 19–22, TS 102 221 §9.5.2, §11.1.9.1.2).
    ///
    /// Costs one APDU on a classic SIM; on a UICC two retry-counter queries
    /// (one for ADM, which has no PUK) and, unless the session read the PS_DO
    /// of the right DF already, a SELECT with its FCP; for a local key (PIN2)
    /// also the SELECT of ADF.USIM when no DF of it is current.
    ///
    /// # Errors
    /// [`SimError::Card`] when the card rejects a query (6A 88: it has no such
    /// code); [`SimError::Chv`] for a code a classic SIM does not have;
    /// [`SimError::Link`].
    pub fn pin_status(&mut self, key: KeyReference) -> Result<PinStatus, SimError<T::Error>> {
        if self.profile == Profile::Sim {
            return self.sim_statuses([key]).map(|[status]| status);
        }
        let enabled = self.ps_do_enabled(key)?;
        self.enter_pin_context(key)?;
        let (attempts_left, verified) = match self.query(key, RetryCounter::Pin)? {
            Reading::Left(n) => (Some(n), Some(false)),
            Reading::Satisfied => (None, Some(true)),
            Reading::Unknown => (None, None),
        };
        let unblock_attempts_left = if key.is_adm() { None } else { self.unblock_reading(key)? };
        Ok(PinStatus { enabled, verified, attempts_left, unblock_attempts_left, ..PinStatus::unknown(key) })
    }

    /// The state of each of `keys`, as [`Sim::pin_status`] gives it, in the
    /// same order. On a classic SIM all of them come from one STATUS (TS
    /// 51.011 §9.2.2: bytes 19–22 carry CHV1, UNBLOCK CHV1, CHV2 and UNBLOCK
    /// CHV2 together), so PIN1 and PIN2 cost one APDU instead of two; on a
    /// UICC each key costs what [`Sim::pin_status`] costs.
    ///
    /// # Errors
    /// As [`Sim::pin_status`], for the first key that fails.
    pub fn pin_statuses<const N: usize>(
        &mut self,
        keys: [KeyReference; N],
    ) -> Result<[PinStatus; N], SimError<T::Error>> {
        if self.profile == Profile::Sim {
            return self.sim_statuses(keys);
        }
        let mut out = keys.map(PinStatus::unknown);
        for (slot, key) in out.iter_mut().zip(keys) {
            *slot = self.pin_status(key)?;
        }
        Ok(out)
    }

    /// VERIFY `pin` for `key` (TS 51.011 §9.2.9, TS 102 221 §11.1.9), behind the
    /// guard.
    ///
    /// # Errors
    /// [`SimError::Refused`] when the guard refuses (nothing sent);
    /// [`SimError::Chv`] when the profile has no such command;
    /// [`SimError::Link`]. The card's answer, wrong code included, is the
    /// [`PinOutcome`].
    pub fn verify(
        &mut self,
        key: KeyReference,
        pin: &Pin,
        guard: Guard,
    ) -> Result<PinOutcome, SimError<T::Error>> {
        let command = ChvCommand::verify(self.profile, key, pin)?;
        self.guarded(&command, guard)
    }

    /// CHANGE `old` into `new` (TS 51.011 §9.2.10, TS 102 221 §11.1.10).
    ///
    /// # Errors
    /// As [`Sim::verify`].
    pub fn change(
        &mut self,
        key: KeyReference,
        old: &Pin,
        new: &Pin,
        guard: Guard,
    ) -> Result<PinOutcome, SimError<T::Error>> {
        let command = ChvCommand::change(self.profile, key, old, new)?;
        self.guarded(&command, guard)
    }

    /// ENABLE the PIN check (TS 51.011 §9.2.12: CHV1 only; TS 102 221 §11.1.12).
    ///
    /// # Errors
    /// As [`Sim::verify`].
    pub fn enable(
        &mut self,
        key: KeyReference,
        pin: &Pin,
        guard: Guard,
    ) -> Result<PinOutcome, SimError<T::Error>> {
        let command = ChvCommand::enable(self.profile, key, pin)?;
        self.guarded(&command, guard)
    }

    /// DISABLE the PIN check (TS 51.011 §9.2.11: CHV1 only; TS 102 221
    /// §11.1.11, P1 = 00). Anyone holding a card with PIN1 disabled can use it.
    ///
    /// # Errors
    /// As [`Sim::verify`].
    pub fn disable(
        &mut self,
        key: KeyReference,
        pin: &Pin,
        guard: Guard,
    ) -> Result<PinOutcome, SimError<T::Error>> {
        let command = ChvCommand::disable(self.profile, key, pin)?;
        self.guarded(&command, guard)
    }

    /// UNBLOCK with `puk`, setting `new_pin` (TS 51.011 §9.2.13, TS 102 221
    /// §11.1.13). Spends an attempt of the unblock counter when `puk` is
    /// wrong; a blocked PUK is refused before anything is sent.
    ///
    /// # Errors
    /// As [`Sim::verify`].
    pub fn unblock(
        &mut self,
        key: KeyReference,
        puk: &Pin,
        new_pin: &Pin,
        guard: Guard,
    ) -> Result<PinOutcome, SimError<T::Error>> {
        let command = ChvCommand::unblock(self.profile, key, puk, new_pin)?;
        self.guarded(&command, guard)
    }

    /// Read the counter `command` spends, let the guard decide, send it.
    fn guarded(&mut self, command: &ChvCommand, guard: Guard) -> Result<PinOutcome, SimError<T::Error>> {
        let key = command.key();
        let counter = command.spends().unwrap_or(RetryCounter::Pin);
        let (count, unblock) = match self.profile {
            Profile::Sim => {
                let [status] = self.sim_statuses([key])?;
                let count = match (status.initialised, status.attempts(counter)) {
                    // The counter this command spends is at 0: blocked, and for
                    // an unblock code for good, whatever the CHV's own state.
                    (_, Some(0)) => Count::Left(0),
                    (Some(false), _) => Count::NotInitialised,
                    (_, Some(n)) => Count::Left(n),
                    (_, None) => Count::Unknown,
                };
                (count, status.unblock_attempts_left)
            }
            Profile::Uicc | Profile::Iso7816 => {
                self.enter_pin_context(key)?;
                let count = match self.query(key, counter)? {
                    Reading::Left(n) => Count::Left(n),
                    // Verified: no count, unless this session presented the code right.
                    Reading::Satisfied if counter == RetryCounter::Pin => {
                        Count::Verified { at_least: self.presented.get(key) }
                    }
                    Reading::Satisfied | Reading::Unknown => Count::Unknown,
                };
                let unblock = match (count, counter) {
                    (Count::Left(0), RetryCounter::Pin) if !key.is_adm() => self.unblock_reading(key)?,
                    _ => None,
                };
                (count, unblock)
            }
        };
        guard::check(key, counter, count, unblock, guard)?;
        let before = count.attempts();
        self.presented.forget(key);
        let (sw, _) = self.exchange(&command.command())?;
        let done = sw.is_done();
        if let (true, RetryCounter::Pin, Some(n)) = (done, counter, before) {
            self.presented.remember(key, n);
        }
        if done && command.operation() != crate::chv::Operation::Verify {
            // ENABLE, DISABLE and UNBLOCK change the PS_DO; CHANGE does not,
            // but forgetting costs at most one FCP.
            self.pins = EnabledCache::default();
        }
        Ok(self.outcome(sw, before))
    }

    /// The outcome of a PIN command answered `sw`, the spent counter having
    /// been `before`.
    fn outcome(&self, sw: StatusWord, before: Option<u8>) -> PinOutcome {
        if sw.is_done() {
            return PinOutcome::Done;
        }
        match sw.chv(self.profile) {
            Some(ChvStatus::AttemptsLeft(n)) => PinOutcome::WrongCode { attempts_left: Some(n) },
            Some(ChvStatus::WrongCodeAttemptsRemain) => {
                PinOutcome::WrongCode { attempts_left: before.map(|n| n.saturating_sub(1)) }
            }
            // TS 51.011 §9.4.5: 98 40 answers the attempt that blocks too.
            Some(ChvStatus::Blocked) if self.profile == Profile::Sim && before.is_some_and(|n| n > 0) => {
                PinOutcome::WrongCode { attempts_left: Some(0) }
            }
            Some(ChvStatus::Blocked) => PinOutcome::Blocked,
            Some(ChvStatus::Contradiction) => PinOutcome::Contradiction,
            Some(ChvStatus::NotInitialised) => PinOutcome::NotInitialised,
            Some(ChvStatus::NotVerified) | None => {
                PinOutcome::NotAllowed(CardStatus { sw, profile: self.profile })
            }
        }
    }

    /// A UICC's answer to VERIFY or UNBLOCK without data.
    fn query(&mut self, key: KeyReference, counter: RetryCounter) -> Result<Reading, SimError<T::Error>> {
        let command = match counter {
            RetryCounter::Pin => ChvCommand::verify_query(self.profile, key)?,
            RetryCounter::Unblock => ChvCommand::unblock_query(self.profile, key)?,
        };
        let (sw, _) = self.exchange(&command.command())?;
        Ok(match sw.chv(self.profile) {
            Some(ChvStatus::AttemptsLeft(n)) => Reading::Left(n),
            Some(ChvStatus::Blocked) => Reading::Left(0),
            _ if sw == StatusWord::SUCCESS => Reading::Satisfied,
            _ if sw == StatusWord::REFERENCED_DATA_NOT_FOUND => {
                return Err(SimError::Card {
                    command: CardCommand::CounterQuery,
                    status: CardStatus { sw, profile: self.profile },
                });
            }
            _ => Reading::Unknown,
        })
    }

    fn unblock_reading(&mut self, key: KeyReference) -> Result<Option<u8>, SimError<T::Error>> {
        Ok(match self.query(key, RetryCounter::Unblock)? {
            Reading::Left(n) => Some(n),
            Reading::Satisfied | Reading::Unknown => None,
        })
    }

    /// A classic SIM's codes from one STATUS (TS 51.011 §9.2.2): the current
    /// DF's response, bytes 14 and 19–22. Keys other than CHV1 and CHV2 stay
    /// unknown; when no key is one, nothing is sent.
    fn sim_statuses<const N: usize>(
        &mut self,
        keys: [KeyReference; N],
    ) -> Result<[PinStatus; N], SimError<T::Error>> {
        if let Some(&key) = keys.iter().find(|key| key.chv().is_none() && !key.is_adm()) {
            let profile = self.profile;
            return Err(SimError::Chv(ChvError::NoSuchCode { key, profile }));
        }
        let mut out = keys.map(PinStatus::unknown);
        if keys.iter().all(|key| key.chv().is_none()) {
            return Ok(out);
        }
        // A card whose response is not 22 bytes names its length with 67 XX,
        // and the completion layer resends (TS 51.011 §9.4.6).
        let command = Command::new(self.profile.proprietary_cla(), STATUS, 0x00, 0x00);
        let command = command.with_ne(SIM_DF_RESPONSE_LEN).unwrap_or(command);
        let (sw, len) = self.exchange(&command)?;
        if sw != StatusWord::SUCCESS {
            return Err(self.card_error(CardCommand::Status, sw));
        }
        let summary = FileSummary::from_response(self.data(len))?;
        for (status, key) in out.iter_mut().zip(keys).filter(|(_, key)| key.chv().is_some()) {
            let code = summary.code(SecretCode::Pin(key.value()));
            let unblock = summary.code(SecretCode::Unblock(key.value()));
            *status = PinStatus {
                enabled: code.and_then(|c| c.enabled),
                attempts_left: code.and_then(|c| c.attempts_left),
                initialised: code.and_then(|c| c.initialised),
                unblock_attempts_left: unblock.and_then(|c| c.attempts_left),
                ..PinStatus::unknown(key)
            };
        }
        Ok(out)
    }

    /// The DF whose context holds `key` on a UICC: the MF for a global
    /// reference; for a local one ADF.USIM when the card has one (selecting it
    /// the first time), else DF_GSM (TS 102 221 §9.4, table 9.3).
    fn pin_home(&mut self, key: KeyReference) -> Result<DfPath, SimError<T::Error>> {
        if key.is_global() {
            return Ok(DfPath::MF);
        }
        let home = if self.ensure_usim()? { Fid::CURRENT_ADF } else { Fid::DF_GSM };
        Ok(Target::parse(&[home])?.df)
    }

    /// Make the context of a local `key` current (see the module
    /// documentation): nothing to do for a global one, or when the current
    /// DF is its home or below it.
    fn enter_pin_context(&mut self, key: KeyReference) -> Result<(), SimError<T::Error>> {
        if key.is_global() || self.profile == Profile::Sim {
            return Ok(());
        }
        let home = self.pin_home(key)?;
        if !self.current.df.is_some_and(|df| df.starts_with(&home)) {
            self.select_target(&Target { df: home, ef: None }, false)?;
        }
        Ok(())
    }

    /// Whether `key` is enabled, from the PS_DO of a DF's FCP: the current DF
    /// first (for a local reference only within its home), then its home
    /// ([`Sim::pin_home`]).
    fn ps_do_enabled(&mut self, key: KeyReference) -> Result<Option<bool>, SimError<T::Error>> {
        let home = self.pin_home(key)?;
        let first = match self.current.df {
            Some(df) if df.starts_with(&home) && (key.is_global() || df != DfPath::MF) => df,
            _ => home,
        };
        let candidates = if first == home { [Some(first), None] } else { [Some(first), Some(home)] };
        for df in candidates.into_iter().flatten() {
            if let Some(known) = self.pins.get(df, key) {
                if known.is_some() || df == home {
                    return Ok(known);
                }
                continue;
            }
            let len = self.select_target(&Target { df, ef: None }, true)?;
            let summary = FileSummary::from_response(self.data(len))?;
            let mut enabled = heapless::Vec::new();
            for state in summary.codes() {
                if let (SecretCode::Pin(k), Some(on)) = (state.code, state.enabled) {
                    let _ = enabled.push((k, on));
                }
            }
            self.pins = EnabledCache { df: Some(df), enabled };
            if let Some(Some(on)) = self.pins.get(df, key) {
                return Ok(Some(on));
            }
        }
        Ok(None)
    }
}
