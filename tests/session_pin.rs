//! PIN management through the session, against the virtual SIM in both
//! personalities: status without spending an attempt (TS 51.011 §9.2.1 bytes
//! 19–22; TS 102 221 §9.5.2 PS_DO and §11.1.9.1.2 / §11.1.13.1.2 counter
//! queries), the five operations with their outcomes (TS 51.011 §9.4.5, TS 102
//! 221 §11.1.9–§11.1.13, resolved.md Q1–Q3), and the last-attempt guard. The
//! codes and counters are the ones each test's card profile sets.

#![cfg(feature = "virtual-sim")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use simcore::card::{CardStatus, Guard, PinOutcome, Refusal, Sim, SimError};
use simcore::chv::{ChvError, KeyReference, Pin, RetryCounter};
use simcore::transport::Protocol;
use simcore::transport::mock::MockTransport;
use simcore::virtual_sim::VirtualSim;
use simcore::{Profile, StatusWord};

const PIN1: KeyReference = KeyReference::PIN1;
const PIN2: KeyReference = KeyReference::PIN2;

fn card(personality: Profile, codes: &str) -> Sim<VirtualSim> {
    let word = if personality == Profile::Sim { "sim" } else { "uicc" };
    let card = VirtualSim::from_toml(&format!("personality = \"{word}\"\n[codes]\n{codes}")).unwrap();
    Sim::open(card).unwrap()
}

fn pin(code: &str) -> Pin {
    Pin::new(code).unwrap()
}

fn puk(code: &str) -> Pin {
    Pin::puk(code).unwrap()
}

const BOTH: [Profile; 2] = [Profile::Uicc, Profile::Sim];

/// The counter and enabled state the card reports for PIN1.
fn pin1(sim: &mut Sim<VirtualSim>) -> (Option<bool>, Option<u8>, Option<u8>) {
    let s = sim.pin_status(PIN1).unwrap();
    (s.enabled, s.attempts_left, s.unblock_attempts_left)
}

#[test]
fn status_reads_every_counter_without_spending_one() {
    let codes = "pin1 = { value = \"1234\", attempts_left = 2 }\npuk1 = { value = \"12345678\", attempts_left = 7 }\n\
                 pin2 = { value = \"5678\", enabled = false }\n";
    for personality in BOTH {
        let mut sim = card(personality, codes);
        let before = sim.apdu_count();
        let s = sim.pin_status(PIN1).unwrap();
        assert_eq!((s.enabled, s.attempts_left, s.unblock_attempts_left), (Some(true), Some(2), Some(7)));
        assert!(!s.is_blocked() && !s.is_unblock_blocked());
        // SIM: one STATUS. UICC: the FCP of the MF (SELECT + GET RESPONSE) and two queries.
        let cost = if personality == Profile::Sim { 1 } else { 4 };
        assert_eq!(sim.apdu_count() - before, cost, "{personality:?}");
        let s2 = sim.pin_status(PIN2).unwrap();
        assert_eq!((s2.attempts_left, s2.unblock_attempts_left), (Some(3), Some(10)), "{personality:?}");
        // CHV2 on a SIM is "enabled" when initialised (TS 51.011 §9.2.1 has no bit
        // for it); a UICC's PS_DO says disabled.
        let expected = if personality == Profile::Sim { Some(true) } else { Some(false) };
        assert_eq!(s2.enabled, expected, "{personality:?}");
        // Reading the status again does not change it.
        assert_eq!(sim.pin_status(PIN1).unwrap(), s);
    }
}

