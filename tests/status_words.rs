//! Status words against vectors F of ../shared/spec/vectors.md (meanings from
//! ISO/IEC 7816-4 §5.6, TS 51.011 §9.4 and TS 102 221 §10.2.1).

// Tests fail loudly: unwrap, expect, panic and indexing are the point here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use simcore::hex::HexError;
use simcore::sw::{Action, ChvStatus, Class, ResponseClass};
use simcore::{Profile, StatusWord};

fn sw(value: u16) -> StatusWord {
    StatusWord::from_u16(value)
}

fn text(value: u16, profile: Profile) -> String {
    sw(value).describe(profile).to_string()
}

#[test]
fn v40_success() {
    assert_eq!(sw(0x9000), StatusWord::SUCCESS);
    assert_eq!(sw(0x9000).class(), Class::Success);
    assert_eq!(sw(0x9000).action(), None);
    assert_eq!(sw(0x9000).chv(Profile::Uicc), None);
    assert_eq!(text(0x9000, Profile::Sim), "90 00: normal ending of the command");
}

#[test]
fn v41_to_v43_gsm_9fxx_asks_get_response_with_cla_a0() {
    for (value, len) in [(0x9F16, 22), (0x9F0F, 15), (0x9F0C, 12)] {
        assert_eq!(sw(value).class(), Class::Success);
        assert_eq!(sw(value).action(), Some(Action::GetResponse { cla: ResponseClass::Sim, len }));
    }
    assert_eq!(text(0x9F16, Profile::Sim), "9F 16: 22 response bytes available (GET RESPONSE)");
    // 9F is not a UICC code.
    assert_eq!(text(0x9F16, Profile::Uicc), "9F 16: unknown status word");
}

#[test]
fn status_words_parse_from_hex_text() {
    // The spellings of ISO/IEC 7816-4 §5.6 and the specifications' tables.
    for text in ["6A82", "6A 82", "0x6A82", " 6a82 "] {
        assert_eq!(text.parse::<StatusWord>(), Ok(StatusWord::FILE_NOT_FOUND), "{text:?}");
    }
    // Too short, too long, not hex: what and where (characters from 0).
    assert_eq!("90".parse::<StatusWord>(), Err(HexError::TooShort { expected: 2, found: 1, offset: 2 }));
    assert_eq!("".parse::<StatusWord>().unwrap_err().offset(), 0);
    assert_eq!("90 00 00".parse::<StatusWord>().unwrap_err().offset(), 6);
    assert_eq!("90 0G".parse::<StatusWord>(), Err(HexError::InvalidChar { found: 'G', offset: 4 }));
}

#[test]
fn counts_of_one_are_singular() {
    // 63 C1 after VERIFY (TS 102 221 §10.2.1.3), 92 01 (TS 51.011 §9.4.3),
    // 61 01 / 6C 01 (ISO/IEC 7816-4 table 5): one attempt, retry, byte.
    assert_eq!(
        text(0x63C1, Profile::Uicc),
        "63 C1: verification failed: 1 attempt left (other commands: success after 1 internal retry)"
    );
    assert_eq!(text(0x9201, Profile::Sim), "92 01: command successful after 1 internal update retry");
    assert_eq!(text(0x6101, Profile::Uicc), "61 01: 1 response byte available (GET RESPONSE)");
    assert_eq!(text(0x6C01, Profile::Uicc), "6C 01: wrong Le: 1 byte available (resend with Le = 1)");
    assert_eq!(
        text(0x63C2, Profile::Uicc),
        "63 C2: verification failed: 2 attempts left (other commands: success after 2 internal retries)"
    );
    assert_eq!(text(0x9F02, Profile::Sim), "9F 02: 2 response bytes available (GET RESPONSE)");
}

#[test]
fn an_iso_code_from_a_classic_sim_gets_the_iso_meaning_marked_as_such() {
    // TS 51.011 §9.4 has no 6A 82; ISO/IEC 7816-4 table 6 does ("file or
    // application not found"), and cards that also speak ISO answer it under
    // class A0. The description says whose meaning it is.
    let description = sw(0x6A82).describe(Profile::Sim);
    assert!(description.is_iso_fallback());
    assert_eq!(
        description.to_string(),
        "6A 82: file or application not found (ISO/IEC 7816-4; not a SIM (TS 51.011) code)"
    );
    // A code of the profile's own table is not marked; one no table has stays unknown.
    assert!(!sw(0x9404).describe(Profile::Sim).is_iso_fallback());
    assert_eq!(text(0x6A82, Profile::Uicc), "6A 82: file or application not found");
    assert_eq!(text(0x6A99, Profile::Sim), "6A 99: unknown status word");
    assert_eq!(sw(0x6A82).meaning(Profile::Sim), None, "the profile's own table is unchanged");
}

