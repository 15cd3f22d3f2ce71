// Tests of the loopback provider: each endpoint, the validation and auth the
// real API performs, the scenario markers, the control endpoints and the CLI.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { startProvider } from './server.mjs';
import { send } from './client.mjs';
import { pngSize } from './lib/png.mjs';

const KEY = 'sk-loopback-demo-key-0000000000';
const AUTH = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };

let provider;
before(async () => { provider = await startProvider({ port: 0 }); });
after(async () => { await provider.close(); });

const call = (method, urlPath, body, headers = AUTH, base = provider.url) => send(base + urlPath, method, body, headers);
const post = (urlPath, body, headers) => call('POST', urlPath, body, headers);
const responses = (body, headers) => post('/v1/responses', { model: 'gpt-4o-mini', ...body }, headers);
const chat = (body, headers) => post('/v1/chat/completions', { model: 'gpt-4o-mini', ...body }, headers);
const userMessage = (content) => [{ role: 'user', content }];

function assertError(res, status, { type = 'invalid_request_error', code, param } = {}) {
  assert.equal(res.status, status, res.text);
  assert.match(res.headers.get('content-type'), /^application\/json/);
  assert.deepEqual(Object.keys(res.json.error).sort(), ['code', 'message', 'param', 'type']);
  assert.equal(typeof res.json.error.message, 'string');
  assert.equal(res.json.error.type, type);
  if (code !== undefined) assert.equal(res.json.error.code, code);
  if (param !== undefined) assert.equal(res.json.error.param, param);
}

