//! The card examples as a user runs them against the virtual SIM: `sim_info`
//! (the JSON keys issue 6 lists, the security advice), `pin` (messages, exit
//! statuses, the last-attempt guard across runs with a persisted card
//! profile), `apdu` (scripts with expected status words, `--explain`), the
//! backend options and `--trace` with PIN data redacted. The cards' codes and
//! identities are the ones the profiles here set.
//!
//! `cargo test` builds the examples before it runs the tests; the binaries are
//! found next to this test's own executable.

#![cfg(feature = "virtual-sim")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use serde_json::Value;
use simcore::virtual_sim::profile::{DEFAULT_ICCID, DEFAULT_IMSI, DEFAULT_MSISDN, DEFAULT_SPN};
use std::path::PathBuf;
use std::process::Output;

mod example_bin;
use example_bin::run;

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(out)))
}

/// A card profile file in a fresh temporary directory.
fn profile_file(test: &str, toml: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("simcore-examples-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("card.toml");
    std::fs::write(&path, toml).unwrap();
    path
}

#[test]
fn sim_info_reads_the_built_in_card() {
    let Some(out) = run("sim_info", &[], &[]) else { return };
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains(&format!("ICCID     {DEFAULT_ICCID}  (Luhn check digit valid")), "{text}");
    assert!(text.contains("Profile   UICC (TS 102 221)"), "{text}");
    // PIN1 is enabled and not verified: the IMSI stays behind it.
    assert!(text.contains("IMSI      needs PIN1 (run with --verify-pin)"), "{text}");
    assert!(text.contains("PIN1      enabled, 3 attempts left; PUK1 10 attempts left"), "{text}");
    assert!(text.contains("Security\n  ok "), "{text}");
}

#[test]
fn sim_info_json_has_the_listed_keys() {
    for (personality, profile) in [("uicc", "uicc"), ("sim", "sim")] {
        let Some(out) = run(
            "sim_info",
            &["--json", "--verify-pin", "--personality", personality],
            &[("SIMCORE_PIN", "1234")],
        ) else {
            return;
        };
        assert!(out.status.success(), "{}", stderr(&out));
        let v = json(&out);
        for key in [
            "profile",
            "atr",
            "iccid",
            "iccid_luhn_valid",
            "imsi",
            "mcc",
            "mnc",
            "spn",
            "msisdn",
            "pin1_enabled",
            "pin1_attempts_left",
            "puk1_attempts_left",
            "apdu_count",
            "advice",
        ] {
            assert!(v.get(key).is_some(), "{key} missing: {v}");
        }
        assert_eq!(v["profile"], profile);
        assert_eq!(v["iccid"], DEFAULT_ICCID);
        assert_eq!(v["iccid_luhn_valid"], true);
        assert_eq!(v["imsi"], DEFAULT_IMSI);
        assert_eq!((v["mcc"].as_str(), v["mnc"].as_str()), (Some("001"), Some("01")));
        assert_eq!(v["mnc_length_source"], "ef_ad");
        assert_eq!(v["spn"], DEFAULT_SPN);
        assert_eq!(v["msisdn"], DEFAULT_MSISDN);
        // Verified: a classic SIM still counts; a UICC gives no count for a
        // verified PIN (ISO/IEC 7816-4 VERIFY without data answers 90 00).
        let (attempts, verified) = if personality == "uicc" { (None, Some(true)) } else { (Some(3), None) };
        assert_eq!(
            (v["pin1_enabled"].as_bool(), v["pin1_attempts_left"].as_u64(), v["pin1_verified"].as_bool()),
            (Some(true), attempts, verified),
            "{personality}"
        );
        assert_eq!(v["puk1_attempts_left"], 10);
        assert_eq!(v["advice"][0]["code"], "ok");
        // Opening 1 (2 on the SIM: detection), the guard's counter read and
        // VERIFY 2, the summary (9 from the USIM, 13 from DF_GSM:
        // tests/session.rs), PIN1 and PIN2 6 (1 on the SIM: one STATUS holds
        // both). The UICC adds EF_UST 1, EF_EHPLMN and EF_FPLMN 2 each (Le 00,
        // then the 6C XX length), EF_DIR 4 (SELECT with FCP, GET RESPONSE, its
        // two records) and the EID search 9 (MANAGE CHANNEL, six ISD-R AIDs,
        // the ECASD, close): 36. The SIM: 18.
        let expected = if personality == "uicc" { 36 } else { 18 };
        assert_eq!(v["apdu_count"], expected, "{personality}");
        let source = if personality == "uicc" { "usim" } else { "gsm" };
        assert_eq!(v["identity_source"], source);
    }
}

