//! Reading the EID over a [`Link`]: MANAGE CHANNEL (ISO/IEC 7816-4 §7.1.2,
//! TS 102 221 §11.1.17), SELECT by AID (TS 102 221 §11.1.1), STORE DATA with
//! GetEuiccData (GSMA SGP.22 §5.7.2, §5.7.20), the SGP.02 ECASD fallback
//! (GET DATA 5A) and closing the channel. See the module documentation of
//! [`crate::euicc`] for the APDUs.

use super::es10::{self, GET_EID_REQUEST, StoreData};
use super::{ECASD_AID, Eid, IsdRAid, KNOWN_ISD_R_AIDS};
use crate::apdu::channel::{self, cla_for_channel};
use crate::apdu::{ApduError, Command, MAX_SHORT_RESPONSE_LEN};
use crate::codec::DecodeError;
use crate::sw::StatusWord;
use crate::transport::{CompletionError, Error, ErrorKind, Link, Trace, Transport};
use core::fmt;

use crate::ins::SELECT;

/// What [`read_eid`] tries (GSMA SGP.22 §5.7.20, SGP.02).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EidOptions<'a> {
    /// The ISD-R AIDs to SELECT, in order, until one answers (GSMA SGP.22 §2.2.1).
    pub isd_r_aids: &'a [IsdRAid<'a>],
    /// Whether to try the SGP.02 ECASD (GET DATA 5A) when no ISD-R answers.
    pub ecasd_fallback: bool,
    /// Whether to work on a logical channel (MANAGE CHANNEL, ISO/IEC 7816-4
    /// §7.1.2) rather than the basic one. When the card refuses to open one,
    /// the basic channel is used and [`EidReading::channel`] is 0: the basic
    /// channel's selection has then changed.
    pub logical_channel: bool,
}

impl EidOptions<'static> {
    /// [`KNOWN_ISD_R_AIDS`], the ECASD fallback, a logical channel (GSMA SGP.22 §2.2.1, SGP.02
    /// §2.2.3).
    pub const DEFAULT: Self =
        EidOptions { isd_r_aids: &KNOWN_ISD_R_AIDS, ecasd_fallback: true, logical_channel: true };
}

impl Default for EidOptions<'static> {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Which application gave the EID (GSMA SGP.22 §5.7.20, SGP.02).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EidSource<'a> {
    /// The ISD-R at this AID, through ES10c GetEuiccData (SGP.22 §5.7.20): the
    /// card is an eUICC.
    IsdR(IsdRAid<'a>),
    /// The ECASD, through GET DATA 5A (SGP.02).
    Ecasd,
}

/// The EID and how it was read (GSMA SGP.22 §5.7.20, SGP.02).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EidReading<'a> {
    /// The EID; check [`Eid::check_digits_valid`] before trusting it (GSMA SGP.29).
    pub eid: Eid,
    /// The application that gave it (GSMA SGP.22 §5.7.20, SGP.02).
    pub source: EidSource<'a>,
    /// The logical channel used (0: the basic channel, whose selection the
    /// reading changed) (ISO/IEC 7816-4 §7.1.2).
    pub channel: u8,
    /// Whether MANAGE CHANNEL close succeeded (true on the basic channel)
    /// (ISO/IEC 7816-4 §7.1.2, TS 102 221 §11.1.17).
    pub channel_closed: bool,
}

/// The commands of the EID flow, to say which one failed
/// (ISO/IEC 7816-4 §7.1.2, TS 102 221 §11.1.1, GSMA SGP.22 §5.7.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EuiccCommand {
    /// MANAGE CHANNEL open (ISO/IEC 7816-4 §7.1.2, TS 102 221 §11.1.17).
    OpenChannel,
    /// SELECT of an ISD-R AID (TS 102 221 §11.1.1, GSMA SGP.22 §2.2.1).
    SelectIsdR,
    /// STORE DATA GetEuiccData (GSMA SGP.22 §5.7.2).
    StoreData,
    /// SELECT of the ECASD (TS 102 221 §11.1.1, GSMA SGP.02 §2.2.3).
    SelectEcasd,
    /// GET DATA 5A (ISO/IEC 7816-4 §7.4.2).
    GetData,
}

