// Search benchmark, browser half: serves a built public/ (with our index and Pagefind's beside it)
// on 127.0.0.1, runs a fixed list of queries in headless Chromium against both, and counts the
// bytes each fetches and where the result a person expects ranks. Called by run.sh, which builds
// the site and both indexes and passes their build times and sizes in --build.
//
//   node bench.mjs --public DIR --queries queries.json --build build.json --out results/x.json [--no-ranks]
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';

const TOP = 5;
/** Pagefind results whose page data we fetch to find the expected document's rank. */
const PAGEFIND_DEPTH = 10;
/** Our search page shows at most this many results (static/search.js MAX_RESULTS). */
const OUR_PAGE_RESULTS = 60;
/** The whole run stops by itself after this long, so a stuck browser never lingers. */
const DEADLINE_MS = 20 * 60 * 1000;

const args = parseArgs(process.argv.slice(2));
const PUBLIC = path.resolve(args.public);
const queries = JSON.parse(fs.readFileSync(args.queries, 'utf8')).queries;
const build = JSON.parse(fs.readFileSync(args.build, 'utf8'));
const withRanks = !args['no-ranks'];

const deadline = setTimeout(() => { console.error('search bench: deadline passed, stopping'); process.exit(3); }, DEADLINE_MS);
deadline.unref();

function parseArgs(list) {
  const out = {};
  for (let i = 0; i < list.length; i++) {
    const key = list[i].replace(/^--/, '');
    if (key === 'no-ranks') out[key] = true;
    else out[key] = list[++i];
  }
  for (const k of ['public', 'queries', 'build', 'out']) {
    if (!out[k]) throw new Error(`missing --${k}; see the header of bench.mjs`);
  }
  return out;
}

// ---- The server: the site as a static host serves it, gzip for text, and a log of every body sent.

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.wasm': 'application/wasm',
};
const COMPRESSIBLE = new Set(['.html', '.css', '.js', '.json']);
const gzipCache = new Map();
const log = [];

// A page of our own (not in public/) that loads Pagefind's API the way its documentation shows.
const PAGEFIND_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>pagefind bench</title></head>
<body><script type="module">
const pf = await import('/_pagefind/pagefind.js');
window.pagefindQuery = async (q, depth) => {
  const s = await pf.search(q);
  const data = await Promise.all(s.results.slice(0, depth).map((r) => r.data()));
  return { total: s.results.length, pages: data.map((d) => ({ url: d.url, subs: (d.sub_results || []).map((x) => x.url) })) };
};
window.pagefindReady = true;
</script></body></html>`;

function serve() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const rel = decodeURIComponent(url.pathname);
    if (rel === '/__bench/pagefind.html') return send(req, res, rel, Buffer.from(PAGEFIND_PAGE), '.html');
    let file = path.join(PUBLIC, rel);
    if (!file.startsWith(PUBLIC)) { res.writeHead(403); res.end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!fs.existsSync(file)) { res.writeHead(404); res.end(); return; }
    return send(req, res, rel, fs.readFileSync(file), path.extname(file));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ base: `http://127.0.0.1:${server.address().port}`, close: () => server.close() }));
  });
}

function send(req, res, rel, body, ext) {
  const headers = { 'content-type': TYPES[ext] || 'application/octet-stream', 'cache-control': 'no-cache' };
  let out = body;
  if (COMPRESSIBLE.has(ext) && /\bgzip\b/.test(req.headers['accept-encoding'] || '')) {
    if (!gzipCache.has(rel)) gzipCache.set(rel, zlib.gzipSync(body, { level: 6 }));
    out = gzipCache.get(rel);
    headers['content-encoding'] = 'gzip';
  }
  log.push({ path: rel, raw: body.length, wire: out.length });
  res.writeHead(200, headers);
  res.end(out);
}

/** Bytes logged since `mark` on paths the engine needs (never the HTML page itself). */
function bytesSince(mark, engine) {
  const mine = engine === 'ours'
    ? (p) => p === '/static/search.js' || (p.startsWith('/search/') && !p.endsWith('.html'))
    : (p) => p.startsWith('/_pagefind/');
  const out = { raw: 0, wire: 0, files: 0, by_part: {} };
  for (const e of log.slice(mark)) {
    if (!mine(e.path)) continue;
    out.raw += e.raw; out.wire += e.wire; out.files += 1;
    const part = partOf(e.path);
    out.by_part[part] = (out.by_part[part] || 0) + e.wire;
  }
  return out;
}

/** Which part of an engine a file is, for the byte breakdown: script, meta, terms, docs, wasm, … */
function partOf(p) {
  if (p.endsWith('.js') && !p.startsWith('/search/')) return 'script';
  if (/\.pagefind$/.test(p)) return 'wasm';
  if (/\.pf_meta$|pagefind-entry\.json$/.test(p)) return 'meta';
  const dir = p.split('/')[2];
  return p.split('/').length > 3 ? dir : dir.replace(/\.js$/, '');
}

