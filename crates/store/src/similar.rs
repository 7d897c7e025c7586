//! Near-duplicate dispatches, for stories: the same story carried by several sources, or republished with small
//! edits, has nearly the same word 3-shingles.
//!
//! Similarity is the Jaccard index of the two dispatches' shingle sets (title and text, folded as in
//! [`crate::text`]). Finding the candidates must not scan the table, so each dispatch also gets a MinHash
//! signature of `BANDS * ROWS` values, cut into `BANDS` bands of `ROWS` values; each band is hashed to one
//! key stored in an indexed column (locality-sensitive hashing), with the number of the dispatch's 28-day window
//! above the hash ([`in_window`]; candidates come from its own window and the two beside it, [`nearby`]). Dispatches that share any band key are
//! candidates, and a candidate joins the story when the exact Jaccard index of the two texts is at least
//! [`SAME_STORY`]. With 8 bands of 2 rows, a pair with Jaccard index `j` shares a band with probability
//! `1 - (1 - j²)⁸`: 0.90 at 0.5, 0.995 at 0.7, 0.9999 at 0.8, while unrelated texts (`j` near 0) almost never do.
//!
//! The keys are stored, so the hash functions below are part of the schema: changing them (or `BANDS`, `ROWS`,
//! the shingle size or the folding) needs a migration that recomputes every key. So are the shingle hashes
//! themselves: each dispatch with band keys also stores its [`Shingles`] ([`Shingles::to_bytes`]), so that a
//! candidate is compared without reading and folding its text again (schema version 5).
//!
//! The band keys are computed from the 64-bit shingle hashes; the sets that are compared (and stored) keep 32
//! bits of each ([`fold32`]), which halves what every dispatch stores (schema version 7). Two distinct shingles
//! of two news-length texts fold to the same 32 bits with a probability of about 10⁻⁴ per pair of texts, and
//! then move their Jaccard index by about 0.002: the stories found are the same. Sets stored before version 7
//! (8 bytes a hash) are folded when read, so no stored value needs rewriting.

use crate::text::Folded;

/// How many band keys a dispatch has (one indexed column each).
pub(crate) const BANDS: usize = 8;
/// How many MinHash values make one band.
const ROWS: usize = 2;
/// Words per shingle.
const SHINGLE_WORDS: usize = 3;
/// Fewer shingles than this (a title of a few words and no text) say too little to match on: such a dispatch
/// gets no band keys and forms a story of its own unless its URL is shared.
const MIN_SHINGLES: usize = 8;
/// The length of a story window, in seconds (28 days); see [`in_window`].
pub(crate) const WINDOW_SECS: i64 = 28 * 86_400;
/// The low bits of a stored band key that come from the band's hash; the bits above them number the window.
const KEY_BITS: u32 = 40;
const KEY_MASK: i64 = (1 << KEY_BITS) - 1;
/// Window numbers are clamped to this magnitude (about 640,000 years either side of 1970), so that shifting
/// them never overflows.
const MAX_WINDOW: i64 = (1 << 22) - 1;
/// How many windows a dispatch looks for its story in: its own and the two beside it ([`nearby`]).
pub(crate) const NEARBY: usize = 3;
/// The least Jaccard index at which two dispatches are one story. A republication with a new headline, an added
/// paragraph and a few corrections scores 0.6–0.85 on news-length texts; different stories on one topic score
/// under 0.1 (they share phrases, rarely three words in a row).
pub(crate) const SAME_STORY: f64 = 0.5;

/// A set of shingle hashes folded to 32 bits ([`fold32`]), kept sorted and without repeats, so that two sets
/// are intersected by one merge.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Shingles(Vec<u32>);

/// The first byte of the stored form of [`Shingles`] since schema version 7. Its length is then 1 more than a
/// multiple of 4, never a multiple of 8 as the earlier form (8 bytes a hash, no marker) always is.
const FOLDED_FORM: u8 = 0x20;

impl Shingles {
    /// How many distinct folded shingles there are.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// The set of the 64-bit shingle hashes `hashes`, folded.
    pub(crate) fn from_hashes(hashes: &[u64]) -> Shingles {
        let mut folded: Vec<u32> = hashes.iter().map(|&h| fold32(h)).collect();
        folded.sort_unstable();
        folded.dedup();
        Shingles(folded)
    }

