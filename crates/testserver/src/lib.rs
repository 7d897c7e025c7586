//! A small HTTP/1.1 server on 127.0.0.1 for newswire's tests: serves a directory and injects faults.
//!
//! The server runs on its own thread with its own Tokio runtime, so it works the same from synchronous and
//! asynchronous tests, and it stops when the [`TestServer`] is dropped. Every path can be overridden with a
//! [`Route`]: a fixed response, a status, a response that never comes, a body that drips, a reset connection.
//! It speaks just enough HTTP for a real client (reqwest) to talk to it: one request per connection,
//! `Connection: close`.
//!
//! # Example
//!
//! ```
//! use newswire_testserver::{Route, TestServer};
//!
//! let server = TestServer::start(None)?;
//! server.route("/hello", Route::ok("text/plain", "hi"));
//! assert!(server.url("/hello").starts_with("http://127.0.0.1:"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How the server answers one path.
#[derive(Clone, Debug)]
pub enum Route {
    /// A complete response.
    Response {
        /// HTTP status.
        status: u16,
        /// Extra headers (`Content-Length` and `Connection` are added).
        headers: Vec<(String, String)>,
        /// The body.
        body: Vec<u8>,
    },
    /// Accept the connection, read the request, and never answer.
    Hang,
    /// Send headers, then the body one byte per `interval`.
    Drip {
        /// The body.
        body: Vec<u8>,
        /// Pause between bytes.
        interval: Duration,
    },
    /// A body that never ends: `chunk` sent again and again without a `Content-Length`.
    Endless {
        /// The content type.
        content_type: String,
        /// What is repeated.
        chunk: Vec<u8>,
    },
    /// A document with validators: 304 when the request's `If-None-Match` equals `etag` or its
    /// `If-Modified-Since` equals `last_modified`, else 200 with the body and both validators.
    Conditional {
        /// The content type.
        content_type: String,
        /// The body.
        body: Vec<u8>,
        /// The `ETag` (quoted, as sent).
        etag: Option<String>,
        /// The `Last-Modified` date, as sent.
        last_modified: Option<String>,
    },
    /// Send headers promising `promised` bytes, `sent` bytes of body, then reset the connection.
    ResetMidBody {
        /// Body bytes sent before the reset.
        sent: Vec<u8>,
        /// The `Content-Length` announced.
        promised: usize,
    },
}

impl Route {
    /// A 200 response with this content type and body.
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Route {
        Route::Response {
            status: 200,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
        }
    }

    /// A redirect with this status (301, 302, 307, 308) to `location`.
    pub fn redirect(status: u16, location: &str) -> Route {
        Route::Response {
            status,
            headers: vec![("Location".into(), location.into())],
            body: Vec::new(),
        }
    }

    /// A bodiless response with this status.
    pub fn status(status: u16) -> Route {
        Route::Response {
            status,
            headers: Vec::new(),
            body: format!("status {status}\n").into_bytes(),
        }
    }
}

#[derive(Default)]
struct State {
    routes: HashMap<String, Route>,
    hits: HashMap<String, usize>,
    last_headers: HashMap<String, Vec<(String, String)>>,
}