#[test]
fn sim_info_json_has_nulls_for_what_it_cannot_read() {
    let Some(out) = run("sim_info", &["--json"], &[]) else { return };
    let v = json(&out);
    assert_eq!(v["imsi"], Value::Null);
    assert_eq!(v["imsi_unavailable"], "needs_pin");
    assert_eq!((v["mcc"].clone(), v["msisdn"].clone()), (Value::Null, Value::Null));
    assert_eq!(v["iccid"], DEFAULT_ICCID);
    // The README's run as shown: 31 APDUs on the UICC: opening 1; the summary
    // 8 (EF_ICCID by SFI 1, SELECT of the USIM by AID 1, EF_IMSI by SFI
    // refused 1, EF_AD by SFI 1, EF_SPN SELECT and READ 2, EF_MSISDN SELECT and
    // READ RECORD refused 2); PIN1 and PIN2 6 (ADF's FCP: SELECT 7FFF and GET
    // RESPONSE 2, then VERIFY and UNBLOCK queries for 01 and 81, 4); EF_UST,
    // EF_EHPLMN, EF_FPLMN by SFI, refused, 3; EF_DIR 4 (SELECT, GET RESPONSE,
    // two records); the EID search on a UICC that is none 9 (Sim::eid). On the classic SIM 15:
    // opening 2, the summary 12 (EF_MSISDN's first READ RECORD is refused with
    // 98 04, TS 51.011 §9.4.5, before a length is asked for), one STATUS.
    assert_eq!(v["apdu_count"], 31);
    let Some(out) = run("sim_info", &["--json", "--personality", "sim"], &[]) else { return };
    let v = json(&out);
    assert_eq!((v["msisdn_unavailable"].as_str(), v["apdu_count"].as_u64()), (Some("needs_pin"), Some(15)));
}

#[test]
fn sim_info_advice_for_a_disabled_pin_and_a_dead_puk() {
    let path = profile_file("advice-disabled", "[codes]\npin1 = { value = \"1234\", enabled = false }\n");
    let Some(out) = run("sim_info", &["--json", "--profile", path.to_str().unwrap()], &[]) else { return };
    let v = json(&out);
    assert_eq!(v["pin1_enabled"], false);
    assert_eq!(v["advice"][0]["code"], "pin1_disabled");
    let message = v["advice"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("anyone who takes this SIM") && message.contains("pin -- enable --profile"),
        "{message}"
    );
    // The command shown changes the profile file, not only the card in memory.
    assert!(message.ends_with(" --persist"), "{message}");
    // With the personality overridden on the command line the card is not the file's, and
    // `--persist` would be refused: the command shown must still run.
    let args = ["--json", "--profile", path.to_str().unwrap(), "--personality", "sim"];
    let v = json(&run("sim_info", &args, &[]).unwrap());
    let message = v["advice"][0]["message"].as_str().unwrap();
    assert!(message.ends_with(" --personality sim") && !message.contains("--persist"), "{message}");
    let shown: Vec<&str> = message.split("pin -- ").nth(1).unwrap().split(' ').collect();
    let out = run("pin", &shown, &[("SIMCORE_PIN", "1234")]).unwrap();
    assert_eq!(out.status.code(), Some(0), "{shown:?}: {}", stderr(&out));
    // PIN1 disabled: the IMSI reads without a PIN.
    assert_eq!(v["imsi"], DEFAULT_IMSI);

    let dead = "personality = \"sim\"\n[codes]\npin1 = { value = \"1234\", attempts_left = 0 }\n\
                puk1 = { value = \"12345678\", attempts_left = 0 }\n";
    let path = profile_file("advice-dead", dead);
    let Some(out) = run("sim_info", &["--json", "--profile", path.to_str().unwrap()], &[]) else { return };
    let v = json(&out);
    assert_eq!(v["advice"][0]["code"], "puk1_blocked");
    assert!(v["advice"][0]["message"].as_str().unwrap().contains("replaced by the operator"));

    let few = "[codes]\npin1 = { value = \"1234\", attempts_left = 1 }\n";
    let path = profile_file("advice-few", few);
    let Some(out) = run("sim_info", &["--profile", path.to_str().unwrap()], &[]) else { return };
    assert!(stdout(&out).contains("pin1_few_attempts  PIN1 has 1 attempt left"), "{}", stdout(&out));
}

