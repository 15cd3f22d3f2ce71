// The engine as the Node harness and the browser preview load it (pkg/node, built by wasm-bindgen):
// the conformance vectors must give exactly what the Rust and PHP hosts give.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { loadVectors, runVector } from './vectors.mjs';

const require = createRequire(import.meta.url);
const engine = require('../../pkg/node/aipuffer_js.js');
const vectors = loadVectors();

test('there are conformance vectors to run', () => {
  assert.ok(vectors.length >= 10, `found ${vectors.length}`);
});

for (const vector of vectors) {
  test(`vector ${vector.file} (JSON text API)`, () => {
    const outputs = runVector(vector, engine.advanceJson);
    vector.steps.forEach((step, i) => assert.deepEqual(outputs[i], step.expect, `step ${i}`));
  });

  if (!vector.raw_input) {
    test(`vector ${vector.file} (object API)`, () => {
      const outputs = runVector(vector, (text) => JSON.stringify(engine.advance(JSON.parse(text))));
      vector.steps.forEach((step, i) => assert.deepEqual(outputs[i], step.expect, `step ${i}`));
    });
  }
}

test('bad input becomes a fail step, never a thrown error', () => {
  for (const input of [undefined, null, 42, 'text', [], { snapshot: 'nope', call: {} }]) {
    const step = engine.advance(input);
    assert.equal(step.step, 'fail');
    assert.equal(step.error.code, 'prompt_invalid_argument');
  }
  for (const text of ['', '{', 'null', '{"snapshot":{},"call":{"capability":"x"}}', '\u0000']) {
    const step = JSON.parse(engine.advanceJson(text));
    assert.equal(step.step, 'fail');
  }
});

test('describe lists the OpenAI connector with its models', () => {
  const [vector] = vectors.filter((v) => v.file === 'openai-responses-text.json');
  const described = engine.describe(vector.snapshot);
  const openai = described.providers.find((p) => p.id === 'openai');
  assert.equal(openai.metadata.name, 'OpenAI via AI Puffer');
  assert.equal(openai.configured, true);
  assert.deepEqual(openai.models.map((m) => m.id), ['gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-4o-mini']);
});

test('version is the crate version', () => {
  assert.match(engine.version(), /^\d+\.\d+\.\d+/);
});
