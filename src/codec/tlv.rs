//! BER-TLV data objects, ISO/IEC 7816-4 §5.2.2 (definite lengths) as ETSI TS
//! 102 221 §11.1.1.4 uses them for the FCP template.
//!
//! [`TlvIter`] walks a byte slice object by object without copying: each
//! [`Tlv`] borrows its value and knows the offset of its tag in the outermost
//! input, so errors deep inside a template still name the right byte. Tags
//! have one to three bytes; lengths are definite, in the short form or with
//! `81`, `82` or `83` followed by one to three length bytes (the indefinite form
//! `80` and longer forms are errors). `00` and `FF` bytes where a tag would
//! start are padding (ISO/IEC 7816-4 §5.2.2) and skipped. Descending into a value
//! ([`Tlv::children`]) is bounded by [`MAX_DEPTH`]; it works on any object,
//! since TS 102 221's PIN status template C6 nests objects under a tag whose
//! constructed bit is clear.
//!
//! [`TlvWriter`] is the encoder: it writes objects, nested ones included, into
//! the caller's buffer and picks the shortest length form.
//!
//! ```
//! use simcore::codec::{TlvIter, TlvWriter};
//! let mut buf = [0u8; 16];
//! let mut w = TlvWriter::new(&mut buf);
//! w.nested(0x62, |w| w.put(0x83, &[0x3F, 0x00]))?;
//! assert_eq!(w.as_bytes(), &[0x62, 0x04, 0x83, 0x02, 0x3F, 0x00]);
//! let fcp = TlvIter::new(w.as_bytes()).next().unwrap().unwrap();
//! let fid = fcp.children().unwrap().next().unwrap().unwrap();
//! assert_eq!((fid.tag(), fid.value(), fid.offset()), (0x83, &[0x3F, 0x00][..], 2));
//! # Ok::<(), simcore::codec::EncodeError>(())
//! ```

use super::{DecodeError, EncodeError};

/// How many levels [`Tlv::children`] may descend below the outermost objects (ISO/IEC 7816-4 §5.2.2).
pub const MAX_DEPTH: u8 = 8;

/// One BER-TLV data object, borrowing its value (ISO/IEC 7816-4 §5.2.2).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Tlv<'a> {
    tag: u32,
    value: &'a [u8],
    offset: usize,
    header_len: u8,
    depth: u8,
}

/// The tag and the value in hex, with the offset (ISO/IEC 7816-4 §5.2.2).
impl core::fmt::Debug for Tlv<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Tlv")
            .field("tag", &format_args!("{:02X}", self.tag))
            .field("value", &crate::hex::Hex(self.value))
            .field("offset", &self.offset)
            .field("header_len", &self.header_len)
            .field("depth", &self.depth)
            .finish()
    }
}

impl<'a> Tlv<'a> {
    /// The tag, its bytes big-endian (`0x62`, `0xBF3E`; ISO/IEC 7816-4 §5.2.2).
    #[must_use]
    pub const fn tag(&self) -> u32 {
        self.tag
    }

