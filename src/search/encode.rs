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
pub fn push_address(out: &mut String, prev: Option<Address>, at: Address) {
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
    let mut out = PostingList::with_capacity(list.len());
    for (at, weight) in list {
        out.push(at, weight);
    }
    out.finish()
}

/// A posting list (as `postings` writes it) made one unit at a time, so the build never holds
/// the lists unencoded: at 10,000 reports those took 8 bytes a posting, 600 MB in all.
#[derive(Default)]
pub struct PostingList {
    out: String,
    prev: Option<Address>,
}

impl PostingList {
    /// A list expected to hold about `units` postings.
    pub fn with_capacity(units: usize) -> PostingList {
        PostingList {
            out: String::with_capacity(units * 2),
            prev: None,
        }
    }

    /// Add the unit at `at` (after every unit added before it) with its term weight.
    pub fn push(&mut self, at: Address, weight: u8) {
        push_address(&mut self.out, self.prev, at);
        self.out.push(ALPHABET[usize::from(weight.min(63))] as char);
        self.prev = Some(at);
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// Where a stem occurs in one unit (ascending word places, stop words counted but never listed),
/// appended to a stem's places list: the first as its place plus one, later ones as the gap from
/// the one before, each times two plus one when another follows; a unit where the stem occurs
/// only as stop words is a single 0. A phrase holds where its words' places follow on.
pub fn push_places(out: &mut String, places: &[u32]) {
    let Some(&first) = places.first() else {
        push_varint(out, 0);
        return;
    };
    let mut prev = first;
    push_varint(out, ((first + 1) << 1) | u32::from(places.len() > 1));
    for (i, &at) in places.iter().enumerate().skip(1) {
        push_varint(out, ((at - prev) << 1) | u32::from(i + 1 < places.len()));
        prev = at;
    }
}

/// One unit's places when the stem stands there only as stop words: `push_places` of none.
pub const NO_PLACES: &str = "w";

/// Whether a stem's places list says only "no places" (a stem written only as stop words).
pub fn no_places(list: &str) -> bool {
    list.bytes().all(|b| b == NO_PLACES.as_bytes()[0])
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

/// The value of one character of `ALPHABET`.
fn value(c: u8) -> Option<u32> {
    match VALUES[usize::from(c)] {
        NOT_A_DIGIT => None,
        v => Some(u32::from(v)),
    }
}

/// Each byte's value as a character of `ALPHABET`: a table, as reading lists back looks up
/// every character of them.
const VALUES: [u8; 256] = {
    let mut table = [NOT_A_DIGIT; 256];
    let mut i = 0;
    while i < ALPHABET.len() {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table
};
const NOT_A_DIGIT: u8 = u8::MAX;

/// Reads back what `push_varint` wrote, for updating an earlier build's lists in place.
struct Varints<'a> {
    text: &'a [u8],
    at: usize,
}

impl Varints<'_> {
    fn number(&mut self) -> Option<u32> {
        let mut n: u64 = 0;
        loop {
            let v = value(*self.text.get(self.at)?)?;
            self.at += 1;
            n = (n << 5) | u64::from(v & 31);
            if n > u64::from(u32::MAX) {
                return None;
            }
            if v >= 32 {
                return u32::try_from(n).ok();
            }
        }
    }

    fn done(&self) -> bool {
        self.at >= self.text.len()
    }
}

/// A posting list (as `postings` writes it) read back: each unit's address and term weight.
/// `None` when it is damaged.
pub fn read_postings(list: &str) -> Option<Vec<(Address, u8)>> {
    let mut read = Postings::new(list);
    let out = read.by_ref().collect();
    (!read.damaged).then_some(out)
}

/// A posting list read one posting at a time, so that walking a long list does not hold it
/// decoded: at 10,000 reports the lists a phrase file reads took half a gigabyte decoded.
pub struct Postings<'a> {
    r: Varints<'a>,
    prev: Option<Address>,
    /// Whether reading stopped at a damaged posting rather than at the end.
    pub damaged: bool,
}

impl<'a> Postings<'a> {
    pub fn new(list: &'a str) -> Postings<'a> {
        Postings::resume(list, (0, None))
    }

    /// Where reading stands: the byte of the next posting, and the address before it. `resume`
    /// reads on from there.
    pub fn position(&self) -> (usize, Option<Address>) {
        (self.r.at, self.prev)
    }

    /// Read `list` on from a `position` taken while reading it.
    pub fn resume(list: &'a str, (at, prev): (usize, Option<Address>)) -> Postings<'a> {
        Postings {
            r: Varints {
                text: list.as_bytes(),
                at,
            },
            prev,
            damaged: false,
        }
    }

    fn read(&mut self) -> Option<(Address, u8)> {
        let n = self.r.number()?;
        let at = if n & 1 == 1 {
            (
                self.prev.map_or(0, |p| p.0).checked_add(n >> 1)?,
                self.r.number()?,
            )
        } else {
            let (doc, unit) = self.prev?;
            (doc, unit.checked_add((n >> 1) + 1)?)
        };
        let weight = value(*self.r.text.get(self.r.at)?)? as u8;
        self.r.at += 1;
        self.prev = Some(at);
        Some((at, weight))
    }
}

impl Iterator for Postings<'_> {
    type Item = (Address, u8);

    fn next(&mut self) -> Option<(Address, u8)> {
        if self.damaged || self.r.done() {
            return None;
        }
        let posting = self.read();
        self.damaged = posting.is_none();
        posting
    }
}

/// A stem's places list (as `push_places` writes it) cut into each unit's part, in order.
/// `None` when it is damaged.
pub fn split_places(list: &str) -> Option<Vec<&str>> {
    let mut read = UnitRuns::new(list);
    let out = read.by_ref().collect();
    (!read.damaged).then_some(out)
}

/// A stem's places list read one unit's part at a time (see `Postings`).
pub struct UnitRuns<'a> {
    r: Varints<'a>,
    list: &'a str,
    /// Whether reading stopped at a damaged part rather than at the end.
    pub damaged: bool,
}

impl<'a> UnitRuns<'a> {
    pub fn new(list: &'a str) -> UnitRuns<'a> {
        UnitRuns::resume(list, 0)
    }

    /// Where the next unit's part starts, while there is one to read; `resume` reads on from
    /// there.
    pub fn position(&self) -> Option<usize> {
        (!self.damaged && !self.r.done()).then_some(self.r.at)
    }

    /// Read `list` on from a `position` taken while reading it.
    pub fn resume(list: &'a str, at: usize) -> UnitRuns<'a> {
        UnitRuns {
            r: Varints {
                text: list.as_bytes(),
                at,
            },
            list,
            damaged: false,
        }
    }

    fn read(&mut self) -> Option<&'a str> {
        let start = self.r.at;
        // A part ends with its first number whose last bit is clear (see `push_places`), and a
        // number ends at its first character of value 32 or more, whose last bit is the
        // number's: so a part is found without working out its numbers, unless one is long
        // enough to need `number`'s check that it fits.
        let mut number_start = start;
        loop {
            let v = value(*self.r.text.get(self.r.at)?)?;
            self.r.at += 1;
            if v >= 32 {
                if v & 1 == 0 {
                    break;
                }
                number_start = self.r.at;
            } else if self.r.at - number_start >= 6 {
                self.r.at = number_start;
                if self.r.number()? & 1 == 0 {
                    break;
                }
                number_start = self.r.at;
            }
        }
        self.list.get(start..self.r.at)
    }
}

impl<'a> Iterator for UnitRuns<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.damaged || self.r.done() {
            return None;
        }
        let run = self.read();
        self.damaged = run.is_none();
        run
    }
}

