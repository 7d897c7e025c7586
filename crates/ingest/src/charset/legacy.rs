//! Decoders for what encoding_rs leaves out: legacy single-byte code pages (DOS, Mac, EBCDIC, Central
//! Asian) from generated tables, and UTF-32; plus the label index that reaches them.

use std::fmt;

use encoding_rs::Encoding;

use super::tables::{IBM037, LABELS};

/// A single-byte code page outside the WHATWG Encoding Standard, decoded through a 256-entry table.
pub struct SingleByte {
    /// The name we report for it (IANA's where there is one).
    pub(super) name: &'static str,
    /// Whether it is an EBCDIC code page (markup characters are not at their ASCII positions).
    pub(super) ebcdic: bool,
    /// The BMP code point of each byte; U+FFFD marks a byte the code page leaves undefined.
    pub(super) table: [u16; 256],
}

impl SingleByte {
    /// The name of the code page, such as `IBM437` or `x-mac-turkish`.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Whether this is an EBCDIC code page.
    pub fn is_ebcdic(&self) -> bool {
        self.ebcdic
    }

    /// The character `byte` stands for, or `None` if the code page leaves it undefined.
    pub fn char_for(&self, byte: u8) -> Option<char> {
        match self.table[usize::from(byte)] {
            0xFFFD => None,
            unit => char::from_u32(u32::from(unit)),
        }
    }

    /// Decodes `bytes`; undefined bytes become U+FFFD and the flag says whether there were any.
    pub(super) fn decode(&self, bytes: &[u8]) -> (String, bool) {
        let mut text = String::with_capacity(bytes.len() + bytes.len() / 2);
        let mut had_errors = false;
        for &byte in bytes {
            let ch = self.char_for(byte).unwrap_or_else(|| {
                had_errors = true;
                '\u{FFFD}'
            });
            text.push(ch);
        }
        (text, had_errors)
    }
}

impl PartialEq for SingleByte {
    fn eq(&self, other: &SingleByte) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Eq for SingleByte {}

impl fmt::Debug for SingleByte {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SingleByte({})", self.name)
    }
}

/// What a label in [`LABELS`] stands for.
#[derive(Clone, Copy, Debug)]
pub(super) enum Target {
    Whatwg(&'static Encoding),
    SingleByte(&'static SingleByte),
    Utf32Be,
    Utf32Le,
}

/// A label normalized as Python normalizes codec names: ASCII lowercase, each run of other characters
/// (`-`, `_`, space, `.`, ...) one `_`, none at either end. `Windows 1252`, `windows_1252` and
/// `WINDOWS-1252` share the key `windows_1252`.
pub(super) fn label_key(label: &str) -> String {
    let mut key = String::with_capacity(label.len());
    let mut gap = false;
    for ch in label.chars() {
        if ch.is_ascii_alphanumeric() {
            if gap && !key.is_empty() {
                key.push('_');
            }
            gap = false;
            key.push(ch.to_ascii_lowercase());
        } else {
            gap = true;
        }
    }
    key
}

/// Looks a label up in the generated index (after encoding_rs's own labels have been tried): by its key,
/// then by its key without separators, so `cp-437` and `IBM 850` find `cp437` and `ibm850`.
pub(super) fn lookup(label: &str) -> Option<Target> {
    let key = label_key(label);
    find_key(&key).or_else(|| find_key(&key.replace('_', "")))
}

fn find_key(key: &str) -> Option<Target> {
    LABELS
        .binary_search_by(|(k, _)| (*k).cmp(key))
        .ok()
        .map(|idx| LABELS[idx].1)
}

/// The EBCDIC code page used to read an EBCDIC document's XML declaration, and to decode it when the
/// declaration names no EBCDIC code page: the characters of a declaration are the same in all of them.
pub(super) fn ebcdic_default() -> &'static SingleByte {
    &IBM037
}

/// Decodes UTF-32 in the given byte order. Values that are not Unicode scalar values (surrogates, above
/// U+10FFFF) and a trailing partial code unit become U+FFFD; the flag says whether there were any.
pub(super) fn decode_utf32(bytes: &[u8], big_endian: bool) -> (String, bool) {
    let mut text = String::with_capacity(bytes.len() / 4);
    let mut had_errors = false;
    let mut units = bytes.chunks_exact(4);
    for unit in &mut units {
        let quad = [unit[0], unit[1], unit[2], unit[3]];
        let value = if big_endian {
            u32::from_be_bytes(quad)
        } else {
            u32::from_le_bytes(quad)
        };
        match char::from_u32(value) {
            Some(ch) => text.push(ch),
            None => {
                had_errors = true;
                text.push('\u{FFFD}');
            }
        }
    }
    if !units.remainder().is_empty() {
        had_errors = true;
        text.push('\u{FFFD}');
    }
    (text, had_errors)
}
