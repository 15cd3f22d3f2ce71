// xAI's wire format: OpenAI's Chat Completions under /xai/v1, with xAI's
// rules and shapes: errors are {code: <gRPC status text>, error: <message>}
// (a wrong key is a 400); reasoning models refuse presence_penalty,
// frequency_penalty and stop; only grok-3-mini shows `reasoning_content`;
// reasoning tokens are reported beside completion_tokens (total = prompt +
// completion + reasoning); images only for vision models. GET /v1/models lists
// the chat models and the image model, which chat refuses.

import { jsonReply } from '../lib/http.mjs';
import { bearerAuth, maskKey } from '../lib/keys.mjs';
import { sliceChars } from '../lib/text.mjs';
import { chatCompletions } from './openai/chat.mjs';

const MODELS = new Map([
  ['grok-4', { reasoning: true, vision: true, created: 1752019200 }],
  ['grok-3-mini', { reasoning: true, shows: true, created: 1743724800 }],
  ['grok-3', { created: 1743724800 }],
  ['grok-2-vision-1212', { vision: true, created: 1733961600 }],
  ['grok-2-image-1212', { image: true, created: 1736726400 }],
]);
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

const listModels = () =>
  jsonReply(200, { data: [...MODELS].map(([id, m]) => ({ id, created: m.created, object: 'model', owned_by: 'xai' })), object: 'list' });

export default {
  name: 'xai',
  defaultKeys: ['xai-loopback-demo-key-00000000000000'],
  errors,
  owns: (path) => path.startsWith('/xai/'),
  authenticate: bearerAuth(errors),
  routes: [chat, { method: 'GET', path: '/xai/v1/models', respond: listModels }],
};
