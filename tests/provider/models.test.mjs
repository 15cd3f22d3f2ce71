// Tests of every format's model list, the endpoint the engine's "Sync models" reads: each
// provider's path, shape, pagination and auth, and that the image models it lists are still
// refused (or answered as the real API would) by the text endpoints.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startProvider } from './server.mjs';
import { send } from './client.mjs';

const KEYS = {
  openai: 'sk-loopback-demo-key-0000000000',
  google: 'AIzaSyLoopbackDemoKey0000000000000000000',
  anthropic: 'sk-ant-loopback-demo-key-0000000000',
  openrouter: 'sk-or-v1-loopback-0000000000000000000000',
  azure: 'loopback-azure-key-0000000000000000000000',
  deepseek: 'sk-loopback-deepseek-00000000000000',
  xai: 'xai-loopback-demo-key-00000000000000',
};
const WRONG = 'wrong-key-abcdefghijklmnopqrstuvwxyz';
const bearer = (key) => ({ authorization: `Bearer ${key}` });
const GOOGLE = { 'x-goog-api-key': KEYS.google };
const ANTHROPIC = { 'x-api-key': KEYS.anthropic, 'anthropic-version': '2023-06-01' };
const AZURE = { 'api-key': KEYS.azure };
const AZURE_LIST = '/azure/openai/deployments?api-version=2023-03-15-preview';

let provider;
before(async () => { provider = await startProvider({ port: 0 }); });
after(async () => { await provider.close(); });

const get = (path, headers = {}) => send(provider.url + path, 'GET', undefined, headers);
const post = (path, body, headers) => send(provider.url + path, 'POST', body, { 'content-type': 'application/json', ...headers });
const ids = (res, key = 'data', field = 'id') => res.json[key].map((m) => m[field]);

describe('OpenAI and the OpenAI-shaped lists', () => {
  test('openai: GET /v1/models lists text and image models', async () => {
    const res = await get('/v1/models', bearer(KEYS.openai));
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.object, 'list');
    assert.ok(ids(res).includes('gpt-4o-mini') && ids(res).includes('gpt-image-1') && ids(res).includes('dall-e-3'));
  });

  test('deepseek: GET /deepseek/models and /deepseek/v1/models are the same list', async () => {
    for (const path of ['/deepseek/models', '/deepseek/v1/models']) {
      const res = await get(path, bearer(KEYS.deepseek));
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(ids(res), ['deepseek-chat', 'deepseek-reasoner']);
    }
  });

  test('ollama: GET /ollama/api/tags lists the pulled models, no key needed', async () => {
    const res = await get('/ollama/api/tags');
    assert.equal(res.status, 200, res.text);
    assert.ok(res.json.models.every((m) => m.name === m.model && m.details.family));
  });
});

describe('google', () => {
  test('models.list: resource names, methods; Nano Banana and Imagen among them', async () => {
    const res = await get('/google/v1beta/models', GOOGLE);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.nextPageToken, undefined, 'one page holds everything at the default size');
    const byName = Object.fromEntries(res.json.models.map((m) => [m.name, m]));
    assert.deepEqual(byName['models/gemini-2.5-flash'].supportedGenerationMethods, ['generateContent', 'countTokens']);
    assert.equal(byName['models/gemini-2.5-flash-image'].displayName, 'Nano Banana');
    assert.ok(byName['models/gemini-2.5-flash-image'].supportedGenerationMethods.includes('generateContent'));
    assert.deepEqual(byName['models/imagen-4.0-generate-001'].supportedGenerationMethods, ['predict']);
    for (const m of res.json.models) assert.match(m.name, /^models\//);
  });

  test('pageSize pages the list; the pageToken round trip reaches every model once', async () => {
    const all = ids(await get('/google/v1beta/models', GOOGLE), 'models', 'name');
    const first = await get('/google/v1beta/models?pageSize=4', GOOGLE);
    assert.equal(first.json.models.length, 4);
    assert.equal(typeof first.json.nextPageToken, 'string');
    const second = await get(`/google/v1beta/models?pageSize=4&pageToken=${encodeURIComponent(first.json.nextPageToken)}`, GOOGLE);
    assert.equal(second.status, 200, second.text);
    assert.equal(second.json.nextPageToken, undefined, 'no token on the last page');
    assert.deepEqual([...ids(first, 'models', 'name'), ...ids(second, 'models', 'name')], all);
    // One at a time, following tokens, ends after exactly as many pages as models.
    const seen = [];
    let token;
    do {
      const page = await get(`/google/v1/models?pageSize=1${token ? `&pageToken=${encodeURIComponent(token)}` : ''}`, GOOGLE);
      seen.push(...ids(page, 'models', 'name'));
      token = page.json.nextPageToken;
    } while (token && seen.length <= all.length);
    assert.deepEqual(seen, all);
  });

  test('oversized pages are lowered to 1000; bad sizes and tokens are INVALID_ARGUMENT; a wrong key is 400', async () => {
    assert.equal((await get('/google/v1beta/models?pageSize=5000', GOOGLE)).status, 200);
    for (const query of ['pageSize=abc', 'pageSize=-1', 'pageToken=bm9wZQ%3D%3D']) {
      const res = await get(`/google/v1beta/models?${query}`, GOOGLE);
      assert.deepEqual([res.status, res.json.error.status], [400, 'INVALID_ARGUMENT'], query);
    }
    const wrong = await get('/google/v1beta/models', { 'x-goog-api-key': WRONG });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.json.error.details[0].reason, 'API_KEY_INVALID');
  });

  test('generateContent: Imagen is not a generateContent model; Nano Banana answers text but takes no tools', async () => {
    const ask = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] };
    const generate = (model, body) => post(`/google/v1beta/models/${model}:generateContent`, body, GOOGLE);
    const imagen = await generate('imagen-4.0-generate-001', ask);
    assert.deepEqual([imagen.status, imagen.json.error.status], [404, 'NOT_FOUND']);
    const image = await generate('gemini-2.5-flash-image', ask);
    assert.equal(image.status, 200, image.text);
    const tools = await generate('gemini-2.5-flash-image', { ...ask, tools: [{ functionDeclarations: [{ name: 'f' }] }] });
    assert.equal(tools.status, 400);
    assert.equal(tools.json.error.message, 'Function calling is not enabled for models/gemini-2.5-flash-image');
  });
});

