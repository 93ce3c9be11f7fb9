//! Running a compiled playbook against one profile: the only place rules execute.

mod score;

pub use crate::facts::{known_field, known_fields, ProfileData};

use crate::error::{Error, Result};
use crate::facts::{is_given, to_dynamic};
use crate::playbook::text::format_value;
use crate::playbook::{
    AssumptionSource, Decision, Part, Phrase, Playbook, Priority, Script, Shared,
};
use crate::report::{AssumptionUsed, PlaybookRef, Status, INSUFFICIENT_DATA, NOT_APPLICABLE};
use crate::report::{Figure, Item, Lang, Report, Scorecard, Section};
use rhai::{Array, Dynamic, Engine, Map, Scope};
use std::collections::BTreeMap;

/// Runs one playbook. Needs the same engine the playbook was compiled with.
struct Run<'a> {
    engine: &'a Engine,
    shared: &'a Shared,
    playbook: &'a Playbook,
    lang: Lang,
    scope: Scope<'static>,
    limits: crate::rules::Limits,
    needs: Vec<String>,
    /// `needs` in the reader's words.
    needs_text: Vec<String>,
    /// For `explain`: every rule run, with what it read and gave.
    trace: Option<Vec<crate::explain::Trace>>,
    /// For `explain`: the values' labels so far.
    value_labels: Vec<crate::explain::ValueLabel>,
    /// The `for_each` element being judged: the list's name, its 1-based index, its name
    /// and its item id (`price-3`).
    element: Option<(String, i64, Option<String>, String)>,
}

/// The verdicts every playbook may return, with their labels.
fn common_verdict(id: &str, lang: Lang) -> Option<&'static str> {
    Some(match (id, lang) {
        (NOT_APPLICABLE, Lang::Zh) => "不适用于品牌当前阶段",
        (NOT_APPLICABLE, Lang::En) => "Does not fit the brand's stage",
        (INSUFFICIENT_DATA, Lang::Zh) => "资料不足，暂不判断",
        (INSUFFICIENT_DATA, Lang::En) => "Not enough data to judge",
        _ => return None,
    })
}

/// A profile made ready for every playbook: the assumptions in force (the profile's own,
/// else the documented defaults) and the shared facts, each computed once.
pub fn brand_facts(
    engine: &Engine,
    shared: &Shared,
    profile: &crate::profile::Profile,
) -> Result<ProfileData> {
    let mut data = ProfileData::new(profile);
    let given: Map = data
        .section("assumptions")
        .and_then(|v| v.read_lock::<Map>().map(|m| m.clone()))
        .unwrap_or_default();
    let mut in_force = Map::new();
    for a in &shared.assumptions {
        let own = given.get(a.id.as_str()).filter(|v| is_given(v)).cloned();
        data.assumptions_given.push((a.id.clone(), own.is_some()));
        in_force.insert(
            a.id.as_str().into(),
            own.unwrap_or_else(|| a.default.clone()),
        );
    }
    data.set_section("assumptions", Dynamic::from_map(in_force));
    let limits = data.limits();
    crate::rules::with_limits(limits, || {
        let mut scope = Scope::new();
        for (name, value) in &data.sections {
            scope.push_constant_dynamic(*name, value.clone());
        }
        let mut facts = Vec::new();
        for fact in &shared.facts {
            let value = engine
                .eval_ast_with_scope::<Dynamic>(&mut scope, &fact.script.ast)
                .map_err(|e| {
                    let pos = e.position();
                    let location = fact.script.locate(
                        &shared.source,
                        pos.line().unwrap_or(1),
                        pos.position().unwrap_or(1),
                    );
                    Error::Rule(Box::new(crate::error::RuleFailure {
                        location,
                        playbook: "facts".into(),
                        rule: format!("{} ({})", fact.id, fact.script.field),
                        message: script_message(&e, data.limits()),
                    }))
                })?;
            scope.push_constant_dynamic(fact.id.clone(), value.clone());
            facts.push((fact.id.clone(), value));
        }
        data.facts = facts;
        Ok(data)
    })
}

/// What every rule of a playbook sees of a brand: its profile's sections and the shared
/// facts, as constants.
pub(crate) fn brand_scope(data: &ProfileData) -> Scope<'static> {
    let mut scope = Scope::new();
    for (name, value) in &data.sections {
        scope.push_constant_dynamic(*name, value.clone());
    }
    for (name, value) in &data.facts {
        scope.push_constant_dynamic(name.clone(), value.clone());
    }
    scope
}

/// Whether `playbook` fits the brand's stage: none of its `not_applicable` rules holds.
/// Cheap: only those rules run, on the profile and the shared facts; a rule that needs
/// the playbook's own values counts as not holding.
pub fn fits(engine: &Engine, playbook: &Playbook, data: &ProfileData) -> bool {
    if playbook.not_applicable.is_empty() {
        return true;
    }
    crate::rules::with_limits(data.limits(), || {
        let mut scope = brand_scope(data);
        scope.push_constant("lang", Lang::Zh.code());
        !playbook.not_applicable.iter().any(|na| {
            engine
                .eval_ast_with_scope::<Dynamic>(&mut scope, &na.when.ast)
                .ok()
                .and_then(|v| v.as_bool().ok())
                .unwrap_or(false)
        })
    })
}

