//! Tests of the merge rules: URL, identity, title, authors, body and time choices.

use chrono::TimeZone;
use newswire_model::{Block, Candidate, Category, Person};

use super::*;

fn fetched_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()
}

fn entry() -> Entry {
    Entry {
        guid: Some("https://blogs.example.com/?p=1".into()),
        guid_is_permalink: false,
        link: Some("https://blogs.example.com/2012/07/24/post/?utm_source=rss#more".into()),
        title: Some("  Rights  Groups Call for US to Pressure China ".into()),
        content_html: Some("<p>Feed text.</p>".into()),
        body: vec![Block::paragraph("Feed text.")],
        authors: vec![Person {
            name: "Jane Doe".into(),
            ..Person::default()
        }],
        published: Some("Tue, 24 Jul 2012 11:10:00 +0000".into()),
        categories: vec![
            Category::new("Asia"),
            Category {
                term: "asia".into(),
                scheme: Some("https://blogs.example.com/tags".into()),
                label: Some("Asia".into()),
            },
            Category::new("China"),
        ],
        ..Entry::default()
    }
}

fn page() -> Page {
    Page {
        url: "https://blogs.example.com/2012/07/24/post/".into(),
        canonical_url: Some("https://blogs.example.com/2012/07/24/post/".into()),
        title: Some(Candidate {
            value: "Page title".into(),
            origin: Origin::Heading,
        }),
        published: vec![
            Candidate {
                value: "Posted July 24th, 2012 at 6:10 am (UTC-5)".into(),
                origin: Origin::VisibleText,
            },
            Candidate {
                value: "2012-07-24".into(),
                origin: Origin::UrlPath,
            },
        ],
        body: vec![
            Block::paragraph("First  paragraph."),
            Block::paragraph("Second."),
        ],
        ..Page::default()
    }
}

fn feed() -> Feed {
    Feed {
        title: Some("Desk".into()),
        language: Some("en-US".into()),
        ..Feed::default()
    }
}

#[test]
fn voa_page_offset_wins_over_feed_utc() {
    let (entry, page, feed) = (entry(), page(), feed());
    let input = Input {
        fetched_at: fetched_at(),
        feed: Some((&feed, "https://blogs.example.com/feed/")),
        entry: Some(&entry),
        entry_summary: None,
        page: Some(&page),
    };
    let d = normalize(&input).unwrap();
    assert_eq!(
        d.published_at.unwrap().to_string(),
        "2012-07-24T06:10:00-05:00"
    );
    assert_eq!(
        d.published_at.unwrap().instant().unwrap().to_rfc3339(),
        "2012-07-24T11:10:00+00:00"
    );
    assert_eq!(d.provenance.published_at, Some(Origin::VisibleText));
    assert_eq!(d.url, "https://blogs.example.com/2012/07/24/post/");
    assert_eq!(
        d.id,
        identity::id_for_guid(
            "https://blogs.example.com/feed/",
            "https://blogs.example.com/?p=1"
        )
    );
    assert_eq!(d.title, "Rights Groups Call for US to Pressure China");
    assert_eq!(d.provenance.title, Some(Origin::Feed));
    assert_eq!(d.text(), "First paragraph.\n\nSecond.");
    assert_eq!(d.provenance.body, BodyOrigin::Page);
    assert_eq!(d.authors, ["Jane Doe"]);
    assert_eq!(d.categories, ["Asia", "China"]);
    assert_eq!(d.language.as_deref(), Some("en-US"));
    assert_eq!(d.source.site.as_deref(), Some("https://blogs.example.com"));
    assert_eq!(d.source.site_name.as_deref(), Some("Desk"));
    assert_eq!(d.content_hash, identity::content_hash(&d.title, &d.text()));
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
}

#[test]
fn without_page_the_feed_content_is_used() {
    let (entry, feed) = (entry(), feed());
    let input = Input {
        fetched_at: fetched_at(),
        feed: Some((&feed, "https://blogs.example.com/feed/")),
        entry: Some(&entry),
        entry_summary: Some(" A  teaser. "),
        page: None,
    };
    let d = normalize(&input).unwrap();
    assert_eq!(
        d.url, "https://blogs.example.com/2012/07/24/post/",
        "tracking and fragment removed"
    );
    assert_eq!(d.text(), "Feed text.");
    assert_eq!(d.provenance.body, BodyOrigin::FeedContent);
    assert_eq!(d.summary.as_deref(), Some("A teaser."));
    assert_eq!(
        d.published_at.unwrap().to_string(),
        "2012-07-24T11:10:00+00:00"
    );
    assert_eq!(d.provenance.published_at, Some(Origin::Feed));
}

