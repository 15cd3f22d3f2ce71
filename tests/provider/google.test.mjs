// Tests of the loopback Gemini (formats/google.mjs): generateContent as the real
// API answers and refuses it, tools with thought signatures, the scenario
// markers in Google's error shapes, and the model list.
import { pngSize } from './lib/png.mjs';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startProvider } from './server.mjs';
import { send } from './client.mjs';
import { signatureFor, THOUGHT_TOKENS } from './formats/google/generate.mjs';

const KEY = 'AIzaSyLoopbackDemoKey0000000000000000000';
const HEADERS = { 'x-goog-api-key': KEY, 'content-type': 'application/json' };

let provider;
before(async () => { provider = await startProvider({ port: 0 }); });
after(async () => { await provider.close(); });

const call = (method, urlPath, body, headers = HEADERS) => send(provider.url + urlPath, method, body, headers);
const generate = (body, model = 'gemini-2.0-flash', headers = HEADERS) =>
  call('POST', `/google/v1beta/models/${model}:generateContent`, body, headers);
const user = (...parts) => ({ role: 'user', parts });
const ask = (text, extra = {}) => ({ contents: [user({ text })], ...extra });

function assertGoogleError(res, code, status, message) {
  assert.equal(res.status, code, res.text);
  assert.equal(res.json.error.code, code);
  assert.equal(res.json.error.status, status);
  if (message) assert.match(res.json.error.message, message);
}

describe('auth', () => {
  test('no key is PERMISSION_DENIED, a wrong key 400 API_KEY_INVALID without the key', async () => {
    assertGoogleError(await generate(ask('hi'), undefined, { 'content-type': 'application/json' }), 403, 'PERMISSION_DENIED', /unregistered callers/);
    const wrong = 'AIzaSyThisIsAWrongKey00000000000000000000';
    const res = await generate(ask('hi'), undefined, { ...HEADERS, 'x-goog-api-key': wrong });
    assertGoogleError(res, 400, 'INVALID_ARGUMENT', /API key not valid/);
    assert.equal(res.json.error.details[0].reason, 'API_KEY_INVALID');
    assert.ok(!res.text.includes(wrong));
  });

  test('the ?key= query parameter is accepted too, and redacted in the log', async () => {
    const res = await call('POST', `/google/v1beta/models/gemini-2.0-flash:generateContent?key=${KEY}`, ask('hi'), { 'content-type': 'application/json' });
    assert.equal(res.status, 200, res.text);
    const logged = provider.requests.at(-1);
    assert.ok(!JSON.stringify(logged).includes(KEY));
    assert.match(logged.path, /key=%5Bredacted%5D|key=\[redacted\]/);
  });

  test('keys come from the option', async () => {
    const custom = await startProvider({ keys: { google: ['AIza-custom'] } });
    try {
      const res = await fetch(`${custom.url}/google/v1beta/models`, { headers: { 'x-goog-api-key': 'AIza-custom' } });
      assert.equal(res.status, 200);
      assert.equal((await fetch(`${custom.url}/google/v1beta/models`, { headers: { 'x-goog-api-key': KEY } })).status, 400);
    } finally {
      await custom.close();
    }
  });
});

