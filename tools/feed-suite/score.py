#!/usr/bin/env python3.11
"""Score newswire's feed parser against the test suite of Python's feedparser (a measurement, not a test).

The suite is not part of this repository: on first use it is downloaded from PyPI (the feedparser 6.0.11
source distribution) into target/feed-suite/. For every test file: run `xtask parse --json --no-pages`
(target/release/xtask; build it first with `cargo build --release -p xtask`), build a feedparser-shaped
dict from its output (see `adapt`), evaluate the file's `Expect:` expression against it, and report.

Files with `Header:` lines are served over HTTP on 127.0.0.1:8097 with those lines as response headers,
like feedparser's runner, and fetched with `--allow-private`; the others are parsed as local files with
`--url http://127.0.0.1:8097/tests/...`. The 15 cases of http/ and compression/ assert things of the
runner itself (status codes, redirects) and are listed apart.

The binary is REPO/target/release/xtask unless the environment variable NEWSWIRE_XTASK_BIN names another
(for a build with its own CARGO_TARGET_DIR: `NEWSWIRE_XTASK_BIN=$CARGO_TARGET_DIR/release/xtask`).

Usage: python3 tools/feed-suite/score.py [--tests DIR] [--only SUBSTR] [--jobs N] [--reuse]
"""

import argparse
import ast
import html
import html.parser
import urllib.parse
import calendar
import codecs
import collections
import concurrent.futures
import datetime
import email.utils
import glob
import http.server
import json
import os
import posixpath
import re
import subprocess
import sys
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.join(REPO, 'target', 'feed-suite')
BIN = os.environ.get('NEWSWIRE_XTASK_BIN') or os.path.join(REPO, 'target', 'release', 'xtask')
SUITE_VERSION = '6.0.11'
HOST, PORT = '127.0.0.1', 8097
DEFAULT_TESTS = os.path.join(HERE, 'feedparser-%s' % SUITE_VERSION, 'tests')


def fetch_suite():
    """Downloads and unpacks feedparser's source distribution (which holds its tests) into HERE."""
    if os.path.isdir(DEFAULT_TESTS):
        return
    import tarfile
    os.makedirs(HERE, exist_ok=True)
    subprocess.run([sys.executable, '-m', 'pip', 'download', '--no-binary', ':all:', '--no-deps',
                    '-d', HERE, 'feedparser==%s' % SUITE_VERSION], check=True)
    with tarfile.open(os.path.join(HERE, 'feedparser-%s.tar.gz' % SUITE_VERSION)) as tar:
        tar.extractall(HERE, filter='data')

# ----------------------------------------------------------------------------------------------
# HTTP server emulating the suite runner's (headers taken from `Header:` lines in the test file)

HEADER_RE = re.compile(br"^Header:\s+([^:]+):(.+)$", re.MULTILINE)


def make_handler(root):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.0'

        def do_GET(self):
            path = self.path.split('?', 1)[0]
            if path == '/-/return-304.xml':
                self.send_response(304)
                self.send_header('Content-type', 'text/xml')
                self.end_headers()
                return
            if not path.startswith('/tests/'):
                self.send_error(404)
                return
            fs = os.path.normpath(os.path.join(root, path[len('/tests/'):]))
            if not fs.startswith(root) or not os.path.isfile(fs):
                self.send_error(404)
                return
            with open(fs, 'rb') as f:
                blob = f.read()
            if path.startswith('/tests/compression'):
                headers = {'Content-Encoding': 'gzip' if path.endswith('gz') else 'deflate',
                           'Content-type': 'application/xml'}
            else:
                headers = {k.decode().strip(): v.decode().strip() for k, v in HEADER_RE.findall(blob)}
            status = 200
            if (self.headers.get('if-modified-since') == headers.get('Last-Modified', 'nom')
                    or self.headers.get('if-none-match') == headers.get('ETag', 'nomatch')):
                status = 304
            status = int(headers.pop('Status', status))
            ctype = headers.pop('Content-type', None) or headers.pop('Content-Type', None) or 'application/xml'
            self.send_response(status)
            self.send_header('Content-type', ctype)
            self.send_header('Content-Length', str(len(blob)))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(blob)

        def log_message(self, *a):
            pass

    return Handler


def start_server(root):
    srv = http.server.ThreadingHTTPServer((HOST, PORT), make_handler(root))
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    return srv


# ----------------------------------------------------------------------------------------------
# Test discovery (mirrors the runner: header regexes, BOM conversion for encoding/ files, SkipUnless)

DESC_RE = re.compile(br"Description:\s*(.*?)\s*Expect:\s*(.*)\s*-->")
SKIP_RE = re.compile(br"SkipUnless:\s*(.*?)\n")


def to_utf8(data):
    boms = [
        (b'\x4c\x6f\xa7\x94', 'cp037', 0), (b'\x00\x00\xfe\xff', 'utf-32be', 0),
        (b'\xff\xfe\x00\x00', 'utf-32le', 0), (b'\x00\x00\x00\x3c', 'utf-32be', 0),
        (b'\x3c\x00\x00\x00', 'utf-32le', 0), (b'\x00\x3c\x00\x3f', 'utf-16be', 0),
        (b'\x3c\x00\x3f\x00', 'utf-16le', 0),
    ]
    for sig, enc, _ in boms:
        if data[:4] == sig:
            return data.decode(enc).encode('utf-8')
    if data[:2] == b'\xfe\xff' and data[2:4] != b'\x00\x00':
        return data[2:].decode('utf-16be').encode('utf-8')
    if data[:2] == b'\xff\xfe' and data[2:4] != b'\x00\x00':
        return data[2:].decode('utf-16le').encode('utf-8')
    if data[:3] == b'\xef\xbb\xbf':
        return data[3:]
    return data


class _FeedparserStub:
    ACCEPTABLE_URI_SCHEMES = ('http', 'https', 'ftp', 'mailto')


SANITIZE_DESC = re.compile(
    r"sanitiz|\bcontains\s+(script|on[a-z]+|applet|meta|i?frame|embed|object|style|crazy|"
    r"javascript|vbscript|expression|behavior|link|blink|base64 script)\b", re.I)


