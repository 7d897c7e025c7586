//! A liberal, always-balanced element event stream over quick-xml.
//!
//! quick-xml's rules find the token boundaries; this layer turns whatever the document contains into a clean
//! stream of [`Ev::Open`] / [`Ev::Text`] / [`Ev::Close`] events in which every open element is closed exactly
//! once, and reports each repair as a warning:
//!
//! - a `<` that cannot start a tag is text; a bare `&` is text;
//! - undefined entities are looked up in the HTML table, unknown ones are kept as written;
//! - a mismatched end tag closes up to the matching open element, a stray one is ignored;
//! - an unclosed `<title>` (or another text-only feed element) is closed by the next such element, an unclosed
//!   `<item>`/`<entry>` by the next item or entry;
//! - HTML void elements (`<br>`, `<img>`) and `<link href=..>` need no end tag;
//! - markup that quick-xml rejects is skipped up to the next `>`; at the end of input every open element is
//!   closed and the document is marked truncated.
//!
//! It also keeps the scoped state feeds depend on: namespace bindings (matched by URI, or by well-known
//! prefix when a declaration is missing), `xml:base` (resolved against the parent base) and `xml:lang`.
//!
//! The tokens that make up nearly all of a feed (text, references, start and end tags, CDATA sections) are cut
//! out of the source directly, at the boundaries quick-xml would find (`XmlReader::fast_token`); quick-xml
//! itself reads the rest (comments, declarations, processing instructions, unclosed markup) and would only
//! add a UTF-8 check of every token, which a `str` source always passes. A differential test holds the two
//! to the same events and warnings.
//!
//! Internal entities declared in a DOCTYPE are expanded, nested ones included, within limits (each value at
//! most 1 KiB, 64 KiB of expansion per document); external ones are never fetched. Characters XML does not
//! allow (NUL, other C0 controls) are dropped from text, and an `&name` without `;` is read as the entity
//! when `name` is one of the HTML legacy entities (`&nbsp`, `&amp`, `&copy`, ...). Each with a warning.

use std::borrow::Cow;
use std::rc::Rc;

use quick_xml::errors::Error as XmlError;
use quick_xml::events::Event;
use url::Url;

use super::entities;
use crate::swar::{bytes_below, bytes_equal, find_byte};

/// At most this many warnings are kept; the rest are counted.
const MAX_WARNINGS: usize = 100;
/// At most this many namespace bindings are in scope at once; more are ignored.
const MAX_NS_BINDINGS: usize = 256;
/// At most this many internal DOCTYPE entities are honoured.
const MAX_DOCTYPE_ENTITIES: usize = 64;
/// Longest honoured internal DOCTYPE entity value, in bytes, as declared and as expanded.
const MAX_ENTITY_VALUE: usize = 1024;
/// At most this many bytes of internal DOCTYPE entity replacement text per document; references past it are
/// kept as written.
const MAX_ENTITY_EXPANSION: usize = 64 * 1024;
/// How far up the stack an end tag looks for its start tag.
const MAX_END_TAG_SEARCH: usize = 64;

/// A namespace the feed parser knows about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Ns {
    /// No namespace.
    None,
    /// RSS 0.90 (`http://my.netscape.com/rdf/simple/0.9/`).
    Rss090,
    /// RSS 1.0 (`http://purl.org/rss/1.0/`).
    Rss10,
    /// The rarely used RSS 2.0 namespace (`http://backend.userland.com/rss2`).
    Rss2,
    /// Atom 1.0.
    Atom,
    /// Atom 0.3.
    Atom03,
    /// RDF syntax.
    Rdf,
    /// `content:` (RSS 1.0 content module).
    Content,
    /// Dublin Core elements.
    Dc,
    /// Dublin Core terms.
    DcTerms,
    /// Media RSS.
    Media,
    /// iTunes podcasts.
    Itunes,
    /// `slash:`.
    Slash,
    /// `wfw:` (Well-Formed Web comment API).
    Wfw,
    /// `sy:` (RSS 1.0 syndication module).
    Sy,
    /// GeoRSS Simple (`georss:point`).
    Georss,
    /// W3C Basic Geo (`geo:lat`, `geo:long`).
    Geo,
    /// GML (`gml:Point`, `gml:LineString`, ... inside `georss:where`).
    Gml,
    /// `admin:` (RSS 1.0 admin module: `generatorAgent`).
    Admin,
    /// Creative Commons licenses: `cc:license` (RDF, `http://web.resource.org/cc/`) and
    /// `creativeCommons:license` (the RSS 2.0 module, `http://backend.userland.com/creativeCommonsRssModule`).
    License,
    /// XHTML.
    Xhtml,
    /// The `xml:` namespace.
    Xml,
    /// Anything else.
    Other,
}

impl Ns {
    /// Whether elements in this namespace are core feed vocabulary (RSS, RDF-RSS or Atom).
    pub(super) fn is_core(self) -> bool {
        matches!(
            self,
            Ns::None | Ns::Rss090 | Ns::Rss10 | Ns::Rss2 | Ns::Atom | Ns::Atom03
        )
    }

    /// Classifies a namespace URI; case, scheme and trailing `/` or `#` do not matter.
    pub(super) fn from_uri(uri: &str) -> Ns {
        let uri = uri.trim();
        let uri = uri
            .strip_prefix("http://")
            .or_else(|| uri.strip_prefix("https://"))
            .unwrap_or(uri)
            .trim_end_matches(['/', '#']);
        const KNOWN: &[(&str, Ns)] = &[
            ("www.w3.org/2005/atom", Ns::Atom),
            ("purl.org/atom/ns", Ns::Atom03),
            ("purl.org/rss/1.0", Ns::Rss10),
            ("my.netscape.com/rdf/simple/0.9", Ns::Rss090),
            ("backend.userland.com/rss2", Ns::Rss2),
            ("backend.userland.com/rss", Ns::Rss2),
            ("www.w3.org/1999/02/22-rdf-syntax-ns", Ns::Rdf),
            ("purl.org/rss/1.0/modules/content", Ns::Content),
            ("purl.org/dc/elements/1.1", Ns::Dc),
            ("purl.org/dc/elements/1.0", Ns::Dc),
            ("purl.org/dc/terms", Ns::DcTerms),
            ("search.yahoo.com/mrss", Ns::Media),
            ("video.search.yahoo.com/mrss", Ns::Media),
            ("tools.search.yahoo.com/mrss", Ns::Media),
            ("www.itunes.com/dtds/podcast-1.0.dtd", Ns::Itunes),
            ("purl.org/rss/1.0/modules/slash", Ns::Slash),
            ("wellformedweb.org/commentapi", Ns::Wfw),
            ("purl.org/rss/1.0/modules/syndication", Ns::Sy),
            ("www.georss.org/georss", Ns::Georss),
            ("www.w3.org/2003/01/geo/wgs84_pos", Ns::Geo),
            ("www.opengis.net/gml", Ns::Gml),
            ("webns.net/mvcb", Ns::Admin),
            ("web.resource.org/cc", Ns::License),
            ("creativecommons.org/ns", Ns::License),
            ("backend.userland.com/creativecommonsrssmodule", Ns::License),
            ("www.w3.org/1999/xhtml", Ns::Xhtml),
            ("www.w3.org/xml/1998/namespace", Ns::Xml),
        ];
        KNOWN
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(uri))
            .map_or(Ns::Other, |&(_, ns)| ns)
    }

    /// Guesses a namespace from a conventional prefix, for undeclared or unrecognised bindings.
    pub(super) fn from_prefix(prefix: &str) -> Ns {
        const KNOWN: &[(&str, Ns)] = &[
            ("atom", Ns::Atom),
            ("atom03", Ns::Atom03),
            ("rdf", Ns::Rdf),
            ("rss", Ns::Rss10),
            ("content", Ns::Content),
            ("dc", Ns::Dc),
            ("dcterms", Ns::DcTerms),
            ("media", Ns::Media),
            ("itunes", Ns::Itunes),
            ("slash", Ns::Slash),
            ("wfw", Ns::Wfw),
            ("sy", Ns::Sy),
            ("georss", Ns::Georss),
            ("geo", Ns::Geo),
            ("gml", Ns::Gml),
            ("admin", Ns::Admin),
            ("cc", Ns::License),
            ("creativecommons", Ns::License),
            ("xhtml", Ns::Xhtml),
            ("html", Ns::Xhtml),
            ("xml", Ns::Xml),
        ];
        KNOWN
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(prefix))
            .map_or(Ns::Other, |&(_, ns)| ns)
    }
}