#[test]
fn pin1_and_pin2_together_cost_one_status_on_a_sim() {
    let codes = "pin1 = { value = \"1234\", attempts_left = 2 }\npuk1 = { value = \"12345678\", attempts_left = 7 }\n\
                 pin2 = { value = \"5678\", attempts_left = 1 }\npuk2 = { value = \"87654321\", attempts_left = 0 }\n";
    for personality in BOTH {
        let mut sim = card(personality, codes);
        let one_by_one = [sim.pin_status(PIN1).unwrap(), sim.pin_status(PIN2).unwrap()];
        assert_eq!(
            one_by_one.map(|s| (s.attempts_left, s.unblock_attempts_left)),
            [(Some(2), Some(7)), (Some(1), Some(0))],
            "{personality:?}"
        );
        let before = sim.apdu_count();
        let together = sim.pin_statuses([PIN1, PIN2]).unwrap();
        assert_eq!(together, one_by_one, "{personality:?}");
        assert!(together[1].is_unblock_blocked(), "{personality:?}");
        // SIM: one STATUS (TS 51.011 §9.2.1 bytes 19–22 hold all four
        // counters). UICC: two queries per PIN, the PS_DO known already.
        let cost = if personality == Profile::Sim { 1 } else { 4 };
        assert_eq!(sim.apdu_count() - before, cost, "{personality:?}");
    }
    // A code a classic SIM does not report costs nothing.
    let mut sim = card(Profile::Sim, "");
    let before = sim.apdu_count();
    let [adm] = sim.pin_statuses([KeyReference::ADM1]).unwrap();
    assert_eq!((adm.attempts_left, sim.apdu_count()), (None, before));
    // A code a classic SIM does not have at all (TS 51.011 §9.3 knows CHV1,
    // CHV2 and ADM; the universal PIN is TS 102 221 §9.4.1's) is an error, as a
    // UICC's 6A 88 is, and costs nothing either.
    let err = sim.pin_status(KeyReference::UNIVERSAL_PIN).unwrap_err();
    assert!(matches!(err, SimError::Chv(ChvError::NoSuchCode { profile: Profile::Sim, .. })), "{err}");
    assert!(sim.pin_statuses([PIN1, KeyReference::UNIVERSAL_PIN]).is_err());
    assert_eq!(sim.apdu_count(), before);
}

#[test]
fn status_costs_on_a_uicc_depend_on_the_current_df() {
    let mut sim = card(Profile::Uicc, "");
    // From the MF, PIN2 (a local key reference, TS 102 221 §9.4) is looked up
    // in ADF.USIM: SELECT by AID, its FCP (SELECT 7FFF, GET RESPONSE), two
    // queries. The virtual card, as a strict UICC, answers 6A 88 for 81
    // outside an application.
    let before = sim.apdu_count();
    let s = sim.pin_status(PIN2).unwrap();
    assert_eq!((s.enabled, s.verified, s.attempts_left), (Some(true), Some(false), Some(3)));
    assert_eq!(sim.apdu_count() - before, 5);
    // The ADF's PS_DO lists PIN1 too: no FCP this time.
    let before = sim.apdu_count();
    sim.pin_status(PIN1).unwrap();
    assert_eq!(sim.apdu_count() - before, 2);
    // ADM has no PUK: one query.
    let before = sim.apdu_count();
    let adm = sim.pin_status(KeyReference::ADM1).unwrap();
    assert_eq!((adm.attempts_left, adm.unblock_attempts_left), (Some(3), None));
    assert_eq!(sim.apdu_count() - before, 1);
    // A code the card does not have: 6A 88.
    let err = sim.pin_status(KeyReference::UNIVERSAL_PIN).unwrap_err();
    assert_eq!(err.status(), Some(StatusWord::REFERENCED_DATA_NOT_FOUND), "{err}");
}

#[test]
fn verify_right_and_wrong() {
    for personality in BOTH {
        let mut sim = card(personality, "");
        let before = sim.apdu_count();
        assert_eq!(
            sim.verify(PIN1, &pin("0000"), Guard::Protect).unwrap(),
            PinOutcome::WrongCode { attempts_left: Some(2) }
        );
        // The guard's counter read and the VERIFY.
        assert_eq!(sim.apdu_count() - before, 2, "{personality:?}");
        assert_eq!(pin1(&mut sim).1, Some(2));
        assert!(sim.imsi().unwrap_err().needs_pin());
        assert_eq!(sim.verify(PIN1, &pin("1234"), Guard::Protect).unwrap(), PinOutcome::Done);
        // A right code restores the counter (TS 102 221 §11.1.9). A classic SIM
        // shows it; a UICC answers the query of a verified PIN with 90 00 and no
        // count (ISO/IEC 7816-4 VERIFY without data).
        let status = sim.pin_status(PIN1).unwrap();
        if personality == Profile::Sim {
            assert_eq!(status.attempts_left, Some(3));
        } else {
            assert_eq!((status.attempts_left, status.verified), (None, Some(true)));
        }
        assert!(sim.imsi().is_ok());
        // PIN2 is separate.
        assert_eq!(sim.verify(PIN2, &pin("5678"), Guard::Protect).unwrap(), PinOutcome::Done);
    }
}

