//! Fuzz the EF_DIR record parser (ETSI TS 102 221 §13.1, ISO/IEC 7816-4
//! §8.2.1.1): any record parses or fails with an error naming a byte inside
//! it, and a parsed record's AID, label and other objects stay inside it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use simcore::ef::DirRecord;

fuzz_target!(|data: &[u8]| {
    match DirRecord::parse(data) {
        Ok(Some(record)) => {
            let aid = record.aid();
            assert!((1..=16).contains(&aid.as_bytes().len()));
            let _ = (aid.rid(), aid.pix(), aid.application(), aid.registrant(), aid.to_string());
            if let Some(label) = record.label() {
                let _ = label.to_string();
            }
            for object in record.other_objects() {
                assert!(object.offset() < data.len());
            }
        }
        Ok(None) => {}
        Err(e) => assert!(e.offset() <= data.len()),
    }
});
