//! Publication and update time candidates, most trusted first; the strings stay as written.
//!
//! Order: JSON-LD > microdata (and RDFa dates, reported as microdata) > OpenGraph > `<time datetime>` >
//! well-known `<meta name>`s > visible text near the article ("Posted July 24th, 2012 at 6:10 am (UTC-5)",
//! whole line) > the URL path (`/2012/07/24/`).
//! Visible text ranks above the URL path as in [`Origin`]'s order: it usually carries the time and offset too.
//!
//! Visible datelines also come from byline blocks that state a date and time ("Par Ana Lima – Publié le 24
//! juillet 2013 à 06h10") and, when nothing else is found, from short blocks near the article with a date and a
//! time ("2012年07月22日 10:48　来源：…"). A line with a time but no date ("Posted by Ana at 6:10 AM") is joined
//! to the nearest date line before it ("Tuesday, July 24, 2012 6:10 AM"), as Blogger splits them.

use newswire_model::{DateCandidate, Origin};
use serde_json::Value;

use crate::html::dom::{Dom, NodeId};
use crate::html::text::collapse;

use super::body::Analysis;
use super::meta::{Meta, has_type, ld_text};

/// At most this many candidates of each kind.
const MAX_CANDIDATES: usize = 8;

/// Visible lines longer than this are prose, not datelines.
const MAX_LINE: usize = 160;

const PUBLISHED_META: &[&str] = &[
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "published_time",
    "parsely-pub-date",
    "dc.date",
    "dc.date.issued",
    "dc.date.created",
    "dcterms.created",
    "dcterms.issued",
    "dcterms.date",
    "sailthru.date",
    "article.published",
    "og:pubdate",
    "originalpublicationdate",
    "article_date_original",
    "date_published",
    "displaydate",
    "citation_publication_date",
    "citation_date",
];

const UPDATED_META: &[&str] = &[
    "last-modified",
    "http-equiv:last-modified",
    "dcterms.modified",
    "dc.date.modified",
    "article.updated",
    "lastmod",
    "revised",
];

/// Line starts that announce a publication time.
const PUBLISHED_PREFIXES: &[&str] = &[
    "posted",
    "published",
    "first published",
    "veröffentlicht",
    "publié",
    "publie le",
    "publicado",
    "pubblicato",
    "gepubliceerd",
    "opublikowano",
    "publicerad",
    "julkaistu",
    "publicada",
    "publicat",
    "опубликовано",
    "yayınlanma",
    "yayınlandı",
    "date:",
    "dated",
    "公開",
    "投稿",
    "发布",
    "發佈",
    "发表",
    "發表",
    "게시",
    "등록",
];

/// Line starts that announce an update time.
const UPDATED_PREFIXES: &[&str] = &[
    "updated",
    "last updated",
    "last modified",
    "modified",
    "aktualisiert",
    "zuletzt aktualisiert",
    "mis à jour",
    "actualizado",
    "atualizado",
    "aggiornato",
    "bijgewerkt",
    "обновлено",
    "güncellendi",
    "güncelleme",
    "更新",
    "最終更新",
    "수정",
];

/// What date extraction found.
#[derive(Debug, Default)]
pub(crate) struct Dates {
    /// Publication time candidates, most trusted first.
    pub(crate) published: Vec<DateCandidate>,
    /// Update time candidates, most trusted first.
    pub(crate) updated: Vec<DateCandidate>,
    /// Visible datelines found, to be kept out of the body.
    pub(crate) lines: Vec<String>,
}

impl Dates {
    fn push(list: &mut Vec<DateCandidate>, value: &str, origin: Origin) {
        let value = collapse(value);
        if value.is_empty() || value.chars().count() > 200 || list.len() >= MAX_CANDIDATES {
            return;
        }
        if list.iter().any(|c| c.value == value) {
            return;
        }
        list.push(DateCandidate { value, origin });
    }

