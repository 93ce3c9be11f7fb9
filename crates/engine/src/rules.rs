//! The rule language: one rhai engine, configured once, sandboxed.
//!
//! Scripts see the profile's sections as constants (`account.followers`,
//! `products.filter(|p| p.role == "hero")`), computed values by id, and a few helpers
//! for dates and arithmetic. They cannot read files, reach the network, import modules,
//! print, or run longer than the operation limit.

use crate::profile::{Date, DayTime};
use rhai::{Array, Dynamic, Engine, EvalAltResult, ImmutableString, Position, FLOAT, INT};
use std::cell::Cell;
use std::time::{Duration, Instant};

/// Limits on any one script run. Generous for real rules, small enough that a runaway
/// loop stops in well under a second. A large profile raises the operation and time
/// limits by a share per product ([`Limits::for_entries`]).
pub const MAX_OPERATIONS: u64 = 500_000;
pub const MAX_CALL_LEVELS: usize = 32;
pub const MAX_EXPR_DEPTH: usize = 64;
/// rhai counts every text inside a list towards this limit, so it must hold all of a
/// profile's texts at once (a 10,000-product catalogue); a profile is at most 8 MiB.
pub const MAX_STRING_SIZE: usize = crate::profile::MAX_PROFILE_BYTES as usize;
/// rhai counts the entries of nested lists and maps together, so these hold a whole
/// catalogue (10,000 products of a dozen fields each); the operation limit stops a rule
/// that builds lists in a loop long before.
pub const MAX_ARRAY_SIZE: usize = 1_000_000;
pub const MAX_MAP_SIZE: usize = 1_000_000;

type RuleResult<T> = Result<T, Box<EvalAltResult>>;

fn runtime_error(message: String) -> Box<EvalAltResult> {
    EvalAltResult::ErrorRuntime(message.into(), Position::NONE).into()
}

/// A date, or the day of a session's start (`YYYY-MM-DD HH:MM`).
fn parse_date(s: &str) -> RuleResult<Date> {
    DayTime::parse(s)
        .map(|d| d.date)
        .ok_or_else(|| runtime_error(format!("`{s}` is not a date (YYYY-MM-DD)")))
}

fn to_float(v: &Dynamic) -> Option<FLOAT> {
    v.as_float()
        .ok()
        .or_else(|| v.as_int().ok().map(|i| i as FLOAT))
}

/// A record's figure by name, when the record is a map that gives it as a number.
fn field_number(record: &Dynamic, key: &str) -> Option<FLOAT> {
    record
        .read_lock::<rhai::Map>()
        .and_then(|m| m.get(key).and_then(to_float))
}

fn numbers(items: &Array) -> RuleResult<Vec<FLOAT>> {
    items
        .iter()
        .map(|v| {
            to_float(v).ok_or_else(|| runtime_error(format!("`{}` is not a number", v.type_name())))
        })
        .collect()
}

/// Longest one playbook's evaluation may run, by the clock: a second line of defence
/// behind the operation limit, for work the operation count does not see.
pub const MAX_EVALUATION_TIME: Duration = Duration::from_secs(1);

/// What a brand's size adds to the limits, per list entry of its profile (a product):
/// rules that walk the products do a few hundred operations for each. Pricing, the
/// heaviest, takes about 0.15 ms a product here; the time share leaves several times
/// that, for a machine running other work (the operation limit is the first bound).
pub const OPERATIONS_PER_ENTRY: u64 = 500;
pub const TIME_PER_ENTRY: Duration = Duration::from_micros(1000);
/// The most list entries a profile can have: each list section at most
/// [`crate::profile::MAX_LIST`].
const MAX_ENTRIES: usize = crate::facts::LIST_SECTIONS.len() * crate::profile::MAX_LIST;

/// The limits one evaluation runs under: the operations any one rule run may take, and
/// when the evaluation must stop.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub operations: u64,
    pub time: Duration,
}

impl Limits {
    /// The limits for a profile with `entries` list entries (products and sessions): the
    /// base limits plus a share per entry, so a 10,000-product catalogue runs and a loop
    /// still stops.
    pub fn for_entries(entries: usize) -> Limits {
        let entries = entries.min(MAX_ENTRIES) as u64;
        Limits {
            operations: MAX_OPERATIONS + OPERATIONS_PER_ENTRY * entries,
            time: MAX_EVALUATION_TIME + TIME_PER_ENTRY * entries as u32,
        }
    }
}

