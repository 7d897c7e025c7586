//! Extraction tests on small hand-written pages.

use newswire_model::{Block, BlockKind, Origin, Page};

use super::extract_page;

fn extract(html: &str, url: &str) -> Page {
    let url = url::Url::parse(url).expect("test URL");
    extract_page(html.as_bytes(), &url, Some("text/html; charset=utf-8"))
}

fn texts(page: &Page) -> Vec<&str> {
    page.body.iter().map(|b| b.text.as_str()).collect()
}

fn voa_paragraphs() -> Vec<String> {
    (1..=12)
        .map(|n| {
            format!(
                "Paragraph {n} of the post: rights groups urged Washington, in a letter sent on Monday, \
                 to raise the cases of detained lawyers, activists and writers with Beijing."
            )
        })
        .collect()
}

fn voa_page() -> String {
    let paragraphs: String = voa_paragraphs()
        .iter()
        .map(|p| format!("<p>{p}</p>\n"))
        .collect();
    format!(
        r##"<!DOCTYPE html>
<html lang="en-US"><head><meta charset="UTF-8">
<title>Rights Groups Call for US to Pressure China on Rights Abuses | Human Rights Blog</title>
<link rel="stylesheet" href="/style.css"><script>var _gaq = [];</script></head>
<body class="single single-post">
<div id="header"><h1 class="site-title"><a href="/">Human Rights Blog</a></h1>
<ul id="nav"><li><a href="/">Home</a></li><li><a href="/about">About</a></li><li><a href="/asia">Asia</a></li></ul></div>
<div id="wrapper"><div id="content">
<div class="post">
<h2>Rights Groups Call for US to Pressure China on Rights Abuses</h2>
<div class="postmeta">Posted July 24th, 2012 at 6:10 am (UTC-5)</div>
<div class="comment-link"><a href="#respond">Leave a comment</a></div>
<div class="entry">
{paragraphs}</div>
<div class="sharedaddy"><h3>Share this:</h3><ul><li><a href="https://twitter.com/share">Twitter</a></li><li><a href="https://facebook.com/share">Facebook</a></li></ul></div>
</div>
<div id="comments"><h3>No Comments</h3></div>
<div id="respond"><h3>Leave a Reply</h3><form action="/wp-comments-post.php"><p><label>Name</label><input name="author"></p><textarea name="comment"></textarea><p><input type="submit" value="Post Comment"></p></form></div>
</div>
<div id="sidebar"><h2>Recent Posts</h2><ul><li><a href="/a">Activists detained ahead of anniversary, group says</a></li><li><a href="/b">Journalist released after three weeks in custody</a></li></ul>
<h2>Archives</h2><ul><li><a href="/2012/07">July 2012</a></li><li><a href="/2012/06">June 2012</a></li></ul></div>
</div>
<div id="footer"><p>Copyright © 2012 Human Rights Blog. All rights reserved.</p></div>
</body></html>"##
    )
}

#[test]
fn voa_like_blog_post() {
    let page = extract(
        &voa_page(),
        "https://blogs.example.com/humanrights/rights-groups-call-for-us-to-pressure-china/",
    );
    let expected = voa_paragraphs();
    assert_eq!(
        texts(&page),
        expected.iter().map(String::as_str).collect::<Vec<_>>()
    );
    assert!(page.body.iter().all(|b| b.kind == BlockKind::Paragraph));
    let title = page.title.expect("title");
    assert_eq!(
        title.value,
        "Rights Groups Call for US to Pressure China on Rights Abuses"
    );
    assert_eq!(title.origin, Origin::Heading);
    assert_eq!(
        page.published[0].value,
        "Posted July 24th, 2012 at 6:10 am (UTC-5)"
    );
    assert_eq!(page.published[0].origin, Origin::VisibleText);
    assert_eq!(page.published.len(), 1);
    assert!(page.updated.is_empty());
    assert_eq!(page.authors, None);
    assert_eq!(page.language.as_deref(), Some("en-US"));
    assert!(page.warnings.is_empty(), "{:?}", page.warnings);
}

#[test]
fn voa_like_with_dated_url() {
    let page = extract(
        &voa_page(),
        "https://blogs.example.com/humanrights/2012/07/24/rights-groups/",
    );
    let published: Vec<_> = page
        .published
        .iter()
        .map(|c| (c.value.as_str(), c.origin))
        .collect();
    assert_eq!(
        published,
        [
            (
                "Posted July 24th, 2012 at 6:10 am (UTC-5)",
                Origin::VisibleText
            ),
            ("2012-07-24", Origin::UrlPath)
        ]
    );
    assert_eq!(page.body.len(), 12);
}

#[test]
fn empty_and_garbage_pages_warn() {
    for html in [
        "",
        "<html><head><script>var x = 1;</script></head><body><script>document.write('hi')</script></body></html>",
    ] {
        let page = extract(html, "https://example.com/");
        assert!(page.body.is_empty());
        assert!(
            page.warnings.iter().any(|w| w == "no article body found"),
            "{:?}",
            page.warnings
        );
    }
    let _ = Block::paragraph("");
}

/// One page of the shared fixture site and what its README expects.
struct FixturePage {
    path: &'static str,
    title: &'static str,
    authors: &'static [&'static str],
    published: (&'static str, Origin),
    blocks: &'static [BlockKind],
    first: &'static str,
    absent: &'static [&'static str],
}

const P: BlockKind = BlockKind::Paragraph;

const WORDPRESS_FURNITURE: &[&str] = &[
    "Posted July",
    "Leave a comment",
    "Share this",
    "Facebook",
    "Categories:",
    "Tags:",
    "No Comments",
    "Leave a Reply",
    "Recent Posts",
    "Archives",
    "Blogroll",
    "Copyright",
];

const FIXTURES: &[FixturePage] = &[
    FixturePage {
        path: "blogs.voa.example/2012/07/24/rights-groups-call-for-us-to-pressure-china-on-rights-abuses/",
        title: "Rights Groups Call for US to Pressure China on Rights Abuses",
        authors: &[],
        published: (
            "Posted July 24th, 2012 at 6:10 am (UTC-5)",
            Origin::VisibleText,
        ),
        blocks: &[P; 12],
        first: "Rights groups are calling for Washington",
        absent: WORDPRESS_FURNITURE,
    },
    FixturePage {
        path: "blogs.voa.example/2012/07/23/aseans-draft-rights-declaration-draws-fire-from-activists/",
        title: "ASEAN\u{2019}s Draft Rights Declaration Draws Fire From Activists",
        authors: &[],
        published: (
            "Posted July 23rd, 2012 at 2:45 pm (UTC-5)",
            Origin::VisibleText,
        ),
        blocks: &[P, P, P, P, BlockKind::Quote, P, P],
        first: "Human rights groups across Southeast Asia",
        absent: WORDPRESS_FURNITURE,
    },
    FixturePage {
        path: "blogs.voa.example/2012/07/23/burma-eases-press-curbs-but-old-habits-linger/",
        title: "Burma Eases Press Curbs, But \"Old Habits\" Linger",
        authors: &[],
        published: (
            "Posted July 23rd, 2012 at 12:05 am (UTC-5)",
            Origin::VisibleText,
        ),
        blocks: &[
            P,
            P,
            P,
            BlockKind::Heading,
            P,
            BlockKind::ListItem,
            BlockKind::ListItem,
            BlockKind::ListItem,
            BlockKind::ListItem,
            P,
        ],
        first: "Burma\u{2019}s government says",
        absent: WORDPRESS_FURNITURE,
    },
    FixturePage {
        path: "blogs.voa.example/2012/07/22/cambodian-villagers-protest-evictions-demand-land-titles/",
        title: "Cambodian Villagers Protest Evictions & Demand Land Titles",
        authors: &[],
        published: (
            "Posted July 22nd, 2012 at 4:30 pm (UTC-5)",
            Origin::VisibleText,
        ),
        blocks: &[P; 5],
        first: "Several hundred villagers",
        absent: &[
            "Photo credit",
            "Villagers hold up photographs",
            "Leave a comment",
            "Recent Posts",
        ],
    },
    FixturePage {
        path: "wire.example/world/asia/2012-07-24-ngo-report.html",
        title: "Forced labour still rife on regional fishing fleets, NGO report says",
        authors: &["Mei Ling Tan", "Rafael Ocampo"],
        published: ("2012-07-24T14:30:00+08:00", Origin::JsonLd),
        blocks: &[P; 15],
        first: "SINGAPORE \u{2014} ",
        absent: &[
            "Related:",
            "Thailand expands port inspections",
            "Inside the seafood supply chain",
            "Advertisement",
            "Asia Morning Brief",
            "Sign up",
            "Most read",
            "Trawlers moored",
            "By Mei Ling Tan",
        ],
    },
    FixturePage {
        path: "wire.example/business/2012-07-24-eu-singapore-trade.html",
        title: "EU & Singapore near trade deal, officials say",
        authors: &["Claire Vandenberghe"],
        published: ("2012-07-24T09:00:00+02:00", Origin::OpenGraph),
        blocks: &[P; 6],
        first: "BRUSSELS \u{2013} The European Union",
        absent: &[
            "cookies",
            "Find out more",
            "I agree",
            "Share",
            "LinkedIn",
            "Brussels and Singapore have settled",
            "Brussels correspondent",
            "Markets",
            "More on trade",
        ],
    },
    FixturePage {
        path: "wire.example/us/2012-07-23-appeals-court-detention.html",
        title: "Appeals court orders bond hearings for long-held immigration detainees",
        authors: &["Ana Lima", "Tom Reyes"],
        published: ("2012-07-23T22:15:00-04:00", Origin::TimeElement),
        blocks: &[P; 7],
        first: "A federal appeals court ruled Monday",
        absent: &[
            "By Ana Lima",
            "10:15 p.m.",
            "Tags:",
            "Printer-friendly",
            "Add new comment",
            "Read more",
            "Popular",
        ],
    },
    FixturePage {
        path: "wire.example/europe/2012-07-24-fire-aid.html",
        title: "Regional government pledges \u{20ac}6.5 million to rebuild fire-hit villages",
        authors: &["In\u{e9}s Pe\u{f1}alver"],
        published: ("2012-07-24", Origin::MetaName),
        blocks: &[P; 4],
        first: "VALENCIA, 24 July \u{2014} The regional government",
        absent: &[
            "Wildfires",
            "Grants for farmers",
            "By In\u{e9}s",
            "Print",
            "Also this week",
            "Exchange rates",
        ],
    },
    FixturePage {
        path: "wire.example/regional/2012-07-24-riverside-road-closed.html",
        title: "Riverside road closed as the Wend bursts its banks",
        authors: &[],
        published: ("Published 24 July 2012, 06:10 GMT", Origin::VisibleText),
        blocks: &[P; 2],
        first: "Mill Lane in Lower Wendham",
        absent: &[
            "Published 24 July",
            "Staff Reporter",
            "SECTIONS",
            "Print this story",
            "WEATHER",
            "LATEST HEADLINES",
        ],
    },
];