describe('auth', () => {
  test('a missing key gets the 401 shape', async () => {
    const res = await responses({ input: 'hi' }, { 'content-type': 'application/json' });
    assertError(res, 401, { code: null });
    assert.match(res.json.error.message, /didn't provide an API key/);
  });

  test('a wrong key gets 401 invalid_api_key without echoing the key', async () => {
    const wrong = 'sk-this-is-a-wrong-key-abcdefgh';
    for (const send of [responses, chat]) {
      const res = await send({ input: 'hi', messages: userMessage('hi') }, { ...AUTH, authorization: `Bearer ${wrong}` });
      assertError(res, 401, { code: 'invalid_api_key' });
      assert.ok(!res.text.includes(wrong), 'full key must not be echoed');
      assert.match(res.json.error.message, /sk-\*+efgh/);
    }
  });

  test('GET /v1/models checks the key too', async () => {
    assertError(await call('GET', '/v1/models', undefined, {}), 401);
  });

  test('keys come from the option or LOOPBACK_PROVIDER_KEYS', async () => {
    const custom = await startProvider({ keys: { openai: ['sk-custom-1'] } });
    process.env.LOOPBACK_PROVIDER_KEYS = JSON.stringify({ openai: ['sk-from-env-2'] });
    const fromEnv = await startProvider();
    delete process.env.LOOPBACK_PROVIDER_KEYS;
    try {
      const get = (base, key) => call('GET', '/v1/models', undefined, { authorization: `Bearer ${key}` }, base.url);
      assert.equal((await get(custom, 'sk-custom-1')).status, 200);
      assert.equal((await get(custom, KEY)).status, 401);
      assert.equal((await get(fromEnv, 'sk-from-env-2')).status, 200);
      assert.equal((await get(fromEnv, 'sk-custom-1')).status, 401);
    } finally {
      await custom.close();
      await fromEnv.close();
    }
  });
});

describe('request body checks', () => {
  test('a non-JSON content type is refused', async () => {
    const res = await post('/v1/responses', '{"model":"gpt-4o-mini","input":"hi"}', { ...AUTH, 'content-type': 'text/plain' });
    assertError(res, 400);
    assert.match(res.json.error.message, /Unsupported content type/);
  });

  test('application/json with a charset is accepted', async () => {
    const res = await responses({ input: 'hi' }, { ...AUTH, 'content-type': 'application/json; charset=utf-8' });
    assert.equal(res.status, 200);
  });

  test('invalid JSON is refused', async () => {
    const res = await post('/v1/chat/completions', '{"model": ', AUTH);
    assertError(res, 400, { code: null });
    assert.match(res.json.error.message, /could not parse the JSON body/);
  });
});

describe('POST /v1/responses', () => {
  test('returns the Responses object with deterministic text and usage', async () => {
    const res = await responses({ input: 'Hello there' });
    assert.equal(res.status, 200);
    const r = res.json;
    assert.match(r.id, /^resp_\d{4}$/);
    assert.equal(r.object, 'response');
    assert.equal(typeof r.created_at, 'number');
    assert.equal(r.status, 'completed');
    assert.equal(r.model, 'gpt-4o-mini');
    assert.equal(r.incomplete_details, null);
    assert.equal(r.output.length, 1);
    const [msg] = r.output;
    assert.match(msg.id, /^msg_\d{4}$/);
    assert.deepEqual({ ...msg, id: 'x' }, {
      type: 'message', id: 'x', status: 'completed', role: 'assistant',
      content: [{ type: 'output_text', text: 'Loopback reply to: Hello there', annotations: [] }],
    });
    // input: 11 chars -> 3 tokens; output: 30 chars -> 8 tokens.
    assert.deepEqual(r.usage, {
      input_tokens: 3, input_tokens_details: { cached_tokens: 0 },
      output_tokens: 8, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 11,
    });
    assert.ok(res.headers.get('x-request-id'));
  });

  test('array input with parts, images and instructions', async () => {
    const res = await responses({
      instructions: 'Be brief.', // 9 chars
      input: [
        { role: 'user', content: 'first question' }, // 14
        { role: 'assistant', content: [{ type: 'output_text', text: 'an answer' }] }, // 9
        {
          type: 'message',
          role: 'user',
          content: [
            { type: 'input_text', text: 'describe' }, // 8
            { type: 'input_image', image_url: 'data:image/png;base64,iVBORw0KGgo=' },
          ],
        },
      ],
      temperature: 0.5, top_p: 0.9, max_output_tokens: 100,
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.output[0].content[0].text, 'Loopback reply to: describe');
    assert.equal(res.json.usage.input_tokens, Math.ceil(40 / 4));
    assert.equal(res.json.instructions, 'Be brief.');
    assert.equal(res.json.temperature, 0.5);
  });

  test('max_output_tokens below the reply gives status incomplete with cut text', async () => {
    const long = 'x'.repeat(150);
    const res = await responses({ input: long, max_output_tokens: 16 });
    assert.equal(res.status, 200);
    assert.equal(res.json.status, 'incomplete');
    assert.deepEqual(res.json.incomplete_details, { reason: 'max_output_tokens' });
    assert.equal(res.json.output[0].status, 'incomplete');
    assert.equal(res.json.output[0].content[0].text, `Loopback reply to: ${long}`.slice(0, 64));
    assert.equal(res.json.usage.output_tokens, 16);
  });

  test('the reply is cut to 200 characters and counts code points', async () => {
    const res = await responses({ input: 'é'.repeat(400) });
    const text = res.json.output[0].content[0].text;
    assert.equal([...text].length, 200);
    assert.equal(res.json.usage.input_tokens, 100);
    assert.equal(res.json.usage.output_tokens, 50);
  });

  test('text.format json_schema yields JSON matching the schema', async () => {
    const schema = {
      type: 'object',
      properties: { title: { type: 'string' }, score: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' } } },
      required: ['title', 'score', 'tags'],
      additionalProperties: false,
    };
    const res = await responses({ input: 'Rate it', text: { format: { type: 'json_schema', name: 'rating', schema, strict: true } } });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(JSON.parse(res.json.output[0].content[0].text), { title: 'Loopback reply to: Rate it', score: 0, tags: [] });
  });

  test('json_object needs the word JSON in the input', async () => {
    assertError(await responses({ input: 'hi', text: { format: { type: 'json_object' } } }), 400, { param: 'input' });
    const ok = await responses({ input: 'answer in json', text: { format: { type: 'json_object' } } });
    assert.deepEqual(JSON.parse(ok.json.output[0].content[0].text), { reply: 'Loopback reply to: answer in json' });
  });

  const invalid = [
    ['missing model', { model: undefined, input: 'hi' }, 'missing_required_parameter', 'model'],
    ['missing input', { input: undefined }, 'missing_required_parameter', 'input'],
    ['model not a string', { model: 4, input: 'hi' }, 'invalid_type', 'model'],
    ['input of wrong type', { input: 42 }, 'invalid_type', 'input'],
    ['bad role', { input: [{ role: 'robot', content: 'hi' }] }, 'invalid_value', 'input[0].role'],
    ['bad part type', { input: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] }, 'invalid_value', 'input[0].content[0].type'],
    ['image part without url', { input: [{ role: 'user', content: [{ type: 'input_image' }] }] }, 'missing_required_parameter', 'input[0].content[0].image_url'],
    ['max_output_tokens below 16', { input: 'hi', max_output_tokens: 15 }, 'integer_below_min_value', 'max_output_tokens'],
    ['max_output_tokens not an integer', { input: 'hi', max_output_tokens: 20.5 }, 'invalid_type', 'max_output_tokens'],
    ['temperature above 2', { input: 'hi', temperature: 2.5 }, 'decimal_above_max_value', 'temperature'],
    ['temperature a string', { input: 'hi', temperature: 'hot' }, 'invalid_type', 'temperature'],
    ['top_p above 1', { input: 'hi', top_p: 1.5 }, 'decimal_above_max_value', 'top_p'],
    ['unknown parameter', { input: 'hi', max_tokens: 50 }, 'unknown_parameter', 'max_tokens'],
    ['bad text.format type', { input: 'hi', text: { format: { type: 'xml' } } }, 'invalid_value', 'text.format.type'],
    ['json_schema without name', { input: 'hi', text: { format: { type: 'json_schema', schema: {} } } }, 'missing_required_parameter', 'text.format.name'],
    ['sampling on a reasoning model', { model: 'gpt-5.4-mini', input: 'hi', temperature: 0.2 }, 'unsupported_parameter', 'temperature'],
  ];
  for (const [name, body, code, param] of invalid) {
    test(`400 for ${name}`, async () => assertError(await responses(body), 400, { code, param }));
  }

  test('unknown model is 404 model_not_found', async () => {
    const res = await responses({ model: 'gpt-nope', input: 'hi' });
    assertError(res, 404, { code: 'model_not_found' });
    assert.match(res.json.error.message, /gpt-nope/);
  });

  test('every known text model answers', async () => {
    for (const model of ['gpt-4o-mini', 'gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-5.4-mini']) {
      assert.equal((await responses({ model, input: 'hi' })).json.model, model);
    }
    assertError(await responses({ model: 'gpt-image-1', input: 'hi' }), 400, { param: 'model' });
  });

  test('stream: true is refused plainly (not implemented)', async () => {
    assertError(await responses({ input: 'hi', stream: true }), 400, { param: 'stream' });
  });
});

describe('POST /v1/chat/completions', () => {
  test('returns the chat.completion object with deterministic text and usage', async () => {
    const res = await chat({
      messages: [{ role: 'system', content: 'Be nice.' }, { role: 'user', content: 'How are you?' }], // 8 + 12 chars
    });
    assert.equal(res.status, 200, res.text);
    const c = res.json;
    assert.match(c.id, /^chatcmpl-\d{4}$/);
    assert.equal(c.object, 'chat.completion');
    assert.equal(typeof c.created, 'number');
    assert.equal(c.model, 'gpt-4o-mini');
    assert.deepEqual(c.choices, [{
      index: 0,
      message: { role: 'assistant', content: 'Loopback reply to: How are you?', refusal: null },
      logprobs: null,
      finish_reason: 'stop',
    }]);
    assert.deepEqual(c.usage, {
      prompt_tokens: 5, completion_tokens: 8, total_tokens: 13,
      prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 },
    });
  });

  test('content parts with an image; n gives that many choices', async () => {
    const res = await chat({
      messages: userMessage([
        { type: 'text', text: 'What is this?' },
        { type: 'image_url', image_url: { url: 'https://example.com/cat.png', detail: 'low' } },
      ]),
      n: 3, temperature: 0, top_p: 1, presence_penalty: 0.5, frequency_penalty: -0.5,
    });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.choices.map((c) => c.index), [0, 1, 2]);
    assert.ok(res.json.choices.every((c) => c.message.content === 'Loopback reply to: What is this?'));
    assert.equal(res.json.usage.completion_tokens, 3 * 8);
  });

  test('max_tokens / max_completion_tokens cut the reply with finish_reason length', async () => {
    for (const limit of [{ max_tokens: 2 }, { max_completion_tokens: 2 }]) {
      const res = await chat({ messages: userMessage('tell me a long story'), ...limit });
      assert.equal(res.json.choices[0].finish_reason, 'length');
      assert.equal(res.json.choices[0].message.content, 'Loopback');
      assert.equal(res.json.usage.completion_tokens, 2);
    }
  });

  test('stop ends the reply at the first stop sequence', async () => {
    const res = await chat({ messages: userMessage('one. two. three'), stop: ['two', '.'] });
    assert.equal(res.json.choices[0].message.content, 'Loopback reply to: one');
    assert.equal(res.json.choices[0].finish_reason, 'stop');
  });

  test('response_format json_schema yields JSON', async () => {
    const res = await chat({
      messages: userMessage('give data'),
      response_format: { type: 'json_schema', json_schema: { name: 'data', schema: { type: 'object', properties: { ok: { type: 'boolean' } } } } },
    });
    assert.deepEqual(JSON.parse(res.json.choices[0].message.content), { ok: false });
  });

  const invalid = [
    ['missing messages', { messages: undefined }, 'missing_required_parameter', 'messages'],
    ['empty messages', { messages: [] }, 'empty_array', 'messages'],
    ['bad role', { messages: [{ role: 'bot', content: 'x' }] }, 'invalid_value', 'messages[0].role'],
    ['user without content', { messages: [{ role: 'user' }] }, 'missing_required_parameter', 'messages[0].content'],
    ['bad part type', { messages: userMessage([{ type: 'input_text', text: 'x' }]) }, 'invalid_value', 'messages[0].content[0].type'],
    ['image in a system message', { messages: [{ role: 'system', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] }] }, 'invalid_value', 'messages[0]'],
    ['n above 4', { messages: userMessage('x'), n: 5 }, 'integer_above_max_value', 'n'],
    ['n below 1', { messages: userMessage('x'), n: 0 }, 'integer_below_min_value', 'n'],
    ['max_tokens 0', { messages: userMessage('x'), max_tokens: 0 }, 'integer_below_min_value', 'max_tokens'],
    ['temperature below 0', { messages: userMessage('x'), temperature: -1 }, 'decimal_below_min_value', 'temperature'],
    ['presence_penalty above 2', { messages: userMessage('x'), presence_penalty: 3 }, 'decimal_above_max_value', 'presence_penalty'],
    ['five stop sequences', { messages: userMessage('x'), stop: ['a', 'b', 'c', 'd', 'e'] }, 'array_above_max_length', 'stop'],
    ['bad response_format', { messages: userMessage('x'), response_format: { type: 'yaml' } }, 'invalid_value', 'response_format.type'],
    ['max_tokens on a reasoning model', { model: 'gpt-5.4-mini', messages: userMessage('x'), max_tokens: 50 }, 'unsupported_parameter', 'max_tokens'],
  ];
  for (const [name, body, code, param] of invalid) {
    test(`400 for ${name}`, async () => assertError(await chat(body), 400, { code, param }));
  }

  test('unknown argument is refused with the chat wording', async () => {
    const res = await chat({ messages: userMessage('x'), max_output_tokens: 50 });
    assertError(res, 400, { code: null });
    assert.equal(res.json.error.message, 'Unrecognized request argument supplied: max_output_tokens');
  });

  test('json_object needs the word JSON in the messages', async () => {
    assertError(await chat({ messages: userMessage('x'), response_format: { type: 'json_object' } }), 400, { param: 'messages' });
  });

  test('unknown model is 404 model_not_found; image models are not chat models', async () => {
    assertError(await chat({ model: 'gpt-nope', messages: userMessage('x') }), 404, { code: 'model_not_found' });
    assertError(await chat({ model: 'dall-e-3', messages: userMessage('x') }), 404, { param: 'model' });
  });
});

