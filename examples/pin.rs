//! Manage a SIM's PIN safely: status, verify, enable, disable, change and
//! unblock for PIN1/CHV1, PIN2/CHV2, the universal PIN and ADM (TS 51.011
//! §9.2.9–§9.2.13, TS 102 221 §11.1.9–§11.1.13).
//!
//! ```sh
//! cargo run --example pin -- status
//! cargo run --example pin -- verify                     # asks for PIN1 without echo
//! SIMCORE_PIN=1234 cargo run --example pin -- disable --json
//! cargo run --example pin -- change --pin-file codes.txt   # old PIN, new PIN on two lines
//! cargo run --example pin -- unblock --code pin2        # asks for PUK2 and the new PIN2
//! cargo run --example pin -- verify --profile card.toml --persist --force-last-attempt
//! ```
//!
//! Codes come from `--pin-file` (one per line), the environment (SIMCORE_PIN,
//! SIMCORE_NEW_PIN, SIMCORE_PUK) or a prompt without echo. Before anything
//! that spends an attempt the counter is read: with one attempt left, or when
//! the card does not say, nothing is sent unless `--force-last-attempt` is
//! given; a blocked PUK is reported before anyone tries.

#[macro_use]
mod out;
mod common;

use clap::{Parser, Subcommand, ValueEnum};
use serde_json::{Map, Value, json};
use simcore::StatusWord;
use simcore::card::{Guard, PinOutcome, PinStatus, Refusal, Sim, SimError};
use simcore::chv::{KeyReference, Pin, PinError, RetryCounter};
use std::process::ExitCode;

#[derive(Parser)]
#[command(about = "Show and manage a SIM's PIN without locking the card by accident")]
#[command(after_help = "Exit status: 0 done, 1 the card said no (wrong code, blocked …) or an error, \
                        2 options that cannot be parsed (unknown, missing or conflicting), 3 nothing \
                        was sent: the guard refused (one attempt left, a counter the card does not \
                        report, a code verified already or never set up, or one blocked).\n\nCodes come from a prompt without echo, from --pin-file, or from \
                        SIMCORE_PIN (the code checked), SIMCORE_NEW_PIN (change, unblock) and \
                        SIMCORE_PUK (unblock).")]
struct Args {
    #[command(subcommand)]
    command: Action,
    /// Which code.
    #[arg(long, value_enum, default_value_t = Code::Pin1, global = true)]
    code: Code,
    /// Spend the last attempt (or one the card does not count) if need be.
    #[arg(long, global = true)]
    force_last_attempt: bool,
    #[command(flatten)]
    codes: common::CodeArgs,
    #[command(flatten)]
    backend: common::BackendArgs,
    /// One JSON object instead of the text.
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Subcommand, Clone, Copy, PartialEq, Eq)]
enum Action {
    /// Enabled or not, attempts left, PUK attempts left (spends nothing).
    Status,
    /// Present the code.
    Verify,
    /// Switch the PIN check on.
    Enable,
    /// Switch the PIN check off (anyone holding the card can then use it).
    Disable,
    /// Replace the code (old, then new).
    Change,
    /// Unblock with the PUK and set a new PIN.
    Unblock,
}

#[derive(ValueEnum, Clone, Copy, PartialEq, Eq, Debug)]
enum Code {
    /// PIN1 / CHV1.
    Pin1,
    /// PIN2 / CHV2.
    Pin2,
    /// The universal PIN (UICC).
    Upin,
    /// ADM1 (8 digits or 16 hex digits).
    Adm,
}

impl Code {
    const fn key(self) -> KeyReference {
        match self {
            Code::Pin1 => KeyReference::PIN1,
            Code::Pin2 => KeyReference::PIN2,
            Code::Upin => KeyReference::UNIVERSAL_PIN,
            Code::Adm => KeyReference::ADM1,
        }
    }

