//! Laid-out pages to PDF bytes through printpdf, then a pass over the PDF objects
//! for what printpdf does not do deterministically or at all: the trailer ID, the
//! document info dates, `/Lang` and a nested outline.

use std::collections::{BTreeMap, BTreeSet};

use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use printpdf::{
    Actions, BorderArray, Color, FontId, FontMetrics, FontType, Line, LineCapStyle, LineJoinStyle,
    LinePoint, LinkAnnotation, Op, PaintMode, ParsedFont, PdfDocument, PdfFont, PdfFontHandle,
    PdfFontMetricsStub, PdfPage, PdfSaveOptions, Point, Polygon, PolygonRing, Pt, Rect, TextItem,
    TextMatrix, WindingOrder,
};

use super::fonts::{FaceId, FontSet};
use super::layout::{Draw, Geometry, Laid, OutlineEntry};
use super::text::{Piece, Rgb};
use super::{PdfError, PdfOptions};

/// Horizontal shear of the synthetic oblique used for emphasis (about 11°).
const SLANT: f32 = 0.2;

/// A logo's pixels, decoded once from PNG or JPEG bytes.
pub fn decode_logo(bytes: &[u8]) -> Result<printpdf::RawImage, PdfError> {
    let mut warnings = Vec::new();
    let image =
        printpdf::RawImage::decode_from_bytes(bytes, &mut warnings).map_err(PdfError::Logo)?;
    if image.width == 0 || image.height == 0 {
        return Err(PdfError::Logo("the image is empty".into()));
    }
    Ok(image)
}

/// The logo's name among the document's resources: one image, however often drawn.
fn logo_id() -> printpdf::XObjectId {
    printpdf::XObjectId("Logo".into())
}

