//! Snapshots: the bundled examples through every bundled playbook, in both languages, as
//! Markdown and JSON, each compared with its reviewed snapshot in `tests/it/snapshots/`.
//! A difference fails with a line diff; `cargo insta review` accepts intended ones.

use crate::common::*;

const BRANDS: [&str; 3] = ["jiaoyu-snacks", "laoxiang-foods", "greenleaf-nuts"];

#[test]
fn examples_match_their_snapshots() {
    let playbooks: Vec<String> = library().playbooks().iter().map(|p| p.id.clone()).collect();
    assert!(playbooks.len() >= 6, "{playbooks:?}");
    let out = tempfile::tempdir().unwrap();
    for brand in BRANDS {
        for lang in ["zh", "en"] {
            let path = example(brand);
            let run = playbook(&[
                "run",
                "all",
                "--brand",
                path.to_str().unwrap(),
                "--lang",
                lang,
                "--format",
                "md,json",
                "--out",
                out.path().to_str().unwrap(),
            ]);
            assert!(run.status.success(), "{}", stderr(&run));
            for id in &playbooks {
                for ext in ["md", "json"] {
                    let name = format!("{id}.{lang}.{ext}");
                    let got = std::fs::read_to_string(out.path().join(brand).join(&name))
                        .unwrap_or_else(|e| panic!("{brand}/{name}: {e}"));
                    insta::assert_snapshot!(format!("{brand}__{name}"), got);
                }
            }
        }
    }
}
