//! The command line as a user meets it: bad inputs, outputs, determinism, safety.

use crate::common::*;
use std::time::{Duration, Instant};

fn run_md(brand: &std::path::Path, out: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "run",
        "all",
        "--brand",
        brand.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    playbook(&args)
}

/// A bad profile: exit 1, one line naming file:line:col, no panic, nothing written.
fn bad_profile(name: &str, expect: &[&str]) {
    let out_dir = tempfile::tempdir().unwrap();
    let path = fixture(&format!("profiles/{name}"));
    let out = run_md(&path, out_dir.path(), &["--format", "md"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{name}: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{name}: one line: {err}");
    assert!(!err.contains("panicked"), "{err}");
    for e in expect {
        assert!(err.contains(e), "{name}: expected `{e}` in: {err}");
    }
    assert_eq!(
        std::fs::read_dir(out_dir.path()).unwrap().count(),
        0,
        "nothing written"
    );
}

#[test]
fn unknown_key_names_place_and_nearest_key() {
    bad_profile(
        "unknown-key.yaml",
        &["unknown-key.yaml:4:3", "did you mean `reputation_score`"],
    );
}

#[test]
fn wrong_type_names_place_and_what_is_allowed() {
    bad_profile(
        "wrong-type.yaml",
        &["wrong-type.yaml:4:12", "a whole number >= 0"],
    );
}

#[test]
fn out_of_range_names_place_and_range() {
    bad_profile(
        "out-of-range.yaml",
        &["out-of-range.yaml:5:21", "from 0.0 to 5.0"],
    );
}

#[test]
fn empty_syntax_error_and_binary_files_get_one_line() {
    bad_profile("empty.yaml", &["empty.yaml", "empty"]);
    bad_profile("syntax-error.yaml", &["syntax-error.yaml:"]);
    bad_profile("binary.yaml", &["binary.yaml", "binary"]);
}

#[test]
fn missing_profile_file_is_an_error_not_a_panic() {
    let out = playbook(&["run", "all", "--brand", "no/such/file.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no/such/file.yaml"));
}

#[test]
fn usage_errors_exit_2() {
    let out = playbook(&[
        "run",
        "cold-stat",
        "--brand",
        example("jiaoyu-snacks").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean `cold-start`"),
        "{}",
        stderr(&out)
    );
    assert_eq!(playbook(&["run", "all"]).status.code(), Some(2));
    assert_eq!(playbook(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn a_profile_with_only_a_name_lists_needs_and_still_renders() {
    let report = report_json("cold-start", &fixture("profiles/name-only.yaml"), "zh");
    let needs: Vec<&str> = report["needs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(needs.contains(&"store.dsr_level"), "{needs:?}");
    assert!(needs.contains(&"account"), "{needs:?}");
    // Nothing about the account, store or team: no verdict is guessed.
    assert_eq!(report["verdict"], "insufficient-data");
    let text: Vec<&str> = report["needs_text"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(text.contains(&"店铺体验分等级"), "{text:?}");
    let first = &report["items"][0];
    assert_eq!(first["status"], "todo");
    assert_eq!(first["why"], "尚未填写店铺体验分等级，暂时无法判断");
}

#[test]
fn list_shows_every_bundled_playbook() {
    let out = playbook(&["list", "--lang", "en"]);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(
        text.contains("cold-start") && text.contains("Cold-start readiness"),
        "{text}"
    );
    for id in [
        "new-account",
        "million-gmv-event",
        "pricing",
        "play-selection",
        "readiness",
    ] {
        assert!(text.lines().any(|l| l.starts_with(id)), "{id} in {text}");
    }
}

#[test]
fn check_passes_on_the_bundled_playbooks() {
    let out = playbook(&["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("ok:"));
}

#[test]
fn json_for_all_is_one_object_per_line() {
    let brand = example("jiaoyu-snacks");
    let out = playbook(&[
        "run",
        "all",
        "--brand",
        brand.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(out.status.success());
    let text = stdout(&out);
    let ids: Vec<String> = text
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["playbook"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert!(
        ids.contains(&"cold-start".to_string()) && ids.contains(&"new-account".to_string()),
        "{ids:?}"
    );
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        for key in [
            "playbook", "lang", "brand", "verdict", "items", "values", "needs",
        ] {
            assert!(v.get(key).is_some(), "missing {key}");
        }
    }
}

#[test]
fn same_inputs_give_byte_identical_files() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let brand = example("laoxiang-foods");
    for dir in [&a, &b] {
        let out = run_md(&brand, dir.path(), &["--format", "md,json", "--lang", "en"]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let folder = |d: &tempfile::TempDir| d.path().join("laoxiang-foods");
    let mut names: Vec<_> = std::fs::read_dir(folder(&a))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert!(names.len() >= 4, "{names:?}");
    for name in names {
        let x = std::fs::read(folder(&a).join(&name)).unwrap();
        let y = std::fs::read(folder(&b).join(&name)).unwrap();
        assert!(x == y, "{name:?} differs between runs");
    }
}

#[test]
fn files_land_where_the_contract_says() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_md(
        &example("greenleaf-nuts"),
        dir.path(),
        &["--format", "md,json", "--lang", "en"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    for f in [
        "cold-start.en.md",
        "cold-start.en.json",
        "new-account.en.md",
        "new-account.en.json",
    ] {
        assert!(dir.path().join("greenleaf-nuts").join(f).is_file(), "{f}");
    }
}

#[test]
fn a_failing_run_leaves_earlier_outputs_intact() {
    let dir = tempfile::tempdir().unwrap();
    let good = run_md(&example("jiaoyu-snacks"), dir.path(), &["--format", "md"]);
    assert!(good.status.success());
    let file = dir.path().join("jiaoyu-snacks/cold-start.zh.md");
    let before = std::fs::read(&file).unwrap();
    // Same output folder name, broken profile.
    let broken_dir = tempfile::tempdir().unwrap();
    let broken = broken_dir.path().join("jiaoyu-snacks.yaml");
    std::fs::write(&broken, "brand:\n  name: x\n  awareness: sky-high\n").unwrap();
    let out = run_md(&broken, dir.path(), &["--format", "md"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("jiaoyu-snacks.yaml:3:14"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(&file).unwrap(), before);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("jiaoyu-snacks"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Plain text of a Markdown document as a CommonMark reader shows it.
fn markdown_text(md: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser};
    let mut text = String::new();
    for event in Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::Html(h) | Event::InlineHtml(h) => panic!("profile text became HTML: {h}"),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push('\n'),
            _ => {}
        }
    }
    text
}

#[test]
fn profile_text_prints_literally() {
    let dir = tempfile::tempdir().unwrap();
    for lang in ["zh", "en"] {
        let out = run_md(
            &fixture("profiles/literal.yaml"),
            dir.path(),
            &["--format", "md,json", "--lang", lang],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        let md = std::fs::read_to_string(dir.path().join(format!("literal/new-account.{lang}.md")))
            .unwrap();
        let text = markdown_text(&md);
        assert!(text.contains("{{ x }} | # *y* <b>"), "{text}");
        assert!(text.contains("**粗体** [链接](http://x) `code`"), "{text}");
        assert!(
            text.contains("<script>alert(1)</script> {% if %}"),
            "{text}"
        );
        let json: serde_json::Value = serde_json::from_slice(
            &std::fs::read(dir.path().join(format!("literal/cold-start.{lang}.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(json["brand"], "{{ x }} | # *y* <b>");
    }
}

#[test]
fn an_endless_loop_stops_quickly_naming_playbook_and_rule() {
    let start = Instant::now();
    let dir = fixture("playbooks/loop");
    let brand = example("jiaoyu-snacks");
    let out = playbook(&[
        "run",
        "looping",
        "--brand",
        brand.to_str().unwrap(),
        "--playbooks",
        dir.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let elapsed = start.elapsed();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("loop.yaml:12:"), "{err}");
    assert!(
        err.contains("playbook `looping`") && err.contains("spin"),
        "{err}"
    );
    assert!(err.contains("operations"), "{err}");
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
}

#[test]
fn rule_errors_point_at_the_line_in_the_playbook() {
    let brand = example("jiaoyu-snacks");
    let dir = fixture("playbooks/runtime-error");
    let out = playbook(&[
        "run",
        "runtime-error",
        "--brand",
        brand.to_str().unwrap(),
        "--playbooks",
        dir.to_str().unwrap(),
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(err.contains("runtime-error.yaml:13:"), "{err}");
    assert!(err.contains("Division by zero"), "{err}");

    let dir = fixture("playbooks/bad-field");
    let out = playbook(&["check", dir.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(err.contains("bad-field.yaml:10:"), "{err}");
    assert!(err.contains("follower"), "{err}");
}

#[test]
fn user_playbooks_override_bundled_ones_by_id() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join("playbooks/cold-start.yaml"))
        .unwrap()
        .replace("title:\n  zh: 冷启动诊断", "title:\n  zh: 我们的冷启动诊断");
    std::fs::write(dir.path().join("mine.yaml"), text).unwrap();
    let out = playbook(&["list", "--playbooks", dir.path().to_str().unwrap()]);
    assert!(
        stdout(&out).contains("我们的冷启动诊断"),
        "{}",
        stdout(&out)
    );
    assert_eq!(stdout(&out).matches("cold-start").count(), 1);
}

#[test]
fn runs_from_any_directory() {
    let cwd = tempfile::tempdir().unwrap();
    let out = playbook_in(
        cwd.path(),
        &[
            "run",
            "cold-start",
            "--brand",
            example("greenleaf-nuts").to_str().unwrap(),
            "--format",
            "md",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(cwd
        .path()
        .join("output/greenleaf-nuts/cold-start.zh.md")
        .is_file());
}

/// The text of a PDF, by `pdftotext`; a missing `pdftotext` fails the test (`.ci/run`
/// installs poppler-utils), it never passes silently.
fn pdftotext(pdf: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("pdftotext is needed by this test (poppler-utils): {e}"));
    assert!(
        out.status.success(),
        "pdftotext {}: {}",
        pdf.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn pdf_reports_carry_the_text_and_profile_text_stays_literal() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_md(
        &fixture("profiles/literal.yaml"),
        dir.path(),
        &["--format", "pdf", "--lang", "en"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let pdf = dir.path().join("literal/new-account.en.pdf");
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let text: String = pdftotext(&pdf).split_whitespace().collect();
    assert!(text.contains("{{x}}|#*y*<b>"), "{text}");
    assert!(text.contains("Breakingtheiceonanewaccount"), "{text}");
}

#[test]
fn chinese_pdf_extracts_and_checks() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_md(
        &example("jiaoyu-snacks"),
        dir.path(),
        &["--format", "pdf", "--paper", "letter"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
    let pdf = dir.path().join("jiaoyu-snacks/cold-start.zh.pdf");
    let text: String = pdftotext(&pdf).split_whitespace().collect();
    assert!(text.contains("冷启动诊断·椒语小食"), "{text}");
    assert!(text.contains("口碑分4.4，距基准线4.6还差0.2"), "{text}");
    let info = std::process::Command::new("pdfinfo")
        .arg(&pdf)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&info.stdout).contains("612 x 792"),
        "letter paper"
    );
}

#[test]
fn a_reader_that_goes_away_is_a_normal_end() {
    // `run all --format json | head -c 1`: the JSON is larger than a pipe holds, the
    // reader closes after one byte, and the run still ends with status 0.
    use std::io::Read;
    let brand = example("jiaoyu-snacks");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_playbook"))
        .args([
            "run",
            "all",
            "--brand",
            brand.to_str().unwrap(),
            "--format",
            "json",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut one = [0u8; 1];
    stdout.read_exact(&mut one).unwrap();
    assert_eq!(&one, b"{");
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_profile_named_with_dots_writes_inside_the_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("...yaml");
    std::fs::copy(example("jiaoyu-snacks"), &profile).unwrap();
    let out_dir = dir.path().join("out");
    let out = playbook(&[
        "run",
        "pricing",
        "--brand",
        profile.to_str().unwrap(),
        "--format",
        "md",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        out_dir.join("brand/pricing.zh.md").is_file(),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("pricing.zh.md").exists());
}

#[test]
fn rules_cannot_reach_the_clock_or_sleep() {
    for (kind, line, function) in [("sleep", 11, "sleep"), ("clock", 11, "timestamp")] {
        let dir = fixture(&format!("playbooks/{kind}"));
        let out = playbook(&["check", dir.to_str().unwrap()]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains(&format!("{kind}.yaml:{line}:")), "{err}");
        assert!(
            err.contains(&format!("Function not found: {function}")),
            "{err}"
        );
    }
}

#[test]
fn work_the_operation_count_misses_stops_at_the_time_limit() {
    // Copying a 9,000-element array is one operation; 160,000 of them are not.
    let dir = fixture("playbooks/heavy");
    let out = playbook(&["check", dir.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("heavy.yaml:14:"), "{err}");
    assert!(err.contains("took too long"), "{err}");
}

#[test]
fn profiles_that_are_not_files_or_too_big_or_too_deep_fail_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let run = |path: &std::path::Path| {
        let out = playbook(&[
            "run",
            "all",
            "--brand",
            path.to_str().unwrap(),
            "--format",
            "json",
        ]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        stderr(&out)
    };
    // A device that never ends, and a pipe nobody writes to.
    let err = run(std::path::Path::new("/dev/zero"));
    assert!(err.contains("/dev/zero: not a regular file"), "{err}");
    let fifo = dir.path().join("fifo.yaml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let err = run(&fifo);
    assert!(err.contains("fifo.yaml: not a regular file"), "{err}");
    // Over the size cap: read no further than it.
    let big = dir.path().join("big.yaml");
    let mut text = String::from("brand:\n  name: big\n");
    while text.len() <= 8 * 1024 * 1024 {
        text.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    std::fs::write(&big, text).unwrap();
    let err = run(&big);
    assert!(err.contains("big.yaml: larger than 8 MB"), "{err}");
    // 100,000 brackets deep (50 s in the YAML parser before): refused at the 65th.
    let deep = dir.path().join("deep.yaml");
    std::fs::write(
        &deep,
        format!("brand: {}{}\n", "[".repeat(100_000), "]".repeat(100_000)),
    )
    .unwrap();
    let err = run(&deep);
    assert!(
        err.contains("deep.yaml:1:72: brackets nested more than 64 deep"),
        "{err}"
    );
}

#[test]
fn control_characters_from_a_profile_reach_neither_reports_nor_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    // A NUL in a value, and an escape sequence in a key the loader refuses.
    let nul = dir.path().join("nul.yaml");
    std::fs::write(&nul, "brand:\n  name: \"椒语\\0小食\"\n").unwrap();
    let out = run_md(&nul, dir.path(), &["--format", "md"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let md = std::fs::read_to_string(dir.path().join("nul/pricing.zh.md")).unwrap();
    assert!(md.contains("椒语小食") && !md.contains('\0'), "{md}");
    let key = dir.path().join("key.yaml");
    std::fs::write(&key, "brand:\n  name: x\n  \"\\e[31mred\": 1\n").unwrap();
    let out = run_md(&key, dir.path(), &["--format", "md"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(!err.contains('\u{1b}'), "{err:?}");
    assert!(err.contains("\\u{1b}[31mred"), "{err}");
}

#[test]
fn numbers_out_of_any_sane_range_are_refused_and_never_printed() {
    // A profile's money field at 1e308 is an error at its place, not "inf" in a report.
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.yaml");
    std::fs::write(
        &big,
        "brand:\n  name: x\nbudget:\n  monthly_ad_spend: 1e308\n",
    )
    .unwrap();
    let out = run_md(&big, dir.path(), &["--format", "json"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("big.yaml:4:21: budget.monthly_ad_spend: invalid value: 1e308, expected a number from 0 to 1e12"), "{err}");
    // A rule that divides by zero is an error naming the rule.
    let out = playbook(&["check", fixture("playbooks/infinity").to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("infinity.yaml:") && err.contains("ratio"),
        "{err}"
    );
    assert!(
        err.contains("gave inf, not a number a report can print"),
        "{err}"
    );
}

#[test]
fn oversized_or_deeply_nested_templates_and_playbooks_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    std::fs::create_dir(&templates).unwrap();
    std::fs::write(
        templates.join("labels.yaml"),
        format!("zh: {}{}\n", "[".repeat(100), "]".repeat(100)),
    )
    .unwrap();
    let brand = example("jiaoyu-snacks");
    let out_dir = dir.path().join("out");
    let run = |flag: &str, folder: &std::path::Path| {
        run_md(
            &brand,
            &out_dir,
            &["--format", "md", flag, folder.to_str().unwrap()],
        )
    };
    let out = run("--templates", &templates);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("labels.yaml:1:"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("nested more than 64 deep"),
        "{}",
        stderr(&out)
    );

    let playbooks = dir.path().join("playbooks");
    std::fs::create_dir(&playbooks).unwrap();
    std::fs::write(
        playbooks.join("big.yaml"),
        format!("# {}\n", "x".repeat(2 * 1024 * 1024)),
    )
    .unwrap();
    let out = run("--playbooks", &playbooks);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("big.yaml: larger than 1 MB"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("out").exists());
}

/// A real catalogue: 10,000 products with long names runs every playbook. Pricing's
/// per-product table used to grow by `push`, which the rules' size limit measured whole
/// after every push: quadratic, so 3,000 products already ran out of time.
#[test]
fn a_catalogue_of_ten_thousand_products_with_long_names_runs() {
    let text = std::fs::read_to_string(example("jiaoyu-snacks")).unwrap();
    let mut profile: yaml_serde::Value = yaml_serde::from_str(&text).unwrap();
    let products = profile["products"].as_sequence().unwrap().clone();
    let long = "坚果礼盒 mixed nuts ".repeat(12);
    let catalogue: Vec<yaml_serde::Value> = (0..10_000)
        .map(|i| {
            let mut p = products[i % products.len()].clone();
            let name = format!("{} {long}{i}", p["name"].as_str().unwrap());
            p["name"] = name.into();
            p
        })
        .collect();
    profile["products"] = catalogue.into();
    let dir = tempfile::tempdir().unwrap();
    let brand = dir.path().join("catalogue.yaml");
    std::fs::write(&brand, yaml_serde::to_string(&profile).unwrap()).unwrap();
    // Markdown too: its action list searched every item for each action (quadratic:
    // more than a minute for pricing's 25,000 items).
    let out_dir = dir.path().join("out");
    let out = run_md(&brand, &out_dir, &["--format", "md,json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json = std::fs::read(out_dir.join("catalogue/pricing.zh.json")).unwrap();
    let report: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(report["values"]["prices"].as_array().unwrap().len(), 10_000);
    let md = std::fs::read_to_string(out_dir.join("catalogue/pricing.zh.md")).unwrap();
    assert!(
        md.contains("坚果礼盒 mixed nuts"),
        "the products are listed"
    );
}

/// tera has no operation budget: a template from `--templates` that loops over nothing
/// for ever, doubles a text or writes without end is stopped by time or size, naming it.
#[test]
fn templates_that_never_end_are_stopped_by_time_or_size() {
    let cases = [
        (
            "{% for a in range(end=100000) %}{% for b in range(end=100000) %}{% endfor %}{% endfor %}",
            "still rendering after 2.",
        ),
        (
            "{% set s = \"xx\" %}{% for a in range(end=60) %}{% set_global s = s ~ s %}{% endfor %}{{ s | length }}",
            "still rendering after 2.",
        ),
        (
            "{% for a in range(end=100000) %}{% for b in range(end=100000) %}one line of a report that never ends, {% endfor %}{% endfor %}",
            "the template writes more than 64 MB",
        ),
    ];
    let runs: Vec<_> = cases
        .into_iter()
        .map(|(template, expect)| {
            std::thread::spawn(move || {
                let dir = tempfile::tempdir().unwrap();
                let templates = dir.path().join("templates");
                std::fs::create_dir(&templates).unwrap();
                for entry in std::fs::read_dir(root().join("templates")).unwrap() {
                    let path = entry.unwrap().path();
                    std::fs::copy(&path, templates.join(path.file_name().unwrap())).unwrap();
                }
                std::fs::write(templates.join("default.md"), template).unwrap();
                let started = Instant::now();
                let out = playbook(&[
                    "run",
                    "cold-start",
                    "--brand",
                    example("jiaoyu-snacks").to_str().unwrap(),
                    "--templates",
                    templates.to_str().unwrap(),
                    "--format",
                    "md",
                    "--out",
                    dir.path().join("out").to_str().unwrap(),
                ]);
                let err = stderr(&out);
                assert_eq!(out.status.code(), Some(1), "{template}: {err}");
                assert!(err.contains("templates/default.md: "), "{err}");
                assert!(err.contains(expect), "{template}: {err}");
                assert!(!dir.path().join("out/jiaoyu-snacks").exists());
                started.elapsed()
            })
        })
        .collect();
    for run in runs {
        let took = run.join().unwrap();
        assert!(took < Duration::from_secs(30), "{took:?}");
    }
}
