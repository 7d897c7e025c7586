//! XML feed documents: finding the root, feed-level metadata, and collecting the entries wherever they are.
//!
//! RSS 2.0 puts items inside `channel`, RSS 1.0 next to it, Atom inside `feed`; broken feeds put them inside
//! an unclosed `<image>` or after a stray `</channel>`. The same container walk handles all of these: known
//! metadata elements fill the feed, `item`/`entry` elements become entries, and every other element is
//! searched for entries.

use newswire_model::{Feed, FeedKind, Person};
use url::Url;

use super::construct::{
    Flavor, Rel, default_flavor, read_html, read_link, read_person, read_plain, read_raw,
};
use super::entry::{Parsed, dedup_people, parse_entry};
use super::text::html_to_text;
use super::xml::{Elem, Ev, Ns, XmlReader};
use super::{FeedError, FeedParser};

/// Parses a decoded XML document into a feed. `warnings` holds what decoding noticed.
pub(super) fn parse_xml(
    text: &str,
    base: &Url,
    options: &FeedParser,
    warnings: Vec<String>,
) -> Result<Feed, FeedError> {
    let mut r = XmlReader::new(text, base.clone(), options.max_depth);
    let root = find_root(&mut r, text)?;
    let key = root.key();
    let (kind, version) = match &*key {
        "rss" => (
            FeedKind::Rss,
            root.attr("version")
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty()),
        ),
        "rdf" => {
            let rss090 = root
                .attrs()
                .any(|(k, v)| k == "xmlns" && Ns::from_uri(v) == Ns::Rss090);
            (
                FeedKind::Rdf,
                Some(if rss090 { "0.90" } else { "1.0" }.to_string()),
            )
        }
        "channel" => {
            r.warn(|| "root element <channel> without <rss> around it; read as RSS".to_string());
            (FeedKind::Rss, None)
        }
        _ => {
            let version = root.attr("version").map(|v| v.trim().to_string());
            if root.ns == Ns::Atom03 || version.as_deref() == Some("0.3") {
                (FeedKind::Atom03, Some("0.3".to_string()))
            } else if root.ns == Ns::Atom {
                (FeedKind::Atom, Some("1.0".to_string()))
            } else {
                (FeedKind::Atom, version)
            }
        }
    };
    let atom_doc = matches!(kind, FeedKind::Atom | FeedKind::Atom03);
    let mut state = State {
        feed: Feed {
            kind: Some(kind),
            version,
            warnings,
            ..Feed::default()
        },
        atom_doc,
        max_entries: options.max_entries,
        language_fallback: r.lang().map(str::to_string),
        title: Slot::default(),
        link: Slot::default(),
        description: Slot::default(),
        language: Slot::default(),
        updated: Slot::default(),
        authors: Vec::new(),
        sy_period: None,
        sy_frequency: None,
        in_channel: key == "channel",
        capped: false,
    };
    let depth = r.depth();
    state.container(&mut r, depth);
    // Content after the root element closed early (a stray `</rss>`): keep reading entries.
    loop {
        match r.next() {
            Ev::Open(elem) => {
                r.warn(|| {
                    format!(
                        "<{}> after the end of the root element read anyway",
                        elem.qname
                    )
                });
                if is_entry(&elem) {
                    state.entry(&mut r, &elem);
                } else {
                    let depth = r.depth();
                    state.container(&mut r, depth);
                }
            }
            Ev::Eof => break,
            _ => {}
        }
    }
    let mut warnings = r.into_warnings();
    Ok(state.finish(&mut warnings))
}

/// Finds the feed's root element, skipping junk before it; errors say what was found instead.
fn find_root<'a>(r: &mut XmlReader<'a>, text: &str) -> Result<Elem<'a>, FeedError> {
    let mut first: Option<Elem<'a>> = None;
    let mut junk = false;
    loop {
        match r.next() {
            Ev::Open(elem) => {
                let key = elem.key();
                let feed_root = match &*key {
                    "rss" | "rdf" | "feed" => true,
                    "channel" => elem.ns.is_core(),
                    _ => false,
                };
                if feed_root {
                    if let Some(outer) = first {
                        if r.depth() > 1 {
                            r.warn(|| {
                                format!(
                                    "feed <{}> found inside <{}>; the wrapper is ignored",
                                    elem.qname, outer.qname
                                )
                            });
                        } else {
                            r.warn(|| {
                                format!(
                                    "junk before the root element ignored (starting with <{}>)",
                                    outer.qname
                                )
                            });
                        }
                    } else if junk {
                        r.warn(|| "text before the root element ignored".to_string());
                    }
                    return Ok(elem);
                }
                if first.is_none() {
                    if key == "html" || r.html_doctype() {
                        return Err(FeedError::Html);
                    }
                    first = Some(elem);
                }
            }
            Ev::Text(t) => junk |= first.is_none() && !t.trim().is_empty(),
            Ev::Close(_) => {}
            Ev::Eof => {
                return Err(match first {
                    Some(elem) if matches!(&*elem.key(), "head" | "body") => FeedError::Html,
                    Some(elem) => FeedError::NotAFeed {
                        root: elem.qname.to_string(),
                    },
                    None if r.html_doctype() => FeedError::Html,
                    None if junk => FeedError::NotMarkup {
                        start: snippet(text),
                    },
                    None => FeedError::NoRoot,
                });
            }
        }
    }
}

