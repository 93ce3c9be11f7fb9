//! The play-selection playbook (brief A5): the three plays' scores, the play named, its
//! stages, and the team an own live room still lacks.

use crate::common::*;
use serde_json::{json, Value};

fn run(name: &str, lang: &str) -> Value {
    report_json(
        "play-selection",
        &fixture(&format!("profiles/play-selection/{name}.yaml")),
        lang,
    )
}

fn statuses(report: &Value) -> Vec<(String, String)> {
    report["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["id"].as_str().unwrap().to_string(),
                i["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn scores(report: &Value) -> (i64, i64, i64) {
    let v = &report["values"];
    (
        v["score_easy_first"].as_i64().unwrap(),
        v["score_pioneer"].as_i64().unwrap(),
        v["score_live_conversion"].as_i64().unwrap(),
    )
}

/// Only the chosen play's stages are laid out.
fn stage_prefixes(report: &Value) -> Vec<String> {
    statuses(report)
        .into_iter()
        .filter(|(id, _)| id.contains("-stage-"))
        .map(|(id, _)| id)
        .collect()
}

#[test]
fn easy_first_for_a_small_unknown_low_priced_brand() {
    let r = report_json("play-selection", &example("jiaoyu-snacks"), "zh");
    assert_eq!(r["verdict"], "easy-first");
    // Low awareness 2, hero 29.9 <= 50 1, small 1; pioneer: exclusive hero 1;
    // live: anchor and operator without ad buyer 1, and no sessions yet.
    assert_eq!(scores(&r), (4, 1, 1));
    assert_eq!(r["values"]["price_level"], json!(29.9));
    assert_eq!(
        stage_prefixes(&r),
        ["easy-stage-1", "easy-stage-2", "easy-stage-3"]
    );
    assert_eq!(status(&r, "play-easy-first"), "done");
    assert_eq!(status(&r, "play-pioneer"), "info");
    assert!(why(&r, "play-pioneer").contains("低于先易后难的 4 分"));
    assert_eq!(r["values"]["missing_roles"], json!(["投手", "短视频编导"]));
    assert_eq!(status(&r, "own-room"), "todo");
    let fig = r["values"]["score_easy_first"].clone();
    assert_eq!(fig, 4);
}

#[test]
fn easy_first_without_hero_team_or_history_uses_the_median_price() {
    let r = run("easy-first", "en");
    assert_eq!(r["verdict"], "easy-first");
    assert_eq!(scores(&r), (4, 0, 0));
    // Median of 9.9, 39.9 and 5.0.
    assert_eq!(r["values"]["price_level"], json!(9.9));
    assert!(r["values"]["missing_roles"].is_null());
    assert_eq!(status(&r, "own-room"), "todo");
    assert!(why(&r, "own-room").contains("does not give the team's head counts"));
    let needs = r["needs"].as_array().unwrap();
    // No account: 30-day sessions are not asked of a brand that may not sell live yet.
    assert!(needs.contains(&json!("team")) && !needs.contains(&json!("history.sessions")));
}

#[test]
fn pioneer_for_a_strong_brand_launching_an_exclusive_hero() {
    let r = run("pioneer", "zh");
    assert_eq!(r["verdict"], "pioneer");
    assert_eq!(scores(&r), (0, 4, 0));
    assert_eq!(
        stage_prefixes(&r),
        ["pioneer-stage-1", "pioneer-stage-2", "pioneer-stage-3"]
    );
    assert!(why(&r, "pioneer-stage-1").contains("高端牧场奶礼盒"));
    assert_eq!(
        r["values"]["missing_roles"],
        json!(["运营", "投手", "短视频编导"])
    );
    assert!(why(&r, "play-live-conversion").contains("没有服务商"));
}

#[test]
fn live_conversion_for_a_brand_with_its_own_team() {
    let r = run("live-conversion", "en");
    assert_eq!(r["verdict"], "live-conversion");
    // Own team 2, 10 sessions 1, an editor 1; medium awareness and strength score nothing.
    assert_eq!(scores(&r), (0, 0, 4));
    assert_eq!(
        stage_prefixes(&r),
        ["live-stage-1", "live-stage-2", "live-stage-3"]
    );
    assert!(why(&r, "live-stage-1").contains("target ROI of 2.8"));
    // 150,000 GMV over 10 sessions.
    assert!(why(&r, "live-stage-3").contains("¥15,000"));
    assert_eq!(r["values"]["missing_roles"], json!([]));
    assert_eq!(status(&r, "own-room"), "done");
    assert!(r["needs"].as_array().unwrap().is_empty());
}

#[test]
fn ties_follow_the_stated_order() {
    let r = run("tie-easy-live", "en");
    assert_eq!(scores(&r), (2, 0, 2));
    assert_eq!(r["verdict"], "live-conversion");
    assert!(why(&r, "play-easy-first").contains("tie rule"));

    let r = run("tie-easy-pioneer", "zh");
    assert_eq!(scores(&r), (2, 2, 0));
    assert_eq!(r["verdict"], "easy-first");
    assert!(
        r["values"]["price_level"].is_null(),
        "no products, no price"
    );
    assert!(why(&r, "play-pioneer").contains("同分"));
}

#[test]
fn examples_and_a_bare_profile() {
    let l = report_json("play-selection", &example("laoxiang-foods"), "en");
    // Easy: 49.9 <= 50 only; pioneer: high 2, large 1, exclusive 1; live: team 2,
    // 30 sessions 1, editors 1: a tie at 4 that goes to live-room conversion.
    assert_eq!(scores(&l), (1, 4, 4));
    assert_eq!(l["verdict"], "live-conversion");
    assert_eq!(status(&l, "own-room"), "done");

    let g = report_json("play-selection", &example("greenleaf-nuts"), "en");
    assert_eq!(scores(&g), (0, 1, 4));
    assert_eq!(g["verdict"], "live-conversion");
    assert_eq!(g["values"]["missing_roles"], json!(["ad buyer"]));
    assert!(why(&g, "own-room").contains("service provider"));

    // Without awareness and strength nothing decides the play: no guess.
    for lang in ["zh", "en"] {
        let r = report_json("play-selection", &fixture("profiles/name-only.yaml"), lang);
        assert_eq!(r["verdict"], "insufficient-data");
        assert_eq!(needs(&r), ["brand.awareness", "brand.strength"]);
    }
}

#[test]
fn every_example_renders_in_both_languages() {
    let out = tempfile::tempdir().unwrap();
    for brand in ["jiaoyu-snacks", "laoxiang-foods", "greenleaf-nuts"] {
        for lang in ["zh", "en"] {
            let md = example_markdown("play-selection", brand, lang, out.path());
            assert!(
                !md.contains("()") && !md.contains(".0 "),
                "{brand} {lang}: {md}"
            );
        }
    }
}
