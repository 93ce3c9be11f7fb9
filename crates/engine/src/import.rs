//! Per-session records from a platform's analytics export (CSV, or a spreadsheet: XLSX,
//! XLS, ODS), for `--sessions FILE`.
//!
//! Headers are matched in Chinese or English through [`ALIASES`] (documented in
//! `docs/sessions.md`), plus a user's own mapping file (`--columns FILE`). Cells take the
//! forms exports use: thousands separators, `¥` and `元`, `万` and `亿`, `%`, durations
//! as `4:30:00` or `4小时30分`, dates as `2026/11/1 19:00` or `2026年11月1日`, and
//! spreadsheet dates and times. A cell that cannot be read is an error naming the file, its
//! row and its column; columns that match no field are ignored with one warning.

use crate::error::{Error, Result};
use crate::profile::{Count, Date, DayTime, NonNegative, Session};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// How a field's cells are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The session's day and start.
    Start,
    /// A length in hours.
    Hours,
    /// A length in seconds.
    Seconds,
    /// A whole number.
    Count,
    /// Yuan.
    Money,
}

/// Every session field, how it is read, and the headers exports give it (matched after
/// [`normalize`]: case, spaces, `_`/`-` and a bracketed unit do not matter), the most
/// telling first: when an export has two headers for one field (观看人次, room entries,
/// and 观看人数, people), the earlier one is read and the other named in a warning.
pub const ALIASES: &[(&str, &[&str])] = &[
    (
        "date",
        &[
            "开播时间",
            "直播开始时间",
            "开播日期",
            "直播日期",
            "开始时间",
            "日期",
            "场次时间",
            "date",
            "start",
            "starttime",
            "sessionstart",
            "livestart",
        ],
    ),
    (
        "hours",
        &[
            "直播时长",
            "开播时长",
            "时长",
            "hours",
            "duration",
            "length",
            "livehours",
        ],
    ),
    (
        "impressions",
        &[
            "直播间曝光次数",
            "曝光次数",
            "直播间曝光人数",
            "曝光人数",
            "impressions",
            "roomimpressions",
            "exposures",
        ],
    ),
    (
        "viewers",
        &[
            "观看人次",
            "进入直播间人次",
            "进房人次",
            "场观",
            "观看人数",
            "累计观看人数",
            "进入直播间人数",
            "viewers",
            "views",
            "entries",
            "roomentries",
        ],
    ),
    (
        "avg_stay_seconds",
        &[
            "人均停留时长",
            "人均观看时长",
            "平均停留时长",
            "avgstay",
            "averagestay",
            "avgstayseconds",
            "averagewatchtime",
        ],
    ),
    (
        "product_impressions",
        &[
            "商品曝光次数",
            "商品曝光",
            "商品曝光人数",
            "productimpressions",
        ],
    ),
    (
        "product_clicks",
        &[
            "商品点击次数",
            "商品点击",
            "点击次数",
            "商品点击人数",
            "productclicks",
            "clicks",
        ],
    ),
    (
        "orders",
        &["成交订单数", "订单数", "成交单数", "orders", "ordercount"],
    ),
    (
        "gmv",
        &[
            "成交金额",
            "直播间成交金额",
            "成交额",
            "销售额",
            "gmv",
            "sales",
            "revenue",
        ],
    ),
    (
        "ad_spend",
        &[
            "千川消耗",
            "投放消耗",
            "广告消耗",
            "投放金额",
            "消耗",
            "adspend",
            "spend",
            "adcost",
        ],
    ),
    (
        "paid_gmv",
        &[
            "千川成交金额",
            "投放成交金额",
            "付费成交金额",
            "paidgmv",
            "adgmv",
        ],
    ),
    (
        "new_followers",
        &[
            "新增粉丝数",
            "新增粉丝",
            "涨粉数",
            "涨粉",
            "newfollowers",
            "followersgained",
        ],
    ),
    (
        "interactions",
        &[
            "互动次数",
            "互动数",
            "评论次数",
            "评论数",
            "interactions",
            "comments",
        ],
    ),
];

