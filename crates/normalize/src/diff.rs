//! Word-level diffs between two versions of a text, for a dispatch's history.
//!
//! A text is cut into tokens: runs of letters and digits (words), runs of whitespace, and single other
//! characters (punctuation, symbols). [`word_diff`] finds a shortest edit script between the two token sequences
//! with Myers' algorithm ("An O(ND) Difference Algorithm and Its Variations", 1986) in its linear-space,
//! divide-and-conquer form, after stripping the common prefix and suffix. It costs O((N+M)·D) time for N and M
//! tokens and D differing tokens, and O(N+M) memory.
//!
//! # Bounded work
//!
//! A complete rewrite of a long text makes D large, so the search is given a budget of about
//! [`DEFAULT_BUDGET`] steps, which allows `budget / (N+M)` differing tokens. Past that it stops looking: the
//! text between the common prefix and suffix is reported as removed and then added, and
//! [`WordDiff::replaced_entirely`] says so. [`word_diff_with_budget`] sets another budget.
//!
//! # Example
//!
//! ```
//! use newswire_normalize::diff::{render_inline, summarize, word_diff};
//!
//! let changes = word_diff("The cat sat on the mat.", "The dog sat on the mat!");
//! assert_eq!(render_inline(&changes), "The [-cat-]{+dog+} sat on the mat[-.-]{+!+}");
//! assert_eq!(summarize(&changes).to_string(), "1 word added, 1 removed");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

/// The default work budget: about this many steps of the diff search before it gives up (see the module docs).
pub const DEFAULT_BUDGET: u64 = 50_000_000;

/// One run of a word-level diff. Adjacent tokens of one kind are merged, so two neighbours never have the same
/// kind, and within one stretch of differences the removed text comes before the added text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// Text in both versions.
    Same(String),
    /// Text only in the old version.
    Removed(String),
    /// Text only in the new version.
    Added(String),
}

impl Change {
    /// The text of this run, whatever its kind.
    pub fn text(&self) -> &str {
        match self {
            Change::Same(text) | Change::Removed(text) | Change::Added(text) => text,
        }
    }
}

/// A word-level diff and whether the search gave up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WordDiff {
    /// The runs, in text order.
    pub changes: Vec<Change>,
    /// The texts differed by more than the budget allows, so everything between their common prefix and
    /// suffix is reported as removed and then added, not word by word.
    pub replaced_entirely: bool,
}

impl WordDiff {
    /// Words added and removed.
    pub fn summary(&self) -> Summary {
        summarize(&self.changes)
    }
}

/// How much a diff changes, counted in words (runs of letters and digits; see [`count_words`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Words in the added runs.
    pub words_added: usize,
    /// Words in the removed runs.
    pub words_removed: usize,
    /// Whether anything differs at all, whitespace and punctuation included.
    pub changed: bool,
}

impl fmt::Display for Summary {
    /// `no change`, `spacing or punctuation changed`, or `3 words added, 1 removed`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.changed {
            f.write_str("no change")
        } else if self.words_added == 0 && self.words_removed == 0 {
            f.write_str("spacing or punctuation changed")
        } else {
            let noun = if self.words_added == 1 {
                "word"
            } else {
                "words"
            };
            write!(
                f,
                "{} {noun} added, {} removed",
                self.words_added, self.words_removed
            )
        }
    }
}

/// The word-level diff from `old` to `new`, with the default budget.
pub fn word_diff(old: &str, new: &str) -> Vec<Change> {
    word_diff_with_budget(old, new, DEFAULT_BUDGET).changes
}

