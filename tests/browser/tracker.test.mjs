// The recommendations tracker: filtering by words and theme, on every tracker a page holds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, samplePages } from './harness.mjs';

let server;
let browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

const shown = (tracker) => tracker.locator('tbody tr:not([hidden])').count();

test('filtering by words narrows the tracker and says how many are shown', async () => {
  const page = await browser.newPage();
  await page.goto(server.base + samplePages().tracker);
  const tracker = page.locator('.tracker');
  const all = await tracker.locator('tbody tr').count();
  assert.ok(all > 3, 'the seeds have recommendations');
  await tracker.getByLabel('Filter by words').fill('no-such-words-anywhere');
  assert.equal(await shown(tracker), 0);
  await tracker.getByLabel('Filter by words').fill('');
  assert.equal(await shown(tracker), all);
  assert.match(await tracker.getByRole('status').textContent(), new RegExp(`Showing ${all} of ${all}`));
  await page.close();
});

test('a page with two trackers gets filters on each, with their own labels', async () => {
  const page = await browser.newPage();
  // A second tracker, put in before the page's scripts enhance it.
  await page.addInitScript(() => {
    document.addEventListener('readystatechange', () => {
      const first = document.querySelector('.tracker');
      if (document.readyState === 'interactive' && first) first.after(first.cloneNode(true));
    });
  });
  await page.goto(server.base + samplePages().tracker);
  const trackers = page.locator('.tracker');
  assert.equal(await trackers.count(), 2);
  const ids = await page.$$eval('.tracker input[type=search]', (els) => els.map((e) => e.id));
  assert.equal(ids.length, 2, 'each tracker has its word filter');
  assert.notEqual(ids[0], ids[1], 'ids on a page are unique');
  const all = await trackers.nth(0).locator('tbody tr').count();
  await trackers.nth(1).getByLabel('Filter by words').fill('no-such-words-anywhere');
  assert.equal(await shown(trackers.nth(1)), 0, 'the second tracker is filtered');
  assert.equal(await shown(trackers.nth(0)), all, 'the first is left as it was');
  await page.close();
});
