//! Factor paths: a dotted address of one value in the scenario or catalog TOML document
//! (`threat.CM raid west.count`, `defence.1st battalion.radar.0.type`,
//! `catalog.stealth-fighter.rcs.X.nose`). Paths are resolved once against the parsed document
//! and applied to a copy of it for every design point; the scenario crate then validates the
//! result exactly as it validates a file.
use bulwark_scenario::diag::close_matches;
use toml::Value;

/// One step into a TOML document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    Key(String),
    Index(usize),
}

/// Keys that name an element of an array of tables, in the order they are tried.
const NAME_KEYS: [&str; 3] = ["name", "callsign", "id"];

/// What an element of an array is called in messages: its name, callsign or id, else its index.
fn element_name(v: &Value, index: usize) -> String {
    NAME_KEYS
        .iter()
        .find_map(|k| v.get(k).and_then(Value::as_str).map(str::to_string))
        .unwrap_or_else(|| index.to_string())
}

fn list(items: &[String]) -> String {
    const MAX: usize = 40;
    if items.len() <= MAX {
        items.join(", ")
    } else {
        format!("{}, ... ({} more)", items[..MAX].join(", "), items.len() - MAX)
    }
}

/// `at` for a message: the path so far, or the top level of the file.
fn place(at: &str) -> String {
    if at.is_empty() { "the top level".into() } else { format!("`{at}`") }
}

fn join(at: &str, key: &str) -> String {
    if at.is_empty() { key.to_string() } else { format!("{at}.{key}") }
}

fn hint(wanted: &str, known: &[String]) -> String {
    close_matches(wanted, known.iter().map(String::as_str))
        .first()
        .map(|b| format!("; did you mean `{b}`?"))
        .unwrap_or_default()
}

/// Resolves `segs` (a path split at its dots) from `node`. Names may themselves hold dots: at
/// each level the longest run of segments that names a key or element wins. `shown` is the part
/// of the path already resolved, for messages. Returns the steps and the value found; a table
/// `{ value = …, source = … }` (a sourced catalog value) resolves to its `value`.
pub(crate) fn resolve<'a>(mut node: &'a Value, segs: &[&str], shown: &str) -> Result<(Vec<Step>, &'a Value), String> {
    let mut steps = Vec::new();
    let mut at = shown.to_string();
    let mut i = 0;
    while i < segs.len() {
        let joined = |j: usize| segs[i..j].join(".");
        match node {
            Value::Table(t) => {
                let Some(j) = (i + 1..=segs.len()).rev().find(|&j| t.contains_key(&joined(j))) else {
                    let keys: Vec<String> = t.keys().cloned().collect();
                    return Err(format!(
                        "{} has no key `{}`{} (keys there: {})",
                        place(&at),
                        segs[i],
                        hint(segs[i], &keys),
                        list(&keys)
                    ));
                };
                let key = joined(j);
                node = &t[&key];
                at = join(&at, &key);
                steps.push(Step::Key(key));
                i = j;
            }
            Value::Array(a) => {
                let by_index = segs[i].parse::<usize>().ok().filter(|&k| k < a.len());
                let found = by_index.map(|k| (k, i + 1)).or_else(|| {
                    (i + 1..=segs.len()).rev().find_map(|j| {
                        let want = joined(j);
                        a.iter()
                            .position(|e| NAME_KEYS.iter().any(|k| e.get(k).and_then(Value::as_str) == Some(&want)))
                            .map(|k| (k, j))
                    })
                });
                let Some((k, j)) = found else {
                    let names: Vec<String> = a.iter().enumerate().map(|(k, e)| element_name(e, k)).collect();
                    let range = if a.is_empty() { "none".to_string() } else { format!("0..{}", a.len() - 1) };
                    return Err(format!(
                        "{} has no element `{}`{} (elements there, by name or index {range}: {})",
                        place(&at),
                        segs[i],
                        hint(segs[i], &names),
                        list(&names)
                    ));
                };
                node = &a[k];
                at = join(&at, &segs[i..j].join("."));
                steps.push(Step::Index(k));
                i = j;
            }
            other => {
                return Err(format!("`{at}` is a value ({}), it has no `{}`", describe(other), segs[i]));
            }
        }
    }
    if let Value::Table(t) = node {
        if let Some(v) = t.get("value").filter(|_| t.contains_key("source")) {
            steps.push(Step::Key("value".into()));
            return Ok((steps, v));
        }
        let keys: Vec<String> = t.keys().cloned().collect();
        return Err(format!("`{at}` is a table, not a value; give one of its keys: {}", list(&keys)));
    }
    if let Value::Array(a) = node
        && a.iter().any(|e| e.is_table())
    {
        let names: Vec<String> = a.iter().enumerate().map(|(k, e)| element_name(e, k)).collect();
        return Err(format!("`{at}` is a list of tables, not a value; give one of its elements: {}", list(&names)));
    }
    Ok((steps, node))
}

