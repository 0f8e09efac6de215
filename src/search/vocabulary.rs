//! Words to postings: every unit's text cut into words, each distinct word stemmed once, and each
//! unit's weighted stem counts turned into BM25 postings.
//!
//! Reports are cut in parallel, each numbering its own words; the numberings are then merged in
//! report order and stems sorted at the end, so ids never depend on thread timing.

use std::borrow::Cow;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::Unit;
use super::encode::{self, Address, PostingList};
use super::tokens::{self, WordStemmer};
use crate::site::cache::{Entries, Previous, bytes};

/// A heading's words count for less than the unit's own text.
const HEADING_WEIGHT: f32 = 0.3;
/// BM25 parameters (the usual defaults).
const K1: f32 = 1.2;
const B: f32 = 0.5;
/// The unit length BM25 normalises by. A fixed figure rather than this archive's mean, so that a
/// unit's weights depend on that unit alone and a changed report leaves other postings as they
/// were; the mean weighted length of the seeds' units and of synthetic archives is 48–51.
const PIVOT_LENGTH: f32 = 50.0;
/// Recommendations matter more to a reader than a passing mention.
const RECOMMENDATION_BOOST: f32 = 1.25;
/// The largest term weight: a word many times in a short recommendation.
const MAX_WEIGHT: f32 = (K1 + 1.0) * RECOMMENDATION_BOOST;

/// A report's units' (stem or word id, weighted count) pairs: words ascending by id in each unit,
/// stems in the order of their first word.
type ReportCounts = Rows<(u32, f32)>;
/// Per stem (by id), its posting list and its places. The list names the units the stem occurs
/// in, ascending, each with the stem's BM25 term weight there quantised to 1–63; the browser
/// multiplies it by the stem's IDF, which it works out from the list's length and the number of
/// units. The places (`encode::push_places`) say where in each of those units, for phrase checks.
type Lists = (Vec<String>, Vec<String>);

/// Reports cut together, whose cache entries are handed on together and whose postings are
/// added together. Large enough to share out over the cores, small enough that a batch's words
/// (about 40 MB) are little beside the lists.
const BATCH: usize = 256;

/// The words of all units, numbered.
pub struct Vocabulary {
    /// Distinct stems, sorted; a stem's id is its place here.
    pub stems: Vec<String>,
    /// Every distinct word as written (lower case) with its stem id and how many reports use
    /// it, sorted by word.
    pub surfaces: Vec<(String, u32, u32)>,
}

/// Rows of items, a row a unit, held in one vector a report rather than one a unit. Hundreds of
/// thousands of small vectors each cost a header and a rounded-up block, and once freed they left
/// memory the allocator could not hand to the index's large lists: the process held half again
/// the memory it was using.
#[derive(Debug, Clone, Default, PartialEq)]
struct Rows<T> {
    items: Vec<T>,
    /// Where each row ends in `items`.
    ends: Vec<u32>,
}

impl<T> Rows<T> {
    fn with_rows(rows: usize) -> Rows<T> {
        Rows {
            items: Vec::new(),
            ends: Vec::with_capacity(rows),
        }
    }

    /// Close the row being added to `items`.
    fn end_row(&mut self) {
        self.ends.push(self.items.len() as u32);
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn row(&self, i: usize) -> &[T] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        self.items
            .get(start..self.ends[i] as usize)
            .unwrap_or_default()
    }

    fn iter(&self) -> impl Iterator<Item = &[T]> {
        (0..self.len()).map(|i| self.row(i))
    }

    fn clear(&mut self) {
        self.items.clear();
        self.ends.clear();
    }

    /// A copy taking no more memory than its rows: rows are built in space that grows by
    /// doubling, and kept as built they held a third as much again.
    fn tight(&self) -> Rows<T>
    where
        T: Clone,
    {
        Rows {
            items: self.items.to_vec(),
            ends: self.ends.to_vec(),
        }
    }
}

