//! The life cycle status byte of ISO/IEC 7816-4:2005 §5.3.3.2 table 13, the
//! one table for both places it appears: the status indicator of the ATR's
//! historical bytes (ISO/IEC 7816-4 §8.1.1.3) and the LCSI object `8A` of a
//! UICC's FCP template (TS 102 221 §11.1.1.4.9).
//!
//! ```
//! use simcore::lcs::LifeCycleStatus;
//! assert_eq!(LifeCycleStatus::from_byte(0x07), LifeCycleStatus::Activated);
//! assert_eq!(LifeCycleStatus::Activated.to_byte(), 0x05);
//! assert_eq!(LifeCycleStatus::from_byte(0x0D).to_string(), "termination state");
//! ```

use core::fmt;

/// The life cycle status byte (ISO/IEC 7816-4:2005 §5.3.3.2 table 13; digest
/// §1.8; TS 102 221 §11.1.1.4.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LifeCycleStatus {
    /// `00`: no information given (§5.3.3.2 table 13).
    NoInformation,
    /// `01`: creation state (§5.3.3.2 table 13).
    Creation,
    /// `03`: initialisation state (§5.3.3.2 table 13).
    Initialisation,
    /// `05`, `07`: operational state, activated (§5.3.3.2 table 13).
    Activated,
    /// `04`, `06`: operational state, deactivated (§5.3.3.2 table 13).
    Deactivated,
    /// `0C`–`0F`: termination state (§5.3.3.2 table 13).
    Terminated,
    /// `10`–`FF`: proprietary (§5.3.3.2 table 13).
    Proprietary(u8),
    /// `02`, `08`–`0B`: reserved for future use (§5.3.3.2 table 13).
    Reserved(u8),
}

impl LifeCycleStatus {
    /// Decodes an LCS byte (ISO/IEC 7816-4 table 13).
    #[must_use]
    pub const fn from_byte(byte: u8) -> Self {
        match byte {
            0x00 => LifeCycleStatus::NoInformation,
            0x01 => LifeCycleStatus::Creation,
            0x03 => LifeCycleStatus::Initialisation,
            0x05 | 0x07 => LifeCycleStatus::Activated,
            0x04 | 0x06 => LifeCycleStatus::Deactivated,
            0x0C..=0x0F => LifeCycleStatus::Terminated,
            0x10..=0xFF => LifeCycleStatus::Proprietary(byte),
            _ => LifeCycleStatus::Reserved(byte),
        }
    }

    /// The usual byte for the state (`05` activated, `04` deactivated, `0C`
    /// terminated; proprietary and reserved bytes as read) (ISO/IEC 7816-4
    /// table 13).
    #[must_use]
    pub const fn to_byte(self) -> u8 {
        match self {
            LifeCycleStatus::NoInformation => 0x00,
            LifeCycleStatus::Creation => 0x01,
            LifeCycleStatus::Initialisation => 0x03,
            LifeCycleStatus::Activated => 0x05,
            LifeCycleStatus::Deactivated => 0x04,
            LifeCycleStatus::Terminated => 0x0C,
            LifeCycleStatus::Proprietary(b) | LifeCycleStatus::Reserved(b) => b,
        }
    }
}

/// The state's name as ISO/IEC 7816-4 table 13 gives it.
impl fmt::Display for LifeCycleStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LifeCycleStatus::NoInformation => "no information given",
            LifeCycleStatus::Creation => "creation state",
            LifeCycleStatus::Initialisation => "initialisation state",
            LifeCycleStatus::Activated => "operational state, activated",
            LifeCycleStatus::Deactivated => "operational state, deactivated",
            LifeCycleStatus::Terminated => "termination state",
            LifeCycleStatus::Proprietary(_) => "proprietary",
            LifeCycleStatus::Reserved(_) => "reserved for future use",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::LifeCycleStatus;

    #[test]
    fn table_13() {
        // ISO/IEC 7816-4 table 13 as printed by pcsc-tools `lcs()` (digest §1.8).
        assert_eq!(LifeCycleStatus::from_byte(0x00), LifeCycleStatus::NoInformation);
        assert_eq!(LifeCycleStatus::from_byte(0x01), LifeCycleStatus::Creation);
        assert_eq!(LifeCycleStatus::from_byte(0x03), LifeCycleStatus::Initialisation);
        assert_eq!(LifeCycleStatus::from_byte(0x07), LifeCycleStatus::Activated);
        assert_eq!(LifeCycleStatus::from_byte(0x05), LifeCycleStatus::Activated);
        assert_eq!(LifeCycleStatus::from_byte(0x06), LifeCycleStatus::Deactivated);
        assert_eq!(LifeCycleStatus::from_byte(0x04), LifeCycleStatus::Deactivated);
        assert_eq!(LifeCycleStatus::from_byte(0x0D), LifeCycleStatus::Terminated);
        assert_eq!(LifeCycleStatus::from_byte(0x10), LifeCycleStatus::Proprietary(0x10));
        assert_eq!(LifeCycleStatus::from_byte(0x02), LifeCycleStatus::Reserved(0x02));
        assert_eq!(LifeCycleStatus::from_byte(0x0B), LifeCycleStatus::Reserved(0x0B));
    }

    #[test]
    fn every_byte_reads_back_as_the_same_state() {
        // Not the same byte: 07 reads as Activated, written back as 05
        // (ISO/IEC 7816-4 §5.3.3.2 table 13 codes a state with several bytes).
        for b in 0..=u8::MAX {
            let lcs = LifeCycleStatus::from_byte(b);
            assert_eq!(LifeCycleStatus::from_byte(lcs.to_byte()), lcs, "{b:02X}");
        }
    }
}
