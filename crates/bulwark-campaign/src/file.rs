//! The campaign file (`docs/campaigns.md`): what it says, checked with the scenario crate's
//! diagnostics, and turned into validated design points before any run starts.
use crate::design;
use crate::path::{self, Step};
use bulwark_engine::{Budget, Costs, SimOptions};
use bulwark_scenario::diag::{close_matches, from_toml};
use bulwark_scenario::substitute::substitute_unit;
use bulwark_scenario::{Catalog, Diagnostic, Scenario};
use serde::Deserialize;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::{Spanned, Value};

type S<T> = Spanned<T>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    campaign: S<RawHeader>,
    #[serde(default)]
    factor: Vec<S<RawFactor>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    name: String,
    scenario: S<String>,
    replications: S<i64>,
    seed: Option<S<i64>>,
    design: Option<S<String>>,
    samples: Option<S<i64>>,
    design_file: Option<S<String>>,
    seeds: Option<S<String>>,
    level: Option<S<f64>>,
    bootstrap: Option<S<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFactor {
    path: S<PathSpec>,
    values: Option<S<Vec<S<Value>>>>,
    min: Option<S<Value>>,
    max: Option<S<Value>>,
    baseline: Option<S<Value>>,
}

/// One path, or several tied together: every one of them takes the factor's value (a jammer's
/// longitude at each waypoint of its orbit, an RCS at several bands).
#[derive(Deserialize)]
#[serde(untagged)]
enum PathSpec {
    One(String),
    Tied(Vec<String>),
}

impl PathSpec {
    fn paths(&self) -> Vec<String> {
        match self {
            PathSpec::One(p) => vec![p.clone()],
            PathSpec::Tied(v) => v.clone(),
        }
    }
}

/// How design points are made from the factors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DesignKind {
    /// Every combination of the factors' `values`; the first factor varies slowest.
    Factorial,
    /// A Latin hypercube of `samples` points over each factor's `min`..`max`.
    LatinHypercube,
    /// One point per row of `design_file`.
    List,
}

impl DesignKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DesignKind::Factorial => "factorial",
            DesignKind::LatinHypercube => "lhs",
            DesignKind::List => "list",
        }
    }
}

/// How a run's seed follows from the campaign seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeedMode {
    /// seed + replication for every point: common random numbers, so points that differ only in
    /// a factor face the same draws and paired differences are tight.
    Common,
    /// seed + point × replications + replication: every run its own draws.
    Independent,
}

/// Where a factor's value goes.
#[derive(Clone, Debug)]
pub(crate) enum Target {
    /// A value of the scenario document.
    Scenario { steps: Vec<Step>, existing: Value },
    /// A value of catalog file `file`.
    Catalog { file: usize, steps: Vec<Step>, existing: Value },
    /// `defence.<unit>.system`: these units rebuilt from the catalog as the named system.
    System { units: Vec<usize> },
}

impl Target {
    /// The file's value there, which sets the type every value of the factor must have.
    pub(crate) fn existing(&self) -> Value {
        match self {
            Target::Scenario { existing, .. } | Target::Catalog { existing, .. } => existing.clone(),
            Target::System { .. } => Value::String(String::new()),
        }
    }
}

/// One factor of the design.
#[derive(Clone, Debug)]
pub struct Factor {
    /// As written in the campaign file (tied paths joined by " + "); the column name in the
    /// outputs.
    pub path: String,
    /// The value paired differences are taken against (default: the factor's first value).
    pub baseline: Option<Value>,
    pub(crate) targets: Vec<Target>,
}

/// One validated design point.
#[derive(Clone, Debug)]
pub struct Point {
    /// One value per factor, in factor order.
    pub values: Vec<Value>,
    pub scenario: Scenario,
}

/// A hashed input of the campaign, for the manifest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    pub name: String,
    pub hash: u64,
}

