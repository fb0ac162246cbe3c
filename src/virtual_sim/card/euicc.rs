//! The eUICC's security domains: SELECT of the ISD-R and the ECASD by AID,
//! STORE DATA with ES10c GetEuiccData (GSMA SGP.22 §5.7.2, §5.7.20) and GET
//! DATA 5A (GSMA SGP.02).

use super::{Applet, Card, Cmd, Data, Reply, sw};
use crate::codec::tlv::{TlvIter, TlvWriter};
use crate::sw::StatusWord;

impl Card {
    /// The security domain `aid` names exactly, on an eUICC.
    pub(super) fn applet_for(&self, aid: &[u8]) -> Option<Applet> {
        let euicc = self.euicc.as_ref()?;
        if euicc.isd_r_aid.as_deref() == Some(aid) {
            return Some(Applet::IsdR);
        }
        (euicc.ecasd && aid == crate::euicc::ECASD_AID).then_some(Applet::Ecasd)
    }

    /// Another application takes the active channel's place: unless another
    /// channel still has the ADF current, its local PIN (key reference 81)
    /// is no longer verified. Only the universal PIN and the global ones keep
    /// their state across application termination (TS 102 221 §9.4.1).
    fn end_application(&mut self) {
        let Some(adf) = self.current_adf else { return };
        let active = self.active;
        let elsewhere = self
            .channels
            .iter()
            .enumerate()
            .any(|(n, state)| n != active && state.is_some_and(|s| s.adf == Some(adf)));
        if !elsewhere {
            self.codes.pin2.reset_security();
        }
    }

    /// SELECT of a security domain (GlobalPlatform §11.9): P2 00 (FCI, as
    /// GlobalPlatform asks) or 04 return `6F {84 AID}`; 0C returns nothing.
    pub(super) fn select_applet(&mut self, applet: Applet, cmd: &Cmd<'_>) -> Reply {
        if !matches!(cmd.p2, 0x00 | 0x04 | 0x0C) {
            return sw(StatusWord::INCORRECT_P1_P2);
        }
        self.end_application();
        self.applet = Some(applet);
        self.current_ef = None;
        self.current_record = None;
        if cmd.p2 == 0x0C {
            return sw(StatusWord::SUCCESS);
        }
        let mut buf = [0u8; 24];
        let mut w = TlvWriter::new(&mut buf);
        if w.nested(0x6F, |w| w.put(0x84, cmd.data)).is_ok() {
            self.scratch.extend_from_slice(w.as_bytes());
        }
        (StatusWord::SUCCESS, Data::Deferred)
    }

    /// STORE DATA to the ISD-R (GSMA SGP.22 §5.7.2): P1 11 for a block with
    /// more to come, 91 for the last; P2 numbers the blocks from 00. The
    /// request is answered once complete.
    pub(super) fn store_data(&mut self, cmd: &Cmd<'_>) -> Reply {
        if self.applet != Some(Applet::IsdR) {
            return sw(StatusWord::INS_NOT_SUPPORTED);
        }
        if cmd.p1 & 0x7F != 0x11 {
            return sw(StatusWord::INCORRECT_P1_P2);
        }
        if cmd.p2 == 0 {
            self.store_data.clear();
        } else if self.store_next != Some(cmd.p2) {
            self.store_data.clear();
            self.store_next = None;
            return sw(StatusWord::INCORRECT_P1_P2);
        }
        if self.store_data.len() + cmd.data.len() > 4096 {
            self.store_data.clear();
            self.store_next = None;
            return sw(StatusWord::NOT_ENOUGH_MEMORY);
        }
        self.store_data.extend_from_slice(cmd.data);
        if cmd.p1 & 0x80 == 0 {
            self.store_next = cmd.p2.checked_add(1);
            return sw(StatusWord::SUCCESS);
        }
        self.store_next = None;
        let request = core::mem::take(&mut self.store_data);
        let reply = self.es10_request(&request);
        self.store_data = request;
        self.store_data.clear();
        reply
    }

    /// Answer an ES10 request: GetEuiccData `BF3E {5C tag list}` (SGP.22
    /// §5.7.20) gets `BF3E {5A EID}` when the list asks for 5A; other
    /// functions are not implemented (6A 88), malformed requests get 6A 80.
    fn es10_request(&mut self, request: &[u8]) -> Reply {
        let Some(eid) = self.euicc.as_ref().map(|e| e.eid) else { return sw(StatusWord::INS_NOT_SUPPORTED) };
        let Some(Ok(object)) = TlvIter::new(request).next() else { return sw(StatusWord::WRONG_DATA) };
        if object.tag() != crate::euicc::es10::TAG_GET_EUICC_DATA {
            return sw(StatusWord::REFERENCED_DATA_NOT_FOUND);
        }
        let tag_list = match object.children().map(|c| c.find(crate::euicc::es10::TAG_TAG_LIST)) {
            Ok(Ok(Some(list))) => list.value(),
            _ => return sw(StatusWord::WRONG_DATA),
        };
        let mut buf = [0u8; 32];
        let mut w = TlvWriter::new(&mut buf);
        let written = w.nested(crate::euicc::es10::TAG_GET_EUICC_DATA, |w| {
            if tag_list.contains(&0x5A) { w.put(crate::euicc::es10::TAG_EID, &eid) } else { Ok(()) }
        });
        if written.is_err() {
            return sw(StatusWord::NO_PRECISE_DIAGNOSIS);
        }
        self.scratch.extend_from_slice(w.as_bytes());
        (StatusWord::SUCCESS, Data::Deferred)
    }

    /// GET DATA 5A to the ECASD (GSMA SGP.02): `5A 10 <EID>`.
    pub(super) fn get_data(&mut self, cmd: &Cmd<'_>) -> Reply {
        let eid = match (self.applet, self.euicc.as_ref()) {
            (Some(Applet::Ecasd), Some(euicc)) => euicc.eid,
            _ => return sw(StatusWord::REFERENCED_DATA_NOT_FOUND),
        };
        if (cmd.p1, cmd.p2) != (0x00, 0x5A) {
            return sw(StatusWord::REFERENCED_DATA_NOT_FOUND);
        }
        self.scratch.extend_from_slice(&[0x5A, 0x10]);
        self.scratch.extend_from_slice(&eid);
        (StatusWord::SUCCESS, Data::Read { exact: false })
    }
}