describe('GET /v1/models', () => {
  test('lists the known models', async () => {
    const res = await call('GET', '/v1/models');
    assert.equal(res.status, 200);
    assert.equal(res.json.object, 'list');
    assert.deepEqual(res.json.data.map((m) => m.id), ['gpt-4o-mini', 'gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-5.4-mini', 'gpt-image-1', 'dall-e-3']);
    for (const m of res.json.data) {
      assert.deepEqual(Object.keys(m), ['id', 'object', 'created', 'owned_by']);
      assert.equal(m.object, 'model');
    }
  });

  test('retrieves one model, 404 for an unknown one', async () => {
    assert.equal((await call('GET', '/v1/models/gpt-4.1-nano')).json.id, 'gpt-4.1-nano');
    assertError(await call('GET', '/v1/models/gpt-nope'), 404, { code: 'model_not_found' });
  });
});

describe('routing', () => {
  test('unknown /v1 URL is 404 Invalid URL; wrong method is 405', async () => {
    const res = await call('POST', '/v1/nothing-here', {});
    assertError(res, 404);
    assert.equal(res.json.error.message, 'Invalid URL (POST /v1/nothing-here)');
    assertError(await call('GET', '/v1/chat/completions'), 405);
  });
});

describe('scenario markers', () => {
  // Each marker is checked through both text endpoints.
  const endpoints = {
    responses: (text) => responses({ input: [{ role: 'user', content: [{ type: 'input_text', text }] }] }),
    chat: (text) => chat({ messages: userMessage(text) }),
  };
  for (const [name, send] of Object.entries(endpoints)) {
    test(`${name}: [[loopback:401]] gives invalid_api_key without the key`, async () => {
      const res = await send('please fail [[loopback:401]]');
      assertError(res, 401, { code: 'invalid_api_key' });
      assert.ok(!res.text.includes(KEY));
    });

    test(`${name}: [[loopback:429]] gives rate_limit_exceeded with retry-after`, async () => {
      const res = await send('[[loopback:429]]');
      assertError(res, 429, { type: 'requests', code: 'rate_limit_exceeded' });
      assert.equal(res.headers.get('retry-after'), '1');
    });

    test(`${name}: [[loopback:429-quota]] gives insufficient_quota`, async () => {
      assertError(await send('[[loopback:429-quota]]'), 429, { type: 'insufficient_quota', code: 'insufficient_quota' });
    });

    test(`${name}: [[loopback:500]] gives server_error`, async () => {
      assertError(await send('[[loopback:500]]'), 500, { type: 'server_error' });
    });

    test(`${name}: [[loopback:503-html]] gives an HTML page`, async () => {
      const res = await send('[[loopback:503-html]]');
      assert.equal(res.status, 503);
      assert.match(res.headers.get('content-type'), /^text\/html/);
      assert.match(res.text, /<html>/);
    });

    test(`${name}: [[loopback:truncated]] gives a 200 with half a JSON body`, async () => {
      const res = await send('[[loopback:truncated]]');
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type'), /^application\/json/);
      assert.ok(res.text.startsWith('{'));
      assert.throws(() => JSON.parse(res.text));
    });

    test(`${name}: [[loopback:empty]] gives no output`, async () => {
      const res = await send('[[loopback:empty]]');
      assert.equal(res.status, 200);
      assert.deepEqual(res.json.output ?? res.json.choices, []);
    });

    test(`${name}: [[loopback:huge]] gives a ~2 MB valid body`, async () => {
      const res = await send('[[loopback:huge]]');
      assert.equal(res.status, 200);
      assert.ok(res.text.length > 2_000_000 && res.text.length < 2_200_000, String(res.text.length));
      const text = res.json.output?.[0].content[0].text ?? res.json.choices[0].message.content;
      assert.equal(text.length, 2 * 1024 * 1024);
    });

    test(`${name}: [[loopback:huge:MB]] sets the size`, async () => {
      const res = await send('[[loopback:huge:9]]');
      assert.equal(res.status, 200);
      assert.ok(res.text.length > 9 * 1024 * 1024, String(res.text.length));
    });

    test(`${name}: [[loopback:reset]] drops the connection with no reply`, async () => {
      await assert.rejects(send('[[loopback:reset]]'), (err) => /ECONNRESET|socket hang up|fetch failed|terminated/i.test(`${err.message} ${err.cause?.code ?? ''}`));
    });

    test(`${name}: [[loopback:slow-body:MS]] stalls between the two halves of a valid body`, async () => {
      const started = Date.now();
      const res = await send('[[loopback:slow-body:300]]');
      assert.equal(res.status, 200);
      assert.ok(Date.now() - started >= 290);
      assert.ok(res.json.output ?? res.json.choices, 'the whole body arrived');
    });

    test(`${name}: [[loopback:wrong-type]] gives a 200 HTML sign-in page`, async () => {
      const res = await send('[[loopback:wrong-type]]');
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type'), /^text\/html/);
      assert.match(res.text, /Sign in/);
    });

    test(`${name}: [[loopback:slow:MS]] delays the answer`, async () => {
      const started = Date.now();
      const res = await send('wait [[loopback:slow:300]]');
      assert.equal(res.status, 200);
      assert.ok(Date.now() - started >= 290);
    });
  }

  test('a client timeout during slow does not disturb the server', async () => {
    const request = fetch(`${provider.url}/v1/chat/completions`, {
      method: 'POST',
      headers: AUTH,
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: userMessage('[[loopback:slow:30000]]') }),
      signal: AbortSignal.timeout(100),
    });
    await assert.rejects(request, { name: 'TimeoutError' });
    assert.equal((await call('GET', '/__loopback/health')).status, 200);
  });

  test('slow combines with another marker; only the last user text counts', async () => {
    const res = await chat({ messages: [{ role: 'user', content: '[[loopback:500]]' }, { role: 'user', content: '[[loopback:slow:10]] [[loopback:429]]' }] });
    assert.equal(res.status, 429);
  });

  test('markers are checked after validation', async () => {
    assertError(await responses({ input: '[[loopback:500]]', max_output_tokens: 1 }), 400, { code: 'integer_below_min_value' });
  });
});

