//! The `playbook` command line: parses flags into the library's typed requests, calls the
//! library, and maps its errors to messages and exit codes. Nothing else lives here.

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};
use playbook_engine::commands::{self, Colour, Outputs, PageSize, Selection};
use playbook_engine::init::InitRequest;
use playbook_engine::library::Bundle;
use playbook_engine::render::Format;
use playbook_engine::report::Lang;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "playbook",
    version,
    about = "Live-commerce playbooks for a brand: rule-checked strategy documents and checklists",
    long_about = "Runs playbooks (YAML rules) against a brand profile (YAML) and writes \
                  strategy documents and checklists as Markdown, PDF and JSON, in Chinese or English."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

fn lang() -> impl TypedValueParser<Value = Lang> {
    PossibleValuesParser::new(["zh", "en"]).map(|s| s.parse::<Lang>().expect("a listed value"))
}

fn format(allow_empty: bool) -> impl TypedValueParser<Value = Option<Format>> {
    let values: &[&str] = if allow_empty {
        &["", "md", "pdf", "json"]
    } else {
        &["md", "pdf", "json"]
    };
    PossibleValuesParser::new(values).map(|s| s.parse::<Format>().ok())
}

fn paper() -> impl TypedValueParser<Value = PageSize> {
    PossibleValuesParser::new(["a4", "letter"]).map(|s| match s.as_str() {
        "letter" => PageSize::Letter,
        _ => PageSize::A4,
    })
}

fn colour() -> impl TypedValueParser<Value = Colour> {
    PossibleValuesParser::new(["auto", "always", "never"]).map(|s| match s.as_str() {
        "always" => Colour::Always,
        "never" => Colour::Never,
        _ => Colour::Auto,
    })
}

/// Where to find playbooks and templates beyond the bundled ones.
#[derive(Args, Clone)]
struct SourceArgs {
    /// A folder of playbooks (*.yaml) that add to the bundled ones or replace them by id.
    #[arg(long, value_name = "DIR")]
    playbooks: Option<PathBuf>,
    /// A folder of templates that add to the bundled ones or replace them by file name.
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
}

impl SourceArgs {
    fn sources(self) -> commands::Sources {
        commands::Sources::new(bundle(), self.playbooks, self.templates)
    }
}

/// Per-session records from a platform's analytics export.
#[derive(Args, Clone)]
struct SessionArgs {
    /// A sessions export (CSV, XLSX, XLS or ODS) whose rows are added to the profile's
    /// `sessions`; headers in Chinese or English (docs/sessions.md).
    #[arg(long, value_name = "FILE")]
    sessions: Option<PathBuf>,
    /// A YAML file naming more headers for --sessions: `gmv: 直播成交额` or
    /// `gmv: [直播成交额, 总成交]`.
    #[arg(long, value_name = "FILE")]
    columns: Option<PathBuf>,
}

impl SessionArgs {
    fn source(self) -> commands::SessionsSource {
        commands::SessionsSource {
            file: self.sessions,
            columns: self.columns,
        }
    }
}

/// How PDFs are laid out.
#[derive(Args, Clone)]
struct PdfArgs {
    /// A font for characters the bundled Chinese font lacks (PDF only).
    #[arg(long, value_name = "FILE")]
    font: Vec<PathBuf>,
    /// Paper size for PDF output.
    #[arg(long, default_value = "a4", value_parser = paper())]
    paper: PageSize,
}

