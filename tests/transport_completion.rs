//! Response completion against the scripted mock: the T=0 flows of ISO/IEC
//! 7816-3 §12.2, ISO/IEC 7816-4 §7.6.1, TS 51.011 §9.4.1 and TS 102 221
//! §7.3.1.1.4, with vectors from ../shared/spec/vectors.md (F and G, and the
//! select responses V91, V97, V99 of pySim's unit tests, PSV).

#![cfg(feature = "std")]
// Tests fail loudly: unwrap, expect, panic and indexing are the point here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use simcore::apdu::{ApduError, Command};
use simcore::hex;
use simcore::transport::mock::{MockError, MockTransport};
use simcore::transport::{
    CompletionError, ErrorKind, Event, Link, Mapping, Options, Protocol, Reset, Transport,
};
use simcore::{Profile, StatusWord};

fn bytes(text: &str) -> Vec<u8> {
    hex::decode(text).unwrap()
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// V91: a classic SIM's SELECT MF response (TS 51.011 §9.2.1; PSV `test_CardProfileSIM`).
const V91_MF: &str = "00 00 00 00 3F 00 01 00 00 00 00 00 09 81 02 0C 04 00 83 8A 83 8A";
/// V97: a UICC's FCP of the MF, 46 bytes (TS 102 221 §11.1.1.4; PSV `test_CardProfileUICC`).
const V97_FCP: &str = "62 2C 82 02 78 21 83 02 3F 00 A5 0C 80 01 71 83 04 00 03 A7 38 87 01 01 \
                       8A 01 05 8B 03 2F 06 01 C6 0C 90 01 60 83 01 01 83 01 0A 83 01 0B";
/// V99: the FCP of EF.IMSI, 25 bytes (PSV).
const V99_FCP: &str = "62 17 82 02 41 21 83 02 6F 07 8A 01 05 8B 03 6F 06 0A 80 02 00 09 88 01 38";

fn select_mf_fcp() -> Command<'static> {
    // V84: 00 A4 00 04 02 3F 00 00.
    Command::new(0x00, 0xA4, 0x00, 0x04).with_data(&[0x3F, 0x00]).unwrap().with_ne(256).unwrap()
}

fn sim_select_mf() -> Command<'static> {
    // V82: A0 A4 00 00 02 3F 00, the classic SIM's SELECT MF (TS 51.011 §9.2.1).
    Command::new(0xA0, 0xA4, 0x00, 0x00).with_data(&[0x3F, 0x00]).unwrap()
}

#[test]
fn v82_classic_sim_9fxx_fetches_with_cla_a0() {
    // V82/V41: SELECT answered 9F 16, GET RESPONSE A0 C0 00 00 16 (TS 51.011 §9.4.1).
    let mf = bytes(V91_MF);
    let card = MockTransport::new(Protocol::T0)
        .expect_hex("A0 A4 00 00 02 3F 00", "9F 16")
        .unwrap()
        .expect(&bytes("A0 C0 00 00 16"), &cat(&[&mf, &[0x90, 0x00]]));
    let mut link = Link::new(card).with_options(Options::for_profile(Profile::Sim));
    let select = sim_select_mf();
    let mut buf = [0u8; 258];
    let r = link.transmit(&select, &mut buf).unwrap();
    assert_eq!(r.data(), &mf[..]);
    assert_eq!(r.sw(), StatusWord::SUCCESS);
    assert_eq!(r.exchanges(), 2);
    assert_eq!(r.as_bytes(), &cat(&[&mf, &[0x90, 0x00]])[..]);
    assert_eq!(link.apdu_count(), 2);
    link.transport().finish().unwrap();
}

#[test]
fn a_data_download_error_brings_its_data_and_keeps_its_status() {
    // TS 51.011 §9.4.1: 9E XX, "length XX of the response data given in case
    // of a SIM data download error": fetched with GET RESPONSE (class A0),
    // and the caller still sees 9E XX, not the 90 00 of the GET RESPONSE.
    let card = MockTransport::new(Protocol::T0)
        .expect_hex("A0 C2 00 00 02 D1 00", "9E 05")
        .unwrap()
        .expect_hex("A0 C0 00 00 05", "01 02 03 04 05 90 00")
        .unwrap();
    let mut link = Link::new(card).with_options(Options::for_profile(Profile::Sim));
    let envelope =
        Command::new(0xA0, 0xC2, 0x00, 0x00).with_data(&[0xD1, 0x00]).unwrap().with_ne(256).unwrap();
    let mut buf = [0u8; 258];
    let r = link.transmit(&envelope, &mut buf).unwrap();
    assert_eq!((r.data(), r.sw()), (&[1, 2, 3, 4, 5][..], StatusWord::new(0x9E, 0x05)));
    // The download failed: not a success for the caller.
    assert!(!r.is_success());
    link.transport().finish().unwrap();
}

