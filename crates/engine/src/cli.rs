//! What each command does, kept apart from flag parsing so tests and other tools can call
//! it. Progress goes to standard error; reports go to files or standard output.

use crate::error::{Error, Result};
use crate::evaluate::{evaluate, ProfileData};
use crate::library::{Bundle, Library};
use crate::output::write_atomic;
use crate::profile::Profile;
use crate::render::{JsonRenderer, MarkdownRenderer, PdfRenderer, Renderer};
use crate::report::{Lang, Report};
use std::io::Write;
use std::path::PathBuf;

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

/// `playbook run`.
#[derive(Debug, Clone)]
pub struct RunRequest {
    pub id: String,
    pub brand: PathBuf,
    pub lang: String,
    pub formats: Vec<String>,
    pub out: Option<PathBuf>,
    pub fonts: Vec<PathBuf>,
    /// `a4` or `letter`.
    pub paper: String,
    pub sources: Sources,
}

fn parse_lang(code: &str) -> Result<Lang> {
    Lang::parse(code)
        .ok_or_else(|| Error::Usage(format!("unknown language `{code}` (use zh or en)")))
}

/// `playbook list`: one line per playbook.
pub fn list(sources: &Sources, lang: &str) -> Result<()> {
    let lang = parse_lang(lang)?;
    let library = sources.load()?;
    let width = library
        .playbooks()
        .iter()
        .map(|p| p.id.len())
        .max()
        .unwrap_or(0);
    let mut out = std::io::stdout().lock();
    for p in library.playbooks() {
        writeln!(out, "{:width$}  {}", p.id, p.title_in(lang))
            .map_err(|e| Error::io("<stdout>", e))?;
    }
    Ok(())
}

/// Evaluates the requested playbooks for one profile.
pub fn reports(library: &Library, profile: &Profile, id: &str, lang: Lang) -> Result<Vec<Report>> {
    let data = ProfileData::new(profile);
    let chosen: Vec<&crate::playbook::Playbook> = if id == "all" {
        library.playbooks().iter().collect()
    } else {
        vec![library.playbook(id)?]
    };
    chosen
        .into_iter()
        .map(|p| evaluate(&library.engine, p, &data, lang))
        .collect()
}

/// Where and how reports are written: shared by `run` and `assess`.
#[derive(Debug, Clone)]
pub struct Outputs {
    /// md, pdf, json; duplicates are ignored.
    pub formats: Vec<String>,
    pub out: Option<PathBuf>,
    pub fonts: Vec<PathBuf>,
    /// `a4` or `letter`.
    pub paper: String,
}

impl Outputs {
    fn formats(&self) -> Result<Vec<&str>> {
        let mut formats: Vec<&str> = Vec::new();
        for f in &self.formats {
            if !["md", "pdf", "json"].contains(&f.as_str()) {
                return Err(Error::Usage(format!(
                    "unknown format `{f}` (use md, pdf, json)"
                )));
            }
            if !formats.contains(&f.as_str()) {
                formats.push(f);
            }
        }
        Ok(formats)
    }

    /// Renders every report in every format, then writes the files; a failure anywhere
    /// leaves existing outputs untouched.
    fn write(
        &self,
        library: &Library,
        markdown: &MarkdownRenderer,
        brand: &std::path::Path,
        reports: &[Report],
    ) -> Result<()> {
        let formats = self.formats()?;
        let json = JsonRenderer { pretty: true };
        for font in &self.fonts {
            if !font.is_file() {
                return Err(Error::io(
                    font,
                    std::io::Error::new(std::io::ErrorKind::NotFound, "font file not found"),
                ));
            }
        }
        let pdf = PdfRenderer {
            markdown,
            page_size: match self.paper.as_str() {
                "letter" => md2pdf::PageSize::Letter,
                _ => md2pdf::PageSize::A4,
            },
            fallback_fonts: self.fonts.clone(),
        };
        let mut warnings: Vec<String> = Vec::new();
        let folder = self
            .out
            .clone()
            .unwrap_or_else(|| PathBuf::from("output"))
            .join(Profile::slug(brand));
        let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
        for report in reports {
            let template = library.playbook(&report.playbook)?.template.clone();
            let md_name = markdown.template_for(report, template.as_deref());
            let text = markdown.render_with(report, &md_name)?;
            for format in &formats {
                let bytes = match *format {
                    "md" => text.clone().into_bytes(),
                    "json" => json.render(report)?,
                    _ => {
                        let (bytes, found) = pdf.from_markdown(report, &text)?;
                        warnings.extend(
                            found
                                .into_iter()
                                .map(|w| format!("{}: {w}", report.playbook)),
                        );
                        bytes
                    }
                };
                let name = format!("{}.{}.{}", report.playbook, report.lang.code(), format);
                files.push((folder.join(name), bytes));
            }
        }
        let mut stderr = std::io::stderr().lock();
        warnings.dedup();
        for w in &warnings {
            let _ = writeln!(stderr, "warning: {w}");
        }
        for (path, bytes) in &files {
            write_atomic(path, bytes)?;
            let _ = writeln!(stderr, "wrote {}", path.display());
        }
        Ok(())
    }
}

