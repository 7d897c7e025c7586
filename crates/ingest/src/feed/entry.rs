//! One RSS `item` or Atom `entry`, in any of the formats, with the namespaced extensions that carry news.
//!
//! Items of all formats go through the same code: elements are matched by namespace family and local name,
//! so an Atom element inside RSS (or an RSS one inside Atom) is understood too. When several elements can fill
//! a field, a priority decides (`pubDate` over `dc:date`, `content:encoded` over nothing, ...), and among equals
//! the first one wins.

use std::rc::Rc;

use newswire_model::{
    Category, Enclosure, Entry, EntrySource, GeoPoint, GeoShape, Image, Link, Person, Scope,
    TextConstruct, TextType,
};
use url::Url;

use super::construct::{
    Flavor, OwnScope, Rel, default_flavor, is_alternative, own_scope, parse_author,
    read_alternative, read_category, read_construct, read_generator, read_html_typed, read_license,
    read_link, read_person, read_plain, read_raw, split_names,
};
use super::geo::{self, Geo};
use super::text::{absolutize, collapse_whitespace, language_tag, looks_like_url};
use super::xml::{Elem, Ns, XmlReader};
use super::{MAX_LIST, exact};

/// A value with the priority of the element it came from.
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
    /// Whether a value of priority `prio` would replace the current one.
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

/// A title or rights as text, and as HTML when markup, with what it states apart from its entry.
type ScopedPair = ((String, Option<String>), Option<OwnScope>);

/// A summary or content as HTML with how it was written, with what it states apart from its entry.
type ScopedHtml = ((String, TextType), Option<OwnScope>);

#[derive(Default)]
struct EntryParts {
    /// The GUID, whether it is a permalink, and the link it stands for (see [`guid_link`]).
    guid: Slot<(String, bool, Option<String>)>,
    link: Slot<String>,
    /// The title as text, and as HTML when it is markup; with the base and language it states apart from the
    /// entry's (so for the summary, content and rights).
    title: Slot<ScopedPair>,
    /// The summary and the content as HTML, with how they were written.
    summary: Slot<ScopedHtml>,
    content: Slot<ScopedHtml>,
    content_src: Option<String>,
    published: Slot<String>,
    updated: Slot<String>,
    created: Slot<String>,
    expires: Option<String>,
    /// The start and end of `dcterms:valid`.
    valid: (Option<String>, Option<String>),
    comments: Slot<String>,
    language: Option<String>,
    authors: Vec<Person>,
    /// Authors of the entry's `atom:source`: they come before the feed's.
    source_authors: Vec<Person>,
    fallback_authors: Vec<Person>,
    categories: Vec<Category>,
    enclosures: Vec<Enclosure>,
    links: Vec<Link>,
    contributors: Vec<Person>,
    publisher: Option<Person>,
    /// The rights as text, and as HTML when they are markup.
    rights: Slot<ScopedPair>,
    /// The base in force on the entry element, when it is not the feed's.
    base: Option<String>,
    source: Option<Box<EntrySource>>,
    comment_count: Option<u64>,
    location: Option<GeoPoint>,
    shape: Option<GeoShape>,
    explicit: Option<bool>,
    blocked: Option<bool>,
    image: Option<Image>,
    /// `geo:lat` and `geo:long`, until both are known.
    geo: (Option<f64>, Option<f64>),
}

impl EntryParts {
    /// Takes a `geo:lat` or `geo:long`; the pair becomes the location once both are there.
    fn geo_pair(&mut self, key: &str, value: Option<f64>) {
        match key {
            "lat" => self.geo.0 = value,
            _ => self.geo.1 = value,
        }
        if let (Some(lat), Some(lon)) = self.geo
            && self.location.is_none()
        {
            self.location = geo::point(lat, lon);
        }
    }

    /// Takes a GeoRSS geometry; the first point and the first shape win.
    fn geo(&mut self, found: Option<Geo>) {
        match found {
            Some(Geo::Point(point)) => {
                self.location.get_or_insert(point);
            }
            Some(Geo::Shape(shape)) => {
                self.shape.get_or_insert(shape);
            }
            None => {}
        }
    }
}

/// How an entry ended.
pub(super) enum Parsed {
    /// A complete entry.
    Complete(Entry),
    /// The document ended inside the entry; it has a title or a link and is kept.
    Partial(Entry),
    /// The document ended inside the entry before it had a title or link.
    Dropped,
}

