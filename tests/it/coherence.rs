//! One brand, one story: every playbook run on every fixture profile and example brand,
//! in both languages, read together. The documents must not contradict each other, must
//! speak the client's words, and must show the assumptions and platform rules they use.

use crate::common::*;
use playbook_engine::library::Library;
use playbook_engine::profile::Profile;
use playbook_engine::render::MarkdownRenderer;
use playbook_engine::report::{Lang, Report};
use std::path::{Path, PathBuf};

/// Every profile the tests ship that loads: fixtures and example brands.
fn profiles() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in [fixture("profiles"), root().join("examples/brands")] {
        for entry in walk(&dir) {
            if entry.extension().is_some_and(|e| e == "yaml") && Profile::load(&entry).is_ok() {
                files.push(entry);
            }
        }
    }
    files.sort();
    assert!(files.len() > 30, "{files:?}");
    files
}

/// All playbooks' reports for one profile in one language, by playbook id.
fn reports(lib: &Library, file: &Path, lang: Lang) -> Vec<Report> {
    let profile = Profile::load(file).unwrap();
    let data = lib.brand(&profile).unwrap();
    lib.playbooks()
        .iter()
        .map(|p| {
            lib.run(p, &data, lang)
                .unwrap_or_else(|e| panic!("{}: {e}", file.display()))
        })
        .collect()
}

fn find<'a>(reports: &'a [Report], id: &str) -> &'a Report {
    reports.iter().find(|r| r.playbook == id).unwrap()
}

/// Strings the profile itself supplies (names, selling points): they print as given.
fn profile_strings(file: &Path) -> Vec<String> {
    let p = Profile::load(file).unwrap();
    let mut out = vec![p.brand.name.clone()];
    out.extend(p.brand.subcategory.clone());
    for product in p.products.iter().flatten() {
        out.push(product.name.clone());
        out.extend(product.selling_points.iter().flatten().cloned());
    }
    out.sort_by_key(|s| std::cmp::Reverse(s.len()));
    out
}

/// Everything a reader sees in a report, with the profile's own strings taken out.
fn client_text(report: &Report, own: &[String]) -> String {
    let mut parts = vec![
        report.title.clone(),
        report.verdict_label.clone(),
        report.summary.clone().unwrap_or_default(),
        report.verdict_why.clone().unwrap_or_default(),
    ];
    for s in &report.sections {
        parts.push(s.title.clone());
        parts.extend(s.intro.clone());
    }
    for i in &report.items {
        parts.extend([i.title.clone(), i.why.clone()]);
        parts.extend(i.action.clone());
        parts.extend(i.owner.clone());
        parts.extend(i.covered_by_title.clone());
    }
    for f in &report.figures {
        parts.extend([f.label.clone(), f.display.clone()]);
        parts.extend(f.working.clone());
    }
    for a in report.assumptions.iter().chain(&report.platform_rules) {
        parts.extend([a.label.clone(), a.display.clone(), a.source.clone()]);
        parts.extend(a.why.clone());
    }
    parts.extend(report.needs_text.clone());
    let mut text = parts.join("\n");
    for s in own {
        if !s.is_empty() {
            text = text.replace(s.as_str(), "⟨profile⟩");
        }
    }
    text
}

/// ASCII word-like tokens: letters, digits, `_`, `.` and `-` inside.
fn tokens(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-'))
        .map(|t| t.trim_matches(|c| c == '.' || c == '-'))
        .filter(|t| !t.is_empty())
        .collect()
}

