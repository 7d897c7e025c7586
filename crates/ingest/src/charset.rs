//! Bytes to Unicode: BOM, HTTP header, in-document declaration, then detection.
//!
//! Order of precedence, following the WHATWG encoding sniffing algorithm and feed practice:
//! 1. a byte-order mark (UTF-8, UTF-16, UTF-32);
//! 2. for XML, the pattern of the first bytes (XML 1.0 appendix F): `<` in UTF-16 or UTF-32 without BOM, or
//!    `<?xm` in EBCDIC, whose own declaration then names the EBCDIC code page;
//! 3. the `charset` parameter of the HTTP `Content-Type`;
//! 4. the XML declaration's `encoding` (feeds) or a `<meta charset>` / `http-equiv` in the first 1024 bytes (pages);
//! 5. detection with chardetng.
//!
//! Labels are resolved by [`Charset::for_label`]: WHATWG labels through encoding_rs first, then Python's codec
//! names and aliases (`437`, `cp1125`, `mac-turkish`, `ebcdic-cp-us`, `windows_1252`, ...). The code pages
//! WHATWG leaves out are decoded from 256-entry tables generated from Python's codec mappings
//! (`charset/gen_tables.py` writes `charset/tables.rs`); UTF-32 is decoded here.
//!
//! Several labels name one decoder (WHATWG decodes `us-ascii`, `iso-8859-1` and `latin1` as windows-1252, as
//! browsers do), so [`Decoded`] reports both: the decoder in [`Decoded::encoding`], and the label that chose
//! it, as written, in [`Decoded::label`]. The decoder stays the WHATWG one, because that is what publishers'
//! bytes mean in practice (a "latin-1" feed with curly quotes at 0x93/0x94); the label is what they declared.
//!
//! A declaration that lies is overruled by the bytes: a document that is valid UTF-8 but declared as a legacy
//! single-byte encoding is decoded as UTF-8 and the lie reported, since that mislabel is far more common than a
//! legacy document that happens to be valid UTF-8. Likewise a UTF-16, UTF-32 or EBCDIC label on a document that
//! starts like ASCII is reported and read as UTF-8.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

mod legacy;
mod tables;

pub use legacy::SingleByte;

/// What kind of document is being decoded; it decides which in-document declaration is looked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentKind {
    /// An XML document: the XML declaration's `encoding` is honoured.
    Xml,
    /// An HTML document: `<meta charset>` and `<meta http-equiv="Content-Type">` are honoured.
    Html,
}

/// A character encoding we can decode: one of the WHATWG Encoding Standard's (through encoding_rs), a legacy
/// single-byte code page outside it (DOS, Mac, EBCDIC, ...: generated tables), or UTF-32.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Charset {
    /// A WHATWG encoding, decoded by encoding_rs.
    Whatwg(&'static Encoding),
    /// A legacy single-byte code page that WHATWG does not define.
    SingleByte(&'static SingleByte),
    /// UTF-32, big-endian.
    Utf32Be,
    /// UTF-32, little-endian.
    Utf32Le,
}

impl Charset {
    /// The encoding a label names: a WHATWG label first (so `latin1` and `ascii` mean windows-1252, as in
    /// browsers), then Python's codec names and aliases, matched case-insensitively with `-`, `_`, `.` and
    /// spaces interchangeable (`windows_1251`, `IBM437`, `cp-866`, `mac-turkish`, `ebcdic-cp-us`, `utf-32le`).
    pub fn for_label(label: &str) -> Option<Charset> {
        if let Some(encoding) = Encoding::for_label(label.as_bytes()) {
            return Some(Charset::Whatwg(encoding));
        }
        legacy::lookup(label).map(|target| match target {
            legacy::Target::Whatwg(encoding) => Charset::Whatwg(encoding),
            legacy::Target::SingleByte(table) => Charset::SingleByte(table),
            legacy::Target::Utf32Be => Charset::Utf32Be,
            legacy::Target::Utf32Le => Charset::Utf32Le,
        })
    }

    /// The encoding's name: encoding_rs's for WHATWG encodings, IANA's (or the vendor's) for the others.
    pub fn name(self) -> &'static str {
        match self {
            Charset::Whatwg(encoding) => encoding.name(),
            Charset::SingleByte(table) => table.name(),
            Charset::Utf32Be => "UTF-32BE",
            Charset::Utf32Le => "UTF-32LE",
        }
    }

    /// Whether only a byte-order mark or the first bytes of the document can establish this encoding: a
    /// label saying UTF-16, UTF-32 or EBCDIC on a document that starts like ASCII cannot be right.
    fn needs_pattern(self) -> bool {
        match self {
            Charset::Whatwg(encoding) => encoding == UTF_16LE || encoding == UTF_16BE,
            Charset::SingleByte(table) => table.is_ebcdic(),
            Charset::Utf32Be | Charset::Utf32Le => true,
        }
    }

    /// A single-byte ASCII-compatible encoding, whose declaration on valid UTF-8 is taken for a mislabel.
    fn is_single_byte_legacy(self) -> bool {
        match self {
            Charset::Whatwg(encoding) => encoding.is_single_byte() || encoding == WINDOWS_1252,
            Charset::SingleByte(table) => !table.is_ebcdic(),
            Charset::Utf32Be | Charset::Utf32Le => false,
        }
    }
}

