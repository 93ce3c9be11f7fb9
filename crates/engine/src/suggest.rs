//! "Did you mean ...?" for misspelt keys and ids.

/// Levenshtein distance between two strings, by characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    strsim::levenshtein(a, b)
}

/// The candidate closest to `word`, if it is close enough to be a plausible typo.
///
/// ```
/// use playbook_engine::suggest::nearest;
/// assert_eq!(nearest("reputation_scor", ["followers", "reputation_score"]), Some("reputation_score"));
/// assert_eq!(nearest("zzz", ["followers"]), None);
/// ```
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// Rewrites serde's "unknown field `x`, expected one of `a`, `b`" (or "unknown variant")
/// into "unknown key `x`: did you mean `a`? (allowed: a, b)". Other messages pass through.
pub fn explain_unknown(message: &str) -> String {
    for (marker, noun) in [("unknown field `", "key"), ("unknown variant `", "value")] {
        let Some(start) = message.find(marker) else {
            continue;
        };
        let prefix = &message[..start];
        let rest = &message[start + marker.len()..];
        let Some(end) = rest.find('`') else { continue };
        let word = &rest[..end];
        let allowed: Vec<&str> = rest[end + 1..]
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|s| !s.is_empty())
            .collect();
        let mut out = format!("{prefix}unknown {noun} `{word}`");
        if let Some(best) = nearest(word, allowed.iter().copied()) {
            out.push_str(&format!(": did you mean `{best}`?"));
        }
        if !allowed.is_empty() {
            out.push_str(&format!(" (allowed: {})", allowed.join(", ")));
        }
        return out;
    }
    message.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_edits() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("粉丝", "粉"), 1);
    }

    #[test]
    fn unknown_field_messages_get_a_suggestion() {
        let m = "account: unknown field `reputation_scor`, expected one of `verified`, `reputation_score`";
        assert_eq!(
            explain_unknown(m),
            "account: unknown key `reputation_scor`: did you mean `reputation_score`? (allowed: verified, reputation_score)"
        );
    }
}
