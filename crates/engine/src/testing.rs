//! `playbook test`: a playbook's behaviour, tested as data. A test file
//! (`<playbook>.test.yaml`, beside the playbook) lists cases; each names a profile and
//! what the playbook should conclude for it: the verdict, item statuses, values (numbers
//! within a tolerance), and phrases the reader's text holds or must not hold.
//! `docs/playbook-format.md` documents the format.

use crate::commands::Sources;
use crate::error::{Error, Location, Result};
use crate::library::Library;
use crate::playbook::source::SourceMap;
use crate::playbook::{Decision, Playbook};
use crate::profile::Profile;
use crate::render::MarkdownRenderer;
use crate::report::{Lang, Report, Status, INSUFFICIENT_DATA, NOT_APPLICABLE};
use serde::Deserialize;
use serde_json::Value as Json;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use yaml_serde::{Mapping, Value as Yaml};

/// Whether `path` is a playbook test file: `*.test.yaml` or `*.test.yml`.
pub fn is_test_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.ends_with(".test.yaml") || name.ends_with(".test.yml")
}

/// The absolute difference two numbers may have and still match, unless a file, case or
/// value sets its own.
pub const DEFAULT_TOLERANCE: f64 = 1e-4;

/// A test file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TestFile {
    /// The playbook under test; by default the file's name before `.test.yaml`.
    #[serde(default)]
    playbook: Option<String>,
    #[serde(default)]
    tolerance: Option<f64>,
    cases: Vec<Case>,
}

/// One case: a profile, and what the playbook should conclude for it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    /// A profile file, relative to the test file, or the profile itself.
    profile: Yaml,
    /// Fields changed on top of the profile, by path (`account.followers`,
    /// `products[0].price`); `null` removes one.
    #[serde(default)]
    set: Mapping,
    /// The report language whose verdict, items, values and missing fields are checked
    /// (phrases name their own language).
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    verdict: Option<String>,
    /// How many items the report shows.
    #[serde(default)]
    item_count: Option<usize>,
    /// The first actions of the action list, in order, by item id (`[]`: none at all).
    #[serde(default)]
    actions: Option<Vec<String>>,
    /// Scorecard scores by dimension id, and `overall`.
    #[serde(default)]
    scores: BTreeMap<String, i64>,
    /// Item id to a status (`done`, `todo`, `blocked`, `info`, or `absent`), or to a map
    /// with `status` and phrases its `why` or `action` hold.
    #[serde(default)]
    items: Mapping,
    /// Value path (`band_min`, `prices[0].margin`) to the expected value.
    #[serde(default)]
    values: Mapping,
    #[serde(default)]
    tolerance: Option<f64>,
    /// Phrases the report's text holds, per language.
    #[serde(default)]
    text: Phrases,
    /// Phrases the report's text must not hold, per language.
    #[serde(default)]
    not_text: Phrases,
    /// Profile fields the report lists as missing (all of them, in any order).
    #[serde(default)]
    needs: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Phrases {
    #[serde(default, deserialize_with = "phrases")]
    zh: Vec<String>,
    #[serde(default, deserialize_with = "phrases")]
    en: Vec<String>,
}

/// A list of phrases, each written as a string: `[¥1,350,000]` unquoted is three YAML
/// values, `¥1`, `350` and `000`, and a number would match almost any text.
fn phrases<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Vec<String>, D::Error> {
    let values: Vec<Yaml> = Vec::deserialize(d)?;
    values
        .into_iter()
        .map(|v| match v {
            Yaml::String(s) => Ok(s),
            other => Err(serde::de::Error::custom(format!(
                "a phrase is text; quote `{}` (a comma inside [ ] starts a new phrase)",
                yaml_serde::to_string(&other).unwrap_or_default().trim()
            ))),
        })
        .collect()
}

impl Phrases {
    fn by_lang(&self) -> [(Lang, &[String]); 2] {
        [(Lang::Zh, &self.zh), (Lang::En, &self.en)]
    }
}

/// What `playbook test` was asked.
#[derive(Debug, Clone)]
pub struct TestRequest {
    /// The folder of playbooks and their test files.
    pub dir: PathBuf,
    pub templates: Option<PathBuf>,
    /// Only cases whose name contains this text.
    pub filter: Option<String>,
    /// Only the cases of this playbook.
    pub playbook: Option<String>,
    pub coverage: bool,
}