/// An element as opened in the event stream. Names and attributes borrow from the document.
#[derive(Clone, Copy, Debug)]
pub(super) struct Elem<'a> {
    /// The element's namespace.
    pub(super) ns: Ns,
    /// The name as written, with prefix.
    pub(super) qname: &'a str,
    /// The local name as written.
    pub(super) local: &'a str,
    /// Raw attribute text (after the name).
    attrs: &'a str,
}

impl<'a> Elem<'a> {
    /// The local name in ASCII lower case (borrowed unless it had upper-case letters).
    pub(super) fn key(&self) -> Cow<'a, str> {
        if self.local.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(self.local.to_ascii_lowercase())
        } else {
            Cow::Borrowed(self.local)
        }
    }

    /// The unescaped value of the first attribute whose local name matches `name` (ASCII case-insensitive).
    pub(super) fn attr(&self, name: &str) -> Option<Cow<'a, str>> {
        self.attrs().find_map(|(key, value)| {
            if key.starts_with("xmlns") {
                return None;
            }
            let local = key.rsplit_once(':').map_or(key, |(_, local)| local);
            local.eq_ignore_ascii_case(name).then(|| unescape(value))
        })
    }

    /// Attribute `name` ([`Elem::attr`]) trimmed, as owned text; `None` when absent or blank.
    pub(super) fn attr_text(&self, name: &str) -> Option<String> {
        self.attr(name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }

    /// The raw attributes: `(name, raw value)`.
    pub(super) fn attrs(&self) -> Attrs<'a> {
        Attrs { rest: self.attrs }
    }
}

/// A liberal attribute scanner: unquoted values and attributes without a value are accepted.
pub(super) struct Attrs<'a> {
    rest: &'a str,
}

impl<'a> Iterator for Attrs<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        self.next_attr().map(|(name, value, _)| (name, value))
    }
}

impl<'a> Attrs<'a> {
    /// The next attribute, and whether it was well-formed (`name="value"` or `name='value'`).
    fn next_attr(&mut self) -> Option<(&'a str, &'a str, bool)> {
        let s = self
            .rest
            .trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if s.is_empty() {
            self.rest = s;
            return None;
        }
        // The delimiters are ASCII, so a name that starts with one (`=x`) is that one byte.
        let name_end = s
            .bytes()
            .position(|b| b.is_ascii_whitespace() || b == b'=' || b == b'/')
            .unwrap_or(s.len())
            .max(1);
        let name = &s[..name_end];
        let after = s[name_end..].trim_start_matches(|c: char| c.is_ascii_whitespace());
        let Some(after_eq) = after.strip_prefix('=') else {
            self.rest = after;
            return Some((name, "", false));
        };
        let v = after_eq.trim_start_matches(|c: char| c.is_ascii_whitespace());
        let (value, rest, quoted) = match v.as_bytes().first() {
            Some(&q @ (b'"' | b'\'')) => match v[1..].find(q as char) {
                Some(end) => (&v[1..1 + end], &v[2 + end..], true),
                None => (&v[1..], "", false),
            },
            _ => {
                let end = v.find(|c: char| c.is_ascii_whitespace()).unwrap_or(v.len());
                (&v[..end], &v[end..], false)
            }
        };
        self.rest = rest;
        Some((name, value, quoted))
    }
}

