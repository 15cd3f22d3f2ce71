// Node: what the size of a model catalog costs. `prepare` reads, de-duplicates and orders the
// catalog once per settings change and infers the default routes; a task's first step reads only
// the routed connector's list. All should grow at most linearly with the number of models: the
// per-model cost is printed next to each figure so the curve can be read off one run. The "no
// fast model" column is route inference's worst case: no model matches a fast keyword, so every
// keyword scans the whole list before the fast route falls back to the saved model.
import { engine, vector as readVector, micros, growth } from './lib.mjs';
import { record } from '../lib/results.mjs';

const vector = readVector('openai-responses-text');

function storedWith(models, fastModel = true) {
  const stored = structuredClone(vector.stored);
  const rows = [];
  // Ids in reverse order with every id twice: the worst case for sorting and de-duplication.
  for (let i = models - 1; i >= 0; i--) rows.push({ id: `model-${String(i).padStart(6, '0')}`, name: `Model ${i}` });
  for (let i = 0; i < models; i++) rows.push({ id: `model-${String(i).padStart(6, '0')}`, name: 'duplicate' });
  rows.push(fastModel ? { id: 'gpt-4.1-mini', name: 'GPT-4.1 mini' } : { id: 'gpt-4.1', name: 'GPT-4.1' });
  stored.catalogs.aipkit_model_registry_openai.catalogs.OpenAI = rows;
  if (!fastModel) stored.providers.OpenAI.model = 'gpt-4.1';
  return stored;
}

console.log(`Node ${process.version}, engine ${engine.version()}; catalog rows = 2 × models (every id twice)`);
console.log(
  `${'models'.padStart(8)} ${'prepare µs'.padStart(12)} ${'µs/model'.padStart(9)} ${'no fast model µs'.padStart(17)} ${'µs/model'.padStart(9)} ${'first step µs'.padStart(14)} ${'µs/model'.padStart(9)}`,
);
const runs = { prepare: [], slow: [], first: [] };
for (const models of [10, 100, 1000, 10000]) {
  const storedText = JSON.stringify(storedWith(models));
  const slowText = JSON.stringify(storedWith(models, false));
  const fastReason = JSON.parse(engine.prepareJson(slowText)).site.routes[1].why.at(-1).reason;
  if (fastReason === 'route_fast_keyword') throw new Error('the worst case should find no fast keyword (every keyword scans the list)');
  const site = JSON.parse(engine.prepareJson(storedText)).site;
  const startText = JSON.stringify({ site, ...vector.start });
  const prepare = micros(() => engine.prepareJson(storedText));
  const slow = micros(() => engine.prepareJson(slowText));
  const first = micros(() => engine.advanceJson(startText));
  if (JSON.parse(engine.advanceJson(startText)).step !== 'http') throw new Error('the first step should send the request');
  runs.prepare.push([models, () => engine.prepareJson(storedText)]);
  runs.slow.push([models, () => engine.prepareJson(slowText)]);
  runs.first.push([models, () => engine.advanceJson(startText)]);
  console.log(
    `${String(models).padStart(8)} ${prepare.toFixed(1).padStart(12)} ${(prepare / models).toFixed(3).padStart(9)} ${slow.toFixed(1).padStart(17)} ${(slow / models).toFixed(3).padStart(9)} ${first.toFixed(1).padStart(14)} ${(first / models).toFixed(3).padStart(9)}`,
  );
}
// The target is "at most linear": the exponent of the last step (1,000 → 10,000), with 0.1 for noise.
const k = Math.max(...Object.values(runs).map((column) => growth(...column.slice(-2))));
console.log(`growth 1,000 → 10,000 models (cost ∝ n^k, worst column, side by side): k = ${k.toFixed(2)}`);
record('catalog 10 → 10,000 models: at most linear (k ≤ 1.1)', k, 'k', 1.1);
