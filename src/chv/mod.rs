//! Secret codes and the commands that present them: 3GPP TS 51.011 §9.2.9–§9.2.13
//! (VERIFY, CHANGE, DISABLE, ENABLE and UNBLOCK CHV on a classic SIM) and ETSI
//! TS 102 221 §11.1.9–§11.1.13 with table 9.3 (the same commands for a PIN on a
//! UICC, addressed by key reference).
//!
//! This module owns three things:
//! - [`Pin`], the secret: 4–8 digits (an ADM code: 8 digits or 16 hex digits),
//!   encoded as 8 bytes of ASCII padded with FF, zeroized on drop, and shown as
//!   `**` by `Debug` and `Display`;
//! - [`KeyReference`] (TS 102 221 table 9.3: PIN1 01, PIN2 81, universal PIN
//!   11, ADM1 0A …) and [`Chv`] (the classic SIM's CHV1 and CHV2);
//! - [`ChvCommand`], the encoded command for a [`Profile`]: CLA A0 and the CHV
//!   number on a classic SIM (with UNBLOCK CHV's P2 = 00 for CHV1 and 02 for
//!   CHV2, and DISABLE/ENABLE for CHV1 only), CLA 00 and the key reference on a
//!   UICC, plus the empty VERIFY and UNBLOCK that read a UICC's retry counters.
//!   Its buffer is zeroized on drop and it redacts the code when printed.
//!
//! It does not interpret the card's answer ([`StatusWord::chv`](crate::StatusWord::chv)
//! does) nor decide whether an attempt may be spent (the card layer's guard does,
//! using [`ChvCommand::spends`]).
//!
//! ```
//! use simcore::chv::{ChvCommand, KeyReference, Pin};
//! use simcore::Profile;
//!
//! let pin = Pin::new("1234")?;
//! // VERIFY CHV1 on a classic SIM (vector V71).
//! let verify = ChvCommand::verify(Profile::Sim, KeyReference::PIN1, &pin)?;
//! assert_eq!(
//!     verify.expose_bytes(),
//!     &[0xA0, 0x20, 0x00, 0x01, 0x08, 0x31, 0x32, 0x33, 0x34, 0xFF, 0xFF, 0xFF, 0xFF]
//! );
//! // Printing never shows the code.
//! assert_eq!(format!("{pin} {pin:?}"), "** Pin(**)");
//! assert_eq!(verify.to_string(), "A0 20 00 01 08 **");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Zeroizing is best effort, as everywhere in Rust: [`Pin`] and [`ChvCommand`]
//! wipe their own bytes when dropped, [`Link`](crate::transport::Link)
//! wipes its encoding buffer after each exchange, and the serial and modem
//! transports wipe the bytes they sent and read back (the echo, the AT line),
//! but a value moved by the
//! compiler may leave a copy on the stack, and the text a PIN was parsed from
//! belongs to the caller (keep it in a `zeroize::Zeroizing<String>`).

mod command;
mod key;
mod pin;

pub use command::{ChvCommand, ChvError, Operation, RetryCounter};
pub use key::{Chv, KeyReference, UnblockLoss};
pub use pin::{Pin, PinError};

#[cfg(doc)]
use crate::Profile;

/// Whether a command with instruction byte `ins` carries a secret code in its
/// data field: VERIFY (20), CHANGE (24), DISABLE (26), ENABLE (28) and UNBLOCK
/// (2C) of TS 51.011 §9.2 and TS 102 221 §11.1, whatever the class byte. The
/// odd-INS codes next to them (21 is VERIFY with BER-TLV data, ISO/IEC 7816-4
/// §7.5.6; 25, 27, 29, 2D) count too: redacting one command too many is cheap.
///
/// The APDU trace and the mock replace the data of such commands by `**`.
#[must_use]
pub const fn carries_secret(ins: u8) -> bool {
    use crate::ins::{CHANGE, DISABLE, ENABLE, UNBLOCK, VERIFY};
    matches!(ins & 0xFE, VERIFY | CHANGE | DISABLE | ENABLE | UNBLOCK)
}

/// Whether the data of `command` (an APDU or a TPDU) is hidden when shown: a
/// command whose INS [`carries_secret`] and that has more than the five header
/// bytes (CLA INS P1 P2 and Lc/P3, ISO/IEC 7816-4 §5.1).
#[must_use]
pub fn hides_data(command: &[u8]) -> bool {
    command.len() > 5 && command.get(1).is_some_and(|&ins| carries_secret(ins))
}

/// Write `command` in hex, `00 20 00 01 08 **` when [`hides_data`]: only the
/// five header bytes are shown, then `**`.
pub(crate) fn write_hidden(f: &mut core::fmt::Formatter<'_>, command: &[u8]) -> core::fmt::Result {
    match command.get(..5) {
        Some(header) if hides_data(command) => write!(f, "{:#} **", crate::hex::Hex(header)),
        _ => write!(f, "{:#}", crate::hex::Hex(command)),
    }
}
