//! Diagnostics: every error this crate returns points at a file, a 1-based line and column,
//! says what is wrong and, where useful, what is accepted.
//!
//! ```text
//! scenarios/raid.toml:14:30: error: unknown speed unit "kmh"; expected one of m/s, km/h, kt, km/s, Mach N
//!    14 | route = [ { lat = 1, speed = "25 kmh" } ]
//!       |                              ^^^^^^^^
//! ```
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// An error located in a source file. `line == 0` means the whole file (e.g. it cannot be read).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: PathBuf,
    /// 1-based line; 0 when the error is about the file as a whole.
    pub line: usize,
    /// 1-based column, counted in characters (not bytes).
    pub column: usize,
    pub message: String,
    /// The text of the offending line (without its newline); empty when unknown.
    pub source_line: String,
    /// How many characters of `source_line` to underline (at least 1 when a line is known).
    pub width: usize,
    /// Errors of the same pass found after this one (the next bad cells of a CSV file), boxed
    /// to keep a lone error small; `None` for a lone error.
    pub more: Option<Box<More>>,
}

/// The other errors of a pass that found several, so one attempt shows the user many fixes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct More {
    /// The errors after the first, at most [`MAX_REPORTED`] − 1.
    pub also: Vec<Diagnostic>,
    /// Errors found in all, the first and `also` included.
    pub total: usize,
}

/// Most errors one pass reports with their places; the rest are only counted.
pub const MAX_REPORTED: usize = 20;

/// The errors of a pass that goes on past a bad value (rows of a CSV file): the first
/// [`MAX_REPORTED`] kept, all counted.
#[derive(Debug)]
pub struct Errors<E> {
    kept: Vec<E>,
    total: usize,
}

impl<E> Default for Errors<E> {
    fn default() -> Self {
        Self { kept: Vec::new(), total: 0 }
    }
}

impl<E> Errors<E> {
    pub fn push(&mut self, e: E) {
        self.total += 1;
        if self.kept.len() < MAX_REPORTED {
            self.kept.push(e);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// The kept errors in order and the count of all, or `None` when there were none.
    pub fn into_parts(self) -> Option<(Vec<E>, usize)> {
        (self.total > 0).then_some((self.kept, self.total))
    }
}

impl Errors<Diagnostic> {
    /// The first error, carrying the other kept ones and the total, or `Ok` when none.
    pub fn into_result(self) -> Result<(), Diagnostic> {
        match self.into_parts() {
            None => Ok(()),
            Some((kept, total)) => {
                let mut kept = kept.into_iter();
                let Some(first) = kept.next() else { return Ok(()) };
                let more = (total > 1).then(|| Box::new(More { also: kept.collect(), total }));
                Err(Diagnostic { more, ..first })
            }
        }
    }
}

impl Diagnostic {
    /// An error about a whole file (unreadable, missing).
    pub fn file(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            line: 0,
            column: 0,
            message: message.into(),
            source_line: String::new(),
            width: 0,
            more: None,
        }
    }

    /// An error at 1-based `line` and `column` of `file` where the line's text is not at hand
    /// (a CSV reader's position): shown without the source line.
    pub fn at_line(file: impl Into<PathBuf>, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic { line, column, ..Diagnostic::file(file, message) }
    }

    /// An error at byte span `span` of `text` (the whole content of `file`). Out-of-range or
    /// mid-character offsets are clamped, never a panic.
    pub fn at(file: impl Into<PathBuf>, text: &str, span: Range<usize>, message: impl Into<String>) -> Self {
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let end = floor_char_boundary(text, span.end.clamp(start, text.len()));
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line = text[..start].matches('\n').count() + 1;
        let column = text[line_start..start].chars().count() + 1;
        let source_line = text[line_start..line_end].trim_end_matches('\r').to_string();
        let width = text[start..end.min(line_end)].chars().count().max(1);
        Diagnostic { file: file.into(), line, column, message: message.into(), source_line, width, more: None }
    }

    /// The errors after this one, when the pass found several (empty otherwise).
    pub fn also(&self) -> &[Diagnostic] {
        self.more.as_ref().map_or(&[], |m| &m.also)
    }

    /// Errors found in all by the pass that found this one (1 for a lone error).
    pub fn total(&self) -> usize {
        self.more.as_ref().map_or(1, |m| m.total)
    }

    /// The same place with another message: a place kept from parsing (message empty) names
    /// where an error found later, such as an unsolvable ballistic shot, comes from.
    pub fn with_message(&self, message: impl Into<String>) -> Self {
        Diagnostic { message: message.into(), ..self.clone() }
    }
}

/// Reads the text file at `path`. A file that is not UTF-8 is an error at the line and column
/// of its first invalid byte (TOML and our CSVs are UTF-8 by definition); other I/O errors name
/// the file.
pub fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| Diagnostic::file(path, format!("cannot read: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let bad = bytes[at..].iter().take(e.utf8_error().error_len().unwrap_or(1)).map(|b| format!("0x{b:02X}"));
        let message = format!("not valid UTF-8 (byte {}): save the file as UTF-8", bad.collect::<Vec<_>>().join(" "));
        Diagnostic::at(path, &String::from_utf8_lossy(bytes), at..at + 1, message)
    })
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: error: {}", self.file.display(), self.message)?;
        } else {
            write!(f, "{}:{}:{}: error: {}", self.file.display(), self.line, self.column, self.message)?;
        }
        if self.line != 0 && !self.source_line.is_empty() {
            let num = self.line.to_string();
            let pad = " ".repeat(num.len());
            // Keep tabs so that the caret lines up under the same text.
            let lead: String = self
                .source_line
                .chars()
                .take(self.column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            write!(f, "\n {num} | {}\n {pad} | {lead}{}", self.source_line, "^".repeat(self.width.max(1)))?;
        }
        for d in self.also() {
            write!(f, "\n{d}")?;
        }
        if self.total() > 1 {
            let shown = 1 + self.also().len();
            write!(f, "\n{}: error: {} errors in all", self.file.display(), self.total())?;
            if self.total() > shown {
                write!(f, " (the first {shown} shown)")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

/// Names within edit distance 2 of `wanted` (or sharing its prefix), best first: the
/// "did you mean" of misspelt keys and ids.
pub fn close_matches<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let w = wanted.to_ascii_lowercase();
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let cl = c.to_ascii_lowercase();
            let d = levenshtein(&w, &cl);
            let limit = (w.chars().count().max(3) / 3).clamp(1, 3);
            // A misspelt prefix ("cruise-misile" for "cruise-missile-subsonic") also counts.
            let head: String = cl.chars().take(w.chars().count()).collect();
            let prefix = w.chars().count() >= 4 && levenshtein(&w, &head) <= limit.min(2);
            (d <= limit || prefix).then_some((if prefix { d.min(limit) } else { d }, c))
        })
        .collect();
    scored.sort();
    scored.into_iter().map(|(_, c)| c).collect()
}

