//! What every engine must do with full-text search: ranking, folding, filters, snippets, hostile input, updates.
//! See issue 6.

use chrono::{TimeZone, Utc};
use newswire_model::{Block, Dispatch};
use newswire_store::{Outcome, SearchHit, SearchQuery, Store};

use crate::TestDb;

/// A dispatch numbered `n` (its id and URL follow from it), from `https://<host>/` through `<host>`'s feed.
pub fn numbered(n: u32, host: &str, title: &str, paragraphs: &[&str]) -> Dispatch {
    let mut d = crate::behaviour::dispatch("https://unused.example/", "");
    d.id = format!("{n:016x}");
    d.url = format!("https://{host}/{n}");
    d.title = title.to_owned();
    d.body = paragraphs.iter().map(|p| Block::paragraph(*p)).collect();
    d.content_hash = format!("hash-of-{n}-{title}-{paragraphs:?}");
    d.source.feed_url = Some(format!("https://{host}/feed.xml"));
    d.source.site = Some(format!("https://{host}"));
    d
}

fn search(store: &dyn Store, text: &str) -> Vec<SearchHit> {
    store.search(&SearchQuery::new(text)).unwrap()
}

fn ids(hits: &[SearchHit]) -> Vec<&str> {
    hits.iter().map(|h| h.id.as_str()).collect()
}

const FILLER: &str =
    "The talks lasted two days and covered trade, security and climate, officials said afterwards.";

pub fn a_title_match_ranks_above_a_body_match(db: &TestDb) {
    let mut store = db.open();
    let in_body = numbered(
        1,
        "a.example",
        "Diplomats meet in Geneva",
        &[
            FILLER,
            "Campaigners raised human rights at the last session.",
            FILLER,
        ],
    );
    let in_title = numbered(
        2,
        "b.example",
        "Rights groups meet in Geneva",
        &[FILLER, FILLER],
    );
    let neither = numbered(3, "c.example", "Markets close higher", &[FILLER]);
    for d in [&in_body, &in_title, &neither] {
        store.upsert(d).unwrap();
    }
    let hits = search(&store, "rights");
    assert_eq!(ids(&hits), [&in_title.id, &in_body.id]);
    assert!(hits[0].score > hits[1].score, "{hits:#?}");
    assert_eq!(hits[0].title, "Rights groups meet in Geneva");
    assert_eq!(hits[0].url, "https://b.example/2");
    assert_eq!(
        hits[0].published_at.map(|t| t.to_string()).as_deref(),
        Some("2012-07-24T06:10:00-05:00")
    );
    assert_eq!(
        hits[0].source.feed_url.as_deref(),
        Some("https://b.example/feed.xml")
    );
    assert_eq!(hits[0].story.as_deref(), Some(in_title.id.as_str()));
    // Every word must match, in the title or the body.
    assert_eq!(
        ids(&search(&store, "rights geneva campaigners")),
        [&in_body.id]
    );
    assert!(search(&store, "rights markets").is_empty());
    // Whole words only, case ignored.
    assert!(search(&store, "right").is_empty());
    assert_eq!(search(&store, "RIGHTS").len(), 2);
}

pub fn accents_and_case_are_ignored(db: &TestDb) {
    let mut store = db.open();
    let cafe = numbered(
        1,
        "paris.example",
        "Café society returns",
        &["Le café de Flore reopened on the Boulevard Saint-Germain, à Paris."],
    );
    let other = numbered(2, "paris.example", "Cafeteria prices", &["Prices rose."]);
    store.upsert(&cafe).unwrap();
    store.upsert(&other).unwrap();
    for query in ["cafe", "Café", "CAFE", "cafè"] {
        let hits = search(&store, query);
        assert_eq!(ids(&hits), [&cafe.id], "{query}");
        assert_eq!(
            hits[0].snippet, "Le [café] de Flore reopened on the Boulevard Saint-Germain, à Paris.",
            "{query}"
        );
    }
    assert!(search(&store, "cafes").is_empty(), "whole words");
    // Other scripts: folded the same way (Greek and Cyrillic accents, case), or kept as written.
    let world = numbered(
        3,
        "world.example",
        "Новости дня",
        &["Ωμέγα Straße in Łódź, हिन्दी समाचार, 中文新闻 and Ёлка."],
    );
    store.upsert(&world).unwrap();
    for query in [
        "новости",
        "ΩΜΕΓΑ",
        "straße",
        "lodz",
        "हिन्दी",
        "中文新闻",
        "елка",
    ] {
        assert_eq!(ids(&search(&store, query)), [&world.id], "{query}");
    }
    assert_eq!(ids(&search(&store, "a paris")), [&cafe.id], "à is a");
    assert_eq!(ids(&search(&store, "saint germain")), [&cafe.id]);
}

