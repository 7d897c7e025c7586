//! What every engine must do with stories: near-duplicates join the first one's story, unrelated dispatches do
//! not, and exact duplicates never make two dispatches. See issue 6.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{TimeZone, Utc};
use newswire_model::{Block, Dispatch, Entry, Feed, Page};
use newswire_normalize::{Input, normalize};
use newswire_store::{ExportFilter, Outcome, Store};

use crate::TestDb;
use crate::behaviour::Barrier;
use crate::search::numbered;

/// A wire story as first published (typos included).
pub const WIRE_TITLE: &str = "Flooding forces thousands from homes in northern Italy";
pub const WIRE: &[&str] = &[
    "ROME — Torrential rain sent rivers over thier banks across northern Italy on Tuesday, forcing more than \
     12,000 people from their homes and cutting power to dozens of towns, civil protection officials said.",
    "The Po and several of its tributaries rose to their highest levels in two decades after three days of \
     storms, flooding farmland and submerging roads in the regions of Emilia-Romagna and Lombary.",
    "Firefighters used boats to reach residents trapped on rooftops in the town of Lugo, where water stood more \
     than a metre deep in the main square. No deaths had been reported by Tuesday evening, but two people were \
     missing.",
    "“We have never seen the river rise this quickly,” said Marta Benedetti, the mayor of a village near \
     Ravenna, as volunteers stacked sandbags along the embankment. “People left with nothing but the clothes \
     they were wearing.”",
    "The prime minister's office said the government would declare a state of emergency in the worst-hit \
     provinces on Wednesday, releasing funds for shelters and repiars.",
    "Meteorologists warned that more rain was expected through Thursday and that the ground was too saturated \
     to absorb it. Schools in 40 municipalities will stay closed for the rest of the week.",
    "The floods come two years after a similar disaster in the same region killed 17 people and caused billions \
     of euros in damage, prompting criticism that flood defences had not been strengthened.",
    "Environmental groups said the repeated flooding showed the growing toll of climate change on the \
     Mediterranean, where scientists say extreme rainfall has become more frequent.",
];

/// The same story republished by another site: a new headline, one added paragraph, the typos fixed.
pub fn republished() -> (&'static str, Vec<String>) {
    let mut paragraphs: Vec<String> = WIRE
        .iter()
        .map(|p| {
            p.replace("thier", "their")
                .replace("Lombary", "Lombardy")
                .replace("repiars", "repairs")
        })
        .collect();
    paragraphs.insert(
        5,
        "Rail operator Trenitalia suspended services on the Bologna–Milan line after a section of track was \
         washed away near Modena, and motorists were told to avoid the A14 motorway."
            .into(),
    );
    (
        "Thousands evacuated as rivers burst banks in northern Italy",
        paragraphs,
    )
}

/// A third carrier: its own headline, the last paragraph cut, the dateline dropped.
pub fn trimmed() -> (&'static str, Vec<String>) {
    let mut paragraphs: Vec<String> = WIRE[..WIRE.len() - 1]
        .iter()
        .map(|p| p.to_string())
        .collect();
    paragraphs[0] = paragraphs[0].replace("ROME — ", "");
    ("Italy floods: 12,000 forced from their homes", paragraphs)
}

/// A different story on the same topic, in the same region, days later.
pub const FARMS_TITLE: &str = "Italy's farmers count the cost of spring floods";
pub const FARMS: &[&str] = &[
    "BOLOGNA — Farmers in northern Italy said on Friday that last month's floods had ruined more than 5,000 \
     farms, with orchards and wheat fields in Emilia-Romagna still under water weeks after the rain stopped.",
    "The farmers' association Coldiretti estimated the damage to agriculture at 1.5 billion euros and said many \
     growers would not be able to plant again this year because the soil was saturated with mud and fuel.",
    "“Our peach trees drowned; it will take five years before they bear fruit again,” said Giorgio Fabbri, \
     whose family has farmed near Faenza for three generations.",
    "The government has promised compensation from the emergency fund set up after the floods, but farmers \
     complained that the money had been slow to arrive and that the paperwork was overwhelming.",
    "Scientists said the floods, which followed a long drought, showed how climate change was making extreme \
     weather in the Mediterranean more frequent and more destructive.",
];

