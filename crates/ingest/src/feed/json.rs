//! JSON Feed 1.0 and 1.1 (<https://jsonfeed.org/version/1.1>) into the same model as the XML formats.
//!
//! Values of the wrong type are ignored rather than rejected; `author` (1.0) and `authors` (1.1) are both
//! read, and item authors default to the feed's.

use newswire_model::{Category, Enclosure, Entry, Feed, FeedKind, Image, Link, Person, TextType};
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use url::Url;

use super::entry::dedup_people;
use super::exact;
use super::sanitize::sanitize_source;
use super::text::{absolutize, escape_html};
use super::{FeedError, FeedParser};

/// Parses a decoded JSON document. `warnings` holds what decoding noticed. Items are read one at a time, each
/// tree freed once its entry is made; with a `sink`, each entry is handed over as soon as it is made.
pub(super) fn parse_json(
    text: &str,
    base: &Url,
    options: &FeedParser,
    mut warnings: Vec<String>,
    sink: Option<&mut dyn FnMut(Entry)>,
) -> Result<Feed, FeedError> {
    let mut items = Items {
        base,
        max_entries: options.max_entries,
        body_blocks: options.body_blocks,
        sink,
        head: Map::new(),
        defaults: None,
        entries: Vec::new(),
        count: 0,
        found_array: false,
        seen: false,
        warnings: Vec::new(),
    };
    let mut de = serde_json::Deserializer::from_str(text);
    (Document { items: &mut items })
        .deserialize(&mut de)
        .map_err(|source| FeedError::Json { source })?;
    if de.end().is_err() {
        warnings.push("text after the JSON document ignored".to_string());
    }
    let obj = &items.head;
    let version = string(obj, "version");
    if version.is_none() {
        warnings.push("JSON feed has no \"version\"; read as JSON Feed 1.1".to_string());
    }
    let declared = version
        .as_deref()
        .is_some_and(|v| v.contains("jsonfeed.org"));
    if !items.found_array && !declared {
        return Err(FeedError::NotJsonFeed {
            found: "an object without \"items\"",
        });
    }
    if !items.found_array {
        warnings.push("JSON feed has no \"items\" array".to_string());
    }
    let feed_authors = people(obj, base);
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
        title: string(obj, "title"),
        link: string(obj, "home_page_url").map(|u| absolutize(base, &u)),
        description: string(obj, "description"),
        language: string(obj, "language"),
        links: links(
            obj,
            base,
            &[("home_page_url", "alternate"), ("feed_url", "self")],
        ),
        icon: string(obj, "favicon").map(|u| absolutize(base, &u)),
        image: string(obj, "icon").map(|u| Image {
            url: absolutize(base, &u),
            ..Image::default()
        }),
        ..Feed::default()
    };
    for entry in &mut items.entries {
        inherit(entry, &feed_authors, feed.language.as_deref());
    }
    feed.authors = feed_authors;
    feed.entries = items.entries;
    warnings.append(&mut items.warnings);
    feed.warnings = warnings;
    Ok(feed)
}

/// Item authors default to the feed's, item language to the feed's.
fn inherit(entry: &mut Entry, authors: &[Person], language: Option<&str>) {
    if entry.authors.is_empty() {
        entry.authors = authors.to_vec();
    }
    if entry.language.is_none() {
        entry.language = language.map(str::to_string);
    }
}

/// What reading a JSON Feed document gathers: the top-level members but `items`, and the entries (collected,
/// or handed to `sink`).
struct Items<'a, 's> {
    base: &'a Url,
    max_entries: usize,
    /// Whether entries get their body blocks ([`FeedParser::body_blocks`]).
    body_blocks: bool,
    sink: Option<&'s mut dyn FnMut(Entry)>,
    /// The top-level members other than the first `items`, as read so far.
    head: Map<String, Value>,
    /// When streaming: the feed's authors and language as stated before `items`.
    defaults: Option<(Vec<Person>, Option<String>)>,
    entries: Vec<Entry>,
    /// Items taken so far.
    count: usize,
    /// Whether `items` was an array.
    found_array: bool,
    /// Whether an `items` member was met.
    seen: bool,
    warnings: Vec<String>,
}