/// A decoded document.
#[derive(Debug)]
pub struct Decoded<'a> {
    /// The text, without BOM.
    pub text: Cow<'a, str>,
    /// The encoding used.
    pub encoding: Charset,
    /// Where the encoding came from.
    pub source: CharsetSource,
    /// The label that named the encoding, as the HTTP header or the document's declaration wrote it (trimmed),
    /// when decoding followed that label ([`Decoded::source`] is [`CharsetSource::Header`] or
    /// [`CharsetSource::Document`] and the bytes did not overrule it). Several labels name one decoder:
    /// `us-ascii`, `iso-8859-1` and `windows-1252` all decode as windows-1252 (WHATWG, as browsers do), so
    /// what the publisher declared is kept beside [`Decoded::encoding`], which is what decoded the bytes.
    pub label: Option<String>,
    /// Problems noticed: conflicting declarations, malformed bytes replaced.
    pub warnings: Vec<String>,
}

/// Where the encoding of a [`Decoded`] document came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CharsetSource {
    /// A byte-order mark.
    Bom,
    /// The HTTP `Content-Type` charset.
    Header,
    /// The XML declaration or an HTML `<meta>`.
    Document,
    /// UTF-16, UTF-32 or EBCDIC recognised from the pattern of the first bytes of an XML document without
    /// BOM (XML 1.0 appendix F); an EBCDIC document's own declaration then says which EBCDIC code page.
    Pattern,
    /// Statistical detection (chardetng), or UTF-8 validity.
    Detected,
}

/// `<?xm` in EBCDIC (XML 1.0 appendix F).
const EBCDIC_XML: &[u8] = b"\x4C\x6F\xA7\x94";

/// Whether `bytes` is an XML document in UTF-32 (by BOM or first bytes) or EBCDIC (by first bytes): markup
/// in these can only be recognised after decoding (used by [`crate::sniff`]).
pub(crate) fn is_utf32_or_ebcdic(bytes: &[u8]) -> bool {
    utf32_bom(bytes).is_some() || utf32_pattern(bytes).is_some() || bytes.starts_with(EBCDIC_XML)
}

/// Warns when the HTTP header and the document's declaration name different encodings (the header wins).
fn warn_if_conflicting(
    header: Option<Charset>,
    declared: Option<Charset>,
    warnings: &mut Vec<String>,
) {
    if let (Some(h), Some(d)) = (header, declared)
        && h != d
    {
        warnings.push(format!(
            "HTTP header says {} but the document declares {}; the header wins",
            h.name(),
            d.name()
        ));
    }
}

fn utf32_bom(bytes: &[u8]) -> Option<Charset> {
    utf32_by_start(bytes, b"\x00\x00\xFE\xFF", b"\xFF\xFE\x00\x00")
}

fn utf32_pattern(bytes: &[u8]) -> Option<Charset> {
    utf32_by_start(bytes, b"\x00\x00\x00\x3C", b"\x3C\x00\x00\x00")
}

/// UTF-32 big- or little-endian, when `bytes` starts with `big` or `little`.
fn utf32_by_start(bytes: &[u8], big: &[u8], little: &[u8]) -> Option<Charset> {
    if bytes.starts_with(big) {
        Some(Charset::Utf32Be)
    } else if bytes.starts_with(little) {
        Some(Charset::Utf32Le)
    } else {
        None
    }
}

