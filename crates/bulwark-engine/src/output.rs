//! Output files: written under a temporary name and renamed when complete, so an
//! interrupted run never leaves a half file that looks whole.
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// Where a file is written until it is complete (`path.tmp`), so that no truncated file
/// ever stands under its final name.
pub fn partial_path(path: &Path) -> std::path::PathBuf {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    std::path::PathBuf::from(tmp)
}

/// Write `path` atomically: the closure writes to [`partial_path`], renamed on success.
pub fn write_atomic(path: &Path, fill: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let tmp = partial_path(path);
    let result = (|| {
        let mut w = BufWriter::new(fs::File::create(&tmp)?);
        fill(&mut w)?;
        w.flush()?;
        w.into_inner().map_err(|e| e.into_error())?.sync_all()
    })();
    match result {
        Ok(()) => fs::rename(&tmp, path),
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// Quote a CSV field if it needs it (RFC 4180).
pub(crate) fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_no_file() {
        let dir = std::env::temp_dir().join(format!("bulwark-out-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let p = dir.join("x.csv");
        let r = write_atomic(&p, |w| {
            w.write_all(b"partial")?;
            Err(io::Error::other("interrupted"))
        });
        assert!(r.is_err());
        assert!(!p.exists());
        assert!(!dir.join("x.csv.tmp").exists());
        write_atomic(&p, |w| w.write_all(b"whole")).unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "whole");
        fs::remove_dir_all(&dir).unwrap();
    }
}
