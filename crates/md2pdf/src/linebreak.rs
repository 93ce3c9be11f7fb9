//! Line breaking and inter-character spacing for mixed Chinese and Latin text,
//! following `cjk-typesetting.md` (after W3C clreq). Pure functions over characters
//! and advance widths, so the rules are testable without fonts or PDFs.

use std::ops::Range;

/// Characters that must not start a line (they close or follow something).
const NO_LINE_START: &str = "。？！．，、；：”’）］〕】》〉」』〗｝—～·…％\
                             )]},.;:!?%";
/// Characters that must not end a line (they open something).
const NO_LINE_END: &str = "“‘（［〔【《〈「『〖｛([{";
/// Full-width punctuation whose glyph sits in the left half of the em box, so that
/// half may be squeezed when another full-width punctuation mark follows.
const SQUEEZABLE: &str = "，。、；：）》」』】〕〉〗｝";

/// A quarter em: the gap between Han and adjacent Latin letters or digits.
pub const HAN_LATIN_GAP_EM: f32 = 0.25;

/// Whether `c` is laid out as an ideograph-like unit: a line may break on either side.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF       // Hangul Jamo
        | 0x2E80..=0x2FFF     // radicals, ideographic description
        | 0x3000..=0x303F     // CJK symbols and punctuation
        | 0x3040..=0x30FF     // kana
        | 0x3100..=0x31FF     // bopomofo, kanbun, katakana ext
        | 0x3200..=0x4DBF     // enclosed CJK, compatibility, ext A
        | 0x4E00..=0x9FFF     // unified ideographs
        | 0xA960..=0xA97F
        | 0xAC00..=0xD7FF     // Hangul syllables
        | 0xF900..=0xFAFF     // compatibility ideographs
        | 0xFE10..=0xFE1F     // vertical forms
        | 0xFE30..=0xFE4F     // compatibility forms
        | 0xFF00..=0xFFEF     // full-width forms
        | 0x20000..=0x3FFFF   // ideograph extensions B and beyond
    ) || c == '“'
        || c == '”'
        || c == '‘'
        || c == '’'
        || c == '—'
        || c == '…'
}

/// Han ideographs (and kana): the characters that get a quarter-em gap next to Latin.
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF
    ) || c == '〇'
}

fn is_latin_or_digit(c: char) -> bool {
    c.is_ascii_alphanumeric() || (c.is_alphanumeric() && !is_cjk(c))
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\t' || c == '\u{3000}'
}

/// The character that a Markdown soft line break between `before` and `after` becomes:
/// nothing between two CJK characters (the source wrapped a Chinese sentence), else a space.
pub fn soft_break(before: Option<char>, after: Option<char>) -> Option<char> {
    match (before, after) {
        (Some(b), Some(a)) if is_cjk(b) && is_cjk(a) => None,
        (Some(b), _) if is_space(b) => None,
        (_, Some(a)) if is_space(a) => None,
        _ => Some(' '),
    }
}

/// For each index `i`, whether a line may break before `chars[i]` (index 0 is never a
/// break). Breaks at spaces are expressed as a break before the character after the
/// space run; the spaces themselves are dropped at line ends by [`fill_lines`].
pub fn break_opportunities(chars: &[char]) -> Vec<bool> {
    let mut out = vec![false; chars.len()];
    for i in 1..chars.len() {
        let (prev, next) = (chars[i - 1], chars[i]);
        out[i] = may_break_between(chars, i, prev, next);
    }
    out
}

fn may_break_between(chars: &[char], i: usize, prev: char, next: char) -> bool {
    if is_space(next) {
        return false;
    }
    if is_space(prev) {
        // After a space run: a break, unless the space was inside something that may
        // not be split, e.g. "( x" is fine but a closing mark after a space still
        // cannot start a line.
        return !NO_LINE_START.contains(next) || next == '…' || next == '—';
    }
    if NO_LINE_START.contains(next) || NO_LINE_END.contains(prev) {
        return false;
    }
    // "……" and "——" are single units; a dash or ellipsis after text stays with it.
    if (prev == next) && (prev == '…' || prev == '—') {
        return false;
    }
    // A number and its unit stay together: "9.9元", "1,000粉", "12-18小时".
    if prev.is_ascii_digit() && is_han(next) {
        return false;
    }
    let (pc, nc) = (is_cjk(prev), is_cjk(next));
    if pc || nc {
        return true;
    }
    // Inside a Latin word: only after a hyphen between letters ("live-stream").
    prev == '-'
        && i >= 2
        && chars[i - 2].is_alphabetic()
        && next.is_alphabetic()
        && !is_cjk(chars[i - 2])
}

