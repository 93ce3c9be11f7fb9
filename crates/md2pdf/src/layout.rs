//! Blocks to pages: vertical flow, pagination, lists, call-out boxes, headings that
//! keep with what follows, and the running header and footer (added once the page
//! count is known). Coordinates here are points from the top-left of the page.

use super::bars;
use super::fonts::{FontSet, Weight};
use super::markdown::{Block, Document, Inline, ListItem};
use super::table;
use super::text::{
    is_code_run, set_code, set_inline, set_single_line, Piece, Rgb, SetLine, TextStyle,
    CODE_BACKGROUND,
};

/// Page size and margins in points.
#[derive(Debug, Clone, Copy)]
pub struct Geometry {
    pub width: f32,
    pub height: f32,
    pub margin_x: f32,
    pub margin_top: f32,
    pub margin_bottom: f32,
}

impl Geometry {
    pub fn content_width(&self) -> f32 {
        self.width - 2.0 * self.margin_x
    }
    pub fn content_bottom(&self) -> f32 {
        self.height - self.margin_bottom
    }
}

/// A drawing instruction on a page.
#[derive(Debug, Clone)]
pub enum Draw {
    /// A run of text with its baseline at `y`.
    Text {
        x: f32,
        y: f32,
        face: usize,
        size: f32,
        color: Rgb,
        slant: bool,
        pieces: Vec<Piece>,
    },
    /// A filled rectangle with its top-left corner at (`x`, `y`).
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: Rgb,
    },
    /// A path of points; `true` marks a Bézier control point.
    Path {
        points: Vec<(f32, f32, bool)>,
        closed: bool,
        fill: Option<Rgb>,
        stroke: Option<(Rgb, f32)>,
    },
    /// The document's logo, scaled into the box with its top-left corner at (`x`, `y`).
    Image { x: f32, y: f32, w: f32, h: f32 },
    /// A clickable area opening `links[link]`.
    Link {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        link: usize,
    },
}

#[derive(Debug, Clone, Default)]
pub struct Page {
    pub draws: Vec<Draw>,
    /// A page with no running header or page number (a cover).
    pub bare: bool,
}

/// A heading, for the PDF outline.
#[derive(Debug, Clone)]
pub struct OutlineEntry {
    pub level: u8,
    pub title: String,
    pub page: usize,
    pub y: f32,
}

pub struct Laid {
    pub pages: Vec<Page>,
    pub outline: Vec<OutlineEntry>,
    /// The logo's width over its height, when the document has one.
    pub logo: Option<f32>,
}

pub const TEXT: Rgb = [0.13, 0.14, 0.16];
pub const HEADING: Rgb = [0.08, 0.20, 0.36];
pub const ACCENT: Rgb = [0.85, 0.33, 0.06];
pub const MUTED: Rgb = [0.42, 0.45, 0.50];
pub const HAIRLINE: Rgb = [0.78, 0.81, 0.86];
const QUOTE_FILL: Rgb = [1.0, 0.96, 0.90];
const CODE_FILL: Rgb = [0.95, 0.955, 0.965];

pub const BODY: TextStyle = TextStyle {
    size: 10.5,
    weight: Weight::Regular,
    color: TEXT,
    leading: 1.7,
};
const CODE: TextStyle = TextStyle {
    size: 8.8,
    weight: Weight::Mono,
    color: [0.16, 0.18, 0.22],
    leading: 1.5,
};
/// Space between consecutive blocks.
const BLOCK_GAP: f32 = 7.0;
const BOX_PAD: f32 = 8.0;

/// What a list item shows beside its first line.
#[derive(Debug, Clone)]
enum Marker {
    Bullet(usize),
    Number(String),
    Task(bool),
}

pub struct Flow<'a> {
    pub fonts: &'a mut FontSet,
    pub geo: Geometry,
    pub pages: Vec<Page>,
    pub y: f32,
    outline: Vec<OutlineEntry>,
    /// A list marker waiting for the first line of its item: (x, marker).
    marker: Option<(f32, Marker)>,
    /// The logo's width over its height, when the document has one.
    pub logo: Option<f32>,
}

