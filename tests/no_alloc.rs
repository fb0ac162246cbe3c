//! Decoding SIM data allocates nothing (the crate's no-allocation rule below the
//! transport, ARCHITECTURE.md): every decoder of codec/, ef/ and fcp/ runs over
//! the vectors of ../shared/spec/vectors.md (C, D, E, H, I) under a counting
//! global allocator, and the count must stay at zero.
//!
//! One test in this binary, so no other test thread allocates meanwhile.

// Tests fail loudly: unwrap, expect, panic and indexing are the point here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use simcore::codec::{Alpha, TlvIter};
use simcore::ef::{Ad, DiallingNumber, Iccid, Imsi, Loci, MncLength, Plmn, PlmnList, Spn};
use simcore::fcp::FileSummary;
use simcore::fcp::gsm::Response;
use simcore::fcp::uicc::Fcp;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};
use std::alloc::System;
use std::fmt::Write;
use std::hint::black_box;

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Decode every vector and fold what was decoded into a checksum, so nothing
/// is optimised away; text goes to a stack `heapless::String`.
fn decode_all(v: &Vectors) -> usize {
    let mut sum = 0usize;
    let mut text: heapless::String<64> = heapless::String::new();
    for ef in &v.iccids {
        let iccid = Iccid::from_ef(ef).unwrap();
        sum += iccid.len() + usize::from(iccid.luhn() == simcore::ef::Luhn::Valid);
        sum += iccid.country_code().map_or(0, |c| usize::from(c.code.code));
        sum += Iccid::parse(iccid.as_str()).unwrap().len();
    }
    for ef in &v.imsis {
        let imsi = Imsi::from_ef(ef).unwrap();
        sum += usize::from(imsi.plmn(imsi.mnc_length(None).0).mcc());
    }
    sum += Ad::from_ef(&v.ad).unwrap().mnc_length.map_or(0, MncLength::digits);
    let spn = Spn::from_ef(&v.spn).unwrap();
    text.clear();
    write!(text, "{spn}").unwrap();
    sum += text.len();
    let loci = Loci::from_ef(&v.loci).unwrap();
    sum += usize::from(loci.lai.lac);
    sum += simcore::ef::Acc::from_ef(&v.acc).unwrap().classes().count();
    sum += usize::from(simcore::ef::Kc::from_ef(&v.kc).unwrap().cksn);
    sum += PlmnList::new(&v.plmns).map(|p| usize::from(p.unwrap().mnc())).sum::<usize>();
    sum += usize::from(Plmn::decode(&v.plmns).unwrap().mcc());
    let alpha = Alpha::parse(&v.ucs2).unwrap();
    sum += alpha.to_heapless::<16>().unwrap().len();
    let record = DiallingNumber::parse(&v.msisdn).unwrap();
    text.clear();
    write!(text, "{} {}", record.alpha, record.number.unwrap()).unwrap();
    sum += text.len();
    for raw in [&v.gsm_mf, &v.gsm_ef] {
        let _ = Response::parse(raw).unwrap();
        let summary = FileSummary::from_response(raw).unwrap();
        sum += summary.codes().map(|c| usize::from(c.attempts_left.unwrap_or(0))).sum::<usize>();
    }
    for raw in [&v.fcp_mf, &v.fcp_ef] {
        let fcp = Fcp::parse(raw).unwrap();
        sum += fcp.pin_status.map_or(0, |p| p.iter().count());
        let summary = FileSummary::from_response(raw).unwrap();
        sum += summary.codes().filter(|c| c.enabled == Some(true)).count();
        sum += TlvIter::new(raw).count();
    }
    sum
}

/// The vectors, decoded from hex before counting starts.
struct Vectors {
    iccids: Vec<Vec<u8>>,
    imsis: Vec<Vec<u8>>,
    ad: Vec<u8>,
    spn: Vec<u8>,
    loci: Vec<u8>,
    acc: Vec<u8>,
    kc: Vec<u8>,
    plmns: Vec<u8>,
    ucs2: Vec<u8>,
    msisdn: Vec<u8>,
    gsm_mf: Vec<u8>,
    gsm_ef: Vec<u8>,
    fcp_mf: Vec<u8>,
    fcp_ef: Vec<u8>,
}

fn h(text: &str) -> Vec<u8> {
    simcore::hex::decode(text).unwrap()
}

#[test]
fn decoding_allocates_nothing() {
    let v = Vectors {
        // V16, V17, V18, V20.
        iccids: [
            "988812010000400310F0",
            "989444000000115513F4",
            "988812010000407643F3",
            "98101430121181157002",
        ]
        .map(|s| h(&s.replace(' ', "")))
        .to_vec(),
        // V22, V23, V24.
        imsis: ["082982608200002080", "082926101160845740", "080910101032547698"].map(h).to_vec(),
        ad: h("00 00 00 03"),                                         // V27
        spn: h("01 47 53 4D 2D 52 20 43 48 FF FF FF FF FF FF FF FF"), // V28
        loci: h("78 02 57 02 22 F8 10 09 78 00 00"),                  // V32
        acc: h("80 2B"),                                              // V34
        kc: h("83 7D 78 36 09 A3 85 8F 05"),                          // V35
        plmns: h("62 F2 10 33 04 20 FF FF FF"),                       // V33
        ucs2: h("80 04 1F 04 30 FF FF"),                              // V37
        // pySim EF_MSISDN._test_de_encode.
        msisdn: h("456967656e65205275666e756d6d6572ffffffff0891947172199181f3ffffffffff"),
        gsm_mf: h("00 00 00 00 3F 00 01 00 00 00 00 00 09 81 02 0C 04 00 83 8A 83 8A"), // V91
        gsm_ef: h("00 00 00 0A 2F E2 04 00 0C FF FF 01 02 00 00"),                      // V96
        fcp_mf: h("62 2C 82 02 78 21 83 02 3F 00 A5 0C 80 01 71 83 04 00 03 A7 38 87 01 01 8A 01 05 \
                   8B 03 2F 06 01 C6 0C 90 01 60 83 01 01 83 01 0A 83 01 0B"), // V97
        fcp_ef: h("62 17 82 02 41 21 83 02 6F 07 8A 01 05 8B 03 6F 06 0A 80 02 00 09 88 01 38"), // V99
    };
    // Warm up once outside the region (lazy statics, if any).
    let expected = decode_all(&v);
    let region = Region::new(GLOBAL);
    let sum = black_box(decode_all(black_box(&v)));
    let stats = region.change();
    assert_eq!(sum, expected);
    assert_eq!(stats.allocations, 0, "decoding allocated: {stats:?}");
    assert_eq!(stats.reallocations, 0, "decoding reallocated: {stats:?}");
    // The counter works: a Vec allocates.
    let region = Region::new(GLOBAL);
    black_box(vec![0u8; 16]);
    assert!(region.change().allocations >= 1);
}
