//! Timelines from fenced code blocks whose info string is `gantt`. The block stays
//! readable as text in any Markdown viewer; here it is drawn as a Gantt-style chart:
//! a label column, a date axis, a bar per task and a diamond per one-day milestone.
//!
//! ````text
//! ```gantt
//! 新账号破冰:
//! 实名认证与开通直播 | 2026-12-01 | 2026-12-03
//! 测品 | 2026-12-04 | 2026-12-06
//! 大场当天 | 2026-12-12
//! ```
//! ````
//!
//! Each non-blank line is a task, `label | start | end` with ISO dates (the end, which
//! may be left out, is the last day, not after it), or a group heading: text ending in
//! `:` (or `：`) with no `|`. If any line breaks these rules, an end falls before its
//! start, or no line is a task, the whole block is an ordinary code block.

use super::fonts::Weight;
use super::layout::{Draw, Flow, HAIRLINE, HEADING, MUTED, TEXT};
use super::text::{set_single_line, Rgb, SetLine, TextStyle};
use crate::fonts::FontSet;

/// One line of a timeline.
#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    Group(String),
    Task {
        label: String,
        /// Days since 1970-01-01, first and last day.
        start: i64,
        end: i64,
    },
}

/// The rows of a `gantt` block, or `None` when it does not follow the rules.
pub fn parse(code: &str) -> Option<Vec<Row>> {
    let rows = code
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(parse_line)
        .collect::<Option<Vec<Row>>>()?;
    rows.iter()
        .any(|r| matches!(r, Row::Task { .. }))
        .then_some(rows)
}

fn parse_line(line: &str) -> Option<Row> {
    if !line.contains('|') {
        let group = line.strip_suffix(':').or_else(|| line.strip_suffix('：'))?;
        let group = group.trim();
        return (!group.is_empty()).then(|| Row::Group(group.to_string()));
    }
    let mut parts = line.split('|').map(str::trim);
    let label = parts.next()?;
    let start = day_number(parts.next()?)?;
    let end = match parts.next() {
        Some(end) => day_number(end)?,
        None => start,
    };
    if label.is_empty() || parts.next().is_some() || end < start {
        return None;
    }
    Some(Row::Task {
        label: label.to_string(),
        start,
        end,
    })
}