// ---- Our index, read in node: which report and anchor each unit is, and which chunk holds it.

function loadScript(file) {
  const box = { FindingsSearch: { load: (name, data) => { box.data = data; } } };
  vm.createContext(box);
  vm.runInContext(fs.readFileSync(file, 'utf8'), box);
  return box.data;
}

const meta = loadScript(path.join(PUBLIC, 'search/meta.js'));
/** A unit's key is its document's number times this plus its place (static/search.js STRIDE). */
const STRIDE = 1048576;
const chunkOf = (unit) => `${Math.floor(unit / STRIDE)}-${Math.floor((unit % STRIDE) / meta.part)}`;

function unitNames() {
  const names = new Map();
  const dir = path.join(PUBLIC, 'search/docs');
  for (const f of fs.readdirSync(dir)) {
    const [doc, part] = f.replace(/\.js$/, '').split('-').map(Number);
    const d = loadScript(path.join(dir, f));
    d.u.forEach((row, i) => names.set(doc * STRIDE + part * meta.part + i, `${d.r[0]}#${row[0]}`));
  }
  return names;
}

// ---- One query, each engine, in a page that is already open.

/** Our engine: the query, then the text chunks of the top results (for their snippets). */
async function oursQuery(page, q) {
  const results = await page.evaluate((text) => window.FindingsSearch.query(text, {})
    .then((o) => o.results.map((r) => r.unit)), q);
  const chunks = [...new Set(results.slice(0, TOP).map(chunkOf))];
  await page.evaluate((names) => Promise.all(names.map((n) => new Promise((resolve) => {
    // A chunk the query itself loaded (for phrase checks) is not fetched again.
    const url = new URL(`../search/docs/${n}.js`, location.href).href;
    if (performance.getEntriesByName(url).length > 0) { resolve(); return; }
    const tag = document.createElement('script');
    tag.src = `../search/docs/${n}.js`;
    tag.onload = tag.onerror = resolve;
    document.head.appendChild(tag);
  }))), chunks);
  return results;
}

async function pagefindQuery(page, q, depth) {
  return page.evaluate(([text, d]) => window.pagefindQuery(text, d), [q, depth]);
}

async function openOurs(context, base, q) {
  const page = await context.newPage();
  await page.goto(`${base}/search/index.html${q ? `?q=${encodeURIComponent(q)}` : ''}`);
  await page.waitForFunction(() => !!window.FindingsSearch);
  return page;
}

async function openPagefind(context, base) {
  const page = await context.newPage();
  await page.goto(`${base}/__bench/pagefind.html`);
  await page.waitForFunction(() => window.pagefindReady === true);
  return page;
}

// ---- Ranks.

const slugOf = (key) => key.split('#')[0];

function rankIn(list, wanted) {
  const i = list.findIndex((x) => wanted.has(x));
  return i < 0 ? null : i + 1;
}

/** Our results in the order the search page shows them: grouped by document, best group first. */
function displayed(keys) {
  const groups = new Map();
  for (const k of keys.slice(0, OUR_PAGE_RESULTS)) {
    if (!groups.has(slugOf(k))) groups.set(slugOf(k), []);
    groups.get(slugOf(k)).push(k);
  }
  return [...groups.values()].flat();
}

function oursRanks(units, expect, names) {
  const keys = units.map((u) => names.get(u));
  const wanted = new Set(expect);
  const docs = [...new Set(keys.map(slugOf))];
  return {
    paragraph: rankIn(keys, wanted),
    paragraph_as_shown: rankIn(displayed(keys), wanted),
    document: rankIn(docs, new Set(expect.map(slugOf))),
    top3: keys.slice(0, 3),
    total: keys.length,
  };
}

