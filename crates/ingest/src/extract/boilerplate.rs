//! Text-level cleanup of body blocks: boilerplate lines, repeated title, bylines and datelines.

use newswire_model::{Block, BlockKind};

use super::byline::parse_byline;

/// Whole lines that are never article text (lower-case, trailing punctuation removed).
const LINES: &[&str] = &[
    "advertisement",
    "story continues below advertisement",
    "article continues below advertisement",
    "article continues below",
    "skip advertisement",
    "publicidad",
    "publicidade",
    "pubblicità",
    "anzeige",
    "werbung",
    "advertising",
    "ad",
    "sponsored",
    "sponsored content",
    "share",
    "share this",
    "share this article",
    "share this story",
    "share this post",
    "share on facebook",
    "share on twitter",
    "tweet",
    "email",
    "print",
    "comments",
    "comment",
    "leave a comment",
    "leave a reply",
    "post a comment",
    "add a comment",
    "no comments",
    "no comments yet",
    "related",
    "related articles",
    "related posts",
    "related stories",
    "related content",
    "related coverage",
    "read more",
    "read more here",
    "continue reading",
    "recent posts",
    "recent articles",
    "most read",
    "most popular",
    "popular posts",
    "trending",
    "trending now",
    "you may also like",
    "you might also like",
    "more stories",
    "more from this author",
    "tags",
    "topics",
    "back to top",
    "subscribe",
    "sign up",
    "follow us",
    "skip to content",
    "skip to main content",
    "click here",
    "loading",
    "like this",
    "like loading",
    "report an error",
    "top of page",
    "next post",
    "previous post",
    "newer post",
    "older post",
    "see also",
    "categories",
    "filed under",
    "condividi",
    "compartir",
    "compartilhe",
    "partager",
    "teilen",
];

/// Line starts that mark boilerplate in short lines (lower-case).
const PREFIXES: &[&str] = &[
    "photo:",
    "photo by ",
    "photos:",
    "photograph:",
    "image:",
    "image credit",
    "photo credit",
    "picture:",
    "credit:",
    "credits:",
    "caption:",
    "(photo",
    "[photo",
    "read more:",
    "read more at",
    "related:",
    "see also:",
    "tags:",
    "topics:",
    "filed under",
    "posted in ",
    "categories:",
    "share this:",
    "follow us",
    "copyright ©",
    "copyright (c)",
    "©",
    "all rights reserved",
    "leave a comment",
    "click here to",
    "sign up for",
    "subscribe to our",
    "the post ",
    "condividi:",
    "compartir:",
    "compartilhe:",
    "partager :",
    "partager:",
    "teilen:",
    "disclaimer:",
    "免责声明",
    "免責聲明",
    "media contact",
    "media contacts",
    "media inquiries",
    "press contact",
    "press contacts",
    "investor contact",
    "investor contacts",
];

/// Headings that open the legal tail of a press release: it and what follows are not the release text.
const LEGAL_HEADINGS: &[&str] = &[
    "forward-looking statements",
    "forward looking statements",
    "cautionary note regarding forward-looking statements",
    "cautionary statement regarding forward-looking statements",
    "safe harbor statement",
];

/// Credits that start a wire credit tail ("Reporting by …; Editing by …").
const CREDITS: &[&str] = &[
    "reporting by",
    "additional reporting by",
    "editing by",
    "writing by",
    "compiled by",
];

/// Line starts that mark boilerplate at any length (lower-case): the print-edition line of NYT-style pages.
const LONG_PREFIXES: &[&str] = &["a version of this article appears in print"];

/// Short lines, at most this many characters, are checked against [`PREFIXES`].
const SHORT: usize = 120;

fn normalized(text: &str) -> String {
    text.trim()
        .trim_end_matches([':', '.', '»', '›', '→', '…', '!', '>', '|', ' '])
        .trim_start_matches(['«', '‹', '←', '<', '|', ' '])
        .to_lowercase()
}

