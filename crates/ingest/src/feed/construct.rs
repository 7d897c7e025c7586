//! Readers for the constructs feeds share: text constructs (Atom `type`/`mode`, RSS escaped HTML), links,
//! people and raw dates.

use std::borrow::Cow;

use newswire_model::{Category, ConstructScope, Generator, Person, TextConstruct, TextType};
use url::Url;

use super::sanitize::{sanitize, sanitize_source};
use super::text::{
    absolutize, base64_decode, collapse_whitespace, escape_html, escape_html_cow, html_to_text,
    html_to_text_marked, language_tag,
};
use super::xml::{Elem, Ev, Ns, XmlReader};

/// The `xml:base` and `xml:lang` a construct states apart from its record's (see [`ConstructScope`]).
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct OwnScope {
    /// The base in force on the construct, when it is not the record's.
    pub(super) base: Option<String>,
    /// The `xml:lang` in force on the construct (`""` when cleared), when it is not the record's.
    pub(super) language: Option<String>,
}

impl OwnScope {
    /// The scope as the model states it, for `construct`.
    pub(super) fn into_model(self, construct: TextConstruct) -> ConstructScope {
        ConstructScope {
            construct,
            base: self.base,
            language: self.language,
        }
    }
}

/// What the element just opened states apart from its record: the base in force on it when it is not
/// `record_base`, its `xml:lang` when it is not `record_lang` (both as in force on the record's element).
/// `None`, without allocating, in the usual case where it states nothing of its own.
pub(super) fn own_scope(
    r: &XmlReader<'_>,
    record_base: &Url,
    record_lang: Option<&str>,
) -> Option<OwnScope> {
    let base = r.base();
    let base = (!std::ptr::eq(base, record_base) && base != record_base).then(|| base.to_string());
    let lang = r.lang_stated();
    let language = (lang != record_lang).then(|| lang.map(language_tag).unwrap_or_default());
    (base.is_some() || language.is_some()).then_some(OwnScope { base, language })
}

/// How the content of a text element is to be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Flavor {
    /// Plain text (Atom `type="text"`).
    Text,
    /// Escaped HTML (Atom `type="html"`, RSS `content:encoded`).
    Html,
    /// Inline XHTML (Atom `type="xhtml"`, Atom 0.3 `mode="xml"`).
    Xhtml,
    /// RSS titles and descriptions: HTML if it looks like HTML, else text.
    Maybe,
}

/// The flavor an element declares with `type` / `mode`, else `default`; and whether it is base64.
/// `None` for content of a binary type (an Atom `content` of type `image/png`, say: Base64).
fn flavor_of(elem: &Elem<'_>, default: Flavor) -> Option<(Flavor, bool)> {
    let mode = elem.attr("mode");
    let mode = mode.as_deref().map(str::trim);
    let base64 = mode.is_some_and(|m| m.eq_ignore_ascii_case("base64"));
    let escaped = mode.is_some_and(|m| m.eq_ignore_ascii_case("escaped"));
    let xml_mode = mode.is_some_and(|m| m.eq_ignore_ascii_case("xml"));
    let ty = elem.attr("type");
    let mut buf = [0u8; 64];
    let ty = ty
        .as_deref()
        .map(|t| ascii_lowercase_in(t.split(';').next().unwrap_or("").trim(), &mut buf));
    let flavor = match ty.as_deref() {
        None | Some("") => {
            if escaped {
                // Atom 0.3 defaults to text/plain, but escaped content in the wild is HTML.
                Flavor::Html
            } else if xml_mode {
                Flavor::Xhtml
            } else {
                default
            }
        }
        // `plain` is Media RSS's word for text.
        Some("text" | "text/plain" | "plain") => Flavor::Text,
        Some("html" | "text/html") => Flavor::Html,
        Some("xhtml" | "application/xhtml+xml") => {
            if escaped || base64 {
                Flavor::Html
            } else {
                Flavor::Xhtml
            }
        }
        Some(other) if other.ends_with("+xml") || other.ends_with("/xml") => {
            if escaped || base64 {
                Flavor::Text
            } else {
                Flavor::Xhtml
            }
        }
        Some(other) if other.starts_with("text/") => Flavor::Text,
        // Any other media type is binary (RFC 4287 4.1.3.3); a word that is not a media type says nothing.
        Some(other) if other.contains('/') => return None,
        Some(_) => default,
    };
    Some((flavor, base64))
}

