//! Integration tests for newswire-ingest: fixture corpora run through the public API.

mod conformance;
mod fetching;
mod regressions;