#[test]
fn a_verified_uicc_pin_is_counted_from_this_sessions_own_verify() {
    // A UICC answers the counter query of a verified PIN with 90 00 and no
    // count (ISO/IEC 7816-4 VERIFY without data). The right code reset the
    // counter to its maximum (TS 102 221 §11.1.9), at least the 3 read before
    // it, so the session that verified may CHANGE under the guard.
    let mut sim = card(Profile::Uicc, "");
    assert_eq!(sim.verify(PIN1, &pin("1234"), Guard::Protect).unwrap(), PinOutcome::Done);
    assert_eq!(sim.pin_status(PIN1).unwrap().verified, Some(true));
    assert_eq!(sim.change(PIN1, &pin("1234"), &pin("4321"), Guard::Protect).unwrap(), PinOutcome::Done);
    // A new session on the same card (still verified) knows nothing of that:
    // the guard cannot tell, and refuses unless forced.
    let mut sim = Sim::open_link(sim.into_link()).unwrap();
    let err = sim.change(PIN1, &pin("4321"), &pin("1234"), Guard::Protect).unwrap_err();
    let refusal = Refusal::Verified { key: PIN1, counter: RetryCounter::Pin };
    assert_eq!(err, SimError::Refused(refusal));
    assert!(refusal.can_be_forced() && refusal.to_string().contains("is verified now"), "{refusal}");
    // Forced, it goes; with the count read before unknown, the session still
    // knows no bound afterwards.
    let outcome = sim.change(PIN1, &pin("4321"), &pin("1234"), Guard::ForceLastAttempt).unwrap();
    assert_eq!(outcome, PinOutcome::Done);
    let err = sim.disable(PIN1, &pin("1234"), Guard::Protect).unwrap_err();
    assert_eq!(err, SimError::Refused(refusal));
    // A session whose caller sends a raw command after its VERIFY forgets the bound.
    let mut sim = card(Profile::Uicc, "");
    assert_eq!(sim.verify(PIN1, &pin("1234"), Guard::Protect).unwrap(), PinOutcome::Done);
    let mut out = [0u8; 4];
    sim.transmit(&simcore::apdu::Command::new(0x00, 0xF2, 0x00, 0x0C), &mut out).unwrap();
    let err = sim.disable(PIN1, &pin("1234"), Guard::Protect).unwrap_err();
    assert_eq!(err, SimError::Refused(refusal));
    // After a reset the card gives the count again (ISO/IEC 7816-3 §6.2 ends
    // the verification), and the guard lets the command go.
    let mut link = sim.into_link();
    link.reset(simcore::transport::Reset::Warm).unwrap();
    let mut sim = Sim::open_link(link).unwrap();
    assert_eq!(sim.pin_status(PIN1).unwrap().attempts_left, Some(3));
    assert_eq!(sim.disable(PIN1, &pin("1234"), Guard::Protect).unwrap(), PinOutcome::Done);
}

/// A session on a UICC (T=1) that keeps answering the counter query of a
/// verified PIN 90 00: opened, PIN1 verified right (under `guard`) after the
/// count `before` (63 CX); the card then answers `then` (command, answer).
fn verified_session(before: &str, guard: Guard, then: &[(&str, &str)]) -> Sim<MockTransport> {
    let mut card = MockTransport::new(Protocol::T1)
        .expect_hex("00 A4 00 0C 02 3F 00", "90 00")
        .unwrap()
        .expect_hex("00 20 00 01", before)
        .unwrap()
        .expect_hex("00 20 00 01 08 31 32 33 34 FF FF FF FF", "90 00")
        .unwrap();
    for (command, answer) in then {
        card = card.expect_hex(command, answer).unwrap();
    }
    let mut sim = Sim::open(card).unwrap();
    assert_eq!(sim.verify(PIN1, &pin("1234"), guard).unwrap(), PinOutcome::Done);
    sim
}

