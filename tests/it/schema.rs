//! `playbook schema`: the committed schema is the generated one, and an independent
//! validator (Python `jsonschema`) agrees with the loader on good and bad profiles.

use crate::common::*;
use playbook_engine::profile::Profile;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

const SCHEMA_FILE: &str = "schema/profile.schema.json";
const PLAYBOOK_SCHEMA_FILE: &str = "schema/playbook.schema.json";

/// Validates each instance against the committed profile schema with Python's
/// `jsonschema` (formats checked too) and returns each one's error messages.
fn validate(instances: &[serde_json::Value]) -> Vec<Vec<String>> {
    validate_with(SCHEMA_FILE, instances)
}

fn validate_with(schema_file: &str, instances: &[serde_json::Value]) -> Vec<Vec<String>> {
    let script = r#"
import json, sys
try:
    import jsonschema
except ImportError:
    sys.exit(3)
schema = json.load(open(sys.argv[1], encoding="utf-8"))
cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
out = [[e.message for e in validator.iter_errors(i)] for i in json.load(sys.stdin)]
json.dump(out, sys.stdout)
"#;
    let mut child = match Command::new("python3")
        .args(["-c", script, root().join(schema_file).to_str().unwrap()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => panic!("python3 is needed to validate the schema ({e}); .ci/run installs it"),
    };
    let input = serde_json::to_vec(instances).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().unwrap();
    if out.status.code() == Some(3) {
        panic!(
            "the Python package `jsonschema` is missing: install it with \
             `python3 -m pip install jsonschema` (.ci/run does)"
        );
    }
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("a JSON list of error lists")
}

fn yaml_to_json(text: &str) -> serde_json::Value {
    yaml_serde::from_str(text).expect("YAML that yaml_serde reads")
}

fn loads(text: &str) -> bool {
    Profile::from_bytes(Path::new("case.yaml"), text.as_bytes()).is_ok()
}

#[test]
fn the_committed_schema_is_the_generated_one() {
    let out = playbook(&["schema"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let committed = std::fs::read_to_string(root().join(SCHEMA_FILE)).unwrap();
    assert!(
        committed == stdout(&out),
        "{SCHEMA_FILE} is out of date: run `cargo run --release -- schema > {SCHEMA_FILE}`"
    );
    assert_eq!(
        stdout(&playbook(&["schema"])),
        stdout(&out),
        "deterministic"
    );
}

#[test]
fn the_schema_mirrors_the_contract() {
    let s: serde_json::Value =
        serde_json::from_str(&playbook_engine::schema::profile_schema()).unwrap();
    assert_eq!(s["additionalProperties"], false);
    assert_eq!(s["required"], serde_json::json!(["brand"]));
    let account = &s["$defs"]["Account"];
    assert_eq!(account["additionalProperties"], false);
    let followers = &account["properties"]["followers"];
    assert_eq!(followers["minimum"], 0);
    assert_eq!(followers["type"], serde_json::json!(["integer", "null"]));
    let description = followers["description"].as_str().unwrap();
    assert!(description.contains("Followers") && description.contains("粉丝"));
    assert_eq!(
        s["$defs"]["Category"]["enum"],
        serde_json::json!(["food", "beverage", "beauty", "apparel", "daily", "other"])
    );
    // Every field says what it is in both languages.
    for (name, def) in s["$defs"].as_object().unwrap() {
        for (key, field) in def["properties"].as_object().into_iter().flatten() {
            let d = field["description"].as_str().unwrap_or("");
            assert!(d.split(" / ").count() == 2, "{name}.{key}: {d:?}");
        }
    }
}

#[test]
fn examples_start_with_the_schema_comment() {
    for name in ["jiaoyu-snacks", "greenleaf-nuts", "laoxiang-foods"] {
        let text = std::fs::read_to_string(example(name)).unwrap();
        assert!(
            text.starts_with("# yaml-language-server: $schema=../../schema/profile.schema.json\n"),
            "{name}"
        );
        let schema = example(name)
            .parent()
            .unwrap()
            .join("../../schema/profile.schema.json");
        assert!(schema.is_file(), "{}", schema.display());
    }
}

#[test]
fn good_profiles_validate_against_the_schema() {
    let mut files: Vec<_> = ["jiaoyu-snacks", "greenleaf-nuts", "laoxiang-foods"]
        .iter()
        .map(|n| example(n))
        .collect();
    files.push(fixture("profiles/literal.yaml"));
    files.push(fixture("profiles/name-only.yaml"));
    let texts: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();
    let instances: Vec<_> = texts.iter().map(|t| yaml_to_json(t)).collect();
    for ((file, text), errors) in files.iter().zip(&texts).zip(validate(&instances)) {
        assert!(loads(text), "{}", file.display());
        assert!(errors.is_empty(), "{}: {errors:?}", file.display());
    }
}

/// Profiles the loader refuses; the schema must refuse each too.
const BAD: &[&str] = &[
    "brand: {name: x}\naccount: {reputation_scor: 4.0}",
    "brand: {name: x}\naccount: {reputation_score: 7.5}",
    "brand: {name: x}\naccount: {followers: -1}",
    "brand: {name: x}\naccount: {followers: 1.5}",
    "brand: {name: x}\nteam: {anchors: two}",
    "brand: {name: x, category: snacks}",
    "brand: {name: x, audience: [teens]}",
    "brand: {category: food}",
    "brand: {name: x}\nstore: {dsr_level: s}",
    "brand: {name: x}\nbudget: {target_roi: 0}",
    "brand: {name: x}\nproducts: [{name: a, role: hero, price: 0}]",
    "brand: {name: x}\nproducts: [{name: a, price: 5}]",
    "brand: {name: x}\nproducts: [{name: a, role: hero, price: 5, gmv_share: 1.2}]",
    "brand: {name: x}\nhistory: {click_rate: -0.1}",
    "brand: {name: x}\nmarket: {competitor_prices: [10, 0]}",
    "brand: {name: x}\nevent: {date: 2026-02-30}",
    "brand: {name: x}\nevent: {date: 12/12/2026}",
    "profile_version: 2\nbrand: {name: x}",
    "brand: {name: x}\nextra: 1",
];

/// Profiles at the edges of each range, which both accept.
const GOOD: &[&str] = &[
    "profile_version: 1\nbrand: {name: x}",
    "brand: {name: x}\naccount: {followers: 0, reputation_score: 5, room_level: null}",
    "brand: {name: x}\nbudget: {monthly_ad_spend: 0, target_roi: 0.01}",
    "brand: {name: x}\nproducts: [{name: a, role: welfare, price: 0.1, unit_cost: 0, gmv_share: 1}]",
    "brand: {name: x}\nhistory: {click_rate: 0, conversion_rate: 1}",
    "brand: {name: x}\nevent: {date: 2028-02-29}\nplan: {start_date: 2026-12-07}",
    "brand: {name: '{{ x }} | # *y*', audience: []}\nstore: null",
];

#[test]
fn the_schema_and_the_loader_agree_on_edge_cases() {
    let instances: Vec<_> = BAD.iter().chain(GOOD).map(|t| yaml_to_json(t)).collect();
    let results = validate(&instances);
    for (text, errors) in BAD.iter().zip(&results) {
        assert!(!loads(text), "the loader accepts {text:?}");
        assert!(!errors.is_empty(), "the schema accepts {text:?}");
    }
    for (text, errors) in GOOD.iter().zip(&results[BAD.len()..]) {
        assert!(loads(text), "the loader refuses {text:?}");
        assert!(errors.is_empty(), "the schema refuses {text:?}: {errors:?}");
    }
}

#[test]
fn the_playbook_schema_is_committed_and_every_bundled_playbook_meets_it() {
    let out = playbook(&["schema", "--playbook"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let committed = std::fs::read_to_string(root().join(PLAYBOOK_SCHEMA_FILE)).unwrap();
    assert!(
        committed == stdout(&out),
        "{PLAYBOOK_SCHEMA_FILE} is out of date: run \
         `cargo run --release -- schema --playbook > {PLAYBOOK_SCHEMA_FILE}`"
    );
    let mut files: Vec<_> = std::fs::read_dir(root().join("playbooks"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            name.ends_with(".yaml")
                && !name.ends_with(".test.yaml")
                && name != "facts.yaml"
                && name != "glossary.yaml"
        })
        .collect();
    files.sort();
    assert_eq!(files.len(), library().playbooks().len());
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        assert!(
            text.starts_with("# yaml-language-server: $schema=../schema/playbook.schema.json\n"),
            "{} does not name the playbook schema on its first line",
            f.display()
        );
    }
    let mut instances: Vec<serde_json::Value> = files
        .iter()
        .map(|f| yaml_to_json(&std::fs::read_to_string(f).unwrap()))
        .collect();
    // A misspelt field and a status no item may have.
    let mut bad = instances[0].clone();
    bad["sections"][0]["items"][0]["ownr"] = "operator".into();
    instances.push(bad);
    let mut bad = instances[0].clone();
    bad["sections"][0]["items"][0]["otherwise"] = "maybe".into();
    instances.push(bad);
    let errors = validate_with(PLAYBOOK_SCHEMA_FILE, &instances);
    for (file, errs) in files.iter().zip(&errors) {
        assert!(errs.is_empty(), "{}: {errs:?}", file.display());
    }
    let n = files.len();
    assert!(!errors[n].is_empty(), "a misspelt field passes");
    assert!(!errors[n + 1].is_empty(), "an unknown status passes");
}