/// Where a background box began, so that it can be drawn behind its content.
struct BoxStart {
    page: usize,
    index: usize,
    y: f32,
}

#[cfg(test)]
pub fn lay_out(doc: &Document, fonts: &mut FontSet, geo: Geometry) -> Laid {
    lay_out_with(doc, fonts, geo, None)
}

/// [`lay_out`], for a document with a logo of this width-over-height.
pub fn lay_out_with(doc: &Document, fonts: &mut FontSet, geo: Geometry, logo: Option<f32>) -> Laid {
    let mut flow = Flow {
        fonts,
        geo,
        pages: vec![Page::default()],
        y: geo.margin_top,
        outline: Vec::new(),
        marker: None,
        logo,
    };
    flow.blocks(&doc.blocks, geo.margin_x, geo.content_width());
    // A page break (or a cover) at the very end leaves nothing to show after it.
    if flow.pages.len() > 1 && flow.pages.last().is_some_and(|p| p.draws.is_empty()) {
        flow.pages.pop();
    }
    Laid {
        pages: flow.pages,
        outline: flow.outline,
        logo: flow.logo,
    }
}

impl Flow<'_> {
    pub fn page_index(&self) -> usize {
        self.pages.len() - 1
    }

    pub fn draw(&mut self, d: Draw) {
        if let Some(page) = self.pages.last_mut() {
            page.draws.push(d);
        }
    }

    pub fn at_page_top(&self) -> bool {
        self.y <= self.geo.margin_top + 0.01
    }

    pub fn room(&self) -> f32 {
        self.geo.content_bottom() - self.y
    }

    pub fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = self.geo.margin_top;
    }

    /// Starts a new page unless `h` fits (or the page is still empty).
    pub fn need(&mut self, h: f32) {
        if h > self.room() && !self.at_page_top() {
            self.new_page();
        }
    }

    fn gap(&mut self, h: f32) {
        if !self.at_page_top() {
            self.y += h;
        }
    }

    fn blocks(&mut self, blocks: &[Block], x: f32, w: f32) {
        for (i, block) in blocks.iter().enumerate() {
            if i > 0 {
                self.gap(BLOCK_GAP);
            }
            self.block(block, blocks.get(i + 1), x, w);
        }
    }

    fn block(&mut self, block: &Block, next: Option<&Block>, x: f32, w: f32) {
        match block {
            Block::Heading { level, text } => self.heading(*level, text, next, x, w),
            Block::Paragraph(inline) => {
                let lines = set_inline(self.fonts, inline, &BODY, w, true);
                self.lines(&lines, &BODY, x);
            }
            Block::Code(code) => self.code(code, x, w),
            Block::Bars { bars, source } => match bars::set(self.fonts, bars, w) {
                Some(chart) => bars::draw(self, &chart, x),
                None => self.code(source, x, w),
            },
            Block::List { start, items } => self.list(*start, items, x, w),
            Block::Table { aligns, head, rows } => table::table(self, aligns, head, rows, x, w),
            Block::Quote(inner) => {
                let start = self.begin_box();
                self.y += BOX_PAD;
                self.blocks(inner, x + 14.0, w - 22.0);
                self.y += BOX_PAD;
                self.end_box(start, x, w, QUOTE_FILL, Some(ACCENT));
            }
            Block::PageBreak => {
                if !self.at_page_top() {
                    self.new_page();
                }
            }
            Block::Cover(c) => crate::cover::draw(self, c),
            Block::Gantt { rows, source } => match crate::gantt::set(self.fonts, rows, w) {
                Some(chart) => crate::gantt::draw(self, &chart, x),
                None => self.code(source, x, w),
            },
            Block::Trend { trend, source } => match crate::trend::set(self.fonts, trend, w) {
                Some(chart) => crate::trend::draw(self, &chart, x),
                None => self.code(source, x, w),
            },
            Block::Rule => {
                self.need(14.0);
                self.y += 6.0;
                self.hline(x, x + w, self.y, HAIRLINE, 0.8);
                self.y += 6.0;
            }
        }
    }

    fn heading(&mut self, level: u8, text: &Inline, next: Option<&Block>, x: f32, w: f32) {
        let (size, color, before) = match level {
            1 => (20.0, HEADING, 16.0),
            2 => (15.5, HEADING, 14.0),
            3 => (12.5, HEADING, 10.0),
            _ => (11.0, MUTED, 8.0),
        };
        let style = TextStyle {
            size,
            weight: Weight::Bold,
            color,
            leading: 1.45,
        };
        let lines = set_inline(self.fonts, text, &style, w, false);
        let rule = if level <= 2 { 8.0 } else { 2.0 };
        let height = lines.len() as f32 * style.line_height() + rule;
        // Keep with next: the heading moves to a new page unless a few lines of what
        // follows fit below it.
        let follow = match next {
            // A heading followed by a subheading keeps the subheading and its first
            // lines on the same page.
            Some(Block::Heading { .. }) => 2.0 * 15.0 * 1.45 + 2.0 * BODY.line_height(),
            None => 0.0,
            // A heading stays with what the table needs to start: all of a short one.
            Some(Block::Table { head, rows, .. }) => {
                crate::table::start_height(self, head, rows, w)
                    .min(self.geo.content_bottom() - self.geo.margin_top - height)
            }
            Some(Block::Gantt { rows, .. }) => crate::gantt::set(self.fonts, rows, w)
                .map_or(2.0 * BODY.line_height(), |chart| chart.head_height()),
            // A heading stays with the first series of a trend.
            Some(Block::Trend { trend, .. }) => crate::trend::set(self.fonts, trend, w)
                .map_or(2.0 * BODY.line_height(), |chart| chart.first_height()),
            // A chart is kept whole, so the heading stays with all of it (if a page
            // can hold both).
            Some(Block::Bars { bars, .. }) => bars::set(self.fonts, bars, w).map_or(
                2.0 * BODY.line_height() + BLOCK_GAP,
                |chart| {
                    let page = self.geo.content_bottom() - self.geo.margin_top;
                    chart.height().min(page - height)
                },
            ),
            Some(_) => 2.0 * BODY.line_height() + BLOCK_GAP,
        };
        self.gap(before);
        self.need(height + follow);
        self.outline.push(OutlineEntry {
            level,
            title: text.plain(),
            page: self.page_index(),
            y: self.y,
        });
        self.lines(&lines, &style, x);
        match level {
            1 => {
                self.y += 3.0;
                self.hline(x, x + w, self.y, ACCENT, 1.6);
                self.y += rule - 3.0;
            }
            2 => {
                self.y += 2.0;
                self.hline(x, x + w, self.y, HAIRLINE, 0.7);
                self.y += rule - 2.0;
            }
            _ => self.y += rule,
        }
    }

    /// Places lines one under the other, breaking pages between lines.
    /// A paragraph's first line is never left alone at the foot of a page, nor its last
    /// alone at the head of the next: the first two lines, and the last two, go together.
    pub fn lines(&mut self, lines: &[SetLine], style: &TextStyle, x: f32) {
        let lh = style.line_height();
        let n = lines.len();
        for (i, line) in lines.iter().enumerate() {
            let together = n >= 2 && (i == 0 || i + 2 == n);
            self.need(if together { 2.0 * lh } else { lh });
            let baseline = self.y + style.baseline();
            if let Some((mx, marker)) = self.marker.take() {
                let draws = self.marker_draws(mx, baseline, &marker, style.size.min(BODY.size));
                let last = self.page_index();
                self.pages[last].draws.extend(draws);
            }
            self.draw_line(line, x, baseline);
            self.y += lh;
        }
    }

    /// Draws one set line with its baseline at `baseline`.
    pub fn draw_line(&mut self, line: &SetLine, x: f32, baseline: f32) {
        let draws = line_draws(line, x, baseline);
        if let Some(page) = self.pages.last_mut() {
            page.draws.extend(draws);
        }
    }

    pub fn hline(&mut self, x1: f32, x2: f32, y: f32, color: Rgb, width: f32) {
        self.draw(Draw::Path {
            points: vec![(x1, y, false), (x2, y, false)],
            closed: false,
            fill: None,
            stroke: Some((color, width)),
        });
    }

    fn code(&mut self, code: &str, x: f32, w: f32) {
        let lines = set_code(self.fonts, code, &CODE, w - 2.0 * BOX_PAD);
        self.need(CODE.line_height() + 2.0 * BOX_PAD);
        let start = self.begin_box();
        self.y += BOX_PAD;
        self.lines(&lines, &CODE, x + BOX_PAD);
        self.y += BOX_PAD;
        self.end_box(start, x, w, CODE_FILL, None);
    }

    fn begin_box(&mut self) -> BoxStart {
        self.need(BODY.line_height() + 2.0 * BOX_PAD);
        let page = self.page_index();
        BoxStart {
            page,
            index: self.pages[page].draws.len(),
            y: self.y,
        }
    }

    /// Draws the background (and optional left bar) of a box from `start` to the
    /// current position, one piece per page, behind the box's content.
    fn end_box(&mut self, start: BoxStart, x: f32, w: f32, fill: Rgb, bar: Option<Rgb>) {
        let last = self.page_index();
        for p in start.page..=last {
            let top = if p == start.page {
                start.y
            } else {
                self.geo.margin_top
            };
            let bottom = if p == last {
                self.y
            } else {
                self.geo.content_bottom()
            };
            if bottom <= top {
                continue;
            }
            let index = if p == start.page { start.index } else { 0 };
            let mut shapes = vec![Draw::Rect {
                x,
                y: top,
                w,
                h: bottom - top,
                color: fill,
            }];
            if let Some(bar) = bar {
                shapes.push(Draw::Rect {
                    x,
                    y: top,
                    w: 3.0,
                    h: bottom - top,
                    color: bar,
                });
            }
            let draws = &mut self.pages[p].draws;
            let index = index.min(draws.len());
            draws.splice(index..index, shapes);
        }
    }

    fn list(&mut self, start: Option<u64>, items: &[ListItem], x: f32, w: f32) {
        let depth = self.list_depth_hint(x);
        let indent = match start {
            Some(n) => {
                let widest = n.saturating_add(items.len() as u64).to_string();
                let probe = set_single_line(self.fonts, &format!("{widest}."), &BODY, w);
                (probe.width + 7.0).max(18.0)
            }
            None => 16.0,
        };
        let indent = indent.min(w / 2.0);
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.gap(3.0);
            }
            let marker = match (item.task, start) {
                (Some(done), _) => Marker::Task(done),
                (None, Some(n)) => Marker::Number(format!("{}.", n.saturating_add(i as u64))),
                (None, None) => Marker::Bullet(depth),
            };
            // An item's text stays on the page with the first line of what it holds
            // (a task's "what to do" and "owner" lines), when that text is short.
            if let [Block::Paragraph(text), Block::List { .. }, ..] = &item.blocks[..] {
                let lines = set_inline(self.fonts, text, &BODY, w - indent, true).len();
                if lines <= 6 {
                    self.need((lines + 1) as f32 * BODY.line_height() + BLOCK_GAP);
                }
            }
            let page = self.page_index();
            let y = self.y;
            self.marker = Some((x, marker));
            self.blocks(&item.blocks, x + indent, w - indent);
            if let Some((mx, marker)) = self.marker.take() {
                // No text line took the marker (an empty item or one that starts with
                // a table): put it where the item began.
                let draws = self.marker_draws(mx, y + BODY.baseline(), &marker, BODY.size);
                self.pages[page].draws.extend(draws);
                if item.blocks.is_empty() {
                    self.y += BODY.line_height();
                }
            }
        }
    }

    /// Nesting depth of a list, from how far it is indented (bullets change shape).
    fn list_depth_hint(&self, x: f32) -> usize {
        (((x - self.geo.margin_x) / 16.0).round().max(0.0)) as usize
    }

    fn marker_draws(&mut self, x: f32, baseline: f32, marker: &Marker, size: f32) -> Vec<Draw> {
        let cy = baseline - size * 0.36;
        match marker {
            Marker::Bullet(depth) => {
                let r = size * 0.17;
                let cx = x + 5.0;
                vec![match depth % 3 {
                    0 => circle(cx, cy, r, Some(ACCENT), None),
                    1 => circle(cx, cy, r, None, Some((ACCENT, 0.8))),
                    _ => Draw::Rect {
                        x: cx - r,
                        y: cy - r,
                        w: 2.0 * r,
                        h: 2.0 * r,
                        color: ACCENT,
                    },
                }]
            }
            Marker::Number(label) => {
                let line = set_single_line(self.fonts, label, &BODY, 60.0);
                line_draws(&line, x, baseline)
            }
            Marker::Task(done) => {
                let s = size * 0.9;
                let (bx, by) = (x, cy - s / 2.0);
                let square = vec![
                    (bx, by, false),
                    (bx + s, by, false),
                    (bx + s, by + s, false),
                    (bx, by + s, false),
                ];
                if *done {
                    vec![
                        Draw::Path {
                            points: square,
                            closed: true,
                            fill: Some(ACCENT),
                            stroke: Some((ACCENT, 0.8)),
                        },
                        Draw::Path {
                            points: vec![
                                (bx + s * 0.22, by + s * 0.52, false),
                                (bx + s * 0.42, by + s * 0.74, false),
                                (bx + s * 0.80, by + s * 0.28, false),
                            ],
                            closed: false,
                            fill: None,
                            stroke: Some(([1.0, 1.0, 1.0], 1.3)),
                        },
                    ]
                } else {
                    vec![Draw::Path {
                        points: square,
                        closed: true,
                        fill: None,
                        stroke: Some((MUTED, 0.8)),
                    }]
                }
            }
        }
    }
}

