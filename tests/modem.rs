//! The modem transport (feature `modem`) against a fake modem on a
//! pseudo-terminal pair: the fake answers `AT+CSIM` (3GPP TS 27.007 §8.17)
//! by handing the TPDU to the virtual SIM, in the ways real modems do — echo
//! that stays on, unsolicited result codes before and inside an answer,
//! answers that arrive a few bytes at a time, `+CME ERROR` and `ERROR`
//! (§9.2), and a modem that stops answering.

#![cfg(all(feature = "modem", feature = "virtual-sim", unix))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use serialport::{SerialPort, TTYPort};
use simcore::StatusWord;
use simcore::apdu::Command;
use simcore::euicc::{self, EidOptions};
use simcore::transport::modem::{ModemConfig, ModemError, ModemTransport};
use simcore::transport::{CompletionError, ErrorKind, Link, Protocol, Reset, Transport};
use simcore::virtual_sim::profile::{DEFAULT_EID, DEFAULT_ICCID};
use simcore::virtual_sim::{CardProfile, VirtualSim};
use std::io::{Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How the fake modem behaves.
#[derive(Debug, Clone, Copy, Default)]
struct Behaviour {
    /// Keep echoing after ATE0 (some modems ignore it).
    sticky_echo: bool,
    /// Put unsolicited result codes before the +CSIM line and between it and OK.
    urcs: bool,
    /// Answer every AT+CSIM with this line instead.
    fail_csim: Option<&'static str>,
    /// Answer this many AT+CSIM commands, then nothing.
    answer_csims: Option<usize>,
    /// Answer the first AT+CSIM this late (the modem reads nothing meanwhile).
    late_first_csim: Option<Duration>,
}

struct FakeModem {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for FakeModem {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            thread.join().unwrap();
        }
    }
}

/// Write `bytes` in pieces of 7 with a pause, as a slow modem would. A write
/// error means the host closed its side (it may stop reading at the CR of
/// `OK`, before the LF): the answer is abandoned.
fn dribble(port: &mut TTYPort, bytes: &[u8]) {
    for piece in bytes.chunks(7) {
        if port.write_all(piece).and_then(|()| port.flush()).is_err() {
            return;
        }
        std::thread::sleep(Duration::from_micros(300));
    }
}

fn answer(port: &mut TTYPort, sim: &mut VirtualSim, line: &str, state: &mut (bool, usize), how: Behaviour) {
    let (echo, answered) = state;
    if *echo {
        dribble(port, format!("{line}\r").as_bytes());
    }
    if line.eq_ignore_ascii_case("ATE0") {
        *echo = how.sticky_echo;
        dribble(port, b"\r\nOK\r\n");
    } else if line.eq_ignore_ascii_case("AT+CMEE=1") {
        dribble(port, b"\r\nOK\r\n");
    } else if let Some(rest) = line.strip_prefix("AT+CSIM=") {
        if how.answer_csims.is_some_and(|limit| *answered >= limit) {
            return;
        }
        *answered += 1;
        if let (1, Some(late)) = (*answered, how.late_first_csim) {
            std::thread::sleep(late);
        }
        if let Some(failure) = how.fail_csim {
            dribble(port, format!("\r\n{failure}\r\n").as_bytes());
            return;
        }
        let (length, quoted) = rest.split_once(',').unwrap();
        let hex = quoted.trim_matches('"');
        assert_eq!(
            length.parse::<usize>().unwrap(),
            hex.len(),
            "TS 27.007 §8.17: <length> counts hex digits"
        );
        let tpdu = simcore::hex::decode(hex).unwrap();
        let response = sim.respond(&tpdu).unwrap().to_vec();
        let text: String = response.iter().map(|b| format!("{b:02X}")).collect();
        let mut out = String::new();
        if how.urcs {
            out.push_str("\r\n+CREG: 1,\"00C3\",\"0010\"\r\n");
        }
        out.push_str(&format!("\r\n+CSIM: {},\"{text}\"\r\n", text.len()));
        if how.urcs {
            out.push_str("\r\nRING\r\n\r\n^RSSI:17\r\n");
        }
        out.push_str("\r\nOK\r\n");
        dribble(port, out.as_bytes());
    } else {
        dribble(port, b"\r\nERROR\r\n");
    }
}

/// A fake modem holding `profile`'s card on the master side of a pty pair; the
/// transport on the slave side.
fn start(
    profile: &CardProfile,
    how: Behaviour,
    config: ModemConfig,
) -> (Result<ModemTransport, ModemError>, FakeModem) {
    let (fake, slave) = fake_modem(profile, how);
    (ModemTransport::from_port(Box::new(slave), config), fake)
}

