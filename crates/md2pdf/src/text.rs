//! Setting inline text into lines of positioned runs: picks a face per character,
//! measures, applies the spacing and breaking rules of [`super::linebreak`], and
//! justifies Chinese text to the measure.

use super::fonts::{FontSet, Weight};
use super::linebreak::{break_opportunities, fill_lines, inter_char_adjust, squeezes};
use super::markdown::{Inline, SpanStyle};

/// An sRGB colour, components 0..=1.
pub type Rgb = [f32; 3];

/// The block-level look of a piece of text.
#[derive(Debug, Clone, Copy)]
pub struct TextStyle {
    pub size: f32,
    pub weight: Weight,
    pub color: Rgb,
    /// Line box height as a multiple of `size`.
    pub leading: f32,
}

impl TextStyle {
    pub fn line_height(&self) -> f32 {
        self.size * self.leading
    }

    /// Baseline offset from the top of a line box: the em box is centred in the box.
    pub fn baseline(&self) -> f32 {
        self.line_height() / 2.0 + self.size * 0.34
    }
}

/// What is drawn inside a run: text, or a horizontal move in thousandths of an em
/// (positive moves right).
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Text(String),
    Move(f32),
}

/// Characters that share face, size and decoration, placed from `x` (relative to
/// the line start).
#[derive(Debug, Clone)]
pub struct Run {
    pub x: f32,
    pub width: f32,
    pub face: usize,
    pub size: f32,
    pub color: Rgb,
    pub slant: bool,
    pub strike: bool,
    pub underline: bool,
    pub link: Option<usize>,
    pub pieces: Vec<Piece>,
}

#[derive(Debug, Clone, Default)]
pub struct SetLine {
    pub runs: Vec<Run>,
    pub width: f32,
}

pub const LINK_COLOR: Rgb = [0.10, 0.37, 0.71];
pub const EMPHASIS_COLOR: Rgb = [0.66, 0.25, 0.04];
pub const CODE_COLOR: Rgb = [0.20, 0.22, 0.26];
/// Tint behind inline code.
pub const CODE_BACKGROUND: Rgb = [0.94, 0.95, 0.96];

/// Largest justification stretch per gap, in ems; beyond it a line stays ragged
/// rather than letter-spaced.
const MAX_STRETCH_EM: f32 = 0.5;

struct Measured {
    chars: Vec<char>,
    styles: Vec<SpanStyle>,
    faces: Vec<usize>,
    sizes: Vec<f32>,
    widths: Vec<f32>,
    adjust: Vec<f32>,
}

fn measure(fonts: &mut FontSet, inline: &Inline, style: &TextStyle) -> Measured {
    let chars = inline.chars.clone();
    let styles = inline.styles.clone();
    let mut faces = Vec::with_capacity(chars.len());
    let mut sizes = Vec::with_capacity(chars.len());
    let mut widths = Vec::with_capacity(chars.len());
    for (&c, s) in chars.iter().zip(&styles) {
        let weight = if s.code {
            Weight::Mono
        } else if s.strong {
            Weight::Bold
        } else {
            style.weight
        };
        let size = if s.code { style.size * 0.9 } else { style.size };
        let face = if c == '\n' {
            0
        } else {
            fonts.resolve(c, weight)
        };
        let w = if c == '\n' {
            0.0
        } else {
            fonts.advance_em(face, c) * size
        };
        faces.push(face);
        sizes.push(size);
        widths.push(w);
    }
    let mut adjust: Vec<f32> = inter_char_adjust(&chars)
        .into_iter()
        .zip(&sizes)
        .map(|(em, size)| em * size)
        .collect();
    shape(fonts, &chars, &faces, &sizes, &mut adjust);
    Measured {
        chars,
        styles,
        faces,
        sizes,
        widths,
        adjust,
    }
}

