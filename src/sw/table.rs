//! The one table of status-word meanings: ISO/IEC 7816-4 §5.6 (tables 5 and 6),
//! 3GPP TS 51.011 §9.4 and ETSI TS 102 221 §10.2.1.
//!
//! Each row names the profiles it holds for. Rows are searched in order and the
//! first row that matches the status word and the profile wins, so a specific
//! row (`6F 00`) stands before a general one (`6F XX`). The virtual SIM and the
//! host side read this same table.

use super::Answering;
use crate::profile::Profile;

bitflags::bitflags! {
    /// The profiles a table row holds for.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(crate) struct Profiles: u8 {
        /// ISO/IEC 7816-4.
        const ISO = 0b001;
        /// TS 51.011 classic SIM.
        const SIM = 0b010;
        /// TS 102 221 UICC.
        const UICC = 0b100;
        /// ISO/IEC 7816-4 and the UICC, which inherits its interindustry codes.
        const ISO_UICC = Self::ISO.bits() | Self::UICC.bits();
        /// The two telecom profiles.
        const TELECOM = Self::SIM.bits() | Self::UICC.bits();
        /// All three.
        const ALL = Self::ISO.bits() | Self::SIM.bits() | Self::UICC.bits();
    }
}

impl Profiles {
    pub(crate) const fn of(profile: Profile) -> Self {
        match profile {
            Profile::Iso7816 => Profiles::ISO,
            Profile::Sim => Profiles::SIM,
            Profile::Uicc => Profiles::UICC,
        }
    }
}

/// How a row's text uses the variable part of SW2 (ISO/IEC 7816-4 §5.6, TS 51.011 §9.4, TS 102 221 §10.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Param {
    /// The meaning has no number in it (ISO/IEC 7816-4 §5.6, TS 51.011 §9.4,
    /// TS 102 221 §10.2.1).
    None,
    /// SW2 is a byte count; 00 means 256 (61XX, 6CXX, 9FXX, 91XX, 9EXX;
    /// ISO/IEC 7816-4 §5.6, TS 51.011 §9.4, TS 102 221 §10.2.1).
    Length,
    /// SW2 is a number 0–255 with no special zero (67XX, 6FXX, …;
    /// ISO/IEC 7816-4 §5.6, TS 51.011 §9.4, TS 102 221 §10.2.1).
    Byte,
    /// The low nibble of SW2 is a counter (63CX, 920X; ISO/IEC 7816-4 §5.6,
    /// TS 51.011 §9.4, TS 102 221 §10.2.1).
    Counter,
}

impl Param {
    /// The number this parameter takes from `sw2`, when it has one
    /// (ISO/IEC 7816-4 §5.6, TS 51.011 §9.4, TS 102 221 §10.2.1).
    #[must_use]
    pub const fn value(self, sw2: u8) -> Option<u16> {
        match self {
            Param::None => None,
            Param::Length => Some(if sw2 == 0 { 256 } else { sw2 as u16 }),
            Param::Byte => Some(sw2 as u16),
            Param::Counter => Some((sw2 & 0x0F) as u16),
        }
    }
}

/// One row: SW1, then SW2 matched under a mask.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Row {
    /// SW1 (ISO/IEC 7816-4 §5.6).
    pub sw1: u8,
    /// The bits of SW2 this row fixes; the others are its parameter (ISO/IEC 7816-4 §5.6).
    pub sw2_mask: u8,
    /// SW2 under the mask (ISO/IEC 7816-4 §5.6).
    pub sw2: u8,
    /// The card profiles that answer it (TS 51.011 §9.4, TS 102 221 §10.2.1).
    pub profiles: Profiles,
    /// What SW2's free bits carry (a length, a count: ISO/IEC 7816-4 §5.6).
    pub param: Param,
    /// Plain English; `{n}` stands for the parameter's value, `{s}` and `{ies}`
    /// for the plural endings it takes (none and `y` when it is 1); the
    /// meaning the clause of `profiles` gives (TS 51.011 §9.4, TS 102 221
    /// §10.2.1, ISO/IEC 7816-4 §5.6).
    pub text: &'static str,
    /// The commands the text is for; [`Answering::Any`] rows cover every reading
    /// (63 CX: TS 102 221 §10.2.1.3; 98 04: TS 51.011 §9.4.5).
    pub answering: Answering,
}

