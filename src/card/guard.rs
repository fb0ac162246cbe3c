//! The last-attempt guard: TS 102 221 §11.1.9–§11.1.13 and TS 51.011
//! §9.2.9–§9.2.13 decrement a retry counter on every wrong code and block the
//! code when it reaches zero; a blocked PIN needs its PUK, and a blocked PUK
//! is final (TS 102 221 §11.1.13.1.1: "the UNBLOCK PIN … is blocked").
//!
//! Before any command that spends an attempt, the session reads the counter
//! that command decrements ([`ChvCommand::spends`](crate::chv::ChvCommand::spends))
//! and asks [`check`]:
//!
//! | Counter read | [`Guard::Protect`] (default) | [`Guard::ForceLastAttempt`] |
//! |---|---|---|
//! | 0 (blocked) | [`Refusal::Blocked`] | [`Refusal::Blocked`]: there is nothing to try |
//! | 1 | [`Refusal::LastAttempt`] | sent |
//! | unknown | [`Refusal::CounterUnknown`] | sent |
//! | 2 or more | sent | sent |
//! | none: the code is not initialised (classic SIM) | [`Refusal::NotInitialised`] | sent (the card answers 98 02) |
//! | none: the PIN is verified or disabled (a UICC's query answered 90 00), and this session did not present it right after reading 2 or more | [`Refusal::Verified`] | sent |
//!
//! A UICC gives no count for a verified PIN. A code presented right resets its
//! counter to the maximum, so after its own VERIFY (or CHANGE, DISABLE, ENABLE)
//! answered 90 00 the session counts the PIN as having at least the attempts it
//! read before that command, until a wrong code, an UNBLOCK, a raw command, a
//! link error, another application (for a local PIN) or a new session. That
//! count assumes no other program presented the code since: on a shared
//! reader, hold the transaction or the exclusive connection for the session's
//! whole life, not only around one command.
//!
//! The counter is read and the command sent in two exchanges. Another program
//! that talks to the same card in between can spend an attempt the guard
//! counted; on a shared PC/SC reader, open the session on a transaction
//! (`PcscTransport::transaction`, itself a transport) or connect with
//! `ShareMode::Exclusive` (feature `pcsc`); behind a modem, stop the programs
//! that use its SIM (the `modem` transport's documentation).

use crate::chv::{KeyReference, RetryCounter};
use core::fmt;

/// Whether a command may spend the last attempt of a retry counter
/// (TS 102 221 §11.1.9–§11.1.13, TS 51.011 §9.2.9–§9.2.13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Guard {
    /// Refuse when one attempt is left or the counter cannot be read. The
    /// guard cannot know whether the code given is right, so the right code is
    /// refused too when one attempt is left: the caller who is sure forces it
    /// (TS 102 221 §11.1.9–§11.1.13, TS 51.011 §9.2.9–§9.2.13).
    #[default]
    Protect,
    /// Send anyway when one attempt is left or the counter is unknown: the
    /// caller has decided to risk blocking the code. A blocked code is still
    /// refused, since the card would only answer "blocked"
    /// (TS 102 221 §11.1.9–§11.1.13, TS 51.011 §9.2.9–§9.2.13).
    ForceLastAttempt,
}

