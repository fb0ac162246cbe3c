//! What is on a SIM, like pySim-read: the ATR (ISO/IEC 7816-3), the card
//! profile (TS 51.011 SIM or TS 102 221 UICC), the ICCID (ITU-T E.118) with
//! its Luhn verdict and country, the IMSI with MCC and MNC (the MNC length
//! from EF_AD), SPN, MSISDN, PIN1/PIN2 with the attempts left, and a short
//! security verdict. On a UICC also the applications of EF_DIR (TS 102 221
//! §13.1), the USIM section (TS 31.102: EHPLMN, FPLMN and the USIM service
//! table with the services' names; the identity above comes from ADF.USIM)
//! and the EID of an eUICC (GSMA SGP.22, check digits verified).
//!
//! ```sh
//! cargo run --example sim_info                          # the built-in virtual UICC
//! cargo run --example sim_info -- --personality sim     # the same card as a classic SIM
//! SIMCORE_PIN=1234 cargo run --example sim_info -- --verify-pin --json
//! cargo run --example sim_info -- --profile card.toml --trace
//! cargo run --features pcsc --example sim_info -- --pcsc
//! cargo run --features modem --example sim_info -- --modem /dev/ttyUSB2
//! cargo run --example sim_info -- --personality euicc    # a virtual eUICC: the EID too
//! ```
//!
//! Nothing here spends a PIN attempt unless `--verify-pin` is given, and then
//! only behind the last-attempt guard. Exit status: 0 when the card was read
//! (some files may be unavailable), 1 when it could not be.

#[macro_use]
mod out;
mod common;

use clap::Parser;
use serde_json::{Map, Value, json};
use simcore::card::{
    ApplicationEntry, Field, Guard, IdentitySource, PinOutcome, PinStatus, PlmnEntries, Refusal, Sim,
    SimError, Summary, Unavailable, UstContent,
};
use simcore::chv::{KeyReference, Pin};
use simcore::ef::{Luhn, MncLengthSource};
use simcore::hex::Hex;
use simcore::{Atr, Profile};
use std::process::ExitCode;

#[derive(Parser)]
#[command(about = "Show the identity and PIN state of a SIM (ICCID, IMSI, SPN, MSISDN, PIN1/PIN2)")]
#[command(
    after_help = "Exit status: 0 when the card was read, 1 when it could not be (or an option's value \
                        cannot be used), 2 when the options themselves cannot be parsed (unknown, \
                        missing or conflicting)."
)]
struct Args {
    #[command(flatten)]
    backend: common::BackendArgs,
    /// Verify PIN1 first (from --pin-file, SIMCORE_PIN or a prompt), so that
    /// the IMSI and MSISDN can be read. Refused when one attempt is left.
    #[arg(long)]
    verify_pin: bool,
    #[command(flatten)]
    codes: common::CodeArgs,
    /// One JSON object instead of the text: flat fields, and lists for `advice`, `applications`,
    /// `ehplmn`, `fplmn` and `usim_services`.
    #[arg(long)]
    json: bool,
    /// Do not look for an eUICC's EID (it costs 5 APDUs on an eUICC, 9 on a
    /// UICC without one).
    #[arg(long)]
    no_eid: bool,
}

/// A short code and a sentence: a piece of advice, what `--verify-pin` did,
/// or why the EID is missing.
struct Advice {
    code: &'static str,
    message: String,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            // As `pin --json`: the error as an object, for scripts.
            if args.json {
                outln!("{}", json!({ "error": message }));
            } else {
                eprintln!("sim_info: {message}");
            }
            ExitCode::FAILURE
        }
    }
}

/// What was read.
struct Report {
    backend: String,
    atr: Option<Vec<u8>>,
    summary: Summary,
    pin1: Option<PinStatus>,
    pin2: Option<PinStatus>,
    /// What `--verify-pin` did, when it was given.
    verify: Option<Advice>,
    modern: Modern,
    apdu_count: u64,
}

