//! A run directory made atomically, so that no directory ever mixes two runs or holds a
//! truncated file under its final name (issue 19).
//!
//! A run writes into a hidden sibling staging directory, `.NAME.partial-PID`, which replaces
//! `NAME` only when every file is complete (two `rename(2)`s: the old run aside, the new one
//! in). Killed at any point, a run leaves under `NAME` either the previous complete run or
//! nothing; its staging directory says "partial" in its name and is removed by the next run
//! into `NAME`. An advisory lock on `.NAME.lock` (`flock(2)` through [`File::try_lock`],
//! released by the kernel when the process dies, so a killed run never leaves a stale lock)
//! refuses a second run into the same `NAME` while one is writing.
//!
//! Only a directory that is empty or holds a previous run (a `summary.json`) is replaced:
//! `--out .` or `--out ~` is refused rather than moved aside.
use std::fs::{self, File, TryLockError};
use std::io;
use std::path::{Path, PathBuf};

/// Why a run directory cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum RunDirError {
    /// Another process holds the directory's lock.
    #[error("{dir}: another run is writing it (lock {lock} held); wait for it or choose another --out")]
    Busy { dir: PathBuf, lock: PathBuf },
    /// The path exists and is not a directory, or is a directory that holds something else.
    #[error(
        "{dir}: {why}; a run replaces its whole output directory, so it must be new, empty or a previous run's (choose another --out)"
    )]
    NotARunDir { dir: PathBuf, why: &'static str },
    /// The file system refused.
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

/// An I/O failure at `path`, as a [`RunDirError`].
fn io_at(path: &Path) -> impl FnOnce(io::Error) -> RunDirError + '_ {
    move |source| RunDirError::Io { path: path.to_path_buf(), source }
}

/// The file whose presence marks a directory as a Bulwark run's (every run writes it last).
pub const RUN_MARKER: &str = "summary.json";

/// A run directory being written; [`RunDir::commit`] puts it in place.
#[derive(Debug)]
pub struct RunDir {
    final_dir: PathBuf,
    staging: PathBuf,
    parent: PathBuf,
    name: String,
    /// Held for the life of the value: the kernel releases it when the file closes.
    _lock: File,
    committed: bool,
}

impl RunDir {
    /// Locks `final_dir`, checks it may be replaced, removes what killed runs into it left,
    /// and creates an empty staging directory beside it.
    pub fn begin(final_dir: &Path) -> Result<RunDir, RunDirError> {
        let io = io_at;
        let not_run = |why| RunDirError::NotARunDir { dir: final_dir.to_path_buf(), why };
        // `.`, `..` and paths ending in them have no name of their own: name the directory.
        let resolved = if final_dir.file_name().is_none() && final_dir.exists() {
            final_dir.canonicalize().map_err(io(final_dir))?
        } else {
            final_dir.to_path_buf()
        };
        let name = resolved.file_name().and_then(|n| n.to_str()).ok_or_else(|| not_run("has no usable name"))?;
        let name = name.to_owned();
        let parent = match resolved.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(io(&parent))?;
        let lock_path = parent.join(format!(".{name}.lock"));
        let lock = File::options().create(true).truncate(false).write(true).open(&lock_path).map_err(io(&lock_path))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(RunDirError::Busy { dir: final_dir.to_path_buf(), lock: lock_path });
            }
            Err(TryLockError::Error(e)) => return Err(io(&lock_path)(e)),
        }
        match fs::symlink_metadata(&resolved) {
            Ok(m) if m.file_type().is_symlink() => return Err(not_run("is a symbolic link")),
            Ok(m) if !m.is_dir() => return Err(not_run("exists and is not a directory")),
            Ok(_) => {
                let mut entries = fs::read_dir(&resolved).map_err(io(&resolved))?;
                if entries.next().is_some() && !resolved.join(RUN_MARKER).is_file() {
                    return Err(not_run("holds files and no summary.json (it is not a previous run)"));
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(&resolved)(e)),
        }
        // We hold the lock: every staging or set-aside directory of this name is a dead run's.
        for entry in fs::read_dir(&parent).map_err(io(&parent))?.flatten() {
            let file_name = entry.file_name();
            let Some(n) = file_name.to_str() else { continue };
            let ours = [".partial-", ".replaced-"].iter().any(|k| n.starts_with(&format!(".{name}{k}")));
            if ours {
                let p = entry.path();
                fs::remove_dir_all(&p).map_err(io(&p))?;
            }
        }
        let staging = parent.join(format!(".{name}.partial-{}", std::process::id()));
        fs::create_dir(&staging).map_err(io(&staging))?;
        Ok(RunDir { final_dir: resolved, staging, parent, name, _lock: lock, committed: false })
    }

    /// Where the run writes its files until [`RunDir::commit`].
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// Puts the complete run under its final name, replacing the previous run there.
    pub fn commit(mut self) -> Result<PathBuf, RunDirError> {
        let io = io_at;
        if self.final_dir.exists() {
            let aside = self.parent.join(format!(".{}.replaced-{}", self.name, std::process::id()));
            fs::rename(&self.final_dir, &aside).map_err(io(&self.final_dir))?;
            fs::rename(&self.staging, &self.final_dir).map_err(io(&self.staging))?;
            fs::remove_dir_all(&aside).map_err(io(&aside))?;
        } else {
            fs::rename(&self.staging, &self.final_dir).map_err(io(&self.staging))?;
        }
        self.committed = true;
        Ok(self.final_dir.clone())
    }
}