/// Why the guard did not send a command (nothing was sent, no attempt spent)
/// (TS 102 221 §11.1.9–§11.1.13, TS 51.011 §9.2.9–§9.2.13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Refusal {
    /// One attempt is left: a wrong code would block the code (PIN) or the card
    /// for good (PUK). Retry with [`Guard::ForceLastAttempt`] to spend it
    /// (TS 102 221 §11.1.9–§11.1.13, TS 51.011 §9.2.9–§9.2.13).
    LastAttempt {
        /// The code addressed (TS 102 221 table 9.3).
        key: KeyReference,
        /// The counter that would be spent
        /// (TS 102 221 §11.1.9, §11.1.13; TS 51.011 §9.2.1 bytes 19–22).
        counter: RetryCounter,
    },
    /// The counter could not be read (the card answered the query with no count),
    /// so the guard cannot tell whether this is the last attempt
    /// (TS 102 221 §11.1.9.1.2, §11.1.13.1.2).
    CounterUnknown {
        /// The code addressed (TS 102 221 table 9.3).
        key: KeyReference,
        /// The counter that would be spent
        /// (TS 102 221 §11.1.9, §11.1.13; TS 51.011 §9.2.1 bytes 19–22).
        counter: RetryCounter,
    },
    /// The PIN is verified now, or its check is disabled: the UICC answers
    /// its counter query with 90 00 and no count (ISO/IEC 7816-4 VERIFY
    /// without data: no verification needed), so the guard cannot tell how
    /// many attempts are left. A reset of the card ends a verification and
    /// makes the count readable; forcing sends (TS 102 221 §11.1.9.1.2).
    Verified {
        /// The code addressed (TS 102 221 table 9.3).
        key: KeyReference,
        /// The counter the command would spend
        /// (TS 102 221 §11.1.9, §11.1.13; TS 51.011 §9.2.1 bytes 19–22).
        counter: RetryCounter,
    },
    /// The code is not initialised (a classic SIM's CHV2 the operator never
    /// set up: TS 51.011 §9.2.1 bytes 19–22 b8 = 0), so it has no counter to
    /// read and nothing to verify; the card would answer 98 02 (TS 51.011 §9.4.5).
    NotInitialised {
        /// The code addressed (TS 102 221 table 9.3).
        key: KeyReference,
        /// The counter the command would spend
        /// (TS 102 221 §11.1.9, §11.1.13; TS 51.011 §9.2.1 bytes 19–22).
        counter: RetryCounter,
    },
    /// The counter is at zero: the code is blocked. For a PIN the PUK can
    /// unblock it; a blocked PUK is permanent (TS 102 221 §11.1.13.1.1).
    Blocked {
        /// The code addressed (TS 102 221 table 9.3).
        key: KeyReference,
        /// The counter at zero (TS 102 221 §11.1.9, §11.1.13; TS 51.011 §9.2.1 bytes 19–22).
        counter: RetryCounter,
        /// For a blocked PIN: the PUK's attempts left, when known (0: the card
        /// is unusable) (TS 102 221 §11.1.13, TS 51.011 §9.2.13).
        unblock_attempts_left: Option<u8>,
    },
}

impl Refusal {
    /// The code addressed (TS 102 221 table 9.3).
    #[must_use]
    pub const fn key(&self) -> KeyReference {
        match *self {
            Refusal::LastAttempt { key, .. }
            | Refusal::CounterUnknown { key, .. }
            | Refusal::NotInitialised { key, .. }
            | Refusal::Verified { key, .. }
            | Refusal::Blocked { key, .. } => key,
        }
    }

    /// The counter concerned (TS 102 221 §11.1.9, §11.1.13; TS 51.011 §9.2.1 bytes 19–22).
    #[must_use]
    pub const fn counter(&self) -> RetryCounter {
        match *self {
            Refusal::LastAttempt { counter, .. }
            | Refusal::CounterUnknown { counter, .. }
            | Refusal::NotInitialised { counter, .. }
            | Refusal::Verified { counter, .. }
            | Refusal::Blocked { counter, .. } => counter,
        }
    }

    /// Whether forcing could make the command go out: true for the last
    /// attempt, an unknown counter, a verified PIN and a code not initialised,
    /// false for a blocked code
    /// (TS 102 221 §11.1.9–§11.1.13, TS 51.011 §9.2.9–§9.2.13).
    #[must_use]
    pub const fn can_be_forced(&self) -> bool {
        !matches!(self, Refusal::Blocked { .. })
    }