/// The fake modem and the slave side of its pty.
fn fake_modem(profile: &CardProfile, how: Behaviour) -> (FakeModem, TTYPort) {
    let (mut master, slave) = TTYPort::pair().unwrap();
    master.set_timeout(Duration::from_millis(20)).unwrap();
    let mut sim = VirtualSim::from_profile(profile).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    let thread = std::thread::spawn(move || {
        let mut line = Vec::new();
        let mut state = (true, 0usize);
        let mut buf = [0u8; 256];
        while !flag.load(Ordering::SeqCst) {
            let n = match master.read(&mut buf) {
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::TimedOut => continue,
                Err(_) => {
                    // Nobody has the slave side open (EIO): wait for the host.
                    std::thread::sleep(Duration::from_millis(10));
                    continue;
                }
            };
            for &byte in &buf[..n] {
                match byte {
                    b'\r' => {
                        let text = String::from_utf8(std::mem::take(&mut line)).unwrap();
                        answer(&mut master, &mut sim, text.trim(), &mut state, how);
                    }
                    b'\n' => {}
                    other => line.push(other),
                }
            }
        }
    });
    (FakeModem { stop, thread: Some(thread) }, slave)
}

const QUICK: ModemConfig = ModemConfig::DEFAULT.with_command_timeout(Duration::from_millis(400));

/// SELECT EF_ICCID (FCP asked: 61XX, GET RESPONSE) and READ BINARY: the ICCID.
fn read_iccid<T: Transport>(link: &mut Link<T>) -> Result<String, CompletionError<T::Error>> {
    let mut buf = [0u8; 258];
    let select = Command::new(0x00, 0xA4, 0x08, 0x04).with_data(&[0x2F, 0xE2]).unwrap().with_ne(256).unwrap();
    assert_eq!(link.transmit(&select, &mut buf)?.sw(), StatusWord::SUCCESS);
    let read = Command::new(0x00, 0xB0, 0x00, 0x00).with_ne(10).unwrap();
    let response = link.transmit(&read, &mut buf)?;
    Ok(simcore::ef::Iccid::from_ef(response.data()).unwrap().as_str().to_string())
}

#[test]
fn a_modem_carries_the_same_apdus_as_a_reader() {
    let (modem, _fake) = start(&CardProfile::euicc(), Behaviour::default(), QUICK);
    let modem = modem.unwrap();
    assert_eq!(modem.atr(), None, "no ATR is made up");
    assert_eq!(modem.protocol(), Protocol::T0);
    let mut link = Link::new(modem);
    assert_eq!(read_iccid(&mut link).unwrap(), DEFAULT_ICCID);
    // SELECT → 61XX, GET RESPONSE, READ BINARY: as against the virtual SIM directly.
    assert_eq!(link.apdu_count(), 3);
    let mut direct = Link::new(VirtualSim::from_profile(&CardProfile::euicc()).unwrap());
    read_iccid(&mut direct).unwrap();
    assert_eq!(direct.apdu_count(), 3);
    // The EID through a logical channel, five APDUs as well.
    link.reset_apdu_count();
    let reading = euicc::read_eid(&mut link, &EidOptions::DEFAULT).unwrap();
    assert_eq!(reading.eid.to_string(), DEFAULT_EID);
    assert_eq!(link.apdu_count(), 5);
    assert_eq!(link.reset(Reset::Warm), Err(ModemError::ResetUnsupported));
}

#[test]
fn echo_that_stays_on_is_skipped() {
    let how = Behaviour { sticky_echo: true, ..Behaviour::default() };
    let (modem, _fake) = start(&CardProfile::default(), how, QUICK);
    let mut link = Link::new(modem.unwrap());
    assert_eq!(read_iccid(&mut link).unwrap(), DEFAULT_ICCID);
}

#[test]
fn unsolicited_result_codes_inside_answers_are_skipped() {
    let how = Behaviour { urcs: true, sticky_echo: true, ..Behaviour::default() };
    let (modem, _fake) = start(&CardProfile::default(), how, QUICK);
    let mut link = Link::new(modem.unwrap());
    assert_eq!(read_iccid(&mut link).unwrap(), DEFAULT_ICCID);
    assert_eq!(link.apdu_count(), 3);
}

#[test]
fn cme_error_says_what_the_number_means() {
    let how = Behaviour { fail_csim: Some("+CME ERROR: 10"), ..Behaviour::default() };
    let (modem, _fake) = start(&CardProfile::default(), how, QUICK);
    let mut link = Link::new(modem.unwrap());
    let error = read_iccid(&mut link).unwrap_err();
    let CompletionError::Transport(ModemError::Cme(cme)) = error else { panic!("{error:?}") };
    assert_eq!(cme.code, Some(10));
    assert_eq!(cme.meaning(), Some("SIM not inserted"), "TS 27.007 §9.2.1");
    assert_eq!(error.kind(), ErrorKind::NoCard);
    assert!(error.to_string().contains("SIM not inserted"), "{error}");

    let how = Behaviour { fail_csim: Some("ERROR"), ..Behaviour::default() };
    let (modem, _fake) = start(&CardProfile::default(), how, QUICK);
    let mut link = Link::new(modem.unwrap());
    assert_eq!(read_iccid(&mut link).unwrap_err(), CompletionError::Transport(ModemError::Error));
}

