//! The command line as a user runs it: the xtask binary on the offline fixture site, into a temporary database.

use std::path::PathBuf;
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn xtask(db: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .env("NEWSWIRE_DB", db)
        .env_remove("RUST_LOG")
        .current_dir(root())
        .output()
        .expect("run xtask")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

const VOA: &str = "https://blogs.voa.example/2012/07/24/rights-groups-call-for-us-to-pressure-china-on-rights-abuses/";

#[test]
fn ingest_export_show_on_the_fixture_site() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    let feeds = [
        "fixtures/site/blogs.voa.example/feed.xml",
        "fixtures/site/wire.example/atom.xml",
    ];

    let out = xtask(&db, &["ingest", feeds[0], feeds[1]]);
    assert!(
        out.status.success(),
        "{}{}",
        stdout(&out),
        String::from_utf8_lossy(&out.stderr)
    );
    let text = stdout(&out);
    assert!(
        text.contains("blogs.voa.example/feed.xml (feed): 4 new, 0 updated, 0 unchanged, 0 failed"),
        "{text}"
    );
    assert!(
        text.contains("wire.example/atom.xml (feed): 5 new, 0 updated, 0 unchanged, 0 failed"),
        "{text}"
    );
    assert!(
        text.contains("total: 2 sources (0 failed), 9 new, 0 updated, 0 unchanged, 0 failed"),
        "{text}"
    );

    let again = xtask(&db, &["ingest", feeds[0], feeds[1]]);
    assert!(
        stdout(&again)
            .contains("total: 2 sources (0 failed), 0 new, 0 updated, 9 unchanged, 0 failed")
    );

    let export = xtask(&db, &["export"]);
    assert!(export.status.success());
    let lines: Vec<serde_json::Value> = stdout(&export)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(lines.len(), 9);
    let voa = lines
        .iter()
        .find(|d| d["url"] == VOA)
        .expect("the VOA dispatch is exported");
    assert_eq!(voa["published_at"], "2012-07-24T06:10:00-05:00");
    assert_eq!(
        voa["title"],
        "Rights Groups Call for US to Pressure China on Rights Abuses"
    );
    assert_eq!(voa["text"].as_str().unwrap().split("\n\n").count(), 12);
    assert!(voa["id"].as_str().unwrap().len() == 16);

    let since = xtask(
        &db,
        &[
            "export",
            "--since",
            "2012-07-24T11:10:00Z",
            "--until",
            "2012-07-24T11:10:01Z",
        ],
    );
    let urls: Vec<String> = stdout(&since)
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["url"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(urls, [VOA], "the range selects by instant");

    let show = xtask(&db, &["show", VOA]);
    assert!(show.status.success());
    let shown = stdout(&show);
    assert!(shown.contains("Rights Groups Call for US to Pressure China on Rights Abuses"));
    assert!(
        shown.contains("2012-07-24T06:10:00-05:00  (2012-07-24 11:10:00 UTC)"),
        "{shown}"
    );

    let missing = xtask(&db, &["show", "ffffffffffffffff"]);
    assert!(!missing.status.success());
    assert!(
        String::from_utf8_lossy(&missing.stderr)
            .contains("no dispatch with id or URL \"ffffffffffffffff\"")
    );
}

#[test]
fn exit_code_is_nonzero_only_when_nothing_is_ingested() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    let bad = xtask(
        &db,
        &[
            "ingest",
            "fixtures/site/broken.example/garbage.xml",
            "no/such/feed.xml",
        ],
    );
    assert_eq!(bad.status.code(), Some(1));
    let text = stdout(&bad);
    assert!(
        text.contains("FAILED  no/such/feed.xml: \"no/such/feed.xml\" is neither an http(s) URL nor an existing file"),
        "{text}"
    );
    assert!(
        text.contains("neither a feed nor an HTML page (binary data)"),
        "{text}"
    );

    let mixed = xtask(
        &db,
        &[
            "ingest",
            "fixtures/site/broken.example/garbage.xml",
            "fixtures/site/blogs.voa.example/feed.xml",
        ],
    );
    assert_eq!(mixed.status.code(), Some(0), "{}", stdout(&mixed));
}

