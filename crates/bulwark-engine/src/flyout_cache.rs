//! Fly-out tables, and the catalog motors their airframes are solved for, kept on disk between
//! processes.
//!
//! A fly-out table is a pure function of its interceptor type and of the code that flies it
//! (about 200 guided fly-outs per type, a tenth of a reference run's CPU). A process keeps each
//! table it built ([`crate::setup::shared_flyout_table`]); this module also keeps it in a file,
//! so the next `bulwark run`, test or campaign shard on the machine reads it instead.
//!
//! A file is used only when it is exactly what this binary would compute:
//! - its key is the type's full `Debug` text (every field, floats in round-trip form) *and* the
//!   identity of the running executable (path, length, modification time), so a rebuilt binary
//!   (whose flight code may differ) never reads a table another build wrote;
//! - the numbers are stored as the hexadecimal bits of each `f64`, so a table read back is
//!   bit for bit the one computed, and outputs are byte-identical with or without the cache;
//! - a checksum (FNV-1a 64) covers the whole file; a file that fails it, or any parse, is
//!   ignored and rewritten.
//!
//! The motors ([`bulwark_motion::Motor::from_catalog`]: 60 bisections of a 2,000-step burn per
//! interceptor type, ≈ 0.44 × 10⁹ instructions for the reference run's three) are kept the same
//! way, in one file per executable, each solution stored with the bits of its five inputs and
//! given back to the motion model before any airframe is built.
//!
//! Files are written under a temporary name and renamed, so concurrent processes (nextest,
//! campaign shards) never read a half-written table. The directory is `$BULWARK_CACHE_DIR`,
//! else `$XDG_CACHE_HOME/bulwark`, else `$HOME/.cache/bulwark`; `BULWARK_CACHE_DIR=off` turns
//! the cache off. Any failure to read or write only means the table is computed.
use bulwark_c2::engage::FlyoutTable;
use bulwark_core::fnv1a_64;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// First line of a cache file: the format and its version.
const MAGIC: &str = "bulwark fly-out table 1";

/// The cache directory, or `None` when the cache is off or no directory is known.
pub(crate) fn cache_dir() -> Option<PathBuf> {
    match std::env::var_os("BULWARK_CACHE_DIR") {
        Some(v) if v == "off" || v.is_empty() => None,
        Some(v) => Some(PathBuf::from(v)),
        None => std::env::var_os("XDG_CACHE_HOME")
            .filter(|v| !v.is_empty())
            .map(|x| PathBuf::from(x).join("bulwark"))
            .or_else(|| {
                std::env::var_os("HOME").filter(|v| !v.is_empty()).map(|h| PathBuf::from(h).join(".cache/bulwark"))
            }),
    }
}

/// The running executable's identity: path, length and modification time (ns). `None` when it
/// cannot be read, which turns the cache off (a key without it could outlive the code).
fn exe_identity() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(&exe).ok()?;
    let mtime = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?.as_nanos();
    Some(format!("{}|{}|{}", exe.display(), meta.len(), mtime))
}

/// The full cache key of a type's table: its `Debug` text and the executable's identity.
pub(crate) fn key_for(type_debug: &str) -> Option<String> {
    Some(format!("{}\n{}", exe_identity()?, type_debug))
}

fn file_for(dir: &Path, key: &str) -> PathBuf {
    dir.join(format!("flyout-{:016x}.txt", fnv1a_64(key.as_bytes())))
}

/// The table stored under `key` in `dir`, if a file holds exactly that key and passes its
/// checksum.
pub(crate) fn load(dir: &Path, key: &str) -> Option<FlyoutTable> {
    let rows = load_rows(&file_for(dir, key), MAGIC, key)?;
    let axis = |name: &str| -> Option<Vec<f64>> { rows.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()) };
    let (ranges, heights, tof) = (axis("ranges")?, axis("heights")?, axis("tof")?);
    FlyoutTable::new(ranges, heights, tof).ok()
}

/// Stores `table` under `key` in `dir` (temporary file, then rename). Errors are ignored: the
/// cache is an optimisation only.
pub(crate) fn store(dir: &Path, key: &str, table: &FlyoutTable) {
    let rows = [("ranges", table.ranges_m()), ("heights", table.heights_m()), ("tof", table.tof_s())];
    store_rows(dir, &file_for(dir, key), MAGIC, key, &rows);
}

