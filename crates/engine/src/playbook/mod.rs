//! Playbooks: YAML data holding rules. Loading one parses it, checks it and compiles every
//! script once; the compiled playbook then runs against any number of profiles.

mod compile;
mod shared;
pub(crate) mod source;
pub mod spec;
pub mod text;

pub use shared::{Assumption, AssumptionSource, Glossary, Shared};

use crate::error::{Location, Result};
use crate::report::Lang;
use rhai::{Engine, AST};
use source::Span;
use spec::{Status, Text};
use std::path::{Path, PathBuf};
use text::Format;

pub use spec::Kind;

/// A compiled script and where it came from.
#[derive(Debug, Clone)]
pub(crate) struct Script {
    pub ast: AST,
    /// Path of the field in the playbook, e.g. `sections.0.items.2.done_if`.
    pub field: String,
    /// Where its text starts in the file.
    pub span: Span,
    /// The rule as written, for `explain` and coverage.
    pub source: String,
}

impl Script {
    /// Where a script's error at its own (line, column) sits in `file`.
    pub(crate) fn locate(&self, file: &Path, line: usize, column: usize) -> Location {
        if self.span.line == 0 {
            return Location::file(file);
        }
        let (l, c) = self.span.offset(line, column);
        Location::at(file, l, c)
    }
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
    pub when: Option<Script>,
    pub format: Option<Format>,
    pub working: Option<Phrase>,
    pub hidden: bool,
    pub key: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Section {
    pub id: String,
    pub title: Phrase,
    pub intro: Option<Phrase>,
    pub table: Option<Script>,
    pub chart: Option<Script>,
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
    pub topic: Option<String>,
    pub topic_script: Option<Script>,
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

/// A stage the playbook does not fit, and where to go instead.
#[derive(Debug, Clone)]
pub(crate) struct NotApplicable {
    pub when: Script,
    pub why: Phrase,
    pub read_instead: Option<String>,
}

/// A playbook id a playbook names, the field that names it (`covered_by`,
/// `read_instead`), and where.
pub type Reference = (String, &'static str, Location);

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
    /// Its place in a client deck, lowest first.
    pub order: i64,
    pub(crate) summary: Option<Phrase>,
    pub(crate) needs: Vec<String>,
    pub(crate) values: Vec<Value>,
    pub(crate) sections: Vec<Section>,
    pub(crate) verdict: Verdict,
    /// Scorecard dimensions; empty for playbooks without a scorecard.
    pub(crate) dimensions: Vec<Dimension>,
    pub(crate) not_applicable: Vec<NotApplicable>,
    pub(crate) decisive: Vec<String>,
    /// The shared assumptions its rules read, directly or through shared facts, in the
    /// shared layer's order.
    pub assumptions_used: Vec<String>,
    /// Every `covered_by` and `read_instead` playbook id with where it is written, for
    /// `check`.
    pub references: Vec<Reference>,
}

impl Playbook {
    /// Parses, checks and compiles a playbook. `file` names it in messages.
    /// `shared` is the layer of facts, assumptions and words every playbook reads.
    pub fn compile(engine: &Engine, shared: &Shared, file: &Path, text: &str) -> Result<Playbook> {
        compile::compile(engine, shared, file, text)
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
        script.locate(&self.source, line, column)
    }
}
