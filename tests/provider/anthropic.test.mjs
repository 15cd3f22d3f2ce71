// Tests of the loopback provider's Anthropic format: the Messages API under /anthropic, the
// auth and validation the real API performs, its error shapes for the scenario markers, the
// deterministic tool and web-search answers, and — when pkg/node is built — the engine's own
// requests answered by the loopback end to end.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { startProvider } from './server.mjs';
import { send } from './client.mjs';
import { TOOL_RESULTS_PREFIX } from './formats/anthropic/messages.mjs';

const KEY = 'sk-ant-loopback-demo-key-0000000000';
const HEADERS = { 'x-api-key': KEY, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' };
const MODEL = 'claude-sonnet-4-5';

let provider;
before(async () => { provider = await startProvider({ port: 0 }); });
after(async () => { await provider.close(); });

const call = (method, path, body, headers = HEADERS) => send(provider.url + path, method, body, headers);
const messages = (body, headers) => call('POST', '/anthropic/v1/messages', { model: MODEL, max_tokens: 1024, ...body }, headers);
const ask = (text, extra = {}) => messages({ messages: [{ role: 'user', content: text }], ...extra });

function assertError(res, status, type, pattern) {
  assert.equal(res.status, status, res.text);
  assert.match(res.headers.get('content-type'), /^application\/json/);
  assert.equal(res.json.type, 'error');
  assert.deepEqual(Object.keys(res.json.error).sort(), ['message', 'type']);
  assert.equal(res.json.error.type, type);
  assert.match(res.json.request_id, /^req_/);
  if (pattern) assert.match(res.json.error.message, pattern);
}

const WEATHER = { name: 'get_weather', description: 'Weather in a city.', input_schema: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1 } }, required: ['city'] } };
const TIME = { name: 'get_time', description: 'Time in a city.', input_schema: { type: 'object', properties: { city: { type: 'string' } } } };

describe('auth and headers', () => {
  test('a missing or wrong x-api-key is a 401 authentication_error that never echoes the key', async () => {
    assertError(await messages({ messages: [{ role: 'user', content: 'hi' }] }, {}), 401, 'authentication_error');
    const { 'x-api-key': _, ...noKey } = HEADERS;
    assertError(await messages({ messages: [{ role: 'user', content: 'hi' }] }, noKey), 401, 'authentication_error', /x-api-key header is required/);
    const wrong = 'sk-ant-wrong-key-abcdefghijklmnop';
    const res = await messages({ messages: [{ role: 'user', content: 'hi' }] }, { ...HEADERS, 'x-api-key': wrong });
    assertError(res, 401, 'authentication_error', /invalid x-api-key/);
    assert.ok(!res.text.includes(wrong));
    // Bearer auth is OpenAI's, not Anthropic's.
    const { 'x-api-key': __, ...rest } = HEADERS;
    assertError(await messages({ messages: [{ role: 'user', content: 'hi' }] }, { ...rest, authorization: `Bearer ${KEY}` }), 401, 'authentication_error');
  });

  test('anthropic-version is required and must be a known version', async () => {
    const { 'anthropic-version': _, ...noVersion } = HEADERS;
    assertError(await messages({ messages: [{ role: 'user', content: 'hi' }] }, noVersion), 400, 'invalid_request_error', /anthropic-version/);
    assertError(await messages({ messages: [{ role: 'user', content: 'hi' }] }, { ...HEADERS, 'anthropic-version': '2099-01-01' }), 400, 'invalid_request_error');
  });

  test('the request log redacts the key', async () => {
    await ask('log me');
    const logged = provider.requests.findLast((r) => r.path === '/anthropic/v1/messages');
    assert.equal(logged.headers['x-api-key'], '[redacted]');
    assert.ok(!JSON.stringify(provider.requests).includes(KEY));
  });

  test('routes live under /anthropic: unknown ones get Anthropic 404s, models are listed', async () => {
    assertError(await call('POST', '/anthropic/v1/nope', {}), 404, 'not_found_error');
    assertError(await call('GET', '/anthropic/v1/messages'), 405, 'invalid_request_error');
    const models = await call('GET', '/anthropic/v1/models');
    assert.equal(models.status, 200);
    assert.ok(models.json.data.some((m) => m.id === MODEL && m.type === 'model'));
    // OpenAI's routes are untouched.
    assert.equal((await call('POST', '/v1/messages', {})).json.error.type, 'invalid_request_error');
  });
});