#[test]
fn structured_page_metadata_beats_the_feed() {
    let entry = entry();
    let mut page = page();
    page.published.insert(
        0,
        Candidate {
            value: "2012-07-24T14:30:00+08:00".into(),
            origin: Origin::JsonLd,
        },
    );
    let input = Input {
        fetched_at: fetched_at(),
        feed: None,
        entry: Some(&entry),
        entry_summary: None,
        page: Some(&page),
    };
    let d = normalize(&input).unwrap();
    assert_eq!(
        d.published_at.unwrap().to_string(),
        "2012-07-24T14:30:00+08:00"
    );
    assert_eq!(d.provenance.published_at, Some(Origin::JsonLd));
}

#[test]
fn zone_less_time_is_kept_and_reported() {
    let mut page = page();
    page.published = vec![Candidate {
        value: "2012-07-24T06:10:00".into(),
        origin: Origin::MetaName,
    }];
    let input = Input {
        fetched_at: fetched_at(),
        feed: None,
        entry: None,
        entry_summary: None,
        page: Some(&page),
    };
    let d = normalize(&input).unwrap();
    assert_eq!(d.published_at.unwrap().to_string(), "2012-07-24T06:10:00");
    assert_eq!(d.title, "Page title");
    assert_eq!(
        d.warnings,
        [
            "published time 2012-07-24T06:10:00 states no zone or offset; kept as a local time, not taken as UTC"
        ]
    );
}

#[test]
fn date_only_is_upgraded_by_a_time_on_the_same_day() {
    let mut page = page();
    page.published = vec![
        Candidate {
            value: "2012-07-24".into(),
            origin: Origin::MetaName,
        },
        Candidate {
            value: "Posted July 24th, 2012 at 6:10 am (UTC-5)".into(),
            origin: Origin::VisibleText,
        },
    ];
    let input = Input {
        fetched_at: fetched_at(),
        feed: None,
        entry: None,
        entry_summary: None,
        page: Some(&page),
    };
    let d = normalize(&input).unwrap();
    assert_eq!(
        d.published_at.unwrap().to_string(),
        "2012-07-24T06:10:00-05:00"
    );
}

#[test]
fn front_page_canonical_is_ignored() {
    let mut page = page();
    page.canonical_url = Some("https://blogs.example.com/".into());
    let input = Input {
        fetched_at: fetched_at(),
        feed: None,
        entry: None,
        entry_summary: None,
        page: Some(&page),
    };
    let d = normalize(&input).unwrap();
    assert_eq!(d.url, "https://blogs.example.com/2012/07/24/post/");
    assert!(
        d.warnings[0].starts_with("ignored canonical URL https://blogs.example.com/"),
        "{:?}",
        d.warnings
    );
}

#[test]
fn staff_is_not_an_author() {
    let mut page = page();
    page.authors = Some(Candidate {
        value: vec!["Staff Reporter".into()],
        origin: Origin::VisibleText,
    });
    let input = Input {
        fetched_at: fetched_at(),
        feed: None,
        entry: None,
        entry_summary: None,
        page: Some(&page),
    };
    assert!(normalize(&input).unwrap().authors.is_empty());
}

#[test]
fn entry_without_guid_or_link_is_identified_by_its_content() {
    let entry = Entry {
        title: Some("Orphan".into()),
        published: Some("Tue, 24 Jul 2012 11:10:00 +0000".into()),
        body: vec![Block::paragraph("Text.")],
        ..Entry::default()
    };
    let input = Input {
        fetched_at: fetched_at(),
        feed: None,
        entry: Some(&entry),
        entry_summary: None,
        page: None,
    };
    let d = normalize(&input).unwrap();
    assert_eq!(
        d.id,
        identity::id_for_content("Orphan", "Tue, 24 Jul 2012 11:10:00 +0000", "Text.")
    );
    assert_eq!(normalize(&input).unwrap().id, d.id, "stable");
}

#[test]
fn empty_entry_is_an_error() {
    let entry = Entry::default();
    let input = Input {
        fetched_at: fetched_at(),
        feed: None,
        entry: Some(&entry),
        entry_summary: None,
        page: None,
    };
    let err = normalize(&input).unwrap_err();
    assert_eq!(
        err.to_string(),
        "article has no URL or GUID to identify it by (title \"\")"
    );
}

