//! The command dispatcher of the virtual card: one raw command in, one raw
//! response out, in the personality of a classic SIM (3GPP TS 51.011 §9: CLA
//! A0, 9FXX, 98XX) or of a UICC (ETSI TS 102 221 §10–§11: CLA 00/80, FCP, 61XX,
//! 63CX, 69XX).
//!
//! This module owns the reading of a command (class, instruction, the TPDU
//! or APDU lengths), the order of the checks (class, instruction,
//! parameters, length, state, security), the dispatch, the selection state of each logical
//! channel (TS 102 221 §11.1.17: the basic channel and three others, as the
//! default ATR's card capabilities announce) and the response-length rules of
//! the two links. The commands themselves are answered in sub-modules, one
//! per group of TS 102 221 §11.1 / TS 51.011 §9.2: `select` (SELECT,
//! STATUS), `content` (READ / UPDATE BINARY and RECORD, GET RESPONSE),
//! `codes` (VERIFY, CHANGE, DISABLE, ENABLE, UNBLOCK), `channels` (MANAGE
//! CHANNEL) and `euicc`: a UICC can also be an eUICC ([`EuiccApplets`]),
//! whose ISD-R answers STORE DATA with ES10c GetEuiccData (GSMA SGP.22
//! §5.7.20) and whose ECASD answers GET DATA 5A (SGP.02), each once selected
//! by AID on some channel.
//!
//! - [`LinkMode::T0`] reads every command as a T=0 TPDU (ISO/IEC 7816-3 §12.2:
//!   CLA INS P1 P2 P3 + data). Response data of a command that sends data
//!   (SELECT) waits for GET RESPONSE behind 61XX (UICC) or 9FXX (SIM); a
//!   wrong P3 on a reading command gets 6CXX (UICC) or 67XX (SIM) with the
//!   right length.
//! - [`LinkMode::T1`] reads every command as an APDU (ISO/IEC 7816-4 §5.1):
//!   with Le, SELECT answers its FCP at once; Le 00 reads everything there is.
//!
//! No input makes it panic: every length and index is checked, and anything
//! unexpected gets a status word.

mod channels;
mod codes;
mod content;
mod euicc;
mod select;

use super::encode::{self, CodeStates};
use super::files::{Access, Body, FileTree, Kind, NodeId, Structure};
use super::pin::{Chv, KeyRef};
use crate::apdu::CommandView;
use crate::ins;
use crate::profile::Profile;
use crate::sw::StatusWord;
use std::vec::Vec;

/// The current application's DF in a path (TS 102 221 §8.4.2).
const CURRENT_ADF: u16 = crate::fs::Fid::CURRENT_ADF.0;

/// How commands arrive, ISO/IEC 7816-3 §10 (T=0) or §11 (T=1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum LinkMode {
    /// T=0 TPDUs: one length byte P3; data of case-4 commands through GET
    /// RESPONSE (61XX / 9FXX); 6CXX / 67XX on a wrong P3 (ISO/IEC 7816-3 §10, §12.2).
    #[default]
    T0,
    /// T=1-like: whole APDUs; response data returned with the command when
    /// Le is present (ISO/IEC 7816-3 §11, ISO/IEC 7816-4 §5.1).
    T1,
}

/// The codes of the card (TS 51.011 §9.2.9–§9.2.13, TS 102 221 §9.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Codes {
    /// CHV1 / PIN1 with UNBLOCK CHV1 / PUK1 (TS 51.011 §9.2.9–§9.2.13, TS 102 221 table 9.3).
    pub pin1: Chv,
    /// CHV2 / PIN2 with UNBLOCK CHV2 / PUK2 (TS 51.011 §9.2.9–§9.2.13, TS 102 221 table 9.3).
    pub pin2: Chv,
    /// ADM (ADM1), without an unblock code (TS 51.011 §9.3, TS 102 221 table 9.3).
    pub adm: Chv,
}