pub fn carried(n: u32, host: &str, title: &str, paragraphs: &[String]) -> Dispatch {
    let paragraphs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
    numbered(n, host, title, &paragraphs)
}

pub fn wire() -> Dispatch {
    numbered(1, "wire.example", WIRE_TITLE, WIRE)
}

fn story_of(store: &dyn Store, d: &Dispatch) -> String {
    store.get(&d.id).unwrap().unwrap().story.unwrap()
}

fn members(store: &dyn Store, story: &str) -> Vec<String> {
    store
        .story(story)
        .unwrap()
        .into_iter()
        .map(|m| m.id)
        .collect()
}

pub fn a_republished_story_joins_the_first_ones_story(db: &TestDb) {
    let mut store = db.open();
    let first = wire();
    let (title, paragraphs) = republished();
    let second = carried(2, "news.example", title, &paragraphs);
    assert_eq!(store.upsert(&first).unwrap(), Outcome::New);
    assert_eq!(store.upsert(&second).unwrap(), Outcome::New);
    assert_eq!(
        store.count().unwrap(),
        2,
        "two publications, two dispatches"
    );
    assert_eq!(
        story_of(&store, &first),
        first.id,
        "a story's id is its first dispatch's"
    );
    assert_eq!(story_of(&store, &second), first.id);
    assert_eq!(
        members(&store, &first.id),
        [first.id.as_str(), second.id.as_str()]
    );
    let member = &store.story(&first.id).unwrap()[1];
    assert_eq!(member.url, second.url);
    assert_eq!(member.title, title);
    assert_eq!(
        member.published_at.map(|t| t.to_string()).as_deref(),
        Some("2012-07-24T06:10:00-05:00")
    );
    // Export, revisions and search say so too.
    let mut stories = Vec::new();
    store
        .export(&ExportFilter::default(), &mut |d| {
            stories.push(d.story);
            Ok(())
        })
        .unwrap();
    assert_eq!(stories, [Some(first.id.clone()), Some(first.id.clone())]);
    assert_eq!(
        store.revisions(&second.id).unwrap()[0].dispatch.story,
        Some(first.id.clone())
    );
    let hits = store
        .search(&newswire_store::SearchQuery::new("trenitalia"))
        .unwrap();
    assert_eq!(hits[0].story, Some(first.id.clone()));
    assert!(store.story("ffffffffffffffff").unwrap().is_empty());
    // Storing either again changes nothing.
    assert_eq!(store.upsert(&second).unwrap(), Outcome::Unchanged);
    assert_eq!(
        members(&store, &first.id),
        [first.id.as_str(), second.id.as_str()]
    );
}

pub fn different_stories_on_one_topic_stay_apart(db: &TestDb) {
    let mut store = db.open();
    let flood = wire();
    let farms = numbered(2, "wire.example", FARMS_TITLE, FARMS);
    store.upsert(&flood).unwrap();
    store.upsert(&farms).unwrap();
    assert_eq!(story_of(&store, &flood), flood.id);
    assert_eq!(story_of(&store, &farms), farms.id);
    assert_eq!(members(&store, &farms.id), [farms.id.as_str()]);
    // Short texts say too little to match on, even when identical.
    let brief_a = numbered(3, "a.example", "Morning briefing", &["Read more."]);
    let brief_b = numbered(4, "b.example", "Morning briefing", &["Read more."]);
    store.upsert(&brief_a).unwrap();
    store.upsert(&brief_b).unwrap();
    assert_eq!(story_of(&store, &brief_b), brief_b.id);
}

