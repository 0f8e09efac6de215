//! Compact text encodings for the search index, shared with the browser script
//! (`static/search.js` decodes them): posting lists as base-64 variable-length numbers.

/// 64 characters that need no escaping in JSON, URLs or JavaScript strings. The first 32 mark a
/// continuing 5-bit group of a number, the last 32 its final group.
pub const ALPHABET: &[u8; 64] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";

/// Append `n` as 5-bit groups, most significant first.
pub fn push_varint(out: &mut String, n: u32) {
    let mut groups = [0u8; 7];
    let mut len = 0;
    let mut rest = n;
    loop {
        groups[len] = (rest & 31) as u8;
        len += 1;
        rest >>= 5;
        if rest == 0 {
            break;
        }
    }
    for i in (0..len).rev() {
        let g = groups[i] as usize;
        let c = if i == 0 {
            ALPHABET[32 + g]
        } else {
            ALPHABET[g]
        };
        out.push(c as char);
    }
}

/// A posting list: for each unit (ascending) the gap from the previous one, then its impact
/// (1–63) as one character.
pub fn postings(list: &[(u32, u8)]) -> String {
    let mut out = String::with_capacity(list.len() * 2);
    let mut prev = 0;
    for (i, &(unit, impact)) in list.iter().enumerate() {
        let gap = if i == 0 { unit } else { unit - prev };
        push_varint(&mut out, gap);
        out.push(ALPHABET[usize::from(impact.min(63))] as char);
        prev = unit;
    }
    out
}

/// A list of ascending unit numbers as gaps.
pub fn units(list: &[u32]) -> String {
    let mut out = String::with_capacity(list.len() * 2);
    let mut prev = 0;
    for (i, &unit) in list.iter().enumerate() {
        push_varint(&mut out, if i == 0 { unit } else { unit - prev });
        prev = unit;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_varints(s: &str) -> Vec<u32> {
        let mut out = Vec::new();
        let mut n = 0u32;
        for c in s.bytes() {
            let v = ALPHABET.iter().position(|&a| a == c).unwrap() as u32;
            if v < 32 {
                n = (n << 5) | v;
            } else {
                out.push((n << 5) | (v - 32));
                n = 0;
            }
        }
        out
    }

    #[test]
    fn varints_round_trip() {
        let mut s = String::new();
        for n in [0, 1, 31, 32, 1000, 1 << 20, u32::MAX] {
            push_varint(&mut s, n);
        }
        assert_eq!(
            decode_varints(&s),
            vec![0, 1, 31, 32, 1000, 1 << 20, u32::MAX]
        );
    }

    #[test]
    fn small_gaps_take_one_character() {
        assert_eq!(postings(&[(3, 10), (5, 63)]).len(), 4);
        assert_eq!(units(&[3, 5, 40]).len(), 4);
    }
}
