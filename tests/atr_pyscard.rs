//! Cross-check of the ATR parser (ISO/IEC 7816-3:2006 §8.2) against an
//! independent decoder, Debian's python3-pyscard (`smartcard.ATR.ATR`, run by
//! /usr/bin/python3), over every concrete ATR of pcsc-tools'
//! smartcard_list.txt.
//!
//! For each ATR the interface bytes of every group, the historical bytes, the
//! protocols and the TCK must agree, or differ in one of these documented
//! classes (each counted and printed):
//!
//! 1. **T=15 listed as a protocol.** pyscard's `getSupportedProtocols` names
//!    every TDi's T, T=15 included; simcore's `protocols()` leaves T=15 out
//!    (it qualifies global bytes and is no transmission protocol, §8.2.3) and
//!    answers `indicates_t15()`. Compared after removing T=15 from pyscard's
//!    list and checking it against `indicates_t15()`.
//! 2. **TCK decided by the length.** pyscard says a TCK is present when exactly
//!    one byte follows the historical bytes, whatever the protocols (§8.2.5
//!    makes TCK depend on the protocols). Three cases follow: (2a) a T=0-only
//!    ATR with one extra byte: pyscard calls it TCK, simcore reports one extra
//!    byte; (2b) an ATR offering T=1 or T=15 whose entry lacks TCK: pyscard
//!    says no TCK, simcore says truncated, one byte needed; (2c) extra bytes
//!    beyond a required TCK, or two or more extra bytes: pyscard says no TCK
//!    (the length does not fit), simcore decodes the TCK and reports the extra
//!    bytes.
//! 3. **Historical bytes cut short.** pyscard slices what is there; simcore
//!    reports the ATR as truncated, with the number of bytes needed. The bytes
//!    present agree.
//! 4. **Interface bytes cut short.** pyscard raises IndexError; simcore reports
//!    the ATR as truncated. (No entry of pcsc-tools 1.6.2 is in this class.)

#![cfg(feature = "std")]
// Tests fail loudly: unwrap, expect, panic and indexing are the point here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use serde_json::Value;
use simcore::atr::{Atr, AtrError, Tck};
use simcore::hex;
use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};

const LIST: &str = "/usr/share/pcsc/smartcard_list.txt";
const PYTHON: &str = "/usr/bin/python3";

/// Reads ATRs (one per line, spaced hex) on stdin; prints one JSON object per
/// ATR with what pyscard's ATR class makes of it.
const SCRIPT: &str = r#"
import json, sys
from smartcard.ATR import ATR
for line in sys.stdin:
    text = line.strip()
    data = [int(x, 16) for x in text.split()]
    try:
        a = ATR(data)
    except Exception as e:
        print(json.dumps({"atr": text, "exception": type(e).__name__}))
        continue
    print(json.dumps({
        "atr": text,
        "groups": [[a.TA[i], a.TB[i], a.TC[i], a.TD[i]] for i in range(len(a.TA))],
        "historical": list(a.historicalBytes),
        "has_checksum": bool(a.hasChecksum),
        "checksum_ok": getattr(a, "checksumOK", None) if a.hasChecksum else None,
        "protocols": [int(p[2:]) for p in a.getSupportedProtocols()],
    }))
"#;

fn skip_or_fail(why: &str) {
    assert!(std::env::var_os("SIMCORE_CI").is_none(), "{why} (CI installs pcsc-tools and python3-pyscard)");
    println!("skipped: {why}; apt install pcsc-tools python3-pyscard");
}

fn concrete_atrs(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with('\t') && !l.trim().is_empty())
        .filter(|l| l.chars().all(|c| c.is_ascii_hexdigit() || c == ' '))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// Runs pyscard over `atrs`; `None` (after skip_or_fail) when it cannot run.
fn pyscard(atrs: &[String]) -> Option<Vec<Value>> {
    let child = Command::new(PYTHON)
        .args(["-c", SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) => {
            skip_or_fail(&format!("{PYTHON}: {e}"));
            return None;
        }
    };
    let input = atrs.join("\n") + "\n";
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    if !output.status.success() {
        skip_or_fail(&format!("pyscard failed: {}", String::from_utf8_lossy(&output.stderr)));
        return None;
    }
    let lines: Vec<Value> =
        String::from_utf8(output.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), atrs.len(), "pyscard answered {} of {} ATRs", lines.len(), atrs.len());
    Some(lines)
}

fn json_byte(v: &Value) -> Option<u8> {
    v.as_u64().map(|b| u8::try_from(b).unwrap())
}

/// What simcore makes of an entry, completing a truncated one with zero bytes
/// (TDi = 00 announces nothing more) to compare the bytes that are there.
struct Ours<'a> {
    atr: Atr<'a>,
    /// Bytes missing (0 when the entry parses as it is).
    missing: usize,
}