describe('control endpoints and request log', () => {
  test('health', async () => {
    assert.deepEqual((await call('GET', '/__loopback/health', undefined, {})).json, { ok: true });
  });

  test('the log records requests with the key redacted, and can be cleared', async () => {
    await call('DELETE', '/__loopback/requests', undefined, {});
    assert.equal(provider.requests.length, 0);
    await responses({ input: 'log me' });
    const res = await call('GET', '/__loopback/requests', undefined, {});
    assert.equal(res.json.length, 1);
    const [entry] = res.json;
    assert.equal(entry.method, 'POST');
    assert.equal(entry.path, '/v1/responses');
    assert.equal(entry.headers.authorization, '[redacted]');
    assert.deepEqual(entry.body, { model: 'gpt-4o-mini', input: 'log me' });
    assert.ok(!res.text.includes(KEY));
    assert.deepEqual(provider.requests, res.json);
    await call('DELETE', '/__loopback/requests', undefined, {});
    assert.equal(provider.requests.length, 0);
  });

  test('ids are per-server counters', async () => {
    const fresh = await startProvider();
    try {
      const send = () => call('POST', '/v1/responses', { model: 'gpt-4o-mini', input: 'x' }, AUTH, fresh.url);
      assert.equal((await send()).json.id, 'resp_0001');
      assert.equal((await send()).json.id, 'resp_0002');
    } finally {
      await fresh.close();
    }
  });
});

