//! `playbook deck`: the client deck as a consultant hands it over, read back with
//! independent tools (pdftotext, qpdf, mutool, Python's icalendar).

use crate::common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const THEME: &str = "consultancy: 星火直播服务\nconsultant: 张三\nversion: \"2.1\"\nfooter: 仅供客户内部使用\nconfidential: true\n";

/// Writes the deck for `brand` into `out` and returns the brand's folder.
fn deck(brand: &Path, lang: &str, out: &Path, extra: &[&str]) -> PathBuf {
    let mut args = vec![
        "deck",
        "--brand",
        brand.to_str().unwrap(),
        "--lang",
        lang,
        "--date",
        "2026-12-01",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = playbook(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
    out.join(brand.file_stem().unwrap())
}

fn tool(name: &str, args: &[&str]) -> String {
    let o = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} is needed by this test: {e}"));
    assert!(
        o.status.success(),
        "{name} {args:?}: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn every_example_brand_gets_a_complete_deck_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let theme = dir.path().join("theme.yaml");
    std::fs::write(&theme, THEME).unwrap();
    for brand in ["jiaoyu-snacks", "laoxiang-foods", "greenleaf-nuts"] {
        for lang in ["zh", "en"] {
            let out = dir.path().join(format!("{brand}-{lang}"));
            let folder = deck(
                &example(brand),
                lang,
                &out,
                &["--theme", theme.to_str().unwrap()],
            );
            let pdf = folder.join(format!("deck.{lang}.pdf"));
            let md = std::fs::read_to_string(folder.join(format!("deck.{lang}.md"))).unwrap();
            let data = json(&folder.join(format!("deck.{lang}.json")));
            assert!(folder.join(format!("roadmap.{lang}.ics")).is_file());
            tool("qpdf", &["--check", pdf.to_str().unwrap()]);
            tool("mutool", &["info", pdf.to_str().unwrap()]);
            let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
            let squeezed: String = text.split_whitespace().collect();
            // The cover carries the theme's names, the date and the version.
            for name in ["星火直播服务", "张三", "2026-12-01", "2.1"] {
                assert!(
                    squeezed.contains(name),
                    "{brand} {lang}: no {name} on the cover"
                );
            }
            // The summary lists every playbook's verdict, as `run all` gives it.
            let run = playbook(&[
                "run",
                "all",
                "--brand",
                example(brand).to_str().unwrap(),
                "--lang",
                lang,
                "--format",
                "json",
            ]);
            let reports: Vec<Value> = stdout(&run)
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect();
            let bundled = library().playbooks().len();
            assert!(bundled >= 7, "{bundled}");
            assert_eq!(reports.len(), bundled);
            let summary = data["summary"].as_array().unwrap();
            assert_eq!(summary.len(), bundled);
            for r in &reports {
                let row = summary
                    .iter()
                    .find(|s| s["playbook"] == r["playbook"])
                    .unwrap();
                assert_eq!(row["verdict"], r["verdict"], "{brand} {lang}");
                // (A table cell wraps, and pdftotext reads across cells: the Markdown.)
                let label = r["verdict_label"].as_str().unwrap();
                assert!(
                    md.contains(&format!("| **{label}** |")),
                    "{brand} {lang}: no verdict {label}"
                );
                // A playbook that fits has a chapter; one that does not is named once.
                let title = r["title"].as_str().unwrap();
                let chapter = md.lines().any(|l| l == format!("# {title}"));
                assert_eq!(chapter, row["chapter"] == true, "{brand} {lang} {title}");
            }
            // Nothing for the client reads as a field path, an id or a raw value.
            for raw in ["not-applicable", "insufficient-data", "()", "NaN"] {
                assert!(!md.contains(raw), "{brand} {lang}: `{raw}` in the deck");
            }
            for section in [
                "brand", "store", "account", "team", "products", "event", "plan",
            ] {
                let path = md
                    .match_indices(&format!("{section}."))
                    .any(|(i, m)| md[i + m.len()..].starts_with(|c: char| c.is_ascii_lowercase()));
                assert!(
                    !path,
                    "{brand} {lang}: a `{section}.` field path in the deck"
                );
            }
            assert!(md.starts_with("```cover\n"), "{brand} {lang}");
            // The same brand as slides: 16:9 pages that three readers accept.
            let slides = deck(
                &example(brand),
                lang,
                &out,
                &["--theme", theme.to_str().unwrap(), "--layout", "slides"],
            )
            .join(format!("slides.{lang}.pdf"));
            tool("qpdf", &["--check", slides.to_str().unwrap()]);
            tool("mutool", &["info", slides.to_str().unwrap()]);
            let info = tool("pdfinfo", &[slides.to_str().unwrap()]);
            assert!(info.contains("480 x 270 pts"), "{brand} {lang}: {info}");
            let text = tool("pdftotext", &[slides.to_str().unwrap(), "-"]);
            assert!(text
                .split_whitespace()
                .collect::<String>()
                .contains("星火直播服务"));
        }
    }
}

#[test]
fn slides_are_16_9_pages_with_the_cover_and_every_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let theme = dir.path().join("theme.yaml");
    std::fs::write(&theme, THEME).unwrap();
    for lang in ["zh", "en"] {
        let out = dir.path().join(lang);
        let folder = deck(
            &example("jiaoyu-snacks"),
            lang,
            &out,
            &["--layout", "slides", "--theme", theme.to_str().unwrap()],
        );
        let pdf = folder.join(format!("slides.{lang}.pdf"));
        let md = std::fs::read_to_string(folder.join(format!("slides.{lang}.md"))).unwrap();
        assert!(!folder.join(format!("deck.{lang}.pdf")).exists());
        tool("qpdf", &["--check", pdf.to_str().unwrap()]);
        tool("mutool", &["info", pdf.to_str().unwrap()]);
        let info = tool("pdfinfo", &["-f", "1", "-l", "999", pdf.to_str().unwrap()]);
        let sizes: Vec<&str> = info
            .lines()
            .filter(|l| l.starts_with("Page") && l.contains("size:"))
            .collect();
        assert!(sizes.len() > 10, "{info}");
        for line in &sizes {
            assert!(line.contains("480 x 270 pts"), "{line}");
        }
        let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
        let squeezed: String = text.split_whitespace().collect();
        for name in ["星火直播服务", "张三"] {
            assert!(squeezed.contains(name), "{lang}: no {name}");
        }
        let data = json(&folder.join(format!("deck.{lang}.json")));
        for s in data["summary"].as_array().unwrap() {
            let label = s["verdict_label"].as_str().unwrap();
            assert!(md.contains(&format!("| **{label}** |")), "{lang}: {label}");
        }
        // One idea a slide: no slide's body runs past about six lines of list.
        for slide in md.split("```newpage\n```") {
            let bullets = slide
                .lines()
                .filter(|l| {
                    l.starts_with("- ") || l.chars().next().is_some_and(|c| c.is_ascii_digit())
                })
                .count();
            assert!(
                bullets <= 6,
                "{lang}: a slide with {bullets} list lines:\n{slide}"
            );
        }
    }
}

#[test]
fn the_top_actions_are_actions_not_requests_for_data() {
    // GreenLeaf has no event: the event plan's items wait on its length and target.
    let dir = tempfile::tempdir().unwrap();
    let folder = deck(&example("greenleaf-nuts"), "zh", dir.path(), &[]);
    let data = json(&folder.join("deck.zh.json"));
    let actions = data["actions"].as_array().unwrap();
    assert!(actions.len() >= 5, "{actions:?}");
    for a in actions {
        let text = a["action"].as_str().unwrap_or("");
        assert!(
            !text.contains("品牌资料中填写"),
            "a request for data among the actions: {a}"
        );
    }
}

#[test]
fn an_action_several_playbooks_call_for_appears_once_naming_them() {
    let dir = tempfile::tempdir().unwrap();
    let folder = deck(&example("jiaoyu-snacks"), "en", dir.path(), &[]);
    let data = json(&folder.join("deck.en.json"));
    let actions = data["actions"].as_array().unwrap();
    let mut topics: Vec<&str> = actions.iter().filter_map(|a| a["topic"].as_str()).collect();
    let n = topics.len();
    topics.sort();
    topics.dedup();
    assert_eq!(topics.len(), n, "a topic twice: {actions:?}");
    // Live selling is called for by four playbooks, and the ad buyer by four (the
    // cold-start team gate lacks only the ad buyer for this brand).
    for (topic, at_least) in [
        ("live-selling", 4),
        ("ad-buyer", 4),
        ("reputation-score", 3),
    ] {
        let a = actions.iter().find(|a| a["topic"] == topic).unwrap();
        assert!(
            a["playbooks"].as_array().unwrap().len() >= at_least,
            "{topic}: {a}"
        );
    }
    let md = std::fs::read_to_string(folder.join("deck.en.md")).unwrap();
    let top = md.split("\n# Roadmap").next().unwrap();
    // The ad-buyer advice is one numbered action, not one per playbook.
    let numbered: Vec<&str> = top
        .lines()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .filter(|l| l.contains("An ad buyer, or a service provider"))
        .collect();
    assert_eq!(numbered.len(), 1, "{numbered:#?}");
}

#[test]
fn the_calendar_parses_and_its_events_are_the_roadmaps_dates() {
    let dir = tempfile::tempdir().unwrap();
    let brand = fixture("profiles/coherence/live-brand.yaml");
    let folder = deck(&brand, "zh", dir.path(), &[]);
    let data = json(&folder.join("deck.zh.json"));
    let roadmap = data["roadmap"].as_array().unwrap();
    assert!(roadmap.len() >= 10, "{roadmap:?}");
    // The dates the profile gives are on it, whatever the playbooks date.
    for date in ["2027-02-01", "2027-03-08"] {
        assert!(roadmap.iter().any(|r| r["date"] == date), "{date}");
    }
    let ics = folder.join("roadmap.zh.ics");
    let script = "import sys, icalendar\n\
        cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())\n\
        for e in cal.walk('VEVENT'):\n\
        \x20   print(e.decoded('DTSTART').isoformat(), e.decoded('DTEND').isoformat(), str(e['UID']), str(e['SUMMARY']), sep='\\t')\n";
    let out = Command::new("python3")
        .args(["-c", script, ics.to_str().unwrap()])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "Python's icalendar is needed by this test: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let events: Vec<Vec<String>> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect();
    assert_eq!(events.len(), roadmap.len());
    for (e, r) in events.iter().zip(roadmap) {
        assert_eq!(e[0], r["date"].as_str().unwrap());
        assert_eq!(e[3], r["title"].as_str().unwrap());
    }
    let mut uids: Vec<&String> = events.iter().map(|e| &e[2]).collect();
    uids.sort();
    uids.dedup();
    assert_eq!(uids.len(), events.len(), "every event its own id");
    // The PDF's roadmap shows the same steps.
    let text = tool(
        "pdftotext",
        &[folder.join("deck.zh.pdf").to_str().unwrap(), "-"],
    );
    let first = roadmap[0]["date"].as_str().unwrap();
    assert!(text.contains(first), "{first}");
}

#[test]
fn the_same_inputs_and_date_give_byte_identical_files() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let brand = fixture("profiles/coherence/live-brand.yaml");
    let theme = fixture("themes/consultancy.yaml");
    let theme = ["--theme", theme.to_str().unwrap()];
    let fa = deck(&brand, "en", a.path(), &theme);
    let fb = deck(&brand, "en", b.path(), &theme);
    for name in [
        "deck.en.md",
        "deck.en.pdf",
        "deck.en.json",
        "roadmap.en.ics",
    ] {
        assert_eq!(
            std::fs::read(fa.join(name)).unwrap(),
            std::fs::read(fb.join(name)).unwrap(),
            "{name} differs"
        );
    }
}

