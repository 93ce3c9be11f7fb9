//! Embeds the bundled playbooks and templates so the binary runs from any directory.
use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let mut out = String::new();
    for (name, dir) in [("PLAYBOOKS", "playbooks"), ("TEMPLATES", "templates")] {
        println!("cargo:rerun-if-changed={dir}");
        let mut files: Vec<String> = walkdir::WalkDir::new(Path::new(&root).join(dir))
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_file())
            .filter_map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(&root)
                    .ok()?
                    .to_string_lossy()
                    .replace('\\', "/");
                (!rel.split('/').any(|p| p.starts_with('.'))).then_some(rel)
            })
            .collect();
        files.sort();
        writeln!(out, "pub static {name}: &[(&str, &str)] = &[").unwrap();
        for rel in files {
            println!("cargo:rerun-if-changed={rel}");
            writeln!(
                out,
                "    ({rel:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/{rel}\"))),"
            )
            .unwrap();
        }
        writeln!(out, "];").unwrap();
    }
    let dest = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("bundled.rs");
    std::fs::write(dest, out).expect("write bundled.rs");
}