describe('generateContent', () => {
  test('text with usage like the real API', async () => {
    const res = await generate(ask('Hello there', { systemInstruction: { parts: [{ text: 'Be brief.' }] } }));
    assert.equal(res.status, 200, res.text);
    const [candidate] = res.json.candidates;
    assert.deepEqual(candidate, { content: { parts: [{ text: 'Loopback reply to: Hello there' }], role: 'model' }, finishReason: 'STOP', index: 0 });
    // input: 9 + 11 chars -> 5 tokens; output: 30 chars -> 8 tokens; no thinking on 2.0.
    assert.deepEqual(res.json.usageMetadata, {
      promptTokenCount: 5, candidatesTokenCount: 8, totalTokenCount: 13, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 5 }],
    });
    assert.equal(res.json.modelVersion, 'gemini-2.0-flash');
    assert.match(res.json.responseId, /^loopback_\d{4}$/);
  });

  test('several candidates in one response; thinking models bill thoughts apart', async () => {
    const res = await generate(ask('Hi', { generationConfig: { candidateCount: 3 } }), 'gemini-2.5-flash');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.candidates.map((c) => c.index), [0, 1, 2]);
    const usage = res.json.usageMetadata;
    assert.equal(usage.candidatesTokenCount, 3 * 6);
    assert.equal(usage.thoughtsTokenCount, 3 * THOUGHT_TOKENS);
    assert.equal(usage.totalTokenCount, usage.promptTokenCount + usage.candidatesTokenCount + usage.thoughtsTokenCount);
  });

  test('snake_case fields are the same fields; thoughts show when asked for', async () => {
    const res = await generate({
      contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
      generation_config: { max_output_tokens: 100, thinking_config: { include_thoughts: true } },
    }, 'gemini-2.5-flash');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.candidates[0].content.parts, [{ text: 'Loopback thoughts about: Hi', thought: true }, { text: 'Loopback reply to: Hi' }]);
  });

  test('maxOutputTokens cuts with MAX_TOKENS, a stop sequence without', async () => {
    const cut = await generate(ask('Hello there', { generationConfig: { maxOutputTokens: 2 } }));
    assert.equal(cut.json.candidates[0].finishReason, 'MAX_TOKENS');
    assert.equal(cut.json.candidates[0].content.parts[0].text, 'Loop' + 'back');
    const stopped = await generate(ask('Hello there', { generationConfig: { stopSequences: ['there'] } }));
    assert.equal(stopped.json.candidates[0].finishReason, 'STOP');
    assert.equal(stopped.json.candidates[0].content.parts[0].text, 'Loopback reply to: Hello ');
  });

  test('JSON output follows the schema, in either schema field', async () => {
    const schema = { type: 'object', properties: { title: { type: 'string' }, n: { type: 'integer' } }, required: ['title'] };
    const json = await generate(ask('Hi', { generationConfig: { responseMimeType: 'application/json', responseJsonSchema: schema } }));
    assert.deepEqual(JSON.parse(json.json.candidates[0].content.parts[0].text), { title: 'Loopback reply to: Hi', n: 0 });
    const openapi = await generate(ask('Hi', { generationConfig: { responseMimeType: 'application/json', responseSchema: { type: 'OBJECT', properties: { ok: { type: 'BOOLEAN' } } } } }));
    assert.deepEqual(JSON.parse(openapi.json.candidates[0].content.parts[0].text), { ok: false });
    const plain = await generate(ask('Hi', { generationConfig: { responseMimeType: 'application/json' } }));
    assert.deepEqual(JSON.parse(plain.json.candidates[0].content.parts[0].text), { reply: 'Loopback reply to: Hi' });
  });

  test('images inline and by URL are accepted', async () => {
    const res = await generate({ contents: [user({ text: 'What is it?' }, { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } }, { fileData: { mimeType: 'image/webp', fileUri: 'https://example.com/a.webp' } })] });
    assert.equal(res.status, 200, res.text);
  });

  test('Google Search answers with grounding metadata', async () => {
    const res = await generate(ask('News?', { tools: [{ google_search: {} }] }));
    assert.deepEqual(res.json.candidates[0].groundingMetadata.webSearchQueries, ['News?']);
  });
});