/// One expectation that did not hold: where it is written, and what differed.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub location: Location,
    pub case: String,
    pub message: String,
}

/// What a test run found.
#[derive(Debug, Default)]
pub struct Outcome {
    pub passed: usize,
    pub failed: usize,
    pub failures: Vec<Failure>,
    /// Per playbook, what the cases reached.
    pub reached: BTreeMap<String, Reached>,
}

/// Verdicts and item statuses a playbook's cases reached.
#[derive(Debug, Default, Clone)]
pub struct Reached {
    pub cases: usize,
    pub verdicts: BTreeSet<String>,
    /// (item id as written, status) pairs, for items the rules judged.
    pub statuses: BTreeSet<(String, String)>,
}

/// `playbook test`: runs every case, prints one line per failed expectation and a last
/// line `N passed, M failed`; fails when any case failed.
pub fn test(bundle: crate::library::Bundle, request: &TestRequest) -> Result<()> {
    let sources = Sources::new(bundle, Some(request.dir.clone()), request.templates.clone());
    let library = sources.load()?;
    if let Some(id) = &request.playbook {
        library.playbook(id)?;
    }
    let outcome = run(
        &library,
        &request.dir,
        request.filter.as_deref(),
        request.playbook.as_deref(),
    )?;
    let mut out = String::new();
    for f in &outcome.failures {
        let _ = writeln!(out, "{}: {}: {}", f.location, f.case, f.message);
    }
    if request.coverage {
        out.push_str(&coverage(&library, &outcome, request.playbook.as_deref()));
    }
    let _ = writeln!(out, "{} passed, {} failed", outcome.passed, outcome.failed);
    crate::commands::print(out.as_bytes())?;
    if outcome.failed > 0 {
        return Err(Error::TestsFailed(outcome.failed));
    }
    if outcome.passed == 0 {
        return Err(Error::Usage(match &request.filter {
            Some(f) => format!("no case under {} matches `{f}`", request.dir.display()),
            None => format!(
                "no test cases under {}: write `<playbook>.test.yaml` files beside the playbooks",
                request.dir.display()
            ),
        }));
    }
    Ok(())
}

/// Runs the test files under `dir` against `library`.
pub fn run(
    library: &Library,
    dir: &Path,
    filter: Option<&str>,
    only: Option<&str>,
) -> Result<Outcome> {
    let markdown = MarkdownRenderer::for_library(library)?;
    let mut outcome = Outcome::default();
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file() && is_test_file(e.path()))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    for file in files {
        run_file(library, &markdown, &file, filter, only, &mut outcome);
    }
    Ok(outcome)
}

fn run_file(
    library: &Library,
    markdown: &MarkdownRenderer,
    file: &Path,
    filter: Option<&str>,
    only: Option<&str>,
    outcome: &mut Outcome,
) {
    let whole = |message: String| Failure {
        location: Location::file(file),
        case: "(file)".into(),
        message,
    };
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            outcome.failed += 1;
            outcome.failures.push(whole(e.to_string()));
            return;
        }
    };
    let spec: TestFile = match yaml_serde::from_str(&text) {
        Ok(s) => s,
        Err(e) => {
            outcome.failed += 1;
            let Error::Profile { location, message } = crate::profile::yaml_error(file, &e) else {
                unreachable!("yaml_error builds a located error")
            };
            outcome.failures.push(Failure {
                location,
                case: "(file)".into(),
                message,
            });
            return;
        }
    };
    let map = SourceMap::build(&text);
    let at = |path: &str| match map.get(path) {
        Some(span) => Location::at(file, span.line, span.column),
        None => Location::file(file),
    };
    let id = spec.playbook.clone().unwrap_or_else(|| {
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
        name.trim_end_matches(".yaml")
            .trim_end_matches(".yml")
            .trim_end_matches(".test")
            .to_string()
    });
    if only.is_some_and(|o| o != id) {
        return;
    }
    let playbook = match library.playbook(&id) {
        Ok(p) => p,
        Err(e) => {
            outcome.failed += 1;
            outcome.failures.push(Failure {
                location: at("playbook"),
                case: "(file)".into(),
                message: e.to_string(),
            });
            return;
        }
    };
    let base = file.parent().unwrap_or(Path::new("."));
    for (i, case) in spec.cases.iter().enumerate() {
        if filter.is_some_and(|f| !case.name.contains(f)) {
            continue;
        }
        let ctx = CaseRun {
            library,
            markdown,
            playbook,
            at: &at,
            prefix: format!("cases.{i}"),
            tolerance: case
                .tolerance
                .or(spec.tolerance)
                .unwrap_or(DEFAULT_TOLERANCE),
        };
        let failures = ctx.check(case, base, outcome);
        let label = format!("{id} › {}", case.name);
        if failures.is_empty() {
            outcome.passed += 1;
        } else {
            outcome.failed += 1;
            outcome
                .failures
                .extend(failures.into_iter().map(|(location, message)| Failure {
                    location,
                    case: label.clone(),
                    message,
                }));
        }
    }
}

