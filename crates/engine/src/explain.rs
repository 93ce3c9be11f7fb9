//! `playbook explain`: how a playbook reached each result for one brand. For every
//! value, item and the verdict: each rule as written and where, what it read (profile
//! fields, assumptions, shared facts, earlier values) with the brand's values, the
//! intermediate values it computed, and what it gave, in the reader's language.

use crate::error::Result;
use crate::facts::ProfileData;
use crate::library::Library;
use crate::playbook::text::{format_value, join_list};
use crate::playbook::{Playbook, Script, Shared};
use crate::report::{Lang, Report, Status};
use rhai::{Dynamic, Map, Scope};
use serde::Serialize;
use std::fmt::Write as _;

/// A playbook's results for one brand, with how each was reached.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    pub playbook: String,
    pub title: String,
    pub brand: String,
    pub lang: Lang,
    pub verdict: Option<Step>,
    pub values: Vec<Step>,
    pub items: Vec<Step>,
    /// A scorecard's working: each dimension's score, then the overall one.
    pub scores: Vec<Step>,
    /// The shared facts the steps above read, with their own rules.
    pub facts: Vec<Step>,
}

/// One result and the rules that reached it.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub id: String,
    pub label: String,
    pub result: String,
    pub rules: Vec<RuleTrace>,
    /// For an item the report shows: its status (`done`, `todo`, `blocked`, `info`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<&'static str>,
    /// What the step's texts (its why, its action) read: not rules, but what it depends on.
    #[serde(skip)]
    pub text_rules: Vec<RuleTrace>,
}

impl Step {
    fn new(id: String, label: String, result: String, rules: Vec<RuleTrace>) -> Step {
        let (text_rules, rules) = rules.into_iter().partition(|r| r.in_text);
        Step {
            id,
            label,
            result,
            rules,
            status: None,
            text_rules,
        }
    }
}

/// One rule run: as written, where, what it read, what it computed on the way, and what
/// it gave.
#[derive(Debug, Clone, Serialize)]
pub struct RuleTrace {
    /// What the rule decides, in the reader's words ("done when", "computed as").
    pub role: String,
    /// The same, as a stable id: `script`, `when`, `for_each`, `done_if`, `status_script`,
    /// `status`, `priority`, `credit`, `due`, `verdict`, `not_applicable`, `score`.
    pub kind: String,
    /// The field in the playbook, e.g. `sections.0.items.2.done_if`.
    pub field: String,
    /// `file:line:column` where the rule is written.
    pub location: String,
    pub source: String,
    pub reads: Vec<Read>,
    /// Variables the rule set with `let`, with their last values.
    pub intermediate: Vec<Read>,
    pub result: String,
    /// A placeholder in a text, rather than a rule.
    #[serde(skip)]
    pub in_text: bool,
}

/// A name a rule read, and its value for this brand.
#[derive(Debug, Clone, Serialize)]
pub struct Read {
    /// As the rule writes it: `account.followers`, `assumptions.hero_share_min`, `gap`.
    pub name: String,
    /// `profile`, `assumption`, `fact`, `value`, `report` (the items, scores and verdict a
    /// verdict rule sees) or `local`.
    pub kind: &'static str,
    /// In the reader's words.
    pub label: String,
    /// As the reader reads it.
    pub value: String,
    /// As data, for tools.
    pub raw: serde_json::Value,
}

/// A rule as it ran, recorded by the evaluator while tracing.
#[derive(Debug, Clone)]
pub(crate) struct Trace {
    /// The value id, the item's id in the report (`price-3`), or `verdict`.
    pub subject: String,
    pub rule: RuleTrace,
}

/// A value's id, its label in the run's language, and its format.
pub(crate) type ValueLabel = (String, String, Option<crate::playbook::text::Format>);

/// What a traced run recorded: every rule run, and the label of every value.
#[derive(Debug, Clone, Default)]
pub(crate) struct Traced {
    pub traces: Vec<Trace>,
    pub value_labels: Vec<ValueLabel>,
}

/// What names mean while one rule runs.
pub(crate) struct Namer<'a> {
    pub shared: &'a Shared,
    pub lang: Lang,
    /// Labels of the values computed so far.
    pub value_labels: &'a [ValueLabel],
    /// The list a `for_each` item walks, the element's 1-based index and its name.
    pub element: Option<(&'a str, i64, Option<&'a str>)>,
}

