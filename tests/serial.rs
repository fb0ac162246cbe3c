//! The serial reader transport (feature `serial`) against the virtual SIM
//! speaking the T=0 character protocol on a pseudo-terminal pair.
//!
//! The card side is the virtual SIM's [`T0Engine`] behind a small model of a
//! Phoenix reader's one-wire I/O line: every byte the host sends is echoed
//! back before the card's answer (ISO/IEC 7816-3 §7, the reader design of
//! pySim's serial backend), and RST is a flag the transport's reset hook sets
//! (a pseudo-terminal has no modem lines). The model can mute the card,
//! corrupt one echo, refuse or ignore PPS, so every failure path of the
//! transport runs here: ATR (both conventions, §8.1 and vector V12), PPS
//! (§9, vector V13's shape), NULL bytes and ~INS single-byte transfers
//! (§10.3.3), a card that stops answering and a corrupted echo.

#![cfg(all(feature = "serial", unix))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod readers_common;

use readers_common as common;
use serialport::{SerialPort, TTYPort};
use simcore::Profile;
use simcore::atr::{Convention, FiDi, Pps};
use simcore::transport::serial::{PpsOutcome, PpsPolicy, SerialConfig, SerialError, SerialTransport};
use simcore::transport::{Error, ErrorKind, Link, Protocol, Reset, Transport};
use simcore::virtual_sim::t0_serial::{T0Engine, T0Options};
use simcore::virtual_sim::{CardProfile, VirtualSim, profile};
use std::io::{Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// What the line model does besides carrying bytes.
#[derive(Default)]
struct Faults {
    /// The card sends nothing (the echo, being the reader's, still comes).
    mute: AtomicBool,
    /// Flip bit 0 of the next echoed byte.
    corrupt_next_echo: AtomicBool,
    /// Flip bit 0 of the echo of the next byte equal to this value less one (0: none).
    corrupt_echo_of: AtomicUsize,
    /// Answer a PPS request with `FF 00 FF` (T=0, PPS1 left out: Fd/Dd kept).
    refuse_pps: AtomicBool,
    /// Ignore a PPS request entirely (as a card that does not support it).
    ignore_pps: AtomicBool,
    /// Resets seen.
    resets: AtomicUsize,
}

/// The card end of a pseudo-terminal: the virtual SIM, the echo, RST.
struct Card {
    rst: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
    faults: Arc<Faults>,
    thread: Option<JoinHandle<()>>,
    atr: Vec<u8>,
}

impl Drop for Card {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            thread.join().unwrap();
        }
    }
}

/// A PPS request in progress (line bytes), intercepted by the line model.
fn pps_len(request: &[u8]) -> usize {
    request.get(1).map_or(3, |pps0| 3 + (pps0 & 0x70).count_ones() as usize)
}

fn serve(mut master: TTYPort, mut sim: VirtualSim, options: T0Options, card: &Card) -> JoinHandle<()> {
    let (rst, stop, faults) = (card.rst.clone(), card.stop.clone(), card.faults.clone());
    master.set_timeout(Duration::from_millis(2)).unwrap();
    std::thread::spawn(move || {
        let mut engine = T0Engine::new(options);
        let mut in_reset = true;
        let mut after_atr = false;
        let mut pps: Vec<u8> = Vec::new();
        let mut buf = [0u8; 64];
        while !stop.load(Ordering::SeqCst) {
            let mut out = Vec::new();
            if rst.load(Ordering::SeqCst) {
                in_reset = true;
            } else if in_reset {
                in_reset = false;
                faults.resets.fetch_add(1, Ordering::SeqCst);
                engine.reset(&mut sim, &mut out);
                after_atr = true;
                pps.clear();
                if faults.mute.load(Ordering::SeqCst) {
                    out.clear();
                }
            }
            let n = match master.read(&mut buf) {
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::TimedOut => 0,
                Err(_) => return, // the host closed its end
            };
            for &line in &buf[..n] {
                // The reader's echo: the host's own byte, as the wire carries it.
                let mut corrupt = faults.corrupt_next_echo.swap(false, Ordering::SeqCst);
                let this = usize::from(line) + 1;
                corrupt |= faults
                    .corrupt_echo_of
                    .compare_exchange(this, 0, Ordering::SeqCst, Ordering::SeqCst)
                    .is_ok();
                out.push(if corrupt { line ^ 0x01 } else { line });
                if in_reset {
                    continue;
                }
                let logical = options.convention.from_line(line);
                let intercept =
                    faults.refuse_pps.load(Ordering::SeqCst) || faults.ignore_pps.load(Ordering::SeqCst);
                if intercept && (!pps.is_empty() || (after_atr && logical == 0xFF)) {
                    pps.push(logical);
                    if pps.len() == pps_len(&pps) {
                        after_atr = false;
                        if faults.refuse_pps.load(Ordering::SeqCst) {
                            out.extend(Pps::new(0).to_bytes().iter().map(|&b| options.convention.to_line(b)));
                        }
                        pps.clear();
                    }
                    continue;
                }
                after_atr = false;
                let mut answer = Vec::new();
                engine.receive(line, &mut sim, &mut answer);
                if !faults.mute.load(Ordering::SeqCst) {
                    out.extend(answer);
                }
            }
            if !out.is_empty() && master.write_all(&out).is_err() {
                return;
            }
        }
    })
}

