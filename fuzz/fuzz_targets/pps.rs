//! Fuzz the PPS message parser and the check of a card's PPS answer (ISO/IEC
//! 7816-3:2006 §9.2–§9.3): never panic; a message that parses re-encodes to
//! the same bytes; an accepted answer agrees with the request (same protocol,
//! each parameter echoed or dropped) and its Fi/Di is PPS1 or Fd/Dd.
//!
//! Input: a request (PPS0's protocol and which parameters, then PPS1–PPS3),
//! then the card's answer.
#![no_main]

use libfuzzer_sys::fuzz_target;
use simcore::atr::{FiDi, Pps};

fuzz_target!(|data: &[u8]| {
    if let Ok(pps) = Pps::parse(data) {
        assert_eq!(&pps.to_bytes()[..], data);
        assert_eq!(pps.encoded_len(), data.len());
        let mut buf = [0u8; 6];
        assert_eq!(pps.encode_into(&mut buf).unwrap(), data);
        let _ = pps.to_string();
    } else if let Err(error) = Pps::parse(data) {
        if let Some(offset) = error.offset() {
            assert!(offset <= data.len(), "{error:?}");
        }
        let _ = error.to_string();
    }
    let Some((&[select, pps1, pps2, pps3], answer)) = data.split_first_chunk::<4>() else { return };
    let mut request = Pps::new(select);
    if select & 0x10 != 0 {
        request = request.with_fi_di(FiDi::from_byte(pps1));
    }
    if select & 0x20 != 0 {
        request = request.with_pps2(pps2);
    }
    if select & 0x40 != 0 {
        request = request.with_pps3(pps3);
    }
    assert_eq!(Pps::parse(&request.to_bytes()), Ok(request));
    if let Ok(agreed) = request.check_response(answer) {
        assert_eq!(agreed.protocol(), request.protocol());
        for (answered, requested) in [
            (agreed.pps1().map(FiDi::byte), request.pps1().map(FiDi::byte)),
            (agreed.pps2(), request.pps2()),
            (agreed.pps3(), request.pps3()),
        ] {
            assert!(answered.is_none() || answered == requested);
        }
        assert_eq!(agreed.fi_di(), agreed.pps1().unwrap_or(FiDi::DEFAULT));
    }
});
