//! Numbers and dates with the ranges the contract allows. Each checks its range while the
//! YAML is read, so an out-of-range value is reported at its own line and column.

use serde::de::{self, Deserializer, Unexpected, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;

/// The JSON Schema of a value type: inlined where used, so each field shows its own range.
macro_rules! inline_schema {
    ($name:ident, $schema:tt) => {
        impl schemars::JsonSchema for $name {
            fn inline_schema() -> bool {
                true
            }
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!($schema)
            }
        }
    };
}
pub(crate) use inline_schema;

/// Reads any YAML number as f64 within a range, refusing everything else. The range is
/// checked here, while the parser still stands on the value, so errors point at it.
struct NumberVisitor {
    expect: &'static str,
    ok: fn(f64) -> bool,
}

impl NumberVisitor {
    fn check<E: de::Error>(&self, v: f64, shown: Unexpected) -> Result<f64, E> {
        if v.is_finite() && (self.ok)(v) {
            Ok(v)
        } else {
            Err(E::invalid_value(shown, &self.expect))
        }
    }
}

impl Visitor<'_> for NumberVisitor {
    type Value = f64;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.expect)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        self.check(v as f64, Unexpected::Signed(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        self.check(v as f64, Unexpected::Unsigned(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        // Huge values as `1e308`, not three hundred digits.
        let shown = if v.abs() >= 1e15 {
            format!("{v:e}")
        } else {
            v.to_string()
        };
        self.check(v, Unexpected::Other(&shown))
    }
}

macro_rules! bounded_number {
    ($(#[$doc:meta])* $name:ident, $expect:literal, |$v:ident| $ok:expr, $schema:tt) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub f64);

        impl $name {
            /// The range this value allows, as the error messages state it.
            pub const RANGE: &'static str = $expect;
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any(NumberVisitor {
                    expect: $expect,
                    ok: |$v| $ok,
                })
                .map($name)
            }
        }

        inline_schema!($name, $schema);
    };
}

bounded_number!(
    /// A number from 0 to 1 (a rate or a share).
    Fraction, "a number from 0 to 1", |v| (0.0..=1.0).contains(&v),
    {"type": "number", "minimum": 0, "maximum": 1}
);
bounded_number!(
    /// A reputation score from 0.0 to 5.0.
    Score, "a number from 0.0 to 5.0", |v| (0.0..=5.0).contains(&v),
    {"type": "number", "minimum": 0, "maximum": 5}
);
bounded_number!(
    /// An amount that cannot be negative (CNY, hours), at most a trillion: anything larger
    /// is a typing slip (or `1e308`), and would print as infinity.
    NonNegative, "a number from 0 to 1e12", |v| (0.0..=1e12).contains(&v),
    {"type": "number", "minimum": 0, "maximum": 1e12}
);
bounded_number!(
    /// An amount that must be above zero (a price, a target ROI), at most a trillion.
    Positive, "a number above 0, at most 1e12", |v| v > 0.0 && v <= 1e12,
    {"type": "number", "exclusiveMinimum": 0, "maximum": 1e12}
);

/// A whole number that cannot be negative (a head count, followers, units), at most a
/// trillion: anything larger is a typing slip, and rules multiplying it would overflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Count(pub i64);

impl Count {
    pub const MAX: i64 = 1_000_000_000_000;
    pub const RANGE: &'static str = "a whole number >= 0, at most 1e12";
}

inline_schema!(Count, {"type": "integer", "minimum": 0, "maximum": 1_000_000_000_000i64});

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct CountVisitor;
        impl Visitor<'_> for CountVisitor {
            type Value = Count;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(Count::RANGE)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Count, E> {
                if (0..=Count::MAX).contains(&v) {
                    Ok(Count(v))
                } else {
                    Err(E::invalid_value(Unexpected::Signed(v), &self))
                }
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Count, E> {
                i64::try_from(v)
                    .ok()
                    .filter(|v| *v <= Count::MAX)
                    .map(Count)
                    .ok_or_else(|| E::invalid_value(Unexpected::Unsigned(v), &self))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Count, E> {
                Err(E::invalid_value(Unexpected::Float(v), &self))
            }
        }
        d.deserialize_any(CountVisitor)
    }
}

/// A calendar date written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    pub const FORMAT: &'static str = "a date written YYYY-MM-DD";

    /// Parses `YYYY-MM-DD`, checking that the day exists.
    ///
    /// ```
    /// use playbook_engine::profile::Date;
    /// assert!(Date::parse("2026-02-29").is_none());
    /// assert_eq!(Date::parse("2026-12-12").unwrap().to_string(), "2026-12-12");
    /// ```
    pub fn parse(s: &str) -> Option<Date> {
        let bytes = s.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let digits = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = &s[r];
            part.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        let year = digits(0..4)? as i32;
        let month = digits(5..7)?;
        let day = digits(8..10)?;
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Days since 1970-01-01 (negative before).
    pub fn to_days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// The date `days` later (earlier when negative); `None` when it falls outside the
    /// years 1 to 9999, which a date in a profile or report can hold.
    ///
    /// ```
    /// use playbook_engine::profile::Date;
    /// let d = Date::parse("2026-12-30").unwrap();
    /// assert_eq!(d.add_days(3).unwrap().to_string(), "2027-01-02");
    /// assert_eq!(d.add_days(i64::MAX), None);
    /// assert_eq!(d.add_days(4_000_000), None);
    /// ```
    pub fn add_days(self, days: i64) -> Option<Date> {
        let first = Date {
            year: 1,
            month: 1,
            day: 1,
        }
        .to_days();
        let last = Date {
            year: 9999,
            month: 12,
            day: 31,
        }
        .to_days();
        let total = self.to_days().checked_add(days)?;
        (first..=last)
            .contains(&total)
            .then(|| Date::from_days(total))
    }

    /// 1 = Monday ... 7 = Sunday.
    pub fn weekday(self) -> u32 {
        ((self.to_days() + 3).rem_euclid(7) + 1) as u32
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

// The pattern only shapes the text; `format: date` adds the calendar check in editors.
inline_schema!(Date, {
    "type": "string",
    "format": "date",
    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
});

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct DateVisitor;
        impl Visitor<'_> for DateVisitor {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(Date::FORMAT)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
                Date::parse(v).ok_or_else(|| E::invalid_value(Unexpected::Str(v), &self))
            }
        }
        d.deserialize_str(DateVisitor)
    }
}

