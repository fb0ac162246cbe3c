//! The ES10 commands this crate sends to an eUICC, and the answers it reads:
//! STORE DATA carrying an ES10x request (GSMA SGP.22 §5.7.2, GlobalPlatform
//! Card Specification §11.11), the GetEuiccData request and response (SGP.22
//! §5.7.20: `BF3E`, tag list `5C`, EID `5A`), and GET DATA of the EID from the
//! ECASD (GSMA SGP.02: `80 CA 00 5A`).
//!
//! | Field | STORE DATA (SGP.22 table 47) |
//! |---|---|
//! | CLA | `80`, with the logical channel (`81` on channel 1) |
//! | INS | `E2` |
//! | P1 | `91` for the last (or only) block, `11` for the others: BER-TLV data, b8 = last block |
//! | P2 | block number, from `00` |
//! | data | the request, in blocks of at most [`MAX_BLOCK`] bytes |
//!
//! ```
//! use simcore::euicc::es10::{self, StoreData};
//! // Vector V90 (pySim test_globalplatform.py, get_eid_cmd_plain).
//! let mut blocks = StoreData::new(&es10::GET_EID_REQUEST, 0).blocks();
//! let mut buf = [0u8; 16];
//! let bytes = blocks.next().unwrap().encode_into(&mut buf)?;
//! assert_eq!(bytes, &simcore::hex::decode_heapless::<16>("80 E2 91 00 06 BF 3E 03 5C 01 5A 00")?[..]);
//! assert!(blocks.next().is_none());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use super::eid::{EID_LEN, Eid};
use crate::apdu::Command;
use crate::apdu::channel::cla_for_channel;
use crate::codec::DecodeError;
use crate::codec::tlv::TlvIter;

/// INS of STORE DATA (GlobalPlatform Card Specification §11.11) and of GET
/// DATA (ISO/IEC 7816-4 §7.4.2; GlobalPlatform §11.3).
pub use crate::ins::{GET_DATA, STORE_DATA};
/// P1 of STORE DATA for a block that is not the last: BER-TLV data (b5)
/// (GlobalPlatform Card Specification §11.11).
pub const P1_MORE_BLOCKS: u8 = 0x11;
/// P1 of STORE DATA for the last (or only) block: b8 set (GlobalPlatform Card Specification §11.11).
pub const P1_LAST_BLOCK: u8 = 0x91;
/// The largest STORE DATA block this crate sends: 120 bytes, as the LPA lpac
/// does (estkme-group/lpac `euicc/euicc.c`), within every modem's AT+CSIM
/// limit (GSMA SGP.22 §5.7.2).
pub const MAX_BLOCK: usize = 120;

/// Tag of GetEuiccDataRequest and of its response (SGP.22 §5.7.20).
pub const TAG_GET_EUICC_DATA: u32 = 0xBF3E;
/// Tag of the tag list inside GetEuiccDataRequest (GSMA SGP.22 §5.7.20).
pub const TAG_TAG_LIST: u32 = 0x5C;
/// Tag of the EID (SGP.22 §5.7.20; SGP.02, the ECASD).
pub const TAG_EID: u32 = 0x5A;

/// GetEuiccDataRequest asking for the EID: `BF3E 03 { 5C 01 5A }` (SGP.22
/// §5.7.20, ES10c.GetEID).
pub const GET_EID_REQUEST: [u8; 6] = [0xBF, 0x3E, 0x03, 0x5C, 0x01, 0x5A];

/// An ES10x request cut into STORE DATA blocks (SGP.22 §5.7.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreData<'a> {
    data: &'a [u8],
    channel: u8,
    block: usize,
}

impl<'a> StoreData<'a> {
    /// `data` (an encoded ES10 request) sent on logical `channel` (0–19)
    /// in blocks of [`MAX_BLOCK`] bytes (GSMA SGP.22 §5.7.2).
    #[must_use]
    pub const fn new(data: &'a [u8], channel: u8) -> Self {
        StoreData { data, channel, block: MAX_BLOCK }
    }

    /// Use blocks of at most `block` bytes (1–255) (GSMA SGP.22 §5.7.2).
    #[must_use]
    pub const fn with_block_size(mut self, block: usize) -> Self {
        self.block = if block == 0 {
            1
        } else if block > 255 {
            255
        } else {
            block
        };
        self
    }

