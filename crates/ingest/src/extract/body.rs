//! Finding the article body: chrome pruning, paragraph scoring, container choice and furniture removal.
//!
//! 1. **Chrome** (navigation, sidebars, comments, ads, hidden elements, site header and footer, forms) is marked
//!    from tags, roles and class/id [`hints`](super::hints), unless an element holds most of the page's prose.
//! 2. **Scoring**, in the manner of Readability: every text block with at least 25 characters of mostly unlinked
//!    text scores `1 + commas + min(length / 100, 3)` (per `<br><br>` segment for old-style `div`s), added in full
//!    to its container, half to the next ancestor and a third of the level above that. Containers start from
//!    a tag bonus and their class/id hints (`itemprop="articleBody"` and a match with JSON-LD `articleBody`
//!    weigh in); the final score is scaled by `1 - link density`.
//! 3. **Choice**: the best container, lifted to an ancestor when several near-best containers share it, plus
//!    siblings that look like more of the article (split containers, loose paragraphs).
//! 4. **Furniture**: inside the choice, elements with negative hints that are small, link-dense lists, and
//!    article headers/footers are skipped; the block texts are then filtered for boilerplate lines.

use crate::html::blocks::{is_block, is_dropped};
use crate::html::dom::{Dom, NodeData, NodeId};
use crate::html::text::{Collapser, collapsed_len};

use super::hints::{Classifier, Hints};

/// Paragraphs shorter than this do not score.
const MIN_PARAGRAPH: u32 = 25;

/// A text run outside `<p>` this long counts as prose when deciding whether a chrome-named element holds the
/// article (a Blogger post sits in `<div class="widget Blog">`, its paragraphs separated by `<br><br>`).
const LOOSE_PROSE: u32 = 100;

/// Per-node facts shared by body, title, byline and date extraction.
pub(crate) struct Analysis {
    /// Class/id hints per node (default for non-elements).
    pub(crate) hints: Vec<Hints>,
    /// The node is page chrome or inside it, or is a non-content element (`script`, `img`, `head`, ...).
    pub(crate) chrome: Vec<bool>,
    /// The node is page chrome or inside it (navigation, sidebars, comments...); non-content elements as such
    /// are not counted, so `<meta itemprop>` in an article stays visible to metadata extraction.
    pub(crate) page_chrome: Vec<bool>,
    /// The node is inside an `<article>` or `itemprop="articleBody"` element.
    pub(crate) in_article: Vec<bool>,
    /// The node is an `itemprop="articleBody"` element or holds one.
    holds_body: Vec<bool>,
    /// Visible text length of the subtree, chrome excluded.
    pub(crate) text_len: Vec<u32>,
    /// Length of the subtree's text inside links, chrome excluded.
    pub(crate) link_len: Vec<u32>,
    /// Own (not nested-block) text length of block elements.
    own_len: Vec<u32>,
    own_link: Vec<u32>,
    own_commas: Vec<u32>,
    own_br: Vec<u32>,
    /// The nearest block element containing each node (itself for blocks).
    anchor: Vec<NodeId>,
}

impl Analysis {
    /// Whether `id` is a block element (its own anchor).
    pub(crate) fn is_block(&self, id: NodeId) -> bool {
        id != Dom::ROOT && self.anchor[id as usize] == id
    }

    /// The nearest block element containing `id` (the root if none).
    pub(crate) fn anchor_of(&self, id: NodeId) -> NodeId {
        self.anchor[id as usize]
    }

    /// Link density of `id`'s subtree.
    pub(crate) fn link_density(&self, id: NodeId) -> f32 {
        let text = self.text_len[id as usize];
        if text == 0 {
            0.0
        } else {
            self.link_len[id as usize] as f32 / text as f32
        }
    }
}

fn is_hidden(dom: &Dom, id: NodeId) -> bool {
    let Some(el) = dom.element(id) else {
        return false;
    };
    if el.attr("hidden").is_some() || el.attr("aria-hidden").is_some_and(|v| v.trim() == "true") {
        return true;
    }
    el.attr("style").is_some_and(|style| {
        let style: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        style.contains("display:none") || style.contains("visibility:hidden")
    })
}