/// Whether `text` is a boilerplate line.
pub(crate) fn is_boilerplate(text: &str) -> bool {
    let norm = normalized(text);
    if norm.is_empty() || LINES.contains(&norm.as_str()) {
        return true;
    }
    let lower = text.trim().to_lowercase();
    let chars = lower.chars().count();
    if LONG_PREFIXES.iter().any(|p| lower.starts_with(p)) {
        return true;
    }
    if chars <= SHORT && PREFIXES.iter().any(|p| lower.starts_with(p)) {
        // "The post X appeared first on Y" is boilerplate only in that exact shape.
        if lower.starts_with("the post ") {
            return lower.contains("appeared first on");
        }
        return true;
    }
    // Wire credit tails: "(Reporting by Ana Lima; Editing by Tom Reyes)", or without the parentheses when a
    // second credit follows ("Reporting by Ana Lima in Santiago; Editing by Tom Reyes").
    if chars <= 400 {
        if let Some(rest) = lower.strip_prefix('(')
            && CREDITS.iter().any(|p| rest.starts_with(p))
            && lower.ends_with(')')
        {
            return true;
        }
        if CREDITS.iter().any(|p| lower.starts_with(p))
            && CREDITS.iter().any(|p| lower.contains(&format!("; {p}")))
        {
            return true;
        }
    }
    // A press release's source tag: "SOURCE Northwind Cells" (capitals, as the wire services write it).
    if chars <= 100 && text.trim().starts_with("SOURCE ") && !lower.ends_with(['.', '!', '?']) {
        return true;
    }
    // A bare count left by like, clap or comment buttons: "48", "1.2K".
    if chars <= 8 && is_count(&norm) {
        return true;
    }
    // "Credit Jane Doe/Reuters", without terminal punctuation.
    if chars <= 60 && lower.starts_with("credit ") && !lower.ends_with('.') {
        return true;
    }
    // "12 comments", "1 Comment", "No Comments »"
    if let Some(rest) = norm
        .strip_suffix(" comments")
        .or_else(|| norm.strip_suffix(" comment"))
        && (rest.chars().all(|c| c.is_ascii_digit()) || rest == "no")
    {
        return true;
    }
    false
}

/// Whether `norm` is a number as counters show it: digits with separators and an optional `k`/`m` suffix.
fn is_count(norm: &str) -> bool {
    let digits = norm.trim_end_matches(['k', 'm']);
    digits.starts_with(|c: char| c.is_ascii_digit())
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
}

/// Whether a block near the top repeats the headline: the same text, or a heading that is most of it (the
/// page's `<h1>` when the title came from JSON-LD with a suffix or a kicker).
fn repeats_title(title: &str, lower: &str, kind: BlockKind) -> bool {
    if title == lower {
        return true;
    }
    if kind != BlockKind::Heading {
        return false;
    }
    let (short, long) = if title.len() < lower.len() {
        (title, lower)
    } else {
        (lower, title)
    };
    long.contains(short) && short.chars().count() * 3 >= long.chars().count() * 2
}

/// Headings that introduce lists of other stories: "Related topics", "More on this story", "Most read".
fn is_teaser_heading(lower: &str) -> bool {
    lower.chars().count() <= 60
        && [
            "related",
            "more on",
            "more from",
            "more stories",
            "most read",
            "most popular",
            "see also",
            "read more",
            "recommended",
            "you may also",
            "you might also",
            "top stories",
            "latest news",
            "also in",
            "trending",
        ]
        .iter()
        .any(|p| lower.starts_with(p))
}