/// A card with `profile` and `options` on a fresh pseudo-terminal; returns
/// the host's end too.
fn card(profile: &CardProfile, options: T0Options, faults: Faults) -> (Card, TTYPort) {
    card_of(VirtualSim::from_profile(profile).unwrap(), options, faults)
}

fn card_of(sim: VirtualSim, options: T0Options, faults: Faults) -> (Card, TTYPort) {
    let (master, slave) = TTYPort::pair().unwrap();
    let atr = sim.atr_bytes().to_vec();
    let mut card = Card {
        rst: Arc::new(AtomicBool::new(true)),
        stop: Arc::new(AtomicBool::new(false)),
        faults: Arc::new(faults),
        thread: None,
        atr,
    };
    card.thread = Some(serve(master, sim, options, &card));
    (card, slave)
}

/// The test configuration: a short margin (a pseudo-terminal has no USB
/// latency) and a short reset.
fn config() -> SerialConfig {
    SerialConfig::DEFAULT.with_margin(Duration::from_millis(50)).with_reset_hold(Duration::from_millis(20))
}

fn open(card: &Card, port: TTYPort, config: SerialConfig) -> Result<SerialTransport, SerialError> {
    let rst = card.rst.clone();
    SerialTransport::from_port_with_reset(Box::new(port), config, move |hold| {
        rst.store(hold, Ordering::SeqCst);
        Ok(())
    })
}

fn uicc() -> CardProfile {
    CardProfile::default()
}

fn sim() -> CardProfile {
    CardProfile::default().with_personality(Profile::Sim)
}

#[test]
fn uicc_atr_pps_and_a_session() {
    let (card, port) = card(&uicc(), T0Options::default(), Faults::default());
    let reader = open(&card, port, config()).unwrap();
    assert_eq!(reader.atr(), Some(card.atr.as_slice()));
    assert_eq!(reader.protocol(), Protocol::T0);
    assert_eq!(reader.convention(), Convention::Direct);
    // TA1 96 (Fi 512, Di 32): vector V13's request FF 10 96 79, echoed by the card,
    // and the port at 3.5712 MHz × 32 / 512 = 223 200 baud.
    assert_eq!(reader.pps_outcome(), PpsOutcome::Accepted(Pps::new(0).with_fi_di(FiDi::from_byte(0x96))));
    assert_eq!(reader.fi_di(), FiDi::from_byte(0x96));
    assert_eq!(reader.baud_rate(), 223_200);
    assert_eq!(reader.port().baud_rate().unwrap(), 223_200);
    // WT = WI 10 × 960 × Fi 512 / 3.5712 MHz = 1.376 s (§10.2).
    assert_eq!(reader.work_waiting_time().as_millis(), 1376);
    let mut link = Link::new(reader);
    assert_eq!(common::read_iccid(&mut link, Profile::Uicc), profile::DEFAULT_ICCID);
    // PIN flow: the counter query (V74), a wrong PIN spends one attempt, the right one works.
    let mut buf = [0u8; 258];
    assert_eq!(link.transmit_raw(&[0x00, 0x20, 0x00, 0x01], &mut buf).unwrap().sw().to_u16(), 0x63C3);
    assert_eq!(link.transmit_raw(&common::verify(0x00, b"0000"), &mut buf).unwrap().sw().to_u16(), 0x63C2);
    assert_eq!(link.transmit_raw(&common::verify(0x00, b"0000"), &mut buf).unwrap().sw().to_u16(), 0x63C1);
    assert_eq!(link.transmit_raw(&common::verify(0x00, b"1234"), &mut buf).unwrap().sw().to_u16(), 0x9000);
    // Verified now: the query answers 90 00, no count (ISO/IEC 7816-4 VERIFY without data).
    assert_eq!(link.transmit_raw(&[0x00, 0x20, 0x00, 0x01], &mut buf).unwrap().sw().to_u16(), 0x9000);
    // A reset: ATR again, PPS again, and the card answers as before.
    assert_eq!(link.reset(Reset::Cold).unwrap(), Reset::Warm);
    assert_eq!(card.faults.resets.load(Ordering::SeqCst), 2);
    assert_eq!(link.transport().baud_rate(), 223_200);
    assert_eq!(common::read_iccid(&mut link, Profile::Uicc), profile::DEFAULT_ICCID);
}

