//! Status words SW1 SW2: ISO/IEC 7816-4 §5.6, 3GPP TS 51.011 §9.4 and ETSI TS
//! 102 221 §10.2.1.
//!
//! [`StatusWord`] is two bytes and nothing more. What it means depends on the
//! card's [`Profile`]: 98 04 exists only on a classic SIM, 63 CX reports PIN
//! attempts on a UICC. One table ([`StatusWord::meaning`]) serves all three
//! profiles; codes it does not know pass through untouched.
//!
//! Three questions have answers that do not need the table and are cheap:
//! - [`StatusWord::class`]: success, warning, error, or postponed (93 00);
//! - [`StatusWord::action`]: what the transport layer must do next (61XX and
//!   9FXX: GET RESPONSE; 6CXX: resend with the right Le; 91XX: FETCH);
//! - [`StatusWord::chv`]: what a PIN command's status word says about the PIN.
//!
//! ```
//! use simcore::{Profile, StatusWord};
//! let sw = StatusWord::new(0x98, 0x04);
//! assert_eq!(
//!     sw.describe(Profile::Sim).to_string(),
//!     "98 04: wrong PIN with attempts left, or access condition not fulfilled, or authentication failed"
//! );
//! ```

mod table;

use crate::ins;
use crate::profile::Profile;
use core::fmt;
pub use table::Param;

/// Which command a status word answers, for the few codes whose meaning
/// depends on it: 63 CX is a PIN's count after VERIFY and internal retries
/// after other commands (TS 102 221 §10.2.1.3), 98 04 a wrong code after
/// VERIFY and an unfulfilled access condition after READ BINARY (TS 51.011
/// §9.4.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Answering {
    /// Not known: the meaning names every reading (TS 51.011 §9.4, TS 102 221 §10.2.1).
    #[default]
    Any,
    /// VERIFY, CHANGE, DISABLE, ENABLE or UNBLOCK, a counter query included
    /// ([`crate::chv::carries_secret`]; TS 51.011 §9.2.9–§9.2.13, TS 102 221 §11.1.9–§11.1.13).
    PinCommand,
    /// Any other command (TS 51.011 §9.2, TS 102 221 §11.1).
    OtherCommand,
}

impl Answering {
    /// The kind of the command with instruction byte `ins` (TS 51.011 §9.2, TS 102 221 §11.1).
    #[must_use]
    pub const fn of_ins(ins: u8) -> Self {
        if crate::chv::carries_secret(ins) { Answering::PinCommand } else { Answering::OtherCommand }
    }
}

/// A status word: SW1 SW2, ISO/IEC 7816-4 §5.1.3.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StatusWord(u16);

