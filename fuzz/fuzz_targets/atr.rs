//! Fuzz the complete-ATR parser (ISO/IEC 7816-3:2006 §8) and everything an
//! `Atr` explains: never panic; the view covers the input exactly (ATR bytes
//! then extra bytes), every warning and every interface byte lies inside the
//! ATR, and the PPS request it calls for (§9.2) parses back to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use simcore::atr::{Atr, MAX_ATR_LEN, Pps, Tck};
use std::fmt::Write;

fuzz_target!(|data: &[u8]| {
    let Ok(atr) = Atr::parse(data) else { return };
    let len = atr.len();
    assert!((2..=MAX_ATR_LEN).contains(&len));
    assert_eq!([atr.as_bytes(), atr.extra_bytes()].concat(), data);
    assert_eq!(atr.ts(), data[0]);
    assert_eq!(atr.t0(), data[1]);
    assert_eq!(atr.k(), usize::from(data[1] & 0x0F));
    assert_eq!(atr.historical_bytes().len(), atr.k());
    // TS T0, interface bytes, historical bytes, TCK: in this order, nothing else.
    let tck = usize::from(atr.tck().is_present());
    assert_eq!(2 + atr.interface_bytes().len() + atr.k() + tck, len);
    if let Tck::Valid(found) | Tck::Invalid { found, .. } = atr.tck() {
        assert_eq!(found, data[len - 1]);
    }
    let mut interface = 0;
    for group in atr.groups() {
        for (offset, _name, value) in group.bytes() {
            assert!((2..len).contains(&offset), "interface byte at {offset} outside the ATR");
            assert_eq!(data[offset], value);
            interface += 1;
        }
    }
    assert_eq!(interface, atr.interface_bytes().len());
    for warning in atr.warnings() {
        assert!(warning.offset() < data.len().max(len), "{warning:?}");
        let _ = warning.to_string();
    }
    let _ = atr.protocols().count();
    let _ = (atr.default_protocol(), atr.indicates_t15(), atr.fi_di(), atr.programming());
    let _ = (atr.extra_guard_time(), atr.specific_mode(), atr.wi(), atr.work_waiting_time_clocks());
    let _ = (atr.t1_parameters(), atr.t15_ta(), atr.clock_stop(), atr.voltage_classes(), atr.spu());
    let _ = atr.is_euicc();
    let t1 = atr.t1_parameters();
    let _ = (t1.cwt_etu(), t1.bwt_clocks(atr.fi_di()));
    let _ = (atr.fi_di().bit_rate(3_571_200), atr.fi_di().etu_ns(3_571_200));
    let historical = atr.historical();
    let _ = historical.check();
    let _ = historical.status_indicator();
    let mut text = String::new();
    write!(text, "{atr} {atr:?}").unwrap();
    if let Ok(Some(pps)) = Pps::for_atr(&atr) {
        assert_eq!(Pps::parse(&pps.to_bytes()), Ok(pps));
        assert!(atr.offers(pps.protocol()));
    }
});
