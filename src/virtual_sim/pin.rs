//! The secret codes of the virtual card and their state machine: CHV1, CHV2,
//! their UNBLOCK CHVs and ADM of a classic SIM (3GPP TS 51.011 §9.2.9–§9.2.13,
//! §11.5), PIN1, PIN2, their PUKs and ADM1 of a UICC (ETSI TS 102 221 §9.5,
//! §11.1.9–§11.1.13).
//!
//! This module owns the counters and the rules (what VERIFY, CHANGE, DISABLE,
//! ENABLE and UNBLOCK do to a code in each state). It answers with an
//! [`Outcome`]; the card turns that into the status word of its personality
//! (98xx on a SIM, 63CX / 69xx on a UICC), so the rules are written once.
//!
//! The rules, with resolved.md Q1–Q3:
//! - a wrong code decrements its counter; the attempt that reaches 0 blocks it
//!   and reports 0 attempts left (63 C0 / 98 40); every later attempt on the
//!   blocked code reports "blocked" (69 83 / 98 40) without touching anything;
//! - a right code resets its counter to the maximum and verifies the code; a
//!   wrong one also revokes an earlier verification (the security status
//!   follows the last presentation);
//! - VERIFY and CHANGE on a disabled code, DISABLE on a disabled one and ENABLE
//!   on an enabled one contradict the code's state (69 85 / 98 08);
//! - UNBLOCK with the right unblock code sets the new code, resets both
//!   counters, enables the code and verifies it; a wrong unblock code leaves the
//!   code's own counter alone; a blocked unblock code is final.

use core::fmt;
use zeroize::Zeroize;

/// Length of a coded secret: 8 bytes, ASCII digits padded with FF (TS 51.011
/// §9.3, TS 102 221 §9.5.1).
pub const CODE_LEN: usize = 8;

/// Default number of attempts of a CHV/PIN (TS 51.011 §9.2.9; TS 102 221 §11.1.9).
pub const DEFAULT_PIN_ATTEMPTS: u8 = 3;

/// Default number of attempts of an UNBLOCK CHV / PUK (TS 51.011 §9.2.13; TS
/// 102 221 §11.1.13).
pub const DEFAULT_PUK_ATTEMPTS: u8 = 10;

/// Largest counter the status encodings can carry: 4 bits in 63 CX and in the
/// GSM CHV status byte (TS 102 221 §10.2.1.3, TS 51.011 §9.2.1).
pub const MAX_ATTEMPTS: u8 = 15;

/// A secret code with its attempt counter (TS 51.011 §9.2.1 "number of false
/// presentations remaining", TS 102 221 §11.1.9 "retry counter").
///
/// `Debug` never shows the value, and the value is zeroized on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretCode {
    value: [u8; CODE_LEN],
    attempts_left: u8,
    max_attempts: u8,
}

impl SecretCode {
    /// A code from its 8 coded bytes, with `attempts_left` of `max_attempts`
    /// (both capped at [`MAX_ATTEMPTS`]; `attempts_left` at `max_attempts`)
    /// (TS 51.011 §9.2.1, TS 102 221 §11.1.9).
    #[must_use]
    pub fn new(value: [u8; CODE_LEN], attempts_left: u8, max_attempts: u8) -> Self {
        let max_attempts = max_attempts.min(MAX_ATTEMPTS);
        SecretCode { value, attempts_left: attempts_left.min(max_attempts), max_attempts }
    }

    /// The coded value (8 bytes, FF padded) (TS 51.011 §9.3, TS 102 221 §9.5.1).
    #[must_use]
    pub const fn value(&self) -> &[u8; CODE_LEN] {
        &self.value
    }

    /// Attempts left before the code blocks; 0 means blocked
    /// (TS 51.011 §9.2.1 bytes 19–22, TS 102 221 §11.1.9).
    #[must_use]
    pub const fn attempts_left(&self) -> u8 {
        self.attempts_left
    }

    /// The counter's maximum, restored by a right presentation (TS 102 221 §11.1.9, §11.1.13).
    #[must_use]
    pub const fn max_attempts(&self) -> u8 {
        self.max_attempts
    }

    /// Whether no attempt is left (TS 51.011 §9.2.9–§9.2.13, TS 102 221 §11.1.9–§11.1.13).
    #[must_use]
    pub const fn is_blocked(&self) -> bool {
        self.attempts_left == 0
    }

