//! Property tests for the SIM data codecs: BCD (TS 51.011 §10.1.1), ICCID text ↔
//! EF_ICCID, IMSI (TS 24.008 §10.5.1.4), PLMN triples, dialling numbers, alpha
//! identifiers and FCP templates round-trip; arbitrary bytes never panic any
//! decoder.

// Tests fail loudly: unwrap, expect, panic and indexing are the point here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use proptest::prelude::*;
use simcore::codec::{Alpha, TlvIter, alpha, bcd, gsm7};
use simcore::ef::{Ad, DiallingNumber, Iccid, Imsi, Loci, MncLength, Plmn, PlmnList, Spn};
use simcore::fcp::gsm::Response;
use simcore::fcp::uicc::{Fcp, FcpTemplate, FileDescriptor, PinStatus, Sfi};
use simcore::fcp::{EfStructure, FileSummary};

/// Walk every object, descending into every value, as deep as the reader allows.
fn walk(iter: TlvIter<'_>) -> usize {
    let mut n = 0;
    for tlv in iter {
        let Ok(tlv) = tlv else { break };
        n += 1;
        if let Ok(children) = tlv.children() {
            n += walk(children);
        }
    }
    n
}

fn decode_everything(raw: &[u8]) {
    let _ = Iccid::from_ef(raw)
        .map(|i| (i.luhn(), i.country_code(), i.issuer_identifier().map(str::len), i.to_ef()));
    let _ = Imsi::from_ef(raw).map(|i| (i.mnc_length(None), i.to_ef()));
    let _ = Ad::from_ef(raw);
    let _ = Spn::from_ef(raw).map(|s| s.to_string());
    let _ = DiallingNumber::parse(raw).map(|d| (d.alpha.to_string(), d.number.map(|n| n.to_string())));
    let _ = Plmn::decode(raw).map(|p| p.to_string());
    let _ = PlmnList::new(raw).count();
    let _ = Loci::from_ef(raw).map(|l| l.to_ef());
    let _ = simcore::ef::Acc::from_ef(raw).map(|a| a.classes().count());
    let _ = simcore::ef::Kc::from_ef(raw).map(|k| k.to_ef());
    let _ = Alpha::parse(raw).map(|a| a.to_string());
    let _ = gsm7::Chars::new(raw).count();
    let _ = walk(TlvIter::new(raw));
    let _ = Response::parse(raw);
    if let Ok(fcp) = Fcp::parse(raw) {
        let _ = (fcp.kind(), fcp.short_file_identifier(), fcp.proprietary.map(|p| p.available_memory()));
        let _ = fcp.pin_status.map(|p| p.iter().count());
    }
    if let Ok(summary) = FileSummary::from_response(raw) {
        let _ = summary.codes().count();
    }
    let _ = bcd::digits(raw).count();
}