pub fn three_carriers_form_one_story_of_three(db: &TestDb) {
    let mut store = db.open();
    let first = wire();
    let (title, paragraphs) = republished();
    let second = carried(2, "news.example", title, &paragraphs);
    let (title, paragraphs) = trimmed();
    let third = carried(3, "daily.example", title, &paragraphs);
    let farms = numbered(4, "daily.example", FARMS_TITLE, FARMS);
    for d in [&first, &farms, &second, &third] {
        assert_eq!(store.upsert(d).unwrap(), Outcome::New);
    }
    for d in [&first, &second, &third] {
        assert_eq!(story_of(&store, d), first.id, "{}", d.url);
    }
    assert_eq!(
        members(&store, &first.id),
        [first.id.as_str(), second.id.as_str(), third.id.as_str()]
    );
    assert_eq!(members(&store, &farms.id), [farms.id.as_str()]);
}

/// Syndication: the same text under another URL is another publication, so another dispatch, of the same
/// story; the same canonical URL is the same story whatever the text.
pub fn the_same_text_elsewhere_is_another_dispatch_of_the_same_story(db: &TestDb) {
    let mut store = db.open();
    let first = wire();
    let mut copy = first.clone();
    copy.id = format!("{:016x}", 2);
    copy.url = "https://syndicated.example/italy-floods".into();
    copy.source.site = Some("https://syndicated.example".into());
    store.upsert(&first).unwrap();
    assert_eq!(store.upsert(&copy).unwrap(), Outcome::New);
    assert_eq!(store.count().unwrap(), 2);
    assert_eq!(story_of(&store, &copy), first.id);

    let mut same_url = numbered(3, "wire.example", "Corrected: a short note", &["Brief."]);
    same_url.url = first.url.clone();
    store.upsert(&same_url).unwrap();
    assert_eq!(story_of(&store, &same_url), first.id);
    assert_eq!(members(&store, &first.id).len(), 3);
}

/// The same URL joins a story only when it is a web address: entries without one (their `url` is empty, or a
/// GUID that is not a URL, such as a number two feeds both use) are unrelated articles.
pub fn dispatches_without_a_web_address_share_no_story_by_it(db: &TestDb) {
    let mut store = db.open();
    let flood = wire();
    let farms = numbered(2, "wire.example", FARMS_TITLE, FARMS);
    let brief = numbered(3, "a.example", "Morning briefing", &["Read more."]);
    for url in ["", "42"] {
        let mut first = flood.clone();
        let mut second = farms.clone();
        let mut third = brief.clone();
        for d in [&mut first, &mut second, &mut third] {
            d.id = format!("{}-{url}", d.id);
            d.url = url.into();
        }
        for d in [&first, &second, &third] {
            assert_eq!(store.upsert(d).unwrap(), Outcome::New);
        }
        // Three stories: no two of them joined by their `url` (the second group's texts join the first's
        // group by their words, as the same texts should).
        let stories: HashSet<String> = [&first, &second, &third]
            .into_iter()
            .map(|d| story_of(&store, d))
            .collect();
        assert_eq!(stories.len(), 3, "url {url:?}: {stories:?}");
    }
    // In one batch too.
    let batch: Vec<Dispatch> = [&flood, &farms, &brief]
        .into_iter()
        .map(|d| {
            let mut d = d.clone();
            d.id = format!("{}-batch", d.id);
            d.url = String::new();
            d
        })
        .collect();
    assert_eq!(store.upsert_many(&batch).unwrap(), [Outcome::New; 3]);
    let stories: HashSet<String> = batch.iter().map(|d| story_of(&store, d)).collect();
    assert_eq!(stories.len(), 3, "{stories:?}");
}

