//! Data-driven tests of the feed parser: each case renders the parsed feed readably and compares it.

use std::fmt::Write as _;

use newswire_model::{Category, Entry, Feed, Person, TextType};

use super::{FeedError, FeedParser, entry_body, parse_feed};

const BASE: &str = "https://example.com/feeds/main.xml";

fn base() -> url::Url {
    url::Url::parse(BASE).unwrap()
}

fn parse(doc: &str) -> Feed {
    parse_bytes(doc.as_bytes())
}

fn parse_bytes(bytes: &[u8]) -> Feed {
    match parse_feed(bytes, &base(), None) {
        Ok(feed) => feed,
        Err(err) => panic!("parse failed: {err}"),
    }
}

/// Parses `doc` and compares the rendering with `expect` (both trimmed).
#[track_caller]
fn check(doc: &str, expect: &str) {
    check_feed(&parse(doc), expect);
}

#[track_caller]
fn check_feed(feed: &Feed, expect: &str) {
    let actual = render(feed);
    let (actual, expect) = (actual.trim(), expect.trim());
    if actual != expect {
        panic!("rendering differs\n--- expected\n{expect}\n--- actual\n{actual}\n---");
    }
}

/// Parses `doc` expecting an error, and compares its message.
#[track_caller]
fn check_err(doc: &[u8], expect: &str) {
    match parse_feed(doc, &base(), None) {
        Ok(feed) => panic!("expected an error, parsed:\n{}", render(&feed)),
        Err(err) => assert_eq!(err.to_string(), expect),
    }
}

