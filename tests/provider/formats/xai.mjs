// xAI's wire format: OpenAI's Chat Completions under /xai/v1, with xAI's
// rules and shapes: errors are {code: <gRPC status text>, error: <message>}
// (a wrong key is a 400); reasoning models refuse presence_penalty,
// frequency_penalty and stop; only grok-3-mini shows `reasoning_content`;
// reasoning tokens are reported beside completion_tokens (total = prompt +
// completion + reasoning); images only for vision models. GET /v1/models lists
// the chat models and the image models, which chat refuses. POST
// /v1/images/generations makes JPEGs (xAI chooses the format): Grok Imagine in
// the aspect ratio asked, grok-2-image in its one shape; `size`, `quality` and
// `style` are refused, as xAI refuses them.

import { jsonReply } from '../lib/http.mjs';
import { bearerAuth, maskKey } from '../lib/keys.mjs';
import { sliceChars } from '../lib/text.mjs';
import { chatCompletions } from './openai/chat.mjs';
import { jpeg } from '../lib/jpeg.mjs';

const MODELS = new Map([
  ['grok-4', { reasoning: true, vision: true, created: 1752019200 }],
  ['grok-3-mini', { reasoning: true, shows: true, created: 1743724800 }],
  ['grok-3', { created: 1743724800 }],
  ['grok-2-vision-1212', { vision: true, created: 1733961600 }],
  ['grok-2-image-1212', { image: true, created: 1736726400 }],
  ['grok-imagine-image', { image: true, ratios: true, created: 1769644800 }],
]);

// Grok Imagine's ratios and the pixels the loopback makes for each (exactly the ratio, near what
// xAI makes at its default 1k resolution); `auto` lets the model choose (square here).
const IMAGINE_SIZES = {
  '1:1': [1024, 1024], '16:9': [1408, 792], '9:16': [792, 1408], '4:3': [1280, 960], '3:4': [960, 1280], '3:2': [1296, 864],
  '2:3': [864, 1296], '2:1': [1408, 704], '1:2': [704, 1408], '20:9': [1280, 576], '9:20': [576, 1280], '19.5:9': [1248, 576],
  '9:19.5': [576, 1248], auto: [1024, 1024],
};
const GROK_2_IMAGE_SIZE = [1024, 768];
const CONTEXT = 256000;

const GRPC = {
  400: 'Client specified an invalid argument',
  401: 'The request does not have valid authentication credentials for the operation.',
  403: 'The caller does not have permission to execute the specified operation',
  404: 'Some requested entity was not found',
  405: 'Method not allowed',
  415: 'Unsupported media type',
  422: 'Client specified an invalid argument',
  429: 'Some resource has been exhausted',
  500: 'Internal error',
};

export function xaiError(status, error, headers = {}) {
  return jsonReply(status, { code: GRPC[status] ?? 'Unknown error', error }, headers);
}

export const errors = {
  missingKey: () =>
    xaiError(401, 'No API key provided. Please provide your API key in the Authorization header as a Bearer token. You can obtain an API key from https://console.x.ai.'),
  // A wrong key is a 400 at xAI ("An incorrect API key is supplied").
  invalidKey: (key) => xaiError(400, `Incorrect API key provided: ${maskKey(key)}. You can obtain an API key from https://console.x.ai.`),
  rateLimit: () => xaiError(429, 'Too many requests: your team has exceeded its requests per second rate limit.', { 'retry-after': '1' }),
  quota: () =>
    xaiError(
      429,
      'Your team 00000000-loopback has either used all available credits or reached its monthly spending limit. ' +
        'To continue making API requests, please purchase more credits or raise your spending limit.',
    ),
  server: () => xaiError(500, 'The service encountered an internal error.'),
  tooLong: () => xaiError(400, `This model's maximum prompt length is ${CONTEXT} but the request contains ${CONTEXT + 1234} tokens.`),
  badJson: () => xaiError(400, 'Failed to parse the request body as JSON.'),
  contentType: () => xaiError(415, 'Expected a request with Content-Type: application/json.'),
  badUrl: (method, path) => xaiError(404, `No route for ${method} ${path}.`),
  badMethod: (method, path) => xaiError(405, `Method ${method} is not allowed for ${path}.`),
};