/// A loaded, fully validated campaign.
#[derive(Clone, Debug)]
pub struct Campaign {
    pub file: PathBuf,
    pub name: String,
    pub replications: u32,
    pub seed: u64,
    pub seeds: SeedMode,
    /// Confidence level of every interval.
    pub level: f64,
    /// Bootstrap resamples for the means (BCa) instead of Student t; `None`: t.
    pub bootstrap: Option<u32>,
    pub design: DesignKind,
    pub factors: Vec<Factor>,
    pub points: Vec<Point>,
    /// Scenario, catalog, campaign and design texts, hashed (FNV-1a 64).
    pub inputs: Vec<Input>,
}

/// Memory a run's results hold until a campaign ends (bytes): its row of metrics, or its
/// summary in `compare`, with its seed. An upper estimate, not a measurement: a row has about a
/// hundred numbers and names (≈ 4 KB as JSON).
pub const KEPT_BYTES_PER_RUN: f64 = 16e3;
/// The same per threat of the scenario (a summary's timeline line per object, ≈ 200 B).
pub const KEPT_BYTES_PER_THREAT: f64 = 400.0;

impl Campaign {
    /// The seed of run (`point`, `replication`); `bulwark run --seed` with the point's scenario
    /// reproduces it.
    pub fn run_seed(&self, point: usize, replication: u32) -> u64 {
        let r = u64::from(replication);
        match self.seeds {
            SeedMode::Common => self.seed.wrapping_add(r),
            SeedMode::Independent => {
                self.seed.wrapping_add((point as u64).wrapping_mul(u64::from(self.replications))).wrapping_add(r)
            }
        }
    }

    /// Number of runs: points × replications.
    pub fn total_runs(&self) -> usize {
        self.points.len() * self.replications as usize
    }

    /// The cost estimate of `runs` runs of the campaign (all of them, or a shard's), `jobs` at once, each run recording all
    /// its outputs (`full`: `--keep-runs`) or only its row: the costliest point's run
    /// ([`Budget::estimate`]) times the runs, plus [`KEPT_BYTES_PER_RUN`] held per run until
    /// the end. Checked before any run starts, so an absurd request (`compare --seeds
    /// 4294967295`) is refused with its reason instead of allocating.
    pub fn budget(&self, runs: usize, jobs: usize, full: bool) -> Budget {
        let options = if full { SimOptions::default() } else { SimOptions::summary_only() };
        let costs = Costs::default();
        let worst = self
            .points
            .iter()
            .map(|p| Budget::estimate(&p.scenario, &options, &costs))
            .max_by(|a, b| a.cpu_s.total_cmp(&b.cpu_s).then(a.memory_bytes.total_cmp(&b.memory_bytes)));
        let threats: u64 =
            self.points.iter().map(|p| p.scenario.threats.iter().map(|g| u64::from(g.count)).sum()).max().unwrap_or(0);
        let kept = KEPT_BYTES_PER_RUN + KEPT_BYTES_PER_THREAT * threats as f64;
        let runs = runs as u64;
        worst.map_or(Budget { steps: 0, object_seconds: 0.0, radars: 0, cpu_s: 0.0, memory_bytes: 0.0, runs }, |w| {
            w.many(runs, jobs, kept)
        })
    }

    /// `bulwark compare`: `scenario` with every defence unit as each of `systems` in turn
    /// (factor `defence.*.system`), `seeds` replications from `seed_base`, common seeds.
    pub fn system_comparison(
        scenario: &Scenario,
        systems: &[String],
        seeds: u32,
        seed_base: u64,
    ) -> Result<Campaign, String> {
        let units: Vec<usize> = (0..scenario.defences.len()).collect();
        let mut points = Vec::new();
        for s in systems {
            let mut sc = scenario.clone();
            for &u in &units {
                sc.defences[u] = substitute_unit(&scenario.catalog, &sc.defences[u], s).map_err(|e| e.to_string())?;
            }
            points.push(Point { values: vec![Value::String(s.clone())], scenario: sc });
        }
        Ok(Campaign {
            file: scenario.path.clone(),
            name: scenario.name.clone(),
            replications: seeds,
            seed: seed_base,
            seeds: SeedMode::Common,
            level: 0.95,
            bootstrap: None,
            design: DesignKind::Factorial,
            factors: vec![Factor {
                path: "defence.*.system".into(),
                baseline: None,
                targets: vec![Target::System { units }],
            }],
            points,
            inputs: Vec::new(),
        })
    }

