//! A cover page from a fenced code block whose info string is `cover`:
//!
//! ````text
//! ```cover
//! title: 椒语小食 · 直播电商策略方案
//! subtitle: 冷启动、定价与大场规划
//! line: 编制：某某服务商 · 张三
//! line: 2026-12-01 · 第 1 版
//! badge: 保密
//! ```
//! ````
//!
//! `title` is required; `subtitle` and `badge` at most once; `line` any number of times,
//! in order. The cover takes a page of its own, with no running header or page number,
//! and what follows starts on the next page. A block that breaks these rules is an
//! ordinary code block.

use super::fonts::Weight;
use super::layout::{Draw, Flow, ACCENT, HEADING, TEXT};
use super::markdown::{Inline, SpanStyle};
use super::text::{set_inline, set_single_line, TextStyle};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cover {
    pub title: String,
    pub subtitle: Option<String>,
    pub lines: Vec<String>,
    pub badge: Option<String>,
}

/// The cover a `cover` block describes, or `None`.
pub fn parse(code: &str) -> Option<Cover> {
    let mut cover = Cover::default();
    for line in code.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (key, value) = line.split_once(':')?;
        let value = value.trim().to_string();
        match key.trim() {
            "title" if cover.title.is_empty() && !value.is_empty() => cover.title = value,
            "subtitle" if cover.subtitle.is_none() => cover.subtitle = Some(value),
            "badge" if cover.badge.is_none() => cover.badge = Some(value),
            "line" => cover.lines.push(value),
            _ => return None,
        }
    }
    (!cover.title.is_empty()).then_some(cover)
}

const WHITE: [f32; 3] = [1.0, 1.0, 1.0];

fn plain(text: &str) -> Inline {
    let chars: Vec<char> = text.chars().filter(|c| !c.is_control()).collect();
    Inline {
        styles: vec![SpanStyle::default(); chars.len()],
        chars,
    }
}

/// Draws the cover on a page of its own.
pub fn draw(flow: &mut Flow, cover: &Cover) {
    if !flow.at_page_top() || !flow.pages.last().is_some_and(|p| p.draws.is_empty()) {
        flow.new_page();
    }
    let geo = flow.geo;
    let page = flow.page_index();
    flow.pages[page].bare = true;
    let band = geo.height * 0.42;
    flow.draw(Draw::Rect {
        x: 0.0,
        y: 0.0,
        w: geo.width,
        h: band,
        color: HEADING,
    });
    flow.draw(Draw::Rect {
        x: 0.0,
        y: band,
        w: geo.width,
        h: 5.0,
        color: ACCENT,
    });
    let w = geo.content_width();
    let x = geo.margin_x;
    // The logo sits at the band's top left, on a white tile so that any logo reads on it.
    if let Some(aspect) = flow.logo {
        let h = (geo.height * 0.055).clamp(14.0, 44.0);
        let lw = (h * aspect).min(w * 0.4);
        let lh = lw / aspect;
        let pad = lh * 0.18;
        let top = geo.margin_top * 0.55;
        flow.draw(Draw::Rect {
            x: x - pad,
            y: top - pad,
            w: lw + 2.0 * pad,
            h: lh + 2.0 * pad,
            color: WHITE,
        });
        flow.draw(Draw::Image {
            x,
            y: top,
            w: lw,
            h: lh,
        });
    }
    let title_style = TextStyle {
        size: (geo.width / 22.0).clamp(20.0, 34.0),
        weight: Weight::Bold,
        color: WHITE,
        leading: 1.3,
    };
    let sub_style = TextStyle {
        size: title_style.size * 0.5,
        weight: Weight::Regular,
        color: [0.86, 0.90, 0.96],
        leading: 1.5,
    };
    let title = set_inline(flow.fonts, &plain(&cover.title), &title_style, w, false);
    let subtitle = cover
        .subtitle
        .as_deref()
        .map(|s| set_inline(flow.fonts, &plain(s), &sub_style, w, false))
        .unwrap_or_default();
    // The title block sits on the band's lower edge.
    let block = title.len() as f32 * title_style.line_height()
        + subtitle.len() as f32 * sub_style.line_height()
        + if subtitle.is_empty() { 0.0 } else { 6.0 };
    let mut y = (band - 36.0 - block).max(geo.margin_top * 0.6);
    for line in &title {
        flow.draw_line(line, x, y + title_style.baseline());
        y += title_style.line_height();
    }
    y += 6.0;
    for line in &subtitle {
        flow.draw_line(line, x, y + sub_style.baseline());
        y += sub_style.line_height();
    }
    let meta = TextStyle {
        size: 11.0,
        weight: Weight::Regular,
        color: TEXT,
        leading: 1.8,
    };
    let mut y = band + 5.0 + 40.0;
    for text in &cover.lines {
        for line in set_inline(flow.fonts, &plain(text), &meta, w, false) {
            flow.draw_line(&line, x, y + meta.baseline());
            y += meta.line_height();
        }
    }
    if let Some(badge) = &cover.badge {
        let style = TextStyle {
            size: 10.0,
            weight: Weight::Bold,
            color: ACCENT,
            leading: 1.2,
        };
        let line = set_single_line(flow.fonts, badge, &style, w);
        let (bx, by) = (x, geo.height - geo.margin_bottom - 22.0);
        let pad = 6.0;
        flow.draw(Draw::Path {
            points: vec![
                (bx, by, false),
                (bx + line.width + 2.0 * pad, by, false),
                (
                    bx + line.width + 2.0 * pad,
                    by + style.line_height() + pad,
                    false,
                ),
                (bx, by + style.line_height() + pad, false),
            ],
            closed: true,
            fill: None,
            stroke: Some((ACCENT, 1.0)),
        });
        flow.draw_line(&line, bx + pad, by + pad / 2.0 + style.baseline());
    }
    flow.new_page();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_in_any_order_and_what_rejects_a_block() {
        let c = parse("line: a\ntitle: T\nline: b\nbadge: 保密\n").unwrap();
        assert_eq!(c.title, "T");
        assert_eq!(c.lines, ["a", "b"]);
        assert_eq!(c.badge.as_deref(), Some("保密"));
        for bad in [
            "",
            "line: a",
            "title: a\ntitle: b",
            "title: a\nauthor: b",
            "title: a\nno colon",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }
}
