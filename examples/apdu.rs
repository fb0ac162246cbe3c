//! Send command APDUs to a card and print each response with its status
//! word's meaning (ISO/IEC 7816-4 §5.1 and §5.6, TS 51.011 §9.4, TS 102 221
//! §10.2.1), or explain APDUs and status words without a card (`--explain`).
//!
//! ```sh
//! cargo run --example apdu -- 00A4000C023F00 00B082000A          # the built-in virtual UICC
//! cargo run --example apdu -- --personality sim 'A0A4000002 3F00=9000' --trace
//! cargo run --example apdu -- --script session.apdu --json
//! cargo run --example apdu -- --explain 00A40004023F0000 A0A40000027F20 --sw 6A82 9804 63C2
//! ```
//!
//! An APDU is hex in any spelling `simcore::hex` reads; `=SW` after it gives
//! the final status word expected, `X` for any nibble (`=6XXX`). A script file has
//! one such line per command; `#` starts a comment. GET RESPONSE after 61XX /
//! 9FXX and the resend after 6CXX happen on their own (`--trace` shows them);
//! the data of PIN commands is printed as `**`. Exit status: 0 when every
//! command got its expected status word, 1 otherwise (the script stops at the
//! first mismatch).

#[macro_use]
mod out;
mod common;

use clap::Parser;
use serde_json::json;
use simcore::apdu::CommandView;
use simcore::hex::{self, Hex};
use simcore::sw::{Action, Answering, Class};
use simcore::transport::TracedCommand;
use simcore::{Profile, StatusWord};
use std::process::ExitCode;

#[derive(Parser)]
#[command(about = "Send APDUs to a card (or explain them) and show each status word's meaning")]
#[command(after_help = "Exit status: 0 when every command got its expected status word (with --explain: \
                        when every input was understood), 1 otherwise, 2 when the options themselves \
                        cannot be parsed (unknown, missing or conflicting).")]
struct Args {
    /// Command APDUs in hex, each optionally followed by `=SW` (e.g. `00A4000C023F00=9000`).
    apdus: Vec<String>,
    /// Read the commands from FILE, one per line (`#` comments).
    #[arg(long, value_name = "FILE")]
    script: Option<std::path::PathBuf>,
    /// Explain the APDUs without sending them (no card needed).
    #[arg(long)]
    explain: bool,
    /// With --explain: status words to explain, 4 hex digits each.
    #[arg(long, num_args = 1.., requires = "explain")]
    sw: Vec<String>,
    #[command(flatten)]
    backend: common::BackendArgs,
    /// One JSON object per command instead of the text.
    #[arg(long)]
    json: bool,
}

/// A command line: the APDU and its expected status word pattern.
struct Step {
    bytes: Vec<u8>,
    expect: Option<String>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            // As `pin --json`: the error as an object, for scripts.
            if args.json {
                outln!("{}", json!({ "error": message }));
            } else {
                eprintln!("apdu: {message}");
            }
            ExitCode::FAILURE
        }
    }
}

/// `line`, named `place` in errors: the text itself is never repeated, as it
/// may hold a PIN (the data of VERIFY and the like).
fn parse_step(place: &str, line: &str) -> Result<Step, String> {
    let (apdu, expect) = match line.split_once('=') {
        Some((apdu, sw)) => {
            let sw: String =
                sw.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
            if sw.len() != 4 || !sw.chars().all(|c| c.is_ascii_hexdigit() || c == 'X') {
                return Err(format!(
                    "{place}: the expected status word after `=` is 4 hex digits or X, as 9000 or 6XXX"
                ));
            }
            (apdu.trim(), Some(sw))
        }
        None => (line.trim(), None),
    };
    let bytes = hex::decode(apdu).map_err(|e| format!("{place}: {e}"))?;
    CommandView::parse(&bytes).map_err(|e| format!("{place}: {e}"))?;
    Ok(Step { bytes, expect })
}

fn steps(args: &Args) -> Result<Vec<Step>, String> {
    let mut lines: Vec<(String, String)> =
        args.apdus.iter().enumerate().map(|(i, a)| (format!("APDU argument {}", i + 1), a.clone())).collect();
    if let Some(path) = &args.script {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        for (number, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if !line.is_empty() {
                lines.push((format!("{} line {}", path.display(), number + 1), line.to_string()));
            }
        }
    }
    lines.iter().map(|(place, line)| parse_step(place, line)).collect()
}

fn matches(sw: StatusWord, pattern: &str) -> bool {
    let actual = format!("{:04X}", sw.to_u16());
    actual.chars().zip(pattern.chars()).all(|(a, p)| p == 'X' || a == p)
}

/// The profile whose table explains a response: TS 51.011 for class A0.
fn profile_of(cla: u8) -> Profile {
    if cla == 0xA0 { Profile::Sim } else { Profile::Uicc }
}

