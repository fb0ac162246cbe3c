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
//! library). The other warnings, 11 reserved TA1 codes, 3 TD1 announcing
//! T=15, one specific mode (TA2) with reserved bits set, 3 naming a protocol
//! no TDi offers and 4 reserved IFSCs, are confirmed both ways by a second
//! reading of ISO/IEC 7816-3:2006 §8.2.3, §8.3 tables 7 and 8 and §11.4.2
//! (`other_warnings`, with DI 7 as Di = 64, as the 2006 edition has it). Not
//! checked independently: the wording of any outcome, category 10 without its DIR data reference (no entry has one),
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
/// with b7–b6 = 00 and an Le (tables 82–84), its SFI 1–30 for READ BINARY
/// and 0–30 for READ RECORD(S) (0: the current EF; 31 reserved, table 36);
/// five bytes or more a command APDU (§8.3.3.3; 2005 §8.1.1.2.4, §8.1.2) of
/// ISO/IEC 7816-4 §5.1: short case 2 (4 + Le), 3 (5 + Lc, Lc ≠ 0) or 4
/// (5 + Lc + Le); extended (a 00 after the header) case 2 (4 + 3), 3
/// (4 + 3 + Lc, Lc ≠ 0) or 4 (4 + 3 + Lc + 2).
fn initial_access_is_a_command(value: &[u8]) -> bool {
    match value.len() {
        1 => true,
        2 => {
            let (file, sfi) = (value[0], value[0] & 0x1F);
            file & 0x60 == 0 && sfi != 31 && (file & 0x80 == 0 || sfi != 0)
        }
        n if n >= 5 => {
            let short_lc = usize::from(value[4]);
            let short = n == 5 || (short_lc != 0 && (n == 5 + short_lc || n == 6 + short_lc));
            let extended_lc = value.get(5..7).map_or(0, |b| usize::from(u16::from_be_bytes([b[0], b[1]])));
            let extended = value[4] == 0
                && n >= 7
                && (n == 7 || (extended_lc != 0 && (n == 7 + extended_lc || n == 9 + extended_lc)));
            short || extended
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

/// The interface bytes of an ATR read from its raw bytes without the library
/// (ISO/IEC 7816-3:2006 §8.2.1–§8.2.3): T0's b8–b5 (Y1) say which of TA1, TB1,
/// TC1, TD1 follow, in that order; each TDi's b8–b5 (Yi+1) do the same for
/// group i+1 and its b4–b1 give a protocol T; no TDi, no further group. One
/// entry per group i = 1, 2, …, each `[TAi, TBi, TCi, TDi]` as `(offset in the
/// ATR, value)` when present; the walk stops at the first byte missing.
fn interface_groups(raw: &[u8]) -> Vec<[Option<(usize, u8)>; 4]> {
    let mut groups = Vec::new();
    let Some(&t0) = raw.get(1) else { return groups };
    let (mut y, mut at) = (t0 >> 4, 2);
    loop {
        let mut group = [None; 4];
        for (bit, byte) in group.iter_mut().enumerate() {
            if y & (1 << bit) != 0 {
                let Some(&value) = raw.get(at) else { return groups };
                *byte = Some((at, value));
                at += 1;
            }
        }
        groups.push(group);
        match group[3] {
            Some((_, td)) => y = td >> 4,
            None => return groups,
        }
    }
}

/// A warning of the classes below, as the second reading names it; offsets in
/// the ATR (TS = byte 0), as in the expectations file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum OtherWarning {
    /// TA1 with a reserved FI or DI: `(offset of TA1, TA1)`.
    ReservedFiDi { at: usize, ta1: u8 },
    /// TD1 announcing T=15: `(offset of TD1)`.
    T15InTd1 { at: usize },
    /// TA2 with its reserved bits b7–b6 set: `(offset of TA2)`.
    SpecificModeReservedBits { at: usize },
    /// TA2 naming a protocol no TDi offers: `(offset of TA2, its T)`.
    ProtocolNotOffered { at: usize, protocol: u8 },
    /// The first TA for T=1 with a reserved IFSC: `(offset, value)`.
    ReservedIfsc { at: usize, ifsc: u8 },
}

/// FI codes that ISO/IEC 7816-3:2006 table 7 leaves RFU (no Fi, no fmax):
/// 7, 8, E and F. The other codes give Fi 372, 372, 558, 744, 1116, 1488,
/// 1860 (0–6) and 512, 768, 1024, 1536, 2048 (9–D); digest.md §1.4 has the
/// same table from three independent decoders.
fn fi_reserved(fi: u8) -> bool {
    matches!(fi, 0x7 | 0x8 | 0xE | 0xF)
}

/// DI codes that ISO/IEC 7816-3:2006 table 8 leaves RFU: 0 and A–F. The 2006
/// edition defines Di 1, 2, 4, 8, 16, 32, 64, 12, 20 for codes 1–9; code 7 was
/// RFU in the 1997 edition and is Di = 64 in 2006 (digest.md §1.4, which this
/// project follows: "64 in ISO 7816-3:2006 – all three code sources use 64"),
/// so it is no warning here.
fn di_reserved(di: u8) -> bool {
    matches!(di, 0x0 | 0xA..=0xF)
}

/// The warnings of the classes `OtherWarning` names, read from the raw bytes
/// independently of the library (ISO/IEC 7816-3:2006), in byte order:
/// - TA1 = FI (b8–b5) DI (b4–b1) (§8.3): a warning when either code is RFU in
///   table 7 or table 8 (`fi_reserved`, `di_reserved`).
/// - TD1 with T = 15 (§8.2.3: T=15 is invalid in TD1; TD1 names the first
///   offered protocol and T=15 is no transmission protocol, it only qualifies
///   the global bytes that follow).
/// - TA2, the specific mode byte (§8.3): b7–b6 are reserved (a warning when
///   either is set); b4–b1 are the protocol T of the
///   specific mode (b5 says whether TA1's parameters or implicit ones apply);
///   a warning when no TDi offers that T. Offered are the T of every TDi
///   except 15, which names no protocol (§8.2.3); T=0 is also offered when
///   TD1 is absent, which cannot happen with a TA2 (TA2 needs TD1's Y2). A TA2
///   naming T=15 therefore always warns (no entry of the corpus has one).
/// - The first TA for T=1 (§11.4.2; §8.2.3: TAi, TBi, TCi with i ≥ 3 are
///   specific to the T of TD(i−1)): the first present TAi, i ≥ 3, whose
///   TD(i−1) has T = 1, is the IFSC; 00 and FF are reserved (01–FE valid, the
///   default 32 applies without it). When several groups follow a T=1 TDi, the
///   first TA present among them counts, even if not in the first such group
///   (no entry of the corpus has this case).
fn other_warnings(raw: &[u8]) -> Vec<OtherWarning> {
    let groups = interface_groups(raw);
    let mut out = Vec::new();
    let byte = |i: usize, kind: usize| groups.get(i - 1).and_then(|g| g[kind]);
    let (ta, td) = (0, 3);
    if let Some((at, ta1)) = byte(1, ta)
        && (fi_reserved(ta1 >> 4) || di_reserved(ta1 & 0x0F))
    {
        out.push(OtherWarning::ReservedFiDi { at, ta1 });
    }
    if let Some((at, td1)) = byte(1, td)
        && td1 & 0x0F == 15
    {
        out.push(OtherWarning::T15InTd1 { at });
    }
    if let Some((at, ta2)) = byte(2, ta) {
        if ta2 & 0x60 != 0 {
            out.push(OtherWarning::SpecificModeReservedBits { at });
        }
        let protocol = ta2 & 0x0F;
        let mut announced = groups.iter().filter_map(|g| g[td]).map(|(_, v)| v & 0x0F);
        let offered = match byte(1, td) {
            None => protocol == 0,
            Some(_) => protocol != 15 && announced.any(|t| t == protocol),
        };
        if !offered {
            out.push(OtherWarning::ProtocolNotOffered { at, protocol });
        }
    }
    let first_t1_ta = (3..=groups.len())
        .filter(|&i| byte(i - 1, td).is_some_and(|(_, v)| v & 0x0F == 1))
        .find_map(|i| byte(i, ta));
    if let Some((at, ifsc)) = first_t1_ta
        && matches!(ifsc, 0x00 | 0xFF)
    {
        out.push(OtherWarning::ReservedIfsc { at, ifsc });
    }
    out
}

/// The library's warnings of the classes `OtherWarning` names, matched by
/// variant; the others are left out (see the test below).
fn library_other_warnings(atr: &Atr<'_>) -> Vec<OtherWarning> {
    atr.warnings()
        .filter_map(|w| match w {
            Warning::ReservedFiDi { offset, fi_di } => {
                Some(OtherWarning::ReservedFiDi { at: offset, ta1: fi_di.byte() })
            }
            Warning::T15InTd1 { offset } => Some(OtherWarning::T15InTd1 { at: offset }),
            Warning::SpecificModeReservedBits { offset } => {
                Some(OtherWarning::SpecificModeReservedBits { at: offset })
            }
            Warning::SpecificModeProtocolNotOffered { offset, protocol } => {
                Some(OtherWarning::ProtocolNotOffered { at: offset, protocol })
            }
            Warning::ReservedIfsc { offset, ifsc } => Some(OtherWarning::ReservedIfsc { at: offset, ifsc }),
            _ => None,
        })
        .collect()
}

/// The "other warning" lines of the snapshot, checked against `other_warnings`
/// for every concrete ATR that parses, both ways: every warning of these
/// classes that `Atr::warnings` gives is found by that reading (same class,
/// byte and value), and every one that reading finds is given by the library.
///
/// Checked: `Warning::ReservedFiDi` (TA1, §8.3 tables 7 and 8),
/// `Warning::T15InTd1` (§8.2.3), `Warning::SpecificModeReservedBits` and
/// `Warning::SpecificModeProtocolNotOffered` (TA2, §8.3) and
/// `Warning::ReservedIfsc` (§11.4.2). Not checked here: `Warning::WrongTck`
/// and `Warning::ExtraBytes`, structural outcomes that tests/atr_pyscard.rs
/// confirms; and `Warning::ReservedWi` (TC2 = 00, §10.2), `Warning::ReservedBwi`
/// (§11.4.3), `Warning::ReservedEdcBits` (§11.4.4), `Warning::NoVoltageClass`
/// and `Warning::VoltageClassesNotConsecutive` (first TA after T=15, §8.3; TS
/// 102 221 §6.2.1), which no concrete ATR of the corpus triggers, so a
/// comparison would be vacuous (tests/atr.rs has a vector for each of them).
#[test]
fn other_warnings_agree_with_an_independent_reading() {
    let Some(atrs) = corpus() else { return };
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut di_64 = 0;
    let mut problems = Vec::new();
    for text in &atrs {
        let raw = hex::decode(text).unwrap();
        let Ok(atr) = Atr::parse(&raw) else { continue };
        let mut found = other_warnings(&raw);
        let mut given = library_other_warnings(&atr);
        found.sort_unstable();
        given.sort_unstable();
        for w in given.iter().filter(|w| !found.contains(w)) {
            problems.push(format!("{text}\n    the library gives {w:?}, the reading does not find it"));
        }
        for w in found.iter().filter(|w| !given.contains(w)) {
            problems.push(format!("{text}\n    the reading finds {w:?}, the library does not give it"));
        }
        for w in found.iter().filter(|w| given.contains(w)) {
            let class = match w {
                OtherWarning::ReservedFiDi { .. } => "reserved FI/DI",
                OtherWarning::T15InTd1 { .. } => "T=15 in TD1",
                OtherWarning::SpecificModeReservedBits { .. } => "specific mode reserved bits",
                OtherWarning::ProtocolNotOffered { .. } => "specific mode protocol not offered",
                OtherWarning::ReservedIfsc { .. } => "reserved IFSC",
            };
            *counts.entry(class).or_default() += 1;
        }
        // TA1 with DI 7 (Di = 64 in the 2006 edition, RFU in 1997): no warning either way.
        if interface_groups(&raw).first().and_then(|g| g[0]).is_some_and(|(_, ta1)| ta1 & 0x0F == 7) {
            di_64 += 1;
        }
    }
    println!("other warnings agreeing with the independent reading: {counts:?}; {di_64} ATRs with DI 7");
    assert!(problems.is_empty(), "{} differences:\n{}", problems.len(), problems.join("\n"));
    // The snapshot's 11 reserved TA1 codes (DI 0 or F, FI 7, 8 or F), 3 TD1 = 1F, 3 TA2 naming
    // an unoffered protocol and 4 IFSC = FF: no class is checked vacuously.
    for (class, least) in [
        ("reserved FI/DI", 11),
        ("T=15 in TD1", 3),
        ("specific mode reserved bits", 1),
        ("specific mode protocol not offered", 3),
        ("reserved IFSC", 4),
    ] {
        let n = counts.get(class).copied().unwrap_or(0);
        assert!(n >= least, "only {n} {class} warnings compared (at least {least} expected)");
    }
}