#[test]
fn a_themes_colours_paint_the_headings_and_the_cover() {
    let dir = tempfile::tempdir().unwrap();
    let theme = dir.path().join("theme.yaml");
    std::fs::write(&theme, "primary: \"#336699\"\naccent: \"#CC0000\"\n").unwrap();
    let plain = deck(&example("jiaoyu-snacks"), "zh", &dir.path().join("a"), &[]);
    let themed = deck(
        &example("jiaoyu-snacks"),
        "zh",
        &dir.path().join("b"),
        &["--theme", theme.to_str().unwrap()],
    );
    // Uncompressed, the page streams name their fill colours.
    let colours = |folder: &Path| {
        let qdf = dir.path().join("x.qdf");
        Command::new("qpdf")
            .args(["--qdf", "--object-streams=disable"])
            .arg(folder.join("deck.zh.pdf"))
            .arg(&qdf)
            .status()
            .unwrap();
        String::from_utf8_lossy(&std::fs::read(&qdf).unwrap()).into_owned()
    };
    let (before, after) = (colours(&plain), colours(&themed));
    // #336699 is 0.2 0.4 0.6; the default heading blue is 0.08 0.2 0.36.
    assert!(
        after.contains("0.2 0.4 0.6 rg"),
        "the theme's primary colour is not used"
    );
    assert!(!before.contains("0.2 0.4 0.6 rg"));
    assert!(before.contains("0.08 0.2 0.36 rg") && !after.contains("0.08 0.2 0.36 rg"));
    assert!(
        after.contains("0.8 0 0 rg") || after.contains("0.8 0 0 RG"),
        "accent"
    );
}