describe('validation', () => {
  const cases = [
    ['max_tokens is required', { max_tokens: undefined, messages: [{ role: 'user', content: 'hi' }] }, /max_tokens: Field required/],
    ['max_tokens must be at least 1', { max_tokens: 0, messages: [{ role: 'user', content: 'hi' }] }, /greater than or equal to 1/],
    ['temperature is 0..1', { temperature: 1.5, messages: [{ role: 'user', content: 'hi' }] }, /temperature: Input should be less than or equal to 1/],
    ['top_k is a non-negative integer', { top_k: 0.5, messages: [{ role: 'user', content: 'hi' }] }, /top_k/],
    ['unknown fields are refused', { n: 2, messages: [{ role: 'user', content: 'hi' }] }, /n: Extra inputs are not permitted/],
    ['messages are required', {}, /messages: Field required/],
    ['messages cannot be empty', { messages: [] }, /at least one message/],
    ['roles are user or assistant', { messages: [{ role: 'system', content: 'hi' }] }, /role: Input should be 'user' or 'assistant'/],
    ['text blocks are not blank', { messages: [{ role: 'user', content: [{ type: 'text', text: ' ' }] }] }, /non-whitespace/],
    ['image media types are the four Anthropic reads', { messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/bmp', data: 'AA==' } }] }] }, /media_type/],
    ['tool_result answers a tool_use of the message before', { messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_x', content: '1' }] }] }, /unexpected `tool_use_id`/],
    ['every tool_use is answered in the next message', {
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_a', name: 'get_time', input: {} }, { type: 'tool_use', id: 'toolu_b', name: 'get_time', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_a', content: '1' }] },
      ],
      tools: [TIME],
    }, /without `tool_result` blocks immediately after: toolu_b/],
    ['tool results come first', {
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_a', name: 'get_time', input: {} }] },
        { role: 'user', content: [{ type: 'text', text: 'here' }, { type: 'tool_result', tool_use_id: 'toolu_a', content: '1' }] },
      ],
    }, /must come first/],
    ['tool ids match the pattern', { messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 'a:b', name: 'f', input: {} }] }] }, /id: String should match pattern/],
    ['tool input schemas are objects', { messages: [{ role: 'user', content: 'hi' }], tools: [{ name: 'f', input_schema: { type: 'array' } }] }, /input_schema.type/],
    ['web search takes one domain list', { messages: [{ role: 'user', content: 'hi' }], tools: [{ type: 'web_search_20250305', name: 'web_search', allowed_domains: ['a.com'], blocked_domains: ['b.com'] }] }, /Only one of allowed_domains or blocked_domains/],
    ['a forced tool must exist', { messages: [{ role: 'user', content: 'hi' }], tools: [TIME], tool_choice: { type: 'tool', name: 'nope' } }, /not found in tools/],
    ['thinking cannot be forced to a tool', { messages: [{ role: 'user', content: 'hi' }], tools: [TIME], tool_choice: { type: 'any' }, thinking: { type: 'enabled', budget_tokens: 1024 } }, /Thinking may not be enabled/],
  ];
  for (const [name, body, pattern] of cases) {
    test(name, async () => assertError(await messages(body), 400, 'invalid_request_error', pattern));
  }

  test('an unknown model is a 404 not_found_error', async () => {
    assertError(await messages({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }), 404, 'not_found_error', /model: gpt-4o-mini/);
  });
});

