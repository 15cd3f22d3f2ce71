// The secret scan finds a planted key, in text and in binary, names it and never prints it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Keys, demoKeys, scanFiles, testKeyLiterals } from './scan.mjs';

const SCANNER = fileURLToPath(new URL('./scan.mjs', import.meta.url));

function plant() {
  const dir = mkdtempSync(join(tmpdir(), 'aipuffer-secret-scan-'));
  const key = `sk-planted-${randomBytes(12).toString('hex')}`;
  mkdirSync(join(dir, 'root', 'logs'), { recursive: true });
  writeFileSync(join(dir, 'root', 'logs', 'clean.log'), 'nothing to see\n');
  writeFileSync(join(dir, 'root', 'logs', 'php-error.log'), `[01-Jan-2026] request failed: Authorization: Bearer ${key}\n`);
  writeFileSync(join(dir, 'root', 'shot.png'), Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0xff]), Buffer.from(key), Buffer.from([0, 1, 2])]));
  writeFileSync(join(dir, 'keys.json'), JSON.stringify({ planted: key, short: 'sk-short' }));
  return { dir, key, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

test('a planted key is found in a text file and in a binary one, an excluded path is not searched', () => {
  const { dir, key, cleanup } = plant();
  try {
    const keys = new Keys();
    keys.add('planted', key);
    keys.add('short', 'sk-short'); // under 12 characters: ignored
    assert.equal(keys.size, 1);
    const result = scanFiles(keys, [join(dir, 'root')]);
    assert.equal(result.files, 3);
    assert.deepEqual(result.found.map(({ file, name }) => [file, name]), [
      [join(dir, 'root', 'logs', 'php-error.log'), 'planted'],
      [join(dir, 'root', 'shot.png'), 'planted'],
    ]);
    const excluded = scanFiles(keys, [join(dir, 'root')], new Set([join(dir, 'root', 'logs')]));
    assert.deepEqual(excluded.found.map(({ file }) => file), [join(dir, 'root', 'shot.png')]);
  } finally {
    cleanup();
  }
});

test('the command names the key and the file, never the key itself, and fails', () => {
  const { dir, key, cleanup } = plant();
  try {
    const run = (...args) => {
      try {
        return { code: 0, out: execFileSync(process.execPath, [SCANNER, '--keys-file', join(dir, 'keys.json'), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
      } catch (error) {
        return { code: error.status, out: `${error.stdout}${error.stderr}` };
      }
    };
    const dirty = run(join(dir, 'root'));
    assert.equal(dirty.code, 1, dirty.out);
    assert.match(dirty.out, /FOUND keys file\.planted in .*php-error\.log/);
    assert.match(dirty.out, /FOUND keys file\.planted in .*shot\.png/);
    assert.match(dirty.out, /secret scan: \d+ keys, 3 files, [\d.]+ MB scanned: 2 found/);
    assert.ok(!dirty.out.includes(key), 'the key is never printed');

    rmSync(join(dir, 'root', 'shot.png'));
    rmSync(join(dir, 'root', 'logs', 'php-error.log'));
    const clean = run(join(dir, 'root'));
    assert.equal(clean.code, 0, clean.out);
    assert.match(clean.out, /secret scan: \d+ keys, 1 files, [\d.]+ MB scanned: 0 found/);
  } finally {
    cleanup();
  }
});

test('the demo keys and the keys the tests store are looked for (the browser test types one in)', () => {
  assert.ok(JSON.parse(demoKeys()).openai, 'DEMO_KEYS as scripts/lib/site.sh sets it');
  const keys = new Keys();
  testKeyLiterals(keys);
  const names = keys.entries().map(([, name]) => name);
  assert.ok(names.some((name) => name.startsWith('test key at tests/browser/connectors-screen.test.mjs:')), names.join('\n'));
  assert.ok(names.some((name) => name.startsWith('test key at host-php/tests/WordPress/AdminTest.php:')), names.join('\n'));
});