pub fn write(
    laid: &Laid,
    fonts: &FontSet,
    geo: Geometry,
    options: &PdfOptions,
    links: &[String],
    id: [u8; 16],
    logo: Option<printpdf::RawImage>,
) -> Result<Vec<u8>, PdfError> {
    let mut doc = PdfDocument::new(&options.title);
    for (face, font) in subset_fonts(laid, fonts)? {
        doc.resources.fonts.map.insert(font_id(face), font);
    }
    let logo_px = logo.as_ref().map(|l| l.width as f32);
    if let Some(image) = logo {
        doc.resources
            .xobjects
            .map
            .insert(logo_id(), printpdf::XObject::Image(image));
    }
    let pages = laid
        .pages
        .iter()
        .map(|page| {
            let mut p = PdfPage::new(
                printpdf::Mm(geo.width / 2.834_646),
                printpdf::Mm(geo.height / 2.834_646),
                page_ops(&page.draws, geo.height, links, logo_px),
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
    compress(&mut pdf)?;
    let mut bytes = Vec::new();
    pdf.save_to(&mut bytes)
        .map_err(|e| PdfError::Write(e.to_string()))?;
    Ok(bytes)
}

/// The characters each face draws in the document, by face.
fn used_chars(laid: &Laid) -> BTreeMap<FaceId, BTreeSet<char>> {
    let mut used: BTreeMap<FaceId, BTreeSet<char>> = BTreeMap::new();
    for draw in laid.pages.iter().flat_map(|p| &p.draws) {
        if let Draw::Text { face, pieces, .. } = draw {
            let chars = used.entry(*face).or_default();
            for piece in pieces {
                if let Piece::Text(t) = piece {
                    chars.extend(t.chars());
                }
            }
        }
    }
    used
}

/// One embedded font per face the document uses, each a subset holding only the glyphs
/// drawn (built once per document). printpdf writes it as it stands: its character map is
/// the subset's own numbering.
fn subset_fonts(laid: &Laid, fonts: &FontSet) -> Result<Vec<(FaceId, PdfFont)>, PdfError> {
    let mut out = Vec::new();
    for (face_id, chars) in used_chars(laid) {
        if face_id >= fonts.len() {
            continue;
        }
        let face = fonts.face(face_id);
        // A character the face lacks is drawn as `.notdef` (glyph 0), always in a subset.
        let glyph_of = |c: char| face.glyph(c).unwrap_or(0);
        let glyphs: BTreeSet<u16> = chars
            .iter()
            .map(|&c| glyph_of(c))
            .filter(|&g| g != 0)
            .collect();
        let (bytes, remap) = face.subset(&glyphs)?;
        let new_gid = |c: char| remap.get(&glyph_of(c)).copied().unwrap_or(0);
        let codepoint_to_glyph = chars.iter().map(|&c| (c as u32, new_gid(c))).collect();
        let mut glyph_widths: BTreeMap<u16, u16> = remap
            .iter()
            .map(|(&old, &new)| (new, face.advance(old)))
            .collect();
        glyph_widths.insert(0, face.advance(0));
        let parsed = ParsedFont {
            original_bytes: bytes,
            font_index: 0,
            font_name: Some(format!("{}+{}", subset_tag(&glyphs), face.name)),
            codepoint_to_glyph,
            glyph_widths,
            units_per_em: face.units_per_em,
            font_metrics: FontMetrics {
                ascent: face.ascender,
                descent: face.descender,
            },
            font_type: if face.is_cff {
                FontType::OpenTypeCFF(())
            } else {
                FontType::TrueType
            },
            pdf_font_metrics: PdfFontMetricsStub {
                units_per_em: face.units_per_em,
                x_min: face.bbox.0,
                y_min: face.bbox.1,
                x_max: face.bbox.2,
                y_max: face.bbox.3,
                caret_slope_rise: face.caret_slope.0,
                caret_slope_run: face.caret_slope.1,
                us_weight_class: face.weight_class,
            },
        };
        out.push((face_id, PdfFont::new(parsed)));
    }
    Ok(out)
}

/// The six capital letters that mark a subset font's name (ISO 32000-1, 9.6.4), derived
/// from the glyphs it holds so that equal documents get equal names.
fn subset_tag(glyphs: &BTreeSet<u16>) -> String {
    let h = super::fnv1a(super::FNV_SEED, glyphs.iter().flat_map(|g| g.to_be_bytes()));
    (0..6)
        .map(|i| char::from(b'A' + ((h >> (i * 8)) % 26) as u8))
        .collect()
}

/// Deflates every stream that may be compressed and is not yet, except font programs,
/// which are stored: CFF glyph programs deflate by about a tenth, for more instructions
/// than the rest of the document together.
/// (lopdf's own pass deflates everything at the slowest level.)
fn compress(pdf: &mut lopdf::Document) -> Result<(), PdfError> {
    // One compressor for the document, reset between streams: setting one up costs more
    // than deflating a page's content.
    let mut compressor = flate2::Compress::new(flate2::Compression::new(CONTENT_LEVEL), true);
    for object in pdf.objects.values_mut() {
        if let Object::Stream(stream) = object {
            let done = stream.dict.get(b"Filter").is_ok();
            // printpdf leaves image pixels raw and marked not to compress; a logo's pixels
            // deflate well, and Flate is lossless.
            let image = stream
                .dict
                .get(b"Subtype")
                .and_then(|s| s.as_name())
                .is_ok_and(|n| n == b"Image");
            if !(stream.allows_compression || image) || done || is_font_program(&stream.dict) {
                continue;
            }
            compressor.reset();
            let mut compressed = Vec::with_capacity(stream.content.len() / 2 + 64);
            loop {
                let consumed = compressor.total_in() as usize;
                let status = compressor
                    .compress_vec(
                        &stream.content[consumed..],
                        &mut compressed,
                        flate2::FlushCompress::Finish,
                    )
                    .map_err(|e| PdfError::Write(e.to_string()))?;
                if status == flate2::Status::StreamEnd {
                    break;
                }
                compressed.reserve(compressed.capacity().max(64));
            }
            if compressed.len() < stream.content.len() {
                stream.dict.set("Filter", "FlateDecode");
                stream.set_content(compressed);
            }
        }
    }
    Ok(())
}

/// Deflate level of page content: the fastest. Content is mostly glyph codes in hex,
/// which the fastest level already shrinks to a third; the slowest saves 3% more and
/// costs as many instructions as laying the page out.
const CONTENT_LEVEL: u32 = 1;

fn is_font_program(dict: &Dictionary) -> bool {
    dict.has(b"Length1")
        || matches!(
            dict.get(b"Subtype").and_then(Object::as_name),
            Ok(b"CIDFontType0C" | b"OpenType" | b"Type1C")
        )
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
fn page_ops(draws: &[Draw], height: f32, links: &[String], logo_px: Option<f32>) -> Vec<Op> {
    let mut page = PageOps {
        ops: Vec::new(),
        in_text: false,
        font: None,
        fill: None,
        height,
    };
    for d in draws {
        if page.in_text && !matches!(d, Draw::Text { .. }) {
            page.ops.push(Op::EndTextSection);
            page.in_text = false;
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
            } => page.text((*x, *y), (*face, *size), *c, *slant, pieces),
            Draw::Rect {
                x,
                y,
                w,
                h,
                color: c,
            } => page.rect(*x, *y, *w, *h, *c),
            Draw::Path {
                points,
                closed,
                fill,
                stroke,
            } => page.path(points, *closed, *fill, *stroke),
            Draw::Image { x, y, w, h } => {
                if let Some(px) = logo_px {
                    // The image is drawn at its pixel size at `dpi`: pick the dpi that
                    // makes it `w` points wide (its height follows from its aspect).
                    page.ops.push(Op::UseXobject {
                        id: logo_id(),
                        transform: printpdf::XObjectTransform {
                            translate_x: Some(Pt(*x)),
                            translate_y: Some(Pt(height - y - h)),
                            dpi: Some(px * 72.0 / w.max(0.01)),
                            ..Default::default()
                        },
                    });
                }
            }
            Draw::Link { x, y, w, h, link } => {
                if let Some(uri) = links.get(*link) {
                    page.ops.push(Op::LinkAnnotation {
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
    if page.in_text {
        page.ops.push(Op::EndTextSection);
    }
    page.ops
}

/// A page's operations so far, and the graphics state they leave.
struct PageOps {
    ops: Vec<Op>,
    in_text: bool,
    font: Option<(usize, f32)>,
    fill: Option<Rgb>,
    height: f32,
}

impl PageOps {
    fn set_fill(&mut self, c: Rgb) {
        if self.fill != Some(c) {
            self.ops.push(Op::SetFillColor { col: color(c) });
            self.fill = Some(c);
        }
    }

    fn text(
        &mut self,
        (x, y): (f32, f32),
        font: (usize, f32),
        c: Rgb,
        slant: bool,
        pieces: &[Piece],
    ) {
        if !self.in_text {
            self.ops.push(Op::StartTextSection);
            self.in_text = true;
            self.font = None;
        }
        if self.font != Some(font) {
            self.ops.push(Op::SetFont {
                font: PdfFontHandle::External(font_id(font.0)),
                size: Pt(font.1),
            });
            self.font = Some(font);
        }
        self.set_fill(c);
        let shear = if slant { SLANT } else { 0.0 };
        self.ops.push(Op::SetTextMatrix {
            matrix: TextMatrix::Raw([1.0, 0.0, shear, 1.0, x, self.height - y]),
        });
        let items = pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t) => TextItem::Text(t.clone()),
                // TJ numbers move left for positive values.
                Piece::Move(m) => TextItem::Offset(-*m),
            })
            .collect();
        self.ops.push(Op::ShowText { items });
    }

    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, c: Rgb) {
        self.set_fill(c);
        self.ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: Pt(x),
                y: Pt(self.height - y - h),
                width: Pt(w),
                height: Pt(h),
                mode: Some(PaintMode::Fill),
                winding_order: Some(WindingOrder::NonZero),
            },
        });
    }

    fn path(
        &mut self,
        points: &[(f32, f32, bool)],
        closed: bool,
        fill: Option<Rgb>,
        stroke: Option<(Rgb, f32)>,
    ) {
        let points: Vec<LinePoint> = points
            .iter()
            .map(|&(x, y, bezier)| LinePoint {
                p: point(x, y, self.height),
                bezier,
            })
            .collect();
        if let Some(c) = fill {
            self.set_fill(c);
        }
        if let Some((c, width)) = stroke {
            self.ops.push(Op::SetOutlineColor { col: color(c) });
            self.ops.push(Op::SetOutlineThickness { pt: Pt(width) });
            self.ops.push(Op::SetLineCapStyle {
                cap: LineCapStyle::Round,
            });
            self.ops.push(Op::SetLineJoinStyle {
                join: LineJoinStyle::Round,
            });
        }
        if closed || fill.is_some() {
            let mode = match (fill.is_some(), stroke.is_some()) {
                (true, true) => PaintMode::FillStroke,
                (true, false) => PaintMode::Fill,
                _ => PaintMode::Stroke,
            };
            self.ops.push(Op::DrawPolygon {
                polygon: Polygon {
                    rings: vec![PolygonRing { points }],
                    mode,
                    winding_order: WindingOrder::NonZero,
                },
            });
        } else {
            self.ops.push(Op::DrawLine {
                line: Line {
                    points,
                    is_closed: false,
                },
            });
        }
    }
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