const chat = chatCompletions({
  path: '/xai/v1/chat/completions',
  allowed: null, // unknown arguments are ignored
  jsonWord: false,
  toolCalls: true,
  check: checkModel,
  reshape: ({ status, json }) => xaiError(status, json.error.message),
  idPrefix: 'loopback-xai',
  reasoning: (model, text) => (MODELS.get(model)?.reasoning ? sliceChars(`Loopback reasoning about: ${text}`, 200) : null),
  reasoningField: 'reasoning_content',
  // Only grok-3-mini returns its reasoning; the others keep it hidden.
  showsReasoning: (model) => Boolean(MODELS.get(model)?.shows),
  messageExtra: () => ({ refusal: null }),
  choiceExtra: () => ({}),
  usage: ({ prompt, completion, reasoning }) => ({
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion + reasoning,
    prompt_tokens_details: { text_tokens: prompt, audio_tokens: 0, image_tokens: 0, cached_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: reasoning, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    num_sources_used: 0,
  }),
  bodyExtra: () => ({ system_fingerprint: 'fp_loopback_xai' }),
});

const PARAM_NAMES = { presence_penalty: 'presencePenalty', frequency_penalty: 'frequencyPenalty', stop: 'stop' };

function checkModel(body) {
  const model = MODELS.get(body.model);
  if (!model) {
    return xaiError(404, `The model ${body.model} does not exist or your team 00000000-loopback does not have access to it.`);
  }
  if (model.image) return xaiError(400, `The model ${body.model} is an image generation model and does not support chat completions.`);
  if (model.reasoning) {
    const refused = Object.keys(PARAM_NAMES).find((name) => body[name] != null);
    if (refused) return xaiError(400, `Model ${body.model} does not support parameter ${PARAM_NAMES[refused]}.`);
  }
  const image = body.messages.some((m) => Array.isArray(m.content) && m.content.some((p) => p.type === 'image_url'));
  if (image && !model.vision) return xaiError(400, `Image inputs are not supported by model ${body.model}.`);
  return null;
}

const images = {
  method: 'POST',
  path: '/xai/v1/images/generations',
  json: true,
  lastUserText: (body) => (typeof body?.prompt === 'string' ? body.prompt : ''),
  validate(body) {
    if (typeof body.prompt !== 'string' || body.prompt.trim() === '') return xaiError(400, 'The prompt must not be empty.');
    const refused = ['size', 'quality', 'style'].find((name) => body[name] != null);
    if (refused) return xaiError(400, `Argument not supported: ${refused}.`);
    const model = MODELS.get(body.model);
    if (!model) return xaiError(404, `The model ${body.model} does not exist or your team 00000000-loopback does not have access to it.`);
    if (!model.image) return xaiError(400, `The model ${body.model} does not support image generation.`);
    const n = body.n ?? 1;
    if (!Number.isInteger(n) || n < 1 || n > 10) return xaiError(400, 'n must be between 1 and 10.');
    if (!['url', 'b64_json', undefined].includes(body.response_format)) return xaiError(400, `Invalid response_format: ${body.response_format}.`);
    if (body.aspect_ratio != null) {
      if (!model.ratios) return xaiError(400, `Argument not supported by model ${body.model}: aspect_ratio.`);
      if (!(body.aspect_ratio in IMAGINE_SIZES)) {
        return xaiError(400, `Invalid aspect_ratio: ${body.aspect_ratio}. Supported: ${Object.keys(IMAGINE_SIZES).join(', ')}.`);
      }
    }
    return null;
  },
  respond({ body, scenario, ids }) {
    const [width, height] = MODELS.get(body.model).ratios ? IMAGINE_SIZES[body.aspect_ratio ?? '1:1'] : GROK_2_IMAGE_SIZE;
    const count = scenario.kind === 'empty' ? 0 : body.n ?? 1;
    const data = Array.from({ length: count }, (_, i) => {
      const item = { mime_type: 'image/jpeg', revised_prompt: `A picture of ${sliceChars(body.prompt, 200)}` };
      if (body.response_format === 'b64_json') return { b64_json: jpeg(width, height, 60 + 40 * i).toString('base64'), ...item };
      return { url: `https://imgen.x.ai/xai-imgen/xai-tmp-imgen-${ids.next('img')}.jpeg`, ...item };
    });
    return { status: 200, json: { data } };
  },
};

const listModels = () =>
  jsonReply(200, { data: [...MODELS].map(([id, m]) => ({ id, created: m.created, object: 'model', owned_by: 'xai' })), object: 'list' });

export default {
  name: 'xai',
  defaultKeys: ['xai-loopback-demo-key-00000000000000'],
  errors,
  owns: (path) => path.startsWith('/xai/'),
  authenticate: bearerAuth(errors),
  routes: [chat, images, { method: 'GET', path: '/xai/v1/models', respond: listModels }],
};
