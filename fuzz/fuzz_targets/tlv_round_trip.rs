//! Round trip of BER-TLV (ISO/IEC 7816-4 §5.2.2): objects written with
//! `TlvWriter` (1–3-byte tags, shortest definite length, nesting) read back
//! with `TlvIter` as the same tree of tags and values, at the offsets the
//! writer put them.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use simcore::codec::{EncodeError, TlvIter, TlvWriter};

#[derive(Arbitrary, Debug)]
enum Node {
    Leaf(u16, Vec<u8>),
    Nested(u16, Vec<Node>),
}

/// A valid tag from fuzzer bits: one byte (not padding, not 1F-form), or two
/// or three bytes in the multi-byte form.
fn tag(bits: u16) -> u32 {
    match bits % 3 {
        0 => {
            let t = (bits >> 2) as u8 & 0xFE | 0x01;
            u32::from(if t & 0x1F == 0x1F { t & !0x01 } else { t })
        }
        1 => 0x1F00 | u32::from((bits >> 2) as u8 & 0x7F).max(0x1F),
        _ => 0x1F_8000 | (u32::from((bits >> 2) as u8 & 0x7F).max(1) << 8) | 0x01,
    }
}

fn write(node: &Node, w: &mut TlvWriter<'_>, depth: u8) -> Result<(), EncodeError> {
    match node {
        Node::Leaf(t, value) => w.put(tag(*t), value),
        Node::Nested(t, children) if depth < 6 => {
            w.nested(tag(*t), |w| children.iter().take(8).try_for_each(|c| write(c, w, depth + 1)))
        }
        Node::Nested(t, _) => w.put(tag(*t), &[]),
    }
}

/// Compare what was written with what is read.
fn check(nodes: &[&Node], iter: TlvIter<'_>, depth: u8) {
    let read: Vec<_> = iter.collect::<Result<_, _>>().expect("written objects read back");
    assert_eq!(read.len(), nodes.len());
    for (node, tlv) in nodes.iter().zip(read) {
        match node {
            Node::Leaf(t, value) => {
                assert_eq!(tlv.tag(), tag(*t));
                assert_eq!(tlv.value(), &value[..]);
            }
            Node::Nested(t, children) if depth < 6 => {
                assert_eq!(tlv.tag(), tag(*t));
                let children: Vec<&Node> = children.iter().take(8).collect();
                check(&children, tlv.children().unwrap(), depth + 1);
            }
            Node::Nested(t, _) => {
                assert_eq!(tlv.tag(), tag(*t));
                assert!(tlv.value().is_empty());
            }
        }
    }
}

fuzz_target!(|nodes: Vec<Node>| {
    let nodes: Vec<&Node> = nodes.iter().take(8).collect();
    let mut buf = vec![0u8; 4096];
    let mut w = TlvWriter::new(&mut buf);
    for node in &nodes {
        if write(node, &mut w, 0).is_err() {
            return;
        }
    }
    let bytes = w.into_bytes();
    check(&nodes, TlvIter::new(bytes), 0);
});