/// A running test server. Dropping it stops the server.
pub struct TestServer {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestServer {
    /// Starts a server on 127.0.0.1 with an OS-assigned port, serving files below `root` when given.
    pub fn start(root: Option<PathBuf>) -> std::io::Result<TestServer> {
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        std_listener.set_nonblocking(true)?;
        let addr = std_listener.local_addr()?;
        let state = Arc::new(Mutex::new(State::default()));
        let (shutdown, mut stop) = tokio::sync::oneshot::channel::<()>();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let thread_state = Arc::clone(&state);
        let thread = std::thread::Builder::new()
            .name("testserver".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let listener = match TcpListener::from_std(std_listener) {
                        Ok(listener) => listener,
                        Err(err) => return eprintln!("testserver: {err}"),
                    };
                    loop {
                        tokio::select! {
                            _ = &mut stop => break,
                            accepted = listener.accept() => {
                                let Ok((stream, _)) = accepted else { continue };
                                let state = Arc::clone(&thread_state);
                                let root = root.clone();
                                tokio::spawn(async move {
                                    let _ = serve(stream, state, root.as_deref()).await;
                                });
                            }
                        }
                    }
                });
            })?;
        Ok(TestServer {
            addr,
            state,
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }

    /// The absolute URL of `path` (which starts with `/`) on this server.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// The server's address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Answers `path` (without query) with `route` from now on, instead of the file below the root.
    pub fn route(&self, path: &str, route: Route) {
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .routes
            .insert(path.to_owned(), route);
    }

    /// Removes an override set by [`TestServer::route`].
    pub fn unroute(&self, path: &str) {
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .routes
            .remove(path);
    }

    /// The headers of the last request for `path` (names lowercased), empty if none came.
    pub fn last_headers(&self, path: &str) -> Vec<(String, String)> {
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .last_headers
            .get(path)
            .cloned()
            .unwrap_or_default()
    }

    /// How many requests `path` has received.
    pub fn hits(&self, path: &str) -> usize {
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .hits
            .get(path)
            .copied()
            .unwrap_or(0)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn serve(
    mut stream: TcpStream,
    state: Arc<Mutex<State>>,
    root: Option<&Path>,
) -> std::io::Result<()> {
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).await?;
        if n == 0 || head.len() > 64 * 1024 {
            return Ok(());
        }
        head.extend_from_slice(&buf[..n]);
    }
    let request_line = String::from_utf8_lossy(&head);
    let target = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_owned();
    let path = target.split(['?', '#']).next().unwrap_or("/").to_owned();
    let request_headers: Vec<(String, String)> = request_line
        .split("\r\n\r\n")
        .next()
        .unwrap_or_default()
        .lines()
        .skip(1)
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let header = |name: &str| {
        request_headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let route = {
        let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
        *state.hits.entry(path.clone()).or_default() += 1;
        state
            .last_headers
            .insert(path.clone(), request_headers.clone());
        state.routes.get(&path).cloned()
    };
    let route = match route {
        Some(route) => route,
        None => file_route(root, &path).await,
    };
    match route {
        Route::Response {
            status,
            headers,
            body,
        } => {
            stream
                .write_all(&head_bytes(status, &headers, body.len()))
                .await?;
            stream.write_all(&body).await?;
        }
        Route::Hang => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
        Route::Endless {
            content_type,
            chunk,
        } => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nConnection: close\r\n\r\n"
            );
            stream.write_all(head.as_bytes()).await?;
            // Until the client hangs up (the write fails) or a day passes.
            let until = tokio::time::Instant::now() + Duration::from_secs(24 * 3600);
            while tokio::time::Instant::now() < until {
                stream.write_all(&chunk).await?;
            }
        }
        Route::Conditional {
            content_type,
            body,
            etag,
            last_modified,
        } => {
            let matches_etag = etag.is_some() && header("if-none-match") == etag;
            let matches_date =
                last_modified.is_some() && header("if-modified-since") == last_modified;
            let mut headers = vec![("Content-Type".to_owned(), content_type)];
            if let Some(etag) = etag {
                headers.push(("ETag".into(), etag));
            }
            if let Some(date) = last_modified {
                headers.push(("Last-Modified".into(), date));
            }
            if matches_etag || matches_date {
                stream.write_all(&head_bytes(304, &headers, 0)).await?;
            } else {
                stream
                    .write_all(&head_bytes(200, &headers, body.len()))
                    .await?;
                stream.write_all(&body).await?;
            }
        }
        Route::Drip { body, interval } => {
            stream
                .write_all(&head_bytes(
                    200,
                    &[("Content-Type".into(), "application/xml".into())],
                    body.len(),
                ))
                .await?;
            for byte in body {
                stream.write_all(&[byte]).await?;
                stream.flush().await?;
                tokio::time::sleep(interval).await;
            }
        }
        Route::ResetMidBody { sent, promised } => {
            stream
                .write_all(&head_bytes(
                    200,
                    &[("Content-Type".into(), "application/xml".into())],
                    promised,
                ))
                .await?;
            stream.write_all(&sent).await?;
            stream.flush().await?;
            // Dropping with SO_LINGER 0 sends RST instead of FIN; with a zero linger the drop cannot block,
            // which is what the deprecation warns about.
            #[allow(deprecated)]
            stream.set_linger(Some(Duration::ZERO))?;
            drop(stream);
            return Ok(());
        }
    }
    stream.shutdown().await
}

fn head_bytes(status: u16, headers: &[(String, String)], content_length: usize) -> Vec<u8> {
    let reason = match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };
    let mut out = format!("HTTP/1.1 {status} {reason}\r\n");
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str(&format!(
        "Content-Length: {content_length}\r\nConnection: close\r\n\r\n"
    ));
    out.into_bytes()
}

/// Maps a URL path to a file below `root` (a directory serves its `index.html`), refusing `..`.
async fn file_route(root: Option<&Path>, path: &str) -> Route {
    let Some(root) = root else {
        return Route::status(404);
    };
    let decoded = percent_decode(path);
    let relative = Path::new(decoded.trim_start_matches('/'));
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return Route::status(404);
    }
    let mut file = root.join(relative);
    if path.ends_with('/')
        || tokio::fs::metadata(&file)
            .await
            .map(|m| m.is_dir())
            .unwrap_or(false)
    {
        file.push("index.html");
    }
    match tokio::fs::read(&file).await {
        Ok(body) => Route::ok(content_type_for(&file), body),
        Err(_) => Route::status(404),
    }
}

fn content_type_for(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html" | "htm") => "text/html",
        Some("xml" | "rss" | "atom") => "application/xml",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut idx = 0;
    while idx < bytes.len() {
        if bytes[idx] == b'%'
            && idx + 2 < bytes.len()
            && let Ok(byte) = u8::from_str_radix(&path[idx + 1..idx + 3], 16)
        {
            out.push(byte);
            idx += 3;
            continue;
        }
        out.push(bytes[idx]);
        idx += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