    /// The option that names this code on the command line ("" for PIN1, the default).
    const fn option(self) -> &'static str {
        match self {
            Code::Pin1 => "",
            Code::Pin2 => " --code pin2",
            Code::Upin => " --code upin",
            Code::Adm => " --code adm",
        }
    }

    /// What the check does once enabled. PIN1 and the universal PIN guard the
    /// card (TS 51.011 §9.3, TS 102 221 §9.5.1); PIN2 only what has CHV2 as
    /// its access condition, such as fixed dialling numbers (TS 51.011 §9.3,
    /// §10.5.2); ADM the operator's administration.
    const fn when_enabled(self) -> &'static str {
        match self {
            Code::Pin1 | Code::Upin => "the SIM asks for it at every start",
            Code::Pin2 => {
                "the SIM asks for it before the functions it guards (fixed dialling numbers and the like)"
            }
            Code::Adm => "the card asks for it before administrative changes",
        }
    }

    /// What switching the check off means (see [`Code::when_enabled`]).
    const fn when_disabled(self) -> &'static str {
        match self {
            Code::Pin1 | Code::Upin => "anyone holding the SIM can use it",
            Code::Pin2 => {
                "the functions it guards (fixed dialling numbers and the like) no longer ask for it; PIN1 still guards the SIM"
            }
            Code::Adm => "the card no longer asks for it",
        }
    }

    const fn puk_name(self) -> &'static str {
        match self {
            Code::Pin1 => "PUK1",
            Code::Pin2 => "PUK2",
            Code::Upin => "universal PUK",
            Code::Adm => "unblock code",
        }
    }
}

impl Action {
    const fn name(self) -> &'static str {
        match self {
            Action::Status => "status",
            Action::Verify => "verify",
            Action::Enable => "enable",
            Action::Disable => "disable",
            Action::Change => "change",
            Action::Unblock => "unblock",
        }
    }
}

/// Exit status of a guard refusal.
const REFUSED: u8 = 3;

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            if args.json {
                outln!("{}", json!({ "command": args.command.name(), "error": message }));
            } else {
                eprintln!("pin: {message}");
            }
            ExitCode::FAILURE
        }
    }
}

fn parse_code(code: Code, text: &str, what: &str) -> Result<Pin, String> {
    let result: Result<Pin, PinError> = match (code, what.contains("PUK") || what.contains("unblock")) {
        (_, true) => Pin::puk(text),
        (Code::Adm, false) => Pin::adm(text),
        _ => Pin::new(text),
    };
    result.map_err(|e| format!("{what}: {e}"))
}

fn run(args: &Args) -> Result<u8, String> {
    // The guard reads the counter and sends the command in two exchanges: a
    // command that presents a code holds a PC/SC card alone, so no other
    // program spends an attempt in between.
    let backend = match args.command {
        Action::Status => common::open(&args.backend)?,
        _ => common::open_exclusive(&args.backend)?,
    };
    let mut sim = Sim::open_link(common::link(backend, args.backend.trace)).map_err(|e| e.to_string())?;
    let key = args.code.key();
    let guard = if args.force_last_attempt { Guard::ForceLastAttempt } else { Guard::Protect };
    let name = key.to_string();
    let ask = |index: usize, env: &str, what: String| -> Result<Pin, String> {
        let secret = common::read_code(&args.codes, index, env, &what)?;
        parse_code(args.code, secret.as_str(), &what)
    };
    let result = match args.command {
        Action::Status => {
            // A code the card does not have is an error: the library's own
            // for a classic SIM (no universal PIN, TS 51.011 §9.3), 6A 88 from a UICC
            // (referenced data not found, TS 102 221 §11.1.9), said in words here.
            let status = sim.pin_status(key).map_err(|e| {
                if e.status() == Some(StatusWord::REFERENCED_DATA_NOT_FOUND) {
                    format!("this card has no {name} (its retry-counter query was answered 6A 88, referenced data not found)")
                } else {
                    e.to_string()
                }
            })?;
            report_status(args, &status);
            return Ok(0);
        }
        Action::Verify => sim.verify(key, &ask(0, "SIMCORE_PIN", name.clone())?, guard),
        Action::Enable => sim.enable(key, &ask(0, "SIMCORE_PIN", name.clone())?, guard),
        Action::Disable => sim.disable(key, &ask(0, "SIMCORE_PIN", name.clone())?, guard),
        Action::Change => {
            let old = ask(0, "SIMCORE_PIN", format!("current {name}"))?;
            let new = new_code(args, &ask, &name, 1)?;
            sim.change(key, &old, &new, guard)
        }
        Action::Unblock => {
            let puk = ask(0, "SIMCORE_PUK", args.code.puk_name().to_string())?;
            let new = new_code(args, &ask, &name, 1)?;
            sim.unblock(key, &puk, &new, guard)
        }
    };
    let (exit, message, mut object) = match result {
        Ok(outcome) => {
            let (exit, message) = explain(args.command, args.code, &name, outcome);
            (exit, message, outcome_json(outcome))
        }
        Err(SimError::Refused(refusal)) => (REFUSED, refusal_message(&refusal), refusal_json(&refusal)),
        Err(e) => return Err(e.to_string()),
    };
    if args.json {
        object.insert("command".into(), json!(args.command.name()));
        object.insert("code".into(), json!(name));
        object.insert("message".into(), json!(message));
        object.insert("apdu_count".into(), json!(sim.apdu_count()));
        outln!("{}", Value::Object(object));
    } else if exit == 0 {
        outln!("{message}");
    } else {
        eprintln!("{message}");
    }
    Ok(exit)
}