thread_local! {
    /// When the evaluation running on this thread must stop.
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
    /// How many operations one rule run may take on this thread.
    static BUDGET: Cell<u64> = const { Cell::new(MAX_OPERATIONS) };
}

/// Why a rule was stopped, as `EvalAltResult::ErrorTerminated` carries it.
pub const STOPPED_BY_OPERATIONS: &str = "the operation limit";
pub const STOPPED_BY_TIME: &str = "the time limit";

/// Runs `f` (one playbook's evaluation) under `limits`: a rule run past its operations,
/// or still running when the time is up, is stopped with
/// `EvalAltResult::ErrorTerminated` naming which.
pub fn with_limits<T>(limits: Limits, f: impl FnOnce() -> T) -> T {
    let before = DEADLINE.replace(Some(Instant::now() + limits.time));
    let budget = BUDGET.replace(limits.operations);
    let out = f();
    DEADLINE.set(before);
    BUDGET.set(budget);
    out
}

/// [`with_limits`] for a small profile.
pub fn with_deadline<T>(f: impl FnOnce() -> T) -> T {
    with_limits(Limits::for_entries(0), f)
}

/// Builds the one engine every playbook's rules run in.
///
/// Only the packages rules need are registered: numbers, logic, strings, arrays, maps,
/// maths, iteration and closures. Left out on purpose: the clock (`timestamp`, whose
/// results would make reports differ run to run), `sleep` (which the operation limit does
/// not count), `exit`, `parse_json`, blobs and debugging.
pub fn engine() -> Engine {
    use rhai::packages::{
        ArithmeticPackage, BasicArrayPackage, BasicFnPackage, BasicIteratorPackage,
        BasicMapPackage, BasicMathPackage, BasicStringPackage, BitFieldPackage, LogicPackage,
        MoreStringPackage, Package,
    };
    let mut engine = Engine::new_raw();
    ArithmeticPackage::new().register_into_engine(&mut engine);
    LogicPackage::new().register_into_engine(&mut engine);
    BasicStringPackage::new().register_into_engine(&mut engine);
    MoreStringPackage::new().register_into_engine(&mut engine);
    BasicIteratorPackage::new().register_into_engine(&mut engine);
    BasicFnPackage::new().register_into_engine(&mut engine);
    BasicArrayPackage::new().register_into_engine(&mut engine);
    BasicMapPackage::new().register_into_engine(&mut engine);
    BasicMathPackage::new().register_into_engine(&mut engine);
    BitFieldPackage::new().register_into_engine(&mut engine);
    // Checked every few hundred operations: reading the clock costs more than one.
    engine.on_progress(|ops| {
        if ops > BUDGET.get() {
            return Some(Dynamic::from(STOPPED_BY_OPERATIONS));
        }
        let late = ops % 256 == 0
            && DEADLINE
                .get()
                .is_some_and(|deadline| Instant::now() > deadline);
        late.then(|| Dynamic::from(STOPPED_BY_TIME))
    });
    engine
        // A backstop behind the per-brand budget the progress check enforces.
        .set_max_operations(Limits::for_entries(MAX_ENTRIES).operations + 1)
        .set_max_call_levels(MAX_CALL_LEVELS)
        .set_max_expr_depths(MAX_EXPR_DEPTH, MAX_EXPR_DEPTH)
        .set_max_string_size(MAX_STRING_SIZE)
        .set_max_array_size(MAX_ARRAY_SIZE)
        .set_max_map_size(MAX_MAP_SIZE)
        .set_max_modules(0)
        .set_strict_variables(true)
        .set_fail_on_invalid_map_property(true);
    engine.set_module_resolver(rhai::module_resolvers::DummyModuleResolver::new());
    // Rules compute; they do not talk.
    engine.on_print(|_| {});
    engine.on_debug(|_, _, _| {});
    engine.disable_symbol("eval");

    // Dates.
    engine.register_fn("add_days", |date: &str, days: INT| -> RuleResult<String> {
        parse_date(date)?
            .add_days(days)
            .map(|d| d.to_string())
            .ok_or_else(|| {
                runtime_error(format!(
                    "add_days(\"{date}\", {days}) falls outside the years 1 to 9999"
                ))
            })
    });
    engine.register_fn("days_between", |from: &str, to: &str| -> RuleResult<INT> {
        Ok(parse_date(to)?.to_days() - parse_date(from)?.to_days())
    });
    engine.register_fn("weekday", |date: &str| -> RuleResult<INT> {
        Ok(INT::from(parse_date(date)?.weekday()))
    });
    engine.register_fn("is_date", |s: &str| DayTime::parse(s).is_some());
    // The hour a session started (0-23), or () when only its day is known.
    engine.register_fn("start_hour", |s: &str| -> RuleResult<Dynamic> {
        let at = DayTime::parse(s)
            .ok_or_else(|| runtime_error(format!("`{s}` is not a date (YYYY-MM-DD HH:MM)")))?;
        Ok(at
            .time
            .map_or(Dynamic::UNIT, |(h, _)| Dynamic::from_int(INT::from(h))))
    });

    // Arithmetic that reads well in rules.
    engine.register_fn("ceil", |x: FLOAT| x.ceil() as INT);
    engine.register_fn("ceil", |x: INT| x);
    engine.register_fn("round_to", |x: FLOAT, places: INT| {
        let f = 10f64.powi(places.clamp(0, 9) as i32);
        (x * f).round() / f
    });
    engine.register_fn("round_to", |x: INT, _places: INT| x as FLOAT);
    engine.register_fn("num", |x: INT| x as FLOAT);
    engine.register_fn("num", |x: FLOAT| x);
    // Division that gives `fallback` instead of failing or printing infinity.
    engine.register_fn(
        "safe_div",
        |a: Dynamic, b: Dynamic, fallback: Dynamic| match (to_float(&a), to_float(&b)) {
            (Some(a), Some(b)) if b != 0.0 && (a / b).is_finite() => Dynamic::from_float(a / b),
            _ => fallback,
        },
    );
    engine.register_fn("sum", |items: Array| -> RuleResult<FLOAT> {
        Ok(numbers(&items)?.iter().sum())
    });
    // Over a list of records (sessions, products): the records that give a figure, its
    // total, and one total over another, each counting only the records that give both
    // figures, so a record without a figure neither counts as zero nor skews the rest.
    engine.register_fn("count_by", |items: Array, key: &str| -> INT {
        items
            .iter()
            .filter(|r| field_number(r, key).is_some())
            .count() as INT
    });
    engine.register_fn("sum_by", |items: Array, key: &str| -> Dynamic {
        let mut given = items.iter().filter_map(|r| field_number(r, key)).peekable();
        if given.peek().is_none() {
            return Dynamic::UNIT;
        }
        Dynamic::from_float(given.sum())
    });
    engine.register_fn(
        "ratio_by",
        |items: Array, top: &str, bottom: &str| -> Dynamic {
            let (mut a, mut b, mut n) = (0.0, 0.0, 0);
            for r in &items {
                if let (Some(x), Some(y)) = (field_number(r, top), field_number(r, bottom)) {
                    a += x;
                    b += y;
                    n += 1;
                }
            }
            if n == 0 || b == 0.0 || !(a / b).is_finite() {
                Dynamic::UNIT
            } else {
                Dynamic::from_float(a / b)
            }
        },
    );
    engine.register_fn("median", |items: Array| -> RuleResult<Dynamic> {
        let mut v = numbers(&items)?;
        if v.is_empty() {
            return Ok(Dynamic::UNIT);
        }
        v.sort_by(|a, b| a.total_cmp(b));
        let mid = v.len() / 2;
        let m = if v.len() % 2 == 0 {
            (v[mid - 1] + v[mid]) / 2.0
        } else {
            v[mid]
        };
        Ok(Dynamic::from_float(m))
    });
    engine.register_fn("min_of", |items: Array| -> RuleResult<Dynamic> {
        Ok(numbers(&items)?
            .into_iter()
            .reduce(FLOAT::min)
            .map_or(Dynamic::UNIT, Dynamic::from_float))
    });
    engine.register_fn("max_of", |items: Array| -> RuleResult<Dynamic> {
        Ok(numbers(&items)?
            .into_iter()
            .reduce(FLOAT::max)
            .map_or(Dynamic::UNIT, Dynamic::from_float))
    });
    // Charm pricing: the nearest price at or below `x` that ends in .9 (e.g. 31.4 -> 29.9
    // would be too far; 31.4 -> 30.9). Prices under 1 stay as they are.
    engine.register_fn("charm", |x: Dynamic| -> RuleResult<FLOAT> {
        let x = to_float(&x).ok_or_else(|| runtime_error("charm() needs a number".into()))?;
        Ok(charm_price(x))
    });
    engine.register_fn("fmt_num", |x: Dynamic| -> RuleResult<String> {
        let x = to_float(&x).ok_or_else(|| runtime_error("fmt_num() needs a number".into()))?;
        Ok(fmt_num(x))
    });
    // The `money`, `pct` and `int` formats, for numbers inside back-quoted strings. The
    // language does not matter to them: ¥ and % read the same in both.
    for (name, format) in [
        ("fmt_money", crate::playbook::text::Format::Money),
        ("fmt_pct", crate::playbook::text::Format::Pct),
        ("fmt_int", crate::playbook::text::Format::Int),
    ] {
        engine.register_fn(name, move |x: Dynamic| -> RuleResult<String> {
            to_float(&x).ok_or_else(|| runtime_error(format!("{name}() needs a number")))?;
            Ok(crate::playbook::text::format_value(
                &x,
                Some(format),
                crate::report::Lang::Zh,
            ))
        });
    }
    engine.register_fn("is_unit", |v: Dynamic| v.is_unit());
    engine.register_fn("join", |items: Array, sep: &str| {
        items
            .iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join(sep)
    });
    engine.register_fn("mentions", |text: &str, terms: Array| {
        terms.iter().any(|t| {
            t.read_lock::<ImmutableString>()
                .is_some_and(|t| mentions(text, &t))
        })
    });
    engine.register_fn("mentions", |text: &str, term: &str| mentions(text, term));
    engine
}

