//! What a run did, per source and in total.

use std::fmt;

use serde::Serialize;

/// Dispatch counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Stored for the first time.
    pub new: usize,
    /// Stored again with changed content (a new revision).
    pub updated: usize,
    /// Already stored as they are (including feed-only versions not allowed to replace page versions).
    pub unchanged: usize,
    /// Articles that could not be made into a dispatch or stored.
    pub failed: usize,
}

impl Counts {
    fn add(&mut self, other: &Counts) {
        self.new += other.new;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
        self.failed += other.failed;
    }

    /// Dispatches that were stored or found already stored.
    pub fn ingested(&self) -> usize {
        self.new + self.updated + self.unchanged
    }
}

/// What happened to one source.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SourceReport {
    /// The source URL.
    pub source: String,
    /// `"feed"` or `"page"`, once known.
    pub kind: Option<&'static str>,
    /// Dispatch counts.
    pub counts: Counts,
    /// The error that stopped the whole source, if one did.
    pub error: Option<String>,
    /// Article pages that could not be used; the feed's own content was stored instead.
    pub fallbacks: Vec<String>,
    /// Articles that failed, with the reason.
    pub failures: Vec<String>,
    /// Parser warnings for the source document.
    pub warnings: Vec<String>,
    /// What normalization noticed about individual dispatches (a time with no zone, a guessed charset).
    pub notes: Vec<String>,
    /// The source answered 304 Not Modified: nothing was parsed.
    pub not_modified: bool,
    /// The source moved for good (301/308) to this URL.
    pub moved_to: Option<String>,
}

impl SourceReport {
    /// Whether the source failed as a whole.
    pub fn is_failed(&self) -> bool {
        self.error.is_some()
    }
}

impl fmt::Display for SourceReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.counts;
        match &self.error {
            Some(error) => write!(f, "FAILED  {}: {error}", self.source),
            None if self.not_modified => write!(f, "ok      {}: not modified", self.source),
            None => write!(
                f,
                "ok      {} ({}): {} new, {} updated, {} unchanged, {} failed",
                self.source,
                self.kind.unwrap_or("?"),
                c.new,
                c.updated,
                c.unchanged,
                c.failed
            ),
        }
    }
}

/// What a whole run did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RunReport {
    /// One report per source, in the order given.
    pub sources: Vec<SourceReport>,
}

impl RunReport {
    /// Counts over all sources.
    pub fn totals(&self) -> Counts {
        let mut total = Counts::default();
        for source in &self.sources {
            total.add(&source.counts);
        }
        total
    }

    /// Sources that failed as a whole.
    pub fn failed_sources(&self) -> usize {
        self.sources.iter().filter(|s| s.is_failed()).count()
    }

    /// Whether nothing at all could be ingested (every source failed, or no article could be stored): the
    /// condition for a non-zero exit.
    pub fn nothing_ingested(&self) -> bool {
        self.totals().ingested() == 0 && (self.failed_sources() > 0 || self.totals().failed > 0)
    }
}
