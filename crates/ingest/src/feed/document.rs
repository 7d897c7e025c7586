//! XML feed documents: finding the root, feed-level metadata, and collecting the entries wherever they are.
//!
//! RSS 2.0 puts items inside `channel`, RSS 1.0 next to it, Atom inside `feed`; broken feeds put them inside
//! an unclosed `<image>` or after a stray `</channel>`. The same container walk handles all of these: known
//! metadata elements fill the feed, `item`/`entry` elements become entries, and every other element is
//! searched for entries.

use std::rc::Rc;

use newswire_model::{
    Category, Cloud, Entry, Feed, FeedKind, Generator, Image, Link, Person, Scope, TextConstruct,
    TextInput,
};
use url::Url;

use super::construct::{
    Flavor, OwnScope, Rel, default_flavor, own_scope, parse_author, read_category, read_construct,
    read_generator, read_html_marked, read_license, read_link, read_person, read_plain, read_raw,
    split_names,
};
use super::entry::{
    EntryContext, Parsed, cdf_attributes, dcmi_period, dedup_people, itunes_block,
    itunes_categories, itunes_explicit, itunes_image, parse_entry, push_category, push_keywords,
};
use super::text::{absolutize, html_to_text, language_tag};
use super::xml::{Elem, Ev, Ns, XmlReader};
use super::{FeedError, FeedParser};

