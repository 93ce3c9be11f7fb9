//! Bar charts from fenced code blocks whose info string is `bars`. The block stays
//! readable as text bars in any Markdown viewer; here it is drawn with rectangles.
//!
//! ````text
//! ```bars
//! 人员 People   ████████░░  80
//! 货品 Goods    ██████░░░░  62.5%
//! 数据 Data                  0/100
//! ```
//! ````
//!
//! Each non-blank line is one bar. Its value is the last whitespace-separated token:
//! an optional `-`, digits, optionally `.` and more digits, then optionally `%` or
//! `/100`. The label is the text before the first `█` or `░` (or before the value when
//! the line has no bar), trimmed, and must not be empty; between the label and the
//! value only `█`, `░` and whitespace may appear. If any line breaks these rules the
//! whole block is an ordinary code block. Values are clamped to 0–100 for drawing and
//! printed as written.

use super::fonts::{FontSet, Weight};
use super::layout::{Draw, Flow, HAIRLINE, TEXT};
use super::markdown::{Inline, SpanStyle};
use super::text::{set_inline, set_single_line, Rgb, SetLine, TextStyle};

/// One bar of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    /// The value as written, suffix included, e.g. `"62.5%"`.
    pub shown: String,
    /// The value clamped to 0–100.
    pub value: f32,
}

const BAR_CHARS: [char; 2] = ['█', '░'];

/// The bars of a `bars` block, or `None` if some line does not follow the rules (or
/// there is no line at all).
pub fn parse(code: &str) -> Option<Vec<Bar>> {
    let bars = code
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(parse_line)
        .collect::<Option<Vec<Bar>>>()?;
    (!bars.is_empty()).then_some(bars)
}

fn parse_line(line: &str) -> Option<Bar> {
    let line = line.trim_end();
    let shown = line.split_whitespace().next_back()?;
    let value = parse_value(shown)?;
    let head = &line[..line.len() - shown.len()];
    let (label, bar) = match head.find(BAR_CHARS) {
        Some(i) => head.split_at(i),
        None => (head, ""),
    };
    let label = label.trim();
    let bar_only = bar
        .chars()
        .all(|c| BAR_CHARS.contains(&c) || c.is_whitespace());
    if label.is_empty() || !bar_only {
        return None;
    }
    Some(Bar {
        label: label.to_string(),
        shown: shown.to_string(),
        value: value.clamp(0.0, 100.0) as f32,
    })
}

/// `-?D+(.D+)?` followed by nothing, `%` or `/100`.
fn parse_value(token: &str) -> Option<f64> {
    let number = token
        .strip_suffix('%')
        .or_else(|| token.strip_suffix("/100"))
        .unwrap_or(token);
    let digits = number.strip_prefix('-').unwrap_or(number);
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(whole) || !fraction.is_none_or(all_digits) {
        return None;
    }
    number.parse().ok()
}

const LABEL: TextStyle = TextStyle {
    size: 9.5,
    weight: Weight::Regular,
    color: TEXT,
    leading: 1.6,
};
const VALUE: TextStyle = TextStyle {
    size: 8.8,
    weight: Weight::Bold,
    color: [0.30, 0.33, 0.38],
    leading: 1.6,
};
/// Space above and below the chart, and between rows.
const PAD_Y: f32 = 4.0;
const ROW_GAP: f32 = 4.0;
const BAR_HEIGHT: f32 = 9.0;
/// Between the label column and the bars, and between a bar's end and its value.
const LABEL_GAP: f32 = 10.0;
const VALUE_GAP: f32 = 5.0;
/// Narrower than this, the bars say too little: the block is shown as code.
const MIN_TRACK: f32 = 48.0;

const TRACK: Rgb = [0.925, 0.935, 0.95];
const LOW: Rgb = [0.80, 0.38, 0.34];
const MIDDLE: Rgb = [0.87, 0.64, 0.27];
const HIGH: Rgb = [0.36, 0.61, 0.43];