struct CaseRun<'a> {
    library: &'a Library,
    markdown: &'a MarkdownRenderer,
    playbook: &'a Playbook,
    at: &'a dyn Fn(&str) -> Location,
    /// The case's path in the test file, `cases.<i>`.
    prefix: String,
    tolerance: f64,
}

type Found = Vec<(Location, String)>;

impl CaseRun<'_> {
    fn here(&self, rest: &str) -> Location {
        (self.at)(&format!("{}.{rest}", self.prefix))
    }

    fn check(&self, case: &Case, base: &Path, outcome: &mut Outcome) -> Found {
        let profile = match self.profile(case, base) {
            Ok(p) => p,
            Err((location, message)) => return vec![(location, message)],
        };
        let mut reports: BTreeMap<&'static str, Report> = BTreeMap::new();
        let data = match self.library.brand(&profile) {
            Ok(d) => d,
            Err(e) => return vec![(self.here("profile"), e.to_string())],
        };
        for lang in Lang::ALL {
            match self.library.run(self.playbook, &data, lang) {
                Ok(r) => {
                    reports.insert(lang.code(), r);
                }
                Err(e) => return vec![(self.here("profile"), e.to_string())],
            }
        }
        self.record(&reports["zh"], outcome);
        let mut found = Found::new();
        let lang = match case.lang.as_deref().map(Lang::parse) {
            None => Lang::Zh,
            Some(Some(lang)) => lang,
            Some(None) => return vec![(self.here("lang"), "`lang` is `zh` or `en`".into())],
        };
        let zh = &reports[lang.code()];
        if let Some(want) = case.item_count {
            if want != zh.items.len() {
                found.push((
                    self.here("item_count"),
                    format!(
                        "item count: expected {want}, got {} ({})",
                        zh.items.len(),
                        ids(zh)
                    ),
                ));
            }
        }
        if let Some(want) = &case.verdict {
            if *want != zh.verdict {
                found.push((
                    self.here("verdict"),
                    format!("verdict: expected `{want}`, got `{}`", zh.verdict),
                ));
            }
        }
        if let Some(want) = &case.actions {
            let ok = if want.is_empty() {
                zh.actions.is_empty()
            } else {
                zh.actions.len() >= want.len() && zh.actions[..want.len()] == want[..]
            };
            if !ok {
                let want = if want.is_empty() {
                    "none".to_string()
                } else {
                    format!("[{}] first", want.join(", "))
                };
                found.push((
                    self.here("actions"),
                    format!("actions: expected {want}, got [{}]", zh.actions.join(", ")),
                ));
            }
        }
        for (id, want) in &case.scores {
            let got = zh.scorecard.as_ref().and_then(|card| {
                if id == "overall" {
                    Some(card.overall)
                } else {
                    card.dimensions
                        .iter()
                        .find(|d| d.id == *id)
                        .map(|d| d.score)
                }
            });
            if got != Some(*want) {
                let got = got.map_or_else(|| "no such score".to_string(), |g| g.to_string());
                found.push((
                    self.here(&format!("scores.{id}")),
                    format!("score `{id}`: expected {want}, got {got}"),
                ));
            }
        }
        self.items(case, &reports, lang, &mut found);
        self.values(case, zh, &mut found);
        if let Some(want) = &case.needs {
            let want: BTreeSet<&str> = want.iter().map(String::as_str).collect();
            let got: BTreeSet<&str> = zh.needs.iter().map(String::as_str).collect();
            if want != got {
                found.push((
                    self.here("needs"),
                    format!(
                        "missing fields: expected [{}], got [{}]",
                        want.into_iter().collect::<Vec<_>>().join(", "),
                        got.into_iter().collect::<Vec<_>>().join(", ")
                    ),
                ));
            }
        }
        self.texts(case, &reports, &mut found);
        found.sort_by_key(|(l, _)| (l.line, l.column));
        found
    }

    /// The case's profile: a file relative to the test file, or written inline; then its
    /// `set` changes.
    fn profile(
        &self,
        case: &Case,
        base: &Path,
    ) -> std::result::Result<Profile, (Location, String)> {
        let (source, mut value) = match &case.profile {
            Yaml::String(rel) => {
                let path = base.join(rel);
                // Read through the profile loader first: its errors name the file's lines.
                let loaded =
                    Profile::load(&path).map_err(|e| (self.here("profile"), e.to_string()))?;
                if case.set.is_empty() {
                    return Ok(loaded);
                }
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| (self.here("profile"), format!("{}: {e}", path.display())))?;
                let value: Yaml = yaml_serde::from_str(&text)
                    .map_err(|e| (self.here("profile"), format!("{}: {e}", path.display())))?;
                (path, value)
            }
            Yaml::Mapping(_) => (PathBuf::from("(inline profile)"), case.profile.clone()),
            _ => {
                return Err((
                    self.here("profile"),
                    "`profile` is a file path or the profile itself (a mapping)".into(),
                ))
            }
        };
        for (key, new) in &case.set {
            let Some(path) = key.as_str() else {
                return Err((self.here("set"), "`set` keys are field paths".into()));
            };
            set(&mut value, path, new.clone()).map_err(|m| {
                (
                    self.here(&format!("set.{path}")),
                    format!("set `{path}`: {m}"),
                )
            })?;
        }
        let text =
            yaml_serde::to_string(&value).map_err(|e| (self.here("profile"), e.to_string()))?;
        Profile::from_bytes(&source, text.as_bytes()).map_err(|e| {
            let message = match e {
                Error::Profile { message, .. } => message,
                other => other.to_string(),
            };
            let place = if case.set.is_empty() {
                "profile"
            } else {
                "set"
            };
            (
                self.here(place),
                format!("the profile is not valid: {message}"),
            )
        })
    }

    fn record(&self, report: &Report, outcome: &mut Outcome) {
        let reached = outcome.reached.entry(self.playbook.id.clone()).or_default();
        reached.cases += 1;
        reached.verdicts.insert(report.verdict.clone());
        for item in &report.items {
            if !item.missing.is_empty() {
                continue;
            }
            if let Some(spec) = spec_item(self.playbook, &item.id) {
                reached
                    .statuses
                    .insert((spec.to_string(), item.status.as_str().to_string()));
            }
        }
    }

    fn items(
        &self,
        case: &Case,
        reports: &BTreeMap<&'static str, Report>,
        lang: Lang,
        found: &mut Found,
    ) {
        let zh = &reports[lang.code()];
        for (key, want) in &case.items {
            let id = key.as_str().unwrap_or_default();
            let place = format!("items.{id}");
            let (status, phrases) = match want {
                Yaml::String(s) => (Some(s.as_str()), None),
                Yaml::Mapping(m) => (m.get("status").and_then(Yaml::as_str), Some(m)),
                _ => {
                    found.push((
                        self.here(&place),
                        format!(
                            "item `{id}`: give a status, or a map with `status`, `why`, `action`"
                        ),
                    ));
                    continue;
                }
            };
            let got = zh.item(id);
            if let Some(status) = status {
                if status != "absent" && Status::parse(status).is_none() {
                    found.push((
                        self.here(&place),
                        format!("item `{id}`: `{status}` is not a status (done, todo, blocked, info, absent)"),
                    ));
                    continue;
                }
                let got_status = got.map_or("absent", |i| i.status.as_str());
                if got_status != status {
                    let place = if phrases.is_some() {
                        format!("{place}.status")
                    } else {
                        place.clone()
                    };
                    let known = if got.is_none() {
                        format!(" (the report has: {})", ids(zh))
                    } else {
                        String::new()
                    };
                    found.push((
                        self.here(&place),
                        format!("item `{id}`: expected {status}, got {got_status}{known}"),
                    ));
                    continue;
                }
            }
            let Some(m) = phrases else { continue };
            for (k, v) in m {
                let field = k.as_str().unwrap_or_default();
                if field == "status" {
                    continue;
                }
                if matches!(field, "priority" | "due" | "kind" | "credit") {
                    let got = got.map(|i| match field {
                        "priority" => serde_json::to_value(i.priority),
                        "due" => serde_json::to_value(&i.due),
                        "credit" => serde_json::to_value(i.credit),
                        _ => serde_json::to_value(i.kind),
                    });
                    let got = got.and_then(|g| g.ok()).unwrap_or(Json::Null);
                    let want = serde_json::to_value(v).unwrap_or(Json::Null);
                    if differs(&want, &got, self.tolerance, field.to_string()).is_some() {
                        found.push((
                            self.here(&format!("{place}.{field}")),
                            format!(
                                "item `{id}` {field}: expected {}, got {}",
                                short(&want),
                                short(&got)
                            ),
                        ));
                    }
                    continue;
                }
                if !matches!(field, "why" | "action" | "owner" | "title") {
                    found.push((
                        self.here(&format!("{place}.{field}")),
                        format!("item `{id}`: `{field}` is not checked (status, kind, priority, due, credit, title, why, action, owner)"),
                    ));
                    continue;
                }
                let by_lang: Phrases = match yaml_serde::from_value(v.clone()) {
                    Ok(p) => p,
                    Err(_) => {
                        found.push((
                            self.here(&format!("{place}.{field}")),
                            format!(
                                "item `{id}`: `{field}` takes `zh:` and `en:` lists of phrases"
                            ),
                        ));
                        continue;
                    }
                };
                for (lang, list) in by_lang.by_lang() {
                    let item = reports[lang.code()].item(id);
                    let text = item.map(|i| match field {
                        "why" => i.why.clone(),
                        "title" => i.title.clone(),
                        "action" => i.action.clone().unwrap_or_default(),
                        _ => i.owner.clone().unwrap_or_default(),
                    });
                    for (n, phrase) in list.iter().enumerate() {
                        let ok = text.as_deref().is_some_and(|t| holds(t, phrase));
                        if !ok {
                            found.push((
                                self.here(&format!("{place}.{field}.{}.{n}", lang.code())),
                                format!(
                                    "item `{id}` {field} ({}): expected to hold “{phrase}”, got “{}”",
                                    lang.code(),
                                    text.as_deref().unwrap_or("(no such item)")
                                ),
                            ));
                        }
                    }
                }
            }
        }
    }

    fn values(&self, case: &Case, report: &Report, found: &mut Found) {
        let all = serde_json::to_value(&report.values).unwrap_or(Json::Null);
        for (key, want) in &case.values {
            let path = key.as_str().unwrap_or_default();
            let place = format!("values.{path}");
            let (want, tolerance) = match want {
                Yaml::Mapping(m) if m.contains_key("approx") => (
                    m.get("approx").cloned().unwrap_or(Yaml::Null),
                    m.get("within")
                        .and_then(Yaml::as_f64)
                        .unwrap_or(self.tolerance),
                ),
                other => (other.clone(), self.tolerance),
            };
            let got = match lookup(&all, path) {
                Ok(v) => v,
                Err(m) => {
                    found.push((self.here(&place), format!("value `{path}`: {m}")));
                    continue;
                }
            };
            let want = serde_json::to_value(&want).unwrap_or(Json::Null);
            if let Some((at, want, got)) = differs(&want, got, tolerance, path.to_string()) {
                found.push((
                    self.here(&place),
                    format!("value `{at}`: expected {}, got {}", short(want), short(got)),
                ));
            }
        }
    }

    fn texts(&self, case: &Case, reports: &BTreeMap<&'static str, Report>, found: &mut Found) {
        for (field, phrases, present) in [
            ("text", &case.text, true),
            ("not_text", &case.not_text, false),
        ] {
            for (lang, list) in phrases.by_lang() {
                if list.is_empty() {
                    continue;
                }
                let text = match self.markdown.text(&reports[lang.code()]) {
                    Ok(md) => plain_text(&md),
                    Err(e) => {
                        found.push((self.here(field), e.to_string()));
                        continue;
                    }
                };
                for (n, phrase) in list.iter().enumerate() {
                    if holds(&text, phrase) != present {
                        let how = if present { "does not hold" } else { "holds" };
                        found.push((
                            self.here(&format!("{field}.{}.{n}", lang.code())),
                            format!("the {} text {how} “{phrase}”", lang.code()),
                        ));
                    }
                }
            }
        }
    }
}