/// What the fonts themselves ask for, on top of the typesetting rules: kerning between
/// Latin letters of one face and size, and a squeezed punctuation mark in the font's own
/// proportional form (its glyph placed as the designer drew it, its advance cut by the
/// font's amount rather than a fixed half em).
fn shape(fonts: &FontSet, chars: &[char], faces: &[usize], sizes: &[f32], adjust: &mut [f32]) {
    for i in 1..chars.len() {
        let (prev, next) = (chars[i - 1], chars[i]);
        let same_font = faces[i - 1] == faces[i] && sizes[i - 1] == sizes[i];
        if same_font {
            adjust[i] += fonts.kern_em(faces[i], prev, next) * sizes[i];
        }
        if squeezes(prev, next) {
            if let Some((placement, advance)) = fonts.palt_em(faces[i - 1], prev) {
                let size = sizes[i - 1];
                adjust[i - 1] += placement * size;
                adjust[i] += (advance - placement) * size + 0.5 * sizes[i];
            }
        }
    }
}

/// Sets `inline` into lines no wider than `max_width`. Lines other than the last of
/// the paragraph (or before a hard break) are justified when `justify` is set.
pub fn set_inline(
    fonts: &mut FontSet,
    inline: &Inline,
    style: &TextStyle,
    max_width: f32,
    justify: bool,
) -> Vec<SetLine> {
    let m = measure(fonts, inline, style);
    let breaks = break_opportunities(&m.chars);
    let ranges = fill_lines(&m.chars, &m.widths, &m.adjust, &breaks, max_width);
    let count = ranges.len();
    ranges
        .into_iter()
        .enumerate()
        .map(|(n, r)| {
            let ends_paragraph = n + 1 == count || m.chars.get(r.end) == Some(&'\n');
            let stretch = if justify && !ends_paragraph {
                stretch_per_gap(&m, &breaks, r.clone(), max_width, style.size)
            } else {
                0.0
            };
            build_line(&m, &breaks, r, style, stretch)
        })
        .collect()
}

/// Natural width of the characters of `r`.
fn natural_width(m: &Measured, r: std::ops::Range<usize>) -> f32 {
    let start = r.start;
    r.map(|i| m.widths[i] + if i > start { m.adjust[i] } else { 0.0 })
        .sum()
}

/// Where justification may widen the line `r`, by position: at a break after a space;
/// between Chinese characters too, unless the line is mostly Latin text with spaces (an
/// English line spaces its words, not the letters of a Chinese name in it); never at a
/// break after a hyphen ("cost-based" stays one word).
fn stretchable(m: &Measured, breaks: &[bool], r: std::ops::Range<usize>) -> Vec<bool> {
    let chars = &m.chars[r.clone()];
    let latin = chars.iter().filter(|c| c.is_ascii_alphabetic()).count();
    let cjk = chars
        .iter()
        .filter(|c| crate::linebreak::is_cjk(**c))
        .count();
    let spaced = chars.iter().any(|c| c.is_whitespace());
    let latin_line = spaced && latin > cjk;
    r.map(|i| {
        let prev = if i > 0 { m.chars[i - 1] } else { ' ' };
        i > 0
            && breaks[i]
            && !matches!(prev, '-' | '\u{2010}' | '\u{2013}')
            && (prev.is_whitespace() || !latin_line)
    })
    .collect()
}

fn stretch_per_gap(
    m: &Measured,
    breaks: &[bool],
    r: std::ops::Range<usize>,
    max_width: f32,
    size: f32,
) -> f32 {
    let gaps = stretchable(m, breaks, r.clone())
        .iter()
        .skip(1)
        .filter(|s| **s)
        .count();
    let extra = max_width - natural_width(m, r);
    if gaps == 0 || extra <= 0.0 {
        return 0.0;
    }
    let per_gap = extra / gaps as f32;
    if per_gap > MAX_STRETCH_EM * size {
        0.0
    } else {
        per_gap
    }
}