fn kind(field: &str) -> Kind {
    match field {
        "date" => Kind::Start,
        "hours" => Kind::Hours,
        "avg_stay_seconds" => Kind::Seconds,
        "gmv" | "ad_spend" | "paid_gmv" => Kind::Money,
        _ => Kind::Count,
    }
}

/// The most rows read: a profile holds at most this many sessions.
const MAX_ROWS: usize = crate::profile::MAX_LIST;
/// The largest export read, in bytes.
const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// What an export held.
#[derive(Debug, Clone, Default)]
pub struct Imported {
    pub sessions: Vec<Session>,
    /// Things the user should know (columns that matched no field).
    pub warnings: Vec<String>,
}

/// A cell as the file gave it.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// A spreadsheet date or time: days since 1899-12-30, the fraction the time of day.
    Serial(f64),
}

/// Header text as it is matched: lower case, without spaces, `_`, `-`, `.`, or a unit in
/// brackets at the end (`成交金额(元)`, `GMV（¥）`).
///
/// ```
/// use playbook_engine::import::normalize;
/// assert_eq!(normalize(" 成交金额（元） "), "成交金额");
/// assert_eq!(normalize("Ad_Spend (CNY)"), "adspend");
/// ```
pub fn normalize(header: &str) -> String {
    let mut h = header.trim().trim_start_matches('\u{feff}').to_string();
    for (open, close) in [('(', ')'), ('（', '）'), ('[', ']'), ('【', '】')] {
        if h.ends_with(close) {
            if let Some(at) = h.rfind(open) {
                h.truncate(at);
            }
        }
    }
    h.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Reads `path`'s sessions, with the extra header names of `columns` (a YAML mapping file:
/// `field: header` or `field: [header, ...]`).
pub fn read_sessions(path: &Path, columns: Option<&Path>) -> Result<Imported> {
    let aliases = alias_table(columns)?;
    let rows = read_rows(path)?;
    sessions_from_rows(path, &rows, &aliases)
}

/// Normalised header -> (field, rank): the user's names rank first (0), then the field's
/// own name (1), then the built-in headers in their order. Of two columns for one field
/// the lower rank is read.
fn alias_table(columns: Option<&Path>) -> Result<BTreeMap<String, (&'static str, usize)>> {
    let mut table = BTreeMap::new();
    for (field, names) in ALIASES {
        for (i, name) in names.iter().enumerate() {
            table.insert(normalize(name), (*field, i + 2));
        }
        table.insert(normalize(field), (*field, 1));
    }
    let Some(file) = columns else {
        return Ok(table);
    };
    let bytes = crate::profile::read_capped(file, 1024 * 1024)?.ok_or_else(|| Error::Profile {
        location: crate::error::Location::file(file),
        message: "larger than 1 MB; a column mapping is a few lines".into(),
    })?;
    let text = String::from_utf8(bytes).map_err(|_| Error::Profile {
        location: crate::error::Location::file(file),
        message: "not UTF-8 text".into(),
    })?;
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Names {
        One(String),
        Many(Vec<String>),
    }
    let map: BTreeMap<String, Names> = if text.trim().is_empty() {
        BTreeMap::new()
    } else {
        yaml_serde::from_str(&text).map_err(|e| crate::profile::yaml_error(file, &e))?
    };
    let fields: Vec<&str> = ALIASES.iter().map(|(f, _)| *f).collect();
    for (field, names) in map {
        let Some(known) = fields.iter().find(|f| **f == field) else {
            let hint = crate::suggest::nearest(&field, fields.iter().copied())
                .map(|n| format!("; did you mean `{n}`?"))
                .unwrap_or_default();
            return Err(Error::Profile {
                location: located(file, &text, &field),
                message: format!(
                    "`{field}` is not a session field (they are {}){hint}",
                    fields.join(", ")
                ),
            });
        };
        let names = match names {
            Names::One(n) => vec![n],
            Names::Many(n) => n,
        };
        for name in names {
            table.insert(normalize(&name), (*known, 0));
        }
    }
    Ok(table)
}

/// Where `key` starts in a YAML mapping file, for its error.
fn located(file: &Path, text: &str, key: &str) -> crate::error::Location {
    let map = crate::playbook::source::SourceMap::build(text);
    match map.get(key) {
        Some(span) => crate::error::Location::at(file, span.line, span.column),
        None => crate::error::Location::file(file),
    }
}

/// The cells of every row, the header row included, in file order.
fn read_rows(path: &Path) -> Result<Vec<Vec<Cell>>> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match extension.as_str() {
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => read_workbook(path),
        "csv" | "tsv" | "txt" => read_csv(path),
        _ => Err(Error::Usage(format!(
            "{}: a sessions export is a .csv, .tsv, .xlsx, .xls or .ods file",
            path.display()
        ))),
    }
}