/// Decodes `bytes` to Unicode, given the HTTP `Content-Type` header when there was one.
pub fn decode<'a>(bytes: &'a [u8], content_type: Option<&str>, kind: DocumentKind) -> Decoded<'a> {
    let mut warnings = Vec::new();
    // UTF-32LE's BOM starts with UTF-16LE's, so it is looked for first.
    if let Some(charset) = utf32_bom(bytes) {
        return finish(&bytes[4..], charset, CharsetSource::Bom, warnings);
    }
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let charset = Charset::Whatwg(encoding);
        return finish(&bytes[bom_len..], charset, CharsetSource::Bom, warnings);
    }
    if kind == DocumentKind::Xml && bytes.len() >= 4 {
        if let Some(charset) = utf32_pattern(bytes) {
            return finish(bytes, charset, CharsetSource::Pattern, warnings);
        }
        // UTF-16 without BOM: "<\0?\0" or "\0<\0?" at the start of an XML document.
        if bytes[0] == b'<' && bytes[1] == 0 && bytes[2] != 0 && bytes[3] == 0 {
            let charset = Charset::Whatwg(UTF_16LE);
            return finish(bytes, charset, CharsetSource::Pattern, warnings);
        }
        if bytes[0] == 0 && bytes[1] == b'<' && bytes[2] == 0 && bytes[3] != 0 {
            let charset = Charset::Whatwg(UTF_16BE);
            return finish(bytes, charset, CharsetSource::Pattern, warnings);
        }
        if bytes.starts_with(EBCDIC_XML) {
            return decode_ebcdic(bytes, content_type, warnings);
        }
    }
    let header_label = content_type.and_then(charset_param);
    let header = header_label
        .as_deref()
        .and_then(|label| resolve(label, Place::Header, &mut warnings));
    let declared_label = match kind {
        DocumentKind::Xml => xml_declared_encoding(bytes),
        DocumentKind::Html => html_meta_charset(bytes),
    };
    let declared = declared_label
        .as_deref()
        .and_then(|label| resolve(label, Place::Document, &mut warnings));
    // Each a pass over the whole document, so asked only when needed: a document declared UTF-8 is validated
    // once, as it is decoded.
    let utf8_ok = || std::str::from_utf8(bytes).is_ok();
    let has_non_ascii = || !bytes.is_ascii();
    let chosen = header
        .map(|e| (e, CharsetSource::Header, header_label))
        .or(declared.map(|e| (e, CharsetSource::Document, declared_label)));
    match chosen {
        Some((charset, source, label)) => {
            let chosen_charset = charset;
            // A UTF-16, UTF-32 or EBCDIC label on a document that is plainly ASCII-based is a lie too (the
            // BOM and pattern tests above failed).
            let charset = if charset.needs_pattern() {
                warnings.push(format!(
                    "document declared as {} does not start like one; decoded as UTF-8",
                    charset.name()
                ));
                Charset::Whatwg(UTF_8)
            } else {
                charset
            };
            if charset != Charset::Whatwg(UTF_8)
                && charset.is_single_byte_legacy()
                && has_non_ascii()
                && utf8_ok()
            {
                warnings.push(format!(
                    "document declared as {} is valid UTF-8; decoded as UTF-8",
                    charset.name()
                ));
                return finish(
                    bytes,
                    Charset::Whatwg(UTF_8),
                    CharsetSource::Detected,
                    warnings,
                );
            }
            warn_if_conflicting(header, declared, &mut warnings);
            let mut decoded = finish(bytes, charset, source, warnings);
            if charset == chosen_charset {
                decoded.label = label;
            }
            decoded
        }
        None if utf8_ok() => finish(
            bytes,
            Charset::Whatwg(UTF_8),
            CharsetSource::Detected,
            warnings,
        ),
        None => {
            let mut detector =
                chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            detector.feed(bytes, true);
            let enc = detector.guess(None, chardetng::Utf8Detection::Allow);
            warnings.push(format!("no charset declared; detected {}", enc.name()));
            finish(
                bytes,
                Charset::Whatwg(enc),
                CharsetSource::Detected,
                warnings,
            )
        }
    }
}

/// Where a label was found, for warnings.
#[derive(Clone, Copy)]
enum Place {
    Header,
    Document,
}

impl Place {
    fn describe(self, label: &str) -> String {
        match self {
            Place::Header => format!("charset {label:?} in Content-Type"),
            Place::Document => format!("encoding {label:?} declared in the document"),
        }
    }
}

/// The encoding a label names, or `None` with a warning when the label is unknown.
fn resolve(label: &str, place: Place, warnings: &mut Vec<String>) -> Option<Charset> {
    let charset = Charset::for_label(label);
    if charset.is_none() {
        warnings.push(format!("unknown {}, ignored", place.describe(label)));
    }
    charset
}

