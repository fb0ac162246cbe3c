//! Fuzz the AT answer reader of the modem transport (3GPP TS 27.007 §8.17,
//! §9.2; ITU-T V.250): bytes fed in two pieces give the same outcome as fed
//! at once, and a response APDU never exceeds 258 bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use simcore::transport::at::{AtAnswer, parse_line};

fuzz_target!(|data: &[u8]| {
    let Some((&split, bytes)) = data.split_first() else { return };
    let mut whole = AtAnswer::new();
    let at_once = whole.feed(bytes);
    let mut pieces = AtAnswer::new();
    let cut = usize::from(split).min(bytes.len());
    let in_pieces = match pieces.feed(&bytes[..cut]) {
        Ok(None) => pieces.feed(&bytes[cut..]),
        other => other,
    };
    assert_eq!(at_once, in_pieces);
    if at_once.is_ok() {
        assert_eq!(whole.response(), pieces.response());
    }
    if let Some(response) = whole.response() {
        assert!(response.len() <= 258);
    }
    for line in bytes.split(|&b| b == b'\r' || b == b'\n') {
        let _ = parse_line(line);
    }
});