/// Add to `out` one unit's places stem by stem, written as `encode::push_places` writes them:
/// the end of each stem's run (four bytes each), then the runs. Held as numbers until the lists
/// were made, places took a quarter of the index's peak memory at 10,000 reports; written out
/// they take about a third of that, and making the lists only copies them. `text` and `ends` are
/// scratch space.
fn push_stem_places<'r>(
    out: &mut Vec<u8>,
    runs: impl Iterator<Item = &'r [u32]>,
    text: &mut String,
    ends: &mut Vec<u32>,
) {
    text.clear();
    ends.clear();
    for run in runs {
        encode::push_places(text, run);
        ends.push(text.len() as u32);
    }
    out.reserve(ends.len() * 4 + text.len());
    for end in ends.iter() {
        out.extend_from_slice(&end.to_le_bytes());
    }
    out.extend_from_slice(text.as_bytes());
}

/// The places of the `j`th of a unit's `m` stems, as text, from what `push_stem_places` wrote.
fn stem_run(row: &[u8], m: usize, j: usize) -> &[u8] {
    let end = |j: usize| {
        row.get(j * 4..j * 4 + 4)
            .and_then(|b| b.try_into().ok())
            .map_or(0, |b| u32::from_le_bytes(b) as usize)
    };
    let start = if j == 0 { 0 } else { end(j - 1) };
    row.get(m * 4 + start..m * 4 + end(j)).unwrap_or_default()
}

/// One report's units cut into words numbered within the report. It depends on that report
/// alone, so a rebuild takes it from the previous build's cache while the report is unchanged.
struct ReportWords<'a> {
    words: Vec<Cow<'a, str>>,
    counts: ReportCounts,
    /// A row a unit: its words' places, laid out as `places_of` reads them.
    places: Rows<u32>,
    lengths: Vec<f32>,
}

/// The places of the `j`th of a unit's `m` words (or stems) in `places`, which holds for each
/// the end of its run, then the runs of places in order. One vector a unit, not one a word,
/// as there are tens of millions of words.
fn places_of(places: &[u32], m: usize, j: usize) -> &[u32] {
    let start = if j == 0 { 0 } else { places[j - 1] as usize };
    let end = places[j] as usize;
    places.get(m + start..m + end).unwrap_or_default()
}

impl Vocabulary {
    /// Cut and count `units`, which hold each report's units together and in report order, and
    /// make every stem's posting list and places; a report whose key (`keys[report]`) is in
    /// `previous` is not cut again. Each report's entry for the next build's cache is handed to
    /// `keep` as its batch is cut.
    ///
    /// Reports are taken a batch at a time, and each batch's postings are added to the lists
    /// before the next is cut, so only one batch's words are held at once: all of them at once
    /// were the build's largest item of memory (1.6 GB at 10,000 reports), and new memory is dear
    /// on a small virtual machine, where the host backs every new page.
    pub fn index<'u, 'p: 'u>(
        units: &'u [Unit],
        keys: &[u64],
        previous: &'p Previous,
        keep: &mut dyn FnMut(Entries<'p>),
    ) -> (Vocabulary, Lists) {
        let reports: Vec<&[Unit]> = units.chunk_by(|a, b| a.report == b.report).collect();
        let mut indexer = Indexer::new();
        let mut next_unit = 0;
        for batch in reports.chunks(BATCH) {
            // Per report: its words, its cache key and, when reused, the cached bytes.
            let counted: Vec<(ReportWords, u64, Option<&'p [u8]>)> = batch
                .par_iter()
                .map_init(Scratch::default, |scratch, units| {
                    let key = keys.get(units[0].report).copied().unwrap_or_default();
                    let reused = previous
                        .get(key)
                        .and_then(|b| Some((ReportWords::decode(b, units.len())?, b)));
                    match reused {
                        Some((words, bytes)) => (words, key, Some(bytes)),
                        None => (cut_report(units, scratch), key, None),
                    }
                })
                .collect();
            keep(
                counted
                    .par_iter()
                    .map(|(words, key, bytes)| match bytes {
                        Some(b) => (*key, Cow::Borrowed(*b)),
                        None => (*key, Cow::Owned(words.encode())),
                    })
                    .collect(),
            );
            let count: usize = batch.iter().map(|r| r.len()).sum();
            let batch_units: Vec<(bool, Address)> = units[next_unit..next_unit + count]
                .iter()
                .map(|u| (super::is_recommendation(u), (u.doc, u.index)))
                .collect();
            next_unit += count;
            indexer.add(
                counted.into_iter().map(|(w, _, _)| w).collect(),
                &batch_units,
            );
        }
        indexer.finish()
    }

    /// The vocabulary and lists of one report as an earlier build's cache entry (`encoded`) holds
    /// it, for a report whose units are given as (is a recommendation, address); `None` if the
    /// entry does not fit.
    pub fn of_cached(encoded: &[u8], units: &[(bool, Address)]) -> Option<(Vocabulary, Lists)> {
        let words = ReportWords::decode(encoded, units.len())?;
        let mut indexer = Indexer::new();
        indexer.add(vec![words], units);
        Some(indexer.finish())
    }
}

/// The lists being made for the stems whose number of first use leaves a given remainder when
/// divided by the number of parts, so that parts are filled in parallel.
#[derive(Default)]
struct ListPart {
    lists: Vec<PostingList>,
    places: Vec<Vec<u8>>,
}

/// Posting lists made a batch of reports at a time. Stems are numbered in order of first use
/// while reports come in, and sorted once all have: numbers never depend on thread timing.
struct Indexer<'w> {
    /// Every word seen, with its number (in order of first use).
    words: FxHashMap<Cow<'w, str>, u32>,
    /// Per word number: its stem's number and how many reports use it.
    word_stems: Vec<(u32, u32)>,
    /// Every stem seen, with its number.
    stems: FxHashMap<String, u32>,
    parts: Vec<ListPart>,
    stemmer: WordStemmer,
}