/// One event of the balanced stream.
#[derive(Debug)]
pub(super) enum Ev<'a> {
    /// An element starts; a self-closing element is followed at once by its `Close`.
    Open(Elem<'a>),
    /// Character data, entities resolved, CDATA unwrapped, line ends normalized.
    Text(Cow<'a, str>),
    /// The innermost open element ends; carries its qualified name.
    Close(&'a str),
    /// The document ended and every element has been closed.
    Eof,
}

/// The kinds of token [`XmlReader::token`] handles.
#[derive(Clone, Copy)]
enum Tok {
    Start,
    End,
    Text,
    /// A reference ending in `;`.
    Ref,
}

/// What quick-xml produced, cut out of the source.
enum Raw<'a> {
    Start {
        raw: &'a str,
        empty: bool,
    },
    End(&'a str),
    Text(Cow<'a, str>),
    /// Text known to hold no carriage return and no character XML does not allow.
    CleanText(&'a str),
    Eof,
}

struct Frame<'a> {
    qname: &'a str,
    ns: Ns,
    /// A text-only feed element (see [`is_leaf`]) in a feed namespace: implied end tags close it.
    feed_leaf: bool,
    /// An `item` or `entry` in a feed namespace.
    feed_entry: bool,
    ns_len: usize,
    base_pushed: bool,
    lang_pushed: bool,
}

/// The liberal reader. See the module docs.
pub(super) struct XmlReader<'a> {
    src: &'a str,
    inner: quick_xml::Reader<&'a [u8]>,
    /// Whether `inner` has to be recreated at `offset` before use (the fast path moved past it).
    inner_stale: bool,
    /// Whether [`XmlReader::fast_token`] is used (the differential tests turn it off).
    fast_tokens: bool,
    /// Where `inner` starts in `src`.
    offset: usize,
    stack: Vec<Frame<'a>>,
    ns: Vec<(&'a str, Ns)>,
    doc_base: Rc<Url>,
    bases: Vec<Rc<Url>>,
    langs: Vec<&'a str>,
    max_depth: usize,
    /// Closes still owed for a mismatched end tag, an auto-closed element or a self-closing tag.
    pending_closes: usize,
    /// A start tag to handle once `pending_closes` are delivered (it implied them).
    deferred: Option<(&'a str, bool)>,
    truncated: bool,
    html_doctype: bool,
    entities: Vec<(&'a str, String)>,
    /// Bytes of internal entity replacement text delivered so far.
    expanded: usize,
    expansion_warned: bool,
    control_warned: bool,
    undeclared_prefixes: Vec<&'a str>,
    /// Bytes quick-xml scanned in vain before errors; bounds the cost of recovery.
    rescanned: usize,
    depth_warned: bool,
    warnings: Vec<String>,
    suppressed: usize,
    line_pos: usize,
    line: usize,
}

impl<'a> XmlReader<'a> {
    /// A reader over `src`, whose relative URLs resolve against `base`.
    pub(super) fn new(src: &'a str, base: Url, max_depth: usize) -> Self {
        XmlReader {
            src,
            inner: new_inner(src),
            inner_stale: false,
            fast_tokens: true,
            offset: 0,
            stack: Vec::new(),
            ns: Vec::new(),
            doc_base: Rc::new(base),
            bases: Vec::new(),
            langs: Vec::new(),
            max_depth: max_depth.max(1),
            pending_closes: 0,
            deferred: None,
            truncated: false,
            html_doctype: false,
            entities: Vec::new(),
            expanded: 0,
            expansion_warned: false,
            control_warned: false,
            undeclared_prefixes: Vec::new(),
            rescanned: 0,
            depth_warned: false,
            warnings: Vec::new(),
            suppressed: 0,
            line_pos: 0,
            line: 1,
        }
    }

    /// Number of open elements.
    pub(super) fn depth(&self) -> usize {
        self.stack.len()
    }

    /// The base URL in force (`xml:base` of the innermost open element that has one, else the document URL).
    pub(super) fn base(&self) -> &Url {
        self.bases.last().unwrap_or(&self.doc_base)
    }

    /// The base URL in force, shared (cheap to keep while the element is read).
    pub(super) fn shared_base(&self) -> Rc<Url> {
        Rc::clone(self.bases.last().unwrap_or(&self.doc_base))
    }

    /// The URL the document came from (the base when no `xml:base` is in force).
    pub(super) fn doc_base(&self) -> &Rc<Url> {
        &self.doc_base
    }

    /// Makes `href`, resolved against the base in force, the base of the element open on top (CDF's `BASE`
    /// attribute, say), as an `xml:base` on it would. Does nothing when no element is open or the element
    /// states an `xml:base` already.
    pub(super) fn set_base(&mut self, href: &str) {
        if self.stack.last().is_some_and(|frame| !frame.base_pushed) {
            let pushed = self.push_base(href);
            if let Some(frame) = self.stack.last_mut() {
                frame.base_pushed = pushed;
            }
        }
    }

    /// Pushes `href`, resolved against the base in force, as the new base; whether it was pushed. A base
    /// that does not parse is ignored with a warning; one that is not a web address (`javascript:`, `data:`,
    /// anything but `http`, `https`, `ftp` or the document's own scheme) is ignored silently, as the
    /// sanitizer drops such URLs: relative URLs then resolve against the base in force around it.
    fn push_base(&mut self, href: &str) -> bool {
        match self.base().join(href.trim()) {
            Ok(url) => {
                let scheme = url.scheme();
                let web =
                    matches!(scheme, "http" | "https" | "ftp") || scheme == self.doc_base.scheme();
                if web {
                    self.bases.push(Rc::new(url));
                }
                web
            }
            Err(err) => {
                self.warn(|| format!("xml:base {href:?} ignored: {err}"));
                false
            }
        }
    }

    /// The `xml:lang` in force, if any.
    pub(super) fn lang(&self) -> Option<&'a str> {
        self.langs.last().copied().filter(|lang| !lang.is_empty())
    }

    /// The `xml:lang` in force as stated: `Some("")` when it was explicitly cleared with `xml:lang=""`.
    pub(super) fn lang_stated(&self) -> Option<&'a str> {
        self.langs.last().copied()
    }

    /// The length of the document in bytes.
    pub(super) fn source_len(&self) -> usize {
        self.src.len()
    }

    /// Whether the document ended with elements still open.
    pub(super) fn truncated(&self) -> bool {
        self.truncated
    }

    /// Whether a `<!DOCTYPE html>` was seen.
    pub(super) fn html_doctype(&self) -> bool {
        self.html_doctype
    }

    /// The byte position the reader has reached.
    pub(super) fn position(&self) -> usize {
        // quick-xml counts a U+FEFF at the start of a restarted reader as one byte (it drops it as a BOM), which
        // can leave the position inside the character; round up to the next character boundary.
        if self.inner_stale {
            return self.offset;
        }
        let mut pos = (self.offset + self.inner.buffer_position() as usize).min(self.src.len());
        while !self.src.is_char_boundary(pos) {
            pos += 1;
        }
        pos
    }

    /// Records a warning about the document at byte `pos`.
    pub(super) fn warn_at(&mut self, pos: usize, msg: impl FnOnce() -> String) {
        if self.warnings.len() >= MAX_WARNINGS {
            self.suppressed += 1;
            return;
        }
        let line = self.line_of(pos);
        self.warnings.push(format!("line {line}: {}", msg()));
    }

    /// Records a warning about the document at the current position.
    pub(super) fn warn(&mut self, msg: impl FnOnce() -> String) {
        self.warn_at(self.position(), msg);
    }

    /// The warnings collected so far.
    pub(super) fn into_warnings(mut self) -> Vec<String> {
        if self.suppressed > 0 {
            self.warnings
                .push(format!("{} more warnings not shown", self.suppressed));
        }
        self.warnings
    }

    fn line_of(&mut self, pos: usize) -> usize {
        let pos = pos.min(self.src.len());
        if pos < self.line_pos {
            self.line_pos = 0;
            self.line = 1;
        }
        self.line += self.src.as_bytes()[self.line_pos..pos]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.line_pos = pos;
        self.line
    }

    /// The next balanced event.
    pub(super) fn next(&mut self) -> Ev<'a> {
        if self.pending_closes > 0 {
            self.pending_closes -= 1;
            return self.pop_close();
        }
        if let Some((raw, empty)) = self.deferred.take()
            && let Some(ev) = self.open(raw, empty)
        {
            return ev;
        }
        loop {
            match self.pull() {
                Raw::Text(text) => return Ev::Text(self.drop_control_chars(text)),
                Raw::CleanText(text) => return Ev::Text(Cow::Borrowed(text)),
                Raw::Start { raw, empty } => {
                    if let Some(ev) = self.open(raw, empty) {
                        return ev;
                    }
                }
                Raw::End(name) => {
                    if let Some(ev) = self.close(name) {
                        return ev;
                    }
                }
                Raw::Eof => {
                    if self.stack.is_empty() {
                        return Ev::Eof;
                    }
                    if !self.truncated {
                        self.truncated = true;
                        let pos = self.src.len();
                        let open = self.stack.last().map_or("", |f| f.qname);
                        self.warn_at(pos, || {
                            format!(
                                "document ends inside <{open}>: truncated, open elements closed"
                            )
                        });
                    }
                    return self.pop_close();
                }
            }
        }
    }

    /// The next child element of the element open at `parent_depth`, skipping text and anything nested
    /// deeper that the caller did not consume. `None` once that element has closed.
    pub(super) fn next_child(&mut self, parent_depth: usize) -> Option<Elem<'a>> {
        if self.depth() < parent_depth {
            return None;
        }
        loop {
            match self.next() {
                Ev::Open(elem) if self.depth() == parent_depth + 1 => return Some(elem),
                Ev::Close(_) if self.depth() < parent_depth => return None,
                Ev::Eof => return None,
                _ => {}
            }
        }
    }

    /// All text inside the element just opened (descendants included), consuming it. Borrowed from the
    /// document when it is one piece of text (a CDATA section, text without references).
    pub(super) fn text(&mut self) -> Cow<'a, str> {
        let depth = self.depth();
        let mut out = Cow::Borrowed("");
        loop {
            match self.next() {
                Ev::Text(text) => {
                    if out.is_empty() {
                        out = text;
                    } else {
                        out.to_mut().push_str(&text);
                    }
                }
                Ev::Close(_) if self.depth() < depth => break,
                Ev::Eof => break,
                _ => {}
            }
        }
        out
    }

    /// Consumes the element just opened.
    pub(super) fn skip(&mut self) {
        let depth = self.depth();
        loop {
            match self.next() {
                Ev::Close(_) if self.depth() < depth => break,
                Ev::Eof => break,
                _ => {}
            }
        }
    }

    /// Serializes the content of the element just opened as HTML, consuming it.
    ///
    /// Text is copied as HTML source when `raw_text` (escaped HTML in RSS) and escaped otherwise (XHTML).
    /// Child elements are written with their local names; `href`, `src` and `poster` are resolved against
    /// the `xml:base` in force. With `unwrap_div`, content that is a single `<div>` yields the div's
    /// children (Atom's XHTML wrapper). Borrowed from the document when the content is one piece of HTML
    /// source (a CDATA section, say).
    pub(super) fn html(&mut self, raw_text: bool, unwrap_div: bool) -> Cow<'a, str> {
        let depth = self.depth();
        let mut out = String::new();
        // Raw text not copied into `out` yet; `out` is empty while it is held.
        let mut held: Option<Cow<'a, str>> = None;
        let mut top_elems = 0usize;
        let mut top_text = false;
        let mut div_inner: (Option<usize>, Option<usize>) = (None, None);
        loop {
            let ev = self.next();
            if matches!(ev, Ev::Close(_)) && self.depth() < depth {
                break;
            }
            match ev {
                Ev::Text(text) => {
                    if self.depth() == depth && !text.trim().is_empty() {
                        top_text = true;
                    }
                    if raw_text && out.is_empty() && held.is_none() {
                        held = Some(text);
                        continue;
                    }
                    if out.capacity() == 0 {
                        // Skip the smallest steps of growth.
                        out.reserve(256);
                    }
                    if let Some(held) = held.take() {
                        out.push_str(&held);
                    }
                    if raw_text {
                        out.push_str(&text);
                    } else {
                        super::text::escape_html_into(&text, &mut out);
                    }
                }
                Ev::Open(elem) => {
                    if out.capacity() == 0 {
                        out.reserve(256);
                    }
                    if let Some(held) = held.take() {
                        out.push_str(&held);
                    }
                    let top = self.depth() == depth + 1;
                    out.push('<');
                    out.push_str(elem.local);
                    for (key, value) in elem.attrs() {
                        if key.contains(':') || key.eq_ignore_ascii_case("xmlns") {
                            continue;
                        }
                        let value = unescape(value);
                        out.push(' ');
                        out.push_str(key);
                        out.push_str("=\"");
                        // Empty URLs in HTML name nothing and stay empty (as in `resolve_html_urls`).
                        let is_url = ["href", "src", "poster"]
                            .iter()
                            .any(|k| key.eq_ignore_ascii_case(k))
                            && !value.trim().is_empty();
                        match is_url
                            .then(|| super::text::resolve_url(self.base(), &value))
                            .flatten()
                        {
                            Some(url) => super::text::escape_attr_into(&url, &mut out),
                            None => super::text::escape_attr_into(&value, &mut out),
                        }
                        out.push('"');
                    }
                    out.push('>');
                    if top {
                        top_elems += 1;
                        if top_elems == 1 && elem.local.eq_ignore_ascii_case("div") {
                            div_inner.0 = Some(out.len());
                        }
                    }
                }
                Ev::Close(qname) => {
                    if let Some(held) = held.take() {
                        out.push_str(&held);
                    }
                    let local = qname.rsplit_once(':').map_or(qname, |(_, local)| local);
                    if self.depth() == depth
                        && top_elems == 1
                        && div_inner.0.is_some()
                        && div_inner.1.is_none()
                    {
                        div_inner.1 = Some(out.len());
                    }
                    if !is_void(local) {
                        out.push_str("</");
                        out.push_str(local);
                        out.push('>');
                    }
                }
                Ev::Eof => break,
            }
        }
        // Held text is all there was: no element, so nothing to unwrap either.
        if let Some(held) = held {
            return held;
        }
        if let (true, 1, false, (Some(start), Some(end))) =
            (unwrap_div, top_elems, top_text, div_inner)
        {
            out.truncate(end);
            out.drain(..start);
        }
        Cow::Owned(out)
    }

    fn pop_close(&mut self) -> Ev<'a> {
        match self.stack.pop() {
            Some(frame) => {
                self.ns.truncate(frame.ns_len);
                if frame.base_pushed {
                    self.bases.pop();
                }
                if frame.lang_pushed {
                    self.langs.pop();
                }
                Ev::Close(frame.qname)
            }
            None => Ev::Eof,
        }
    }

    /// Handles a start tag; `None` when it is dropped.
    fn open(&mut self, raw: &'a str, empty: bool) -> Option<Ev<'a>> {
        let name_end = raw
            .bytes()
            .position(|b| b.is_ascii_whitespace() || b == b'/')
            .unwrap_or(raw.len());
        let qname = &raw[..name_end];
        let attrs = &raw[name_end..];
        let (prefix, local) = match qname.split_once(':') {
            Some((prefix, local)) if !local.is_empty() && !prefix.is_empty() => {
                (Some(prefix), local)
            }
            _ => (None, qname),
        };
        if self.stack.len() >= self.max_depth {
            if !self.depth_warned {
                self.depth_warned = true;
                let max = self.max_depth;
                self.warn(|| format!("elements nested deeper than {max} levels ignored"));
            }
            return None;
        }
        let ns = self.lookup(prefix);
        // Implied end tags: a new item/entry or text-only element closes an unclosed one first.
        let implied = self.implied_closes(ns, local);
        if implied > 0 {
            let open = self.stack.last().map_or("", |f| f.qname);
            self.warn(|| format!("<{open}> not closed before <{qname}>; closed there"));
            self.deferred = Some((raw, empty));
            self.pending_closes = implied - 1;
            return Some(self.pop_close());
        }
        let mut frame = Frame {
            qname,
            ns,
            feed_leaf: false,
            feed_entry: false,
            ns_len: self.ns.len(),
            base_pushed: false,
            lang_pushed: false,
        };
        let mut attr_iter = Attrs { rest: attrs };
        let mut malformed_attr: Option<(&str, &str)> = None;
        while let Some((key, value, quoted)) = attr_iter.next_attr() {
            if !quoted && malformed_attr.is_none() {
                malformed_attr = Some((key, value));
            }
            if key == "xmlns" || key.starts_with("xmlns:") {
                let bound = key.strip_prefix("xmlns:").unwrap_or("");
                let mut bound_ns = Ns::from_uri(&unescape(value));
                if bound_ns == Ns::Other && !bound.is_empty() {
                    bound_ns = Ns::from_prefix(bound);
                }
                // An unknown default namespace on a feed's root (`<rss xmlns="...rss2.1">`, `<feed
                // xmlns="http://example.com/newformat#">`) is a private name for the feed's own vocabulary.
                if bound_ns == Ns::Other
                    && bound.is_empty()
                    && prefix.is_none()
                    && self.stack.is_empty()
                    && is_feed_root(local)
                {
                    bound_ns = Ns::None;
                }
                if self.ns.len() < MAX_NS_BINDINGS {
                    self.ns.push((bound, bound_ns));
                }
            } else if key.eq_ignore_ascii_case("xml:base") {
                if !frame.base_pushed {
                    frame.base_pushed = self.push_base(&unescape(value));
                }
            } else if key.eq_ignore_ascii_case("xml:lang") {
                self.langs.push(value.trim());
                frame.lang_pushed = true;
            }
        }
        if let Some((key, value)) = malformed_attr {
            self.warn(|| {
                if value.is_empty() {
                    format!("attribute {key} of <{qname}> has no quoted value; taken as empty")
                } else {
                    format!("unquoted attribute value {key}={value} on <{qname}> accepted")
                }
            });
        }
        // Declarations on the element itself apply to its own name.
        frame.ns = self.resolve(prefix);
        if is_feedish(frame.ns) {
            let local = local_of(qname);
            frame.feed_leaf = is_leaf(local);
            frame.feed_entry =
                local.eq_ignore_ascii_case("item") || local.eq_ignore_ascii_case("entry");
        }
        let elem = Elem {
            ns: frame.ns,
            qname,
            local,
            attrs,
        };
        let is_empty = empty
            || (matches!(elem.ns, Ns::None | Ns::Xhtml) && is_void(local))
            || (local.eq_ignore_ascii_case("link") && elem.attr("href").is_some());
        self.stack.push(frame);
        if is_empty {
            self.pending_closes += 1;
        }
        Some(Ev::Open(elem))
    }

    /// How many open elements a start tag named `local` implicitly closes: a text-only feed element
    /// (`title`, `link`, ...) or a structural one (`item`, `image`, ...) closes unclosed text-only elements
    /// on top of the stack, and a new `item`/`entry` also closes an unclosed item or entry, and everything
    /// inside an unclosed text-only element it finds itself in.
    fn implied_closes(&self, ns: Ns, local: &str) -> usize {
        if !is_feedish(ns) {
            return 0;
        }
        let is_entry = local.eq_ignore_ascii_case("item") || local.eq_ignore_ascii_case("entry");
        if !is_entry && !is_leaf(local) && !is_structural(local) {
            return 0;
        }
        let mut n = self.stack.iter().rev().take_while(|f| f.feed_leaf).count();
        if is_entry {
            let window = self.stack.len().saturating_sub(MAX_END_TAG_SEARCH);
            let outermost = self.stack[window..]
                .iter()
                .position(|f| f.feed_leaf || f.feed_entry);
            if let Some(idx) = outermost {
                n = n.max(self.stack.len() - window - idx);
            }
        }
        n
    }

    /// The namespace bound to `prefix`, guessed from the prefix when undeclared.
    fn lookup(&self, prefix: Option<&str>) -> Ns {
        let bound = prefix.unwrap_or("");
        match self.ns.iter().rev().find(|(p, _)| same_prefix(p, bound)) {
            Some(&(_, ns)) => ns,
            None => prefix.map_or(Ns::None, Ns::from_prefix),
        }
    }

    /// Resolves an element's namespace from its prefix, warning once per undeclared prefix.
    fn resolve(&mut self, prefix: Option<&'a str>) -> Ns {
        let bound = prefix.unwrap_or("");
        if let Some(&(_, ns)) = self.ns.iter().rev().find(|(p, _)| same_prefix(p, bound)) {
            return ns;
        }
        match prefix {
            None => Ns::None,
            Some(prefix) => {
                if !self.undeclared_prefixes.contains(&prefix)
                    && self.undeclared_prefixes.len() < 16
                {
                    self.undeclared_prefixes.push(prefix);
                    self.warn(|| {
                        format!("namespace prefix {prefix}: is not declared; matched by its name")
                    });
                }
                Ns::from_prefix(prefix)
            }
        }
    }

    /// Handles an end tag; `None` when it is dropped.
    fn close(&mut self, name: &'a str) -> Option<Ev<'a>> {
        let found = if self.stack.last().is_some_and(|f| f.qname == name) {
            Some(0)
        } else {
            self.stack
                .iter()
                .rev()
                .take(MAX_END_TAG_SEARCH)
                .position(|f| f.qname.eq_ignore_ascii_case(name))
        };
        match found {
            Some(0) => Some(self.pop_close()),
            Some(from_top) => {
                let open = self.stack.last().map_or("", |f| f.qname);
                if !is_void(local_of(open)) {
                    self.warn(|| format!("<{open}> not closed before </{name}>; closed there"));
                }
                self.pending_closes = from_top;
                Some(self.pop_close())
            }
            None => {
                let local = local_of(name);
                if !is_void(local) && !local.eq_ignore_ascii_case("link") {
                    self.warn(|| format!("stray </{name}> ignored"));
                }
                None
            }
        }
    }

    /// Restarts quick-xml at byte `pos` of the source (after a recovery).
    /// Creating the reader is deferred to its next use: the fast path restarts after every token it reads.
    /// When the tag text `raw` (which starts at `raw_at`, inside the tag that starts at `pos`) holds a `<`
    /// outside quotes, that `<` starts the real tag: everything before it is text, returned as such, and the
    /// reader restarts at it.
    fn stray_lt(&mut self, src: &'a str, pos: usize, raw_at: usize, raw: &str) -> Option<Raw<'a>> {
        let lt = last_unquoted_lt(raw)?;
        self.warn_at(pos, || {
            "'<' that does not start a tag taken as text".to_string()
        });
        let text_end = raw_at + lt;
        self.restart(text_end);
        Some(Raw::Text(self.decode_text(&src[pos..text_end])))
    }

    fn restart(&mut self, pos: usize) {
        self.offset = pos;
        self.inner_stale = true;
    }

    /// Reads the token at `pos` without quick-xml when it is text, a reference, a start tag or an end tag whose
    /// `>` is found; `None` for anything else (comments, declarations, unclosed tags), which quick-xml reads.
    ///
    /// The boundaries are quick-xml's: text runs to the next `<` or `&`; after `&` a reference runs to `;`
    /// unless `&` or `<` comes first (then it is text, as quick-xml reads a dangling `&`); a tag runs to the
    /// first `>` outside quotes. quick-xml would only add a UTF-8 check, which a `str` source always passes.
    fn fast_token(&mut self, pos: usize) -> Option<Raw<'a>> {
        let bytes = self.src.as_bytes();
        match *bytes.get(pos)? {
            b'<' => {
                let kind = match *bytes.get(pos + 1)? {
                    b'!' | b'?' => return None,
                    b'/' => Tok::End,
                    _ => Tok::Start,
                };
                let end = tag_end(bytes, pos + 1)?;
                self.restart(end);
                Some(self.token(kind, pos, end))
            }
            b'&' => {
                let after = pos + 1;
                let (kind, end) = match bytes
                    .get(after..)?
                    .iter()
                    .position(|&b| matches!(b, b';' | b'&' | b'<'))
                {
                    Some(i) if bytes[after + i] == b';' => (Tok::Ref, after + i + 1),
                    Some(i) => (Tok::Text, after + i),
                    None => (Tok::Text, bytes.len()),
                };
                self.restart(end);
                Some(self.token(kind, pos, end))
            }
            _ => {
                let end = find_text_end(bytes, pos);
                self.restart(end);
                Some(self.token(Tok::Text, pos, end))
            }
        }
    }

    /// A start tag, end tag, text or reference token found at `pos..end` (by quick-xml or the fast path), with
    /// lexical recoveries applied. The reader has been moved past it.
    fn token(&mut self, kind: Tok, pos: usize, end: usize) -> Raw<'a> {
        let src = self.src;
        let bytes = src.as_bytes();
        match kind {
            Tok::Start => {
                // quick-xml may have skipped characters (a stray U+FEFF) before the tag: start at its `<`.
                let pos = if bytes[pos] == b'<' {
                    pos
                } else {
                    pos + src[pos..end].find('<').unwrap_or(0)
                };
                let empty = src[..end].ends_with("/>");
                let raw = &src[pos + 1..end - if empty { 2 } else { 1 }];
                // `<a<b>`: everything before the last `<` is text.
                if let Some(text) = self.stray_lt(src, pos, pos + 1, raw) {
                    return text;
                }
                Raw::Start { raw, empty }
            }
            Tok::End => {
                let raw = &src[pos + 2..end - 1];
                if let Some(text) = self.stray_lt(src, pos, pos + 2, raw) {
                    return text;
                }
                let name_end = raw
                    .find(|c: char| c.is_ascii_whitespace())
                    .unwrap_or(raw.len());
                Raw::End(&raw[..name_end])
            }
            Tok::Text => {
                let text = &src[pos..end];
                if let Some(after) = text.strip_prefix('&') {
                    if let Some((name, replacement)) = entities::lookup_legacy(after) {
                        self.warn_at(pos, || {
                            format!(
                                "entity &{name} without ';' taken as {}",
                                code_points(replacement)
                            )
                        });
                        let rest = normalize_eol(&after[name.len()..]);
                        return Raw::Text(Cow::Owned(format!("{replacement}{rest}")));
                    }
                    self.warn_at(pos, || "bare '&' taken literally".to_string());
                }
                Raw::Text(normalize_eol(text))
            }
            Tok::Ref => Raw::Text(self.reference(&src[pos..end], pos)),
        }
    }

    /// The next raw token, with lexical recoveries applied.
    fn pull(&mut self) -> Raw<'a> {
        loop {
            let pos = self.position();
            let bytes = self.src.as_bytes();
            if pos >= bytes.len() {
                return Raw::Eof;
            }
            if bytes[pos] == b'<' && !can_start_markup(&bytes[pos + 1..]) {
                self.warn_at(pos, || {
                    "'<' that does not start a tag taken as text".to_string()
                });
                self.restart(pos + 1);
                return Raw::Text(Cow::Borrowed("<"));
            }
            // CDATA sections hold most of a feed's bytes (entry HTML): cut them out directly rather than through
            // quick-xml, which would validate their UTF-8 again (the source is a `str` already).
            if bytes[pos..].starts_with(b"<![CDATA[")
                && let Some((end, dirty)) = scan_cdata(bytes, pos + 9)
            {
                self.restart(end);
                let text = &self.src[pos + 9..end - 3];
                if !dirty {
                    return Raw::CleanText(text);
                }
                return Raw::Text(normalize_eol(text));
            }
            // A fresh quick-xml reader (after a restart) would drop a leading U+FEFF as a byte-order mark and
            // miscount its position: the character is text, delivered here.
            if (self.inner_stale || self.inner.buffer_position() == 0)
                && self.src[pos..].starts_with('\u{feff}')
            {
                self.restart(pos + 3);
                return Raw::Text(Cow::Borrowed("\u{feff}"));
            }
            if self.fast_tokens
                && let Some(raw) = self.fast_token(pos)
            {
                return raw;
            }
            if self.inner_stale {
                self.inner = new_inner(&self.src[self.offset..]);
                self.inner_stale = false;
            }
            let res = self.inner.read_event();
            let end = self.position();
            let src = self.src;
            let kind = match res {
                Ok(Event::Start(_)) | Ok(Event::Empty(_)) => Some(Tok::Start),
                Ok(Event::End(_)) => Some(Tok::End),
                Ok(Event::Text(_)) => Some(Tok::Text),
                Ok(Event::GeneralRef(_)) => Some(Tok::Ref),
                Ok(Event::CData(_)) => return Raw::Text(normalize_eol(&src[pos + 9..end - 3])),
                Ok(Event::DocType(_)) => {
                    self.doctype(&src[pos..end], pos);
                    None
                }
                Ok(Event::Eof) => return Raw::Eof,
                Ok(Event::Decl(_) | Event::PI(_) | Event::Comment(_)) => None,
                Err(err) => {
                    if let Some(raw) = self.recover(pos, end, &err) {
                        return raw;
                    }
                    None
                }
            };
            if let Some(kind) = kind {
                return self.token(kind, pos, end);
            }
            if self.position() <= pos {
                // No progress (should not happen): take one character as text.
                let next = pos + self.src[pos..].chars().next().map_or(1, char::len_utf8);
                self.restart(next);
                return Raw::Text(Cow::Borrowed(&self.src[pos..next]));
            }
        }
    }

    /// Recovers from a quick-xml error for markup starting at `pos`.
    fn recover(&mut self, pos: usize, end: usize, err: &XmlError) -> Option<Raw<'a>> {
        if let XmlError::IllFormed(_) = err {
            // quick-xml consumed the offending input and can go on.
            if end > pos {
                return None;
            }
        }
        let src = self.src;
        self.rescanned += src.len() - pos;
        let rest = &src[pos..];
        if let Some(cdata) = rest.strip_prefix("<![CDATA[") {
            self.warn_at(pos, || {
                "unclosed CDATA section runs to the end of the document".to_string()
            });
            self.restart(src.len());
            return Some(Raw::Text(normalize_eol(cdata)));
        }
        let budget_left = self.rescanned <= 4 * src.len() + (1 << 20);
        match rest[1..].find('>') {
            Some(gt) if budget_left => {
                let skip_end = pos + 1 + gt + 1;
                self.warn_at(pos, || format!("malformed markup skipped ({err})"));
                self.restart(skip_end);
                None
            }
            _ => {
                self.warn_at(pos, || {
                    format!("markup cut off at the end of the document ({err})")
                });
                self.restart(src.len());
                Some(Raw::Eof)
            }
        }
    }

    /// Resolves a general reference `&name;`.
    fn reference(&mut self, written: &'a str, pos: usize) -> Cow<'a, str> {
        let name = &written[1..written.len() - 1];
        if let Some(text) = predefined(name) {
            return Cow::Borrowed(text);
        }
        if let Some(num) = name.strip_prefix('#') {
            return match char_ref(num) {
                Some((ch, exact)) => {
                    if !exact {
                        self.warn_at(pos, || {
                            format!("character reference {written} taken as U+{:04X}", ch as u32)
                        });
                    }
                    entities::static_char(ch)
                        .map_or_else(|| Cow::Owned(ch.to_string()), Cow::Borrowed)
                }
                None => {
                    self.warn_at(pos, || {
                        format!("malformed character reference {written} kept as text")
                    });
                    Cow::Borrowed(written)
                }
            };
        }
        if let Some(idx) = self.entities.iter().position(|(n, _)| *n == name) {
            let len = self.entities[idx].1.len();
            if self.expanded + len > MAX_ENTITY_EXPANSION {
                if !self.expansion_warned {
                    self.expansion_warned = true;
                    self.warn_at(pos, || {
                        format!(
                            "internal entities expand to more than {} KiB; {written} and later references kept as written",
                            MAX_ENTITY_EXPANSION / 1024
                        )
                    });
                }
                return Cow::Borrowed(written);
            }
            self.expanded += len;
            return Cow::Owned(self.entities[idx].1.clone());
        }
        if let Some(text) = entities::lookup(name) {
            self.warn_at(pos, || {
                format!("undefined entity {written} taken as {}", code_points(text))
            });
            return Cow::Borrowed(text);
        }
        if is_name(name) {
            self.warn_at(pos, || format!("unknown entity {written} kept as text"));
        } else {
            self.warn_at(pos, || "bare '&' taken literally".to_string());
        }
        Cow::Borrowed(written)
    }

    /// Text cut out of broken markup: references resolved, no warnings.
    fn decode_text(&self, text: &'a str) -> Cow<'a, str> {
        match normalize_eol(text) {
            Cow::Borrowed(text) => unescape(text),
            Cow::Owned(text) => Cow::Owned(unescape(&text).into_owned()),
        }
    }

    /// `text` without the characters XML does not allow (NUL and the other C0 controls but tab, line feed
    /// and carriage return; U+FFFE, U+FFFF), with a warning the first time.
    fn drop_control_chars(&mut self, text: Cow<'a, str>) -> Cow<'a, str> {
        if !has_suspect_byte(text.as_bytes()) || !text.chars().any(is_forbidden_char) {
            return text;
        }
        if !self.control_warned {
            self.control_warned = true;
            self.warn(|| "control characters not allowed in XML dropped from text".to_string());
        }
        Cow::Owned(text.chars().filter(|&c| !is_forbidden_char(c)).collect())
    }

    /// Reads internal entity declarations from a DOCTYPE; notes an HTML doctype.
    ///
    /// Values may refer to other internal entities (declared anywhere in the DOCTYPE), to the predefined
    /// and HTML entities and to characters; they are expanded here, once, and a value that refers to
    /// anything else, refers to itself, or grows past [`MAX_ENTITY_VALUE`] is not honoured. That keeps a
    /// "billion laughs" document cheap: its deeper levels are simply undefined.
    fn doctype(&mut self, decl: &'a str, pos: usize) {
        let body = decl["<!DOCTYPE".len().min(decl.len())..].trim_start();
        if body
            .get(..4)
            .is_some_and(|head| head.eq_ignore_ascii_case("html"))
        {
            self.html_doctype = true;
        }
        let mut declared: Vec<(&'a str, &'a str)> = Vec::new();
        let mut rest = body;
        while let Some(at) = rest.find("<!ENTITY") {
            rest = &rest[at + "<!ENTITY".len()..];
            let decl_end = rest.find('>').unwrap_or(rest.len());
            let one = rest[..decl_end].trim();
            rest = &rest[decl_end..];
            if one.starts_with('%') {
                self.warn_at(pos, || "parameter entity declaration ignored".to_string());
                continue;
            }
            let name_end = one
                .find(|c: char| c.is_ascii_whitespace())
                .unwrap_or(one.len());
            let (name, def) = (&one[..name_end], one[name_end..].trim());
            let quoted = def
                .strip_prefix('"')
                .and_then(|d| d.strip_suffix('"'))
                .or_else(|| def.strip_prefix('\'').and_then(|d| d.strip_suffix('\'')));
            let Some(value) = quoted else {
                self.warn_at(pos, || format!("external entity &{name}; not loaded"));
                continue;
            };
            if value.contains('<')
                || value.len() > MAX_ENTITY_VALUE
                || declared.len() >= MAX_DOCTYPE_ENTITIES
            {
                self.warn_at(pos, || {
                    format!("entity &{name}; holds markup or is too large; not expanded")
                });
                continue;
            }
            if !declared.iter().any(|&(n, _)| n == name) {
                declared.push((name, value));
            }
        }
        let mut expansions = vec![Expansion::Todo; declared.len()];
        for idx in 0..declared.len() {
            expand_entity(idx, &declared, &mut expansions);
            let name = declared[idx].0;
            match &expansions[idx] {
                Expansion::Done(value) => self.entities.push((name, value.clone())),
                _ => self.warn_at(pos, || {
                    format!(
                        "entity &{name}; refers to an undefined or recursive entity or grows too large; not expanded"
                    )
                }),
            }
        }
    }
}

/// Where the expansion of one declared internal entity stands.
#[derive(Clone, Debug)]
enum Expansion {
    Todo,
    /// Being expanded: meeting it again is a cycle.
    Busy,
    Done(String),
    Failed,
}

/// Expands the value of `declared[idx]` into `expansions[idx]`, expanding the entities it refers to first.
/// Each entity is expanded at most once and no value grows past [`MAX_ENTITY_VALUE`], so the work is bounded
/// by `MAX_DOCTYPE_ENTITIES * MAX_ENTITY_VALUE`; the recursion is at most `MAX_DOCTYPE_ENTITIES` deep.
fn expand_entity(idx: usize, declared: &[(&str, &str)], expansions: &mut [Expansion]) {
    if !matches!(expansions[idx], Expansion::Todo) {
        return;
    }
    expansions[idx] = Expansion::Busy;
    let value = declared[idx].1;
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    let mut ok = true;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp + 1..];
        let Some(semi) = rest.find(';').filter(|&i| i <= 32) else {
            ok = false;
            break;
        };
        let name = &rest[..semi];
        rest = &rest[semi + 1..];
        if let Some(num) = name.strip_prefix('#') {
            match char_ref(num) {
                Some((c, _)) => out.push(c),
                None => ok = false,
            }
        } else if let Some(text) = predefined(name) {
            out.push_str(text);
        } else if let Some(other) = declared.iter().position(|&(n, _)| n == name) {
            expand_entity(other, declared, expansions);
            match &expansions[other] {
                Expansion::Done(text) => out.push_str(text),
                _ => ok = false,
            }
        } else if let Some(text) = entities::lookup(name) {
            out.push_str(text);
        } else {
            ok = false;
        }
        if !ok || out.len() > MAX_ENTITY_VALUE {
            ok = false;
            break;
        }
    }
    out.push_str(rest);
    expansions[idx] = if ok && out.len() <= MAX_ENTITY_VALUE {
        Expansion::Done(out)
    } else {
        Expansion::Failed
    };
}

