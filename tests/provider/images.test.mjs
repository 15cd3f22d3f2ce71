// Tests of the loopback's image endpoints beyond OpenAI's own (server.test.mjs): xAI, Azure
// OpenAI deployments, OpenRouter's image output and Google's Imagen — each in its provider's
// wire format, with real image bytes of the shape asked for, and refusing what the real API
// refuses.
import { after, before, describe, test } from 'node:test';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { startProvider } from './server.mjs';
import { send } from './client.mjs';
import { jpeg, jpegSize } from './lib/jpeg.mjs';
import { pngSize } from './lib/png.mjs';
import { webp, webpSize } from './lib/webp.mjs';

const KEYS = {
  xai: 'xai-loopback-demo-key-00000000000000',
  azure: 'loopback-azure-key-0000000000000000000000',
  openrouter: 'sk-or-v1-loopback-0000000000000000000000',
  google: 'AIzaSyLoopbackDemoKey0000000000000000000',
};
const bearer = (key) => ({ authorization: `Bearer ${key}` });

let provider;
before(async () => { provider = await startProvider({ port: 0 }); });
after(async () => { await provider.close(); });

const post = (path, body, headers) => send(provider.url + path, 'POST', body, { 'content-type': 'application/json', ...headers });
const bytes = (b64) => Buffer.from(b64, 'base64');
/** A 1×1 PNG, the image to refine. */
const REFERENCE = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

test('the JPEG maker writes real baseline JPEGs of any size', () => {
  for (const [w, h] of [[1, 1], [17, 9], [1408, 792]]) assert.deepEqual(jpegSize(jpeg(w, h)), { width: w, height: h });
  assert.equal(jpegSize(Buffer.from('not a jpeg')), null);
});

describe('xai: POST /xai/v1/images/generations', () => {
  const images = (body, headers = bearer(KEYS.xai)) => post('/xai/v1/images/generations', { prompt: 'A teapot', ...body }, headers);

  test('Grok Imagine makes n JPEGs in the ratio asked, as base64 when asked', async () => {
    const res = await images({ model: 'grok-imagine-image', n: 2, aspect_ratio: '16:9', response_format: 'b64_json' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.data.length, 2);
    for (const item of res.json.data) {
      assert.equal(item.mime_type, 'image/jpeg');
      assert.deepEqual(jpegSize(bytes(item.b64_json)), { width: 1408, height: 792 });
      assert.match(item.revised_prompt, /teapot/);
    }
    const url = await images({ model: 'grok-imagine-image' });
    assert.match(url.json.data[0].url, /^https:\/\/imgen\.x\.ai\/.+\.jpeg$/);
    assert.equal(url.json.data[0].b64_json, undefined);
  });

  test('grok-2-image makes 1024×768 and takes no aspect ratio', async () => {
    const res = await images({ model: 'grok-2-image-1212', response_format: 'b64_json' });
    assert.deepEqual(jpegSize(bytes(res.json.data[0].b64_json)), { width: 1024, height: 768 });
    const ratio = await images({ model: 'grok-2-image-1212', aspect_ratio: '1:1' });
    assert.equal(ratio.status, 400);
    assert.match(ratio.json.error, /aspect_ratio/);
  });

  test('size, quality and style are refused, as are chat models, bad ratios and counts', async () => {
    for (const extra of [{ size: '1024x1024' }, { quality: 'hd' }, { style: 'vivid' }]) {
      const res = await images({ model: 'grok-imagine-image', ...extra });
      assert.equal(res.status, 400, JSON.stringify(extra));
      assert.deepEqual(Object.keys(res.json).sort(), ['code', 'error']);
    }
    assert.equal((await images({ model: 'grok-4' })).status, 400);
    assert.equal((await images({ model: 'grok-imagine-image', aspect_ratio: '7:4' })).status, 400);
    assert.equal((await images({ model: 'grok-imagine-image', n: 11 })).status, 400);
    assert.equal((await images({ model: 'grok-imagine-image', prompt: '' })).status, 400);
    assert.equal((await images({ model: 'grok-imagine-image' }, {})).status, 401);
  });
});

describe('azure: POST /azure/openai/deployments/{deployment}/images/generations', () => {
  const AZURE = { 'api-key': KEYS.azure };
  const images = (deployment, body, version = '2025-04-01-preview', headers = AZURE) =>
    post(`/azure/openai/deployments/${deployment}/images/generations?api-version=${version}`, { prompt: 'A teapot', ...body }, headers);

  test('a DALL·E 3 deployment makes one PNG a request in its sizes, as b64_json when asked', async () => {
    const res = await images('dalle3', { size: '1792x1024', response_format: 'b64_json' }, '2025-01-01-preview');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(pngSize(bytes(res.json.data[0].b64_json)), { width: 1792, height: 1024 });
    assert.deepEqual(res.json.data[0].content_filter_results, {});
    assert.ok(Array.isArray(res.json.prompt_filter_results));
    assert.equal((await images('dalle3', { n: 2 })).status, 400);
    assert.equal((await images('dalle3', { size: '1536x1024' })).status, 400);
  });

  test('a GPT Image deployment names its format, returns base64 and token usage; older API versions refuse it', async () => {
    const res = await images('gpt-image-1', { size: '1024x1536', output_format: 'jpeg', n: 2 });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.data.length, 2);
    assert.deepEqual(jpegSize(bytes(res.json.data[1].b64_json)), { width: 1024, height: 1536 });
    assert.equal(res.json.output_format, 'jpeg');
    assert.equal(res.json.usage.output_tokens, 2112);
    const lossless = await images('gpt-image-1', { size: '1536x1024', output_format: 'webp' });
    assert.equal(lossless.status, 200, lossless.text);
    assert.deepEqual(webpSize(bytes(lossless.json.data[0].b64_json)), { width: 1536, height: 1024 }, 'a real WebP of the size asked for');
    const old = await images('gpt-image-1', {}, '2025-01-01-preview');
    assert.deepEqual([old.status, old.json.error.code], [400, 'BadRequest']);
    assert.equal((await images('gpt-image-1', { response_format: 'b64_json' })).status, 400);
  });

  test('Azure answers for its own address: key, version, deployment, operation', async () => {
    assert.equal((await images('dalle3', {}, '2025-04-01-preview', {})).status, 401);
    assert.deepEqual([(await images('dalle3', {}, '1999-01-01')).status], [400]);
    const missing = await images('nope', {});
    assert.deepEqual([missing.status, missing.json.error.code], [404, 'DeploymentNotFound']);
    const chat = await images('gpt-4o-mini', {});
    assert.deepEqual([chat.status, chat.json.error.code], [400, 'OperationNotSupported']);
  });
});

