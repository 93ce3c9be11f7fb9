//! The `playbook` command line: parses flags, calls the library, reports errors.

use clap::{Args, Parser, Subcommand};
use playbook_engine::cli;
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

/// Where to find playbooks and templates beyond the bundled ones.
#[derive(Args, Clone)]
struct Sources {
    /// A folder of playbooks (*.yaml) that add to the bundled ones or replace them by id.
    #[arg(long, value_name = "DIR")]
    playbooks: Option<PathBuf>,
    /// A folder of templates that add to the bundled ones or replace them by file name.
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
}

/// How PDFs are laid out.
#[derive(Args, Clone)]
struct PdfOptions {
    /// A font for characters the bundled Chinese font lacks (PDF only).
    #[arg(long, value_name = "FILE")]
    font: Vec<PathBuf>,
    /// Paper size for PDF output.
    #[arg(long, default_value = "a4", value_parser = ["a4", "letter"])]
    paper: String,
}

#[derive(Subcommand)]
enum Command {
    /// List the available playbooks with their ids and titles.
    List {
        #[command(flatten)]
        sources: Sources,
        /// Title language.
        #[arg(long, default_value = "zh", value_parser = ["zh", "en"])]
        lang: String,
    },
    /// Run one playbook (by id) or `all` against a brand profile.
    Run {
        /// A playbook id (see `playbook list`) or `all`.
        id: String,
        /// The brand profile (YAML).
        #[arg(long, value_name = "FILE")]
        brand: PathBuf,
        /// Report language.
        #[arg(long, default_value = "zh", value_parser = ["zh", "en"])]
        lang: String,
        /// Output formats, comma-separated: md, pdf, json.
        #[arg(long, default_value = "md,pdf,json", value_delimiter = ',', value_parser = ["md", "pdf", "json"])]
        format: Vec<String>,
        /// Output folder; files go to <out>/<brand>/<id>.<lang>.<ext>. With `--format json`
        /// alone and no --out, the JSON goes to standard output.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        #[command(flatten)]
        pdf: PdfOptions,
        #[command(flatten)]
        sources: Sources,
    },
    /// Score a brand's readiness for live selling: a table in the terminal, and the
    /// scorecard written as a report (Markdown, PDF, JSON) like `run readiness`.
    Assess {
        /// The brand profile (YAML).
        #[arg(long, value_name = "FILE")]
        brand: PathBuf,
        /// An earlier profile of the same brand: show what improved and what slipped.
        #[arg(long, value_name = "FILE")]
        compare: Option<PathBuf>,
        /// Report language.
        #[arg(long, default_value = "zh", value_parser = ["zh", "en"])]
        lang: String,
        /// Output formats, comma-separated: md, pdf, json; an empty value writes no files.
        #[arg(long, default_value = "md,pdf,json", value_delimiter = ',', value_parser = ["", "md", "pdf", "json"])]
        format: Vec<String>,
        /// Output folder; files go to <out>/<brand>/readiness.<lang>.<ext>.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Colour in the terminal table.
        #[arg(long, default_value = "auto", value_parser = ["auto", "always", "never"])]
        color: String,
        #[command(flatten)]
        pdf: PdfOptions,
        #[command(flatten)]
        sources: Sources,
    },
    /// Check playbooks and templates: parse, compile every rule, render each playbook.
    Check {
        /// A folder of playbooks to check with the bundled ones (default: only the bundled).
        dir: Option<PathBuf>,
        /// A folder of templates to check with the bundled ones.
        #[arg(long, value_name = "DIR")]
        templates: Option<PathBuf>,
    },
    /// Print the brand profile's JSON Schema, for editors and validators.
    Schema,
    /// Write a brand profile: asks its questions in the terminal, or takes --from-json or
    /// brand flags (a standard input that is not a terminal is never read for answers).
    Init(playbook_engine::init::InitArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::List { sources, lang } => cli::list(
            &cli::Sources::new(bundle(), sources.playbooks, sources.templates),
            &lang,
        ),
        Command::Run {
            id,
            brand,
            lang,
            format,
            out,
            pdf,
            sources,
        } => cli::run(&cli::RunRequest {
            id,
            brand,
            lang,
            formats: format,
            out,
            fonts: pdf.font,
            paper: pdf.paper,
            sources: cli::Sources::new(bundle(), sources.playbooks, sources.templates),
        }),
        Command::Assess {
            brand,
            compare,
            lang,
            format,
            out,
            color,
            pdf,
            sources,
        } => cli::assess(&cli::AssessRequest {
            brand,
            compare,
            lang,
            colour: color,
            outputs: cli::Outputs {
                formats: format.into_iter().filter(|f| !f.is_empty()).collect(),
                out,
                fonts: pdf.font,
                paper: pdf.paper,
            },
            sources: cli::Sources::new(bundle(), sources.playbooks, sources.templates),
        }),
        Command::Check { dir, templates } => {
            cli::check(&cli::Sources::new(bundle(), dir, templates))
        }
        Command::Schema => playbook_engine::schema::print(),
        Command::Init(args) => playbook_engine::init::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

fn bundle() -> playbook_engine::library::Bundle {
    playbook_engine::library::Bundle {
        playbooks: playbook_bundled::PLAYBOOKS,
        templates: playbook_bundled::TEMPLATES,
    }
}
