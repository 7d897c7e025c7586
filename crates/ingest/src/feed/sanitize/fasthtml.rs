//! A single-pass fast path for the clean subset of feed content HTML: sanitizes it exactly as
//! [`super::sanitize`]'s ammonia allow-list does and reads its body blocks exactly as
//! [`crate::html::fragment_blocks`] does, without building a DOM.
//!
//! # The subset
//!
//! Most entry content is already clean: well-nested paragraphs, headings, lists, quotes, figures, links,
//! images and inline emphasis. For such a fragment, html5ever's tree builder does nothing but nest the
//! elements as written, ammonia only drops attributes, and html5ever's serializer writes the same tree back
//! with canonical quoting and escaping; so one pass over the bytes can produce the same string, and the same
//! walk [`crate::html::blocks`] does over the DOM can run on the open-element stack.
//!
//! A fragment is accepted when it has only:
//!
//! - elements of the allow-list except the table family: `p div blockquote figure figcaption h1`–`h6 ul ol li
//!   dl dt dd pre hr br img a em strong b i u s del ins mark small code kbd samp var q cite abbr time span sub
//!   sup`, in any ASCII case, closed in the order opened (elements still open at the end are closed there, as
//!   the tree builder does); void elements (`br`, `hr`, `img`) may be written `<br/>`;
//! - no construct the tree builder would fix up: no element that closes a `p` while a `p` is open, no heading
//!   inside a heading, no `a` inside an `a`, `li` only directly in `ul`/`ol` and `dt`/`dd` only directly in
//!   `dl`, no end tag that is not the current element's;
//! - attributes quoted with `"` or `'`, unquoted without `"'<=` and backquote, or without a value; attributes
//!   outside the allow-list are dropped (ammonia keeps the order of the rest), an `href`/`src` that does not
//!   parse as a URL is dropped as ammonia drops it, and any `data:` URL falls back (ammonia reorders
//!   attributes when it filters those);
//! - character references ending in `;` that html5ever decodes as written: any HTML named reference, and
//!   numeric references to characters other than NUL, C0/C1 controls (but tab and line feed), surrogates and
//!   non-characters; a `&` not followed by a letter, digit or `#` is a literal `&`, a `<` not followed by a
//!   letter, `/`, `!` or `?` a literal `<`.
//!
//! Anything else makes [`sanitize`] and [`body_blocks`] return `None`, and the caller takes the slow path
//! (ammonia, or the DOM of [`crate::html`]); in particular comments, doctypes, CDATA, processing
//! instructions, unknown, dropped and unwrapped elements, tables, raw-text elements, duplicate attributes,
//! references without `;` or unknown to HTML, CR and NUL characters, a leading byte order mark, a `<pre>`
//! followed by a reference, nesting deeper than [`MAX_DEPTH`] and more than [`MAX_NODES`] elements (the
//! limits of [`crate::html::dom`], kept well away from).
//!
//! # Feed source
//!
//! [`sanitize_source`] takes HTML as the feed wrote it and stands for the whole chain `read_html` applies:
//! `escape_stray_markup` (a `&` that starts no `;`-terminated reference is a literal `&`), then
//! `resolve_html_urls` (relative `href`, `src` and `poster` resolved against the base), then the sanitizer.
//! A relative URL written with a reference in it, or resolving to a `'` inside a single-quoted value, falls
//! back to the chain.
//!
//! # Output
//!
//! The HTML is written as html5ever's serializer writes it: lower-case names, kept attributes in source
//! order as `name="value"`, text with `&`, `<`, `>` and U+00A0 escaped (`&amp;`, `&lt;`, `&gt;`, `&nbsp;`),
//! attribute values with `"` escaped as well, no end tag for void elements, and the line feed the tree
//! builder drops after `<pre>` left out.
//!
//! The blocks follow [`crate::html::blocks`]: the same block elements, block kinds, `<br>` runs, dropped
//! elements (`img`, `figcaption`) and caption classes, and the same white-space collapsing.
//!
//! # Trust
//!
//! Equality with the slow path is what the tests check: unit tests per construct and fallback, a
//! differential test over every fixture feed (replaying every fragment the feed parser sanitizes), and
//! property tests over generated fragments that mix allowed and disallowed markup; each asserts that
//! whenever the fast path answers, it answers what ammonia and the DOM walk answer.
//!
//! Everything is one forward pass: text runs are found eight bytes at a time, each tag is read once, the
//! open-element stack is bounded, and the checks per tag look at the current element or at counters, so
//! the work is linear in the input.

use std::borrow::Cow;

use html5ever::data::NAMED_ENTITIES;
use newswire_model::{Block, BlockKind};
use url::Url;

use crate::feed::text::starts_reference;
use crate::html::blocks::{is_block, is_dropped};
use crate::html::text::{is_invisible, is_space};
use crate::swar::{find_byte, splat, zero_bytes};

/// Deepest nesting of open elements accepted (the DOM flattens beyond 512).
pub(crate) const MAX_DEPTH: usize = 100;

/// Most elements accepted: with the text between them, at most twice as many nodes and one more (the DOM
/// stops at 500,000 nodes).
pub(crate) const MAX_NODES: usize = 100_000;

/// Most attributes on one element (duplicate detection is a linear scan).
const MAX_ATTRIBUTES: usize = 16;

/// `html` sanitized as [`super::sanitize`] would (byte for byte), or `None` when the fragment is outside the
/// fast path's subset (see the module docs).
pub(crate) fn sanitize(html: &str) -> Option<String> {
    run(html, true, false).map(|(html, _)| html)
}

/// The body blocks of `html` exactly as [`crate::html::fragment_blocks`] reads them, or `None` when the
/// fragment is outside the fast path's subset (see the module docs).
pub(crate) fn body_blocks(html: &str) -> Option<Vec<Block>> {
    run(html, false, true).map(|(_, blocks)| blocks)
}

/// Feed HTML source sanitized as `sanitize(resolve_html_urls(escape_stray_markup(source), base))` would
/// be (byte for byte), in one pass, or `None` when the fragment is outside the fast path's subset.
///
/// Beyond [`sanitize`]: a `&` that starts no reference ending in `;` is a literal `&` (as
/// `escape_stray_markup` makes it), and relative `href`, `src` and `poster` values are resolved against
/// `base`. A relative value written with a reference in it, or one whose resolution would end a
/// single-quoted value early, falls back.
pub(crate) fn sanitize_source(source: &str, base: &Url) -> Option<String> {
    run_with_base(source, Some(base), true, false).map(|(html, _)| html)
}

/// Both at once: the sanitized HTML and the body blocks of the *sanitized* HTML (attributes the sanitizer
/// drops, such as `hidden`, are not seen by the blocks).
#[cfg(test)]
pub(crate) fn sanitize_with_blocks(html: &str) -> Option<(String, Vec<Block>)> {
    run(html, true, true)
}

/// Runs the fast path, writing HTML when `write_html` and blocks when `read_blocks`. With blocks but no HTML
/// the blocks are those of `html` as given, so an attribute the walk reads but the sanitizer drops
/// (`hidden`) falls back.
fn run(html: &str, write_html: bool, read_blocks: bool) -> Option<(String, Vec<Block>)> {
    run_with_base(html, None, write_html, read_blocks)
}

/// [`run`], reading `html` as feed source to be resolved against `base` when given.
fn run_with_base(
    html: &str,
    base: Option<&Url>,
    write_html: bool,
    read_blocks: bool,
) -> Option<(String, Vec<Block>)> {
    // NUL and CR are found where they stop a run of text or sit in an attribute value; elsewhere in markup
    // they already fall out of the subset.
    if html.starts_with('\u{FEFF}') {
        return None;
    }
    let mut parser = Parser {
        src: html,
        bytes: html.as_bytes(),
        pos: 0,
        html: write_html.then(|| String::with_capacity(html.len() + html.len() / 16)),
        body: read_blocks.then(Body::default),
        strict_attributes: !write_html,
        base,
        stack: Vec::new(),
        open_p: 0,
        open_headings: 0,
        open_links: 0,
        nodes: 0,
        next_id: 0,
        attrs: Vec::new(),
    };
    parser.parse()?;
    let Parser { html, body, .. } = parser;
    Some((
        html.unwrap_or_default(),
        body.map(Body::finish).unwrap_or_default(),
    ))
}

