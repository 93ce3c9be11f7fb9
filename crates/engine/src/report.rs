//! The evaluated report: plain data. The JSON output is this struct; every renderer reads
//! only it.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A report language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Zh, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// What an item is; templates may lay kinds out differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Gate,
    Step,
    Risk,
    Recommendation,
    Note,
}

/// An item's state in a report.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Done,
    Todo,
    Blocked,
    Info,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::Todo => "todo",
            Status::Blocked => "blocked",
            Status::Info => "info",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        match s {
            "done" => Some(Status::Done),
            "todo" => Some(Status::Todo),
            "blocked" => Some(Status::Blocked),
            "info" => Some(Status::Info),
            _ => None,
        }
    }
}

impl std::str::FromStr for Lang {
    type Err = crate::error::Error;

    fn from_str(s: &str) -> Result<Lang, Self::Err> {
        Lang::parse(s).ok_or_else(|| {
            crate::error::Error::Usage(format!("unknown language `{s}` (use zh or en)"))
        })
    }
}

/// One playbook run against one profile, in one language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The playbook id, e.g. `cold-start`.
    pub playbook: String,
    pub lang: Lang,
    /// The brand's display name, exactly as the profile gives it.
    pub brand: String,
    /// The outcome id, e.g. `ready`, `not-ready`, or a play id.
    pub verdict: String,
    pub items: Vec<Item>,
    /// Computed values by id (numbers, text, or null when a needed field is missing).
    pub values: BTreeMap<String, serde_json::Value>,
    /// Profile fields the playbook needed and the profile lacks.
    pub needs: Vec<String>,
    /// The playbook's title in this language.
    pub title: String,
    pub summary: Option<String>,
    pub verdict_label: String,
    pub verdict_why: Option<String>,
    /// The document's sections in order; items refer to them by id.
    pub sections: Vec<Section>,
    /// The computed values as a reader sees them, with their working.
    pub figures: Vec<Figure>,
    /// Ids of the open items that carry a priority, in the order to do them: blocked ones
    /// first, then by priority, then as they appear.
    #[serde(default)]
    pub actions: Vec<String>,
    /// Dimension scores, for playbooks that declare a scorecard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scorecard: Option<Scorecard>,
    /// How this report differs from the same playbook on an earlier profile, when asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comparison: Option<Comparison>,
    /// `needs` in the reader's words, in the same order.
    #[serde(default)]
    pub needs_text: Vec<String>,
    /// The assumptions the playbook's figures stand on: the value used and its source.
    #[serde(default)]
    pub assumptions: Vec<AssumptionUsed>,
    /// The platform rules (as the 2021 source states them) the playbook applies.
    #[serde(default)]
    pub platform_rules: Vec<AssumptionUsed>,
    /// With the verdict `not-applicable`: the playbook that fits the brand instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_instead: Option<PlaybookRef>,
}

/// The verdict every playbook may return when it does not fit the brand's stage.
pub const NOT_APPLICABLE: &str = "not-applicable";
/// The verdict every playbook may return when its decisive inputs are missing.
pub const INSUFFICIENT_DATA: &str = "insufficient-data";

/// A playbook named in a report: its id and its title in the report's language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaybookRef {
    pub id: String,
    pub title: String,
}

/// One assumption as a report used it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssumptionUsed {
    /// The field under the profile's `assumptions` that overrides it.
    pub id: String,
    pub label: String,
    pub value: serde_json::Value,
    /// The value as printed.
    pub display: String,
    /// Where the value comes from, in the report's language ("brief A7", "tool
    /// default", "profile").
    pub source: String,
    /// Whether the profile set it.
    pub from_profile: bool,
    /// Whether it is a platform rule as the 2021 source states it.
    pub platform_rule: bool,
    /// Why the default is what it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

/// A scored playbook's result: each dimension 0-100 and their weighted mean.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scorecard {
    /// Weighted mean of the dimension scores, 0-100, rounded to a whole number.
    pub overall: i64,
    pub dimensions: Vec<DimensionScore>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DimensionScore {
    pub id: String,
    pub label: String,
    /// 0-100, rounded to a whole number.
    pub score: i64,
    /// Relative weight in the overall score.
    pub weight: f64,
    /// That weight as a whole-number percentage of all the dimensions' weights.
    pub share: i64,
    /// Checks counted, and how many of them are done.
    pub checks: usize,
    pub passed: usize,
}

