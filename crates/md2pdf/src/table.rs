//! GFM tables: column widths from content, wrapped cells, shaded header row that is
//! repeated on every page the table continues on, rows split across pages only when
//! they are taller than a page.

use super::fonts::{FontSet, Weight};
use super::layout::{Draw, Flow, HAIRLINE, HEADING, TEXT};
use super::linebreak::break_opportunities;
use super::markdown::{Align, Inline};
use super::text::{set_inline, SetLine, TextStyle};

const CELL: TextStyle = TextStyle {
    size: 9.5,
    weight: Weight::Regular,
    color: TEXT,
    leading: 1.55,
};
const HEAD: TextStyle = TextStyle {
    size: 9.5,
    weight: Weight::Bold,
    color: HEADING,
    leading: 1.55,
};
const PAD_X: f32 = 6.0;
const PAD_Y: f32 = 4.0;
const HEAD_FILL: [f32; 3] = [0.90, 0.93, 0.97];
const ZEBRA_FILL: [f32; 3] = [0.975, 0.98, 0.985];
const RULE: [f32; 3] = [0.36, 0.45, 0.58];

/// A row set into lines: one list of lines per cell.
struct SetRow {
    cells: Vec<Vec<SetLine>>,
    lines: usize,
}

pub fn table(
    flow: &mut Flow,
    aligns: &[Align],
    head: &[Inline],
    rows: &[Vec<Inline>],
    x: f32,
    w: f32,
) {
    let columns = head.len().max(rows.iter().map(Vec::len).max().unwrap_or(0));
    if columns == 0 {
        return;
    }
    let widths = column_widths(flow.fonts, head, rows, columns, w);
    let set = |fonts: &mut FontSet, cells: &[Inline], style: &TextStyle| {
        let cells: Vec<Vec<SetLine>> = (0..columns)
            .map(|c| match cells.get(c) {
                Some(inline) => set_inline(fonts, inline, style, widths[c] - 2.0 * PAD_X, false),
                None => Vec::new(),
            })
            .collect();
        let lines = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
        SetRow { cells, lines }
    };
    let mut head_row = set(flow.fonts, head, &HEAD);
    // A header taller than a third of the page is cut when repeated: it must leave
    // room for rows.
    let page_lines =
        ((flow.geo.content_bottom() - flow.geo.margin_top) / CELL.line_height()) as usize;
    head_row.lines = head_row.lines.min((page_lines / 3).max(1));
    let head_height = head_row.lines as f32 * HEAD.line_height() + 2.0 * PAD_Y;

    let table = Geometry {
        x,
        widths: &widths,
        aligns,
    };
    // Lines of a row that fit on a fresh page below the repeated header.
    let page = flow.geo.content_bottom() - flow.geo.margin_top;
    let fresh = lines_fitting(page - head_height);
    let set_rows: Vec<SetRow> = rows
        .iter()
        .map(|cells| set(flow.fonts, cells, &CELL))
        .collect();
    let heights: Vec<f32> = set_rows.iter().map(row_height).collect();
    flow.need(start(head_height, &heights, page));
    draw_row(
        flow,
        &table,
        &head_row,
        0,
        head_row.lines,
        &HEAD,
        Some(HEAD_FILL),
    );
    flow.hline(x, x + w, flow.y, RULE, 0.8);

    let n = set_rows.len();
    for (r, row) in set_rows.iter().enumerate() {
        let fill = (r % 2 == 1).then_some(ZEBRA_FILL);
        // The last row (often a total) never starts a page alone: when the last two
        // rows do not fit together, the one before it moves over with it.
        if n >= 3 && r + 2 == n && !flow.at_page_top() {
            let both = heights[r] + heights[r + 1];
            if both > flow.room() && heights[r] <= flow.room() && both <= page - head_height {
                continue_on_new_page(flow, &table, &head_row, w);
            }
        }
        let mut from = 0;
        while from < row.lines {
            let fit = lines_fitting(flow.room());
            let remaining = row.lines - from;
            if remaining <= fit {
                draw_row(flow, &table, row, from, row.lines, &CELL, fill);
                break;
            }
            if from == 0 && remaining <= fresh {
                // The whole row fits on the next page: move it there.
                continue_on_new_page(flow, &table, &head_row, w);
                continue;
            }
            if fit == 0 {
                continue_on_new_page(flow, &table, &head_row, w);
                if lines_fitting(flow.room()) == 0 {
                    // Degenerate page geometry: one line per page still ends.
                    draw_row(flow, &table, row, from, from + 1, &CELL, fill);
                    from += 1;
                }
                continue;
            }
            draw_row(flow, &table, row, from, from + fit, &CELL, fill);
            from += fit;
            continue_on_new_page(flow, &table, &head_row, w);
        }
        flow.hline(x, x + w, flow.y, HAIRLINE, 0.4);
    }
}