/// The item as written that a report item comes from: its own id, or the id of the
/// `for_each` item that numbered it (`price` for `price-3`).
pub(crate) fn spec_item<'a>(playbook: &'a Playbook, id: &str) -> Option<&'a str> {
    playbook
        .sections
        .iter()
        .flat_map(|s| &s.items)
        .find(|it| {
            if it.for_each.is_some() {
                id.strip_prefix(it.id.as_str())
                    .and_then(|r| r.strip_prefix('-'))
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            } else {
                it.id == id
            }
        })
        .map(|it| it.id.as_str())
}

fn ids(report: &Report) -> String {
    let ids: Vec<&str> = report.items.iter().map(|i| i.id.as_str()).collect();
    if ids.is_empty() {
        "no items".into()
    } else {
        ids.join(", ")
    }
}

/// Whether `text` holds `phrase`, any run of white space (a line break too) matching any
/// other; white space at a phrase's ends counts.
fn holds(text: &str, phrase: &str) -> bool {
    let squeeze = |s: &str| {
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            if c.is_whitespace() {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            } else {
                out.push(c);
            }
        }
        out
    };
    squeeze(text).contains(&squeeze(phrase))
}

/// The text a reader sees in rendered Markdown: no markup, no escapes.
fn plain_text(md: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser, TagEnd};
    let mut text = String::new();
    for event in Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak => text.push(' '),
            // Emphasis and links run on within their line; blocks and cells end it.
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image,
            ) => {}
            Event::End(TagEnd::TableCell) => text.push_str(" | "),
            Event::HardBreak | Event::End(_) => text.push('\n'),
            _ => {}
        }
    }
    text
}

