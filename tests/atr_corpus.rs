//! Every concrete ATR of pcsc-tools' smartcard_list.txt (the real cards
//! Ludovic Rousseau has collected since 2002) through the ATR parser of
//! ISO/IEC 7816-3:2006 §8 and the historical-byte decoder of ISO/IEC 7816-4
//! §8.1.1: no panic, and each one decodes cleanly or has exactly the outcome
//! listed in tests/data/atr_corpus_expected.txt (with the reason).
//!
//! Lines that are patterns (`..`, `[`, a lone `.`) are skipped. The list is
//! read from /usr/share/pcsc/smartcard_list.txt (Debian package pcsc-tools,
//! which CI installs); without it the test prints "skipped" unless SIMCORE_CI
//! is set. `SIMCORE_BLESS_CORPUS=1 cargo test --test atr_corpus` rewrites the
//! expectations file after a deliberate change and then fails, so that the
//! diff is reviewed before the test can pass again.
//!
//! The inputs are real cards'; the expectations file is a regression snapshot
//! of this library's own verdicts, written by that command and reviewed by hand
//! class by class (its header gives each class's reason), not vectors from an
//! independent source. The structural outcomes (truncated, extra bytes, TCK)
//! are confirmed independently by the pyscard cross-check in
//! tests/atr_pyscard.rs; the COMPACT-TLV objects that run past the end (189 of
//! the historical-byte outcomes) by a second reading of ISO/IEC 7816-4 §8.1.1
//! below. The other historical-byte outcomes (a length a tag does not allow, a
//! missing status indicator; 21 lines) are not.

#![cfg(feature = "std")]
// Tests fail loudly: unwrap, expect, panic and indexing are the point here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use simcore::atr::{Atr, AtrError, Tck, Warning};
use simcore::hex;
use std::collections::BTreeMap;

const LIST: &str = "/usr/share/pcsc/smartcard_list.txt";
const EXPECTED: &str = "tests/data/atr_corpus_expected.txt";

/// The concrete ATRs of smartcard_list.txt, in file order; `None` (after
/// printing why) when the file is absent outside CI.
fn corpus() -> Option<Vec<String>> {
    match std::fs::read_to_string(LIST) {
        Ok(text) => Some(concrete_atrs(&text)),
        Err(e) => {
            assert!(std::env::var_os("SIMCORE_CI").is_none(), "{LIST}: {e} (CI installs pcsc-tools)");
            println!("skipped: {LIST} not readable ({e}); apt install pcsc-tools");
            None
        }
    }
}

/// ATR lines: not comments, not descriptions (tab), only hex digits and spaces.
fn concrete_atrs(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with('\t') && !l.trim().is_empty())
        .filter(|l| l.chars().all(|c| c.is_ascii_hexdigit() || c == ' '))
        .map(|l| l.trim().to_string())
        .collect()
}

/// Why an ATR is cut short, found by completing it with zero bytes (TDi = 00
/// announces nothing more, so the completed structure is the least one).
fn truncation_reason(raw: &[u8], needed: usize) -> String {
    let mut padded = raw.to_vec();
    padded.resize(raw.len() + needed, 0);
    let Ok(atr) = Atr::parse(&padded) else { return "structure unknown".into() };
    let hist_start = 2 + atr.interface_bytes().len();
    if raw.len() < hist_start {
        format!("interface bytes cut short ({} of {} present)", raw.len() - 2, atr.interface_bytes().len())
    } else if raw.len() < hist_start + atr.k() {
        format!("historical bytes cut short (K = {}, {} present)", atr.k(), raw.len() - hist_start)
    } else {
        let t15 = atr.indicates_t15().then_some(15);
        let offered: Vec<String> =
            atr.protocols().filter(|&t| t != 0).chain(t15).map(|t| format!("T={t}")).collect();
        format!("TCK missing although {} is announced", offered.join(", "))
    }
}

