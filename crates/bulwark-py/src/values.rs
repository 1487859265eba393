//! Scenario values set by path (`threat.CM raid west.count`, `defence.1st battalion.radar.0.type`),
//! written into the TOML text in place, so every other line, comment and diagnostic position of
//! the file stays as it was.
//!
//! A path is a section (top-level key), then at each level a key of a table or an element of
//! an array, named by its `name`, `callsign` or `id` or by its 0-based index. Names may hold
//! dots: the longest run of segments that names something wins. A sourced value
//! `{ value = …, source = … }` is addressed by the path of the table.
use std::borrow::Cow;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Keys that name an element of an array of tables, in the order they are tried.
const NAME_KEYS: [&str; 3] = ["name", "callsign", "id"];

/// Returns `text` with each `(path, value)` written in; the reason on a bad path or value.
pub fn with_values(text: &str, values: &[(String, toml::Value)]) -> Result<String, String> {
    let doc = DeTable::parse(text).map_err(|e| format!("the scenario is not valid TOML: {e}"))?;
    let mut edits: Vec<(Range<usize>, String)> = Vec::with_capacity(values.len());
    for (path, value) in values {
        let segs: Vec<&str> = path.split('.').collect();
        let found = resolve_table(doc.get_ref(), &segs, "").map_err(|e| format!("`{path}`: {e}"))?;
        let found = sourced_value(found);
        let literal = literal(found.get_ref(), value).map_err(|e| format!("`{path}`: {e}"))?;
        let span = found.span();
        if edits.iter().any(|(r, _)| r.start < span.end && span.start < r.end) {
            return Err(format!("`{path}`: set twice"));
        }
        edits.push((span, literal));
    }
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut out = text.to_string();
    for (range, literal) in edits {
        out.replace_range(range, &literal);
    }
    Ok(out)
}

type Node<'a, 'i> = &'a Spanned<DeValue<'i>>;

fn key_str<'a>(k: &'a Spanned<Cow<'_, str>>) -> &'a str {
    k.get_ref().as_ref()
}

fn resolve_table<'a, 'i>(table: &'a DeTable<'i>, segs: &[&str], shown: &str) -> Result<Node<'a, 'i>, String> {
    for j in (1..=segs.len()).rev() {
        let key = segs[..j].join(".");
        if let Some((_, v)) = table.iter().find(|(k, _)| key_str(k) == key) {
            return descend(v, &segs[j..], &join(shown, &key));
        }
    }
    let keys: Vec<&str> = table.iter().map(|(k, _)| key_str(k)).collect();
    let at = if shown.is_empty() { "the top level".to_string() } else { format!("`{shown}`") };
    Err(format!("no `{}` in {at}; there: {}", segs[0], keys.join(", ")))
}

fn join(shown: &str, next: &str) -> String {
    if shown.is_empty() { next.to_string() } else { format!("{shown}.{next}") }
}

fn descend<'a, 'i>(node: Node<'a, 'i>, segs: &[&str], shown: &str) -> Result<Node<'a, 'i>, String> {
    if segs.is_empty() {
        return Ok(node);
    }
    match node.get_ref() {
        DeValue::Table(t) => resolve_table(t, segs, shown),
        DeValue::Array(a) => {
            for j in (1..=segs.len()).rev() {
                let key = segs[..j].join(".");
                let hit = a.iter().position(|e| element_name(e).as_deref() == Some(key.as_str()));
                let hit =
                    hit.or_else(|| if j == 1 { key.parse::<usize>().ok().filter(|&i| i < a.len()) } else { None });
                if let Some(i) = hit {
                    return descend(&a[i], &segs[j..], &join(shown, &key));
                }
            }
            let names: Vec<String> =
                a.iter().enumerate().map(|(i, e)| element_name(e).unwrap_or_else(|| i.to_string())).collect();
            Err(format!("no element `{}` in `{shown}`; there: {}", segs[0], names.join(", ")))
        }
        _ => Err(format!("`{shown}` is a value, not a table: nothing under it")),
    }
}

