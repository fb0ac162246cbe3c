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
//! tests/atr_pyscard.rs. All 215 historical-byte outcomes are confirmed by
//! second readings of ISO/IEC 7816-4 §8.1.1 below, both ways: the 189
//! COMPACT-TLV objects that run past the end (`first_overrun`), and the 13
//! lengths a tag does not allow and 13 category-00 ATRs without room for their
//! status indicator (`first_hist_problems`, with the allowed lengths, 1 for
//! card service data and 1–3 for card capabilities and the status indicator,
//! taken from the specification and pcsc-tools' ATR_analysis, not from this
//! library). Not checked independently: the other warnings (reserved codes,
//! T=15 in TD1, a specific mode naming an unoffered protocol), the wording of
//! any outcome, category 10 without its DIR data reference (no entry has one),
//! and lengths the specification does not pin down (initial access data,
//! application identifier), which the second reading allows.

#![cfg(feature = "std")]
// Tests fail loudly: unwrap, expect, panic and indexing are the point here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use simcore::atr::{Atr, AtrError, DataObject, InitialAccess, Tck, Warning};
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

/// A historical-byte problem as the second reading below names it; offsets are
/// in the ATR (TS = byte 0), as in the expectations file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HistProblem {
    /// Category 00 without room for its 3-byte status indicator: `(offset of
    /// the category byte, bytes after it)`.
    StatusIndicator { category_at: usize, follow: usize },
    /// A COMPACT-TLV object whose length its tag does not allow.
    Length { tag: u8, at: usize, len: usize },
    /// A COMPACT-TLV object that runs past the end (as `first_overrun`).
    Overrun { tag: u8, at: usize, missing: usize },
}

/// Whether ISO/IEC 7816-4 §8.1.1.2 allows a COMPACT-TLV object with this tag
/// number to have this length. Read from the specification and from programs
/// that decode it, not from this library:
/// - tag 3, card service data: "referenced by a compact header set to '31'",
///   one byte only (ISO/IEC 7816-4:2005 §8.1.1.2.3, quoted at
///   gorferay.com/card-service-data; /work/shared/spec/digest.md §1.8 "card
///   service data byte, 1"; ATR_analysis of pcsc-tools 1.6.2, `compact_tlv`,
///   reads exactly one byte for tag 3).
/// - tag 7, card capabilities: the first, first two or all three software
///   function tables, so 1 to 3 bytes (digest.md §1.8 "1–3"; ATR_analysis
///   decodes lengths 1, 2 and 3 and prints "wrong ATR" for any other).
/// - tag 8, status indicator: "a compact header set to '81', '82' or '83' …
///   on one, two or three bytes (any other length is reserved for ISO/IEC JTC
///   1/SC 17)": LCS, SW1-SW2, or LCS SW1-SW2 (ISO/IEC 7816-4:2005 §8.1.1.3,
///   quoted at gorferay.com/status-indicator; digest.md §1.8 "1–3";
///   ATR_analysis decodes lengths 1, 2 and 3).
/// - tags 1 and 2 (country code / issuer identification number with national
///   data), 5 (card issuer's data: "the card issuer defines a length"), 6
///   (pre-issuing data), F (application identifier) and 4 (initial access
///   data): any length 0–15 here. digest.md §1.8 gives them as "var"; the
///   1995 edition (§8.3.3, cardwerk.com) names lengths 1, 2 and 5 for initial
///   access data and the 2005 one describes lengths 1 and 2 and a command
///   APDU, which this reading does not turn into a rule. Tags 0 and 9–E are
///   not defined (RFU) and have no length rule either.
fn length_allowed(tag: u8, len: usize) -> bool {
    match tag {
        0x3 => len == 1,
        0x7 | 0x8 => (1..=3).contains(&len),
        _ => true,
    }
}

/// The problems of the first faulty part of the historical bytes, read
/// independently of the library from ISO/IEC 7816-4 §8.1.1; empty when there
/// is none. Category 00 means objects followed by the last three bytes as
/// status indicator, LCS SW1 SW2, not in TLV (§8.1.1.3; digest.md §1.8;
/// ATR_analysis "expecting 3 bytes"), so fewer than three bytes after it is
/// the first problem; category 80 means objects up to the end; other
/// categories are not COMPACT-TLV. Objects are read in order; the first object
/// with a length its tag does not allow (`length_allowed`) or that runs past
/// the end gives its problems: one, or both when a disallowed length also runs
/// past the end (the specification does not say which of the two a decoder
/// should name).
fn first_hist_problems(historical: &[u8], offset: usize) -> Vec<HistProblem> {
    let Some((&category, rest)) = historical.split_first() else { return Vec::new() };
    let end = match category {
        0x00 => match rest.len().checked_sub(3) {
            Some(end) => end,
            None => return vec![HistProblem::StatusIndicator { category_at: offset, follow: rest.len() }],
        },
        0x80 => rest.len(),
        _ => return Vec::new(),
    };
    let mut i = 0;
    while i < end {
        let (tag, len) = (rest[i] >> 4, usize::from(rest[i] & 0x0F));
        let at = offset + 1 + i;
        let available = end - i - 1;
        let mut problems = Vec::new();
        if !length_allowed(tag, len) {
            problems.push(HistProblem::Length { tag, at, len });
        }
        if len > available {
            problems.push(HistProblem::Overrun { tag, at, missing: len - available });
        }
        if !problems.is_empty() {
            return problems;
        }
        i += 1 + len;
    }
    Vec::new()
}

