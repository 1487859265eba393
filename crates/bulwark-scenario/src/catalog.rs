//! The catalog: radars, interceptors, launchers, systems and platforms, every physical
//! parameter in SI and carrying the public source it comes from (`docs/formats.md`).
//!
//! Loaded from every `*.toml` of a directory (in file-name order) or from the embedded copy of
//! the workspace's `catalog/` directory. Validation checks unique ids (one namespace for all
//! kinds), that every `source` key and cross-reference exists, and sane ranges
//! (probabilities in (0, 1), positive ranges, min < max), each error at file:line:col.
use crate::diag::Diagnostic;
use crate::raw::{Check, Raw, Res, Src, fmt_num};
use crate::units::{self, Quantity};
use bulwark_core::PlatformClass;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use toml::Spanned;

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

/// A value with the public source it comes from. `value` is the one used; `alternatives`
/// keep the figures of other sources.
#[derive(Clone, Debug, PartialEq)]
pub struct Sourced<T> {
    pub value: T,
    /// Key of [`Catalog::sources`].
    pub source: String,
    pub note: Option<String>,
    pub alternatives: Vec<Alternative<T>>,
}

/// A figure from another source, kept but not used.
#[derive(Clone, Debug, PartialEq)]
pub struct Alternative<T> {
    pub value: T,
    pub source: String,
    pub note: Option<String>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    Article,
    Brochure,
    Textbook,
    /// A Bulwark engineering assumption where no public figure exists; its note says how.
    Assumption,
}

/// A public reference (`[source.KEY]`).
#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub publisher: String,
    pub url: Option<String>,
    pub year: i32,
    pub kind: SourceKind,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RadarRole {
    Surveillance,
    FireControl,
    Multifunction,
}

/// IEEE 521 radar band letters (plus VHF/UHF).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
pub enum Band {
    #[serde(rename = "VHF")]
    Vhf,
    #[serde(rename = "UHF")]
    Uhf,
    L,
    S,
    C,
    X,
    Ku,
    Ka,
}

/// A radar type. Detection is anchored on (reference_range, reference_rcs, reference_pd, pfa):
/// a Swerling 1 target of `reference_rcs` is seen at `reference_range` with `reference_pd`.
#[derive(Clone, Debug, PartialEq)]
pub struct Radar {
    pub id: String,
    pub name: String,
    pub role: RadarRole,
    pub band: Band,
    pub reference_range_m: Sourced<f64>,
    pub reference_rcs_m2: Sourced<f64>,
    pub reference_pd: Sourced<f64>,
    pub pfa: Sourced<f64>,
    pub instrumented_range_m: Sourced<f64>,
    pub min_range_m: Sourced<f64>,
    /// Width of the azimuth sector, centred on the unit's facing; 2π for all-round.
    pub azimuth_sector_rad: Sourced<f64>,
    pub min_elevation_rad: Sourced<f64>,
    pub max_elevation_rad: Sourced<f64>,
    pub revisit_time_s: Sourced<f64>,
    pub range_resolution_m: Sourced<f64>,
    pub beamwidth_azimuth_rad: Sourced<f64>,
    pub beamwidth_elevation_rad: Sourced<f64>,
    pub sigma_range_m: Sourced<f64>,
    pub sigma_azimuth_rad: Sourced<f64>,
    pub sigma_elevation_rad: Sourced<f64>,
    /// None: no Doppler measurement.
    pub sigma_range_rate_mps: Option<Sourced<f64>>,
    /// Default mast height above the site.
    pub antenna_height_m: Sourced<f64>,
    /// Targets it can guide on at once (fire_control / multifunction only).
    pub fire_channels: Option<Sourced<u32>>,
    /// Range of a co-located IFF interrogator.
    pub iff_range_m: Option<Sourced<f64>>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Guidance {
    Command,
    SemiActive,
    Tvm,
    Active,
}

/// An interceptor missile type.
#[derive(Clone, Debug, PartialEq)]
pub struct Interceptor {
    pub id: String,
    pub name: String,
    /// Terminal guidance mode.
    pub guidance: Guidance,
    pub min_range_m: Sourced<f64>,
    pub max_range_m: Sourced<f64>,
    pub min_altitude_m: Sourced<f64>,
    pub max_altitude_m: Sourced<f64>,
    pub max_target_speed_mps: Sourced<f64>,
    /// Burnout speed.
    pub max_speed_mps: Sourced<f64>,
    pub burn_time_s: Sourced<f64>,
    pub max_flight_time_s: Sourced<f64>,
    pub max_lateral_acceleration_mps2: Sourced<f64>,
    /// N′ of proportional navigation.
    pub navigation_constant: Sourced<f64>,
    /// m / (Cd·A), kg/m², drag in coast.
    pub ballistic_coefficient_kg_m2: Sourced<f64>,
    pub seeker_acquisition_range_m: Option<Sourced<f64>>,
    pub seeker_sigma_angle_rad: Option<Sourced<f64>>,
    pub lethal_radius_m: Sourced<f64>,
    /// Kill probability at zero miss distance.
    pub single_shot_pk: Sourced<f64>,
    /// Launch mass.
    pub mass_kg: Sourced<f64>,
}

/// A launcher type.
#[derive(Clone, Debug, PartialEq)]
pub struct Launcher {
    pub id: String,
    pub name: String,
    /// Tubes.
    pub capacity: Sourced<u32>,
    /// Interceptor ids it can carry.
    pub loads: Vec<String>,
    pub deploy_time_s: Sourced<f64>,
    pub reload_time_s: Sourced<f64>,
}

/// A system type: which radars, launchers and interceptors make a unit, and its command post.
#[derive(Clone, Debug, PartialEq)]
pub struct System {
    pub id: String,
    pub name: String,
    pub radars: Vec<String>,
    pub launchers: Vec<String>,
    pub interceptors: Vec<String>,
    /// Detection-to-launch time at the command post.
    pub reaction_time_s: Sourced<f64>,
    pub max_engaged_targets: Sourced<u32>,
    pub max_guided_missiles: Sourced<u32>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transponder {
    None,
    Mode5,
    /// Mode 3/A, C and S.
    Civil,
}

/// Ballistic-missile-only parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct BallisticParams {
    pub max_range_m: Sourced<f64>,
    pub burn_time_s: Sourced<f64>,
}

/// A threat, civil or friendly aircraft or missile type.
#[derive(Clone, Debug, PartialEq)]
pub struct Platform {
    pub id: String,
    pub name: String,
    pub class: PlatformClass,
    /// Mean RCS (Swerling mean), m².
    pub rcs_m2: Sourced<f64>,
    pub cruise_speed_mps: Sourced<f64>,
    pub max_speed_mps: Sourced<f64>,
    pub min_speed_mps: Sourced<f64>,
    /// n; turns are limited to a radius V²/(g·√(n²−1)).
    pub max_load_factor: Sourced<f64>,
    pub max_climb_rate_mps: Sourced<f64>,
    /// Along-track speed change.
    pub max_acceleration_mps2: Sourced<f64>,
    pub ceiling_m: Sourced<f64>,
    pub transponder: Transponder,
    /// Present exactly when `class` is ballistic_missile.
    pub ballistic: Option<BallisticParams>,
}

/// The kind of a catalog entry.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntryKind {
    Source,
    Radar,
    Interceptor,
    Launcher,
    System,
    Platform,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Source => "source",
            EntryKind::Radar => "radar",
            EntryKind::Interceptor => "interceptor",
            EntryKind::Launcher => "launcher",
            EntryKind::System => "system",
            EntryKind::Platform => "platform",
        }
    }
}

