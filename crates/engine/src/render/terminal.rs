//! A report as a table for the terminal: the scorecard (when the playbook has one), the
//! blockers, the next actions, and changes since an earlier profile. Colour is optional so
//! piped output stays plain text.

use super::width::{bar, columns, pad, pad_left};
use super::{Format, Rendered, Renderer};
use crate::error::Result;
use crate::report::Status;
use crate::report::{Comparison, Report, Scorecard};
use std::fmt::Write as _;

/// Terminal text for a report, using the layout's words (`labels.yaml`) for its language.
pub struct TerminalRenderer<'a> {
    /// The `labels.yaml` section for the report's language.
    pub labels: &'a serde_json::Value,
    /// ANSI colours and bold; off when the output is not a terminal.
    pub colour: bool,
}

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const GREEN: &str = "\x1b[32m";

/// The colour of a 0-100 score: below 40 red, below 70 yellow, else green.
fn band(score: i64) -> &'static str {
    match score {
        ..40 => RED,
        40..70 => YELLOW,
        _ => GREEN,
    }
}

impl TerminalRenderer<'_> {
    fn word<'k>(&'k self, key: &'k str) -> &'k str {
        self.labels
            .pointer(&format!("/{}", key.replace('.', "/")))
            .and_then(|v| v.as_str())
            .unwrap_or(key)
    }

    fn paint(&self, style: &str, text: &str) -> String {
        if self.colour && !text.is_empty() {
            format!("{style}{text}{RESET}")
        } else {
            text.to_string()
        }
    }

    /// The text shown; profile text is printed as it is, with control characters removed
    /// so a value cannot move the cursor or change colours.
    pub fn text(&self, report: &Report) -> String {
        let mut out = String::new();
        self.heading(&mut out, report);
        if let Some(card) = &report.scorecard {
            self.scorecard(&mut out, card);
        }
        self.blockers(&mut out, report);
        self.actions(&mut out, report);
        if let Some(c) = &report.comparison {
            self.comparison(&mut out, report, c);
        }
        out
    }

    /// Brand and title, the verdict in its colour, and why.
    fn heading(&self, out: &mut String, report: &Report) {
        let sep = self.word("separator");
        let _ = writeln!(
            out,
            "{}",
            self.paint(
                BOLD,
                &format!(
                    "{}{}{}",
                    clean(&report.brand),
                    self.word("title_separator"),
                    report.title
                )
            )
        );
        // Red while anything blocks; otherwise the colour of the overall score, if any.
        let verdict_style = if report.items.iter().any(|i| i.status == Status::Blocked) {
            RED
        } else {
            report.scorecard.as_ref().map_or(GREEN, |c| band(c.overall))
        };
        let _ = writeln!(
            out,
            "{}{sep}{}",
            self.word("verdict"),
            self.paint(verdict_style, &report.verdict_label)
        );
        if let Some(why) = &report.verdict_why {
            let _ = writeln!(out, "{}", clean(why));
        }
    }

    /// The dimensions with their bars and scores, and the overall score.
    fn scorecard(&self, out: &mut String, card: &Scorecard) {
        out.push('\n');
        let label_width = card
            .dimensions
            .iter()
            .map(|d| columns(&d.label))
            .chain([
                columns(self.word("dimension")),
                columns(self.word("overall")),
            ])
            .max()
            .unwrap_or(0);
        let header = format!(
            "{}  {}  {}  {}",
            pad(self.word("dimension"), label_width),
            pad("", 20),
            pad_left(self.word("score"), 5),
            self.word("checks_passed")
        );
        let _ = writeln!(out, "{}", self.paint(BOLD, header.trim_end()));
        for d in &card.dimensions {
            // No check to score yet: no bar and no score, and out of the overall.
            let (shown_bar, score) = if d.checks > 0 {
                (
                    self.paint(band(d.score), &bar(d.score, 20)),
                    d.score.to_string(),
                )
            } else {
                (pad("", 20), "—".to_string())
            };
            let _ = writeln!(
                out,
                "{}  {}  {}  {}/{}",
                pad(&d.label, label_width),
                shown_bar,
                pad_left(&score, 5),
                d.passed,
                d.checks
            );
        }
        let _ = writeln!(
            out,
            "{}  {}  {}",
            self.paint(BOLD, &pad(self.word("overall"), label_width)),
            self.paint(band(card.overall), &bar(card.overall, 20)),
            self.paint(BOLD, &format!("{:>5}", card.overall))
        );
    }

    /// What blocks, with why.
    fn blockers(&self, out: &mut String, report: &Report) {
        let sep = self.word("separator");
        let blocked: Vec<_> = report
            .items
            .iter()
            .filter(|i| i.status == Status::Blocked)
            .collect();
        if !blocked.is_empty() {
            let _ = writeln!(out, "\n{}", self.paint(BOLD, self.word("blockers")));
            for i in blocked {
                let _ = writeln!(
                    out,
                    "  {} {}{sep}{}",
                    self.paint(RED, "✗"),
                    clean(&i.title),
                    clean(&i.why)
                );
            }
        }
    }

    /// The next five actions, with who owns each and which playbook covers it.
    fn actions(&self, out: &mut String, report: &Report) {
        let sep = self.word("separator");
        let actions: Vec<_> = report.ranked_actions().take(5).collect();
        if !actions.is_empty() {
            let _ = writeln!(out, "\n{}", self.paint(BOLD, self.word("next_five")));
            for (n, i) in actions.iter().enumerate() {
                let _ = writeln!(out, "  {}. {}", n + 1, clean(&i.title));
                if let Some(action) = &i.action {
                    let _ = writeln!(out, "     {}", clean(action));
                }
                let mut who = format!(
                    "{}{sep}{}",
                    self.word("owner"),
                    i.owner.as_deref().map(clean).unwrap_or_else(|| "—".into())
                );
                if let Some(p) = &i.covered_by_title {
                    let _ = write!(
                        who,
                        "{}{}{sep}{}{p}{}",
                        self.word("list_separator"),
                        self.word("covered_by"),
                        self.word("title_open"),
                        self.word("title_close")
                    );
                }
                let _ = writeln!(out, "     {}", self.paint(DIM, &who));
            }
        }
    }

    /// What moved since the earlier profile.
    fn comparison(&self, out: &mut String, report: &Report, c: &Comparison) {
        let sep = self.word("separator");
        let _ = writeln!(
            out,
            "\n{}",
            self.paint(
                BOLD,
                &format!("{}{sep}{}", self.word("since"), clean(&c.against))
            )
        );
        let _ = writeln!(
            out,
            "  {}{sep}{} → {}",
            self.word("level_before"),
            c.verdict_label_before,
            report.verdict_label
        );
        let width = c
            .dimensions
            .iter()
            .map(|d| columns(&d.label))
            .max()
            .unwrap_or(0);
        for d in &c.dimensions {
            let delta = match d.delta {
                0 => self.paint(DIM, "±0"),
                x if x > 0 => self.paint(GREEN, &format!("+{x}")),
                x => self.paint(RED, &x.to_string()),
            };
            let _ = writeln!(
                out,
                "  {}  {:>3} → {:>3}  {delta}",
                pad(&d.label, width),
                d.before,
                d.after
            );
        }
        let status = |s: Option<Status>| match s {
            Some(s) => self.word(&format!("status.{}", s.as_str())).to_string(),
            None => self.word("absent").to_string(),
        };
        for (key, list, mark, style) in [
            ("improved", &c.improved, "↑", GREEN),
            ("slipped", &c.slipped, "↓", RED),
        ] {
            if list.is_empty() {
                continue;
            }
            let _ = writeln!(out, "  {}", self.word(key));
            for i in list {
                let _ = writeln!(
                    out,
                    "    {} {} ({} → {})",
                    self.paint(style, mark),
                    clean(&i.title),
                    status(i.before),
                    status(i.after)
                );
            }
        }
        if c.improved.is_empty() && c.slipped.is_empty() {
            let _ = writeln!(out, "  {}", self.word("no_change"));
        }
    }
}

/// Profile text without control characters.
fn clean(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).collect()
}

impl Renderer for TerminalRenderer<'_> {
    fn format(&self) -> Format {
        Format::Terminal
    }

    fn render(&self, report: &Report) -> Result<Rendered> {
        Ok(self.text(report).into_bytes().into())
    }
}