#[test]
fn pin_messages_exit_statuses_and_the_guard_across_runs() {
    let path = profile_file(
        "pin-guard",
        "# a shop SIM\npersonality = \"sim\"\n[codes]\npin1 = { value = \"1234\", attempts_left = 2 } # two left\n",
    );
    let card = ["--profile", path.to_str().unwrap(), "--persist"];
    let pin = |args: &[&str], env: &[(&str, &str)]| {
        let all: Vec<&str> = args.iter().chain(card.iter()).copied().collect();
        run("pin", &all, env)
    };
    let Some(out) = pin(&["verify"], &[("SIMCORE_PIN", "0000")]) else { return };
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("wrong PIN1: 1 attempt left before the SIM asks for the PUK1"),
        "{}",
        stderr(&out)
    );
    // One attempt left: refused, nothing sent, exit 3, the counter unchanged.
    let out = pin(&["verify", "--json"], &[("SIMCORE_PIN", "0000")]).unwrap();
    assert_eq!(out.status.code(), Some(3));
    let v = json(&out);
    assert_eq!(
        (v["outcome"].as_str(), v["refusal"].as_str(), v["sent"].as_bool()),
        (Some("refused"), Some("last_attempt"), Some(false))
    );
    let message = v["message"].as_str().unwrap();
    assert!(message.contains("--force-last-attempt"), "{message}");
    assert_eq!(
        message.matches("not sent").count() + message.matches("nothing was sent").count(),
        1,
        "{message}"
    );
    let v = json(&pin(&["status", "--json"], &[]).unwrap());
    assert_eq!(v["attempts_left"], 1);
    // Forced: blocked.
    let out = pin(&["verify", "--force-last-attempt"], &[("SIMCORE_PIN", "0000")]).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("PIN1 is now blocked; unblock it with the PUK1"), "{}", stderr(&out));
    let v = json(&pin(&["status", "--json"], &[]).unwrap());
    assert_eq!((v["blocked"].as_bool(), v["unblock_attempts_left"].as_u64()), (Some(true), Some(10)));
    // Unblock with the PUK and a new PIN from a file.
    let codes = path.with_file_name("codes.txt");
    std::fs::write(&codes, "12345678\n2468\n").unwrap();
    let out = pin(&["unblock", "--pin-file", codes.to_str().unwrap()], &[]).unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("PIN1 unblocked"), "{}", stdout(&out));
    let out = pin(&["verify"], &[("SIMCORE_PIN", "2468")]).unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out).trim(), "PIN1 verified");
    // Disable twice: the second is a contradiction.
    assert_eq!(pin(&["disable"], &[("SIMCORE_PIN", "2468")]).unwrap().status.code(), Some(0));
    let out = pin(&["disable"], &[("SIMCORE_PIN", "2468")]).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("PIN1 is already disabled"), "{}", stderr(&out));
    // Seven runs wrote the card back; the user's comments and layout stayed.
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with("# a shop SIM\npersonality = \"sim\"\n[codes]\npin1 = { value = \"2468\","),
        "{text}"
    );
    assert!(text.contains("enabled = false } # two left\n"), "{text}");
}

