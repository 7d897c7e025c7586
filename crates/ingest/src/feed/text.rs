//! Text constructs: HTML escaping, reducing HTML to plain text, making feed HTML well-formed enough, and
//! resolving relative URLs inside HTML. Every function here is a single linear pass.

use std::borrow::Cow;

use url::Url;

use super::xml::unescape;

/// Appends `text` to `out` escaped for HTML element content.
pub(super) fn escape_html_into(text: &str, out: &mut String) {
    let mut last = 0;
    for (i, b) in text.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            _ => continue,
        };
        out.push_str(&text[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&text[last..]);
}

/// `text` escaped for HTML element content.
pub(super) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_html_into(text, &mut out);
    out
}

/// `text` escaped for HTML element content, borrowed when there is nothing to escape.
pub(super) fn escape_html_cow(text: Cow<'_, str>) -> Cow<'_, str> {
    if text.bytes().any(|b| matches!(b, b'&' | b'<' | b'>')) {
        Cow::Owned(escape_html(&text))
    } else {
        text
    }
}

/// Appends `text` to `out` escaped for a double-quoted HTML attribute value.
pub(super) fn escape_attr_into(text: &str, out: &mut String) {
    let mut last = 0;
    for (i, b) in text.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'"' => "&quot;",
            _ => continue,
        };
        out.push_str(&text[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&text[last..]);
}

/// Whether `s` starts with a URL scheme (`https:`, `mailto:`, ...).
fn has_scheme(s: &str) -> bool {
    let Some(colon) = s.find(':') else {
        return false;
    };
    let scheme = &s[..colon];
    let mut bytes = scheme.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
}

/// `value` resolved against `base` when it is relative (RFC 3986 5.2: an empty reference is the base
/// document without its fragment, a bare `#frag` the base document with that fragment); `None` when it is
/// absolute or does not resolve (left as written).
pub(super) fn resolve_url(base: &Url, value: &str) -> Option<String> {
    let value = value.trim();
    if has_scheme(value) {
        return None;
    }
    join_simple(base, value).or_else(|| base.join(value).ok().map(String::from))
}

/// `base.join(reference)` as the URL parser serializes it, without the parser, for the common shape where
/// the result is plain concatenation; `None` for anything else (the caller then asks the parser).
///
/// The base is an `http(s)` URL with a host. The reference is a path (`a/b`, `/a/b`), optionally with a query
/// and a fragment, written only with ASCII letters, digits and `-._~!$&()*+,;=:@/` (plus `?` after the path
/// and `#` once; no `:` in a relative path's first segment, where it could end a scheme). Nothing in it is percent-encoded, percent-decoded or dropped by the parser then, and with no
/// `.` or `..` segment there is nothing to remove: the result is the base up to its path, then the base path
/// up to its last `/` (for a relative path) and the reference. Checked against the parser by a property test.
pub(super) fn join_simple(base: &Url, reference: &str) -> Option<String> {
    if !matches!(base.scheme(), "http" | "https") || !base.has_host() {
        return None;
    }
    let bytes = reference.as_bytes();
    let &first = bytes.first()?;
    let absolute_path = first == b'/';
    if absolute_path {
        // `//host/...` is a network-path reference.
        if bytes.get(1) == Some(&b'/') {
            return None;
        }
    } else if !(first.is_ascii_alphanumeric() || matches!(first, b'-' | b'_' | b'~')) {
        // `.`, `?`, `#` and anything unusual start references the parser handles specially.
        return None;
    }
    let is_dot_segment = |segment: &[u8]| matches!(segment, b"." | b"..");
    // 0: path, 1: query, 2: fragment.
    let mut part = 0;
    let mut segment_start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'a'..=b'z'
            | b'A'..=b'Z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b'!'
            | b'$'
            | b'&'
            | b'('
            | b')'
            | b'*'
            | b'+'
            | b','
            | b';'
            | b'='
            | b'@' => {}
            // In the first segment a colon could end a scheme (`a:b` is absolute).
            b':' if part > 0 || segment_start > 0 || absolute_path => {}
            b'/' => {
                if part == 0 {
                    if is_dot_segment(&bytes[segment_start..i]) {
                        return None;
                    }
                    segment_start = i + 1;
                }
            }
            b'?' | b'#' if part == 0 => {
                if is_dot_segment(&bytes[segment_start..i]) {
                    return None;
                }
                part = if b == b'?' { 1 } else { 2 };
            }
            b'?' => {}
            b'#' if part == 1 => part = 2,
            _ => return None,
        }
    }
    if part == 0 && is_dot_segment(&bytes[segment_start..]) {
        return None;
    }
    let origin = &base[..url::Position::BeforePath];
    let mut out = String::with_capacity(origin.len() + base.path().len() + reference.len());
    out.push_str(origin);
    if !absolute_path {
        let path = base.path();
        out.push_str(&path[..path.rfind('/').map_or(0, |slash| slash + 1)]);
        if !out[origin.len()..].starts_with('/') {
            return None;
        }
    }
    out.push_str(reference);
    Some(out)
}

