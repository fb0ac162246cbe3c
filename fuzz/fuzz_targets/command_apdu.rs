//! Fuzz the command APDU parser (ISO/IEC 7816-4 §5.1): never panic, and whatever
//! parses re-encodes to the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use simcore::apdu::CommandView;

fuzz_target!(|data: &[u8]| {
    if let Ok(view) = CommandView::parse(data) {
        let command = view.to_command();
        assert_eq!(command.to_vec(), data, "re-encoding differs");
        let _ = command.to_t0();
    }
});