/// The validated catalog, every map keyed by id.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Catalog {
    pub sources: BTreeMap<String, Source>,
    pub radars: BTreeMap<String, Radar>,
    pub interceptors: BTreeMap<String, Interceptor>,
    pub launchers: BTreeMap<String, Launcher>,
    pub systems: BTreeMap<String, System>,
    pub platforms: BTreeMap<String, Platform>,
}

/// The workspace's `catalog/` directory, compiled in, as (display path, text).
const EMBEDDED: [(&str, &str); 6] = [
    ("catalog/sources.toml", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../catalog/sources.toml"))),
    ("catalog/s400.toml", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../catalog/s400.toml"))),
    ("catalog/s300pmu2.toml", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../catalog/s300pmu2.toml"))),
    ("catalog/patriot.toml", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../catalog/patriot.toml"))),
    ("catalog/threats.toml", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../catalog/threats.toml"))),
    ("catalog/civil.toml", include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../catalog/civil.toml"))),
];

impl Catalog {
    /// The catalog compiled into the binary (the workspace's `catalog/` directory).
    pub fn embedded() -> Result<Catalog, Diagnostic> {
        let files: Vec<(PathBuf, String)> =
            EMBEDDED.iter().map(|(p, t)| (PathBuf::from(p), (*t).to_string())).collect();
        Catalog::from_texts(&files)
    }

    /// Loads every `*.toml` file of `dir`, in file-name order.
    pub fn load_dir(dir: impl AsRef<Path>) -> Result<Catalog, Diagnostic> {
        let dir = dir.as_ref();
        let entries =
            std::fs::read_dir(dir).map_err(|e| Diagnostic::file(dir, format!("cannot read catalog directory: {e}")))?;
        let mut paths = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| Diagnostic::file(dir, format!("cannot list catalog directory: {e}")))?;
            let path = entry.path();
            if path.extension().is_some_and(|x| x == "toml") && path.is_file() {
                paths.push(path);
            }
        }
        paths.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
        if paths.is_empty() {
            return Err(Diagnostic::file(dir, "catalog directory holds no *.toml file"));
        }
        let mut files = Vec::new();
        for p in paths {
            let text = std::fs::read_to_string(&p).map_err(|e| Diagnostic::file(&p, format!("cannot read: {e}")))?;
            files.push((p, text));
        }
        Catalog::from_texts(&files)
    }

    /// Builds a catalog from (path for messages, TOML text) pairs, in the order given.
    pub fn from_texts(files: &[(PathBuf, String)]) -> Result<Catalog, Diagnostic> {
        let mut parsed = Vec::new();
        for (path, text) in files {
            let src = Src { file: path, text };
            let raw: RawFile = src.parse()?;
            parsed.push((src, raw));
        }
        let mut cat = Catalog::default();
        let mut first_seen: BTreeMap<String, (EntryKind, PathBuf)> = BTreeMap::new();
        // Sources first: every value below refers to them.
        for (src, raw) in &parsed {
            for (key, s) in &raw.source {
                claim(src, &mut first_seen, key, s.span(), EntryKind::Source)?;
                let r = s.get_ref();
                src.check(r.year.span(), "year", *r.year.get_ref() as f64, None, Check::Within(1800.0, 2200.0))?;
                cat.sources.insert(
                    key.clone(),
                    Source {
                        id: key.clone(),
                        title: r.title.clone(),
                        publisher: r.publisher.clone(),
                        url: r.url.clone(),
                        year: *r.year.get_ref() as i32,
                        kind: r.kind,
                    },
                );
            }
        }
        // Ids are one namespace: claim them in file order so a duplicate is reported at its
        // second appearance.
        for (src, raw) in &parsed {
            let mut ids: Vec<(&Spanned<String>, EntryKind)> = Vec::new();
            ids.extend(raw.radar.iter().map(|r| (&r.get_ref().id, EntryKind::Radar)));
            ids.extend(raw.interceptor.iter().map(|r| (&r.get_ref().id, EntryKind::Interceptor)));
            ids.extend(raw.launcher.iter().map(|r| (&r.get_ref().id, EntryKind::Launcher)));
            ids.extend(raw.system.iter().map(|r| (&r.get_ref().id, EntryKind::System)));
            ids.extend(raw.platform.iter().map(|r| (&r.get_ref().id, EntryKind::Platform)));
            ids.sort_by_key(|(id, _)| id.span().start);
            for (id, kind) in ids {
                claim(src, &mut first_seen, id.get_ref(), id.span(), kind)?;
            }
        }
        for (src, raw) in &parsed {
            let cx = Cx { src: *src, sources: &cat.sources };
            for r in &raw.interceptor {
                let e = cx.interceptor(r.get_ref())?;
                cat.interceptors.insert(e.id.clone(), e);
            }
            for r in &raw.radar {
                let e = cx.radar(r)?;
                cat.radars.insert(e.id.clone(), e);
            }
            for r in &raw.platform {
                let e = cx.platform(r)?;
                cat.platforms.insert(e.id.clone(), e);
            }
        }
        // Launchers refer to interceptors, systems to everything: check after all files are in.
        for (src, raw) in &parsed {
            let cx = Cx { src: *src, sources: &cat.sources };
            for r in &raw.launcher {
                let e = cx.launcher(r.get_ref(), &cat)?;
                cat.launchers.insert(e.id.clone(), e);
            }
        }
        for (src, raw) in &parsed {
            let cx = Cx { src: *src, sources: &cat.sources };
            for r in &raw.system {
                let e = cx.system(r.get_ref(), &cat)?;
                cat.systems.insert(e.id.clone(), e);
            }
        }
        Ok(cat)
    }

    pub fn radar(&self, id: &str) -> Option<&Radar> {
        self.radars.get(id)
    }
    pub fn interceptor(&self, id: &str) -> Option<&Interceptor> {
        self.interceptors.get(id)
    }
    pub fn launcher(&self, id: &str) -> Option<&Launcher> {
        self.launchers.get(id)
    }
    pub fn system(&self, id: &str) -> Option<&System> {
        self.systems.get(id)
    }
    pub fn platform(&self, id: &str) -> Option<&Platform> {
        self.platforms.get(id)
    }
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.get(id)
    }

    /// Which kind of entry `id` is, if any (ids are unique across kinds).
    pub fn kind_of(&self, id: &str) -> Option<EntryKind> {
        if self.radars.contains_key(id) {
            Some(EntryKind::Radar)
        } else if self.interceptors.contains_key(id) {
            Some(EntryKind::Interceptor)
        } else if self.launchers.contains_key(id) {
            Some(EntryKind::Launcher)
        } else if self.systems.contains_key(id) {
            Some(EntryKind::System)
        } else if self.platforms.contains_key(id) {
            Some(EntryKind::Platform)
        } else if self.sources.contains_key(id) {
            Some(EntryKind::Source)
        } else {
            None
        }
    }

    /// Ids of one kind, sorted.
    pub fn ids(&self, kind: EntryKind) -> Vec<&str> {
        fn keys<V>(m: &BTreeMap<String, V>) -> Vec<&str> {
            m.keys().map(String::as_str).collect()
        }
        match kind {
            EntryKind::Source => keys(&self.sources),
            EntryKind::Radar => keys(&self.radars),
            EntryKind::Interceptor => keys(&self.interceptors),
            EntryKind::Launcher => keys(&self.launchers),
            EntryKind::System => keys(&self.systems),
            EntryKind::Platform => keys(&self.platforms),
        }
    }

    /// Every entry as (kind, id, name), grouped by kind (systems, radars, interceptors,
    /// launchers, platforms, sources) and sorted by id within a kind.
    pub fn list(&self) -> Vec<(EntryKind, String, String)> {
        let mut out = Vec::new();
        out.extend(self.systems.values().map(|e| (EntryKind::System, e.id.clone(), e.name.clone())));
        out.extend(self.radars.values().map(|e| (EntryKind::Radar, e.id.clone(), e.name.clone())));
        out.extend(self.interceptors.values().map(|e| (EntryKind::Interceptor, e.id.clone(), e.name.clone())));
        out.extend(self.launchers.values().map(|e| (EntryKind::Launcher, e.id.clone(), e.name.clone())));
        out.extend(self.platforms.values().map(|e| (EntryKind::Platform, e.id.clone(), e.name.clone())));
        out.extend(self.sources.values().map(|e| (EntryKind::Source, e.id.clone(), e.title.clone())));
        out
    }

    /// A readable multi-line description of entry `id`: every parameter with its value and
    /// unit, its source (title, publisher, year), note and alternatives.
    pub fn describe(&self, id: &str) -> Option<String> {
        let mut out = String::new();
        let kind = self.kind_of(id)?;
        let (name, fields, params): Described<'_> = match kind {
            EntryKind::Source => {
                let s = &self.sources[id];
                let mut f = vec![
                    ("publisher", s.publisher.clone()),
                    ("year", s.year.to_string()),
                    ("kind", format!("{:?}", s.kind).to_lowercase()),
                ];
                if let Some(u) = &s.url {
                    f.push(("url", u.clone()));
                }
                (&s.title, f, Vec::new())
            }
            EntryKind::Radar => {
                let r = &self.radars[id];
                let f = vec![("role", snake(&format!("{:?}", r.role))), ("band", format!("{:?}", r.band))];
                (&r.name, f, r.params())
            }
            EntryKind::Interceptor => {
                let r = &self.interceptors[id];
                (&r.name, vec![("guidance", snake(&format!("{:?}", r.guidance)))], r.params())
            }
            EntryKind::Launcher => {
                let r = &self.launchers[id];
                (&r.name, vec![("loads", r.loads.join(", "))], r.params())
            }
            EntryKind::System => {
                let r = &self.systems[id];
                let f = vec![
                    ("radars", r.radars.join(", ")),
                    ("launchers", r.launchers.join(", ")),
                    ("interceptors", r.interceptors.join(", ")),
                ];
                (&r.name, f, r.params())
            }
            EntryKind::Platform => {
                let r = &self.platforms[id];
                let f = vec![
                    ("class", r.class.as_str().to_string()),
                    ("transponder", snake(&format!("{:?}", r.transponder))),
                ];
                (&r.name, f, r.params())
            }
        };
        let _ = writeln!(out, "{} {id}: {name}", kind.as_str());
        for (k, v) in fields {
            let _ = writeln!(out, "  {k}: {v}");
        }
        for (key, p) in params {
            let (value, source, note, alts) = match p {
                Param::Real(q, s) => (
                    show(q, s.value),
                    &s.source,
                    &s.note,
                    s.alternatives.iter().map(|a| (show(q, a.value), &a.source, &a.note)).collect::<Vec<_>>(),
                ),
                Param::Count(s) => (
                    s.value.to_string(),
                    &s.source,
                    &s.note,
                    s.alternatives.iter().map(|a| (a.value.to_string(), &a.source, &a.note)).collect(),
                ),
            };
            let _ = writeln!(out, "  {key} = {value}");
            let _ = writeln!(out, "      source: {}", self.cite(source));
            if let Some(n) = note {
                let _ = writeln!(out, "      note: {n}");
            }
            for (v, s, n) in alts {
                let _ = writeln!(out, "      alternative: {v} ({})", self.cite(s));
                if let Some(n) = n {
                    let _ = writeln!(out, "        note: {n}");
                }
            }
        }
        Some(out)
    }

    fn cite(&self, key: &str) -> String {
        match self.sources.get(key) {
            Some(s) => {
                format!("[{key}] {}, {}, {} ({})", s.title, s.publisher, s.year, snake(&format!("{:?}", s.kind)))
            }
            None => format!("[{key}]"),
        }
    }
}

fn show(q: Option<Quantity>, x: f64) -> String {
    match q {
        Some(q) => units::display(q, x),
        None => fmt_num(x),
    }
}

/// "a" or "an" before `word`.
fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }
}