def discover(root, only=None):
    cases = []
    files = sorted(glob.glob(os.path.join(root, '**', '*.xml'), recursive=True))
    files += sorted(glob.glob(os.path.join(root, 'compression', '*')))
    for path in files:
        rel = os.path.relpath(path, root)
        if only and only not in rel:
            continue
        top = rel.split(os.sep)[0]
        directory = os.path.dirname(rel)
        case = {'file': rel, 'dir': directory, 'group': top}
        if top in ('http', 'compression'):
            case['special'] = True
            cases.append(case)
            continue
        data = open(path, 'rb').read()
        if top == 'encoding':
            data = to_utf8(data)
        m = DESC_RE.search(data)
        if not m:
            case.update(skipped='no Description/Expect header')
            cases.append(case)
            continue
        desc, expect = [s.strip().decode('utf-8') for s in m.groups()]
        case.update(description=desc, expect=expect)
        sk = SKIP_RE.search(data)
        if sk:
            cond = sk.group(1).strip().decode()
            case['skip_unless'] = cond
            if "'chardet'" not in cond:  # chardet-gated cases are kept: detection is newswire's job
                try:
                    if not eval(cond, {'feedparser': _FeedparserStub}):
                        raise LookupError
                except (ImportError, LookupError, AttributeError):
                    case['skipped'] = 'SkipUnless false in Python 3.11: ' + cond
        case['sanitize'] = ('sanitize' in rel.split(os.sep)) or bool(SANITIZE_DESC.search(desc)) \
            or 'sanitiz' in expect.lower()
        case['http'] = 'http' in rel
        case['headers'] = [k.decode().strip() + ':' + v.decode().strip() for k, v in HEADER_RE.findall(data)]
        cases.append(case)
    return cases


# ----------------------------------------------------------------------------------------------
# Running newswire

def url_for(rel):
    return 'http://%s:%s/%s' % (HOST, PORT, posixpath.normpath('tests/' + rel.replace(os.sep, '/')))


def run_parse(root, case):
    rel = case['file']
    url = url_for(rel)
    env = dict(os.environ)
    if case.get('special'):
        # These assert status codes, redirects and revalidation of feedparser's own HTTP client.
        return {'rc': None, 'stdout': '', 'stderr': 'not run: asserts the runner\'s HTTP client', 'secs': 0}
    if case.get('headers'):
        # Served by the emulated runner's server, with the file's `Header:` lines as response headers.
        argv = [BIN, '--db', os.path.join(HERE, 'scratch.db'), 'parse', '--json', '--no-pages', '--allow-private',
                '--spacing-ms', '0', '--ignore-robots', url]
    else:
        argv = [BIN, '--db', os.path.join(HERE, 'scratch.db'), 'parse', '--json', '--no-pages', '--url', url,
                os.path.join(root, rel)]
    t0 = time.time()
    try:
        p = subprocess.run(argv, capture_output=True, timeout=60, env=env)
    except subprocess.TimeoutExpired:
        return {'rc': None, 'stdout': '', 'stderr': 'timeout', 'secs': 60}
    return {'rc': p.returncode, 'stdout': p.stdout.decode('utf-8', 'replace'),
            'stderr': p.stderr.decode('utf-8', 'replace')[-2000:], 'secs': round(time.time() - t0, 3)}


# ----------------------------------------------------------------------------------------------
# Feedparser-shaped result dict, with lookup recording


class Recorder:
    def __init__(self):
        self.missing = []   # paths looked up and absent
        self.seen = []      # (path, value) looked up and present

    def reset(self):
        self.missing, self.seen = [], []


REC = Recorder()

KEYMAP = {
    'channel': 'feed', 'items': 'entries', 'guid': 'id', 'date': 'updated', 'date_parsed': 'updated_parsed',
    'description': ['summary', 'subtitle'], 'description_detail': ['summary_detail', 'subtitle_detail'],
    'url': ['href'], 'modified': 'updated', 'modified_parsed': 'updated_parsed', 'issued': 'published',
    'issued_parsed': 'published_parsed', 'copyright': 'rights', 'copyright_detail': 'rights_detail',
    'tagline': 'subtitle', 'tagline_detail': 'subtitle_detail',
}


class RList(list):
    """A list that records which element paths are looked up."""

    def __init__(self, items, path):
        super().__init__(items)
        self._path = path

    def __getitem__(self, i):
        try:
            v = list.__getitem__(self, i)
        except IndexError:
            REC.missing.append('%s[%s]' % (self._path, i if isinstance(i, int) else ':'))
            raise
        return v


class FPDict(dict):
    """feedparser's dict semantics (key aliases, attribute access, has_key), reimplemented."""

    def __init__(self, items=(), path=''):
        super().__init__(items)
        self._path = path

    def _lookup(self, key):
        if key == 'category':
            tags = dict.get(self, 'tags') or []
            if tags and 'term' in tags[0]:
                return tags[0]['term']
            raise KeyError(key)
        if key == 'enclosures':
            if dict.__contains__(self, 'enclosures'):
                return dict.__getitem__(self, 'enclosures')
            raise KeyError(key)
        if key == 'license':
            for link in dict.get(self, 'links') or []:
                if link.get('rel') == 'license' and 'href' in link:
                    return link['href']
            raise KeyError(key)
        if key in ('updated', 'updated_parsed'):
            if not dict.__contains__(self, key):
                alt = key.replace('updated', 'published')
                if dict.__contains__(self, alt):
                    return dict.__getitem__(self, alt)
            return dict.__getitem__(self, key)
        real = KEYMAP.get(key, key)
        if isinstance(real, list):
            for k in real:
                if dict.__contains__(self, k):
                    return dict.__getitem__(self, k)
        elif dict.__contains__(self, real):
            return dict.__getitem__(self, real)
        return dict.__getitem__(self, key)

    def __getitem__(self, key):
        try:
            v = self._lookup(key)
        except KeyError:
            REC.missing.append(join(self._path, key))
            raise
        REC.seen.append((join(self._path, key), v))
        return v

    def __contains__(self, key):
        if key in ('updated', 'updated_parsed'):
            return dict.__contains__(self, key)
        try:
            self._lookup(key)
        except KeyError:
            return False
        return True

    has_key = __contains__

    def get(self, key, default=None):
        try:
            return self[key]
        except KeyError:
            return default

    def __getattr__(self, key):
        if key.startswith('_'):
            raise AttributeError(key)
        try:
            return self.__getitem__(key)
        except KeyError:
            raise AttributeError("object has no attribute '%s'" % key)

    def __hash__(self):
        return id(self)


