//! Reading and updating file contents: READ / UPDATE BINARY and RECORD by
//! the current EF or a short file identifier, and GET RESPONSE (TS 51.011
//! §9.2.3–§9.2.6, TS 102 221 §11.1.3–§11.1.6, ISO/IEC 7816-4 §7.6.1).

use super::{Card, Cmd, Data, LinkMode, Reply, sw};
use crate::profile::Profile;
use crate::sw::StatusWord;
use crate::virtual_sim::files::{Body, FsError, NodeId, RecordMode, Structure};

impl Card {
    /// The EF a READ/UPDATE names: by SFI (UICC, selecting it) or the current EF.
    fn target_ef(&mut self, sfi: Option<u8>) -> Result<NodeId, StatusWord> {
        let sws = self.sws();
        match sfi {
            Some(sfi) => {
                let id = self.tree.by_sfi(self.current_df, sfi).ok_or(sws.file_not_found)?;
                self.select_node(id);
                Ok(id)
            }
            None => self.current_ef.ok_or(sws.no_ef),
        }
    }

    fn fs_error(&self, error: FsError) -> StatusWord {
        let sws = self.sws();
        match error {
            FsError::NotFound => sws.file_not_found,
            FsError::WrongStructure => sws.wrong_structure,
            FsError::OffsetOutOfRange => sws.out_of_range,
            FsError::LengthOutOfRange { available }
            | FsError::WrongRecordLength { record_len: available } => self.wrong_length(available),
            FsError::RecordNotFound => sws.record_not_found,
        }
    }

    /// Binary addressing: SIM offset P1P2; UICC P1 b8 = 1 → SFI in b5–b1 and
    /// offset P2, else a 15-bit offset (TS 102 221 §11.1.3.2).
    fn binary_address(&self, cmd: &Cmd<'_>) -> Result<(Option<u8>, usize), StatusWord> {
        let offset = usize::from(u16::from_be_bytes([cmd.p1, cmd.p2]));
        if self.personality == Profile::Sim || cmd.p1 & 0x80 == 0 {
            return Ok((None, offset));
        }
        let sfi = cmd.p1 & 0x1F;
        if cmd.p1 & 0x60 != 0 || sfi == 0 || sfi == 0x1F {
            return Err(self.sws().bad_p1_p2);
        }
        Ok((Some(sfi), usize::from(cmd.p2)))
    }

    fn checked_body(&mut self, sfi: Option<u8>, update: bool) -> Result<NodeId, StatusWord> {
        let id = self.target_ef(sfi)?;
        let body = self.tree.body(id).ok_or(self.sws().no_ef)?;
        let access = if update { body.update_access() } else { body.read_access() };
        if !self.codes.granted(access) {
            return Err(self.sws().security);
        }
        Ok(id)
    }

    pub(super) fn read_binary(&mut self, cmd: &Cmd<'_>) -> Reply {
        let result = self.binary_address(cmd).and_then(|(sfi, offset)| {
            let id = self.target_binary(sfi)?;
            let body = self.tree.body(id).ok_or(self.sws().no_ef)?;
            let bytes = body.read_binary_to_end(offset).map_err(|e| self.fs_error(e))?;
            self.scratch.extend_from_slice(bytes);
            Ok(())
        });
        match result {
            Ok(()) => (StatusWord::SUCCESS, Data::Read { exact: false }),
            Err(word) => sw(word),
        }
    }

    /// The EF of a binary command with its structure checked before access.
    fn target_binary(&mut self, sfi: Option<u8>) -> Result<NodeId, StatusWord> {
        let id = self.target_ef(sfi)?;
        if self.tree.body(id).is_some_and(|b| b.structure() != Structure::Transparent) {
            return Err(self.sws().wrong_structure);
        }
        self.checked_body(None, false).map(|_| id)
    }

    pub(super) fn update_binary(&mut self, cmd: &Cmd<'_>) -> Reply {
        if cmd.data.is_empty() {
            return sw(self.wrong_length(0));
        }
        let result = self.binary_address(cmd).and_then(|(sfi, offset)| {
            let id = self.target_ef(sfi)?;
            if self.tree.body(id).is_some_and(|b| b.structure() != Structure::Transparent) {
                return Err(self.sws().wrong_structure);
            }
            let id = self.checked_body(None, true)?;
            let error = self.tree.body_mut(id).map(|b| b.update_binary(offset, cmd.data));
            match error {
                Some(Ok(())) => Ok(()),
                Some(Err(FsError::LengthOutOfRange { .. })) if self.personality == Profile::Uicc => {
                    Err(StatusWord::WRONG_LENGTH)
                }
                Some(Err(e)) => Err(self.fs_error(e)),
                None => Err(self.sws().no_ef),
            }
        });
        match result {
            Ok(()) => {
                self.changed = true;
                sw(StatusWord::SUCCESS)
            }
            Err(word) => sw(word),
        }
    }

