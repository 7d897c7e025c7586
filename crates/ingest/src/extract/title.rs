//! The headline: JSON-LD `headline` > `og:title` > the article's `<h1>` > `<title>` without the site name.

use newswire_model::{Candidate, Origin};

use crate::html::dom::{Dom, NodeId};

use super::body::Analysis;
use super::meta::Meta;

/// Separators between a headline and a site name in `<title>`, most specific first.
const SEPARATORS: &[&str] = &[
    " | ", " — ", " – ", " - ", " :: ", " · ", " » ", " « ", " / ", " ~ ",
];

fn words(text: &str) -> usize {
    text.split_whitespace().count()
}

fn eq_fold(a: &str, b: &str) -> bool {
    a.to_lowercase() == b.to_lowercase()
}

/// `text` without `suffix`, compared case-insensitively character by character.
fn strip_suffix_fold<'a>(text: &'a str, suffix: &str) -> Option<&'a str> {
    let n = suffix.chars().count();
    let start = if n == 0 {
        text.len()
    } else {
        text.char_indices().rev().nth(n - 1)?.0
    };
    (text[start..].to_lowercase() == suffix.to_lowercase()).then(|| &text[..start])
}

/// `text` without `prefix`, compared case-insensitively character by character.
fn strip_prefix_fold<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let n = prefix.chars().count();
    let end = text
        .char_indices()
        .nth(n)
        .map_or(text.len(), |(idx, _)| idx);
    (text[..end].to_lowercase() == prefix.to_lowercase()).then(|| &text[end..])
}

/// Removes a site-name prefix or suffix from a `<title>`.
///
/// With a known `site_name`, "Headline | Site", "Site - Headline" and "Site: Headline" lose the site part.
/// Without one, the part after the last separator goes if it is short (at most four words) and the rest is not;
/// failing that, a short part before the first separator goes.
pub(crate) fn strip_site_name(title: &str, site_name: Option<&str>) -> String {
    let title = title.trim();
    if let Some(site) = site_name.map(str::trim).filter(|s| !s.is_empty()) {
        for sep in SEPARATORS.iter().chain(&[": "]) {
            if let Some(head) = strip_suffix_fold(title, &format!("{sep}{site}"))
                && !head.trim().is_empty()
            {
                return head.trim().to_owned();
            }
            if let Some(tail) = strip_prefix_fold(title, &format!("{site}{}", sep.trim_start()))
                && !tail.trim().is_empty()
            {
                return tail.trim().to_owned();
            }
        }
    }
    let last = SEPARATORS
        .iter()
        .filter_map(|sep| title.rfind(sep).map(|pos| (pos, sep.len())))
        .max_by_key(|&(pos, _)| pos);
    if let Some((pos, len)) = last {
        let (head, tail) = (title[..pos].trim(), title[pos + len..].trim());
        if words(tail) <= 4 && words(head) >= 2 && words(head) >= words(tail) {
            return head.to_owned();
        }
    }
    let first = SEPARATORS
        .iter()
        .filter_map(|sep| title.find(sep).map(|pos| (pos, sep.len())))
        .min_by_key(|&(pos, _)| pos);
    if let Some((pos, len)) = first {
        let (head, tail) = (title[..pos].trim(), title[pos + len..].trim());
        if words(head) <= 3 && words(tail) >= 4 {
            return tail.to_owned();
        }
    }
    title.to_owned()
}

/// The text of a heading element, if it is usable as a title.
fn heading_text(dom: &Dom, id: NodeId) -> Option<String> {
    let text = dom.text(id);
    let len = text.chars().count();
    (3..=300).contains(&len).then_some(text)
}

/// Finds the title. `top` is the chosen article container, if any.
pub(crate) fn find(
    dom: &Dom,
    analysis: &Analysis,
    meta: &Meta,
    top: Option<NodeId>,
    site_name: Option<&str>,
) -> Option<Candidate<String>> {
    if let Some(headline) = meta.ld_str("headline").or_else(|| meta.ld_str("name")) {
        // Medium writes "Headline - Publication" into the JSON-LD headline: a known site name at the end goes.
        let value = site_name
            .and_then(|site| strip_site_suffix(&headline, site))
            .unwrap_or(headline);
        return Some(Candidate {
            value,
            origin: Origin::JsonLd,
        });
    }
    let title_main = meta.title.as_deref().map(|t| strip_site_name(t, site_name));
    let full_title = meta.title.as_deref();
    let heading = find_heading(
        dom,
        analysis,
        top,
        title_main.as_deref(),
        full_title,
        site_name,
    );
    if let Some(og) = meta.get("og:title") {
        let og = super::meta::decode_entities(og);
        let mut value = match site_name {
            Some(site) => strip_known_site(&og, site),
            None => crate::html::text::collapse(&og),
        };
        // "Headline | Site" without og:site_name: the page's own headline shows where the site part starts.
        if let Some(heading) = &heading
            && value.len() > heading.len()
            && value.starts_with(heading.as_str())
            && SEPARATORS
                .iter()
                .any(|sep| value[heading.len()..].starts_with(sep))
        {
            value = heading.clone();
        }
        if !value.is_empty() {
            return Some(Candidate {
                value,
                origin: Origin::OpenGraph,
            });
        }
    }
    if let Some(heading) = heading {
        return Some(Candidate {
            value: heading,
            origin: Origin::Heading,
        });
    }
    title_main.filter(|t| !t.is_empty()).map(|value| Candidate {
        value,
        origin: Origin::Heading,
    })
}

