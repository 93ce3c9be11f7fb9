//! The tools for playbook authors: `playbook test` (cases as data beside a playbook) and
//! `playbook explain` (how a result was reached), run as an author would.

use crate::common::*;
use std::path::Path;

/// The documented example playbook.
fn example_yaml() -> String {
    let doc = std::fs::read_to_string(root().join("docs/playbook-format.md")).unwrap();
    doc.split("```yaml\n")
        .nth(1)
        .and_then(|s| s.split("```").next())
        .unwrap()
        .to_string()
}

/// The documented example playbook, written into `dir`.
fn example_playbook(dir: &Path) {
    std::fs::write(dir.join("flash-sale.yaml"), example_yaml()).unwrap();
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

/// The profile path from a test file in `dir`.
fn brand() -> String {
    example("jiaoyu-snacks").display().to_string()
}

#[test]
fn the_bundled_playbooks_pass_their_cases_and_every_outcome_is_reached() {
    let out = playbook(&["test", "playbooks", "--coverage"]);
    let text = stdout(&out);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    let last = text.lines().last().unwrap();
    let passed: usize = last.split(' ').next().unwrap().parse().unwrap();
    assert!(passed >= 80, "{last}");
    assert!(last.ends_with(" passed, 0 failed"), "{last}");
    for id in [
        "cold-start",
        "million-gmv-event",
        "new-account",
        "play-selection",
        "pricing",
        "readiness",
    ] {
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{id}:")))
            .unwrap_or_else(|| panic!("no coverage line for {id}: {text}"));
        let (reached, total) = line
            .split(", ")
            .nth(1)
            .and_then(|s| s.strip_suffix(" outcomes reached"))
            .and_then(|s| s.split_once(" of "))
            .unwrap();
        assert_eq!(reached, total, "{line}");
    }
}

#[test]
fn a_passing_suite_prints_its_count_and_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    example_playbook(dir.path());
    write(
        dir.path(),
        "flash-sale.test.yaml",
        &format!(
            "cases:\n  - name: the example brand can go\n    profile: {}\n    verdict: go\n    values: {{cheap_items: 2}}\n    items: {{stock-1: done, has-item: done}}\n",
            brand()
        ),
    );
    let out = playbook(&["test", dir.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert_eq!(stdout(&out), "1 passed, 0 failed\n");
}

#[test]
fn a_failing_case_names_where_each_expectation_is_written_with_both_values() {
    let dir = tempfile::tempdir().unwrap();
    example_playbook(dir.path());
    let case = format!(
        "cases:\n\
         \x20 - name: right\n\
         \x20   profile: {b}\n\
         \x20   verdict: go\n\
         \x20 - name: wrong on purpose\n\
         \x20   profile: {b}\n\
         \x20   verdict: wait\n\
         \x20   values:\n\
         \x20     cheap_items: 3\n\
         \x20   items:\n\
         \x20     stock-1: blocked\n\
         \x20   text:\n\
         \x20     en: [Not yet]\n",
        b = brand()
    );
    write(dir.path(), "flash-sale.test.yaml", &case);
    let out = playbook(&["test", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    let text = stdout(&out);
    let file = dir
        .path()
        .join("flash-sale.test.yaml")
        .display()
        .to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            format!("{file}:7:14: flash-sale › wrong on purpose: verdict: expected `wait`, got `go`"),
            format!("{file}:9:20: flash-sale › wrong on purpose: value `cheap_items`: expected 3, got 2"),
            format!("{file}:11:16: flash-sale › wrong on purpose: item `stock-1`: expected blocked, got done"),
            format!("{file}:13:12: flash-sale › wrong on purpose: the en text does not hold “Not yet”"),
            "1 passed, 1 failed".to_string(),
        ]
    );
    // `--filter` runs only the cases whose name holds the text.
    let out = playbook(&["test", dir.path().to_str().unwrap(), "--filter", "right"]);
    assert!(out.status.success());
    assert_eq!(stdout(&out), "1 passed, 0 failed\n");
    let out = playbook(&[
        "test",
        dir.path().to_str().unwrap(),
        "--filter",
        "nothing like it",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no case"), "{}", stderr(&out));
}

#[test]
fn a_case_with_a_bad_profile_fails_alone_with_the_profiles_own_error() {
    let dir = tempfile::tempdir().unwrap();
    example_playbook(dir.path());
    // Profiles live outside the playbooks folder, whose every YAML file is a playbook.
    let profiles = tempfile::tempdir().unwrap();
    let broken = profiles.path().join("broken.yaml");
    std::fs::write(&broken, "brand:\n  name: x\n  awareness: famous\n").unwrap();
    let case = format!(
        "cases:\n\
         \x20 - name: no such file\n\
         \x20   profile: nowhere.yaml\n\
         \x20   verdict: go\n\
         \x20 - name: a profile out of contract\n\
         \x20   profile: {broken}\n\
         \x20 - name: a set that does not fit\n\
         \x20   profile: {b}\n\
         \x20   set:\n\
         \x20     products[9].price: 1\n\
         \x20 - name: still runs\n\
         \x20   profile: {b}\n\
         \x20   verdict: go\n",
        b = brand(),
        broken = broken.display()
    );
    write(dir.path(), "flash-sale.test.yaml", &case);
    let out = playbook(&["test", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    let file = dir
        .path()
        .join("flash-sale.test.yaml")
        .display()
        .to_string();
    assert!(
        text.contains(&format!("{file}:3:14: flash-sale › no such file: ")),
        "{text}"
    );
    assert!(text.contains("nowhere.yaml"), "{text}");
    assert!(
        text.contains("broken.yaml:3:14"),
        "the profile's own line and column: {text}"
    );
    assert!(text.contains("awareness"), "{text}");
    assert!(
        text.contains(&format!(
            "{file}:10:26: flash-sale › a set that does not fit: set `products[9].price`"
        )),
        "{text}"
    );
    assert!(text.ends_with("1 passed, 3 failed\n"), "{text}");
}

#[test]
fn a_test_file_that_is_not_valid_or_names_no_playbook_is_a_failure_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    example_playbook(dir.path());
    write(
        dir.path(),
        "flash-sale.test.yaml",
        "cases:\n  - name: x\n    profil: a.yaml\n",
    );
    write(dir.path(), "flash-sail.test.yaml", "cases: []\n");
    let out = playbook(&["test", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("flash-sale.test.yaml:3:5"), "{text}");
    assert!(text.contains("did you mean `profile`"), "{text}");
    assert!(
        text.contains("no playbook `flash-sail`; did you mean `flash-sale`?"),
        "{text}"
    );
    // Test files are not playbooks: `check` and `list` ignore them.
    let out = playbook(&["check", dir.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn unquoted_phrases_split_by_commas_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    example_playbook(dir.path());
    let case = format!(
        "cases:\n  - name: x\n    profile: {}\n    text:\n      zh: [¥1,350,000]\n",
        brand()
    );
    write(dir.path(), "flash-sale.test.yaml", &case);
    let out = playbook(&["test", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("quote `350`"), "{}", stdout(&out));
}

#[test]
fn explain_shows_an_items_rule_what_it_read_and_what_it_depends_on() {
    let brand = brand();
    let out = playbook(&[
        "explain",
        "cold-start",
        "--brand",
        &brand,
        "--item",
        "team-complete",
        "--lang",
        "en",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let source = std::fs::read_to_string(root().join("playbooks/cold-start.yaml")).unwrap();
    let line = source
        .lines()
        .position(|l| l.contains("done_if: missing_roles.is_empty()"))
        .unwrap()
        + 1;
    assert!(
        text.contains(&format!("done when (playbooks/cold-start.yaml:{line}:")),
        "{text}"
    );
    assert!(text.contains("missing_roles.is_empty()"), "{text}");
    assert!(text.contains("Roles missing = [“ad buyer”]"), "{text}");
    // What the item depends on: the value its rule reads, and the one its action reads,
    // each with what the profile gave.
    assert!(
        text.contains("the number of ad buyers = 0    [team.ad_buyers]"),
        "{text}"
    );
    assert!(text.contains("[team_action]"), "{text}");
    assert!(
        text.contains("(assumption; source: industry source (A2)) = ¥3,000,000"),
        "{text}"
    );
    // Nothing it does not depend on.
    assert!(
        !text.contains("[store-dsr]") && !text.contains("== Verdict =="),
        "{text}"
    );

    let out = playbook(&[
        "explain",
        "cold-start",
        "--brand",
        &brand,
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["lang"], "zh");
    let verdict = &json["verdict"];
    assert!(
        verdict["result"]
            .as_str()
            .unwrap()
            .starts_with("暂不具备冷启动条件"),
        "{verdict}"
    );
    let rule = verdict["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["field"] == "verdict.script")
        .unwrap();
    assert_eq!(rule["result"], "“not-ready”");
    let items = rule["reads"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "items")
        .unwrap();
    assert!(items["value"].as_str().unwrap().contains("受阻"), "{items}");
    let gap = json["values"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == "reputation_gap")
        .unwrap();
    let reads = &gap["rules"][0]["reads"];
    assert_eq!(reads[0]["name"], "account.reputation_score");
    assert_eq!(reads[0]["raw"], 4.4);
    assert_eq!(reads[1]["kind"], "assumption");
    assert_eq!(reads[1]["value"], "4.6");
}

#[test]
fn explain_shows_each_element_of_a_numbered_item_and_why_an_item_was_left_out() {
    let brand = brand();
    let out = playbook(&["explain", "pricing", "--brand", &brand, "--item", "price"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for n in 1..=4 {
        assert!(text.contains(&format!("[price-{n}]")), "{text}");
    }
    assert!(text.contains("麻辣鸭脖的 role = “hero”"), "{text}");
    let out = playbook(&["explain", "pricing", "--brand", &brand, "--item", "event-1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("未列入报告"), "{}", stdout(&out));
    let out = playbook(&["explain", "pricing", "--brand", &brand, "--item", "prise"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean `price`?"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn explain_works_a_score_out_from_its_checks_and_names_what_blocks_the_verdict() {
    let greenleaf = example("greenleaf-nuts").display().to_string();
    let out = playbook(&[
        "explain",
        "readiness",
        "--brand",
        &greenleaf,
        "--item",
        "goods",
        "--lang",
        "en",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    // Weights 2, 2, 2, 1, 1, 2 = 10; credits 1, 1, 1/3, 0.875, 1, 1:
    // 2 + 2 + 0.667 + 0.875 + 1 + 2 = 8.542, and 100 × 8.542 ÷ 10 = 85.
    assert!(text.contains("gives: 100 × 8.542 ÷ 10 = 85"), "{text}");
    assert!(
        text.contains("weight 1 × credit 0.875 (to do)    [hero-share]"),
        "{text}"
    );
    assert!(text.contains("gives: no → to do"), "{text}");
    assert!(
        !text.contains("[store-dsr]"),
        "another dimension's check: {text}"
    );

    let out = playbook(&[
        "explain",
        "readiness",
        "--brand",
        &brand(),
        "--item",
        "verdict",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("受阻：有投手，或由服务商代投、"), "{text}");
    assert!(!text.contains("== 检查项 =="), "{text}");
}

#[test]
fn check_names_a_missing_language_an_unknown_placeholder_and_an_id_used_twice() {
    let yaml = example_yaml();
    let line_of =
        |text: &str, needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    for (broken, needle, words) in [
        (
            yaml.replace(
                "title: {zh: 秒杀准备, en: Flash-sale readiness}",
                "title: {zh: 秒杀准备}",
            ),
            "title: {zh: 秒杀准备}",
            "missing field `en`",
        ),
        (
            yaml.replace(
                "en: \"{cheap_items} traffic or welfare items in the line-up\"",
                "en: \"{cheap_itemz} traffic or welfare items in the line-up\"",
            ),
            "{cheap_itemz}",
            "did you mean `cheap_items`?",
        ),
        (
            yaml.replace("      - id: stock\n", "      - id: has-item\n"),
            "      - id: has-item\n        kind: step",
            "used twice",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("flash-sale.yaml"), &broken).unwrap();
        let out = playbook(&["check", dir.path().to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{words}");
        let err = stderr(&out);
        let needle_line = if needle.contains('\n') {
            line_of(&broken, "kind: step") - 1
        } else {
            line_of(&broken, needle)
        };
        assert!(
            err.contains(&format!("flash-sale.yaml:{needle_line}:")),
            "{words}: expected line {needle_line}: {err}"
        );
        assert!(err.contains(words), "{err}");
    }
}