/// The first few characters of a document, for error messages.
pub(super) fn snippet(text: &str) -> String {
    let text = text.trim_start();
    let end = text.char_indices().nth(40).map_or(text.len(), |(i, _)| i);
    text[..end].to_string()
}

fn is_entry(elem: &Elem<'_>) -> bool {
    elem.ns.is_core() && matches!(&*elem.key(), "item" | "entry")
}

/// A value with the priority of the element it came from; the first of equal priority wins.
struct Slot<T> {
    value: Option<T>,
    prio: u8,
}

impl<T> Default for Slot<T> {
    fn default() -> Self {
        Slot {
            value: None,
            prio: 0,
        }
    }
}

impl<T> Slot<T> {
    fn wants(&self, prio: u8) -> bool {
        self.value.is_none() || prio > self.prio
    }

    fn offer(&mut self, prio: u8, value: Option<T>) {
        if let Some(value) = value
            && self.wants(prio)
        {
            self.value = Some(value);
            self.prio = prio;
        }
    }
}

struct State {
    feed: Feed,
    atom_doc: bool,
    max_entries: usize,
    language_fallback: Option<String>,
    title: Slot<String>,
    link: Slot<String>,
    description: Slot<String>,
    language: Slot<String>,
    updated: Slot<String>,
    authors: Vec<Person>,
    sy_period: Option<String>,
    sy_frequency: Option<String>,
    in_channel: bool,
    capped: bool,
}

impl State {
    /// Reads the children of the element open at `depth`: metadata, entries, and entries hidden deeper.
    fn container(&mut self, r: &mut XmlReader<'_>, depth: usize) {
        while let Some(child) = r.next_child(depth) {
            if is_entry(&child) {
                self.entry(r, &child);
            } else if child.ns.is_core() && child.key() == "channel" && !self.in_channel {
                self.in_channel = true;
                if self.language_fallback.is_none() {
                    self.language_fallback = r.lang().map(str::to_string);
                }
                let depth = r.depth();
                self.container(r, depth);
                self.in_channel = false;
            } else {
                self.head_child(r, &child);
            }
        }
    }

    /// Feed-level metadata; anything else is searched for entries.
    fn head_child(&mut self, r: &mut XmlReader<'_>, child: &Elem<'_>) {
        let key = child.key();
        let core = child.ns.is_core();
        match (child.ns, &*key) {
            (_, "title") if core => {
                if self.title.wants(2) {
                    self.title.offer(
                        2,
                        read_plain(r, child, default_flavor(child, self.atom_doc)),
                    );
                } else {
                    r.skip();
                }
            }
            (Ns::Dc, "title") => self.title.offer(1, read_plain(r, child, Flavor::Maybe)),
            (_, "link") if core => {
                if let Some(link) = read_link(r, child)
                    && link.rel == Rel::Alternate
                {
                    self.link.offer(link.score, Some(link.url));
                }
            }
            (_, "description" | "subtitle" | "tagline") if core => {
                if self.description.wants(2) {
                    let flavor = default_flavor(child, self.atom_doc);
                    // Descriptions are stored as plain text; HTML is reduced.
                    let html = read_html(r, child, flavor);
                    self.description.offer(
                        2,
                        html.map(|h| html_to_text(&h, true))
                            .filter(|t| !t.is_empty()),
                    );
                } else {
                    r.skip();
                }
            }
            (Ns::Itunes, "summary" | "subtitle") | (Ns::Dc, "description") => {
                let html = read_html(r, child, Flavor::Maybe);
                self.description.offer(
                    1,
                    html.map(|h| html_to_text(&h, true))
                        .filter(|t| !t.is_empty()),
                );
            }
            (_, "language") if core => self.language.offer(2, read_raw(r)),
            (Ns::Dc, "language") => self.language.offer(1, read_raw(r)),
            (_, "lastbuilddate" | "updated" | "modified") if core => {
                self.updated.offer(3, read_raw(r))
            }
            (_, "pubdate") if core => self.updated.offer(2, read_raw(r)),
            (Ns::Dc, "date") | (Ns::DcTerms, "modified") => self.updated.offer(1, read_raw(r)),
            (_, "ttl") if core => {
                let ttl = read_raw(r);
                match ttl.as_deref().map(|t| t.parse::<u32>()) {
                    Some(Ok(minutes)) => self.feed.ttl_minutes = Some(minutes),
                    Some(Err(_)) => r.warn(|| {
                        format!(
                            "ttl {:?} is not a number of minutes; ignored",
                            ttl.unwrap_or_default()
                        )
                    }),
                    None => {}
                }
            }
            (Ns::Sy, "updateperiod") => self.sy_period = read_raw(r),
            (Ns::Sy, "updatefrequency") => self.sy_frequency = read_raw(r),
            (_, "author") if core && self.atom_doc => self.authors.extend(read_person(r)),
            _ => self.scan(r),
        }
    }

