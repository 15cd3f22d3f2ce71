// Node: how many route-and-price decisions the engine makes per second on one core.
// A "decision" is one whole call: advance (route + build the provider request) then advance with
// the provider's response (parse, usage, charge, ledger and log rows). Both APIs are measured side
// by side in one run: JSON text in/out (advanceJson) and JS objects (advance).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const engine = require('../../pkg/node/aipuffer_js.js');
const vector = JSON.parse(readFileSync(fileURLToPath(new URL('../../tests/vectors/openai-responses-text.json', import.meta.url)), 'utf8'));
const responses = vector.steps[0].responses;

function decideText() {
  const first = JSON.parse(engine.advanceJson(JSON.stringify({ snapshot: vector.snapshot, call: vector.call })));
  const done = JSON.parse(engine.advanceJson(JSON.stringify({ snapshot: vector.snapshot, call: vector.call, state: first.state, responses })));
  if (done.step !== 'done') throw new Error('unexpected step ' + done.step);
}

function decideObjects() {
  const first = engine.advance({ snapshot: vector.snapshot, call: vector.call });
  const done = engine.advance({ snapshot: vector.snapshot, call: vector.call, state: first.state, responses });
  if (done.step !== 'done') throw new Error('unexpected step ' + done.step);
}

function rate(fn, seconds = 2) {
  for (let i = 0; i < 2000; i++) fn(); // warm up the JIT and the wasm tiers
  let n = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(seconds * 1e9);
  let now = start;
  while (now < end) {
    for (let i = 0; i < 200; i++) fn();
    n += 200;
    now = process.hrtime.bigint();
  }
  return n / (Number(now - start) / 1e9);
}

const rows = [
  ['decisions/s, JSON text API (advanceJson)', rate(decideText)],
  ['decisions/s, object API (advance)', rate(decideObjects)],
];
console.log(`Node ${process.version}, engine ${engine.version()}, one core, 2 s each`);
for (const [name, value] of rows) console.log(`${name.padEnd(44)} ${Math.round(value).toLocaleString('en-US').padStart(10)}`);
console.log(`${'object / text ratio'.padEnd(44)} ${(rows[1][1] / rows[0][1]).toFixed(2).padStart(10)}`);