/// What an entry is read in: the format's defaults, and the feed's base.
#[derive(Clone, Copy)]
pub(super) struct EntryContext<'c> {
    /// Whether unqualified elements default to Atom rules.
    pub(super) atom_doc: bool,
    /// Whether the document is CDF (an `ITEM`'s `HREF` and `LASTMOD` attributes are its link and date).
    pub(super) cdf: bool,
    /// The base in force on the feed's root element.
    pub(super) feed_base: &'c Url,
}

/// The base and `xml:lang` in force on the entry element, which its constructs are compared with.
struct Here<'a> {
    base: Rc<Url>,
    lang: Option<&'a str>,
}

impl Here<'_> {
    /// What the construct just opened states apart from the entry (see [`own_scope`]).
    fn scope(&self, r: &XmlReader<'_>) -> Option<OwnScope> {
        own_scope(r, &self.base, self.lang)
    }
}

/// Parses the entry `elem`, just opened.
pub(super) fn parse_entry<'a>(
    r: &mut XmlReader<'a>,
    elem: &Elem<'_>,
    cx: EntryContext<'_>,
) -> Parsed {
    let depth = r.depth();
    let here = Here {
        base: r.shared_base(),
        lang: r.lang_stated(),
    };
    // An explicitly cleared `xml:lang=""` is kept as `Some("")` so the feed language is not filled in later.
    let mut parts = EntryParts {
        language: here.lang.map(language_tag),
        base: (!std::ptr::eq(&*here.base, cx.feed_base) && *here.base != *cx.feed_base)
            .then(|| here.base.to_string()),
        ..EntryParts::default()
    };
    if let Some(about) = elem.attr("about") {
        parts.guid.offer(
            1,
            Some((about.trim().to_string(), false, None)).filter(|(g, _, _)| !g.is_empty()),
        );
    }
    if cx.cdf {
        cdf_item(r, elem, &mut parts);
    }
    while let Some(child) = r.next_child(depth) {
        entry_child(r, &child, cx.atom_doc, &here, &mut parts);
    }
    let truncated = r.truncated();
    let entry = finish(parts);
    if !truncated {
        Parsed::Complete(entry)
    } else if entry.title.is_some() || entry.link.is_some() {
        Parsed::Partial(entry)
    } else {
        Parsed::Dropped
    }
}

/// CDF's `ITEM` states its link and date as attributes ([`cdf_attributes`]).
fn cdf_item(r: &XmlReader<'_>, elem: &Elem<'_>, parts: &mut EntryParts) {
    let (url, lastmod) = cdf_attributes(r, elem);
    if let Some(url) = url {
        parts.links.push(Link {
            href: url.clone(),
            rel: "alternate".into(),
            ..Link::default()
        });
        parts.link.offer(4, Some(url));
    }
    parts.updated.offer(1, lastmod);
}

/// The link and date a CDF `CHANNEL` or `ITEM` states as attributes: `HREF`, resolved against the base in
/// force, and `LASTMOD`, trimmed; each `None` when absent or blank.
pub(super) fn cdf_attributes(
    r: &XmlReader<'_>,
    elem: &Elem<'_>,
) -> (Option<String>, Option<String>) {
    let url = elem
        .attr("href")
        .filter(|h| !h.trim().is_empty())
        .map(|h| absolutize(r.base(), &h));
    let lastmod = elem.attr_text("lastmod");
    (url, lastmod)
}