/// What a UICC adds: EF_DIR, the USIM's files, the EID.
#[derive(Default)]
struct Modern {
    applications: Option<Result<Vec<ApplicationEntry>, String>>,
    ust: Option<Field<UstContent>>,
    ehplmn: Option<Field<PlmnEntries>>,
    fplmn: Option<Field<PlmnEntries>>,
    /// The EID, its check-digit verdict and where it came from; or why not.
    eid: Option<Result<(String, bool, String), Advice>>,
}

/// A file's value, or why the card did not give it; link failures end the run.
fn keep<V, E: simcore::transport::Error>(
    read: Result<V, simcore::card::SimError<E>>,
) -> Result<Field<V>, String> {
    match read {
        Ok(value) => Ok(Ok(value)),
        Err(e) => e.unavailable().map(Err).ok_or_else(|| e.to_string()),
    }
}

/// The file reads a UICC adds, in the order that keeps the USIM selected.
fn read_modern<T: simcore::Transport, H: simcore::transport::Trace>(
    sim: &mut Sim<T, H>,
    summary: &Summary,
    eid: bool,
) -> Result<Modern, String> {
    let mut out = Modern::default();
    if summary.profile != Profile::Uicc {
        return Ok(out);
    }
    if summary.source == IdentitySource::Usim {
        out.ust = Some(keep(sim.ust())?);
        out.ehplmn = Some(keep(sim.ehplmn())?);
        out.fplmn = Some(keep(sim.fplmn())?);
    }
    out.applications = Some(sim.applications().map(|list| list.to_vec()).map_err(|e| e.to_string()));
    if eid {
        out.eid = Some(match sim.eid() {
            Ok(reading) => {
                let source = match reading.source {
                    simcore::euicc::EidSource::IsdR(aid) => format!("ISD-R, {} AID", aid.name),
                    simcore::euicc::EidSource::Ecasd => "ECASD".to_string(),
                };
                Ok((reading.eid.to_string(), reading.eid.check_digits_valid(), source))
            }
            Err(simcore::euicc::EuiccError::Link(e)) => return Err(e.to_string()),
            Err(simcore::euicc::EuiccError::NotAnEuicc { .. }) => {
                Err(Advice { code: "not_an_euicc", message: "not an eUICC".into() })
            }
            Err(e) => Err(Advice { code: "error", message: e.to_string() }),
        });
    }
    Ok(out)
}

fn run(args: &Args) -> Result<(), String> {
    // Presenting PIN1 wants the PC/SC card alone (see the `pin` example).
    let backend =
        if args.verify_pin { common::open_exclusive(&args.backend)? } else { common::open(&args.backend)? };
    let description = backend.description.clone();
    let mut sim = Sim::open_link(common::link(backend, args.backend.trace)).map_err(|e| e.to_string())?;
    let mut verify = None;
    if args.verify_pin {
        let code = common::read_code(&args.codes, 0, "SIMCORE_PIN", "PIN1")?;
        let pin = Pin::new(code.as_str()).map_err(|e| format!("PIN1: {e}"))?;
        verify = Some(verify_advice(sim.verify(KeyReference::PIN1, &pin, Guard::Protect), &args.backend));
    }
    let summary = sim.summary().map_err(|e| e.to_string())?;
    // Both from one STATUS on a classic SIM; one by one if either fails.
    let (pin1, pin2) = match sim.pin_statuses([KeyReference::PIN1, KeyReference::PIN2]) {
        Ok([pin1, pin2]) => (Some(pin1), Some(pin2)),
        Err(_) => (sim.pin_status(KeyReference::PIN1).ok(), sim.pin_status(KeyReference::PIN2).ok()),
    };
    let modern = read_modern(&mut sim, &summary, !args.no_eid)?;
    let report = Report {
        backend: description,
        atr: sim.atr().map(<[u8]>::to_vec),
        summary,
        pin1,
        pin2,
        verify,
        modern,
        apdu_count: sim.apdu_count(),
    };
    let advice = advice(&report, &args.backend);
    if args.json {
        outln!("{}", to_json(&report, &advice));
    } else {
        print_text(&report, &advice);
    }
    Ok(())
}