#[test]
fn a_select_without_ne_can_skip_its_get_response() {
    // TS 51.011 §9.2.1: SELECT answers 9F XX; the terminal fetches only if it wants
    // the file information. With fetch_unrequested off, Ne says whether it does.
    let mf = bytes(V91_MF);
    let options = Options::for_profile(Profile::Sim).with_fetch_unrequested(false);
    let card = MockTransport::new(Protocol::T0)
        .expect_hex("A0 A4 00 00 02 3F 00", "9F 16")
        .unwrap()
        .expect_hex("A0 A4 00 00 02 3F 00", "9F 16")
        .unwrap()
        .expect(&bytes("A0 C0 00 00 16"), &cat(&[&mf, &[0x90, 0x00]]));
    let mut link = Link::new(card).with_options(options);
    let mut buf = [0u8; 258];
    let select = sim_select_mf();
    let r = link.transmit(&select, &mut buf).unwrap();
    assert_eq!((r.data(), r.sw(), r.exchanges()), (&[][..], StatusWord::sim_response_available(22), 1));
    assert!(r.sw().is_success());
    let r = link.transmit(&select.with_ne(256).unwrap(), &mut buf).unwrap();
    assert_eq!((r.data(), r.exchanges()), (&mf[..], 2));
    assert_eq!(link.apdu_count(), 3);
    link.transport().finish().unwrap();
}

#[test]
fn v84_case4_on_t0_goes_as_case3_then_61xx_get_response() {
    // V84 + V44: Le dropped on T=0, 61 2E, GET RESPONSE 00 C0 00 00 2E (46 bytes, V97).
    let fcp = bytes(V97_FCP);
    assert_eq!(fcp.len(), 0x2E);
    let card = MockTransport::new(Protocol::T0)
        .expect_hex("00 A4 00 04 02 3F 00", "61 2E")
        .unwrap()
        .expect(&bytes("00 C0 00 00 2E"), &cat(&[&fcp, &[0x90, 0x00]]));
    let mut link = Link::new(card);
    let mut buf = [0u8; 258];
    let r = link.transmit(&select_mf_fcp(), &mut buf).unwrap();
    assert_eq!((r.data(), r.sw(), r.exchanges()), (&fcp[..], StatusWord::SUCCESS, 2));
    link.transport().finish().unwrap();
}

#[test]
fn v84_case4_on_t1_travels_unchanged() {
    let fcp = bytes(V97_FCP);
    let card = MockTransport::new(Protocol::T1)
        .expect(&bytes("00 A4 00 04 02 3F 00 00"), &cat(&[&fcp, &[0x90, 0x00]]));
    let mut link = Link::new(card);
    let mut buf = [0u8; 258];
    let r = link.transmit(&select_mf_fcp(), &mut buf).unwrap();
    assert_eq!((r.data(), r.exchanges()), (&fcp[..], 1));
    // The same link forced to T=0 framing (a modem behind AT+CSIM).
    let card = MockTransport::new(Protocol::Other)
        .expect_hex("00 A4 00 04 02 3F 00", "61 2E")
        .unwrap()
        .expect(&bytes("00 C0 00 00 2E"), &cat(&[&fcp, &[0x90, 0x00]]));
    let mut link = Link::new(card).with_options(Options::DEFAULT.with_mapping(Mapping::T0));
    assert_eq!(link.transmit(&select_mf_fcp(), &mut buf).unwrap().data(), &fcp[..]);
    // And a T=0 reader that maps case 4 itself.
    let card = MockTransport::new(Protocol::T0).expect(&bytes("00 A4 00 04 02 3F 00 00"), &[0x90, 0x00]);
    let mut link = Link::new(card).with_options(Options::DEFAULT.with_mapping(Mapping::Apdu));
    assert_eq!(link.transmit(&select_mf_fcp(), &mut buf).unwrap().exchanges(), 1);
}