#[test]
fn a_themes_logo_is_embedded_once_and_drawn_on_every_page() {
    let dir = tempfile::tempdir().unwrap();
    for logo in ["logo.png", "logo.jpg"] {
        let theme = dir.path().join("theme.yaml");
        std::fs::copy(fixture(&format!("themes/{logo}")), dir.path().join(logo)).unwrap();
        std::fs::write(&theme, format!("consultancy: 星火\nlogo: {logo}\n")).unwrap();
        for layout in ["report", "slides"] {
            let out = dir.path().join(format!("{logo}-{layout}"));
            let folder = deck(
                &example("greenleaf-nuts"),
                "en",
                &out,
                &["--theme", theme.to_str().unwrap(), "--layout", layout],
            );
            let name = if layout == "report" { "deck" } else { "slides" };
            let pdf = folder.join(format!("{name}.en.pdf"));
            tool("qpdf", &["--check", pdf.to_str().unwrap()]);
            let list = tool("pdfimages", &["-list", pdf.to_str().unwrap()]);
            let rows: Vec<Vec<&str>> = list
                .lines()
                .skip(2)
                .map(|l| l.split_whitespace().collect())
                .filter(|r: &Vec<&str>| r.get(2) == Some(&"image"))
                .collect();
            let pages = tool("pdfinfo", &[pdf.to_str().unwrap()])
                .lines()
                .find_map(|l| {
                    l.strip_prefix("Pages:")
                        .map(|n| n.trim().parse::<usize>().unwrap())
                })
                .unwrap();
            // Drawn on every page (the cover, then each running header), one object.
            assert_eq!(rows.len(), pages, "{logo} {layout}: {list}");
            let mut objects: Vec<&str> = rows.iter().map(|r| r[10]).collect();
            objects.dedup();
            assert_eq!(
                objects.len(),
                1,
                "{logo} {layout}: embedded more than once: {list}"
            );
            assert_eq!((rows[0][3], rows[0][4]), ("240", "80"));
        }
    }
}

