//! Bylines to author names: "By Ana Lima and Tom Reyes" → `["Ana Lima", "Tom Reyes"]`, non-persons rejected.

use newswire_model::{Candidate, Origin};
use serde_json::Value;

use crate::html::dom::{Dom, NodeId};
use crate::html::text::collapse;

use super::body::Analysis;
use super::meta::{Meta, has_type, ld_text};

/// Authors found on a page, and the visible byline lines (to keep out of the body).
#[derive(Debug, Default)]
pub(crate) struct Authors {
    /// The names, with where they were found.
    pub(crate) names: Option<Candidate<Vec<String>>>,
    /// Visible byline texts seen while looking.
    pub(crate) lines: Vec<String>,
}

/// Names from a JSON-LD `author` value: a string, a `Person`, or an array of those. Organisations are skipped.
fn ld_authors(meta: &Meta, value: &Value, out: &mut Vec<String>) {
    let value = meta.resolve(value);
    match value {
        Value::Array(items) => {
            for item in items.iter().take(20) {
                ld_authors(meta, item, out);
            }
        }
        Value::Object(_) => {
            if has_type(
                value,
                &[
                    "Organization",
                    "NewsMediaOrganization",
                    "Corporation",
                    "GovernmentOrganization",
                ],
            ) {
                return;
            }
            if let Some(name) = value.get("name").and_then(ld_text) {
                push_names(out, parse_byline(&name));
            }
        }
        Value::String(s) => push_names(out, parse_byline(s)),
        _ => {}
    }
}

fn push_names(out: &mut Vec<String>, names: Vec<String>) {
    for name in names {
        if !out.contains(&name) {
            out.push(name);
        }
    }
}

fn candidate(names: Vec<String>, origin: Origin) -> Option<Candidate<Vec<String>>> {
    (!names.is_empty()).then_some(Candidate {
        value: names,
        origin,
    })
}

/// Finds the authors: JSON-LD > `article:author` > `<meta name=author>` > microdata > `rel=author` and
/// byline elements near the article.
pub(crate) fn find(dom: &Dom, analysis: &Analysis, meta: &Meta, top: Option<NodeId>) -> Authors {
    let mut authors = Authors::default();
    // Visible bylines are always looked for, so that their lines can be kept out of the body.
    let visible = visible_bylines(dom, analysis, meta, top, &mut authors.lines);
    if let Some(value) = meta
        .article
        .as_ref()
        .and_then(|a| a.get("author").or_else(|| a.get("creator")))
    {
        let mut names = Vec::new();
        // Recursion here is bounded by serde_json's nesting limit.
        ld_authors(meta, value, &mut names);
        if let Some(found) = candidate(names, Origin::JsonLd) {
            authors.names = Some(found);
            return authors;
        }
    }
    let from_meta = |keys: &[&str]| {
        let mut names = Vec::new();
        for key in keys {
            for value in meta.all(key) {
                if value.contains("://") || value.starts_with("www.") || value.starts_with('/') {
                    continue;
                }
                push_names(&mut names, parse_byline(value));
            }
        }
        names
    };
    if let Some(found) = candidate(
        from_meta(&["article:author", "og:article:author"]),
        Origin::OpenGraph,
    ) {
        authors.names = Some(found);
        return authors;
    }
    let meta_keys = [
        "author",
        "dc.creator",
        "dcterms.creator",
        "parsely-author",
        "sailthru.author",
        "byl",
    ];
    if let Some(found) = candidate(from_meta(&meta_keys), Origin::MetaName) {
        authors.names = Some(found);
        return authors;
    }
    let mut names = Vec::new();
    let author_props = meta
        .itemprops
        .iter()
        .filter(|(_, p)| p == "author" || p == "creator");
    for (id, _) in author_props.take(20) {
        let inner_name = meta
            .itemprops
            .iter()
            .find(|(inner, p)| p == "name" && dom.contains(*id, *inner) && inner != id)
            .map(|(inner, _)| {
                dom.attr(*inner, "content")
                    .map(str::to_owned)
                    .unwrap_or_else(|| dom.text(*inner))
            });
        let text = inner_name
            .or_else(|| dom.attr(*id, "content").map(str::to_owned))
            .unwrap_or_else(|| dom.text(*id));
        if text.chars().count() <= 200 {
            push_names(&mut names, parse_byline(&text));
        }
    }
    if let Some(found) = candidate(names, Origin::Microdata) {
        authors.names = Some(found);
        return authors;
    }
    authors.names = candidate(visible, Origin::VisibleText);
    authors
}

