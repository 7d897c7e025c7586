//! Page metadata as the page declares it: `<meta>` tags, `<link>`s, `<title>`, JSON-LD and microdata.

use serde_json::Value;

use crate::html::dom::{Dom, NodeData, NodeId};
use crate::html::text::collapse;

/// JSON-LD `@type`s that describe an article.
const ARTICLE_TYPES: &[&str] = &[
    "Article",
    "NewsArticle",
    "BlogPosting",
    "ReportageNews",
    "LiveBlogPosting",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "ReviewNewsArticle",
    "BackgroundNewsArticle",
    "AskPublicNewsArticle",
    "SatiricalArticle",
    "TechArticle",
    "ScholarlyArticle",
    "Report",
    "SocialMediaPosting",
    "DiscussionForumPosting",
    "Review",
];

/// What the page declares about itself.
#[derive(Debug, Default)]
pub(crate) struct Meta {
    /// `<meta>` name/property (lower-cased) and content, in document order.
    pub(crate) tags: Vec<(String, String)>,
    /// The first `<title>`, collapsed.
    pub(crate) title: Option<String>,
    /// `<link rel="canonical">` href, as written.
    pub(crate) canonical: Option<String>,
    /// `<html lang>`.
    pub(crate) html_lang: Option<String>,
    /// The JSON-LD object describing the article, if any.
    pub(crate) article: Option<Value>,
    /// Other JSON-LD objects (`WebPage`, `WebSite`, `Organization`...), for dates and names the article lacks.
    pub(crate) others: Vec<Value>,
    /// Elements with `rel="author"`.
    pub(crate) rel_author: Vec<NodeId>,
    /// Elements with an `itemprop` attribute, with the property name (lower-cased).
    pub(crate) itemprops: Vec<(NodeId, String)>,
    /// Elements other than `<meta>` with an RDFa `property` attribute, with each property name (lower-cased):
    /// Drupal 7 writes `<span property="dc:date dc:created" content="2021-03-03T14:05:00+01:00">`.
    pub(crate) rdfa: Vec<(NodeId, String)>,
}

impl Meta {
    /// The first non-empty content of `<meta>` named `key` (lower-case).
    pub(crate) fn get<'a>(&'a self, key: &'a str) -> Option<&'a str> {
        self.all(key).next()
    }

    /// Every non-empty content of `<meta>` named `key` (lower-case).
    pub(crate) fn all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.tags
            .iter()
            .filter(move |(k, v)| k == key && !v.trim().is_empty())
            .map(|(_, v)| v.trim())
    }

    /// Follows a JSON-LD reference (`{"@id": "…#author"}`) to the object in the same document that carries
    /// that `@id`, as Yoast-style `@graph`s do; other values are returned unchanged.
    pub(crate) fn resolve<'a>(&'a self, value: &'a Value) -> &'a Value {
        let Some(id) = value.get("@id").and_then(Value::as_str) else {
            return value;
        };
        if value.get("name").is_some() {
            return value;
        }
        self.others
            .iter()
            .chain(self.article.iter())
            .find(|obj| {
                obj.get("@id").and_then(Value::as_str) == Some(id) && obj.get("name").is_some()
            })
            .unwrap_or(value)
    }

    /// A string field of the JSON-LD article.
    pub(crate) fn ld_str(&self, key: &str) -> Option<String> {
        self.article
            .as_ref()
            .and_then(|obj| obj.get(key))
            .and_then(ld_text)
    }
}

/// Reads the page's metadata. `skip` marks elements in page chrome (comments, sidebars) whose microdata and
/// `rel=author` links belong to something else.
pub(crate) fn collect(
    dom: &Dom,
    skip: &dyn Fn(NodeId) -> bool,
    warnings: &mut Vec<String>,
) -> Meta {
    let mut meta = Meta::default();
    let mut ld_objects = Vec::new();
    let mut ld_failures = 0;
    let mut in_svg_until = 0;
    for id in 0..dom.len() as NodeId {
        let NodeData::Element(el) = &dom.node(id).data else {
            continue;
        };
        match el.name() {
            "svg" | "math" => in_svg_until = dom.node(id).end,
            "html" if meta.html_lang.is_none() => {
                meta.html_lang = el
                    .attr("lang")
                    .or_else(|| el.attr("xml:lang"))
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned);
            }
            "meta" => {
                let content = el.attr("content").unwrap_or("");
                for key in ["name", "property", "http-equiv"] {
                    if let Some(name) = el.attr(key) {
                        let name = name.trim().to_ascii_lowercase();
                        let name = if key == "http-equiv" {
                            format!("http-equiv:{name}")
                        } else {
                            name
                        };
                        meta.tags.push((name, content.to_owned()));
                    }
                }
            }
            "link" => {
                let rel = el.attr("rel").unwrap_or("").to_ascii_lowercase();
                let rels: Vec<&str> = rel.split_ascii_whitespace().collect();
                if rels.contains(&"canonical")
                    && meta.canonical.is_none()
                    && let Some(href) = el.attr("href")
                {
                    meta.canonical = Some(href.trim().to_owned());
                }
            }
            "title" if meta.title.is_none() && id >= in_svg_until => {
                let title = collapse(&dom.raw_text(id));
                if !title.is_empty() {
                    meta.title = Some(title);
                }
            }
            "script" => {
                let kind = el.attr("type").unwrap_or("").trim().to_ascii_lowercase();
                if kind == "application/ld+json" {
                    match parse_json_ld(&dom.raw_text(id)) {
                        Some(value) => ld_objects.push(value),
                        None => ld_failures += 1,
                    }
                }
            }
            _ => {}
        }
        if el.attr("rel").is_some_and(|rel| {
            rel.split_ascii_whitespace()
                .any(|r| r.eq_ignore_ascii_case("author"))
        }) && el.name() != "link"
            && !skip(id)
        {
            meta.rel_author.push(id);
        }
        if let Some(prop) = el.attr("itemprop")
            && !skip(id)
        {
            for prop in prop.split_ascii_whitespace() {
                meta.itemprops.push((id, prop.to_ascii_lowercase()));
            }
        }
        if let Some(prop) = el.attr("property")
            && el.name() != "meta"
            && meta.rdfa.len() < 1_000
            && !skip(id)
        {
            for prop in prop.split_ascii_whitespace() {
                meta.rdfa.push((id, prop.to_ascii_lowercase()));
            }
        }
    }
    if ld_failures > 0 {
        warnings.push(format!(
            "{ld_failures} JSON-LD block(s) could not be parsed and were ignored"
        ));
    }
    let (article, others) = pick_article(ld_objects);
    meta.article = article;
    meta.others = others;
    meta
}

