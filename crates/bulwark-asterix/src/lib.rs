//! EUROCONTROL ASTERIX: data blocks, FSPEC and records of CAT021 (ADS-B), CAT034 (monoradar
//! service messages), CAT048 (monoradar target reports) and CAT062 (SDPS system tracks).
//!
//! A standalone codec: it knows bytes and SI units, nothing of the simulation. Layouts follow
//! the category editions that Wireshark 4.0 decodes (CAT048 1.31, CAT062 1.19, CAT034 1.29,
//! CAT021 2.6), as transcribed in zoranbosnjak/asterix-specs (BSD-3-Clause).
//!
//! - [`bytes`], [`fspec`], [`block`]: the framing shared by every category.
//! - [`error`]: [`DecodeError`] (byte offset and reason) and [`EncodeError`]. Decoding never
//!   panics on any input.
#![forbid(unsafe_code)]

pub mod block;
pub mod bytes;
pub mod cat021;
pub mod cat034;
pub mod cat048;
pub mod cat062;
pub mod error;
pub mod fspec;
pub mod generic;
pub mod layout;
pub mod pcap;
pub mod record;
pub mod spec;

pub use block::{Block, BlockBuilder, MAX_BLOCK_LEN, blocks};
pub use cat021::Cat021;
pub use cat034::Cat034;
pub use cat048::Cat048;
pub use cat062::Cat062;
pub use error::{DecodeError, DecodeErrorKind, EncodeError};
pub use fspec::Fspec;
pub use record::{Callsign, DataSource, LatLon, Record, Xy};