fn fixture_bytes(path: &str) -> Vec<u8> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/site/");
    let file = if path.ends_with('/') {
        format!("{root}{path}index.html")
    } else {
        format!("{root}{path}")
    };
    std::fs::read(&file).unwrap_or_else(|err| panic!("reading fixture {file}: {err}"))
}

#[test]
fn fixture_site_pages() {
    for fixture in FIXTURES {
        let url = url::Url::parse(&format!("https://{}", fixture.path)).expect("fixture URL");
        let page = extract_page(&fixture_bytes(fixture.path), &url, None);
        let ctx = fixture.path;
        assert_eq!(
            page.title.as_ref().map(|t| t.value.as_str()),
            Some(fixture.title),
            "{ctx}"
        );
        let authors: Vec<&str> = page
            .authors
            .as_ref()
            .map(|a| a.value.iter().map(String::as_str).collect())
            .unwrap_or_default();
        assert_eq!(authors, fixture.authors, "{ctx}");
        let first = page.published.first().map(|c| (c.value.as_str(), c.origin));
        assert_eq!(first, Some(fixture.published), "{ctx}");
        let kinds: Vec<BlockKind> = page.body.iter().map(|b| b.kind).collect();
        assert_eq!(kinds, fixture.blocks, "{ctx}: {:#?}", texts(&page));
        assert!(
            page.body[0].text.starts_with(fixture.first),
            "{ctx}: {}",
            page.body[0].text
        );
        for block in &page.body {
            for absent in fixture.absent {
                assert!(
                    !block.text.contains(absent),
                    "{ctx}: {absent:?} in body block {:?}",
                    block.text
                );
            }
        }
        assert_eq!(
            page.canonical_url.is_some(),
            !fixture.path.contains("riverside"),
            "{ctx}"
        );
    }
}

#[test]
fn fixture_seed_article_is_exact() {
    let path = "blogs.voa.example/2012/07/24/rights-groups-call-for-us-to-pressure-china-on-rights-abuses/";
    let url = url::Url::parse(&format!("https://{path}")).expect("URL");
    let page = extract_page(&fixture_bytes(path), &url, Some("text/html; charset=UTF-8"));
    let reference = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/reference/voa-2012-07-24.txt"
    ))
    .expect("reference text");
    let lines: Vec<&str> = reference
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let paragraphs = &lines[lines.len() - 12..];
    assert_eq!(texts(&page), paragraphs);
    assert_eq!(lines[0], page.title.expect("title").value);
}

use BlockKind::{Heading, Quote};

fn assert_body(page: &Page, expected: &[(BlockKind, &str)]) {
    let got: Vec<(BlockKind, &str)> = page
        .body
        .iter()
        .map(|b| (b.kind, b.text.as_str()))
        .collect();
    assert_eq!(got, expected);
}

fn dates(list: &[newswire_model::DateCandidate]) -> Vec<(&str, Origin)> {
    list.iter().map(|c| (c.value.as_str(), c.origin)).collect()
}

const WP_P1: &str = "The harbour board voted on Tuesday to reopen the old ferry pier, closed since the storm of 2019, after engineers said the structure could be repaired for less than expected.";
const WP_P2: &str = "Repairs will start in September and should take about eight months, according to the board’s timetable, which also includes a new waiting room and a ramp for wheelchairs.";
const WP_P3: &str = "Not everyone is pleased. Residents of the streets behind the pier say the return of the ferry will bring traffic, noise and, in summer, crowds that the narrow lanes cannot absorb.";
const WP_QUOTE: &str =
    "“We asked for a bus link and got a ferry — the board does not listen,” said one resident.";
const WP_P4: &str = "The board said it would hold a public meeting in August to hear objections before the contract is signed.";

fn wordpress_page() -> String {
    let comment = "I have lived by the pier for forty years, and I can tell you that the ferry brought life to this end of town, whatever the newcomers say about traffic and noise in the summer months.";
    let comments: String = (1..=8)
        .map(|n| format!(
            r##"<li class="comment" id="comment-{n}"><article class="comment-body"><footer class="comment-meta"><b class="fn">Reader {n}</b> <time datetime="2024-07-0{n}T09:00:00+00:00">July {n}, 2024 at 9:00 am</time></footer><div class="comment-content"><p>{comment}</p><p>{comment}</p></div><div class="reply"><a class="comment-reply-link" href="#">Reply</a></div></article></li>"##
        ))
        .collect();
    format!(
        r##"<!doctype html><html lang="en-GB"><head>
<meta charset="utf-8"><title>Old ferry pier to reopen next year &#8211; Harbour Notes</title>
<link rel="canonical" href="/2024/07/03/old-ferry-pier-to-reopen/">
<meta property="og:site_name" content="Harbour Notes">
<meta property="og:type" content="article">
<meta property="article:published_time" content="2024-07-03T08:15:00+00:00">
<meta property="article:modified_time" content="2024-07-04T10:00:00+00:00">
<meta property="og:image" content="/wp-content/uploads/2024/07/pier.jpg">
<script type="application/ld+json" class="yoast-schema-graph">{{"@context":"https://schema.org","@graph":[
 {{"@type":"Article","@id":"https://harbour.example/2024/07/03/old-ferry-pier-to-reopen/#article","isPartOf":{{"@id":"https://harbour.example/2024/07/03/old-ferry-pier-to-reopen/"}},
  "author":{{"name":"Jane Doe","@id":"https://harbour.example/#/schema/person/1"}},"headline":"Old ferry pier to reopen next year",
  "datePublished":"2024-07-03T08:15:00+00:00","dateModified":"2024-07-04T10:00:00+00:00","publisher":{{"@id":"https://harbour.example/#organization"}},
  "keywords":["ferry","harbour board"],"articleSection":["Local"],"inLanguage":"en-GB"}},
 {{"@type":"WebPage","@id":"https://harbour.example/2024/07/03/old-ferry-pier-to-reopen/","datePublished":"2024-07-03T08:15:00+00:00"}},
 {{"@type":"Organization","@id":"https://harbour.example/#organization","name":"Harbour Notes Ltd"}},
 {{"@type":"Person","@id":"https://harbour.example/#/schema/person/1","name":"Jane Doe"}}]}}</script>
</head>
<body class="post-template-default single single-post postid-77 single-format-standard has-sidebar">
<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<div id="page" class="site">
<header id="masthead" class="site-header"><p class="site-title"><a href="/" rel="home">Harbour Notes</a></p>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu"><li><a href="/">Home</a></li><li><a href="/local/">Local</a></li></ul></nav></header>
<div id="content" class="site-content"><div id="primary" class="content-area"><main id="main" class="site-main">
<article id="post-77" class="post-77 post type-post status-publish format-standard hentry category-local tag-ferry">
<header class="entry-header"><h1 class="entry-title">Old ferry pier to reopen next year</h1>
<div class="entry-meta"><span class="posted-on">Posted on <a href="/2024/07/03/old-ferry-pier-to-reopen/" rel="bookmark"><time class="entry-date published" datetime="2024-07-03T08:15:00+00:00">July 3, 2024</time><time class="updated" datetime="2024-07-04T10:00:00+00:00">July 4, 2024</time></a></span><span class="byline"> by <span class="author vcard"><a class="url fn n" href="/author/jane/">Jane Doe</a></span></span></div></header>
<div class="entry-content">
<p>{WP_P1}</p>
<figure class="wp-block-image size-large"><img src="/pier.jpg" alt="The pier"><figcaption>The old pier in June. Photo: Harbour Notes</figcaption></figure>
<p>{WP_P2}</p>
<p>{WP_P3}</p>
<figure class="wp-block-pullquote"><blockquote><p>{WP_QUOTE}</p></blockquote></figure>
<p>{WP_P4}</p>
<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social"><h3 class="sd-title">Share this:</h3><ul><li><a href="#" class="share-twitter">Twitter</a></li><li><a href="#" class="share-facebook">Facebook</a></li></ul></div></div>
<div id="jp-relatedposts" class="jp-relatedposts"><h3 class="jp-relatedposts-headline"><em>Related</em></h3><p><a href="/a">Harbour dredging to begin</a></p></div>
</div>
<footer class="entry-footer"><span class="cat-links">Posted in <a href="/local/">Local</a></span><span class="tags-links">Tagged <a href="/tag/ferry/">ferry</a></span></footer>
</article>
<nav class="navigation post-navigation"><div class="nav-links"><div class="nav-previous"><a href="/prev/">Previous post: Lifeboat day raises record sum for the station</a></div></div></nav>
<div id="comments" class="comments-area"><h2 class="comments-title">8 thoughts on “Old ferry pier to reopen next year”</h2><ol class="comment-list">{comments}</ol>
<div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3><form id="commentform"><p class="comment-notes">Your email address will not be published.</p><textarea name="comment"></textarea></form></div></div>
</main></div>
<aside id="secondary" class="widget-area"><section class="widget widget_recent_entries"><h2 class="widget-title">Recent Posts</h2><ul><li><a href="/x">Lifeboat day raises record sum</a></li></ul></section></aside>
</div><footer id="colophon" class="site-footer"><div class="site-info">Proudly powered by WordPress</div></footer></div>
</body></html>"##
    )
}

