//! What `class` and `id` attributes say about an element: article content, page chrome, comments, furniture.
//!
//! Each class name (and the id) is split into lower-case tokens at punctuation and camelCase boundaries, with
//! trailing digits removed (`sidebar-2` → `sidebar`, `articleBody` → `article body`). A class name counts as
//! negative if any of its tokens is negative (`related-articles`, `post-navigation` and `entry-meta` are all
//! furniture even though they contain a content word); only class names without negative tokens count as
//! positive. Layout modifiers (`has-sidebar`, `no-comments`, `with-ads`) are ignored.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::html::dom::FxBuild;

/// The classification of one element.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Hints {
    /// A class or id names article content (`entry-content`, `article-body`, `post`).
    pub(crate) positive: bool,
    /// A class or id names page chrome (sidebar, navigation, sharing, related links, ads, newsletter, footer).
    pub(crate) chrome: bool,
    /// A class or id names a comment section (`comments`, `respond`, `disqus`, `comment-link`).
    pub(crate) comments: bool,
    /// A class or id names article furniture (meta line, byline, date, caption, credit, tags, print tools).
    pub(crate) furniture: bool,
    /// A class or id mentions a date or time (`date`, `time`, `posted`, `published`, `postmeta`, `dateline`).
    pub(crate) date: bool,
    /// A class or id mentions a byline (`byline`, `author`, `writer`).
    pub(crate) byline: bool,
    /// The chrome or furniture verdict comes from a header or footer word (`site-header`, `longform-header`,
    /// `entry-header`, but not `date-header`): inside an article that is the article's own header, not the
    /// site's; on a heading, the heading itself.
    pub(crate) headerish: bool,
}

const COMMENTS: &[&str] = &[
    "comment",
    "comments",
    "commentlist",
    "respond",
    "reply",
    "replies",
    "disqus",
    "comentarios",
    "kommentare",
    "commentaires",
];

const CHROME: &[&str] = &[
    "tweet",
    "twitter",
    "instagram",
    "tiktok",
    "facebook",
    "youtube",
    "embed",
    "oembed",
    "sidebar",
    "widget",
    "widgets",
    "nav",
    "navbar",
    "navigation",
    "menu",
    "menus",
    "footer",
    "header",
    "masthead",
    "topbar",
    "breadcrumb",
    "breadcrumbs",
    "pagination",
    "pager",
    "related",
    "relatedposts",
    "recommended",
    "recommendation",
    "recommendations",
    "popular",
    "mostread",
    "mostpopular",
    "trending",
    "share",
    "shares",
    "sharing",
    "sharedaddy",
    "sharebar",
    "social",
    "sociable",
    "addthis",
    "addtoany",
    "newsletter",
    "subscribe",
    "subscription",
    "signup",
    "cookie",
    "cookies",
    "consent",
    "gdpr",
    "ad",
    "ads",
    "adv",
    "advert",
    "adverts",
    "advertisement",
    "advertising",
    "adslot",
    "adunit",
    "adsense",
    "adsbygoogle",
    "dfp",
    "sponsor",
    "sponsors",
    "sponsored",
    "promo",
    "promos",
    "promotion",
    "promotions",
    "outbrain",
    "taboola",
    "recirc",
    "teaser",
    "teasers",
    "modal",
    "popup",
    "overlay",
    "skiplink",
    "login",
    "search",
    "toolbar",
    "condividi",
    "correlati",
    "compartir",
    "partage",
    "yarpp",
    "jp",
    "crp",
];

const FURNITURE: &[&str] = &[
    "links",
    "submitted",
    "username",
    "meta",
    "postmeta",
    "entrymeta",
    "postmetadata",
    "metadata",
    "byline",
    "bylines",
    "author",
    "authors",
    "writer",
    "dateline",
    "date",
    "time",
    "timestamp",
    "posted",
    "published",
    "pubdate",
    "updated",
    "caption",
    "captions",
    "credit",
    "credits",
    "photocredit",
    "tags",
    "tag",
    "tagcloud",
    "taglist",
    "keywords",
    "print",
    "email",
    "hidden",
    "sronly",
    "visuallyhidden",
    "screen",
    "tools",
    "reactions",
    "rating",
    "readmore",
    "more",
    "continue",
    "standfirst",
    "dek",
    "deck",
    "kicker",
    "strapline",
    "subtitle",
    "subheadline",
    "summary",
    "excerpt",
    "sumario",
    "entradilla",
    "antetitulo",
    "chapo",
    "chapeau",
    "surtitre",
    "legende",
    "leyenda",
    "didascalia",
    "bildunterschrift",
    "pullout",
    "factbox",
    "infobox",
    "occhiello",
    "sommario",
    "catenaccio",
    "firma",
    "autor",
    "autore",
    "auteur",
    "signature",
];

