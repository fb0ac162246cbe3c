//! Elementary file contents (TS 51.011 §10, TS 31.102 §4.2, ITU-T E.118) against
//! vectors C, D and E of ../shared/spec/vectors.md and the `_test_de_encode`
//! vectors of pySim (`pySim/ts_51_011.py`, osmocom/pysim), each cited below.

#![cfg(feature = "std")]
// Tests fail loudly: unwrap, expect, panic and indexing are the point here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use simcore::codec::{DecodeError, alpha::AlphaForm};
use simcore::ef::{
    Acc, Ad, DiallingNumber, Iccid, Imsi, Kc, Lai, Loci, Luhn, MncLength, MncLengthSource, Npi,
    OperationMode, Plmn, PlmnList, Spn, SpnDisplay, Ton, UpdateStatus, mnc_length_fallback,
};
use simcore::hex;

fn bytes(text: &str) -> Vec<u8> {
    hex::decode(text).unwrap()
}

// ---- C. ICCID ----

/// (vector, EF bytes, ICCID, digits) from vectors.md section C.
const ICCIDS: [(&str, &str, &str, usize); 4] = [
    // V16: pySim EF_ICCID._test_de_encode.
    ("V16", "98 88 12 01 00 00 40 03 10 F0", "8988211000000430010", 19),
    // V17: ICCID of pySim tests/pySim-shell_test/card_data.csv; worked example A of digest §5.
    ("V17", "98 94 44 00 00 00 11 55 13 F4", "8949440000001155314", 19),
    // V18: ICCID of pySim's sysmoISIM-SJA2 cardinfo.
    ("V18", "98 88 12 01 00 00 40 76 43 F3", "8988211000000467343", 19),
    // V20: worked example B of digest §5, 20 digits.
    ("V20", "98 10 14 30 12 11 81 15 70 02", "89014103211118510720", 20),
];

#[test]
fn iccid_vectors_decode_encode_and_pass_luhn() {
    for (name, ef, text, digits) in ICCIDS {
        let raw = bytes(ef);
        let iccid = Iccid::from_ef(&raw).unwrap();
        assert_eq!(iccid.as_str(), text, "{name}");
        assert_eq!(iccid.len(), digits, "{name}");
        assert_eq!(iccid.luhn(), Luhn::Valid, "{name}");
        assert!(iccid.is_decimal() && iccid.is_telecom(), "{name}");
        assert_eq!(iccid.to_ef().to_vec(), raw, "{name}");
        assert_eq!(Iccid::parse(text).unwrap(), iccid, "{name}");
    }
}

/// E.118 fields: V17 is German (+49), V16 an international network (+882, region
/// "001"), V20 a US ICCID with the zero-padded country code "01" (digest §5).
#[test]
fn iccid_e118_fields() {
    let v17 = Iccid::parse("8949440000001155314").unwrap();
    assert_eq!(v17.major_industry_identifier(), Some(89));
    let cc = v17.country_code().unwrap();
    assert_eq!((cc.code.code, cc.code.regions, cc.len), (49, &["DE"][..], 2));
    // The issuer identifier: what follows the country code, as wide as E.118 lets it be
    // while the issuer identification number (89 + CC + issuer) stays within 7 digits; the
    // split is this crate's reading (E.118 gives 1–4 digits, digest §5).
    assert_eq!(v17.issuer_identifier(), Some("440"));

    let v16 = Iccid::parse("8988211000000430010").unwrap();
    let cc = v16.country_code().unwrap();
    // +882: ITU-T's international networks; region "001" is libphonenumber's non-geographic
    // code (resolved Q12).
    assert_eq!((cc.code.code, cc.code.regions, cc.len), (882, &["001"][..], 3));
    assert_eq!(v16.issuer_identifier(), Some("11"));

    let v20 = Iccid::parse("89014103211118510720").unwrap();
    let cc = v20.country_code().unwrap();
    assert_eq!((cc.code.code, cc.code.regions[0], cc.len), (1, "US", 2));
    assert_eq!(v20.issuer_identifier(), Some("410"));

    // Not telecom: no E.118 fields.
    let other = Iccid::parse("4111111111111111").unwrap();
    assert_eq!(other.major_industry_identifier(), Some(41));
    assert_eq!(other.country_code(), None);
}