impl Codes {
    fn get_mut(&mut self, key: KeyRef) -> &mut Chv {
        match key {
            KeyRef::Pin1 => &mut self.pin1,
            KeyRef::Pin2 => &mut self.pin2,
            KeyRef::Adm => &mut self.adm,
        }
    }

    fn granted(&self, access: Access) -> bool {
        match access {
            Access::Always => true,
            Access::Chv1 => self.pin1.grants_access(),
            Access::Chv2 => self.pin2.grants_access(),
            Access::Adm(_) => self.adm.grants_access(),
            Access::Reserved | Access::Never => false,
        }
    }

    fn status(&self) -> CodeStates {
        let left = |c: &Chv| Some(c.code().attempts_left());
        let unblock_left = |c: &Chv| c.unblock().map(super::pin::SecretCode::attempts_left);
        CodeStates {
            pin1_enabled: self.pin1.is_enabled(),
            pin2_enabled: self.pin2.is_enabled(),
            attempts: [
                left(&self.pin1),
                unblock_left(&self.pin1),
                left(&self.pin2),
                unblock_left(&self.pin2),
            ],
        }
    }
}

/// What the data written by a handler is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Data {
    /// No response data.
    None,
    /// Data of a reading command; `exact` when Le must match it (records),
    /// otherwise fewer bytes may be asked for (binary, STATUS).
    Read { exact: bool },
    /// Data of a command that sends data (SELECT): through GET RESPONSE on T=0.
    Deferred,
}

/// A command reduced to what the handlers need.
#[derive(Debug, Clone, Copy)]
struct Cmd<'a> {
    cla: u8,
    ins: u8,
    p1: u8,
    p2: u8,
    data: &'a [u8],
    /// Ne: P3 of a reading TPDU (00 = 256), Le of an APDU.
    ne: Option<usize>,
}

/// Logical channels of the UICC: the basic one and three others (the default
/// ATR's card capabilities `73 FE 21 1B` say 4, ISO/IEC 7816-4 table 87).
pub const CHANNELS: usize = 4;

/// The eUICC applications of a card (GSMA SGP.22 §2.2.1, SGP.02 §2.2.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EuiccApplets {
    /// The EID, 16 bytes of decimal nibbles (GSMA SGP.22 §5.7.20).
    pub eid: [u8; 16],
    /// The AID of the ISD-R; `None` for a card without one (an M2M eUICC
    /// read through its ECASD) (GSMA SGP.22 §2.2.1).
    pub isd_r_aid: Option<Vec<u8>>,
    /// Whether the ECASD ([`crate::euicc::ECASD_AID`]) answers (GSMA SGP.02 §2.2.3).
    pub ecasd: bool,
}

/// An application selected by AID that is not a file: a GlobalPlatform
/// security domain of an eUICC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Applet {
    IsdR,
    Ecasd,
}

/// What is selected on a logical channel (TS 102 221 §8.4, §11.1.17).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ChannelState {
    df: NodeId,
    ef: Option<NodeId>,
    record: Option<usize>,
    adf: Option<NodeId>,
    applet: Option<Applet>,
}

/// Whether the card sends data for this instruction (P3 is Le on T=0), as
/// opposed to receiving it (P3 is Lc), ISO/IEC 7816-3 §10.3.2. Needed to read
/// a T=0 header: READ BINARY, READ RECORD, GET RESPONSE, STATUS, and the
/// other outgoing instructions of TS 102 221 table 10.5 (FETCH, MANAGE
/// CHANNEL, GET CHALLENGE, GET DATA, RETRIEVE DATA).
#[must_use]
pub const fn sends_data(ins: u8) -> bool {
    matches!(ins, 0xB0 | 0xB2 | 0xC0 | 0xF2 | 0x12 | 0x70 | 0x84 | 0xCA | 0xCB)
}

