//! The no_std core allocates nothing (the crate's no-allocation rule below the
//! transport, ARCHITECTURE.md): every decoder of codec/, ef/ and fcp/ runs over
//! the vectors of ../shared/spec/vectors.md (C, D, E, H, I), and the core paths
//! of atr/ (parse, every interface byte explained, warnings, historical bytes,
//! the incremental reader, PPS: vectors A and B), apdu/ (build, encode, parse,
//! T=0 mapping: vectors G), sw/ (class, action, meaning, description: vectors F),
//! codec::tlv (reader and writer), chv/ (PIN and command builders), the
//! transport's completion layer and the card session (`Link` and `Sim` over a
//! fixed in-test card) run under a counting global allocator, and the count
//! must stay at zero.
//!
//! One test in this binary, so no other test thread allocates meanwhile.

#![cfg(feature = "std")]
// Tests fail loudly: unwrap, expect, panic and indexing are the point here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use simcore::apdu::{Command, CommandView, T0Tpdu};
use simcore::atr::{Atr, AtrReader, Pps};
use simcore::card::{Guard, PinOutcome, Sim};
use simcore::chv::{ChvCommand, KeyReference, Pin};
use simcore::codec::{Alpha, TlvIter, TlvWriter};
use simcore::ef::{Ad, DiallingNumber, Iccid, Imsi, Loci, MncLength, Plmn, PlmnList, Spn};
use simcore::fcp::FileSummary;
use simcore::fcp::gsm::Response;
use simcore::fcp::uicc::Fcp;
use simcore::transport::{ErrorKind, Link, Protocol, Reset, Transport};
use simcore::{Profile, ResponseView};
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

/// The no_std core paths below the transport (and the completion layer), over
/// vectors A, B, F and G; text goes to a stack `heapless::String`.
fn core_paths(v: &Vectors) -> usize {
    let mut sum = 0usize;
    let mut text: heapless::String<256> = heapless::String::new();
    // ATR (ISO/IEC 7816-3 §8): every field, warnings, historical bytes, PPS.
    for raw in &v.atrs {
        let atr = Atr::parse(raw).unwrap();
        sum += atr.len() + atr.k() + atr.protocols().count() + atr.groups().count();
        sum += usize::from(atr.fi_di().byte()) + usize::from(atr.wi()) + atr.warnings().count();
        sum += atr.t1_parameters().cwt_etu() as usize + usize::from(atr.voltage_classes().bits());
        sum += usize::from(atr.is_euicc()) + atr.work_waiting_time_clocks().unwrap_or(0) as usize;
        let historical = atr.historical();
        sum += usize::from(historical.check().is_ok()) + historical.objects().count();
        text.clear();
        write!(text, "{atr}").unwrap();
        sum += text.len();
        for warning in atr.warnings() {
            text.clear();
            write!(text, "{warning}").unwrap();
            sum += text.len();
        }
        if let Ok(Some(pps)) = Pps::for_atr(&atr) {
            let bytes = pps.to_bytes();
            sum += Pps::parse(&bytes).unwrap().encoded_len();
            sum += pps.check_response(&bytes).unwrap().fi_di().byte() as usize;
            let mut buf = [0u8; 6];
            sum += pps.encode_into(&mut buf).unwrap().len();
        }
        let mut reader = AtrReader::new();
        let (_, used) = reader.feed(raw).unwrap();
        sum += used + reader.atr().unwrap().len();
    }
    sum += Pps::parse(&v.pps).unwrap().encoded_len();
    // APDUs (ISO/IEC 7816-4 §5.1, ISO/IEC 7816-3 §12.2).
    let mut buf = [0u8; 300];
    for raw in &v.commands {
        let view = CommandView::parse(raw).unwrap();
        let command = view.to_command();
        sum += command.encode_into(&mut buf).unwrap().len() + command.to_heapless::<300>().unwrap().len();
        if let Ok(tpdu) = T0Tpdu::from_command(&command) {
            sum += usize::from(tpdu.p3());
        }
        sum += view.nc() + view.ne().unwrap_or(0) as usize;
    }
    let select = Command::new(0x00, 0xA4, 0x04, 0x04).with_data(&v.aid).unwrap().with_ne(256).unwrap();
    sum += select.encode_into(&mut buf).unwrap().len();
    // Status words (ISO/IEC 7816-4 §5.6, TS 51.011 §9.4, TS 102 221 §10.2.1).
    for raw in &v.responses {
        let response = ResponseView::parse(raw).unwrap();
        let sw = response.sw();
        sum += response.data().len() + usize::from(sw.is_success()) + usize::from(sw.action().is_some());
        for profile in [Profile::Iso7816, Profile::Sim, Profile::Uicc] {
            text.clear();
            write!(text, "{}", sw.describe(profile)).unwrap();
            sum += text.len() + usize::from(sw.chv(profile).is_some());
        }
        text.clear();
        write!(text, "{sw}").unwrap();
        sum += text.len();
    }
    // BER-TLV reader and writer (ISO/IEC 7816-4 §5.2.2).
    let mut out = [0u8; 64];
    let mut w = TlvWriter::new(&mut out);
    w.nested(0x62, |w| {
        w.put(0x83, &[0x3F, 0x00])?;
        w.put(0x80, &[0x00, 0x09])
    })
    .unwrap();
    let written = w.into_bytes();
    sum += TlvIter::new(written).next().unwrap().unwrap().children().unwrap().count();
    sum += TlvIter::new(&v.eid).find(0xBF3E).unwrap().unwrap().value().len();
    // Hex text, PINs and PIN commands (TS 102 221 §11.1.9, TS 51.011 §9.2.9).
    let mut bytes = [0u8; 16];
    sum += simcore::hex::decode_into("3B 9F:96-80", &mut bytes).unwrap().len();
    let pin = Pin::new("1234").unwrap();
    let puk = Pin::puk("12345678").unwrap();
    for profile in [Profile::Sim, Profile::Uicc] {
        let verify = ChvCommand::verify(profile, KeyReference::PIN1, &pin).unwrap();
        sum += verify.command().encode_into(&mut buf).unwrap().len();
        let unblock = ChvCommand::unblock(profile, KeyReference::PIN1, &puk, &pin).unwrap();
        sum += unblock.expose_bytes().len();
    }
    // The completion layer: SELECT on T=0 (61 2E, GET RESPONSE) over a fixed card.
    let mut link = Link::new(FixedCard);
    let response = link.transmit(&select, &mut buf).unwrap();
    sum += response.data().len() + usize::from(response.exchanges());
    // The card session over a UICC on T=1: open, ICCID, PIN status, VERIFY behind the guard.
    let mut sim = Sim::open(SessionCard).unwrap();
    sum += sim.iccid().unwrap().len();
    let status = sim.pin_status(KeyReference::PIN1).unwrap();
    sum += usize::from(status.attempts_left.unwrap()) + usize::from(status.enabled == Some(false));
    let outcome = sim.verify(KeyReference::PIN1, &pin, Guard::Protect).unwrap();
    sum += usize::from(outcome == PinOutcome::Done) + usize::try_from(sim.apdu_count()).unwrap();
    sum
}

