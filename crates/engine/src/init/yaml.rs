//! Writes a profile as YAML a person can read and edit: sections in the contract's order,
//! absent fields left out, and every piece of text double-quoted with escapes, so a name
//! such as `{{ x }} | # *y*` or `: yes` reads back exactly as it was given.

use crate::error::{Error, Location, Result};
use crate::profile::Profile;
use std::path::Path;
use yaml_serde::Value;

/// The profile as YAML text, starting with `header` (comment lines, each ending in `\n`).
pub fn profile_to_yaml(path: &Path, profile: &Profile, header: &str) -> Result<String> {
    // `to_value` keeps the structs' field order (a YAML mapping is ordered).
    let value = yaml_serde::to_value(profile).map_err(|e| Error::Profile {
        location: Location::file(path),
        message: format!("cannot write the profile: {e}"),
    })?;
    let mut out = header.to_string();
    if let Value::Mapping(map) = &value {
        mapping(map, 0, &mut out);
    }
    Ok(out)
}

/// Fields whose text a person wrote: always quoted, whatever it looks like.
const FREE_TEXT: [&str; 2] = ["name", "subcategory"];

fn mapping(map: &yaml_serde::Mapping, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    for (key, value) in map {
        if value.is_null() {
            continue;
        }
        // Keys are the profile's field names: plain words.
        let key = key.as_str().map_or_else(|| scalar(key), str::to_string);
        match value {
            Value::Mapping(inner) if inner.values().any(|v| !v.is_null()) => {
                out.push_str(&format!("{pad}{key}:\n"));
                mapping(inner, indent + 2, out);
            }
            Value::Mapping(_) => out.push_str(&format!("{pad}{key}: {{}}\n")),
            Value::Sequence(items) if items.iter().any(|i| i.is_mapping()) => {
                out.push_str(&format!("{pad}{key}:\n"));
                for item in items {
                    let mut body = String::new();
                    match item {
                        Value::Mapping(inner) => mapping(inner, indent + 4, &mut body),
                        other => body = format!("{pad}    {}\n", scalar(other)),
                    }
                    // The item's first line carries the dash.
                    let first = body.trim_start().to_string();
                    out.push_str(&format!("{pad}  - {first}"));
                    if body.is_empty() {
                        out.push_str("{}\n");
                    }
                }
            }
            Value::Sequence(items) => {
                let items: Vec<String> = items.iter().map(scalar).collect();
                out.push_str(&format!("{pad}{key}: [{}]\n", items.join(", ")));
            }
            Value::String(text) if FREE_TEXT.contains(&key.as_str()) => {
                out.push_str(&format!("{pad}{key}: {}\n", quote(text)))
            }
            other => out.push_str(&format!("{pad}{key}: {}\n", scalar(other))),
        }
    }
}

fn scalar(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) if is_plain_word(s) => s.clone(),
        Value::String(s) => quote(s),
        // Not produced by a profile; kept readable rather than lost.
        other => yaml_serde::to_string(other)
            .unwrap_or_default()
            .trim_end()
            .to_string(),
    }
}

/// Enum values and dates (`white_collar`, `S`, `2026-12-12`) are written bare, as people
/// write them; anything that is not such a word, or that YAML would read as something
/// else (`yes`, `null`, `1`), is quoted.
fn is_plain_word(s: &str) -> bool {
    let word = !s.is_empty()
        && s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    word && !matches!(
        s.to_ascii_lowercase().as_str(),
        "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null"
    ) && yaml_serde::from_str::<Value>(s).ok() == Some(Value::String(s.to_string()))
}

/// A YAML double-quoted scalar. Only `"`, `\` and characters YAML does not allow raw
/// (controls, DEL, C1 controls, the byte-order mark, U+FFFE/U+FFFF) are escaped; Chinese and
/// other text stays readable.
///
/// ```
/// use playbook_engine::init::quote;
/// assert_eq!(quote(": yes"), r#"": yes""#);
/// assert_eq!(quote("a\"b\\c\n"), r#""a\"b\\c\n""#);
/// ```
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20
                || ('\u{7f}'..='\u{9f}').contains(&c)
                || matches!(c, '\u{feff}' | '\u{fffe}' | '\u{ffff}') =>
            {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_text_reads_back_exactly(text in any::<String>()) {
            let back: String = yaml_serde::from_str(&format!("{}\n", quote(&text))).unwrap();
            prop_assert_eq!(back, text);
        }

        #[test]
        fn any_brand_name_reads_back_exactly(name in any::<String>()) {
            let profile = Profile {
                brand: crate::profile::Brand { name: name.clone(), ..Default::default() },
                ..Default::default()
            };
            let text = profile_to_yaml(Path::new("p.yaml"), &profile, "").unwrap();
            let back = Profile::from_bytes(Path::new("p.yaml"), text.as_bytes()).unwrap();
            prop_assert_eq!(back.brand.name, name);
        }
    }

    #[test]
    fn tricky_names_and_layout() {
        let yaml = "profile_version: 1\nbrand:\n  name: \"{{ x }} | # *y*\"\n  category: food\n  audience: [white_collar, silver]\n\
                    products:\n  - name: \": yes\"\n    role: hero\n    price: 29.9\n  - name: \"b\"\n    role: traffic\n    price: 5.0\n\
                    event:\n  date: 2026-12-12\n";
        let profile = Profile::from_bytes(Path::new("p.yaml"), yaml.as_bytes()).unwrap();
        let text = profile_to_yaml(Path::new("p.yaml"), &profile, "# hi\n").unwrap();
        assert_eq!(text, format!("# hi\n{yaml}"));
    }
}