    fn published(&mut self, value: &str, origin: Origin) {
        Dates::push(&mut self.published, value, origin);
    }

    fn updated(&mut self, value: &str, origin: Origin) {
        Dates::push(&mut self.updated, value, origin);
    }
}

/// Whether `lower` starts with one of `prefixes` as a whole word (CJK prefixes need no word boundary).
fn starts_with_any(lower: &str, prefixes: &[&str]) -> bool {
    prefixes.iter().any(|p| {
        lower.starts_with(p)
            && (!p.is_ascii() && !p.chars().any(|c| c.is_lowercase())
                || lower[p.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphabetic()))
    })
}

/// Finds date candidates. `top` is the chosen article container, if any.
pub(crate) fn find(
    dom: &Dom,
    analysis: &Analysis,
    meta: &Meta,
    top: Option<NodeId>,
    url: &url::Url,
) -> Dates {
    let mut dates = Dates::default();

    // JSON-LD: the article, then other objects (WebPage...) for what it lacks.
    let ld_sources: Vec<&Value> = meta
        .article
        .iter()
        .chain(meta.others.iter().filter(|o| {
            has_type(
                o,
                &[
                    "WebPage",
                    "ItemPage",
                    "CollectionPage",
                    "MediaObject",
                    "VideoObject",
                    "Event",
                ],
            )
        }))
        .collect();
    for obj in &ld_sources {
        for key in [
            "datePublished",
            "dateCreated",
            "coverageStartTime",
            "uploadDate",
        ] {
            if let Some(value) = obj.get(key).and_then(ld_text) {
                dates.published(&value, Origin::JsonLd);
                break;
            }
        }
        if let Some(value) = obj.get("dateModified").and_then(ld_text) {
            dates.updated(&value, Origin::JsonLd);
        }
    }

    // Microdata.
    for (id, prop) in &meta.itemprops {
        // `<abbr itemprop="datePublished" title="2014-07-09T00:40:00-03:00">00:40</abbr>`: the abbr design
        // pattern of microformats and Blogger keeps the machine form in `title`.
        let value = || {
            dom.attr(*id, "content")
                .or_else(|| dom.attr(*id, "datetime"))
                .or_else(|| {
                    (dom.name(*id) == "abbr")
                        .then(|| dom.attr(*id, "title"))
                        .flatten()
                        .filter(|t| has_year(t))
                })
                .map(str::to_owned)
                .unwrap_or_else(|| dom.text(*id))
        };
        match prop.as_str() {
            "datepublished" | "datecreated" => dates.published(&value(), Origin::Microdata),
            "datemodified" => dates.updated(&value(), Origin::Microdata),
            _ => {}
        }
    }

    // RDFa, the same way: Drupal 7's `<span property="dc:date dc:created" content="…">`. Only the machine form
    // counts (`content`, `datetime`); the element's text is a display form such as "Mer, 03/03/2021 - 14:05".
    for (id, prop) in &meta.rdfa {
        let Some(value) = dom
            .attr(*id, "content")
            .or_else(|| dom.attr(*id, "datetime"))
            .filter(|v| has_year(v))
        else {
            continue;
        };
        match prop.as_str() {
            "dc:date"
            | "dc:created"
            | "dc:issued"
            | "dcterms:date"
            | "dcterms:created"
            | "dcterms:issued"
            | "schema:datepublished"
            | "datepublished" => dates.published(value, Origin::Microdata),
            "dc:modified" | "dcterms:modified" | "schema:datemodified" | "datemodified" => {
                dates.updated(value, Origin::Microdata)
            }
            _ => {}
        }
    }

    // OpenGraph.
    for key in [
        "article:published_time",
        "og:published_time",
        "article:published",
        "og:article:published_time",
    ] {
        for value in meta.all(key) {
            dates.published(value, Origin::OpenGraph);
        }
    }
    for key in [
        "article:modified_time",
        "og:updated_time",
        "article:updated_time",
        "og:article:modified_time",
    ] {
        for value in meta.all(key) {
            dates.updated(value, Origin::OpenGraph);
        }
    }

    // <time> elements in the article, or failing that the first one before the article ends.
    let mut times = Vec::new();
    for id in dom.elements_named("time") {
        if analysis.page_chrome[id as usize] {
            continue;
        }
        let value = dom
            .attr(id, "datetime")
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .unwrap_or_else(|| dom.text(id));
        if value.is_empty() {
            continue;
        }
        let in_region = dom.attr(id, "pubdate").is_some()
            || analysis.in_article[id as usize]
            || top.is_some_and(|top| near(dom, top, id));
        let class = format!(
            "{} {}",
            dom.attr(id, "class").unwrap_or(""),
            dom.attr(id, "itemprop").unwrap_or("")
        )
        .to_lowercase();
        let updated = class.contains("updated") || class.contains("modified");
        times.push((
            in_region,
            id,
            value,
            updated,
            dom.attr(id, "pubdate").is_some(),
        ));
    }
    let any_in_region = times.iter().any(|t| t.0);
    // Those with `pubdate` first.
    times.sort_by_key(|t| (!t.4, t.1));
    let mut taken = 0;
    for (in_region, id, value, updated, _) in times {
        let before_end = top.is_none_or(|top| id < dom.node(top).end);
        if in_region || (!any_in_region && before_end && taken == 0) {
            if updated {
                dates.updated(&value, Origin::TimeElement);
            } else {
                dates.published(&value, Origin::TimeElement);
            }
            taken += 1;
        }
    }

    // Well-known <meta name>s.
    for key in PUBLISHED_META {
        for value in meta.all(key) {
            dates.published(value, Origin::MetaName);
        }
    }
    for key in UPDATED_META {
        for value in meta.all(key) {
            dates.updated(value, Origin::MetaName);
        }
    }

    visible(dom, analysis, top, &mut dates);

    if let Some(value) = url_date(url) {
        dates.published(&value, Origin::UrlPath);
    }
    dates
}