impl StatusWord {
    /// 90 00: normal ending (ISO/IEC 7816-4 table 5; TS 51.011 §9.4.1; TS 102 221 §10.2.1.1).
    pub const SUCCESS: Self = Self(0x9000);
    /// 93 00: toolkit busy, command postponed (TS 51.011 §9.4.2; TS 102 221 §10.2.1.2).
    pub const TOOLKIT_BUSY: Self = Self(0x9300);
    /// 62 82: end of file or record reached before Le bytes (ISO/IEC 7816-4 table 6).
    pub const END_OF_FILE: Self = Self(0x6282);
    /// 62 83: selected file invalidated (ISO/IEC 7816-4 table 6).
    pub const FILE_INVALIDATED: Self = Self(0x6283);
    /// 67 00: wrong length (ISO/IEC 7816-4 table 6).
    pub const WRONG_LENGTH: Self = Self(0x6700);
    /// 68 81: logical channel not supported (ISO/IEC 7816-4 table 6).
    pub const LOGICAL_CHANNEL_NOT_SUPPORTED: Self = Self(0x6881);
    /// 69 00: command not allowed (ISO/IEC 7816-4 table 6).
    pub const COMMAND_NOT_ALLOWED: Self = Self(0x6900);
    /// 69 81: command incompatible with file structure (ISO/IEC 7816-4 table 6).
    pub const INCOMPATIBLE_FILE_STRUCTURE: Self = Self(0x6981);
    /// 69 82: security status not satisfied (ISO/IEC 7816-4 table 6).
    pub const SECURITY_STATUS_NOT_SATISFIED: Self = Self(0x6982);
    /// 69 83: authentication method blocked (ISO/IEC 7816-4 table 6; TS 102 221 §11.1.9).
    pub const AUTH_METHOD_BLOCKED: Self = Self(0x6983);
    /// 69 84: referenced data not usable (ISO/IEC 7816-4 table 6).
    pub const REFERENCED_DATA_INVALIDATED: Self = Self(0x6984);
    /// 69 85: conditions of use not satisfied (ISO/IEC 7816-4 table 6).
    pub const CONDITIONS_NOT_SATISFIED: Self = Self(0x6985);
    /// 69 86: command not allowed, no current EF (ISO/IEC 7816-4 table 6).
    pub const NO_CURRENT_EF: Self = Self(0x6986);
    /// 6A 80: incorrect parameters in the data field (ISO/IEC 7816-4 table 6).
    pub const WRONG_DATA: Self = Self(0x6A80);
    /// 6A 81: function not supported (ISO/IEC 7816-4 table 6).
    pub const FUNCTION_NOT_SUPPORTED: Self = Self(0x6A81);
    /// 6A 82: file or application not found (ISO/IEC 7816-4 table 6).
    pub const FILE_NOT_FOUND: Self = Self(0x6A82);
    /// 6A 83: record not found (ISO/IEC 7816-4 table 6).
    pub const RECORD_NOT_FOUND: Self = Self(0x6A83);
    /// 6A 84: not enough memory space (ISO/IEC 7816-4 table 6).
    pub const NOT_ENOUGH_MEMORY: Self = Self(0x6A84);
    /// 6A 86: incorrect parameters P1-P2 (ISO/IEC 7816-4 table 6).
    pub const INCORRECT_P1_P2: Self = Self(0x6A86);
    /// 6A 87: Lc inconsistent with P1-P2 (ISO/IEC 7816-4 table 6).
    pub const LC_INCONSISTENT_WITH_P1_P2: Self = Self(0x6A87);
    /// 6A 88: referenced data not found (ISO/IEC 7816-4 table 6).
    pub const REFERENCED_DATA_NOT_FOUND: Self = Self(0x6A88);
    /// 6B 00: wrong parameters P1-P2 (ISO/IEC 7816-4 table 6).
    pub const WRONG_P1_P2: Self = Self(0x6B00);
    /// 6D 00: instruction not supported (ISO/IEC 7816-4 table 6).
    pub const INS_NOT_SUPPORTED: Self = Self(0x6D00);
    /// 6E 00: class not supported (ISO/IEC 7816-4 table 6).
    pub const CLA_NOT_SUPPORTED: Self = Self(0x6E00);
    /// 6F 00: no precise diagnosis (ISO/IEC 7816-4 table 6).
    pub const NO_PRECISE_DIAGNOSIS: Self = Self(0x6F00);
    /// 92 40: memory problem (TS 51.011 §9.4.3).
    pub const SIM_MEMORY_PROBLEM: Self = Self(0x9240);
    /// 94 00: no EF selected (TS 51.011 §9.4.4).
    pub const SIM_NO_EF_SELECTED: Self = Self(0x9400);
    /// 94 02: out of range, invalid address or record (TS 51.011 §9.4.4).
    pub const SIM_OUT_OF_RANGE: Self = Self(0x9402);
    /// 94 04: file ID or pattern not found (TS 51.011 §9.4.4).
    pub const SIM_FILE_NOT_FOUND: Self = Self(0x9404);
    /// 94 08: file inconsistent with the command (TS 51.011 §9.4.4).
    pub const SIM_FILE_INCONSISTENT: Self = Self(0x9408);
    /// 98 02: no CHV initialised (TS 51.011 §9.4.5).
    pub const SIM_NO_CHV_INITIALISED: Self = Self(0x9802);
    /// 98 04: access condition not fulfilled, or wrong CHV with attempts left (TS 51.011 §9.4.5).
    pub const SIM_ACCESS_CONDITION_NOT_FULFILLED: Self = Self(0x9804);
    /// 98 08: in contradiction with CHV status (TS 51.011 §9.4.5).
    pub const SIM_CHV_CONTRADICTION: Self = Self(0x9808);
    /// 98 10: in contradiction with invalidation status (TS 51.011 §9.4.5).
    pub const SIM_INVALIDATION_CONTRADICTION: Self = Self(0x9810);
    /// 98 40: wrong CHV with no attempt left, CHV blocked (TS 51.011 §9.4.5).
    pub const SIM_CHV_BLOCKED: Self = Self(0x9840);
    /// 98 50: INCREASE impossible, maximum reached (TS 51.011 §9.4.5).
    pub const SIM_INCREASE_MAX_REACHED: Self = Self(0x9850);

