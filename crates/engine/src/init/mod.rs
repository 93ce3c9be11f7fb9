//! `playbook init`: writes a brand profile for a brand that has none, from answers in the
//! terminal, from a JSON object in the profile's shape, or from flags for the brand section.
//!
//! Whichever way the answers come, they pass through the profile's own types (the loader's
//! ranges and messages), the file is written atomically, and it is read back with
//! [`Profile::load`] before the command reports success. An existing file is never replaced
//! without a yes at the prompt or `--force`.
//!
//! Standard input that is not a terminal is never read for answers: with no `--from-json`
//! and no brand flags the command refuses at once (exit status 2) instead of waiting.

mod ask;
mod yaml;

pub use ask::{questionnaire, Session};
pub use yaml::{profile_to_yaml, quote};

use crate::error::{Error, Location, Result};
use crate::output::write_atomic;
use crate::profile::{Profile, ProfileVersion};
use crate::report::Lang;
use serde::de::DeserializeOwned;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

/// The first lines of every profile `init` writes.
pub const HEADER: &str =
    "# Brand profile written by `playbook init`. Fields, ranges and allowed values:\n\
                          # `playbook schema` (JSON Schema) or docs/profile-tools.md.\n";

/// What `playbook init` is asked: the file, the language of the questions, and the
/// answers given up front (a JSON profile, brand fields), if any.
#[derive(Debug, Clone, Default)]
pub struct InitRequest {
    /// The profile to write.
    pub file: PathBuf,
    /// Language of the questions.
    pub lang: Lang,
    /// Replace the file if it exists, without asking.
    pub force: bool,
    /// Take the whole profile from a JSON object in the profile's shape (`-` reads standard
    /// input) instead of asking; the brand fields below override its `brand` fields.
    pub from_json: Option<PathBuf>,
    pub name: Option<String>,
    pub category: Option<String>,
    pub subcategory: Option<String>,
    pub awareness: Option<String>,
    pub strength: Option<String>,
    pub offline_established: Option<bool>,
    pub platform_exclusive_products: Option<bool>,
    pub audience: Option<Vec<String>>,
}

impl InitRequest {
    fn has_brand_flags(&self) -> bool {
        self.name.is_some()
            || self.category.is_some()
            || self.subcategory.is_some()
            || self.awareness.is_some()
            || self.strength.is_some()
            || self.offline_established.is_some()
            || self.platform_exclusive_products.is_some()
            || self.audience.is_some()
    }
}

/// `playbook init`.
pub fn run(args: &InitRequest) -> Result<()> {
    let lang = args.lang;
    let exists = args.file.exists();
    let profile = if args.from_json.is_some() || args.has_brand_flags() {
        if exists && !args.force {
            return Err(Error::Usage(format!(
                "{} already exists; pass --force to replace it",
                args.file.display()
            )));
        }
        from_script(args)?
    } else {
        let stdin = std::io::stdin();
        if !stdin.is_terminal() {
            return Err(Error::Usage(
                "standard input is not a terminal, so there is no one to answer the questions: \
                 give the profile with --from-json PATH (or - for standard input) or with brand \
                 flags such as --name, or run `playbook init` in a terminal"
                    .into(),
            ));
        }
        let mut session = Session::new(stdin.lock(), std::io::stderr(), lang);
        if exists && !args.force && !session.confirm_overwrite(&args.file)? {
            let _ = writeln!(
                std::io::stderr(),
                "{}",
                match lang {
                    Lang::Zh => format!("未改动 {}。", args.file.display()),
                    Lang::En => format!("Left {} as it was.", args.file.display()),
                }
            );
            return Ok(());
        }
        questionnaire(&mut session)?
    };
    write_profile(&args.file, &profile)?;
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "wrote {}", args.file.display());
    let _ = writeln!(
        err,
        "next: playbook assess --brand {0}   (then playbook run all --brand {0})",
        args.file.display()
    );
    Ok(())
}

/// Writes `profile` to `path` atomically, after checking the text reads back as the same
/// profile, and loads the written file once more to be sure.
pub fn write_profile(path: &Path, profile: &Profile) -> Result<()> {
    let text = profile_to_yaml(path, profile, HEADER)?;
    let back = Profile::from_bytes(path, text.as_bytes())?;
    let same = |p: &Profile| serde_json::to_value(p).ok();
    if same(&back) != same(profile) {
        return Err(Error::Profile {
            location: Location::file(path),
            message: "the profile text does not read back as given; nothing was written".into(),
        });
    }
    write_atomic(path, text.as_bytes())?;
    Profile::load(path)?;
    Ok(())
}

/// The profile from `--from-json` and the brand flags.
pub fn from_script(args: &InitRequest) -> Result<Profile> {
    let mut profile = match &args.from_json {
        Some(path) => read_json(path)?,
        None => {
            if args.name.is_none() {
                return Err(Error::Usage(
                    "--name is needed (or give the whole profile with --from-json)".into(),
                ));
            }
            Profile::default()
        }
    };
    let brand = &mut profile.brand;
    if let Some(name) = &args.name {
        brand.name = name.clone();
    }
    if let Some(v) = &args.category {
        brand.category = Some(flag("--category", v.as_str().into())?);
    }
    if let Some(v) = &args.subcategory {
        brand.subcategory = Some(v.clone());
    }
    if let Some(v) = &args.awareness {
        brand.awareness = Some(flag("--awareness", v.as_str().into())?);
    }
    if let Some(v) = &args.strength {
        brand.strength = Some(flag("--strength", v.as_str().into())?);
    }
    if let Some(v) = args.offline_established {
        brand.offline_established = Some(v);
    }
    if let Some(v) = args.platform_exclusive_products {
        brand.platform_exclusive_products = Some(v);
    }
    if let Some(list) = &args.audience {
        let items = list
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .map(serde_json::Value::from)
            .collect();
        brand.audience = Some(flag("--audience", serde_json::Value::Array(items))?);
    }
    profile.profile_version.get_or_insert(ProfileVersion(1));
    Ok(profile)
}

/// One flag's value read with the profile's own type, so it takes what the loader takes.
fn flag<T: DeserializeOwned>(name: &str, value: serde_json::Value) -> Result<T> {
    serde_json::from_value(value).map_err(|e| {
        Error::Usage(format!(
            "{name}: {}",
            crate::suggest::explain_unknown(&e.to_string())
        ))
    })
}

/// Reads a JSON profile with the loader's types; errors name the line and column.
fn read_json(path: &Path) -> Result<Profile> {
    let (shown, text) = if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Error::io("<stdin>", e))?;
        (PathBuf::from("<stdin>"), text)
    } else {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        (path.to_path_buf(), text)
    };
    serde_json::from_str(&text).map_err(|e| {
        let mut message = e.to_string();
        // serde_json appends " at line L column C"; the location already says it.
        if let Some(cut) = message.find(" at line ") {
            message.truncate(cut);
        }
        let location = if e.line() > 0 {
            Location::at(&shown, e.line(), e.column())
        } else {
            Location::file(&shown)
        };
        Error::Profile {
            location,
            message: crate::suggest::explain_unknown(&message),
        }
    })
}
