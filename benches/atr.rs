//! Criterion benches for the ATR layer (ISO/IEC 7816-3:2006 §8, §9).
//!
//! Targets from issue 3 (median, the CI machine): parse the 22-byte SIM ATR of
//! vector V01 in ≤ 50 ns; parse the whole pcsc-tools corpus (3803 concrete
//! ATRs from smartcard_list.txt, benches/data/atr_corpus.txt) at least 50 times
//! faster than pyscard's `smartcard.ATR.ATR` on the same corpus
//! (benches/pyscard_atr.py measures that).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use simcore::atr::{Atr, AtrReader, Pps};
use std::hint::black_box;

/// Vector V01 (sysmoISIM-SJA2, pySim cardinfo): 22 bytes, T=0 and T=15.
const SIM_ATR: [u8; 22] = [
    0x3B, 0x9F, 0x96, 0x80, 0x1F, 0x87, 0x80, 0x31, 0xE0, 0x73, 0xFE, 0x21, 0x1B, 0x67, 0x4A, 0x4C, 0x75,
    0x30, 0x34, 0x05, 0x4B, 0xA9,
];

/// The corpus file, read at run time: it stays in the repository, out of the
/// published package (it derives from pcsc-tools' GPL-2.0-or-later list).
const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/data/atr_corpus.txt");

fn corpus() -> Option<Vec<Vec<u8>>> {
    let text = match std::fs::read_to_string(CORPUS) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("atr/parse_corpus skipped: {CORPUS}: {e} (the corpus is in the repository only)");
            return None;
        }
    };
    Some(
        text.lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| simcore::hex::decode(l).ok())
            .collect(),
    )
}

fn atr(c: &mut Criterion) {
    let mut group = c.benchmark_group("atr");
    group.bench_function("parse_sim_22", |b| {
        b.iter(|| Atr::parse(black_box(&SIM_ATR)).map(|a| a.fi_di()));
    });
    group.bench_function("parse_sim_22_full", |b| {
        // Parse and ask everything decode_atr prints in its summary.
        b.iter(|| {
            Atr::parse(black_box(&SIM_ATR)).map(|a| {
                (
                    a.fi_di(),
                    a.protocols().count(),
                    a.t1_parameters(),
                    a.voltage_classes(),
                    a.warnings().count(),
                )
            })
        });
    });
    group.bench_function("reader_sim_22", |b| {
        b.iter(|| {
            let mut reader = AtrReader::new();
            reader.feed(black_box(&SIM_ATR)).map(|(p, _)| p)
        });
    });
    group.bench_function("historical_sim_22", |b| {
        let atr = Atr::parse(&SIM_ATR).ok();
        b.iter(|| black_box(atr).map(|a| a.historical().check()));
    });
    group.bench_function("pps_for_atr", |b| {
        let atr = Atr::parse(&SIM_ATR).ok();
        b.iter(|| black_box(atr).and_then(|a| Pps::for_atr(&a).ok().flatten()).map(|p| p.to_bytes()));
    });
    if let Some(corpus) = corpus() {
        group.throughput(Throughput::Elements(corpus.len() as u64));
        group.bench_function("parse_corpus", |b| {
            b.iter(|| {
                let mut ok = 0usize;
                for atr in &corpus {
                    ok += usize::from(Atr::parse(black_box(atr)).is_ok());
                }
                ok
            });
        });
    }
    group.finish();
}

criterion_group!(benches, atr);
criterion_main!(benches);
