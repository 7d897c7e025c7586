//! Telling a feed from a web page by its first bytes, whatever the `Content-Type` claims.

use crate::charset::{self, DocumentKind, find};

/// What a document looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentType {
    /// An XML document whose root is `rss`, `rdf:RDF`/`RDF`, `feed`, or a JSON Feed.
    Feed,
    /// An HTML page (or XHTML).
    Html,
    /// Some other XML document.
    OtherXml,
    /// Neither markup nor JSON.
    Unknown,
}

/// Looks at the start of `bytes` (up to 4 KiB, after BOMs, whitespace, comments, declarations and
/// processing instructions) and says what kind of document it is. The content type is only a tie-breaker.
pub fn sniff(bytes: &[u8], content_type: Option<&str>) -> DocumentType {
    let head = ascii_view(&bytes[..bytes.len().min(8192)]);
    let mut rest: &[u8] = &head;
    // An HTML doctype decides only when the root element is not a feed's: feeds made from page templates
    // sometimes carry an XHTML doctype before `<rss>`.
    let mut html_doctype = false;
    loop {
        rest = rest.trim_ascii_start();
        if rest.starts_with(b"<?") || rest.starts_with(b"<!--") || rest.starts_with(b"<!") {
            let end: &[u8] = if rest.starts_with(b"<!--") {
                b"-->"
            } else {
                b">"
            };
            let mut from = 0;
            if rest
                .get(..9)
                .is_some_and(|s| s.eq_ignore_ascii_case(b"<!doctype"))
            {
                let after = rest[9..].trim_ascii_start();
                html_doctype |= after.len() >= 4 && after[..4].eq_ignore_ascii_case(b"html");
                // An internal subset in brackets holds declarations with `>` of their own.
                let bracket = rest.iter().position(|&b| b == b'[');
                let close = rest.iter().position(|&b| b == b'>');
                if let (Some(open), Some(close)) = (bracket, close)
                    && open < close
                {
                    match find(&rest[open..], b"]") {
                        Some(idx) => from = open + idx,
                        None => return DocumentType::Unknown,
                    }
                }
            }
            match find(&rest[from..], end) {
                Some(idx) => rest = &rest[from + idx + end.len()..],
                None => return DocumentType::Unknown,
            }
            continue;
        }
        break;
    }
    if rest.first() == Some(&b'{') {
        let is_feed = find(&head, b"jsonfeed.org").is_some()
            || content_type.is_some_and(|ct| ct.contains("feed+json"));
        return if is_feed {
            DocumentType::Feed
        } else {
            DocumentType::Unknown
        };
    }
    if rest.first() != Some(&b'<') {
        return if html_doctype {
            DocumentType::Html
        } else {
            DocumentType::Unknown
        };
    }
    let name_end = rest[1..]
        .iter()
        .position(|&b| b.is_ascii_whitespace() || b == b'>' || b == b'/')
        .map_or(rest.len(), |i| i + 1);
    let name = rest[1..name_end].to_ascii_lowercase();
    let local = match name.iter().rposition(|&b| b == b':') {
        Some(i) => &name[i + 1..],
        None => &name[..],
    };
    match local {
        b"rss" | b"rdf" | b"feed" | b"channel" => DocumentType::Feed,
        b"html" | b"head" | b"body" => DocumentType::Html,
        _ if html_doctype => DocumentType::Html,
        b"" => DocumentType::Unknown,
        _ if content_type.is_some_and(|ct| ct.contains("html")) => DocumentType::Html,
        _ => DocumentType::OtherXml,
    }
}