fn read_csv(path: &Path) -> Result<Vec<Vec<Cell>>> {
    let bytes = crate::profile::read_capped(path, MAX_BYTES)?
        .ok_or_else(|| import_error(path, None, format!("larger than {} MB", MAX_BYTES >> 20)))?;
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    let first_line = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let tabs = first_line.iter().filter(|b| **b == b'\t').count();
    let commas = first_line.iter().filter(|b| **b == b',').count();
    let tsv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("tsv"))
        || tabs > commas;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(if tsv { b'\t' } else { b',' })
        .from_reader(bytes);
    let mut rows = Vec::new();
    for (i, record) in reader.byte_records().enumerate() {
        let row = i + 1;
        let record = record.map_err(|e| import_error(path, Some((row, None)), e.to_string()))?;
        if rows.len() > MAX_ROWS {
            return Err(import_error(
                path,
                Some((row, None)),
                format!("more than {MAX_ROWS} sessions; a profile holds at most that many"),
            ));
        }
        let mut cells = Vec::with_capacity(record.len());
        for (j, field) in record.iter().enumerate() {
            let text = std::str::from_utf8(field).map_err(|_| {
                import_error(
                    path,
                    Some((row, Some(j))),
                    "not UTF-8 text: save the export as CSV UTF-8".into(),
                )
            })?;
            let text = text.trim();
            cells.push(if text.is_empty() {
                Cell::Empty
            } else {
                Cell::Text(text.to_string())
            });
        }
        rows.push(cells);
    }
    Ok(rows)
}

fn read_workbook(path: &Path) -> Result<Vec<Vec<Cell>>> {
    use calamine::{Data, Reader};
    let size = std::fs::metadata(path)
        .map_err(|e| Error::io(path, e))?
        .len();
    if size > MAX_BYTES {
        return Err(import_error(
            path,
            None,
            format!("larger than {} MB", MAX_BYTES >> 20),
        ));
    }
    let mut book = calamine::open_workbook_auto(path).map_err(|e| {
        import_error(
            path,
            None,
            format!("not a spreadsheet this tool can read: {e}"),
        )
    })?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| import_error(path, None, "the workbook has no sheet".into()))?
        .map_err(|e| import_error(path, None, format!("its first sheet cannot be read: {e}")))?;
    let Some((first_row, first_col)) = range.start() else {
        return Ok(Vec::new());
    };
    if range.height() > MAX_ROWS + 1 {
        return Err(import_error(
            path,
            None,
            format!("more than {MAX_ROWS} sessions; a profile holds at most that many"),
        ));
    }
    // Rows and columns as the spreadsheet numbers them, from its first cell.
    let mut rows = vec![Vec::new(); first_row as usize];
    for row in range.rows() {
        let mut cells = vec![Cell::Empty; first_col as usize];
        for cell in row {
            cells.push(match cell {
                Data::Empty => Cell::Empty,
                Data::Int(n) => Cell::Number(*n as f64),
                Data::Float(x) => Cell::Number(*x),
                Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
                    let s = s.trim();
                    if s.is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(s.to_string())
                    }
                }
                Data::Bool(b) => Cell::Text(b.to_string()),
                Data::DateTime(d) => Cell::Serial(d.as_f64()),
                Data::Error(e) => Cell::Text(format!("#{e:?}")),
            });
        }
        rows.push(cells);
    }
    Ok(rows)
}

