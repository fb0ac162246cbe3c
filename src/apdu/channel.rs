//! Logical channels, ISO/IEC 7816-4 §5.4.1 (the channel number in CLA) and
//! §7.1.2 (MANAGE CHANNEL), as ETSI TS 102 221 §10.1.1 and §11.1.17 use them.
//!
//! | Channel | Class byte |
//! |---|---|
//! | 0–3 | first interindustry form `0000 00cc` (proprietary: `1000 00cc`), channel in b2–b1 |
//! | 4–19 | further interindustry form `0100 cccc` (proprietary: `1100 cccc`), channel − 4 in b4–b1 |
//!
//! The helpers here build the class bytes without secure messaging or command
//! chaining (b3–b4 of the first form, b5–b6 of the further one, are 0), which
//! is what the telecom commands of this crate send. A classic SIM (CLA A0,
//! TS 51.011) has no logical channels.

use super::Command;

/// INS of MANAGE CHANNEL (ISO/IEC 7816-4 §7.1.2).
pub use crate::ins::MANAGE_CHANNEL;

/// The highest logical channel number (ISO/IEC 7816-4 §5.4.1).
pub const MAX_CHANNEL: u8 = 19;

/// The class byte of `cla`'s kind (interindustry `0X`/`4X`, or proprietary
/// `8X`/`CX`: b8 of `cla`) on logical channel `channel`, or `None` above 19
/// (ISO/IEC 7816-4 §5.4.1, TS 102 221 §10.1.1).
///
/// ```
/// use simcore::apdu::channel::cla_for_channel;
/// assert_eq!(cla_for_channel(0x00, 1), Some(0x01)); // vector V89: SELECT on channel 1
/// assert_eq!(cla_for_channel(0x80, 1), Some(0x81)); // STORE DATA on channel 1
/// assert_eq!(cla_for_channel(0x00, 4), Some(0x40));
/// assert_eq!(cla_for_channel(0x80, 19), Some(0xCF));
/// assert_eq!(cla_for_channel(0x00, 20), None);
/// ```
#[must_use]
pub const fn cla_for_channel(cla: u8, channel: u8) -> Option<u8> {
    let proprietary = cla & 0x80;
    match channel {
        0..=3 => Some(proprietary | channel),
        4..=MAX_CHANNEL => Some(proprietary | 0x40 | (channel - 4)),
        _ => None,
    }
}

/// The logical channel a class byte names (ISO/IEC 7816-4 §5.4.1): channels
/// 0–3 for `0X`/`8X`, 4–19 for `4X`–`7X`/`CX`–`FX`; `None` for a class
/// without one (`2X`, `3X`, `AX`, `BX`, `FF`).
///
/// ```
/// use simcore::apdu::channel::channel_of;
/// assert_eq!(channel_of(0x01), Some(1));
/// assert_eq!(channel_of(0xC3), Some(7));
/// assert_eq!(channel_of(0xA0), None);
/// ```
#[must_use]
pub const fn channel_of(cla: u8) -> Option<u8> {
    match cla {
        0x00..=0x1F | 0x80..=0x9F => Some(cla & 0x03),
        0x40..=0x7F | 0xC0..=0xFE => Some(4 + (cla & 0x0F)),
        _ => None,
    }
}

/// MANAGE CHANNEL open, the card choosing the number: `00 70 00 00 01`
/// (vector V88; ISO/IEC 7816-4 §7.1.2, TS 102 221 §11.1.17). The response
/// data is the new channel's number.
#[must_use]
pub const fn open_channel() -> Command<'static> {
    let command = Command::new(0x00, MANAGE_CHANNEL, 0x00, 0x00);
    match command.with_ne(1) {
        Ok(c) => c,
        Err(_) => command,
    }
}

/// MANAGE CHANNEL close of `channel`, sent on the basic channel: `00 70 80 0n`
/// (vector V88 sends it with P3 = 00 on T=0, which is this case-1 command as
/// a TPDU) (ISO/IEC 7816-4 §7.1.2, TS 102 221 §11.1.17).
#[must_use]
pub const fn close_channel(channel: u8) -> Command<'static> {
    Command::new(0x00, MANAGE_CHANNEL, 0x80, channel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_round_trip() {
        for channel in 0..=MAX_CHANNEL {
            for base in [0x00, 0x80] {
                let cla = cla_for_channel(base, channel).unwrap();
                assert_eq!(channel_of(cla), Some(channel), "{base:02X} {channel}");
                assert_eq!(cla & 0x80, base);
            }
        }
    }

    #[test]
    fn manage_channel_bytes() {
        // Vector V88: open `00 70 00 00 01`, close channel 1 `00 70 80 01 00` on T=0.
        let mut buf = [0u8; 8];
        assert_eq!(open_channel().encode_into(&mut buf).unwrap(), &[0x00, 0x70, 0x00, 0x00, 0x01]);
        let close = close_channel(1);
        assert_eq!(close.encode_into(&mut buf).unwrap(), &[0x00, 0x70, 0x80, 0x01]);
        let mut tpdu = [0u8; 8];
        assert_eq!(close.to_t0().unwrap().encode_into(&mut tpdu).unwrap(), &[0x00, 0x70, 0x80, 0x01, 0x00]);
    }
}