    /// Record addressing: P2 b3–b1 mode (02 next, 03 previous, 04 absolute or
    /// current), on a UICC b8–b4 an SFI (TS 51.011 §9.2.5, TS 102 221 §11.1.5).
    fn record_address(&self, cmd: &Cmd<'_>) -> Result<(Option<u8>, RecordMode), StatusWord> {
        let sws = self.sws();
        let (sfi, mode) =
            if self.personality == Profile::Sim { (0, cmd.p2) } else { (cmd.p2 >> 3, cmd.p2 & 0x07) };
        let mode = match (mode, cmd.p1) {
            (0x02, 0) => RecordMode::Next,
            (0x03, 0) => RecordMode::Previous,
            (0x04, 0) => RecordMode::Current,
            (0x04, n) if n != 0xFF => RecordMode::Absolute(n),
            _ => return Err(sws.bad_p1_p2),
        };
        if sfi == 0x1F {
            return Err(sws.bad_p1_p2);
        }
        Ok(((sfi != 0).then_some(sfi), mode))
    }

    fn target_records(&mut self, sfi: Option<u8>, update: bool) -> Result<NodeId, StatusWord> {
        let id = self.target_ef(sfi)?;
        if self.tree.body(id).is_some_and(|b| b.structure() == Structure::Transparent) {
            return Err(self.sws().wrong_structure);
        }
        self.checked_body(None, update)
    }

    pub(super) fn read_record(&mut self, cmd: &Cmd<'_>) -> Reply {
        let result = self.record_address(cmd).and_then(|(sfi, mode)| {
            let id = self.target_records(sfi, false)?;
            let body = self.tree.body(id).ok_or(self.sws().no_ef)?;
            let number = body.resolve(mode, self.current_record).map_err(|e| self.fs_error(e))?;
            let record = body.record(number).map_err(|e| self.fs_error(e))?;
            // A READ RECORD that does not run (its length refused) moves
            // nothing (TS 102 221 §11.1.5, TS 51.011 §9.2.5).
            if mode.moves_pointer() && self.read_runs(record.len(), true, cmd.ne) {
                self.current_record = Some(number);
            }
            self.scratch.extend_from_slice(record);
            Ok(())
        });
        match result {
            Ok(()) => (StatusWord::SUCCESS, Data::Read { exact: true }),
            Err(word) => sw(word),
        }
    }

    pub(super) fn update_record(&mut self, cmd: &Cmd<'_>) -> Reply {
        let sws = self.sws();
        let result = self.record_address(cmd).and_then(|(sfi, mode)| {
            let id = self.target_records(sfi, true)?;
            let current = self.current_record;
            let record_len = self.tree.body(id).map_or(0, Body::record_len);
            if cmd.data.len() != record_len {
                return Err(self.wrong_length(record_len));
            }
            let body = self.tree.body_mut(id).ok_or(sws.no_ef)?;
            let number = if body.structure() == Structure::Cyclic {
                // Only PREVIOUS on a cyclic EF (TS 51.011 §9.2.6): the oldest
                // record is written and becomes record 1, where the pointer goes.
                if mode != RecordMode::Previous {
                    return Err(sws.bad_p1_p2);
                }
                body.push_cyclic(cmd.data).map(|()| Some(1))
            } else {
                body.resolve(mode, current)
                    .and_then(|n| body.update_record(n, cmd.data).map(|()| mode.moves_pointer().then_some(n)))
            };
            number.map_err(|e| {
                if e == FsError::RecordNotFound { sws.record_not_found } else { sws.wrong_structure }
            })
        });
        match result {
            Ok(moved_to) => {
                if let Some(number) = moved_to {
                    self.current_record = Some(number);
                }
                self.changed = true;
                sw(StatusWord::SUCCESS)
            }
            Err(word) => sw(word),
        }
    }

    pub(super) fn get_response(&mut self, cmd: &Cmd<'_>) -> Reply {
        if (cmd.p1, cmd.p2) != (0, 0) {
            return sw(self.sws().wrong_p1_p2);
        }
        if self.pending.is_empty() || self.pending_channel != self.active {
            // TS 102 221 §12.1.1: nothing to get (not right after the command,
            // or on another logical channel).
            return sw(StatusWord::NO_PRECISE_DIAGNOSIS);
        }
        let available = self.pending.len();
        let ne = cmd.ne.unwrap_or(256);
        let take = match (self.link, cmd.ne) {
            // An APDU's Le 00 (T=1): all there is. On T=0, P3 must match.
            (LinkMode::T1, None | Some(256 | 65_536)) if available <= 256 => available,
            _ if ne <= available => ne,
            // Keep the data for the resend with the right length.
            _ => return sw(self.wrong_length_le(available)),
        };
        self.scratch.extend(self.pending.drain(..take));
        let rest = self.pending.len();
        if rest > 0 && self.personality == Profile::Uicc {
            // ISO/IEC 7816-4 §7.6.1: more data behind 61XX.
            let word = StatusWord::response_available(u16::try_from(rest).unwrap_or(0));
            return (word, Data::Read { exact: false });
        }
        self.pending.clear();
        (StatusWord::SUCCESS, Data::Read { exact: false })
    }

    /// 6C XX (UICC) or 67 XX (SIM) naming the available length.
    fn wrong_length_le(&self, available: usize) -> StatusWord {
        let len = u16::try_from(available).unwrap_or(0);
        if self.personality == Profile::Sim {
            StatusWord::new(0x67, len.to_be_bytes()[1])
        } else {
            StatusWord::wrong_le(len)
        }
    }
}
