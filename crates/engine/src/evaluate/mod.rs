//! Running a compiled playbook against one profile: the only place rules execute.

mod score;

pub use crate::facts::{known_field, known_fields, ProfileData};

use crate::error::{Error, Result};
use crate::facts::{is_given, to_dynamic};
use crate::playbook::text::format_value;
use crate::playbook::{Decision, Part, Phrase, Playbook, Priority, Script};
use crate::report::Status;
use crate::report::{Figure, Item, Lang, Report, Scorecard, Section};
use rhai::{Array, Dynamic, Engine, Map, Scope};
use std::collections::BTreeMap;

/// Runs one playbook. Needs the same engine the playbook was compiled with.
struct Run<'a> {
    engine: &'a Engine,
    playbook: &'a Playbook,
    lang: Lang,
    scope: Scope<'static>,
    needs: Vec<String>,
}

/// Evaluates `playbook` against a profile, in `lang`.
pub fn evaluate(
    engine: &Engine,
    playbook: &Playbook,
    data: &ProfileData,
    lang: Lang,
) -> Result<Report> {
    crate::rules::with_deadline(|| evaluate_now(engine, playbook, data, lang))
}

fn evaluate_now(
    engine: &Engine,
    playbook: &Playbook,
    data: &ProfileData,
    lang: Lang,
) -> Result<Report> {
    let mut scope = Scope::new();
    for (name, value) in &data.sections {
        scope.push_constant_dynamic(*name, value.clone());
    }
    scope.push_constant("lang", lang.code());
    let mut run = Run {
        engine,
        playbook,
        lang,
        scope,
        needs: Vec::new(),
    };
    for need in &playbook.needs {
        if !data.has(need) {
            run.need(need);
        }
    }

    let (values, figures) = run.values(data)?;
    let (sections, items) = run.sections(data)?;
    let scorecard = run.scorecard(&items)?;
    let (verdict, verdict_label, verdict_why) = run.verdict(&items, scorecard.as_ref())?;
    let summary = playbook
        .summary
        .as_ref()
        .map(|t| run.text(t, "summary"))
        .transpose()?;

    let actions = score::rank_actions(&items);
    Ok(Report {
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
        title: playbook.title_in(lang).to_string(),
        summary,
        verdict_label,
        verdict_why,
        sections,
        figures,
    })
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
            let missing: Vec<&String> = v.needs.iter().filter(|n| !data.has(n)).collect();
            let value = if missing.is_empty() {
                self.eval(&v.script, &v.id)?
            } else {
                missing.iter().for_each(|n| self.need(n));
                Dynamic::UNIT
            };
            self.scope
                .push_constant_dynamic(v.id.clone(), value.clone());
            if !v.hidden {
                let working = if !missing.is_empty() {
                    Some(self.missing_text(&missing))
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
            sections.push(Section {
                id: section.id.clone(),
                title: self.text(&section.title, &section.id)?,
                intro: section
                    .intro
                    .as_ref()
                    .map(|t| self.text(t, &section.id))
                    .transpose()?,
            });
            for item in &section.items {
                self.items(item, &section.id, data, &mut items)?;
            }
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
        let Some((_, label)) = self
            .playbook
            .verdict
            .outcomes
            .iter()
            .find(|(id, _)| *id == verdict)
        else {
            let allowed: Vec<&str> = self
                .playbook
                .verdict
                .outcomes
                .iter()
                .map(|o| o.0.as_str())
                .collect();
            return Err(self.rule_error(
                &self.playbook.verdict.script,
                "verdict",
                format!(
                    "returned `{verdict}`, not one of the outcomes ({})",
                    allowed.join(", ")
                ),
                None,
            ));
        };
        let verdict_label = self.text(label, "verdict")?;
        self.scope.push_constant("verdict", verdict.clone());
        let verdict_why = self
            .playbook
            .verdict
            .why
            .as_ref()
            .map(|w| self.text(w, "verdict"))
            .transpose()?;
        self.scope.rewind(mark);
        self.scope.rewind(mark);
        Ok((verdict, verdict_label, verdict_why))
    }
}

/// A script value as JSON; floats keep at most six decimals so output stays readable.
fn json_value(value: &Dynamic) -> serde_json::Value {
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
    fn need(&mut self, field: &str) {
        if !self.needs.iter().any(|n| n == field) {
            self.needs.push(field.to_string());
        }
    }

    /// An item whose rules cannot run: `todo`, with what the profile lacks as its `why`.
    fn missing_item(
        &mut self,
        item: &crate::playbook::Item,
        id: String,
        section: &str,
        lacking: Vec<String>,
    ) -> Result<Item> {
        Ok(Item {
            id,
            status: Status::Todo,
            title: self.text(&item.title, &item.id)?,
            why: self.missing_text(&lacking),
            section: section.to_string(),
            kind: item.kind,
            owner: item
                .owner
                .as_ref()
                .map(|o| self.text(o, &item.id))
                .transpose()?,
            // Supplying the data is the action; it keeps the item's place in the list.
            action: Some(self.supply_text(&lacking)),
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
        })
    }

    fn missing_text<S: AsRef<str>>(&self, missing: &[S]) -> String {
        let list = missing.iter().map(|s| s.as_ref()).collect::<Vec<_>>();
        match self.lang {
            Lang::Zh => format!("资料缺少 {}", list.join("、")),
            Lang::En => format!("the profile lacks {}", list.join(", ")),
        }
    }

    fn supply_text(&self, missing: &[String]) -> String {
        match self.lang {
            Lang::Zh => format!("在品牌资料中补充 {}，再重新生成。", missing.join("、")),
            Lang::En => format!(
                "Add {} to the brand profile and run again.",
                missing.join(", ")
            ),
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
        self.engine
            .eval_ast_with_scope::<Dynamic>(&mut self.scope, &script.ast)
            .map_err(|e| {
                let pos = e.position();
                let at = pos.line().map(|l| (l, pos.position().unwrap_or(1)));
                let message = match *e {
                    rhai::EvalAltResult::ErrorTooManyOperations(_) => format!(
                        "stopped after {} operations: the rule loops or does far too much work",
                        crate::rules::MAX_OPERATIONS
                    ),
                    rhai::EvalAltResult::ErrorTerminated(..) => format!(
                        "stopped after {} s: the playbook's rules took too long",
                        crate::rules::MAX_EVALUATION_TIME.as_secs()
                    ),
                    ref other => other.to_string(),
                };
                self.rule_error(script, rule, message, at)
            })
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
        if !missing.is_empty() {
            missing.iter().for_each(|n| self.need(n));
            // A conditional item cannot be judged without its fields; leave it out.
            if item.when.is_none() && item.for_each.is_none() {
                let lacking = missing.iter().map(|s| s.to_string()).collect();
                out.push(self.missing_item(item, item.id.clone(), section, lacking)?);
            }
            return Ok(());
        }
        let Some(for_each) = &item.for_each else {
            return self.item(item, item.id.clone(), section, Vec::new(), out);
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
            self.scope.push_constant_dynamic("it", element);
            self.scope.push_constant("index", index);
            let id = format!("{}-{index}", item.id);
            let result = self.item(item, id, section, lacking, out);
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
        out: &mut Vec<Item>,
    ) -> Result<()> {
        if !lacking.is_empty() {
            lacking.iter().for_each(|n| self.need(n));
            out.push(self.missing_item(item, id, section, lacking)?);
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