/// The historical-byte clause of an expectations line as a `HistProblem`;
/// `None` when the line has none or one of another kind.
fn listed_hist_problem(line: &str) -> Option<HistProblem> {
    let clause = line.split_once("historical bytes: ")?.1;
    if let Some((tag, at, missing)) = listed_overrun(line) {
        return Some(HistProblem::Overrun { tag, at, missing });
    }
    if let Some(rest) = clause.strip_prefix("COMPACT-TLV object ") {
        let (tag, rest) = rest.split_once(" at byte ")?;
        let (at, rest) = rest.split_once(" has length ")?;
        let (len, _) = rest.split_once(", which its tag does not allow")?;
        return Some(HistProblem::Length {
            tag: u8::from_str_radix(tag, 16).ok()?,
            at: at.parse().ok()?,
            len: len.parse().ok()?,
        });
    }
    let rest = clause.strip_prefix("category 00 at byte ")?;
    let (at, rest) = rest.split_once(" needs a 3-byte status indicator at the end; only ")?;
    let (follow, _) = rest.split_once(" byte(s) follow")?;
    Some(HistProblem::StatusIndicator { category_at: at.parse().ok()?, follow: follow.parse().ok()? })
}

#[test]
fn tag_lengths_and_status_indicators_agree_with_an_independent_reading() {
    // The other historical-byte classes of the snapshot (a length its tag does
    // not allow, a category 00 without its status indicator), checked against
    // `first_hist_problems`, both ways: every such finding listed is a problem
    // of the first faulty part that reading finds (same tag, byte and length or
    // count), and every ATR where that reading finds one of these classes
    // first is listed with a historical-byte problem of that part (an overrun
    // of the same object may be named instead of its disallowed length), or
    // with one of a kind this reading does not know.
    let (Some(atrs), Some(expected)) = (corpus(), expected()) else { return };
    let (mut lengths, mut statuses, mut both) = (0, 0, 0);
    for text in &atrs {
        let raw = hex::decode(text).unwrap();
        let Ok(atr) = Atr::parse(&raw) else { continue };
        let offset = 2 + atr.interface_bytes().len();
        let found = first_hist_problems(atr.historical_bytes(), offset);
        let line = expected.get(text).map_or("", String::as_str);
        let listed = listed_hist_problem(line);
        let ours = |p: &HistProblem| !matches!(p, HistProblem::Overrun { .. });
        if !found.iter().any(ours) && !listed.as_ref().is_some_and(ours) {
            continue; // overruns alone: compact_tlv_overruns_agree_with_an_independent_reading
        }
        if found.len() > 1 {
            both += 1;
        }
        match listed {
            Some(listed) => {
                assert!(found.contains(&listed), "{text}: listed {listed:?}, found {found:?}: {line}");
                match listed {
                    HistProblem::Length { .. } => lengths += 1,
                    HistProblem::StatusIndicator { .. } => statuses += 1,
                    HistProblem::Overrun { .. } => {}
                }
            }
            None => assert!(line.contains("historical bytes:"), "{text}: {found:?} not listed"),
        }
    }
    // The snapshot's 13 disallowed lengths and 13 missing status indicators:
    // neither class is checked vacuously.
    println!(
        "{lengths} disallowed lengths and {statuses} missing status indicators agree with the \
         independent reading ({both} objects both disallowed and running past the end)"
    );
    assert!(lengths >= 12, "only {lengths} disallowed lengths compared");
    assert!(statuses >= 12, "only {statuses} missing status indicators compared");
}

/// Initial access data (tag 4) by the 1995 tables, read here without the
/// library: one byte is a READ BINARY's Le (table 81); two bytes a file byte
/// with b7–b6 = 00 and an Le (tables 82–84); five bytes or more a short
/// command APDU (§8.3.3.3; 2005 §8.1.1.2.4): case 2 (4 + Le), case 3 (5 + Lc,
/// Lc ≠ 0) or case 4 (5 + Lc + Le).
fn initial_access_is_a_command(value: &[u8]) -> bool {
    match value.len() {
        1 => true,
        2 => value[0] & 0x60 == 0,
        n if n >= 5 => {
            let lc = usize::from(value[4]);
            n == 5 || (lc != 0 && (n == 5 + lc || n == 6 + lc))
        }
        _ => false,
    }
}

#[test]
fn initial_access_data_of_the_corpus_agrees_with_an_independent_reading() {
    let Some(atrs) = corpus() else { return };
    let (mut objects, mut commands) = (0, 0);
    for text in &atrs {
        let raw = hex::decode(text).unwrap();
        let Ok(atr) = Atr::parse(&raw) else { continue };
        for object in atr.historical().objects() {
            let Ok(object) = object else { break };
            let Ok(DataObject::InitialAccessData(value)) = object.decode() else { continue };
            objects += 1;
            let command = InitialAccess::from_value(value).command();
            assert_eq!(command.is_some(), initial_access_is_a_command(value), "{text}: {value:02X?}");
            if let Some(command) = command {
                commands += 1;
                // The command ends as the value does: in its Le byte (tables 81, 83, 84), or
                // it is the value itself (§8.3.3.3).
                assert_eq!(command.to_vec().last(), value.last(), "{text}");
            }
        }
    }
    // The list installed here (Debian's pcsc-tools) has six tag-4 objects: `41 00` in the
    // Brazilian e-CPF and the Albanian eID and `41 E0` in the Japanese eID (READ BINARY, Le 00
    // and E0) are commands; the values of 4, 8 and 11 bytes (Visa Debit, YpsID S3, a
    // Veracruz vehicle licence whose ASCII text reads as objects by chance) are not.
    println!("{objects} initial access data objects, {commands} of them a command");
    assert!(objects >= 6, "only {objects} tag-4 objects found");
    assert!(commands >= 3, "only {commands} tag-4 commands found");
}