/// An element of the subset, with what the tree builder and the sanitizer need to know about it.
#[derive(Clone, Copy)]
struct Tag {
    name: &'static str,
    /// No content and no end tag.
    void: bool,
    /// Its start tag closes an open `p` (the tree builder's "close a p element").
    closes_p: bool,
    heading: bool,
}

/// The element named `lower` (ASCII lower case), if the fast path handles it.
fn tag(lower: &str) -> Option<Tag> {
    let name = match lower {
        "a" => "a",
        "abbr" => "abbr",
        "b" => "b",
        "blockquote" => "blockquote",
        "br" => "br",
        "cite" => "cite",
        "code" => "code",
        "dd" => "dd",
        "del" => "del",
        "div" => "div",
        "dl" => "dl",
        "dt" => "dt",
        "em" => "em",
        "figcaption" => "figcaption",
        "figure" => "figure",
        "h1" => "h1",
        "h2" => "h2",
        "h3" => "h3",
        "h4" => "h4",
        "h5" => "h5",
        "h6" => "h6",
        "hr" => "hr",
        "i" => "i",
        "img" => "img",
        "ins" => "ins",
        "kbd" => "kbd",
        "li" => "li",
        "mark" => "mark",
        "ol" => "ol",
        "p" => "p",
        "pre" => "pre",
        "q" => "q",
        "s" => "s",
        "samp" => "samp",
        "small" => "small",
        "span" => "span",
        "strong" => "strong",
        "sub" => "sub",
        "sup" => "sup",
        "time" => "time",
        "u" => "u",
        "ul" => "ul",
        "var" => "var",
        _ => return None,
    };
    let heading = matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
    Some(Tag {
        name,
        void: matches!(name, "br" | "hr" | "img"),
        closes_p: heading
            || matches!(
                name,
                "blockquote"
                    | "dd"
                    | "div"
                    | "dl"
                    | "dt"
                    | "figcaption"
                    | "figure"
                    | "hr"
                    | "li"
                    | "ol"
                    | "p"
                    | "pre"
                    | "ul"
            ),
        heading,
    })
}

/// Resolves a relative `href`, `src` or `poster` value against `base` as `resolve_html_urls` does; `None`
/// when its rewriting cannot be followed exactly (a reference in a relative value, a `'` ending a
/// single-quoted value).
fn resolve_attribute(attr: &mut Attr<'_>, base: &Url) -> Option<()> {
    let Some(written) = attr.written else {
        return Some(());
    };
    if !matches!(&*attr.name, "href" | "src" | "poster") || attr.value.trim().is_empty() {
        return Some(());
    }
    if written.amp {
        // Only a value whose scheme was written plainly is sure to be left alone.
        let absolute = !written.amp_before_colon && scheme_of(attr.value.trim()).is_some();
        return absolute.then_some(());
    }
    if let Some(resolved) = super::super::text::resolve_url(base, &attr.value) {
        if written.quote == b'\'' && resolved.contains('\'') {
            return None;
        }
        attr.value = Cow::Owned(resolved);
    }
    Some(())
}

/// Whether the sanitizer's allow-list keeps attribute `attr` on element `tag`.
fn allowed_attribute(tag: &str, attr: &str) -> bool {
    super::GENERIC_ATTRIBUTES.contains(&attr)
        || super::TAG_ATTRIBUTES
            .iter()
            .any(|&(t, attrs)| t == tag && attrs.contains(&attr))
}

/// What ammonia does with an allowed `href`/`src` value: `Some(true)` keeps it, `Some(false)` drops it
/// (order-preserving), `None` is a `data:` URL, which the fast path leaves to the slow one.
fn url_verdict(value: &str) -> Option<bool> {
    let trimmed = value.trim_start();
    if trimmed
        .get(..5)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("data:"))
    {
        return None;
    }
    // The URL parser trims C0 controls and spaces and skips tabs and line feeds; without any of those, a
    // leading `scheme:` is what it reads as the scheme, and a scheme off the list drops the attribute whether
    // the rest parses or not.
    let plain = value.bytes().all(|b| b > b' ');
    if plain && let Some(scheme) = scheme_of(value) {
        let known = super::URL_SCHEMES
            .iter()
            .any(|known| known.eq_ignore_ascii_case(scheme));
        if !known {
            return Some(false);
        }
        if is_plain_web_url(value) {
            return Some(true);
        }
    }
    parsed_url_verdict(value)
}

/// [`url_verdict`] by the URL parser alone, as ammonia decides.
fn parsed_url_verdict(value: &str) -> Option<bool> {
    match Url::parse(value) {
        Ok(url) if url.scheme() == "data" => None,
        Ok(url) => Some(super::URL_SCHEMES.contains(&url.scheme())),
        Err(url::ParseError::RelativeUrlWithoutBase) => Some(true),
        Err(_) => Some(false),
    }
}

/// The scheme `value` starts with (`http` in `http:...`), by the URL parser's rules: an ASCII letter, then
/// letters, digits, `+`, `-` or `.`, then `:`.
fn scheme_of(value: &str) -> Option<&str> {
    let colon = value.find(':')?;
    let scheme = &value[..colon];
    let mut bytes = scheme.bytes();
    let valid = bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    valid.then_some(scheme)
}

/// Whether `value` is an `http`/`https` URL the URL parser is sure to accept: a host of lower-case
/// letters, digits and hyphens in non-empty dot-separated labels (none an IDNA `xn--` label, the last not
/// numeric, so no IPv4 parsing), no user info or port, then nothing or a path, query or fragment (which the
/// parser percent-encodes rather than rejects). Anything else is left to the parser.
fn is_plain_web_url(value: &str) -> bool {
    let Some(rest) = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
    else {
        return false;
    };
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..host_end];
    if host.len() > 253 {
        return false;
    }
    let mut labels = host.split('.').peekable();
    while let Some(label) = labels.next() {
        let valid = !label.is_empty()
            && label.len() <= 63
            && !label.starts_with("xn--")
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !valid {
            return false;
        }
        // The last label must not read as a number (`80`, `0x1f`), which would make the host IPv4.
        if labels.peek().is_none() && !label.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        {
            return false;
        }
    }
    true
}

/// Whether a class attribute marks an image caption or credit (as `crate::html::is_caption` reads it).
fn is_caption_class(class: &str) -> bool {
    let contains = |name: &[u8], part: &[u8]| {
        name.windows(part.len())
            .any(|window| window.eq_ignore_ascii_case(part))
    };
    class
        .split_ascii_whitespace()
        .any(|name| contains(name.as_bytes(), b"caption") || contains(name.as_bytes(), b"credit"))
}

/// The end of a run of text that can be copied as written: the next `<`, `&`, `>`, 0xC2 (the lead byte of
/// U+00A0), NUL or CR at or after `from`, or the end.
fn find_text_end(bytes: &[u8], from: usize) -> usize {
    find_byte(
        bytes,
        from,
        |w| {
            zero_bytes(w ^ splat(b'<'))
                | zero_bytes(w ^ splat(b'&'))
                | zero_bytes(w ^ splat(b'>'))
                | zero_bytes(w ^ splat(0xC2))
                | zero_bytes(w)
                | zero_bytes(w ^ splat(b'\r'))
        },
        |b| matches!(b, b'<' | b'&' | b'>' | 0xC2 | 0 | b'\r'),
    )
}

/// The end of a run of visible ASCII (`!` to `~`) at or after `from`.
fn find_visible_ascii_end(bytes: &[u8], from: usize) -> usize {
    find_byte(
        bytes,
        from,
        // Bytes below 0x21, or from 0x7F.
        |w| (w.wrapping_sub(splat(0x21)) | w | w.wrapping_add(splat(0x01))) & splat(0x80),
        |b| !(0x21..0x7F).contains(&b),
    )
}

/// HTML white space inside tags (CR never reaches here).
fn is_tag_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0C')
}

/// Appends `text` escaped as html5ever's serializer escapes text (`attribute` adds `"`).
fn escape_into(out: &mut String, text: &str, attribute: bool) {
    let bytes = text.as_bytes();
    let mut last = 0;
    let mut i = 0;
    while i < bytes.len() {
        let (rep, width) = match bytes[i] {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' if attribute => ("&quot;", 1),
            0xC2 if bytes.get(i + 1) == Some(&0xA0) => ("&nbsp;", 2),
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&text[last..i]);
        out.push_str(rep);
        i += width;
        last = i;
    }
    out.push_str(&text[last..]);
}

