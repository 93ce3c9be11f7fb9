//! The playbook file format as written (before its rules are compiled).
//! `docs/playbook-format.md` documents every field.

pub use crate::report::{Kind, Status};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Text in both report languages. Either may hold `{expression}` placeholders.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

/// A whole playbook file.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlaybookSpec {
    /// Stable id, e.g. `cold-start`; also names the report and output files.
    pub id: String,
    /// Format version of the file; 1.
    #[serde(default = "one")]
    pub format: u32,
    pub title: Text,
    #[serde(default)]
    pub summary: Option<Text>,
    /// Where it comes in a client deck, lowest first (default 100; then by id).
    #[serde(default = "default_order")]
    pub order: i64,
    /// Template to render with; defaults to `<id>.md` when it exists, else `default.md`.
    #[serde(default)]
    pub template: Option<String>,
    /// Profile fields the playbook reads; a missing one is listed under the report's `needs`.
    #[serde(default)]
    pub needs: Vec<String>,
    /// Named figures computed in order; later ones can use earlier ones by id.
    #[serde(default)]
    pub values: Vec<ValueSpec>,
    pub sections: Vec<SectionSpec>,
    pub verdict: VerdictSpec,
    /// When the playbook does not fit the brand's stage: the first rule that holds makes
    /// the verdict `not-applicable`, says why and which playbook to read instead.
    #[serde(default)]
    pub not_applicable: Vec<NotApplicableSpec>,
    /// Profile fields without which the playbook cannot judge anything: when one is
    /// missing the verdict is `insufficient-data` and the report lists what to fill in.
    #[serde(default)]
    pub decisive: Vec<String>,
    /// Weighted dimensions that items score into; the report then carries a scorecard.
    #[serde(default)]
    pub scorecard: Option<ScorecardSpec>,
}

/// A stage the playbook does not fit.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NotApplicableSpec {
    /// Holds when the playbook does not fit; sees the profile, facts and values.
    pub when: String,
    pub why: Text,
    /// The id of the playbook to read instead.
    pub read_instead: Option<String>,
}

/// Who does an item: text, or role ids from the glossary (`[operator, customer_service]`),
/// which print as the glossary's one name per role.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum OwnerSpec {
    Roles(Vec<String>),
    Text(Text),
}

/// The shared layer every playbook reads (`facts.yaml` in a playbooks folder): the
/// documented assumptions and the per-brand facts computed once from the profile.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SharedSpec {
    #[serde(default)]
    pub assumptions: Vec<AssumptionSpec>,
    #[serde(default)]
    pub facts: Vec<FactSpec>,
}

/// A documented default a profile may override under `assumptions`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssumptionSpec {
    /// The field under the profile's `assumptions` that overrides it.
    pub id: String,
    pub label: Text,
    /// A number, or text such as a store grade.
    pub default: yaml_serde::Value,
    #[serde(default)]
    pub format: Option<String>,
    /// `tool` (the tool's own default), `brief <section>` (a figure from the domain
    /// brief) or `platform <section>` (a platform rule as the 2021 source states it).
    pub source: String,
    /// Why the default is what it is, for the assumptions list.
    #[serde(default)]
    pub why: Option<Text>,
    /// A profile field (`costs.return_rate`) this default stands in for: a report lists
    /// the assumption only for a brand whose profile leaves that field out.
    #[serde(default)]
    pub replaces: Option<String>,
}

/// A per-brand fact: a script over the profile and the assumptions, run once per brand.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactSpec {
    pub id: String,
    pub script: String,
    /// What the fact means, for authors (docs).
    #[serde(default)]
    pub about: Option<String>,
    /// Its name for readers of `playbook explain`.
    #[serde(default)]
    pub label: Option<Text>,
    /// Reading it does not list the assumptions it reads on a report: they sort the
    /// brand into a case (its stage), they set no figure the report prints.
    #[serde(default)]
    pub quiet: bool,
}

/// The one vocabulary of the reports (`glossary.yaml` in a playbooks folder).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlossarySpec {
    /// Owner roles by id: one name per role in each language.
    #[serde(default)]
    pub roles: std::collections::BTreeMap<String, Text>,
    /// Profile fields in the reader's words, by path (`account.followers`; list fields
    /// as `products.price`).
    #[serde(default)]
    pub fields: std::collections::BTreeMap<String, Text>,
    /// One term per concept, with the words reports must not use for it.
    #[serde(default)]
    pub terms: Vec<TermSpec>,
    /// What an action is about, by id, across playbooks: items of several playbooks with
    /// one topic are one action in a client deck.
    #[serde(default)]
    pub topics: std::collections::BTreeMap<String, Text>,
    /// The reader's words for the values of a field with a fixed list of values, by field
    /// path and value.
    #[serde(default)]
    pub values: std::collections::BTreeMap<String, std::collections::BTreeMap<String, Text>>,
    /// How a field's number prints where a document shows the profile: `money`, `pct`,
    /// `int` or `num`.
    #[serde(default)]
    pub formats: std::collections::BTreeMap<String, String>,
    /// The unit word printed after a field's number (hours).
    #[serde(default)]
    pub units: std::collections::BTreeMap<String, Text>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TermSpec {
    pub zh: String,
    pub en: String,
    #[serde(default)]
    pub avoid_zh: Vec<String>,
    #[serde(default)]
    pub avoid_en: Vec<String>,
}