/// A wrong check digit is reported with the expected one, never rejected
/// (resolved Q9): V17 with its last digit changed from 4 to 5.
#[test]
fn iccid_bad_check_digit_is_reported_not_enforced() {
    let iccid = Iccid::from_ef(&bytes("98 94 44 00 00 00 11 55 13 F5")).unwrap();
    assert_eq!(iccid.as_str(), "8949440000001155315");
    assert_eq!(iccid.luhn(), Luhn::Invalid { expected: 4 });
}

/// Hex letters inside the number are kept and flagged (resolved Q9: China Mobile
/// ICCIDs such as `898600B5…`, commaai/openpilot PR #38735). The bytes are V17's
/// with the 7th digit replaced by B.
#[test]
fn iccid_non_decimal_nibbles_are_kept_and_flagged() {
    let raw = bytes("98 94 44 0B 00 00 11 55 13 F4");
    let iccid = Iccid::from_ef(&raw).unwrap();
    assert_eq!(iccid.as_str(), "894944B000001155314");
    assert!(!iccid.is_decimal());
    assert_eq!(iccid.non_decimal().collect::<Vec<_>>(), [(6, 'B')]);
    assert_eq!(iccid.luhn(), Luhn::NotDecimal);
    assert_eq!(iccid.to_ef().to_vec(), raw);
    assert_eq!(Iccid::parse("894944b000001155314").unwrap(), iccid);
}

#[test]
fn iccid_errors_name_the_place() {
    assert_eq!(
        Iccid::from_ef(&bytes("98 94 44")),
        Err(DecodeError::Truncated { what: "EF_ICCID", offset: 3, needed: 7 })
    );
    assert_eq!(Iccid::from_ef(&[0xFF; 10]), Err(DecodeError::Empty { what: "ICCID", offset: 0 }));
    assert_eq!(Iccid::from_ef(&[0x98; 11]), Err(DecodeError::TrailingBytes { what: "EF_ICCID", offset: 10 }));
    assert_eq!(
        Iccid::parse("8949 4400 x"),
        Err(DecodeError::InvalidChar { what: "printed ICCID", offset: 10, found: 'x' })
    );
    // A final F cannot be told from the filler.
    assert!(matches!(Iccid::parse("894944F"), Err(DecodeError::InvalidChar { offset: 6, found: 'F', .. })));
    // A printed value of the wrong length says how many digits it has and needs.
    let long = Iccid::parse("123456789012345678901").unwrap_err();
    assert_eq!(
        long,
        DecodeError::DigitCount { what: "printed ICCID", count: 21, min: 1, max: 20, offset: 21 }
    );
    assert_eq!(long.to_string(), "printed ICCID: 21 digits, 1 to 20 needed (text ends at character 21)");
    assert!(matches!(Iccid::parse(" - "), Err(DecodeError::DigitCount { count: 0, offset: 3, .. })));
    // Spaces and dashes of a printed card are ignored.
    assert_eq!(Iccid::parse("8949 4400-0000 1155 314").unwrap().as_str(), "8949440000001155314");
}

// ---- D. IMSI ----

/// (vector, EF bytes, IMSI, MCC) from vectors.md section D.
const IMSIS: [(&str, &str, &str, u16); 3] = [
    // V22, V23: pySim EF_IMSI._test_de_encode.
    ("V22", "08 29 82 60 82 00 00 20 80", "228062800000208", 228),
    ("V23", "08 29 26 10 11 60 84 57 40", "262011106487504", 262),
    // V24: test network 001-01.
    ("V24", "08 09 10 10 10 32 54 76 98", "001010123456789", 1),
];