/// The virtual card: file tree, codes, selection state, personality (TS 51.011 §9, TS 102 221
/// §10–§11).
#[derive(Debug, Clone)]
pub struct Card {
    personality: Profile,
    tree: FileTree,
    codes: Codes,
    /// EF_ARR rules: index + 1 is the record number (UICC).
    arr: Vec<Option<(Access, Access)>>,
    current_df: NodeId,
    current_ef: Option<NodeId>,
    current_record: Option<usize>,
    current_adf: Option<NodeId>,
    /// The security domain selected on the active channel.
    applet: Option<Applet>,
    /// The other channels' selections; `None` when closed. The active
    /// channel's lives in the `current_*` fields.
    channels: [Option<ChannelState>; CHANNELS],
    /// The channel of the command being processed.
    active: usize,
    /// The eUICC applications, if the card is an eUICC.
    euicc: Option<EuiccApplets>,
    /// STORE DATA blocks received so far, and the next block number.
    store_data: Vec<u8>,
    store_next: Option<u8>,
    /// Data waiting for GET RESPONSE, and the channel it belongs to.
    pending: Vec<u8>,
    pending_channel: usize,
    /// Response data of the command being processed.
    scratch: Vec<u8>,
    /// The raw response of the last command.
    out: Vec<u8>,
    /// Set when codes or file contents changed (for persistence).
    changed: bool,
    /// The link of the command being processed.
    link: LinkMode,
}

/// Error answers, one per personality.
#[derive(Debug, Clone, Copy)]
struct Sws {
    wrong_p1_p2: StatusWord,
    bad_p1_p2: StatusWord,
    file_not_found: StatusWord,
    no_ef: StatusWord,
    wrong_structure: StatusWord,
    out_of_range: StatusWord,
    record_not_found: StatusWord,
    security: StatusWord,
    blocked: StatusWord,
    contradiction: StatusWord,
}

const SIM_SWS: Sws = Sws {
    wrong_p1_p2: StatusWord::WRONG_P1_P2,
    bad_p1_p2: StatusWord::WRONG_P1_P2,
    file_not_found: StatusWord::SIM_FILE_NOT_FOUND,
    no_ef: StatusWord::SIM_NO_EF_SELECTED,
    wrong_structure: StatusWord::SIM_FILE_INCONSISTENT,
    out_of_range: StatusWord::SIM_OUT_OF_RANGE,
    record_not_found: StatusWord::SIM_OUT_OF_RANGE,
    security: StatusWord::SIM_ACCESS_CONDITION_NOT_FULFILLED,
    blocked: StatusWord::SIM_CHV_BLOCKED,
    contradiction: StatusWord::SIM_CHV_CONTRADICTION,
};

const UICC_SWS: Sws = Sws {
    wrong_p1_p2: StatusWord::WRONG_P1_P2,
    bad_p1_p2: StatusWord::INCORRECT_P1_P2,
    file_not_found: StatusWord::FILE_NOT_FOUND,
    no_ef: StatusWord::NO_CURRENT_EF,
    wrong_structure: StatusWord::INCOMPATIBLE_FILE_STRUCTURE,
    out_of_range: StatusWord::WRONG_P1_P2,
    record_not_found: StatusWord::RECORD_NOT_FOUND,
    security: StatusWord::SECURITY_STATUS_NOT_SATISFIED,
    blocked: StatusWord::AUTH_METHOD_BLOCKED,
    contradiction: StatusWord::CONDITIONS_NOT_SATISFIED,
};

type Reply = (StatusWord, Data);

const fn sw(word: StatusWord) -> Reply {
    (word, Data::None)
}

/// The instructions both personalities answer: selection, files, GET
/// RESPONSE and the PIN commands (TS 51.011 §9.2, TS 102 221 §10.1.2).
const fn is_file_or_pin_instruction(ins: u8) -> bool {
    matches!(
        ins,
        ins::SELECT
            | ins::STATUS
            | ins::READ_BINARY
            | ins::UPDATE_BINARY
            | ins::READ_RECORD
            | ins::UPDATE_RECORD
            | ins::GET_RESPONSE
            | ins::VERIFY
            | ins::CHANGE
            | ins::DISABLE
            | ins::ENABLE
            | ins::UNBLOCK
    )
}

