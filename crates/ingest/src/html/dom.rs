//! A compact arena DOM built from html5ever's tokenizer with a simplified, linear-time tree construction.
//!
//! # Why not the full HTML tree builder
//!
//! The WHATWG tree construction algorithm (html5ever's `TreeBuilder`, which `scraper` uses) checks "has an element
//! in scope" by walking the stack of open elements, and re-opens misnested formatting elements. On hostile input
//! (a megabyte of nested `<div>`s, thousands of distinct unclosed `<b id=…>`s) both become quadratic in time or
//! memory. Extraction only needs text, structure and attributes, so this module keeps html5ever's tokenizer
//! (entities, raw text, attributes, comments all handled as browsers do) and builds the tree with the rules that
//! matter for text: void elements, implied end tags for `p`, `li`, `dd`/`dt`, table parts, headings and `option`,
//! and end tags that close the nearest open element of that name within scope.
//!
//! # Limits
//!
//! - Nesting is capped at [`MAX_DEPTH`] open elements; deeper start tags are dropped and their content flows
//!   into the deepest open element (Chromium's parser flattens at 512 levels too).
//! - At most [`MAX_NODES`] nodes are created; the rest of the document is ignored.
//!
//! # Invariant
//!
//! Nodes are stored in document (pre-)order and a node's subtree is the contiguous id range
//! `id..node.end`. Bottom-up passes are a reverse loop over ids, and "is `a` inside `b`" is a range check.

use std::cell::RefCell;
use std::collections::HashMap;

use html5ever::TokenizerResult;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::{LocalName, local_name};

/// The deepest nesting of open elements kept; deeper start tags are dropped.
pub(crate) const MAX_DEPTH: usize = 512;

/// The most nodes a document may produce.
pub(crate) const MAX_NODES: usize = 500_000;

/// How far down the stack of open elements an end tag or implied end tag looks for its element. Deeper
/// matches are ignored (the content then nests one level deeper than in a browser), which keeps every tag
/// O(1) even on pathological input.
const MAX_SCOPE_SEARCH: usize = 128;

/// Marks an absent link between nodes.
pub(crate) const NONE: u32 = u32::MAX;

/// Index of a node in [`Dom::nodes`]; the root is 0.
pub(crate) type NodeId = u32;

/// A parsed document or fragment.
#[derive(Debug)]
pub(crate) struct Dom {
    /// All nodes, in document order; `nodes[0]` is the root.
    pub(crate) nodes: Vec<Node>,
    /// How many start tags were dropped because nesting exceeded [`MAX_DEPTH`].
    pub(crate) flattened: usize,
    /// Whether the document hit [`MAX_NODES`] and its tail was ignored.
    pub(crate) truncated: bool,
}

/// One node of a [`Dom`].
#[derive(Debug)]
pub(crate) struct Node {
    /// Parent, or [`NONE`] for the root.
    pub(crate) parent: NodeId,
    /// First child, or [`NONE`].
    pub(crate) first_child: NodeId,
    /// Last child, or [`NONE`].
    pub(crate) last_child: NodeId,
    /// Next sibling, or [`NONE`].
    pub(crate) next_sibling: NodeId,
    /// One past the last node of this node's subtree.
    pub(crate) end: NodeId,
    /// What the node is.
    pub(crate) data: NodeData,
}

/// The payload of a [`Node`].
#[derive(Debug)]
pub(crate) enum NodeData {
    /// The document or fragment root.
    Root,
    /// An element.
    Element(Element),
    /// A run of text, entities decoded, as written (whitespace not collapsed).
    Text(StrTendril),
}

/// An element: lower-case name and attributes.
#[derive(Debug)]
pub(crate) struct Element {
    /// Lower-case local name.
    pub(crate) name: LocalName,
    /// Attributes in source order, names lower-case.
    pub(crate) attrs: Vec<(LocalName, StrTendril)>,
}

