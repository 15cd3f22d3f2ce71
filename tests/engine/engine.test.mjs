// The engine as the Node harness and the browser preview load it (pkg/node, built by wasm-bindgen):
// the conformance vectors must give exactly what the Rust and PHP hosts give.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { loadVectors, runVector } from './vectors.mjs';

const require = createRequire(import.meta.url);
const engine = require('../../pkg/node/aipuffer_js.js');
const vectors = loadVectors();

const textApi = { advance: engine.advanceJson, prepare: engine.prepareJson };
const objectApi = {
  advance: (text) => JSON.stringify(engine.advance(JSON.parse(text))),
  prepare: (text) => JSON.stringify(engine.prepare(JSON.parse(text))),
};

test('there are conformance vectors to run', () => {
  assert.ok(vectors.length >= 20, `found ${vectors.length}`);
});

for (const vector of vectors) {
  for (const [name, api] of [['JSON text API', textApi], ['object API', objectApi]]) {
    if (vector.raw_input && name === 'object API') continue;
    test(`vector ${vector.file} (${name})`, () => {
      const { prepared, outputs } = runVector(vector, api);
      if (vector.prepared) assert.deepEqual(prepared, vector.prepared, 'prepare');
      (vector.steps ?? []).forEach((step, i) => assert.deepEqual(outputs[i], step.expect, `step ${i}`));
    });
  }
}

test('bad input becomes a fail step, never a thrown error', () => {
  for (const input of [undefined, null, 42, 'text', [], { task: 'prompt', site: 'nope' }, { state: { prompt: 1 } }]) {
    const step = engine.advance(input);
    assert.equal(step.step, 'fail');
    assert.equal(step.error.code, 'prompt_invalid_argument');
    assert.equal(step.error.reason, 'bad_input');
  }
  for (const text of ['', '{', 'null', '{"task":"x"}', '\u0000']) {
    const step = JSON.parse(engine.advanceJson(text));
    assert.equal(step.step, 'fail');
  }
  assert.equal(engine.prepare(undefined).step, 'fail');
});

test('prepare lists the OpenAI connector in the directory, its models in the site and their metadata in the templates', () => {
  const [vector] = vectors.filter((v) => v.file === 'openai-responses-text.json');
  const { site, directory, templates } = engine.prepare(vector.stored);
  const entry = directory.providers.find((p) => p.id === 'openai');
  assert.equal(entry.metadata.name, 'OpenAI via AI Puffer');
  assert.equal(entry.configured, true);
  const openai = site.connectors.find((c) => c.id === 'openai');
  assert.deepEqual(openai.models.map((m) => m.id), ['gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-4o-mini']);
  assert.equal(openai.model_metadata, undefined, 'the engine\'s site carries no model templates');
  assert.ok(templates.openai.model_metadata.supportedOptions.some((o) => o.name === 'temperature'));
});

test('the manifest has a template for every reason a vector fails with', () => {
  const { messages } = engine.manifest();
  for (const vector of vectors) {
    for (const step of vector.steps ?? []) {
      if (step.expect.step === 'fail') assert.ok(messages[step.expect.error.reason], `${vector.file}: ${step.expect.error.reason}`);
    }
  }
});

test('version is the crate version', () => {
  assert.match(engine.version(), /^\d+\.\d+\.\d+/);
});