describe('answers', () => {
  test('text answers have the Messages shape and usage', async () => {
    const res = await ask('Write a haiku', { system: 'Be brief.' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.type, 'message');
    assert.equal(res.json.role, 'assistant');
    assert.equal(res.json.model, MODEL);
    assert.deepEqual(res.json.content, [{ type: 'text', text: 'Loopback reply to: Write a haiku' }]);
    assert.equal(res.json.stop_reason, 'end_turn');
    assert.equal(res.json.stop_sequence, null);
    const usage = res.json.usage;
    assert.equal(usage.input_tokens, Math.ceil(('Be brief.' + 'Write a haiku').length / 4));
    assert.equal(usage.output_tokens, Math.ceil('Loopback reply to: Write a haiku'.length / 4));
    assert.equal(usage.cache_creation_input_tokens, 0);
    assert.equal(usage.cache_read_input_tokens, 0);
    assert.match(res.headers.get('request-id'), /^req_/);
  });

  test('stop sequences and max_tokens end the answer the way the real API reports it', async () => {
    const stopped = await ask('alpha STOP beta', { stop_sequences: ['STOP'] });
    assert.deepEqual([stopped.json.content[0].text, stopped.json.stop_reason, stopped.json.stop_sequence], ['Loopback reply to: alpha ', 'stop_sequence', 'STOP']);
    const cut = await ask('a long enough prompt to be cut', { max_tokens: 3 });
    assert.deepEqual([cut.json.content[0].text, cut.json.stop_reason, cut.json.usage.output_tokens], ['Loopback rep', 'max_tokens', 3]);
  });

  test('declared tools: the first is called with input sampled from its schema', async () => {
    const res = await ask('Weather in Paris?', { tools: [WEATHER, TIME] });
    assert.equal(res.json.stop_reason, 'tool_use');
    const [use] = res.json.content;
    assert.equal(use.type, 'tool_use');
    assert.match(use.id, /^toolu_01Loopback\d{4}$/);
    assert.equal(use.name, 'get_weather');
    assert.deepEqual(use.input, { city: 'Loopback reply to: Weather in Paris?', days: 1 });
    const forced = await ask('Time?', { tools: [WEATHER, TIME], tool_choice: { type: 'tool', name: 'get_time' } });
    assert.equal(forced.json.content[0].name, 'get_time');
    const none = await ask('Just talk', { tools: [WEATHER], tool_choice: { type: 'none' } });
    assert.equal(none.json.content[0].type, 'text');
  });

  const history = [
    { role: 'user', content: 'Weather and time in Paris?' },
    { role: 'assistant', content: [
      { type: 'tool_use', id: 'toolu_a', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: 'toolu_b', name: 'get_time', input: { city: 'Paris' } },
    ] },
    { role: 'user', content: [
      { type: 'tool_result', tool_use_id: 'toolu_a', content: '{"sky":"sunny"}' },
      { type: 'tool_result', tool_use_id: 'toolu_b', content: [{ type: 'text', text: '10:00' }] },
    ] },
  ];

  test('tool results in one user turn are answered with text quoting each', async () => {
    const res = await messages({ messages: history, tools: [WEATHER, TIME] });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.stop_reason, 'end_turn');
    assert.equal(res.json.content[0].text, `${TOOL_RESULTS_PREFIX}get_weather={"sky":"sunny"}; get_time=10:00`);
  });

  test('with tool_choice any after tool results, the last declared tool is called', async () => {
    const answerTool = { name: 'wp_ai_client_response', input_schema: { type: 'object', properties: { summary: { type: 'string' } } } };
    const res = await messages({ messages: history, tools: [WEATHER, TIME, answerTool], tool_choice: { type: 'any' } });
    assert.equal(res.json.content[0].name, 'wp_ai_client_response');
    assert.equal(typeof res.json.content[0].input.summary, 'string');
  });

  test('web search: a server tool use, its results and the cited answer', async () => {
    const res = await ask('News?', { tools: [{ type: 'web_search_20250305', name: 'web_search', allowed_domains: ['wordpress.org'] }] });
    assert.deepEqual(res.json.content.map((b) => b.type), ['server_tool_use', 'web_search_tool_result', 'text']);
    assert.equal(res.json.content[1].tool_use_id, res.json.content[0].id);
    assert.equal(res.json.content[2].citations[0].url, 'https://wordpress.org/loopback-result');
    assert.equal(res.json.usage.server_tool_use.web_search_requests, 1);
  });

  test('images are accepted as base64 or url sources', async () => {
    const res = await messages({ messages: [{ role: 'user', content: [
      { type: 'text', text: 'What is this?' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
    ] }] });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.content[0].text, 'Loopback reply to: What is this?');
  });
});

