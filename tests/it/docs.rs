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

/// The fenced block of `lang` that follows the first line holding `marker`.
fn block_after(doc: &str, marker: &str, lang: &str) -> String {
    let from = doc
        .find(marker)
        .unwrap_or_else(|| panic!("no `{marker}` in the doc"));
    doc[from..]
        .split(&format!("```{lang}\n"))
        .nth(1)
        .and_then(|s| s.split("```").next())
        .unwrap()
        .to_string()
}

#[test]
fn the_documented_test_file_passes_on_the_documented_playbook() {
    let doc = std::fs::read_to_string(root().join("docs/playbook-format.md")).unwrap();
    let playbook_yaml = block_after(&doc, "## A worked example", "yaml");
    let cases = block_after(&doc, "my-playbooks/flash-sale.test.yaml", "yaml").replace(
        "../examples/brands/",
        &format!("{}/examples/brands/", root().display()),
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("flash-sale.yaml"), playbook_yaml).unwrap();
    std::fs::write(dir.path().join("flash-sale.test.yaml"), cases).unwrap();
    let out = playbook(&["test", dir.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert_eq!(stdout(&out), "3 passed, 0 failed\n");
}

#[test]
fn the_documented_explanation_is_what_explain_prints() {
    let doc = std::fs::read_to_string(root().join("docs/playbook-format.md")).unwrap();
    let shown = block_after(&doc, "## Explaining a result", "text");
    let mut lines = shown.lines();
    let command = lines.next().unwrap().strip_prefix("$ playbook ").unwrap();
    let args: Vec<&str> = command.split(' ').collect();
    let out = playbook(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    let printed = stdout(&out);
    for line in lines.filter(|l| *l != "...") {
        let want = line.split("...").next().unwrap();
        assert!(
            printed.lines().any(|l| l.starts_with(want)),
            "the doc shows `{line}`, explain prints:\n{printed}"
        );
    }
}
