//! The command dispatcher of the virtual card: one raw command in, one raw
//! response out, in the personality of a classic SIM (3GPP TS 51.011 §9: CLA
//! A0, 9FXX, 98XX) or of a UICC (ETSI TS 102 221 §10–§11: CLA 00/80, FCP, 61XX,
//! 63CX, 69XX).
//!
//! This module owns the command set (SELECT, STATUS, READ/UPDATE BINARY,
//! READ/UPDATE RECORD, GET RESPONSE, VERIFY, CHANGE, DISABLE, ENABLE, UNBLOCK,
//! MANAGE CHANNEL), the order of the checks (class, instruction, parameters,
//! length, state, security), the selection state of each logical channel
//! (TS 102 221 §11.1.17: the basic channel and three others, as the default
//! ATR's card capabilities announce) and the response-length rules of the two
//! links. A UICC can also be an eUICC ([`EuiccApplets`]): its ISD-R answers
//! STORE DATA with ES10c GetEuiccData (GSMA SGP.22 §5.7.20) and its ECASD
//! GET DATA 5A (SGP.02), each once selected by AID on some channel.
//!
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

use super::encode::{self, CodeStates};
use super::files::{Access, Body, FileTree, FsError, Kind, NodeId, RecordMode, Structure};
use super::pin::{CODE_LEN, Chv, KeyRef, Outcome};
use crate::apdu::CommandView;
use crate::codec::tlv::{TlvIter, TlvWriter};
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

use crate::ins;

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

    // ---- selection -------------------------------------------------------

    /// The file a FID names from the current DF (TS 51.011 §6.5, TS 102 221
    /// §8.4.1): the MF; the current ADF (7FFF, UICC); a child of the current
    /// DF; the current DF; its parent; a DF beside it.
    fn find_fid(&self, fid: u16) -> Option<NodeId> {
        let tree = &self.tree;
        if fid == super::files::MF {
            return Some(tree.mf());
        }
        if fid == CURRENT_ADF && self.personality == Profile::Uicc {
            return self.current_adf;
        }
        let df = self.current_df;
        let parent = tree.node(df).and_then(super::files::Node::parent);
        tree.child(df, fid)
            .or_else(|| tree.node(df).filter(|n| n.fid() == fid).map(|_| df))
            .or_else(|| parent.filter(|&p| tree.node(p).is_some_and(|n| n.fid() == fid)))
            .or_else(|| {
                parent.and_then(|p| tree.child(p, fid)).filter(|&s| tree.node(s).is_some_and(|n| n.is_df()))
            })
    }

    fn select_node(&mut self, id: NodeId) {
        self.applet = None;
        let is_df = self.tree.node(id).is_some_and(super::files::Node::is_df);
        if is_df {
            self.current_df = id;
            self.current_ef = None;
            if matches!(self.tree.node(id).map(super::files::Node::kind), Some(Kind::Df { aid: Some(_) })) {
                self.current_adf = Some(id);
            }
        } else {
            self.current_df = self.tree.df_of(id);
            self.current_ef = Some(id);
        }
        self.current_record = None;
        // Leaving an ADF for the MF or DF_TELECOM keeps it the current application.
    }

    fn select(&mut self, cmd: &Cmd<'_>) -> Reply {
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
                    .filter(|&c| tree.node(c).is_some_and(super::files::Node::is_df)),
                0x03 => tree.node(self.current_df).and_then(super::files::Node::parent),
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

    fn status(&mut self, cmd: &Cmd<'_>) -> Reply {
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
                    match self.tree.node(adf).map(super::files::Node::kind) {
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

    // ---- files -----------------------------------------------------------

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

    fn read_binary(&mut self, cmd: &Cmd<'_>) -> Reply {
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

    fn update_binary(&mut self, cmd: &Cmd<'_>) -> Reply {
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

    fn read_record(&mut self, cmd: &Cmd<'_>) -> Reply {
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

    fn update_record(&mut self, cmd: &Cmd<'_>) -> Reply {
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

    fn get_response(&mut self, cmd: &Cmd<'_>) -> Reply {
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

    // ---- logical channels and the eUICC ----------------------------------

    /// MANAGE CHANNEL (TS 102 221 §11.1.17): P1 00 opens (P2 00: the card
    /// chooses and returns the number; P2 1–3: that channel), P1 80 closes
    /// channel P2. A channel opened from the basic channel starts at the MF;
    /// one opened from another channel starts where that one is.
    fn manage_channel(&mut self, cmd: &Cmd<'_>) -> Reply {
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

    /// The security domain `aid` names exactly, on an eUICC.
    fn applet_for(&self, aid: &[u8]) -> Option<Applet> {
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
    fn select_applet(&mut self, applet: Applet, cmd: &Cmd<'_>) -> Reply {
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
    fn store_data(&mut self, cmd: &Cmd<'_>) -> Reply {
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
    fn get_data(&mut self, cmd: &Cmd<'_>) -> Reply {
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

    // ---- codes -----------------------------------------------------------

    /// Whether `id` is an ADF or lies within one (TS 102 221 §8.4: an ADF is
    /// a DF with an AID).
    fn within_application(&self, id: NodeId) -> bool {
        self.tree.ancestors(id).any(|node| matches!(node.kind(), Kind::Df { aid: Some(_) }))
    }

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

    fn pin_command(&mut self, cmd: &Cmd<'_>) -> Reply {
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