    /// The status word SW1 SW2 (ISO/IEC 7816-4 §5.1.3).
    #[must_use]
    pub const fn new(sw1: u8, sw2: u8) -> Self {
        Self(u16::from_be_bytes([sw1, sw2]))
    }

    /// From the big-endian value `0xSW1SW2` (ISO/IEC 7816-4 §5.1.3).
    #[must_use]
    pub const fn from_u16(value: u16) -> Self {
        Self(value)
    }

    /// The big-endian value `0xSW1SW2` (ISO/IEC 7816-4 §5.1.3).
    #[must_use]
    pub const fn to_u16(self) -> u16 {
        self.0
    }

    /// SW1 (ISO/IEC 7816-4 §5.1.3).
    #[must_use]
    pub const fn sw1(self) -> u8 {
        self.to_bytes()[0]
    }

    /// SW2 (ISO/IEC 7816-4 §5.1.3).
    #[must_use]
    pub const fn sw2(self) -> u8 {
        self.to_bytes()[1]
    }

    /// `[SW1, SW2]`, in transmission order (ISO/IEC 7816-4 §5.1.3).
    #[must_use]
    pub const fn to_bytes(self) -> [u8; 2] {
        self.0.to_be_bytes()
    }

    /// 61 XX: `len` response bytes available (ISO/IEC 7816-3 §10.3.3); 256 is coded 00, only the low byte is kept.
    #[must_use]
    pub const fn response_available(len: u16) -> Self {
        Self::new(0x61, len.to_be_bytes()[1])
    }

    /// 9F XX: `len` response bytes available on a classic SIM (TS 51.011 §9.4.1); 256 is coded 00, only the low byte is kept.
    #[must_use]
    pub const fn sim_response_available(len: u16) -> Self {
        Self::new(0x9F, len.to_be_bytes()[1])
    }

    /// 6C XX: wrong Le, `len` bytes available (ISO/IEC 7816-3 §10.3.3); 256 is coded 00, only the low byte is kept.
    #[must_use]
    pub const fn wrong_le(len: u16) -> Self {
        Self::new(0x6C, len.to_be_bytes()[1])
    }

    /// 63 CX: verification failed with `attempts_left` (0–15) left (TS 102 221 §11.1.9).
    #[must_use]
    pub const fn attempts_left(attempts_left: u8) -> Self {
        Self::new(0x63, 0xC0 | (attempts_left & 0x0F))
    }

    /// The processing class, ISO/IEC 7816-4 §5.1.3: 90 00, 61XX, 91XX, 92XX and
    /// 9EXX/9FXX end normally; 62XX and 63XX are warnings; 93 00 is postponed;
    /// everything else, 92 40 and unknown SW1 values included, is an error.
    /// Only 92 XX depends on the card's profile: code that knows it should use
    /// [`StatusWord::class_in`].
    #[must_use]
    pub const fn class(self) -> Class {
        match self.to_bytes() {
            [0x92, 0x40] => Class::Error,
            [0x90, 0x00] | [0x61 | 0x91 | 0x92 | 0x9E | 0x9F, _] => Class::Success,
            [0x62 | 0x63, _] => Class::Warning,
            [0x93, 0x00] => Class::Postponed,
            _ => Class::Error,
        }
    }