/// Parses a decoded XML document into a feed. `warnings` holds what decoding noticed.
pub(super) fn parse_xml(
    text: &str,
    base: &Url,
    options: &FeedParser,
    warnings: Vec<String>,
    sink: Option<&mut dyn FnMut(Entry)>,
) -> Result<Feed, FeedError> {
    let mut r = XmlReader::new(text, base.clone(), options.max_depth);
    let root = find_root(&mut r, text)?;
    let key = root.key();
    let (kind, version) = match &*key {
        "rss" => (FeedKind::Rss, root.attr_text("version")),
        "rdf" => {
            let rss090 = root
                .attrs()
                .any(|(k, v)| k == "xmlns" && Ns::from_uri(v) == Ns::Rss090);
            (
                FeedKind::Rdf,
                Some(if rss090 { "0.90" } else { "1.0" }.to_string()),
            )
        }
        // CDF: `<CHANNEL HREF="...">`, written in upper case.
        "channel" if root.qname == "CHANNEL" || root.attr("href").is_some() => {
            if let Some(base) = root.attr("base") {
                r.set_base(&base);
            }
            (FeedKind::Cdf, None)
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
    let root_base = r.shared_base();
    let mut state = State {
        feed: Feed {
            kind: Some(kind),
            version,
            warnings,
            ..Feed::default()
        },
        atom_doc,
        cdf: kind == FeedKind::Cdf,
        root_lang: r.lang_stated().map(str::to_string),
        root_base,
        doc_base: Rc::clone(r.doc_base()),
        scopes: Scopes::default(),
        max_entries: options.max_entries,
        body_blocks: options.body_blocks,
        count: 0,
        sink,
        language_fallback: r.lang().map(language_tag),
        title: Slot::default(),
        link: Slot::default(),
        description: Slot::default(),
        language: Slot::default(),
        updated: Slot::default(),
        published: Slot::default(),
        authors: Vec::new(),
        other_authors: Vec::new(),
        publisher: Slot::default(),
        rights: Slot::default(),
        image: Slot::default(),
        sy_period: None,
        sy_frequency: None,
        in_channel: key == "channel",
        capped: false,
    };
    if state.cdf {
        state.cdf_channel(&r, &root);
    }
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

    /// [`Slot::offer`] for a construct with its scope: `kept` takes `scope` when the value takes the slot, so
    /// the scope kept is always the one of the value kept.
    fn offer_scoped(
        &mut self,
        prio: u8,
        value: Option<T>,
        scope: Option<OwnScope>,
        kept: &mut Option<OwnScope>,
    ) {
        if value.is_some() && self.wants(prio) {
            self.offer(prio, value);
            *kept = scope;
        }
    }
}

/// The scopes of the feed's constructs (see [`own_scope`]), kept with the values that won their slots.
#[derive(Default)]
struct Scopes {
    title: Option<OwnScope>,
    description: Option<OwnScope>,
    rights: Option<OwnScope>,
    info: Option<OwnScope>,
}

struct State<'s> {
    feed: Feed,
    atom_doc: bool,
    /// Whether the document is CDF.
    cdf: bool,
    /// The base and `xml:lang` in force on the root element, which the feed's constructs are compared with.
    root_base: Rc<Url>,
    /// The URL the document came from.
    doc_base: Rc<Url>,
    root_lang: Option<String>,
    /// The scopes of the title, description, rights and info that won.
    scopes: Scopes,
    max_entries: usize,
    /// Whether entries get their body blocks ([`super::FeedParser::body_blocks`]).
    body_blocks: bool,
    /// Entries read so far (kept in `feed.entries`, or handed to `sink`).
    count: usize,
    /// Where entries go as they are read, when the caller streams them; else they are collected.
    sink: Option<&'s mut dyn FnMut(Entry)>,
    language_fallback: Option<String>,
    /// The title as text, and as HTML when it is markup.
    title: Slot<(String, Option<String>)>,
    link: Slot<String>,
    /// The description as text, and as HTML when it is markup.
    description: Slot<(String, Option<String>)>,
    language: Slot<String>,
    updated: Slot<String>,
    published: Slot<String>,
    authors: Vec<Person>,
    /// RSS `managingEditor`, `dc:creator`, `itunes:author`: the feed's authors when Atom names none.
    other_authors: Vec<Person>,
    /// `dc:publisher`, `itunes:owner`, RSS `webMaster`, in that order of preference.
    publisher: Slot<Person>,
    /// The rights as text, and as HTML when they are markup.
    rights: Slot<(String, Option<String>)>,
    image: Slot<Image>,
    sy_period: Option<String>,
    sy_frequency: Option<String>,
    in_channel: bool,
    capped: bool,
}

impl State<'_> {
    /// What the construct just opened states apart from the feed's root element.
    fn scope(&self, r: &XmlReader<'_>) -> Option<OwnScope> {
        own_scope(r, &self.root_base, self.root_lang.as_deref())
    }

    /// CDF's root `CHANNEL` states the feed's link and date as attributes ([`cdf_attributes`]).
    fn cdf_channel(&mut self, r: &XmlReader<'_>, root: &Elem<'_>) {
        let (url, lastmod) = cdf_attributes(r, root);
        if let Some(url) = url {
            self.feed.links.push(Link {
                href: url.clone(),
                rel: "alternate".into(),
                ..Link::default()
            });
            self.link.offer(4, Some(url));
        }
        self.updated.offer(1, lastmod);
    }

    /// Reads the children of the element open at `depth`: metadata, entries, and entries hidden deeper.
    fn container(&mut self, r: &mut XmlReader<'_>, depth: usize) {
        while let Some(child) = r.next_child(depth) {
            if is_entry(&child) {
                self.entry(r, &child);
            } else if child.ns.is_core() && child.key() == "channel" && !self.in_channel {
                self.in_channel = true;
                if self.language_fallback.is_none() {
                    self.language_fallback = r.lang().map(language_tag);
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
                    let scope = self.scope(r);
                    let title = read_construct(r, child, default_flavor(child, self.atom_doc));
                    self.title
                        .offer_scoped(2, title.into_pair(), scope, &mut self.scopes.title);
                } else {
                    r.skip();
                }
            }
            (Ns::Dc, "title") => {
                let scope = self.scope(r);
                let title = read_construct(r, child, Flavor::Maybe);
                self.title
                    .offer_scoped(1, title.into_pair(), scope, &mut self.scopes.title);
            }
            (_, "link") if core => {
                if let Some(link) = read_link(r, child) {
                    link.push_declared(&mut self.feed.links);
                    if link.rel == Rel::Alternate {
                        self.link.offer(link.score, Some(link.url));
                    }
                }
            }
            (_, "id") if core && self.atom_doc => {
                let id = read_raw(r);
                self.feed.id = self.feed.id.take().or(id);
            }
            (_, "contributor") if core => self.feed.contributors.extend(read_person(r)),
            (Ns::Dc | Ns::DcTerms, "publisher") => self.publisher.offer(3, read_person(r)),
            (Ns::Itunes, "owner") => self.publisher.offer(2, read_person(r)),
            (_, "webmaster") if core => {
                let publisher = read_raw(r).and_then(|s| parse_author(&s));
                self.publisher.offer(1, publisher);
            }
            (_, "managingeditor") if core => self
                .other_authors
                .extend(read_raw(r).and_then(|s| parse_author(&s))),
            (Ns::Dc | Ns::DcTerms, "creator" | "author") | (Ns::Itunes, "author") => self
                .other_authors
                .extend(read_raw(r).map(|s| split_names(&s)).unwrap_or_default()),
            (Ns::Dc | Ns::DcTerms, "contributor") => self
                .feed
                .contributors
                .extend(read_raw(r).map(|s| split_names(&s)).unwrap_or_default()),
            (_, "rights" | "copyright") if core => {
                let scope = self.scope(r);
                let rights = read_construct(r, child, default_flavor(child, self.atom_doc));
                self.rights
                    .offer_scoped(2, rights.into_pair(), scope, &mut self.scopes.rights);
            }
            (Ns::Dc | Ns::DcTerms, "rights") => {
                let scope = self.scope(r);
                let rights = read_construct(r, child, Flavor::Maybe);
                self.rights
                    .offer_scoped(1, rights.into_pair(), scope, &mut self.scopes.rights);
            }
            // Atom 0.3 only: Atom 1.0 has no `info`, and RSS's is unrelated.
            (Ns::Atom03, "info") => {
                let scope = self.scope(r);
                let info = read_construct(r, child, Flavor::Text);
                if self.feed.info.is_none() && info.text.is_some() {
                    self.feed.info = info.text;
                    self.feed.info_html = info.html;
                    self.scopes.info = scope;
                }
            }
            (Ns::Itunes, "explicit") => {
                let explicit = read_raw(r).and_then(|v| itunes_explicit(&v));
                self.feed.explicit = self.feed.explicit.or(explicit);
            }
            (Ns::Itunes, "block") => {
                let blocked = itunes_block(read_raw(r).as_deref());
                self.feed.blocked = self.feed.blocked.or(Some(blocked));
            }
            (_, "generator") if core => {
                let generator = read_generator(r, child);
                self.feed.generator = self.feed.generator.take().or(generator);
            }
            (Ns::Admin, "generatoragent") => {
                let uri = child.attr("resource").map(|u| absolutize(r.base(), &u));
                r.skip();
                if self.feed.generator.is_none()
                    && let Some(uri) = uri
                {
                    self.feed.generator = Some(Generator {
                        uri: Some(uri),
                        ..Generator::default()
                    });
                }
            }
            (_, "image") if core && !self.atom_doc => self.rss_image(r),
            (_, "textinput") if core && !self.atom_doc => self.text_input(r),
            (Ns::License, "license") => {
                if let Some(link) = read_license(r, child)
                    && self.feed.links.len() < super::MAX_LIST
                {
                    self.feed.links.push(link);
                }
            }
            (_, "docs") if core && !self.atom_doc => {
                let docs = read_raw(r).map(|u| absolutize(r.base(), &u));
                self.feed.docs = self.feed.docs.take().or(docs);
            }
            (_, "cloud") if core && !self.atom_doc => {
                let cloud = Cloud {
                    domain: child.attr_text("domain"),
                    port: child.attr_text("port").and_then(|p| p.parse().ok()),
                    path: child.attr_text("path"),
                    register_procedure: child.attr_text("registerprocedure"),
                    protocol: child.attr_text("protocol"),
                };
                r.skip();
                if self.feed.cloud.is_none() && cloud != Cloud::default() {
                    self.feed.cloud = Some(cloud);
                }
            }
            (_, "logo") if core => {
                let url = read_raw(r).map(|u| absolutize(r.base(), &u));
                self.image.offer(
                    2,
                    url.map(|url| Image {
                        url,
                        ..Image::default()
                    }),
                );
            }
            // `url` instead of `href` is a common mistake; `itunes:link rel="image"` is the old form.
            (Ns::Itunes, "image") | (Ns::Itunes, "link")
                if key == "image"
                    || child
                        .attr("rel")
                        .is_some_and(|rel| rel.trim().eq_ignore_ascii_case("image")) =>
            {
                self.image.offer(1, itunes_image(r, child));
            }
            (Ns::Itunes, "new-feed-url") => self.new_location(r),
            (_, "newlocation") if core => self.new_location(r),
            (_, "redirect") if core => {
                let depth = r.depth();
                while let Some(child) = r.next_child(depth) {
                    if child.ns.is_core() && child.key() == "newlocation" {
                        self.new_location(r);
                    } else {
                        self.scan(r);
                    }
                }
            }
            (_, "icon") if core => {
                let url = read_raw(r).map(|u| absolutize(r.base(), &u));
                self.feed.icon = self.feed.icon.take().or(url);
            }
            (_, "category") if core => {
                let term = read_category(r, child);
                push_category(&mut self.feed.categories, term);
            }
            (Ns::Dc, "subject") => {
                let term = read_plain(r, child, Flavor::Text);
                push_category(&mut self.feed.categories, term.map(Category::new));
            }
            (Ns::Itunes, "category") => itunes_categories(r, child, &mut self.feed.categories),
            (Ns::Itunes, "keywords") => push_keywords(&mut self.feed.categories, read_raw(r)),
            (_, "description" | "subtitle" | "tagline") if core => {
                if self.description.wants(2) {
                    let scope = self.scope(r);
                    let flavor = default_flavor(child, self.atom_doc);
                    let html = read_html_marked(r, child, flavor);
                    self.description.offer_scoped(
                        2,
                        description(html),
                        scope,
                        &mut self.scopes.description,
                    );
                } else {
                    r.skip();
                }
            }
            // CDF's description.
            (Ns::Itunes, "summary" | "subtitle")
            | (Ns::Dc, "description")
            | (Ns::None, "abstract") => {
                let scope = self.scope(r);
                let html = read_html_marked(r, child, Flavor::Maybe);
                self.description.offer_scoped(
                    1,
                    description(html),
                    scope,
                    &mut self.scopes.description,
                );
            }
            (_, "language") if core => {
                let language = read_raw(r).map(|l| language_tag(&l));
                self.language.offer(2, language);
            }
            (Ns::Dc, "language") => {
                let language = read_raw(r).map(|l| language_tag(&l));
                self.language.offer(1, language);
            }
            (_, "lastbuilddate" | "updated" | "modified") if core => {
                self.updated.offer(3, read_raw(r))
            }
            (_, "pubdate" | "published" | "issued") if core => {
                let published = read_raw(r);
                if key == "pubdate" {
                    self.updated.offer(2, published.clone());
                }
                self.published.offer(2, published);
            }
            (Ns::DcTerms, "issued") => self.published.offer(1, read_raw(r)),
            (Ns::DcTerms, "valid") => {
                if self.feed.valid_start.is_none() && self.feed.valid_end.is_none() {
                    let (start, end) = read_raw(r).map(|p| dcmi_period(&p)).unwrap_or_default();
                    (self.feed.valid_start, self.feed.valid_end) = (start, end);
                } else {
                    r.skip();
                }
            }
            (Ns::DcTerms, "created") => {
                let created = read_raw(r);
                self.feed.created = self.feed.created.take().or(created);
            }
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
            (_, "author") if core => self.other_authors.extend(read_person(r)),
            _ => self.scan(r),
        }
    }

    /// `itunes:new-feed-url` or `newLocation`, just opened: the first one stated is where the feed moved.
    fn new_location(&mut self, r: &mut XmlReader<'_>) {
        let base = r.shared_base();
        let url = read_raw(r).map(|u| absolutize(&base, &u));
        self.feed.new_location = self.feed.new_location.take().or(url);
    }

    /// RSS `image` (`url`, `title`, `link`, `width`, `height`, `description`). Entries inside an unclosed
    /// `<image>` are still entries.
    fn rss_image(&mut self, r: &mut XmlReader<'_>) {
        let depth = r.depth();
        let mut image = Image::default();
        while let Some(child) = self.core_child(r, depth) {
            match &*child.key() {
                "url" => {
                    image.url = read_raw(r)
                        .map(|u| absolutize(r.base(), &u))
                        .unwrap_or_default()
                }
                "title" => image.title = read_plain(r, &child, Flavor::Maybe),
                "link" => image.link = read_raw(r).map(|u| absolutize(r.base(), &u)),
                "width" => image.width = read_raw(r).and_then(|w| w.trim().parse().ok()),
                "height" => image.height = read_raw(r).and_then(|h| h.trim().parse().ok()),
                "description" => image.description = read_plain(r, &child, Flavor::Maybe),
                _ => self.scan(r),
            }
        }
        if !image.url.is_empty() {
            self.image.offer(3, Some(image));
        }
    }

    /// RSS `textInput` (`title`, `description`, `name`, `link`); the first one stated is kept. Entries inside
    /// an unclosed `<textInput>` are still entries.
    fn text_input(&mut self, r: &mut XmlReader<'_>) {
        let depth = r.depth();
        let mut input = TextInput::default();
        while let Some(child) = self.core_child(r, depth) {
            match &*child.key() {
                "title" => input.title = read_plain(r, &child, Flavor::Text),
                "description" => input.description = read_plain(r, &child, Flavor::Maybe),
                "name" => input.name = read_raw(r),
                "link" => input.link = read_raw(r).map(|u| absolutize(r.base(), &u)),
                _ => self.scan(r),
            }
        }
        if self.feed.text_input.is_none() && input != TextInput::default() {
            self.feed.text_input = Some(input);
        }
    }

    /// The next child of the element open at `depth` in the core namespaces, for the RSS elements with
    /// children of their own (`image`, `textInput`). Entries met on the way (inside one left unclosed) are read
    /// as entries, and children in other namespaces are scanned for them.
    fn core_child<'a>(&mut self, r: &mut XmlReader<'a>, depth: usize) -> Option<Elem<'a>> {
        while let Some(child) = r.next_child(depth) {
            if is_entry(&child) {
                self.entry(r, &child);
            } else if !child.ns.is_core() {
                self.scan(r);
            } else {
                return Some(child);
            }
        }
        None
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
        if self.count >= self.max_entries {
            if !self.capped {
                self.capped = true;
                let max = self.max_entries;
                r.warn(|| format!("more than {max} entries; the rest are skipped"));
            }
            r.skip();
            return;
        }
        let cx = EntryContext {
            atom_doc: self.atom_doc,
            cdf: self.cdf,
            feed_base: &self.root_base,
        };
        match parse_entry(r, elem, cx) {
            Parsed::Complete(entry) => self.push_entry(r, entry),
            Parsed::Partial(entry) => {
                let n = self.count + 1;
                r.warn(|| {
                    format!("entry {n} is cut off by the end of the document; kept incomplete")
                });
                self.push_entry(r, entry);
            }
            Parsed::Dropped => {
                let n = self.count + 1;
                r.warn(|| format!("entry {n} is cut off by the end of the document before its title or link; dropped"));
            }
        }
    }

    /// Appends an entry. When the vector is full it grows to the number of entries the document is expected
    /// to hold, judged from the share of it read so far (and by at least a quarter), rather than doubling:
    /// with entries this large, doubling could leave most of a megabyte-sized vector unused at the end.
    ///
    /// A streamed entry is completed at once, with what the feed has stated before it (see
    /// [`super::FeedParser::parse_each`]), and handed over.
    fn push_entry(&mut self, r: &XmlReader<'_>, mut entry: Entry) {
        self.count += 1;
        if let Some(sink) = &mut self.sink {
            let language = self
                .language
                .value
                .as_deref()
                .or(self.language_fallback.as_deref());
            let authors = self.atom_doc.then_some(&self.authors[..]);
            complete_entry(&mut entry, authors, language, self.body_blocks);
            sink(entry);
            return;
        }
        let entries = &mut self.feed.entries;
        if entries.len() == entries.capacity() {
            let len = entries.len();
            let read = r.position().max(1) as u128;
            let expected =
                (len as u128 * r.source_len() as u128 / read).min(usize::MAX as u128) as usize;
            let target = expected
                .saturating_add(expected / 16)
                .max(len + len / 4)
                .max(len + 4)
                .min(self.max_entries.max(len + 1));
            entries.reserve_exact(target - len);
        }
        entries.push(entry);
    }

    fn finish(mut self, warnings: &mut Vec<String>) -> Feed {
        let mut feed = self.feed;
        feed.warnings.append(warnings);
        (feed.title, feed.title_html) = unpair(self.title.value);
        feed.link = self.link.value;
        (feed.description, feed.description_html) = unpair(self.description.value);
        feed.language = self.language.value.or(self.language_fallback);
        feed.updated = self.updated.value;
        feed.published = self.published.value;
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
        feed.authors = if self.authors.is_empty() {
            dedup_people(&mut self.other_authors);
            self.other_authors
        } else {
            self.authors.clone()
        };
        dedup_people(&mut feed.contributors);
        feed.publisher = self.publisher.value;
        (feed.rights, feed.rights_html) = unpair(self.rights.value);
        feed.image = self.image.value;
        let mut constructs = Vec::new();
        for (construct, scope) in [
            (TextConstruct::Title, self.scopes.title),
            (TextConstruct::Description, self.scopes.description),
            (TextConstruct::Rights, self.scopes.rights),
            (TextConstruct::Info, self.scopes.info),
        ] {
            constructs.extend(scope.map(|scope| scope.into_model(construct)));
        }
        let base = (*self.doc_base != *self.root_base).then(|| self.root_base.to_string());
        if base.is_some() || !constructs.is_empty() {
            feed.scope = Some(Box::new(Scope { base, constructs }));
        }
        // Give back what the entries' vector reserved beyond the last entry before the bodies are added.
        feed.entries.shrink_to_fit();
        let authors = self.atom_doc.then_some(&self.authors[..]);
        for entry in &mut feed.entries {
            complete_entry(entry, authors, feed.language.as_deref(), self.body_blocks);
        }
        feed
    }
}