impl Element {
    /// The value of attribute `name` (lower-case).
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| &**k == name)
            .map(|(_, v)| &**v)
    }

    /// The element's name.
    pub(crate) fn name(&self) -> &str {
        &self.name
    }
}

impl Dom {
    /// Parses a whole document.
    pub(crate) fn parse_document(text: &str) -> Dom {
        parse(text, false, MAX_NODES)
    }

    /// Parses a fragment (`<html>`, `<head>` and `<body>` tags are ignored).
    pub(crate) fn parse_fragment(text: &str) -> Dom {
        parse(text, true, MAX_NODES)
    }

    /// The root node's id.
    pub(crate) const ROOT: NodeId = 0;

    /// Number of nodes.
    pub(crate) fn len(&self) -> usize {
        self.nodes.len()
    }

    /// The node `id`.
    pub(crate) fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    /// The element at `id`, if it is one.
    pub(crate) fn element(&self, id: NodeId) -> Option<&Element> {
        match &self.nodes[id as usize].data {
            NodeData::Element(el) => Some(el),
            _ => None,
        }
    }

    /// The name of the element at `id`, or `""` for text and the root.
    pub(crate) fn name(&self, id: NodeId) -> &str {
        self.element(id).map_or("", Element::name)
    }

    /// Attribute `attr` of the element at `id`.
    pub(crate) fn attr(&self, id: NodeId, attr: &str) -> Option<&str> {
        self.element(id).and_then(|el| el.attr(attr))
    }

    /// The parent of `id`, if any.
    pub(crate) fn parent(&self, id: NodeId) -> Option<NodeId> {
        let parent = self.nodes[id as usize].parent;
        (parent != NONE).then_some(parent)
    }

    /// The children of `id`, in order.
    pub(crate) fn children(&self, id: NodeId) -> Children<'_> {
        Children {
            dom: self,
            next: self.nodes[id as usize].first_child,
        }
    }

    /// Ids of the nodes strictly inside `id`'s subtree, in document order.
    pub(crate) fn descendants(&self, id: NodeId) -> std::ops::Range<NodeId> {
        id + 1..self.nodes[id as usize].end
    }

    /// Whether `inner` is `outer` or lies inside it.
    pub(crate) fn contains(&self, outer: NodeId, inner: NodeId) -> bool {
        outer <= inner && inner < self.nodes[outer as usize].end
    }

    /// All elements named `name`, in document order.
    pub(crate) fn elements_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = NodeId> + 'a {
        (0..self.nodes.len() as NodeId).filter(move |&id| self.name(id) == name)
    }

    /// The visible text of `id`'s subtree as one line: block texts joined by spaces (dropped elements such as
    /// `script` and `img` skipped).
    pub(crate) fn text(&self, id: NodeId) -> String {
        let blocks = crate::html::blocks::collect(self, &[id], &|_| false);
        let mut out = String::new();
        for block in blocks {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&crate::html::text::collapse(&block.text));
        }
        out
    }

    /// All text in `id`'s subtree concatenated as written, including `script` and `title` content.
    pub(crate) fn raw_text(&self, id: NodeId) -> String {
        let mut out = String::new();
        if let NodeData::Text(text) = &self.nodes[id as usize].data {
            out.push_str(text);
        }
        for desc in self.descendants(id) {
            if let NodeData::Text(text) = &self.nodes[desc as usize].data {
                out.push_str(text);
            }
        }
        out
    }
}

/// Iterator over a node's children.
pub(crate) struct Children<'a> {
    dom: &'a Dom,
    next: NodeId,
}

impl Iterator for Children<'_> {
    type Item = NodeId;

    fn next(&mut self) -> Option<NodeId> {
        if self.next == NONE {
            return None;
        }
        let id = self.next;
        self.next = self.dom.nodes[id as usize].next_sibling;
        Some(id)
    }
}