    /// Present `candidate`: a match resets the counter, a mismatch spends one
    /// attempt. Returns whether it matched. The caller checks blocking first.
    fn present(&mut self, candidate: &[u8]) -> bool {
        // Compare every byte whatever the result, as a card would.
        let matched = candidate.len() == CODE_LEN
            && self.value.iter().zip(candidate).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
        if matched {
            self.attempts_left = self.max_attempts;
        } else {
            self.attempts_left = self.attempts_left.saturating_sub(1);
        }
        matched
    }

    fn set_value(&mut self, value: &[u8; CODE_LEN]) {
        self.value = *value;
    }
}

impl fmt::Debug for SecretCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretCode")
            .field("value", &"**")
            .field("attempts_left", &self.attempts_left)
            .field("max_attempts", &self.max_attempts)
            .finish()
    }
}

impl Drop for SecretCode {
    fn drop(&mut self) {
        self.value.zeroize();
    }
}

/// Whether `value` is a well-formed PIN: 4 to 8 ASCII digits, then FF padding
/// (TS 102 221 §9.5.1).
#[must_use]
pub fn is_pin_format(value: &[u8]) -> bool {
    let digits = value.iter().take_while(|b| b.is_ascii_digit()).count();
    value.len() == CODE_LEN
        && (4..=CODE_LEN).contains(&digits)
        && value.iter().skip(digits).all(|&b| b == 0xFF)
}

/// Code `text` (digits) as 8 bytes padded with FF (TS 51.011 §9.3). `None` when
/// it is longer than 8 characters.
#[must_use]
pub fn code_from_text(text: &str) -> Option<[u8; CODE_LEN]> {
    let bytes = text.as_bytes();
    if bytes.len() > CODE_LEN {
        return None;
    }
    let mut out = [0xFF; CODE_LEN];
    out.iter_mut().zip(bytes).for_each(|(o, b)| *o = *b);
    Some(out)
}

/// The digits of a coded secret, FF padding removed (for writing profiles back) (TS 51.011 §9.3).
#[must_use]
pub fn code_to_text(value: &[u8; CODE_LEN]) -> std::string::String {
    value.iter().take_while(|&&b| b != 0xFF).map(|&b| char::from(b)).collect()
}

/// What a PIN command did, before it becomes a status word
/// (TS 51.011 §9.2.9–§9.2.13, TS 102 221 §11.1.9–§11.1.13).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Done (90 00) (TS 51.011 §9.4.1, TS 102 221 §10.2.1.1).
    Done,
    /// Wrong code; this many attempts are left, 0 when this attempt blocked it
    /// (63 CX on a UICC; 98 04, or 98 40 at 0, on a SIM) (TS 102 221 §11.1.9, TS 51.011 §9.4.5).
    Wrong(u8),
    /// The code (or, for UNBLOCK, the unblock code) was already blocked: 69 83 /
    /// 98 40, nothing changed (TS 102 221 §11.1.9, TS 51.011 §9.4.5).
    Blocked,
    /// The command contradicts the code's state: 69 85 / 98 08
    /// (ISO/IEC 7816-4 table 6, TS 51.011 §9.4.5).
    Contradiction,
    /// A status query (command without data, UICC): this many attempts are
    /// left (63 CX, TS 102 221 §11.1.9.1.2 and §11.1.13.1.2).
    AttemptsLeft(u8),
    /// The new code is not 4–8 digits padded with FF: 6A 80 (TS 102 221 §9.5.1).
    BadFormat,
}

/// Which code a command names (TS 102 221 table 9.3, TS 51.011 §9.2.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyRef {
    /// CHV1 / PIN1 (SIM P2 01; UICC key reference 01, PIN Appl 1)
    /// (TS 102 221 table 9.3, TS 51.011 §9.2.9).
    Pin1,
    /// CHV2 / PIN2 (SIM P2 02; UICC key reference 81, second PIN Appl 1)
    /// (TS 102 221 table 9.3, TS 51.011 §9.2.9).
    Pin2,
    /// ADM (administrative code; key reference 0A, ADM1) (TS 102 221 table 9.3).
    Adm,
}