fn starts_with_dateline(lower: &str) -> bool {
    [
        "posted",
        "published",
        "updated",
        "last updated",
        "first published",
        "veröffentlicht",
        "aktualisiert",
        "publié",
        "mis à jour",
        "publicado",
        "actualizado",
        "atualizado",
        "pubblicato",
        "aggiornato",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
}

/// Whether a block at the end of the article is the author's bio: it opens with an author's name and goes on
/// about them ("Caroline Ashby covers water and land use. She is based in Denver."), not with a quote.
fn is_author_bio(text: &str, authors: &[String]) -> bool {
    text.chars().count() <= 300
        && authors.iter().any(|name| {
            text.strip_prefix(name.as_str()).is_some_and(|rest| {
                let rest = rest.trim_start();
                rest.len() < text.len()
                    && rest
                        .split_whitespace()
                        .next()
                        .is_some_and(|word| word.chars().all(char::is_lowercase))
                    && !rest.starts_with("said")
                    && !rest.starts_with("says")
            })
        })
}

/// Removes boilerplate, the repeated title, byline/dateline lines (`furniture`) and a closing author bio (for
/// the page's `authors`) from the blocks.
pub(crate) fn clean(
    blocks: Vec<Block>,
    title: Option<&str>,
    furniture: &[String],
    authors: &[String],
) -> Vec<Block> {
    let title = title.map(|t| t.trim().to_lowercase());
    let furniture: Vec<String> = furniture.iter().map(|f| f.trim().to_lowercase()).collect();
    let n = blocks.len();
    let mut out = Vec::with_capacity(n);
    for (idx, block) in blocks.into_iter().enumerate() {
        if block.kind == BlockKind::Preformatted {
            out.push(block);
            continue;
        }
        let lower = block.text.trim().to_lowercase();
        let edge = idx < 4 || idx + 3 >= n;
        // The legal tail of a press release, in the second half: the heading and everything after it.
        if idx * 2 >= n && LEGAL_HEADINGS.contains(&normalized(&block.text).as_str()) {
            break;
        }
        if furniture.contains(&lower) || is_boilerplate(&block.text) {
            continue;
        }
        if block.kind == BlockKind::Heading && is_teaser_heading(&lower) {
            continue;
        }
        if idx + 2 >= n && idx > 0 && is_author_bio(block.text.trim(), authors) {
            continue;
        }
        if idx < 4
            && title
                .as_deref()
                .is_some_and(|t| repeats_title(t, &lower, block.kind))
        {
            continue;
        }
        let chars = lower.chars().count();
        if edge
            && chars <= 160
            && starts_with_dateline(&lower)
            && lower.chars().any(|c| c.is_ascii_digit())
        {
            continue;
        }
        // "By Ana Lima", "By Staff Reporter": a byline, person or not; "By Tuesday, most roads were open." is not.
        if idx < 4
            && chars <= 100
            && ["by ", "von ", "por ", "par "]
                .iter()
                .any(|p| lower.starts_with(p))
            && block.text.split_whitespace().count() <= 10
            && (!parse_byline(&block.text).is_empty()
                || !lower.ends_with(['.', '!', '?', '"', '”']))
        {
            continue;
        }
        out.push(block);
    }
    // A heading with nothing after it introduced furniture that was removed.
    while out.last().is_some_and(|b| b.kind == BlockKind::Heading) {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{is_author_bio, is_boilerplate};

    #[test]
    fn lines() {
        for line in [
            "Leave a comment",
            "Leave a Reply",
            "No Comments »",
            "Share this:",
            "Advertisement",
            "Related:",
            "Read more",
            "Photo: Jane Doe/Agency",
            "Credit: Reuters",
            "Credit Jane Doe for The Daily",
            "12 Comments",
            "Tags: China, rights",
            "The post Hello appeared first on Blog.",
            "Condividi: Facebook · Twitter · WhatsApp",
            "Story continues below advertisement",
            "(Reporting by Ann Saville; Additional reporting by Luis Ferrante in New York; Editing by Paul Merritt)",
            "免责声明：本文仅代表作者个人观点，不构成投资建议。",
            "Reporting by Ana Lima in Santiago and Tom Reyes in London; Editing by Paul Merritt",
            "SOURCE Northwind Cells",
            "Media Contact: Dana Kessler, +1 555-0100",
            "1.2K",
            "48",
            "A version of this article appears in print on April 19, 2023, Section A, Page 16 of the New York \
             edition with the headline: Judge Limits Pumping To Protect Rare Fish. Order Reprints | Today’s Paper",
        ] {
            assert!(is_boilerplate(line), "{line}");
        }
        for line in [
            "Credit card debt rose again in June.",
            "The post office closed early.",
            "Related reports suggest the talks will resume next week, officials said.",
            "Sharing is caring, she said.",
            "(Reporting by the agency was later corrected.) The court ruled on Monday.",
            "Reporting by the agency was later corrected, the court said.",
            "Source code for the model was published on Monday.",
            "SOURCE: the ministry.",
            "1.5 million people voted.",
        ] {
            assert!(!is_boilerplate(line), "{line}");
        }
    }

    #[test]
    fn author_bios() {
        let authors = ["Caroline Ashby".to_owned()];
        assert!(is_author_bio(
            "Caroline Ashby covers water, drought and land use in the American West. She is based in Denver.",
            &authors
        ));
        assert!(!is_author_bio(
            "Caroline Ashby said the ruling was final.",
            &authors
        ));
        assert!(!is_author_bio(
            "Caroline Ashby, a hydrologist, disagreed.",
            &authors
        ));
        assert!(!is_author_bio(
            "The court covers water rights too.",
            &authors
        ));
    }
}
