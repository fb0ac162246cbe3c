//! The command set a card speaks: plain ISO/IEC 7816-4, the classic GSM SIM of
//! 3GPP TS 51.011, or the UICC of ETSI TS 102 221.
//!
//! The same status word means different things in each (98 04 exists only on a
//! classic SIM; 63 CX is the UICC's way to report PIN attempts), and the same
//! operation is coded differently (CLA A0 against CLA 00, the TS 51.011 SELECT
//! response against the FCP template). This enum is the one switch between
//! them; every table that depends on it takes it as a parameter rather than
//! being copied per profile.

use core::fmt;

/// The command set and status-word dialect of a card.
///
/// A session against a telecom card detects [`Profile::Sim`] or
/// [`Profile::Uicc`]; [`Profile::Iso7816`] is for any other ISO/IEC 7816-4 card
/// and for status words seen without context.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Profile {
    /// Generic interindustry commands and status words, ISO/IEC 7816-4 §5.
    Iso7816,
    /// Classic GSM SIM, 3GPP TS 51.011 (GSM 11.11): CLA A0, status words §9.4.
    Sim,
    /// UICC, ETSI TS 102 221: CLA 00/80, status words §10.2.1.
    Uicc,
}

impl Profile {
    /// The class byte of interindustry commands on the basic logical channel:
    /// A0 for a classic SIM (TS 51.011 §9.2), 00 otherwise (ISO/IEC 7816-4 §5.4.1).
    #[must_use]
    pub const fn cla(self) -> u8 {
        match self {
            Profile::Sim => 0xA0,
            Profile::Iso7816 | Profile::Uicc => 0x00,
        }
    }

    /// The class byte of proprietary commands (STATUS, FETCH, …): A0 on a
    /// classic SIM (TS 51.011 §9.2), 80 on a UICC (TS 102 221 §10.1.1).
    #[must_use]
    pub const fn proprietary_cla(self) -> u8 {
        match self {
            Profile::Sim => 0xA0,
            Profile::Iso7816 | Profile::Uicc => 0x80,
        }
    }

    /// A short human name: "ISO/IEC 7816-4", "SIM (TS 51.011)" or "UICC (TS 102 221)".
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Profile::Iso7816 => "ISO/IEC 7816-4",
            Profile::Sim => "SIM (TS 51.011)",
            Profile::Uicc => "UICC (TS 102 221)",
        }
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