/// `s` in ASCII lower case, in `buf` when it fits (no allocation for the usual short MIME types).
fn ascii_lowercase_in<'b>(s: &str, buf: &'b mut [u8; 64]) -> Cow<'b, str> {
    if let Some(out) = buf.get_mut(..s.len()) {
        out.copy_from_slice(s.as_bytes());
        out.make_ascii_lowercase();
        if let Ok(lower) = std::str::from_utf8(out) {
            return Cow::Borrowed(lower);
        }
    }
    Cow::Owned(s.to_ascii_lowercase())
}

/// The default flavor of an element without `type`: Atom elements are text, RSS ones maybe HTML.
pub(super) fn default_flavor(elem: &Elem<'_>, atom_doc: bool) -> Flavor {
    match elem.ns {
        Ns::Atom | Ns::Atom03 => Flavor::Text,
        Ns::None if atom_doc => Flavor::Text,
        _ => Flavor::Maybe,
    }
}

/// Keeps `s` only when it is not blank, trimmed.
fn non_blank<'s>(s: impl Into<Cow<'s, str>>) -> Option<String> {
    let s = s.into();
    let trimmed = s.trim();
    if trimmed.is_empty() {
        None
    } else if trimmed.len() == s.len() {
        Some(s.into_owned())
    } else {
        Some(trimmed.to_string())
    }
}

/// Reads a text construct as HTML (plain text escaped), relative URLs resolved, then sanitized (see
/// [`super::sanitize`]; HTML source goes through [`sanitize_source`], which escapes stray markup, resolves
/// and sanitizes in one pass when it can). Consumes the element.
pub(super) fn read_html(r: &mut XmlReader<'_>, elem: &Elem<'_>, default: Flavor) -> Option<String> {
    read_html_typed(r, elem, default).map(|(html, _)| html)
}

/// [`read_html`], and how the construct was written: text (escaped into the HTML), HTML ("maybe HTML" is read
/// as HTML), or XHTML. Consumes the element.
pub(super) fn read_html_typed(
    r: &mut XmlReader<'_>,
    elem: &Elem<'_>,
    default: Flavor,
) -> Option<(String, TextType)> {
    let Some((flavor, base64)) = flavor_of(elem, default) else {
        let html = binary_as_text(r).map(|text| sanitize(&escape_html(&text)));
        return html.map(|html| (html, TextType::Text));
    };
    let text_type = match flavor {
        Flavor::Text => TextType::Text,
        Flavor::Html | Flavor::Maybe => TextType::Html,
        Flavor::Xhtml => TextType::Xhtml,
    };
    let base = r.shared_base();
    let sanitized = if base64 {
        let decoded = decode_base64_text(&r.text())?;
        match flavor {
            Flavor::Text => sanitize(&escape_html(&decoded)),
            _ => sanitize_source(&decoded, &base),
        }
    } else {
        match flavor {
            Flavor::Text => sanitize(&escape_html_cow(r.text())),
            Flavor::Html | Flavor::Maybe => sanitize_source(&r.html(true, false), &base),
            Flavor::Xhtml => sanitize(&r.html(false, unwraps_div(elem))),
        }
    };
    non_blank(sanitized).map(|html| (html, text_type))
}

/// Whether inline XHTML in `elem` sits in a wrapper `<div>` that is not part of the content: Atom 1.0 defines
/// one (RFC 4287 3.1.1.3); Atom 0.3's `mode="xml"` has none, so there a `<div>` is content and stays.
fn unwraps_div(elem: &Elem<'_>) -> bool {
    elem.ns != Ns::Atom03
}

/// [`read_html`], and whether the element was markup: HTML or XHTML by its `type`/`mode`, or (for RSS's
/// "maybe HTML") HTML that still has a tag once sanitized. Consumes the element.
pub(super) fn read_html_marked(
    r: &mut XmlReader<'_>,
    elem: &Elem<'_>,
    default: Flavor,
) -> Option<(String, bool)> {
    let markup = match flavor_of(elem, default) {
        Some((Flavor::Html | Flavor::Xhtml, _)) => Some(true),
        Some((Flavor::Maybe, _)) => None,
        Some((Flavor::Text, _)) | None => Some(false),
    };
    let html = read_html(r, elem, default)?;
    let markup = markup.unwrap_or_else(|| html.contains('<'));
    Some((html, markup))
}