/// Evaluates `playbook` against a brand (from [`brand_facts`]), in `lang`.
pub fn evaluate(
    engine: &Engine,
    shared: &Shared,
    playbook: &Playbook,
    data: &ProfileData,
    lang: Lang,
) -> Result<Report> {
    crate::rules::with_limits(data.limits(), || {
        evaluate_now(engine, shared, playbook, data, lang, false).map(|(report, _)| report)
    })
}

/// [`evaluate`], recording every rule run for `explain`.
pub(crate) fn evaluate_traced(
    engine: &Engine,
    shared: &Shared,
    playbook: &Playbook,
    data: &ProfileData,
    lang: Lang,
) -> Result<(Report, crate::explain::Traced)> {
    crate::rules::with_limits(data.limits(), || {
        evaluate_now(engine, shared, playbook, data, lang, true)
    })
}

fn evaluate_now(
    engine: &Engine,
    shared: &Shared,
    playbook: &Playbook,
    data: &ProfileData,
    lang: Lang,
    tracing: bool,
) -> Result<(Report, crate::explain::Traced)> {
    let mut scope = brand_scope(data);
    scope.push_constant("lang", lang.code());
    let mut run = Run {
        engine,
        shared,
        playbook,
        lang,
        scope,
        limits: data.limits(),
        needs: Vec::new(),
        needs_text: Vec::new(),
        trace: tracing.then(Vec::new),
        value_labels: Vec::new(),
        element: None,
    };
    for need in &playbook.needs {
        if !data.has(need) {
            run.need(need, None);
        }
    }

    let (values, figures) = run.values(data)?;
    let summary = playbook
        .summary
        .as_ref()
        .map(|t| run.text(t, "summary"))
        .transpose()?;
    let (platform_rules, assumptions): (Vec<_>, Vec<_>) = run
        .assumptions(data)
        .into_iter()
        .partition(|a| a.platform_rule);
    let short = |run: Run, verdict: &str, why: String, read_instead: Option<PlaybookRef>| Report {
        actions: Vec::new(),
        scorecard: None,
        comparison: None,
        playbook: playbook.id.clone(),
        lang,
        brand: data.brand.clone(),
        verdict: verdict.to_string(),
        items: Vec::new(),
        values: values.clone(),
        needs: run.needs,
        needs_text: run.needs_text,
        title: playbook.title_in(lang).to_string(),
        summary: summary.clone(),
        verdict_label: common_verdict(verdict, lang)
            .unwrap_or_default()
            .to_string(),
        verdict_why: Some(why),
        sections: Vec::new(),
        figures: Vec::new(),
        assumptions: Vec::new(),
        platform_rules: Vec::new(),
        read_instead,
    };
    // A playbook that does not fit the brand's stage says so, and nothing else.
    for na in &playbook.not_applicable {
        if run.eval_bool(&na.when, "not_applicable")? {
            let why = run.text(&na.why, "not_applicable")?;
            let read_instead = na.read_instead.as_ref().map(|id| PlaybookRef {
                id: id.clone(),
                title: id.clone(),
            });
            run.needs.clear();
            run.needs_text.clear();
            let traces = run.traced();
            return Ok((short(run, NOT_APPLICABLE, why, read_instead), traces));
        }
    }
    // Without its decisive inputs it judges nothing; it lists what to fill in.
    let lacking: Vec<&String> = playbook.decisive.iter().filter(|n| !data.has(n)).collect();
    if !lacking.is_empty() {
        run.needs.clear();
        run.needs_text.clear();
        lacking.iter().for_each(|n| run.need(n, None));
        let why = match lang {
            Lang::Zh => format!(
                "缺少决定性的资料：{}。补齐后再生成，结论才有依据。",
                run.needs_text.join("、")
            ),
            Lang::En => format!(
                "Decisive facts are missing: {}. Fill in what is missing and run again for a verdict that stands on data.",
                crate::playbook::text::join_list(&run.needs_text, Lang::En)
            ),
        };
        let traces = run.traced();
        return Ok((short(run, INSUFFICIENT_DATA, why, None), traces));
    }

    let (sections, items) = run.sections(data)?;
    let scorecard = run.scorecard(&items)?;
    let (verdict, verdict_label, verdict_why) = run.verdict(&items, scorecard.as_ref())?;

    let actions = score::rank_actions(&items);
    let traces = run.traced();
    let report = Report {
        actions,
        scorecard,
        comparison: None,
        playbook: playbook.id.clone(),
        lang,
        brand: data.brand.clone(),
        verdict,
        items,
        values,
        needs: run.needs,
        needs_text: run.needs_text,
        title: playbook.title_in(lang).to_string(),
        summary,
        verdict_label,
        verdict_why,
        sections,
        figures,
        assumptions,
        platform_rules,
        read_instead: None,
    };
    Ok((report, traces))
}