/// Extra horizontal space before each character, in ems of that character's font:
/// a quarter em between Han and a touching Latin letter or digit, and minus half an
/// em after a squeezable punctuation mark followed by another full-width mark.
pub fn inter_char_adjust(chars: &[char]) -> Vec<f32> {
    let mut out = vec![0.0; chars.len()];
    for i in 1..chars.len() {
        let (prev, next) = (chars[i - 1], chars[i]);
        if (is_han(prev) && is_latin_or_digit(next)) || (is_latin_or_digit(prev) && is_han(next)) {
            out[i] = HAN_LATIN_GAP_EM;
        } else if squeezes(prev, next) {
            out[i] = -0.5;
        }
    }
    out
}

/// Whether the blank half of `prev`, a full-width mark, is squeezed out because another
/// full-width mark follows it.
pub fn squeezes(prev: char, next: char) -> bool {
    SQUEEZABLE.contains(prev) && is_fullwidth_punct(next)
}

fn is_fullwidth_punct(c: char) -> bool {
    SQUEEZABLE.contains(c) || (NO_LINE_END.contains(c) && !c.is_ascii()) || "？！".contains(c)
}

/// Greedy line filling. `widths[i]` is the advance of `chars[i]`, `adjust[i]` the
/// extra space before it (dropped at a line start), `breaks[i]` whether a line may
/// start at `i`. `'\n'` forces a break. Returns the character range of each line with
/// leading and trailing spaces trimmed.
///
/// A unit that is wider than `max_width` on its own is split at the last character
/// that fits: the only place a word is ever broken. Every line holds at least one
/// character, so the loop always ends.
pub fn fill_lines(
    chars: &[char],
    widths: &[f32],
    adjust: &[f32],
    breaks: &[bool],
    max_width: f32,
) -> Vec<Range<usize>> {
    let n = chars.len();
    let mut lines = Vec::new();
    let mut start = skip_spaces(chars, 0);
    while start < n {
        let mut x = 0.0;
        let mut last_break: Option<usize> = None;
        let mut end = n;
        let mut next_start = n;
        let mut i = start;
        while i < n {
            let c = chars[i];
            if c == '\n' {
                end = i;
                next_start = i + 1;
                break;
            }
            if i > start && breaks[i] {
                last_break = Some(i);
            }
            let w = widths[i] + if i > start { adjust[i] } else { 0.0 };
            if x + w > max_width + 0.01 && !is_space(c) && i > start {
                match last_break {
                    Some(b) if b > start => {
                        end = b;
                        next_start = b;
                    }
                    _ => {
                        end = i;
                        next_start = i;
                    }
                }
                break;
            }
            x += w;
            i += 1;
        }
        let mut e = end;
        while e > start && is_space(chars[e - 1]) {
            e -= 1;
        }
        lines.push(start..e);
        start = if next_start > start {
            skip_spaces(chars, next_start)
        } else {
            skip_spaces(chars, start + 1)
        };
    }
    lines
}