/// Tables of at most this many rows, and at most half a page tall, are kept on one page.
const SHORT_TABLE_ROWS: usize = 12;

fn row_height(row: &SetRow) -> f32 {
    row.lines as f32 * CELL.line_height() + 2.0 * PAD_Y
}

/// The height a table needs below where it starts: the whole of a short table (a reader
/// compares its rows, and a split cuts one or two off from the rest), else its header
/// and first two rows.
fn start(head_height: f32, rows: &[f32], page: f32) -> f32 {
    let whole = head_height + rows.iter().sum::<f32>();
    if rows.len() <= SHORT_TABLE_ROWS && whole <= page / 2.0 {
        whole
    } else {
        head_height + rows.iter().take(2).sum::<f32>()
    }
}

/// What a heading before this table keeps with it: the height the table needs to start.
pub fn start_height(flow: &mut Flow, head: &[Inline], rows: &[Vec<Inline>], w: f32) -> f32 {
    let columns = head.len().max(rows.iter().map(Vec::len).max().unwrap_or(0));
    if columns == 0 {
        return 0.0;
    }
    let widths = column_widths(flow.fonts, head, rows, columns, w);
    let lines = |fonts: &mut FontSet, cells: &[Inline], style: &TextStyle| -> usize {
        (0..columns)
            .map(|c| match cells.get(c) {
                Some(inline) => {
                    set_inline(fonts, inline, style, widths[c] - 2.0 * PAD_X, false).len()
                }
                None => 0,
            })
            .max()
            .unwrap_or(0)
            .max(1)
    };
    let page = flow.geo.content_bottom() - flow.geo.margin_top;
    let page_lines = (page / CELL.line_height()) as usize;
    let head_lines = lines(flow.fonts, head, &HEAD).min((page_lines / 3).max(1));
    let head_height = head_lines as f32 * HEAD.line_height() + 2.0 * PAD_Y;
    // Only the rows that can matter: a short table's, else the first two.
    let take = if rows.len() <= SHORT_TABLE_ROWS {
        rows.len()
    } else {
        2
    };
    let heights: Vec<f32> = rows[..take]
        .iter()
        .map(|r| lines(flow.fonts, r, &CELL) as f32 * CELL.line_height() + 2.0 * PAD_Y)
        .collect();
    if rows.len() > SHORT_TABLE_ROWS {
        return head_height + heights.iter().sum::<f32>();
    }
    start(head_height, &heights, page)
}

fn lines_fitting(room: f32) -> usize {
    let n = ((room - 2.0 * PAD_Y) / CELL.line_height()).floor();
    if n >= 1.0 {
        n as usize
    } else {
        0
    }
}

struct Geometry<'a> {
    x: f32,
    widths: &'a [f32],
    aligns: &'a [Align],
}

fn continue_on_new_page(flow: &mut Flow, table: &Geometry, head: &SetRow, w: f32) {
    flow.new_page();
    draw_row(flow, table, head, 0, head.lines, &HEAD, Some(HEAD_FILL));
    flow.hline(table.x, table.x + w, flow.y, RULE, 0.8);
}