impl<'w> Indexer<'w> {
    fn new() -> Indexer<'w> {
        // Two parts a thread, so one part holding more common stems does not leave a core idle.
        Indexer::with_parts(rayon::current_num_threads() * 2)
    }

    /// `parts` is rounded up to a power of two, so a stem's part and place in it are a mask and
    /// a shift rather than a division per posting, in each part's pass over every posting.
    fn with_parts(parts: usize) -> Indexer<'w> {
        let parts = parts.max(1).next_power_of_two();
        Indexer {
            words: FxHashMap::default(),
            word_stems: Vec::new(),
            stems: FxHashMap::default(),
            parts: (0..parts).map(|_| ListPart::default()).collect(),
            stemmer: WordStemmer::new(),
        }
    }

    /// Add the postings of `reports`, the next in order, whose units are given as (is a
    /// recommendation, address).
    fn add(&mut self, reports: Vec<ReportWords<'w>>, units: &[(bool, Address)]) {
        // Each report's words by number, found once here and read again below. Each report
        // lists a word once, so this counts the reports using each word.
        let first_fresh = self.word_stems.len();
        let mut fresh: Vec<&str> = Vec::new();
        let mut numbered: Vec<Vec<u32>> = Vec::with_capacity(reports.len());
        for report in &reports {
            let mut numbers = Vec::with_capacity(report.words.len());
            for word in &report.words {
                let id = match self.words.get(&**word) {
                    Some(&id) => {
                        self.word_stems[id as usize].1 += 1;
                        id
                    }
                    None => {
                        let id = self.word_stems.len() as u32;
                        self.words.insert(word.clone(), id);
                        self.word_stems.push((0, 1));
                        fresh.push(word);
                        id
                    }
                };
                numbers.push(id);
            }
            numbered.push(numbers);
        }
        // Stemming is the costly step, so each distinct word is stemmed once.
        let stemmer = &self.stemmer;
        let stemmed: Vec<String> = fresh.par_iter().map(|w| stemmer.stem(w)).collect();
        for (at, stem) in self.word_stems[first_fresh..].iter_mut().zip(stemmed) {
            let next = self.stems.len() as u32;
            at.0 = *self.stems.entry(stem).or_insert(next);
        }
        let word_stems = &self.word_stems;
        let stemmed: Vec<(ReportCounts, Rows<u8>, Vec<f32>)> = reports
            .into_par_iter()
            .zip(numbered)
            .map_init(Vec::new, |slots, (report, numbers)| {
                let stem_of: Vec<u32> = numbers
                    .iter()
                    .map(|&id| word_stems[id as usize].0)
                    .collect();
                let mut into = Default::default();
                stem_counts(&report.counts, &report.places, &stem_of, slots, &mut into);
                (into.0, into.1, report.lengths)
            })
            .collect();
        let norms: Vec<(f32, f32)> = stemmed
            .iter()
            .flat_map(|(_, _, lengths)| lengths)
            .zip(units)
            .map(|(&len, &(rec, _))| {
                let boost = if rec { RECOMMENDATION_BOOST } else { 1.0 };
                (K1 * (1.0 - B + B * len / PIVOT_LENGTH), boost)
            })
            .collect();
        let (count, stems) = (self.parts.len(), self.stems.len());
        let (mask, shift) = (count - 1, count.trailing_zeros());
        self.parts.par_iter_mut().enumerate().for_each(|(k, part)| {
            let held = (stems + count - 1 - k) / count;
            part.lists.resize_with(held, PostingList::default);
            part.places.resize_with(held, Vec::new);
            let rows = stemmed
                .iter()
                .flat_map(|(counts, places, _)| counts.iter().zip(places.iter()));
            for ((tf, unit_places), (&(norm, boost), &(_, at))) in rows.zip(norms.iter().zip(units))
            {
                for (j, &(id, f)) in tf.iter().enumerate() {
                    let id = id as usize;
                    if id & mask != k {
                        continue;
                    }
                    part.lists[id >> shift].push(at, term_weight(f, norm, boost));
                    part.places[id >> shift].extend_from_slice(stem_run(unit_places, tf.len(), j));
                }
            }
        });
    }

    /// The vocabulary, stems sorted, and per stem its posting list and places.
    fn finish(self) -> (Vocabulary, Lists) {
        let mut stems: Vec<(String, u32)> = self.stems.into_iter().collect();
        stems.par_sort_unstable();
        let mut rank = vec![0u32; stems.len()];
        for (r, (_, first)) in stems.iter().enumerate() {
            rank[*first as usize] = r as u32;
        }
        let mut parts = self.parts;
        let count = parts.len();
        let (lists, places): (Vec<String>, Vec<String>) = stems
            .iter()
            .map(|&(_, first)| {
                let part = &mut parts[first as usize % count];
                let at = first as usize / count;
                let list = std::mem::take(&mut part.lists[at]).finish();
                // Bytes until the end: a run is ASCII, but checking that run by run cost 3% of
                // the index.
                let places = String::from_utf8(std::mem::take(&mut part.places[at]));
                (list, places.unwrap_or_default())
            })
            .unzip();
        let mut surfaces: Vec<(String, u32, u32)> = self
            .words
            .into_iter()
            .map(|(word, id)| {
                let (stem, uses) = self.word_stems[id as usize];
                (word.into_owned(), rank[stem as usize], uses)
            })
            .collect();
        surfaces.par_sort_unstable();
        let stems = stems.into_iter().map(|(stem, _)| stem).collect();
        (Vocabulary { stems, surfaces }, (lists, places))
    }
}