def join(path, key):
    return '%s.%s' % (path, key) if path else str(key)


# ---- dates (feedparser's *_parsed are UTC struct_time) ----

ISO_RE = re.compile(
    r"^\s*(\d{4})(?:-?(\d{2})(?:-?(\d{2})(?:[T ](\d{2}):?(\d{2})(?::?(\d{2})(?:[.,]\d+)?)?"
    r"\s*(Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?)?)?\s*$")


def parse_date(s):
    if not s:
        return None
    s = s.strip()
    m = ISO_RE.match(s)
    if m:
        y, mo, d, hh, mi, ss, tz = m.groups()
        try:
            dt = datetime.datetime(int(y), int(mo or 1), int(d or 1), int(hh or 0), int(mi or 0), int(ss or 0))
        except ValueError:
            return None
        off = 0
        if tz and tz[0] in '+-':
            sign = 1 if tz[0] == '+' else -1
            digits = tz[1:].replace(':', '')
            off = sign * (int(digits[:2]) * 60 + int(digits[2:4] or 0))
        dt -= datetime.timedelta(minutes=off)
        return time.gmtime(calendar.timegm(dt.timetuple()))
    try:
        t = email.utils.parsedate_tz(s)
    except Exception:
        t = None
    if t and t[0]:
        try:
            ts = email.utils.mktime_tz(t)
            return time.gmtime(ts)
        except (OverflowError, ValueError):
            return None
    return None


VERSION_MAP_RSS = {'0.91': 'rss091u', '0.92': 'rss092', '0.93': 'rss093', '0.94': 'rss094'}


def fp_version(kind, version):
    version = (version or '').strip()
    if kind == 'rss':
        if version in VERSION_MAP_RSS:
            return VERSION_MAP_RSS[version]
        return 'rss20' if version.startswith('2.') else 'rss'
    if kind == 'rdf':
        return 'rss090' if version == '0.90' else 'rss10'
    if kind == 'atom03':
        return 'atom03'
    if kind == 'atom':
        if version == '1.0':
            return 'atom10'
        return {'0.1': 'atom01', '0.2': 'atom02', '0.3': 'atom03'}.get(version, 'atom')
    if kind == 'json':
        return 'json1' if version.startswith('1.0') or version.endswith('/1') else 'json11'
    if kind == 'cdf':
        return 'cdf'
    return ''


class Warnings(Exception):
    pass


def detail(path, value, ctype, language, base=None):
    d = FPDict(path=path)
    d['value'] = value
    d['type'] = ctype
    d['language'] = language  # None when no xml:lang/dc:language is in force, as feedparser does
    if base is not None:
        d['base'] = base
    return d


def scopes_of(record):
    """A record's own base (None when it has none) and its scope's constructs by construct (the xml:base/xml:lang
    a construct states apart from its record)."""
    scope = record.get('scope') or {}
    return scope.get('base'), {sc['construct']: sc for sc in scope.get('constructs') or []}


def scoped(scopes, construct, language, base):
    """A construct's language and base: its own scope's where it states them (`""` clears the language), else
    its record's."""
    sc = scopes.get(construct) or {}
    if 'language' in sc:
        language = sc['language'] or None
    return language, sc.get('base') or base


def generator_detail(path, g):
    gd = FPDict(path=path)
    if g.get('name'):
        gd['name'] = g['name']
    if g.get('uri'):
        gd['href'] = g['uri']
    if g.get('version'):
        gd['version'] = g['version']
    return gd


def person(path, p):
    d = FPDict(path=path)
    if p.get('name'):
        d['name'] = p['name']
    if p.get('email'):
        d['email'] = p['email']
    if p.get('uri'):
        d['href'] = p['uri']
    return d


def fp_link(path, l):
    x = FPDict(path=path)
    x['rel'] = l.get('rel') or 'alternate'
    x['href'] = l['href']
    if l.get('mime_type'):
        x['type'] = l['mime_type']
    if l.get('title') is not None:
        x['title'] = l['title']
    if l.get('hreflang'):
        x['hreflang'] = l['hreflang']
    if l.get('length') is not None:
        x['length'] = str(l['length'])
    return x


def author_string(p):
    name, mail = p.get('name'), p.get('email')
    if name and mail:
        return '%s (%s)' % (name, mail)
    return name or mail or ''


def fp_tag(path, c):
    """A category as a feedparser tag: term, scheme and label (None when the feed states none)."""
    return FPDict({'term': c['term'], 'scheme': c.get('scheme'), 'label': c.get('label')}, path)


# How newswire says a summary or content was written -> feedparser's content type.
TEXT_TYPES = {'text': 'text/plain', 'html': 'text/html', 'xhtml': 'application/xhtml+xml'}


def typed_value(value, text_type):
    """A summary or content as feedparser states it: plain text (newswire escaped it into HTML, so unescaping
    gives the text back) or markup, with its content type."""
    if text_type == 'text':
        return html.unescape(value), 'text/plain'
    return value, TEXT_TYPES.get(text_type, 'text/html')


def add_date(d, key, value):
    """`key` and `key_parsed`, when the date is stated."""
    if value:
        d[key] = value
        p = parse_date(value)
        if p:
            d[key + '_parsed'] = p


def html_or_text(record, key):
    """A text construct as feedparser states it: the `<key>_html` form when it was markup, else the text."""
    if record.get(key + '_html') is not None:
        return record[key + '_html'], 'text/html'
    return record[key], 'text/plain'


