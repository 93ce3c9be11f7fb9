//! Playbooks: YAML data holding rules. Loading one parses it, checks it and compiles every
//! script once; the compiled playbook then runs against any number of profiles.

mod source;
pub mod spec;
pub mod text;

use crate::error::{Error, Location, Result};
use crate::report::Lang;
use rhai::{Engine, Scope, AST};
use source::{SourceMap, Span};
use spec::{NumberOrScript, PlaybookSpec, Status, Text};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use text::{Format, Piece};

pub use spec::Kind;

/// A compiled script and where it came from.
#[derive(Debug, Clone)]
pub(crate) struct Script {
    pub ast: AST,
    /// Path of the field in the playbook, e.g. `sections.0.items.2.done_if`.
    pub field: String,
    /// Where its text starts in the file.
    pub span: Span,
}

#[derive(Debug, Clone)]
pub(crate) enum Part {
    Literal(String),
    Placeholder(Script, Option<Format>),
}

/// A text compiled for both languages.
#[derive(Debug, Clone)]
pub(crate) struct Phrase {
    pub zh: Vec<Part>,
    pub en: Vec<Part>,
}

impl Phrase {
    pub fn parts(&self, lang: Lang) -> &[Part] {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Value {
    pub id: String,
    pub label: Phrase,
    pub script: Script,
    pub needs: Vec<String>,
    pub format: Option<Format>,
    pub working: Option<Phrase>,
    pub hidden: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Section {
    pub id: String,
    pub title: Phrase,
    pub intro: Option<Phrase>,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone)]
pub(crate) enum Decision {
    Fixed(Status),
    DoneIf(Script, Status),
    Scripted(Script),
}

#[derive(Debug, Clone)]
pub(crate) enum Priority {
    Fixed(i64),
    Scripted(Script),
}

#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub id: String,
    pub kind: Kind,
    pub title: Phrase,
    pub needs: Vec<String>,
    pub when: Option<Script>,
    pub for_each: Option<Script>,
    /// What `for_each` walks, for messages (`products`), or `it`.
    pub each_name: String,
    pub decision: Decision,
    pub why: Phrase,
    pub action: Option<Phrase>,
    pub owner: Option<Phrase>,
    pub priority: Option<Priority>,
    pub due: Option<Script>,
    /// The scorecard dimension it counts towards, its weight there, and its partial credit.
    pub dimension: Option<String>,
    pub weight: f64,
    pub credit: Option<Script>,
    pub covered_by: Option<String>,
}

impl Item {
    /// Whether the item scores into a dimension: it has one and is not a plain note
    /// (a fixed `info` status without a `credit` rule).
    pub(crate) fn is_check(&self) -> bool {
        self.dimension.is_some()
            && !(matches!(self.decision, Decision::Fixed(Status::Info)) && self.credit.is_none())
    }
}

/// One scorecard dimension.
#[derive(Debug, Clone)]
pub(crate) struct Dimension {
    pub id: String,
    pub label: Phrase,
    pub weight: f64,
}

#[derive(Debug, Clone)]
pub(crate) struct Verdict {
    pub script: Script,
    pub outcomes: Vec<(String, Phrase)>,
    pub why: Option<Phrase>,
}

/// A playbook, checked and compiled, ready to run against profiles.
#[derive(Debug, Clone)]
pub struct Playbook {
    pub id: String,
    /// Title in both languages, placeholders unexpanded (for listings).
    pub title: Text,
    /// The file it came from (bundled playbooks show their path in the repository).
    pub source: PathBuf,
    /// The template to render with, when the playbook names one.
    pub template: Option<String>,
    pub(crate) summary: Option<Phrase>,
    pub(crate) needs: Vec<String>,
    pub(crate) values: Vec<Value>,
    pub(crate) sections: Vec<Section>,
    pub(crate) verdict: Verdict,
    /// Scorecard dimensions; empty for playbooks without a scorecard.
    pub(crate) dimensions: Vec<Dimension>,
    /// Every `covered_by` playbook id with where it is written, for `check`.
    pub references: Vec<(String, Location)>,
}

/// Compiles one playbook file's scripts, knowing where each one sits.
struct Compiler<'a> {
    engine: &'a Engine,
    file: &'a Path,
    map: SourceMap,
    /// Variables every script may read: sections, `lang`, and the values' ids.
    names: Vec<String>,
}