/// Everything about an ATR that is not a clean decode, as text; empty when
/// the ATR decodes cleanly.
fn verdict(raw: &[u8]) -> Vec<String> {
    let atr = match Atr::parse(raw) {
        Ok(atr) => atr,
        Err(e @ AtrError::Truncated { needed, .. }) => {
            return vec![format!("{e}: {}", truncation_reason(raw, needed))];
        }
        Err(e) => return vec![e.to_string()],
    };
    let mut out: Vec<String> = atr
        .warnings()
        .map(|w| match w {
            Warning::ExtraBytes { .. } => {
                let extra = atr.extra_bytes();
                let xor = raw[1..].iter().fold(0u8, |a, b| a ^ b);
                let note = if extra.len() == 1 && atr.tck() == Tck::Absent && xor == 0 {
                    " (a correct TCK, although only T=0 is offered)"
                } else {
                    ""
                };
                format!("{w}: {}{note}", hex::Hex(extra))
            }
            w => w.to_string(),
        })
        .collect();
    if let Err(e) = atr.historical().check() {
        out.push(format!("historical bytes: {e}"));
    }
    out
}

/// The pinned outcomes; `None` (after printing why) when the file is absent:
/// it stays in the repository, out of the published package (it lists ATRs of
/// pcsc-tools' GPL-2.0-or-later list).
fn expected() -> Option<BTreeMap<String, String>> {
    let text = match std::fs::read_to_string(EXPECTED) {
        Ok(text) => text,
        Err(e) => {
            assert!(std::env::var_os("SIMCORE_CI").is_none(), "{EXPECTED}: {e}");
            println!("skipped: {EXPECTED} not readable ({e}); it is in the repository only");
            return None;
        }
    };
    let pinned = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (atr, outcome) = l.split_once(" | ").unwrap_or_else(|| panic!("bad line {l:?}"));
            (atr.to_string(), outcome.to_string())
        })
        .collect();
    Some(pinned)
}

#[test]
fn every_concrete_atr_decodes_or_fails_as_listed() {
    let Some(atrs) = corpus() else { return };
    // pcsc-tools 1.6.2 lists 3803 concrete ATRs; a later list may hold more.
    assert!(atrs.len() >= 3800, "only {} concrete ATRs", atrs.len());
    let mut actual = BTreeMap::new();
    let mut clean = 0;
    for text in &atrs {
        let raw = hex::decode(text).unwrap();
        let v = verdict(&raw);
        if v.is_empty() {
            clean += 1;
        } else {
            actual.insert(text.clone(), v.join("; "));
        }
    }
    if std::env::var_os("SIMCORE_BLESS_CORPUS").is_some() {
        bless(&actual);
        // Comparing with what was just written proves nothing.
        panic!(
            "{EXPECTED} rewritten from this run: review its diff, then run again without SIMCORE_BLESS_CORPUS"
        );
    }
    let Some(expected) = expected() else { return };
    let mut problems = Vec::new();
    for (atr, outcome) in &actual {
        match expected.get(atr) {
            Some(want) if want == outcome => {}
            Some(want) => problems.push(format!("{atr}\n    expected: {want}\n    actual:   {outcome}")),
            None => problems.push(format!("{atr}\n    not listed, actual: {outcome}")),
        }
    }
    for atr in expected.keys().filter(|a| !actual.contains_key(*a)) {
        let listed = atrs.contains(atr);
        problems.push(format!(
            "{atr}\n    listed but {}",
            if listed { "decodes cleanly" } else { "not in the corpus" }
        ));
    }
    println!("{} concrete ATRs: {clean} decode cleanly, {} as listed", atrs.len(), actual.len());
    assert!(problems.is_empty(), "{} differences:\n{}", problems.len(), problems.join("\n"));
}

/// Rewrites the expectations file, keeping its header.
fn bless(actual: &BTreeMap<String, String>) {
    let old = std::fs::read_to_string(EXPECTED).unwrap_or_default();
    let header: String = old.lines().take_while(|l| l.starts_with('#')).map(|l| format!("{l}\n")).collect();
    let body: String = actual.iter().map(|(atr, outcome)| format!("{atr} | {outcome}\n")).collect();
    std::fs::write(EXPECTED, format!("{header}{body}")).unwrap();
}