/// Names from `rel=author` links and byline-classed elements, preferring those in or near the article.
fn visible_bylines(
    dom: &Dom,
    analysis: &Analysis,
    meta: &Meta,
    top: Option<NodeId>,
    lines: &mut Vec<String>,
) -> Vec<String> {
    // (in region, element, the byline text when it is only part of the element's text)
    let mut found: Vec<(bool, NodeId, Option<String>)> = Vec::new();
    let region = |id: NodeId| {
        analysis.in_article[id as usize]
            || top.is_some_and(|top| {
                let mut region = top;
                for _ in 0..2 {
                    match dom.parent(region) {
                        Some(p) if !matches!(dom.name(p), "body" | "html" | "") => region = p,
                        _ => break,
                    }
                }
                dom.contains(region, id)
            })
    };
    for &id in &meta.rel_author {
        found.push((region(id), id, None));
    }
    let mut plain = Vec::new();
    for id in 1..dom.len() as NodeId {
        let idx = id as usize;
        if analysis.page_chrome[idx] || dom.element(id).is_none() {
            continue;
        }
        let len = analysis.text_len[idx];
        if analysis.hints[idx].byline && (3..=200).contains(&len) {
            found.push((region(id), id, None));
        } else if analysis.is_block(id) && (5..=160).contains(&len) && region(id) && plain.len() < 8
        {
            // A short block "By Ana Lima" in the article, without a telling class.
            let text = dom.text(id);
            if len <= 100
                && ["By ", "BY ", "Von ", "Por ", "Par "]
                    .iter()
                    .any(|p| text.starts_with(p))
            {
                plain.push((true, id, None));
            } else if let Some(name) = after_inline_label(&text) {
                plain.push((true, id, Some(name.to_owned())));
            }
        }
        if found.len() >= 32 {
            break;
        }
    }
    found.extend(plain);
    let any_in_region = found.iter().any(|f| f.0);
    let mut names = Vec::new();
    for (in_region, id, part) in found {
        if any_in_region && !in_region {
            continue;
        }
        let text = dom.text(id);
        let parsed = parse_byline(part.as_deref().unwrap_or(&text));
        if !parsed.is_empty() {
            lines.push(text);
            if names.is_empty() {
                names = parsed;
            }
        }
    }
    names
}

/// Prefixes that introduce a byline, lower-case, longest first.
const PREFIXES: &[&str] = &[
    "written by",
    "reporting by",
    "posted by",
    "story by",
    "words by",
    "text by",
    "author:",
    "autor:",
    "autorin:",
    "auteur :",
    "auteur:",
    "text:",
    "texto:",
    "texte :",
    "texte:",
    "автор:",
    "автор",
    "作者：",
    "作者:",
    "作者",
    "记者：",
    "记者:",
    "记者",
    "記者",
    "撰文：",
    "文：",
    "by:",
    "by",
    "von",
    "por",
    "par",
    "door",
    "di",
    "af",
    "av",
    "przez",
];