#[test]
fn repeated_61xx_are_followed_on_the_commands_logical_channel() {
    // SELECT of the USIM by AID prefix (V86) on logical channel 1 (CLA 01): the
    // card hands out 16 + 8 bytes through two 61XX (ISO/IEC 7816-4 §7.6.1).
    let part1: Vec<u8> = (0..16).collect();
    let part2: Vec<u8> = (16..24).collect();
    let card = MockTransport::new(Protocol::T0)
        .expect_hex("01 A4 04 04 07 A0 00 00 00 87 10 02", "61 10")
        .unwrap()
        .expect(&bytes("01 C0 00 00 10"), &cat(&[&part1, &[0x61, 0x08]]))
        .expect(&bytes("01 C0 00 00 08"), &cat(&[&part2, &[0x90, 0x00]]));
    let mut link = Link::new(card);
    let aid = bytes("A0 00 00 00 87 10 02");
    let select = Command::new(0x01, 0xA4, 0x04, 0x04).with_data(&aid).unwrap().with_ne(256).unwrap();
    let mut buf = [0u8; 300];
    let r = link.transmit(&select, &mut buf).unwrap();
    assert_eq!(r.data(), &cat(&[&part1, &part2])[..]);
    assert_eq!(r.exchanges(), 3);
    link.transport().finish().unwrap();

    // A TS 102 221 proprietary class (STATUS, 81 F2 on channel 1, V87) gets its
    // GET RESPONSE in the interindustry class of the same channel, 01.
    let card = MockTransport::new(Protocol::T0)
        .expect_hex("81 F2 00 00 00", "61 03")
        .unwrap()
        .expect_hex("01 C0 00 00 03", "01 02 03 90 00")
        .unwrap();
    let mut link = Link::new(card);
    let status = Command::new(0x81, 0xF2, 0x00, 0x00).with_ne(256).unwrap();
    assert_eq!(link.transmit(&status, &mut buf).unwrap().data(), &[1, 2, 3]);
}

#[test]
fn v45_6cxx_resends_with_the_exact_le() {
    // V45: READ BINARY with Le 00 on a 9-byte EF: 6C 09, then 00 B0 00 00 09.
    let imsi = bytes("08 29 82 60 82 00 00 20 80"); // V22
    for protocol in [Protocol::T0, Protocol::T1] {
        let card = MockTransport::new(protocol)
            .expect_hex("00 B0 00 00 00", "6C 09")
            .unwrap()
            .expect(&bytes("00 B0 00 00 09"), &cat(&[&imsi, &[0x90, 0x00]]));
        let mut link = Link::new(card);
        let read = Command::new(0x00, 0xB0, 0x00, 0x00).with_ne(256).unwrap();
        let mut buf = [0u8; 258];
        let r = link.transmit(&read, &mut buf).unwrap();
        assert_eq!((r.data(), r.sw(), r.exchanges()), (&imsi[..], StatusWord::SUCCESS, 2), "{protocol}");
    }
}

#[test]
fn classic_sim_67xx_after_an_outgoing_command_resends_with_that_p3() {
    // TS 51.011 §9.4.6: 67 XX, XX the right P3. READ BINARY of the 9-byte
    // EF_IMSI (V22) with P3 = 10, then STATUS with P3 = 22 on a card whose
    // DF answer is 20 bytes: both resent once with the length named.
    let imsi = bytes("08 29 82 60 82 00 00 20 80"); // V22
    let card = MockTransport::new(Protocol::T0)
        .expect_hex("A0 B0 00 00 10", "67 09")
        .unwrap()
        .expect(&bytes("A0 B0 00 00 09"), &cat(&[&imsi, &[0x90, 0x00]]));
    let mut link = Link::new(card).with_options(Options::for_profile(Profile::Sim));
    let read = Command::new(0xA0, 0xB0, 0x00, 0x00).with_ne(16).unwrap();
    let mut buf = [0u8; 258];
    let r = link.transmit(&read, &mut buf).unwrap();
    assert_eq!((r.data(), r.sw(), r.exchanges()), (&imsi[..], StatusWord::SUCCESS, 2));
    link.transport().finish().unwrap();

    let df = [0u8; 0x14];
    let card = MockTransport::new(Protocol::T0)
        .expect_hex("A0 F2 00 00 16", "67 14")
        .unwrap()
        .expect(&bytes("A0 F2 00 00 14"), &cat(&[&df, &[0x90, 0x00]]));
    let mut link = Link::new(card);
    let status = Command::new(0xA0, 0xF2, 0x00, 0x00).with_ne(0x16).unwrap();
    let r = link.transmit(&status, &mut buf).unwrap();
    assert_eq!((r.data().len(), r.sw(), r.exchanges()), (0x14, StatusWord::SUCCESS, 2));
    link.transport().finish().unwrap();
}

