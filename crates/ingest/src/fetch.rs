//! Fetching documents: `http(s)://` through reqwest, `file://` from disk, both with the same limits.
//!
//! [`Fetcher`] returns the body as raw bytes plus the headers parsing needs; it never decodes text (see
//! [`crate::charset`] for why). Every fetch is bounded: a connect timeout, a total timeout that also covers a
//! body dripping in slowly, a cap on the body size applied to the decompressed bytes, and a redirect limit.

use std::path::PathBuf;
use std::time::Duration;

use url::Url;

/// The User-Agent newswire sends unless told otherwise.
pub const DEFAULT_USER_AGENT: &str = concat!(
    "newswire/",
    env!("CARGO_PKG_VERSION"),
    " (+https://example.invalid/newswire; news ingest)"
);

/// Why a fetch failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// The HTTP client failed: connection refused, reset, TLS, a malformed response, too many redirects.
    #[error("failed to fetch {url}")]
    Http {
        /// The URL requested.
        url: Url,
        /// The client's error.
        #[source]
        source: reqwest::Error,
    },
    /// No complete answer within the time limit.
    #[error("{url} did not answer within {seconds} s")]
    Timeout {
        /// The URL requested.
        url: Url,
        /// The limit, in seconds.
        seconds: u64,
    },
    /// The server answered with a status other than 2xx.
    #[error("{url} answered HTTP {status}")]
    Status {
        /// The URL requested (after redirects).
        url: Url,
        /// The HTTP status code.
        status: u16,
    },
    /// The body was larger than the cap.
    #[error("{url} sent more than {limit} bytes; the body was cut off and dropped")]
    TooLarge {
        /// The URL requested.
        url: Url,
        /// The cap in bytes.
        limit: u64,
    },
    /// A local file could not be read.
    #[error("failed to read {}", path.display())]
    File {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The URL's scheme is neither http, https nor file.
    #[error("cannot fetch {url}: only http, https and file URLs are supported")]
    UnsupportedScheme {
        /// The URL given.
        url: Url,
    },
    /// A `file://` URL was given but local files are not allowed for this fetcher.
    #[error("refusing to read local file {url}: file URLs are only followed from local sources")]
    FileNotAllowed {
        /// The URL given.
        url: Url,
    },
}

/// The HTTP client could not be set up (for example, the system's TLS library failed to initialise).
#[derive(Debug, thiserror::Error)]
#[error("cannot initialise the HTTP client")]
pub struct BuildError(#[source] reqwest::Error);

/// A fetched document.
#[derive(Clone, Debug)]
pub struct Fetched {
    /// The URL the body came from, after redirects.
    pub url: Url,
    /// HTTP status (200 for files).
    pub status: u16,
    /// The `Content-Type` header, when given.
    pub content_type: Option<String>,
    /// The `ETag` header, when given.
    pub etag: Option<String>,
    /// The `Last-Modified` header, when given.
    pub last_modified: Option<String>,
    /// The body, decompressed, as raw bytes.
    pub body: Vec<u8>,
}

/// Builds a [`Fetcher`].
#[derive(Clone, Debug)]
pub struct FetcherBuilder {
    user_agent: String,
    connect_timeout: Duration,
    timeout: Duration,
    max_body_bytes: u64,
    max_redirects: usize,
    allow_files: bool,
}

impl Default for FetcherBuilder {
    fn default() -> Self {
        FetcherBuilder::new()
    }
}

impl FetcherBuilder {
    /// Defaults: newswire's User-Agent, 10 s to connect, 30 s in all, 20 MiB body cap, 10 redirects, no files.
    pub fn new() -> FetcherBuilder {
        FetcherBuilder {
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_body_bytes: 20 * 1024 * 1024,
            max_redirects: 10,
            allow_files: false,
        }
    }

    /// The User-Agent header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> FetcherBuilder {
        self.user_agent = user_agent.into();
        self
    }

    /// How long connecting may take.
    pub fn connect_timeout(mut self, timeout: Duration) -> FetcherBuilder {
        self.connect_timeout = timeout;
        self
    }

    /// How long a whole fetch may take, body included.
    pub fn timeout(mut self, timeout: Duration) -> FetcherBuilder {
        self.timeout = timeout;
        self
    }

    /// The largest body accepted, counted after decompression.
    pub fn max_body_bytes(mut self, limit: u64) -> FetcherBuilder {
        self.max_body_bytes = limit;
        self
    }

    /// How many redirects are followed.
    pub fn max_redirects(mut self, limit: usize) -> FetcherBuilder {
        self.max_redirects = limit;
        self
    }

    /// Whether `file://` URLs may be read (for local sources and the links inside them).
    pub fn allow_files(mut self, yes: bool) -> FetcherBuilder {
        self.allow_files = yes;
        self
    }

    /// Builds the fetcher. Fails only if the TLS backend cannot be initialised.
    pub fn build(self) -> Result<Fetcher, BuildError> {
        let client = reqwest::Client::builder()
            .user_agent(self.user_agent.clone())
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            .redirect(reqwest::redirect::Policy::limited(self.max_redirects))
            .build()
            .map_err(BuildError)?;
        Ok(Fetcher {
            client,
            options: self,
        })
    }
}