impl Compiler<'_> {
    /// Where (line, column) `at` inside a field's text sits in the file.
    fn location(&self, field: &str, at: (usize, usize)) -> Location {
        match self.map.get(field) {
            Some(span) => {
                let (line, column) = span.offset(at.0, at.1);
                Location::at(self.file, line, column)
            }
            None => Location::file(self.file),
        }
    }

    fn error_at(&self, field: &str, at: (usize, usize), message: String) -> Error {
        Error::Playbook {
            location: self.location(field, at),
            message: format!("in `{field}`: {message}"),
        }
    }

    fn scope(&self, extra: &[&str]) -> Scope<'static> {
        let mut scope = Scope::new();
        for name in self
            .names
            .iter()
            .map(String::as_str)
            .chain(extra.iter().copied())
        {
            // Plain variables, not constants: the optimiser would fold a constant's placeholder in.
            scope.push_dynamic(name.to_string(), rhai::Dynamic::UNIT);
        }
        scope
    }

    fn script(&self, field: &str, source: &str, extra: &[&str]) -> Result<Script> {
        self.script_at(field, source, extra, (1, 1))
    }

    /// Compiles `source`, which starts at (line, column) `at` inside the field's text.
    fn script_at(
        &self,
        field: &str,
        source: &str,
        extra: &[&str],
        at: (usize, usize),
    ) -> Result<Script> {
        let ast = self
            .engine
            .compile_with_scope(&self.scope(extra), source)
            .map_err(|e| {
                let pos = e.position();
                let (line, col) = (pos.line().unwrap_or(1), pos.position().unwrap_or(1));
                let inner = if line == 1 {
                    (at.0, at.1 + col - 1)
                } else {
                    (at.0 + line - 1, col)
                };
                self.error_at(field, inner, format!("{}", e.err_type()))
            })?;
        let span = self.map.get(field).unwrap_or_default();
        // A placeholder's script starts inside the text: shift the span to its start.
        let span = if at == (1, 1) {
            span
        } else {
            let (line, column) = span.offset(at.0, at.1);
            Span {
                line,
                column,
                block: span.block && at.0 == 1,
            }
        };
        Ok(Script {
            ast,
            field: field.to_string(),
            span,
        })
    }

    fn text(&self, field: &str, text: &Text, extra: &[&str]) -> Result<Phrase> {
        let lang = |code: &str, s: &str| -> Result<Vec<Part>> {
            let field = format!("{field}.{code}");
            if s.trim().is_empty() {
                return Err(self.error_at(&field, (1, 1), "the text is empty".into()));
            }
            let pieces = text::split(s).map_err(|(at, m)| self.error_at(&field, at, m))?;
            pieces
                .into_iter()
                .map(|piece| match piece {
                    Piece::Literal(s) => Ok(Part::Literal(s)),
                    Piece::Placeholder { expr, format, at } => Ok(Part::Placeholder(
                        self.script_at(&field, &expr, extra, at)?,
                        format,
                    )),
                })
                .collect()
        };
        Ok(Phrase {
            zh: lang("zh", &text.zh)?,
            en: lang("en", &text.en)?,
        })
    }

    fn check_needs(&self, field: &str, needs: &[String], allow_it: bool) -> Result<()> {
        for (i, need) in needs.iter().enumerate() {
            let ok = if let Some(rest) = need.strip_prefix("it.") {
                allow_it && !rest.is_empty()
            } else {
                crate::facts::known_field(need)
            };
            if !ok {
                let hint = match crate::suggest::nearest(
                    need,
                    crate::facts::known_fields().iter().map(String::as_str),
                ) {
                    Some(best) => format!(": did you mean `{best}`?"),
                    None if need.starts_with("it.") => {
                        ": `it.` fields are only for items with `for_each`".into()
                    }
                    None => String::new(),
                };
                return Err(self.error_at(
                    &format!("{field}.{i}"),
                    (1, 1),
                    format!("`{need}` is not a profile field{hint}"),
                ));
            }
        }
        Ok(())
    }
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

