#![doc = include_str!("../README.md")]
#![cfg_attr(not(test), no_std)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![deny(clippy::std_instead_of_core)]

#[cfg(feature = "std")]
extern crate std;

pub mod apdu;
pub mod atr;
pub mod card;
pub mod chv;
pub mod codec;
pub mod ef;
pub mod euicc;
pub mod fcp;
pub mod fs;
pub mod hex;
pub mod ins;
pub mod lcs;
pub mod profile;
pub mod sw;
pub mod transport;
#[cfg(feature = "virtual-sim")]
#[cfg_attr(docsrs, doc(cfg(feature = "virtual-sim")))]
pub mod virtual_sim;

pub use apdu::{Command, CommandView, ResponseView};
pub use atr::Atr;
pub use card::Sim;
pub use profile::Profile;
pub use sw::StatusWord;
pub use transport::{Link, Transport};
