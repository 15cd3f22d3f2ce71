// Tests of the loopback's OpenAI-compatible formats (DeepSeek, xAI, OpenRouter,
// Azure OpenAI): each mounted under its prefix, each with its own auth, rules,
// usage and error shapes, all sharing formats/openai/chat.mjs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startProvider } from './server.mjs';

const KEYS = {
  deepseek: 'sk-loopback-deepseek-00000000000000',
  xai: 'xai-loopback-demo-key-00000000000000',
  openrouter: 'sk-or-v1-loopback-0000000000000000000000',
  azure: 'loopback-azure-key-0000000000000000000000',
};
const AZURE_PATH = '/azure/openai/deployments/gpt-4o-prod/chat/completions?api-version=2025-01-01-preview';

/** Per format: where chat lives, how the key goes, and a model it knows. */
const FORMATS = {
  deepseek: { path: '/deepseek/v1/chat/completions', auth: { authorization: `Bearer ${KEYS.deepseek}` }, model: 'deepseek-chat' },
  xai: { path: '/xai/v1/chat/completions', auth: { authorization: `Bearer ${KEYS.xai}` }, model: 'grok-3' },
  openrouter: { path: '/openrouter/v1/chat/completions', auth: { authorization: `Bearer ${KEYS.openrouter}` }, model: 'openai/gpt-4o-mini' },
  azure: { path: AZURE_PATH, auth: { 'api-key': KEYS.azure }, model: undefined },
};

let provider;
before(async () => { provider = await startProvider({ port: 0 }); });
after(async () => { await provider.close(); });

async function post(path, body, headers) {
  const res = await fetch(provider.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, headers: res.headers, text, json };
}

const ask = (name, body, headers = FORMATS[name].auth) =>
  post(FORMATS[name].path, { ...(FORMATS[name].model ? { model: FORMATS[name].model } : {}), ...body }, headers);
const say = (text) => [{ role: 'user', content: text }];

/** Each format's error body, reduced to (status, message). */
function errorOf(name, res) {
  if (name === 'xai') {
    assert.deepEqual(Object.keys(res.json).sort(), ['code', 'error']);
    return res.json.error;
  }
  assert.equal(typeof res.json.error.message, 'string', res.text);
  if (name === 'openrouter') assert.equal(res.json.error.code, res.status);
  return res.json.error.message;
}

const WEATHER = { type: 'function', function: { name: 'get_weather', description: 'Weather.', parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1 } }, required: ['city'] } } };
const TIME = { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: {} } } };

