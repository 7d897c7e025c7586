#!/usr/bin/env python3
"""Writes `tables.rs`: byte-to-character tables for the legacy code pages outside the WHATWG Encoding
Standard, and the label index that `charset::Charset::for_label` searches after encoding_rs's own labels.

The tables are facts taken from Python's codec mappings (`bytes(range(256)).decode(codec)`), which follow
the Unicode Consortium's and the vendors' published mapping files. Labels are Python's codec names and
aliases (`encodings.aliases`) plus a few spellings met in feeds, normalized the way `legacy::label_key`
does at run time: ASCII lowercase, every run of other characters turned into one `_`.

Python codecs that WHATWG already defines (windows-125x, ISO-8859-x, KOI8, the CJK encodings, ...) are not
tabulated: their labels point at the encoding_rs encoding, so a spelling like `windows_1252` or `cp1251`
decodes exactly as `windows-1252` does, and WHATWG's rule of reading ISO-8859-1 and ASCII as windows-1252
holds for every spelling.

Regenerate (from the repository root):

    python3 crates/ingest/src/charset/gen_tables.py > crates/ingest/src/charset/tables.rs
    rustfmt --edition 2024 crates/ingest/src/charset/tables.rs
"""

import encodings.aliases
import re
import sys

# Python codec -> (our name for it, is it EBCDIC). Single-byte code pages WHATWG does not define.
TABULATED = {
    "cp037": ("IBM037", True),
    "cp273": ("IBM273", True),
    "cp424": ("IBM424", True),
    "cp500": ("IBM500", True),
    "cp875": ("IBM875", True),
    "cp1026": ("IBM1026", True),
    "cp1140": ("IBM1140", True),
    "cp437": ("IBM437", False),
    "cp720": ("CP720", False),
    "cp737": ("CP737", False),
    "cp775": ("IBM775", False),
    "cp850": ("IBM850", False),
    "cp852": ("IBM852", False),
    "cp855": ("IBM855", False),
    "cp856": ("CP856", False),
    "cp857": ("IBM857", False),
    "cp858": ("IBM00858", False),
    "cp860": ("IBM860", False),
    "cp861": ("IBM861", False),
    "cp862": ("IBM862", False),
    "cp863": ("IBM863", False),
    "cp864": ("IBM864", False),
    "cp865": ("IBM865", False),
    "cp869": ("IBM869", False),
    "cp1006": ("CP1006", False),
    "cp1125": ("CP1125", False),
    "hp_roman8": ("hp-roman8", False),
    "koi8_t": ("KOI8-T", False),
    "kz1048": ("KZ-1048", False),
    "ptcp154": ("PTCP154", False),
    "mac_arabic": ("x-mac-arabic", False),
    "mac_croatian": ("x-mac-croatian", False),
    "mac_cyrillic": ("MacCyrillic", False),
    "mac_farsi": ("x-mac-farsi", False),
    "mac_greek": ("x-mac-greek", False),
    "mac_iceland": ("x-mac-iceland", False),
    "mac_latin2": ("x-mac-ce", False),
    "mac_romanian": ("x-mac-romanian", False),
    "mac_turkish": ("x-mac-turkish", False),
    "palmos": ("x-palm-os", False),
}

# Python codec -> the encoding_rs static that decodes it (the same mapping, or WHATWG's superset of it).
WHATWG = {
    "ascii": "WINDOWS_1252",
    "latin_1": "WINDOWS_1252",
    "iso8859_1": "WINDOWS_1252",
    "iso8859_2": "ISO_8859_2",
    "iso8859_3": "ISO_8859_3",
    "iso8859_4": "ISO_8859_4",
    "iso8859_5": "ISO_8859_5",
    "iso8859_6": "ISO_8859_6",
    "iso8859_7": "ISO_8859_7",
    "iso8859_8": "ISO_8859_8",
    "iso8859_9": "WINDOWS_1254",
    "iso8859_10": "ISO_8859_10",
    "iso8859_11": "WINDOWS_874",
    "iso8859_13": "ISO_8859_13",
    "iso8859_14": "ISO_8859_14",
    "iso8859_15": "ISO_8859_15",
    "iso8859_16": "ISO_8859_16",
    "tis_620": "WINDOWS_874",
    "cp874": "WINDOWS_874",
    "cp866": "IBM866",
    "koi8_r": "KOI8_R",
    "koi8_u": "KOI8_U",
    "mac_roman": "MACINTOSH",
    "utf_8": "UTF_8",
    "utf_16": "UTF_16LE",
    "utf_16_le": "UTF_16LE",
    "utf_16_be": "UTF_16BE",
    "big5": "BIG5",
    "big5hkscs": "BIG5",
    "cp950": "BIG5",
    "cp932": "SHIFT_JIS",
    "shift_jis": "SHIFT_JIS",
    "shift_jis_2004": "SHIFT_JIS",
    "shift_jisx0213": "SHIFT_JIS",
    "euc_jp": "EUC_JP",
    "euc_jis_2004": "EUC_JP",
    "euc_jisx0213": "EUC_JP",
    "iso2022_jp": "ISO_2022_JP",
    "euc_kr": "EUC_KR",
    "cp949": "EUC_KR",
    "gb2312": "GBK",
    "gbk": "GBK",
    "gb18030": "GB18030",
}
WHATWG.update({"cp%d" % n: "WINDOWS_%d" % n for n in range(1250, 1259)})