#[test]
fn a_bad_theme_or_date_is_named_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let brand = example("jiaoyu-snacks");
    let theme = dir.path().join("theme.yaml");
    for (text, place, words) in [
        (
            "consultancy: 星火\nconsultnt: 张三\n",
            ":2:1",
            "did you mean `consultant`",
        ),
        ("consultancy: \"a\\nb\"\n", ":1:15", "one line of text"),
        ("confidential: maybe\n", ":1:15", "confidential"),
        ("primary: \"#12345\"\n", ":1:11", "#RRGGBB"),
        ("logo: nowhere.png\n", ":1:7", "cannot be read"),
        ("logo: theme.yaml\n", ":1:7", "not a PNG or JPEG"),
    ] {
        std::fs::write(&theme, text).unwrap();
        let out = dir.path().join("out");
        let o = playbook(&[
            "deck",
            "--brand",
            brand.to_str().unwrap(),
            "--theme",
            theme.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(1), "{text}");
        let err = stderr(&o);
        assert!(err.contains(&format!("theme.yaml{place}")), "{text}: {err}");
        assert!(err.contains(words), "{text}: {err}");
        assert!(!out.exists(), "{text}: something was written");
    }
    let o = playbook(&[
        "deck",
        "--brand",
        brand.to_str().unwrap(),
        "--date",
        "2026-02-30",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("YYYY-MM-DD"), "{}", stderr(&o));
}