/// Whether `text` names `term`, ignoring case. A term in Latin letters must stand as a
/// whole word (an `s` plural allowed), so "donuts" does not name "nut"; any other term,
/// such as Chinese, matches anywhere in the text.
///
/// ```
/// use playbook_engine::rules::mentions;
/// assert!(mentions("Roasted Nuts", "nut"));
/// assert!(!mentions("glazed donuts", "nut"));
/// assert!(mentions("每日坚果", "坚果"));
/// ```
pub fn mentions(text: &str, term: &str) -> bool {
    let term = term.trim().to_lowercase();
    if term.is_empty() {
        return false;
    }
    let text = text.to_lowercase();
    if !term
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-')
    {
        return text.contains(&term);
    }
    let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    text.match_indices(&term).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let mut after = text[at + term.len()..].chars();
        let next = after.next();
        !word(before) && (!word(next) || (next == Some('s') && !word(after.next())))
    })
}

/// The nearest price at or below `x` ending in .9 (whole yuan minus a dime); prices below
/// 1 are returned unchanged.
///
/// ```
/// assert_eq!(playbook_engine::rules::charm_price(31.4), 30.9);
/// assert_eq!(playbook_engine::rules::charm_price(30.0), 29.9);
/// assert_eq!(playbook_engine::rules::charm_price(30.95), 30.9);
/// ```
pub fn charm_price(x: f64) -> f64 {
    if !x.is_finite() || x < 1.0 {
        return x;
    }
    let candidate = (x + 0.1).floor() - 0.1;
    let candidate = if candidate > x + 1e-9 {
        candidate - 1.0
    } else {
        candidate
    };
    ((candidate.max(0.9)) * 10.0).round() / 10.0
}