#[test]
fn sim_with_null_bytes_and_single_byte_transfers() {
    let options = T0Options { one_byte_at_a_time: true, null_bytes: 3, ..T0Options::default() };
    let (card, port) = card(&sim(), options, Faults::default());
    let reader = open(&card, port, config()).unwrap();
    // TA1 94: 55 800 baud after PPS.
    assert_eq!(reader.baud_rate(), 55_800);
    let mut link = Link::new(reader);
    // Each data byte moves after its own ~INS; NULLs come before every answer.
    assert_eq!(common::read_iccid(&mut link, Profile::Sim), profile::DEFAULT_ICCID);
    let mut buf = [0u8; 258];
    // TS 51.011: a wrong CHV1 answers 98 04; CHV1 "1234" then 90 00.
    assert_eq!(link.transmit_raw(&common::verify(0xA0, b"9999"), &mut buf).unwrap().sw().to_u16(), 0x9804);
    assert_eq!(link.transmit_raw(&common::verify(0xA0, b"1234"), &mut buf).unwrap().sw().to_u16(), 0x9000);
}

#[test]
fn inverse_convention() {
    let options = T0Options { convention: Convention::Inverse, ..T0Options::default() };
    let (card, port) = card(&uicc(), options, Faults::default());
    let reader = open(&card, port, config()).unwrap();
    // TS arrived as 03 (vector V12); the ATR is kept in logical bytes.
    assert_eq!(reader.convention(), Convention::Inverse);
    assert_eq!(reader.atr().unwrap()[0], 0x3F);
    assert_eq!(reader.atr().unwrap()[1..], card.atr[1..]);
    assert!(matches!(reader.pps_outcome(), PpsOutcome::Accepted(_)));
    let mut link = Link::new(reader);
    assert_eq!(common::read_iccid(&mut link, Profile::Uicc), profile::DEFAULT_ICCID);
}

#[test]
fn pps_refused_ignored_or_off_stays_at_9600() {
    // The card answers FF 00 FF: T=0 at Fd/Dd (§9.3).
    let faults = Faults { refuse_pps: AtomicBool::new(true), ..Faults::default() };
    let (card_a, port) = card(&uicc(), T0Options::default(), faults);
    let reader = open(&card_a, port, config()).unwrap();
    assert_eq!(reader.pps_outcome(), PpsOutcome::Refused(Pps::new(0)));
    assert_eq!((reader.baud_rate(), reader.fi_di()), (9600, FiDi::DEFAULT));
    let mut link = Link::new(reader);
    assert_eq!(common::read_iccid(&mut link, Profile::Uicc), profile::DEFAULT_ICCID);

    // The card says nothing: the transport resets it and goes on without PPS.
    let faults = Faults { ignore_pps: AtomicBool::new(true), ..Faults::default() };
    let (card_b, port) = card(&uicc(), T0Options::default(), faults);
    let reader = open(&card_b, port, config()).unwrap();
    assert!(matches!(reader.pps_outcome(), PpsOutcome::Failed(SerialError::Timeout { offset: 0, .. })));
    assert_eq!(card_b.faults.resets.load(Ordering::SeqCst), 2);
    assert_eq!(reader.baud_rate(), 9600);
    let mut link = Link::new(reader);
    assert_eq!(common::read_iccid(&mut link, Profile::Uicc), profile::DEFAULT_ICCID);

    // A rate above the configured limit, and PPS switched off.
    let (card_c, port) = card(&uicc(), T0Options::default(), Faults::default());
    let reader = open(&card_c, port, config().with_max_baud_rate(Some(115_200))).unwrap();
    assert_eq!(reader.pps_outcome(), PpsOutcome::RateNotSupported { baud: 223_200 });
    assert_eq!(reader.baud_rate(), 9600);
    let (card_d, port) = card(&sim(), T0Options::default(), Faults::default());
    let reader = open(&card_d, port, config().with_pps(PpsPolicy::Off)).unwrap();
    assert_eq!((reader.pps_outcome(), reader.baud_rate()), (PpsOutcome::Disabled, 9600));
    let mut link = Link::new(reader);
    assert_eq!(common::read_iccid(&mut link, Profile::Sim), profile::DEFAULT_ICCID);
}

