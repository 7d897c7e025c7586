//! Extraction evaluation: how close newswire's dispatch of a page comes to a human label.
//!
//! The metric follows the public article-extraction benchmarks: the body is compared as multisets of token
//! 4-grams (precision, recall, F1 per page, averaged over pages); title and authors by exact match after text
//! normalization; the publication time by calendar day (in the label's own terms) and exactly (instant and
//! offset, the string form of [`StatedTime`]).
//! Labels live in `fixtures/eval/labels/*.json`; see `fixtures/eval/README.md` for their format.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use newswire_ingest::extract::extract_page;
use newswire_model::{Dispatch, StatedTime};
use newswire_normalize::text::clean_inline;
use newswire_normalize::{Input, normalize};
use serde::{Deserialize, Serialize};
use url::Url;

/// A human label for one page.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Label {
    /// The page file, relative to the label directory's parent (`fixtures/eval/`).
    pub page: String,
    /// The URL the page stands for.
    pub url: String,
    /// When the page was fetched (for relative dates).
    pub fetched_at: DateTime<Utc>,
    /// The layout family it imitates.
    #[serde(default)]
    pub family: String,
    /// Its language.
    #[serde(default)]
    pub language: String,
    /// The headline.
    pub title: String,
    /// The authors' names.
    pub authors: Vec<String>,
    /// The publication time as the page states it.
    pub published_at: Option<StatedTime>,
    /// The body blocks' texts in order.
    pub body: Vec<String>,
}

/// How one page scored.
#[derive(Clone, Debug, Serialize)]
pub struct PageScore {
    /// The label's file name.
    pub name: String,
    /// The label's family.
    pub family: String,
    /// Body token 4-gram precision.
    pub precision: f64,
    /// Body token 4-gram recall.
    pub recall: f64,
    /// Body token 4-gram F1.
    pub f1: f64,
    /// Whether the title matched exactly.
    pub title_ok: bool,
    /// Whether the authors matched exactly.
    pub authors_ok: bool,
    /// Whether the publication date is the labelled calendar day.
    pub date_day_ok: bool,
    /// Whether the publication time is exactly the labelled one (instant and offset).
    pub date_exact_ok: bool,
    /// What newswire produced, for the report.
    pub got_title: String,
    /// What newswire produced.
    pub got_authors: Vec<String>,
    /// What newswire produced.
    pub got_published_at: Option<String>,
    /// The label's publication time.
    pub want_published_at: Option<String>,
    /// Extraction and normalization time.
    #[serde(skip)]
    pub elapsed: Duration,
    /// Page size in bytes.
    pub bytes: usize,
}

/// Averages over a set of pages.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Summary {
    /// Pages scored.
    pub pages: usize,
    /// Mean body precision.
    pub precision: f64,
    /// Mean body recall.
    pub recall: f64,
    /// Mean body F1.
    pub f1: f64,
    /// Share of exact titles.
    pub title: f64,
    /// Share of exact author lists.
    pub authors: f64,
    /// Share of pages with the right publication day.
    pub date_day: f64,
    /// Share of pages with the exact publication time and offset.
    pub date_exact: f64,
    /// Mean milliseconds per page (this build, one thread).
    pub ms_per_page: f64,
}

