//! The PIN commands per profile: TS 51.011 §9.2.9–§9.2.13 (classic SIM, CLA A0,
//! CHV numbers) and TS 102 221 §11.1.9–§11.1.13 (UICC, CLA 00, key references).

use super::pin::ENCODED_LEN;
use super::{KeyReference, Pin};
use crate::apdu::Command;
use crate::profile::Profile;
use core::fmt;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// Header (4) + Lc (1) + two codes (16).
const MAX_LEN: usize = 5 + 2 * ENCODED_LEN;

/// The five PIN operations (TS 51.011 §9.2.9–§9.2.13, TS 102 221 §11.1.9–§11.1.13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    /// VERIFY CHV / VERIFY PIN, INS 20 (TS 51.011 §9.2.9, TS 102 221 §11.1.9).
    Verify,
    /// CHANGE CHV / CHANGE PIN, INS 24 (TS 51.011 §9.2.10, TS 102 221 §11.1.10).
    Change,
    /// DISABLE CHV / DISABLE PIN, INS 26 (TS 51.011 §9.2.11, TS 102 221 §11.1.11).
    Disable,
    /// ENABLE CHV / ENABLE PIN, INS 28 (TS 51.011 §9.2.12, TS 102 221 §11.1.12).
    Enable,
    /// UNBLOCK CHV / UNBLOCK PIN, INS 2C (TS 51.011 §9.2.13, TS 102 221 §11.1.13).
    Unblock,
}

impl Operation {
    /// The instruction byte (TS 51.011 §9.2.9–§9.2.13, TS 102 221 §11.1.9–§11.1.13).
    #[must_use]
    pub const fn ins(self) -> u8 {
        match self {
            Operation::Verify => crate::ins::VERIFY,
            Operation::Change => crate::ins::CHANGE,
            Operation::Disable => crate::ins::DISABLE,
            Operation::Enable => crate::ins::ENABLE,
            Operation::Unblock => crate::ins::UNBLOCK,
        }
    }

    /// The command's name: "VERIFY", "CHANGE", "DISABLE", "ENABLE", "UNBLOCK"
    /// (TS 51.011 §9.2.9–§9.2.13, TS 102 221 §11.1.9–§11.1.13).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Operation::Verify => "VERIFY",
            Operation::Change => "CHANGE",
            Operation::Disable => "DISABLE",
            Operation::Enable => "ENABLE",
            Operation::Unblock => "UNBLOCK",
        }
    }

    /// The retry counter a wrong code decrements: the PIN's own for VERIFY,
    /// CHANGE, DISABLE and ENABLE, the unblock (PUK) counter for UNBLOCK
    /// (TS 102 221 §11.1.13.1.1; TS 51.011 §9.2.13).
    #[must_use]
    pub const fn counter(self) -> RetryCounter {
        match self {
            Operation::Unblock => RetryCounter::Unblock,
            Operation::Verify | Operation::Change | Operation::Disable | Operation::Enable => {
                RetryCounter::Pin
            }
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A secret code's retry counter (TS 102 221 §11.1.9 and §11.1.13; TS 51.011
/// §9.2.1 bytes 19–22).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RetryCounter {
    /// The PIN's (CHV's) own counter, usually 3 (TS 102 221 §11.1.9; TS 51.011 §9.2.1).
    Pin,
    /// The unblock code's (PUK's, UNBLOCK CHV's) counter, usually 10 (TS 102 221 §11.1.13; TS 51.011 §9.2.1).
    Unblock,
}

/// Why a PIN command cannot be built (TS 51.011 §9.2.9–§9.2.13, TS 102 221 §11.1.9–§11.1.13, table 9.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChvError {
    /// A key reference TS 102 221 table 9.3 does not assign.
    #[error("key reference {value:02X} is reserved (TS 102 221 table 9.3)")]
    ReservedKeyReference {
        /// The value given (TS 102 221 table 9.3).
        value: u8,
    },
    /// The profile has no such command for this code: on a classic SIM, only
    /// CHV1 can be disabled or enabled and only CHV1 and CHV2 can be changed or
    /// unblocked (TS 51.011 §9.2.10–§9.2.13); there is no universal PIN.
    #[error("{operation} of {key} does not exist on a {profile} card")]
    NotOnProfile {
        /// The operation asked for.
        operation: Operation,
        /// The code it addressed.
        key: KeyReference,
        /// The card's profile.
        profile: Profile,
    },
    /// The profile has no such code at all: a classic SIM knows CHV1, CHV2
    /// and the ADM codes (TS 51.011 §9.3), not the universal PIN or a second
    /// application's PIN (TS 102 221 §9.4).
    #[error("the {key} does not exist on a {profile} card")]
    NoSuchCode {
        /// The code asked about (TS 102 221 table 9.3).
        key: KeyReference,
        /// The card's profile.
        profile: Profile,
    },
    /// A classic SIM has no retry-counter query: the counters are in the CHV
    /// status bytes of the DF's SELECT response (TS 51.011 §9.2.1, bytes 19–22).
    #[error("a {profile} card has no retry-counter query; read the CHV status bytes of the DF instead")]
    NoCounterQuery {
        /// The card's profile.
        profile: Profile,
    },
    /// An unblock code (PUK, UNBLOCK CHV) is 8 digits (TS 51.011 §9.3): a
    /// shorter one, a PIN given where the PUK belongs for instance, can only
    /// be wrong and would spend an unblock attempt. Nothing is built.
    #[error(
        "an unblock code (PUK) has 8 digits; this one has {digits} (are the PUK and the new PIN swapped?)"
    )]
    UnblockCodeLength {
        /// Digits in the code given.
        digits: usize,
    },
    /// DISABLE PIN can hand a PIN's role to another *global* key reference
    /// (TS 102 221 §11.1.11), in practice the universal PIN.
    #[error("{replacement} is not a global key reference and cannot replace a disabled PIN")]
    ReplacementNotGlobal {
        /// The reference given as replacement (TS 102 221 §11.1.11).
        replacement: KeyReference,
    },
}

