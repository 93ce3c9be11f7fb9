//! `playbook assess` as a user runs it: the terminal table, colours, the files it writes
//! and the comparison with an earlier profile. The readiness playbook's own behaviour is
//! tested as data in `playbooks/readiness.test.yaml`.

use crate::common::*;
use serde_json::Value;

fn score_pairs(pairs: &[(&str, i64)]) -> Vec<(String, i64)> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

fn assess(args: &[&str]) -> std::process::Output {
    let mut all = vec!["assess"];
    all.extend_from_slice(args);
    playbook(&all)
}

#[test]
fn assess_prints_a_plain_table_when_piped_and_writes_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let brand = example("jiaoyu-snacks");
    let out = assess(&[
        "--brand",
        brand.to_str().unwrap(),
        "--out",
        dir.path().to_str().unwrap(),
        "--format",
        "md,json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let table = stdout(&out);
    assert!(!table.contains('\x1b'), "no colour when piped: {table}");
    assert!(table.contains("人：团队"), "{table}");
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("店铺与账号") && l.contains("58")),
        "{table}"
    );
    assert!(table.contains("受阻项"), "{table}");
    let md = std::fs::read_to_string(dir.path().join("jiaoyu-snacks/readiness.zh.md")).unwrap();
    assert!(md.contains("```bars\n人：团队"), "{md}");
    assert!(md.contains("## 接下来最该做的五件事"), "{md}");
    assert!(md.contains("详见：《冷启动诊断》"), "{md}");
    assert!(!md.contains("cold-start"), "{md}");
    let json: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("jiaoyu-snacks/readiness.zh.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(json["scorecard"]["overall"], 66);
    assert!(json.get("comparison").is_none());
}

#[test]
fn assess_colours_only_when_asked_or_on_a_terminal() {
    let brand = example("laoxiang-foods");
    let out = assess(&[
        "--brand",
        brand.to_str().unwrap(),
        "--format",
        "",
        "--color",
        "always",
        "--lang",
        "en",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let table = stdout(&out);
    assert!(table.contains("\x1b[32m"), "{table}");
    assert!(table.contains("Ready to scale"), "{table}");
    assert!(
        !stderr(&out).contains("wrote"),
        "an empty --format writes nothing"
    );
}

#[test]
fn assess_compares_with_an_earlier_profile() {
    let dir = tempfile::tempdir().unwrap();
    let now = fixture("profiles/readiness/can-start.yaml");
    let before = fixture("profiles/readiness/can-start-earlier.yaml");
    let out = assess(&[
        "--brand",
        now.to_str().unwrap(),
        "--compare",
        before.to_str().unwrap(),
        "--lang",
        "en",
        "--out",
        dir.path().to_str().unwrap(),
        "--format",
        "json,md",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("can-start/readiness.en.json")).unwrap(),
    )
    .unwrap();
    let c = &json["comparison"];
    assert_eq!(c["against"], "can-start-earlier.yaml");
    assert_eq!(c["verdict_before"], "not-ready");
    // The earlier profile has no data to score: that dimension is left out of its overall.
    assert_eq!(c["overall_before"], 55);
    let deltas: Vec<(String, i64)> = c["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["id"].as_str().unwrap().to_string(),
                d["delta"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        deltas,
        score_pairs(&[
            ("people", 18),
            ("goods", 7),
            ("scene", 0),
            ("standing", 27),
            ("traffic", 4),
            ("data", 90)
        ])
    );
    let ids = |key: &str| -> Vec<String> {
        c[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        ids("improved"),
        [
            "ad-buyer",
            "store-dsr",
            "reputation",
            "footage",
            "click-rate",
            "conversion-rate",
            "order-value",
            "data-consistent"
        ]
    );
    assert_eq!(ids("slipped"), ["video-editor"]);
    let table = stdout(&out);
    assert!(table.contains("+90"), "{table}");
    assert!(table.contains("Slipped"), "{table}");
    let md = std::fs::read_to_string(dir.path().join("can-start/readiness.en.md")).unwrap();
    assert!(md.contains("| Data | 0 | 90 | +90 |"), "{md}");
    assert!(md.contains("- A short-video editor (done → to do)"), "{md}");
}

#[test]
fn assess_names_a_bad_earlier_profile_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = assess(&[
        "--brand",
        example("jiaoyu-snacks").to_str().unwrap(),
        "--compare",
        fixture("profiles/unknown-key.yaml").to_str().unwrap(),
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("unknown-key.yaml:4:3"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn assess_colours_by_itself_on_a_terminal_unless_no_color_is_set() {
    let dir = tempfile::tempdir().unwrap();
    let brand = example("jiaoyu-snacks");
    let args = ["assess", "--brand", brand.to_str().unwrap(), "--format", ""];
    let coloured = on_terminal_with(
        dir.path(),
        &args,
        &[],
        &[("NO_COLOR", None), ("TERM", Some("xterm-256color"))],
    );
    assert_eq!(coloured.code, 0, "{}", coloured.transcript);
    assert!(
        coloured.transcript.contains("\x1b[31m"),
        "{}",
        coloured.transcript
    );
    let plain = on_terminal(dir.path(), &args, &[]);
    assert_eq!(plain.code, 0, "{}", plain.transcript);
    assert!(
        plain.transcript.contains("人：团队"),
        "{}",
        plain.transcript
    );
    assert!(!plain.transcript.contains('\x1b'), "{}", plain.transcript);
}

#[test]
fn the_readme_path_init_then_assess_then_compare_works() {
    let dir = tempfile::tempdir().unwrap();
    let init = playbook_in(
        dir.path(),
        &[
            "init",
            "my-brand.yaml",
            "--name",
            "新品牌",
            "--category",
            "food",
            "--awareness",
            "low",
        ],
    );
    assert!(init.status.success(), "{}", stderr(&init));
    let first = playbook_in(dir.path(), &["assess", "--brand", "my-brand.yaml"]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stdout(&first).contains("资料不足，暂不判断"),
        "{}",
        stdout(&first)
    );
    for ext in ["md", "pdf", "json"] {
        assert!(dir
            .path()
            .join(format!("output/my-brand/readiness.zh.{ext}"))
            .is_file());
    }
    let compared = playbook_in(
        dir.path(),
        &[
            "assess",
            "--brand",
            "my-brand.yaml",
            "--compare",
            example("jiaoyu-snacks").to_str().unwrap(),
            "--format",
            "",
        ],
    );
    assert!(compared.status.success(), "{}", stderr(&compared));
    assert!(
        stdout(&compared).contains("退步了"),
        "{}",
        stdout(&compared)
    );
    // A different brand's profile is compared, with a warning saying so.
    assert!(
        stderr(&compared).contains("is for `椒语小食`, not `新品牌`"),
        "{}",
        stderr(&compared)
    );
}