/// A text construct (a title, rights, Atom 0.3 `info`) read both ways.
#[derive(Debug, Default)]
pub(super) struct Construct {
    /// As plain text (see [`read_construct`]).
    pub(super) text: Option<String>,
    /// As sanitized HTML with relative URLs resolved, when the construct is markup: Atom `type="html"` or
    /// `"xhtml"` (Atom 0.3 `mode="escaped"` HTML, inline XML), or RSS text with well-known HTML tags in it.
    pub(super) html: Option<String>,
}

impl Construct {
    /// The text and the HTML, when there is text: markup with no text in it (a lone image) is no title.
    pub(super) fn into_pair(self) -> Option<(String, Option<String>)> {
        Some((self.text?, self.html))
    }
}

/// Reads a text construct as plain text and, when it is markup, as sanitized HTML too. The text is what
/// [`read_plain`] reads, except that HTML and XHTML are reduced from their serialized source, so a block
/// element (`<p>`, `<br>`) separates the words around it. Plain text costs what [`read_plain`] costs; only
/// markup is sanitized. Consumes the element.
pub(super) fn read_construct(r: &mut XmlReader<'_>, elem: &Elem<'_>, default: Flavor) -> Construct {
    let Some((flavor, base64)) = flavor_of(elem, default) else {
        return Construct {
            text: binary_as_text(r),
            html: None,
        };
    };
    let base = r.shared_base();
    let source = if base64 {
        match decode_base64_text(&r.text()) {
            Some(decoded) => Cow::Owned(decoded),
            None => return Construct::default(),
        }
    } else {
        match flavor {
            Flavor::Text | Flavor::Maybe => r.text(),
            Flavor::Html => r.html(true, false),
            Flavor::Xhtml => r.html(false, unwraps_div(elem)),
        }
    };
    match flavor {
        // Plain text keeps its inner whitespace (normalize owns whitespace); only the ends are trimmed.
        Flavor::Text => Construct {
            text: non_blank(source),
            html: None,
        },
        Flavor::Html | Flavor::Xhtml => {
            let text = non_blank(html_to_text(&source, true));
            let html = if flavor == Flavor::Xhtml && !base64 {
                // Serialized by the reader: well-formed, URLs already resolved.
                sanitize(&source)
            } else {
                sanitize_source(&source, &base)
            };
            Construct {
                text,
                html: non_blank(html),
            }
        }
        Flavor::Maybe => {
            let (text, markup) = html_to_text_marked(&source, false);
            Construct {
                html: markup
                    .then(|| non_blank(sanitize_source(&source, &base)))
                    .flatten(),
                text: non_blank(text),
            }
        }
    }
}

/// Reads an Atom 0.3 `multipart/alternative` content element, whose children are the alternatives: the
/// first HTML or XHTML part wins, else the first text part. Consumes the element.
pub(super) fn read_alternative(
    r: &mut XmlReader<'_>,
    default: Flavor,
) -> Option<(String, TextType)> {
    let depth = r.depth();
    let mut best: Option<(u8, (String, TextType))> = None;
    while let Some(part) = r.next_child(depth) {
        if !part.key().eq_ignore_ascii_case("content") {
            r.skip();
            continue;
        }
        let rank = match flavor_of(&part, default) {
            Some((Flavor::Html | Flavor::Xhtml | Flavor::Maybe, _)) => 2,
            Some((Flavor::Text, _)) => 1,
            None => 0,
        };
        if rank == 0 || best.as_ref().is_some_and(|(have, _)| *have >= rank) {
            r.skip();
            continue;
        }
        if let Some(html) = read_html_typed(r, &part, default) {
            best = Some((rank, html));
        }
    }
    best.map(|(_, html)| html)
}

/// Whether an element declares `type="multipart/alternative"` (Atom 0.3 content).
pub(super) fn is_alternative(elem: &Elem<'_>) -> bool {
    elem.attr("type").is_some_and(|t| {
        t.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .eq_ignore_ascii_case("multipart/alternative")
    })
}

