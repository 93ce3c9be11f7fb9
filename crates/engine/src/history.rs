//! Readiness over time: the scorecard of each dated snapshot of one brand, a line chart of
//! the overall and per-dimension scores, and what moved between consecutive snapshots and
//! why (the checks that changed).

use crate::report::{Comparison, Lang, Report, Status};
use serde::Serialize;

/// One snapshot: where it came from, its date (the profile's `snapshot_date`, if any) and
/// its scorecard report.
#[derive(Debug, Clone, Serialize)]
pub struct Snapshot {
    pub file: String,
    pub date: Option<String>,
    pub overall: Option<i64>,
    pub level: String,
    pub level_label: String,
    pub dimensions: Vec<(String, i64)>,
    /// What moved since the snapshot before (none for the first).
    pub change: Option<Comparison>,
    /// Checks that apply now and did not before (live data once live selling is
    /// unlocked, say), still open: they lower a score without any check slipping.
    pub new_checks: Vec<String>,
}

/// The history as the JSON holds it.
#[derive(Debug, Clone, Serialize)]
pub struct History {
    pub brand: String,
    pub lang: Lang,
    pub snapshots: Vec<Snapshot>,
}

/// Snapshots in order (the caller sorts them by date, then file name), each compared
/// with the one before.
pub fn build(brand: &str, lang: Lang, reports: &[(String, Option<String>, Report)]) -> History {
    let mut snapshots = Vec::new();
    for (k, (file, date, report)) in reports.iter().enumerate() {
        let change = (k > 0).then(|| {
            let (before_file, _, before) = &reports[k - 1];
            crate::assess::compare(report, before, before_file)
        });
        let new_checks = if k == 0 {
            Vec::new()
        } else {
            let before = &reports[k - 1].2;
            report
                .items
                .iter()
                .filter(|i| matches!(i.status, Status::Todo | Status::Blocked))
                .filter(|i| before.item(&i.id).is_none())
                .map(|i| i.title.clone())
                .collect()
        };
        snapshots.push(Snapshot {
            file: file.clone(),
            date: date.clone(),
            overall: report.scorecard.as_ref().map(|s| s.overall),
            level: report.verdict.clone(),
            level_label: report.verdict_label.clone(),
            dimensions: report
                .scorecard
                .as_ref()
                .map(|s| {
                    s.dimensions
                        .iter()
                        .map(|d| (d.label.clone(), d.score))
                        .collect()
                })
                .unwrap_or_default(),
            change,
            new_checks,
        });
    }
    History {
        brand: brand.to_string(),
        lang,
        snapshots,
    }
}