/// The value at `steps`, for writing.
pub(crate) fn get_mut<'a>(mut node: &'a mut Value, steps: &[Step]) -> Option<&'a mut Value> {
    for s in steps {
        node = match (s, node) {
            (Step::Key(k), Value::Table(t)) => t.get_mut(k)?,
            (Step::Index(i), Value::Array(a)) => a.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(node)
}

/// A value's type and text, for messages.
pub(crate) fn describe(v: &Value) -> String {
    match v {
        Value::String(s) => format!("the string \"{s}\""),
        Value::Integer(i) => format!("the whole number {i}"),
        Value::Float(f) => format!("the number {f}"),
        Value::Boolean(b) => format!("the boolean {b}"),
        Value::Datetime(d) => format!("the date-time {d}"),
        Value::Array(_) => "a list".into(),
        Value::Table(_) => "a table".into(),
    }
}

/// `v` as a value of the type of `existing` (the value the file has there): a whole number
/// where the file has one, a number where it has a number (a whole number is widened), a
/// string (unit string, id) where it has a string. Otherwise the reason.
pub(crate) fn coerce(existing: &Value, v: &Value) -> Result<Value, String> {
    let ok = match (existing, v) {
        (Value::Integer(_), Value::Integer(_))
        | (Value::Float(_), Value::Float(_))
        | (Value::String(_), Value::String(_))
        | (Value::Boolean(_), Value::Boolean(_))
        | (Value::Array(_), Value::Array(_))
        | (Value::Datetime(_), Value::Datetime(_) | Value::String(_)) => v.clone(),
        (Value::Float(_), Value::Integer(i)) => Value::Float(*i as f64),
        _ => {
            let want = match existing {
                Value::Integer(_) => "a whole number",
                Value::Float(_) => "a number",
                Value::String(_) => "a string (a unit string such as \"250 km\" or an id)",
                Value::Boolean(_) => "true or false",
                Value::Array(_) => "a list",
                Value::Datetime(_) => "a date-time",
                Value::Table(_) => "a table",
            };
            return Err(format!("expected {want} (the file has {} there), got {}", describe(existing), describe(v)));
        }
    };
    if let Value::Float(f) = ok
        && !f.is_finite()
    {
        return Err(format!("expected a finite number, got {f}"));
    }
    Ok(ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Value {
        toml::from_str(
            r#"
            [scenario]
            duration = "20 min"
            [[threat]]
            name = "CM raid west"
            count = 6
            route = [{ lat = 40.3, speed = "Mach 0.75" }, { lat = 40.1 }]
            [[threat]]
            name = "a.b"
            count = 1
            [[platform]]
            id = "x"
            erp = { value = "45 dBW", source = "s" }
            "#,
        )
        .unwrap()
    }

    fn path(p: &str) -> Result<Vec<Step>, String> {
        let d = doc();
        let segs: Vec<&str> = p.split('.').collect();
        resolve(&d, &segs, "").map(|(s, _)| s)
    }

    #[test]
    fn names_indices_dotted_names_and_sourced_values_resolve() {
        use Step::*;
        assert_eq!(path("threat.CM raid west.count").unwrap(), [Key("threat".into()), Index(0), Key("count".into())]);
        assert_eq!(path("threat.a.b.count").unwrap(), [Key("threat".into()), Index(1), Key("count".into())]);
        assert_eq!(path("threat.0.route.1.lat").unwrap()[3], Index(1));
        assert_eq!(path("platform.x.erp").unwrap().last(), Some(&Key("value".into())));
    }

    #[test]
    fn a_bad_path_says_what_exists_there() {
        let e = path("threat.CM raid wset.count").unwrap_err();
        assert!(e.contains("no element `CM raid wset`") && e.contains("did you mean `CM raid west`"), "{e}");
        let e = path("threat.CM raid west.cont").unwrap_err();
        assert!(e.contains("did you mean `count`") && e.contains("keys there: count, name, route"), "{e}");
        assert!(path("threat.CM raid west").unwrap_err().contains("is a table"));
        assert!(path("threat").unwrap_err().contains("list of tables"));
        assert!(path("scenario.duration.x").unwrap_err().contains("is a value"));
    }

    #[test]
    fn values_take_the_files_type() {
        assert_eq!(coerce(&Value::Float(1.0), &Value::Integer(2)), Ok(Value::Float(2.0)));
        assert!(coerce(&Value::Integer(1), &Value::Float(2.5)).unwrap_err().contains("whole number"));
        assert!(coerce(&Value::String("a".into()), &Value::Integer(2)).unwrap_err().contains("a string"));
    }
}