    /// The stored form: [`FOLDED_FORM`], then each folded hash as 4 little-endian bytes, in ascending order.
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(1 + 4 * self.0.len());
        out.push(FOLDED_FORM);
        for h in &self.0 {
            out.extend_from_slice(&h.to_le_bytes());
        }
        out
    }

    /// The set stored by [`Shingles::to_bytes`], or by schema versions 5 and 6 (each 64-bit hash as 8
    /// little-endian bytes, ascending; folded here), or `None` when `bytes` is neither form.
    pub(crate) fn from_bytes(bytes: &[u8]) -> Option<Shingles> {
        if let Some((&FOLDED_FORM, rest)) = bytes.split_first()
            && rest.len().is_multiple_of(4)
        {
            let folded: Vec<u32> = rest
                .chunks_exact(4)
                .map(|chunk| u32::from_le_bytes(chunk.try_into().expect("chunks of 4")))
                .collect();
            return folded
                .windows(2)
                .all(|pair| pair[0] < pair[1])
                .then_some(Shingles(folded));
        }
        if !bytes.len().is_multiple_of(8) {
            return None;
        }
        let hashes: Vec<u64> = bytes
            .chunks_exact(8)
            .map(|chunk| u64::from_le_bytes(chunk.try_into().expect("chunks of 8")))
            .collect();
        hashes
            .windows(2)
            .all(|pair| pair[0] < pair[1])
            .then(|| Shingles::from_hashes(&hashes))
    }
}

/// 32 bits of a 64-bit shingle hash: its two halves xored, so every bit of the hash counts.
fn fold32(hash: u64) -> u32 {
    ((hash >> 32) ^ hash) as u32
}

/// The shingles of a dispatch's title and text (see [`shingle_hashes`]), folded.
pub(crate) fn shingles(title: &str, text: &str) -> Shingles {
    Shingles::from_hashes(&shingle_hashes(&Folded::new(title), &Folded::new(text)))
}

