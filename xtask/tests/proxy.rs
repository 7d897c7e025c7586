//! Proxies come from the usual environment variables: with `HTTP_PROXY` set, requests go to the proxy with the
//! absolute URL as the request target, and the address guard does not stand in the way of a proxy the user
//! configured.

use std::path::PathBuf;
use std::process::Command;

use newswire_testserver::{Route, TestServer};

#[test]
fn http_proxy_from_the_environment_is_used() {
    let proxy = TestServer::start(None).unwrap();
    // A proxy receives the absolute URL as the request target; the test server routes on it as a path.
    proxy.route(
        "http://news.example.test/feed.xml",
        Route::ok(
            "application/rss+xml",
            "<rss version=\"2.0\"><channel><title>Through the proxy</title>\
             <item><title>Proxied item</title><link>http://news.example.test/a</link>\
             <description>Carried by the proxy.</description></item></channel></rss>",
        ),
    );
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf();
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["parse", "http://news.example.test/feed.xml", "--no-pages"])
        .env("HTTP_PROXY", format!("http://{}", proxy.addr()))
        .env("http_proxy", format!("http://{}", proxy.addr()))
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("RUST_LOG")
        .current_dir(root)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("Through the proxy"), "{text}");
    assert!(text.contains("Proxied item"), "{text}");
    assert_eq!(proxy.hits("http://news.example.test/feed.xml"), 1);
}
