//! Every field a profile may hold is read by at least one bundled playbook (or the shared
//! facts they all read): a brand filling in its profile should never wonder why a field
//! is asked for. The profile's fields come from its JSON Schema; a field counts as read
//! when a rule, a text's placeholder or a `needs` list names it.

use crate::common::*;
use serde_json::Value;
use std::collections::BTreeSet;

/// Fields the engine itself reads rather than a playbook: the format version, the name
/// every report prints, and the session date (every period is counted on it).
const READ_BY_THE_ENGINE: [&str; 2] = ["profile_version", "brand.name"];

/// Every field path of the profile: `brand.category`, and for a list of records the
/// record's fields as `products.selling_points`.
fn profile_fields() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("schema/profile.schema.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    let defs = &schema["$defs"];
    let resolve = |v: &Value| -> Value {
        let reference = v["$ref"]
            .as_str()
            .or_else(|| v["items"]["$ref"].as_str())
            .or_else(|| {
                v["anyOf"]
                    .as_array()
                    .and_then(|a| a.iter().find_map(|x| x["$ref"].as_str()))
            });
        match reference {
            Some(r) => defs[r.trim_start_matches("#/$defs/")].clone(),
            None => Value::Null,
        }
    };
    let mut out = Vec::new();
    for (section, def) in schema["properties"].as_object().unwrap() {
        let inner = resolve(def);
        match inner["properties"].as_object() {
            Some(fields) => {
                for field in fields.keys() {
                    out.push(format!("{section}.{field}"));
                }
            }
            None => out.push(section.clone()),
        }
    }
    out
}

/// The rules and texts of the bundled playbooks and the shared facts, comments left out.
fn rule_text() -> String {
    let mut out = String::new();
    for entry in std::fs::read_dir(root().join("playbooks")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if !name.ends_with(".yaml") || name.ends_with(".test.yaml") || name == "glossary.yaml" {
            continue;
        }
        for line in std::fs::read_to_string(&path).unwrap().lines() {
            // A YAML comment; `#{` opens a rule's map.
            let line_comment =
                line.trim_start().starts_with('#') && !line.trim_start().starts_with("#{");
            if !line_comment {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Whether `text` names `needle` as a whole path (not as the start of a longer name).
fn names(text: &str, needle: &str) -> bool {
    text.match_indices(needle).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + needle.len()..].chars().next();
        !before.is_some_and(|c| is_ident(c) || c == '.') && !after.is_some_and(is_ident)
    })
}

/// Whether a list field such as `channels.spend` is read: the list is named, and some
/// rule reads `.spend` of a record or pools it by name (`sum_by(channels, "spend")`).
fn list_field_read(text: &str, list: &str, field: &str) -> bool {
    let member = format!(".{field}");
    let member_read = text.match_indices(&member).any(|(at, _)| {
        let after = text[at + member.len()..].chars().next();
        !after.is_some_and(is_ident)
    });
    names(text, list) && (member_read || text.contains(&format!("\"{field}\"")))
}

fn unread_fields() -> BTreeSet<String> {
    let text = rule_text();
    let lists: BTreeSet<&str> = ["products", "sessions", "channels"].into();
    profile_fields()
        .into_iter()
        .filter(|path| !READ_BY_THE_ENGINE.contains(&path.as_str()))
        .filter(|path| match path.split_once('.') {
            Some((list, field)) if lists.contains(list) => !list_field_read(&text, list, field),
            _ => !names(&text, path),
        })
        .collect()
}

#[test]
fn every_profile_field_is_read_by_a_playbook() {
    let unread = unread_fields();
    assert!(
        unread.is_empty(),
        "profile fields no bundled playbook reads: {unread:?}"
    );
}

#[test]
fn the_field_check_can_fail() {
    // A field named nowhere is found unread; one named as a whole path is read.
    let text = "let x = brand.categoryx + team.anchors;\nsum_by(channels, \"spend\")";
    assert!(!names(text, "brand.category"));
    assert!(names(text, "team.anchors"));
    assert!(list_field_read(text, "channels", "spend"));
    assert!(!list_field_read(text, "channels", "orders"));
    assert!(profile_fields().contains(&"channels.last_active".to_string()));
    assert!(profile_fields().contains(&"snapshot_date".to_string()));
}