#[test]
fn wordpress_with_yoast_graph_and_comments() {
    let page = extract(
        &wordpress_page(),
        "https://harbour.example/2024/07/03/old-ferry-pier-to-reopen/",
    );
    assert_body(
        &page,
        &[
            (BlockKind::Paragraph, WP_P1),
            (BlockKind::Paragraph, WP_P2),
            (BlockKind::Paragraph, WP_P3),
            (Quote, WP_QUOTE),
            (BlockKind::Paragraph, WP_P4),
        ],
    );
    let title = page.title.as_ref().expect("title");
    assert_eq!(
        (title.value.as_str(), title.origin),
        ("Old ferry pier to reopen next year", Origin::JsonLd)
    );
    let authors = page.authors.as_ref().expect("authors");
    assert_eq!(
        (authors.value.clone(), authors.origin),
        (vec!["Jane Doe".to_owned()], Origin::JsonLd)
    );
    assert_eq!(
        dates(&page.published),
        [
            ("2024-07-03T08:15:00+00:00", Origin::JsonLd),
            ("July 3, 2024", Origin::VisibleText),
            ("2024-07-03", Origin::UrlPath),
        ]
    );
    assert_eq!(
        dates(&page.updated)[0],
        ("2024-07-04T10:00:00+00:00", Origin::JsonLd)
    );
    assert_eq!(page.site_name.as_deref(), Some("Harbour Notes"));
    assert_eq!(
        page.canonical_url.as_deref(),
        Some("https://harbour.example/2024/07/03/old-ferry-pier-to-reopen/")
    );
    assert_eq!(
        page.image.as_deref(),
        Some("https://harbour.example/wp-content/uploads/2024/07/pier.jpg")
    );
    assert_eq!(page.categories, ["ferry", "harbour board"]);
    assert_eq!(page.language.as_deref(), Some("en-GB"));
}

const NEWS_PARAS: [&str; 5] = [
    "LISBON — The city council approved a plan on Thursday to turn three disused tram depots into housing, a move officials said would add about 600 flats to the centre within five years.",
    "The depots, built between 1901 and 1924, have stood empty since the network was cut back in the 1990s, and two of them are listed buildings whose facades must be kept.",
    "Housing campaigners welcomed the decision but said the share of flats set aside for low-income tenants, 25 percent, was too small for a city where rents have doubled in a decade.",
    "The council said construction could begin in 2026, after an architectural competition and a public consultation that will run until the end of the year.",
    "Opposition councillors abstained, arguing that the plan had been rushed through before the summer recess without a full costing.",
];

fn news_page() -> String {
    format!(
        r##"<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Tram depots to become housing, Lisbon council decides - The Atlantic Courier</title>
<meta name="description" content="Three disused tram depots will be turned into about 600 flats.">
<meta property="og:title" content="Tram depots to become housing, Lisbon council decides">
<meta name="twitter:image" content="https://cdn.courier.example/img/depot.jpg">
<script type="application/ld+json">
[{{"@context":"https://schema.org","@type":["NewsArticle"],"headline":"Tram depots to become housing, Lisbon council decides &amp; more",
"datePublished":["2024-06-13T18:02:00+01:00"],"dateModified":"2024-06-13T19:40:00+01:00",
"author":[{{"@type":"Person","name":"By Rui Costa"}},{{"@type":"Person","name":"Sofia Almeida"}},{{"@type":"Organization","name":"Courier Staff"}}],
"publisher":{{"@type":"NewsMediaOrganization","name":"The Atlantic Courier","logo":{{"@type":"ImageObject","url":"https://courier.example/logo.png"}}}},
"image":[{{"@type":"ImageObject","url":"https://cdn.courier.example/img/depot-16x9.jpg"}}],"keywords":"Lisbon, housing, trams",
"articleBody":"{p0} {p1} {p2} {p3} {p4}"}},
{{"@context":"https://schema.org","@type":"BreadcrumbList","itemListElement":[]}}]
</script>
<script type="application/ld+json">{{ this is not json </script>
</head><body>
<div class="top-bar"><span class="today">Thursday, June 13, 2024</span><a href="/subscribe">Subscribe</a></div>
<div class="layout"><div class="col-main">
<div class="article-header"><span class="kicker">Urban planning</span><h1>Tram depots to become housing, Lisbon council decides</h1>
<p class="dek">Three disused tram depots will be turned into about 600 flats.</p>
<div class="byline-block"><span class="byline">By Rui Costa and Sofia Almeida</span> <span class="timestamp">June 13, 2024 6:02 PM</span></div></div>
<div class="lead-media"><img src="x.jpg"><span class="caption">The depot at Santo Amaro. Credit: Courier photo desk</span></div>
<div class="article-body" itemprop="articleBody">
<p>{p0}</p>
<p>{p1}</p>
<div class="ad-slot ad-slot--inline"><span>Advertisement</span></div>
<p>{p2}</p>
<aside class="inline-related"><h4>Read more</h4><ul><li><a href="/a">Rents in Lisbon double in a decade</a></li><li><a href="/b">Tram line 15 to be extended</a></li></ul></aside>
<p>{p3}</p>
<p><strong>Read more:</strong> <a href="/c">Council budget faces audit</a></p>
<p>{p4}</p>
</div>
<div class="newsletter-signup"><h3>The Morning Courier</h3><p>Get the day’s most important stories from Lisbon and beyond, delivered to your inbox every weekday morning, free of charge.</p><form><input type="email"><button>Sign up</button></form></div>
<div class="tags"><a href="/t/lisbon">Lisbon</a> <a href="/t/housing">Housing</a></div>
</div>
<div class="col-side"><div class="most-read"><h3>Most read</h3><ol><li><a href="/1">Heatwave warning for the weekend</a></li><li><a href="/2">Bridge tolls to rise in September</a></li></ol></div></div>
</div>
<div class="cookie-banner" role="dialog"><p>We use cookies to improve your experience on our website, to personalise content and ads, to provide social media features and to analyse our traffic, as described in our policy.</p><button>Accept</button></div>
</body></html>"##,
        p0 = NEWS_PARAS[0],
        p1 = NEWS_PARAS[1],
        p2 = NEWS_PARAS[2],
        p3 = NEWS_PARAS[3],
        p4 = NEWS_PARAS[4],
    )
}

#[test]
fn json_ld_news_site() {
    let page = extract(
        &news_page(),
        "https://courier.example/cities/tram-depots-housing",
    );
    assert_eq!(texts(&page), NEWS_PARAS);
    let title = page.title.as_ref().expect("title");
    assert_eq!(
        title.value,
        "Tram depots to become housing, Lisbon council decides & more"
    );
    assert_eq!(title.origin, Origin::JsonLd);
    let authors = page.authors.as_ref().expect("authors");
    assert_eq!(authors.value, ["Rui Costa", "Sofia Almeida"]);
    assert_eq!(authors.origin, Origin::JsonLd);
    assert_eq!(
        dates(&page.published),
        [
            ("2024-06-13T18:02:00+01:00", Origin::JsonLd),
            ("June 13, 2024 6:02 PM", Origin::VisibleText)
        ]
    );
    assert_eq!(
        dates(&page.updated),
        [("2024-06-13T19:40:00+01:00", Origin::JsonLd)]
    );
    assert_eq!(page.site_name.as_deref(), Some("The Atlantic Courier"));
    assert_eq!(
        page.image.as_deref(),
        Some("https://cdn.courier.example/img/depot-16x9.jpg")
    );
    assert_eq!(page.categories, ["Lisbon", "housing", "trams"]);
    assert_eq!(
        page.description.as_deref(),
        Some("Three disused tram depots will be turned into about 600 flats.")
    );
    assert_eq!(
        page.warnings,
        ["1 JSON-LD block(s) could not be parsed and were ignored"]
    );
}

const OG_PARAS: [&str; 4] = [
    "Wind farms in the North Sea produced more electricity than the region's gas plants for the first time in May, grid data published on Monday showed.",
    "The milestone came after a windy spring and the connection of two large offshore parks, which together added about 2 gigawatts of capacity, the operator said.",
    "Analysts cautioned that a calm summer could reverse the balance within weeks, and that storage remains the weak link in the system.",
    "The grid operator expects to publish its annual outlook in September.",
];

#[test]
fn opengraph_only_page_with_generic_divs() {
    let html = format!(
        r#"<html><head><title>Wind beats gas in May | Energy Desk</title>
<meta property="og:title" content="Wind beats gas in May | Energy Desk">
<meta property="og:site_name" content="Energy Desk">
<meta property="og:url" content="https://energy.example/news/wind-beats-gas">
<meta property="og:locale" content="en_GB">
<meta property="article:published_time" content="2024-06-03T07:00:00Z">
<meta property="article:author" content="https://www.facebook.com/energydesk">
<meta name="author" content="Tom Reyes">
<meta property="article:tag" content="wind"><meta property="article:tag" content="grid">
<meta name="keywords" content="Wind, energy, grid">
</head><body>
<div id="w"><div class="r1"><a href="/">Energy Desk</a> <a href="/news">News</a> <a href="/data">Data</a> <a href="/about">About</a></div>
<div class="r2"><div class="c1"><div class="x">
<div class="y"><p>{}</p><p>{}</p><p>{}</p><p>{}</p></div>
</div></div>
<div class="c2"><div class="box"><b>Newsletter</b><div>Sign up for our weekly briefing on power markets, prices and policy across Europe, sent every Friday.</div></div></div></div>
<div class="r3">Energy Desk, 12 Grid Street. Contact us. Terms. Privacy.</div></div>
</body></html>"#,
        OG_PARAS[0], OG_PARAS[1], OG_PARAS[2], OG_PARAS[3]
    );
    let page = extract(
        &html,
        "https://energy.example/news/wind-beats-gas?utm_source=x",
    );
    assert_eq!(texts(&page), OG_PARAS);
    let title = page.title.expect("title");
    assert_eq!(
        (title.value.as_str(), title.origin),
        ("Wind beats gas in May", Origin::OpenGraph)
    );
    let authors = page.authors.expect("authors");
    assert_eq!(
        (authors.value, authors.origin),
        (vec!["Tom Reyes".to_owned()], Origin::MetaName)
    );
    assert_eq!(
        dates(&page.published),
        [("2024-06-03T07:00:00Z", Origin::OpenGraph)]
    );
    assert_eq!(
        page.canonical_url.as_deref(),
        Some("https://energy.example/news/wind-beats-gas")
    );
    assert_eq!(page.language.as_deref(), Some("en_GB"));
    assert_eq!(page.categories, ["wind", "grid", "energy"]);
}

const TABLE_PARAS: [&str; 3] = [
    "The annual flower show opened on Saturday with more than 300 exhibitors, the largest number since the show moved to the recreation ground in 1998.",
    "Judges awarded the gold medal for best garden to a team from the village school, whose display of wild flowers drew long queues all afternoon.",
    "The show continues until Monday evening, and entry is free for children under twelve.",
];

#[test]
fn table_layout_with_br_paragraphs() {
    let html = format!(
        r#"<html><head><title>Flower show draws record crowds</title></head><body>
<table width="100%"><tr><td colspan="2"><img src="masthead.gif"></td></tr>
<tr><td width="150" valign="top"><a href="/">Home</a><br><a href="/news">News</a><br><a href="/sport">Sport</a><br><a href="/letters">Letters</a></td>
<td valign="top"><font size="4"><b>Flower show draws record crowds</b></font><br><br>
<font size="2">{}<br><br>
{}<br>
<br>
{}</font><br><br>
<font size="1"><a href="/print">Print</a> | <a href="/email">Email this story</a></font></td></tr>
<tr><td colspan="2"><font size="1">&copy; 2004 Valley Echo. All rights reserved.</font></td></tr></table>
</body></html>"#,
        TABLE_PARAS[0], TABLE_PARAS[1], TABLE_PARAS[2]
    );
    let page = extract(&html, "http://www.valleyecho.example/news/show.asp?id=1024");
    assert_eq!(texts(&page), TABLE_PARAS);
    let title = page.title.expect("title");
    assert_eq!(
        (title.value.as_str(), title.origin),
        ("Flower show draws record crowds", Origin::Heading)
    );
    assert!(page.published.is_empty());
}

#[test]
fn comments_outweighing_the_article_stay_out() {
    let para = "The library will stay open until nine on weekdays from next month, after a petition signed by more than 2,000 students, parents and teachers.";
    let para2 = "Extra staff will be paid for by the county, which said the cost, about £40,000 a year, would be reviewed after twelve months.";
    let comment = "<div class=\"comment-body\"><p>Great news, but why has it taken so long? We have been asking for this since the new school opened, and every year the answer was that there was no money, no staff and no demand.</p></div>";
    let html = format!(
        r#"<html><body><div class="main"><div class="story"><h1>Library to open late</h1><p>{para}</p><p>{para2}</p></div>
<div class="discussion-thread" id="comments">{}</div></div></body></html>"#,
        comment.repeat(20)
    );
    let page = extract(&html, "https://county.example/library-late");
    assert_eq!(texts(&page), [para, para2]);
}

#[test]
fn live_blog() {
    let entry = |time: &str, head: &str, text: &str| {
        format!(
            r##"<article class="live-post"><div class="live-post__time"><time datetime="2024-07-14T{time}:00+02:00">{time}</time></div><h2 class="live-post__title">{head}</h2><div class="live-post__body"><p>{text}</p></div><div class="live-post__share"><a href="#">Share</a></div></article>"##
        )
    };
    let html = format!(
        r#"<html lang="fr"><head><title>Live: Tour de France stage 15 – Velo Daily</title>
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"LiveBlogPosting","headline":"Live: Tour de France stage 15","coverageStartTime":"2024-07-14T12:00:00+02:00","datePublished":"2024-07-14T11:45:00+02:00","dateModified":"2024-07-14T17:30:00+02:00","author":{{"@type":"Person","name":"Claire Martin"}}}}</script>
</head><body><nav><a href="/">Home</a></nav><main><h1>Live: Tour de France stage 15</h1><div class="live-feed">{}{}{}</div></main></body></html>"#,
        entry(
            "17:30",
            "Stage win for the breakaway",
            "The last rider of the morning breakaway held off the chasing group by eleven seconds on the final climb to take the stage."
        ),
        entry(
            "16:10",
            "Gap falls to a minute",
            "With 30 kilometres to go the peloton has cut the gap to just over a minute, and the sprinters' teams are no longer helping."
        ),
        entry(
            "12:05",
            "The stage is under way",
            "The riders have rolled out of the neutral zone under grey skies, and a group of six has already gone clear."
        ),
    );
    let page = extract(&html, "https://velo.example/live/tour-stage-15");
    assert_body(
        &page,
        &[
            (Heading, "Stage win for the breakaway"),
            (
                BlockKind::Paragraph,
                "The last rider of the morning breakaway held off the chasing group by eleven seconds on the final climb to take the stage.",
            ),
            (Heading, "Gap falls to a minute"),
            (
                BlockKind::Paragraph,
                "With 30 kilometres to go the peloton has cut the gap to just over a minute, and the sprinters' teams are no longer helping.",
            ),
            (Heading, "The stage is under way"),
            (
                BlockKind::Paragraph,
                "The riders have rolled out of the neutral zone under grey skies, and a group of six has already gone clear.",
            ),
        ],
    );
    assert_eq!(
        dates(&page.published)[0],
        ("2024-07-14T11:45:00+02:00", Origin::JsonLd)
    );
    assert_eq!(
        dates(&page.updated)[0],
        ("2024-07-14T17:30:00+02:00", Origin::JsonLd)
    );
    assert_eq!(page.language.as_deref(), Some("fr"));
}