/// A decoded character reference: one or two characters.
type Decoded = (char, Option<char>);

/// An element on the stack of open elements.
struct Open {
    name: &'static str,
    id: u32,
}

/// An attribute of the start tag being read.
struct Attr<'a> {
    name: Cow<'a, str>,
    value: Cow<'a, str>,
    /// How the value was written: `None` without `=`, else the quote (0 for unquoted) and whether a `&`
    /// came before any `:`, or anywhere.
    written: Option<Written>,
}

/// How an attribute value was written.
#[derive(Clone, Copy)]
struct Written {
    quote: u8,
    amp_before_colon: bool,
    amp: bool,
}

struct Parser<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    html: Option<String>,
    body: Option<Body>,
    /// Fall back on attributes the block walk reads but the sanitizer drops (blocks of unsanitized HTML).
    strict_attributes: bool,
    /// For feed source: the base URL relative `href`/`src`/`poster` values resolve against, as
    /// `resolve_html_urls` does, after `escape_stray_markup` (see [`sanitize_source`]).
    base: Option<&'a Url>,
    stack: Vec<Open>,
    open_p: u32,
    open_headings: u32,
    open_links: u32,
    nodes: usize,
    next_id: u32,
    attrs: Vec<Attr<'a>>,
}

impl<'a> Parser<'a> {
    fn parse(&mut self) -> Option<()> {
        let len = self.bytes.len();
        while self.pos < len {
            // Runs of text without anything to decode or escape are copied as they are.
            let start = self.pos;
            self.pos = find_text_end(self.bytes, start);
            if self.pos > start {
                let text = &self.src[start..self.pos];
                self.text(text);
            }
            match self.bytes.get(self.pos) {
                None => break,
                Some(b'&') => {
                    self.pos += 1;
                    match self.char_ref()? {
                        Some(decoded) => self.decoded_text(decoded)?,
                        None => self.escaped_text("&", "&amp;"),
                    }
                }
                Some(b'<') => self.markup()?,
                Some(0 | b'\r') => return None,
                Some(b'>') => {
                    self.pos += 1;
                    self.escaped_text(">", "&gt;");
                }
                Some(_) => {
                    // 0xC2 leads a two-byte character: U+00A0 is escaped, the others are text.
                    let start = self.pos;
                    self.pos += 2;
                    if self.bytes.get(start + 1) == Some(&0xA0) {
                        self.escaped_text("\u{a0}", "&nbsp;");
                    } else {
                        let text = self.src.get(start..self.pos)?;
                        self.text(text);
                    }
                }
            }
        }
        while let Some(open) = self.stack.pop() {
            self.close(&open);
        }
        Some(())
    }

    /// Text that needs no escaping (no `&`, `<`, `>` or U+00A0 in it).
    fn text(&mut self, text: &str) {
        if let Some(html) = &mut self.html {
            html.push_str(text);
        }
        if let Some(body) = &mut self.body {
            body.text(text);
        }
    }

    /// Text written escaped as `escaped`.
    fn escaped_text(&mut self, text: &str, escaped: &str) {
        if let Some(html) = &mut self.html {
            html.push_str(escaped);
        }
        if let Some(body) = &mut self.body {
            body.text(text);
        }
    }

    fn decoded_text(&mut self, (first, second): Decoded) -> Option<()> {
        let mut buf = [0u8; 8];
        let len = first.encode_utf8(&mut buf).len();
        let len = match second {
            Some(c) => len + c.encode_utf8(&mut buf[len..]).len(),
            None => len,
        };
        let text = std::str::from_utf8(&buf[..len]).ok()?;
        if let Some(html) = &mut self.html {
            escape_into(html, text, false);
        }
        if let Some(body) = &mut self.body {
            body.text(text);
        }
        Some(())
    }

    /// At a `<`: a start tag, an end tag, or a literal `<`.
    fn markup(&mut self) -> Option<()> {
        match self.bytes.get(self.pos + 1) {
            Some(b) if b.is_ascii_alphabetic() => {
                self.pos += 1;
                self.start_tag()
            }
            Some(b'/') => {
                self.pos += 2;
                self.end_tag()
            }
            Some(b'!' | b'?') => None,
            _ => {
                self.pos += 1;
                self.escaped_text("<", "&lt;");
                Some(())
            }
        }
    }

    /// Reads a tag name (at least one ASCII letter, then letters and digits) and looks it up.
    fn tag_name(&mut self) -> Option<Tag> {
        let start = self.pos;
        while self.pos < self.bytes.len() && self.bytes[self.pos].is_ascii_alphanumeric() {
            self.pos += 1;
        }
        let raw = &self.src[start..self.pos];
        if raw.len() > 10 || !raw.bytes().next()?.is_ascii_alphabetic() {
            return None;
        }
        // The name runs to white space, `/` or `>`; any other character would be part of it.
        match self.bytes.get(self.pos) {
            Some(&b) if is_tag_space(b) || matches!(b, b'/' | b'>') => {}
            _ => return None,
        }
        let mut lower = [0u8; 10];
        let lower = lower.get_mut(..raw.len())?;
        lower.copy_from_slice(raw.as_bytes());
        lower.make_ascii_lowercase();
        tag(std::str::from_utf8(lower).ok()?)
    }

    fn skip_space(&mut self) {
        while self.pos < self.bytes.len() && is_tag_space(self.bytes[self.pos]) {
            self.pos += 1;
        }
    }

    fn end_tag(&mut self) -> Option<()> {
        let tag = self.tag_name()?;
        self.skip_space();
        if self.bytes.get(self.pos) != Some(&b'>') {
            return None;
        }
        self.pos += 1;
        let open = self.stack.pop()?;
        if open.name != tag.name {
            return None;
        }
        self.close(&open);
        Some(())
    }

    /// Writes the end of an open element and leaves it in the block walk.
    fn close(&mut self, open: &Open) {
        match open.name {
            "p" => self.open_p -= 1,
            "a" => self.open_links -= 1,
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => self.open_headings -= 1,
            _ => {}
        }
        if let Some(html) = &mut self.html {
            html.push_str("</");
            html.push_str(open.name);
            html.push('>');
        }
        if let Some(body) = &mut self.body {
            body.exit(open.name, open.id);
        }
    }

    fn start_tag(&mut self) -> Option<()> {
        let tag = self.tag_name()?;
        let self_closing = self.attributes()?;
        if self_closing && !tag.void {
            return None;
        }
        // What the tree builder would fix up.
        let current = self.stack.last().map(|open| open.name);
        if (tag.closes_p && self.open_p > 0)
            || (tag.heading && self.open_headings > 0)
            || (tag.name == "a" && self.open_links > 0)
            || (tag.name == "li" && !matches!(current, Some("ul" | "ol")))
            || (matches!(tag.name, "dd" | "dt") && current != Some("dl"))
        {
            return None;
        }
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return None;
        }
        let id = self.next_id;
        self.next_id += 1;

