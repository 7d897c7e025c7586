//! Bytes to Unicode: BOM, HTTP header, in-document declaration, then detection.
//!
//! Order of precedence, following the WHATWG encoding sniffing algorithm and feed practice:
//! 1. a byte-order mark;
//! 2. the `charset` parameter of the HTTP `Content-Type`;
//! 3. the XML declaration's `encoding` (feeds) or a `<meta charset>` / `http-equiv` in the first 1024 bytes (pages);
//! 4. detection with chardetng.
//!
//! A declaration that lies is overruled by the bytes: a document that is valid UTF-8 but declared as a legacy
//! single-byte encoding is decoded as UTF-8 and the lie reported, since that mislabel is far more common than a
//! legacy document that happens to be valid UTF-8.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// What kind of document is being decoded; it decides which in-document declaration is looked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentKind {
    /// An XML document: the XML declaration's `encoding` is honoured.
    Xml,
    /// An HTML document: `<meta charset>` and `<meta http-equiv="Content-Type">` are honoured.
    Html,
}

/// A decoded document.
#[derive(Debug)]
pub struct Decoded<'a> {
    /// The text, without BOM.
    pub text: Cow<'a, str>,
    /// The encoding used.
    pub encoding: &'static Encoding,
    /// Where the encoding came from.
    pub source: CharsetSource,
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
    /// UTF-16 recognised from the pattern of the first bytes of an XML document without BOM.
    Pattern,
    /// Statistical detection (chardetng), or UTF-8 validity.
    Detected,
}

/// Decodes `bytes` to Unicode, given the HTTP `Content-Type` header when there was one.
pub fn decode<'a>(bytes: &'a [u8], content_type: Option<&str>, kind: DocumentKind) -> Decoded<'a> {
    let mut warnings = Vec::new();
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return finish(&bytes[bom_len..], encoding, CharsetSource::Bom, warnings);
    }
    // UTF-16 without BOM: "<\0?\0" or "\0<\0?" at the start of an XML document.
    if kind == DocumentKind::Xml && bytes.len() >= 4 {
        if bytes[0] == b'<' && bytes[1] == 0 && bytes[2] != 0 && bytes[3] == 0 {
            return finish(bytes, UTF_16LE, CharsetSource::Pattern, warnings);
        }
        if bytes[0] == 0 && bytes[1] == b'<' && bytes[2] == 0 && bytes[3] != 0 {
            return finish(bytes, UTF_16BE, CharsetSource::Pattern, warnings);
        }
    }
    let header = content_type.and_then(charset_param).and_then(|label| {
        let enc = Encoding::for_label(label.as_bytes());
        if enc.is_none() {
            warnings.push(format!(
                "unknown charset {label:?} in Content-Type, ignored"
            ));
        }
        enc
    });
    let declared = match kind {
        DocumentKind::Xml => xml_declared_encoding(bytes),
        DocumentKind::Html => html_meta_charset(bytes),
    }
    .and_then(|label| {
        let enc = Encoding::for_label(label.as_bytes());
        if enc.is_none() {
            warnings.push(format!(
                "unknown encoding {label:?} declared in the document, ignored"
            ));
        }
        enc
    });
    let utf8_ok = std::str::from_utf8(bytes).is_ok();
    let has_non_ascii = bytes.iter().any(|&b| b >= 0x80);
    let chosen = header
        .map(|e| (e, CharsetSource::Header))
        .or(declared.map(|e| (e, CharsetSource::Document)));
    match chosen {
        Some((enc, source)) => {
            // A UTF-16 label on a document that is plainly 8-bit is a lie too (the BOM test above failed).
            let enc = if enc == UTF_16LE || enc == UTF_16BE {
                UTF_8
            } else {
                enc
            };
            if enc != UTF_8 && utf8_ok && has_non_ascii && is_single_byte_legacy(enc) {
                warnings.push(format!(
                    "document declared as {} is valid UTF-8; decoded as UTF-8",
                    enc.name()
                ));
                return finish(bytes, UTF_8, CharsetSource::Detected, warnings);
            }
            if let (Some(h), Some(d)) = (header, declared)
                && h != d
            {
                warnings.push(format!(
                    "HTTP header says {} but the document declares {}; the header wins",
                    h.name(),
                    d.name()
                ));
            }
            finish(bytes, enc, source, warnings)
        }
        None if utf8_ok => finish(bytes, UTF_8, CharsetSource::Detected, warnings),
        None => {
            let mut detector =
                chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            detector.feed(bytes, true);
            let enc = detector.guess(None, chardetng::Utf8Detection::Allow);
            warnings.push(format!("no charset declared; detected {}", enc.name()));
            finish(bytes, enc, CharsetSource::Detected, warnings)
        }
    }
}