describe('scenario markers', () => {
  test('401, 429 with retry-after, credit balance, context too long, 500', async () => {
    assertError(await ask('x [[loopback:401]]'), 401, 'authentication_error');
    const limited = await ask('x [[loopback:429]]');
    assertError(limited, 429, 'rate_limit_error', /rate limit/);
    assert.equal(limited.headers.get('retry-after'), '1');
    assert.equal(limited.headers.get('anthropic-ratelimit-requests-remaining'), '0');
    assertError(await ask('x [[loopback:429-quota]]'), 400, 'invalid_request_error', /credit balance is too low/);
    assertError(await ask('x [[loopback:too-long]]'), 400, 'invalid_request_error', /prompt is too long/);
    assertError(await ask('x [[loopback:500]]'), 500, 'api_error');
  });

  test('503-html, truncated, empty, huge', async () => {
    const html = await ask('x [[loopback:503-html]]');
    assert.equal(html.status, 503);
    assert.match(html.headers.get('content-type'), /text\/html/);
    const truncated = await ask('x [[loopback:truncated]]');
    assert.equal(truncated.status, 200);
    assert.throws(() => JSON.parse(truncated.text));
    const empty = await ask('x [[loopback:empty]]');
    assert.deepEqual([empty.json.content, empty.json.stop_reason, empty.json.usage.output_tokens], [[], 'end_turn', 0]);
    const huge = await ask('x [[loopback:huge:1]]');
    assert.ok(huge.text.length > 1024 * 1024, 'a huge reply ignores max_tokens');
  });
});

// ---- the engine against the loopback ------------------------------------------------------------

const enginePath = fileURLToPath(new URL('../../pkg/node/aipuffer_js.js', import.meta.url));
// scripts/test builds pkg/node before this layer runs; without it these tests fail, never skip.
const engine = createRequire(import.meta.url)(enginePath);