impl fmt::Display for EuiccCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            EuiccCommand::OpenChannel => "MANAGE CHANNEL open",
            EuiccCommand::SelectIsdR => "SELECT ISD-R",
            EuiccCommand::StoreData => "STORE DATA GetEuiccData",
            EuiccCommand::SelectEcasd => "SELECT ECASD",
            EuiccCommand::GetData => "GET DATA 5A",
        })
    }
}

/// Why [`read_eid`] failed (ISO/IEC 7816-4 §5.6, GSMA SGP.22 §5.7.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EuiccError<E> {
    /// The link failed (transport, framing, buffer; ISO/IEC 7816-4 §7.6.1,
    /// ISO/IEC 7816-3 §12.2).
    #[error("link: {0}")]
    Link(#[source] CompletionError<E>),
    /// No ISD-R answered and no ECASD either (or the fallback is off): not an
    /// eUICC, or one at an AID not in the list (GSMA SGP.22 §2.2.1, SGP.02 §2.2.3).
    #[error("not an eUICC: no ISD-R answered (last status {isd_r}){}", EcasdNote(*.ecasd))]
    NotAnEuicc {
        /// The status word of the last ISD-R SELECT, or of its STORE DATA when
        /// that said no GetEuiccData (6A 82 when the list is empty).
        isd_r: StatusWord,
        /// The status word of the ECASD SELECT, when tried.
        ecasd: Option<StatusWord>,
    },
    /// The card refused a command of the flow (ISO/IEC 7816-4 §5.6).
    #[error("{command}: the card answered {sw}")]
    Card {
        /// The command.
        command: EuiccCommand,
        /// Its status word.
        sw: StatusWord,
    },
    /// The answer holding the EID does not decode (GSMA SGP.22 §5.7.20).
    #[error("{command}: {error}")]
    Decode {
        /// The command whose answer it was.
        command: EuiccCommand,
        /// What is wrong, with the byte offset in the answer.
        error: DecodeError,
    },
    /// An AID of the options is not 1 to 16 bytes long, or another command
    /// could not be built (ISO/IEC 7816-4 §8.2.1.2).
    #[error("command: {0}")]
    Command(#[source] ApduError),
}

/// ", and no ECASD (status …)" for the message of [`EuiccError::NotAnEuicc`].
struct EcasdNote(Option<StatusWord>);

impl fmt::Display for EcasdNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(sw) => write!(f, ", and no ECASD (status {sw})"),
            None => Ok(()),
        }
    }
}

impl<E: Error> EuiccError<E> {
    /// The kind: the link's own, [`ErrorKind::Other`] for what the card says
    /// or sends (ISO/IEC 7816-3 §12.2; GSMA SGP.22 §5.7.20).
    #[must_use]
    pub fn kind(&self) -> ErrorKind {
        match self {
            EuiccError::Link(e) => e.kind(),
            EuiccError::NotAnEuicc { .. }
            | EuiccError::Card { .. }
            | EuiccError::Decode { .. }
            | EuiccError::Command(_) => ErrorKind::Other,
        }
    }
}

impl<E> From<CompletionError<E>> for EuiccError<E> {
    fn from(e: CompletionError<E>) -> Self {
        EuiccError::Link(e)
    }
}