impl Playbook {
    /// Parses, checks and compiles a playbook. `file` names it in messages.
    pub fn compile(engine: &Engine, file: &Path, text: &str) -> Result<Playbook> {
        let spec: PlaybookSpec = serde_yaml::from_str(text).map_err(|e| {
            let Error::Profile { location, message } = crate::profile::yaml_error(file, &e) else {
                unreachable!("yaml_error builds a located error")
            };
            Error::Playbook { location, message }
        })?;
        let mut c = Compiler {
            engine,
            file,
            map: SourceMap::build(text),
            names: crate::facts::SECTIONS
                .iter()
                .map(|s| s.to_string())
                .collect(),
        };
        c.names.push("lang".into());

        if !is_slug(&spec.id) {
            return Err(c.error_at(
                "id",
                (1, 1),
                "an id is lowercase letters, digits and `-`".into(),
            ));
        }
        if spec.format != 1 {
            return Err(c.error_at("format", (1, 1), "only format 1 exists".into()));
        }
        c.check_needs("needs", &spec.needs, false)?;

        let mut values = Vec::new();
        let mut seen = HashSet::new();
        for (i, v) in spec.values.iter().enumerate() {
            let field = format!("values.{i}");
            if !is_identifier(&v.id)
                || crate::facts::SECTIONS.contains(&v.id.as_str())
                || !seen.insert(&v.id)
            {
                return Err(c.error_at(
                    &format!("{field}.id"),
                    (1, 1),
                    format!(
                        "value id `{}` must be unique, lowercase with `_`, and not a profile section",
                        v.id
                    ),
                ));
            }
            c.check_needs(&format!("{field}.needs"), &v.needs, false)?;
            let format = match &v.format {
                Some(name) => Some(Format::parse(name).ok_or_else(|| {
                    c.error_at(
                        &format!("{field}.format"),
                        (1, 1),
                        format!(
                            "unknown format `{name}` (allowed: {})",
                            Format::NAMES.join(", ")
                        ),
                    )
                })?),
                None => None,
            };
            // A value sees the values before it (and itself in its label and working).
            let script = c.script(&format!("{field}.script"), &v.script, &[])?;
            c.names.push(v.id.clone());
            values.push(Value {
                id: v.id.clone(),
                label: c.text(&format!("{field}.label"), &v.label, &[])?,
                working: match &v.working {
                    Some(t) => Some(c.text(&format!("{field}.working"), t, &[])?),
                    None => None,
                },
                script,
                needs: v.needs.clone(),
                format,
                hidden: v.hidden,
            });
        }

        let mut dimensions = Vec::new();
        if let Some(card) = &spec.scorecard {
            if card.dimensions.is_empty() {
                return Err(c.error_at(
                    "scorecard.dimensions",
                    (1, 1),
                    "list at least one dimension".into(),
                ));
            }
            for (i, d) in card.dimensions.iter().enumerate() {
                let field = format!("scorecard.dimensions.{i}");
                if !is_identifier(&d.id) || dimensions.iter().any(|x: &Dimension| x.id == d.id) {
                    return Err(c.error_at(
                        &format!("{field}.id"),
                        (1, 1),
                        format!(
                            "dimension id `{}` must be unique and lowercase with `_`",
                            d.id
                        ),
                    ));
                }
                if !(d.weight.is_finite() && d.weight > 0.0) {
                    return Err(c.error_at(
                        &format!("{field}.weight"),
                        (1, 1),
                        "a weight is a number above 0".into(),
                    ));
                }
                dimensions.push(Dimension {
                    id: d.id.clone(),
                    label: c.text(&format!("{field}.label"), &d.label, &[])?,
                    weight: d.weight,
                });
            }
        }
        let dimension_ids: Vec<&str> = dimensions.iter().map(|d| d.id.as_str()).collect();
        let check_dimension = |field: &str, d: &Option<String>| -> Result<()> {
            match d {
                Some(id) if !dimension_ids.contains(&id.as_str()) => Err(c.error_at(
                    field,
                    (1, 1),
                    if dimension_ids.is_empty() {
                        format!("dimension `{id}` needs a `scorecard` that declares it")
                    } else {
                        format!(
                            "unknown dimension `{id}` (the scorecard has: {})",
                            dimension_ids.join(", ")
                        )
                    },
                )),
                _ => Ok(()),
            }
        };

        let mut references = Vec::new();
        let mut sections = Vec::new();
        let mut item_ids = HashSet::new();
        for (s, sec) in spec.sections.iter().enumerate() {
            let sfield = format!("sections.{s}");
            check_dimension(&format!("{sfield}.dimension"), &sec.dimension)?;
            let mut items = Vec::new();
            for (i, it) in sec.items.iter().enumerate() {
                let field = format!("{sfield}.items.{i}");
                if !is_slug(&it.id) || !item_ids.insert(it.id.clone()) {
                    return Err(c.error_at(
                        &format!("{field}.id"),
                        (1, 1),
                        format!("item id `{}` must be unique and lowercase with `-`", it.id),
                    ));
                }
                let each = it.for_each.is_some();
                let extra: &[&str] = if each { &["it", "index"] } else { &[] };
                c.check_needs(&format!("{field}.needs"), &it.needs, each)?;
                let decision = match (&it.done_if, it.status, &it.status_script) {
                    (Some(cond), None, None) => Decision::DoneIf(
                        c.script(&format!("{field}.done_if"), cond, extra)?,
                        it.otherwise.unwrap_or(Status::Todo),
                    ),
                    (None, Some(status), None) => Decision::Fixed(status),
                    (None, None, Some(script)) => Decision::Scripted(c.script(
                        &format!("{field}.status_script"),
                        script,
                        extra,
                    )?),
                    (None, None, None) => Decision::Fixed(Status::Info),
                    _ => {
                        return Err(c.error_at(
                            &format!("{field}.id"),
                            (1, 1),
                            "give only one of `done_if`, `status` and `status_script`".into(),
                        ))
                    }
                };
                if it.otherwise.is_some() && it.done_if.is_none() {
                    return Err(c.error_at(
                        &format!("{field}.otherwise"),
                        (1, 1),
                        "`otherwise` only goes with `done_if`".into(),
                    ));
                }
                check_dimension(&format!("{field}.dimension"), &it.dimension)?;
                let dimension = it.dimension.clone().or_else(|| sec.dimension.clone());
                if dimension.is_none() && (it.weight.is_some() || it.credit.is_some()) {
                    return Err(c.error_at(
                        &format!("{field}.id"),
                        (1, 1),
                        "`weight` and `credit` only go with a `dimension` (on the item or its section)"
                            .into(),
                    ));
                }
                let weight = it.weight.unwrap_or(1.0);
                if !(weight.is_finite() && weight > 0.0) {
                    return Err(c.error_at(
                        &format!("{field}.weight"),
                        (1, 1),
                        "a weight is a number above 0".into(),
                    ));
                }
                if let Some(id) = &it.covered_by {
                    references.push((
                        id.clone(),
                        c.location(&format!("{field}.covered_by"), (1, 1)),
                    ));
                    if !is_slug(id) {
                        return Err(c.error_at(
                            &format!("{field}.covered_by"),
                            (1, 1),
                            format!("`{id}` is not a playbook id"),
                        ));
                    }
                }
                let opt_text = |name: &str, t: &Option<Text>| -> Result<Option<Phrase>> {
                    t.as_ref()
                        .map(|t| c.text(&format!("{field}.{name}"), t, extra))
                        .transpose()
                };
                let opt_script = |name: &str, s: &Option<String>| -> Result<Option<Script>> {
                    s.as_ref()
                        .map(|s| c.script(&format!("{field}.{name}"), s, extra))
                        .transpose()
                };
                items.push(Item {
                    id: it.id.clone(),
                    kind: it.kind,
                    title: c.text(&format!("{field}.title"), &it.title, extra)?,
                    needs: it.needs.clone(),
                    when: opt_script("when", &it.when)?,
                    for_each: match &it.for_each {
                        Some(s) => Some(c.script(&format!("{field}.for_each"), s, &[])?),
                        None => None,
                    },
                    each_name: it
                        .for_each
                        .as_deref()
                        .map(str::trim)
                        .filter(|s| s.split('.').all(is_identifier))
                        .unwrap_or("it")
                        .to_string(),
                    decision,
                    why: c.text(&format!("{field}.why"), &it.why, extra)?,
                    action: opt_text("action", &it.action)?,
                    owner: opt_text("owner", &it.owner)?,
                    priority: match &it.priority {
                        Some(NumberOrScript::Number(n)) => Some(Priority::Fixed(*n)),
                        Some(NumberOrScript::Script(s)) => Some(Priority::Scripted(c.script(
                            &format!("{field}.priority"),
                            s,
                            extra,
                        )?)),
                        None => None,
                    },
                    due: opt_script("due", &it.due)?,
                    credit: opt_script("credit", &it.credit)?,
                    dimension,
                    weight,
                    covered_by: it.covered_by.clone(),
                });
            }
            sections.push(Section {
                id: sec.id.clone(),
                title: c.text(&format!("{sfield}.title"), &sec.title, &[])?,
                intro: match &sec.intro {
                    Some(t) => Some(c.text(&format!("{sfield}.intro"), t, &[])?),
                    None => None,
                },
                items,
            });
        }

        // `for_each` items are numbered `<id>-1`, `<id>-2`...: no other id may look like one.
        for (s, sec) in spec.sections.iter().enumerate() {
            for (i, it) in sec.items.iter().enumerate() {
                let clash = spec
                    .sections
                    .iter()
                    .flat_map(|x| &x.items)
                    .filter(|other| other.for_each.is_some())
                    .find(|other| {
                        it.id.strip_prefix(other.id.as_str()).is_some_and(|rest| {
                            rest.strip_prefix('-').is_some_and(|n| {
                                !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
                            })
                        })
                    });
                if let Some(other) = clash {
                    return Err(c.error_at(
                        &format!("sections.{s}.items.{i}.id"),
                        (1, 1),
                        format!(
                            "`{}` could be one of the items `{}` numbers with `for_each`; pick another id",
                            it.id, other.id
                        ),
                    ));
                }
            }
        }

        let verdict_vars = ["items", "needs", "scores", "overall"];
        let script = c.script("verdict.script", &spec.verdict.script, &verdict_vars)?;
        let mut outcomes = Vec::new();
        for (id, label) in &spec.verdict.outcomes {
            if !is_slug(id) {
                return Err(c.error_at(
                    "verdict.outcomes",
                    (1, 1),
                    format!("outcome id `{id}` must be lowercase with `-`"),
                ));
            }
            outcomes.push((
                id.clone(),
                c.text(&format!("verdict.outcomes.{id}"), label, &[])?,
            ));
        }
        if outcomes.is_empty() {
            return Err(c.error_at(
                "verdict.outcomes",
                (1, 1),
                "list at least one outcome".into(),
            ));
        }
        let why = match &spec.verdict.why {
            Some(t) => Some(c.text(
                "verdict.why",
                t,
                &["items", "needs", "scores", "overall", "verdict"],
            )?),
            None => None,
        };

        Ok(Playbook {
            id: spec.id,
            title: spec.title,
            source: file.to_path_buf(),
            template: spec.template,
            summary: match &spec.summary {
                Some(t) => Some(c.text("summary", t, &[])?),
                None => None,
            },
            needs: spec.needs,
            values,
            sections,
            verdict: Verdict {
                script,
                outcomes,
                why,
            },
            dimensions,
            references,
        })
    }

    /// The title in one language, as written.
    pub fn title_in(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.title.zh,
            Lang::En => &self.title.en,
        }
    }

    /// Where a script's error at its own (line, column) sits in the playbook file.
    pub(crate) fn locate(&self, script: &Script, line: usize, column: usize) -> Location {
        if script.span.line == 0 {
            return Location::file(&self.source);
        }
        let (l, c) = script.span.offset(line, column);
        Location::at(&self.source, l, c)
    }
}