impl Drop for RunDir {
    /// A run that failed leaves nothing: its staging directory goes, the previous run stays.
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("bulwark-rundir-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> =
            fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        v.sort();
        v
    }

    /// A run into `out` whose only file is the marker holding `text`, committed.
    fn commit_run(out: &Path, text: &str) {
        let d = RunDir::begin(out).unwrap();
        fs::write(d.path().join(RUN_MARKER), text).unwrap();
        d.commit().unwrap();
    }

    #[test]
    fn a_committed_run_replaces_the_previous_one_whole() {
        let root = scratch("replace");
        let out = root.join("run");
        let first = RunDir::begin(&out).unwrap();
        fs::write(first.path().join("a.csv"), "1").unwrap();
        fs::write(first.path().join(RUN_MARKER), "{}").unwrap();
        assert!(!out.exists(), "nothing under the final name before the commit");
        first.commit().unwrap();
        commit_run(&out, "{\"second\":1}");
        // The first run's a.csv must not survive beside the second run's files.
        assert_eq!(names(&out), vec![RUN_MARKER.to_string()]);
        assert_eq!(fs::read_to_string(out.join(RUN_MARKER)).unwrap(), "{\"second\":1}");
        assert_eq!(names(&root), vec![".run.lock".to_string(), "run".to_string()]);
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn a_failed_run_leaves_the_previous_run_untouched() {
        let root = scratch("fail");
        let out = root.join("run");
        commit_run(&out, "old");
        let failed = RunDir::begin(&out).unwrap();
        fs::write(failed.path().join(RUN_MARKER), "half").unwrap();
        drop(failed);
        assert_eq!(fs::read_to_string(out.join(RUN_MARKER)).unwrap(), "old");
        assert_eq!(names(&root), vec![".run.lock".to_string(), "run".to_string()]);
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn a_second_writer_is_refused_while_the_first_holds_the_lock() {
        let root = scratch("busy");
        let out = root.join("run");
        let first = RunDir::begin(&out).unwrap();
        let second = RunDir::begin(&out).unwrap_err();
        assert!(matches!(second, RunDirError::Busy { .. }), "{second}");
        drop(first);
        RunDir::begin(&out).unwrap().commit().unwrap();
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn a_killed_runs_staging_directory_is_removed_by_the_next_run() {
        let root = scratch("stale");
        let out = root.join("run");
        // What a run killed before its commit leaves (the lock died with it).
        fs::create_dir_all(root.join(".run.partial-999999")).unwrap();
        fs::write(root.join(".run.partial-999999").join("events.jsonl"), "trunc").unwrap();
        fs::create_dir_all(root.join(".run.replaced-999998")).unwrap();
        RunDir::begin(&out).unwrap().commit().unwrap();
        assert_eq!(names(&root), vec![".run.lock".to_string(), "run".to_string()]);
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn a_directory_that_is_not_a_run_is_never_replaced() {
        let root = scratch("foreign");
        let out = root.join("home");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("notes.txt"), "mine").unwrap();
        let e = RunDir::begin(&out).unwrap_err();
        assert!(matches!(e, RunDirError::NotARunDir { .. }), "{e}");
        assert!(e.to_string().contains("no summary.json"), "{e}");
        let file = root.join("plain");
        fs::write(&file, "x").unwrap();
        assert!(matches!(RunDir::begin(&file).unwrap_err(), RunDirError::NotARunDir { .. }));
        assert_eq!(fs::read_to_string(out.join("notes.txt")).unwrap(), "mine");
        // An empty directory (mktemp -d) is fine.
        let empty = root.join("empty");
        fs::create_dir_all(&empty).unwrap();
        commit_run(&empty, "{}");
        assert_eq!(names(&empty), vec![RUN_MARKER.to_string()]);
        fs::remove_dir_all(&root).unwrap();
    }
}
