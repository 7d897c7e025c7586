//! Near-duplicate dispatches, for stories: the same story carried by several sources, or republished with small
//! edits, has nearly the same word 3-shingles.
//!
//! Similarity is the Jaccard index of the two dispatches' shingle sets (title and text, folded as in
//! [`crate::text`]). Finding the candidates must not scan the table, so each dispatch also gets a MinHash
//! signature of `BANDS * ROWS` values, cut into `BANDS` bands of `ROWS` values; each band is hashed to one
//! 64-bit key stored in an indexed column (locality-sensitive hashing). Dispatches that share any band key are
//! candidates, and a candidate joins the story when the exact Jaccard index of the two texts is at least
//! [`SAME_STORY`]. With 8 bands of 2 rows, a pair with Jaccard index `j` shares a band with probability
//! `1 - (1 - j²)⁸`: 0.90 at 0.5, 0.995 at 0.7, 0.9999 at 0.8, while unrelated texts (`j` near 0) almost never do.
//!
//! The keys are stored, so the hash functions below are part of the schema: changing them (or `BANDS`, `ROWS`,
//! the shingle size or the folding) needs a migration that recomputes every key. So are the shingle hashes
//! themselves: each dispatch with band keys also stores its [`Shingles`] ([`Shingles::to_bytes`]), so that a
//! candidate is compared without reading and folding its text again (schema version 5).

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
/// The least Jaccard index at which two dispatches are one story. A republication with a new headline, an added
/// paragraph and a few corrections scores 0.6–0.85 on news-length texts; different stories on one topic score
/// under 0.1 (they share phrases, rarely three words in a row).
pub(crate) const SAME_STORY: f64 = 0.5;

/// A set of shingle hashes, kept sorted and without repeats, so that two sets are intersected by one merge.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Shingles(Vec<u64>);

impl Shingles {
    /// How many distinct shingles there are.
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// The stored form: each hash as 8 little-endian bytes, in ascending order.
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|h| h.to_le_bytes()).collect()
    }

    /// The set stored by [`Shingles::to_bytes`], or `None` when `bytes` is not such a form.
    pub(crate) fn from_bytes(bytes: &[u8]) -> Option<Shingles> {
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
            .then_some(Shingles(hashes))
    }
}

impl FromIterator<u64> for Shingles {
    fn from_iter<I: IntoIterator<Item = u64>>(iter: I) -> Shingles {
        let mut hashes: Vec<u64> = iter.into_iter().collect();
        hashes.sort_unstable();
        hashes.dedup();
        Shingles(hashes)
    }
}

/// The shingle hashes of a dispatch's title and text: every run of three consecutive words (of the title, and
/// of the text, separately), or the whole title or text when it has fewer words.
pub(crate) fn shingles(title: &str, text: &str) -> Shingles {
    shingles_of(&Folded::new(title), &Folded::new(text))
}

/// [`shingles`] from the folded words of a title and of a text.
pub(crate) fn shingles_of(title: &Folded, text: &Folded) -> Shingles {
    let mut out = Vec::new();
    for part in [title, text] {
        let folded: Vec<&str> = part.iter().collect();
        if folded.is_empty() {
            continue;
        }
        if folded.len() < SHINGLE_WORDS {
            out.push(shingle_hash(&folded));
        } else {
            out.extend(folded.windows(SHINGLE_WORDS).map(shingle_hash));
        }
    }
    out.into_iter().collect()
}

/// The band keys of a shingle set, or `None` when it is too small to match on.
pub(crate) fn band_keys(shingles: &Shingles) -> Option<[i64; BANDS]> {
    if shingles.len() < MIN_SHINGLES {
        return None;
    }
    let mut signature = [u64::MAX; BANDS * ROWS];
    for &shingle in &shingles.0 {
        for (idx, min) in signature.iter_mut().enumerate() {
            let value = mix(shingle ^ SEEDS[idx]);
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

/// The Jaccard index of two shingle sets: shared shingles over all shingles (0 when both are empty).
pub(crate) fn jaccard(a: &Shingles, b: &Shingles) -> f64 {
    let (a, b) = (&a.0, &b.0);
    let (mut i, mut j, mut shared) = (0, 0, 0);
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
    }
    let all = a.len() + b.len() - shared;
    if all == 0 {
        0.0
    } else {
        shared as f64 / all as f64
    }
}

/// How many dispatches one band key may bring as candidates: a key shared by very many dispatches (boilerplate
/// that happens to hold a band's minimum) costs no more than this, and a true near-duplicate almost always shares
/// other keys too.
pub(crate) const CANDIDATES_PER_BAND: usize = 16;

/// The story of the candidate most similar to `shingles`, if any is similar enough (the first of equals: give
/// the candidates, each a story and its shingles, oldest first).
pub(crate) fn best_match<'a>(
    shingles: &Shingles,
    candidates: impl IntoIterator<Item = (&'a str, &'a Shingles)>,
) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for (story, theirs) in candidates {
        let similarity = jaccard(shingles, theirs);
        if similarity >= SAME_STORY && best.is_none_or(|(b, _)| similarity > b) {
            best = Some((similarity, story));
        }
    }
    best.map(|(_, story)| story)
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

    #[test]
    fn small_texts_get_no_keys() {
        assert_eq!(band_keys(&shingles("Morning briefing", "Read more.")), None);
        let long = shingles(
            "A headline of several words",
            "and a body with a few more words in it",
        );
        assert!(band_keys(&long).is_some());
    }

    #[test]
    fn keys_are_stable() {
        // Stored in databases: these values must never change without a migration.
        let keys = band_keys(&shingles(
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
        assert_eq!(band_keys(&a), band_keys(&b));
        assert_eq!(jaccard(&a, &b), 1.0);
        assert_eq!(jaccard(&a, &Shingles::default()), 0.0);
        assert_eq!(jaccard(&Shingles::default(), &Shingles::default()), 0.0);
    }

    #[test]
    fn jaccard_counts_shared_and_all_shingles() {
        let a: Shingles = [1, 2, 3, 4].into_iter().collect();
        let b: Shingles = [3, 4, 5, 6, 7, 8].into_iter().collect();
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
        assert_eq!(bytes.len(), 8 * s.len());
        assert_eq!(Shingles::from_bytes(&bytes), Some(s));
        assert_eq!(Shingles::from_bytes(&[1, 2, 3]), None);
        let unsorted = [2_u64, 1]
            .iter()
            .flat_map(|h| h.to_le_bytes())
            .collect::<Vec<_>>();
        assert_eq!(Shingles::from_bytes(&unsorted), None);
        assert_eq!(Shingles::from_bytes(&[]), Some(Shingles::default()));
    }
}