/// A stem's places list as `push_places` wrote it: each unit's word places.
pub fn read_places(s: &str) -> Option<UnitPlaces> {
    let mut out = UnitPlaces::default();
    read_places_into(s, &mut out)?;
    Some(out)
}

/// `read_places` into `out`, emptied first, so that reading many lists reuses its memory; `out`
/// is left empty when `s` is damaged.
pub fn read_places_into(s: &str, out: &mut UnitPlaces) -> Option<()> {
    out.places.clear();
    out.ends.clear();
    let read = read_places_onto(s, out);
    if read.is_none() {
        out.places.clear();
        out.ends.clear();
    }
    read
}

fn read_places_onto(s: &str, out: &mut UnitPlaces) -> Option<()> {
    let mut r = Varints {
        text: s.as_bytes(),
        at: 0,
    };
    while !r.done() {
        let n = r.number()?;
        if n > 0 {
            let mut at = (n >> 1) - 1;
            out.places.push(at);
            let mut more = n & 1 == 1;
            while more {
                let n = r.number()?;
                at = at.checked_add(n >> 1)?;
                out.places.push(at);
                more = n & 1 == 1;
            }
        }
        out.ends.push(out.places.len() as u32);
    }
    Some(())
}

/// A places list read back: each unit's places, in one vector rather than one a unit, as the
/// list of a common word names hundreds of thousands of units.
#[derive(Debug, Default, PartialEq)]
pub struct UnitPlaces {
    places: Vec<u32>,
    /// Where each unit's places end in `places`.
    ends: Vec<u32>,
}

