//! Contents of the elementary files that identify a subscription: 3GPP TS
//! 51.011 §10 (classic SIM) and TS 31.102 §4.2 where the USIM files share the
//! layout; ITU-T E.118 for the ICCID.
//!
//! | File | Type |
//! |---|---|
//! | EF_ICCID (2FE2) | [`Iccid`] |
//! | EF_IMSI (6F07) | [`Imsi`] |
//! | EF_AD (6FAD) | [`Ad`] |
//! | EF_SPN (6F46) | [`Spn`] |
//! | EF_MSISDN (6F40), EF_ADN (6F3A) records | [`DiallingNumber`] |
//! | PLMN triples of EF_PLMNsel (6F30), EF_FPLMN (6F7B) | [`Plmn`], [`PlmnList`] |
//! | EF_LOCI (6F7E) | [`Loci`], [`Lai`] |
//! | EF_ACC (6F78) | [`Acc`] |
//! | EF_Kc (6F20) | [`Kc`] |
//! | EF_DIR (2F00) records, TS 102 221 §13.1 | [`DirRecord`], [`Aid`], [`Application`] |
//! | EF_UST (6F38 in ADF.USIM), TS 31.102 §4.2.8 | [`ServiceTable`], [`UsimService`] |
//! | EF_EHPLMN (6FD9 in ADF.USIM), TS 31.102 §4.2.84 | [`PlmnList`] |
//!
//! Every type decodes without allocating (borrowing the record where it holds
//! text) and encodes back into the caller's buffer, so the virtual SIM serves
//! the same bytes the host side reads. File identifiers live in [`crate::fs`];
//! the byte codecs in [`crate::codec`].

mod acc;
mod ad;
mod dialling;
mod dir;
pub mod e164;
mod iccid;
mod imsi;
mod kc;
mod loci;
mod plmn;
mod spn;
mod ust;

pub use acc::Acc;
pub use ad::{Ad, OperationMode};
pub use dialling::{DiallingNumber, Npi, Number, Ton, TonNpi};
pub use dir::{Aid, Application, DirRecord};
pub use e164::CountryCode;
pub use iccid::{Iccid, IccidCountry, Luhn};
pub use imsi::{Imsi, MncLengthSource, mnc_length_fallback};
pub use kc::Kc;
pub use loci::{Lai, Loci, UpdateStatus};
pub use plmn::{MncLength, Plmn, PlmnList};
pub use spn::{Spn, SpnDisplay};
pub use ust::{ServiceTable, Services, UsimService, usim_service_name};

pub use crate::codec::{DecodeError, EncodeError};