/// `A`, `B`, ... `Z`, `AA`, ...: a spreadsheet's name for the 0-based column `j`.
fn column_name(j: usize) -> String {
    let mut n = j + 1;
    let mut name = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        name.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// An error at a row (1-based) and column (0-based) of an export.
fn import_error(path: &Path, at: Option<(usize, Option<usize>)>, message: String) -> Error {
    let place = match at {
        None => String::new(),
        Some((row, None)) => format!("row {row}: "),
        Some((row, Some(j))) => format!("row {row}, column {}: ", column_name(j)),
    };
    Error::Import {
        file: PathBuf::from(path),
        message: format!("{place}{message}"),
    }
}

fn sessions_from_rows(
    path: &Path,
    rows: &[Vec<Cell>],
    aliases: &BTreeMap<String, (&'static str, usize)>,
) -> Result<Imported> {
    let Some(header_at) = rows
        .iter()
        .position(|r| r.iter().any(|c| *c != Cell::Empty))
    else {
        return Err(import_error(path, None, "the file is empty".into()));
    };
    let header = &rows[header_at];
    let header_row = header_at + 1;
    let text = |c: &Cell| match c {
        Cell::Text(s) => s.clone(),
        Cell::Number(x) | Cell::Serial(x) => x.to_string(),
        Cell::Empty => String::new(),
    };
    // Column -> field; for each field, the rank and column read; the columns that match
    // nothing, and those passed over for a better header of the same field.
    let mut fields: Vec<Option<&'static str>> = vec![None; header.len()];
    let mut seen: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut ignored = Vec::new();
    let mut passed_over: Vec<(usize, usize)> = Vec::new();
    for (j, cell) in header.iter().enumerate() {
        let name = text(cell);
        if name.is_empty() {
            continue;
        }
        let Some(&(field, rank)) = aliases.get(&normalize(&name)) else {
            ignored.push(format!("{} ({name})", column_name(j)));
            continue;
        };
        match seen.get(field).copied() {
            Some((r, before)) if r == rank => {
                return Err(import_error(
                    path,
                    Some((header_row, Some(j))),
                    format!(
                        "`{name}` and column {} (`{}`) both give `{field}`; keep one, or map the other to another field with --columns",
                        column_name(before),
                        text(&header[before])
                    ),
                ));
            }
            Some((r, before)) if r < rank => passed_over.push((j, before)),
            Some((_, before)) => {
                passed_over.push((before, j));
                fields[before] = None;
                fields[j] = Some(field);
                seen.insert(field, (rank, j));
            }
            None => {
                fields[j] = Some(field);
                seen.insert(field, (rank, j));
            }
        }
    }
    if !seen.contains_key("date") {
        let known: Vec<&str> = ALIASES[0].1.iter().take(3).copied().collect();
        return Err(import_error(
            path,
            Some((header_row, None)),
            format!(
                "no column gives the session's date (a header such as {}, or date); name yours with --columns",
                known.join(", ")
            ),
        ));
    }
    let mut warnings = Vec::new();
    for (left, read) in passed_over {
        warnings.push(format!(
            "{}: column {} (`{}`) is not read: column {} (`{}`) gives the same field",
            path.display(),
            column_name(left),
            text(&header[left]),
            column_name(read),
            text(&header[read])
        ));
    }
    if !ignored.is_empty() {
        warnings.push(format!(
            "{}: ignored {} column(s) that match no session field: {} (see docs/sessions.md, or map them with --columns)",
            path.display(),
            ignored.len(),
            ignored.join(", ")
        ));
    }
    let mut sessions = Vec::new();
    for (i, row) in rows.iter().enumerate().skip(header_at + 1) {
        if row.iter().all(|c| *c == Cell::Empty) {
            continue;
        }
        let row_number = i + 1;
        let mut session = Session {
            date: DayTime {
                date: Date {
                    year: 1970,
                    month: 1,
                    day: 1,
                },
                time: None,
            },
            hours: None,
            impressions: None,
            viewers: None,
            avg_stay_seconds: None,
            product_impressions: None,
            product_clicks: None,
            orders: None,
            gmv: None,
            ad_spend: None,
            paid_gmv: None,
            new_followers: None,
            interactions: None,
        };
        let mut dated = false;
        for (j, field) in fields.iter().enumerate() {
            let Some(field) = field else { continue };
            let cell = row.get(j).unwrap_or(&Cell::Empty);
            let fail = |message: String| {
                import_error(
                    path,
                    Some((row_number, Some(j))),
                    format!("{} `{}`: {message}", text(&header[j]), text(cell)),
                )
            };
            if kind(field) == Kind::Start {
                if *cell == Cell::Empty {
                    return Err(import_error(
                        path,
                        Some((row_number, Some(j))),
                        format!("{}: a session needs its date", text(&header[j])),
                    ));
                }
                session.date = start(cell).ok_or_else(|| {
                    fail("not a date (2026-11-01, 2026/11/1 19:00, 2026年11月1日)".into())
                })?;
                dated = true;
                continue;
            }
            let Some(value) = number(cell, kind(field)).map_err(fail)? else {
                continue;
            };
            set(&mut session, field, value).map_err(fail)?;
        }
        if !dated {
            return Err(import_error(
                path,
                Some((row_number, None)),
                "a session needs its date".into(),
            ));
        }
        sessions.push(session);
    }
    Ok(Imported { sessions, warnings })
}

/// Stores `value` in `field`, within the range the profile allows.
fn set(session: &mut Session, field: &str, value: f64) -> std::result::Result<(), String> {
    let amount = || -> std::result::Result<Option<NonNegative>, String> {
        serde_json::from_value::<NonNegative>(serde_json::json!(value))
            .map(Some)
            .map_err(|_| format!("expected {}", NonNegative::RANGE))
    };
    let count = || -> std::result::Result<Option<Count>, String> {
        if value.fract() != 0.0 {
            return Err("expected a whole number".into());
        }
        serde_json::from_value::<Count>(serde_json::json!(value as i64))
            .map(Some)
            .map_err(|_| "expected a whole number from 0 to 1e12".into())
    };
    match field {
        "hours" => session.hours = amount()?,
        "avg_stay_seconds" => session.avg_stay_seconds = amount()?,
        "gmv" => session.gmv = amount()?,
        "ad_spend" => session.ad_spend = amount()?,
        "paid_gmv" => session.paid_gmv = amount()?,
        "impressions" => session.impressions = count()?,
        "viewers" => session.viewers = count()?,
        "product_impressions" => session.product_impressions = count()?,
        "product_clicks" => session.product_clicks = count()?,
        "orders" => session.orders = count()?,
        "new_followers" => session.new_followers = count()?,
        "interactions" => session.interactions = count()?,
        _ => unreachable!("every field in ALIASES is handled"),
    }
    Ok(())
}

/// A number cell as `kind` reads it; `None` for an empty cell or a dash.
fn number(cell: &Cell, kind: Kind) -> std::result::Result<Option<f64>, String> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Number(x) => Ok(Some(*x)),
        // A time of day cell holding a length: its fraction of a day.
        Cell::Serial(x) => match kind {
            Kind::Hours => Ok(Some(x * 24.0)),
            Kind::Seconds => Ok(Some(x * 86_400.0)),
            _ => Err("a date where a number belongs".into()),
        },
        Cell::Text(s) => {
            let s = s.trim();
            if matches!(s, "-" | "--" | "—" | "/" | "N/A" | "n/a") {
                return Ok(None);
            }
            let value = match kind {
                Kind::Hours => duration(s, 3600.0).map(|secs| secs / 3600.0),
                Kind::Seconds => duration(s, 1.0),
                _ => plain_number(s),
            };
            value.map(Some).ok_or_else(|| "not a number".to_string())
        }
    }
}

