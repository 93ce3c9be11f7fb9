//! `cargo run -p md2pdf --example md2pdf -- IN.md OUT.pdf`: renders a Markdown file, for
//! looking at what the engine does with a block.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, input, output] = &args[..] else {
        eprintln!("usage: md2pdf IN.md OUT.pdf");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(input).expect("readable Markdown");
    let options = md2pdf::PdfOptions {
        title: "md2pdf".into(),
        header: input.clone(),
        ..Default::default()
    };
    let pdf = md2pdf::render(&text, &options).expect("a PDF");
    std::fs::write(output, &pdf.bytes).expect("writable output");
}
