// The Nu Html Checker (vnu-jar) over every HTML page of the built site: zero errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import vnu from 'vnu-jar';
import { PUBLIC } from './harness.mjs';

function htmlFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return htmlFiles(p);
    return e.name.endsWith('.html') ? [p] : [];
  });
}

test('every page is valid HTML5', () => {
  const files = htmlFiles(PUBLIC).sort();
  assert.ok(files.length > 5, 'site has pages');
  let out = '';
  try {
    out = execFileSync('java', ['-jar', vnu, '--errors-only', '--format', 'text', ...files], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024,
    });
  } catch (e) {
    out = `${e.stdout || ''}${e.stderr || ''}`;
  }
  const errors = out.split('\n').filter((l) => l.includes('error:'));
  assert.deepEqual(errors.slice(0, 30), [], `${errors.length} HTML errors`);
});
