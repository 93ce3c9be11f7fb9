//! Markdown to PDF. Knows Markdown and pages, nothing of playbooks.
//!
//! The pipeline, one file per step: [`markdown`] turns pulldown-cmark events into
//! blocks, [`text`] sets inline text into lines using the rules in [`linebreak`] and
//! the faces in [`fonts`], [`layout`] (with [`table`]) flows blocks onto pages, and
//! [`write`] turns pages into PDF bytes.
//!
//! ```no_run
//! use md2pdf::{render, PdfOptions};
//! let pdf = render("# 直播策略\n\n粉丝 320 < 1000", &PdfOptions::default()).unwrap();
//! std::fs::write("report.pdf", &pdf.bytes).unwrap();
//! ```

mod bars;
mod cff;
mod cover;
mod fonts;
mod gantt;
mod layout;
pub mod linebreak;
mod markdown;
mod shaping;
mod table;
mod text;
mod trend;
mod write;

use std::path::PathBuf;

/// Paper size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PageSize {
    /// 210 × 297 mm.
    #[default]
    A4,
    /// 8.5 × 11 in.
    Letter,
    /// A 16:9 slide, 480 × 270 pt: the body text's size against the page is a slide's, so
    /// shown full screen it reads from across a room.
    Slide,
}

impl PageSize {
    /// Width and height in points.
    pub fn points(self) -> (f32, f32) {
        match self {
            PageSize::A4 => (595.276, 841.89),
            PageSize::Letter => (612.0, 792.0),
            PageSize::Slide => (480.0, 270.0),
        }
    }

    /// The margins around the text: paper has room for a running header and a page
    /// number; a slide keeps its edges narrow.
    pub(crate) fn geometry(self) -> layout::Geometry {
        let (width, height) = self.points();
        match self {
            PageSize::Slide => layout::Geometry {
                width,
                height,
                margin_x: 30.0,
                margin_top: 34.0,
                margin_bottom: 24.0,
            },
            PageSize::A4 | PageSize::Letter => layout::Geometry {
                width,
                height,
                margin_x: 62.0,
                margin_top: 72.0,
                margin_bottom: 66.0,
            },
        }
    }
}

/// How to render: paper, running header, metadata and extra fonts.
#[derive(Debug, Clone, PartialEq)]
pub struct PdfOptions {
    pub page_size: PageSize,
    /// Document title: metadata and the right side of the running header.
    pub title: String,
    /// Left side of the running header (the brand name).
    pub header: String,
    pub subject: String,
    pub author: String,
    /// Metadata language tag, e.g. `"zh-CN"` or `"en"`.
    pub language: String,
    /// `"YYYY-MM-DD"` for the metadata dates; without it the PDF carries no dates.
    pub date: Option<String>,
    /// Fonts for characters the bundled face lacks, tried in order.
    pub fallback_fonts: Vec<PathBuf>,
    /// The colour of headings, table heads and a cover's band (RGB, 0-1); default a
    /// dark blue.
    pub primary: Option<[f32; 3]>,
    /// The colour of heading rules, list markers and marks (RGB, 0-1); default orange.
    pub accent: Option<[f32; 3]>,
    /// A logo (PNG or JPEG bytes): embedded once, drawn on a cover and in the running
    /// header of every other page.
    pub logo: Option<Vec<u8>>,
}

impl Default for PdfOptions {
    fn default() -> Self {
        Self {
            page_size: PageSize::A4,
            title: String::new(),
            header: String::new(),
            subject: String::new(),
            author: String::new(),
            language: "zh-CN".to_string(),
            date: None,
            fallback_fonts: Vec::new(),
            primary: None,
            accent: None,
            logo: None,
        }
    }
}

/// A rendered document.
#[derive(Debug, Clone)]
pub struct RenderedPdf {
    pub bytes: Vec<u8>,
    pub pages: usize,
    /// Things the reader should know, e.g. characters no font could draw.
    pub warnings: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("cannot read font file {path}: {source}")]
    FontRead {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a font file this renderer can use (TrueType or OpenType expected)")]
    FontParse { path: PathBuf },
    #[error("cannot write the PDF: {0}")]
    Write(String),
    #[error("the logo is not a PNG or JPEG image this renderer can read: {0}")]
    Logo(String),
}

/// Renders `markdown` to a PDF. The same input and options always give the same bytes.
pub fn render(markdown: &str, options: &PdfOptions) -> Result<RenderedPdf, PdfError> {
    let mut fonts = fonts::FontSet::new(&options.fallback_fonts)?;
    let doc = markdown::parse(markdown);
    let geo = options.page_size.geometry();
    let logo = match &options.logo {
        Some(bytes) => Some(write::decode_logo(bytes)?),
        None => None,
    };
    let aspect = logo
        .as_ref()
        .map(|l| l.width as f32 / l.height.max(1) as f32);
    let mut laid = layout::lay_out_with(&doc, &mut fonts, geo, aspect);
    layout::decorate(&mut laid, &mut fonts, geo, &options.header, &options.title);
    layout::recolor(&mut laid, options.primary, options.accent);
    let id = document_id(markdown, options);
    let bytes = write::write(&laid, &fonts, geo, options, &doc.links, id, logo)?;
    Ok(RenderedPdf {
        bytes,
        pages: laid.pages.len(),
        warnings: fonts.missing_warnings(),
    })
}

/// A logo's size in pixels, or why it cannot be used: for checking one before rendering.
pub fn logo_size(bytes: &[u8]) -> Result<(usize, usize), PdfError> {
    let image = write::decode_logo(bytes)?;
    Ok((image.width, image.height))
}

/// FNV-1a's offset basis, the usual seed.
const FNV_SEED: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a of `bytes` from `seed`: a fast, stable hash for names derived from content.
fn fnv1a(seed: u64, bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(seed, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3)
    })
}

/// A document ID derived from the input (FNV-1a, two seeds), so that equal input
/// gives equal bytes.
fn document_id(markdown: &str, options: &PdfOptions) -> [u8; 16] {
    let key = format!("{options:?}\u{0}{markdown}");
    let mut id = [0; 16];
    id[..8].copy_from_slice(&fnv1a(FNV_SEED, key.bytes()).to_be_bytes());
    id[8..].copy_from_slice(&fnv1a(FNV_SEED.rotate_left(32), key.bytes()).to_be_bytes());
    id
}