/// The new code: `SIMCORE_NEW_PIN` or the file's next line as given, typed
/// twice at a prompt.
fn new_code(
    args: &Args,
    ask: &dyn Fn(usize, &str, String) -> Result<Pin, String>,
    name: &str,
    index: usize,
) -> Result<Pin, String> {
    let new = ask(index, "SIMCORE_NEW_PIN", format!("new {name}"))?;
    if args.codes.pin_file.is_none() && std::env::var("SIMCORE_NEW_PIN").is_err() {
        let again = ask(index, "SIMCORE_NEW_PIN", format!("new {name} again"))?;
        if again != new {
            return Err(format!("the two new {name} codes differ; nothing was sent"));
        }
    }
    Ok(new)
}

/// A sentence a person understands, and the exit status.
fn explain(action: Action, code: Code, name: &str, outcome: PinOutcome) -> (u8, String) {
    let puk = code.puk_name();
    let message = match outcome {
        PinOutcome::Done => match action {
            Action::Verify => format!("{name} verified"),
            Action::Enable => format!("{name} enabled: {}", code.when_enabled()),
            Action::Disable => format!("{name} disabled: {}", code.when_disabled()),
            Action::Change => format!("{name} changed"),
            Action::Unblock => format!("{name} unblocked and set to the new code"),
            Action::Status => String::new(),
        },
        PinOutcome::WrongCode { attempts_left } if action == Action::Unblock => match attempts_left {
            Some(0) => format!("wrong {puk}: it is now blocked for good; {}", code.key().unblock_loss()),
            Some(n) => format!(
                "wrong {puk}: {n} attempt{} left before it is blocked for good ({})",
                if n == 1 { "" } else { "s" },
                code.key().unblock_loss()
            ),
            None => format!("wrong {puk}"),
        },
        PinOutcome::WrongCode { attempts_left: Some(0) } => format!(
            "wrong {name}: {name} is now blocked; unblock it with the {puk} (pin unblock{})",
            code.option()
        ),
        PinOutcome::WrongCode { attempts_left: Some(n) } => format!(
            "wrong {name}: {n} attempt{} left before the SIM asks for the {puk}",
            if n == 1 { "" } else { "s" }
        ),
        PinOutcome::WrongCode { attempts_left: None } => format!("wrong {name}"),
        PinOutcome::Blocked if action == Action::Unblock => {
            format!("the {puk} is blocked for good: {}", code.key().unblock_loss())
        }
        PinOutcome::Blocked => {
            format!("{name} is blocked; unblock it with the {puk} (pin unblock{})", code.option())
        }
        PinOutcome::NotInitialised => format!("the SIM has no {name} set"),
        PinOutcome::Contradiction => match action {
            Action::Enable => format!("{name} is already enabled"),
            Action::Disable => format!("{name} is already disabled"),
            _ => format!(
                "{name} is disabled: the SIM does not ask for it (pin enable{} to turn it on)",
                code.option()
            ),
        },
        PinOutcome::NotAllowed(sw) => format!("the SIM refused: {sw}"),
        _ => outcome.to_string(),
    };
    (u8::from(!outcome.is_done()), message)
}