fn element_name(e: Node<'_, '_>) -> Option<String> {
    let DeValue::Table(t) = e.get_ref() else { return None };
    NAME_KEYS.iter().find_map(|n| {
        t.iter().find(|(k, _)| key_str(k) == *n).and_then(|(_, v)| match v.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            _ => None,
        })
    })
}

/// A sourced catalog-style value `{ value = …, source = … }` stands for its `value`.
fn sourced_value<'a, 'i>(node: Node<'a, 'i>) -> Node<'a, 'i> {
    if let DeValue::Table(t) = node.get_ref()
        && let Some((_, v)) = t.iter().find(|(k, _)| key_str(k) == "value")
    {
        return v;
    }
    node
}

/// `v` as a TOML literal of the type the file has at that place: a whole number where it has
/// an integer, a number where it has a float, a string where it has a string, a boolean for a
/// boolean.
fn literal(existing: &DeValue<'_>, v: &toml::Value) -> Result<String, String> {
    use toml::Value as V;
    let out = match (existing, v) {
        (DeValue::Integer(_), V::Integer(i)) => V::Integer(*i),
        (DeValue::Integer(_), V::Float(f)) if f.fract() == 0.0 && f.abs() < 9.0e15 => V::Integer(*f as i64),
        (DeValue::Float(_), V::Float(f)) if f.is_finite() => V::Float(*f),
        (DeValue::Float(_), V::Integer(i)) => V::Float(*i as f64),
        (DeValue::String(_), V::String(s)) => V::String(s.clone()),
        (DeValue::Boolean(_), V::Boolean(b)) => V::Boolean(*b),
        (DeValue::Array(_), V::Array(a)) => V::Array(a.clone()),
        _ => return Err(format!("expected {}, got {}", kind(existing), v.type_str())),
    };
    Ok(out.to_string())
}

fn kind(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table (give a key under it)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "[scenario]\nname = \"x\" # keep\nseed = 1\n\n[[threat]]\nname = \"CM raid west\"\ncount = 6\n\
                        speed = \"Mach 0.8\"\n[[threat]]\nname = \"a.b\"\ncount = 2\nrcs = { value = 1.5, source = \"s\" }\n";

    fn set(path: &str, v: toml::Value) -> Result<String, String> {
        with_values(TEXT, &[(path.to_string(), v)])
    }

    #[test]
    fn sets_in_place() {
        let out = set("threat.CM raid west.count", toml::Value::Integer(8)).unwrap();
        assert_eq!(out, TEXT.replace("count = 6", "count = 8"));
        let out = set("threat.a.b.count", toml::Value::Float(3.0)).unwrap();
        assert_eq!(out, TEXT.replace("count = 2", "count = 3"));
        let out = set("threat.1.rcs", toml::Value::Integer(2)).unwrap();
        assert!(out.contains("rcs = { value = 2.0, source"), "{out}");
        let out = set("threat.0.speed", toml::Value::String("Mach 2".into())).unwrap();
        assert!(out.contains("speed = \"Mach 2\"\n") && out.contains("# keep"));
    }

    #[test]
    fn bad_paths_and_types_name_what_exists() {
        let e = set("threat.CM raid east.count", toml::Value::Integer(1)).unwrap_err();
        assert!(e.contains("CM raid west, a.b"), "{e}");
        let e = set("threats.x", toml::Value::Integer(1)).unwrap_err();
        assert!(e.contains("there: scenario, threat"), "{e}");
        let e = set("threat.0.count", toml::Value::String("many".into())).unwrap_err();
        assert!(e.contains("expected an integer, got string"), "{e}");
        let e = set("threat.0.count.x", toml::Value::Integer(1)).unwrap_err();
        assert!(e.contains("nothing under it"), "{e}");
        assert!(with_values("a = [", &[]).is_err());
    }
}
