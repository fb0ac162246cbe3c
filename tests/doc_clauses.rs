//! The project's rule "every public item has a doc comment that names the
//! specification clause it implements", checked on the source text.
//!
//! `missing_docs` (denied in `src/lib.rs`) makes rustc check that a doc
//! comment exists; this test checks what it says. Scanned: each `pub`
//! function, constant, type, trait, static and field, and each variant of a
//! `pub enum`, outside the unit-test modules. Each must carry, in its `///`
//! doc comment (attributes between the comment and the item, also over
//! several lines, and plain `//` comments are skipped), a reference to where its behaviour is
//! specified: a clause sign (§), a standard's name (ISO/IEC, ETSI or 3GPP TS,
//! ITU-T, GSMA SGP, RFC, PC/SC), or, for the parts that implement no card
//! specification, the document they follow (vsmartcard's vpcd protocol, TOML
//! 1.0, POSIX). Items whose meaning the type's own comment gives still name
//! the source again, so a reader of one item's documentation finds it.
//!
//! Not scanned: items declared inside a `pub trait` (its methods and
//! associated types), fields of struct-like enum variants, and `pub(crate)`
//! or private items. A standard's name without a clause number passes (a few
//! dozen items, such as the EID's, cite a whole specification); the test
//! holds the line at "names its source", not at "names its clause".

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::fs;
use std::path::{Path, PathBuf};

/// Texts that name a specification or the document an item follows.
const REFERENCES: &[&str] =
    &["§", "ISO/IEC", "ETSI", "3GPP", "ITU", "SGP.", "RFC", "PC/SC", "vsmartcard", "TOML 1", "POSIX"];

/// The item keywords a `pub` line may carry.
const ITEMS: &[&str] =
    &["fn ", "const ", "struct ", "enum ", "trait ", "type ", "static ", "unsafe ", "async "];

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

/// A variant line of an enum body: `Name`, `Name(…)`, `Name { …` or `Name = …`.
fn is_variant(trimmed: &str) -> bool {
    let name_len = trimmed.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(trimmed.len());
    let rest = trimmed[name_len..].trim_start();
    name_len > 0
        && trimmed.starts_with(|c: char| c.is_ascii_uppercase())
        && (rest.is_empty() || rest.starts_with([',', '(', '{', '=']))
}

/// How many more `open` than `close` characters `line` has.
fn balance(line: &str, open: char, close: char) -> i32 {
    let count = |c: char| i32::try_from(line.matches(c).count()).unwrap_or(i32::MAX);
    count(open) - count(close)
}

/// Which lines belong to an attribute: its `#[` line and, when its brackets
/// stay open, the lines up to the one that closes them.
fn attribute_lines(lines: &[&str]) -> Vec<bool> {
    let mut marks = vec![false; lines.len()];
    let mut open = 0i32;
    for (mark, line) in marks.iter_mut().zip(lines) {
        let trimmed = line.trim_start();
        if open > 0 || trimmed.starts_with("#[") {
            *mark = true;
            open += balance(trimmed, '[', ']');
        }
    }
    marks
}

/// The `///` comment above line `i`, with the attributes between them skipped.
fn doc_above(lines: &[&str], attributes: &[bool], i: usize) -> String {
    let mut doc = Vec::new();
    for k in (0..i).rev() {
        let line = lines[k].trim_start();
        if attributes[k] || (line.starts_with("//") && !line.starts_with("///")) {
            // Attributes and plain comments may stand between a doc comment and
            // its item; they are not part of it.
            continue;
        }
        if !line.starts_with("///") {
            break;
        }
        doc.push(line);
    }
    doc.join(" ")
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

/// `file:line: item` for each public item of `text` without a reference, and
/// the number of items scanned.
fn unreferenced(file: &str, text: &str) -> (Vec<String>, usize) {
    let lines: Vec<&str> = text.lines().collect();
    let attributes = attribute_lines(&lines);
    let mut found = Vec::new();
    let mut scanned = 0;
    let mut in_test_module = false;
    // Brace depth inside a `pub enum` body, 0 outside one.
    let mut enum_depth = 0i32;
    for (i, line) in lines.iter().enumerate() {
        if in_test_module {
            in_test_module = *line != "}";
            continue;
        }
        let trimmed = line.trim_start();
        let test_attribute = |l: &&str| l.contains("#[cfg(test)]") || l.contains("#[cfg(all(test");
        if line.starts_with("mod ") && i > 0 && lines[..i].iter().rev().take(3).any(test_attribute) {
            in_test_module = true;
            continue;
        }
        let item = if enum_depth == 1 { is_variant(trimmed) } else { is_public_item(trimmed) };
        if enum_depth > 0 {
            enum_depth += balance(line, '{', '}');
        } else if trimmed.starts_with("pub enum ") && trimmed.trim_end().ends_with('{') {
            enum_depth = 1;
        }
        if !item {
            continue;
        }
        scanned += 1;
        if !names_a_reference(&doc_above(&lines, &attributes, i)) {
            found.push(format!("{file}:{}: {}", i + 1, trimmed.chars().take(80).collect::<String>()));
        }
    }
    (found, scanned)
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
        let (found, scanned) = unreferenced(&file, &text);
        checked += scanned;
        missing.extend(found);
    }
    assert!(checked > 1500, "only {checked} public items found: the scan is broken");
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
    let text = r#"/// The ATR (ISO/IEC 7816-3 §8).
pub struct Atr;
/// Something else entirely.
#[must_use]
pub fn nothing() {}
pub(crate) fn internal() {}
pub struct Row {
    /// SW1 (TS 102 221 §10.2).
    pub sw1: u8,
    // A plain comment with a § is no doc.
    pub sw2: u8,
}
/// Kinds (ISO/IEC 7816-4 table 13).
pub enum Kind {
    /// Creation state (ISO/IEC 7816-4 table 13).
    #[error(
        "a text over two lines"
    )]
    Creation,
    /// Another.
    Other(u8),
    Third { at: usize },
}
#[cfg(test)]
mod tests {
    pub fn helper() {}
}
"#;
    let (found, scanned) = unreferenced("x.rs", text);
    assert_eq!(
        found,
        [
            "x.rs:5: pub fn nothing() {}",
            "x.rs:7: pub struct Row {",
            "x.rs:11: pub sw2: u8,",
            "x.rs:21: Other(u8),",
            "x.rs:22: Third { at: usize },"
        ]
    );
    assert_eq!(scanned, 9);
    assert!(names_a_reference("see TS 51.011 for it"));
    assert!(!names_a_reference("TS: not a specification"));
}
