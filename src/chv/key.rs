//! Which secret code a command addresses: UICC key references (ETSI TS 102 221
//! table 9.3) and the classic SIM's CHV numbers (TS 51.011 §9.2.9).

use super::ChvError;
use core::fmt;

/// A key reference of TS 102 221 table 9.3, the P2 of the PIN commands
/// (§11.1.9.3, table 11.15): b8 = 0 for a global reference, 1 for a specific
/// (application) one; b5–b1 the number.
///
/// | Value | Secret |
/// |---|---|
/// | 01–08 | PIN Appl 1–8 (01 is "PIN1") |
/// | 0A–0E | ADM1–ADM5 |
/// | 11 | universal PIN |
/// | 81–88 | second PIN Appl 1–8 (81 is "PIN2") |
/// | 8A–8E | ADM6–ADM10 |
///
/// Every other value is reserved and refused by [`KeyReference::new`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyReference(u8);

impl KeyReference {
    /// PIN1: PIN Appl 1, key reference 01 (CHV1 on a classic SIM) (TS 102 221 table 9.3).
    pub const PIN1: Self = Self(0x01);
    /// PIN2: second PIN Appl 1, key reference 81 (CHV2 on a classic SIM) (TS 102 221 table 9.3).
    pub const PIN2: Self = Self(0x81);
    /// The universal PIN, key reference 11 (UICC only) (TS 102 221 table 9.3).
    pub const UNIVERSAL_PIN: Self = Self(0x11);
    /// ADM1, key reference 0A: the first administrative code (TS 102 221 table 9.3).
    pub const ADM1: Self = Self(0x0A);

    /// A key reference from its value.
    ///
    /// # Errors
    /// [`ChvError::ReservedKeyReference`] for a value TS 102 221 table 9.3 does not assign.
    pub const fn new(value: u8) -> Result<Self, ChvError> {
        match value {
            0x01..=0x08 | 0x0A..=0x0E | 0x11 | 0x81..=0x88 | 0x8A..=0x8E => Ok(Self(value)),
            _ => Err(ChvError::ReservedKeyReference { value }),
        }
    }

    /// PIN Appl `n` (1–8): key reference 01–08 (TS 102 221 table 9.3).
    ///
    /// # Errors
    /// [`ChvError::ReservedKeyReference`] outside 1–8.
    pub const fn pin_appl(n: u8) -> Result<Self, ChvError> {
        match n {
            1..=8 => Ok(Self(n)),
            _ => Err(ChvError::ReservedKeyReference { value: n }),
        }
    }

    /// Second PIN Appl `n` (1–8): key reference 81–88 (TS 102 221 table 9.3).
    ///
    /// # Errors
    /// [`ChvError::ReservedKeyReference`] outside 1–8.
    pub const fn second_pin_appl(n: u8) -> Result<Self, ChvError> {
        match n {
            1..=8 => Ok(Self(0x80 | n)),
            _ => Err(ChvError::ReservedKeyReference { value: 0x80 | (n & 0x7F) }),
        }
    }

    /// ADM`n` (1–10): key reference 0A–0E for ADM1–ADM5, 8A–8E for ADM6–ADM10 (TS 102 221 table
    /// 9.3).
    ///
    /// # Errors
    /// [`ChvError::ReservedKeyReference`] outside 1–10.
    pub const fn adm(n: u8) -> Result<Self, ChvError> {
        match n {
            1..=5 => Ok(Self(0x09 + n)),
            6..=10 => Ok(Self(0x84 + n)),
            _ => Err(ChvError::ReservedKeyReference { value: n }),
        }
    }

    /// The byte sent in P2 (TS 102 221 §11.1.9.3, table 11.15).
    #[must_use]
    pub const fn value(self) -> u8 {
        self.0
    }

    /// Whether the reference is global (b8 = 0: PIN Appl, ADM1–5, universal PIN)
    /// rather than specific to an application (b8 = 1) (TS 102 221 table 11.15).
    #[must_use]
    pub const fn is_global(self) -> bool {
        self.0 & 0x80 == 0
    }

    /// Whether this is an administrative code (ADM1–ADM10) (TS 102 221 table 9.3).
    #[must_use]
    pub const fn is_adm(self) -> bool {
        matches!(self.0 & 0x7F, 0x0A..=0x0E)
    }

    /// What this code costs once its unblock code is blocked for good, in
    /// words for a person (see [`UnblockLoss`]; a blocked unblock code is
    /// permanent, TS 102 221 §11.1.13.1.1).
    #[must_use]
    pub const fn unblock_loss(self) -> UnblockLoss {
        UnblockLoss(self)
    }

    /// The classic SIM's CHV for this reference: CHV1 for PIN1, CHV2 for PIN2
    /// (TS 51.011 §9.2.9, TS 102 221 table 9.3).
    #[must_use]
    pub const fn chv(self) -> Option<Chv> {
        match self.0 {
            0x01 => Some(Chv::Chv1),
            0x81 => Some(Chv::Chv2),
            _ => None,
        }
    }
}

/// What a code costs once its unblock code is blocked for good. PIN1 (an
/// application's PIN, 01–08) and the universal PIN (11) guard the card (TS
/// 51.011 §9.3, TS 102 221 §9.4.1 and table 9.3): "the card is unusable and
/// must be replaced by the operator". A second application PIN (81–88, PIN2)
/// guards only what has it as access condition, such as fixed dialling numbers
/// (TS 51.011 §10.5.2, TS 31.102 §4.2.24): the card still works. An ADM code
/// guards the issuer's administration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UnblockLoss(KeyReference);

