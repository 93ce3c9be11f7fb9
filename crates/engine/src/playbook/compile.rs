//! Compiling a playbook: its YAML read into the format's types, every field checked, and
//! every script compiled once, with errors that point at the line and column in the file.

use super::shared::{Glossary, Shared};
use super::source::{SourceMap, Span};
use super::spec::{
    ItemSpec, NumberOrScript, PlaybookSpec, ScorecardSpec, SectionSpec, Status, Text, ValueSpec,
    VerdictSpec,
};
use super::spec::{NotApplicableSpec, OwnerSpec};
use super::text::{self, Format, Piece};
use super::NotApplicable;
use super::{
    Decision, Dimension, Item, Part, Phrase, Playbook, Priority, Reference, Script, Section, Value,
    Verdict,
};
use crate::error::{Error, Location, Result};
use rhai::{Engine, Scope};
use std::cell::RefCell;
use std::collections::{BTreeSet, HashSet};
use std::path::Path;

/// Parses, checks and compiles a playbook. `file` names it in messages.
pub(super) fn compile(
    engine: &Engine,
    shared: &Shared,
    file: &Path,
    text: &str,
) -> Result<Playbook> {
    let spec: PlaybookSpec = yaml_serde::from_str(text).map_err(|e| {
        let Error::Profile { location, message } = crate::profile::yaml_error(file, &e) else {
            unreachable!("yaml_error builds a located error")
        };
        Error::Playbook { location, message }
    })?;
    let mut c = Compiler::new(engine, file, text, Some(shared), true);
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
    c.check_needs("decisive", &spec.decisive, false)?;
    let values = c.values(&spec.values)?;
    let dimensions = c.dimensions(spec.scorecard.as_ref())?;
    let (sections, mut references) = c.sections(&spec.sections, &dimensions)?;
    c.check_numbered_ids(&spec.sections)?;
    let verdict = c.verdict(&spec.verdict)?;
    let not_applicable = c.not_applicable(&spec.not_applicable, &mut references)?;
    let summary = match &spec.summary {
        Some(t) => Some(c.text("summary", t, &[])?),
        None => None,
    };
    let assumptions_used = shared.assumptions_read(&c.take_refs());
    Ok(Playbook {
        id: spec.id,
        title: spec.title,
        source: file.to_path_buf(),
        template: spec.template,
        order: spec.order,
        summary,
        needs: spec.needs,
        values,
        sections,
        verdict,
        dimensions,
        not_applicable,
        decisive: spec.decisive,
        assumptions_used,
        references,
    })
}

/// Compiles one playbook file's scripts, knowing where each one sits.
pub(super) struct Compiler<'a> {
    engine: &'a Engine,
    file: &'a Path,
    map: SourceMap,
    /// Variables every script may read: sections, shared facts, `lang`, and the values'
    /// ids.
    names: Vec<String>,
    /// The shared layer's glossary, for owner roles.
    glossary: Option<&'a Glossary>,
    /// Identifiers and `assumptions.<id>` paths the scripts compiled so far read.
    refs: RefCell<BTreeSet<String>>,
}

