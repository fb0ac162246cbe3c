//! Explain command APDUs and status words (ISO/IEC 7816-4 §5.1, §5.6; TS 51.011
//! §9.4; TS 102 221 §10.2.1).
//!
//! ```sh
//! cargo run --example decode_apdu -- 00A40004023F0000 A0A40000027F20 --sw 6A82 9804 63C2
//! ```
//!
//! Each command APDU is parsed into its case and fields, with the T=0 TPDU that
//! would carry it; each status word is explained for every card profile.

use clap::Parser;
use simcore::apdu::CommandView;
use simcore::hex::{self, Hex};
use simcore::sw::{Action, Class};
use simcore::{Profile, StatusWord};
use std::process::ExitCode;

#[derive(Parser)]
#[command(about = "Explain command APDUs and status words")]
struct Args {
    /// Command APDUs in hex (`00A4000402 3F00` needs quotes; `00:A4:…` works too).
    apdus: Vec<String>,
    /// Status words to explain, as 4 hex digits each.
    #[arg(long, num_args = 1..)]
    sw: Vec<String>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let mut failed = false;
    for text in &args.apdus {
        if let Err(message) = explain_apdu(text) {
            eprintln!("{text}: {message}");
            failed = true;
        }
    }
    for text in &args.sw {
        if let Err(message) = explain_sw(text) {
            eprintln!("{text}: {message}");
            failed = true;
        }
    }
    if args.apdus.is_empty() && args.sw.is_empty() {
        eprintln!("nothing to explain: give command APDUs and/or --sw status words (see --help)");
        failed = true;
    }
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

fn explain_apdu(text: &str) -> Result<(), String> {
    let raw = hex::decode(text).map_err(|e| e.to_string())?;
    let view = CommandView::parse(&raw).map_err(|e| e.to_string())?;
    println!("command {:#}", Hex(&raw));
    println!("  case {}", view.case());
    println!("  CLA {:02X}  INS {:02X}  P1 {:02X}  P2 {:02X}", view.cla(), view.ins(), view.p1(), view.p2());
    if view.nc() > 0 {
        println!("  Nc {}  data {:#}", view.nc(), Hex(view.data()));
    }
    if let Some(ne) = view.ne() {
        println!("  Ne {ne}");
    }
    match view.to_command().to_t0() {
        Ok(tpdu) => {
            let mut buf = vec![0u8; tpdu.encoded_len()];
            let bytes = tpdu.encode_into(&mut buf).map_err(|e| e.to_string())?;
            let note = if tpdu.drops_le() { " (Le dropped: fetch with GET RESPONSE)" } else { "" };
            println!("  T=0 TPDU {:#}{note}", Hex(bytes));
        }
        Err(e) => println!("  T=0: {e}"),
    }
    Ok(())
}

fn explain_sw(text: &str) -> Result<(), String> {
    let bytes = hex::decode(text).map_err(|e| e.to_string())?;
    let [sw1, sw2] = bytes[..] else {
        return Err(format!("a status word is 2 bytes, got {}", bytes.len()));
    };
    let sw = StatusWord::new(sw1, sw2);
    let class = match sw.class() {
        Class::Success => "success",
        Class::Warning => "warning",
        Class::Postponed => "postponed",
        Class::Error => "error",
    };
    println!("status {sw1:02X} {sw2:02X} ({class})");
    for profile in [Profile::Iso7816, Profile::Sim, Profile::Uicc] {
        if let Some(meaning) = sw.meaning(profile) {
            println!("  {:<18} {meaning}", profile.name());
        }
    }
    if sw.meaning_any().is_none() {
        println!("  unknown status word");
    }
    match sw.action() {
        Some(Action::GetResponse { len, .. }) => println!("  next: GET RESPONSE for {len} bytes"),
        Some(Action::Resend { le }) => println!("  next: resend the command with Le = {le}"),
        Some(Action::Fetch { len }) => println!("  next: FETCH the {len}-byte proactive command"),
        None => {}
    }
    Ok(())
}