impl fmt::Display for UnblockLoss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key = self.0;
        if key.is_adm() {
            write!(f, "{key} can never be unblocked")
        } else if !key.is_global() {
            write!(
                f,
                "{key} can never be unblocked, so what it guards (such as fixed dialling numbers) is \
                 lost; the card itself still works"
            )
        } else {
            f.write_str("the card is unusable and must be replaced by the operator")
        }
    }
}

/// "PIN1", "PIN2", "PIN Appl 3", "second PIN Appl 3", "universal PIN", "ADM1" …
impl fmt::Display for KeyReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            0x01 => f.write_str("PIN1"),
            0x81 => f.write_str("PIN2"),
            0x11 => f.write_str("universal PIN"),
            n @ 0x0A..=0x0E => write!(f, "ADM{}", n - 0x09),
            n @ 0x8A..=0x8E => write!(f, "ADM{}", n - 0x84),
            n @ 0x02..=0x08 => write!(f, "PIN Appl {n}"),
            n @ 0x82..=0x88 => write!(f, "second PIN Appl {}", n & 0x7F),
            n => write!(f, "key reference {n:02X}"),
        }
    }
}

/// `KeyReference(81 PIN2)`.
impl fmt::Debug for KeyReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyReference({:02X} {self})", self.0)
    }
}

impl TryFrom<u8> for KeyReference {
    type Error = ChvError;
    fn try_from(value: u8) -> Result<Self, ChvError> {
        KeyReference::new(value)
    }
}

/// The classic SIM's card holder verification codes, TS 51.011 §9.2.9: the
/// number is P2 of VERIFY and CHANGE CHV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Chv {
    /// CHV1, the PIN that guards the subscriber's files (TS 51.011 §9.2.9).
    Chv1,
    /// CHV2, guarding the fixed dialling numbers and charging files (TS 51.011 §9.2.9).
    Chv2,
}

impl Chv {
    /// The CHV number: 1 or 2 (P2 of VERIFY and CHANGE CHV) (TS 51.011 §9.2.9).
    #[must_use]
    pub const fn number(self) -> u8 {
        match self {
            Chv::Chv1 => 1,
            Chv::Chv2 => 2,
        }
    }

    /// P2 of UNBLOCK CHV (TS 51.011 §9.2.13): 00 for CHV1, 02 for CHV2.
    #[must_use]
    pub const fn unblock_p2(self) -> u8 {
        match self {
            Chv::Chv1 => 0x00,
            Chv::Chv2 => 0x02,
        }
    }

    /// The UICC key reference playing the same role: PIN1 (01) or PIN2 (81) (TS 102 221 table 9.3).
    #[must_use]
    pub const fn key_reference(self) -> KeyReference {
        match self {
            Chv::Chv1 => KeyReference::PIN1,
            Chv::Chv2 => KeyReference::PIN2,
        }
    }
}

impl From<Chv> for KeyReference {
    fn from(chv: Chv) -> Self {
        chv.key_reference()
    }
}

impl fmt::Display for Chv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CHV{}", self.number())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    /// TS 102 221 table 9.3, as listed in the digest §4.4.
    #[test]
    fn table_9_3() {
        let assigned: usize = (0..=255u8).filter(|&v| KeyReference::new(v).is_ok()).count();
        assert_eq!(assigned, 8 + 5 + 1 + 8 + 5);
        for v in [0x00, 0x09, 0x0F, 0x10, 0x12, 0x80, 0x89, 0x8F, 0x91, 0xFF] {
            assert_eq!(KeyReference::new(v), Err(ChvError::ReservedKeyReference { value: v }));
        }
        assert_eq!(KeyReference::adm(1).unwrap(), KeyReference::ADM1);
        assert_eq!(KeyReference::adm(5).unwrap().value(), 0x0E);
        assert_eq!(KeyReference::adm(6).unwrap().value(), 0x8A);
        assert_eq!(KeyReference::adm(10).unwrap().value(), 0x8E);
        assert!(KeyReference::adm(0).is_err() && KeyReference::adm(11).is_err());
        assert_eq!(KeyReference::pin_appl(1).unwrap(), KeyReference::PIN1);
        assert_eq!(KeyReference::second_pin_appl(1).unwrap(), KeyReference::PIN2);
        assert!(KeyReference::second_pin_appl(9).is_err());
        assert!(KeyReference::PIN1.is_global() && KeyReference::UNIVERSAL_PIN.is_global());
        assert!(!KeyReference::PIN2.is_global());
        assert!(KeyReference::adm(7).unwrap().is_adm() && !KeyReference::PIN1.is_adm());
    }

    #[test]
    fn names() {
        let name = |v: u8| KeyReference::new(v).unwrap().to_string();
        assert_eq!(name(0x01), "PIN1");
        assert_eq!(name(0x81), "PIN2");
        assert_eq!(name(0x11), "universal PIN");
        assert_eq!(name(0x0A), "ADM1");
        assert_eq!(name(0x8E), "ADM10");
        assert_eq!(name(0x03), "PIN Appl 3");
        assert_eq!(name(0x83), "second PIN Appl 3");
        assert_eq!(Chv::Chv2.to_string(), "CHV2");
        assert_eq!(std::format!("{:?}", KeyReference::PIN2), "KeyReference(81 PIN2)");
    }
}