fn entry_child<'a>(
    r: &mut XmlReader<'a>,
    child: &Elem<'_>,
    atom_doc: bool,
    here: &Here<'a>,
    parts: &mut EntryParts,
) {
    let key = child.key();
    let core = child.ns.is_core();
    match (child.ns, &*key) {
        (_, "title") if core => {
            if parts.title.wants(3) {
                let scope = here.scope(r);
                let title = read_construct(r, child, default_flavor(child, atom_doc));
                parts.title.offer(3, title.into_pair().map(|t| (t, scope)));
            } else {
                r.skip();
            }
        }
        (Ns::Dc, "title") => {
            let scope = here.scope(r);
            let title = read_construct(r, child, Flavor::Maybe);
            parts.title.offer(2, title.into_pair().map(|t| (t, scope)));
        }
        (_, "link") if core => {
            if let Some(link) = read_link(r, child) {
                link.push_declared(&mut parts.links);
                match link.rel {
                    Rel::Alternate => parts.link.offer(link.score, Some(link.url)),
                    Rel::Enclosure => push_enclosure(
                        &mut parts.enclosures,
                        Enclosure {
                            url: link.url,
                            mime_type: link.mime_type,
                            length: link.length,
                        },
                    ),
                    Rel::Replies
                        if link.mime_type.as_deref().is_none_or(|t| t.contains("html")) =>
                    {
                        parts.comments.offer(1, Some(link.url));
                    }
                    _ => {}
                }
            }
        }
        (_, "guid") if core => {
            let permalink = child
                .attr("ispermalink")
                .is_none_or(|v| !v.trim().eq_ignore_ascii_case("false"));
            let base = r.shared_base();
            parts.guid.offer(
                3,
                read_raw(r).map(|g| {
                    let link = permalink.then(|| guid_link(&base, &g)).flatten();
                    (g, permalink, link)
                }),
            );
        }
        (_, "id") if core => parts.guid.offer(3, read_raw(r).map(|g| (g, false, None))),
        (_, "description" | "summary") if core => {
            if parts.summary.wants(3) {
                let scope = here.scope(r);
                let summary = read_html_typed(r, child, default_flavor(child, atom_doc));
                parts.summary.offer(3, summary.map(|s| (s, scope)));
            } else {
                r.skip();
            }
        }
        // CDF's summary.
        (_, "abstract") if core => {
            let scope = here.scope(r);
            let summary = read_html_typed(r, child, Flavor::Maybe);
            parts.summary.offer(2, summary.map(|s| (s, scope)));
        }
        (Ns::Dc, "description") => {
            let scope = here.scope(r);
            let summary = read_html_typed(r, child, Flavor::Maybe);
            parts.summary.offer(2, summary.map(|s| (s, scope)));
        }
        (Ns::Itunes, "summary" | "subtitle") => {
            let scope = here.scope(r);
            let summary = read_html_typed(r, child, Flavor::Maybe);
            parts.summary.offer(1, summary.map(|s| (s, scope)));
        }
        (Ns::Content, "encoded") => {
            if parts.content.wants(3) {
                let scope = here.scope(r);
                let content = read_html_typed(r, child, Flavor::Html);
                parts.content.offer(3, content.map(|c| (c, scope)));
            } else {
                r.skip();
            }
        }
        // An old extension for an item's full text, as escaped HTML.
        (_, "fullitem") if core => {
            if parts.content.wants(1) {
                let scope = here.scope(r);
                let content = read_html_typed(r, child, Flavor::Html);
                parts.content.offer(1, content.map(|c| (c, scope)));
            } else {
                r.skip();
            }
        }
        (_, "content") if core => {
            if let Some(src) = child.attr("src") {
                // Out-of-line content: the URL can stand in for a missing link.
                let url = absolutize(r.base(), &src);
                r.skip();
                if parts.content_src.is_none() && !src.trim().is_empty() {
                    parts.content_src = Some(url.clone());
                }
                parts.link.offer(0, Some(url));
            } else if is_alternative(child) {
                let scope = here.scope(r);
                let alternative = read_alternative(r, default_flavor(child, atom_doc));
                parts.content.offer(3, alternative.map(|c| (c, scope)));
            } else if parts.content.wants(3) {
                let scope = here.scope(r);
                let content = read_html_typed(r, child, default_flavor(child, atom_doc));
                parts.content.offer(3, content.map(|c| (c, scope)));
            } else {
                r.skip();
            }
        }
        // The item's body as XHTML; in RSS also without the XHTML namespace.
        (Ns::Xhtml, "body" | "div") | (Ns::None, "body") if child.ns == Ns::Xhtml || !atom_doc => {
            let scope = here.scope(r);
            let xhtml = non_empty(&r.html(false, false));
            parts
                .content
                .offer(2, xhtml.map(|html| ((html, TextType::Xhtml), scope)));
        }
        (_, "author") if core => push_people(&mut parts.authors, read_person(r)),
        (ns, "source") if matches!(ns, Ns::Atom | Ns::Atom03) || (ns == Ns::None && atom_doc) => {
            parts.source = Some(Box::new(atom_source(r, &mut parts.source_authors)));
        }
        // RSS 2.0's `<source url="...">` holds only the title of the feed the item came from.
        (_, "source") if core => {
            let url = child
                .attr("url")
                .filter(|u| !u.trim().is_empty())
                .map(|u| absolutize(r.base(), &u));
            let title = read_plain(r, child, Flavor::Text);
            if url.is_some() || title.is_some() {
                parts.source = Some(Box::new(EntrySource {
                    title,
                    url,
                    ..EntrySource::default()
                }));
            }
        }
        // `dc:author` is not Dublin Core, but feeds write it.
        (Ns::Dc | Ns::DcTerms, "creator" | "author") => {
            push_people(
                &mut parts.authors,
                read_raw(r).map(|s| split_names(&s)).unwrap_or_default(),
            );
        }
        (_, "contributor") if core => push_people(&mut parts.contributors, read_person(r)),
        (Ns::Dc | Ns::DcTerms, "contributor") => push_people(
            &mut parts.contributors,
            read_raw(r).map(|s| split_names(&s)).unwrap_or_default(),
        ),
        (Ns::Dc | Ns::DcTerms, "publisher") => {
            let publisher = read_person(r);
            parts.publisher = parts.publisher.take().or(publisher);
        }
        (_, "rights" | "copyright") if core => {
            let scope = here.scope(r);
            let rights = read_construct(r, child, default_flavor(child, atom_doc));
            parts
                .rights
                .offer(2, rights.into_pair().map(|t| (t, scope)));
        }
        (Ns::Dc | Ns::DcTerms, "rights") => {
            let scope = here.scope(r);
            let rights = read_construct(r, child, Flavor::Maybe);
            parts
                .rights
                .offer(1, rights.into_pair().map(|t| (t, scope)));
        }
        (Ns::Slash, "comments") => {
            parts.comment_count = read_raw(r).and_then(|n| n.trim().parse().ok());
        }
        (Ns::Georss, "point" | "line" | "polygon" | "box") => {
            let found = read_raw(r).and_then(|text| geo::simple(&key, &text));
            parts.geo(found);
        }
        (Ns::Georss, "where") => {
            let found = geo::read_where(r);
            parts.geo(found);
        }
        // Liberal: a GML geometry without the `georss:where` it belongs in.
        (Ns::Gml, _) => {
            let found = geo::read_gml(r, child);
            parts.geo(found);
        }
        (Ns::Itunes, "explicit") => {
            let explicit = read_raw(r).and_then(|v| itunes_explicit(&v));
            parts.explicit = parts.explicit.or(explicit);
        }
        (Ns::Itunes, "block") => {
            let blocked = itunes_block(read_raw(r).as_deref());
            parts.blocked = parts.blocked.or(Some(blocked));
        }
        (Ns::Geo, "lat" | "long") => {
            let value = read_raw(r).and_then(|v| v.trim().parse::<f64>().ok());
            parts.geo_pair(&key, value);
        }
        // `itunes:link rel="image"` is the old form, as for the feed.
        (Ns::Itunes, "image") | (Ns::Itunes, "link")
            if key == "image"
                || child
                    .attr("rel")
                    .is_some_and(|rel| rel.trim().eq_ignore_ascii_case("image")) =>
        {
            let image = itunes_image(r, child);
            if parts.image.is_none() {
                parts.image = image;
            }
        }
        (Ns::Itunes, "category") => itunes_categories(r, child, &mut parts.categories),
        (Ns::Itunes, "keywords") => push_keywords(&mut parts.categories, read_raw(r)),
        (Ns::Itunes, "author") => {
            push_people(
                &mut parts.fallback_authors,
                read_raw(r).map(|s| split_names(&s)).unwrap_or_default(),
            );
        }
        (_, "pubdate" | "published" | "issued") if core => parts.published.offer(3, read_raw(r)),
        (Ns::DcTerms, "created") => {
            let created = read_raw(r);
            parts.created.offer(2, created.clone());
            parts.published.offer(2, created);
        }
        (Ns::Dc, "date") | (Ns::DcTerms, "issued" | "date") => {
            parts.published.offer(2, read_raw(r))
        }
        (_, "created") if core => {
            let created = read_raw(r);
            parts.created.offer(1, created.clone());
            parts.published.offer(1, created);
        }
        (_, "expirationdate") if core => {
            let expires = read_raw(r);
            parts.expires = parts.expires.take().or(expires);
        }
        (Ns::DcTerms, "valid") => {
            if parts.valid == (None, None) {
                parts.valid = read_raw(r).map(|p| dcmi_period(&p)).unwrap_or_default();
            } else {
                r.skip();
            }
        }
        (_, "updated" | "modified") if core => parts.updated.offer(3, read_raw(r)),
        (Ns::DcTerms, "modified") => parts.updated.offer(2, read_raw(r)),
        (_, "category") if core => {
            let term = read_category(r, child);
            push_category(&mut parts.categories, term);
        }
        (Ns::Dc, "subject") => {
            let term = read_plain(r, child, Flavor::Text);
            push_category(&mut parts.categories, term.map(Category::new));
        }
        (_, "comments") if core => {
            let base = r.shared_base();
            parts
                .comments
                .offer(3, read_raw(r).map(|u| absolutize(&base, &u)));
        }
        (Ns::Wfw, "commentrss") => {
            let base = r.shared_base();
            parts
                .comments
                .offer(1, read_raw(r).map(|u| absolutize(&base, &u)));
        }
        (_, "enclosure") if core => {
            if let Some(url) = child.attr("url").or_else(|| child.attr("href")) {
                let enclosure = Enclosure {
                    url: absolutize(r.base(), &url),
                    mime_type: child.attr_text("type"),
                    length: child.attr("length").and_then(|l| l.trim().parse().ok()),
                };
                push_enclosure(&mut parts.enclosures, enclosure);
            }
            r.skip();
        }
        (Ns::Media, _) => media(r, child, parts, 0),
        (Ns::License, "license") => {
            if let Some(link) = read_license(r, child)
                && parts.links.len() < MAX_LIST
            {
                parts.links.push(link);
            }
        }
        (Ns::Dc, "language") => {
            let language = read_raw(r).map(|l| language_tag(&l));
            parts.language = language.or(parts.language.take());
        }
        _ => r.skip(),
    }
}