/// A value path: `band_min`, `prices[0].margin`, `plan.rounds[2]`.
fn lookup<'a>(root: &'a Json, path: &str) -> std::result::Result<&'a Json, String> {
    let mut here = root;
    for step in steps(path)? {
        here = match step {
            Step::Key(k) => here.get(&k).ok_or_else(|| match here {
                Json::Object(m) => {
                    let keys: Vec<&str> = m.keys().map(String::as_str).collect();
                    match crate::suggest::nearest(&k, keys.iter().copied()) {
                        Some(best) => format!("no `{k}`; did you mean `{best}`?"),
                        None => format!("no `{k}` (there are: {})", keys.join(", ")),
                    }
                }
                Json::Null => format!("no `{k}`: the value before it is null"),
                _ => format!("no `{k}`: the value before it is not a map"),
            })?,
            Step::Index(i) => here.get(i).ok_or_else(|| match here {
                Json::Array(a) => format!("no [{i}]: the list has {} elements (from [0])", a.len()),
                _ => format!("no [{i}]: the value before it is not a list"),
            })?,
        };
    }
    Ok(here)
}

enum Step {
    Key(String),
    Index(usize),
}

fn steps(path: &str) -> std::result::Result<Vec<Step>, String> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if key.is_empty() && out.is_empty() {
            return Err(format!("`{path}` should start with a name"));
        }
        if !key.is_empty() {
            out.push(Step::Key(key.to_string()));
        }
        while let Some(r) = rest.strip_prefix('[') {
            let Some(end) = r.find(']') else {
                return Err(format!("`{path}` has a `[` without `]`"));
            };
            let n = r[..end]
                .parse::<usize>()
                .map_err(|_| format!("`[{}]` in `{path}` should be a whole number", &r[..end]))?;
            out.push(Step::Index(n));
            rest = &r[end + 1..];
        }
        if !rest.is_empty() {
            return Err(format!("`{path}`: unexpected `{rest}`"));
        }
    }
    Ok(out)
}

