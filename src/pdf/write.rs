//! Laid-out pages to PDF bytes through printpdf, then a pass over the PDF objects
//! for what printpdf does not do deterministically or at all: the trailer ID, the
//! document info dates, `/Lang` and a nested outline.

use std::collections::BTreeSet;

use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use printpdf::{
    Actions, BorderArray, Color, FontId, Line, LineCapStyle, LineJoinStyle, LinePoint,
    LinkAnnotation, Op, PaintMode, PdfDocument, PdfFont, PdfFontHandle, PdfPage, PdfSaveOptions,
    Point, Polygon, PolygonRing, Pt, Rect, TextItem, TextMatrix, WindingOrder,
};

use super::fonts::FontSet;
use super::layout::{Draw, Geometry, Laid, OutlineEntry};
use super::text::{Piece, Rgb};
use super::{PdfError, PdfOptions};

/// Horizontal shear of the synthetic oblique used for emphasis (about 11°).
const SLANT: f32 = 0.2;

pub fn write(
    laid: &Laid,
    fonts: &FontSet,
    geo: Geometry,
    options: &PdfOptions,
    links: &[String],
    id: [u8; 16],
) -> Result<Vec<u8>, PdfError> {
    let mut doc = PdfDocument::new(&options.title);
    let used: BTreeSet<usize> = laid
        .pages
        .iter()
        .flat_map(|p| &p.draws)
        .filter_map(|d| match d {
            Draw::Text { face, .. } => Some(*face),
            _ => None,
        })
        .collect();
    for &face in &used {
        if face < fonts.len() {
            let font = PdfFont::new(fonts.face(face).clone());
            doc.resources.fonts.map.insert(font_id(face), font);
        }
    }
    let pages = laid
        .pages
        .iter()
        .map(|page| {
            let mut p = PdfPage::new(
                printpdf::Mm(geo.width / 2.834_646),
                printpdf::Mm(geo.height / 2.834_646),
                page_ops(&page.draws, geo.height, links),
            );
            let exact = Rect::from_wh(Pt(geo.width), Pt(geo.height));
            p.media_box = exact.clone();
            p.trim_box = exact.clone();
            p.crop_box = exact;
            p
        })
        .collect();
    doc.with_pages(pages);

    let save = PdfSaveOptions {
        optimize: true,
        subset_fonts: true,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let mut pdf = doc.to_lopdf_document(&save, &mut warnings);
    finish(&mut pdf, options, &laid.outline, geo.height, id)?;
    pdf.compress();
    let mut bytes = Vec::new();
    pdf.save_to(&mut bytes)
        .map_err(|e| PdfError::Write(e.to_string()))?;
    Ok(bytes)
}

fn font_id(face: usize) -> FontId {
    FontId(format!("F{face}"))
}

fn color(c: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb {
        r: c[0],
        g: c[1],
        b: c[2],
        icc_profile: None,
    })
}

fn point(x: f32, y: f32, height: f32) -> Point {
    Point {
        x: Pt(x),
        y: Pt(height - y),
    }
}

