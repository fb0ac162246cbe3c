//! A scripted mock [`Transport`] for tests (feature `std`): expected command →
//! reply pairs, played in order, with every command sent recorded. It stands
//! in for a card at the level of ISO/IEC 7816-3 §12 (raw TPDUs or APDUs), so
//! tests of the completion layer, of the card layer and of downstream crates
//! can script exact exchanges.
//!
//! A command that differs from the script is answered with
//! [`MockError::Mismatch`], whose message names the step (counted from 1) and
//! shows expected and received bytes in hex, PIN data redacted as in the trace.
//!
//! To learn the exchanges a session operation makes (to script a
//! [`Sim`](crate::card::Sim) test), run it once against the virtual card with a
//! trace: `Sim::open_link(Link::new(VirtualSim::new()).with_trace(WriteTrace(std::io::stderr())))`
//! prints each command and answer ([`WriteTrace`](super::trace::WriteTrace), feature `virtual-sim`
//! for the card); the examples' `--trace` does the same.
//!
//! ```
//! use simcore::apdu::Command;
//! use simcore::transport::mock::MockTransport;
//! use simcore::transport::{Link, Protocol};
//!
//! // A UICC on T=0: SELECT MF with FCP (vector V84), 61 02, GET RESPONSE.
//! let card = MockTransport::new(Protocol::T0)
//!     .with_atr(&[0x3B, 0x00])
//!     .expect_hex("00 A4 00 04 02 3F 00", "61 02")?
//!     .expect_hex("00 C0 00 00 02", "62 00 90 00")?;
//! let mut link = Link::new(card);
//! let select = Command::new(0x00, 0xA4, 0x00, 0x04).with_data(&[0x3F, 0x00])?.with_ne(256)?;
//! let mut buf = [0u8; 64];
//! let response = link.transmit(&select, &mut buf)?;
//! assert_eq!(response.data(), &[0x62, 0x00]);
//! link.transport().finish()?; // every step was played
//! assert_eq!(link.transport().sent().len(), 2);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use super::trace::TracedCommand;
use super::{Error, ErrorKind, Protocol, Reset, Transport};
use crate::hex::{self, HexError};
use core::fmt;
use std::string::{String, ToString};
use std::vec::Vec;
use zeroize::Zeroize;

/// One scripted exchange.
#[derive(Clone)]
struct Step {
    command: Vec<u8>,
    reply: Result<Vec<u8>, ErrorKind>,
}

/// A transport that plays a script of expected commands and their replies (ISO/IEC 7816-3 §12).
///
/// Clone it to replay the same script (benches do). Recorded and scripted
/// commands are zeroized on drop, since they may hold PINs.
#[derive(Clone)]
pub struct MockTransport {
    protocol: Protocol,
    atr: Option<Vec<u8>>,
    steps: Vec<Step>,
    next: usize,
    sent: Vec<Vec<u8>>,
    resets: Vec<Reset>,
    cold_reset: bool,
    reset_error: Option<ErrorKind>,
}

/// Why the mock refused a command: the script disagrees with what was sent (ISO/IEC 7816-3 §12).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MockError {
    /// The command differs from the one scripted for this step (ISO/IEC 7816-3
    /// §12).
    #[error("mock step {step}: expected command {expected}, got {got} (first difference at byte {offset})")]
    Mismatch {
        /// The step, counted from 1.
        step: usize,
        /// The scripted command, in hex (PIN data as `**`).
        expected: String,
        /// The command received, in hex (PIN data as `**`).
        got: String,
        /// Offset of the first byte that differs (the shorter length when one is
        /// a prefix of the other).
        offset: usize,
    },
    /// A command after the end of the script (ISO/IEC 7816-3 §12).
    #[error("mock step {step}: unexpected command {got}; the script has only {steps} steps")]
    Unexpected {
        /// The step, counted from 1.
        step: usize,
        /// The command received, in hex (PIN data as `**`).
        got: String,
        /// Number of scripted steps.
        steps: usize,
    },
    /// The scripted reply is longer than the buffer the caller gave (the
    /// response, data and SW1 SW2, ISO/IEC 7816-4 §5.1.3).
    #[error("mock step {step}: the reply of {len} bytes does not fit the {capacity}-byte buffer")]
    ReplyTooLong {
        /// The step, counted from 1.
        step: usize,
        /// Length of the reply.
        len: usize,
        /// Length of the buffer.
        capacity: usize,
    },
    /// The script says this step fails with `kind` (a failed exchange, ISO/IEC
    /// 7816-3 §12).
    #[error("mock step {step}: scripted failure: {kind}")]
    Scripted {
        /// The step, counted from 1.
        step: usize,
        /// The kind scripted.
        kind: ErrorKind,
    },
    /// [`MockTransport::finish`] found steps that were never played (ISO/IEC
    /// 7816-3 §12).
    #[error("mock step {step}: {remaining} scripted steps not played, the next expects {expected}")]
    Unfinished {
        /// The first step not played, counted from 1.
        step: usize,
        /// Number of steps left.
        remaining: usize,
        /// The command that step expects, in hex (PIN data as `**`).
        expected: String,
    },
}