/// `playbook run`: evaluate everything first, render everything, then write; a failure
/// anywhere leaves existing outputs untouched.
pub fn run(request: &RunRequest) -> Result<()> {
    let lang = parse_lang(&request.lang)?;
    let outputs = Outputs {
        formats: request.formats.clone(),
        out: request.out.clone(),
        fonts: request.fonts.clone(),
        paper: request.paper.clone(),
    };
    let formats = outputs.formats()?;
    if formats.is_empty() {
        return Err(Error::Usage(
            "--format needs at least one of md, pdf, json".into(),
        ));
    }
    let library = request.sources.load()?;
    let profile = Profile::load(&request.brand)?;
    let reports = reports(&library, &profile, &request.id, lang)?;

    if formats == ["json"] && request.out.is_none() {
        let renderer = JsonRenderer { pretty: false };
        let mut stdout = std::io::stdout().lock();
        for report in &reports {
            stdout
                .write_all(&renderer.render(report)?)
                .map_err(|e| Error::io("<stdout>", e))?;
        }
        return Ok(());
    }

    let markdown = MarkdownRenderer::new(library.templates())?;
    outputs.write(&library, &markdown, &request.brand, &reports)?;
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
    pub lang: String,
    /// Colour in the terminal table: `auto` (when standard output is a terminal and
    /// `NO_COLOR` is unset), `always` or `never`.
    pub colour: String,
    pub outputs: Outputs,
    pub sources: Sources,
}

/// The playbook `assess` runs.
pub const READINESS: &str = "readiness";

/// `playbook assess`: the readiness scorecard as a table on standard output, written as a
/// report in the requested formats (none when `--format` is empty).
pub fn assess(request: &AssessRequest) -> Result<()> {
    use std::io::IsTerminal;
    let lang = parse_lang(&request.lang)?;
    request.outputs.formats()?;
    let library = request.sources.load()?;
    let playbook = library.playbook(READINESS)?;
    let profile = Profile::load(&request.brand)?;
    let mut report = evaluate(&library.engine, playbook, &ProfileData::new(&profile), lang)?;
    if let Some(older) = &request.compare {
        let before = evaluate(
            &library.engine,
            playbook,
            &ProfileData::new(&Profile::load(older)?),
            lang,
        )?;
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
    let colour = match request.colour.as_str() {
        "always" => true,
        "never" => false,
        _ => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |t| t != "dumb")
        }
    };
    let markdown = MarkdownRenderer::new(library.templates())?;
    let table = crate::render::TerminalRenderer {
        labels: markdown.labels(lang),
        colour,
    };
    if !request.outputs.formats.is_empty() {
        request.outputs.write(
            &library,
            &markdown,
            &request.brand,
            std::slice::from_ref(&report),
        )?;
    }
    std::io::stdout()
        .lock()
        .write_all(&table.render(&report)?)
        .map_err(|e| Error::io("<stdout>", e))?;
    Ok(())
}

/// `playbook check`: every playbook compiles, and renders in both languages both for a
/// profile with nothing but a name and for each bundled example.
pub fn check(sources: &Sources) -> Result<()> {
    let library = sources.load()?;
    let markdown = MarkdownRenderer::new(library.templates())?;
    let blank = Profile {
        brand: crate::profile::Brand {
            name: "check".into(),
            ..Default::default()
        },
        ..Default::default()
    };
    let data = ProfileData::new(&blank);
    for playbook in library.playbooks() {
        for (id, location) in &playbook.references {
            if library.playbook(id).is_err() {
                let known: Vec<&str> = library.playbooks().iter().map(|p| p.id.as_str()).collect();
                let hint = match crate::suggest::nearest(id, known.iter().copied()) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("there are: {}", known.join(", ")),
                };
                return Err(Error::Playbook {
                    location: location.clone(),
                    message: format!("`covered_by: {id}` names no playbook; {hint}"),
                });
            }
        }
        for lang in Lang::ALL {
            let report = evaluate(&library.engine, playbook, &data, lang)?;
            let template = markdown.template_for(&report, playbook.template.as_deref());
            markdown.render_with(&report, &template)?;
        }
    }
    println!(
        "ok: {} playbooks and {} templates checked",
        library.playbooks().len(),
        library.templates().len()
    );
    Ok(())
}