/// BM25's term part for a weighted count `f` in a unit of length norm `norm`, on a scale of 1–63.
fn term_weight(f: f32, norm: f32, boost: f32) -> u8 {
    let weight = f * (K1 + 1.0) / (f + norm) * boost;
    (weight / MAX_WEIGHT * 63.0).round().clamp(1.0, 63.0) as u8
}

impl<'a> ReportWords<'a> {
    /// Words, then per unit its length and its (word number, weight) pairs, numbers ascending
    /// and stored as gaps. Weights are stored exactly, as a build from the cache must equal a
    /// fresh one; most are whole numbers, which take one byte.
    fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        bytes::put_number(&mut out, self.words.len() as u64);
        for w in &self.words {
            bytes::put_str(&mut out, w);
        }
        for ((tf, places), &len) in self
            .counts
            .iter()
            .zip(self.places.iter())
            .zip(&self.lengths)
        {
            put_weight(&mut out, len);
            bytes::put_number(&mut out, tf.len() as u64);
            let mut prev = 0;
            for &(id, f) in tf {
                bytes::put_number(&mut out, u64::from(id - prev));
                put_weight(&mut out, f);
                prev = id;
            }
            bytes::put_number(&mut out, places.len() as u64);
            for &p in places {
                bytes::put_number(&mut out, u64::from(p));
            }
        }
        out
    }

    /// What `encode` wrote for a report of `units` units; `None` if it does not fit.
    fn decode(encoded: &'a [u8], units: usize) -> Option<ReportWords<'a>> {
        let mut r = bytes::Reader(encoded);
        let words = (0..r.number()?)
            .map(|_| r.str().map(Cow::Borrowed))
            .collect::<Option<Vec<_>>>()?;
        let mut counts = Rows::with_rows(units);
        let mut places = Rows::with_rows(units);
        let mut lengths = Vec::with_capacity(units);
        for _ in 0..units {
            lengths.push(read_weight(&mut r)?);
            let mut id = 0;
            let m = usize::try_from(r.number()?).ok()?;
            for _ in 0..m {
                id += r.u32()?;
                ((id as usize) < words.len()).then_some(())?;
                counts.items.push((id, read_weight(&mut r)?));
            }
            counts.end_row();
            let from = places.items.len();
            for _ in 0..r.number()? {
                places.items.push(r.u32()?);
            }
            let unit_places = &places.items[from..];
            // The runs' ends must lie within the places, which `places_of` relies on.
            let runs = unit_places.len().checked_sub(m)?;
            let ends_fit = unit_places[..m].iter().try_fold(0, |prev, &end| {
                (prev <= end && end as usize <= runs).then_some(end)
            });
            ends_fit?;
            places.end_row();
        }
        r.is_empty().then(|| ReportWords {
            words,
            counts: counts.tight(),
            places: places.tight(),
            lengths,
        })
    }
}

