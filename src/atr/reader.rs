//! Reading an ATR byte by byte from a serial line, ISO/IEC 7816-3:2006 §8.1
//! (TS and the conventions) and §8.2 (the length, learnt from T0 and each
//! TDi as they arrive).
//!
//! [`AtrReader`] is fed the bytes a UART receives, one at a time or in
//! slices, and answers how many more it needs at least ([`Progress::NeedMore`],
//! the shape of nom's `Incomplete(Needed)`) until the ATR is complete. It
//! recognises an inverse-convention card from the raw first byte a UART set up
//! for the direct convention receives (03, digest §1.2) and converts every
//! later byte to its logical value. It does no timing: the initial waiting
//! time and the character timeouts belong to the transport.

use super::error::{AtrError, MAX_ATR_LEN};
use super::interface::Convention;
use super::parse::{Atr, announces_tck, presence_count};

/// What the reader needs next (ISO/IEC 7816-3:2006 §8.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Progress {
    /// At least this many more bytes are needed (§8.2; a TDi still to come may
    /// announce more).
    NeedMore(usize),
    /// The ATR is complete, this many bytes long (§8.2).
    Complete(usize),
}

/// An incremental ATR reader for serial readers (ISO/IEC 7816-3:2006 §8).
///
/// ```
/// use simcore::atr::{AtrReader, Convention, Progress};
/// // Vector V08 as an inverse-convention card would send it to a direct UART.
/// let logical = [0x3F, 0x80, 0x80, 0x1F, 0x07, 0x18];
/// let mut reader = AtrReader::new();
/// let mut last = Progress::NeedMore(0);
/// for b in logical {
///     last = reader.push(Convention::Inverse.to_line(b))?;
/// }
/// assert_eq!(last, Progress::Complete(6));
/// assert_eq!(reader.bytes(), logical);
/// assert_eq!(reader.atr()?.convention(), Convention::Inverse);
/// # Ok::<(), simcore::atr::AtrError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct AtrReader {
    buf: [u8; MAX_ATR_LEN],
    len: u8,
    /// Least total length known so far.
    expected: u8,
    /// Offset of the next TDi to read, 0 when no TDi is announced.
    next_td: u8,
    tck: bool,
    convention: Option<Convention>,
    /// TS arrived as 03: convert every later byte.
    convert: bool,
    failed: Option<AtrError>,
}

/// The bytes read so far in hex, and the reader's state (ISO/IEC 7816-3:2006 §8.2).
impl core::fmt::Debug for AtrReader {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let read = self.buf.get(..usize::from(self.len)).unwrap_or_default();
        f.debug_struct("AtrReader")
            .field("read", &crate::hex::Hex(read))
            .field("expected", &self.expected)
            .field("next_td", &self.next_td)
            .field("tck", &self.tck)
            .field("convention", &self.convention)
            .field("convert", &self.convert)
            .field("failed", &self.failed)
            .finish()
    }
}

impl Default for AtrReader {
    fn default() -> Self {
        Self::new()
    }
}

impl AtrReader {
    /// A reader waiting for TS (ISO/IEC 7816-3:2006 §8.1).
    #[must_use]
    pub const fn new() -> Self {
        Self {
            buf: [0; MAX_ATR_LEN],
            len: 0,
            expected: 2,
            next_td: 0,
            tck: false,
            convention: None,
            convert: false,
            failed: None,
        }
    }

    /// Forgets everything, for the next reset and its ATR (ISO/IEC 7816-3:2006
    /// §8).
    pub fn reset(&mut self) {
        *self = Self::new();
    }