describe('every compatible format', () => {
  for (const name of Object.keys(FORMATS)) {
    test(`${name}: answers deterministic text with usage`, async () => {
      const res = await ask(name, { messages: say('Hello there') });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.object, 'chat.completion');
      assert.equal(res.json.choices.length, 1);
      assert.equal(res.json.choices[0].message.content, 'Loopback reply to: Hello there');
      assert.equal(res.json.choices[0].finish_reason, 'stop');
      const u = res.json.usage;
      assert.equal(u.prompt_tokens, 3);
      assert.equal(u.total_tokens, u.prompt_tokens + u.completion_tokens + (name === 'xai' ? u.completion_tokens_details.reasoning_tokens : 0));
    });

    test(`${name}: a missing or wrong key is refused in the provider's shape, the key never echoed`, async () => {
      const missing = await ask(name, { messages: say('x') }, {});
      assert.equal(missing.status, 401, missing.text);
      errorOf(name, missing);
      const wrongKey = 'wrong-key-abcdefghijklmnopqrstuvwxyz';
      const wrongHeaders = name === 'azure' ? { 'api-key': wrongKey } : { authorization: `Bearer ${wrongKey}` };
      const wrong = await ask(name, { messages: say('x') }, wrongHeaders);
      assert.equal(wrong.status, name === 'xai' ? 400 : 401, wrong.text);
      errorOf(name, wrong);
      assert.ok(!wrong.text.includes(wrongKey));
    });

    test(`${name}: a declared tool is called with sampled arguments; tool results are quoted back`, async () => {
      const first = await ask(name, { messages: say('Weather in Paris?'), tools: [WEATHER, TIME] });
      assert.equal(first.status, 200, first.text);
      const choice = first.json.choices[0];
      assert.equal(choice.finish_reason, 'tool_calls');
      assert.equal(choice.message.content, null);
      const [call] = choice.message.tool_calls;
      assert.match(call.id, /^call_\d{4}$/);
      assert.deepEqual(call.function, { name: 'get_weather', arguments: '{"city":"loopback","days":1}' });
      const assistant = { role: 'assistant', content: null, tool_calls: [call, { id: 'call_time', type: 'function', function: { name: 'get_time', arguments: '{}' } }] };
      const second = await ask(name, {
        tools: [WEATHER, TIME],
        messages: [...say('Weather in Paris?'), assistant,
          { role: 'tool', tool_call_id: call.id, content: '{"sky":"clear"}' }, { role: 'tool', tool_call_id: 'call_time', content: '14:05' }],
      });
      assert.equal(second.status, 200, second.text);
      assert.equal(second.json.choices[0].message.content, 'Loopback reply to tool results: get_weather={"sky":"clear"}; get_time=14:05');
      assert.equal(second.json.choices[0].finish_reason, 'stop');
    });

    test(`${name}: scenario markers answer in the provider's shapes`, async () => {
      const limited = await ask(name, { messages: say('x [[loopback:429]]') });
      assert.equal(limited.status, 429);
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
      errorOf(name, limited);
      const tooLong = await ask(name, { messages: say('x [[loopback:too-long]]') });
      assert.equal(tooLong.status, 400);
      assert.match(errorOf(name, tooLong), /maximum (context|prompt) length/);
      const server = await ask(name, { messages: say('x [[loopback:500]]') });
      assert.equal(server.status, 500);
      errorOf(name, server);
      const html = await ask(name, { messages: say('x [[loopback:503-html]]') });
      assert.equal(html.status, 503);
      assert.match(html.headers.get('content-type'), /text\/html/);
      const cut = await ask(name, { messages: say('x [[loopback:truncated]]') });
      assert.equal(cut.status, 200);
      assert.throws(() => JSON.parse(cut.text));
      const empty = await ask(name, { messages: say('x [[loopback:empty]]') });
      assert.deepEqual(empty.json.choices, []);
    });

    test(`${name}: JSON mode answers JSON`, async () => {
      const res = await ask(name, { messages: say('Reply in JSON please'), response_format: { type: 'json_object' } });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(JSON.parse(res.json.choices[0].message.content), { reply: 'Loopback reply to: Reply in JSON please' });
    });
  }

  test('the credit errors: DeepSeek 402, xAI 429 in words, OpenRouter 402, Azure a quota 429', async () => {
    const quota = {};
    for (const name of Object.keys(FORMATS)) {
      const res = await ask(name, { messages: say('x [[loopback:429-quota]]') });
      quota[name] = [res.status, errorOf(name, res)];
    }
    assert.deepEqual(quota.deepseek, [402, 'Insufficient Balance']);
    assert.equal(quota.xai[0], 429);
    assert.match(quota.xai[1], /used all available credits or reached its monthly spending limit/);
    assert.equal(quota.openrouter[0], 402);
    assert.match(quota.openrouter[1], /Insufficient credits/);
    assert.equal(quota.azure[0], 429);
  });

  test('unknown routes under a prefix answer in that format\'s shape', async () => {
    const res = await post('/openrouter/v1/nope', {}, FORMATS.openrouter.auth);
    assert.equal(res.status, 404);
    assert.equal(res.json.error.code, 404);
    const xai = await post('/xai/v1/nope', {}, FORMATS.xai.auth);
    assert.equal(xai.status, 404);
    assert.ok(xai.json.code && xai.json.error);
  });

  test('the request log redacts every key', async () => {
    await ask('azure', { messages: say('log me') });
    await ask('deepseek', { messages: say('log me') });
    const logged = JSON.stringify(provider.requests);
    for (const key of Object.values(KEYS)) assert.ok(!logged.includes(key), key);
  });
});