impl Card {
    /// A card of `personality` ([`Profile::Sim`] or [`Profile::Uicc`]; any
    /// other is served as a UICC) over `tree` with `codes`. On a UICC the
    /// EF_ARR (2F06) under the MF is generated from the files' access
    /// conditions, replacing any given one (TS 51.011 §9, TS 102 221 §10–§11).
    #[must_use]
    pub fn new(personality: Profile, mut tree: FileTree, codes: Codes) -> Self {
        let personality = if personality == Profile::Sim { Profile::Sim } else { Profile::Uicc };
        let mut arr = Vec::new();
        if personality == Profile::Uicc {
            arr.push(None);
            let mut rules: Vec<(Access, Access)> = tree
                .nodes()
                .iter()
                .enumerate()
                .filter_map(|(id, _)| tree.body(id).map(|b| (b.read_access(), b.update_access())))
                .collect();
            rules.push((Access::Always, Access::Adm(0xA)));
            for rule in rules {
                if !arr.contains(&Some(rule)) {
                    arr.push(Some(rule));
                }
            }
            let mut records = Vec::new();
            let encoded: Vec<Vec<u8>> = arr
                .iter()
                .map(|rule| {
                    records.clear();
                    encode::arr_record(&mut records, *rule);
                    records.clone()
                })
                .collect();
            let record_len = encoded.iter().map(Vec::len).max().unwrap_or(1);
            let mut data = Vec::with_capacity(record_len * encoded.len());
            for record in &encoded {
                data.extend_from_slice(record);
                data.resize(data.len() + record_len - record.len(), 0xFF);
            }
            let mf = tree.mf();
            tree.add_ef(
                mf,
                encode::EF_ARR,
                Some(0x06),
                Body::records(Structure::LinearFixed, record_len, data, Access::Always, Access::Adm(0xA)),
            );
        }
        let mf = tree.mf();
        Card {
            personality,
            tree,
            codes,
            arr,
            current_df: mf,
            current_ef: None,
            current_record: None,
            current_adf: None,
            applet: None,
            channels: Self::basic_only(mf),
            active: 0,
            euicc: None,
            store_data: Vec::new(),
            store_next: None,
            pending: Vec::new(),
            pending_channel: 0,
            scratch: Vec::with_capacity(258),
            out: Vec::with_capacity(258),
            changed: false,
            link: LinkMode::T0,
        }
    }

    /// The same card as an eUICC with `applets` (a UICC only; a classic SIM
    /// has no logical channels and stays as it is) (GSMA SGP.22 §2.2.1, SGP.02 §2.2.3).
    #[must_use]
    pub fn with_euicc(mut self, applets: EuiccApplets) -> Self {
        if self.personality == Profile::Uicc {
            self.euicc = Some(applets);
        }
        self
    }

    /// The eUICC applications, for an eUICC (GSMA SGP.22 §2.2.1, SGP.02 §2.2.3).
    #[must_use]
    pub const fn euicc(&self) -> Option<&EuiccApplets> {
        self.euicc.as_ref()
    }

    /// Whether logical channel `channel` is open (the basic channel always is)
    /// (TS 102 221 §11.1.17).
    #[must_use]
    pub fn is_channel_open(&self, channel: u8) -> bool {
        usize::from(channel) == self.active
            || self.channels.get(usize::from(channel)).is_some_and(Option::is_some)
    }

    /// The channel table right after a reset: the basic channel at the MF.
    fn basic_only(mf: NodeId) -> [Option<ChannelState>; CHANNELS] {
        let mut channels = [None; CHANNELS];
        channels[0] = Some(ChannelState { df: mf, ef: None, record: None, adf: None, applet: None });
        channels
    }

    /// The active channel's selection.
    const fn state(&self) -> ChannelState {
        ChannelState {
            df: self.current_df,
            ef: self.current_ef,
            record: self.current_record,
            adf: self.current_adf,
            applet: self.applet,
        }
    }