fn build_line(
    m: &Measured,
    breaks: &[bool],
    r: std::ops::Range<usize>,
    style: &TextStyle,
    stretch: f32,
) -> SetLine {
    let mut line = SetLine::default();
    let mut x = 0.0;
    let start = r.start;
    let widens = stretchable(m, breaks, r.clone());
    for i in r {
        let c = m.chars[i];
        let s = m.styles[i];
        let mut gap = if i > start { m.adjust[i] } else { 0.0 };
        if i > start && widens[i - start] {
            gap += stretch;
        }
        let color = if s.link.is_some() {
            LINK_COLOR
        } else if s.emphasis {
            EMPHASIS_COLOR
        } else if s.code {
            CODE_COLOR
        } else {
            style.color
        };
        let same = line.runs.last().is_some_and(|run: &Run| {
            run.face == m.faces[i]
                && run.size == m.sizes[i]
                && run.color == color
                && run.slant == s.emphasis
                && run.strike == s.strike
                && run.link == s.link
        });
        if same {
            let run = line.runs.last_mut().expect("checked above");
            if gap != 0.0 {
                run.pieces.push(Piece::Move(gap / run.size * 1000.0));
                run.width += gap;
            }
            match run.pieces.last_mut() {
                Some(Piece::Text(t)) => t.push(c),
                _ => run.pieces.push(Piece::Text(c.to_string())),
            }
            run.width += m.widths[i];
        } else {
            x += gap;
            line.runs.push(Run {
                x,
                width: m.widths[i],
                face: m.faces[i],
                size: m.sizes[i],
                color,
                slant: s.emphasis,
                strike: s.strike,
                underline: s.link.is_some(),
                link: s.link,
                pieces: vec![Piece::Text(c.to_string())],
            });
        }
        if !same {
            x += m.widths[i];
        } else {
            x += gap + m.widths[i];
        }
    }
    line.width = x;
    line
}

/// One line of plain text, never wrapped; cut with "…" when wider than `max_width`.
pub fn set_single_line(
    fonts: &mut FontSet,
    text: &str,
    style: &TextStyle,
    max_width: f32,
) -> SetLine {
    let plain = SpanStyle::default();
    // No line shows more than this many characters, so the rest are never measured: a
    // megabyte of brand name costs what a long one does.
    let mut all = text.chars().filter(|c| !c.is_control());
    let chars: Vec<char> = all.by_ref().take(SINGLE_LINE_CAP).collect();
    let cut_short = all.next().is_some();
    let inline = Inline {
        styles: vec![plain; chars.len()],
        chars,
    };
    let m = measure(fonts, &inline, style);
    let no_breaks = vec![false; m.chars.len()];
    // One pass: the widest prefix that still leaves room for an ellipsis.
    let ellipsis = fonts.advance_em(0, '…') * style.size;
    let (mut width, mut fits) = (0.0, 0);
    for i in 0..m.chars.len() {
        width += m.widths[i] + if i > 0 { m.adjust[i] } else { 0.0 };
        if width + ellipsis <= max_width {
            fits = i + 1;
        }
    }
    if width <= max_width && !cut_short {
        return build_line(&m, &no_breaks, 0..m.chars.len(), style, 0.0);
    }
    let mut cut = Inline {
        chars: m.chars[..fits].to_vec(),
        styles: m.styles[..fits].to_vec(),
    };
    cut.chars.push('…');
    cut.styles.push(plain);
    let m = measure(fonts, &cut, style);
    let no_breaks = vec![false; m.chars.len()];
    build_line(&m, &no_breaks, 0..m.chars.len(), style, 0.0)
}

/// The most characters [`set_single_line`] reads: more than any line on any page holds.
const SINGLE_LINE_CAP: usize = 1_000;

