// Tests of the loopback Ollama: POST /ollama/api/chat with the checks the real
// server makes, tools and tool results, structured output, streaming by
// default, the scenario markers in Ollama's error shapes, and the other routes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startProvider } from './server.mjs';
import { send } from './client.mjs';

let provider;
before(async () => { provider = await startProvider({ port: 0 }); });
after(async () => { await provider.close(); });

const call = (method, urlPath, body, headers = { 'content-type': 'application/json' }) => send(provider.url + urlPath, method, body, headers);
const chat = (body, headers) => call('POST', '/ollama/api/chat', { model: 'llama3.2', stream: false, ...body }, headers);
const ask = (content, extra = {}) => chat({ messages: [{ role: 'user', content }], ...extra });

function assertError(res, status, pattern) {
  assert.equal(res.status, status, res.text);
  assert.deepEqual(Object.keys(res.json), ['error']);
  assert.equal(typeof res.json.error, 'string');
  if (pattern) assert.match(res.json.error, pattern);
}

describe('POST /ollama/api/chat', () => {
  test('answers one chat object with deterministic text and eval counts', async () => {
    const res = await chat({
      messages: [
        { role: 'system', content: 'Be brief.' }, // 9 chars
        { role: 'user', content: 'Hello there' }, // 11
      ],
    });
    assert.equal(res.status, 200, res.text);
    const r = res.json;
    assert.equal(r.model, 'llama3.2');
    assert.equal(typeof r.created_at, 'string');
    assert.deepEqual(r.message, { role: 'assistant', content: 'Loopback reply to: Hello there' });
    assert.equal(r.done, true);
    assert.equal(r.done_reason, 'stop');
    assert.equal(r.prompt_eval_count, 5); // ceil(20 / 4)
    assert.equal(r.eval_count, 8); // ceil(30 / 4)
    assert.ok(r.total_duration > 0 && r.eval_duration > 0);
  });

  test('no Content-Type or key is needed (a local server checks neither)', async () => {
    const res = await chat({ messages: [{ role: 'user', content: 'hi' }] }, {});
    assert.equal(res.status, 200, res.text);
    const withKey = await chat({ messages: [{ role: 'user', content: 'hi' }] }, { authorization: 'Bearer anything' });
    assert.equal(withKey.status, 200);
  });

  test('streams NDJSON unless stream is false (Ollama streams by default)', async () => {
    const res = await call('POST', '/ollama/api/chat', { model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /application\/x-ndjson/);
    const lines = res.text.trim().split('\n').map((l) => JSON.parse(l));
    assert.ok(lines.length >= 2);
    assert.equal(lines[0].message.content, 'Loopback reply to: hi');
    assert.equal(lines.at(-1).done, true);
    assert.equal(lines.at(-1).prompt_eval_count, 1);
    assert.equal(res.json, undefined, 'not one JSON value');
  });

  test('options: num_predict cuts with done_reason length; stop ends the reply', async () => {
    const cut = await ask('x'.repeat(100), { options: { num_predict: 5, temperature: 0.2, top_k: 3 } });
    assert.equal(cut.json.done_reason, 'length');
    assert.equal(cut.json.message.content, 'Loopback reply to: xxx'.slice(0, 20));
    assert.equal(cut.json.eval_count, 5);
    const stopped = await ask('one END two', { options: { stop: ['END'] } });
    assert.equal(stopped.json.message.content, 'Loopback reply to: one ');
    assert.equal(stopped.json.done_reason, 'stop');
  });

  test('format "json" and a schema give JSON', async () => {
    const json = await ask('in json', { format: 'json' });
    assert.deepEqual(JSON.parse(json.json.message.content), { reply: 'Loopback reply to: in json' });
    const schema = { type: 'object', properties: { title: { type: 'string' }, n: { type: 'integer' } }, required: ['title', 'n'] };
    const structured = await ask('Rate it', { format: schema });
    assert.deepEqual(JSON.parse(structured.json.message.content), { title: 'Loopback reply to: Rate it', n: 0 });
  });

  test('base64 images are accepted; anything else is a decoding error', async () => {
    const ok = await chat({ model: 'gemma3:4b', messages: [{ role: 'user', content: 'what?', images: ['iVBORw0KGgo='] }] });
    assert.equal(ok.status, 200, ok.text);
    const dataUri = await chat({ messages: [{ role: 'user', content: 'what?', images: ['data:image/png;base64,iVBORw0KGgo='] }] });
    assertError(dataUri, 400, /^illegal base64 data at input byte 4$/);
  });

  test('thinking comes back apart for a thinking model and counts as output', async () => {
    const res = await chat({ model: 'qwen3:8b', think: true, messages: [{ role: 'user', content: 'why?' }] });
    assert.equal(res.json.message.thinking, 'Loopback thinking about: why?');
    assert.equal(res.json.message.content, 'Loopback reply to: why?');
    assert.equal(res.json.eval_count, 6 + 8);
  });

  test('an empty conversation only loads the model', async () => {
    const res = await chat({ messages: [] });
    assert.deepEqual(res.json.message, { role: 'assistant', content: '' });
    assert.equal(res.json.done_reason, 'load');
    assert.equal(res.json.eval_count, undefined);
  });

  const invalid = [
    ['a missing model', { model: undefined, messages: [] }, 400, /^model is required$/],
    ['content that is not a string', { messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] }, 400, /cannot unmarshal array into Go struct field Message\.messages\.content of type string/],
    ['tool-call arguments as a string', { messages: [{ role: 'assistant', content: '', tool_calls: [{ function: { name: 'f', arguments: '{}' } }] }] }, 400, /ToolCallFunctionArguments/],
    ['a bad format', { format: 'yaml', messages: [] }, 400, /^invalid format: expected "json" or a valid JSON schema$/],
    ['num_predict of the wrong type', { options: { num_predict: '5' }, messages: [] }, 400, /^option "num_predict" must be of type integer$/],
    ['stop not an array of strings', { options: { stop: [1] }, messages: [] }, 400, /stop/],
    ['a model that is not pulled', { model: 'mistral', messages: [] }, 404, /^model "mistral" not found, try pulling it first$/],
    ['tools for a model without them', { model: 'gemma3:4b', tools: [{ type: 'function', function: { name: 'f' } }], messages: [] }, 400, /^registry\.ollama\.ai\/library\/gemma3:4b does not support tools$/],
    ['think for a model without it', { think: true, messages: [] }, 400, /^"llama3\.2:latest" does not support thinking$/],
  ];
  for (const [name, body, status, pattern] of invalid) {
    test(`${status} for ${name}`, async () => assertError(await chat(body), status, pattern));
  }

  test('invalid JSON is a 400 in the Ollama shape', async () => {
    assertError(await call('POST', '/ollama/api/chat', '{"model": '), 400);
  });
});