    fn load(&mut self, state: ChannelState) {
        self.current_df = state.df;
        self.current_ef = state.ef;
        self.current_record = state.record;
        self.current_adf = state.adf;
        self.applet = state.applet;
    }

    /// Make `channel` (open) the active one.
    fn switch_to(&mut self, channel: usize) {
        if channel == self.active {
            return;
        }
        let current = self.state();
        if let Some(slot) = self.channels.get_mut(self.active) {
            *slot = Some(current);
        }
        if let Some(state) = self.channels.get(channel).copied().flatten() {
            self.load(state);
            self.active = channel;
        }
    }

    /// The personality: [`Profile::Sim`] or [`Profile::Uicc`] (TS 51.011 §9, TS 102 221 §10–§11).
    #[must_use]
    pub const fn personality(&self) -> Profile {
        self.personality
    }

    /// The file tree (ISO/IEC 7816-4 §5.3, TS 51.011 §6, TS 102 221 §8).
    #[must_use]
    pub const fn tree(&self) -> &FileTree {
        &self.tree
    }

    /// The codes with their counters (TS 51.011 §9.2.9–§9.2.13, TS 102 221 §9.5).
    #[must_use]
    pub const fn codes(&self) -> &Codes {
        &self.codes
    }

    /// Whether codes or file contents changed since the last call (and clear
    /// the flag): what persistence writes back (TS 102 221 §9.5, §11.1.4).
    pub fn take_changed(&mut self) -> bool {
        core::mem::take(&mut self.changed)
    }

    /// A reset (ISO/IEC 7816-3 §6.2): the MF is selected again, verifications
    /// are forgotten, pending response data is dropped.
    pub fn reset(&mut self) {
        self.current_df = self.tree.mf();
        self.current_ef = None;
        self.current_record = None;
        self.current_adf = None;
        self.applet = None;
        self.channels = Self::basic_only(self.tree.mf());
        self.active = 0;
        self.store_data.clear();
        self.store_next = None;
        self.pending.clear();
        self.codes.pin1.reset_security();
        self.codes.pin2.reset_security();
        self.codes.adm.reset_security();
    }

    /// The raw response of the last command (empty before the first) (ISO/IEC 7816-4 §5.1.3).
    #[must_use]
    pub fn last_response(&self) -> &[u8] {
        &self.out
    }

    /// Process one raw command (a TPDU for [`LinkMode::T0`], an APDU for
    /// [`LinkMode::T1`]) and return the raw response: data, then SW1 SW2
    /// (ISO/IEC 7816-3 §12.2, ISO/IEC 7816-4 §5.1).
    pub fn process(&mut self, raw: &[u8], link: LinkMode) -> &[u8] {
        self.scratch.clear();
        self.out.clear();
        self.link = link;
        let (word, data, ne) = match self.parse(raw, link) {
            Ok(cmd) => {
                if cmd.ins != ins::GET_RESPONSE {
                    self.pending.clear();
                }
                let (word, data) = self.dispatch(&cmd);
                (word, data, cmd.ne)
            }
            Err(word) => {
                self.pending.clear();
                (word, Data::None, None)
            }
        };
        self.finish(word, data, ne, link);
        &self.out
    }

    /// Whether `id` is an ADF or lies within one (TS 102 221 §8.4: an ADF is
    /// a DF with an AID).
    fn within_application(&self, id: NodeId) -> bool {
        self.tree.ancestors(id).any(|node| matches!(node.kind(), Kind::Df { aid: Some(_) }))
    }