/// Sets `path` in a profile's YAML, making maps on the way; `null` removes the field.
fn set(root: &mut Yaml, path: &str, value: Yaml) -> std::result::Result<(), String> {
    let steps = steps(path)?;
    let mut here = root;
    for (n, step) in steps.iter().enumerate() {
        let last = n + 1 == steps.len();
        match step {
            Step::Key(k) => {
                if here.is_null() {
                    *here = Yaml::Mapping(Mapping::new());
                }
                let Yaml::Mapping(m) = here else {
                    return Err(format!("`{k}` sits under something that is not a map"));
                };
                let key = Yaml::String(k.clone());
                if last {
                    if value.is_null() {
                        m.remove(&key);
                    } else {
                        m.insert(key, value);
                    }
                    return Ok(());
                }
                here = m.entry(key).or_insert(Yaml::Null);
            }
            Step::Index(i) => {
                let Yaml::Sequence(s) = here else {
                    return Err(format!("[{i}] sits under something that is not a list"));
                };
                let len = s.len();
                let Some(slot) = s.get_mut(*i) else {
                    return Err(format!("the list has {len} elements (from [0])"));
                };
                if last {
                    *slot = value;
                    return Ok(());
                }
                here = slot;
            }
        }
    }
    Ok(())
}

/// Where `got` first differs from `want` (its path, and both values there), if it does:
/// numbers within `tolerance`, lists element by element, a map expected by the keys it
/// names.
fn differs<'a>(
    want: &'a Json,
    got: &'a Json,
    tolerance: f64,
    path: String,
) -> Option<(String, &'a Json, &'a Json)> {
    static NOTHING: Json = Json::Null;
    match (want, got) {
        (Json::Number(a), Json::Number(b)) => match (a.as_f64(), b.as_f64()) {
            (Some(x), Some(y)) if (x - y).abs() <= tolerance => None,
            _ => Some((path, want, got)),
        },
        (Json::Array(a), Json::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (x, y))| differs(x, y, tolerance, format!("{path}[{i}]"))),
        (Json::Object(a), Json::Object(b)) => a.iter().find_map(|(k, x)| {
            let at = format!("{path}.{k}");
            match b.get(k) {
                Some(y) => differs(x, y, tolerance, at),
                None => Some((at, x, &NOTHING)),
            }
        }),
        (a, b) if a == b => None,
        _ => Some((path, want, got)),
    }
}

