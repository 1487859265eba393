//! What a run produced and how it is written.
use crate::history::{SensorInfo, TrackSample};
use crate::summary::Summary;
use crate::{EngineError, write_atomic};
use bulwark_core::Event;
use bulwark_geo::Geodetic;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What a run produced.
pub struct RunResult {
    pub summary: Summary,
    pub events: Vec<Event>,
    pub truth_csv: String,
    pub tracks_csv: String,
    /// Per-threat timeline (`timeline.csv`).
    pub timeline_csv: String,
    /// Every fire order, launch and kill against a friendly or civil object (`fratricide.csv`).
    pub fratricide_csv: String,
    /// Ranked threat lists of the command posts (`threats.csv`: rows whenever a list changes
    /// order, and at least every `stage::decide::THREATS_CSV_PERIOD` while it is not empty).
    pub threats_csv: String,
    /// One row per radar look at each object (`exposure.csv`; header only in campaigns).
    pub exposure_csv: String,
    /// Every unit's tracks at each record time, in time order.
    pub tracks: Vec<TrackSample>,
    /// The radars of the run.
    pub sensors: Vec<SensorInfo>,
    /// The directory the run streamed its row outputs into ([`crate::Simulation::stream_to`]):
    /// they are written there, and their texts here are empty.
    pub streamed_to: Option<PathBuf>,
    /// Why streaming failed, if it did (returned by [`RunResult::write`]).
    pub stream_error: Option<EngineError>,
    /// Scenario ENU origin and UTC epoch (simulation time 0).
    pub origin: Geodetic,
    pub epoch: time::OffsetDateTime,
}

impl RunResult {
    /// The event log as JSON Lines.
    pub fn events_jsonl(&self) -> String {
        let mut s = Vec::new();
        // Writing into memory cannot fail.
        let _ = self.write_events_jsonl(&mut s);
        String::from_utf8(s).unwrap_or_default()
    }

    /// Streams the event log as JSON Lines into `w` (the text of [`RunResult::events_jsonl`]).
    pub fn write_events_jsonl(&self, w: &mut dyn Write) -> std::io::Result<()> {
        crate::event_json::write_events(w, &self.events)
    }

    /// Write the output files into `dir` (created if needed), each atomically, `summary.json`
    /// last. A run that streamed into `dir` adds the files it did not stream; one that
    /// streamed elsewhere, or failed to, is an error.
    pub fn write(&self, dir: &Path) -> Result<(), EngineError> {
        let io = |path: &Path, e| EngineError::Io { path: path.to_path_buf(), source: e };
        if let Some(e) = &self.stream_error {
            let (path, why) = match e {
                EngineError::Io { path, source } => {
                    (path.clone(), std::io::Error::new(source.kind(), source.to_string()))
                }
                other => (dir.to_path_buf(), std::io::Error::other(other.to_string())),
            };
            return Err(io(&path, why));
        }
        let streamed = match &self.streamed_to {
            None => false,
            Some(d) if d == dir => true,
            Some(d) => {
                let why = format!("the run streamed its rows into {}, not here", d.display());
                return Err(io(dir, std::io::Error::other(why)));
            }
        };
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        let summary = serde_json::to_string_pretty(&self.summary).unwrap_or_default() + "\n";
        let sensors = crate::sensors_csv::sensors_csv(&self.sensors);
        let rows = [
            ("truth.csv", self.truth_csv.as_str()),
            ("tracks.csv", self.tracks_csv.as_str()),
            ("threats.csv", self.threats_csv.as_str()),
            ("exposure.csv", self.exposure_csv.as_str()),
        ];
        if !streamed {
            let path = dir.join("events.jsonl");
            write_atomic(&path, |w| self.write_events_jsonl(w)).map_err(|e| io(&path, e))?;
        }
        let rows = if streamed { &rows[..0] } else { &rows[..] };
        let others = [
            ("timeline.csv", self.timeline_csv.as_str()),
            ("fratricide.csv", self.fratricide_csv.as_str()),
            ("sensors.csv", sensors.as_str()),
            ("summary.json", summary.as_str()),
        ];
        for (name, text) in rows.iter().copied().chain(others) {
            let path = dir.join(name);
            write_atomic(&path, |w| w.write_all(text.as_bytes())).map_err(|e| io(&path, e))?;
        }
        Ok(())
    }
}