/// The backend options again, for the commands the advice shows.
fn card_options(backend: &common::BackendArgs) -> String {
    let mut out = String::new();
    if let Some(path) = &backend.profile {
        out.push_str(&format!(" --profile {}", path.display()));
        // The advice is to change the card: on a virtual card from a profile
        // file that only lasts when written back, which a card whose
        // personality the command line overrides cannot be.
        if backend.personality.is_none() {
            out.push_str(" --persist");
        }
    }
    if let Some(p) = &backend.personality {
        out.push_str(&format!(" --personality {p}"));
    }
    if let Some(reader) = &backend.pcsc {
        out.push_str(" --pcsc");
        if !reader.is_empty() {
            out.push_str(&format!(" {reader:?}"));
        }
    }
    if let Some(path) = &backend.serial {
        out.push_str(&format!(" --serial {}", path.display()));
        if let Some(line) = backend.reset_line {
            let line = match line {
                common::ResetWiring::Rts => "rts",
                common::ResetWiring::Dtr => "dtr",
                common::ResetWiring::None => "none",
            };
            out.push_str(&format!(" --reset-line {line}"));
        }
        if backend.no_echo {
            out.push_str(" --no-echo");
        }
    }
    if let Some(path) = &backend.modem {
        out.push_str(&format!(" --modem {}", path.display()));
    }
    out
}

/// What `--verify-pin` did, as a short code and a sentence ("done" when
/// PIN1 was verified).
fn verify_advice<E: simcore::transport::Error>(
    result: Result<PinOutcome, SimError<E>>,
    backend: &common::BackendArgs,
) -> Advice {
    let (code, message) = match result {
        Ok(outcome) if outcome.is_done() => ("done", "PIN1 verified".to_string()),
        Ok(PinOutcome::WrongCode { attempts_left }) => (
            "wrong_code",
            match attempts_left {
                Some(0) => "PIN1 not verified: wrong PIN; PIN1 is now blocked".to_string(),
                Some(n) => format!(
                    "PIN1 not verified: wrong PIN, {n} attempt{} left before the SIM asks for the PUK1",
                    if n == 1 { "" } else { "s" }
                ),
                None => "PIN1 not verified: wrong PIN".to_string(),
            },
        ),
        Ok(PinOutcome::Blocked) => ("blocked", "PIN1 not verified: PIN1 is blocked".to_string()),
        Ok(outcome) => ("not_verified", format!("PIN1 not verified: {outcome}")),
        // A UICC whose PIN1 is verified already (since its last reset), or
        // one that answers so for a disabled PIN.
        Err(SimError::Refused(Refusal::Verified { .. })) => (
            "verified_already",
            "PIN1 is verified already (or disabled); the code was not presented again".to_string(),
        ),
        Err(SimError::Refused(refusal)) if common::offers_force(&refusal) => (
            "refused",
            format!(
                "PIN1 not verified: {refusal}. If you are sure of the code: {}",
                pin_command("verify --force-last-attempt", backend)
            ),
        ),
        Err(SimError::Refused(refusal @ Refusal::Blocked { .. })) => {
            ("refused", format!("PIN1 not verified: {refusal}; nothing was sent"))
        }
        Err(SimError::Refused(refusal)) => ("refused", format!("PIN1 not verified: {refusal}")),
        Err(e) => ("error", format!("PIN1 not verified: {e}")),
    };
    Advice { code, message }
}

/// The `pin` example's command line for `what` on the same card: its backend
/// options, and the cargo feature that backend needs.
fn pin_command(what: &str, backend: &common::BackendArgs) -> String {
    let feature = if backend.pcsc.is_some() {
        " --features pcsc"
    } else if backend.serial.is_some() {
        " --features serial"
    } else if backend.modem.is_some() {
        " --features modem"
    } else {
        ""
    };
    format!("cargo run{feature} --example pin -- {what}{}", card_options(backend))
}