    /// Reads and checks campaign `file`, builds and validates every design point. Every error
    /// is a diagnostic at file:line:col (the campaign file, the design CSV or the scenario).
    pub fn load(file: impl AsRef<Path>) -> Result<Campaign, Diagnostic> {
        let file = file.as_ref();
        let text = std::fs::read_to_string(file).map_err(|e| Diagnostic::file(file, format!("cannot read: {e}")))?;
        Campaign::from_str(&text, file)
    }

    /// As [`Campaign::load`], from the text of `file`.
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(text: &str, file: &Path) -> Result<Campaign, Diagnostic> {
        let src = Src { file, text };
        let raw: RawFile = toml::from_str(text).map_err(|e| from_toml(file, text, &e))?;
        let h = raw.campaign.get_ref();
        let dir = file.parent().unwrap_or(Path::new("."));
        let base = Base::load(&src, &h.scenario, dir)?;

        let replications = u32::try_from(*h.replications.get_ref())
            .ok()
            .filter(|&r| r >= 1)
            .ok_or_else(|| src.err(h.replications.span(), "replications must be a whole number of at least 1"))?;
        let seed = match &h.seed {
            Some(s) => u64::try_from(*s.get_ref()).map_err(|_| src.err(s.span(), "seed cannot be negative"))?,
            None => 1,
        };
        let seeds = match &h.seeds {
            None => SeedMode::Common,
            Some(s) => match s.get_ref().as_str() {
                "common" => SeedMode::Common,
                "independent" => SeedMode::Independent,
                other => return Err(src.one_of(s.span(), "seeds", other, &["common", "independent"])),
            },
        };
        let total_span = h.replications.span();
        let level = match &h.level {
            Some(l) if !(*l.get_ref() > 0.5 && *l.get_ref() < 1.0) => {
                return Err(src.err(l.span(), format!("level must be between 0.5 and 1, got {}", l.get_ref())));
            }
            Some(l) => *l.get_ref(),
            None => 0.95,
        };
        let bootstrap = match &h.bootstrap {
            None => None,
            Some(b) => match u32::try_from(*b.get_ref()) {
                Ok(0) => None,
                Ok(n) if n >= 100 => Some(n),
                _ => return Err(src.err(b.span(), "bootstrap is a number of resamples: 0 (Student t) or at least 100")),
            },
        };
        let design = match &h.design {
            None => DesignKind::Factorial,
            Some(d) => match d.get_ref().as_str() {
                "factorial" => DesignKind::Factorial,
                "lhs" => DesignKind::LatinHypercube,
                "list" => DesignKind::List,
                other => return Err(src.one_of(d.span(), "design", other, &["factorial", "lhs", "list"])),
            },
        };
        let mut inputs = vec![Input { name: "campaign".into(), hash: fnv1a(text.as_bytes()) }];
        inputs.push(Input { name: format!("scenario {}", base.path.display()), hash: fnv1a(base.text.as_bytes()) });
        for (p, t) in &base.catalog_files {
            inputs.push(Input { name: format!("catalog {}", p.display()), hash: fnv1a(t.as_bytes()) });
        }

        // Factors: resolved, then one value list per factor (or a matrix for `list`).
        let mut factors = Vec::new();
        let specs: Vec<Spec>;
        let mut csv_file: Option<(PathBuf, String)> = None;
        match design {
            DesignKind::List => {
                if let Some(f) = raw.factor.first() {
                    return Err(src.err(
                        f.span(),
                        "a list design takes its factors from the header of design_file; remove the [[factor]] tables",
                    ));
                }
                if h.samples.as_ref().is_some() {
                    return Err(
                        src.err(h.samples.as_ref().map_or(0..0, |s| s.span()), "samples is for design = \"lhs\"")
                    );
                }
                let df = h.design_file.as_ref().ok_or_else(|| {
                    src.err(raw.campaign.span(), "design = \"list\" needs design_file = \"points.csv\"")
                })?;
                let csv_path = dir.join(df.get_ref());
                let csv_text = std::fs::read_to_string(&csv_path)
                    .map_err(|e| src.err(df.span(), format!("cannot read design file {}: {e}", csv_path.display())))?;
                inputs.push(Input { name: format!("design {}", df.get_ref()), hash: fnv1a(csv_text.as_bytes()) });
                let csv = Src { file: &csv_path, text: &csv_text };
                let (header, rows) = design::read_list(&csv)?;
                for (name, span) in &header {
                    let target = base.target(name).map_err(|m| csv.err(span.clone(), m))?;
                    factors.push(Factor { path: name.clone(), baseline: None, targets: vec![target] });
                }
                let mut out = Vec::new();
                for row in rows {
                    let mut values = Vec::new();
                    for ((cell, span), f) in row.cells.iter().zip(&factors) {
                        let v = design::typed_cell(cell, &f.targets[0].existing())
                            .map_err(|m| csv.err(span.clone(), format!("{}: {m}", f.path)))?;
                        values.push(v);
                    }
                    out.push(Spec { values, origin: Origin::Csv(row.span) });
                }
                if out.is_empty() {
                    return Err(csv.err(0..0, "the design file has a header but no design point"));
                }
                specs = out;
                csv_file = Some((csv_path, csv_text));
            }
            DesignKind::Factorial | DesignKind::LatinHypercube => {
                if let Some(df) = &h.design_file {
                    return Err(src.err(df.span(), "design_file is for design = \"list\""));
                }
                let lhs = design == DesignKind::LatinHypercube;
                if let Some(s) = h.samples.as_ref().filter(|_| !lhs) {
                    return Err(src.err(s.span(), "samples is for design = \"lhs\""));
                }
                let mut ranges = Vec::new();
                let mut lists = Vec::new();
                for rf in &raw.factor {
                    let f = rf.get_ref();
                    let paths = f.path.get_ref().paths();
                    if paths.is_empty() {
                        return Err(src.err(f.path.span(), "path is an empty list"));
                    }
                    let name = paths.join(" + ");
                    let targets: Vec<Target> = paths
                        .iter()
                        .map(|p| base.target(p).map_err(|m| src.err(f.path.span(), m)))
                        .collect::<Result<_, _>>()?;
                    if factors.iter().any(|x: &Factor| x.path == name) {
                        return Err(src.err(f.path.span(), format!("factor `{name}` is given twice")));
                    }
                    let existing = targets[0].existing();
                    let check = |v: &S<Value>| -> Result<Value, Diagnostic> {
                        let mut c = v.get_ref().clone();
                        for t in &targets {
                            c = path::coerce(&t.existing(), &c)
                                .map_err(|m| src.err(v.span(), format!("{name}: {m}")))?;
                        }
                        base.build_one(&targets, &c).map_err(|m| {
                            src.err(v.span(), format!("{name} = {} makes the scenario invalid: {m}", show(&c)))
                        })?;
                        Ok(c)
                    };
                    let baseline = f.baseline.as_ref().map(&check).transpose()?;
                    if lhs {
                        if let Some(v) = &f.values {
                            return Err(src.err(v.span(), "a Latin hypercube samples each factor between min and max; give min and max, not values"));
                        }
                        let (Some(min), Some(max)) = (&f.min, &f.max) else {
                            return Err(src.err(rf.span(), format!("factor `{name}` needs min and max")));
                        };
                        let (lo, hi) = (check(min)?, check(max)?);
                        let range = design::Range::new(&lo, &hi, &existing)
                            .map_err(|m| src.err(min.span().start..max.span().end, format!("{name}: {m}")))?;
                        ranges.push(range);
                    } else {
                        if let Some(m) = f.min.as_ref().or(f.max.as_ref()) {
                            return Err(src.err(
                                m.span(),
                                "min and max are for design = \"lhs\"; a factorial design takes values = [...]",
                            ));
                        }
                        let Some(values) = &f.values else {
                            return Err(src.err(rf.span(), format!("factor `{name}` needs values = [...]")));
                        };
                        if values.get_ref().is_empty() {
                            return Err(src.err(values.span(), "values is empty"));
                        }
                        let mut vs = Vec::new();
                        for v in values.get_ref() {
                            vs.push((check(v)?, v.span()));
                        }
                        lists.push(vs);
                    }
                    factors.push(Factor { path: name, baseline, targets });
                }
                specs = if lhs {
                    let n = match &h.samples {
                        Some(s) => usize::try_from(*s.get_ref())
                            .ok()
                            .filter(|&n| (1..=1_000_000).contains(&n))
                            .ok_or_else(|| src.err(s.span(), "samples must be between 1 and 1000000"))?,
                        None => return Err(src.err(raw.campaign.span(), "design = \"lhs\" needs samples = N")),
                    };
                    if ranges.is_empty() {
                        return Err(src.err(raw.campaign.span(), "a Latin hypercube needs at least one [[factor]]"));
                    }
                    let span = h.design.as_ref().map_or(raw.campaign.span(), |d| d.span());
                    design::latin_hypercube(&ranges, n, seed)
                        .into_iter()
                        .map(|values| Spec { values, origin: Origin::Campaign(span.clone()) })
                        .collect()
                } else {
                    design::factorial(&lists)
                        .into_iter()
                        .map(|(values, span)| Spec { values, origin: Origin::Campaign(span) })
                        .collect()
                };
            }
        }
        let csv = csv_file.as_ref().map(|(file, text)| Src { file, text });
        finish(Finish {
            src: &src,
            csv: csv.as_ref(),
            base: &base,
            raw_header: raw.campaign.span(),
            name: h.name.clone(),
            replications,
            seed,
            seeds,
            level,
            bootstrap,
            design,
            factors,
            specs,
            inputs,
            total_span,
        })
    }
}