/// `x` as text for building sentences in rules: at most two decimals, trailing zeros
/// dropped, thousands grouped (what the `num` format prints).
///
/// ```
/// assert_eq!(playbook_engine::rules::fmt_num(32.0), "32");
/// assert_eq!(playbook_engine::rules::fmt_num(18.461538), "18.46");
/// assert_eq!(playbook_engine::rules::fmt_num(-1234.5), "-1,234.5");
/// ```
pub fn fmt_num(x: f64) -> String {
    let s = format!("{x:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    let s = if s == "-0" { "0" } else { s };
    let (sign, s) = match s.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", s),
    };
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (s, None),
    };
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_functions_read_a_sessions_start() {
        let engine = engine();
        let int = |src: &str| engine.eval::<INT>(src).unwrap();
        assert_eq!(int(r#"start_hour("2026-11-01 19:30")"#), 19);
        assert!(engine
            .eval::<Dynamic>(r#"start_hour("2026-11-01")"#)
            .unwrap()
            .is_unit());
        assert_eq!(int(r#"days_between("2026-11-01 19:00", "2026-11-03")"#), 2);
        assert_eq!(int(r#"weekday("2026-11-22 08:00")"#), 7);
        assert!(engine
            .eval::<bool>(r#"is_date("2026-11-01 19:00")"#)
            .unwrap());
        assert!(!engine
            .eval::<bool>(r#"is_date("2026-11-01 25:00")"#)
            .unwrap());
        assert!(engine.eval::<Dynamic>(r#"start_hour("soon")"#).is_err());
    }

    #[test]
    fn runaway_loops_stop_at_the_operation_limit() {
        let engine = engine();
        let err = engine
            .eval::<INT>("let x = 0; loop { x += 1; }")
            .unwrap_err();
        let EvalAltResult::ErrorTerminated(why, _) = *err else {
            panic!("{err}")
        };
        assert_eq!(why.into_string().unwrap(), STOPPED_BY_OPERATIONS);
    }

    #[test]
    fn a_large_catalogue_raises_the_limits_and_a_loop_still_stops() {
        let small = Limits::for_entries(0);
        assert_eq!(small.operations, MAX_OPERATIONS);
        let large = Limits::for_entries(10_000);
        assert_eq!(
            large.operations,
            MAX_OPERATIONS + 10_000 * OPERATIONS_PER_ENTRY
        );
        assert_eq!(large.time, Duration::from_secs(11));
        // Past the list limits nothing more is granted.
        let most = Limits::for_entries(MAX_ENTRIES);
        assert_eq!(Limits::for_entries(1_000_000).operations, most.operations);
        let engine = engine();
        let count = "let x = 0; while x < 300000 { x += 1; } x";
        assert!(with_limits(small, || engine.eval::<INT>(count)).is_err());
        assert_eq!(
            with_limits(large, || engine.eval::<INT>(count)).unwrap(),
            300_000
        );
        assert!(with_limits(large, || engine.eval::<INT>("loop {}")).is_err());
    }

    #[test]
    fn no_file_or_module_access() {
        let engine = engine();
        assert!(engine.eval::<Dynamic>(r#"import "x" as y; 1"#).is_err());
        assert!(engine.eval::<Dynamic>(r#"eval("1")"#).is_err());
    }

    #[test]
    fn formats_inside_strings_match_the_placeholders() {
        let engine = engine();
        let eval = |s: &str| engine.eval::<String>(s).unwrap();
        assert_eq!(eval("fmt_money(1000000)"), "¥1,000,000");
        assert_eq!(eval("fmt_money(29.95)"), "¥29.95");
        assert_eq!(eval("fmt_pct(0.025)"), "2.5%");
        assert_eq!(eval("fmt_int(1234.6)"), "1,235");
        assert!(engine.eval::<String>(r#"fmt_money("x")"#).is_err());
    }

    #[test]
    fn helpers_compute() {
        let engine = engine();
        assert_eq!(
            engine
                .eval::<String>(r#"add_days("2026-12-12", -3)"#)
                .unwrap(),
            "2026-12-09"
        );
        // A huge number of days is an error, not a wrapped-around year.
        let err = engine
            .eval::<String>(r#"add_days("2026-12-12", 9223372036854775807)"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("falls outside the years 1 to 9999"), "{err}");
        let err = engine
            .eval::<String>(r#"add_days("2026-12-12", 1000000000)"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("falls outside"), "{err}");
        assert_eq!(engine.eval::<INT>("ceil(14.0 / 6)").unwrap(), 3);
        assert_eq!(engine.eval::<FLOAT>("median([3, 1.0, 2])").unwrap(), 2.0);
        assert!(engine
            .eval::<Dynamic>("safe_div(1, 0, ())")
            .unwrap()
            .is_unit());
        assert_eq!(engine.eval::<INT>("max(2, 5)").unwrap(), 5);
        assert_eq!(engine.eval::<String>("fmt_num(1.0)").unwrap(), "1");
        assert_eq!(engine.eval::<String>("fmt_num(12)").unwrap(), "12");
        assert_eq!(engine.eval::<String>("fmt_num(1.0 / 0.6)").unwrap(), "1.67");
        assert_eq!(
            engine.eval::<String>("fmt_num(1234567.891)").unwrap(),
            "1,234,567.89"
        );
        assert_eq!(engine.eval::<String>("fmt_num(-0.001)").unwrap(), "0");
    }
}
