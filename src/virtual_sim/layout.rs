//! A changed profile written into the text it was read from, so that a
//! persistent card keeps the user's comments, key order and spelling: only the
//! codes and files whose state changed are rewritten, in place. This
//! implements no card specification; it serves the persistence of
//! [`super::persist`] (the non-volatile memory of TS 51.011 §9.2 and
//! TS 102 221 §11.1).

use super::profile::CardProfile;
use std::string::{String, ToString};
use toml_edit::{DocumentMut, Item};

/// The code names of a profile's `[codes]` table (TS 51.011 §9.3, TS 102 221 §9.5).
const CODE_NAMES: [&str; 5] = ["pin1", "puk1", "pin2", "puk2", "adm"];

/// `source` (the text `old` was read from) edited to describe `new`, keeping
/// every comment and every entry that did not change; `None` when the text
/// cannot be edited that way (`new` differs elsewhere than in codes and files,
/// or the edited text would not read back as `new`), and the caller writes
/// the whole profile instead (TOML 1.0 text, edited with `toml_edit`).
pub fn edited(source: &str, old: &CardProfile, new: &CardProfile) -> Option<String> {
    let unchanged_elsewhere =
        CardProfile { codes: old.codes.clone(), files: old.files.clone(), ..new.clone() } == *old;
    if !unchanged_elsewhere {
        return None;
    }
    let mut doc: DocumentMut = source.parse().ok()?;
    let fresh: DocumentMut = new.to_toml().ok()?.parse().ok()?;
    for name in CODE_NAMES {
        if old.codes.get(name) != new.codes.get(name) {
            let value = fresh.get("codes").and_then(|codes| codes.get(name))?;
            set(&mut doc, "codes", name, value)?;
        }
    }
    for key in old.files.keys().filter(|k| !new.files.contains_key(*k)) {
        doc.get_mut("files").and_then(Item::as_table_like_mut).and_then(|files| files.remove(key))?;
    }
    for (key, config) in &new.files {
        if old.files.get(key) != Some(config) {
            let value = fresh.get("files").and_then(|files| files.get(key))?;
            set(&mut doc, "files", key, value)?;
        }
    }
    let mut text = doc.to_string();
    if source.contains("\r\n") {
        // toml_edit writes new lines as LF; a CRLF file stays CRLF.
        text = text.replace("\r\n", "\n").replace('\n', "\r\n");
    }
    (CardProfile::from_toml(&text).ok()? == *new).then_some(text)
}

/// Set `table.key` of `doc` to `value`, creating the table when the text has none.
fn set(doc: &mut DocumentMut, table: &str, key: &str, value: &Item) -> Option<()> {
    if !doc.contains_key(table) {
        doc.insert(table, toml_edit::table());
    }
    let after_last = last_position(doc.as_table()).map_or(0, |p| p.saturating_add(1));
    let parent = doc.get_mut(table)?;
    if let Item::Table(parent) = parent
        && parent.is_implicit()
        && !parent.contains_key(key)
    {
        // A table only its sub-tables define (`[codes.pin1]`, no `[codes]`):
        // a new code becomes a sub-table of its own too, and a new plain
        // value gives the table a header after the file's last table (left
        // implicit, the header would go above the file's first line).
        match value.clone() {
            Item::Value(toml_edit::Value::InlineTable(inline)) => {
                parent.insert(key, Item::Table(inline.into_table()));
            }
            Item::Table(table) => {
                parent.insert(key, Item::Table(table));
            }
            other => {
                parent.set_implicit(false);
                parent.set_position(Some(after_last));
                parent.insert(key, other);
            }
        }
        return Some(());
    }
    let table = parent.as_table_like_mut()?;
    match table.get_mut(key) {
        Some(slot) => replace(slot, value),
        None => {
            table.insert(key, inline(value));
        }
    }
    Some(())
}

/// The largest document position among `table`'s tables, nested ones included.
fn last_position(table: &toml_edit::Table) -> Option<isize> {
    table
        .iter()
        .filter_map(|(_, item)| item.as_table())
        .flat_map(|sub| [sub.position(), last_position(sub)])
        .flatten()
        .max()
}