/// A rule error's message in the reader's terms. A limit reached inside a function
/// (`products.map(...)`, a rule's own `fn`) is reported as that limit.
fn script_message(e: &rhai::EvalAltResult, limits: crate::rules::Limits) -> String {
    use rhai::EvalAltResult::{ErrorInFunctionCall, ErrorTerminated, ErrorTooManyOperations};
    if let ErrorInFunctionCall(_, _, inner, _) = e {
        if matches!(**inner, ErrorTerminated(..) | ErrorTooManyOperations(_)) {
            return script_message(inner, limits);
        }
    }
    let operations = || {
        format!(
            "stopped after {} operations: the rule loops or does far too much work",
            limits.operations
        )
    };
    match e {
        ErrorTooManyOperations(_) => operations(),
        ErrorTerminated(why, _)
            if why.clone().into_string().ok().as_deref()
                == Some(crate::rules::STOPPED_BY_OPERATIONS) =>
        {
            operations()
        }
        ErrorTerminated(..) => format!(
            "stopped after {:.1} s: the playbook's rules took too long",
            limits.time.as_secs_f64()
        ),
        other => other.to_string(),
    }
}

impl Run<'_> {
    /// The values, in order; each becomes a variable for what follows. Returns them by id
    /// for the JSON, and as figures (label, display, working) for the reader.
    fn values(
        &mut self,
        data: &ProfileData,
    ) -> Result<(BTreeMap<String, serde_json::Value>, Vec<Figure>)> {
        let mut values = BTreeMap::new();
        let mut figures = Vec::new();
        for v in &self.playbook.values {
            if let Some(when) = &v.when {
                if !self.eval_bool(when, &v.id)? {
                    self.scope
                        .push_constant_dynamic(v.id.clone(), Dynamic::UNIT);
                    values.insert(v.id.clone(), serde_json::Value::Null);
                    continue;
                }
            }
            let missing: Vec<&String> = v.needs.iter().filter(|n| !data.has(n)).collect();
            let value = if missing.is_empty() {
                self.eval(&v.script, &v.id)?
            } else {
                missing.iter().for_each(|n| self.need(n, None));
                Dynamic::UNIT
            };
            self.scope
                .push_constant_dynamic(v.id.clone(), value.clone());
            if self.trace.is_some() {
                let label = self.text(&v.label, &v.id)?;
                self.value_labels.push((v.id.clone(), label, v.format));
            }
            if !v.hidden {
                let working = if !missing.is_empty() {
                    let missing: Vec<String> = missing.iter().map(|s| s.to_string()).collect();
                    Some(self.missing_text(&self.labels(&missing, None)))
                } else {
                    v.working
                        .as_ref()
                        .map(|w| self.text(w, &v.id))
                        .transpose()?
                };
                figures.push(Figure {
                    id: v.id.clone(),
                    label: self.text(&v.label, &v.id)?,
                    display: format_value(&value, v.format, self.lang),
                    working,
                    key: v.key,
                });
            }
            values.insert(v.id.clone(), json_value(&value));
        }
        Ok((values, figures))
    }

    /// The sections, and the items of each (a `for_each` item once per element).
    fn sections(&mut self, data: &ProfileData) -> Result<(Vec<Section>, Vec<Item>)> {
        let mut sections = Vec::new();
        let mut items = Vec::new();
        for section in &self.playbook.sections {
            let before = items.len();
            for item in &section.items {
                self.items(item, &section.id, data, &mut items)?;
            }
            let intro = section
                .intro
                .as_ref()
                .map(|t| self.text(t, &section.id))
                .transpose()?
                .filter(|t| !t.trim().is_empty());
            let table = match &section.table {
                Some(script) => self.table(script, &section.id)?,
                None => None,
            };
            let chart = match &section.chart {
                Some(script) => self.chart(script, &section.id)?,
                None => None,
            };
            // A section with nothing to show (every item left out, an empty intro, no
            // table or chart) is left out rather than printed as a bare heading.
            if items.len() == before && intro.is_none() && table.is_none() && chart.is_none() {
                continue;
            }
            sections.push(Section {
                id: section.id.clone(),
                title: self.text(&section.title, &section.id)?,
                intro,
                table,
                chart,
            });
        }
        Ok((sections, items))
    }

    /// The verdict, which sees every item's outcome and the scores: its id, its label and
    /// why.
    fn verdict(
        &mut self,
        items: &[Item],
        scorecard: Option<&Scorecard>,
    ) -> Result<(String, String, Option<String>)> {
        let summary: Array = items
            .iter()
            .map(|i: &Item| {
                let mut m = Map::new();
                m.insert("id".into(), i.id.clone().into());
                m.insert("kind".into(), to_dynamic(&i.kind));
                m.insert("status".into(), i.status.as_str().into());
                m.insert("section".into(), i.section.clone().into());
                m.insert(
                    "priority".into(),
                    i.priority.map_or(Dynamic::UNIT, Dynamic::from_int),
                );
                Dynamic::from_map(m)
            })
            .collect();
        let needs_array: Array = self
            .needs
            .iter()
            .map(|n| Dynamic::from(n.clone()))
            .collect();
        let (scores, overall) = match scorecard {
            Some(card) => {
                let mut m = Map::new();
                for d in &card.dimensions {
                    m.insert(d.id.as_str().into(), Dynamic::from_int(d.score));
                }
                (Dynamic::from_map(m), Dynamic::from_int(card.overall))
            }
            None => (Dynamic::UNIT, Dynamic::UNIT),
        };
        let mark = self.scope.len();
        self.scope.push_constant("items", summary);
        self.scope.push_constant("needs", needs_array);
        self.scope.push_constant_dynamic("scores", scores);
        self.scope.push_constant_dynamic("overall", overall);
        let verdict = self.eval(&self.playbook.verdict.script, "verdict")?;
        let verdict = verdict.into_string().ok().unwrap_or_default();
        let playbook = self.playbook;
        let verdict_label = match common_verdict(&verdict, self.lang) {
            Some(label) => label.to_string(),
            None => {
                let Some((_, label)) = playbook
                    .verdict
                    .outcomes
                    .iter()
                    .find(|(id, _)| *id == verdict)
                else {
                    let allowed: Vec<&str> = playbook
                        .verdict
                        .outcomes
                        .iter()
                        .map(|o| o.0.as_str())
                        .collect();
                    return Err(self.rule_error(
                        &playbook.verdict.script,
                        "verdict",
                        format!(
                            "returned `{verdict}`, not one of the outcomes ({})",
                            allowed.join(", ")
                        ),
                        None,
                    ));
                };
                self.text(label, "verdict")?
            }
        };
        self.scope.push_constant("verdict", verdict.clone());
        let verdict_why = self
            .playbook
            .verdict
            .why
            .as_ref()
            .map(|w| self.text(w, "verdict"))
            .transpose()?;
        self.scope.rewind(mark);
        Ok((verdict, verdict_label, verdict_why))
    }
}

