//! Assembling a [`Dispatch`] from what a feed entry and its article page said.
//!
//! The rules, in brief (each is a documented choice, tested in `assemble/tests.rs`):
//! - **URL**: the page's canonical URL (when it is a plausible article URL on the web), else the URL the page
//!   was fetched from, else the entry's link, else a permalink GUID; canonicalized by [`crate::urls`].
//! - **Identity**: for a feed entry, its link (else its GUID within the feed), whatever the page says, so the
//!   feed-only and page versions of an article are one dispatch; for a lone page, its URL.
//! - **Title**: the entry's title (editors write feed titles as headlines), else the page's.
//! - **Authors**: the entry's, else the page byline; names only, never "Staff".
//! - **Body**: the page's article body, else the entry's full content, else its summary.
//! - **Times**: the first page candidate from structured metadata (JSON-LD, microdata, OpenGraph, `<time>`,
//!   meta names) that parses; else the feed's date; else visible text or the URL path. Then, if another
//!   candidate names the same instant with the publisher's own non-UTC offset, that one is kept instead, so a
//!   feed's `+0000` never hides a page's "(UTC-5)". A time with no zone stays zone-less and is reported.

use chrono::{DateTime, Utc};
use newswire_model::{
    Block, BodyOrigin, Candidate, DateCandidate, Dispatch, Entry, Feed, Origin, Page, Provenance,
    SourceRef, StatedTime, render_text,
};
use url::Url;

use crate::date::DateParser;
use crate::identity;
use crate::text::{clean_blocks, clean_inline};
use crate::urls::{canonicalize, site_of};

/// Everything known about one article, for [`normalize`].
#[derive(Clone, Copy, Debug)]
pub struct Input<'a> {
    /// When the content was fetched (our clock). Also the reference for relative dates ("3 hours ago").
    pub fetched_at: DateTime<Utc>,
    /// The feed the entry came from, with its URL.
    pub feed: Option<(&'a Feed, &'a str)>,
    /// The feed entry, when the article came through a feed. Its `body` is the dispatch's body when the page
    /// gives none, so it must hold the entry's blocks then (the feed parser leaves them out unless asked:
    /// `newswire_ingest::feed::entry_body` makes them).
    pub entry: Option<&'a Entry>,
    /// The entry's summary reduced to plain text by the caller.
    pub entry_summary: Option<&'a str>,
    /// What extraction found on the article page, when it was fetched.
    pub page: Option<&'a Page>,
}

/// Why no dispatch could be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum NormalizeError {
    /// Neither page nor entry gave a URL or GUID to identify the article by.
    #[error("article has no URL or GUID to identify it by (title {title:?})")]
    NoIdentity {
        /// The title (empty when there was none), to help find the entry.
        title: String,
    },
    /// Neither page nor entry gave a title or any text.
    #[error("article {url} has no title and no text")]
    Empty {
        /// The article's URL.
        url: String,
    },
}