/// Names that are not persons, lower-case.
const NOT_PERSONS: &[&str] = &[
    "staff",
    "staff reporter",
    "staff writer",
    "staff writers",
    "staff report",
    "our staff",
    "reuters",
    "ap",
    "the associated press",
    "associated press",
    "afp",
    "agence france-presse",
    "bloomberg",
    "dpa",
    "efe",
    "ansa",
    "upi",
    "xinhua",
    "pa",
    "press association",
    "editorial board",
    "the editorial board",
    "editorial",
    "editors",
    "the editors",
    "editor",
    "admin",
    "administrator",
    "webmaster",
    "newsroom",
    "news desk",
    "web desk",
    "desk",
    "guest",
    "guest author",
    "anonymous",
    "unknown",
    "team",
    "redaktion",
    "rédaction",
    "redacción",
    "redação",
    "wire",
    "wire services",
    "news service",
    "news services",
];

/// Words that make a byline segment a job title or an organisation rather than a name.
const ROLE_WORDS: &[&str] = &[
    "staff",
    "writer",
    "reporter",
    "correspondent",
    "editor",
    "contributor",
    "columnist",
    "desk",
    "team",
    "bureau",
    "agency",
    "press",
    "service",
    "services",
    "newsroom",
    "admin",
    "news",
    "board",
    "media",
    "wire",
    "photographer",
    "chief",
    "senior",
    "special",
];

/// Splits a byline into person names. Returns an empty list when nothing in it looks like a person.
pub(crate) fn parse_byline(text: &str) -> Vec<String> {
    let text = collapse(text);
    // The name part ends where a date, a separator or a role begins.
    let cut = text
        .find(['|', '•', '·', '\n', '/', '—', '–'])
        .unwrap_or(text.len());
    let mut text = text[..cut].trim().to_owned();
    for marker in [
        " Posted",
        " Published",
        " Updated",
        " on ",
        " Veröffentlicht",
        " Publié",
        " Publicado",
    ] {
        if let Some(pos) = text.find(marker) {
            text.truncate(pos);
        }
    }
    // Parenthesised agencies and roles: "Ana Lima (Reuters)".
    let mut cleaned = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => cleaned.push(c),
            _ => {}
        }
    }
    let mut rest = cleaned.trim();
    // Prefixes are ASCII: compare bytes, so that slicing stays on character boundaries.
    // Role labels in other scripts ("Автор:", "记者", "作者：") are matched case-insensitively too; a CJK label
    // needs no space before the name ("记者陈思远").
    let starts_with_prefix = |rest: &str, p: &str| {
        rest.get(..p.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(p) || head.to_lowercase() == p)
            && (p.ends_with([':', '：'])
                || is_cjk_label(p)
                || rest[p.len()..]
                    .starts_with(|c: char| c.is_whitespace() || c == ':' || c == '：'))
    };
    while let Some(prefix) = PREFIXES.iter().find(|p| starts_with_prefix(rest, p)) {
        rest = rest[prefix.len()..]
            .trim_start_matches([':', '：', ' ', '\u{3000}'])
            .trim();
    }
    let mut joined = format!(" {rest} ");
    for conj in [
        " and ", " And ", " & ", " und ", " y ", " e ", " et ", " en ", " og ", " och ",
    ] {
        joined = joined.replace(conj, ",");
    }
    let mut names: Vec<String> = Vec::new();
    for part in joined.split([',', ';']) {
        let name = part
            .trim()
            .trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != '\'');
        let name = collapse(name);
        if is_person_name(&name) && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// Whether a byline label is written in a script without letter case (`记者`, `作者`).
fn is_cjk_label(label: &str) -> bool {
    !label.is_ascii() && !label.chars().any(|c| c.is_lowercase() || c.is_uppercase())
}

/// Labels that name the author in the middle of a Chinese or Japanese info line
/// ("2012年07月22日 10:48　来源：京华日报　作者：李文静").
const INLINE_LABELS: &[&str] = &["作者：", "作者:", "记者：", "记者:", "撰文："];

/// The name after an inline author label, up to the next space: `…　作者：李文静　我要评论` → `李文静`.
fn after_inline_label(text: &str) -> Option<&str> {
    INLINE_LABELS.iter().find_map(|label| {
        let start = text.find(label)? + label.len();
        let rest = text[start..].trim_start();
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        (end > 0).then(|| &rest[..end])
    })
}

