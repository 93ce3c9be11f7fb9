//! The brand profile: the contract's input, read strictly.
//!
//! Every section but `brand` may be absent, and so may every field but a few names. What a
//! playbook needs and does not find it reports under `needs`; the loader only refuses what
//! breaks the contract (unknown keys, wrong types, values out of range).

mod values;

use crate::error::{Error, Location, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

pub use values::{Count, Date, Fraction, NonNegative, Positive, Score};

/// One brand's profile, as written in its YAML file.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    #[serde(default)]
    pub profile_version: Option<ProfileVersion>,
    pub brand: Brand,
    #[serde(default)]
    pub store: Option<Store>,
    #[serde(default)]
    pub account: Option<Account>,
    #[serde(default)]
    pub team: Option<Team>,
    #[serde(default)]
    pub materials: Option<Materials>,
    #[serde(default)]
    pub budget: Option<Budget>,
    #[serde(default)]
    pub products: Option<Vec<Product>>,
    #[serde(default)]
    pub history: Option<History>,
    #[serde(default)]
    pub market: Option<Market>,
    #[serde(default)]
    pub event: Option<Event>,
    /// When the brand starts working through a plan; dates day-by-day steps.
    #[serde(default)]
    pub plan: Option<Plan>,
}

/// The profile format's version; only 1 exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct ProfileVersion(pub i64);

impl<'de> Deserialize<'de> for ProfileVersion {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = i64::deserialize(d)?;
        if v == 1 {
            Ok(ProfileVersion(v))
        } else {
            Err(serde::de::Error::invalid_value(
                serde::de::Unexpected::Signed(v),
                &"1 (the only profile version)",
            ))
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Brand {
    pub name: String,
    pub category: Option<Category>,
    pub subcategory: Option<String>,
    pub awareness: Option<Level>,
    pub strength: Option<Strength>,
    pub offline_established: Option<bool>,
    pub platform_exclusive_products: Option<bool>,
    pub audience: Option<Vec<Audience>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Food,
    Beverage,
    Beauty,
    Apparel,
    Daily,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Low,
    Medium,
    High,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    Small,
    Medium,
    Large,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    Singles,
    WhiteCollar,
    NewMoms,
    Silver,
}

/// A store or room grade; S is best.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum Grade {
    S,
    A,
    B,
    C,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Store {
    pub dsr_level: Option<Grade>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    pub verified: Option<bool>,
    pub followers: Option<Count>,
    pub reputation_score: Option<Score>,
    pub live_enabled: Option<bool>,
    pub room_level: Option<Grade>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Team {
    pub anchors: Option<Count>,
    pub ad_buyers: Option<Count>,
    pub operators: Option<Count>,
    pub video_editors: Option<Count>,
    pub customer_service: Option<Count>,
    pub service_provider: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Materials {
    pub ad_videos: Option<Count>,
    pub native_footage: Option<bool>,
    pub factory_footage: Option<bool>,
    pub origin_footage: Option<bool>,
    pub celebrity_clips: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    pub monthly_ad_spend: Option<NonNegative>,
    pub target_roi: Option<Positive>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Traffic,
    Profit,
    Welfare,
    Hero,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    pub name: String,
    pub role: Role,
    pub price: Positive,
    pub unit_cost: Option<NonNegative>,
    pub stock: Option<Count>,
    pub gmv_share: Option<Fraction>,
    pub exclusive: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct History {
    pub sessions: Option<Count>,
    pub avg_session_hours: Option<NonNegative>,
    pub gmv: Option<NonNegative>,
    pub uv: Option<Count>,
    pub click_rate: Option<Fraction>,
    pub conversion_rate: Option<Fraction>,
    pub avg_order_value: Option<NonNegative>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Market {
    pub competitor_prices: Option<Vec<Positive>>,
    pub seasonal_demand: Option<bool>,
    pub member_tiers: Option<bool>,
    pub standardized: Option<bool>,
    pub differentiated: Option<bool>,
    pub target_margin: Option<Fraction>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub target_gmv: Option<Positive>,
    pub hours: Option<Positive>,
    pub date: Option<Date>,
    /// Longest shift one anchor can hold; 6 when absent.
    pub max_shift_hours: Option<Positive>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// First day of the plan; day-by-day steps are dated from it.
    pub start_date: Option<Date>,
}

impl Profile {
    /// Reads and checks a profile file.
    pub fn load(path: &Path) -> Result<Profile> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        Profile::from_bytes(path, &bytes)
    }

    /// Checks profile text; `path` is only used in messages.
    pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Profile> {
        let whole_file = |message: &str| Error::Profile {
            location: Location::file(path),
            message: message.to_string(),
        };
        if bytes.contains(&0) {
            return Err(whole_file(
                "this is a binary file, not a YAML brand profile",
            ));
        }
        let text = std::str::from_utf8(bytes)
            .map_err(|_| whole_file("this file is not UTF-8 text; save the profile as UTF-8"))?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let meaningful = text
            .lines()
            .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#') && l.trim() != "---");
        if !meaningful {
            return Err(whole_file(
                "the profile is empty; it needs at least `brand: {name: ...}`",
            ));
        }
        serde_yaml::from_str(text).map_err(|e| yaml_error(path, &e))
    }

    /// The profile file's name without its extension: the output folder for its reports.
    pub fn slug(path: &Path) -> String {
        path.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "brand".to_string())
    }
}

/// Turns a serde_yaml error into a one-line message at its line and column.
pub(crate) fn yaml_error(path: &Path, e: &serde_yaml::Error) -> Error {
    let location = match e.location() {
        Some(l) => Location::at(path, l.line(), l.column()),
        None => Location::file(path),
    };
    let mut message = e.to_string();
    // serde_yaml appends " at line L column C"; the location already says it.
    if let Some(cut) = message.find(" at line ") {
        message.truncate(cut);
    }
    let message = crate::suggest::explain_unknown(&message)
        .replace("invalid type: unit value", "missing value")
        .replace('\n', " ");
    Error::Profile { location, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Profile> {
        Profile::from_bytes(Path::new("p.yaml"), text.as_bytes())
    }

    #[test]
    fn minimal_profile_loads() {
        let p = load("brand: {name: x}").unwrap();
        assert_eq!(p.brand.name, "x");
        assert!(p.account.is_none());
    }

    #[test]
    fn unknown_key_names_place_and_suggestion() {
        let e = load("brand:\n  name: x\naccount:\n  reputation_scor: 4.0\n").unwrap_err();
        let m = e.to_string();
        assert!(m.starts_with("p.yaml:4:3:"), "{m}");
        assert!(m.contains("did you mean `reputation_score`"), "{m}");
    }

    #[test]
    fn out_of_range_names_place_and_range() {
        let e = load("brand:\n  name: x\naccount:\n  reputation_score: 7.5\n").unwrap_err();
        let m = e.to_string();
        assert!(m.starts_with("p.yaml:4:"), "{m}");
        assert!(m.contains("from 0.0 to 5.0"), "{m}");
        let e = load("brand: {name: x}\nteam: {anchors: -1}\n").unwrap_err();
        assert!(e.to_string().contains(">= 0"), "{e}");
    }
}
