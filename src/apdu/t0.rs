//! Mapping a command APDU onto a T=0 TPDU, ISO/IEC 7816-3 §12.2.
//!
//! T=0 carries exactly one length byte, P3. Case 1 sends P3 = 00; case 2 sends
//! P3 = Le (256 → 00; an extended Ne above 256 is asked for with P3 = 00 and
//! fetched through 61XX); cases 3 and 4 send P3 = Lc and the data, and case 4
//! drops Le: the response data then comes through GET RESPONSE (61XX on a UICC,
//! 9FXX on a classic SIM), which the completion layer above the transport
//! performs. Commands with more than 255 data bytes would need ENVELOPE
//! chaining and are refused here.

use super::{ApduError, Command};
use crate::hex::Hex;
use core::fmt;

/// A T=0 TPDU: the five header bytes CLA INS P1 P2 P3 and the data that follows
/// the procedure byte (ISO/IEC 7816-3 §10.3.2 and §12.2).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct T0Tpdu<'a> {
    header: [u8; 5],
    data: &'a [u8],
    ne: Option<u32>,
}

impl<'a> T0Tpdu<'a> {
    /// Map `command` to its TPDU (ISO/IEC 7816-3 §12.2).
    ///
    /// # Errors
    /// [`ApduError::TooLongForT0`] when the command has more than 255 data bytes.
    pub fn from_command(command: &Command<'a>) -> Result<Self, ApduError> {
        let data = command.data();
        let p3 = if data.is_empty() {
            // Case 1: 00. Case 2: Le, with 256 (and anything larger) as 00.
            match command.ne() {
                Some(ne) if ne < 256 => u8::try_from(ne).unwrap_or(0),
                _ => 0,
            }
        } else {
            u8::try_from(data.len()).map_err(|_| ApduError::TooLongForT0 { nc: data.len() })?
        };
        Ok(T0Tpdu {
            header: [command.cla(), command.ins(), command.p1(), command.p2(), p3],
            data,
            ne: command.ne(),
        })
    }

    /// The five header bytes CLA INS P1 P2 P3 (ISO/IEC 7816-3 §10.3.2).
    #[must_use]
    pub const fn header(&self) -> [u8; 5] {
        self.header
    }

    /// P3: Lc when there is data, else Le (00 for case 1 and for 256;
    /// ISO/IEC 7816-3 §12.2).
    #[must_use]
    pub const fn p3(&self) -> u8 {
        self.header[4]
    }

    /// The data sent after the card's procedure byte (ISO/IEC 7816-3 §10.3.2).
    #[must_use]
    pub const fn data(&self) -> &'a [u8] {
        self.data
    }

    /// Ne of the original command: for case 4 the completion layer asks for at
    /// most this many bytes with GET RESPONSE (ISO/IEC 7816-3 §12.2).
    #[must_use]
    pub const fn ne(&self) -> Option<u32> {
        self.ne
    }

    /// Whether the command was case 4, whose response must be fetched with GET
    /// RESPONSE because P3 carried Lc (ISO/IEC 7816-3 §12.2).
    #[must_use]
    pub const fn drops_le(&self) -> bool {
        !self.data.is_empty() && self.ne.is_some()
    }

    /// Number of bytes [`T0Tpdu::encode_into`] writes (ISO/IEC 7816-3 §12.2).
    #[must_use]
    pub const fn encoded_len(&self) -> usize {
        5 + self.data.len()
    }

    /// Write header and data into `buf`, returning the filled part
    /// (ISO/IEC 7816-3 §12.2).
    ///
    /// # Errors
    /// [`ApduError::BufferTooSmall`].
    pub fn encode_into<'b>(&self, buf: &'b mut [u8]) -> Result<&'b [u8], ApduError> {
        let needed = self.encoded_len();
        let capacity = buf.len();
        let out = buf.get_mut(..needed).ok_or(ApduError::BufferTooSmall { needed, capacity })?;
        if let Some((head, tail)) = out.split_at_mut_checked(5) {
            head.copy_from_slice(&self.header);
            tail.copy_from_slice(self.data);
        }
        Ok(out)
    }
}

impl fmt::Debug for T0Tpdu<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("T0Tpdu")
            .field("header", &Hex(&self.header))
            .field("data", &super::DataField { ins: self.header[1], data: self.data })
            .field("ne", &self.ne)
            .finish()
    }
}
