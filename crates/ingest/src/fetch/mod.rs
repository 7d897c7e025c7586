//! Fetching documents: `http(s)://` through reqwest, `file://` from disk, both with the same limits.
//!
//! [`Fetcher`] returns the body as raw bytes plus the headers parsing and scheduling need; it never decodes
//! text (see [`crate::charset`] for why). Every fetch is bounded: a connect timeout, a total timeout per request
//! that also covers a body dripping in slowly, a cap on the body size applied to the decompressed bytes (a gzip
//! bomb is cut off), and a redirect limit with loop detection. Redirects are followed here rather than by
//! reqwest so that each hop is checked ([`guard`]) and paced ([`polite`]), and so that a chain of permanent
//! redirects can move a source ([`Fetched::moved_to`]).
//!
//! Conditional requests: [`Fetcher::fetch_conditional`] sends `If-None-Match` / `If-Modified-Since` from the
//! [`Validators`] of the previous fetch and returns [`FetchOutcome::NotModified`] on a 304, with no body read.
//! Responses are decompressed (gzip, deflate, brotli); proxies come from the usual environment variables
//! (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`).

pub mod guard;
pub mod headers;
pub mod polite;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::{self, HeaderMap, HeaderName};
use url::Url;

pub use self::guard::NonPublicAddress;
pub use self::polite::{HostGate, Limits, Politeness};

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
    /// The HTTP client failed: connection refused, reset, TLS, a malformed response.
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
    /// The server answered with a status other than 2xx (or 304 to a conditional request).
    #[error("{url} answered HTTP {status}{}", retry_after.map(|d| format!(" (retry after {} s)", d.as_secs())).unwrap_or_default())]
    Status {
        /// The URL requested (after redirects).
        url: Url,
        /// The HTTP status code.
        status: u16,
        /// The wait a 429 or 503 asked for in `Retry-After`, when it gave one.
        retry_after: Option<Duration>,
    },
    /// The body was larger than the cap (counted after decompression).
    #[error("{url} sent more than {limit} bytes; the body was cut off and dropped")]
    TooLarge {
        /// The URL requested.
        url: Url,
        /// The cap in bytes.
        limit: u64,
    },
    /// A redirect pointed back at a URL already visited.
    #[error("redirect loop: {}", chain.iter().map(Url::as_str).collect::<Vec<_>>().join(" -> "))]
    RedirectLoop {
        /// The URLs visited, the repeated one last.
        chain: Vec<Url>,
    },
    /// More redirects than the limit.
    #[error("{url}: more than {limit} redirects")]
    TooManyRedirects {
        /// The first URL requested.
        url: Url,
        /// The limit.
        limit: usize,
    },
    /// A redirect without a usable `Location` (missing, malformed, or to a scheme other than http(s)).
    #[error("{url} redirected to {location:?}, which cannot be followed")]
    BadRedirect {
        /// The URL that redirected.
        url: Url,
        /// The `Location` header as sent.
        location: String,
    },
    /// The destination is a non-public address and private addresses are not allowed.
    #[error("refusing to fetch {url}")]
    NonPublic {
        /// The URL requested.
        url: Url,
        /// What the host resolved to.
        #[source]
        source: Box<NonPublicAddress>,
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

impl FetchError {
    /// The wait the server asked for (`Retry-After` on a 429 or 503), if any.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            FetchError::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// The HTTP client could not be set up (for example, the system's TLS library failed to initialise).
#[derive(Debug, thiserror::Error)]
#[error("cannot initialise the HTTP client")]
pub struct BuildError(#[source] reqwest::Error);

/// The validators of an earlier fetch, sent back to make a request conditional.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Validators {
    /// The `ETag` the server gave, sent as `If-None-Match`.
    pub etag: Option<String>,
    /// The `Last-Modified` the server gave, sent as `If-Modified-Since`.
    pub last_modified: Option<String>,
}

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
    /// `Cache-Control: max-age`, when given.
    pub max_age: Option<Duration>,
    /// Where the URL has moved for good: the last URL reached by the unbroken run of permanent redirects (301,
    /// 308) that the chain starts with. `None` when the first hop was not permanent.
    pub moved_to: Option<Url>,
    /// The body, decompressed, as raw bytes.
    pub body: Vec<u8>,
}

impl Fetched {
    /// A document already in hand, as if fetched from `url` with a 200.
    pub fn from_bytes(url: Url, content_type: Option<String>, body: Vec<u8>) -> Fetched {
        Fetched {
            url,
            status: 200,
            content_type,
            etag: None,
            last_modified: None,
            max_age: None,
            moved_to: None,
            body,
        }
    }

    /// The validators to send on the next fetch.
    pub fn validators(&self) -> Validators {
        Validators {
            etag: self.etag.clone(),
            last_modified: self.last_modified.clone(),
        }
    }
}

/// A 304 answer to a conditional request: nothing changed, no body read.
#[derive(Clone, Debug)]
pub struct NotModified {
    /// The URL that answered, after redirects.
    pub url: Url,
    /// As [`Fetched::moved_to`].
    pub moved_to: Option<Url>,
    /// `Cache-Control: max-age`, when given.
    pub max_age: Option<Duration>,
    /// The validators, refreshed when the 304 carried new ones.
    pub validators: Validators,
}

/// What a conditional fetch found.
#[derive(Clone, Debug)]
pub enum FetchOutcome {
    /// A new body.
    Fetched(Fetched),
    /// 304 Not Modified.
    NotModified(NotModified),
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
    allow_private: bool,
    limits: Limits,
    gate: Option<Arc<dyn HostGate>>,
    politeness: Option<Arc<Politeness>>,
    overrides: Vec<(String, SocketAddr)>,
}

impl Default for FetcherBuilder {
    fn default() -> Self {
        FetcherBuilder::new()
    }
}

impl FetcherBuilder {
    /// Defaults: newswire's User-Agent, 10 s to connect, 30 s per request, 20 MiB body cap, 10 redirects, no
    /// files, no private addresses, and [`Limits::default`] (32 requests at once, 2 per host, 1 s apart).
    pub fn new() -> FetcherBuilder {
        FetcherBuilder {
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_body_bytes: 20 * 1024 * 1024,
            max_redirects: 10,
            allow_files: false,
            allow_private: false,
            limits: Limits::default(),
            gate: None,
            politeness: None,
            overrides: Vec::new(),
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

    /// How long one request may take, body included (each redirect hop has its own).
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

    /// Whether loopback, private, link-local and other non-public destinations may be fetched (default no;
    /// tests and local fixture servers need yes).
    pub fn allow_private(mut self, yes: bool) -> FetcherBuilder {
        self.allow_private = yes;
        self
    }

    /// Global and per-host limits. Ignored when [`FetcherBuilder::politeness`] shares existing state.
    pub fn limits(mut self, limits: Limits) -> FetcherBuilder {
        self.limits = limits;
        self
    }

    /// A wait shared with other processes before each request to a host (see [`HostGate`]).
    pub fn host_gate(mut self, gate: Arc<dyn HostGate>) -> FetcherBuilder {
        self.gate = Some(gate);
        self
    }

    /// Shares politeness state with other fetchers (so that two fetchers together keep one set of limits).
    pub fn politeness(mut self, politeness: Arc<Politeness>) -> FetcherBuilder {
        self.politeness = Some(politeness);
        self
    }

    /// Resolves `host` to `addr` without asking DNS (as curl's `--resolve`), for test servers and benchmarks
    /// that serve many host names from one address. The address guard still applies.
    pub fn resolve(mut self, host: &str, addr: SocketAddr) -> FetcherBuilder {
        self.overrides.push((host.to_ascii_lowercase(), addr));
        self
    }

    /// Builds the fetcher. Fails only if the TLS backend cannot be initialised.
    pub fn build(self) -> Result<Fetcher, BuildError> {
        let mut client = reqwest::Client::builder()
            .user_agent(self.user_agent.clone())
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            .redirect(reqwest::redirect::Policy::none());
        let mut overrides: std::collections::HashMap<String, Vec<SocketAddr>> = Default::default();
        for (host, addr) in &self.overrides {
            overrides.entry(host.clone()).or_default().push(*addr);
        }
        client = client.dns_resolver(Arc::new(guard::GuardedResolver::new(
            self.allow_private,
            overrides,
        )));
        let client = client.build().map_err(BuildError)?;
        let politeness = self
            .politeness
            .clone()
            .unwrap_or_else(|| Arc::new(Politeness::new(self.limits, self.gate.clone())));
        Ok(Fetcher {
            client,
            politeness,
            options: Arc::new(self),
        })
    }
}

/// Fetches documents with limits. Cheap to clone; clones share one connection pool and one set of limits.
#[derive(Clone, Debug)]
pub struct Fetcher {
    client: reqwest::Client,
    politeness: Arc<Politeness>,
    options: Arc<FetcherBuilder>,
}

impl Fetcher {
    /// Fetches `url` (`http`, `https`, or `file` when allowed).
    pub async fn fetch(&self, url: &Url) -> Result<Fetched, FetchError> {
        match self.fetch_conditional(url, &Validators::default()).await? {
            FetchOutcome::Fetched(fetched) => Ok(fetched),
            FetchOutcome::NotModified(not_modified) => Err(FetchError::Status {
                url: not_modified.url,
                status: 304,
                retry_after: None,
            }),
        }
    }

    /// Fetches `url`, sending `validators` so that an unchanged document costs a 304 and no body.
    pub async fn fetch_conditional(
        &self,
        url: &Url,
        validators: &Validators,
    ) -> Result<FetchOutcome, FetchError> {
        match url.scheme() {
            "http" | "https" => self.fetch_http(url, validators).await,
            "file" if self.options.allow_files => {
                self.fetch_file(url).await.map(FetchOutcome::Fetched)
            }
            "file" => Err(FetchError::FileNotAllowed { url: url.clone() }),
            _ => Err(FetchError::UnsupportedScheme { url: url.clone() }),
        }
    }

    /// The shared politeness state (for fetchers that should keep the same limits).
    pub fn politeness(&self) -> &Arc<Politeness> {
        &self.politeness
    }

    async fn fetch_http(
        &self,
        first: &Url,
        validators: &Validators,
    ) -> Result<FetchOutcome, FetchError> {
        let mut url = first.clone();
        let mut chain = vec![url.clone()];
        let mut moved_to: Option<Url> = None;
        let mut still_permanent = true;
        loop {
            if !self.options.allow_private {
                guard::check_literal_host(&url).map_err(|source| FetchError::NonPublic {
                    url: url.clone(),
                    source: Box::new(source),
                })?;
            }
            let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
            let _turn = self.politeness.turn(&host).await;
            let mut request = self.client.get(url.clone());
            if let Some(etag) = &validators.etag {
                request = request.header(header::IF_NONE_MATCH, etag);
            }
            if let Some(last_modified) = &validators.last_modified {
                request = request.header(header::IF_MODIFIED_SINCE, last_modified);
            }
            let mut response = request.send().await.map_err(|e| self.http_error(&url, e))?;
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            if matches!(status, 301 | 302 | 303 | 307 | 308) {
                let location = header_str(&headers, header::LOCATION).unwrap_or_default();
                let next = url
                    .join(&location)
                    .ok()
                    .filter(|next| matches!(next.scheme(), "http" | "https"))
                    .ok_or_else(|| FetchError::BadRedirect {
                        url: url.clone(),
                        location: location.clone(),
                    })?;
                if chain.contains(&next) {
                    chain.push(next);
                    return Err(FetchError::RedirectLoop { chain });
                }
                if chain.len() > self.options.max_redirects {
                    return Err(FetchError::TooManyRedirects {
                        url: first.clone(),
                        limit: self.options.max_redirects,
                    });
                }
                if still_permanent && matches!(status, 301 | 308) {
                    moved_to = Some(next.clone());
                } else {
                    still_permanent = false;
                }
                chain.push(next.clone());
                url = next;
                continue;
            }
            let max_age = header_str(&headers, header::CACHE_CONTROL)
                .as_deref()
                .and_then(headers::max_age);
            if status == 304 {
                return Ok(FetchOutcome::NotModified(NotModified {
                    url,
                    moved_to,
                    max_age,
                    validators: Validators {
                        etag: header_str(&headers, header::ETAG).or(validators.etag.clone()),
                        last_modified: header_str(&headers, header::LAST_MODIFIED)
                            .or(validators.last_modified.clone()),
                    },
                }));
            }
            if !(200..300).contains(&status) {
                let retry_after = header_str(&headers, header::RETRY_AFTER)
                    .and_then(|v| headers::retry_after(&v, SystemTime::now()));
                return Err(FetchError::Status {
                    url,
                    status,
                    retry_after,
                });
            }
            let limit = self.options.max_body_bytes;
            let mut body =
                Vec::with_capacity(response.content_length().unwrap_or(0).min(limit) as usize);
            while let Some(chunk) = response
                .chunk()
                .await
                .map_err(|e| self.http_error(&url, e))?
            {
                if body.len() as u64 + chunk.len() as u64 > limit {
                    return Err(FetchError::TooLarge { url, limit });
                }
                body.extend_from_slice(&chunk);
            }
            return Ok(FetchOutcome::Fetched(Fetched {
                content_type: header_str(&headers, header::CONTENT_TYPE),
                etag: header_str(&headers, header::ETAG),
                last_modified: header_str(&headers, header::LAST_MODIFIED),
                max_age,
                moved_to,
                status,
                url,
                body,
            }));
        }
    }

    fn http_error(&self, url: &Url, source: reqwest::Error) -> FetchError {
        if source.is_timeout() {
            return FetchError::Timeout {
                url: url.clone(),
                seconds: self.options.timeout.as_secs(),
            };
        }
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&source);
        while let Some(err) = cause {
            if let Some(refused) = err.downcast_ref::<NonPublicAddress>() {
                return FetchError::NonPublic {
                    url: url.clone(),
                    source: Box::new(refused.clone()),
                };
            }
            cause = err.source();
        }
        FetchError::Http {
            url: url.clone(),
            source,
        }
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
        Ok(Fetched::from_bytes(final_url, content_type, body))
    }
}

fn header_str(headers: &HeaderMap, name: HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
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