/// What changed between an earlier profile's report and this one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// The earlier profile, as named on the command line.
    pub against: String,
    pub verdict_before: String,
    pub verdict_label_before: String,
    pub overall_before: Option<i64>,
    pub dimensions: Vec<DimensionChange>,
    /// Items that moved towards done, and items that moved away from it.
    pub improved: Vec<ItemChange>,
    pub slipped: Vec<ItemChange>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DimensionChange {
    pub id: String,
    pub label: String,
    pub before: i64,
    pub after: i64,
    pub delta: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemChange {
    pub id: String,
    pub title: String,
    /// `None` when the item did not appear in that report.
    pub before: Option<Status>,
    pub after: Option<Status>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub id: String,
    pub title: String,
    pub intro: Option<String>,
    /// A table of texts under the intro.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<Table>,
    /// A trend chart under the intro and the table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chart: Option<Chart>,
}

/// A section's table: a header row and rows of the same length, as printed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Per column, whether it holds figures (printed right-aligned); words are left-aligned.
    #[serde(default)]
    pub numeric: Vec<bool>,
}

impl Table {
    /// Whether every filled cell of each column is a figure: a number, an amount, a share
    /// or a ratio ("¥1,200", "-¥52", "35%", "0.63 次/人", "2.58"), a dash counting as
    /// empty. The first column is the row's name and never numeric.
    pub fn numeric_columns(head: &[String], rows: &[Vec<String>]) -> Vec<bool> {
        let figure = |cell: &str| {
            let c = cell.trim().trim_start_matches(['-', '+', '−']);
            let c = c.trim_start_matches(['¥', '$']);
            c.chars().next().is_some_and(|ch| ch.is_ascii_digit())
        };
        (0..head.len())
            .map(|i| {
                i > 0 && {
                    let filled: Vec<&str> = rows
                        .iter()
                        .map(|r| r[i].trim())
                        .filter(|c| !c.is_empty() && *c != "—" && *c != "-")
                        .collect();
                    !filled.is_empty() && filled.iter().all(|c| figure(c))
                }
            })
            .collect()
    }
}

/// A section's trend chart: named points and series of values over them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chart {
    pub points: Vec<String>,
    pub series: Vec<ChartSeries>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChartSeries {
    pub label: String,
    /// One per point; `None` where the point has no value.
    pub values: Vec<Option<f64>>,
    /// The values as printed, `—` where there is none.
    pub display: Vec<String>,
    /// Reference lines (a target, a break-even), each label with the value as printed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<ChartReference>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChartReference {
    pub label: String,
    pub value: f64,
    pub display: String,
}

/// A checklist step, gate, risk, recommendation or note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub id: String,
    pub status: Status,
    pub title: String,
    /// The profile values that decided the status.
    pub why: String,
    pub section: String,
    pub kind: Kind,
    /// What to do while the item is not done.
    pub action: Option<String>,
    pub owner: Option<String>,
    /// Order among actions, 1 first.
    pub priority: Option<i64>,
    /// A date (`YYYY-MM-DD`) or short text saying when.
    pub due: Option<String>,
    /// Profile fields this item needed and did not find.
    pub missing: Vec<String>,
    /// The scorecard dimension it counts towards, and the credit it earned (0-1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dimension: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit: Option<f64>,
    /// Its weight within the dimension.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// The playbook that covers this item in depth, and its title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub covered_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub covered_by_title: Option<String>,
    /// What the item is about across playbooks (a glossary topic id), so that one action
    /// several playbooks call for is one action in a client deck.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub id: String,
    pub label: String,
    /// The value as printed, e.g. `¥1,000,000` or `2.5%`.
    pub display: String,
    pub working: Option<String>,
    /// One of the few figures a client deck's summary shows.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub key: bool,
}

impl Report {
    /// Items of one section, in order.
    pub fn section_items<'a>(&'a self, section: &'a str) -> impl Iterator<Item = &'a Item> + 'a {
        self.items.iter().filter(move |i| i.section == section)
    }

    /// The item with this id.
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    /// The open items with a priority, in the order of [`Report::actions`]. Found through
    /// an index, not a search per action: a 10,000-product pricing report has thousands.
    pub fn ranked_actions(&self) -> impl Iterator<Item = &Item> + '_ {
        let by_id: std::collections::HashMap<&str, &Item> =
            self.items.iter().map(|i| (i.id.as_str(), i)).collect();
        self.actions
            .iter()
            .filter_map(move |id| by_id.get(id.as_str()).copied())
    }
}