#[test]
fn the_sessions_count_of_a_verified_pin_ends_where_it_must() {
    let verified = Refusal::Verified { key: PIN1, counter: RetryCounter::Pin };
    let query = "00 20 00 01";
    // A wrong code ends it, even on a card that still answers the query 90 00.
    let change = "00 24 00 01 10 30 30 30 30 FF FF FF FF 31 31 31 31 FF FF FF FF";
    let mut sim =
        verified_session("63 C3", Guard::Protect, &[(query, "90 00"), (change, "63 C2"), (query, "90 00")]);
    let outcome = sim.change(PIN1, &pin("0000"), &pin("1111"), Guard::Protect).unwrap();
    assert_eq!(outcome, PinOutcome::WrongCode { attempts_left: Some(2) });
    assert_eq!(sim.disable(PIN1, &pin("1234"), Guard::Protect).unwrap_err(), SimError::Refused(verified));
    sim.link().transport().finish().unwrap();
    // So does an UNBLOCK.
    let unblock = "00 2C 00 01 10 31 32 33 34 35 36 37 38 31 32 33 34 FF FF FF FF";
    let then = [("00 2C 00 01", "63 CA"), (unblock, "90 00"), (query, "90 00")];
    let mut sim = verified_session("63 C3", Guard::Protect, &then);
    assert_eq!(sim.unblock(PIN1, &puk("12345678"), &pin("1234"), Guard::Protect).unwrap(), PinOutcome::Done);
    assert_eq!(sim.verify(PIN1, &pin("1234"), Guard::Protect).unwrap_err(), SimError::Refused(verified));
    sim.link().transport().finish().unwrap();
    // PIN1's count says nothing of PIN2 (asked in ADF.USIM, its application),
    // and `link_mut` ends it.
    let usim = ("00 A4 04 0C 07 A0 00 00 00 87 10 02", "90 00");
    let then = [usim, ("00 20 00 81", "90 00"), (query, "90 00")];
    let mut sim = verified_session("63 C3", Guard::Protect, &then);
    let err = sim.verify(PIN2, &pin("5678"), Guard::Protect).unwrap_err();
    assert_eq!(err, SimError::Refused(Refusal::Verified { key: PIN2, counter: RetryCounter::Pin }));
    let _ = sim.link_mut();
    assert_eq!(
        sim.change(PIN1, &pin("1234"), &pin("1111"), Guard::Protect).unwrap_err(),
        SimError::Refused(verified)
    );
    sim.link().transport().finish().unwrap();
    // A count of 1 before a forced right VERIFY says nothing of the maximum the
    // counter went back to: the refusal says the PIN is verified, not that one
    // attempt is left.
    let mut sim = verified_session("63 C1", Guard::ForceLastAttempt, &[(query, "90 00")]);
    assert_eq!(sim.disable(PIN1, &pin("1234"), Guard::Protect).unwrap_err(), SimError::Refused(verified));
    sim.link().transport().finish().unwrap();
    // While nothing ends it, the count read before the VERIFY stands.
    let disable = "00 26 00 01 08 31 32 33 34 FF FF FF FF";
    let mut sim = verified_session("63 C3", Guard::Protect, &[(query, "90 00"), (disable, "90 00")]);
    assert_eq!(sim.disable(PIN1, &pin("1234"), Guard::Protect).unwrap(), PinOutcome::Done);
    sim.link().transport().finish().unwrap();
}

#[test]
fn change_enable_disable_and_their_contradictions() {
    for personality in BOTH {
        let mut sim = card(personality, "");
        assert_eq!(sim.change(PIN1, &pin("1234"), &pin("4321"), Guard::Protect).unwrap(), PinOutcome::Done);
        assert_eq!(
            sim.change(PIN1, &pin("1234"), &pin("9999"), Guard::Protect).unwrap(),
            PinOutcome::WrongCode { attempts_left: Some(2) }
        );
        assert_eq!(sim.verify(PIN1, &pin("4321"), Guard::Protect).unwrap(), PinOutcome::Done);
        assert_eq!(sim.disable(PIN1, &pin("4321"), Guard::Protect).unwrap(), PinOutcome::Done);
        assert_eq!(pin1(&mut sim).0, Some(false), "{personality:?}");
        // Disabled: the IMSI is readable without verification (TS 51.011 §9.2.11).
        assert!(sim.imsi().is_ok());
        // 98 08 / 69 85: contradiction with the PIN's state, no attempt spent.
        assert_eq!(sim.disable(PIN1, &pin("4321"), Guard::Protect).unwrap(), PinOutcome::Contradiction);
        assert_eq!(sim.verify(PIN1, &pin("4321"), Guard::Protect).unwrap(), PinOutcome::Contradiction);
        assert_eq!(pin1(&mut sim).1, Some(3));
        assert_eq!(sim.enable(PIN1, &pin("4321"), Guard::Protect).unwrap(), PinOutcome::Done);
        assert_eq!(pin1(&mut sim).0, Some(true), "{personality:?}");
        assert_eq!(sim.enable(PIN1, &pin("4321"), Guard::Protect).unwrap(), PinOutcome::Contradiction);
    }
    // TS 51.011 §9.2.11–§9.2.12: only CHV1 can be disabled or enabled on a SIM.
    let mut sim = card(Profile::Sim, "");
    let before = sim.apdu_count();
    let err = sim.disable(PIN2, &pin("5678"), Guard::Protect).unwrap_err();
    assert!(matches!(err, SimError::Chv(ChvError::NotOnProfile { .. })), "{err}");
    assert_eq!(sim.apdu_count(), before);
    // A UICC disables PIN2.
    let mut sim = card(Profile::Uicc, "");
    assert_eq!(sim.disable(PIN2, &pin("5678"), Guard::Protect).unwrap(), PinOutcome::Done);
    assert_eq!(sim.pin_status(PIN2).unwrap().enabled, Some(false));
}