#[test]
fn outcome_kinds_are_counted() {
    // The classes the expectations file documents, each with at least one
    // member in the corpus: a change that hides a class fails here.
    let Some(atrs) = corpus() else { return };
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for text in &atrs {
        let raw = hex::decode(text).unwrap();
        for v in verdict(&raw) {
            let kind = [
                ("interface bytes cut short", "truncated interface bytes"),
                ("historical bytes cut short", "truncated historical bytes"),
                ("TCK missing", "missing TCK"),
                ("wrong TCK", "wrong TCK"),
                ("after the end", "extra bytes"),
                ("historical bytes:", "historical bytes not COMPACT-TLV"),
            ]
            .iter()
            .find(|(needle, _)| v.contains(needle))
            .map_or("other warning", |(_, kind)| kind);
            *kinds.entry(kind).or_default() += 1;
        }
    }
    println!("{kinds:#?}");
    // (No entry of pcsc-tools 1.6.2 is cut inside its interface bytes.)
    for kind in [
        "truncated historical bytes",
        "missing TCK",
        "wrong TCK",
        "extra bytes",
        "historical bytes not COMPACT-TLV",
        "other warning",
    ] {
        assert!(kinds.get(kind).copied().unwrap_or(0) > 0, "no {kind} left in the corpus: {kinds:?}");
    }
}

/// The first COMPACT-TLV object that runs past the end of the historical
/// bytes, read independently of the library from ISO/IEC 7816-4 §8.1.1: after
/// the category byte 00 come objects, then a 3-byte status indicator (§8.1.1.3);
/// after 80 objects fill the rest; each object's first byte is a tag nibble and
/// a length nibble. `(tag, offset in the ATR, bytes missing)`.
fn first_overrun(historical: &[u8], offset: usize) -> Option<(u8, usize, usize)> {
    let (&category, rest) = historical.split_first()?;
    let end = match category {
        0x00 => rest.len().checked_sub(3)?,
        0x80 => rest.len(),
        _ => return None,
    };
    let mut i = 0;
    while i < end {
        let (tag, len) = (rest[i] >> 4, usize::from(rest[i] & 0x0F));
        let available = end - i - 1;
        if len > available {
            return Some((tag, offset + 1 + i, len - available));
        }
        i += 1 + len;
    }
    None
}

/// `(tag, offset, missing)` of the "announces … more byte(s) than remain"
/// clause of an expectations line.
fn listed_overrun(line: &str) -> Option<(u8, usize, usize)> {
    let rest = line.split("COMPACT-TLV object ").nth(1)?;
    let (tag, rest) = rest.split_once(" at byte ")?;
    let (offset, rest) = rest.split_once(" announces ")?;
    let (missing, _) = rest.split_once(" more byte(s) than remain")?;
    Some((u8::from_str_radix(tag, 16).ok()?, offset.parse().ok()?, missing.parse().ok()?))
}

#[test]
fn compact_tlv_overruns_agree_with_an_independent_reading() {
    // The largest class of the snapshot, checked against a second reading of
    // the specification (`first_overrun`), both ways: every overrun listed is
    // the one that reading finds, and every ATR where it finds one is listed
    // with a historical-byte problem (an earlier one may be named instead).
    let (Some(atrs), Some(expected)) = (corpus(), expected()) else { return };
    let mut agreed = 0;
    for text in &atrs {
        let raw = hex::decode(text).unwrap();
        let Ok(atr) = Atr::parse(&raw) else { continue };
        let offset = 2 + atr.interface_bytes().len();
        let independent = first_overrun(atr.historical_bytes(), offset);
        let line = expected.get(text).map_or("", String::as_str);
        match (independent, listed_overrun(line)) {
            (Some(found), Some(listed)) => {
                assert_eq!(found, listed, "{text}: {line}");
                agreed += 1;
            }
            (Some(found), None) => {
                assert!(line.contains("historical bytes:"), "{text}: {found:?} not listed")
            }
            (None, Some(listed)) => panic!("{text}: listed {listed:?}, none found: {line}"),
            (None, None) => {}
        }
    }
    // The snapshot's 180-odd overruns: the check is not vacuous.
    println!("{agreed} COMPACT-TLV overruns agree with the independent reading");
    assert!(agreed >= 150, "only {agreed} overruns compared");
}