/// Reads a text construct as plain text: HTML reduced to text with whitespace collapsed; plain text
/// (`type="text"`) trimmed only. Consumes the element.
pub(super) fn read_plain(
    r: &mut XmlReader<'_>,
    elem: &Elem<'_>,
    default: Flavor,
) -> Option<String> {
    let Some((flavor, base64)) = flavor_of(elem, default) else {
        return binary_as_text(r);
    };
    let mut text = r.text();
    if base64 {
        text = Cow::Owned(decode_base64_text(&text)?);
    }
    let plain = match flavor {
        // Plain text keeps its inner whitespace (normalize owns whitespace); only the ends are trimmed.
        Flavor::Text => text,
        Flavor::Xhtml => Cow::Owned(collapse_whitespace(&text)),
        Flavor::Html => Cow::Owned(html_to_text(&text, true)),
        Flavor::Maybe => Cow::Owned(html_to_text(&text, false)),
    };
    non_blank(plain)
}

/// The content of an element of a binary type (RFC 4287 4.1.3.3: Base64), when it decodes to text: valid
/// UTF-8 with no control characters but whitespace. Real binary content (an image) has no text. Consumes the
/// element.
fn binary_as_text(r: &mut XmlReader<'_>) -> Option<String> {
    let bytes = base64_decode(&r.text())?;
    let text = String::from_utf8(bytes).ok()?;
    let is_text = !text.chars().any(|c| c.is_control() && !c.is_whitespace());
    is_text.then(|| non_blank(text)).flatten()
}

fn decode_base64_text(s: &str) -> Option<String> {
    let bytes = base64_decode(s)?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// Reads a category: Atom's `term` (else `label`) attribute with its `scheme` and `label`, or RSS's text with
/// its `domain` as scheme. `None` when it has no term. Consumes the element.
pub(super) fn read_category(r: &mut XmlReader<'_>, elem: &Elem<'_>) -> Option<Category> {
    let label = elem.attr_text("label");
    let term = match elem.attr_text("term") {
        Some(term) => {
            r.skip();
            Some(term)
        }
        // An Atom category without `term` (invalid, but written) is named by its label.
        None if elem.attr("term").is_some() || label.is_some() => {
            r.skip();
            label.clone()
        }
        None => read_plain(r, elem, Flavor::Text),
    }?;
    Some(Category {
        term,
        scheme: elem
            .attr_text("scheme")
            .or_else(|| elem.attr_text("domain")),
        label,
    })
}

/// Reads an RSS or Atom `generator`: a name, with a URI (Atom `uri`, Atom 0.3 `url`) and a version as
/// attributes; `None` when it names nothing. Consumes the element.
pub(super) fn read_generator(r: &mut XmlReader<'_>, elem: &Elem<'_>) -> Option<Generator> {
    let uri = elem
        .attr("uri")
        .or_else(|| elem.attr("url"))
        .filter(|u| !u.trim().is_empty())
        .map(|u| absolutize(r.base(), &u));
    let version = elem.attr_text("version");
    let name = read_plain(r, elem, Flavor::Text).unwrap_or_default();
    (!name.is_empty() || uri.is_some()).then_some(Generator { name, uri, version })
}

/// Reads the trimmed text of an element (dates, ids, URLs as written). Consumes the element.
pub(super) fn read_raw(r: &mut XmlReader<'_>) -> Option<String> {
    non_blank(r.text())
}

/// What a link points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Rel {
    /// The page itself (`alternate`, or no `rel`).
    Alternate,
    /// A media file.
    Enclosure,
    /// The comments (`replies`).
    Replies,
    /// Anything else (`self`, `related`, `via`, ...).
    Other,
}

/// A link found in an RSS `<link>` or an Atom `<link href>`.
#[derive(Debug)]
pub(super) struct Link {
    /// Absolute URL.
    pub(super) url: String,
    /// The relation.
    pub(super) rel: Rel,
    /// MIME type, when given.
    pub(super) mime_type: Option<String>,
    /// `length`, when given and numeric.
    pub(super) length: Option<u64>,
    /// The relation as written (lowercased unless it is a URI; `alternate` when not stated).
    pub(super) rel_name: Cow<'static, str>,
    /// `title`, when given.
    pub(super) title: Option<String>,
    /// `hreflang`, when given.
    pub(super) hreflang: Option<String>,
    /// Preference among alternate links: 4 for an RSS link or an HTML alternate, 3 without type, 1 other.
    pub(super) score: u8,
}

