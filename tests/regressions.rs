//! Regressions found by fuzzing (fuzz/, see fuzz/README.md): each test is the
//! input a target minimised, the invariant it broke, and the fix's owning
//! module. The inputs are kept byte for byte as the fuzzer wrote them.

#![cfg(feature = "std")]
// Tests fail loudly: unwrap, expect, panic and indexing are the point here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use simcore::ef::{DiallingNumber, Ton};

/// fuzz target `ef_msisdn`: a record whose number is TON/NPI only (length byte
/// `01`, TON international, no digit) printed as a lone `+`, which the encoder
/// (rightly) writes back as no number, so the record did not survive a round
/// trip. TS 51.011 §10.5.1: the length byte counts the TON/NPI byte and the
/// BCD bytes, so `01` carries no digit; Android's
/// `PhoneNumberUtils.calledPartyBCDToString` shows such a number as "" (AOSP
/// frameworks/base, telephony/java/android/telephony/PhoneNumberUtils.java:
/// "If the only thing there is a prepended plus, return \"\""). Fixed in
/// `ef::dialling` (`Number`'s `Display`).
#[test]
fn ton_npi_only_number_prints_empty() {
    let record = [
        0x80, 0x00, 0x41, 0x00, 0x42, 0x00, 0x42, 0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x07,
        0xFF, //
        0x01, 0x01, 0x01, 0x15, 0x15, 0x15, 0x15, 0x15, 0x07, 0x81, 0x21, 0x87, 0x65, 0x42, 0x00, 0xFF,
    ];
    let parsed = DiallingNumber::parse(&record).unwrap();
    let number = parsed.number.unwrap();
    assert_eq!(number.ton_npi().0, 0x15);
    assert_eq!(number.ton_npi().ton(), Ton::International);
    assert!(number.is_empty());
    assert_eq!(number.to_string(), "");
    // The round trip the target checks.
    let alpha = parsed.alpha.to_string();
    let mut out = vec![0u8; 14 + 2 + 2 * alpha.chars().count()];
    DiallingNumber::encode_into(&alpha, &number.to_string(), &mut out).unwrap();
    let back = DiallingNumber::parse(&out).unwrap();
    assert_eq!(back.alpha.to_string(), alpha);
    assert_eq!(back.number.map(|n| n.to_string()).unwrap_or_default(), "");
    // With a digit, the plus is back.
    let mut with_digit = record;
    with_digit[18] = 0x02;
    with_digit[20] = 0xF5;
    assert_eq!(DiallingNumber::parse(&with_digit).unwrap().number.unwrap().to_string(), "+5");
}

/// fuzz target `session`: a card that answers VERIFY (with the PIN) by 6C XX
/// on T=1 got the same VERIFY again, PIN and all, up to the link's bound of 16
/// exchanges, after the last-attempt guard had allowed one attempt. 6C XX
/// corrects Le (ISO/IEC 7816-4 §5.1.3); VERIFY has none (case 3, TS 102 221
/// §11.1.9), so nothing is resent and the caller gets 6C XX. Fixed in
/// `transport::completion` (`Link::transmit`).
#[test]
fn six_c_after_a_pin_command_is_not_resent() {
    use simcore::StatusWord;
    use simcore::apdu::Command;
    use simcore::card::{Guard, PinOutcome, Sim};
    use simcore::chv::{KeyReference, Pin};
    use simcore::transport::mock::MockTransport;
    use simcore::transport::{Link, Protocol};

    // V72: UICC VERIFY PIN1 "1234".
    let verify = "00 20 00 01 08 31 32 33 34 FF FF FF FF";
    for protocol in [Protocol::T0, Protocol::T1] {
        let card = MockTransport::new(protocol).expect_hex(verify, "6C 08").unwrap();
        let mut link = Link::new(card);
        let command = Command::new(0x00, 0x20, 0x00, 0x01).with_data(b"1234\xFF\xFF\xFF\xFF").unwrap();
        let mut buf = [0u8; 258];
        let r = link.transmit(&command, &mut buf).unwrap();
        assert_eq!((r.sw(), r.exchanges()), (StatusWord::wrong_le(8), 1), "{protocol}");
    }
    // Through the session: SELECT MF (the probe), the counter query (V74, 3 left), then one VERIFY.
    let card = MockTransport::new(Protocol::T1)
        .expect_hex("00 A4 00 0C 02 3F 00", "90 00")
        .unwrap()
        .expect_hex("00 20 00 01", "63 C3")
        .unwrap()
        .expect_hex(verify, "6C 08")
        .unwrap();
    let mut sim = Sim::open_link(Link::new(card)).unwrap();
    let outcome = sim.verify(KeyReference::PIN1, &Pin::new("1234").unwrap(), Guard::Protect).unwrap();
    let status = simcore::card::CardStatus { sw: StatusWord::wrong_le(8), profile: simcore::Profile::Uicc };
    assert_eq!(outcome, PinOutcome::NotAllowed(status));
    assert_eq!(sim.link().transport().remaining(), 0);
    assert_eq!(sim.apdu_count(), 3);
}

/// fuzz target `alpha_text` (in the CI smoke pass): the `82` form (TS 102 221
/// annex A) with base FFFF named U+FFFF (base + 0), which decoded, but which
/// no form can write back: in the `80` form FF FF is the filler that ends the
/// text, so the decoded name did not survive a round trip. U+FFFF is also a
/// Unicode noncharacter. The decoder now rejects it as it rejects surrogates.
/// Fixed in `codec::alpha`.
#[test]
fn ucs2_ffff_is_not_a_character() {
    use simcore::codec::{Alpha, DecodeError, alpha};

    // N = 1, base FFFF, one byte 80: base + 0 = U+FFFF.
    for field in [&[0x82, 0x01, 0xFF, 0xFF, 0x80][..], &[0x82, 0x01, 0xFF, 0xFE, 0x81]] {
        assert_eq!(
            Alpha::parse(field),
            Err(DecodeError::Invalid { what: "alpha identifier UCS2 character", offset: 4, found: field[4] })
        );
    }
    // U+FFFE can be written in the 80 form, so it still decodes, and comes back.
    let alpha = Alpha::parse(&[0x82, 0x01, 0xFF, 0xFE, 0x80]).unwrap();
    assert_eq!(alpha.to_string(), "\u{FFFE}");
    let mut out = [0u8; 8];
    alpha::encode("\u{FFFE}", &mut out).unwrap();
    assert_eq!(Alpha::parse(&out).unwrap().to_string(), "\u{FFFE}");
    // The fuzzer's input, byte for byte: refused at the first byte naming U+FFFF.
    let input = simcore::hex::decode(concat!(
        "82 1b ff ff 1b 1b 1b 09 00 00 1b 80 57 57 57 57 57 57 57 57 57 57 57 57 57 57 57 57 57 57 57 57 ",
        "57 57 57 57 57 01 00 00 00 00 00 00 00 57 57 57 57 57 57 57 57 57 57 57 57 1b 29 28 1b 29 1b 29 ",
        "28 1b 29 28 57 57 57 57 57 57 57 57 57 57 57 57 57 57 57 57 57 1b 57 57 57 57 57 e9 00 29 50 57 ",
        "57 57 57 00 00 00 00 00 00 00 01 57 57 57 57 57 57 57 00"
    ))
    .unwrap();
    assert_eq!(Alpha::parse(&input).unwrap_err().offset(), 11);
}
