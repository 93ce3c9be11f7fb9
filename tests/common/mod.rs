//! Helpers for tests that run the real binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

pub fn example(name: &str) -> PathBuf {
    root().join("examples/brands").join(format!("{name}.yaml"))
}

/// Runs `playbook` with `args` from `dir`.
pub fn playbook_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the playbook binary runs")
}

pub fn playbook(args: &[&str]) -> Output {
    playbook_in(&root(), args)
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The report JSON for one playbook, printed to standard output.
pub fn report_json(id: &str, brand: &Path, lang: &str) -> serde_json::Value {
    let out = playbook(&[
        "run",
        id,
        "--brand",
        brand.to_str().unwrap(),
        "--lang",
        lang,
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

/// The report item with this id; panics naming it when absent.
pub fn item<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    report["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no item `{id}` in {}", report["items"]))
}

pub fn has_item(report: &serde_json::Value, id: &str) -> bool {
    report["items"]
        .as_array()
        .expect("items")
        .iter()
        .any(|i| i["id"] == id)
}

pub fn status<'a>(report: &'a serde_json::Value, id: &str) -> &'a str {
    item(report, id)["status"].as_str().expect("a status")
}

pub fn why<'a>(report: &'a serde_json::Value, id: &str) -> &'a str {
    item(report, id)["why"].as_str().expect("a why")
}

/// The report's `needs`, as text.
pub fn needs(report: &serde_json::Value) -> Vec<&str> {
    report["needs"]
        .as_array()
        .expect("needs")
        .iter()
        .map(|n| n.as_str().expect("a field"))
        .collect()
}

/// Runs playbook `id` on an example brand into `out` as Markdown and returns the text.
pub fn example_markdown(id: &str, brand: &str, lang: &str, out: &Path) -> String {
    let run = playbook(&[
        "run",
        id,
        "--brand",
        example(brand).to_str().unwrap(),
        "--lang",
        lang,
        "--format",
        "md",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    std::fs::read_to_string(out.join(format!("{brand}/{id}.{lang}.md"))).expect("the Markdown")
}

/// A scorecard's dimension ids and scores, in order.
pub fn dimension_scores(report: &serde_json::Value) -> Vec<(String, i64)> {
    report["scorecard"]["dimensions"]
        .as_array()
        .expect("a scorecard")
        .iter()
        .map(|d| {
            (
                d["id"].as_str().unwrap().to_string(),
                d["score"].as_i64().unwrap(),
            )
        })
        .collect()
}