fn chrome_role(role: &str) -> bool {
    role.split_ascii_whitespace().any(|role| {
        matches!(
            role.to_ascii_lowercase().as_str(),
            "navigation"
                | "banner"
                | "contentinfo"
                | "complementary"
                | "search"
                | "dialog"
                | "alertdialog"
                | "menu"
                | "menubar"
                | "toolbar"
                | "alert"
        )
    })
}

fn is_article_body(dom: &Dom, id: NodeId) -> bool {
    dom.attr(id, "itemprop").is_some_and(|p| {
        p.split_ascii_whitespace()
            .any(|p| p.eq_ignore_ascii_case("articleBody"))
    })
}

/// Computes hints, chrome marks and text statistics in a few linear passes.
pub(crate) fn analyze(dom: &Dom) -> Analysis {
    let n = dom.len();
    let mut hints = vec![Hints::default(); n];
    let mut dropped = vec![false; n];
    let mut in_link = vec![false; n];
    let mut in_p = vec![false; n];
    let mut in_heading = vec![false; n];
    let mut in_article = vec![false; n];
    // Inside `<main>` or `role="main"`: a `<header>` there belongs to the content, not to the site.
    let mut in_main = vec![false; n];
    let mut tlen = vec![0u32; n];
    let mut anchor = vec![Dom::ROOT; n];
    let mut classifier = Classifier::default();
    // Top-down: inherited flags, anchors, text lengths.
    for id in 1..n as NodeId {
        let idx = id as usize;
        let parent = dom.node(id).parent as usize;
        match &dom.node(id).data {
            NodeData::Element(el) => {
                let name = el.name();
                hints[idx] = classifier.classify(
                    el.attr("class"),
                    el.attr("id"),
                    el.attr("data-component").or_else(|| el.attr("data-testid")),
                );
                dropped[idx] = dropped[parent] || is_dropped(name);
                in_link[idx] = in_link[parent] || (name == "a" && el.attr("href").is_some());
                in_p[idx] = in_p[parent] || name == "p";
                in_heading[idx] = in_heading[parent]
                    || matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "title");
                in_article[idx] =
                    in_article[parent] || name == "article" || is_article_body(dom, id);
                in_main[idx] = in_main[parent]
                    || name == "main"
                    || el
                        .attr("role")
                        .is_some_and(|r| r.eq_ignore_ascii_case("main"));
                anchor[idx] = if is_block(name) { id } else { anchor[parent] };
            }
            NodeData::Text(text) => {
                dropped[idx] = dropped[parent];
                in_link[idx] = in_link[parent];
                in_p[idx] = in_p[parent];
                in_heading[idx] = in_heading[parent];
                in_article[idx] = in_article[parent];
                anchor[idx] = anchor[parent];
                if !dropped[idx] {
                    tlen[idx] = collapsed_len(text) as u32;
                }
            }
            NodeData::Root => {}
        }
    }
    // Bottom-up: raw prose length (text of `<p>`s outside links) and whether an articleBody lies inside.
    let mut para = vec![0u32; n];
    let mut raw_text = vec![0u32; n];
    let mut raw_link = vec![0u32; n];
    let mut holds_body = vec![false; n];
    for id in (1..n as NodeId).rev() {
        let idx = id as usize;
        raw_text[idx] += tlen[idx];
        if in_link[idx] && dom.element(id).is_none() {
            raw_link[idx] += tlen[idx];
        }
        if dom.name(id) == "p" {
            para[idx] += raw_text[idx].saturating_sub(raw_link[idx]);
        } else if tlen[idx] >= LOOSE_PROSE && !in_link[idx] && !in_p[idx] && !in_heading[idx] {
            // A long run of loose text counts as prose too: old-style posts separate paragraphs by `<br><br>`.
            para[idx] += tlen[idx];
        }
        if is_article_body(dom, id) {
            holds_body[idx] = true;
        }
        let parent = dom.node(id).parent as usize;
        raw_text[parent] += raw_text[idx];
        raw_link[parent] += raw_link[idx];
        para[parent] += para[idx];
        holds_body[parent] |= holds_body[idx];
    }
    let doc_para = para[0];
    let substantial = |id: NodeId| {
        let p = para[id as usize];
        p >= 400 && p as f32 >= 0.5 * doc_para as f32
    };
    // Top-down: chrome.
    let mut chrome = vec![false; n];
    let mut page_chrome = vec![false; n];
    for id in 1..n as NodeId {
        let idx = id as usize;
        let parent = dom.node(id).parent as usize;
        if page_chrome[parent] {
            page_chrome[idx] = true;
            chrome[idx] = true;
            continue;
        }
        chrome[idx] = dropped[idx];
        let Some(el) = dom.element(id) else { continue };
        let name = el.name();
        if matches!(name, "html" | "body") || holds_body[idx] {
            continue;
        }
        let h = hints[idx];
        // `<div class="story-header">` inside an `<article>` is the article's header, like `<header>`.
        let article_header = h.headerish && in_article[idx];
        let is_chrome = match name {
            "nav" | "aside" | "amp-ad" | "amp-embed" | "amp-sticky-ad" => true,
            "header" => !in_article[idx] && !in_main[idx] && !substantial(id),
            "footer" => !in_article[idx] && !substantial(id),
            "form" => !substantial(id),
            _ => false,
        } || (is_hidden(dom, id) && !substantial(id))
            || (el.attr("role").is_some_and(chrome_role) && !substantial(id))
            || (h.comments && !matches!(name, "article" | "main"))
            || (h.chrome && !h.positive && !substantial(id) && !article_header);
        page_chrome[idx] = is_chrome;
        chrome[idx] |= is_chrome;
    }
    // Bottom-up: clean statistics.
    let mut text_len = vec![0u32; n];
    let mut link_len = vec![0u32; n];
    let mut own_len = vec![0u32; n];
    let mut own_link = vec![0u32; n];
    let mut own_commas = vec![0u32; n];
    let mut own_br = vec![0u32; n];
    for id in (1..n as NodeId).rev() {
        let idx = id as usize;
        if chrome[idx] {
            continue;
        }
        match &dom.node(id).data {
            NodeData::Text(text) => {
                let len = tlen[idx];
                text_len[idx] += len;
                let a = anchor[idx] as usize;
                own_len[a] += len;
                if in_link[idx] {
                    link_len[idx] += len;
                    own_link[a] += len;
                }
                own_commas[a] += text
                    .chars()
                    .filter(|c| matches!(c, ',' | '،' | '、' | '，'))
                    .count() as u32;
            }
            NodeData::Element(el) if el.name() == "br" => {
                own_br[anchor[dom.node(id).parent as usize] as usize] += 1;
            }
            _ => {}
        }
        let parent = dom.node(id).parent as usize;
        text_len[parent] += text_len[idx];
        link_len[parent] += link_len[idx];
    }
    Analysis {
        hints,
        chrome,
        page_chrome,
        in_article,
        holds_body,
        text_len,
        link_len,
        own_len,
        own_link,
        own_commas,
        own_br,
        anchor,
    }
}