/// A script value as JSON; floats keep at most six decimals so output stays readable.
pub(crate) fn json_value(value: &Dynamic) -> serde_json::Value {
    let json: serde_json::Value =
        rhai::serde::from_dynamic(value).unwrap_or(serde_json::Value::Null);
    tidy_json(json)
}

fn tidy_json(v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        J::Number(n) if n.is_f64() => {
            let f = n.as_f64().unwrap_or(0.0);
            let rounded = (f * 1e6).round() / 1e6;
            serde_json::Number::from_f64(rounded).map_or(J::Null, J::Number)
        }
        J::Array(a) => J::Array(a.into_iter().map(tidy_json).collect()),
        J::Object(o) => J::Object(o.into_iter().map(|(k, v)| (k, tidy_json(v))).collect()),
        other => other,
    }
}

impl Run<'_> {
    /// Records a missing field; `element` names the list element it belongs to.
    fn need(&mut self, field: &str, element: Option<&str>) {
        // Of alternatives (`history.sessions|sessions`), the report names the first as
        // the field to fill in, and the reader is told either will do.
        let first = field.split('|').next().unwrap_or(field);
        if !self.needs.iter().any(|n| n == first) {
            self.needs.push(first.to_string());
            let label = self.shared.glossary.field(field, element, self.lang);
            self.needs_text.push(label);
        }
    }

    /// The assumptions the playbook reads, with the values in force for this brand.
    fn assumptions(&self, data: &ProfileData) -> Vec<AssumptionUsed> {
        let in_force = data
            .section("assumptions")
            .and_then(|v| v.read_lock::<Map>().map(|m| m.clone()))
            .unwrap_or_default();
        self.playbook
            .assumptions_used
            .iter()
            .filter_map(|id| self.shared.assumptions.iter().find(|a| &a.id == id))
            // A default for a field the brand gave is not in force for it.
            .filter(|a| a.replaces.as_deref().is_none_or(|path| !data.has(path)))
            .map(|a| {
                let value = in_force
                    .get(a.id.as_str())
                    .cloned()
                    .unwrap_or(Dynamic::UNIT);
                let from_profile = data
                    .assumptions_given
                    .iter()
                    .any(|(id, given)| *id == a.id && *given);
                let pick = |t: &crate::playbook::spec::Text| match self.lang {
                    Lang::Zh => t.zh.clone(),
                    Lang::En => t.en.clone(),
                };
                AssumptionUsed {
                    id: a.id.clone(),
                    label: pick(&a.label),
                    value: json_value(&value),
                    display: format_value(&value, a.format, self.lang),
                    source: if from_profile {
                        match self.lang {
                            Lang::Zh => "品牌资料".into(),
                            Lang::En => "profile".into(),
                        }
                    } else {
                        a.source.describe(self.lang)
                    },
                    from_profile,
                    platform_rule: matches!(a.source, AssumptionSource::Platform(_)),
                    why: a.why.as_ref().map(pick),
                }
            })
            .collect()
    }

    /// Missing fields in the reader's words.
    fn labels(&self, fields: &[String], element: Option<&str>) -> Vec<String> {
        fields
            .iter()
            .map(|f| self.shared.glossary.field(f, element, self.lang))
            .collect()
    }

    /// An item whose rules cannot run: `todo`, with what the profile lacks as its `why`.
    fn missing_item(
        &mut self,
        item: &crate::playbook::Item,
        id: String,
        section: &str,
        lacking: Vec<String>,
        element: Option<String>,
    ) -> Result<Item> {
        let labels = self.labels(&lacking, element.as_deref());
        Ok(Item {
            id,
            status: Status::Todo,
            title: self.text(&item.title, &item.id)?,
            why: self.missing_text(&labels),
            section: section.to_string(),
            kind: item.kind,
            owner: item
                .owner
                .as_ref()
                .map(|o| self.text(o, &item.id))
                .transpose()?,
            // Supplying the data is the action; it keeps the item's place in the list.
            action: Some(self.supply_text(&labels)),
            priority: match &item.priority {
                Some(Priority::Fixed(n)) => Some(*n),
                _ => None,
            },
            due: None,
            missing: lacking,
            // A check that cannot be judged earns nothing; a note is no check.
            dimension: item.dimension.clone(),
            credit: item.is_check().then_some(0.0),
            weight: item.is_check().then_some(item.weight),
            covered_by: item.covered_by.clone(),
            covered_by_title: None,
            topic: item.topic.clone(),
        })
    }

    /// A section's table from its rule: `#{head, rows}` of texts, or `()` for none.
    fn table(&mut self, script: &Script, section: &str) -> Result<Option<crate::report::Table>> {
        let rule = format!("{section} table");
        let value = self.eval(script, &rule)?;
        if value.is_unit() {
            return Ok(None);
        }
        let bad = |run: &Self, what: &str| {
            run.rule_error(
                script,
                &rule,
                format!("a table is #{{head: [...], rows: [[...]]}}: {what}"),
                None,
            )
        };
        let map = value
            .read_lock::<Map>()
            .map(|m| m.clone())
            .ok_or_else(|| bad(self, "not a map"))?;
        let cells = |v: &Dynamic| -> Option<Vec<String>> {
            let a = v.read_lock::<rhai::Array>()?;
            Some(a.iter().map(|c| format_value(c, None, self.lang)).collect())
        };
        let head = map
            .get("head")
            .and_then(cells)
            .ok_or_else(|| bad(self, "`head` is not a list"))?;
        let rows: Vec<Vec<String>> = map
            .get("rows")
            .and_then(|r| {
                r.read_lock::<rhai::Array>()
                    .map(|a| a.iter().map(cells).collect::<Option<Vec<_>>>())
            })
            .flatten()
            .ok_or_else(|| bad(self, "`rows` is not a list of lists"))?;
        if head.is_empty() || rows.iter().any(|r| r.len() != head.len()) {
            return Err(bad(self, "every row needs one cell per heading"));
        }
        if rows.is_empty() {
            return Ok(None);
        }
        let numeric = crate::report::Table::numeric_columns(&head, &rows);
        Ok(Some(crate::report::Table {
            head,
            rows,
            numeric,
        }))
    }

    /// A section's trend chart from its rule, or `()` for none.
    fn chart(&mut self, script: &Script, section: &str) -> Result<Option<crate::report::Chart>> {
        use crate::report::{Chart, ChartReference, ChartSeries};
        let rule = format!("{section} chart");
        let value = self.eval(script, &rule)?;
        if value.is_unit() {
            return Ok(None);
        }
        let bad = |run: &Self, what: String| {
            run.rule_error(
                script,
                &rule,
                format!(
                    "a chart is #{{points: [...], series: [#{{label, values, format}}]}}: {what}"
                ),
                None,
            )
        };
        let map = value
            .read_lock::<Map>()
            .map(|m| m.clone())
            .ok_or_else(|| bad(self, "not a map".into()))?;
        let list =
            |v: Option<&Dynamic>| v.and_then(|v| v.read_lock::<rhai::Array>().map(|a| a.clone()));
        // A point's name is one word in the chart block.
        let points: Vec<String> = list(map.get("points"))
            .ok_or_else(|| bad(self, "`points` is not a list".into()))?
            .iter()
            .map(|p| {
                format_value(p, None, self.lang)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join("-")
            })
            .collect();
        let mut series = Vec::new();
        for s in
            list(map.get("series")).ok_or_else(|| bad(self, "`series` is not a list".into()))?
        {
            let s = s
                .read_lock::<Map>()
                .map(|m| m.clone())
                .ok_or_else(|| bad(self, "a series is not a map".into()))?;
            let text = |k: &str| {
                s.get(k)
                    .filter(|v| !v.is_unit())
                    .map(|v| format_value(v, None, self.lang))
            };
            let format = match text("format") {
                Some(name) => Some(
                    crate::playbook::text::Format::parse(&name)
                        .ok_or_else(|| bad(self, format!("unknown format `{name}`")))?,
                ),
                None => None,
            };
            let values: Vec<Option<f64>> = list(s.get("values"))
                .ok_or_else(|| bad(self, "a series' `values` is not a list".into()))?
                .iter()
                .map(|v| {
                    v.as_float()
                        .ok()
                        .or_else(|| v.as_int().ok().map(|i| i as f64))
                        .filter(|x| x.is_finite())
                })
                .collect();
            if values.len() != points.len() {
                return Err(bad(
                    self,
                    format!(
                        "a series has {} values for {} points",
                        values.len(),
                        points.len()
                    ),
                ));
            }
            let show = |x: f64| format_value(&Dynamic::from_float(x), format, self.lang);
            let display = values
                .iter()
                .map(|v| v.map_or_else(|| "—".to_string(), show))
                .collect();
            // `ref_label` / `ref_value`, then any of `refs: [#{label, value}]`; a line
            // whose value is missing is left out.
            let number = |v: &Dynamic| {
                v.as_float()
                    .ok()
                    .or_else(|| v.as_int().ok().map(|i| i as f64))
                    .filter(|x| x.is_finite())
            };
            let mut lines: Vec<(Option<String>, Option<f64>)> =
                vec![(text("ref_label"), s.get("ref_value").and_then(number))];
            if let Some(refs) = list(s.get("refs")) {
                for r in refs {
                    let r = r
                        .read_lock::<Map>()
                        .map(|m| m.clone())
                        .ok_or_else(|| bad(self, "a reference line is #{label, value}".into()))?;
                    lines.push((
                        r.get("label")
                            .filter(|v| !v.is_unit())
                            .map(|v| format_value(v, None, self.lang)),
                        r.get("value").and_then(number),
                    ));
                }
            }
            let references: Vec<ChartReference> = lines
                .into_iter()
                .filter_map(|line| match line {
                    (Some(label), Some(value)) => Some(ChartReference {
                        label,
                        value,
                        display: show(value),
                    }),
                    _ => None,
                })
                .take(3)
                .collect();
            series.push(ChartSeries {
                label: text("label").unwrap_or_default(),
                values,
                display,
                references,
            });
        }
        if points.len() < 2 || series.is_empty() {
            return Ok(None);
        }
        Ok(Some(Chart { points, series }))
    }

    /// Why an item cannot be judged: what is not filled in, in the reader's words.
    fn missing_text(&self, labels: &[String]) -> String {
        let list = crate::playbook::text::join_list(labels, self.lang);
        match self.lang {
            Lang::Zh => format!("尚未填写{list}，暂时无法判断"),
            Lang::En => format!("cannot be judged yet: the profile does not give {list}"),
        }
    }

    fn supply_text(&self, labels: &[String]) -> String {
        let list = crate::playbook::text::join_list(labels, self.lang);
        match self.lang {
            Lang::Zh => format!("请在品牌资料中填写{list}，再重新生成。"),
            Lang::En => format!("Fill in {list} in the brand profile and run again."),
        }
    }

    fn rule_error(
        &self,
        script: &Script,
        rule: &str,
        message: String,
        at: Option<(usize, usize)>,
    ) -> Error {
        let (line, column) = at.unwrap_or((1, 1));
        Error::Rule(Box::new(crate::error::RuleFailure {
            location: self.playbook.locate(script, line, column),
            playbook: self.playbook.id.clone(),
            rule: format!("{rule} ({})", script.field),
            message,
        }))
    }

    fn eval(&mut self, script: &Script, rule: &str) -> Result<Dynamic> {
        let value = self.eval_raw(script, rule)?;
        match value.as_float() {
            Ok(x) if !x.is_finite() => Err(self.rule_error(
                script,
                rule,
                format!("gave {x}, not a number a report can print (a division by zero?)"),
                None,
            )),
            _ => Ok(value),
        }
    }

    fn eval_raw(&mut self, script: &Script, rule: &str) -> Result<Dynamic> {
        let mark = self.scope.len();
        let result = self
            .engine
            .eval_ast_with_scope::<Dynamic>(&mut self.scope, &script.ast);
        if self.trace.is_some() {
            self.record(script, rule, mark, &result);
        }
        // A rule's own `let`s end with it.
        self.scope.rewind(mark);
        result.map_err(|e| {
            let pos = e.position();
            let at = pos.line().map(|l| (l, pos.position().unwrap_or(1)));
            self.rule_error(script, rule, script_message(&e, self.limits), at)
        })
    }

    /// What tracing recorded, taken out of the run.
    fn traced(&mut self) -> crate::explain::Traced {
        crate::explain::Traced {
            traces: self.trace.take().unwrap_or_default(),
            value_labels: std::mem::take(&mut self.value_labels),
        }
    }

    /// Records a rule run (or a text's placeholder) for `explain`.
    fn record(
        &mut self,
        script: &Script,
        rule: &str,
        mark: usize,
        result: &std::result::Result<Dynamic, Box<rhai::EvalAltResult>>,
    ) {
        let namer = crate::explain::Namer {
            shared: self.shared,
            lang: self.lang,
            value_labels: &self.value_labels,
            element: self
                .element
                .as_ref()
                .map(|(list, index, name, _)| (list.as_str(), *index, name.as_deref())),
        };
        let location = self.playbook.locate(script, 1, 1).to_string();
        let result = match result {
            Ok(v) => Ok(v.clone()),
            Err(e) => Err(script_message(e, self.limits)),
        };
        let traced = namer.trace(&self.scope, mark, script, location, &result);
        let subject = match &self.element {
            Some((.., id)) if !script.field.ends_with(".for_each") => id.clone(),
            _ => rule.to_string(),
        };
        if let Some(trace) = &mut self.trace {
            trace.push(crate::explain::Trace {
                subject,
                rule: traced,
            });
        }
    }

    fn eval_bool(&mut self, script: &Script, rule: &str) -> Result<bool> {
        let v = self.eval(script, rule)?;
        v.as_bool().map_err(|t| {
            self.rule_error(
                script,
                rule,
                format!("should give true or false, gave {t}"),
                None,
            )
        })
    }

    fn text(&mut self, phrase: &Phrase, rule: &str) -> Result<String> {
        let mut out = String::new();
        for part in phrase.parts(self.lang) {
            match part {
                Part::Literal(s) => out.push_str(s),
                Part::Placeholder(script, format) => {
                    let v = self.eval(script, rule)?;
                    out.push_str(&format_value(&v, *format, self.lang));
                }
            }
        }
        Ok(out)
    }

    fn items(
        &mut self,
        item: &crate::playbook::Item,
        section: &str,
        data: &ProfileData,
        out: &mut Vec<Item>,
    ) -> Result<()> {
        let missing: Vec<&String> = item
            .needs
            .iter()
            .filter(|n| !n.starts_with("it.") && !data.has(n))
            .collect();
        // An item that plainly does not apply is left out without asking for its fields.
        // A `when` that cannot run on the missing fields decides nothing here.
        let applies = match (&item.when, missing.is_empty(), &item.for_each) {
            (Some(when), false, None) => match self.eval_raw(when, &item.id).map(|v| v.as_bool()) {
                Ok(Ok(holds)) => Some(holds),
                _ => None,
            },
            _ => None,
        };
        if applies == Some(false) {
            return Ok(());
        }
        if !missing.is_empty() {
            missing.iter().for_each(|n| self.need(n, None));
            // A conditional item whose condition cannot be judged without its fields is
            // left out; one that applies says what it lacks.
            if (item.when.is_none() || applies == Some(true)) && item.for_each.is_none() {
                let lacking = missing.iter().map(|s| s.to_string()).collect();
                out.push(self.missing_item(item, item.id.clone(), section, lacking, None)?);
            }
            return Ok(());
        }
        let Some(for_each) = &item.for_each else {
            return self.item(item, item.id.clone(), section, Vec::new(), None, out);
        };
        let list = self.eval(for_each, &item.id)?;
        let Some(list) = list.read_lock::<Array>().map(|a| a.clone()) else {
            return Err(self.rule_error(
                for_each,
                &item.id,
                "`for_each` should give an array".into(),
                None,
            ));
        };
        for (i, element) in list.into_iter().enumerate() {
            let mark = self.scope.len();
            let index = i as i64 + 1;
            // Fields of `it` the item needs and this element lacks.
            let lacking: Vec<String> = item
                .needs
                .iter()
                .filter_map(|n| n.strip_prefix("it."))
                .filter(|f| {
                    let v = element.read_lock::<Map>().and_then(|m| m.get(*f).cloned());
                    !v.as_ref().is_some_and(is_given)
                })
                .map(|f| format!("{}[{index}].{f}", item.each_name))
                .collect();
            let name = element
                .read_lock::<Map>()
                .and_then(|m| m.get("name").and_then(|n| n.clone().into_string().ok()));
            self.scope.push_constant_dynamic("it", element);
            self.scope.push_constant("index", index);
            let id = format!("{}-{index}", item.id);
            self.element = Some((item.each_name.clone(), index, name.clone(), id.clone()));
            let result = self.item(item, id, section, lacking, name, out);
            self.element = None;
            self.scope.rewind(mark);
            result?;
        }
        Ok(())
    }

    fn item(
        &mut self,
        item: &crate::playbook::Item,
        id: String,
        section: &str,
        lacking: Vec<String>,
        element: Option<String>,
        out: &mut Vec<Item>,
    ) -> Result<()> {
        if !lacking.is_empty() {
            lacking
                .iter()
                .for_each(|n| self.need(n, element.as_deref()));
            out.push(self.missing_item(item, id, section, lacking, element)?);
            return Ok(());
        }
        if let Some(when) = &item.when {
            if !self.eval_bool(when, &item.id)? {
                return Ok(());
            }
        }
        let status = self.status(item)?;
        let priority = self.priority(item)?;
        let due = match &item.due {
            Some(script) => {
                let v = self.eval(script, &item.id)?;
                (!v.is_unit()).then(|| format_value(&v, None, self.lang))
            }
            None => None,
        };
        let action = match &item.action {
            Some(a) if status != Status::Done => Some(self.text(a, &item.id)?),
            _ => None,
        };
        let credit = self.credit(item, status)?;
        let topic = self.topic(item)?;
        out.push(Item {
            id,
            status,
            title: self.text(&item.title, &item.id)?,
            why: self.text(&item.why, &item.id)?,
            section: section.to_string(),
            kind: item.kind,
            action,
            owner: item
                .owner
                .as_ref()
                .map(|o| self.text(o, &item.id))
                .transpose()?,
            priority,
            due,
            missing: Vec::new(),
            dimension: item.dimension.clone(),
            weight: credit.map(|_| item.weight),
            credit,
            covered_by: item.covered_by.clone(),
            covered_by_title: None,
            topic,
        });
        Ok(())
    }

    /// An item's status, by its decision: fixed, `done_if` with `otherwise`, or a script.
    fn status(&mut self, item: &crate::playbook::Item) -> Result<Status> {
        let status = match &item.decision {
            Decision::Fixed(s) => *s,
            Decision::DoneIf(cond, otherwise) => {
                if self.eval_bool(cond, &item.id)? {
                    Status::Done
                } else {
                    *otherwise
                }
            }
            Decision::Scripted(script) => {
                let v = self.eval(script, &item.id)?;
                let s = v.clone().into_string().ok().and_then(|s| Status::parse(&s));
                s.ok_or_else(|| {
                    self.rule_error(
                        script,
                        &item.id,
                        format!(
                            "should give \"done\", \"todo\", \"blocked\" or \"info\", gave `{v}`"
                        ),
                        None,
                    )
                })?
            }
        };
        Ok(status)
    }

    /// An item's topic: fixed, or from its script (a glossary topic id, or `()`).
    fn topic(&mut self, item: &crate::playbook::Item) -> Result<Option<String>> {
        let Some(script) = &item.topic_script else {
            return Ok(item.topic.clone());
        };
        let v = self.eval(script, &item.id)?;
        if v.is_unit() {
            return Ok(None);
        }
        let id = v.clone().into_string().ok();
        match id {
            Some(id) if self.shared.glossary.topics.contains_key(&id) => Ok(Some(id)),
            _ => Err(self.rule_error(
                script,
                &item.id,
                format!(
                    "`topic_script` should give a topic id from the glossary or (), gave `{v}`"
                ),
                None,
            )),
        }
    }

    /// An item's priority, fixed or from its script.
    fn priority(&mut self, item: &crate::playbook::Item) -> Result<Option<i64>> {
        let priority = match &item.priority {
            Some(Priority::Fixed(n)) => Some(*n),
            Some(Priority::Scripted(script)) => {
                let v = self.eval(script, &item.id)?;
                Some(v.as_int().map_err(|t| {
                    self.rule_error(
                        script,
                        &item.id,
                        format!("`priority` should give a whole number, gave {t}"),
                        None,
                    )
                })?)
            }
            None => None,
        };
        Ok(priority)
    }

    /// What an item contributes to its dimension, 0-1: its `credit` rule, else 1 when
    /// done and 0 when not; none for items outside the scorecard and for notes.
    fn credit(&mut self, item: &crate::playbook::Item, status: Status) -> Result<Option<f64>> {
        let credit = match (&item.dimension, &item.credit) {
            (None, _) => None,
            (Some(_), Some(script)) => {
                let v = self.eval(script, &item.id)?;
                let x = v
                    .as_float()
                    .ok()
                    .or_else(|| v.as_int().ok().map(|n| n as f64))
                    .filter(|x| x.is_finite())
                    .ok_or_else(|| {
                        self.rule_error(
                            script,
                            &item.id,
                            format!("`credit` should give a number from 0 to 1, gave `{v}`"),
                            None,
                        )
                    })?;
                // Six decimals at most, like every number in the report.
                Some((x.clamp(0.0, 1.0) * 1e6).round() / 1e6)
            }
            // A note informs; it is not a check.
            (Some(_), None) if status == Status::Info => None,
            (Some(_), None) => Some(if status == Status::Done { 1.0 } else { 0.0 }),
        };
        Ok(credit)
    }
}
