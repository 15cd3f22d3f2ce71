// The request bodies the engine builds, checked against the providers' own machine-readable API
// descriptions (trimmed copies in this folder; README.md says where they come from and their
// licences). The bodies are the ones recorded in the conformance vectors (tests/vectors/), which
// tests/engine, the Rust tests and PHPUnit all hold the engine to, byte for byte.
//
// The descriptions leave most objects open (an unknown field passes), so a misspelt or misplaced
// field would slip through. The test closes them: every object schema with properties gets
// `unevaluatedProperties: false` (members of an `allOf` stay open and the object that composes
// them is closed instead). Where our bodies rightly carry a field a description lacks, ALLOWANCES
// below names it, for which connector and why; an allowance no body needs any more fails. OpenAPI's
// `oneOf` is read as `anyOf` (see prepare()).
// Needs ajv (scripts/test node installs it and sets AJV).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { loadVectors } from '../engine/vectors.mjs';

const here = dirname(fileURLToPath(import.meta.url));
assert.ok(process.env.AJV, 'AJV (the ajv module directory) is required: scripts/test node sets it');
const Ajv2020 = createRequire(import.meta.url)(join(process.env.AJV, 'dist', '2020.js')).default;

// Which description, and which request-body schema in it, a request is checked against.
function endpoint(request) {
  const url = new URL(request.url);
  const path = url.pathname;
  const azure = path.includes('/openai/deployments/');
  if (path.endsWith('/chat/completions')) {
    return azure ? ['azure', 'azure-openai', 'createChatCompletionRequest']
                 : [openAiCompatible(url.host), 'openai', 'CreateChatCompletionRequest'];
  }
  if (path.endsWith('/images/generations')) {
    return azure ? ['azure', 'azure-openai', 'imageGenerationsRequest']
                 : [openAiCompatible(url.host), 'openai', 'CreateImageRequest'];
  }
  if (path.endsWith('/responses')) return ['openai', 'openai', 'CreateResponse'];
  // The Gemini API's generateContent takes the body Vertex AI's generateContent takes (README.md
  // lists where the two differ). The discovery document gives proto JSON's camelCase names; the
  // API also reads a field by its proto name, which the Google connector sends in one place, the
  // web search tool `google_search` (googleSearch here), recorded in no vector yet: a vector that
  // records it needs an allowance.
  if (path.endsWith(':generateContent') && url.host === 'generativelanguage.googleapis.com') {
    return ['google', 'vertex-ai', 'GoogleCloudAiplatformV1GenerateContentRequest'];
  }
  return undefined;
}
function openAiCompatible(host) {
  return { 'api.deepseek.com': 'deepseek', 'api.x.ai': 'xai', 'openrouter.ai': 'openrouter' }[host] ?? 'openai';
}

// POST requests no description here covers, each with the reason. Any other POST must be checked.
const NOT_COVERED = [
  { test: (u) => u.pathname.endsWith('/images/edits'), reason: 'multipart/form-data, not JSON: the description has the fields but there is no JSON body to validate' },
  { test: (u) => u.pathname.endsWith(':predict'), reason: 'Imagen predict: Google\'s PredictRequest takes `instances` as a list of any values and `parameters` as any value' },
  { test: (u) => u.pathname === '/api/chat', reason: 'Ollama\'s native API: the OpenAPI document in Ollama\'s repository ships in no registry package (see README.md)' },
  { test: (u) => u.host === 'api.anthropic.com' && u.pathname === '/v1/messages', reason: 'Anthropic Messages: Anthropic\'s OpenAPI document states no licence, so no copy is kept here; the conformance vectors and the loopback provider\'s checks (tests/provider/) hold these bodies' },
];