/// Parses a JSON-LD script, tolerating HTML comment and CDATA wrappers and trailing semicolons.
fn parse_json_ld(text: &str) -> Option<Value> {
    let mut text = text.trim();
    for (open, close) in [
        ("<!--", "-->"),
        ("<![CDATA[", "]]>"),
        ("//<![CDATA[", "//]]>"),
    ] {
        if let Some(rest) = text.strip_prefix(open) {
            text = rest.trim();
            if let Some(rest) = text.strip_suffix(close) {
                text = rest.trim();
            }
        }
    }
    let text = text.trim_end_matches(';').trim();
    serde_json::from_str(text).ok().or_else(|| {
        // Raw control characters inside strings are a common publisher error.
        let cleaned: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        serde_json::from_str(&cleaned).ok()
    })
}

/// Whether a JSON-LD object has one of `types` as its `@type`.
pub(crate) fn has_type(obj: &Value, types: &[&str]) -> bool {
    let matches = |t: &Value| {
        t.as_str().is_some_and(|t| {
            let t = t.rsplit(['/', ':']).next().unwrap_or(t);
            types.contains(&t)
        })
    };
    match obj.get("@type") {
        Some(Value::Array(items)) => items.iter().any(matches),
        Some(t) => matches(t),
        None => false,
    }
}

/// Flattens top-level arrays, `@graph` and `mainEntity`, and picks the article object.
fn pick_article(values: Vec<Value>) -> (Option<Value>, Vec<Value>) {
    let mut objects = Vec::new();
    let mut stack: Vec<Value> = values.into_iter().rev().collect();
    let mut budget = 10_000;
    while let Some(value) = stack.pop() {
        budget -= 1;
        if budget == 0 {
            break;
        }
        match value {
            Value::Array(items) => stack.extend(items.into_iter().rev()),
            Value::Object(mut map) => {
                let graph = map.remove("@graph");
                let main = map
                    .get("mainEntity")
                    .filter(|v| v.is_object() || v.is_array())
                    .cloned();
                objects.push(Value::Object(map));
                if let Some(main) = main {
                    stack.push(main);
                }
                if let Some(graph) = graph {
                    stack.push(graph);
                }
            }
            _ => {}
        }
    }
    let pos = objects
        .iter()
        .position(|obj| has_type(obj, ARTICLE_TYPES) && obj.get("headline").is_some())
        .or_else(|| objects.iter().position(|obj| has_type(obj, ARTICLE_TYPES)));
    match pos {
        Some(pos) => {
            let article = objects.remove(pos);
            (Some(article), objects)
        }
        None => (None, objects),
    }
}

/// The text of a JSON-LD value: a string, the first of an array, or an object's `name`/`@value`.
pub(crate) fn ld_text(value: &Value) -> Option<String> {
    let text = match value {
        Value::String(s) => decode_entities(s),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => return items.iter().find_map(ld_text),
        Value::Object(map) => {
            return map
                .get("@value")
                .or_else(|| map.get("name"))
                .and_then(ld_text);
        }
        _ => return None,
    };
    let text = collapse(&text);
    (!text.is_empty()).then_some(text)
}

/// A URL from a JSON-LD value: a string, an `ImageObject`'s `url`/`contentUrl`, or the first of an array.
pub(crate) fn ld_url(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Array(items) => items.iter().find_map(ld_url),
        Value::Object(map) => map
            .get("url")
            .or_else(|| map.get("contentUrl"))
            .or_else(|| map.get("@id"))
            .and_then(ld_url),
        _ => None,
    }
}

/// Decodes HTML character references in a metadata string (publishers often escape JSON-LD text twice).
pub(crate) fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let escaped = text.replace('<', "&lt;");
    let dom = Dom::parse_fragment(&escaped);
    dom.raw_text(Dom::ROOT)
}