/// The word-level diff from `old` to `new`, giving up after about `budget` steps (see the module docs).
pub fn word_diff_with_budget(old: &str, new: &str, budget: u64) -> WordDiff {
    let old_tokens = tokenize(old);
    let new_tokens = tokenize(new);
    let mut ids = HashMap::new();
    let a = intern(&mut ids, &old_tokens);
    let b = intern(&mut ids, &new_tokens);

    let prefix = common_prefix(&a, &b);
    let suffix = common_suffix(&a[prefix..], &b[prefix..]);
    let differing = (a.len() + b.len() - 2 * (prefix + suffix)) as u64;
    let max_edits = usize::try_from(budget / differing.max(1)).unwrap_or(usize::MAX);
    let half_cap = max_edits.div_ceil(2).min((differing as usize).div_ceil(2));

    let mut differ = Differ {
        a: &a,
        b: &b,
        vf: vec![-1; 2 * half_cap + 3],
        vb: vec![-1; 2 * half_cap + 3],
        half_cap,
        ops: Vec::new(),
        gave_up: false,
    };
    differ.conquer(0..a.len(), 0..b.len());
    let mut changes = collect_changes(&differ.ops, &old_tokens, &new_tokens);
    slide_runs(&mut changes);
    WordDiff {
        changes,
        replaced_entirely: differ.gave_up,
    }
}

/// Words added and removed by a diff.
pub fn summarize(changes: &[Change]) -> Summary {
    let mut summary = Summary::default();
    for change in changes {
        match change {
            Change::Same(_) => {}
            Change::Removed(text) => {
                summary.words_removed += count_words(text);
                summary.changed = true;
            }
            Change::Added(text) => {
                summary.words_added += count_words(text);
                summary.changed = true;
            }
        }
    }
    summary
}

/// The new text with the changes marked in line, as `git diff --word-diff=plain` does: `[-removed-]` and
/// `{+added+}`. Markers are not escaped, so a text that itself contains `[-` or `{+` reads ambiguously.
pub fn render_inline(changes: &[Change]) -> String {
    let mut out = String::new();
    for change in changes {
        push_marked(&mut out, change);
    }
    out
}

/// Like [`render_inline`], but keeps only the lines that hold a change and `context` lines around each; every
/// run of other lines becomes one `… N unchanged lines …` line. Empty when nothing changed.
pub fn render_inline_hunks(changes: &[Change], context: usize) -> String {
    if !changes.iter().any(|c| !matches!(c, Change::Same(_))) {
        return String::new();
    }
    // Each rendered line, and whether any change touches it.
    let mut lines: Vec<(String, bool)> = vec![(String::new(), false)];
    for change in changes {
        let mut marked = String::new();
        push_marked(&mut marked, change);
        let is_change = !matches!(change, Change::Same(_));
        for (idx, piece) in marked.split('\n').enumerate() {
            if idx > 0 {
                lines.push((String::new(), false));
            }
            let line = lines.last_mut().expect("never empty");
            line.0.push_str(piece);
            line.1 |= is_change;
        }
    }
    let mut keep = vec![false; lines.len()];
    for (idx, _) in lines.iter().enumerate().filter(|(_, line)| line.1) {
        let lo = idx.saturating_sub(context);
        let hi = (idx + context).min(lines.len() - 1);
        keep[lo..=hi].iter_mut().for_each(|k| *k = true);
    }
    let mut out: Vec<String> = Vec::new();
    let mut skipped = 0;
    for ((line, _), kept) in lines.into_iter().zip(keep) {
        if kept {
            if skipped > 0 {
                out.push(elided(skipped));
                skipped = 0;
            }
            out.push(line);
        } else {
            skipped += 1;
        }
    }
    if skipped > 0 {
        out.push(elided(skipped));
    }
    out.join("\n")
}

/// The number of words in `text`: runs of letters and digits (with their combining marks).
pub fn count_words(text: &str) -> usize {
    tokenize(text)
        .iter()
        .filter(|t| t.chars().next().map(class) == Some(Class::Word))
        .count()
}

/// Cuts `text` into tokens: words, runs of whitespace, and single other characters. A word is a run of letters
/// and digits (with their combining marks) that may hold an apostrophe or hyphen between two letters or digits
/// (`it’s`, `well-known`) and a point or comma between two digits (`3.5`, `1,000`).
/// Concatenated, the tokens give back `text`.
pub fn tokenize(text: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut tokens = Vec::new();
    let mut start = 0;
    let mut current: Option<Class> = None;
    for (pos, &(idx, ch)) in chars.iter().enumerate() {
        let mut cls = class(ch);
        if cls == Class::Other && current == Some(Class::Word) {
            let prev = chars[pos - 1].1;
            if let Some(&(_, next)) = chars.get(pos + 1)
                && joins(prev, ch, next)
            {
                cls = Class::Word;
            }
        }
        let continues = current == Some(cls) && cls != Class::Other;
        if !continues && idx > start {
            tokens.push(&text[start..idx]);
            start = idx;
        }
        current = Some(cls);
    }
    if start < text.len() {
        tokens.push(&text[start..]);
    }
    tokens
}