#[test]
fn parse_a_saved_page_with_its_url() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("unused.db");
    let page = "fixtures/site/wire.example/us/2012-07-23-appeals-court-detention.html";
    let out = xtask(
        &db,
        &[
            "parse",
            page,
            "--url",
            "https://wire.example/us/2012-07-23-appeals-court-detention.html",
            "--json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        json["url"],
        "https://wire.example/us/2012-07-23-appeals-court-detention.html"
    );
    assert_eq!(json["published_at"], "2012-07-23T22:15:00-04:00");
    assert_eq!(
        json["authors"],
        serde_json::json!(["Ana Lima", "Tom Reyes"])
    );
    assert!(json["text"].as_str().unwrap().len() > 500);
    assert!(!db.exists(), "parse stores nothing");
}

#[test]
fn parse_a_feed_shows_its_metadata_and_every_entry() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("unused.db");
    let out = xtask(
        &db,
        &[
            "parse",
            "fixtures/site/blogs.voa.example/feed.xml",
            "--json",
            "--no-pages",
        ],
    );
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["kind"], "feed");
    assert_eq!(json["feed"]["title"], "Far Horizons News Blog");
    assert_eq!(json["items"].as_array().unwrap().len(), 4);
    assert_eq!(
        json["items"][0]["entry"]["title"],
        "Rights Groups Call for US to Pressure China on Rights Abuses"
    );
    assert_eq!(
        json["items"][0]["dispatch"]["title"],
        "Rights Groups Call for US to Pressure China on Rights Abuses"
    );
}

#[test]
fn sources_import_list_export_remove() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sources.db");
    let out = xtask(
        &db,
        &["sources", "import", "fixtures/opml/subscriptions.opml"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout(&out).contains("imported 4 feeds from fixtures/opml/subscriptions.opml: 4 added, 0 already registered, 0 skipped"),
        "{}",
        stdout(&out)
    );
    // Importing again adds nothing.
    let again = xtask(
        &db,
        &["sources", "import", "fixtures/opml/subscriptions.opml"],
    );
    assert!(
        stdout(&again).contains("0 added, 4 already registered"),
        "{}",
        stdout(&again)
    );

    let list = stdout(&xtask(&db, &["sources", "list"]));
    assert!(list.contains("never checked"), "{list}");
    assert!(
        list.contains("https://wire.example/atom.xml  (Wire Example & Partners)"),
        "{list}"
    );
    let json = stdout(&xtask(&db, &["sources", "list", "--json"]));
    let rows: Vec<serde_json::Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 4);
    let wire = rows
        .iter()
        .find(|r| r["url"] == "https://wire.example/atom.xml")
        .unwrap();
    assert_eq!(
        wire["categories"],
        serde_json::json!(["World", "Wires", "World/Asia"])
    );

    let opml = stdout(&xtask(&db, &["sources", "export"]));
    assert!(opml.contains("<opml version=\"2.0\">"), "{opml}");
    assert!(
        opml.contains("xmlUrl=\"https://labnotes.example/feed/\""),
        "{opml}"
    );
    assert!(
        opml.contains("category=\"/World,/Wires,/World/Asia\""),
        "{opml}"
    );

    let removed = xtask(
        &db,
        &["sources", "remove", "https://unfiled.example/index.xml"],
    );
    assert!(
        stdout(&removed).starts_with("removed "),
        "{}",
        stdout(&removed)
    );
    let missing = xtask(
        &db,
        &["sources", "remove", "https://unfiled.example/index.xml"],
    );
    assert!(!missing.status.success());
    assert!(stdout(&missing).contains("no such source"));
    let json = stdout(&xtask(&db, &["sources", "list", "--json"]));
    assert_eq!(json.lines().count(), 3);
}