describe('tools', () => {
  const tools = [
    { type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } }, required: ['city'] } } },
    { type: 'function', function: { name: 'now', description: 'Time', parameters: { type: 'object', properties: {} } } },
  ];

  test('a user turn with tools declared calls the first tool with sampled arguments', async () => {
    const res = await ask('Weather in Paris?', { tools });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.message.content, '');
    const [toolCall] = res.json.message.tool_calls;
    assert.match(toolCall.id, /^call_\d{4}$/);
    assert.deepEqual(toolCall.function, { index: 0, name: 'get_weather', arguments: { city: 'Loopback reply to: Weather in Paris?', days: 0 } });
    assert.equal(res.json.done_reason, 'stop');
  });

  test('tool results are answered with text quoting them, by tool_name or tool_call_id', async () => {
    const res = await chat({
      tools,
      messages: [
        { role: 'user', content: 'Weather and time?' },
        { role: 'assistant', content: '', tool_calls: [
          { id: 'call_a', function: { name: 'get_weather', arguments: { city: 'Paris' } } },
          { id: 'call_b', function: { name: 'now', arguments: {} } },
        ] },
        { role: 'tool', tool_name: 'get_weather', content: '{"temp":21}' },
        { role: 'tool', tool_call_id: 'call_b', content: '12:00' },
      ],
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.message.content, 'Loopback reply to tool results: get_weather={"temp":21}; now=12:00');
    assert.equal(res.json.message.tool_calls, undefined);
  });
});

describe('scenario markers', () => {
  test('[[loopback:401]] is Ollama\'s unauthorized', async () => assertError(await ask('[[loopback:401]]'), 401, /^unauthorized$/));

  test('[[loopback:429]] is rate limited with retry-after', async () => {
    const res = await ask('[[loopback:429]]');
    assertError(res, 429);
    assert.equal(res.headers.get('retry-after'), '1');
  });

  test('[[loopback:429-quota]] is ollama.com\'s usage limit', async () => {
    assertError(await ask('[[loopback:429-quota]]'), 429, /usage limit, upgrade/);
  });

  test('[[loopback:500]] is a server error', async () => assertError(await ask('[[loopback:500]]'), 500, /runner process/));

  test('[[loopback:503-html]] is an HTML page', async () => {
    const res = await ask('[[loopback:503-html]]');
    assert.equal(res.status, 503);
    assert.match(res.headers.get('content-type'), /text\/html/);
  });

  test('[[loopback:too-long]] is the runner\'s exceed_context_size_error passed through', async () => {
    const res = await ask('[[loopback:too-long]]', { options: { num_ctx: 256 } });
    assertError(res, 400);
    const inner = JSON.parse(res.json.error);
    assert.equal(inner.error.type, 'exceed_context_size_error');
    assert.equal(inner.error.n_ctx, 256);
    assert.ok(inner.error.n_prompt_tokens > 256);
    assert.match(inner.error.message, /exceeds the available context size \(256 tokens\)/);
  });

  test('[[loopback:truncated]] cuts the JSON; [[loopback:empty]] gives no text', async () => {
    const cut = await ask('[[loopback:truncated]]');
    assert.equal(cut.status, 200);
    assert.equal(cut.json, undefined);
    const empty = await ask('[[loopback:empty]]');
    assert.equal(empty.json.message.content, '');
    assert.equal(empty.json.done_reason, 'stop');
  });

  test('markers come after validation', async () => {
    assertError(await chat({ model: 'mistral', messages: [{ role: 'user', content: '[[loopback:500]]' }] }), 404);
  });
});

describe('other routes', () => {
  test('the root says Ollama is running; tags list the pulled models; version', async () => {
    const root = await call('GET', '/ollama');
    assert.equal(root.text, 'Ollama is running');
    const tags = await call('GET', '/ollama/api/tags');
    assert.deepEqual(tags.json.models.map((m) => m.name), ['llama3.2:latest', 'qwen3:8b', 'gemma3:4b', 'llava:7b']);
    assert.equal(typeof (await call('GET', '/ollama/api/version')).json.version, 'string');
  });

  test('unknown paths under /ollama are Go\'s plain 404; a wrong method is 405', async () => {
    const unknown = await call('POST', '/ollama/api/nope', {});
    assert.equal(unknown.status, 404);
    assert.equal(unknown.text, '404 page not found');
    const method = await call('GET', '/ollama/api/chat');
    assert.equal(method.status, 405);
  });

  test('OpenAI\'s routes are untouched', async () => {
    const res = await call('GET', '/v1/models', undefined, {});
    assert.equal(res.status, 401);
    assert.equal(typeof res.json.error.message, 'string');
  });
});
