//! `playbook deck`: the one document a consultant hands a client brand. Every playbook
//! runs on the brand; the deck gathers them into a cover, a one-page summary (each
//! playbook's verdict, the key figures, the readiness chart), the top actions with one
//! entry per topic however many playbooks call for it, one dated roadmap (a timeline in
//! the PDF and an `.ics` calendar), a chapter per playbook that fits the brand, and an
//! appendix with the assumptions, the working of every figure and the profile data used.

use crate::commands::{Outputs, Sources};
use crate::error::{Error, Location, Result};
use crate::library::Library;
use crate::playbook::source::SourceMap;
use crate::profile::{Date, Profile};
use crate::render::MarkdownRenderer;
use crate::report::{Lang, Report, Scorecard, Status, INSUFFICIENT_DATA, NOT_APPLICABLE};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The templates the deck renders with, as a report and as slides.
pub const TEMPLATE: &str = "deck.md";
pub const SLIDES_TEMPLATE: &str = "slides.md";

/// How the deck is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// A4 (or letter) portrait, every chapter in full: `deck.<lang>.pdf`.
    #[default]
    Report,
    /// 16:9 slides, one idea each: `slides.<lang>.pdf`.
    Slides,
}

impl Layout {
    fn template(self) -> &'static str {
        match self {
            Layout::Report => TEMPLATE,
            Layout::Slides => SLIDES_TEMPLATE,
        }
    }

    /// The name of its PDF and Markdown files.
    fn stem(self) -> &'static str {
        match self {
            Layout::Report => "deck",
            Layout::Slides => "slides",
        }
    }
}
/// How many deduplicated actions the summary lists; the rest stay in the chapters.
pub const TOP_ACTIONS: usize = 10;

/// What `playbook deck` was asked.
#[derive(Debug, Clone)]
pub struct DeckRequest {
    pub brand: PathBuf,
    pub sessions: crate::commands::SessionsSource,
    pub lang: Lang,
    pub layout: Layout,
    pub theme: Option<PathBuf>,
    /// The deck's date, `YYYY-MM-DD`; else the plan's start, else today.
    pub date: Option<String>,
    pub outputs: Outputs,
    pub sources: Sources,
}

/// A consultancy's look and names for its decks (a YAML file; `docs/deck.md`).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    /// The consultancy's name, on the cover and in the running footer.
    #[serde(default)]
    pub consultancy: Option<String>,
    /// The consultant's name, on the cover.
    #[serde(default)]
    pub consultant: Option<String>,
    /// The deck's version, on the cover (default 1).
    #[serde(default)]
    pub version: Option<String>,
    /// Text at the foot of every page after the cover.
    #[serde(default)]
    pub footer: Option<String>,
    /// Marks the cover "confidential".
    #[serde(default)]
    pub confidential: bool,
    /// The colour of headings, table heads and the cover's band, `#RRGGBB`.
    #[serde(default)]
    pub primary: Option<String>,
    /// The colour of heading rules, list markers and marks, `#RRGGBB`.
    #[serde(default)]
    pub accent: Option<String>,
    /// A logo, PNG or JPEG, relative to the theme file: on the cover and in every page's
    /// running header.
    #[serde(default)]
    pub logo: Option<PathBuf>,
    /// The logo's bytes, read and checked when the theme loads.
    #[serde(skip)]
    pub logo_bytes: Option<Vec<u8>>,
}

/// The largest logo a theme may name.
const MAX_LOGO_BYTES: u64 = 4 * 1024 * 1024;

/// `#RRGGBB` as RGB from 0 to 1.
fn rgb(hex: &str) -> Option<[f32; 3]> {
    let digits = hex.strip_prefix('#')?;
    if digits.len() != 6 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let part = |i: usize| {
        u8::from_str_radix(&digits[i..i + 2], 16)
            .ok()
            .map(|v| f32::from(v) / 255.0)
    };
    Some([part(0)?, part(2)?, part(4)?])
}