/// `12,000`, `¥10,850.00`, `1.2万`, `12.5%`, `3,000元`: the number, scaled.
fn plain_number(s: &str) -> Option<f64> {
    let mut t: String = s
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | '¥' | '￥' | ' ' | '\u{a0}'))
        .collect();
    if let Some(rest) = t.strip_suffix('元') {
        t = rest.to_string();
    }
    let mut scale = 1.0;
    for (suffix, factor) in [
        ("%", 0.01),
        ("万", 1e4),
        ("亿", 1e8),
        ("w", 1e4),
        ("W", 1e4),
    ] {
        if let Some(rest) = t.strip_suffix(suffix) {
            t = rest.to_string();
            scale = factor;
            break;
        }
    }
    if t.is_empty()
        || !t
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')
    {
        return None;
    }
    let x: f64 = t.parse().ok()?;
    x.is_finite().then_some(x * scale)
}

/// A length in seconds: `4:30:00`, `48:00` (minutes and seconds when `unit` is 1 s, hours
/// and minutes when it is an hour), `4小时30分`, `1分30秒`, `4h30m`, `90s`, or a bare
/// number in `unit` seconds.
fn duration(s: &str, unit: f64) -> Option<f64> {
    if let Some(x) = plain_number(s) {
        return Some(x * unit);
    }
    if s.contains(':') {
        let parts: Vec<f64> = s
            .split(':')
            .map(|p| p.trim().parse::<f64>().ok())
            .collect::<Option<_>>()?;
        return match parts.as_slice() {
            [h, m, sec] => Some(h * 3600.0 + m * 60.0 + sec),
            [a, b] if unit >= 3600.0 => Some(a * 3600.0 + b * 60.0),
            [a, b] => Some(a * 60.0 + b),
            _ => None,
        };
    }
    // Number-and-unit pairs: 4小时30分钟, 1分30秒, 4h30m, 90s.
    let mut total = 0.0;
    let mut digits = String::new();
    let mut any = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            digits.push(c);
            continue;
        }
        if c.is_whitespace() {
            continue;
        }
        let mut word = c.to_string();
        while let Some(&n) = chars.peek() {
            if n.is_ascii_digit() || n == '.' || n.is_whitespace() {
                break;
            }
            word.push(n);
            chars.next();
        }
        let seconds = match word.to_lowercase().as_str() {
            "小时" | "时" | "h" | "hr" | "hrs" | "hour" | "hours" => 3600.0,
            "分钟" | "分" | "m" | "min" | "mins" | "minute" | "minutes" => 60.0,
            "秒" | "秒钟" | "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
            _ => return None,
        };
        let x: f64 = digits.parse().ok()?;
        digits.clear();
        total += x * seconds;
        any = true;
    }
    (any && digits.is_empty()).then_some(total)
}