        let mut class = None;
        let mut hidden = false;
        if let Some(html) = &mut self.html {
            html.push('<');
            html.push_str(tag.name);
        }
        if let Some(base) = self.base {
            for attr in &mut self.attrs {
                resolve_attribute(attr, base)?;
            }
        }
        for attr in &self.attrs {
            let name = &*attr.name;
            match name {
                "class" => class = Some(&*attr.value),
                "hidden" if self.strict_attributes => hidden = true,
                _ => {}
            }
            let Some(html) = &mut self.html else {
                continue;
            };
            if !allowed_attribute(tag.name, name) {
                continue;
            }
            if matches!(name, "href" | "src") && !url_verdict(&attr.value)? {
                continue;
            }
            html.push(' ');
            html.push_str(name);
            html.push_str("=\"");
            escape_into(html, &attr.value, true);
            html.push('"');
        }
        if let Some(html) = &mut self.html {
            html.push('>');
        }
        if let Some(body) = &mut self.body {
            body.enter(tag, id, class, hidden);
        }
        if tag.void {
            return Some(());
        }
        if self.stack.len() >= MAX_DEPTH {
            return None;
        }
        self.stack.push(Open { name: tag.name, id });
        match tag.name {
            "p" => self.open_p += 1,
            "a" => self.open_links += 1,
            _ if tag.heading => self.open_headings += 1,
            "pre" => match self.bytes.get(self.pos) {
                // The tree builder drops a line feed right after `<pre>`; one written as a reference is
                // left to the slow path.
                Some(b'\n') => self.pos += 1,
                Some(b'&') => return None,
                _ => {}
            },
            _ => {}
        }
        Some(())
    }

    /// Reads the attributes of a start tag into `self.attrs`, through its `>`; returns whether the tag was
    /// self-closing (`/>`).
    fn attributes(&mut self) -> Option<bool> {
        self.attrs.clear();
        loop {
            self.skip_space();
            match *self.bytes.get(self.pos)? {
                b'>' => {
                    self.pos += 1;
                    return Some(false);
                }
                b'/' => {
                    if self.bytes.get(self.pos + 1) != Some(&b'>') {
                        return None;
                    }
                    self.pos += 2;
                    return Some(true);
                }
                _ => {}
            }
            let name = self.attribute_name()?;
            self.skip_space();
            let (value, written) = if self.bytes.get(self.pos) == Some(&b'=') {
                self.pos += 1;
                self.skip_space();
                let (value, written) = self.attribute_value()?;
                (value, Some(written))
            } else {
                (Cow::Borrowed(""), None)
            };
            if self.attrs.len() >= MAX_ATTRIBUTES || self.attrs.iter().any(|a| a.name == name) {
                return None;
            }
            self.attrs.push(Attr {
                name,
                value,
                written,
            });
        }
    }

    fn attribute_name(&mut self) -> Option<Cow<'a, str>> {
        let start = self.pos;
        while self.pos < self.bytes.len() {
            match self.bytes[self.pos] {
                b if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.') => {
                    self.pos += 1;
                }
                b if is_tag_space(b) || matches!(b, b'/' | b'>' | b'=') => break,
                _ => return None,
            }
        }
        if self.pos == start {
            return None;
        }
        let name = &self.src[start..self.pos];
        Some(if name.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(name.to_ascii_lowercase())
        } else {
            Cow::Borrowed(name)
        })
    }

    fn attribute_value(&mut self) -> Option<(Cow<'a, str>, Written)> {
        let mut written = Written {
            quote: 0,
            amp_before_colon: false,
            amp: false,
        };
        let mut colon = false;
        let quote = match *self.bytes.get(self.pos)? {
            q @ (b'"' | b'\'') => {
                self.pos += 1;
                Some(q)
            }
            b'>' => return None,
            _ => None,
        };
        let mut owned: Option<String> = None;
        let mut last = self.pos;
        loop {
            let b = *self.bytes.get(self.pos)?;
            let ends = match quote {
                Some(q) => b == q,
                None => is_tag_space(b) || b == b'>',
            };
            if ends {
                break;
            }
            if (quote.is_none() && matches!(b, b'"' | b'\'' | b'<' | b'=' | b'`'))
                || matches!(b, 0 | b'\r')
            {
                return None;
            }
            colon |= b == b':';
            if b == b'&' {
                written.amp = true;
                written.amp_before_colon |= !colon;
                let amp = self.pos;
                self.pos += 1;
                if let Some((first, second)) = self.char_ref()? {
                    let out = owned.get_or_insert_with(String::new);
                    out.push_str(&self.src[last..amp]);
                    out.push(first);
                    if let Some(second) = second {
                        out.push(second);
                    }
                    last = self.pos;
                }
                continue;
            }
            self.pos += 1;
        }
        let tail = &self.src[last..self.pos];
        written.quote = quote.unwrap_or(0);
        if quote.is_some() {
            self.pos += 1;
            // After a quoted value: white space, `/` or `>` (anything else is a parse error).
            match self.bytes.get(self.pos) {
                Some(&b) if is_tag_space(b) || matches!(b, b'/' | b'>') => {}
                _ => return None,
            }
        }
        let value = match owned {
            Some(mut out) => {
                out.push_str(tail);
                Cow::Owned(out)
            }
            None => Cow::Borrowed(tail),
        };
        Some((value, written))
    }

    /// After a `&`: `Some(Some(chars))` for a reference html5ever decodes as written, `Some(None)` when the
    /// `&` is a literal one (not followed by a letter, digit or `#`), `None` for anything else.
    fn char_ref(&mut self) -> Option<Option<Decoded>> {
        // In feed source, `escape_stray_markup` has made a `&` that starts no reference a literal one.
        if self.base.is_some() && !starts_reference(self.bytes.get(self.pos..).unwrap_or_default())
        {
            return Some(None);
        }
        match self.bytes.get(self.pos) {
            Some(b'#') => {
                self.pos += 1;
                let hex = matches!(self.bytes.get(self.pos), Some(b'x' | b'X'));
                if hex {
                    self.pos += 1;
                }
                let radix = if hex { 16 } else { 10 };
                let start = self.pos;
                while self.pos < self.bytes.len() && (self.bytes[self.pos] as char).is_digit(radix)
                {
                    self.pos += 1;
                }
                let digits = &self.src[start..self.pos];
                if digits.is_empty() || digits.len() > 8 || self.bytes.get(self.pos) != Some(&b';')
                {
                    return None;
                }
                self.pos += 1;
                let n = u32::from_str_radix(digits, radix).ok()?;
                let plain = matches!(n, 0x09 | 0x0A | 0x20..=0x7E | 0xA0..=0x10_FFFF)
                    && !(0xFDD0..=0xFDEF).contains(&n)
                    && n & 0xFFFE != 0xFFFE;
                if !plain {
                    return None;
                }
                Some(Some((char::from_u32(n)?, None)))
            }
            Some(b) if b.is_ascii_alphanumeric() => {
                let start = self.pos;
                while self.pos < self.bytes.len()
                    && self.bytes[self.pos].is_ascii_alphanumeric()
                    && self.pos - start < 40
                {
                    self.pos += 1;
                }
                if self.bytes.get(self.pos) != Some(&b';') {
                    return None;
                }
                self.pos += 1;
                let &(first, second) = NAMED_ENTITIES.get(&self.src[start..self.pos])?;
                if first == 0 {
                    return None;
                }
                let second = match second {
                    0 => None,
                    c => Some(char::from_u32(c)?),
                };
                Some(Some((char::from_u32(first)?, second)))
            }
            _ => Some(None),
        }
    }
}

/// The block walk of [`crate::html::blocks`], driven by start tags, end tags and text instead of a DOM.
#[derive(Default)]
struct Body {
    out: Vec<Block>,
    /// Collapsed text of the block being read (`Collapser`).
    text: String,
    pending_space: bool,
    pre: String,
    kinds: Vec<(u32, BlockKind)>,
    br_run: u32,
    /// The element whose subtree is being skipped (dropped elements, captions).
    skip: Option<u32>,
}

fn block_kind(name: &str) -> Option<BlockKind> {
    Some(match name {
        "blockquote" => BlockKind::Quote,
        "li" => BlockKind::ListItem,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => BlockKind::Heading,
        "pre" => BlockKind::Preformatted,
        _ => return None,
    })
}

impl Body {
    fn kind(&self) -> BlockKind {
        self.kinds
            .last()
            .map_or(BlockKind::Paragraph, |&(_, kind)| kind)
    }

    fn enter(&mut self, tag: Tag, id: u32, class: Option<&str>, hidden: bool) {
        if self.skip.is_some() {
            return;
        }
        let name = tag.name;
        if is_dropped(name) || hidden || class.is_some_and(is_caption_class) {
            if is_block(name) {
                self.flush();
            }
            if !tag.void {
                self.skip = Some(id);
            }
            return;
        }
        match name {
            "br" => {
                if self.kind() == BlockKind::Preformatted {
                    self.pre.push('\n');
                } else {
                    self.br_run += 1;
                    if self.br_run >= 2
                        && matches!(self.kind(), BlockKind::Paragraph | BlockKind::Quote)
                    {
                        self.flush();
                    } else {
                        self.space();
                    }
                }
            }
            "hr" => self.flush(),
            _ if is_block(name) => {
                self.flush();
                if let Some(kind) = block_kind(name) {
                    self.kinds.push((id, kind));
                }
            }
            _ => {}
        }
    }

    fn exit(&mut self, name: &str, id: u32) {
        if let Some(skip) = self.skip {
            if skip == id {
                self.skip = None;
            }
            return;
        }
        if is_block(name) {
            self.flush();
            if self.kinds.last().is_some_and(|&(top, _)| top == id) {
                self.kinds.pop();
            }
        }
    }