/// The longest name or footer a theme may give.
const MAX_THEME_TEXT: usize = 200;

impl Theme {
    /// Reads and checks a theme file; errors name its line and column.
    pub fn load(path: &Path) -> Result<Theme> {
        let bytes =
            crate::profile::read_capped(path, 64 * 1024)?.ok_or_else(|| Error::Profile {
                location: Location::file(path),
                message: "larger than 64 KB; a theme is a few lines".into(),
            })?;
        let text = String::from_utf8(bytes).map_err(|_| Error::Profile {
            location: Location::file(path),
            message: "not UTF-8 text".into(),
        })?;
        let theme: Theme = if text.trim().is_empty() {
            Theme::default()
        } else {
            yaml_serde::from_str(&text).map_err(|e| crate::profile::yaml_error(path, &e))?
        };
        let map = SourceMap::build(&text);
        for (key, value) in [
            ("consultancy", &theme.consultancy),
            ("consultant", &theme.consultant),
            ("version", &theme.version),
            ("footer", &theme.footer),
        ] {
            let Some(value) = value else { continue };
            let bad = value.chars().count() > MAX_THEME_TEXT
                || value.chars().any(char::is_control)
                || value.trim().is_empty();
            if bad {
                let location = match map.get(key) {
                    Some(span) => Location::at(path, span.line, span.column),
                    None => Location::file(path),
                };
                return Err(Error::Profile {
                    location,
                    message: format!(
                        "`{key}` is one line of text, 1 to {MAX_THEME_TEXT} characters"
                    ),
                });
            }
        }
        for (key, value) in [("primary", &theme.primary), ("accent", &theme.accent)] {
            if value.as_deref().is_some_and(|v| rgb(v).is_none()) {
                let location = match map.get(key) {
                    Some(span) => Location::at(path, span.line, span.column),
                    None => Location::file(path),
                };
                return Err(Error::Profile {
                    location,
                    message: format!("`{key}` is a colour written #RRGGBB, e.g. \"#1F3A5F\""),
                });
            }
        }
        let mut theme = theme;
        if let Some(logo) = &theme.logo {
            let location = match map.get("logo") {
                Some(span) => Location::at(path, span.line, span.column),
                None => Location::file(path),
            };
            let file = path.parent().unwrap_or(Path::new(".")).join(logo);
            let fail = |message: String| Error::Profile {
                location: location.clone(),
                message,
            };
            let bytes = match crate::profile::read_capped(&file, MAX_LOGO_BYTES) {
                Ok(Some(bytes)) => bytes,
                Ok(None) => {
                    return Err(fail(format!(
                        "the logo {} is larger than {} MB",
                        file.display(),
                        MAX_LOGO_BYTES / (1024 * 1024)
                    )))
                }
                Err(e) => return Err(fail(format!("the logo cannot be read: {e}"))),
            };
            if let Err(e) = md2pdf::logo_size(&bytes) {
                return Err(fail(format!("{}: {e}", file.display())));
            }
            theme.logo_bytes = Some(bytes);
        }
        Ok(theme)
    }
}

