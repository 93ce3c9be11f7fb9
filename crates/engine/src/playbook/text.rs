//! Playbook text with `{expression}` placeholders, and how values print in each language.
//!
//! A placeholder holds a rule expression, optionally followed by `:format`
//! (`{account.followers:int}`, `{hero_share:pct}`). `{{` and `}}` print single braces.
//! What a placeholder produces is inserted as plain text: it is never parsed again.

use crate::report::Lang;
use rhai::{Dynamic, FLOAT, INT};

/// How a value prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Whole number with thousands separators: 1,000,000.
    Int,
    /// Up to two decimals, trailing zeros dropped: 4.6, 2.35.
    Num,
    /// Yuan: ¥29.9, ¥1,000,000; whole yuan from ¥10,000 up.
    Money,
    /// A 0-1 rate as a percentage: 0.025 -> 2.5%.
    Pct,
    /// As is.
    Text,
}

impl Format {
    pub const NAMES: [&'static str; 5] = ["int", "num", "money", "pct", "text"];

    pub fn parse(name: &str) -> Option<Format> {
        Some(match name {
            "int" => Format::Int,
            "num" => Format::Num,
            "money" => Format::Money,
            "pct" => Format::Pct,
            "text" => Format::Text,
            _ => return None,
        })
    }
}

/// One piece of a text: literal characters, or a placeholder.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Literal(String),
    /// Expression source, its format, and its (line, column) inside the text, 1-based.
    Placeholder {
        expr: String,
        format: Option<Format>,
        at: (usize, usize),
    },
}

/// Splits a text into pieces. Errors give the (line, column) inside the text.
pub fn split(text: &str) -> Result<Vec<Piece>, ((usize, usize), String)> {
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut chars = text.char_indices().peekable();
    let (mut line, mut col) = (1usize, 0usize);
    let advance = |c: char, line: &mut usize, col: &mut usize| {
        if c == '\n' {
            *line += 1;
            *col = 0;
        } else {
            *col += 1;
        }
    };
    while let Some((_, c)) = chars.next() {
        advance(c, &mut line, &mut col);
        match c {
            '{' if chars.peek().map(|p| p.1) == Some('{') => {
                let (_, c2) = chars.next().unwrap_or((0, '{'));
                advance(c2, &mut line, &mut col);
                literal.push('{');
            }
            '}' if chars.peek().map(|p| p.1) == Some('}') => {
                let (_, c2) = chars.next().unwrap_or((0, '}'));
                advance(c2, &mut line, &mut col);
                literal.push('}');
            }
            '}' => {
                return Err((
                    (line, col),
                    "a `}` without its `{` (write `}}` for a brace)".into(),
                ))
            }
            '{' => {
                let open = (line, col);
                let mut depth = 1;
                let mut expr = String::new();
                let mut quote: Option<char> = None;
                loop {
                    let Some((_, c)) = chars.next() else {
                        return Err((
                            open,
                            "this `{` is never closed (write `{{` for a brace)".into(),
                        ));
                    };
                    advance(c, &mut line, &mut col);
                    match (quote, c) {
                        (Some(q), c) if c == q => quote = None,
                        (Some(_), _) => {}
                        (None, '"' | '\'' | '`') => quote = Some(c),
                        (None, '{') => depth += 1,
                        (None, '}') => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    expr.push(c);
                }
                let (expr, format) = match expr.rsplit_once(':') {
                    Some((head, name)) if Format::parse(name.trim()).is_some() => {
                        (head.to_string(), Format::parse(name.trim()))
                    }
                    _ => (expr, None),
                };
                if expr.trim().is_empty() {
                    return Err((open, "an empty `{}` placeholder".into()));
                }
                if !literal.is_empty() {
                    pieces.push(Piece::Literal(std::mem::take(&mut literal)));
                }
                pieces.push(Piece::Placeholder {
                    expr,
                    format,
                    at: (open.0, open.1 + 1),
                });
            }
            c => literal.push(c),
        }
    }
    if !literal.is_empty() {
        pieces.push(Piece::Literal(literal));
    }
    for piece in &mut pieces {
        if let Piece::Literal(s) = piece {
            *s = drop_spaces_between_cjk(s);
        }
    }
    Ok(pieces)
}

/// Whether `c` is a Han character or CJK / full-width punctuation.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FFF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFF60 | 0x20000..=0x2FA1F)
}

/// YAML folds line breaks into spaces; between two CJK characters such a space is noise.
fn drop_spaces_between_cjk(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        let between = c == ' '
            && i > 0
            && chars.get(i + 1).is_some_and(|&n| is_cjk(n))
            && is_cjk(chars[i - 1]);
        if !between {
            out.push(c);
        }
    }
    out
}

