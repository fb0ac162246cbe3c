//! Fuzz the incremental ATR reader (ISO/IEC 7816-3:2006 §8.1–§8.2) fed the
//! input in random splits, against the complete parser: the chunking never
//! changes the outcome, a complete ATR is the one `Atr::parse` finds at the
//! front of the same (logical) bytes, and `NeedMore(n)` agrees with the
//! parser's `Truncated { needed }`.
//!
//! Input: one byte of split seed, then the bytes as a UART receives them.
#![no_main]

use libfuzzer_sys::fuzz_target;
use simcore::atr::{Atr, AtrError, AtrReader, Convention, Progress};

/// Feed `bytes` in chunks whose sizes come from `seed`; the progress and how
/// many bytes the reader took.
fn feed_split(bytes: &[u8], mut seed: u32) -> (AtrReader, Result<Progress, AtrError>, usize) {
    let mut reader = AtrReader::new();
    let mut at = 0;
    let mut last = Ok(reader.progress());
    while at < bytes.len() {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let size = 1 + (seed >> 16) as usize % 5;
        let chunk = &bytes[at..bytes.len().min(at + size)];
        match reader.feed(chunk) {
            Ok((progress, used)) => {
                at += used;
                last = Ok(progress);
                if used < chunk.len() {
                    break;
                }
            }
            Err(error) => {
                last = Err(error);
                break;
            }
        }
    }
    (reader, last, at)
}

fuzz_target!(|data: &[u8]| {
    let Some((&seed, line)) = data.split_first() else { return };
    // Byte by byte, with push.
    let mut one = AtrReader::new();
    let mut pushed = Ok(one.progress());
    let mut taken = 0;
    for &b in line {
        if one.is_complete() {
            assert!(matches!(one.push(b), Err(AtrError::AfterEnd { .. })));
            break;
        }
        pushed = one.push(b);
        if pushed.is_err() {
            break;
        }
        taken += 1;
    }
    // In random chunks, with feed: the same outcome.
    let (split, fed, used) = feed_split(line, u32::from(seed));
    assert_eq!(fed, pushed);
    assert_eq!(split.bytes(), one.bytes());
    assert_eq!(split.convention(), one.convention());
    if fed.is_ok() {
        assert_eq!(used, taken);
    }
    // Against the complete parser, on the logical bytes.
    let logical: Vec<u8> = match line.first() {
        Some(0x03) => {
            std::iter::once(0x3F).chain(line[1..].iter().map(|&b| Convention::Inverse.from_line(b))).collect()
        }
        _ => line.to_vec(),
    };
    assert_eq!(one.bytes(), &logical[..one.bytes().len()]);
    let parsed = Atr::parse(&logical);
    match pushed {
        Ok(Progress::Complete(n)) => {
            let atr = parsed.expect("the parser accepts what the reader completed");
            assert_eq!(atr.len(), n);
            assert_eq!(atr.as_bytes(), one.bytes());
            assert_eq!(one.atr().map(|a| a.len()), Ok(n));
        }
        Ok(Progress::NeedMore(needed)) => {
            assert!(needed >= 1);
            assert_eq!(taken, line.len());
            match parsed {
                Err(AtrError::Truncated { offset, needed: parser_needs }) => {
                    assert_eq!(offset, line.len());
                    assert_eq!(parser_needs, needed, "reader and parser disagree on what is missing");
                }
                other => panic!("reader needs {needed} more, parser says {other:?}"),
            }
        }
        Err(AtrError::InvalidTs { found }) => {
            assert_eq!(found, line[0]);
            assert!(parsed.is_err());
        }
        Err(AtrError::TooLong { offset, length }) => {
            assert_eq!(parsed, Err(AtrError::TooLong { offset, length }));
        }
        Err(other) => panic!("unexpected reader error {other:?}"),
    }
});