describe('anthropic', () => {
  test('GET /anthropic/v1/models: the first page of 20, newest first', async () => {
    const res = await get('/anthropic/v1/models', ANTHROPIC);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.json).sort(), ['data', 'first_id', 'has_more', 'last_id']);
    assert.deepEqual(ids(res), ['claude-haiku-4-5', 'claude-sonnet-4-5', 'claude-opus-4-1']);
    assert.deepEqual([res.json.has_more, res.json.first_id, res.json.last_id], [false, 'claude-haiku-4-5', 'claude-opus-4-1']);
    for (const m of res.json.data) assert.deepEqual(Object.keys(m), ['type', 'id', 'display_name', 'created_at']);
  });

  test('limit and after_id page forward; before_id pages back; has_more says whether to go on', async () => {
    const first = await get('/anthropic/v1/models?limit=2', ANTHROPIC);
    assert.deepEqual([ids(first), first.json.has_more], [['claude-haiku-4-5', 'claude-sonnet-4-5'], true]);
    const second = await get(`/anthropic/v1/models?limit=2&after_id=${first.json.last_id}`, ANTHROPIC);
    assert.deepEqual([ids(second), second.json.has_more], [['claude-opus-4-1'], false]);
    assert.deepEqual([second.json.first_id, second.json.last_id], ['claude-opus-4-1', 'claude-opus-4-1']);
    const back = await get(`/anthropic/v1/models?limit=1&before_id=${second.json.first_id}`, ANTHROPIC);
    assert.deepEqual([ids(back), back.json.has_more], [['claude-sonnet-4-5'], true]);
    const end = await get('/anthropic/v1/models?after_id=claude-opus-4-1', ANTHROPIC);
    assert.deepEqual([end.json.data, end.json.has_more, end.json.first_id], [[], false, null]);
  });

  test('a limit outside 1..1000 is an invalid_request_error; a wrong key is 401', async () => {
    for (const limit of ['0', '1001', 'ten']) {
      const res = await get(`/anthropic/v1/models?limit=${limit}`, ANTHROPIC);
      assert.deepEqual([res.status, res.json.error.type], [400, 'invalid_request_error'], limit);
      assert.match(res.json.error.message, /^limit: /);
    }
    const wrong = await get('/anthropic/v1/models', { ...ANTHROPIC, 'x-api-key': WRONG });
    assert.deepEqual([wrong.status, wrong.json.error.type], [401, 'authentication_error']);
  });
});

describe('openrouter', () => {
  test('GET /openrouter/v1/models: ids, names, context, modalities and prices; the image model outputs images', async () => {
    const res = await get('/openrouter/v1/models', bearer(KEYS.openrouter));
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.json), ['data']);
    assert.ok(ids(res).includes('openai/gpt-4o-mini'));
    for (const m of res.json.data) {
      assert.equal(typeof m.name, 'string');
      assert.ok(Number.isInteger(m.created) && Number.isInteger(m.context_length));
      assert.ok(Array.isArray(m.architecture.input_modalities));
      assert.match(m.architecture.modality, /^[a-z+]+->[a-z+]+$/);
      assert.match(m.pricing.prompt, /^\d+(\.\d+)?$/);
      assert.match(m.pricing.completion, /^\d+(\.\d+)?$/);
    }
    const image = res.json.data.find((m) => m.id === 'google/gemini-2.5-flash-image');
    assert.deepEqual(image.architecture.output_modalities, ['image', 'text']);
    assert.equal(image.architecture.modality, 'text+image->image+text');
  });

  test('the list is public: no key or a wrong one is answered too; output_modalities filters', async () => {
    const all = ids(await get('/openrouter/v1/models', bearer(KEYS.openrouter)));
    assert.deepEqual(ids(await get('/openrouter/v1/models')), all);
    assert.deepEqual(ids(await get('/openrouter/v1/models', bearer(WRONG))), all);
    assert.deepEqual(ids(await get('/openrouter/v1/models?output_modalities=image')), ['google/gemini-2.5-flash-image']);
    assert.deepEqual(ids(await get('/openrouter/v1/models?output_modalities=all')), all);
    // Chat still needs the key.
    const chat = await post('/openrouter/v1/chat/completions', { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }, bearer(WRONG));
    assert.equal(chat.status, 401);
  });
});