/// A session's start: `2026-11-01`, `2026/11/1`, `2026.11.01`, `2026年11月1日`, each
/// optionally with ` 19:00` or ` 19:00:00`, or a spreadsheet date.
fn start(cell: &Cell) -> Option<DayTime> {
    match cell {
        Cell::Serial(x) | Cell::Number(x) => serial(*x),
        Cell::Text(s) => start_text(s),
        Cell::Empty => None,
    }
}

fn serial(x: f64) -> Option<DayTime> {
    // Spreadsheet day 1 is 1900-01-01; day 0 counts from 1899-12-30 for dates after
    // February 1900, as every export's dates are.
    if !(1.0..2_958_466.0).contains(&x) {
        return None;
    }
    let days = x.floor() as i64;
    let base = Date {
        year: 1899,
        month: 12,
        day: 30,
    };
    let date = base.add_days(days)?;
    let minutes = ((x - x.floor()) * 1440.0).round() as u32;
    let time = (minutes > 0 && minutes < 1440).then_some((minutes / 60, minutes % 60));
    Some(DayTime { date, time })
}

fn start_text(s: &str) -> Option<DayTime> {
    let s = s.trim();
    let (day, clock) = match s.find([' ', 'T']) {
        Some(at) => (&s[..at], Some(s[at + 1..].trim())),
        None => (s, None),
    };
    let day = day.trim_end_matches('日');
    let parts: Vec<&str> = day.split(['-', '/', '.', '年', '月']).collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let (y, m, d): (i32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let date = Date::parse(&format!("{y:04}-{m:02}-{d:02}"))?;
    let time = match clock {
        None | Some("") => None,
        Some(c) => {
            let parts: Vec<&str> = c.split(':').collect();
            let (h, min): (u32, u32) = match parts.as_slice() {
                [h, m] | [h, m, _] => (h.parse().ok()?, m.parse().ok()?),
                _ => return None,
            };
            if h >= 24 || min >= 60 {
                return None;
            }
            Some((h, min))
        }
    };
    Some(DayTime { date, time })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_take_the_forms_exports_use() {
        assert_eq!(plain_number("12,000"), Some(12_000.0));
        assert_eq!(plain_number("¥10,850.50"), Some(10_850.5));
        assert_eq!(plain_number("￥3,000元"), Some(3_000.0));
        assert_eq!(plain_number("1.2万"), Some(12_000.0));
        assert_eq!(plain_number("12.5%"), Some(0.125));
        assert_eq!(plain_number("12,3x"), None);
        assert_eq!(plain_number("inf"), None);
        assert_eq!(plain_number(""), None);
    }

    #[test]
    fn lengths_read_in_hours_or_seconds() {
        assert_eq!(duration("4:30:00", 3600.0), Some(16_200.0));
        assert_eq!(duration("4:30", 3600.0), Some(16_200.0));
        assert_eq!(duration("1:30", 1.0), Some(90.0));
        assert_eq!(duration("4小时30分", 3600.0), Some(16_200.0));
        assert_eq!(duration("1分30秒", 1.0), Some(90.0));
        assert_eq!(duration("48秒", 1.0), Some(48.0));
        assert_eq!(duration("4h30m", 3600.0), Some(16_200.0));
        assert_eq!(duration("4.5", 3600.0), Some(16_200.0));
        assert_eq!(duration("4 parsecs", 3600.0), None);
        assert_eq!(duration("30分4", 1.0), None);
    }

    #[test]
    fn starts_take_the_forms_exports_use() {
        let s = |t: &str| start_text(t).map(|d| d.to_string());
        assert_eq!(s("2026-11-01").as_deref(), Some("2026-11-01"));
        assert_eq!(s("2026/11/1 19:00").as_deref(), Some("2026-11-01 19:00"));
        assert_eq!(
            s("2026.11.01 19:05:30").as_deref(),
            Some("2026-11-01 19:05")
        );
        assert_eq!(s("2026年11月1日").as_deref(), Some("2026-11-01"));
        assert_eq!(s("2026-11-01T08:00").as_deref(), Some("2026-11-01 08:00"));
        assert_eq!(s("2026-02-30"), None);
        assert_eq!(s("2026-11-01 25:00"), None);
        assert_eq!(s("yesterday"), None);
        // 46327 is 2026-11-01 in a spreadsheet; .8125 of a day is 19:30.
        assert_eq!(
            serial(46_327.812_5).map(|d| d.to_string()).as_deref(),
            Some("2026-11-01 19:30")
        );
    }

    #[test]
    fn columns_are_named_as_spreadsheets_name_them() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(27), "AB");
    }

    #[test]
    fn every_alias_reads_one_field() {
        let mut seen = BTreeMap::new();
        for (field, names) in ALIASES {
            for name in names.iter().chain(std::iter::once(field)) {
                let key = normalize(name);
                if let Some(other) = seen.insert(key.clone(), *field) {
                    assert_eq!(other, *field, "`{name}` names two fields");
                }
            }
        }
    }
}