/// Whether a byte may start a character XML does not allow: a C0 control other than tab, line feed and
/// carriage return, or 0xEF (U+FFFE and U+FFFF are encoded as EF BF BE / EF BF BF).
fn is_suspect_byte(b: u8) -> bool {
    (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0xEF
}

/// Whether `bytes` holds an [`is_suspect_byte`], eight bytes at a time: a word with no byte below 0x20 and
/// none equal to 0xEF is skipped, any other word is checked byte by byte (line ends make that common, so it
/// must stay exact, not just fast).
fn has_suspect_byte(bytes: &[u8]) -> bool {
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        if suspect_or_below_space(u64::from_le_bytes(word)) != 0
            && chunk.iter().any(|&b| is_suspect_byte(b))
        {
            return true;
        }
    }
    chunks.remainder().iter().any(|&b| is_suspect_byte(b))
}

/// Marks the bytes below 0x20 and the bytes 0xEF: a superset of [`is_suspect_byte`] a word can test.
fn suspect_or_below_space(word: u64) -> u64 {
    bytes_below(word, 0x20) | bytes_equal(word, 0xEF)
}

/// The end of a CDATA section whose content starts at `from` (the index just past `]]>`), and whether the
/// content needs [`normalize_eol`] or [`XmlReader::drop_control_chars`] (it holds a carriage return or an
/// [`is_suspect_byte`]). One pass, eight bytes at a time: only `]`, bytes below 0x20 and 0xEF stop it.
fn scan_cdata(bytes: &[u8], from: usize) -> Option<(usize, bool)> {
    let mut dirty = false;
    let mut i = from;
    loop {
        // Skip words without `]`, a byte below 0x20 or 0xEF.
        i = find_byte(
            bytes,
            i,
            |w| suspect_or_below_space(w) | bytes_equal(w, b']'),
            |b| b == b']' || b < 0x20 || b == 0xEF,
        );
        let &b = bytes.get(i)?;
        if b == b']' && bytes.get(i + 1) == Some(&b']') && bytes.get(i + 2) == Some(&b'>') {
            return Some((i + 3, dirty));
        }
        dirty |= b == b'\r' || is_suspect_byte(b);
        i += 1;
    }
}

