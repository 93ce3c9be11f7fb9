//! Trend charts from fenced code blocks whose info string is `trend`: one small line chart
//! per series, each on its own scale, over shared points (sessions, snapshots). The block
//! reads as a table of figures in any Markdown viewer; here it is drawn with lines.
//!
//! ````text
//! ```trend
//! @ 10-03 10-04 10-05 10-07
//! 成交金额 GMV | ¥17,196 ¥14,156 ¥16,321 —
//! ROI | 2.54 2.23 2.87 3.10 | 目标 2.5
//! ```
//! ````
//!
//! The first line that is not blank starts with `@` and names the points, separated by
//! whitespace (at least two). Every other line is a series: its label, `|`, one value per
//! point, and optionally `|` and a reference line (a label ending in its value, such as a
//! target), up to three of them. A value is a number, optionally with `¥` or `￥` before it, thousands commas
//! and `%` after it, or `—` (or `-`) for a point without one. A block that breaks these
//! rules is an ordinary code block.

use super::fonts::{FontSet, Weight};
use super::layout::{Draw, Flow, ACCENT, HAIRLINE, MUTED, TEXT};
use super::markdown::{Inline, SpanStyle};
use super::text::{set_inline, set_single_line, Rgb, SetLine, TextStyle};

/// One series: its values at each point, as written and as numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub label: String,
    /// Per point, the value as written and its number; `None` where there is none.
    pub values: Vec<Option<(String, f64)>>,
    /// Reference lines (a target, a break-even): each label as written (value included)
    /// and its number.
    pub references: Vec<(String, f64)>,
}

/// A parsed `trend` block.
#[derive(Debug, Clone, PartialEq)]
pub struct Trend {
    pub points: Vec<String>,
    pub series: Vec<Series>,
}

/// The trend of a `trend` block, or `None` when it does not follow the rules.
pub fn parse(code: &str) -> Option<Trend> {
    let mut lines = code.lines().map(str::trim).filter(|l| !l.is_empty());
    let points: Vec<String> = lines
        .next()?
        .strip_prefix('@')?
        .split_whitespace()
        .map(str::to_string)
        .collect();
    if points.len() < 2 {
        return None;
    }
    let series = lines
        .map(|line| parse_series(line, points.len()))
        .collect::<Option<Vec<Series>>>()?;
    (!series.is_empty()).then_some(Trend { points, series })
}

fn parse_series(line: &str, n: usize) -> Option<Series> {
    let mut parts = line.split('|');
    let label = parts.next()?.trim();
    let values: Vec<Option<(String, f64)>> = parts
        .next()?
        .split_whitespace()
        .map(|token| match token {
            "—" | "-" | "–" => Some(None),
            _ => value(token).map(|x| Some((token.to_string(), x))),
        })
        .collect::<Option<_>>()?;
    // Every further `|` part is a reference line; at most three keep a panel readable.
    let references: Vec<(String, f64)> = parts
        .map(|text| {
            let text = text.trim();
            let last = text.split_whitespace().next_back()?;
            Some((text.to_string(), value(last)?))
        })
        .collect::<Option<_>>()?;
    let shown = values.iter().filter(|v| v.is_some()).count();
    if label.is_empty() || values.len() != n || shown == 0 || references.len() > 3 {
        return None;
    }
    Some(Series {
        label: label.to_string(),
        values,
        references,
    })
}

/// `¥12,345.6`, `-3`, `2.5%`: the number as written (a percentage stays in percent).
fn value(token: &str) -> Option<f64> {
    let t = token.strip_prefix(['¥', '￥']).unwrap_or(token);
    let t = t.strip_suffix('%').unwrap_or(t);
    let digits: String = t.chars().filter(|c| *c != ',').collect();
    let unsigned = digits.strip_prefix('-').unwrap_or(&digits);
    let ok = !unsigned.is_empty()
        && unsigned.chars().all(|c| c.is_ascii_digit() || c == '.')
        && unsigned.chars().filter(|c| *c == '.').count() <= 1
        && !unsigned.starts_with('.');
    if !ok {
        return None;
    }
    digits.parse().ok().filter(|x: &f64| x.is_finite())
}