/// The dimensions a scored playbook rates, each 0-100 from the items that check it.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScorecardSpec {
    pub dimensions: Vec<DimensionSpec>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DimensionSpec {
    /// Lowercase id (`people`); items name it under `dimension`, rules read `scores.<id>`.
    pub id: String,
    pub label: Text,
    /// Relative weight in the overall score.
    #[serde(default = "unit_weight")]
    pub weight: f64,
}

fn unit_weight() -> f64 {
    1.0
}

fn default_order() -> i64 {
    100
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ValueSpec {
    /// A script-friendly name (`followers_gap`): scripts read it as a variable.
    pub id: String,
    pub label: Text,
    pub script: String,
    #[serde(default)]
    pub needs: Vec<String>,
    /// The value is computed only when this holds; otherwise it is unset, left out of
    /// the figures, and its `needs` are not asked for (history for an account that
    /// cannot sell live yet).
    #[serde(default)]
    pub when: Option<String>,
    /// How the value prints: `int`, `num`, `money`, `pct`, `text` (by type when absent).
    #[serde(default)]
    pub format: Option<String>,
    /// The arithmetic shown beside the figure, e.g. `{event.hours} ÷ {shift} = {anchors}`.
    #[serde(default)]
    pub working: Option<Text>,
    /// Hidden values feed other rules but are not listed among the figures.
    #[serde(default)]
    pub hidden: bool,
    /// One of the few figures that matter most: a client deck's summary shows it.
    #[serde(default)]
    pub key: bool,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionSpec {
    pub id: String,
    pub title: Text,
    #[serde(default)]
    pub intro: Option<Text>,
    /// The scorecard dimension its items count towards, unless an item names its own.
    #[serde(default)]
    pub dimension: Option<String>,
    /// A rule giving a table printed under the intro: `#{head: [...], rows: [[...]]}`
    /// of texts (numbers print in the default format); `()` for none.
    #[serde(default)]
    pub table: Option<String>,
    /// A rule giving a trend chart printed under the intro (and the table):
    /// `#{points: [...], series: [#{label, values, format, ref_label, ref_value}]}`;
    /// `()` for none.
    #[serde(default)]
    pub chart: Option<String>,
    #[serde(default)]
    pub items: Vec<ItemSpec>,
}

/// A number, or a script that computes one.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum NumberOrScript {
    Number(i64),
    Script(String),
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemSpec {
    pub id: String,
    pub kind: Kind,
    pub title: Text,
    /// Profile fields this item reads; when one is missing the item shows as `todo` with
    /// what is missing, and its rules do not run.
    #[serde(default)]
    pub needs: Vec<String>,
    /// The item appears only when this holds.
    #[serde(default)]
    pub when: Option<String>,
    /// One item per element of this array; rules see the element as `it`, its 1-based
    /// position as `index`.
    #[serde(default)]
    pub for_each: Option<String>,
    /// Done when this holds, else `otherwise`.
    #[serde(default)]
    pub done_if: Option<String>,
    /// Status when `done_if` does not hold: `todo` (default) or `blocked` or `info`.
    #[serde(default)]
    pub otherwise: Option<Status>,
    /// A fixed status (usually `info`), instead of `done_if`.
    #[serde(default)]
    pub status: Option<Status>,
    /// A script returning the status as a string, for more than two outcomes.
    #[serde(default)]
    pub status_script: Option<String>,
    /// Why the item has its status: the profile values behind it.
    pub why: Text,
    /// What to do while the item is not done.
    #[serde(default)]
    pub action: Option<Text>,
    /// Who does it: text, or role ids from the glossary.
    #[serde(default)]
    pub owner: Option<OwnerSpec>,
    /// Order among the actions (1 first).
    #[serde(default)]
    pub priority: Option<NumberOrScript>,
    /// When: a script returning a date (`YYYY-MM-DD`) or any short text.
    #[serde(default)]
    pub due: Option<String>,
    /// The scorecard dimension this check counts towards.
    #[serde(default)]
    pub dimension: Option<String>,
    /// Its weight within the dimension (default 1).
    #[serde(default)]
    pub weight: Option<f64>,
    /// A script giving partial credit from 0 to 1; without it a done item scores 1, any
    /// other 0.
    #[serde(default)]
    pub credit: Option<String>,
    /// The id of the playbook that covers this item in depth.
    #[serde(default)]
    pub covered_by: Option<String>,
    /// What it is about, a topic id from the glossary: items of several playbooks with one
    /// topic are one action in the client deck.
    #[serde(default)]
    pub topic: Option<String>,
    /// A script giving the topic id (or `()` for none) when it depends on the brand: a
    /// gate on the whole team is about the ad buyer when that is all it lacks.
    #[serde(default)]
    pub topic_script: Option<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VerdictSpec {
    /// Returns one of the outcome ids. Sees `items` (id, kind, status, section, priority).
    pub script: String,
    /// Every outcome the script may return, with its label.
    pub outcomes: std::collections::BTreeMap<String, Text>,
    /// One line explaining the verdict.
    #[serde(default)]
    pub why: Option<Text>,
}