/// Lines of a code block: every source line is kept, with its indentation, and
/// wrapped at the character that no longer fits.
pub fn set_code(
    fonts: &mut FontSet,
    code: &str,
    style: &TextStyle,
    max_width: f32,
) -> Vec<SetLine> {
    let mut out = Vec::new();
    let code = code.strip_suffix('\n').unwrap_or(code);
    for source in code.split('\n') {
        let expanded = source.replace('\t', "    ");
        let mut inline = Inline::default();
        let s = SpanStyle::default();
        for c in expanded.chars().filter(|c| !c.is_control()) {
            inline.chars.push(c);
            inline.styles.push(s);
        }
        let m = measure(fonts, &inline, style);
        let no_breaks = vec![false; m.chars.len()];
        if m.chars.is_empty() {
            out.push(SetLine::default());
            continue;
        }
        let mut start = 0;
        while start < m.chars.len() {
            let mut end = start + 1;
            let mut x = m.widths[start];
            while end < m.chars.len() && x + m.widths[end] <= max_width {
                x += m.widths[end];
                end += 1;
            }
            out.push(build_line(&m, &no_breaks, start..end, style, 0.0));
            start = end;
        }
    }
    out
}

/// The face code is set in, for callers that draw code backgrounds.
pub fn is_code_run(run: &Run) -> bool {
    run.color == CODE_COLOR
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::SpanStyle;

    fn width(text: &str) -> f32 {
        let mut fonts = FontSet::new(&[]).unwrap();
        let inline = Inline {
            chars: text.chars().collect(),
            styles: vec![SpanStyle::default(); text.chars().count()],
        };
        let style = TextStyle {
            size: 10.0,
            weight: Weight::Regular,
            color: [0.0; 3],
            leading: 1.5,
        };
        let lines = set_inline(&mut fonts, &inline, &style, 1000.0, false);
        lines.iter().map(|l| l.width).sum()
    }

    #[test]
    fn a_single_line_is_cut_with_an_ellipsis_however_long_the_text() {
        let mut fonts = FontSet::new(&[]).unwrap();
        let style = TextStyle {
            size: 8.0,
            weight: Weight::Regular,
            color: [0.0; 3],
            leading: 1.2,
        };
        let text = |line: &SetLine| -> String {
            line.runs
                .iter()
                .flat_map(|r| &r.pieces)
                .filter_map(|p| match p {
                    Piece::Text(t) => Some(t.as_str()),
                    Piece::Move(_) => None,
                })
                .collect()
        };
        let short = set_single_line(&mut fonts, "椒语小食", &style, 200.0);
        assert_eq!(text(&short), "椒语小食");
        for n in [30, 2_000, 200_000] {
            let long = set_single_line(&mut fonts, &"春".repeat(n), &style, 200.0);
            let shown = text(&long);
            assert!(shown.ends_with('…'), "{n}: {shown}");
            assert_eq!(
                shown.chars().count(),
                25,
                "{n}: 24 ideographs of 8 pt and the ellipsis"
            );
            assert!(long.width <= 200.0, "{n}: {}", long.width);
        }
    }

    #[test]
    fn latin_pairs_are_kerned() {
        // "AV" kerns tighter than "A" and "V" set apart; "HH" does not kern.
        assert!(width("AV") < width("A") + width("V") - 0.1);
        assert!((width("HH") - 2.0 * width("H")).abs() < 1e-4);
    }

    #[test]
    fn squeezed_punctuation_keeps_the_fonts_proportional_width() {
        // A comma before an opening bracket loses its blank half, by the font's own
        // amount (half an em in Noto Sans CJK), its glyph nudged as the font places it.
        // (A comma never starts a line, so one stands after an ideograph here.)
        let squeezed = width("中，（");
        assert!((squeezed - 25.0).abs() < 1e-3, "{squeezed}");
        // Chinese text alone is set as before: ten ideographs, ten ems.
        assert!((width("直播带货策略报告之一二") - 110.0).abs() < 1e-3);
    }
}