fn run(args: &Args) -> Result<bool, String> {
    if args.explain {
        return explain(args);
    }
    let steps = steps(args)?;
    if steps.is_empty() {
        return Err("no APDU given: give some as arguments or with --script (see --help)".into());
    }
    let backend = common::open(&args.backend)?;
    if !args.json {
        outln!("# {}", backend.description);
    }
    let mut link = common::link(backend, args.backend.trace);
    let mut buf = vec![0u8; 65_538];
    for step in &steps {
        let response = link
            .transmit_raw(&step.bytes, &mut buf)
            .map_err(|e| format!("{}: {e}", TracedCommand::new(&step.bytes)))?;
        let sw = response.sw();
        let profile = profile_of(step.bytes.first().copied().unwrap_or(0));
        // The instruction byte picks the reading of 63 CX and 98 04.
        let answering = Answering::of_ins(step.bytes.get(1).copied().unwrap_or(0));
        let meaning = sw.describe_for(profile, answering).to_string();
        let ok = step.expect.as_deref().is_none_or(|p| matches(sw, p));
        let shown = TracedCommand::new(&step.bytes).to_string();
        if args.json {
            let o = json!({
                "command": shown,
                "data": format!("{}", Hex(response.data())),
                "sw": format!("{:04X}", sw.to_u16()),
                "meaning": meaning,
                "exchanges": response.exchanges(),
                "expected": step.expect,
                "ok": ok,
            });
            outln!("{o}");
        } else {
            outln!("> {shown}");
            if response.data().is_empty() {
                outln!("< {meaning}");
            } else {
                outln!("< {:#}", Hex(response.data()));
                outln!("  {meaning}");
            }
            if let (Some(expect), false) = (&step.expect, ok) {
                outln!("  expected {expect}: MISMATCH");
            }
        }
        if !ok {
            return Ok(false);
        }
    }
    if !args.json {
        let count = link.apdu_count();
        outln!("# {count} APDU{} exchanged", if count == 1 { "" } else { "s" });
    }
    Ok(true)
}

/// Offline: each APDU's case and fields with its T=0 TPDU, each status word for
/// every profile.
fn explain(args: &Args) -> Result<bool, String> {
    let mut ok = true;
    for step in steps(args)? {
        let Ok(view) = CommandView::parse(&step.bytes) else { continue };
        outln!("command {}", TracedCommand::new(&step.bytes));
        outln!("  case {}", view.case());
        outln!(
            "  CLA {:02X}  INS {:02X}  P1 {:02X}  P2 {:02X}",
            view.cla(),
            view.ins(),
            view.p1(),
            view.p2()
        );
        if view.nc() > 0 {
            let data = TracedCommand::new(&step.bytes);
            if data.is_redacted() {
                outln!("  Nc {}  data **", view.nc());
            } else {
                outln!("  Nc {}  data {:#}", view.nc(), Hex(view.data()));
            }
        }
        if let Some(ne) = view.ne() {
            outln!("  Ne {ne}");
        }
        match view.to_command().to_t0() {
            Ok(tpdu) => {
                let mut buf = vec![0u8; tpdu.encoded_len()];
                let bytes = tpdu.encode_into(&mut buf).map_err(|e| e.to_string())?;
                let note = if tpdu.drops_le() { " (Le dropped: fetch with GET RESPONSE)" } else { "" };
                outln!("  T=0 TPDU {}{note}", TracedCommand::new(bytes));
            }
            Err(e) => outln!("  T=0: {e}"),
        }
    }
    for text in &args.sw {
        if let Err(message) = explain_sw(text) {
            eprintln!("{text}: {message}");
            ok = false;
        }
    }
    Ok(ok)
}

fn explain_sw(text: &str) -> Result<(), String> {
    let sw: StatusWord = text.parse().map_err(|e| format!("not a status word: {e}"))?;
    let [sw1, sw2] = sw.to_bytes();
    let name = |class| match class {
        Class::Success => "success",
        Class::Warning => "warning",
        Class::Postponed => "postponed",
        Class::Error => "error",
    };
    let profiles = [Profile::Iso7816, Profile::Sim, Profile::Uicc];
    // Only 92 XX is classed differently by profile (StatusWord::class_in).
    let by_profile = profiles.iter().any(|&p| sw.class_in(p) != sw.class());
    if by_profile {
        outln!("status {sw1:02X} {sw2:02X} (its class depends on the card's profile)");
    } else {
        outln!("status {sw1:02X} {sw2:02X} ({})", name(sw.class()));
    }
    for profile in profiles {
        match (sw.meaning(profile), by_profile) {
            (Some(meaning), false) => outln!("  {:<18} {meaning}", profile.name()),
            (Some(meaning), true) => {
                outln!("  {:<18} {}: {meaning}", profile.name(), name(sw.class_in(profile)))
            }
            (None, true) if profile != Profile::Iso7816 => {
                outln!("  {:<18} {}: not defined there", profile.name(), name(sw.class_in(profile)))
            }
            (None, _) => {}
        }
    }
    if sw.meaning_any().is_none() {
        outln!("  unknown status word");
    }
    match sw.action() {
        Some(Action::GetResponse { len, .. }) => outln!("  next: GET RESPONSE for {len} bytes"),
        Some(Action::Resend { le }) => outln!("  next: resend the command with Le = {le}"),
        Some(Action::Fetch { len }) => outln!("  next: FETCH the {len}-byte proactive command"),
        None => {}
    }
    Ok(())
}