/// Media RSS: `content`, `thumbnail` and `group` become enclosures; `title`, `description` and `credit` fill
/// gaps. The first `thumbnail`, or `content` of `medium="image"`, is also the entry's image when it has none
/// yet (news feeds give their lead picture so, without a MIME type). `level` bounds the recursion through
/// `group` and `content`.
fn media(r: &mut XmlReader<'_>, elem: &Elem<'_>, parts: &mut EntryParts, level: u8) {
    match &*elem.key() {
        key @ ("content" | "thumbnail" | "group") => {
            if key != "group"
                && let Some(url) = elem.attr_text("url")
            {
                let url = absolutize(r.base(), &url);
                let is_image = key == "thumbnail"
                    || elem
                        .attr("medium")
                        .is_some_and(|m| m.trim().eq_ignore_ascii_case("image"));
                if is_image && parts.image.is_none() {
                    let pixels = |name| elem.attr(name).and_then(|v| v.trim().parse().ok());
                    parts.image = Some(Image {
                        url: url.clone(),
                        width: pixels("width"),
                        height: pixels("height"),
                        ..Image::default()
                    });
                }
                let enclosure = Enclosure {
                    url,
                    mime_type: elem.attr_text("type"),
                    length: elem.attr("filesize").and_then(|l| l.trim().parse().ok()),
                };
                push_enclosure(&mut parts.enclosures, enclosure);
            }
            if level >= 2 {
                r.skip();
                return;
            }
            let depth = r.depth();
            while let Some(child) = r.next_child(depth) {
                if child.ns == Ns::Media {
                    media(r, &child, parts, level + 1);
                } else {
                    r.skip();
                }
            }
        }
        // Media RSS text is rarely scoped apart from its item; a scope of its own is not kept.
        "title" => {
            let flavor = media_flavor(elem);
            let title = read_construct(r, elem, flavor).into_pair();
            parts.title.offer(1, title.map(|t| (t, None)));
        }
        "description" => {
            let flavor = media_flavor(elem);
            let summary = read_html_typed(r, elem, flavor);
            parts.summary.offer(1, summary.map(|s| (s, None)));
        }
        "category" => {
            let (scheme, label) = (elem.attr_text("scheme"), elem.attr_text("label"));
            let term = read_plain(r, elem, Flavor::Text);
            push_category(
                &mut parts.categories,
                term.map(|term| Category {
                    term,
                    scheme: Some(scheme.unwrap_or_else(|| MEDIA_CATEGORY_SCHEME.to_string())),
                    label,
                }),
            );
        }
        "credit" => {
            let role = elem.attr("role").map(|r| r.to_ascii_lowercase());
            let is_author = role
                .as_deref()
                .is_none_or(|r| r.contains("author") || r.contains("creator"));
            match read_raw(r) {
                Some(name) if is_author => {
                    push_people(&mut parts.fallback_authors, parse_author(&name))
                }
                _ => {}
            }
        }
        _ => r.skip(),
    }
}

