//! Fuzz the BER-TLV reader (ISO/IEC 7816-4 §5.2.2): never panic; every object
//! it yields, at every depth, is exactly where it says in the input (header,
//! then value); depth stays within `MAX_DEPTH`; an error names a byte inside
//! (or just past) the input; and writing the objects back with `TlvWriter`
//! gives objects that read back identical.
#![no_main]

use libfuzzer_sys::fuzz_target;
use simcore::codec::tlv::MAX_DEPTH;
use simcore::codec::{Tlv, TlvIter, TlvWriter};

/// Check every object of `iter` inside `input`, recursively; the objects at this level.
fn walk<'a>(input: &'a [u8], iter: TlvIter<'a>, level: u8) -> Vec<Tlv<'a>> {
    let mut objects = Vec::new();
    let mut last_end = 0;
    for item in iter {
        let tlv = match item {
            Ok(tlv) => tlv,
            Err(error) => {
                assert!(error.offset() <= input.len(), "{error:?} past {}", input.len());
                break;
            }
        };
        assert_eq!(tlv.depth(), level);
        assert!(tlv.depth() <= MAX_DEPTH);
        assert!(tlv.offset() >= last_end, "objects overlap");
        assert!(tlv.value_offset() > tlv.offset());
        assert!(tlv.value_offset() - tlv.offset() <= 3 + 4, "header longer than 3 tag + 4 length bytes");
        let end = tlv.value_offset() + tlv.value().len();
        assert_eq!(&input[tlv.value_offset()..end], tlv.value());
        assert_eq!(input[tlv.offset()], (tlv.tag() >> (8 * tag_bytes(tlv.tag()).saturating_sub(1))) as u8);
        last_end = end;
        match tlv.children() {
            Ok(children) => {
                walk(input, children, level + 1);
            }
            Err(error) => {
                assert_eq!(tlv.depth(), MAX_DEPTH);
                assert_eq!(error.offset(), tlv.value_offset());
            }
        }
        objects.push(tlv);
    }
    objects
}

fn tag_bytes(tag: u32) -> usize {
    match tag {
        0..=0xFF => 1,
        0x100..=0xFFFF => 2,
        _ => 3,
    }
}

fuzz_target!(|data: &[u8]| {
    let top = walk(data, TlvIter::new(data), 0);
    // find agrees with the walk.
    if let Some(first) = top.first() {
        let found = TlvIter::new(data).find(first.tag()).ok().flatten();
        assert_eq!(found, Some(*first));
    }
    // Written back (shortest length form), the objects read back identical.
    let mut buf = vec![0u8; data.len() + 8 * top.len()];
    let mut writer = TlvWriter::new(&mut buf);
    for tlv in &top {
        writer.put(tlv.tag(), tlv.value()).expect("room for every object");
    }
    let written = writer.into_bytes();
    let again: Vec<(u32, &[u8])> = TlvIter::new(written)
        .map(|t| t.map(|t| (t.tag(), t.value())))
        .collect::<Result<_, _>>()
        .expect("written objects read back");
    let expected: Vec<(u32, &[u8])> = top.iter().map(|t| (t.tag(), t.value())).collect();
    assert_eq!(again, expected);
});
