//! Several brands in one `run`: a folder or repeated `--brand`, in parallel, one bad
//! profile stopping only itself, names that would collide refused before anything runs,
//! the same bytes whatever the number of threads.

use crate::common::*;
use std::path::Path;

/// A folder holding the three example brands.
fn examples_folder(dir: &Path) -> std::path::PathBuf {
    let folder = dir.join("brands");
    std::fs::create_dir_all(&folder).unwrap();
    for name in ["jiaoyu-snacks", "laoxiang-foods", "greenleaf-nuts"] {
        std::fs::copy(example(name), folder.join(format!("{name}.yaml"))).unwrap();
    }
    folder
}

fn files_under(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walk(dir)
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(dir).unwrap().display().to_string();
            (rel, std::fs::read(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_folder_with_one_bad_profile_writes_the_others_and_exits_one() {
    let dir = tempfile::tempdir().unwrap();
    let folder = examples_folder(dir.path());
    std::fs::write(
        folder.join("broken.yaml"),
        "brand:\n  name: 坏\nteam:\n  anchors: -1\n",
    )
    .unwrap();
    // Not a profile: only *.yaml files are read.
    std::fs::write(folder.join("notes.txt"), "not a profile").unwrap();
    let out = dir.path().join("out");
    let o = playbook(&[
        "run",
        "readiness",
        "--brand",
        folder.to_str().unwrap(),
        "--format",
        "md,json",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    // The bad profile's own error, with its place, and a summary that counts right.
    assert!(err.contains("broken.yaml:4:12"), "{err}");
    assert!(err.contains("4 brands: 3 written, 1 failed"), "{err}");
    for name in ["jiaoyu-snacks", "laoxiang-foods", "greenleaf-nuts"] {
        assert!(out.join(name).join("readiness.zh.md").is_file(), "{name}");
        assert!(out.join(name).join("readiness.zh.json").is_file(), "{name}");
    }
    assert!(!out.join("broken").exists());
    // The portfolio: one row per good brand, the CSV with a byte-order mark for Excel.
    let bytes = std::fs::read(out.join("portfolio.zh.csv")).unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()));
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let head = reader.headers().unwrap().clone();
    assert_eq!(&head[1], "品牌");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 3);
    // Sorted by readiness, highest first; the brand name exactly as in the profile.
    assert_eq!(&rows[0][1], "老乡记卤味");
    assert!(rows.iter().any(|r| &r[1] == "GreenLeaf Nuts & Co."));
    let md = std::fs::read_to_string(out.join("portfolio.zh.md")).unwrap();
    assert!(md.contains("| 老乡记卤味 | 100 | 可以放量 |"), "{md}");
    assert!(md.contains("GreenLeaf Nuts \\& Co."), "{md}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("portfolio.zh.json")).unwrap())
            .unwrap();
    assert_eq!(json["brands"], 3);
    // Piped, so no progress bar: no carriage returns, no bar text.
    assert!(!err.contains('\r') && !err.contains("brands ·"), "{err}");
}

#[test]
fn two_profiles_that_would_share_a_folder_are_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    std::fs::copy(example("jiaoyu-snacks"), a.join("shop.yaml")).unwrap();
    std::fs::copy(example("laoxiang-foods"), b.join("shop.yaml")).unwrap();
    let out = dir.path().join("out");
    let o = playbook(&[
        "run",
        "readiness",
        "--brand",
        a.join("shop.yaml").to_str().unwrap(),
        "--brand",
        b.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("would both write to <out>/shop/"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists());
}

#[test]
fn one_thread_and_two_write_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let folder = examples_folder(dir.path());
    let mut runs = Vec::new();
    for jobs in ["1", "2"] {
        let out = dir.path().join(format!("out-{jobs}"));
        let o = playbook(&[
            "run",
            "all",
            "--brand",
            folder.to_str().unwrap(),
            "--jobs",
            jobs,
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        // Quiet: the summary only.
        assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
        runs.push(files_under(&out));
    }
    let playbooks = library().playbooks().len();
    // Three brands × every playbook × three formats, and the portfolio's four files.
    assert_eq!(runs[0].len(), 3 * playbooks * 3 + 4);
    assert!(
        runs[0] == runs[1],
        "the files differ between --jobs 1 and --jobs 2"
    );
}

#[test]
fn json_for_several_brands_is_one_line_per_report_in_the_brands_order() {
    let dir = tempfile::tempdir().unwrap();
    let folder = examples_folder(dir.path());
    let o = playbook(&[
        "run",
        "readiness",
        "--brand",
        folder.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let brands: Vec<String> = stdout(&o)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["brand"].as_str().unwrap().to_string()
        })
        .collect();
    // Sorted by file name: greenleaf, jiaoyu, laoxiang.
    assert_eq!(brands, ["GreenLeaf Nuts & Co.", "椒语小食", "老乡记卤味"]);
}