/// `value` as an absolute URL: resolved against `base` when relative, trimmed otherwise.
pub(super) fn absolutize(base: &Url, value: &str) -> String {
    resolve_url(base, value).unwrap_or_else(|| value.trim().to_string())
}

/// Whether `s` looks like an absolute web URL (for using a permalink GUID as the link).
pub(super) fn looks_like_url(s: &str) -> bool {
    let s = s.trim();
    let lower = |p: &str| {
        s.len() > p.len()
            && s.get(..p.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(p))
    };
    (lower("http://") || lower("https://")) && !s.contains(char::is_whitespace)
}

/// Makes feed HTML safe to hand to an HTML parser as written: a `&` that does not start a reference becomes
/// `&amp;` and a `<` that cannot start a tag becomes `&lt;`. Plain text comes out escaped into HTML.
pub(super) fn escape_stray_markup(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let needs = |i: usize| match bytes[i] {
        b'&' => !starts_reference(&bytes[i + 1..]),
        b'<' => !bytes
            .get(i + 1)
            .is_some_and(|&b| b.is_ascii_alphabetic() || matches!(b, b'/' | b'!' | b'?')),
        _ => false,
    };
    let mut out: Option<String> = None;
    let mut last = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if (b == b'&' || b == b'<') && needs(i) {
            let out = out.get_or_insert_with(|| String::with_capacity(html.len() + 16));
            out.push_str(&html[last..i]);
            out.push_str(if b == b'&' { "&amp;" } else { "&lt;" });
            last = i + 1;
        }
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut out) => {
            out.push_str(&html[last..]);
            Cow::Owned(out)
        }
    }
}

/// Whether the bytes after `&` form a character or entity reference ending in `;` (up to 32 letters, digits
/// or hex digits): [`escape_stray_markup`]'s rule, which the sanitizer's fast path follows too.
pub(super) fn starts_reference(after: &[u8]) -> bool {
    let (digits, body): (fn(&u8) -> bool, &[u8]) = match after {
        [b'#', b'x' | b'X', rest @ ..] => (u8::is_ascii_hexdigit, rest),
        [b'#', rest @ ..] => (u8::is_ascii_digit, rest),
        [first, ..] if first.is_ascii_alphabetic() => (u8::is_ascii_alphanumeric, after),
        _ => return false,
    };
    let n = body.iter().take(32).take_while(|b| digits(b)).count();
    n > 0 && body.get(n) == Some(&b';')
}

/// Resolves relative `href`, `src` and `poster` attribute values in an HTML string against `base`.
pub(super) fn resolve_html_urls<'h>(html: &'h str, base: &Url) -> Cow<'h, str> {
    let bytes = html.as_bytes();
    let len = bytes.len();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    while i < len {
        let Some(lt) = bytes[i..].iter().position(|&b| b == b'<') else {
            break;
        };
        i += lt + 1;
        if html[i..].starts_with("!--") {
            i = html[i..].find("-->").map_or(len, |end| i + end + 3);
            continue;
        }
        if !bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        while i < len && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b':' || bytes[i] == b'-')
        {
            i += 1;
        }
        // Attributes up to `>`.
        loop {
            while i < len && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                i += 1;
            }
            if i >= len || bytes[i] == b'>' || bytes[i] == b'<' {
                break;
            }
            let name_start = i;
            while i < len
                && !bytes[i].is_ascii_whitespace()
                && !matches!(bytes[i], b'=' | b'>' | b'/' | b'<')
            {
                i += 1;
            }
            let name = &html[name_start..i];
            while i < len && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if i >= len || bytes[i] != b'=' {
                continue;
            }
            i += 1;
            while i < len && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let (value_start, value_end, quoted) = match bytes.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = bytes[i + 1..]
                        .iter()
                        .position(|&b| b == q)
                        .map_or(len, |p| i + 1 + p);
                    let range = (i + 1, end, true);
                    i = (end + 1).min(len);
                    range
                }
                _ => {
                    let start = i;
                    while i < len && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                        i += 1;
                    }
                    (start, i, false)
                }
            };
            let is_url = ["href", "src", "poster"]
                .iter()
                .any(|k| name.eq_ignore_ascii_case(k));
            if !is_url {
                continue;
            }
            let value = unescape(&html[value_start..value_end]);
            // An empty `src`/`href` in HTML names nothing (HTML: an empty `src` is no image), so it is left
            // empty rather than pointed at the feed document.
            if value.trim().is_empty() {
                continue;
            }
            if let Some(resolved) = resolve_url(base, &value) {
                let out = out.get_or_insert_with(|| String::with_capacity(html.len() + 64));
                out.push_str(&html[copied..value_start]);
                if !quoted {
                    out.push('"');
                }
                escape_attr_into(&resolved, out);
                if !quoted {
                    out.push('"');
                }
                copied = value_end;
            }
        }
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut out) => {
            out.push_str(&html[copied..]);
            Cow::Owned(out)
        }
    }
}