impl Link {
    /// Adds the link as the model states it to `links` (a feed's or entry's declared links), unless they are
    /// [`MAX_LIST`](super::MAX_LIST) already. Most have one or two, so the first takes no room for four.
    pub(super) fn push_declared(&self, links: &mut Vec<newswire_model::Link>) {
        if links.len() >= super::MAX_LIST {
            return;
        }
        if links.is_empty() {
            links.reserve_exact(1);
        }
        links.push(newswire_model::Link {
            href: self.url.clone(),
            rel: self.rel_name.clone(),
            mime_type: self.mime_type.clone(),
            title: self.title.clone(),
            length: self.length,
            hreflang: self.hreflang.clone(),
        });
    }
}

/// Link relations common in feeds, kept without allocating.
const REGISTERED_RELS: &[&str] = &[
    "alternate",
    "self",
    "enclosure",
    "related",
    "via",
    "replies",
    "edit",
    "license",
    "hub",
    "next",
    "previous",
    "first",
    "last",
    "search",
    "payment",
];

/// Reads an RSS `<link>` (text) or an Atom `<link>` (attributes). Consumes the element.
pub(super) fn read_link(r: &mut XmlReader<'_>, elem: &Elem<'_>) -> Option<Link> {
    let base = r.shared_base();
    let Some(href) = elem.attr("href") else {
        let text = read_raw(r)?;
        return Some(Link {
            url: absolutize(&base, &text),
            rel: Rel::Alternate,
            mime_type: None,
            length: None,
            rel_name: Cow::Borrowed("alternate"),
            title: None,
            hreflang: None,
            score: 4,
        });
    };
    r.skip();
    let rel = elem.attr("rel");
    let rel_name = match rel.as_deref().map(str::trim) {
        None | Some("") => Cow::Borrowed("alternate"),
        Some(rel) if rel.contains(':') => Cow::Owned(rel.to_string()),
        Some(rel) => REGISTERED_RELS
            .iter()
            .find(|known| known.eq_ignore_ascii_case(rel))
            .map_or_else(
                || Cow::Owned(rel.to_ascii_lowercase()),
                |&known| Cow::Borrowed(known),
            ),
    };
    let rel = rel.as_deref().map(str::trim).unwrap_or("alternate");
    let rel = rel.rsplit('/').next().unwrap_or(rel);
    let rel = if rel.is_empty() || rel.eq_ignore_ascii_case("alternate") {
        Rel::Alternate
    } else if rel.eq_ignore_ascii_case("enclosure") {
        Rel::Enclosure
    } else if rel.eq_ignore_ascii_case("replies") {
        Rel::Replies
    } else {
        Rel::Other
    };
    // An empty href is a same-document reference (RFC 3986 4.4): the base document, for the page link;
    // an empty enclosure or comments link names nothing.
    if href.trim().is_empty() && rel != Rel::Alternate {
        return None;
    }
    let mime_type = elem.attr_text("type");
    let score = match mime_type.as_deref() {
        None => 3,
        Some(t) if t.starts_with("text/html") || t.starts_with("application/xhtml") => 4,
        Some(_) => 1,
    };
    let length = elem.attr("length").and_then(|l| l.trim().parse().ok());
    Some(Link {
        url: absolutize(&base, &href),
        rel,
        mime_type,
        length,
        rel_name,
        title: elem.attr_text("title"),
        hreflang: elem.attr_text("hreflang"),
        score,
    })
}

/// Reads a Creative Commons `license` (`cc:license rdf:resource="..."` or `creativeCommons:license` with the
/// URL as text) as a link with `rel="license"`, resolved; `None` when it names no URL. Consumes the element.
pub(super) fn read_license(r: &mut XmlReader<'_>, elem: &Elem<'_>) -> Option<newswire_model::Link> {
    let base = r.shared_base();
    let href = match elem.attr("resource") {
        Some(href) => {
            r.skip();
            Some(href.trim().to_string()).filter(|h| !h.is_empty())
        }
        None => read_raw(r),
    }?;
    Some(newswire_model::Link {
        href: absolutize(&base, &href),
        rel: Cow::Borrowed("license"),
        ..newswire_model::Link::default()
    })
}