#[test]
fn guid_identity_without_link() {
    let entry = Entry {
        guid: Some("tag:x,2012:1".into()),
        title: Some("T".into()),
        ..Entry::default()
    };
    let input = Input {
        fetched_at: fetched_at(),
        feed: None,
        entry: Some(&entry),
        entry_summary: None,
        page: None,
    };
    let d = normalize(&input).unwrap();
    assert_eq!(d.id, identity::id_for_guid("", "tag:x,2012:1"));
    assert_eq!(d.url, "tag:x,2012:1");
    assert_eq!(
        d.warnings,
        ["no article text found in the page or the feed"]
    );
}

#[test]
fn identity_follows_the_entry_not_the_page() {
    let mut entry = entry();
    entry.link = Some("https://feeds.example.net/~r/desk/~3/abc/".into());
    let mut page = page();
    page.url = "https://blogs.example.com/2012/07/24/post/".into();
    let with_page = normalize(&Input {
        fetched_at: fetched_at(),
        feed: None,
        entry: Some(&entry),
        entry_summary: None,
        page: Some(&page),
    })
    .unwrap();
    let feed_only = normalize(&Input {
        fetched_at: fetched_at(),
        feed: None,
        entry: Some(&entry),
        entry_summary: None,
        page: None,
    })
    .unwrap();
    assert_eq!(with_page.id, feed_only.id);
    assert_eq!(
        with_page.id,
        identity::id_for_guid("", "https://blogs.example.com/?p=1")
    );
    assert_eq!(
        with_page.url, "https://blogs.example.com/2012/07/24/post/",
        "the page's canonical URL is shown"
    );
    assert_eq!(feed_only.url, "https://feeds.example.net/~r/desk/~3/abc/");
}

#[test]
fn without_guid_the_link_identifies_the_entry() {
    let mut entry = entry();
    entry.guid = None;
    let page = page();
    let input = Input {
        fetched_at: fetched_at(),
        feed: None,
        entry: Some(&entry),
        entry_summary: None,
        page: Some(&page),
    };
    let d = normalize(&input).unwrap();
    assert_eq!(
        d.id,
        identity::id_for_url("https://blogs.example.com/2012/07/24/post/")
    );
}

/// The input for an entry of `feed` whose page was fetched.
fn with_page<'a>(feed: &'a Feed, entry: &'a Entry, page: &'a Page) -> Input<'a> {
    Input {
        fetched_at: fetched_at(),
        feed: Some((feed, "https://blogs.example.com/feed/")),
        entry: Some(entry),
        entry_summary: None,
        page: Some(page),
    }
}

#[test]
fn language_is_a_bcp47_tag_from_the_first_source_that_states_one() {
    let feed = feed();
    let language = |page_says: &str, entry_says: Option<&str>| {
        let mut page = page();
        page.language = Some(page_says.into());
        let mut entry = entry();
        entry.language = entry_says.map(str::to_owned);
        normalize(&with_page(&feed, &entry, &page))
            .unwrap()
            .language
    };
    // A locale written the POSIX way, as `og:locale` does, with a stray control character.
    assert_eq!(
        language(" en_GB\u{0} ", Some("fr")).as_deref(),
        Some("en-GB")
    );
    // A page that states nothing usable leaves the choice to the entry, then the feed.
    assert_eq!(
        language(" \u{200b} ", Some("fr_CA")).as_deref(),
        Some("fr-CA")
    );
    assert_eq!(language("", None).as_deref(), Some("en-US"));
}

#[test]
fn lead_image_is_the_pages_else_an_image_enclosure_else_the_entrys_own() {
    let feed = feed();
    let image = |page_image: Option<&str>, enclosure: Option<&str>, own: Option<&str>| {
        let mut page = page();
        page.image = page_image.map(str::to_owned);
        let mut entry = entry();
        entry.enclosures = enclosure
            .map(|url| newswire_model::Enclosure {
                url: url.into(),
                mime_type: Some("image/jpeg".into()),
                ..newswire_model::Enclosure::default()
            })
            .into_iter()
            .collect();
        entry.image = own.map(|url| {
            Box::new(newswire_model::Image {
                url: url.into(),
                ..newswire_model::Image::default()
            })
        });
        normalize(&with_page(&feed, &entry, &page)).unwrap().image
    };
    let (p, e, o) = (
        "https://x.test/p.jpg",
        "https://x.test/e.jpg",
        "https://x.test/o.jpg",
    );
    assert_eq!(image(Some(p), Some(e), Some(o)).as_deref(), Some(p));
    assert_eq!(image(None, Some(e), Some(o)).as_deref(), Some(e));
    assert_eq!(image(None, None, Some(o)).as_deref(), Some(o));
    assert_eq!(image(None, None, None), None);
}
