// Node: what the size of a generated image costs the engine — GPT Image's answer (one base64
// image in `data[].b64_json`) read into the AI Client's result, then the ledger and log rows (the
// log keeps "[image: …, N KB]", not the data), for images of 100 KB → 10 MB. The engine reads at
// most `max_response_bytes` of an image answer (the host never downloads more), so sizes whose
// base64 body is larger are measured as what the engine then does: refuse them.
import { engine, vector as readVector, micros, growth, advance, pad } from './lib.mjs';
import { record } from '../lib/results.mjs';

const vector = readVector('openai-image-gpt-image-landscape');
const site = engine.prepare(vector.stored).site;
const start = structuredClone({ site, ...vector.start });
start.call.config.candidateCount = 1;
const startText = JSON.stringify(start);
const [outcome] = vector.steps[0].resume.outcomes;
const locked = vector.steps[1].resume.locked;
const cap = advance(startText).requests[0].max_response_bytes;

/** Base64 of a JPEG-looking file of `bytes` bytes (the engine reads the type from the request). */
function imageBase64(bytes) {
  const data = Buffer.alloc(bytes, 0x5a);
  data.set([0xff, 0xd8, 0xff, 0xe0]);
  return data.toString('base64');
}

/** The steps after the provider answered, as one decision; returns the last step's name. */
function decide(body) {
  const http = advance(startText);
  const recordStep = advance({ state: http.state, outcomes: [{ ...outcome, body }] });
  if (recordStep.step !== 'record') return `${recordStep.step}${recordStep.error ? ` (${recordStep.error.code ?? recordStep.error.kind ?? ''})` : ''}`;
  return advance({ state: recordStep.state, locked }).step;
}

console.log(`Node ${process.version}, engine ${engine.version()}; GPT Image answer with one image; the engine reads at most ${(cap / 1048576).toFixed(0)} MB of it`);
console.log(`${pad('image KB', 9)} ${pad('body KB', 8)} ${pad('decision µs', 12)} ${pad('µs/KB', 7)}  last step`);
const points = [];
for (const kb of [100, 1000, 6000, 10000]) {
  const body = JSON.stringify({ ...JSON.parse(outcome.body), data: [{ b64_json: imageBase64(kb * 1024) }] });
  const step = decide(body);
  const us = micros(() => decide(body), 1500);
  if (step === 'write') points.push([kb, () => decide(body)]);
  console.log(`${pad(kb, 9)} ${pad(Math.round(body.length / 1024), 8)} ${pad(us.toFixed(0), 12)} ${pad((us / kb).toFixed(2), 7)}  ${step}`);
}
const k = growth(...points.slice(-2), 3000);
console.log(`growth over the two largest images read (cost ∝ size^k, side by side): k = ${k.toFixed(2)}`);
record(`image answer 100 KB → ${points.at(-1)[0] / 1000} MB: linear (k ≤ 1.1)`, k, 'k', 1.1);
