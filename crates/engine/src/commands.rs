//! What each command does, as library functions with typed requests, so the command line,
//! tests and a web server call the same code. Progress goes to standard error; reports go
//! to files or standard output.

use crate::error::{Error, Result};
use crate::library::{Bundle, Library};
use crate::output::write_all;
use crate::profile::Profile;
use crate::render::{Format, JsonRenderer, MarkdownRenderer, Renderer, Renderers};
use crate::report::{Lang, Report};
use std::io::Write;
use std::path::{Path, PathBuf};

pub use md2pdf::PageSize;

/// The bundled playbooks and templates, and the user's folders of them, if any.
#[derive(Debug, Clone)]
pub struct Sources {
    pub bundle: Bundle,
    pub playbooks: Option<PathBuf>,
    pub templates: Option<PathBuf>,
}

impl Sources {
    pub fn new(bundle: Bundle, playbooks: Option<PathBuf>, templates: Option<PathBuf>) -> Sources {
        Sources {
            bundle,
            playbooks,
            templates,
        }
    }

    /// The bundle's library plus these folders.
    pub fn load(&self) -> Result<Library> {
        let mut library = Library::bundled(&self.bundle)?;
        if let Some(dir) = &self.playbooks {
            library.add_playbook_dir(dir)?;
        }
        if let Some(dir) = &self.templates {
            library.add_template_dir(dir)?;
        }
        Ok(library)
    }
}

/// Which playbooks a run evaluates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    All,
    One(String),
}

impl Selection {
    /// `all`, or a playbook id.
    pub fn parse(id: &str) -> Selection {
        match id {
            "all" => Selection::All,
            id => Selection::One(id.to_string()),
        }
    }
}

/// Whether the terminal table is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Colour {
    /// When standard output is a terminal, `NO_COLOR` is unset and `TERM` is not `dumb`.
    #[default]
    Auto,
    Always,
    Never,
}

impl Colour {
    fn enabled(self) -> bool {
        use std::io::IsTerminal;
        match self {
            Colour::Always => true,
            Colour::Never => false,
            Colour::Auto => {
                std::io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::env::var("TERM").map_or(true, |t| t != "dumb")
            }
        }
    }
}

/// Where and how reports are written: shared by `run` and `assess`.
#[derive(Debug, Clone)]
pub struct Outputs {
    /// File formats; duplicates are ignored, and none writes no files.
    pub formats: Vec<Format>,
    /// Defaults to `output`.
    pub out: Option<PathBuf>,
    /// Fonts for characters the bundled face lacks (PDF only).
    pub fonts: Vec<PathBuf>,
    pub page_size: PageSize,
}

impl Outputs {
    /// The formats in the order given, each once; terminal output is not a file.
    fn formats(&self) -> Result<Vec<Format>> {
        let mut formats: Vec<Format> = Vec::new();
        for &f in &self.formats {
            if f.extension().is_none() {
                return Err(Error::Usage(format!("{f:?} output is not a file format")));
            }
            if !formats.contains(&f) {
                formats.push(f);
            }
        }
        Ok(formats)
    }

    fn check_fonts(&self) -> Result<()> {
        for font in &self.fonts {
            if !font.is_file() {
                return Err(Error::io(
                    font,
                    std::io::Error::new(std::io::ErrorKind::NotFound, "font file not found"),
                ));
            }
        }
        Ok(())
    }

    /// The folder a brand's files go to: `<out>/<profile file name>/`.
    pub fn folder(&self, brand: &Path) -> PathBuf {
        self.out
            .clone()
            .unwrap_or_else(|| PathBuf::from("output"))
            .join(Profile::slug(brand))
    }