pub fn time_filters_select_by_publication_instant(db: &TestDb) {
    let mut store = db.open();
    let mut early = numbered(1, "a.example", "Flood warning one", &["Rivers rose."]);
    early.published_at = Some("2012-07-23T10:00:00+00:00".parse().unwrap());
    let mut late = numbered(2, "a.example", "Flood warning two", &["Rivers rose."]);
    // 2012-07-24T11:10:00Z.
    late.published_at = Some("2012-07-24T06:10:00-05:00".parse().unwrap());
    let mut undated = numbered(3, "a.example", "Flood warning three", &["Rivers rose."]);
    undated.published_at = None; // sorted by its fetch time, 2026-01-01
    for d in [&early, &late, &undated] {
        store.upsert(d).unwrap();
    }
    let run = |since: Option<(i32, u32, u32, u32)>, until: Option<(i32, u32, u32, u32)>| {
        let at =
            |(y, m, d, h): (i32, u32, u32, u32)| Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap();
        let mut hits = store
            .search(&SearchQuery {
                since: since.map(at),
                until: until.map(at),
                ..SearchQuery::new("flood")
            })
            .unwrap();
        hits.sort_by(|a, b| a.id.cmp(&b.id));
        hits.into_iter().map(|h| h.id).collect::<Vec<_>>()
    };
    assert_eq!(
        run(None, None),
        [early.id.as_str(), late.id.as_str(), undated.id.as_str()]
    );
    assert_eq!(
        run(Some((2012, 7, 24, 0)), None),
        [late.id.as_str(), undated.id.as_str()]
    );
    assert_eq!(run(None, Some((2012, 7, 24, 0))), [early.id.as_str()]);
    assert_eq!(
        run(Some((2012, 7, 24, 11)), Some((2012, 7, 24, 12))),
        [late.id.as_str()]
    );
    assert!(run(Some((2012, 7, 24, 12)), Some((2025, 1, 1, 0))).is_empty());
    // The bound is an instant: 11:10Z is "until" 11:10Z exclusive.
    let until = Utc.with_ymd_and_hms(2012, 7, 24, 11, 10, 0).unwrap();
    let hits = store
        .search(&SearchQuery {
            since: Some(until - chrono::Duration::hours(1)),
            until: Some(until),
            ..SearchQuery::new("flood")
        })
        .unwrap();
    assert!(hits.is_empty(), "{hits:?}");
}

pub fn source_filter_takes_a_feed_url_or_a_host(db: &TestDb) {
    let mut store = db.open();
    let voa = numbered(1, "blogs.voa.example", "Rights report", &["Text."]);
    let wire = numbered(2, "wire.example", "Rights ruling", &["Text."]);
    let mut unsited = numbered(3, "x.example", "Rights without a site", &["Text."]);
    unsited.source.site = None;
    unsited.source.feed_url = None;
    for d in [&voa, &wire, &unsited] {
        store.upsert(d).unwrap();
    }
    let by = |source: &str| {
        let hits = store
            .search(&SearchQuery {
                source: Some(source.to_owned()),
                ..SearchQuery::new("rights")
            })
            .unwrap();
        hits.into_iter().map(|h| h.id).collect::<Vec<_>>()
    };
    assert_eq!(search(&store, "rights").len(), 3);
    assert_eq!(by("https://blogs.voa.example/feed.xml"), [voa.id.as_str()]);
    assert_eq!(by("blogs.voa.example"), [voa.id.as_str()]);
    assert_eq!(
        by("Blogs.VOA.example"),
        [voa.id.as_str()],
        "hosts ignore case"
    );
    assert_eq!(
        by("voa.example"),
        [voa.id.as_str()],
        "a parent domain covers its subdomains"
    );
    assert_eq!(by("wire.example"), [wire.id.as_str()]);
    assert!(by("oa.example").is_empty(), "only whole labels");
    assert_eq!(by("example").len(), 2);
    assert!(by("https://blogs.voa.example/other.xml").is_empty());
    assert!(by("%").is_empty());
    assert!(by("_").is_empty());
    assert!(by("'; DROP TABLE dispatches; --").is_empty());
}