/// What a client must never read, found in `text` (one language's report).
fn words_problems(text: &str, lang: Lang, lib: &Library) -> Vec<String> {
    let mut problems = Vec::new();
    let sections = playbook_engine::facts::SECTIONS;
    let ids: Vec<&str> = lib
        .playbooks()
        .iter()
        .map(|p| p.id.as_str())
        .filter(|id| id.contains('-'))
        .chain([
            "easy-first",
            "live-conversion",
            "not-applicable",
            "insufficient-data",
        ])
        .collect();
    for t in tokens(text) {
        if let Some((head, rest)) = t.split_once('.') {
            if sections.contains(&head) && rest.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            {
                problems.push(format!("field path `{t}`"));
            }
        }
        let snake = t.contains('_')
            && t.split('_')
                .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase()));
        if snake {
            problems.push(format!("enum value or id `{t}`"));
        }
        if ids.contains(&t) {
            problems.push(format!("playbook or verdict id `{t}`"));
        }
        if t == "true" || t == "false" {
            problems.push(format!("boolean `{t}`"));
        }
    }
    let lower = text.to_lowercase();
    for term in &lib.shared().glossary.terms {
        let avoid = match lang {
            Lang::Zh => &term.avoid_zh,
            Lang::En => &term.avoid_en,
        };
        for word in avoid {
            let w = word.to_lowercase();
            let hit = match lang {
                Lang::Zh => lower.contains(&w),
                Lang::En => lower.match_indices(&w).any(|(at, _)| {
                    let before = lower[..at].chars().next_back();
                    let after = lower[at + w.len()..].chars().next();
                    !before.is_some_and(|c| c.is_ascii_alphanumeric())
                        && !after.is_some_and(|c| c.is_ascii_alphanumeric())
                }),
            };
            if hit {
                problems.push(format!(
                    "`{word}` where the glossary says `{}`",
                    match lang {
                        Lang::Zh => &term.zh,
                        Lang::En => &term.en,
                    }
                ));
            }
        }
    }
    if lang == Lang::En {
        let t = tokens(text);
        for pair in t.windows(2) {
            if pair[0] == "1"
                && [
                    "anchors",
                    "operators",
                    "products",
                    "sessions",
                    "videos",
                    "items",
                    "buyers",
                    "roles",
                    "days",
                    "hours",
                ]
                .contains(&pair[1])
            {
                problems.push(format!("`1 {}`", pair[1]));
            }
        }
    }
    problems
}