/// Builds the canonical dispatch for one article. Pure: the same input always gives the same dispatch.
pub fn normalize(input: &Input<'_>) -> Result<Dispatch, NormalizeError> {
    let mut warnings = Vec::new();
    let entry = input.entry;
    let page = input.page;

    let url = choose_url(input, &mut warnings);
    let entry_url = entry.and_then(entry_url);
    let guid = entry.and_then(|e| e.guid.clone());
    // A feed entry is identified by its GUID, else its link (issue #3), so that the version made from the feed
    // alone (page down) and the one made from the page (whose canonical URL may differ) are the same dispatch;
    // a lone page by its URL. Entries with neither get a content hash once the body is known (below).
    let feed_url = input.feed.map_or("", |(_, u)| u);
    let id = match (entry, &guid, &entry_url, &url) {
        (Some(_), Some(guid), _, _) if !guid.trim().is_empty() => {
            Some(identity::id_for_guid(feed_url, guid))
        }
        (Some(_), _, Some(link), _) => Some(identity::id_for_url(link.as_str())),
        (None, _, _, Some(url)) => Some(identity::id_for_url(url.as_str())),
        _ => None,
    };
    let url_string = match &url {
        Some(url) => url.to_string(),
        None => guid.clone().unwrap_or_default(),
    };
    if id.is_none() && entry.is_none_or(|e| e.title.is_none() && e.body.is_empty()) {
        return Err(NormalizeError::NoIdentity {
            title: entry.and_then(|e| e.title.clone()).unwrap_or_default(),
        });
    }

    let (body, body_origin) = choose_body(input, &mut warnings);
    let (title, title_origin) = choose_title(input);
    let title = match title {
        Some(title) => title,
        None if !body.is_empty() => {
            warnings.push("no title found; the first words of the body stand in".to_owned());
            first_words(&body[0].text, 12)
        }
        None => return Err(NormalizeError::Empty { url: url_string }),
    };
    if body.is_empty() {
        warnings.push("no article text found in the page or the feed".to_owned());
    }

    let (authors, authors_origin) = choose_authors(input);
    let parser = DateParser::new().fetched_at(input.fetched_at);
    let published = choose_time(
        &parser,
        page.map_or(&[][..], |p| &p.published),
        entry.and_then(|e| e.published.as_deref()),
        "published",
        &mut warnings,
    );
    let updated = choose_time(
        &parser,
        page.map_or(&[][..], |p| &p.updated),
        entry.and_then(|e| e.updated.as_deref()),
        "updated",
        &mut warnings,
    );

    let summary = entry_summary(input).or_else(|| {
        page.and_then(|p| p.description.as_deref())
            .map(clean_inline)
    });
    let summary = summary.filter(|s| !s.is_empty());
    let language = [
        page.and_then(|p| p.language.as_deref()),
        entry.and_then(|e| e.language.as_deref()),
        input.feed.and_then(|(f, _)| f.language.as_deref()),
    ]
    .into_iter()
    .flatten()
    .find_map(clean_language);
    // A dispatch's categories are terms (its JSON is a contract): schemes and labels stay in the raw entry.
    let categories = merge_categories(
        entry
            .into_iter()
            .flat_map(|e| &e.categories)
            .map(|c| c.term.as_str()),
        page.into_iter()
            .flat_map(|p| &p.categories)
            .map(String::as_str),
    );
    let image = page.and_then(|p| p.image.clone()).or_else(|| {
        entry.and_then(|e| {
            e.enclosures
                .iter()
                .find(|enc| {
                    enc.mime_type
                        .as_deref()
                        .is_some_and(|m| m.starts_with("image/"))
                })
                .map(|enc| enc.url.clone())
                // The item's own image (`itunes:image`) when no enclosure is one.
                .or_else(|| e.image.as_ref().map(|i| i.url.clone()))
        })
    });
    let site_name = page
        .and_then(|p| p.site_name.clone())
        .or_else(|| input.feed.and_then(|(f, _)| f.title.clone()))
        .map(|s| clean_inline(&s));
    let source = SourceRef {
        feed_url: input.feed.map(|(_, u)| u.to_owned()),
        site: url.as_ref().and_then(site_of),
        site_name,
    };
    if let Some(page) = page {
        warnings.extend(page.warnings.iter().cloned());
    }

    let text = render_text(&body);
    let content_hash = identity::content_hash(&title, &text);
    let id = id.unwrap_or_else(|| {
        let published = entry
            .and_then(|e| e.published.as_deref())
            .unwrap_or_default();
        identity::id_for_content(&title, published, &text)
    });
    Ok(Dispatch {
        id,
        url: url_string,
        title,
        published_at: published.as_ref().map(|(t, _)| *t),
        updated_at: updated.as_ref().map(|(t, _)| *t),
        fetched_at: input.fetched_at,
        authors,
        summary,
        body,
        language,
        categories,
        image,
        source,
        guid,
        content_hash,
        provenance: Provenance {
            body: body_origin,
            title: title_origin,
            authors: authors_origin,
            published_at: published.map(|(_, o)| o),
            updated_at: updated.map(|(_, o)| o),
        },
        warnings,
        story: None,
    })
}