/// The chosen article containers, in document order.
#[derive(Debug)]
pub(crate) struct Selection {
    /// The best-scoring container.
    pub(crate) top: NodeId,
    /// The top container and the siblings taken with it, in document (id) order.
    pub(crate) roots: Vec<NodeId>,
}

fn tag_bonus(name: &str) -> f32 {
    match name {
        "article" => 10.0,
        "main" | "div" => 5.0,
        "section" | "pre" | "td" | "blockquote" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    }
}

fn hint_weight(h: Hints) -> f32 {
    let mut weight = 0.0;
    if h.positive {
        weight += 25.0;
    }
    if h.chrome {
        weight -= 25.0;
    }
    if h.comments {
        weight -= 50.0;
    }
    if h.furniture {
        weight -= 15.0;
    }
    weight
}

/// Elements that are paragraphs themselves; their score goes to their container.
fn is_paragraph_tag(name: &str) -> bool {
    matches!(
        name,
        "p" | "pre"
            | "li"
            | "dd"
            | "dt"
            | "blockquote"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "address"
    )
}

/// The first characters of the block's own text (not of nested blocks), collapsed.
fn own_prefix(dom: &Dom, analysis: &Analysis, block: NodeId, max: usize) -> String {
    let mut out = Collapser::default();
    let mut skip_until = 0;
    for id in dom.descendants(block) {
        if id < skip_until {
            continue;
        }
        if analysis.chrome[id as usize]
            || (dom.element(id).is_some() && analysis.anchor[id as usize] == id)
        {
            skip_until = dom.node(id).end;
            continue;
        }
        if let NodeData::Text(text) = &dom.node(id).data {
            out.push_str(text);
            if out.len() >= max {
                break;
            }
        }
    }
    out.finish()
}