    /// The STORE DATA commands, in order (GSMA SGP.22 §5.7.2). The last one asks
    /// for the response (Ne = 256); the others carry no Le. An empty request is
    /// one block without data. A channel above 19 sends on the basic channel;
    /// more than 256 blocks (P2 is one byte) stop at the 256th.
    pub fn blocks(&self) -> impl Iterator<Item = Command<'a>> + use<'a> {
        let cla = cla_for_channel(0x80, self.channel).unwrap_or(0x80);
        let data = self.data;
        let count = data.len().div_ceil(self.block).clamp(1, 256);
        let block = self.block;
        (0..count).map(move |i| {
            let chunk = data.get(i * block..).unwrap_or_default();
            let chunk = chunk.get(..block).unwrap_or(chunk);
            let last = i + 1 == count;
            let p1 = if last { P1_LAST_BLOCK } else { P1_MORE_BLOCKS };
            let command = Command::new(cla, STORE_DATA, p1, u8::try_from(i).unwrap_or(u8::MAX));
            let command = command.with_data(chunk).unwrap_or(command);
            if last { command.with_ne(256).unwrap_or(command) } else { command }
        })
    }
}

/// GET DATA of the EID, sent to the ECASD on logical `channel` (GSMA SGP.02;
/// GlobalPlatform §11.3): `8n CA 00 5A` with Ne = 18, the length of `5A 10 <EID>`.
#[must_use]
pub fn get_eid_data(channel: u8) -> Command<'static> {
    let cla = cla_for_channel(0x80, channel).unwrap_or(0x80);
    let command = Command::new(cla, GET_DATA, 0x00, 0x5A);
    // 5A, 10, then the 16 bytes of the EID.
    command.with_ne(18).unwrap_or(command)
}

/// The EID in a GetEuiccData response `BF3E { 5A 10 <EID> }` (SGP.22
/// §5.7.20). Objects other than `5A` inside `BF3E` are skipped.
///
/// # Errors
/// [`DecodeError::Invalid`] when the response is not a `BF3E` object (at its
/// first byte); [`DecodeError::MissingTag`] without `5A`; the length of `5A`
/// when it is not 16 bytes; the TLV reader's and [`Eid::from_bytes`]'
/// errors. Offsets count from the start of the response.
///
/// ```
/// use simcore::euicc::es10::parse_get_euicc_data;
/// // Vector V101 (pySim test_globalplatform.py, get_eid_rsp_plain).
/// let rsp = simcore::hex::decode_heapless::<64>("BF3E125A1089882119900000000000000000000005")?;
/// assert_eq!(parse_get_euicc_data(&rsp)?.to_string(), "89882119900000000000000000000005");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn parse_get_euicc_data(response: &[u8]) -> Result<Eid, DecodeError> {
    let outer = TlvIter::new(response).next().ok_or(DecodeError::Truncated {
        what: "GetEuiccData response",
        offset: response.len(),
        needed: 2,
    })??;
    if outer.tag() != TAG_GET_EUICC_DATA {
        return Err(DecodeError::Invalid {
            what: "GetEuiccData response (tag BF3E)",
            offset: outer.offset(),
            found: response.get(outer.offset()).copied().unwrap_or_default(),
        });
    }
    let eid = outer.children()?.find(TAG_EID)?.ok_or(DecodeError::MissingTag {
        what: "EID",
        tag: 0x5A,
        offset: outer.value_offset() + outer.value().len(),
    })?;
    let bytes = eid.value_array::<EID_LEN>("EID length (16 bytes)")?;
    Eid::from_bytes(bytes).map_err(|e| e.shifted(eid.value_offset()))
}

