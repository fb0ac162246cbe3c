//! Criterion benches for the USIM files, the eUICC and the modem's AT
//! answers (TS 102 221 §13.1, TS 31.102 §4.2.8, GSMA SGP.22 §5.7.20, SGP.29,
//! TS 27.007 §8.17), and the two card flows against the in-process virtual
//! card, counted in APDUs:
//!
//! - `modern/ef_dir_parse`: pySim's USIM record of EF_DIR, AID classified;
//! - `modern/ust_services`: pySim's 20-byte EF_UST, every available service listed;
//! - `modern/eid_parse_check`: 32 printed digits to an `Eid`, check digits verified;
//! - `modern/get_euicc_data_parse`: vector V101's `BF3E {5A}` to an `Eid`;
//! - `modern/at_answer`: a `+CSIM` answer with an unsolicited result code, in two pieces;
//! - `modern/eid_flow_t0`: the EID read from the virtual eUICC (5 APDUs);
//! - `modern/usim_summary_t0`: `Sim::usim` on the virtual UICC, PIN1 off (12
//!   APDUs per round once ADF.USIM is selected).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use simcore::card::Sim;
use simcore::ef::{DirRecord, ServiceTable};
use simcore::euicc::{self, Eid, EidOptions};
use simcore::transport::Link;
use simcore::transport::at::AtAnswer;
use simcore::virtual_sim::{CardProfile, VirtualSim};
use std::hint::black_box;

/// pySim's EF_DIR vector (pySim/ts_102_221.py).
const DIR: &str = "61294f10a0000000871002ffffffff890709000050055553696d31730ea00c80011781025f608203454150";
/// pySim's EF_UST (tests/pySim-shell_test/file_specific/test_ef_ust.script).
const UST: &str = "beff9f9de73e04080000ff730000000600000000";
/// Vector V101.
const GET_EID: &str = "BF3E125A1089882119900000000000000000000005";

fn modern(c: &mut Criterion) {
    let dir = simcore::hex::decode(DIR).unwrap_or_default();
    let ust = simcore::hex::decode(UST).unwrap_or_default();
    let get_eid = simcore::hex::decode(GET_EID).unwrap_or_default();
    let mut group = c.benchmark_group("modern");
    group.bench_function("ef_dir_parse", |b| {
        b.iter(|| DirRecord::parse(black_box(&dir)).map(|r| r.map(|r| r.application())));
    });
    group.bench_function("ust_services", |b| {
        b.iter(|| ServiceTable::from_ef(black_box(&ust)).map(|t| t.services().count()));
    });
    group.bench_function("eid_parse_check", |b| {
        b.iter(|| Eid::parse(black_box("89049044900000000000000000102355")).map(|e| e.check_digits_valid()));
    });
    group.bench_function("get_euicc_data_parse", |b| {
        b.iter(|| euicc::es10::parse_get_euicc_data(black_box(&get_eid)).map(|e| e.check_digits_valid()));
    });
    let answer: &[u8] =
        b"\r\n+CSIM: 46,\"BF3E125A10898821199000000000000000000000059000\"\r\n\r\n+CREG: 1\r\n\r\nOK\r\n";
    group.bench_function("at_answer", |b| {
        b.iter(|| {
            let mut at = AtAnswer::new();
            let (first, second) = black_box(answer).split_at(20);
            let _ = at.feed(first);
            at.feed(second).map(|done| (done, at.response().map(<[u8]>::len)))
        });
    });

    if let Ok(card) = VirtualSim::from_profile(&CardProfile::euicc()) {
        let mut link = Link::new(card);
        group.throughput(Throughput::Elements(5));
        group.bench_function("eid_flow_t0", |b| {
            b.iter(|| euicc::read_eid(&mut link, black_box(&EidOptions::DEFAULT)).map(|r| r.eid));
        });
    }
    let open = "[codes]\npin1 = { value = \"1234\", enabled = false }\n";
    if let Ok(card) = VirtualSim::from_toml(open)
        && let Ok(mut sim) = Sim::open(card)
    {
        let _ = sim.usim();
        let before = sim.apdu_count();
        let _ = sim.usim();
        group.throughput(Throughput::Elements(sim.apdu_count() - before));
        eprintln!("APDUs per Sim::usim round: {}", sim.apdu_count() - before);
        group.bench_function("usim_summary_t0", |b| {
            b.iter(|| sim.usim().map(|u| u.map(|u| u.imsi.is_ok())));
        });
    }
    group.finish();
}

criterion_group!(benches, modern);
criterion_main!(benches);