    /// Whether nothing can unblock the code any more: its PUK is blocked (or,
    /// for a PIN refused as blocked, the PUK is known to be blocked too) (TS 102 221 §11.1.13.1.1).
    #[must_use]
    pub const fn is_permanent(&self) -> bool {
        matches!(
            self,
            Refusal::Blocked { counter: RetryCounter::Unblock, .. }
                | Refusal::Blocked { unblock_attempts_left: Some(0), .. }
        )
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Refusal::LastAttempt { key, counter: RetryCounter::Pin } => write!(
                f,
                "{key} has one attempt left: a wrong code now blocks it; not sent (force the last attempt to try)"
            ),
            Refusal::LastAttempt { key, counter: RetryCounter::Unblock } => write!(
                f,
                "the unblock code (PUK) of {key} has one attempt left: after a wrong code now, {}; not \
                 sent (force the last attempt to try)",
                key.unblock_loss()
            ),
            Refusal::CounterUnknown { key, counter } => write!(
                f,
                "the card did not report the {} counter of {key}, so this may be the last attempt; \
                 not sent (force the last attempt to try)",
                match counter {
                    RetryCounter::Pin => "retry",
                    RetryCounter::Unblock => "unblock (PUK)",
                }
            ),
            Refusal::Verified { key, .. } => write!(
                f,
                "{key} is verified now (or its check is disabled), and the card gives no count of its \
                 attempts then, so this may be the last one; not sent (a reset of the card may show the \
                 count; or force the last attempt to try)"
            ),
            Refusal::NotInitialised { key, .. } => write!(
                f,
                "{key} is not initialised on this card (it was never set up), so there is no code to \
                 present; not sent"
            ),
            Refusal::Blocked { key, counter: RetryCounter::Unblock, .. } => {
                write!(f, "the unblock code (PUK) of {key} is blocked for good: {}", key.unblock_loss())
            }
            Refusal::Blocked { key, unblock_attempts_left: Some(0), .. } => {
                write!(f, "{key} and its unblock code (PUK) are both blocked: {}", key.unblock_loss())
            }
            Refusal::Blocked { key, unblock_attempts_left: Some(n), .. } => write!(
                f,
                "{key} is blocked; unblock it with its PUK ({n} attempt{} left)",
                if n == 1 { "" } else { "s" }
            ),
            Refusal::Blocked { key, unblock_attempts_left: None, .. } => {
                write!(f, "{key} is blocked; unblock it with its PUK")
            }
        }
    }
}

impl core::error::Error for Refusal {}

/// What the session read of the counter a command spends: the rows of the
/// table in the module documentation (TS 102 221 §11.1.9.1.2, §11.1.13.1.2;
/// TS 51.011 §9.2.1 bytes 19–22).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Count {
    /// Attempts left, as the card reported them (63 CX, 69 83 as 0; a classic
    /// SIM's status byte) (TS 102 221 §11.1.9.1.2, TS 51.011 §9.2.1).
    Left(u8),
    /// The card gave no count (TS 102 221 §11.1.9.1.2).
    Unknown,
    /// The PIN is verified or disabled (a UICC's query answered 90 00), so the
    /// card gives no count; `at_least` is the session's own count since it
    /// presented the code right (see the module documentation)
    /// (TS 102 221 §11.1.9).
    Verified {
        /// The count read before the session's last right presentation.
        at_least: Option<u8>,
    },
    /// The code is not initialised (a classic SIM's b8 = 0) (TS 51.011 §9.2.1 bytes 19–22).
    NotInitialised,
}

impl Count {
    /// The attempts this reading counts on, when it counts any
    /// (TS 102 221 §11.1.9, TS 51.011 §9.2.1 bytes 19–22).
    #[must_use]
    pub const fn attempts(self) -> Option<u8> {
        match self {
            Count::Left(n) => Some(n),
            Count::Verified { at_least } => at_least,
            Count::Unknown | Count::NotInitialised => None,
        }
    }
}