function pagefindRanks(found, expect) {
  const docs = found.pages.map((p) => (p.url.match(/reports\/([^/]+)\//) || [])[1] || p.url);
  const subs = found.pages.flatMap((p) => p.subs.map((u) => {
    const m = u.match(/reports\/([^/]+)\/(?:index\.html)?#(.+)$/);
    return m ? `${m[1]}#${m[2]}` : u;
  }));
  return {
    document: rankIn(docs, new Set(expect.map(slugOf))),
    paragraph: rankIn(subs, new Set(expect)),
    top3: docs.slice(0, 3),
    total: found.total,
  };
}

// ---- The run.

const median = (xs) => {
  const s = xs.filter((x) => x !== null && x !== undefined).sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : null;
};
const max = (xs) => Math.max(...xs);

async function main() {
  const server = await serve();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const names = withRanks ? unitNames() : null;
  if (names) {
    const known = new Set(names.values());
    for (const q of queries) {
      for (const e of q.expect) if (!known.has(e)) console.error(`note: expected ${e} for “${q.q}” is not in the index (anchor changed?)`);
    }
  }
  const rows = [];
  try {
    for (const q of queries) {
      const row = { q: q.q, kind: q.kind, expect: q.expect };
      // First query, like for like: a fresh browser profile, then the query and its top 5 snippets.
      let context = await browser.newContext();
      let mark = log.length;
      let page = await openOurs(context, server.base);
      const units = await oursQuery(page, q.q);
      row.ours_first = bytesSince(mark, 'ours');
      await context.close();

      // First query as our search page really runs it: every shown result's text, and the theme lists.
      context = await browser.newContext();
      mark = log.length;
      page = await openOurs(context, server.base, q.q);
      await page.waitForFunction(() => /result|No results/.test(document.getElementById('search-status')?.textContent || ''));
      await page.waitForLoadState('networkidle');
      row.ours_first_page = bytesSince(mark, 'ours');
      await context.close();

      context = await browser.newContext();
      mark = log.length;
      page = await openPagefind(context, server.base);
      const found = await pagefindQuery(page, q.q, TOP);
      row.pagefind_first = bytesSince(mark, 'pagefind');
      if (withRanks) {
        const deeper = await pagefindQuery(page, q.q, PAGEFIND_DEPTH);
        row.ours = oursRanks(units, q.expect, names);
        row.pagefind = pagefindRanks(deeper, q.expect);
      } else {
        row.ours = { total: units.length };
        row.pagefind = { total: found.total };
      }
      await context.close();
      rows.push(row);
      process.stderr.write('.');
    }
    process.stderr.write('\n');

    // Later queries: one page each, all queries in turn; bytes each query adds.
    const context = await browser.newContext();
    const ours = await openOurs(context, server.base);
    const pf = await openPagefind(context, server.base);
    for (const row of rows) {
      let mark = log.length;
      await oursQuery(ours, row.q);
      row.ours_in_session = bytesSince(mark, 'ours');
      mark = log.length;
      await pagefindQuery(pf, row.q, TOP);
      row.pagefind_in_session = bytesSince(mark, 'pagefind');
    }
    await context.close();
  } finally {
    await browser.close();
    server.close();
  }
  return rows;
}

/** Median bytes of each part (script, meta, terms, …) over the queries' first fetches. */
function partMedians(rows, key) {
  const parts = new Set(rows.flatMap((r) => Object.keys(r[key].by_part)));
  return Object.fromEntries([...parts].sort().map((p) => [p, median(rows.map((r) => r[key].by_part[p] || 0))]));
}

function summarise(rows) {
  const later = rows.slice(1);
  const col = (key, field) => rows.map((r) => r[key][field]);
  const hit = (rank) => rank !== null && rank !== undefined && rank <= TOP;
  const rate = (f) => (withRanks ? rows.filter(f).length / rows.length : null);
  return {
    queries: rows.length,
    first_query_wire_bytes: {
      ours: { median: median(col('ours_first', 'wire')), max: max(col('ours_first', 'wire')) },
      ours_search_page: { median: median(col('ours_first_page', 'wire')), max: max(col('ours_first_page', 'wire')) },
      pagefind: { median: median(col('pagefind_first', 'wire')), max: max(col('pagefind_first', 'wire')) },
    },
    first_query_raw_bytes: {
      ours: { median: median(col('ours_first', 'raw')), max: max(col('ours_first', 'raw')) },
      ours_search_page: { median: median(col('ours_first_page', 'raw')), max: max(col('ours_first_page', 'raw')) },
      pagefind: { median: median(col('pagefind_first', 'raw')), max: max(col('pagefind_first', 'raw')) },
    },
    first_query_parts_median: { ours: partMedians(rows, 'ours_first'), pagefind: partMedians(rows, 'pagefind_first') },
    later_query_wire_bytes: {
      ours: { median: median(later.map((r) => r.ours_in_session.wire)), max: max(later.map((r) => r.ours_in_session.wire)) },
      pagefind: { median: median(later.map((r) => r.pagefind_in_session.wire)), max: max(later.map((r) => r.pagefind_in_session.wire)) },
    },
    top5: {
      ours_paragraph: rate((r) => hit(r.ours.paragraph)),
      ours_paragraph_as_shown: rate((r) => hit(r.ours.paragraph_as_shown)),
      ours_document: rate((r) => hit(r.ours.document)),
      pagefind_document: rate((r) => hit(r.pagefind.document)),
      pagefind_paragraph: rate((r) => hit(r.pagefind.paragraph)),
    },
  };
}

const kb = (b) => (b === null || b === undefined ? 'n/a' : `${(b / 1024).toFixed(1)} KB`);
const pct = (x) => (x === null ? 'n/a' : `${Math.round(x * 100)}%`);
const ms = (x) => (x === null || x === undefined ? 'n/a' : `${Math.round(x)} ms`);
const ratio = (a, b) => (a === null || b === null || !b ? '' : (a / b).toFixed(2));

function table(s) {
  const b = build;
  const lines = [
    ['', 'ours', 'Pagefind', 'ours/Pagefind'],
    ['index build time (median)', ms(b.ours.search_ms), ms(b.pagefind.index_ms), ratio(b.ours.search_ms, b.pagefind.index_ms)],
    ['  whole command, wall', ms(b.ours.build_wall_ms), ms(b.pagefind.wall_ms), ratio(b.ours.build_wall_ms, b.pagefind.wall_ms)],
    ['index size on disk', kb(b.ours.index_bytes), kb(b.pagefind.index_bytes), ratio(b.ours.index_bytes, b.pagefind.index_bytes)],
    ['  with the search script(s)', kb(b.ours.index_bytes + b.ours.script_bytes), kb(b.pagefind.folder_bytes), ratio(b.ours.index_bytes + b.ours.script_bytes, b.pagefind.folder_bytes)],
    ['first query, top 5 (median)', kb(s.first_query_wire_bytes.ours.median), kb(s.first_query_wire_bytes.pagefind.median), ratio(s.first_query_wire_bytes.ours.median, s.first_query_wire_bytes.pagefind.median)],
    ['first query, top 5 (max)', kb(s.first_query_wire_bytes.ours.max), kb(s.first_query_wire_bytes.pagefind.max), ratio(s.first_query_wire_bytes.ours.max, s.first_query_wire_bytes.pagefind.max)],
    ['first query, our page, 60 shown (median)', kb(s.first_query_wire_bytes.ours_search_page.median), '', ''],
    ['first query, uncompressed (median)', kb(s.first_query_raw_bytes.ours.median), kb(s.first_query_raw_bytes.pagefind.median), ratio(s.first_query_raw_bytes.ours.median, s.first_query_raw_bytes.pagefind.median)],
    ['later query (median)', kb(s.later_query_wire_bytes.ours.median), kb(s.later_query_wire_bytes.pagefind.median), ratio(s.later_query_wire_bytes.ours.median, s.later_query_wire_bytes.pagefind.median)],
    ['later query (max)', kb(s.later_query_wire_bytes.ours.max), kb(s.later_query_wire_bytes.pagefind.max), ''],
  ];
  if (withRanks) {
    lines.push(
      ['expected paragraph in top 5', pct(s.top5.ours_paragraph), pct(s.top5.pagefind_paragraph), ''],
      ['  as our page shows it (grouped)', pct(s.top5.ours_paragraph_as_shown), '', ''],
      ['expected document in top 5', pct(s.top5.ours_document), pct(s.top5.pagefind_document), ''],
    );
  }
  const w = [40, 12, 12, 13];
  return lines.map((l) => l.map((c, i) => (i === 0 ? String(c).padEnd(w[i]) : String(c).padStart(w[i]))).join(' ')).join('\n');
}

function misses(rows) {
  return rows.filter((r) => r.ours.paragraph === null || r.ours.paragraph > TOP).map((r) =>
    `  ${JSON.stringify(r.q)}: rank ${r.ours.paragraph ?? 'miss'} (doc ${r.ours.document ?? 'miss'}); expected ${r.expect.join(', ')}\n` +
    `      our top 3: ${r.ours.top3.join(', ') || '(none)'}; Pagefind doc rank ${r.pagefind.document ?? 'miss'}`).join('\n');
}

const rows = await main();
const summary = summarise(rows);
const out = {
  label: args.label || path.basename(args.out, '.json'),
  site: build.site,
  reports: build.reports,
  cpus: os.cpus().length,
  pagefind_version: build.pagefind.version,
  note: 'bytes are as a static host serves them: text gzipped, Pagefind\'s own binary files as they are on disk; "top 5" fetches the text of the top 5 results for both engines',
  build,
  summary,
  queries: rows,
};
fs.mkdirSync(path.dirname(args.out), { recursive: true });
fs.writeFileSync(args.out, `${JSON.stringify(out, null, 1)}\n`);
console.log(table(summary));
const parts = (m) => Object.entries(m).map(([k, v]) => `${k} ${kb(v)}`).join(', ');
console.log(`\nfirst query by part (medians): ours: ${parts(summary.first_query_parts_median.ours)}`);
console.log(`                               Pagefind: ${parts(summary.first_query_parts_median.pagefind)}`);
if (withRanks) {
  const m = misses(rows);
  console.log(m ? `\nqueries whose expected paragraph is not in our top ${TOP}:\n${m}` : `\nevery expected paragraph is in our top ${TOP}`);
}
console.log(`\nwritten: ${args.out}`);