/// A CHV/PIN with its unblock code and states (TS 51.011 §9.2.1 bytes 19–22;
/// TS 102 221 §9.5.2 PS_DO).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chv {
    code: SecretCode,
    unblock: Option<SecretCode>,
    enabled: bool,
    verified: bool,
}

impl Chv {
    /// A code, its optional unblock code, and whether it is enabled
    /// (TS 51.011 §9.2.1 bytes 19–22, TS 102 221 §9.5.2).
    #[must_use]
    pub fn new(code: SecretCode, unblock: Option<SecretCode>, enabled: bool) -> Self {
        Chv { code, unblock, enabled, verified: false }
    }

    /// The secret code (TS 51.011 §9.3, TS 102 221 §9.5.1).
    #[must_use]
    pub const fn code(&self) -> &SecretCode {
        &self.code
    }

    /// The unblock code (PUK), when there is one (TS 51.011 §9.2.13, TS 102 221 §11.1.13).
    #[must_use]
    pub const fn unblock(&self) -> Option<&SecretCode> {
        self.unblock.as_ref()
    }

    /// Whether the code is enabled (checked for access). A disabled CHV1
    /// fulfils its access conditions (TS 51.011 §9.2.11).
    #[must_use]
    pub const fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// Whether the code has been verified since the last reset
    /// (TS 51.011 §9.2.9, TS 102 221 §11.1.9).
    #[must_use]
    pub const fn is_verified(&self) -> bool {
        self.verified
    }

    /// Whether an access condition on this code is fulfilled: verified, or disabled
    /// (TS 51.011 §9.3, §9.2.11).
    #[must_use]
    pub const fn grants_access(&self) -> bool {
        self.verified || !self.enabled
    }

    /// Forget the verification (a reset of the card, ISO/IEC 7816-3 §6.2).
    pub fn reset_security(&mut self) {
        self.verified = false;
    }

    /// VERIFY with `data` (8 bytes), or a status query with `None`: 90 00
    /// when the code is verified (ISO/IEC 7816-4: no verification needed),
    /// 63 CX otherwise, a disabled code included, as many cards answer
    /// (resolved.md Q1) (TS 51.011 §9.2.9, TS 102 221 §11.1.9).
    pub fn verify(&mut self, data: Option<&[u8]>) -> Outcome {
        let Some(data) = data else {
            if self.verified && self.enabled {
                return Outcome::Done;
            }
            return Outcome::AttemptsLeft(self.code.attempts_left);
        };
        if self.code.is_blocked() {
            return Outcome::Blocked;
        }
        if !self.enabled {
            return Outcome::Contradiction;
        }
        self.present(data)
    }

    /// CHANGE: `old` then `new`, 8 bytes each. `check_format` refuses a new
    /// code that is not 4–8 digits (UICC) (TS 51.011 §9.2.10, TS 102 221 §11.1.10).
    pub fn change(&mut self, old: &[u8], new: &[u8; CODE_LEN], check_format: bool) -> Outcome {
        if self.code.is_blocked() {
            return Outcome::Blocked;
        }
        if !self.enabled {
            return Outcome::Contradiction;
        }
        if check_format && !is_pin_format(new) {
            return Outcome::BadFormat;
        }
        let outcome = self.present(old);
        if outcome == Outcome::Done {
            self.code.set_value(new);
        }
        outcome
    }

    /// DISABLE with the code (TS 51.011 §9.2.11, TS 102 221 §11.1.11).
    pub fn disable(&mut self, data: &[u8]) -> Outcome {
        if self.code.is_blocked() {
            return Outcome::Blocked;
        }
        if !self.enabled {
            return Outcome::Contradiction;
        }
        let outcome = self.present(data);
        if outcome == Outcome::Done {
            self.enabled = false;
        }
        outcome
    }

    /// ENABLE with the code (TS 51.011 §9.2.12, TS 102 221 §11.1.12).
    pub fn enable(&mut self, data: &[u8]) -> Outcome {
        if self.code.is_blocked() {
            return Outcome::Blocked;
        }
        if self.enabled {
            return Outcome::Contradiction;
        }
        let outcome = self.present(data);
        if outcome == Outcome::Done {
            self.enabled = true;
        }
        outcome
    }