impl Row {
    pub(crate) const fn matches(&self, sw1: u8, sw2: u8, profiles: Profiles, answering: Answering) -> bool {
        self.sw1 == sw1
            && sw2 & self.sw2_mask == self.sw2
            && self.profiles.intersects(profiles)
            && matches!(
                (self.answering, answering),
                (Answering::Any, _)
                    | (Answering::PinCommand, Answering::PinCommand)
                    | (Answering::OtherCommand, Answering::OtherCommand)
            )
    }

    /// The same row, for `answering` commands only; it must stand before the
    /// row for any command that covers every reading.
    const fn answering(self, answering: Answering) -> Row {
        Row { answering, ..self }
    }
}

const fn exact(sw1: u8, sw2: u8, profiles: Profiles, text: &'static str) -> Row {
    Row { sw1, sw2_mask: 0xFF, sw2, profiles, param: Param::None, text, answering: Answering::Any }
}

const fn any(sw1: u8, profiles: Profiles, param: Param, text: &'static str) -> Row {
    Row { sw1, sw2_mask: 0x00, sw2: 0x00, profiles, param, text, answering: Answering::Any }
}

const fn nibble(sw1: u8, high: u8, profiles: Profiles, text: &'static str) -> Row {
    Row { sw1, sw2_mask: 0xF0, sw2: high, profiles, param: Param::Counter, text, answering: Answering::Any }
}

use Profiles as P;