/// Scores containers and picks the article. `article_body` is the JSON-LD `articleBody`, collapsed, if any.
/// `description` is the page's meta description: a loose paragraph before the container that repeats it is
/// the standfirst, not the article.
pub(crate) fn select(
    dom: &Dom,
    analysis: &Analysis,
    article_body: Option<&str>,
    description: Option<&str>,
) -> Option<Selection> {
    let n = dom.len();
    let mut score = vec![0f32; n];
    let mut scored = vec![false; n];
    let mut touched: Vec<NodeId> = Vec::new();
    let init =
        |id: NodeId, score: &mut Vec<f32>, scored: &mut Vec<bool>, touched: &mut Vec<NodeId>| {
            if !scored[id as usize] {
                scored[id as usize] = true;
                touched.push(id);
                let mut s = tag_bonus(dom.name(id)) + hint_weight(analysis.hints[id as usize]);
                if is_article_body(dom, id) {
                    s += 30.0;
                }
                score[id as usize] = s;
            }
        };
    // The paragraphs that score.
    let paragraphs: Vec<NodeId> = (1..n as NodeId)
        .filter(|&id| {
            let idx = id as usize;
            let own = analysis.own_len[idx];
            own >= MIN_PARAGRAPH
                && !analysis.chrome[idx]
                && dom.element(id).is_some()
                && !matches!(dom.name(id), "h1" | "body" | "html")
                && analysis.own_link[idx] as f32 <= 0.5 * own as f32
        })
        .collect();
    // Paragraphs found in JSON-LD `articleBody`. When at least two are, the others are probably not article.
    // Bounded work on hostile input: the first 100 kB of the body text, the first 1,000 paragraphs.
    let article_body = article_body.map(|body| {
        let mut end = body.len().min(100_000);
        while !body.is_char_boundary(end) {
            end -= 1;
        }
        &body[..end]
    });
    let matched: Vec<NodeId> = match article_body {
        Some(body) => paragraphs
            .iter()
            .take(1_000)
            .copied()
            .filter(|&id| {
                let prefix = own_prefix(dom, analysis, id, 60);
                prefix.chars().count() >= 20 && body.contains(prefix.as_str())
            })
            .collect(),
        None => Vec::new(),
    };
    let body_known = matched.len() >= 2;
    let is_matched = |id: NodeId| matched.binary_search(&id).is_ok();
    for &id in &paragraphs {
        let idx = id as usize;
        let own = analysis.own_len[idx];
        let name = dom.name(id);
        let segments = (1 + analysis.own_br[idx] / 2).min(1 + own / 50) as f32;
        let mut para_score =
            segments + analysis.own_commas[idx] as f32 + (own as f32 / 100.0).min(3.0 * segments);
        if name == "li" {
            para_score *= 0.5;
        }
        if is_matched(id) {
            para_score *= 2.0;
        } else if body_known {
            para_score *= 0.25;
        }
        // A `div` of inline text is a paragraph; one holding `<br><br>`-separated text is a container of them.
        let start = if is_paragraph_tag(name) || analysis.own_br[idx] < 2 {
            dom.parent(id)
        } else {
            Some(id)
        };
        let mut cur = start;
        let mut level = 0u32;
        while let Some(node) = cur {
            if node == Dom::ROOT || level > 4 {
                break;
            }
            if !analysis.chrome[node as usize] {
                init(node, &mut score, &mut scored, &mut touched);
                let divider = match level {
                    0 => 1.0,
                    1 => 2.0,
                    _ => level as f32 * 3.0,
                };
                score[node as usize] += para_score / divider;
            }
            level += 1;
            cur = dom.parent(node);
        }
    }
    let final_score = |id: NodeId| score[id as usize] * (1.0 - analysis.link_density(id));
    let mut top = None::<(NodeId, f32)>;
    for &id in &touched {
        let s = final_score(id);
        if top.is_none_or(|(best_id, best)| s > best || (s == best && id < best_id)) {
            top = Some((id, s));
        }
    }
    let (mut top, top_score) = top?;

    // Several near-best containers under one ancestor: the article is that ancestor.
    let alternatives: Vec<NodeId> = touched
        .iter()
        .copied()
        .filter(|&id| {
            id != top
                && final_score(id) >= 0.75 * top_score
                && !dom.contains(id, top)
                && !dom.contains(top, id)
        })
        .collect();
    if alternatives.len() >= 3 {
        let mut ancestor = dom.parent(top);
        while let Some(node) = ancestor {
            if matches!(dom.name(node), "body" | "html") || node == Dom::ROOT {
                break;
            }
            let inside = alternatives
                .iter()
                .filter(|&&alt| dom.contains(node, alt))
                .count();
            if inside >= 3 {
                top = node;
                break;
            }
            ancestor = dom.parent(node);
        }
    }
    // An only child stands for its parent.
    while let Some(parent) = dom.parent(top) {
        if matches!(dom.name(parent), "body" | "html" | "") || analysis.chrome[parent as usize] {
            break;
        }
        let element_children = dom
            .children(parent)
            .filter(|&c| dom.element(c).is_some() && !analysis.chrome[c as usize])
            .count();
        if element_children != 1 {
            break;
        }
        top = parent;
    }
    let top_final = if scored[top as usize] {
        final_score(top)
    } else {
        top_score
    };

    // Siblings that continue the article.
    let mut roots = Vec::new();
    let threshold = (top_final * 0.2).max(10.0);
    let top_class = dom.attr(top, "class").filter(|c| !c.trim().is_empty());
    let Some(parent) = dom.parent(top) else {
        return Some(Selection {
            top,
            roots: vec![top],
        });
    };
    for sibling in dom.children(parent) {
        if sibling == top {
            roots.push(top);
            continue;
        }
        let idx = sibling as usize;
        if analysis.chrome[idx] || dom.element(sibling).is_none() {
            continue;
        }
        let h = analysis.hints[idx];
        // A furniture-named sibling continues the article only when it is long: Drupal's standfirst field
        // `field-name-field-sommario field-type-text-long` is positive by its type word alone.
        if h.chrome || h.comments || (h.furniture && (!h.positive || analysis.text_len[idx] < 200))
        {
            continue;
        }
        // With a known article body, a sibling must hold some of it.
        if body_known {
            let end = dom.node(sibling).end;
            let first = matched.partition_point(|&m| m < sibling);
            if matched.get(first).is_none_or(|&m| m >= end) {
                continue;
            }
        }
        let bonus = if top_class.is_some() && dom.attr(sibling, "class") == top_class
            || class_stem(top_class)
                .is_some_and(|s| class_stem(dom.attr(sibling, "class")) == Some(s))
        {
            top_final * 0.2
        } else {
            0.0
        };
        let sib_score = if scored[idx] {
            final_score(sibling)
        } else {
            0.0
        };
        let append = if scored[idx] && sib_score + bonus >= threshold {
            true
        } else if dom.name(sibling) == "p" {
            if sibling < top && description.is_some_and(|d| dom.text(sibling) == d) {
                continue;
            }
            let len = analysis.text_len[idx];
            let density = analysis.link_density(sibling);
            if len > 80 {
                density < 0.25
            } else {
                len > 0 && density == 0.0 && {
                    let text = dom.text(sibling);
                    text.ends_with('.') || text.contains(". ")
                }
            }
        } else {
            false
        };
        if append {
            roots.push(sibling);
        }
    }
    // The article goes on in a later sibling of the top or of one of its ancestors, with the same tag (Medium's
    // `<section>`s split by `<hr>`, a photo gallery's intro and outro `<div>`s): the best container in it joins.
    touched.sort_unstable();
    let mut node = top;
    for _ in 0..4 {
        let Some(parent) = dom.parent(node) else {
            break;
        };
        if matches!(dom.name(parent), "body" | "html" | "") {
            break;
        }
        let name = dom.name(node);
        for sibling in dom.children(parent).filter(|&c| c > node) {
            let idx = sibling as usize;
            let h = analysis.hints[idx];
            if analysis.chrome[idx]
                || h.chrome
                || h.comments
                || h.furniture
                || dom.name(sibling) != name
                || matches!(name, "article" | "td" | "tr" | "tbody" | "li")
                || roots.contains(&sibling)
            {
                continue;
            }
            let end = dom.node(sibling).end;
            // At least two scoring paragraphs: a boxed sentence in the next column is not more article.
            let prose = paragraphs.partition_point(|&p| p < end)
                - paragraphs.partition_point(|&p| p < sibling);
            if prose < 2 || analysis.text_len[idx] < 200 {
                continue;
            }
            let first = touched.partition_point(|&t| t < sibling);
            let best = touched[first..]
                .iter()
                .copied()
                .take_while(|&t| t < end)
                .filter(|&t| analysis.link_density(t) < 0.25 && !analysis.chrome[t as usize])
                .max_by(|&a, &b| final_score(a).total_cmp(&final_score(b)));
            if let Some(best) = best.filter(|&b| final_score(b) >= 0.3 * top_final) {
                roots.push(best);
            }
        }
        node = parent;
    }
    roots.sort_unstable();
    roots.dedup();
    Some(Selection { top, roots })
}