#[test]
fn article_split_across_containers() {
    let paras = [
        "The regional airport will add four routes this winter, including its first direct flights to Lisbon and Kraków, the operator announced on Wednesday.",
        "Passenger numbers rose 14 percent last year to just under two million, helped by the return of business travel after the pandemic.",
        "The expansion depends on a new baggage hall, which the operator said would be finished by November at a cost of about 12 million euros.",
        "Local residents' groups have asked for a cap on night flights as part of any deal to approve the new routes.",
        "A decision on the night-flight cap is expected from the county council in October.",
    ];
    let html = format!(
        r#"<html><body><div class="page"><div class="story">
<h1>Airport adds four winter routes</h1>
<div class="story-body"><p>{}</p><p>{}</p></div>
<div class="promo-box"><p>Subscribe today and get three months of unlimited access for the price of one coffee a week.</p></div>
<div class="story-body"><p>{}</p><p>{}</p></div>
<div class="related-links"><a href="/a">Airport chief resigns</a><a href="/b">Runway works delayed</a></div>
<div class="story-body"><p>{}</p></div>
</div></div></body></html>"#,
        paras[0], paras[1], paras[2], paras[3], paras[4]
    );
    let page = extract(&html, "https://daily.example/airport-routes");
    assert_eq!(texts(&page), paras);
    assert_eq!(
        page.title.map(|t| t.value).as_deref(),
        Some("Airport adds four winter routes")
    );
}

#[test]
fn very_short_article() {
    let paras = [
        "The bridge on Mill Road will close for repairs on Monday.",
        "A diversion will be signposted via the ring road.",
    ];
    let sidebar: String = (0..10).map(|n| format!("<li><a href=\"/n{n}\">Other story number {n} about the town and its people</a></li>")).collect();
    let html = format!(
        r#"<html><head><title>Mill Road bridge to close - Town News</title></head><body>
<div id="content"><h1>Mill Road bridge to close</h1><div class="entry"><p>{}</p><p>{}</p></div></div>
<div id="sidebar"><ul>{sidebar}</ul></div></body></html>"#,
        paras[0], paras[1]
    );
    let page = extract(&html, "https://town.example/mill-road");
    assert_eq!(texts(&page), paras);
    assert_eq!(
        page.title.map(|t| t.value).as_deref(),
        Some("Mill Road bridge to close")
    );
}

#[test]
fn long_article_keeps_every_paragraph_in_order() {
    let paras: Vec<String> = (0..300)
        .map(|n| format!("Paragraph number {n} of a very long report, with a clause, another clause, and a final sentence."))
        .collect();
    let body: String = paras
        .iter()
        .enumerate()
        .map(|(n, p)| {
            if n % 25 == 24 {
                format!("<p>{p}</p><h3>Section {n}</h3>")
            } else {
                format!("<p>{p}</p>")
            }
        })
        .collect();
    let html = format!(
        "<html><body><nav><a href='/'>Home</a></nav><article>{body}</article><footer>Footer text</footer></body></html>"
    );
    let page = extract(&html, "https://long.example/report");
    let paragraphs: Vec<&str> = page
        .body
        .iter()
        .filter(|b| b.kind == BlockKind::Paragraph)
        .map(|b| b.text.as_str())
        .collect();
    assert_eq!(
        paragraphs,
        paras.iter().map(String::as_str).collect::<Vec<_>>()
    );
    assert_eq!(page.body.iter().filter(|b| b.kind == Heading).count(), 11);
}