    /// The processing class under `profile`, where 92 XX differs: on a classic
    /// SIM 92 0X is success after internal retries (TS 51.011 §9.4.3) and any
    /// other 92 XX, 92 40 (memory problem, §9.4.3) among them, an error; on a
    /// UICC every 92 XX is a normal ending with information on a data transfer
    /// session (TS 102 221 §10.2.1.1), 92 40 included. Every other code, and
    /// every code under [`Profile::Iso7816`], is classed as
    /// [`StatusWord::class`] does.
    #[must_use]
    pub const fn class_in(self, profile: Profile) -> Class {
        match (profile, self.to_bytes()) {
            (Profile::Sim, [0x92, x]) if x & 0xF0 != 0 => Class::Error,
            (Profile::Uicc, [0x92, _]) => Class::Success,
            _ => self.class(),
        }
    }

    /// Whether the command ended normally (see [`StatusWord::class`];
    /// ISO/IEC 7816-4 §5.1.3).
    #[must_use]
    pub const fn is_success(self) -> bool {
        matches!(self.class(), Class::Success)
    }

    /// Whether the command is done with nothing left to fetch: 90 00, or 91 XX
    /// (done, a proactive command pending, which a card whose toolkit runs
    /// gives instead) (TS 102 221 §10.2.1.1, TS 51.011 §9.4.1).
    #[must_use]
    pub const fn is_done(self) -> bool {
        self.0 == Self::SUCCESS.0 || self.sw1() == 0x91
    }

    /// What the transport layer does next, ISO/IEC 7816-3 §10.3.3 and TS 51.011
    /// §9.4.1: 61XX → GET RESPONSE with the command's class and Le = XX;
    /// 9FXX and 9EXX (the data of a SIM data download error) → GET RESPONSE
    /// with class A0; 6CXX → resend with Le = XX; 91XX → a proactive command
    /// waits for FETCH. XX = 00 means 256.
    #[must_use]
    pub const fn action(self) -> Option<Action> {
        let [sw1, sw2] = self.to_bytes();
        let len = if sw2 == 0 { 256 } else { sw2 as u16 };
        match sw1 {
            0x61 => Some(Action::GetResponse { cla: ResponseClass::SameAsCommand, len }),
            0x9E | 0x9F => Some(Action::GetResponse { cla: ResponseClass::Sim, len }),
            0x6C => Some(Action::Resend { le: len }),
            0x91 => Some(Action::Fetch { len }),
            _ => None,
        }
    }

    /// [`StatusWord::action`] for the answer to a command with class `cla` and
    /// instruction `ins`. On a classic SIM (class A0), 67 XX with XX ≠ 00
    /// names the P3 the card wants (TS 51.011 §9.4.6), and for the commands
    /// whose P3 is the length of the card's answer (TS 51.011 §9.2: STATUS,
    /// READ BINARY, READ RECORD, GET RESPONSE, FETCH) that is a resend with
    /// Le = XX, as for 6C XX. Anywhere else 67 XX is only "wrong length"
    /// (ISO/IEC 7816-4 §5.1.3) and nothing is resent: a command that sends data,
    /// a PIN among them, is never repeated with another length.
    #[must_use]
    pub const fn action_for(self, cla: u8, ins: u8) -> Option<Action> {
        match self.to_bytes() {
            [0x67, xx]
                if xx != 0
                    && cla == 0xA0
                    && matches!(
                        ins,
                        ins::STATUS | ins::READ_BINARY | ins::READ_RECORD | ins::GET_RESPONSE | ins::FETCH
                    ) =>
            {
                Some(Action::Resend { le: xx as u16 })
            }
            _ => self.action(),
        }
    }