impl Namer<'_> {
    fn zh_en(&self, zh: &str, en: &str) -> String {
        match self.lang {
            Lang::Zh => zh.to_string(),
            Lang::En => en.to_string(),
        }
    }

    /// The kind and reader's label of a name read (a dotted path), or `None` for names
    /// that are not worth showing.
    fn label(&self, path: &str) -> Option<(&'static str, String)> {
        let (root, rest) = path.split_once('.').unwrap_or((path, ""));
        let pick = |t: &crate::playbook::spec::Text| match self.lang {
            Lang::Zh => t.zh.clone(),
            Lang::En => t.en.clone(),
        };
        if root == "assumptions" && !rest.is_empty() {
            let a = self.shared.assumptions.iter().find(|a| a.id == rest)?;
            let source = a.source.describe(self.lang);
            let label = match self.lang {
                Lang::Zh => format!("{}（假设，来源：{source}）", pick(&a.label)),
                Lang::En => format!("{} (assumption; source: {source})", pick(&a.label)),
            };
            return Some(("assumption", label));
        }
        if crate::facts::SECTIONS.contains(&root) {
            return Some(("profile", self.shared.glossary.field(path, None, self.lang)));
        }
        if root == "it" {
            let (list, index, name) = self.element?;
            let which = name.map(str::to_string).unwrap_or_else(|| match self.lang {
                Lang::Zh => format!("第 {index} 项"),
                Lang::En => format!("item {index}"),
            });
            if rest.is_empty() {
                return Some(("profile", which));
            }
            if crate::facts::SECTIONS.contains(&list) {
                let field = format!("{list}[{index}].{rest}");
                return Some((
                    "profile",
                    self.shared.glossary.field(&field, name, self.lang),
                ));
            }
            // An element of a list the playbook computed: its field as the rule names it.
            let label = match self.lang {
                Lang::Zh => format!("{which}的 {rest}"),
                Lang::En => format!("{rest} of {which}"),
            };
            return Some(("value", label));
        }
        if let Some(fact) = self.shared.facts.iter().find(|f| f.id == root) {
            return Some(("fact", fact.label(self.lang)));
        }
        if let Some((_, label, _)) = self.value_labels.iter().find(|(id, ..)| id == root) {
            return Some(("value", label.clone()));
        }
        let report = match root {
            "items" => self.zh_en(
                "本手册各检查项的结果",
                "the outcome of each item in this playbook",
            ),
            "needs" => self.zh_en("尚未填写的资料", "the profile fields still missing"),
            "scores" => self.zh_en("各维度得分", "the score of each dimension"),
            "overall" => self.zh_en("总分", "the overall score"),
            "verdict" => self.zh_en("结论", "the verdict"),
            "index" => self.zh_en("当前是第几项", "the element's position"),
            _ => return None,
        };
        Some(("report", report))
    }

    /// What a rule at `field` decides, in the reader's words.
    fn role(&self, field: &str) -> String {
        let last = field.rsplit('.').next().unwrap_or(field);
        let (zh, en) = match (field.split('.').next(), last) {
            (Some("values"), "script") => ("计算", "computed as"),
            (Some("not_applicable"), _) => ("不适用的条件", "does not fit when"),
            (Some("verdict"), _) => ("结论规则", "verdict rule"),
            (_, "when") => ("适用条件", "applies when"),
            (_, "for_each") => ("逐项检查的对象", "checked for each of"),
            (_, "done_if") => ("完成条件", "done when"),
            (_, "status_script") => ("状态规则", "status rule"),
            (_, "priority") => ("优先级", "priority"),
            (_, "credit") => ("得分", "credit"),
            (_, "due") => ("期限", "due"),
            (Some("facts"), _) | (_, "script") => ("计算", "computed as"),
            _ => ("规则", "rule"),
        };
        self.zh_en(zh, en)
    }

    /// Records one rule run: `scope` as the rule left it, `mark` its length before the
    /// rule ran (what lies beyond are the rule's own `let`s).
    pub(crate) fn trace(
        &self,
        scope: &Scope,
        mark: usize,
        script: &Script,
        location: String,
        result: &std::result::Result<Dynamic, String>,
    ) -> RuleTrace {
        let mut reads = Vec::new();
        for path in paths(&script.source) {
            let Some((kind, label)) = self.label(&path) else {
                continue;
            };
            let Some(value) = lookup(scope, &path, mark) else {
                continue;
            };
            let shown = match (kind, path.as_str()) {
                ("assumption", _) => {
                    let id = path.trim_start_matches("assumptions.");
                    let format = self
                        .shared
                        .assumptions
                        .iter()
                        .find(|a| a.id == id)
                        .and_then(|a| a.format);
                    format_value(&value, format, self.lang)
                }
                ("report", "items") => self.outcomes(&value),
                // A value printed as the report prints it, when it is the whole value.
                ("value", _) => match self.value_labels.iter().find(|(id, ..)| *id == path) {
                    Some((_, _, Some(format))) if value.read_lock::<rhai::Array>().is_none() => {
                        format_value(&value, Some(*format), self.lang)
                    }
                    _ => self.describe(&value, kind),
                },
                _ => self.describe(&value, kind),
            };
            reads.push(Read {
                raw: crate::evaluate::json_value(&value),
                value: shown,
                name: path,
                kind,
                label,
            });
        }
        let intermediate = scope
            .iter()
            .skip(mark)
            .filter(|(_, _, v)| !v.is_fnptr())
            .map(|(name, _, value)| Read {
                name: name.to_string(),
                kind: "local",
                label: name.to_string(),
                value: self.describe(&value, "local"),
                raw: crate::evaluate::json_value(&value),
            })
            .collect();
        RuleTrace {
            role: self.role(&script.field),
            kind: rule_kind(&script.field),
            field: script.field.clone(),
            location,
            source: script.source.trim().to_string(),
            reads,
            intermediate,
            result: match result {
                Ok(v) => self.describe(v, "result"),
                Err(e) => format!("{}: {e}", self.zh_en("出错", "failed")),
            },
            in_text: script.field.ends_with(".zh") || script.field.ends_with(".en"),
        }
    }

    /// The items a verdict rule sees, counted by status.
    fn outcomes(&self, items: &Dynamic) -> String {
        let Some(list) = items.read_lock::<rhai::Array>() else {
            return self.describe(items, "report");
        };
        let mut counts: Vec<String> = Vec::new();
        for status in [Status::Done, Status::Todo, Status::Blocked, Status::Info] {
            let n = list
                .iter()
                .filter(|i| {
                    i.read_lock::<Map>()
                        .and_then(|m| m.get("status").cloned())
                        .and_then(|s| s.into_string().ok())
                        .as_deref()
                        == Some(status.as_str())
                })
                .count();
            if n > 0 {
                counts.push(format!("{} {n}", status_word(status, self.lang)));
            }
        }
        match self.lang {
            Lang::Zh => format!("{} 项：{}", list.len(), counts.join("、")),
            Lang::En => format!("{} items: {}", list.len(), counts.join(", ")),
        }
    }

    /// A value as a reader reads it, kept short.
    pub(crate) fn describe(&self, value: &Dynamic, kind: &str) -> String {
        if value.is_unit() {
            return match kind {
                "profile" => self.zh_en("未填写", "not given"),
                _ => self.zh_en("无（—）", "none (—)"),
            };
        }
        let text = if let Some(list) = value.read_lock::<rhai::Array>() {
            let names: Vec<String> = list
                .iter()
                .filter_map(|v| {
                    v.read_lock::<Map>()
                        .and_then(|m| m.get("name").or_else(|| m.get("id")).cloned())
                        .and_then(|n| n.into_string().ok())
                })
                .collect();
            let scalars = list
                .iter()
                .all(|v| v.read_lock::<Map>().is_none() && v.read_lock::<rhai::Array>().is_none());
            if list.is_empty() {
                self.zh_en("空列表", "an empty list")
            } else if scalars {
                let parts: Vec<String> = list.iter().map(|v| self.describe(v, kind)).collect();
                format!("[{}]", parts.join(", "))
            } else if names.len() == list.len() {
                match self.lang {
                    Lang::Zh => format!("{} 项：{}", list.len(), names.join("、")),
                    Lang::En if list.len() == 1 => format!("1 entry: {}", names[0]),
                    Lang::En => format!("{} entries: {}", list.len(), join_list(&names, Lang::En)),
                }
            } else {
                match self.lang {
                    Lang::Zh => format!("{} 项", list.len()),
                    Lang::En if list.len() == 1 => "1 entry".to_string(),
                    Lang::En => format!("{} entries", list.len()),
                }
            }
        } else if let Some(map) = value.read_lock::<Map>() {
            let parts: Vec<String> = map
                .iter()
                .map(|(k, v)| {
                    let shown = if v.read_lock::<Map>().is_some()
                        || v.read_lock::<rhai::Array>().is_some()
                    {
                        "…".to_string()
                    } else {
                        self.describe(v, kind)
                    };
                    format!("{k}: {shown}")
                })
                .collect();
            format!("{{{}}}", parts.join(", "))
        } else if let Ok(s) = value.clone().into_string() {
            format!("“{s}”")
        } else if let Ok(x) = value.as_float() {
            // Enough places to see a ratio, fewer than a float's noise.
            let s = format!("{x:.4}");
            let s = s.trim_end_matches('0').trim_end_matches('.');
            if s.is_empty() || s == "-" {
                "0".into()
            } else {
                s.to_string()
            }
        } else {
            format_value(value, None, self.lang)
        };
        match text.char_indices().nth(240) {
            Some((i, _)) => format!("{}…", &text[..i]),
            None => text,
        }
    }
}