#[derive(Subcommand)]
enum Command {
    /// List the available playbooks with their ids and titles.
    List {
        #[command(flatten)]
        sources: SourceArgs,
        /// Title language.
        #[arg(long, default_value = "zh", value_parser = lang())]
        lang: Lang,
    },
    /// Run one playbook (by id) or `all` against a brand profile, or against several
    /// brands at once, in parallel.
    Run {
        /// A playbook id (see `playbook list`) or `all`.
        id: String,
        /// The brand profile (YAML). Repeat it, or name a folder (every *.yaml in it), to
        /// run several brands, each into its own <out>/<brand>/.
        #[arg(long, value_name = "FILE|DIR", required = true)]
        brand: Vec<PathBuf>,
        /// Threads for several brands (default: all cores); the files are the same
        /// whatever the number.
        #[arg(long, value_name = "N")]
        jobs: Option<usize>,
        /// With several brands: no progress bar and no line per brand, only errors and the
        /// summary.
        #[arg(long)]
        quiet: bool,
        #[command(flatten)]
        sessions: SessionArgs,
        /// Report language.
        #[arg(long, default_value = "zh", value_parser = lang())]
        lang: Lang,
        /// Output formats, comma-separated: md, pdf, json.
        #[arg(long, default_value = "md,pdf,json", value_delimiter = ',', value_parser = format(false))]
        format: Vec<Option<Format>>,
        /// Output folder; files go to <out>/<brand>/<id>.<lang>.<ext>. With `--format json`
        /// alone and no --out, the JSON goes to standard output.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        #[command(flatten)]
        pdf: PdfArgs,
        #[command(flatten)]
        sources: SourceArgs,
    },
    /// Score a brand's readiness for live selling: a table in the terminal, and the
    /// scorecard written as a report (Markdown, PDF, JSON) like `run readiness`.
    Assess {
        /// The brand profile (YAML).
        #[arg(long, value_name = "FILE")]
        brand: PathBuf,
        /// An earlier profile of the same brand: show what improved and what slipped.
        #[arg(long, value_name = "FILE", conflicts_with = "history")]
        compare: Option<PathBuf>,
        /// Earlier snapshots of the same brand (repeat it, or name a folder): the scores
        /// over time, ordered by each profile's snapshot_date, with what moved and why.
        #[arg(long, value_name = "FILE|DIR")]
        history: Vec<PathBuf>,
        /// Report language.
        #[arg(long, default_value = "zh", value_parser = lang())]
        lang: Lang,
        /// Output formats, comma-separated: md, pdf, json; an empty value writes no files.
        #[arg(long, default_value = "md,pdf,json", value_delimiter = ',', value_parser = format(true))]
        format: Vec<Option<Format>>,
        /// Output folder; files go to <out>/<brand>/readiness.<lang>.<ext>.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Colour in the terminal table.
        #[arg(long, default_value = "auto", value_parser = colour())]
        color: Colour,
        #[command(flatten)]
        pdf: PdfArgs,
        #[command(flatten)]
        sources: SourceArgs,
    },
    /// Write the client deck: every playbook on the brand as one document (cover, summary,
    /// top actions, roadmap, a chapter per playbook that fits, appendix) in Markdown, PDF
    /// and JSON, with the roadmap as a calendar file.
    Deck {
        /// The brand profile (YAML).
        #[arg(long, value_name = "FILE")]
        brand: PathBuf,
        #[command(flatten)]
        sessions: SessionArgs,
        /// Deck language.
        #[arg(long, default_value = "zh", value_parser = lang())]
        lang: Lang,
        /// `report` (A4 portrait, every chapter in full: deck.<lang>.pdf) or `slides`
        /// (16:9, one idea a slide: slides.<lang>.pdf).
        #[arg(long, default_value = "report", value_parser = ["report", "slides"])]
        layout: String,
        /// A theme file (YAML): the consultancy's and consultant's names, version, footer,
        /// confidentiality.
        #[arg(long, value_name = "FILE")]
        theme: Option<PathBuf>,
        /// The deck's date (YYYY-MM-DD); default: the plan's start date, else today.
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
        /// Output folder; files go to <out>/<brand>/deck.<lang>.{md,pdf,json} and
        /// roadmap.<lang>.ics.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        #[command(flatten)]
        pdf: PdfArgs,
        #[command(flatten)]
        sources: SourceArgs,
    },
    /// Check playbooks and templates: parse, compile every rule, render each playbook.
    Check {
        /// A folder of playbooks to check with the bundled ones (default: only the bundled).
        dir: Option<PathBuf>,
        /// A folder of templates to check with the bundled ones.
        #[arg(long, value_name = "DIR")]
        templates: Option<PathBuf>,
    },
    /// Show how a playbook reached each result for a brand: every rule as written, what
    /// it read from the profile, the assumptions and earlier values, and what it gave.
    Explain {
        /// A playbook id (see `playbook list`).
        id: String,
        /// The brand profile (YAML).
        #[arg(long, value_name = "FILE")]
        brand: PathBuf,
        /// Only this item (an id such as `price` or `price-2`) and what it depends on.
        #[arg(long, value_name = "ITEM")]
        item: Option<String>,
        /// Language of labels and results.
        #[arg(long, default_value = "zh", value_parser = lang())]
        lang: Lang,
        /// `text` for people, `json` for tools.
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        format: String,
        #[command(flatten)]
        sources: SourceArgs,
    },
    /// Run the test cases (`*.test.yaml`) beside playbooks: each names a profile and the
    /// verdict, item statuses, values and phrases the playbook should give for it.
    Test {
        /// The folder of playbooks and their test files; its playbooks replace bundled
        /// ones with the same id.
        #[arg(default_value = "playbooks")]
        dir: PathBuf,
        /// A folder of templates to use with the bundled ones (for text checks).
        #[arg(long, value_name = "DIR")]
        templates: Option<PathBuf>,
        /// Only the cases whose name contains this text.
        #[arg(long, value_name = "TEXT")]
        filter: Option<String>,
        /// Only the cases of this playbook.
        #[arg(long, value_name = "ID")]
        playbook: Option<String>,
        /// Also list, per playbook, the verdicts and item statuses no case reaches.
        #[arg(long)]
        coverage: bool,
    },
    /// Print the brand profile's JSON Schema, for editors and validators.
    Schema {
        /// The playbook format's schema instead, for playbook authors.
        #[arg(long)]
        playbook: bool,
    },
    /// Write a brand profile: asks its questions in the terminal, or takes --from-json or
    /// brand flags (a standard input that is not a terminal is never read for answers).
    Init(InitArgs),
}

