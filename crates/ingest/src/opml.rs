//! OPML 1.0/2.0 subscription lists: reading what feed readers export, and writing lists they can import.
//!
//! [`parse_opml`] turns the bytes of an OPML document into an [`Opml`]: its title and every [`Subscription`]
//! (an `<outline>` with an `xmlUrl`, at any depth). [`write_opml`] writes an OPML 2.0 document that readers
//! which know only folders and readers which know the `category` attribute both understand.
//! Neither touches the network: relative `xmlUrl`s are kept as written, for the caller to resolve.
//!
//! # Categories
//!
//! A subscription's categories are, in order and without duplicates:
//!
//! 1. the chain of folder outlines (outlines without `xmlUrl`) that enclose it, named by their `title` or
//!    else `text`, joined with `/` (`News/World`);
//! 2. each entry of its OPML 2.0 `category` attribute, which is comma-separated with a leading `/` on each
//!    entry (`category="/Tech,/News/World"` gives `Tech` and `News/World`).
//!
//! Every category is normalized the same way: split on `/`, each part trimmed, empty parts dropped.
//!
//! # Liberal parsing
//!
//! What feed readers export in the wild is accepted: a byte-order mark and any charset [`crate::charset`]
//! understands, a missing `<head>`, element and attribute names in any case (`xmlUrl`, `xmlurl`, `XMLURL`),
//! HTML named entities in attributes (`&nbsp;`, `&eacute;`; the whole HTML5 set), a bare `&` (in a URL's
//! query, say, taken literally), unknown entities (kept as written), unquoted attribute values, unclosed
//! outlines (closed by the next end tag that matches), and anything after `</opml>` (ignored).
//! An outline whose `xmlUrl` is empty is not a subscription. When an `xmlUrl` occurs twice the first outline
//! wins: later ones only add categories, and a title or `htmlUrl` the first lacked.
//!
//! Titles, URLs and categories are trimmed; an empty title or `htmlUrl` is `None`. As XML prescribes for
//! attribute values, a literal tab or line break in an attribute reads as a space (written as a character
//! reference it is kept). Characters XML does not allow (NUL and the other C0 controls but tab and line
//! breaks) are dropped.
//!
//! A document that is not OPML at all (empty, not markup, another root element such as `<rss>` or `<html>`)
//! is an [`OpmlError`], and so is markup broken beyond the above (a document cut off inside a tag, say): an
//! import that silently lost the subscriptions after the break would be worse than one that says where the
//! file is broken.
//!
//! # Limits
//!
//! The work is linear in the input. A category longer than 256 bytes is dropped (a folder whose path would
//! grow past that adds nothing to the chain), and a subscription keeps at most 64 categories.
//!
//! # Round trip
//!
//! `parse_opml(write_opml(title, subs, created))` gives back `title` and `subs` exactly, order included, for
//! subscriptions as [`parse_opml`] produces them (trimmed, non-empty values; normalized categories), with one
//! exception: a category containing a comma cannot be written in the `category` attribute, so it survives
//! only as a subscription's first category (its folder).
//!
//! ```
//! use newswire_ingest::opml::{parse_opml, write_opml};
//!
//! let opml = parse_opml(br#"<opml version="1.0"><body>
//!   <outline text="News">
//!     <outline text="Desk" xmlUrl="https://example.com/feed.xml" htmlUrl="https://example.com/"/>
//!   </outline>
//! </body></opml>"#)?;
//! let sub = &opml.outlines[0];
//! assert_eq!(sub.xml_url, "https://example.com/feed.xml");
//! assert_eq!(sub.title.as_deref(), Some("Desk"));
//! assert_eq!(sub.categories, ["News"]);
//!
//! let written = write_opml("My feeds", &opml.outlines, "Mon, 02 Jun 2025 10:00:00 GMT");
//! assert_eq!(parse_opml(written.as_bytes())?.outlines, opml.outlines);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;

use quick_xml::events::{BytesStart, Event};

use crate::charset::{self, DocumentKind};

/// Longest category kept, in bytes.
const MAX_CATEGORY_LEN: usize = 256;
/// Most categories kept per subscription.
const MAX_CATEGORIES: usize = 64;
/// How far up the stack of open elements an end tag looks for its start tag; a stray end tag is ignored.
const MAX_END_TAG_SEARCH: usize = 64;
/// Longest entity or character reference name looked up, in bytes.
const MAX_REFERENCE_LEN: usize = 40;
/// How many characters of a document that is not OPML an error quotes.
const QUOTED_CHARS: usize = 40;

/// An OPML subscription list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Opml {
    /// The document's `<head><title>`, trimmed; `None` when missing or empty.
    pub title: Option<String>,
    /// The subscriptions, in document order, one per `xmlUrl`.
    pub outlines: Vec<Subscription>,
}

/// One subscription: an `<outline>` with an `xmlUrl`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subscription {
    /// The feed URL (`xmlUrl`), trimmed, as written: a relative URL stays relative.
    pub xml_url: String,
    /// The site URL (`htmlUrl`), when there is one.
    pub html_url: Option<String>,
    /// The outline's `title`, else its `text`.
    pub title: Option<String>,
    /// Enclosing folders (joined with `/`), then the `category` attribute's entries; see the
    /// [module docs](self#categories).
    pub categories: Vec<String>,
}

