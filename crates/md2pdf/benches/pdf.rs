//! `cargo bench --bench pdf`: renders the sample reports N times and prints the median
//! time, the peak memory of the process and the file sizes. Writes the PDFs to
//! the workspace's `output/` for inspection.

use std::time::Instant;

use md2pdf::{render, PdfOptions};

const RUNS: usize = 30;

fn peak_memory_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let zh = include_str!("../tests/fixtures/sample-zh.md");
    let en = include_str!("../tests/fixtures/sample-en.md");
    // A ten-page report: the Chinese sample three times over.
    let long = [zh, zh, zh].join("\n\n---\n\n");
    let samples = [
        ("sample-zh", zh, "zh-CN"),
        ("sample-en", en, "en"),
        ("report-10p", long.as_str(), "zh-CN"),
    ];
    // `--once NAME` renders one sample once and prints nothing else: for
    // `valgrind --tool=callgrind`, which counts instructions rather than time.
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--once") {
        let name = args.get(i + 1).map(String::as_str).unwrap_or("report-10p");
        let (_, markdown, language) = samples
            .iter()
            .find(|s| s.0 == name)
            .unwrap_or_else(|| panic!("no sample named {name}"));
        let options = PdfOptions {
            title: "直播带货策略报告".into(),
            header: "花漾美妆".into(),
            language: (*language).into(),
            date: Some("2024-06-01".into()),
            ..PdfOptions::default()
        };
        let pdf = render(markdown, &options).expect("sample renders");
        println!("{name}: {} pages, {} bytes", pdf.pages, pdf.bytes.len());
        return;
    }
    // The first render parses the bundled fonts; report it separately.
    let start = Instant::now();
    let _ = render("warm-up 预热", &PdfOptions::default());
    println!(
        "font parse + first render: {:.1} ms",
        start.elapsed().as_secs_f64() * 1e3
    );
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../output");
    std::fs::create_dir_all(&out).ok();
    for (name, markdown, language) in samples {
        let options = PdfOptions {
            title: "直播带货策略报告".into(),
            header: "花漾美妆".into(),
            language: language.into(),
            date: Some("2024-06-01".into()),
            ..PdfOptions::default()
        };
        let mut times = Vec::with_capacity(RUNS);
        let mut last = None;
        for _ in 0..RUNS {
            let start = Instant::now();
            let pdf = render(markdown, &options).expect("sample renders");
            times.push(start.elapsed().as_secs_f64() * 1e3);
            last = Some(pdf);
        }
        times.sort_by(f64::total_cmp);
        let pdf = last.expect("at least one run");
        std::fs::write(out.join(format!("{name}.pdf")), &pdf.bytes).ok();
        println!(
            "{name}: {} pages, {:.1} KB, median {:.2} ms (min {:.2}, max {:.2}) over {RUNS} runs",
            pdf.pages,
            pdf.bytes.len() as f64 / 1024.0,
            times[RUNS / 2],
            times[0],
            times[RUNS - 1],
        );
        for w in &pdf.warnings {
            println!("  warning: {w}");
        }
    }
    if let Some(kb) = peak_memory_kb() {
        println!("peak memory (VmHWM): {:.1} MB", kb as f64 / 1024.0);
    }
}