/// First line of the file of solved catalog motors.
const MOTORS_MAGIC: &str = "bulwark catalog motors 1";

/// The file of the solved catalog motors ([`bulwark_motion::Motor::solved_catalog`]) of this
/// executable, with its key.
fn motors_file(dir: &Path) -> Option<(PathBuf, String)> {
    let key = key_for("catalog motors")?;
    Some((dir.join(format!("motors-{:016x}.txt", fnv1a_64(key.as_bytes()))), key))
}

/// Gives the motion model the catalog motors this executable solved in an earlier process
/// ([`bulwark_motion::Motor::remember_catalog`]), bit for bit; returns how many.
pub(crate) fn load_motors(dir: &Path) -> usize {
    use bulwark_motion::{Aero, Motor};
    let Some(rows) = motors_file(dir).and_then(|(path, key)| load_rows(&path, MOTORS_MAGIC, &key)) else { return 0 };
    let mut n = 0;
    for (_, v) in rows.iter().filter(|(name, v)| name == "motor" && v.len() == 14) {
        let key: [u64; 5] = std::array::from_fn(|i| v[i].to_bits());
        let motor = Motor {
            boost_thrust_n: v[5],
            boost_time_s: v[6],
            sustain_thrust_n: v[7],
            sustain_time_s: v[8],
            isp_s: v[9],
            launch_mass_kg: v[10],
        };
        let aero = Aero { drag_area_ref_m2: v[11], normal_force_area_m2: v[12], max_structural_accel_mps2: v[13] };
        Motor::remember_catalog(key, motor, aero);
        n += 1;
    }
    n
}

/// Stores every catalog motor this process holds (see [`load_motors`]).
pub(crate) fn store_motors(dir: &Path) {
    let Some((path, key)) = motors_file(dir) else { return };
    let values: Vec<Vec<f64>> = bulwark_motion::Motor::solved_catalog()
        .iter()
        .map(|(k, m, a)| {
            let mut v: Vec<f64> = k.iter().map(|b| f64::from_bits(*b)).collect();
            v.extend([m.boost_thrust_n, m.boost_time_s, m.sustain_thrust_n, m.sustain_time_s, m.isp_s]);
            v.extend([m.launch_mass_kg, a.drag_area_ref_m2, a.normal_force_area_m2, a.max_structural_accel_mps2]);
            v
        })
        .collect();
    let rows: Vec<(&str, &[f64])> = values.iter().map(|v| ("motor", v.as_slice())).collect();
    store_rows(dir, &path, MOTORS_MAGIC, &key, &rows);
}

/// The named rows of numbers in the file at `path`, if its first line is `magic`, it holds
/// exactly `key` and it passes its checksum.
fn load_rows(path: &Path, magic: &str, key: &str) -> Option<Vec<(String, Vec<f64>)>> {
    let text = std::fs::read_to_string(path).ok()?;
    let (body, check) = text.rsplit_once("check ")?;
    if u64::from_str_radix(check.trim_end(), 16).ok()? != fnv1a_64(body.as_bytes()) {
        return None;
    }
    let mut lines = body.lines();
    if lines.next()? != magic {
        return None;
    }
    let key_lines = key.lines().count();
    let stored: Vec<&str> = lines.by_ref().take(key_lines).collect();
    if stored.join("\n") != key {
        return None;
    }
    lines
        .map(|line| {
            let mut words = line.split_whitespace();
            let name = words.next()?.to_string();
            let values = words.map(|w| u64::from_str_radix(w, 16).ok().map(f64::from_bits)).collect::<Option<_>>()?;
            Some((name, values))
        })
        .collect()
}