/// Content stream operations of one page; consecutive text runs share a text object
/// and redundant font and colour changes are left out.
fn page_ops(draws: &[Draw], height: f32, links: &[String]) -> Vec<Op> {
    let mut ops = Vec::new();
    let mut in_text = false;
    let mut font: Option<(usize, f32)> = None;
    let mut fill: Option<Rgb> = None;
    for d in draws {
        let is_text = matches!(d, Draw::Text { .. });
        if in_text && !is_text {
            ops.push(Op::EndTextSection);
            in_text = false;
        }
        match d {
            Draw::Text {
                x,
                y,
                face,
                size,
                color: c,
                slant,
                pieces,
            } => {
                if !in_text {
                    ops.push(Op::StartTextSection);
                    in_text = true;
                    font = None;
                }
                if font != Some((*face, *size)) {
                    ops.push(Op::SetFont {
                        font: PdfFontHandle::External(font_id(*face)),
                        size: Pt(*size),
                    });
                    font = Some((*face, *size));
                }
                if fill != Some(*c) {
                    ops.push(Op::SetFillColor { col: color(*c) });
                    fill = Some(*c);
                }
                let shear = if *slant { SLANT } else { 0.0 };
                ops.push(Op::SetTextMatrix {
                    matrix: TextMatrix::Raw([1.0, 0.0, shear, 1.0, *x, height - *y]),
                });
                let items = pieces
                    .iter()
                    .map(|p| match p {
                        Piece::Text(t) => TextItem::Text(t.clone()),
                        // TJ numbers move left for positive values.
                        Piece::Move(m) => TextItem::Offset(-*m),
                    })
                    .collect();
                ops.push(Op::ShowText { items });
            }
            Draw::Rect {
                x,
                y,
                w,
                h,
                color: c,
            } => {
                if fill != Some(*c) {
                    ops.push(Op::SetFillColor { col: color(*c) });
                    fill = Some(*c);
                }
                ops.push(Op::DrawRectangle {
                    rectangle: Rect {
                        x: Pt(*x),
                        y: Pt(height - y - h),
                        width: Pt(*w),
                        height: Pt(*h),
                        mode: Some(PaintMode::Fill),
                        winding_order: Some(WindingOrder::NonZero),
                    },
                });
            }
            Draw::Path {
                points,
                closed,
                fill: f,
                stroke,
            } => {
                let points: Vec<LinePoint> = points
                    .iter()
                    .map(|&(x, y, bezier)| LinePoint {
                        p: point(x, y, height),
                        bezier,
                    })
                    .collect();
                if let Some(c) = f {
                    if fill != Some(*c) {
                        ops.push(Op::SetFillColor { col: color(*c) });
                        fill = Some(*c);
                    }
                }
                if let Some((c, width)) = stroke {
                    ops.push(Op::SetOutlineColor { col: color(*c) });
                    ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                    ops.push(Op::SetLineCapStyle {
                        cap: LineCapStyle::Round,
                    });
                    ops.push(Op::SetLineJoinStyle {
                        join: LineJoinStyle::Round,
                    });
                }
                if *closed || f.is_some() {
                    let mode = match (f.is_some(), stroke.is_some()) {
                        (true, true) => PaintMode::FillStroke,
                        (true, false) => PaintMode::Fill,
                        _ => PaintMode::Stroke,
                    };
                    ops.push(Op::DrawPolygon {
                        polygon: Polygon {
                            rings: vec![PolygonRing { points }],
                            mode,
                            winding_order: WindingOrder::NonZero,
                        },
                    });
                } else {
                    ops.push(Op::DrawLine {
                        line: Line {
                            points,
                            is_closed: false,
                        },
                    });
                }
            }
            Draw::Link { x, y, w, h, link } => {
                if let Some(uri) = links.get(*link) {
                    ops.push(Op::LinkAnnotation {
                        link: LinkAnnotation::new(
                            Rect::from_xywh(Pt(*x), Pt(height - y - h), Pt(*w), Pt(*h)),
                            Actions::uri(uri.clone()),
                            Some(BorderArray::Solid([0.0, 0.0, 0.0])),
                            None,
                            None,
                        ),
                    });
                }
            }
        }
    }
    if in_text {
        ops.push(Op::EndTextSection);
    }
    ops
}