/// `FireControl` → `fire_control`.
fn snake(camel: &str) -> String {
    let mut s = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            s.push('_');
        }
        s.push(c.to_ascii_lowercase());
    }
    s
}

/// An entry for [`Catalog::describe`]: name, plain fields, sourced parameters.
type Described<'a> = (&'a str, Vec<(&'static str, String)>, Vec<(&'static str, Param<'a>)>);

/// One parameter for [`Catalog::describe`]: a real value (with its quantity, or a bare number)
/// or a count.
enum Param<'a> {
    Real(Option<Quantity>, &'a Sourced<f64>),
    Count(&'a Sourced<u32>),
}

use Quantity as Q;

impl Radar {
    fn params(&self) -> Vec<(&'static str, Param<'_>)> {
        let mut p = vec![
            ("reference_range", Param::Real(Some(Q::Length), &self.reference_range_m)),
            ("reference_rcs", Param::Real(Some(Q::Area), &self.reference_rcs_m2)),
            ("reference_pd", Param::Real(None, &self.reference_pd)),
            ("pfa", Param::Real(None, &self.pfa)),
            ("instrumented_range", Param::Real(Some(Q::Length), &self.instrumented_range_m)),
            ("min_range", Param::Real(Some(Q::Length), &self.min_range_m)),
            ("azimuth_sector", Param::Real(Some(Q::Angle), &self.azimuth_sector_rad)),
            ("min_elevation", Param::Real(Some(Q::Angle), &self.min_elevation_rad)),
            ("max_elevation", Param::Real(Some(Q::Angle), &self.max_elevation_rad)),
            ("revisit_time", Param::Real(Some(Q::Time), &self.revisit_time_s)),
            ("range_resolution", Param::Real(Some(Q::Length), &self.range_resolution_m)),
            ("beamwidth_azimuth", Param::Real(Some(Q::Angle), &self.beamwidth_azimuth_rad)),
            ("beamwidth_elevation", Param::Real(Some(Q::Angle), &self.beamwidth_elevation_rad)),
            ("sigma_range", Param::Real(Some(Q::Length), &self.sigma_range_m)),
            ("sigma_azimuth", Param::Real(Some(Q::Angle), &self.sigma_azimuth_rad)),
            ("sigma_elevation", Param::Real(Some(Q::Angle), &self.sigma_elevation_rad)),
        ];
        if let Some(s) = &self.sigma_range_rate_mps {
            p.push(("sigma_range_rate", Param::Real(Some(Q::Speed), s)));
        }
        p.push(("antenna_height", Param::Real(Some(Q::Length), &self.antenna_height_m)));
        if let Some(s) = &self.fire_channels {
            p.push(("fire_channels", Param::Count(s)));
        }
        if let Some(s) = &self.iff_range_m {
            p.push(("iff_range", Param::Real(Some(Q::Length), s)));
        }
        p
    }
}

impl Interceptor {
    fn params(&self) -> Vec<(&'static str, Param<'_>)> {
        let mut p = vec![
            ("min_range", Param::Real(Some(Q::Length), &self.min_range_m)),
            ("max_range", Param::Real(Some(Q::Length), &self.max_range_m)),
            ("min_altitude", Param::Real(Some(Q::Altitude), &self.min_altitude_m)),
            ("max_altitude", Param::Real(Some(Q::Altitude), &self.max_altitude_m)),
            ("max_target_speed", Param::Real(Some(Q::Speed), &self.max_target_speed_mps)),
            ("max_speed", Param::Real(Some(Q::Speed), &self.max_speed_mps)),
            ("burn_time", Param::Real(Some(Q::Time), &self.burn_time_s)),
            ("max_flight_time", Param::Real(Some(Q::Time), &self.max_flight_time_s)),
            ("max_lateral_acceleration", Param::Real(Some(Q::Acceleration), &self.max_lateral_acceleration_mps2)),
            ("navigation_constant", Param::Real(None, &self.navigation_constant)),
            ("ballistic_coefficient", Param::Real(Some(Q::BallisticCoefficient), &self.ballistic_coefficient_kg_m2)),
        ];
        if let Some(s) = &self.seeker_acquisition_range_m {
            p.push(("seeker_acquisition_range", Param::Real(Some(Q::Length), s)));
        }
        if let Some(s) = &self.seeker_sigma_angle_rad {
            p.push(("seeker_sigma_angle", Param::Real(Some(Q::Angle), s)));
        }
        p.push(("lethal_radius", Param::Real(Some(Q::Length), &self.lethal_radius_m)));
        p.push(("single_shot_pk", Param::Real(None, &self.single_shot_pk)));
        p.push(("mass", Param::Real(Some(Q::Mass), &self.mass_kg)));
        p
    }
}

impl Launcher {
    fn params(&self) -> Vec<(&'static str, Param<'_>)> {
        vec![
            ("capacity", Param::Count(&self.capacity)),
            ("deploy_time", Param::Real(Some(Q::Time), &self.deploy_time_s)),
            ("reload_time", Param::Real(Some(Q::Time), &self.reload_time_s)),
        ]
    }
}

impl System {
    fn params(&self) -> Vec<(&'static str, Param<'_>)> {
        vec![
            ("reaction_time", Param::Real(Some(Q::Time), &self.reaction_time_s)),
            ("max_engaged_targets", Param::Count(&self.max_engaged_targets)),
            ("max_guided_missiles", Param::Count(&self.max_guided_missiles)),
        ]
    }
}

impl Platform {
    fn params(&self) -> Vec<(&'static str, Param<'_>)> {
        let mut p = vec![
            ("rcs", Param::Real(Some(Q::Area), &self.rcs_m2)),
            ("cruise_speed", Param::Real(Some(Q::Speed), &self.cruise_speed_mps)),
            ("max_speed", Param::Real(Some(Q::Speed), &self.max_speed_mps)),
            ("min_speed", Param::Real(Some(Q::Speed), &self.min_speed_mps)),
            ("max_load_factor", Param::Real(None, &self.max_load_factor)),
            ("max_climb_rate", Param::Real(Some(Q::Speed), &self.max_climb_rate_mps)),
            ("max_acceleration", Param::Real(Some(Q::Acceleration), &self.max_acceleration_mps2)),
            ("ceiling", Param::Real(Some(Q::Altitude), &self.ceiling_m)),
        ];
        if let Some(b) = &self.ballistic {
            p.push(("max_range", Param::Real(Some(Q::Length), &b.max_range_m)));
            p.push(("burn_time", Param::Real(Some(Q::Time), &b.burn_time_s)));
        }
        p
    }
}

// ---------------------------------------------------------------------------------------------
// Raw file schema (serde) and validation
// ---------------------------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    source: BTreeMap<String, Spanned<RawSource>>,
    #[serde(default)]
    radar: Vec<Spanned<RawRadar>>,
    #[serde(default)]
    interceptor: Vec<Spanned<RawInterceptor>>,
    #[serde(default)]
    launcher: Vec<Spanned<RawLauncher>>,
    #[serde(default)]
    system: Vec<Spanned<RawSystem>>,
    #[serde(default)]
    platform: Vec<Spanned<RawPlatform>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    title: String,
    publisher: String,
    url: Option<String>,
    year: Spanned<i64>,
    kind: SourceKind,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSourced {
    value: Spanned<Raw>,
    source: Spanned<String>,
    note: Option<String>,
    #[serde(default)]
    alternatives: Vec<RawAlternative>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAlternative {
    value: Spanned<Raw>,
    source: Spanned<String>,
    note: Option<String>,
}

type Sv = Spanned<RawSourced>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRadar {
    id: Spanned<String>,
    name: String,
    role: RadarRole,
    band: Band,
    reference_range: Sv,
    reference_rcs: Sv,
    reference_pd: Sv,
    pfa: Sv,
    instrumented_range: Sv,
    min_range: Sv,
    azimuth_sector: Sv,
    min_elevation: Sv,
    max_elevation: Sv,
    revisit_time: Sv,
    range_resolution: Sv,
    beamwidth_azimuth: Sv,
    beamwidth_elevation: Sv,
    sigma_range: Sv,
    sigma_azimuth: Sv,
    sigma_elevation: Sv,
    sigma_range_rate: Option<Sv>,
    antenna_height: Sv,
    fire_channels: Option<Sv>,
    iff_range: Option<Sv>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInterceptor {
    id: Spanned<String>,
    name: String,
    guidance: Guidance,
    min_range: Sv,
    max_range: Sv,
    min_altitude: Sv,
    max_altitude: Sv,
    max_target_speed: Sv,
    max_speed: Sv,
    burn_time: Sv,
    max_flight_time: Sv,
    max_lateral_acceleration: Sv,
    navigation_constant: Sv,
    ballistic_coefficient: Sv,
    seeker_acquisition_range: Option<Sv>,
    seeker_sigma_angle: Option<Sv>,
    lethal_radius: Sv,
    single_shot_pk: Sv,
    mass: Sv,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLauncher {
    id: Spanned<String>,
    name: String,
    capacity: Sv,
    loads: Spanned<Vec<Spanned<String>>>,
    deploy_time: Sv,
    reload_time: Sv,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSystem {
    id: Spanned<String>,
    name: String,
    radars: Spanned<Vec<Spanned<String>>>,
    launchers: Spanned<Vec<Spanned<String>>>,
    interceptors: Spanned<Vec<Spanned<String>>>,
    reaction_time: Sv,
    max_engaged_targets: Sv,
    max_guided_missiles: Sv,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlatform {
    id: Spanned<String>,
    name: String,
    class: Spanned<String>,
    rcs: Sv,
    cruise_speed: Sv,
    max_speed: Sv,
    min_speed: Sv,
    max_load_factor: Sv,
    max_climb_rate: Sv,
    max_acceleration: Sv,
    ceiling: Sv,
    transponder: Option<Transponder>,
    max_range: Option<Sv>,
    burn_time: Option<Sv>,
}

/// Records where an id was first defined; a second definition is an error.
fn claim(
    src: &Src<'_>,
    seen: &mut BTreeMap<String, (EntryKind, PathBuf)>,
    id: &str,
    span: std::ops::Range<usize>,
    kind: EntryKind,
) -> Res<()> {
    if id.trim().is_empty() {
        return Err(src.err(span, "an id cannot be empty"));
    }
    if let Some((k, f)) = seen.get(id) {
        return Err(src.err(
            span,
            format!(
                "duplicate id \"{id}\": already defined as {} {} in {}",
                article(k.as_str()),
                k.as_str(),
                f.display()
            ),
        ));
    }
    seen.insert(id.to_string(), (kind, src.file.to_path_buf()));
    Ok(())
}

/// What a sourced value holds and which range it must fall in.
#[derive(Copy, Clone)]
enum Kind {
    Q(Quantity, Check),
    Num(Check),
}

const LEN_POS: Kind = Kind::Q(Q::Length, Check::Positive);
const LEN_NONNEG: Kind = Kind::Q(Q::Length, Check::NonNegative);
const TIME_POS: Kind = Kind::Q(Q::Time, Check::Positive);
const TIME_NONNEG: Kind = Kind::Q(Q::Time, Check::NonNegative);
const SPEED_POS: Kind = Kind::Q(Q::Speed, Check::Positive);
const ACC_POS: Kind = Kind::Q(Q::Acceleration, Check::Positive);
const SMALL_ANGLE: Kind = Kind::Q(Q::Angle, Check::AboveUpTo(0.0, std::f64::consts::FRAC_PI_2));
const ELEVATION: Kind = Kind::Q(Q::Angle, Check::Within(-std::f64::consts::FRAC_PI_2, std::f64::consts::FRAC_PI_2));

/// Validation context for one catalog file.
struct Cx<'a> {
    src: Src<'a>,
    sources: &'a BTreeMap<String, Source>,
}

impl Cx<'_> {
    fn source_key(&self, s: &Spanned<String>) -> Res<String> {
        let key = s.get_ref();
        if !self.sources.contains_key(key) {
            return Err(self.src.unknown_id(s.span(), "source", key, self.sources.keys().map(String::as_str), None));
        }
        Ok(key.clone())
    }

    fn value(&self, v: &Spanned<Raw>, key: &str, kind: Kind) -> Res<f64> {
        match kind {
            Kind::Q(q, check) => self.src.quantity(v, key, q, check),
            Kind::Num(check) => self.src.number(v, key, check),
        }
    }

    fn real(&self, r: &Sv, key: &str, kind: Kind) -> Res<Sourced<f64>> {
        let r = r.get_ref();
        let mut alternatives = Vec::new();
        for a in &r.alternatives {
            alternatives.push(Alternative {
                value: self.value(&a.value, key, kind)?,
                source: self.source_key(&a.source)?,
                note: a.note.clone(),
            });
        }
        Ok(Sourced {
            value: self.value(&r.value, key, kind)?,
            source: self.source_key(&r.source)?,
            note: r.note.clone(),
            alternatives,
        })
    }

    fn opt(&self, r: &Option<Sv>, key: &str, kind: Kind) -> Res<Option<Sourced<f64>>> {
        r.as_ref().map(|r| self.real(r, key, kind)).transpose()
    }

    fn count(&self, r: &Sv, key: &str, min: i64) -> Res<Sourced<u32>> {
        let r = r.get_ref();
        let int = |v: &Spanned<Raw>| self.src.integer(v, key, min, i64::from(u32::MAX)).map(|n| n as u32);
        let mut alternatives = Vec::new();
        for a in &r.alternatives {
            alternatives.push(Alternative {
                value: int(&a.value)?,
                source: self.source_key(&a.source)?,
                note: a.note.clone(),
            });
        }
        Ok(Sourced { value: int(&r.value)?, source: self.source_key(&r.source)?, note: r.note.clone(), alternatives })
    }

    /// `lo.value < hi.value`, reported at `hi`.
    fn ordered(&self, lo: (&str, f64), hi: (&str, f64, &Sv), q: Option<Quantity>, strict: bool) -> Res<()> {
        let bad = if strict { hi.1 <= lo.1 } else { hi.1 < lo.1 };
        if bad {
            let rel = if strict { "greater than" } else { "at least" };
            return Err(self.src.err(
                hi.2.get_ref().value.span(),
                format!("{} ({}) must be {rel} {} ({})", hi.0, show(q, hi.1), lo.0, show(q, lo.1)),
            ));
        }
        Ok(())
    }

    fn radar(&self, s: &Spanned<RawRadar>) -> Res<Radar> {
        let r = s.get_ref();
        let fire_channels = match (r.role, &r.fire_channels) {
            (RadarRole::Surveillance, Some(f)) => {
                return Err(self.src.err(f.span(), "fire_channels is for fire_control and multifunction radars only"));
            }
            (RadarRole::Surveillance, None) => None,
            (_, Some(f)) => Some(self.count(f, "fire_channels", 1)?),
            (_, None) => {
                return Err(self.src.err(
                    r.id.span(),
                    format!(
                        "radar \"{}\" is {}: it needs fire_channels",
                        r.id.get_ref(),
                        snake(&format!("{:?}", r.role))
                    ),
                ));
            }
        };
        let radar = Radar {
            id: r.id.get_ref().clone(),
            name: r.name.clone(),
            role: r.role,
            band: r.band,
            reference_range_m: self.real(&r.reference_range, "reference_range", LEN_POS)?,
            reference_rcs_m2: self.real(&r.reference_rcs, "reference_rcs", Kind::Q(Q::Area, Check::Positive))?,
            reference_pd: self.real(&r.reference_pd, "reference_pd", Kind::Num(Check::OpenUnit))?,
            pfa: self.real(&r.pfa, "pfa", Kind::Num(Check::OpenUnit))?,
            instrumented_range_m: self.real(&r.instrumented_range, "instrumented_range", LEN_POS)?,
            min_range_m: self.real(&r.min_range, "min_range", LEN_NONNEG)?,
            azimuth_sector_rad: self.real(
                &r.azimuth_sector,
                "azimuth_sector",
                Kind::Q(Q::Angle, Check::AboveUpTo(0.0, std::f64::consts::TAU + 1e-12)),
            )?,
            min_elevation_rad: self.real(&r.min_elevation, "min_elevation", ELEVATION)?,
            max_elevation_rad: self.real(&r.max_elevation, "max_elevation", ELEVATION)?,
            revisit_time_s: self.real(&r.revisit_time, "revisit_time", TIME_POS)?,
            range_resolution_m: self.real(&r.range_resolution, "range_resolution", LEN_POS)?,
            beamwidth_azimuth_rad: self.real(&r.beamwidth_azimuth, "beamwidth_azimuth", SMALL_ANGLE)?,
            beamwidth_elevation_rad: self.real(&r.beamwidth_elevation, "beamwidth_elevation", SMALL_ANGLE)?,
            sigma_range_m: self.real(&r.sigma_range, "sigma_range", LEN_POS)?,
            sigma_azimuth_rad: self.real(&r.sigma_azimuth, "sigma_azimuth", SMALL_ANGLE)?,
            sigma_elevation_rad: self.real(&r.sigma_elevation, "sigma_elevation", SMALL_ANGLE)?,
            sigma_range_rate_mps: self.opt(&r.sigma_range_rate, "sigma_range_rate", SPEED_POS)?,
            antenna_height_m: self.real(&r.antenna_height, "antenna_height", LEN_NONNEG)?,
            fire_channels,
            iff_range_m: self.opt(&r.iff_range, "iff_range", LEN_POS)?,
        };
        self.ordered(
            ("min_range", radar.min_range_m.value),
            ("instrumented_range", radar.instrumented_range_m.value, &r.instrumented_range),
            Some(Q::Length),
            true,
        )?;
        self.ordered(
            ("min_elevation", radar.min_elevation_rad.value),
            ("max_elevation", radar.max_elevation_rad.value, &r.max_elevation),
            Some(Q::Angle),
            true,
        )?;
        Ok(radar)
    }

    fn interceptor(&self, r: &RawInterceptor) -> Res<Interceptor> {
        let alt = Kind::Q(Q::Altitude, Check::NonNegative);
        let i = Interceptor {
            id: r.id.get_ref().clone(),
            name: r.name.clone(),
            guidance: r.guidance,
            min_range_m: self.real(&r.min_range, "min_range", LEN_NONNEG)?,
            max_range_m: self.real(&r.max_range, "max_range", LEN_POS)?,
            min_altitude_m: self.real(&r.min_altitude, "min_altitude", alt)?,
            max_altitude_m: self.real(&r.max_altitude, "max_altitude", alt)?,
            max_target_speed_mps: self.real(&r.max_target_speed, "max_target_speed", SPEED_POS)?,
            max_speed_mps: self.real(&r.max_speed, "max_speed", SPEED_POS)?,
            burn_time_s: self.real(&r.burn_time, "burn_time", TIME_POS)?,
            max_flight_time_s: self.real(&r.max_flight_time, "max_flight_time", TIME_POS)?,
            max_lateral_acceleration_mps2: self.real(
                &r.max_lateral_acceleration,
                "max_lateral_acceleration",
                ACC_POS,
            )?,
            navigation_constant: self.real(
                &r.navigation_constant,
                "navigation_constant",
                Kind::Num(Check::Positive),
            )?,
            ballistic_coefficient_kg_m2: self.real(
                &r.ballistic_coefficient,
                "ballistic_coefficient",
                Kind::Q(Q::BallisticCoefficient, Check::Positive),
            )?,
            seeker_acquisition_range_m: self.opt(&r.seeker_acquisition_range, "seeker_acquisition_range", LEN_POS)?,
            seeker_sigma_angle_rad: self.opt(&r.seeker_sigma_angle, "seeker_sigma_angle", SMALL_ANGLE)?,
            lethal_radius_m: self.real(&r.lethal_radius, "lethal_radius", LEN_POS)?,
            single_shot_pk: self.real(&r.single_shot_pk, "single_shot_pk", Kind::Num(Check::UnitInterval))?,
            mass_kg: self.real(&r.mass, "mass", Kind::Q(Q::Mass, Check::Positive))?,
        };
        self.ordered(
            ("min_range", i.min_range_m.value),
            ("max_range", i.max_range_m.value, &r.max_range),
            Some(Q::Length),
            true,
        )?;
        self.ordered(
            ("min_altitude", i.min_altitude_m.value),
            ("max_altitude", i.max_altitude_m.value, &r.max_altitude),
            Some(Q::Altitude),
            true,
        )?;
        self.ordered(
            ("burn_time", i.burn_time_s.value),
            ("max_flight_time", i.max_flight_time_s.value, &r.max_flight_time),
            Some(Q::Time),
            false,
        )?;
        Ok(i)
    }

    fn id_list(&self, list: &[Spanned<String>], what: EntryKind, cat: &Catalog) -> Res<Vec<String>> {
        let mut out = Vec::new();
        for s in list {
            let id = s.get_ref();
            if cat.kind_of(id) != Some(what) {
                let other = cat.kind_of(id).map(EntryKind::as_str);
                return Err(self.src.unknown_id(s.span(), what.as_str(), id, cat.ids(what), other));
            }
            if out.contains(id) {
                return Err(self.src.err(s.span(), format!("\"{id}\" is listed twice")));
            }
            out.push(id.clone());
        }
        Ok(out)
    }

    fn launcher(&self, r: &RawLauncher, cat: &Catalog) -> Res<Launcher> {
        if r.loads.get_ref().is_empty() {
            return Err(self.src.err(r.loads.span(), "loads: a launcher must carry at least one interceptor type"));
        }
        Ok(Launcher {
            id: r.id.get_ref().clone(),
            name: r.name.clone(),
            capacity: self.count(&r.capacity, "capacity", 1)?,
            loads: self.id_list(r.loads.get_ref(), EntryKind::Interceptor, cat)?,
            deploy_time_s: self.real(&r.deploy_time, "deploy_time", TIME_NONNEG)?,
            reload_time_s: self.real(&r.reload_time, "reload_time", TIME_NONNEG)?,
        })
    }

    fn system(&self, r: &RawSystem, cat: &Catalog) -> Res<System> {
        if r.radars.get_ref().is_empty() {
            return Err(self.src.err(r.radars.span(), "radars: a system needs at least one radar"));
        }
        Ok(System {
            id: r.id.get_ref().clone(),
            name: r.name.clone(),
            radars: self.id_list(r.radars.get_ref(), EntryKind::Radar, cat)?,
            launchers: self.id_list(r.launchers.get_ref(), EntryKind::Launcher, cat)?,
            interceptors: self.id_list(r.interceptors.get_ref(), EntryKind::Interceptor, cat)?,
            reaction_time_s: self.real(&r.reaction_time, "reaction_time", TIME_NONNEG)?,
            max_engaged_targets: self.count(&r.max_engaged_targets, "max_engaged_targets", 1)?,
            max_guided_missiles: self.count(&r.max_guided_missiles, "max_guided_missiles", 1)?,
        })
    }

    fn platform(&self, s: &Spanned<RawPlatform>) -> Res<Platform> {
        let r = s.get_ref();
        let class = match PlatformClass::parse(r.class.get_ref()) {
            Some(c) if c != PlatformClass::Interceptor => c,
            _ => {
                let accepted: Vec<&str> = PlatformClass::ALL
                    .iter()
                    .filter(|c| **c != PlatformClass::Interceptor)
                    .map(|c| c.as_str())
                    .collect();
                return Err(self.src.err(
                    r.class.span(),
                    format!(
                        "unknown platform class \"{}\"; expected one of {}",
                        r.class.get_ref(),
                        accepted.join(", ")
                    ),
                ));
            }
        };
        let ballistic = match (class, &r.max_range, &r.burn_time) {
            (PlatformClass::BallisticMissile, Some(range), Some(burn)) => Some(BallisticParams {
                max_range_m: self.real(range, "max_range", LEN_POS)?,
                burn_time_s: self.real(burn, "burn_time", TIME_POS)?,
            }),
            (PlatformClass::BallisticMissile, _, _) => {
                return Err(self.src.err(r.class.span(), "a ballistic_missile needs max_range and burn_time"));
            }
            (_, Some(x), _) | (_, None, Some(x)) => {
                return Err(self.src.err(x.span(), "max_range and burn_time are for ballistic_missile platforms only"));
            }
            (_, None, None) => None,
        };
        let p = Platform {
            id: r.id.get_ref().clone(),
            name: r.name.clone(),
            class,
            rcs_m2: self.real(&r.rcs, "rcs", Kind::Q(Q::Area, Check::Positive))?,
            cruise_speed_mps: self.real(&r.cruise_speed, "cruise_speed", SPEED_POS)?,
            max_speed_mps: self.real(&r.max_speed, "max_speed", SPEED_POS)?,
            min_speed_mps: self.real(&r.min_speed, "min_speed", SPEED_POS)?,
            max_load_factor: self.real(
                &r.max_load_factor,
                "max_load_factor",
                Kind::Num(Check::AboveUpTo(1.0, 100.0)),
            )?,
            max_climb_rate_mps: self.real(&r.max_climb_rate, "max_climb_rate", SPEED_POS)?,
            max_acceleration_mps2: self.real(&r.max_acceleration, "max_acceleration", ACC_POS)?,
            ceiling_m: self.real(&r.ceiling, "ceiling", Kind::Q(Q::Altitude, Check::Positive))?,
            transponder: r.transponder.unwrap_or(Transponder::None),
            ballistic,
        };
        self.ordered(
            ("min_speed", p.min_speed_mps.value),
            ("cruise_speed", p.cruise_speed_mps.value, &r.cruise_speed),
            Some(Q::Speed),
            false,
        )?;
        self.ordered(
            ("cruise_speed", p.cruise_speed_mps.value),
            ("max_speed", p.max_speed_mps.value, &r.max_speed),
            Some(Q::Speed),
            false,
        )?;
        Ok(p)
    }
}