describe('openrouter: image output from POST /openrouter/v1/chat/completions', () => {
  const chat = (body, headers = bearer(KEYS.openrouter)) =>
    post('/openrouter/v1/chat/completions', { model: 'google/gemini-2.5-flash-image', messages: [{ role: 'user', content: 'A teapot' }], ...body }, headers);

  test('an image model asked for images answers a PNG data URL in the ratio asked, with its tokens and cost', async () => {
    const res = await chat({ modalities: ['image', 'text'], image_config: { aspect_ratio: '21:9' } });
    assert.equal(res.status, 200, res.text);
    const [choice] = res.json.choices;
    assert.equal(typeof choice.message.content, 'string');
    const [image] = choice.message.images;
    assert.equal(image.type, 'image_url');
    const [, mime, data] = /^data:(image\/png);base64,(.+)$/.exec(image.image_url.url);
    assert.equal(mime, 'image/png');
    assert.deepEqual(pngSize(bytes(data)), { width: 1536, height: 672 });
    assert.equal(res.json.usage.completion_tokens_details.image_tokens, 1290);
    assert.ok(res.json.usage.cost > 0.0387);
    const square = await chat({ modalities: ['image', 'text'] });
    assert.deepEqual(pngSize(bytes(square.json.choices[0].message.images[0].image_url.url.split(',')[1])), { width: 1024, height: 1024 });
  });

  test('text models cannot make images; bad ratios and modalities are refused', async () => {
    const text = await chat({ model: 'openai/gpt-4o-mini', modalities: ['image', 'text'] });
    assert.equal(text.status, 404);
    assert.match(text.json.error.message, /output modalities/);
    assert.equal((await chat({ modalities: ['image'], image_config: { aspect_ratio: '7:4' } })).status, 400);
    assert.equal((await chat({ modalities: ['video'] })).status, 400);
    assert.equal((await chat({ modalities: ['image', 'text'] }, {})).status, 401);
    const plain = await chat({});
    assert.equal(plain.json.choices[0].message.images, undefined, 'without modalities the image model answers text');
  });

  test('an image model takes a reference image as an image_url data URL; bytes that are no such image are Google\'s 400', async () => {
    const content = (url) => [{ type: 'text', text: 'Make the background blue' }, { type: 'image_url', image_url: { url } }];
    const edited = await chat({ modalities: ['image', 'text'], messages: [{ role: 'user', content: content(`data:image/png;base64,${REFERENCE}`) }] });
    assert.equal(edited.status, 200, edited.text);
    assert.equal(edited.json.choices[0].message.images.length, 1);
    for (const url of ['data:image/png;base64,bm90IGFuIGltYWdl', `data:image/jpeg;base64,${REFERENCE}`]) {
      const refused = await chat({ modalities: ['image', 'text'], messages: [{ role: 'user', content: content(url) }] });
      assert.deepEqual([refused.status, refused.json.error.metadata.provider_name], [400, 'Google'], url);
    }
  });
});