/// Why a document could not be read as OPML.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OpmlError {
    /// The input is empty or only white space.
    #[error("expected an OPML document, found an empty document")]
    Empty,
    /// The input does not start with markup.
    #[error("expected an OPML document, found text starting with {start:?}")]
    NotMarkup {
        /// The first characters of the document.
        start: String,
    },
    /// The root element is not `<opml>`.
    #[error("expected an <opml> root element, found <{root}>")]
    NotOpml {
        /// The root element's name as written (at most 40 characters).
        root: String,
    },
    /// The document has markup but no element.
    #[error("expected an <opml> root element, found none")]
    NoRoot,
    /// The markup is broken beyond what the parser recovers from.
    #[error("malformed XML in the OPML document at line {line}, column {column}")]
    Malformed {
        /// 1-based line of the error.
        line: usize,
        /// 1-based column (in characters) of the error.
        column: usize,
        /// What the XML reader said.
        #[source]
        source: quick_xml::Error,
    },
}

/// Parses an OPML 1.0 or 2.0 document from raw bytes (any charset [`crate::charset`] recognises).
///
/// See the [module docs](self) for what is accepted and how categories are built.
pub fn parse_opml(bytes: &[u8]) -> Result<Opml, OpmlError> {
    let decoded = charset::decode(bytes, None, DocumentKind::Xml);
    let text: &str = &decoded.text;
    let start = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if start.is_empty() {
        return Err(OpmlError::Empty);
    }
    if !start.starts_with('<') {
        return Err(OpmlError::NotMarkup {
            start: start.chars().take(QUOTED_CHARS).collect(),
        });
    }
    Parser::new(text).run()
}

/// What an open element is, for what its end tag must undo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// `<opml>`.
    Root,
    /// `<head>`.
    Head,
    /// The `<title>` being read as the document title.
    Title,
    /// A folder outline; its end truncates the folder path back to `path_len`.
    Folder { path_len: usize },
    /// Anything else.
    Other,
}

/// An open element.
struct Frame<'a> {
    /// Local name as written.
    name: &'a str,
    kind: Kind,
}

struct Parser<'a> {
    src: &'a str,
    reader: quick_xml::Reader<&'a [u8]>,
    stack: Vec<Frame<'a>>,
    /// The current folder path, `/`-joined.
    path: String,
    title: Option<String>,
    /// The document title's text while its `<title>` is open.
    title_text: Option<String>,
    outlines: Vec<Subscription>,
    /// Index into `outlines` by `xml_url`.
    seen: HashMap<String, usize>,
}

