//! Byte searches eight bytes at a time in a `u64` ("SIMD within a register"), shared by the feed reader and
//! the sanitizer's fast path. A mark is the high bit of a byte lane; every mask below is exact up to and
//! including its lowest mark (higher lanes may be marked falsely), which is all a search for the first
//! byte needs.

/// Eight copies of a byte.
pub(crate) const fn splat(b: u8) -> u64 {
    0x0101_0101_0101_0101 * b as u64
}

/// Marks the zero bytes of `word`.
pub(crate) fn zero_bytes(word: u64) -> u64 {
    word.wrapping_sub(splat(1)) & !word & splat(0x80)
}

/// Marks the bytes of `word` equal to `b`.
pub(crate) fn bytes_equal(word: u64, b: u8) -> u64 {
    zero_bytes(word ^ splat(b))
}

/// Marks the bytes of `word` below `n` (at most 0x80).
pub(crate) fn bytes_below(word: u64, n: u8) -> u64 {
    word.wrapping_sub(splat(n)) & !word & splat(0x80)
}

/// Scans `bytes` from `from` eight bytes at a time for the first byte `marks` marks in a little-endian word,
/// and byte by byte in the tail for the first `is_end`; the length (or `from`, if larger) when there is none.
pub(crate) fn find_byte(
    bytes: &[u8],
    from: usize,
    marks: impl Fn(u64) -> u64,
    is_end: impl Fn(u8) -> bool,
) -> usize {
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let found = marks(u64::from_le_bytes(word));
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < bytes.len() && !is_end(bytes[i]) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The word-wise search finds what a byte loop finds.
        #[test]
        fn find_byte_agrees_with_a_byte_loop(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64),
            from in 0usize..70,
        ) {
            let is_end = |b: u8| b == b'<' || b < 0x20 || b == 0xEF;
            let found = find_byte(
                &bytes,
                from,
                |w| bytes_equal(w, b'<') | bytes_below(w, 0x20) | bytes_equal(w, 0xEF),
                is_end,
            );
            let expected = bytes
                .iter()
                .enumerate()
                .skip(from)
                .find(|&(_, &b)| is_end(b))
                .map_or(bytes.len().max(from), |(i, _)| i);
            proptest::prop_assert_eq!(found, expected);
        }
    }
}