/// The first word of the first class name, when the name has several (`gallery-intro` → `gallery`): the parts
/// of a split article are often named `x-intro`, `x-body`, `x-outro`.
fn class_stem(class: Option<&str>) -> Option<&str> {
    let first = class?.split_ascii_whitespace().next()?;
    let (stem, rest) = first.split_once(['-', '_'])?;
    (stem.len() >= 3 && !rest.is_empty()).then_some(stem)
}

/// Whether `id`, inside the selection, is furniture to leave out of the body.
pub(crate) fn is_furniture(
    dom: &Dom,
    analysis: &Analysis,
    selection: &Selection,
    total: u32,
    id: NodeId,
) -> bool {
    let idx = id as usize;
    if analysis.chrome[idx] {
        return true;
    }
    if selection.roots.binary_search(&id).is_ok() {
        return false;
    }
    let Some(el) = dom.element(id) else {
        return false;
    };
    let name = el.name();
    // The article body, or an element holding it (a live blog's `<article class="block is-summary">` post with
    // its `itemprop="articleBody"`), is never furniture, whatever its class says.
    if analysis.holds_body[idx] {
        return false;
    }
    let h = analysis.hints[idx];
    let text = analysis.text_len[idx];
    let big = text as f32 >= 0.25 * total as f32 && text >= 200;
    // An inline element counts only when it makes up its whole line: a `<span class="date">` inside a sentence
    // is part of the sentence.
    let whole_line = analysis.is_block(id) || {
        let anchor = analysis.anchor[idx] as usize;
        analysis.own_len[anchor] <= text + 2
    };
    // A chrome-named element that analysis kept for holding most of the prose (Arc's `<div class="paywall">`
    // around the story text) is the article, like a positive one.
    let kept_chrome = h.chrome && !h.headerish && !analysis.page_chrome[idx];
    // On a heading, a header word names the heading itself (Substack's `<h2 class="header-anchor-post">`), not
    // the article's header.
    let named_heading = matches!(name, "h2" | "h3" | "h4" | "h5" | "h6")
        && h.headerish
        && h.furniture
        && !h.chrome
        && !h.comments
        && !h.date;
    if (h.chrome || h.comments || h.furniture)
        && !((h.positive || kept_chrome) && big)
        && !named_heading
        && whole_line
    {
        return true;
    }
    if is_hidden(dom, id) {
        return true;
    }
    if matches!(name, "div" | "section" | "aside") && text < 300 && is_membership_box(dom, id) {
        return true;
    }
    match name {
        "header" | "footer" | "nav" | "aside" | "form" => return !big,
        // A data table (with a caption or header cells) is not prose; a layout table holds no `<th>`.
        "table" => return is_data_table(dom, id),
        // A timestamp standing alone in its block is a dateline.
        "time" => return whole_line,
        // Images and their captions; a figure that holds a quotation, table or list is kept.
        "figure" => {
            let keep = dom.descendants(id).take(2_000).any(|d| {
                matches!(dom.name(d), "blockquote" | "table" | "pre" | "ul" | "ol")
                    && !analysis.hints[d as usize].furniture
            });
            return !keep;
        }
        _ => {}
    }
    if text > 0 {
        let density = analysis.link_density(id);
        let listish = matches!(
            name,
            "ul" | "ol"
                | "dl"
                | "div"
                | "section"
                | "table"
                | "tbody"
                | "tr"
                | "td"
                | "center"
                | "menu"
        );
        if listish && density > 0.5 {
            return true;
        }
        if matches!(name, "p" | "li" | "dd" | "h2" | "h3" | "h4" | "h5" | "h6")
            && density > 0.7
            && text < 300
        {
            return true;
        }
    }
    false
}

