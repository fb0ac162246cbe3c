//! Property tests for the USIM files, the eUICC and the modem's AT answers:
//! EF_DIR records (TS 102 221 §13.1) and EF_UST (TS 31.102 §4.2.8) round-trip
//! through their encoders; every EID built with `with_check_digits` passes
//! the SGP.29 mod-97 check and no single changed digit does; AT answers give
//! the same outcome however the bytes are split; arbitrary bytes never panic
//! a parser, and errors name a byte inside the input.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use proptest::prelude::*;
use simcore::ef::{DirRecord, ServiceTable};
use simcore::euicc::{Eid, es10};
use simcore::transport::at::{AtAnswer, csim_command, parse_line};

proptest! {
    #[test]
    fn dir_records_round_trip(aid in proptest::collection::vec(any::<u8>(), 1..=16),
                              label in proptest::collection::vec(0x20u8..0x7F, 0..=16)) {
        let mut out = [0xFFu8; 64];
        let n = DirRecord::encode_into(&aid, &label, &mut out).unwrap();
        prop_assert!(n <= 2 + 2 + 16 + 2 + 16);
        let record = DirRecord::parse(&out).unwrap().unwrap();
        prop_assert_eq!(record.aid().as_bytes(), &aid[..]);
        let expected = if label.is_empty() { None } else { Some(&label[..]) };
        prop_assert_eq!(record.label_bytes(), expected);
        prop_assert_eq!(record.other_objects().count(), 0);
    }

    #[test]
    fn service_tables_round_trip(services in proptest::collection::btree_set(1u16..=200, 0..40)) {
        let services: Vec<u16> = services.into_iter().collect();
        let mut out = [0u8; 32];
        let len = ServiceTable::encode_into(&services, &mut out).unwrap();
        let table = ServiceTable::from_ef(&out[..len]).unwrap();
        prop_assert_eq!(table.services().map(|s| s.0).collect::<Vec<_>>(), services.clone());
        for n in 0..=u16::try_from(len).unwrap() * 8 + 8 {
            prop_assert_eq!(table.is_available(n), services.contains(&n));
        }
    }

    #[test]
    fn computed_check_digits_pass_and_changed_digits_fail(body in "[0-9]{30}", at in 0usize..32, delta in 1u8..10) {
        let eid = Eid::with_check_digits(&body).unwrap();
        prop_assert!(eid.check_digits_valid());
        let text = eid.to_string();
        prop_assert_eq!(&text[..30], &body[..]);
        // ISO 7064 mod 97-10 catches every single-digit error.
        let mut digits: Vec<u8> = text.bytes().map(|b| b - b'0').collect();
        digits[at] = (digits[at] + delta) % 10;
        let changed: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
        prop_assert!(!Eid::parse(&changed).unwrap().check_digits_valid());
    }

    #[test]
    fn eid_objects_parse_back(body in "[0-9]{30}") {
        let eid = Eid::with_check_digits(&body).unwrap();
        let mut response = vec![0xBF, 0x3E, 0x12, 0x5A, 0x10];
        response.extend_from_slice(eid.as_bytes());
        prop_assert_eq!(es10::parse_get_euicc_data(&response).unwrap(), eid);
        prop_assert_eq!(es10::parse_eid_data_object(&response[3..]).unwrap(), eid);
    }

    #[test]
    fn csim_answers_survive_any_split(apdu in proptest::collection::vec(any::<u8>(), 2..=258),
                                     cut in any::<usize>(), urc in any::<bool>()) {
        let hex: String = apdu.iter().map(|b| format!("{b:02X}")).collect();
        let mut text = format!("\r\n+CSIM: {},\"{hex}\"\r\n", hex.len());
        if urc {
            text.push_str("\r\n+CREG: 1\r\n");
        }
        text.push_str("\r\nOK\r\n");
        let bytes = text.as_bytes();
        let cut = cut % bytes.len();
        let mut answer = AtAnswer::new();
        let first = answer.feed(&bytes[..cut]).unwrap();
        let done = match first {
            Some(done) => done,
            None => answer.feed(&bytes[cut..]).unwrap().unwrap(),
        };
        prop_assert_eq!(done, simcore::transport::at::Final::Ok);
        prop_assert_eq!(answer.response(), Some(&apdu[..]));
        // And the command side: AT+CSIM=<2n>,"<hex>".
        let mut out = [0u8; 600];
        let line = csim_command(&apdu, &mut out).unwrap();
        let expected = format!("AT+CSIM={},\"{hex}\"\r", hex.len());
        prop_assert_eq!(line, expected.as_bytes());
    }

    #[test]
    fn arbitrary_bytes_never_panic(raw in proptest::collection::vec(any::<u8>(), 0..300)) {
        if let Err(e) = DirRecord::parse(&raw) {
            prop_assert!(e.offset() <= raw.len());
        }
        if let Ok(table) = ServiceTable::from_ef(&raw) {
            let _ = table.services().count();
        }
        for parsed in [es10::parse_get_euicc_data(&raw), es10::parse_eid_data_object(&raw)] {
            match parsed {
                Ok(eid) => { let _ = eid.check_digits_valid(); }
                Err(e) => prop_assert!(e.offset() <= raw.len(), "{} > {}", e.offset(), raw.len()),
            }
        }
        let _ = Eid::from_slice(&raw);
        let _ = AtAnswer::new().feed(&raw);
        for line in raw.split(|&b| b == b'\n') {
            if let Err(e) = parse_line(line) {
                prop_assert!(e.offset().is_none_or(|o| o <= line.len()));
            }
        }
    }
}