/// Levenshtein edit distance (insert, delete, substitute), over characters.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Turns a `toml` parse/deserialize error into a diagnostic, adding a "did you mean" to
/// unknown-field errors.
pub fn from_toml(file: &Path, text: &str, e: &toml::de::Error) -> Diagnostic {
    let mut message = e.message().trim_end().to_string();
    if let Some(hint) = unknown_field_hint(&message) {
        message.push_str(&hint);
    }
    match e.span() {
        Some(span) => Diagnostic::at(file, text, span, message),
        None => Diagnostic::file(file, message),
    }
}

/// serde writes "unknown field `duraton`, expected one of `name`, `epoch`, ..."; find the closest.
fn unknown_field_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    let best = close_matches(field, expected.iter().copied());
    best.first().map(|b| format!(" (did you mean `{b}`?)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let text = "a = 1\nbé = \"x\"\n";
        let at = text.find("\"x\"").unwrap();
        let d = Diagnostic::at("f.toml", text, at..at + 3, "bad");
        assert_eq!((d.line, d.column, d.width), (2, 6, 3));
        assert_eq!(d.to_string(), "f.toml:2:6: error: bad\n 2 | bé = \"x\"\n   |      ^^^");
    }

    #[test]
    fn spans_past_the_end_or_inside_a_character_are_clamped() {
        let text = "é";
        let d = Diagnostic::at("f", text, 1..99, "m");
        assert_eq!((d.line, d.column), (1, 1));
        let (start, end) = (5, 2);
        let d = Diagnostic::at("f", "", start..end, "m");
        assert_eq!((d.line, d.column), (1, 1));
    }

    #[test]
    fn close_matches_find_misspellings() {
        assert_eq!(close_matches("duraton", ["name", "duration", "epoch"]), vec!["duration"]);
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert!(close_matches("zzz", ["duration"]).is_empty());
        assert_eq!(
            close_matches("cruise-misile", ["srbm", "cruise-missile-subsonic"]),
            vec!["cruise-missile-subsonic"]
        );
        assert!(close_matches("abcd", ["wxyz-abcd"]).is_empty());
    }
}
