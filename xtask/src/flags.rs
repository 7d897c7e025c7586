//! Command-line flags.

use clap::{Args, Parser, Subcommand};

/// newswire: fetch feeds and article pages, extract, normalize and store dispatches.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", version, about)]
pub struct Xtask {
    /// The database: a SQLite file, or a PostgreSQL URL (`postgres://user@host/db`).
    #[arg(
        long,
        global = true,
        env = "NEWSWIRE_DB",
        default_value = "newswire.db"
    )]
    pub db: String,
    /// The task.
    #[command(subcommand)]
    pub command: Command,
}

/// The tasks.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fetch sources (feed or article URLs, or local files), extract, normalize and store their dispatches.
    Ingest(Ingest),
    /// Manage the registered sources: add (finding a page's feeds), list, remove, import and export OPML.
    Sources(Sources),
    /// Keep ingesting the registered sources as they fall due, until Ctrl-C or SIGTERM.
    Watch(Watch),
    /// Print what a source would yield, storing nothing.
    Parse(Parse),
    /// Print stored dispatches as JSON Lines.
    Export(Export),
    /// Print one stored dispatch for a person to read.
    Show(Show),
    /// Search the stored dispatches' titles and text: ranked hits with marked snippets.
    Search(Search),
    /// List the stored revisions of a dispatch, with a word-level diff between two of them.
    History(History),
    /// Score article extraction against the labelled pages in `fixtures/eval/`. For developers.
    Eval(Eval),
    /// Run the criterion benchmarks and print their medians. For developers.
    Bench(Bench),
    /// Regenerate the fixture snapshots (`fixtures/site/**/*.expected.json`). For developers.
    Bless(Bless),
}

/// How fetching behaves: limits and politeness. Shared by the tasks that fetch.
#[derive(Clone, Debug, Args)]
pub struct FetchFlags {
    /// Do not fetch article pages; store each entry's own content.
    #[arg(long)]
    pub no_pages: bool,
    /// Sources processed at once (each host still gets no more than --per-host requests, --spacing-ms apart).
    #[arg(long, default_value_t = 64)]
    pub concurrency: usize,
    /// Seconds one request may take in all, body included.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
    /// Requests in flight at once, over all hosts.
    #[arg(long, default_value_t = 32)]
    pub max_requests: usize,
    /// Requests in flight at once to one host.
    #[arg(long, default_value_t = 2)]
    pub per_host: usize,
    /// Least milliseconds between the starts of two requests to one host.
    #[arg(long, default_value_t = 1000)]
    pub spacing_ms: u64,
    /// The User-Agent header (by default one that names newswire).
    #[arg(long)]
    pub user_agent: Option<String>,
    /// Allow loopback, private and link-local destinations (refused by default, after DNS resolution).
    #[arg(long, env = "NEWSWIRE_ALLOW_PRIVATE")]
    pub allow_private: bool,
    /// Do not fetch or honour robots.txt for article pages.
    #[arg(long)]
    pub ignore_robots: bool,
    /// Largest body accepted, in MiB, counted after decompression.
    #[arg(long, default_value_t = 20)]
    pub max_body_mib: u64,
    /// Most entries taken from one feed.
    #[arg(long, default_value_t = 500)]
    pub max_entries: usize,
}

/// `cargo xtask ingest`.
#[derive(Debug, Args)]
pub struct Ingest {
    /// Feed URLs, article URLs, or local files.
    #[arg(required_unless_present = "due", value_name = "SOURCE")]
    pub sources: Vec<String>,
    /// Ingest every registered source that is due (see `sources add`), instead of the sources given.
    #[arg(long, conflicts_with = "sources")]
    pub due: bool,
    /// Fetch limits.
    #[command(flatten)]
    pub fetch: FetchFlags,
    /// Schedule bounds, for `--due`.
    #[command(flatten)]
    pub schedule: ScheduleFlags,
}

/// Bounds on how often registered sources are checked.
#[derive(Clone, Debug, Args)]
pub struct ScheduleFlags {
    /// Shortest interval between two checks of a source, in minutes.
    #[arg(long, default_value_t = 15)]
    pub min_interval: u64,
    /// Longest interval between two checks of a healthy source, in minutes.
    #[arg(long, default_value_t = 24 * 60)]
    pub max_interval: u64,
    /// Longest wait after repeated errors, in minutes.
    #[arg(long, default_value_t = 24 * 60)]
    pub max_backoff: u64,
    /// Seconds a lease on a source lasts (a worker that dies loses its sources to another after this).
    #[arg(long, default_value_t = 600)]
    pub lease: u64,
}

/// `cargo xtask watch`.
#[derive(Debug, Args)]
pub struct Watch {
    /// Fetch limits.
    #[command(flatten)]
    pub fetch: FetchFlags,
    /// Schedule bounds.
    #[command(flatten)]
    pub schedule: ScheduleFlags,
    /// Seconds in-flight sources may take to finish after Ctrl-C or SIGTERM before they are abandoned.
    #[arg(long, default_value_t = 20)]
    pub grace: u64,
    /// Most seconds between two looks at the schedule.
    #[arg(long, default_value_t = 60)]
    pub poll: u64,
}