def adapt(out, url):
    """newswire JSON -> feedparser-shaped result. Returns (result, note)."""
    res = FPDict(path='')
    res['href'] = url
    if not out or out.get('kind') != 'feed':
        res['bozo'] = 1
        res['bozo_exception'] = Warnings('not parsed as a feed')
        res['feed'] = FPDict(path='feed')
        res['entries'] = RList([], 'entries')
        return res
    f = out['feed']
    warnings = f.get('warnings') or []
    res['bozo'] = 1 if warnings else 0
    if warnings:
        res['bozo_exception'] = Warnings('; '.join(warnings))
    res['version'] = fp_version(f.get('kind'), f.get('version'))
    # feedparser reports the charset label it followed; newswire keeps that label apart from the decoder's name
    # (`us-ascii` is decoded as windows-1252, as WHATWG prescribes).
    if f.get('declared_encoding') or f.get('encoding'):
        res['encoding'] = f.get('declared_encoding') or f['encoding']
    res['url'] = out.get('url')
    res['href'] = out.get('url') or url
    feed = FPDict(path='feed')
    lang = f.get('language')
    # The base of the feed's constructs: the root's xml:base, else the document's URL; a construct may state its
    # own base and language (the scope's constructs).
    feed_base, fscopes = scopes_of(f)
    feed_base = feed_base or res['href']
    # A construct that was markup (Atom type="html"/"xhtml", RSS text with tags) also comes as sanitized HTML.
    if f.get('title') is not None:
        value, ctype = html_or_text(f, 'title')
        feed['title'] = value
        feed['title_detail'] = detail('feed.title_detail', value, ctype,
                                      *scoped(fscopes, 'title', lang, feed_base))
    if f.get('link'):
        feed['link'] = f['link']
        feed['links'] = RList([FPDict({'rel': 'alternate', 'href': f['link']}, 'feed.links[]')], 'feed.links')
    if f.get('links'):
        feed['links'] = RList([fp_link('feed.links[]', l) for l in f['links']], 'feed.links')
    if f.get('id'):
        feed['id'] = f['id']
    fa = f.get('authors') or []
    if fa:
        feed['author'] = author_string(fa[0])
        feed['author_detail'] = person('feed.author_detail', fa[0])
        feed['authors'] = RList([person('feed.authors[]', a) for a in fa], 'feed.authors')
    if f.get('contributors'):
        feed['contributors'] = RList([person('feed.contributors[]', a) for a in f['contributors']], 'feed.contributors')
    if f.get('rights') is not None:
        value, ctype = html_or_text(f, 'rights')
        feed['rights'] = value
        feed['rights_detail'] = detail('feed.rights_detail', value, ctype,
                                       *scoped(fscopes, 'rights', lang, feed_base))
    if f.get('info') is not None:
        value, ctype = html_or_text(f, 'info')
        feed['info'] = value
        feed['info_detail'] = detail('feed.info_detail', value, ctype, *scoped(fscopes, 'info', lang, feed_base))
    for key, name in (('explicit', 'itunes_explicit'), ('blocked', 'itunes_block')):
        if f.get(key) is not None:
            feed[name] = int(f[key]) if key == 'blocked' else f[key]
    g = f.get('generator')
    if g:
        feed['generator'] = g.get('name') or ''
        feed['generator_detail'] = generator_detail('feed.generator_detail', g)
    im = f.get('image')
    if im:
        imd = FPDict(path='feed.image')
        imd['href'] = im['url']
        imd['url'] = im['url']
        for k in ('title', 'link', 'description'):
            if im.get(k) is not None:
                imd[k] = im[k]
        for k in ('width', 'height'):
            if im.get(k) is not None:
                imd[k] = im[k]
        feed['image'] = imd
    if f.get('icon'):
        feed['icon'] = f['icon']
    if f.get('categories'):
        feed['tags'] = RList([fp_tag('feed.tags[]', c) for c in f['categories']], 'feed.tags')
    if f.get('publisher'):
        feed['publisher'] = author_string(f['publisher'])
        feed['publisher_detail'] = person('feed.publisher_detail', f['publisher'])
    if f.get('new_location'):
        feed['newlocation'] = f['new_location']
    if f.get('docs'):
        feed['docs'] = f['docs']
    cloud = f.get('cloud')
    if cloud:
        # feedparser keeps the attributes as written, lowercased names (`registerprocedure`), the port a string.
        cd = FPDict(path='feed.cloud')
        for key, name in (('domain', 'domain'), ('port', 'port'), ('path', 'path'),
                          ('register_procedure', 'registerprocedure'), ('protocol', 'protocol')):
            if cloud.get(key) is not None:
                cd[name] = str(cloud[key])
        feed['cloud'] = cd
    ti = f.get('text_input')
    if ti:
        feed['textinput'] = FPDict({k: v for k, v in ti.items() if v is not None}, 'feed.textinput')
    if f.get('description') is not None:
        value, ctype = html_or_text(f, 'description')
        feed['subtitle'] = value
        feed['subtitle_detail'] = detail('feed.subtitle_detail', value, ctype,
                                         *scoped(fscopes, 'description', lang, feed_base))
    if lang is not None:
        feed['language'] = lang
    if f.get('updated'):
        feed['updated'] = f['updated']
        p = parse_date(f['updated'])
        if p:
            feed['updated_parsed'] = p
    add_date(feed, 'published', f.get('published'))
    add_date(feed, 'created', f.get('created'))
    add_date(feed, 'validity_start', f.get('valid_start'))
    add_date(feed, 'validity_end', f.get('valid_end'))
    if f.get('ttl_minutes') is not None:
        feed['ttl'] = str(f['ttl_minutes'])
    res['feed'] = feed

    entries = []
    for it in out.get('items') or []:
        e = it['entry']
        d = FPDict(path='entries[]')
        elang = e.get('language')
        if elang is not None:
            d['language'] = elang
        ebase, escopes = scopes_of(e)
        ebase = ebase or feed_base
        if e.get('guid') is not None:
            d['id'] = e['guid']
            d['guidislink'] = bool(e.get('guid_is_permalink') and e.get('link') == e['guid'])
        links = []
        if e.get('link'):
            d['link'] = e['link']
            links.append(FPDict({'rel': 'alternate', 'href': e['link']}, 'entries[].links[]'))
        encs = []
        for enc in e.get('enclosures') or []:
            x = FPDict({'href': enc['url']}, 'entries[].enclosures[]')
            if enc.get('mime_type'):
                x['type'] = enc['mime_type']
            if enc.get('length') is not None:
                x['length'] = str(enc['length'])
            encs.append(x)
            lk = FPDict(x, 'entries[].links[]')
            lk['rel'] = 'enclosure'
            links.append(lk)
        if e.get('links'):
            links = [fp_link('entries[].links[]', l) for l in e['links']]
            have = {l['href'] for l in links}
            for enc in encs:
                if enc['href'] not in have:
                    lk = FPDict(enc, 'entries[].links[]')
                    lk['rel'] = 'enclosure'
                    links.append(lk)
        if links:
            d['links'] = RList(links, 'entries[].links')
        if e.get('contributors'):
            d['contributors'] = RList([person('entries[].contributors[]', a) for a in e['contributors']], 'entries[].contributors')
        if e.get('rights') is not None:
            value, ctype = html_or_text(e, 'rights')
            d['rights'] = value
            d['rights_detail'] = detail('entries[].rights_detail', value, ctype,
                                        *scoped(escopes, 'rights', elang, ebase))
        for key, name in (('explicit', 'itunes_explicit'), ('blocked', 'itunes_block')):
            if e.get(key) is not None:
                d[name] = int(e[key]) if key == 'blocked' else e[key]
        src = e.get('source')
        if src:
            sd = FPDict(path='entries[].source')
            for key in ('title', 'subtitle', 'rights'):
                if src.get(key) is not None:
                    value, ctype = html_or_text(src, key)
                    sd[key] = value
                    sd[key + '_detail'] = detail('entries[].source.%s_detail' % key, value, ctype, elang)
            if src.get('url'):
                sd['href'] = src['url']
                sd['url'] = src['url']
            if src.get('id'):
                sd['id'] = src['id']
            if src.get('updated'):
                sd['updated'] = src['updated']
                pp = parse_date(src['updated'])
                if pp:
                    sd['updated_parsed'] = pp
            if src.get('links'):
                sd['links'] = RList([fp_link('entries[].source.links[]', l) for l in src['links']],
                                    'entries[].source.links')
                alt = [l['href'] for l in src['links'] if l.get('rel') == 'alternate']
                if alt:
                    sd['link'] = alt[0]
            sa = src.get('authors') or []
            if sa:
                sd['author'] = author_string(sa[0])
                sd['author_detail'] = person('entries[].source.author_detail', sa[0])
                sd['authors'] = RList([person('entries[].source.authors[]', a) for a in sa],
                                      'entries[].source.authors')
            if src.get('contributors'):
                sd['contributors'] = RList([person('entries[].source.contributors[]', a)
                                            for a in src['contributors']], 'entries[].source.contributors')
            if src.get('categories'):
                sd['tags'] = RList([fp_tag('entries[].source.tags[]', c) for c in src['categories']],
                                   'entries[].source.tags')
            if src.get('icon'):
                sd['icon'] = src['icon']
            if src.get('logo'):
                sd['logo'] = src['logo']
            g = src.get('generator')
            if g:
                sd['generator'] = g.get('name') or ''
                sd['generator_detail'] = generator_detail('entries[].source.generator_detail', g)
            d['source'] = sd
        if e.get('comment_count') is not None:
            d['slash_comments'] = str(e['comment_count'])
        loc = e.get('location')
        shape = e.get('shape')
        if loc:
            d['where'] = FPDict({'type': 'Point', 'coordinates': (loc['lon'], loc['lat'])}, 'entries[].where')
        elif shape:
            # feedparser's GeoJSON-like form: (longitude, latitude) pairs.
            lonlat = lambda p: (p['lon'], p['lat'])  # noqa: E731
            if shape['type'] == 'line':
                where = {'type': 'LineString', 'coordinates': [lonlat(p) for p in shape['points']]}
            elif shape['type'] == 'polygon':
                where = {'type': 'Polygon', 'coordinates': [[lonlat(p) for p in shape['points']]]}
            else:
                where = {'type': 'Box', 'coordinates': [lonlat(shape['lower']), lonlat(shape['upper'])]}
            d['where'] = FPDict(where, 'entries[].where')
        if encs:
            d['enclosures'] = RList(encs, 'entries[].enclosures')
        if e.get('title') is not None:
            value, ctype = html_or_text(e, 'title')
            d['title'] = value
            d['title_detail'] = detail('entries[].title_detail', value, ctype, *scoped(escopes, 'title', elang, ebase))
        content_language = elang if e.get('content_language') is None else (e['content_language'] or None)
        content_scope = scoped(escopes, 'content', content_language, ebase)
        summary, summary_type = e.get('summary_html'), e.get('summary_type')
        summary_scope = scoped(escopes, 'summary', elang, ebase)
        if summary is None:
            # feedparser copies content to summary when there is none
            summary, summary_type = e.get('content_html'), e.get('content_type')
            summary_scope = content_scope
        if summary is not None:
            value, ctype = typed_value(summary, summary_type)
            d['summary'] = value
            d['summary_detail'] = detail('entries[].summary_detail', value, ctype, *summary_scope)
        content = None
        if e.get('content_html') is not None:
            value, ctype = typed_value(e['content_html'], e.get('content_type'))
            content = detail('entries[].content[]', value, ctype, *content_scope)
        if e.get('content_src'):
            if content is None:
                content = FPDict(path='entries[].content[]')
            content['src'] = e['content_src']
        if content is not None:
            d['content'] = RList([content], 'entries[].content')
        if e.get('publisher'):
            d['publisher'] = author_string(e['publisher'])
            d['publisher_detail'] = person('entries[].publisher_detail', e['publisher'])
        add_date(d, 'created', e.get('created'))
        add_date(d, 'expired', e.get('expires'))
        add_date(d, 'validity_start', e.get('valid_start'))
        add_date(d, 'validity_end', e.get('valid_end'))
        if e.get('image'):
            d['image'] = FPDict({'href': e['image']['url']}, 'entries[].image')
        authors = e.get('authors') or []
        if authors:
            d['author'] = author_string(authors[0])
            d['author_detail'] = person('entries[].author_detail', authors[0])
            d['authors'] = RList([person('entries[].authors[]', a) for a in authors], 'entries[].authors')
        for k in ('published', 'updated'):
            if e.get(k):
                d[k] = e[k]
                p = parse_date(e[k])
                if p:
                    d[k + '_parsed'] = p
        if e.get('categories'):
            d['tags'] = RList([fp_tag('entries[].tags[]', c) for c in e['categories']], 'entries[].tags')
        if e.get('comments_url'):
            d['comments'] = e['comments_url']
        entries.append(d)
    res['entries'] = RList(entries, 'entries')
    return res


