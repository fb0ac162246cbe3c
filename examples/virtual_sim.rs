//! A virtual SIM/UICC (3GPP TS 51.011, ETSI TS 102 221), served to pcscd
//! through vsmartcard's vpcd driver or on a pseudo-terminal speaking the
//! ISO/IEC 7816-3 T=0 character protocol.
//!
//! ```sh
//! pcscd -f -a &                                   # Debian: apt install pcscd vsmartcard-vpcd
//! cargo run --example virtual_sim -- --vpcd       # or --vpcd 127.0.0.1:35963
//! opensc-tool -r 0 -s 'A0 A4 00 00 02 3F 00'      # with --personality sim
//! cargo run --example virtual_sim -- --profile card.toml --persist --vpcd
//! cargo run --example virtual_sim --features serial -- --serial --inverse
//! cargo run --example virtual_sim -- --print-profile > card.toml
//! ```
//!
//! Without a profile the built-in one is used: a UICC on the test network
//! (MCC 001, MNC 01), PIN1 1234, PUK1 12345678. The card runs until
//! interrupted; losing pcscd ends it with an error (exit status 1).

#[macro_use]
mod out;
mod common;

use clap::Parser;
use simcore::ef::Iccid;
use simcore::virtual_sim::vpcd::{DEFAULT_ADDRESS, Vpcd, VpcdError};
use simcore::virtual_sim::{CardProfile, LinkMode, VirtualSim};
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(about = "A virtual SIM/UICC for pcscd (vpcd) or a pseudo-terminal (T=0)")]
#[command(after_help = "The card runs until interrupted (Ctrl-C). Exit status: 0 after --print-profile, \
                        1 on an error (vpcd not reachable, a profile that does not load, pcscd gone, \
                        nothing to do), 2 when the options themselves cannot be parsed (unknown, \
                        missing or conflicting).")]
struct Args {
    /// TOML card profile (default: the built-in test-network profile).
    #[arg(long, value_name = "FILE")]
    profile: Option<std::path::PathBuf>,
    /// Write counters, codes and changed files back to the profile file (only what changed is
    /// rewritten; the file's comments stay).
    #[arg(long, requires = "profile")]
    persist: bool,
    /// Override the profile's personality: sim (TS 51.011), uicc (TS 102 221) or
    /// euicc (a UICC with an ISD-R and an ECASD, GSMA SGP.22).
    #[arg(long, value_name = "sim|uicc|euicc")]
    personality: Option<String>,
    /// Connect to the vpcd driver of pcscd (default 127.0.0.1:35963).
    #[arg(long, num_args = 0..=1, default_missing_value = DEFAULT_ADDRESS, value_name = "ADDRESS")]
    vpcd: Option<String>,
    /// Keep trying to reach vpcd for this many seconds (pcscd may be starting).
    #[arg(long, default_value_t = 5)]
    wait: u64,
    /// Serve on a new pseudo-terminal (needs `--features serial`); prints its path.
    #[arg(long)]
    serial: bool,
    /// Serial: inverse convention (TS 3F).
    #[arg(long)]
    inverse: bool,
    /// Serial: ask for command data one byte at a time (~INS).
    #[arg(long)]
    one_byte: bool,
    /// Serial: NULL bytes (60) before each answer.
    #[arg(long, default_value_t = 0)]
    nulls: u8,
    /// Print the profile as TOML and exit.
    #[arg(long)]
    print_profile: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("virtual_sim: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<(), String> {
    let mut profile = match &args.profile {
        Some(path) => CardProfile::load(path).map_err(|e| e.to_string())?,
        None => CardProfile::default(),
    };
    common::apply_personality(&mut profile, args.personality.as_deref(), args.persist)?;
    if args.print_profile {
        out!("{}", profile.to_toml().map_err(|e| e.to_string())?);
        return Ok(());
    }
    let mut sim = VirtualSim::from_profile(&profile).map_err(|e| e.to_string())?.with_link(LinkMode::T0);
    if args.persist
        && let Some(path) = &args.profile
    {
        sim = sim.with_persistence(path);
    }
    // The ICCID the card holds: a raw EF_ICCID in the profile wins over `iccid`.
    let iccid = sim.file(&[0x3F00, 0x2FE2]).map_or_else(
        || "none".to_string(),
        |ef| Iccid::from_ef(ef).map_or_else(|e| format!("unreadable ({e})"), |i| i.to_string()),
    );
    outln!("virtual {} ICCID {iccid} ATR {}", sim.personality(), simcore::hex::Hex(sim.atr_bytes()));
    if let Some(address) = &args.vpcd {
        return serve_vpcd(&mut sim, address, Duration::from_secs(args.wait));
    }
    if args.serial {
        return serve_serial(&mut sim, args);
    }
    Err("nothing to do: give --vpcd [ADDRESS], --serial or --print-profile".into())
}

fn serve_vpcd(sim: &mut VirtualSim, address: &str, wait: Duration) -> Result<(), String> {
    let deadline = Instant::now() + wait;
    let mut vpcd = loop {
        match Vpcd::connect(address) {
            Ok(vpcd) => break vpcd,
            // Waiting will not make the address right.
            Err(e @ VpcdError::Address { .. }) => return Err(format!("{address}: {e}")),
            Err(e) if Instant::now() >= deadline => return Err(format!("{address}: {e}")),
            Err(_) => std::thread::sleep(Duration::from_millis(200)),
        }
    };
    outln!("serving to vpcd at {address}: PC/SC reader \"Virtual PCD 00 00\" (Ctrl-C to stop)");
    let result = vpcd.serve(sim);
    let counters = vpcd.counters();
    eprintln!(
        "served {} APDUs, {} ATR requests, {} resets",
        counters.apdus, counters.atr_requests, counters.resets
    );
    match result {
        Ok(()) => Ok(()),
        Err(VpcdError::Disconnected) => Err("lost pcscd: vpcd closed the connection".into()),
        Err(e) => Err(e.to_string()),
    }
}

#[cfg(all(feature = "serial", unix))]
fn serve_serial(sim: &mut VirtualSim, args: &Args) -> Result<(), String> {
    use serialport::SerialPort;
    use simcore::atr::Convention;
    use simcore::virtual_sim::t0_serial::{ResetSignal, T0Engine, T0Options, serve};
    let (mut master, slave) = serialport::TTYPort::pair().map_err(|e| e.to_string())?;
    let path = slave.name().unwrap_or_else(|| "(unnamed)".into());
    let options = T0Options {
        convention: if args.inverse { Convention::Inverse } else { Convention::Direct },
        one_byte_at_a_time: args.one_byte,
        null_bytes: args.nulls,
    };
    outln!(
        "serving T=0 on {path} ({} convention; opening it inserts the card; Ctrl-C to stop)",
        options.convention
    );
    let mut engine = T0Engine::new(options);
    let signal = ResetSignal::new();
    // Only the host keeps the slave side open: each time it opens the path, the card sends its ATR.
    drop(slave);
    serve(sim, &mut engine, &mut master, &signal).map_err(|e| e.to_string())
}

#[cfg(not(all(feature = "serial", unix)))]
fn serve_serial(_sim: &mut VirtualSim, _args: &Args) -> Result<(), String> {
    Err("--serial needs a Unix system and `cargo run --example virtual_sim --features serial`".into())
}