/// Reads an Atom `source` (just opened): the metadata of the feed the entry came from. Its authors are also
/// added to `authors`.
fn atom_source(r: &mut XmlReader<'_>, authors: &mut Vec<Person>) -> EntrySource {
    let depth = r.depth();
    let mut source = EntrySource::default();
    let mut alternate = None;
    while let Some(child) = r.next_child(depth) {
        if !child.ns.is_core() {
            r.skip();
            continue;
        }
        let absolute = |r: &mut XmlReader<'_>| {
            let base = r.shared_base();
            read_raw(r).map(|u| absolutize(&base, &u))
        };
        match &*child.key() {
            "author" => {
                let people = read_person(r);
                push_people(authors, people.clone());
                push_people(&mut source.authors, people);
            }
            "contributor" => push_people(&mut source.contributors, read_person(r)),
            "title" => {
                let title = read_construct(r, &child, default_flavor(&child, true));
                (source.title, source.title_html) = (title.text, title.html);
            }
            "subtitle" | "tagline" => {
                let subtitle = read_construct(r, &child, default_flavor(&child, true));
                (source.subtitle, source.subtitle_html) = (subtitle.text, subtitle.html);
            }
            "rights" | "copyright" => {
                let rights = read_construct(r, &child, default_flavor(&child, true));
                (source.rights, source.rights_html) = (rights.text, rights.html);
            }
            "id" => source.id = read_raw(r),
            "updated" | "modified" => source.updated = read_raw(r),
            "icon" => source.icon = absolute(r),
            "logo" => source.logo = absolute(r),
            "category" => {
                let term = read_category(r, &child);
                push_category(&mut source.categories, term);
            }
            "generator" => source.generator = read_generator(r, &child),
            "link" => {
                if let Some(link) = read_link(r, &child) {
                    link.push_declared(&mut source.links);
                    match &*link.rel_name {
                        "self" => source.url = Some(link.url),
                        "alternate" if alternate.is_none() => alternate = Some(link.url),
                        _ => {}
                    }
                }
            }
            _ => r.skip(),
        }
    }
    if source.url.is_none() {
        source.url = alternate;
    }
    source
}