/// Draws lines `from..to` of every cell of `row` at the current position.
fn draw_row(
    flow: &mut Flow,
    table: &Geometry,
    row: &SetRow,
    from: usize,
    to: usize,
    style: &TextStyle,
    fill: Option<[f32; 3]>,
) {
    let height = (to - from) as f32 * style.line_height() + 2.0 * PAD_Y;
    let total: f32 = table.widths.iter().sum();
    if let Some(color) = fill {
        flow.draw(Draw::Rect {
            x: table.x,
            y: flow.y,
            w: total,
            h: height,
            color,
        });
    }
    let mut cx = table.x;
    for (c, lines) in row.cells.iter().enumerate() {
        let cw = table.widths[c];
        let align = table.aligns.get(c).copied().unwrap_or(Align::Left);
        for (k, line) in lines.iter().enumerate().take(to).skip(from) {
            let inner = cw - 2.0 * PAD_X;
            let dx = match align {
                Align::Left => 0.0,
                Align::Center => (inner - line.width).max(0.0) / 2.0,
                Align::Right => (inner - line.width).max(0.0),
            };
            let baseline =
                flow.y + PAD_Y + (k - from) as f32 * style.line_height() + style.baseline();
            flow.draw_line(line, cx + PAD_X + dx, baseline);
        }
        cx += cw;
    }
    flow.y += height;
}

/// Cells at most this many em wide are kept on one line when the columns are narrowed.
const SHORT_CELL_EM: f32 = 5.0;

/// Widths that sum to `avail`: proportional to each column's natural (one-line)
/// width when everything fits, else each column gets its longest unbreakable unit
/// and the rest is shared by how much more the column would like.
fn column_widths(
    fonts: &mut FontSet,
    head: &[Inline],
    rows: &[Vec<Inline>],
    columns: usize,
    avail: f32,
) -> Vec<f32> {
    let mut natural = vec![2.0 * PAD_X + 8.0; columns];
    let mut minimum = vec![2.0 * PAD_X + 8.0; columns];
    let all = std::iter::once((head, &HEAD)).chain(rows.iter().map(|r| (r.as_slice(), &CELL)));
    for (cells, style) in all {
        for (c, inline) in cells.iter().enumerate().take(columns) {
            let (nat, min) = measure_cell(fonts, inline, style);
            // A short cell ("已具备", "¥1,200") reads as one word: Chinese may break
            // between any two characters, but a status split over two lines does not.
            let min = if nat <= SHORT_CELL_EM * style.size {
                nat
            } else {
                min
            };
            natural[c] = natural[c].max(nat + 2.0 * PAD_X);
            minimum[c] = minimum[c].max(min + 2.0 * PAD_X);
        }
    }
    let sum_nat: f32 = natural.iter().sum();
    if sum_nat <= avail {
        return natural.iter().map(|n| n * avail / sum_nat).collect();
    }
    // No column needs more than a third of the table for its longest word.
    for m in &mut minimum {
        *m = m.min(avail / 3.0);
    }
    let sum_min: f32 = minimum.iter().sum();
    if sum_min >= avail {
        return minimum.iter().map(|m| m * avail / sum_min).collect();
    }
    let want: f32 = natural.iter().zip(&minimum).map(|(n, m)| n - m).sum();
    let spare = avail - sum_min;
    natural
        .iter()
        .zip(&minimum)
        .map(|(n, m)| {
            m + if want > 0.0 {
                (n - m) * spare / want
            } else {
                0.0
            }
        })
        .collect()
}

/// The single-line width of a cell and the width of its widest unbreakable unit.
fn measure_cell(fonts: &mut FontSet, inline: &Inline, style: &TextStyle) -> (f32, f32) {
    let breaks = break_opportunities(&inline.chars);
    let mut line = 0.0_f32;
    let mut widest_line = 0.0_f32;
    let mut unit = 0.0_f32;
    let mut widest_unit = 0.0_f32;
    for (i, (&c, s)) in inline.chars.iter().zip(&inline.styles).enumerate() {
        if c == '\n' {
            widest_line = widest_line.max(line);
            line = 0.0;
            unit = 0.0;
            continue;
        }
        let weight = if s.code {
            Weight::Mono
        } else if s.strong {
            Weight::Bold
        } else {
            style.weight
        };
        let face = fonts.resolve(c, weight);
        let w = fonts.advance_em(face, c) * style.size;
        line += w;
        if breaks[i] || c == ' ' {
            unit = 0.0;
        }
        if c != ' ' {
            unit += w;
        }
        widest_unit = widest_unit.max(unit);
    }
    // Room for the quarter-em gaps the setter adds.
    (widest_line.max(line) * 1.04 + 1.0, widest_unit * 1.04 + 1.0)
}