#[test]
fn the_guard_keeps_the_last_attempt() {
    for personality in BOTH {
        let mut sim = card(personality, "pin1 = { value = \"1234\", attempts_left = 1 }\n");
        // One attempt left: a wrong VERIFY is refused and nothing is spent.
        let err = sim.verify(PIN1, &pin("0000"), Guard::Protect).unwrap_err();
        assert_eq!(err, SimError::Refused(Refusal::LastAttempt { key: PIN1, counter: RetryCounter::Pin }));
        assert!(err.to_string().contains("one attempt left"), "{err}");
        assert_eq!(pin1(&mut sim).1, Some(1), "{personality:?}");
        // So are CHANGE, DISABLE (ENABLE would be a contradiction first).
        assert!(matches!(
            sim.change(PIN1, &pin("0000"), &pin("1111"), Guard::Protect),
            Err(SimError::Refused(_))
        ));
        assert!(matches!(sim.disable(PIN1, &pin("0000"), Guard::Protect), Err(SimError::Refused(_))));
        assert_eq!(pin1(&mut sim).1, Some(1));
        // Forced, the wrong code blocks PIN1.
        assert_eq!(
            sim.verify(PIN1, &pin("0000"), Guard::ForceLastAttempt).unwrap(),
            PinOutcome::WrongCode { attempts_left: Some(0) },
            "{personality:?}"
        );
        assert!(sim.pin_status(PIN1).unwrap().is_blocked());
        // Blocked: refused even forced, pointing at the PUK.
        let err = sim.verify(PIN1, &pin("1234"), Guard::ForceLastAttempt).unwrap_err();
        let SimError::Refused(refusal) = err else { panic!("{err}") };
        assert_eq!(
            refusal,
            Refusal::Blocked { key: PIN1, counter: RetryCounter::Pin, unblock_attempts_left: Some(10) }
        );
        assert!(refusal.to_string().contains("unblock it with its PUK (10 attempts left)"), "{refusal}");
        // A wrong PUK costs one PUK attempt; the right one restores PIN1.
        assert_eq!(
            sim.unblock(PIN1, &puk("00000000"), &pin("2468"), Guard::Protect).unwrap(),
            PinOutcome::WrongCode { attempts_left: Some(9) }
        );
        assert_eq!(
            sim.unblock(PIN1, &puk("12345678"), &pin("2468"), Guard::Protect).unwrap(),
            PinOutcome::Done
        );
        // TS 102 221 §11.1.13: counters back to their maximum, PIN enabled and
        // verified (on a UICC the verified PIN's count is not given).
        let pin1_count = if personality == Profile::Sim { Some(3) } else { None };
        assert_eq!(pin1(&mut sim), (Some(true), pin1_count, Some(10)), "{personality:?}");
        assert!(sim.imsi().is_ok());
        // Verifying again: a classic SIM shows the count; a UICC gives none for
        // a verified PIN, and UNBLOCK leaves the session no bound to go by.
        let again = sim.verify(PIN1, &pin("2468"), Guard::Protect);
        if personality == Profile::Sim {
            assert_eq!(again.unwrap(), PinOutcome::Done);
        } else {
            assert_eq!(
                again.unwrap_err(),
                SimError::Refused(Refusal::Verified { key: PIN1, counter: RetryCounter::Pin })
            );
        }
    }
}

