//! The Answer-To-Reset and protocol and parameters selection, ISO/IEC
//! 7816-3:2006 §8 (ATR) and §9 (PPS), with the historical bytes of ISO/IEC
//! 7816-4:2005 §8.1.1 and the UICC's global bytes of ETSI TS 102 221 §6.3.
//!
//! This module owns everything a card says before the first command:
//!
//! | Piece | Type | Clause |
//! |---|---|---|
//! | the ATR, parsed into a borrowed view | [`Atr`], [`InterfaceGroup`], [`Tck`], [`Warning`] | 7816-3 §8.2 |
//! | what each interface byte means, with the defaults | [`FiDi`], [`SpecificMode`], [`T1Parameters`], [`ClockStop`], [`VoltageClasses`], [`Spu`] … | 7816-3 §8.3, §10.2, §11.4 |
//! | the one Fi/Di/fmax table | [`FiDi`] | 7816-3 tables 7, 8 |
//! | historical bytes and COMPACT-TLV | [`HistoricalBytes`], [`CompactTlv`], [`DataObject`] | 7816-4 §8.1.1 |
//! | the ATR read from a serial line, both conventions | [`AtrReader`], [`Progress`], [`Convention`] | 7816-3 §8.1 |
//! | PPS request and answer | [`Pps`] | 7816-3 §9 |
//!
//! Nothing here allocates or panics: parsers borrow their input, the reader
//! and the PPS builder keep their bytes in fixed arrays, and bad input gets an
//! [`AtrError`], [`HistoricalError`] or [`PpsError`] naming the byte offset.
//! Anomalies that do not stop decoding (a wrong TCK, extra bytes, reserved
//! codes) are reported by [`Atr::warnings`].
//!
//! ```
//! use simcore::atr::{Atr, DataObject, Tck};
//! // Vector V06: an NXP JCOP card offering T=1 (smartcard_list.txt).
//! let bytes = simcore::hex::decode_heapless::<33>("3B F8 13 00 00 81 31 FE 45 4A 43 4F 50 76 32 34 31 B7")?;
//! let atr = Atr::parse(&bytes)?;
//! assert_eq!(atr.default_protocol(), 1);
//! assert_eq!(atr.t1_parameters().ifsc(), 254);
//! assert_eq!((atr.t1_parameters().bwi(), atr.t1_parameters().cwi()), (4, 5));
//! assert_eq!(atr.tck(), Tck::Valid(0xB7));
//! assert_eq!(atr.historical_bytes(), b"JCOPv241");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
mod historical;
mod interface;
mod parse;
mod pps;
mod reader;
mod tables;

pub use error::{AtrError, MAX_ATR_LEN};
pub use historical::{
    CardCapabilities, CardServiceData, Category, ChainingLengthChannels, CompactTlv, CompactTlvs, DataCoding,
    DataObject, EfAccess, HistoricalBytes, HistoricalError, InitialAccess, LifeCycleStatus, SelectionMethods,
    StatusIndicator, WriteBehaviour,
};
pub use interface::{
    ClockStop, Convention, DEFAULT_WI, Edc, ExtraGuardTime, Programming, SpecificMode, Spu, T1Parameters,
    UiccFeatures, VoltageClasses, clocks_to_micros, protocol_name, work_waiting_time_clocks,
};
pub use parse::{Atr, InterfaceGroup, InterfaceGroups, Protocols, Tck, Warning};
pub use pps::{MAX_PPS_LEN, PPSS, Pps, PpsError};
pub use reader::{AtrReader, Progress};
pub use tables::{DD, FD, FiDi};
