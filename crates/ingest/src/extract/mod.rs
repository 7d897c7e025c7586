//! Article extraction: from the bytes of an HTML page to a [`Page`] with body blocks, title, authors, date
//! candidates and page metadata.
//!
//! The page is decoded ([`crate::charset`]) and parsed into a bounded DOM (see [`crate::html`]); one linear
//! analysis pass classifies elements by tag, ARIA role and class/id words and measures their text, and separate
//! finders then read the body, the metadata, the title, the authors and the dates. Every finder lists what it
//! found with its [`Origin`](newswire_model::Origin), most trusted first. Nothing here parses dates, touches the
//! network or reads a clock: the result is a pure function of the input.
//!
//! # How the body is found
//!
//! 1. **Chrome** is set aside: `nav`, `aside`, forms, hidden elements, the site's `header` and `footer`, ARIA
//!    landmarks such as `role="navigation"`, comment sections, and elements whose class or id names a sidebar,
//!    widget, menu, sharing tools, related links, ads, a newsletter or cookie box (unless the element holds most
//!    of the page's prose).
//! 2. **Scoring**, in the manner of Readability: each block of at least 25 characters of mostly unlinked text
//!    scores `1 + commas + min(length / 100, 3)` (per `<br><br>` segment for old-style layouts); its container
//!    gets the score, the next ancestor half, higher ones a third per level. Containers start from a tag bonus
//!    and their class/id words (`entry-content` +, `sidebar` −); `itemprop="articleBody"` and paragraphs that
//!    match JSON-LD `articleBody` weigh in; the final score is scaled by `1 - link density`.
//! 3. **Choice**: the best container (lifted to a common ancestor when several near-best containers share it),
//!    plus siblings that continue the article: split `story-body` parts (the same class, or the same first
//!    class word as `gallery-intro`/`gallery-outro`), loose paragraphs, and the best container of a later
//!    same-tag sibling of the container or its ancestors with at least two paragraphs (Medium's `<section>`s).
//! 4. **Furniture** inside it is skipped: small elements named for meta lines, bylines, dates, captions,
//!    credits, tags, print tools or standfirsts (never one holding `itemprop="articleBody"`, and never a
//!    heading whose header word names the heading itself); link-dense lists; figures; data tables (with a
//!    caption or header cells); small boxes linking to a sign-up, subscription or donation page; the article's
//!    own header and footer. Then lines are filtered: boilerplate ("Leave a comment", "Share this:",
//!    "Advertisement", "Photo: …", wire credit tails, the print-edition line, a press release's media contact,
//!    `SOURCE` tag and forward-looking-statements tail, bare counters such as "1.2K"), the repeated headline,
//!    the byline and dateline, a closing author bio, and short blocks that are mostly links.
//!
//! # Limits
//!
//! Input beyond [`MAX_INPUT`] bytes is ignored, nesting deeper than 512 open elements is flattened, and
//! documents with more than 500,000 nodes are cut; each of these adds a warning instead of failing.

mod body;
mod boilerplate;
mod byline;
mod dates;
mod hints;
mod meta;
mod title;

#[cfg(test)]
mod tests;

use newswire_model::{Block, Page};

use crate::charset::{self, DocumentKind};
use crate::html::blocks;
use crate::html::dom::{Dom, MAX_DEPTH, MAX_NODES, NodeId};
use crate::html::text::collapse;

/// Pages are read up to this many bytes; the rest is ignored with a warning.
pub const MAX_INPUT: usize = 20 * 1024 * 1024;

/// At most this many categories are kept.
const MAX_CATEGORIES: usize = 50;