const POSITIVE: &[&str] = &[
    "article",
    "articlebody",
    "articlecontent",
    "articletext",
    "body",
    "content",
    "contents",
    "entry",
    "entrycontent",
    "main",
    "maincontent",
    "post",
    "postbody",
    "postcontent",
    "posttext",
    "story",
    "storybody",
    "storycontent",
    "storytext",
    "text",
    "hentry",
    "blogpost",
    "prose",
    "richtext",
];

const DATE: &[&str] = &[
    "submitted",
    "date",
    "time",
    "timestamp",
    "posted",
    "published",
    "pubdate",
    "updated",
    "meta",
    "postmeta",
    "entrymeta",
    "postmetadata",
    "metadata",
    "byline",
    "dateline",
    "datetime",
];

const BYLINE: &[&str] = &[
    "username",
    "byline",
    "bylines",
    "author",
    "authors",
    "writer",
    "creator",
    "firma",
    "autor",
    "autore",
    "auteur",
    "signature",
];

const MODIFIERS: &[&str] = &[
    "has", "no", "with", "without", "show", "hide", "enable", "enabled", "disabled",
];

const F_COMMENT: u8 = 1;
const F_CHROME: u8 = 2;
const F_FURNITURE: u8 = 4;
const F_POSITIVE: u8 = 8;
const F_DATE: u8 = 16;
const F_BYLINE: u8 = 32;
const F_MODIFIER: u8 = 64;
const F_HEADERISH: u8 = 128;

/// Parts that make a glued compound token (`sharedaddy`, `mainsidebar`) chrome.
const CHROME_PARTS: &[&str] = &[
    "sidebar",
    "advert",
    "sponsor",
    "newsletter",
    "cookie",
    "breadcrumb",
    "outbrain",
    "taboola",
    "social",
    "related",
    "widget",
    "footer",
    "navbar",
    "popup",
    "sharing",
    "share",
];

fn token_table() -> &'static HashMap<&'static str, u8, FxBuild> {
    static TABLE: OnceLock<HashMap<&'static str, u8, FxBuild>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = HashMap::default();
        for (set, flag) in [
            (COMMENTS, F_COMMENT),
            (CHROME, F_CHROME),
            (FURNITURE, F_FURNITURE),
            (POSITIVE, F_POSITIVE),
            (DATE, F_DATE),
            (BYLINE, F_BYLINE),
            (MODIFIERS, F_MODIFIER),
            (&["header", "footer", "masthead"][..], F_HEADERISH),
        ] {
            for token in set {
                *table.entry(*token).or_insert(0) |= flag;
            }
        }
        table
    })
}

/// The flags of one lower-case token.
fn token_flags(token: &str) -> u8 {
    let mut flags = token_table().get(token).copied().unwrap_or(0);
    if token.len() >= 6 {
        if token.contains("comment") && !token.contains("commentary") {
            flags |= F_COMMENT;
        }
        if CHROME_PARTS.iter().any(|part| token.contains(part)) {
            flags |= F_CHROME;
        }
        if token.contains("article") || token.contains("story") {
            flags |= F_POSITIVE;
        }
    }
    flags
}

/// Adds the hints of one class name (or id) to `hints`. `buf` is scratch space.
fn classify_name(name: &str, buf: &mut String, hints: &mut Hints) {
    // Tokens are lower-cased into `buf`; a token ends at punctuation or a lower→upper case change.
    buf.clear();
    let mut bounds: [(usize, usize); 16] = [(0, 0); 16];
    let mut n_tokens = 0;
    let mut start = 0;
    let mut prev_lower = false;
    let mut close = |buf: &String, start: &mut usize, n_tokens: &mut usize| {
        // Trailing digits go: `sidebar-2`, `post-12`.
        let token = buf[*start..].trim_end_matches(|c: char| c.is_ascii_digit());
        let end = if token.is_empty() {
            buf.len()
        } else {
            *start + token.len()
        };
        if end > *start && *n_tokens < bounds.len() {
            bounds[*n_tokens] = (*start, end);
            *n_tokens += 1;
        }
        *start = buf.len();
    };
    for c in name.chars() {
        if c.is_alphanumeric() {
            if c.is_uppercase() && prev_lower {
                close(buf, &mut start, &mut n_tokens);
            }
            prev_lower = c.is_lowercase() || c.is_ascii_digit();
            if c.is_ascii() {
                buf.push(c.to_ascii_lowercase());
            } else {
                buf.extend(c.to_lowercase());
            }
        } else {
            prev_lower = false;
            close(buf, &mut start, &mut n_tokens);
        }
    }
    close(buf, &mut start, &mut n_tokens);
    let mut flags = 0u8;
    let mut names_date = false;
    for &(start, end) in &bounds[..n_tokens] {
        let token = &buf[start..end];
        flags |= token_flags(token);
        names_date |= matches!(token, "date" | "time" | "timestamp");
    }
    if n_tokens == 0 || flags & F_MODIFIER != 0 {
        return;
    }
    hints.date |= flags & F_DATE != 0;
    hints.byline |= flags & F_BYLINE != 0;
    let positive = flags & F_POSITIVE != 0;
    if flags & F_COMMENT != 0 {
        hints.comments = true;
    } else if (positive || names_date) && flags & F_HEADERISH != 0 {
        // `entry-header`, `article-footer`: the article's own header and footer; `date-header`: a dateline
        // heading over a blog's posts.
        hints.furniture = true;
        hints.headerish |= positive;
    } else if flags & F_CHROME != 0 {
        hints.chrome = true;
        hints.headerish |= flags & F_HEADERISH != 0;
    } else if flags & F_FURNITURE != 0 {
        hints.furniture = true;
    } else if positive {
        hints.positive = true;
    }
}