/// Tags recognised in titles that are plain text by default (RSS): anything else that looks like a tag,
/// such as `Vector<int>`, stays text.
const KNOWN_TAGS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "b",
    "big",
    "blockquote",
    "br",
    "cite",
    "code",
    "del",
    "dfn",
    "div",
    "em",
    "font",
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
    "nobr",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "sup",
    "time",
    "tt",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Tags after which text reduced from HTML gets a space.
const BREAKING_TAGS: &[&str] = &[
    "br",
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "blockquote",
    "ol",
    "ul",
    "pre",
];

/// Removes tags (all of them, or only [`KNOWN_TAGS`]) and comments; `None` when nothing was removed.
fn strip_tags(s: &str, all_tags: bool) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = String::new();
    let mut last = 0;
    let mut changed = false;
    let mut i = 0;
    while let Some(lt) = bytes[i..].iter().position(|&b| b == b'<') {
        let start = i + lt;
        i = start + 1;
        if s[i..].starts_with("!--") {
            if let Some(end) = s[i..].find("-->") {
                out.push_str(&s[last..start]);
                i += end + 3;
                last = i;
                changed = true;
            }
            continue;
        }
        let mut j = i;
        if bytes.get(j) == Some(&b'/') {
            j += 1;
        }
        let name_start = j;
        while j < bytes.len() && bytes[j].is_ascii_alphanumeric() {
            j += 1;
        }
        let name = &s[name_start..j];
        if name.is_empty() || !bytes[name_start].is_ascii_alphabetic() {
            continue;
        }
        if !matches!(
            bytes.get(j),
            Some(b'>' | b'/') | Some(b' ' | b'\t' | b'\n' | b'\r')
        ) {
            continue;
        }
        if !all_tags && !KNOWN_TAGS.iter().any(|t| t.eq_ignore_ascii_case(name)) {
            continue;
        }
        let Some(gt) = bytes[j..].iter().position(|&b| b == b'>' || b == b'<') else {
            continue;
        };
        if bytes[j + gt] != b'>' {
            continue;
        }
        out.push_str(&s[last..start]);
        if BREAKING_TAGS.iter().any(|t| t.eq_ignore_ascii_case(name)) {
            out.push(' ');
        }
        i = j + gt + 1;
        last = i;
        changed = true;
    }
    if !changed {
        return None;
    }
    out.push_str(&s[last..]);
    Some(out)
}

/// Reduces HTML to plain text: tags removed (all of them with `all_tags`, else only well-known HTML tags),
/// references resolved once, whitespace collapsed. Double-escaped markup (`&amp;lt;b&amp;gt;`) is text that
/// shows a tag, so it comes out as the literal `<b>`.
pub(super) fn html_to_text(html: &str, all_tags: bool) -> String {
    html_to_text_marked(html, all_tags).0
}

/// [`html_to_text`], and whether it removed any tag or comment (whether `html` was markup rather than text
/// with references).
pub(super) fn html_to_text_marked(html: &str, all_tags: bool) -> (String, bool) {
    let stripped = strip_tags(html, all_tags);
    let text = unescape(stripped.as_deref().unwrap_or(html));
    (collapse_whitespace(&text), stripped.is_some())
}

/// A language tag as written, trimmed, with `_` (the POSIX locale form, `en_US`) read as BCP 47's `-`
/// (`en-US`).
pub(super) fn language_tag(tag: &str) -> String {
    tag.trim().replace('_', "-")
}