/// Extracts the article from an HTML page.
///
/// `content_type` is the HTTP `Content-Type` header, if any; it may carry the charset. The function never
/// fails and never panics: problems (charset guessed, no article body found, oversized input) are listed in
/// [`Page::warnings`].
///
/// ```
/// let html = br#"<html><head><title>Storm hits coast | The Daily</title></head><body>
///   <article><h1>Storm hits coast</h1><p>By Ana Lima</p>
///   <p>The storm reached the coast on Tuesday night, bringing heavy rain and strong winds.</p>
///   <p>Officials said the clean-up would take weeks, and schools stayed closed on Wednesday.</p>
///   </article></body></html>"#;
/// let url = url::Url::parse("https://news.example/2024/05/07/storm")?;
/// let page = newswire_ingest::extract::extract_page(html, &url, Some("text/html; charset=utf-8"));
/// assert_eq!(page.title.map(|t| t.value).as_deref(), Some("Storm hits coast"));
/// assert_eq!(page.body.len(), 2);
/// assert_eq!(page.published[0].value, "2024-05-07");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn extract_page(bytes: &[u8], url: &url::Url, content_type: Option<&str>) -> Page {
    match std::panic::catch_unwind(|| extract(bytes, url, content_type)) {
        Ok(page) => page,
        Err(_) => {
            tracing::error!(%url, "article extraction panicked");
            Page {
                url: url.to_string(),
                warnings: vec![
                    "internal error during article extraction; page left empty".to_owned(),
                ],
                ..Page::default()
            }
        }
    }
}

fn extract(bytes: &[u8], url: &url::Url, content_type: Option<&str>) -> Page {
    let mut warnings = Vec::new();
    let bytes = cap_input(bytes, MAX_INPUT, &mut warnings);
    let decoded = charset::decode(bytes, content_type, DocumentKind::Html);
    warnings.extend(decoded.warnings.iter().cloned());
    let dom = Dom::parse_document(&decoded.text);
    if dom.flattened > 0 {
        warnings.push(format!(
            "markup nested deeper than {MAX_DEPTH} levels was flattened ({} tags)",
            dom.flattened
        ));
    }
    if dom.truncated {
        warnings.push(format!(
            "page has more than {MAX_NODES} nodes; the rest was ignored"
        ));
    }

    let analysis = body::analyze(&dom);
    let meta = meta::collect(&dom, &|id| analysis.page_chrome[id as usize], &mut warnings);
    let article_body = meta.ld_str("articleBody").map(|b| collapse(&b));
    let description = ["description", "og:description", "twitter:description"]
        .iter()
        .find_map(|k| meta.get(k))
        .map(|d| collapse(&meta::decode_entities(d)))
        .or_else(|| meta.ld_str("description"))
        .filter(|d| !d.is_empty());
    let selection = body::select(
        &dom,
        &analysis,
        article_body.as_deref(),
        description.as_deref(),
    );
    let top = selection.as_ref().map(|s| s.top);
    if let Some(selection) = &selection {
        tracing::debug!(
            %url,
            container = dom.name(selection.top),
            class = dom.attr(selection.top, "class").unwrap_or(""),
            id = dom.attr(selection.top, "id").unwrap_or(""),
            parts = selection.roots.len(),
            "article container chosen"
        );
    }

    let site_name = meta
        .get("og:site_name")
        .map(|s| collapse(&meta::decode_entities(s)))
        .or_else(|| {
            meta.article
                .as_ref()
                .and_then(|a| a.get("publisher"))
                .map(|p| meta.resolve(p))
                .and_then(meta::ld_text)
        })
        .or_else(|| {
            meta.others
                .iter()
                .find(|o| meta::has_type(o, &["WebSite", "NewsMediaOrganization", "Organization"]))
                .and_then(|o| o.get("name"))
                .and_then(meta::ld_text)
        })
        .filter(|s| !s.is_empty());
    let title = title::find(&dom, &analysis, &meta, top, site_name.as_deref());
    let authors = byline::find(&dom, &analysis, &meta, top);
    let dates = dates::find(&dom, &analysis, &meta, top, url);

    let mut body = match &selection {
        Some(selection) => collect_body(&dom, &analysis, selection),
        None => Vec::new(),
    };
    if body.is_empty() {
        // No scoring container (only very short paragraphs): read the whole page minus chrome and furniture.
        let root = dom.elements_named("body").next().unwrap_or(Dom::ROOT);
        let fallback = body::Selection {
            top: root,
            roots: vec![root],
        };
        body = collect_body(&dom, &analysis, &fallback);
    }
    let mut furniture = dates.lines.clone();
    furniture.extend(authors.lines.iter().cloned());
    let author_names = authors
        .names
        .as_ref()
        .map_or(&[][..], |a| a.value.as_slice());
    let body = boilerplate::clean(
        body,
        title.as_ref().map(|t| t.value.as_str()),
        &furniture,
        author_names,
    );
    if body.is_empty() {
        warnings.push("no article body found".to_owned());
    }

    let resolve = |href: &str| resolve_url(url, href);
    let canonical_url = meta
        .canonical
        .as_deref()
        .and_then(resolve)
        .or_else(|| meta.get("og:url").and_then(resolve));
    let image = ["og:image", "og:image:url", "og:image:secure_url"]
        .iter()
        .find_map(|k| meta.get(k).and_then(resolve))
        .or_else(|| {
            meta.article
                .as_ref()
                .and_then(|a| a.get("image"))
                .and_then(meta::ld_url)
                .and_then(|u| resolve(&u))
        })
        .or_else(|| {
            ["twitter:image", "twitter:image:src"]
                .iter()
                .find_map(|k| meta.get(k).and_then(resolve))
        });
    let language = meta
        .html_lang
        .clone()
        .or_else(|| meta.get("og:locale").map(str::to_owned))
        .or_else(|| meta.get("http-equiv:content-language").map(str::to_owned))
        .or_else(|| meta.get("content-language").map(str::to_owned))
        .or_else(|| meta.ld_str("inLanguage"))
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty());

    Page {
        url: url.to_string(),
        canonical_url,
        title,
        authors: authors.names,
        published: dates.published,
        updated: dates.updated,
        language,
        site_name,
        image,
        description,
        categories: categories(&meta),
        body,
        warnings,
    }
}