/// An encoded PIN command, ready to send: VERIFY, CHANGE, DISABLE, ENABLE or
/// UNBLOCK with its codes, or an empty VERIFY or UNBLOCK that reads a retry
/// counter (TS 51.011 §9.2.9–§9.2.13, TS 102 221 §11.1.9–§11.1.13).
///
/// | Profile | CLA | P2 |
/// |---|---|---|
/// | [`Profile::Sim`] | A0 | CHV number (01, 02); UNBLOCK: 00 for CHV1, 02 for CHV2; DISABLE/ENABLE: CHV1 only |
/// | [`Profile::Uicc`], [`Profile::Iso7816`] | 00 | key reference (PIN1 01, PIN2 81, universal PIN 11, ADM1 0A …) |
///
/// P1 is 00, except for [`ChvCommand::disable_and_replace`]. Each code is the
/// 8-byte block of [`Pin`]. The bytes are zeroized on drop; `Debug` and
/// `Display` show the header and `**`, never the codes. Send it with
/// [`Link::transmit`](crate::transport::Link::transmit)`(&cmd.command(), …)`.
#[derive(Clone)]
pub struct ChvCommand {
    bytes: [u8; MAX_LEN],
    len: usize,
    operation: Operation,
    key: KeyReference,
}

impl ChvCommand {
    /// VERIFY: present `pin` (TS 51.011 §9.2.9, TS 102 221 §11.1.9).
    ///
    /// # Errors
    /// [`ChvError::NotOnProfile`] for the universal PIN or a second application
    /// PIN on a classic SIM.
    pub fn verify(profile: Profile, key: KeyReference, pin: &Pin) -> Result<Self, ChvError> {
        let p2 = p2(profile, Operation::Verify, key)?;
        Ok(Self::build(profile, Operation::Verify, 0x00, p2, key, &[pin]))
    }

    /// VERIFY without data: the UICC answers 63 CX with X attempts left, without
    /// spending one (TS 102 221 §11.1.9.1.1; vector V74).
    ///
    /// # Errors
    /// [`ChvError::NoCounterQuery`] on a classic SIM.
    pub fn verify_query(profile: Profile, key: KeyReference) -> Result<Self, ChvError> {
        match profile {
            Profile::Sim => Err(ChvError::NoCounterQuery { profile }),
            Profile::Uicc | Profile::Iso7816 => {
                Ok(Self::build(profile, Operation::Verify, 0x00, key.value(), key, &[]))
            }
        }
    }

