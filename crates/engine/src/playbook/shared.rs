//! The layer every playbook stands on: the documented assumptions (with their defaults
//! and sources), the per-brand facts computed once from the profile, and the glossary
//! that gives each role, field and concept one name per language.
//!
//! It lives as data beside the playbooks: `facts.yaml` and `glossary.yaml`.

use super::compile::Compiler;
use super::spec::{GlossarySpec, SharedSpec, TermSpec, Text};
use super::text::Format;
use super::Script;
use crate::error::{Error, Location, Result};
use crate::report::Lang;
use rhai::{Dynamic, Engine};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where an assumption's default comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssumptionSource {
    /// The tool's own choice, stated as such.
    Tool,
    /// A figure from the domain brief, with its section (`A7`).
    Brief(String),
    /// A platform rule as the 2021 source states it, with its section.
    Platform(String),
}

impl AssumptionSource {
    fn parse(s: &str) -> Option<AssumptionSource> {
        let mut words = s.split_whitespace();
        let kind = words.next()?;
        let section = words.collect::<Vec<_>>().join(" ");
        match (kind, section.is_empty()) {
            ("tool", true) => Some(AssumptionSource::Tool),
            ("brief", false) => Some(AssumptionSource::Brief(section)),
            ("platform", false) => Some(AssumptionSource::Platform(section)),
            _ => None,
        }
    }

    /// How the source reads in a report.
    pub fn describe(&self, lang: Lang) -> String {
        match (self, lang) {
            // Our own working figure, not a source's: said as the plan's, for a client.
            (AssumptionSource::Tool, Lang::Zh) => "本方案的默认值".into(),
            (AssumptionSource::Tool, Lang::En) => "this plan's default".into(),
            (AssumptionSource::Brief(s), Lang::Zh) => format!("行业资料（{s}）"),
            (AssumptionSource::Brief(s), Lang::En) => format!("industry source ({s})"),
            (AssumptionSource::Platform(s), Lang::Zh) => format!("平台规则（2021 年资料，{s}）"),
            (AssumptionSource::Platform(s), Lang::En) => {
                format!("platform rule (2021 source, {s})")
            }
        }
    }
}

/// One documented assumption.
#[derive(Debug, Clone)]
pub struct Assumption {
    pub id: String,
    pub label: Text,
    pub(crate) default: Dynamic,
    pub(crate) format: Option<Format>,
    pub source: AssumptionSource,
    pub why: Option<Text>,
    /// The profile field it stands in for, when the brand leaves that field out.
    pub replaces: Option<String>,
}

/// A per-brand fact, and the assumptions it reads (directly or through earlier facts).
#[derive(Debug, Clone)]
pub(crate) struct Fact {
    pub id: String,
    pub script: Script,
    pub uses: Vec<String>,
    /// What it means, for `explain`: its label, else its `about`, else its id.
    pub label: Option<Text>,
    pub about: Option<String>,
}

impl Fact {
    pub(crate) fn label(&self, lang: Lang) -> String {
        match (&self.label, lang) {
            (Some(t), Lang::Zh) => t.zh.clone(),
            (Some(t), Lang::En) => t.en.clone(),
            (None, _) => self.about.clone().unwrap_or_else(|| self.id.clone()),
        }
    }
}

/// The report vocabulary.
#[derive(Debug, Clone, Default)]
pub struct Glossary {
    pub roles: BTreeMap<String, Text>,
    pub fields: BTreeMap<String, Text>,
    pub terms: Vec<TermSpec>,
    pub topics: BTreeMap<String, Text>,
    pub values: BTreeMap<String, BTreeMap<String, Text>>,
    pub formats: BTreeMap<String, Format>,
    pub units: BTreeMap<String, Text>,
}

impl Glossary {
    /// A field's value in the reader's words, when the glossary lists it (`products.role`
    /// `hero` is 爆款); else the value as given.
    pub fn value(&self, path: &str, value: &str, lang: Lang) -> String {
        match self.values.get(path).and_then(|v| v.get(value)) {
            Some(t) if lang == Lang::Zh => t.zh.clone(),
            Some(t) => t.en.clone(),
            None => value.to_string(),
        }
    }