/// A value in a failure line: JSON, cut after 200 characters.
fn short(v: &Json) -> String {
    let s = v.to_string();
    match s.char_indices().nth(200) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s,
    }
}

/// The statuses of an item whose script computes its status word.
const ANY: &str = "(any)";

/// What a playbook can conclude, as written: each verdict outcome (and the common ones
/// its rules make possible), and each item's statuses.
fn reachable(playbook: &Playbook) -> (Vec<String>, Vec<(String, Vec<&'static str>)>) {
    let mut verdicts: Vec<String> = playbook
        .verdict
        .outcomes
        .iter()
        .map(|(id, _)| id.clone())
        .collect();
    let spelt = |id: &str| {
        playbook
            .verdict
            .script
            .source
            .contains(&format!("\"{id}\""))
    };
    if !playbook.not_applicable.is_empty() || spelt(NOT_APPLICABLE) {
        verdicts.push(NOT_APPLICABLE.into());
    }
    if !playbook.decisive.is_empty() || spelt(INSUFFICIENT_DATA) {
        verdicts.push(INSUFFICIENT_DATA.into());
    }
    let items = playbook
        .sections
        .iter()
        .flat_map(|s| &s.items)
        .map(|it| {
            let statuses = match &it.decision {
                Decision::Fixed(s) => vec![s.as_str()],
                // A condition written as a constant has one outcome.
                Decision::DoneIf(cond, otherwise) => match cond.source.trim() {
                    "true" => vec!["done"],
                    "false" => vec![otherwise.as_str()],
                    _ => vec!["done", otherwise.as_str()],
                },
                // A script's statuses are the status words it spells out; one that
                // takes its status from a value may give any.
                Decision::Scripted(script) => {
                    let spelt: Vec<&'static str> = ["done", "todo", "blocked", "info"]
                        .into_iter()
                        .filter(|s| script.source.contains(&format!("\"{s}\"")))
                        .collect();
                    if spelt.is_empty() {
                        vec![ANY]
                    } else {
                        spelt
                    }
                }
            };
            (it.id.clone(), statuses)
        })
        .collect();
    (verdicts, items)
}

/// `--coverage`: per playbook, the verdicts and item statuses no case reached.
fn coverage(library: &Library, outcome: &Outcome, only: Option<&str>) -> String {
    let mut out = String::from("coverage:\n");
    for playbook in library.playbooks() {
        if only.is_some_and(|o| o != playbook.id) {
            continue;
        }
        let (verdicts, items) = reachable(playbook);
        let reached = outcome
            .reached
            .get(&playbook.id)
            .cloned()
            .unwrap_or_default();
        let total = verdicts.len() + items.iter().map(|(_, s)| s.len()).sum::<usize>();
        let missed_verdicts: Vec<&String> = verdicts
            .iter()
            .filter(|v| !reached.verdicts.contains(*v))
            .collect();
        let missed_items: Vec<(&str, Vec<&str>)> = items
            .iter()
            .map(|(id, statuses)| {
                let reached_any = reached.statuses.iter().any(|(i, _)| i == id);
                let missed: Vec<&str> = statuses
                    .iter()
                    .copied()
                    .filter(|s| match *s {
                        ANY => !reached_any,
                        s => !reached.statuses.contains(&(id.clone(), s.to_string())),
                    })
                    .collect();
                (id.as_str(), missed)
            })
            .filter(|(_, m)| !m.is_empty())
            .collect();
        let missed =
            missed_verdicts.len() + missed_items.iter().map(|(_, m)| m.len()).sum::<usize>();
        let _ = writeln!(
            out,
            "  {}: {} cases, {} of {} outcomes reached",
            playbook.id,
            reached.cases,
            total - missed,
            total
        );
        for v in missed_verdicts {
            let _ = writeln!(out, "    verdict {v}: no case");
        }
        for (id, m) in missed_items {
            if m == [ANY] {
                let _ = writeln!(out, "    item {id}: no case judges it");
            } else {
                let _ = writeln!(out, "    item {id}: no case is {}", m.join(" or "));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_step_through_maps_and_lists() {
        let v: Json = serde_json::json!({"prices": [{"margin": 0.5}, {"margin": 0.25}], "n": 3});
        assert_eq!(
            lookup(&v, "prices[1].margin").unwrap(),
            &serde_json::json!(0.25)
        );
        assert_eq!(lookup(&v, "n").unwrap(), &serde_json::json!(3));
        assert!(lookup(&v, "prices[2]").unwrap_err().contains("2 elements"));
        assert!(lookup(&v, "prise")
            .unwrap_err()
            .contains("did you mean `prices`"));
        assert!(steps("a[x]").is_err());
        assert!(steps("[0]").is_err());
    }

    #[test]
    fn set_changes_removes_and_refuses_missing_elements() {
        let mut y: Yaml =
            yaml_serde::from_str("account: {followers: 3}\nproducts: [{price: 1}]").unwrap();
        set(&mut y, "account.followers", Yaml::from(900)).unwrap();
        set(&mut y, "history.sessions", Yaml::from(2)).unwrap();
        set(&mut y, "products[0].price", Yaml::Null).unwrap();
        assert_eq!(y["account"]["followers"], Yaml::from(900));
        assert_eq!(y["history"]["sessions"], Yaml::from(2));
        assert!(y["products"][0].get("price").is_none());
        assert!(set(&mut y, "products[3].price", Yaml::from(1)).is_err());
    }

    #[test]
    fn numbers_match_within_the_tolerance_and_maps_by_the_keys_given() {
        let got = serde_json::json!({"a": 1.00004, "b": "x", "c": [1, 2]});
        let same = |want: Json, got: &Json| differs(&want, got, 1e-4, "v".into()).is_none();
        assert!(same(serde_json::json!({"a": 1.0}), &got));
        assert!(!same(serde_json::json!({"a": 1.001}), &got));
        assert!(same(serde_json::json!({"c": [1, 2.00001]}), &got));
        assert!(!same(serde_json::json!({"c": [1]}), &got));
        assert!(!same(serde_json::json!(null), &serde_json::json!(0)));
        let want = serde_json::json!({"c": [1, 3]});
        let (at, want, found) = differs(&want, &got, 1e-4, "v".into()).unwrap();
        assert_eq!(
            (at.as_str(), want, found),
            ("v.c[1]", &serde_json::json!(3), &serde_json::json!(2))
        );
    }

    #[test]
    fn phrases_match_across_white_space() {
        assert!(holds("band ¥59–¥88,\n  kept", "¥59–¥88, kept"));
        assert!(holds("ROI 2.0 a", ".0 "));
        assert!(!holds("ROI 2.02", ".0 "));
        assert!(!holds("abc", "abd"));
    }
}
