//! Round trip: build a command from arbitrary fields, encode, parse; the fields
//! come back identical (ISO/IEC 7816-4 §5.1).
#![no_main]

use libfuzzer_sys::fuzz_target;
use simcore::apdu::{Command, CommandView};

fuzz_target!(|input: (u8, u8, u8, u8, Vec<u8>, u32, bool)| {
    let (cla, ins, p1, p2, data, ne, extended) = input;
    let Ok(mut command) = Command::new(cla, ins, p1, p2).with_data(&data) else { return };
    if let Ok(with_ne) = command.with_ne(ne % 65_538) {
        command = with_ne;
    }
    if extended {
        command = command.extended();
    }
    let bytes = command.to_vec();
    let view = CommandView::parse(&bytes).expect("an encoded command parses");
    assert_eq!(view.header(), [cla, ins, p1, p2]);
    assert_eq!(view.data(), &data[..]);
    assert_eq!(view.ne(), command.ne());
    assert_eq!(view.case(), command.case());
});