    /// Takes one byte as the UART received it (ISO/IEC 7816-3:2006 §8.1, §8.2).
    ///
    /// The first byte is TS: 3B (direct), 03 (an inverse-convention card seen
    /// by a direct-convention UART: this and every later byte is converted
    /// with [`Convention::from_line`]) or 3F (inverse, already converted by
    /// the UART or the reader).
    ///
    /// # Errors
    /// [`AtrError::InvalidTs`] (with the raw byte) for any other first byte;
    /// [`AtrError::TooLong`] when T0 or a TDi announces more than 33 bytes;
    /// [`AtrError::AfterEnd`] for a byte after the ATR is complete. After an
    /// error the reader keeps answering that error until [`AtrReader::reset`].
    pub fn push(&mut self, raw: u8) -> Result<Progress, AtrError> {
        if let Some(error) = self.failed {
            return Err(error);
        }
        let offset = self.len;
        if offset >= self.expected {
            return Err(AtrError::AfterEnd { offset: usize::from(offset) });
        }
        let result = self.accept(offset, raw);
        if let Err(error) = result {
            self.failed = Some(error);
        }
        result
    }

    fn accept(&mut self, offset: u8, raw: u8) -> Result<Progress, AtrError> {
        let byte = if offset == 0 {
            let (convention, convert) = match raw {
                0x3B => (Convention::Direct, false),
                0x03 => (Convention::Inverse, true),
                0x3F => (Convention::Inverse, false),
                found => return Err(AtrError::InvalidTs { found }),
            };
            self.convention = Some(convention);
            self.convert = convert;
            convention.ts()
        } else if self.convert {
            Convention::Inverse.from_line(raw)
        } else {
            raw
        };
        // `expected` never exceeds 33, so `offset` is in bounds.
        if let Some(slot) = self.buf.get_mut(usize::from(offset)) {
            *slot = byte;
        }
        let mut expected = usize::from(self.expected);
        if offset == 1 {
            let y = byte >> 4;
            expected = 2 + usize::from(presence_count(y)) + usize::from(byte & 0x0F);
            self.next_td = if y & 0x8 != 0 { 1 + presence_count(y) } else { 0 };
        } else if offset > 1 && offset == self.next_td {
            let y = byte >> 4;
            if announces_tck(byte) && !self.tck {
                self.tck = true;
                expected += 1;
            }
            expected += usize::from(presence_count(y));
            self.next_td = if y & 0x8 != 0 { offset + presence_count(y) } else { 0 };
        }
        if expected > MAX_ATR_LEN {
            return Err(AtrError::TooLong { offset: usize::from(offset), length: expected });
        }
        // At most 33 after the check above.
        self.expected = u8::try_from(expected).unwrap_or(u8::MAX);
        self.len = offset + 1;
        Ok(self.progress())
    }

    /// Takes bytes as the UART received them, stopping at the end of the ATR
    /// (ISO/IEC 7816-3:2006 §8.2). Returns the progress and how many bytes of
    /// `raw` were used; bytes after the ATR are left to the caller.
    ///
    /// # Errors
    /// As [`AtrReader::push`].
    pub fn feed(&mut self, raw: &[u8]) -> Result<(Progress, usize), AtrError> {
        if let Some(error) = self.failed {
            return Err(error);
        }
        let mut progress = self.progress();
        for (used, &b) in raw.iter().enumerate() {
            if let Progress::Complete(_) = progress {
                return Ok((progress, used));
            }
            progress = self.push(b)?;
        }
        Ok((progress, raw.len()))
    }

    /// Where the reader stands (ISO/IEC 7816-3:2006 §8.2).
    #[must_use]
    pub const fn progress(&self) -> Progress {
        if self.len == self.expected {
            Progress::Complete(self.len as usize)
        } else {
            Progress::NeedMore((self.expected - self.len) as usize)
        }
    }

    /// Whether the ATR is complete (ISO/IEC 7816-3:2006 §8.2).
    #[must_use]
    pub const fn is_complete(&self) -> bool {
        self.len == self.expected
    }

    /// The logical bytes received so far (TS as 3B or 3F, converted bytes after
    /// an 03; ISO/IEC 7816-3:2006 §8.1).
    #[must_use]
    pub fn bytes(&self) -> &[u8] {
        self.buf.get(..usize::from(self.len)).unwrap_or_default()
    }