#[test]
fn imsi_vectors_decode_and_encode() {
    for (name, ef, text, mcc) in IMSIS {
        let raw = bytes(ef);
        let imsi = Imsi::from_ef(&raw).unwrap();
        assert_eq!(imsi.as_str(), text, "{name}");
        assert_eq!(imsi.mcc(), mcc, "{name}");
        assert_eq!(imsi.to_ef().to_vec(), raw, "{name}");
        assert_eq!(Imsi::parse(text).unwrap(), imsi, "{name}");
    }
    let v23 = Imsi::parse("262011106487504").unwrap();
    assert_eq!(v23.plmn(MncLength::Two).to_string(), "262-01");
    assert_eq!(v23.msin(MncLength::Two), "1106487504");
}

/// An even digit count: parity nibble 1 and the last high nibble F
/// (TS 24.008 §10.5.1.4); the 14 digits are V23's first 14.
#[test]
fn imsi_even_length_uses_the_filler() {
    let imsi = Imsi::parse("26201110648750").unwrap();
    let ef = imsi.to_ef();
    assert_eq!(ef.to_vec(), bytes("08 21 26 10 11 60 84 57 F0"));
    assert_eq!(Imsi::from_ef(&ef).unwrap(), imsi);
}

#[test]
fn imsi_errors_name_the_place() {
    assert_eq!(Imsi::from_ef(&[0xFF; 9]), Err(DecodeError::Empty { what: "IMSI", offset: 0 }));
    // Parity says odd, but the last nibble is the filler.
    assert_eq!(
        Imsi::from_ef(&bytes("08 29 26 10 11 60 84 57 F0")),
        Err(DecodeError::Invalid { what: "IMSI parity", offset: 1, found: 0x29 })
    );
    // A non-decimal digit in byte 5.
    assert_eq!(
        Imsi::from_ef(&bytes("08 29 26 10 1A 60 84 57 40")),
        Err(DecodeError::Invalid { what: "IMSI digit", offset: 4, found: 0x0A })
    );
    assert_eq!(
        Imsi::from_ef(&bytes("08 29 26 10")),
        Err(DecodeError::Truncated { what: "EF_IMSI", offset: 4, needed: 5 })
    );
    assert!(matches!(Imsi::from_ef(&bytes("09 29")), Err(DecodeError::Invalid { offset: 0, found: 9, .. })));
    assert_eq!(
        Imsi::parse("26201"),
        Err(DecodeError::DigitCount { what: "printed IMSI", count: 5, min: 6, max: 15, offset: 5 })
    );
    assert!(matches!(Imsi::parse("0010101234567890"), Err(DecodeError::DigitCount { count: 16, .. })));
    // TS 23.003 §2.2: MCC 3 digits, MNC 2 or 3.
    assert!(matches!(
        Plmn::parse("001-1"),
        Err(DecodeError::DigitCount { count: 4, min: 5, max: 6, offset: 5, .. })
    ));
    assert!(matches!(Plmn::parse("0010101"), Err(DecodeError::DigitCount { count: 7, .. })));
    assert!(matches!(Plmn::parse("001-0x"), Err(DecodeError::InvalidChar { offset: 5, found: 'x', .. })));
    // One dash after the MCC, not a run of them.
    assert!(matches!(Plmn::parse("262--01"), Err(DecodeError::InvalidChar { offset: 4, found: '-', .. })));
}