impl Error for MockError {
    fn kind(&self) -> ErrorKind {
        match self {
            MockError::Scripted { kind, .. } => *kind,
            MockError::Mismatch { .. } | MockError::Unexpected { .. } | MockError::Unfinished { .. } => {
                ErrorKind::Protocol
            }
            MockError::ReplyTooLong { .. } => ErrorKind::Other,
        }
    }
}

fn shown(command: &[u8]) -> String {
    TracedCommand::new(command).to_string()
}

impl MockTransport {
    /// An empty script on `protocol`, with no ATR, where a cold reset is possible
    /// (ISO/IEC 7816-3 §12).
    #[must_use]
    pub const fn new(protocol: Protocol) -> Self {
        MockTransport {
            protocol,
            atr: None,
            steps: Vec::new(),
            next: 0,
            sent: Vec::new(),
            resets: Vec::new(),
            cold_reset: true,
            reset_error: None,
        }
    }

    /// Report `atr` from [`Transport::atr`] (ISO/IEC 7816-3 §8).
    #[must_use]
    pub fn with_atr(mut self, atr: &[u8]) -> Self {
        self.atr = Some(atr.to_vec());
        self
    }

    /// Change the protocol reported (ISO/IEC 7816-3 §8.2).
    #[must_use]
    pub const fn with_protocol(mut self, protocol: Protocol) -> Self {
        self.protocol = protocol;
        self
    }

    /// Answer a cold reset with a warm one, as a backend that cannot cut power
    /// (ISO/IEC 7816-3 §6.2.2, §6.2.3).
    #[must_use]
    pub const fn without_cold_reset(mut self) -> Self {
        self.cold_reset = false;
        self
    }

    /// Make every reset fail with `kind` (ISO/IEC 7816-3 §6.2).
    #[must_use]
    pub const fn with_reset_error(mut self, kind: ErrorKind) -> Self {
        self.reset_error = Some(kind);
        self
    }

    /// Script the next step: expect exactly `command`, answer `reply` (data then
    /// SW1 SW2) (ISO/IEC 7816-4 §5.1.3).
    #[must_use]
    pub fn expect(mut self, command: &[u8], reply: &[u8]) -> Self {
        self.steps.push(Step { command: command.to_vec(), reply: Ok(reply.to_vec()) });
        self
    }

    /// [`MockTransport::expect`] with both sides in hex (`"00 A4 00 04 02 3F 00"`)
    /// (ISO/IEC 7816-4 §5.1.3).
    ///
    /// # Errors
    /// [`HexError`] for text that is not hex.
    pub fn expect_hex(self, command: &str, reply: &str) -> Result<Self, HexError> {
        let command = hex::decode(command)?;
        let reply = hex::decode(reply)?;
        Ok(self.expect(&command, &reply))
    }

    /// Script the next step: expect `command`, then fail with `kind` (a card
    /// pulled out, a timeout) (ISO/IEC 7816-3 §12.2).
    #[must_use]
    pub fn expect_failure(mut self, command: &[u8], kind: ErrorKind) -> Self {
        self.steps.push(Step { command: command.to_vec(), reply: Err(kind) });
        self
    }

    /// Every command received, in order, including refused ones (ISO/IEC 7816-4 §5.1).
    #[must_use]
    pub fn sent(&self) -> &[Vec<u8>] {
        &self.sent
    }

    /// The resets performed, in order (ISO/IEC 7816-3 §6.2.2, §6.2.3).
    #[must_use]
    pub fn resets(&self) -> &[Reset] {
        &self.resets
    }

    /// Number of steps played (ISO/IEC 7816-4 §5.1).
    #[must_use]
    pub const fn played(&self) -> usize {
        self.next
    }

    /// Number of steps not yet played (ISO/IEC 7816-4 §5.1).
    #[must_use]
    pub fn remaining(&self) -> usize {
        self.steps.len().saturating_sub(self.next)
    }