/// Whether `name` plausibly names a person (not an agency, a desk, a role, a URL or a handle).
pub(crate) fn is_person_name(name: &str) -> bool {
    let name = name.trim();
    let lower = name.to_lowercase();
    if name.chars().count() < 2
        || name.chars().count() > 60
        || NOT_PERSONS.contains(&lower.as_str())
    {
        return false;
    }
    if name.contains(['@', '/', '#', '<', '>', '=', '?', '{', '}', '|'])
        || lower.contains("http")
        || name.chars().any(|c| c.is_ascii_digit())
        || !name.chars().any(char::is_alphabetic)
    {
        return false;
    }
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.is_empty() || words.len() > 5 {
        return false;
    }
    if words.iter().any(|w| {
        let w = w
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        ROLE_WORDS.contains(&w.as_str())
    }) {
        return false;
    }
    // Acronyms ("AP", "AFP", "UPI") are agencies.
    if words.len() == 1
        && name
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase)
        && name.len() <= 6
    {
        return false;
    }
    // In cased scripts a name has a capitalised word; lower-case words are handles ("admin", "jdoe").
    let first = name.chars().find(|c| c.is_alphabetic()).unwrap_or(' ');
    if (first.is_lowercase() || first.is_uppercase())
        && !words
            .iter()
            .any(|w| w.chars().next().is_some_and(char::is_uppercase))
    {
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bylines() {
        assert_eq!(
            parse_byline("By Ana Lima and Tom Reyes"),
            ["Ana Lima", "Tom Reyes"]
        );
        assert_eq!(parse_byline("BY  Ana Lima, Staff Writer"), ["Ana Lima"]);
        assert_eq!(
            parse_byline("Von Jana Müller und Peter Schmidt"),
            ["Jana Müller", "Peter Schmidt"]
        );
        assert_eq!(parse_byline("Por María José García"), ["María José García"]);
        assert_eq!(
            parse_byline("Par Jean-Luc Martin | 24 juillet 2012"),
            ["Jean-Luc Martin"]
        );
        assert_eq!(parse_byline("By Ana Lima (Reuters)"), ["Ana Lima"]);
        assert_eq!(
            parse_byline("Ana Lima, Tom Reyes & Li Wei"),
            ["Ana Lima", "Tom Reyes", "Li Wei"]
        );
        assert_eq!(
            parse_byline("By Ana Lima Posted July 24th, 2012"),
            ["Ana Lima"]
        );
        for nobody in [
            "Staff",
            "By Staff Reporter",
            "Reuters",
            "AP",
            "Editorial Board",
            "admin",
            "By AFP",
            "https://example.com/ana",
        ] {
            assert!(parse_byline(nobody).is_empty(), "{nobody}");
        }
    }

    #[test]
    fn role_labels_in_other_languages() {
        assert_eq!(parse_byline("Автор: Дмитрий Иванов"), ["Дмитрий Иванов"]);
        assert_eq!(parse_byline("记者 陈思远"), ["陈思远"]);
        assert_eq!(parse_byline("记者陈思远"), ["陈思远"]);
        assert_eq!(parse_byline("作者：李文静"), ["李文静"]);
        assert_eq!(parse_byline("Texto: Ana Lima"), ["Ana Lima"]);
        // A cased word that merely starts like a label is a name.
        assert_eq!(parse_byline("Byron Lee"), ["Byron Lee"]);
    }

    #[test]
    fn inline_author_labels() {
        assert_eq!(
            after_inline_label(
                "2012年07月22日 10:48\u{3000}来源：京华日报\u{3000}作者：李文静\u{3000}我要评论"
            ),
            Some("李文静")
        );
        assert_eq!(after_inline_label("来源：京华日报"), None);
    }
}