#[test]
fn v44_61xx_asks_get_response_with_the_commands_class() {
    assert_eq!(sw(0x612E).action(), Some(Action::GetResponse { cla: ResponseClass::SameAsCommand, len: 46 }));
    // 61 00 means 256 bytes (ISO/IEC 7816-3 §10.3.3).
    assert_eq!(
        sw(0x6100).action(),
        Some(Action::GetResponse { cla: ResponseClass::SameAsCommand, len: 256 })
    );
}

#[test]
fn v45_6cxx_asks_for_a_resend() {
    assert_eq!(sw(0x6C09).action(), Some(Action::Resend { le: 9 }));
    assert_eq!(sw(0x6C00).action(), Some(Action::Resend { le: 256 }));
    assert_eq!(sw(0x6C09).class(), Class::Error);
    assert_eq!(text(0x6C09, Profile::Uicc), "6C 09: wrong Le: 9 bytes available (resend with Le = 9)");
}

#[test]
fn classic_sim_67xx_asks_for_a_resend_only_after_an_outgoing_command() {
    // TS 51.011 §9.4.6: 67 XX names the P3; §9.2: STATUS F2, READ BINARY B0,
    // READ RECORD B2, GET RESPONSE C0 and FETCH 12 carry the answer's length.
    for ins in [0xF2, 0xB0, 0xB2, 0xC0, 0x12] {
        assert_eq!(sw(0x671C).action_for(0xA0, ins), Some(Action::Resend { le: 28 }), "{ins:02X}");
        assert_eq!(sw(0x6700).action_for(0xA0, ins), None, "{ins:02X}");
        assert_eq!(sw(0x671C).action_for(0x00, ins), None, "{ins:02X}");
    }
    // VERIFY, UPDATE BINARY, SELECT send data: 67 XX is only the answer.
    for ins in [0x20, 0xD6, 0xA4] {
        assert_eq!(sw(0x6708).action_for(0xA0, ins), None, "{ins:02X}");
    }
    // Everything else is what `action` says.
    assert_eq!(sw(0x6C09).action_for(0x00, 0xB0), Some(Action::Resend { le: 9 }));
    assert_eq!(sw(0x9F16).action_for(0xA0, 0xA4), sw(0x9F16).action());
}

#[test]
fn v46_91xx_reports_a_proactive_command() {
    assert_eq!(sw(0x911A).action(), Some(Action::Fetch { len: 26 }));
    assert_eq!(sw(0x911A).class(), Class::Success);
    assert_eq!(
        text(0x911A, Profile::Uicc),
        "91 1A: normal ending; proactive command of 26 bytes pending (FETCH)"
    );
}

#[test]
fn v47_postponed() {
    assert_eq!(sw(0x9300).class(), Class::Postponed);
    assert_eq!(sw(0x9300), StatusWord::TOOLKIT_BUSY);
}

#[test]
fn v48_v49_gsm_92xx() {
    assert_eq!(sw(0x9202).class(), Class::Success);
    assert_eq!(text(0x9202, Profile::Sim), "92 02: command successful after 2 internal update retries");
    assert_eq!(sw(0x9240).class(), Class::Error);
    assert_eq!(text(0x9240, Profile::Sim), "92 40: memory problem");
}

#[test]
fn class_in_follows_the_profile_only_for_92xx() {
    // TS 51.011 §9.4.3 (memory management): 92 0X success after X retries,
    // 92 40 memory problem; TS 102 221 §10.2.1.1: 92 XX normal ending (data transfer session).
    for value in [0x9200, 0x9202, 0x920F] {
        assert_eq!(sw(value).class_in(Profile::Sim), Class::Success, "{value:04X}");
    }
    for value in [0x9210, 0x9240, 0x92FF] {
        assert_eq!(sw(value).class_in(Profile::Sim), Class::Error, "{value:04X}");
        assert_eq!(sw(value).class_in(Profile::Uicc), Class::Success, "{value:04X}");
    }
    // Everything else is the profile-free class.
    for value in [0x9000, 0x6283, 0x63C2, 0x9300, 0x9804, 0x6A82, 0x9F0F, 0x6110] {
        for profile in [Profile::Iso7816, Profile::Sim, Profile::Uicc] {
            assert_eq!(sw(value).class_in(profile), sw(value).class(), "{value:04X} {profile:?}");
        }
    }
    assert_eq!(sw(0x9240).class_in(Profile::Iso7816), Class::Error);
}