const LABEL: TextStyle = TextStyle {
    size: 9.2,
    weight: Weight::Regular,
    color: TEXT,
    leading: 1.45,
};
const LATEST: TextStyle = TextStyle {
    size: 10.0,
    weight: Weight::Bold,
    color: TEXT,
    leading: 1.4,
};
const SMALL: TextStyle = TextStyle {
    size: 7.2,
    weight: Weight::Regular,
    color: MUTED,
    leading: 1.3,
};
const PANEL_HEIGHT: f32 = 44.0;
const PANEL_GAP: f32 = 8.0;
const PAD_Y: f32 = 4.0;
const LABEL_GAP: f32 = 10.0;
/// Room at the panel's right for its highest and lowest values.
const SCALE_WIDTH: f32 = 46.0;
const MIN_PANEL: f32 = 120.0;
const PANEL_FILL: Rgb = [0.965, 0.97, 0.978];
const LINE: Rgb = ACCENT;
const REFERENCE: Rgb = [0.55, 0.58, 0.63];

/// A trend fitted to a width.
pub struct SetTrend {
    label_width: f32,
    panel_width: f32,
    rows: Vec<SetRow>,
    /// The point labels shown under a panel, with their index.
    ticks: Vec<(usize, SetLine)>,
    points: usize,
}

struct SetRow {
    label: Vec<SetLine>,
    latest: SetLine,
    high: SetLine,
    low: SetLine,
    references: Vec<(SetLine, f64)>,
    values: Vec<Option<f64>>,
    range: (f64, f64),
    height: f32,
}

impl SetTrend {
    /// Height of the chart's first series with its point labels: what must fit below a
    /// heading.
    pub fn first_height(&self) -> f32 {
        2.0 * PAD_Y + self.rows.first().map_or(0.0, |r| r.height) + SMALL.line_height()
    }

    /// Height of the whole chart on one page.
    pub fn height(&self) -> f32 {
        2.0 * PAD_Y + self.rows.iter().map(|r| r.height).sum::<f32>() + SMALL.line_height()
    }
}

/// Sets the trend into width `w`; `None` when `w` leaves too little room for the panels.
pub fn set(fonts: &mut FontSet, trend: &Trend, w: f32) -> Option<SetTrend> {
    // Wide enough for each label and for the latest value printed under it.
    let widest = trend
        .series
        .iter()
        .map(|s| {
            let latest = s
                .values
                .iter()
                .flatten()
                .last()
                .map_or("", |v| v.0.as_str());
            set_single_line(fonts, &s.label, &LABEL, f32::MAX)
                .width
                .max(set_single_line(fonts, latest, &LATEST, f32::MAX).width)
        })
        .fold(0.0, f32::max);
    let label_width = (widest + 0.5).min(w * 0.3).ceil();
    let panel_width = w - label_width - LABEL_GAP - SCALE_WIDTH;
    if panel_width < MIN_PANEL {
        return None;
    }
    let rows = trend
        .series
        .iter()
        .map(|s| {
            let chars: Vec<char> = s.label.chars().filter(|c| !c.is_control()).collect();
            let inline = Inline {
                styles: vec![SpanStyle::default(); chars.len()],
                chars,
            };
            let label = set_inline(fonts, &inline, &LABEL, label_width, false);
            let shown: Vec<&(String, f64)> = s.values.iter().flatten().collect();
            let latest = shown.last().map_or("", |v| v.0.as_str());
            let high = shown.iter().max_by(|a, b| a.1.total_cmp(&b.1));
            let low = shown.iter().min_by(|a, b| a.1.total_cmp(&b.1));
            let mut range = (low.map_or(0.0, |v| v.1), high.map_or(0.0, |v| v.1));
            for (_, r) in &s.references {
                range = (range.0.min(*r), range.1.max(*r));
            }
            let label_height =
                label.len().max(1) as f32 * LABEL.line_height() + LATEST.line_height();
            SetRow {
                latest: set_single_line(fonts, latest, &LATEST, label_width),
                high: set_single_line(
                    fonts,
                    high.map_or("", |v| v.0.as_str()),
                    &SMALL,
                    SCALE_WIDTH,
                ),
                low: set_single_line(fonts, low.map_or("", |v| v.0.as_str()), &SMALL, SCALE_WIDTH),
                references: s
                    .references
                    .iter()
                    .map(|(text, x)| (set_single_line(fonts, text, &SMALL, panel_width / 2.0), *x))
                    .collect(),
                values: s.values.iter().map(|v| v.as_ref().map(|v| v.1)).collect(),
                range,
                height: label_height.max(PANEL_HEIGHT) + PANEL_GAP,
                label,
            }
        })
        .collect();
    // The first and last points, and up to four between, evenly spread.
    let n = trend.points.len();
    let mut picked: Vec<usize> = (0..6).map(|k| k * (n - 1) / 5).collect();
    picked.dedup();
    let ticks = picked
        .into_iter()
        .map(|i| {
            (
                i,
                set_single_line(fonts, &trend.points[i], &SMALL, panel_width / 4.0),
            )
        })
        .collect();
    Some(SetTrend {
        label_width,
        panel_width,
        rows,
        ticks,
        points: n,
    })
}

