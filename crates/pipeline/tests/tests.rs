//! Integration tests for the pipeline: real HTTP on 127.0.0.1, real SQLite files, the fixture site.

mod end_to_end;
mod failures;
mod snapshots;
mod support;
mod worker;