fn is_single_byte_legacy(enc: &'static Encoding) -> bool {
    enc.is_single_byte() || enc == WINDOWS_1252
}

fn finish<'a>(
    bytes: &'a [u8],
    encoding: &'static Encoding,
    source: CharsetSource,
    mut warnings: Vec<String>,
) -> Decoded<'a> {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    if had_errors {
        warnings.push(format!(
            "malformed {} byte sequences replaced with U+FFFD",
            encoding.name()
        ));
    }
    Decoded {
        text,
        encoding,
        source,
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
mod tests {
    use super::*;

    #[test]
    fn meta_charset_windows_1252() {
        let page = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\"></head><body>\x93Hi\x94 caf\xe9</body></html>";
        let d = decode(page, None, DocumentKind::Html);
        assert_eq!(d.encoding, WINDOWS_1252);
        assert_eq!(d.source, CharsetSource::Document);
        assert!(d.text.contains("\u{201c}Hi\u{201d} café"), "{}", d.text);
    }

    #[test]
    fn header_wins_over_meta() {
        let page = b"<meta charset=utf-8><p>caf\xe9</p>";
        let d = decode(
            page,
            Some("text/html; charset=ISO-8859-1"),
            DocumentKind::Html,
        );
        assert_eq!(d.source, CharsetSource::Header);
        assert!(d.text.contains("café"));
        assert!(d.warnings.iter().any(|w| w.contains("header wins")));
    }

    #[test]
    fn valid_utf8_declared_latin1_is_utf8() {
        let xml = "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><rss><title>café</title></rss>"
            .as_bytes();
        let d = decode(xml, None, DocumentKind::Xml);
        assert_eq!(d.encoding, UTF_8);
        assert!(d.text.contains("café"));
        assert!(d.warnings[0].contains("valid UTF-8"), "{:?}", d.warnings);
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let s = "<?xml version=\"1.0\"?><rss>é</rss>";
        let le: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let be: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        assert_eq!(decode(&le, None, DocumentKind::Xml).text, s);
        assert_eq!(decode(&be, None, DocumentKind::Xml).text, s);
        let mut bom = vec![0xFF, 0xFE];
        bom.extend_from_slice(&le);
        let d = decode(&bom, None, DocumentKind::Xml);
        assert_eq!(d.text, s);
        assert_eq!(d.source, CharsetSource::Bom);
    }

    #[test]
    fn undeclared_legacy_is_detected() {
        let d = decode(
            b"<p>Le caf\xe9 est d\xe9j\xe0 ferm\xe9 \xe0 cette heure-ci.</p>",
            None,
            DocumentKind::Html,
        );
        assert!(
            d.text.contains("café"),
            "{} ({})",
            d.text,
            d.encoding.name()
        );
        assert_eq!(d.source, CharsetSource::Detected);
    }

    #[test]
    fn charset_param_forms() {
        assert_eq!(
            charset_param("text/xml; charset=\"UTF-8\"").as_deref(),
            Some("UTF-8")
        );
        assert_eq!(
            charset_param("text/xml;Charset=koi8-r").as_deref(),
            Some("koi8-r")
        );
        assert_eq!(charset_param("text/xml"), None);
    }
}
