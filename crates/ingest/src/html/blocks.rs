//! Turns DOM subtrees into body [`Block`]s: block structure, inline flattening, `<br>` handling.

use newswire_model::{Block, BlockKind};

use super::dom::{Dom, NONE, NodeData, NodeId};
use super::text::Collapser;

/// Elements whose content is never body text (media, embedded documents, form controls, head content).
pub(crate) fn is_dropped(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "math"
            | "iframe"
            | "object"
            | "embed"
            | "applet"
            | "canvas"
            | "video"
            | "audio"
            | "img"
            | "picture"
            | "map"
            | "select"
            | "datalist"
            | "option"
            | "optgroup"
            | "button"
            | "input"
            | "textarea"
            | "head"
            | "title"
            | "meta"
            | "link"
            | "base"
            | "figcaption"
            | "rp"
            | "noembed"
            | "noframes"
            | "frameset"
            | "frame"
            | "param"
            | "source"
            | "track"
            | "dialog"
    )
}

/// Elements that start and end a block of text.
pub(crate) fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "caption"
            | "center"
            | "dd"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "legend"
            | "li"
            | "listing"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "plaintext"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "tfoot"
            | "th"
            | "thead"
            | "tr"
            | "ul"
            | "xmp"
            | "iframe"
            | "video"
            | "audio"
            | "canvas"
            | "object"
            | "picture"
            | "svg"
            | "noscript"
            | "select"
            | "textarea"
            | "title"
    )
}

fn block_kind(name: &str) -> Option<BlockKind> {
    Some(match name {
        "blockquote" => BlockKind::Quote,
        "li" => BlockKind::ListItem,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => BlockKind::Heading,
        "pre" | "listing" | "xmp" | "plaintext" => BlockKind::Preformatted,
        _ => return None,
    })
}

/// Collects the blocks of the subtrees at `roots` (in the order given), skipping elements for which `skip`
/// returns true.
pub(crate) fn collect(dom: &Dom, roots: &[NodeId], skip: &dyn Fn(NodeId) -> bool) -> Vec<Block> {
    collect_with_links(dom, roots, skip)
        .into_iter()
        .map(|(block, _)| block)
        .collect()
}

/// Like [`collect`], and gives each block's link density (the share of its characters inside `<a href>`).
pub(crate) fn collect_with_links(
    dom: &Dom,
    roots: &[NodeId],
    skip: &dyn Fn(NodeId) -> bool,
) -> Vec<(Block, f32)> {
    let mut collector = Collector {
        dom,
        skip,
        out: Vec::new(),
        text: Collapser::default(),
        pre: String::new(),
        kinds: Vec::new(),
        br_run: 0,
        links: Vec::new(),
        link_chars: 0,
        text_chars: 0,
        row: None,
    };
    for &root in roots {
        collector.walk(root);
        collector.flush();
        collector.kinds.clear();
        collector.links.clear();
        collector.row = None;
    }
    collector.out
}

/// Whether a table row holds data rather than layout: short, with cells of inline text only. Such a row
/// becomes one block, its cells separated by " | "; layout rows (long cells, nested blocks, `<br>`s) are read
/// cell by cell.
fn is_data_row(dom: &Dom, tr: NodeId) -> bool {
    let mut text = 0;
    let mut cells = 0;
    for id in dom.descendants(tr) {
        match &dom.node(id).data {
            NodeData::Element(el) => match el.name() {
                "td" | "th" => cells += 1,
                "br" | "tr" | "table" => return false,
                name if is_block(name) => return false,
                _ => {}
            },
            NodeData::Text(t) => {
                text += crate::html::text::collapsed_len(t);
                if text > 300 {
                    return false;
                }
            }
            NodeData::Root => {}
        }
    }
    cells >= 2
}

struct Collector<'a> {
    dom: &'a Dom,
    skip: &'a dyn Fn(NodeId) -> bool,
    out: Vec<(Block, f32)>,
    text: Collapser,
    /// Open `<a href>` elements.
    links: Vec<NodeId>,
    link_chars: usize,
    text_chars: usize,
    pre: String,
    kinds: Vec<(NodeId, BlockKind)>,
    br_run: u32,
    /// The data row (`tr`) being read as one block, if any.
    row: Option<NodeId>,
}

