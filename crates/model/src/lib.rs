//! The newswire domain model: what a dispatch is, and the raw records it is made from.
//!
//! This crate is the cheap, stable dependency of every other newswire crate and of anyone who consumes
//! newswire's output. It holds plain data and the rules that belong to the data itself; it performs no I/O,
//! spawns no tasks and reads no clock.
//!
//! # Brief overview
//!
//! - [`Dispatch`] is the normalized, stored unit: one article with its title, body [`Block`]s, authors,
//!   publication times and identity. Its serde JSON form is a versioned contract, described on the type.
//! - [`StatedTime`] is a time as a publisher stated it: an instant with the publisher's own offset
//!   (`2012-07-24T06:10:00-05:00`), a wall-clock time with no zone at all, or only a date.
//! - [`Feed`] and [`Entry`] are what a feed document says, parsed but not yet normalized.
//! - [`Page`] is what article extraction found on a web page, with the origin of each piece of metadata.
//!
//! # Example
//!
//! ```
//! use newswire_model::StatedTime;
//!
//! let t: StatedTime = "2012-07-24T06:10:00-05:00".parse()?;
//! assert_eq!(t.to_string(), "2012-07-24T06:10:00-05:00");
//! assert_eq!(t.instant().unwrap().to_rfc3339(), "2012-07-24T11:10:00+00:00");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod dispatch;
mod raw;
mod time;

pub use crate::dispatch::{
    Block, BlockKind, BodyOrigin, Dispatch, Provenance, SourceRef, render_text,
};
pub use crate::raw::{
    Candidate, Category, Cloud, ConstructScope, DateCandidate, Enclosure, Entry, EntrySource, Feed,
    FeedKind, Generator, GeoPoint, GeoShape, Image, Link, Origin, Page, Person, Scope,
    TextConstruct, TextInput, TextType,
};
pub use crate::time::{ParseStatedTimeError, StatedTime};
