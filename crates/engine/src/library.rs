//! The playbooks and templates a run can use: the bundled ones, embedded in the binary,
//! plus any from user folders, which add to them or replace them by id (playbooks) or by
//! name (templates).

use crate::error::{Error, Result};
use crate::playbook::Playbook;
use rhai::Engine;
use std::path::{Path, PathBuf};

/// Playbooks and templates compiled into a program: `(path, text)` pairs, paths relative
/// to the folder that holds `playbooks/` and `templates/` (the `playbook-bundled` crate
/// provides the project's own).
#[derive(Debug, Clone, Copy, Default)]
pub struct Bundle {
    pub playbooks: &'static [(&'static str, &'static str)],
    pub templates: &'static [(&'static str, &'static str)],
}

/// A template file: its name relative to the templates folder, and its text.
#[derive(Debug, Clone)]
pub struct TemplateFile {
    pub name: String,
    pub source: PathBuf,
    pub text: String,
}

/// Everything loaded for a run: one rule engine, compiled playbooks, template sources.
pub struct Library {
    pub engine: Engine,
    playbooks: Vec<Playbook>,
    templates: Vec<TemplateFile>,
}

fn is_playbook_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}

impl Library {
    /// The playbooks and templates of a bundle.
    pub fn bundled(bundle: &Bundle) -> Result<Library> {
        let mut library = Library {
            engine: crate::rules::engine(),
            playbooks: Vec::new(),
            templates: Vec::new(),
        };
        for (path, text) in bundle.playbooks {
            if is_playbook_file(Path::new(path)) {
                library.add_playbook(Path::new(path), text)?;
            }
        }
        for (path, text) in bundle.templates {
            let name = path.strip_prefix("templates/").unwrap_or(path);
            library.add_template(name, Path::new(path), text.to_string());
        }
        Ok(library)
    }

    fn add_playbook(&mut self, file: &Path, text: &str) -> Result<String> {
        let playbook = Playbook::compile(&self.engine, file, text)?;
        let id = playbook.id.clone();
        match self.playbooks.iter_mut().find(|p| p.id == id) {
            Some(existing) => *existing = playbook,
            None => self.playbooks.push(playbook),
        }
        self.playbooks.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(id)
    }

    fn add_template(&mut self, name: &str, source: &Path, text: String) {
        let file = TemplateFile {
            name: name.to_string(),
            source: source.to_path_buf(),
            text,
        };
        match self.templates.iter_mut().find(|t| t.name == name) {
            Some(existing) => *existing = file,
            None => self.templates.push(file),
        }
    }

    /// Adds every `*.yaml` playbook under `dir` (recursively), replacing bundled ones with
    /// the same id. Two files in `dir` with one id is an error.
    pub fn add_playbook_dir(&mut self, dir: &Path) -> Result<()> {
        let mut seen: Vec<(String, PathBuf)> = Vec::new();
        for path in files_under(dir)? {
            if !is_playbook_file(&path) {
                continue;
            }
            let text = read_text(&path)?;
            let id = self.add_playbook(&path, &text)?;
            if let Some((_, other)) = seen.iter().find(|(i, _)| *i == id) {
                return Err(Error::Playbook {
                    location: crate::error::Location::file(&path),
                    message: format!(
                        "playbook id `{id}` is also used by {}; ids must be unique",
                        other.display()
                    ),
                });
            }
            seen.push((id, path));
        }
        Ok(())
    }

    /// Adds every file under `dir` as a template named by its path relative to `dir`.
    pub fn add_template_dir(&mut self, dir: &Path) -> Result<()> {
        for path in files_under(dir)? {
            let name = path
                .strip_prefix(dir)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            let text = read_text(&path)?;
            self.add_template(&name, &path, text);
        }
        Ok(())
    }

    /// All playbooks, sorted by id.
    pub fn playbooks(&self) -> &[Playbook] {
        &self.playbooks
    }

    pub fn playbook(&self, id: &str) -> Result<&Playbook> {
        self.playbooks.iter().find(|p| p.id == id).ok_or_else(|| {
            let ids: Vec<&str> = self.playbooks.iter().map(|p| p.id.as_str()).collect();
            let hint = crate::suggest::nearest(id, ids.iter().copied())
                .map(|b| format!("did you mean `{b}`? "))
                .unwrap_or_default();
            Error::Usage(format!(
                "no playbook `{id}`; {hint}(available: {}; `playbook list` shows them)",
                ids.join(", ")
            ))
        })
    }

    pub fn templates(&self) -> &[TemplateFile] {
        &self.templates
    }
}

/// Files under `dir`, in a stable order, skipping hidden ones.
fn files_under(dir: &Path) -> Result<Vec<PathBuf>> {
    if !dir.is_dir() {
        return Err(Error::io(
            dir,
            std::io::Error::new(std::io::ErrorKind::NotFound, "not a folder"),
        ));
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            let path = e
                .path()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| dir.to_path_buf());
            Error::io(path, e.into())
        })?;
        let hidden = entry
            .path()
            .strip_prefix(dir)
            .map(|rel| {
                rel.components()
                    .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
            })
            .unwrap_or(false);
        if entry.file_type().is_file() && !hidden {
            files.push(entry.into_path());
        }
    }
    Ok(files)
}

fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    String::from_utf8(bytes).map_err(|_| Error::Playbook {
        location: crate::error::Location::file(path),
        message: "not UTF-8 text".into(),
    })
}