#[test]
fn german_page_with_visible_dates_and_byline() {
    let html = r#"<html lang="de"><head><title>Neue Radwege für die Innenstadt | Stadtanzeiger</title></head><body>
<div class="artikel"><h1>Neue Radwege für die Innenstadt</h1>
<p class="autor">Von Jana Müller und Peter Schmidt</p>
<p class="datum">Veröffentlicht am 24.07.2012, 10:15 Uhr</p>
<p>Die Stadt will bis zum Herbst vier neue Radwege in der Innenstadt bauen, wie der Verkehrsausschuss am Montag beschlossen hat.</p>
<p>Die Kosten von rund 1,2 Millionen Euro trägt zum größten Teil das Land, sagte eine Sprecherin der Verwaltung.</p>
<p>Aktualisiert am 25.07.2012, 08:00 Uhr</p>
</div></body></html>"#;
    let page = extract(html, "https://stadtanzeiger.example/lokales/radwege");
    assert_eq!(texts(&page).len(), 2, "{:?}", texts(&page));
    let authors = page.authors.expect("authors");
    assert_eq!(
        (authors.value, authors.origin),
        (
            vec!["Jana Müller".to_owned(), "Peter Schmidt".to_owned()],
            Origin::VisibleText
        )
    );
    assert_eq!(
        dates(&page.published),
        [(
            "Veröffentlicht am 24.07.2012, 10:15 Uhr",
            Origin::VisibleText
        )]
    );
    assert_eq!(
        dates(&page.updated),
        [("Aktualisiert am 25.07.2012, 08:00 Uhr", Origin::VisibleText)]
    );
    assert_eq!(
        page.title.map(|t| t.value).as_deref(),
        Some("Neue Radwege für die Innenstadt")
    );
}

#[test]
fn non_person_authors_are_rejected() {
    let html = r#"<html><head><meta name="author" content="Reuters">
<script type="application/ld+json">{"@type":"NewsArticle","headline":"Markets rise","author":{"@type":"Person","name":"Staff"}}</script></head>
<body><article><p class="byline">By Staff Reporter</p><p>Stocks rose on Friday as investors bet that interest rates have peaked, with technology shares leading the gains.</p></article></body></html>"#;
    let page = extract(html, "https://markets.example/rise");
    assert_eq!(page.authors, None);
    assert_eq!(page.body.len(), 1);
}

#[test]
fn windows_1252_page_declared_in_header() {
    let mut bytes = b"<html><head><title>Caf\xe9 prices</title></head><body><article><p>Prices at the caf\xe9 rose by 5 \x80 a month \x96 \x93a lot\x94, said one customer, who has been coming here for years.</p></article></body></html>".to_vec();
    bytes.extend_from_slice(b"\n");
    let url = url::Url::parse("https://cafe.example/prices").expect("url");
    let page = extract_page(&bytes, &url, Some("text/html; charset=windows-1252"));
    assert_eq!(
        texts(&page),
        [
            "Prices at the café rose by 5 € a month – “a lot”, said one customer, who has been coming here for years."
        ]
    );
    assert_eq!(page.title.map(|t| t.value).as_deref(), Some("Café prices"));
}

const HOSTILE_PARA: &str = "This paragraph sits deep inside the markup, and it is long enough, with commas, to count as prose.";

/// Hostile-input sizes: debug builds run html5ever's tokenizer unoptimised (it is generic, so it is compiled in
/// this crate), so they use a fraction of the size `cargo test --release` uses.
fn scaled(release: usize) -> usize {
    if cfg!(debug_assertions) {
        release / 10
    } else {
        release
    }
}

#[test]
fn hostile_deep_nesting() {
    // 10 MB of nested divs in release.
    let depth = scaled(650_000);
    let html = format!(
        "<html><body>{}<p>{HOSTILE_PARA}</p><p>{HOSTILE_PARA}</p>{}</body></html>",
        "<div class=\"a\">".repeat(depth),
        "</div>".repeat(depth)
    );
    let page = extract(&html, "https://deep.example/");
    assert_eq!(texts(&page), [HOSTILE_PARA, HOSTILE_PARA]);
    assert!(
        page.warnings.iter().any(|w| w.contains("flattened")),
        "{:?}",
        page.warnings
    );
}

#[test]
fn hostile_many_siblings() {
    let mut html = String::from("<html><body><div id=\"list\">");
    for n in 0..scaled(100_000) {
        html.push_str(if n % 2 == 0 {
            "<span>x</span>"
        } else {
            "<a href=\"/\">y</a>"
        });
    }
    html.push_str("</div><article>");
    html.push_str(&format!("<p>{HOSTILE_PARA}</p>").repeat(3));
    html.push_str("</article></body></html>");
    let page = extract(&html, "https://wide.example/");
    assert_eq!(texts(&page), [HOSTILE_PARA; 3]);
}

#[test]
fn hostile_binary_garbage() {
    let mut state = 0x9E37_79B9_u32;
    let bytes: Vec<u8> = (0..scaled(1_000_000))
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state >> 24) as u8
        })
        .collect();
    let url = url::Url::parse("https://garbage.example/").expect("url");
    for content_type in [None, Some("text/html"), Some("text/html; charset=utf-16")] {
        let page = extract_page(&bytes, &url, content_type);
        assert_eq!(page.url, "https://garbage.example/");
        if page.body.is_empty() {
            assert!(page.warnings.iter().any(|w| w == "no article body found"));
        }
    }
}

#[test]
fn hostile_all_script_and_oversized_input() {
    let script = format!(
        "<html><head><script>{}</script></head><body><script>{}</script></body></html>",
        "var a = '<p>not text</p>';".repeat(5_000),
        "x();".repeat(5_000)
    );
    let page = extract(&script, "https://script.example/");
    assert!(page.body.is_empty());
    assert_eq!(page.warnings, ["no article body found"]);

    // Over the input cap: the tail is ignored with a warning.
    let mut warnings = Vec::new();
    assert_eq!(super::cap_input(b"0123456789", 4, &mut warnings), b"0123");
    assert_eq!(warnings, ["page is 10 bytes; only the first 4 were read"]);
    if !cfg!(debug_assertions) {
        let mut big =
            format!("<html><body><article><p>{HOSTILE_PARA}</p></article><!--").into_bytes();
        big.resize(super::MAX_INPUT + 1_000, b'a');
        let url = url::Url::parse("https://big.example/").expect("url");
        let page = extract_page(&big, &url, Some("text/html; charset=utf-8"));
        assert_eq!(texts(&page), [HOSTILE_PARA]);
        assert!(
            page.warnings.iter().any(|w| w.contains("only the first")),
            "{:?}",
            page.warnings
        );
    }
}

#[test]
fn extraction_is_deterministic() {
    let html = news_page();
    let first = extract(&html, "https://courier.example/a");
    for _ in 0..3 {
        assert_eq!(extract(&html, "https://courier.example/a"), first);
    }
}

/// A typical 100 KB article page: a theme with navigation, sidebar and comments around 40 paragraphs.
fn typical_page() -> String {
    let mut html = wordpress_page();
    let extra: String = (0..40)
        .map(|n| format!("<p>{WP_P2} Extra paragraph {n}, with a clause, and another.</p>\n"))
        .collect();
    let pos = html.find("<div class=\"sharedaddy").expect("share box");
    html.insert_str(pos, &extra);
    let sidebar: String = (0..1_000).map(|n| format!("<li class=\"cat-item cat-item-{n}\"><a href=\"/category/{n}/\">Category number {n}</a> (12)</li>\n")).collect();
    let pos = html.find("</aside>").expect("aside");
    html.insert_str(
        pos,
        &format!("<section class=\"widget\"><ul>{sidebar}</ul></section>"),
    );
    html
}

#[test]
fn typical_page_speed() {
    let html = typical_page();
    assert!(html.len() > 90_000, "{}", html.len());
    let url = url::Url::parse("https://harbour.example/2024/07/03/old-ferry-pier-to-reopen/")
        .expect("url");
    let runs = if cfg!(debug_assertions) { 3 } else { 200 };
    let start = std::time::Instant::now();
    let mut blocks = 0;
    for _ in 0..runs {
        blocks = extract_page(html.as_bytes(), &url, None).body.len();
    }
    let per_page = start.elapsed() / runs;
    eprintln!(
        "typical page: {} bytes, {blocks} blocks, {per_page:?} per extraction",
        html.len()
    );
    assert_eq!(blocks, 45);
}

#[test]
fn og_title_with_site_suffix_and_no_site_name() {
    let html = r#"<html><head><title>Ferry fares to rise | Island Post</title><meta property="og:title" content="Ferry fares to rise | Island Post"></head>
<body><div class="story"><h1>Ferry fares to rise</h1><p>Fares on the island ferry will rise by eight percent in October, the operator said on Friday, citing fuel costs.</p></div></body></html>"#;
    let page = extract(html, "https://island.example/ferry-fares");
    let title = page.title.expect("title");
    assert_eq!(
        (title.value.as_str(), title.origin),
        ("Ferry fares to rise", Origin::OpenGraph)
    );
}

#[test]
fn inline_furniture_classes_inside_sentences_are_kept() {
    let html = r#"<html><body><article>
<p>The council met on <span class="date">July 4</span> and heard from <a class="tag" href="/t/x">residents</a>, officials said.</p>
<p>A second meeting is planned for the autumn, when the budget, the plans and the costs will be known.</p>
<figure><img src="a.jpg"><p>A caption without a class, under the photograph.</p></figure>
</article></body></html>"#;
    let page = extract(html, "https://council.example/meeting");
    assert_eq!(
        texts(&page),
        [
            "The council met on July 4 and heard from residents, officials said.",
            "A second meeting is planned for the autumn, when the budget, the plans and the costs will be known.",
        ]
    );
}

