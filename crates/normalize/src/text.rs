//! Text normalization: Unicode NFC, whitespace collapsed, invisible characters dropped, typography kept.
//!
//! Curly quotes, dashes and ellipses are kept exactly as written: they are the publisher's text, and "fixing"
//! them would change quotations. Only what no reader can see or mean is removed: zero-width characters, soft
//! hyphens, byte-order marks and control characters.

use newswire_model::{Block, BlockKind};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Normalizes one run of inline text: NFC, every whitespace run (including no-break spaces and line breaks)
/// collapsed to one space, leading and trailing whitespace removed, invisible characters dropped.
pub fn clean_inline(input: &str) -> String {
    // Nearly all text is already in NFC, which the quick check proves in one cheap pass; composing it
    // again would only copy every character through the normalizer's buffers.
    if is_nfc_quick(input.chars()) == IsNormalized::Yes {
        collapse_inline(input.chars(), input.len())
    } else {
        collapse_inline(input.nfc(), input.len())
    }
}

/// [`clean_inline`] over characters already in NFC.
fn collapse_inline(chars: impl Iterator<Item = char>, len: usize) -> String {
    let mut out = String::with_capacity(len);
    let mut pending_space = false;
    for ch in chars {
        if is_invisible(ch) {
            continue;
        }
        if ch.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(ch);
    }
    out
}

/// Normalizes preformatted text: NFC and invisible characters dropped, but line breaks and indentation kept
/// (trailing whitespace on each line and blank lines at both ends are removed).
pub fn clean_preformatted(input: &str) -> String {
    let keep = |&ch: &char| !is_invisible(ch) || ch == '\n' || ch == '\t';
    let nfc: String = if is_nfc_quick(input.chars()) == IsNormalized::Yes {
        input.chars().filter(keep).collect()
    } else {
        input.nfc().filter(keep).collect()
    };
    let lines: Vec<&str> = nfc.lines().map(str::trim_end).collect();
    let first = lines
        .iter()
        .position(|l| !l.is_empty())
        .unwrap_or(lines.len());
    let last = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(first, |i| i + 1);
    lines[first..last].join("\n")
}

/// Normalizes body blocks, dropping those left empty.
pub fn clean_blocks(blocks: &[Block]) -> Vec<Block> {
    blocks
        .iter()
        .filter_map(|block| {
            let text = match block.kind {
                BlockKind::Preformatted => clean_preformatted(&block.text),
                _ => clean_inline(&block.text),
            };
            (!text.is_empty()).then_some(Block {
                kind: block.kind,
                text,
            })
        })
        .collect()
}

/// Characters that carry no visible text: zero-width spaces and joiners, soft hyphen, BOM, controls.
fn is_invisible(ch: char) -> bool {
    matches!(
        ch,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    ) || (ch.is_control() && !ch.is_whitespace())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapses_whitespace_and_keeps_typography() {
        assert_eq!(
            clean_inline(
                "  \u{201c}We are always \u{2013}\n\twhether it\u{2019}s\u{a0}\u{a0}now \u{2026}\u{201d}  "
            ),
            "\u{201c}We are always \u{2013} whether it\u{2019}s now \u{2026}\u{201d}"
        );
    }

    #[test]
    fn applies_nfc() {
        // "e" + COMBINING ACUTE ACCENT becomes one "é".
        assert_eq!(clean_inline("cafe\u{301}"), "caf\u{e9}");
    }

    #[test]
    fn drops_invisible_characters() {
        assert_eq!(clean_inline("a\u{200b}b\u{ad}c\u{feff}d\u{7}e"), "abcde");
    }

    #[test]
    fn preformatted_keeps_lines() {
        assert_eq!(
            clean_preformatted("\n\n  fn main() {  \n      go();\n  }\n\n"),
            "  fn main() {\n      go();\n  }"
        );
    }

    proptest::proptest! {
        /// The quick-check shortcut gives what normalizing everything gives.
        #[test]
        fn shortcut_matches_full_normalization(
            input in "([a-z \\t\\n]|\\u{a0}|\\u{200b}|\\u{ad}|e\\u{301}|\\u{e9}|\\u{1100}\\u{1161}|\\u{212b}|\\u{fb01}|\\PC){0,40}"
        ) {
            // Normalizing first must change nothing: the cleaners compose whatever is not composed yet.
            let composed: String = input.nfc().collect();
            proptest::prop_assert_eq!(clean_inline(&input), clean_inline(&composed));
            proptest::prop_assert_eq!(clean_preformatted(&input), clean_preformatted(&composed));
        }
    }

    #[test]
    fn drops_empty_blocks() {
        let blocks = vec![Block::paragraph(" \u{a0} "), Block::paragraph(" x ")];
        assert_eq!(clean_blocks(&blocks), vec![Block::paragraph("x")]);
    }
}