/// Replace `slot` by `value`, keeping what can be kept: in a table of its own
/// (`[codes.pin1]`, which can hold comments), the entries that did not change;
/// around a value (an inline table is one), its comments.
fn replace(slot: &mut Item, value: &Item) {
    if let (Item::Table(old), Some(new)) = (&mut *slot, value.as_table_like()) {
        let gone: std::vec::Vec<String> =
            old.iter().map(|(k, _)| k.to_string()).filter(|k| !new.contains_key(k)).collect();
        for key in gone {
            old.remove(&key);
        }
        for (key, item) in new.iter() {
            match old.get_mut(key) {
                Some(inner) => replace(inner, item),
                None => {
                    old.insert(key, item.clone());
                }
            }
        }
        return;
    }
    let mut new = inline(value);
    if let (Some(old), Some(fresh)) = (slot.as_value(), new.as_value_mut()) {
        if same_value(old, fresh) {
            return;
        }
        *fresh.decor_mut() = old.decor().clone();
    }
    *slot = new;
}

/// Whether two values are written alike, comments aside.
fn same_value(a: &toml_edit::Value, b: &toml_edit::Value) -> bool {
    let bare = |v: &toml_edit::Value| {
        let mut v = v.clone();
        v.decor_mut().clear();
        v.to_string()
    };
    bare(a) == bare(b)
}

/// `value` as an inline value (a table becomes `{ … }`), the form a profile's
/// codes and files take.
fn inline(value: &Item) -> Item {
    match value.clone() {
        Item::Table(table) => Item::Value(toml_edit::Value::InlineTable(table.into_inline_table())),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "# card\n[files]\n# two names of one file\n\"7F20/6F7B\" = \"FFFFFF\" # DF_GSM\n\"7FFF/6F7B\" = \"FFFFFF\"\n";

    #[test]
    fn a_file_entry_the_new_profile_drops_is_removed_and_the_rest_kept() {
        let old = CardProfile::from_toml(SOURCE).unwrap();
        let mut new = old.clone();
        new.files.remove("7FFF/6F7B");
        let text = edited(SOURCE, &old, &new).unwrap();
        assert_eq!(text, "# card\n[files]\n# two names of one file\n\"7F20/6F7B\" = \"FFFFFF\" # DF_GSM\n");
    }

    #[test]
    fn a_crlf_file_stays_crlf_and_an_implicit_table_keeps_its_style() {
        let source = "# card\r\n[codes.pin1]\r\n# mine\r\nvalue = \"1234\"\r\n";
        let old = CardProfile::from_toml(source).unwrap();
        let mut new = old.clone();
        let full = |value: &str| crate::virtual_sim::profile::CodeConfig::Full {
            value: value.into(),
            attempts_left: Some(2),
            max_attempts: Some(3),
            enabled: Some(true),
        };
        new.codes.set("pin2", full("5678"));
        let text = edited(source, &old, &new).unwrap();
        assert!(text.starts_with("# card\r\n[codes.pin1]\r\n# mine\r\nvalue = \"1234\"\r\n"), "{text:?}");
        assert!(text.contains("\r\n[codes.pin2]\r\nvalue = \"5678\"\r\nattempts_left = 2\r\n"), "{text:?}");
        assert!(!text.replace("\r\n", "").contains('\n'), "{text:?}");
        // A plain value in that table: a `[codes]` header after the last table.
        new.codes.set("adm", crate::virtual_sim::profile::CodeConfig::Value("11111111".into()));
        let text = edited(source, &old, &new).unwrap();
        assert!(text.starts_with("# card\r\n[codes.pin1]\r\n"), "{text:?}");
        assert!(text.contains("[codes]\r\nadm = \"11111111\"\r\n"), "{text:?}");
    }

    #[test]
    fn a_change_outside_codes_and_files_is_left_to_a_whole_rewrite() {
        let old = CardProfile::from_toml(SOURCE).unwrap();
        let new = old.clone().with_personality(crate::Profile::Sim);
        assert_eq!(edited(SOURCE, &old, &new), None);
        // Nothing changed: the text comes back as it was.
        assert_eq!(edited(SOURCE, &old, &old).as_deref(), Some(SOURCE));
    }
}
