//! The virtual card on a pseudo-terminal (feature `serial`), spoken to byte by
//! byte like a Phoenix reader would: ATR, PPS (ISO/IEC 7816-3 §9, vector V13's
//! shape), T=0 procedure bytes (§10.3.3) and status bytes, in both
//! conventions (§8.1, vector V12).

#![cfg(all(feature = "serial", unix))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use serialport::{SerialPort, TTYPort};
use simcore::Profile;
use simcore::atr::Convention;
use simcore::virtual_sim::t0_serial::{ResetSignal, T0Engine, T0Options, serve};
use simcore::virtual_sim::{CardProfile, VirtualSim};
use std::io::{Read, Write};
use std::time::{Duration, Instant};

/// Read exactly `n` bytes within two seconds.
fn read_n(port: &mut TTYPort, n: usize) -> Vec<u8> {
    let mut out = vec![0u8; n];
    let mut got = 0;
    let deadline = Instant::now() + Duration::from_secs(2);
    while got < n {
        assert!(Instant::now() < deadline, "timed out after {got} of {n} bytes: {:02X?}", &out[..got]);
        match port.read(&mut out[got..]) {
            Ok(k) => got += k,
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(e) => panic!("{e}"),
        }
    }
    out
}

fn start(
    personality: Profile,
    options: T0Options,
) -> (TTYPort, ResetSignal, std::thread::JoinHandle<()>, Vec<u8>) {
    let (mut master, mut slave) = TTYPort::pair().unwrap();
    slave.set_timeout(Duration::from_millis(50)).unwrap();
    let signal = ResetSignal::new();
    let card_signal = signal.clone();
    let mut sim = VirtualSim::from_profile(&CardProfile::default().with_personality(personality)).unwrap();
    let atr = sim.atr_bytes().to_vec();
    let handle = std::thread::spawn(move || {
        let mut engine = T0Engine::new(options);
        serve(&mut sim, &mut engine, &mut master, &card_signal).unwrap();
    });
    (slave, signal, handle, atr)
}

#[test]
fn sim_over_a_pty() {
    let (mut host, signal, handle, atr) = start(Profile::Sim, T0Options::default());
    assert_eq!(read_n(&mut host, atr.len()), atr);
    // PPS with the ATR's TA1 (94), T=0: echoed.
    host.write_all(&[0xFF, 0x10, 0x94, 0x7B]).unwrap();
    assert_eq!(read_n(&mut host, 4), [0xFF, 0x10, 0x94, 0x7B]);
    // SELECT EF_ICCID: ACK, then data, then 9F 0F.
    host.write_all(&[0xA0, 0xA4, 0x00, 0x00, 0x02]).unwrap();
    assert_eq!(read_n(&mut host, 1), [0xA4]);
    host.write_all(&[0x2F, 0xE2]).unwrap();
    assert_eq!(read_n(&mut host, 2), [0x9F, 0x0F]);
    // READ BINARY: ACK, 10 bytes, 90 00.
    host.write_all(&[0xA0, 0xB0, 0x00, 0x00, 0x0A]).unwrap();
    let answer = read_n(&mut host, 13);
    assert_eq!(answer[0], 0xB0);
    let iccid = simcore::ef::Iccid::from_ef(&answer[1..11]).unwrap();
    assert_eq!(iccid.as_str(), simcore::virtual_sim::profile::DEFAULT_ICCID);
    assert_eq!(answer[11..], [0x90, 0x00]);
    // A reset brings the ATR again.
    signal.reset();
    assert_eq!(read_n(&mut host, atr.len()), atr);
    signal.stop();
    handle.join().unwrap();
}

#[test]
fn uicc_inverse_convention_one_byte_at_a_time() {
    let options = T0Options { convention: Convention::Inverse, one_byte_at_a_time: true, null_bytes: 1 };
    let (mut host, signal, handle, atr) = start(Profile::Uicc, options);
    let inverse = Convention::Inverse;
    let line = read_n(&mut host, atr.len());
    assert_eq!(line[0], 0x03, "TS 3F reads 03 on a direct UART (V12)");
    let logical: Vec<u8> = line.iter().map(|&b| inverse.from_line(b)).collect();
    assert_eq!(logical[1..], atr[1..]);
    let send = |host: &mut TTYPort, bytes: &[u8]| {
        let line: Vec<u8> = bytes.iter().map(|&b| inverse.to_line(b)).collect();
        host.write_all(&line).unwrap();
    };
    let recv = |host: &mut TTYPort, n: usize| -> Vec<u8> {
        read_n(host, n).iter().map(|&b| inverse.from_line(b)).collect()
    };
    // The empty VERIFY (V74): P3 = 00, no data: NULL then 63 C3.
    send(&mut host, &[0x00, 0x20, 0x00, 0x01, 0x00]);
    assert_eq!(recv(&mut host, 3), [0x60, 0x63, 0xC3]);
    // VERIFY PIN1 "1234": ~INS (DF) before each of the 8 bytes.
    send(&mut host, &[0x00, 0x20, 0x00, 0x01, 0x08]);
    for &b in &[0x31, 0x32, 0x33, 0x34, 0xFF, 0xFF, 0xFF] {
        assert_eq!(recv(&mut host, 1), [0xDF]);
        send(&mut host, &[b]);
    }
    assert_eq!(recv(&mut host, 1), [0xDF]);
    send(&mut host, &[0xFF]);
    assert_eq!(recv(&mut host, 3), [0x60, 0x90, 0x00]);
    signal.stop();
    handle.join().unwrap();
}