/// Every status word simcore knows. Sources per row group are the clauses above;
/// ../shared/spec/digest.md §2.5, §3.4 and §4.8 hold the same lists.
pub(crate) static TABLE: &[Row] = &[
    // Normal processing (ISO/IEC 7816-4 table 5; TS 51.011 §9.4.1; TS 102 221 §10.2.1.1), and the
    // classic SIM's 92 XX beside the UICC's (TS 51.011 §9.4.3, memory management).
    exact(0x90, 0x00, P::ALL, "normal ending of the command"),
    any(0x61, P::ISO_UICC, Param::Length, "{n} response byte{s} available (GET RESPONSE)"),
    any(0x91, P::TELECOM, Param::Length, "normal ending; proactive command of {n} byte{s} pending (FETCH)"),
    exact(0x92, 0x40, P::SIM, "memory problem"),
    nibble(0x92, 0x00, P::SIM, "command successful after {n} internal update retr{ies}"),
    any(0x92, P::UICC, Param::Byte, "normal ending; information on an ongoing data transfer session ({n})"),
    exact(0x93, 0x00, P::TELECOM, "SIM Application Toolkit busy: command postponed"),
    any(
        0x9E,
        P::SIM,
        Param::Length,
        "{n} response byte{s} available after a data download error (GET RESPONSE)",
    ),
    any(0x9F, P::SIM, Param::Length, "{n} response byte{s} available (GET RESPONSE)"),
    // Warnings, non-volatile memory unchanged (ISO/IEC 7816-4 table 6; TS 102 221 §10.2.1.3).
    exact(0x62, 0x00, P::ISO_UICC, "warning: no information given, non-volatile memory unchanged"),
    exact(0x62, 0x81, P::ISO_UICC, "warning: part of the returned data may be corrupted"),
    exact(
        0x62,
        0x82,
        P::ISO_UICC,
        "warning: end of file or record reached before reading Le bytes, or unsuccessful search",
    ),
    exact(0x62, 0x83, P::ISO_UICC, "warning: selected file invalidated (deactivated)"),
    exact(0x62, 0x84, P::ISO_UICC, "warning: file control information not formatted per ISO/IEC 7816-4"),
    exact(0x62, 0x85, P::ISO_UICC, "warning: selected file in termination state"),
    exact(0x62, 0x86, P::ISO, "warning: no input data available from a sensor on the card"),
    exact(0x62, 0xF1, P::UICC, "warning: more data available"),
    exact(0x62, 0xF2, P::UICC, "warning: more data available and proactive command pending"),
    exact(0x62, 0xF3, P::UICC, "warning: response data available"),
    // Warnings, non-volatile memory changed.
    exact(0x63, 0x00, P::ISO_UICC, "warning: no information given, non-volatile memory changed"),
    exact(0x63, 0x81, P::ISO, "warning: file filled up by the last write"),
    // 63 CX: the PIN's count after VERIFY and its kin (TS 102 221 §11.1.9,
    // §10.2.1.3), internal retries after other commands (ISO/IEC 7816-4 table 6).
    nibble(0x63, 0xC0, P::ISO_UICC, "{n} attempt{s} left for the code (0: it is blocked)")
        .answering(Answering::PinCommand),
    nibble(0x63, 0xC0, P::UICC, "success after {n} internal retr{ies}").answering(Answering::OtherCommand),
    nibble(
        0x63,
        0xC0,
        P::UICC,
        "verification failed: {n} attempt{s} left (other commands: success after {n} internal retr{ies})",
    ),
    nibble(0x63, 0xC0, P::ISO, "warning: counter {n} (its meaning depends on the command)"),
    exact(0x63, 0xF1, P::UICC, "warning: more data expected"),
    exact(0x63, 0xF2, P::UICC, "warning: more data expected and proactive command pending"),
    // Execution errors (ISO/IEC 7816-4 table 6; TS 102 221 §10.2.1.4).
    exact(0x64, 0x00, P::ISO_UICC, "execution error: non-volatile memory unchanged"),
    exact(0x64, 0x01, P::ISO, "execution error: immediate response required by the card"),
    exact(0x65, 0x00, P::ISO_UICC, "execution error: non-volatile memory changed"),
    exact(0x65, 0x81, P::ISO_UICC, "execution error: memory problem"),
    // Checking errors.
    any(0x67, P::SIM, Param::Byte, "incorrect parameter P3 (correct length {n}; 0 gives no hint)"),
    exact(0x67, 0x00, P::ISO_UICC, "wrong length"),
    any(0x67, P::UICC, Param::Byte, "wrong length, command-dependent reason {n}"),
    exact(0x68, 0x00, P::ISO_UICC, "functions in CLA not supported"),
    exact(0x68, 0x81, P::ISO_UICC, "logical channel not supported"),
    exact(0x68, 0x82, P::ISO_UICC, "secure messaging not supported"),
    exact(0x68, 0x83, P::ISO, "last command of the chain expected"),
    exact(0x68, 0x84, P::ISO, "command chaining not supported"),
    exact(0x69, 0x00, P::ISO_UICC, "command not allowed, no information given"),
    exact(0x69, 0x81, P::ISO_UICC, "command incompatible with the file structure"),
    exact(
        0x69,
        0x82,
        P::ISO_UICC,
        "security status not satisfied (a PIN to verify first, or another access condition)",
    ),
    exact(0x69, 0x83, P::ISO_UICC, "authentication method blocked (PIN or PUK blocked)"),
    exact(0x69, 0x84, P::ISO_UICC, "referenced data not usable (invalidated, or PIN disabled)"),
    exact(0x69, 0x85, P::ISO_UICC, "conditions of use not satisfied"),
    exact(0x69, 0x86, P::ISO_UICC, "command not allowed: no current EF"),
    exact(0x69, 0x87, P::ISO, "expected secure messaging data objects missing"),
    exact(0x69, 0x88, P::ISO, "incorrect secure messaging data objects"),
    exact(0x69, 0x89, P::UICC, "command not allowed: secure channel security not satisfied"),
    exact(0x6A, 0x80, P::ISO_UICC, "incorrect parameters in the data field"),
    exact(0x6A, 0x81, P::ISO_UICC, "function not supported"),
    exact(0x6A, 0x82, P::ISO_UICC, "file or application not found"),
    exact(0x6A, 0x83, P::ISO_UICC, "record not found"),
    exact(0x6A, 0x84, P::ISO_UICC, "not enough memory space"),
    exact(0x6A, 0x85, P::ISO, "Nc inconsistent with TLV structure"),
    exact(0x6A, 0x86, P::ISO_UICC, "incorrect parameters P1-P2"),
    exact(0x6A, 0x87, P::ISO_UICC, "Lc inconsistent with P1-P2"),
    exact(0x6A, 0x88, P::ISO_UICC, "referenced data not found (e.g. unknown key reference)"),
    exact(0x6A, 0x89, P::ISO, "file already exists"),
    exact(0x6A, 0x8A, P::ISO, "DF name already exists"),
    any(0x6B, P::SIM, Param::None, "incorrect parameter P1 or P2"),
    exact(0x6B, 0x00, P::ISO_UICC, "wrong parameters P1-P2"),
    any(0x6C, P::ISO_UICC, Param::Length, "wrong Le: {n} byte{s} available (resend with Le = {n})"),
    any(0x6D, P::SIM, Param::None, "unknown instruction code"),
    exact(0x6D, 0x00, P::ISO_UICC, "instruction code not supported or invalid"),
    any(0x6E, P::SIM, Param::None, "wrong instruction class"),
    exact(0x6E, 0x00, P::ISO_UICC, "class not supported"),
    any(0x6F, P::SIM, Param::None, "technical problem with no diagnostic given"),
    exact(0x6F, 0x00, P::ISO_UICC, "technical problem, no precise diagnosis"),
    any(0x6F, P::UICC, Param::Byte, "technical problem, command-dependent reason {n}"),
    // TS 51.011 §9.4.3–9.4.5: memory management, referencing, security.
    exact(0x94, 0x00, P::SIM, "no EF selected"),
    exact(0x94, 0x02, P::SIM, "out of range (invalid address or record)"),
    exact(0x94, 0x04, P::SIM, "file ID not found, or pattern not found"),
    exact(0x94, 0x08, P::SIM, "file inconsistent with the command"),
    exact(0x98, 0x02, P::SIM, "no CHV initialised"),
    // TS 51.011 §9.4.5: 98 04 answers a wrong code, and refuses other commands.
    exact(0x98, 0x04, P::SIM, "wrong code: attempts remain (how many, STATUS says)")
        .answering(Answering::PinCommand),
    exact(
        0x98,
        0x04,
        P::SIM,
        "access condition not fulfilled (a PIN to verify first), or authentication failed",
    )
    .answering(Answering::OtherCommand),
    exact(
        0x98,
        0x04,
        P::SIM,
        "wrong PIN with attempts left, or access condition not fulfilled, or authentication failed",
    ),
    exact(0x98, 0x08, P::SIM, "in contradiction with CHV status"),
    exact(0x98, 0x10, P::SIM, "in contradiction with invalidation status"),
    exact(
        0x98,
        0x40,
        P::SIM,
        "no attempt left: CHV or UNBLOCK CHV blocked (by this wrong code, or before it)",
    ),
    exact(0x98, 0x50, P::TELECOM, "INCREASE cannot be performed: maximum value reached"),
    // TS 102 221 §10.2.1.5: application errors.
    exact(0x98, 0x62, P::UICC, "authentication error, application specific (MAC failure)"),
    exact(0x98, 0x63, P::UICC, "security session or association expired"),
    exact(0x98, 0x64, P::UICC, "minimum UICC suspension time is too long"),
];

/// The first row for `sw1 sw2` under `profile`, answering `answering` commands.
pub(crate) fn lookup(sw1: u8, sw2: u8, profile: Profile, answering: Answering) -> Option<&'static Row> {
    let profiles = Profiles::of(profile);
    TABLE.iter().find(|row| row.matches(sw1, sw2, profiles, answering))
}
