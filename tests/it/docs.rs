//! The worked example in docs/playbook-format.md must stay a working playbook.

use crate::common::*;

#[test]
fn the_documented_example_playbook_checks_and_runs() {
    let doc = std::fs::read_to_string(root().join("docs/playbook-format.md")).unwrap();
    let yaml = doc
        .split("```yaml\n")
        .nth(1)
        .and_then(|s| s.split("```").next())
        .expect("a yaml block");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("flash-sale.yaml"), yaml).unwrap();
    let check = playbook(&["check", dir.path().to_str().unwrap()]);
    assert!(check.status.success(), "{}", stderr(&check));
    let brand = example("jiaoyu-snacks");
    let out = playbook(&[
        "run",
        "flash-sale",
        "--brand",
        brand.to_str().unwrap(),
        "--playbooks",
        dir.path().to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["verdict"], "go");
    assert_eq!(report["values"]["cheap_items"], 2);
    assert_eq!(report["items"][1]["id"], "stock-1");
    assert_eq!(report["items"][1]["why"], "库存 5,000 件");
}

#[test]
fn every_assumption_is_documented_with_its_default() {
    let doc = std::fs::read_to_string(root().join("docs/profile.md")).unwrap();
    let lib = library();
    for a in &lib.shared().assumptions {
        let row = doc
            .lines()
            .find(|l| l.starts_with('|') && l.contains(&format!("`{}`", a.id)))
            .unwrap_or_else(|| panic!("docs/profile.md has no row for `{}`", a.id));
        assert!(row.contains('|'), "{row}");
    }
}