impl Collector<'_> {
    fn kind(&self) -> BlockKind {
        self.kinds
            .last()
            .map_or(BlockKind::Paragraph, |&(_, kind)| kind)
    }

    /// Iterative pre-order walk with enter/exit events; never recursive over depth.
    fn walk(&mut self, root: NodeId) {
        if !self.enter(root) {
            return;
        }
        let mut cur = self.dom.node(root).first_child;
        if cur == NONE {
            self.exit(root);
            return;
        }
        loop {
            let descend = self.enter(cur);
            let first = self.dom.node(cur).first_child;
            if descend && first != NONE {
                cur = first;
                continue;
            }
            if descend {
                self.exit(cur);
            }
            loop {
                let next = self.dom.node(cur).next_sibling;
                if next != NONE {
                    cur = next;
                    break;
                }
                cur = self.dom.node(cur).parent;
                if cur == NONE {
                    return;
                }
                self.exit(cur);
                if cur == root {
                    return;
                }
            }
        }
    }

    fn enter(&mut self, id: NodeId) -> bool {
        let el = match &self.dom.node(id).data {
            NodeData::Root => return true,
            NodeData::Text(text) => {
                if self.kind() == BlockKind::Preformatted {
                    self.pre.push_str(text);
                } else {
                    let visible = self.text.push_str(text);
                    if visible > 0 {
                        self.br_run = 0;
                        self.text_chars += visible;
                        if !self.links.is_empty() {
                            self.link_chars += visible;
                        }
                    }
                }
                return false;
            }
            NodeData::Element(el) => el,
        };
        let name = el.name();
        if is_dropped(name) || el.attr("hidden").is_some() || (self.skip)(id) {
            if is_block(name) {
                self.flush();
            }
            return false;
        }
        match name {
            "br" => {
                if self.kind() == BlockKind::Preformatted {
                    self.pre.push('\n');
                } else {
                    self.br_run += 1;
                    if self.br_run >= 2
                        && matches!(self.kind(), BlockKind::Paragraph | BlockKind::Quote)
                    {
                        self.flush();
                    } else {
                        self.text.space();
                    }
                }
                false
            }
            "hr" | "wbr" => {
                if name == "hr" {
                    self.flush();
                }
                false
            }
            "td" | "th" if self.row.is_some() => {
                // A cell of a data row: " | " between non-empty cells.
                if !self.text.is_empty() {
                    self.text.space();
                    self.text.push('|');
                    self.text.space();
                }
                true
            }
            "tr" if self.row.is_none() && is_data_row(self.dom, id) => {
                self.flush();
                self.row = Some(id);
                true
            }
            _ if is_block(name) => {
                self.flush();
                if let Some(kind) = block_kind(name) {
                    self.kinds.push((id, kind));
                }
                true
            }
            "a" => {
                if el.attr("href").is_some() {
                    self.links.push(id);
                }
                true
            }
            _ => true,
        }
    }

    fn exit(&mut self, id: NodeId) {
        if self.links.last() == Some(&id) {
            self.links.pop();
        }
        if self.row.is_some() && matches!(self.dom.name(id), "td" | "th") {
            return;
        }
        if self.row == Some(id) {
            self.row = None;
        }
        if is_block(self.dom.name(id)) {
            self.flush();
            if self.kinds.last().is_some_and(|&(top, _)| top == id) {
                self.kinds.pop();
            }
        }
    }

    fn flush(&mut self) {
        self.br_run = 0;
        let kind = self.kind();
        if !self.pre.is_empty() {
            let raw = std::mem::take(&mut self.pre);
            let text = raw.replace("\r\n", "\n").replace('\r', "\n");
            let text = text.trim_start_matches('\n').trim_end();
            if !text.trim().is_empty() {
                self.out.push((
                    Block {
                        kind: BlockKind::Preformatted,
                        text: text.to_owned(),
                    },
                    0.0,
                ));
            }
        }
        if !self.text.is_empty() {
            let mut text = self.text.take();
            // A data row whose last cells were empty.
            while text.ends_with(" |") {
                text.truncate(text.len() - 2);
            }
            let kind = if kind == BlockKind::Preformatted {
                BlockKind::Paragraph
            } else {
                kind
            };
            let density = self.link_chars as f32 / self.text_chars.max(1) as f32;
            self.out.push((Block { kind, text }, density));
        }
        self.link_chars = 0;
        self.text_chars = 0;
    }
}