/// Colour band of a value: below 40, below 70, and the rest.
fn band(value: f32) -> Rgb {
    if value < 40.0 {
        LOW
    } else if value < 70.0 {
        MIDDLE
    } else {
        HIGH
    }
}

/// A chart fitted to a width.
pub struct SetChart {
    label_width: f32,
    track_width: f32,
    rows: Vec<SetRow>,
}

struct SetRow {
    label: Vec<SetLine>,
    value: SetLine,
    fraction: f32,
    color: Rgb,
    height: f32,
}

impl SetChart {
    /// Height of the whole chart, padding included.
    pub fn height(&self) -> f32 {
        2.0 * PAD_Y + self.rows.iter().map(|r| r.height).sum::<f32>()
            - if self.rows.is_empty() { 0.0 } else { ROW_GAP }
    }
}

/// Sets the chart into width `w`: labels in a column as wide as the widest (at most
/// 38% of `w`, wrapping beyond), values after the bars. `None` when `w` leaves too
/// little room for the bars.
pub fn set(fonts: &mut FontSet, bars: &[Bar], w: f32) -> Option<SetChart> {
    let label_width = widest(fonts, bars.iter().map(|b| b.label.as_str()), &LABEL);
    // Half a point of slack so that the widest label is not wrapped by rounding.
    let label_width = (label_width + 0.5).min(w * 0.38).ceil();
    let value_cap = w * 0.2;
    let value_width = widest(fonts, bars.iter().map(|b| b.shown.as_str()), &VALUE);
    let value_width = value_width.min(value_cap).ceil();
    let track_width = w - label_width - LABEL_GAP - VALUE_GAP - value_width;
    if track_width < MIN_TRACK || label_width <= 0.0 {
        return None;
    }
    let rows = bars
        .iter()
        .map(|bar| {
            let chars: Vec<char> = bar.label.chars().filter(|c| !c.is_control()).collect();
            let inline = Inline {
                styles: vec![SpanStyle::default(); chars.len()],
                chars,
            };
            let label = set_inline(fonts, &inline, &LABEL, label_width, false);
            let lines = label.len().max(1) as f32;
            SetRow {
                label,
                value: set_single_line(fonts, &bar.shown, &VALUE, value_cap),
                fraction: bar.value / 100.0,
                color: band(bar.value),
                height: lines * LABEL.line_height() + ROW_GAP,
            }
        })
        .collect();
    Some(SetChart {
        label_width,
        track_width,
        rows,
    })
}

/// Width of the widest of `texts` set on one line.
fn widest<'a>(fonts: &mut FontSet, texts: impl Iterator<Item = &'a str>, style: &TextStyle) -> f32 {
    texts
        .map(|t| set_single_line(fonts, t, style, f32::MAX).width)
        .fold(0.0, f32::max)
}

/// Draws a set chart at the current position: all of it on one page when it fits on
/// a page, else breaking between rows.
pub fn draw(flow: &mut Flow, chart: &SetChart, x: f32) {
    flow.need(chart.height());
    flow.y += PAD_Y;
    let track_x = x + chart.label_width + LABEL_GAP;
    let mut segment_top = flow.y;
    let mut tracks = Vec::new();
    let mut fills = Vec::new();
    let mut texts = Vec::new();
    for (i, row) in chart.rows.iter().enumerate() {
        let last = i + 1 == chart.rows.len();
        let height = row.height - if last { ROW_GAP } else { 0.0 };
        if height > flow.room() && !flow.at_page_top() {
            let parts = (&mut tracks, &mut fills, &mut texts);
            finish_segment(flow, chart, track_x, segment_top, parts);
            flow.new_page();
            segment_top = flow.y;
        }
        let top = flow.y;
        let baseline = top + LABEL.baseline();
        for (k, line) in row.label.iter().enumerate() {
            let dx = (chart.label_width - line.width).max(0.0);
            texts.push((
                line.clone(),
                x + dx,
                baseline + k as f32 * LABEL.line_height(),
            ));
        }
        // The bar is centred on the label's first line.
        let bar_y = top + LABEL.line_height() / 2.0 - BAR_HEIGHT / 2.0;
        tracks.push(Draw::Rect {
            x: track_x,
            y: bar_y,
            w: chart.track_width,
            h: BAR_HEIGHT,
            color: TRACK,
        });
        let filled = chart.track_width * row.fraction;
        if filled > 0.0 {
            fills.push(Draw::Rect {
                x: track_x,
                y: bar_y,
                w: filled,
                h: BAR_HEIGHT,
                color: row.color,
            });
        }
        texts.push((
            row.value.clone(),
            track_x + chart.track_width + VALUE_GAP,
            baseline - (LABEL.size - VALUE.size) * 0.34,
        ));
        flow.y += height;
    }
    let parts = (&mut tracks, &mut fills, &mut texts);
    finish_segment(flow, chart, track_x, segment_top, parts);
    flow.y += PAD_Y;
}