#[test]
fn pin2_messages_say_what_pin2_guards_not_the_card() {
    // TS 51.011 §9.3: PIN1 guards the card, PIN2 only what has CHV2 as access
    // condition (fixed dialling numbers, §10.5.2). The commands the messages
    // show name PIN2, so that following them spends no PIN1 or PUK1 attempt.
    let path = profile_file(
        "pin2",
        "[codes]\npin2 = { value = \"4321\", attempts_left = 2 }\npuk2 = { value = \"87654321\", attempts_left = 1 }\n",
    );
    let card = ["--code", "pin2", "--profile", path.to_str().unwrap(), "--persist"];
    let pin = |args: &[&str], env: &[(&str, &str)]| {
        let all: Vec<&str> = args.iter().chain(card.iter()).copied().collect();
        run("pin", &all, env)
    };
    let Some(out) = pin(&["disable"], &[("SIMCORE_PIN", "4321")]) else { return };
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("PIN2 disabled: the functions it guards") && !text.contains("anyone"), "{text}");
    let text = stdout(&pin(&["status"], &[]).unwrap());
    assert!(text.contains("PIN2: disabled (the functions it guards") && !text.contains("anyone"), "{text}");
    let out = pin(&["enable"], &[("SIMCORE_PIN", "4321")]).unwrap();
    assert!(stdout(&out).contains("PIN2 enabled: the SIM asks for it before the functions it guards"));
    // Wrong PIN2s until it blocks (ENABLE presented it right: 3 attempts
    // again, TS 102 221 §11.1.12); the advice names PIN2.
    for _ in 0..2 {
        assert_eq!(pin(&["verify"], &[("SIMCORE_PIN", "0000")]).unwrap().status.code(), Some(1));
    }
    let out = pin(&["verify", "--force-last-attempt"], &[("SIMCORE_PIN", "0000")]).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("unblock it with the PUK2 (pin unblock --code pin2)"), "{}", stderr(&out));
    // The last PUK2 attempt, wrong: PIN2 is lost, the card is not.
    let out = pin(
        &["unblock", "--force-last-attempt"],
        &[("SIMCORE_PUK", "00000000"), ("SIMCORE_NEW_PIN", "1111")],
    )
    .unwrap();
    let text = stderr(&out);
    assert!(text.contains("wrong PUK2: it is now blocked for good; PIN2 can never be unblocked"), "{text}");
    assert!(!text.contains("replaced"), "{text}");
    let text = stdout(&pin(&["status"], &[]).unwrap());
    assert!(
        text.contains("PUK2: BLOCKED for good: PIN2 can never be unblocked") && !text.contains("replaced")
    );
    // Tried again: the guard refuses (exit 3), and says the same.
    let out = pin(&["unblock"], &[("SIMCORE_PUK", "87654321"), ("SIMCORE_NEW_PIN", "1111")]).unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("the card itself still works") && !stderr(&out).contains("replaced"));
    // TS 51.011 has no universal PIN: the status says so instead of "unknown".
    let out = run("pin", &["status", "--code", "upin", "--personality", "sim"], &[]).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("universal PIN does not exist on a SIM"), "{}", stderr(&out));
    // The built-in UICC has none either; it answers the counter query 6A 88 (TS 102 221
    // §11.1.9: referenced data not found), which the example puts in words.
    let out = run("pin", &["status", "--code", "upin"], &[]).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("this card has no universal PIN"), "{}", stderr(&out));
}

