// The engine's size: the component PHP loads (pkg/engine.wasm, as shipped in the plugin) and the
// browser build (pkg/web/*.wasm, as a server sends it: gzip -9).
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { record } from './lib/results.mjs';

const pkg = fileURLToPath(new URL('../pkg/', import.meta.url));
const kb = (bytes) => bytes / 1024;

const component = readFileSync(`${pkg}engine.wasm`).length;
console.log(`pkg/engine.wasm                 ${kb(component).toFixed(1).padStart(8)} KB  (target ≤ 200 KB)`);
record('pkg/engine.wasm ≤ 200 KB', kb(component), 'KB', 200);

for (const name of readdirSync(`${pkg}web`).filter((n) => n.endsWith('.wasm'))) {
  const bytes = readFileSync(`${pkg}web/${name}`);
  const gzipped = gzipSync(bytes, { level: 9 }).length;
  console.log(`pkg/web/${name} gzip -9 ${kb(gzipped).toFixed(1).padStart(8)} KB  (${kb(bytes.length).toFixed(1)} KB raw; target ≤ 150 KB gzipped)`);
  record(`web wasm (${name}) gzipped ≤ 150 KB`, kb(gzipped), 'KB', 150);
}
