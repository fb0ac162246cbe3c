//! Round trip of swapped-nibble BCD (TS 51.011 §10.1.1, §10.5.1): any digits
//! (nibble values 0–14) written with `bcd::encode_into` read back identical,
//! with the count, the nibble order and the `F` filler as specified; a value
//! above 15 or a short buffer is refused without writing past it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use simcore::codec::{EncodeError, bcd};

fuzz_target!(|input: (Vec<u8>, u8)| {
    let (raw, spare) = input;
    let digits: Vec<u8> = raw.iter().map(|d| d % 15).take(64).collect();
    let mut out = vec![0u8; digits.len().div_ceil(2) + usize::from(spare % 4)];
    let used = bcd::encode_into(digits.iter().copied(), &mut out).expect("room for the digits");
    assert_eq!(used, digits.len().div_ceil(2));
    assert_eq!(bcd::digits(&out).collect::<Vec<_>>(), digits);
    assert_eq!(bcd::digit_count(&out), digits.len());
    assert_eq!(bcd::digits(&out).rev().collect::<Vec<_>>(), digits.iter().rev().copied().collect::<Vec<_>>());
    for (i, &d) in digits.iter().enumerate() {
        assert_eq!(bcd::nibble(&out, i), Some(d));
        let byte = out[i / 2];
        assert_eq!(if i % 2 == 0 { byte & 0x0F } else { byte >> 4 }, d, "first digit in the low nibble");
    }
    assert!(bcd::nibbles(&out).skip(digits.len()).all(|n| n == bcd::FILLER));
    for &d in &digits {
        if let Some(c) = bcd::dialling_char(d) {
            assert_eq!(bcd::dialling_nibble(c), Some(d));
        }
        assert_eq!(u8::from_str_radix(&bcd::hex_char(d).to_string(), 16).unwrap(), d);
    }
    // Refusals.
    if !digits.is_empty() {
        let mut short = vec![0u8; used - 1];
        assert!(matches!(
            bcd::encode_into(digits.iter().copied(), &mut short),
            Err(EncodeError::BufferTooSmall { .. })
        ));
    }
    let bad = raw.iter().copied().find(|&d| d > 15);
    if let Some(bad) = bad {
        assert!(
            matches!(
                bcd::encode_into(raw.iter().copied(), &mut out),
                Err(EncodeError::OutOfRange { .. }) | Err(EncodeError::BufferTooSmall { .. })
            ),
            "{bad}"
        );
    }
});