#[test]
fn a_modem_that_stops_answering_times_out() {
    let how = Behaviour { answer_csims: Some(1), ..Behaviour::default() };
    let (modem, _fake) = start(&CardProfile::default(), how, QUICK);
    let mut link = Link::new(modem.unwrap());
    let mut buf = [0u8; 258];
    let select = Command::new(0x00, 0xA4, 0x00, 0x0C).with_data(&[0x3F, 0x00]).unwrap();
    assert_eq!(link.transmit(&select, &mut buf).unwrap().sw(), StatusWord::SUCCESS);
    let started = Instant::now();
    let error = link.transmit(&select, &mut buf).unwrap_err();
    let waited = started.elapsed();
    let CompletionError::Transport(ModemError::Timeout { waited_ms }) = error else { panic!("{error:?}") };
    // At least the configured 400 ms; the upper bound only catches a hang.
    assert!(waited_ms >= 400, "{waited_ms} ms");
    assert!(waited < Duration::from_secs(10), "{waited:?}");
    assert_eq!(error.kind(), ErrorKind::Timeout);
}

#[test]
fn a_late_answer_is_not_taken_for_the_next_commands() {
    // The first command's answer comes 700 ms late, after its 400 ms timeout.
    // TS 27.007 §8.17 ties no answer to its command: READ BINARY with no EF
    // selected answers 69 86; SELECT MF after it must get its own 90 00.
    let how = Behaviour { late_first_csim: Some(Duration::from_millis(700)), ..Behaviour::default() };
    let (modem, _fake) = start(&CardProfile::default(), how, QUICK);
    let mut modem = modem.unwrap();
    let mut buf = [0u8; 258];
    let error = modem.transmit(&[0x00, 0xB0, 0x00, 0x00, 0x0A], &mut buf).unwrap_err();
    assert!(matches!(error, ModemError::Timeout { .. }), "{error:?}");
    let select_mf = [0x00, 0xA4, 0x00, 0x0C, 0x02, 0x3F, 0x00];
    assert_eq!(modem.transmit(&select_mf, &mut buf).unwrap(), [0x90, 0x00]);
    let read = [0x00, 0xB0, 0x00, 0x00, 0x0A];
    assert_eq!(modem.transmit(&read, &mut buf).unwrap(), [0x69, 0x86], "no EF selected, answered in turn");
}

#[test]
fn a_silent_port_fails_at_open() {
    // Nothing answers ATE0: the open fails with a timeout instead of hanging.
    let (_master, slave) = TTYPort::pair().unwrap();
    let error = ModemTransport::from_port(Box::new(slave), QUICK).unwrap_err();
    assert!(matches!(error, ModemError::Timeout { .. }), "{error:?}");
}

#[test]
fn sim_info_reads_a_card_through_a_modem() {
    // `sim_info --modem PATH`, built with feature modem (CI builds the examples
    // with it before this test), against the fake modem's pseudo-terminal.
    let exe = std::env::current_exe().unwrap();
    let bin = exe.parent().unwrap().parent().unwrap().join("examples").join("sim_info");
    let ci = std::env::var_os("SIMCORE_CI").is_some();
    if !bin.exists() {
        assert!(!ci, "{} missing: CI builds the examples with --features modem", bin.display());
        println!("skipped: {} not built (cargo build --features modem --examples)", bin.display());
        return;
    }
    let (_fake, slave) = fake_modem(&CardProfile::euicc(), Behaviour { urcs: true, ..Behaviour::default() });
    let path = slave.name().unwrap();
    // The example opens the path itself (serialport opens ports exclusively).
    drop(slave);
    let out = std::process::Command::new(&bin)
        .args(["--modem", &path, "--verify-pin", "--json"])
        .env("SIMCORE_PIN", "1234")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("needs the modem transport") {
        assert!(!ci, "{} was built without feature modem", bin.display());
        println!("skipped: {} built without feature modem", bin.display());
        return;
    }
    assert!(out.status.success(), "{stderr}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["atr"], serde_json::Value::Null, "a modem has no ATR to show");
    assert_eq!(v["iccid"], DEFAULT_ICCID);
    assert_eq!(v["imsi"], simcore::virtual_sim::profile::DEFAULT_IMSI);
    assert_eq!(v["identity_source"], "usim");
    assert_eq!(v["eid"], DEFAULT_EID);
    // Without an ATR nothing forbids partial DF names: ADF.USIM by the prefix,
    // as with the card in a reader (34 APDUs, tests/examples_card.rs).
    assert_eq!(v["apdu_count"], 34);
}
