//! Sources as users name them: a URL, or a path to a local file.

use std::path::Path;

use newswire_ingest::feed::FeedError;
use newswire_ingest::fetch::FetchError;
use url::Url;

/// Why a source as a whole could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SourceError {
    /// The argument is neither a URL nor an existing file.
    #[error("{arg:?} is neither an http(s) URL nor an existing file")]
    Unresolvable {
        /// The argument as given.
        arg: String,
    },
    /// The document could not be fetched.
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// The document looked like a feed but could not be parsed as one.
    #[error("cannot parse {url} as a feed")]
    Feed {
        /// The document's URL.
        url: String,
        /// The parser's reason.
        #[source]
        source: FeedError,
    },
    /// The server promised a feed but sent an HTML page (a login wall, an error page, a moved site).
    #[error("{url} was served as a feed ({content_type}) but is an HTML page")]
    HtmlAsFeed {
        /// The document's URL.
        url: String,
        /// The `Content-Type` it was served with.
        content_type: String,
    },
    /// The document is neither a feed nor an HTML page.
    #[error("{url} is neither a feed nor an HTML page ({what})")]
    Unrecognised {
        /// The document's URL.
        url: String,
        /// What it looked like.
        what: &'static str,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] newswire_store::StoreError),
}

/// Resolves a command-line source: an `http(s)://` or `file://` URL as it is, anything else as a local path
/// (made absolute, so relative links inside it resolve against the file).
pub fn resolve_source(arg: &str) -> Result<Url, SourceError> {
    if let Ok(url) = Url::parse(arg)
        && matches!(url.scheme(), "http" | "https" | "file")
    {
        return Ok(url);
    }
    let path = Path::new(arg);
    let absolute = std::path::absolute(path).map_err(|_| SourceError::Unresolvable {
        arg: arg.to_owned(),
    })?;
    if !absolute.exists() {
        return Err(SourceError::Unresolvable {
            arg: arg.to_owned(),
        });
    }
    let url = if absolute.is_dir() {
        Url::from_directory_path(&absolute)
    } else {
        Url::from_file_path(&absolute)
    };
    url.map_err(|()| SourceError::Unresolvable {
        arg: arg.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_urls_and_paths() {
        assert_eq!(
            resolve_source("https://example.com/feed").unwrap().as_str(),
            "https://example.com/feed"
        );
        let here = resolve_source("Cargo.toml").unwrap();
        assert_eq!(here.scheme(), "file");
        assert!(
            here.path().ends_with("/crates/pipeline/Cargo.toml"),
            "{here}"
        );
        assert_eq!(
            resolve_source("no/such/file.xml").unwrap_err().to_string(),
            "\"no/such/file.xml\" is neither an http(s) URL nor an existing file"
        );
    }

    #[test]
    fn errors_are_send_sync_static() {
        fn assert_bounds<T: Send + Sync + 'static>() {}
        assert_bounds::<SourceError>();
    }
}