# Keys the adapter can ever fill, per object; a lookup of anything else is "not exposed".
EXPOSABLE = {
    '': {'bozo', 'bozo_exception', 'version', 'feed', 'entries', 'href', 'url', 'items', 'channel', 'encoding'},
    'feed': {'title', 'title_detail', 'link', 'links', 'subtitle', 'subtitle_detail', 'description',
             'description_detail', 'tagline', 'tagline_detail', 'language', 'updated', 'updated_parsed',
             'modified', 'modified_parsed', 'date', 'date_parsed', 'ttl', 'id', 'author', 'author_detail',
             'authors', 'contributors', 'rights', 'rights_detail', 'copyright', 'copyright_detail', 'generator',
             'generator_detail', 'image', 'icon', 'tags', 'category', 'info', 'info_detail', 'itunes_explicit',
             'itunes_block', 'publisher', 'publisher_detail', 'published', 'published_parsed', 'created',
             'created_parsed', 'validity_start', 'validity_start_parsed', 'validity_end', 'validity_end_parsed',
             'newlocation', 'docs', 'cloud', 'textinput'},
    'entries[]': {'id', 'guid', 'guidislink', 'link', 'links', 'enclosures', 'title', 'title_detail', 'summary',
                  'summary_detail', 'description', 'description_detail', 'content', 'author', 'author_detail',
                  'authors', 'published', 'published_parsed', 'updated', 'updated_parsed', 'issued',
                  'issued_parsed', 'modified', 'modified_parsed', 'date', 'date_parsed', 'tags', 'category',
                  'comments', 'contributors', 'rights', 'rights_detail', 'source', 'slash_comments', 'where',
                  'itunes_explicit', 'itunes_block', 'publisher', 'publisher_detail', 'created', 'created_parsed',
                  'expired', 'expired_parsed', 'validity_start', 'validity_start_parsed', 'validity_end',
                  'validity_end_parsed', 'image', 'language'},
    'detail': {'value', 'type', 'language', 'src', 'base'},
    'person': {'name', 'email', 'href', 'url'},
    'link': {'rel', 'href', 'url', 'type', 'length', 'title', 'hreflang'},
    'tag': {'term', 'scheme', 'label'},
}

