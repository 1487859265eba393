//! Surveillance feeds: a run's radar plots and system tracks as EUROCONTROL ASTERIX
//! (CAT034 service messages, CAT048 plots, CAT062 system tracks), to a file, a pcap capture
//! or a UDP socket; ASTERIX plots from a recording, and detection CSV files, into the tracker.
//!
//! Feeds are views of a finished run (its event log and track history), so they are as
//! deterministic as the run; `--realtime` only paces the sending.
#![forbid(unsafe_code)]

pub mod asterix_out;
pub mod detections;
pub mod plots_in;
pub mod sink;
pub mod tap;

pub use asterix_out::{FeedBuilder, FeedError, FeedOptions, FeedStats, feed};
pub use detections::{DetectionTracker, DetectionsError, ScoreParams, Scores, TrackedDetections};
pub use plots_in::{PlotsInError, PlotsInput, TrackOptions, TrackOutput, TrackRow, read_plots, track_plots};
pub use sink::{Datagram, Emitter, MAX_DATAGRAM, Sink, SinkError, emit};
pub use tap::{LiveFeed, LiveFeedError};