/// The drawing of one set line with its baseline at `baseline`: text runs plus code
/// tints, underlines, strike-throughs and link areas.
pub fn line_draws(line: &SetLine, x: f32, baseline: f32) -> Vec<Draw> {
    let mut out = Vec::new();
    for run in &line.runs {
        let rx = x + run.x;
        if is_code_run(run) {
            out.push(Draw::Rect {
                x: rx - 1.5,
                y: baseline - run.size * 0.95,
                w: run.width + 3.0,
                h: run.size * 1.25,
                color: CODE_BACKGROUND,
            });
        }
        out.push(Draw::Text {
            x: rx,
            y: baseline,
            face: run.face,
            size: run.size,
            color: run.color,
            slant: run.slant,
            pieces: run.pieces.clone(),
        });
        let rule = |y: f32, width: f32| Draw::Path {
            points: vec![(rx, y, false), (rx + run.width, y, false)],
            closed: false,
            fill: None,
            stroke: Some((run.color, width)),
        };
        if run.underline {
            out.push(rule(baseline + run.size * 0.15, 0.5));
        }
        if run.strike {
            out.push(rule(baseline - run.size * 0.3, 0.6));
        }
        if let Some(link) = run.link {
            out.push(Draw::Link {
                x: rx,
                y: baseline - run.size,
                w: run.width,
                h: run.size * 1.3,
                link,
            });
        }
    }
    out
}