/// A design point before it is built: its values and where they were written.
pub(crate) struct Spec {
    pub values: Vec<Value>,
    pub origin: Origin,
}

pub(crate) enum Origin {
    /// A span of the campaign file.
    Campaign(Range<usize>),
    /// A row of the design CSV.
    Csv(Range<usize>),
}

struct Finish<'a> {
    src: &'a Src<'a>,
    csv: Option<&'a Src<'a>>,
    base: &'a Base,
    raw_header: Range<usize>,
    name: String,
    replications: u32,
    seed: u64,
    seeds: SeedMode,
    level: f64,
    bootstrap: Option<u32>,
    design: DesignKind,
    factors: Vec<Factor>,
    specs: Vec<Spec>,
    inputs: Vec<Input>,
    total_span: Range<usize>,
}

fn finish(f: Finish<'_>) -> Result<Campaign, Diagnostic> {
    let runs = (f.specs.len() as u64).checked_mul(u64::from(f.replications));
    if runs.is_none_or(|r| r > 100_000_000) {
        return Err(f.src.err(f.total_span, "more than 100 million runs; split the study"));
    }
    let mut points = Vec::with_capacity(f.specs.len());
    for (p, spec) in f.specs.into_iter().enumerate() {
        let scenario = f.base.build(&f.factors, &spec.values).map_err(|m| {
            let desc: Vec<String> =
                f.factors.iter().zip(&spec.values).map(|(x, v)| format!("{} = {}", x.path, show(v))).collect();
            let msg = format!("design point {p} ({}) is invalid: {m}", desc.join(", "));
            match (&spec.origin, f.csv) {
                (Origin::Csv(span), Some(csv)) => csv.err(span.clone(), msg),
                (Origin::Campaign(span), _) | (Origin::Csv(span), None) => f.src.err(span.clone(), msg),
            }
        })?;
        points.push(Point { values: spec.values, scenario });
    }
    let _ = f.raw_header;
    Ok(Campaign {
        file: f.src.file.to_path_buf(),
        name: f.name,
        replications: f.replications,
        seed: f.seed,
        seeds: f.seeds,
        level: f.level,
        bootstrap: f.bootstrap,
        design: f.design,
        factors: f.factors,
        points,
        inputs: f.inputs,
    })
}