/// A UICC on T=1 for the session: SELECT answers the FCP of V97 (PIN1 disabled)
/// when asked for it, READ BINARY the EF_ICCID of V20, the counter queries
/// 63 C3 (V74) and 63 CA (V78), VERIFY with data 90 00.
struct SessionCard;

impl Transport for SessionCard {
    type Error = ErrorKind;
    fn transmit<'b>(&mut self, command: &[u8], response: &'b mut [u8]) -> Result<&'b [u8], ErrorKind> {
        const ICCID_V20: [u8; 12] = [0x98, 0x10, 0x14, 0x30, 0x12, 0x11, 0x81, 0x15, 0x70, 0x02, 0x90, 0x00];
        let reply: &[u8] = match command {
            [_, 0xA4, _, 0x04, ..] => &FCP_V97,
            [_, 0xA4, ..] => &[0x90, 0x00],
            [_, 0xB0, ..] => &ICCID_V20,
            [_, 0x20, _, _] => &[0x63, 0xC3],
            [_, 0x2C, _, _] => &[0x63, 0xCA],
            [_, 0x20, ..] => &[0x90, 0x00],
            _ => &[0x6D, 0x00],
        };
        let out = response.get_mut(..reply.len()).ok_or(ErrorKind::Other)?;
        out.copy_from_slice(reply);
        Ok(out)
    }
    fn atr(&self) -> Option<&[u8]> {
        None
    }
    fn reset(&mut self, reset: Reset) -> Result<Reset, ErrorKind> {
        Ok(reset)
    }
    fn protocol(&self) -> Protocol {
        Protocol::T1
    }
}

/// A UICC that answers SELECT with 61 2E and GET RESPONSE with the FCP of V97.
struct FixedCard;

/// V97, then 90 00.
const FCP_V97: [u8; 48] = [
    0x62, 0x2C, 0x82, 0x02, 0x78, 0x21, 0x83, 0x02, 0x3F, 0x00, 0xA5, 0x0C, 0x80, 0x01, 0x71, 0x83, 0x04,
    0x00, 0x03, 0xA7, 0x38, 0x87, 0x01, 0x01, 0x8A, 0x01, 0x05, 0x8B, 0x03, 0x2F, 0x06, 0x01, 0xC6, 0x0C,
    0x90, 0x01, 0x60, 0x83, 0x01, 0x01, 0x83, 0x01, 0x0A, 0x83, 0x01, 0x0B, 0x90, 0x00,
];

