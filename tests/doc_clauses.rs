//! The project's rule "every public item has a doc comment that names the
//! specification clause it implements", checked on the source text.
//!
//! `missing_docs` (denied in `src/lib.rs`) makes rustc check that a doc
//! comment exists; this test checks what it says: each `pub` function,
//! constant, type, trait, static and field outside the unit-test modules
//! carries, in its doc comment, a reference to where its behaviour is
//! specified — a clause sign (§), a standard's name (ISO/IEC, ETSI or 3GPP
//! TS, ITU-T, GSMA SGP, RFC, PC/SC), or, for the parts that implement no card
//! specification, the document they follow (vsmartcard's vpcd protocol, TOML
//! 1.0, POSIX). Items whose meaning the type's own comment gives still name
//! the clause again, so a reader of one item's documentation finds it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::fs;
use std::path::{Path, PathBuf};

/// Texts that name a specification or the document an item follows.
const REFERENCES: &[&str] =
    &["§", "ISO/IEC", "ETSI", "3GPP", "ITU", "SGP.", "RFC", "PC/SC", "vsmartcard", "TOML 1", "POSIX"];

/// The item keywords a `pub` line may carry.
const ITEMS: &[&str] = &["fn ", "const ", "struct ", "enum ", "trait ", "type ", "static ", "unsafe "];

fn names_a_reference(doc: &str) -> bool {
    REFERENCES.iter().any(|r| doc.contains(r))
        || doc.match_indices("TS ").any(|(at, _)| doc[at + 3..].starts_with(|c: char| c.is_ascii_digit()))
}

/// `pub` items and fields (not `pub(crate)` and the like, not `pub mod` or
/// `pub use`, whose documentation lives at their target).
fn is_public_item(trimmed: &str) -> bool {
    let Some(rest) = trimmed.strip_prefix("pub ") else {
        return false;
    };
    if ITEMS.iter().any(|k| rest.starts_with(k)) {
        return true;
    }
    // A field: `pub name: Type`.
    rest.split_once(':').is_some_and(|(name, _)| {
        !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `file:line: item` for each public item of `text` without a reference.
fn unreferenced(file: &str, text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    let mut in_test_module = false;
    for (i, line) in lines.iter().enumerate() {
        if in_test_module {
            in_test_module = *line != "}";
            continue;
        }
        let trimmed = line.trim_start();
        if line.starts_with("mod ")
            && i > 0
            && lines[..i].iter().rev().take(3).any(|l| l.contains("#[cfg(test)]"))
        {
            in_test_module = true;
            continue;
        }
        if !is_public_item(trimmed) {
            continue;
        }
        let doc: Vec<&str> = lines[..i]
            .iter()
            .rev()
            .map(|l| l.trim_start())
            .take_while(|l| l.starts_with("//") || l.starts_with("#["))
            .collect();
        if !names_a_reference(&doc.join(" ")) {
            found.push(format!("{file}:{}: {}", i + 1, trimmed.chars().take(80).collect::<String>()));
        }
    }
    found
}

#[test]
fn every_public_item_names_its_specification() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    assert!(files.len() > 50, "the source tree was not found: {} files", files.len());
    let mut missing = Vec::new();
    let mut checked = 0;
    for path in &files {
        let text = fs::read_to_string(path).unwrap();
        let file = path.strip_prefix(root).unwrap().display().to_string();
        checked += text.lines().filter(|l| is_public_item(l.trim_start())).count();
        missing.extend(unreferenced(&file, &text));
    }
    assert!(checked > 1000, "only {checked} public items found: the scan is broken");
    assert!(
        missing.is_empty(),
        "{} public items name no specification in their doc comment:\n{}",
        missing.len(),
        missing.join("\n")
    );
}

/// The scan itself: what it counts as documented, undocumented and out of scope.
#[test]
fn the_scan_finds_an_item_without_a_clause_and_skips_test_modules() {
    let text = "\
/// The ATR (ISO/IEC 7816-3 §8).
pub struct Atr;
/// Something else entirely.
#[must_use]
pub fn nothing() {}
pub(crate) fn internal() {}
pub struct Row {
    /// SW1 (TS 102 221 §10.2).
    pub sw1: u8,
    /// A field with no reference.
    pub sw2: u8,
}
#[cfg(test)]
mod tests {
    pub fn helper() {}
}
";
    let found = unreferenced("x.rs", text);
    assert_eq!(found, ["x.rs:5: pub fn nothing() {}", "x.rs:7: pub struct Row {", "x.rs:11: pub sw2: u8,"]);
    assert!(names_a_reference("see TS 51.011 for it"));
    assert!(!names_a_reference("TS: not a specification"));
}
