//! Selection and STATUS of the virtual card: which file a FID, a path or
//! an AID names from the current DF (TS 51.011 §6.5, TS 102 221 §8.4 and
//! §11.1.1), and the response that describes it (TS 51.011 §9.2.1, TS 102
//! 221 §11.1.1.3, §11.1.2).

use super::{CURRENT_ADF, Card, Cmd, Data, Reply, encode, sw};
use crate::profile::Profile;
use crate::sw::StatusWord;
use crate::virtual_sim::files::{Kind, NodeId};
use std::vec::Vec;

impl Card {
    /// The file a FID names from the current DF (TS 51.011 §6.5, TS 102 221
    /// §8.4.1): the MF; the current ADF (7FFF, UICC); a child of the current
    /// DF; the current DF; its parent; a DF beside it.
    fn find_fid(&self, fid: u16) -> Option<NodeId> {
        let tree = &self.tree;
        if fid == crate::virtual_sim::files::MF {
            return Some(tree.mf());
        }
        if fid == CURRENT_ADF && self.personality == Profile::Uicc {
            return self.current_adf;
        }
        let df = self.current_df;
        let parent = tree.node(df).and_then(crate::virtual_sim::files::Node::parent);
        tree.child(df, fid)
            .or_else(|| tree.node(df).filter(|n| n.fid() == fid).map(|_| df))
            .or_else(|| parent.filter(|&p| tree.node(p).is_some_and(|n| n.fid() == fid)))
            .or_else(|| {
                parent.and_then(|p| tree.child(p, fid)).filter(|&s| tree.node(s).is_some_and(|n| n.is_df()))
            })
    }

    pub(super) fn select_node(&mut self, id: NodeId) {
        self.applet = None;
        let is_df = self.tree.node(id).is_some_and(crate::virtual_sim::files::Node::is_df);
        if is_df {
            self.current_df = id;
            self.current_ef = None;
            if matches!(
                self.tree.node(id).map(crate::virtual_sim::files::Node::kind),
                Some(Kind::Df { aid: Some(_) })
            ) {
                self.current_adf = Some(id);
            }
        } else {
            self.current_df = self.tree.df_of(id);
            self.current_ef = Some(id);
        }
        self.current_record = None;
        // Leaving an ADF for the MF or DF_TELECOM keeps it the current application.
    }

    pub(super) fn select(&mut self, cmd: &Cmd<'_>) -> Reply {
        let sws = self.sws();
        let fid = |data: &[u8]| data.first_chunk::<2>().map(|b| u16::from_be_bytes(*b));
        let path = |data: &[u8]| -> Vec<u16> {
            data.chunks_exact(2)
                .filter_map(|c| c.first_chunk::<2>().map(|b| u16::from_be_bytes(*b)))
                .collect()
        };
        let (target, fcp) = if self.personality == Profile::Sim {
            if (cmd.p1, cmd.p2) != (0, 0) {
                return sw(sws.wrong_p1_p2);
            }
            if cmd.data.len() != 2 {
                return sw(self.wrong_length(2));
            }
            (fid(cmd.data).and_then(|f| self.find_fid(f)), true)
        } else {
            if let (0x04, Some(applet)) = (cmd.p1, self.applet_for(cmd.data)) {
                return self.select_applet(applet, cmd);
            }
            let fcp = match (cmd.p1, cmd.p2) {
                (_, 0x04) => true,
                (_, 0x0C) => false,
                // GlobalPlatform's SELECT by AID with P2 00 (FCI), as LPAs send it
                // to the ISD-R: RFU in TS 102 221, accepted as "return the FCP".
                (0x04, 0x00) => true,
                _ => return sw(sws.bad_p1_p2),
            };
            let len = cmd.data.len();
            let length_ok = match cmd.p1 {
                0x00 => len == 2 || len == 0,
                0x01 => len == 2,
                0x03 => len == 0,
                0x04 => (1..=16).contains(&len),
                0x08 | 0x09 => len >= 2 && len.is_multiple_of(2),
                _ => return sw(sws.bad_p1_p2),
            };
            if !length_ok {
                return sw(StatusWord::WRONG_LENGTH);
            }
            let tree = &self.tree;
            let target = match cmd.p1 {
                0x00 if len == 0 => Some(tree.mf()),
                0x00 => fid(cmd.data).and_then(|f| self.find_fid(f)),
                0x01 => fid(cmd.data)
                    .and_then(|f| tree.child(self.current_df, f))
                    .filter(|&c| tree.node(c).is_some_and(crate::virtual_sim::files::Node::is_df)),
                0x03 => tree.node(self.current_df).and_then(crate::virtual_sim::files::Node::parent),
                0x04 => tree.by_aid(cmd.data),
                0x08 => {
                    let path = path(cmd.data);
                    match path.split_first() {
                        Some((&CURRENT_ADF, rest)) => self.current_adf.and_then(|adf| tree.walk(adf, rest)),
                        _ => tree.walk(tree.mf(), &path),
                    }
                }
                _ => tree.walk(self.current_df, &path(cmd.data)),
            };
            (target, fcp)
        };
        let Some(target) = target else { return sw(sws.file_not_found) };
        self.select_node(target);
        if !fcp {
            return sw(StatusWord::SUCCESS);
        }
        self.describe(target);
        (StatusWord::SUCCESS, Data::Deferred)
    }