/// Schema version 9 on a database of version 8 (made by storing with this version, then joining link-less
/// dispatches by their `url` as version 8 did): those that shared a story with another of the same `url` leave
/// it, the near-duplicate among them too; dispatches that share a web address stay together.
pub fn a_version_8_database_parts_stories_joined_by_a_url_that_is_no_web_address(db: &TestDb) {
    let flood = wire();
    let mut farms = numbered(2, "wire.example", FARMS_TITLE, FARMS);
    let mut brief = numbered(3, "a.example", "Morning briefing", &["Read more."]);
    let mut linkless = flood.clone();
    linkless.id = format!("{:016x}", 4);
    linkless.url = String::new();
    for d in [&mut farms, &mut brief] {
        d.url = String::new();
    }
    let mut same_page = numbered(5, "wire.example", "Corrected: a short note", &["Brief."]);
    same_page.url = flood.url.clone();
    // Two entries of two feeds with the bare GUID "42": the first is its story's first.
    let mut guid_one = numbered(6, "b.example", "Evening note", &["See you tomorrow."]);
    let mut guid_two = numbered(7, "c.example", "Market close", &["Shares ended higher."]);
    for d in [&mut guid_one, &mut guid_two] {
        d.url = "42".into();
    }
    {
        let mut store = db.open();
        for d in [
            &flood, &linkless, &farms, &brief, &same_page, &guid_one, &guid_two,
        ] {
            assert_eq!(store.upsert(d).unwrap(), Outcome::New);
        }
        assert_eq!(story_of(&store, &linkless), flood.id);
        assert_eq!(story_of(&store, &same_page), flood.id);
        assert_eq!(story_of(&store, &farms), farms.id);
    }
    // As version 8 stored them: the later link-less dispatches joined the story of the first one stored with
    // the same (empty) `url`.
    let in_story = (
        format!("SELECT count(*) FROM docs WHERE story_id = '{}'", flood.id),
        format!(
            "SELECT count(*) FROM story_members WHERE story_id = '{}'",
            flood.id
        ),
    );
    db.execute(
        &format!(
            "UPDATE docs SET story_id = '{}' WHERE dispatch_id IN ('{}', '{}');
             UPDATE docs SET story_id = '{}' WHERE dispatch_id = '{}';
             PRAGMA user_version = 8;",
            flood.id, farms.id, brief.id, guid_one.id, guid_two.id,
        ),
        &format!(
            "UPDATE story_members SET story_id = '{}' WHERE dispatch_id IN ('{}', '{}');
             UPDATE story_members SET story_id = '{}' WHERE dispatch_id = '{}';
             DELETE FROM schema_migrations WHERE version >= 9;",
            flood.id, farms.id, brief.id, guid_one.id, guid_two.id,
        ),
    );
    db.migrate_counting((&in_story.0, &in_story.1), 5, 2);
    let store = db.open();
    for d in [&farms, &brief, &linkless, &guid_one, &guid_two] {
        assert_eq!(story_of(&store, d), d.id);
    }
    assert_eq!(
        members(&store, &flood.id),
        [flood.id.as_str(), same_page.id.as_str()]
    );
}

/// A near-duplicate is looked for among dispatches of its own 28-day window and the two beside it: a
/// republication weeks before or after joins the story, one many months later starts its own.
pub fn a_republication_joins_a_story_of_its_weeks_only(db: &TestDb) {
    let mut store = db.open();
    let first = wire();
    let at = |n: u32, host: &str, days: i64| {
        let (title, paragraphs) = republished();
        let mut d = carried(n, host, title, &paragraphs);
        let published =
            first.published_at.unwrap().instant().unwrap() + chrono::Duration::days(days);
        d.published_at = Some(newswire_model::StatedTime::Zoned(published.fixed_offset()));
        d
    };
    let weeks_later = at(2, "news.example", 20);
    let weeks_before = at(3, "paper.example", -25);
    let months_later = at(4, "digest.example", 200);
    let mut batch_months_later = at(5, "late.example", 200);
    let batch_weeks_later = at(6, "next.example", 20);
    for d in [&first, &weeks_later, &weeks_before, &months_later] {
        assert_eq!(store.upsert(d).unwrap(), Outcome::New);
    }
    assert_eq!(story_of(&store, &weeks_later), first.id);
    assert_eq!(story_of(&store, &weeks_before), first.id);
    assert_eq!(
        story_of(&store, &months_later),
        months_later.id,
        "too late for the first's story"
    );
    // In one batch too: the late one joins the months-later story, not the first's.
    batch_months_later.title = "Italy floods, half a year on".into();
    let outcomes = store
        .upsert_many(&[batch_months_later.clone(), batch_weeks_later.clone()])
        .unwrap();
    assert_eq!(outcomes, [Outcome::New, Outcome::New]);
    assert_eq!(story_of(&store, &batch_months_later), months_later.id);
    assert_eq!(story_of(&store, &batch_weeks_later), first.id);
}