/// The guard's text says "not sent" where sending was the question; a blocked
/// code's says what to do instead, so "nothing was sent" is added there.
fn refusal_message(refusal: &Refusal) -> String {
    match refusal {
        Refusal::Blocked { .. } => format!("{refusal}\nnothing was sent"),
        _ if common::offers_force(refusal) => {
            format!("{refusal}\nif you are sure of the code, add --force-last-attempt")
        }
        _ => refusal.to_string(),
    }
}

fn opt(v: Option<impl Into<Value>>) -> Value {
    v.map_or(Value::Null, Into::into)
}

fn outcome_json(outcome: PinOutcome) -> Map<String, Value> {
    let mut o = Map::new();
    let (word, left) = match outcome {
        PinOutcome::Done => ("done", None),
        PinOutcome::WrongCode { attempts_left } => ("wrong_code", attempts_left),
        PinOutcome::Blocked => ("blocked", None),
        PinOutcome::NotInitialised => ("not_initialised", None),
        PinOutcome::Contradiction => ("contradiction", None),
        PinOutcome::NotAllowed(status) => {
            o.insert("sw".into(), json!(format!("{:04X}", status.sw.to_u16())));
            ("not_allowed", None)
        }
        _ => ("other", None),
    };
    o.insert("outcome".into(), json!(word));
    o.insert("attempts_left".into(), opt(left));
    o
}

fn refusal_json(refusal: &Refusal) -> Map<String, Value> {
    let mut o = Map::new();
    let word = match refusal {
        Refusal::LastAttempt { .. } => "last_attempt",
        Refusal::CounterUnknown { .. } => "counter_unknown",
        Refusal::NotInitialised { .. } => "not_initialised",
        Refusal::Verified { .. } => "verified_no_count",
        Refusal::Blocked { .. } if refusal.is_permanent() => "permanently_blocked",
        Refusal::Blocked { .. } => "blocked",
        _ => "refused",
    };
    o.insert("outcome".into(), json!("refused"));
    o.insert("refusal".into(), json!(word));
    o.insert(
        "counter".into(),
        json!(match refusal.counter() {
            RetryCounter::Pin => "pin",
            RetryCounter::Unblock => "puk",
        }),
    );
    o.insert("sent".into(), json!(false));
    o
}

fn report_status(args: &Args, s: &PinStatus) {
    let name = s.key.to_string();
    if args.json {
        let o = json!({
            "command": "status",
            "code": name,
            "enabled": opt(s.enabled),
            "verified": opt(s.verified),
            "initialised": opt(s.initialised),
            "attempts_left": opt(s.attempts_left),
            "unblock_attempts_left": opt(s.unblock_attempts_left),
            "blocked": s.is_blocked(),
            "unblock_blocked": s.is_unblock_blocked(),
        });
        outln!("{o}");
        return;
    }
    let puk = args.code.puk_name();
    let state = match (s.initialised, s.enabled) {
        (Some(false), _) => "not initialised (the card has no such code set up)",
        (_, Some(true)) => "enabled",
        (_, Some(false)) => "disabled",
        (_, None) => "enabled or not: the card does not say",
    };
    if s.enabled == Some(false) && s.initialised != Some(false) {
        outln!("{name}: {state} ({})", args.code.when_disabled());
    } else {
        outln!("{name}: {state}");
    }
    if s.initialised == Some(false) {
        return;
    }
    match (s.attempts_left, s.verified) {
        (Some(0), _) => outln!("{name}: BLOCKED"),
        (Some(n), _) => outln!("{name}: {n} attempt{} left", if n == 1 { "" } else { "s" }),
        (None, Some(true)) => outln!("{name}: verified (the card gives no count now)"),
        (None, _) => outln!("{name}: attempts left unknown"),
    }
    match s.unblock_attempts_left {
        Some(0) => outln!("{puk}: BLOCKED for good: {}", args.code.key().unblock_loss()),
        Some(n) => outln!("{puk}: {n} attempt{} left", if n == 1 { "" } else { "s" }),
        None => {}
    }
}