    /// Consumes the element just opened, parsing any entries inside it.
    fn scan(&mut self, r: &mut XmlReader<'_>) {
        let depth = r.depth();
        loop {
            match r.next() {
                Ev::Open(elem) if is_entry(&elem) => self.entry(r, &elem),
                Ev::Close(_) if r.depth() < depth => break,
                Ev::Eof => break,
                _ => {}
            }
        }
    }

    fn entry(&mut self, r: &mut XmlReader<'_>, elem: &Elem<'_>) {
        if self.feed.entries.len() >= self.max_entries {
            if !self.capped {
                self.capped = true;
                let max = self.max_entries;
                r.warn(|| format!("more than {max} entries; the rest are skipped"));
            }
            r.skip();
            return;
        }
        match parse_entry(r, elem, self.atom_doc) {
            Parsed::Complete(entry) => self.feed.entries.push(entry),
            Parsed::Partial(entry) => {
                let n = self.feed.entries.len() + 1;
                r.warn(|| {
                    format!("entry {n} is cut off by the end of the document; kept incomplete")
                });
                self.feed.entries.push(entry);
            }
            Parsed::Dropped => {
                let n = self.feed.entries.len() + 1;
                r.warn(|| format!("entry {n} is cut off by the end of the document before its title or link; dropped"));
            }
        }
    }

    fn finish(mut self, warnings: &mut Vec<String>) -> Feed {
        let mut feed = self.feed;
        feed.warnings.append(warnings);
        feed.title = self.title.value;
        feed.link = self.link.value;
        feed.description = self.description.value;
        feed.language = self.language.value.or(self.language_fallback);
        feed.updated = self.updated.value;
        // sy:updatePeriod defaults to daily when only sy:updateFrequency is given.
        let sy_period = self
            .sy_period
            .as_deref()
            .or(self.sy_frequency.as_ref().map(|_| "daily"));
        if feed.ttl_minutes.is_none()
            && let Some(period) = sy_period
        {
            let minutes = match period.trim().to_ascii_lowercase().as_str() {
                "hourly" => Some(60),
                "daily" => Some(60 * 24),
                "weekly" => Some(60 * 24 * 7),
                "monthly" => Some(60 * 24 * 30),
                "yearly" => Some(60 * 24 * 365),
                _ => None,
            };
            let frequency = self
                .sy_frequency
                .as_deref()
                .and_then(|f| f.trim().parse::<u32>().ok())
                .filter(|&f| f > 0);
            feed.ttl_minutes = minutes.map(|m: u32| m / frequency.unwrap_or(1));
        }
        dedup_people(&mut self.authors);
        for entry in &mut feed.entries {
            if self.atom_doc && entry.authors.is_empty() {
                entry.authors.clone_from(&self.authors);
            }
            match entry.language.as_deref() {
                None => entry.language.clone_from(&feed.language),
                Some("") => entry.language = None,
                Some(_) => {}
            }
            if let Some(html) = entry
                .content_html
                .as_deref()
                .or(entry.summary_html.as_deref())
            {
                entry.body = super::sanitize::body_blocks(html);
            }
        }
        feed
    }
}
