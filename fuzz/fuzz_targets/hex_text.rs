//! Fuzz the hex text reader `hex::decode_into` (the examples' APDU and ATR
//! input): never panic; an error names a character position inside the text
//! (`BufferFull` one past a full buffer's last byte at most); what decodes is
//! exactly the text's hex digit pairs, so printing it with `Hex` (plain and
//! spaced) and reading that back gives the same bytes; and a buffer one byte
//! short of the result is `BufferFull`. A `StatusWord` parses from the text
//! exactly when it holds two bytes, and is those two bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use simcore::StatusWord;
use simcore::hex::{self, Hex, HexError};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = core::str::from_utf8(data) else { return };
    let chars = text.chars().count();
    let status: Result<StatusWord, HexError> = text.parse();
    if let Err(error) = status {
        assert!(error.offset() <= chars, "{error:?} in {chars} characters");
    }
    let mut buf = [0u8; 64];
    let bytes = match hex::decode_into(text, &mut buf) {
        Ok(bytes) => bytes.to_vec(),
        Err(error) => {
            assert!(status.is_err(), "{status:?} from a text that does not decode");
            assert!(error.offset() <= chars, "{error:?} in {chars} characters");
            if let HexError::InvalidChar { found, offset } = error {
                assert_eq!(text.chars().nth(offset), Some(found));
            }
            return;
        }
    };
    match (status, &bytes[..]) {
        (Ok(sw), &[sw1, sw2]) => assert_eq!(sw.to_bytes(), [sw1, sw2]),
        (Err(HexError::TooShort { expected: 2, found, offset }), short) if short.len() < 2 => {
            assert_eq!((found, offset), (short.len(), chars));
        }
        (Err(HexError::BufferFull { capacity: 2, .. }), long) if long.len() > 2 => {}
        (status, bytes) => panic!("{status:?} for {bytes:02X?}"),
    }
    // The digits, without an optional 0x prefix and the separators.
    let body = text.trim_start();
    let body = body.strip_prefix("0x").unwrap_or(body);
    let digits: String = body.chars().filter(char::is_ascii_hexdigit).collect();
    assert_eq!(digits.len(), 2 * bytes.len());
    assert_eq!(digits.to_ascii_uppercase(), Hex(&bytes).to_string());
    for printed in [format!("{}", Hex(&bytes)), format!("{:#}", Hex(&bytes))] {
        let mut again = [0u8; 64];
        assert_eq!(hex::decode_into(&printed, &mut again).unwrap(), &bytes[..]);
    }
    if let Some(short) = bytes.len().checked_sub(1) {
        let mut small = vec![0u8; short];
        assert!(matches!(hex::decode_into(text, &mut small), Err(HexError::BufferFull { .. })));
    }
});