/// A circle as four Bézier arcs.
fn circle(cx: f32, cy: f32, r: f32, fill: Option<Rgb>, stroke: Option<(Rgb, f32)>) -> Draw {
    let k = 0.552_284_8 * r;
    let points = vec![
        (cx + r, cy, false),
        (cx + r, cy + k, true),
        (cx + k, cy + r, true),
        (cx, cy + r, false),
        (cx - k, cy + r, true),
        (cx - r, cy + k, true),
        (cx - r, cy, false),
        (cx - r, cy - k, true),
        (cx - k, cy - r, true),
        (cx, cy - r, false),
        (cx + k, cy - r, true),
        (cx + r, cy - k, true),
        (cx + r, cy, false),
    ];
    Draw::Path {
        points,
        closed: true,
        fill,
        stroke,
    }
}

/// Adds the running header (left: brand, right: title) and the "N / M" footer to
/// every page.
pub fn decorate(laid: &mut Laid, fonts: &mut FontSet, geo: Geometry, header: &str, title: &str) {
    let total = laid.pages.len();
    let style = TextStyle {
        size: 8.0,
        weight: Weight::Regular,
        color: MUTED,
        leading: 1.2,
    };
    let w = geo.content_width();
    let left = set_single_line(fonts, header, &style, w * 0.45);
    let right = set_single_line(fonts, title, &style, w * 0.5);
    // Header and page number sit in the margins, in proportion to them (26 pt above
    // the text and 34 pt below it on paper).
    let header_baseline = geo.margin_top - 26.0 * geo.margin_top / 72.0;
    let footer_baseline = geo.height - geo.margin_bottom + 34.0 * geo.margin_bottom / 66.0;
    for (i, page) in laid.pages.iter_mut().enumerate() {
        if page.bare {
            continue;
        }
        // The logo, 11 pt high, leads the header; the brand follows it.
        let mut text_x = geo.margin_x;
        let mut flow_draws = Vec::new();
        if let Some(aspect) = laid.logo {
            let h = 11.0;
            let w = (h * aspect).min(w * 0.2);
            flow_draws.push(Draw::Image {
                x: geo.margin_x,
                y: header_baseline - h + 2.0,
                w,
                h: w / aspect,
            });
            text_x += w + 6.0;
        }
        flow_draws.extend(line_draws(&left, text_x, header_baseline));
        let right_x = geo.width - geo.margin_x - right.width;
        flow_draws.extend(line_draws(&right, right_x, header_baseline));
        let number = set_single_line(fonts, &format!("{} / {}", i + 1, total), &style, w);
        let number_x = (geo.width - number.width) / 2.0;
        flow_draws.extend(line_draws(&number, number_x, footer_baseline));
        let rule_y = header_baseline + 6.0;
        flow_draws.push(Draw::Path {
            points: vec![
                (geo.margin_x, rule_y, false),
                (geo.width - geo.margin_x, rule_y, false),
            ],
            closed: false,
            fill: None,
            stroke: Some((HAIRLINE, 0.5)),
        });
        page.draws.extend(flow_draws);
    }
}

