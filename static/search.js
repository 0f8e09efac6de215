// Search for the findings archive: runs in the browser on the split index that `findings build`
// writes under search/. Index parts are loaded as script files (they call FindingsSearch.load),
// so search works from a static host at any sub-path and from a folder opened with file://.
// The page works without this script: the form leads to the themes and the A–Z list of terms.
(function () {
  'use strict';

  var ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_';
  var VALUE = {};
  for (var i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET[i]] = i;

  // Words too common to narrow a search; kept when quoted.
  var STOP = new Set(('a an and are as at be by for from has have in is it of on or that the their ' +
    'this to was were which with').split(' '));
  var MAX_RESULTS = 60;
  // A unit's key: its document's number times STRIDE plus its place in the document.
  var STRIDE = 1048576;

  var script = document.currentScript;
  var root = (script && script.getAttribute('data-root')) || '';
  var loaded = new Map();
  var waiting = new Map();
  var meta = null;
  var shardNames = new Set();
  var bytesLoaded = 0;

  window.FindingsSearch = {
    load: function (name, data) {
      loaded.set(name, data);
      var list = waiting.get(name) || [];
      waiting.delete(name);
      list.forEach(function (resolve) { resolve(data); });
    },
    // For the benchmark: how many bytes of index this page has loaded.
    bytes: function () { return bytesLoaded; },
    query: function (text, filters) { return run(text, filters || {}); }
  };

  // Load search/<name>.js once; resolves to its data, or null if the file is missing.
  function part(name) {
    if (loaded.has(name)) return Promise.resolve(loaded.get(name));
    return new Promise(function (resolve) {
      var first = !waiting.has(name);
      if (first) waiting.set(name, []);
      waiting.get(name).push(resolve);
      if (!first) return;
      var tag = document.createElement('script');
      tag.src = root + 'search/' + name + '.js';
      tag.async = true;
      tag.onload = function () {
        countBytes(tag.src);
        if (!loaded.has(name)) window.FindingsSearch.load(name, null);
      };
      tag.onerror = function () { window.FindingsSearch.load(name, null); };
      document.head.appendChild(tag);
    });
  }

  function countBytes(url) {
    if (!window.performance || !performance.getEntriesByName) return;
    var entries = performance.getEntriesByName(url);
    var e = entries[entries.length - 1];
    if (e) bytesLoaded += e.encodedBodySize || e.transferSize || 0;
  }

  // The same cut into words as src/search/tokens.rs.
  function words(text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(function (w) {
      return w && (w.length > 1 || /^[0-9]$/.test(w));
    });
  }

  function plural(w) { return w.length > 3 && /[^s]s$/.test(w) ? w.slice(0, -1) : w; }

  function fileName(prefix) {
    return Array.from(prefix).map(function (c) {
      return /[a-z0-9]/i.test(c) ? c : '_' + c.codePointAt(0).toString(16);
    }).join('');
  }

  function shardFor(word) {
    var chars = Array.from(word);
    for (var n = chars.length; n > 0; n--) {
      var p = chars.slice(0, n).join('');
      if (shardNames.has(p)) return p;
    }
    return null;
  }

  function shard(word) {
    var name = shardFor(word);
    return name === null ? Promise.resolve(null) : part('terms/' + fileName(name));
  }

  // The numbers of `s` as src/search/encode.rs push_varint writes them, one a call to `next`
  // (-1 at the end or at a character outside the alphabet); `pos` is where the next one starts.
  function numbers(s) {
    var r = { pos: 0 };
    r.next = function () {
      var n = 0;
      for (;;) {
        var v = VALUE[s[r.pos++]];
        if (v === undefined) return -1;
        if (v < 32) { n = n * 32 + v; continue; }
        return n * 32 + (v - 32);
      }
    };
    return r;
  }

  // Unit addresses as src/search/encode.rs writes them; calls `each(key, i)` for each with `i`
  // the place after it (where a posting's `weighted` weight characters are).
  function decodeAddresses(s, each, weighted) {
    var doc = 0, unit = 0, r = numbers(s);
    while (r.pos < s.length) {
      var n = r.next();
      if (n < 0) break;
      if (n % 2 === 1) { doc += (n - 1) / 2; unit = r.next(); } else unit += n / 2 + 1;
      each(doc * STRIDE + unit, r.pos);
      r.pos += weighted || 0;
    }
  }

  // A posting list: unit key → term weight (1–63).
  function decodePostings(s) {
    var out = new Map();
    decodeAddresses(s, function (key, i) { out.set(key, VALUE[s[i]]); }, 1);
    return out;
  }

  function decodeUnits(s) {
    var out = new Set();
    decodeAddresses(s, function (key) { out.add(key); }, 0);
    return out;
  }

  // BM25's IDF of a stem in `df` of the index's units; the postings hold the rest of the score.
  function idf(df) {
    var n = meta.units;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  function editDistanceAtMostOne(a, b) {
    if (Math.abs(a.length - b.length) > 1) return false;
    var i = 0, j = 0, edits = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { i++; j++; continue; }
      if (++edits > 1) return false;
      if (a.length > b.length) i++;
      else if (a.length < b.length) j++;
      else if (a[i + 1] === b[j] && a[i] === b[j + 1]) { i += 2; j += 2; }
      else { i++; j++; }
    }
    return edits + (a.length - i) + (b.length - j) <= 1;
  }

  // A word's stems: exact, then (typing) every word it starts, then (a typo) words one edit away.
  // `surfaces` collects every indexed form of those stems, for highlighting.
  function resolveWord(word, prefix) {
    return shard(word).then(function (data) {
      var stems = new Set();
      if (data && data.w[word] !== undefined) stems.add(data.w[word]);
      if (prefix && word.length >= 2 && data) {
        Object.keys(data.w).filter(function (w) { return w.startsWith(word); })
          .sort(function (a, b) { return a.length - b.length || (a < b ? -1 : 1); })
          .slice(0, 30).forEach(function (w) { stems.add(data.w[w]); });
      }
      var finish = function (shards) {
        var surfaces = new Set();
        shards.forEach(function (d) {
          if (!d) return;
          Object.keys(d.w).forEach(function (w) { if (stems.has(d.w[w])) surfaces.add(w); });
        });
        return { stems: stems, surfaces: surfaces };
      };
      if (stems.size > 0 || word.length < 5) return finish([data]);
      var near = [word[0] + word[2], word[1] + word[2], word[1] + word[0]];
      return Promise.all([Promise.resolve(data)].concat(near.map(shard))).then(function (shards) {
        shards.forEach(function (d) {
          if (!d) return;
          Object.keys(d.w).forEach(function (w) {
            if (editDistanceAtMostOne(word, w)) stems.add(d.w[w]);
          });
        });
        return finish(shards);
      });
    });
  }

  // A stem's places (src/search/encode.rs push_places): unit key → its word places, in the
  // order of the stem's postings; decoded once, and only for a phrase.
  var placeCache = new Map();
  function placesOf(stem) {
    if (placeCache.has(stem)) return Promise.resolve(placeCache.get(stem));
    var name = shardFor(stem);
    var places = name === null ? Promise.resolve(null) : part('places/' + fileName(name));
    return Promise.all([shard(stem), places]).then(function (both) {
      var data = both[0];
      var out = new Map();
      var keys = [];
      if (data && data.p[stem]) decodeAddresses(data.p[stem], function (key) { keys.push(key); }, 1);
      var s = (both[1] && both[1][stem]) || '';
      var r = numbers(s), u = 0;
      while (r.pos < s.length && u < keys.length) {
        var n = r.next();
        if (n < 0) break;
        var list = [];
        if (n > 0) {
          var at = (n >> 1) - 1;
          list.push(at);
          while (n & 1) { n = r.next(); if (n < 0) break; at += n >> 1; list.push(at); }
        }
        out.set(keys[u++], list);
      }
      placeCache.set(stem, out);
      return out;
    });
  }

  // Units where the phrase's words stand in order: word k at the first word's place plus k. A
  // stop word's place is not indexed, so any word may stand there.
  function phraseUnits(units, alt, stemsByWord) {
    var at = [];
    alt.words.forEach(function (w, k) { if (!STOP.has(w)) at.push(k); });
    if (at.length === 0) return Promise.resolve(units);
    return Promise.all(at.map(function (k) {
      return Promise.all(Array.from(stemsByWord[k]).map(placesOf));
    })).then(function (perWord) {
      var out = new Set();
      units.forEach(function (unit) {
        var sets = perWord.map(function (maps) {
          var set = new Set();
          maps.forEach(function (m) { (m.get(unit) || []).forEach(function (p) { set.add(p); }); });
          return set;
        });
        var first = at[0];
        for (var p of sets[0]) {
          var start = p - first;
          if (at.every(function (k, j) { return sets[j].has(start + k); })) { out.add(unit); return; }
        }
      });
      return out;
    });
  }

  // A theme phrase's units with their scores, from its phrase list (src/search/phrases.rs):
  // the sum of its content words' weights times their IDF, as the shards would give, without
  // loading those words' shards and places. Resolves to null when there is no list.
  function phraseListScores(words, matched) {
    var name = 'phrases/' + words.map(fileName).join('-');
    return part(name).then(function (data) {
      if (!data) return null;
      data.s.forEach(function (forms) { forms.forEach(function (w) { if (!STOP.has(w)) matched.add(w); }); });
      var weights = data.d.map(idf);
      var out = new Map();
      decodeAddresses(data.u, function (key, i) {
        var score = 0;
        for (var k = 0; k < weights.length; k++) score += VALUE[data.u[i + k]] * weights[k];
        out.set(key, score);
      }, weights.length);
      return out;
    });
  }

  function postingsOf(stem) {
    return shard(stem).then(function (data) {
      return data && data.p[stem] ? decodePostings(data.p[stem]) : new Map();
    });
  }

  // Units containing the word (any of its stems), with the best score; `stems` collects them.
  function wordScores(word, prefix, matched, stems) {
    return resolveWord(word, prefix).then(function (r) {
      r.surfaces.forEach(function (s) { if (!STOP.has(s)) matched.add(s); });
      if (stems) r.stems.forEach(function (st) { stems.add(st); });
      return Promise.all(Array.from(r.stems).map(postingsOf)).then(function (lists) {
        var out = new Map();
        lists.forEach(function (m) {
          var weight = idf(m.size);
          m.forEach(function (v, k) {
            var score = v * weight;
            if (!out.has(k) || out.get(k) < score) out.set(k, score);
          });
        });
        return out;
      });
    });
  }

  function intersect(maps) {
    if (maps.length === 0) return new Map();
    maps = maps.slice().sort(function (a, b) { return a.size - b.size; });
    var out = new Map();
    maps[0].forEach(function (v, k) {
      var sum = v;
      for (var i = 1; i < maps.length; i++) {
        if (!maps[i].has(k)) return;
        sum += maps[i].get(k);
      }
      out.set(k, sum);
    });
    return out;
  }

  // Query text → clauses; each clause is a list of alternatives, each alternative a list of
  // words that must all occur (in order, for a quoted phrase).
  function parse(text) {
    var clauses = [];
    var rest = text.replace(/"([^"]*)"?/g, function (_, phrase) {
      var w = words(phrase);
      if (w.length) clauses.push({ alts: [{ words: w, phrase: w.length > 1 }] });
      return ' ';
    });
    var plain = words(rest).filter(function (w) { return !STOP.has(w); });
    var endsInWord = /[\p{L}\p{N}]$/u.test(text) && !/"$/.test(text.trim());
    var groups = (meta && meta.synonyms) || [];
    var i = 0;
    while (i < plain.length) {
      var found = null;
      groups.forEach(function (group) {
        group.forEach(function (member) {
          var mw = words(member);
          if (mw.length === 0 || i + mw.length > plain.length) return;
          for (var k = 0; k < mw.length; k++) if (plural(plain[i + k]) !== plural(mw[k])) return;
          if (!found || mw.length > found.len) found = { len: mw.length, group: group, own: mw };
        });
      });
      if (found) {
        // Typed out, a known phrase (personal education plans) means that phrase, as its
        // acronym does, not its words scattered through a long paragraph.
        // A theme's phrase has a phrase list (`known`), which spares the shards of its words.
        var alts = [{ words: plain.slice(i, i + found.len), phrase: found.len > 1,
          known: found.len > 1 ? found.own : null }];
        found.group.forEach(function (m) {
          var mw = words(m);
          if (mw.join(' ') !== found.own.join(' ')) {
            alts.push({ words: mw, phrase: mw.length > 1, known: mw.length > 1 ? mw : null });
          }
        });
        clauses.push({ alts: alts });
        i += found.len;
      } else {
        var last = i === plain.length - 1 && endsInWord;
        clauses.push({ alts: [{ words: [plain[i]], phrase: false }], prefix: last });
        i += 1;
      }
    }
    return clauses;
  }

  // A clause's units with their best score. A phrase alternative (a quoted phrase, or a
  // synonym's expansion) keeps only the units where its words stand in order, which its phrase
  // list or the places files beside the word shards tell, so no text is fetched to check it. Its
  // stop words are not looked up (unless it has nothing else): their places are not indexed.
  function clauseScores(clause, matched) {
    return Promise.all(clause.alts.map(function (alt) {
      if (!alt.known) return altScores(alt, clause, matched);
      return phraseListScores(alt.known, matched).then(function (m) {
        return m || altScores(alt, clause, matched);
      });
    })).then(function (maps) {
      var out = new Map();
      maps.forEach(function (m) {
        m.forEach(function (v, k) { if (!out.has(k) || out.get(k) < v) out.set(k, v); });
      });
      return out;
    });
  }

  // One alternative's units with their scores, from its words' shards (and places, for a phrase).
  function altScores(alt, clause, matched) {
    var content = alt.words.filter(function (w) { return !STOP.has(w); });
    var look = alt.phrase && content.length > 0 ? content : alt.words;
    var stemsByWord = alt.words.map(function () { return new Set(); });
    return Promise.all(alt.words.map(function (w, k) {
      if (look.indexOf(w) < 0) return null;
      return wordScores(w, clause.prefix && k === alt.words.length - 1, matched, stemsByWord[k]);
    })).then(function (maps) {
      var m = intersect(maps.filter(Boolean));
      if (!alt.phrase || content.length === 0) return m;
      return phraseUnits(Array.from(m.keys()), alt, stemsByWord).then(function (keep) {
        m.forEach(function (_, k) { if (!keep.has(k)) m.delete(k); });
        return m;
      });
    });
  }

  function docOf(key) { return Math.floor(key / STRIDE); }

  function chunkOf(key) {
    return 'docs/' + docOf(key) + '-' + Math.floor((key % STRIDE) / meta.part);
  }

  function unitRecord(key) {
    var data = loaded.get(chunkOf(key));
    var row = data && data.u[(key % STRIDE) % meta.part];
    if (!row) return null;
    var r = data.r;
    return { report: docOf(key), anchor: row[0], heading: row[1], text: row[2],
      slug: r[0], title: r[1], date: r[2], kind: r[3] };
  }

  function loadUnits(units) {
    var names = new Set(units.map(chunkOf));
    return Promise.all(Array.from(names).map(part));
  }

  function facetValues(unit, themes) {
    var r = meta.reports[docOf(unit)];
    var v = { kind: meta.kinds[r[0]][0], year: r[1], authority: meta.authorities[r[2]], theme: [] };
    if (themes) Object.keys(themes).forEach(function (t) { if (themes[t].has(unit)) v.theme.push(t); });
    return v;
  }

  function passes(values, filters, skip) {
    return ['kind', 'year', 'authority', 'theme'].every(function (f) {
      if (f === skip || !filters[f]) return true;
      return f === 'theme' ? values.theme.indexOf(filters[f]) >= 0 : values[f] === filters[f];
    });
  }

  var themeSets = null;
  function themeFacets() {
    if (themeSets) return Promise.resolve(themeSets);
    return part('facets').then(function (data) {
      themeSets = {};
      Object.keys(data || {}).forEach(function (t) { themeSets[t] = decodeUnits(data[t]); });
      return themeSets;
    });
  }

  // Best score first; among equals, newer documents (higher numbers) first, then document order.
  function byScore(a, b) {
    return b[1] - a[1] || docOf(b[0]) - docOf(a[0]) || a[0] - b[0];
  }

  // Run a query: resolves to { results: [{unit, score}], counts, matched, partial }.
  function searchClauses(text, filters, given, fallback) {
    return part('meta').then(function (m) {
      meta = m;
      shardNames = new Set(m.shards);
      var clauses = given || parse(text);
      if (clauses.length === 0) return { results: [], counts: {}, matched: new Set(), partial: false };
      var matched = new Set();
      return Promise.all(clauses.map(function (c) { return clauseScores(c, matched); }))
        .then(function (maps) {
          var all = intersect(maps);
          if (all.size > 0) return { all: all, partial: false };
          if (maps.length > 1) {
            var some = new Map();
            maps.forEach(function (mp) { mp.forEach(function (v, k) { some.set(k, (some.get(k) || 0) + v); }); });
            return { all: some, partial: true };
          }
          return { all: all, partial: false };
        })
        .then(function (found) {
          var all = found.all;
          var partial = found.partial;
          var ranked = Array.from(all.entries()).sort(byScore);
          return Promise.resolve().then(function () {
            var needThemes = !!filters.theme;
            return (needThemes ? themeFacets() : Promise.resolve(themeSets)).then(function (themes) {
              var counts = { kind: {}, year: {}, authority: {}, theme: {} };
              var kept = [];
              ranked.forEach(function (e) {
                var v = facetValues(e[0], themes);
                ['kind', 'year', 'authority'].forEach(function (f) {
                  if (passes(v, filters, f)) counts[f][v[f]] = (counts[f][v[f]] || 0) + 1;
                });
                if (passes(v, filters, 'theme')) {
                  v.theme.forEach(function (t) { counts.theme[t] = (counts.theme[t] || 0) + 1; });
                }
                if (passes(v, filters)) kept.push({ unit: e[0], score: e[1] });
              });
              return { results: kept, counts: counts, matched: matched, partial: partial,
                themesKnown: !!themes, fallback: fallback };
            });
          });
        });
    });
  }

  // Run a query; an acronym no document uses (Leeds calls its MASH the front door) falls back
  // to the phrases of the theme it marks, and the outcome says so.
  function run(text, filters) {
    return searchClauses(text, filters, null, null).then(function (outcome) {
      if (outcome.results.length > 0 || !meta) return outcome;
      var acronyms = meta.acronyms || {};
      var slug = words(text).map(function (w) { return acronyms[w] || acronyms[plural(w)]; })
        .find(Boolean);
      if (!slug) return outcome;
      return part('themes').then(function (themes) {
        var theme = themes && themes[slug];
        if (!theme) return outcome;
        var clause = { alts: theme[1].map(function (p) {
          var w = words(p);
          return { words: w, phrase: w.length > 1, known: w.length > 1 ? w : null };
        }).filter(function (a) { return a.words.length > 0; }) };
        return searchClauses(text, filters, [clause], theme[0]);
      });
    });
  }

  // ---- The page ----------------------------------------------------------------------------

  var form = document.getElementById('search-form');
  var input = document.getElementById('search-q');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var filterBox = document.getElementById('search-filters');
  if (!form || !input || !list || !status) return;
  document.documentElement.classList.add('search-ready');

  var FILTERS = ['theme', 'kind', 'year', 'authority'];
  var LABELS = { theme: 'Theme', kind: 'Document type', year: 'Year', authority: 'Authority' };
  var state = readState();
  var generation = 0;

  function readState() {
    var p = new URLSearchParams(location.search);
    var s = { q: p.get('q') || '' };
    FILTERS.forEach(function (f) { s[f] = p.get(f) || ''; });
    return s;
  }

  function writeState(push) {
    var p = new URLSearchParams();
    if (state.q) p.set('q', state.q);
    FILTERS.forEach(function (f) { if (state[f]) p.set(f, state[f]); });
    var qs = p.toString();
    var url = location.pathname + (qs ? '?' + qs : '') + location.hash;
    if (location.protocol === 'file:') return;
    if (push) history.pushState(null, '', url); else history.replaceState(null, '', url);
  }

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return e;
  }

  // The words around the densest run of matches, with matches marked; text nodes only, never
  // markup, so nothing in a document can inject HTML.
  function snippet(text, matched, prefix, phrases) {
    var parts = text.split(/([\p{L}\p{N}]+)/u);
    var isHit = function (w) {
      var l = w.toLowerCase();
      return matched.has(l) || (prefix && l.length >= prefix.length && l.startsWith(prefix));
    };
    var hits = parts.map(function (p, i) { return i % 2 === 1 && isHit(p) ? 1 : 0; });
    var WINDOW = 80;
    var start = 0, end = parts.length;
    var phraseAt = firstPhrase(parts, phrases || []);
    if (parts.length > WINDOW && phraseAt >= 0) {
      start = Math.max(0, phraseAt - 20);
      start -= start % 2;
      end = Math.min(parts.length, start + WINDOW);
    } else if (parts.length > WINDOW) {
      var best = -1, sum = 0;
      for (var i = 0; i < parts.length; i++) {
        sum += hits[i];
        if (i >= WINDOW) sum -= hits[i - WINDOW];
        if (i >= WINDOW - 1 && sum > best) { best = sum; start = i - WINDOW + 1; }
      }
      start = Math.max(0, start - 10);
      start -= start % 2;
      end = Math.min(parts.length, start + WINDOW);
    }
    var out = el('p', { class: 'search-snippet' });
    if (start > 0) out.appendChild(document.createTextNode('… '));
    for (var k = start; k < end; k++) {
      if (hits[k]) out.appendChild(el('mark', {}, [parts[k]]));
      else out.appendChild(document.createTextNode(parts[k]));
    }
    if (end < parts.length) out.appendChild(document.createTextNode(' …'));
    return out;
  }

  // Index into `parts` (words at odd places) where a quoted phrase first starts, or -1.
  function firstPhrase(parts, phrases) {
    for (var i = 1; i < parts.length; i += 2) {
      for (var p = 0; p < phrases.length; p++) {
        var ok = true;
        for (var k = 0; k < phrases[p].length; k++) {
          var w = parts[i + 2 * k];
          if (!w || plural(w.toLowerCase()) !== plural(phrases[p][k])) { ok = false; break; }
        }
        if (ok) return i;
      }
    }
    return -1;
  }

  function label(f, value) {
    if (f === 'theme') {
      var t = meta.themes.find(function (x) { return x[0] === value; });
      return t ? t[2] : value;
    }
    if (f === 'kind') {
      var k = meta.kinds.find(function (x) { return x[0] === value; });
      return k ? k[1] : value;
    }
    return value;
  }

  function renderFilters(counts) {
    if (!filterBox) return;
    filterBox.textContent = '';
    FILTERS.forEach(function (f) {
      var values = Object.keys(counts[f] || {});
      if (state[f] && values.indexOf(state[f]) < 0) values.push(state[f]);
      if (values.length === 0) return;
      values.sort(function (a, b) { return f === 'year' ? (a < b ? 1 : -1) : label(f, a).localeCompare(label(f, b)); });
      var id = 'filter-' + f;
      var select = el('select', { id: id, name: f });
      select.appendChild(el('option', { value: '' }, ['Any']));
      values.forEach(function (v) {
        var o = el('option', { value: v }, [label(f, v) + ' (' + (counts[f][v] || 0) + ')']);
        if (v === state[f]) o.selected = true;
        select.appendChild(o);
      });
      select.addEventListener('change', function () {
        state[f] = select.value;
        writeState(true);
        search();
      });
      filterBox.appendChild(el('div', { class: 'search-filter' }, [el('label', { for: id }, [LABELS[f]]), select]));
    });
  }

  // The query in quotation marks, unless it has its own (a quoted phrase): once is enough.
  function quoted(q) {
    return /["“”]/.test(q) ? q.trim() : '“' + q + '”';
  }

  function renderResults(outcome) {
    var results = outcome.results.slice(0, MAX_RESULTS);
    return loadUnits(results.map(function (r) { return r.unit; })).then(function () {
      var groups = new Map();
      results.forEach(function (r) {
        var rec = unitRecord(r.unit);
        if (!rec) return;
        if (!groups.has(rec.slug)) groups.set(rec.slug, { rec: rec, items: [] });
        groups.get(rec.slug).items.push(rec);
      });
      var clauses = parse(state.q);
      var last = clauses.length ? clauses[clauses.length - 1] : null;
      var prefix = last && last.prefix ? last.alts[0].words[0] : null;
      var phrases = clauses.filter(function (c) { return c.alts.length === 1 && c.alts[0].phrase; })
        .map(function (c) { return c.alts[0].words; });
      list.textContent = '';
      groups.forEach(function (g) {
        var base = root + 'reports/' + g.rec.slug + '/index.html';
        var items = el('ol', { class: 'search-hits' });
        g.items.forEach(function (rec) {
          var heading = rec.heading || 'Paragraph';
          items.appendChild(el('li', {}, [
            el('a', { href: base + '#' + rec.anchor }, [heading + (/^p-\d/.test(rec.anchor) ? ' (paragraph ' + rec.anchor.slice(2).replace(/-/g, '.') + ')' : '')]),
            snippet(rec.text, outcome.matched, prefix, phrases)
          ]));
        });
        list.appendChild(el('li', { class: 'search-document' }, [
          el('h2', {}, [el('a', { href: base }, [g.rec.title])]),
          el('p', { class: 'search-meta' }, [g.rec.kind + ', ' + g.rec.date]),
          items
        ]));
      });
      var n = outcome.results.length;
      var docs = groups.size;
      var asked = quoted(state.q);
      var text = n === 0 ? 'No results for ' + asked + '. Try fewer or different words, or browse the themes.'
        : n + (n === 1 ? ' result' : ' results') + ' in ' + docs + (docs === 1 ? ' document' : ' documents') +
          ' for ' + asked + (n > MAX_RESULTS ? ' (showing the best ' + MAX_RESULTS + ')' : '') +
          (outcome.partial ? '. No paragraph has all your words; these have some of them.' : '.') +
          (outcome.fallback ? ' No document uses that term, so these are findings on its theme: ' + outcome.fallback + '.' : '');
      status.textContent = text;
      renderFilters(outcome.counts);
    });
  }

  function search() {
    var mine = ++generation;
    if (!state.q.trim()) {
      list.textContent = '';
      status.textContent = '';
      if (filterBox) filterBox.textContent = '';
      return Promise.resolve();
    }
    return run(state.q, state).then(function (outcome) {
      if (mine !== generation) return null;
      return renderResults(outcome).then(function () {
        // Theme counts need the theme lists; fetch them after the results are on screen.
        if (!outcome.themesKnown) {
          return themeFacets().then(function () {
            if (mine !== generation) return null;
            return run(state.q, state).then(function (o) { if (mine === generation) renderFilters(o.counts); });
          });
        }
        return null;
      });
    }).catch(function () {
      status.textContent = 'Search could not load its index. Browse the themes below instead.';
    });
  }

  var timer = null;
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      state.q = input.value;
      writeState(false);
      search();
    }, 120);
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    clearTimeout(timer);
    state.q = input.value;
    writeState(true);
    search();
  });
  window.addEventListener('popstate', function () {
    state = readState();
    input.value = state.q;
    search();
  });

  input.value = state.q;
  if (state.q) search();
})();
