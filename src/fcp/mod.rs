//! File control parameters: what SELECT and STATUS answer about a file. The
//! classic SIM's fixed layout (3GPP TS 51.011 §9.2.1, [`gsm`]) and the UICC's
//! FCP template (ETSI TS 102 221 §11.1.1.4, [`uicc`]), each decoded and
//! encoded from the same types, and both reduced to one [`FileSummary`] so
//! that a session needs no profile-specific code to learn a file's kind,
//! structure, size, records and PIN states.
//!
//! ```
//! use simcore::fcp::{FileKind, FileSummary, SecretCode};
//! // Vector V97: the FCP of a UICC's MF (pySim test_decode_select_resp).
//! let fcp = simcore::hex::decode_heapless::<64>(
//!     "62 2C 82 02 78 21 83 02 3F 00 A5 0C 80 01 71 83 04 00 03 A7 38 87 01 01 \
//!      8A 01 05 8B 03 2F 06 01 C6 0C 90 01 60 83 01 01 83 01 0A 83 01 0B",
//! )?;
//! let summary = FileSummary::from_response(&fcp)?;
//! assert_eq!(summary.kind, FileKind::Mf);
//! let pin1 = summary.code(SecretCode::Pin(0x01)).unwrap();
//! assert_eq!(pin1.enabled, Some(false));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod gsm;
mod summary;
pub mod uicc;

pub use summary::{CodeState, CodeStates, FileSummary, SecretCode};

/// What kind of file a response describes (TS 51.011 §9.2.1 byte 7, TS 102 221 §11.1.1.4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// The master file, 3F00 (TS 51.011 §9.2.1 byte 7, TS 102 221 §11.1.1.4.3).
    Mf,
    /// A dedicated file (DF_TELECOM, DF_GSM, …) (TS 51.011 §9.2.1 byte 7, TS 102 221 §11.1.1.4.3).
    Df,
    /// An application DF (UICC only: a DF with a DF name, TS 102 221 §8.3).
    Adf,
    /// A working elementary file, read by the terminal (TS 51.011 §9.2.1 byte 7, TS 102 221 §11.1.1.4.3).
    WorkingEf,
    /// An internal EF, used by the card itself (UICC only) (TS 102 221 §11.1.1.4.3).
    InternalEf,
}

impl FileKind {
    /// Whether this is an EF (TS 51.011 §9.2.1 byte 7, TS 102 221 §11.1.1.4.3).
    #[must_use]
    pub const fn is_ef(self) -> bool {
        matches!(self, FileKind::WorkingEf | FileKind::InternalEf)
    }
}

/// The structure of an EF (TS 51.011 §6.4, TS 102 221 §8.2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EfStructure {
    /// A sequence of bytes (READ BINARY) (TS 51.011 §6.4, TS 102 221 §8.2.2).
    Transparent,
    /// Records of one length, addressed by number (READ RECORD) (TS 51.011 §6.4, TS 102 221 §8.2.2).
    LinearFixed,
    /// Records in a ring, the newest first (TS 51.011 §6.4, TS 102 221 §8.2.2).
    Cyclic,
    /// BER-TLV objects (UICC only, TS 102 221 §8.2.2.4).
    BerTlv,
}
