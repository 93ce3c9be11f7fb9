//! The playbooks and templates a run can use: the bundled ones, embedded in the binary,
//! plus any from user folders, which add to them or replace them by id (playbooks) or by
//! name (templates).

use crate::error::{Error, Result};
use crate::playbook::{Playbook, Shared};
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
    /// Shipped with the tool, not read from a user's `--templates` folder.
    pub bundled: bool,
}

/// The shared layer's two files in a playbooks folder: facts and assumptions, and the
/// glossary.
pub const FACTS_FILE: &str = "facts.yaml";
pub const GLOSSARY_FILE: &str = "glossary.yaml";

/// Everything loaded for a run: one rule engine, the shared layer, compiled playbooks,
/// template sources.
pub struct Library {
    pub engine: Engine,
    shared: Shared,
    /// The shared layer's sources, so a folder can replace one and recompile.
    shared_sources: [(PathBuf, String); 2],
    /// Every playbook's source, so a new shared layer can recompile them.
    sources: Vec<(PathBuf, String)>,
    playbooks: Vec<Playbook>,
    templates: Vec<TemplateFile>,
}

/// A playbook file: `*.yaml` or `*.yml`, but not a test file (`*.test.yaml`).
fn is_playbook_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    ) && !crate::testing::is_test_file(path)
}

/// Whether `name` (relative to a playbooks folder) is one of the shared layer's files.
fn shared_index(name: &str) -> Option<usize> {
    match name {
        FACTS_FILE => Some(0),
        GLOSSARY_FILE => Some(1),
        _ => None,
    }
}

impl Library {
    /// The playbooks and templates of a bundle.
    pub fn bundled(bundle: &Bundle) -> Result<Library> {
        let mut shared_sources: [(PathBuf, String); 2] = Default::default();
        for (path, text) in bundle.playbooks {
            let name = path.strip_prefix("playbooks/").unwrap_or(path);
            if let Some(i) = shared_index(name) {
                shared_sources[i] = (PathBuf::from(path), text.to_string());
            }
        }
        for (i, name) in [FACTS_FILE, GLOSSARY_FILE].iter().enumerate() {
            if shared_sources[i].0.as_os_str().is_empty() {
                shared_sources[i] = (PathBuf::from(format!("playbooks/{name}")), String::new());
            }
        }
        let engine = crate::rules::engine();
        let shared = compile_shared(&engine, &shared_sources)?;
        let mut library = Library {
            engine,
            shared,
            shared_sources,
            sources: Vec::new(),
            playbooks: Vec::new(),
            templates: Vec::new(),
        };
        for (path, text) in bundle.playbooks {
            let name = path.strip_prefix("playbooks/").unwrap_or(path);
            if is_playbook_file(Path::new(path)) && shared_index(name).is_none() {
                library.add_playbook(Path::new(path), text)?;
            }
        }
        for (path, text) in bundle.templates {
            let name = path.strip_prefix("templates/").unwrap_or(path);
            library.add_template(name, Path::new(path), text.to_string(), true);
        }
        Ok(library)
    }

    fn add_playbook(&mut self, file: &Path, text: &str) -> Result<String> {
        let playbook = Playbook::compile(&self.engine, &self.shared, file, text)?;
        self.sources.push((file.to_path_buf(), text.to_string()));
        let id = playbook.id.clone();
        match self.playbooks.iter_mut().find(|p| p.id == id) {
            Some(existing) => *existing = playbook,
            None => self.playbooks.push(playbook),
        }
        self.playbooks.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(id)
    }

    fn add_template(&mut self, name: &str, source: &Path, text: String, bundled: bool) {
        let file = TemplateFile {
            name: name.to_string(),
            source: source.to_path_buf(),
            text,
            bundled,
        };
        match self.templates.iter_mut().find(|t| t.name == name) {
            Some(existing) => *existing = file,
            None => self.templates.push(file),
        }
    }