    fn space(&mut self) {
        if !self.text.is_empty() {
            self.pending_space = true;
        }
    }

    fn text(&mut self, text: &str) {
        if self.skip.is_some() {
            return;
        }
        if self.kind() == BlockKind::Preformatted {
            self.pre.push_str(text);
            return;
        }
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            // Visible ASCII words with single spaces between them collapse to themselves.
            let mut end = find_visible_ascii_end(bytes, i);
            while end > i
                && bytes.get(end) == Some(&b' ')
                && bytes.get(end + 1).is_some_and(|b| (0x21..0x7F).contains(b))
            {
                end = find_visible_ascii_end(bytes, end + 1);
            }
            if end > i {
                self.visible(&text[i..end]);
                i = end;
                continue;
            }
            let b = bytes[i];
            if b.is_ascii() {
                if is_space(char::from(b)) {
                    self.space();
                } else {
                    self.visible(&text[i..=i]);
                }
                i += 1;
                continue;
            }
            let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
                return;
            };
            let width = c.len_utf8();
            if is_space(c) {
                self.space();
            } else if !is_invisible(c) {
                self.visible(&text[i..i + width]);
            }
            i += width;
        }
    }

    fn visible(&mut self, run: &str) {
        if self.pending_space {
            self.text.push(' ');
            self.pending_space = false;
        }
        self.text.push_str(run);
        self.br_run = 0;
    }

    fn flush(&mut self) {
        self.br_run = 0;
        let kind = self.kind();
        if !self.pre.is_empty() {
            let raw = std::mem::take(&mut self.pre);
            let text = raw.trim_start_matches('\n').trim_end();
            if !text.trim().is_empty() {
                self.out.push(Block {
                    kind: BlockKind::Preformatted,
                    text: text.to_owned(),
                });
            }
        }
        if !self.text.is_empty() {
            self.pending_space = false;
            // `text` keeps its capacity for the next block; the block gets an exact-size copy.
            let mut end = self.text.len();
            while self.text.get(..end).is_some_and(|t| t.ends_with(" |")) {
                end -= 2;
            }
            let text = self.text.get(..end).unwrap_or_default().to_owned();
            self.text.clear();
            let kind = if kind == BlockKind::Preformatted {
                BlockKind::Paragraph
            } else {
                kind
            };
            self.out.push(Block { kind, text });
        }
    }

    fn finish(mut self) -> Vec<Block> {
        self.flush();
        self.out
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use newswire_model::{Block, BlockKind};
    use proptest::prelude::*;

    use super::super::{RECORDED, RECORDED_SOURCES, sanitize_slow};
    use super::{MAX_DEPTH, body_blocks, sanitize, sanitize_source, sanitize_with_blocks};
    use crate::feed::text::{escape_stray_markup, resolve_html_urls};
    use crate::html::fragment_blocks_dom as fragment_blocks;

    /// Whenever the fast path answers for `input`, its answers equal the slow path's; returns whether it did.
    fn agrees(input: &str) -> bool {
        let slow = sanitize_slow(input);
        let fast = sanitize_with_blocks(input);
        if let Some((html, blocks)) = &fast {
            assert_eq!(html, &slow, "sanitized HTML of {input:?}");
            assert_eq!(
                blocks,
                &fragment_blocks(&slow),
                "blocks of the sanitized {input:?}"
            );
            assert_eq!(
                sanitize(input).as_ref(),
                Some(html),
                "html-only run of {input:?}"
            );
        }
        // The blocks-only run reads the fragment as given, as `State::finish` does with stored HTML.
        if let Some(blocks) = body_blocks(input) {
            assert_eq!(
                blocks,
                fragment_blocks(input),
                "blocks of {input:?} as given"
            );
        }
        if let Some(blocks) = body_blocks(&slow) {
            assert_eq!(blocks, fragment_blocks(&slow), "blocks of {slow:?}");
        }
        fast.is_some()
    }

    /// Whenever the one-pass source path answers for `source`, its answer equals escaping stray markup,
    /// resolving URLs and sanitizing with ammonia step by step; returns whether it did.
    fn agrees_source(source: &str, base: &url::Url) -> bool {
        let Some(html) = sanitize_source(source, base) else {
            return false;
        };
        let slow = sanitize_slow(&resolve_html_urls(&escape_stray_markup(source), base));
        assert_eq!(html, slow, "sanitized source {source:?} against {base}");
        true
    }

    fn base() -> url::Url {
        url::Url::parse("https://news.example/section/page.html?x=1").expect("a valid base")
    }

    /// Asserts the source path accepts `source` and agrees with the slow path; returns the HTML.
    #[track_caller]
    fn accepted_source(source: &str) -> String {
        assert!(
            agrees_source(source, &base()),
            "source path refused {source:?}"
        );
        sanitize_source(source, &base()).unwrap_or_default()
    }

    /// Asserts the fast path accepts `input` and agrees with the slow path; returns the HTML.
    #[track_caller]
    fn accepted(input: &str) -> String {
        assert!(agrees(input), "fast path refused {input:?}");
        sanitize(input).unwrap_or_default()
    }

    /// Asserts the fast path hands `input` to the slow path (both for the HTML and the blocks).
    #[track_caller]
    fn refused(input: &str) {
        assert!(sanitize(input).is_none(), "fast path accepted {input:?}");
        assert!(
            body_blocks(input).is_none(),
            "fast path read blocks of {input:?}"
        );
    }

    fn para(text: &str) -> Block {
        Block::paragraph(text)
    }

    fn block(kind: BlockKind, text: &str) -> Block {
        Block {
            kind,
            text: text.into(),
        }
    }

    #[test]
    fn plain_text_and_paragraphs() {
        assert_eq!(accepted(""), "");
        assert_eq!(accepted("just text"), "just text");
        assert_eq!(accepted("<p>One</p>\n<p>Two</p>"), "<p>One</p>\n<p>Two</p>");
        assert_eq!(
            body_blocks("<p>One</p>\n<p>  Two \n three </p>"),
            Some(vec![para("One"), para("Two three")])
        );
    }

    #[test]
    fn names_are_lower_cased_and_attributes_canonical() {
        assert_eq!(
            accepted("<P CLASS='lead' Title=x lang=\"en\">a</P>"),
            "<p class=\"lead\" title=\"x\" lang=\"en\">a</p>"
        );
        assert_eq!(accepted("<p class>a</p>"), "<p class=\"\">a</p>");
        assert_eq!(
            accepted("<p\ttitle = \"a\"\n>b</p >"),
            "<p title=\"a\">b</p>"
        );
    }

    #[test]
    fn attributes_outside_the_allow_list_are_dropped_in_order() {
        assert_eq!(
            accepted("<a rel=\"nofollow\" href=\"https://x.example/\" id=\"i\" title=\"t\">l</a>"),
            "<a href=\"https://x.example/\" title=\"t\">l</a>"
        );
        assert_eq!(
            accepted(
                "<img src=\"a.png\" srcset=\"b.png 2x\" alt=\"A\" width=\"10\" loading=\"lazy\">"
            ),
            "<img src=\"a.png\" alt=\"A\" width=\"10\">"
        );
        assert_eq!(
            accepted("<p style=\"color:red\" onclick=\"x()\">a</p>"),
            "<p>a</p>"
        );
        assert_eq!(accepted("<span href=\"x\">a</span>"), "<span>a</span>");
        assert_eq!(accepted("<p hidden>a</p>"), "<p>a</p>");
        assert_eq!(
            accepted("<ol start=\"3\"><li>a</li></ol><time datetime=\"2012\">t</time>"),
            "<ol start=\"3\"><li>a</li></ol><time datetime=\"2012\">t</time>"
        );
    }

    #[test]
    fn urls_are_filtered_like_ammonia() {
        assert_eq!(
            accepted("<a href=\"javascript:alert(1)\">x</a>"),
            "<a>x</a>"
        );
        assert_eq!(accepted("<a href=\"vbscript:x\">x</a>"), "<a>x</a>");
        assert_eq!(
            accepted("<a href=\"mailto:a@b.example\">x</a>"),
            "<a href=\"mailto:a@b.example\">x</a>"
        );
        assert_eq!(
            accepted("<a href=\"/rel?a=1&amp;b=2\">x</a>"),
            "<a href=\"/rel?a=1&amp;b=2\">x</a>"
        );
        assert_eq!(accepted("<a href=\"http://[::1\">x</a>"), "<a>x</a>");
        assert_eq!(accepted("<a href=\"\">x</a>"), "<a href=\"\">x</a>");
    }

    #[test]
    fn url_shortcuts_agree_with_the_parser() {
        for url in [
            "https://example.com/a?b#c",
            "http://a-b.example.org",
            "http://example.0x1f/",
            "http://1.2.3.4/",
            "http://example.123",
            "http://xn--abc.example/",
            "http://a..b/",
            "http://-a.example/",
            "http://a-.example/",
            "http://ab--cd.example/",
            "http://example.com./",
            "http://localhost",
            "https://e.example/p%zz?q=<x>#\"f\"",
            "http://Example.com/",
            "http://ex_ample.com/",
            "http://user@example.com/",
            "http://example.com:99999/",
            "http:///x",
            "https://",
            "file:///tmp/x.html",
            "javascript:alert(1)",
            "JavaScript:x",
            "mailto:a@b",
            "ftp://f.example/",
            "a:b",
            "1a:b",
            "/path:x",
            "relative/path",
        ] {
            assert_eq!(
                super::url_verdict(url),
                super::parsed_url_verdict(url),
                "{url}"
            );
        }
    }

    proptest! {
        #[test]
        fn url_shortcuts_agree_with_the_parser_on_generated_urls(
            url in "(https?|HTTP|ftp|file|javascript|tel|x-y)(:|://|:///)([a-z0-9.-]|0x|xn--|@|:|%|_){0,16}([/?#][a-z%]{0,4})?"
        ) {
            prop_assert_eq!(super::url_verdict(&url), super::parsed_url_verdict(&url), "{}", url);
        }
    }

    #[test]
    fn source_stray_markup_is_text() {
        assert_eq!(
            accepted_source("AT&T & co &copy 2012 &#; &1x; a<3"),
            "AT&amp;T &amp; co &amp;copy 2012 &amp;#; &amp;1x; a&lt;3"
        );
        assert_eq!(accepted_source("&copy; &#8217;"), "© ’");
        assert_eq!(
            accepted_source("<p title=\"R&D &amp; more\">x</p>"),
            "<p title=\"R&amp;D &amp; more\">x</p>"
        );
        // A reference html5ever would only half-match still falls back.
        assert!(sanitize_source("&notit;", &base()).is_none());
        agrees_source("&notit;", &base());
    }

    #[test]
    fn source_urls_are_resolved() {
        assert_eq!(
            accepted_source(
                "<a rel=\"nofollow\" href=\"2012/07/story/\">s</a> <img src='/i.png' alt=x> <a href=../up>u</a>"
            ),
            "<a href=\"https://news.example/section/2012/07/story/\">s</a> <img src=\"https://news.example/i.png\" alt=\"x\"> <a href=\"https://news.example/up\">u</a>"
        );
        assert_eq!(
            accepted_source(
                "<a href=\"#top\">t</a><a href=\" ?q=1 \">q</a><a href=\"\">e</a><a href>n</a>"
            ),
            "<a href=\"https://news.example/section/page.html?x=1#top\">t</a><a href=\"https://news.example/section/page.html?q=1\">q</a><a href=\"\">e</a><a href=\"\">n</a>"
        );
        assert_eq!(
            accepted_source("<a href=\"https://x.example/?a=1&amp;b=2\">x</a>"),
            "<a href=\"https://x.example/?a=1&amp;b=2\">x</a>"
        );
        // A relative value written with a reference, or resolving to a `'` inside `'...'`, falls back.
        for source in [
            "<a href=\"/p?a=1&amp;b=2\">x</a>",
            "<a href=\"h&#116;tp://x.example/\">x</a>",
            "<a href='/o'neil'>x</a>",
            "<a href='it&apos;s'>x</a>",
        ] {
            assert!(
                sanitize_source(source, &base()).is_none(),
                "accepted {source:?}"
            );
            agrees_source(source, &base());
        }
        let quote_base = url::Url::parse("https://news.example/o'neil/").expect("a valid base");
        assert!(sanitize_source("<a href='x'>x</a>", &quote_base).is_none());
        assert!(agrees_source("<a href=\"x\">x</a>", &quote_base));
    }

    #[test]
    fn text_escaping() {
        assert_eq!(
            accepted("a &amp; b &lt;c&gt; \"d\" 'e' > f"),
            "a &amp; b &lt;c&gt; \"d\" 'e' &gt; f"
        );
        assert_eq!(accepted("a\u{a0}b&nbsp;c"), "a&nbsp;b&nbsp;c");
        assert_eq!(accepted("x < y & z <3 &"), "x &lt; y &amp; z &lt;3 &amp;");
        assert_eq!(accepted("<p>a <</p>"), "<p>a &lt;</p>");
    }

    #[test]
    fn attribute_escaping() {
        assert_eq!(
            accepted("<p title='say \"hi\" &amp; <bye> &nbsp;'>a</p>"),
            "<p title=\"say &quot;hi&quot; &amp; &lt;bye&gt; &nbsp;\">a</p>"
        );
    }

    #[test]
    fn character_references() {
        assert_eq!(
            accepted("&#8217;&#x2019;&#X41;&#65;&copy;&hellip;"),
            "’’AA©…"
        );
        assert_eq!(accepted("&NotEqualTilde;"), "\u{2242}\u{338}");
        assert_eq!(accepted("&quot;&apos;&#39;"), "\"''");
        assert_eq!(accepted("&#9;&#10;"), "\t\n");
    }

    #[test]
    fn void_elements() {
        assert_eq!(accepted("a<br>b<BR/>c<br />"), "a<br>b<br>c<br>");
        assert_eq!(
            accepted("<hr><img src=\"x.png\"/>"),
            "<hr><img src=\"x.png\">"
        );
    }

    #[test]
    fn unclosed_elements_close_at_the_end() {
        assert_eq!(accepted("<p>a <em>b"), "<p>a <em>b</em></p>");
        assert_eq!(
            body_blocks("<ul><li>a"),
            Some(vec![block(BlockKind::ListItem, "a")])
        );
    }

    #[test]
    fn pre_drops_its_first_line_feed() {
        assert_eq!(accepted("<pre>\nx\n  y</pre>"), "<pre>x\n  y</pre>");
        assert_eq!(accepted("<pre>\n\nx</pre>"), "<pre>\nx</pre>");
        assert_eq!(
            body_blocks("<pre>  a\n b <br>c</pre>"),
            Some(vec![block(BlockKind::Preformatted, "  a\n b \nc")])
        );
        accepted("<pre><code>fn main() {}\n</code></pre><p>after</p>");
    }

    #[test]
    fn block_structure() {
        let html = "<h2>Head</h2><p>Para <strong>bold</strong> <a href=\"/x\">link</a></p>\
                    <blockquote><p>Q1</p><p>Q2</p></blockquote><ul><li>One</li><li>Two <ul><li>Inner</li></ul></li></ul>\
                    <dl><dt>T</dt><dd>D</dd></dl><div>Div <span>text</span></div>";
        accepted(html);
        assert_eq!(
            body_blocks(html),
            Some(vec![
                block(BlockKind::Heading, "Head"),
                para("Para bold link"),
                block(BlockKind::Quote, "Q1"),
                block(BlockKind::Quote, "Q2"),
                block(BlockKind::ListItem, "One"),
                block(BlockKind::ListItem, "Two"),
                block(BlockKind::ListItem, "Inner"),
                para("T"),
                para("D"),
                para("Div text"),
            ])
        );
    }

    #[test]
    fn line_breaks() {
        for html in [
            "<p>a<br>b</p>",
            "<p>a<br><br>b</p>",
            "<p>a<br> <br>b</p>",
            "<ul><li>a<br><br>b</li></ul>",
            "<blockquote>a<br><br>b</blockquote>",
            "a<br><br><br>b",
        ] {
            accepted(html);
        }
        assert_eq!(
            body_blocks("<p>a<br><br>b</p>"),
            Some(vec![para("a"), para("b")])
        );
    }

    #[test]
    fn figures_images_and_captions() {
        let html = "<figure><img src=\"a.jpg\" alt=\"A\"><figcaption>Cap <em>x</em></figcaption></figure>\
                    <p class=\"wp-caption-text\">Credit</p><p>Body</p><span class=\"Photo-Credit\">AP</span>";
        accepted(html);
        assert_eq!(body_blocks(html), Some(vec![para("Body")]));
        accepted("<div class=\"wp-caption\"><img src=\"a.jpg\"><p>c</p></div><p>b</p>");
    }

    #[test]
    fn inline_elements() {
        accepted(
            "<p><em>a</em> <b>b</b> <i>c</i> <u>d</u> <s>e</s> <del>f</del> <ins>g</ins> <mark>h</mark> \
             <small>i</small> <code>j</code> <kbd>k</kbd> <samp>l</samp> <var>m</var> <q>n</q> \
             <cite>o</cite> <abbr title=\"p\">p</abbr> <time>q</time> <span>r</span> x<sub>2</sub> y<sup>3</sup></p>",
        );
        accepted("<b><b><b><b>deep</b></b></b></b>");
        accepted("<a href=\"/x\"><p>block in link</p></a>");
    }

    #[test]
    fn invisible_and_unicode_space() {
        accepted("<p>a\u{200b}b \u{2003} c\u{ad}d\u{3000}</p>");
        accepted("<p>data | cell |</p><p>x |</p>");
        assert_eq!(body_blocks("<p>x | |</p>"), Some(vec![para("x")]));
    }

    #[test]
    fn blocks_only_run_honours_hidden() {
        assert_eq!(
            body_blocks("<p hidden>a</p><p>b</p>"),
            Some(vec![para("b")])
        );
        assert_eq!(
            sanitize_with_blocks("<p hidden>a</p><p>b</p>").map(|(_, blocks)| blocks),
            Some(vec![para("a"), para("b")])
        );
    }

    #[test]
    fn falls_back_on_markup_outside_the_subset() {
        for html in [
            // comments, declarations, processing instructions
            "a<!-- c -->b",
            "<!DOCTYPE html><p>a</p>",
            "<![CDATA[x]]>",
            "<?php x ?>",
            // unknown, unwrapped, dropped and raw-text elements; tables
            "<font>a</font>",
            "<article>a</article>",
            "<script>x</script>",
            "<style>p{}</style>",
            "<iframe src=\"x\"></iframe>",
            "<noscript>a</noscript>",
            "<textarea>a</textarea>",
            "<xmp>a</xmp>",
            "<svg></svg>",
            "<table><tr><td>a</td></tr></table>",
            "<td>a</td>",
            "<my-tag>a</my-tag>",
            "<p-x>a</p-x>",
            "<image src=\"x\">",
            // tree-builder fix-ups
            "<p>a<p>b",
            "<p>a<div>b</div></p>",
            "<p>a<ul><li>b</li></ul></p>",
            "<p>a<h2>b</h2></p>",
            "<p>a<hr></p>",
            "<p>a<blockquote>b</blockquote></p>",
            "<h1>a<h2>b</h2></h1>",
            "<h1><span><h2>b</h2></span></h1>",
            "<a href=\"/1\">a<a href=\"/2\">b</a></a>",
            "<b><i>a</b></i>",
            "<li>a</li>",
            "<ul><li>a<li>b</ul>",
            "<ul><div><li>a</li></div></ul>",
            "<dd>a</dd>",
            "<dl><dt>a<dd>b</dl>",
            "a</p>",
            "</br>",
            "<p>a</span></p>",
            "<span/>a",
            "<p/>",
            // tokenizer corners
            "</ p>",
            "</>",
            "</p x>",
            "<p title=\"a\"class=\"b\">x</p>",
            "<p title=a\"b>x</p>",
            "<p title=>x</p>",
            "<p =x>y</p>",
            "<p title=\"x\" title=\"y\">z</p>",
            "<p\"x\">y</p>",
            "<br / >",
            "<p title=\"unterminated",
            "<p",
            // references
            "&bogus;",
            "&copy 2012",
            "&amp",
            "&#;",
            "&#x;",
            "&#65",
            "&#0;",
            "&#x80;",
            "&#13;",
            "&#x1F;",
            "&#xD800;",
            "&#x110000;",
            "&#xFFFF;",
            "&#99999999999;",
            "<a title=\"&notit;\">x</a>",
            // characters
            "a\rb",
            "a\0b",
            "<p>a</p>\r\n",
            "<p title=\"a\rb\">x</p>",
            "<p title='a\0b'>x</p>",
            "<p\r>x</p>",
            "<p title=\"x\"\r>y</p>",
            "\u{feff}a",
            "<pre>&#10;x</pre>",
        ] {
            refused(html);
            // The slow path still works on them, and nothing panics.
            let _ = super::super::sanitize(html);
        }
    }

    #[test]
    fn falls_back_on_data_urls() {
        // The attribute filter rewrites or reorders these; the blocks do not depend on them.
        for html in [
            "<img src=\"data:image/png;base64,AAAA\" alt=\"x\">",
            "<img alt=\"x\" src=\"data:image/svg+xml,x\" width=\"1\">",
            "<a href=\"data:text/html,x\">x</a>",
            "<a href=\" DATA:text/html,x\">x</a>",
        ] {
            assert!(sanitize(html).is_none(), "fast path accepted {html:?}");
            agrees(html);
        }
    }

    #[test]
    fn falls_back_on_deep_nesting_and_many_attributes() {
        let deep = "<span>".repeat(MAX_DEPTH + 1);
        refused(&deep);
        accepted(&"<span>".repeat(MAX_DEPTH));
        let many: String = (0..20).map(|i| format!(" data-{i}=\"x\"")).collect();
        refused(&format!("<p{many}>a</p>"));
    }

    #[test]
    fn fast_path_tags_are_on_the_allow_list() {
        for name in super::super::TAGS {
            if let Some(tag) = super::tag(name) {
                assert_eq!(tag.name, *name);
            }
        }
        assert!(
            super::super::TAGS
                .iter()
                .filter(|n| super::tag(n).is_some())
                .count()
                > 40
        );
    }

    fn fixtures() -> PathBuf {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures"))
    }

    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|entry| entry.map(|entry| entry.path()))
            .collect::<Result<_, _>>()
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, out);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("xml" | "json")
            ) && !path.to_string_lossy().ends_with(".expected.json")
            {
                out.push(path);
            }
        }
    }

    /// What parsing a feed sanitized: the HTML given to `sanitize`, the sources (and bases) given to
    /// `sanitize_source`, and the HTML stored in the entries.
    struct Replay {
        inputs: Vec<String>,
        sources: Vec<(String, url::Url)>,
        stored: Vec<String>,
    }

    /// Parses the feed at `path`, recording every fragment the parser sanitized.
    fn replay(path: &Path) -> Replay {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let base = url::Url::from_file_path(path).expect("an absolute fixture path");
        RECORDED.with(|recorded| *recorded.borrow_mut() = Some(Vec::new()));
        RECORDED_SOURCES.with(|recorded| *recorded.borrow_mut() = Some(Vec::new()));
        let feed = crate::feed::parse_feed(&bytes, &base, None);
        let inputs = RECORDED.with(|recorded| recorded.borrow_mut().take().unwrap_or_default());
        let sources =
            RECORDED_SOURCES.with(|recorded| recorded.borrow_mut().take().unwrap_or_default());
        let stored = feed
            .map(|feed| {
                feed.entries
                    .into_iter()
                    .flat_map(|entry| [entry.content_html, entry.summary_html])
                    .flatten()
                    .collect()
            })
            .unwrap_or_default();
        Replay {
            inputs,
            sources,
            stored,
        }
    }

    #[test]
    fn differential_over_fixture_feeds() {
        let mut paths = Vec::new();
        walk(&fixtures().join("feeds"), &mut paths);
        walk(&fixtures().join("site"), &mut paths);
        assert!(
            paths.len() > 500,
            "found only {} fixture feeds",
            paths.len()
        );
        let (mut n_inputs, mut n_fast) = (0, 0);
        let (mut n_site, mut n_site_fast) = (0, 0);
        for path in &paths {
            let replay = replay(path);
            let site = path.starts_with(fixtures().join("site"));
            let fast = replay
                .inputs
                .iter()
                .map(|input| agrees(input))
                .chain(
                    replay
                        .sources
                        .iter()
                        .map(|(source, base)| agrees_source(source, base)),
                )
                .collect::<Vec<_>>();
            for fast in fast {
                n_inputs += 1;
                n_fast += usize::from(fast);
                if site {
                    n_site += 1;
                    n_site_fast += usize::from(fast);
                }
            }
            for (source, base) in &replay.sources {
                // The step-by-step input too, as `sanitize` sees it when the source path refuses.
                agrees(&resolve_html_urls(&escape_stray_markup(source), base));
            }
            for html in &replay.stored {
                agrees(html);
            }
        }
        // Most fixture feeds are about odd corners; the site fixtures are ordinary feeds.
        assert!(n_inputs > 300, "{n_inputs} fragments sanitized");
        assert!(
            n_fast * 2 > n_inputs,
            "{n_fast} of {n_inputs} fragments on the fast path"
        );
        assert!(n_site > 20, "{n_site} site fragments");
        assert!(
            n_site_fast * 10 >= n_site * 9,
            "{n_site_fast} of {n_site} site fragments on the fast path"
        );
    }

    #[test]
    fn benchmark_feeds_take_the_fast_path_throughout() {
        for feed in [
            "site/blogs.voa.example/feed.xml",
            "site/wire.example/atom.xml",
        ] {
            let replay = replay(&fixtures().join(feed));
            let n = replay.inputs.len() + replay.sources.len();
            assert!(n >= 8, "{feed}: {n} fragments");
            for input in &replay.inputs {
                assert!(agrees(input), "{feed}: fast path refused {input:?}");
            }
            for (source, base) in &replay.sources {
                assert!(
                    agrees_source(source, base),
                    "{feed}: source path refused {source:?}"
                );
            }
            for html in &replay.stored {
                assert!(
                    body_blocks(html).is_some(),
                    "{feed}: no fast blocks for {html:?}"
                );
            }
        }
    }

    #[test]
    fn differential_over_eval_page_paragraphs() {
        let dir = fixtures().join("eval/pages");
        let mut n_paragraphs = 0;
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .collect();
        entries.sort();
        for path in entries {
            let Ok(page) = std::fs::read_to_string(&path) else {
                continue;
            };
            let mut rest = page.as_str();
            while let Some(start) = rest.find("<p") {
                let Some(len) = rest[start..].find("</p>") else {
                    break;
                };
                let paragraph = &rest[start..start + len + 4];
                agrees(paragraph);
                n_paragraphs += 1;
                rest = &rest[start + len + 4..];
            }
        }
        assert!(n_paragraphs > 100, "{n_paragraphs} paragraphs");
    }

    /// Pieces of fragments: allowed and disallowed tags and attributes, references good and bad, awkward
    /// text; concatenated at random they nest and misnest.
    fn piece() -> impl Strategy<Value = String> {
        let names = prop::sample::select(vec![
            "p",
            "div",
            "span",
            "a",
            "em",
            "strong",
            "b",
            "i",
            "ul",
            "ol",
            "li",
            "dl",
            "dt",
            "dd",
            "h1",
            "h2",
            "h3",
            "blockquote",
            "figure",
            "figcaption",
            "pre",
            "code",
            "q",
            "cite",
            "abbr",
            "time",
            "small",
            "sup",
            "sub",
            "mark",
            "u",
            "s",
            "P",
            "Em",
            "table",
            "tr",
            "td",
            "font",
            "script",
            "iframe",
            "textarea",
            "section",
            "button",
            "svg",
        ]);
        let voids = prop::sample::select(vec!["br", "hr", "img", "BR", "wbr", "input", "col"]);
        let attrs = prop::sample::select(vec![
            "",
            " class=\"x\"",
            " class='wp-caption-text'",
            " class=\"a Photo-CREDIT\"",
            " class",
            " title=\"a &amp; &quot;b&quot; <c> &nbsp;\"",
            " title='it''s'",
            " title=\"it's\"",
            " TITLE=plain",
            " lang=en",
            " href=\"https://example.com/a?b=1&amp;c=2\"",
            " href=\"/relative/path\"",
            " href=\"javascript:alert(1)\"",
            " href=\"data:text/html,x\"",
            " href=\"http://[bad\"",
            " href=\"\"",
            " src=\"x.png\"",
            " src=\"data:image/png;base64,AA\"",
            " alt=\"A\" width=\"10\" height=\"20\"",
            " rel=\"nofollow\"",
            " id=\"i\" style=\"color:red\"",
            " hidden",
            " onclick=\"x()\"",
            " datetime=\"2012-07-24\" start=\"3\"",
            " title=\"a\" title=\"b\"",
            " title=\"a\"class=\"b\"",
            " title=a\"b",
            " /",
        ]);
        let texts = prop::sample::select(vec![
            "text",
            " ",
            "\n",
            "\t  ",
            "word and more",
            "a & b",
            "&amp;",
            "&lt;tag&gt;",
            "&nbsp;",
            "\u{a0}",
            "&#8217;",
            "&#x2014;",
            "&#0;",
            "&#x80;",
            "&#13;",
            "&copy",
            "&bogus;",
            "&NotEqualTilde;",
            "<",
            " < 3",
            ">",
            "\"quoted\"",
            "'single'",
            "|",
            " | ",
            "\u{200b}",
            "\u{2003}",
            "\r\n",
            "<!-- comment -->",
            "</>",
            "<?pi?>",
            "</br>",
            "é ünïcödé 中文",
        ]);
        prop_oneof![
            (names.clone(), attrs.clone()).prop_map(|(n, a)| format!("<{n}{a}>")),
            names.prop_map(|n| format!("</{n}>")),
            (voids, attrs).prop_map(|(n, a)| format!("<{n}{a}>")),
            texts.prop_map(str::to_owned),
        ]
    }

    /// Pieces that matter to feed source: stray `&`, and URLs to resolve written in every way.
    fn source_piece() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "AT&T",
            "&copy 2012",
            "& ",
            "&#;",
            "&1x;",
            "&x",
            "<a href=\"rel/path\">",
            "<a href='rel/path'>",
            "<a href=rel/path>",
            "<a href=\"../x?a=1&amp;b=2\">",
            "<a href=\"?q=a&b\">",
            "<a href=\"#frag\">",
            "<a href=\" \">",
            "<a href=\"HTTPS://E.EXAMPLE/\">",
            "<a href=\"https://e.example/?a&amp;b\">",
            "<a href='o'neil'>",
            "<img src=\"/img/a.png\" alt=\"a\">",
            "<img src='img.png'>",
            "<span src=\"x\" poster='y' href=z>",
            "</a>",
            "</span>",
        ])
        .prop_map(str::to_owned)
    }

    /// Well-nested trees of allowed elements (so that many are accepted), with attributes and text from the
    /// same pools.
    fn tree() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            piece().prop_filter("text only", |p| !p.starts_with('<')),
            Just("<br>".to_owned()),
            Just("<img src=\"a.jpg\" alt=\"x\">".to_owned()),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            (
                prop::sample::select(vec![
                    "p",
                    "div",
                    "span",
                    "a",
                    "em",
                    "strong",
                    "ul",
                    "li",
                    "blockquote",
                    "figure",
                    "figcaption",
                    "pre",
                    "h2",
                    "dl",
                    "dd",
                    "q",
                    "code",
                ]),
                prop::sample::select(vec![
                    "",
                    " class=\"x\"",
                    " class=\"wp-caption-text\"",
                    " href=\"/x\"",
                    " rel=\"nofollow\" href=\"https://e.example/\"",
                    " title=\"t &amp; &lt;\"",
                ]),
                prop::collection::vec(inner, 0..5),
            )
                .prop_map(|(name, attrs, children)| {
                    format!("<{name}{attrs}>{}</{name}>", children.concat())
                })
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn fast_agrees_with_slow_on_soup(pieces in prop::collection::vec(piece(), 0..24)) {
            agrees(&pieces.concat());
        }

        #[test]
        fn source_path_agrees_with_slow_on_soup(
            pieces in prop::collection::vec(prop_oneof![piece(), source_piece()], 0..24),
            file_base in any::<bool>(),
        ) {
            let base = if file_base {
                url::Url::parse("file:///srv/feeds/o'neil/feed.xml").expect("a valid base")
            } else {
                base()
            };
            agrees_source(&pieces.concat(), &base);
        }

        #[test]
        fn source_path_agrees_with_slow_on_trees(trees in prop::collection::vec(tree(), 1..4)) {
            agrees_source(&trees.concat(), &base());
        }

        #[test]
        fn fast_agrees_with_slow_on_trees(trees in prop::collection::vec(tree(), 1..4)) {
            agrees(&trees.concat());
        }
    }
}