/// The MNC length: EF_AD byte 4 first, else resolved Q10's table.
#[test]
fn mnc_length_from_ad_or_fallback() {
    let v22 = Imsi::parse("228062800000208").unwrap();
    let ad3 = Ad::from_ef(&bytes("00 00 00 03")).unwrap(); // V27
    assert_eq!(v22.mnc_length(Some(&ad3)), (MncLength::Three, MncLengthSource::Ad));
    assert_eq!(v22.mnc_length(None), (MncLength::Two, MncLengthSource::Default));
    let ad_short = Ad::from_ef(&bytes("00 FF FF")).unwrap(); // V26
    assert_eq!(v22.mnc_length(Some(&ad_short)), (MncLength::Two, MncLengthSource::Default));
    // oFono/ITU E.212: MCC 310 (USA) and 354 (Montserrat) use three digits.
    assert_eq!(mnc_length_fallback(310, 260), (MncLength::Three, MncLengthSource::Table));
    assert_eq!(mnc_length_fallback(354, 860), (MncLength::Three, MncLengthSource::Table));
    // India: 405-025…047 three digits (AOSP and oFono; resolved Q10), 405-009…014 three as well
    // (oFono's E.212 list), other 405-0x two.
    assert_eq!(mnc_length_fallback(405, 30), (MncLength::Three, MncLengthSource::Table));
    assert_eq!(mnc_length_fallback(405, 10), (MncLength::Three, MncLengthSource::Table));
    assert_eq!(mnc_length_fallback(405, 15), (MncLength::Two, MncLengthSource::Default));
    assert_eq!(mnc_length_fallback(404, 450), (MncLength::Two, MncLengthSource::Default));
    let us = Imsi::parse("310260123456789").unwrap();
    let (len, _) = us.mnc_length(None);
    assert_eq!(us.plmn(len).to_string(), "310-260");
}

// ---- E. Other EF contents ----

#[test]
fn v26_v27_ad() {
    // V26: pySim EF_AD test.
    let ad = Ad::from_ef(&bytes("00 FF FF")).unwrap();
    assert_eq!(ad.mode, OperationMode::Normal);
    assert!(ad.ofm());
    assert_eq!(ad.mnc_length, None);
    let mut out = [0u8; 4];
    assert_eq!(ad.encode_into(&mut out), Ok(3));
    assert_eq!(out[..3], bytes("00 FF FF")[..]);
    // V27.
    for (raw, len) in [("00 00 00 02", MncLength::Two), ("00 00 00 03", MncLength::Three)] {
        let ad = Ad::from_ef(&bytes(raw)).unwrap();
        assert_eq!((ad.mode, ad.ofm(), ad.mnc_length), (OperationMode::Normal, false, Some(len)));
        assert_eq!(ad.encode_into(&mut out), Ok(4));
        assert_eq!(out.to_vec(), bytes(raw));
        assert_eq!(Ad::new(OperationMode::Normal, false, Some(len)), ad);
    }
    assert_eq!(Ad::from_ef(&bytes("80 00 01 0F")).unwrap().mode, OperationMode::TypeApproval);
    assert_eq!(Ad::from_ef(&bytes("80 00 01 0F")).unwrap().mnc_length, None);
    assert!(matches!(Ad::from_ef(&[0]), Err(DecodeError::Truncated { offset: 1, .. })));
}

/// V28: pySim EF_SPN test, "GSM-R CH" in the unpacked GSM alphabet.
#[test]
fn v28_spn() {
    let raw = bytes("01 47 53 4D 2D 52 20 43 48 FF FF FF FF FF FF FF FF");
    let spn = Spn::from_ef(&raw).unwrap();
    assert_eq!(spn.display, SpnDisplay::REGISTERED_PLMN_IN_HPLMN);
    assert_eq!(spn.name.form(), AlphaForm::Gsm);
    assert_eq!(spn.to_string(), "GSM-R CH");
    let mut out = [0u8; 17];
    assert_eq!(Spn::encode_into(SpnDisplay::REGISTERED_PLMN_IN_HPLMN, "GSM-R CH", &mut out), Ok(17));
    assert_eq!(out.to_vec(), raw);
    // A name with a character outside the GSM alphabet goes out as UCS2 (V37's text).
    Spn::encode_into(SpnDisplay::empty(), "Па", &mut out).unwrap();
    assert_eq!(&out[..6], &bytes("00 80 04 1F 04 30")[..]);
    assert_eq!(Spn::from_ef(&out).unwrap().to_string(), "Па");
    assert!(Spn::encode_into(SpnDisplay::empty(), "a name far longer than sixteen", &mut out).is_err());
}