pub fn snippets_mark_the_matched_words(db: &TestDb) {
    let mut store = db.open();
    let long = numbered(
        1,
        "a.example",
        "A long report",
        &[
            "The first paragraph is about the weather, which was fine all week across the region.",
            "In the second one, the committee said the new budget would fund schools, hospitals and roads \
             for the next three years, and the minister welcomed the budget.",
            "A third paragraph ends the report with remarks that nobody will search for.",
        ],
    );
    store.upsert(&long).unwrap();
    let hits = search(&store, "budget schools");
    assert_eq!(hits.len(), 1);
    assert_eq!(
        hits[0].snippet,
        "…committee said the new [budget] would fund [schools], hospitals and roads for the next three \
         years, and the minister welcomed the [budget]. A third…"
    );
    // Only the title matched: the title is the snippet.
    let hits = search(&store, "long");
    assert_eq!(hits[0].snippet, "A [long] report");
}

pub fn hostile_input_is_never_an_error(db: &TestDb) {
    let mut store = db.open();
    let d = numbered(
        1,
        "a.example",
        "Rights groups",
        &["A body about rights and wrongs."],
    );
    store.upsert(&d).unwrap();
    let long = "rights ".repeat(5000);
    // (query, whether it finds the dispatch): every word in the query must match; anything else is ignored.
    let cases: &[(&str, bool)] = &[
        ("\"", false),
        ("\"rights", true),
        ("rights\"", true),
        ("\"rights\"", true),
        ("*", false),
        ("rights*", true),
        ("NEAR(", false),
        ("NEAR(rights groups)", false),
        ("'; drop table dispatches; --", false),
        ("rights'; --", true),
        ("AND", true), // a plain word here, and the body has it
        ("OR NOT", false),
        ("-rights", true),
        ("!rights", true),
        ("rights & | ! <-> :*", true),
        ("title:rights", false),
        ("body : rights", true),
        ("^rights", true),
        ("(rights", true),
        (")", false),
        ("{rights}", true),
        ("[rights]", true),
        ("\\", false),
        ("\0", false),
        ("%", false),
        ("_", false),
        ("", false),
        ("   ", false),
        ("\u{feff}rights\u{200b}", true),
        (long.as_str(), true),
    ];
    for &(query, found) in cases {
        let hits = store
            .search(&SearchQuery::new(query))
            .unwrap_or_else(|err| panic!("{query:?}: {err}"));
        let expected: &[&str] = if found { &[d.id.as_str()] } else { &[] };
        assert_eq!(ids(&hits), expected, "{query:?}");
    }
    assert_eq!(store.count().unwrap(), 1);
}

pub fn updated_dispatches_are_found_by_their_new_text_only(db: &TestDb) {
    let mut store = db.open();
    let first = numbered(
        1,
        "a.example",
        "Council meets",
        &["The council discussed parking."],
    );
    assert_eq!(store.upsert(&first).unwrap(), Outcome::New);
    assert_eq!(ids(&search(&store, "parking")), [&first.id]);
    let mut second = first.clone();
    second.title = "Council votes".into();
    second.body = vec![Block::paragraph("The council voted on bicycles.")];
    second.content_hash = "hash-of-second".into();
    assert_eq!(
        store.upsert(&second).unwrap(),
        Outcome::Updated { revision: 2 }
    );
    assert!(search(&store, "parking").is_empty());
    assert!(search(&store, "meets").is_empty());
    assert_eq!(ids(&search(&store, "bicycles")), [&first.id]);
    assert_eq!(ids(&search(&store, "council votes")), [&first.id]);
    let hits = search(&store, "council");
    assert_eq!(hits.len(), 1, "one entry per dispatch, not per revision");
    assert_eq!(hits[0].title, "Council votes");
    // Storing the same version again changes nothing in the index.
    assert_eq!(store.upsert(&second).unwrap(), Outcome::Unchanged);
    assert_eq!(search(&store, "council").len(), 1);
}

pub fn limit_caps_the_hits_best_first(db: &TestDb) {
    let mut store = db.open();
    for n in 1..=30 {
        // Dispatch n mentions "storm" n times in its body: more mentions rank higher.
        let body = vec!["storm"; n as usize].join(" and ");
        let d = numbered(n, "a.example", &format!("Report {n}"), &[body.as_str()]);
        store.upsert(&d).unwrap();
    }
    let hits = search(&store, "storm");
    assert_eq!(hits.len(), SearchQuery::DEFAULT_LIMIT);
    assert!(
        hits.windows(2).all(|w| w[0].score >= w[1].score),
        "{hits:?}"
    );
    assert_eq!(hits[0].id, format!("{:016x}", 30));
    let three = store
        .search(&SearchQuery {
            limit: 3,
            ..SearchQuery::new("storm")
        })
        .unwrap();
    assert_eq!(three.len(), 3);
    assert_eq!(three, hits[..3]);
    let none = store
        .search(&SearchQuery {
            limit: 0,
            ..SearchQuery::new("storm")
        })
        .unwrap();
    assert!(none.is_empty());
}