/// Whether a small box links to a sign-up, subscription or donation page: a membership, newsletter or
/// reader-support callout ("The Corridor is free and reader-funded. Become a member…"), not article text.
fn is_membership_box(dom: &Dom, id: NodeId) -> bool {
    dom.descendants(id).take(200).any(|d| {
        dom.name(d) == "a"
            && dom.attr(d, "href").is_some_and(|href| {
                let href = href.to_ascii_lowercase();
                [
                    "signup",
                    "sign-up",
                    "subscribe",
                    "/portal/",
                    "membership",
                    "newsletter",
                    "donate",
                ]
                .iter()
                .any(|w| href.contains(w))
                    // A path segment `/support/` or `/contribute/`: reader-revenue pages.
                    || href
                        .split(['?', '#'])
                        .next()
                        .unwrap_or("")
                        .split('/')
                        .any(|segment| matches!(segment, "support" | "contribute"))
            })
    })
}

/// Whether a `<table>` holds data rather than layout: it has a caption or header cells of its own (nested
/// tables are jumped over, so nested layout tables cost one pass in all).
fn is_data_table(dom: &Dom, table: NodeId) -> bool {
    let end = dom.node(table).end;
    let mut id = table + 1;
    while id < end {
        match dom.name(id) {
            "table" => {
                id = dom.node(id).end;
                continue;
            }
            "caption" | "th" | "thead" => return true,
            _ => {}
        }
        id += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::class_stem;

    #[test]
    fn class_stems() {
        assert_eq!(class_stem(Some("gallery-intro")), Some("gallery"));
        assert_eq!(class_stem(Some("article_body-part-2 x")), Some("article"));
        assert_eq!(class_stem(Some("gallery")), None);
        assert_eq!(class_stem(Some("a-b")), None);
        assert_eq!(class_stem(None), None);
    }
}
