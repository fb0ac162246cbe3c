//! Criterion benches for the byte codecs of SIM files (`simcore::codec`):
//! swapped-nibble BCD (TS 51.011 §10.1.1), BER-TLV (ISO/IEC 7816-4 §5.2.2) and
//! the alpha identifier forms (TS 102 221 annex A, TS 23.038 §6.2.1).

use criterion::{Criterion, criterion_group, criterion_main};
use simcore::codec::{Alpha, TlvIter, TlvWriter, alpha, bcd};
use std::hint::black_box;

/// V20 of vectors.md: EF_ICCID, 20 digits.
const ICCID: [u8; 10] = [0x98, 0x10, 0x14, 0x30, 0x12, 0x11, 0x81, 0x15, 0x70, 0x02];
/// V97 of vectors.md: the MF FCP of a UICC.
const FCP_MF: [u8; 46] = [
    0x62, 0x2C, 0x82, 0x02, 0x78, 0x21, 0x83, 0x02, 0x3F, 0x00, 0xA5, 0x0C, 0x80, 0x01, 0x71, 0x83, 0x04,
    0x00, 0x03, 0xA7, 0x38, 0x87, 0x01, 0x01, 0x8A, 0x01, 0x05, 0x8B, 0x03, 0x2F, 0x06, 0x01, 0xC6, 0x0C,
    0x90, 0x01, 0x60, 0x83, 0x01, 0x01, 0x83, 0x01, 0x0A, 0x83, 0x01, 0x0B,
];
/// V28 of vectors.md: the name field of EF_SPN, "GSM-R CH" in the GSM alphabet.
const SPN_NAME: [u8; 16] =
    [0x47, 0x53, 0x4D, 0x2D, 0x52, 0x20, 0x43, 0x48, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];
/// V37 of vectors.md: UCS2 "Па".
const UCS2: [u8; 7] = [0x80, 0x04, 0x1F, 0x04, 0x30, 0xFF, 0xFF];

/// Every object of `iter`, descending into every value.
fn walk(iter: TlvIter<'_>) -> usize {
    iter.map_while(Result::ok).map(|t| 1 + t.children().map_or(0, walk)).sum()
}

fn codec(c: &mut Criterion) {
    let mut group = c.benchmark_group("codec");
    group.bench_function("bcd_digits_iccid", |b| {
        b.iter(|| bcd::digits(black_box(&ICCID)).fold(0u32, |acc, d| acc * 3 + u32::from(d)));
    });
    group.bench_function("bcd_encode_iccid", |b| {
        let mut out = [0u8; 10];
        b.iter(|| {
            bcd::encode_into(bcd::digits(black_box(&ICCID)), &mut out).map(|n| n + usize::from(out[9]))
        });
    });
    group.bench_function("tlv_walk_v97", |b| b.iter(|| walk(TlvIter::new(black_box(&FCP_MF)))));
    group.bench_function("tlv_write_fcp", |b| {
        let mut out = [0u8; 32];
        b.iter(|| {
            let mut w = TlvWriter::new(&mut out);
            let written = w.nested(0x62, |w| {
                w.put(0x82, black_box(&[0x41, 0x21]))?;
                w.put(0x83, &[0x6F, 0x07])?;
                w.put(0x80, &[0x00, 0x09])
            });
            written.map(|()| w.len())
        });
    });
    group.bench_function("alpha_gsm_v28", |b| {
        b.iter(|| {
            Alpha::parse(black_box(&SPN_NAME)).ok().and_then(|a| a.to_heapless::<16>().ok()).map(|s| s.len())
        });
    });
    group.bench_function("alpha_ucs2_v37", |b| {
        b.iter(|| {
            Alpha::parse(black_box(&UCS2)).ok().and_then(|a| a.to_heapless::<16>().ok()).map(|s| s.len())
        });
    });
    group.bench_function("alpha_encode_gsm", |b| {
        let mut out = [0u8; 16];
        b.iter(|| alpha::encode(black_box("GSM-R CH"), &mut out));
    });
    group.finish();
}

criterion_group!(benches, codec);
criterion_main!(benches);