/// The index just past the `>` that ends the tag whose body starts at `from` (after its `<`): the first `>`
/// outside `"` or `'` quotes, as quick-xml finds it; `None` when there is none.
fn tag_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    loop {
        i += bytes
            .get(i..)?
            .iter()
            .position(|&b| matches!(b, b'>' | b'"' | b'\''))?;
        let quote = bytes[i];
        if quote == b'>' {
            return Some(i + 1);
        }
        i += 1;
        i += bytes.get(i..)?.iter().position(|&b| b == quote)? + 1;
    }
}

/// The end of a run of text starting at `from`: the next `<` or `&`, or the end. Eight bytes at a time.
fn find_text_end(bytes: &[u8], from: usize) -> usize {
    find_byte(
        bytes,
        from,
        |w| bytes_equal(w, b'<') | bytes_equal(w, b'&'),
        |b| b == b'<' || b == b'&',
    )
}

/// Characters XML 1.0 does not allow in a document (2.2 Characters).
fn is_forbidden_char(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// `U+00A0 U+0020`-style code points of `text`, for warnings.
fn code_points(text: &str) -> String {
    let cps: Vec<String> = text
        .chars()
        .map(|c| format!("U+{:04X}", c as u32))
        .collect();
    cps.join(" ")
}

/// The five entities XML predefines.
fn predefined(name: &str) -> Option<&'static str> {
    Some(match name {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "quot" => "\"",
        "apos" => "'",
        _ => return None,
    })
}