    /// Renders every report in every format, then writes the files; a failure anywhere
    /// leaves existing outputs untouched.
    fn write(&self, markdown: &MarkdownRenderer, brand: &Path, reports: &[Report]) -> Result<()> {
        let formats = self.formats()?;
        self.check_fonts()?;
        let renderers = Renderers::new(markdown, self.page_size, self.fonts.clone());
        let folder = self.folder(brand);
        let mut warnings: Vec<String> = Vec::new();
        let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
        for report in reports {
            for (&format, rendered) in formats.iter().zip(renderers.render_all(report, &formats)?) {
                warnings.extend(
                    rendered
                        .warnings
                        .into_iter()
                        .map(|w| format!("{}: {w}", report.playbook)),
                );
                files.push((folder.join(file_name(report, format)), rendered.bytes));
            }
        }
        let mut stderr = std::io::stderr().lock();
        warnings.dedup();
        for w in &warnings {
            let _ = writeln!(stderr, "warning: {w}");
        }
        write_all(&files)?;
        for (path, _) in &files {
            let _ = writeln!(stderr, "wrote {}", path.display());
        }
        Ok(())
    }
}

/// Writes to standard output. A reader that has gone away (`| head`) is a normal end,
/// not an error: the rest is dropped.
pub(crate) fn print(bytes: &[u8]) -> Result<()> {
    match std::io::stdout().lock().write_all(bytes) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::io("<stdout>", e)),
        _ => Ok(()),
    }
}

/// `<playbook>.<lang>.<ext>`.
pub fn file_name(report: &Report, format: Format) -> String {
    format!(
        "{}.{}.{}",
        report.playbook,
        report.lang.code(),
        format.extension().unwrap_or("txt")
    )
}