/// A version-9 database (band keys without their window) gets its windows on open, and a republication stored
/// afterwards finds the story.
pub fn a_version_9_database_gets_its_story_windows(db: &TestDb) {
    let first = wire();
    {
        let mut store = db.open();
        assert_eq!(store.upsert(&first).unwrap(), Outcome::New);
    }
    let unwindowed = (
        "SELECT count(*) FROM story_keys WHERE band0 >> 40 = 0 AND band7 >> 40 = 0",
        "SELECT count(*) FROM story_members WHERE band0 >> 40 = 0 AND band7 >> 40 = 0",
    );
    assert_eq!(db.query_i64(unwindowed.0, unwindowed.1), 0);
    let strip: Vec<String> = (0..8)
        .map(|b| format!("band{b} = band{b} & 1099511627775"))
        .collect();
    db.execute(
        &format!(
            "UPDATE story_keys SET {}; PRAGMA user_version = 9;",
            strip.join(", ")
        ),
        &format!(
            "UPDATE story_members SET {}; DELETE FROM schema_migrations WHERE version >= 10;",
            strip.join(", ")
        ),
    );
    db.migrate_counting(unwindowed, 1, 0);
    let mut store = db.open();
    let (title, paragraphs) = republished();
    let second = carried(2, "news.example", title, &paragraphs);
    assert_eq!(store.upsert(&second).unwrap(), Outcome::New);
    assert_eq!(story_of(&store, &second), first.id);
}

/// A dispatch alone in its story looks again when its text changes; one in a story of several stays there.
pub fn a_changed_text_moves_a_lone_dispatch_only(db: &TestDb) {
    let mut store = db.open();
    let first = wire();
    let (title, paragraphs) = republished();
    // First stored as a teaser that matches nothing.
    let mut second = numbered(2, "news.example", title, &["A teaser about trains."]);
    store.upsert(&first).unwrap();
    store.upsert(&second).unwrap();
    assert_eq!(story_of(&store, &second), second.id);
    // Then its full text arrives: it joins the wire story.
    second.body = paragraphs
        .iter()
        .map(|p| Block::paragraph(p.as_str()))
        .collect();
    second.content_hash = "hash-of-full-text".into();
    assert_eq!(
        store.upsert(&second).unwrap(),
        Outcome::Updated { revision: 2 }
    );
    assert_eq!(story_of(&store, &second), first.id);
    // The first is rewritten into another story altogether: it keeps the story it leads.
    let mut rewritten = numbered(1, "wire.example", FARMS_TITLE, FARMS);
    rewritten.content_hash = "hash-of-rewrite".into();
    assert_eq!(
        store.upsert(&rewritten).unwrap(),
        Outcome::Updated { revision: 2 }
    );
    assert_eq!(story_of(&store, &first), first.id);
    assert_eq!(
        members(&store, &first.id),
        [first.id.as_str(), second.id.as_str()]
    );
}