    fn sws(&self) -> &'static Sws {
        if self.personality == Profile::Sim { &SIM_SWS } else { &UICC_SWS }
    }

    /// 67 00 on a UICC; 67 XX with the expected length on a SIM (TS 51.011 §9.4.6).
    fn wrong_length(&self, expected: usize) -> StatusWord {
        if self.personality == Profile::Sim {
            StatusWord::new(0x67, u8::try_from(expected).unwrap_or(0))
        } else {
            StatusWord::WRONG_LENGTH
        }
    }

    fn parse<'a>(&self, raw: &'a [u8], link: LinkMode) -> Result<Cmd<'a>, StatusWord> {
        match link {
            LinkMode::T1 => {
                let view = CommandView::parse(raw).map_err(|_| StatusWord::WRONG_LENGTH)?;
                let [cla, ins, p1, p2] = view.header();
                let ne = view.ne().map(|n| usize::try_from(n).unwrap_or(usize::MAX));
                Ok(Cmd { cla, ins, p1, p2, data: view.data(), ne })
            }
            LinkMode::T0 => {
                let Some((&[cla, ins, p1, p2], rest)) = raw.split_first_chunk::<4>() else {
                    return Err(StatusWord::WRONG_LENGTH);
                };
                let (p3, body) = match rest.split_first() {
                    None => (0u8, &[][..]),
                    Some((&p3, body)) => (p3, body),
                };
                if sends_data(ins) {
                    // P3 is Le: no data may follow.
                    if !body.is_empty() {
                        return Err(StatusWord::WRONG_LENGTH);
                    }
                    let ne = if p3 == 0 { 256 } else { usize::from(p3) };
                    return Ok(Cmd { cla, ins, p1, p2, data: &[], ne: Some(ne) });
                }
                // P3 is Lc. A trailing Le byte (a case-4 APDU handed over as
                // it is, as PC/SC does) is tolerated and ignored.
                let lc = usize::from(p3);
                let data = match (body.get(..lc), body.len().checked_sub(lc)) {
                    (Some(data), Some(0 | 1)) => data,
                    _ => return Err(StatusWord::WRONG_LENGTH),
                };
                Ok(Cmd { cla, ins, p1, p2, data, ne: None })
            }
        }
    }

    fn dispatch(&mut self, cmd: &Cmd<'_>) -> Reply {
        match self.check_class(cmd) {
            Ok(channel) => self.switch_to(channel),
            Err(word) => return sw(word),
        }
        match cmd.ins {
            ins::SELECT => self.select(cmd),
            ins::STATUS => self.status(cmd),
            ins::READ_BINARY => self.read_binary(cmd),
            ins::UPDATE_BINARY => self.update_binary(cmd),
            ins::READ_RECORD => self.read_record(cmd),
            ins::UPDATE_RECORD => self.update_record(cmd),
            ins::GET_RESPONSE => self.get_response(cmd),
            ins::VERIFY | ins::CHANGE | ins::DISABLE | ins::ENABLE | ins::UNBLOCK => self.pin_command(cmd),
            ins::MANAGE_CHANNEL => self.manage_channel(cmd),
            ins::STORE_DATA => self.store_data(cmd),
            ins::GET_DATA => self.get_data(cmd),
            _ => sw(StatusWord::INS_NOT_SUPPORTED),
        }
    }

    /// CLA A0 on a SIM (TS 51.011 §9.2); on a UICC 0X/4X for interindustry
    /// instructions, 8X/CX for STATUS and STORE DATA, either for GET DATA
    /// (TS 102 221 §10.1.1, GlobalPlatform §11), on an open logical channel,
    /// no secure messaging, no chaining. Returns the channel.
    fn check_class(&self, cmd: &Cmd<'_>) -> Result<usize, StatusWord> {
        if self.personality == Profile::Sim {
            if cmd.cla != 0xA0 {
                return Err(StatusWord::CLA_NOT_SUPPORTED);
            }
            // TS 51.011 §9.4: 6D 00 for an instruction it does not have, such
            // as the UICC's MANAGE CHANNEL, GET DATA and STORE DATA.
            return if is_file_or_pin_instruction(cmd.ins) {
                Ok(0)
            } else {
                Err(StatusWord::INS_NOT_SUPPORTED)
            };
        }
        let (proprietary, channel) = match cmd.cla {
            0x00..=0x03 => (false, cmd.cla & 0x03),
            0x40..=0x4F => (false, 4 + (cmd.cla & 0x0F)),
            0x80..=0x83 => (true, cmd.cla & 0x03),
            0xC0..=0xCF => (true, 4 + (cmd.cla & 0x0F)),
            0x04..=0x0F | 0x60..=0x6F | 0x84..=0x8F | 0xE0..=0xEF => {
                return Err(StatusWord::new(0x68, 0x82)); // secure messaging not supported
            }
            _ => return Err(StatusWord::CLA_NOT_SUPPORTED),
        };
        let known = is_file_or_pin_instruction(cmd.ins)
            || matches!(cmd.ins, ins::MANAGE_CHANNEL | ins::STORE_DATA | ins::GET_DATA);
        if !known {
            return Err(StatusWord::INS_NOT_SUPPORTED);
        }
        let wants_proprietary = matches!(cmd.ins, ins::STATUS | ins::STORE_DATA);
        if proprietary != wants_proprietary && cmd.ins != ins::GET_DATA {
            return Err(StatusWord::CLA_NOT_SUPPORTED);
        }
        let channel = usize::from(channel);
        if !self.is_channel_open(u8::try_from(channel).unwrap_or(u8::MAX)) {
            return Err(StatusWord::LOGICAL_CHANNEL_NOT_SUPPORTED);
        }
        Ok(channel)
    }

    /// Whether a command that read `available` bytes runs for an Ne of `ne`:
    /// `false` when [`Card::finish`] answers a wrong length instead (6C XX,
    /// 67 XX), which means the command was not executed (ISO/IEC 7816-3
    /// §10.3.3, TS 51.011 §9.4.6), so what it would change stays unchanged.
    fn read_runs(&self, available: usize, exact: bool, ne: Option<usize>) -> bool {
        let t1 = self.link == LinkMode::T1;
        let max = t1 && matches!(ne, None | Some(256 | 65_536));
        let ne = ne.unwrap_or(256);
        let uicc_end_of_file = self.personality != Profile::Sim && t1 && ne > available;
        ne == available || (max && available <= ne) || (!exact && ne < available) || uicc_end_of_file
    }

    /// Apply the response-length rules and write data + SW into `out`.
    fn finish(&mut self, word: StatusWord, data: Data, ne: Option<usize>, link: LinkMode) {
        let sim = self.personality == Profile::Sim;
        let available = self.scratch.len();
        let mut word = word;
        let mut send = 0usize;
        match data {
            Data::None => {}
            Data::Deferred => match (link, ne) {
                (LinkMode::T1, Some(ne)) => send = available.min(ne),
                (LinkMode::T1, None) if !sim => {}
                _ => {
                    core::mem::swap(&mut self.pending, &mut self.scratch);
                    self.pending_channel = self.active;
                    let len = u16::try_from(available).unwrap_or(0);
                    word = if sim {
                        StatusWord::sim_response_available(len)
                    } else {
                        StatusWord::response_available(len)
                    };
                }
            },
            Data::Read { exact } => {
                let max = matches!(link, LinkMode::T1) && matches!(ne, None | Some(256 | 65_536));
                let runs = self.read_runs(available, exact, ne);
                let ne = ne.unwrap_or(256);
                if runs {
                    send = available.min(ne);
                    if ne > available && !max {
                        // ISO/IEC 7816-4 §5.1.3: end reached before Ne bytes.
                        word = StatusWord::END_OF_FILE;
                    }
                } else {
                    let len = u16::try_from(available).unwrap_or(0);
                    word = if sim {
                        StatusWord::new(0x67, len.to_be_bytes()[1])
                    } else {
                        StatusWord::wrong_le(len)
                    };
                }
            }
        }
        if let Some(bytes) = self.scratch.get(..send) {
            self.out.extend_from_slice(bytes);
        }
        self.out.extend_from_slice(&word.to_bytes());
    }
}
