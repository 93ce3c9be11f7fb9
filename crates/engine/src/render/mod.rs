//! Renderers: each turns a [`Report`] into the bytes of one output [`Format`].
//!
//! Every output goes through the one [`Renderer`] trait; a command picks renderers by
//! their typed format (see [`Renderers`]), never by a string. A new output (a deck, a
//! handout) is a new implementation, not a branch in each command.

mod json;
mod markdown;
mod pdf;
mod terminal;
pub mod width;

pub use json::JsonRenderer;
pub use markdown::{escape_markdown, MarkdownRenderer};
pub use pdf::{options as pdf_options, PdfRenderer};
pub use terminal::TerminalRenderer;

use crate::error::{Error, Result};
use crate::report::Report;

/// An output format.
///
/// ```
/// use playbook_engine::render::Format;
/// assert_eq!("md".parse::<Format>().unwrap(), Format::Markdown);
/// assert_eq!(Format::Pdf.extension(), Some("pdf"));
/// assert!("docx".parse::<Format>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    Markdown,
    Pdf,
    Json,
    /// The table `assess` prints; never a file.
    Terminal,
}

impl Format {
    /// The formats written to files, in the order a run writes them.
    pub const FILES: [Format; 3] = [Format::Markdown, Format::Pdf, Format::Json];

    /// The file extension, without the dot; `None` for terminal output.
    pub fn extension(self) -> Option<&'static str> {
        match self {
            Format::Markdown => Some("md"),
            Format::Pdf => Some("pdf"),
            Format::Json => Some("json"),
            Format::Terminal => None,
        }
    }
}

impl std::str::FromStr for Format {
    type Err = Error;

    /// A file format by its extension: `md`, `pdf` or `json`.
    fn from_str(s: &str) -> Result<Format> {
        Format::FILES
            .into_iter()
            .find(|f| f.extension() == Some(s))
            .ok_or_else(|| Error::Usage(format!("unknown format `{s}` (use md, pdf, json)")))
    }
}

/// What a renderer produced: the bytes, and what the reader should know about them
/// (characters no font could draw, say).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rendered {
    pub bytes: Vec<u8>,
    pub warnings: Vec<String>,
}

impl From<Vec<u8>> for Rendered {
    fn from(bytes: Vec<u8>) -> Rendered {
        Rendered {
            bytes,
            warnings: Vec::new(),
        }
    }
}

/// Given a report, produce the bytes of one format.
pub trait Renderer {
    fn format(&self) -> Format;
    fn render(&self, report: &Report) -> Result<Rendered>;
}

/// The file renderers of one run, configured once and chosen by format.
pub struct Renderers<'a> {
    pub markdown: &'a MarkdownRenderer,
    pub pdf: PdfRenderer<'a>,
    pub json: JsonRenderer,
}

impl<'a> Renderers<'a> {
    pub fn new(
        markdown: &'a MarkdownRenderer,
        pdf: md2pdf::PageSize,
        fonts: Vec<std::path::PathBuf>,
    ) -> Self {
        Renderers {
            markdown,
            pdf: PdfRenderer {
                markdown,
                page_size: pdf,
                fallback_fonts: fonts,
            },
            json: JsonRenderer { pretty: true },
        }
    }

    /// A report in each of `formats`, in order. The Markdown is rendered once, and the
    /// PDF is set from that same text, so the two files cannot differ in content.
    pub fn render_all(&self, report: &Report, formats: &[Format]) -> Result<Vec<Rendered>> {
        let wants_markdown = formats
            .iter()
            .any(|f| matches!(f, Format::Markdown | Format::Pdf));
        let markdown = if wants_markdown {
            self.markdown.text(report)?
        } else {
            String::new()
        };
        formats
            .iter()
            .map(|&format| match format {
                Format::Markdown => Ok(markdown.clone().into_bytes().into()),
                Format::Pdf => self.pdf.from_markdown(report, &markdown),
                other => self.get(other)?.render(report),
            })
            .collect()
    }

    /// The renderer of a file format.
    pub fn get(&self, format: Format) -> Result<&dyn Renderer> {
        match format {
            Format::Markdown => Ok(self.markdown),
            Format::Pdf => Ok(&self.pdf),
            Format::Json => Ok(&self.json),
            Format::Terminal => Err(Error::Usage(
                "the terminal table is not written to a file".into(),
            )),
        }
    }
}
