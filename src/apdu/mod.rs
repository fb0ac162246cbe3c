//! Command and response APDUs, ISO/IEC 7816-4 §5.
//!
//! This module owns the byte layout of application protocol data units: the
//! four-byte header (CLA INS P1 P2), the Lc and Le fields in their short and
//! extended forms (§5.1, table 1), the response trailer SW1 SW2 (§5.1.3), and the
//! mapping of a command onto a T=0 TPDU (ISO/IEC 7816-3 §12.2). It does not know
//! what a command means (that is [`crate::sw`] and the card layer) and it never
//! allocates: builders write into the caller's buffer or a `heapless::Vec`,
//! parsers return views that borrow the input.
//!
//! | Case | Short form            | Extended form                    |
//! |------|-----------------------|----------------------------------|
//! | 1    | header                | header                           |
//! | 2    | header Le             | header 00 Le1 Le2                |
//! | 3    | header Lc data        | header 00 Lc1 Lc2 data           |
//! | 4    | header Lc data Le     | header 00 Lc1 Lc2 data Le1 Le2   |
//!
//! Le `00` means 256 in the short form and `00 00` means 65536 in the extended
//! form; the two forms are never mixed in one command.
//!
//! ```
//! use simcore::apdu::{Command, CommandView, Case};
//!
//! // SELECT MF returning the FCP, TS 102 221 §11.1.1 (vector V84).
//! let select = Command::new(0x00, 0xA4, 0x00, 0x04).with_data(&[0x3F, 0x00])?.with_ne(256)?;
//! let mut buf = [0u8; 16];
//! let bytes = select.encode_into(&mut buf)?;
//! assert_eq!(bytes, &[0x00, 0xA4, 0x00, 0x04, 0x02, 0x3F, 0x00, 0x00]);
//!
//! let view = CommandView::parse(bytes)?;
//! assert_eq!(view.case(), Case::Case4Short);
//! assert_eq!(view.ne(), Some(256));
//! # Ok::<(), simcore::apdu::ApduError>(())
//! ```

pub mod channel;
mod command;
mod error;
mod response;
mod t0;
mod view;

pub use command::{Command, CommandBuilder, MAX_NC, MAX_NE};
pub use error::ApduError;
pub use response::ResponseView;
pub use t0::T0Tpdu;
pub(crate) use view::short_ne;
pub use view::{Case, CommandView};

/// The data field of a command for `Debug`: hex, or `**` for the commands that
/// carry a secret code (VERIFY, CHANGE, DISABLE, ENABLE, UNBLOCK; see
/// [`crate::chv::carries_secret`]), so a `{:?}` never prints a PIN.
pub(crate) struct DataField<'a> {
    /// The command's INS byte (ISO/IEC 7816-4 §5.1).
    pub ins: u8,
    /// The command's data field (ISO/IEC 7816-4 §5.1).
    pub data: &'a [u8],
}

impl core::fmt::Debug for DataField<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        if crate::chv::carries_secret(self.ins) && !self.data.is_empty() {
            f.write_str("**")
        } else {
            core::fmt::Debug::fmt(&crate::hex::Hex(self.data), f)
        }
    }
}

/// Length of the command header CLA INS P1 P2 (ISO/IEC 7816-4 §5.1).
pub const HEADER_LEN: usize = 4;

/// Largest command APDU: header, extended Lc (3 bytes), 65535 data bytes and an
/// extended Le (2 bytes), ISO/IEC 7816-4 §5.1.
pub const MAX_COMMAND_LEN: usize = HEADER_LEN + 3 + MAX_NC + 2;

/// Largest response APDU: 65536 data bytes and SW1 SW2, ISO/IEC 7816-4 §5.1.
pub const MAX_RESPONSE_LEN: usize = MAX_NE as usize + 2;

/// Largest short command APDU: header, Lc, 255 data bytes and Le (261 bytes) (ISO/IEC 7816-4 §5.1).
pub const MAX_SHORT_COMMAND_LEN: usize = HEADER_LEN + 1 + 255 + 1;

/// Largest short response APDU: 256 data bytes and SW1 SW2 (258 bytes) (ISO/IEC 7816-4 §5.1).
pub const MAX_SHORT_RESPONSE_LEN: usize = 256 + 2;
