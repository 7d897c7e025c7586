//! Words, as search and story matching see them: folded (lower case, accents removed) so that `cafe` finds
//! `Café`, and the same in both engines because the store folds the text itself before either engine indexes it.
//! Snippets are cut and marked here too, from the dispatch's own text, so both engines give the same ones.
//!
//! What the engines index is [`indexed`] text, so [`fold`] and [`words`] are part of the schema: changing them
//! needs a migration that indexes every dispatch again (and recomputes the story band keys, see `similar.rs`).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// How many words a snippet shows.
const SNIPPET_WORDS: usize = 24;
/// How many words a snippet shows before its first match, when there are that many.
const SNIPPET_LEAD: usize = 4;
/// The most query words used; the rest of a very long query is ignored.
const MAX_QUERY_WORDS: usize = 32;
/// The most bytes of folded body text indexed per dispatch (PostgreSQL refuses a `tsvector` over 1 MiB; a
/// 256 KiB text stays well under it in both engines).
const MAX_INDEXED_BYTES: usize = 256 * 1024;

/// Where a snippet's matched word starts.
pub(crate) const MARK_START: &str = "[";
/// Where a snippet's matched word ends.
pub(crate) const MARK_END: &str = "]";
/// What stands for the text a snippet leaves out.
pub(crate) const ELLIPSIS: &str = "…";

/// One word of a text: its byte range there and its folded form.
#[derive(Debug)]
pub(crate) struct Word {
    start: usize,
    end: usize,
    pub(crate) folded: String,
}

/// Whether `ch` belongs to a word: letters and digits of any script, and the marks that combine with them.
fn is_word_char(ch: char) -> bool {
    if ch.is_ascii() {
        ch.is_ascii_alphanumeric()
    } else {
        ch.is_alphanumeric() || is_combining_mark(ch)
    }
}

/// A word lower-cased, with the accents of Latin, Greek and Cyrillic letters removed (the combining marks
/// U+0300 to U+036F after canonical decomposition; the marks other scripts need to spell are kept), and the
/// Latin letters whose stroke Unicode does not decompose read as their base letter (`Łódź` is `lodz`).
pub(crate) fn fold(word: &str) -> String {
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    let lower: String = word.chars().flat_map(char::to_lowercase).collect();
    if lower.is_ascii() {
        return lower;
    }
    lower
        .nfd()
        .filter(|&ch| !('\u{300}'..='\u{36f}').contains(&ch))
        .map(|ch| match ch {
            'ł' => 'l',
            'ø' => 'o',
            'đ' => 'd',
            'ħ' => 'h',
            'ŧ' => 't',
            'ı' => 'i',
            other => other,
        })
        .nfc()
        .collect()
}

