//! How wide text is in a monospace grid (terminal, code block): East Asian wide and
//! full-width characters take two columns, combining marks none, everything else one
//! (the Unicode tables, through `unicode-width`).

/// Columns `s` takes in a monospace grid.
///
/// ```
/// assert_eq!(playbook_engine::render::width::columns("人：团队"), 8);
/// assert_eq!(playbook_engine::render::width::columns("People"), 6);
/// ```
pub fn columns(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// `s` followed by spaces up to `width` columns (unchanged when already wider).
pub fn pad(s: &str, width: usize) -> String {
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(columns(s))));
    out
}

/// Spaces up to `width` columns, then `s` (right-aligned).
pub fn pad_left(s: &str, width: usize) -> String {
    let mut out: String = std::iter::repeat_n(' ', width.saturating_sub(columns(s))).collect();
    out.push_str(s);
    out
}

/// A text bar for a 0-100 score: `filled` blocks out of `cells`.
///
/// ```
/// assert_eq!(playbook_engine::render::width::bar(64, 10), "██████░░░░");
/// ```
pub fn bar(score: i64, cells: usize) -> String {
    let filled = ((score.clamp(0, 100) as usize * cells) + 50) / 100;
    let mut out = "█".repeat(filled);
    out.push_str(&"░".repeat(cells - filled));
    out
}

/// One line per `(label, score)`: the labels padded to one width, a bar, the score.
/// The PDF renderer draws a fenced `bars` block of these lines as a chart.
pub fn bar_chart<'a>(rows: impl IntoIterator<Item = (&'a str, i64)>) -> String {
    let rows: Vec<(String, i64)> = rows
        .into_iter()
        .map(|(label, score)| (label.replace(['\n', '\r', '`'], " "), score))
        .collect();
    let width = rows.iter().map(|(l, _)| columns(l)).max().unwrap_or(0);
    rows.iter()
        .map(|(label, score)| format!("{}  {}  {score:>3}\n", pad(label, width), bar(*score, 20)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_lines_align() {
        let chart = bar_chart([("人：团队", 55), ("Data", 100), ("x", 0)]);
        let lines: Vec<&str> = chart.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(
            lines.iter().all(|l| columns(l) == columns(lines[0])),
            "{chart}"
        );
        assert!(lines[1].ends_with("████████████████████  100"));
        assert!(lines[2].ends_with("░░░░░░░░░░░░░░░░░░░░    0"));
    }
}