/// What a chart puts on a page, in drawing order apart from the marks: tracks,
/// filled bars, text lines with their position.
type Parts<'a> = (
    &'a mut Vec<Draw>,
    &'a mut Vec<Draw>,
    &'a mut Vec<(SetLine, f32, f32)>,
);

/// Puts one page's part of a chart on the page: the tracks, the 50 and 100 marks
/// (seen on the empty part of a track and between rows), the filled bars, the text.
fn finish_segment(flow: &mut Flow, chart: &SetChart, track_x: f32, top: f32, parts: Parts) {
    let (tracks, fills, texts) = parts;
    for d in tracks.drain(..) {
        flow.draw(d);
    }
    if flow.y > top {
        for fraction in [0.5, 1.0] {
            let gx = track_x + chart.track_width * fraction;
            flow.draw(Draw::Path {
                points: vec![(gx, top - 1.0, false), (gx, flow.y + 1.0, false)],
                closed: false,
                fill: None,
                stroke: Some((HAIRLINE, 0.5)),
            });
        }
    }
    for d in fills.drain(..) {
        flow.draw(d);
    }
    for (line, x, baseline) in texts.drain(..) {
        flow.draw_line(&line, x, baseline);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, shown: &str, value: f32) -> Bar {
        Bar {
            label: label.into(),
            shown: shown.into(),
            value,
        }
    }

    #[test]
    fn lines_with_and_without_bars() {
        let bars = parse(
            "人员 People   ████████░░  80\n\n货品 Goods ██████░░░░ 62.5%\n  数据 Data   0/100\n",
        )
        .unwrap();
        assert_eq!(
            bars,
            [
                bar("人员 People", "80", 80.0),
                bar("货品 Goods", "62.5%", 62.5),
                bar("数据 Data", "0/100", 0.0),
            ]
        );
    }

    #[test]
    fn values_are_clamped_but_kept_as_written() {
        let bars = parse("over ███ 130\nunder -5\n").unwrap();
        assert_eq!(bars, [bar("over", "130", 100.0), bar("under", "-5", 0.0)]);
    }

    #[test]
    fn a_line_that_does_not_parse_rejects_the_block() {
        for code in [
            "",
            "  \n",
            "ok ██ 50\nno number here",
            "████ 50",
            "50",
            "a ██ b ██ 50",
            "a ██ 5e1",
            "a ██ 50 %",
            "a ██ 1.",
            "a ██ .5",
            "a ██ NaN",
            "a ██ inf",
            "a ██50",
            "a ██ 50/10",
        ] {
            assert_eq!(parse(code), None, "{code:?}");
        }
    }

    use crate::fonts::FontSet;
    use crate::layout::{lay_out, Geometry, Laid};
    use crate::markdown;
    use crate::PageSize;

    fn geometry(size: PageSize) -> Geometry {
        size.geometry()
    }

    fn lay(md: &str, geo: Geometry) -> Laid {
        let mut fonts = FontSet::new(&[]).unwrap();
        lay_out(&markdown::parse(md), &mut fonts, geo)
    }

    /// Pages holding a track, with the tracks' (x, y, w, h).
    fn tracks(laid: &Laid) -> Vec<(usize, [f32; 4])> {
        let mut out = Vec::new();
        for (p, page) in laid.pages.iter().enumerate() {
            for d in &page.draws {
                if let Draw::Rect { x, y, w, h, color } = d {
                    if *color == TRACK {
                        out.push((p, [*x, *y, *w, *h]));
                    }
                }
            }
        }
        out
    }

    const CHART: &str = "```bars\n人员 People ████████░░ 80\n货品 Goods ██████░░░░ 60\n\
        数据 Data ░░░░░░░░░░ 0\n场地 a much longer label that has to wrap somewhere ███ 35.5%\n\
        投流 Ads ██████████ 100/100\n```\n";

    #[test]
    fn chart_stays_inside_the_margins() {
        for size in [PageSize::A4, PageSize::Letter] {
            let geo = geometry(size);
            let nested = CHART.replace('\n', "\n  ");
            let laid = lay(&format!("# 标题\n\n{CHART}\n- 列表\n\n  {nested}"), geo);
            let found = tracks(&laid);
            assert_eq!(found.len(), 10, "{size:?}");
            let (left, right) = (geo.margin_x, geo.width - geo.margin_x);
            for d in laid.pages.iter().flat_map(|p| &p.draws) {
                match d {
                    Draw::Rect { x, w, .. } => {
                        assert!(*x >= left - 0.01 && x + w <= right + 0.01, "{d:?}")
                    }
                    Draw::Text { x, .. } => assert!(*x >= left - 0.01 && *x < right, "{d:?}"),
                    Draw::Path { points, .. } => {
                        for (x, _, _) in points {
                            assert!(*x >= left - 10.0 && *x <= right + 0.01, "{d:?}");
                        }
                    }
                    Draw::Image { .. } | Draw::Link { .. } => {}
                }
            }
            // Every bar of a chart is as high as the others and equally far apart.
            let steps: Vec<f32> = found[..4]
                .windows(2)
                .map(|w| w[1].1[1] - w[0].1[1])
                .collect();
            assert!(found.iter().all(|t| t.1[3] == BAR_HEIGHT));
            assert!((steps[0] - steps[1]).abs() < 0.01, "{steps:?}");
        }
    }

    #[test]
    fn chart_is_kept_on_one_page() {
        for filler in 0..60 {
            let md = format!("{}{CHART}", "正文一行。\n\n".repeat(filler));
            let laid = lay(&md, geometry(PageSize::A4));
            let found = tracks(&laid);
            assert_eq!(found.len(), 5);
            assert!(found.iter().all(|t| t.0 == found[0].0), "filler {filler}");
            let bottom = geometry(PageSize::A4).content_bottom();
            assert!(found.iter().all(|t| t.1[1] + t.1[3] <= bottom));
        }
    }

    #[test]
    fn a_chart_taller_than_a_page_breaks_between_rows() {
        let rows: String = (0..200)
            .map(|i| format!("第 {i} 项 ███ {}\n", i % 101))
            .collect();
        let geo = geometry(PageSize::Letter);
        let laid = lay(&format!("```bars\n{rows}```\n"), geo);
        let found = tracks(&laid);
        assert_eq!(found.len(), 200);
        assert!(laid.pages.len() > 2);
        assert!(found
            .iter()
            .all(|t| t.1[1] >= geo.margin_top && t.1[1] + t.1[3] <= geo.content_bottom()));
    }

    #[test]
    fn too_narrow_for_bars_shows_the_code() {
        let md = format!("{}{CHART}", "> ".repeat(12));
        let laid = lay(&md, geometry(PageSize::A4));
        assert!(tracks(&laid).is_empty());
    }

    #[test]
    fn bands() {
        assert_eq!(band(39.9), LOW);
        assert_eq!(band(40.0), MIDDLE);
        assert_eq!(band(69.9), MIDDLE);
        assert_eq!(band(70.0), HIGH);
    }
}
