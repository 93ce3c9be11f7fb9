//! The facts of one brand as the rules see them: its profile as script values, built once
//! per profile and shared by every playbook run, so that two playbooks read one set of
//! facts.

use crate::profile::Profile;
use rhai::{Array, Dynamic, Map};
use std::sync::OnceLock;

/// The profile's top-level sections, visible to every script as variables.
pub const SECTIONS: [&str; 17] = [
    "brand",
    "store",
    "account",
    "team",
    "materials",
    "budget",
    "products",
    "history",
    "market",
    "event",
    "plan",
    "scene",
    "assumptions",
    "sessions",
    "costs",
    "channels",
    "snapshot_date",
];

/// The sections that are lists of records: a field path such as `products.price` names
/// a field of every entry.
pub const LIST_SECTIONS: [&str; 3] = ["products", "sessions", "channels"];

/// A profile turned into script values once, then shared by every playbook run.
#[derive(Debug, Clone)]
pub struct ProfileData {
    pub(super) brand: String,
    /// Each section as a script value; absent sections have every key, all unset.
    pub(super) sections: Vec<(&'static str, Dynamic)>,
    /// Sections the profile actually has.
    present: Vec<&'static str>,
    /// The shared facts, in order, once computed for this brand.
    pub(crate) facts: Vec<(String, Dynamic)>,
    /// Whether the profile set each shared assumption (by id); the values in force are
    /// the `assumptions` section.
    pub(crate) assumptions_given: Vec<(String, bool)>,
}

pub(crate) fn to_dynamic<T: serde::Serialize>(value: &T) -> Dynamic {
    rhai::serde::to_dynamic(value).unwrap_or(Dynamic::UNIT)
}

impl ProfileData {
    pub fn new(profile: &Profile) -> ProfileData {
        let p = profile;
        let mut present = vec!["brand"];
        let mut section = |name: &'static str, value: Option<Dynamic>, default: Dynamic| {
            if value.is_some() {
                present.push(name);
            }
            (name, value.unwrap_or(default))
        };
        let sections = vec![
            ("brand", to_dynamic(&p.brand)),
            section(
                "store",
                p.store.as_ref().map(to_dynamic),
                to_dynamic(&crate::profile::Store::default()),
            ),
            section(
                "account",
                p.account.as_ref().map(to_dynamic),
                to_dynamic(&crate::profile::Account::default()),
            ),
            section(
                "team",
                p.team.as_ref().map(to_dynamic),
                to_dynamic(&crate::profile::Team::default()),
            ),
            section(
                "materials",
                p.materials.as_ref().map(to_dynamic),
                to_dynamic(&crate::profile::Materials::default()),
            ),
            section(
                "budget",
                p.budget.as_ref().map(to_dynamic),
                to_dynamic(&crate::profile::Budget::default()),
            ),
            section(
                "products",
                p.products
                    .as_ref()
                    .filter(|v| !v.is_empty())
                    .map(to_dynamic),
                Dynamic::from_array(Array::new()),
            ),
            section(
                "history",
                p.history.as_ref().map(to_dynamic),
                to_dynamic(&crate::profile::History::default()),
            ),
            section(
                "market",
                p.market.as_ref().map(to_dynamic),
                to_dynamic(&crate::profile::Market::default()),
            ),
            section(
                "event",
                p.event.as_ref().map(to_dynamic),
                to_dynamic(&crate::profile::Event::default()),
            ),
            section(
                "plan",
                p.plan.as_ref().map(to_dynamic),
                to_dynamic(&crate::profile::Plan::default()),
            ),
            section(
                "scene",
                p.scene.as_ref().map(to_dynamic),
                to_dynamic(&crate::profile::Scene::default()),
            ),
            section(
                "assumptions",
                p.assumptions.as_ref().map(to_dynamic),
                to_dynamic(&crate::profile::Assumptions::default()),
            ),
            // In start order, whatever order the profile lists them in: the last session
            // is the latest one, and a period is a run of days.
            section(
                "sessions",
                p.sessions.as_ref().filter(|v| !v.is_empty()).map(|v| {
                    let mut sorted = v.clone();
                    sorted.sort_by_key(|s| s.date);
                    to_dynamic(&sorted)
                }),
                Dynamic::from_array(Array::new()),
            ),
            section(
                "costs",
                p.costs.as_ref().map(to_dynamic),
                to_dynamic(&crate::profile::Costs::default()),
            ),
            section(
                "channels",
                p.channels
                    .as_ref()
                    .filter(|v| !v.is_empty())
                    .map(to_dynamic),
                Dynamic::from_array(Array::new()),
            ),
            // A date, not a section: the day the profile was taken.
            section(
                "snapshot_date",
                p.snapshot_date.as_ref().map(to_dynamic),
                Dynamic::UNIT,
            ),
        ];
        debug_assert!(sections.iter().map(|s| s.0).eq(SECTIONS.iter().copied()));
        ProfileData {
            brand: profile.brand.name.clone(),
            sections,
            present,
            facts: Vec::new(),
            assumptions_given: Vec::new(),
        }
    }

    /// The rules' limits for this brand: more for a larger catalogue or a longer record
    /// of sessions.
    pub fn limits(&self) -> crate::rules::Limits {
        let entries = LIST_SECTIONS
            .iter()
            .filter_map(|name| self.section(name))
            .filter_map(|list| list.read_lock::<Array>().map(|a| a.len()))
            .sum();
        crate::rules::Limits::for_entries(entries)
    }

    /// A section's script value.
    pub(crate) fn section(&self, name: &str) -> Option<&Dynamic> {
        self.sections.iter().find(|s| s.0 == name).map(|s| &s.1)
    }

    pub(crate) fn set_section(&mut self, name: &str, value: Dynamic) {
        if let Some(s) = self.sections.iter_mut().find(|s| s.0 == name) {
            s.1 = value;
        }
    }

    /// Whether a field such as `account.followers` (or a whole section) has a value;
    /// `history.sessions|sessions` asks whether either has one.
    pub fn has(&self, path: &str) -> bool {
        if path.contains('|') {
            return path.split('|').any(|p| self.has(p));
        }
        let mut parts = path.split('.');
        let Some(head) = parts.next() else {
            return false;
        };
        if !self.present.contains(&head) {
            return false;
        }
        let Some((_, mut value)) = self.sections.iter().find(|s| s.0 == head).cloned() else {
            return false;
        };
        for part in parts {
            let next = value.read_lock::<Map>().and_then(|m| m.get(part).cloned());
            match next {
                Some(v) => value = v,
                None => return false,
            }
        }
        is_given(&value)
    }
}

pub(crate) fn is_given(value: &Dynamic) -> bool {
    if value.is_unit() {
        return false;
    }
    if let Some(a) = value.read_lock::<Array>() {
        return !a.is_empty();
    }
    true
}

/// Every field path a playbook may name under `needs`: sections and their fields.
pub fn known_fields() -> &'static [String] {
    static FIELDS: OnceLock<Vec<String>> = OnceLock::new();
    FIELDS.get_or_init(|| {
        let blank = ProfileData::new(&Profile::default());
        let mut out = Vec::new();
        for (name, value) in &blank.sections {
            out.push(name.to_string());
            if let Some(map) = value.read_lock::<Map>() {
                for key in map.keys() {
                    out.push(format!("{name}.{key}"));
                }
            }
        }
        out
    })
}

pub fn known_field(path: &str) -> bool {
    known_fields().iter().any(|f| f == path)
}
