//! Check: "did you mean" suggestions by edit distance, and lists in prose.

/// The candidate closest to `word`, if it is close enough to be a likely typo:
/// at most a third of the word's length in edits (and at least one). Two
/// letters swapped count as one edit (optimal string alignment), so `raed`
/// suggests `read` and `sma` suggests `sam`.
pub fn closest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| *c != word)
        .map(|c| (strsim::osa_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

pub use crate::kinds::an;

/// `a`, `a` and `b`, `a`, `b` and `c`, in backticks.
pub fn list<S: AsRef<str>>(items: &[S]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("`{}`", s.as_ref())).collect();
    match quoted.as_slice() {
        [] => "nothing".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_names_are_suggested_and_far_ones_not() {
        assert_eq!(
            closest("plant-a-publsher", ["plant-a-publisher", "alerts"]),
            Some("plant-a-publisher")
        );
        assert_eq!(closest("devise", ["device", "service"]), Some("device"));
        assert_eq!(closest("xyz", ["device", "service"]), None);
        assert_eq!(closest("same", ["same"]), None);
        // Transposed letters are one edit.
        assert_eq!(closest("raed", ["read", "write"]), Some("read"));
        assert_eq!(closest("sma", ["sam", "ann"]), Some("sam"));
    }

    #[test]
    fn lists_read_like_prose() {
        assert_eq!(list(&["a"]), "`a`");
        assert_eq!(list(&["a", "b", "c"]), "`a`, `b` and `c`");
    }
}