impl<'a> Parser<'a> {
    fn new(src: &'a str) -> Parser<'a> {
        let mut reader = quick_xml::Reader::from_str(src);
        let config = reader.config_mut();
        config.allow_dangling_amp = true;
        config.allow_unmatched_ends = true;
        config.check_end_names = false;
        config.check_comments = false;
        config.expand_empty_elements = false;
        config.trim_text(false);
        Parser {
            src,
            reader,
            stack: Vec::new(),
            path: String::new(),
            title: None,
            title_text: None,
            outlines: Vec::new(),
            seen: HashMap::new(),
        }
    }

    fn run(mut self) -> Result<Opml, OpmlError> {
        let mut found_root = false;
        loop {
            let pos = self.position();
            let res = self.reader.read_event();
            let end = self.position();
            let raw = self.src.get(pos..end).unwrap_or("");
            let empty = matches!(res, Ok(Event::Empty(_)));
            match res {
                Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                    let name = tag_local_name(raw);
                    if !found_root {
                        if !name.eq_ignore_ascii_case("opml") {
                            return Err(OpmlError::NotOpml {
                                root: e.name().as_ref().chars().take(QUOTED_CHARS).collect(),
                            });
                        }
                        found_root = true;
                        if empty {
                            break;
                        }
                        self.stack.push(Frame {
                            name,
                            kind: Kind::Root,
                        });
                        continue;
                    }
                    self.start(name, &e, empty);
                }
                Ok(Event::End(e)) => {
                    if self.end(e.local_name().as_ref()) {
                        break;
                    }
                }
                Ok(Event::Text(_)) | Ok(Event::GeneralRef(_)) => {
                    if let Some(title) = &mut self.title_text {
                        unescape_into(raw, false, title);
                    }
                }
                Ok(Event::CData(e)) => {
                    if let Some(title) = &mut self.title_text {
                        push_text(&e, false, title);
                    }
                }
                Ok(Event::Eof) => break,
                Ok(Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_)) => {}
                Err(quick_xml::Error::IllFormed(_)) if end > pos => {
                    // quick-xml consumed the offending markup (`<?xml?>` without version, say) and can go on.
                }
                Err(source) => {
                    let offset = (self.reader.error_position() as usize).min(self.src.len());
                    let (line, column) = line_column(self.src, offset);
                    return Err(OpmlError::Malformed {
                        line,
                        column,
                        source,
                    });
                }
            }
        }
        if !found_root {
            return Err(OpmlError::NoRoot);
        }
        // Unclosed elements at the end: a title still open is kept.
        self.finish_title();
        Ok(Opml {
            title: self.title,
            outlines: self.outlines,
        })
    }

    fn position(&self) -> usize {
        usize::try_from(self.reader.buffer_position()).unwrap_or(usize::MAX)
    }

    /// Handles a start tag (or an empty element) inside the root.
    fn start(&mut self, name: &'a str, tag: &BytesStart<'_>, empty: bool) {
        let parent = self.stack.last().map_or(Kind::Root, |frame| frame.kind);
        let kind = if name.eq_ignore_ascii_case("outline") {
            self.outline(tag)
        } else if name.eq_ignore_ascii_case("head") && parent == Kind::Root {
            Kind::Head
        } else if name.eq_ignore_ascii_case("title")
            && matches!(parent, Kind::Root | Kind::Head)
            && self.title.is_none()
            && self.title_text.is_none()
        {
            if !empty {
                self.title_text = Some(String::new());
            }
            Kind::Title
        } else {
            Kind::Other
        };
        if empty {
            self.close(kind);
        } else {
            self.stack.push(Frame { name, kind });
        }
    }

    /// Handles an end tag; returns whether it closed the root.
    fn end(&mut self, name: &str) -> bool {
        let Some(idx) = self
            .stack
            .iter()
            .rev()
            .take(MAX_END_TAG_SEARCH)
            .position(|frame| frame.name.eq_ignore_ascii_case(name))
            .map(|from_top| self.stack.len() - 1 - from_top)
        else {
            return false;
        };
        while self.stack.len() > idx {
            let Some(frame) = self.stack.pop() else { break };
            if self.close(frame.kind) {
                return true;
            }
        }
        false
    }

    /// Undoes what opening an element of `kind` did; returns whether it was the root.
    fn close(&mut self, kind: Kind) -> bool {
        match kind {
            Kind::Root => return true,
            Kind::Title => self.finish_title(),
            Kind::Folder { path_len } => self.path.truncate(path_len),
            Kind::Head | Kind::Other => {}
        }
        false
    }

    fn finish_title(&mut self) {
        if let Some(text) = self.title_text.take() {
            self.title = non_empty(&text);
        }
    }

    /// Reads an outline: records a subscription, or enters a folder.
    fn outline(&mut self, tag: &BytesStart<'_>) -> Kind {
        let mut xml_url = None;
        let mut html_url = None;
        let mut title = None;
        let mut text = None;
        let mut category = None;
        let mut attrs = tag.html_attributes();
        attrs.with_checks(false);
        for attr in attrs {
            let Ok(attr) = attr else { break };
            let key = attr.key.local_name();
            let slot = match key.as_ref() {
                k if k.eq_ignore_ascii_case("xmlurl") => &mut xml_url,
                k if k.eq_ignore_ascii_case("htmlurl") => &mut html_url,
                k if k.eq_ignore_ascii_case("title") => &mut title,
                k if k.eq_ignore_ascii_case("text") => &mut text,
                k if k.eq_ignore_ascii_case("category") => &mut category,
                _ => continue,
            };
            if slot.is_none() {
                let mut value = String::new();
                unescape_into(&attr.value, true, &mut value);
                *slot = Some(value);
            }
        }
        let title = title
            .as_deref()
            .and_then(non_empty)
            .or_else(|| text.as_deref().and_then(non_empty));
        let Some(xml_url) = xml_url.as_deref().and_then(non_empty) else {
            // A folder (or an outline with an empty `xmlUrl`, treated like one).
            let path_len = self.path.len();
            if let Some(name) = title.as_deref().and_then(normalize_category) {
                let sep = usize::from(!self.path.is_empty());
                if path_len + sep + name.len() <= MAX_CATEGORY_LEN {
                    if sep == 1 {
                        self.path.push('/');
                    }
                    self.path.push_str(&name);
                }
            }
            return Kind::Folder { path_len };
        };
        let mut categories = Vec::new();
        if !self.path.is_empty() {
            categories.push(self.path.clone());
        }
        for entry in category.as_deref().unwrap_or("").split(',') {
            if let Some(entry) = normalize_category(entry) {
                add_category(&mut categories, entry);
            }
        }
        let html_url = html_url.as_deref().and_then(non_empty);
        if let Some(&idx) = self.seen.get(&xml_url) {
            let first = &mut self.outlines[idx];
            first.title = first.title.take().or(title);
            first.html_url = first.html_url.take().or(html_url);
            for entry in categories {
                add_category(&mut first.categories, entry);
            }
        } else {
            self.seen.insert(xml_url.clone(), self.outlines.len());
            self.outlines.push(Subscription {
                xml_url,
                html_url,
                title,
                categories,
            });
        }
        Kind::Other
    }
}

/// Adds `entry` unless it is there already or the list is full.
fn add_category(categories: &mut Vec<String>, entry: String) {
    if categories.len() < MAX_CATEGORIES && !categories.contains(&entry) {
        categories.push(entry);
    }
}

/// A category in normal form: `/`-separated parts, each trimmed, empty ones dropped; `None` when nothing
/// is left or it is too long.
fn normalize_category(raw: &str) -> Option<String> {
    let mut out = String::new();
    for part in raw
        .split('/')
        .map(str::trim)
        .filter(|part| !part.is_empty())
    {
        if out.len() + part.len() >= MAX_CATEGORY_LEN {
            return None;
        }
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str(part);
    }
    (!out.is_empty()).then_some(out)
}

/// `text` trimmed, or `None` when that leaves nothing.
fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// The local name of the tag whose markup `raw` is (`<prefix:name attr...>`); quick-xml may have skipped
/// characters before the `<`.
fn tag_local_name(raw: &str) -> &str {
    let after = raw.find('<').map_or("", |lt| &raw[lt + 1..]);
    let end = after
        .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
        .unwrap_or(after.len());
    let qname = &after[..end];
    qname.rsplit_once(':').map_or(qname, |(_, local)| local)
}

