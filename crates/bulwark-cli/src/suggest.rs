//! "Did you mean": the closest known name to a mistyped one, for error messages.

/// Levenshtein distance of `a` and `b`, case-insensitive, by characters.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = (up + 1).min(row[j] + 1).min(diag + usize::from(ca != cb));
            diag = up;
        }
    }
    row[b.len()]
}

/// `"; did you mean `X`?"` for the known name nearest to `name` (within a third of its length,
/// at least 2 edits), else `""`.
pub fn did_you_mean<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    let limit = (name.chars().count() / 3).max(2);
    known
        .into_iter()
        .map(|k| (distance(name, k), k))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map_or_else(String::new, |(_, k)| format!("; did you mean `{k}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_name_within_reach() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(did_you_mean("92n6", ["91N6E", "92N6E"]), "; did you mean `92N6E`?");
        assert_eq!(did_you_mean("stealth-figther", ["stealth-fighter", "bomber"]), "; did you mean `stealth-fighter`?");
        assert_eq!(did_you_mean("thaad", ["patriot", "s400"]), "");
    }
}
