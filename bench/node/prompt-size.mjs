// Node: what the size of a prompt costs the engine — one whole decision (start: route and build
// the provider request; resume with the provider's answer; resume with the locked balance: the
// ledger and log rows, the log carrying the prompt) through the JSON text API the PHP host uses,
// for a user message of 1 KB → 1 MB. Should be linear: the per-KB cost is printed beside it.
import { engine, vector as readVector, micros, growth, advance, pad } from './lib.mjs';
import { record } from '../lib/results.mjs';

const vector = readVector('openai-chat-completions-user-debit');
const site = engine.prepare(vector.stored).site;
const [outcomes, locked] = [vector.steps[0].resume.outcomes, vector.steps[1].resume.locked];

/** Plain words (multi-byte text would only change the count of bytes per character). */
function text(bytes) {
  const words = 'the quick brown fox jumps over a lazy dog while seven wizards quietly judge boxing ';
  return words.repeat(Math.ceil(bytes / words.length)).slice(0, bytes);
}

function decide(startText) {
  const http = advance(startText);
  const recordStep = advance({ state: http.state, outcomes });
  const write = advance({ state: recordStep.state, locked });
  if (write.step !== 'write') throw new Error(`unexpected step ${write.step}: ${JSON.stringify(write).slice(0, 300)}`);
}

console.log(`Node ${process.version}, engine ${engine.version()}; one decision (3 steps, JSON text) per prompt size`);
console.log(`${pad('prompt KB', 10)} ${pad('decision µs', 12)} ${pad('µs/KB', 8)}`);
const points = [];
for (const kb of [1, 10, 100, 1000]) {
  const start = structuredClone({ site, ...vector.start });
  start.call.messages.at(-1).parts[0].text = text(kb * 1024);
  const startText = JSON.stringify(start);
  decide(startText);
  const us = micros(() => decide(startText));
  points.push([kb, () => decide(startText)]);
  console.log(`${pad(kb, 10)} ${pad(us.toFixed(0), 12)} ${pad((us / kb).toFixed(2), 8)}`);
}
const k = growth(...points.slice(-2));
console.log(`growth 100 KB → 1 MB (cost ∝ size^k, side by side): k = ${k.toFixed(2)}`);
record('prompt size 1 KB → 1 MB: linear (k ≤ 1.1)', k, 'k', 1.1);
