//! Helpers shared by the reader tests (tests/serial.rs, tests/pcsc*.rs): the
//! identity read and the PIN command both personalities need, and for PC/SC
//! the virtual SIM served over vpcd.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use simcore::apdu::Command;
use simcore::transport::{Link, Transport};
use simcore::{Profile, StatusWord, ef};

/// SELECT EF_ICCID and READ BINARY through the completion layer, for either
/// personality; the ICCID decoded.
pub fn read_iccid<T: Transport>(link: &mut Link<T>, personality: Profile) -> String
where
    T::Error: std::fmt::Debug,
{
    let mut buf = [0u8; 258];
    let (select, read) = match personality {
        // TS 51.011 §9.2.1: SELECT MF then EF_ICCID by FID; GET RESPONSE on 9FXX.
        Profile::Sim => {
            let mf = Command::new(0xA0, 0xA4, 0x00, 0x00).with_data(&[0x3F, 0x00]).unwrap();
            assert_eq!(link.transmit(&mf, &mut buf).unwrap().sw(), StatusWord::SUCCESS);
            (
                Command::new(0xA0, 0xA4, 0x00, 0x00).with_data(&[0x2F, 0xE2]).unwrap(),
                Command::new(0xA0, 0xB0, 0x00, 0x00).with_ne(10).unwrap(),
            )
        }
        // TS 102 221 §11.1.1: SELECT by path from the MF with FCP (61XX, GET RESPONSE).
        _ => (
            Command::new(0x00, 0xA4, 0x08, 0x04).with_data(&[0x2F, 0xE2]).unwrap().with_ne(256).unwrap(),
            Command::new(0x00, 0xB0, 0x00, 0x00).with_ne(10).unwrap(),
        ),
    };
    assert_eq!(link.transmit(&select, &mut buf).unwrap().sw(), StatusWord::SUCCESS);
    let response = link.transmit(&read, &mut buf).unwrap();
    assert_eq!(response.sw(), StatusWord::SUCCESS);
    ef::Iccid::from_ef(response.data()).unwrap().as_str().to_string()
}

/// VERIFY PIN1 / CHV1 (TS 102 221 §11.1.9; TS 51.011 §9.2.9 with CLA A0),
/// padded with FF (vector V72's layout).
pub fn verify(cla: u8, pin: &[u8]) -> Vec<u8> {
    let mut data = [0xFF; 8];
    data[..pin.len()].copy_from_slice(pin);
    Command::new(cla, 0x20, 0x00, 0x01).with_data(&data).unwrap().to_vec()
}

/// Codes for [`session_flows`]: PIN1 with one attempt left, so the guard has
/// something to keep (the rest as in the virtual SIM's default profile).
pub const GUARD_CODES: &str = "pin1 = { value = \"1234\", attempts_left = 1 }\n";

/// A virtual SIM of `personality` with [`GUARD_CODES`].
pub fn guarded_card(personality: Profile) -> simcore::virtual_sim::VirtualSim {
    let word = if personality == Profile::Sim { "sim" } else { "uicc" };
    simcore::virtual_sim::VirtualSim::from_toml(&format!("personality = \"{word}\"\n[codes]\n{GUARD_CODES}"))
        .unwrap()
}