/// The 64-bit shingle hashes of a dispatch's title and text, from their folded words, sorted and without
/// repeats: every run of three consecutive words (of the title, and of the text, separately), or the whole title
/// or text when it has fewer words.
pub(crate) fn shingle_hashes(title: &Folded, text: &Folded) -> Vec<u64> {
    let mut out = Vec::with_capacity(title.len() + text.len());
    for part in [title, text] {
        let n_words = part.len();
        if n_words == 0 {
            continue;
        }
        if n_words < SHINGLE_WORDS {
            let words: Vec<&str> = part.iter().collect();
            out.push(shingle_hash(&words));
        } else {
            let mut window: [&str; SHINGLE_WORDS] = [""; SHINGLE_WORDS];
            for (idx, word) in part.iter().enumerate() {
                window.rotate_left(1);
                window[SHINGLE_WORDS - 1] = word;
                if idx + 1 >= SHINGLE_WORDS {
                    out.push(shingle_hash(&window));
                }
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The band keys of a dispatch, from its 64-bit shingle hashes ([`shingle_hashes`]: sorted, without repeats), or
/// `None` when there are too few to match on.
pub(crate) fn band_keys(hashes: &[u64]) -> Option<[i64; BANDS]> {
    if hashes.len() < MIN_SHINGLES {
        return None;
    }
    let mut signature = [u64::MAX; BANDS * ROWS];
    for &shingle in hashes {
        for (min, seed) in signature.iter_mut().zip(SEEDS) {
            let value = mix(shingle ^ seed);
            if value < *min {
                *min = value;
            }
        }
    }
    let mut keys = [0; BANDS];
    for (band, key) in keys.iter_mut().enumerate() {
        let mut h = mix(band as u64 ^ 0x6261_6e64); // "band"
        for &value in &signature[band * ROWS..(band + 1) * ROWS] {
            h = mix(h ^ value);
        }
        *key = h as i64;
    }
    Some(keys)
}

/// The band keys as stored for a dispatch whose sort key ([`crate::rows::sort_at`], unix seconds) is `sort_at`:
/// the low [`KEY_BITS`] bits of each band's hash, below the number of its 28-day window ([`WINDOW_SECS`]).
///
/// A near-duplicate is looked for only among dispatches of the same window or the two beside it ([`nearby`]),
/// at least 28 days either side and at most 56. That is where republications are (a wire story is carried
/// within hours or days), and it keeps each band's index growing at one end: the dispatches of one month sit
/// together in it, so storing this month's touches the few pages that hold them however large the store has
/// grown, where a plain hash key put every new dispatch on a page of its own (schema version 10).
pub(crate) fn in_window(keys: [i64; BANDS], sort_at: i64) -> [i64; BANDS] {
    let window = sort_at
        .div_euclid(WINDOW_SECS)
        .clamp(-MAX_WINDOW, MAX_WINDOW);
    keys.map(|key| (window << KEY_BITS) | (key & KEY_MASK))
}

/// The keys to look up for a dispatch with stored keys `keys` ([`in_window`]): the same band hashes in the
/// window before its own, its own, and the one after.
pub(crate) fn nearby(keys: &[i64; BANDS]) -> [[i64; BANDS]; NEARBY] {
    let mut out = [*keys; NEARBY];
    for (step, row) in [-1i64, 0, 1].into_iter().zip(&mut out) {
        for key in row.iter_mut() {
            let window = (*key >> KEY_BITS) + step;
            *key = (window << KEY_BITS) | (*key & KEY_MASK);
        }
    }
    out
}

/// Whether two dispatches' stored keys ([`in_window`]) make them candidates of each other: a band hash shared,
/// in windows at most one apart. What looking up [`nearby`] keys finds, for two dispatches of one batch.
pub(crate) fn share_a_band(a: &[i64; BANDS], b: &[i64; BANDS]) -> bool {
    a.iter()
        .zip(b)
        .any(|(x, y)| x & KEY_MASK == y & KEY_MASK && (x >> KEY_BITS).abs_diff(y >> KEY_BITS) <= 1)
}

/// A band key's hash, without its window: what two near-duplicates stored at once in neighbouring windows
/// still share (PostgreSQL's advisory locks are taken on it).
pub(crate) fn band_hash(key: i64) -> i64 {
    key & KEY_MASK
}

/// The Jaccard index of two shingle sets: shared shingles over all shingles (0 when both are empty).
#[cfg(test)]
pub(crate) fn jaccard(a: &Shingles, b: &Shingles) -> f64 {
    jaccard_above(a, b, |_| true).unwrap_or(0.0)
}

/// How many dispatches one band key may bring as candidates: a key shared by very many dispatches (boilerplate
/// that happens to hold a band's minimum) costs no more than this, and a true near-duplicate almost always shares
/// other keys too.
pub(crate) const CANDIDATES_PER_BAND: usize = 16;

/// The story of the candidate most similar to `shingles`, if any is similar enough (the first of equals: give
/// the candidates, each a story and its shingles, oldest first).
///
/// Most candidates are unrelated texts that happened to share one band key, so each is compared with
/// [`jaccard_above`]: a candidate that can no longer beat the best so far (or reach [`SAME_STORY`]) is left as
/// soon as that is certain, which picks exactly what comparing every candidate in full picks.
pub(crate) fn best_match<'a>(
    shingles: &Shingles,
    candidates: impl IntoIterator<Item = (&'a str, &'a Shingles)>,
) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for (story, theirs) in candidates {
        let beats = |similarity: f64| match best {
            None => similarity >= SAME_STORY,
            Some((b, _)) => similarity > b,
        };
        if let Some(similarity) = jaccard_above(shingles, theirs, beats) {
            best = Some((similarity, story));
        }
    }
    best.map(|(_, story)| story)
}

/// How many merge steps [`jaccard_above`] takes between two checks of its bound.
const BOUND_EVERY: usize = 32;

/// The Jaccard index of `a` and `b` (as [`jaccard`] computes it) when `wanted` accepts it, else `None`; stops
/// early once even sharing every remaining shingle could not give an index that `wanted` accepts. `wanted` must
/// be monotonic: if it accepts an index, it accepts every greater one.
fn jaccard_above(a: &Shingles, b: &Shingles, wanted: impl Fn(f64) -> bool) -> Option<f64> {
    let (a, b) = (&a.0, &b.0);
    // The index that `shared` shingles give, with the same arithmetic as `jaccard`.
    let index = |shared: usize| {
        let all = a.len() + b.len() - shared;
        if all == 0 {
            0.0
        } else {
            shared as f64 / all as f64
        }
    };
    if !wanted(index(a.len().min(b.len()))) {
        return None;
    }
    let (mut i, mut j, mut shared) = (0, 0, 0);
    let mut next_check = BOUND_EVERY;
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
        if i + j >= next_check {
            next_check = i + j + BOUND_EVERY;
            let most = shared + (a.len() - i).min(b.len() - j);
            if !wanted(index(most)) {
                return None;
            }
        }
    }
    let similarity = index(shared);
    wanted(similarity).then_some(similarity)
}

/// FNV-1a over the shingle's words, with a separator that cannot occur in a word.
fn shingle_hash(words: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (idx, word) in words.iter().enumerate() {
        if idx > 0 {
            h ^= 0x1f;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        for &b in word.as_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// SplitMix64's finalizer: a bijection on `u64` that scatters every input bit over the output.
const fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// One seed per MinHash function: `mix(seed ^ shingle)` orders the shingles differently for each.
const SEEDS: [u64; BANDS * ROWS] = {
    let mut seeds = [0; BANDS * ROWS];
    let mut idx = 0;
    while idx < BANDS * ROWS {
        seeds[idx] = mix(0x6d69_6e68_6173_6800 + idx as u64); // "minhash"
        idx += 1;
    }
    seeds
};

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;

    #[test]
    fn stored_keys_number_their_window_above_the_band_hash() {
        let hashes = [0x0123_4567_89ab_cdef, -1, 0, i64::MIN, i64::MAX, 42, 7, -7];
        for sort_at in [
            0,
            1,
            WINDOW_SECS - 1,
            WINDOW_SECS,
            1_343_128_200,
            -1,
            -WINDOW_SECS,
            -WINDOW_SECS - 1,
        ] {
            let keys = in_window(hashes, sort_at);
            for (key, hash) in keys.iter().zip(hashes) {
                assert_eq!(band_hash(*key), hash & KEY_MASK);
                assert_eq!(
                    key >> KEY_BITS,
                    sort_at.div_euclid(WINDOW_SECS),
                    "{sort_at}"
                );
            }
            assert_eq!(
                in_window(keys, sort_at),
                keys,
                "rewriting a stored key changes nothing"
            );
        }
        // Far outside any real date, windows are clamped rather than overflowing.
        for sort_at in [i64::MIN, i64::MAX] {
            for key in in_window(hashes, sort_at) {
                assert_eq!((key >> KEY_BITS).abs(), MAX_WINDOW);
            }
        }
    }

    #[test]
    fn nearby_keys_are_the_windows_before_and_after_and_their_own() {
        let keys = in_window([1, 2, 3, 4, 5, 6, 7, -8], 100 * WINDOW_SECS + 5);
        let [before, own, after] = nearby(&keys);
        assert_eq!(own, keys);
        assert_eq!(before, in_window(keys, 99 * WINDOW_SECS));
        assert_eq!(after, in_window(keys, 101 * WINDOW_SECS));
        let at_zero = in_window([9; BANDS], 0);
        assert_eq!(nearby(&at_zero)[0], in_window([9; BANDS], -1));
    }

    #[test]
    fn a_band_is_shared_within_one_window_either_side() {
        let hashes = [11, 12, 13, 14, 15, 16, 17, 18];
        let mut other = [21, 22, 23, 24, 25, 26, 27, 28];
        let at = |keys, days: i64| in_window(keys, 1_343_128_200 + days * DAY);
        assert!(share_a_band(&at(hashes, 0), &at(hashes, 0)));
        assert!(
            !share_a_band(&at(hashes, 0), &at(other, 0)),
            "no hash shared"
        );
        other[5] = 16;
        for days in [-28, -1, 0, 1, 27, 28] {
            assert!(
                share_a_band(&at(hashes, 0), &at(other, days)),
                "{days} days apart"
            );
            // What looking up the nearby keys of one finds of the other, stored.
            let looked_up = nearby(&at(hashes, 0))
                .iter()
                .any(|near| near[5] == at(other, days)[5]);
            assert!(looked_up, "{days} days apart");
        }
        for days in [-57, 57, 365] {
            assert!(
                !share_a_band(&at(hashes, 0), &at(other, days)),
                "{days} days apart"
            );
            let looked_up = nearby(&at(hashes, 0))
                .iter()
                .any(|near| near[5] == at(other, days)[5]);
            assert!(!looked_up, "{days} days apart");
        }
    }

    #[test]
    fn shingles_are_word_triples_of_title_and_text_apart() {
        let s = shingles("One two", "a b c d");
        // The title whole (fewer than three words), then "a b c" and "b c d".
        assert_eq!(s.len(), 3);
        assert_eq!(
            shingles("ONE two", "A b, c d."),
            s,
            "folded, punctuation ignored"
        );
        assert_eq!(shingles("", "").len(), 0);
    }

    /// The 64-bit shingle hashes of a title and a text.
    fn hashes(title: &str, text: &str) -> Vec<u64> {
        shingle_hashes(&Folded::new(title), &Folded::new(text))
    }

    #[test]
    fn small_texts_get_no_keys() {
        assert_eq!(band_keys(&hashes("Morning briefing", "Read more.")), None);
        let long = hashes(
            "A headline of several words",
            "and a body with a few more words in it",
        );
        assert!(band_keys(&long).is_some());
    }

    #[test]
    fn keys_are_stable() {
        // Stored in databases: these values must never change without a migration.
        let keys = band_keys(&hashes(
            "Storm hits the coast",
            "A storm hit the northern coast on Monday, cutting power to thousands of homes.",
        ))
        .unwrap();
        assert_eq!(keys, KEYS_PINNED);
    }

    const KEYS_PINNED: [i64; BANDS] = [
        9137962671227732197,
        7287532495796548982,
        7775944507673003859,
        6076176516367504060,
        -723165344850202587,
        -1793198168594463511,
        -8383214123881930868,
        757291176238629758,
    ];

    #[test]
    fn the_most_similar_candidate_wins_and_dissimilar_ones_never() {
        let text = "A storm hit the northern coast on Monday, cutting power to thousands of homes and closing \
                    schools.";
        let own = shingles("Storm hits the coast", text);
        let edited = text.replace("thousands", "tens of thousands");
        let other = shingles(
            "Markets fall",
            "Shares fell sharply on Monday in Asia and Europe.",
        );
        let edited = shingles("Storm hits the coast", &edited);
        let same = shingles("Storm hits the coast", text);
        let found = best_match(
            &own,
            [
                ("other", &other),
                ("edited", &edited),
                ("same", &same),
                ("again", &same),
            ],
        );
        assert_eq!(found, Some("same"));
        let other = shingles("Markets fall", "Shares fell on Monday.");
        assert_eq!(best_match(&own, [("other", &other)]), None);
    }

    /// Comparing every candidate in full, as `best_match` did before it learnt to stop early.
    fn best_match_in_full<'a>(
        own: &Shingles,
        candidates: &[(&'a str, Shingles)],
    ) -> Option<&'a str> {
        let mut best: Option<(f64, &str)> = None;
        for (story, theirs) in candidates {
            let (a, b) = (&own.0, &theirs.0);
            let shared = a.iter().filter(|h| b.binary_search(h).is_ok()).count();
            let all = a.len() + b.len() - shared;
            let similarity = if all == 0 {
                0.0
            } else {
                shared as f64 / all as f64
            };
            if similarity >= SAME_STORY && best.is_none_or(|(b, _)| similarity > b) {
                best = Some((similarity, story));
            }
        }
        best.map(|(_, story)| story)
    }

    #[test]
    fn stopping_early_picks_what_comparing_in_full_picks() {
        // A fixed xorshift stream: sets that share a varying part of a common pool, of varying sizes, so that
        // candidates fall below, at and above the threshold and tie with each other.
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let names: Vec<String> = (0..12).map(|n| format!("s{n}")).collect();
        let mut picked = [0_usize; 2];
        for _ in 0..400 {
            let pool: Vec<u64> = (0..(next() % 300 + 1)).map(|_| next()).collect();
            let draw = |next: &mut dyn FnMut() -> u64| {
                let keep = next() % 101;
                let mut own: Vec<u64> = pool
                    .iter()
                    .copied()
                    .filter(|_| next() % 100 < keep)
                    .collect();
                own.extend((0..next() % 120).map(|_| next()));
                Shingles::from_hashes(&own)
            };
            let own = draw(&mut next);
            // Half the rounds have exact copies among the candidates (ties at 1.0), half none.
            let copies = next() % 2 == 0;
            let candidates: Vec<(&str, Shingles)> = names
                .iter()
                .map(|n| {
                    let s = if copies && next() % 6 == 0 {
                        own.clone()
                    } else {
                        draw(&mut next)
                    };
                    (n.as_str(), s)
                })
                .collect();
            let expected = best_match_in_full(&own, &candidates);
            let got = best_match(&own, candidates.iter().map(|(n, s)| (*n, s)));
            assert_eq!(got, expected);
            picked[usize::from(expected.is_some())] += 1;
        }
        // Both outcomes were exercised.
        assert!(picked[0] > 20 && picked[1] > 20, "{picked:?}");
    }

    #[test]
    fn identical_texts_share_every_key_and_score_one() {
        let a = shingles(
            "Storm hits the coast",
            "A storm hit the northern coast on Monday.",
        );
        let b = shingles(
            "Storm hits the coast",
            "A storm hit the northern coast on Monday.",
        );
        let keys = |title, text| band_keys(&hashes(title, text));
        assert_eq!(
            keys(
                "Storm hits the coast",
                "A storm hit the northern coast on Monday."
            ),
            keys(
                "Storm hits the coast",
                "A storm hit the northern coast on Monday."
            )
        );
        assert_eq!(jaccard(&a, &b), 1.0);
        assert_eq!(jaccard(&a, &Shingles::default()), 0.0);
        assert_eq!(jaccard(&Shingles::default(), &Shingles::default()), 0.0);
    }

    #[test]
    fn jaccard_counts_shared_and_all_shingles() {
        let a = Shingles::from_hashes(&[1, 2, 3, 4]);
        let b = Shingles::from_hashes(&[3, 4, 5, 6, 7, 8]);
        // 2 shared of 8.
        assert_eq!(jaccard(&a, &b), 0.25);
        assert_eq!(jaccard(&b, &a), 0.25);
    }

    #[test]
    fn stored_shingles_round_trip_and_junk_is_refused() {
        let s = shingles(
            "Storm hits the coast",
            "A storm hit the northern coast on Monday.",
        );
        let bytes = s.to_bytes();
        assert_eq!(bytes.len(), 1 + 4 * s.len());
        assert_eq!(Shingles::from_bytes(&bytes), Some(s.clone()));
        assert_eq!(Shingles::from_bytes(&[1, 2, 3]), None);
        let unsorted = [2_u64, 1]
            .iter()
            .flat_map(|h| h.to_le_bytes())
            .collect::<Vec<_>>();
        assert_eq!(Shingles::from_bytes(&unsorted), None);
        assert_eq!(Shingles::from_bytes(&[]), Some(Shingles::default()));
        assert_eq!(Shingles::default().to_bytes(), [FOLDED_FORM]);
        assert_eq!(
            Shingles::from_bytes(&[FOLDED_FORM]),
            Some(Shingles::default())
        );
        // The form of schema versions 5 and 6 (every 64-bit hash) reads as the same folded set.
        let full = hashes(
            "Storm hits the coast",
            "A storm hit the northern coast on Monday.",
        );
        let old: Vec<u8> = full.iter().flat_map(|h| h.to_le_bytes()).collect();
        assert_eq!(Shingles::from_bytes(&old), Some(s));
    }
}
