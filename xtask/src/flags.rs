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
    /// Print what a source would yield, storing nothing.
    Parse(Parse),
    /// Print stored dispatches as JSON Lines.
    Export(Export),
    /// Print one stored dispatch for a person to read.
    Show(Show),
    /// Score article extraction against the labelled pages in `fixtures/eval/`. For developers.
    Eval(Eval),
    /// Run the criterion benchmarks and print their medians. For developers.
    Bench(Bench),
    /// Regenerate the fixture snapshots (`fixtures/site/**/*.expected.json`). For developers.
    Bless(Bless),
}

/// `cargo xtask ingest`.
#[derive(Debug, Args)]
pub struct Ingest {
    /// Feed URLs, article URLs, or local files.
    #[arg(required = true, value_name = "SOURCE")]
    pub sources: Vec<String>,
    /// Do not fetch article pages; store each entry's own content.
    #[arg(long)]
    pub no_pages: bool,
    /// Sources processed at once.
    #[arg(long, default_value_t = 4)]
    pub concurrency: usize,
    /// Seconds a fetch may take in all.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
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
    /// Print JSON: for a page, the dispatch; for a feed, its metadata and every entry with its dispatch.
    #[arg(long)]
    pub json: bool,
    /// Do not fetch the article pages of a feed's entries.
    #[arg(long)]
    pub no_pages: bool,
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

/// `cargo xtask bless`.
#[derive(Debug, Args)]
pub struct Bless {}

/// `cargo xtask eval`.
#[derive(Debug, Args)]
pub struct Eval {
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
