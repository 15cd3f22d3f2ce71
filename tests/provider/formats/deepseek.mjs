// DeepSeek's wire format: OpenAI's Chat Completions under /deepseek (the demo
// points the connector's base URL at <loopback>/deepseek), served at both
// /chat/completions and /v1/chat/completions as the real API does, with
// DeepSeek's rules: no n, no images, JSON mode without schemas, up to 16 stop
// sequences, thinking models that show `reasoning_content` and want it back on
// tool-calling turns, usage with prompt cache hits and misses, and errors
// whose only code is their wording (402 Insufficient Balance).

import { jsonReply } from '../lib/http.mjs';
import { bearerAuth, maskKey } from '../lib/keys.mjs';
import { sliceChars } from '../lib/text.mjs';
import { chatCompletions } from './openai/chat.mjs';

const MODELS = new Map([
  ['deepseek-chat', { maxTokens: 8192 }],
  ['deepseek-reasoner', { maxTokens: 65536, thinking: true }],
]);
const CONTEXT = 131072;

/** DeepSeek's error body: OpenAI's shape, with a type and the code invalid_request_error. */
export function deepseekError(status, message, type = 'invalid_request_error') {
  return jsonReply(status, { error: { message, type, param: null, code: 'invalid_request_error' } });
}

export const errors = {
  missingKey: () => deepseekError(401, 'Authentication Fails (no such user)', 'authentication_error'),
  invalidKey: (key) => deepseekError(401, `Authentication Fails, Your api key: ${maskKey(key)} is invalid`, 'authentication_error'),
  rateLimit: () => ({ ...deepseekError(429, 'Rate Limit Reached', 'rate_limit_reached_error'), headers: { 'retry-after': '2' } }),
  quota: () => deepseekError(402, 'Insufficient Balance', 'unknown_error'),
  server: () => deepseekError(500, 'Server Error', 'server_error'),
  tooLong: () =>
    deepseekError(
      400,
      `This model's maximum context length is ${CONTEXT} tokens. However, you requested ${CONTEXT + 1000} tokens ` +
        `(${CONTEXT + 1000} in the messages, 0 in the completion). Please reduce the length of the messages or completion.`,
    ),
  badJson: () => deepseekError(400, 'Failed to parse the request body as JSON'),
  contentType: (type) => deepseekError(400, `Expected request with \`Content-Type: application/json\`, got ${type ?? 'none'}`),
  badUrl: (method, path) => deepseekError(404, `Not Found: ${method} ${path}`),
  badMethod: (method, path) => deepseekError(405, `Method Not Allowed: ${method} ${path}`),
};

const chat = chatCompletions({
  path: /^\/deepseek(?:\/v1)?\/chat\/completions$/,
  allowed: null, // unknown arguments are ignored
  n: false,
  maxStop: 16,
  partTypes: ['text'],
  formatTypes: ['text', 'json_object'],
  jsonWord: false,
  toolCalls: true,
  check: checkModel,
  // Body shapes DeepSeek cannot read are 422 deserialisation errors; the rest keep their status.
  reshape: ({ status, json }) => {
    const message = json.error.message;
    return /Invalid value|Invalid type/.test(message)
      ? deepseekError(422, `Failed to deserialize the JSON body into the target type: ${message}`)
      : deepseekError(status, message);
  },
  idPrefix: 'loopback-deepseek',
  reasoning: (model, text) => (MODELS.get(model)?.thinking ? sliceChars(`Loopback reasoning about: ${text}`, 200) : null),
  reasoningField: 'reasoning_content',
  messageExtra: () => ({}),
  choiceExtra: () => ({ logprobs: null }),
  usage: ({ prompt, completion, reasoning, body }) => ({
    prompt_tokens: prompt,
    completion_tokens: completion + reasoning,
    total_tokens: prompt + completion + reasoning,
    prompt_tokens_details: { cached_tokens: 0 },
    ...(MODELS.get(body.model)?.thinking ? { completion_tokens_details: { reasoning_tokens: reasoning } } : {}),
    prompt_cache_hit_tokens: 0,
    prompt_cache_miss_tokens: prompt,
  }),
  bodyExtra: () => ({ system_fingerprint: 'fp_loopback_deepseek' }),
});

function checkModel(body) {
  const model = MODELS.get(body.model);
  if (!model) return deepseekError(400, 'Model Not Exist');
  const max = body.max_tokens;
  if (max != null && max > model.maxTokens) {
    return deepseekError(400, `Invalid max_tokens value, the valid range of max_tokens is [1, ${model.maxTokens}]`);
  }
  if (model.thinking) {
    // Thinking mode: a tool-calling assistant turn must carry its reasoning back.
    const bare = body.messages.findIndex((m) => m.role === 'assistant' && m.tool_calls?.length && typeof m.reasoning_content !== 'string');
    if (bare >= 0) {
      return deepseekError(400, `The reasoning_content in the thinking mode must be passed back to the API. (assistant message at index ${bare})`);
    }
  }
  return null;
}

const listModels = () =>
  jsonReply(200, { object: 'list', data: [...MODELS.keys()].map((id) => ({ id, object: 'model', owned_by: 'deepseek' })) });

export default {
  name: 'deepseek',
  defaultKeys: ['sk-loopback-deepseek-00000000000000'],
  errors,
  owns: (path) => path.startsWith('/deepseek/'),
  authenticate: bearerAuth(errors),
  routes: [chat, { method: 'GET', path: /^\/deepseek(?:\/v1)?\/models$/, respond: listModels }],
};