/// Whether `ch`, between `prev` and `next`, belongs to the word around it.
fn joins(prev: char, ch: char, next: char) -> bool {
    match ch {
        '\'' | '\u{2019}' | '-' | '\u{2010}' | '\u{2011}' => {
            prev.is_alphanumeric() && next.is_alphanumeric()
        }
        '.' | ',' => prev.is_numeric() && next.is_numeric(),
        _ => false,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Word,
    Space,
    Other,
}

fn class(ch: char) -> Class {
    if ch.is_alphanumeric() || is_combining_mark(ch) {
        Class::Word
    } else if ch.is_whitespace() {
        Class::Space
    } else {
        Class::Other
    }
}

/// The common combining-mark blocks, so a decomposed accent stays in its word.
fn is_combining_mark(ch: char) -> bool {
    matches!(ch,
        '\u{0300}'..='\u{036F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

fn push_marked(out: &mut String, change: &Change) {
    match change {
        Change::Same(text) => out.push_str(text),
        Change::Removed(text) => {
            out.push_str("[-");
            out.push_str(text);
            out.push_str("-]");
        }
        Change::Added(text) => {
            out.push_str("{+");
            out.push_str(text);
            out.push_str("+}");
        }
    }
}

fn elided(n_lines: usize) -> String {
    let noun = if n_lines == 1 { "line" } else { "lines" };
    format!("\u{2026} {n_lines} unchanged {noun} \u{2026}")
}

/// One step of an edit script over token indices.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Op {
    /// These old tokens are kept.
    Same(Range<usize>),
    /// These old tokens are removed.
    Removed(Range<usize>),
    /// These new tokens are added.
    Added(Range<usize>),
}

/// Myers' linear-space diff over interned tokens.
struct Differ<'a> {
    a: &'a [u32],
    b: &'a [u32],
    /// Forward search: the furthest x reached on each diagonal `k = x - y`, at index `k + half_cap + 1`; -1 when
    /// the diagonal was not reached.
    vf: Vec<isize>,
    /// Backward search, in reversed coordinates (`x' = n - x`).
    vb: Vec<isize>,
    /// Largest number of search rounds; a middle snake needs `ceil(D / 2)` of them.
    half_cap: usize,
    ops: Vec<Op>,
    gave_up: bool,
}

impl Differ<'_> {
    fn conquer(&mut self, mut old: Range<usize>, mut new: Range<usize>) {
        let prefix = common_prefix(&self.a[old.clone()], &self.b[new.clone()]);
        if prefix > 0 {
            self.ops.push(Op::Same(old.start..old.start + prefix));
            old.start += prefix;
            new.start += prefix;
        }
        let suffix = common_suffix(&self.a[old.clone()], &self.b[new.clone()]);
        old.end -= suffix;
        new.end -= suffix;
        let suffix_range = old.end..old.end + suffix;

        if old.is_empty() {
            if !new.is_empty() {
                self.ops.push(Op::Added(new));
            }
        } else if new.is_empty() {
            self.ops.push(Op::Removed(old));
        } else {
            match self.middle_snake(old.clone(), new.clone()) {
                // The split point lies strictly inside both halves' work, so the recursion shrinks.
                Some((x, y))
                    if (x, y) != (old.start, new.start) && (x, y) != (old.end, new.end) =>
                {
                    self.conquer(old.start..x, new.start..y);
                    self.conquer(x..old.end, y..new.end);
                }
                _ => {
                    self.gave_up = true;
                    self.ops.push(Op::Removed(old));
                    self.ops.push(Op::Added(new));
                }
            }
        }
        if suffix > 0 {
            self.ops.push(Op::Same(suffix_range));
        }
    }

    /// A point on an optimal edit path between `old` and `new` (absolute token indices), found by searching
    /// from both ends until the paths meet; `None` if that takes more than `half_cap` rounds.
    fn middle_snake(&mut self, old: Range<usize>, new: Range<usize>) -> Option<(usize, usize)> {
        let a = &self.a[old.clone()];
        let b = &self.b[new.clone()];
        let n = a.len() as isize;
        let m = b.len() as isize;
        let delta = n - m;
        let odd = delta.rem_euclid(2) == 1;
        let offset = self.half_cap as isize + 1;
        let at = |k: isize| (k + offset) as usize;
        let rounds = ((n + m + 1) / 2).min(self.half_cap as isize);
        for d in 0..=rounds {
            // Forward: paths with d edits from (0, 0).
            for k in (-d..=d).step_by(2) {
                let Some(x) = furthest_start(&self.vf, at, k, d, n, m) else {
                    self.vf[at(k)] = -1;
                    continue;
                };
                let y = x - k;
                let x_end = x + common_prefix(&a[x as usize..], &b[y as usize..]) as isize;
                self.vf[at(k)] = x_end;
                let k_back = delta - k;
                if odd && k_back.abs() < d {
                    let x_back = self.vb[at(k_back)];
                    if x_back >= 0 && x_end + x_back >= n {
                        return Some((old.start + x as usize, new.start + y as usize));
                    }
                }
            }
            // Backward: paths with d edits from (n, m), in reversed coordinates.
            for k in (-d..=d).step_by(2) {
                let Some(x) = furthest_start(&self.vb, at, k, d, n, m) else {
                    self.vb[at(k)] = -1;
                    continue;
                };
                let y = x - k;
                let x_end =
                    x + common_suffix(&a[..(n - x) as usize], &b[..(m - y) as usize]) as isize;
                self.vb[at(k)] = x_end;
                let k_fwd = delta - k;
                if !odd && k_fwd.abs() <= d {
                    let x_fwd = self.vf[at(k_fwd)];
                    if x_fwd >= 0 && x_fwd + x_end >= n {
                        return Some((old.start + (n - x) as usize, new.start + (m - y) as usize));
                    }
                }
            }
        }
        None
    }
}