    /// A profile field in the reader's words: `account.followers`, or an element's field
    /// such as `products[2].price` (named by `element`, e.g. the product's name).
    /// Alternatives (`history.sessions|sessions`) read "A or B".
    pub fn field(&self, path: &str, element: Option<&str>, lang: Lang) -> String {
        if path.contains('|') {
            let labels: Vec<String> = path
                .split('|')
                .map(|p| self.field(p, element, lang))
                .collect();
            return match lang {
                Lang::Zh => labels.join("或"),
                Lang::En => labels.join(" or "),
            };
        }
        let pick = |t: &Text| match lang {
            Lang::Zh => t.zh.clone(),
            Lang::En => t.en.clone(),
        };
        if let Some((list, rest)) = path.split_once('[') {
            if let Some((index, field)) = rest.split_once("].") {
                let label = self
                    .fields
                    .get(&format!("{list}.{field}"))
                    .map(pick)
                    .unwrap_or_else(|| field.replace('_', " "));
                let which = match element {
                    Some(name) => name.to_string(),
                    None => match lang {
                        Lang::Zh => format!("第 {index} 项"),
                        Lang::En => format!("item {index}"),
                    },
                };
                return match lang {
                    Lang::Zh => format!("{which}的{label}"),
                    Lang::En => format!("{label} of {which}"),
                };
            }
        }
        self.fields
            .get(path)
            .map(pick)
            .unwrap_or_else(|| path.replace(['_', '.'], " "))
    }
}

/// The shared layer, compiled.
#[derive(Debug, Clone, Default)]
pub struct Shared {
    /// The `facts.yaml` it came from.
    pub source: PathBuf,
    pub assumptions: Vec<Assumption>,
    pub(crate) facts: Vec<Fact>,
    pub glossary: Glossary,
}

impl Shared {
    /// Compiles `facts.yaml` and `glossary.yaml` (their paths name them in messages).
    pub fn compile(
        engine: &Engine,
        facts: (&Path, &str),
        glossary: (&Path, &str),
    ) -> Result<Shared> {
        let glossary = compile_glossary(glossary.0, glossary.1)?;
        let (file, text) = facts;
        let spec: SharedSpec = if text.trim().is_empty() {
            SharedSpec::default()
        } else {
            yaml_serde::from_str(text).map_err(|e| playbook_error(file, &e))?
        };
        let mut c = Compiler::new(engine, file, text, None, false);
        let mut assumptions = Vec::new();
        for (i, a) in spec.assumptions.iter().enumerate() {
            let field = format!("assumptions.{i}");
            if !crate::facts::known_field(&format!("assumptions.{}", a.id))
                || assumptions.iter().any(|x: &Assumption| x.id == a.id)
            {
                return Err(c.error_at(
                    &format!("{field}.id"),
                    (1, 1),
                    format!(
                        "`{}` is not a field of the profile's `assumptions` section, or is listed twice",
                        a.id
                    ),
                ));
            }
            let default = match &a.default {
                yaml_serde::Value::Number(n) if n.is_i64() => {
                    Dynamic::from_int(n.as_i64().unwrap_or_default())
                }
                yaml_serde::Value::Number(n) => Dynamic::from_float(n.as_f64().unwrap_or_default()),
                yaml_serde::Value::String(s) => Dynamic::from(s.clone()),
                _ => {
                    return Err(c.error_at(
                        &format!("{field}.default"),
                        (1, 1),
                        "a default is a number or a text".into(),
                    ))
                }
            };
            let source = AssumptionSource::parse(&a.source).ok_or_else(|| {
                c.error_at(
                    &format!("{field}.source"),
                    (1, 1),
                    format!(
                        "`{}` is not a source: write `tool`, `brief <section>` or `platform <section>`",
                        a.source
                    ),
                )
            })?;
            if let Some(path) = &a.replaces {
                if !crate::facts::known_field(path) || path.starts_with("assumptions.") {
                    return Err(c.error_at(
                        &format!("{field}.replaces"),
                        (1, 1),
                        format!("`{path}` is not a field of the profile outside `assumptions`"),
                    ));
                }
            }
            assumptions.push(Assumption {
                replaces: a.replaces.clone(),
                id: a.id.clone(),
                label: a.label.clone(),
                default,
                format: c.format(&format!("{field}.format"), a.format.as_deref())?,
                source,
                why: a.why.clone(),
            });
        }
        // Every assumption a profile can set has a documented default.
        for known in crate::facts::known_fields() {
            if let Some(id) = known.strip_prefix("assumptions.") {
                if !assumptions.iter().any(|a| a.id == id) {
                    return Err(Error::Playbook {
                        location: Location::file(file),
                        message: format!(
                            "the profile's `assumptions.{id}` has no documented default here"
                        ),
                    });
                }
            }
        }
        let mut facts: Vec<Fact> = Vec::new();
        for (i, f) in spec.facts.iter().enumerate() {
            let field = format!("facts.{i}");
            c.check_new_name(&format!("{field}.id"), &f.id, "fact")?;
            let script = c.script(&format!("{field}.script"), &f.script, &[])?;
            let refs = c.take_refs();
            // A quiet fact puts none of the assumptions it reads on a report.
            let uses: Vec<String> = if f.quiet {
                Vec::new()
            } else {
                assumptions
                    .iter()
                    .filter(|a| {
                        let direct = refs.contains(&format!("assumptions.{}", a.id));
                        let through = facts.iter().any(|earlier| {
                            refs.contains(&earlier.id) && earlier.uses.contains(&a.id)
                        });
                        direct || through
                    })
                    .map(|a| a.id.clone())
                    .collect()
            };
            c.add_name(&f.id);
            facts.push(Fact {
                id: f.id.clone(),
                script,
                uses,
                label: f.label.clone(),
                about: f.about.clone(),
            });
        }
        Ok(Shared {
            source: file.to_path_buf(),
            assumptions,
            facts,
            glossary,
        })
    }