/// `text` without a trailing separator and the known `site` name ("Headline - Site" → "Headline"), if it has one.
fn strip_site_suffix(text: &str, site: &str) -> Option<String> {
    let site = site.trim();
    if site.is_empty() {
        return None;
    }
    SEPARATORS.iter().find_map(|sep| {
        strip_suffix_fold(text.trim(), &format!("{sep}{site}"))
            .map(str::trim)
            .filter(|head| !head.is_empty())
            .map(str::to_owned)
    })
}

fn strip_known_site(title: &str, site: &str) -> String {
    let stripped = strip_site_name(title, Some(site));
    // Only a known site name is removed from og:title; never a guess.
    if stripped.len() < title.trim().len()
        && (title.to_lowercase().ends_with(&site.to_lowercase())
            || title.to_lowercase().starts_with(&site.to_lowercase()))
    {
        stripped
    } else {
        crate::html::text::collapse(title)
    }
}

fn find_heading(
    dom: &Dom,
    analysis: &Analysis,
    top: Option<NodeId>,
    title_main: Option<&str>,
    full_title: Option<&str>,
    site_name: Option<&str>,
) -> Option<String> {
    let title_lower = title_main.map(str::to_lowercase);
    let full_lower = full_title.map(str::to_lowercase);
    let matches_title = |text: &str| {
        title_lower.as_deref().is_some_and(|t| {
            let text = text.to_lowercase();
            t == text || (t.contains(&text) && text.chars().count() * 2 >= t.chars().count())
        })
    };
    // The site's name: known, or the part of `<title>` that was stripped.
    let is_site = |text: &str| {
        site_name.is_some_and(|site| eq_fold(site, text))
            || (full_lower
                .as_deref()
                .is_some_and(|t| t.contains(&text.to_lowercase()))
                && !matches_title(text))
            || matches!(
                text.to_lowercase().as_str(),
                "home" | "menu" | "navigation" | "search"
            )
    };
    let usable_ancestor =
        |id: Option<NodeId>| id.filter(|&a| !matches!(dom.name(a), "body" | "html" | ""));
    let near_top = |id: NodeId| {
        top.is_some_and(|top| {
            let parent = usable_ancestor(dom.parent(top));
            let grand = usable_ancestor(parent.and_then(|p| dom.parent(p)));
            dom.contains(top, id)
                || parent.is_some_and(|p| dom.contains(p, id))
                || grand.is_some_and(|g| dom.contains(g, id) && id < top)
        })
    };
    // (rank, distance to top, id, text): lower is better.
    let mut best: Option<(u8, u32, String)> = None;
    let mut consider = |rank: u8, id: NodeId, text: String| {
        let distance = top.map_or(0, |top| top.abs_diff(id));
        if best
            .as_ref()
            .is_none_or(|(r, d, _)| (rank, distance) < (*r, *d))
        {
            best = Some((rank, distance, text));
        }
    };
    for id in 1..dom.len() as NodeId {
        let name = dom.name(id);
        let headline = dom.attr(id, "itemprop").is_some_and(|p| {
            p.split_ascii_whitespace()
                .any(|p| p.eq_ignore_ascii_case("headline"))
        });
        if !(name == "h1" || headline || matches!(name, "h2" | "h3"))
            || analysis.page_chrome[id as usize]
        {
            continue;
        }
        if name == "meta" {
            continue;
        }
        let Some(text) = heading_text(dom, id) else {
            continue;
        };
        if is_site(&text) {
            continue;
        }
        let rank = if headline {
            0
        } else if name == "h1" {
            if analysis.in_article[id as usize] || near_top(id) {
                1
            } else if matches_title(&text) {
                2
            } else if title_main.is_none() {
                4
            } else {
                continue;
            }
        } else if matches_title(&text) && (near_top(id) || analysis.in_article[id as usize]) {
            3
        } else {
            continue;
        };
        consider(rank, id, text);
    }
    best.map(|(_, _, text)| text)
}

#[cfg(test)]
mod tests {
    use super::strip_site_name;

    #[test]
    fn site_names() {
        assert_eq!(
            strip_site_name("Rights Groups Call for US | Human Rights Blog", None),
            "Rights Groups Call for US"
        );
        assert_eq!(
            strip_site_name("Storm hits coast - The Daily Planet", None),
            "Storm hits coast"
        );
        assert_eq!(
            strip_site_name("Storm hits coast — Planet", Some("Planet")),
            "Storm hits coast"
        );
        assert_eq!(
            strip_site_name("Planet: Storm hits the coast", Some("Planet")),
            "Storm hits the coast"
        );
        assert_eq!(
            strip_site_name("Planet | Storm hits the coast tonight", None),
            "Storm hits the coast tonight"
        );
        assert_eq!(
            strip_site_name("Breaking: storm hits coast", None),
            "Breaking: storm hits coast"
        );
        assert_eq!(strip_site_name("A - B", None), "A - B");
        assert_eq!(
            strip_site_name("İstanbul news | İSTANBUL POST", Some("İstanbul Post")),
            "İstanbul news"
        );
        assert_eq!(strip_site_name("K", Some("\u{212A}elvin")), "K");
    }
}