/// The scheme of `media:category` when it states none (Media RSS 2.0, `media:category`).
const MEDIA_CATEGORY_SCHEME: &str = "http://search.yahoo.com/mrss/category_schema";

/// The scheme given to `itunes:category`, as feedparser names Apple's category list.
const ITUNES_SCHEME: &str = "http://www.itunes.com/";

/// The image an `itunes:image` (or the old `itunes:link rel="image"`) names: its `href` (or `url`, a common
/// mistake), resolved. The element is consumed.
pub(super) fn itunes_image(r: &mut XmlReader<'_>, child: &Elem<'_>) -> Option<Image> {
    let url = child
        .attr("href")
        .or_else(|| child.attr("url"))
        .filter(|u| !u.trim().is_empty())
        .map(|u| absolutize(r.base(), &u));
    r.skip();
    url.map(|url| Image {
        url,
        ..Image::default()
    })
}

/// `itunes:category text="..."` and the subcategories nested in it, in document order.
pub(super) fn itunes_categories(r: &mut XmlReader<'_>, elem: &Elem<'_>, into: &mut Vec<Category>) {
    let term = elem.attr("text").map(|t| t.trim().to_string());
    push_category(
        into,
        term.map(|term| Category {
            term,
            scheme: Some(ITUNES_SCHEME.to_string()),
            label: None,
        }),
    );
    let depth = r.depth();
    while let Some(child) = r.next_child(depth) {
        if child.ns == Ns::Itunes && child.key() == "category" {
            itunes_categories(r, &child, into);
        } else {
            r.skip();
        }
    }
}