/// The session's identity and PIN flows, as tests/session.rs and
/// tests/session_pin.rs run them in process, through a real transport to a
/// [`guarded_card`]: the ICCID; the IMSI refused until PIN1 is verified; the
/// last-attempt guard refusing a wrong PIN with one attempt left, spending it
/// only when forced; the PUK (one wrong, then right) restoring PIN1; the
/// IMSI and the summary afterwards.
pub fn session_flows<T: Transport>(transport: T, personality: Profile)
where
    T::Error: std::fmt::Debug + std::fmt::Display,
{
    use simcore::card::{Guard, PinOutcome, Refusal, Sim, SimError};
    use simcore::chv::{KeyReference, Pin, RetryCounter};
    use simcore::virtual_sim::profile::{DEFAULT_ICCID, DEFAULT_IMSI};
    const PIN1: KeyReference = KeyReference::PIN1;
    let mut sim = Sim::open(transport).unwrap();
    assert_eq!(sim.profile(), personality);
    assert_eq!(sim.iccid().unwrap().as_str(), DEFAULT_ICCID);
    assert!(sim.imsi().unwrap_err().needs_pin());
    let status = sim.pin_status(PIN1).unwrap();
    assert_eq!((status.enabled, status.attempts_left), (Some(true), Some(1)));
    // The guard: one attempt left, a wrong PIN is not sent.
    let err = sim.verify(PIN1, &Pin::new("0000").unwrap(), Guard::Protect).unwrap_err();
    assert!(
        matches!(err, SimError::Refused(Refusal::LastAttempt { key: PIN1, counter: RetryCounter::Pin })),
        "{err}"
    );
    assert_eq!(sim.pin_status(PIN1).unwrap().attempts_left, Some(1));
    // Forced: it is, and PIN1 blocks.
    assert_eq!(
        sim.verify(PIN1, &Pin::new("0000").unwrap(), Guard::ForceLastAttempt).unwrap(),
        PinOutcome::WrongCode { attempts_left: Some(0) }
    );
    assert!(sim.pin_status(PIN1).unwrap().is_blocked());
    let puk = |code: &str| Pin::puk(code).unwrap();
    assert_eq!(
        sim.unblock(PIN1, &puk("00000000"), &Pin::new("2468").unwrap(), Guard::Protect).unwrap(),
        PinOutcome::WrongCode { attempts_left: Some(9) }
    );
    assert_eq!(
        sim.unblock(PIN1, &puk("12345678"), &Pin::new("2468").unwrap(), Guard::Protect).unwrap(),
        PinOutcome::Done
    );
    assert_eq!(sim.imsi().unwrap().as_str(), DEFAULT_IMSI);
    let summary = sim.summary().unwrap();
    assert_eq!(summary.iccid.as_ref().map(|i| i.as_str()), Ok(DEFAULT_ICCID));
    assert_eq!(summary.imsi.as_ref().map(|i| i.as_str()), Ok(DEFAULT_IMSI));
    // The virtual SIM's test network, MCC 001 MNC 01 (EF_AD: two digits).
    assert_eq!(summary.home_plmn().map(|p| p.to_string()).as_deref(), Some("001-01"));
}

/// Whether `SIMCORE_CI` asks for missing services to fail the tests.
pub fn in_ci() -> bool {
    std::env::var_os("SIMCORE_CI").is_some()
}

#[cfg(feature = "pcsc")]
pub mod pcsc {
    //! pcscd, vpcd and the virtual SIM.
    use simcore::transport::pcsc::readers;
    use simcore::virtual_sim::vpcd::{DEFAULT_ADDRESS, Vpcd};
    use simcore::virtual_sim::{CardProfile, VirtualSim};
    use std::ffi::CString;
    use std::net::{Shutdown, TcpStream};
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::{Arc, Mutex, MutexGuard};
    use std::thread::JoinHandle;
    use std::time::{Duration, Instant};

    /// The reader vpcd's first slot shows (TCP 35963, /etc/reader.conf.d/vpcd).
    pub const READER: &str = "Virtual PCD 00 00";

    static LOCK: Mutex<()> = Mutex::new(());

    /// One test at a time on the one vpcd slot.
    pub fn lock() -> MutexGuard<'static, ()> {
        LOCK.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Whether the PC/SC tests are asked for (`SIMCORE_PCSC_TESTS=1`): they
    /// share the machine's one pcscd and vpcd slot, so they run alone, from
    /// their own CI step, and `cargo test --all-features` skips them.
    pub fn enabled() -> bool {
        if std::env::var_os("SIMCORE_PCSC_TESTS").is_some() {
            return true;
        }
        eprintln!(
            "skipped: PC/SC tests run alone; set SIMCORE_PCSC_TESTS=1 (with pcscd and vsmartcard-vpcd)"
        );
        false
    }

    /// Whether pcscd runs with the vpcd reader (when the tests are
    /// [`enabled`]); prints "skipped: …" when not, and fails under
    /// `SIMCORE_CI`.
    pub fn available() -> bool {
        if !enabled() {
            return false;
        }
        let why = match readers() {
            Ok(names) if names.iter().any(|n| n == READER) => return true,
            Ok(names) => {
                format!("pcscd has no reader {READER:?} (readers: {names:?}); install vsmartcard-vpcd")
            }
            Err(e) => format!("{e}"),
        };
        assert!(!super::in_ci(), "SIMCORE_CI is set but PC/SC is not usable: {why}");
        eprintln!("skipped: {why}");
        false
    }

