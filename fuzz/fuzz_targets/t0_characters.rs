//! Fuzz the card side of the T=0 character protocol (ISO/IEC 7816-3 §9–§10):
//! any byte stream from a reader, in either convention, never panics the
//! engine, and every answer it sends fits the 258-byte T=0 maximum plus
//! procedure bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use simcore::atr::Convention;
use simcore::virtual_sim::VirtualSim;
use simcore::virtual_sim::t0_serial::{T0Engine, T0Options};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let options = T0Options {
        convention: if mode & 1 == 0 { Convention::Direct } else { Convention::Inverse },
        one_byte_at_a_time: mode & 2 != 0,
        null_bytes: (mode >> 2) & 3,
    };
    let mut sim = VirtualSim::new();
    let mut engine = T0Engine::new(options);
    let mut out = Vec::new();
    engine.reset(&mut sim, &mut out);
    for &b in rest {
        out.clear();
        engine.receive(b, &mut sim, &mut out);
        assert!(out.len() <= 3 + 2 * 256 + 2);
    }
});