/// Read the EID (see [`crate::euicc`] for the flow and its APDUs). The link's
/// options are kept, except that data announced by 61XX after a SELECT is not
/// fetched during the flow (the FCI of the ISD-R is not needed) (GSMA SGP.22 §5.7.20, SGP.02).
///
/// # Errors
/// [`EuiccError::NotAnEuicc`] when neither an ISD-R nor the ECASD answers (an
/// ISD-R that answers STORE DATA with 6D 00, 6E 00, 6A 80 or 6A 81 has no
/// GetEuiccData: an SGP.02 card's, and the next AID and the ECASD are tried);
/// [`EuiccError::Card`] when STORE DATA is refused otherwise, or GET DATA;
/// [`EuiccError::Decode`] for an answer without a valid EID;
/// [`EuiccError::Link`] when the link fails. The channel is closed in every
/// case but a link failure.
pub fn read_eid<'o, T: Transport, H: Trace>(
    link: &mut Link<T, H>,
    options: &EidOptions<'o>,
) -> Result<EidReading<'o>, EuiccError<T::Error>> {
    let saved = link.options();
    link.set_options(saved.with_fetch_unrequested(false));
    let result = run(link, options);
    link.set_options(saved);
    result
}

fn run<'o, T: Transport, H: Trace>(
    link: &mut Link<T, H>,
    options: &EidOptions<'o>,
) -> Result<EidReading<'o>, EuiccError<T::Error>> {
    let mut buf = [0u8; MAX_SHORT_RESPONSE_LEN];
    let channel = if options.logical_channel { open(link, &mut buf)? } else { 0 };
    let outcome = find_and_read(link, options, channel, &mut buf);
    let closed = if channel == 0 {
        Ok(true)
    } else {
        link.transmit(&channel::close_channel(channel), &mut buf).map(|r| r.is_success())
    };
    match (outcome, closed) {
        (Ok((eid, source)), Ok(channel_closed)) => Ok(EidReading { eid, source, channel, channel_closed }),
        (Err(e), _) => Err(e),
        (Ok(_), Err(e)) => Err(EuiccError::Link(e)),
    }
}

/// Open a logical channel; 0 (the basic channel) when the card refuses.
fn open<T: Transport, H: Trace>(link: &mut Link<T, H>, buf: &mut [u8]) -> Result<u8, EuiccError<T::Error>> {
    let response = link.transmit(&channel::open_channel(), buf)?;
    Ok(match (response.is_success(), response.data()) {
        (true, &[n]) if (1..=channel::MAX_CHANNEL).contains(&n) => n,
        _ => 0,
    })
}

/// Whether a SELECT worked: 90 00, 61 XX with the FCI left unfetched, or
/// 91 XX (done, a proactive command pending: TS 102 221 §10.2.1.1).
const fn selected(sw: StatusWord) -> bool {
    sw.is_done() || sw.sw1() == 0x61
}

/// Whether STORE DATA's answer says the selected application has no ES10
/// GetEuiccData at all (instruction, class or function not supported, or the
/// request not understood), as an SGP.02 (M2M) ISD-R, which shares the AID of
/// SGP.22's (ISO/IEC 7816-4 table 6), answers it.
const fn no_es10(sw: StatusWord) -> bool {
    matches!(
        sw,
        StatusWord::INS_NOT_SUPPORTED
            | StatusWord::CLA_NOT_SUPPORTED
            | StatusWord::FUNCTION_NOT_SUPPORTED
            | StatusWord::WRONG_DATA
    )
}

fn select<T: Transport, H: Trace>(
    link: &mut Link<T, H>,
    channel: u8,
    aid: &[u8],
    buf: &mut [u8],
) -> Result<StatusWord, EuiccError<T::Error>> {
    if aid.is_empty() || aid.len() > 16 {
        return Err(EuiccError::Command(ApduError::DataTooLong { len: aid.len() }));
    }
    let cla = cla_for_channel(0x00, channel).unwrap_or(0x00);
    // P2 = 00: first occurrence, FCI (GlobalPlatform §11.9, as lpac sends it);
    // no Le, so on T=0 the 61XX is the answer and the FCI stays unfetched.
    let command = Command::new(cla, SELECT, 0x04, 0x00).with_data(aid).map_err(EuiccError::Command)?;
    Ok(link.transmit(&command, buf)?.sw())
}