/// Trims and collapses runs of ASCII whitespace to one space. Other white space (U+00A0 from `&nbsp;`, say)
/// is kept: it is text, and normalize decides about it.
pub(super) fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_ascii_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Decodes base64 (standard or URL-safe alphabet), ignoring whitespace and missing padding.
pub(super) fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let mut acc = 0u32;
    let mut n = 0;
    for b in s.bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            b if b.is_ascii_whitespace() => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        n += 1;
        if n == 4 {
            out.extend_from_slice(&[(acc >> 16) as u8, (acc >> 8) as u8, acc as u8]);
            acc = 0;
            n = 0;
        }
    }
    match n {
        2 => out.push((acc >> 4) as u8),
        3 => out.extend_from_slice(&[(acc >> 10) as u8, (acc >> 2) as u8]),
        _ => {}
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use url::Url;

    use super::{html_to_text_marked, join_simple, resolve_url};

    #[test]
    fn marked_says_whether_markup_was_removed() {
        assert_eq!(
            html_to_text_marked("A <b>bold</b> move", false),
            ("A bold move".to_string(), true)
        );
        assert_eq!(
            html_to_text_marked("AT&amp;T &lt; 2", false),
            ("AT&T < 2".to_string(), false)
        );
        // Only well-known tags count unless all tags are asked for.
        assert_eq!(
            html_to_text_marked("Vector<int> x", false),
            ("Vector<int> x".to_string(), false)
        );
        assert_eq!(
            html_to_text_marked("<foo>x</foo>", true),
            ("x".to_string(), true)
        );
    }

    const BASES: &[&str] = &[
        "https://example.com/",
        "https://example.com",
        "https://example.com/feeds/main.xml",
        "http://example.com/a/b/",
        "https://example.com/a/b?q=1#frag",
        "https://user:pw@example.com:8443/a/b",
        "https://EXAMPLE.com/%7Euser/x",
        "http://127.0.0.1/a",
        "https://example.com/a/b;p?x",
        "ftp://example.com/a/b",
        "file:///tmp/a/b",
        "mailto:someone@example.com",
        "data:text/plain,hi",
    ];

    /// The fast join answers only when it answers what the URL parser answers.
    fn agrees(base: &Url, reference: &str) -> bool {
        match join_simple(base, reference) {
            None => true,
            Some(fast) => base.join(reference).ok().map(String::from) == Some(fast),
        }
    }

    #[test]
    fn simple_joins_take_the_fast_path() {
        let base = Url::parse("https://blogs.example/feed/rss.xml?x=1#f").unwrap();
        for (reference, expect) in [
            (
                "2012/07/24/story/",
                "https://blogs.example/feed/2012/07/24/story/",
            ),
            (
                "story.html?copy=3#comments",
                "https://blogs.example/feed/story.html?copy=3#comments",
            ),
            ("/abs/path", "https://blogs.example/abs/path"),
            ("a/b:c", "https://blogs.example/feed/a/b:c"),
        ] {
            assert_eq!(
                join_simple(&base, reference).as_deref(),
                Some(expect),
                "{reference}"
            );
            assert!(agrees(&base, reference), "{reference}");
        }
        for reference in [
            "", "./a", "../a", "a/./b", "a/../b", "a/..", "//host/a", "?q", "#f", "a b", "a%2e",
            "\\a", "a\\b", "é", "a/.", ".", "a:b/c", "1a:b",
        ] {
            assert_eq!(join_simple(&base, reference), None, "{reference:?}");
        }
    }

    #[test]
    fn resolve_url_is_unchanged_by_the_fast_path() {
        for base in BASES {
            let base = Url::parse(base).unwrap();
            for reference in [
                "a", "/a", "a/b?c#d", "a?b?c", "a#b#c", "a#b?c", "1a:b", "-x", "~y",
            ] {
                assert!(agrees(&base, reference), "{base} {reference}");
                let slow = base.join(reference).ok().map(String::from);
                assert_eq!(resolve_url(&base, reference), slow, "{base} {reference}");
            }
        }
    }

    proptest! {
        #[test]
        fn fast_join_agrees_with_the_parser(
            base in proptest::sample::select(BASES),
            reference in "[a-zA-Z0-9./?#%:@!$&'()*+,;=~_ \\-\\[\\]{}|^`\"<>\\\\\t]{0,24}",
        ) {
            let base = Url::parse(base).unwrap();
            prop_assert!(agrees(&base, &reference), "{} {:?}", base, reference);
        }

        #[test]
        fn fast_join_agrees_with_the_parser_on_path_like_references(
            base in proptest::sample::select(BASES),
            segments in proptest::collection::vec("(\\.|\\.\\.|[a-z0-9._~-]{0,6})", 0..5),
            lead in "/?",
            query in "(\\?[a-z=&.;/?:@]{0,8})?",
            fragment in "(#[a-z/?#.]{0,8})?",
        ) {
            let reference = format!("{lead}{}{query}{fragment}", segments.join("/"));
            let base = Url::parse(base).unwrap();
            prop_assert!(agrees(&base, &reference), "{} {:?}", base, reference);
        }
    }
}
