//! The tokenizer: one pass over the text into numbers, words, CJK date markers and punctuation.
//!
//! Whitespace is dropped but remembered as [`Token::space_before`], so the grammar can tell `06:10` (glued) from
//! `06 : 10`. Words are folded once (lowercased, Latin accents stripped) into a small inline buffer, so matching
//! against the word tables never allocates.

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// A run of ASCII digits.
    Num,
    /// A run of letters of any script.
    Word,
    /// A CJK or Korean date/time marker right after digits, canonicalised: `年 月 日 時 分 秒`.
    Marker(char),
    /// Any other character that is not whitespace.
    Punct(char),
}

/// Longest folded word we keep; longer words never match a table entry.
const FOLD_CAP: usize = 40;

/// A word lowercased with Latin diacritics removed, stored inline.
#[derive(Clone, Copy, Debug)]
pub(super) struct Folded {
    buf: [u8; FOLD_CAP],
    len: u8,
}

impl Folded {
    const EMPTY: Folded = Folded {
        buf: [0; FOLD_CAP],
        len: 0,
    };

    /// The folded text; empty for non-words and for words too long to fold.
    pub(super) fn as_str(&self) -> &str {
        // Only whole chars are ever pushed, so this cannot fail; fall back to "" rather than panic.
        std::str::from_utf8(&self.buf[..usize::from(self.len)]).unwrap_or("")
    }

    fn push_char(&mut self, c: char) -> bool {
        let mut tmp = [0u8; 4];
        let encoded = c.encode_utf8(&mut tmp).as_bytes();
        self.push_bytes(encoded)
    }

    fn push_bytes(&mut self, bytes: &[u8]) -> bool {
        let len = usize::from(self.len);
        let Some(dst) = self.buf.get_mut(len..len + bytes.len()) else {
            return false;
        };
        dst.copy_from_slice(bytes);
        // FOLD_CAP < 256, so this fits.
        self.len = (len + bytes.len()) as u8;
        true
    }
}

/// One token with its byte range in the text.
#[derive(Clone, Copy, Debug)]
pub(super) struct Token {
    pub(super) kind: Kind,
    pub(super) start: usize,
    pub(super) end: usize,
    /// Whether whitespace (or the start of the text) precedes the token.
    pub(super) space_before: bool,
    /// For [`Kind::Num`], the value, saturating at `u32::MAX`.
    pub(super) value: u32,
    /// For [`Kind::Word`], the folded form.
    pub(super) folded: Folded,
}

impl Token {
    /// Number of bytes (for a number, of digits).
    pub(super) fn len(&self) -> usize {
        self.end - self.start
    }

    /// The folded word, or "" for other kinds.
    pub(super) fn word(&self) -> &str {
        self.folded.as_str()
    }

    /// Whether this is the punctuation character `c`.
    pub(super) fn is_punct(&self, c: char) -> bool {
        self.kind == Kind::Punct(c)
    }

    /// Whether the token is glued to the previous one (no whitespace between).
    pub(super) fn glued(&self) -> bool {
        !self.space_before
    }
}

/// Splits `text` into tokens in one pass.
pub(super) fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens: Vec<Token> = Vec::with_capacity(text.len() / 3 + 1);
    let mut chars = text.char_indices().peekable();
    let mut space_before = true;
    while let Some((start, c)) = chars.next() {
        if c.is_whitespace() {
            space_before = true;
            continue;
        }
        let mut token = Token {
            kind: Kind::Punct(c),
            start,
            end: start + c.len_utf8(),
            space_before,
            value: 0,
            folded: Folded::EMPTY,
        };
        let after_digits = !space_before && tokens.last().is_some_and(|t| t.kind == Kind::Num);
        if c.is_ascii_digit() {
            token.kind = Kind::Num;
            let mut value = u32::from(c as u8 - b'0');
            while let Some(&(i, d)) = chars.peek().filter(|(_, d)| d.is_ascii_digit()) {
                value = value
                    .saturating_mul(10)
                    .saturating_add(u32::from(d as u8 - b'0'));
                token.end = i + 1;
                chars.next();
            }
            token.value = value;
        } else if let Some(marker) = after_digits.then(|| marker(c)).flatten() {
            token.kind = Kind::Marker(marker);
        } else if is_word_char(c) {
            token.kind = Kind::Word;
            while let Some(&(i, w)) = chars.peek().filter(|(_, w)| is_word_char(*w)) {
                token.end = i + w.len_utf8();
                chars.next();
            }
            token.folded = fold(&text[start..token.end]);
        }
        tokens.push(token);
        space_before = false;
    }
    tokens
}

fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || is_combining(c)
}

fn is_combining(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36f}')
}

/// CJK and Korean markers that follow a number, mapped to one canonical form.
fn marker(c: char) -> Option<char> {
    Some(match c {
        '年' | '년' => '年',
        '月' | '월' => '月',
        '日' | '号' | '일' => '日',
        '時' | '时' | '点' | '시' => '時',
        '分' | '분' => '分',
        '秒' | '초' => '秒',
        _ => return None,
    })
}

/// Lowercases and strips Latin diacritics; returns an empty fold when the word is too long.
pub(super) fn fold(word: &str) -> Folded {
    let mut out = Folded::EMPTY;
    for c in word.chars().flat_map(char::to_lowercase) {
        let ok = match fold_latin(c) {
            Some(plain) => out.push_bytes(plain.as_bytes()),
            None if is_combining(c) => true,
            None => out.push_char(c),
        };
        if !ok {
            return Folded::EMPTY;
        }
    }
    out
}

/// The plain form of a lowercase accented Latin (or `ё`) letter.
fn fold_latin(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ą' | 'ă' => "a",
        'ç' | 'ć' | 'č' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'ę' | 'ě' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'ı' => "i",
        'ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ő' => "o",
        'ù' | 'ú' | 'û' | 'ü' | 'ů' | 'ű' => "u",
        'ý' | 'ÿ' => "y",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ł' => "l",
        'ś' | 'š' | 'ş' | 'ș' => "s",
        'ź' | 'ż' | 'ž' => "z",
        'ğ' => "g",
        'ř' => "r",
        'ţ' | 'ț' => "t",
        'ё' => "е",
        _ => return None,
    })
}