fn digit_string(
    alphabet: &'static str,
    len: std::ops::RangeInclusive<usize>,
) -> impl Strategy<Value = String> {
    let chars: Vec<char> = alphabet.chars().collect();
    proptest::collection::vec(proptest::sample::select(chars), len).prop_map(|v| v.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_bytes_never_panic_a_decoder(raw in proptest::collection::vec(any::<u8>(), 0..80)) {
        decode_everything(&raw);
    }

    /// Bytes shaped like an FCP template reach the inner decoders.
    #[test]
    fn fcp_shaped_bytes_never_panic(body in proptest::collection::vec(
        prop_oneof![Just(0x82u8), Just(0x83), Just(0xA5), Just(0xC6), Just(0x90), Just(0x95), Just(0x88), Just(0x80), any::<u8>()],
        0..60,
    )) {
        let mut raw = vec![0x62, u8::try_from(body.len()).unwrap()];
        raw.extend_from_slice(&body);
        decode_everything(&raw);
    }

    #[test]
    fn bcd_round_trips(digits in proptest::collection::vec(0u8..=14, 0..=20), spare in 0usize..3) {
        let mut out = vec![0u8; digits.len().div_ceil(2) + spare];
        let used = bcd::encode_into(digits.iter().copied(), &mut out).unwrap();
        prop_assert_eq!(used, digits.len().div_ceil(2));
        prop_assert_eq!(bcd::digits(&out).collect::<Vec<_>>(), digits.clone());
        prop_assert_eq!(bcd::digit_count(&out), digits.len());
    }

    #[test]
    fn iccid_text_and_ef_bytes_round_trip(text in digit_string("0123456789ABCDEF", 1..=20)) {
        prop_assume!(!text.ends_with('F'));
        let iccid = Iccid::parse(&text).unwrap();
        prop_assert_eq!(iccid.as_str(), text.as_str());
        let ef = iccid.to_ef();
        let back = Iccid::from_ef(&ef).unwrap();
        prop_assert_eq!(back, iccid);
        prop_assert_eq!(back.to_string(), text.clone());
        prop_assert_eq!(back.is_decimal(), text.bytes().all(|b| b.is_ascii_digit()));
        // The verdict read from EF bytes equals the one read from text.
        prop_assert_eq!(back.luhn(), iccid.luhn());
    }

    #[test]
    fn decimal_iccid_luhn_agrees_with_the_check_digit(payload in digit_string("0123456789", 17..=19)) {
        let check = simcore::codec::luhn::check_digit_str(&payload).unwrap();
        let iccid = Iccid::parse(&format!("{payload}{check}")).unwrap();
        prop_assert_eq!(iccid.luhn(), simcore::ef::Luhn::Valid);
        let wrong = (check + 1) % 10;
        let good = Iccid::parse(&format!("{payload}{check}")).unwrap();
        prop_assert_eq!(Iccid::from_ef(&good.to_ef()).unwrap().luhn(), simcore::ef::Luhn::Valid);
        let iccid = Iccid::parse(&format!("{payload}{wrong}")).unwrap();
        prop_assert_eq!(iccid.luhn(), simcore::ef::Luhn::Invalid { expected: check });
        prop_assert_eq!(Iccid::from_ef(&iccid.to_ef()).unwrap().luhn(), simcore::ef::Luhn::Invalid { expected: check });
    }

    #[test]
    fn imsi_round_trips(text in digit_string("0123456789", 6..=15)) {
        let imsi = Imsi::parse(&text).unwrap();
        let ef = imsi.to_ef();
        let back = Imsi::from_ef(&ef).unwrap();
        prop_assert_eq!(back.as_str(), text.as_str());
        prop_assert_eq!(back.to_ef(), ef);
        let mcc: u16 = text[..3].parse().unwrap();
        prop_assert_eq!(back.mcc(), mcc);
    }

    #[test]
    fn plmn_round_trips(mcc in 0u16..=999, mnc in 0u16..=999, three in any::<bool>()) {
        let len = if three { MncLength::Three } else { MncLength::Two };
        let mnc = if three { mnc } else { mnc % 100 };
        let plmn = Plmn::new(mcc, mnc, len).unwrap();
        prop_assert_eq!(Plmn::from_bytes(plmn.to_bytes()).unwrap(), plmn);
        prop_assert_eq!(Plmn::parse(&plmn.to_string()).unwrap(), plmn);
    }

    #[test]
    fn dialling_numbers_round_trip(
        name in "[A-Za-z0-9 @£$.-]{0,12}",
        plus in any::<bool>(),
        digits in digit_string("0123456789*#,N;", 0..=20),
        x in 12usize..20,
    ) {
        let number = if plus && !digits.is_empty() { format!("+{digits}") } else { digits.clone() };
        let mut record = vec![0u8; x + 14];
        DiallingNumber::encode_into(&name, &number, &mut record).unwrap();
        let parsed = DiallingNumber::parse(&record).unwrap();
        prop_assert_eq!(parsed.alpha.to_string(), name);
        prop_assert_eq!(parsed.number.map(|n| n.to_string()).unwrap_or_default(), number);
    }

    #[test]
    fn alpha_identifiers_round_trip(text in "[\\x{20}-\\x{7E}\\x{A0}-\\x{D7FF}\\x{E000}-\\x{FFFD}]{0,8}") {
        // Printable characters of the BMP, which UCS2 carries (TS 102 221
        // annex A): every one of them can be written, so none is skipped.
        let mut out = [0u8; 40];
        prop_assert!(alpha::encode(&text, &mut out).is_ok(), "{:?} cannot be written", text);
        // GSM 0x09 is Ç; ç is written as 0x09 too (resolved Q8), so it comes back capital
        // whenever the text went out in the GSM alphabet.
        let decoded = Alpha::parse(&out).unwrap().to_string();
        prop_assert!(decoded == text || decoded == text.replace('ç', "Ç"), "{} → {}", text, decoded);
    }

    #[test]
    fn fcp_templates_round_trip(
        fid in any::<u16>(),
        size in 0u32..0x0100_0000,
        sfi in 1u8..=30,
        records in proptest::option::of((1u16..=255, 1u8..=254)),
        pins in proptest::collection::vec((any::<u8>(), any::<bool>(), proptest::option::of(any::<u8>())), 0..12),
    ) {
        let pins: Vec<PinStatus> = pins
            .into_iter()
            .map(|(key_reference, enabled, usage_qualifier)| PinStatus { key_reference, enabled, usage_qualifier })
            .collect();
        let structure = if records.is_some() { EfStructure::LinearFixed } else { EfStructure::Transparent };
        let template = FcpTemplate {
            file_size: Some(size),
            sfi: Sfi::Value(sfi),
            pins: &pins,
            ..FcpTemplate::new(FileDescriptor::working_ef(structure, true, records), Some(fid))
        };
        let mut out = [0u8; 256];
        let bytes = template.encode_into(&mut out).unwrap().to_vec();
        let fcp = Fcp::parse(&bytes).unwrap();
        prop_assert_eq!(fcp.fid, Some(fid));
        prop_assert_eq!(fcp.file_size, Some(size));
        prop_assert_eq!(fcp.short_file_identifier(), Some(sfi));
        prop_assert_eq!(fcp.descriptor.records, records);
        let decoded: Vec<PinStatus> = fcp.pin_status.map(|p| p.iter().collect()).unwrap_or_default();
        prop_assert_eq!(decoded, pins);
    }
}