#[test]
fn the_guard_keeps_the_last_puk_attempt_and_names_a_blocked_puk_before_trying() {
    for personality in BOTH {
        let mut sim = card(
            personality,
            "pin1 = { value = \"1234\", attempts_left = 0 }\npuk1 = { value = \"12345678\", attempts_left = 1 }\n",
        );
        let err = sim.unblock(PIN1, &puk("00000000"), &pin("1111"), Guard::Protect).unwrap_err();
        assert_eq!(
            err,
            SimError::Refused(Refusal::LastAttempt { key: PIN1, counter: RetryCounter::Unblock })
        );
        assert_eq!(pin1(&mut sim).2, Some(1));
        // Forced: the PUK blocks, for good.
        assert_eq!(
            sim.unblock(PIN1, &puk("00000000"), &pin("1111"), Guard::ForceLastAttempt).unwrap(),
            PinOutcome::WrongCode { attempts_left: Some(0) },
            "{personality:?}"
        );
        let status = sim.pin_status(PIN1).unwrap();
        assert!(status.is_blocked() && status.is_unblock_blocked());
        // From now on nothing is sent: the counter read only.
        let before = sim.apdu_count();
        let err = sim.unblock(PIN1, &puk("12345678"), &pin("1111"), Guard::ForceLastAttempt).unwrap_err();
        let SimError::Refused(refusal) = err else { panic!("{err}") };
        assert!(refusal.is_permanent() && !refusal.can_be_forced());
        assert!(refusal.to_string().contains("must be replaced by the operator"), "{refusal}");
        assert_eq!(sim.apdu_count() - before, 1);
        // And VERIFY says the card is unusable.
        let err = sim.verify(PIN1, &pin("1234"), Guard::Protect).unwrap_err();
        assert!(matches!(err, SimError::Refused(r) if r.is_permanent()), "{err}");
    }
}

#[test]
fn a_puk_that_is_not_eight_digits_is_never_sent() {
    // TS 51.011 §9.3: an UNBLOCK CHV has 8 digits. A 4-digit "PUK" (the PIN and
    // PUK swapped, say) can only be wrong: refused before anything goes out,
    // even forced, and the PUK counter keeps its 10 attempts.
    for personality in BOTH {
        let mut sim = card(personality, "pin1 = { value = \"1234\", attempts_left = 0 }\n");
        let before = sim.apdu_count();
        for guard in [Guard::Protect, Guard::ForceLastAttempt] {
            let err = sim.unblock(PIN1, &pin("4321"), &puk("12345678"), guard).unwrap_err();
            assert_eq!(err, SimError::Chv(ChvError::UnblockCodeLength { digits: 4 }), "{personality:?}");
        }
        assert_eq!(sim.apdu_count(), before);
        assert_eq!(pin1(&mut sim).2, Some(10));
        // The real PUK still works.
        let outcome = sim.unblock(PIN1, &puk("12345678"), &pin("4321"), Guard::Protect).unwrap();
        assert_eq!(outcome, PinOutcome::Done, "{personality:?}");
    }
}

#[test]
fn a_uicc_that_gives_no_count_is_refused_unless_forced() {
    // VERIFY without data answered 90 00 (already verified) or with no count at
    // all (6F 00): the guard cannot rule out the last attempt.
    let script = || {
        MockTransport::new(Protocol::T1)
            .expect_hex("00 A4 00 0C 02 3F 00", "90 00")
            .unwrap()
            .expect_hex("00 20 00 01", "90 00")
            .unwrap()
    };
    let mut sim = Sim::open(script()).unwrap();
    let err = sim.verify(PIN1, &pin("1234"), Guard::Protect).unwrap_err();
    assert_eq!(err, SimError::Refused(Refusal::Verified { key: PIN1, counter: RetryCounter::Pin }));
    sim.link().transport().finish().unwrap();
    let card = MockTransport::new(Protocol::T1)
        .expect_hex("00 A4 00 0C 02 3F 00", "90 00")
        .unwrap()
        .expect_hex("00 20 00 01", "6F 00")
        .unwrap();
    let mut sim = Sim::open(card).unwrap();
    let err = sim.verify(PIN1, &pin("1234"), Guard::Protect).unwrap_err();
    assert_eq!(err, SimError::Refused(Refusal::CounterUnknown { key: PIN1, counter: RetryCounter::Pin }));
    sim.link().transport().finish().unwrap();
    // Forced: sent (vector V72).
    let card = script().expect_hex("00 20 00 01 08 31 32 33 34 FF FF FF FF", "90 00").unwrap();
    let mut sim = Sim::open(card).unwrap();
    assert_eq!(sim.verify(PIN1, &pin("1234"), Guard::ForceLastAttempt).unwrap(), PinOutcome::Done);
    sim.link().transport().finish().unwrap();
}