/// A factor value as text: a string as it is, a number as Rust prints it (shortest exact form).
pub fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Integer(i) => i.to_string(),
        Value::Float(x) => x.to_string(),
        Value::Boolean(b) => b.to_string(),
        Value::Datetime(d) => d.to_string(),
        other => other.to_string(),
    }
}

/// FNV-1a, 64 bit: a stable fingerprint of an input text for the manifest (change detection,
/// not security).
pub use bulwark_core::fnv1a_64 as fnv1a;

/// A file being checked: its path and text, for diagnostics.
pub(crate) struct Src<'a> {
    pub file: &'a Path,
    pub text: &'a str,
}

impl Src<'_> {
    pub fn err(&self, span: Range<usize>, msg: impl Into<String>) -> Diagnostic {
        Diagnostic::at(self.file, self.text, span, msg)
    }

    fn one_of(&self, span: Range<usize>, key: &str, got: &str, accepted: &[&str]) -> Diagnostic {
        let best = close_matches(got, accepted.iter().copied());
        let hint = best.first().map(|b| format!("; did you mean \"{b}\"?")).unwrap_or_default();
        self.err(span, format!("unknown {key} \"{got}\"{hint} (accepted: {})", accepted.join(", ")))
    }
}

/// The scenario and catalog every design point starts from, as documents to edit.
struct Base {
    path: PathBuf,
    text: String,
    /// The scenario document without its `catalog` key (the catalog is built here).
    doc: Value,
    catalog_files: Vec<(PathBuf, String)>,
    catalog_docs: Vec<Value>,
    catalog: Catalog,
    scenario: Scenario,
}