/// Decodes a numeric character reference body (`#` stripped). The flag says whether the code point was
/// taken as written (false for C1 controls mapped through windows-1252 and invalid code points).
pub(super) fn char_ref(num: &str) -> Option<(char, bool)> {
    let code = match num.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => num.parse::<u32>().ok()?,
    };
    if (0x80..=0x9f).contains(&code) {
        const W1252: [u16; 32] = [
            0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
            0x2039, 0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
            0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
        ];
        let mapped = W1252[(code - 0x80) as usize] as u32;
        return char::from_u32(mapped).map(|c| (c, false));
    }
    match char::from_u32(code) {
        Some('\0') | None => Some(('\u{FFFD}', false)),
        Some(c) => Some((c, true)),
    }
}

/// Resolves character and entity references in attribute values and recovered text; unknown references and
/// bare `&` stay as written.
pub(super) fn unescape(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let semi = rest[1..].find(|c: char| c == ';' || c == '&' || c == '<' || c.is_whitespace());
        if let Some(semi) = semi.filter(|&i| rest.as_bytes()[1 + i] == b';') {
            let name = &rest[1..1 + semi];
            let resolved = if let Some(num) = name.strip_prefix('#') {
                char_ref(num).map(|(c, _)| Cow::Owned(c.to_string()))
            } else {
                predefined(name)
                    .or_else(|| entities::lookup(name))
                    .map(Cow::Borrowed)
            };
            if let Some(text) = resolved {
                out.push_str(&text);
                rest = &rest[semi + 2..];
                continue;
            }
        }
        out.push('&');
        rest = &rest[1..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// `\r\n` and lone `\r` become `\n`.
fn normalize_eol(s: &str) -> Cow<'_, str> {
    if !s.contains('\r') {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.replace("\r\n", "\n").replace('\r', "\n"))
}

/// Whether the bytes after a `<` can start markup (a name, `/name`, `!` or `?`).
fn can_start_markup(after: &[u8]) -> bool {
    let name_start = |b: u8| b.is_ascii_alphabetic() || b == b'_' || b == b':' || b >= 0x80;
    match after.first() {
        Some(b'!' | b'?') => true,
        Some(b'/') => after.get(1).is_some_and(|&b| name_start(b)),
        Some(&b) => name_start(b),
        None => false,
    }
}

/// The position of the last `<` outside quotes in a tag body.
fn last_unquoted_lt(raw: &str) -> Option<usize> {
    if !raw.contains('<') {
        return None;
    }
    let mut quote = None;
    let mut last = None;
    for (i, b) in raw.bytes().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if q == b => quote = None,
            (None, b'<') => last = Some(i),
            _ => {}
        }
    }
    last
}