/// Parses with a node limit of `max_nodes` (tests use a small one).
pub(crate) fn parse(text: &str, fragment: bool, max_nodes: usize) -> Dom {
    let sink = Sink(RefCell::new(Builder::new(fragment, max_nodes)));
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(text));
    // The sink never asks the tokenizer to pause, but be defensive: each extra round consumes input or ends.
    for _ in 0..1_000_000 {
        if matches!(tokenizer.feed(&input), TokenizerResult::Done) {
            break;
        }
    }
    tokenizer.end();
    tokenizer.sink.0.into_inner().finish()
}

/// A small, fast hasher (FxHash) for the builder's name counts; keys are interned atoms, not attacker-chosen
/// strings of arbitrary length, and the table holds one entry per distinct tag name.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxBuild;

impl std::hash::BuildHasher for FxBuild {
    type Hasher = FxHasher;

    fn build_hasher(&self) -> FxHasher {
        FxHasher(0)
    }
}

/// FxHash: rotate, xor, multiply.
pub(crate) struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = (self.0.rotate_left(5) ^ value).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_u32(&mut self, value: u32) {
        self.write_u64(u64::from(value));
    }

    fn write_usize(&mut self, value: usize) {
        self.write_u64(value as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

struct Sink(RefCell<Builder>);

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line_number: u64) -> TokenSinkResult<()> {
        let mut builder = self.0.borrow_mut();
        match token {
            Token::TagToken(tag) => match tag.kind {
                TagKind::StartTag => builder.start_tag(tag),
                TagKind::EndTag => {
                    builder.end_tag(tag);
                    TokenSinkResult::Continue
                }
            },
            Token::CharacterTokens(text) => {
                builder.text(text);
                TokenSinkResult::Continue
            }
            _ => TokenSinkResult::Continue,
        }
    }
}

struct Builder {
    nodes: Vec<Node>,
    stack: Vec<NodeId>,
    open: HashMap<LocalName, u32, FxBuild>,
    fragment: bool,
    html: Option<NodeId>,
    head: Option<NodeId>,
    body: Option<NodeId>,
    flattened: usize,
    truncated: bool,
    max_nodes: usize,
}

fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "basefont"
            | "bgsound"
            | "br"
            | "col"
            | "embed"
            | "frame"
            | "hr"
            | "img"
            | "image"
            | "input"
            | "keygen"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
    )
}

/// HTML elements whose self-closing flag (`<div/>`) is ignored, as browsers do.
fn is_html_container(name: &str) -> bool {
    matches!(
        name,
        "a" | "abbr"
            | "address"
            | "article"
            | "aside"
            | "b"
            | "blockquote"
            | "body"
            | "button"
            | "center"
            | "code"
            | "dd"
            | "div"
            | "dl"
            | "dt"
            | "em"
            | "figure"
            | "font"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "head"
            | "header"
            | "html"
            | "i"
            | "li"
            | "main"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "span"
            | "strong"
            | "table"
            | "tbody"
            | "td"
            | "th"
            | "thead"
            | "tr"
            | "u"
            | "ul"
    )
}

/// The tokenizer state a start tag switches to, as the tree builder would (script, style, title, ...), or `None`
/// for an ordinary element. Shared with [`crate::discover`]'s tokenizer sink.
pub(crate) fn raw_kind(name: &str) -> Option<TokenSinkResult<()>> {
    Some(match name {
        "script" => TokenSinkResult::RawData(RawKind::ScriptData),
        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
            TokenSinkResult::RawData(RawKind::Rawtext)
        }
        "textarea" | "title" => TokenSinkResult::RawData(RawKind::Rcdata),
        "plaintext" => TokenSinkResult::Plaintext,
        _ => return None,
    })
}