describe('DeepSeek', () => {
  test('/chat/completions and /v1/chat/completions are the same API; n gives one choice', async () => {
    const res = await post('/deepseek/chat/completions', { model: 'deepseek-chat', messages: say('Hi'), n: 3 }, FORMATS.deepseek.auth);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.choices.length, 1);
    assert.deepEqual(
      [res.json.usage.prompt_cache_hit_tokens, res.json.usage.prompt_cache_miss_tokens],
      [0, res.json.usage.prompt_tokens],
    );
  });

  test('no images and no JSON schemas: 422 deserialisation errors', async () => {
    const image = await ask('deepseek', { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] }] });
    assert.equal(image.status, 422);
    assert.match(errorOf('deepseek', image), /Failed to deserialize/);
    const schema = await ask('deepseek', { messages: say('x'), response_format: { type: 'json_schema', json_schema: { name: 'a', schema: {} } } });
    assert.equal(schema.status, 422);
  });

  test('unknown models and out-of-range max_tokens are refused', async () => {
    assert.equal(errorOf('deepseek', await ask('deepseek', { model: 'deepseek-v9', messages: say('x') })), 'Model Not Exist');
    const big = await ask('deepseek', { messages: say('x'), max_tokens: 9000 });
    assert.equal(big.status, 400);
    assert.match(errorOf('deepseek', big), /\[1, 8192\]/);
  });

  test('the reasoner shows reasoning_content and wants it back on tool-calling turns', async () => {
    const res = await ask('deepseek', { model: 'deepseek-reasoner', messages: say('Is 91 prime?') });
    const message = res.json.choices[0].message;
    assert.equal(message.reasoning_content, 'Loopback reasoning about: Is 91 prime?');
    const reasoning = res.json.usage.completion_tokens_details.reasoning_tokens;
    assert.ok(reasoning > 0);
    assert.equal(res.json.usage.completion_tokens, reasoning + Math.ceil(message.content.length / 4));
    const calling = await ask('deepseek', { model: 'deepseek-reasoner', tools: [TIME], messages: say('Time?') });
    assert.equal(calling.json.choices[0].message.reasoning_content, 'Loopback reasoning about: Time?');
    assert.equal(calling.json.choices[0].finish_reason, 'tool_calls');
    const turn = { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_time', arguments: '{}' } }] };
    const history = [...say('Time?'), turn, { role: 'tool', tool_call_id: 'c1', content: '14:05' }];
    const bare = await ask('deepseek', { model: 'deepseek-reasoner', tools: [TIME], messages: history });
    assert.equal(bare.status, 400);
    assert.match(errorOf('deepseek', bare), /reasoning_content in the thinking mode must be passed back/);
    history[1] = { ...turn, reasoning_content: '' };
    assert.equal((await ask('deepseek', { model: 'deepseek-reasoner', tools: [TIME], messages: history })).status, 200);
  });
});