fn skip_spaces(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() && is_space(chars[i]) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines of `text` when every CJK character is 1 unit wide and everything else 0.5.
    fn lines(text: &str, max: f32) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        let widths: Vec<f32> = chars
            .iter()
            .map(|&c| if is_cjk(c) { 1.0 } else { 0.5 })
            .collect();
        let adjust = inter_char_adjust(&chars);
        let breaks = break_opportunities(&chars);
        fill_lines(&chars, &widths, &adjust, &breaks, max)
            .into_iter()
            .map(|r| chars[r].iter().collect())
            .collect()
    }

    #[test]
    fn breaks_between_han() {
        assert_eq!(lines("直播带货策略", 3.0), ["直播带", "货策略"]);
    }

    #[test]
    fn latin_words_stay_whole() {
        let l = lines("开播 FeedsLive 4.6 分", 5.0);
        assert!(l.iter().any(|s| s.contains("FeedsLive")), "{l:?}");
        assert!(l.iter().any(|s| s.contains("4.6")), "{l:?}");
    }

    #[test]
    fn over_long_word_is_split_only_when_it_cannot_fit() {
        let l = lines("abcdefghij", 2.0);
        assert_eq!(l, ["abcd", "efgh", "ij"]);
    }

    #[test]
    fn closing_punctuation_never_starts_a_line() {
        for text in [
            "一二三，四五",
            "一二三。」四",
            "一二三）四五",
            "一二三》，四",
        ] {
            for l in lines(text, 3.0) {
                let first = l.chars().next().unwrap();
                assert!(!NO_LINE_START.contains(first), "{text}: {l}");
            }
        }
    }

    #[test]
    fn opening_punctuation_never_ends_a_line() {
        let l = lines("一二《三四》五", 3.0);
        for s in &l {
            assert!(!NO_LINE_END.contains(s.chars().last().unwrap()), "{l:?}");
        }
    }

    #[test]
    fn ellipsis_and_dash_pairs_stay_together() {
        for text in ["一二……三四", "一二——三四", "一二三……四"] {
            for l in lines(text, 3.0) {
                assert!(!l.starts_with('…') && !l.starts_with('—'), "{text}: {l}");
                assert_eq!(l.matches('…').count() % 2, 0, "{text}: {l}");
                assert_eq!(l.matches('—').count() % 2, 0, "{text}: {l}");
            }
        }
    }

    #[test]
    fn number_and_unit_stay_together() {
        let l = lines("时长12-18小时", 4.0);
        assert!(l.iter().any(|s| s.contains("12-18小")), "{l:?}");
        let l = lines("粉丝1,000粉", 4.0);
        assert!(l.iter().any(|s| s.contains("1,000粉")), "{l:?}");
        let l = lines("单价9.9元", 3.0);
        assert!(l.iter().any(|s| s.contains("9.9元")), "{l:?}");
    }

    #[test]
    fn percent_follows_its_number() {
        let l = lines("转化率提升 12 %", 4.0);
        assert!(l.iter().all(|s| !s.starts_with('%')), "{l:?}");
    }

    #[test]
    fn quarter_em_between_han_and_latin_only_when_touching() {
        let a = inter_char_adjust(&"S级".chars().collect::<Vec<_>>());
        assert_eq!(a, [0.0, HAN_LATIN_GAP_EM]);
        let a = inter_char_adjust(&"S 级".chars().collect::<Vec<_>>());
        assert_eq!(a, [0.0, 0.0, 0.0]);
        let a = inter_char_adjust(&"率2".chars().collect::<Vec<_>>());
        assert_eq!(a, [0.0, HAN_LATIN_GAP_EM]);
        // never next to punctuation
        let a = inter_char_adjust(&"，A（1）".chars().collect::<Vec<_>>());
        assert!(a.iter().all(|&x| x == 0.0), "{a:?}");
    }

    #[test]
    fn consecutive_punctuation_is_squeezed() {
        let a = inter_char_adjust(&"》，".chars().collect::<Vec<_>>());
        assert_eq!(a, [0.0, -0.5]);
        let a = inter_char_adjust(&"。」".chars().collect::<Vec<_>>());
        assert_eq!(a, [0.0, -0.5]);
    }

    #[test]
    fn soft_break_between_han_is_dropped() {
        assert_eq!(soft_break(Some('的'), Some('粉')), None);
        assert_eq!(soft_break(Some('，'), Some('粉')), None);
        assert_eq!(soft_break(Some('a'), Some('b')), Some(' '));
        assert_eq!(soft_break(Some('的'), Some('R')), Some(' '));
    }

    #[test]
    fn forced_breaks_and_spaces() {
        assert_eq!(lines("ab\ncd", 10.0), ["ab", "cd"]);
        assert_eq!(lines("   ", 10.0), Vec::<String>::new());
        assert_eq!(lines("", 10.0), Vec::<String>::new());
        assert_eq!(lines("ab  cd", 1.0), ["ab", "cd"]);
    }

    #[test]
    fn only_punctuation_terminates() {
        let l = lines("，，，，，，，，，，", 3.0);
        assert_eq!(l.concat().chars().count(), 10);
    }
}
