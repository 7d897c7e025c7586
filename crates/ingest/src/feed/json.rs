//! JSON Feed 1.0 and 1.1 (<https://jsonfeed.org/version/1.1>) into the same model as the XML formats.
//!
//! Values of the wrong type are ignored rather than rejected; `author` (1.0) and `authors` (1.1) are both
//! read, and item authors default to the feed's.

use newswire_model::{Enclosure, Entry, Feed, FeedKind, Image, Link, Person};
use serde_json::{Map, Value};
use url::Url;

use super::entry::dedup_people;
use super::sanitize::{body_blocks, sanitize_source};
use super::text::{absolutize, escape_html};
use super::{FeedError, FeedParser};

/// Parses a decoded JSON document. `warnings` holds what decoding noticed.
pub(super) fn parse_json(
    text: &str,
    base: &Url,
    options: &FeedParser,
    mut warnings: Vec<String>,
) -> Result<Feed, FeedError> {
    let mut values = serde_json::Deserializer::from_str(text).into_iter::<Value>();
    let value = match values.next() {
        Some(Ok(value)) => value,
        Some(Err(source)) => return Err(FeedError::Json { source }),
        None => return Err(FeedError::Empty),
    };
    if values.next().is_some() {
        warnings.push("text after the JSON document ignored".to_string());
    }
    let Value::Object(mut obj) = value else {
        let found = match value {
            Value::Array(_) => "an array",
            Value::String(_) => "a string",
            Value::Number(_) => "a number",
            Value::Bool(_) => "a boolean",
            _ => "null",
        };
        return Err(FeedError::NotJsonFeed { found });
    };
    let version = string(&obj, "version");
    if version.is_none() {
        warnings.push("JSON feed has no \"version\"; read as JSON Feed 1.1".to_string());
    }
    // Taken out of the document so that each item's tree is freed as soon as it has been read.
    let items = match obj.remove("items") {
        Some(Value::Array(items)) => Some(items),
        _ => None,
    };
    let declared = version
        .as_deref()
        .is_some_and(|v| v.contains("jsonfeed.org"));
    if items.is_none() && !declared {
        return Err(FeedError::NotJsonFeed {
            found: "an object without \"items\"",
        });
    }
    if items.is_none() {
        warnings.push("JSON feed has no \"items\" array".to_string());
    }
    let feed_authors = people(&obj, base);
    let mut feed = Feed {
        kind: Some(FeedKind::Json),
        version: version.map(|v| {
            let v = v
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or("")
                .to_string();
            if v == "1" { "1.0".to_string() } else { v }
        }),
        title: string(&obj, "title"),
        link: string(&obj, "home_page_url").map(|u| absolutize(base, &u)),
        description: string(&obj, "description"),
        language: string(&obj, "language"),
        links: links(
            &obj,
            base,
            &[("home_page_url", "alternate"), ("feed_url", "self")],
        ),
        authors: feed_authors.clone(),
        icon: string(&obj, "favicon").map(|u| absolutize(base, &u)),
        image: string(&obj, "icon").map(|u| Image {
            url: absolutize(base, &u),
            ..Image::default()
        }),
        ..Feed::default()
    };
    for (idx, item) in items.into_iter().flatten().enumerate() {
        if feed.entries.len() >= options.max_entries {
            warnings.push(format!(
                "more than {} entries; the rest are skipped",
                options.max_entries
            ));
            break;
        }
        let Value::Object(item) = item else {
            warnings.push(format!("item {} is not an object; skipped", idx + 1));
            continue;
        };
        let mut entry = parse_item(&item, base);
        if entry.authors.is_empty() {
            entry.authors.clone_from(&feed_authors);
        }
        if entry.language.is_none() {
            entry.language.clone_from(&feed.language);
        }
        feed.entries.push(entry);
    }
    feed.warnings = warnings;
    Ok(feed)
}

fn parse_item(item: &Map<String, Value>, base: &Url) -> Entry {
    let guid = match item.get("id") {
        Some(Value::String(s)) => Some(s.trim().to_string()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
    .filter(|g| !g.is_empty());
    let link = string(item, "url")
        .or_else(|| string(item, "external_url"))
        .map(|u| absolutize(base, &u));
    let html_source = |s: &str| sanitize_source(s, base);
    let content_html = string(item, "content_html")
        .map(|h| html_source(&h))
        .or_else(|| string(item, "content_text").map(|t| escape_html(&t)));
    let summary_html = string(item, "summary").map(|s| escape_html(&s));
    let mut enclosures = Vec::new();
    for key in ["image", "banner_image"] {
        if let Some(url) = string(item, key) {
            enclosures.push(Enclosure {
                url: absolutize(base, &url),
                mime_type: None,
                length: None,
            });
        }
    }
    for attachment in item
        .get("attachments")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(attachment) = attachment.as_object() else {
            continue;
        };
        if let Some(url) = string(attachment, "url") {
            enclosures.push(Enclosure {
                url: absolutize(base, &url),
                mime_type: string(attachment, "mime_type"),
                length: attachment.get("size_in_bytes").and_then(Value::as_u64),
            });
        }
    }
    let categories = item
        .get("tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|t| {
            t.as_str()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string)
        })
        .collect();
    let mut authors = people(item, base);
    dedup_people(&mut authors);
    let body = content_html
        .as_deref()
        .or(summary_html.as_deref())
        .map(body_blocks)
        .unwrap_or_default();
    Entry {
        guid_is_permalink: guid.is_some() && guid == string(item, "url"),
        guid,
        link,
        title: string(item, "title"),
        summary_html,
        content_html,
        body,
        authors,
        published: string(item, "date_published"),
        updated: string(item, "date_modified"),
        categories,
        language: string(item, "language"),
        comments_url: None,
        enclosures,
        links: links(
            item,
            base,
            &[("url", "alternate"), ("external_url", "related")],
        ),
        ..Entry::default()
    }
}

/// The links the members `keys` name (each with the relation it stands for), in that order, in a vector of
/// exactly their number.
fn links(obj: &Map<String, Value>, base: &Url, keys: &[(&str, &'static str)]) -> Vec<Link> {
    let mut links = Vec::new();
    for &(key, rel) in keys {
        if let Some(url) = string(obj, key) {
            links.reserve_exact(1);
            links.push(Link {
                href: absolutize(base, &url),
                rel: rel.into(),
                ..Link::default()
            });
        }
    }
    links
}

/// `authors` (1.1) or `author` (1.0).
fn people(obj: &Map<String, Value>, base: &Url) -> Vec<Person> {
    let person = |v: &Value| {
        let p = v.as_object()?;
        let uri = string(p, "url").map(|u| absolutize(base, &u));
        let name = string(p, "name").or_else(|| uri.clone())?;
        Some(Person {
            name,
            email: None,
            uri,
        })
    };
    match obj.get("authors") {
        Some(Value::Array(list)) => list.iter().filter_map(person).collect(),
        _ => obj.get("author").and_then(person).into_iter().collect(),
    }
}

/// A non-blank string member, trimmed.
fn string(obj: &Map<String, Value>, key: &str) -> Option<String> {
    let s = obj.get(key)?.as_str()?.trim();
    (!s.is_empty()).then(|| s.to_string())
}