ADAPTER_GUESS_FIELDS = re.compile(
    r"(^version$|guidislink|_parsed$|\.type$|^entries\[\]\.author$|\.language$|\.rel$|^feed\.ttl$|"
    r"^entries\[\]\.summary$|^entries\[\]\.summary_detail\.value$)")


def norm_path(p):
    return re.sub(r'\[-?\d+\]', '[]', p)


def object_kind(parent):
    last = parent.split('.')[-1] if parent else ''
    if parent in EXPOSABLE:
        return parent
    if last.endswith('_detail') and last not in ('author_detail', 'publisher_detail', 'generator_detail'):
        return 'detail'
    if last in ('content[]',):
        return 'detail'
    if last in ('author_detail', 'authors[]', 'publisher_detail', 'contributors[]'):
        return 'person'
    if last in ('links[]', 'enclosures[]'):
        return 'link'
    if last == 'tags[]':
        return 'tag'
    return None


def classify_missing(path):
    path = norm_path(path)
    if path.endswith(']'):
        base = path.rsplit('[', 1)[0]
        if base == 'entries':
            return 'a', 'entry missing (fewer entries than expected)'
        return 'a', 'list element missing: %s' % base
    parent, _, key = path.rpartition('.')
    kind = object_kind(parent)
    if kind is None or key not in EXPOSABLE.get(kind, ()):
        return 'b', 'not exposed: %s' % path
    return 'a', 'we produced nothing for: %s' % path


SAFE_GLOBALS = {'__builtins__': __builtins__, 'time': time, 'datetime': datetime, 'codecs': codecs,
                'sys': sys, 're': re}


def evaluate(expect, result):
    REC.reset()
    try:
        ok = bool(eval(expect, dict(SAFE_GLOBALS), result))
        err = None
    except Exception as exc:  # noqa: BLE001
        ok, err = False, '%s: %s' % (type(exc).__name__, exc)
    return ok, err, list(REC.missing), list(REC.seen)


def short(v, n=160):
    if isinstance(v, (FPDict, RList)):
        v = dict(v) if isinstance(v, FPDict) else list(v)
    s = repr(v)
    return s if len(s) <= n else s[:n] + '…'


def categorize(case, result):
    """Explain a failure: (class, category, produced, bozo_also_differs)."""
    expect = case['expect']
    bozo_also = False
    if 'bozo' in expect:
        flipped = FPDict(result, '')
        flipped['bozo'] = 0 if result['bozo'] else 1
        fok, ferr, fmissing, fseen = evaluate(expect, flipped)
        if fok:
            if result['bozo']:
                w = str(result.get('bozo_exception'))
                return 'a', 'bozo: we warned, feedparser does not', 'warnings: ' + w[:300], False
            return 'a', 'bozo: we did not warn, feedparser does', '', False
        # which evaluation got further into the expression?
        ok, err, missing, seen = evaluate(expect, result)
        if len(fseen) + len(fmissing) > len(seen) + len(missing):
            bozo_also = True
            ok, err, missing, seen = fok, ferr, fmissing, fseen
    else:
        ok, err, missing, seen = evaluate(expect, result)
    produced = '; '.join('%s=%s' % (norm_path(p), short(v)) for p, v in seen
                         if norm_path(p) not in ('feed', 'entries', 'entries[]', 'feed.links', 'entries[].links')
                         and not norm_path(p).endswith(('[]',)))[:400]
    if bozo_also:
        produced = ('[bozo=%s] ' % result['bozo']) + produced
        if result['bozo']:
            produced += ' | warnings: ' + str(result.get('bozo_exception'))[:200]
    if missing:
        cls, cat = classify_missing(missing[-1])
        if err and not err.startswith(('KeyError', 'AttributeError', 'IndexError')):
            cat += ' (%s)' % err.split(':')[0]
        return cls, cat, produced or ('(nothing; error %s)' % err), bozo_also
    if err and err.startswith('NameError'):
        name = re.search(r"name '(\w+)'", err)
        return 'b', 'not exposed: %s' % (name.group(1) if name else err), produced, bozo_also
    if err:
        return 'c', 'eval error: %s' % err.split(':')[0], err[:300], bozo_also
    fields = [norm_path(p) for p, _ in seen if norm_path(p) not in ('bozo', 'feed', 'entries', 'entries[]')
              and not norm_path(p).endswith('[]')]
    field = fields[-1] if fields else '(none)'
    if field == '(none)' and 'bozo' in expect:
        return 'a', 'bozo differs (and more)', produced, bozo_also
    ours = [v for p, v in seen if norm_path(p) == field]
    ours = ours[-1] if ours else None
    refined = refine_value(field, ours, expect, result.get('href') or '')
    if refined:
        return refined[0], refined[1], produced, bozo_also
    cls = 'c' if ADAPTER_GUESS_FIELDS.search(field) else 'a'
    return cls, 'value differs: %s' % field, produced, bozo_also