#[test]
fn v50_v51_gsm_94xx() {
    assert_eq!(text(0x9404, Profile::Sim), "94 04: file ID not found, or pattern not found");
    assert_eq!(text(0x9402, Profile::Sim), "94 02: out of range (invalid address or record)");
    assert_eq!(sw(0x9404).class(), Class::Error);
}

#[test]
fn v52_to_v55_gsm_chv_codes() {
    assert_eq!(sw(0x9804).chv(Profile::Sim), Some(ChvStatus::WrongCodeAttemptsRemain));
    assert_eq!(sw(0x9840).chv(Profile::Sim), Some(ChvStatus::Blocked));
    assert_eq!(sw(0x9808).chv(Profile::Sim), Some(ChvStatus::Contradiction));
    assert_eq!(sw(0x9802).chv(Profile::Sim), Some(ChvStatus::NotInitialised));
    // The issue's own example of the Display.
    assert_eq!(
        text(0x9804, Profile::Sim),
        "98 04: wrong PIN with attempts left, or access condition not fulfilled, or authentication failed"
    );
    // The classic SIM has no 63CX.
    assert_eq!(sw(0x63C2).chv(Profile::Sim), None);
}

#[test]
fn v56_67xx_differs_by_profile() {
    assert_eq!(text(0x6700, Profile::Uicc), "67 00: wrong length");
    assert_eq!(text(0x6700, Profile::Iso7816), "67 00: wrong length");
    assert_eq!(
        text(0x6710, Profile::Sim),
        "67 10: incorrect parameter P3 (correct length 16; 0 gives no hint)"
    );
}

#[test]
fn v57_v58_v59_uicc_pin_counters() {
    assert_eq!(sw(0x63C2).chv(Profile::Uicc), Some(ChvStatus::AttemptsLeft(2)));
    assert_eq!(sw(0x63C0).chv(Profile::Uicc), Some(ChvStatus::AttemptsLeft(0)));
    assert!(sw(0x63C0).chv(Profile::Uicc).unwrap().is_blocked());
    assert!(!sw(0x63C1).chv(Profile::Uicc).unwrap().is_blocked());
    assert_eq!(sw(0x6983).chv(Profile::Uicc), Some(ChvStatus::Blocked));
    assert_eq!(StatusWord::attempts_left(2), sw(0x63C2));
    assert_eq!(sw(0x63C2).class(), Class::Warning);
    assert_eq!(
        text(0x63C2, Profile::Uicc),
        "63 C2: verification failed: 2 attempts left (other commands: success after 2 internal retries)"
    );
}

#[test]
fn v60_to_v65_uicc_errors() {
    assert_eq!(
        text(0x6982, Profile::Uicc),
        "69 82: security status not satisfied (a PIN to verify first, or another access condition)"
    );
    assert_eq!(sw(0x6982).chv(Profile::Uicc), Some(ChvStatus::NotVerified));
    assert_eq!(sw(0x6984).chv(Profile::Uicc), Some(ChvStatus::Contradiction));
    assert_eq!(sw(0x6985).chv(Profile::Uicc), Some(ChvStatus::Contradiction));
    assert_eq!(text(0x6A82, Profile::Uicc), "6A 82: file or application not found");
    assert_eq!(text(0x6A86, Profile::Uicc), "6A 86: incorrect parameters P1-P2");
    assert_eq!(text(0x6A88, Profile::Uicc), "6A 88: referenced data not found (e.g. unknown key reference)");
}

#[test]
fn v66_to_v70_remaining_codes_are_known() {
    let uicc = [
        0x6B00, 0x6D00, 0x6E00, 0x6F00, 0x6283, 0x6285, 0x6581, 0x6400, 0x6881, 0x6882, 0x9862, 0x9863,
        0x9850,
    ];
    for value in uicc {
        assert!(sw(value).meaning(Profile::Uicc).is_some(), "{value:04X}");
        assert_eq!(sw(value).class(), if value >> 8 == 0x62 { Class::Warning } else { Class::Error });
    }
    assert_eq!(text(0x6285, Profile::Uicc), "62 85: warning: selected file in termination state");
}