fn choose_url(input: &Input<'_>, warnings: &mut Vec<String>) -> Option<Url> {
    let page = input.page;
    let fetched = page.and_then(|p| canonicalize(&p.url).ok());
    if let Some(canonical) = page.and_then(|p| p.canonical_url.as_deref()) {
        match canonicalize(canonical) {
            Ok(url) if plausible_canonical(&url, fetched.as_ref()) => return Some(url),
            Ok(url) => warnings.push(format!(
                "ignored canonical URL {url}: it points to a site's front page"
            )),
            Err(err) => warnings.push(format!("ignored canonical URL: {err}")),
        }
    }
    if fetched.is_some() {
        return fetched;
    }
    input.entry.and_then(entry_url)
}

/// The entry's own URL: its link, else a GUID marked as a permalink.
fn entry_url(entry: &Entry) -> Option<Url> {
    if let Some(link) = entry.link.as_deref()
        && let Ok(url) = canonicalize(link)
    {
        return Some(url);
    }
    let guid = entry.guid.as_deref().filter(|_| entry.guid_is_permalink)?;
    canonicalize(guid).ok()
}

/// A canonical URL that sends an article to the front page is a common template bug: ignore it.
fn plausible_canonical(canonical: &Url, fetched: Option<&Url>) -> bool {
    let is_front = canonical.path() == "/" && canonical.query().is_none();
    let fetched_is_front = fetched.is_none_or(|f| f.path() == "/");
    !is_front || fetched_is_front
}

fn choose_body(input: &Input<'_>, warnings: &mut Vec<String>) -> (Vec<Block>, BodyOrigin) {
    if let Some(page) = input.page {
        let body = clean_blocks(&page.body);
        if !body.is_empty() {
            return (body, BodyOrigin::Page);
        }
        warnings.push(format!(
            "no article body found on {}; using the feed's text",
            page.url
        ));
    }
    let Some(entry) = input.entry else {
        return (Vec::new(), BodyOrigin::None);
    };
    let body = clean_blocks(&entry.body);
    if body.is_empty() {
        return (Vec::new(), BodyOrigin::None);
    }
    let origin = if entry.content_html.is_some() {
        BodyOrigin::FeedContent
    } else {
        BodyOrigin::FeedSummary
    };
    (body, origin)
}

fn choose_title(input: &Input<'_>) -> (Option<String>, Option<Origin>) {
    let from_entry = input
        .entry
        .and_then(|e| e.title.as_deref())
        .map(clean_inline)
        .filter(|t| !t.is_empty());
    if let Some(title) = from_entry {
        return (Some(title), Some(Origin::Feed));
    }
    match input.page.and_then(|p| p.title.as_ref()) {
        Some(Candidate { value, origin }) => {
            let title = clean_inline(value);
            if title.is_empty() {
                (None, None)
            } else {
                (Some(title), Some(*origin))
            }
        }
        None => (None, None),
    }
}

fn choose_authors(input: &Input<'_>) -> (Vec<String>, Option<Origin>) {
    let from_entry: Vec<String> = input
        .entry
        .map(|e| {
            e.authors
                .iter()
                .map(|p| clean_inline(&p.name))
                .filter(|n| is_person_name(n))
                .collect()
        })
        .unwrap_or_default();
    if !from_entry.is_empty() {
        return (dedupe(from_entry), Some(Origin::Feed));
    }
    if let Some(Candidate { value, origin }) = input.page.and_then(|p| p.authors.as_ref()) {
        let names: Vec<String> = value
            .iter()
            .map(|n| clean_inline(n))
            .filter(|n| is_person_name(n))
            .collect();
        if !names.is_empty() {
            return (dedupe(names), Some(*origin));
        }
    }
    (Vec::new(), None)
}

/// Rejects bylines that name no person: empty, "Staff", "admin", an e-mail address alone.
fn is_person_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    !(lower.is_empty()
        || lower.contains('@') && !lower.contains(' ')
        || matches!(
            lower.as_str(),
            "staff" | "staff reporter" | "staff writer" | "admin" | "administrator" | "editor"
        ))
}

fn dedupe(mut names: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    names.retain(|n| seen.insert(n.to_lowercase()));
    names
}

fn is_structured(origin: Origin) -> bool {
    matches!(
        origin,
        Origin::JsonLd
            | Origin::Microdata
            | Origin::OpenGraph
            | Origin::TimeElement
            | Origin::MetaName
    )
}

