// Node: how many route-and-price decisions the engine makes per second on one core.
// A "decision" is one whole prompt task up to its writes: start (route + build the provider
// request), resume with the provider's response (parse, usage, the result), resume with the
// locked balance (charge, ledger and log rows). The site is prepared once, as hosts keep it.
// Both APIs are measured side by side in one run: JSON text (advanceJson) and JS objects.
import { engine, vector as readVector } from './lib.mjs';
import { record } from '../lib/results.mjs';

const vector = readVector('openai-chat-completions-user-debit');
const site = engine.prepare(vector.stored).site;
const start = { site, ...vector.start };
const startText = JSON.stringify(start);
const [outcomes, locked] = [vector.steps[0].resume.outcomes, vector.steps[1].resume.locked];

function decideText() {
  const http = JSON.parse(engine.advanceJson(startText));
  const record = JSON.parse(engine.advanceJson(JSON.stringify({ state: http.state, outcomes })));
  const write = JSON.parse(engine.advanceJson(JSON.stringify({ state: record.state, locked })));
  if (write.step !== 'write') throw new Error('unexpected step ' + write.step);
}

function decideObjects() {
  const http = engine.advance(start);
  const record = engine.advance({ state: http.state, outcomes });
  const write = engine.advance({ state: record.state, locked });
  if (write.step !== 'write') throw new Error('unexpected step ' + write.step);
}

export function rate(fn, seconds = 2) {
  for (let i = 0; i < 2000; i++) fn(); // warm up the JIT and the wasm tiers
  let n = 0;
  const begin = process.hrtime.bigint();
  const end = begin + BigInt(seconds * 1e9);
  let now = begin;
  while (now < end) {
    for (let i = 0; i < 200; i++) fn();
    n += 200;
    now = process.hrtime.bigint();
  }
  return n / (Number(now - begin) / 1e9);
}

const rows = [
  ['decisions/s, JSON text API (advanceJson)', rate(decideText)],
  ['decisions/s, object API (advance)', rate(decideObjects)],
];
console.log(`Node ${process.version}, engine ${engine.version()}, one core, 2 s each (start + outcome + locked balance)`);
for (const [name, value] of rows) console.log(`${name.padEnd(44)} ${Math.round(value).toLocaleString('en-US').padStart(10)}`);
console.log(`${'object / text ratio'.padEnd(44)} ${(rows[1][1] / rows[0][1]).toFixed(2).padStart(10)}`);
// The target names no API: the faster one is what a Node host would use.
const [api, best] = rows[1][1] >= rows[0][1] ? ['object API', rows[1][1]] : ['JSON text API', rows[0][1]];
record(`Node decisions/s, one core (${api}) ≥ 50,000`, best, '/s', 50000, 'higher');
