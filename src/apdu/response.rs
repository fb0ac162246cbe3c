//! Response APDUs, ISO/IEC 7816-4 §5.1.3: a data field and the trailer SW1 SW2.

use super::ApduError;
use crate::hex::Hex;
use crate::sw::StatusWord;
use core::fmt;

/// A response APDU viewed over raw bytes: the data and the status word (ISO/IEC 7816-4 §5.1.3).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ResponseView<'a> {
    data: &'a [u8],
    sw: StatusWord,
}

impl<'a> ResponseView<'a> {
    /// Split raw response bytes into data and SW1 SW2 (ISO/IEC 7816-4 §5.1.3).
    ///
    /// # Errors
    /// [`ApduError::ResponseTruncated`] for fewer than two bytes.
    ///
    /// ```
    /// use simcore::{ResponseView, StatusWord};
    /// let r = ResponseView::parse(&[0x01, 0x02, 0x90, 0x00])?;
    /// assert_eq!(r.data(), &[0x01, 0x02]);
    /// assert_eq!(r.sw(), StatusWord::SUCCESS);
    /// # Ok::<(), simcore::apdu::ApduError>(())
    /// ```
    pub fn parse(raw: &'a [u8]) -> Result<Self, ApduError> {
        match raw.split_last_chunk::<2>() {
            Some((data, &[sw1, sw2])) => Ok(ResponseView { data, sw: StatusWord::new(sw1, sw2) }),
            None => Err(ApduError::ResponseTruncated { len: raw.len() }),
        }
    }

    /// The response data field (may be empty; ISO/IEC 7816-4 §5.1.3).
    #[must_use]
    pub const fn data(&self) -> &'a [u8] {
        self.data
    }

    /// The status word SW1 SW2 (ISO/IEC 7816-4 §5.1.3).
    #[must_use]
    pub const fn sw(&self) -> StatusWord {
        self.sw
    }

    /// Whether the command ended normally, as [`StatusWord::is_success`] says
    /// (90 00, and the normal endings that carry a follow-up or information:
    /// 61XX and 9FXX, data to fetch, see [`StatusWord::action`]; 91XX; 92XX but
    /// 92 40), except 9E XX: the command ran, but the data download it carried
    /// failed, and the data to fetch is that error (ISO/IEC 7816-4 §5.1.3
    /// table 5, TS 51.011 §9.4.1). For exactly 90 00, compare the status word
    /// with [`StatusWord::SUCCESS`].
    #[must_use]
    pub fn is_success(&self) -> bool {
        self.sw().is_success() && self.sw().sw1() != 0x9E
    }
}

impl fmt::Debug for ResponseView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseView").field("data", &Hex(self.data)).field("sw", &self.sw).finish()
    }
}

impl<'a> TryFrom<&'a [u8]> for ResponseView<'a> {
    type Error = ApduError;
    fn try_from(raw: &'a [u8]) -> Result<Self, ApduError> {
        ResponseView::parse(raw)
    }
}
