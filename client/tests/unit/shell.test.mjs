// The service worker must cache every file the app loads, or the app will not open without signal.
// Also: nothing in the client may break the server's Content-Security-Policy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

function walk(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [relative(root, p)];
  });
}

const sw = readFileSync(join(root, 'sw.js'), 'utf8');
const list = (name) =>
  JSON.parse(
    sw
      .match(new RegExp(`const ${name} = (\\[[\\s\\S]*?\\]);`))[1]
      .replace(/'/g, '"')
      .replace(/,\s*\]/, ']'),
  );
const shell = list('SHELL');
// The office's modules are cached when first used, never downloaded by a leader's phone.
const lazy = list('LAZY');

test('every app file is in the service worker shell, and every shell file exists', () => {
  const files = [
    'index.html',
    'app.css',
    'manifest.webmanifest',
    'icon.svg',
    ...walk(join(root, 'src')).filter((f) => f.endsWith('.js')),
  ];
  for (const f of files) assert.ok(shell.includes(f) || lazy.includes(f), `${f} missing from SHELL (or LAZY) in sw.js`);
  for (const f of [...shell, ...lazy]) if (f !== './') assert.ok(files.includes(f), `${f} in SHELL or LAZY but not a file`);
  for (const f of lazy) assert.ok(f.startsWith('src/views/office/'), `${f}: only the office's screens load lazily`);
  for (const f of shell) assert.ok(!f.startsWith('src/views/office/'), `${f}: an office screen in the phone's shell`);
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

/** The files a module pulls in by static imports (not `import()`), itself included. */
export function staticGraph(entry, seen = new Set()) {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const src = readFileSync(join(root, entry), 'utf8');
  for (const m of src.matchAll(/^\s*(?:import|export)\s+(?:[^'"()]*?\sfrom\s+)?['"](\.[^'"]+)['"]/gm)) {
    staticGraph(relative(root, join(root, dirname(entry), m[1])), seen);
  }
  return seen;
}

test("the leader's first load stays under 100 kB gzip-transferred, and no office screen is in it", () => {
  // index.html, the style sheet, app.js with everything it imports, and the first screen (the
  // team's cases) with everything it imports.
  const files = new Set(['index.html', 'app.css', ...staticGraph('src/app.js'), ...staticGraph('src/views/cases.js')]);
  for (const f of files) assert.ok(!f.startsWith('src/views/office/'), `${f} is loaded by the phone's first screen`);
  const bytes = [...files].map((f) => gzipSync(readFileSync(join(root, f)), { level: 6 }).length).reduce((a, b) => a + b, 0);
  console.log(`first load: ${files.size} files, ${bytes} bytes gzip`);
  assert.ok(files.has('src/i18n/vi.js') && files.has('src/outbox.js'), 'the graph is followed');
  assert.ok(bytes < 100_000, `first load is ${bytes} bytes gzip`);
});
