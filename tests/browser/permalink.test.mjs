// A paragraph permalink lands on the paragraph: scrolled into view and highlighted by :target.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, samplePages } from './harness.mjs';

let server;
let browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

test('opening a paragraph permalink scrolls to it and highlights it', async () => {
  const page = await browser.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  const { report } = samplePages();
  await page.goto(server.base + report);
  // A paragraph well down the page, so scrolling is needed.
  const ids = await page.$$eval('[id^="p-"]', (els) => els.map((e) => e.id));
  assert.ok(ids.length > 3, 'report has paragraphs with anchors');
  const target = ids[Math.floor(ids.length * 0.75)];
  await page.goto(`${server.base}${report}#${target}`);
  const state = await page.evaluate((id) => {
    const el = document.getElementById(id);
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return {
      matchesTarget: el.matches(':target'),
      inView: r.top >= 0 && r.top < window.innerHeight,
      background: style.backgroundColor,
      pageBackground: getComputedStyle(document.body).backgroundColor,
    };
  }, target);
  assert.ok(state.matchesTarget, 'paragraph is the :target');
  assert.ok(state.inView, 'paragraph is scrolled into view');
  assert.notEqual(state.background, state.pageBackground, 'paragraph is highlighted');
  await page.close();
});

test('the permalink on a paragraph links to itself', async () => {
  const page = await browser.newPage();
  const { report } = samplePages();
  await page.goto(server.base + report);
  const link = await page.$eval('[id^="p-"] a[href*="#p-"]', (a) => ({
    href: a.getAttribute('href'), parent: a.closest('[id^="p-"]').id,
  }));
  assert.ok(link.href.endsWith(`#${link.parent}`), JSON.stringify(link));
  await page.close();
});