    /// The value field (ISO/IEC 7816-4 §5.2.2).
    #[must_use]
    pub const fn value(&self) -> &'a [u8] {
        self.value
    }

    /// Offset of the first tag byte in the outermost input (ISO/IEC 7816-4
    /// §5.2.2).
    #[must_use]
    pub const fn offset(&self) -> usize {
        self.offset
    }

    /// Offset of the first value byte in the outermost input (ISO/IEC 7816-4
    /// §5.2.2).
    #[must_use]
    pub const fn value_offset(&self) -> usize {
        self.offset + self.header_len as usize
    }

    /// Whether the constructed bit (b6 of the first tag byte) is set
    /// (ISO/IEC 7816-4 §5.2.2).
    #[must_use]
    pub const fn is_constructed(&self) -> bool {
        let first = if self.tag > 0xFFFF {
            self.tag >> 16
        } else if self.tag > 0xFF {
            self.tag >> 8
        } else {
            self.tag
        };
        first & 0x20 != 0
    }

    /// How deep this object sits: 0 for the outermost objects (ISO/IEC 7816-4
    /// §5.2.2).
    #[must_use]
    pub const fn depth(&self) -> u8 {
        self.depth
    }

    /// The objects inside the value (ISO/IEC 7816-4 §5.2.2).
    ///
    /// # Errors
    /// [`DecodeError::TooDeep`] when this object already sits at [`MAX_DEPTH`].
    pub fn children(&self) -> Result<TlvIter<'a>, DecodeError> {
        if self.depth >= MAX_DEPTH {
            return Err(DecodeError::TooDeep { offset: self.value_offset(), limit: MAX_DEPTH });
        }
        Ok(TlvIter { rest: self.value, offset: self.value_offset(), depth: self.depth + 1 })
    }

    /// The value if it is exactly `N` bytes long (ISO/IEC 7816-4 §5.2.2).
    ///
    /// # Errors
    /// [`DecodeError::Invalid`] naming `what` and the length byte.
    pub fn value_array<const N: usize>(&self, what: &'static str) -> Result<[u8; N], DecodeError> {
        <[u8; N]>::try_from(self.value).map_err(|_| self.bad_length(what))
    }

    /// [`DecodeError::Invalid`] for this object's length, naming `what`
    /// (ISO/IEC 7816-4 §5.2.2).
    #[must_use]
    pub fn bad_length(&self, what: &'static str) -> DecodeError {
        DecodeError::Invalid {
            what,
            offset: self.value_offset().saturating_sub(1),
            found: u8::try_from(self.value.len()).unwrap_or(u8::MAX),
        }
    }
}

/// The tag at the start of `input` (not padding) and its length in bytes, 1 to
/// 3 (ISO/IEC 7816-4 §5.2.2.1): b5–b1 = 11111 in the first byte announces more
/// bytes, b8 = 1 in a later one announces another, and b7–b1 of the first
/// later byte are not all 0. Errors count offsets from `start`.
fn read_tag(input: &[u8], start: usize) -> Result<(u32, usize), DecodeError> {
    let Some(&first) = input.first() else {
        return Err(DecodeError::Truncated { what: "TLV tag", offset: start, needed: 1 });
    };
    let mut pos = 1usize;
    let mut tag = u32::from(first);
    if first & 0x1F == 0x1F {
        loop {
            let b = *input.get(pos).ok_or(DecodeError::Truncated {
                what: "TLV tag",
                offset: start + pos,
                needed: 1,
            })?;
            if pos == 3 {
                return Err(DecodeError::Invalid {
                    what: "TLV tag (more than 3 bytes)",
                    offset: start + pos,
                    found: b,
                });
            }
            if pos == 1 && b & 0x7F == 0 {
                return Err(DecodeError::Invalid {
                    what: "TLV tag (first subsequent byte with b7–b1 = 0)",
                    offset: start + pos,
                    found: b,
                });
            }
            tag = (tag << 8) | u32::from(b);
            pos += 1;
            if b & 0x80 == 0 {
                break;
            }
        }
    }
    Ok((tag, pos))
}

/// An iterator over consecutive BER-TLV objects; it stops after the first error (ISO/IEC 7816-4 §5.2.2).
#[derive(Debug, Clone)]
pub struct TlvIter<'a> {
    rest: &'a [u8],
    offset: usize,
    depth: u8,
}

impl<'a> TlvIter<'a> {
    /// The objects of `input`, at depth 0 and offset 0 (ISO/IEC 7816-4 §5.2.2).
    #[must_use]
    pub const fn new(input: &'a [u8]) -> Self {
        TlvIter { rest: input, offset: 0, depth: 0 }
    }