    /// CHANGE: replace `old` by `new` (TS 51.011 §9.2.10, TS 102 221 §11.1.10).
    ///
    /// # Errors
    /// [`ChvError::NotOnProfile`] for anything but CHV1 and CHV2 on a classic SIM.
    pub fn change(profile: Profile, key: KeyReference, old: &Pin, new: &Pin) -> Result<Self, ChvError> {
        let p2 = p2(profile, Operation::Change, key)?;
        Ok(Self::build(profile, Operation::Change, 0x00, p2, key, &[old, new]))
    }

    /// DISABLE: switch the PIN check off (TS 51.011 §9.2.11: CHV1 only;
    /// TS 102 221 §11.1.11 with P1 = 00, no replacement).
    ///
    /// # Errors
    /// [`ChvError::NotOnProfile`] for anything but CHV1 on a classic SIM.
    pub fn disable(profile: Profile, key: KeyReference, pin: &Pin) -> Result<Self, ChvError> {
        let p2 = p2(profile, Operation::Disable, key)?;
        Ok(Self::build(profile, Operation::Disable, 0x00, p2, key, &[pin]))
    }

    /// DISABLE with replacement: the PIN is disabled and `replacement` (a global
    /// reference, in practice the universal PIN 11) guards its files instead
    /// (TS 102 221 §11.1.11). P1 = 80 | replacement, so 91 for the universal PIN.
    /// This P1 coding comes from resolved.md Q1 with medium-low confidence (table
    /// 11.16 was not available); send [`ChvCommand::disable`] unless you need it.
    ///
    /// # Errors
    /// [`ChvError::NotOnProfile`] on a classic SIM; [`ChvError::ReplacementNotGlobal`].
    pub fn disable_and_replace(
        profile: Profile,
        key: KeyReference,
        pin: &Pin,
        replacement: KeyReference,
    ) -> Result<Self, ChvError> {
        if profile == Profile::Sim {
            return Err(ChvError::NotOnProfile { operation: Operation::Disable, key, profile });
        }
        if !replacement.is_global() {
            return Err(ChvError::ReplacementNotGlobal { replacement });
        }
        let p1 = 0x80 | replacement.value();
        Ok(Self::build(profile, Operation::Disable, p1, key.value(), key, &[pin]))
    }

    /// ENABLE: switch the PIN check on (TS 51.011 §9.2.12: CHV1 only;
    /// TS 102 221 §11.1.12).
    ///
    /// # Errors
    /// [`ChvError::NotOnProfile`] for anything but CHV1 on a classic SIM.
    pub fn enable(profile: Profile, key: KeyReference, pin: &Pin) -> Result<Self, ChvError> {
        let p2 = p2(profile, Operation::Enable, key)?;
        Ok(Self::build(profile, Operation::Enable, 0x00, p2, key, &[pin]))
    }

    /// UNBLOCK: present the unblock code `puk` and set `new_pin` (TS 51.011
    /// §9.2.13, where P2 is 00 for CHV1 and 02 for CHV2; TS 102 221 §11.1.13).
    ///
    /// # Errors
    /// [`ChvError::UnblockCodeLength`] unless `puk` is 8 digits (TS 51.011 §9.3);
    /// [`ChvError::NotOnProfile`] for anything but CHV1 and CHV2 on a classic SIM.
    pub fn unblock(profile: Profile, key: KeyReference, puk: &Pin, new_pin: &Pin) -> Result<Self, ChvError> {
        let digits = puk.digit_count();
        if digits != ENCODED_LEN {
            return Err(ChvError::UnblockCodeLength { digits });
        }
        let p2 = p2(profile, Operation::Unblock, key)?;
        Ok(Self::build(profile, Operation::Unblock, 0x00, p2, key, &[puk, new_pin]))
    }

    /// UNBLOCK without data: the UICC answers 63 CX with X unblock attempts left
    /// (TS 102 221 §11.1.13.1.2; vector V78).
    ///
    /// # Errors
    /// [`ChvError::NoCounterQuery`] on a classic SIM.
    pub fn unblock_query(profile: Profile, key: KeyReference) -> Result<Self, ChvError> {
        match profile {
            Profile::Sim => Err(ChvError::NoCounterQuery { profile }),
            Profile::Uicc | Profile::Iso7816 => {
                Ok(Self::build(profile, Operation::Unblock, 0x00, key.value(), key, &[]))
            }
        }
    }

