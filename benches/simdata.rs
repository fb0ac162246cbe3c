//! Criterion benches for the SIM data layer: EF contents (TS 51.011 §10) and
//! SELECT responses (TS 51.011 §9.2.1, TS 102 221 §11.1.1.4).
//!
//! Targets from issue 4 (median, the CI machine): EF_ICCID decode + Luhn
//! ≤ 20 ns; FCP decode of the MF example V97 ≤ 100 ns.

use criterion::{Criterion, criterion_group, criterion_main};
use simcore::ef::{Iccid, Imsi};
use simcore::fcp::FileSummary;
use simcore::fcp::gsm::Response;
use simcore::fcp::uicc::Fcp;
use std::hint::black_box;

/// V20 of vectors.md (20 digits).
const ICCID: [u8; 10] = [0x98, 0x10, 0x14, 0x30, 0x12, 0x11, 0x81, 0x15, 0x70, 0x02];
/// V23 of vectors.md.
const IMSI: [u8; 9] = [0x08, 0x29, 0x26, 0x10, 0x11, 0x60, 0x84, 0x57, 0x40];
/// V97 of vectors.md: the MF FCP of a UICC.
const FCP_MF: [u8; 46] = [
    0x62, 0x2C, 0x82, 0x02, 0x78, 0x21, 0x83, 0x02, 0x3F, 0x00, 0xA5, 0x0C, 0x80, 0x01, 0x71, 0x83, 0x04,
    0x00, 0x03, 0xA7, 0x38, 0x87, 0x01, 0x01, 0x8A, 0x01, 0x05, 0x8B, 0x03, 0x2F, 0x06, 0x01, 0xC6, 0x0C,
    0x90, 0x01, 0x60, 0x83, 0x01, 0x01, 0x83, 0x01, 0x0A, 0x83, 0x01, 0x0B,
];
/// V91 of vectors.md: the MF response of a classic SIM.
const GSM_MF: [u8; 22] = [
    0x00, 0x00, 0x00, 0x00, 0x3F, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0x81, 0x02, 0x0C, 0x04,
    0x00, 0x83, 0x8A, 0x83, 0x8A,
];

fn simdata(c: &mut Criterion) {
    let mut group = c.benchmark_group("ef");
    group.bench_function("iccid_decode_luhn", |b| {
        b.iter(|| Iccid::from_ef(black_box(&ICCID)).map(|i| i.luhn()));
    });
    group.bench_function("imsi_decode", |b| {
        b.iter(|| Imsi::from_ef(black_box(&IMSI)).map(|i| i.mcc()));
    });
    group.finish();

    let mut group = c.benchmark_group("fcp");
    group.bench_function("decode_mf_v97", |b| {
        b.iter(|| Fcp::parse(black_box(&FCP_MF)).map(|f| f.fid));
    });
    group.bench_function("summary_mf_v97", |b| {
        b.iter(|| {
            FileSummary::from_response(black_box(&FCP_MF)).map(|s| s.code(simcore::fcp::SecretCode::Pin(1)))
        });
    });
    group.bench_function("decode_gsm_mf_v91", |b| {
        b.iter(|| Response::parse(black_box(&GSM_MF)));
    });
    group.finish();
}

criterion_group!(benches, simdata);
criterion_main!(benches);