impl Base {
    fn load(src: &Src<'_>, scenario: &S<String>, dir: &Path) -> Result<Base, Diagnostic> {
        let (path, text) = if scenario.get_ref() == "reference" {
            (PathBuf::from("scenarios/reference.toml (embedded)"), bulwark_engine::REFERENCE_SCENARIO.to_string())
        } else {
            let p = dir.join(scenario.get_ref());
            let t = std::fs::read_to_string(&p)
                .map_err(|e| src.err(scenario.span(), format!("cannot read scenario {}: {e}", p.display())))?;
            (p, t)
        };
        let mut doc: Value = toml::from_str(&text).map_err(|e| from_toml(&path, &text, &e))?;
        let own_catalog = doc
            .get_mut("scenario")
            .and_then(Value::as_table_mut)
            .and_then(|t| t.remove("catalog"))
            .and_then(|v| v.as_str().map(str::to_string));
        let catalog_files = match own_catalog {
            Some(d) => Catalog::dir_texts(path.parent().unwrap_or(Path::new(".")).join(d))?,
            None => Catalog::embedded_texts(),
        };
        let catalog = Catalog::from_texts(&catalog_files)?;
        // The scenario as written, so that its own errors point into it.
        let scenario = Scenario::from_str(&text, &path, &catalog)?;
        let catalog_docs = catalog_files
            .iter()
            .map(|(p, t)| toml::from_str(t).map_err(|e| from_toml(p, t, &e)))
            .collect::<Result<_, _>>()?;
        Ok(Base { path, text, doc, catalog_files, catalog_docs, catalog, scenario })
    }