/// Whether `id` lies in the neighbourhood of the article container `top` (its parent's or grandparent's
/// subtree, below `<body>`).
fn near(dom: &Dom, top: NodeId, id: NodeId) -> bool {
    let mut region = top;
    for _ in 0..2 {
        match dom.parent(region) {
            Some(parent) if !matches!(dom.name(parent), "body" | "html" | "") => region = parent,
            _ => break,
        }
    }
    dom.contains(region, id)
}

/// Visible datelines: short texts of date-ish elements (`class="postmeta"`, `posted-on`, `dateline`) and text
/// lines starting "Posted", "Published", "Updated", ... The whole line is the candidate.
fn visible(dom: &Dom, analysis: &Analysis, top: Option<NodeId>, dates: &mut Dates) {
    // (in region, id, text, is update)
    let mut found: Vec<(bool, NodeId, String, bool)> = Vec::new();
    // Lines with a date and a time but nothing else telling; used when nothing else is found.
    let mut fallback: Vec<(bool, NodeId, String, bool)> = Vec::new();
    let in_region =
        |id: NodeId| analysis.in_article[id as usize] || top.is_some_and(|top| near(dom, top, id));
    for id in 1..dom.len() as NodeId {
        let idx = id as usize;
        if analysis.chrome[idx] || found.len() >= 64 {
            continue;
        }
        match &dom.node(id).data {
            crate::html::dom::NodeData::Element(el) => {
                let hints = analysis.hints[idx];
                let len = analysis.text_len[idx] as usize;
                if !(6..=MAX_LINE).contains(&len) {
                    continue;
                }
                let meta_line = !hints.date
                    && analysis.is_block(id)
                    && (hints.byline || (fallback.len() < 8 && in_region(id)));
                if !hints.date && !meta_line {
                    continue;
                }
                let text = dom.text(id);
                if !text.chars().any(|c| c.is_ascii_digit()) {
                    continue;
                }
                if meta_line {
                    // A byline block that also states the date ("Par Claire Dubreuil – Publié le 24 juillet
                    // 2013 à 06h10") is a dateline; so, failing any other, is a short block near the article
                    // with a full date and a time ("2012年07月22日 10:48　来源：京华日报").
                    if has_year(&text) && time_of_day(&text).is_some() {
                        if hints.byline {
                            found.push((in_region(id), id, text, false));
                        } else if !dom.descendants(id).any(|d| analysis.is_block(d)) {
                            fallback.push((true, id, text, false));
                        }
                    }
                    continue;
                }
                let class = format!(
                    "{} {}",
                    el.attr("class").unwrap_or(""),
                    el.attr("id").unwrap_or("")
                )
                .to_lowercase();
                let lower = trim_punctuation(&text).to_lowercase();
                let updated = (starts_with_any(&lower, UPDATED_PREFIXES)
                    || class.contains("updated")
                    || class.contains("modified"))
                    && !starts_with_any(&lower, PUBLISHED_PREFIXES);
                found.push((in_region(id), id, text, updated));
            }
            crate::html::dom::NodeData::Text(text) => {
                let lower = lower_prefix(trim_punctuation(text), 32);
                let updated = starts_with_any(&lower, UPDATED_PREFIXES);
                if !(updated || starts_with_any(&lower, PUBLISHED_PREFIXES)) {
                    continue;
                }
                let Some(line) = line_from(dom, analysis, id) else {
                    continue;
                };
                let Some(parent) = dom.parent(id) else {
                    continue;
                };
                if found.iter().any(|f| f.2 == line) {
                    continue;
                }
                found.push((in_region(id), parent, line, updated));
            }
            crate::html::dom::NodeData::Root => {}
        }
    }
    if found.is_empty() {
        found = fallback;
    }
    // A time without a date (Blogger's footer "Posted by Ana at 6:10 AM") takes its date from the nearest date
    // line before it (Blogger's `<h2 class="date-header">Tuesday, July 24, 2012</h2>`), which it replaces.
    let mut merged = Vec::new();
    for i in 0..found.len() {
        if found[i].3 || has_year(&found[i].2) {
            continue;
        }
        let Some(time) = time_of_day(&found[i].2) else {
            continue;
        };
        let date = found[..i]
            .iter()
            .rposition(|f| !f.3 && has_year(&f.2) && time_of_day(&f.2).is_none());
        if let Some(j) = date {
            let combined = format!("{} {time}", found[j].2);
            dates
                .lines
                .push(std::mem::replace(&mut found[i].2, combined));
            merged.push(found[j].1);
        }
    }
    if !merged.is_empty() {
        for f in found.iter().filter(|f| merged.contains(&f.1)) {
            dates.lines.push(f.2.clone());
        }
        found.retain(|f| !merged.contains(&f.1));
    }
    // Nested candidates: the innermost publication line that still has a year; the innermost update line.
    let snapshot: Vec<(NodeId, bool, bool)> =
        found.iter().map(|f| (f.1, f.3, has_year(&f.2))).collect();
    found.retain(|f| {
        let year = has_year(&f.2);
        !snapshot.iter().any(|&(other, other_updated, other_year)| {
            other != f.1
                && other_updated == f.3
                && ((dom.contains(f.1, other) && (other_year || f.3))
                    || (dom.contains(other, f.1) && !year && !f.3))
        })
    });
    let any_in_region = found.iter().any(|f| f.0);
    let mut taken = 0;
    for (in_region, _, text, updated) in found {
        if any_in_region && !in_region {
            continue;
        }
        if taken >= 4 {
            break;
        }
        taken += 1;
        dates.lines.push(text.clone());
        if updated {
            dates.updated(&text, Origin::VisibleText);
        } else {
            dates.published(&text, Origin::VisibleText);
        }
    }
}