/// A rule's kind from its field: `values.3.script` is `script`,
/// `sections.0.items.2.done_if` is `done_if`, `verdict.script` is `verdict`.
fn rule_kind(field: &str) -> String {
    match field.split('.').next() {
        Some("verdict") => "verdict".into(),
        Some("not_applicable") => "not_applicable".into(),
        _ => field.rsplit('.').next().unwrap_or(field).to_string(),
    }
}

/// The value of a dotted path in `scope`, looking only at names that were there before
/// the rule ran (`mark`); `None` when its root is not a variable there (a closure's
/// parameter, a function's name).
fn lookup(scope: &Scope, path: &str, mark: usize) -> Option<Dynamic> {
    let mut parts = path.split('.');
    let root = parts.next()?;
    let (_, _, mut here) = scope
        .iter()
        .take(mark)
        .filter(|(name, _, _)| *name == root)
        .last()?;
    for key in parts {
        let next = here
            .read_lock::<Map>()?
            .get(key)
            .cloned()
            .unwrap_or(Dynamic::UNIT);
        here = next;
    }
    Some(here)
}

/// The dotted names a rule reads, in order, each once: `account.followers`, `gap`,
/// `assumptions.hero_share_min`. A method call ends a path (`products.len()` reads
/// `products`); strings and comments are skipped.
pub(crate) fn paths(source: &str) -> Vec<String> {
    let chars: Vec<char> = source.chars().collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    let ident_start = |c: char| c.is_ascii_alphabetic() || c == '_';
    let ident_char = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let word_at = |mut j: usize| {
        let start = j;
        while j < chars.len() && ident_char(chars[j]) {
            j += 1;
        }
        (chars[start..j].iter().collect::<String>(), j)
    };
    let next_non_space = |mut j: usize| {
        while j < chars.len() && chars[j].is_whitespace() {
            j += 1;
        }
        j
    };
    while i < chars.len() {
        let c = chars[i];
        match c {
            '"' | '`' | '\'' => {
                i += 1;
                while i < chars.len() && chars[i] != c {
                    i += if chars[i] == '\\' { 2 } else { 1 };
                }
                i += 1;
            }
            '/' if chars.get(i + 1) == Some(&'/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                i += 2;
                while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                    i += 1;
                }
                i += 2;
            }
            c if ident_start(c) => {
                let after_dot = chars[..i]
                    .iter()
                    .rev()
                    .find(|c| !c.is_whitespace())
                    .is_some_and(|c| *c == '.');
                let (root, mut j) = word_at(i);
                let next = next_non_space(j);
                // A map literal's key (`#{band_min: bmin}`) is no read.
                let key = chars.get(next) == Some(&':') && chars.get(next + 1) != Some(&':');
                if after_dot || key || chars.get(next) == Some(&'(') {
                    i = j;
                    continue;
                }
                let mut path = root;
                loop {
                    let k = next_non_space(j);
                    let dot = match (chars.get(k), chars.get(k + 1)) {
                        (Some('.'), _) => k + 1,
                        (Some('?'), Some('.')) => k + 2,
                        _ => break,
                    };
                    let start = next_non_space(dot);
                    if !chars.get(start).is_some_and(|c| ident_start(*c)) {
                        break;
                    }
                    let (segment, end) = word_at(start);
                    if chars.get(next_non_space(end)) == Some(&'(') {
                        break;
                    }
                    path.push('.');
                    path.push_str(&segment);
                    j = end;
                }
                if !out.contains(&path) {
                    out.push(path);
                }
                i = j;
            }
            c if c.is_ascii_digit() => {
                while i < chars.len()
                    && (chars[i].is_ascii_alphanumeric() || chars[i] == '.' || chars[i] == '_')
                {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    out
}

/// What `explain` was asked.
#[derive(Debug, Clone)]
pub struct ExplainRequest {
    pub id: String,
    pub brand: std::path::PathBuf,
    pub item: Option<String>,
    pub lang: Lang,
    pub json: bool,
    pub sources: crate::commands::Sources,
}

/// `playbook explain`: prints the explanation as text, or as JSON.
pub fn explain(request: &ExplainRequest) -> Result<()> {
    let library = request.sources.load()?;
    let playbook = library.playbook(&request.id)?;
    let profile = crate::profile::Profile::load(&request.brand)?;
    let data = library.brand(&profile)?;
    let explanation = build(
        &library,
        playbook,
        &data,
        request.lang,
        request.item.as_deref(),
    )?;
    let out = if request.json {
        let mut s = serde_json::to_string_pretty(&explanation)
            .map_err(|e| crate::error::Error::Usage(e.to_string()))?;
        s.push('\n');
        s
    } else {
        text(&explanation)
    };
    crate::commands::print(out.as_bytes())
}

/// Explains `playbook` for a brand; with `item`, only that item (or every element of a
/// `for_each` item) and the values and facts it depends on.
pub fn build(
    library: &Library,
    playbook: &Playbook,
    data: &ProfileData,
    lang: Lang,
    item: Option<&str>,
) -> Result<Explanation> {
    let (report, traced) =
        crate::evaluate::evaluate_traced(&library.engine, library.shared(), playbook, data, lang)?;
    let namer = Namer {
        shared: library.shared(),
        lang,
        value_labels: &traced.value_labels,
        element: None,
    };
    let grouped = group(&traced.traces);
    let rules_of = |subject: &str| -> Vec<RuleTrace> {
        grouped
            .iter()
            .find(|(s, _)| s == subject)
            .map(|(_, r)| r.clone())
            .unwrap_or_default()
    };
    let mut values: Vec<Step> = playbook
        .values
        .iter()
        .map(|v| {
            let figure = report.figures.iter().find(|f| f.id == v.id);
            let rules = rules_of(&v.id);
            let computed = rules
                .iter()
                .rev()
                .find(|r| r.field.ends_with(".script"))
                .map(|r| r.result.clone());
            let result = match (figure, computed) {
                (Some(f), _) => f.display.clone(),
                (None, Some(r)) => r,
                // Its `when` left it out, or its fields are missing.
                (None, None) => namer.describe(&Dynamic::UNIT, "value"),
            };
            let result = match (figure.and_then(|f| f.working.as_ref()), lang) {
                (Some(w), Lang::Zh) => format!("{result}（{w}）"),
                (Some(w), Lang::En) => format!("{result} ({w})"),
                (None, _) => result,
            };
            let label = traced
                .value_labels
                .iter()
                .find(|(id, ..)| *id == v.id)
                .map(|(_, l, _)| l.clone())
                .unwrap_or_else(|| v.id.clone());
            Step::new(v.id.clone(), label, result, rules)
        })
        .collect();
    let mut items = item_steps(playbook, &report, &grouped, &namer);
    let mut scores = score_steps(&report, &namer);
    let verdict = Step::new(
        "verdict".into(),
        namer.zh_en("结论", "Verdict"),
        match (&report.verdict_why, lang) {
            (Some(why), Lang::Zh) => format!("{}：{why}", report.verdict_label),
            (Some(why), Lang::En) => format!("{}: {why}", report.verdict_label),
            (None, _) => report.verdict_label.clone(),
        },
        {
            let mut rules = rules_of("not_applicable");
            rules.extend(rules_of("verdict"));
            rules
        },
    );
    // The verdict sees the items' outcomes: name the blocked ones, as the report does.
    let blocked: Vec<&str> = report
        .items
        .iter()
        .filter(|i| i.status == Status::Blocked)
        .map(|i| i.title.as_str())
        .collect();
    let mut verdict = verdict;
    if !blocked.is_empty() {
        for read in verdict
            .rules
            .iter_mut()
            .flat_map(|r| r.reads.iter_mut())
            .filter(|r| r.name == "items")
        {
            let list = join_list(&blocked, lang);
            match lang {
                Lang::Zh => write!(read.value, "；受阻：{list}"),
                Lang::En => write!(read.value, "; blocked: {list}"),
            }
            .ok();
        }
    }
    let mut verdict = Some(verdict);
    if let Some(wanted) = item {
        let is_score = scores.iter().any(|s| s.id == wanted);
        if wanted == "verdict" {
            items.clear();
            scores.clear();
        } else if is_score {
            // A dimension: its score and the checks behind it; `overall`: every score.
            let dimension = report.scorecard.is_some() && wanted != "overall";
            items.retain(|s| {
                dimension && report.item(&s.id).and_then(|i| i.dimension.as_deref()) == Some(wanted)
            });
            if dimension {
                scores.retain(|s| s.id == wanted);
            }
        } else {
            items.retain(|s| {
                s.id == wanted || crate::testing::spec_item(playbook, &s.id) == Some(wanted)
            });
            scores.clear();
        }
        if items.is_empty() && scores.is_empty() && wanted != "verdict" {
            let mut ids: Vec<&str> = Vec::new();
            for i in playbook.sections.iter().flat_map(|s| &s.items) {
                ids.push(i.id.as_str());
            }
            let numbered: Vec<&str> = report.items.iter().map(|i| i.id.as_str()).collect();
            let dims: Vec<&str> = scores_all_ids(&report);
            let hint = crate::suggest::nearest(
                wanted,
                ids.iter()
                    .chain(&numbered)
                    .chain(&dims)
                    .copied()
                    .chain(["verdict"]),
            )
            .map(|b| format!("did you mean `{b}`? "))
            .unwrap_or_default();
            let mut known = ids.join(", ");
            if !dims.is_empty() {
                known.push_str(&format!("; scores: {}", dims.join(", ")));
            }
            return Err(crate::error::Error::Usage(format!(
                "playbook `{}` shows no item `{wanted}` for this brand; {hint}(its items: {known}; or `verdict`)",
                playbook.id
            )));
        }
        if wanted != "verdict" {
            verdict = None;
        }
        // The values the item reads, and the values those read, in the playbook's order.
        let mut needed: Vec<String> = Vec::new();
        let mut frontier: Vec<String> = reads_of(&items, "value");
        while let Some(id) = frontier.pop() {
            if needed.contains(&id) {
                continue;
            }
            if let Some(step) = values.iter().find(|v| v.id == id) {
                frontier.extend(reads_of(std::slice::from_ref(step), "value"));
            }
            needed.push(id);
        }
        values.retain(|v| needed.contains(&v.id));
    }
    let mut steps_for_facts: Vec<Step> = items.clone();
    steps_for_facts.extend(values.iter().cloned());
    steps_for_facts.extend(verdict.iter().cloned());
    let facts = fact_steps(library, data, lang, reads_of(&steps_for_facts, "fact"));
    Ok(Explanation {
        playbook: playbook.id.clone(),
        title: report.title.clone(),
        brand: report.brand.clone(),
        lang,
        verdict,
        values,
        items,
        scores,
        facts,
    })
}

/// The ids `--item` accepts for a scorecard: each dimension's, and `overall`.
fn scores_all_ids(report: &Report) -> Vec<&str> {
    match &report.scorecard {
        Some(card) => card
            .dimensions
            .iter()
            .map(|d| d.id.as_str())
            .chain(["overall"])
            .collect(),
        None => Vec::new(),
    }
}

/// Traces grouped by subject, in the order subjects first ran.
fn group(traces: &[Trace]) -> Vec<(String, Vec<RuleTrace>)> {
    let mut out: Vec<(String, Vec<RuleTrace>)> = Vec::new();
    for t in traces {
        match out.iter_mut().find(|(s, _)| *s == t.subject) {
            Some((_, rules)) => rules.push(t.rule.clone()),
            None => out.push((t.subject.clone(), vec![t.rule.clone()])),
        }
    }
    out
}

/// Names of a kind the steps read (their roots: `data_check` for `data_check.gap`).
fn reads_of(steps: &[Step], kind: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for step in steps {
        for rule in step.rules.iter().chain(&step.text_rules) {
            for read in rule.reads.iter().filter(|r| r.kind == kind) {
                let root = read
                    .name
                    .split('.')
                    .next()
                    .unwrap_or(&read.name)
                    .to_string();
                if !out.contains(&root) {
                    out.push(root);
                }
            }
        }
    }
    out
}

/// Every item the report shows, and every item whose condition left it out, in the
/// playbook's order (a numbered item's elements by number).
fn item_steps(
    playbook: &Playbook,
    report: &Report,
    grouped: &[(String, Vec<RuleTrace>)],
    namer: &Namer,
) -> Vec<Step> {
    let mut steps = Vec::new();
    let sep = if namer.lang == Lang::Zh { "：" } else { ": " };
    let rules_of = |subject: &str| -> Vec<RuleTrace> {
        grouped
            .iter()
            .filter(|(s, _)| s == subject)
            .flat_map(|(_, r)| r.clone())
            .collect()
    };
    for spec in playbook.sections.iter().flat_map(|s| &s.items) {
        let each = spec.for_each.is_some();
        let belongs = |id: &str| crate::testing::spec_item(playbook, id) == Some(spec.id.as_str());
        let mut subjects: Vec<String> = grouped
            .iter()
            .map(|(s, _)| s.clone())
            .chain(report.items.iter().map(|i| i.id.clone()))
            .filter(|s| belongs(s) && !(each && *s == spec.id))
            .collect();
        let number = |id: &str| {
            id.rsplit('-')
                .next()
                .and_then(|n| n.parse::<u32>().ok())
                .unwrap_or(0)
        };
        subjects.sort_by_key(|s| number(s));
        subjects.dedup();
        let base = if each { rules_of(&spec.id) } else { Vec::new() };
        if each && subjects.is_empty() && !base.is_empty() {
            let mut step = Step::new(
                spec.id.clone(),
                namer.zh_en("（未列入）", "(left out)"),
                namer.zh_en(
                    "未列入报告：没有要逐项检查的对象",
                    "left out: there is nothing to check it for",
                ),
                base.clone(),
            );
            step.status = None;
            steps.push(step);
        }
        for subject in subjects {
            let mut rules = base.clone();
            rules.extend(rules_of(&subject));
            let Some(shown) = report.item(&subject) else {
                steps.push(Step::new(
                    subject,
                    namer.zh_en("（未列入）", "(left out)"),
                    namer.zh_en(
                        "未列入报告：适用条件不成立",
                        "left out: its condition does not hold",
                    ),
                    rules,
                ));
                continue;
            };
            let word = status_word(shown.status, namer.lang);
            // How the rule's answer became the status.
            match &spec.decision {
                crate::playbook::Decision::DoneIf(_, otherwise) => {
                    if let Some(rule) = rules.iter_mut().find(|r| r.kind == "done_if") {
                        let otherwise = status_word(*otherwise, namer.lang);
                        let done = status_word(Status::Done, namer.lang);
                        rule.result = match namer.lang {
                            Lang::Zh => format!(
                                "{} → {word}（满足为{done}，否则为{otherwise}）",
                                rule.result
                            ),
                            Lang::En => format!(
                                "{} → {word} ({done} when it holds, else {otherwise})",
                                rule.result
                            ),
                        };
                    }
                }
                crate::playbook::Decision::Fixed(status) if shown.missing.is_empty() => {
                    rules.push(RuleTrace {
                        role: namer.zh_en("固定状态", "fixed status"),
                        kind: "status".into(),
                        field: String::new(),
                        location: playbook.source.display().to_string(),
                        source: format!("status: {}", status.as_str()),
                        reads: Vec::new(),
                        intermediate: Vec::new(),
                        result: word.to_string(),
                        in_text: false,
                    });
                }
                _ => {}
            }
            let mut result = format!("{word}{sep}{}", shown.why);
            if let Some(action) = &shown.action {
                let _ = write!(result, "{}{action}", namer.zh_en("；行动：", "; action: "));
            }
            let mut step = Step::new(shown.id.clone(), shown.title.clone(), result, rules);
            step.status = Some(shown.status.as_str());
            steps.push(step);
        }
    }
    steps
}

/// The scorecard's working: each dimension from its checks' weights and credits, and the
/// overall score from the dimensions' weights.
fn score_steps(report: &Report, namer: &Namer) -> Vec<Step> {
    let Some(card) = &report.scorecard else {
        return Vec::new();
    };
    let num = |x: f64| {
        let s = format!("{x:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    let mut steps = Vec::new();
    for d in &card.dimensions {
        let checks: Vec<&crate::report::Item> = report
            .items
            .iter()
            .filter(|i| i.dimension.as_deref() == Some(d.id.as_str()) && i.credit.is_some())
            .collect();
        let (earned, possible) = checks.iter().fold((0.0, 0.0), |(e, p), i| {
            let w = i.weight.unwrap_or(0.0);
            (e + w * i.credit.unwrap_or(0.0), p + w)
        });
        let reads = checks
            .iter()
            .map(|i| Read {
                name: i.id.clone(),
                kind: "item",
                label: i.title.clone(),
                value: match namer.lang {
                    Lang::Zh => format!(
                        "权重 {} × 得分 {}（{}）",
                        num(i.weight.unwrap_or(0.0)),
                        num(i.credit.unwrap_or(0.0)),
                        status_word(i.status, namer.lang)
                    ),
                    Lang::En => format!(
                        "weight {} × credit {} ({})",
                        num(i.weight.unwrap_or(0.0)),
                        num(i.credit.unwrap_or(0.0)),
                        status_word(i.status, namer.lang)
                    ),
                },
                raw: serde_json::json!({"weight": i.weight, "credit": i.credit}),
            })
            .collect();
        let working = if possible > 0.0 {
            format!("100 × {} ÷ {} = {}", num(earned), num(possible), d.score)
        } else {
            namer.zh_en("没有可计分的检查：0", "no check to score: 0")
        };
        steps.push(Step::new(
            d.id.clone(),
            d.label.clone(),
            d.score.to_string(),
            vec![RuleTrace {
                role: namer.zh_en("维度得分", "dimension score"),
                kind: "score".into(),
                field: String::new(),
                location: String::new(),
                source: namer.zh_en(
                    "100 × Σ(权重 × 得分) ÷ Σ权重",
                    "100 × Σ(weight × credit) ÷ Σ weight",
                ),
                reads,
                intermediate: Vec::new(),
                result: working,
                in_text: false,
            }],
        ));
    }
    let total_weight: f64 = card.dimensions.iter().map(|d| d.weight).sum();
    let weighted: f64 = card
        .dimensions
        .iter()
        .map(|d| d.weight * d.score as f64)
        .sum();
    let reads = card
        .dimensions
        .iter()
        .map(|d| Read {
            name: d.id.clone(),
            kind: "score",
            label: d.label.clone(),
            value: match namer.lang {
                Lang::Zh => format!("{} 分 × 权重 {}", d.score, num(d.weight)),
                Lang::En => format!("{} × weight {}", d.score, num(d.weight)),
            },
            raw: serde_json::json!({"score": d.score, "weight": d.weight}),
        })
        .collect();
    steps.push(Step::new(
        "overall".into(),
        namer.zh_en("总分", "Overall score"),
        card.overall.to_string(),
        vec![RuleTrace {
            role: namer.zh_en("总分", "overall score"),
            kind: "score".into(),
            field: String::new(),
            location: String::new(),
            source: namer.zh_en(
                "Σ(维度得分 × 权重) ÷ Σ权重",
                "Σ(dimension score × weight) ÷ Σ weight",
            ),
            reads,
            intermediate: Vec::new(),
            result: format!(
                "{} ÷ {} ≈ {}",
                num(weighted),
                num(total_weight),
                card.overall
            ),
            in_text: false,
        }],
    ));
    steps
}

/// A status as the documents name it.
fn status_word(s: Status, lang: Lang) -> &'static str {
    match (lang, s) {
        (Lang::Zh, Status::Done) => "已完成",
        (Lang::Zh, Status::Todo) => "待办",
        (Lang::Zh, Status::Blocked) => "受阻",
        (Lang::Zh, Status::Info) => "说明",
        (Lang::En, Status::Done) => "done",
        (Lang::En, Status::Todo) => "to do",
        (Lang::En, Status::Blocked) => "blocked",
        (Lang::En, Status::Info) => "note",
    }
}

/// The shared facts named, with the facts they read in turn, in the shared layer's order.
fn fact_steps(library: &Library, data: &ProfileData, lang: Lang, wanted: Vec<String>) -> Vec<Step> {
    let shared = library.shared();
    let mut needed: Vec<String> = Vec::new();
    let mut frontier = wanted;
    while let Some(id) = frontier.pop() {
        if needed.contains(&id) {
            continue;
        }
        if let Some(fact) = shared.facts.iter().find(|f| f.id == id) {
            frontier.extend(paths(&fact.script.source).into_iter().filter_map(|p| {
                let root = p.split('.').next().unwrap_or(&p).to_string();
                shared.facts.iter().any(|f| f.id == root).then_some(root)
            }));
        }
        needed.push(id);
    }
    let namer = Namer {
        shared,
        lang,
        value_labels: &[],
        element: None,
    };
    crate::rules::with_limits(data.limits(), || {
        let mut scope = crate::evaluate::brand_scope(data);
        shared
            .facts
            .iter()
            .filter(|f| needed.contains(&f.id))
            .map(|fact| {
                let mark = scope.len();
                let result = library
                    .engine
                    .eval_ast_with_scope::<Dynamic>(&mut scope, &fact.script.ast)
                    .map_err(|e| e.to_string());
                let location = fact.script.locate(&shared.source, 1, 1).to_string();
                let rule = namer.trace(&scope, mark, &fact.script, location, &result);
                scope.rewind(mark);
                let value = data
                    .facts
                    .iter()
                    .find(|(id, _)| *id == fact.id)
                    .map(|(_, v)| namer.describe(v, "fact"))
                    .unwrap_or_default();
                Step::new(fact.id.clone(), fact.label(lang), value, vec![rule])
            })
            .collect()
    })
}

/// The explanation as a consultant reads it in a terminal.
pub fn text(e: &Explanation) -> String {
    let zh = e.lang == Lang::Zh;
    let t = |zh_text: &'static str, en_text: &'static str| if zh { zh_text } else { en_text };
    let mut out = String::new();
    let _ = writeln!(out, "{} · {}", e.title, e.brand);
    let section = |out: &mut String, heading: &str, steps: &[Step]| {
        if steps.is_empty() {
            return;
        }
        let _ = writeln!(out, "\n== {heading} ==");
        for step in steps {
            step_text(out, step, zh);
        }
    };
    if let Some(v) = &e.verdict {
        section(&mut out, t("结论", "Verdict"), std::slice::from_ref(v));
    }
    section(&mut out, t("数值", "Values"), &e.values);
    section(&mut out, t("检查项", "Items"), &e.items);
    section(&mut out, t("得分", "Scores"), &e.scores);
    section(&mut out, t("共用事实", "Shared facts"), &e.facts);
    out
}

fn step_text(out: &mut String, step: &Step, zh: bool) {
    let t = |zh_text: &'static str, en_text: &'static str| if zh { zh_text } else { en_text };
    let _ = writeln!(out, "\n{} [{}]", step.label, step.id);
    let _ = writeln!(out, "  {}{}", t("结果：", "Result: "), step.result);
    for rule in &step.rules {
        match (zh, rule.location.is_empty()) {
            (_, true) => {
                let _ = writeln!(out, "  {}", rule.role);
            }
            (true, false) => {
                let _ = writeln!(out, "  {}（{}）", rule.role, rule.location);
            }
            (false, false) => {
                let _ = writeln!(out, "  {} ({})", rule.role, rule.location);
            }
        }
        for line in rule.source.lines() {
            let _ = writeln!(out, "      {line}");
        }
        if !rule.reads.is_empty() {
            let _ = writeln!(out, "    {}", t("读取：", "reads:"));
            for r in &rule.reads {
                let _ = writeln!(out, "      {} = {}    [{}]", r.label, r.value, r.name);
            }
        }
        if !rule.intermediate.is_empty() {
            let _ = writeln!(out, "    {}", t("中间值：", "intermediate values:"));
            for r in &rule.intermediate {
                let _ = writeln!(out, "      {} = {}", r.name, r.value);
            }
        }
        let _ = writeln!(out, "    {}{}", t("得出：", "gives: "), rule.result);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_dotted_names_outside_strings_and_calls() {
        let src = r#"
            // account.ignored
            let gap = assumptions.live_unlock_followers - account.followers;
            if products.filter(|p| p.role == "hero").len() > 0 && gap > 0 { "a.b" } else { `x.y` }
            data_check?.gap + it.price + max(1, 2)
        "#;
        assert_eq!(
            paths(src),
            [
                "let",
                "gap",
                "assumptions.live_unlock_followers",
                "account.followers",
                "if",
                "products",
                "p",
                "p.role",
                "else",
                "data_check.gap",
                "it.price",
            ]
        );
    }
}