/// Exact duplicates never make two dispatches: the same GUID or the same canonical URL gives the same id, as
/// normalization derives it, and the store keys dispatches by id.
pub fn the_same_guid_or_canonical_url_is_one_dispatch(db: &TestDb) {
    let mut store = db.open();
    let fetched_at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let feed = Feed::default();
    let entry = |guid: Option<&str>, link: &str| Entry {
        guid: guid.map(str::to_owned),
        link: Some(link.to_owned()),
        title: Some(WIRE_TITLE.to_owned()),
        body: WIRE.iter().map(|p| Block::paragraph(*p)).collect(),
        published: Some("Tue, 24 Jul 2012 11:10:00 +0000".into()),
        ..Entry::default()
    };
    let from_feed = |entry: &Entry, feed_url: &str| {
        normalize(&Input {
            fetched_at,
            feed: Some((&feed, feed_url)),
            entry: Some(entry),
            entry_summary: None,
            page: None,
        })
        .unwrap()
    };

    // One GUID (a URI) in two feeds, under two links.
    let guid = "tag:wire.example,2012:flood-1";
    let a = from_feed(
        &entry(Some(guid), "https://wire.example/a"),
        "https://wire.example/feed.xml",
    );
    let b = from_feed(
        &entry(Some(guid), "https://mirror.example/a"),
        "https://mirror.example/rss",
    );
    assert_eq!(a.id, b.id);
    // One canonical URL, spelled differently in two feeds without GUIDs.
    let c = from_feed(
        &entry(None, "https://Wire.example/italy-floods?utm_source=rss#top"),
        "https://wire.example/feed.xml",
    );
    let d = from_feed(
        &entry(None, "https://wire.example/italy-floods"),
        "https://partner.example/feed",
    );
    assert_eq!(c.id, d.id);
    // The article page on its own, at that URL.
    let page = Page {
        url: "https://wire.example/italy-floods".into(),
        body: WIRE.iter().map(|p| Block::paragraph(*p)).collect(),
        ..Page::default()
    };
    let e = normalize(&Input {
        fetched_at,
        feed: None,
        entry: None,
        entry_summary: None,
        page: Some(&page),
    })
    .unwrap();
    assert_eq!(e.id, c.id);

    for dispatch in [&a, &b, &c, &d, &e] {
        store.upsert(dispatch).unwrap();
    }
    assert_eq!(store.count().unwrap(), 2);
    assert_eq!(story_of(&store, &c), a.id, "the same text: one story");

    // An entry whose GUID is not a URI is identified within its feed, and a feed entry by its GUID or link
    // whatever its page says (DESIGN.md, "What identifies a dispatch?"), so one article can be two dispatches with
    // one canonical URL: listed with such GUIDs by two feeds, or seen once through a feed and once as a lone page.
    // The store puts them in one story.
    let scoped = from_feed(
        &entry(Some("18342"), "https://wire.example/italy-floods"),
        "https://other.example/feed",
    );
    assert_ne!(scoped.id, c.id);
    store.upsert(&scoped).unwrap();
    assert_eq!(store.count().unwrap(), 3);
    assert_eq!(story_of(&store, &scoped), a.id);
}

/// Near-duplicates stored at the same moment through several connections (a wire story reaching many feeds at
/// once) still end up in one story.
pub fn concurrent_near_duplicates_join_one_story(db: &TestDb) {
    const N: u32 = 4;
    drop(db.open());
    let barrier = Arc::new(Barrier::new(N as usize));
    std::thread::scope(|scope| {
        for n in 0..N {
            let barrier = Arc::clone(&barrier);
            scope.spawn(move || {
                let mut store = db.open();
                let mut paragraphs: Vec<String> = WIRE.iter().map(|p| p.to_string()).collect();
                paragraphs.push(format!(
                    "This report was updated by the desk of carrier number {n} with local reaction."
                ));
                let d = carried(
                    n + 1,
                    &format!("carrier{n}.example"),
                    &format!("{WIRE_TITLE}, carrier {n} reports"),
                    &paragraphs,
                );
                barrier.wait(1);
                store.upsert(&d).unwrap();
            });
        }
    });
    let store = db.open();
    let mut stories = Vec::new();
    store
        .export(&ExportFilter::default(), &mut |d| {
            stories.push(d.story.unwrap());
            Ok(())
        })
        .unwrap();
    assert_eq!(stories.len(), N as usize);
    stories.dedup();
    assert_eq!(stories.len(), 1, "one story");
    assert_eq!(members(&store, &stories[0]).len(), N as usize);
}
