//! A section's table and trend chart, sections with nothing to show, and assumptions that
//! stand in for a profile field: run as an author would, through `playbook run`.

use crate::common::*;

const PLAYBOOK: &str = r#"
id: tables
title: {zh: 表, en: Tables}
sections:
  - id: sessions
    title: {zh: 各场, en: Sessions}
    table: |
      #{head: ["", "GMV", "ROI"], rows: session_figures.map(|r| [r.day, fmt_money(r.gmv), r.roi])}
    chart: |
      if session_figures.len() < 2 { () } else {
        #{points: session_figures.map(|r| r.day.sub_string(5, 5)), series: [
          #{label: brand.name, values: session_figures.map(|r| r.gmv), format: "money"},
          #{label: "ROI", values: session_figures.map(|r| r.roi), format: "num", ref_label: "target", ref_value: budget.target_roi, refs: [#{label: "floor", value: 2}, #{label: "unset", value: ()}]}]}
      }
  - id: named
    title: {zh: 名字, en: Name}
    table: '#{head: ["name", "n", "note"], rows: [[brand.name, 1, "kept"], ["b", "-¥5", "—"]]}'
  - id: empty
    title: {zh: 空, en: Nothing here}
    intro: {zh: "{``}", en: "{``}"}
    items:
      - id: never
        kind: note
        when: "false"
        title: {zh: 无, en: never}
        why: {zh: 无, en: never}
  - id: costs
    title: {zh: 成本, en: Costs}
    intro: {zh: "{cost_rates.return_rate:pct}", en: "{cost_rates.return_rate:pct}"}
verdict:
  script: '"x"'
  outcomes: {x: {zh: x, en: x}}
"#;

fn run(dir: &std::path::Path, brand: &std::path::Path) -> (String, serde_json::Value) {
    let out = brand.parent().unwrap().join("out");
    let o = playbook(&[
        "run",
        "tables",
        "--playbooks",
        &dir.display().to_string(),
        "--brand",
        &brand.display().to_string(),
        "--format",
        "md,json",
        "--lang",
        "en",
        "--out",
        &out.display().to_string(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let stem = brand.file_stem().unwrap().to_str().unwrap();
    let md = std::fs::read_to_string(out.join(stem).join("tables.en.md")).unwrap();
    let json = std::fs::read_to_string(out.join(stem).join("tables.en.json")).unwrap();
    (md, serde_json::from_str(&json).unwrap())
}

#[test]
fn a_section_prints_its_table_and_chart_and_an_empty_section_is_left_out() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tables.yaml"), PLAYBOOK).unwrap();
    let brands = tempfile::tempdir().unwrap();
    let brand = brands.path().join("brand.yaml");
    std::fs::write(
        &brand,
        "brand: {name: \"A | B `c`\"}\nbudget: {target_roi: 2.5}\nsessions:\n  \
         - {date: 2026-11-02 19:00, gmv: 12000, ad_spend: 4000}\n  \
         - {date: 2026-11-01, gmv: 9000.5}\n  - {date: 2026-11-03, gmv: 15000, ad_spend: 5000}\n",
    )
    .unwrap();
    let (md, json) = run(dir.path(), &brand);
    // In start order, whatever the profile's order; numbers in the default format.
    assert!(md.contains("| --- | ---: | ---: |"), "{md}");
    // Figures are right-aligned, words left-aligned, whatever the column's place.
    assert!(md.contains("| --- | ---: | --- |"), "{md}");
    assert_eq!(
        json["sections"][1]["table"]["numeric"],
        serde_json::json!([false, true, false])
    );
    assert!(md.contains("| 2026-11-01 | ¥9,000.5 | — |"), "{md}");
    assert!(md.contains("| 2026-11-02 | ¥12,000 | 3 |"), "{md}");
    // A profile's text in a cell cannot break the table.
    assert!(md.contains("| A \\| B \\`c\\` | 1 |"), "{md}");
    let block = md
        .split("```trend\n")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let lines: Vec<&str> = block.lines().collect();
    assert_eq!(lines[0], "@ 11-01 11-02 11-03");
    // Inside the fence the brand's `|` and backticks are neutralised.
    assert!(
        lines[1].starts_with("A / B 'c' | ¥9,000.5 ¥12,000 ¥15,000"),
        "{block}"
    );
    // A reference line without its value is left out.
    assert_eq!(lines[2], "ROI | — 3 3 | target 2.5 | floor 2");
    assert!(!md.contains("Nothing here"), "{md}");
    let sections = json["sections"].as_array().unwrap();
    assert_eq!(sections.len(), 3, "{sections:?}");
    assert_eq!(sections[0]["chart"]["series"][1]["values"][1], 3.0);
    assert_eq!(sections[0]["table"]["rows"][2][1], "¥15,000");
    assert!(sections[1].get("chart").is_none());
}

#[test]
fn a_default_that_stands_in_for_a_profile_field_is_listed_only_when_the_field_is_absent() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tables.yaml"), PLAYBOOK).unwrap();
    let brands = tempfile::tempdir().unwrap();
    let listed = |json: &serde_json::Value| -> Vec<String> {
        json["assumptions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap().to_string())
            .collect()
    };
    let brand = brands.path().join("brand.yaml");
    std::fs::write(&brand, "brand: {name: A}\n").unwrap();
    let (md, json) = run(dir.path(), &brand);
    assert!(listed(&json).contains(&"return_rate".to_string()), "{json}");
    assert!(
        md.contains("Return rate (when the profile gives none)"),
        "{md}"
    );
    std::fs::write(&brand, "brand: {name: A}\ncosts: {return_rate: 0.12}\n").unwrap();
    let (md, json) = run(dir.path(), &brand);
    assert!(
        !listed(&json).contains(&"return_rate".to_string()),
        "{json}"
    );
    assert!(
        listed(&json).contains(&"shipping_per_order".to_string()),
        "{json}"
    );
    assert!(md.contains("12%"), "{md}");
}