/// A classic SIM that the session detects (the UICC's SELECT MF refused with
/// 6E 00, then the SIM's answered 9F 16), then answers STATUS with `status`.
fn classic_sim_with_status(status: &str) -> MockTransport {
    MockTransport::new(Protocol::T0)
        .expect_hex("00 A4 00 0C 02 3F 00", "6E 00")
        .unwrap()
        .expect_hex("A0 A4 00 00 02 3F 00", "9F 16")
        .unwrap()
        .expect_hex("A0 F2 00 00 16", status)
        .unwrap()
}

#[test]
fn classic_sim_status_words_become_outcomes() {
    // V91's DF response (CHV1 3 left, UNBLOCK CHV1 10, CHV2 3, UNBLOCK CHV2 10),
    // then the answers of TS 51.011 §9.4.5 to VERIFY CHV1 (vector V71).
    let status = "00 00 00 00 3F 00 01 00 00 00 00 00 09 81 02 0C 04 00 83 8A 83 8A 90 00";
    let verify = "A0 20 00 01 08 31 32 33 34 FF FF FF FF";
    for (answer, outcome) in [
        ("98 04", PinOutcome::WrongCode { attempts_left: Some(2) }),
        ("98 02", PinOutcome::NotInitialised),
        ("98 08", PinOutcome::Contradiction),
        ("98 40", PinOutcome::WrongCode { attempts_left: Some(0) }),
        (
            "6F 00",
            PinOutcome::NotAllowed(CardStatus {
                sw: StatusWord::NO_PRECISE_DIAGNOSIS,
                profile: Profile::Sim,
            }),
        ),
    ] {
        let card = classic_sim_with_status(status).expect_hex(verify, answer).unwrap();
        let mut sim = Sim::open(card).unwrap();
        assert_eq!(sim.verify(PIN1, &pin("1234"), Guard::Protect).unwrap(), outcome, "{answer}");
        sim.link().transport().finish().unwrap();
    }
}

#[test]
fn a_chv2_that_was_never_set_up_is_neither_counted_nor_called_blocked() {
    // V91's DF response with bytes 21–22 = 00 00: b8 = 0, CHV2 and UNBLOCK CHV2
    // not initialised (TS 51.011 §9.2.1), so their b4–b1 count nothing.
    let status = "00 00 00 00 3F 00 01 00 00 00 00 00 09 81 02 0C 04 00 83 8A 00 00 90 00";
    let script = || classic_sim_with_status(status);
    // One STATUS for the status, and a fresh one before each command.
    let card = script().expect_hex("A0 F2 00 00 16", status).unwrap().expect_hex("A0 F2 00 00 16", status);
    let mut sim = Sim::open(card.unwrap()).unwrap();
    let [pin1, pin2] = sim.pin_statuses([PIN1, PIN2]).unwrap();
    assert_eq!(
        (pin1.attempts_left, pin1.unblock_attempts_left, pin1.initialised),
        (Some(3), Some(10), Some(true))
    );
    assert_eq!((pin2.attempts_left, pin2.unblock_attempts_left, pin2.initialised), (None, None, Some(false)));
    assert!(!pin2.is_blocked() && !pin2.is_unblock_blocked());
    // VERIFY and UNBLOCK are refused before anything is sent: not as blocked
    // (the card is not unusable) and not as an unknown counter.
    let err = sim.verify(PIN2, &pin("5678"), Guard::Protect).unwrap_err();
    let refusal = Refusal::NotInitialised { key: PIN2, counter: RetryCounter::Pin };
    assert_eq!(err, SimError::Refused(refusal));
    assert!(refusal.can_be_forced() && !refusal.is_permanent());
    assert!(refusal.to_string().contains("not initialised"), "{refusal}");
    let err = sim.unblock(PIN2, &puk("87654321"), &pin("5678"), Guard::Protect).unwrap_err();
    assert_eq!(err, SimError::Refused(Refusal::NotInitialised { key: PIN2, counter: RetryCounter::Unblock }));
    sim.link().transport().finish().unwrap();
    // Forced, the card has the last word: 98 02 (TS 51.011 §9.4.5).
    let card = script().expect_hex("A0 20 00 02 08 35 36 37 38 FF FF FF FF", "98 02").unwrap();
    let mut sim = Sim::open(card).unwrap();
    let outcome = sim.verify(PIN2, &pin("5678"), Guard::ForceLastAttempt).unwrap();
    assert_eq!(outcome, PinOutcome::NotInitialised);
    sim.link().transport().finish().unwrap();
}

