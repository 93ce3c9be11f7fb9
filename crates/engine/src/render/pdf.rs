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

impl PdfRenderer<'_> {
    /// The PDF of a report whose Markdown is already rendered. Warnings (characters no font
    /// can draw) are returned beside the bytes.
    pub fn from_markdown(&self, report: &Report, markdown: &str) -> Result<Rendered> {
        let options = PdfOptions {
            page_size: self.page_size,
            title: report.title.clone(),
            header: report.brand.clone(),
            subject: format!("{} · {}", report.title, report.verdict_label),
            author: "playbook".into(),
            language: match report.lang {
                Lang::Zh => "zh-CN".into(),
                Lang::En => "en".into(),
            },
            date: None,
            fallback_fonts: self.fallback_fonts.clone(),
            primary: None,
            accent: None,
            logo: None,
        };
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