#[test]
fn a_card_that_stops_answering_times_out() {
    // TC2 = 01: WI 1, so WT = 960 × 512 / 3.5712 MHz = 137.6 ms (§10.2), 137 in whole ms.
    let profile = CardProfile { atr: Some("3B 95 94 40 01 56 53 49 4D 31".into()), ..sim() };
    let (card, port) = card(&profile, T0Options::default(), Faults::default());
    let mut reader = open(&card, port, config()).unwrap();
    assert_eq!(reader.work_waiting_time().as_millis(), 137);
    let mut buf = [0u8; 258];
    let status = [0xA0, 0xF2, 0x00, 0x00, 0x16];
    assert!(reader.transmit(&status, &mut buf).is_ok());
    card.faults.mute.store(true, Ordering::SeqCst);
    let start = Instant::now();
    let error = reader.transmit(&status, &mut buf).unwrap_err();
    let took = start.elapsed();
    assert_eq!(error, SerialError::Timeout { offset: 0, waited_ms: 187 });
    assert_eq!(error.kind(), ErrorKind::Timeout);
    // Only a hang guard: the wait itself is the `waited_ms` above.
    assert!(took < Duration::from_secs(10), "{took:?}");
    // Back to life after a reset.
    card.faults.mute.store(false, Ordering::SeqCst);
    reader.reset(Reset::Warm).unwrap();
    let response = reader.transmit(&status, &mut buf).unwrap();
    assert_eq!(response.len(), 0x16 + 2);
    // A card that never answers to reset.
    card.faults.mute.store(true, Ordering::SeqCst);
    let error = reader.reset(Reset::Warm).unwrap_err();
    assert!(matches!(error, SerialError::NoAtr { .. }), "{error:?}");
    assert_eq!(error.kind(), ErrorKind::NoCard);
}

#[test]
fn a_corrupted_echo_is_an_error() {
    let (card, port) = card(&sim(), T0Options::default(), Faults::default());
    let mut reader = open(&card, port, config()).unwrap();
    let mut buf = [0u8; 258];
    card.faults.corrupt_next_echo.store(true, Ordering::SeqCst);
    let error = reader.transmit(&[0xA0, 0xF2, 0x00, 0x00, 0x16], &mut buf).unwrap_err();
    assert_eq!(error, SerialError::Echo { offset: 0 });
    assert_eq!(error.kind(), ErrorKind::Protocol);
    reader.reset(Reset::Warm).unwrap();
    assert!(reader.transmit(&[0xA0, 0xF2, 0x00, 0x00, 0x16], &mut buf).is_ok());
    // A corrupted echo during PPS: the exchange fails, the card is reset, 9600 baud.
    card.faults.corrupt_next_echo.store(true, Ordering::SeqCst);
    reader.reset(Reset::Warm).unwrap();
    assert!(matches!(reader.pps_outcome(), PpsOutcome::Failed(SerialError::Echo { offset: 0, .. })));
    assert_eq!(reader.baud_rate(), 9600);
    assert!(reader.transmit(&[0xA0, 0xF2, 0x00, 0x00, 0x16], &mut buf).is_ok());
}

#[test]
fn a_corrupted_echo_of_a_pin_digit_does_not_show_the_digit() {
    // VERIFY CHV1 "1234" (vector V71); the echo of '3' (33), sent only in the
    // data phase, comes back as 32. The error names where (byte 7 of the
    // TPDU, after the ACK or after its own ~INS), not which bytes.
    for one_byte_at_a_time in [false, true] {
        let options = T0Options { one_byte_at_a_time, ..T0Options::default() };
        let (card, port) = card(&sim(), options, Faults::default());
        let mut reader = open(&card, port, config()).unwrap();
        let mut buf = [0u8; 258];
        card.faults.corrupt_echo_of.store(0x33 + 1, Ordering::SeqCst);
        let verify = [0xA0, 0x20, 0x00, 0x01, 0x08, 0x31, 0x32, 0x33, 0x34, 0xFF, 0xFF, 0xFF, 0xFF];
        let error = reader.transmit(&verify, &mut buf).unwrap_err();
        assert_eq!(error, SerialError::Echo { offset: 7 }, "one byte at a time: {one_byte_at_a_time}");
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains("33") && !shown.contains("32") && !shown.contains("34"), "{shown}");
    }
}