describe('function calling', () => {
  const weather = { name: 'get_weather', description: 'Weather.', parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1 } }, required: ['city'] } };
  const tools = [{ functionDeclarations: [weather, { name: 'now' }] }];

  test('the first declared function is called, with arguments from its schema and a signature', async () => {
    const res = await generate(ask('Weather in Paris?', { tools }), 'gemini-2.5-flash');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.candidates[0].content.parts, [
      { functionCall: { name: 'get_weather', args: { city: 'loopback', days: 1 } }, thoughtSignature: signatureFor('get_weather') },
    ]);
    assert.equal(res.json.candidates[0].finishReason, 'STOP');
    const old = await generate(ask('Weather in Paris?', { tools }), 'gemini-2.0-flash');
    assert.equal(old.json.candidates[0].content.parts[0].thoughtSignature, undefined, 'models that do not think sign nothing');
  });

  const history = (signature) => [
    user({ text: 'Weather in Paris and Rome?' }),
    { role: 'model', parts: [
      { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, ...(signature ? { thoughtSignature: signature } : {}) },
      { functionCall: { name: 'get_weather', args: { city: 'Rome' } } },
    ] },
    user(
      { functionResponse: { name: 'get_weather', response: { temp: 21 } } },
      { functionResponse: { name: 'get_weather', response: { output: '18 C' } } },
    ),
  ];

  test('results in one user turn are answered with text quoting them', async () => {
    const res = await generate({ contents: history(signatureFor('get_weather')), tools }, 'gemini-3-flash-preview');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.candidates[0].content.parts.at(-1).text, 'Loopback reply to tool results: get_weather={"temp":21}; get_weather={"output":"18 C"}');
  });

  test('Gemini 3 refuses a turn whose function call lost its signature', async () => {
    const res = await generate({ contents: history(null), tools }, 'gemini-3-flash-preview');
    assertGoogleError(res, 400, 'INVALID_ARGUMENT', /missing a thought_signature.*default_api:get_weather/);
    assert.equal((await generate({ contents: history(null), tools }, 'gemini-2.5-flash')).status, 200, '2.5 does not enforce it');
  });

  test('as many responses as calls, each an object with a name', async () => {
    const [question, calls, results] = history(signatureFor('get_weather'));
    const one = { ...results, parts: results.parts.slice(0, 1) };
    assertGoogleError(await generate({ contents: [question, calls, one], tools }), 400, 'INVALID_ARGUMENT', /number of function response parts is equal/);
    const text = { ...results, parts: [results.parts[0], { functionResponse: { name: 'get_weather', response: '18 C' } }] };
    assertGoogleError(await generate({ contents: [question, calls, text], tools }), 400, 'INVALID_ARGUMENT', /function_response\.response' \(type\.googleapis\.com\/google\.protobuf\.Struct\), "18 C"/);
  });
});

describe('validation', () => {
  const cases = [
    ['an unknown field', { ...ask('hi'), model: 'x' }, /Unknown name "model": Cannot find field/],
    ['an unknown generation setting', ask('hi', { generationConfig: { max_tokens: 5 } }), /Unknown name "max_tokens" at 'generation_config'/],
    ['no contents', { contents: [] }, /contents is not specified/],
    ['a bad role', { contents: [{ role: 'assistant', parts: [{ text: 'hi' }] }] }, /valid role: user, model/],
    ['empty parts', { contents: [{ role: 'user', parts: [] }] }, /parts must not be empty/],
    ['a part without data', { contents: [user({ thought: true })] }, /oneof field 'data'/],
    ['bad base64', { contents: [user({ inlineData: { mimeType: 'image/png', data: 'not base64!' } })] }, /Base64 decoding failed/],
    ['temperature over 2', ask('hi', { generationConfig: { temperature: 2.5 } }), /temperature must be in the range \[0, 2\]/],
    ['nine candidates', ask('hi', { generationConfig: { candidateCount: 9 } }), /candidate_count must be in the range \[1, 8\]/],
    ['six stop sequences', ask('hi', { generationConfig: { stopSequences: ['a', 'b', 'c', 'd', 'e', 'f'] } }), /must not exceed 5/],
    ['a schema without the JSON type', ask('hi', { generationConfig: { responseJsonSchema: { type: 'object' } } }), /response_mime_type must be application\/json/],
    ['both schema fields', ask('hi', { generationConfig: { responseMimeType: 'application/json', responseSchema: {}, responseJsonSchema: {} } }), /mutually exclusive/],
    ['a bad function name', ask('hi', { tools: [{ functionDeclarations: [{ name: '1 bad' }] }] }), /Invalid function name/],
  ];
  for (const [what, body, message] of cases) {
    test(`${what} is INVALID_ARGUMENT`, async () => assertGoogleError(await generate(body), 400, 'INVALID_ARGUMENT', message));
  }

  test('unknown and non-text models are NOT_FOUND; unknown paths get the HTML 404 page', async () => {
    assertGoogleError(await generate(ask('hi'), 'gemini-9'), 404, 'NOT_FOUND', /models\/gemini-9 is not found for API version v1beta/);
    assertGoogleError(await generate(ask('hi'), 'gemini-embedding-001'), 404, 'NOT_FOUND');
    const doubled = await generate(ask('hi'), 'models/gemini-2.0-flash');
    assert.equal(doubled.status, 404);
    assert.match(doubled.headers.get('content-type'), /text\/html/);
    assert.equal((await call('POST', '/google/v1beta/models/gemini-2.0-flash:streamGenerateContent', ask('hi'))).status, 404);
  });

  test('invalid JSON is INVALID_ARGUMENT', async () => {
    assertGoogleError(await generate('{"contents": '), 400, 'INVALID_ARGUMENT', /Invalid JSON payload/);
  });
});