    /// Names every playbook script may read besides the profile's sections.
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.facts.iter().map(|f| f.id.as_str())
    }

    /// The assumptions that `refs` (a playbook's identifiers and `assumptions.<id>`
    /// paths) read, directly or through facts, in this layer's order.
    pub(crate) fn assumptions_read(
        &self,
        refs: &std::collections::BTreeSet<String>,
    ) -> Vec<String> {
        self.assumptions
            .iter()
            .filter(|a| {
                refs.contains(&format!("assumptions.{}", a.id))
                    || self
                        .facts
                        .iter()
                        .any(|f| refs.contains(&f.id) && f.uses.contains(&a.id))
            })
            .map(|a| a.id.clone())
            .collect()
    }
}

fn playbook_error(file: &Path, e: &yaml_serde::Error) -> Error {
    let Error::Profile { location, message } = crate::profile::yaml_error(file, e) else {
        unreachable!("yaml_error builds a located error")
    };
    Error::Playbook { location, message }
}

fn compile_glossary(file: &Path, text: &str) -> Result<Glossary> {
    let spec: GlossarySpec = if text.trim().is_empty() {
        GlossarySpec::default()
    } else {
        yaml_serde::from_str(text).map_err(|e| playbook_error(file, &e))?
    };
    let mut formats = BTreeMap::new();
    for (path, name) in &spec.formats {
        let format = Format::parse(name).ok_or_else(|| Error::Playbook {
            location: Location::file(file),
            message: format!(
                "`formats.{path}`: unknown format `{name}` (allowed: {})",
                Format::NAMES.join(", ")
            ),
        })?;
        formats.insert(path.clone(), format);
    }
    for path in spec
        .fields
        .keys()
        .chain(spec.values.keys())
        .chain(spec.formats.keys())
        .chain(spec.units.keys())
    {
        let list_field = path
            .split_once('.')
            .is_some_and(|(list, _)| crate::facts::LIST_SECTIONS.contains(&list));
        if !crate::facts::known_field(path) && !list_field {
            return Err(Error::Playbook {
                location: Location::file(file),
                message: format!("`fields.{path}`: not a profile field"),
            });
        }
    }
    Ok(Glossary {
        roles: spec.roles,
        fields: spec.fields,
        terms: spec.terms,
        topics: spec.topics,
        values: spec.values,
        formats,
        units: spec.units,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FACTS: &str = include_str!("../../../../playbooks/facts.yaml");
    const GLOSSARY: &str = include_str!("../../../../playbooks/glossary.yaml");

    fn shared(facts: &str) -> Result<Shared> {
        let engine = crate::rules::engine();
        Shared::compile(
            &engine,
            (Path::new("facts.yaml"), facts),
            (Path::new("glossary.yaml"), GLOSSARY),
        )
    }

    #[test]
    fn the_bundled_layer_compiles_and_tracks_what_facts_read() {
        let s = shared(FACTS).unwrap();
        // The stage is quiet: the threshold sorts a brand, it sets no printed figure.
        let stage = s.facts.iter().find(|f| f.id == "stage").unwrap();
        assert!(stage.uses.is_empty());
        let check = s.facts.iter().find(|f| f.id == "data_check").unwrap();
        assert_eq!(check.uses, ["data_gap_tolerance"]);
        let refs: std::collections::BTreeSet<String> = [
            "stage".to_string(),
            "data_check".to_string(),
            "assumptions.hero_share_min".to_string(),
        ]
        .into();
        assert_eq!(
            s.assumptions_read(&refs),
            ["hero_share_min", "data_gap_tolerance"]
        );
    }

    #[test]
    fn an_assumption_the_profile_cannot_set_is_refused() {
        let text = FACTS.replace("- id: hero_share_min", "- id: hero_share_mini");
        let e = shared(&text).unwrap_err().to_string();
        assert!(e.contains("`hero_share_mini` is not a field"), "{e}");
        let missing = FACTS.replace(
            "- id: hero_share_min",
            "- id: hero_share_min\n    default: 1\n  - id: x_unused",
        );
        assert!(shared(&missing).is_err());
    }

    #[test]
    fn a_profile_assumption_without_a_default_is_refused() {
        let start = FACTS.find("  - id: marginal_profit_share").unwrap();
        let end = FACTS[start + 1..].find("\n  - id:").unwrap() + start + 1;
        let text = format!("{}{}", &FACTS[..start], &FACTS[end + 1..]);
        let e = shared(&text).unwrap_err().to_string();
        assert!(
            e.contains("`assumptions.marginal_profit_share` has no documented default"),
            "{e}"
        );
    }

    #[test]
    fn a_fact_may_not_take_a_section_name_or_an_earlier_facts() {
        let text = format!("{FACTS}  - id: stage\n    script: \"1\"\n");
        let e = shared(&text).unwrap_err().to_string();
        assert!(e.contains("fact id `stage` must be unique"), "{e}");
        assert!(e.starts_with("facts.yaml:"), "{e}");
    }

    #[test]
    fn a_field_is_named_in_the_readers_words() {
        let g = shared(FACTS).unwrap().glossary;
        assert_eq!(g.field("plan.start_date", None, Lang::Zh), "计划开始日期");
        assert_eq!(
            g.field("plan.start_date", None, Lang::En),
            "the planned start date"
        );
        assert_eq!(
            g.field("products[2].gmv_share", Some("鸭脖"), Lang::Zh),
            "鸭脖的计划 GMV 占比"
        );
        assert_eq!(
            g.field("products[2].gmv_share", None, Lang::En),
            "the planned share of GMV of item 2"
        );
    }

    #[test]
    fn sources_read_as_a_reader_would() {
        assert_eq!(
            AssumptionSource::parse("platform A6")
                .unwrap()
                .describe(Lang::En),
            "platform rule (2021 source, A6)"
        );
        assert_eq!(
            AssumptionSource::parse("brief A7")
                .unwrap()
                .describe(Lang::Zh),
            "行业资料（A7）"
        );
        assert!(AssumptionSource::parse("brief").is_none());
        assert!(AssumptionSource::parse("guess").is_none());
    }
}