class _Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []

    def handle_data(self, d):
        self.out.append(d)


def html_text(s):
    p = _Text()
    p.feed(s)
    p.close()
    return ' '.join(''.join(p.out).split())


def constants(expect):
    try:
        tree = ast.parse(expect, mode='eval')
    except SyntaxError:
        return []
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


TITLE_LIKE = re.compile(r"(^feed\.(title|subtitle|tagline|description|info|rights|copyright)"
                        r"|^entries\[\]\.title)(_detail\.value)?$")
BODY_LIKE = re.compile(r"^entries\[\]\.(summary|description|content\[\]\.value|summary_detail\.value)$")


def refine_value(field, ours, expect, href):
    consts = constants(expect)
    if field.endswith('.type') and ours in ('text/plain', 'text/html'):
        return 'b', 'original content type not exposed (adapter reports text/plain for titles, text/html for HTML fields)'
    if not isinstance(ours, str):
        return None
    for c in consts:
        if TITLE_LIKE.search(field) and ('<' in c or '&' in c) and html_text(c) == ' '.join(ours.split()):
            return 'b', 'HTML-typed title/subtitle exposed only as plain text (markup/entities reduced)'
        if BODY_LIKE.search(field) and ours != c and (html.unescape(ours) == c or html_text(ours) == c):
            return 'b', 'text-typed summary/content exposed only as escaped HTML'
        if c and '://' not in c and (ours.endswith(c) or urllib.parse.urljoin(href, c) == ours):
            return 'c', 'relative URL: feedparser (local file, no base) leaves it relative; we resolve against --url'
        if ' '.join(ours.split()) == ' '.join(c.split()):
            return 'a', 'whitespace differs: %s' % field
        if ours.replace(' />', '>').replace('/>', '>') == c.replace(' />', '>').replace('/>', '>'):
            return 'c', 'HTML serialization differs only (<br /> vs <br>)'
    return None


# ----------------------------------------------------------------------------------------------
# http/ and compression/ cases: the runner checks them with hand-written asserts, emulated here.

def document_reason(run, warnings, is_feed=True):
    if not is_feed:
        msg = re.sub(r'https?://\S+', '<url>', run['stderr'].strip().splitlines()[-1] if run['stderr'].strip() else '')
        return 'a', 'document rejected: ' + msg[:120]
    w = ' '.join(warnings or [])
    m = re.search(r'unknown encoding "([^"]+)"', w)
    if m:
        return 'a', 'declared encoding label unsupported (non-WHATWG name), fell back to detection'
    return None


def special_check(case, out, result):
    name = os.path.basename(case['file'])
    fk = out.get('kind') == 'feed' if out else False
    title = (out or {}).get('feed', {}).get('title') if fk else None
    entries = result['entries']
    first_title = entries[0].get('title') if entries else None
    if name in ('gzip.gz', 'deflate.z', 'deflate-no-headers.z'):
        return result.get('version') == 'atom10', "version == 'atom10'"
    if name in ('gzip-not-compressed.gz', 'deflate-not-compressed.z'):
        want = 'gzip' if name.startswith('gzip') else 'deflate'
        return bool(result['bozo']) and title == want, "bozo and feed.title == %r" % want
    if name == 'gzip-struct-error.gz':
        return bool(result['bozo']), 'bozo'
    if name in ('http_status_301.xml', 'http_status_302.xml', 'http_status_303.xml', 'http_status_307.xml'):
        return first_title == 'target', "entries[0].title == 'target' (status/href not exposed; not checked)"
    if name == 'http_status_304.xml':
        return first_title == 'title 304', "first fetch: entries[0].title == 'title 304' (304 revalidation not testable via parse)"
    if name == 'http_status_404.xml':
        return None, 'status == 404 (status not exposed)'
    if name == 'http_status_302-no-location.xml':
        return None, 'status == 302 (status not exposed)'
    if name == 'http_redirect_to_304.xml':
        return (not result['bozo']) if fk else None, 'not bozo (status not exposed)'
    if name == 'target.xml':
        return None, 'redirect target only'
    return None, '?'