describe('xAI', () => {
  test('reasoning models refuse penalties and stop', async () => {
    for (const [param, value, name] of [['presence_penalty', 0.5, 'presencePenalty'], ['frequency_penalty', 0.5, 'frequencyPenalty'], ['stop', ['x'], 'stop']]) {
      const res = await ask('xai', { model: 'grok-4', messages: say('x'), [param]: value });
      assert.equal(res.status, 400);
      assert.equal(errorOf('xai', res), `Model grok-4 does not support parameter ${name}.`);
    }
    assert.equal((await ask('xai', { model: 'grok-3', messages: say('x'), stop: ['x'], presence_penalty: 1 })).status, 200);
  });

  test('grok-3-mini shows its reasoning; reasoning tokens are reported beside completion_tokens', async () => {
    const mini = await ask('xai', { model: 'grok-3-mini', messages: say('101 * 3?') });
    assert.equal(mini.json.choices[0].message.reasoning_content, 'Loopback reasoning about: 101 * 3?');
    const u = mini.json.usage;
    assert.equal(u.completion_tokens, Math.ceil('Loopback reply to: 101 * 3?'.length / 4));
    assert.equal(u.total_tokens, u.prompt_tokens + u.completion_tokens + u.completion_tokens_details.reasoning_tokens);
    const grok4 = await ask('xai', { model: 'grok-4', messages: say('101 * 3?') });
    assert.equal(grok4.json.choices[0].message.reasoning_content, undefined);
    assert.ok(grok4.json.usage.completion_tokens_details.reasoning_tokens > 0);
  });

  test('n gives that many choices; images only for vision models; json_schema works', async () => {
    assert.equal((await ask('xai', { messages: say('x'), n: 2 })).json.choices.length, 2);
    const image = [{ role: 'user', content: [{ type: 'text', text: 'see' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] }];
    assert.equal((await ask('xai', { messages: image })).status, 400);
    assert.equal((await ask('xai', { model: 'grok-4', messages: image })).status, 200);
    const schema = { type: 'object', properties: { title: { type: 'string' } } };
    const res = await ask('xai', { messages: say('x'), response_format: { type: 'json_schema', json_schema: { name: 'wp_ai_client_response', schema } } });
    assert.deepEqual(JSON.parse(res.json.choices[0].message.content), { title: 'Loopback reply to: x' });
  });

  test('an unknown model is a 404', async () => {
    const res = await ask('xai', { model: 'grok-9', messages: say('x') });
    assert.equal(res.status, 404);
    assert.match(errorOf('xai', res), /does not exist/);
  });
});

describe('OpenRouter', () => {
  test('no n, top_k accepted, usage with a cost', async () => {
    const res = await ask('openrouter', { messages: say('x'), n: 2, top_k: 40 });
    assert.equal(res.json.choices.length, 1);
    assert.equal(typeof res.json.usage.cost, 'number');
    assert.equal((await ask('openrouter', { messages: say('x'), top_k: 0 })).status, 400);
  });

  test('the web plugin adds url_citation annotations; bad engines are refused', async () => {
    const plugins = [{ id: 'web', engine: 'exa', include_domains: ['wordpress.org'], exclude_domains: ['example.com'] }];
    const res = await ask('openrouter', { messages: say('news'), plugins });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.choices[0].message.annotations[0].url_citation.url, 'https://wordpress.org/loopback-result');
    assert.equal((await ask('openrouter', { messages: say('news'), plugins: [{ id: 'web', engine: 'bing' }] })).status, 400);
  });

  test('models without tools or vision have no endpoints; unknown models are invalid', async () => {
    const small = 'mistralai/mistral-7b-instruct';
    assert.equal((await ask('openrouter', { model: small, messages: say('x'), tools: [TIME] })).status, 404);
    const image = [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] }];
    assert.equal((await ask('openrouter', { model: small, messages: image })).status, 404);
    const unknown = await ask('openrouter', { model: 'nope/nope', messages: say('x') });
    assert.equal(unknown.status, 400);
    assert.equal(errorOf('openrouter', unknown), 'nope/nope is not a valid model ID');
  });

  test('reasoning models show `reasoning`', async () => {
    const res = await ask('openrouter', { model: 'deepseek/deepseek-r1', messages: say('why?') });
    assert.equal(res.json.choices[0].message.reasoning, 'Loopback reasoning about: why?');
    assert.ok(res.json.usage.completion_tokens_details.reasoning_tokens > 0);
  });
});

describe('Azure OpenAI', () => {
  test('the deployment chooses the model; n, max_completion_tokens and OpenAI\'s strict arguments', async () => {
    const res = await ask('azure', { messages: say('Hello there'), n: 2, max_completion_tokens: 3 });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.model, 'gpt-4o-2024-11-20');
    assert.equal(res.json.choices.length, 2);
    assert.equal(res.json.choices[0].finish_reason, 'length');
    assert.ok(res.json.prompt_filter_results);
    const extra = await ask('azure', { messages: say('x'), top_k: 3 });
    assert.equal(extra.status, 400);
    assert.equal(extra.json.error.message, 'Unrecognized request argument supplied: top_k');
  });

  test('api-version and deployment are checked like Azure does', async () => {
    const auth = FORMATS.azure.auth;
    const body = { messages: say('x') };
    const missing = await post('/azure/openai/deployments/gpt-4o-prod/chat/completions', body, auth);
    assert.deepEqual([missing.status, missing.json.error.message], [404, 'Resource not found']);
    const old = await post('/azure/openai/deployments/gpt-4o-prod/chat/completions?api-version=2020-01-01', body, auth);
    assert.deepEqual([old.status, old.json.error.code], [400, 'BadRequest']);
    const unknown = await post('/azure/openai/deployments/nope/chat/completions?api-version=2025-01-01-preview', body, auth);
    assert.deepEqual([unknown.status, unknown.json.error.code], [404, 'DeploymentNotFound']);
    const reasoning = await post('/azure/openai/deployments/o3-mini/chat/completions?api-version=2025-01-01-preview', { ...body, max_tokens: 5 }, auth);
    assert.deepEqual([reasoning.status, reasoning.json.error.code], [400, 'unsupported_parameter']);
  });

  test('[[loopback:content-filter]] gets the content filter\'s 400', async () => {
    const res = await ask('azure', { messages: say('bad words [[loopback:content-filter]]') });
    assert.equal(res.status, 400);
    assert.equal(res.json.error.code, 'content_filter');
    assert.equal(res.json.error.innererror.code, 'ResponsibleAIPolicyViolation');
  });
});
