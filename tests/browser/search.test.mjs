// Search as a resident uses it: type words, read grouped results, follow one to the paragraph,
// filter, reload, and do the same from a copy opened with file://.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { serve, launch, PUBLIC } from './harness.mjs';

let server;
let browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

async function search(page, base, query, params = '') {
  await page.goto(`${base}search/index.html?q=${encodeURIComponent(query)}${params}`);
  await page.waitForFunction(() => /result|No results/.test(document.getElementById('search-status')?.textContent || ''));
  return page.$$eval('#search-results .search-hits a', (as) => as.map((a) => a.getAttribute('href')));
}

const slugOf = (href) => (href.match(/reports\/([^/]+)\//) || [])[1] || '';

test('CSE finds the 2015 inspection, the 2018 letter and the partnership report', async () => {
  const page = await browser.newPage();
  const hrefs = await search(page, server.base, 'CSE');
  const slugs = new Set(hrefs.map(slugOf));
  const has = (re) => [...slugs].some((s) => re.test(s));
  assert.ok(has(/^2015-.*ofsted-inspection/), [...slugs].join(' '));
  assert.ok(has(/^2018-.*focused-visit/), [...slugs].join(' '));
  assert.ok(has(/safeguarding-annual-report/), [...slugs].join(' '));
  const status = await page.textContent('#search-status');
  assert.match(status, /\d+ results? in \d+ documents?/);
  assert.equal(await page.getAttribute('#search-status', 'aria-live'), 'polite');
  await page.close();
});

test('a result leads to its paragraph, scrolled into view', async () => {
  const page = await browser.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  await search(page, server.base, 'return home interviews');
  const first = page.locator('#search-results .search-hits a').first();
  const href = await first.getAttribute('href');
  await first.click();
  await page.waitForLoadState('load');
  const id = href.split('#')[1];
  assert.ok(id, href);
  const state = await page.evaluate((anchor) => {
    const el = document.getElementById(anchor);
    const r = el.getBoundingClientRect();
    return { target: el.matches(':target'), inView: r.top >= 0 && r.top < innerHeight };
  }, id);
  assert.ok(state.target && state.inView, JSON.stringify(state));
  await page.close();
});

test('personal education plans and PEPs give the same top results', async () => {
  const page = await browser.newPage();
  const long = await search(page, server.base, 'personal education plans');
  const short = await search(page, server.base, 'PEPs');
  assert.ok(long.length >= 3 && short.length >= 3);
  assert.deepEqual(new Set(short.slice(0, 3)), new Set(long.slice(0, 3)));
  await page.close();
});

test('a typo still finds exploitation, and matches are highlighted', async () => {
  const page = await browser.newPage();
  const hrefs = await search(page, server.base, 'exploitaton');
  assert.ok(hrefs.length > 0);
  const marks = await page.$$eval('#search-results mark', (ms) => ms.map((m) => m.textContent.toLowerCase()));
  assert.ok(marks.some((m) => m.startsWith('exploit')), marks.join(','));
  await page.close();
});

test('stemming: exploited finds exploitation', async () => {
  const page = await browser.newPage();
  await search(page, server.base, 'exploited');
  const marks = await page.$$eval('#search-results mark', (ms) => ms.map((m) => m.textContent.toLowerCase()));
  assert.ok(marks.includes('exploitation'), marks.join(','));
  await page.close();
});

test('a quoted phrase must appear as written', async () => {
  const page = await browser.newPage();
  await search(page, server.base, '"return home interviews" missing');
  const snippets = await page.$$eval('#search-results .search-snippet', (ps) => ps.map((p) => p.textContent.toLowerCase()));
  assert.ok(snippets.length > 0);
  for (const s of snippets) assert.ok(/return home interview/.test(s), s);
  const status = await page.textContent('#search-status');
  assert.match(status, / for "return home interviews" missing\./, status);
  await page.close();
});

test('phrases are checked from the word index, with no document text fetched', async () => {
  // Text is fetched only to show results; ranking a phrase (quoted or an acronym's expansion)
  // must not download the text of every candidate paragraph.
  const page = await browser.newPage();
  await page.goto(`${server.base}search/index.html`);
  await page.waitForFunction(() => window.FindingsSearch);
  for (const q of ['"return home interviews"', 'CSE', 'PEP']) {
    const outcome = await page.evaluate((text) => window.FindingsSearch.query(text).then((o) => o.results.length), q);
    assert.ok(outcome > 0, `${q} finds something`);
  }
  const texts = await page.$$eval('script[src]', (ss) => ss.map((s) => s.src).filter((u) => /\/search\/docs\//.test(u)));
  assert.deepEqual(texts, []);
  await page.close();
});

test('an acronym and a theme fallback read phrase lists, not the shards of common words', async () => {
  // "child" is in a fifth of all paragraphs: its shard and places dwarf the rest of a query.
  const page = await browser.newPage();
  await page.goto(`${server.base}search/index.html`);
  await page.waitForFunction(() => window.FindingsSearch);
  const run = (q) => page.evaluate((text) => window.FindingsSearch.query(text)
    .then((o) => o.results.map((r) => [r.unit, r.score])), q);
  const cse = await run('CSE');
  const mash = await run('MASH');
  assert.ok(cse.length > 0 && mash.length > 0);
  const loaded = await page.$$eval('script[src]', (ss) => ss.map((s) => new URL(s.src).pathname)
    .filter((p) => p.includes('/search/')).map((p) => p.split('/search/')[1]));
  assert.ok(loaded.includes('phrases/child-sexual-exploitation.js'), loaded.join(' '));
  assert.ok(loaded.includes('phrases/multi-agency-safeguarding-hub.js'), loaded.join(' '));
  const terms = loaded.filter((f) => f.startsWith('terms/'));
  assert.ok(!terms.some((f) => /^terms\/(ch|se|ex|fr|st)/.test(f)), terms.join(' '));
  assert.ok(terms.length <= 2, `the acronyms' own shards only: ${terms.join(' ')}`);
  await page.close();

  // Without the phrase lists, the shards and places give the very same results and scores.
  const bare = await browser.newPage();
  await bare.route('**/search/phrases/**', (route) => route.abort());
  await bare.goto(`${server.base}search/index.html`);
  await bare.waitForFunction(() => window.FindingsSearch);
  const runBare = (q) => bare.evaluate((text) => window.FindingsSearch.query(text)
    .then((o) => o.results.map((r) => [r.unit, r.score])), q);
  const close = (a, b) => a.length === b.length && a.every((x, i) => x[0] === b[i][0] && Math.abs(x[1] - b[i][1]) < 1e-9);
  assert.ok(close(await runBare('CSE'), cse), 'CSE');
  assert.ok(close(await runBare('MASH'), mash), 'MASH');
  await bare.close();
});

test('word places are loaded only to check a phrase, and only for its words', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.base}search/index.html`);
  await page.waitForFunction(() => window.FindingsSearch);
  const places = () => page.$$eval('script[src]', (ss) => ss.map((s) => new URL(s.src).pathname)
    .filter((p) => p.includes('/search/places/')));
  const count = (q) => page.evaluate((text) => window.FindingsSearch.query(text).then((o) => o.results.length), q);
  assert.ok(await count('missing children') > 0);
  assert.deepEqual(await places(), []);
  assert.ok(await count('"return home interviews"') > 0);
  assert.ok((await places()).length <= 3, (await places()).join(' '));
  await page.close();
});

test('a year filter narrows the results and survives a reload', async () => {
  const page = await browser.newPage();
  const all = await search(page, server.base, 'supervision');
  await page.selectOption('#filter-year', '2015');
  await page.waitForFunction(() => location.search.includes('year=2015'));
  await page.waitForFunction((n) => document.querySelectorAll('#search-results .search-hits a').length < n, all.length);
  await page.reload();
  await page.waitForFunction(() => /result/.test(document.getElementById('search-status')?.textContent || ''));
  const hrefs = await page.$$eval('#search-results .search-hits a', (as) => as.map((a) => a.getAttribute('href')));
  assert.ok(hrefs.length > 0 && hrefs.length < all.length);
  assert.ok(hrefs.every((h) => /reports\/2015-/.test(h)), hrefs.join(' '));
  assert.equal(await page.inputValue('#filter-year'), '2015');
  await page.close();
});

test('document text cannot inject markup into results', async () => {
  const page = await browser.newPage();
  await search(page, server.base, 'CSE');
  const injected = await page.$$eval('#search-results script, #search-results img, #search-results iframe', (e) => e.length);
  assert.equal(injected, 0);
  await page.close();
});

test('search works from a copy opened with file://', async () => {
  const page = await browser.newPage();
  const base = `file://${path.resolve(PUBLIC)}/`;
  const hrefs = await search(page, base, 'CSE');
  assert.ok(hrefs.length > 0);
  await page.close();
});

test('an acronym no document uses falls back to its theme and says so', async () => {
  const page = await browser.newPage();
  const hrefs = await search(page, server.base, 'MASH');
  assert.ok(hrefs.length > 0);
  assert.match(await page.textContent('#search-status'), /findings on its theme/);
  await page.close();
});