#[test]
fn registered_sources_ingest_when_due() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("due.db");
    let out = xtask(
        &db,
        &["sources", "add", "fixtures/site/blogs.voa.example/feed.xml"],
    );
    assert!(
        out.status.success(),
        "{}{}",
        stdout(&out),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout(&out).starts_with("added   1 file://"),
        "{}",
        stdout(&out)
    );
    let exists = xtask(
        &db,
        &["sources", "add", "fixtures/site/blogs.voa.example/feed.xml"],
    );
    assert!(
        stdout(&exists).starts_with("exists  1 "),
        "{}",
        stdout(&exists)
    );

    let first = xtask(&db, &["ingest", "--due"]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(
        stdout(&first).contains("total: 1 sources due (0 failed, 0 not modified), 4 new"),
        "{}",
        stdout(&first)
    );
    // Checked just now: nothing is due.
    let second = xtask(&db, &["ingest", "--due"]);
    assert!(
        stdout(&second).contains("total: 0 sources due"),
        "{}",
        stdout(&second)
    );
    let list = stdout(&xtask(&db, &["sources", "list"]));
    assert!(list.contains("ok"), "{list}");
    let row = list.lines().find(|l| l.contains("feed.xml")).unwrap();
    assert!(
        row.split_whitespace().any(|w| w == "4"),
        "items counted: {row}"
    );
}

#[cfg(unix)]
#[test]
fn watch_stops_cleanly_on_sigterm() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("watch.db");
    let out = xtask(
        &db,
        &["sources", "add", "fixtures/site/wire.example/atom.xml"],
    );
    assert!(out.status.success());
    let mut child = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["watch", "--poll", "1"])
        .env("NEWSWIRE_DB", &db)
        .env_remove("RUST_LOG")
        .current_dir(root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout_pipe = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout_pipe)
            .lines()
            .map_while(Result::ok)
        {
            let _ = tx.send(line);
        }
    });
    let mut seen = Vec::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !seen.iter().any(|l: &String| l.contains("5 new")) {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => seen.push(line),
            Err(_) => {
                let _ = child.kill();
                panic!("watch did not ingest the source: {seen:?}");
            }
        }
    }
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    while let Ok(line) = rx.recv_timeout(std::time::Duration::from_secs(5)) {
        seen.push(line);
    }
    assert!(
        exit.success(),
        "watch exits 0 on SIGTERM: {exit:?} {seen:?}"
    );
    assert!(
        seen.iter()
            .any(|l| l.starts_with("stopped after 1 checks (0 failed), 5 new")),
        "{seen:?}"
    );
}

/// Issue 6: every change to a dispatch's text is kept as a revision; `history` lists them and diffs two.
#[test]
fn history_lists_revisions_and_diffs_words() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("history.db");
    let feed = dir.path().join("feed.xml");
    let url = "https://history.example/2024/council-budget";
    let write_feed = |description: &str| {
        let xml = format!(
            r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
  <title>History example</title>
  <link>https://history.example/</link>
  <description>A feed whose one item is edited.</description>
  <item>
    <title>Council votes on the budget</title>
    <link>{url}</link>
    <guid>{url}</guid>
    <pubDate>Mon, 01 Jul 2024 09:00:00 +0200</pubDate>
    <description>{description}</description>
  </item>
</channel></rss>
"#
        );
        std::fs::write(&feed, xml).unwrap();
    };
    let ingest = |expect: &str| {
        let out = xtask(&db, &["ingest", "--no-pages", feed.to_str().unwrap()]);
        assert!(
            out.status.success() && stdout(&out).contains(expect),
            "{}{}",
            stdout(&out),
            String::from_utf8_lossy(&out.stderr)
        );
    };
    write_feed("The city council approved the budget on Monday after a long debate.");
    ingest("1 new");
    write_feed("The city council rejected the budget on Tuesday after a long debate.");
    ingest("1 updated");

    let list = xtask(&db, &["history", url]);
    assert!(
        list.status.success(),
        "{}",
        String::from_utf8_lossy(&list.stderr)
    );
    let text = stdout(&list);
    assert!(text.contains("   revisions  2"), "{text}");
    assert!(
        text.contains("revision 1  ") && text.contains("12 words  first revision"),
        "{text}"
    );
    assert!(
        text.contains("revision 2  ") && text.contains("12 words  2 words added, 2 removed"),
        "{text}"
    );

    let diff = stdout(&xtask(&db, &["history", url, "--diff", "1..2"]));
    assert!(diff.contains("diff 1..2"), "{diff}");
    assert!(
        diff.contains("(unchanged) Council votes on the budget"),
        "{diff}"
    );
    assert!(
        diff.contains(
            "The city council [-approved-]{+rejected+} the budget on [-Monday-]{+Tuesday+} after a long debate."
        ),
        "{diff}"
    );

    let json: serde_json::Value =
        serde_json::from_str(&stdout(&xtask(&db, &["history", url, "--json"]))).unwrap();
    assert_eq!(json["revisions"].as_array().unwrap().len(), 2);
    assert_eq!(json["revisions"][1]["changes"]["words_added"], 2);
    assert_eq!(json["diff"]["from"], 1);
    assert_eq!(json["diff"]["to"], 2);
    assert_eq!(json["diff"]["text"]["changes"][1]["removed"], "approved");

    let out_of_range = xtask(&db, &["history", url, "--diff", "1..3"]);
    assert!(!out_of_range.status.success());
    let stderr = String::from_utf8_lossy(&out_of_range.stderr);
    assert!(
        stderr.contains("revision 3 is out of range: dispatch")
            && stderr.contains("has revisions 1..2"),
        "{stderr}"
    );
    let unknown = xtask(&db, &["history", "https://history.example/nope"]);
    assert!(!unknown.status.success());
    assert!(
        String::from_utf8_lossy(&unknown.stderr)
            .contains("no dispatch with id or URL \"https://history.example/nope\""),
        "{}",
        String::from_utf8_lossy(&unknown.stderr)
    );
}

