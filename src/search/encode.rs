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

/// Where a unit is: its document's number (oldest first) and its place within the document.
/// Addresses of units in unchanged documents never move, so neither do their postings' bytes.
pub type Address = (u32, u32);

/// Append `at`, after `prev` (the list's previous address, ascending): a unit in the same
/// document as its gap less one, times two; a unit in another document as its document's gap
/// times two plus one, then its place. Most lists' gaps take one character.
fn push_address(out: &mut String, prev: Option<Address>, at: Address) {
    match prev {
        Some((doc, unit)) if doc == at.0 => push_varint(out, (at.1 - unit - 1) << 1),
        _ => {
            let gap = at.0 - prev.map_or(0, |p| p.0);
            push_varint(out, (gap << 1) | 1);
            push_varint(out, at.1);
        }
    }
}

/// A posting list: for each unit (ascending) its address, then its term weight (1–63) as one
/// character.
pub fn postings(list: impl ExactSizeIterator<Item = (Address, u8)>) -> String {
    let mut out = String::with_capacity(list.len() * 2);
    let mut prev = None;
    for (at, weight) in list {
        push_address(&mut out, prev, at);
        out.push(ALPHABET[usize::from(weight.min(63))] as char);
        prev = Some(at);
    }
    out
}

/// A list of ascending unit addresses.
pub fn units(list: &[Address]) -> String {
    let mut out = String::with_capacity(list.len() * 2);
    let mut prev = None;
    for &at in list {
        push_address(&mut out, prev, at);
        prev = Some(at);
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

    /// The reading `static/search.js` does, here for the tests.
    fn decode_addresses(s: &str) -> Vec<Address> {
        let numbers = decode_varints(s);
        let mut out = Vec::new();
        let (mut doc, mut unit) = (0, 0);
        let mut at = numbers.iter();
        while let Some(&n) = at.next() {
            if n & 1 == 1 {
                doc += n >> 1;
                unit = *at.next().unwrap();
            } else {
                unit += (n >> 1) + 1;
            }
            out.push((doc, unit));
        }
        out
    }

    #[test]
    fn addresses_round_trip() {
        let list = [
            (0, 0),
            (0, 1),
            (0, 40),
            (3, 2),
            (3, 3),
            (900, 5000),
            (901, 0),
        ];
        assert_eq!(decode_addresses(&units(&list)), list);
    }

    #[test]
    fn small_gaps_take_one_character() {
        assert_eq!(postings([((0, 3), 10), ((0, 5), 63)].into_iter()).len(), 5);
        assert_eq!(units(&[(2, 3), (2, 5), (2, 20)]).len(), 4);
    }
}