fn compare(
    raw: &[u8],
    padded: &mut Vec<u8>,
    py: &Value,
    classes: &mut BTreeMap<&'static str, usize>,
) -> Result<(), String> {
    let parsed = Atr::parse(raw);
    if let Some(exception) = py.get("exception") {
        return match parsed {
            Err(AtrError::Truncated { needed, .. }) if exception == "IndexError" => {
                padded.clear();
                padded.extend_from_slice(raw);
                padded.resize(raw.len() + needed, 0);
                let atr = Atr::parse(padded).map_err(|e| format!("padded: {e}"))?;
                if raw.len() >= 2 + atr.interface_bytes().len() {
                    return Err("pyscard raises although the interface bytes are complete".into());
                }
                *classes.entry("4 interface bytes cut short").or_default() += 1;
                Ok(())
            }
            other => Err(format!("pyscard raises {exception}, simcore: {other:?}")),
        };
    }
    let ours = match parsed {
        Ok(atr) => Ours { atr, missing: 0 },
        Err(AtrError::Truncated { needed, .. }) => {
            padded.clear();
            padded.extend_from_slice(raw);
            padded.resize(raw.len() + needed, 0);
            Ours { atr: Atr::parse(padded).map_err(|e| format!("padded: {e}"))?, missing: needed }
        }
        Err(e) => return Err(format!("simcore: {e}, pyscard decodes")),
    };
    let atr = &ours.atr;

    // Interface bytes, group by group.
    let groups: Vec<[Option<u8>; 4]> = atr.groups().map(|g| [g.ta(), g.tb(), g.tc(), g.td()]).collect();
    let py_groups: Vec<[Option<u8>; 4]> = py["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let g = g.as_array().unwrap();
            [json_byte(&g[0]), json_byte(&g[1]), json_byte(&g[2]), json_byte(&g[3])]
        })
        .collect();
    if groups != py_groups {
        return Err(format!("interface bytes: simcore {groups:02X?}, pyscard {py_groups:02X?}"));
    }

    // Protocols (class 1).
    let mut py_protocols: Vec<u8> =
        py["protocols"].as_array().unwrap().iter().map(|p| json_byte(p).unwrap()).collect();
    let py_t15 = py_protocols.contains(&15);
    if py_t15 != atr.indicates_t15() {
        return Err(format!("T=15: simcore {}, pyscard {py_t15}", atr.indicates_t15()));
    }
    if py_t15 {
        py_protocols.retain(|&t| t != 15);
        *classes.entry("1 T=15 listed as a protocol").or_default() += 1;
    }
    let protocols: Vec<u8> = atr.protocols().collect();
    if protocols != py_protocols {
        return Err(format!("protocols: simcore {protocols:?}, pyscard {py_protocols:?}"));
    }

    // Historical bytes (class 3 when the entry is short).
    let py_hist: Vec<u8> =
        py["historical"].as_array().unwrap().iter().map(|b| json_byte(b).unwrap()).collect();
    let hist_start = 2 + atr.interface_bytes().len();
    let present = raw.len().saturating_sub(hist_start).min(atr.k());
    if py_hist[..] != atr.historical_bytes()[..present] {
        return Err(format!(
            "historical bytes: simcore {:02X?}, pyscard {py_hist:02X?}",
            atr.historical_bytes()
        ));
    }
    let py_tck = py["has_checksum"].as_bool().unwrap();
    if present < atr.k() {
        if py_tck {
            return Err("pyscard finds a TCK in a short entry".into());
        }
        *classes.entry("3 historical bytes cut short").or_default() += 1;
        return Ok(());
    }

    // TCK (class 2).
    let extra = atr.extra_bytes().len();
    match (atr.tck(), ours.missing, extra, py_tck) {
        (Tck::Absent, 0, 0, false) => {}
        (Tck::Valid(_) | Tck::Invalid { .. }, 0, 0, true) => {
            let valid = atr.tck().is_valid();
            let py_valid = py["checksum_ok"].as_bool();
            if valid != py_valid {
                return Err(format!("TCK valid: simcore {valid:?}, pyscard {py_valid:?}"));
            }
        }
        (Tck::Absent, 0, 1, true) => {
            *classes.entry("2a extra byte of a T=0 ATR taken as TCK").or_default() += 1
        }
        (Tck::Valid(_) | Tck::Invalid { .. }, 1, 0, false) => {
            *classes.entry("2b required TCK missing, unnoticed").or_default() += 1;
        }
        (_, 0, n, false) if n > 0 => *classes.entry("2c extra bytes: no TCK by length").or_default() += 1,
        (tck, missing, extra, py_tck) => {
            return Err(format!(
                "TCK: simcore {tck:?}, missing {missing}, extra {extra}; pyscard TCK {py_tck}"
            ));
        }
    }
    Ok(())
}

#[test]
fn pyscard_agrees_on_the_corpus_except_documented_classes() {
    let text = match std::fs::read_to_string(LIST) {
        Ok(text) => text,
        Err(e) => return skip_or_fail(&format!("{LIST}: {e}")),
    };
    let atrs = concrete_atrs(&text);
    let Some(answers) = pyscard(&atrs) else { return };
    let mut classes: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut agree = 0;
    let mut problems = Vec::new();
    let mut padded = Vec::new();
    for (text, py) in atrs.iter().zip(&answers) {
        assert_eq!(py["atr"].as_str().unwrap(), text);
        let raw = hex::decode(text).unwrap();
        let before: usize = classes.values().sum();
        match compare(&raw, &mut padded, py, &mut classes) {
            Ok(()) if classes.values().sum::<usize>() == before => agree += 1,
            Ok(()) => {}
            Err(e) => problems.push(format!("{text}: {e}")),
        }
    }
    println!("{} ATRs: {agree} agree in every field; differences by class: {classes:#?}", atrs.len());
    assert!(problems.is_empty(), "{} unexplained differences:\n{}", problems.len(), problems.join("\n"));
    // The classes documented above are real in this corpus (class 4 excepted).
    for class in [
        "1 T=15 listed as a protocol",
        "2a extra byte of a T=0 ATR taken as TCK",
        "2b required TCK missing, unnoticed",
        "2c extra bytes: no TCK by length",
        "3 historical bytes cut short",
    ] {
        assert!(classes.get(class).copied().unwrap_or(0) > 0, "class {class} is empty: {classes:?}");
    }
}