UTF32 = {"utf_32": "Utf32Be", "utf_32_be": "Utf32Be", "utf_32_le": "Utf32Le"}

# Spellings met in feeds that Python does not list.
EXTRA_LABELS = {
    "ucs_4": "utf_32",
    "iso_10646_ucs_4": "utf_32",
    "csucs4": "utf_32",
    "ucs_2": "utf_16",
    "iso_10646_ucs_2": "utf_16",
    "csunicode": "utf_16",
    "mac_centraleurope": "mac_latin2",
    "maccentraleurope": "mac_latin2",
    "x_mac_ce": "mac_latin2",
    "x_mac_centraleurope": "mac_latin2",
    "x_mac_greek": "mac_greek",
    "x_mac_turkish": "mac_turkish",
    "x_mac_iceland": "mac_iceland",
    "x_mac_croatian": "mac_croatian",
    "x_mac_romanian": "mac_romanian",
    "x_mac_arabic": "mac_arabic",
    "x_mac_farsi": "mac_farsi",
    "ibm00858": "cp858",
    "ibm01140": "cp1140",
    "cp00858": "cp858",
    "cp01140": "cp1140",
    "ibm039": "cp037",
    "ibm737": "cp737",
    "ibm869": "cp869",
    "cp_is": "cp861",
    "kz_1048": "kz1048",
}


def label_key(label):
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")


def table_static(codec):
    return TABULATED[codec][0].upper().replace("-", "_")


def target(codec):
    if codec in TABULATED:
        return "Target::SingleByte(&%s)" % table_static(codec)
    if codec in WHATWG:
        return "Target::Whatwg(&encoding_rs::%s_INIT)" % WHATWG[codec]
    if codec in UTF32:
        return "Target::%s" % UTF32[codec]
    return None


def main():
    out = sys.stdout.write
    out("//! Byte-to-character tables for legacy code pages outside the WHATWG Encoding Standard, and the\n")
    out("//! label index searched after encoding_rs's own labels.\n")
    out("//!\n")
    out("//! @generated by `gen_tables.py` (Python %s codec mappings); do not edit by hand. Regenerate with\n"
        % sys.version.split()[0])
    out("//! `python3 crates/ingest/src/charset/gen_tables.py > crates/ingest/src/charset/tables.rs` and\n")
    out("//! `rustfmt --edition 2024 crates/ingest/src/charset/tables.rs`.\n\n")
    out("use super::legacy::{SingleByte, Target};\n\n")
    for codec, (name, ebcdic) in TABULATED.items():
        chars = bytes(range(256)).decode(codec, errors="replace")
        assert len(chars) == 256, codec
        units = []
        for ch in chars:
            cp = ord(ch)
            assert cp <= 0xFFFF and not 0xD800 <= cp <= 0xDFFF, (codec, hex(cp))
            units.append(cp)
        out("/// %s (Python codec `%s`).\n" % (name, codec))
        out("#[rustfmt::skip]\n")
        out("pub(super) static %s: SingleByte = SingleByte {\n" % table_static(codec))
        out('    name: "%s",\n' % name)
        out("    ebcdic: %s,\n" % ("true" if ebcdic else "false"))
        out("    table: [\n")
        for row in range(0, 256, 8):
            cells = " ".join("0x%04X," % u for u in units[row:row + 8])
            out("        %s // %02X\n" % (cells, row))
        out("    ],\n};\n\n")

    labels = {}

    def add(label, codec):
        key = label_key(label)
        tgt = target(codec)
        if key and tgt and key not in labels:
            labels[key] = tgt

    for codec in list(TABULATED) + list(WHATWG) + list(UTF32):
        add(codec, codec)
    for alias, codec in sorted(encodings.aliases.aliases.items()):
        add(alias, codec)
    for alias, codec in EXTRA_LABELS.items():
        add(alias, codec)
    # Python's own lookup also drops the hyphen between letters and digits for some names ("cp-1252");
    # the key normalization already covers that, and "ibmNNN"/"csibmNNN" come from the alias list.
    keys = sorted(labels)
    out("/// Normalized label (see `legacy::label_key`) to encoding, sorted by label for binary search.\n")
    out("pub(super) static LABELS: [(&str, Target); %d] = [\n" % len(keys))
    for key in keys:
        out('    ("%s", %s),\n' % (key, labels[key]))
    out("];\n")


if __name__ == "__main__":
    main()