    /// The objects of `input`, which starts at `offset` of an enclosing input
    /// (ISO/IEC 7816-4 §5.2.2).
    #[must_use]
    pub const fn at(input: &'a [u8], offset: usize) -> Self {
        TlvIter { rest: input, offset, depth: 0 }
    }

    /// The first object with `tag`, reading (and checking) the objects before it
    /// (ISO/IEC 7816-4 §5.2.2).
    ///
    /// # Errors
    /// The first malformed object's error.
    pub fn find(self, tag: u32) -> Result<Option<Tlv<'a>>, DecodeError> {
        for tlv in self {
            let tlv = tlv?;
            if tlv.tag == tag {
                return Ok(Some(tlv));
            }
        }
        Ok(None)
    }

    /// Every case but the common one of [`Iterator::next`]: padding, long tags,
    /// long lengths and errors.
    #[cold]
    #[inline(never)]
    fn read(&mut self) -> Result<Option<Tlv<'a>>, DecodeError> {
        // Padding before, between or after objects (ISO/IEC 7816-4 §5.2.2).
        while let [0x00 | 0xFF, tail @ ..] = self.rest {
            self.rest = tail;
            self.offset += 1;
        }
        let input = self.rest;
        let start = self.offset;
        if input.is_empty() {
            return Ok(None);
        }
        let (tag, mut pos) = read_tag(input, start)?;
        let len_at = pos;
        let first_len = *input.get(pos).ok_or(DecodeError::Truncated {
            what: "TLV length",
            offset: start + pos,
            needed: 1,
        })?;
        pos += 1;
        let len = match first_len {
            0x00..=0x7F => usize::from(first_len),
            0x81..=0x83 => {
                let n = usize::from(first_len & 0x0F);
                let bytes = input.get(pos..pos + n).ok_or_else(|| DecodeError::Truncated {
                    what: "TLV length",
                    offset: start + input.len(),
                    needed: (pos + n).saturating_sub(input.len()),
                })?;
                pos += n;
                bytes.iter().fold(0usize, |acc, &b| (acc << 8) | usize::from(b))
            }
            _ => {
                return Err(DecodeError::Invalid {
                    what: "TLV length",
                    offset: start + len_at,
                    found: first_len,
                });
            }
        };
        let value = input.get(pos..).and_then(|v| v.get(..len)).ok_or_else(|| DecodeError::Truncated {
            what: "TLV value",
            offset: start + input.len(),
            needed: (pos + len).saturating_sub(input.len()),
        })?;
        let total = pos + len;
        self.rest = input.get(total..).unwrap_or_default();
        self.offset += total;
        let header_len = u8::try_from(pos).unwrap_or(u8::MAX);
        Ok(Some(Tlv { tag, value, offset: start, header_len, depth: self.depth }))
    }
}

impl<'a> Iterator for TlvIter<'a> {
    type Item = Result<Tlv<'a>, DecodeError>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        // The common case: a one-byte tag (not padding) and a short length.
        if let [tag @ 0x01..=0xFE, len @ 0..=0x7F, tail @ ..] = self.rest
            && tag & 0x1F != 0x1F
            && let Some((value, rest)) = tail.split_at_checked(usize::from(*len))
        {
            let offset = self.offset;
            self.rest = rest;
            self.offset += 2 + value.len();
            return Some(Ok(Tlv { tag: u32::from(*tag), value, offset, header_len: 2, depth: self.depth }));
        }
        match self.read() {
            Ok(tlv) => tlv.map(Ok),
            Err(e) => {
                self.rest = &[];
                Some(Err(e))
            }
        }
    }
}

impl core::iter::FusedIterator for TlvIter<'_> {}

/// Writes BER-TLV objects into a caller's buffer (ISO/IEC 7816-4 §5.2.2).
#[derive(Debug)]
pub struct TlvWriter<'b> {
    buf: &'b mut [u8],
    len: usize,
}

