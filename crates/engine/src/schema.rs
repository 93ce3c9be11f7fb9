//! `playbook schema`: the brand profile's JSON Schema, generated from the profile's Rust
//! types (`schemars`), so the schema editors validate against cannot drift from the loader.
//! The committed `schema/profile.schema.json` is this output; a test keeps them equal.
//! `playbook schema --playbook` does the same for the playbook format.

use crate::error::Result;
use crate::profile::Profile;

/// The profile's JSON Schema (draft 2020-12) as pretty JSON ending in a newline. Keys are
/// sorted, so the text is the same on every run.
///
/// ```
/// let schema: serde_json::Value = serde_json::from_str(&playbook_engine::schema::profile_schema()).unwrap();
/// assert_eq!(schema["additionalProperties"], false);
/// assert_eq!(schema["required"][0], "brand");
/// ```
pub fn profile_schema() -> String {
    titled(
        schemars::schema_for!(Profile),
        "Brand profile / 品牌档案",
        "One brand's profile for `playbook run` / 一个品牌的档案，供 `playbook run` 使用",
    )
}

/// A schema with its title and description, as pretty JSON ending in a newline.
fn titled(mut schema: schemars::Schema, title: &str, description: &str) -> String {
    schema.insert("title".into(), title.into());
    schema.insert("description".into(), description.into());
    // A `Schema` is a JSON value with string keys: printing it cannot fail.
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// The playbook format's JSON Schema, from the format's Rust types, for editors checking
/// a playbook as it is written. The committed `schema/playbook.schema.json` is this output.
///
/// ```
/// let schema: serde_json::Value = serde_json::from_str(&playbook_engine::schema::playbook_schema()).unwrap();
/// assert_eq!(schema["additionalProperties"], false);
/// assert!(schema["required"].as_array().unwrap().contains(&"verdict".into()));
/// ```
pub fn playbook_schema() -> String {
    titled(
        schemars::schema_for!(crate::playbook::spec::PlaybookSpec),
        "Playbook / 手册",
        "A playbook: rules and texts that `playbook run` evaluates against a brand profile (docs/playbook-format.md)",
    )
}

/// `playbook schema [--playbook]`: prints the profile's schema, or the playbook format's,
/// to standard output.
pub fn print(playbook: bool) -> Result<()> {
    let text = if playbook {
        playbook_schema()
    } else {
        profile_schema()
    };
    crate::commands::print(text.as_bytes())
}