    /// What this status word, answering VERIFY, CHANGE, DISABLE, ENABLE or
    /// UNBLOCK, says about the secret code (TS 51.011 §9.4.5, TS 102 221 §11.1.9
    /// to §11.1.13). `None` when it says nothing about it (90 00 included).
    ///
    /// Only meaningful for the response to a PIN command: on a UICC, 63 CX after
    /// other commands means success after X internal retries.
    #[must_use]
    pub const fn chv(self, profile: Profile) -> Option<ChvStatus> {
        match (profile, self.to_bytes()) {
            (Profile::Uicc | Profile::Iso7816, [0x63, x]) if x & 0xF0 == 0xC0 => {
                Some(ChvStatus::AttemptsLeft(x & 0x0F))
            }
            (Profile::Uicc | Profile::Iso7816, [0x69, 0x83]) | (Profile::Sim, [0x98, 0x40]) => {
                Some(ChvStatus::Blocked)
            }
            (Profile::Uicc | Profile::Iso7816, [0x69, 0x84 | 0x85]) | (Profile::Sim, [0x98, 0x08]) => {
                Some(ChvStatus::Contradiction)
            }
            (Profile::Sim, [0x98, 0x04]) => Some(ChvStatus::WrongCodeAttemptsRemain),
            (Profile::Sim, [0x98, 0x02]) => Some(ChvStatus::NotInitialised),
            (Profile::Uicc | Profile::Iso7816, [0x69, 0x82]) => Some(ChvStatus::NotVerified),
            _ => None,
        }
    }

    /// The table's meaning of this status word for `profile` (ISO/IEC 7816-4
    /// §5.6, TS 51.011 §9.4, TS 102 221 §10.2.1), or `None` for a code the
    /// table does not know.
    #[must_use]
    pub fn meaning(self, profile: Profile) -> Option<Meaning> {
        self.meaning_for(profile, Answering::Any)
    }

    /// The meaning under `profile` of this status word answering `answering`
    /// commands: for 63 CX and 98 04 the reading that fits the command, for
    /// every other code the same as [`StatusWord::meaning`] (ISO/IEC 7816-4
    /// §5.6, TS 51.011 §9.4.5, TS 102 221 §10.2.1.3).
    #[must_use]
    pub fn meaning_for(self, profile: Profile, answering: Answering) -> Option<Meaning> {
        let [sw1, sw2] = self.to_bytes();
        table::lookup(sw1, sw2, profile, answering).map(|row| Meaning {
            sw: self,
            param: row.param,
            template: row.text,
        })
    }

    /// The meaning when the profile is not known: the first profile, in the
    /// order ISO/IEC 7816-4, UICC, SIM, whose table names this exact code, else
    /// the first whose table has a row for its SW1 (92 40 is a classic SIM's
    /// memory problem, not the UICC's 92 XX) (ISO/IEC 7816-4 §5.6, TS 51.011
    /// §9.4, TS 102 221 §10.2.1). Code that knows the profile should use
    /// [`StatusWord::meaning`].
    #[must_use]
    pub fn meaning_any(self) -> Option<Meaning> {
        let [sw1, sw2] = self.to_bytes();
        let rows = [Profile::Iso7816, Profile::Uicc, Profile::Sim]
            .into_iter()
            .filter_map(move |profile| table::lookup(sw1, sw2, profile, Answering::Any));
        let row = rows.clone().find(|row| row.sw2_mask == 0xFF).or_else(|| rows.clone().next())?;
        Some(Meaning { sw: self, param: row.param, template: row.text })
    }

    /// `"SW1 SW2: meaning"` for `profile`, for people and logs (ISO/IEC 7816-4
    /// §5.6, TS 51.011 §9.4, TS 102 221 §10.2.1). A code `profile`'s table
    /// does not define but ISO/IEC 7816-4 does (6A 82 from a classic SIM, as
    /// cards that also speak ISO answer under class A0) gets the ISO meaning,
    /// marked as such.
    #[must_use]
    pub fn describe(self, profile: Profile) -> Description {
        self.describe_for(profile, Answering::Any)
    }