/// Prints a rule's value for a reader of `lang`.
pub fn format_value(value: &Dynamic, format: Option<Format>, lang: Lang) -> String {
    if value.is_unit() {
        return "—".to_string();
    }
    if let Ok(b) = value.as_bool() {
        return match (lang, b) {
            (Lang::Zh, true) => "是",
            (Lang::Zh, false) => "否",
            (Lang::En, true) => "yes",
            (Lang::En, false) => "no",
        }
        .to_string();
    }
    let number = value
        .as_float()
        .ok()
        .or_else(|| value.as_int().ok().map(|i| i as FLOAT));
    if let Some(x) = number {
        let is_int = value.is::<INT>();
        return match format {
            Some(Format::Int) => group_thousands(&format!("{:.0}", x)),
            // A loss reads -¥52,236, the sign before the currency.
            Some(Format::Money) if x < 0.0 && decimal(x.abs(), 2) != "0" => {
                format!("-{}", format_value(&Dynamic::from_float(-x), format, lang))
            }
            // Fen matter on a price, not on a budget: from ¥10,000 up, whole yuan.
            Some(Format::Money) if x.abs() >= 10_000.0 => format!("¥{}", decimal(x, 0)),
            Some(Format::Money) => format!("¥{}", decimal(x, 2)),
            Some(Format::Pct) => format!("{}%", decimal(x * 100.0, 1)),
            Some(Format::Num) | Some(Format::Text) => decimal(x, 2),
            None if is_int => group_thousands(&format!("{:.0}", x)),
            None => decimal(x, 2),
        };
    }
    if let Some(items) = value.read_lock::<rhai::Array>() {
        if items.is_empty() {
            return if lang == Lang::Zh { "无" } else { "none" }.to_string();
        }
        let parts: Vec<String> = items
            .iter()
            .map(|v| format_value(v, format, lang))
            .collect();
        return join_list(&parts, lang);
    }
    value.to_string()
}

/// A list as a reader writes it: 「A、B、C」, or "A, B and C".
///
/// ```
/// use playbook_engine::playbook::text::join_list;
/// use playbook_engine::report::Lang;
/// let three = ["a".to_string(), "b".to_string(), "c".to_string()];
/// assert_eq!(join_list(&three, Lang::En), "a, b and c");
/// assert_eq!(join_list(&three[..2], Lang::En), "a and b");
/// assert_eq!(join_list(&three, Lang::Zh), "a、b、c");
/// ```
pub fn join_list<S: AsRef<str>>(parts: &[S], lang: Lang) -> String {
    let parts: Vec<&str> = parts.iter().map(AsRef::as_ref).collect();
    match (lang, parts.split_last()) {
        (Lang::Zh, _) | (_, None) => parts.join("、"),
        (Lang::En, Some((last, []))) => last.to_string(),
        (Lang::En, Some((last, rest))) => format!("{} and {last}", rest.join(", ")),
    }
}

/// `x` with at most `places` decimals, trailing zeros dropped, thousands grouped.
fn decimal(x: FLOAT, places: usize) -> String {
    let s = format!("{:.*}", places, x);
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    let s = if s == "-0" { "0".to_string() } else { s };
    match s.split_once('.') {
        Some((whole, frac)) => format!("{}.{}", group_thousands(whole), frac),
        None => group_thousands(&s),
    }
}

fn group_thousands(whole: &str) -> String {
    let (sign, digits) = match whole.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", whole),
    };
    if digits == "0" && sign == "-" {
        return "0".into();
    }
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_placeholders_and_braces() {
        let pieces = split("粉丝 {account.followers} < 1000 {{x}}").unwrap();
        assert_eq!(pieces.len(), 3);
        assert_eq!(
            pieces[1],
            Piece::Placeholder {
                expr: "account.followers".into(),
                format: None,
                at: (1, 5)
            }
        );
        assert_eq!(pieces[2], Piece::Literal(" < 1000 {x}".into()));
        let pieces = split("{if a { 1 } else { 2 }:int}").unwrap();
        assert!(matches!(
            &pieces[0],
            Piece::Placeholder {
                format: Some(Format::Int),
                ..
            }
        ));
        assert_eq!(
            split("第一。 第二").unwrap(),
            vec![Piece::Literal("第一。第二".into())]
        );
        assert_eq!(split("S 级").unwrap(), vec![Piece::Literal("S 级".into())]);
        assert!(split("a { b").is_err());
        assert!(split("a } b").is_err());
    }

    #[test]
    fn values_print_for_readers() {
        let zh = Lang::Zh;
        assert_eq!(
            format_value(&Dynamic::from_int(1_000_000), None, zh),
            "1,000,000"
        );
        assert_eq!(format_value(&Dynamic::from_float(4.4), None, zh), "4.4");
        assert_eq!(
            format_value(&Dynamic::from_float(0.025), Some(Format::Pct), zh),
            "2.5%"
        );
        assert_eq!(
            format_value(&Dynamic::from_float(29.9), Some(Format::Money), zh),
            "¥29.9"
        );
        assert_eq!(
            format_value(
                &Dynamic::from_float(700_000.0 / 3.0),
                Some(Format::Money),
                zh
            ),
            "¥233,333"
        );
        assert_eq!(format_value(&Dynamic::from_float(-0.001), None, zh), "0");
        // A loss: the sign before the currency, and no "-¥0".
        let money = |x: f64| format_value(&Dynamic::from_float(x), Some(Format::Money), zh);
        assert_eq!(money(-52_236.02), "-¥52,236");
        assert_eq!(money(-3.5), "-¥3.5");
        assert_eq!(money(-0.001), "¥0");
        assert_eq!(
            format_value(&Dynamic::from_bool(true), None, Lang::En),
            "yes"
        );
        assert_eq!(format_value(&Dynamic::UNIT, None, zh), "—");
    }
}