    /// UNBLOCK with the unblock code and a new code, or a status query of the
    /// unblock code's counter with `None`. A code without an unblock code is
    /// treated as one whose unblock code is blocked (TS 51.011 §9.2.13, TS 102 221 §11.1.13).
    pub fn unblock_with(&mut self, data: Option<(&[u8], &[u8; CODE_LEN])>, check_format: bool) -> Outcome {
        let Some(unblock) = self.unblock.as_mut() else {
            return match data {
                None => Outcome::AttemptsLeft(0),
                Some(_) => Outcome::Blocked,
            };
        };
        let Some((puk, new)) = data else { return Outcome::AttemptsLeft(unblock.attempts_left) };
        if unblock.is_blocked() {
            return Outcome::Blocked;
        }
        if check_format && !is_pin_format(new) {
            return Outcome::BadFormat;
        }
        if !unblock.present(puk) {
            return Outcome::Wrong(unblock.attempts_left);
        }
        self.code.set_value(new);
        self.code.attempts_left = self.code.max_attempts;
        self.enabled = true;
        self.verified = true;
        Outcome::Done
    }

    fn present(&mut self, candidate: &[u8]) -> Outcome {
        if self.code.present(candidate) {
            self.verified = true;
            Outcome::Done
        } else {
            self.verified = false;
            Outcome::Wrong(self.code.attempts_left)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pin(text: &str, left: u8) -> SecretCode {
        SecretCode::new(code_from_text(text).unwrap(), left, DEFAULT_PIN_ATTEMPTS)
    }

    fn puk(text: &str, left: u8) -> SecretCode {
        SecretCode::new(code_from_text(text).unwrap(), left, DEFAULT_PUK_ATTEMPTS)
    }

    fn chv1() -> Chv {
        Chv::new(pin("1234", 3), Some(puk("12345678", 10)), true)
    }

    const RIGHT: [u8; 8] = *b"1234\xFF\xFF\xFF\xFF";
    const WRONG: [u8; 8] = *b"0000\xFF\xFF\xFF\xFF";
    const PUK: [u8; 8] = *b"12345678";

    #[test]
    fn coding_pads_with_ff() {
        // TS 51.011 §9.3; vector V71 carries "1234" as 31 32 33 34 FF FF FF FF.
        assert_eq!(code_from_text("1234"), Some([0x31, 0x32, 0x33, 0x34, 0xFF, 0xFF, 0xFF, 0xFF]));
        assert_eq!(code_from_text("123456789"), None);
        assert_eq!(code_to_text(&RIGHT), "1234");
        assert!(is_pin_format(&RIGHT));
        assert!(is_pin_format(&PUK));
        assert!(!is_pin_format(b"123\xFF\xFF\xFF\xFF\xFF"));
        assert!(!is_pin_format(b"12a4\xFF\xFF\xFF\xFF"));
        assert!(!is_pin_format(b"1234\xFF1\xFF\xFF"));
    }

    #[test]
    fn three_wrong_pins_block_then_blocked_is_sticky() {
        // resolved.md Q2: 63C2, 63C1, 63C0 (blocks), then 6983 for every later try.
        let mut c = chv1();
        assert_eq!(c.verify(Some(&WRONG)), Outcome::Wrong(2));
        assert_eq!(c.verify(Some(&WRONG)), Outcome::Wrong(1));
        assert_eq!(c.verify(Some(&WRONG)), Outcome::Wrong(0));
        assert!(c.code().is_blocked());
        assert_eq!(c.verify(Some(&RIGHT)), Outcome::Blocked);
        assert_eq!(c.change(&RIGHT, &RIGHT, true), Outcome::Blocked);
        assert_eq!(c.disable(&RIGHT), Outcome::Blocked);
        assert_eq!(c.verify(None), Outcome::AttemptsLeft(0));
        assert!(!c.grants_access());
    }

    #[test]
    fn right_pin_restores_the_counter() {
        let mut c = chv1();
        assert_eq!(c.verify(Some(&WRONG)), Outcome::Wrong(2));
        assert_eq!(c.verify(None), Outcome::AttemptsLeft(2));
        assert_eq!(c.verify(Some(&RIGHT)), Outcome::Done);
        assert!(c.is_verified());
        assert_eq!(c.code().attempts_left(), 3);
        // A wrong attempt after a right one also revokes the verification.
        assert_eq!(c.verify(Some(&WRONG)), Outcome::Wrong(2));
        assert!(!c.is_verified());
    }

    #[test]
    fn disable_enable_contradictions() {
        let mut c = chv1();
        assert_eq!(c.enable(&RIGHT), Outcome::Contradiction);
        assert_eq!(c.disable(&WRONG), Outcome::Wrong(2));
        assert_eq!(c.disable(&RIGHT), Outcome::Done);
        assert!(!c.is_enabled());
        assert!(c.grants_access());
        assert_eq!(c.disable(&RIGHT), Outcome::Contradiction);
        assert_eq!(c.verify(Some(&RIGHT)), Outcome::Contradiction);
        assert_eq!(c.change(&RIGHT, &WRONG, true), Outcome::Contradiction);
        assert_eq!(c.enable(&RIGHT), Outcome::Done);
        assert!(c.is_enabled());
        assert_eq!(c.code().attempts_left(), 3);
    }

    #[test]
    fn change_sets_the_new_code() {
        let mut c = chv1();
        let new = code_from_text("4321").unwrap();
        assert_eq!(c.change(&WRONG, &new, true), Outcome::Wrong(2));
        assert_eq!(c.change(&RIGHT, b"12\xFF\xFF\xFF\xFF\xFF\xFF", true), Outcome::BadFormat);
        assert_eq!(c.code().attempts_left(), 2, "a refused format spends no attempt");
        assert_eq!(c.change(&RIGHT, &new, true), Outcome::Done);
        assert_eq!(c.verify(Some(&RIGHT)), Outcome::Wrong(2));
        assert_eq!(c.verify(Some(&new)), Outcome::Done);
    }

    #[test]
    fn unblock_resets_and_enables() {
        let mut c = chv1();
        for left in [2, 1, 0] {
            assert_eq!(c.verify(Some(&WRONG)), Outcome::Wrong(left));
        }
        let new = code_from_text("9999").unwrap();
        assert_eq!(c.unblock_with(None, true), Outcome::AttemptsLeft(10));
        assert_eq!(c.unblock_with(Some((&WRONG, &new)), true), Outcome::Wrong(9));
        assert_eq!(c.code().attempts_left(), 0, "a wrong PUK leaves the PIN counter alone");
        assert_eq!(c.unblock_with(Some((&PUK, &new)), true), Outcome::Done);
        assert_eq!(c.code().attempts_left(), 3);
        assert_eq!(c.unblock().unwrap().attempts_left(), 10);
        assert!(c.is_verified() && c.is_enabled());
        assert_eq!(c.code().value(), &new);
    }

    #[test]
    fn unblock_enables_a_disabled_pin() {
        let mut c = chv1();
        assert_eq!(c.disable(&RIGHT), Outcome::Done);
        assert_eq!(c.unblock_with(Some((&PUK, &RIGHT)), true), Outcome::Done);
        assert!(c.is_enabled());
    }

    #[test]
    fn ten_wrong_puks_are_final() {
        // resolved.md Q2: 63C9 … 63C1, 63C0 on the 10th, then 6983 for good.
        let mut c = chv1();
        for left in (0..10).rev() {
            assert_eq!(c.unblock_with(Some((&WRONG, &RIGHT)), true), Outcome::Wrong(left));
        }
        assert_eq!(c.unblock_with(Some((&PUK, &RIGHT)), true), Outcome::Blocked);
        assert_eq!(c.unblock_with(None, true), Outcome::AttemptsLeft(0));
        assert_eq!(c.code().attempts_left(), 3, "the PIN itself is untouched");
    }

    #[test]
    fn no_unblock_code() {
        let mut adm = Chv::new(pin("1234", 3), None, true);
        assert_eq!(adm.unblock_with(None, true), Outcome::AttemptsLeft(0));
        assert_eq!(adm.unblock_with(Some((&PUK, &RIGHT)), true), Outcome::Blocked);
    }

    #[test]
    fn counters_are_capped_and_debug_redacts() {
        let c = SecretCode::new(RIGHT, 99, 99);
        assert_eq!((c.attempts_left(), c.max_attempts()), (15, 15));
        let text = std::format!("{c:?}");
        for leak in ["49", "1234", "3132", "31 32"] {
            assert!(!text.contains(leak), "{leak} in {text}");
        }
        assert!(text.contains("**"), "{text}");
    }
}