/// V32: pySim EF_LOCI test.
#[test]
fn v32_loci() {
    let raw = bytes("78 02 57 02 22 F8 10 09 78 00 00");
    let loci = Loci::from_ef(&raw).unwrap();
    assert_eq!(loci.tmsi, [0x78, 0x02, 0x57, 0x02]);
    let plmn = loci.lai.plmn.unwrap();
    assert_eq!((plmn.mcc(), plmn.mnc(), plmn.mnc_length()), (228, 1, MncLength::Two));
    assert_eq!(loci.lai.lac, 0x0978);
    assert_eq!(loci.tmsi_time, 0);
    assert_eq!(loci.update_status, UpdateStatus::Updated);
    assert_eq!(loci.to_ef().to_vec(), raw);
    // A card without a LAI yet holds FF FF FF for the PLMN.
    let fresh = Loci::from_ef(&bytes("FF FF FF FF FF FF FF FF FE FF 01")).unwrap();
    assert_eq!(fresh.lai, Lai { plmn: None, lac: 0xFFFE });
    assert_eq!(fresh.update_status, UpdateStatus::NotUpdated);
    assert!(matches!(
        Loci::from_ef(&bytes("78 02 57 02 2A F8 10 09 78 00 00")),
        Err(DecodeError::Invalid { what: "PLMN digit", offset: 4, found: 0x0A })
    ));
}

/// V33 (pySim PLMN tests) and pySim EF_PLMNsel._test_de_encode (`22F860` → 228-06).
#[test]
fn v33_plmn_triples() {
    for (raw, mcc, mnc, len, text) in [
        ("62 F2 10", 262, 1, MncLength::Two, "262-01"),
        ("33 04 20", 334, 20, MncLength::Three, "334-020"),
        ("22 F8 60", 228, 6, MncLength::Two, "228-06"),
    ] {
        let b: [u8; 3] = bytes(raw).try_into().unwrap();
        let plmn = Plmn::from_bytes(b).unwrap();
        assert_eq!((plmn.mcc(), plmn.mnc(), plmn.mnc_length()), (mcc, mnc, len));
        assert_eq!(plmn.to_string(), text);
        assert_eq!(plmn.to_bytes(), b);
        assert_eq!(Plmn::parse(text).unwrap(), plmn);
        assert_eq!(Plmn::parse(&text.replace('-', "")).unwrap(), plmn);
        assert_eq!(Plmn::new(mcc, mnc, len).unwrap(), plmn);
    }
}

/// EF_FPLMN / EF_PLMNsel lists skip FF FF FF entries (TS 51.011 §10.3.16).
#[test]
fn plmn_lists() {
    let raw = bytes("62 F2 10 FF FF FF 33 04 20 FF FF FF");
    let plmns: Vec<String> = PlmnList::new(&raw).map(|p| p.unwrap().to_string()).collect();
    assert_eq!(plmns, ["262-01", "334-020"]);
    let list = [Plmn::parse("262-01").unwrap(), Plmn::parse("334-020").unwrap()];
    let mut out = [0u8; 12];
    assert_eq!(PlmnList::encode_into(&list, &mut out), Ok(6));
    assert_eq!(out.to_vec(), bytes("62 F2 10 33 04 20 FF FF FF FF FF FF"));
    let bad = bytes("62 F2 10 6A F2 10");
    let results: Vec<_> = PlmnList::new(&bad).collect();
    assert_eq!(results[1], Err(DecodeError::Invalid { what: "PLMN digit", offset: 3, found: 0x0A }));
    assert!(matches!(PlmnList::new(&[0x62, 0xF2]).next(), Some(Err(DecodeError::Truncated { .. }))));
}