/// Writes named rows of numbers (each `f64` as its hexadecimal bits) under `key` into `path`
/// in `dir` (temporary file, then rename). Errors are ignored: the cache is an optimisation only.
fn store_rows(dir: &Path, path: &Path, magic: &str, key: &str, rows: &[(&str, &[f64])]) {
    let mut body = String::new();
    body.push_str(magic);
    body.push('\n');
    body.push_str(key);
    body.push('\n');
    for (name, values) in rows {
        body.push_str(name);
        for v in *values {
            let _ = write!(body, " {:016x}", v.to_bits());
        }
        body.push('\n');
    }
    let check = fnv1a_64(body.as_bytes());
    let _ = writeln!(body, "check {check:016x}");
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("cache"),
        std::process::id()
    ));
    let written =
        std::fs::create_dir_all(dir).and_then(|_| std::fs::write(&tmp, body)).and_then(|_| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> FlyoutTable {
        FlyoutTable::new(
            vec![0.0, 1_000.5, 2e5],
            vec![0.0, 3.3e3],
            vec![0.0, 1.0 / 3.0, f64::INFINITY, 0.1, 2.5, 1e-300],
        )
        .unwrap()
    }

    #[test]
    fn a_stored_table_reads_back_bit_for_bit_and_only_under_its_key() {
        let dir = std::env::temp_dir().join(format!("bulwark-flyout-cache-test-{}", std::process::id()));
        let key = "exe|1|2\nInterceptorType { x: 1.0 }";
        store(&dir, key, &table());
        let back = load(&dir, key).expect("stored");
        assert_eq!(
            back.tof_s().iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
            table().tof_s().iter().map(|v| v.to_bits()).collect::<Vec<_>>()
        );
        assert_eq!(back.ranges_m(), table().ranges_m());
        assert!(load(&dir, "exe|1|3\nInterceptorType { x: 1.0 }").is_none(), "another build's key");
        // A corrupted file (one digit changed) fails its checksum and is not used.
        let path = file_for(&dir, key);
        let text = std::fs::read_to_string(&path).unwrap();
        let i = text.find("tof ").unwrap() + 5;
        let mut bytes = text.into_bytes();
        bytes[i] = if bytes[i] == b'0' { b'1' } else { b'0' };
        std::fs::write(&path, bytes).unwrap();
        assert!(load(&dir, key).is_none(), "corrupted file used");
        let _ = std::fs::remove_dir_all(&dir);
    }
    #[test]
    fn solved_motors_read_back_bit_for_bit_and_are_used_instead_of_a_solve() {
        use bulwark_motion::{Aero, Motor};
        let dir = std::env::temp_dir().join(format!("bulwark-motor-cache-test-{}", std::process::id()));
        // A solve of this process is stored with its inputs' bits and read back bit for bit.
        let inputs = [1_200.0, 6.0, 330.0, 9_000.0, 300.0];
        let solved = Motor::from_catalog(inputs[0], inputs[1], inputs[2], inputs[3], inputs[4]).unwrap();
        store_motors(&dir);
        let (path, key) = motors_file(&dir).unwrap();
        let rows = load_rows(&path, MOTORS_MAGIC, &key).expect("stored");
        let row =
            rows.iter().find(|(_, v)| v[..5].iter().zip(inputs).all(|(a, b)| a.to_bits() == b.to_bits())).unwrap();
        let (m, a) = solved;
        let expected = [m.boost_thrust_n, m.boost_time_s, m.sustain_thrust_n, m.sustain_time_s, m.isp_s]
            .into_iter()
            .chain([m.launch_mass_kg, a.drag_area_ref_m2, a.normal_force_area_m2, a.max_structural_accel_mps2]);
        assert!(row.1[5..].iter().zip(expected).all(|(x, y)| x.to_bits() == y.to_bits()));
        // A stored solution for inputs this process never solved is what from_catalog returns:
        // the file's values (here made up), not a new solve.
        let fresh = [1_234.5, 7.0, 400.0, 8_000.0, 250.0];
        let made_up = (
            Motor {
                boost_thrust_n: 1.0,
                boost_time_s: 2.0,
                sustain_thrust_n: 3.0,
                sustain_time_s: 4.0,
                isp_s: 5.0,
                launch_mass_kg: 6.0,
            },
            Aero { drag_area_ref_m2: 7.0, normal_force_area_m2: 8.0, max_structural_accel_mps2: 9.0 },
        );
        let mut v: Vec<f64> = fresh.to_vec();
        v.extend([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]);
        store_rows(&dir, &path, MOTORS_MAGIC, &key, &[("motor", v.as_slice())]);
        assert_eq!(load_motors(&dir), 1);
        assert_eq!(Motor::from_catalog(fresh[0], fresh[1], fresh[2], fresh[3], fresh[4]).unwrap(), made_up);
        // Another executable's file (another key) is not read.
        store_rows(&dir, &path, MOTORS_MAGIC, "other|1|2\ncatalog motors", &[("motor", v.as_slice())]);
        assert_eq!(load_motors(&dir), 0);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