/// Fetches documents with limits. Cheap to clone; clones share one connection pool.
#[derive(Clone, Debug)]
pub struct Fetcher {
    client: reqwest::Client,
    options: FetcherBuilder,
}

impl Fetcher {
    /// Fetches `url` (`http`, `https`, or `file` when allowed).
    pub async fn fetch(&self, url: &Url) -> Result<Fetched, FetchError> {
        match url.scheme() {
            "http" | "https" => self.fetch_http(url).await,
            "file" if self.options.allow_files => self.fetch_file(url).await,
            "file" => Err(FetchError::FileNotAllowed { url: url.clone() }),
            _ => Err(FetchError::UnsupportedScheme { url: url.clone() }),
        }
    }

    async fn fetch_http(&self, url: &Url) -> Result<Fetched, FetchError> {
        let seconds = self.options.timeout.as_secs();
        let http_err = |source: reqwest::Error| {
            if source.is_timeout() {
                FetchError::Timeout {
                    url: url.clone(),
                    seconds,
                }
            } else {
                FetchError::Http {
                    url: url.clone(),
                    source,
                }
            }
        };
        let mut response = self
            .client
            .get(url.clone())
            .send()
            .await
            .map_err(http_err)?;
        let final_url = response.url().clone();
        let status = response.status().as_u16();
        if !response.status().is_success() {
            return Err(FetchError::Status {
                url: final_url,
                status,
            });
        }
        let header = |name: reqwest::header::HeaderName| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let content_type = header(reqwest::header::CONTENT_TYPE);
        let etag = header(reqwest::header::ETAG);
        let last_modified = header(reqwest::header::LAST_MODIFIED);
        let limit = self.options.max_body_bytes;
        let mut body =
            Vec::with_capacity(response.content_length().unwrap_or(0).min(limit) as usize);
        while let Some(chunk) = response.chunk().await.map_err(http_err)? {
            if body.len() as u64 + chunk.len() as u64 > limit {
                return Err(FetchError::TooLarge {
                    url: final_url,
                    limit,
                });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Fetched {
            url: final_url,
            status,
            content_type,
            etag,
            last_modified,
            body,
        })
    }

    async fn fetch_file(&self, url: &Url) -> Result<Fetched, FetchError> {
        let mut path = url
            .to_file_path()
            .map_err(|()| FetchError::UnsupportedScheme { url: url.clone() })?;
        let meta = tokio::fs::metadata(&path)
            .await
            .map_err(|source| FetchError::File {
                path: path.clone(),
                source,
            })?;
        let mut final_url = url.clone();
        if meta.is_dir() {
            path.push("index.html");
            if !final_url.path().ends_with('/') {
                final_url.set_path(&format!("{}/", final_url.path()));
            }
        }
        let limit = self.options.max_body_bytes;
        let len = tokio::fs::metadata(&path)
            .await
            .map_err(|source| FetchError::File {
                path: path.clone(),
                source,
            })?
            .len();
        if len > limit {
            return Err(FetchError::TooLarge {
                url: final_url,
                limit,
            });
        }
        let content_type = content_type_for_path(&path).map(str::to_owned);
        let body = tokio::fs::read(&path)
            .await
            .map_err(|source| FetchError::File { path, source })?;
        Ok(Fetched {
            url: final_url,
            status: 200,
            content_type,
            etag: None,
            last_modified: None,
            body,
        })
    }
}

/// The type a web server would most likely send for a local file, by its extension (no charset: a file carries
/// its own declaration).
fn content_type_for_path(path: &std::path::Path) -> Option<&'static str> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "html" | "htm" => "text/html",
        "xml" | "rss" | "rdf" | "atom" => "application/xml",
        "json" => "application/json",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_send_sync_static() {
        fn assert_bounds<T: Send + Sync + 'static>() {}
        assert_bounds::<FetchError>();
    }

    #[test]
    fn refuses_file_urls_unless_allowed() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let fetcher = FetcherBuilder::new().build().unwrap();
        let url = Url::parse("file:///etc/hostname").unwrap();
        let err = rt.block_on(fetcher.fetch(&url)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "refusing to read local file file:///etc/hostname: file URLs are only followed from local sources"
        );
        let url = Url::parse("ftp://example.com/feed").unwrap();
        let err = rt.block_on(fetcher.fetch(&url)).unwrap_err();
        assert!(matches!(err, FetchError::UnsupportedScheme { .. }));
    }
}
