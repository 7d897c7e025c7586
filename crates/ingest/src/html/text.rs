//! Whitespace collapsing for text taken out of HTML.

/// Whether `c` collapses into a single space (any Unicode white space).
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// Whether `c` is invisible formatting that plain text drops (soft hyphen, zero-width space, BOM, word joiner).
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}' | '\u{FEFF}' | '\u{2060}')
}

/// Accumulates text, collapsing runs of white space into one space and trimming both ends.
#[derive(Debug, Default)]
pub(crate) struct Collapser {
    buf: String,
    pending_space: bool,
}

impl Collapser {
    /// Appends `text`.
    pub(crate) fn push_str(&mut self, text: &str) {
        for c in text.chars() {
            self.push(c);
        }
    }

    /// Appends one character; returns whether it was visible (not white space or invisible).
    pub(crate) fn push(&mut self, c: char) -> bool {
        if is_space(c) {
            if !self.buf.is_empty() {
                self.pending_space = true;
            }
            false
        } else if is_invisible(c) {
            false
        } else {
            if self.pending_space {
                self.buf.push(' ');
                self.pending_space = false;
            }
            self.buf.push(c);
            true
        }
    }

    /// Marks a word break (a `<br>` read as a space).
    pub(crate) fn space(&mut self) {
        if !self.buf.is_empty() {
            self.pending_space = true;
        }
    }

    /// Length in bytes of the text collected so far.
    pub(crate) fn len(&self) -> usize {
        self.buf.len()
    }

    /// Whether nothing visible has been added.
    pub(crate) fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Takes the text collected so far, leaving the collapser empty.
    pub(crate) fn take(&mut self) -> String {
        self.pending_space = false;
        std::mem::take(&mut self.buf)
    }

    /// The collected text.
    pub(crate) fn finish(self) -> String {
        self.buf
    }
}

/// Collapses white space in `text` and trims it.
pub(crate) fn collapse(text: &str) -> String {
    let mut out = Collapser::default();
    out.push_str(text);
    out.finish()
}

/// The length in characters `text` has once collapsed (leading/trailing space counted as one).
pub(crate) fn collapsed_len(text: &str) -> usize {
    let mut len = 0;
    let mut in_space = false;
    for c in text.chars() {
        if is_space(c) {
            if !in_space {
                len += 1;
                in_space = true;
            }
        } else if !is_invisible(c) {
            len += 1;
            in_space = false;
        }
    }
    len
}