describe('google: a Gemini image model given a reference image at POST /google/v1beta/models/{model}:generateContent', () => {
  const generate = (parts, headers = { 'x-goog-api-key': KEYS.google }) =>
    post('/google/v1beta/models/gemini-2.5-flash-image:generateContent', {
      contents: [{ role: 'user', parts: [{ text: 'Make the background blue' }, ...parts] }],
      generationConfig: { responseModalities: ['TEXT', 'IMAGE'], imageConfig: { aspectRatio: '1:1' } },
    }, headers);

  test('an inline PNG beside the prompt is read and an image answered', async () => {
    const res = await generate([{ inlineData: { mimeType: 'image/png', data: REFERENCE } }]);
    assert.equal(res.status, 200, res.text);
    const image = res.json.candidates[0].content.parts.find((p) => p.inlineData).inlineData;
    assert.deepEqual(pngSize(bytes(image.data)), { width: 1024, height: 1024 });
  });

  test('a type Gemini does not read, or bytes that are no image of the type named, are refused', async () => {
    const svg = await generate([{ inlineData: { mimeType: 'image/svg+xml', data: 'PHN2Zy8+' } }]);
    assert.deepEqual([svg.status, svg.json.error.status], [400, 'INVALID_ARGUMENT']);
    assert.match(svg.json.error.message, /Unsupported MIME type/);
    for (const inlineData of [{ mimeType: 'image/png', data: 'bm90IGFuIGltYWdl' }, { mimeType: 'image/jpeg', data: REFERENCE }]) {
      const bad = await generate([{ inlineData }]);
      assert.equal(bad.status, 400, JSON.stringify(inlineData));
      assert.match(bad.json.error.message, /Unable to process input image/);
    }
  });
});

