//! Errors of the card layer: what a session could not do, ISO/IEC 7816-4 §5.6
//! (status words), TS 51.011 §9.4 and TS 102 221 §10.2.1, plus the last-attempt
//! guard's refusals ([`super::Refusal`]).

use super::guard::Refusal;
use crate::chv::ChvError;
use crate::codec::DecodeError;
use crate::profile::Profile;
use crate::sw::{Answering, StatusWord};
use crate::transport::{CompletionError, Error, ErrorKind};
use core::fmt;

/// The command a card refused, for messages ("READ BINARY: 69 82 …") (TS 51.011 §9.2, TS 102 221
/// §11.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CardCommand {
    /// SELECT (TS 51.011 §9.2.1, TS 102 221 §11.1.1).
    Select,
    /// STATUS (TS 51.011 §9.2.2, TS 102 221 §11.1.2).
    Status,
    /// READ BINARY (TS 51.011 §9.2.3, TS 102 221 §11.1.3).
    ReadBinary,
    /// UPDATE BINARY (TS 51.011 §9.2.4, TS 102 221 §11.1.4).
    UpdateBinary,
    /// READ RECORD (TS 51.011 §9.2.5, TS 102 221 §11.1.5).
    ReadRecord,
    /// UPDATE RECORD (TS 51.011 §9.2.6, TS 102 221 §11.1.6).
    UpdateRecord,
    /// VERIFY, CHANGE, DISABLE, ENABLE or UNBLOCK with no data: a retry-counter
    /// query (TS 102 221 §11.1.9.1.2, §11.1.13.1.2).
    CounterQuery,
}

impl CardCommand {
    /// The command's name as the specifications write it (TS 51.011 §9.2, TS 102 221 §11.1).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            CardCommand::Select => "SELECT",
            CardCommand::Status => "STATUS",
            CardCommand::ReadBinary => "READ BINARY",
            CardCommand::UpdateBinary => "UPDATE BINARY",
            CardCommand::ReadRecord => "READ RECORD",
            CardCommand::UpdateRecord => "UPDATE RECORD",
            CardCommand::CounterQuery => "retry-counter query",
        }
    }

    /// Which reading of 63 CX and 98 04 fits its answer (TS 102 221
    /// §10.2.1.3, TS 51.011 §9.4.5).
    #[must_use]
    pub const fn answering(self) -> Answering {
        match self {
            CardCommand::CounterQuery => Answering::PinCommand,
            _ => Answering::OtherCommand,
        }
    }
}

impl fmt::Display for CardCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A status word with the profile that gives it its meaning: `Display` shows
/// `"69 82: security status not satisfied"` as the card's specification says it
/// (ISO/IEC 7816-4 §5.6, TS 51.011 §9.4, TS 102 221 §10.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CardStatus {
    /// The status word (ISO/IEC 7816-4 §5.6, TS 51.011 §9.4, TS 102 221 §10.2.1).
    pub sw: StatusWord,
    /// The card's profile (TS 51.011 §9.4, TS 102 221 §10.2.1).
    pub profile: Profile,
}

impl fmt::Display for CardStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.sw.describe(self.profile).fmt(f)
    }
}