    /// The SELECT response of `id` into `scratch`.
    fn describe(&mut self, id: NodeId) {
        let Some(node) = self.tree.node(id) else { return };
        let fid = node.fid();
        let codes = self.codes.status();
        let in_application = self.within_application(id);
        let out = &mut self.scratch;
        if self.personality == Profile::Sim {
            match self.tree.body(id) {
                Some(body) => encode::gsm_ef(out, fid, body),
                None => encode::gsm_df(out, fid, id == self.tree.mf(), self.tree.child_counts(id), &codes),
            }
            return;
        }
        match (node.kind(), self.tree.body(id)) {
            (Kind::Ef { sfi, .. }, Some(body)) => {
                let rule = Some((body.read_access(), body.update_access()));
                let record = self.arr.iter().position(|r| *r == rule).map_or(1, |i| i + 1);
                encode::fcp_ef(out, fid, *sfi, body, u8::try_from(record).unwrap_or(1));
            }
            (kind, _) => encode::fcp_df(out, fid, kind, 1, &codes, in_application),
        }
    }

    pub(super) fn status(&mut self, cmd: &Cmd<'_>) -> Reply {
        let sws = self.sws();
        let df = self.current_df;
        if self.personality == Profile::Sim {
            if (cmd.p1, cmd.p2) != (0, 0) {
                return sw(sws.wrong_p1_p2);
            }
            self.describe(df);
            return (StatusWord::SUCCESS, Data::Read { exact: false });
        }
        if cmd.p1 > 0x02 {
            return sw(sws.bad_p1_p2);
        }
        match cmd.p2 {
            0x00 => {
                self.describe(df);
                (StatusWord::SUCCESS, Data::Read { exact: false })
            }
            0x01 => {
                let aid = self.current_adf.and_then(|adf| {
                    match self.tree.node(adf).map(crate::virtual_sim::files::Node::kind) {
                        Some(Kind::Df { aid: Some(aid) }) => Some(aid.clone()),
                        _ => None,
                    }
                });
                let Some(aid) = aid else { return sw(StatusWord::REFERENCED_DATA_NOT_FOUND) };
                self.scratch.push(0x84);
                self.scratch.push(u8::try_from(aid.len()).unwrap_or(0));
                self.scratch.extend_from_slice(&aid);
                (StatusWord::SUCCESS, Data::Read { exact: false })
            }
            0x0C => sw(StatusWord::SUCCESS),
            _ => sw(sws.bad_p1_p2),
        }
    }
}
