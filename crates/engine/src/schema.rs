//! `playbook schema`: the brand profile's JSON Schema, generated from the profile's Rust
//! types (`schemars`), so the schema editors validate against cannot drift from the loader.
//! The committed `schema/profile.schema.json` is this output; a test keeps them equal.

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
    let mut schema = schemars::schema_for!(Profile);
    schema.insert("title".into(), "Brand profile / 品牌档案".into());
    schema.insert(
        "description".into(),
        "One brand's profile for `playbook run` / 一个品牌的档案，供 `playbook run` 使用".into(),
    );
    // A `Schema` is a JSON value with string keys: printing it cannot fail.
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// `playbook schema`: prints the schema to standard output.
pub fn print() -> Result<()> {
    crate::commands::print(profile_schema().as_bytes())
}
