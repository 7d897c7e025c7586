//! Text normalization: Unicode NFC, whitespace collapsed, invisible characters dropped, typography kept.
//!
//! Curly quotes, dashes and ellipses are kept exactly as written: they are the publisher's text, and "fixing"
//! them would change quotations. Only what no reader can see or mean is removed: zero-width characters, soft
//! hyphens, byte-order marks and control characters. A C1 control (U+0080 to U+009F) is read as the
//! windows-1252 character it almost always stands for (a `’` written as byte 0x92 and decoded as Latin-1),
//! the way HTML reads `&#146;`, rather than dropped with the letter it was.

use newswire_model::{Block, BlockKind};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Normalizes one run of inline text: NFC, every whitespace run (including no-break spaces and line breaks)
/// collapsed to one space, leading and trailing whitespace removed, invisible characters dropped.
pub fn clean_inline(input: &str) -> String {
    // Nearly all text is already in NFC, which the quick check proves in one cheap pass; composing it
    // again would only copy every character through the normalizer's buffers.
    if input.is_ascii() || is_nfc_quick(input.chars()) == IsNormalized::Yes {
        collapse_nfc(input)
    } else {
        collapse_inline(input.nfc(), input.len())
    }
}

/// [`collapse_inline`] over a text already in NFC, copying each run of visible ASCII characters (most of any
/// text, in most languages' punctuation and spacing at least) whole rather than one character at a time.
fn collapse_nfc(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut pending_space = false;
    let mut rest = input;
    while !rest.is_empty() {
        let run = rest
            .bytes()
            .position(|b| !b.is_ascii_graphic())
            .unwrap_or(rest.len());
        if run > 0 {
            if std::mem::take(&mut pending_space) {
                out.push(' ');
            }
            out.push_str(&rest[..run]);
            rest = &rest[run..];
            continue;
        }
        let mut chars = rest.chars();
        let Some(ch) = chars.next() else { break };
        rest = chars.as_str();
        push_inline(&mut out, &mut pending_space, ch);
    }
    out
}

/// Appends one character of inline text: an invisible one is dropped, white space becomes one space before
/// the next visible character (none at the start or the end).
fn push_inline(out: &mut String, pending_space: &mut bool, ch: char) {
    let ch = from_c1(ch);
    if is_invisible(ch) {
        return;
    }
    if ch.is_whitespace() {
        *pending_space = !out.is_empty();
        return;
    }
    if std::mem::take(pending_space) {
        out.push(' ');
    }
    out.push(ch);
}

/// [`clean_inline`] over characters already in NFC, one at a time.
fn collapse_inline(chars: impl Iterator<Item = char>, len: usize) -> String {
    let mut out = String::with_capacity(len);
    let mut pending_space = false;
    for ch in chars {
        push_inline(&mut out, &mut pending_space, ch);
    }
    out
}

/// Normalizes preformatted text: NFC and invisible characters dropped, but line breaks and indentation kept
/// (trailing whitespace on each line and blank lines at both ends are removed).
pub fn clean_preformatted(input: &str) -> String {
    let keep = |&ch: &char| !is_invisible(ch) || ch == '\n' || ch == '\t';
    let nfc: String = if is_nfc_quick(input.chars()) == IsNormalized::Yes {
        input.chars().map(from_c1).filter(keep).collect()
    } else {
        input.nfc().map(from_c1).filter(keep).collect()
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

/// A C1 control as the windows-1252 character with that byte; the five bytes windows-1252 leaves undefined
/// (0x81, 0x8D, 0x8F, 0x90, 0x9D) stay controls. Any other character is returned as it is.
fn from_c1(ch: char) -> char {
    const WINDOWS_1252: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match ch {
        '\u{80}'..='\u{9F}' => WINDOWS_1252[ch as usize - 0x80],
        _ => ch,
    }
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
    fn reads_c1_controls_as_windows_1252() {
        assert_eq!(
            clean_inline("don\u{92}t \u{93}quote\u{94} \u{80}5"),
            "don’t “quote” €5"
        );
        assert_eq!(clean_inline("a\u{81}b\u{9D}c"), "abc");
        assert_eq!(clean_preformatted("x \u{96} y\n\u{85}"), "x – y\n…");
        for (byte, ch) in (0x80u8..=0x9F).zip('\u{80}'..='\u{9F}') {
            let bytes = [byte];
            let (decoded, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
            let expected = if decoded.starts_with(ch) {
                ""
            } else {
                &*decoded
            };
            assert_eq!(clean_inline(&ch.to_string()), expected, "{byte:#x}");
        }
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

        /// Copying runs of visible ASCII whole gives what collapsing one character at a time gives.
        #[test]
        fn ascii_runs_match_one_character_at_a_time(
            input in "([a-zA-Z0-9.,;!?'<>&-]{1,6}|[ \\t\\n\\r]|\\u{0}|\\u{7}|\\u{7f}|\\u{85}|\\u{92}|\\u{9d}|\\u{a0}|\\u{200b}|\\u{ad}|\\u{feff}|\\u{2028}|\\u{3000}|\\PC){0,40}"
        ) {
            proptest::prop_assert_eq!(collapse_nfc(&input), collapse_inline(input.chars(), input.len()));
        }
    }

    #[test]
    fn drops_empty_blocks() {
        let blocks = vec![Block::paragraph(" \u{a0} "), Block::paragraph(" x ")];
        assert_eq!(clean_blocks(&blocks), vec![Block::paragraph("x")]);
    }
}
