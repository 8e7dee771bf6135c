// The service worker must cache every file the app loads, or the app will not open without signal.
// Also: nothing in the client may break the server's Content-Security-Policy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

function walk(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [relative(root, p)];
  });
}

const sw = readFileSync(join(root, 'sw.js'), 'utf8');
const shell = JSON.parse(
  sw
    .match(/const SHELL = (\[[\s\S]*?\]);/)[1]
    .replace(/'/g, '"')
    .replace(/,\s*\]/, ']'),
);

test('every app file is in the service worker shell, and every shell file exists', () => {
  const files = [
    'index.html',
    'app.css',
    'manifest.webmanifest',
    'icon.svg',
    ...walk(join(root, 'src')).filter((f) => f.endsWith('.js')),
  ];
  for (const f of files) assert.ok(shell.includes(f), `${f} missing from SHELL in sw.js`);
  for (const f of shell) if (f !== './') assert.ok(files.includes(f), `${f} in SHELL but not a file`);
});

test('no inline script or style (the CSP forbids them)', () => {
  const html = readFileSync(join(root, 'index.html'), 'utf8');
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, 'inline <script>');
  assert.doesNotMatch(html, /<style/i);
  assert.doesNotMatch(html, /\sstyle=/i);
  assert.doesNotMatch(html, /\son\w+=/i, 'inline event handler');
  for (const f of walk(join(root, 'src')).filter((f) => f.endsWith('.js'))) {
    const src = readFileSync(join(root, f), 'utf8');
    assert.doesNotMatch(src, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/, `${f}`);
    assert.doesNotMatch(src, /\bstyle:\s|'style'|setAttribute\('style'/, `${f}: inline style`);
  }
});

test('the first load stays small', () => {
  const total = ['index.html', 'app.css', ...walk(join(root, 'src')).filter((f) => f.endsWith('.js'))]
    .map((f) => statSync(join(root, f)).size)
    .reduce((a, b) => a + b, 0);
  // Uncompressed; the goal is < 100 kB compressed.
  assert.ok(total < 200_000, `client is ${total} bytes`);
});