describe('google: Imagen at POST /google/v1beta/models/{model}:predict', () => {
  const GOOGLE = { 'x-goog-api-key': KEYS.google };
  const predict = (parameters, { model = 'imagen-4.0-generate-001', prompt = 'A teapot', headers = GOOGLE } = {}) =>
    post(`/google/v1beta/models/${model}:predict`, { instances: [{ prompt }], parameters }, headers);

  test('sampleCount images in the ratio and type asked, with no usage', async () => {
    const res = await predict({ sampleCount: 2, aspectRatio: '9:16', outputOptions: { mimeType: 'image/jpeg' } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.predictions.length, 2);
    for (const p of res.json.predictions) {
      assert.equal(p.mimeType, 'image/jpeg');
      assert.deepEqual(jpegSize(bytes(p.bytesBase64Encoded)), { width: 792, height: 1408 });
    }
    assert.equal(res.json.usageMetadata, undefined);
    const png = await predict({ sampleCount: 1 });
    assert.deepEqual(pngSize(bytes(png.json.predictions[0].bytesBase64Encoded)), { width: 1024, height: 1024 });
  });

  test('Imagen refuses what it does not make; Gemini models do not predict; the key is checked', async () => {
    for (const parameters of [{ aspectRatio: '3:2' }, { sampleCount: 5 }, { outputOptions: { mimeType: 'image/webp' } }, { size: '1024x1024' }]) {
      const res = await predict(parameters);
      assert.deepEqual([res.status, res.json.error.status], [400, 'INVALID_ARGUMENT'], JSON.stringify(parameters));
    }
    assert.equal((await predict({}, { prompt: '' })).status, 400);
    const gemini = await predict({}, { model: 'gemini-2.5-flash-image' });
    assert.deepEqual([gemini.status, gemini.json.error.status], [404, 'NOT_FOUND']);
    assert.equal((await predict({}, { headers: {} })).status, 403);
    const generate = await post('/google/v1beta/models/imagen-4.0-generate-001:generateContent', { contents: [{ role: 'user', parts: [{ text: 'x' }] }] }, GOOGLE);
    assert.equal(generate.status, 404, 'Imagen does not generateContent');
  });
});

test('every image request is recorded, its key redacted', async () => {
  provider.requests.length = 0;
  await post('/xai/v1/images/generations', { model: 'grok-imagine-image', prompt: 'x' }, bearer(KEYS.xai));
  await post('/google/v1beta/models/imagen-4.0-generate-001:predict', { instances: [{ prompt: 'x' }] }, { 'x-goog-api-key': KEYS.google });
  assert.deepEqual(provider.requests.map((r) => r.path), ['/xai/v1/images/generations', '/google/v1beta/models/imagen-4.0-generate-001:predict']);
  const recorded = JSON.stringify(provider.requests);
  for (const key of Object.values(KEYS)) assert.ok(!recorded.includes(key));
  assert.equal(provider.requests[0].body.model, 'grok-imagine-image');
});

describe('openai: GPT Image edits at POST /v1/images/edits (multipart/form-data)', () => {
  const KEY = 'sk-loopback-demo-key-0000000000';
  const form = (fields, files) => {
    const boundary = 'test-boundary-1';
    const parts = Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
    for (const [name, filename, type, bytes] of files) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`), bytes, Buffer.from('\r\n'));
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
  };
  const edit = async (fields, files, key = KEY) => {
    const { body, type } = form(fields, files);
    const res = await fetch(`${provider.url}/v1/images/edits`, { method: 'POST', headers: { 'content-type': type, authorization: `Bearer ${key}` }, body });
    const text = await res.text();
    return { status: res.status, json: JSON.parse(text), text };
  };
  const png1 = ['image[]', 'a.png', 'image/png', bytes(REFERENCE)];

  test('a GPT Image edit answers n images of the size and format asked, like a generation', async () => {
    const res = await edit({ model: 'gpt-image-1', prompt: 'Make it blue', n: '2', size: '1536x1024', output_format: 'png' }, [png1]);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.data.length, 2);
    assert.deepEqual(pngSize(bytes(res.json.data[0].b64_json)), { width: 1536, height: 1024 });
    const [recorded] = (await (await fetch(`${provider.url}/__loopback/requests`)).json()).filter((r) => r.path === '/v1/images/edits').slice(-1);
    assert.deepEqual(recorded.body.files, [{ name: 'image[]', filename: 'a.png', type: 'image/png', base64: REFERENCE }]);
  });

  test('no image, bytes that are no image, JSON, DALL·E 3 and bad options are refused', async () => {
    assert.equal((await edit({ model: 'gpt-image-1', prompt: 'x' }, [])).json.error.code, 'missing_required_parameter');
    const text = await edit({ model: 'gpt-image-1', prompt: 'x' }, [['image[]', 'a.png', 'image/png', Buffer.from('not an image')]]);
    assert.deepEqual([text.status, text.json.error.code], [400, 'unsupported_file_mimetype']);
    assert.equal((await edit({ model: 'dall-e-3', prompt: 'x' }, [png1])).status, 400);
    assert.equal((await edit({ model: 'gpt-image-1', prompt: 'x', size: '7x4' }, [png1])).status, 400);
    assert.equal((await edit({ model: 'gpt-image-1', prompt: '' }, [png1])).status, 400);
    const json = await post('/v1/images/edits', { model: 'gpt-image-1', prompt: 'x' }, bearer(KEY));
    assert.equal(json.status, 400);
    assert.equal((await edit({ model: 'gpt-image-1', prompt: 'x' }, [png1], 'sk-wrong')).status, 401);
  });

  test('an Azure GPT Image deployment edits at …/{deployment}/images/edits; DALL·E 3 deployments and old versions refuse', async () => {
    const azureEdit = async (deployment, version = '2025-04-01-preview') => {
      const { body, type } = form({ prompt: 'Make it blue', size: '1024x1536', output_format: 'jpeg' }, [png1]);
      const res = await fetch(`${provider.url}/azure/openai/deployments/${deployment}/images/edits?api-version=${version}`, { method: 'POST', headers: { 'content-type': type, 'api-key': KEYS.azure }, body });
      const text = await res.text();
      return { status: res.status, json: JSON.parse(text), text };
    };
    const res = await azureEdit('gpt-image-1');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(jpegSize(bytes(res.json.data[0].b64_json)), { width: 1024, height: 1536 });
    assert.deepEqual([(await azureEdit('dalle3')).status, (await azureEdit('dalle3')).json.error.code], [400, 'OperationNotSupported']);
    assert.equal((await azureEdit('gpt-image-1', '2025-01-01-preview')).status, 400);
    assert.equal((await azureEdit('no-such-deployment')).json.error.code, 'DeploymentNotFound');
  });
});

describe('the engine edits an image through the loopback, as a host sends it', () => {
  const engine = createRequire(import.meta.url)(fileURLToPath(new URL('../../pkg/node/aipuffer_js.js', import.meta.url)));
  const KEY = 'sk-loopback-demo-key-0000000000';

  test('a GPT Image prompt with a reference image: the host decodes the base64 body and sends the multipart bytes', async () => {
    const stored = {
      managed: true, credentials: ['OpenAI'], providers: { OpenAI: { base_url: provider.url } },
      catalogs: { aipkit_model_registry_openai: { catalogs: { OpenAI: ['gpt-4.1'], OpenAIImage: ['gpt-image-1'] } } },
    };
    const site = JSON.parse(engine.prepareJson(JSON.stringify(stored))).site;
    const context = { now: 1795500000, request_id: '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b', actor: { user_id: 0, session_id: 'wp-ai-client-system', roles: [] } };
    const parts = [{ type: 'text', text: 'Make the background light blue' }, { type: 'file', file: { fileType: 'inline', mimeType: 'image/png', base64Data: REFERENCE } }];
    let step = JSON.parse(engine.advanceJson(JSON.stringify({
      task: 'prompt', site, context,
      call: { capability: 'image_generation', provider: 'openai', model: 'gpt-image-1', messages: [{ role: 'user', parts }], config: { outputModalities: ['image'] } },
    })));
    await fetch(`${provider.url}/__loopback/requests`, { method: 'DELETE' });
    while (step.step === 'http') {
      const outcomes = await Promise.all(step.requests.map(async (r) => {
        const headers = { ...r.headers, [r.credential.name]: `${r.credential.prefix ?? ''}${KEY}` };
        // What every host does with a body of bytes: decode it, change nothing else.
        const body = r.body_base64 ? Buffer.from(r.body, 'base64') : r.body;
        const res = await fetch(r.url, { method: r.method, headers, body });
        return { id: r.id, status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
      }));
      step = JSON.parse(engine.advanceJson(JSON.stringify({ state: step.state, outcomes })));
    }
    assert.equal(step.step, 'record', JSON.stringify(step).slice(0, 2000));
    const file = step.result.candidates[0].message.parts[0].file;
    assert.deepEqual(pngSize(bytes(file.base64Data)), { width: 1024, height: 1024 });
    const [recorded] = await (await fetch(`${provider.url}/__loopback/requests`)).json();
    assert.equal(recorded.path, '/v1/images/edits');
    assert.deepEqual([recorded.body.model, recorded.body.prompt, recorded.body.files[0].base64], ['gpt-image-1', 'Make the background light blue', REFERENCE]);
  });
});

describe('the WebP writer', () => {
  test('writes a lossless WebP whose header names its size', () => {
    const file = webp(1024, 1536);
    assert.equal(file.toString('ascii', 0, 4), 'RIFF');
    assert.equal(file.readUInt32LE(4), file.length - 8, 'the RIFF size covers the rest of the file');
    assert.deepEqual(webpSize(file), { width: 1024, height: 1536 });
    assert.throws(() => webp(0, 10), RangeError);
  });
});