fn closes_p(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "center"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
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
            | "li"
            | "dd"
            | "dt"
            | "listing"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "plaintext"
            | "pre"
            | "search"
            | "section"
            | "summary"
            | "table"
            | "ul"
            | "xmp"
    )
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// The "has an element in scope" boundary set.
fn default_scope(name: &str) -> bool {
    matches!(
        name,
        "applet" | "caption" | "html" | "table" | "td" | "th" | "marquee" | "object" | "template"
    )
}

fn button_scope(name: &str) -> bool {
    default_scope(name) || name == "button"
}

fn list_scope(name: &str) -> bool {
    default_scope(name)
        || matches!(
            name,
            "ol" | "ul" | "menu" | "dl" | "body" | "blockquote" | "section" | "article"
        )
}

fn table_scope(name: &str) -> bool {
    matches!(name, "html" | "table" | "template")
}

fn head_content(name: &str) -> bool {
    matches!(
        name,
        "meta" | "link" | "title" | "script" | "style" | "base" | "noscript" | "template"
    )
}

impl Builder {
    fn new(fragment: bool, max_nodes: usize) -> Builder {
        let root = Node {
            parent: NONE,
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
            end: 1,
            data: NodeData::Root,
        };
        Builder {
            nodes: vec![root],
            stack: Vec::new(),
            open: HashMap::default(),
            fragment,
            html: None,
            head: None,
            body: None,
            flattened: 0,
            truncated: false,
            max_nodes,
        }
    }

    fn finish(mut self) -> Dom {
        // Subtree ends, bottom-up: children have larger ids than their parent.
        for idx in (0..self.nodes.len()).rev() {
            let last = self.nodes[idx].last_child;
            self.nodes[idx].end = if last == NONE {
                idx as NodeId + 1
            } else {
                self.nodes[last as usize].end
            };
        }
        Dom {
            nodes: self.nodes,
            flattened: self.flattened,
            truncated: self.truncated,
        }
    }

    fn current(&self) -> NodeId {
        self.stack.last().copied().unwrap_or(Dom::ROOT)
    }

    fn name_of(&self, id: NodeId) -> &str {
        match &self.nodes[id as usize].data {
            NodeData::Element(el) => el.name(),
            _ => "",
        }
    }

    fn open_count(&self, name: &LocalName) -> u32 {
        self.open.get(name).copied().unwrap_or(0)
    }

    fn append(&mut self, parent: NodeId, data: NodeData) -> Option<NodeId> {
        if self.nodes.len() >= self.max_nodes {
            self.truncated = true;
            return None;
        }
        let id = self.nodes.len() as NodeId;
        self.nodes.push(Node {
            parent,
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
            end: id + 1,
            data,
        });
        let prev_last = self.nodes[parent as usize].last_child;
        if prev_last == NONE {
            self.nodes[parent as usize].first_child = id;
        } else {
            self.nodes[prev_last as usize].next_sibling = id;
        }
        self.nodes[parent as usize].last_child = id;
        Some(id)
    }

    fn push(&mut self, id: NodeId) {
        self.stack.push(id);
        if let NodeData::Element(el) = &self.nodes[id as usize].data {
            *self.open.entry(el.name.clone()).or_insert(0) += 1;
        }
    }

    /// Pops open elements until the stack has `len` entries.
    fn pop_to_len(&mut self, len: usize) {
        while self.stack.len() > len {
            let Some(id) = self.stack.pop() else { break };
            if let NodeData::Element(el) = &self.nodes[id as usize].data
                && let Some(count) = self.open.get_mut(&el.name)
            {
                *count = count.saturating_sub(1);
            }
        }
    }

