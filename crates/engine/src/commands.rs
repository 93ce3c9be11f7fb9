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
        let (files, warnings) = self.render(markdown, brand, reports)?;
        let mut stderr = std::io::stderr().lock();
        for w in &warnings {
            let _ = writeln!(stderr, "warning: {w}");
        }
        write_all(&files)?;
        for (path, _) in &files {
            let _ = writeln!(stderr, "wrote {}", path.display());
        }
        Ok(())
    }

    /// Every report in every format, as the files to write and the renderers' warnings.
    fn render(
        &self,
        markdown: &MarkdownRenderer,
        brand: &Path,
        reports: &[Report],
    ) -> Result<(Files, Vec<String>)> {
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
        warnings.dedup();
        Ok((files, warnings))
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

/// Files to write: each path with its bytes.
type Files = Vec<(PathBuf, Vec<u8>)>;

/// `playbook run`.
#[derive(Debug, Clone)]
pub struct RunRequest {
    pub selection: Selection,
    /// Profiles, and folders whose `*.yaml` files are profiles (see [`brand_files`]).
    pub brands: Vec<PathBuf>,
    pub sessions: SessionsSource,
    pub lang: Lang,
    pub outputs: Outputs,
    pub sources: Sources,
    pub batch: Batch,
}

/// How several brands are run: on how many threads, and whether progress is shown.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    /// Threads; all cores when `None`.
    pub jobs: Option<usize>,
    /// No progress bar and no per-file lines, only errors and the summary.
    pub quiet: bool,
}

/// The profiles named: each file as given, and for a folder every `*.yaml` in it (not
/// below it), sorted by name. Two profiles that would write to the same `<out>/<brand>/`
/// are refused before anything runs.
pub fn brand_files(args: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for arg in args {
        if arg.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(arg)
                .map_err(|e| Error::io(arg, e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "yaml"))
                .collect();
            if found.is_empty() {
                return Err(Error::Usage(format!(
                    "{}: the folder holds no profile (*.yaml)",
                    arg.display()
                )));
            }
            found.sort();
            out.extend(found);
        } else {
            out.push(arg.clone());
        }
    }
    let mut seen: Vec<(String, &PathBuf)> = Vec::new();
    for path in &out {
        let slug = Profile::slug(path);
        if let Some((_, first)) = seen.iter().find(|(s, _)| *s == slug) {
            return Err(Error::Usage(format!(
                "{} and {} would both write to <out>/{slug}/: rename one of them",
                first.display(),
                path.display()
            )));
        }
        seen.push((slug, path));
    }
    Ok(out)
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
    let brands = brand_files(&request.brands)?;
    let single = brands.len() == 1 && !request.brands.iter().any(|b| b.is_dir());
    if !single {
        return run_batch(request, &brands, &formats);
    }
    let brand = &brands[0];
    let library = request.sources.load()?;
    let profile = request.sessions.profile(brand)?;
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
    request.outputs.write(&markdown, brand, &reports)?;
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

/// What one brand of a batch gave: its reports' verdicts and the files or lines written.
struct BrandRun {
    verdicts: Vec<(String, String)>,
    files: usize,
    warnings: Vec<String>,
    json: Vec<u8>,
    /// The brand's line in the portfolio overview, and its blocked readiness checks.
    row: crate::portfolio::Row,
    blockers: Vec<String>,
}