/// V34: pySim EF_ACC test, `80 2B` → classes 0, 1, 3, 5, 15.
#[test]
fn v34_acc() {
    let acc = Acc::from_ef(&bytes("80 2B")).unwrap();
    assert_eq!(acc.classes().collect::<Vec<_>>(), [0, 1, 3, 5, 15]);
    assert!(acc.has(15) && !acc.has(2) && !acc.has(16));
    let mut out = [0u8; 2];
    acc.encode_into(&mut out).unwrap();
    assert_eq!(out.to_vec(), bytes("80 2B"));
    assert!(matches!(Acc::from_ef(&[0x80]), Err(DecodeError::Truncated { offset: 1, .. })));
}

/// V35: pySim EF_Kc test, Kc 837D783609A3858F and CKSN 5.
#[test]
fn v35_kc() {
    let raw = bytes("83 7D 78 36 09 A3 85 8F 05");
    let kc = Kc::from_ef(&raw).unwrap();
    assert_eq!(kc.kc.to_vec(), bytes("83 7D 78 36 09 A3 85 8F"));
    assert_eq!(kc.cksn, 5);
    assert!(kc.is_available());
    assert_eq!(kc.to_ef().to_vec(), raw);
    assert!(!format!("{kc:?}").contains("83"));
    assert!(!Kc::from_ef(&bytes("FF FF FF FF FF FF FF FF 07")).unwrap().is_available());
}

/// V36, V37: UCS2 alpha identifiers (vectors.md section E).
#[test]
fn v36_v37_ucs2_alpha() {
    use simcore::codec::Alpha;
    assert_eq!(Alpha::parse(&bytes("80 00 41 00 42 FF FF")).unwrap().to_string(), "AB");
    let raw = bytes("80 04 1F 04 30 FF FF");
    let a = Alpha::parse(&raw).unwrap();
    assert_eq!(a.form(), AlphaForm::Ucs2);
    assert_eq!(a.to_string(), "Па");
    let mut out = String::new();
    a.write_to(&mut out).unwrap();
    assert_eq!(out, "Па");
    assert!(a.to_heapless::<3>().is_err());
}

// ---- Dialling numbers: pySim EF_MSISDN / EF_ADN _test_de_encode ----

#[test]
fn pysim_msisdn_records() {
    let raw = bytes(
        "FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF 04 B1 21 43 F5 FF FF FF FF FF FF FF FF FF",
    );
    let rec = DiallingNumber::parse(&raw).unwrap();
    assert!(rec.alpha.is_empty());
    let number = rec.number.unwrap();
    assert_eq!((number.ton_npi().ton(), number.ton_npi().npi()), (Ton::NetworkSpecific, Npi::Isdn));
    assert_eq!(number.to_string(), "12345");
    assert_eq!((rec.ccp, rec.ext), (None, None));

    let raw = bytes("456967656e65205275666e756d6d6572ffffffff0891947172199181f3ffffffffff");
    let rec = DiallingNumber::parse(&raw).unwrap();
    assert_eq!(rec.alpha.to_string(), "Eigene Rufnummer");
    assert_eq!(rec.number.unwrap().ton_npi().ton(), Ton::International);
    assert_eq!(rec.number.unwrap().to_string(), "+4917279119183");
    let mut out = vec![0u8; raw.len()];
    DiallingNumber::encode_into("Eigene Rufnummer", "+4917279119183", &mut out).unwrap();
    assert_eq!(out, raw);
}