/// `YYYY-MM-DD` as days since 1970-01-01, for real dates only.
pub fn day_number(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |s: &str| {
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse::<i64>().ok())?
    };
    let (y, m, d) = (
        digits(&text[..4])?,
        digits(&text[5..7])?,
        digits(&text[8..])?,
    );
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days_in_month = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month[(m - 1) as usize] {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The year of a day number.
fn year(days: i64) -> i64 {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let (m, _) = month_day(days);
    yoe + era * 400 + i64::from(m <= 2)
}

/// Month and day of a day number, for axis labels.
fn month_day(days: i64) -> (i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (m, d)
}

const LABEL: TextStyle = TextStyle {
    size: 8.8,
    weight: Weight::Regular,
    color: TEXT,
    leading: 1.55,
};
const GROUP: TextStyle = TextStyle {
    size: 9.0,
    weight: Weight::Bold,
    color: HEADING,
    leading: 1.7,
};
const AXIS: TextStyle = TextStyle {
    size: 7.5,
    weight: Weight::Regular,
    color: MUTED,
    leading: 1.3,
};
const BAR: Rgb = [0.24, 0.47, 0.70];
const STRIPE: Rgb = [0.965, 0.97, 0.98];
const BAR_HEIGHT: f32 = 7.5;
const LABEL_GAP: f32 = 8.0;
/// Narrower than this, the timeline says too little: the block is shown as code.
const MIN_TRACK: f32 = 120.0;

/// A timeline fitted to a width.
pub struct SetGantt {
    label_width: f32,
    track_width: f32,
    first: i64,
    /// Days the axis covers (the last day included).
    span: i64,
    rows: Vec<SetRow>,
    ticks: Vec<(i64, SetLine)>,
}

struct SetRow {
    label: SetLine,
    group: bool,
    days: Option<(i64, i64)>,
}

impl SetGantt {
    fn axis_height(&self) -> f32 {
        AXIS.line_height() + 4.0
    }

    fn row_height(row: &SetRow) -> f32 {
        if row.group {
            GROUP.line_height()
        } else {
            LABEL.line_height()
        }
    }

    /// The axis and the first few rows: what a heading above it keeps with it.
    pub fn head_height(&self) -> f32 {
        self.axis_height() + self.rows.iter().take(3).map(Self::row_height).sum::<f32>()
    }

    fn x_of(&self, x: f32, day: i64) -> f32 {
        x + self.label_width
            + LABEL_GAP
            + self.track_width * (day - self.first) as f32 / self.span as f32
    }
}

/// Sets the timeline into width `w`, or `None` when too narrow.
pub fn set(fonts: &mut FontSet, rows: &[Row], w: f32) -> Option<SetGantt> {
    let label_width = (w * 0.34).floor();
    let track_width = w - label_width - LABEL_GAP;
    if track_width < MIN_TRACK {
        return None;
    }
    let days = rows.iter().filter_map(|r| match r {
        Row::Task { start, end, .. } => Some((*start, *end)),
        Row::Group(_) => None,
    });
    let (first, last) = days.fold((i64::MAX, i64::MIN), |(a, b), (s, e)| (a.min(s), b.max(e)));
    let span = (last - first + 1).max(1);
    // A tick every day, week or month, whichever leaves the labels room.
    let step = [1, 2, 7, 14, 30, 61, 91, 182, 365]
        .into_iter()
        .find(|step| track_width / (span as f32 / *step as f32) >= 34.0)
        .unwrap_or(365);
    let ticks = (0..)
        .map(|k| first + k * step)
        .take_while(|d| *d <= last)
        .enumerate()
        .map(|(k, d)| {
            let (m, day) = month_day(d);
            // The first tick, and the first of each new year, carry the year.
            let label = if k == 0 || year(d) != year(d - step) {
                format!("{}-{m:02}-{day:02}", year(d))
            } else {
                format!("{m:02}-{day:02}")
            };
            (d, set_single_line(fonts, &label, &AXIS, 80.0))
        })
        .collect();
    let rows = rows
        .iter()
        .map(|r| match r {
            Row::Group(text) => SetRow {
                label: set_single_line(fonts, text, &GROUP, w),
                group: true,
                days: None,
            },
            Row::Task { label, start, end } => SetRow {
                label: set_single_line(fonts, label, &LABEL, label_width),
                group: false,
                days: Some((*start, *end)),
            },
        })
        .collect();
    Some(SetGantt {
        label_width,
        track_width,
        first,
        span,
        rows,
        ticks,
    })
}

/// Draws a set timeline at the current position, breaking between rows across pages,
/// with the date axis at the top of every page it is on.
pub fn draw(flow: &mut Flow, chart: &SetGantt, x: f32) {
    flow.need(chart.head_height());
    let mut top = flow.y;
    axis(flow, chart, x);
    for (i, row) in chart.rows.iter().enumerate() {
        let h = SetGantt::row_height(row);
        if h > flow.room() && !flow.at_page_top() {
            gridlines(flow, chart, x, top);
            flow.new_page();
            top = flow.y;
            axis(flow, chart, x);
        }
        let y = flow.y;
        if !row.group && i % 2 == 0 {
            flow.draw(Draw::Rect {
                x,
                y,
                w: chart.label_width + LABEL_GAP + chart.track_width,
                h,
                color: STRIPE,
            });
        }
        let style = if row.group { &GROUP } else { &LABEL };
        flow.draw_line(&row.label, x, y + style.baseline());
        if let Some((start, end)) = row.days {
            let mid = y + h / 2.0;
            if start == end {
                let cx = (chart.x_of(x, start) + chart.x_of(x, start + 1)) / 2.0;
                let r = BAR_HEIGHT * 0.62;
                flow.draw(Draw::Path {
                    points: vec![
                        (cx, mid - r, false),
                        (cx + r, mid, false),
                        (cx, mid + r, false),
                        (cx - r, mid, false),
                    ],
                    closed: true,
                    fill: Some(crate::layout::ACCENT),
                    stroke: None,
                });
            } else {
                let x1 = chart.x_of(x, start);
                let x2 = chart.x_of(x, end + 1);
                flow.draw(Draw::Rect {
                    x: x1,
                    y: mid - BAR_HEIGHT / 2.0,
                    w: (x2 - x1).max(1.5),
                    h: BAR_HEIGHT,
                    color: BAR,
                });
            }
        }
        flow.y += h;
    }
    gridlines(flow, chart, x, top);
    flow.y += 4.0;
}

/// The date labels along the top.
fn axis(flow: &mut Flow, chart: &SetGantt, x: f32) {
    let baseline = flow.y + AXIS.baseline();
    let right = x + chart.label_width + LABEL_GAP + chart.track_width;
    // A label that would run into the one before it, or off the chart, is left out.
    let mut free_from = f32::MIN;
    for (day, label) in &chart.ticks {
        let tx = chart.x_of(x, *day);
        if tx >= free_from && tx + label.width <= right + 0.01 {
            flow.draw_line(label, tx, baseline);
            free_from = tx + label.width + 4.0;
        }
    }
    flow.y += chart.axis_height();
    flow.hline(
        x + chart.label_width + LABEL_GAP,
        right,
        flow.y - 1.5,
        HAIRLINE,
        0.6,
    );
}

/// Thin vertical lines at the ticks, from `top` to the current position.
fn gridlines(flow: &mut Flow, chart: &SetGantt, x: f32, top: f32) {
    for (day, _) in &chart.ticks {
        let gx = chart.x_of(x, *day);
        flow.draw(Draw::Path {
            points: vec![
                (gx, top + chart.axis_height() - 1.5, false),
                (gx, flow.y, false),
            ],
            closed: false,
            fill: None,
            stroke: Some((HAIRLINE, 0.4)),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_days_and_back() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2026-12-01"), Some(20_788));
        assert_eq!(month_day(20_788), (12, 1));
        assert_eq!(year(20_788), 2026);
        assert_eq!(year(day_number("2027-01-01").unwrap()), 2027);
        assert_eq!(year(day_number("2024-02-29").unwrap()), 2024);
        assert_eq!(day_number("2024-02-29").map(month_day), Some((2, 29)));
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-1-01",
            "26-12-01",
            "2026-12-32",
            "abcd-ef-gh",
        ] {
            assert_eq!(day_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn tasks_groups_and_what_rejects_a_block() {
        let rows = parse("准备:\n测品 | 2026-12-04 | 2026-12-06\n\n大场 | 2026-12-12\n").unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0], Row::Group("准备".into()));
        assert!(matches!(rows[2], Row::Task { start, end, .. } if start == end));
        for bad in [
            "",
            "only a group:",
            "x | 2026-12-04 | 2026-12-01",
            "x | 2026-12-04 | 2026-12-05 | 2026-12-06",
            " | 2026-12-04",
            "no dates at all",
            "x | tomorrow",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }

    use crate::layout::{decorate, lay_out, Geometry, Laid};
    use crate::PageSize;

    fn lay(md: &str) -> (Laid, Geometry) {
        let geo = PageSize::A4.geometry();
        let mut fonts = FontSet::new(&[]).unwrap();
        let mut laid = lay_out(&crate::markdown::parse(md), &mut fonts, geo);
        decorate(&mut laid, &mut fonts, geo, "brand", "title");
        (laid, geo)
    }

    fn diamonds(laid: &Laid) -> Vec<usize> {
        laid.pages
            .iter()
            .map(|p| {
                p.draws
                    .iter()
                    .filter(|d| matches!(d, Draw::Path { closed: true, .. }))
                    .count()
            })
            .collect()
    }

    #[test]
    fn a_long_timeline_breaks_between_rows_inside_the_margins() {
        let rows: String = (0..120)
            .map(|i| format!("步骤 {i} | 2026-12-{:02}\n", 1 + i % 28))
            .collect();
        let (laid, geo) = lay(&format!("```gantt\n准备:\n{rows}```\n"));
        let per_page = diamonds(&laid);
        assert!(per_page.len() >= 3, "{per_page:?}");
        assert_eq!(per_page.iter().sum::<usize>(), 120);
        for page in &laid.pages {
            for d in &page.draws {
                if let Draw::Path {
                    points,
                    closed: true,
                    ..
                } = d
                {
                    for (x, y, _) in points {
                        assert!(*x >= geo.margin_x - 0.01 && *x <= geo.width - geo.margin_x + 0.01);
                        assert!(*y >= geo.margin_top - 0.01 && *y <= geo.content_bottom() + 0.01);
                    }
                }
            }
        }
    }

    #[test]
    fn a_cover_is_a_bare_page_and_a_page_break_starts_a_page() {
        let md = "```cover\ntitle: T\nline: l\n```\n\n# One\n\ntext\n\n```newpage\n```\n\n# Two\n";
        let (laid, _) = lay(md);
        assert_eq!(laid.pages.len(), 3);
        assert!(laid.pages[0].bare && !laid.pages[1].bare);
        // Only the pages after the cover carry the running header's rule.
        let rules = |p: &crate::layout::Page| {
            p.draws
                .iter()
                .filter(|d| matches!(d, Draw::Path { closed: false, .. }))
                .count()
        };
        assert_eq!(rules(&laid.pages[0]), 0);
        assert!(rules(&laid.pages[1]) > 0);
        assert_eq!(
            laid.outline.iter().map(|o| o.page).collect::<Vec<_>>(),
            [1, 2]
        );
        // A page break at the very end leaves no empty page.
        let (laid, _) = lay("text\n\n```newpage\n```\n");
        assert_eq!(laid.pages.len(), 1);
    }
}