/// The security verdict (the SIM PIN is what stops a thief who takes the card
/// out of a stolen phone), most urgent first.
fn advice(report: &Report, backend: &common::BackendArgs) -> Vec<Advice> {
    let pin_command = |what: &str| pin_command(what, backend);
    let mut out = Vec::new();
    let Some(pin1) = report.pin1 else {
        out.push(Advice {
            code: "pin1_unknown",
            message: "the card did not report PIN1's state; check it with the card's own tools".into(),
        });
        return out;
    };
    if pin1.is_unblock_blocked() {
        out.push(Advice {
            code: "puk1_blocked",
            message: format!("PIN1's PUK is blocked for good: {}", KeyReference::PIN1.unblock_loss()),
        });
    } else if pin1.is_blocked() {
        let left = pin1.unblock_attempts_left.map_or(String::new(), |n| format!(" ({n} PUK attempts left)"));
        out.push(Advice {
            code: "pin1_blocked",
            message: format!(
                "PIN1 is blocked: unblock it with the PUK from the card's holder{left}: {}",
                pin_command("unblock")
            ),
        });
    }
    if let Some(n @ 1..=2) = pin1.attempts_left {
        out.push(Advice {
            code: "pin1_few_attempts",
            message: if n == 1 {
                "PIN1 has 1 attempt left: do not guess; the next wrong PIN blocks it".to_string()
            } else {
                format!("PIN1 has {n} attempts left: do not guess; {n} more wrong PINs block it")
            },
        });
    }
    if let Some(n @ 1..=3) = pin1.unblock_attempts_left {
        out.push(Advice {
            code: "puk1_few_attempts",
            message: format!(
                "the PUK has only {n} attempt{} left before the card is lost for good",
                if n == 1 { "" } else { "s" }
            ),
        });
    }
    match pin1.enabled {
        Some(false) => out.push(Advice {
            code: "pin1_disabled",
            message: format!(
                "PIN1 is disabled: anyone who takes this SIM out of the phone can use it. Turn it on: {}",
                pin_command("enable")
            ),
        }),
        None => out.push(Advice {
            code: "pin1_state_unknown",
            message: "the card did not say whether PIN1 is enabled".into(),
        }),
        Some(true) => {}
    }
    if out.is_empty() {
        out.push(Advice {
            code: "ok",
            message: "PIN1 is enabled: a thief who takes the SIM out of the phone needs it".into(),
        });
    }
    out
}

fn unavailable_text(why: &Unavailable, report: &Report) -> String {
    // PIN1 given and not verified: the note under PIN2 says why.
    let unverified = report.verify.as_ref().is_some_and(|v| !matches!(v.code, "done" | "verified_already"));
    match (why, &report.verify) {
        (Unavailable::NeedsPin, None) => "needs PIN1 (run with --verify-pin)".into(),
        (Unavailable::NeedsPin, Some(_)) if unverified => {
            "needs PIN1, which was not verified (see the note under PIN2)".into()
        }
        (Unavailable::NeedsPin, Some(_)) => "needs a code other than PIN1 (PIN1 is verified)".into(),
        (Unavailable::NoFile, _) => "not on this card".into(),
        (other, _) => other.to_string(),
    }
}

fn field_text<T>(field: &Field<T>, report: &Report, show: impl Fn(&T) -> String) -> String {
    match field {
        Ok(value) => show(value),
        Err(why) => unavailable_text(why, report),
    }
}

fn pin_text(status: Option<PinStatus>, puk: &str) -> String {
    let Some(s) = status else { return "not reported".into() };
    if s.initialised == Some(false) {
        return "not initialised (the card has no such code set up)".into();
    }
    let enabled = match s.enabled {
        Some(true) => "enabled",
        Some(false) => "disabled",
        None => "state unknown",
    };
    let mut out = enabled.to_string();
    match s.attempts_left {
        Some(0) => out.push_str(", BLOCKED"),
        Some(n) => out.push_str(&format!(", {n} attempt{} left", if n == 1 { "" } else { "s" })),
        None if s.verified == Some(true) => out.push_str(", verified"),
        None => {}
    }
    match s.unblock_attempts_left {
        Some(0) => out.push_str(&format!("; {puk} BLOCKED")),
        Some(n) => out.push_str(&format!("; {puk} {n} attempt{} left", if n == 1 { "" } else { "s" })),
        None => {}
    }
    out
}