describe('azure', () => {
  test('GET /azure/openai/deployments lists each deployment and its model, the image ones too', async () => {
    const res = await get(AZURE_LIST, AZURE);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.object, 'list');
    assert.deepEqual(res.json.data.map((d) => [d.id, d.model]), [
      ['gpt-4o-prod', 'gpt-4o'], ['gpt-4o-mini', 'gpt-4o-mini'], ['o3-mini', 'o3-mini'], ['dalle3', 'dall-e-3'], ['gpt-image-1', 'gpt-image-1'],
    ]);
    for (const d of res.json.data) {
      assert.deepEqual([d.object, d.owner, d.status], ['deployment', 'organization-owner', 'succeeded']);
      assert.ok(Number.isInteger(d.created_at) && Number.isInteger(d.updated_at));
    }
    assert.equal((await get('/azure/openai/deployments?api-version=2022-12-01', AZURE)).status, 200);
  });

  test('a missing or wrong api-key is the 401; api-version is checked like Azure does', async () => {
    for (const headers of [{}, { 'api-key': WRONG }]) {
      const res = await get(AZURE_LIST, headers);
      assert.deepEqual([res.status, res.json.error.code], [401, '401']);
      assert.ok(!res.text.includes(WRONG));
    }
    const missing = await get('/azure/openai/deployments', AZURE);
    assert.deepEqual([missing.status, missing.json.error.message], [404, 'Resource not found']);
    // The inference versions no longer serve the list.
    const inference = await get('/azure/openai/deployments?api-version=2025-01-01-preview', AZURE);
    assert.deepEqual([inference.status, inference.json.error.message], [404, 'Resource not found']);
    const unknown = await get('/azure/openai/deployments?api-version=2020-01-01', AZURE);
    assert.deepEqual([unknown.status, unknown.json.error.code], [400, 'BadRequest']);
  });

  test('chat refuses the image deployment', async () => {
    const res = await post('/azure/openai/deployments/dalle3/chat/completions?api-version=2025-01-01-preview', { messages: [{ role: 'user', content: 'x' }] }, AZURE);
    assert.deepEqual([res.status, res.json.error.code], [400, 'OperationNotSupported']);
  });
});

describe('xai', () => {
  test('GET /xai/v1/models lists the chat models and the image models', async () => {
    const res = await get('/xai/v1/models', bearer(KEYS.xai));
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.object, 'list');
    assert.deepEqual(ids(res), ['grok-4', 'grok-3-mini', 'grok-3', 'grok-2-vision-1212', 'grok-2-image-1212', 'grok-imagine-image']);
    for (const m of res.json.data) {
      assert.deepEqual(Object.keys(m), ['id', 'created', 'object', 'owned_by']);
      assert.deepEqual([m.object, m.owned_by], ['model', 'xai']);
    }
  });

  test('a wrong key is xAI\'s 400, a missing one 401; chat refuses the image model', async () => {
    const wrong = await get('/xai/v1/models', bearer(WRONG));
    assert.equal(wrong.status, 400);
    assert.deepEqual(Object.keys(wrong.json).sort(), ['code', 'error']);
    assert.ok(!wrong.text.includes(WRONG));
    assert.equal((await get('/xai/v1/models')).status, 401);
    const chat = await post('/xai/v1/chat/completions', { model: 'grok-2-image-1212', messages: [{ role: 'user', content: 'x' }] }, bearer(KEYS.xai));
    assert.equal(chat.status, 400);
  });
});

test('every list request is recorded, its key redacted', async () => {
  provider.requests.length = 0;
  await get('/xai/v1/models', bearer(KEYS.xai));
  await get(AZURE_LIST, AZURE);
  await get('/google/v1beta/models?pageSize=2', GOOGLE);
  await get('/anthropic/v1/models?limit=1', ANTHROPIC);
  await get('/openrouter/v1/models', bearer(KEYS.openrouter));
  assert.deepEqual(provider.requests.map((r) => [r.method, r.path, r.status]), [
    ['GET', '/xai/v1/models', 200],
    ['GET', AZURE_LIST, 200],
    ['GET', '/google/v1beta/models?pageSize=2', 200],
    ['GET', '/anthropic/v1/models?limit=1', 200],
    ['GET', '/openrouter/v1/models', 200],
  ]);
  const logged = JSON.stringify(provider.requests);
  for (const key of Object.values(KEYS)) assert.ok(!logged.includes(key), key);
});