impl Transport for FixedCard {
    type Error = ErrorKind;
    fn transmit<'b>(&mut self, command: &[u8], response: &'b mut [u8]) -> Result<&'b [u8], ErrorKind> {
        let reply: &[u8] = if command.get(1) == Some(&0xA4) { &[0x61, 0x2E] } else { &FCP_V97 };
        let out = response.get_mut(..reply.len()).ok_or(ErrorKind::Other)?;
        out.copy_from_slice(reply);
        Ok(out)
    }
    fn atr(&self) -> Option<&[u8]> {
        None
    }
    fn reset(&mut self, reset: Reset) -> Result<Reset, ErrorKind> {
        Ok(reset)
    }
    fn protocol(&self) -> Protocol {
        Protocol::T0
    }
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
    atrs: Vec<Vec<u8>>,
    pps: Vec<u8>,
    commands: Vec<Vec<u8>>,
    aid: Vec<u8>,
    responses: Vec<Vec<u8>>,
    eid: Vec<u8>,
}

fn h(text: &str) -> Vec<u8> {
    simcore::hex::decode(text).unwrap()
}

#[test]
fn the_no_std_core_allocates_nothing() {
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
        // V01, V03, V05, V06, V07, V08, V10 (wrong TCK), V11 (specific mode).
        atrs: [
            "3B 9F 96 80 1F 87 80 31 E0 73 FE 21 1B 67 4A 4C 75 30 34 05 4B A9",
            "3B 99 18 00 11 88 22 33 44 55 66 77 60",
            "3B A7 00 40 18 80 65 A2 08 01 01 52",
            "3B F8 13 00 00 81 31 FE 45 4A 43 4F 50 76 32 34 31 B7",
            "3B 00",
            "3B 80 80 1F 07 18",
            "3B 80 0F 00",
            "3B 80 10 80",
        ]
        .map(h)
        .to_vec(),
        pps: h("FF 10 96 79"), // V13
        // V71, V74 (T=0 form), V75, V84, V86, V87, V89, V90, and an extended case 4.
        commands: [
            "A0 20 00 01 08 31 32 33 34 FF FF FF FF",
            "00 20 00 01 00",
            "A0 2C 00 00 10 31 32 33 34 35 36 37 38 31 32 33 34 FF FF FF FF",
            "00 A4 00 04 02 3F 00 00",
            "00 A4 04 04 07 A0 00 00 00 87 10 02 00",
            "80 F2 00 00 00",
            "01 A4 04 00 10 A0 00 00 05 59 10 10 FF FF FF FF 89 00 00 01 00",
            "80 E2 91 00 06 BF 3E 03 5C 01 5A 00",
            "00 B0 00 00 00 00 03 01 02 03 01 00",
        ]
        .map(h)
        .to_vec(),
        aid: h("A0 00 00 00 87 10 02"), // V86
        // V40–V70, and the GET EID response of V101.
        responses: [
            "90 00",
            "9F 16",
            "61 2E",
            "6C 09",
            "91 1A",
            "93 00",
            "92 40",
            "98 04",
            "98 40",
            "98 08",
            "63 C2",
            "63 C0",
            "69 83",
            "69 85",
            "6A 82",
            "6A 88",
            "62 83",
            "98 62",
            "6F 00",
            "12 34",
            "BF 3E 12 5A 10 89 88 21 19 90 00 00 00 00 00 00 00 00 00 00 05 90 00",
        ]
        .map(h)
        .to_vec(),
        eid: h("BF 3E 12 5A 10 89 88 21 19 90 00 00 00 00 00 00 00 00 00 00 05"), // V101
    };
    // Warm up once outside the region (lazy statics, if any).
    let expected = decode_all(&v);
    let region = Region::new(GLOBAL);
    let sum = black_box(decode_all(black_box(&v)));
    let stats = region.change();
    // The same work as the warm-up (what is counted is the allocations).
    assert_eq!(sum, expected);
    assert_eq!(stats.allocations, 0, "decoding allocated: {stats:?}");
    assert_eq!(stats.reallocations, 0, "decoding reallocated: {stats:?}");
    let expected = core_paths(&v);
    let region = Region::new(GLOBAL);
    let sum = black_box(core_paths(black_box(&v)));
    let stats = region.change();
    assert_eq!(sum, expected);
    assert_eq!(stats.allocations, 0, "the core paths allocated: {stats:?}");
    assert_eq!(stats.reallocations, 0, "the core paths reallocated: {stats:?}");
    // The counter works: a Vec allocates.
    let region = Region::new(GLOBAL);
    black_box(vec![0u8; 16]);
    assert!(region.change().allocations >= 1);
}