fn atr_text(atr: &[u8]) -> String {
    match Atr::parse(atr) {
        Ok(parsed) => {
            let protocols: Vec<String> = parsed.protocols().map(|t| format!("T={t}")).collect();
            format!("{}, {}", protocols.join(", "), parsed.fi_di())
        }
        Err(e) => format!("does not parse: {e}"),
    }
}

fn print_text(report: &Report, advice: &[Advice]) {
    let s = &report.summary;
    let row = |name: &str, value: String| outln!("{name:<9} {value}");
    row("Card", report.backend.clone());
    match &report.atr {
        Some(atr) => {
            row("ATR", format!("{:#}", Hex(atr)));
            row("", atr_text(atr));
        }
        None => row("ATR", "none (the backend has none)".into()),
    }
    row("Profile", s.profile.to_string());
    row(
        "ICCID",
        field_text(&s.iccid, report, |iccid| {
            let luhn = match iccid.luhn() {
                Luhn::Valid => "Luhn check digit valid".to_string(),
                Luhn::Invalid { expected } => format!("Luhn check digit wrong, {expected} expected"),
                Luhn::NotDecimal => "hex digits, no Luhn check".to_string(),
            };
            let country = iccid.country_code().map_or(String::new(), |c| {
                format!("; country code +{} {}", c.code.code, c.code.regions.join(" "))
            });
            format!("{iccid}  ({luhn}{country})")
        }),
    );
    row(
        "IMSI",
        field_text(&s.imsi, report, |imsi| match (s.home_plmn(), s.mnc_length()) {
            (Some(plmn), Some((_, source))) => {
                let from = match source {
                    MncLengthSource::Ad => "MNC length from EF_AD",
                    MncLengthSource::Table => "MNC length from the E.212 table",
                    _ => "MNC length assumed",
                };
                format!("{imsi}  (MCC {:03}, MNC {}; {from})", plmn.mcc(), mnc_string(plmn))
            }
            _ => imsi.to_string(),
        }),
    );
    row("SPN", field_text(&s.spn, report, |spn| spn.spn().map_or_else(|| "?".into(), |v| v.to_string())));
    row("MSISDN", field_text(&s.msisdn, report, msisdn_text));
    row("PIN1", pin_text(report.pin1, "PUK1"));
    row("PIN2", pin_text(report.pin2, "PUK2"));
    if let Some(note) = report.verify.as_ref().filter(|v| v.code != "done") {
        row("", note.message.clone());
    }
    print_modern(report, &row);
    row("APDUs", report.apdu_count.to_string());
    outln!();
    outln!("Security");
    for a in advice {
        outln!("  {:<18} {}", a.code, a.message);
    }
}

fn plmns_text(field: &Field<PlmnEntries>, report: &Report) -> String {
    field_text(field, report, |list| {
        if list.as_slice().is_empty() {
            return "none".into();
        }
        let names: Vec<String> = list.as_slice().iter().map(ToString::to_string).collect();
        names.join(", ")
    })
}

fn application_text(app: &ApplicationEntry) -> String {
    let label = app.label().map_or(String::new(), |l| format!("  \"{l}\""));
    format!("{}  {}{label}", app.aid(), app.application())
}