describe('command line', () => {
  test('listens, writes the pid file, stops on SIGTERM', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopback-'));
    const pidFile = path.join(dir, 'provider.pid');
    const script = fileURLToPath(new URL('./server.mjs', import.meta.url));
    const child = spawn(process.execPath, [script, '--port', '0', '--pid-file', pidFile], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const [line] = await once(child.stdout, 'data');
      const match = /^listening (http:\/\/127\.0\.0\.1:(\d+))\n$/.exec(line.toString());
      assert.ok(match, line.toString());
      assert.equal(fs.readFileSync(pidFile, 'utf8').trim(), String(child.pid));
      assert.deepEqual((await call('GET', '/__loopback/health', undefined, {}, match[1])).json, { ok: true });
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      assert.equal(code, 0);
      assert.equal(fs.existsSync(pidFile), false);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('OpenAI Responses tools', () => {
  let provider;
  before(async () => { provider = await startProvider({ port: 0 }); });
  after(() => provider.close());
  const send = (body) => fetch(`${provider.url}/v1/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-loopback-demo-key-0000000000' },
    body: JSON.stringify({ model: 'gpt-4.1-mini', ...body }),
  }).then(async (r) => ({ status: r.status, json: await r.json() }));
  const tool = { type: 'function', name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };

  test('asked with tools, the model calls the first one with schema-shaped arguments', async () => {
    const res = await send({ input: [{ role: 'user', content: [{ type: 'input_text', text: 'Weather?' }] }], tools: [tool] });
    assert.equal(res.status, 200);
    const [call] = res.json.output;
    assert.equal(call.type, 'function_call');
    assert.equal(call.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.arguments), { city: 'loopback' });
    assert.match(call.call_id, /^call_/);
  });

  test('given the tool results, the model answers quoting them', async () => {
    const res = await send({
      input: [
        { role: 'user', content: [{ type: 'input_text', text: 'Weather?' }] },
        { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Oslo"}' },
        { type: 'function_call_output', call_id: 'call_1', output: 'sunny' },
      ],
      tools: [tool],
    });
    assert.equal(res.status, 200);
    assert.equal(res.json.output[0].content[0].text, 'Loopback reply to tool results: get_weather=sunny');
  });

  test('an output for a call that was never made is refused, like the real API', async () => {
    const res = await send({ input: [{ role: 'user', content: [{ type: 'input_text', text: 'x' }] }, { type: 'function_call_output', call_id: 'call_9', output: 'x' }] });
    assert.equal(res.status, 400);
    assert.match(res.json.error.message, /No tool call found/);
  });
});

describe('format-scoped scenario markers', () => {
  test('[[loopback:500@openai]] fails OpenAI and leaves every other format alone', async () => {
    const text = 'Write a haiku [[loopback:500@openai]]';
    const failed = await responses({ input: text });
    assert.equal(failed.status, 500, failed.text);
    const anthropic = await post(
      '/anthropic/v1/messages',
      { model: 'claude-haiku-4-5', max_tokens: 50, messages: userMessage(text) },
      { 'x-api-key': 'sk-ant-loopback-demo-key-0000000000', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
    );
    assert.equal(anthropic.status, 200, anthropic.text);
  });

  test('a marker for another format is ignored', async () => {
    const res = await responses({ input: 'Hi [[loopback:401@google]]' });
    assert.equal(res.status, 200, res.text);
  });
});

describe('images', () => {
  const images = (body, headers) => post('/v1/images/generations', { prompt: 'A teapot', ...body }, headers);
  const decode = (b64) => pngSize(Buffer.from(b64, 'base64'));

  test('GPT Image returns base64 PNGs of the size asked, with token usage', async () => {
    const res = await images({ model: 'gpt-image-1', size: '1536x1024', n: 2 });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.data.length, 2);
    assert.deepEqual(decode(res.json.data[1].b64_json), { width: 1536, height: 1024 });
    assert.equal(res.json.output_format, 'png');
    assert.equal(res.json.usage.total_tokens, 20 + 2 * 1056);
  });

  test('DALL·E 3 makes one image a request, in its own sizes, as b64_json when asked', async () => {
    const res = await images({ model: 'dall-e-3', size: '1024x1792', response_format: 'b64_json' });
    assert.deepEqual(decode(res.json.data[0].b64_json), { width: 1024, height: 1792 });
    assertError(await images({ model: 'dall-e-3', n: 2 }), 400, { code: 'invalid_value', param: 'n' });
    assertError(await images({ model: 'dall-e-3', size: '1536x1024' }), 400, { code: 'invalid_value', param: 'size' });
  });

  test('a text model, a missing prompt and GPT Image with response_format are refused', async () => {
    assertError(await images({ model: 'gpt-4o-mini' }), 400, { code: 'invalid_value', param: 'model' });
    assertError(await post('/v1/images/generations', { model: 'gpt-image-1' }), 400, { code: 'missing_required_parameter', param: 'prompt' });
    assertError(await images({ model: 'gpt-image-1', response_format: 'b64_json' }), 400, { code: 'unknown_parameter', param: 'response_format' });
  });
});