    fn build(
        profile: Profile,
        operation: Operation,
        p1: u8,
        p2: u8,
        key: KeyReference,
        codes: &[&Pin],
    ) -> Self {
        let mut bytes = [0u8; MAX_LEN];
        let mut len = 4;
        if let Some(header) = bytes.get_mut(..4) {
            header.copy_from_slice(&[profile.cla(), operation.ins(), p1, p2]);
        }
        if !codes.is_empty() {
            let lc = codes.len() * ENCODED_LEN;
            if let Some(slot) = bytes.get_mut(4) {
                // At most 16.
                *slot = u8::try_from(lc).unwrap_or(0);
            }
            len = 5;
            for code in codes {
                if let Some(slot) = bytes.get_mut(len..len + ENCODED_LEN) {
                    slot.copy_from_slice(code.expose_encoded());
                }
                len += ENCODED_LEN;
            }
        }
        ChvCommand { bytes, len, operation, key }
    }

    /// The command, to send through [`Link::transmit`](crate::transport::Link::transmit)
    /// (TS 51.011 §9.2.9–§9.2.13, TS 102 221 §11.1.9–§11.1.13).
    /// Its data borrows this value's buffer, which holds the codes: keep the
    /// `Command` short-lived, and do not print it with `{:?}` (the general
    /// `Command` shows its data; this type does not).
    #[must_use]
    pub fn command(&self) -> Command<'_> {
        let [cla, ins, p1, p2] = self.header();
        let data = self.bytes.get(5..self.len).unwrap_or_default();
        // The data is 0, 8 or 16 bytes, always within an APDU's limits.
        Command::new(cla, ins, p1, p2).with_data(data).unwrap_or(Command::new(cla, ins, p1, p2))
    }

    /// The encoded command APDU (case 1 for a query, case 3 otherwise; TS 51.011
    /// §9.2.9–§9.2.13, TS 102 221 §11.1.9–§11.1.13). This contains the codes: do
    /// not print or log it.
    #[must_use]
    pub fn expose_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or_default()
    }

    /// CLA INS P1 P2 (TS 51.011 §9.2.9–§9.2.13, TS 102 221 §11.1.9–§11.1.13).
    #[must_use]
    pub fn header(&self) -> [u8; 4] {
        match self.bytes.first_chunk::<4>() {
            Some(header) => *header,
            None => [0; 4],
        }
    }

    /// The operation (TS 51.011 §9.2.9–§9.2.13, TS 102 221 §11.1.9–§11.1.13).
    #[must_use]
    pub const fn operation(&self) -> Operation {
        self.operation
    }

    /// The code addressed (TS 102 221 table 9.3).
    #[must_use]
    pub const fn key(&self) -> KeyReference {
        self.key
    }

    /// Whether this is a retry-counter query (an empty VERIFY or UNBLOCK)
    /// (TS 102 221 §11.1.9.1.1, §11.1.13.1.2).
    #[must_use]
    pub const fn is_query(&self) -> bool {
        self.len == 4
    }

    /// The retry counter a wrong code would decrement, `None` for a query
    /// (TS 102 221 §11.1.13.1.1; TS 51.011 §9.2.13). The card layer's guard
    /// reads that counter first.
    #[must_use]
    pub const fn spends(&self) -> Option<RetryCounter> {
        if self.is_query() { None } else { Some(self.operation.counter()) }
    }
}

/// P2 for `operation` on `key` under `profile`.
fn p2(profile: Profile, operation: Operation, key: KeyReference) -> Result<u8, ChvError> {
    let not_on_profile = ChvError::NotOnProfile { operation, key, profile };
    match profile {
        Profile::Uicc | Profile::Iso7816 => Ok(key.value()),
        Profile::Sim => match (operation, key.chv()) {
            (Operation::Verify | Operation::Change, Some(chv)) => Ok(chv.number()),
            (Operation::Unblock, Some(chv)) => Ok(chv.unblock_p2()),
            (Operation::Disable | Operation::Enable, Some(super::Chv::Chv1)) => Ok(0x01),
            // ADM codes are the issuer's business (TS 51.011 §9.3); cards that
            // take them (sysmoSIM, as driven by pySim's verify_adm) use VERIFY
            // with the key reference in P2, 0A for ADM1.
            (Operation::Verify, None) if key.is_adm() => Ok(key.value()),
            _ => Err(not_on_profile),
        },
    }
}

impl Drop for ChvCommand {
    fn drop(&mut self) {
        self.bytes.zeroize();
    }
}

impl ZeroizeOnDrop for ChvCommand {}

