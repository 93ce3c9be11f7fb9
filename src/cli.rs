//! What each command does, kept apart from flag parsing so tests and other tools can call
//! it. Progress goes to standard error; reports go to files or standard output.

use crate::error::{Error, Result};
use crate::evaluate::{evaluate, ProfileData};
use crate::library::Library;
use crate::output::write_atomic;
use crate::profile::Profile;
use crate::render::{JsonRenderer, MarkdownRenderer, PdfRenderer, Renderer};
use crate::report::{Lang, Report};
use std::io::Write;
use std::path::PathBuf;

/// User folders of playbooks and templates, if any.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub playbooks: Option<PathBuf>,
    pub templates: Option<PathBuf>,
}

impl Sources {
    pub fn new(playbooks: Option<PathBuf>, templates: Option<PathBuf>) -> Sources {
        Sources {
            playbooks,
            templates,
        }
    }

    /// The bundled library plus these folders.
    pub fn load(&self) -> Result<Library> {
        let mut library = Library::bundled()?;
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

/// `playbook run`: evaluate everything first, render everything, then write; a failure
/// anywhere leaves existing outputs untouched.
pub fn run(request: &RunRequest) -> Result<()> {
    let lang = parse_lang(&request.lang)?;
    let mut formats: Vec<&str> = Vec::new();
    for f in &request.formats {
        if !formats.contains(&f.as_str()) {
            formats.push(f);
        }
    }
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
    let json = JsonRenderer { pretty: true };
    for font in &request.fonts {
        if !font.is_file() {
            return Err(Error::io(
                font,
                std::io::Error::new(std::io::ErrorKind::NotFound, "font file not found"),
            ));
        }
    }
    let pdf = PdfRenderer {
        markdown: &markdown,
        page_size: match request.paper.as_str() {
            "letter" => crate::pdf::PageSize::Letter,
            _ => crate::pdf::PageSize::A4,
        },
        fallback_fonts: request.fonts.clone(),
    };
    let mut warnings: Vec<String> = Vec::new();
    let folder = request
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output"))
        .join(Profile::slug(&request.brand));
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for report in &reports {
        let template = library.playbook(&report.playbook)?.template.clone();
        let md_name = markdown.template_for(report, template.as_deref());
        let text = markdown.render_with(report, &md_name)?;
        for format in &formats {
            let bytes = match *format {
                "md" => text.clone().into_bytes(),
                "json" => json.render(report)?,
                "pdf" => {
                    let (bytes, found) = pdf.from_markdown(report, &text)?;
                    warnings.extend(
                        found
                            .into_iter()
                            .map(|w| format!("{}: {w}", report.playbook)),
                    );
                    bytes
                }
                other => {
                    return Err(Error::Usage(format!(
                        "unknown format `{other}` (use md, pdf, json)"
                    )))
                }
            };
            let name = format!("{}.{}.{}", report.playbook, lang.code(), format);
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