/// Draws the trend at the current position, a series at a time: a series never breaks
/// across pages, and the point labels go under the last series on each page.
pub fn draw(flow: &mut Flow, chart: &SetTrend, x: f32) {
    // The whole chart on one page when it fits on one: a fresh page rather than a split,
    // unless the chart is taller than a page.
    let page = flow.geo.content_bottom() - flow.geo.margin_top;
    if chart.height() <= page {
        flow.need(chart.height());
    } else {
        flow.need(chart.first_height());
    }
    flow.y += PAD_Y;
    let panel_x = x + chart.label_width + LABEL_GAP;
    for (i, row) in chart.rows.iter().enumerate() {
        let needed = row.height + SMALL.line_height();
        if needed > flow.room() && !flow.at_page_top() {
            ticks(flow, chart, panel_x);
            flow.new_page();
        }
        series(flow, chart, row, x, panel_x);
        flow.y += row.height;
        if i + 1 == chart.rows.len() {
            ticks(flow, chart, panel_x);
        }
    }
    flow.y += PAD_Y;
}

/// Where point `i` of `n` sits across a panel `w` wide.
fn point_x(i: usize, n: usize, w: f32) -> f32 {
    w * i as f32 / (n - 1).max(1) as f32
}

fn series(flow: &mut Flow, chart: &SetTrend, row: &SetRow, x: f32, panel_x: f32) {
    let top = flow.y;
    let w = chart.panel_width;
    for (k, line) in row.label.iter().enumerate() {
        flow.draw_line(
            line,
            x,
            top + LABEL.baseline() + k as f32 * LABEL.line_height(),
        );
    }
    let latest_y = top + row.label.len().max(1) as f32 * LABEL.line_height() + LATEST.baseline();
    flow.draw_line(&row.latest, x, latest_y);
    flow.draw(Draw::Rect {
        x: panel_x,
        y: top,
        w,
        h: PANEL_HEIGHT,
        color: PANEL_FILL,
    });
    // Values run from the panel's bottom (lowest) to its top (highest), inset a little; a
    // flat series sits in the middle.
    let inset = 5.0;
    let (low, high) = row.range;
    let y_of = |v: f64| -> f32 {
        if high - low <= f64::EPSILON {
            top + PANEL_HEIGHT / 2.0
        } else {
            let t = ((v - low) / (high - low)) as f32;
            top + PANEL_HEIGHT - inset - t * (PANEL_HEIGHT - 2.0 * inset)
        }
    };
    // Labels alternate between the panel's right and left ends, so two lines close
    // together keep both labels readable.
    for (k, (text, r)) in row.references.iter().enumerate() {
        let ry = y_of(*r);
        flow.draw(Draw::Path {
            points: vec![(panel_x, ry, false), (panel_x + w, ry, false)],
            closed: false,
            fill: None,
            stroke: Some((REFERENCE, 0.6)),
        });
        let label_y = if ry - top > SMALL.size + 2.0 {
            ry - 2.0
        } else {
            ry + SMALL.size + 1.0
        };
        let label_x = if k % 2 == 0 {
            panel_x + w - text.width - 2.0
        } else {
            panel_x + 2.0
        };
        flow.draw_line(text, label_x, label_y);
    }
    // The line, broken where a point has no value, and a dot at every value.
    let mut run: Vec<(f32, f32, bool)> = Vec::new();
    let flush = |flow: &mut Flow, run: &mut Vec<(f32, f32, bool)>| {
        if run.len() > 1 {
            flow.draw(Draw::Path {
                points: std::mem::take(run),
                closed: false,
                fill: None,
                stroke: Some((LINE, 1.3)),
            });
        }
        run.clear();
    };
    for (i, v) in row.values.iter().enumerate() {
        match v {
            Some(v) => run.push((panel_x + point_x(i, chart.points, w), y_of(*v), false)),
            None => flush(flow, &mut run),
        }
    }
    flush(flow, &mut run);
    for (i, v) in row.values.iter().enumerate() {
        if let Some(v) = v {
            let (px, py) = (panel_x + point_x(i, chart.points, w), y_of(*v));
            flow.draw(Draw::Rect {
                x: px - 1.4,
                y: py - 1.4,
                w: 2.8,
                h: 2.8,
                color: LINE,
            });
        }
    }
    // The scale: highest value at the top right, lowest at the bottom right.
    let sx = panel_x + w + 4.0;
    flow.draw_line(&row.high, sx, top + SMALL.baseline());
    flow.draw_line(&row.low, sx, top + PANEL_HEIGHT - 1.5);
    flow.draw(Draw::Path {
        points: vec![
            (panel_x, top + PANEL_HEIGHT, false),
            (panel_x + w, top + PANEL_HEIGHT, false),
        ],
        closed: false,
        fill: None,
        stroke: Some((HAIRLINE, 0.5)),
    });
}