/// A whole number as twice itself; anything else as 1 and its bits.
fn put_weight(out: &mut Vec<u8>, w: f32) {
    let whole = w as u64;
    if (whole as f32).to_bits() == w.to_bits() && whole < 1 << 62 {
        bytes::put_number(out, whole << 1);
    } else {
        bytes::put_number(out, 1);
        out.extend_from_slice(&w.to_bits().to_le_bytes());
    }
}

fn read_weight(r: &mut bytes::Reader) -> Option<f32> {
    match r.number()? {
        1 => {
            let bits = r.0.get(..4)?;
            r.0 = &r.0[4..];
            Some(f32::from_bits(u32::from_le_bytes(bits.try_into().ok()?)))
        }
        n if n % 2 == 0 => Some((n >> 1) as f32),
        _ => None,
    }
}

/// What the unit being cut holds of one of the report's words.
#[derive(Clone, Copy, Default)]
struct InUnit {
    weight: f32,
    /// Its places in the unit, then where they start in the unit's runs as they are laid.
    hits: u32,
    /// Whether it is a stop word, found once a report rather than once a use.
    stop: bool,
}

/// Space `cut_report` needs while it works, kept from report to report by each task: the word
/// table grew afresh in every report, and its growth was a tenth of the cut's time.
#[derive(Default)]
struct Scratch<'a> {
    ids: FxHashMap<Cow<'a, str>, u32>,
    words: Vec<InUnit>,
    seen: Vec<u32>,
    /// (word number, place) of the unit's words other than stop words, in place order.
    hits: Vec<(u32, u32)>,
    lowered: String,
    counts: ReportCounts,
    places: Rows<u32>,
}