/// The APDU in hex with the codes replaced by `**`: `A0 20 00 01 08 **`;
/// only the header and Lc/P3 are shown, as the transport's trace shows any
/// PIN command (ISO/IEC 7816-4 §5.1 layout).
impl fmt::Display for ChvCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        super::write_hidden(f, self.expose_bytes())
    }
}

impl fmt::Debug for ChvCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChvCommand")
            .field("operation", &self.operation)
            .field("key", &format_args!("{}", self.key))
            .field("apdu", &format_args!("{self}"))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sim_limits_per_ts_51_011() {
        let pin = Pin::new("1234").unwrap();
        for key in [KeyReference::PIN2, KeyReference::UNIVERSAL_PIN] {
            for build in [ChvCommand::disable, ChvCommand::enable] {
                let err = build(Profile::Sim, key, &pin).unwrap_err();
                assert!(matches!(err, ChvError::NotOnProfile { profile: Profile::Sim, .. }), "{err}");
            }
        }
        assert!(ChvCommand::verify(Profile::Sim, KeyReference::UNIVERSAL_PIN, &pin).is_err());
        let puk = Pin::puk("12345678").unwrap();
        let err = ChvCommand::unblock(Profile::Sim, KeyReference::ADM1, &puk, &pin).unwrap_err();
        assert!(matches!(err, ChvError::NotOnProfile { profile: Profile::Sim, .. }), "{err}");
        assert!(ChvCommand::change(Profile::Sim, KeyReference::ADM1, &pin, &pin).is_err());
        assert_eq!(
            ChvCommand::verify_query(Profile::Sim, KeyReference::PIN1).unwrap_err(),
            ChvError::NoCounterQuery { profile: Profile::Sim }
        );
        assert!(ChvCommand::unblock_query(Profile::Sim, KeyReference::PIN1).is_err());
        // ADM verification on a SIM: P2 = key reference (pySim verify_adm practice).
        let adm = Pin::adm("12345678").unwrap();
        assert_eq!(
            ChvCommand::verify(Profile::Sim, KeyReference::ADM1, &adm).unwrap().header(),
            [0xA0, 0x20, 0x00, 0x0A]
        );
    }

    #[test]
    fn disable_and_replace_p1() {
        // P1 = 80 | the replacement's reference: resolved.md Q1, at medium-low
        // confidence (TS 102 221 table 11.16 was not available), so this checks the
        // crate's reading, not a published vector.
        let pin = Pin::new("1234").unwrap();
        let cmd = ChvCommand::disable_and_replace(
            Profile::Uicc,
            KeyReference::PIN1,
            &pin,
            KeyReference::UNIVERSAL_PIN,
        )
        .unwrap();
        assert_eq!(cmd.header(), [0x00, 0x26, 0x91, 0x01]);
        assert_eq!(
            ChvCommand::disable_and_replace(Profile::Uicc, KeyReference::PIN1, &pin, KeyReference::PIN2)
                .unwrap_err(),
            ChvError::ReplacementNotGlobal { replacement: KeyReference::PIN2 }
        );
        assert!(
            ChvCommand::disable_and_replace(
                Profile::Sim,
                KeyReference::PIN1,
                &pin,
                KeyReference::UNIVERSAL_PIN
            )
            .is_err()
        );
    }

    #[test]
    fn spends_the_right_counter() {
        let pin = Pin::new("1234").unwrap();
        let verify = ChvCommand::verify(Profile::Uicc, KeyReference::PIN1, &pin).unwrap();
        assert_eq!(verify.spends(), Some(RetryCounter::Pin));
        let puk = Pin::puk("12345678").unwrap();
        let unblock = ChvCommand::unblock(Profile::Uicc, KeyReference::PIN1, &puk, &pin).unwrap();
        assert_eq!(unblock.spends(), Some(RetryCounter::Unblock));
        // A PUK is 8 digits (TS 51.011 §9.3): the PIN in its place builds nothing.
        let swapped = ChvCommand::unblock(Profile::Uicc, KeyReference::PIN1, &pin, &puk);
        assert_eq!(swapped.unwrap_err(), ChvError::UnblockCodeLength { digits: 4 });
        let query = ChvCommand::unblock_query(Profile::Uicc, KeyReference::PIN1).unwrap();
        assert_eq!(query.spends(), None);
        assert!(query.is_query() && query.command().data().is_empty());
        assert_eq!(verify.command().data(), pin.expose_encoded());
    }
}
