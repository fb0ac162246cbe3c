//! MANAGE CHANNEL: opening and closing the UICC's logical channels (TS 102
//! 221 §11.1.17).

use super::{CHANNELS, Card, ChannelState, Cmd, Data, Reply, sw};
use crate::profile::Profile;
use crate::sw::StatusWord;

impl Card {
    /// MANAGE CHANNEL (TS 102 221 §11.1.17): P1 00 opens (P2 00: the card
    /// chooses and returns the number; P2 1–3: that channel), P1 80 closes
    /// channel P2. A channel opened from the basic channel starts at the MF;
    /// one opened from another channel starts where that one is.
    pub(super) fn manage_channel(&mut self, cmd: &Cmd<'_>) -> Reply {
        if self.personality == Profile::Sim {
            return sw(StatusWord::LOGICAL_CHANNEL_NOT_SUPPORTED);
        }
        let requested = usize::from(cmd.p2);
        match (cmd.p1, requested) {
            (0x00, 0) | (0x00, 1..CHANNELS) => {
                let chosen = if requested == 0 {
                    (1..CHANNELS).find(|&n| !self.is_channel_open(u8::try_from(n).unwrap_or(u8::MAX)))
                } else {
                    Some(requested).filter(|&n| !self.is_channel_open(cmd.p2) && n != 0)
                };
                let Some(channel) = chosen else { return sw(StatusWord::FUNCTION_NOT_SUPPORTED) };
                if requested == 0 && !self.read_runs(1, false, cmd.ne) {
                    // The channel number's length is refused: the command
                    // does not run, no channel opens (ISO/IEC 7816-3 §10.3.3).
                    return sw(StatusWord::wrong_le(1));
                }
                let mf = self.tree.mf();
                let start = if self.active == 0 {
                    ChannelState { df: mf, ef: None, record: None, adf: None, applet: None }
                } else {
                    ChannelState { ef: None, record: None, ..self.state() }
                };
                if let Some(slot) = self.channels.get_mut(channel) {
                    *slot = Some(start);
                }
                if requested == 0 {
                    self.scratch.push(u8::try_from(channel).unwrap_or(0));
                    return (StatusWord::SUCCESS, Data::Read { exact: false });
                }
                sw(StatusWord::SUCCESS)
            }
            (0x80, 1..CHANNELS) => {
                if !self.is_channel_open(cmd.p2) {
                    return sw(StatusWord::LOGICAL_CHANNEL_NOT_SUPPORTED);
                }
                if let Some(slot) = self.channels.get_mut(requested) {
                    *slot = None;
                }
                if self.active == requested {
                    // Closed the channel the command came on: back to the basic one.
                    if let Some(basic) = self.channels.first().copied().flatten() {
                        self.load(basic);
                    }
                    self.active = 0;
                }
                self.store_data.clear();
                self.store_next = None;
                sw(StatusWord::SUCCESS)
            }
            _ => sw(StatusWord::INCORRECT_P1_P2),
        }
    }
}
