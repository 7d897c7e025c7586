//! HTML to body blocks: a small DOM that stays linear on hostile input, and the walker that turns it into blocks.
//!
//! [`fragment_blocks`] serves feed content (`content:encoded`, Atom `content`); article extraction
//! ([`crate::extract`]) uses the same DOM and walker on the container it picks.
//!
//! The DOM is built from html5ever's tokenizer (entities, raw text and attributes as browsers read them) with a
//! simplified tree construction: implied end tags for `p`, `li`, `dd`/`dt`, table parts, headings and
//! `option`, and end tags that close the nearest open element of that name within scope. Misnested formatting
//! is not re-opened, nesting deeper than 512 elements is flattened, and at most 500,000 nodes are built, so
//! time and memory stay linear in the input. Every traversal is iterative.

pub(crate) mod blocks;
pub(crate) mod dom;
pub(crate) mod text;

#[cfg(test)]
mod tests;

use newswire_model::Block;

/// Converts an HTML fragment (feed content, an article container) into body blocks in reading order.
///
/// Paragraphs, headings (`h1`–`h6`), list items, block quotes (each inner `<p>` its own quote block) and
/// `<pre>` become blocks; inline markup is flattened to text with white space collapsed; a single `<br>` reads
/// as a space, while `<br><br>` separates paragraphs. Images, figure captions (and elements classed as captions
/// or credits, like WordPress's `wp-caption-text`), scripts, styles, embedded media and form controls are
/// dropped.
///
/// ```
/// use newswire_model::{Block, BlockKind};
/// let blocks = newswire_ingest::html::fragment_blocks("<p>One <em>two</em></p><blockquote>Three</blockquote>");
/// assert_eq!(blocks, vec![
///     Block::paragraph("One two"),
///     Block { kind: BlockKind::Quote, text: "Three".into() },
/// ]);
/// ```
///
/// Clean, well-nested fragments (most feed content) take a one-pass fast path that gives exactly what the
/// DOM would; anything else is parsed as a browser would.
pub fn fragment_blocks(html: &str) -> Vec<Block> {
    crate::feed::fast_body_blocks(html).unwrap_or_else(|| fragment_blocks_dom(html))
}

/// [`fragment_blocks`] through the DOM alone: the reference the fast path must match.
pub(crate) fn fragment_blocks_dom(html: &str) -> Vec<Block> {
    let dom = dom::Dom::parse_fragment(html);
    blocks::collect(&dom, &[dom::Dom::ROOT], &|id| is_caption(&dom, id))
}

/// Whether an element is an image caption or credit by its class (`wp-caption-text`, `photo-credit`).
fn is_caption(dom: &dom::Dom, id: dom::NodeId) -> bool {
    dom.attr(id, "class").is_some_and(|class| {
        class.split_ascii_whitespace().any(|name| {
            let name = name.to_ascii_lowercase();
            name.contains("caption") || name.contains("credit")
        })
    })
}