/// Cuts `bytes` to `max`, with a warning.
fn cap_input<'a>(bytes: &'a [u8], max: usize, warnings: &mut Vec<String>) -> &'a [u8] {
    if bytes.len() > max {
        warnings.push(format!(
            "page is {} bytes; only the first {max} were read",
            bytes.len()
        ));
        &bytes[..max]
    } else {
        bytes
    }
}

/// Collects the body blocks of a selection, leaving furniture out: skipped elements, and short blocks that are
/// mostly link text ("Print | Email this story", "Read more: …").
fn collect_body(dom: &Dom, analysis: &body::Analysis, selection: &body::Selection) -> Vec<Block> {
    let total: u32 = selection
        .roots
        .iter()
        .map(|&r| analysis.text_len[r as usize])
        .sum();
    let skip = |id: NodeId| body::is_furniture(dom, analysis, selection, total, id);
    blocks::collect_with_links(dom, &selection.roots, &skip)
        .into_iter()
        .filter(|(block, density)| *density <= 0.6 || block.text.chars().count() >= 200)
        .map(|(block, _)| block)
        .collect()
}

/// Resolves `href` against the page URL; only `http(s)` results are kept.
fn resolve_url(base: &url::Url, href: &str) -> Option<String> {
    let href = href.trim();
    if href.is_empty() {
        return None;
    }
    let url = base.join(href).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| url.to_string())
}

/// `article:tag`s, `keywords`/`news_keywords` split on commas, and JSON-LD `keywords`, de-duplicated.
fn categories(meta: &meta::Meta) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |value: &str| {
        let value = collapse(&meta::decode_entities(value));
        if !value.is_empty()
            && value.chars().count() <= 100
            && out.len() < MAX_CATEGORIES
            && !out.iter().any(|c| c.to_lowercase() == value.to_lowercase())
        {
            out.push(value);
        }
    };
    for tag in meta.all("article:tag") {
        push(tag);
    }
    for key in ["keywords", "news_keywords"] {
        for value in meta.all(key) {
            for part in value.split([',', ';']) {
                push(part);
            }
        }
    }
    if let Some(keywords) = meta.article.as_ref().and_then(|a| a.get("keywords")) {
        match keywords {
            serde_json::Value::Array(items) => {
                for item in items {
                    if let Some(text) = meta::ld_text(item) {
                        push(&text);
                    }
                }
            }
            other => {
                if let Some(text) = meta::ld_text(other) {
                    for part in text.split(',') {
                        push(part);
                    }
                }
            }
        }
    }
    out
}
