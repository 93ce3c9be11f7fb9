//! `assess --history`: three snapshots of one brand, ordered by their snapshot dates
//! (not their file names), with the trend chart and what moved at each step.

use crate::common::*;

/// Three snapshots of jiaoyu: the store rating rising B, A, S, the followers growing and
/// live selling unlocked in the last. File names sort in another order than the dates.
fn snapshots(dir: &std::path::Path) -> std::path::PathBuf {
    let base = std::fs::read_to_string(example("jiaoyu-snacks")).unwrap();
    let folder = dir.join("snapshots");
    std::fs::create_dir_all(&folder).unwrap();
    let write = |name: &str, date: &str, dsr: &str, followers: u32, live: bool| {
        let text = base
            .replace("dsr_level: A", &format!("dsr_level: {dsr}"))
            .replace("followers: 320", &format!("followers: {followers}"))
            .replace("live_enabled: false", &format!("live_enabled: {live}"));
        assert!(text.contains(&format!("followers: {followers}")));
        std::fs::write(folder.join(name), format!("{text}snapshot_date: {date}\n")).unwrap();
    };
    write("c-first.yaml", "2026-09-01", "B", 100, false);
    write("a-second.yaml", "2026-10-01", "A", 600, false);
    write("b-third.yaml", "2026-11-01", "S", 1200, true);
    folder
}

#[test]
fn three_snapshots_are_ordered_by_date_with_the_trend_and_each_step() {
    let dir = tempfile::tempdir().unwrap();
    let folder = snapshots(dir.path());
    let out = dir.path().join("out");
    let o = playbook(&[
        "assess",
        "--brand",
        folder.join("b-third.yaml").to_str().unwrap(),
        "--history",
        folder.to_str().unwrap(),
        "--format",
        "md,json,pdf",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The terminal: one line per snapshot, in date order.
    let printed = stdout(&o);
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(lines.len(), 3, "{}", stdout(&o));
    assert!(lines[0].starts_with("2026-09-01") && lines[2].starts_with("2026-11-01"));
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("b-third/readiness-history.zh.json")).unwrap(),
    )
    .unwrap();
    let files: Vec<&str> = json["snapshots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["c-first.yaml", "a-second.yaml", "b-third.yaml"]);
    assert!(json["snapshots"][0]["change"].is_null());
    let md = std::fs::read_to_string(out.join("b-third/readiness-history.zh.md")).unwrap();
    assert!(
        md.contains("```trend\n@ 2026-09-01 2026-10-01 2026-11-01\n"),
        "{md}"
    );
    assert!(md.contains("### 2026-10-01 → 2026-11-01"), "{md}");
    // The store rating reaching S is what moved it, named as a check.
    assert!(
        md.contains("**进步**：店铺体验分 S 级（受阻 → 已完成）"),
        "{md}"
    );
    // Unlocking live selling brings the live-data checks in: named, not hidden.
    assert!(md.contains("**新增检查**"), "{md}");
    let pdf = out.join("b-third/readiness-history.zh.pdf");
    assert!(std::fs::read(pdf).unwrap().starts_with(b"%PDF"));
}

#[test]
fn a_snapshot_of_another_brand_is_warned_about_and_compare_excludes_history() {
    let dir = tempfile::tempdir().unwrap();
    let folder = snapshots(dir.path());
    // Another brand, its snapshot date taken out.
    let other: String = std::fs::read_to_string(example("laoxiang-foods"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("snapshot_date"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(folder.join("other.yaml"), other).unwrap();
    let o = playbook(&[
        "assess",
        "--brand",
        folder.join("b-third.yaml").to_str().unwrap(),
        "--history",
        folder.to_str().unwrap(),
        "--format",
        "",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("other.yaml is for `老乡记卤味`, not `椒语小食`"),
        "{}",
        stderr(&o)
    );
    // Undated, it comes after the dated snapshots.
    assert_eq!(stdout(&o).lines().count(), 4);
    assert!(stdout(&o).lines().last().unwrap().starts_with("other.yaml"));
    let both = playbook(&[
        "assess",
        "--brand",
        folder.join("b-third.yaml").to_str().unwrap(),
        "--compare",
        folder.join("a-second.yaml").to_str().unwrap(),
        "--history",
        folder.to_str().unwrap(),
    ]);
    assert_eq!(both.status.code(), Some(2));
}
