//! newswire-normalize: raw records in, canonical dispatches out.
//!
//! Everything here is pure and deterministic: no I/O, no clock (the fetch time is passed in), no randomness.
//! It owns the one date parser that feeds and pages share ([`date`]), text normalization ([`text`]), canonical
//! URLs ([`urls`]), identity ([`identity`]), and the rules that merge a feed entry and its article page into
//! one [`Dispatch`](newswire_model::Dispatch) ([`normalize`]).
//!
//! # Brief overview
//!
//! - [`normalize`] builds a dispatch from an [`Input`]: the feed entry and/or the extracted page.
//! - [`date::DateParser`] reads RFC 2822, ISO 8601 and human dates in many languages, keeping the offset.
//! - [`urls::canonicalize`] gives one spelling per article URL.
//!
//! # Example
//!
//! ```
//! use newswire_normalize::date::DateParser;
//!
//! let t = DateParser::new().find("Posted July 24th, 2012 at 6:10 am (UTC-5) | Leave a comment").unwrap().time;
//! assert_eq!(t.to_string(), "2012-07-24T06:10:00-05:00");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod assemble;
pub mod date;
pub mod diff;
pub mod identity;
pub mod text;
pub mod urls;

pub use crate::assemble::{Input, NormalizeError, normalize};
