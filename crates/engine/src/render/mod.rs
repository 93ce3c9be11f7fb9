//! Renderers: each turns a [`Report`] into the bytes of one output format.

mod json;
mod markdown;
mod pdf;
mod terminal;
pub mod width;

pub use json::JsonRenderer;
pub use markdown::{escape_markdown, MarkdownRenderer};
pub use pdf::PdfRenderer;
pub use terminal::TerminalRenderer;

use crate::error::Result;
use crate::report::Report;

/// Given a report, produce the bytes of one file format.
pub trait Renderer {
    /// File extension of the output, without the dot.
    fn extension(&self) -> &'static str;
    fn render(&self, report: &Report) -> Result<Vec<u8>>;
}
