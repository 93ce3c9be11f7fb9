//! Golden Markdown: the bundled examples through every bundled playbook, in both
//! languages, compared byte for byte with reviewed files in `tests/golden/`.
//! After an intended change: `UPDATE_GOLDEN=1 cargo test --test golden`, then review the diff.

mod common;
use common::*;

const PLAYBOOKS: [&str; 6] = [
    "cold-start",
    "new-account",
    "million-gmv-event",
    "pricing",
    "play-selection",
    "readiness",
];
const BRANDS: [&str; 3] = ["chunguang-snacks", "laoxiang-foods", "greenleaf-nuts"];

#[test]
fn examples_match_golden_markdown() {
    let out = tempfile::tempdir().unwrap();
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut mismatches = Vec::new();
    for brand in BRANDS {
        for lang in ["zh", "en"] {
            for id in PLAYBOOKS {
                let path = example(brand);
                let run = playbook(&[
                    "run",
                    id,
                    "--brand",
                    path.to_str().unwrap(),
                    "--lang",
                    lang,
                    "--format",
                    "md",
                    "--out",
                    out.path().to_str().unwrap(),
                ]);
                assert!(run.status.success(), "{}", stderr(&run));
                let name = format!("{brand}/{id}.{lang}.md");
                let got = std::fs::read_to_string(out.path().join(&name)).unwrap();
                let golden = root().join("tests/golden").join(&name);
                if update {
                    std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
                    std::fs::write(&golden, &got).unwrap();
                    continue;
                }
                let want = std::fs::read_to_string(&golden).unwrap_or_default();
                if got != want {
                    mismatches.push(name);
                }
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "rendered Markdown differs from tests/golden for {mismatches:?}; \
         if intended, run UPDATE_GOLDEN=1 cargo test --test golden and review the diff"
    );
}