/// Several brands, in parallel. Each brand's playbooks and files are its own, so the
/// bytes written do not depend on the number of threads; what goes to the terminal is
/// printed in the brands' order once all have run. A bad profile stops only itself.
fn run_batch(request: &RunRequest, brands: &[PathBuf], formats: &[Format]) -> Result<()> {
    use rayon::prelude::*;
    if request.sessions.file.is_some() {
        return Err(Error::Usage(
            "--sessions belongs to one brand; with several brands, put each brand's sessions in its profile".into(),
        ));
    }
    // Compiled once here, so a bad playbook is one error rather than one per brand; each
    // thread then compiles its own copy (the rule engine is not shared across threads).
    request.sources.load()?;
    let to_stdout = formats == [Format::Json] && request.outputs.out.is_none();
    let jobs = request
        .batch
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .clamp(1, brands.len().max(1));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| Error::Usage(format!("--jobs {jobs}: {e}")))?;
    let bar = progress_bar(brands.len(), request.batch.quiet);
    let results: Vec<Result<BrandRun>> = pool.install(|| {
        brands
            .par_iter()
            .map_init(
                || {
                    let library = request.sources.load();
                    let markdown = library.as_ref().ok().map(MarkdownRenderer::for_library);
                    (library, markdown)
                },
                |(library, markdown), brand| {
                    let result = (|| {
                        let library = library.as_ref().map_err(|e| Error::Usage(e.to_string()))?;
                        let markdown = match markdown {
                            Some(Ok(m)) => m,
                            Some(Err(e)) => return Err(Error::Usage(e.to_string())),
                            None => return Err(Error::Usage("no templates".into())),
                        };
                        run_one(request, library, markdown, brand, to_stdout)
                    })();
                    bar.inc(1);
                    result
                },
            )
            .collect()
    });
    bar.finish_and_clear();

    let mut stderr = std::io::stderr().lock();
    let mut lines = Vec::new();
    let (mut written, mut failed) = (0usize, 0usize);
    let (mut rows, mut blockers) = (Vec::new(), Vec::new());
    for (brand, result) in brands.iter().zip(results) {
        match result {
            Ok(run) => {
                written += 1;
                lines.extend(run.json);
                rows.push(run.row);
                blockers.push(run.blockers);
                for w in &run.warnings {
                    let _ = writeln!(stderr, "warning: {}: {w}", brand.display());
                }
                if !request.batch.quiet {
                    let _ = writeln!(
                        stderr,
                        "{}: {} {}, {} files",
                        brand.display(),
                        run.verdicts.len(),
                        if run.verdicts.len() == 1 {
                            "report"
                        } else {
                            "reports"
                        },
                        run.files
                    );
                }
            }
            Err(e) => {
                failed += 1;
                let _ = writeln!(stderr, "error: {e}");
            }
        }
    }
    let _ = writeln!(
        stderr,
        "{} brands: {written} written, {failed} failed ({jobs} {})",
        brands.len(),
        if jobs == 1 { "thread" } else { "threads" }
    );
    if !to_stdout && !rows.is_empty() {
        let portfolio = crate::portfolio::build(rows, blockers, request.lang);
        let out = request
            .outputs
            .out
            .clone()
            .unwrap_or_else(|| PathBuf::from("output"));
        let files = crate::portfolio::files(
            &portfolio,
            &out,
            formats,
            request.outputs.page_size,
            &request.outputs.fonts,
        )?;
        write_all(&files)?;
        if !request.batch.quiet {
            for (path, _) in &files {
                let _ = writeln!(stderr, "wrote {}", path.display());
            }
        }
    }
    drop(stderr);
    if to_stdout {
        print(&lines)?;
    }
    if failed > 0 {
        return Err(Error::BatchFailed {
            failed,
            total: brands.len(),
        });
    }
    Ok(())
}

/// One brand of a batch: its reports evaluated, rendered and written (or its JSON lines).
fn run_one(
    request: &RunRequest,
    library: &Library,
    markdown: &MarkdownRenderer,
    brand: &Path,
    to_stdout: bool,
) -> Result<BrandRun> {
    let profile = Profile::load(brand)?;
    let data = library.brand(&profile)?;
    let chosen: Vec<&crate::playbook::Playbook> = match &request.selection {
        Selection::All => library.playbooks().iter().collect(),
        Selection::One(id) => vec![library.playbook(id)?],
    };
    let reports = chosen
        .into_iter()
        .map(|p| library.run(p, &data, request.lang))
        .collect::<Result<Vec<Report>>>()?;
    let verdicts = reports
        .iter()
        .map(|r| (r.playbook.clone(), r.verdict.clone()))
        .collect();
    // The portfolio's columns: readiness, the play and the pricing model, run for the
    // overview when the selection left them out.
    let extra = |id: &str| -> Result<Option<Report>> {
        if reports.iter().any(|r| r.playbook == id) {
            return Ok(None);
        }
        match library.playbooks().iter().find(|p| p.id == id) {
            Some(p) => library.run(p, &data, request.lang).map(Some),
            None => Ok(None),
        }
    };
    let extras: Vec<Report> = [READINESS, "play-selection", "pricing"]
        .into_iter()
        .map(extra)
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .flatten()
        .collect();
    let find = |id: &str| reports.iter().chain(&extras).find(|r| r.playbook == id);
    let readiness = find(READINESS).ok_or_else(|| Error::Usage("no readiness playbook".into()))?;
    let row = crate::portfolio::row(
        brand,
        &reports,
        readiness,
        find("play-selection"),
        find("pricing"),
    );
    let blockers = crate::portfolio::blockers_of(readiness);
    if to_stdout {
        let renderer = JsonRenderer { pretty: false };
        let mut json = Vec::new();
        for report in &reports {
            json.extend(renderer.render(report)?.bytes);
        }
        return Ok(BrandRun {
            verdicts,
            files: 0,
            warnings: Vec::new(),
            json,
            row,
            blockers,
        });
    }
    let (files, warnings) = request.outputs.render(markdown, brand, &reports)?;
    write_all(&files)?;
    Ok(BrandRun {
        verdicts,
        files: files.len(),
        warnings,
        json: Vec::new(),
        row,
        blockers,
    })
}

