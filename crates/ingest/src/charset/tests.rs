//! Unit tests of charset decoding: BOMs, headers, declarations, detection, legacy tables and UTF-32.

use super::*;

#[test]
fn meta_charset_windows_1252() {
    let page = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\"></head><body>\x93Hi\x94 caf\xe9</body></html>";
    let d = decode(page, None, DocumentKind::Html);
    assert_eq!(d.encoding, Charset::Whatwg(WINDOWS_1252));
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
fn the_label_followed_is_kept_as_written() {
    let xml = b"<?xml version=\"1.0\" encoding=\" ISO-8859-1 \"?><rss><title>caf\xe9</title></rss>";
    let d = decode(xml, None, DocumentKind::Xml);
    assert_eq!(d.encoding, Charset::Whatwg(WINDOWS_1252));
    assert_eq!(d.label.as_deref(), Some("ISO-8859-1"));
    let d = decode(xml, Some("text/xml; charset='us-ascii'"), DocumentKind::Xml);
    assert_eq!(d.encoding, Charset::Whatwg(WINDOWS_1252));
    assert_eq!(d.source, CharsetSource::Header);
    assert_eq!(d.label.as_deref(), Some("us-ascii"));
    // An unknown header label is not followed: the declaration is.
    let d = decode(xml, Some("text/xml; charset=klingon"), DocumentKind::Xml);
    assert_eq!(d.label.as_deref(), Some("ISO-8859-1"));
}

#[test]
fn no_label_when_the_bytes_decide() {
    // BOM, detection, and a declaration overruled because the bytes are valid UTF-8.
    let bom = b"\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"utf-8\"?><rss/>";
    assert_eq!(decode(bom, None, DocumentKind::Xml).label, None);
    let undeclared = b"<rss><title>caf\xe9 cr\xe8me</title></rss>";
    assert_eq!(decode(undeclared, None, DocumentKind::Xml).label, None);
    let lie = "<?xml version=\"1.0\" encoding=\"windows-1252\"?><rss>café</rss>".as_bytes();
    assert_eq!(decode(lie, None, DocumentKind::Xml).label, None);
    let utf16_lie = b"<?xml version=\"1.0\" encoding=\"utf-16\"?><rss/>";
    let d = decode(utf16_lie, None, DocumentKind::Xml);
    assert_eq!(d.encoding, Charset::Whatwg(UTF_8));
    assert_eq!(d.label, None);
}

#[test]
fn valid_utf8_declared_latin1_is_utf8() {
    let xml =
        "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><rss><title>café</title></rss>".as_bytes();
    let d = decode(xml, None, DocumentKind::Xml);
    assert_eq!(d.encoding, Charset::Whatwg(UTF_8));
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

/// Labels outside WHATWG's list, in the spellings feeds use, with one byte each and the character Python's
/// codec of that name gives for it (`bytes([byte]).decode(label)`), except where WHATWG's reading wins.
#[test]
fn legacy_labels_decode_like_python_codecs() {
    let cases: &[(&str, u8, char)] = &[
        ("437", 0x80, '\u{C7}'),
        ("cp437", 0x9B, '\u{A2}'),
        ("IBM437", 0xE1, '\u{DF}'),
        ("cspc8codepage437", 0xB0, '\u{2591}'),
        ("850", 0x80, '\u{C7}'),
        ("852", 0xA5, '\u{105}'),
        ("855", 0x80, '\u{452}'),
        ("857", 0x8D, '\u{131}'),
        ("860", 0x84, '\u{E3}'),
        ("861", 0x8B, '\u{D0}'),
        ("862", 0x80, '\u{5D0}'),
        ("863", 0x84, '\u{C2}'),
        ("864", 0x80, '\u{B0}'),
        ("865", 0x9B, '\u{F8}'),
        ("866", 0x80, '\u{410}'),
        ("869", 0xA4, '\u{391}'),
        ("cp737", 0x80, '\u{391}'),
        ("cp775", 0x80, '\u{106}'),
        ("cp856", 0x80, '\u{5D0}'),
        ("cp874", 0xA1, '\u{E01}'),
        ("cp1006", 0xA1, '\u{6F0}'),
        ("cp1125", 0xF2, '\u{490}'),
        ("koi8-t", 0x80, '\u{49B}'),
        ("koi8-r", 0xC1, '\u{430}'),
        ("mac-cyrillic", 0x80, '\u{410}'),
        ("maccyrillic", 0xDF, '\u{44F}'),
        ("mac-greek", 0x80, '\u{C4}'),
        ("mac-iceland", 0xA0, '\u{DD}'),
        ("mac-latin2", 0x84, '\u{104}'),
        ("maccentraleurope", 0x80, '\u{C4}'),
        ("mac-roman", 0xDB, '\u{20AC}'),
        ("mac_turkish", 0xDA, '\u{11E}'),
        ("ptcp154", 0x80, '\u{496}'),
        ("kz1048", 0x80, '\u{402}'),
        ("hp-roman8", 0xA1, '\u{C0}'),
        ("tis-620", 0xA1, '\u{E01}'),
        ("windows_1252", 0x80, '\u{20AC}'),
        ("Windows 1251", 0xC0, '\u{410}'),
        ("WINDOWS-1250", 0x8A, '\u{160}'),
        ("cp1254", 0xD0, '\u{11E}'),
        ("cp_is", 0x80, '\u{C7}'),
        ("cp037", 0xC1, '\u{41}'),
        ("ebcdic-cp-us", 0x4A, '\u{A2}'),
        ("ebcdic_cp_be", 0x4A, '\u{5B}'),
        ("cp500", 0x4F, '\u{21}'),
        ("ibm1140", 0x9F, '\u{20AC}'),
        ("cp875", 0x41, '\u{391}'),
        ("cp1026", 0x5A, '\u{11E}'),
        ("csibm037", 0x5A, '\u{21}'),
        ("cp858", 0xD5, '\u{20AC}'),
        ("cp720", 0xA0, '\u{628}'),
        ("cp424", 0x41, '\u{5D0}'),
        ("cp273", 0x4A, '\u{C4}'),
        ("mac_croatian", 0xA9, '\u{160}'),
        ("mac_romanian", 0xAE, '\u{102}'),
        ("mac_farsi", 0xB0, '\u{6F0}'),
        ("mac_arabic", 0x80, '\u{C4}'),
        ("palmos", 0x80, '\u{20AC}'),
        // Python reads these as Latin-1 (U+0080); WHATWG, and so we, read every ISO-8859-1 label as
        // windows-1252.
        ("latin1", 0x80, '\u{20AC}'),
        ("iso_8859_1", 0x80, '\u{20AC}'),
        ("8859", 0x80, '\u{20AC}'),
    ];
    for &(label, byte, expected) in cases {
        let charset = Charset::for_label(label).unwrap_or_else(|| panic!("{label:?} is not known"));
        let (text, had_errors) = match charset {
            Charset::Whatwg(encoding) => {
                let (text, had_errors) =
                    encoding.decode_without_bom_handling(std::slice::from_ref(&byte));
                (text.into_owned(), had_errors)
            }
            Charset::SingleByte(table) => table.decode(std::slice::from_ref(&byte)),
            Charset::Utf32Be | Charset::Utf32Le => panic!("{label:?} resolved to {charset:?}"),
        };
        assert!(!had_errors, "{label:?} {byte:#04X}");
        assert_eq!(
            text,
            expected.to_string(),
            "{label:?} ({}) byte {byte:#04X}",
            charset.name()
        );
    }
}

#[test]
fn label_spellings() {
    let same = |a: &str, b: &str| {
        assert_eq!(
            Charset::for_label(a),
            Charset::for_label(b),
            "{a:?} vs {b:?}"
        );
        assert!(Charset::for_label(a).is_some(), "{a:?}");
    };
    same("windows_1252", "windows-1252");
    same(" Windows 1251 ", "windows-1251");
    same("WINDOWS_1250", "windows-1250");
    same("IBM437", "cp437");
    same("cp-437", "437");
    same("Mac-Turkish", "macturkish");
    same("EBCDIC-CP-US", "cp037");
    same("utf_32le", "UTF-32LE");
    same("ucs-4", "utf-32");
    assert_eq!(
        Charset::for_label("windows_1252"),
        Some(Charset::Whatwg(WINDOWS_1252))
    );
    assert_eq!(Charset::for_label("UTF-32LE"), Some(Charset::Utf32Le));
    assert_eq!(Charset::for_label("utf-32"), Some(Charset::Utf32Be));
    assert_eq!(Charset::for_label("866").map(Charset::name), Some("IBM866"));
    assert_eq!(
        Charset::for_label("cp437").map(Charset::name),
        Some("IBM437")
    );
    for unknown in [
        "x-made-up-charset",
        "",
        "-",
        "cp",
        "windows",
        "tcvn",
        "dbcs",
        "rot13",
        "hex",
    ] {
        assert_eq!(Charset::for_label(unknown), None, "{unknown:?}");
    }
}

#[test]
fn label_index_is_sorted_and_normalized() {
    for pair in super::tables::LABELS.windows(2) {
        assert!(
            pair[0].0 < pair[1].0,
            "{:?} before {:?}",
            pair[0].0,
            pair[1].0
        );
    }
    for (key, _) in &super::tables::LABELS {
        assert_eq!(legacy::label_key(key), *key);
    }
}

#[test]
fn undefined_bytes_become_replacement_characters() {
    let table = match Charset::for_label("cp856") {
        Some(Charset::SingleByte(table)) => table,
        other => panic!("{other:?}"),
    };
    // 0x9B is undefined in cp856 (Python: UnicodeDecodeError).
    assert_eq!(table.char_for(0x9B), None);
    let (text, had_errors) = table.decode(b"a\x80\x9Bz");
    assert_eq!(text, "a\u{5D0}\u{FFFD}z");
    assert!(had_errors);
}

#[test]
fn declared_legacy_code_page() {
    // "Новости" in cp866, declared with the bare number.
    let xml = b"<?xml version=\"1.0\" encoding=\"866\"?><rss><title>\x8D\xAE\xA2\xAE\xE1\xE2\xA8</title></rss>";
    let d = decode(xml, None, DocumentKind::Xml);
    assert_eq!(d.source, CharsetSource::Document);
    assert!(d.text.contains("<title>Новости</title>"), "{}", d.text);
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    // An underscore spelling of a WHATWG label is no reason to warn either.
    let xml = b"<?xml version=\"1.0\" encoding=\"windows_1250\"?><rss><title>\x8A</title></rss>";
    let d = decode(xml, None, DocumentKind::Xml);
    assert_eq!(d.encoding.name(), "windows-1250");
    assert!(d.text.contains("<title>Š</title>"), "{}", d.text);
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
}

#[test]
fn legacy_label_in_header() {
    let d = decode(
        b"<rss><title>\x80</title></rss>",
        Some("application/rss+xml; charset=mac-cyrillic"),
        DocumentKind::Xml,
    );
    assert_eq!(d.source, CharsetSource::Header);
    assert!(d.text.contains("<title>А</title>"), "{}", d.text);
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
}

#[test]
fn valid_utf8_declared_as_dos_code_page_is_utf8() {
    let xml = "<?xml version=\"1.0\" encoding=\"cp437\"?><rss><title>café</title></rss>".as_bytes();
    let d = decode(xml, None, DocumentKind::Xml);
    assert_eq!(d.encoding, Charset::Whatwg(UTF_8));
    assert!(d.text.contains("café"));
    assert!(d.warnings[0].contains("valid UTF-8"), "{:?}", d.warnings);
}

/// Encodes ASCII text as EBCDIC through a code page's table (test helper).
fn to_ebcdic(label: &str, text: &str) -> Vec<u8> {
    let Some(Charset::SingleByte(table)) = Charset::for_label(label) else {
        panic!("{label:?} is not a table")
    };
    text.chars()
        .map(|ch| {
            (0..=255u8)
                .find(|&b| table.char_for(b) == Some(ch))
                .unwrap_or_else(|| panic!("{ch:?} not in {label}"))
        })
        .collect()
}

#[test]
fn ebcdic_document_by_pattern_and_declaration() {
    // XML 1.0 appendix F: `<?xm` is 4C 6F A7 94 in EBCDIC.
    let xml = to_ebcdic(
        "cp500",
        "<?xml version=\"1.0\" encoding=\"ebcdic-cp-be\"?><!-- x --><rss><title>[!]</title></rss>",
    );
    assert!(xml.starts_with(b"\x4C\x6F\xA7\x94"));
    let d = decode(&xml, None, DocumentKind::Xml);
    assert_eq!(d.encoding.name(), "IBM500");
    assert_eq!(d.source, CharsetSource::Document);
    assert!(
        d.text.contains("<!-- x --><rss><title>[!]</title>"),
        "{}",
        d.text
    );
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
}

#[test]
fn ebcdic_document_without_usable_declaration() {
    let xml = to_ebcdic("cp037", "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss/>");
    let d = decode(
        &xml,
        Some("text/xml; charset=iso-8859-1"),
        DocumentKind::Xml,
    );
    assert_eq!(d.encoding.name(), "IBM037");
    assert_eq!(d.source, CharsetSource::Pattern);
    assert!(d.text.ends_with("<rss/>"), "{}", d.text);
    assert_eq!(d.warnings.len(), 2, "{:?}", d.warnings);
    assert!(d.warnings[0].contains("is not EBCDIC"), "{:?}", d.warnings);
}

#[test]
fn ebcdic_label_on_ascii_document_is_ignored() {
    let xml = b"<?xml version=\"1.0\" encoding=\"cp037\"?><rss><title>ok</title></rss>";
    let d = decode(xml, None, DocumentKind::Xml);
    assert_eq!(d.encoding, Charset::Whatwg(UTF_8));
    assert!(d.text.contains("<title>ok</title>"));
    assert!(
        d.warnings[0].contains("does not start like one"),
        "{:?}",
        d.warnings
    );
}

fn utf32(text: &str, big_endian: bool) -> Vec<u8> {
    text.chars()
        .flat_map(|ch| {
            if big_endian {
                u32::from(ch).to_be_bytes()
            } else {
                u32::from(ch).to_le_bytes()
            }
        })
        .collect()
}

#[test]
fn utf32_with_and_without_bom() {
    let s = "<?xml version=\"1.0\" encoding=\"utf-32\"?><rss>é 𝄞</rss>";
    for big_endian in [true, false] {
        let bare = utf32(s, big_endian);
        let d = decode(&bare, None, DocumentKind::Xml);
        assert_eq!(d.text, s);
        assert_eq!(d.source, CharsetSource::Pattern);
        assert!(d.warnings.is_empty(), "{:?}", d.warnings);
        let mut with_bom = utf32("\u{FEFF}", big_endian);
        with_bom.extend_from_slice(&bare);
        let d = decode(
            &with_bom,
            Some("text/xml; charset=utf-8"),
            DocumentKind::Xml,
        );
        assert_eq!(d.text, s);
        assert_eq!(d.source, CharsetSource::Bom);
        let expected = if big_endian {
            Charset::Utf32Be
        } else {
            Charset::Utf32Le
        };
        assert_eq!(d.encoding, expected);
    }
}

#[test]
fn utf32_invalid_values_and_odd_tail() {
    let mut bytes = utf32("<a>", false);
    bytes.extend_from_slice(&0xD800u32.to_le_bytes()); // a surrogate
    bytes.extend_from_slice(&0x11_0000u32.to_le_bytes()); // beyond Unicode
    bytes.extend_from_slice(&utf32("</a>", false));
    bytes.extend_from_slice(b"\x41\x00"); // half a code unit
    let d = decode(&bytes, None, DocumentKind::Xml);
    assert_eq!(d.text, "<a>\u{FFFD}\u{FFFD}</a>\u{FFFD}");
    assert_eq!(d.warnings.len(), 1, "{:?}", d.warnings);
    assert!(d.warnings[0].contains("UTF-32LE"), "{:?}", d.warnings);
}

#[test]
fn utf32_label_on_utf8_document_is_ignored() {
    let xml =
        "<?xml version=\"1.0\" encoding=\"utf-32\"?><rss><title>café</title></rss>".as_bytes();
    let d = decode(xml, None, DocumentKind::Xml);
    assert_eq!(d.encoding, Charset::Whatwg(UTF_8));
    assert!(d.text.contains("café"));
}

/// Fuzz-style: no input panics, whatever its start, kind or header.
#[test]
fn never_panics_on_odd_inputs() {
    let starts: &[&[u8]] = &[
        b"",
        b"\xFF",
        b"\xFF\xFE",
        b"\xFF\xFE\x00",
        b"\xFF\xFE\x00\x00",
        b"\x00\x00\xFE",
        b"\x00\x00\xFE\xFF\x00",
        b"\x00\x00\x00\x3C\x00",
        b"\x3C\x00\x00\x00\xFF\xFF\xFF\xFF\x01",
        b"\x4C\x6F\xA7\x94",
        b"\x4C\x6F\xA7\x94\x93\x40\x85\x95\x83\x96\x84\x89\x95\x87\x7E\x7F",
        b"<?xml encoding=\"cp437\"?>\xFF",
        b"<?xml encoding=\"ebcdic-cp-us\"",
        b"<?xml encoding='utf-32le'?>\xC3",
    ];
    for start in starts {
        for tail in [&b""[..], b"\x80", b"\x00\x00", b"\xF0\x9F"] {
            let mut bytes = start.to_vec();
            bytes.extend_from_slice(tail);
            for kind in [DocumentKind::Xml, DocumentKind::Html] {
                for header in [
                    None,
                    Some("text/xml; charset=cp037"),
                    Some("text/xml; charset=ucs-4"),
                ] {
                    let _ = decode(&bytes, header, kind);
                    let _ = crate::sniff::sniff(&bytes, header);
                }
            }
        }
    }
}