/// The EID in the answer to GET DATA `5A` (SGP.02, the ECASD): the data object
/// `5A 10 <EID>`, or the 16 bytes alone as some cards send them (an EID's
/// first byte has a decimal high nibble, so it is never `5A`).
///
/// # Errors
/// As [`parse_get_euicc_data`], for the `5A` object.
pub fn parse_eid_data_object(response: &[u8]) -> Result<Eid, DecodeError> {
    if response.len() == EID_LEN && response.first() != Some(&0x5A) {
        return Eid::from_slice(response);
    }
    let object = TlvIter::new(response).next().ok_or(DecodeError::Truncated {
        what: "EID data object",
        offset: response.len(),
        needed: 2 + EID_LEN,
    })??;
    if object.tag() != TAG_EID {
        return Err(DecodeError::Invalid {
            what: "EID data object (tag 5A)",
            offset: object.offset(),
            found: response.get(object.offset()).copied().unwrap_or_default(),
        });
    }
    let bytes = object.value_array::<EID_LEN>("EID length (16 bytes)")?;
    Eid::from_bytes(bytes).map_err(|e| e.shifted(object.value_offset()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hex::decode;
    use std::string::ToString;

    #[test]
    fn vector_v90_on_a_logical_channel() {
        let mut buf = [0u8; 16];
        let command = StoreData::new(&GET_EID_REQUEST, 1).blocks().next().unwrap();
        assert_eq!(
            command.encode_into(&mut buf).unwrap(),
            &decode("81 E2 91 00 06 BF 3E 03 5C 01 5A 00").unwrap()[..]
        );
        assert_eq!(get_eid_data(1).encode_into(&mut buf).unwrap(), &[0x81, 0xCA, 0x00, 0x5A, 0x12]);
    }

    #[test]
    fn blocks_of_120_bytes() {
        // lpac's chunking: P1 11 for every block but the last, 91 for the last, P2 counts.
        let data = [0x5Au8; 250];
        let blocks: heapless::Vec<Command<'_>, 4> = StoreData::new(&data, 0).blocks().collect();
        assert_eq!(blocks.len(), 3);
        let shape: heapless::Vec<(u8, u8, usize, Option<u32>), 4> =
            blocks.iter().map(|c| (c.p1(), c.p2(), c.data().len(), c.ne())).collect();
        assert_eq!(&shape[..], &[(0x11, 0, 120, None), (0x11, 1, 120, None), (0x91, 2, 10, Some(256))]);
        let one: heapless::Vec<Command<'_>, 2> = StoreData::new(&[], 0).blocks().collect();
        assert_eq!((one.len(), one[0].p1(), one[0].data().len()), (1, 0x91, 0));
        let small: heapless::Vec<Command<'_>, 8> =
            StoreData::new(&data[..10], 0).with_block_size(4).blocks().collect();
        assert_eq!(small.len(), 3);
    }

    #[test]
    fn responses() {
        // V101 with extra objects before 5A, which are skipped.
        let rsp = decode("BF3E1580015A5A1089882119900000000000000000000005").unwrap();
        assert_eq!(parse_get_euicc_data(&rsp).unwrap().to_string(), "89882119900000000000000000000005");
        assert_eq!(
            parse_get_euicc_data(&decode("BF2003800100").unwrap()),
            Err(DecodeError::Invalid { what: "GetEuiccData response (tag BF3E)", offset: 0, found: 0xBF })
        );
        assert_eq!(
            parse_get_euicc_data(&decode("BF3E03800100").unwrap()),
            Err(DecodeError::MissingTag { what: "EID", tag: 0x5A, offset: 6 })
        );
        assert_eq!(
            parse_get_euicc_data(&decode("BF3E035A0189").unwrap()),
            Err(DecodeError::Invalid { what: "EID length (16 bytes)", offset: 4, found: 1 })
        );
        assert_eq!(
            parse_get_euicc_data(&decode("BF3E125A108988211990000000000000000000000A").unwrap()),
            Err(DecodeError::Invalid { what: "EID digit", offset: 20, found: 0x0A })
        );
        assert!(matches!(parse_get_euicc_data(&[]), Err(DecodeError::Truncated { .. })));
        // GET DATA 5A: the object, or the bare 16 bytes.
        let object = decode("5A1089049044900000000000000000102355").unwrap();
        assert_eq!(parse_eid_data_object(&object).unwrap().to_string(), "89049044900000000000000000102355");
        assert_eq!(
            parse_eid_data_object(&object[2..]).unwrap().to_string(),
            "89049044900000000000000000102355"
        );
        assert!(matches!(
            parse_eid_data_object(&decode("4F0100").unwrap()),
            Err(DecodeError::Invalid { .. })
        ));
    }
}