/// The deck as data: what its Markdown, PDF and JSON show.
#[derive(Debug, Clone, Serialize)]
pub struct Deck {
    pub brand: String,
    pub lang: Lang,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Where the date came from: `given` (`--date`), `plan` (the plan's start) or
    /// `today`.
    pub date_source: &'static str,
    pub theme: Theme,
    /// Every playbook's verdict, in the deck's order.
    pub summary: Vec<SummaryRow>,
    /// How many playbooks do not fit the brand's stage, and how many lack the data to
    /// judge.
    pub left_out: usize,
    pub to_collect: usize,
    pub key_figures: Vec<DeckFigure>,
    /// The readiness scorecard, when a playbook scores the brand.
    pub scorecard: Option<Scorecard>,
    pub actions: Vec<DeckAction>,
    /// Open actions beyond the top ones (they are in the chapters).
    pub more_actions: usize,
    pub roadmap: Vec<RoadmapEntry>,
    /// How many of its entries are the playbooks' dated steps (the rest are the dates the
    /// profile gives).
    pub roadmap_steps: usize,
    /// Why the roadmap is empty, when it is: the fields that would date it.
    pub roadmap_needs: Vec<String>,
    pub assumptions: Vec<DeckAssumption>,
    pub platform_rules: Vec<DeckAssumption>,
    pub figures: Vec<DeckFigure>,
    /// The profile data the playbooks read, in the reader's words.
    pub profile: Vec<ProfileRow>,
    pub product_columns: Vec<String>,
    pub products: Vec<Vec<String>>,
    /// Every report in full, for tools.
    pub reports: Vec<Report>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SummaryRow {
    pub playbook: String,
    pub title: String,
    pub verdict: String,
    pub verdict_label: String,
    pub verdict_why: Option<String>,
    /// It fits the brand and has a chapter.
    pub chapter: bool,
    /// `not-applicable`: the playbook to read instead.
    pub read_instead: Option<String>,
    /// `insufficient-data`: what to collect.
    pub to_collect: Vec<String>,
}

/// One action, however many playbooks call for it.
#[derive(Debug, Clone, Serialize)]
pub struct DeckAction {
    pub title: String,
    pub action: Option<String>,
    pub owner: Option<String>,
    pub due: Option<String>,
    pub status: Status,
    pub topic: Option<String>,
    /// The playbooks that call for it, by title, the one whose words are used first.
    pub playbooks: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoadmapEntry {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub title: String,
    pub playbook: String,
    pub owner: Option<String>,
    pub status: Status,
    /// For the calendar: the playbook's id and the item's.
    pub playbook_id: String,
    pub item: String,
    pub action: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeckAssumption {
    pub label: String,
    pub display: String,
    pub source: String,
    pub why: Option<String>,
    pub playbooks: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeckFigure {
    pub playbook: String,
    pub label: String,
    pub display: String,
    pub working: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProfileRow {
    pub label: String,
    pub value: String,
}

/// `playbook deck`: evaluates every playbook, builds the deck, renders it, and writes
/// its Markdown, PDF, JSON and calendar together or not at all.
pub fn deck(request: &DeckRequest) -> Result<()> {
    let library = request.sources.load()?;
    let profile = request.sessions.profile(&request.brand)?;
    let theme = match &request.theme {
        Some(path) => Theme::load(path)?,
        None => Theme::default(),
    };
    let (date, date_source) = deck_date(request.date.as_deref(), &profile)?;
    let deck = build(&library, &profile, request.lang, theme, date, date_source)?;
    let markdown = MarkdownRenderer::for_library(&library)?;
    let text = render_markdown(&markdown, &deck, request.layout)?;
    let deck_title = title(&markdown, request.lang);
    for font in &request.outputs.fonts {
        if !font.is_file() {
            return Err(Error::io(
                font,
                std::io::Error::new(std::io::ErrorKind::NotFound, "font file not found"),
            ));
        }
    }
    let options = md2pdf::PdfOptions {
        page_size: match request.layout {
            Layout::Report => request.outputs.page_size,
            Layout::Slides => md2pdf::PageSize::Slide,
        },
        title: deck_title.clone(),
        header: deck.brand.clone(),
        subject: format!("{} · {deck_title}", deck.brand),
        author: deck
            .theme
            .consultant
            .clone()
            .or_else(|| deck.theme.consultancy.clone())
            .unwrap_or_else(|| "playbook".into()),
        language: match request.lang {
            Lang::Zh => "zh-CN".into(),
            Lang::En => "en".into(),
        },
        date: Some(deck.date.clone()),
        fallback_fonts: request.outputs.fonts.clone(),
        primary: deck.theme.primary.as_deref().and_then(rgb),
        accent: deck.theme.accent.as_deref().and_then(rgb),
        logo: deck.theme.logo_bytes.clone(),
    };
    let pdf = md2pdf::render(&text, &options).map_err(|e| Error::Pdf(e.to_string()))?;
    let json = serde_json::to_vec_pretty(&deck).map_err(|e| Error::Usage(e.to_string()))?;
    let folder = request.outputs.folder(&request.brand);
    let code = request.lang.code();
    let stem = request.layout.stem();
    let files = vec![
        (folder.join(format!("{stem}.{code}.md")), text.into_bytes()),
        (folder.join(format!("{stem}.{code}.pdf")), pdf.bytes),
        (folder.join(format!("deck.{code}.json")), json),
        (
            folder.join(format!("roadmap.{code}.ics")),
            calendar(&deck, &deck_title).into_bytes(),
        ),
    ];
    let mut stderr = std::io::stderr().lock();
    for w in &pdf.warnings {
        let _ = writeln!(stderr, "warning: deck: {w}");
    }
    crate::output::write_all(&files)?;
    for (path, _) in &files {
        let _ = writeln!(stderr, "wrote {}", path.display());
    }
    Ok(())
}

/// The deck's title in a language, from the templates' words (`deck.title` in
/// `labels.yaml`), so a consultancy's templates can name it their way.
pub fn title(markdown: &MarkdownRenderer, lang: Lang) -> String {
    markdown.labels(lang)["deck"]["title"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// The deck's date: `--date`, else the plan's start, else today (UTC).
fn deck_date(given: Option<&str>, profile: &Profile) -> Result<(String, &'static str)> {
    if let Some(text) = given {
        return match Date::parse(text) {
            Some(d) => Ok((d.to_string(), "given")),
            None => Err(Error::Usage(format!(
                "--date `{text}` is not a date written YYYY-MM-DD"
            ))),
        };
    }
    if let Some(start) = profile.plan.as_ref().and_then(|p| p.start_date) {
        return Ok((start.to_string(), "plan"));
    }
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or(0);
    Ok((Date::from_days(days as i64).to_string(), "today"))
}

/// The deck's data, from every playbook run on the brand.
pub fn build(
    library: &Library,
    profile: &Profile,
    lang: Lang,
    theme: Theme,
    date: String,
    date_source: &'static str,
) -> Result<Deck> {
    let data = library.brand(profile)?;
    let mut playbooks: Vec<&crate::playbook::Playbook> = library.playbooks().iter().collect();
    playbooks.sort_by_key(|p| (p.order, p.id.clone()));
    let reports: Vec<Report> = playbooks
        .iter()
        .map(|p| library.run(p, &data, lang))
        .collect::<Result<_>>()?;
    let summary: Vec<SummaryRow> = reports
        .iter()
        .map(|r| SummaryRow {
            playbook: r.playbook.clone(),
            title: r.title.clone(),
            verdict: r.verdict.clone(),
            verdict_label: r.verdict_label.clone(),
            verdict_why: r.verdict_why.clone(),
            chapter: fits(r),
            read_instead: r.read_instead.as_ref().map(|p| p.title.clone()),
            to_collect: if r.verdict == INSUFFICIENT_DATA {
                r.needs_text.clone()
            } else {
                Vec::new()
            },
        })
        .collect();
    // A figure the profile cannot give yet is no figure for a summary.
    // A figure two playbooks both quote (the break-even ROI) is one row, under the first.
    let mut seen = std::collections::HashSet::new();
    let key_figures: Vec<DeckFigure> = figures_of(&reports, |f| f.key && f.display != "—")
        .into_iter()
        .filter(|f| seen.insert((f.label.clone(), f.display.clone())))
        .collect();
    let scorecard = reports
        .iter()
        .filter(|r| fits(r))
        .find_map(|r| r.scorecard.clone());
    let (actions, more_actions) = actions(&reports);
    let mut roadmap = roadmap(&reports);
    let roadmap_steps = roadmap.len();
    profile_dates(&mut roadmap, profile, library, lang);
    // With no dated step, the dates steps are planned from that the profile lacks.
    let roadmap_needs = if roadmap_steps == 0 {
        let glossary = &library.shared().glossary;
        ["plan.start_date", "event.date"]
            .iter()
            .filter(|f| !data.has(f))
            .map(|f| glossary.field(f, None, lang))
            .collect()
    } else {
        Vec::new()
    };
    let (assumptions, platform_rules) = assumptions(&reports);
    let figures = figures_of(&reports, |_| true);
    let (profile_rows, product_columns, products) = profile_data(profile, library, lang);
    let count = |v: &str| summary.iter().filter(|s| s.verdict == v).count();
    let (left_out, to_collect) = (count(NOT_APPLICABLE), count(INSUFFICIENT_DATA));
    Ok(Deck {
        brand: profile.brand.name.clone(),
        lang,
        date,
        date_source,
        theme,
        summary,
        left_out,
        to_collect,
        key_figures,
        scorecard,
        actions,
        more_actions,
        roadmap,
        roadmap_steps,
        roadmap_needs,
        assumptions,
        platform_rules,
        figures,
        profile: profile_rows,
        product_columns,
        products,
        reports,
    })
}

/// Whether a report has a chapter in the deck: its playbook fits the brand and had the
/// data to judge.
fn fits(report: &Report) -> bool {
    report.verdict != NOT_APPLICABLE && report.verdict != INSUFFICIENT_DATA
}

/// The figures `keep` picks from the reports that fit, each with its playbook's title.
fn figures_of(
    reports: &[Report],
    keep: impl Fn(&crate::report::Figure) -> bool,
) -> Vec<DeckFigure> {
    reports
        .iter()
        .filter(|r| fits(r))
        .flat_map(|r| {
            r.figures.iter().filter(|f| keep(f)).map(|f| DeckFigure {
                playbook: r.title.clone(),
                label: f.label.clone(),
                display: f.display.clone(),
                working: f.working.clone(),
            })
        })
        .collect()
}

/// The open actions of every playbook that fits (not those waiting only on data the profile
/// lacks), one per topic: blocked ones first, then
/// those more playbooks call for, then by priority and the deck's order. Returns the top
/// ones and how many more there are.
fn actions(reports: &[Report]) -> (Vec<DeckAction>, usize) {
    struct Found<'a> {
        item: &'a crate::report::Item,
        order: usize,
        playbooks: Vec<String>,
    }
    let mut found: Vec<Found> = Vec::new();
    for (order, report) in reports.iter().enumerate() {
        if !fits(report) {
            continue;
        }
        // An item open only because the profile lacks its data asks for the data, not
        // for an action: the chapters list it, the top actions do not.
        for item in report.ranked_actions().filter(|i| i.missing.is_empty()) {
            let same = item
                .topic
                .as_ref()
                .and_then(|t| found.iter_mut().find(|f| f.item.topic.as_ref() == Some(t)));
            match same {
                Some(f) => {
                    if !f.playbooks.contains(&report.title) {
                        f.playbooks.push(report.title.clone());
                    }
                    // The more pressing wording wins: a blocker's over a step's.
                    let rank = |i: &crate::report::Item| (i.status != Status::Blocked, i.priority);
                    if rank(item) < rank(f.item) {
                        f.item = item;
                        let title = report.title.clone();
                        f.playbooks.retain(|p| *p != title);
                        f.playbooks.insert(0, title);
                    }
                }
                None => found.push(Found {
                    item,
                    order,
                    playbooks: vec![report.title.clone()],
                }),
            }
        }
    }
    found.sort_by_key(|f| {
        (
            f.item.status != Status::Blocked,
            std::cmp::Reverse(f.playbooks.len()),
            f.item.priority.unwrap_or(i64::MAX),
            f.order,
        )
    });
    let total = found.len();
    let top = found
        .into_iter()
        .take(TOP_ACTIONS)
        .map(|f| DeckAction {
            title: f.item.title.clone(),
            action: f.item.action.clone(),
            owner: f.item.owner.clone(),
            due: f.item.due.clone(),
            status: f.item.status,
            topic: f.item.topic.clone(),
            playbooks: f.playbooks,
        })
        .collect::<Vec<_>>();
    let more = total - top.len();
    (top, more)
}

/// Every dated item of the playbooks that fit, by date, then in the deck's order.
fn roadmap(reports: &[Report]) -> Vec<RoadmapEntry> {
    let mut entries: Vec<(i64, usize, RoadmapEntry)> = Vec::new();
    for (order, report) in reports.iter().enumerate() {
        if !fits(report) {
            continue;
        }
        for item in &report.items {
            let Some(date) = item.due.as_deref().and_then(Date::parse) else {
                continue;
            };
            entries.push((
                date.to_days(),
                order,
                RoadmapEntry {
                    date: date.to_string(),
                    title: item.title.clone(),
                    playbook: report.title.clone(),
                    owner: item.owner.clone(),
                    status: item.status,
                    playbook_id: report.playbook.clone(),
                    item: item.id.clone(),
                    action: item.action.clone(),
                },
            ));
        }
    }
    entries.sort_by_key(|(day, order, _)| (*day, *order));
    entries.into_iter().map(|(.., e)| e).collect()
}

/// The dates the profile itself gives (the plan's start, the event day), as milestones of
/// the roadmap, so it shows them even before a playbook dates a step.
fn profile_dates(
    roadmap: &mut Vec<RoadmapEntry>,
    profile: &Profile,
    library: &Library,
    lang: Lang,
) {
    let glossary = &library.shared().glossary;
    let given = [
        (
            "plan.start_date",
            profile.plan.as_ref().and_then(|p| p.start_date),
        ),
        ("event.date", profile.event.as_ref().and_then(|e| e.date)),
    ];
    let group = match lang {
        Lang::Zh => "品牌资料中的日期",
        Lang::En => "Dates in the profile",
    };
    for (field, date) in given {
        let Some(date) = date else { continue };
        let label = glossary.field(field, None, lang);
        let label = match lang {
            Lang::Zh => label.trim_end_matches('期').to_string(),
            Lang::En => {
                let l = label.strip_prefix("the ").unwrap_or(&label);
                let mut c = l.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default()
            }
        };
        roadmap.push(RoadmapEntry {
            date: date.to_string(),
            title: label,
            playbook: group.to_string(),
            owner: None,
            status: Status::Info,
            playbook_id: String::new(),
            item: field.to_string(),
            action: None,
        });
    }
    roadmap.sort_by_key(|e| {
        (
            Date::parse(&e.date).map(Date::to_days).unwrap_or(0),
            !e.playbook_id.is_empty(),
        )
    });
}

/// The assumptions and platform rules the reports used, each once, with the playbooks
/// that use it.
fn assumptions(reports: &[Report]) -> (Vec<DeckAssumption>, Vec<DeckAssumption>) {
    let mut general: Vec<(String, DeckAssumption)> = Vec::new();
    let mut platform: Vec<(String, DeckAssumption)> = Vec::new();
    for report in reports {
        if report.verdict == NOT_APPLICABLE {
            continue;
        }
        for (list, used) in [
            (&mut general, &report.assumptions),
            (&mut platform, &report.platform_rules),
        ] {
            for a in used {
                match list.iter_mut().find(|(id, _)| *id == a.id) {
                    Some((_, d)) => d.playbooks.push(report.title.clone()),
                    None => list.push((
                        a.id.clone(),
                        DeckAssumption {
                            label: a.label.clone(),
                            display: a.display.clone(),
                            source: a.source.clone(),
                            why: a.why.clone(),
                            playbooks: vec![report.title.clone()],
                        },
                    )),
                }
            }
        }
    }
    (
        general.into_iter().map(|(_, a)| a).collect(),
        platform.into_iter().map(|(_, a)| a).collect(),
    )
}

/// The profile as a reader reads it: each field given, by its label, with its value in
/// the reader's words; the products as a table.
fn profile_data(
    profile: &Profile,
    library: &Library,
    lang: Lang,
) -> (Vec<ProfileRow>, Vec<String>, Vec<Vec<String>>) {
    let glossary = &library.shared().glossary;
    let json = serde_json::to_value(profile).unwrap_or_default();
    let mut rows = Vec::new();
    let number = |path: &str, n: &serde_json::Number| -> String {
        let d = match n.as_i64() {
            Some(i) => rhai::Dynamic::from_int(i),
            None => rhai::Dynamic::from_float(n.as_f64().unwrap_or(0.0)),
        };
        let shown =
            crate::playbook::text::format_value(&d, glossary.formats.get(path).copied(), lang);
        match glossary.units.get(path) {
            Some(unit) if lang == Lang::Zh => format!("{shown} {}", unit.zh),
            Some(unit) => format!("{shown} {}", unit.en),
            None => shown,
        }
    };
    let value_text = |path: &str, v: &serde_json::Value| -> Option<String> {
        use serde_json::Value as J;
        Some(match v {
            J::Null => return None,
            J::Bool(b) => match (lang, b) {
                (Lang::Zh, true) => "是".into(),
                (Lang::Zh, false) => "否".into(),
                (Lang::En, true) => "yes".into(),
                (Lang::En, false) => "no".into(),
            },
            J::Number(n) => number(path, n),
            J::String(s) => glossary.value(path, s, lang),
            J::Array(items) => {
                let parts: Vec<String> = items
                    .iter()
                    .filter_map(|i| match i {
                        J::String(s) => Some(glossary.value(path, s, lang)),
                        J::Number(n) => Some(number(path, n)),
                        _ => None,
                    })
                    .collect();
                if parts.is_empty() {
                    return None;
                }
                crate::playbook::text::join_list(&parts, lang)
            }
            J::Object(_) => return None,
        })
    };
    // A label as a table's row or column name: "the follower count" is "Follower count".
    let heading = |label: String| -> String {
        if lang == Lang::Zh {
            return label;
        }
        let label = label.strip_prefix("the ").unwrap_or(&label).to_string();
        let mut chars = label.chars();
        match chars.next() {
            Some(c) => c.to_uppercase().chain(chars).collect(),
            None => label,
        }
    };
    if let serde_json::Value::Object(sections) = &json {
        for (name, section) in sections {
            if matches!(name.as_str(), "products" | "profile_version") {
                continue;
            }
            let serde_json::Value::Object(fields) = section else {
                continue;
            };
            for (field, v) in fields {
                let path = format!("{name}.{field}");
                if let Some(value) = value_text(&path, v) {
                    rows.push(ProfileRow {
                        label: heading(glossary.field(&path, None, lang)),
                        value,
                    });
                }
            }
        }
    }
    let columns = [
        "name",
        "role",
        "price",
        "event_price",
        "unit_cost",
        "stock",
        "gmv_share",
    ];
    let products: Vec<Vec<String>> = json
        .get("products")
        .and_then(|p| p.as_array())
        .map(|list| {
            list.iter()
                .map(|p| {
                    columns
                        .iter()
                        .map(|c| {
                            let path = format!("products.{c}");
                            p.get(*c)
                                .and_then(|v| value_text(&path, v))
                                .unwrap_or_else(|| "—".into())
                        })
                        .collect()
                })
                .collect()
        })
        .unwrap_or_default();
    let headers = columns
        .iter()
        .map(|c| {
            glossary
                .fields
                .get(&format!("products.{c}"))
                .map(|t| {
                    if lang == Lang::Zh {
                        t.zh.clone()
                    } else {
                        t.en.clone()
                    }
                })
                .unwrap_or_else(|| c.replace('_', " "))
        })
        .collect();
    (rows, headers, products)
}

/// The deck's Markdown in a layout: its template, with each fitting playbook's report as
/// a chapter (the slides draw on the reports' data instead).
pub fn render_markdown(markdown: &MarkdownRenderer, deck: &Deck, layout: Layout) -> Result<String> {
    let chapters: Vec<String> = match layout {
        Layout::Report => deck
            .reports
            .iter()
            .filter(|r| fits(r))
            .map(|r| markdown.chapter(r))
            .collect::<Result<_>>()?,
        Layout::Slides => Vec::new(),
    };
    let gantt: Vec<String> = gantt_lines(deck);
    markdown.deck(deck, &chapters, &gantt, layout.template())
}

/// The roadmap as a `gantt` block's lines: one group per playbook, a milestone per step.
fn gantt_lines(deck: &Deck) -> Vec<String> {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| match c {
                '|' => '｜',
                '`' => '\'',
                c if c.is_control() => ' ',
                c => c,
            })
            .collect()
    };
    let mut groups: BTreeMap<usize, (String, Vec<&RoadmapEntry>)> = BTreeMap::new();
    for e in &deck.roadmap {
        let order = deck
            .summary
            .iter()
            .position(|s| s.playbook == e.playbook_id)
            .unwrap_or(usize::MAX);
        groups
            .entry(order)
            .or_insert_with(|| (e.playbook.clone(), Vec::new()))
            .1
            .push(e);
    }
    let mut lines = Vec::new();
    for (_, (title, entries)) in groups {
        lines.push(format!("{}:", clean(&title)));
        for e in entries {
            lines.push(format!("{} | {}", clean(&e.title), e.date));
        }
    }
    lines
}

/// The roadmap as an iCalendar file (RFC 5545): one all-day event per dated step, with
/// stable ids, so a calendar that imports it again updates rather than duplicates.
pub fn calendar(deck: &Deck, title: &str) -> String {
    let mut out = String::new();
    let mut line = |s: String| out.push_str(&fold(&s));
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//playbook//deck//EN".into());
    line("CALSCALE:GREGORIAN".into());
    line(format!(
        "X-WR-CALNAME:{}",
        escape(&format!("{} · {title}", deck.brand))
    ));
    let stamp = format!("{}T000000Z", deck.date.replace('-', ""));
    for e in &deck.roadmap {
        let day = Date::parse(&e.date).expect("roadmap dates parse");
        let next = day.add_days(1).unwrap_or(day);
        let uid = crate::output::stable_id(&[&deck.brand, &e.playbook_id, &e.item]);
        line("BEGIN:VEVENT".into());
        line(format!("UID:{uid}@playbook"));
        line(format!("DTSTAMP:{stamp}"));
        line(format!("DTSTART;VALUE=DATE:{}", e.date.replace('-', "")));
        line(format!(
            "DTEND;VALUE=DATE:{}",
            next.to_string().replace('-', "")
        ));
        line(format!("SUMMARY:{}", escape(&e.title)));
        let mut description = e.playbook.clone();
        if let Some(owner) = &e.owner {
            description.push_str(match deck.lang {
                Lang::Zh => "；负责：",
                Lang::En => "; owner: ",
            });
            description.push_str(owner);
        }
        if let Some(action) = &e.action {
            description.push('\n');
            description.push_str(action);
        }
        line(format!("DESCRIPTION:{}", escape(&description)));
        line(format!("CATEGORIES:{}", escape(&e.playbook)));
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    out
}

/// Text in an iCalendar value: backslash, semicolon, comma and line breaks escaped,
/// other control characters dropped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded at 75 octets (never inside a character), ending in CRLF.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_lines_are_escaped_and_folded_at_75_octets() {
        assert_eq!(escape("a,b;c\\d\ne\u{7}"), "a\\,b\\;c\\\\d\\ne");
        let long = format!("SUMMARY:{}", "直播".repeat(40));
        let folded = fold(&long);
        for l in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        assert_eq!(folded.replace("\r\n ", "").trim_end(), long);
    }
}