/// Whether two namespace prefixes are equal. Empty prefixes (the default namespace, the most common case)
/// are compared without calling `memcmp`: an empty `&str` may point nowhere, and glibc's AVX-512 `memcmp`
/// reads it with a masked load whose fault suppression costs a microcode assist on every call (it was a third
/// of the time spent parsing an Atom feed).
fn same_prefix(a: &str, b: &str) -> bool {
    a.len() == b.len() && (a.is_empty() || a == b)
}

fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'))
}

/// Namespaces whose elements take part in implied end tags: the core feed vocabularies and Dublin Core.
fn is_feedish(ns: Ns) -> bool {
    ns.is_core() || ns == Ns::Dc
}

fn local_of(qname: &str) -> &str {
    qname.rsplit_once(':').map_or(qname, |(_, local)| local)
}

/// `name` in ASCII lower case in `buf`, when it fits (every name these tables hold does).
fn lower<'b>(name: &str, buf: &'b mut [u8; 16]) -> Option<&'b [u8]> {
    let out = buf.get_mut(..name.len())?;
    out.copy_from_slice(name.as_bytes());
    out.make_ascii_lowercase();
    Some(out)
}

/// HTML void elements, which have no end tag.
pub(super) fn is_void(local: &str) -> bool {
    let mut buf = [0; 16];
    matches!(
        lower(local, &mut buf),
        Some(
            b"br"
                | b"img"
                | b"hr"
                | b"input"
                | b"meta"
                | b"wbr"
                | b"area"
                | b"col"
                | b"embed"
                | b"param"
        )
    )
}