/// `itunes:explicit`: `yes`, `true` or `explicit` say explicit; `no`, `false` or `clean` say not (Apple's
/// current values are `true` and `false`; the others are older). Case and surrounding white space do not
/// matter. Anything else says nothing.
pub(super) fn itunes_explicit(value: &str) -> Option<bool> {
    let value = value.trim();
    let is = |words: &[&str]| words.iter().any(|w| value.eq_ignore_ascii_case(w));
    if is(&["yes", "true", "explicit"]) {
        Some(true)
    } else if is(&["no", "false", "clean"]) {
        Some(false)
    } else {
        None
    }
}

/// `itunes:block`: only `yes` (any case, trimmed) blocks; Apple says any other value has no effect.
pub(super) fn itunes_block(value: Option<&str>) -> bool {
    value.is_some_and(|v| v.trim().eq_ignore_ascii_case("yes"))
}

/// Media RSS text elements use `type="plain"` (default) or `type="html"`.
fn media_flavor(elem: &Elem<'_>) -> Flavor {
    match elem.attr("type") {
        Some(t) if t.trim().eq_ignore_ascii_case("html") => Flavor::Html,
        _ => Flavor::Text,
    }
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Adds a category unless its term is empty or it is already there: a category with the same term and scheme
/// is kept once (the first, given the label it lacked); the same term in another scheme is another category.
pub(super) fn push_category(categories: &mut Vec<Category>, category: Option<Category>) {
    // A full list is not searched again: a feed repeating one element a million times stays linear.
    let Some(category) = category.filter(|c| !c.term.is_empty() && categories.len() < MAX_LIST)
    else {
        return;
    };
    let same = |c: &Category| c.term == category.term && c.scheme == category.scheme;
    match categories.iter().position(same) {
        Some(kept) => {
            let kept = &mut categories[kept];
            if kept.label.is_none() {
                kept.label = category.label;
            }
        }
        None => categories.push(category),
    }
}

/// `itunes:keywords`: a comma-separated list, each keyword a category. Keywords are free words, not Apple's
/// category list, so they have no scheme; a keyword that is already the term of a category, in any scheme,
/// adds nothing.
pub(super) fn push_keywords(categories: &mut Vec<Category>, keywords: Option<String>) {
    for keyword in keywords.iter().flat_map(|k| k.split(',')) {
        let keyword = collapse_whitespace(keyword);
        if categories.len() < MAX_LIST && !categories.iter().any(|c| c.term == keyword) {
            push_category(categories, Some(Category::new(keyword)));
        }
    }
}

fn push_people(people: &mut Vec<Person>, found: impl IntoIterator<Item = Person>) {
    for person in found {
        if people.len() < MAX_LIST {
            people.push(person);
        }
    }
}

fn push_enclosure(enclosures: &mut Vec<Enclosure>, enclosure: Enclosure) {
    if enclosure.url.is_empty() || enclosures.len() >= MAX_LIST {
        return;
    }
    match enclosures.iter_mut().find(|e| e.url == enclosure.url) {
        Some(existing) => {
            if existing.mime_type.is_none() {
                existing.mime_type = enclosure.mime_type;
            }
            if existing.length.is_none() {
                existing.length = enclosure.length;
            }
        }
        None => enclosures.push(enclosure),
    }
}

fn finish(parts: EntryParts) -> Entry {
    let (guid, guid_is_permalink, guid_link) = match parts.guid.value {
        Some((guid, permalink, link)) => (Some(guid), permalink, link),
        None => (None, false, None),
    };
    let link = parts.link.value.or(guid_link);
    let mut authors = if !parts.authors.is_empty() {
        parts.authors
    } else if !parts.source_authors.is_empty() {
        parts.source_authors
    } else {
        parts.fallback_authors
    };
    dedup_people(&mut authors);
    let authors = exact(authors);
    let mut construct_scopes = Vec::new();
    let mut scoped = |construct, scope: Option<OwnScope>| {
        if let Some(scope) = scope {
            construct_scopes.push(scope.into_model(construct));
        }
    };
    let (title, title_scope) = parts.title.value.unzip();
    scoped(TextConstruct::Title, title_scope.flatten());
    let (title, title_html) = title.unzip();
    let (summary, summary_scope) = parts.summary.value.unzip();
    scoped(TextConstruct::Summary, summary_scope.flatten());
    let (summary_html, summary_type) = summary.unzip();
    let (content, content_scope) = parts.content.value.unzip();
    // The content's language is `content_language`; its scope keeps the base only.
    let mut content_language = None;
    if let Some(mut scope) = content_scope.flatten() {
        content_language = scope.language.take();
        if scope.base.is_some() {
            scoped(TextConstruct::Content, Some(scope));
        }
    }
    let (content_html, content_type) = content.unzip();
    let (rights, rights_scope) = parts.rights.value.unzip();
    scoped(TextConstruct::Rights, rights_scope.flatten());
    let (rights, rights_html) = rights.unzip();
    // Boxed: rare, and an entry is kept small for feeds of many short entries.
    let scope = (parts.base.is_some() || !construct_scopes.is_empty()).then(|| {
        Box::new(Scope {
            base: parts.base,
            constructs: exact(construct_scopes),
        })
    });
    Entry {
        guid,
        guid_is_permalink,
        link,
        scope,
        title,
        title_html: title_html.flatten(),
        summary_html,
        content_html,
        summary_type,
        content_type,
        content_src: parts.content_src,
        content_language,
        body: Vec::new(),
        authors,
        published: parts.published.value,
        updated: parts.updated.value,
        created: parts.created.value,
        expires: parts.expires,
        valid_start: parts.valid.0,
        valid_end: parts.valid.1,
        categories: exact(parts.categories),
        language: parts.language,
        comments_url: parts.comments.value,
        enclosures: exact(parts.enclosures),
        links: exact(parts.links),
        contributors: exact(parts.contributors),
        // Boxed: rare, and an entry is kept small for feeds of many short entries.
        publisher: parts.publisher.map(Box::new),
        rights,
        rights_html: rights_html.flatten(),
        source: parts.source,
        comment_count: parts.comment_count,
        location: parts.location,
        shape: parts.shape,
        explicit: parts.explicit,
        blocked: parts.blocked,
        image: parts.image.map(Box::new),
    }
}

/// The `start` and `end` of a DCMI period (`start=2024-05-01; end=2024-05-31; scheme=W3C-DTF`), trimmed, as
/// written. Component names are matched in any case; other components and malformed ones are ignored.
pub(super) fn dcmi_period(period: &str) -> (Option<String>, Option<String>) {
    let (mut start, mut end) = (None, None);
    for component in period.split(';') {
        let Some((name, value)) = component.split_once('=') else {
            continue;
        };
        let value = value.trim();
        let slot = match name.trim() {
            n if n.eq_ignore_ascii_case("start") => &mut start,
            n if n.eq_ignore_ascii_case("end") => &mut end,
            _ => continue,
        };
        if slot.is_none() && !value.is_empty() {
            *slot = Some(value.to_string());
        }
    }
    (start, end)
}

/// The link a permalink GUID stands for, when the item has no `<link>`: an absolute `http(s)` URL as written,
/// or a path starting with `/` resolved against the base in force. Other relative GUIDs (`p/9`, `9`) are
/// too often opaque ids to be taken as links.
fn guid_link(base: &url::Url, guid: &str) -> Option<String> {
    let guid = guid.trim();
    if looks_like_url(guid) {
        Some(guid.to_string())
    } else if guid.starts_with('/') && !guid.contains(char::is_whitespace) {
        Some(absolutize(base, guid))
    } else {
        None
    }
}

/// Removes repeated people (same name), keeping the first and merging in missing details.
pub(super) fn dedup_people(people: &mut Vec<Person>) {
    let mut i = 0;
    while i < people.len() {
        if let Some(first) = people[..i].iter().position(|p| p.name == people[i].name) {
            let dup = people.remove(i);
            let kept = &mut people[first];
            if kept.email.is_none() {
                kept.email = dup.email;
            }
            if kept.uri.is_none() {
                kept.uri = dup.uri;
            }
        } else {
            i += 1;
        }
    }
}
