//! The eUICC: the identifier of an embedded UICC (EID) and how to read it,
//! GSMA SGP.22 §5.7.20 (consumer eSIM, ES10c.GetEID), GSMA SGP.02 (M2M eSIM:
//! the ECASD) and SGP.29 (the EID's structure and check digits).
//!
//! This module owns:
//!
//! | Piece | Where |
//! |---|---|
//! | the EID, its check digits (ISO 7064 mod 97-10) | [`Eid`], [`eid::check_digits`] |
//! | the AIDs of the ISD-R (standard and vendor variants) and the ECASD | [`ISD_R_AID`], [`KNOWN_ISD_R_AIDS`], [`ECASD_AID`] |
//! | STORE DATA with an ES10 request, GetEuiccData, GET DATA 5A | [`es10`] |
//! | the reading flow over a [`Link`](crate::transport::Link) | [`read_eid`], [`EidOptions`] |
//! | eUICC detection from the ATR (TS 102 221 §6.3.3, resolved Q7) | [`atr_announces_euicc`] |
//!
//! The flow [`read_eid`] runs, with its APDUs on a T=0 card (vectors V88–V90,
//! V101):
//!
//! | Step | Command | APDUs |
//! |---|---|---|
//! | open a logical channel, so the basic channel's selection stays | `00 70 00 00 01` → `01 90 00` | 1 |
//! | SELECT the ISD-R by AID; the FCI is not fetched | `01 A4 04 00 10 A0000005591010FFFFFFFF8900000100` → `61 XX` | 1 per AID tried |
//! | STORE DATA GetEuiccData {tag list 5A} | `81 E2 91 00 06 BF3E035C015A` → `61 15`, GET RESPONSE `01 C0 00 00 15` → `BF3E 12 5A 10 <EID>` | 2 |
//! | (no ISD-R, or one whose STORE DATA answers 6D 00, 6E 00, 6A 80 or 6A 81: SGP.02) SELECT the ECASD, GET DATA 5A | `01 A4 04 00 10 …0200`, `81 CA 00 5A 12` → `5A 10 <EID>` | 2 |
//! | close the channel | `00 70 80 01` | 1 |
//!
//! Five APDUs in all against an eUICC with the standard ISD-R. The eUICC
//! announces itself in the ATR (the first TB after T=15 has b8 and b2 set,
//! `82`); a card that does not but whose ISD-R answers is an eUICC too
//! ([`EidSource::IsdR`]).
//!
//! ```
//! # #[cfg(feature = "virtual-sim")] {
//! use simcore::euicc::{self, EidOptions};
//! use simcore::transport::Link;
//! use simcore::virtual_sim::{CardProfile, VirtualSim};
//!
//! let card = VirtualSim::from_profile(&CardProfile::euicc())?;
//! assert!(euicc::atr_announces_euicc(card.atr_bytes()));
//! let mut link = Link::new(card);
//! let reading = euicc::read_eid(&mut link, &EidOptions::DEFAULT)?;
//! assert!(reading.eid.check_digits_valid());
//! assert_eq!(link.apdu_count(), 5);
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod eid;
pub mod es10;
mod read;

pub use eid::Eid;
pub use read::{EidOptions, EidReading, EidSource, EuiccCommand, EuiccError, read_eid};

/// The AID of the ISD-R, the eUICC's root issuer security domain, which runs
/// the ES10 functions (GSMA SGP.02 §2.2.3, SGP.22 §2.2.1; pySim `AID_ISD_R`,
/// lpac `ISD_R_AID`).
pub const ISD_R_AID: [u8; 16] =
    [0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0x89, 0x00, 0x00, 0x01, 0x00];

/// The AID of the ECASD, the eUICC certificate authority security domain,
/// which answers GET DATA 5A with the EID on M2M eUICCs (GSMA SGP.02 §2.2.3;
/// pySim `AID_ECASD`).
pub const ECASD_AID: [u8; 16] =
    [0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0x89, 0x00, 0x00, 0x02, 0x00];

/// An ISD-R AID with a name for people (GSMA SGP.02 §2.2.3, SGP.22 §2.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IsdRAid<'a> {
    /// Who uses this AID ("GSMA", "5ber", …) (GSMA SGP.02 §2.2.3, SGP.22 §2.2.1).
    pub name: &'a str,
    /// The AID (GSMA SGP.02 §2.2.3, SGP.22 §2.2.1).
    pub aid: &'a [u8],
}