/// Feed elements that hold other elements, other than `item`/`entry`.
fn is_structural(local: &str) -> bool {
    let mut buf = [0; 16];
    matches!(
        lower(local, &mut buf),
        Some(b"image" | b"textinput" | b"skiphours" | b"skipdays" | b"channel")
    )
}

/// Feed elements that hold only text: an unclosed one is closed by the next such element or entry.
/// Whether `local` names a feed document's root element.
fn is_feed_root(local: &str) -> bool {
    ["rss", "feed", "rdf", "channel"]
        .iter()
        .any(|root| local.eq_ignore_ascii_case(root))
}

fn is_leaf(local: &str) -> bool {
    let mut buf = [0; 16];
    matches!(
        lower(local, &mut buf),
        Some(
            b"title"
                | b"link"
                | b"description"
                | b"pubdate"
                | b"guid"
                | b"comments"
                | b"lastbuilddate"
                | b"language"
                | b"ttl"
                | b"author"
                | b"category"
                | b"updated"
                | b"published"
                | b"id"
                | b"issued"
                | b"modified"
                | b"created"
                | b"creator"
                | b"date"
                | b"subject"
                | b"summary"
        )
    )
}

fn new_inner(src: &str) -> quick_xml::Reader<&[u8]> {
    let mut reader = quick_xml::Reader::from_str(src);
    let config = reader.config_mut();
    config.allow_dangling_amp = true;
    config.allow_unmatched_ends = true;
    config.check_end_names = false;
    config.check_comments = false;
    config.expand_empty_elements = false;
    config.trim_text(false);
    reader
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use proptest::prelude::*;

    use super::{Ev, XmlReader, find_text_end, has_suspect_byte, is_suspect_byte, scan_cdata};

    /// Every event and warning of `src`, read with or without the fast tokenizer. Adjacent text events are
    /// merged: where quick-xml restarts decides whether a U+FEFF at the start of a text run is an event of
    /// its own, and every reader of the stream concatenates text (or, for blank checks, ORs it).
    fn events(src: &str, fast: bool) -> Vec<String> {
        let base = url::Url::parse("https://example.com/feed.xml").unwrap();
        let mut r = XmlReader::new(src, base, 64);
        r.fast_tokens = fast;
        let mut out = Vec::new();
        let mut text: Option<String> = None;
        loop {
            let ev = r.next();
            let at = format!("@{} d{}", r.position(), r.depth());
            if let Ev::Text(t) = &ev {
                text.get_or_insert_with(String::new).push_str(t);
                continue;
            }
            if let Some(text) = text.take() {
                out.push(format!("Text({text:?})"));
            }
            let done = matches!(ev, Ev::Eof);
            out.push(format!("{ev:?} {at}"));
            if done {
                break;
            }
        }
        out.extend(r.into_warnings());
        out
    }

    fn assert_same(src: &str) {
        assert_eq!(events(src, true), events(src, false), "{src:?}");
    }

    #[test]
    fn fast_tokens_agree_on_constructs() {
        for src in [
            "<rss><channel><title>A &amp; B &#233; &nbsp; &bogus; & x &amp</title></channel></rss>",
            "<a b='>' c=\"x>y\">t</a><b/><c d=e/>",
            "<a>x\r\ny\rz</a>",
            "<a>\u{feff}x</a>\u{feff}<b>\u{feff}&amp;</b>",
            "<a><![CDATA[x]]]]><![CDATA[>]]>y</a>",
            "<a>&#0;&#x80;&#xD800;&#1114112;&x;&;</a>",
            "<a>1 < 2 <> <3 </ a> </a b='>'>",
            "<a>unclosed <b attr='x",
            "<a>text &",
            "<a>text &am",
            "<a><!-- c --><?pi x?><!DOCTYPE a [<!ENTITY e 'v'>]>&e;</a>",
            "<a\u{1}>\u{1}\u{fffe}</a>",
            "<a><b></a></b><c>",
            "<a>x</a\t><b></b\n>",
        ] {
            assert_same(src);
        }
    }

    #[test]
    fn fast_tokens_agree_on_fixture_feeds() {
        fn walk(dir: &Path, n: &mut usize) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, n);
                } else if path
                    .extension()
                    .is_some_and(|e| e == "xml" || e == "rss" || e == "atom" || e == "rdf")
                {
                    let bytes = std::fs::read(&path).unwrap();
                    let decoded =
                        crate::charset::decode(&bytes, None, crate::charset::DocumentKind::Xml);
                    assert_same(&decoded.text);
                    *n += 1;
                }
            }
        }
        let mut n = 0;
        walk(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures"),
            &mut n,
        );
        walk(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data"),
            &mut n,
        );
        assert!(n > 10, "{n} fixture documents");
    }

    #[test]
    fn scanners_agree_with_byte_loops() {
        let inputs = [
            "",
            "a",
            "]]>",
            "x]]>y",
            "]]]>",
            "]] >]]>",
            "abc\r\ndef]]>",
            "\u{1}]]>",
            "\u{fffe}]]>",
            "0123456789abcdef]]>",
            "0123456\n89abcdef]]>",
            "é]]>",
            "no end",
            "x\u{0}",
            "tab\tonly",
        ];
        for input in inputs {
            check_scanners(input.as_bytes());
        }
    }

    fn check_scanners(bytes: &[u8]) {
        assert_eq!(
            has_suspect_byte(bytes),
            bytes.iter().any(|&b| is_suspect_byte(b))
        );
        let naive_end = bytes.windows(3).position(|w| w == b"]]>").map(|at| at + 3);
        let naive_dirty = naive_end.map(|end| {
            bytes[..end - 3]
                .iter()
                .any(|&b| b == b'\r' || is_suspect_byte(b))
        });
        let fast = scan_cdata(bytes, 0);
        assert_eq!(fast.map(|(end, _)| end), naive_end, "{bytes:?}");
        assert_eq!(fast.map(|(_, dirty)| dirty), naive_dirty, "{bytes:?}");
        for from in 0..=bytes.len() {
            let naive = bytes[from..]
                .iter()
                .position(|&b| b == b'<' || b == b'&')
                .map_or(bytes.len(), |i| from + i);
            assert_eq!(find_text_end(bytes, from), naive, "{bytes:?} from {from}");
        }
    }

    #[test]
    fn static_chars_are_the_characters() {
        let mut n = 0;
        for c in (0..0x11_0000).filter_map(char::from_u32) {
            if let Some(s) = super::entities::static_char(c) {
                assert_eq!(s, c.to_string());
                n += 1;
            }
        }
        assert!(n > 300, "{n}");
    }

    proptest! {
        #[test]
        fn fast_tokens_agree_on_generated_markup(
            s in "[<>/!?&;#a-z =\"'\\[\\]CDAT\r\n\t\u{1}\u{feff}\u{e9}-]{0,200}",
        ) {
            let src = format!("<rss>{s}");
            prop_assert_eq!(events(&src, true), events(&src, false));
            prop_assert_eq!(events(&s, true), events(&s, false));
        }

        #[test]
        fn scanners_agree_on_generated_bytes(
            s in "[\\]>a<&\r\n\t\u{0}\u{1f}\u{fffe}\u{ffff}\u{e9}\u{feff} ]{0,40}",
        ) {
            check_scanners(s.as_bytes());
        }
    }
}
