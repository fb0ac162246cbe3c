//! The PIN commands: VERIFY, CHANGE, DISABLE, ENABLE and UNBLOCK against the
//! card's codes, with the key reference P2 names (TS 51.011 §9.2.9–§9.2.13,
//! TS 102 221 §11.1.9–§11.1.13, table 9.3).

use super::{Card, Cmd, Reply, sw};
use crate::ins;
use crate::profile::Profile;
use crate::sw::StatusWord;
use crate::virtual_sim::pin::{CODE_LEN, KeyRef, Outcome};

impl Card {
    /// Which code P2 names for this instruction (resolved.md Q3 for the SIM;
    /// TS 102 221 table 9.3 key references for the UICC). A UICC's local
    /// PIN2 (81) exists only within its application (TS 102 221 §9.4): with
    /// the MF, DF_GSM or DF_TELECOM current it is referenced data not found
    /// (6A 88).
    fn key_ref(&self, cmd: &Cmd<'_>) -> Result<KeyRef, StatusWord> {
        let sim = self.personality == Profile::Sim;
        let key = match (sim, cmd.ins, cmd.p2) {
            (true, ins::UNBLOCK, 0x00)
            | (true, ins::VERIFY | ins::CHANGE | ins::DISABLE | ins::ENABLE, 0x01) => Some(KeyRef::Pin1),
            (true, ins::UNBLOCK | ins::VERIFY | ins::CHANGE, 0x02) => Some(KeyRef::Pin2),
            (true, ins::VERIFY, 0x0A) | (false, ins::VERIFY, 0x0A) => Some(KeyRef::Adm),
            (false, _, 0x01) => Some(KeyRef::Pin1),
            (false, _, 0x81) if self.within_application(self.current_df) => Some(KeyRef::Pin2),
            _ => None,
        };
        match key {
            Some(key) if cmd.p1 == 0 => Ok(key),
            _ if sim || cmd.p1 != 0 => Err(StatusWord::WRONG_P1_P2),
            _ => Err(StatusWord::REFERENCED_DATA_NOT_FOUND),
        }
    }

    pub(super) fn pin_command(&mut self, cmd: &Cmd<'_>) -> Reply {
        let key = match self.key_ref(cmd) {
            Ok(key) => key,
            Err(word) => return sw(word),
        };
        let sim = self.personality == Profile::Sim;
        let len = cmd.data.len();
        // Lengths: 8 (VERIFY, DISABLE, ENABLE), 16 (CHANGE, UNBLOCK); a UICC
        // also takes an empty VERIFY / UNBLOCK as a counter query.
        let expected = if matches!(cmd.ins, ins::CHANGE | ins::UNBLOCK) { 2 * CODE_LEN } else { CODE_LEN };
        let query = len == 0 && !sim && matches!(cmd.ins, ins::VERIFY | ins::UNBLOCK);
        if len != expected && !query {
            return sw(self.wrong_length(expected));
        }
        let (first, second) = cmd.data.split_at_checked(CODE_LEN).unwrap_or((cmd.data, &[]));
        let new = second.first_chunk::<CODE_LEN>();
        let check_format = !sim;
        let chv = self.codes.get_mut(key);
        let outcome = match (cmd.ins, new) {
            (ins::VERIFY, _) => chv.verify((!query).then_some(first)),
            (ins::CHANGE, Some(new)) => chv.change(first, new, check_format),
            (ins::DISABLE, _) => chv.disable(first),
            (ins::ENABLE, _) => chv.enable(first),
            (ins::UNBLOCK, new) if query || new.is_some() => {
                chv.unblock_with(new.map(|n| (first, n)), check_format)
            }
            _ => return sw(self.wrong_length(expected)),
        };
        if matches!(outcome, Outcome::Done | Outcome::Wrong(_)) {
            self.changed = true;
        }
        let sws = self.sws();
        sw(match outcome {
            Outcome::Done => StatusWord::SUCCESS,
            Outcome::Wrong(left) if !sim => StatusWord::attempts_left(left),
            Outcome::Wrong(0) => StatusWord::SIM_CHV_BLOCKED,
            Outcome::Wrong(_) => StatusWord::SIM_ACCESS_CONDITION_NOT_FULFILLED,
            Outcome::AttemptsLeft(left) => StatusWord::attempts_left(left),
            Outcome::Blocked => sws.blocked,
            Outcome::Contradiction => sws.contradiction,
            Outcome::BadFormat => StatusWord::WRONG_DATA,
        })
    }
}
