//! Property tests for the ATR layer (ISO/IEC 7816-3:2006 §8–§9): the parser and
//! the historical-byte decoder never panic and account for every input byte;
//! the incremental reader agrees with the parser however the bytes are split
//! and in both conventions; PPS messages survive a build → parse round trip.

// Tests fail loudly: unwrap, expect, panic and indexing are the point here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use proptest::prelude::*;
use simcore::atr::{Atr, AtrError, AtrReader, Convention, FiDi, HistoricalBytes, Pps, Progress, Tck};

/// Inputs that look like ATRs often enough to reach deep: TS mostly valid,
/// then arbitrary bytes.
fn atr_like() -> impl Strategy<Value = Vec<u8>> {
    (prop_oneof![Just(0x3Bu8), Just(0x3F), any::<u8>()], proptest::collection::vec(any::<u8>(), 0..40))
        .prop_map(|(ts, rest)| std::iter::once(ts).chain(rest).collect())
}

/// Splits `bytes` into chunks at the given cut points.
fn chunks(bytes: &[u8], cuts: &[usize]) -> Vec<Vec<u8>> {
    let mut points: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
    points.sort_unstable();
    let mut out = Vec::new();
    let mut start = 0;
    for p in points.into_iter().chain(std::iter::once(bytes.len())) {
        out.push(bytes[start..p].to_vec());
        start = p;
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn parse_accounts_for_every_byte(input in atr_like()) {
        match Atr::parse(&input) {
            Ok(atr) => {
                prop_assert!(atr.len() <= 33 && atr.len() >= 2);
                let mut whole = atr.as_bytes().to_vec();
                whole.extend_from_slice(atr.extra_bytes());
                prop_assert_eq!(&whole, &input);
                prop_assert_eq!(atr.historical_bytes().len(), atr.k());
                let from_groups: Vec<u8> = atr.groups().flat_map(|g| g.bytes().map(|(_, _, b)| b).collect::<Vec<_>>()).collect();
                prop_assert_eq!(&from_groups[..], atr.interface_bytes());
                let tck_len = usize::from(atr.tck().is_present());
                prop_assert_eq!(2 + atr.interface_bytes().len() + atr.k() + tck_len, atr.len());
                if let Tck::Valid(t) | Tck::Invalid { found: t, .. } = atr.tck() {
                    prop_assert_eq!(Some(&t), atr.as_bytes().last());
                }
                // Everything else answers without panicking.
                let _ = (atr.fi_di().bit_rate(4_000_000), atr.t1_parameters().bwt_clocks(atr.fi_di()));
                let _ = (atr.protocols().count(), atr.warnings().count(), atr.historical().check());
                let _ = (atr.is_euicc(), atr.voltage_classes(), atr.work_waiting_time_clocks(), atr.to_string());
            }
            Err(AtrError::Truncated { offset, needed }) => {
                prop_assert_eq!(offset, input.len());
                prop_assert!(needed >= 1 && offset + needed <= 33);
            }
            Err(AtrError::InvalidTs { found }) => prop_assert_eq!(found, input[0]),
            Err(AtrError::TooLong { length, .. }) => prop_assert!(length > 33),
            Err(e) => prop_assert!(false, "unexpected {e:?}"),
        }
    }

    #[test]
    fn reader_agrees_with_parse(input in atr_like(), cuts in proptest::collection::vec(any::<usize>(), 0..5)) {
        prop_assume!(input[0] != 0x03);
        let mut reader = AtrReader::new();
        let mut verdict: Result<Progress, AtrError> = Ok(reader.progress());
        let mut used_total = 0;
        for chunk in chunks(&input, &cuts) {
            match reader.feed(&chunk) {
                Ok((progress, used)) => {
                    verdict = Ok(progress);
                    used_total += used;
                    if used < chunk.len() {
                        break;
                    }
                }
                Err(e) => {
                    verdict = Err(e);
                    break;
                }
            }
        }
        match Atr::parse(&input) {
            Ok(atr) => {
                prop_assert_eq!(verdict, Ok(Progress::Complete(atr.len())));
                prop_assert_eq!(used_total, atr.len());
                prop_assert_eq!(reader.bytes(), atr.as_bytes());
                prop_assert_eq!(reader.atr().unwrap(), Atr::parse(atr.as_bytes()).unwrap());
            }
            Err(AtrError::Truncated { needed, .. }) => prop_assert_eq!(verdict, Ok(Progress::NeedMore(needed))),
            Err(e) => prop_assert_eq!(verdict, Err(e)),
        }
    }

    #[test]
    fn reader_converts_inverse_convention(rest in proptest::collection::vec(any::<u8>(), 1..34)) {
        let logical: Vec<u8> = std::iter::once(0x3F).chain(rest).collect();
        let line: Vec<u8> = logical.iter().map(|&b| Convention::Inverse.to_line(b)).collect();
        let mut direct = AtrReader::new();
        let mut inverse = AtrReader::new();
        let a = direct.feed(&logical);
        let b = inverse.feed(&line);
        prop_assert_eq!(a, b);
        prop_assert_eq!(direct.bytes(), inverse.bytes());
        prop_assert!(inverse.converts_bytes() && !direct.converts_bytes());
    }

    #[test]
    fn historical_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..16), base in 0usize..20) {
        let h = HistoricalBytes::new(&bytes, base);
        let _ = (h.category(), h.status_indicator(), h.dir_data_reference());
        let mut covered = 0;
        for object in h.objects() {
            match object {
                Ok(o) => {
                    prop_assert!(o.offset() > base);
                    prop_assert_eq!(o.header() & 0x0F, u8::try_from(o.value().len()).unwrap());
                    covered += 1 + o.value().len();
                    let _ = o.decode();
                }
                Err(e) => prop_assert!(e.offset() >= base),
            }
        }
        prop_assert!(covered < bytes.len().max(1));
        match h.check() {
            Ok(()) => {}
            Err(e) => prop_assert!(e.offset() >= base && e.offset() < base + bytes.len()),
        }
    }

    #[test]
    fn pps_round_trip(
        protocol in 0u8..15,
        pps1 in proptest::option::of(any::<u8>()),
        pps2 in proptest::option::of(any::<u8>()),
        pps3 in proptest::option::of(any::<u8>()),
    ) {
        let mut pps = Pps::new(protocol);
        if let Some(b) = pps1 { pps = pps.with_fi_di(FiDi::from_byte(b)); }
        if let Some(b) = pps2 { pps = pps.with_pps2(b); }
        if let Some(b) = pps3 { pps = pps.with_pps3(b); }
        let bytes = pps.to_bytes();
        prop_assert_eq!(bytes.len(), pps.encoded_len());
        prop_assert_eq!(bytes.iter().fold(0u8, |a, b| a ^ b), 0);
        prop_assert_eq!(Pps::parse(&bytes), Ok(pps));
        prop_assert_eq!(pps.check_response(&bytes), Ok(pps));
    }

    #[test]
    fn pps_parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..10)) {
        if let Ok(pps) = Pps::parse(&bytes) {
            let again = pps.to_bytes();
            prop_assert_eq!(again.as_slice(), &bytes[..]);
        }
    }
}