/// The guard's decision for a command that spends `counter` of `key`, whose
/// value was read as `count`; `unblock_attempts_left` completes the message for
/// a blocked PIN (TS 102 221 §11.1.9–§11.1.13, TS 51.011 §9.2.9–§9.2.13).
///
/// # Errors
/// The [`Refusal`] when the command must not be sent.
pub fn check(
    key: KeyReference,
    counter: RetryCounter,
    count: Count,
    unblock_attempts_left: Option<u8>,
    guard: Guard,
) -> Result<(), Refusal> {
    let attempts_left = match (count, guard) {
        (Count::NotInitialised, Guard::Protect) => return Err(Refusal::NotInitialised { key, counter }),
        // Below 2, the session's own count is a floor under a maximum the card
        // does not tell: "one attempt left" would be a guess.
        (Count::Verified { at_least: None | Some(0 | 1) }, Guard::Protect) => {
            return Err(Refusal::Verified { key, counter });
        }
        _ => count.attempts(),
    };
    match (attempts_left, guard) {
        (Some(0), _) => Err(Refusal::Blocked {
            key,
            counter,
            unblock_attempts_left: match counter {
                RetryCounter::Pin => unblock_attempts_left,
                RetryCounter::Unblock => Some(0),
            },
        }),
        (Some(1), Guard::Protect) => Err(Refusal::LastAttempt { key, counter }),
        (None, Guard::Protect) => Err(Refusal::CounterUnknown { key, counter }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    #[test]
    fn the_table_of_the_module_documentation() {
        let pin = (KeyReference::PIN1, RetryCounter::Pin);
        let check = |left: Option<u8>, guard| {
            check(pin.0, pin.1, left.map_or(Count::Unknown, Count::Left), Some(10), guard)
        };
        assert_eq!(check(Some(3), Guard::Protect), Ok(()));
        assert_eq!(check(Some(2), Guard::Protect), Ok(()));
        assert_eq!(check(Some(1), Guard::Protect), Err(Refusal::LastAttempt { key: pin.0, counter: pin.1 }));
        assert_eq!(check(Some(1), Guard::ForceLastAttempt), Ok(()));
        assert_eq!(check(None, Guard::Protect), Err(Refusal::CounterUnknown { key: pin.0, counter: pin.1 }));
        assert_eq!(check(None, Guard::ForceLastAttempt), Ok(()));
        for guard in [Guard::Protect, Guard::ForceLastAttempt] {
            let refusal = check(Some(0), guard).unwrap_err();
            assert!(!refusal.can_be_forced() && !refusal.is_permanent(), "{refusal}");
            assert!(refusal.to_string().contains("10 attempts left"), "{refusal}");
        }
        // No count for a verified PIN, a session count below 2, or a code not
        // initialised: refused unless forced; a session count of 2 or more counts.
        let with = |count, guard| super::check(pin.0, pin.1, count, Some(10), guard);
        for count in [Count::Verified { at_least: None }, Count::Verified { at_least: Some(1) }] {
            assert_eq!(with(count, Guard::Protect), Err(Refusal::Verified { key: pin.0, counter: pin.1 }));
            assert_eq!(with(count, Guard::ForceLastAttempt), Ok(()));
        }
        assert_eq!(with(Count::Verified { at_least: Some(3) }, Guard::Protect), Ok(()));
        let not_initialised = Refusal::NotInitialised { key: pin.0, counter: pin.1 };
        assert_eq!(with(Count::NotInitialised, Guard::Protect), Err(not_initialised));
        assert_eq!(with(Count::NotInitialised, Guard::ForceLastAttempt), Ok(()));
    }

    #[test]
    fn a_blocked_puk_is_permanent_and_says_so() {
        let refusal =
            check(KeyReference::PIN1, RetryCounter::Unblock, Count::Left(0), None, Guard::ForceLastAttempt)
                .unwrap_err();
        assert!(refusal.is_permanent());
        assert!(refusal.to_string().contains("replaced by the operator"), "{refusal}");
        let both = check(KeyReference::PIN1, RetryCounter::Pin, Count::Left(0), Some(0), Guard::Protect)
            .unwrap_err();
        assert!(both.is_permanent() && both.to_string().contains("unusable"), "{both}");
        let last = Refusal::LastAttempt { key: KeyReference::PIN2, counter: RetryCounter::Unblock };
        assert!(last.to_string().starts_with("the unblock code (PUK) of PIN2 has one attempt left"));
        // PIN2 guards what has it as access condition, not the card (TS 51.011
        // §9.3): losing its PUK costs that, not the card.
        for refusal in [
            last,
            check(KeyReference::PIN2, RetryCounter::Unblock, Count::Left(0), None, Guard::Protect)
                .unwrap_err(),
            check(KeyReference::PIN2, RetryCounter::Pin, Count::Left(0), Some(0), Guard::Protect)
                .unwrap_err(),
        ] {
            let text = refusal.to_string();
            assert!(text.contains("the card itself still works") && !text.contains("replaced"), "{text}");
        }
        let universal =
            check(KeyReference::UNIVERSAL_PIN, RetryCounter::Unblock, Count::Left(0), None, Guard::Protect)
                .unwrap_err();
        assert!(universal.to_string().contains("replaced by the operator"), "{universal}");
        assert!(last.can_be_forced() && !last.is_permanent());
        assert_eq!((last.key(), last.counter()), (KeyReference::PIN2, RetryCounter::Unblock));
    }
}