/// Issue 6: `search` finds stored dispatches by their words, ranked, with marked snippets, filtered by time and
/// source; `--json` writes JSON Lines; `export` gives each dispatch's story.
#[test]
fn search_finds_the_voa_dispatch_with_a_marked_snippet() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    let feed = "fixtures/site/blogs.voa.example/feed.xml";
    let out = xtask(&db, &["ingest", feed]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = xtask(&db, &["search", "rights"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = stdout(&out);
    let at = text.find(VOA).expect("the VOA dispatch is a hit");
    let hit: Vec<&str> = text[..at].trim_end().lines().rev().take(2).collect();
    assert!(
        hit[1].ends_with(". 2012-07-24T06:10:00-05:00  blogs.voa.example"),
        "{text}"
    );
    assert_eq!(
        hit[0].trim(),
        "Rights Groups Call for US to Pressure China on Rights Abuses"
    );
    let snippet = text[at..].lines().nth(1).unwrap();
    assert!(
        snippet.contains("[rights]") || snippet.contains("[Rights]"),
        "{snippet}"
    );

    let json = xtask(&db, &["search", "rights", "--json"]);
    assert!(json.status.success());
    let hits: Vec<serde_json::Value> = stdout(&json)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    let voa = hits
        .iter()
        .find(|h| h["url"] == VOA)
        .expect("the VOA dispatch is a hit");
    assert_eq!(voa["published_at"], "2012-07-24T06:10:00-05:00");
    assert!(voa["snippet"].as_str().unwrap().contains("ights]"), "{voa}");
    assert!(voa["score"].as_f64().unwrap() > 0.0);
    assert_eq!(voa["story"], voa["id"]);
    assert_eq!(hits[0]["rank"], 1);

    let urls = |args: &[&str]| -> Vec<String> {
        let out = xtask(&db, &[&["search", "--json"][..], args].concat());
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        stdout(&out)
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["url"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect()
    };
    assert!(
        urls(&["rights", "--since", "2012-07-24", "--until", "2012-07-25"])
            .contains(&VOA.to_owned())
    );
    assert!(!urls(&["rights", "--since", "2012-07-24T11:10:01Z"]).contains(&VOA.to_owned()));
    assert!(urls(&["rights", "--source", "blogs.voa.example"]).contains(&VOA.to_owned()));
    assert!(urls(&["rights", "--source", feed]).contains(&VOA.to_owned()));
    assert!(urls(&["rights", "--source", "wire.example"]).is_empty());
    assert_eq!(urls(&["rights", "--limit", "1"]).len(), 1);
    for hostile in ["\"", "*", "NEAR(", "'; drop table dispatches; --"] {
        assert!(urls(&[hostile]).is_empty(), "{hostile}");
    }
    let bad = xtask(&db, &["search", "rights", "--since", "yesterday"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--since"));

    let export = xtask(&db, &["export"]);
    for line in stdout(&export).lines() {
        let d: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(
            d["story"].is_string(),
            "every stored dispatch has a story: {d}"
        );
    }
}