/// `cargo xtask sources`.
#[derive(Debug, Args)]
pub struct Sources {
    /// What to do.
    #[command(subcommand)]
    pub command: SourcesCommand,
}

/// `cargo xtask sources ...`.
#[derive(Debug, Subcommand)]
pub enum SourcesCommand {
    /// Register a feed, or find and register the feed of a web page.
    Add {
        /// Feed or page URLs (or local feed files).
        #[arg(required = true, value_name = "URL")]
        urls: Vec<String>,
        /// Register every feed a page declares, not only the first (its main feed).
        #[arg(long)]
        all: bool,
        /// A category to file the sources under (repeatable).
        #[arg(long = "category", value_name = "NAME")]
        categories: Vec<String>,
        /// Fetch limits.
        #[command(flatten)]
        fetch: FetchFlags,
    },
    /// List the sources with their last status, error count, next check and item counts.
    List {
        /// Print JSON Lines instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Remove sources by id or URL (their dispatches stay).
    Remove {
        /// Ids or URLs.
        #[arg(required = true, value_name = "ID|URL")]
        keys: Vec<String>,
    },
    /// Register every feed of an OPML file (categories kept).
    Import {
        /// The OPML file.
        file: std::path::PathBuf,
    },
    /// Print the sources as OPML 2.0.
    Export {
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<std::path::PathBuf>,
    },
}

/// `cargo xtask parse`.
#[derive(Debug, Args)]
pub struct Parse {
    /// A feed or article URL, or a local file.
    #[arg(value_name = "SOURCE")]
    pub source: String,
    /// For a saved file: the URL it came from (for links and identity). Relative links then resolve against it.
    #[arg(long)]
    pub url: Option<String>,
    /// For a saved file: the HTTP `Content-Type` it was served with (its charset is honoured).
    #[arg(long, requires = "url")]
    pub content_type: Option<String>,
    /// Print JSON: for a page, the dispatch; for a feed, its metadata and every entry with its dispatch.
    #[arg(long)]
    pub json: bool,
    /// Fetch limits.
    #[command(flatten)]
    pub fetch: FetchFlags,
}

/// `cargo xtask export`.
#[derive(Debug, Args)]
pub struct Export {
    /// Only dispatches published at or after this time (RFC 3339, or a date YYYY-MM-DD taken as UTC midnight).
    #[arg(long, value_name = "T")]
    pub since: Option<String>,
    /// Only dispatches published before this time.
    #[arg(long, value_name = "T")]
    pub until: Option<String>,
}

/// `cargo xtask show`.
#[derive(Debug, Args)]
pub struct Show {
    /// A dispatch id or URL.
    #[arg(value_name = "ID|URL")]
    pub key: String,
}

/// `cargo xtask history`.
#[derive(Debug, Args)]
pub struct History {
    /// A dispatch id or URL.
    #[arg(value_name = "ID|URL")]
    pub key: String,
    /// The two revisions to compare, as `A..B` (by default the last two).
    #[arg(long, value_name = "A..B")]
    pub diff: Option<String>,
    /// Print the revisions and the diff as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `cargo xtask search`.
#[derive(Debug, Args)]
pub struct Search {
    /// The words to find (all of them, in the title or the text; case and accents ignored).
    #[arg(required = true, value_name = "QUERY")]
    pub query: Vec<String>,
    /// Only dispatches published at or after this time (RFC 3339, or a date YYYY-MM-DD taken as UTC midnight).
    #[arg(long, value_name = "T")]
    pub since: Option<String>,
    /// Only dispatches published before this time.
    #[arg(long, value_name = "T")]
    pub until: Option<String>,
    /// Only dispatches from this source: a feed's URL (or local file), or a site's host (`blogs.voa.example`,
    /// which also covers its subdomains).
    #[arg(long, value_name = "S")]
    pub source: Option<String>,
    /// The most hits shown, best first.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Print the hits as JSON Lines.
    #[arg(long)]
    pub json: bool,
}

/// `cargo xtask bless`.
#[derive(Debug, Args)]
pub struct Bless {}

/// `cargo xtask eval`.
#[derive(Debug, Args)]
pub struct Eval {
    /// The labelled set: a directory holding `labels/*.json`, whose `page` paths are relative to it.
    /// Relative to the project root unless absolute (e.g. `fixtures/eval/heldout`).
    #[arg(long, value_name = "DIR", default_value = "fixtures/eval")]
    pub set: std::path::PathBuf,
    /// Print every page's scores, not only the failures and the summary.
    #[arg(long)]
    pub verbose: bool,
    /// Print the scores as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `cargo xtask bench`.
#[derive(Debug, Args)]
pub struct Bench {
    /// Only benchmarks whose name contains this.
    pub filter: Option<String>,
}
