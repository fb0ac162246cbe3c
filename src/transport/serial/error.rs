//! The errors of the serial reader transport, each mapped to an
//! [`ErrorKind`] of the transport layer (ISO/IEC 7816-3 §6–§10 failures:
//! no answer to reset, waiting time exceeded, a bad procedure byte, a
//! corrupted echo).

use crate::atr::{AtrError, PpsError};
use crate::transport::{Error, ErrorKind};
use std::io;

/// What went wrong on a serial reader (ISO/IEC 7816-3 §6–§10).
///
/// Small and `Copy`; [`Error::kind`] classifies it and its message says what
/// to try. Offsets count bytes from the start of the message in question (the
/// command sent, or the card's answer to it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SerialError {
    /// The serial device could not be opened (POSIX `open`).
    #[error(
        "cannot open the serial device: {kind:?} (is the reader plugged in, is the path right, may you use it?)"
    )]
    Open {
        /// What serialport said.
        kind: serialport::ErrorKind,
    },
    /// Reading, writing or configuring the port failed (POSIX I/O and termios).
    #[error("serial port failed while {operation}: {kind}")]
    Port {
        /// What the transport was doing.
        operation: &'static str,
        /// What the operating system said.
        kind: io::ErrorKind,
    },
    /// The reset line could not be driven: the port has no modem lines (a
    /// pseudo-terminal) or the adapter does not support them (ISO/IEC 7816-3 §6.2).
    #[error(
        "cannot drive the reset line: {kind} (a port without modem lines needs ResetLine::None, with a card that sends its ATR by itself or a reset hook)"
    )]
    ResetLine {
        /// What the operating system said.
        kind: io::ErrorKind,
    },
    /// No TS within the initial waiting time after RST was released (ISO/IEC
    /// 7816-3 §8.1).
    #[error(
        "no answer to reset within {waited_ms} ms (is a card inserted? is the reset line or its polarity right?)"
    )]
    NoAtr {
        /// How long the transport waited for TS (ISO/IEC 7816-3 §8.1).
        waited_ms: u64,
    },
    /// The ATR stopped before its end: more than 9600 etu between two
    /// characters (ISO/IEC 7816-3 §8.2).
    #[error("the ATR stopped after {received} bytes (character timeout)")]
    AtrIncomplete {
        /// Bytes received (ISO/IEC 7816-3 §8.2).
        received: usize,
    },
    /// The ATR is not valid (ISO/IEC 7816-3 §8).
    #[error("invalid ATR: {0}")]
    Atr(AtrError),
    /// The card's answer to a PPS request is not an acceptable one (ISO/IEC
    /// 7816-3 §9.3); the transport resets the card and stays at Fd/Dd.
    #[error("PPS failed: {0}")]
    Pps(PpsError),
    /// The card offers no protocol this transport speaks (T=0), or offers
    /// T=0 only through a PPS the configuration does not allow (ISO/IEC 7816-3 §8.2, §9).
    #[error("the card does not offer T=0 (its protocol is T={protocol}); this reader speaks T=0 only")]
    UnsupportedProtocol {
        /// The card's (first or fixed) protocol (ISO/IEC 7816-3 §8.2).
        protocol: u8,
    },
    /// The card in specific mode needs a bit rate the port does not accept (ISO/IEC 7816-3 §8.3).
    #[error("the card's fixed rate needs {baud} baud, which the port does not accept")]
    UnsupportedRate {
        /// The bit rate needed (ISO/IEC 7816-3 §8.3).
        baud: u32,
    },
    /// The echo of a byte sent differs from it: a collision on the I/O line
    /// or a broken reader. The bytes themselves are not kept: they may be the
    /// digits of a PIN (the one I/O line of ISO/IEC 7816-3 §7).
    #[error("corrupted echo at byte {offset} sent (a collision on the I/O line, or a broken reader)")]
    Echo {
        /// Offset of the byte in the message sent.
        offset: usize,
    },
    /// The echo of a byte sent never came back (the one I/O line of ISO/IEC
    /// 7816-3 §7).
    #[error("no echo for byte {offset} sent (is this a reader that echoes? set echo off otherwise)")]
    NoEcho {
        /// Offset of the byte in the message sent.
        offset: usize,
    },
    /// The card did not answer within the work waiting time (ISO/IEC 7816-3
    /// §10.2), or a command took longer than the configured maximum.
    #[error("the card did not answer within {waited_ms} ms, at byte {offset} of its answer")]
    Timeout {
        /// Offset in the card's answer (procedure bytes included) where the
        /// wait began (ISO/IEC 7816-3 §10.3.3).
        offset: usize,
        /// How long the transport waited (ISO/IEC 7816-3 §10.2).
        waited_ms: u64,
    },
    /// A byte where a procedure byte was due that is neither NULL, ACK, ~ACK
    /// nor SW1 (ISO/IEC 7816-3 §10.3.3), or an ACK with no data left to move.
    #[error("unexpected procedure byte {byte:02X} at byte {offset} of the card's answer")]
    ProcedureByte {
        /// The byte (ISO/IEC 7816-3 §10.3.3).
        byte: u8,
        /// Its offset in the card's answer (ISO/IEC 7816-3 §10.3.3).
        offset: usize,
    },
    /// The command cannot travel as a T=0 TPDU: shorter than a header, INS
    /// 6X or 9X, CLA FF, or data whose length differs from P3 (a case-4 APDU
    /// must travel as case 3; [`Link`](crate::transport::Link) does that) (ISO/IEC 7816-3 §12.2).
    #[error("the command is not a T=0 TPDU (byte {offset}): {reason}")]
    BadCommand {
        /// Offset of the offending byte (or the length).
        offset: usize,
        /// Why (ISO/IEC 7816-3 §12.2).
        reason: &'static str,
    },
    /// The response does not fit the caller's buffer (the exchange was
    /// completed to keep the line in step) (the T=0 response, ISO/IEC 7816-3
    /// §12.2).
    #[error("response of {needed} bytes does not fit the {capacity}-byte buffer")]
    BufferTooSmall {
        /// Bytes of the response.
        needed: usize,
        /// Bytes of the buffer.
        capacity: usize,
    },
}