fn merge(a: Hints, b: Hints) -> Hints {
    Hints {
        positive: a.positive || b.positive,
        chrome: a.chrome || b.chrome,
        comments: a.comments || b.comments,
        furniture: a.furniture || b.furniture,
        date: a.date || b.date,
        byline: a.byline || b.byline,
        headerish: a.headerish || b.headerish,
    }
}

/// Classifies elements, remembering the verdict for each distinct `class` value (pages repeat them a lot).
#[derive(Default)]
pub(crate) struct Classifier<'a> {
    cache: HashMap<&'a str, Hints, FxBuild>,
    buf: String,
}

impl<'a> Classifier<'a> {
    /// Classifies an element from its `class` and `id` attributes, and a component name such as
    /// `data-component="byline-block"` (treated like an id).
    pub(crate) fn classify(
        &mut self,
        class: Option<&'a str>,
        id: Option<&str>,
        component: Option<&str>,
    ) -> Hints {
        let mut hints = Hints::default();
        if let Some(class) = class.filter(|c| !c.trim().is_empty()) {
            hints = match self.cache.get(class) {
                Some(&cached) => cached,
                None => {
                    let mut computed = Hints::default();
                    for name in class.split_ascii_whitespace() {
                        classify_name(name, &mut self.buf, &mut computed);
                    }
                    if self.cache.len() < 10_000 {
                        self.cache.insert(class, computed);
                    }
                    computed
                }
            };
        }
        for name in [id, component].into_iter().flatten() {
            let mut from_name = Hints::default();
            classify_name(name, &mut self.buf, &mut from_name);
            hints = merge(hints, from_name);
        }
        hints
    }
}

/// Classifies an element from its `class` and `id` attributes (without caching).
#[cfg(test)]
pub(crate) fn classify(class: Option<&str>, id: Option<&str>) -> Hints {
    Classifier::default().classify(class, id, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        let c = |class: &str| classify(Some(class), None);
        assert!(c("entry-content").positive);
        assert!(c("articleBody").positive);
        assert!(!c("entry-meta").positive && c("entry-meta").furniture);
        assert!(c("postmeta").date && c("postmeta").furniture);
        assert!(c("comment-link").comments);
        assert!(c("sharedaddy sd-sharing-enabled").chrome);
        assert!(c("related-articles").chrome);
        assert!(c("widget-content").chrome && !c("widget-content").positive);
        assert_eq!(c("has-sidebar"), Hints::default());
        assert!(c("sidebar-2").chrome);
        let wp = c("post-12 post type-post status-publish hentry category-news tag-china");
        assert!(wp.positive && wp.furniture && !wp.chrome);
        assert!(!c("commentary").comments);
        assert!(classify(None, Some("comments")).comments);
        assert!(c("head").eq(&Hints::default()));
        assert!(c("byline").byline);
        assert!(c("entry-header").furniture && !c("entry-header").chrome);
        assert!(classify(None, Some("header")).chrome);
        assert!(c("longform-header").chrome && c("longform-header").headerish);
        assert!(!c("sidebar").headerish);
        assert!(c("article-pullout").furniture && !c("article-pullout").positive);
        assert!(c("surtitre").furniture && c("legende").furniture);
        assert!(c("occhiello").furniture && c("box-correlati").chrome);
        assert!(c("date-header").furniture && c("date-header").date && !c("date-header").chrome);
    }
}