#[test]
fn sim_info_says_what_verify_pin_did() {
    // A wrong PIN1: the files behind it say PIN1 was not verified, and --json
    // carries the outcome.
    let Some(out) = run("sim_info", &["--verify-pin"], &[("SIMCORE_PIN", "9999")]) else { return };
    let text = stdout(&out);
    assert!(text.contains("IMSI      needs PIN1, which was not verified"), "{text}");
    assert!(text.contains("PIN1 not verified: wrong PIN, 2 attempts left"), "{text}");
    let out = run("sim_info", &["--verify-pin", "--json"], &[("SIMCORE_PIN", "9999")]).unwrap();
    let v = json(&out);
    assert_eq!(
        (v["pin1_verify"].as_str(), v["imsi_unavailable"].as_str()),
        (Some("wrong_code"), Some("needs_pin"))
    );
    // The USIM's files and the EID say why they are null too.
    assert_eq!(
        (v["ust_unavailable"].as_str(), v["eid_unavailable"].as_str()),
        (Some("needs_pin"), Some("not_an_euicc"))
    );
    let v = json(&run("sim_info", &["--verify-pin", "--json"], &[("SIMCORE_PIN", "1234")]).unwrap());
    assert_eq!((v["pin1_verify"].as_str(), v["imsi"].as_str()), (Some("done"), Some(DEFAULT_IMSI)));
    let v = json(&run("sim_info", &["--json"], &[]).unwrap());
    assert_eq!(v["pin1_verify"], Value::Null);
    // PIN1 verified, and a file behind PIN2 (TS 51.011 §9.3): not "PIN1 not verified".
    let spn = "01 73 69 6D 63 6F 72 65 FF FF FF FF FF FF FF FF FF";
    let toml = format!(
        "personality = \"sim\"\n[files]\n\"3F00/7F20/6F46\" = {{ data = \"{spn}\", read = \"pin2\" }}\n"
    );
    let path = profile_file("verify-pin2-file", &toml);
    let out =
        run("sim_info", &["--verify-pin", "--profile", path.to_str().unwrap()], &[("SIMCORE_PIN", "1234")]);
    let text = stdout(&out.unwrap());
    assert!(text.contains("SPN       needs a code other than PIN1 (PIN1 is verified)"), "{text}");
    // One attempt left: nothing sent, and the way to force it is the pin example.
    let path = profile_file("verify-last", "[codes]\npin1 = { value = \"1234\", attempts_left = 1 }\n");
    let args = ["--verify-pin", "--json", "--profile", path.to_str().unwrap()];
    let v = json(&run("sim_info", &args, &[("SIMCORE_PIN", "1234")]).unwrap());
    assert_eq!((v["pin1_verify"].as_str(), v["pin1_attempts_left"].as_u64()), (Some("refused"), Some(1)));
    let message = v["pin1_verify_message"].as_str().unwrap();
    assert!(message.contains("pin -- verify --force-last-attempt --profile"), "{message}");
    // Said once: the guard's text says "not sent", the example adds only the way through.
    assert_eq!(
        message.matches("not sent").count() + message.matches("nothing was sent").count(),
        1,
        "{message}"
    );
}

#[test]
fn json_errors_are_json_objects() {
    // As `pin --json` does: a script reading stdout gets an object, and exit 1.
    for (example, args) in [
        ("sim_info", vec!["--json", "--profile", "/nonexistent/card.toml"]),
        ("apdu", vec!["--json", "00"]),
        ("pin", vec!["status", "--json", "--profile", "/nonexistent/card.toml"]),
    ] {
        let Some(out) = run(example, &args, &[]) else { return };
        assert_eq!(out.status.code(), Some(1), "{example}");
        let v = json(&out);
        assert!(v["error"].as_str().is_some_and(|e| !e.is_empty()), "{example}: {v}");
    }
}

#[test]
fn exit_statuses_tell_unparsable_options_from_unusable_values() {
    // As every example's --help says: 2 when the options cannot be parsed (clap), 1 when a
    // value cannot be used.
    for example in ["sim_info", "pin", "apdu", "decode_atr", "virtual_sim"] {
        let Some(out) = run(example, &["--no-such-option"], &[]) else { return };
        assert_eq!(out.status.code(), Some(2), "{example}: {}", stderr(&out));
    }
    let out = run("sim_info", &["--personality", "bogus"], &[]).unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let out = run("apdu", &["zz"], &[]).unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn virtual_sim_names_the_iccid_the_card_holds() {
    // A raw EF_ICCID wins over `iccid` (the profile documentation): the
    // banner says what a reader would read, 89014103211118510720 (swapped
    // nibbles, TS 51.011 §10.1.1). Port 1 on loopback refuses at once.
    let path = profile_file("banner", "[files]\n\"3F00/2FE2\" = \"98 10 14 30 12 11 81 15 70 02\"\n");
    let args = ["--profile", path.to_str().unwrap(), "--vpcd", "127.0.0.1:1", "--wait", "0"];
    let Some(out) = run("virtual_sim", &args, &[]) else { return };
    assert!(stdout(&out).contains("ICCID 89014103211118510720 "), "{}", stdout(&out));
    assert!(stderr(&out).contains("cannot connect to vpcd"), "{}", stderr(&out));
    // An address that is no address says so, without blaming pcscd.
    let out = run("virtual_sim", &["--vpcd", "nonsense", "--wait", "5"], &[]).unwrap();
    assert!(stderr(&out).contains("not a HOST:PORT address") && !stderr(&out).contains("pcscd"));
}

#[test]
fn persist_does_not_write_a_personality_override() {
    let path = profile_file("persist-personality", "");
    let args = ["verify", "--profile", path.to_str().unwrap(), "--persist", "--personality", "sim"];
    let Some(out) = run("pin", &args, &[("SIMCORE_PIN", "1234")]) else { return };
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("would rewrite the profile's personality"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "");
    // The same personality as the file's (UICC by default) is no override.
    let args = ["verify", "--profile", path.to_str().unwrap(), "--persist", "--personality", "uicc"];
    assert!(run("pin", &args, &[("SIMCORE_PIN", "1234")]).unwrap().status.success());
}

#[test]
fn pin_without_a_code_and_without_a_terminal_says_how_to_give_one() {
    let Some(out) = run("pin", &["verify"], &[]) else { return };
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no PIN1 given: use --pin-file FILE, set SIMCORE_PIN"), "{}", stderr(&out));
    // A malformed code is refused before anything is sent.
    let out = run("pin", &["verify"], &[("SIMCORE_PIN", "12a4")]).unwrap();
    assert!(
        stderr(&out).contains("PIN1: character 3 of the code (offset 2) is not a decimal digit"),
        "{}",
        stderr(&out)
    );
    // Set, but not text: said so, not "no PIN1 given".
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let out = std::process::Command::new(example_bin::example("pin").unwrap())
            .arg("verify")
            .env("SIMCORE_PIN", std::ffi::OsStr::from_bytes(b"\xff1234"))
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(stderr(&out).contains("SIMCORE_PIN is set, but not to text"), "{}", stderr(&out));
    }
}

