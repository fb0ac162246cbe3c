//! Criterion benches for the APDU and status-word layer (ISO/IEC 7816-4 §5).
//!
//! Targets from issue 2 (median, the CI machine): encode a case-4 short command
//! ≤ 15 ns, parse a command ≤ 15 ns, classify a status word ≤ 2 ns.

use criterion::{Criterion, criterion_group, criterion_main};
use simcore::apdu::{Command, CommandView};
use simcore::{Profile, StatusWord};
use std::hint::black_box;

fn apdu(c: &mut Criterion) {
    let mut group = c.benchmark_group("apdu");
    // SELECT by AID with FCP, case 4 short (vector V86).
    let aid = [0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02];
    group.bench_function("encode_case4_short", |b| {
        let mut buf = [0u8; 32];
        b.iter(|| {
            let cmd =
                Command::new(0x00, 0xA4, 0x04, 0x04).with_data(black_box(&aid)).and_then(|c| c.with_ne(256));
            match cmd {
                Ok(cmd) => cmd.encode_into(&mut buf).map(<[u8]>::len).unwrap_or(0),
                Err(_) => 0,
            }
        });
    });
    let raw = [0x00, 0xA4, 0x04, 0x04, 0x07, 0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02, 0x00];
    group.bench_function("parse_case4_short", |b| {
        b.iter(|| CommandView::parse(black_box(&raw)).map(|v| v.nc()));
    });
    group.finish();

    let mut group = c.benchmark_group("sw");
    let words = [0x9000u16, 0x6A82, 0x612E, 0x9F16, 0x63C2, 0x9804, 0x6C09, 0x9300];
    group.bench_function("classify", |b| {
        b.iter(|| black_box(StatusWord::new(0x61, 0x2E)).class());
    });
    group.bench_function("classify_8_words", |b| {
        b.iter(|| black_box(words).map(|w| StatusWord::from_u16(w).class()));
    });
    group.bench_function("describe_sim", |b| {
        b.iter(|| black_box(StatusWord::new(0x98, 0x04)).meaning(Profile::Sim));
    });
    group.finish();
}

criterion_group!(benches, apdu);
criterion_main!(benches);