/// The ISD-R AIDs tried by default, in order: the GSMA one (SGP.22 §2.2.1),
/// then the removable eUICCs that answer at another AID. The list is the one
/// LPAs ship: EasyLPAC's `config.go` (5ber, eSIM.me, XeSIM) and OpenEUICC's
/// default list (eSTK.me SE0 and SE1).
pub const KNOWN_ISD_R_AIDS: [IsdRAid<'static>; 6] = [
    IsdRAid { name: "GSMA", aid: &ISD_R_AID },
    IsdRAid {
        name: "5ber",
        aid: &[
            0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0x89, 0x00, 0x05, 0x05, 0x00,
        ],
    },
    IsdRAid {
        name: "eSIM.me",
        aid: &[
            0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0x00, 0x00, 0x00, 0x00, 0x89, 0x00, 0x00, 0x03, 0x00,
        ],
    },
    IsdRAid {
        name: "XeSIM",
        aid: &[
            0xA0, 0x00, 0x00, 0x05, 0x59, 0x10, 0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0x89, 0x00, 0x00, 0x01, 0x77,
        ],
    },
    IsdRAid {
        name: "eSTK.me SE0",
        aid: &[
            0xA0, 0x65, 0x73, 0x74, 0x6B, 0x6D, 0x65, 0xFF, 0xFF, 0x49, 0x53, 0x44, 0x2D, 0x52, 0x20, 0x30,
        ],
    },
    IsdRAid {
        name: "eSTK.me SE1",
        aid: &[
            0xA0, 0x65, 0x73, 0x74, 0x6B, 0x6D, 0x65, 0xFF, 0xFF, 0x49, 0x53, 0x44, 0x2D, 0x52, 0x20, 0x31,
        ],
    },
];

/// Whether an ATR announces eUICC functions: the first TB after T=15 has b8
/// and b2 set (`82`, TS 102 221 table 6.7; resolved Q7). `false` for an ATR
/// that does not parse.
///
/// ```
/// // pySim's sysmoEUICC1-C2T (tests/pySim-shell_test/cardinfo): TB3 = 82.
/// let atr = simcore::hex::decode_heapless::<64>("3b9f96803f87828031e073fe211f574543753130136502")?;
/// assert!(simcore::euicc::atr_announces_euicc(&atr));
/// // Vector V01, a sysmoISIM-SJA2 UICC: no TB after T=15.
/// let atr = simcore::hex::decode_heapless::<64>("3B 9F 96 80 1F 87 80 31 E0 73 FE 21 1B 67 4A 4C 75 30 34 05 4B A9")?;
/// assert!(!simcore::euicc::atr_announces_euicc(&atr));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn atr_announces_euicc(atr: &[u8]) -> bool {
    crate::atr::Atr::parse(atr).is_ok_and(|atr| atr.is_euicc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ef::{Aid, Application};

    #[test]
    fn known_aids_are_the_published_hex() {
        // EasyLPAC config.go and OpenEUICC's list, as hex text.
        let published = [
            "A0000005591010FFFFFFFF8900000100",
            "A0000005591010FFFFFFFF8900050500",
            "A0000005591010000000008900000300",
            "A0000005591010FFFFFFFF8900000177",
            "A06573746B6D65FFFF4953442D522030",
            "A06573746B6D65FFFF4953442D522031",
        ];
        assert_eq!(KNOWN_ISD_R_AIDS.len(), published.len());
        for (known, text) in KNOWN_ISD_R_AIDS.iter().zip(published) {
            assert_eq!(known.aid, &crate::hex::decode(text).unwrap()[..], "{}", known.name);
            assert_eq!(Aid::new(known.aid).unwrap().application(), Application::IsdR);
        }
        // pySim's euicc.py: AID_ECASD.
        assert_eq!(&ECASD_AID[..], &crate::hex::decode("A0000005591010FFFFFFFF8900000200").unwrap()[..]);
        assert_eq!(Aid::new(&ECASD_AID).unwrap().application(), Application::Ecasd);
    }
}