#[test]
fn classic_sim_get_response_refused_with_67xx_is_asked_again() {
    // TS 51.011 §9.4.1 and §9.4.6: SELECT answers 9F 16; a card whose GET
    // RESPONSE wants another P3 says 67 XX, and the data still comes in one
    // response. V91's 22-byte MF response, asked for with P3 = 16 after a
    // first GET RESPONSE with P3 = 0F was refused.
    let mf = bytes(V91_MF);
    let card = MockTransport::new(Protocol::T0)
        .expect_hex("A0 A4 00 00 02 3F 00", "9F 0F")
        .unwrap()
        .expect_hex("A0 C0 00 00 0F", "67 16")
        .unwrap()
        .expect(&bytes("A0 C0 00 00 16"), &cat(&[&mf, &[0x90, 0x00]]));
    let mut link = Link::new(card).with_options(Options::for_profile(Profile::Sim));
    let select = sim_select_mf();
    let mut buf = [0u8; 258];
    let r = link.transmit(&select, &mut buf).unwrap();
    assert_eq!((r.data(), r.sw(), r.exchanges()), (&mf[..], StatusWord::SUCCESS, 3));
    link.transport().finish().unwrap();
}

#[test]
fn sixty_seven_goes_to_the_caller_everywhere_else() {
    let mut buf = [0u8; 258];
    let pin = bytes("31 32 33 34 FF FF FF FF");
    // (command, answer): a classic VERIFY (data in, a PIN attempt: never
    // resent), 67 00 (no length named), 67 XX to class 00 (ISO/IEC 7816-4
    // §5.1.3 has only 67 00; XX means nothing there), and 67 XX naming the P3
    // just sent (resending would ask the same thing again).
    let cases: [(Command<'_>, &str, &str); 4] = [
        (
            Command::new(0xA0, 0x20, 0x00, 0x01).with_data(&pin).unwrap(),
            "A0 20 00 01 08 31 32 33 34 FF FF FF FF",
            "67 08",
        ),
        (Command::new(0xA0, 0xB2, 0x01, 0x04).with_ne(256).unwrap(), "A0 B2 01 04 00", "67 00"),
        (Command::new(0x00, 0xB0, 0x00, 0x00).with_ne(16).unwrap(), "00 B0 00 00 10", "67 09"),
        (Command::new(0xA0, 0xB2, 0x01, 0x04).with_ne(0x1C).unwrap(), "A0 B2 01 04 1C", "67 1C"),
    ];
    for (command, sent, answer) in cases {
        let card = MockTransport::new(Protocol::T0).expect_hex(sent, answer).unwrap();
        let mut link = Link::new(card);
        let r = link.transmit(&command, &mut buf).unwrap();
        let expected = StatusWord::from_u16(u16::from_str_radix(&answer.replace(' ', ""), 16).unwrap());
        assert_eq!((r.sw(), r.exchanges()), (expected, 1), "{sent}");
        link.transport().finish().unwrap();
    }
}

#[test]
fn six_c_naming_the_le_just_sent_goes_to_the_caller() {
    // ISO/IEC 7816-4 §5.1.3: 6C XX corrects Le; a card that names the Le it
    // was sent would get the same command forever (up to the bound).
    let card = MockTransport::new(Protocol::T0).expect_hex("00 B0 00 00 09", "6C 09").unwrap();
    let mut link = Link::new(card);
    let read = Command::new(0x00, 0xB0, 0x00, 0x00).with_ne(9).unwrap();
    let mut buf = [0u8; 258];
    let r = link.transmit(&read, &mut buf).unwrap();
    assert_eq!((r.sw(), r.exchanges()), (StatusWord::wrong_le(9), 1));
    link.transport().finish().unwrap();
}

#[test]
fn six_c_on_a_t0_tpdu_with_data_goes_to_the_caller() {
    // A T=0 TPDU with data has no Le to correct: the 6CXX is the answer.
    let card = MockTransport::new(Protocol::T0).expect_hex("00 D6 00 00 02 01 02", "6C 01").unwrap();
    let mut link = Link::new(card);
    let update = Command::new(0x00, 0xD6, 0x00, 0x00).with_data(&[1, 2]).unwrap();
    let mut buf = [0u8; 258];
    let r = link.transmit(&update, &mut buf).unwrap();
    assert_eq!((r.sw(), r.exchanges()), (StatusWord::wrong_le(1), 1));
}

#[test]
fn six_c_never_resends_a_pin_command_on_t1_either() {
    // On T=1 a case-4 command answered 6C XX is resent with Le = XX (ISO/IEC
    // 7816-4 §5.1.3) ...
    let authenticate =
        Command::new(0x00, 0x88, 0x00, 0x81).with_data(&[0x10; 4]).unwrap().with_ne(256).unwrap();
    let card = MockTransport::new(Protocol::T1)
        .expect_hex("00 88 00 81 04 10 10 10 10 00", "6C 02")
        .unwrap()
        .expect_hex("00 88 00 81 04 10 10 10 10 02", "AB CD 90 00")
        .unwrap();
    let mut link = Link::new(card);
    let mut buf = [0u8; 258];
    let r = link.transmit(&authenticate, &mut buf).unwrap();
    assert_eq!((r.data(), r.sw(), r.exchanges()), (&[0xAB, 0xCD][..], StatusWord::SUCCESS, 2));
    link.transport().finish().unwrap();
    // ... but a VERIFY that a caller built with an Le goes out once: a resend
    // would present the code again and could spend a second attempt.
    let verify = Command::new(0x00, 0x20, 0x00, 0x01)
        .with_data(b"1234\xFF\xFF\xFF\xFF")
        .unwrap()
        .with_ne(256)
        .unwrap();
    let card = MockTransport::new(Protocol::T1)
        .expect_hex("00 20 00 01 08 31 32 33 34 FF FF FF FF 00", "6C 08")
        .unwrap();
    let mut link = Link::new(card);
    let r = link.transmit(&verify, &mut buf).unwrap();
    assert_eq!((r.sw(), r.exchanges()), (StatusWord::wrong_le(8), 1));
    link.transport().finish().unwrap();
}

#[test]
fn v46_91xx_is_reported_not_swallowed() {
    // TERMINAL PROFILE answered 91 1A: a 26-byte proactive command waits (V46).
    let card = MockTransport::new(Protocol::T0).expect_hex("80 10 00 00 03 FF FF FF", "91 1A").unwrap();
    let mut link = Link::new(card);
    let profile = Command::new(0x80, 0x10, 0x00, 0x00).with_data(&[0xFF; 3]).unwrap();
    let mut buf = [0u8; 258];
    let r = link.transmit(&profile, &mut buf).unwrap();
    assert_eq!(
        (r.sw(), r.proactive_command_len(), r.exchanges()),
        (StatusWord::new(0x91, 0x1A), Some(26), 1)
    );
    // The command succeeded (TS 102 221 §10.2.1.1), by either spelling.
    assert!(r.sw().is_success() && r.is_success());

    // At the end of a 61XX chain: data kept, 91XX returned.
    let card = MockTransport::new(Protocol::T0)
        .expect_hex("80 C2 00 00 03 D1 01 00", "61 02")
        .unwrap()
        .expect_hex("00 C0 00 00 02", "AB CD 91 1A")
        .unwrap();
    let mut link = Link::new(card);
    let envelope =
        Command::new(0x80, 0xC2, 0x00, 0x00).with_data(&[0xD1, 0x01, 0x00]).unwrap().with_ne(256).unwrap();
    let r = link.transmit(&envelope, &mut buf).unwrap();
    assert_eq!((r.data(), r.proactive_command_len()), (&[0xAB, 0xCD][..], Some(26)));
}

#[test]
fn an_endless_61xx_is_stopped_at_the_bound() {
    let mut card = MockTransport::new(Protocol::T0).expect_hex("00 B0 00 00 00", "61 01").unwrap();
    for _ in 0..40 {
        card = card.expect_hex("00 C0 00 00 01", "61 01").unwrap();
    }
    let mut link = Link::new(card);
    let read = Command::new(0x00, 0xB0, 0x00, 0x00).with_ne(256).unwrap();
    let mut buf = [0u8; 258];
    let err = link.transmit(&read, &mut buf).unwrap_err();
    assert_eq!(err, CompletionError::TooManyExchanges { limit: 16, sw: StatusWord::new(0x61, 0x01) });
    assert_eq!(err.kind(), ErrorKind::Protocol);
    assert_eq!(link.transport().played(), 16);
    assert_eq!(link.apdu_count(), 16);
    assert_eq!(
        err.to_string(),
        "the card still answered 61 01: 1 response byte available (GET RESPONSE) after 16 exchanges; giving up"
    );

    // A tighter bound.
    let mut link = link.with_options(Options::DEFAULT.with_max_exchanges(3));
    link.reset_apdu_count();
    let err = link.transmit(&Command::new(0x00, 0xC0, 0x00, 0x00).with_ne(1).unwrap(), &mut buf).unwrap_err();
    assert!(matches!(err, CompletionError::TooManyExchanges { limit: 3, .. }), "{err}");
    assert_eq!(link.apdu_count(), 3);
}

#[test]
fn a_response_beyond_the_buffer_is_a_clear_error() {
    // 61 2E announces 46 bytes; a 20-byte buffer cannot take them: no GET RESPONSE is sent.
    let card = MockTransport::new(Protocol::T0).expect_hex("00 A4 00 04 02 3F 00", "61 2E").unwrap();
    let mut link = Link::new(card);
    let mut small = [0u8; 20];
    let err = link.transmit(&select_mf_fcp(), &mut small).unwrap_err();
    assert_eq!(err, CompletionError::BufferTooSmall { needed: 48, capacity: 20 });
    assert_eq!(err.to_string(), "response of 48 bytes (data and SW1 SW2) does not fit the 20-byte buffer");
    assert_eq!(link.transport().played(), 1);

    // On T=1 the whole FCP comes at once: received on the stack, refused with the same error.
    let fcp = bytes(V97_FCP);
    let card = MockTransport::new(Protocol::T1)
        .expect(&bytes("00 A4 00 04 02 3F 00 00"), &cat(&[&fcp, &[0x90, 0x00]]));
    let mut link = Link::new(card);
    let err = link.transmit(&select_mf_fcp(), &mut small).unwrap_err();
    assert_eq!(err, CompletionError::BufferTooSmall { needed: 48, capacity: 20 });
    assert_eq!(link.apdu_count(), 1);

    // Data collected so far counts: 40 bytes, then 61 10 into a 50-byte buffer.
    let card =
        MockTransport::new(Protocol::T0).expect(&bytes("00 B0 00 00 28"), &cat(&[&[7u8; 40], &[0x61, 0x10]]));
    let mut link = Link::new(card);
    let mut buf = [0u8; 50];
    let err =
        link.transmit(&Command::new(0x00, 0xB0, 0x00, 0x00).with_ne(40).unwrap(), &mut buf).unwrap_err();
    assert_eq!(err, CompletionError::BufferTooSmall { needed: 58, capacity: 50 });

    // Not even room for SW1 SW2.
    let mut link = Link::new(MockTransport::new(Protocol::T1));
    let err = link.transmit(&Command::new(0, 0xA4, 0, 0), &mut [0u8; 1]).unwrap_err();
    assert_eq!(err, CompletionError::BufferTooSmall { needed: 2, capacity: 1 });
    assert_eq!(link.transport().sent().len(), 0);
}

#[test]
fn ts_102_221_case4_warning_rule_fetches_the_data_and_keeps_the_warning() {
    // SELECT EF.IMSI (case 4) on a deactivated file: 62 83 after the command data;
    // TS 102 221 §7.3.1.1.4: GET RESPONSE Le 00, 6C 19, GET RESPONSE 19 (V99).
    let fcp = bytes(V99_FCP);
    let script = || {
        MockTransport::new(Protocol::T0)
            .expect_hex("00 A4 00 04 02 6F 07", "62 83")
            .unwrap()
            .expect_hex("00 C0 00 00 00", "6C 19")
            .unwrap()
            .expect(&bytes("00 C0 00 00 19"), &cat(&[&fcp, &[0x90, 0x00]]))
    };
    let select = Command::new(0x00, 0xA4, 0x00, 0x04).with_data(&[0x6F, 0x07]).unwrap().with_ne(256).unwrap();
    let mut buf = [0u8; 258];

    let mut link = Link::new(script()).with_options(Options::for_profile(Profile::Uicc));
    let r = link.transmit(&select, &mut buf).unwrap();
    assert_eq!((r.data(), r.sw(), r.exchanges()), (&fcp[..], StatusWord::FILE_INVALIDATED, 3));
    link.transport().finish().unwrap();

    // Off (the default): the warning alone, after one exchange.
    let mut link = Link::new(script());
    let r = link.transmit(&select, &mut buf).unwrap();
    assert_eq!((r.data(), r.sw(), r.exchanges()), (&[][..], StatusWord::FILE_INVALIDATED, 1));

    // A GET RESPONSE that fails leaves the warning and no data.
    let card = MockTransport::new(Protocol::T0)
        .expect_hex("00 A4 00 04 02 6F 07", "62 83")
        .unwrap()
        .expect_hex("00 C0 00 00 00", "6F 00")
        .unwrap();
    let mut link = Link::new(card).with_options(Options::for_profile(Profile::Uicc));
    let r = link.transmit(&select, &mut buf).unwrap();
    assert_eq!((r.data(), r.sw(), r.exchanges()), (&[][..], StatusWord::FILE_INVALIDATED, 2));

    // A 91XX from the GET RESPONSE is never hidden behind the warning.
    let card = MockTransport::new(Protocol::T0)
        .expect_hex("00 A4 00 04 02 6F 07", "62 83")
        .unwrap()
        .expect_hex("00 C0 00 00 00", "01 91 10")
        .unwrap();
    let mut link = Link::new(card).with_options(Options::for_profile(Profile::Uicc));
    let r = link.transmit(&select, &mut buf).unwrap();
    assert_eq!((r.data(), r.proactive_command_len()), (&[1][..], Some(16)));

    // The rule is for case 4 only: a case-3 command keeps its warning.
    let card = MockTransport::new(Protocol::T0).expect_hex("00 D6 00 00 01 00", "63 C1").unwrap();
    let mut link = Link::new(card).with_options(Options::for_profile(Profile::Uicc));
    let update = Command::new(0x00, 0xD6, 0x00, 0x00).with_data(&[0]).unwrap();
    let r = link.transmit(&update, &mut buf).unwrap();
    assert_eq!((r.exchanges(), r.sw()), (1, StatusWord::new(0x63, 0xC1)));
}

#[test]
fn iso_case_4s2_rule_is_opt_in() {
    // ISO/IEC 7816-3 §12.2.5 case 4S.2: 90 00 after the case-3 part, GET RESPONSE with Le = Ne.
    let select = Command::new(0x00, 0xA4, 0x04, 0x00).with_data(&[0xA0, 0x00]).unwrap().with_ne(16).unwrap();
    let card = MockTransport::new(Protocol::T0)
        .expect_hex("00 A4 04 00 02 A0 00", "90 00")
        .unwrap()
        .expect_hex("00 C0 00 00 10", "6F 10 84 02 A0 00 90 00")
        .unwrap();
    let mut link = Link::new(card).with_options(Options::DEFAULT.with_iso_case4_get_response(true));
    let mut buf = [0u8; 258];
    let r = link.transmit(&select, &mut buf).unwrap();
    assert_eq!((r.data(), r.exchanges()), (&bytes("6F 10 84 02 A0 00")[..], 2));

    let card = MockTransport::new(Protocol::T0).expect_hex("00 A4 04 00 02 A0 00", "90 00").unwrap();
    let mut link = Link::new(card);
    let r = link.transmit(&select, &mut buf).unwrap();
    assert_eq!((r.data(), r.sw(), r.exchanges()), (&[][..], StatusWord::SUCCESS, 1));
}

#[test]
fn v74_case1_gets_p3_00_on_t0_only() {
    // V74: 00 20 00 01 is the APDU, 00 20 00 01 00 the T=0 TPDU; answer 63 C3.
    for (protocol, sent) in [(Protocol::T0, "00 20 00 01 00"), (Protocol::T1, "00 20 00 01")] {
        let card = MockTransport::new(protocol).expect_hex(sent, "63 C3").unwrap();
        let mut link = Link::new(card);
        let mut buf = [0u8; 8];
        let r = link.transmit(&Command::new(0x00, 0x20, 0x00, 0x01), &mut buf).unwrap();
        assert_eq!(r.sw(), StatusWord::attempts_left(3));
    }
}

#[test]
fn transport_errors_keep_their_kind_and_reach_the_trace() {
    let card = MockTransport::new(Protocol::T0)
        .expect_hex("A0 A4 00 00 02 3F 00", "9F 16")
        .unwrap()
        .expect_failure(&bytes("A0 C0 00 00 16"), ErrorKind::CardRemoved);
    let mut lines = Vec::new();
    let mut link = Link::new(card).with_trace(|e: Event<'_>| lines.push(e.to_string()));
    let select = sim_select_mf();
    let mut buf = [0u8; 258];
    let err = link.transmit(&select, &mut buf).unwrap_err();
    assert_eq!(
        err,
        CompletionError::Transport(MockError::Scripted { step: 2, kind: ErrorKind::CardRemoved })
    );
    assert_eq!(err.kind(), ErrorKind::CardRemoved);
    assert_eq!(link.apdu_count(), 1);
    assert_eq!(link.reset(Reset::Cold).unwrap(), Reset::Cold);
    drop(link);
    assert_eq!(lines.len(), 5, "{lines:#?}");
    assert_eq!(lines[0], "> A0 A4 00 00 02 3F 00");
    assert_eq!(lines[1], "< 9F 16: 22 response bytes available (GET RESPONSE)");
    assert_eq!(lines[2], "> A0 C0 00 00 16");
    assert!(lines[3].starts_with("! the card was removed or reset ("), "{}", lines[3]);
    assert_eq!(lines[4], "~ cold reset");
}

#[test]
fn mismatches_and_bad_commands_are_errors() {
    // The mock's clear message travels up unchanged.
    let card = MockTransport::new(Protocol::T0).expect_hex("00 A4 00 04 02 3F 00", "61 2E").unwrap();
    let mut link = Link::new(card);
    let mut buf = [0u8; 258];
    let other = Command::new(0x00, 0xA4, 0x00, 0x0C).with_data(&[0x3F, 0x00]).unwrap();
    let err = link.transmit(&other, &mut buf).unwrap_err();
    assert_eq!(
        err.to_string(),
        "transport: mock step 1: expected command 00 A4 00 04 02 3F 00, got 00 A4 00 0C 02 3F 00 (first difference at byte 3)"
    );

    // More than 255 data bytes cannot be one T=0 TPDU; on T=1 they exceed the 261-byte buffer.
    let big = [0u8; 300];
    let cmd = Command::new(0x00, 0xD6, 0x00, 0x00).with_data(&big).unwrap();
    assert_eq!(
        link.transmit(&cmd, &mut buf).unwrap_err(),
        CompletionError::Command(ApduError::TooLongForT0 { nc: 300 })
    );
    let mut link = Link::new(MockTransport::new(Protocol::T1));
    assert_eq!(
        link.transmit(&cmd, &mut buf).unwrap_err(),
        CompletionError::CommandTooLong { len: 307, max: 261 }
    );
    assert_eq!(link.transport().sent().len(), 0);

    // transmit_raw parses first.
    let err = link.transmit_raw(&[0x00, 0xA4, 0x00, 0x04, 0x05, 0x3F], &mut buf).unwrap_err();
    assert_eq!(err, CompletionError::Command(ApduError::InconsistentLength { offset: 4, len: 2 }));
}

#[test]
fn a_link_can_borrow_its_transport() {
    let mut card = MockTransport::new(Protocol::T1)
        .with_atr(&[0x3B, 0x00])
        .expect_hex("00 A4 00 0C 02 3F 00", "90 00")
        .unwrap();
    {
        let mut link = Link::new(&mut card);
        assert_eq!(link.atr(), Some(&[0x3B, 0x00][..]));
        assert_eq!(link.protocol(), Protocol::T1);
        let mut buf = [0u8; 4];
        link.transmit_raw(&bytes("00 A4 00 0C 02 3F 00"), &mut buf).unwrap();
    }
    assert_eq!(card.sent(), &[bytes("00 A4 00 0C 02 3F 00")]);
    assert_eq!(Transport::protocol(&&mut card), Protocol::T1);
}