describe('the engine talks to the loopback', () => {
  function site() {
    const stored = {
      managed: true,
      credentials: ['Claude'],
      providers: { Claude: { base_url: `${provider.url}/anthropic`, model: MODEL } },
      catalogs: { aipkit_claude_model_list: [MODEL] },
    };
    return JSON.parse(engine.prepareJson(JSON.stringify(stored))).site;
  }

  /** Runs a prompt task as a host does (the key added at the last moment) up to record or fail. */
  async function prompt(messagesList, config = {}) {
    const context = { now: 1795500000, request_id: '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b', actor: { user_id: 0, session_id: 'wp-ai-client-system', roles: [] } };
    let step = JSON.parse(engine.advanceJson(JSON.stringify({
      task: 'prompt', site: site(), context,
      call: { capability: 'text_generation', provider: 'anthropic', model: MODEL, messages: messagesList, config },
    })));
    while (step.step === 'http') {
      const outcomes = await Promise.all(step.requests.map(async (r) => {
        const headers = { ...r.headers, [r.credential.name]: `${r.credential.prefix ?? ''}${KEY}` };
        const res = await fetch(r.url, { method: r.method, headers, body: r.body });
        return { id: r.id, status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
      }));
      step = JSON.parse(engine.advanceJson(JSON.stringify({ state: step.state, outcomes })));
    }
    return step;
  }
  const user = (...parts) => ({ role: 'user', parts });
  const text = (t) => ({ type: 'text', text: t });

  test('a text prompt with every option comes back as the loopback answered it', async () => {
    const step = await prompt([user(text('Write a haiku'))], { systemInstruction: 'Be brief.', temperature: 0.4, topP: 0.9, topK: 5, stopSequences: ['###'], candidateCount: 2 });
    assert.equal(step.step, 'record', JSON.stringify(step));
    assert.deepEqual(step.result.candidates.map((c) => c.message.parts[0].text), ['Loopback reply to: Write a haiku', 'Loopback reply to: Write a haiku']);
    assert.equal(step.result.tokenUsage.promptTokens, 2 * Math.ceil(('Be brief.' + 'Write a haiku').length / 4));
  });

  test('a tool round trip: a function call, then two responses in one user turn', async () => {
    const declarations = [
      { name: 'get_weather', description: 'Weather.', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
      { name: 'get_time', description: 'Time.', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
    ];
    const first = await prompt([user(text('Weather in Paris?'))], { functionDeclarations: declarations });
    assert.equal(first.step, 'record', JSON.stringify(first));
    const [candidate] = first.result.candidates;
    assert.equal(candidate.finishReason, 'tool_calls');
    const called = candidate.message.parts.find((p) => p.type === 'function_call').functionCall;
    assert.equal(called.name, 'get_weather');
    const second = await prompt([
      user(text('Weather in Paris?')),
      { role: 'model', parts: [
        { type: 'function_call', functionCall: called },
        { type: 'function_call', functionCall: { id: 'toolu_extra', name: 'get_time', args: { city: 'Paris' } } },
      ] },
      user(
        { type: 'function_response', functionResponse: { name: 'get_weather', response: { sky: 'sunny' } } },
        { type: 'function_response', functionResponse: { id: 'toolu_extra', name: 'get_time', response: '10:00' } },
      ),
    ], { functionDeclarations: declarations });
    assert.equal(second.step, 'record', JSON.stringify(second));
    assert.equal(second.result.candidates[0].message.parts[0].text, `${TOOL_RESULTS_PREFIX}get_weather={"sky":"sunny"}; get_time=10:00`);
  });

  test('a JSON schema answer is text that follows the schema, not a function call', async () => {
    const schema = { type: 'object', properties: { title: { type: 'string' }, count: { type: 'integer' } }, required: ['title', 'count'] };
    const step = await prompt([user(text('A title please'))], { outputMimeType: 'application/json', outputSchema: schema });
    assert.equal(step.step, 'record', JSON.stringify(step));
    const [candidate] = step.result.candidates;
    assert.equal(candidate.finishReason, 'stop');
    assert.deepEqual(JSON.parse(candidate.message.parts[0].text), { title: 'Loopback reply to: A title please', count: 0 });
  });

  test('web search with both domain lists that do not overlap, and an image', async () => {
    const image = { type: 'file', file: { fileType: 'inline', mimeType: 'image/png', base64Data: 'iVBORw0KGgo=' } };
    const step = await prompt([user(text('News?'), image)], { webSearch: { allowedDomains: ['wordpress.org'], disallowedDomains: ['example.com'] } });
    assert.equal(step.step, 'record', JSON.stringify(step));
    assert.equal(step.result.candidates[0].message.parts[0].text, 'Loopback reply to: News?');
  });

  test('failures keep their meaning end to end', async () => {
    const reasons = {};
    for (const marker of ['401', '429', '429-quota', 'too-long', '500', '503-html', 'truncated', 'empty']) {
      const step = await prompt([user(text(`x [[loopback:${marker}]]`))]);
      assert.equal(step.step, 'fail', marker);
      reasons[marker] = step.error.reason;
      assert.ok(!step.error.message.includes(KEY));
    }
    assert.deepEqual(reasons, {
      401: 'provider_refused_key',
      429: 'provider_rate_limited_retry_after',
      '429-quota': 'provider_billing',
      'too-long': 'provider_context_too_long',
      500: 'provider_server_error',
      '503-html': 'provider_server_error',
      truncated: 'provider_truncated',
      empty: 'provider_no_text',
    });
  });
});