# ----------------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--tests', default=DEFAULT_TESTS)
    ap.add_argument('--only')
    ap.add_argument('--jobs', type=int, default=2)
    ap.add_argument('--reuse', action='store_true', help='reuse parser outputs from raw-model.json')
    ap.add_argument('--examples', type=int, default=3)
    args = ap.parse_args()
    os.makedirs(HERE, exist_ok=True)
    if args.tests == DEFAULT_TESTS:
        fetch_suite()
    if not os.path.exists(BIN):
        sys.exit('%s is missing: run `cargo build --release -p xtask` first' % BIN)
    root = os.path.abspath(args.tests)
    cases = discover(root, args.only)
    raw_path = os.path.join(HERE, 'raw.json')

    raw = {}
    if args.reuse and os.path.exists(raw_path):
        raw = json.load(open(raw_path))
    todo = [c for c in cases if c['file'] not in raw and not c.get('skipped')]
    if todo:
        start_server(root)
        with concurrent.futures.ThreadPoolExecutor(max(1, min(args.jobs, 2))) as ex:
            futs = {ex.submit(run_parse, root, c): c for c in todo}
            for n, fut in enumerate(concurrent.futures.as_completed(futs), 1):
                raw[futs[fut]['file']] = fut.result()
                if n % 200 == 0:
                    print('  parsed %d/%d' % (n, len(todo)), file=sys.stderr)
        if not args.only:
            json.dump(raw, open(raw_path, 'w'))

    results = []
    for c in cases:
        r = dict(c)
        if c.get('skipped'):
            r['status'] = 'skipped'
            results.append(r)
            continue
        run = raw[c['file']]
        r['rc'] = run['rc']
        out = None
        stdout = run['stdout']
        try:
            out = json.loads(stdout) if stdout.strip() else None
        except json.JSONDecodeError:
            out = None
        panic = 'panicked' in run['stderr']
        if run['rc'] != 0:
            r['stderr'] = run['stderr'][-500:]
        url = url_for(c['file'])
        result = adapt(out, url)
        r['warnings'] = (out or {}).get('feed', {}).get('warnings') if out and out.get('kind') == 'feed' else None
        r['parsed_as'] = (out or {}).get('kind', 'page' if out else None) if out else ('error rc=%s' % run['rc'])
        if c.get('special'):
            ok, what = special_check(c, out, result)
            if run['rc'] is None:
                ok, what = None, what + ' -- not run: asserts the runner\'s own HTTP client'
            r['expect'] = what
            r['status'] = 'n/a' if ok is None else ('pass' if ok else 'fail')
            if ok is False:
                r['class'], r['category'] = 'a', 'http/compression: ' + what
                r['produced'] = 'parsed_as=%s rc=%s %s' % (r['parsed_as'], run['rc'], run['stderr'][-200:])
            results.append(r)
            continue
        if panic or run['rc'] is None:
            r['status'] = 'fail'
            r['class'], r['category'] = 'a', 'parser panicked/timed out'
            r['produced'] = run['stderr'][-300:]
            results.append(r)
            continue
        ok, err, _, _ = evaluate(c['expect'], result)
        r['status'] = 'pass' if ok else 'fail'
        if not ok:
            cls, cat, produced, bozo_also = categorize(c, result)
            r['class'], r['category'], r['produced'] = cls, cat, produced
            r['bozo_also_differs'] = bozo_also
            if c.get('headers'):
                r['category'] = 'served with headers: ' + r['category']
            doc = document_reason(run, r.get('warnings'), bool(out and out.get('kind') == 'feed'))
            if doc and (r['dir'] == 'encoding' or doc[1].startswith('document rejected')):
                r['class'], r['category'] = doc
            if err:
                r['error'] = err[:300]
        results.append(r)

    report(results, args.examples)
    with open(os.path.join(HERE, 'results.json'), 'w') as fh:
        json.dump(results, fh, indent=1, ensure_ascii=False, default=str)


def rate(p, n):
    return '%5.1f%%' % (100.0 * p / n) if n else '   - '


def report(results, nex):
    main = [r for r in results if r['status'] in ('pass', 'fail') and not r.get('special')]
    special = [r for r in results if r.get('special')]
    skipped = [r for r in results if r['status'] == 'skipped']
    npass = sum(r['status'] == 'pass' for r in main)
    ns = [r for r in main if not r.get('sanitize')]
    nspass = sum(r['status'] == 'pass' for r in ns)
    print('newswire vs feedparser test suite')
    print('cases evaluated: %d (skipped: %d; http/+compression/ counted separately: %d)'
          % (len(main), len(skipped), len(special)))
    print('passed: %d  pass rate: %s' % (npass, rate(npass, len(main))))
    print('excluding sanitizer cases: %d/%d  pass rate: %s  (sanitizer cases: %d, passed %d)'
          % (nspass, len(ns), rate(nspass, len(ns)), len(main) - len(ns), npass - nspass))
    nh = [r for r in ns if not r.get('headers')]
    nhp = sum(r['status'] == 'pass' for r in nh)
    print('excluding sanitizer and HTTP-header-dependent cases: %d/%d  pass rate: %s  (header cases: %d, passed %d)'
          % (nhp, len(nh), rate(nhp, len(nh)), len(ns) - len(nh), nspass - nhp))
    print()
    print('%-28s %6s %6s %7s   %s' % ('directory', 'cases', 'pass', 'rate', 'non-sanitizer pass/cases'))
    by = collections.defaultdict(list)
    for r in main:
        by[r['dir']].append(r)
    for d in sorted(by):
        rs = by[d]
        p = sum(r['status'] == 'pass' for r in rs)
        nsr = [r for r in rs if not r.get('sanitize')]
        nsp = sum(r['status'] == 'pass' for r in nsr)
        print('%-28s %6d %6d %7s   %d/%d' % (d, len(rs), p, rate(p, len(rs)), nsp, len(nsr)))
    print()
    sp = [r for r in special if r['status'] != 'n/a']
    print('http/ + compression/ (hand-written runner asserts, emulated): %d checkable, %d pass; %d not checkable'
          % (len(sp), sum(r['status'] == 'pass' for r in sp), len(special) - len(sp)))
    for r in special:
        print('  %-40s %-5s %s' % (r['file'], r['status'], r['expect']))
    print()
    print('failure categories (excluding sanitizer cases); class a=parser gap, b=not exposed, c=adapter guess')
    cats = collections.Counter((r['class'], r['category']) for r in ns if r['status'] == 'fail')
    for (cls, cat), n in cats.most_common():
        print('  %4d  [%s] %s' % (n, cls, cat))
    scats = collections.Counter((r['class'], r['category']) for r in main
                                if r['status'] == 'fail' and r.get('sanitize'))
    print()
    print('sanitizer-case failure categories:')
    for (cls, cat), n in scats.most_common(15):
        print('  %4d  [%s] %s' % (n, cls, cat))
    print()
    print('failing examples per directory')
    for d in sorted(by):
        fails = [r for r in by[d] if r['status'] == 'fail']
        if not fails:
            continue
        print('== %s (%d failing)' % (d, len(fails)))
        shown = set()
        for r in fails:
            if r['category'] in shown:
                continue
            shown.add(r['category'])
            print('  %s\n     expect:   %s\n     category: [%s] %s\n     produced: %s'
                  % (os.path.basename(r['file']), r['expect'][:200], r['class'], r['category'],
                     (r.get('produced') or '')[:250]))
            if len(shown) >= nex:
                break


if __name__ == '__main__':
    main()