/// A report's units as weighted counts of its own word numbers.
fn cut_report<'a>(units: &'a [Unit], scratch: &mut Scratch<'a>) -> ReportWords<'a> {
    let Scratch {
        ids,
        words,
        seen,
        hits,
        lowered,
        counts,
        places,
    } = scratch;
    ids.clear();
    words.clear();
    counts.clear();
    places.clear();
    let mut lengths = Vec::with_capacity(units.len());
    for unit in units {
        let mut len = 0.0;
        let mut place = 0;
        // `place` counts words too, in the closure, which clippy does not see.
        #[allow(clippy::explicit_counter_loop)]
        for (text, weight) in [(unit.text(), 1.0), (&*unit.heading, HEADING_WEIGHT)] {
            tokens::each_word(text, lowered, |word, run| {
                // Looked up before a copy is made: most words were seen before in the report.
                let id = match ids.get(word) {
                    Some(&id) => id,
                    None => {
                        let id = ids.len() as u32;
                        let key = if std::ptr::eq(word, run) {
                            Cow::Borrowed(run)
                        } else {
                            Cow::Owned(word.to_string())
                        };
                        ids.insert(key, id);
                        words.push(InUnit {
                            stop: tokens::is_stop(word),
                            ..InUnit::default()
                        });
                        id
                    }
                };
                let w = &mut words[id as usize];
                if w.weight == 0.0 {
                    seen.push(id);
                }
                w.weight += weight;
                len += weight;
                if !w.stop {
                    w.hits += 1;
                    hits.push((id, place));
                }
                place += 1;
            });
            // A place left empty after the text, so no phrase runs on into the heading.
            place += 1;
        }
        seen.sort_unstable();
        // Each word's run of places, by word number, laid out by counting rather than by sorting
        // the hits: they come in place order, so each run comes out in order too.
        let m = seen.len();
        let from = places.items.len();
        places.items.resize(from + m + hits.len(), 0);
        let laid = &mut places.items[from..];
        let mut end = 0;
        for (slot, &id) in laid.iter_mut().zip(seen.iter()) {
            let w = &mut words[id as usize];
            let start = end;
            end += w.hits;
            w.hits = start;
            *slot = end;
        }
        for &(id, place) in hits.iter() {
            let w = &mut words[id as usize];
            laid[m + w.hits as usize] = place;
            w.hits += 1;
        }
        places.end_row();
        hits.clear();
        counts.items.extend(seen.drain(..).map(|id| {
            let w = &mut words[id as usize];
            w.hits = 0;
            (id, std::mem::take(&mut w.weight))
        }));
        counts.end_row();
        lengths.push(len);
    }
    let mut words = vec![Cow::Borrowed(""); ids.len()];
    for (word, id) in ids.drain() {
        words[id as usize] = word;
    }
    ReportWords {
        words,
        counts: counts.tight(),
        places: places.tight(),
        lengths,
    }
}