/// Whether `text` has a plausible four-digit year.
fn has_year(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.windows(4).enumerate().any(|(idx, w)| {
        (w.starts_with(b"19") || w.starts_with(b"20"))
            && w.iter().all(u8::is_ascii_digit)
            && (idx == 0 || !bytes[idx - 1].is_ascii_digit())
            && bytes.get(idx + 4).is_none_or(|b| !b.is_ascii_digit())
    })
}

/// The first time of day in `text`: `6:10 AM`, `00:40`, `06h10`, `9.40 p.m.`, `10:48:05` (hours and minutes, with
/// seconds and an am/pm marker when present).
fn time_of_day(text: &str) -> Option<&str> {
    let bytes = text.as_bytes();
    let digits = |from: usize| {
        bytes[from..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && bytes[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let hours = digits(i);
        let sep = i + hours;
        let minutes_at = sep + 1;
        let valid = (1..=2).contains(&hours)
            && matches!(bytes.get(sep), Some(b':' | b'h' | b'.'))
            && minutes_at < bytes.len()
            && digits(minutes_at) == 2;
        if !valid {
            i = sep.max(i + 1);
            continue;
        }
        let mut end = minutes_at + 2;
        if bytes.get(end) == Some(&b':') && end + 1 < bytes.len() && digits(end + 1) == 2 {
            end += 3;
        }
        let rest = text[end..].trim_start();
        let lower = rest
            .get(..4.min(rest.len()))
            .unwrap_or("")
            .to_ascii_lowercase();
        let marker = ["a.m.", "p.m.", "am", "pm"].into_iter().find(|marker| {
            lower.starts_with(marker)
                && rest[marker.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric())
        });
        match marker {
            Some(marker) => end = text.len() - rest.len() + marker.len(),
            // "3.25" is a number unless "p.m." follows.
            None if bytes[sep] == b'.' => {
                i = end;
                continue;
            }
            None => {}
        }
        return Some(&text[i..end]);
    }
    None
}

/// The first `max` characters of `text`, lower-cased (enough to test line starts without copying prose).
fn lower_prefix(text: &str, max: usize) -> String {
    text.chars()
        .take(max)
        .flat_map(char::to_lowercase)
        .collect()
}

fn trim_punctuation(text: &str) -> &str {
    text.trim_start_matches(|c: char| {
        c.is_whitespace() || matches!(c, '(' | '[' | '—' | '–' | '-' | '|' | '·' | '•')
    })
}

/// The text line starting at text node `start`: up to the next `<br>` or block boundary, if it is short and has
/// a digit.
fn line_from(dom: &Dom, analysis: &Analysis, start: NodeId) -> Option<String> {
    let anchor_end = dom.node(analysis.anchor_of(start)).end;
    let mut line = crate::html::text::Collapser::default();
    let mut id = start;
    while id < anchor_end {
        let idx = id as usize;
        match &dom.node(id).data {
            crate::html::dom::NodeData::Text(text) if !analysis.chrome[idx] => {
                line.push_str(text);
            }
            crate::html::dom::NodeData::Element(el)
                if el.name() == "br" || analysis.is_block(id) =>
            {
                break;
            }
            _ => {}
        }
        if line.len() > MAX_LINE * 4 {
            return None;
        }
        id += 1;
    }
    let line = line.finish();
    let chars = line.chars().count();
    ((6..=MAX_LINE).contains(&chars) && line.chars().any(|c| c.is_ascii_digit())).then_some(line)
}

/// A date in the URL path: `/2012/07/24/`, `/2012-07-24-slug`, `/20120724/` → `"2012-07-24"`.
pub(crate) fn url_date(url: &url::Url) -> Option<String> {
    let segments: Vec<&str> = url.path().split('/').filter(|s| !s.is_empty()).collect();
    let year = |s: &str| s.len() == 4 && s.parse::<u32>().is_ok_and(|y| (1990..=2099).contains(&y));
    let month = |s: &str| s.len() == 2 && s.parse::<u32>().is_ok_and(|m| (1..=12).contains(&m));
    let day = |s: &str| s.len() == 2 && s.parse::<u32>().is_ok_and(|d| (1..=31).contains(&d));
    for (idx, seg) in segments.iter().enumerate() {
        if year(seg) && idx + 1 < segments.len() && month(segments[idx + 1]) {
            if idx + 2 < segments.len() && day(segments[idx + 2]) {
                return Some(format!("{seg}-{}-{}", segments[idx + 1], segments[idx + 2]));
            }
            return Some(format!("{seg}-{}", segments[idx + 1]));
        }
        // "2012-07-24-slug", "slug-2012-07-24", "20120724"
        let bytes = seg.as_bytes();
        let digits = |range: std::ops::Range<usize>| {
            bytes
                .get(range.clone())
                .is_some_and(|b| b.iter().all(u8::is_ascii_digit))
        };
        let text = |range: std::ops::Range<usize>| std::str::from_utf8(&bytes[range]).unwrap_or("");
        for start in 0..bytes.len() {
            if !bytes[start].is_ascii_digit() || (start > 0 && bytes[start - 1].is_ascii_digit()) {
                continue;
            }
            let s = start;
            if digits(s..s + 4)
                && bytes.get(s + 4) == Some(&b'-')
                && digits(s + 5..s + 7)
                && bytes.get(s + 7) == Some(&b'-')
                && digits(s + 8..s + 10)
                && bytes.get(s + 10).is_none_or(|b| !b.is_ascii_digit())
                && year(text(s..s + 4))
                && month(text(s + 5..s + 7))
                && day(text(s + 8..s + 10))
            {
                return Some(text(s..s + 10).to_owned());
            }
            if digits(s..s + 8)
                && bytes.get(s + 8).is_none_or(|b| !b.is_ascii_digit())
                && year(text(s..s + 4))
                && month(text(s + 4..s + 6))
                && day(text(s + 6..s + 8))
            {
                return Some(format!(
                    "{}-{}-{}",
                    text(s..s + 4),
                    text(s + 4..s + 6),
                    text(s + 6..s + 8)
                ));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{time_of_day, url_date};

    #[test]
    fn times_of_day() {
        assert_eq!(
            time_of_day("Posted by Ana Lima at 6:10 AM"),
            Some("6:10 AM")
        );
        assert_eq!(time_of_day("às 00:40"), Some("00:40"));
        assert_eq!(
            time_of_day("Publié le 24 juillet 2013 à 06h10"),
            Some("06h10")
        );
        assert_eq!(time_of_day("at 9.40 p.m. EDT"), Some("9.40 p.m."));
        assert_eq!(
            time_of_day("2012年07月22日 10:48:05　来源"),
            Some("10:48:05")
        );
        assert_eq!(time_of_day("rates rose 3.25 per cent"), None);
        assert_eq!(time_of_day("July 24, 2012"), None);
        assert_eq!(time_of_day("123:45"), None);
    }

    #[test]
    fn dates_in_urls() {
        let d = |u: &str| url_date(&url::Url::parse(u).expect("url"));
        assert_eq!(
            d("https://x.test/blog/2012/07/24/rights-groups/").as_deref(),
            Some("2012-07-24")
        );
        assert_eq!(
            d("https://x.test/2012-07-24-rights-groups").as_deref(),
            Some("2012-07-24")
        );
        assert_eq!(
            d("https://x.test/news/20120724/story.html").as_deref(),
            Some("2012-07-24")
        );
        assert_eq!(
            d("https://x.test/2012/07/story").as_deref(),
            Some("2012-07")
        );
        assert_eq!(d("https://x.test/story-123456789"), None);
        assert_eq!(d("https://x.test/é/2012/13/01"), None);
    }
}