/// The UICC's part, the way pySim-read shows it: EF_DIR's AIDs, EHPLMN,
/// FPLMN, "USIM Service Table: <hex>" and one line per service, the EID.
fn print_modern(report: &Report, row: &dyn Fn(&str, String)) {
    let m = &report.modern;
    if let Some(apps) = &m.applications {
        match apps {
            Ok(list) if list.is_empty() => row("Apps", "none listed in EF_DIR".into()),
            Ok(list) => {
                for (i, app) in list.iter().enumerate() {
                    row(if i == 0 { "Apps" } else { "" }, application_text(app));
                }
            }
            Err(e) => row("Apps", format!("EF_DIR unreadable: {e}")),
        }
    }
    if m.ust.is_some() {
        row("USIM", "ADF.USIM: IMSI, SPN and MSISDN above come from it (TS 31.102)".into());
    } else if report.summary.profile == Profile::Uicc {
        row("USIM", "none: IMSI, SPN and MSISDN above come from DF_GSM".into());
    }
    if let Some(ehplmn) = &m.ehplmn {
        row("EHPLMN", plmns_text(ehplmn, report));
    }
    if let Some(fplmn) = &m.fplmn {
        row("FPLMN", plmns_text(fplmn, report));
    }
    if let Some(ust) = &m.ust {
        match ust {
            Ok(ust) => {
                row("UST", format!("{}", Hex(ust.as_bytes())));
                for service in ust.table().services() {
                    row("", service.to_string());
                }
            }
            Err(why) => row("UST", unavailable_text(why, report)),
        }
    }
    if let Some(eid) = &m.eid {
        match eid {
            Ok((eid, valid, source)) => {
                let check = if *valid { "check digits valid" } else { "check digits WRONG" };
                row("EID", format!("{eid}  ({check}; {source})"));
            }
            Err(why) => row("EID", why.message.clone()),
        }
    }
}

fn mnc_string(plmn: simcore::ef::Plmn) -> String {
    format!("{:0width$}", plmn.mnc(), width = plmn.mnc_length().digits())
}

fn msisdn_text(record: &simcore::card::MsisdnRecord) -> String {
    match record.number() {
        Some(entry) => match entry.number {
            Some(number) if entry.alpha.is_empty() => number.to_string(),
            Some(number) => format!("{number} ({})", entry.alpha),
            None => "empty record".into(),
        },
        None => "?".into(),
    }
}