#[test]
fn drupal_page_with_time_element() {
    let paras = [
        "The county will spend 3.2 million dollars to replace the roof of the central library, which has leaked into the reading room during every storm since 2016.",
        "Work is scheduled to begin in March and will close the building for about ten weeks; a temporary branch will open in the community centre on Elm Street.",
        "Commissioners approved the contract 4-1, with one member arguing that the county should have sought more bids.",
    ];
    let html = format!(
        r#"<!DOCTYPE html><html lang="en" dir="ltr"><head><meta name="Generator" content="Drupal 7 (http://drupal.org)">
<title>County approves library roof repair | Valley Courier</title></head>
<body class="html not-front page-node node-type-article">
<div id="page-wrapper"><div id="header"><div class="region region-header"><a href="/" id="logo">Valley Courier</a></div></div>
<div id="main-wrapper"><div id="main" class="clearfix"><div id="content" class="column"><div class="section">
<h1 class="title" id="page-title">County approves library roof repair</h1>
<div class="region region-content"><div id="block-system-main" class="block block-system">
<div id="node-4412" class="node node-article node-promoted clearfix">
<div class="meta submitted"><span class="username">Lena Ortiz</span> <time datetime="2024-02-06T18:40:00-05:00" pubdate>Tue, 02/06/2024 - 18:40</time></div>
<div class="content"><div class="field field-name-body field-type-text-with-summary"><div class="field-items"><div class="field-item even" property="content:encoded">
<p>{}</p><p>{}</p><p>{}</p></div></div></div>
<div class="field field-name-field-tags field-type-taxonomy-term-reference"><div class="field-label">Tags:&nbsp;</div><ul class="links"><li><a href="/t/library">Library</a></li><li><a href="/t/county">County</a></li></ul></div></div>
<ul class="links inline"><li class="print_html first"><a href="/print/4412">Printer-friendly version</a></li><li class="comment-add last"><a href="/comment/reply/4412#comment-form">Add new comment</a></li></ul>
</div></div></div></div></div>
<div id="sidebar-second" class="column sidebar"><div class="section"><div class="block"><h2>Read more</h2><ul><li><a href="/a">Budget hearing set for Thursday</a></li><li><a href="/b">School board elects new chair</a></li></ul></div></div></div>
</div></div></div></body></html>"#,
        paras[0], paras[1], paras[2]
    );
    let page = extract(
        &html,
        "https://valleycourier.example/news/county-approves-library-roof-repair",
    );
    assert_eq!(texts(&page), paras);
    let title = page.title.expect("title");
    assert_eq!(
        (title.value.as_str(), title.origin),
        ("County approves library roof repair", Origin::Heading)
    );
    assert_eq!(
        dates(&page.published)[0],
        ("2024-02-06T18:40:00-05:00", Origin::TimeElement)
    );
    assert_eq!(page.language.as_deref(), Some("en"));
    let authors = page.authors.expect("authors");
    assert_eq!(
        (authors.value, authors.origin),
        (vec!["Lena Ortiz".to_owned()], Origin::VisibleText)
    );
}

mod fuzz {
    use proptest::prelude::*;

    /// Pieces that stress the tree builder and the extractor: unbalanced tags, tables, raw text, entities.
    const PIECES: &[&str] = &[
        "<div>",
        "</div>",
        "<p>",
        "</p>",
        "<table>",
        "<tr>",
        "<td>",
        "</table>",
        "<li>",
        "<ul>",
        "</ul>",
        "<script>",
        "</script>",
        "<br>",
        "<br><br>",
        "<a href=x>",
        "</a>",
        "<b id=1>",
        "</b>",
        "<h1>",
        "</h2>",
        "<blockquote>",
        "<pre>",
        "</pre>",
        "<!--",
        "-->",
        "&amp;",
        "&#x110000;",
        "&nbsp;",
        "<meta name=date content=2012>",
        "<time datetime=2012-07-24>",
        "<div class=comments>",
        "<div class=entry-content>",
        "<nav>",
        "<html>",
        "<body>",
        "Posted July 24th, 2012",
        "By Ana Lima and Tom Reyes",
        "Some text, with commas, that reads like prose.",
        "<script type=application/ld+json>{\"@type\":\"NewsArticle\",\"author\":[[[\"x\"]]]}</script>",
        "\u{0}",
        "é",
        "“”",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        #[test]
        fn extraction_never_panics(pieces in proptest::collection::vec(0..PIECES.len(), 0..120)) {
            let html: String = pieces.iter().map(|&i| PIECES[i]).collect();
            let url = url::Url::parse("https://fuzz.example/2012/07/24/x").expect("url");
            let page = super::extract_page(html.as_bytes(), &url, None);
            prop_assert!(!page.warnings.iter().any(|w| w.contains("internal error")));
            for block in &page.body {
                prop_assert!(!block.text.is_empty());
                if block.kind != newswire_model::BlockKind::Preformatted {
                    prop_assert_eq!(block.text.trim(), block.text.as_str());
                    prop_assert!(!block.text.contains("  "));
                }
            }
            let _ = crate::html::fragment_blocks(&html);
        }
    }
}

#[test]
fn paragraphs_as_divs_and_social_embeds() {
    let paras = [
        "Two paragraphs of this story are written as plain divs, the way some page builders do it, with no p elements at all.",
        "The second one is just as plain, and both must come out as paragraphs in order, without the embedded post between them.",
    ];
    let html = format!(
        r#"<html><body><div class="wrap"><div class="menu"><a href="/">Home</a> <a href="/a">A</a></div>
<div class="article-content"><div>{}</div>
<div class="embed-wrapper"><blockquote class="twitter-tweet"><p>Embedded post text that is not the article.</p>&mdash; Someone (@someone) <a href="https://twitter.com/x">July 1</a></blockquote></div>
<div>{}</div></div>
<div class="footer-links"><a href="/about">About</a> <a href="/contact">Contact</a></div></div></body></html>"#,
        paras[0], paras[1]
    );
    let page = extract(&html, "https://builder.example/story");
    assert_eq!(texts(&page), paras);
}

#[test]
fn component_blocks_page() {
    let paras = [
        "Heavy rain has flooded dozens of homes in the valley, with more downpours forecast for the rest of the week.",
        "Emergency services said they had rescued 14 people from cars trapped by rising water overnight.",
        "The environment agency has issued three severe flood warnings, meaning there is a danger to life.",
        "Residents of low-lying streets have been told to move valuables upstairs and to be ready to leave.",
    ];
    let text_block = |p: &str| {
        format!(
            r#"<div data-component="text-block" class="sc-18fde0d6-0"><p class="sc-eb7bd5f6-0">{p}</p></div>"#
        )
    };
    let html = format!(
        r#"<html lang="en-GB"><head><title>Floods hit valley homes - Northern News</title></head><body>
<header><nav><a href="/">Home</a><a href="/news">News</a></nav></header>
<main id="main-content"><article>
<div data-component="headline-block"><h1 id="main-heading">Floods hit valley homes</h1></div>
<div data-component="byline-block"><div><span>Ana Lima</span><span>Northern News</span></div></div>
<div data-component="timestamp-block"><time datetime="2024-10-21T06:02:11.000Z">2 hours ago</time></div>
<div data-component="image-block"><figure><img src="a.jpg"><figcaption>Water reached the windows of some homes</figcaption></figure></div>
{}{}
<div data-component="links-block"><h2>Related topics</h2><ul><li><a href="/t/floods">Floods</a></li><li><a href="/t/weather">Weather</a></li></ul></div>
{}{}
</article></main>
<section data-component="most-read"><h2>Most read</h2><ol><li><a href="/1">Story one about something else entirely</a></li></ol></section>
<footer><p>Copyright 2024 Northern News</p></footer></body></html>"#,
        text_block(paras[0]),
        text_block(paras[1]),
        text_block(paras[2]),
        text_block(paras[3])
    );
    let page = extract(&html, "https://northern.example/news/uk-123");
    assert_eq!(texts(&page), paras);
    assert_eq!(
        page.title.map(|t| t.value).as_deref(),
        Some("Floods hit valley homes")
    );
    assert_eq!(
        dates(&page.published)[0],
        ("2024-10-21T06:02:11.000Z", Origin::TimeElement)
    );
}

#[test]
fn blogger_post_with_br_paragraphs() {
    let html = r#"<html><head><title>Trip notes: Day 3</title></head><body>
<div class="outer-wrapper"><div class="main-wrapper"><div class="blog-posts hfeed">
<div class="date-outer"><h2 class="date-header"><span>Wednesday, August 15, 2012</span></h2>
<div class="post hentry"><h3 class="post-title entry-title">Trip notes: Day 3</h3>
<div class="post-body entry-content">We left the campsite before dawn and walked along the river, which was higher than we had expected after the storms.<br /><br />By noon we had reached the old mill, where a farmer sold us bread, cheese and a jar of honey.<br /><br />In the evening it rained again, and we spent it playing cards in the tent.</div>
<div class="post-footer"><span class="post-author vcard">Posted by <span class="fn">Marta Silva</span></span> at <a class="timestamp-link" href="/x"><abbr class="published" title="2012-08-15T21:04:00+01:00">9:04 PM</abbr></a> <span class="post-comment-link"><a href="/x#comments">2 comments</a></span></div>
</div></div></div></div>
<div class="sidebar-wrapper"><h2>Blog Archive</h2><ul><li><a href="/2012/08">August (5)</a></li></ul></div></div></body></html>"#;
    let page = extract(
        html,
        "https://trip.blogspot.example/2012/08/trip-notes-day-3.html",
    );
    assert_eq!(
        texts(&page),
        [
            "We left the campsite before dawn and walked along the river, which was higher than we had expected after the storms.",
            "By noon we had reached the old mill, where a farmer sold us bread, cheese and a jar of honey.",
            "In the evening it rained again, and we spent it playing cards in the tent.",
        ]
    );
    assert_eq!(
        page.title.map(|t| t.value).as_deref(),
        Some("Trip notes: Day 3")
    );
    let authors = page.authors.expect("authors");
    assert_eq!(authors.value, ["Marta Silva"]);
    assert_eq!(
        dates(&page.published).last(),
        Some(&("2012-08", Origin::UrlPath))
    );
}

#[test]
fn json_ld_article_body_points_at_the_right_container() {
    let article = [
        "The ferry timetable changes on Monday, with two extra sailings on weekday evenings, the operator said.",
        "Tickets bought before the change remain valid, and season passes are not affected, it added.",
    ];
    let about = "Our newspaper has served the islands since 1887, reporting on council meetings, harbour news, weddings, \
                 funerals, fishing quotas, school results, ferry timetables, storms, and everything else that matters here.";
    let html = format!(
        r#"<html><head><script type="application/ld+json">{{"@type":"NewsArticle","headline":"Ferry timetable changes","articleBody":"{} {}"}}</script></head>
<body><div class="a"><div class="b"><p>{}</p><p>{}</p></div></div>
<div class="c"><div class="d"><p>{about}</p><p>{about}</p><p>{about}</p></div></div></body></html>"#,
        article[0], article[1], article[0], article[1]
    );
    let page = extract(&html, "https://islands.example/ferry");
    assert_eq!(texts(&page), article);
}