/// The built-in virtual UICC served on a pseudo-terminal whose host side is
/// left closed: its path, the reset signal, the card's thread and its ATR.
fn serve_on_a_path() -> (String, ResetSignal, std::thread::JoinHandle<()>, Vec<u8>) {
    let (mut master, slave) = TTYPort::pair().unwrap();
    let path = slave.name().unwrap();
    drop(slave);
    let signal = ResetSignal::new();
    let card_signal = signal.clone();
    let mut sim = VirtualSim::new();
    let atr = sim.atr_bytes().to_vec();
    let handle = std::thread::spawn(move || {
        let mut engine = T0Engine::new(T0Options::default());
        serve(&mut sim, &mut engine, &mut master, &card_signal).unwrap();
    });
    (path, signal, handle, atr)
}

#[test]
fn opening_the_pty_is_inserting_the_card() {
    // The card side keeps only the master; a host opening the slave's path gets
    // the ATR, and reopening it resets the card (a PIN verification is lost).
    let (path, signal, handle, atr) = serve_on_a_path();
    for round in 0..2 {
        let mut host = serialport::new(&path, 9600).timeout(Duration::from_millis(50)).open_native().unwrap();
        assert_eq!(read_n(&mut host, atr.len()), atr, "round {round}");
        // The counter query (V74): 3 attempts left each time, and READ of EF_IMSI by SFI
        // after a fresh insertion needs PIN1 again (69 82).
        host.write_all(&[0x00, 0x20, 0x00, 0x01, 0x00]).unwrap();
        assert_eq!(read_n(&mut host, 2), [0x63, 0xC3]);
        host.write_all(&[0x00, 0xA4, 0x04, 0x0C, 0x07]).unwrap();
        assert_eq!(read_n(&mut host, 1), [0xA4]);
        host.write_all(&[0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02]).unwrap();
        assert_eq!(read_n(&mut host, 2), [0x90, 0x00]);
        host.write_all(&[0x00, 0xB0, 0x87, 0x00, 0x09]).unwrap();
        assert_eq!(read_n(&mut host, 2), [0x69, 0x82]);
        host.write_all(&[0x00, 0x20, 0x00, 0x01, 0x08]).unwrap();
        assert_eq!(read_n(&mut host, 1), [0x20]);
        host.write_all(&[0x31, 0x32, 0x33, 0x34, 0xFF, 0xFF, 0xFF, 0xFF]).unwrap();
        assert_eq!(read_n(&mut host, 2), [0x90, 0x00]);
        drop(host);
        // The card notices the removal when a read fails (EIO); a reopen faster than its
        // 20 ms polling would go unseen, as a card pulled and pushed back within one poll.
        std::thread::sleep(Duration::from_millis(200));
    }
    signal.stop();
    handle.join().unwrap();
}

#[test]
fn the_serial_transport_reads_the_atr_the_card_sent_on_opening() {
    // ResetLine::None without a hook: nothing resets the card, so at open the
    // transport keeps what the card sent as the port opened (its ATR) instead
    // of discarding it, negotiates PPS (TA1 96) and speaks T=0. The card side
    // has no reader echo, hence `with_echo(false)`.
    use simcore::transport::serial::{PpsOutcome, ResetLine, SerialConfig, SerialTransport};
    use simcore::transport::{Link, Transport};
    let (path, signal, handle, atr) = serve_on_a_path();
    let config = SerialConfig::DEFAULT.with_reset_line(ResetLine::None).with_echo(false);
    let reader = SerialTransport::open(&path, config).unwrap();
    assert_eq!(reader.atr(), Some(&atr[..]));
    assert!(matches!(reader.pps_outcome(), PpsOutcome::Accepted(_)), "{:?}", reader.pps_outcome());
    let mut link = Link::new(reader);
    let mut buf = [0u8; 258];
    // SELECT EF_ICCID from the MF (P2 = 0C), READ BINARY by FID.
    let select = simcore::apdu::Command::new(0x00, 0xA4, 0x00, 0x0C).with_data(&[0x2F, 0xE2]).unwrap();
    assert_eq!(link.transmit(&select, &mut buf).unwrap().sw(), simcore::StatusWord::SUCCESS);
    let read = simcore::apdu::Command::new(0x00, 0xB0, 0x00, 0x00).with_ne(10).unwrap();
    let response = link.transmit(&read, &mut buf).unwrap();
    let iccid = simcore::ef::Iccid::from_ef(response.data()).unwrap();
    assert_eq!(iccid.as_str(), simcore::virtual_sim::profile::DEFAULT_ICCID);
    drop(link);
    signal.stop();
    handle.join().unwrap();
}

#[test]
fn a_failed_pps_without_a_reset_line_is_the_error() {
    // With the reader's echo expected from a line that has none, the card's
    // PPS answer is read as the echo and the answer never comes. ISO/IEC
    // 7816-3 §9.3 would reset the card now; without a reset line nothing can,
    // so the open fails with that timeout instead of waiting for an ATR.
    use simcore::transport::serial::{ResetLine, SerialConfig, SerialError, SerialTransport};
    let (path, signal, handle, _) = serve_on_a_path();
    let config = SerialConfig::DEFAULT.with_reset_line(ResetLine::None);
    let error = SerialTransport::open(&path, config).map(|_| ()).unwrap_err();
    assert!(matches!(error, SerialError::Timeout { .. }), "{error:?}");
    signal.stop();
    handle.join().unwrap();
}