/// A description as plain text, and as HTML when it is markup: the text is reduced from the sanitized HTML,
/// so script text never leaks into it.
fn description(html: Option<(String, bool)>) -> Option<(String, Option<String>)> {
    let (html, markup) = html?;
    let text = html_to_text(&html, true);
    (!text.is_empty()).then(|| (text, markup.then_some(html)))
}

/// A text and its HTML apart.
fn unpair(pair: Option<(String, Option<String>)>) -> (Option<String>, Option<String>) {
    match pair {
        Some((text, html)) => (Some(text), html),
        None => (None, None),
    }
}

/// Gives an entry what it inherits from its feed (for Atom, the feed's authors, without repeats, when it names
/// none; the feed's language when it states none, while `xml:lang=""` means none) and, when `body_blocks`, its
/// body blocks.
fn complete_entry(
    entry: &mut Entry,
    feed_authors: Option<&[Person]>,
    language: Option<&str>,
    body_blocks: bool,
) {
    if let Some(authors) = feed_authors
        && entry.authors.is_empty()
    {
        // Copied only for an entry that takes them; a streamed entry may see the list still growing.
        entry.authors = authors.to_vec();
        dedup_people(&mut entry.authors);
    }
    match entry.language.as_deref() {
        None => entry.language = language.map(str::to_string),
        Some("") => entry.language = None,
        Some(_) => {}
    }
    if body_blocks {
        entry.body = super::entry_body(entry);
    }
}