    /// The convention, once TS has arrived (ISO/IEC 7816-3:2006 §8.1).
    #[must_use]
    pub const fn convention(&self) -> Option<Convention> {
        self.convention
    }

    /// Whether the UART is in the direct convention while the card uses the
    /// inverse one (TS arrived as 03, ISO/IEC 7816-3:2006 §8.1): every later
    /// byte, in both directions, goes through [`Convention::from_line`] /
    /// [`Convention::to_line`].
    #[must_use]
    pub const fn converts_bytes(&self) -> bool {
        self.convert
    }

    /// The ATR, parsed (ISO/IEC 7816-3:2006 §8.2).
    ///
    /// # Errors
    /// [`AtrError::Truncated`] before the ATR is complete; the reader's error
    /// after a failure.
    pub fn atr(&self) -> Result<Atr<'_>, AtrError> {
        if let Some(error) = self.failed {
            return Err(error);
        }
        Atr::parse(self.bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_the_length_from_t0_and_td() {
        // Vector V06: T0 F8 (TA1 TB1 TC1 TD1, K 8), TD1 81 (TD2, T=1: TCK),
        // TD2 31 (TA3 TB3), 18 bytes in all.
        let atr = [
            0x3B, 0xF8, 0x13, 0x00, 0x00, 0x81, 0x31, 0xFE, 0x45, 0x4A, 0x43, 0x4F, 0x50, 0x76, 0x32, 0x34,
            0x31, 0xB7,
        ];
        let mut r = AtrReader::new();
        assert_eq!(r.progress(), Progress::NeedMore(2));
        assert_eq!(r.push(0x3B), Ok(Progress::NeedMore(1)));
        // After T0: 4 interface bytes and 8 historical bytes.
        assert_eq!(r.push(0xF8), Ok(Progress::NeedMore(12)));
        let (p, used) = r.feed(&atr[2..6]).unwrap();
        // TD1 81 announces TD2 and T=1: one more byte and TCK.
        assert_eq!((p, used), (Progress::NeedMore(10), 4));
        // TD2 31 announces TA3 and TB3.
        assert_eq!(r.push(0x31), Ok(Progress::NeedMore(11)));
        let mut tail = atr[7..].to_vec();
        tail.push(0x99);
        let (p, used) = r.feed(&tail).unwrap();
        assert_eq!((p, used), (Progress::Complete(18), 11));
        assert_eq!(r.bytes(), atr);
        assert_eq!(r.push(0x99), Err(AtrError::AfterEnd { offset: 18 }));
    }

    #[test]
    fn errors_stick() {
        let mut r = AtrReader::new();
        assert_eq!(r.push(0x3C), Err(AtrError::InvalidTs { found: 0x3C }));
        assert_eq!(r.push(0x3B), Err(AtrError::InvalidTs { found: 0x3C }));
        r.reset();
        assert_eq!(r.push(0x3B), Ok(Progress::NeedMore(1)));
        // T0 FF: four interface bytes and 15 historical, then TD1 FF again …
        assert_eq!(r.push(0xFF), Ok(Progress::NeedMore(19)));
        for _ in 0..3 {
            r.push(0x00).unwrap();
        }
        // TD1 FF: 4 more interface bytes and TCK: 2 + 4 + 4 + 15 + 1 = 26.
        assert_eq!(r.push(0xFF), Ok(Progress::NeedMore(20)));
        for _ in 0..3 {
            r.push(0x00).unwrap();
        }
        // TD2 FF: 30, TD3 FF would make 34.
        assert_eq!(r.push(0xFF), Ok(Progress::NeedMore(20)));
        for _ in 0..3 {
            r.push(0x00).unwrap();
        }
        assert_eq!(r.push(0xFF), Err(AtrError::TooLong { offset: 13, length: 34 }));
    }
}