#[test]
fn every_code_of_the_digest_tables_is_known() {
    // digest.md §2.5 (ISO/IEC 7816-4).
    let iso = [
        0x9000, 0x6110, 0x6200, 0x6281, 0x6282, 0x6283, 0x6284, 0x6285, 0x6286, 0x6300, 0x6381, 0x63C5,
        0x6400, 0x6401, 0x6500, 0x6581, 0x6700, 0x6800, 0x6881, 0x6882, 0x6883, 0x6884, 0x6900, 0x6981,
        0x6982, 0x6983, 0x6984, 0x6985, 0x6986, 0x6987, 0x6988, 0x6A80, 0x6A81, 0x6A82, 0x6A83, 0x6A84,
        0x6A85, 0x6A86, 0x6A87, 0x6A88, 0x6A89, 0x6A8A, 0x6B00, 0x6C10, 0x6D00, 0x6E00, 0x6F00,
    ];
    // digest.md §3.4 (TS 51.011 §9.4).
    let sim = [
        0x9000, 0x9110, 0x9E10, 0x9F10, 0x9300, 0x9203, 0x9240, 0x9400, 0x9402, 0x9404, 0x9408, 0x9802,
        0x9804, 0x9808, 0x9810, 0x9840, 0x9850, 0x6710, 0x6B01, 0x6D01, 0x6E01, 0x6F01,
    ];
    // digest.md §4.8 (TS 102 221 §10.2.1).
    let uicc = [
        0x9000, 0x9110, 0x9210, 0x9300, 0x6200, 0x6281, 0x6282, 0x6283, 0x6285, 0x62F1, 0x62F2, 0x62F3,
        0x63F1, 0x63F2, 0x63C3, 0x6400, 0x6500, 0x6581, 0x6700, 0x6710, 0x6B00, 0x6D00, 0x6E00, 0x6F00,
        0x6F10, 0x6800, 0x6881, 0x6882, 0x6900, 0x6981, 0x6982, 0x6983, 0x6984, 0x6985, 0x6986, 0x6989,
        0x6A80, 0x6A81, 0x6A82, 0x6A83, 0x6A84, 0x6A86, 0x6A87, 0x6A88, 0x9850, 0x9862, 0x9863, 0x9864,
        0x6110, 0x6C10,
    ];
    for (profile, list) in
        [(Profile::Iso7816, &iso[..]), (Profile::Sim, &sim[..]), (Profile::Uicc, &uicc[..])]
    {
        for &value in list {
            assert!(sw(value).meaning(profile).is_some(), "{value:04X} unknown for {profile:?}");
        }
    }
}

#[test]
fn unknown_codes_pass_through_untouched() {
    let odd = sw(0x6A99);
    assert_eq!(odd.meaning(Profile::Uicc), None);
    assert_eq!(odd.to_string(), "6A 99: unknown status word");
    assert_eq!(odd.to_bytes(), [0x6A, 0x99]);
    assert_eq!(odd.class(), Class::Error);
    // Display without a profile uses the first profile that knows the code.
    assert_eq!(
        sw(0x9804).to_string(),
        "98 04: wrong PIN with attempts left, or access condition not fulfilled, or authentication failed"
    );
    assert_eq!(
        sw(0x6982).to_string(),
        "69 82: security status not satisfied (a PIN to verify first, or another access condition)"
    );
}

#[test]
fn without_a_profile_an_exact_code_beats_a_pattern() {
    // TS 51.011 §9.4.3: 92 40 is a classic SIM's memory problem; TS 102 221's
    // 92 XX row is a pattern, so it no longer wins just for coming first.
    assert_eq!(StatusWord::new(0x92, 0x40).to_string(), "92 40: memory problem");
    assert!(StatusWord::new(0x92, 0x01).to_string().contains("normal ending"), "a pattern still reads");
}

#[test]
fn refusals_in_a_session_read_with_the_cards_profile() {
    // A classic SIM's 67 1C is an incorrect P3 with the right length (TS 51.011
    // §9.4.6), not the UICC's command-dependent wrong length.
    use simcore::card::{CardStatus, PinOutcome, Unavailable};
    let status = CardStatus { sw: StatusWord::new(0x67, 0x1C), profile: Profile::Sim };
    let refused = Unavailable::from_status(status).to_string();
    assert!(refused.contains("incorrect parameter P3 (correct length 28"), "{refused}");
    let outcome = PinOutcome::NotAllowed(status).to_string();
    assert!(outcome.contains("incorrect parameter P3"), "{outcome}");
}

#[test]
fn done_means_nothing_left_to_fetch() {
    // 90 00, and 91 XX (TS 102 221 §10.2.1.1: a proactive command pending);
    // not 61 XX or 9F XX, whose data waits, nor 92 0X or 63 CX.
    assert!(StatusWord::SUCCESS.is_done() && StatusWord::new(0x91, 0x10).is_done());
    for sw in [0x6110, 0x9F16, 0x9201, 0x63C1, 0x6982] {
        assert!(!StatusWord::from_u16(sw).is_done(), "{sw:04X}");
    }
}