    /// Waits until the reader shows a card (`present`) or none. A card shown
    /// may not take connections yet: see [`wait_until_connectable`].
    pub fn wait_for_reader(present: bool) {
        let context = pcsc::Context::establish(pcsc::Scope::User).unwrap();
        let mut states = [pcsc::ReaderState::new(CString::new(READER).unwrap(), pcsc::State::UNAWARE)];
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            context.get_status_change(Duration::from_millis(500), &mut states).ok();
            let state = states[0].event_state();
            if state.contains(pcsc::State::PRESENT) == present && !state.contains(pcsc::State::MUTE) {
                return;
            }
            assert!(Instant::now() < deadline, "reader state stays {state:?}");
            states[0].sync_current_state();
        }
    }

    /// Waits until a shared connection to the reader succeeds: pcscd may show
    /// the card (and its ATR) while SCardConnect still answers "unpowered
    /// card" or "card reset" for a moment after power-on.
    fn wait_until_connectable() {
        let context = pcsc::Context::establish(pcsc::Scope::User).unwrap();
        let reader = CString::new(READER).unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            match context.connect(&reader, pcsc::ShareMode::Shared, pcsc::Protocols::ANY) {
                Ok(card) => {
                    card.disconnect(pcsc::Disposition::LeaveCard).ok();
                    return;
                }
                Err(e) => assert!(Instant::now() < deadline, "{READER}: the card stays unusable: {e}"),
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The virtual SIM served to pcscd over vpcd from a thread of this test.
    pub struct ServedCard {
        stream: TcpStream,
        thread: Option<JoinHandle<()>>,
        atr: Vec<u8>,
        resets: Arc<AtomicU64>,
    }

    impl ServedCard {
        /// Connects the card of `profile` to vpcd and waits until pcscd sees it.
        pub fn start(profile: &CardProfile) -> Self {
            Self::start_sim(VirtualSim::from_profile(profile).unwrap())
        }

        /// Connects `sim` to vpcd and waits until pcscd sees it.
        pub fn start_sim(mut sim: VirtualSim) -> Self {
            let atr = sim.atr_bytes().to_vec();
            // A card served just before (by another test or a CI step) may still show in
            // pcscd's state, with its ATR; waiting it out keeps the checks below about this card.
            wait_for_reader(false);
            let deadline = Instant::now() + Duration::from_secs(10);
            let stream = loop {
                match TcpStream::connect(DEFAULT_ADDRESS) {
                    Ok(stream) => break stream,
                    Err(e) => assert!(Instant::now() < deadline, "vpcd at {DEFAULT_ADDRESS}: {e}"),
                }
                std::thread::sleep(Duration::from_millis(100));
            };
            stream.set_nodelay(true).ok();
            let resets = Arc::new(AtomicU64::new(0));
            let counter = resets.clone();
            let served = stream.try_clone().unwrap();
            let thread = std::thread::spawn(move || {
                let mut vpcd = Vpcd::new(served);
                while vpcd.serve_one(&mut sim).is_ok() {
                    counter.store(vpcd.counters().resets, Ordering::SeqCst);
                }
            });
            wait_for_reader(true);
            wait_until_connectable();
            ServedCard { stream, thread: Some(thread), atr, resets }
        }

        /// The card's ATR.
        pub fn atr(&self) -> &[u8] {
            &self.atr
        }

        /// Power-ons and resets vpcd asked for.
        pub fn resets(&self) -> u64 {
            self.resets.load(Ordering::SeqCst)
        }

        /// Pulls the card: the connection to vpcd closes at once, whatever
        /// pcscd is doing.
        pub fn stop(mut self) {
            self.disconnect();
        }

        fn disconnect(&mut self) {
            self.stream.shutdown(Shutdown::Both).ok();
            if let Some(thread) = self.thread.take() {
                thread.join().unwrap();
            }
        }
    }

    impl Drop for ServedCard {
        fn drop(&mut self) {
            if self.thread.is_some() {
                self.disconnect();
                wait_for_reader(false);
            }
        }
    }
}