/// 1-based line and column (in characters) of byte `offset` in `src`.
fn line_column(src: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(src.len());
    while !src.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &src[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |nl| nl + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Appends `raw` to `out` with entity and character references resolved. In an attribute (`attr`) literal
/// tabs and line breaks read as spaces; in text, `\r\n` and `\r` read as `\n`. Unknown references and a bare
/// `&` stay as written; characters XML does not allow are dropped.
fn unescape_into(raw: &str, attr: bool, out: &mut String) {
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        push_text(&rest[..amp], attr, out);
        rest = &rest[amp..];
        if let Some(len) = reference(rest, out) {
            rest = &rest[len..];
        } else {
            out.push('&');
            rest = &rest[1..];
        }
    }
    push_text(rest, attr, out);
}

/// Appends literal text, normalizing line breaks (and, in an attribute, white space) as XML does.
fn push_text(text: &str, attr: bool, out: &mut String) {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(if attr { ' ' } else { '\n' });
            }
            '\t' | '\n' if attr => out.push(' '),
            c if is_forbidden_char(c) => {}
            c => out.push(c),
        }
    }
}

/// Resolves the reference at the start of `s` (which starts with `&`) into `out`; returns its length, or
/// `None` (and appends nothing) when it is not a reference we know.
fn reference(s: &str, out: &mut String) -> Option<usize> {
    let semi = s
        .bytes()
        .take(MAX_REFERENCE_LEN + 2)
        .position(|b| b == b';')?;
    let name = &s[1..semi];
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse::<u32>().ok()?,
        };
        let c = match code {
            0x80..=0x9f => html5ever::data::C1_REPLACEMENTS[(code - 0x80) as usize]
                .or_else(|| char::from_u32(code)),
            0 => Some('\u{FFFD}'),
            _ => Some(char::from_u32(code).unwrap_or('\u{FFFD}')),
        };
        if let Some(c) = c.filter(|&c| !is_forbidden_char(c)) {
            out.push(c);
        }
        return Some(semi + 1);
    }
    let (first, second) = match name {
        "lt" => ('<' as u32, 0),
        "gt" => ('>' as u32, 0),
        "amp" => ('&' as u32, 0),
        "quot" => ('"' as u32, 0),
        "apos" => ('\'' as u32, 0),
        // The table's keys include the `;`.
        _ => *html5ever::data::NAMED_ENTITIES.get(&s[1..=semi])?,
    };
    for code in [first, second] {
        if let Some(c) = char::from_u32(code).filter(|&c| c != '\0') {
            out.push(c);
        }
    }
    Some(semi + 1)
}

/// Characters XML 1.0 does not allow in a document.
fn is_forbidden_char(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// Writes an OPML 2.0 document listing `subs`, titled `title`, with `created` as its `dateCreated` (as given,
/// an RFC 822 date by the spec).
///
/// Each subscription is one `<outline type="rss">` with `text` and `title` (its title, `text` empty when it
/// has none), `xmlUrl`, `htmlUrl` and a `category` attribute listing every category as `/A,/B/C` (a category
/// with a comma is left out of it). It sits inside folder outlines named by the parts of its first category,
/// so readers that know only folders keep it. Consecutive subscriptions share folders; subscriptions are
/// written in the order given, so a folder reappears when its subscriptions are not consecutive (sort by
/// first category first to get one folder each).
pub fn write_opml(title: &str, subs: &[Subscription], created: &str) -> String {
    let mut out = String::with_capacity(256 + subs.len() * 160);
    out.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n  <head>\n    <title>",
    );
    escape_into(title, &mut out);
    out.push_str("</title>\n    <dateCreated>");
    escape_into(created, &mut out);
    out.push_str("</dateCreated>\n  </head>\n  <body>\n");
    let mut open: Vec<&str> = Vec::new();
    for sub in subs {
        let folders: Vec<&str> = sub.categories.first().map_or_else(Vec::new, |first| {
            first
                .split('/')
                .map(str::trim)
                .filter(|part| !part.is_empty())
                .collect()
        });
        let common = open
            .iter()
            .zip(&folders)
            .take_while(|(open, folder)| open == folder)
            .count();
        while open.len() > common {
            open.pop();
            indent(open.len(), &mut out);
            out.push_str("</outline>\n");
        }
        for folder in &folders[common..] {
            indent(open.len(), &mut out);
            out.push_str("<outline text=\"");
            escape_into(folder, &mut out);
            out.push_str("\" title=\"");
            escape_into(folder, &mut out);
            out.push_str("\">\n");
            open.push(folder);
        }
        indent(open.len(), &mut out);
        out.push_str("<outline type=\"rss\" text=\"");
        if let Some(title) = &sub.title {
            escape_into(title, &mut out);
            out.push_str("\" title=\"");
            escape_into(title, &mut out);
        }
        out.push_str("\" xmlUrl=\"");
        escape_into(&sub.xml_url, &mut out);
        if let Some(html_url) = &sub.html_url {
            out.push_str("\" htmlUrl=\"");
            escape_into(html_url, &mut out);
        }
        let mut listed = sub
            .categories
            .iter()
            .filter(|c| !c.contains(','))
            .peekable();
        if listed.peek().is_some() {
            out.push_str("\" category=\"");
            for (idx, category) in listed.enumerate() {
                if idx > 0 {
                    out.push(',');
                }
                out.push('/');
                escape_into(category, &mut out);
            }
        }
        out.push_str("\"/>\n");
    }
    while !open.is_empty() {
        open.pop();
        indent(open.len(), &mut out);
        out.push_str("</outline>\n");
    }
    out.push_str("  </body>\n</opml>\n");
    out
}