/// A report's counts and places over its own word numbers turned into ones over stem numbers,
/// `stem_of` giving each word's (two words of a unit may share a stem), written to `into`
/// (emptied first). A unit's stems come in the order of their first word; `slots` is scratch
/// space holding, for each stem number, its place in the unit being made (`u32::MAX` between
/// units).
fn stem_counts(
    counts: &ReportCounts,
    places: &Rows<u32>,
    stem_of: &[u32],
    slots: &mut Vec<u32>,
    into: &mut (ReportCounts, Rows<u8>),
) {
    // Scratch space kept across the report's units: a fresh allocation a unit was a noticeable
    // part of indexing.
    let mut runs: Vec<Cow<[u32]>> = Vec::new();
    let (mut text, mut ends) = (String::new(), Vec::new());
    let (all_counts, all_places) = into;
    all_counts.clear();
    all_places.clear();
    if let Some(&most) = stem_of.iter().max()
        && slots.len() <= most as usize
    {
        slots.resize(most as usize + 1, u32::MAX);
    }
    for (tf, places) in counts.iter().zip(places.iter()) {
        let first = all_counts.items.len();
        // Words by number, so words sharing a stem are added in one order whatever the stems'
        // numbers (a rebuild numbers them apart from a full build); a slot a stem rather than
        // sorting by stem, as that sort was 4% of making the index.
        for (j, &(local, f)) in tf.iter().enumerate() {
            let id = stem_of[local as usize];
            let run = places_of(places, tf.len(), j);
            let slot = &mut slots[id as usize];
            if *slot == u32::MAX {
                *slot = (all_counts.items.len() - first) as u32;
                all_counts.items.push((id, f));
                runs.push(Cow::Borrowed(run));
            } else {
                let at = *slot as usize;
                all_counts.items[first + at].1 += f;
                let mut joined = runs[at].to_vec();
                joined.extend_from_slice(run);
                joined.sort_unstable();
                runs[at] = Cow::Owned(joined);
            }
        }
        for &(id, _) in &all_counts.items[first..] {
            slots[id as usize] = u32::MAX;
        }
        push_stem_places(
            &mut all_places.items,
            runs.iter().map(|r| &**r),
            &mut text,
            &mut ends,
        );
        all_places.end_row();
        runs.clear();
        all_counts.end_row();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows<T: Clone>(rows: &[&[T]]) -> Rows<T> {
        let mut out = Rows::with_rows(rows.len());
        for row in rows {
            out.items.extend_from_slice(row);
            out.end_row();
        }
        out
    }

    #[test]
    fn rows_hold_each_unit_apart_empty_ones_too() {
        let held = rows(&[&[1, 2], &[], &[3]]);
        assert_eq!(held.len(), 3);
        assert_eq!(held.iter().collect::<Vec<_>>(), [&[1, 2][..], &[], &[3]]);
        assert_eq!(held.row(2), [3]);
    }

    #[test]
    fn report_words_round_trip_exactly() {
        let words = ReportWords {
            words: vec!["plans".into(), "ärzte".into(), "2015".into()],
            counts: rows(&[&[(0, 1.0), (2, 1.3)], &[], &[(1, 0.3 + 0.3 + 0.3)]]),
            places: rows(&[&[1, 2, 0, 4], &[], &[3, 0, 2, 9]]),
            lengths: vec![2.3, 0.0, 0.9000001],
        };
        let encoded = words.encode();
        let back = ReportWords::decode(&encoded, 3).unwrap();
        assert_eq!(back.words, words.words);
        assert_eq!(back.counts, words.counts);
        assert_eq!(back.places, words.places);
        assert_eq!(back.lengths, words.lengths);
        assert!(ReportWords::decode(&encoded, 2).is_none(), "other units");
        assert!(ReportWords::decode(&encoded[..encoded.len() - 1], 3).is_none());
    }

    #[test]
    fn words_sharing_a_stem_count_once_with_their_places_merged_unit_by_unit() {
        // Words 0 and 1 ("plan", "plans") share stem 5; word 2 ("care") is stem 1.
        let stem_of = [5, 5, 1];
        let counts = rows(&[&[(0, 1.0), (1, 2.0), (2, 1.0)], &[(2, 1.0)]]);
        // Each unit: its words' run ends, then the runs.
        let places = rows(&[&[1, 3, 4, 3, 0, 7, 1], &[1, 0]]);
        let mut slots = Vec::new();
        let mut into = Default::default();
        stem_counts(&counts, &places, &stem_of, &mut slots, &mut into);
        let (stems, stem_places) = into;
        assert_eq!(stems, rows(&[&[(5, 3.0), (1, 1.0)], &[(1, 1.0)]]));
        let expected = |runs: &[&[u32]]| {
            let mut out = Vec::new();
            push_stem_places(
                &mut out,
                runs.iter().copied(),
                &mut String::new(),
                &mut Vec::new(),
            );
            out
        };
        assert_eq!(stem_places.row(0), expected(&[&[0, 3, 7], &[1]]));
        assert_eq!(stem_places.row(1), expected(&[&[0]]));
        assert!(slots.iter().all(|&s| s == u32::MAX), "slots are left free");
    }

    /// Units of reports given as (heading, text) per unit; a report's first unit is a
    /// recommendation.
    fn units<'a>(reports: &'a [Vec<(&'a str, &'a str)>]) -> Vec<Unit<'a>> {
        let mut out = Vec::new();
        for (r, report) in reports.iter().enumerate() {
            for (i, (heading, text)) in report.iter().enumerate() {
                out.push(Unit {
                    report: r,
                    doc: r as u32,
                    index: i as u32,
                    anchor: if i == 0 { "r-1" } else { "p-1" },
                    heading: Cow::Borrowed(heading),
                    markdown: text,
                    plain: Default::default(),
                    themes: &[],
                });
            }
        }
        out
    }

    #[test]
    fn lists_are_the_same_however_reports_are_batched_and_shared_out() {
        let reports = vec![
            vec![
                ("Plans", "Personal education plans were not reviewed."),
                ("", "Plans and planning: the plan was late. The plan."),
            ],
            vec![("Health", "Health and police attend strategy meetings.")],
            vec![
                ("Plans", "Plan the plans; education plans improve."),
                ("", ""),
                ("Police", "Police plans"),
            ],
        ];
        let units = units(&reports);
        let keys = [1, 2, 3];
        let mut kept = 0;
        let (whole, lists) = Vocabulary::index(&units, &keys, &Previous::default(), &mut |e| {
            kept += e.len()
        });
        assert_eq!(kept, 3, "an entry a report");
        // One report at a time, its stems shared out over three parts.
        let mut indexer = Indexer::with_parts(3);
        let mut scratch = Scratch::default();
        for report in units.chunk_by(|a, b| a.report == b.report) {
            let info: Vec<(bool, Address)> = report
                .iter()
                .map(|u| (super::super::is_recommendation(u), (u.doc, u.index)))
                .collect();
            indexer.add(vec![cut_report(report, &mut scratch)], &info);
        }
        let (apart, apart_lists) = indexer.finish();
        assert_eq!(whole.stems, apart.stems);
        assert_eq!(whole.surfaces, apart.surfaces);
        assert_eq!(lists, apart_lists);
        // "plans", "planning" and "plan" share a stem, listed once a unit, in unit order.
        let plan = whole.stems.iter().position(|s| s == "plan").unwrap();
        let postings = encode::read_postings(&lists.0[plan]).unwrap();
        let at: Vec<Address> = postings.iter().map(|p| p.0).collect();
        assert_eq!(at, [(0, 0), (0, 1), (2, 0), (2, 2)]);
        let places = encode::read_places(&lists.1[plan]).unwrap();
        // "Plans and planning: the plan was late. The plan."
        assert_eq!(places.unit(1), [0, 2, 4, 8]);
        let uses = |w: &str| whole.surfaces.iter().find(|s| s.0 == w).map(|s| s.2);
        assert_eq!(uses("plans"), Some(2), "reports using it");
        assert_eq!(uses("health"), Some(1));
        // The same report read back from its cache entry gives the same lists.
        let mut entry = Vec::new();
        Vocabulary::index(&units[..2], &keys, &Previous::default(), &mut |e| {
            entry = e[0].1.to_vec();
        });
        let (alone, alone_lists) =
            Vocabulary::of_cached(&entry, &[(true, (0, 0)), (false, (0, 1))]).unwrap();
        let plan = alone.stems.iter().position(|s| s == "plan").unwrap();
        assert_eq!(
            encode::read_postings(&alone_lists.0[plan]).unwrap(),
            postings[..2]
        );
    }

    #[test]
    fn term_weights_grow_with_count_and_shrink_with_length() {
        let norm = |len: f32| K1 * (1.0 - B + B * len / PIVOT_LENGTH);
        let once = term_weight(1.0, norm(PIVOT_LENGTH), 1.0);
        assert!(term_weight(3.0, norm(PIVOT_LENGTH), 1.0) > once);
        assert!(term_weight(1.0, norm(4.0 * PIVOT_LENGTH), 1.0) < once);
        assert!(term_weight(1.0, norm(PIVOT_LENGTH), RECOMMENDATION_BOOST) > once);
        assert_eq!(term_weight(1e6, 0.0, RECOMMENDATION_BOOST), 63);
        assert_eq!(term_weight(0.3, norm(1e6), 1.0), 1);
    }
}