/// A PDF text string: UTF-16BE with a byte order mark.
fn text_string(s: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for unit in s.encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// `"YYYY-MM-DD"` to a PDF date, or `None` if it is not one.
fn pdf_date(date: &str) -> Option<String> {
    let parts: Vec<&str> = date.trim().split('-').collect();
    let ok = parts.len() == 3
        && [4, 2, 2]
            .iter()
            .zip(&parts)
            .all(|(n, p)| p.len() == *n && p.bytes().all(|b| b.is_ascii_digit()));
    ok.then(|| format!("D:{}{}{}000000Z", parts[0], parts[1], parts[2]))
}

fn finish(
    pdf: &mut lopdf::Document,
    options: &PdfOptions,
    outline: &[OutlineEntry],
    page_height: f32,
    id: [u8; 16],
) -> Result<(), PdfError> {
    let broken = |what: &str| PdfError::Write(format!("printpdf produced no {what}"));
    pdf.trailer.set(
        "ID",
        Object::Array(vec![
            Object::String(id.to_vec(), StringFormat::Hexadecimal),
            Object::String(id.to_vec(), StringFormat::Hexadecimal),
        ]),
    );

    let mut info = Dictionary::new();
    info.set("Title", text_string(&options.title));
    info.set("Author", text_string(&options.author));
    info.set("Subject", text_string(&options.subject));
    info.set("Creator", text_string("playbook"));
    info.set("Producer", text_string("playbook pdf (printpdf)"));
    if let Some(date) = options.date.as_deref().and_then(pdf_date) {
        info.set("CreationDate", Object::string_literal(date.clone()));
        info.set("ModDate", Object::string_literal(date));
    }
    let info_id = pdf.add_object(info);
    pdf.trailer.set("Info", Object::Reference(info_id));

    let pages = pdf.get_pages();
    let outlines = if outline.is_empty() {
        None
    } else {
        Some(build_outline(pdf, outline, &pages, page_height))
    };
    let catalog = pdf.catalog_mut().map_err(|_| broken("catalog"))?;
    if !options.language.is_empty() {
        catalog.set("Lang", Object::string_literal(options.language.clone()));
    }
    if let Some(root) = outlines {
        catalog.set("Outlines", Object::Reference(root));
        catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    }
    Ok(())
}

/// Builds the outline tree (h2 under h1 and so on) and returns the root's id.
fn build_outline(
    pdf: &mut lopdf::Document,
    entries: &[OutlineEntry],
    pages: &std::collections::BTreeMap<u32, ObjectId>,
    page_height: f32,
) -> ObjectId {
    let root = pdf.new_object_id();
    let ids: Vec<ObjectId> = entries.iter().map(|_| pdf.new_object_id()).collect();
    // Parent of each entry: the nearest earlier entry with a smaller level.
    let mut parent: Vec<Option<usize>> = Vec::with_capacity(entries.len());
    let mut stack: Vec<usize> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        while stack.last().is_some_and(|&j| entries[j].level >= e.level) {
            stack.pop();
        }
        parent.push(stack.last().copied());
        stack.push(i);
    }
    let mut kids: Vec<Vec<usize>> = vec![Vec::new(); entries.len()];
    let mut top: Vec<usize> = Vec::new();
    let mut pos = vec![0_usize; entries.len()];
    for (i, p) in parent.iter().enumerate() {
        let list = match p {
            Some(p) => &mut kids[*p],
            None => &mut top,
        };
        pos[i] = list.len();
        list.push(i);
    }
    let mut descendants = vec![0_i64; entries.len()];
    for i in (0..entries.len()).rev() {
        if let Some(p) = parent[i] {
            descendants[p] += 1 + descendants[i];
        }
    }
    for (i, e) in entries.iter().enumerate() {
        let siblings = match parent[i] {
            Some(p) => &kids[p],
            None => &top,
        };
        let pos = pos[i];
        let mut dict = Dictionary::new();
        dict.set("Title", text_string(&e.title));
        dict.set(
            "Parent",
            Object::Reference(parent[i].map_or(root, |p| ids[p])),
        );
        if pos > 0 {
            dict.set("Prev", Object::Reference(ids[siblings[pos - 1]]));
        }
        if let Some(&next) = siblings.get(pos + 1) {
            dict.set("Next", Object::Reference(ids[next]));
        }
        if let (Some(&first), Some(&last)) = (kids[i].first(), kids[i].last()) {
            dict.set("First", Object::Reference(ids[first]));
            dict.set("Last", Object::Reference(ids[last]));
            dict.set("Count", Object::Integer(descendants[i]));
        }
        if let Some(&page) = pages.get(&(e.page as u32 + 1)) {
            dict.set(
                "Dest",
                Object::Array(vec![
                    Object::Reference(page),
                    Object::Name(b"XYZ".to_vec()),
                    Object::Integer(0),
                    Object::Real(page_height - e.y + 4.0),
                    Object::Null,
                ]),
            );
        }
        pdf.set_object(ids[i], dict);
    }
    let mut dict = Dictionary::new();
    dict.set("Type", Object::Name(b"Outlines".to_vec()));
    if let (Some(&first), Some(&last)) = (top.first(), top.last()) {
        dict.set("First", Object::Reference(ids[first]));
        dict.set("Last", Object::Reference(ids[last]));
    }
    dict.set("Count", Object::Integer(entries.len() as i64));
    pdf.set_object(root, dict);
    root
}