fn to_json(report: &Report, advice: &[Advice]) -> Value {
    let s = &report.summary;
    let mut o = Map::new();
    let mut put = |k: &str, v: Value| {
        o.insert(k.to_string(), v);
    };
    put("backend", json!(report.backend));
    put(
        "profile",
        json!(match s.profile {
            Profile::Sim => "sim",
            Profile::Uicc => "uicc",
            Profile::Iso7816 => "iso7816",
        }),
    );
    put("atr", report.atr.as_ref().map_or(Value::Null, |a| json!(format!("{}", Hex(a)))));
    put("iccid", s.iccid.as_ref().map_or(Value::Null, |i| json!(i.as_str())));
    put("iccid_luhn_valid", s.iccid.as_ref().map_or(Value::Null, |i| json!(i.luhn() == Luhn::Valid)));
    put(
        "iccid_country_code",
        s.iccid.as_ref().ok().and_then(|i| i.country_code()).map_or(Value::Null, |c| json!(c.code.code)),
    );
    put("imsi", s.imsi.as_ref().map_or(Value::Null, |i| json!(i.as_str())));
    let plmn = s.home_plmn();
    put("mcc", plmn.map_or(Value::Null, |p| json!(format!("{:03}", p.mcc()))));
    put("mnc", plmn.map_or(Value::Null, |p| json!(mnc_string(p))));
    put(
        "mnc_length_source",
        s.mnc_length().map_or(Value::Null, |(_, src)| {
            json!(match src {
                MncLengthSource::Ad => "ef_ad",
                MncLengthSource::Table => "table",
                _ => "default",
            })
        }),
    );
    put("spn", s.spn.as_ref().ok().and_then(|v| v.spn()).map_or(Value::Null, |v| json!(v.to_string())));
    put(
        "msisdn",
        s.msisdn
            .as_ref()
            .ok()
            .and_then(|r| r.number())
            .and_then(|e| e.number)
            .map_or(Value::Null, |n| json!(n.to_string())),
    );
    for (name, field) in [
        ("iccid", s.iccid.as_ref().err()),
        ("imsi", s.imsi.as_ref().err()),
        ("ad", s.ad.as_ref().err()),
        ("spn", s.spn.as_ref().err()),
        ("msisdn", s.msisdn.as_ref().err()),
    ] {
        if let Some(why) = field {
            put(&format!("{name}_unavailable"), json!(why.code()));
        }
    }
    for (prefix, puk, status) in [("pin1", "puk1", report.pin1), ("pin2", "puk2", report.pin2)] {
        put(&format!("{prefix}_enabled"), status.and_then(|s| s.enabled).map_or(Value::Null, |v| json!(v)));
        put(&format!("{prefix}_verified"), status.and_then(|s| s.verified).map_or(Value::Null, |v| json!(v)));
        put(
            &format!("{prefix}_initialised"),
            status.and_then(|s| s.initialised).map_or(Value::Null, |v| json!(v)),
        );
        put(
            &format!("{prefix}_attempts_left"),
            status.and_then(|s| s.attempts_left).map_or(Value::Null, |v| json!(v)),
        );
        put(
            &format!("{puk}_attempts_left"),
            status.and_then(|s| s.unblock_attempts_left).map_or(Value::Null, |v| json!(v)),
        );
    }
    put(
        "identity_source",
        json!(match s.source {
            IdentitySource::Usim => "usim",
            _ => "gsm",
        }),
    );
    let m = &report.modern;
    put(
        "applications",
        match &m.applications {
            Some(Ok(list)) => Value::Array(
                list.iter()
                    .map(|a| {
                        json!({
                            "aid": a.aid().to_string(),
                            "application": a.application().name(),
                            "label": a.label().map(|l| l.to_string()),
                        })
                    })
                    .collect(),
            ),
            _ => Value::Null,
        },
    );
    let plmns = |field: &Option<Field<PlmnEntries>>| match field {
        Some(Ok(list)) => Value::Array(list.as_slice().iter().map(|p| json!(p.to_string())).collect()),
        _ => Value::Null,
    };
    put("ehplmn", plmns(&m.ehplmn));
    put("fplmn", plmns(&m.fplmn));
    // Why a USIM file is null, as for the summary's files.
    for (name, why) in [
        ("ehplmn", m.ehplmn.as_ref().and_then(|f| f.as_ref().err())),
        ("fplmn", m.fplmn.as_ref().and_then(|f| f.as_ref().err())),
        ("ust", m.ust.as_ref().and_then(|f| f.as_ref().err())),
    ] {
        if let Some(why) = why {
            put(&format!("{name}_unavailable"), json!(why.code()));
        }
    }
    match &m.ust {
        Some(Ok(ust)) => {
            put("ust", json!(format!("{}", Hex(ust.as_bytes()))));
            put("usim_services", json!(ust.table().services().map(|s| s.0).collect::<Vec<u16>>()));
        }
        _ => {
            put("ust", Value::Null);
            put("usim_services", Value::Null);
        }
    }
    match &m.eid {
        Some(Ok((eid, valid, _))) => {
            put("eid", json!(eid));
            put("eid_check_digits_valid", json!(valid));
        }
        other => {
            put("eid", Value::Null);
            put("eid_check_digits_valid", Value::Null);
            if let Some(Err(why)) = other {
                put("eid_unavailable", json!(why.code));
                put("eid_unavailable_message", json!(why.message));
            }
        }
    }
    put("pin1_verify", report.verify.as_ref().map_or(Value::Null, |v| json!(v.code)));
    if let Some(v) = &report.verify {
        put("pin1_verify_message", json!(v.message));
    }
    put("apdu_count", json!(report.apdu_count));
    put(
        "advice",
        Value::Array(advice.iter().map(|a| json!({ "code": a.code, "message": a.message })).collect()),
    );
    Value::Object(o)
}
