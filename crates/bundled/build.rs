//! Embeds the repository's `playbooks/` and `templates/` folders, so the binary runs from
//! any directory. Paths are recorded relative to the repository root
//! (`playbooks/pricing.yaml`), as a user would see them.
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let root = manifest.join("../..");
    let mut out = String::new();
    for (name, dir) in [("PLAYBOOKS", "playbooks"), ("TEMPLATES", "templates")] {
        let folder = root.join(dir);
        println!("cargo:rerun-if-changed={}", folder.display());
        let mut files: Vec<String> = walkdir::WalkDir::new(&folder)
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
                // Hidden files stay out, and so do playbook tests (`*.test.yaml`): the
                // binary runs playbooks; their tests run from the folder.
                let test = rel.ends_with(".test.yaml") || rel.ends_with(".test.yml");
                (!test && !rel.split('/').any(|p| p.starts_with('.'))).then_some(rel)
            })
            .collect();
        files.sort();
        writeln!(
            out,
            "/// `(path, text)` of every file under `{dir}/`, sorted by path."
        )
        .unwrap();
        writeln!(out, "pub static {name}: &[(&str, &str)] = &[").unwrap();
        for rel in files {
            let abs = root.join(&rel);
            println!("cargo:rerun-if-changed={}", abs.display());
            let abs = abs.canonicalize().expect("a listed file exists");
            writeln!(
                out,
                "    ({rel:?}, include_str!({:?})),",
                abs.display().to_string()
            )
            .unwrap();
        }
        writeln!(out, "];").unwrap();
    }
    let dest = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("bundled.rs");
    std::fs::write(dest, out).expect("write bundled.rs");
}