/// The bytes of a tag (1 to 3), checked to read back as the same tag: not
/// padding (`00`, `FF`), and read by the reader's own [`read_tag`] as `tag`
/// in exactly these bytes (ISO/IEC 7816-4 §5.2.2.1).
fn tag_bytes(tag: u32) -> Result<([u8; 3], usize), EncodeError> {
    let [top, a, b, c] = tag.to_be_bytes();
    if top != 0 {
        return Err(EncodeError::InvalidTag { tag });
    }
    let (bytes, n) = if tag > 0xFFFF {
        ([a, b, c], 3)
    } else if tag > 0xFF {
        ([b, c, 0], 2)
    } else {
        ([c, 0, 0], 1)
    };
    let written = bytes.get(..n).unwrap_or_default();
    let padding = matches!(written, [0x00 | 0xFF]);
    if !padding && read_tag(written, 0) == Ok((tag, n)) {
        Ok((bytes, n))
    } else {
        Err(EncodeError::InvalidTag { tag })
    }
}

/// The bytes of a definite length in its shortest form (1 to 4).
fn length_bytes(len: usize) -> Result<([u8; 4], usize), EncodeError> {
    let value = u32::try_from(len).unwrap_or(u32::MAX);
    let [_, a, b, c] = value.to_be_bytes();
    Ok(match len {
        0..=0x7F => ([c, 0, 0, 0], 1),
        0x80..=0xFF => ([0x81, c, 0, 0], 2),
        0x100..=0xFFFF => ([0x82, b, c, 0], 3),
        0x1_0000..=0xFF_FFFF => ([0x83, a, b, c], 4),
        _ => return Err(EncodeError::OutOfRange { what: "TLV length", value, max: 0xFF_FFFF }),
    })
}

impl<'b> TlvWriter<'b> {
    /// A writer filling `buf` from its start (ISO/IEC 7816-4 §5.2.2).
    #[must_use]
    pub const fn new(buf: &'b mut [u8]) -> Self {
        TlvWriter { buf, len: 0 }
    }

