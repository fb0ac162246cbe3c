//! The PC/SC transport (feature `pcsc`) across pcscd restarts: the context
//! and card handle of a stopped pcscd are dead, and the transport must
//! establish a new context with the next one instead of failing forever.
//!
//! This test stops and starts pcscd itself, so it runs alone, after the other
//! PC/SC tests: it stops the pcscd whose PID is in `SIMCORE_PCSCD_PID` (CI's),
//! or, when no pcscd runs, starts its own; every pcscd it starts is its child
//! and is stopped by PID when the test ends, also on failure. With a pcscd it
//! did not start and no PID it prints "skipped: …" (fails under `SIMCORE_CI`).
//! Like tests/pcsc.rs it runs only with `SIMCORE_PCSC_TESTS=1`.

#![cfg(feature = "pcsc")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod readers_common;

use readers_common as common;
use readers_common::pcsc::{READER, ServedCard};
use simcore::Profile;
use simcore::transport::pcsc::{PcscConfig, PcscError, PcscTransport, readers};
use simcore::transport::{Error, ErrorKind, Link, Transport};
use simcore::virtual_sim::{CardProfile, profile};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A pcscd this test started, stopped (SIGTERM, then waited for) on drop.
struct Pcscd(Child);

impl Pcscd {
    fn start() -> Self {
        let child = Command::new("pcscd")
            .args(["-f", "-a"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("pcscd (apt install pcscd)");
        let daemon = Pcscd(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while !readers().is_ok_and(|names| names.iter().any(|n| n == READER)) {
            assert!(Instant::now() < deadline, "the new pcscd did not come up with {READER}");
            std::thread::sleep(Duration::from_millis(100));
        }
        daemon
    }

    fn stop(self) {
        // Drop does it.
    }
}

impl Drop for Pcscd {
    fn drop(&mut self) {
        signal(self.0.id());
        self.0.wait().ok();
    }
}

/// SIGTERM to `pid`.
fn signal(pid: u32) {
    Command::new("kill").arg(pid.to_string()).stderr(Stdio::null()).status().ok();
}

/// Whether `pid` runs (a zombie, waiting for its parent, does not).
fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .is_ok_and(|stat| stat.rsplit_once(") ").is_some_and(|(_, rest)| !rest.starts_with('Z')))
}

/// SIGTERM to a pcscd this test did not start, then wait until it is gone.
fn terminate(pid: u32) {
    signal(pid);
    let deadline = Instant::now() + Duration::from_secs(10);
    while alive(pid) {
        assert!(Instant::now() < deadline, "pcscd {pid} does not stop");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Leaves no pcscd running: stops CI's by its PID, or checks there is none.
fn no_pcscd_left() -> bool {
    if !readers_common::pcsc::enabled() {
        return false;
    }
    if let Some(pid) = std::env::var_os("SIMCORE_PCSCD_PID") {
        terminate(pid.to_string_lossy().parse().expect("SIMCORE_PCSCD_PID is a PID"));
    }
    match readers() {
        Err(e) if e.kind() == ErrorKind::NoService => true,
        _ => {
            let why = "a pcscd this test did not start is running (set SIMCORE_PCSCD_PID to let it stop it)";
            assert!(!common::in_ci(), "{why}");
            eprintln!("skipped: {why}");
            false
        }
    }
}

#[test]
fn the_context_is_reestablished_after_pcscd_restarts() {
    if !no_pcscd_left() {
        return;
    }
    let first = Pcscd::start();
    let card = ServedCard::start(&CardProfile::default());
    let mut link = Link::new(PcscTransport::connect(READER, PcscConfig::DEFAULT).unwrap());
    assert_eq!(common::read_iccid(&mut link, Profile::Uicc), profile::DEFAULT_ICCID);

    // pcscd stops: the service is gone, and every call says so (and tries again).
    first.stop();
    card.stop();
    let mut buf = [0u8; 258];
    let read = [0x00, 0xB0, 0x00, 0x00, 0x0A];
    for _ in 0..2 {
        let error = link.transport_mut().transmit(&read, &mut buf).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::NoService, "{error}");
        assert!(error.to_string().contains("is pcscd running?"), "{error}");
    }

    // A new pcscd and the card back: the next call reconnects and goes through.
    let second = Pcscd::start();
    let card = ServedCard::start(&CardProfile::default());
    assert_eq!(common::read_iccid(&mut link, Profile::Uicc), profile::DEFAULT_ICCID);

    // pcscd restarts between two calls: the call that finds the old handle dead
    // reconnects at once and reports the reset; the next one works.
    card.stop();
    second.stop();
    let _third = Pcscd::start();
    let _card = ServedCard::start(&CardProfile::default());
    let error = link.transport_mut().transmit(&read, &mut buf).unwrap_err();
    assert!(matches!(error, PcscError::Reconnected { .. }), "{error}");
    assert_eq!(error.kind(), ErrorKind::CardRemoved);
    assert_eq!(link.atr(), Some(_card.atr()));
    assert_eq!(common::read_iccid(&mut link, Profile::Uicc), profile::DEFAULT_ICCID);
}