/// Why a session operation failed (ISO/IEC 7816-4 §5.6, TS 51.011 §9.4, TS 102 221 §10.2.1).
///
/// `E` is the transport's error. Every variant is small and `Copy` when `E` is;
/// [`SimError::kind`] classifies transport failures for generic code, and
/// [`SimError::status`] gives the card's status word when the card refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SimError<E> {
    /// The link failed: transport error, endless GET RESPONSE chain, buffer
    /// (ISO/IEC 7816-3 §12.2, ISO/IEC 7816-4 §5.1.3 and §7.6.1).
    #[error("link: {0}")]
    Link(#[source] CompletionError<E>),
    /// The card answered SELECT MF neither as a UICC (CLA 00) nor as a classic
    /// SIM (CLA A0): it is not a telecom card, or it is mute to both
    /// (TS 102 221 §11.1.1, TS 51.011 §9.2.1).
    #[error(
        "not a SIM or UICC: SELECT MF answered {uicc} with class 00, {sim} with class A0 \
         (TS 102 221 §11.1.1, TS 51.011 §9.2.1)"
    )]
    NotATelecomCard {
        /// The answer to the UICC's SELECT MF (TS 102 221 §11.1.1).
        uicc: StatusWord,
        /// The answer to the classic SIM's SELECT MF, when it was tried (TS 51.011 §9.2.1).
        sim: StatusWord,
    },
    /// [`Sim::open_after_reset`](super::Sim::open_after_reset) was given a
    /// profile that is neither a classic SIM nor a UICC (TS 51.011, TS 102 221).
    #[error("a session needs Profile::Sim or Profile::Uicc, not {0:?}")]
    NotASessionProfile(Profile),
    /// The card refused a command (ISO/IEC 7816-4 §5.6, TS 51.011 §9.4, TS 102 221 §10.2.1).
    #[error("{command}: the card answered {}", .status.sw.describe_for(.status.profile, .command.answering()))]
    Card {
        /// The command refused (TS 51.011 §9.2, TS 102 221 §11.1).
        command: CardCommand,
        /// Its status word and the profile that gives its meaning
        /// (ISO/IEC 7816-4 §5.6, TS 51.011 §9.4, TS 102 221 §10.2.1).
        status: CardStatus,
    },
    /// A file's content is not valid for its type (TS 51.011 §10, TS 31.102 §4.2).
    #[error("file content: {0}")]
    Decode(#[source] DecodeError),
    /// The PIN command does not exist on this card's profile
    /// (TS 51.011 §9.2.9–§9.2.13, TS 102 221 §11.1.9–§11.1.13).
    #[error("{0}")]
    Chv(#[source] ChvError),
    /// The last-attempt guard refused to send a command that spends an attempt
    /// (TS 102 221 §11.1.9–§11.1.13, TS 51.011 §9.2.9–§9.2.13).
    #[error("{0}")]
    Refused(Refusal),
    /// The card has no USIM application (TS 31.102), so it has no file of
    /// ADF.USIM; the identity is read from DF_GSM instead.
    #[error("the card has no USIM application (not listed in EF_DIR, not selectable by AID)")]
    NoUsim,
    /// A path with more DF levels than the session tracks
    /// (paths of TS 51.011 §6.6, TS 102 221 §8.3).
    #[error("a path of {len} file identifiers; the session selects at most {max} levels")]
    PathTooDeep {
        /// Identifiers in the path (TS 102 221 §8.4.2).
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A path whose identifiers break the TS 51.011 §6.6 / TS 102 221 §8.3 rules
    /// (an EF before its end, an empty path where an EF is needed).
    #[error("invalid path: {reason}")]
    InvalidPath {
        /// What is wrong (TS 51.011 §6.6, TS 102 221 §8.3).
        reason: &'static str,
    },
    /// An offset the command cannot address: above 7FFF on a UICC (P1 b8 of
    /// READ/UPDATE BINARY marks an SFI, TS 102 221 §11.1.3.2), above FFFF on a
    /// SIM.
    #[error("offset {offset} is beyond what READ/UPDATE BINARY can address on this card")]
    OffsetOutOfRange {
        /// The offset asked for (TS 51.011 §9.2.3, TS 102 221 §11.1.3).
        offset: usize,
    },
    /// The caller's buffer cannot hold what the card returned (a record longer
    /// than the buffer, a file information longer than it) (the response data
    /// field, ISO/IEC 7816-4 §5.1; READ RECORD, TS 51.011 §9.2.5, TS 102 221
    /// §11.1.5; SELECT, TS 51.011 §9.2.1, TS 102 221 §11.1.1).
    #[error("{needed} bytes do not fit the {capacity}-byte buffer")]
    BufferTooSmall {
        /// Bytes needed.
        needed: usize,
        /// The buffer's length.
        capacity: usize,
    },
    /// A record number READ/UPDATE RECORD cannot address in absolute mode: 00
    /// (the current record) and FF are not record numbers (TS 51.011 §9.2.5,
    /// TS 102 221 §11.1.5).
    #[error("record number {number}: records are numbered 1 to 254")]
    RecordNumber {
        /// The number asked for (TS 102 221 §11.1.5.2).
        number: u8,
    },
    /// Record data whose length differs from the record length (UPDATE RECORD
    /// writes whole records, TS 51.011 §9.2.6, TS 102 221 §11.1.6).
    #[error("record data of {len} bytes; a record of this EF has {record_length}")]
    WrongRecordLength {
        /// Bytes given (TS 51.011 §9.2.6, TS 102 221 §11.1.6).
        len: usize,
        /// The record length (TS 51.011 §9.2.1 byte 15, TS 102 221 §11.1.1.4.3).
        record_length: usize,
    },
}

impl<E> From<CompletionError<E>> for SimError<E> {
    fn from(e: CompletionError<E>) -> Self {
        SimError::Link(e)
    }
}

impl<E> From<ChvError> for SimError<E> {
    fn from(e: ChvError) -> Self {
        SimError::Chv(e)
    }
}

impl<E> From<DecodeError> for SimError<E> {
    fn from(e: DecodeError) -> Self {
        SimError::Decode(e)
    }
}

impl<E> From<Refusal> for SimError<E> {
    fn from(e: Refusal) -> Self {
        SimError::Refused(e)
    }
}

impl<E: Error> SimError<E> {
    /// The transport's kind for link failures ([`CompletionError::kind`]);
    /// [`ErrorKind::Other`] for everything the card or the caller caused (a link failure keeps the
    /// transport's, ISO/IEC 7816-3 §12.2).
    #[must_use]
    pub fn kind(&self) -> ErrorKind {
        match self {
            SimError::Link(e) => e.kind(),
            _ => ErrorKind::Other,
        }
    }
}

impl<E> SimError<E> {
    /// The status word, when the card refused a command
    /// (ISO/IEC 7816-4 §5.6, TS 51.011 §9.4, TS 102 221 §10.2.1).
    #[must_use]
    pub const fn status(&self) -> Option<StatusWord> {
        match self {
            SimError::Card { status, .. } => Some(status.sw),
            SimError::NotATelecomCard { uicc, .. } => Some(*uicc),
            _ => None,
        }
    }

    /// What this error means for a file the caller wanted to read: no such file,
    /// a PIN to verify first, invalid content, another refusal; `None` for
    /// errors that are not about the file (the link, the caller's arguments)
    /// (TS 51.011 §9.4, TS 102 221 §10.2.1).
    #[must_use]
    pub const fn unavailable(&self) -> Option<Unavailable> {
        match self {
            SimError::Card { status, .. } => Some(Unavailable::from_status(*status)),
            SimError::Decode(e) => Some(Unavailable::Invalid(*e)),
            SimError::NoUsim => Some(Unavailable::NoFile),
            _ => None,
        }
    }

    /// Whether the card said the file does not exist (6A 82, or 94 04 on a
    /// classic SIM) (TS 102 221 §10.2.1.5, TS 51.011 §9.4.4).
    #[must_use]
    pub const fn is_file_not_found(&self) -> bool {
        matches!(self.unavailable(), Some(Unavailable::NoFile))
    }

    /// Whether the card wants a PIN verified first (69 82, or 98 04 on a
    /// classic SIM) (TS 102 221 §10.2.1.5, TS 51.011 §9.4.5).
    #[must_use]
    pub const fn needs_pin(&self) -> bool {
        matches!(self.unavailable(), Some(Unavailable::NeedsPin))
    }
}

/// Why one item of a [`Summary`](super::Summary) could not be read, while the
/// session itself is fine (TS 51.011 §9.4, TS 102 221 §10.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Unavailable {
    /// The card has no such file: 6A 82 (TS 102 221 §10.2.1.5), 94 04 (TS 51.011 §9.4.4).
    #[error("the card has no such file")]
    NoFile,
    /// The file's access condition is not fulfilled, usually a code that is
    /// not verified: PIN1/CHV1 for most files, PIN2/CHV2 or ADM for some; no
    /// code opens a NEV file (the status word does not say which):
    /// 69 82 (TS 102 221 §10.2.1.5), 98 04 (TS 51.011 §9.4.5).
    #[error(
        "protected: its access condition is not fulfilled (usually a code not verified: PIN1 for most files, \
         PIN2 or ADM for some)"
    )]
    NeedsPin,
    /// The file's content does not decode (TS 51.011 §10, TS 31.102 §4.2).
    #[error("invalid content: {0}")]
    Invalid(DecodeError),
    /// Another refusal, with its status word and the profile that gives it
    /// its meaning (TS 51.011 §9.4, TS 102 221 §10.2.1).
    #[error("the card answered {0}")]
    Refused(CardStatus),
}

impl Unavailable {
    /// The meaning of a refusal of SELECT or READ: 6A 82 / 94 04 no file, 69 82
    /// / 98 04 PIN needed, anything else kept as is, with its profile
    /// (TS 102 221 §10.2.1.5, TS 51.011 §9.4.4, §9.4.5).
    #[must_use]
    pub const fn from_status(status: CardStatus) -> Self {
        match status.sw {
            StatusWord::FILE_NOT_FOUND | StatusWord::SIM_FILE_NOT_FOUND => Unavailable::NoFile,
            StatusWord::SECURITY_STATUS_NOT_SATISFIED | StatusWord::SIM_ACCESS_CONDITION_NOT_FULFILLED => {
                Unavailable::NeedsPin
            }
            _ => Unavailable::Refused(status),
        }
    }

    /// A short code for machine-readable output: `no_file`, `needs_pin`,
    /// `invalid`, `refused` (read from the status word: TS 51.011 §9.4, TS 102 221 §10.2.1).
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Unavailable::NoFile => "no_file",
            Unavailable::NeedsPin => "needs_pin",
            Unavailable::Invalid(_) => "invalid",
            Unavailable::Refused(_) => "refused",
        }
    }
}