/// The point labels under the panel just drawn.
fn ticks(flow: &mut Flow, chart: &SetTrend, panel_x: f32) {
    let baseline = flow.y - PANEL_GAP + SMALL.baseline() + 1.0;
    for (i, line) in &chart.ticks {
        let px = panel_x + point_x(*i, chart.points, chart.panel_width);
        let left = if *i == 0 {
            px
        } else if *i + 1 == chart.points {
            px - line.width
        } else {
            px - line.width / 2.0
        };
        flow.draw_line(line, left, baseline);
    }
    flow.y += SMALL.line_height();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trend_reads_points_series_and_a_reference() {
        let t = parse(
            "@ 10-03 10-04 10-05\n\n成交金额 GMV | ¥17,196 ¥14,156.5 —\nROI | 2.54 2.23 2.87 | 目标 2.5\n转化率 | 3.1% 2.8% 3.0%\n",
        )
        .unwrap();
        assert_eq!(t.points, ["10-03", "10-04", "10-05"]);
        assert_eq!(t.series[0].label, "成交金额 GMV");
        assert_eq!(
            t.series[0].values,
            [
                Some(("¥17,196".to_string(), 17_196.0)),
                Some(("¥14,156.5".to_string(), 14_156.5)),
                None
            ]
        );
        assert_eq!(t.series[1].references, [("目标 2.5".to_string(), 2.5)]);
        let two = parse("@ a b\nROI | 2 3 | 目标 2.5 | 保本 2.82\n").unwrap();
        assert_eq!(
            two.series[0].references,
            [
                ("目标 2.5".to_string(), 2.5),
                ("保本 2.82".to_string(), 2.82)
            ]
        );
        assert_eq!(t.series[2].values[0], Some(("3.1%".to_string(), 3.1)));
    }

    #[test]
    fn a_block_off_the_rules_is_code() {
        for code in [
            "",
            "GMV | 1 2",
            "@ one\nGMV | 1",
            "@ a b\nGMV | 1",
            "@ a b\nGMV | 1 2 3",
            "@ a b\n | 1 2",
            "@ a b\nGMV | 1 x",
            "@ a b\nGMV | — —",
            "@ a b\nGMV | 1 2 | target",
            "@ a b\nGMV | 1 2 | a 1 | b 2 | c 3 | d 4",
            "@ a b\nGMV 1 2",
            "@ a b",
        ] {
            assert_eq!(parse(code), None, "{code:?}");
        }
    }

    #[test]
    fn values_take_money_and_percent_forms() {
        assert_eq!(value("¥1,234.5"), Some(1234.5));
        assert_eq!(value("￥12"), Some(12.0));
        assert_eq!(value("-3"), Some(-3.0));
        assert_eq!(value("2.5%"), Some(2.5));
        assert_eq!(value("1.2.3"), None);
        assert_eq!(value(".5"), None);
        assert_eq!(value("¥"), None);
    }
}