impl UnitPlaces {
    /// The places in the list's `i`th unit (none past its end).
    pub fn unit(&self, i: usize) -> &[u32] {
        let start = match i.checked_sub(1) {
            Some(before) => self.ends.get(before).map_or(usize::MAX, |&e| e as usize),
            None => 0,
        };
        let end = self.ends.get(i).map_or(0, |&e| e as usize);
        self.places.get(start..end).unwrap_or_default()
    }

    /// How many units the list holds.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.ends.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_varints(s: &str) -> Vec<u32> {
        let mut r = Varints {
            text: s.as_bytes(),
            at: 0,
        };
        let mut out = Vec::new();
        while !r.done() {
            out.push(r.number().unwrap());
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
        let weighted: Vec<(Address, u8)> = list.iter().map(|&a| (a, 7)).collect();
        assert_eq!(
            read_postings(&postings(weighted.iter().copied())),
            Some(weighted)
        );
    }

    fn decode_places(s: &str) -> Vec<Vec<u32>> {
        let read = read_places(s).unwrap();
        (0..read.len()).map(|i| read.unit(i).to_vec()).collect()
    }

    #[test]
    fn places_round_trip_per_unit() {
        let units: Vec<Vec<u32>> = vec![vec![0], vec![], vec![3, 4, 90, 2000], vec![15], vec![]];
        let mut s = String::new();
        for u in &units {
            push_places(&mut s, u);
        }
        assert_eq!(decode_places(&s), units);
        let read = read_places(&s).unwrap();
        assert!(read.unit(units.len()).is_empty() && read.unit(usize::MAX).is_empty());
        let mut one = String::new();
        push_places(&mut one, &[14]);
        assert_eq!(one.len(), 1, "an early single place takes one character");
    }

    #[test]
    fn small_gaps_take_one_character() {
        assert_eq!(postings([((0, 3), 10), ((0, 5), 63)].into_iter()).len(), 5);
        assert_eq!(units(&[(2, 3), (2, 5), (2, 20)]).len(), 4);
    }

    #[test]
    fn postings_and_places_read_back() {
        let list = [
            ((0, 0), 5),
            ((0, 1), 63),
            ((0, 40), 1),
            ((3, 2), 0),
            ((900, 5000), 32),
        ];
        assert_eq!(
            read_postings(&postings(list.into_iter())),
            Some(list.to_vec())
        );
        assert_eq!(read_postings(""), Some(vec![]));
        assert_eq!(read_postings("1"), None, "cut short");
        // Places far enough apart to take six and seven characters, the most a number takes.
        let units: Vec<Vec<u32>> = vec![
            vec![0],
            vec![],
            vec![3, 4, 90, 2000],
            vec![],
            vec![1 << 29, (1 << 29) + 1 + (1 << 30)],
            vec![7],
        ];
        let mut s = String::new();
        let mut parts = Vec::new();
        for u in &units {
            let mut one = String::new();
            push_places(&mut one, u);
            s.push_str(&one);
            parts.push(one);
        }
        assert_eq!(
            split_places(&s),
            Some(parts.iter().map(String::as_str).collect())
        );
        assert_eq!(split_places("0"), None, "a number without its last group");
        assert_eq!(split_places("0!"), None, "a character not of the alphabet");
        // Eight characters: more than 32 bits.
        assert_eq!(split_places("vvvvvvvW"), None, "a number too large");
        assert_eq!(
            split_places("0000000W"),
            Some(vec!["0000000W"]),
            "leading zeros fit"
        );
        let mut none = String::new();
        push_places(&mut none, &[]);
        assert_eq!(none, NO_PLACES);
    }
}