impl SerialError {
    pub(crate) fn port(operation: &'static str) -> impl Fn(io::Error) -> SerialError {
        move |e| SerialError::Port { operation, kind: e.kind() }
    }

    pub(crate) fn serialport(operation: &'static str) -> impl Fn(serialport::Error) -> SerialError {
        move |e| SerialError::Port { operation, kind: io::Error::from(e).kind() }
    }

    /// The byte offset where things went wrong, when there is one (ISO/IEC 7816-3 §8–§10).
    #[must_use]
    pub const fn offset(&self) -> Option<usize> {
        match *self {
            SerialError::Echo { offset, .. }
            | SerialError::NoEcho { offset }
            | SerialError::Timeout { offset, .. }
            | SerialError::ProcedureByte { offset, .. }
            | SerialError::BadCommand { offset, .. } => Some(offset),
            SerialError::AtrIncomplete { received } => Some(received),
            SerialError::Atr(e) => Some(e.offset()),
            SerialError::Pps(e) => e.offset(),
            _ => None,
        }
    }
}

impl Error for SerialError {
    fn kind(&self) -> ErrorKind {
        match self {
            SerialError::Open { kind: serialport::ErrorKind::NoDevice } => ErrorKind::NoReader,
            SerialError::Open { kind: serialport::ErrorKind::Io(io::ErrorKind::NotFound) } => {
                ErrorKind::NoReader
            }
            SerialError::Open { .. } | SerialError::Port { .. } | SerialError::ResetLine { .. } => {
                ErrorKind::Io
            }
            SerialError::NoEcho { .. } => ErrorKind::Io,
            SerialError::NoAtr { .. } => ErrorKind::NoCard,
            SerialError::AtrIncomplete { .. } | SerialError::Timeout { .. } => ErrorKind::Timeout,
            SerialError::Atr(_)
            | SerialError::Pps(_)
            | SerialError::Echo { .. }
            | SerialError::ProcedureByte { .. }
            | SerialError::UnsupportedProtocol { .. } => ErrorKind::Protocol,
            SerialError::UnsupportedRate { .. }
            | SerialError::BadCommand { .. }
            | SerialError::BufferTooSmall { .. } => ErrorKind::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    #[test]
    fn kinds_and_offsets() {
        let e = SerialError::Echo { offset: 3 };
        assert_eq!((e.kind(), e.offset()), (ErrorKind::Protocol, Some(3)));
        assert!(e.to_string().starts_with("corrupted echo at byte 3 sent"));
        let e = SerialError::Timeout { offset: 1, waited_ms: 1200 };
        assert_eq!(e.kind(), ErrorKind::Timeout);
        assert_eq!(SerialError::NoAtr { waited_ms: 5 }.kind(), ErrorKind::NoCard);
        assert_eq!(SerialError::Open { kind: serialport::ErrorKind::NoDevice }.kind(), ErrorKind::NoReader);
        assert_eq!(
            SerialError::Open { kind: serialport::ErrorKind::Io(io::ErrorKind::PermissionDenied) }.kind(),
            ErrorKind::Io
        );
    }
}