    /// Adds every `*.yaml` playbook under `dir` (recursively), replacing bundled ones with
    /// the same id. Two files in `dir` with one id is an error.
    /// A `facts.yaml` or `glossary.yaml` at the folder's top replaces the shared layer's
    /// file, and every playbook is compiled again against it.
    pub fn add_playbook_dir(&mut self, dir: &Path) -> Result<()> {
        let files = files_under(dir)?;
        let mut replaced = false;
        for path in &files {
            let name = path.strip_prefix(dir).unwrap_or(path).to_string_lossy();
            if let Some(i) = shared_index(&name) {
                self.shared_sources[i] = (path.clone(), read_text(path)?);
                replaced = true;
            }
        }
        if replaced {
            self.shared = compile_shared(&self.engine, &self.shared_sources)?;
            let sources = std::mem::take(&mut self.sources);
            self.playbooks.clear();
            for (file, text) in sources {
                self.add_playbook(&file, &text)?;
            }
        }
        let mut seen: Vec<(String, PathBuf)> = Vec::new();
        for path in files {
            let name = path.strip_prefix(dir).unwrap_or(&path).to_string_lossy();
            if !is_playbook_file(&path) || shared_index(&name).is_some() {
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
            self.add_template(&name, &path, text, false);
        }
        Ok(())
    }

    /// The shared layer: assumptions, facts and glossary.
    pub fn shared(&self) -> &Shared {
        &self.shared
    }

    /// A profile turned into what every playbook reads: its sections, the assumptions in
    /// force and the shared facts, computed once.
    pub fn brand(&self, profile: &crate::profile::Profile) -> Result<crate::facts::ProfileData> {
        crate::evaluate::brand_facts(&self.engine, &self.shared, profile)
    }

    /// Runs one playbook on a brand: [`crate::evaluate::evaluate`], with the playbook to
    /// read instead named by its title.
    pub fn run(
        &self,
        playbook: &Playbook,
        data: &crate::facts::ProfileData,
        lang: crate::report::Lang,
    ) -> Result<crate::report::Report> {
        let mut report =
            crate::evaluate::evaluate(&self.engine, &self.shared, playbook, data, lang)?;
        let title = |id: &str| {
            self.playbooks
                .iter()
                .find(|p| p.id == id)
                .map(|p| p.title_in(lang).to_string())
        };
        if let Some(other) = &mut report.read_instead {
            if let Some(t) = title(&other.id) {
                other.title = t;
            }
        }
        // A pointer to a playbook that does not fit this brand would send the reader to
        // a page that says "not applicable": drop it.
        let mut fits: Vec<(String, bool)> = Vec::new();
        for item in &mut report.items {
            let Some(id) = item.covered_by.clone() else {
                continue;
            };
            let known = fits.iter().find(|(i, _)| *i == id).map(|(_, f)| *f);
            let fit = match known {
                Some(f) => f,
                None => {
                    let f = match self.playbooks.iter().find(|p| p.id == id) {
                        Some(p) => crate::evaluate::fits(&self.engine, p, data),
                        None => true,
                    };
                    fits.push((id.clone(), f));
                    f
                }
            };
            if fit {
                item.covered_by_title = title(&id);
            } else {
                item.covered_by = None;
            }
        }
        Ok(report)
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

fn compile_shared(engine: &Engine, sources: &[(PathBuf, String); 2]) -> Result<Shared> {
    let [(facts_path, facts), (glossary_path, glossary)] = sources;
    Shared::compile(
        engine,
        (facts_path.as_path(), facts.as_str()),
        (glossary_path.as_path(), glossary.as_str()),
    )
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

/// The largest playbook or template file read from a folder: a real one is a few tens of
/// KB, and YAML or a template much larger is a mistake (or an attack on memory).
pub const MAX_SOURCE_BYTES: u64 = 1024 * 1024;

fn read_text(path: &Path) -> Result<String> {
    let whole_file = |message: String| Error::Playbook {
        location: crate::error::Location::file(path),
        message,
    };
    let Some(bytes) = crate::profile::read_capped(path, MAX_SOURCE_BYTES)? else {
        return Err(whole_file(format!(
            "larger than {} MB; a playbook or template is a few tens of KB",
            MAX_SOURCE_BYTES / (1024 * 1024)
        )));
    };
    let text = String::from_utf8(bytes).map_err(|_| whole_file("not UTF-8 text".into()))?;
    if let Some((line, column)) = crate::profile::too_deep(&text, crate::profile::MAX_NESTING) {
        return Err(Error::Playbook {
            location: crate::error::Location::at(path, line, column),
            message: format!(
                "brackets nested more than {} deep",
                crate::profile::MAX_NESTING
            ),
        });
    }
    Ok(text)
}