    /// Bytes written so far (ISO/IEC 7816-4 §5.2.2).
    #[must_use]
    pub const fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing has been written (ISO/IEC 7816-4 §5.2.2).
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The bytes written so far (ISO/IEC 7816-4 §5.2.2).
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or_default()
    }

    /// The written bytes, consuming the writer (they keep the buffer's lifetime;
    /// ISO/IEC 7816-4 §5.2.2).
    #[must_use]
    pub fn into_bytes(self) -> &'b [u8] {
        let len = self.len;
        let buf: &'b [u8] = self.buf;
        buf.get(..len).unwrap_or_default()
    }

    /// Append raw bytes (an already encoded object, or padding; ISO/IEC 7816-4
    /// §5.2.2).
    ///
    /// # Errors
    /// [`EncodeError::BufferTooSmall`].
    pub fn raw(&mut self, bytes: &[u8]) -> Result<(), EncodeError> {
        let end = self.len + bytes.len();
        let capacity = self.buf.len();
        self.buf.get_mut(self.len..end).ok_or(EncodeError::too_small(end, capacity))?.copy_from_slice(bytes);
        self.len = end;
        Ok(())
    }

    /// Append the object `tag`, `value` (ISO/IEC 7816-4 §5.2.2).
    ///
    /// # Errors
    /// [`EncodeError::BufferTooSmall`], [`EncodeError::OutOfRange`] for a
    /// value longer than 16 MiB, [`EncodeError::InvalidTag`] for a tag that
    /// would not read back.
    pub fn put(&mut self, tag: u32, value: &[u8]) -> Result<(), EncodeError> {
        let (t, tn) = tag_bytes(tag)?;
        let (l, ln) = length_bytes(value.len())?;
        self.raw(t.get(..tn).unwrap_or_default())?;
        self.raw(l.get(..ln).unwrap_or_default())?;
        self.raw(value)
    }

    /// Append a constructed object whose value `content` writes (ISO/IEC 7816-4
    /// §5.2.2).
    ///
    /// # Errors
    /// What `content` returns, [`EncodeError::BufferTooSmall`] (the needed
    /// size is then a lower bound), or [`EncodeError::OutOfRange`].
    pub fn nested<F>(&mut self, tag: u32, content: F) -> Result<(), EncodeError>
    where
        F: FnOnce(&mut TlvWriter<'_>) -> Result<(), EncodeError>,
    {
        let (t, tn) = tag_bytes(tag)?;
        self.raw(t.get(..tn).unwrap_or_default())?;
        let length_at = self.len;
        self.raw(&[0])?;
        let start = self.len;
        let capacity = self.buf.len();
        let inner_len = {
            let tail = self.buf.get_mut(start..).unwrap_or_default();
            let mut inner = TlvWriter::new(tail);
            content(&mut inner).map_err(|e| match e {
                EncodeError::BufferTooSmall { needed, .. } => {
                    EncodeError::too_small(start + needed, capacity)
                }
                other => other,
            })?;
            inner.len
        };
        let (l, ln) = length_bytes(inner_len)?;
        let extra = ln - 1;
        let end = start + inner_len + extra;
        if end > capacity {
            return Err(EncodeError::too_small(end, capacity));
        }
        self.buf.copy_within(start..start + inner_len, start + extra);
        self.buf
            .get_mut(length_at..length_at + ln)
            .unwrap_or_default()
            .copy_from_slice(l.get(..ln).unwrap_or_default());
        self.len = end;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_forms_and_multi_byte_tags() {
        // BF3E 81 80 <128 bytes>: two-byte tag, one extra length byte.
        let mut input = [0u8; 3 + 2 + 128];
        input[..4].copy_from_slice(&[0xBF, 0x3E, 0x81, 0x80]);
        let tlv = TlvIter::new(&input[..4 + 128]).next().unwrap().unwrap();
        assert_eq!((tlv.tag(), tlv.value().len(), tlv.value_offset()), (0xBF3E, 128, 4));
        assert!(tlv.is_constructed());
        let three = [0x5F, 0x81, 0x01, 0x83, 0x00, 0x00, 0x01, 0xAA];
        let tlv = TlvIter::new(&three).next().unwrap().unwrap();
        assert_eq!((tlv.tag(), tlv.value()), (0x5F8101, &[0xAA][..]));
    }

    #[test]
    fn errors_name_the_byte() {
        assert_eq!(
            TlvIter::new(&[0x83, 0x02, 0x3F]).next(),
            Some(Err(DecodeError::Truncated { what: "TLV value", offset: 3, needed: 1 }))
        );
        assert_eq!(
            TlvIter::new(&[0x62, 0x80]).next(),
            Some(Err(DecodeError::Invalid { what: "TLV length", offset: 1, found: 0x80 }))
        );
        assert_eq!(
            TlvIter::new(&[0x62, 0x84, 0, 0, 0, 1, 0]).next(),
            Some(Err(DecodeError::Invalid { what: "TLV length", offset: 1, found: 0x84 }))
        );
        assert_eq!(
            TlvIter::new(&[0x5F, 0x81, 0x81, 0x81, 0x01]).next(),
            Some(Err(DecodeError::Invalid { what: "TLV tag (more than 3 bytes)", offset: 3, found: 0x81 }))
        );
        // The iterator stops after an error.
        let mut it = TlvIter::new(&[0x62, 0x80, 0x83, 0x00]);
        assert!(it.next().unwrap().is_err());
        assert_eq!(it.next(), None);
    }

    #[test]
    fn tags_are_written_only_in_a_form_that_reads_back() {
        // ISO/IEC 7816-4 §5.2.2.1: 00 and FF are padding; b5–b1 = 11111
        // announces more bytes; b8 = 1 in every later byte but the last; b7–b1
        // of the first later byte not all 0.
        for tag in [0x00, 0xFF, 0x1F, 0x9F, 0x0101, 0x1F00, 0x1F80, 0x5F8001, 0x5F0101, 0x9F8181, 0x0100_0080]
        {
            let mut buf = [0u8; 8];
            let mut w = TlvWriter::new(&mut buf);
            assert_eq!(w.put(tag, &[1]), Err(EncodeError::InvalidTag { tag }), "{tag:X}");
            assert_eq!(w.nested(tag, |_| Ok(())), Err(EncodeError::InvalidTag { tag }), "{tag:X}");
            assert!(w.as_bytes().is_empty());
        }
        // Tags of TS 102 221 (62, 82, C6), ISO/IEC 7816-4 (5F2D), SGP.22 (BF2D)
        // and EMV's 9F02 read back as written.
        for tag in [0x62, 0x82, 0xC6, 0x5F2D, 0xBF2D, 0x9F02, 0x5F8101] {
            let mut buf = [0u8; 8];
            let mut w = TlvWriter::new(&mut buf);
            w.put(tag, &[0xAA]).unwrap();
            let tlv = TlvIter::new(w.as_bytes()).next().unwrap().unwrap();
            assert_eq!((tlv.tag(), tlv.value()), (tag, &[0xAA][..]), "{tag:X}");
        }
        // The reader refuses a first later byte with b7–b1 = 0.
        for input in [[0x5F, 0x80, 0x05, 0x01], [0x9F, 0x00, 0x01, 0xAA]] {
            assert_eq!(
                TlvIter::new(&input).next(),
                Some(Err(DecodeError::Invalid {
                    what: "TLV tag (first subsequent byte with b7–b1 = 0)",
                    offset: 1,
                    found: input[1],
                }))
            );
        }
    }

    #[test]
    fn padding_is_skipped() {
        let tags: heapless::Vec<u32, 4> = TlvIter::new(&[0xFF, 0x80, 0x00, 0x00, 0x81, 0x00, 0xFF, 0xFF])
            .map(|t| t.unwrap().tag())
            .collect();
        assert_eq!(tags, [0x80, 0x81]);
    }

    #[test]
    fn nesting_is_bounded() {
        // A0 0A A0 08 A0 06 ... : 12 nested empty-ended objects.
        let mut input = [0u8; 24];
        for i in 0..12 {
            input[2 * i] = 0xA0;
            input[2 * i + 1] = u8::try_from(22 - 2 * i).unwrap();
        }
        let mut tlv = TlvIter::new(&input).next().unwrap().unwrap();
        let mut levels = 0;
        let err = loop {
            match tlv.children() {
                Ok(mut it) => {
                    tlv = it.next().unwrap().unwrap();
                    levels += 1;
                }
                Err(e) => break e,
            }
        };
        assert_eq!(levels, usize::from(MAX_DEPTH));
        assert_eq!(err, DecodeError::TooDeep { offset: 2 * usize::from(MAX_DEPTH) + 2, limit: MAX_DEPTH });
    }

    #[test]
    fn writer_grows_the_length_field_when_needed() {
        let mut buf = [0u8; 300];
        let mut w = TlvWriter::new(&mut buf);
        w.nested(0xA5, |w| w.put(0x80, &[0x55; 200])).unwrap();
        let bytes = w.into_bytes();
        assert_eq!(&bytes[..6], &[0xA5, 0x81, 0xCB, 0x80, 0x81, 0xC8]);
        assert_eq!(bytes.len(), 3 + 3 + 200);
        let outer = TlvIter::new(bytes).next().unwrap().unwrap();
        let inner = outer.children().unwrap().next().unwrap().unwrap();
        assert_eq!(inner.value(), &[0x55; 200]);

        let mut small = [0u8; 5];
        let mut w = TlvWriter::new(&mut small);
        assert_eq!(w.nested(0x62, |w| w.put(0x83, &[0x3F, 0x00])), Err(EncodeError::too_small(6, 5)));
    }
}
