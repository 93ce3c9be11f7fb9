//! Markdown to PDF with a running header and a title: any text gives a PDF, never a panic.
//! The bundled fonts are parsed once per process, so an execution costs the layout alone.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(markdown) = std::str::from_utf8(data) else {
        return;
    };
    let options = md2pdf::PdfOptions {
        header: "Fuzz 品牌".into(),
        title: "Fuzz report 报告".into(),
        ..md2pdf::PdfOptions::default()
    };
    let pdf = md2pdf::render(markdown, &options).expect("the bundled fonts render any text");
    assert!(pdf.bytes.starts_with(b"%PDF-"));
    assert!(pdf.pages >= 1);
});
