//! Fly-out tables kept on disk between processes.
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
    let text = std::fs::read_to_string(file_for(dir, key)).ok()?;
    let (body, check) = text.rsplit_once("check ")?;
    if u64::from_str_radix(check.trim_end(), 16).ok()? != fnv1a_64(body.as_bytes()) {
        return None;
    }
    let mut lines = body.lines();
    if lines.next()? != MAGIC {
        return None;
    }
    let key_lines = key.lines().count();
    let stored: Vec<&str> = lines.by_ref().take(key_lines).collect();
    if stored.join("\n") != key {
        return None;
    }
    let mut axis = |name: &str| -> Option<Vec<f64>> {
        let rest = lines.next()?.strip_prefix(name)?;
        rest.split_whitespace().map(|w| u64::from_str_radix(w, 16).ok().map(f64::from_bits)).collect()
    };
    let (ranges, heights, tof) = (axis("ranges")?, axis("heights")?, axis("tof")?);
    FlyoutTable::new(ranges, heights, tof).ok()
}

/// Stores `table` under `key` in `dir` (temporary file, then rename). Errors are ignored: the
/// cache is an optimisation only.
pub(crate) fn store(dir: &Path, key: &str, table: &FlyoutTable) {
    let mut body = String::new();
    body.push_str(MAGIC);
    body.push('\n');
    body.push_str(key);
    body.push('\n');
    for (name, values) in [("ranges", table.ranges_m()), ("heights", table.heights_m()), ("tof", table.tof_s())] {
        body.push_str(name);
        for v in values {
            let _ = write!(body, " {:016x}", v.to_bits());
        }
        body.push('\n');
    }
    let check = fnv1a_64(body.as_bytes());
    let _ = writeln!(body, "check {check:016x}");
    let target = file_for(dir, key);
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        target.file_name().and_then(|n| n.to_str()).unwrap_or("flyout"),
        std::process::id()
    ));
    let written = std::fs::create_dir_all(dir)
        .and_then(|_| std::fs::write(&tmp, body))
        .and_then(|_| std::fs::rename(&tmp, &target));
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
}