    /// `"SW1 SW2: meaning"` for `profile` and a status word answering
    /// `answering` commands ([`StatusWord::meaning_for`], with the ISO/IEC
    /// 7816-4 meaning as [`StatusWord::describe`] falls back to it; ISO/IEC
    /// 7816-4 §5.6, TS 51.011 §9.4, TS 102 221 §10.2.1).
    #[must_use]
    pub fn describe_for(self, profile: Profile, answering: Answering) -> Description {
        match self.meaning_for(profile, answering) {
            Some(meaning) => Description { sw: self, meaning: Some(meaning), outside: None },
            None => {
                let iso = self.meaning_for(Profile::Iso7816, answering);
                Description { sw: self, meaning: iso, outside: iso.map(|_| profile) }
            }
        }
    }
}

/// `"6A82"`, `"6A 82"` or `"0x6A82"`: two bytes of hex, separators as
/// [`crate::hex::decode_into`] takes them (the notation of ISO/IEC 7816-4 §5.6).
impl core::str::FromStr for StatusWord {
    type Err = crate::hex::HexError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut buf = [0u8; 2];
        match *crate::hex::decode_into(text, &mut buf)? {
            [sw1, sw2] => Ok(StatusWord::new(sw1, sw2)),
            ref short => Err(crate::hex::HexError::TooShort {
                expected: 2,
                found: short.len(),
                offset: text.chars().count(),
            }),
        }
    }
}

impl From<[u8; 2]> for StatusWord {
    fn from([sw1, sw2]: [u8; 2]) -> Self {
        Self::new(sw1, sw2)
    }
}

impl From<StatusWord> for u16 {
    fn from(sw: StatusWord) -> u16 {
        sw.0
    }
}

impl fmt::Debug for StatusWord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StatusWord({:02X} {:02X})", self.sw1(), self.sw2())
    }
}

/// `"SW1 SW2: meaning"`, using the first profile that knows the code
/// ([`StatusWord::meaning_any`]); `"SW1 SW2: unknown status word"` otherwise.
impl fmt::Display for StatusWord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Description { sw: *self, meaning: self.meaning_any(), outside: None }.fmt(f)
    }
}

/// The processing class of a status word, ISO/IEC 7816-4 §5.1.3 (table 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    /// Normal processing: 90 00, 61XX, 91XX, 92XX (but 92 40), 9EXX, 9FXX
    /// (ISO/IEC 7816-4 table 5; TS 51.011 §9.4.1; TS 102 221 §10.2.1.1).
    Success,
    /// Warning processing: 62XX, 63XX (ISO/IEC 7816-4 table 5).
    Warning,
    /// 93 00: the toolkit is busy and the command was postponed (TS 102 221 §10.2.1.2).
    Postponed,
    /// Execution or checking error, or an unknown code (ISO/IEC 7816-4
    /// table 5).
    Error,
}

/// The class byte of a GET RESPONSE (ISO/IEC 7816-4 §7.6.1, TS 51.011 §9.2.18).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResponseClass {
    /// The class of the command being completed (61XX, ISO/IEC 7816-4 §7.6.1).
    SameAsCommand,
    /// Class A0, for a classic SIM's 9FXX (TS 51.011 §9.2.18).
    Sim,
}

/// What the layer above the transport must do after a status word (ISO/IEC 7816-3 §10.3.3, TS 51.011 §9.4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Send GET RESPONSE (INS C0) asking for `len` bytes (1–256; ISO/IEC 7816-4
    /// §7.6.1).
    GetResponse {
        /// The class byte to use (ISO/IEC 7816-4 §7.6.1, TS 51.011 §9.2.18).
        cla: ResponseClass,
        /// Bytes available, 1–256 (SW2 of 61XX or 9FXX: ISO/IEC 7816-3 §10.3.3,
        /// TS 51.011 §9.4.1).
        len: u16,
    },
    /// Resend the same command with Le = `le` (1–256): 6CXX, or 67XX after
    /// a classic SIM's outgoing command ([`StatusWord::action_for`];
    /// ISO/IEC 7816-3 §10.3.3, TS 51.011 §9.4.6).
    Resend {
        /// The exact length the card offers (ISO/IEC 7816-3 §10.3.3).
        le: u16,
    },
    /// A proactive command of `len` bytes waits for FETCH: 91XX (TS 102 221
    /// §7.4.2.2). The command itself succeeded.
    Fetch {
        /// Length of the proactive command (TS 102 221 §7.4.2.2).
        len: u16,
    },
}