/// Loads every label in `labels_dir`, sorted by file name.
pub fn load_labels(
    labels_dir: &Path,
) -> Result<Vec<(String, Label)>, Box<dyn std::error::Error + Send + Sync>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(labels_dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(&path)?;
            let label: Label =
                serde_json::from_str(&text).map_err(|err| format!("{}: {err}", path.display()))?;
            let name = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
                .to_owned();
            out.push((name, label));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// Extracts and normalizes a page as the pipeline does, without a feed.
pub fn dispatch_for_page(bytes: &[u8], url: &Url, fetched_at: DateTime<Utc>) -> Option<Dispatch> {
    let page = extract_page(bytes, url, None);
    normalize(&Input {
        fetched_at,
        feed: None,
        entry: None,
        entry_summary: None,
        page: Some(&page),
    })
    .ok()
}

/// Scores one labelled page; `eval_dir` is the directory the label's `page` path is relative to.
pub fn score(
    name: &str,
    label: &Label,
    eval_dir: &Path,
) -> Result<PageScore, Box<dyn std::error::Error + Send + Sync>> {
    let path: PathBuf = eval_dir.join(&label.page);
    let bytes = std::fs::read(&path).map_err(|err| format!("{}: {err}", path.display()))?;
    let url = Url::parse(&label.url)?;
    let started = Instant::now();
    let dispatch = dispatch_for_page(&bytes, &url, label.fetched_at);
    let elapsed = started.elapsed();
    let got_body: Vec<String> = dispatch
        .as_ref()
        .map(|d| d.body.iter().map(|b| b.text.clone()).collect())
        .unwrap_or_default();
    let (precision, recall, f1) = ngram_prf(&got_body.join("\n"), &label.body.join("\n"));
    let got_title = dispatch
        .as_ref()
        .map(|d| d.title.clone())
        .unwrap_or_default();
    let got_authors = dispatch
        .as_ref()
        .map(|d| d.authors.clone())
        .unwrap_or_default();
    let got_published = dispatch.as_ref().and_then(|d| d.published_at);
    let want_authors: Vec<String> = label.authors.iter().map(|a| clean_inline(a)).collect();
    Ok(PageScore {
        name: name.to_owned(),
        family: label.family.clone(),
        precision,
        recall,
        f1,
        title_ok: clean_inline(&got_title) == clean_inline(&label.title),
        authors_ok: got_authors == want_authors,
        date_day_ok: match (got_published, label.published_at) {
            (Some(got), Some(want)) => got.date() == want.date(),
            (None, None) => true,
            _ => false,
        },
        date_exact_ok: got_published.map(|t| t.to_string())
            == label.published_at.map(|t| t.to_string()),
        got_title,
        got_authors,
        got_published_at: got_published.map(|t| t.to_string()),
        want_published_at: label.published_at.map(|t| t.to_string()),
        elapsed,
        bytes: bytes.len(),
    })
}

/// Averages page scores.
pub fn summarize(scores: &[PageScore]) -> Summary {
    let n = scores.len().max(1) as f64;
    let share = |f: fn(&PageScore) -> bool| scores.iter().filter(|s| f(s)).count() as f64 / n;
    Summary {
        pages: scores.len(),
        precision: scores.iter().map(|s| s.precision).sum::<f64>() / n,
        recall: scores.iter().map(|s| s.recall).sum::<f64>() / n,
        f1: scores.iter().map(|s| s.f1).sum::<f64>() / n,
        title: share(|s| s.title_ok),
        authors: share(|s| s.authors_ok),
        date_day: share(|s| s.date_day_ok),
        date_exact: share(|s| s.date_exact_ok),
        ms_per_page: scores
            .iter()
            .map(|s| s.elapsed.as_secs_f64() * 1000.0)
            .sum::<f64>()
            / n,
    }
}

/// Lower-cased word tokens; each CJK ideograph, kana or hangul syllable is a token of its own.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for ch in text.chars() {
        if is_cjk(ch) {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            out.push(ch.to_string());
        } else if ch.is_alphanumeric() {
            word.extend(ch.to_lowercase());
        } else if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

fn is_cjk(ch: char) -> bool {
    matches!(ch as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF)
}

/// Precision, recall and F1 of `got` against `want` over multisets of token 4-grams (shorter texts: n-grams
/// of their whole length). Two empty texts score 1.
pub fn ngram_prf(got: &str, want: &str) -> (f64, f64, f64) {
    let (got, want) = (tokens(got), tokens(want));
    if got.is_empty() && want.is_empty() {
        return (1.0, 1.0, 1.0);
    }
    if got.is_empty() || want.is_empty() {
        return (0.0, 0.0, 0.0);
    }
    let n = 4.min(got.len()).min(want.len());
    let (g, w) = (ngram_counts(&got, n), ngram_counts(&want, n));
    let common: usize = g
        .iter()
        .map(|(gram, &count)| count.min(w.get(gram).copied().unwrap_or(0)))
        .sum();
    let precision = common as f64 / (got.len() - n + 1) as f64;
    let recall = common as f64 / (want.len() - n + 1) as f64;
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    (precision, recall, f1)
}

fn ngram_counts(toks: &[String], n: usize) -> HashMap<&[String], usize> {
    let mut counts: HashMap<&[String], usize> = HashMap::new();
    for gram in toks.windows(n) {
        *counts.entry(gram).or_default() += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_split_words_and_cjk() {
        assert_eq!(
            tokens("Hello, World! It's 2012."),
            ["hello", "world", "it", "s", "2012"]
        );
        assert_eq!(
            tokens("新华社北京 7月"),
            ["新", "华", "社", "北", "京", "7", "月"]
        );
    }

    #[test]
    fn ngram_scores() {
        let want = "one two three four five six";
        assert_eq!(ngram_prf(want, want), (1.0, 1.0, 1.0));
        // Extra furniture lowers precision only.
        let (p, r, _) = ngram_prf("one two three four five six leave a comment here", want);
        assert!(p < 1.0 && r == 1.0, "{p} {r}");
        // A missing paragraph lowers recall only.
        let (p, r, _) = ngram_prf("one two three four", want);
        assert!(p == 1.0 && r < 1.0, "{p} {r}");
        assert_eq!(ngram_prf("", want), (0.0, 0.0, 0.0));
        assert_eq!(ngram_prf("", ""), (1.0, 1.0, 1.0));
    }
}
