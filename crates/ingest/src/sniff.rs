//! Telling a feed from a web page by its first bytes, whatever the `Content-Type` claims.

use crate::charset::find;

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
    loop {
        rest = rest.trim_ascii_start();
        if rest.starts_with(b"<?") || rest.starts_with(b"<!--") || rest.starts_with(b"<!") {
            let end: &[u8] = if rest.starts_with(b"<!--") {
                b"-->"
            } else {
                b">"
            };
            let lower = rest
                .get(..9)
                .map(|s| s.to_ascii_lowercase())
                .unwrap_or_default();
            if lower.starts_with(b"<!doctype") {
                let after = rest[9..].trim_ascii_start();
                if after.len() >= 4 && after[..4].eq_ignore_ascii_case(b"html") {
                    return DocumentType::Html;
                }
            }
            match find(rest, end) {
                Some(idx) => rest = &rest[idx + end.len()..],
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
        return DocumentType::Unknown;
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
        b"" => DocumentType::Unknown,
        _ if content_type.is_some_and(|ct| ct.contains("html")) => DocumentType::Html,
        _ => DocumentType::OtherXml,
    }
}

/// Drops the NUL half of UTF-16 code units and a BOM, so markup can be recognised in any encoding.
fn ascii_view(bytes: &[u8]) -> Vec<u8> {
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
}
