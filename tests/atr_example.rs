//! The `decode_atr` example as a user runs it: the JSON fields issue 3 lists,
//! stdin input in the usual hex spellings, a non-zero exit when a line fails,
//! and the human analysis of vector V01 (vectors.md; ISO/IEC 7816-3:2006 §8).
//!
//! `cargo test` builds the examples before it runs the tests; the binary is
//! found next to this test's own executable.

// Tests fail loudly: unwrap, expect, panic and indexing are the point here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use serde_json::Value;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

const V01: &str = "3B9F96801F878031E073FE211B674A4C753034054BA9";

mod example_bin;

fn example() -> Option<PathBuf> {
    example_bin::example("decode_atr")
}

fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(example().unwrap())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    k.sort_unstable();
    k
}

#[test]
fn json_has_exactly_the_listed_fields() {
    if example().is_none() {
        return;
    }
    let out = run(&["--json", V01], "");
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        keys(&v),
        [
            "atr",
            "convention",
            "di",
            "extra",
            "fi",
            "fmax_khz",
            "historical",
            "input",
            "interface",
            "ok",
            "protocols",
            "t0",
            "tck"
        ]
    );
    assert_eq!(v["input"], V01);
    assert_eq!(v["ok"], true);
    assert_eq!(v["atr"], V01);
    assert_eq!(v["convention"], "direct");
    assert_eq!(v["t0"], "9F");
    assert_eq!(
        v["interface"],
        serde_json::json!([
            {"ta": "96", "tb": null, "tc": null, "td": "80"},
            {"ta": null, "tb": null, "tc": null, "td": "1F"},
            {"ta": "87", "tb": null, "tc": null, "td": null},
        ])
    );
    assert_eq!(v["protocols"], serde_json::json!([0]));
    assert_eq!(v["historical"], "8031E073FE211B674A4C753034054B");
    assert_eq!(v["tck"], serde_json::json!({"present": true, "valid": true}));
    assert_eq!(
        (v["fi"].as_u64(), v["di"].as_u64(), v["fmax_khz"].as_u64()),
        (Some(512), Some(32), Some(5000))
    );
    assert_eq!(v["extra"], "");
}

#[test]
fn stdin_lines_in_any_spelling_and_failures_set_the_exit_status() {
    if example().is_none() {
        return;
    }
    // Vectors V01 (spaced), V07 (lower case, with an extra byte), V10 (colons,
    // wrong TCK), then a truncated ATR and text that is not hex.
    let input = "3B 9F 96 80 1F 87 80 31 E0 73 FE 21 1B 67 4A 4C 75 30 34 05 4B A9\n\
                 # a comment\n\n3b0000\n3B:80:0F:00\n3B 9F\nnot hex\n";
    let out = run(&["--json"], input);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[0]["atr"], V01);
    assert_eq!(lines[1]["extra"], "00");
    assert_eq!(lines[1]["tck"], serde_json::json!({"present": false, "valid": null}));
    assert_eq!(lines[2]["tck"], serde_json::json!({"present": true, "valid": false}));
    assert_eq!(lines[2]["protocols"], serde_json::json!([]));
    assert_eq!(keys(&lines[3]), ["error", "input", "offset", "ok"]);
    assert_eq!((lines[3]["ok"].as_bool(), lines[3]["offset"].as_u64()), (Some(false), Some(2)));
    assert!(lines[3]["error"].as_str().unwrap().contains("17 more"));
    assert_eq!(lines[4]["ok"], false);
    // All good: exit status 0.
    assert!(run(&["--json"], "3B00\n").status.success());
}

#[test]
fn human_analysis_of_v01() {
    if example().is_none() {
        return;
    }
    // Unquoted bytes, as with ATR_analysis, are one ATR.
    let args: Vec<&str> =
        "3B 9F 96 80 1F 87 80 31 E0 73 FE 21 1B 67 4A 4C 75 30 34 05 4B A9".split(' ').collect();
    let out = run(&args, "");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for expected in [
        "TA1 96  Fi = 512, Di = 32, fmax = 5 MHz: 16 clocks per etu; 250000 bit/s at 4 MHz",
        "TA3 87  clock stop: state H; classes: A (5 V), B (3 V), C (1.8 V)",
        "card service data",
        "EF.DIR and EF.ATR read by READ RECORD(S)",
        "4 logical channel(s)",
        "pre-issuing data",
        "TCK A9  correct",
        "PPS request FF 10 96 79",
        "no warnings",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    // A raw inverse-convention capture (TS read as 03) is converted: the card
    // "3F 28 00 00 11 14 00 03 68 90 00" of smartcard_list.txt, each byte
    // complemented and bit-reversed by hand (vector V12 rule; 28 → D7 → EB).
    let out = run(&["03 EB FF FF 77 D7 FF 3F E9 F6 FF"], "");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("ATR 3F 28 00 00 11 14 00 03 68 90 00"), "{text}");
}

#[test]
fn initial_access_data_is_shown_as_the_command_it_asks_for() {
    if example().is_none() {
        return;
    }
    // smartcard_list.txt: "Electronic CPF in Brazil", 41 00 (ISO/IEC 7816-4:1995 table 81:
    // READ BINARY 00 B0 00 00 with Le the byte); "Safran Morpho YpsID S3", whose tag-4 value
    // is the text "ypsID S3", no command.
    let out = run(&["3B 7F 14 00 00 80 41 00 57 4A 2D 49 44 4D 36 34 83 7F 90 00"], "");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("first command after the ATR: 00 B0 00 00 00 (READ BINARY of the current EF)"),
        "{text}"
    );
    let out = run(&["3B 7D 18 00 00 00 48 79 70 73 49 44 20 53 33 07 90 00"], "");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("79 70 73 49 44 20 53 33 is no form ISO/IEC 7816-4 gives"), "{text}");
    assert!(text.contains("\"ypsID S3\""), "{text}");
}

#[test]
fn a_closed_output_pipe_ends_the_example_quietly() {
    // `decode_atr … | head -1`: the reader of stdout is gone before the
    // example writes, so every write fails with a broken pipe. The example
    // stops with 141 (128 + SIGPIPE, what a shell reports for a C tool) and
    // says nothing, where `println!` panics (101).
    let Some(exe) = example() else { return };
    let mut child = Command::new(exe)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    // Written after the reader closed: the example's first line already fails.
    let _ = child.stdin.take().unwrap().write_all(format!("{V01}\n").repeat(50).as_bytes());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(141), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