    /// Closes the nearest open element accepted by `target`, unless a `boundary` element comes first.
    /// With `lowest`, closes the outermost accepted element before the boundary instead (looking at most 16
    /// levels below the nearest one). Looks at most [`MAX_SCOPE_SEARCH`] levels down.
    fn close_in_scope(
        &mut self,
        target: impl Fn(&str) -> bool,
        boundary: impl Fn(&str) -> bool,
        lowest: bool,
    ) -> bool {
        let mut found = None;
        let floor = self.stack.len().saturating_sub(MAX_SCOPE_SEARCH);
        for idx in (floor..self.stack.len()).rev() {
            let name = self.name_of(self.stack[idx]);
            if target(name) {
                found = Some(idx);
                if !lowest {
                    break;
                }
                continue;
            }
            if boundary(name) || found.is_some_and(|f| f - idx > 16) {
                break;
            }
        }
        match found {
            Some(idx) => {
                self.pop_to_len(idx);
                true
            }
            None => false,
        }
    }

    fn close_head(&mut self) {
        if let Some(head) = self.head
            && let Some(idx) = self.stack.iter().rposition(|&id| id == head)
        {
            self.pop_to_len(idx);
        }
    }

    fn in_head(&self) -> bool {
        self.head.is_some_and(|head| self.current() == head)
    }

    fn merge_attrs(&mut self, id: NodeId, tag: &Tag) {
        if let NodeData::Element(el) = &mut self.nodes[id as usize].data {
            for attr in &tag.attrs {
                if !el.attrs.iter().any(|(k, _)| *k == attr.name.local) {
                    el.attrs.push((attr.name.local.clone(), attr.value.clone()));
                }
            }
        }
    }

    fn start_tag(&mut self, tag: Tag) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        match name {
            "html" => {
                if !self.fragment {
                    if let Some(html) = self.html {
                        self.merge_attrs(html, &tag);
                    } else if self.stack.is_empty()
                        && let Some(id) = self.create(Dom::ROOT, &tag)
                    {
                        self.push(id);
                        self.html = Some(id);
                    }
                }
                return TokenSinkResult::Continue;
            }
            "head" => {
                if !self.fragment && self.head.is_none() && self.body.is_none() {
                    let parent = self.current();
                    if let Some(id) = self.create(parent, &tag) {
                        self.push(id);
                        self.head = Some(id);
                    }
                }
                return TokenSinkResult::Continue;
            }
            "body" => {
                if !self.fragment {
                    if let Some(body) = self.body {
                        self.merge_attrs(body, &tag);
                    } else {
                        self.close_head();
                        let parent = self.current();
                        if let Some(id) = self.create(parent, &tag) {
                            self.push(id);
                            self.body = Some(id);
                        }
                    }
                }
                return TokenSinkResult::Continue;
            }
            _ => {}
        }
        if self.in_head() && !head_content(name) {
            self.close_head();
        }
        self.imply_end_tags(name);