    /// Check that the whole script was played (ISO/IEC 7816-4 §5.1).
    ///
    /// # Errors
    /// [`MockError::Unfinished`] naming the first step left.
    pub fn finish(&self) -> Result<(), MockError> {
        match self.steps.get(self.next) {
            None => Ok(()),
            Some(step) => Err(MockError::Unfinished {
                step: self.next + 1,
                remaining: self.remaining(),
                expected: shown(&step.command),
            }),
        }
    }
}

impl Transport for MockTransport {
    type Error = MockError;

    fn transmit<'b>(&mut self, command: &[u8], response: &'b mut [u8]) -> Result<&'b [u8], MockError> {
        self.sent.push(command.to_vec());
        let step = self.next + 1;
        let Some(scripted) = self.steps.get(self.next) else {
            return Err(MockError::Unexpected { step, got: shown(command), steps: self.steps.len() });
        };
        if scripted.command != command {
            let offset = scripted
                .command
                .iter()
                .zip(command)
                .position(|(a, b)| a != b)
                .unwrap_or(scripted.command.len().min(command.len()));
            return Err(MockError::Mismatch {
                step,
                expected: shown(&scripted.command),
                got: shown(command),
                offset,
            });
        }
        self.next += 1;
        match &scripted.reply {
            Err(kind) => Err(MockError::Scripted { step, kind: *kind }),
            Ok(reply) => {
                let capacity = response.len();
                let out = response.get_mut(..reply.len()).ok_or(MockError::ReplyTooLong {
                    step,
                    len: reply.len(),
                    capacity,
                })?;
                out.copy_from_slice(reply);
                Ok(out)
            }
        }
    }

    fn atr(&self) -> Option<&[u8]> {
        self.atr.as_deref()
    }

    fn reset(&mut self, reset: Reset) -> Result<Reset, MockError> {
        if let Some(kind) = self.reset_error {
            return Err(MockError::Scripted { step: self.next + 1, kind });
        }
        let done = if reset == Reset::Cold && !self.cold_reset { Reset::Warm } else { reset };
        self.resets.push(done);
        Ok(done)
    }

    fn protocol(&self) -> Protocol {
        self.protocol
    }
}

impl Drop for MockTransport {
    fn drop(&mut self) {
        for bytes in self.sent.iter_mut().chain(self.steps.iter_mut().map(|s| &mut s.command)) {
            bytes.as_mut_slice().zeroize();
        }
    }
}

/// Shows the protocol, the position in the script and the last command sent
/// (PIN data as `**`).
impl fmt::Debug for MockTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockTransport")
            .field("protocol", &self.protocol)
            .field("steps", &self.steps.len())
            .field("played", &self.next)
            .field("last_sent", &self.sent.last().map(|c| TracedCommand::new(c)))
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mismatch_names_step_bytes_and_offset() {
        let mut mock =
            MockTransport::new(Protocol::T1).expect(&[0x00, 0xB0, 0x00, 0x00, 0x09], &[0x90, 0x00]);
        let mut buf = [0u8; 8];
        let err = mock.transmit(&[0x00, 0xB0, 0x00, 0x00, 0x0A], &mut buf).unwrap_err();
        assert_eq!(
            err.to_string(),
            "mock step 1: expected command 00 B0 00 00 09, got 00 B0 00 00 0A (first difference at byte 4)"
        );
        assert_eq!(err.kind(), ErrorKind::Protocol);
        // The step was not consumed.
        assert_eq!(mock.transmit(&[0x00, 0xB0, 0x00, 0x00, 0x09], &mut buf).unwrap(), &[0x90, 0x00]);
        let err = mock.transmit(&[0x00, 0xB0, 0x00, 0x00], &mut buf).unwrap_err();
        assert_eq!(
            err.to_string(),
            "mock step 2: unexpected command 00 B0 00 00; the script has only 1 steps"
        );
        assert_eq!(mock.sent().len(), 3);
        assert_eq!(mock.finish(), Ok(()));
    }

    #[test]
    fn reply_too_long_and_resets() {
        let mut mock =
            MockTransport::new(Protocol::T0).expect(&[0x00], &[1, 2, 3, 0x90, 0x00]).without_cold_reset();
        let mut buf = [0u8; 4];
        assert_eq!(
            mock.transmit(&[0x00], &mut buf),
            Err(MockError::ReplyTooLong { step: 1, len: 5, capacity: 4 })
        );
        assert_eq!(mock.reset(Reset::Cold), Ok(Reset::Warm));
        assert_eq!(mock.resets(), &[Reset::Warm]);
        let mut failing = MockTransport::new(Protocol::T1).with_reset_error(ErrorKind::NoCard);
        assert_eq!(failing.reset(Reset::Warm).unwrap_err().kind(), ErrorKind::NoCard);
    }
}
