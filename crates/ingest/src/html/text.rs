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
    /// Appends `text`; returns how many visible characters it had (as [`Collapser::push`] counts them). Runs
    /// of ASCII letters, digits and punctuation are copied whole; other characters go through
    /// [`Collapser::push`].
    pub(crate) fn push_str(&mut self, text: &str) -> usize {
        let bytes = text.as_bytes();
        let mut visible = 0;
        let mut at = 0;
        while at < bytes.len() {
            let run = bytes[at..]
                .iter()
                .position(|&b| !b.is_ascii() || is_ascii_space(b))
                .map_or(bytes.len(), |n| at + n);
            if run > at {
                if self.pending_space {
                    self.buf.push(' ');
                    self.pending_space = false;
                }
                // `at` and `run` are at ASCII bytes or the end, so on character boundaries.
                self.buf.push_str(&text[at..run]);
                visible += run - at;
                at = run;
                continue;
            }
            let Some(c) = text[at..].chars().next() else {
                break;
            };
            visible += usize::from(self.push(c));
            at += c.len_utf8();
        }
        visible
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

/// Whether ASCII byte `b` is white space as [`is_space`] has it (tab, line feed, vertical tab, form feed,
/// carriage return, space).
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ')
}

/// The length in characters `text` has once collapsed (leading/trailing space counted as one).
pub(crate) fn collapsed_len(text: &str) -> usize {
    let mut len = 0;
    let mut in_space = false;
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        if b.is_ascii() {
            if is_ascii_space(b) {
                len += usize::from(!in_space);
                in_space = true;
            } else {
                len += 1;
                in_space = false;
            }
            at += 1;
            continue;
        }
        let Some(c) = text[at..].chars().next() else {
            break;
        };
        if is_space(c) {
            len += usize::from(!in_space);
            in_space = true;
        } else if !is_invisible(c) {
            len += 1;
            in_space = false;
        }
        at += c.len_utf8();
    }
    len
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// `collapse` and `collapsed_len` one character at a time, as they were written first.
    fn by_chars(text: &str) -> (String, usize) {
        let mut out = Collapser::default();
        for c in text.chars() {
            out.push(c);
        }
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
        (out.finish(), len)
    }

    #[test]
    fn ascii_space_is_unicode_space() {
        for b in 0..=0x7f_u8 {
            assert_eq!(is_ascii_space(b), is_space(char::from(b)), "byte {b:#x}");
        }
    }

    #[test]
    fn runs_are_collapsed_as_characters_are() {
        for text in [
            "",
            "  a  b\t\nc  ",
            "caf\u{e9}\u{a0}\u{a0}cr\u{e8}me",
            "\u{ad}soft\u{200b}hyphen \u{3000} ideographic",
            "x\u{85}y",
        ] {
            let mut fast = Collapser::default();
            fast.push_str(text);
            assert_eq!(
                (fast.finish(), collapsed_len(text)),
                by_chars(text),
                "{text:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn whole_strings_collapse_as_their_characters_do(
            text in "[ a-z\t\n\r\x0b\x0c\x1c\u{a0}\u{ad}\u{85}\u{200b}\u{3000}\u{e9}.,]{0,40}",
            before in "[ a\u{a0}]{0,3}",
        ) {
            // Also after earlier text, so that a pending space carries over.
            let mut fast = Collapser::default();
            let mut fast_visible = fast.push_str(&before);
            fast_visible += fast.push_str(&text);
            let mut slow = Collapser::default();
            let mut slow_visible = 0;
            for c in before.chars().chain(text.chars()) {
                slow_visible += usize::from(slow.push(c));
            }
            prop_assert_eq!(fast_visible, slow_visible);
            prop_assert_eq!(fast.finish(), slow.finish());
            prop_assert_eq!(collapsed_len(&text), by_chars(&text).1);
        }
    }
}