impl Items<'_, '_> {
    /// Takes the `idx`-th item (from 1); false once the entry cap is reached.
    fn item(&mut self, idx: usize, item: Value) -> bool {
        if self.count >= self.max_entries {
            self.warnings.push(format!(
                "more than {} entries; the rest are skipped",
                self.max_entries
            ));
            return false;
        }
        let Value::Object(item) = item else {
            self.warnings
                .push(format!("item {idx} is not an object; skipped"));
            return true;
        };
        let mut entry = parse_item(&item, self.base, self.body_blocks);
        drop(item);
        self.count += 1;
        match &mut self.sink {
            Some(sink) => {
                let (authors, language) = self.defaults.get_or_insert_with(|| {
                    (
                        people(&self.head, self.base),
                        string(&self.head, "language"),
                    )
                });
                inherit(&mut entry, authors, language.as_deref());
                sink(entry);
            }
            None => {
                // Grown by a quarter at a time (the number of items is not known ahead): a doubled vector of
                // entries could stand half empty at the end of the parse, its peak.
                if self.entries.len() == self.entries.capacity() {
                    let len = self.entries.len();
                    self.entries.reserve_exact((len / 4).max(4));
                }
                self.entries.push(entry);
            }
        }
        true
    }
}

/// The top-level object (the caller has seen its `{`).
struct Document<'i, 'a, 's> {
    items: &'i mut Items<'a, 's>,
}

impl<'de> DeserializeSeed<'de> for Document<'_, '_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Document<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON Feed object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "items" && !self.items.seen {
                self.items.seen = true;
                self.items.found_array = map.next_value_seed(ItemList {
                    items: &mut *self.items,
                })?;
            } else {
                if key == "items" {
                    self.items
                        .warnings
                        .push("a second \"items\" member is ignored".to_string());
                }
                let value: Value = map.next_value()?;
                self.items.head.insert(key, value);
            }
        }
        Ok(())
    }
}

/// The `items` member: true when it is an array (whose items are taken one at a time), false otherwise.
struct ItemList<'i, 'a, 's> {
    items: &'i mut Items<'a, 's>,
}

impl<'de> DeserializeSeed<'de> for ItemList<'_, '_, '_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ItemList<'_, '_, '_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of items")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        let mut idx = 0;
        while let Some(item) = seq.next_element::<Value>()? {
            idx += 1;
            if !self.items.item(idx, item) {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                break;
            }
        }
        Ok(true)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(false)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }
}

fn parse_item(item: &Map<String, Value>, base: &Url, body_blocks: bool) -> Entry {
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
    let (content_html, content_type) = string(item, "content_html")
        .map(|h| (html_source(&h), TextType::Html))
        .or_else(|| string(item, "content_text").map(|t| (escape_html(&t), TextType::Text)))
        .unzip();
    let summary_html = string(item, "summary").map(|s| escape_html(&s));
    let mut enclosures = Vec::new();
    let mut image = None;
    for key in ["image", "banner_image"] {
        if let Some(url) = string(item, key) {
            let url = absolutize(base, &url);
            // The item's main image (else its banner) is its image, as a media:thumbnail is for RSS.
            image.get_or_insert_with(|| {
                Box::new(Image {
                    url: url.clone(),
                    ..Image::default()
                })
            });
            enclosures.push(Enclosure {
                url,
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
                .map(Category::new)
        })
        .collect();
    let mut authors = people(item, base);
    dedup_people(&mut authors);
    let mut entry = Entry {
        guid_is_permalink: guid.is_some() && guid == string(item, "url"),
        guid,
        link,
        title: string(item, "title"),
        summary_type: summary_html.as_ref().map(|_| TextType::Text),
        summary_html,
        content_html,
        content_type,
        body: Vec::new(),
        authors: exact(authors),
        published: string(item, "date_published"),
        updated: string(item, "date_modified"),
        categories: exact(categories),
        language: string(item, "language"),
        comments_url: None,
        enclosures: exact(enclosures),
        image,
        links: links(
            item,
            base,
            &[("url", "alternate"), ("external_url", "related")],
        ),
        ..Entry::default()
    };
    if body_blocks {
        entry.body = super::entry_body(&entry);
    }
    entry
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