describe('scenario markers', () => {
  test('[[loopback:401]] is Google\'s wrong-key answer', async () => {
    const res = await generate(ask('[[loopback:401]]'));
    assertGoogleError(res, 400, 'INVALID_ARGUMENT', /API key not valid/);
  });

  test('[[loopback:429]] carries the delay in RetryInfo, not a header', async () => {
    const res = await generate(ask('[[loopback:429]]'));
    assertGoogleError(res, 429, 'RESOURCE_EXHAUSTED', /exceeded your current quota/);
    assert.equal(res.headers.get('retry-after'), null);
    assert.equal(res.json.error.details.find((d) => d['@type'].endsWith('RetryInfo')).retryDelay, '1s');
  });

  test('[[loopback:429-quota]] is the 402 of used-up prepaid credit', async () => {
    assertGoogleError(await generate(ask('[[loopback:429-quota]]')), 402, 'RESOURCE_EXHAUSTED', /prepayment credits are depleted/);
  });

  test('[[loopback:500]], [[loopback:503-html]], [[loopback:too-long]]', async () => {
    assertGoogleError(await generate(ask('[[loopback:500]]')), 500, 'INTERNAL');
    const html = await generate(ask('[[loopback:503-html]]'));
    assert.equal(html.status, 503);
    assert.match(html.headers.get('content-type'), /text\/html/);
    assertGoogleError(await generate(ask('[[loopback:too-long]]')), 400, 'INVALID_ARGUMENT', /input token count \(\d+\) exceeds the maximum number of tokens allowed \(1048576\)/);
  });

  test('[[loopback:empty]] is a candidate without parts; [[loopback:truncated]] cut JSON', async () => {
    const empty = await generate(ask('[[loopback:empty]]'));
    assert.deepEqual(empty.json.candidates, [{ content: { role: 'model' }, finishReason: 'STOP', index: 0 }]);
    assert.equal(empty.json.usageMetadata.candidatesTokenCount, undefined);
    const cut = await generate(ask('[[loopback:truncated]]'));
    assert.equal(cut.status, 200);
    assert.throws(() => JSON.parse(cut.text));
  });
});

describe('models', () => {
  test('the list and one model, as resource names', async () => {
    const list = await call('GET', '/google/v1beta/models');
    assert.ok(list.json.models.some((m) => m.name === 'models/gemini-2.5-flash' && m.supportedGenerationMethods.includes('generateContent')));
    const one = await call('GET', '/google/v1beta/models/gemini-2.0-flash');
    assert.equal(one.json.name, 'models/gemini-2.0-flash');
    assertGoogleError(await call('GET', '/google/v1beta/models/nope'), 404, 'NOT_FOUND');
  });
});

describe('Gemini image output', () => {

  test('an image model asked for IMAGE answers a PNG sized by the aspect ratio', async () => {
    const res = await generate(
      { contents: [{ role: 'user', parts: [{ text: 'A teapot' }] }], generationConfig: { responseModalities: ['TEXT', 'IMAGE'], imageConfig: { aspectRatio: '16:9' } } },
      'gemini-2.5-flash-image',
    );
    assert.equal(res.status, 200, res.text);
    const image = res.json.candidates[0].content.parts.find((p) => p.inlineData);
    assert.equal(image.inlineData.mimeType, 'image/png');
    assert.deepEqual(pngSize(Buffer.from(image.inlineData.data, 'base64')), { width: 1344, height: 768 });
  });

  test('an aspect ratio Gemini does not make is refused', async () => {
    const res = await generate(
      { contents: [{ role: 'user', parts: [{ text: 'A teapot' }] }], generationConfig: { responseModalities: ['IMAGE'], imageConfig: { aspectRatio: '7:4' } } },
      'gemini-2.5-flash-image',
    );
    assert.equal(res.status, 400, res.text);
  });
});
