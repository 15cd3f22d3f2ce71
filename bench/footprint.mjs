// What one managed request's engine work executes inside PHP, and how much of it must come back
// from memory when the caches are cold — counted by callgrind's cache simulation, not timed, so
// the figures do not move with the machine's load. It tells why the engine costs ≈0.1 ms warm
// and several times that inside php-fpm, where WordPress's own work between two requests evicts
// the engine's code: the cold cost is the guest's machine code, fetched again line by line.
//
// `php bench/php/engine.php --footprint=…` runs under callgrind four times: warm with 0 and with N
// requests; N cache flushes alone, and N flushes each followed by a request (cold). Differences
// divided by N leave one request: loading, settling and the flushes drop out.
// Costs are split by where the code lives: the guest (the engine's wasm, compiled by wasmtime:
// code without an ELF file), wasmtime's runtime, PHP's FFI, PHP itself, libc. The simulated last
// level is 1 MiB (this machine's L2 per core); a "line" is 64 bytes.
//
// Usage: node bench/footprint.mjs [N]   (needs valgrind; scripts/bench installs it)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const N = Number(process.argv[2] ?? 10);
if (!Number.isInteger(N) || N < 1) throw new Error(`N must be a whole number of requests, at least 1 (got "${process.argv[2]}")`);
const script = fileURLToPath(new URL('./php/engine.php', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'aipuffer-footprint-'));

for (const tool of ['valgrind', 'callgrind_annotate']) {
  if (spawnSync(tool, ['--help']).error) throw new Error(`${tool} is missing: install valgrind`);
}
// Valgrind's CPU has fewer features than the host (no AVX-512), so wasmtime will not load a
// component compiled natively: the runs keep one compiled under valgrind in a cache of their own.
// Compiling it under callgrind would take minutes; a first run without instrumentation compiles it
// (once per engine build: seconds) and exits 3 when it had to.
const env = { ...process.env, AIPUFFER_ENGINE_CACHE: join(homedir(), '.cache', 'aipuffer-connectors', 'footprint-cwasm') };
const settle = spawnSync('valgrind', ['--tool=none', '-q', 'php', script, '--footprint=warm', '--requests=0'], { env, stdio: 'inherit' });
if (settle.status !== 0 && settle.status !== 3) throw new Error('the footprint workload failed under valgrind');

function callgrind(mode, requests) {
  const out = join(dir, `${mode}-${requests}.out`);
  const args = ['--tool=callgrind', '--cache-sim=yes', '--LL=1048576,16,64', `--callgrind-out-file=${out}`,
    'php', script, `--footprint=${mode}`, `--requests=${requests}`];
  return new Promise((resolve, reject) => {
    const child = spawn('valgrind', args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr = (stderr + chunk).slice(-4000); });
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`callgrind ${mode} ${requests} exited ${code}: ${stderr}`))));
  });
}

const EVENTS = ['Ir', 'Dr', 'Dw', 'I1mr', 'D1mr', 'D1mw', 'ILmr', 'DLmr', 'DLmw'];
const PARTS = ['guest (engine.wasm)', 'wasmtime', 'PHP FFI', 'PHP', 'libc', 'other'];
function part(object) {
  if (object === '???') return 'guest (engine.wasm)';
  if (object.startsWith('libwasmtime')) return 'wasmtime';
  if (object === 'ffi.so' || object.startsWith('libffi')) return 'PHP FFI';
  if (/^php\d/.test(object) || object === 'php') return 'PHP';
  if (object.startsWith('libc.so') || object.startsWith('ld-linux')) return 'libc';
  return 'other';
}

/** Self costs by part, from callgrind_annotate's per-function lines. */
function costs(file) {
  const text = spawnSync('callgrind_annotate', ['--threshold=100', file], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout;
  const sums = Object.fromEntries(PARTS.map((p) => [p, EVENTS.map(() => 0)]));
  for (const line of text.split('\n')) {
    const counts = [...line.matchAll(/([\d,]+) \(\s*[\d.]+%\)/g)].map((m) => Number(m[1].replaceAll(',', '')));
    const object = line.match(/\[([^\]]*)\]\s*$/);
    if (counts.length !== EVENTS.length || !object || line.includes('PROGRAM TOTALS')) continue;
    const sum = sums[part(object[1].split('/').pop())];
    counts.forEach((c, i) => { sum[i] += c; });
  }
  return sums;
}

try {
  // warm: N requests − none; cold: N flushes and requests − the same N flushes alone.
  const [warm0, warmN, flushN, coldN] = await Promise.all([callgrind('warm', 0), callgrind('warm', N), callgrind('flush', N), callgrind('cold', N)]);
  const perRequest = {};
  for (const [mode, base, runs] of [['warm', warm0, warmN], ['cold', flushN, coldN]]) {
    const [a, b] = [costs(base), costs(runs)];
    perRequest[mode] = Object.fromEntries(PARTS.map((p) => [p, EVENTS.map((_, i) => (b[p][i] - a[p][i]) / N)]));
  }
  const at = (mode, p, event) => perRequest[mode][p][EVENTS.indexOf(event)];
  const total = (mode, event) => PARTS.reduce((s, p) => s + at(mode, p, event), 0);
  const n = (v) => Math.round(v).toLocaleString('en-US');
  console.log(`one managed request's engine work in PHP (three calls, JSON included), per request over ${N}; callgrind, 1 MiB last level`);
  console.log(`${''.padEnd(22)}${'instructions'.padStart(14)}${'cold: code lines'.padStart(18)}${'data lines'.padStart(12)}${'code KB'.padStart(9)}`);
  for (const p of [...PARTS, 'all']) {
    const get = (mode, event) => (p === 'all' ? total(mode, event) : at(mode, p, event));
    const lines = get('cold', 'ILmr');
    console.log(`${p.padEnd(22)}${n(get('warm', 'Ir')).padStart(14)}${n(lines).padStart(18)}${n(get('cold', 'DLmr') + get('cold', 'DLmw')).padStart(12)}${(lines * 64 / 1024).toFixed(0).padStart(9)}`);
  }
  const guestShare = at('cold', 'guest (engine.wasm)', 'ILmr') / total('cold', 'ILmr');
  console.log(`warm, the same request's code lines from beyond the last level: ${n(total('warm', 'ILmr'))} (the guest's ${n(at('warm', 'guest (engine.wasm)', 'ILmr'))})`);
  console.log(`the guest's code is ${(guestShare * 100).toFixed(0)} % of what a cold request fetches again`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