impl<'a> Compiler<'a> {
    /// A compiler for `file`; `shared` adds its facts to the names scripts may read, and
    /// `lang` makes the report language readable (facts are the same in every language).
    pub(super) fn new(
        engine: &'a Engine,
        file: &'a Path,
        text: &str,
        shared: Option<&'a Shared>,
        lang: bool,
    ) -> Compiler<'a> {
        let mut names: Vec<String> = crate::facts::SECTIONS
            .iter()
            .map(|s| s.to_string())
            .collect();
        if let Some(shared) = shared {
            names.extend(shared.names().map(str::to_string));
        }
        if lang {
            names.push("lang".to_string());
        }
        Compiler {
            engine,
            file,
            map: SourceMap::build(text),
            names,
            glossary: shared.map(|s| &s.glossary),
            refs: RefCell::new(BTreeSet::new()),
        }
    }

    pub(super) fn add_name(&mut self, name: &str) {
        self.names.push(name.to_string());
    }

    /// What the scripts compiled since the last call read.
    pub(super) fn take_refs(&self) -> BTreeSet<String> {
        std::mem::take(&mut *self.refs.borrow_mut())
    }

    /// A new variable name (a value's or a fact's id): an identifier, unused so far.
    pub(super) fn check_new_name(&self, field: &str, id: &str, what: &str) -> Result<()> {
        if !is_identifier(id) || self.names.iter().any(|n| n == id) {
            return Err(self.error_at(
                field,
                (1, 1),
                format!(
                    "{what} id `{id}` must be unique, lowercase with `_`, and not a profile section or shared fact"
                ),
            ));
        }
        Ok(())
    }

    pub(super) fn format(&self, field: &str, name: Option<&str>) -> Result<Option<Format>> {
        match name {
            Some(name) => Ok(Some(Format::parse(name).ok_or_else(|| {
                self.error_at(
                    field,
                    (1, 1),
                    format!(
                        "unknown format `{name}` (allowed: {})",
                        Format::NAMES.join(", ")
                    ),
                )
            })?)),
            None => Ok(None),
        }
    }

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

    pub(super) fn error_at(&self, field: &str, at: (usize, usize), message: String) -> Error {
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

    pub(super) fn script(&self, field: &str, source: &str, extra: &[&str]) -> Result<Script> {
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
                let mut message = format!("{}", e.err_type());
                if let rhai::ParseErrorType::VariableUndefined(name) = e.err_type() {
                    let known = self
                        .names
                        .iter()
                        .map(String::as_str)
                        .chain(extra.iter().copied());
                    if let Some(best) = crate::suggest::nearest(name, known) {
                        message.push_str(&format!("; did you mean `{best}`?"));
                    }
                }
                self.error_at(field, inner, message)
            })?;
        record_refs(source, &mut self.refs.borrow_mut());
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
            source: source.to_string(),
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
            // `a|b`: either field will do.
            let ok = need.split('|').all(|need| {
                if let Some(rest) = need.strip_prefix("it.") {
                    allow_it && !rest.is_empty()
                } else {
                    crate::facts::known_field(need)
                }
            });
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

    /// The `values` list: ids unique and not section names; each value's script sees
    /// the values before it.
    fn values(&mut self, specs: &[ValueSpec]) -> Result<Vec<Value>> {
        let mut values = Vec::new();
        let mut seen = HashSet::new();
        for (i, v) in specs.iter().enumerate() {
            let field = format!("values.{i}");
            self.check_new_name(&format!("{field}.id"), &v.id, "value")?;
            if !seen.insert(&v.id) {
                return Err(self.error_at(
                    &format!("{field}.id"),
                    (1, 1),
                    format!("value id `{}` is used twice", v.id),
                ));
            }
            self.check_needs(&format!("{field}.needs"), &v.needs, false)?;
            let format = self.format(&format!("{field}.format"), v.format.as_deref())?;
            // A value sees the values before it (and itself in its label and working).
            let script = self.script(&format!("{field}.script"), &v.script, &[])?;
            let when = match &v.when {
                Some(w) => Some(self.script(&format!("{field}.when"), w, &[])?),
                None => None,
            };
            self.names.push(v.id.clone());
            values.push(Value {
                id: v.id.clone(),
                label: self.text(&format!("{field}.label"), &v.label, &[])?,
                working: match &v.working {
                    Some(t) => Some(self.text(&format!("{field}.working"), t, &[])?),
                    None => None,
                },
                script,
                needs: v.needs.clone(),
                when,
                format,
                hidden: v.hidden,
                key: v.key,
            });
        }
        Ok(values)
    }

    /// The scorecard's dimensions, if the playbook has a scorecard.
    fn dimensions(&self, card: Option<&ScorecardSpec>) -> Result<Vec<Dimension>> {
        let mut dimensions = Vec::new();
        if let Some(card) = card {
            if card.dimensions.is_empty() {
                return Err(self.error_at(
                    "scorecard.dimensions",
                    (1, 1),
                    "list at least one dimension".into(),
                ));
            }
            for (i, d) in card.dimensions.iter().enumerate() {
                let field = format!("scorecard.dimensions.{i}");
                if !is_identifier(&d.id) || dimensions.iter().any(|x: &Dimension| x.id == d.id) {
                    return Err(self.error_at(
                        &format!("{field}.id"),
                        (1, 1),
                        format!(
                            "dimension id `{}` must be unique and lowercase with `_`",
                            d.id
                        ),
                    ));
                }
                if !(d.weight.is_finite() && d.weight > 0.0) {
                    return Err(self.error_at(
                        &format!("{field}.weight"),
                        (1, 1),
                        "a weight is a number above 0".into(),
                    ));
                }
                dimensions.push(Dimension {
                    id: d.id.clone(),
                    label: self.text(&format!("{field}.label"), &d.label, &[])?,
                    weight: d.weight,
                });
            }
        }
        Ok(dimensions)
    }

    /// A `dimension` field names one the scorecard declares.
    fn check_dimension(
        &self,
        dimensions: &[Dimension],
        field: &str,
        d: &Option<String>,
    ) -> Result<()> {
        let ids: Vec<&str> = dimensions.iter().map(|d| d.id.as_str()).collect();
        match d {
            Some(id) if !ids.contains(&id.as_str()) => Err(self.error_at(
                field,
                (1, 1),
                if ids.is_empty() {
                    format!("dimension `{id}` needs a `scorecard` that declares it")
                } else {
                    format!(
                        "unknown dimension `{id}` (the scorecard has: {})",
                        ids.join(", ")
                    )
                },
            )),
            _ => Ok(()),
        }
    }

    /// The sections and their items, with every `covered_by` reference and where it is.
    fn sections(
        &self,
        specs: &[SectionSpec],
        dimensions: &[Dimension],
    ) -> Result<(Vec<Section>, Vec<Reference>)> {
        let mut references = Vec::new();
        let mut sections = Vec::new();
        let mut item_ids: std::collections::HashMap<String, String> = Default::default();
        for (s, sec) in specs.iter().enumerate() {
            let sfield = format!("sections.{s}");
            self.check_dimension(dimensions, &format!("{sfield}.dimension"), &sec.dimension)?;
            let mut items = Vec::new();
            for (i, it) in sec.items.iter().enumerate() {
                let field = format!("{sfield}.items.{i}");
                if !is_slug(&it.id) {
                    return Err(self.error_at(
                        &format!("{field}.id"),
                        (1, 1),
                        format!(
                            "item id `{}` should be lowercase letters, digits and `-`",
                            it.id
                        ),
                    ));
                }
                if let Some(first) = item_ids.get(&it.id) {
                    let at = self.location(&format!("{first}.id"), (1, 1));
                    let line = at.line.map(|l| format!(" (line {l})")).unwrap_or_default();
                    return Err(self.error_at(
                        &format!("{field}.id"),
                        (1, 1),
                        format!("item id `{}` is used twice: also at `{first}`{line}", it.id),
                    ));
                }
                item_ids.insert(it.id.clone(), field.clone());
                items.push(self.item(&field, it, sec, dimensions, &mut references)?);
            }
            sections.push(Section {
                id: sec.id.clone(),
                title: self.text(&format!("{sfield}.title"), &sec.title, &[])?,
                intro: match &sec.intro {
                    Some(t) => Some(self.text(&format!("{sfield}.intro"), t, &[])?),
                    None => None,
                },
                table: match &sec.table {
                    Some(t) => Some(self.script(&format!("{sfield}.table"), t, &[])?),
                    None => None,
                },
                chart: match &sec.chart {
                    Some(t) => Some(self.script(&format!("{sfield}.chart"), t, &[])?),
                    None => None,
                },
                items,
            });
        }
        Ok((sections, references))
    }

    /// One item of section `sec`, at `field`; records its `covered_by` in `references`.
    fn item(
        &self,
        field: &str,
        it: &ItemSpec,
        sec: &SectionSpec,
        dimensions: &[Dimension],
        references: &mut Vec<Reference>,
    ) -> Result<Item> {
        let each = it.for_each.is_some();
        let extra: &[&str] = if each { &["it", "index"] } else { &[] };
        self.check_needs(&format!("{field}.needs"), &it.needs, each)?;
        let decision = self.decision(field, it, extra)?;
        let (dimension, weight) = self.scoring(field, it, sec, dimensions)?;
        if let Some(id) = &it.covered_by {
            references.push((
                id.clone(),
                "covered_by",
                self.location(&format!("{field}.covered_by"), (1, 1)),
            ));
            if !is_slug(id) {
                return Err(self.error_at(
                    &format!("{field}.covered_by"),
                    (1, 1),
                    format!("`{id}` is not a playbook id"),
                ));
            }
        }
        let opt_text = |name: &str, t: &Option<Text>| -> Result<Option<Phrase>> {
            t.as_ref()
                .map(|t| self.text(&format!("{field}.{name}"), t, extra))
                .transpose()
        };
        let opt_script = |name: &str, s: &Option<String>| -> Result<Option<Script>> {
            s.as_ref()
                .map(|s| self.script(&format!("{field}.{name}"), s, extra))
                .transpose()
        };
        Ok(Item {
            id: it.id.clone(),
            kind: it.kind,
            title: self.text(&format!("{field}.title"), &it.title, extra)?,
            needs: it.needs.clone(),
            when: opt_script("when", &it.when)?,
            for_each: match &it.for_each {
                Some(s) => Some(self.script(&format!("{field}.for_each"), s, &[])?),
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
            why: self.text(&format!("{field}.why"), &it.why, extra)?,
            action: opt_text("action", &it.action)?,
            owner: self.owner(&format!("{field}.owner"), it.owner.as_ref(), extra)?,
            priority: match &it.priority {
                Some(NumberOrScript::Number(n)) => Some(Priority::Fixed(*n)),
                Some(NumberOrScript::Script(s)) => Some(Priority::Scripted(self.script(
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
            topic: self.topic(&format!("{field}.topic"), it.topic.as_deref())?,
            topic_script: match (&it.topic, &it.topic_script) {
                (Some(_), Some(_)) => {
                    return Err(self.error_at(
                        &format!("{field}.topic_script"),
                        (1, 1),
                        "give `topic` or `topic_script`, not both".into(),
                    ))
                }
                (_, script) => opt_script("topic_script", script)?,
            },
        })
    }

    /// How an item's status is decided: one of `done_if` (with `otherwise`), `status` and
    /// `status_script`, or a fixed `info`.
    fn decision(&self, field: &str, it: &ItemSpec, extra: &[&str]) -> Result<Decision> {
        let decision = match (&it.done_if, it.status, &it.status_script) {
            (Some(cond), None, None) => Decision::DoneIf(
                self.script(&format!("{field}.done_if"), cond, extra)?,
                it.otherwise.unwrap_or(Status::Todo),
            ),
            (None, Some(status), None) => Decision::Fixed(status),
            (None, None, Some(script)) => {
                Decision::Scripted(self.script(&format!("{field}.status_script"), script, extra)?)
            }
            (None, None, None) => Decision::Fixed(Status::Info),
            _ => {
                return Err(self.error_at(
                    &format!("{field}.id"),
                    (1, 1),
                    "give only one of `done_if`, `status` and `status_script`".into(),
                ))
            }
        };
        if it.otherwise.is_some() && it.done_if.is_none() {
            return Err(self.error_at(
                &format!("{field}.otherwise"),
                (1, 1),
                "`otherwise` only goes with `done_if`".into(),
            ));
        }
        Ok(decision)
    }

    /// The dimension an item scores into (its own or its section's) and its weight.
    fn scoring(
        &self,
        field: &str,
        it: &ItemSpec,
        sec: &SectionSpec,
        dimensions: &[Dimension],
    ) -> Result<(Option<String>, f64)> {
        self.check_dimension(dimensions, &format!("{field}.dimension"), &it.dimension)?;
        let dimension = it.dimension.clone().or_else(|| sec.dimension.clone());
        if dimension.is_none() && (it.weight.is_some() || it.credit.is_some()) {
            return Err(self.error_at(
                &format!("{field}.id"),
                (1, 1),
                "`weight` and `credit` only go with a `dimension` (on the item or its section)"
                    .into(),
            ));
        }
        let weight = it.weight.unwrap_or(1.0);
        if !(weight.is_finite() && weight > 0.0) {
            return Err(self.error_at(
                &format!("{field}.weight"),
                (1, 1),
                "a weight is a number above 0".into(),
            ));
        }
        Ok((dimension, weight))
    }

    /// An item's topic: an id the glossary lists.
    fn topic(&self, field: &str, topic: Option<&str>) -> Result<Option<String>> {
        let Some(id) = topic else { return Ok(None) };
        let topics = self.glossary.map(|g| &g.topics);
        if topics.is_some_and(|t| t.contains_key(id)) {
            return Ok(Some(id.to_string()));
        }
        let known = topics
            .into_iter()
            .flat_map(|t| t.keys().map(String::as_str));
        let hint = crate::suggest::nearest(id, known)
            .map(|b| format!(": did you mean `{b}`?"))
            .unwrap_or_else(|| ": topics are listed under `topics:` in glossary.yaml".into());
        Err(self.error_at(field, (1, 1), format!("`{id}` is not a topic{hint}")))
    }

    /// An item's owner: its text, or its roles' glossary names joined with ` + `.
    fn owner(
        &self,
        field: &str,
        owner: Option<&OwnerSpec>,
        extra: &[&str],
    ) -> Result<Option<Phrase>> {
        match owner {
            None => Ok(None),
            Some(OwnerSpec::Text(t)) => Ok(Some(self.text(field, t, extra)?)),
            Some(OwnerSpec::Roles(ids)) => {
                let roles = self.glossary.map(|g| &g.roles);
                let mut zh = Vec::new();
                let mut en = Vec::new();
                for (i, id) in ids.iter().enumerate() {
                    let Some(role) = roles.and_then(|r| r.get(id)) else {
                        let known = roles.into_iter().flat_map(|r| r.keys().map(String::as_str));
                        let hint = crate::suggest::nearest(id, known)
                            .map(|b| format!(": did you mean `{b}`?"))
                            .unwrap_or_default();
                        return Err(self.error_at(
                            &format!("{field}.{i}"),
                            (1, 1),
                            format!("`{id}` is not a role in the glossary{hint}"),
                        ));
                    };
                    zh.push(role.zh.as_str());
                    en.push(role.en.as_str());
                }
                if ids.is_empty() {
                    return Err(self.error_at(field, (1, 1), "name at least one role".into()));
                }
                Ok(Some(Phrase {
                    zh: vec![Part::Literal(zh.join(" + "))],
                    en: vec![Part::Literal(en.join(" + "))],
                }))
            }
        }
    }

    /// The stages the playbook does not fit.
    fn not_applicable(
        &self,
        specs: &[NotApplicableSpec],
        references: &mut Vec<Reference>,
    ) -> Result<Vec<NotApplicable>> {
        let mut out = Vec::new();
        for (i, na) in specs.iter().enumerate() {
            let field = format!("not_applicable.{i}");
            if let Some(id) = &na.read_instead {
                if !is_slug(id) {
                    return Err(self.error_at(
                        &format!("{field}.read_instead"),
                        (1, 1),
                        format!("`{id}` is not a playbook id"),
                    ));
                }
                references.push((
                    id.clone(),
                    "read_instead",
                    self.location(&format!("{field}.read_instead"), (1, 1)),
                ));
            }
            out.push(NotApplicable {
                when: self.script(&format!("{field}.when"), &na.when, &[])?,
                why: self.text(&format!("{field}.why"), &na.why, &[])?,
                read_instead: na.read_instead.clone(),
            });
        }
        Ok(out)
    }

    /// `for_each` items are numbered `<id>-1`, `<id>-2`...: no other id may look like one.
    fn check_numbered_ids(&self, specs: &[SectionSpec]) -> Result<()> {
        for (s, sec) in specs.iter().enumerate() {
            for (i, it) in sec.items.iter().enumerate() {
                let clash = specs
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
                    return Err(self.error_at(
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
        Ok(())
    }

    /// The verdict: its script, its outcomes and its explanation.
    fn verdict(&self, spec: &VerdictSpec) -> Result<Verdict> {
        let verdict_vars = ["items", "needs", "scores", "overall"];
        let script = self.script("verdict.script", &spec.script, &verdict_vars)?;
        let mut outcomes = Vec::new();
        for (id, label) in &spec.outcomes {
            if !is_slug(id) {
                return Err(self.error_at(
                    "verdict.outcomes",
                    (1, 1),
                    format!("outcome id `{id}` must be lowercase with `-`"),
                ));
            }
            outcomes.push((
                id.clone(),
                self.text(&format!("verdict.outcomes.{id}"), label, &[])?,
            ));
        }
        if outcomes.is_empty() {
            return Err(self.error_at(
                "verdict.outcomes",
                (1, 1),
                "list at least one outcome".into(),
            ));
        }
        let why = match &spec.why {
            Some(t) => Some(self.text(
                "verdict.why",
                t,
                &["items", "needs", "scores", "overall", "verdict"],
            )?),
            None => None,
        };
        Ok(Verdict {
            script,
            outcomes,
            why,
        })
    }
}

/// Records the identifiers `source` reads, and each `assumptions.<id>` path, so a report
/// can list the assumptions its playbook used. Map keys are not reads.
fn record_refs(source: &str, refs: &mut BTreeSet<String>) {
    let bytes = source.as_bytes();
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut i = 0;
    let mut previous: Option<&str> = None;
    while i < bytes.len() {
        if is_ident(bytes[i]) && !bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && is_ident(bytes[i]) {
                i += 1;
            }
            let word = &source[start..i];
            let after_dot = source[..start].trim_end().ends_with('.');
            // A word before a single `:` is a key of a map literal (`#{margin: m}`),
            // which reads nothing; rhai has no other use of `:` but the `::` of paths.
            let rest = source[i..].trim_start();
            let map_key = rest.starts_with(':') && !rest.starts_with("::");
            match previous {
                _ if map_key && !after_dot => {}
                Some("assumptions") if after_dot => {
                    refs.insert(format!("assumptions.{word}"));
                }
                _ if !after_dot => {
                    refs.insert(word.to_string());
                }
                _ => {}
            }
            previous = Some(word);
        } else {
            if !bytes[i].is_ascii_whitespace() && bytes[i] != b'.' {
                previous = None;
            }
            i += 1;
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn shared() -> Shared {
        let engine = crate::rules::engine();
        Shared::compile(
            &engine,
            (
                Path::new("facts.yaml"),
                include_str!("../../../../playbooks/facts.yaml"),
            ),
            (
                Path::new("glossary.yaml"),
                include_str!("../../../../playbooks/glossary.yaml"),
            ),
        )
        .unwrap()
    }

    const PLAYBOOK: &str = "id: t\ntitle: {zh: 题, en: T}\nnot_applicable:\n  - when: 'stage == \"established\"'\n    why: {zh: 不适用, en: Not for you}\n    read_instead: readiness\ndecisive: [products]\nsections:\n  - id: s\n    title: {zh: 节, en: S}\n    items:\n      - id: a\n        kind: step\n        title: {zh: 做, en: Do}\n        why: {zh: 因为, en: \"because {assumptions.hero_share_min}\"}\n        owner: [operator, customer_service]\nverdict:\n  script: '\"ok\"'\n  outcomes: {ok: {zh: 好, en: OK}}\n";

    fn compile(text: &str) -> Result<Playbook> {
        let engine = crate::rules::engine();
        super::compile(&engine, &shared(), Path::new("t.yaml"), text)
    }

    #[test]
    fn stages_decisive_fields_roles_and_assumptions_compile() {
        let p = compile(PLAYBOOK).unwrap();
        assert_eq!(p.decisive, ["products"]);
        assert_eq!(p.references[0].0, "readiness");
        assert_eq!(p.references[0].1, "read_instead");
        // The text reads the hero share; `stage` is quiet about its threshold.
        assert_eq!(p.assumptions_used, ["hero_share_min"]);
        let owner = p.sections[0].items[0].owner.as_ref().unwrap();
        assert!(matches!(&owner.en[..], [Part::Literal(s)] if s == "operator + customer service"));
    }

    #[test]
    fn an_unknown_role_or_decisive_field_is_named_with_a_suggestion() {
        let e = compile(&PLAYBOOK.replace("[operator,", "[operater,"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("`operater` is not a role in the glossary: did you mean `operator`?"),
            "{e}"
        );
        assert!(e.starts_with("t.yaml:16:"), "{e}");
        let e = compile(&PLAYBOOK.replace("[products]", "[product]"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("`product` is not a profile field"), "{e}");
        let e = compile(&PLAYBOOK.replace("id: a\n", "id: a\n        done_if: stage_x\n"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("stage_x"), "{e}");
    }

    #[test]
    fn refs_are_identifiers_and_assumption_paths() {
        let mut refs = BTreeSet::new();
        record_refs(
            "let x = assumptions.paid_traffic_share * event.target_gmv; stage == \"a\" && x.len()",
            &mut refs,
        );
        assert!(refs.contains("assumptions.paid_traffic_share"));
        assert!(refs.contains("stage") && refs.contains("event") && refs.contains("x"));
        assert!(!refs.contains("target_gmv") && !refs.contains("len"));
        let mut refs = BTreeSet::new();
        record_refs("assumptions . hero_share_min", &mut refs);
        assert!(refs.contains("assumptions.hero_share_min"), "{refs:?}");
        // A map key reads nothing; its value does.
        let mut refs = BTreeSet::new();
        record_refs("#{ stage: stage_x, recent_roi : 1, m: a::b }", &mut refs);
        assert!(
            refs.contains("stage_x") && !refs.contains("stage"),
            "{refs:?}"
        );
        assert!(
            !refs.contains("recent_roi") && !refs.contains("m"),
            "{refs:?}"
        );
    }
}