#[test]
fn traces_hide_the_pin() {
    let Some(out) = run("pin", &["verify", "--trace"], &[("SIMCORE_PIN", "1234")]) else { return };
    assert!(out.status.success());
    let trace = stderr(&out);
    assert!(trace.contains("> 00 20 00 01 08 **"), "{trace}");
    assert!(!trace.contains("31 32 33 34"), "{trace}");
    assert!(trace.contains("< 63 C3"), "{trace}");
}

#[test]
fn apdu_scripts_with_expected_status_words() {
    let path = profile_file("apdu", "");
    let script = path.with_file_name("session.apdu");
    // TS 102 221: SELECT MF without FCP; READ BINARY of EF_ICCID by SFI 02;
    // a SELECT of a missing file.
    std::fs::write(
        &script,
        "# select MF\n00A4000C023F00 = 9000\n00 B0 82 00 0A = 90XX\n00A4000C026F99=6A82\n",
    )
    .unwrap();
    let Some(out) = run("apdu", &["--script", script.to_str().unwrap()], &[]) else { return };
    assert!(out.status.success(), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(text.contains("< 98 00 01 21 43 65 87 09 21 93"), "{text}");
    assert!(text.contains("6A 82: file or application not found"), "{text}");
    // A mismatch stops the script with exit status 1.
    let out = run("apdu", &["00A4000C026F99=9000", "00A4000C023F00"], &[]).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("expected 9000: MISMATCH"));
    assert!(!stdout(&out).contains("3F 00"), "stopped at the mismatch");
    // JSON, one object per command; a classic SIM's 9F 16 is followed by GET RESPONSE.
    let out = run("apdu", &["--json", "--personality", "sim", "A0A40000023F00"], &[]).unwrap();
    let v = json(&out);
    assert_eq!((v["sw"].as_str(), v["exchanges"].as_u64()), (Some("9000"), Some(2)));
    assert_eq!(v["data"].as_str().unwrap().len(), 2 * 22);
}

#[test]
fn apdu_explains_without_a_card() {
    let Some(out) = run(
        "apdu",
        &["--explain", "00A40004023F0000", "A0200001083132333435FFFFFF", "--sw", "6A82", "--sw", "9240"],
        &[],
    ) else {
        return;
    };
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.contains("case 4S") && text.contains("T=0 TPDU 00 A4 00 04 02 3F 00 (Le dropped"), "{text}");
    assert!(text.contains("command A0 20 00 01 08 **") && !text.contains("31 32 33"), "{text}");
    assert!(text.contains("status 6A 82 (error)"), "{text}");
    // 92 40: a classic SIM's memory problem (TS 51.011 §9.4.3), a UICC's
    // normal ending (TS 102 221 §10.2.1.1).
    assert!(text.contains("status 92 40 (its class depends on the card's profile)"), "{text}");
    assert!(text.contains("SIM (TS 51.011)    error: memory problem"), "{text}");
    assert!(text.contains("UICC (TS 102 221)  success: normal ending"), "{text}");
}

