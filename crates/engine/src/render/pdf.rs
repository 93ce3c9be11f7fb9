//! PDF: the report's Markdown through the Markdown-to-PDF engine in the `md2pdf` crate.

use super::{Format, MarkdownRenderer, Rendered, Renderer};
use crate::error::{Error, Result};
use crate::report::{Lang, Report};
use md2pdf::{PageSize, PdfOptions};
use std::path::PathBuf;

/// Renders reports as PDF documents.
pub struct PdfRenderer<'a> {
    pub markdown: &'a MarkdownRenderer,
    pub page_size: PageSize,
    /// Fonts for characters the bundled face lacks (`--font`).
    pub fallback_fonts: Vec<PathBuf>,
}

/// The PDF engine's options for a document of the project's own (a report, the
/// portfolio, a readiness history): no theme colours, no logo, no date.
pub fn options(
    title: &str,
    header: &str,
    subject: &str,
    lang: Lang,
    page_size: PageSize,
    fallback_fonts: &[PathBuf],
) -> PdfOptions {
    PdfOptions {
        page_size,
        title: title.into(),
        header: header.into(),
        subject: subject.into(),
        author: "playbook".into(),
        language: match lang {
            Lang::Zh => "zh-CN".into(),
            Lang::En => "en".into(),
        },
        date: None,
        fallback_fonts: fallback_fonts.to_vec(),
        primary: None,
        accent: None,
        logo: None,
    }
}

impl PdfRenderer<'_> {
    /// The PDF of a report whose Markdown is already rendered. Warnings (characters no font
    /// can draw) are returned beside the bytes.
    pub fn from_markdown(&self, report: &Report, markdown: &str) -> Result<Rendered> {
        let options = options(
            &report.title,
            &report.brand,
            &format!("{} · {}", report.title, report.verdict_label),
            report.lang,
            self.page_size,
            &self.fallback_fonts,
        );
        let pdf = md2pdf::render(markdown, &options).map_err(|e| Error::Pdf(e.to_string()))?;
        Ok(Rendered {
            bytes: pdf.bytes,
            warnings: pdf.warnings,
        })
    }
}

impl Renderer for PdfRenderer<'_> {
    fn format(&self) -> Format {
        Format::Pdf
    }

    fn render(&self, report: &Report) -> Result<Rendered> {
        let markdown = self.markdown.text(report)?;
        self.from_markdown(report, &markdown)
    }
}