/// One line per field that is set, in model order; entries and warnings as indented lists. Entry bodies
/// belong to `html::fragment_blocks` and are left out.
fn render(feed: &Feed) -> String {
    let mut out = String::new();
    let mut line = |indent: &str, key: &str, value: &dyn std::fmt::Display| {
        let _ = writeln!(out, "{indent}{key}: {value}");
    };
    if let Some(kind) = feed.kind {
        line(
            "",
            "kind",
            &serde_json::to_value(kind)
                .unwrap()
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    let fields = [
        ("version", &feed.version),
        ("title", &feed.title),
        ("title_html", &feed.title_html),
        ("link", &feed.link),
        ("description", &feed.description),
        ("description_html", &feed.description_html),
        ("language", &feed.language),
        ("updated", &feed.updated),
    ];
    for (key, value) in fields {
        if let Some(value) = value {
            line("", key, &show(value));
        }
    }
    if let Some(ttl) = feed.ttl_minutes {
        line("", "ttl_minutes", &ttl);
    }
    for (idx, entry) in feed.entries.iter().enumerate() {
        let _ = writeln!(out, "entry {idx}:");
        render_entry(entry, &mut out);
    }
    for warning in &feed.warnings {
        let _ = writeln!(out, "warning: {warning}");
    }
    out
}

fn render_entry(entry: &Entry, out: &mut String) {
    let mut line = |key: &str, value: &dyn std::fmt::Display| {
        let _ = writeln!(out, "  {key}: {value}");
    };
    if let Some(guid) = &entry.guid {
        let permalink = if entry.guid_is_permalink {
            " (permalink)"
        } else {
            ""
        };
        line("guid", &format!("{}{permalink}", show(guid)));
    }
    let fields = [
        ("link", &entry.link),
        ("title", &entry.title),
        ("title_html", &entry.title_html),
        ("summary_html", &entry.summary_html),
        ("content_html", &entry.content_html),
    ];
    for (key, value) in fields {
        if let Some(value) = value {
            line(key, &show(value));
        }
    }
    for person in &entry.authors {
        let mut s = show(&person.name);
        if let Some(email) = &person.email {
            let _ = write!(s, " <{email}>");
        }
        if let Some(uri) = &person.uri {
            let _ = write!(s, " [{uri}]");
        }
        line("author", &s);
    }
    let fields = [("published", &entry.published), ("updated", &entry.updated)];
    for (key, value) in fields {
        if let Some(value) = value {
            line(key, &show(value));
        }
    }
    if !entry.categories.is_empty() {
        line(
            "categories",
            &entry
                .categories
                .iter()
                .map(|c| {
                    let mut s = show(&c.term);
                    if let Some(scheme) = &c.scheme {
                        let _ = write!(s, " ({scheme})");
                    }
                    if let Some(label) = &c.label {
                        let _ = write!(s, " [{}]", show(label));
                    }
                    s
                })
                .collect::<Vec<_>>()
                .join(" | "),
        );
    }
    if let Some(language) = &entry.language {
        line("language", language);
    }
    if let Some(comments) = &entry.comments_url {
        line("comments_url", comments);
    }
    for enclosure in &entry.enclosures {
        let mut s = enclosure.url.clone();
        if let Some(mime) = &enclosure.mime_type {
            let _ = write!(s, " {mime}");
        }
        if let Some(length) = enclosure.length {
            let _ = write!(s, " {length}");
        }
        line("enclosure", &s);
    }
}

/// Strings as written, quoted only when they have surrounding or special whitespace.
fn show(s: &str) -> String {
    if s.is_empty() || s.trim() != s || s.contains(['\n', '\t', '\r', '\u{a0}']) {
        format!("{s:?}")
    } else {
        s.to_string()
    }
}

// ---------------------------------------------------------------------------------------------------------
// RSS 2.0

#[test]
fn rss2_basic() {
    check(
        r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>Desk &amp; Wire</title>
    <link>https://example.com/</link>
    <description>News from the desk</description>
    <language>en-us</language>
    <lastBuildDate>Tue, 24 Jul 2012 10:00:00 -0400</lastBuildDate>
    <ttl>15</ttl>
    <item>
      <title>Hello &amp; welcome</title>
      <link>/a/1</link>
      <guid isPermaLink="false">tag:example.com,2012:1</guid>
      <description><![CDATA[<p>Short <b>summary</b></p>]]></description>
      <content:encoded><![CDATA[<p>Full <a href="/x">text</a> <img src="img/1.jpg"></p>]]></content:encoded>
      <dc:creator><![CDATA[Jane Doe]]></dc:creator>
      <dc:date>2012-07-24T09:00:00-04:00</dc:date>
      <category>World</category>
      <category>Politics</category>
      <comments>/a/1#comments</comments>
      <enclosure url="/media/1.mp3" type="audio/mpeg" length="12345"/>
    </item>
    <item>
      <title>Second</title>
      <link>https://example.com/a/2</link>
      <pubDate>Tue, 24 Jul 2012 08:00:00 -0400</pubDate>
      <author>jane@example.com (Jane Doe)</author>
      <description>Plain text &amp;amp; more</description>
    </item>
  </channel>
</rss>"#,
        r#"
kind: rss
version: 2.0
title: Desk & Wire
link: https://example.com/
description: News from the desk
language: en-us
updated: Tue, 24 Jul 2012 10:00:00 -0400
ttl_minutes: 15
entry 0:
  guid: tag:example.com,2012:1
  link: https://example.com/a/1
  title: Hello & welcome
  summary_html: <p>Short <b>summary</b></p>
  content_html: <p>Full <a href="https://example.com/x">text</a> <img src="https://example.com/feeds/img/1.jpg"></p>
  author: Jane Doe
  published: 2012-07-24T09:00:00-04:00
  categories: World | Politics
  language: en-us
  comments_url: https://example.com/a/1#comments
  enclosure: https://example.com/media/1.mp3 audio/mpeg 12345
entry 1:
  link: https://example.com/a/2
  title: Second
  summary_html: Plain text &amp; more
  author: Jane Doe <jane@example.com>
  published: Tue, 24 Jul 2012 08:00:00 -0400
  language: en-us
"#,
    );
}

#[test]
fn rss_doc_example_link_resolved() {
    let xml = br#"<rss version="2.0"><channel><title>Desk</title>
  <item><title>Hello</title><link>/a/1</link></item></channel></rss>"#;
    let feed = parse_bytes(xml);
    assert_eq!(
        feed.entries[0].link.as_deref(),
        Some("https://example.com/a/1")
    );
}

// ---------------------------------------------------------------------------------------------------------
// Atom 1.0

#[test]
fn atom1_basic() {
    check(
        r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en" xml:base="https://example.org/blog/">
  <title type="text">Example Blog</title>
  <subtitle type="html">A &lt;em&gt;fine&lt;/em&gt; blog</subtitle>
  <link rel="self" href="/feed.atom"/>
  <link rel="alternate" type="text/html" href="./"/>
  <updated>2012-07-24T10:00:00Z</updated>
  <author><name>Feed Author</name><email>author@example.org</email></author>
  <id>urn:uuid:60a76c80-d399-11d9-b91C-0003939e0af6</id>
  <entry>
    <title type="html">A &amp;lt;b&amp;gt;bold&amp;lt;/b&amp;gt; move</title>
    <link href="posts/1"/>
    <link rel="enclosure" type="image/jpeg" length="999" href="img/1.jpg"/>
    <id>tag:example.org,2012:1</id>
    <published>2012-07-24T09:00:00-04:00</published>
    <updated>2012-07-24T10:00:00-04:00</updated>
    <summary>Plain &lt;summary&gt; text</summary>
    <content type="xhtml" xml:base="posts/">
      <div xmlns="http://www.w3.org/1999/xhtml"><p>Hello <a href="2">next</a></p></div>
    </content>
    <category term="tech" label="Technology"/>
  </entry>
  <entry xml:lang="fr">
    <title>Deux</title>
    <link rel="alternate" type="application/pdf" href="/2.pdf"/>
    <link rel="alternate" type="text/html" href="/2.html"/>
    <id>tag:example.org,2012:2</id>
    <author><name>Other Author</name><uri>/about</uri></author>
    <content type="html">&lt;p&gt;Bonjour &lt;img src="i.png"&gt;&lt;/p&gt;</content>
  </entry>
</feed>"#,
        r#"
kind: atom
version: 1.0
title: Example Blog
link: https://example.org/blog/
description: A fine blog
description_html: A <em>fine</em> blog
language: en
updated: 2012-07-24T10:00:00Z
entry 0:
  guid: tag:example.org,2012:1
  link: https://example.org/blog/posts/1
  title: A <b>bold</b> move
  title_html: A &lt;b&gt;bold&lt;/b&gt; move
  summary_html: Plain &lt;summary&gt; text
  content_html: <p>Hello <a href="https://example.org/blog/posts/2">next</a></p>
  author: Feed Author <author@example.org>
  published: 2012-07-24T09:00:00-04:00
  updated: 2012-07-24T10:00:00-04:00
  categories: tech [Technology]
  language: en
  enclosure: https://example.org/blog/img/1.jpg image/jpeg 999
entry 1:
  guid: tag:example.org,2012:2
  link: https://example.org/2.html
  title: Deux
  content_html: <p>Bonjour <img src="https://example.org/blog/i.png"></p>
  author: Other Author [https://example.org/about]
  language: fr
"#,
    );
}

// ---------------------------------------------------------------------------------------------------------
// Other formats

#[test]
fn rss091_and_no_version() {
    check(
        r#"<rss version="0.91"><channel><title>Old</title><link>http://old.example.com</link>
<item><title>One</title><link>http://old.example.com/1</link><description>First &lt;i&gt;item&lt;/i&gt;</description></item>
</channel></rss>"#,
        r#"
kind: rss
version: 0.91
title: Old
link: http://old.example.com
entry 0:
  link: http://old.example.com/1
  title: One
  summary_html: First <i>item</i>
"#,
    );
    check(
        r#"<rss><channel><title>No version</title><item><title>One</title></item></channel></rss>"#,
        r#"
kind: rss
title: No version
entry 0:
  title: One
"#,
    );
}

#[test]
fn rss090_rdf() {
    check(
        r#"<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/">
  <channel><title>Mozilla Dot Org</title><link>http://www.mozilla.org</link><description>the Mozilla Organization</description></channel>
  <image><title>Mozilla</title><url>http://www.mozilla.org/images/moz.gif</url><link>http://www.mozilla.org</link></image>
  <item><title>New Status Updates</title><link>http://www.mozilla.org/status/</link></item>
  <item><title>Bugzilla Reorganized</title><link>http://www.mozilla.org/bugs/</link></item>
</rdf:RDF>"#,
        r#"
kind: rdf
version: 0.90
title: Mozilla Dot Org
link: http://www.mozilla.org
description: the Mozilla Organization
entry 0:
  link: http://www.mozilla.org/status/
  title: New Status Updates
entry 1:
  link: http://www.mozilla.org/bugs/
  title: Bugzilla Reorganized
"#,
    );
}

#[test]
fn rss10_rdf() {
    check(
        r#"<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
  <channel rdf:about="http://example.com/rss">
    <title>RDF Desk</title><link>http://example.com/</link><description>Items live next to the channel</description>
    <dc:language>de</dc:language><dc:date>2012-07-24T10:00:00+02:00</dc:date>
    <sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>2</sy:updateFrequency>
    <items><rdf:Seq><rdf:li rdf:resource="http://example.com/1"/></rdf:Seq></items>
  </channel>
  <item rdf:about="http://example.com/1">
    <title>Eins</title><link>http://example.com/1</link>
    <description>Kurz</description><content:encoded>&lt;p&gt;Lang&lt;/p&gt;</content:encoded>
    <dc:creator>Erika Mustermann</dc:creator><dc:date>2012-07-24T09:00:00+02:00</dc:date>
    <dc:subject>Politik</dc:subject>
  </item>
  <textinput rdf:about="http://example.com/search"><title>Search</title><link>http://example.com/search</link></textinput>
</rdf:RDF>"#,
        r#"
kind: rdf
version: 1.0
title: RDF Desk
link: http://example.com/
description: Items live next to the channel
language: de
updated: 2012-07-24T10:00:00+02:00
ttl_minutes: 30
entry 0:
  guid: http://example.com/1
  link: http://example.com/1
  title: Eins
  summary_html: Kurz
  content_html: <p>Lang</p>
  author: Erika Mustermann
  published: 2012-07-24T09:00:00+02:00
  categories: Politik
  language: de
"#,
    );
}

#[test]
fn atom03() {
    check(
        r#"<?xml version="1.0" encoding="utf-8"?>
<feed version="0.3" xmlns="http://purl.org/atom/ns#" xml:lang="en">
  <title mode="escaped" type="text/html">Old &amp;amp; Atom</title>
  <tagline>Atom before 1.0</tagline>
  <copyright>(c) nobody</copyright>
  <link rel="alternate" type="text/html" href="http://example.org/"/>
  <modified>2003-12-13T18:30:02Z</modified>
  <author><name>Mark</name><url>http://example.org/mark</url></author>
  <entry>
    <title>Escaped</title>
    <link rel="alternate" type="text/html" href="http://example.org/2003/12/13/atom03"/>
    <id>tag:example.org,2003:3.2397</id>
    <issued>2003-12-13T08:29:29-04:00</issued>
    <modified>2003-12-13T18:30:02Z</modified>
    <created>2003-12-13T08:00:00-04:00</created>
    <summary type="text/plain">Plain summary</summary>
    <content type="text/html" mode="escaped">&lt;p&gt;Escaped &lt;b&gt;HTML&lt;/b&gt;&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Base64</title>
    <id>tag:example.org,2003:3.2398</id>
    <created>2003-12-14T08:00:00-04:00</created>
    <content type="text/html" mode="base64">PHA+QmFzZSA2NDwvcD4=</content>
  </entry>
  <entry>
    <title>Inline</title>
    <id>tag:example.org,2003:3.2399</id>
    <content type="application/xhtml+xml" mode="xml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Inline <em>XML</em></p></div></content>
  </entry>
</feed>"#,
        r#"
kind: atom03
version: 0.3
title: Old & Atom
title_html: Old &amp; Atom
link: http://example.org/
description: Atom before 1.0
language: en
updated: 2003-12-13T18:30:02Z
entry 0:
  guid: tag:example.org,2003:3.2397
  link: http://example.org/2003/12/13/atom03
  title: Escaped
  summary_html: Plain summary
  content_html: <p>Escaped <b>HTML</b></p>
  author: Mark [http://example.org/mark]
  published: 2003-12-13T08:29:29-04:00
  updated: 2003-12-13T18:30:02Z
  language: en
entry 1:
  guid: tag:example.org,2003:3.2398
  title: Base64
  content_html: <p>Base 64</p>
  author: Mark [http://example.org/mark]
  published: 2003-12-14T08:00:00-04:00
  language: en
entry 2:
  guid: tag:example.org,2003:3.2399
  title: Inline
  content_html: <div><p>Inline <em>XML</em></p></div>
  author: Mark [http://example.org/mark]
  language: en
"#,
    );
}

#[test]
fn json_feed_11() {
    check(
        r#"{
  "version": "https://jsonfeed.org/version/1.1",
  "title": "JSON Desk",
  "home_page_url": "https://example.com/",
  "feed_url": "https://example.com/feed.json",
  "description": "In JSON",
  "language": "en",
  "authors": [{"name": "Feed Person", "url": "/people/feed"}],
  "items": [
    {
      "id": "1",
      "url": "/posts/1",
      "title": "First",
      "content_html": "<p>Hello <a href=\"/x\">x</a></p>",
      "summary": "Hello & bye",
      "date_published": "2020-01-02T03:04:05+01:00",
      "date_modified": "2020-01-03T03:04:05+01:00",
      "tags": ["a", "b"],
      "attachments": [{"url": "/f.mp3", "mime_type": "audio/mpeg", "size_in_bytes": 1000}]
    },
    {
      "id": 2,
      "external_url": "https://elsewhere.example/story",
      "content_text": "Plain <text>",
      "authors": [{"name": "Item Person"}],
      "language": "fr"
    },
    "not an item"
  ]
}"#,
        r#"
kind: json
version: 1.1
title: JSON Desk
link: https://example.com/
description: In JSON
language: en
entry 0:
  guid: 1
  link: https://example.com/posts/1
  title: First
  summary_html: Hello &amp; bye
  content_html: <p>Hello <a href="https://example.com/x">x</a></p>
  author: Feed Person [https://example.com/people/feed]
  published: 2020-01-02T03:04:05+01:00
  updated: 2020-01-03T03:04:05+01:00
  categories: a | b
  language: en
  enclosure: https://example.com/f.mp3 audio/mpeg 1000
entry 1:
  guid: 2
  link: https://elsewhere.example/story
  content_html: Plain &lt;text&gt;
  author: Item Person
  language: fr
warning: item 3 is not an object; skipped
"#,
    );
}

#[test]
fn json_feed_10() {
    check(
        r#"{"version": "https://jsonfeed.org/version/1", "title": "Old JSON", "author": {"name": "Solo"},
           "items": [{"id": "https://example.com/p", "url": "https://example.com/p", "content_text": "Hi", "image": "/i.png"}]}"#,
        r#"
kind: json
version: 1.0
title: Old JSON
entry 0:
  guid: https://example.com/p (permalink)
  link: https://example.com/p
  content_html: Hi
  author: Solo
  enclosure: https://example.com/i.png
"#,
    );
}

// ---------------------------------------------------------------------------------------------------------
// Namespaces

#[test]
fn media_rss() {
    check(
        r#"<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Media</title>
<item>
  <title>Pictures</title><link>http://example.com/p</link>
  <media:group>
    <media:content url="/v/1.mp4" type="video/mp4" fileSize="2048"><media:title>Video one</media:title></media:content>
    <media:content url="/v/1.webm" type="video/webm"/>
    <media:thumbnail url="/t/1.jpg" width="100"/>
  </media:group>
  <media:credit role="author">Pat Photographer</media:credit>
  <media:description type="html">&lt;p&gt;Described&lt;/p&gt;</media:description>
</item>
<item>
  <media:title>Only a media title</media:title>
  <media:content url="http://cdn.example.com/a.jpg" medium="image"/>
  <media:thumbnail url="http://cdn.example.com/a.jpg"/>
</item>
</channel></rss>"#,
        r#"
kind: rss
version: 2.0
title: Media
entry 0:
  link: http://example.com/p
  title: Pictures
  summary_html: <p>Described</p>
  author: Pat Photographer
  enclosure: https://example.com/v/1.mp4 video/mp4 2048
  enclosure: https://example.com/v/1.webm video/webm
  enclosure: https://example.com/t/1.jpg
entry 1:
  title: Only a media title
  enclosure: http://cdn.example.com/a.jpg
"#,
    );
}

#[test]
fn itunes_slash_wfw_and_atom_in_rss() {
    check(
        r#"<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
  xmlns:slash="http://purl.org/rss/1.0/modules/slash/" xmlns:wfw="http://wellformedweb.org/CommentAPI/"
  xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
  <title>Pod</title>
  <atom:link rel="self" type="application/rss+xml" href="https://example.com/pod.xml"/>
  <link>https://example.com/pod</link>
  <itunes:summary>All about pods</itunes:summary>
  <item>
    <title>Episode 1</title>
    <guid>https://example.com/pod/1</guid>
    <itunes:author>Ann Host and Bob Guest</itunes:author>
    <itunes:summary>Episode summary</itunes:summary>
    <slash:comments>12</slash:comments>
    <wfw:commentRss>/pod/1/comments.rss</wfw:commentRss>
    <enclosure url="https://example.com/pod/1.mp3" length="not a number" type="audio/mpeg"/>
  </item>
  <item>
    <title>Episode 2</title>
    <atom:link href="https://example.com/pod/2"/>
    <atom:updated>2020-01-01T00:00:00Z</atom:updated>
  </item>
</channel></rss>"#,
        r#"
kind: rss
version: 2.0
title: Pod
link: https://example.com/pod
description: All about pods
entry 0:
  guid: https://example.com/pod/1 (permalink)
  link: https://example.com/pod/1
  title: Episode 1
  summary_html: Episode summary
  author: Ann Host
  author: Bob Guest
  comments_url: https://example.com/pod/1/comments.rss
  enclosure: https://example.com/pod/1.mp3 audio/mpeg
entry 1:
  link: https://example.com/pod/2
  title: Episode 2
  updated: 2020-01-01T00:00:00Z
"#,
    );
}

#[test]
fn sy_hints_and_ttl() {
    check(
        r#"<rss xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"><channel><title>T</title>
<sy:updatePeriod>daily</sy:updatePeriod></channel></rss>"#,
        r#"
kind: rss
title: T
ttl_minutes: 1440
"#,
    );
    check(
        r#"<rss xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"><channel><title>T</title><ttl>30</ttl>
<sy:updatePeriod>daily</sy:updatePeriod></channel></rss>"#,
        r##"
kind: rss
title: T
ttl_minutes: 30
"##,
    );
    check(
        r#"<rss><channel><title>T</title><ttl>soon</ttl></channel></rss>"#,
        r##"
kind: rss
title: T
warning: line 1: ttl "soon" is not a number of minutes; ignored
"##,
    );
}

#[test]
fn xml_base_nesting() {
    check(
        r##"<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://example.org/a/">
  <entry xml:base="b/">
    <link href="c"/>
    <content type="html" xml:base="d/">&lt;a href="e"&gt;e&lt;/a&gt; &lt;a href="/root"&gt;r&lt;/a&gt; &lt;a href="#frag"&gt;f&lt;/a&gt; &lt;a href="mailto:x@example.org"&gt;m&lt;/a&gt;</content>
    <link rel="enclosure" href="../up.mp3"/>
  </entry>
  <entry xml:base="http://other.example/x/">
    <link href="y"/>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p xml:base="deeper/"><img src="pic.png"/></p><a href='z?a=1&amp;b=2'>z</a></div></content>
  </entry>
  <entry><link href="plain"/></entry>
</feed>"##,
        r##"
kind: atom
version: 1.0
entry 0:
  link: http://example.org/a/b/c
  content_html: <a href="http://example.org/a/b/d/e">e</a> <a href="http://example.org/root">r</a> <a href="http://example.org/a/b/d/#frag">f</a> <a href="mailto:x@example.org">m</a>
  enclosure: http://example.org/a/up.mp3
entry 1:
  link: http://other.example/x/y
  content_html: <p><img src="http://other.example/x/deeper/pic.png"></p><a href="http://other.example/x/z?a=1&amp;b=2">z</a>
entry 2:
  link: http://example.org/a/plain
"##,
    );
}

#[test]
fn xml_lang_inheritance() {
    check(
        r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en-GB">
  <title>Lang</title>
  <entry><title>Inherited</title></entry>
  <entry xml:lang="de"><title>Own</title></entry>
  <entry xml:lang=""><title>Cleared</title></entry>
</feed>"#,
        r##"
kind: atom
version: 1.0
title: Lang
language: en-GB
entry 0:
  title: Inherited
  language: en-GB
entry 1:
  title: Own
  language: de
entry 2:
  title: Cleared
"##,
    );
    check(
        r#"<rss xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><language>pt-BR</language>
  <item><title>Feed language</title></item>
  <item><title>DC language</title><dc:language>es</dc:language></item>
</channel></rss>"#,
        r##"
kind: rss
language: pt-BR
entry 0:
  title: Feed language
  language: pt-BR
entry 1:
  title: DC language
  language: es
"##,
    );
}

#[test]
fn undeclared_prefixes_are_matched_by_name() {
    check(
        r#"<rss version="2.0"><channel><title>No xmlns</title>
<item><title>Story</title><dc:creator>Jane Doe</dc:creator><dc:date>2012-07-24</dc:date>
<content:encoded><![CDATA[<p>Body</p>]]></content:encoded></item></channel></rss>"#,
        r#"
kind: rss
version: 2.0
title: No xmlns
entry 0:
  title: Story
  content_html: <p>Body</p>
  author: Jane Doe
  published: 2012-07-24
warning: line 2: namespace prefix dc: is not declared; matched by its name
warning: line 3: namespace prefix content: is not declared; matched by its name
"#,
    );
}

#[test]
fn atom_without_namespace_and_uppercase_names() {
    check(
        r#"<feed><title>No namespace</title><entry><title>E</title><link href="/e"/><id>e1</id><updated>2020</updated></entry></feed>"#,
        r#"
kind: atom
title: No namespace
entry 0:
  guid: e1
  link: https://example.com/e
  title: E
  updated: 2020
"#,
    );
    check(
        r#"<RSS VERSION="2.0"><CHANNEL><TITLE>Shouting</TITLE><Item><Title>Loud</Title><Link>/loud</Link><PubDate>Mon, 01 Jan 2020 00:00:00 GMT</PubDate><GUID IsPermaLink="FALSE">x1</GUID></Item></CHANNEL></RSS>"#,
        r##"
kind: rss
version: 2.0
title: Shouting
entry 0:
  guid: x1
  link: https://example.com/loud
  title: Loud
  published: Mon, 01 Jan 2020 00:00:00 GMT
"##,
    );
}

#[test]
fn namespace_variants() {
    // Wrong-case URI, https scheme, and an unknown URI under a well-known prefix.
    check(
        r#"<rss xmlns:DC="HTTP://PURL.ORG/DC/ELEMENTS/1.1/" xmlns:media="https://search.yahoo.com/mrss"
  xmlns:content="http://example.com/not-the-content-module"><channel>
<item><title>V</title><DC:creator>Upper Prefix</DC:creator><media:thumbnail url="/t.jpg"/><content:encoded>&lt;p&gt;c&lt;/p&gt;</content:encoded></item>
</channel></rss>"#,
        r#"
kind: rss
entry 0:
  title: V
  content_html: <p>c</p>
  author: Upper Prefix
  enclosure: https://example.com/t.jpg
"#,
    );
}

// ---------------------------------------------------------------------------------------------------------
// Text constructs

#[test]
fn markup_constructs_also_come_as_html() {
    let feed = parse(
        r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://example.com/a/">
<title type="html">&lt;script&gt;x()&lt;/script&gt;Safe &lt;b onclick="y()"&gt;title&lt;/b&gt;</title>
<rights type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><a href="terms">Terms</a></div></rights>
<entry><title type="html"><![CDATA[<img src="t.png">]]></title><rights>All mine</rights></entry>
<entry><title type="html" mode="base64">PGk+QmFzZTwvaT4gNjQ=</title></entry>
</feed>"#,
    );
    // Sanitized like content: scripts go with their text, handlers go, URLs resolve.
    assert_eq!(feed.title_html.as_deref(), Some("Safe <b>title</b>"));
    assert_eq!(
        feed.rights_html.as_deref(),
        Some(r#"<a href="https://example.com/a/terms">Terms</a>"#)
    );
    assert_eq!(feed.rights.as_deref(), Some("Terms"));
    // Markup without text is no title; text rights have no HTML form.
    assert_eq!(feed.entries[0].title, None);
    assert_eq!(feed.entries[0].title_html, None);
    assert_eq!(feed.entries[0].rights.as_deref(), Some("All mine"));
    assert_eq!(feed.entries[0].rights_html, None);
    assert_eq!(feed.entries[1].title.as_deref(), Some("Base 64"));
    assert_eq!(
        feed.entries[1].title_html.as_deref(),
        Some("<i>Base</i> 64")
    );
}

#[test]
fn itunes_explicit_and_block_values() {
    use super::entry::{itunes_block, itunes_explicit};
    for (value, expect) in [
        ("yes", Some(true)),
        (" TRUE ", Some(true)),
        ("explicit", Some(true)),
        ("No", Some(false)),
        ("false", Some(false)),
        ("clean", Some(false)),
        ("", None),
        ("sometimes", None),
    ] {
        assert_eq!(itunes_explicit(value), expect, "{value:?}");
    }
    assert!(itunes_block(Some(" Yes\n")));
    assert!(!itunes_block(Some("true")));
    assert!(!itunes_block(None));
}

#[test]
fn titles_are_plain_text() {
    check(
        r#"<rss><channel>
<item><title>A &lt;b&gt;bold&lt;/b&gt; move</title></item>
<item><title>A &amp;lt;b&amp;gt;bold&amp;lt;/b&amp;gt; move</title></item>
<item><title><![CDATA[CDATA <em>title</em> &amp; more]]></title></item>
<item><title>x &lt; y and y > z</title></item>
<item><title>Vector&lt;int&gt; in C++</title></item>
<item><title>Inline <b>child</b> element</title></item>
<item><title>   spaced
   out   </title></item>
<item><title>AT&amp;T &amp;amp; friends</title></item>
</channel></rss>"#,
        r##"
kind: rss
entry 0:
  title: A bold move
  title_html: A <b>bold</b> move
entry 1:
  title: A <b>bold</b> move
entry 2:
  title: CDATA title & more
  title_html: CDATA <em>title</em> &amp; more
entry 3:
  title: x < y and y > z
entry 4:
  title: Vector<int> in C++
entry 5:
  title: Inline child element
entry 6:
  title: spaced out
entry 7:
  title: AT&T & friends
"##,
    );
}

#[test]
fn atom_text_types() {
    check(
        r#"<feed xmlns="http://www.w3.org/2005/Atom">
<entry><title type="text">Less &lt;than&gt; text</title>
  <summary type="text">1 &lt; 2 &amp; 3</summary>
  <content type="html">&lt;p&gt;html&lt;/p&gt;</content></entry>
<entry><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">X<em>HTML</em> title</div></title>
  <summary type="xhtml"><xhtml:div xmlns:xhtml="http://www.w3.org/1999/xhtml"><xhtml:p>Prefixed</xhtml:p> &amp; escaped &lt;</xhtml:div></summary>
  <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>One</p><br/><p>Two</p></div></content></entry>
<entry><title>Text content</title><content type="text">Line &amp; &lt;tag&gt;</content></entry>
<entry><title>Other type</title><content type="image/png">iVBORw0KGgo=</content><content src="/out-of-line.html"/></entry>
</feed>"#,
        r##"
kind: atom
version: 1.0
entry 0:
  title: Less <than> text
  summary_html: 1 &lt; 2 &amp; 3
  content_html: <p>html</p>
entry 1:
  title: XHTML title
  title_html: X<em>HTML</em> title
  summary_html: <p>Prefixed</p> &amp; escaped &lt;
  content_html: <p>One</p><br><p>Two</p>
entry 2:
  title: Text content
  content_html: Line &amp; &lt;tag&gt;
entry 3:
  link: https://example.com/out-of-line.html
  title: Other type
"##,
    );
}

#[test]
fn rss_description_forms() {
    check(
        r#"<rss><channel>
<item><title>1</title><description>Plain text, Q&amp;A with x &lt; y</description></item>
<item><title>2</title><description>&lt;p&gt;Escaped &lt;a href="/rel"&gt;html&lt;/a&gt;&lt;/p&gt;</description></item>
<item><title>3</title><description><p>Unescaped <a href="rel2">inline</a> html<br>with br</p></description></item>
<item><title>4</title><description><![CDATA[CDATA with bare & and <b>tags</b>]]></description></item>
<item><title>5</title><description>   </description></item>
</channel></rss>"#,
        r##"
kind: rss
entry 0:
  title: 1
  summary_html: Plain text, Q&amp;A with x &lt; y
entry 1:
  title: 2
  summary_html: <p>Escaped <a href="https://example.com/rel">html</a></p>
entry 2:
  title: 3
  summary_html: <p>Unescaped <a href="https://example.com/feeds/rel2">inline</a> html<br>with br</p>
entry 3:
  title: 4
  summary_html: CDATA with bare &amp; and <b>tags</b>
entry 4:
  title: 5
"##,
    );
}

// ---------------------------------------------------------------------------------------------------------
// Identity, authors, dates

#[test]
fn guid_and_link_rules() {
    check(
        r#"<rss><channel>
<item><title>Permalink guid</title><guid>https://example.com/p/1</guid></item>
<item><title>Default permalink, not a URL</title><guid>12345</guid></item>
<item><title>Not permalink</title><guid isPermaLink="false">https://example.com/p/3</guid></item>
<item><title>Link wins</title><link>/p/4</link><guid>https://example.com/p/4-guid</guid></item>
<item><title>Whitespace</title><link>
   https://example.com/p/5
</link><guid>  g5  </guid></item>
</channel></rss>"#,
        r##"
kind: rss
entry 0:
  guid: https://example.com/p/1 (permalink)
  link: https://example.com/p/1
  title: Permalink guid
entry 1:
  guid: 12345 (permalink)
  title: Default permalink, not a URL
entry 2:
  guid: https://example.com/p/3
  title: Not permalink
entry 3:
  guid: https://example.com/p/4-guid (permalink)
  link: https://example.com/p/4
  title: Link wins
entry 4:
  guid: g5 (permalink)
  link: https://example.com/p/5
  title: Whitespace
"##,
    );
    check(
        r#"<feed xmlns="http://www.w3.org/2005/Atom">
<entry><id>https://example.com/atom/1</id><title>Atom id is not a link</title></entry>
<entry><title>Links</title><link rel="related" href="/rel"/><link rel="self" href="/self"/><link href="/norel"/><link rel="alternate" type="text/html" href="/html"/><link rel="replies" type="text/html" href="/comments"/></entry>
<entry><title>No type</title><link rel="alternate" type="application/atom+xml" href="/atom"/><link rel="alternate" href="/first"/><link rel="http://www.iana.org/assignments/relation/alternate" href="/second"/></entry>
</feed>"#,
        r##"
kind: atom
version: 1.0
entry 0:
  guid: https://example.com/atom/1
  title: Atom id is not a link
entry 1:
  link: https://example.com/html
  title: Links
  comments_url: https://example.com/comments
entry 2:
  link: https://example.com/first
  title: No type
"##,
    );
}

#[test]
fn author_forms() {
    check(
        r#"<rss xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<item><title>1</title><author>jane@example.com (Jane Doe)</author></item>
<item><title>2</title><author>Jane Doe &lt;jane@example.com&gt;</author></item>
<item><title>3</title><author>jane@example.com</author></item>
<item><title>4</title><author>Jane Doe</author></item>
<item><title>5</title><dc:creator>Ann One, Bob Two and Cy Three</dc:creator></item>
<item><title>6</title><dc:creator>Doe, Jane</dc:creator></item>
<item><title>7</title><dc:creator><![CDATA[By Jane Doe]]></dc:creator><dc:creator>John Roe</dc:creator><dc:creator>Jane Doe</dc:creator></item>
<item><title>8</title><dc:creator>Ann One; Bob Two</dc:creator><author>ignored@example.com (Not Fallback)</author></item>
</channel></rss>"#,
        r##"
kind: rss
entry 0:
  title: 1
  author: Jane Doe <jane@example.com>
entry 1:
  title: 2
  author: Jane Doe <jane@example.com>
entry 2:
  title: 3
  author: jane@example.com <jane@example.com>
entry 3:
  title: 4
  author: Jane Doe
entry 4:
  title: 5
  author: Ann One
  author: Bob Two
  author: Cy Three
entry 5:
  title: 6
  author: Doe, Jane
entry 6:
  title: 7
  author: Jane Doe
  author: John Roe
entry 7:
  title: 8
  author: Ann One
  author: Bob Two
  author: Not Fallback <ignored@example.com>
"##,
    );
}

#[test]
fn atom_author_inheritance() {
    check(
        r#"<feed xmlns="http://www.w3.org/2005/Atom">
<author><name>Feed Level</name></author>
<entry><title>Inherits</title></entry>
<entry><title>Own</title><author><name>Own Author</name><email>own@example.com</email><uri>https://own.example</uri></author><contributor><name>Helper</name></contributor></entry>
<entry><title>Email only</title><author><email>only@example.com</email></author></entry>
</feed>"#,
        r##"
kind: atom
version: 1.0
entry 0:
  title: Inherits
  author: Feed Level
entry 1:
  title: Own
  author: Own Author <own@example.com> [https://own.example]
entry 2:
  title: Email only
  author: only@example.com <only@example.com>
"##,
    );
}

#[test]
fn dates_are_raw() {
    check(
        r#"<rss xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"><channel>
<pubDate>  Mon, 02 Jan 2006 15:04:05 MST </pubDate>
<item><title>1</title><pubDate>
  yesterday-ish, not a date
</pubDate><dc:date>2006-01-01</dc:date><dcterms:modified>2006-01-03</dcterms:modified></item>
<item><title>2</title><dc:date>2006-01-01T00:00:00Z</dc:date></item>
<item><title>3</title><dcterms:issued>2006-01-04</dcterms:issued></item>
</channel></rss>"#,
        r##"
kind: rss
updated: Mon, 02 Jan 2006 15:04:05 MST
entry 0:
  title: 1
  published: yesterday-ish, not a date
  updated: 2006-01-03
entry 1:
  title: 2
  published: 2006-01-01T00:00:00Z
entry 2:
  title: 3
  published: 2006-01-04
"##,
    );
}

// ---------------------------------------------------------------------------------------------------------
// Liberal parsing: each defect is recovered and reported

#[test]
fn undefined_html_entities() {
    check(
        r#"<rss><channel><item><title>caf&eacute;&nbsp;&rsquo;s &hellip; &mdash; &euro;5 &copy;</title>
<description>&lt;p&gt;x&amp;nbsp;y&lt;/p&gt;</description></item></channel></rss>"#,
        r##"
kind: rss
entry 0:
  title: "café\u{a0}’s … — €5 ©"
  summary_html: <p>x&nbsp;y</p>
warning: line 1: undefined entity &eacute; taken as U+00E9
warning: line 1: undefined entity &nbsp; taken as U+00A0
warning: line 1: undefined entity &rsquo; taken as U+2019
warning: line 1: undefined entity &hellip; taken as U+2026
warning: line 1: undefined entity &mdash; taken as U+2014
warning: line 1: undefined entity &euro; taken as U+20AC
warning: line 1: undefined entity &copy; taken as U+00A9
"##,
    );
}

#[test]
fn unknown_entities_and_bare_ampersands() {
    check(
        r#"<rss><channel><item><title>Tom & Jerry &bogus; AT&T; R&D</title>
<link>http://example.com/?a=1&b=2</link><description>Q&A & more</description></item>
<item><title>Next item survives</title></item></channel></rss>"#,
        r##"
kind: rss
entry 0:
  link: http://example.com/?a=1&b=2
  title: Tom & Jerry &bogus; AT&T; R&D
  summary_html: Q&amp;A &amp; more
entry 1:
  title: Next item survives
warning: line 1: bare '&' taken literally
warning: line 1: unknown entity &bogus; kept as text
warning: line 1: unknown entity &T; kept as text
warning: line 1: bare '&' taken literally
warning: line 2: bare '&' taken literally
warning: line 2: bare '&' taken literally
warning: line 2: bare '&' taken literally
"##,
    );
}

#[test]
fn numeric_character_references() {
    check(
        r#"<rss><channel><item><title>&#8220;Quoted&#8221; &#x2019; &#146;s &#0; &#xD800; &#99999999;</title></item></channel></rss>"#,
        r##"
kind: rss
entry 0:
  title: “Quoted” ’ ’s � � �
warning: line 1: character reference &#146; taken as U+2019
warning: line 1: character reference &#0; taken as U+FFFD
warning: line 1: character reference &#xD800; taken as U+FFFD
warning: line 1: character reference &#99999999; taken as U+FFFD
"##,
    );
}

#[test]
fn unescaped_less_than() {
    check(
        r#"<rss><channel>
<item><title>5 < 10 and 3<4</title><description>a <= b, c << d</description></item>
<item><title>x<y</title></item>
<item><title>a <- arrow</title></item>
</channel></rss>"#,
        r##"
kind: rss
entry 0:
  title: 5 < 10 and 3<4
  summary_html: a &lt;= b, c &lt;&lt; d
entry 1:
  title: x<y
entry 2:
  title: a <- arrow
warning: line 2: '<' that does not start a tag taken as text
warning: line 2: '<' that does not start a tag taken as text
warning: line 2: '<' that does not start a tag taken as text
warning: line 2: '<' that does not start a tag taken as text
warning: line 2: '<' that does not start a tag taken as text
warning: line 3: '<' that does not start a tag taken as text
warning: line 4: '<' that does not start a tag taken as text
"##,
    );
}

#[test]
fn unclosed_and_mismatched_tags() {
    check(
        r#"<rss><channel><title>Broken</title>
<item><title>Unclosed title<link>http://example.com/1</link><pubDate>Mon, 01 Jan 2020</item>
<item><title>Misspelled end</titel><link>http://example.com/2</link></item>
<item><title>Unclosed item</title><link>http://example.com/3</link>
<item><title>After unclosed item</title><description><p>para<b>bold</description></item>
<item><title>Stray end</title></bogus></item>
</channel></rss>"#,
        r##"
kind: rss
title: Broken
entry 0:
  link: http://example.com/1
  title: Unclosed title
  published: Mon, 01 Jan 2020
entry 1:
  link: http://example.com/2
  title: Misspelled end
entry 2:
  link: http://example.com/3
  title: Unclosed item
entry 3:
  title: After unclosed item
  summary_html: <p>para<b>bold</b></p>
entry 4:
  title: Stray end
warning: line 2: <title> not closed before <link>; closed there
warning: line 2: <pubDate> not closed before </item>; closed there
warning: line 3: stray </titel> ignored
warning: line 3: <title> not closed before <link>; closed there
warning: line 5: <item> not closed before <item>; closed there
warning: line 5: <b> not closed before </description>; closed there
warning: line 6: stray </bogus> ignored
"##,
    );
}

#[test]
fn unclosed_channel_children_do_not_hide_items() {
    check(
        r#"<rss><channel><title>Feed<image><url>http://example.com/logo.png</url>
<item><title>Inside unclosed image</title></item>
</channel></rss>"#,
        r##"
kind: rss
title: Feed
entry 0:
  title: Inside unclosed image
warning: line 1: <title> not closed before <image>; closed there
warning: line 3: <image> not closed before </channel>; closed there
"##,
    );
}

#[test]
fn junk_before_root() {
    check(
        "\u{feff}\n\n   <?xml version=\"1.0\"?>\n<rss><channel><title>BOM and space</title></channel></rss>",
        r##"
kind: rss
title: BOM and space
"##,
    );
    check(
        "<br />\n<b>Warning</b>:  Cannot modify header information in <b>/var/www/feed.php</b> on line <b>3</b><br />\n<?xml version=\"1.0\"?><rss><channel><title>After PHP junk</title><item><title>ok</title></item></channel></rss>",
        r##"
kind: rss
title: After PHP junk
entry 0:
  title: ok
warning: line 3: junk before the root element ignored (starting with <br>)
"##,
    );
    check(
        "garbage text\n<?xml version=\"1.0\"?><rss><channel><title>After text junk</title></channel></rss>",
        r##"
kind: rss
title: After text junk
warning: line 2: text before the root element ignored
"##,
    );
}

#[test]
fn stray_root_end_does_not_lose_items() {
    check(
        r#"<rss><channel><item><title>One</title></item></channel></rss>
<item><title>Two, after the root</title></item>"#,
        r##"
kind: rss
entry 0:
  title: One
entry 1:
  title: Two, after the root
warning: line 2: <item> after the end of the root element read anyway
"##,
    );
}

#[test]
fn truncated_documents() {
    let doc = r#"<rss><channel><title>T</title><item><title>One</title><link>/1</link></item><item><title>Two</title><link>/2</link></item><item><title>Three, cut"#;
    check(
        doc,
        r##"
kind: rss
title: T
entry 0:
  link: https://example.com/1
  title: One
entry 1:
  link: https://example.com/2
  title: Two
entry 2:
  title: Three, cut
warning: line 1: document ends inside <title>: truncated, open elements closed
warning: line 1: entry 3 is cut off by the end of the document; kept incomplete
"##,
    );
    // Cut before the partial entry has a title or link: dropped.
    check(
        r#"<rss><channel><item><title>One</title></item><item><description>no title yet"#,
        r##"
kind: rss
entry 0:
  title: One
warning: line 1: document ends inside <description>: truncated, open elements closed
warning: line 1: entry 2 is cut off by the end of the document before its title or link; dropped
"##,
    );
    // Cut inside a tag.
    check(
        r#"<rss><channel><item><title>One</title></item><item><title>Two</title></ite"#,
        r##"
kind: rss
entry 0:
  title: One
entry 1:
  title: Two
warning: line 1: markup cut off at the end of the document (syntax error: tag not closed: `>` not found before end of input)
warning: line 1: document ends inside <item>: truncated, open elements closed
warning: line 1: entry 2 is cut off by the end of the document; kept incomplete
"##,
    );
    // Cut inside CDATA.
    check(
        r#"<rss><channel><item><title>One</title><description><![CDATA[<p>cut"#,
        r##"
kind: rss
entry 0:
  title: One
  summary_html: <p>cut</p>
warning: line 1: unclosed CDATA section runs to the end of the document
warning: line 1: document ends inside <description>: truncated, open elements closed
warning: line 1: entry 1 is cut off by the end of the document; kept incomplete
"##,
    );
}

#[test]
fn malformed_markup_is_skipped() {
    check(
        r#"<rss><channel>
<item><title>Bad attribute quote</title><link>/1</link><enclosure url="/x.mp3 type="audio/mpeg"/></item>
<item><title>Bang junk <!bogus> ok</title></item>
<item><!-- a comment --><title>Comment and <?php echo "pi"; ?> PI</title></item>
</channel></rss>"#,
        r##"
kind: rss
entry 0:
  link: https://example.com/1
  title: Bad attribute quote
entry 1:
  title: Bang junk ok
entry 2:
  title: Comment and PI
warning: line 2: malformed markup skipped (syntax error: attribute value not closed: `"` not found before end of input)
warning: line 3: malformed markup skipped (syntax error: unknown or missed symbol in markup)
"##,
    );
}

#[test]
fn doctype_entities() {
    check(
        r#"<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd" [
  <!ENTITY company "Example &#38; Co">
  <!ENTITY ext SYSTEM "file:///etc/passwd">
  <!ENTITY % param "ignored">
]>
<rss version="0.91"><channel><title>&company; news</title><item><title>&ext;</title></item></channel></rss>"#,
        r##"
kind: rss
version: 0.91
title: Example & Co news
entry 0:
  title: &ext;
warning: line 2: external entity &ext; not loaded
warning: line 2: parameter entity declaration ignored
warning: line 7: unknown entity &ext; kept as text
"##,
    );
}

#[test]
fn billion_laughs_costs_nothing() {
    let doc = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss><channel><item><title>&lol9; &lol;</title></item></channel></rss>"#;
    let start = std::time::Instant::now();
    let feed = parse(doc);
    assert!(start.elapsed() < std::time::Duration::from_secs(1));
    check_feed(
        &feed,
        r##"
kind: rss
entry 0:
  title: &lol9; lol
warning: line 2: entity &lol3; refers to an undefined or recursive entity or grows too large; not expanded
warning: line 2: entity &lol9; refers to an undefined or recursive entity or grows too large; not expanded
warning: line 9: unknown entity &lol9; kept as text
"##,
    );
}

#[test]
fn utf16_and_declared_charsets() {
    let doc = r#"<?xml version="1.0" encoding="UTF-16"?><rss><channel><title>Zwölf Boxkämpfer</title><item><title>naïve – “quoted”</title></item></channel></rss>"#;
    let utf16le: Vec<u8> = doc.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let with_bom: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(utf16le.iter().copied())
        .collect();
    let utf16be: Vec<u8> = doc.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let expect = r##"
kind: rss
title: Zwölf Boxkämpfer
entry 0:
  title: naïve – “quoted”
"##;
    check_feed(&parse_bytes(&with_bom), expect);
    check_feed(&parse_bytes(&utf16le), expect);
    check_feed(&parse_bytes(&utf16be), expect);
    // ISO-8859-1 declared and used.
    let latin1 = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><channel><title>Caf\xe9</title></channel></rss>";
    check_feed(
        &parse_bytes(latin1),
        r##"
kind: rss
title: Café
"##,
    );
}

// ---------------------------------------------------------------------------------------------------------
// Limits

#[test]
fn many_items_are_capped() {
    let mut doc = String::from("<rss><channel><title>Big</title>");
    for i in 0..50_000 {
        let _ = write!(
            doc,
            "<item><title>Item {i}</title><link>/i/{i}</link></item>"
        );
    }
    doc.push_str("</channel></rss>");
    let start = std::time::Instant::now();
    let feed = parse(&doc);
    let elapsed = start.elapsed();
    assert_eq!(feed.entries.len(), FeedParser::DEFAULT_MAX_ENTRIES);
    assert_eq!(feed.entries[9_999].title.as_deref(), Some("Item 9999"));
    assert_eq!(
        feed.warnings,
        ["line 1: more than 10000 entries; the rest are skipped"]
    );
    assert!(
        elapsed < std::time::Duration::from_secs(10),
        "took {elapsed:?}"
    );

    let feed = FeedParser::new()
        .max_entries(3)
        .parse(doc.as_bytes(), &base(), None)
        .unwrap();
    assert_eq!(feed.entries.len(), 3);
}

#[test]
fn deep_nesting_is_bounded() {
    let depth = 100_000;
    let mut doc = String::from("<rss><channel><item><title>Deep</title><description>");
    doc.push_str(&"<div>".repeat(depth));
    doc.push_str("core");
    doc.push_str(&"</div>".repeat(depth));
    doc.push_str("</description></item><item><title>After</title></item></channel></rss>");
    let feed = FeedParser::new()
        .max_depth(64)
        .parse(doc.as_bytes(), &base(), None)
        .unwrap();
    let titles: Vec<_> = feed
        .entries
        .iter()
        .map(|e| e.title.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(titles, ["Deep", "After"]);
    assert!(
        feed.entries[0]
            .summary_html
            .as_deref()
            .unwrap()
            .contains("core")
    );
    assert!(
        feed.warnings[0].contains("nested deeper than 64 levels"),
        "{:?}",
        feed.warnings
    );
    // The default limit copes too, without blowing the stack.
    let feed = parse(&doc);
    assert_eq!(feed.entries.len(), 2);
}

#[test]
fn warnings_are_capped() {
    let doc = format!(
        "<rss><channel><item><title>{}</title></item></channel></rss>",
        "&nbsp;".repeat(1000)
    );
    let feed = parse(&doc);
    assert_eq!(feed.warnings.len(), 101);
    assert_eq!(feed.warnings[100], "900 more warnings not shown");
}

#[test]
fn pathological_markup_is_linear() {
    // Each of these would be quadratic with naive recovery.
    let n = 200_000;
    let docs = [
        format!(
            "<rss><channel><item><title>{}</title></item></channel></rss>",
            "<a".repeat(n)
        ),
        format!(
            "<rss><channel><item><title>{}</title></item></channel></rss>",
            "<a x=\"".repeat(n)
        ),
        format!(
            "<rss><channel><item><title>{}</title></item></channel></rss>",
            "</x>".repeat(n)
        ),
        format!("<rss><channel>{}</channel></rss>", "<item>".repeat(n)),
        format!("<rss>{}", "<!--".repeat(n)),
        format!("<rss>{}", "&".repeat(n)),
        format!("<rss>{}", "<".repeat(n)),
    ];
    for doc in &docs {
        let start = std::time::Instant::now();
        let _ = parse_feed(doc.as_bytes(), &base(), None);
        let elapsed = start.elapsed();
        assert!(
            elapsed < std::time::Duration::from_secs(5),
            "{:?}... took {elapsed:?}",
            &doc[..40]
        );
    }
}

// ---------------------------------------------------------------------------------------------------------
// Errors

#[test]
fn errors_for_non_feeds() {
    check_err(b"", "expected a feed, found an empty document");
    check_err(b"  \n\t ", "expected a feed, found an empty document");
    check_err(
        b"<!DOCTYPE html><html><head><title>Hi</title></head><body>page</body></html>",
        "document is an HTML page, not a feed",
    );
    check_err(
        b"<html lang=\"en\"><body>page</body></html>",
        "document is an HTML page, not a feed",
    );
    check_err(
        b"<?xml version=\"1.0\"?><note><to>Tove</to></note>",
        "root element <note> is not rss, rdf:RDF or feed",
    );
    check_err(
        b"<?xml version=\"1.0\"?><!-- nothing -->",
        "expected a root element rss, rdf:RDF or feed, found none",
    );
    check_err(
        b"Hello, this is plain text.",
        "expected an XML or JSON feed, found text starting with \"Hello, this is plain text.\"",
    );
    check_err(b"{\"items\": [", "expected a JSON feed, found invalid JSON");
    check_err(
        b"{\"name\": \"not a feed\"}",
        "expected a JSON feed object with \"items\", found an object without \"items\"",
    );
    check_err(
        b"[1, 2]",
        "expected an XML or JSON feed, found text starting with \"[1, 2]\"",
    );
}

#[test]
fn error_is_send_sync_static() {
    fn assert_traits<T: Send + Sync + 'static + std::error::Error>() {}
    assert_traits::<FeedError>();
}

#[test]
fn feed_inside_a_wrapper_is_found() {
    check(
        r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><rss><channel><title>Wrapped</title></channel></rss></soap:Body></soap:Envelope>"#,
        r##"
kind: rss
title: Wrapped
warning: line 1: feed <rss> found inside <soap:Envelope>; the wrapper is ignored
"##,
    );
}

#[test]
fn entry_body_comes_from_content_or_summary() {
    let doc = r#"<rss xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<item><description>Summary only</description></item>
<item><description>Summary</description><content:encoded>&lt;p&gt;Content wins&lt;/p&gt;</content:encoded></item>
<item><title>Nothing</title></item></channel></rss>"#;
    let texts = |feed: &Feed| -> Vec<String> {
        feed.entries
            .iter()
            .map(|e| {
                e.body
                    .iter()
                    .map(|b| b.text.as_str())
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .collect()
    };
    let parser = FeedParser::new().body_blocks(true);
    let full = parser.parse(doc.as_bytes(), &base(), None).unwrap();
    assert_eq!(texts(&full), ["Summary only", "Content wins", ""]);
    assert_eq!(parse_streamed(doc, &parser), full);
    // Unless asked, the parser leaves the blocks out, and `entry_body` makes the same ones.
    let lean = parse(doc);
    assert_eq!(texts(&lean), ["", "", ""]);
    for (lean, full) in lean.entries.iter().zip(&full.entries) {
        assert_eq!(entry_body(lean), full.body);
    }
    // JSON Feed alike.
    let json = br#"{"version": "https://jsonfeed.org/version/1.1", "items": [
        {"id": "1", "content_html": "<p>One</p><p>Two</p>"}, {"id": "2", "content_text": "Plain"}]}"#;
    let full = parser.parse(json, &base(), None).unwrap();
    assert_eq!(texts(&full), ["One/Two", "Plain"]);
    let lean = parse_bytes(json);
    assert_eq!(texts(&lean), ["", ""]);
    for (lean, full) in lean.entries.iter().zip(&full.entries) {
        assert_eq!(entry_body(lean), full.body);
    }
}

// ---------------------------------------------------------------------------------------------------------
// Robustness: arbitrary input never panics, and damage never loses the entries before it

/// A valid feed with varied constructs, and for each entry its title and the byte offset where it ends.
fn sample_feed(atom: bool) -> (String, Vec<(String, usize)>) {
    let mut doc = String::new();
    let mut ends = Vec::new();
    if atom {
        doc.push_str("<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"http://example.org/\"><title>S</title>\n");
    } else {
        doc.push_str("<?xml version=\"1.0\"?>\n<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><title>S</title>\n");
    }
    for i in 0..8 {
        let title = format!("Item {i} A&amp;B");
        if atom {
            let _ = writeln!(
                doc,
                "<entry><title type=\"html\">{title}</title><link href=\"/e/{i}\"/><id>tag:x,{i}</id><author><name>N{i}</name></author><content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Body <b>{i}</b></p></div></content></entry>"
            );
        } else {
            let _ = writeln!(
                doc,
                "<item><title>{title}</title><link>/i/{i}</link><dc:creator>Jane {i}</dc:creator><description><![CDATA[<p>D {i} &amp; more</p>]]></description><content:encoded>&lt;p&gt;C {i}&lt;/p&gt;</content:encoded><pubDate>2020-01-0{i}</pubDate></item>"
            );
        }
        ends.push((format!("Item {i} A&B"), doc.len() - 1));
    }
    doc.push_str(if atom {
        "</feed>\n"
    } else {
        "</channel></rss>\n"
    });
    (doc, ends)
}

/// Asserts the entries of `feed` start with every sample entry that ends before `damage_at`.
fn assert_kept(feed: &Feed, ends: &[(String, usize)], damage_at: usize) {
    let intact: Vec<&str> = ends
        .iter()
        .filter(|(_, end)| *end <= damage_at)
        .map(|(t, _)| t.as_str())
        .collect();
    let got: Vec<&str> = feed
        .entries
        .iter()
        .take(intact.len())
        .map(|e| e.title.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(got, intact, "damage at {damage_at}");
}

proptest::proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
        let _ = parse_feed(&bytes, &base(), None);
    }

    #[test]
    fn arbitrary_markup_never_panics(s in "[<>/!?&;#a-z =\"'\\[\\]CDAT-]{0,300}") {
        let _ = parse_feed(format!("<rss><channel><item>{s}").as_bytes(), &base(), None);
        let _ = parse_feed(format!("<feed>{s}</feed>").as_bytes(), &base(), None);
    }

    #[test]
    fn truncation_keeps_earlier_entries(cut in 0usize..2000, atom in proptest::bool::ANY) {
        let (doc, ends) = sample_feed(atom);
        let cut = cut.min(doc.len());
        if let Ok(feed) = parse_feed(&doc.as_bytes()[..cut], &base(), None) {
            assert_kept(&feed, &ends, cut);
        }
    }

    #[test]
    fn byte_flips_keep_earlier_entries(at in 0usize..2000, byte in proptest::num::u8::ANY, atom in proptest::bool::ANY) {
        let (doc, ends) = sample_feed(atom);
        let mut bytes = doc.into_bytes();
        let at = at.min(bytes.len() - 1);
        bytes[at] = byte;
        if let Ok(feed) = parse_feed(&bytes, &base(), None) {
            assert_kept(&feed, &ends, at);
        }
    }
}

#[test]
fn sample_feeds_parse_completely() {
    for atom in [false, true] {
        let (doc, ends) = sample_feed(atom);
        let feed = parse(&doc);
        assert_kept(&feed, &ends, doc.len());
        assert_eq!(feed.entries.len(), 8);
        assert!(feed.warnings.is_empty(), "{:?}", feed.warnings);
    }
}

/// Found by `byte_flips_keep_earlier_entries`: a multi-byte character at byte 2 of a `dc:creator`.
#[test]
fn regression_creator_with_multibyte_char() {
    check(
        "<rss xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel><item><title>T</title><dc:creator>Ja€e 3</dc:creator><dc:creator>By Jo</dc:creator></item></channel></rss>",
        r##"
kind: rss
entry 0:
  title: T
  author: Ja€e 3
  author: Jo
"##,
    );
}

// ---------------------------------------------------------------------------------------------------------
// Sanitizing content HTML

/// The `content_html` of the only entry of an RSS item whose `content:encoded` is `html`.
fn content_of(html: &str) -> Option<String> {
    let mut escaped = String::new();
    super::text::escape_html_into(html, &mut escaped);
    let doc = format!(
        r#"<rss xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><item><title>T</title><content:encoded>{escaped}</content:encoded></item></channel></rss>"#
    );
    parse(&doc).entries.remove(0).content_html
}

#[test]
fn sanitize_removes_script_and_style_with_content() {
    assert_eq!(
        content_of("<p>Hi</p><script>alert(1)</script><style>p { color: red }</style><p>there</p>")
            .as_deref(),
        Some("<p>Hi</p><p>there</p>")
    );
    assert_eq!(
        content_of(r#"<p>a<iframe src="https://evil.example/">x</iframe><object data="x.swf"><p>fb</p></object><embed src="x.swf">b</p>"#)
            .as_deref(),
        Some("<p>ab</p>")
    );
    // A form is unwrapped: its text stays, its controls go.
    assert_eq!(
        content_of(
            r#"<form action="https://evil.example/"><p>Sign in</p><input name="pw"></form>"#
        )
        .as_deref(),
        Some("<p>Sign in</p>")
    );
    // `noscript` content is raw text to the HTML parser: it goes, rather than showing as markup.
    assert_eq!(
        content_of(r#"<p>a<noscript><img src="https://news.example/i.png"></noscript></p>"#)
            .as_deref(),
        Some("<p>a</p>")
    );
    // Only script: nothing left.
    assert_eq!(content_of("<script>alert(1)</script>"), None);
}

#[test]
fn sanitize_removes_event_handlers_and_styles() {
    assert_eq!(
        content_of(r#"<p onclick="evil()" style="position:fixed" id="x"><a href="https://news.example/a" onmouseover="evil()">a</a><img src="https://news.example/i.png" onerror="evil()"></p>"#)
            .as_deref(),
        Some(r#"<p><a href="https://news.example/a">a</a><img src="https://news.example/i.png"></p>"#)
    );
}

#[test]
fn sanitize_removes_script_urls() {
    assert_eq!(
        content_of(r#"<a href="javascript:alert(1)">a</a> <a href=" JavaScript:alert(1)">b</a> <a href="vbscript:msgbox(1)">c</a> <a href="java&#x09;script:alert(1)">d</a>"#)
            .as_deref(),
        Some("<a>a</a> <a>b</a> <a>c</a> <a>d</a>")
    );
    assert_eq!(
        content_of(r#"<a href="data:text/html,<script>alert(1)</script>">a</a><img src="data:image/svg+xml,<svg/>"><img src="data:image/png;base64,iVBORw0KGgo=" alt="dot">"#)
            .as_deref(),
        Some(r#"<a>a</a><img><img src="data:image/png;base64,iVBORw0KGgo=" alt="dot">"#)
    );
}

#[test]
fn sanitize_keeps_article_markup() {
    let html = concat!(
        r#"<h2 class="kicker">Head</h2><p lang="fr">Un <em>e</em> <strong>s</strong> <b>b</b> <i>i</i> <u>u</u> "#,
        r#"<a href="https://news.example/a" title="A">link</a> <q>q</q> <cite>c</cite> <sup>1</sup><sub>2</sub> "#,
        r#"<abbr title="Associated Press">AP</abbr> <time datetime="2024-03-01">March 1</time> <span>s</span><br></p>"#,
        r#"<blockquote><p>Quote</p></blockquote><ul><li>one</li></ul><ol start="3"><li>three</li></ol>"#,
        r#"<pre><code>let x = 1;</code></pre><hr>"#,
        r#"<figure><img src="https://news.example/p.jpg" alt="Photo" title="P" width="640" height="480"><figcaption>Cap</figcaption></figure>"#,
        r#"<table><caption>T</caption><thead><tr><th scope="col">h</th></tr></thead><tbody><tr><td colspan="2">d</td></tr></tbody></table>"#,
        r#"<div><h1>1</h1><h3>3</h3><h4>4</h4><h5>5</h5><h6>6</h6></div>"#,
    );
    assert_eq!(content_of(html).as_deref(), Some(html));
}

#[test]
fn sanitize_adds_no_rel_and_resolves_first() {
    // Relative URLs are resolved before sanitizing, and links get no `rel` added.
    assert_eq!(
        content_of(r#"<a href="/a">a</a> <img src="i.png"> <a href="">empty</a>"#).as_deref(),
        Some(
            r#"<a href="https://example.com/a">a</a> <img src="https://example.com/feeds/i.png"> <a href="">empty</a>"#
        )
    );
}

#[test]
fn sanitize_applies_to_summaries_xhtml_and_json() {
    let feed = parse(
        r#"<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>T</title>
<summary type="html">&lt;b onclick="x()"&gt;s&lt;/b&gt;&lt;script&gt;x()&lt;/script&gt;</summary>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p onclick="x()">c<script>x()</script></p></div></content>
</entry></feed>"#,
    );
    let entry = &feed.entries[0];
    assert_eq!(entry.summary_html.as_deref(), Some("<b>s</b>"));
    assert_eq!(entry.content_html.as_deref(), Some("<p>c</p>"));
    let json = parse(
        r#"{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1", "content_html": "<p onclick=\"x()\">j</p><script>x()</script><a href=\"javascript:x()\">l</a>"}]}"#,
    );
    assert_eq!(
        json.entries[0].content_html.as_deref(),
        Some("<p>j</p><a>l</a>")
    );
    // Feed descriptions are reduced to text after sanitizing: script text does not leak into them.
    let rss = parse(
        r#"<rss><channel><title>T</title><description>&lt;p&gt;About&lt;/p&gt;&lt;script&gt;evil()&lt;/script&gt;</description></channel></rss>"#,
    );
    assert_eq!(rss.description.as_deref(), Some("About"));
}

// ---------------------------------------------------------------------------------------------------------
// Entities, characters and attributes

#[test]
fn legacy_entities_without_semicolon() {
    let feed = parse(
        "<rss><channel><item><title>a&nbsp b &amp c &copy 2024 &COPY d &notify &copy2024 AT&T</title></item></channel></rss>",
    );
    assert_eq!(
        feed.entries[0].title.as_deref(),
        Some("a\u{a0} b & c \u{a9} 2024 \u{a9} d &notify &copy2024 AT&T")
    );
    let legacy = feed
        .warnings
        .iter()
        .filter(|w| w.contains("without ';'"))
        .count();
    assert_eq!(legacy, 4, "{:?}", feed.warnings);
    assert!(
        feed.warnings
            .iter()
            .any(|w| w.ends_with("entity &nbsp without ';' taken as U+00A0")),
        "{:?}",
        feed.warnings
    );
}

#[test]
fn nested_internal_entities_expand() {
    let feed = parse(
        r#"<!DOCTYPE rss [
<!ENTITY full "&first; &amp; &org;&#33;">
<!ENTITY first "Acme">
<!ENTITY org "News">
<!ENTITY loop "&loop;">
<!ENTITY ext SYSTEM "https://evil.example/x">
]>
<rss><channel><item><title>&full; &loop;</title></item></channel></rss>"#,
    );
    assert_eq!(
        feed.entries[0].title.as_deref(),
        Some("Acme & News! &loop;")
    );
    assert!(feed.warnings.iter().any(|w| w.contains("entity &loop;")));
    assert!(feed.warnings.iter().any(|w| w.contains("&ext; not loaded")));
}

#[test]
fn entity_expansion_is_capped_per_document() {
    let value = "x".repeat(1000);
    let refs = "&big;".repeat(100);
    let doc = format!(
        r#"<!DOCTYPE rss [<!ENTITY big "{value}">]><rss><channel><item><title>{refs}</title></item></channel></rss>"#
    );
    let feed = parse(&doc);
    let title = feed.entries[0].title.as_deref().unwrap_or_default();
    // 65 expansions of 1000 bytes fit in 64 KiB; the other 35 references stay as written.
    assert_eq!(title.matches(&value).count(), 65);
    assert_eq!(title.matches("&big;").count(), 35);
    let capped = feed
        .warnings
        .iter()
        .filter(|w| w.contains("more than 64 KiB"))
        .count();
    assert_eq!(capped, 1, "{:?}", feed.warnings);
}

#[test]
fn control_characters_dropped_from_text() {
    let feed = parse(
        "<rss><channel><item><title>N\u{0}U\u{1}L\u{b}L\u{ffff}\tok</title><description><![CDATA[c\u{0}d]]></description></item></channel></rss>",
    );
    assert_eq!(feed.entries[0].title.as_deref(), Some("NULL ok"));
    assert_eq!(feed.entries[0].summary_html.as_deref(), Some("cd"));
    let warned = feed
        .warnings
        .iter()
        .filter(|w| w.contains("control characters"))
        .count();
    assert_eq!(warned, 1, "{:?}", feed.warnings);
}

#[test]
fn unquoted_attributes_warned() {
    let feed = parse(
        r#"<rss><channel><item><title>A</title><enclosure url=https://news.example/a.mp3 length=5 type=audio/mpeg /></item><item><guid isPermaLink>x</guid><title>B</title></item></channel></rss>"#,
    );
    assert_eq!(feed.entries.len(), 2);
    assert_eq!(
        feed.entries[0].enclosures[0].url,
        "https://news.example/a.mp3"
    );
    assert!(
        feed.warnings.iter().any(|w| w.ends_with(
            "unquoted attribute value url=https://news.example/a.mp3 on <enclosure> accepted"
        )),
        "{:?}",
        feed.warnings
    );
    assert!(
        feed.warnings
            .iter()
            .any(|w| w
                .ends_with("attribute isPermaLink of <guid> has no quoted value; taken as empty")),
        "{:?}",
        feed.warnings
    );
}

#[test]
fn relative_permalink_guid_as_link() {
    let feed = parse(
        r#"<rss><channel><item><guid>/p/9</guid></item><item><guid>p/9</guid></item><item><guid>https://news.example/p/1</guid></item><item><guid isPermaLink="false">/p/2</guid></item><item><guid>/p/3</guid><link>https://news.example/3</link></item></channel></rss>"#,
    );
    let links: Vec<Option<&str>> = feed.entries.iter().map(|e| e.link.as_deref()).collect();
    assert_eq!(
        links,
        [
            Some("https://example.com/p/9"),
            None,
            Some("https://news.example/p/1"),
            None,
            Some("https://news.example/3"),
        ]
    );
}

#[test]
fn json_feed_without_version_warns() {
    let feed = parse(r#"{"items": [{"id": "1", "title": "T"}]}"#);
    assert_eq!(feed.entries.len(), 1);
    assert_eq!(
        feed.warnings,
        ["JSON feed has no \"version\"; read as JSON Feed 1.1"]
    );
}

/// Streams `doc`, returning the feed (entries put back in) as `parse_each` hands them over.
fn parse_streamed(doc: &str, parser: &FeedParser) -> Feed {
    let mut entries = Vec::new();
    let mut feed = parser
        .parse_each(doc.as_bytes(), &base(), None, |e| entries.push(e))
        .unwrap_or_else(|e| panic!("parse failed: {e}"));
    assert!(feed.entries.is_empty(), "parse_each returns no entries");
    feed.entries = entries;
    feed
}

#[test]
fn streaming_json_items_inherit_what_precedes_them() {
    // Authors and language before `items` are inherited while streaming; after, only when collecting.
    let before = r#"{"version": "https://jsonfeed.org/version/1.1", "language": "fr",
        "authors": [{"name": "Desk"}], "items": [{"id": "1", "title": "Un"}, {"id": "2", "authors": [{"name": "Own"}]}]}"#;
    let streamed = parse_streamed(before, &FeedParser::new());
    assert_eq!(streamed, parse(before));
    assert_eq!(streamed.entries[0].authors[0].name, "Desk");
    assert_eq!(streamed.entries[0].language.as_deref(), Some("fr"));
    assert_eq!(streamed.entries[1].authors[0].name, "Own");

    let after = r#"{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1"}],
        "language": "fr", "authors": [{"name": "Desk"}]}"#;
    let streamed = parse_streamed(after, &FeedParser::new());
    let collected = parse(after);
    assert!(streamed.entries[0].authors.is_empty());
    assert_eq!(streamed.entries[0].language, None);
    assert_eq!(collected.entries[0].authors[0].name, "Desk");
    assert_eq!(collected.entries[0].language.as_deref(), Some("fr"));
    assert_eq!(streamed.authors, collected.authors);
    assert_eq!(streamed.language, collected.language);
}

#[test]
fn streaming_json_caps_skips_and_reports_like_collecting() {
    let doc = r#"{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1"}, 7, {"id": "2"}, {"id": "3"}],
        "title": "Capped", "items": [{"id": "9"}]} trailing"#;
    let parser = FeedParser::new().max_entries(2).body_blocks(true);
    let streamed = parse_streamed(doc, &parser);
    let collected = parser.parse(doc.as_bytes(), &base(), None).unwrap();
    assert_eq!(streamed, collected);
    let ids: Vec<_> = collected
        .entries
        .iter()
        .map(|e| e.guid.as_deref())
        .collect();
    assert_eq!(ids, [Some("1"), Some("2")]);
    assert_eq!(collected.title.as_deref(), Some("Capped"));
    for expected in [
        "text after the JSON document ignored",
        "item 2 is not an object; skipped",
        "more than 2 entries; the rest are skipped",
        "a second \"items\" member is ignored",
    ] {
        assert!(
            collected.warnings.iter().any(|w| w == expected),
            "{expected:?} in {:?}",
            collected.warnings
        );
    }
}

#[test]
fn streaming_json_reports_errors_after_the_items_before_them() {
    let doc = r#"{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1"}, {"id": "2"}, {"id": "#;
    let mut seen = Vec::new();
    let result = FeedParser::new().parse_each(doc.as_bytes(), &base(), None, |e| seen.push(e.guid));
    assert!(matches!(result, Err(FeedError::Json { .. })), "{result:?}");
    assert_eq!(seen, [Some("1".to_string()), Some("2".to_string())]);
    assert!(matches!(
        parse_feed(doc.as_bytes(), &base(), None),
        Err(FeedError::Json { .. })
    ));
    for (doc, found) in [
        ("{\"title\": 1}", "an object without \"items\""),
        ("{\"items\": {\"id\": 1}}", "an object without \"items\""),
    ] {
        match FeedParser::new().parse_each(doc.as_bytes(), &base(), None, |_| panic!("no entry")) {
            Err(FeedError::NotJsonFeed { found: f }) => assert_eq!(f, found),
            other => panic!("{doc}: {other:?}"),
        }
    }
}

#[test]
fn streaming_xml_caps_and_inherits_like_collecting() {
    let doc = r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de"><title>T</title><author><name>Desk</name></author>
        <entry><id>1</id><content type="html">&lt;p&gt;Eins&lt;/p&gt;</content></entry>
        <entry><id>2</id><author><name>Own</name></author></entry><entry><id>3</id></entry></feed>"#;
    let parser = FeedParser::new().max_entries(2).body_blocks(true);
    let streamed = parse_streamed(doc, &parser);
    assert_eq!(
        streamed,
        parser.parse(doc.as_bytes(), &base(), None).unwrap()
    );
    assert_eq!(streamed.entries.len(), 2);
    assert_eq!(streamed.entries[0].authors[0].name, "Desk");
    assert_eq!(streamed.entries[0].language.as_deref(), Some("de"));
    assert_eq!(streamed.entries[0].body[0].text, "Eins");
    assert_eq!(streamed.entries[1].authors[0].name, "Own");
    assert!(
        streamed
            .warnings
            .iter()
            .any(|w| w.contains("more than 2 entries"))
    );
}

// ---------------------------------------------------------------------------------------------------------
// Categories with their schemes and labels

fn category(term: &str, scheme: Option<&str>, label: Option<&str>) -> Category {
    Category {
        term: term.into(),
        scheme: scheme.map(Into::into),
        label: label.map(Into::into),
    }
}

#[test]
fn categories_keep_scheme_and_label() {
    let feed = parse(
        r#"<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"
              xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:atom="http://www.w3.org/2005/Atom">
        <channel><title>T</title>
          <category domain=" urn:desk ">Front</category>
          <itunes:category text="News"><itunes:category text="Politics"/></itunes:category>
          <item><title>A</title>
            <category domain="https://tags.example/">Rates</category>
            <atom:category term="eu" scheme="urn:regions" label="European Union"/>
            <media:category label="Finance">business/markets</media:category>
            <media:category scheme="urn:iptc">04000000</media:category>
            <atom:category label="No term"/>
            <atom:category term="  "/>
          </item>
        </channel></rss>"#,
    );
    let itunes = Some("http://www.itunes.com/");
    assert_eq!(
        feed.categories,
        [
            category("Front", Some("urn:desk"), None),
            category("News", itunes, None),
            category("Politics", itunes, None),
        ]
    );
    let podcast = parse(
        r#"<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>
          <title>T</title><itunes:category text="Technology"/>
          <itunes:keywords>Technology, gadgets</itunes:keywords>
        </channel></rss>"#,
    );
    // A keyword that is already a category's term is not repeated without the scheme.
    assert_eq!(
        podcast.categories,
        [
            category("Technology", itunes, None),
            category("gadgets", None, None)
        ]
    );
    let media = Some("http://search.yahoo.com/mrss/category_schema");
    assert_eq!(
        feed.entries[0].categories,
        [
            category("Rates", Some("https://tags.example/"), None),
            category("eu", Some("urn:regions"), Some("European Union")),
            category("business/markets", media, Some("Finance")),
            category("04000000", Some("urn:iptc"), None),
            category("No term", None, Some("No term")),
        ]
    );
}

#[test]
fn categories_repeat_only_in_another_scheme() {
    let feed = parse(
        r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
          <entry><title>A</title>
            <category term="rates"/>
            <category term="rates" label="Interest rates"/>
            <category term="rates" scheme="urn:a"/>
            <category term="rates" scheme="urn:a" label="Rates (A)"/>
            <category term="rates" scheme="urn:b"/>
            <source><category term="origin" scheme="urn:s" label="Origin"/></source>
          </entry></feed>"#,
    );
    let entry = &feed.entries[0];
    assert_eq!(
        entry.categories,
        [
            category("rates", None, Some("Interest rates")),
            category("rates", Some("urn:a"), Some("Rates (A)")),
            category("rates", Some("urn:b"), None),
        ]
    );
    let source = entry.source.as_deref().map(|s| s.categories.clone());
    assert_eq!(
        source,
        Some(vec![category("origin", Some("urn:s"), Some("Origin"))])
    );
}

// ---------------------------------------------------------------------------------------------------------
// Publishers

fn person(name: &str, email: Option<&str>) -> Person {
    Person {
        name: name.into(),
        email: email.map(Into::into),
        uri: None,
    }
}

#[test]
fn publisher_prefers_dc_then_itunes_owner_then_webmaster() {
    let rss = |head: &str| {
        parse(&format!(
            r#"<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
                  xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
            <channel><title>T</title>{head}
              <item><title>A</title><dc:publisher>Item Press</dc:publisher></item>
              <item><title>B</title></item>
            </channel></rss>"#
        ))
    };
    let webmaster = "<webMaster>web@press.example (Web Desk)</webMaster>";
    let owner = "<itunes:owner><itunes:name>Pod Owner</itunes:name>\
                 <itunes:email>owner@press.example</itunes:email></itunes:owner>";
    let dc = "<dc:publisher>Press Group</dc:publisher>";
    let feed = rss(webmaster);
    assert_eq!(
        feed.publisher,
        Some(person("Web Desk", Some("web@press.example")))
    );
    // Not an author of the feed or of its entries.
    assert!(feed.authors.is_empty());
    assert!(feed.entries[1].authors.is_empty());
    let feed = rss(&format!("{webmaster}{owner}"));
    assert_eq!(
        feed.publisher,
        Some(person("Pod Owner", Some("owner@press.example")))
    );
    let feed = rss(&format!("{webmaster}{dc}{owner}"));
    assert_eq!(feed.publisher, Some(person("Press Group", None)));
    // An entry names its own publisher only; it does not inherit the feed's.
    assert_eq!(
        feed.entries[0].publisher,
        Some(Box::new(person("Item Press", None)))
    );
    assert_eq!(feed.entries[1].publisher, None);
}

// ---------------------------------------------------------------------------------------------------------
// More dates, as written

#[test]
fn feed_published_and_created_dates() {
    let feed = parse(
        r#"<rss version="2.0" xmlns:dcterms="http://purl.org/dc/terms/"><channel><title>T</title>
          <pubDate>Mon, 06 May 2024 07:00:00 GMT</pubDate>
          <lastBuildDate>Mon, 06 May 2024 09:30:00 GMT</lastBuildDate>
          <dcterms:created>2019-01-01</dcterms:created>
          <dcterms:valid>start=2024-05-01;end=2024-12-31</dcterms:valid>
        </channel></rss>"#,
    );
    assert_eq!(
        feed.published.as_deref(),
        Some("Mon, 06 May 2024 07:00:00 GMT")
    );
    assert_eq!(
        feed.updated.as_deref(),
        Some("Mon, 06 May 2024 09:30:00 GMT")
    );
    assert_eq!(feed.created.as_deref(), Some("2019-01-01"));
    assert_eq!(feed.valid_start.as_deref(), Some("2024-05-01"));
    assert_eq!(feed.valid_end.as_deref(), Some("2024-12-31"));
    let feed = parse(
        r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
              xmlns:dcterms="http://purl.org/dc/terms/">
          <channel><title>T</title><dcterms:issued>2024-05-06T07:00:00Z</dcterms:issued></channel>
        </rdf:RDF>"#,
    );
    assert_eq!(feed.published.as_deref(), Some("2024-05-06T07:00:00Z"));
    assert_eq!(feed.updated, None);
}

#[test]
fn entry_created_expires_and_valid_period() {
    let feed = parse(
        r#"<rss version="2.0" xmlns:dcterms="http://purl.org/dc/terms/"><channel><title>T</title>
          <item><title>A</title>
            <pubDate>Tue, 07 May 2024 08:00:00 GMT</pubDate>
            <dcterms:created>2024-05-06T22:00:00Z</dcterms:created>
            <expirationDate>Tue, 14 May 2024 08:00:00 GMT</expirationDate>
            <dcterms:valid>name=Offer; START = 2024-05-07 ;end=2024-05-14;scheme=W3C-DTF</dcterms:valid>
          </item>
          <item><title>B</title><dcterms:valid>end=2024-06-01; junk; start=</dcterms:valid></item>
        </channel></rss>"#,
    );
    let a = &feed.entries[0];
    assert_eq!(
        a.published.as_deref(),
        Some("Tue, 07 May 2024 08:00:00 GMT")
    );
    assert_eq!(a.created.as_deref(), Some("2024-05-06T22:00:00Z"));
    assert_eq!(a.expires.as_deref(), Some("Tue, 14 May 2024 08:00:00 GMT"));
    assert_eq!(a.valid_start.as_deref(), Some("2024-05-07"));
    assert_eq!(a.valid_end.as_deref(), Some("2024-05-14"));
    let b = &feed.entries[1];
    assert_eq!(
        (b.valid_start.as_deref(), b.valid_end.as_deref()),
        (None, Some("2024-06-01"))
    );
    // Atom 0.3's `created` is the entry's creation date, and its publication date when it states no other.
    let feed = parse(
        r#"<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>T</title>
          <entry><title>A</title><created>2004-01-01T10:00:00Z</created>
            <modified>2004-01-02T10:00:00Z</modified></entry></feed>"#,
    );
    let a = &feed.entries[0];
    assert_eq!(a.created.as_deref(), Some("2004-01-01T10:00:00Z"));
    assert_eq!(a.published.as_deref(), Some("2004-01-01T10:00:00Z"));
    assert_eq!(a.updated.as_deref(), Some("2004-01-02T10:00:00Z"));
}

// ---------------------------------------------------------------------------------------------------------
// How summaries and contents were written

#[test]
fn summary_and_content_types() {
    let feed = parse(
        r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
          <entry><title>A</title><summary>5 &lt; 6</summary>
            <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Hi</p></div></content></entry>
          <entry><title>B</title><summary type="html">&lt;b&gt;Bold&lt;/b&gt;</summary>
            <content type="text/plain">plain</content></entry>
          <entry><title>C</title><content src="/media/c.pdf" type="application/pdf"/></entry>
          <entry><title>D</title><link href="https://example.com/d"/><content src=" "/></entry>
        </feed>"#,
    );
    let types = |e: &Entry| (e.summary_type, e.content_type);
    assert_eq!(
        types(&feed.entries[0]),
        (Some(TextType::Text), Some(TextType::Xhtml))
    );
    assert_eq!(feed.entries[0].summary_html.as_deref(), Some("5 &lt; 6"));
    assert_eq!(
        types(&feed.entries[1]),
        (Some(TextType::Html), Some(TextType::Text))
    );
    let c = &feed.entries[2];
    assert_eq!(types(c), (None, None));
    assert_eq!(
        c.content_src.as_deref(),
        Some("https://example.com/media/c.pdf")
    );
    assert_eq!(c.link.as_deref(), Some("https://example.com/media/c.pdf"));
    // A blank `src` names no content of its own.
    assert_eq!(feed.entries[3].content_src, None);
    let feed = parse(
        r#"<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
              xmlns:media="http://search.yahoo.com/mrss/"><channel><title>T</title>
          <item><title>A</title><description>Plain words</description>
            <content:encoded><![CDATA[<p>Body</p>]]></content:encoded></item>
          <item><title>B</title><media:description type="plain">Clip &lt;1&gt;</media:description></item>
        </channel></rss>"#,
    );
    assert_eq!(
        types(&feed.entries[0]),
        (Some(TextType::Html), Some(TextType::Html))
    );
    assert_eq!(types(&feed.entries[1]), (Some(TextType::Text), None));
    let json = parse(
        r#"{"version": "https://jsonfeed.org/version/1.1", "items": [
            {"id": "1", "content_text": "a < b", "summary": "s"},
            {"id": "2", "content_html": "<p>x</p>"}]}"#,
    );
    assert_eq!(
        types(&json.entries[0]),
        (Some(TextType::Text), Some(TextType::Text))
    );
    assert_eq!(types(&json.entries[1]), (None, Some(TextType::Html)));
}

// ---------------------------------------------------------------------------------------------------------
// Moved feeds and entry images

#[test]
fn new_location_from_itunes_or_redirect() {
    let rss = |head: &str| {
        parse(&format!(
            r#"<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
            <channel><title>T</title>{head}<item><title>A</title></item></channel></rss>"#
        ))
    };
    let feed = rss("<itunes:new-feed-url> /moved/feed.xml </itunes:new-feed-url>");
    assert_eq!(
        feed.new_location.as_deref(),
        Some("https://example.com/moved/feed.xml")
    );
    let feed = rss(
        "<redirect><newLocation>https://new.example/rss</newLocation></redirect>\
                    <itunes:new-feed-url>https://later.example/rss</itunes:new-feed-url>",
    );
    assert_eq!(
        feed.new_location.as_deref(),
        Some("https://new.example/rss")
    );
    assert_eq!(feed.entries.len(), 1);
    assert_eq!(rss("<redirect/>").new_location, None);
}

#[test]
fn itunes_image_on_an_item_is_the_entry_image() {
    let feed = parse(
        r#"<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
        <channel><title>T</title><itunes:image href="https://example.com/show.jpg"/>
          <item><title>A</title><itunes:image href="art/ep1.jpg"/><itunes:image href="second.jpg"/></item>
          <item><title>B</title><itunes:image href=""/></item>
        </channel></rss>"#,
    );
    let url = |e: &Entry| e.image.as_ref().map(|i| i.url.clone());
    assert_eq!(
        url(&feed.entries[0]).as_deref(),
        Some("https://example.com/feeds/art/ep1.jpg")
    );
    assert_eq!(url(&feed.entries[1]), None);
    assert_eq!(
        feed.image.map(|i| i.url).as_deref(),
        Some("https://example.com/show.jpg")
    );
}

#[test]
fn content_language_only_when_it_differs() {
    let feed = parse(
        r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><title>T</title>
          <entry><title>A</title><content xml:lang="fr">Bonjour</content></entry>
          <entry xml:lang="de"><title>B</title><content>Hallo</content></entry>
          <entry><title>C</title><content xml:lang="en">Hello</content></entry>
        </feed>"#,
    );
    let langs: Vec<_> = feed
        .entries
        .iter()
        .map(|e| (e.language.as_deref(), e.content_language.as_deref()))
        .collect();
    assert_eq!(
        langs,
        [
            (Some("en"), Some("fr")),
            (Some("de"), None),
            (Some("en"), None)
        ]
    );
    let feed = parse(
        r#"<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
          <title>T</title><language>en-gb</language>
          <item><title>A</title><content:encoded xml:lang="cy">Bore da</content:encoded></item>
        </channel></rss>"#,
    );
    assert_eq!(feed.entries[0].language.as_deref(), Some("en-gb"));
    assert_eq!(feed.entries[0].content_language.as_deref(), Some("cy"));
}

/// An entry's lists hold no spare room (a collecting parse keeps every entry to the end, and a vector grown by
/// pushes reserves four items), in each format.
#[test]
fn entry_lists_are_exact() {
    let rss = r#"<rss version="2.0"><channel><title>T</title>
        <item><title>A</title><link>https://a.example/1</link><author>ed@a.example (Ed)</author>
        <category>one</category><category>two</category>
        <enclosure url="https://a.example/a.mp3" type="audio/mpeg" length="9"/></item></channel></rss>"#;
    let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
        <entry><id>urn:x:1</id><title>A</title><link href="https://a.example/1"/>
        <author><name>Ed</name></author><contributor><name>Flo</name></contributor>
        <category term="one"/><category term="two"/></entry></feed>"#;
    let json = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "T", "items": [
        {"id": "1", "url": "https://a.example/1", "authors": [{"name": "Ed"}], "tags": ["one", "two"],
         "attachments": [{"url": "https://a.example/a.mp3"}]}]}"#;
    for doc in [rss, atom, json] {
        let feed = parse(doc);
        let entry = &feed.entries[0];
        assert!(
            !entry.authors.is_empty() && !entry.categories.is_empty() && !entry.links.is_empty()
        );
        for (what, len, capacity) in [
            ("authors", entry.authors.len(), entry.authors.capacity()),
            (
                "categories",
                entry.categories.len(),
                entry.categories.capacity(),
            ),
            ("links", entry.links.len(), entry.links.capacity()),
            (
                "enclosures",
                entry.enclosures.len(),
                entry.enclosures.capacity(),
            ),
            (
                "contributors",
                entry.contributors.len(),
                entry.contributors.capacity(),
            ),
        ] {
            assert_eq!(len, capacity, "{what} of {doc}");
        }
    }
}

/// Every list of a feed and an entry stops at `MAX_LIST` items, links and licenses included, however many the
/// document states.
#[test]
fn lists_are_capped() {
    let mut entry_links = String::new();
    let mut feed_links = String::new();
    for i in 0..400 {
        write!(
            entry_links,
            r#"<link rel="related" href="https://a.example/r{i}"/>"#
        )
        .unwrap();
        write!(
            feed_links,
            r#"<link rel="related" href="https://a.example/f{i}"/>"#
        )
        .unwrap();
        write!(
            feed_links,
            r#"<cc:license rdf:resource="https://licenses.example/{i}"/>"#
        )
        .unwrap();
        write!(entry_links, r#"<category term="c{i}"/>"#).unwrap();
    }
    let doc = format!(
        r#"<feed xmlns="http://www.w3.org/2005/Atom" xmlns:cc="http://web.resource.org/cc/"
              xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><title>T</title>{feed_links}
           <entry><id>urn:x:1</id><title>A</title>{entry_links}</entry></feed>"#
    );
    let feed = parse(&doc);
    assert_eq!(feed.links.len(), super::MAX_LIST);
    assert_eq!(feed.entries[0].links.len(), super::MAX_LIST);
    assert_eq!(feed.entries[0].categories.len(), super::MAX_LIST);
    assert_eq!(feed.entries[0].links[0].href, "https://a.example/r0");
}