// Where our bodies rightly differ from a description. `path` is a slash-separated path into the
// body (`*`: every array element); the allowance drops the field there, or, with `replace`, puts
// the value it returns in its place (returning the value unchanged when it does not apply). Each
// must still be needed: checking the bodies without it must fail somewhere.
const ALLOWANCES = [
  { connectors: ['openai'], endpoint: 'CreateResponse', path: 'input/*',
    replace: (item) => item.role === 'assistant' && Array.isArray(item.content) && item.content.every((c) => c.type === 'output_text')
      ? { ...item, content: item.content.map((c) => c.text).join('') } : item,
    reason: 'An assistant turn of the history is sent as output_text parts, which the API expects for assistant turns (it refuses input_text there); the document\'s short message form lists input parts only and its full output message needs the id, status, annotations and logprobs of a stored response, so the check reads it as the equivalent string content' },
  { connectors: ['openai'], endpoint: 'CreateResponse', path: 'input/*/content/*',
    replace: (part) => part.type === 'input_image' && !('detail' in part) ? { ...part, detail: 'auto' } : part,
    reason: 'input_image without detail: the document marks detail required, the API reference gives auto as its default, which is what an absent detail means' },
  { connectors: ['deepseek'], path: 'messages/*/reasoning_content', reason: 'DeepSeek: an assistant turn that called tools is resent with its reasoning_content (DeepSeek\'s thinking-mode tool-call rule); not an OpenAI field' },
  { connectors: ['openrouter'], path: 'plugins', reason: 'OpenRouter extension: the web search plugin (include_domains/exclude_domains)' },
  { connectors: ['openrouter'], path: 'image_config', reason: 'OpenRouter extension: the aspect ratio for image-generating models' },
  { connectors: ['openrouter'], path: 'modalities', reason: 'OpenRouter takes "image" in modalities for image-generating models (OpenAI\'s enum is text and audio)' },
  { connectors: ['openrouter'], path: 'top_k', reason: 'OpenRouter extension: top_k sampling, passed on to models that support it' },
  { connectors: ['xai'], endpoint: 'CreateImageRequest', path: 'aspect_ratio', reason: 'xAI image generation extension: the aspect ratio for grok-imagine models' },
];

const documents = Object.fromEntries(['openai', 'azure-openai', 'vertex-ai'].map((name) => [
  name, JSON.parse(readFileSync(join(here, `${name}.json`), 'utf8')),
]));

// ---- closing the object schemas -------------------------------------------------------------

const IN_PLACE_LISTS = ['anyOf', 'oneOf'];
const IN_PLACE_ONE = ['if', 'then', 'else', 'not'];
const CHILD_ONE = ['items', 'additionalProperties', 'contains', 'propertyNames', 'unevaluatedProperties'];
const CHILD_MAPS = ['properties', 'patternProperties'];