#[test]
fn cjk_datelines() {
    let html = r#"<html lang="ja"><body><div class="kiji"><h1>港の再開発計画が決定</h1>
<p>公開日：2012年7月24日 10:15</p><p>更新日：2012年7月25日</p>
<p>市議会は二十四日、港の倉庫群を住宅と公園に再開発する計画を賛成多数で可決した。工事は来年春に始まる予定で、完成までに約五年かかる見通しだ。</p>
<p>計画には市民から、交通量の増加や景観の変化を心配する声も寄せられている。市は説明会を開いて理解を求めるとしている。</p>
</div></body></html>"#;
    let page = extract(html, "https://minato.example/news/1");
    assert_eq!(
        dates(&page.published),
        [("公開日：2012年7月24日 10:15", Origin::VisibleText)]
    );
    assert_eq!(
        dates(&page.updated),
        [("更新日：2012年7月25日", Origin::VisibleText)]
    );
    assert_eq!(page.body.len(), 2, "{:?}", texts(&page));
    assert_eq!(
        page.title.map(|t| t.value).as_deref(),
        Some("港の再開発計画が決定")
    );
}

#[test]
fn header_inside_main_keeps_the_headline() {
    let html = r#"<html><head><title>Port strike ends after six days</title></head><body>
<header class="site"><h1><a href="/">The Coast Post</a></h1></header>
<main><header><h1>Port strike ends after six days</h1><p class="standfirst">Dockers accept a 7% rise.</p></header>
<div class="story"><p>Dock workers voted on Sunday to accept a pay offer, ending a six-day strike that had left dozens of ships waiting offshore.</p>
<p>The union said the deal, worth seven percent over two years, was the best its members had been offered in a decade.</p></div></main>
</body></html>"#;
    let page = extract(html, "https://coastpost.example/port-strike");
    let title = page.title.clone().expect("title");
    assert_eq!(
        (title.value.as_str(), title.origin),
        ("Port strike ends after six days", Origin::Heading)
    );
    assert_eq!(page.body.len(), 2, "{:?}", texts(&page));
}

#[test]
fn node_cap_truncates_with_a_warning() {
    // More elements than the node cap; the article comes first and survives.
    let n = super::MAX_NODES + 10;
    let mut html = format!("<html><body><article><p>{HOSTILE_PARA}</p></article><div>");
    if cfg!(debug_assertions) {
        // Debug builds tokenize slowly: exercise the cap on the DOM alone with a smaller document below.
        html.push_str(&"<i></i>".repeat(1_000));
    } else {
        html.push_str(&"<i></i>".repeat(n));
    }
    let page = extract(&html, "https://many.example/");
    assert_eq!(texts(&page), [HOSTILE_PARA]);
    assert_eq!(
        page.warnings
            .iter()
            .any(|w| w.contains("nodes; the rest was ignored")),
        !cfg!(debug_assertions)
    );
}

#[test]
fn hostile_metadata_volume() {
    let n = scaled(50_000);
    let body_text = "word ".repeat(scaled(2_000_000) / 5);
    let mut html = format!(
        r#"<html><head><script type="application/ld+json">{{"@type":"NewsArticle","articleBody":"{body_text}"}}</script>"#
    );
    html.push_str(&"<meta name=\"keywords\" content=\"a, b, c\">".repeat(n / 10));
    html.push_str("</head><body><article>");
    for _ in 0..n / 10 {
        html.push_str(&format!("<p itemprop=\"author\">Ana Lima</p><p itemprop=\"datePublished\">2012</p><p>{HOSTILE_PARA}</p>"));
    }
    html.push_str("</article></body></html>");
    let page = extract(&html, "https://volume.example/");
    assert_eq!(
        page.authors.map(|a| a.value),
        Some(vec!["Ana Lima".to_owned()])
    );
    assert!(page.published.len() <= 8);
    assert_eq!(page.categories, ["a", "b", "c"]);
}

/// Blogger: the post sits in `<div class="widget Blog">`, its paragraphs are `<br><br>` runs, the date is in a
/// date header above the post and the time in the footer's "Posted by … at …".
#[test]
fn blogger_post_in_widget_with_split_date() {
    let para = "The county fair opened on Saturday under a sky that could not decide between sun and thunder, \
                and the judges worked through more than a thousand entries by Monday evening.";
    let html = format!(
        r#"<html><head><title>Hollow Creek Journal: Quilts, pickles and a record pumpkin: notes from the fair</title></head><body>
<div class="widget Blog" id="Blog1"><div class="blog-posts">
<h2 class="date-header"><span>Tuesday, July 24, 2012</span></h2>
<div class="post hentry"><h3 class="post-title entry-title">Quilts, pickles and a record pumpkin: notes from the fair</h3>
<div class="post-body entry-content">{para}<br /><br />{para}<br /><br />{para}</div>
<div class="post-footer"><span class="post-author vcard">Posted by <span class="fn">Margaret Hollis</span></span>
<span class="post-timestamp">at <a class="timestamp-link" href="/p.html"><abbr class="published">6:10 AM</abbr></a></span></div>
</div></div></div>
<div class="widget Profile"><h2>About Me</h2><p>Some words about the author of this blog.</p></div>
</body></html>"#
    );
    let page = extract(&html, "https://blog.example/2012/07/notes.html");
    assert_eq!(page.body.len(), 3);
    assert_eq!(
        page.title.map(|t| t.value).as_deref(),
        Some("Quilts, pickles and a record pumpkin: notes from the fair")
    );
    assert_eq!(
        page.authors.map(|a| a.value),
        Some(vec!["Margaret Hollis".to_owned()])
    );
    assert_eq!(page.published[0].value, "Tuesday, July 24, 2012 6:10 AM");
    assert_eq!(page.published[0].origin, Origin::VisibleText);
}

/// Microformats' abbr pattern: the machine-readable time is the `title`.
#[test]
fn abbr_title_is_the_microdata_value() {
    let html = r#"<html><body><article><h1>Festa na praça</h1>
<p>A praça inteira cantou depois do jogo, e a festa seguiu pela madrugada, com muita gente na rua.</p>
<p>Postado por Rodrigo às <abbr class="published" itemprop="datePublished" title="2014-07-09T00:40:00-03:00">00:40</abbr></p>
</article></body></html>"#;
    let page = extract(html, "https://blog.example/p.html");
    assert_eq!(page.published[0].value, "2014-07-09T00:40:00-03:00");
    assert_eq!(page.published[0].origin, Origin::Microdata);
}

/// `<div class="story-header">` inside the article is the article's header (title, byline, time), not the
/// site's chrome.
#[test]
fn classed_header_inside_article_is_not_chrome() {
    let para = "<p>The pit closed after 118 years, and the town it built is learning what to do without it, one \
                family at a time.</p>";
    let html = format!(
        r#"<html><head><title>The last shift: a coal town learns to live without its pit | The long read | Post</title></head><body>
<div class="site-header"><a href="/">Post</a></div>
<article><div class="longform-header"><p class="kicker">The long read</p><h1>The last shift: a coal town learns to live without its pit</h1>
<p class="longform-byline">Words by <span>Catherine Doyle</span></p>
<p><time datetime="2014-11-28T06:00:00+00:00">Fri 28 Nov 2014 06.00 GMT</time></p></div>
<div class="longform-body">{para}{para}{para}</div></article></body></html>"#
    );
    let page = extract(&html, "https://post.example/features/last-shift");
    assert_eq!(
        page.title.map(|t| t.value).as_deref(),
        Some("The last shift: a coal town learns to live without its pit")
    );
    assert_eq!(
        page.authors.map(|a| a.value),
        Some(vec!["Catherine Doyle".to_owned()])
    );
    assert_eq!(page.published[0].value, "2014-11-28T06:00:00+00:00");
    assert_eq!(page.body.len(), 3);
}

/// A byline line that also states the publication time, and (failing any other dateline) an info line with a
/// date, a time and an inline `作者：` label.
#[test]
fn datelines_in_byline_and_info_lines() {
    let para = "<p>Les vignerons parcouraient mercredi matin leurs parcelles pour mesurer l’étendue des dégâts, \
                et la récolte est perdue à plus de 80 % dans certains villages.</p>";
    let html = format!(
        r#"<html><body><div class="article"><h1>Grêle</h1>
<p class="signature">Par Claire Dubreuil – Publié le 24 juillet 2013 à 06h10</p>
<div class="texte">{para}{para}</div></div></body></html>"#
    );
    let page = extract(&html, "https://vignes.example/grele.html");
    assert_eq!(
        page.published[0].value,
        "Par Claire Dubreuil – Publié le 24 juillet 2013 à 06h10"
    );
    assert_eq!(
        page.authors.map(|a| a.value),
        Some(vec!["Claire Dubreuil".to_owned()])
    );
    assert_eq!(page.body.len(), 2);

    let para = "<p>本报讯 7月21日至22日凌晨，北京市遭遇自1951年有完整气象记录以来最强的一次降雨过程，全市平均降雨量达到170毫米。</p>";
    let html = format!(
        r##"<html><body><div class="main"><div class="left"><h1>北京遭遇最强降雨</h1>
<div class="info">2012年07月22日 10:48　来源：京华日报　作者：李文静　<a href="#pl">我要评论</a></div>
<div id="content">{para}{para}</div></div>
<div class="right"><ul><li><a href="/a">旧闻</a> 2012-07-20 09:00</li></ul></div></div></body></html>"##
    );
    let page = extract(&html, "https://news.example/a.htm");
    assert_eq!(
        page.published[0].value,
        "2012年07月22日 10:48 来源：京华日报 作者：李文静 我要评论"
    );
    assert_eq!(
        page.authors.map(|a| a.value),
        Some(vec!["李文静".to_owned()])
    );
}

