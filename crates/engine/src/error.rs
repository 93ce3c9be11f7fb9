//! Errors of the library. Each names where the problem is: a file, and a line and column
//! when the problem sits at one place in it.

use std::fmt;
use std::path::PathBuf;

/// A place in a source file (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl Location {
    pub fn file(file: impl Into<PathBuf>) -> Self {
        Location {
            file: file.into(),
            line: None,
            column: None,
        }
    }

    pub fn at(file: impl Into<PathBuf>, line: usize, column: usize) -> Self {
        Location {
            file: file.into(),
            line: Some(line),
            column: Some(column),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

/// Where and why a rule failed.
#[derive(Debug)]
pub struct RuleFailure {
    pub location: Location,
    pub playbook: String,
    pub rule: String,
    pub message: String,
}

/// Everything that can go wrong between reading inputs and writing outputs.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A brand profile that cannot be read or does not follow the contract.
    #[error("{location}: {message}")]
    Profile { location: Location, message: String },

    /// A playbook that cannot be read, parsed or compiled.
    #[error("{location}: {message}")]
    Playbook { location: Location, message: String },

    /// A rule that failed while running against a profile.
    #[error("{}: playbook `{}`, rule `{}`: {}", .0.location, .0.playbook, .0.rule, .0.message)]
    Rule(Box<RuleFailure>),

    /// A template that cannot be parsed or rendered.
    #[error("{location}: {message}")]
    Template { location: Location, message: String },

    /// A sessions export (CSV or spreadsheet) that cannot be read: the message names the
    /// row and column.
    #[error("{}: {message}", .file.display())]
    Import { file: PathBuf, message: String },

    /// Something the user asked for that does not exist (an unknown playbook id, say).
    #[error("{0}")]
    Usage(String),

    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The PDF renderer failed.
    #[error("{0}")]
    Pdf(String),

    /// `playbook test` ran, and this many cases failed (each already printed).
    #[error("{0} test case(s) failed")]
    TestsFailed(usize),

    /// A batch ran, and this many of its brands failed (each already printed).
    #[error("{failed} of {total} brands failed")]
    BatchFailed { failed: usize, total: usize },
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// Exit status for the command line: 2 for usage errors, 1 for everything else.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => 2,
            _ => 1,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