/// What a PIN command's status word says about the secret code (TS 51.011 §9.4.5, TS 102 221 §10.2.1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChvStatus {
    /// 63 CX (UICC): wrong code, X attempts left; X = 0 means it is now blocked
    /// (TS 102 221 §11.1.9).
    AttemptsLeft(u8),
    /// 98 04 (SIM): wrong code, attempts remain, but the count is not in the
    /// status word (read it from the CHV status bytes of the DF, TS 51.011 §9.2.1).
    WrongCodeAttemptsRemain,
    /// 69 83 (UICC) or 98 40 (SIM): the code is blocked (TS 102 221 §11.1.9;
    /// TS 51.011 §9.4.5).
    Blocked,
    /// 98 08 (SIM), 69 84 or 69 85 (UICC): the command contradicts the code's
    /// state (already enabled or disabled, or disabled when verifying;
    /// TS 51.011 §9.4.5, ISO/IEC 7816-4 table 6).
    Contradiction,
    /// 98 02 (SIM): no CHV initialised (TS 51.011 §9.4.5).
    NotInitialised,
    /// 69 82 (UICC): the security status is not satisfied (ISO/IEC 7816-4
    /// table 6); the code must be verified first.
    NotVerified,
}

impl ChvStatus {
    /// Whether no attempt is left: blocked, or 63 C0 (TS 51.011 §9.4.5,
    /// TS 102 221 §10.2.1.3).
    #[must_use]
    pub const fn is_blocked(self) -> bool {
        matches!(self, ChvStatus::Blocked | ChvStatus::AttemptsLeft(0))
    }
}

/// A status word's meaning from the table, with its parameter filled in
/// (ISO/IEC 7816-4 §5.6, TS 51.011 §9.4, TS 102 221 §10.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Meaning {
    sw: StatusWord,
    param: Param,
    template: &'static str,
}

impl Meaning {
    /// The text with `{n}` where the parameter goes, and `{s}` or `{ies}`
    /// where a plural ending follows it (ISO/IEC 7816-4 §5.6, TS 51.011 §9.4,
    /// TS 102 221 §10.2.1).
    #[must_use]
    pub const fn template(&self) -> &'static str {
        self.template
    }

    /// The number taken from SW2 (a length, a counter or a reason), if any
    /// (ISO/IEC 7816-4 §5.6, TS 51.011 §9.4, TS 102 221 §10.2.1).
    #[must_use]
    pub const fn value(&self) -> Option<u16> {
        self.param.value(self.sw.sw2())
    }
}

impl fmt::Display for Meaning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let one = self.value() == Some(1);
        let mut rest = self.template;
        while let Some(start) = rest.find('{') {
            let (before, token) = rest.split_at(start);
            f.write_str(before)?;
            let end = token.find('}').map_or(token.len(), |i| i + 1);
            let (token, after) = token.split_at(end);
            match (token, self.value()) {
                ("{n}", Some(n)) => write!(f, "{n}")?,
                ("{n}", None) => f.write_str("?")?,
                ("{s}", _) => f.write_str(if one { "" } else { "s" })?,
                ("{ies}", _) => f.write_str(if one { "y" } else { "ies" })?,
                _ => f.write_str(token)?,
            }
            rest = after;
        }
        f.write_str(rest)
    }
}

/// `"SW1 SW2: meaning"`, from [`StatusWord::describe`] (ISO/IEC 7816-4 §5.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Description {
    sw: StatusWord,
    meaning: Option<Meaning>,
    /// The profile whose table lacks the code, when `meaning` is ISO/IEC 7816-4's.
    outside: Option<Profile>,
}

impl Description {
    /// The meaning, or `None` for an unknown code: the profile's, or ISO/IEC
    /// 7816-4's when the profile's table lacks the code
    /// ([`Description::is_iso_fallback`]) (ISO/IEC 7816-4 §5.6,
    /// TS 51.011 §9.4, TS 102 221 §10.2.1).
    #[must_use]
    pub const fn meaning(&self) -> Option<Meaning> {
        self.meaning
    }