fn md(s: &str) -> String {
    let mut out = Vec::new();
    let _ = crate::render::escape_markdown(s, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// A text on one line that cannot close a fenced block.
fn fenced(s: &str) -> String {
    s.replace(['\n', '\r', '|'], " ").replace('`', "'")
}

fn status_word(s: Option<Status>, lang: Lang) -> &'static str {
    match (s, lang) {
        (Some(Status::Done), Lang::Zh) => "已完成",
        (Some(Status::Todo), Lang::Zh) => "待办",
        (Some(Status::Blocked), Lang::Zh) => "受阻",
        (Some(Status::Info), Lang::Zh) | (None, Lang::Zh) => "未评",
        (Some(Status::Done), Lang::En) => "done",
        (Some(Status::Todo), Lang::En) => "to do",
        (Some(Status::Blocked), Lang::En) => "blocked",
        (Some(Status::Info), Lang::En) | (None, Lang::En) => "not scored",
    }
}

/// The snapshot's name in the chart and the tables: its date, else its file.
fn point(s: &Snapshot) -> String {
    s.date.clone().unwrap_or_else(|| s.file.clone())
}

/// The history as Markdown: a table per snapshot, the trend chart, then each step.
pub fn markdown(h: &History) -> String {
    let zh = h.lang == Lang::Zh;
    let mut out = if zh {
        format!("# 准备度变化 · {}\n\n", md(&h.brand))
    } else {
        format!("# Readiness over time · {}\n\n", md(&h.brand))
    };
    out.push_str(if zh {
        "每份快照的准备度总分、各维度得分和等级，按快照日期排列（没有日期的按文件名）；下面的图画出总分和各维度的走势，最后逐段列出两份快照之间变了什么、是哪些检查项引起的。\n\n"
    } else {
        "Each snapshot's overall readiness score, dimension scores and level, in date order (by file name where a snapshot has no date); the chart draws the overall and each dimension's course, and the last part lists, step by step, what moved between two snapshots and which checks moved it.\n\n"
    });
    let dims: Vec<String> = h
        .snapshots
        .first()
        .map(|s| s.dimensions.iter().map(|(l, _)| l.clone()).collect())
        .unwrap_or_default();
    let mut head = vec![
        if zh { "快照" } else { "Snapshot" }.to_string(),
        if zh { "总分" } else { "Overall" }.to_string(),
    ];
    head.extend(dims.iter().map(|d| md(d)));
    head.push(if zh { "等级" } else { "Level" }.to_string());
    out.push_str(&format!("| {} |\n", head.join(" | ")));
    let mut rule = vec!["---".to_string()];
    rule.extend((1..head.len() - 1).map(|_| "---:".to_string()));
    rule.push("---".to_string());
    out.push_str(&format!("| {} |\n", rule.join(" | ")));
    for s in &h.snapshots {
        let mut row = vec![
            md(&point(s)),
            s.overall.map_or("—".into(), |o| o.to_string()),
        ];
        for d in &dims {
            row.push(
                s.dimensions
                    .iter()
                    .find(|(l, _)| l == d)
                    .map_or("—".into(), |(_, v)| v.to_string()),
            );
        }
        row.push(md(&s.level_label));
        out.push_str(&format!("| {} |\n", row.join(" | ")));
    }
    if h.snapshots.len() >= 2 {
        out.push_str(&format!(
            "\n## {}\n\n```trend\n@ {}\n",
            if zh {
                "得分走势"
            } else {
                "The scores over time"
            },
            h.snapshots
                .iter()
                .map(|s| fenced(&point(s)).replace(' ', "·"))
                .collect::<Vec<_>>()
                .join(" ")
        ));
        let series = |label: &str, values: Vec<Option<i64>>| {
            format!(
                "{} | {}\n",
                fenced(label),
                values
                    .iter()
                    .map(|v| v.map_or("—".into(), |v| v.to_string()))
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        };
        out.push_str(&series(
            if zh { "总分" } else { "Overall" },
            h.snapshots.iter().map(|s| s.overall).collect(),
        ));
        for d in &dims {
            out.push_str(&series(
                d,
                h.snapshots
                    .iter()
                    .map(|s| s.dimensions.iter().find(|(l, _)| l == d).map(|(_, v)| *v))
                    .collect(),
            ));
        }
        out.push_str("```\n");
    }
    type Step<'a> = (&'a Snapshot, &'a Snapshot, &'a Comparison);
    let steps: Vec<Step> = h
        .snapshots
        .windows(2)
        .filter_map(|w| w[1].change.as_ref().map(|c| (&w[0], &w[1], c)))
        .collect();
    if !steps.is_empty() {
        out.push_str(&format!(
            "\n## {}\n",
            if zh {
                "每一段变了什么"
            } else {
                "What moved at each step"
            }
        ));
    }
    for (a, b, c) in steps {
        let delta = match (a.overall, b.overall) {
            (Some(x), Some(y)) => format!("{x} → {y} ({:+})", y - x),
            _ => "—".into(),
        };
        out.push_str(&format!(
            "\n### {} → {}\n\n{}{delta}{}\n\n",
            md(&point(a)),
            md(&point(b)),
            if zh { "总分 " } else { "Overall " },
            if a.level == b.level {
                String::new()
            } else if zh {
                format!(
                    "；等级从“{}”变为“{}”",
                    md(&a.level_label),
                    md(&b.level_label)
                )
            } else {
                format!(
                    "; the level went from “{}” to “{}”",
                    md(&a.level_label),
                    md(&b.level_label)
                )
            }
        ));
        let moved: Vec<String> = c
            .dimensions
            .iter()
            .filter(|d| d.delta != 0)
            .map(|d| format!("{} {:+}", md(&d.label), d.delta))
            .collect();
        if !moved.is_empty() {
            out.push_str(&format!(
                "{}{}\n\n",
                if zh { "维度：" } else { "Dimensions: " },
                moved.join(if zh { "，" } else { ", " })
            ));
        }
        for (list, word) in [
            (&c.improved, if zh { "进步" } else { "Improved" }),
            (&c.slipped, if zh { "退步" } else { "Slipped" }),
        ] {
            for i in list {
                out.push_str(&format!(
                    "- **{word}**：{}（{} → {}）\n",
                    md(&i.title),
                    status_word(i.before, h.lang),
                    status_word(i.after, h.lang)
                ));
            }
        }
        for t in &b.new_checks {
            out.push_str(&format!(
                "- **{}**：{}\n",
                if zh { "新增检查" } else { "New check" },
                md(t)
            ));
        }
        if c.improved.is_empty() && c.slipped.is_empty() && b.new_checks.is_empty() {
            out.push_str(if zh {
                "- 没有检查项改变状态：分数的变化来自部分达标的检查（例如店铺体验分升了一级，还没到要求）\n"
            } else {
                "- No check changed its status: the scores moved on checks met in part (a store rating one grade better, still short of the level required)\n"
            });
        }
    }
    if !zh {
        out = out
            .replace("**：", "**: ")
            .replace("（", " (")
            .replace("）", ")");
    }
    out
}