/// A progress bar on standard error when it is a terminal (count, rate, time left);
/// hidden when piped or quiet.
fn progress_bar(len: usize, quiet: bool) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{bar:30} {pos}/{len} brands · {per_sec} · {eta} left",
    ) {
        bar.set_style(style);
    }
    bar
}

/// `playbook assess`.
#[derive(Debug, Clone)]
pub struct AssessRequest {
    pub brand: PathBuf,
    /// An earlier profile of the same brand to compare with.
    pub compare: Option<PathBuf>,
    /// Earlier snapshots of the same brand (files, or folders of `*.yaml`): the scores
    /// over time instead of one scorecard.
    pub history: Vec<PathBuf>,
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
    if !request.history.is_empty() {
        return assess_history(request, &library, playbook);
    }
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

/// `assess --history`: every snapshot's scorecard, in the order of its `snapshot_date`
/// (file name where it has none), the trend and each step's changes, written as
/// `<out>/<brand>/readiness-history.<lang>.<ext>` and printed as a short table.
fn assess_history(
    request: &AssessRequest,
    library: &Library,
    playbook: &crate::playbook::Playbook,
) -> Result<()> {
    let lang = request.lang;
    let mut files = vec![request.brand.clone()];
    for f in brand_files_unchecked(&request.history)? {
        if !files.iter().any(|x| same_file(x, &f)) {
            files.push(f);
        }
    }
    let mut snapshots = Vec::new();
    for file in &files {
        let profile = Profile::load(file)?;
        let report = library.run(playbook, &library.brand(&profile)?, lang)?;
        let name = file.file_name().map_or_else(
            || file.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        snapshots.push((name, profile.snapshot_date.map(|d| d.to_string()), report));
    }
    // The brand is the one --brand names; any snapshot of another is warned about.
    let brand = snapshots[0].2.brand.clone();
    // Dated snapshots by date, undated ones after them by file name.
    snapshots.sort_by(|a, b| match (&a.1, &b.1) {
        (Some(x), Some(y)) => x.cmp(y).then_with(|| a.0.cmp(&b.0)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.0.cmp(&b.0),
    });
    let mut stderr = std::io::stderr().lock();
    for (name, _, report) in &snapshots {
        if report.brand != brand {
            let _ = writeln!(
                stderr,
                "warning: {name} is for `{}`, not `{brand}`; shown anyway",
                report.brand
            );
        }
    }
    let history = crate::history::build(&brand, lang, &snapshots);
    let md = crate::history::markdown(&history);
    let formats = request.outputs.formats()?;
    if !formats.is_empty() {
        let folder = request.outputs.folder(&request.brand);
        let name = |ext: &str| folder.join(format!("readiness-history.{}.{ext}", lang.code()));
        let mut out: Files = Vec::new();
        for f in &formats {
            match f {
                Format::Markdown => out.push((name("md"), md.clone().into_bytes())),
                Format::Json => {
                    let mut json = serde_json::to_vec_pretty(&history)
                        .map_err(|e| Error::Usage(format!("history JSON: {e}")))?;
                    json.push(b'\n');
                    out.push((name("json"), json));
                }
                Format::Pdf => {
                    let title = if lang == Lang::Zh {
                        "准备度变化"
                    } else {
                        "Readiness over time"
                    };
                    let options = crate::render::pdf_options(
                        title,
                        &brand,
                        title,
                        lang,
                        request.outputs.page_size,
                        &request.outputs.fonts,
                    );
                    let pdf =
                        md2pdf::render(&md, &options).map_err(|e| Error::Pdf(e.to_string()))?;
                    out.push((name("pdf"), pdf.bytes));
                }
                Format::Terminal => {}
            }
        }
        write_all(&out)?;
        for (path, _) in &out {
            let _ = writeln!(stderr, "wrote {}", path.display());
        }
    }
    drop(stderr);
    let mut table = String::new();
    for s in &history.snapshots {
        let name = s.date.clone().unwrap_or_else(|| s.file.clone());
        table.push_str(&format!(
            "{name:<12} {:>5}  {}\n",
            s.overall.map_or("—".into(), |o| o.to_string()),
            s.level_label
        ));
    }
    print(table.as_bytes())
}

/// Whether two paths name the same file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// Files and folders of `*.yaml` as [`brand_files`] expands them, without refusing two of
/// the same name (snapshots of one brand in several folders may share one).
fn brand_files_unchecked(args: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for arg in args {
        out.extend(brand_files(std::slice::from_ref(arg))?);
    }
    Ok(out)
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