#[test]
fn a_byte_after_the_atr_does_not_spoil_pps() {
    // A T=0-only card that sends a TCK anyway (A5, past the ATR's end:
    // Warning::ExtraBytes). It is no answer to the PPS request that follows.
    let profile = CardProfile { atr: Some("3B 95 94 40 01 56 53 49 4D 31 A5".into()), ..sim() };
    let (card, port) = card(&profile, T0Options::default(), Faults::default());
    let reader = open(&card, port, config()).unwrap();
    assert_eq!(reader.pps_outcome(), PpsOutcome::Accepted(Pps::new(0).with_fi_di(FiDi::from_byte(0x94))));
    assert_eq!(reader.atr().unwrap().len(), 10);
    assert_eq!(card.faults.resets.load(Ordering::SeqCst), 1);
    let mut link = Link::new(reader);
    assert_eq!(common::read_iccid(&mut link, Profile::Sim), profile::DEFAULT_ICCID);
}

#[test]
fn the_work_waiting_time_counts_fi_from_ta1() {
    // ISO/IEC 7816-3:2006 §10.2: WT = WI × 960 × Fi / f, Fi from TA1, also
    // when PPS left Fd = 372 in force. TA1 94 (Fi 512), TC2 01: 960 × 512 /
    // 3.5712 MHz = 137.6 ms, where Fd would give 100 ms.
    let profile = CardProfile { atr: Some("3B 95 94 40 01 56 53 49 4D 31".into()), ..sim() };
    let (card_a, port) = card(&profile, T0Options::default(), Faults::default());
    let reader = open(&card_a, port, config().with_pps(PpsPolicy::Off)).unwrap();
    assert_eq!((reader.fi_di(), reader.work_waiting_time().as_millis()), (FiDi::DEFAULT, 137));
    let faults = Faults { refuse_pps: AtomicBool::new(true), ..Faults::default() };
    let (card_b, port) = card(&profile, T0Options::default(), faults);
    let reader = open(&card_b, port, config()).unwrap();
    assert!(matches!(reader.pps_outcome(), PpsOutcome::Refused(_)), "{:?}", reader.pps_outcome());
    assert_eq!((reader.fi_di(), reader.work_waiting_time().as_millis()), (FiDi::DEFAULT, 137));
    // TC2 = 00 is reserved (§10.2): counted as the default WI 10, not as no wait:
    // 10 × 960 × 512 / 3.5712 MHz = 1376 ms.
    let profile = CardProfile { atr: Some("3B 95 94 40 00 56 53 49 4D 31".into()), ..sim() };
    let (card_c, port) = card(&profile, T0Options::default(), Faults::default());
    let reader = open(&card_c, port, config().with_pps(PpsPolicy::Off)).unwrap();
    assert_eq!(reader.work_waiting_time().as_millis(), 1376);
}

#[test]
fn ports_without_modem_lines_or_without_a_device() {
    // A pseudo-terminal has no RTS: the default reset line fails with a hint.
    let (_master, slave) = TTYPort::pair().unwrap();
    let path = slave.name().unwrap();
    let error = SerialTransport::open(&path, config()).unwrap_err();
    assert!(matches!(error, SerialError::ResetLine { .. }), "{error:?}");
    assert_eq!(error.kind(), ErrorKind::Io);
    assert!(error.to_string().contains("ResetLine::None"));
    let error = SerialTransport::open("/dev/simcore-no-such-reader", config()).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NoReader, "{error:?}");
}

#[test]
fn the_session_identity_and_pin_guard_through_the_serial_reader() {
    for personality in [Profile::Uicc, Profile::Sim] {
        let (card, port) =
            card_of(common::guarded_card(personality), T0Options::default(), Faults::default());
        let reader = open(&card, port, config()).unwrap();
        common::session_flows(reader, personality);
    }
}