/** A copy of `defs` in which every object schema is closed; see the header. */
function closeSchemas(defs) {
  const out = {};
  const refTo = (name, mode) => {
    const key = mode === 'open' ? `${name}~open` : name;
    if (!(key in out)) {
      out[key] = true; // placeholder against cycles
      out[key] = prepare(defs[name], mode);
    }
    return `#/$defs/${key}`;
  };
  const prepare = (node, mode) => {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return node;
    const copy = { ...node };
    const ownProperties = 'properties' in node || 'additionalProperties' in node || 'unevaluatedProperties' in node;
    const closeHere = mode === 'closed' && !('additionalProperties' in node) && !('unevaluatedProperties' in node)
      && ('properties' in node || 'allOf' in node);
    // Schemas applied to the same instance: open when this node (or an outer one) closes it.
    const inPlace = closeHere || ownProperties || mode === 'open' ? 'open' : 'closed';
    if (node.$ref) copy.$ref = refTo(node.$ref.replace('#/$defs/', ''), inPlace);
    if (node.allOf) copy.allOf = node.allOf.map((s) => prepare(s, 'open'));
    for (const k of IN_PLACE_LISTS) if (node[k]) copy[k] = node[k].map((s) => prepare(s, inPlace));
    // OpenAPI writes `oneOf` for unions a discriminator or the server tells apart; its branches
    // overlap (a Responses input message matches both the easy and the full message), so
    // "exactly one" is read as "at least one".
    if (copy.oneOf) {
      if (copy.anyOf) copy.allOf = [...(copy.allOf ?? []), { anyOf: copy.oneOf }];
      else copy.anyOf = copy.oneOf;
      delete copy.oneOf;
    }
    for (const k of IN_PLACE_ONE) if (k in node) copy[k] = prepare(node[k], inPlace);
    // A value inside the instance is an instance of its own: closed.
    for (const k of CHILD_ONE) if (k in node) copy[k] = prepare(node[k], 'closed');
    if (node.prefixItems) copy.prefixItems = node.prefixItems.map((s) => prepare(s, 'closed'));
    for (const k of CHILD_MAPS) {
      if (node[k]) copy[k] = Object.fromEntries(Object.entries(node[k]).map(([n, s]) => [n, prepare(s, 'closed')]));
    }
    if (closeHere) copy.unevaluatedProperties = false;
    return copy;
  };
  return { refTo, out };
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
const validators = {};
for (const [name, doc] of Object.entries(documents)) {
  const { refTo, out } = closeSchemas(doc.schema.$defs);
  const roots = Object.fromEntries(doc.roots.map((root) => [root, refTo(root, 'closed')]));
  ajv.addSchema({ $id: `${name}.json`, $defs: out });
  for (const [root, ref] of Object.entries(roots)) validators[`${name}#${root}`] = ajv.compile({ $ref: `${name}.json${ref}` });
}

function check(documentName, root, body) {
  const validate = validators[`${documentName}#${root}`];
  assert.ok(validate, `no schema ${documentName}#${root}`);
  if (validate(body)) return [];
  return validate.errors.map((e) => `${e.instancePath || '/'} ${e.message}${e.params && Object.keys(e.params).length ? ' ' + JSON.stringify(e.params) : ''}`);
}

// ---- the bodies -----------------------------------------------------------------------------

/** The body with the allowances for its connector and schema applied (all but `except`). */
function applyAllowances(body, connector, root, applied, except = -1) {
  let copy = structuredClone(body);
  ALLOWANCES.forEach((allowance, i) => {
    if (i === except || !allowance.connectors.includes(connector) || (allowance.endpoint && allowance.endpoint !== root)) return;
    const parts = allowance.path.split('/');
    const walk = (node, depth) => {
      if (!node || typeof node !== 'object') return;
      const key = parts[depth];
      const keys = key === '*' ? (Array.isArray(node) ? node.keys() : []) : Object.hasOwn(node, key) ? [key] : [];
      for (const k of keys) {
        if (depth < parts.length - 1) { walk(node[k], depth + 1); continue; }
        if (!allowance.replace) { delete node[k]; applied.add(i); continue; }
        const value = allowance.replace(node[k]);
        if (value !== node[k]) { node[k] = value; applied.add(i); }
      }
    };
    walk(copy, 0);
  });
  return copy;
}

const checked = new Map(); // `${document}#${root}` -> Map(body text -> { body, connector, root, places })
const notCovered = [];
const unknown = [];
for (const vector of loadVectors()) {
  (vector.steps ?? []).forEach((step, stepIndex) => {
    for (const request of step.expect?.requests ?? []) {
      if (request.method !== 'POST') continue;
      const place = `${vector.file} step ${stepIndex} request ${request.id}`;
      const target = endpoint(request);
      if (!target) {
        const skip = NOT_COVERED.find((n) => n.test(new URL(request.url)));
        (skip ? notCovered : unknown).push(`${place} (${request.url})${skip ? ': ' + skip.reason : ''}`);
        continue;
      }
      const [connector, documentName, root] = target;
      assert.match(request.headers['Content-Type'], /^application\/json/, `${place}: JSON body expected`);
      const key = `${documentName}#${root}`;
      if (!checked.has(key)) checked.set(key, new Map());
      const bodies = checked.get(key);
      if (!bodies.has(request.body)) bodies.set(request.body, { body: JSON.parse(request.body), connector, places: [] });
      bodies.get(request.body).places.push(`${place} [${connector}]`);
    }
  });
}

test('every POST request in the vectors is checked against a description, or named as not covered', () => {
  assert.deepEqual(unknown, [], 'requests to an endpoint this test does not know');
  assert.ok(notCovered.length > 0);
});

test('every request-body schema is exercised by the vectors', (t) => {
  const expected = Object.entries(documents).flatMap(([name, doc]) => doc.roots.map((root) => `${name}#${root}`));
  for (const key of expected) assert.ok(checked.get(key)?.size > 0, `no vector body for ${key}`);
  for (const [key, bodies] of checked) {
    const requests = [...bodies.values()].reduce((n, b) => n + b.places.length, 0);
    t.diagnostic(`${key}: ${bodies.size} distinct bodies (${requests} requests)`);
  }
  t.diagnostic(`not covered: ${notCovered.length} requests (image edits, Imagen, Ollama, Anthropic)`);
});

for (const [key, bodies] of checked) {
  const [documentName, root] = key.split('#');
  for (const { body, connector, places } of bodies.values()) {
    test(`${key}: ${places[0]}${places.length > 1 ? ` (+${places.length - 1} more)` : ''}`, () => {
      const errors = check(documentName, root, applyAllowances(body, connector, root, new Set()));
      assert.deepEqual(errors, [], `${places.join(', ')}\n${JSON.stringify(body)}`);
    });
  }
}

test('every allowance is still needed: without it some body fails', () => {
  const unneeded = ALLOWANCES.filter((allowance, i) => ![...checked].some(([key, bodies]) => {
    const [documentName, root] = key.split('#');
    return [...bodies.values()].some(({ body, connector }) => {
      const applied = new Set();
      applyAllowances(body, connector, root, applied);
      return applied.has(i) && check(documentName, root, applyAllowances(body, connector, root, new Set(), i)).length > 0;
    });
  })).map((a) => `${a.connectors.join(',')} ${a.path}`);
  assert.deepEqual(unneeded, []);
});

// The closing works: each schema rejects what a broken mapping would send.
test('the closed schemas reject a misspelt field, a misplaced one and a wrong shape', () => {
  const GEMINI = ['vertex-ai', 'GoogleCloudAiplatformV1GenerateContentRequest'];
  const cases = [
    ['openai', 'CreateChatCompletionRequest', { model: 'gpt-4.1-mini', max_tokenz: 5, messages: [{ role: 'user', content: 'Hi' }] }],
    ['openai', 'CreateChatCompletionRequest', { model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Hi', max_tokens: 5 }] }],
    ['openai', 'CreateChatCompletionRequest', { model: 'gpt-4.1-mini', messages: 'Hi' }],
    ['openai', 'CreateChatCompletionRequest', { model: 'gpt-4.1-mini', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { uri: 'data:,' } }] }] }],
    ['openai', 'CreateResponse', { model: 'gpt-4.1-mini', input: [{ role: 'user', content: [{ type: 'input_text', txt: 'Hi' }] }] }],
    ['openai', 'CreateResponse', { model: 'gpt-4.1-mini', max_tokens: 5, input: 'Hi' }],
    ['azure-openai', 'createChatCompletionRequest', { messages: [{ role: 'user', content: 'Hi' }], max_tokenz: 5 }],
    [...GEMINI, { contents: [{ role: 'user', parts: [{ text: 'Hi' }] }], generationConfig: { maxTokens: 5 } }],
    [...GEMINI, { contents: [{ role: 'user', parts: [{ inlineData: { mimeType: 'image/png', bytes: 'AA==' } }] }] }],
    [...GEMINI, { contents: [{ role: 'user', parts: [{ text: 'Hi' }] }], maxOutputTokens: 5 }],
    [...GEMINI, { contents: 'Hi' }],
  ];
  for (const [documentName, root, body] of cases) {
    assert.notDeepEqual(check(documentName, root, body), [], `${documentName}#${root} accepted ${JSON.stringify(body)}`);
  }
  // …and accepts the same bodies written correctly.
  assert.deepEqual(check('openai', 'CreateChatCompletionRequest', { model: 'gpt-4.1-mini', max_completion_tokens: 5, messages: [{ role: 'user', content: 'Hi' }] }), []);
  assert.deepEqual(check(...GEMINI, { contents: [{ role: 'user', parts: [{ text: 'Hi' }] }], generationConfig: { maxOutputTokens: 5 } }), []);
});
