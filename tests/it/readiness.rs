//! The readiness scorecard: scoring mechanics on a small fixture playbook, levels and
//! dimension scores on real profiles, the action order, and `playbook assess` as a user
//! runs it (terminal table, files, comparison with an earlier profile).

use crate::common::*;
use serde_json::Value;

fn score_pairs(pairs: &[(&str, i64)]) -> Vec<(String, i64)> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

fn actions(report: &Value) -> Vec<&str> {
    report["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect()
}

fn readiness(profile: &std::path::Path, lang: &str) -> Value {
    report_json("readiness", profile, lang)
}

#[test]
fn a_brand_with_nothing_scores_zero_and_is_told_what_to_supply() {
    let r = readiness(&fixture("profiles/readiness/nothing.yaml"), "en");
    // Nothing to judge by: no verdict is guessed, yet every check says what it needs.
    assert_eq!(r["verdict"], "insufficient-data");
    assert!(r["verdict_why"]
        .as_str()
        .unwrap()
        .contains("says nothing about how ready"));
    assert_eq!(r["scorecard"]["overall"], 0);
    assert!(
        dimension_scores(&r).iter().all(|(_, s)| *s == 0),
        "{:?}",
        dimension_scores(&r)
    );
    // No products is a blocker; everything it cannot judge asks for the data.
    assert_eq!(status(&r, "products-listed"), "blocked");
    assert_eq!(status(&r, "store-dsr"), "todo");
    let first = actions(&r);
    assert_eq!(first[0], "products-listed");
    assert_eq!(&first[1..4], ["store-dsr", "ad-buyer", "reputation"]);
    let dsr = r["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "store-dsr")
        .unwrap();
    assert_eq!(
        dsr["action"],
        "Fill in the store rating (DSR) in the brand profile and run again."
    );
    let needs: Vec<&str> = r["needs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    for field in ["team", "store.dsr_level", "budget"] {
        assert!(needs.contains(&field), "{field} in {needs:?}");
    }
}

#[test]
fn a_cold_start_brand_is_held_back_by_its_blockers() {
    let r = readiness(&example("jiaoyu-snacks"), "zh");
    assert_eq!(r["verdict"], "not-ready");
    assert_eq!(
        dimension_scores(&r),
        score_pairs(&[
            ("people", 55),
            ("goods", 100),
            // Room not rated (0 of 2), two of four background elements (1 of 2), no
            // overlay (0 of 1), red suits spicy snacks (1 of 1): 2 of 6.
            ("scene", 33),
            ("standing", 58),
            // Two of three footage types earn two thirds, not nothing; no ROI is asked
            // of an account that cannot sell live.
            ("traffic", 69),
            // Live selling is not unlocked: no sessions, no data yet.
            ("data", 0)
        ])
    );
    assert_eq!(r["scorecard"]["overall"], 56);
    for blocked in ["ad-buyer", "store-dsr", "reputation"] {
        assert_eq!(status(&r, blocked), "blocked", "{blocked}");
    }
    // One missing footage type is an open step, not a cliff.
    assert_eq!(status(&r, "footage"), "todo");
    assert!(
        why(&r, "footage").contains("产地素材"),
        "{}",
        why(&r, "footage")
    );
    // The three blockers lead, in priority order; then the cheapest open steps.
    assert_eq!(
        &actions(&r)[..5],
        [
            "store-dsr",
            "ad-buyer",
            "reputation",
            "footage",
            "followers"
        ]
    );
    assert_eq!(r["values"]["hero_share"], 0.8);
}

#[test]
fn a_brand_with_every_precondition_can_start() {
    let r = readiness(&fixture("profiles/readiness/can-start.yaml"), "en");
    assert_eq!(
        dimension_scores(&r),
        score_pairs(&[
            ("people", 82),
            ("goods", 77),
            ("scene", 0),
            ("standing", 80),
            // No ROI without spend data; five of ten ad videos.
            ("traffic", 67),
            ("data", 90)
        ])
    );
    assert_eq!(r["scorecard"]["overall"], 71);
    assert_eq!(r["verdict"], "can-start");
    // No scene section: the room rating, background, overlay and colour count as unmet
    // checks; the display note does not count at all.
    let scene = &r["scorecard"]["dimensions"][2];
    assert_eq!(
        (scene["checks"].as_i64(), scene["passed"].as_i64()),
        (Some(4), Some(0))
    );
    assert!(item(&r, "display").get("credit").is_none());
    assert!(r["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["status"] != "blocked"));
    assert_eq!(
        &actions(&r)[..5],
        [
            "followers",
            "line-up-roles",
            "sessions-recorded",
            "room-rated",
            "ad-videos"
        ]
    );
}

#[test]
fn an_established_brand_is_ready_to_scale() {
    let r = readiness(&example("laoxiang-foods"), "en");
    assert_eq!(r["verdict"], "ready-to-scale");
    assert!(r["scorecard"]["overall"].as_i64().unwrap() >= 80);
    assert!(actions(&r).is_empty(), "{:?}", actions(&r));
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
    assert_eq!(json["scorecard"]["overall"], 56);
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
    assert_eq!(c["overall_before"], 47);
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
fn missing_data_is_named_as_the_reason_rather_than_a_low_score() {
    let r = readiness(&fixture("profiles/literal.yaml"), "en");
    assert_eq!(r["verdict"], "not-ready");
    let why = r["verdict_why"].as_str().unwrap();
    let lacking = needs(&r).len();
    assert!(lacking > 10, "{lacking}");
    assert!(
        why.contains(&format!("the profile lacks {lacking} fields")),
        "{why}"
    );
    assert_eq!(r["brand"], "{{ x }} | # *y* <b>");
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
fn the_hero_share_agrees_with_the_event_plan() {
    // GreenLeaf plans 70% on its hero and 20% on its traffic item (90% assigned): both
    // playbooks report the hero's planned share itself, not a share of what is assigned.
    let brand = example("greenleaf-nuts");
    let readiness = readiness(&brand, "en");
    let event = report_json("million-gmv-event", &brand, "en");
    assert_eq!(readiness["values"]["hero_share"], 0.7);
    assert_eq!(
        event["values"]["hero_share"],
        readiness["values"]["hero_share"]
    );
    assert_eq!(item(&readiness, "hero-share")["credit"], 0.875);
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
