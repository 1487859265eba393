//! Designs: full factorial, Latin hypercube (McKay, Beckman & Conover, "A comparison of three
//! methods for selecting values of input variables in the analysis of output from a computer
//! code", Technometrics 21(2):239–245, 1979) and an explicit list of points from a CSV file.
use crate::file::Src;
use bulwark_core::{RngStreams, StreamPurpose};
use bulwark_scenario::Diagnostic;
use toml::Value;

/// Every combination of `lists` (one list of (value, span) per factor), the first factor
/// varying slowest, as nested loops in file order. Each point keeps the span of its last
/// factor's value, for messages.
pub(crate) fn factorial(lists: &[Vec<(Value, std::ops::Range<usize>)>]) -> Vec<(Vec<Value>, std::ops::Range<usize>)> {
    let mut out: Vec<(Vec<Value>, std::ops::Range<usize>)> = vec![(Vec::new(), 0..0)];
    for list in lists {
        let mut next = Vec::with_capacity(out.len() * list.len());
        for (prefix, _) in &out {
            for (v, span) in list {
                let mut p = prefix.clone();
                p.push(v.clone());
                next.push((p, span.clone()));
            }
        }
        out = next;
    }
    if lists.is_empty() {
        // No factor: one point, the scenario as it is (a plain Monte Carlo study).
        return out;
    }
    out
}

/// A sampled range: numbers, whole numbers (rounded), or unit strings that share their text
/// around the number (`"25 dBW"`..`"45 dBW"`, `"Mach 0.6"`..`"Mach 0.9"`).
#[derive(Clone, Debug)]
pub(crate) struct Range {
    lo: f64,
    hi: f64,
    kind: Kind,
}

#[derive(Clone, Debug)]
enum Kind {
    Integer,
    Float,
    Text { prefix: String, suffix: String },
}

impl Range {
    pub fn new(lo: &Value, hi: &Value, existing: &Value) -> Result<Range, String> {
        let (a, b, kind) = match (lo, hi) {
            (Value::Integer(a), Value::Integer(b)) if existing.is_integer() => (*a as f64, *b as f64, Kind::Integer),
            (Value::Float(a), Value::Float(b)) => (*a, *b, Kind::Float),
            (Value::String(a), Value::String(b)) => {
                let (pa, x, sa) = split_number(a).ok_or_else(|| format!("\"{a}\" holds no number to sample"))?;
                let (pb, y, sb) = split_number(b).ok_or_else(|| format!("\"{b}\" holds no number to sample"))?;
                if pa != pb || sa != sb {
                    return Err(format!("min \"{a}\" and max \"{b}\" must be written in the same unit"));
                }
                (x, y, Kind::Text { prefix: pa, suffix: sa })
            }
            _ => return Err("min and max must both be numbers, or both unit strings".into()),
        };
        if a > b {
            return Err("min is greater than max".into());
        }
        Ok(Range { lo: a, hi: b, kind })
    }

    /// The value at fraction `u` ∈ [0, 1) of the range.
    fn at(&self, u: f64) -> Value {
        let x = self.lo + (self.hi - self.lo) * u;
        match &self.kind {
            Kind::Integer => Value::Integer((x.round() as i64).clamp(self.lo as i64, self.hi as i64)),
            Kind::Float => Value::Float(x),
            Kind::Text { prefix, suffix } => Value::String(format!("{prefix}{}{suffix}", fmt6(x))),
        }
    }
}