/// `playbook init`'s flags.
#[derive(Args)]
struct InitArgs {
    /// The profile to write.
    #[arg(default_value = "brand.yaml")]
    file: PathBuf,
    /// Language of the questions.
    #[arg(long, default_value = "zh", value_parser = lang())]
    lang: Lang,
    /// Replace FILE if it exists, without asking.
    #[arg(long)]
    force: bool,
    /// Take the whole profile from a JSON object in the profile's shape (`-` reads standard
    /// input) instead of asking; the brand flags below override its `brand` fields.
    #[arg(long, value_name = "PATH")]
    from_json: Option<PathBuf>,
    /// brand.name; with the other brand flags, writes a profile without asking.
    #[arg(long)]
    name: Option<String>,
    /// brand.category: food, beverage, beauty, apparel, daily or other.
    #[arg(long)]
    category: Option<String>,
    /// brand.subcategory (free text).
    #[arg(long)]
    subcategory: Option<String>,
    /// brand.awareness: low, medium or high.
    #[arg(long)]
    awareness: Option<String>,
    /// brand.strength: small, medium or large.
    #[arg(long)]
    strength: Option<String>,
    /// brand.offline_established.
    #[arg(long, value_name = "true|false")]
    offline_established: Option<bool>,
    /// brand.platform_exclusive_products.
    #[arg(long, value_name = "true|false")]
    platform_exclusive_products: Option<bool>,
    /// brand.audience, comma-separated: singles, white_collar, new_moms, silver.
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    audience: Option<Vec<String>>,
}

impl From<InitArgs> for InitRequest {
    fn from(a: InitArgs) -> InitRequest {
        InitRequest {
            file: a.file,
            lang: a.lang,
            force: a.force,
            from_json: a.from_json,
            name: a.name,
            category: a.category,
            subcategory: a.subcategory,
            awareness: a.awareness,
            strength: a.strength,
            offline_established: a.offline_established,
            platform_exclusive_products: a.platform_exclusive_products,
            audience: a.audience,
        }
    }
}

fn outputs(format: Vec<Option<Format>>, out: Option<PathBuf>, pdf: PdfArgs) -> Outputs {
    Outputs {
        formats: format.into_iter().flatten().collect(),
        out,
        fonts: pdf.font,
        page_size: pdf.paper,
    }
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::List { sources, lang } => commands::list(&sources.sources(), lang),
        Command::Run {
            id,
            brand,
            jobs,
            quiet,
            sessions,
            lang,
            format,
            out,
            pdf,
            sources,
        } => commands::run(&commands::RunRequest {
            selection: Selection::parse(&id),
            brands: brand,
            sessions: sessions.source(),
            lang,
            outputs: outputs(format, out, pdf),
            sources: sources.sources(),
            batch: commands::Batch { jobs, quiet },
        }),
        Command::Assess {
            brand,
            compare,
            history,
            lang,
            format,
            out,
            color,
            pdf,
            sources,
        } => commands::assess(&commands::AssessRequest {
            brand,
            compare,
            history,
            lang,
            colour: color,
            outputs: outputs(format, out, pdf),
            sources: sources.sources(),
        }),
        Command::Deck {
            brand,
            sessions,
            lang,
            layout,
            theme,
            date,
            out,
            pdf,
            sources,
        } => playbook_engine::deck::deck(&playbook_engine::deck::DeckRequest {
            brand,
            sessions: sessions.source(),
            lang,
            layout: match layout.as_str() {
                "slides" => playbook_engine::deck::Layout::Slides,
                _ => playbook_engine::deck::Layout::Report,
            },
            theme,
            date,
            outputs: outputs(Vec::new(), out, pdf),
            sources: sources.sources(),
        }),
        Command::Check { dir, templates } => {
            commands::check(&commands::Sources::new(bundle(), dir, templates))
        }
        Command::Explain {
            id,
            brand,
            item,
            lang,
            format,
            sources,
        } => playbook_engine::explain::explain(&playbook_engine::explain::ExplainRequest {
            id,
            brand,
            item,
            lang,
            json: format == "json",
            sources: sources.sources(),
        }),
        Command::Test {
            dir,
            templates,
            filter,
            playbook,
            coverage,
        } => playbook_engine::testing::test(
            bundle(),
            &playbook_engine::testing::TestRequest {
                dir,
                templates,
                filter,
                playbook,
                coverage,
            },
        ),
        Command::Schema { playbook } => playbook_engine::schema::print(playbook),
        Command::Init(args) => playbook_engine::init::run(&args.into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if !matches!(e, playbook_engine::Error::TestsFailed(_)) {
                eprintln!("error: {}", printable(&e.to_string()));
            }
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

/// A message with its control characters shown as escapes, so that text from a profile
/// (a key, a value) cannot move the cursor or change the terminal's colours.
fn printable(message: &str) -> String {
    message
        .chars()
        .map(|c| match c {
            '\n' => "\n".to_string(),
            c if c.is_control() => c.escape_unicode().to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// The playbooks and templates compiled into this binary.
fn bundle() -> Bundle {
    Bundle {
        playbooks: playbook_bundled::PLAYBOOKS,
        templates: playbook_bundled::TEMPLATES,
    }
}