/// Drops the NUL half of UTF-16 code units and a BOM, so markup can be recognised in any encoding; UTF-32
/// and EBCDIC documents are decoded first.
fn ascii_view(bytes: &[u8]) -> Vec<u8> {
    if charset::is_utf32_or_ebcdic(bytes) {
        let decoded = charset::decode(bytes, None, DocumentKind::Xml);
        return decoded.text.into_owned().into_bytes();
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let utf16 = bytes.starts_with(b"\xFF\xFE")
        || bytes.starts_with(b"\xFE\xFF")
        || (bytes.len() >= 4 && (bytes[1] == 0 && bytes[3] == 0 || bytes[0] == 0 && bytes[2] == 0));
    if utf16 {
        bytes
            .iter()
            .copied()
            .filter(|&b| b != 0 && b < 0xFE)
            .collect()
    } else {
        bytes.to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_documents() {
        let cases: &[(&[u8], DocumentType)] = &[
            (
                b"<?xml version=\"1.0\"?>\n<rss version=\"2.0\">",
                DocumentType::Feed,
            ),
            (
                b"  \n<?xml version='1.0'?><!-- hi --><?xml-stylesheet href='x'?><feed xmlns=''>",
                DocumentType::Feed,
            ),
            (b"<rdf:RDF xmlns:rdf=''>", DocumentType::Feed),
            (b"\xEF\xBB\xBF<RSS>", DocumentType::Feed),
            (b"<!DOCTYPE html><html><body>", DocumentType::Html),
            (b"<!doctype HTML>", DocumentType::Html),
            (b"<html lang=en>", DocumentType::Html),
            (
                b"<?xml version=\"1.0\"?><!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"x\">\n<rss><channel>",
                DocumentType::Feed,
            ),
            (b"<!DOCTYPE html>\n<div>text</div>", DocumentType::Html),
            (
                b"<?xml version=\"1.0\"?>\n<!DOCTYPE rdf:RDF [\n<!ENTITY % lat1 PUBLIC \"-//x//EN\" \"y.ent\">\n%lat1;\n<!ENTITY copy \"&#169;\">\n]>\n<rdf:RDF xmlns:rdf=''>",
                DocumentType::Feed,
            ),
            (b"<!DOCTYPE rss [ <!ENTITY a \"b\">", DocumentType::Unknown),
            (b"<?xml version='1.0'?><note/>", DocumentType::OtherXml),
            (
                b"{\"version\": \"https://jsonfeed.org/version/1.1\"}",
                DocumentType::Feed,
            ),
            (b"{\"a\": 1}", DocumentType::Unknown),
            (b"\x00\x01\x02garbage", DocumentType::Unknown),
            (b"", DocumentType::Unknown),
        ];
        for (bytes, expected) in cases {
            assert_eq!(
                sniff(bytes, None),
                *expected,
                "{:?}",
                String::from_utf8_lossy(bytes)
            );
        }
    }

    #[test]
    fn utf16_feed() {
        let le: Vec<u8> = "<?xml version=\"1.0\"?><rss>"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(sniff(&le, None), DocumentType::Feed);
    }

    #[test]
    fn utf32_feeds() {
        let text = "<?xml version=\"1.0\"?><!-- c --><rss>";
        let le: Vec<u8> = text
            .chars()
            .flat_map(|c| u32::from(c).to_le_bytes())
            .collect();
        let be: Vec<u8> = text
            .chars()
            .flat_map(|c| u32::from(c).to_be_bytes())
            .collect();
        assert_eq!(sniff(&le, None), DocumentType::Feed);
        assert_eq!(sniff(&be, None), DocumentType::Feed);
        let mut le_bom = b"\xFF\xFE\x00\x00".to_vec();
        le_bom.extend_from_slice(&le);
        assert_eq!(sniff(&le_bom, None), DocumentType::Feed);
        let mut be_bom = b"\x00\x00\xFE\xFF".to_vec();
        be_bom.extend_from_slice(&be);
        assert_eq!(sniff(&be_bom, None), DocumentType::Feed);
    }

    #[test]
    fn ebcdic_feeds() {
        // `<?xml version="1.0" encoding="cp037"?><!-- c --><feed>` in IBM037, and with the IBM500 `!` (4F)
        // declared as cp500: the declaration decides how the rest is read.
        let cp037: &[u8] = b"\x4C\x6F\xA7\x94\x93\x40\xA5\x85\x99\xA2\x89\x96\x95\x7E\x7F\xF1\x4B\xF0\x7F\x40\x85\x95\x83\x96\x84\x89\x95\x87\x7E\x7F\x83\x97\xF0\xF3\xF7\x7F\x6F\x6E\x4C\x5A\x60\x60\x40\x83\x40\x60\x60\x6E\x4C\x86\x85\x85\x84\x6E";
        assert_eq!(sniff(cp037, None), DocumentType::Feed);
        let cp500: &[u8] = b"\x4C\x6F\xA7\x94\x93\x40\x85\x95\x83\x96\x84\x89\x95\x87\x7E\x7F\x83\x97\xF5\xF0\xF0\x7F\x6F\x6E\x4C\x4F\x60\x60\x40\x83\x40\x60\x60\x6E\x4C\x99\xA2\xA2\x6E";
        assert_eq!(sniff(cp500, None), DocumentType::Feed);
    }
}