/// At most 6 decimals, no trailing zeros: unit strings stay readable and exact to parse.
fn fmt6(x: f64) -> String {
    let s = format!("{x:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

/// "Mach 0.75" → ("Mach ", 0.75, ""); "-20 dBsm" → ("", -20, " dBsm").
fn split_number(s: &str) -> Option<(String, f64, String)> {
    let b = s.as_bytes();
    let start = (0..b.len()).find(|&i| {
        b[i].is_ascii_digit()
            || ((b[i] == b'-' || b[i] == b'+' || b[i] == b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit))
    })?;
    let mut end = start + 1;
    while end < b.len()
        && (b[end].is_ascii_digit()
            || b[end] == b'.'
            || ((b[end] == b'e' || b[end] == b'E') && b.get(end + 1).is_some_and(|c| c.is_ascii_digit() || *c == b'-')))
    {
        end += if b[end] == b'e' || b[end] == b'E' { 2 } else { 1 };
    }
    let x: f64 = s[start..end].parse().ok()?;
    Some((s[..start].to_string(), x, s[end..].to_string()))
}

/// `n` points of a Latin hypercube over `ranges`: each range cut into `n` equal strata, each
/// stratum used once per factor, a uniform draw inside it; the strata are matched across
/// factors by independent random permutations. Deterministic from `seed` (its own stream, so
/// it shares no draws with the runs).
pub(crate) fn latin_hypercube(ranges: &[Range], n: usize, seed: u64) -> Vec<Vec<Value>> {
    let streams = RngStreams::new(seed, 0);
    let columns: Vec<Vec<Value>> = ranges
        .iter()
        .enumerate()
        .map(|(j, r)| {
            let mut rng = streams.stream(0x4C48_5300 + j as u64, StreamPurpose::Dispersion);
            let mut perm: Vec<usize> = (0..n).collect();
            // Fisher–Yates.
            for i in (1..n).rev() {
                let k = ((rng.uniform() * (i + 1) as f64) as usize).min(i);
                perm.swap(i, k);
            }
            perm.iter().map(|&s| r.at((s as f64 + rng.uniform()) / n as f64)).collect()
        })
        .collect();
    (0..n).map(|i| columns.iter().map(|c| c[i].clone()).collect()).collect()
}

/// A cell of a design file and its byte span.
pub(crate) type Cell = (String, std::ops::Range<usize>);

/// One row of a design file: its cells with their byte spans, and the row's span.
pub(crate) struct Row {
    pub cells: Vec<Cell>,
    pub span: std::ops::Range<usize>,
}

/// Splits a design CSV: a header of factor paths, then one row per point. Cells may be quoted
/// with `"` (a doubled `""` inside is one quote); blank lines and `#` comment lines are skipped.
pub(crate) fn read_list(src: &Src<'_>) -> Result<(Vec<Cell>, Vec<Row>), Diagnostic> {
    let mut rows = Vec::new();
    let mut offset = 0;
    for line in src.text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        if body.trim().is_empty() || body.trim_start().starts_with('#') {
            continue;
        }
        rows.push(Row { cells: split_cells(body, start), span: start..start + body.len() });
    }
    let Some(header) = (!rows.is_empty()).then(|| rows.remove(0)) else {
        return Err(Diagnostic::file(src.file, "the design file is empty; its first line names the factor paths"));
    };
    for (k, (name, span)) in header.cells.iter().enumerate() {
        if name.is_empty() {
            return Err(src.err(span.clone(), "empty column name; the header names one factor path per column"));
        }
        if header.cells[..k].iter().any(|(n, _)| n == name) {
            return Err(src.err(span.clone(), format!("column `{name}` is given twice")));
        }
    }
    for r in &rows {
        if r.cells.len() != header.cells.len() {
            return Err(src.err(
                r.span.clone(),
                format!("this row has {} cells, the header {}", r.cells.len(), header.cells.len()),
            ));
        }
    }
    Ok((header.cells, rows))
}

fn split_cells(line: &str, base: usize) -> Vec<Cell> {
    let mut cells = Vec::new();
    let mut start = 0;
    let bytes = line.as_bytes();
    while start <= line.len() {
        let mut i = start;
        while i < line.len() && bytes[i] == b' ' {
            i += 1;
        }
        let mut text = String::new();
        let quoted = bytes.get(i) == Some(&b'"');
        if quoted {
            i += 1;
            while i < line.len() {
                if bytes[i] == b'"' {
                    if bytes.get(i + 1) == Some(&b'"') {
                        text.push('"');
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                let c = line[i..].chars().next().unwrap_or(' ');
                text.push(c);
                i += c.len_utf8();
            }
            while i < line.len() && bytes[i] != b',' {
                i += 1;
            }
        } else {
            while i < line.len() && bytes[i] != b',' {
                i += 1;
            }
            text = line[start..i].trim().to_string();
        }
        cells.push((text, base + start..base + i));
        start = i + 1;
    }
    cells
}

/// A design-file cell as a value of the type the file has at the factor's path. A whole-number
/// target takes a number with decimals rounded to the nearest whole number (samplers such as
/// SALib write floats).
pub(crate) fn typed_cell(cell: &str, existing: &Value) -> Result<Value, String> {
    let number = || cell.parse::<f64>().ok().filter(|x| x.is_finite());
    match existing {
        Value::Integer(_) => match cell.parse::<i64>() {
            Ok(i) => Ok(Value::Integer(i)),
            Err(_) => number()
                .filter(|x| x.abs() < 9e15)
                .map(|x| Value::Integer(x.round() as i64))
                .ok_or_else(|| format!("expected a whole number, got \"{cell}\"")),
        },
        Value::Float(_) => number().map(Value::Float).ok_or_else(|| format!("expected a number, got \"{cell}\"")),
        Value::Boolean(_) => match cell {
            "true" => Ok(Value::Boolean(true)),
            "false" => Ok(Value::Boolean(false)),
            _ => Err(format!("expected true or false, got \"{cell}\"")),
        },
        _ => Ok(Value::String(cell.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factorial_varies_the_first_factor_slowest() {
        let l = |v: &[i64]| v.iter().map(|x| (Value::Integer(*x), 0..0)).collect::<Vec<_>>();
        let pts: Vec<Vec<Value>> = factorial(&[l(&[1, 2]), l(&[7, 8, 9])]).into_iter().map(|p| p.0).collect();
        assert_eq!(pts.len(), 6);
        assert_eq!(pts[0], [Value::Integer(1), Value::Integer(7)]);
        assert_eq!(pts[1], [Value::Integer(1), Value::Integer(8)]);
        assert_eq!(pts[3], [Value::Integer(2), Value::Integer(7)]);
    }

    fn power() -> Range {
        let s = |x: &str| Value::String(x.into());
        Range::new(&s("25 dBW"), &s("45 dBW"), &s("")).unwrap()
    }

    #[test]
    fn each_stratum_is_used_once_per_factor() {
        let r = Range::new(&Value::Float(0.0), &Value::Float(1.0), &Value::Float(0.5)).unwrap();
        let pts = latin_hypercube(&[r.clone(), power()], 10, 7);
        let mut strata: Vec<usize> = pts.iter().map(|p| (p[0].as_float().unwrap() * 10.0) as usize).collect();
        strata.sort_unstable();
        assert_eq!(strata, (0..10).collect::<Vec<_>>());
        let mut strata: Vec<usize> = pts
            .iter()
            .map(|p| {
                let s = p[1].as_str().unwrap();
                assert!(s.ends_with(" dBW"), "{s}");
                ((split_number(s).unwrap().1 - 25.0) / 2.0) as usize
            })
            .collect();
        strata.sort_unstable();
        assert_eq!(strata, (0..10).collect::<Vec<_>>());
        assert_eq!(pts, latin_hypercube(&[r.clone(), power()], 10, 7), "the same seed gives the same points");
        assert_ne!(pts, latin_hypercube(&[r, power()], 10, 8));
    }

    #[test]
    fn numbers_are_found_inside_unit_strings() {
        assert_eq!(split_number("Mach 0.75"), Some(("Mach ".into(), 0.75, String::new())));
        assert_eq!(split_number("-20 dBsm"), Some((String::new(), -20.0, " dBsm".into())));
        assert_eq!(split_number("FL350"), Some(("FL".into(), 350.0, String::new())));
        assert_eq!(split_number("1.5e3 m"), Some((String::new(), 1500.0, " m".into())));
        assert!(split_number("km").is_none());
    }

    #[test]
    fn csv_cells_keep_their_spans_and_quotes() {
        let cells = split_cells(r#"a, "b,c" ,"d""e""#, 10);
        assert_eq!(cells[0], ("a".to_string(), 10..11));
        assert_eq!(cells[1].0, "b,c");
        assert_eq!(cells[2].0, "d\"e");
    }
}
