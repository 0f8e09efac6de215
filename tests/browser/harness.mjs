// Shared set-up for the browser tests: serve the built site over loopback at a sub-path (as a
// static host would) and start Debian's Chromium through playwright-core.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { chromium } from 'playwright-core';

export const PUBLIC = process.env.FINDINGS_PUBLIC;
if (!PUBLIC || !fs.existsSync(path.join(PUBLIC, 'index.html'))) {
  throw new Error('set FINDINGS_PUBLIC to a built site (run tests/run-all.sh)');
}
export const SUBPATH = '/archive/';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.xml': 'application/xml', '.csv': 'text/csv', '.txt': 'text/plain',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
};

/** Serve PUBLIC under SUBPATH on 127.0.0.1; resolves to the base URL. */
export function serve() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (!url.pathname.startsWith(SUBPATH)) { res.writeHead(404); res.end(); return; }
    let rel = decodeURIComponent(url.pathname.slice(SUBPATH.length));
    let file = path.join(PUBLIC, rel);
    if (!file.startsWith(PUBLIC)) { res.writeHead(403); res.end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!fs.existsSync(file)) {
      res.writeHead(404, { 'content-type': TYPES['.html'] });
      res.end(fs.readFileSync(path.join(PUBLIC, '404.html')));
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ base: `http://127.0.0.1:${port}${SUBPATH}`, close: () => server.close() });
    });
  });
}

/**
 * Chromium as the task's rules ask: headless, no sandbox, a fresh profile, no network extras.
 * The profile (about 4 MB) is deleted when the browser closes, so test runs leave nothing in
 * the temporary folder.
 */
export async function launch() {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'findings-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const close = context.close.bind(context);
  context.close = async (...args) => {
    try {
      await close(...args);
    } finally {
      fs.rmSync(userDataDir, { recursive: true, force: true });
    }
  };
  return context;
}

/** Paths (relative to PUBLIC) of one page of each kind a person meets. */
export function samplePages() {
  const first = (dir) => {
    const d = path.join(PUBLIC, dir);
    const names = fs.readdirSync(d).filter((n) => fs.existsSync(path.join(d, n, 'index.html'))).sort();
    if (names.length === 0) throw new Error(`no pages under ${dir}`);
    return `${dir}/${names[0]}/`;
  };
  const recReport = first('recommendations');
  const recDir = path.join(PUBLIC, recReport);
  const rec = fs.readdirSync(recDir).filter((n) => n.startsWith('r-')).sort()[0];
  return {
    home: '',
    report: first('reports'),
    theme: first('themes'),
    tracker: 'recommendations/',
    authority: first('authorities'),
    recommendation: `${recReport}${rec}/`,
    search: 'search/?q=child+sexual+exploitation',
  };
}