/// Decodes an XML document whose first bytes are `<?xm` in EBCDIC. The declaration is read through IBM037
/// (its characters are the same in every EBCDIC code page) and names the code page; a header or declaration
/// naming a non-EBCDIC encoding is overruled by the bytes.
fn decode_ebcdic<'a>(
    bytes: &'a [u8],
    content_type: Option<&str>,
    mut warnings: Vec<String>,
) -> Decoded<'a> {
    let reader = legacy::ebcdic_default();
    let head: Vec<u8> = bytes[..bytes.len().min(512)]
        .iter()
        .map(|&b| {
            reader
                .char_for(b)
                .and_then(|ch| u8::try_from(ch).ok())
                .filter(u8::is_ascii)
                .unwrap_or(b'?')
        })
        .collect();
    let mut ebcdic = |label: String, place: Place| match resolve(&label, place, &mut warnings)? {
        Charset::SingleByte(table) if table.is_ebcdic() => Some(Charset::SingleByte(table)),
        _ => {
            warnings.push(format!(
                "{} is not EBCDIC but the document is; ignored",
                place.describe(&label)
            ));
            None
        }
    };
    let header_label = content_type.and_then(charset_param);
    let header = header_label
        .clone()
        .and_then(|label| ebcdic(label, Place::Header));
    let declared_label = xml_declared_encoding(&head);
    let declared = declared_label
        .clone()
        .and_then(|label| ebcdic(label, Place::Document));
    warn_if_conflicting(header, declared, &mut warnings);
    let (charset, source, label) = match (header, declared) {
        (Some(h), _) => (h, CharsetSource::Header, header_label),
        (None, Some(d)) => (d, CharsetSource::Document, declared_label),
        (None, None) => (Charset::SingleByte(reader), CharsetSource::Pattern, None),
    };
    let mut decoded = finish(bytes, charset, source, warnings);
    decoded.label = label;
    decoded
}

fn finish<'a>(
    bytes: &'a [u8],
    charset: Charset,
    source: CharsetSource,
    mut warnings: Vec<String>,
) -> Decoded<'a> {
    let (text, had_errors) = match charset {
        Charset::Whatwg(encoding) => encoding.decode_without_bom_handling(bytes),
        Charset::SingleByte(table) => {
            let (text, had_errors) = table.decode(bytes);
            (Cow::Owned(text), had_errors)
        }
        Charset::Utf32Be | Charset::Utf32Le => {
            let (text, had_errors) = legacy::decode_utf32(bytes, charset == Charset::Utf32Be);
            (Cow::Owned(text), had_errors)
        }
    };
    if had_errors {
        warnings.push(format!(
            "malformed {} byte sequences replaced with U+FFFD",
            charset.name()
        ));
    }
    Decoded {
        text,
        encoding: charset,
        source,
        label: None,
        warnings,
    }
}

/// The `charset` parameter of a `Content-Type` value.
pub fn charset_param(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(['"', '\'']).to_owned())
    })
}

/// The `encoding` pseudo-attribute of an XML declaration at the start of the document (after junk whitespace).
fn xml_declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(512)];
    let start = find(head, b"<?xml")?;
    let end = start + find(&head[start..], b"?>")?;
    let decl = std::str::from_utf8(&head[start..end]).ok()?;
    attr_value(decl, "encoding")
}

/// The charset of the first `<meta charset>` or `<meta http-equiv="content-type" content="...charset=...">`
/// within the first 1024 bytes, as the HTML prescan does.
fn html_meta_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(1024)];
    let lower: Vec<u8> = head.to_ascii_lowercase();
    let mut pos = 0;
    while let Some(found) = find(&lower[pos..], b"<meta") {
        let start = pos + found;
        let end = start + find(&lower[start..], b">").unwrap_or(lower.len() - start);
        let tag = String::from_utf8_lossy(&lower[start..end]);
        if let Some(cs) = attr_value(&tag, "charset") {
            return Some(cs);
        }
        if tag.contains("http-equiv")
            && let Some(content) = attr_value(&tag, "content")
            && let Some(idx) = content.find("charset=")
        {
            let cs = content[idx + 8..].trim_matches(['"', '\'', ' ', ';']);
            return Some(cs.split(';').next().unwrap_or(cs).trim().to_owned());
        }
        pos = end;
    }
    None
}

fn attr_value(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    while let Some(idx) = rest.find(name) {
        let before_ok = idx == 0
            || !rest.as_bytes()[idx - 1].is_ascii_alphanumeric()
                && rest.as_bytes()[idx - 1] != b'-';
        let after = rest[idx + name.len()..].trim_start();
        if before_ok && let Some(after) = after.strip_prefix('=') {
            let after = after.trim_start();
            let value = match after.chars().next()? {
                q @ ('"' | '\'') => after[1..].split(q).next()?,
                _ => after
                    .split(|c: char| c.is_whitespace() || matches!(c, '>' | '/' | ';' | '"' | '\''))
                    .next()?,
            };
            return Some(value.trim().to_owned());
        }
        rest = &rest[idx + name.len()..];
    }
    None
}

/// The first position of `needle` in `haystack` (shared with [`crate::sniff`]).
pub(crate) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests;
