//! Words to numbers: every unit's text cut into words, each distinct word stemmed once, and each
//! unit's weighted stem counts, from which BM25 postings are computed.
//!
//! Reports are cut in parallel, each numbering its own words; the numberings are then merged in
//! report order, so ids never depend on thread timing.

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

/// A report's units' (stem or word id, weighted count) pairs, ascending by id in each unit.
type ReportCounts = Rows<(u32, f32)>;
/// Per stem, its encoded posting list and its encoded places (`encode::push_places`).
type Lists = (Vec<String>, Vec<String>);

/// Reports whose cache entries are encoded and handed on together.
const CACHE_BATCH: usize = 256;

/// The words of all units, numbered.
pub struct Vocabulary {
    /// Distinct stems, sorted; a stem's id is its place here.
    pub stems: Vec<String>,
    /// Every distinct word as written (lower case) with its stem id and how many reports use
    /// it, sorted by word.
    pub surfaces: Vec<(String, u32, u32)>,
    /// Per report, a row a unit: (stem id, weighted count) ascending by id.
    counts: Vec<ReportCounts>,
    /// Per report, a row a unit: where each of its stems occurs (`push_stem_places`).
    places: Vec<Rows<u8>>,
    /// Per unit: its weighted length.
    lengths: Vec<f32>,
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
    /// Cut and count `units`, which hold each report's units together and in report order;
    /// a report whose key (`keys[report]`) is in `previous` is not cut again. Each report's entry
    /// for the next build's cache is handed to `keep` as soon as all are cut.
    pub fn count<'u, 'p: 'u>(
        units: &'u [Unit],
        keys: &[u64],
        previous: &'p Previous,
        keep: &mut dyn FnMut(Entries<'p>),
    ) -> Vocabulary {
        // Per report: its words, its cache key and, when reused, the cached bytes.
        let counted: Vec<(ReportWords, u64, Option<&'p [u8]>)> = units
            .chunk_by(|a, b| a.report == b.report)
            .collect::<Vec<_>>()
            .into_par_iter()
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
        crate::trace::point("search: reports cut into words");
        // Entries are encoded and handed on a batch at a time: all of them held at once beside
        // the words took about half a gigabyte at 10,000 reports, at the index's peak.
        for batch in counted.chunks(CACHE_BATCH) {
            keep(
                batch
                    .par_iter()
                    .map(|(words, key, bytes)| match bytes {
                        Some(b) => (*key, Cow::Borrowed(*b)),
                        None => (*key, Cow::Owned(words.encode())),
                    })
                    .collect(),
            );
        }
        crate::trace::point("search: word cache entries handed on");
        let per_report: Vec<ReportWords> = counted.into_iter().map(|(w, _, _)| w).collect();
        Vocabulary::of_reports(per_report)
    }

    /// The vocabulary of one report as an earlier build's cache entry (`encoded`) holds it, for a
    /// report of `units` units; `None` if the entry does not fit.
    pub fn of_cached(encoded: &[u8], units: usize) -> Option<Vocabulary> {
        Some(Vocabulary::of_reports(vec![ReportWords::decode(
            encoded, units,
        )?]))
    }

    fn of_reports(per_report: Vec<ReportWords>) -> Vocabulary {
        let (surfaces, local_to_global) = merge_words(&per_report);
        crate::trace::point("search: words numbered");
        let (stems, stem_of) = stem_all(&surfaces);
        crate::trace::point("search: words stemmed");
        // Each report lists a word once, so this counts the reports using each word.
        let mut uses = vec![0u32; surfaces.len()];
        for global in local_to_global.iter().flatten() {
            uses[*global as usize] += 1;
        }
        let mut surfaces: Vec<(String, u32, u32)> = surfaces
            .iter()
            .zip(&stem_of)
            .zip(&uses)
            .map(|((w, &s), &n)| (w.to_string(), s, n))
            .collect();
        surfaces.par_sort_unstable();
        crate::trace::point("search: written forms sorted");
        // Each report's words and counts are dropped as its stem counts are made, so the two
        // forms are never all held at once (at 10,000 reports each takes about a gigabyte).
        type Stemmed = (ReportCounts, Rows<u8>);
        let (stemmed, lengths): (Vec<Stemmed>, Vec<Vec<f32>>) = per_report
            .into_par_iter()
            .zip(local_to_global)
            .map_init(Default::default, |scratch, (report, global)| {
                stem_counts(&report.counts, &report.places, &global, &stem_of, scratch);
                ((scratch.0.tight(), scratch.1.tight()), report.lengths)
            })
            .unzip();
        crate::trace::point("search: counts by stem");
        let (counts, places) = stemmed.into_iter().unzip();
        Vocabulary {
            stems,
            surfaces,
            counts,
            places,
            lengths: lengths.into_iter().flatten().collect(),
        }
    }

    /// For each stem (by id), the units it occurs in, ascending, with the stem's BM25 term weight
    /// there quantised to 1–63; the browser multiplies it by the stem's IDF, which it works out
    /// from the list's length and the number of units. `is_recommendation` tells which units get
    /// the recommendation boost. Beside each list, the stem's places in each of its units
    /// (`encode::push_places`), for phrase checks. The counts are dropped once the lists are made.
    pub fn postings(&mut self, is_recommendation: &[bool], addresses: &[Address]) -> Lists {
        let mut df = vec![0u32; self.stems.len()];
        for &(id, _) in self.counts.iter().flat_map(|report| &report.items) {
            df[id as usize] += 1;
        }
        let units: Vec<(f32, f32)> = self
            .lengths
            .iter()
            .zip(is_recommendation)
            .map(|(&len, &rec)| {
                let boost = if rec { RECOMMENDATION_BOOST } else { 1.0 };
                (K1 * (1.0 - B + B * len / PIVOT_LENGTH), boost)
            })
            .collect();
        // Stems are shared out in ranges, each range's lists made by one task in unit order.
        let ranges = balanced_ranges(&df, rayon::current_num_threads() * 4);
        // Where each range starts in each unit's counts, found in one pass rather than by a
        // binary search per unit and range.
        let starts: Vec<u32> = self
            .counts
            .par_iter()
            .flat_map_iter(|report| {
                let mut row_starts = Vec::with_capacity(report.len() * (ranges.len() + 1));
                for tf in report.iter() {
                    let mut at = 0;
                    for &(from, _) in &ranges {
                        while tf.get(at).is_some_and(|&(id, _)| id < from) {
                            at += 1;
                        }
                        row_starts.push(at as u32);
                    }
                    row_starts.push(tf.len() as u32);
                }
                row_starts
            })
            .collect();
        let lists: Vec<Lists> = ranges
            .par_iter()
            .enumerate()
            .map(|(k, &range)| {
                let bounds = |unit: usize| {
                    let row = &starts[unit * (ranges.len() + 1)..];
                    (row[k] as usize, row[k + 1] as usize)
                };
                self.postings_of(range, &df, &units, addresses, &bounds)
            })
            .collect();
        self.counts = Vec::new();
        self.places = Vec::new();
        // Moved, not copied (`concat` would clone every list).
        let (lists, places): (Vec<_>, Vec<_>) = lists.into_iter().unzip();
        (
            lists.into_iter().flatten().collect(),
            places.into_iter().flatten().collect(),
        )
    }

    /// The posting lists of the stems `from..to`; `units` holds each unit's length norm and boost,
    /// `bounds` where those stems are in a unit's counts.
    fn postings_of(
        &self,
        (from, to): (u32, u32),
        df: &[u32],
        units: &[(f32, f32)],
        addresses: &[Address],
        bounds: &dyn Fn(usize) -> (usize, usize),
    ) -> Lists {
        let mut by_stem: Vec<PostingList> = df[from as usize..to as usize]
            .iter()
            .map(|&d| PostingList::with_capacity(d as usize))
            .collect();
        // Bytes until the end: a run is ASCII, but checking that run by run cost 3% of the index.
        let mut places = vec![Vec::new(); by_stem.len()];
        let rows = self
            .counts
            .iter()
            .zip(&self.places)
            .flat_map(|(counts, places)| counts.iter().zip(places.iter()));
        for (unit, ((tf, unit_places), &(norm, boost))) in rows.zip(units).enumerate() {
            let (start, end) = bounds(unit);
            for (j, &(id, f)) in tf.iter().enumerate().take(end).skip(start) {
                let at = (id - from) as usize;
                by_stem[at].push(addresses[unit], term_weight(f, norm, boost));
                places[at].extend_from_slice(stem_run(unit_places, tf.len(), j));
            }
        }
        (
            by_stem.into_iter().map(PostingList::finish).collect(),
            places
                .into_iter()
                .map(|p| String::from_utf8(p).unwrap_or_default())
                .collect(),
        )
    }
}

/// Stem ranges for `tasks` tasks with about the same number of postings each (plus one a stem,
/// for the stem's own list): ranges of equal numbers of stems left one task with several times
/// another's postings, as a few common stems hold most of them, and the index's longest step
/// ran on 1.76 of 2 cores at 10,000 reports.
fn balanced_ranges(df: &[u32], tasks: usize) -> Vec<(u32, u32)> {
    let total: u64 = df.iter().map(|&d| u64::from(d) + 1).sum();
    let per_task = total.div_ceil(tasks.max(1) as u64).max(1);
    let mut ranges = Vec::with_capacity(tasks + 1);
    let (mut start, mut held) = (0, 0);
    for (stem, &d) in df.iter().enumerate() {
        held += u64::from(d) + 1;
        if held >= per_task {
            ranges.push((start as u32, stem as u32 + 1));
            (start, held) = (stem + 1, 0);
        }
    }
    if start < df.len() || ranges.is_empty() {
        ranges.push((start as u32, df.len() as u32));
    }
    ranges
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

/// All reports' words numbered in order of first use, and per report its numbers → global ones.
fn merge_words<'a>(reports: &'a [ReportWords]) -> (Vec<&'a str>, Vec<Vec<u32>>) {
    let mut ids: FxHashMap<&str, u32> = FxHashMap::default();
    let mut surfaces = Vec::new();
    let maps = reports
        .iter()
        .map(|r| {
            r.words
                .iter()
                .map(|w| {
                    *ids.entry(w).or_insert_with(|| {
                        surfaces.push(&**w);
                        surfaces.len() as u32 - 1
                    })
                })
                .collect()
        })
        .collect();
    (surfaces, maps)
}

/// Stemming is the costly step, so each distinct word is stemmed once. Returns the sorted
/// distinct stems and, per word, its stem's id.
fn stem_all(surfaces: &[&str]) -> (Vec<String>, Vec<u32>) {
    let stemmer = WordStemmer::new();
    let stemmed: Vec<String> = surfaces.par_iter().map(|w| stemmer.stem(w)).collect();
    let mut stems: Vec<&str> = stemmed.iter().map(String::as_str).collect();
    stems.par_sort_unstable();
    stems.dedup();
    let stem_of = stemmed
        .par_iter()
        .map(|s| stems.binary_search(&s.as_str()).unwrap_or_default() as u32)
        .collect();
    (stems.into_iter().map(String::from).collect(), stem_of)
}

/// A report's counts and places over its own word numbers turned into ones over global stem ids
/// (two words of a unit may share a stem), written to `into` (emptied first).
fn stem_counts(
    counts: &ReportCounts,
    places: &Rows<u32>,
    global: &[u32],
    stem_of: &[u32],
    into: &mut (ReportCounts, Rows<u8>),
) {
    // Scratch space kept across the report's units: a fresh allocation a unit was a noticeable
    // part of indexing.
    let mut out: Vec<(u32, f32, usize)> = Vec::new();
    let mut runs: Vec<Cow<[u32]>> = Vec::new();
    let (mut text, mut ends) = (String::new(), Vec::new());
    let (all_counts, all_places) = into;
    all_counts.clear();
    all_places.clear();
    for (tf, places) in counts.iter().zip(places.iter()) {
        out.clear();
        out.extend(
            tf.iter()
                .enumerate()
                .map(|(j, &(local, f))| (stem_of[global[local as usize] as usize], f, j)),
        );
        out.sort_unstable_by_key(|&(id, _, _)| id);
        // Runs of places by stem: a word's own run, or the merged runs of words sharing one.
        let first = all_counts.items.len();
        for &(id, f, j) in &out {
            let run = places_of(places, tf.len(), j);
            match all_counts.items[first..].last_mut() {
                Some(kept) if kept.0 == id => {
                    kept.1 += f;
                    if let Some(last) = runs.last_mut() {
                        let mut joined = last.to_vec();
                        joined.extend_from_slice(run);
                        joined.sort_unstable();
                        *last = Cow::Owned(joined);
                    }
                }
                _ => {
                    all_counts.items.push((id, f));
                    runs.push(Cow::Borrowed(run));
                }
            }
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
    fn stem_ranges_cover_every_stem_once_with_even_work() {
        // One very common stem among many rare ones, as in real text.
        let mut df = vec![1u32; 1000];
        df[10] = 5000;
        let ranges = balanced_ranges(&df, 8);
        assert_eq!(ranges.first().map(|r| r.0), Some(0));
        assert_eq!(ranges.last().map(|r| r.1), Some(1000));
        for pair in ranges.windows(2) {
            assert_eq!(pair[0].1, pair[1].0, "ranges meet: {ranges:?}");
        }
        let work = |(from, to): (u32, u32)| -> u64 {
            df[from as usize..to as usize]
                .iter()
                .map(|&d| u64::from(d) + 1)
                .sum()
        };
        let total: u64 = ranges.iter().map(|&r| work(r)).sum();
        // No range but the one holding the common stem takes more than its share and one stem.
        for &r in &ranges {
            if !(r.0..r.1).contains(&10) {
                assert!(work(r) <= total / 8 + 2, "{r:?} of {ranges:?}");
            }
        }
        assert!(ranges.len() <= 9, "{ranges:?}");
        assert_eq!(balanced_ranges(&[], 8), vec![(0, 0)]);
        assert_eq!(balanced_ranges(&[3], 8), vec![(0, 1)]);
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
