//! Row outputs written as the run goes (issue 19): `events.jsonl`, `truth.csv`, `tracks.csv`,
//! `threats.csv` and `exposure.csv` leave memory in chunks of at most [`CHUNK_BYTES`] instead
//! of being held to the end, so a run's memory grows with what is alive in it (objects,
//! tracks, engagements), not with its length.
//!
//! Each file is written under its partial name (`NAME.tmp`, [`crate::partial_path`]) and
//! renamed when the run finishes, as [`crate::write_atomic`] does for whole files; in a
//! [`crate::RunDir`] staging directory the whole directory is atomic besides.
//!
//! The bytes are those of a run held in memory: the same formatters fill the same buffers,
//! which are only emptied into the files more often.
use crate::EngineError;
use crate::output::partial_path;
use bulwark_core::{Event, EventKind};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// A buffer is emptied into its file once it holds this many bytes (and at the end).
pub(crate) const CHUNK_BYTES: usize = 1 << 20;
/// The event log is emptied into its file once this many events were logged since the last time.
pub(crate) const CHUNK_EVENTS: usize = 8_192;

/// The streamed files, in the order of [`Streams::files`].
pub(crate) const STREAMED: [&str; 5] = ["events.jsonl", "truth.csv", "tracks.csv", "threats.csv", "exposure.csv"];

/// The open files of a streaming run.
pub(crate) struct Streams {
    dir: PathBuf,
    files: Vec<BufWriter<File>>,
}

/// What a run keeps of an event once it is written: what the timeline, the fratricide table
/// and the summary read after the run (engagements, identities, kills, leaks, life of
/// confirmed tracks). The bulk — plots, strobes, IFF replies and the birth and death of
/// tracks, most of them false alarms that were never confirmed — is only written.
pub(crate) fn kept_after_writing(e: &Event) -> bool {
    !matches!(
        e.kind,
        EventKind::Detection { .. }
            | EventKind::Strobe { .. }
            | EventKind::IffReply { .. }
            | EventKind::TrackInitiated { .. }
            | EventKind::TrackDeleted { .. }
    )
}

impl Streams {
    /// Opens the partial files in `dir` (which must exist).
    pub(crate) fn open(dir: &Path) -> Result<Streams, EngineError> {
        let mut files = Vec::with_capacity(STREAMED.len());
        for name in STREAMED {
            let tmp = partial_path(&dir.join(name));
            let f = File::create(&tmp).map_err(|e| EngineError::Io { path: tmp.clone(), source: e })?;
            files.push(BufWriter::with_capacity(1 << 16, f));
        }
        Ok(Streams { dir: dir.to_path_buf(), files })
    }

    /// The directory written into.
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    fn io(&self, i: usize) -> impl FnOnce(std::io::Error) -> EngineError + '_ {
        move |source| EngineError::Io { path: partial_path(&self.dir.join(STREAMED[i])), source }
    }

    /// Appends `events` to `events.jsonl` as JSON Lines (the text of
    /// [`crate::RunResult::write_events_jsonl`]).
    pub(crate) fn events(&mut self, events: &[Event]) -> Result<(), EngineError> {
        crate::event_json::write_events(&mut self.files[0], events).map_err(self.io(0))
    }

    /// Appends `text` to the `i`-th streamed file (1 truth, 2 tracks, 3 threats, 4 exposure)
    /// and empties it.
    pub(crate) fn rows(&mut self, i: usize, text: &mut String) -> Result<(), EngineError> {
        let r = self.files[i].write_all(text.as_bytes());
        text.clear();
        r.map_err(self.io(i))
    }

    /// Flushes, syncs and renames every file to its final name.
    pub(crate) fn close(self) -> Result<(), EngineError> {
        let Streams { dir, files } = self;
        for (name, w) in STREAMED.iter().zip(files) {
            let path = dir.join(name);
            let tmp = partial_path(&path);
            let io = |source| EngineError::Io { path: tmp.clone(), source };
            let f = w.into_inner().map_err(|e| io(e.into_error()))?;
            f.sync_all().map_err(io)?;
            std::fs::rename(&tmp, &path).map_err(|source| EngineError::Io { path: path.clone(), source })?;
        }
        Ok(())
    }
}