/// The words of `text`, in order: maximal runs of word characters.
pub(crate) fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut start = None;
    for (idx, ch) in text.char_indices() {
        match (is_word_char(ch), start) {
            (true, None) => start = Some(idx),
            (false, Some(s)) => {
                out.push(Word {
                    start: s,
                    end: idx,
                    folded: fold(&text[s..idx]),
                });
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(Word {
            start: s,
            end: text.len(),
            folded: fold(&text[s..]),
        });
    }
    out
}

/// The folded forms of the words of a text (what [`words`] finds), kept in one buffer.
#[derive(Debug, Default)]
pub(crate) struct Folded {
    buf: String,
    ends: Vec<usize>,
}

impl Folded {
    /// The folded words of `text`, as [`words`] would fold them, without an allocation per word.
    pub(crate) fn new(text: &str) -> Folded {
        let mut out = Folded {
            buf: String::with_capacity(text.len()),
            ends: Vec::new(),
        };
        let mut push = |word: &str| {
            if word.is_ascii() {
                let start = out.buf.len();
                out.buf.push_str(word);
                out.buf[start..].make_ascii_lowercase();
            } else {
                out.buf.push_str(&fold(word));
            }
            out.ends.push(out.buf.len());
        };
        let mut start = None;
        for (idx, ch) in text.char_indices() {
            match (is_word_char(ch), start) {
                (true, None) => start = Some(idx),
                (false, Some(s)) => {
                    push(&text[s..idx]);
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            push(&text[s..]);
        }
        out
    }

    /// How many words there are.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The folded words, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        let mut start = 0;
        self.ends.iter().map(move |&end| {
            let word = &self.buf[start..end];
            start = end;
            word
        })
    }
}

/// The folded words of `text`, separated by single spaces: what the engines index. At most
/// [`MAX_INDEXED_BYTES`] long (cut between words).
pub(crate) fn indexed(text: &str) -> String {
    indexed_words(Folded::new(text).iter())
}

/// [`indexed`] text from the folded words of a text.
pub(crate) fn indexed_words<'a>(folded: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for word in folded {
        if out.len() + word.len() + 1 > MAX_INDEXED_BYTES {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The distinct folded words of a search query, in order; every one must match. Anything that is not a word
/// (quotes, operators, punctuation) is dropped, so no input can be a syntax error in either engine.
pub(crate) fn query_terms(query: &str) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for word in words(query) {
        if !terms.contains(&word.folded) {
            terms.push(word.folded);
        }
        if terms.len() == MAX_QUERY_WORDS {
            break;
        }
    }
    terms
}

/// A short passage of `text` around the query's words, each match between [`MARK_START`] and [`MARK_END`], with
/// [`ELLIPSIS`] where text is left out, on one line. The passage with the most distinct query words wins (the
/// earliest of equals). When the body has none of them (the title matched), the marked title is the snippet.
pub(crate) fn snippet(title: &str, text: &str, terms: &[String]) -> String {
    let body = words(text);
    let is_match = |w: &Word| terms.contains(&w.folded);
    let matches: Vec<usize> = (0..body.len()).filter(|&i| is_match(&body[i])).collect();
    if matches.is_empty() {
        let title_words = words(title);
        if title_words.iter().any(is_match) {
            return render(title, &title_words, 0, title_words.len(), &is_match);
        }
        return render(text, &body, 0, body.len().min(SNIPPET_WORDS), &is_match);
    }
    let mut best = (0, 0);
    let mut best_score = (0, 0);
    for &m in &matches {
        let start = m.saturating_sub(SNIPPET_LEAD);
        let end = (start + SNIPPET_WORDS).min(body.len());
        let window = &body[start..end];
        let mut distinct: Vec<&str> = window
            .iter()
            .filter(|w| is_match(w))
            .map(|w| w.folded.as_str())
            .collect();
        let n_matches = distinct.len();
        distinct.sort_unstable();
        distinct.dedup();
        let score = (distinct.len(), n_matches);
        if score > best_score {
            best_score = score;
            best = (start, end);
        }
    }
    render(text, &body, best.0, best.1, &is_match)
}

/// `text` from word `start` to word `end` (exclusive), matches marked, whitespace runs as one space.
fn render(
    text: &str,
    words: &[Word],
    start: usize,
    end: usize,
    is_match: &dyn Fn(&Word) -> bool,
) -> String {
    if start >= end {
        return String::new();
    }
    let mut out = String::new();
    if start > 0 {
        out.push_str(ELLIPSIS);
    }
    let mut pos = words[start].start;
    for word in &words[start..end] {
        push_collapsed(&mut out, &text[pos..word.start]);
        if is_match(word) {
            out.push_str(MARK_START);
            out.push_str(&text[word.start..word.end]);
            out.push_str(MARK_END);
        } else {
            out.push_str(&text[word.start..word.end]);
        }
        pos = word.end;
    }
    // Keep the punctuation that closes the last word ("rights." rather than "rights").
    let tail = words
        .get(end)
        .map_or(&text[pos..], |next| &text[pos..next.start]);
    let closing: String = tail.chars().take_while(|&ch| is_closing(ch)).collect();
    out.push_str(&closing);
    if end < words.len() {
        out.push_str(ELLIPSIS);
    }
    out
}

/// Punctuation that belongs to the word before it.
fn is_closing(ch: char) -> bool {
    matches!(
        ch,
        '.' | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | ')'
            | ']'
            | '}'
            | '"'
            | '\''
            | '”'
            | '’'
            | '»'
            | '…'
            | '%'
    )
}

fn push_collapsed(out: &mut String, between: &str) {
    let mut space = false;
    for ch in between.chars() {
        if ch.is_whitespace() {
            space = true;
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(ch);
        }
    }
    if space {
        out.push(' ');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(text: &str) -> Vec<String> {
        words(text).into_iter().map(|w| w.folded).collect()
    }

    #[test]
    fn words_are_folded_runs_of_letters_and_digits() {
        assert_eq!(
            folded("Café au lait, São Paulo's H5N1 — ÉTÉ 2012!"),
            [
                "cafe", "au", "lait", "sao", "paulo", "s", "h5n1", "ete", "2012"
            ]
        );
        assert_eq!(
            folded("Łódź Straße Ωμέγα Привет ё"),
            ["lodz", "straße", "ωμεγα", "привет", "е"]
        );
        // Marks other scripts spell with stay; so do scripts without case.
        assert_eq!(folded("हिन्दी 中文新闻"), ["हिन्दी", "中文新闻"]);
        assert!(folded(" \"*NEAR( '; --").iter().eq(["near"].iter()));
    }

    #[test]
    fn folded_words_are_the_words_folded() {
        for text in [
            "Café au lait, São Paulo's H5N1 — ÉTÉ 2012!",
            "Łódź Straße Ωμέγα Привет ё हिन्दी 中文新闻",
            " \"*NEAR( '; --",
            "",
            "plain ASCII Words, MIXED case",
        ] {
            let fast = Folded::new(text);
            assert!(
                fast.iter().eq(folded(text).iter().map(String::as_str)),
                "{text}"
            );
            assert_eq!(fast.iter().count(), words(text).len());
        }
    }

    #[test]
    fn indexed_text_is_folded_words_and_bounded() {
        assert_eq!(indexed("Le café, c'est «bon»."), "le cafe c est bon");
        let long = "word ".repeat(100_000);
        let out = indexed(&long);
        assert!(out.len() <= MAX_INDEXED_BYTES && out.len() > MAX_INDEXED_BYTES - 10);
        assert!(out.ends_with("word"));
    }

    #[test]
    fn query_terms_drop_syntax_and_repeats() {
        assert_eq!(
            query_terms(r#""rights" OR rights* NEAR(x"#),
            ["rights", "or", "near", "x"]
        );
        assert!(query_terms(r#"" * ( ) ' ;"#).is_empty());
    }

    #[test]
    fn snippet_marks_the_best_passage() {
        let text = "Opening words that say nothing.\n\nMore filler here, and then the rights groups spoke about \
                    China and rights abuses at length, with details.\n\nA closing paragraph.";
        let terms = query_terms("rights china");
        assert_eq!(
            snippet("Title", text, &terms),
            "…here, and then the [rights] groups spoke about [China] and [rights] abuses at length, with details. A \
             closing paragraph."
        );
        // The start of the text needs no ellipsis; folding finds accented words and keeps them as written.
        assert_eq!(
            snippet("T", "Café crème. Then more.", &query_terms("cafe")),
            "[Café] crème. Then more."
        );
    }

    #[test]
    fn snippet_falls_back_to_the_title_then_the_lead() {
        assert_eq!(
            snippet("Rights Groups Call", "Body text.", &query_terms("rights")),
            "[Rights] Groups Call"
        );
        let text = (1..=40)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        let out = snippet("T", &text, &query_terms("absent"));
        assert!(out.starts_with("w1 w2") && out.ends_with("w24…"), "{out}");
        // The word that closes the window keeps its closing punctuation, not a hyphen.
        let words: Vec<String> = (1..=22).map(|i| format!("w{i}")).collect();
        let text = format!("Rights, {} two-day talks.", words.join(" "));
        let out = snippet("T", &text, &query_terms("rights"));
        assert!(
            out.starts_with("[Rights], w1") && out.ends_with("w22 two…"),
            "{out}"
        );
        let text = format!("Rights, {} two. Then more.", words.join(" "));
        let out = snippet("T", &text, &query_terms("rights"));
        assert!(out.ends_with("w22 two.…"), "{out}");
        assert_eq!(snippet("T", "", &query_terms("x")), "");
    }
}