    /// Resolves factor path `p`, or says what exists where it goes wrong.
    fn target(&self, p: &str) -> Result<Target, String> {
        let segs: Vec<&str> = p.split('.').collect();
        if segs.iter().any(|s| s.is_empty()) {
            return Err(format!("factor path `{p}` has an empty part"));
        }
        if segs[0] == "catalog" {
            if segs.len() < 3 {
                return Err(format!("a catalog path is catalog.<entry id>.<key>, got `{p}`"));
            }
            let mut ids = Vec::new();
            for j in (2..segs.len()).rev() {
                let id = segs[1..j].join(".");
                for (file, doc) in self.catalog_docs.iter().enumerate() {
                    let Some(t) = doc.as_table() else { continue };
                    for (kind, arr) in t {
                        let Some(a) = arr.as_array() else { continue };
                        if let Some(k) = a.iter().position(|e| e.get("id").and_then(Value::as_str) == Some(&id)) {
                            let (rest, v) = path::resolve(&a[k], &segs[j..], &format!("catalog.{id}"))?;
                            let mut steps = vec![Step::Key(kind.clone()), Step::Index(k)];
                            steps.extend(rest);
                            return Ok(Target::Catalog { file, steps, existing: v.clone() });
                        }
                    }
                }
            }
            for doc in &self.catalog_docs {
                for arr in doc.as_table().into_iter().flat_map(|t| t.values()) {
                    ids.extend(arr.as_array().into_iter().flatten().filter_map(|e| e.get("id")?.as_str()));
                }
            }
            let best = close_matches(segs[1], ids.iter().copied());
            let hint = best.first().map(|b| format!("; did you mean `{b}`?")).unwrap_or_default();
            ids.sort_unstable();
            return Err(format!("the catalog has no entry `{}`{hint} (entries: {})", segs[1], ids.join(", ")));
        }
        if segs.len() == 3 && segs[0] == "defence" && segs[2] == "system" {
            let units: Vec<usize> = if segs[1] == "*" {
                (0..self.scenario.defences.len()).collect()
            } else {
                let (steps, _) = path::resolve(&self.doc, &segs, "")?;
                match steps.get(1) {
                    Some(Step::Index(k)) => vec![*k],
                    _ => return Err(format!("`{p}` does not name a defence unit")),
                }
            };
            if units.is_empty() {
                return Err("the scenario has no defence unit".into());
            }
            return Ok(Target::System { units });
        }
        let (steps, v) = path::resolve(&self.doc, &segs, "")?;
        Ok(Target::Scenario { steps, existing: v.clone() })
    }

    /// The base scenario with only `value` set at `targets`.
    fn build_one(&self, targets: &[Target], value: &Value) -> Result<Scenario, String> {
        let f = Factor { path: String::new(), baseline: None, targets: targets.to_vec() };
        self.build(std::slice::from_ref(&f), std::slice::from_ref(value))
    }

    /// The scenario of one design point, validated by the scenario crate.
    fn build(&self, factors: &[Factor], values: &[Value]) -> Result<Scenario, String> {
        let mut doc = None;
        let mut cat_docs: Option<Vec<Value>> = None;
        let mut systems = Vec::new();
        for (target, v) in factors.iter().zip(values).flat_map(|(f, v)| f.targets.iter().map(move |t| (t, v))) {
            match target {
                Target::Scenario { steps, .. } => {
                    let d = doc.get_or_insert_with(|| self.doc.clone());
                    *path::get_mut(d, steps).ok_or("path vanished")? = v.clone();
                }
                Target::Catalog { file, steps, .. } => {
                    let docs = cat_docs.get_or_insert_with(|| self.catalog_docs.clone());
                    *path::get_mut(&mut docs[*file], steps).ok_or("path vanished")? = v.clone();
                }
                Target::System { units } => systems.push((units, v.as_str().unwrap_or_default().to_string())),
            }
        }
        let catalog = match &cat_docs {
            None => None,
            Some(docs) => {
                let texts: Vec<(PathBuf, String)> = self
                    .catalog_files
                    .iter()
                    .zip(docs)
                    .map(|((p, _), d)| toml::to_string(d).map(|t| (p.clone(), t)).map_err(|e| e.to_string()))
                    .collect::<Result<_, _>>()?;
                Some(Catalog::from_texts(&texts).map_err(|d| d.message)?)
            }
        };
        let mut scenario = match (&doc, &catalog) {
            (None, None) => self.scenario.clone(),
            _ => {
                let text = toml::to_string(doc.as_ref().unwrap_or(&self.doc)).map_err(|e| e.to_string())?;
                Scenario::from_str(&text, &self.path, catalog.as_ref().unwrap_or(&self.catalog))
                    .map_err(|d| d.message)?
            }
        };
        for (units, system) in systems {
            for &u in units {
                let unit = scenario.defences.get(u).ok_or("no such defence unit")?;
                scenario.defences[u] = substitute_unit(&scenario.catalog, unit, &system).map_err(|e| e.to_string())?;
            }
        }
        Ok(scenario)
    }
}