    /// Whether the meaning is ISO/IEC 7816-4's, for a code the profile's own
    /// table does not define (ISO/IEC 7816-4 §5.6, TS 51.011 §9.4).
    #[must_use]
    pub const fn is_iso_fallback(&self) -> bool {
        self.outside.is_some()
    }
}

impl fmt::Display for Description {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02X} {:02X}: ", self.sw.sw1(), self.sw.sw2())?;
        match (&self.meaning, self.outside) {
            (Some(meaning), Some(profile)) => {
                write!(f, "{meaning} (ISO/IEC 7816-4; not a {} code)", profile.name())
            }
            (Some(meaning), None) => meaning.fmt(f),
            (None, _) => f.write_str("unknown status word"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::table::{Profiles, TABLE};
    use super::*;

    /// Every row can be reached: no earlier row for one of its profiles
    /// shadows it completely, for the commands it answers.
    #[test]
    fn no_row_is_shadowed() {
        for (i, row) in TABLE.iter().enumerate() {
            for profile in [Profile::Iso7816, Profile::Sim, Profile::Uicc] {
                if !row.profiles.intersects(Profiles::of(profile)) {
                    continue;
                }
                let reachable = (0..=255u8).filter(|sw2| sw2 & row.sw2_mask == row.sw2).any(|sw2| {
                    let found = table::lookup(row.sw1, sw2, profile, row.answering).unwrap();
                    core::ptr::eq(found, row)
                });
                assert!(reachable, "row {i} ({:02X} {}) is shadowed for {profile:?}", row.sw1, row.text);
            }
        }
    }

    /// A row for some commands only always has a row for any command after
    /// it: knowing the command never makes a known code unknown, or the reverse.
    #[test]
    fn the_command_never_changes_whether_a_code_is_known() {
        for code in 0..=u16::MAX {
            let sw = StatusWord::from_u16(code);
            for profile in [Profile::Iso7816, Profile::Sim, Profile::Uicc] {
                let known = sw.meaning(profile).is_some();
                for answering in [Answering::PinCommand, Answering::OtherCommand] {
                    assert_eq!(sw.meaning_for(profile, answering).is_some(), known, "{sw:?} {profile:?}");
                }
            }
        }
    }

    #[test]
    fn the_command_picks_the_reading_of_63_cx_and_98_04() {
        // TS 102 221 §10.2.1.3: 63 C2 after VERIFY is the count; after another
        // command, retries. TS 51.011 §9.4.5: 98 04 after READ BINARY is the
        // access condition, after VERIFY a wrong code.
        let uicc =
            |ins| StatusWord::new(0x63, 0xC2).describe_for(Profile::Uicc, Answering::of_ins(ins)).to_string();
        assert_eq!(uicc(ins::VERIFY), "63 C2: 2 attempts left for the code (0: it is blocked)");
        assert_eq!(uicc(ins::READ_BINARY), "63 C2: success after 2 internal retries");
        let sim =
            |ins| StatusWord::new(0x98, 0x04).describe_for(Profile::Sim, Answering::of_ins(ins)).to_string();
        assert!(sim(ins::READ_BINARY).starts_with("98 04: access condition not fulfilled"));
        assert!(sim(ins::UNBLOCK).starts_with("98 04: wrong code"));
        // Without the command, the meaning names both readings, as before.
        assert_eq!(
            StatusWord::new(0x98, 0x04).meaning_for(Profile::Sim, Answering::Any),
            StatusWord::new(0x98, 0x04).meaning(Profile::Sim)
        );
        // Codes with one meaning do not change.
        for answering in [Answering::PinCommand, Answering::OtherCommand] {
            assert_eq!(
                StatusWord::SUCCESS.meaning_for(Profile::Uicc, answering),
                StatusWord::SUCCESS.meaning(Profile::Uicc)
            );
        }
    }

    #[test]
    fn every_template_with_a_number_has_a_parameter() {
        for row in TABLE {
            assert_eq!(row.text.contains("{n}"), row.param != Param::None, "{}", row.text);
        }
    }
}
