//! A run's feed sent while the run runs: a [`bulwark_engine::RunTap`] that builds the feed
//! ([`FeedBuilder`]) from each step's plots and track samples and sends it to the sinks at
//! once, so that a feed of a run of any length holds no more than a step of it in memory.
use crate::asterix_out::{FeedBuilder, FeedError, FeedOptions, FeedStats};
use crate::sink::{Emitter, Sink, SinkError};
use bulwark_core::{Event, SimTime};
use bulwark_engine::{RunTap, SensorInfo, TrackSample};
use bulwark_geo::Geodetic;

/// Why a feed sent during a run failed.
#[derive(Debug, thiserror::Error)]
pub enum LiveFeedError {
    #[error(transparent)]
    Feed(#[from] FeedError),
    #[error(transparent)]
    Sink(#[from] SinkError),
}

/// The feed of a run in progress, sent to its sinks step by step.
pub struct LiveFeed {
    opts: FeedOptions,
    /// Made when the run begins ([`RunTap::begin`]).
    builder: Option<FeedBuilder>,
    emitter: Emitter,
    /// The first failure; the feed stops there (the run goes on).
    error: Option<LiveFeedError>,
    /// Time of the last event taken (ns): the end of the run once it has ended.
    last_event_ns: i64,
}

impl LiveFeed {
    /// A feed to `sinks` (`realtime`: paced to the wall clock) of the run it is given to
    /// ([`bulwark_engine::Simulation::tap`]).
    pub fn new(opts: &FeedOptions, sinks: Vec<Sink>, realtime: bool) -> LiveFeed {
        let emitter = Emitter::new(sinks, realtime);
        LiveFeed { opts: opts.clone(), builder: None, emitter, error: None, last_event_ns: 0 }
    }

    fn send_ready(&mut self) {
        let Some(builder) = self.builder.as_mut() else { return };
        let ready = builder.take_ready();
        if self.error.is_none()
            && let Err(e) = self.emitter.send(&ready)
        {
            self.error = Some(e.into());
        }
    }

    /// Sends the rest (every radar's looks up to the run's last event) and completes the
    /// sinks; the counts of what was sent.
    pub fn finish(mut self) -> Result<FeedStats, LiveFeedError> {
        if let Some(Err(e)) = self.builder.as_mut().map(|b| b.finish(self.last_event_ns)) {
            self.error.get_or_insert(e.into());
        }
        self.send_ready();
        if let Some(e) = self.error {
            return Err(e);
        }
        self.emitter.finish()?;
        Ok(self.builder.map(|b| b.stats()).unwrap_or_default())
    }
}

impl RunTap for LiveFeed {
    fn begin(&mut self, sensors: &[SensorInfo], origin: Geodetic, epoch: time::OffsetDateTime) {
        match FeedBuilder::new(sensors, origin, epoch, &self.opts) {
            Ok(b) => self.builder = Some(b),
            Err(e) => drop(self.error.get_or_insert(e.into())),
        }
    }

    fn take(&mut self, events: &[Event], tracks: &[TrackSample], now: SimTime) {
        if let Some(e) = events.last() {
            self.last_event_ns = e.t_ns;
        }
        if let Some(b) = self.builder.as_mut() {
            b.take(events, tracks, now);
        }
        self.send_ready();
    }
}