/// A day with the time something started, if known: `YYYY-MM-DD` or `YYYY-MM-DD HH:MM`
/// (a session's start).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DayTime {
    pub date: Date,
    /// Hours and minutes, 00:00 to 23:59.
    pub time: Option<(u32, u32)>,
}

impl DayTime {
    pub const FORMAT: &'static str = "a date written YYYY-MM-DD, or YYYY-MM-DD HH:MM";

    /// Parses `YYYY-MM-DD` or `YYYY-MM-DD HH:MM` (a `T` may stand for the space).
    ///
    /// ```
    /// use playbook_engine::profile::DayTime;
    /// assert_eq!(DayTime::parse("2026-11-01 19:00").unwrap().to_string(), "2026-11-01 19:00");
    /// assert_eq!(DayTime::parse("2026-11-01").unwrap().to_string(), "2026-11-01");
    /// assert!(DayTime::parse("2026-11-01 24:00").is_none());
    /// ```
    pub fn parse(s: &str) -> Option<DayTime> {
        let date = Date::parse(s.get(..10)?)?;
        let rest = &s[10..];
        if rest.is_empty() {
            return Some(DayTime { date, time: None });
        }
        let clock = rest.strip_prefix([' ', 'T'])?;
        let bytes = clock.as_bytes();
        if bytes.len() != 5
            || bytes[2] != b':'
            || !clock.chars().all(|c| c.is_ascii_digit() || c == ':')
        {
            return None;
        }
        let hours: u32 = clock[..2].parse().ok()?;
        let minutes: u32 = clock[3..].parse().ok()?;
        (hours < 24 && minutes < 60).then_some(DayTime {
            date,
            time: Some((hours, minutes)),
        })
    }
}

impl fmt::Display for DayTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.time {
            Some((h, m)) => write!(f, "{} {h:02}:{m:02}", self.date),
            None => write!(f, "{}", self.date),
        }
    }
}

inline_schema!(DayTime, {
    "type": "string",
    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2})?$"
});

impl Serialize for DayTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DayTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct DayTimeVisitor;
        impl Visitor<'_> for DayTimeVisitor {
            type Value = DayTime;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(DayTime::FORMAT)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DayTime, E> {
                DayTime::parse(v).ok_or_else(|| E::invalid_value(Unexpected::Str(v), &self))
            }
        }
        d.deserialize_str(DayTimeVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_through_day_numbers() {
        for s in ["1970-01-01", "2000-02-29", "2026-12-12", "2027-01-01"] {
            let d = Date::parse(s).unwrap();
            assert_eq!(Date::from_days(d.to_days()), d);
        }
        assert_eq!(Date::parse("1970-01-01").unwrap().to_days(), 0);
        assert_eq!(
            Date::parse("2026-12-30")
                .unwrap()
                .add_days(3)
                .unwrap()
                .to_string(),
            "2027-01-02"
        );
        // 2026-11-22 is a Sunday.
        assert_eq!(Date::parse("2026-11-22").unwrap().weekday(), 7);
    }

    #[test]
    fn impossible_dates_are_refused() {
        for s in [
            "2026-13-01",
            "2026-02-29",
            "2026-1-01",
            "26-01-01",
            "2026-04-31",
        ] {
            assert!(Date::parse(s).is_none(), "{s}");
        }
    }
}