fn find_and_read<'o, T: Transport, H: Trace>(
    link: &mut Link<T, H>,
    options: &EidOptions<'o>,
    channel: u8,
    buf: &mut [u8],
) -> Result<(Eid, EidSource<'o>), EuiccError<T::Error>> {
    let mut last = StatusWord::FILE_NOT_FOUND;
    'aids: for isd_r in options.isd_r_aids {
        let sw = select(link, channel, isd_r.aid, buf)?;
        if !selected(sw) {
            last = sw;
            continue;
        }
        let mut len = 0;
        for block in StoreData::new(&GET_EID_REQUEST, channel).blocks() {
            let response = link.transmit(&block, buf)?;
            let sw = response.sw();
            if no_es10(sw) {
                // An SGP.02 (M2M) card's ISD-R has the same AID but no ES10:
                // the next AID, then the ECASD.
                last = sw;
                continue 'aids;
            }
            if !sw.is_done() {
                return Err(EuiccError::Card { command: EuiccCommand::StoreData, sw });
            }
            len = response.data().len();
        }
        let eid = es10::parse_get_euicc_data(buf.get(..len).unwrap_or_default())
            .map_err(|error| EuiccError::Decode { command: EuiccCommand::StoreData, error })?;
        return Ok((eid, EidSource::IsdR(*isd_r)));
    }
    if !options.ecasd_fallback {
        return Err(EuiccError::NotAnEuicc { isd_r: last, ecasd: None });
    }
    let sw = select(link, channel, &ECASD_AID, buf)?;
    if !selected(sw) {
        return Err(EuiccError::NotAnEuicc { isd_r: last, ecasd: Some(sw) });
    }
    let response = link.transmit(&es10::get_eid_data(channel), buf)?;
    if !response.is_success() {
        return Err(EuiccError::Card { command: EuiccCommand::GetData, sw: response.sw() });
    }
    let eid = es10::parse_eid_data_object(response.data())
        .map_err(|error| EuiccError::Decode { command: EuiccCommand::GetData, error })?;
    Ok((eid, EidSource::Ecasd))
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;
    use crate::transport::Protocol;
    use crate::transport::mock::MockTransport;
    use std::string::ToString;

    #[allow(clippy::unwrap_used)]
    fn hex(text: &str) -> std::vec::Vec<u8> {
        crate::hex::decode(text).unwrap()
    }

    #[test]
    fn t0_flow_with_the_standard_isd_r_is_five_apdus() {
        // Vectors V88, V89, V90, V101 on a T=0 card.
        let card = MockTransport::new(Protocol::T0)
            .expect(&hex("00 70 00 00 01"), &hex("01 90 00"))
            .expect(&hex("01 A4 04 00 10 A0000005591010FFFFFFFF8900000100"), &hex("61 20"))
            .expect(&hex("81 E2 91 00 06 BF 3E 03 5C 01 5A"), &hex("61 15"))
            .expect(&hex("01 C0 00 00 15"), &hex("BF3E125A1089882119900000000000000000000005 9000"))
            .expect(&hex("00 70 80 01 00"), &hex("90 00"));
        let mut link = Link::new(card);
        let reading = read_eid(&mut link, &EidOptions::DEFAULT).unwrap();
        assert_eq!(reading.eid.to_string(), "89882119900000000000000000000005");
        assert_eq!(reading.source, EidSource::IsdR(KNOWN_ISD_R_AIDS[0]));
        assert_eq!((reading.channel, reading.channel_closed), (1, true));
        assert_eq!(link.apdu_count(), 5);
        assert!(link.options().fetch_unrequested(), "options restored");
    }

    #[test]
    fn no_channels_no_isd_r_no_ecasd() {
        // A card without logical channels (68 81) and without eUICC applications:
        // every AID is tried on the basic channel, then the ECASD.
        let mut card = MockTransport::new(Protocol::T1).expect(&hex("00 70 00 00 01"), &hex("68 81"));
        for known in KNOWN_ISD_R_AIDS {
            let mut select = hex("00 A4 04 00 10");
            select.extend_from_slice(known.aid);
            card = card.expect(&select, &hex("6A 82"));
        }
        card = card.expect(&hex("00 A4 04 00 10 A0000005591010FFFFFFFF8900000200"), &hex("6A 82"));
        let mut link = Link::new(card);
        let error = read_eid(&mut link, &EidOptions::DEFAULT).unwrap_err();
        assert_eq!(
            error,
            EuiccError::NotAnEuicc {
                isd_r: StatusWord::FILE_NOT_FOUND,
                ecasd: Some(StatusWord::FILE_NOT_FOUND)
            }
        );
        assert_eq!(link.apdu_count(), 8);
        assert!(error.to_string().starts_with("not an eUICC"), "{error}");
    }

    #[test]
    fn store_data_refused_still_closes_the_channel() {
        let card = MockTransport::new(Protocol::T1)
            .expect(&hex("00 70 00 00 01"), &hex("02 90 00"))
            .expect(&hex("02 A4 04 00 10 A0000005591010FFFFFFFF8900000100"), &hex("90 00"))
            .expect(&hex("82 E2 91 00 06 BF 3E 03 5C 01 5A 00"), &hex("69 85"))
            .expect(&hex("00 70 80 02"), &hex("90 00"));
        let mut link = Link::new(card);
        let error = read_eid(&mut link, &EidOptions::DEFAULT).unwrap_err();
        assert_eq!(
            error,
            EuiccError::Card { command: EuiccCommand::StoreData, sw: StatusWord::CONDITIONS_NOT_SATISFIED }
        );
        assert_eq!(link.apdu_count(), 4);
    }

    #[test]
    fn a_pending_proactive_command_is_no_failure() {
        // TS 102 221 §10.2.1.1: 91 XX ends a command normally, a proactive
        // command waiting (a card whose toolkit runs, behind a modem). V90's
        // request; the answer carries GSMA SGP.29's example EID, then 91 10.
        let eid = "89049032123451234512345678901235";
        let answer = std::format!("BF 3E 12 5A 10 {eid} 91 10");
        let card = MockTransport::new(Protocol::T1)
            .expect(&hex("00 70 00 00 01"), &hex("01 90 00"))
            .expect(&hex("01 A4 04 00 10 A0000005591010FFFFFFFF8900000100"), &hex("91 10"))
            .expect(&hex("81 E2 91 00 06 BF 3E 03 5C 01 5A 00"), &hex(&answer))
            .expect(&hex("00 70 80 01"), &hex("90 00"));
        let mut link = Link::new(card);
        let reading = read_eid(&mut link, &EidOptions::DEFAULT).unwrap();
        assert_eq!(reading.eid.to_string(), eid);
        assert_eq!(link.apdu_count(), 4);
    }

    #[test]
    fn an_isd_r_without_get_euicc_data_falls_back_to_the_ecasd() {
        // An SGP.02 (M2M) card: its ISD-R has SGP.22's AID but no ES10, so
        // STORE DATA GetEuiccData (V90) is refused as unknown (6D 00); the EID
        // comes from the ECASD's GET DATA 5A, GSMA SGP.29's example EID.
        let eid = "89049032123451234512345678901235";
        let card = MockTransport::new(Protocol::T1)
            .expect(&hex("00 70 00 00 01"), &hex("01 90 00"))
            .expect(&hex("01 A4 04 00 10 A0000005591010FFFFFFFF8900000100"), &hex("90 00"))
            .expect(&hex("81 E2 91 00 06 BF 3E 03 5C 01 5A 00"), &hex("6D 00"))
            .expect(&hex("01 A4 04 00 10 A0000005591010FFFFFFFF8900000200"), &hex("90 00"))
            .expect(&hex("81 CA 00 5A 12"), &hex(&std::format!("5A 10 {eid} 90 00")))
            .expect(&hex("00 70 80 01"), &hex("90 00"));
        let mut link = Link::new(card);
        let options = EidOptions { isd_r_aids: &KNOWN_ISD_R_AIDS[..1], ..EidOptions::DEFAULT };
        let reading = read_eid(&mut link, &options).unwrap();
        assert_eq!((reading.eid.to_string().as_str(), reading.source), (eid, EidSource::Ecasd));
        assert_eq!(link.apdu_count(), 6);
    }
}