#[test]
fn pysim_adn_records() {
    let raw = bytes("42204841203120536963FFFFFFFFFFFF06810628560810FFFFFFFFFFFFFF");
    let rec = DiallingNumber::parse(&raw).unwrap();
    assert_eq!(rec.alpha.to_string(), "B HA 1 Sic");
    let number = rec.number.unwrap();
    assert_eq!((number.ton_npi().ton(), number.ton_npi().npi()), (Ton::Unknown, Npi::Isdn));
    assert_eq!(number.to_string(), "6082658001");
    let mut out = vec![0u8; raw.len()];
    DiallingNumber::encode_into("B HA 1 Sic", "6082658001", &mut out).unwrap();
    assert_eq!(out, raw);

    let raw = bytes("4B756E64656E626574726575756E67FF0791947112122721ffffffffffff");
    let rec = DiallingNumber::parse(&raw).unwrap();
    assert_eq!(rec.alpha.to_string(), "Kundenbetreuung");
    assert_eq!(rec.number.unwrap().to_string(), "+491721217212");
    DiallingNumber::encode_into("Kundenbetreuung", "+491721217212", &mut out).unwrap();
    assert_eq!(out, raw);
}

/// `Debug` shows the stored bytes in hex, as TS 51.011 writes them, not as
/// decimal arrays (pySim's EF_ADN vector above).
#[test]
fn debug_shows_record_bytes_in_hex() {
    let raw = bytes("4B756E64656E626574726575756E67FF0791947112122721ffffffffffff");
    let rec = DiallingNumber::parse(&raw).unwrap();
    let debug = format!("{rec:?}");
    assert!(debug.contains("body: 4B 75 6E 64 65 6E 62 65 74 72 65 75 75 6E 67"), "{debug}");
    assert!(debug.contains("ton_npi: TonNpi(91)"), "{debug}");
    assert!(debug.contains("bcd: 94 71 12 12 27 21"), "{debug}");
    let record = simcore::card::MsisdnRecord::new(&raw).unwrap();
    assert_eq!(format!("{record:?}"), format!("MsisdnRecord({:#})", hex::Hex(&raw)));
}

/// Extended BCD (TS 51.011 §10.5.1 table): A = *, B = #, C = pause, D = wild, E = expansion.
#[test]
fn dialling_extended_bcd_and_errors() {
    let mut rec = [0u8; 14];
    DiallingNumber::encode_into("", "*#31#,N1", &mut rec).unwrap();
    assert_eq!(rec.to_vec(), bytes("05 81 BA 13 CB 1D FF FF FF FF FF FF FF FF"));
    let parsed = DiallingNumber::parse(&rec).unwrap();
    assert_eq!(parsed.number.unwrap().to_string(), "*#31#,N1");
    assert!(DiallingNumber::parse(&[0xFF; 14]).unwrap().is_empty());
    // E is GSM 11.11's expansion digit ("shift key"), RFU later: the record
    // still reads, E written ';' as Android's PhoneNumberUtils writes it
    // (BCD_EF_ADN_EXTENDED = "*#,N;"), and ';' writes E back.
    let raw = bytes("04 81 21 E3 F5 FF FF FF FF FF FF FF FF FF");
    let parsed = DiallingNumber::parse(&raw).unwrap();
    assert_eq!(parsed.number.unwrap().to_string(), "123;5");
    DiallingNumber::encode_into("", "123;5", &mut rec).unwrap();
    assert_eq!(rec.to_vec(), raw);
    // F is the filler: inside the number it is no digit; it sits in the number's third byte.
    assert_eq!(
        DiallingNumber::parse(&bytes("04 81 21 F3 F5 FF FF FF FF FF FF FF FF FF")),
        Err(DecodeError::Invalid { what: "dialling number digit", offset: 3, found: 0x0F })
    );
    assert!(matches!(
        DiallingNumber::parse(&bytes("0C 81 21 43 F5 FF FF FF FF FF FF FF FF FF")),
        Err(DecodeError::Invalid { what: "dialling number length", offset: 0, found: 0x0C })
    ));
    assert!(DiallingNumber::parse(&[0xFF; 13]).is_err());
    assert!(DiallingNumber::encode_into("", "12x", &mut rec).is_err());
    assert!(DiallingNumber::encode_into("", "123456789012345678901", &mut rec).is_err());
    assert!(DiallingNumber::encode_into("too long", "1", &mut rec).is_err());
}