#[test]
fn apdu_errors_never_repeat_a_pin() {
    // The data of VERIFY is the PIN (TS 102 221 §11.1.9): an APDU that does not
    // parse, a bad expected status word, a script line and a command the link
    // cannot send are named by their place, or shown with the data as `**`.
    let extended = format!("0020000100012C{}", "31323334".repeat(75));
    let dir = std::env::temp_dir().join(format!("simcore-apdu-pin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("verify.apdu");
    std::fs::write(&script, "# a VERIFY whose Lc is one too many\n0020000108 31 32 33 34 FF FF FF\n")
        .unwrap();
    let script = script.to_str().unwrap().to_string();
    for (args, place) in [
        (vec!["0020000108 31 32 33 34 FF FF FF=9000"], "APDU argument 1:"),
        (vec!["00A4000C023F00", "0020000108313233343536FFFF=90"], "APDU argument 2:"),
        (vec!["--script", &script], "verify.apdu line 2:"),
        (vec![&extended], "00 20 00 01 00 **:"),
    ] {
        let Some(out) = run("apdu", &args, &[]) else { return };
        let text = format!("{}{}", stdout(&out), stderr(&out));
        assert!(!out.status.success(), "{text}");
        assert!(text.contains(place), "{text}");
        for pin in ["31 32 33 34", "31323334", "3132 3334"] {
            assert!(!text.contains(pin), "{text}");
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn backends_that_are_not_built_say_how_to_build_them() {
    for (example, args, built) in [
        ("sim_info", vec!["--pcsc"], cfg!(feature = "pcsc")),
        ("pin", vec!["status", "--serial", "/dev/ttyUSB0"], cfg!(feature = "serial")),
    ] {
        // Built with the feature, the backend is there (tests/pcsc.rs and CI cover it).
        if built {
            continue;
        }
        let Some(out) = run(example, &args, &[]) else { return };
        assert_eq!(out.status.code(), Some(1));
        let err = stderr(&out);
        assert!(err.contains("transport") && err.contains(args[args.len() - 1]), "{err}");
        if example == "sim_info" {
            assert!(err.contains("cargo run --features pcsc"), "{err}");
        }
    }
}

#[test]
fn every_example_has_help_json_and_trace() {
    for name in ["sim_info", "pin", "apdu"] {
        let Some(out) = run(name, &["--help"], &[]) else { return };
        assert!(out.status.success());
        let help = stdout(&out);
        for option in ["--json", "--trace", "--profile", "--pcsc", "--serial"] {
            assert!(help.contains(option), "{name} --help lacks {option}");
        }
    }
}

#[test]
fn sim_info_shows_the_usim_and_the_eid_of_an_euicc() {
    let Some(out) = run("sim_info", &["--personality", "euicc", "--verify-pin"], &[("SIMCORE_PIN", "1234")])
    else {
        return;
    };
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let eid = simcore::virtual_sim::profile::DEFAULT_EID;
    // pySim-read's shape: the table's hex, then "Service N - name" per service.
    assert!(text.contains("UST       00001400010000004000000000000000000000\n"), "{text}");
    assert!(text.contains("          Service 19 - Service Provider Name\n"), "{text}");
    assert!(text.contains("          Service 71 - Equivalent HPLMN\n"), "{text}");
    assert!(text.contains("EHPLMN    001-01\n"), "{text}");
    assert!(text.contains("FPLMN     none\n"), "{text}");
    assert!(text.contains("A0000005591010FFFFFFFF8900000100  ISD-R"), "{text}");
    assert!(text.contains(&format!("EID       {eid}  (check digits valid; ISD-R, GSMA AID)")), "{text}");
    // --json: the same facts as keys; the opening SELECT MF, VERIFY with its guard,
    // the USIM summary, PINs, UST/EHPLMN/FPLMN, EF_DIR (4 records) and the EID (5).
    let Some(out) =
        run("sim_info", &["--personality", "euicc", "--verify-pin", "--json"], &[("SIMCORE_PIN", "1234")])
    else {
        return;
    };
    let v = json(&out);
    assert_eq!(v["eid"], eid);
    assert_eq!(v["eid_check_digits_valid"], true);
    assert_eq!(v["usim_services"], serde_json::json!([19, 21, 33, 71]));
    assert_eq!(v["ehplmn"], serde_json::json!(["001-01"]));
    assert_eq!(v["applications"][1]["application"], "ISD-R");
    assert_eq!(v["apdu_count"], 34);
    // --no-eid skips the search: 36 - 9 on the plain UICC.
    let Some(out) = run("sim_info", &["--verify-pin", "--json", "--no-eid"], &[("SIMCORE_PIN", "1234")])
    else {
        return;
    };
    let v = json(&out);
    assert_eq!((v["eid"].clone(), v["apdu_count"].clone()), (Value::Null, serde_json::json!(27)));
}

#[test]
fn modem_option_says_what_the_build_lacks() {
    let Some(out) = run("sim_info", &["--modem", "/dev/ttyUSB2"], &[]) else { return };
    if cfg!(feature = "modem") {
        // The modem transport is there: the port does not exist here.
        assert!(!out.status.success());
        assert!(stderr(&out).contains("--modem /dev/ttyUSB2"), "{}", stderr(&out));
    } else {
        assert_eq!(out.status.code(), Some(1));
        assert!(stderr(&out).contains("cargo run --features modem --example"), "{}", stderr(&out));
    }
}

/// `virtual_sim --serial` serves the card on a pseudo-terminal; `sim_info` and
/// `pin` read it through the serial reader transport (feature `serial`) as a
/// reader without echo whose card sends its ATR when the port opens
/// (`--reset-line none --no-echo`): ATR, PPS, T=0 characters, end to end.
/// Each open of the path inserts the card again.
#[cfg(all(feature = "serial", unix))]
#[test]
fn sim_info_and_pin_read_the_virtual_card_over_a_serial_line() {
    use example_bin::example;
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    /// The served card, stopped however the test ends.
    struct Served(std::process::Child);
    impl Drop for Served {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let Some(exe) = example("virtual_sim") else { return };
    let mut served = Served(
        Command::new(exe)
            .args(["--serial", "--personality", "sim"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let lines = BufReader::new(served.0.stdout.take().unwrap()).lines();
    let path = lines
        .map_while(Result::ok)
        .find_map(|line| Some(line.strip_prefix("serving T=0 on ")?.split_whitespace().next()?.to_owned()))
        .expect("virtual_sim names its pseudo-terminal");
    let serial = ["--serial", path.as_str(), "--reset-line", "none", "--no-echo"];

    let args = [&serial[..], &["--verify-pin", "--json"]].concat();
    let out = run("sim_info", &args, &[("SIMCORE_PIN", "1234")]).unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["backend"], format!("serial reader {path}"));
    assert_eq!((v["profile"].as_str(), v["iccid"].as_str()), (Some("sim"), Some(DEFAULT_ICCID)));
    assert_eq!(v["imsi"], DEFAULT_IMSI);
    assert_eq!(v["msisdn"], DEFAULT_MSISDN);
    // TS 51.011 §9.2.1: the classic SIM's default ATR offers no faster rate, so
    // the counts are the in-process ones (tests/session.rs, sim_info above).
    assert_eq!(v["apdu_count"], 18);

    // Opened again: the card is inserted again, PIN1 verified no more.
    let args = [&serial[..], &["status", "--json"]].concat();
    let out = run("pin", &args, &[]).unwrap();
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("\"attempts_left\":3"), "{text}");

    // PIN1 disabled: the advice's command reaches the same card, with the
    // wiring options and the feature the serial backend needs.
    let codes = std::env::temp_dir().join(format!("simcore-serial-codes-{}", std::process::id()));
    std::fs::write(&codes, "1234\n").unwrap();
    let args = [&serial[..], &["disable", "--pin-file", codes.to_str().unwrap()]].concat();
    assert!(run("pin", &args, &[]).unwrap().status.success());
    let v = json(&run("sim_info", &[&serial[..], &["--json"]].concat(), &[]).unwrap());
    let message = v["advice"][0]["message"].as_str().unwrap();
    let wanted = format!(
        "cargo run --features serial --example pin -- enable --serial {path} --reset-line none --no-echo"
    );
    assert!(message.ends_with(&wanted), "{message}");
    std::fs::remove_file(&codes).unwrap();
}