/// `og:article:published_time` (a common misspelling of `article:published_time`) is read as OpenGraph.
#[test]
fn og_prefixed_article_published_time() {
    let html = r#"<html><head><meta property="og:article:published_time" content="2015-12-16T19:05:22+0000"></head>
<body><article><h1>Fed raises rates</h1>
<p>WASHINGTON (Wire) — The Federal Reserve raised interest rates on Wednesday for the first time in nearly a decade.</p>
<div class="date">December 16, 2015 / 2:05 PM</div></article></body></html>"#;
    let page = extract(html, "https://wire.example/fed");
    assert_eq!(page.published[0].value, "2015-12-16T19:05:22+0000");
    assert_eq!(page.published[0].origin, Origin::OpenGraph);
}

const PROSE: [&str; 4] = [
    "The council approved the plan on Tuesday after a debate that ran past midnight, with eleven votes in favour.",
    "Opponents said the cost, put at about 40 million, had been underestimated, and that the work would drag on.",
    "Supporters replied that the bridge was fifty years old and that repairs could not be put off any longer.",
    "Work is due to start in the spring, and the contractor has promised to keep one lane open at all times.",
];

/// A data table (caption, header cells) inside the article is not body; a layout table is.
#[test]
fn data_tables_are_not_body() {
    let html = format!(
        r#"<html><body><article><h1>Council approves bridge plan</h1><div class="story-body">
<p>{}</p><p>{}</p>
<table class="data"><caption>Votes by ward</caption><tr><th>Ward</th><th>For</th></tr><tr><td>North</td><td>4</td></tr></table>
<p>{}</p><p>{}</p></div></article></body></html>"#,
        PROSE[0], PROSE[1], PROSE[2], PROSE[3]
    );
    let page = extract(&html, "https://news.example/bridge");
    assert_eq!(texts(&page), PROSE);

    let html = format!(
        r#"<html><body><table><tr><td><a href="/">Home</a></td><td><font size="2">
<p>{}</p><p>{}</p><p>{}</p><p>{}</p></font></td></tr></table></body></html>"#,
        PROSE[0], PROSE[1], PROSE[2], PROSE[3]
    );
    let page = extract(&html, "https://news.example/bridge");
    assert_eq!(texts(&page), PROSE);
}

/// Medium splits a story into `<section>`s separated by `<hr>`: the later section is more article.
#[test]
fn article_continues_in_a_later_section() {
    let html = format!(
        r#"<html><body><article><div><section><div><div class="a1"><h1>Council approves bridge plan</h1>
<p>{}</p><p>{}</p></div></div></section><hr><section><div><div class="a1">
<p>{}</p><p>{}</p></div></div></section></div></article>
<div class="more"><h2>More from the author</h2><p><a href="/x">Another story about bridges and councils</a></p></div>
</body></html>"#,
        PROSE[0], PROSE[1], PROSE[2], PROSE[3]
    );
    let page = extract(&html, "https://medium.example/bridge");
    assert_eq!(texts(&page), PROSE);
}

/// Split containers named alike (`gallery-intro`, `gallery-outro`) are both article; a membership callout
/// and an AMP ad inside the article are not.
#[test]
fn parts_named_alike_join_and_callouts_do_not() {
    let html = format!(
        r#"<html><body><article><h1>Council approves bridge plan</h1>
<div class="gallery-intro"><p>{}</p><p>{}</p><p>{}</p>
<amp-ad width="300" height="250" type="doubleclick"><div placeholder>Advertisement</div><div fallback>Ad failed to load</div></amp-ad>
<div class="kg-card kg-callout-card"><div class="kg-callout-text">The Daily is reader-funded. <a href="/#/portal/signup">Become a member</a> to get every story.</div></div>
</div>
<div class="gallery"><figure><img src="/a.jpg"><figcaption>The old bridge at dawn, seen from the north bank of the river.</figcaption></figure></div>
<div class="gallery-outro"><p>{}</p></div></article></body></html>"#,
        PROSE[0], PROSE[1], PROSE[2], PROSE[3]
    );
    let page = extract(&html, "https://news.example/bridge");
    assert_eq!(texts(&page), PROSE);
}

/// Drupal 7's RDFa date (`property="dc:date dc:created" content=…`) is the publication time; a short standfirst
/// field beside the body field is not more article, even when its type word (`text-long`) sounds like content.
#[test]
fn drupal7_rdfa_date_and_standfirst_field() {
    let html = format!(
        r#"<html lang="it"><head><title>Approvato il bilancio | Gazzetta</title></head><body>
<div id="node-48" class="node node-article clearfix" about="/cronaca/bilancio" typeof="sioc:Item foaf:Document">
<div class="meta submitted"><span property="dc:date dc:created" content="2021-03-03T14:05:00+01:00" datatype="xsd:dateTime" rel="sioc:has_creator">Inviato da <span class="username" property="foaf:name">Giulia Ferraro</span> il Mer, 03/03/2021 - 14:05</span></div>
<div class="content clearfix">
<div class="field field-name-field-sommario field-type-text-long field-label-hidden"><div class="field-items"><div class="field-item even">Via libera con 17 voti a favore dopo una seduta fiume in videoconferenza, bocciato l'emendamento.</div></div></div>
<div class="field field-name-body field-type-text-with-summary field-label-hidden"><div class="field-items"><div class="field-item even" property="content:encoded"><p>{}</p><p>{}</p><p>{}</p></div></div></div>
</div></div></body></html>"#,
        PROSE[0], PROSE[1], PROSE[2]
    );
    let page = extract(&html, "https://gazzetta.example/cronaca/bilancio");
    assert_eq!(texts(&page), &PROSE[..3]);
    assert_eq!(
        dates(&page.published)[0],
        ("2021-03-03T14:05:00+01:00", Origin::Microdata)
    );
}

/// A JSON-LD headline that ends with the site's name ("Headline - Publication", as Medium writes it) loses it.
#[test]
fn json_ld_headline_with_site_suffix() {
    let html = format!(
        r#"<html><head><meta property="og:site_name" content="Infra Notes">
<script type="application/ld+json">{{"@context":"http://schema.org","@type":"NewsArticle","headline":"How we stopped our cache from stampeding - Infra Notes"}}</script>
</head><body><article><h1>How we stopped our cache from stampeding</h1><p>{}</p><p>{}</p></article></body></html>"#,
        PROSE[0], PROSE[1]
    );
    let page = extract(&html, "https://infranotes.example/cache");
    let title = page.title.expect("title");
    assert_eq!(
        (title.value.as_str(), title.origin),
        ("How we stopped our cache from stampeding", Origin::JsonLd)
    );
}

/// A live-blog post whose class names it a summary (`block is-summary`) still holds an `articleBody`: it is
/// article, not a standfirst.
#[test]
fn live_blog_summary_post_holding_article_body() {
    let post = |class: &str, text: &str| {
        format!(
            r#"<article class="{class}" itemprop="liveBlogUpdate" itemscope itemtype="http://schema.org/BlogPosting"><p class="block-time"><time datetime="2022-03-03T09:47:00+11:00">9.47am</time></p><div class="block-elements" itemprop="articleBody"><p>{text}</p></div></article>"#
        )
    };
    let html = format!(
        r#"<html><body><main><h1>Floods live</h1><div class="live-blog__blocks">{}{}{}{}</div></main></body></html>"#,
        post("block is-summary", PROSE[0]),
        post("block", PROSE[1]),
        post("block", PROSE[2]),
        post("block", PROSE[3]),
    );
    let page = extract(&html, "https://news.example/live");
    assert_eq!(texts(&page), PROSE);
}

/// Substack's subheadings are `<h2 class="header-anchor-post">` with an anchor widget inside: the header word
/// names the heading, which is body.
#[test]
fn headings_named_for_a_header_are_body() {
    let html = format!(
        r#"<html><body><article class="post"><h1 class="post-title">The duplex math</h1><div class="available-content"><div class="body markup">
<p>{}</p><p>{}</p>
<h2 class="header-anchor-post">Where the numbers move<div class="pencraft header-anchor-parent"><div class="header-anchor-widget"><button aria-label="Link" class="header-anchor"></button></div></div></h2>
<p>{}</p><p>{}</p></div></div></article></body></html>"#,
        PROSE[0], PROSE[1], PROSE[2], PROSE[3]
    );
    let page = extract(&html, "https://buildout.example/p/duplex");
    assert_eq!(
        texts(&page),
        [
            PROSE[0],
            PROSE[1],
            "Where the numbers move",
            PROSE[2],
            PROSE[3]
        ]
    );
}

/// A press release keeps its text and its "About" section, and loses the legal tail, the media contact and
/// the `SOURCE` tag; a reader-support box linking to `/support/` is not article either.
#[test]
fn press_release_tail_and_support_box() {
    let html = format!(
        r#"<html><body><section class="release-body"><h1>Northwind Cells to build plant</h1>
<p>{}</p><p>{}</p><p>{}</p>
<div class="support-box"><p><strong>Support the Notebook.</strong> We are written by neighbours, with no paywall.</p><p><a href="/support/">Become a supporter</a></p></div>
<p><b>About Northwind Cells</b></p><p>{}</p>
<p><i>Forward-Looking Statements</i></p>
<p><i>This press release contains forward-looking statements about the plant, which are subject to risks and uncertainties that could cause actual results to differ.</i></p>
<p><b>Media Contact:</b><br>Dana Kessler<br>+1 555-0187</p>
<p id="PURL">SOURCE Northwind Cells</p></section></body></html>"#,
        PROSE[0], PROSE[1], PROSE[2], PROSE[3]
    );
    let page = extract(&html, "https://prwire.example/news-releases/northwind");
    assert_eq!(
        texts(&page),
        [
            PROSE[0],
            PROSE[1],
            PROSE[2],
            "About Northwind Cells",
            PROSE[3]
        ]
    );
}