/// Where a path with `d` edits on diagonal `k` starts its final snake: one step right from diagonal `k - 1` or
/// one step down from diagonal `k + 1`, whichever reaches further and stays within the `n` by `m` grid.
fn furthest_start(
    v: &[isize],
    at: impl Fn(isize) -> usize,
    k: isize,
    d: isize,
    n: isize,
    m: isize,
) -> Option<isize> {
    if d == 0 {
        return Some(0);
    }
    let mut best = None;
    if k > -d {
        let from = v[at(k - 1)];
        if from >= 0 && from < n {
            best = Some(from + 1);
        }
    }
    if k < d {
        let from = v[at(k + 1)];
        if from >= 0 && from - k <= m && best.is_none_or(|x| from > x) {
            best = Some(from);
        }
    }
    best
}

/// Numbers tokens so equal tokens get equal numbers and comparing them is cheap.
fn intern<'t>(ids: &mut HashMap<&'t str, u32>, tokens: &[&'t str]) -> Vec<u32> {
    tokens
        .iter()
        .map(|&token| {
            let next = ids.len() as u32;
            *ids.entry(token).or_insert(next)
        })
        .collect()
}

fn common_prefix(a: &[u32], b: &[u32]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

fn common_suffix(a: &[u32], b: &[u32]) -> usize {
    a.iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

/// Turns an edit script into merged runs: each stretch between kept text becomes one removed run, then one
/// added run.
fn collect_changes(ops: &[Op], old: &[&str], new: &[&str]) -> Vec<Change> {
    let mut changes = Vec::new();
    let mut same = String::new();
    let mut removed = String::new();
    let mut added = String::new();
    let flush = |changes: &mut Vec<Change>, removed: &mut String, added: &mut String| {
        if !removed.is_empty() {
            changes.push(Change::Removed(std::mem::take(removed)));
        }
        if !added.is_empty() {
            changes.push(Change::Added(std::mem::take(added)));
        }
    };
    for op in ops {
        match op {
            Op::Same(range) => {
                if !removed.is_empty() || !added.is_empty() {
                    if !same.is_empty() {
                        changes.push(Change::Same(std::mem::take(&mut same)));
                    }
                    flush(&mut changes, &mut removed, &mut added);
                }
                old[range.clone()].iter().for_each(|t| same.push_str(t));
            }
            Op::Removed(range) => old[range.clone()].iter().for_each(|t| removed.push_str(t)),
            Op::Added(range) => new[range.clone()].iter().for_each(|t| added.push_str(t)),
        }
    }
    if !same.is_empty() {
        changes.push(Change::Same(same));
    }
    flush(&mut changes, &mut removed, &mut added);
    changes
}

/// Among equally short scripts, picks where each run of only removed or only added text sits.
///
/// Such a run can often slide: inserting `prime ` before `minister` in `The minister` can also be read as
/// inserting ` prime` after `The`. The run is moved to the place that cuts the text at word boundaries and, as
/// a tie-break, starts with something other than whitespace: `The {+prime +}minister`, and
/// `jobs.{+ New paragraph.+}` rather than `jobs{+. New paragraph+}.`.
fn slide_runs(changes: &mut Vec<Change>) {
    let mut idx = 0;
    while idx < changes.len() {
        let is_pure_run = !matches!(changes[idx], Change::Same(_))
            && (idx == 0 || matches!(changes[idx - 1], Change::Same(_)))
            && changes
                .get(idx + 1)
                .is_none_or(|next| matches!(next, Change::Same(_)));
        if !is_pure_run {
            idx += 1;
            continue;
        }
        let before: Vec<&str> = match idx.checked_sub(1) {
            Some(prev) => tokenize(changes[prev].text()),
            None => Vec::new(),
        };
        let run = tokenize(changes[idx].text());
        let after: Vec<&str> = changes
            .get(idx + 1)
            .map(|next| tokenize(next.text()))
            .unwrap_or_default();
        // The text on the run's side, as tokens; the run is the window `seq[start..start + len]` of it, and
        // moving the window by one keeps the other side's text whenever the token it gives up equals the one it
        // takes on.
        let seq: Vec<&str> = before.iter().chain(&run).chain(&after).copied().collect();
        let len = run.len();
        // Kept text between this run and another must stay non-empty, or the two runs would touch.
        let lowest = usize::from(idx >= 2);
        let highest = seq.len() - len - usize::from(idx + 2 < changes.len());
        let mut first = before.len();
        while first > lowest && seq[first - 1] == seq[first + len - 1] {
            first -= 1;
        }
        // The leftmost of the best-scoring places.
        let (mut chosen, mut best) = (first, score(&seq, first, len));
        let mut start = first;
        while start < highest && seq[start + len] == seq[start] {
            start += 1;
            let candidate = score(&seq, start, len);
            if candidate > best {
                (chosen, best) = (start, candidate);
            }
        }
        if chosen == before.len() {
            idx += 1;
            continue;
        }
        let kept_before: String = seq[..chosen].concat();
        let moved: String = seq[chosen..chosen + len].concat();
        let kept_after: String = seq[chosen + len..].concat();
        let moved = match changes[idx] {
            Change::Removed(_) => Change::Removed(moved),
            _ => Change::Added(moved),
        };
        // Replace the kept text before (if any), the run, and the kept text after (if any).
        let from = idx.saturating_sub(1);
        let to = (idx + 2).min(changes.len());
        let run_at = from + usize::from(!kept_before.is_empty());
        let replacement = [
            (!kept_before.is_empty()).then_some(Change::Same(kept_before)),
            Some(moved),
            (!kept_after.is_empty()).then_some(Change::Same(kept_after)),
        ];
        changes.splice(from..to, replacement.into_iter().flatten());
        idx = run_at + 1;
    }
}

/// How well the window `seq[start..start + len]` sits: 2 for each end that falls on a word boundary (next to
/// whitespace or the end of the text), plus 1 when it starts with something other than whitespace.
fn score(seq: &[&str], start: usize, len: usize) -> u8 {
    let space = |token: &str| token.starts_with(char::is_whitespace);
    let end = start + len;
    let clean_start = start == 0 || space(seq[start - 1]) || space(seq[start]);
    let clean_end = end == seq.len() || space(seq[end]) || space(seq[end - 1]);
    2 * u8::from(clean_start) + 2 * u8::from(clean_end) + u8::from(!space(seq[start]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check(old: &str, new: &str, expect: &str) {
        let changes = word_diff(old, new);
        assert_eq!(render_inline(&changes), expect, "{old:?} -> {new:?}");
        assert_eq!(apply(&changes, false), old);
        assert_eq!(apply(&changes, true), new);
    }

    /// The old text (`Same` + `Removed`) or the new one (`Same` + `Added`).
    fn apply(changes: &[Change], new: bool) -> String {
        changes
            .iter()
            .filter(|c| match c {
                Change::Same(_) => true,
                Change::Removed(_) => !new,
                Change::Added(_) => new,
            })
            .map(Change::text)
            .collect()
    }

    /// Tokens removed plus tokens added.
    fn edit_cost(changes: &[Change]) -> usize {
        changes
            .iter()
            .filter(|c| !matches!(c, Change::Same(_)))
            .map(|c| tokenize(c.text()).len())
            .sum()
    }

    /// The shortest edit script's length, by the textbook quadratic LCS table.
    fn shortest_cost(old: &str, new: &str) -> usize {
        let (a, b) = (tokenize(old), tokenize(new));
        let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for i in (0..a.len()).rev() {
            for j in (0..b.len()).rev() {
                lcs[i][j] = if a[i] == b[j] {
                    lcs[i + 1][j + 1] + 1
                } else {
                    lcs[i + 1][j].max(lcs[i][j + 1])
                };
            }
        }
        a.len() + b.len() - 2 * lcs[0][0]
    }

    #[test]
    fn tokens() {
        assert_eq!(
            tokenize(
                "Hello, world!  It’s 3.5°C, 1,000 well-known 'quotes' -- x.\n\nnaïve cafe\u{301}"
            ),
            [
                "Hello",
                ",",
                " ",
                "world",
                "!",
                "  ",
                "It’s",
                " ",
                "3.5",
                "°",
                "C",
                ",",
                " ",
                "1,000",
                " ",
                "well-known",
                " ",
                "'",
                "quotes",
                "'",
                " ",
                "-",
                "-",
                " ",
                "x",
                ".",
                "\n\n",
                "naïve",
                " ",
                "cafe\u{301}"
            ]
        );
        assert_eq!(tokenize(""), Vec::<&str>::new());
        assert_eq!(tokenize("'"), ["'"]);
        assert_eq!(count_words("Hello, world!  It’s 3.5°C"), 5);
        assert_eq!(count_words(" ,. "), 0);
    }

    #[test]
    fn inline_markers() {
        check("", "", "");
        check("same text", "same text", "same text");
        check("", "new words", "{+new words+}");
        check("old words", "", "[-old words-]");
        check("the cat sat", "the dog sat", "the [-cat-]{+dog+} sat");
        check(
            "the cat sat on the mat",
            "a dog sat on a mat",
            "[-the-]{+a+} [-cat-]{+dog+} sat on [-the-]{+a+} mat",
        );
        check("one two three", "one three", "one [-two -]three");
        check("one three", "one two three", "one {+two +}three");
        check(
            "Hello, world.",
            "Hello world!",
            "Hello[-,-] world[-.-]{+!+}",
        );
        check("a  b", "a b", "a[-  -]{+ +}b");
        check(
            "First paragraph.\n\nSecond one.",
            "First paragraph.\n\nSecond, revised one.",
            "First paragraph.\n\nSecond{+, revised+} one.",
        );
    }

    #[test]
    fn runs_slide_to_word_boundaries() {
        check(
            "The minister resigned.",
            "The prime minister resigned.",
            "The {+prime +}minister resigned.",
        );
        check("b c", "a b c", "{+a +}b c");
        check("a b", "a b c", "a b{+ c+}");
        check(
            "with 1,200 jobs.",
            "with 1,250 jobs.\n\nA new closing paragraph.",
            "with [-1,200-]{+1,250+} jobs.{+\n\nA new closing paragraph.+}",
        );
        check(
            "jobs.\n\nAn old closing paragraph.",
            "jobs.",
            "jobs.[-\n\nAn old closing paragraph.-]",
        );
        check("x the cat", "x the the cat", "x {+the +}the cat");
    }

    #[test]
    fn runs_are_merged_and_removed_comes_first() {
        let changes = word_diff("a b c", "x y z");
        assert_eq!(
            changes,
            [
                Change::Removed("a".into()),
                Change::Added("x".into()),
                Change::Same(" ".into()),
                Change::Removed("b".into()),
                Change::Added("y".into()),
                Change::Same(" ".into()),
                Change::Removed("c".into()),
                Change::Added("z".into()),
            ]
        );
        let changes = word_diff("abc,def", "xyz;uvw");
        assert_eq!(
            changes,
            [
                Change::Removed("abc,def".into()),
                Change::Added("xyz;uvw".into())
            ]
        );
    }

    #[test]
    fn summary() {
        let changes = word_diff(
            "The minister resigned on Monday.",
            "The prime minister resigned late on Tuesday!",
        );
        assert_eq!(
            render_inline(&changes),
            "The {+prime +}minister resigned {+late +}on [-Monday.-]{+Tuesday!+}"
        );
        let summary = summarize(&changes);
        assert_eq!(
            summary,
            Summary {
                words_added: 3,
                words_removed: 1,
                changed: true
            }
        );
        assert_eq!(summary.to_string(), "3 words added, 1 removed");
        assert_eq!(summarize(&word_diff("a b", "a b")).to_string(), "no change");
        assert_eq!(
            summarize(&word_diff("a, b", "a; b")).to_string(),
            "spacing or punctuation changed"
        );
    }

    #[test]
    fn hunks_keep_changed_lines_and_their_context() {
        let old = "p1\n\np2\n\np3\n\np4\n\np5\n\np6";
        let new = "p1\n\np2\n\np3 changed\n\np4\n\np5\n\np6";
        let changes = word_diff(old, new);
        assert_eq!(
            render_inline_hunks(&changes, 2),
            "\u{2026} 2 unchanged lines \u{2026}\np2\n\np3{+ changed+}\n\np4\n\u{2026} 4 unchanged lines \u{2026}"
        );
        assert_eq!(render_inline_hunks(&changes, 100), render_inline(&changes));
        assert_eq!(render_inline_hunks(&word_diff(old, old), 2), "");
        // A removed run spanning lines marks every line it touches.
        let changes = word_diff("a\nb\nc\nd\ne", "a\ne");
        assert_eq!(
            render_inline_hunks(&changes, 0),
            "\u{2026} 1 unchanged line \u{2026}\n[-b\nc\nd\n-]e"
        );
    }

    #[test]
    fn a_rewrite_beyond_the_budget_is_replaced_entirely() {
        let old = "keep this. one two three four five six seven eight. and this";
        let new = "keep this. uno dos tres cuatro cinco seis siete ocho. and this";
        let full = word_diff_with_budget(old, new, DEFAULT_BUDGET);
        assert!(!full.replaced_entirely);
        assert_eq!(edit_cost(&full.changes), shortest_cost(old, new));

        let bounded = word_diff_with_budget(old, new, 100);
        assert!(bounded.replaced_entirely);
        assert_eq!(
            render_inline(&bounded.changes),
            "keep this. [-one two three four five six seven eight-]\
             {+uno dos tres cuatro cinco seis siete ocho+}. and this"
        );
        assert_eq!(apply(&bounded.changes, false), old);
        assert_eq!(apply(&bounded.changes, true), new);
    }

    #[test]
    fn a_huge_rewrite_stays_fast() {
        let old: String = (0..200_000).map(|i| format!("w{i} ")).collect();
        let new: String = (0..200_000).map(|i| format!("v{i} ")).collect();
        let started = std::time::Instant::now();
        let diff = word_diff_with_budget(&old, &new, DEFAULT_BUDGET);
        assert!(diff.replaced_entirely);
        assert_eq!(apply(&diff.changes, true), new);
        assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    }

    #[test]
    fn scattered_edits_in_a_long_text_are_found_word_by_word() {
        let old: String = (0..5_000).map(|i| format!("word{} ", i % 97)).collect();
        let new: String = (0..5_000)
            .map(|i| match i % 50 {
                7 => format!("edited{i} "),
                _ => format!("word{} ", i % 97),
            })
            .collect();
        let diff = word_diff_with_budget(&old, &new, DEFAULT_BUDGET);
        assert!(!diff.replaced_entirely);
        assert_eq!(apply(&diff.changes, false), old);
        assert_eq!(apply(&diff.changes, true), new);
        let summary = diff.summary();
        assert_eq!((summary.words_added, summary.words_removed), (100, 100));
    }

    fn text() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "a", "b", "cat", "dog", "é", "日本", " ", "  ", "\n", "\n\n", ",", ".", "’", "[-", "+}",
        ]);
        prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
    }

    /// A text and an edited copy of it, so the two share most tokens.
    fn edited() -> impl Strategy<Value = (String, String)> {
        (
            text(),
            prop::collection::vec((any::<prop::sample::Index>(), 0usize..4, text()), 0..4),
        )
            .prop_map(|(old, edits)| {
                let mut tokens: Vec<String> =
                    tokenize(&old).into_iter().map(str::to_owned).collect();
                for (idx, n_removed, insert) in edits {
                    let at = if tokens.is_empty() {
                        0
                    } else {
                        idx.index(tokens.len() + 1)
                    };
                    let end = (at + n_removed).min(tokens.len());
                    tokens.splice(at..end, [insert]);
                }
                (old, tokens.concat())
            })
    }

    fn assert_well_formed(old: &str, new: &str, changes: &[Change]) -> Result<(), TestCaseError> {
        prop_assert_eq!(apply(changes, false), old);
        prop_assert_eq!(apply(changes, true), new);
        prop_assert!(
            changes.iter().all(|c| !c.text().is_empty()),
            "{:?}",
            changes
        );
        for pair in changes.windows(2) {
            let ok = !matches!(
                (&pair[0], &pair[1]),
                (Change::Same(_), Change::Same(_))
                    | (Change::Removed(_), Change::Removed(_))
                    | (Change::Added(_), Change::Added(_) | Change::Removed(_))
            );
            prop_assert!(ok, "{:?}", changes);
        }
        Ok(())
    }

    proptest! {
        // Failures become table cases instead of a regressions file.
        #![proptest_config(ProptestConfig { failure_persistence: None, cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn applying_the_diff_gives_both_texts_and_is_shortest(old in text(), new in text()) {
            let changes = word_diff(&old, &new);
            assert_well_formed(&old, &new, &changes)?;
            prop_assert_eq!(edit_cost(&changes), shortest_cost(&old, &new));
        }

        #[test]
        fn edits_of_one_text_diff_shortest((old, new) in edited()) {
            let changes = word_diff(&old, &new);
            assert_well_formed(&old, &new, &changes)?;
            prop_assert_eq!(edit_cost(&changes), shortest_cost(&old, &new));
        }

        #[test]
        fn any_budget_still_gives_both_texts((old, new) in edited(), budget in 0u64..400) {
            let diff = word_diff_with_budget(&old, &new, budget);
            assert_well_formed(&old, &new, &diff.changes)?;
            if !diff.replaced_entirely {
                prop_assert_eq!(edit_cost(&diff.changes), shortest_cost(&old, &new));
            }
        }

        #[test]
        fn arbitrary_strings(old in "\\PC{0,60}", new in "\\PC{0,60}") {
            let changes = word_diff(&old, &new);
            assert_well_formed(&old, &new, &changes)?;
            prop_assert_eq!(edit_cost(&changes), shortest_cost(&old, &new));
        }
    }
}