/// Paints the layout's heading colour as `primary` and its accent as `accent`, where
/// given: a theme's colours, applied to everything drawn in them.
pub fn recolor(laid: &mut Laid, primary: Option<Rgb>, accent: Option<Rgb>) {
    if primary.is_none() && accent.is_none() {
        return;
    }
    let map = |c: &mut Rgb| {
        if *c == HEADING {
            if let Some(p) = primary {
                *c = p;
            }
        } else if *c == ACCENT {
            if let Some(a) = accent {
                *c = a;
            }
        }
    };
    for page in &mut laid.pages {
        for d in &mut page.draws {
            match d {
                Draw::Text { color, .. } | Draw::Rect { color, .. } => map(color),
                Draw::Path { fill, stroke, .. } => {
                    if let Some(f) = fill {
                        map(f);
                    }
                    if let Some((c, _)) = stroke {
                        map(c);
                    }
                }
                Draw::Image { .. } | Draw::Link { .. } => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Piece;
    use crate::PageSize;

    fn geo() -> Geometry {
        PageSize::A4.geometry()
    }

    /// Per page, the baselines of the lines whose text holds `c`.
    fn lines_with(laid: &Laid, c: char) -> Vec<Vec<i64>> {
        laid.pages
            .iter()
            .map(|p| {
                let mut ys: Vec<i64> = p
                    .draws
                    .iter()
                    .filter_map(|d| match d {
                        Draw::Text { y, pieces, .. }
                            if pieces
                                .iter()
                                .any(|x| matches!(x, Piece::Text(t) if t.contains(c))) =>
                        {
                            Some((*y * 10.0) as i64)
                        }
                        _ => None,
                    })
                    .collect();
                ys.sort();
                ys.dedup();
                ys
            })
            .collect()
    }

    #[test]
    fn no_line_of_a_paragraph_is_left_alone_on_a_page() {
        let mut fonts = FontSet::new(&[]).unwrap();
        let long = "长句子".repeat(60);
        let mut split = 0;
        for filler in 20..45 {
            let md = format!("{}{long}\n", "一行。\n\n".repeat(filler));
            let laid = lay_out(&crate::markdown::parse(&md), &mut fonts, geo());
            let pages: Vec<usize> = lines_with(&laid, '长').iter().map(Vec::len).collect();
            let used: Vec<usize> = pages.into_iter().filter(|n| *n > 0).collect();
            if used.len() > 1 {
                split += 1;
            }
            assert!(used.iter().all(|n| *n >= 2), "filler {filler}: {used:?}");
        }
        assert!(split > 0, "the paragraph never fell across a page break");
    }

    #[test]
    fn a_list_items_text_stays_with_its_first_sub_line() {
        let mut fonts = FontSet::new(&[]).unwrap();
        for filler in 20..45 {
            let md = format!(
                "{}- [ ] 甲乙丙丁的事项\n  - 负责：运营\n",
                "一行。\n\n".repeat(filler)
            );
            let laid = lay_out(&crate::markdown::parse(&md), &mut fonts, geo());
            let item = lines_with(&laid, '甲');
            let owner = lines_with(&laid, '负');
            let page = |v: &Vec<Vec<i64>>| v.iter().position(|l| !l.is_empty()).unwrap();
            assert_eq!(page(&item), page(&owner), "filler {filler}");
        }
    }

    /// The pages (by index) on which some line holds `c`.
    fn pages_with(laid: &Laid, c: char) -> Vec<usize> {
        lines_with(laid, c)
            .iter()
            .enumerate()
            .filter(|(_, l)| !l.is_empty())
            .map(|(i, _)| i)
            .collect()
    }

    #[test]
    fn a_short_table_stays_on_one_page_with_its_heading() {
        let mut fonts = FontSet::new(&[]).unwrap();
        let table: String = std::iter::once("| 项 | 值 |\n| --- | ---: |\n".to_string())
            .chain((0..4).map(|i| format!("| 甲{i} | {i} |\n")))
            .collect();
        let mut moved = 0;
        for filler in 20..45 {
            let md = format!("{}## 乙表\n\n{table}", "一行。\n\n".repeat(filler));
            let laid = lay_out(&crate::markdown::parse(&md), &mut fonts, geo());
            let rows = pages_with(&laid, '甲');
            assert_eq!(rows.len(), 1, "filler {filler}: rows on pages {rows:?}");
            assert_eq!(
                pages_with(&laid, '乙'),
                rows,
                "filler {filler}: the heading left behind"
            );
            moved += usize::from(rows[0] > 0);
        }
        assert!(moved > 0, "the table never reached a page break");
    }

    #[test]
    fn a_long_tables_last_row_never_starts_a_page_alone() {
        let mut fonts = FontSet::new(&[]).unwrap();
        let table: String = std::iter::once("| 项 | 值 |\n| --- | ---: |\n".to_string())
            .chain((0..20).map(|i| format!("| 丙{i} | {i} |\n")))
            .chain(std::iter::once("| 丁合计 | 9 |\n".to_string()))
            .collect();
        let mut split = 0;
        for filler in 0..45 {
            let md = format!("{}{table}", "一行。\n\n".repeat(filler));
            let laid = lay_out(&crate::markdown::parse(&md), &mut fonts, geo());
            let total = pages_with(&laid, '丁')[0];
            assert!(
                !lines_with(&laid, '丙')[total].is_empty(),
                "filler {filler}: the total row is alone on page {total}"
            );
            split += usize::from(pages_with(&laid, '丙').len() > 1);
        }
        assert!(split > 0, "the table never fell across a page break");
    }
}