/// Indentation for an outline inside `depth` folders.
fn indent(depth: usize, out: &mut String) {
    for _ in 0..depth + 2 {
        out.push_str("  ");
    }
}

/// Appends `text` escaped for an attribute value or element content: markup characters and quotes as
/// entities, tab and line breaks as character references (so attribute normalization keeps them), and
/// characters XML does not allow dropped.
fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if is_forbidden_char(c) => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(xml_url: &str, title: Option<&str>, categories: &[&str]) -> Subscription {
        Subscription {
            xml_url: xml_url.to_owned(),
            html_url: None,
            title: title.map(str::to_owned),
            categories: categories.iter().map(|c| (*c).to_owned()).collect(),
        }
    }

    fn parse(text: &str) -> Opml {
        match parse_opml(text.as_bytes()) {
            Ok(opml) => opml,
            Err(err) => panic!("{err}: {text}"),
        }
    }

    fn error(text: &[u8]) -> String {
        match parse_opml(text) {
            Ok(opml) => panic!("expected an error, got {opml:?}"),
            Err(err) => err.to_string(),
        }
    }

    #[test]
    fn feedly_export() {
        let opml = parse(
            r#"<?xml version="1.0" encoding="UTF-8"?>

<opml version="1.0">
  <head>
    <title>Jane subscriptions in feedly Cloud</title>
  </head>
  <body>
    <outline text="News" title="News">
      <outline type="rss" text="BBC News - World" title="BBC News - World" xmlUrl="http://feeds.bbci.co.uk/news/world/rss.xml" htmlUrl="https://www.bbc.co.uk/news/world"/>
      <outline type="rss" text="NPR Topics: News" title="NPR Topics: News" xmlUrl="https://feeds.npr.org/1001/rss.xml" htmlUrl="https://www.npr.org/templates/story/story.php?storyId=1001&amp;ft=nprml"/>
    </outline>
    <outline text="Tech" title="Tech">
      <outline type="rss" text="Ars Technica" title="Ars Technica" xmlUrl="https://feeds.arstechnica.com/arstechnica/index" htmlUrl="https://arstechnica.com"/>
    </outline>
  </body>
</opml>
"#,
        );
        assert_eq!(
            opml.title.as_deref(),
            Some("Jane subscriptions in feedly Cloud")
        );
        assert_eq!(
            opml.outlines,
            [
                Subscription {
                    xml_url: "http://feeds.bbci.co.uk/news/world/rss.xml".into(),
                    html_url: Some("https://www.bbc.co.uk/news/world".into()),
                    title: Some("BBC News - World".into()),
                    categories: vec!["News".into()],
                },
                Subscription {
                    xml_url: "https://feeds.npr.org/1001/rss.xml".into(),
                    html_url: Some(
                        "https://www.npr.org/templates/story/story.php?storyId=1001&ft=nprml"
                            .into()
                    ),
                    title: Some("NPR Topics: News".into()),
                    categories: vec!["News".into()],
                },
                Subscription {
                    xml_url: "https://feeds.arstechnica.com/arstechnica/index".into(),
                    html_url: Some("https://arstechnica.com".into()),
                    title: Some("Ars Technica".into()),
                    categories: vec!["Tech".into()],
                },
            ]
        );
    }

    #[test]
    fn inoreader_nested_folders_and_category_attribute() {
        // Inoreader-like: OPML 2.0, nested folders, `category` on some outlines, a top-level subscription.
        let opml = parse(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Subscriptions from Inoreader [https://www.inoreader.com]</title></head>
  <body>
    <outline type="rss" text="Top level" xmlUrl="https://top.example/feed"/>
    <outline text="News" title="News">
      <outline text="World" title="World">
        <outline type="rss" text="Reuters World" title="Reuters World" xmlUrl="https://example.com/reuters/world" category="/Wire,/News/World"/>
        <outline text="Europe">
          <outline type="rss" text="Euro desk" xmlUrl="https://example.com/euro"/>
        </outline>
      </outline>
      <outline type="rss" text="AP" xmlUrl="https://example.com/ap" category="/Wire, Breaking ,/,"/>
    </outline>
    <outline type="rss" text="Tagged" xmlUrl="https://example.com/tagged" category="/Tech/Rust/,/Tech"/>
  </body>
</opml>"#,
        );
        let got: Vec<(&str, Vec<&str>)> = opml
            .outlines
            .iter()
            .map(|s| {
                (
                    s.xml_url.as_str(),
                    s.categories.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("https://top.example/feed", vec![]),
                (
                    "https://example.com/reuters/world",
                    vec!["News/World", "Wire"]
                ),
                ("https://example.com/euro", vec!["News/World/Europe"]),
                ("https://example.com/ap", vec!["News", "Wire", "Breaking"]),
                ("https://example.com/tagged", vec!["Tech/Rust", "Tech"]),
            ]
        );
        assert_eq!(opml.outlines[0].title.as_deref(), Some("Top level"));
    }

    #[test]
    fn netnewswire_export_and_title_fallback() {
        // NetNewsWire-like: OPML 1.1, `text` and `title` differ, `description` and `version` attributes,
        // an outline with `title=""` falling back to `text`.
        let opml = parse(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- OPML generated by NetNewsWire -->
<opml version="1.1">
	<head>
		<title>Subscriptions-OnMyMac.opml</title>
	</head>
<body>
	<outline text="Daring Fireball" title="Daring Fireball" description="" type="rss" version="RSS" htmlUrl="https://daringfireball.net/" xmlUrl="https://daringfireball.net/feeds/main"/>
	<outline text="Six Colors" title="" description="" type="rss" version="RSS" htmlUrl="" xmlUrl="https://sixcolors.com/feed/"/>
	<outline text="Blogs" title="Blogs">
		<outline text="inessential" title="inessential" type="rss" version="RSS" htmlUrl="https://inessential.com/" xmlUrl="https://inessential.com/xml/rss.xml"/>
	</outline>
</body>
</opml>"#,
        );
        assert_eq!(opml.outlines.len(), 3);
        assert_eq!(opml.outlines[1].title.as_deref(), Some("Six Colors"));
        assert_eq!(opml.outlines[1].html_url, None);
        assert_eq!(opml.outlines[2].categories, ["Blogs"]);
    }

    #[test]
    fn entities_bom_case_and_missing_head() {
        let mut doc = vec![0xEF, 0xBB, 0xBF];
        doc.extend_from_slice(
            "<OPML VERSION=\"1.0\"><BODY>\
             <OUTLINE TEXT=\"Caf&eacute;&nbsp;Society &amp; Co &#8212; &#x2603; &#150; &unknown; R&D\" \
              XMLURL=\"https://example.com/feed?a=1&b=2\" HTMLURL='https://example.com/?x=1&amp;y=2'/>\
             <outline text=\"lower\" xmlurl=\"/relative/feed.xml\"/>\
             <outline text=\"mixed\" xmlURL=\"  https://example.com/mixed  \"/>\
             <outline text=\"empty\" xmlUrl=\"\"/>\
             <outline text=\"blank\" xmlUrl=\"   \"/>\
             </BODY></OPML>"
                .as_bytes(),
        );
        let opml = match parse_opml(&doc) {
            Ok(opml) => opml,
            Err(err) => panic!("{err}"),
        };
        assert_eq!(opml.title, None);
        let urls: Vec<&str> = opml.outlines.iter().map(|s| s.xml_url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://example.com/feed?a=1&b=2",
                "/relative/feed.xml",
                "https://example.com/mixed"
            ]
        );
        assert_eq!(
            opml.outlines[0].title.as_deref(),
            Some("Café\u{a0}Society & Co \u{2014} \u{2603} \u{2013} &unknown; R&D")
        );
        assert_eq!(
            opml.outlines[0].html_url.as_deref(),
            Some("https://example.com/?x=1&y=2")
        );
    }

    #[test]
    fn head_title_forms() {
        let opml = parse(
            "<opml><head><title>\r\n  A &amp; <![CDATA[<B>]]> &lt;C&gt;\r\n</title><title>second</title></head></opml>",
        );
        assert_eq!(opml.title.as_deref(), Some("A & <B> <C>"));
        assert_eq!(opml.outlines, []);
        assert_eq!(parse("<opml><head><title/></head></opml>").title, None);
        assert_eq!(
            parse("<opml><title>No head</title><body/></opml>")
                .title
                .as_deref(),
            Some("No head")
        );
        // An outline's own title attribute is not the document title; nor is a title deeper down.
        assert_eq!(
            parse("<opml><body><x><title>deep</title></x></body></opml>").title,
            None
        );
    }

    #[test]
    fn duplicates_first_wins_categories_merge() {
        let opml = parse(
            r#"<opml version="2.0"><body>
              <outline text="A"><outline text="First" xmlUrl="https://example.com/f"/></outline>
              <outline text="B"><outline text="Second" xmlUrl="https://example.com/f" htmlUrl="https://example.com/"/></outline>
              <outline text="A"><outline xmlUrl="https://example.com/f" category="/C"/></outline>
            </body></opml>"#,
        );
        assert_eq!(
            opml.outlines,
            [Subscription {
                xml_url: "https://example.com/f".into(),
                html_url: Some("https://example.com/".into()),
                title: Some("First".into()),
                categories: vec!["A".into(), "B".into(), "C".into()],
            }]
        );
    }

    #[test]
    fn unclosed_outlines_and_stray_end_tags() {
        // Some generators never close subscription outlines; `</outline>` then closes the innermost one, so
        // the folder stays open for "Three" (as it would in any reader that nests by the markup), and a stray
        // `</span>` is ignored.
        let opml = parse(
            r#"<opml><body>
              <outline text="News">
                <outline text="One" xmlUrl="https://example.com/1">
                <outline text="Two" xmlUrl="https://example.com/2"></outline>
              </outline></span>
              <outline text="Three" xmlUrl="https://example.com/3"/>
            </body></opml>trailing junk <not closed"#,
        );
        let cats: Vec<&[String]> = opml
            .outlines
            .iter()
            .map(|s| s.categories.as_slice())
            .collect();
        let news = ["News".to_owned()];
        assert_eq!(cats, [&news[..], &news, &news]);
    }

    #[test]
    fn not_opml_errors() {
        assert_eq!(
            error(b""),
            "expected an OPML document, found an empty document"
        );
        assert_eq!(
            error(b" \n\t "),
            "expected an OPML document, found an empty document"
        );
        assert_eq!(
            error(b"{\"version\": \"https://jsonfeed.org/version/1.1\"}"),
            "expected an OPML document, found text starting with \"{\\\"version\\\": \\\"https://jsonfeed.org/versio\""
        );
        assert_eq!(
            error(b"<!DOCTYPE html><html><head><title>Hi</title></head></html>"),
            "expected an <opml> root element, found <html>"
        );
        assert_eq!(
            error(b"<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel/></rss>"),
            "expected an <opml> root element, found <rss>"
        );
        assert_eq!(
            error(b"<?xml version=\"1.0\"?><!-- nothing -->"),
            "expected an <opml> root element, found none"
        );
        assert_eq!(
            error(b"<opml>\n<body>\n  <outline text=\"cut\" xmlUrl=\"https://exa"),
            "malformed XML in the OPML document at line 3, column 3"
        );
    }

    #[test]
    fn malformed_error_has_source() {
        let Err(err) = parse_opml(b"<opml><body><!-- never closed") else {
            panic!("expected an error");
        };
        assert!(
            matches!(err, OpmlError::Malformed { line: 1, .. }),
            "{err:?}"
        );
        assert!(std::error::Error::source(&err).is_some());
    }

    #[test]
    fn error_is_send_sync() {
        fn check<T: Send + Sync + 'static>() {}
        check::<OpmlError>();
    }

    #[test]
    fn legacy_charset_is_decoded() {
        let opml = match parse_opml(
            b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><opml><body><outline text=\"Caf\xe9\" xmlUrl=\"u\"/></body></opml>",
        ) {
            Ok(opml) => opml,
            Err(err) => panic!("{err}"),
        };
        assert_eq!(opml.outlines[0].title.as_deref(), Some("Café"));
    }

    #[test]
    fn write_format() {
        let subs = [
            Subscription {
                xml_url: "https://example.com/a?x=1&y=2".into(),
                html_url: Some("https://example.com/".into()),
                title: Some("A \"quoted\" <title>".into()),
                categories: vec!["News/World".into(), "Wire".into()],
            },
            sub("https://example.com/b", None, &["News"]),
            sub("https://example.com/c", Some("C"), &[]),
        ];
        let expected = r#"<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head>
    <title>Mine &amp; yours</title>
    <dateCreated>Mon, 02 Jun 2025 10:00:00 GMT</dateCreated>
  </head>
  <body>
    <outline text="News" title="News">
      <outline text="World" title="World">
        <outline type="rss" text="A &quot;quoted&quot; &lt;title&gt;" title="A &quot;quoted&quot; &lt;title&gt;" xmlUrl="https://example.com/a?x=1&amp;y=2" htmlUrl="https://example.com/" category="/News/World,/Wire"/>
      </outline>
      <outline type="rss" text="" xmlUrl="https://example.com/b" category="/News"/>
    </outline>
    <outline type="rss" text="C" title="C" xmlUrl="https://example.com/c"/>
  </body>
</opml>
"#;
        assert_eq!(
            write_opml("Mine & yours", &subs, "Mon, 02 Jun 2025 10:00:00 GMT"),
            expected
        );
    }

    fn round_trip(title: &str, subs: &[Subscription]) {
        let written = write_opml(title, subs, "Mon, 02 Jun 2025 10:00:00 GMT");
        let opml = match parse_opml(written.as_bytes()) {
            Ok(opml) => opml,
            Err(err) => panic!("{err}\n{written}"),
        };
        assert_eq!(opml.title.as_deref(), Some(title), "{written}");
        assert_eq!(opml.outlines, subs, "{written}");
    }

    #[test]
    fn round_trips() {
        round_trip("Empty", &[]);
        round_trip(
            "Flat",
            &[
                sub("https://example.com/1", Some("One"), &[]),
                sub("/relative", None, &[]),
            ],
        );
        round_trip(
            "Nested & interleaved",
            &[
                sub(
                    "https://example.com/1",
                    Some("One"),
                    &["News/World/Europe", "Wire"],
                ),
                sub("https://example.com/2", Some("Two"), &["News/World"]),
                sub("https://example.com/3", Some("Three"), &["Tech"]),
                sub("https://example.com/4", Some("Four"), &["News"]),
                sub("https://example.com/5", Some("Five"), &[]),
                sub(
                    "https://example.com/6",
                    Some("Six"),
                    &["News/World", "News"],
                ),
            ],
        );
        round_trip(
            "Spécial <&> \"quotes\" 'apostrophes' 日本語",
            &[
                Subscription {
                    xml_url: "https://example.com/feed?a=1&b=<2>&c=\"3\"&d='4'".into(),
                    html_url: Some("https://example.com/é?q=ü&r=ß".into()),
                    title: Some("Tom & Jerry's <b>\"Best\"</b>\tof\nnews — Ωμέγα 🎉".into()),
                    categories: vec!["Caf\u{e9} & Bar/<Sub>".into(), "Ünïcode \"q\"".into()],
                },
                sub("https://例え.jp/フィード", Some("例え"), &["日本/ニュース"]),
                sub(
                    "https://example.com/x",
                    Some("&amp; stays &amp;"),
                    &["a, b", "c"],
                ),
            ],
        );
    }

    #[test]
    fn parsed_lists_are_fixed_points() {
        let first = parse(
            r#"<opml><head><title> T </title></head><body>
              <outline text=" A / B ">
                <outline text=" x " xmlUrl=" https://example.com/x " htmlUrl=" " category="//C//D/, E"/>
              </outline>
              <outline text="Sci, Tech"><outline text="y" xmlUrl="https://example.com/y"/></outline>
            </body></opml>"#,
        );
        assert_eq!(first.outlines[0].categories, ["A/B", "C/D", "E"]);
        assert_eq!(first.outlines[1].categories, ["Sci, Tech"]);
        let title = first.title.clone().unwrap_or_default();
        round_trip(&title, &first.outlines);
    }

    #[test]
    fn hostile_inputs_stay_bounded() {
        // Deeply nested unclosed folders: the folder path stops growing at the category limit.
        let mut doc = String::from("<opml><body>");
        for _ in 0..20_000 {
            doc.push_str("<outline text=\"folder\"><outline xmlUrl=\"u\" category=\"/c\"/>");
        }
        let opml = parse(&doc);
        assert_eq!(opml.outlines.len(), 1);
        assert!(opml.outlines[0].categories.len() <= MAX_CATEGORIES);
        assert!(
            opml.outlines[0]
                .categories
                .iter()
                .all(|c| c.len() <= MAX_CATEGORY_LEN)
        );

        // Many distinct subscriptions under a long path, and runs of `&`.
        let mut doc = String::from("<opml><body><outline text=\"");
        doc.push_str(&"p".repeat(100_000));
        doc.push_str("\">");
        for idx in 0..10_000 {
            doc.push_str(&format!(
                "<outline text=\"{}\" xmlUrl=\"u{idx}\"/>",
                "&".repeat(50)
            ));
        }
        let opml = parse(&doc);
        assert_eq!(opml.outlines.len(), 10_000);
        assert!(opml.outlines.iter().all(|s| s.categories.is_empty()));

        // Arbitrary bytes never panic.
        for junk in [
            &b"<opml"[..],
            b"<opml><",
            b"<opml></",
            b"<opml><outline xmlUrl=u",
            b"<opml><outline \xff\xfe xmlUrl='a&#xFFFFFFFFF;&#0;&#1;&#xD800;'/>",
            b"<opml><outline xmlUrl='&;&#;&#x;&amp&'/></opml>",
            b"<a:opml xmlns:a='x'><a:outline xmlUrl='u'/></a:opml>",
            b"\0\0\0\0",
            b"<\0o\0p\0m\0l\0>\0",
        ] {
            let _ = parse_opml(junk);
        }
    }

    /// `(xml_url, html_url, title, categories)` before normalization.
    type RawSubscription = (String, Option<String>, Option<String>, Vec<String>);

    /// A list in the form `parse_opml` produces: trimmed, non-empty values, unique URLs, normalized and unique
    /// categories, commas only in a first category.
    fn normalized(raw: Vec<RawSubscription>) -> Vec<Subscription> {
        let mut seen = std::collections::HashSet::new();
        let mut subs = Vec::new();
        for (xml_url, html_url, title, raw_categories) in raw {
            let Some(xml_url) = non_empty(&xml_url) else {
                continue;
            };
            if !seen.insert(xml_url.clone()) {
                continue;
            }
            let mut categories = Vec::new();
            for category in raw_categories.iter().filter_map(|c| normalize_category(c)) {
                if categories.is_empty() || !category.contains(',') {
                    add_category(&mut categories, category);
                }
            }
            subs.push(Subscription {
                xml_url,
                html_url: html_url.as_deref().and_then(non_empty),
                title: title.as_deref().and_then(non_empty),
                categories,
            });
        }
        subs
    }

    const CHARS: &str = "[a-c &<>\"'\t\n\r/,;#é日\u{a0}]{0,12}";

    proptest::proptest! {
        #[test]
        fn round_trip_property(
            title in "[a-z &<>\"'é]{1,12}",
            raw in proptest::collection::vec(
                (
                    CHARS,
                    proptest::option::of(CHARS),
                    proptest::option::of(CHARS),
                    proptest::collection::vec(CHARS, 0..4),
                ),
                0..8,
            ),
        ) {
            let subs = normalized(raw);
            let title = title.trim();
            proptest::prop_assume!(!title.is_empty());
            let written = write_opml(title, &subs, "today");
            let opml = parse_opml(written.as_bytes());
            proptest::prop_assert!(opml.is_ok(), "{:?}\n{}", opml, written);
            let opml = opml.unwrap_or_default();
            proptest::prop_assert_eq!(opml.title.as_deref(), Some(title));
            proptest::prop_assert_eq!(opml.outlines, subs, "{}", written);
        }

        #[test]
        fn arbitrary_markup_never_panics(s in "[<>/!?&;#a-zA-Z =\"'\\[\\]CDAT-]{0,300}") {
            let _ = parse_opml(format!("<opml><body><outline text='x'>{s}").as_bytes());
            let _ = parse_opml(s.as_bytes());
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
            let _ = parse_opml(&bytes);
        }
    }

    #[test]
    fn references() {
        let mut out = String::new();
        unescape_into(
            "&#x41;&#66;&#0;&#1;&#xD800;&#150;&lt;&nbsp;&NotAnEntity;&amp &",
            true,
            &mut out,
        );
        assert_eq!(out, "AB\u{FFFD}\u{FFFD}\u{2013}<\u{a0}&NotAnEntity;&amp &");
        let mut out = String::new();
        unescape_into("a\r\nb\rc\td\ne", true, &mut out);
        assert_eq!(out, "a b c d e");
        let mut out = String::new();
        unescape_into("a\r\nb\rc\td\ne&#10;", false, &mut out);
        assert_eq!(out, "a\nb\nc\td\ne\n");
    }
}