/// Reads an Atom person (`name`, `email`, `uri` children) or an RSS `author` string. Consumes the element.
pub(super) fn read_person(r: &mut XmlReader<'_>) -> Option<Person> {
    let depth = r.depth();
    let base = r.shared_base();
    let mut text: Cow<'_, str> = Cow::Borrowed("");
    let mut children = false;
    let (mut name, mut email, mut uri) = (None, None, None);
    loop {
        match r.next() {
            Ev::Text(t) if r.depth() == depth => {
                if text.is_empty() {
                    text = t;
                } else {
                    text.to_mut().push_str(&t);
                }
            }
            Ev::Open(child) if r.depth() == depth + 1 => {
                children = true;
                match &*child.key() {
                    "name" => name = non_blank(collapse_whitespace(&r.text())),
                    "email" => email = read_raw(r),
                    "uri" | "url" | "homepage" => uri = read_raw(r).map(|u| absolutize(&base, &u)),
                    _ => r.skip(),
                }
            }
            Ev::Close(_) if r.depth() < depth => break,
            Ev::Eof => break,
            _ => {}
        }
    }
    if children && (name.is_some() || email.is_some() || uri.is_some()) {
        // Without a name, the address or else the home page names the person (as in JSON Feed).
        let name = name.or_else(|| email.clone()).or_else(|| uri.clone())?;
        return Some(Person { name, email, uri });
    }
    parse_author(&text)
}

/// Parses an RSS author string: `jane@example.com (Jane Doe)`, `Jane Doe <jane@example.com>`,
/// `jane@example.com` (the address doubles as the name) or a bare name.
pub(super) fn parse_author(s: &str) -> Option<Person> {
    let s = collapse_whitespace(s);
    if s.is_empty() {
        return None;
    }
    let clean_email = |e: &str| {
        let e = e.trim().trim_start_matches("mailto:").trim();
        (e.contains('@') && !e.contains(' ')).then(|| e.to_string())
    };
    if let Some(open) = s.find('(')
        && s.ends_with(')')
    {
        let inner = s[open + 1..s.len() - 1].trim();
        let outer = s[..open].trim();
        if let Some(email) = clean_email(outer) {
            let name = if inner.is_empty() {
                email.clone()
            } else {
                inner.to_string()
            };
            return Some(Person {
                name,
                email: Some(email),
                uri: None,
            });
        }
        if let Some(email) = clean_email(inner) {
            let name = if outer.is_empty() {
                email.clone()
            } else {
                outer.to_string()
            };
            return Some(Person {
                name,
                email: Some(email),
                uri: None,
            });
        }
    }
    if let Some(open) = s.find('<')
        && s.ends_with('>')
        && let Some(email) = clean_email(&s[open + 1..s.len() - 1])
    {
        let outer = s[..open].trim().trim_matches('"').trim();
        let name = if outer.is_empty() {
            email.clone()
        } else {
            outer.to_string()
        };
        return Some(Person {
            name,
            email: Some(email),
            uri: None,
        });
    }
    if let Some(email) = clean_email(&s) {
        return Some(Person {
            name: email.clone(),
            email: Some(email),
            uri: None,
        });
    }
    Some(Person {
        name: s,
        email: None,
        uri: None,
    })
}

/// Splits a `dc:creator` / `itunes:author` value into people: `A, B and C` gives three.
///
/// Separators are `;`, `,` and ` and `; a leading `By ` is dropped. A value with one comma between two single
/// words (`Doe, Jane`) is read as one inverted name and not split. Each name is read like an RSS `author`, so
/// `Jane Doe (jane@example.com)` has an address.
pub(super) fn split_names(s: &str) -> Vec<Person> {
    let s = collapse_whitespace(s);
    let s = strip_by(&s);
    let inverted = {
        let mut parts = s.split(',');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(a), Some(b), None) => {
                !a.trim().contains(' ')
                    && !b.trim().contains(' ')
                    && !s.contains(" and ")
                    && !s.contains(';')
            }
            _ => false,
        }
    };
    if inverted {
        return vec![Person {
            name: s.to_string(),
            email: None,
            uri: None,
        }];
    }
    s.split([';', ','])
        .flat_map(|part| part.split(" and "))
        .map(|part| strip_by(part.trim()).trim_start_matches("and ").trim())
        .filter_map(parse_author)
        .collect()
}

fn strip_by(s: &str) -> &str {
    match s.get(..3) {
        Some(by) if by.eq_ignore_ascii_case("by ") && s.len() > 3 => s[3..].trim_start(),
        _ => s,
    }
}