/// `playbook list`: one line per playbook.
pub fn list(sources: &Sources, lang: Lang) -> Result<()> {
    let library = sources.load()?;
    let width = library
        .playbooks()
        .iter()
        .map(|p| p.id.len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for p in library.playbooks() {
        out.push_str(&format!("{:width$}  {}\n", p.id, p.title_in(lang)));
    }
    print(out.as_bytes())
}

/// Evaluates the selected playbooks for one profile.
pub fn reports(
    library: &Library,
    profile: &Profile,
    selection: &Selection,
    lang: Lang,
) -> Result<Vec<Report>> {
    let data = library.brand(profile)?;
    let chosen: Vec<&crate::playbook::Playbook> = match selection {
        Selection::All => library.playbooks().iter().collect(),
        Selection::One(id) => vec![library.playbook(id)?],
    };
    chosen
        .into_iter()
        .map(|p| library.run(p, &data, lang))
        .collect()
}

/// `playbook run`.
#[derive(Debug, Clone)]
pub struct RunRequest {
    pub selection: Selection,
    pub brand: PathBuf,
    pub sessions: SessionsSource,
    pub lang: Lang,
    pub outputs: Outputs,
    pub sources: Sources,
}

/// `--sessions FILE [--columns FILE]`: per-session records from a platform's export
/// (`docs/sessions.md`), added to the profile's own.
#[derive(Debug, Clone, Default)]
pub struct SessionsSource {
    pub file: Option<PathBuf>,
    /// Extra header names: a YAML file of `field: header` or `field: [header, ...]`.
    pub columns: Option<PathBuf>,
}

impl SessionsSource {
    /// The brand's profile, with the export's sessions after its own, in start order.
    /// Columns the export has and no field reads are named once on standard error.
    pub fn profile(&self, brand: &Path) -> Result<Profile> {
        let mut profile = Profile::load(brand)?;
        let Some(file) = &self.file else {
            if self.columns.is_some() {
                return Err(Error::Usage(
                    "--columns names the headers of --sessions FILE; give that too".into(),
                ));
            }
            return Ok(profile);
        };
        let imported = crate::import::read_sessions(file, self.columns.as_deref())?;
        for warning in &imported.warnings {
            let _ = writeln!(std::io::stderr(), "warning: {warning}");
        }
        let sessions = profile.sessions.get_or_insert_with(Vec::new);
        sessions.extend(imported.sessions);
        sessions.sort_by_key(|s| s.date);
        if sessions.len() > crate::profile::MAX_LIST {
            return Err(Error::Import {
                file: file.clone(),
                message: format!(
                    "with the profile's own, {} sessions; at most {} fit the rules",
                    sessions.len(),
                    crate::profile::MAX_LIST
                ),
            });
        }
        Ok(profile)
    }
}

/// `playbook run`: evaluate everything first, render everything, then write; a failure
/// anywhere leaves existing outputs untouched. JSON alone with no output folder goes to
/// standard output, one line per report.
pub fn run(request: &RunRequest) -> Result<()> {
    let formats = request.outputs.formats()?;
    if formats.is_empty() {
        return Err(Error::Usage(
            "--format needs at least one of md, pdf, json".into(),
        ));
    }
    let library = request.sources.load()?;
    let profile = request.sessions.profile(&request.brand)?;
    let reports = reports(&library, &profile, &request.selection, request.lang)?;

    if formats == [Format::Json] && request.outputs.out.is_none() {
        let renderer = JsonRenderer { pretty: false };
        let mut lines = Vec::new();
        for report in &reports {
            lines.extend(renderer.render(report)?.bytes);
        }
        return print(&lines);
    }

    let markdown = MarkdownRenderer::for_library(&library)?;
    request.outputs.write(&markdown, &request.brand, &reports)?;
    let mut stderr = std::io::stderr().lock();
    for report in &reports {
        let _ = writeln!(
            stderr,
            "{}: {} ({} items, {} missing fields)",
            report.playbook,
            report.verdict,
            report.items.len(),
            report.needs.len()
        );
    }
    Ok(())
}

/// `playbook assess`.
#[derive(Debug, Clone)]
pub struct AssessRequest {
    pub brand: PathBuf,
    /// An earlier profile of the same brand to compare with.
    pub compare: Option<PathBuf>,
    pub lang: Lang,
    pub colour: Colour,
    pub outputs: Outputs,
    pub sources: Sources,
}

/// The playbook `assess` runs.
pub const READINESS: &str = "readiness";

/// `playbook assess`: the readiness scorecard as a table on standard output, written as a
/// report in the requested formats (none when there are none).
pub fn assess(request: &AssessRequest) -> Result<()> {
    request.outputs.formats()?;
    let lang = request.lang;
    let library = request.sources.load()?;
    let playbook = library.playbook(READINESS)?;
    let profile = Profile::load(&request.brand)?;
    let mut report = library.run(playbook, &library.brand(&profile)?, lang)?;
    if let Some(older) = &request.compare {
        let before = library.run(playbook, &library.brand(&Profile::load(older)?)?, lang)?;
        if before.brand != report.brand {
            let _ = writeln!(
                std::io::stderr(),
                "warning: {} is for `{}`, not `{}`; comparing anyway",
                older.display(),
                before.brand,
                report.brand
            );
        }
        let name = older.file_name().map_or_else(
            || older.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        report.comparison = Some(crate::assess::compare(&report, &before, &name));
    }
    let markdown = MarkdownRenderer::for_library(&library)?;
    let table = crate::render::TerminalRenderer {
        labels: markdown.labels(lang),
        colour: request.colour.enabled(),
    };
    if !request.outputs.formats.is_empty() {
        request
            .outputs
            .write(&markdown, &request.brand, std::slice::from_ref(&report))?;
    }
    print(&table.render(&report)?.bytes)
}

/// `playbook check`: every playbook compiles, names playbooks that exist, and renders in
/// both languages for a profile with nothing but a name.
pub fn check(sources: &Sources) -> Result<()> {
    let library = sources.load()?;
    let markdown = MarkdownRenderer::for_library(&library)?;
    let blank = Profile {
        brand: crate::profile::Brand {
            name: "check".into(),
            ..Default::default()
        },
        ..Default::default()
    };
    let data = library.brand(&blank)?;
    for playbook in library.playbooks() {
        for (id, field, location) in &playbook.references {
            if library.playbook(id).is_err() {
                let known: Vec<&str> = library.playbooks().iter().map(|p| p.id.as_str()).collect();
                let hint = match crate::suggest::nearest(id, known.iter().copied()) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("there are: {}", known.join(", ")),
                };
                return Err(Error::Playbook {
                    location: location.clone(),
                    message: format!("`{field}: {id}` names no playbook; {hint}"),
                });
            }
        }
        for lang in Lang::ALL {
            let report = library.run(playbook, &data, lang)?;
            markdown.text(&report)?;
        }
    }
    print(
        format!(
            "ok: {} playbooks and {} templates checked\n",
            library.playbooks().len(),
            library.templates().len()
        )
        .as_bytes(),
    )
}
