//! The allow-list HTML sanitizer for entry content (`summary_html`, `content_html`), on ammonia.
//!
//! Feed HTML is written by strangers and ends up in front of readers, so only article markup survives:
//!
//! - elements: `p br a em strong b i u s del ins mark small blockquote q cite ul ol li dl dt dd h1`–`h6`
//!   `pre code kbd samp var img figure figcaption table caption thead tbody tfoot tr th td colgroup col span
//!   div sup sub abbr time hr`; anything else is unwrapped (its text kept), except `script`, `style`,
//!   `iframe`, `object`, `embed`, `applet`, `template`, `noscript`, `noembed` and `noframes`, which go with
//!   their content; `form` and its controls are unwrapped too, so no form survives;
//! - attributes: `class`, `lang` and `title` anywhere (Atom XHTML content keeps its classes, RFC 4287
//!   3.1.1.3), `a href`, `img src alt width height`, `time datetime`, `ol start`, `td`/`th colspan rowspan`,
//!   `th scope`; no `on*` handler, `style` or `id` (ids could clobber the names of the page showing them);
//! - URLs (`href`, `src`): `http`, `https`, `mailto`, `tel` and `ftp`, and `data:` only for `img src` with
//!   a raster image type (`image/png`, `gif`, `jpeg`, `webp`, `avif`; not SVG); anything else
//!   (`javascript:`, `vbscript:`, other `data:`) removes the attribute. Relative URLs are kept as they are:
//!   the parser has already resolved them against the base in force (see [`super::text::resolve_html_urls`]);
//! - comments are removed.
//!
//! No `rel="noopener noreferrer"` is added to links: this is stored data, not a rendered page, and whoever
//! renders it knows its own link policy; adding it would only make every stored body differ from its source.
//!
//! The [`ammonia::Builder`] is built once, on first use.
//!
//! # Fast path
//!
//! Parsing with html5ever's tree builder and serializing again costs more than the rest of feed parsing put
//! together, and most entry content is clean, well-nested article markup that the sanitizer returns as it
//! was written, give or take quoting, escaping and dropped attributes. [`sanitize`] therefore first tries
//! [`fasthtml`], a single linear pass that handles that subset and proves nothing else: for any fragment it
//! accepts, it returns byte for byte what ammonia returns, and anything it is not sure about (comments,
//! unknown or dropped elements, tables, misnesting the tree builder would repair, `data:` URLs, unusual
//! references, ...) goes to ammonia unchanged. [`crate::html::fragment_blocks`] does the same for the body blocks
//! it reads from the sanitized HTML (`fasthtml::body_blocks`). See the `fasthtml` module docs for the
//! exact subset.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

pub(super) mod fasthtml;

/// Elements kept (with their allowed attributes).
const TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
];

/// Elements removed together with everything inside them.
/// `noscript` is among them because the fragment is parsed as a browser with scripting would: its content is
/// raw text, which unwrapped would show as markup.
const DROPPED_WITH_CONTENT: &[&str] = &[
    "applet", "embed", "iframe", "noembed", "noframes", "noscript", "object", "script", "style",
    "template",
];

/// Attributes allowed on any kept element.
const GENERIC_ATTRIBUTES: &[&str] = &["class", "lang", "title"];

/// Attributes allowed on particular elements.
const TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href"]),
    ("img", &["src", "alt", "width", "height"]),
    ("time", &["datetime"]),
    ("ol", &["start"]),
    ("td", &["colspan", "rowspan"]),
    ("th", &["colspan", "rowspan", "scope"]),
];

/// URL schemes allowed in `href` and `src` (`data` is narrowed further by [`keep_attribute`]).
const URL_SCHEMES: &[&str] = &["http", "https", "mailto", "tel", "ftp", "data"];

/// `data:` media types allowed in `img src`.
const DATA_IMAGE_TYPES: &[&str] = &[
    "image/png",
    "image/gif",
    "image/jpeg",
    "image/jpg",
    "image/webp",
    "image/avif",
];

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::empty();
    builder
        .tags(TAGS.iter().copied().collect())
        .clean_content_tags(DROPPED_WITH_CONTENT.iter().copied().collect())
        .generic_attributes(GENERIC_ATTRIBUTES.iter().copied().collect())
        .tag_attributes(
            TAG_ATTRIBUTES
                .iter()
                .map(|&(tag, attrs)| (tag, attrs.iter().copied().collect::<HashSet<_>>()))
                .collect::<HashMap<_, _>>(),
        )
        .url_schemes(URL_SCHEMES.iter().copied().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(None)
        .strip_comments(true)
        .attribute_filter(keep_attribute);
    builder
});

/// Narrows `data:` URLs to raster images in `img src`; every other attribute passes unchanged.
fn keep_attribute<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    if !matches!(attribute, "href" | "src") {
        return Some(Cow::Borrowed(value));
    }
    let trimmed = value.trim_start();
    let is_data = trimmed
        .get(..5)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("data:"));
    if !is_data {
        return Some(Cow::Borrowed(value));
    }
    let media_type = trimmed[5..].split([';', ',']).next().unwrap_or("").trim();
    let image = element == "img"
        && attribute == "src"
        && DATA_IMAGE_TYPES
            .iter()
            .any(|t| t.eq_ignore_ascii_case(media_type));
    image.then_some(Cow::Borrowed(value))
}

/// `html` with everything outside the allow-list removed (see the module docs): by the [`fasthtml`] fast
/// path when the fragment is in its subset, else by ammonia.
pub(super) fn sanitize(html: &str) -> String {
    #[cfg(test)]
    RECORDED.with(|recorded| {
        if let Some(inputs) = recorded.borrow_mut().as_mut() {
            inputs.push(html.to_owned());
        }
    });
    let mut clean = fasthtml::sanitize(html).unwrap_or_else(|| sanitize_slow(html));
    // The fast path reserves a little more than the input; the result is kept in the entry.
    clean.shrink_to_fit();
    clean
}

/// Feed HTML source made safe to parse (`escape_stray_markup`), its relative URLs resolved against `base`
/// (`resolve_html_urls`) and sanitized: in one pass by the [`fasthtml`] fast path when the source is in its
/// subset, else step by step.
pub(super) fn sanitize_source(source: &str, base: &url::Url) -> String {
    #[cfg(test)]
    RECORDED_SOURCES.with(|recorded| {
        if let Some(inputs) = recorded.borrow_mut().as_mut() {
            inputs.push((source.to_owned(), base.clone()));
        }
    });
    let mut clean = fasthtml::sanitize_source(source, base).unwrap_or_else(|| {
        let escaped = super::text::escape_stray_markup(source);
        let html = super::text::resolve_html_urls(&escaped, base);
        fasthtml::sanitize(&html).unwrap_or_else(|| sanitize_slow(&html))
    });
    clean.shrink_to_fit();
    clean
}

/// `html` sanitized by ammonia alone: the reference the fast path must match.
pub(super) fn sanitize_slow(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}

#[cfg(test)]
thread_local! {
    /// Like [`RECORDED`], for the sources and base URLs [`sanitize_source`] sees.
    pub(super) static RECORDED_SOURCES: std::cell::RefCell<Option<Vec<(String, url::Url)>>> =
        const { std::cell::RefCell::new(None) };

    /// When `Some`, every input [`sanitize`] sees on this thread is appended (the differential tests replay
    /// the fragments the feed parser really sanitizes).
    pub(super) static RECORDED: std::cell::RefCell<Option<Vec<String>>> =
        const { std::cell::RefCell::new(None) };
}