#[test]
fn every_report_speaks_the_clients_words() {
    let lib = library();
    let mut problems = Vec::new();
    for file in profiles() {
        let own = profile_strings(&file);
        for lang in Lang::ALL {
            for report in reports(&lib, &file, lang) {
                let text = client_text(&report, &own);
                for p in words_problems(&text, lang, &lib) {
                    problems.push(format!(
                        "{} {} {}: {p}",
                        file.strip_prefix(root()).unwrap().display(),
                        report.playbook,
                        lang.code()
                    ));
                }
            }
        }
    }
    problems.sort();
    problems.dedup();
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn the_words_check_catches_what_it_should() {
    let lib = library();
    let bad = "尚未填写 plan.start_date；white_collar；详见 cold-start；原生素材：true；主推款";
    let found = words_problems(bad, Lang::Zh, &lib);
    assert_eq!(found.len(), 5, "{found:?}");
    let found = words_problems("1 anchors and a media buyer", Lang::En, &lib);
    assert_eq!(found.len(), 2, "{found:?}");
}

/// The contradictions a client would catch reading one brand's documents together.
fn contradictions(file: &Path, reports: &[Report]) -> Vec<String> {
    let profile = Profile::load(file).unwrap();
    let sessions = profile
        .history
        .as_ref()
        .and_then(|h| h.sessions)
        .map_or(0, |s| s.0);
    // Selling live: unlocked, or, when the account does not say, sessions on record.
    let live = match profile.account.as_ref().and_then(|a| a.live_enabled) {
        Some(unlocked) => unlocked,
        None => sessions > 0,
    };
    let mut out = Vec::new();
    let event = find(reports, "million-gmv-event");
    if !live && ["on-track", "at-risk"].contains(&event.verdict.as_str()) {
        out.push(format!(
            "the event is `{}` for an account that cannot sell live",
            event.verdict
        ));
    }
    if !live && event.verdict == "not-ready" {
        let gate = event
            .items
            .iter()
            .any(|i| i.id.contains("live") && i.status == playbook_engine::report::Status::Blocked);
        if !gate {
            out.push("the event is not blocked on unlocking live selling".into());
        }
    }
    let new_account = find(reports, "new-account");
    if !live {
        for i in new_account
            .items
            .iter()
            .filter(|i| i.id.starts_with("product-test"))
        {
            if i.due.is_some() {
                out.push(format!(
                    "new-account dates `{}` ({:?}) before live selling is unlocked",
                    i.id, i.due
                ));
            }
        }
    }
    let readiness = find(reports, "readiness");
    let why = readiness.verdict_why.clone().unwrap_or_default();
    // Pointing to the event plan ("before a big event, check its numbers") is fine;
    // telling the brand to plan one while the event plan may block it is not.
    if why.replace("筹备大场之前", "").contains("筹备大场") {
        out.push(format!(
            "readiness tells the brand to plan a big event: {why}"
        ));
    }
    if readiness.verdict == "ready-to-scale" && !live {
        out.push("readiness says ready to scale for an account that cannot sell live".into());
    }
    if live && sessions > 0 {
        for id in ["cold-start", "new-account"] {
            let r = find(reports, id);
            if r.verdict != "not-applicable" {
                out.push(format!(
                    "{id} is `{}` for a brand selling live with {sessions} sessions",
                    r.verdict
                ));
            }
        }
    }
    let cold = find(reports, "cold-start");
    if cold.verdict == "ready" && readiness.verdict == "not-ready" {
        out.push("cold-start says ready while readiness says not ready".into());
    }
    out
}

#[test]
fn one_brands_documents_do_not_contradict_each_other() {
    let lib = library();
    let mut problems = Vec::new();
    for file in profiles() {
        let reports = reports(&lib, &file, Lang::Zh);
        for p in contradictions(&file, &reports) {
            problems.push(format!(
                "{}: {p}",
                file.strip_prefix(root()).unwrap().display()
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn coherence(name: &str) -> PathBuf {
    fixture(&format!("profiles/coherence/{name}.yaml"))
}

#[test]
fn playbooks_that_do_not_fit_an_established_brand_say_so_and_where_to_go() {
    let lib = library();
    for lang in Lang::ALL {
        let reports = reports(&lib, &coherence("live-brand"), lang);
        for id in ["cold-start", "new-account"] {
            let r = find(&reports, id);
            assert_eq!(r.verdict, "not-applicable", "{id}");
            assert!(r.items.is_empty(), "{id}");
            let instead = r.read_instead.as_ref().expect("a playbook to read instead");
            assert_eq!(instead.id, "readiness");
            assert_eq!(
                instead.title,
                lib.playbook("readiness").unwrap().title_in(lang)
            );
            let md = MarkdownRenderer::for_library(&lib)
                .unwrap()
                .text(r)
                .unwrap();
            assert!(md.contains(&instead.title), "{md}");
        }
    }
}

#[test]
fn a_brand_with_only_its_name_gets_no_guesses() {
    let lib = library();
    for lang in Lang::ALL {
        for r in reports(&lib, &coherence("brand-only"), lang) {
            assert!(
                ["insufficient-data", "needs-event"].contains(&r.verdict.as_str()),
                "{} {}: `{}` on no data",
                r.playbook,
                lang.code(),
                r.verdict
            );
            assert!(!r.needs.is_empty(), "{}", r.playbook);
            assert_eq!(r.needs.len(), r.needs_text.len());
            for (path, text) in r.needs.iter().zip(&r.needs_text) {
                assert_ne!(path, text, "{}: `{path}` printed as a path", r.playbook);
            }
        }
    }
}

#[test]
fn every_report_lists_the_platform_rules_it_applies_with_their_year() {
    let lib = library();
    let reports = reports(&lib, &example("jiaoyu-snacks"), Lang::Zh);
    let cold = find(&reports, "cold-start");
    let rule = cold
        .platform_rules
        .iter()
        .find(|a| a.id == "min_reputation_score")
        .expect("the 4.6 rule is listed");
    assert_eq!(rule.display, "4.6");
    assert!(rule.source.contains("2021"), "{}", rule.source);
    let md = MarkdownRenderer::for_library(&lib).unwrap();
    for r in &reports {
        let text = md.text(r).unwrap();
        assert!(
            text.contains("2021"),
            "{}: no date for the platform rules",
            r.playbook
        );
    }
}

#[test]
fn an_assumption_set_in_the_profile_replaces_the_default_and_says_so() {
    let lib = library();
    let base = std::fs::read_to_string(coherence("live-brand")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let own = dir.path().join("own.yaml");
    std::fs::write(
        &own,
        format!("{base}assumptions: {{paid_traffic_share: 0.35}}\n"),
    )
    .unwrap();
    let before = find(
        &reports(&lib, &coherence("live-brand"), Lang::En),
        "million-gmv-event",
    )
    .clone();
    let after = find(&reports(&lib, &own, Lang::En), "million-gmv-event").clone();
    let share = |r: &Report| {
        r.assumptions
            .iter()
            .find(|a| a.id == "paid_traffic_share")
            .cloned()
            .expect("the paid share is listed")
    };
    assert_eq!(share(&before).display, "70%");
    assert_eq!(share(&before).source, "this plan's default");
    assert!(!share(&before).from_profile);
    assert_eq!(share(&after).display, "35%");
    assert_eq!(share(&after).source, "profile");
    let spend = |r: &Report| r.values["ad_spend_needed"].as_f64().unwrap();
    assert!(
        (spend(&after) * 2.0 - spend(&before)).abs() < 0.01,
        "{} {}",
        spend(&before),
        spend(&after)
    );
}

#[test]
fn every_example_document_sets_in_the_bundled_font_without_a_missing_glyph() {
    use playbook_engine::render::{Format, Renderers};
    let lib = library();
    let markdown = MarkdownRenderer::for_library(&lib).unwrap();
    let renderers = Renderers::new(&markdown, md2pdf::PageSize::A4, Vec::new());
    for name in ["jiaoyu-snacks", "laoxiang-foods", "greenleaf-nuts"] {
        for lang in Lang::ALL {
            for report in reports(&lib, &example(name), lang) {
                let out = renderers.render_all(&report, &[Format::Pdf]).unwrap();
                let warnings: Vec<&String> = out.iter().flat_map(|r| &r.warnings).collect();
                assert!(
                    warnings.is_empty(),
                    "{name} {} {}: {warnings:?}",
                    report.playbook,
                    lang.code()
                );
            }
        }
    }
}

/// Every report on one brand with a sessions export quotes one 30-day ROI and one
/// break-even ROI, with the 30-day figures in the profile and without them.
#[test]
fn the_numbers_side_quotes_one_roi_and_one_break_even_across_reports() {
    let dir = tempfile::tempdir().unwrap();
    let with_history = example("greenleaf-nuts");
    let text = std::fs::read_to_string(&with_history).unwrap();
    let start = text.find("\nhistory:").unwrap();
    let end = start + 1 + text[start + 1..].find("\nmarket:").unwrap();
    let without = dir.path().join("greenleaf-sessions-only.yaml");
    std::fs::write(&without, format!("{}{}", &text[..start], &text[end..])).unwrap();
    let export = root().join("examples/sessions/greenleaf-nuts.csv");
    for brand in [with_history, without] {
        let out = playbook(&[
            "run",
            "all",
            "--brand",
            brand.to_str().unwrap(),
            "--sessions",
            export.to_str().unwrap(),
            "--format",
            "json",
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        let reports: Vec<serde_json::Value> = stdout(&out)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let value = |id: &str, key: &str| -> f64 {
            let r = reports.iter().find(|r| r["playbook"] == id).unwrap();
            r["values"][key]
                .as_f64()
                .unwrap_or_else(|| panic!("{id}: no {key} in {}", r["values"]))
        };
        // GMV ¥321,691.5 ÷ ad spend ¥124,108.72 over the export's 20 sessions.
        for (id, key) in [
            ("million-gmv-event", "last_30_day_roi"),
            ("roi-model", "roi_recent"),
            ("session-review", "roi_month"),
        ] {
            assert!((value(id, key) - 2.592014).abs() < 1e-5, "{id} {key}");
        }
        assert!(
            (value("roi-model", "break_even") - value("session-review", "break_even")).abs() < 1e-9
        );
        for r in &reports {
            let needs: Vec<&str> = r["needs"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|n| n.as_str())
                .collect();
            assert!(
                !needs.contains(&"history.sessions") && !needs.contains(&"history.gmv"),
                "{} asks for 30-day figures the sessions give: {needs:?}",
                r["playbook"]
            );
        }
        let readiness = reports
            .iter()
            .find(|r| r["playbook"] == "readiness")
            .unwrap();
        // The scorecard quotes the ROI model's break-even, whatever it comes to.
        let quoted = format!(
            "ROI 2.59 低于保本 ROI {:.2}",
            value("roi-model", "break_even")
        );
        assert!(
            readiness["verdict_why"].as_str().unwrap().contains(&quoted),
            "{}",
            readiness["verdict_why"]
        );
    }
}
