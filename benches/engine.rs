//! Evaluate-and-render speed: `cargo bench --bench engine`.
//!
//! Prints the median time to evaluate each bundled playbook and render it to Markdown for
//! one profile, and for 1,000 different profiles in one process (target: under 2 ms per
//! profile per playbook); then the client deck for one brand, in both layouts, from the
//! profile to the PDF's bytes.

use playbook_engine::commands::Sources;
use playbook_engine::deck::{Layout, Theme};
use playbook_engine::profile::{Count, Profile, Score};
use playbook_engine::render::{MarkdownRenderer, Renderer};
use playbook_engine::report::Lang;
use std::path::Path;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let start = Instant::now();
    let library = Sources::new(
        playbook_engine::library::Bundle {
            playbooks: playbook_bundled::PLAYBOOKS,
            templates: playbook_bundled::TEMPLATES,
        },
        None,
        None,
    )
    .load()
    .expect("bundled playbooks load");
    let markdown = MarkdownRenderer::for_library(&library).expect("templates compile");
    println!(
        "load and compile {} playbooks and templates: {}",
        library.playbooks().len(),
        ms(start.elapsed())
    );

    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let base =
        Profile::load(&root.join("examples/brands/jiaoyu-snacks.yaml")).expect("example loads");

    let run = |profile: &Profile| -> usize {
        let data = library.brand(profile).expect("shared facts evaluate");
        let mut bytes = 0;
        for p in library.playbooks() {
            let report = library.run(p, &data, Lang::Zh).expect("evaluates");
            bytes += markdown.render(&report).expect("renders").bytes.len();
        }
        bytes
    };

    // One profile, many rounds.
    let playbooks = library.playbooks().len() as u32;
    let mut one = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        std::hint::black_box(run(&base));
        one.push(t.elapsed());
    }
    let m = median(one);
    println!(
        "one profile, all {playbooks} playbooks to Markdown: median {} ({} per playbook)",
        ms(m),
        ms(m / playbooks)
    );

    // 1,000 distinct profiles in one process, five rounds.
    let profiles: Vec<Profile> = (0..1000)
        .map(|i| {
            let mut p = base.clone();
            p.brand.name = format!("品牌 {i}");
            if let Some(a) = p.account.as_mut() {
                a.followers = Some(Count(i * 3));
                a.reputation_score = Some(Score(4.0 + (i % 10) as f64 / 10.0));
            }
            p
        })
        .collect();
    let mut rounds = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        for p in &profiles {
            std::hint::black_box(run(p));
        }
        rounds.push(t.elapsed());
    }
    let m = median(rounds);
    println!(
        "1,000 profiles x {playbooks} playbooks to Markdown: median {} per round, {} per profile per playbook",
        ms(m),
        ms(m / (1000 * playbooks))
    );

    // The client deck for one brand: every playbook, the deck's data, its Markdown and
    // the PDF, in each layout.
    for (layout, name, page) in [
        (Layout::Report, "report (A4)", md2pdf::PageSize::A4),
        (Layout::Slides, "slides (16:9)", md2pdf::PageSize::Slide),
    ] {
        let mut times = Vec::new();
        let mut pages = 0;
        for _ in 0..15 {
            let t = Instant::now();
            let deck = playbook_engine::deck::build(
                &library,
                &base,
                Lang::Zh,
                Theme::default(),
                "2026-12-01".into(),
                "given",
            )
            .expect("the deck builds");
            let text = playbook_engine::deck::render_markdown(&markdown, &deck, layout)
                .expect("the deck renders");
            let options = md2pdf::PdfOptions {
                page_size: page,
                ..Default::default()
            };
            let pdf = md2pdf::render(&text, &options).expect("a PDF");
            pages = pdf.pages;
            std::hint::black_box(pdf.bytes.len());
            times.push(t.elapsed());
        }
        println!(
            "client deck, {name}, one brand to PDF: median {} ({pages} pages)",
            ms(median(times))
        );
    }

    // A sessions export of 1,000 sessions (the example's rows, repeated over later days),
    // read from CSV into the profile's records.
    let example = std::fs::read_to_string(root.join("examples/sessions/greenleaf-nuts.csv"))
        .expect("the example export");
    let mut lines = example.lines();
    let header = lines.next().expect("a header row");
    let rows: Vec<&str> = lines.collect();
    let mut csv = format!("{header}\n");
    for i in 0..1000 {
        let row = rows[i % rows.len()];
        // The start is the first cell, `2026/10/03 14:00`: move it i days on.
        let (_, rest) = row.split_once(',').expect("cells");
        let day = playbook_engine::profile::Date::parse("2024-01-01")
            .and_then(|d| d.add_days(i as i64))
            .expect("a date");
        csv.push_str(&format!("{day} 19:00,{rest}\n"));
    }
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("sessions.csv");
    std::fs::write(&file, csv).expect("write the export");
    let mut times = Vec::new();
    for _ in 0..21 {
        let t = Instant::now();
        let imported = playbook_engine::import::read_sessions(&file, None).expect("imports");
        assert_eq!(imported.sessions.len(), 1000);
        std::hint::black_box(imported);
        times.push(t.elapsed());
    }
    println!(
        "sessions export, 1,000 rows from CSV: median {}",
        ms(median(times))
    );

    // The review of those sessions: import, the shared facts, and the three playbooks
    // that read sessions, to Markdown. Once with the sessions a day apart (the last 30
    // days hold 30 of them) and once with all 1,000 inside the last 30 days, the worst
    // case for the period pools.
    let brand =
        Profile::load(&root.join("examples/brands/greenleaf-nuts.yaml")).expect("example loads");
    let review = ["funnel-diagnosis", "roi-model", "session-review"];
    let mut dense = format!("{header}\n");
    for i in 0..1000 {
        let row = rows[i % rows.len()];
        let (_, rest) = row.split_once(',').expect("cells");
        let day = playbook_engine::profile::Date::parse("2026-10-01")
            .and_then(|d| d.add_days((i / 34) as i64))
            .expect("a date");
        csv_row(
            &mut dense,
            &format!("{day} {:02}:{:02}", 6 + (i % 34) / 2, (i % 2) * 30),
            rest,
        );
    }
    let dense_file = dir.path().join("dense.csv");
    std::fs::write(&dense_file, dense).expect("write the export");
    for (name, file) in [("a day apart", &file), ("all in 30 days", &dense_file)] {
        let mut times = Vec::new();
        let mut parts = [Duration::ZERO; 3];
        for _ in 0..21 {
            let t = Instant::now();
            let imported = playbook_engine::import::read_sessions(file, None).expect("imports");
            let mut profile = brand.clone();
            profile.sessions = Some(imported.sessions);
            let t_facts = Instant::now();
            let data = library.brand(&profile).expect("shared facts evaluate");
            let t_run = Instant::now();
            for id in review {
                let p = library.playbook(id).expect("bundled");
                let report = library.run(p, &data, Lang::Zh).expect("evaluates");
                std::hint::black_box(markdown.render(&report).expect("renders"));
            }
            let end = Instant::now();
            parts[0] += t_facts - t;
            parts[1] += t_run - t_facts;
            parts[2] += end - t_run;
            times.push(t.elapsed());
        }
        println!(
            "review of 1,000 sessions ({name}): import, facts, funnel + ROI + review to Markdown: median {} (means: import {}, facts {}, playbooks {})",
            ms(median(times)),
            ms(parts[0] / 21),
            ms(parts[1] / 21),
            ms(parts[2] / 21)
        );
    }
}

fn csv_row(out: &mut String, start: &str, rest: &str) {
    out.push_str(start);
    out.push(',');
    out.push_str(rest);
    out.push('\n');
}