        let raw = raw_kind(name);
        let void = is_void(name) || (tag.self_closing && !is_html_container(name));
        if !void && raw.is_none() && self.stack.len() >= MAX_DEPTH {
            self.flattened += 1;
            self.boundary(&tag);
            return TokenSinkResult::Continue;
        }
        let parent = self.current();
        if let Some(id) = self.create(parent, &tag)
            && !void
        {
            self.push(id);
        }
        raw.unwrap_or(TokenSinkResult::Continue)
    }

    /// Keeps a block boundary where a block element could not be opened (or closed): an empty element of the
    /// same name, unless the current node already ends with an empty block.
    fn boundary(&mut self, tag: &Tag) {
        if !crate::html::blocks::is_block(&tag.name) {
            return;
        }
        let parent = self.current();
        let last = self.nodes[parent as usize].last_child;
        if last != NONE
            && let NodeData::Element(el) = &self.nodes[last as usize].data
            && self.nodes[last as usize].first_child == NONE
            && crate::html::blocks::is_block(el.name())
        {
            return;
        }
        let empty = Tag {
            kind: TagKind::StartTag,
            attrs: Vec::new(),
            ..tag.clone()
        };
        self.create(parent, &empty);
    }

    fn create(&mut self, parent: NodeId, tag: &Tag) -> Option<NodeId> {
        let attrs = tag
            .attrs
            .iter()
            .map(|attr| (attr.name.local.clone(), attr.value.clone()))
            .collect();
        self.append(
            parent,
            NodeData::Element(Element {
                name: tag.name.clone(),
                attrs,
            }),
        )
    }

    fn imply_end_tags(&mut self, name: &str) {
        if closes_p(name) && self.open_count(&local_name!("p")) > 0 {
            self.close_in_scope(|n| n == "p", button_scope, false);
        }
        match name {
            "li" if self.open_count(&local_name!("li")) > 0 => {
                self.close_in_scope(|n| n == "li", list_scope, false);
            }
            "dd" | "dt" => {
                self.close_in_scope(|n| n == "dd" || n == "dt", list_scope, false);
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" if is_heading(self.name_of(self.current())) => {
                let len = self.stack.len() - 1;
                self.pop_to_len(len);
            }
            "a" if self.open_count(&local_name!("a")) > 0 => {
                self.close_in_scope(|n| n == "a", button_scope, false);
            }
            "button" if self.open_count(&local_name!("button")) > 0 => {
                self.close_in_scope(|n| n == "button", default_scope, false);
            }
            "option" | "optgroup" => {
                while matches!(self.name_of(self.current()), "option")
                    || (name == "optgroup" && self.name_of(self.current()) == "optgroup")
                {
                    let len = self.stack.len() - 1;
                    self.pop_to_len(len);
                }
            }
            "tr" => {
                self.close_in_scope(|n| matches!(n, "tr" | "td" | "th"), table_scope, true);
            }
            "td" | "th" => {
                self.close_in_scope(
                    |n| matches!(n, "td" | "th"),
                    |n| table_scope(n) || n == "tr",
                    false,
                );
            }
            "thead" | "tbody" | "tfoot" => {
                self.close_in_scope(
                    |n| matches!(n, "thead" | "tbody" | "tfoot" | "tr" | "td" | "th"),
                    table_scope,
                    true,
                );
            }
            _ => {}
        }
    }

    fn end_tag(&mut self, tag: Tag) {
        let name: &str = &tag.name;
        match name {
            "br" => {
                let parent = self.current();
                let br = Tag {
                    kind: TagKind::StartTag,
                    attrs: Vec::new(),
                    ..tag
                };
                self.create(parent, &br);
            }
            "html" | "body" => {}
            "head" => self.close_head(),
            "p" => {
                if self.open_count(&local_name!("p")) > 0 {
                    self.close_in_scope(|n| n == "p", button_scope, false);
                } else if self.flattened > 0 {
                    self.boundary(&tag);
                }
            }
            "li" | "dd" | "dt" => {
                if self.open_count(&tag.name) > 0 {
                    self.close_in_scope(|n| n == name, list_scope, false);
                }
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.close_in_scope(is_heading, default_scope, false);
            }
            "td" | "th" | "tr" | "thead" | "tbody" | "tfoot" | "caption" | "table" => {
                if self.open_count(&tag.name) > 0 {
                    self.close_in_scope(|n| n == name, table_scope, false);
                }
            }
            _ => {
                if self.open_count(&tag.name) > 0 {
                    self.close_in_scope(|n| n == name, default_scope, false);
                } else if self.flattened > 0 {
                    // The end of a block that was flattened away still ends a block of text.
                    self.boundary(&tag);
                }
            }
        }
    }

    fn text(&mut self, text: StrTendril) {
        if self.truncated {
            return;
        }
        if self.in_head() && !text.as_bytes().iter().all(u8::is_ascii_whitespace) {
            self.close_head();
        }
        let parent = self.current();
        let last = self.nodes[parent as usize].last_child;
        if last != NONE
            && let NodeData::Text(existing) = &mut self.nodes[last as usize].data
        {
            existing.push_tendril(&text);
            return;
        }
        self.append(parent, NodeData::Text(text));
    }
}