#[test]
fn a_blocked_puk_is_refused_even_beside_a_chv_not_initialised() {
    // V91's DF response with byte 19 = 0C (CHV1: b8 = 0, not initialised) and
    // byte 20 = 80 (UNBLOCK CHV1: initialised, 0 attempts left): the UNBLOCK
    // CHV1 would spend a PUK attempt the card reports at 0, which is for good
    // (TS 51.011 §9.2.1 bytes 19–22). Forcing does not send it. Found by the
    // `session` fuzz target, whose oracle reads the count of the counter spent.
    let status = "00 00 00 00 3F 00 01 00 00 00 00 00 09 81 02 0C 04 00 0C 80 83 8A 90 00";
    let card = classic_sim_with_status(status).expect_hex("A0 F2 00 00 16", status).unwrap();
    let mut sim = Sim::open(card).unwrap();
    for guard in [Guard::Protect, Guard::ForceLastAttempt] {
        let err = sim.unblock(PIN1, &puk("12345678"), &pin("1234"), guard).unwrap_err();
        let SimError::Refused(refusal) = err else { panic!("{err:?}") };
        assert!(refusal.is_permanent(), "{refusal:?}");
    }
    sim.link().transport().finish().unwrap();
}

#[test]
fn outcomes_read_like_sentences() {
    assert_eq!(PinOutcome::WrongCode { attempts_left: Some(2) }.to_string(), "wrong code; 2 attempts left");
    assert_eq!(PinOutcome::WrongCode { attempts_left: Some(1) }.to_string(), "wrong code; 1 attempt left");
    assert_eq!(PinOutcome::WrongCode { attempts_left: Some(0) }.to_string(), "wrong code; now blocked");
    assert!(PinOutcome::Done.is_done() && !PinOutcome::Blocked.is_done());
}

#[test]
fn pin2_is_presented_in_its_application() {
    // TS 102 221 §9.4, table 9.3: 81 is local to the application. After a
    // read from the MF (EF_ICCID) the session selects ADF.USIM again before
    // PIN2's counter query and its VERIFY; the virtual card, like a strict
    // UICC, answers 6A 88 to 81 anywhere else.
    let mut sim = card(Profile::Uicc, "");
    sim.iccid().unwrap();
    assert_eq!(sim.verify(PIN2, &pin("5678"), Guard::Protect).unwrap(), PinOutcome::Done);
    sim.iccid().unwrap();
    let status = sim.pin_status(PIN2).unwrap();
    assert_eq!((status.verified, status.unblock_attempts_left), (Some(true), Some(10)));
    sim.iccid().unwrap();
    let outcome = sim.change(PIN2, &pin("5678"), &pin("8765"), Guard::Protect).unwrap();
    assert_eq!(outcome, PinOutcome::Done);
}

#[test]
fn pin2_falls_back_to_df_gsm_on_a_uicc_without_a_usim() {
    // No USIM (SELECT by AID refused, no EF_DIR): PIN2 is looked up where a
    // GSM-only UICC keeps it, DF_GSM, whose PS_DO lists 81 (TS 102 221 §9.5.2).
    let df_gsm = "62 1E 82 02 78 21 83 02 7F 20 8A 01 05 8B 03 2F 06 01 \
                  C6 0C 90 01 E0 83 01 01 83 01 81 83 01 0A 90 00";
    let card = MockTransport::new(Protocol::T1)
        .expect_hex("00 A4 00 0C 02 3F 00", "90 00")
        .unwrap()
        .expect_hex("00 A4 04 0C 07 A0 00 00 00 87 10 02", "6A 82")
        .unwrap()
        .expect_hex("00 A4 08 04 02 2F 00 00", "6A 82")
        .unwrap()
        .expect_hex("00 A4 08 04 02 7F 20 00", df_gsm)
        .unwrap()
        .expect_hex("00 20 00 81", "63 C3")
        .unwrap()
        .expect_hex("00 2C 00 81", "63 CA")
        .unwrap();
    let mut sim = Sim::open(card).unwrap();
    let status = sim.pin_status(PIN2).unwrap();
    assert_eq!(
        (status.enabled, status.attempts_left, status.unblock_attempts_left),
        (Some(true), Some(3), Some(10))
    );
    sim.link().transport().finish().unwrap();
}