/// Picks a time from page candidates and the feed's value; see the module docs for the rules.
fn choose_time(
    parser: &DateParser,
    page: &[DateCandidate],
    feed: Option<&str>,
    what: &str,
    warnings: &mut Vec<String>,
) -> Option<(StatedTime, Origin)> {
    let mut parsed: Vec<(StatedTime, Origin)> = Vec::new();
    let mut try_parse = |raw: &str, origin: Origin, parsed: &mut Vec<(StatedTime, Origin)>| {
        let res = match origin {
            Origin::VisibleText => parser
                .parse(raw)
                .ok()
                .or_else(|| parser.find(raw).map(|found| found.time)),
            _ => parser.parse(raw).ok(),
        };
        match res {
            Some(time) => parsed.push((time, origin)),
            None if origin != Origin::VisibleText => {
                warnings.push(format!(
                    "could not read {what} time {raw:?} from {}",
                    origin_name(origin)
                ));
            }
            None => {}
        }
    };
    for candidate in page.iter().filter(|c| is_structured(c.origin)) {
        try_parse(&candidate.value, candidate.origin, &mut parsed);
    }
    if let Some(raw) = feed {
        try_parse(raw, Origin::Feed, &mut parsed);
    }
    for candidate in page.iter().filter(|c| !is_structured(c.origin)) {
        try_parse(&candidate.value, candidate.origin, &mut parsed);
    }
    let (mut best, mut best_origin) = *parsed.first()?;
    // Prefer the publisher's own offset for the same instant, and a full time over a bare date on the same day.
    for &(time, origin) in &parsed[1..] {
        match (best, time) {
            (StatedTime::Zoned(b), StatedTime::Zoned(t))
                if b == t
                    && b.offset().local_minus_utc() == 0
                    && t.offset().local_minus_utc() != 0 =>
            {
                (best, best_origin) = (time, origin);
            }
            (StatedTime::Date(d), StatedTime::Zoned(_) | StatedTime::Floating(_))
                if time.date() == d =>
            {
                (best, best_origin) = (time, origin);
            }
            _ => {}
        }
    }
    match best {
        StatedTime::Floating(t) => warnings.push(format!(
            "{what} time {} states no zone or offset; kept as a local time, not taken as UTC",
            t.format("%Y-%m-%dT%H:%M:%S")
        )),
        StatedTime::Date(_) => {
            warnings.push(format!("{what} time gives only a date, no time of day"))
        }
        StatedTime::Zoned(_) => {}
    }
    Some((best, best_origin))
}

fn origin_name(origin: Origin) -> &'static str {
    match origin {
        Origin::JsonLd => "JSON-LD",
        Origin::Microdata => "microdata",
        Origin::OpenGraph => "OpenGraph meta",
        Origin::TimeElement => "a <time> element",
        Origin::MetaName => "a <meta> tag",
        Origin::Heading => "a heading",
        Origin::VisibleText => "the page text",
        Origin::UrlPath => "the URL path",
        Origin::Feed => "the feed",
    }
}

fn entry_summary(input: &Input<'_>) -> Option<String> {
    input.entry_summary.map(clean_inline)
}

/// A stated language tag in BCP 47 form: white space and invisible characters dropped, and the underscores of
/// a POSIX locale (`og:locale` is `en_US`) written as hyphens. `None` when nothing is left.
fn clean_language(tag: &str) -> Option<String> {
    let tag: String = clean_inline(tag)
        .chars()
        .filter(|ch| !ch.is_whitespace())
        .map(|ch| if ch == '_' { '-' } else { ch })
        .collect();
    (!tag.is_empty()).then_some(tag)
}

fn merge_categories<'a>(
    first: impl Iterator<Item = &'a str>,
    second: impl Iterator<Item = &'a str>,
) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    first
        .chain(second)
        .map(clean_inline)
        .filter(|c| !c.is_empty() && seen.insert(c.to_lowercase()))
        .collect()
}

fn first_words(text: &str, n: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().take(n + 1).collect();
    if words.len() > n {
        format!("{}\u{2026}", words[..n].join(" "))
    } else {
        words.join(" ")
    }
}

#[cfg(test)]
mod tests;
