// OpenRouter's wire format: OpenAI's Chat Completions under /openrouter/v1
// (the real base URL is https://openrouter.ai/api), with OpenRouter's rules
// and shapes: errors are {error: {code: <status>, message, metadata?}}; no n
// (one choice); top_k; the `web` plugin (url_citation annotations, Exa when
// asked for, domain filters); models that cannot take tools or images have "no
// endpoints"; reasoning models show `reasoning`; usage carries a cost. A model
// that outputs images, asked with `modalities: ["image", …]`, answers a PNG data
// URL in `message.images` sized by `image_config.aspect_ratio` (Gemini's ratios);
// a model that cannot has "no endpoints". The model list (GET /v1/models) is
// public: OpenRouter answers it whatever the key.

import { isPlainObject, jsonReply } from '../lib/http.mjs';
import { sliceChars } from '../lib/text.mjs';
import { chatCompletions } from './openai/chat.mjs';
import { bearerAuth } from '../lib/keys.mjs';
import { dataUrl, imageType } from '../lib/image-input.mjs';
import { png } from '../lib/png.mjs';
import { IMAGE_SIZES } from './google/generate.mjs';

// `price` is USD per prompt and completion token; `output` the modalities a model makes.
const MODELS = new Map([
  ['openai/gpt-4o-mini', { name: 'OpenAI: GPT-4o-mini', created: 1721260800, tools: true, vision: true, context: 128000, price: ['0.00000015', '0.0000006'] }],
  ['deepseek/deepseek-r1', { name: 'DeepSeek: R1', created: 1737381095, tools: true, reasoning: true, context: 163840, price: ['0.0000004', '0.000002'] }],
  ['mistralai/mistral-7b-instruct', { name: 'Mistral: Mistral 7B Instruct', created: 1716768000, context: 32768, price: ['0.000000028', '0.000000054'] }],
  ['google/gemini-2.5-flash-image', {
    name: 'Google: Gemini 2.5 Flash Image (Nano Banana)', created: 1759870431, vision: true, context: 32768,
    price: ['0.0000003', '0.0000025'], output: ['image', 'text'],
  }],
]);
const ENGINES = ['native', 'exa', 'firecrawl', 'parallel'];
// What one generated image bills as output (Gemini 2.5 Flash Image's 1,290 tokens).
const IMAGE_TOKENS = 1290;

export function openrouterError(status, message, metadata, headers = {}) {
  return jsonReply(status, { error: { code: status, message, ...(metadata ? { metadata } : {}) } }, headers);
}

export const errors = {
  missingKey: () => openrouterError(401, 'No auth credentials found'),
  invalidKey: () => openrouterError(401, 'User not found.'),
  rateLimit: (model) =>
    openrouterError(429, `Rate limit exceeded: limit_rpm/${model ?? 'default'}. High demand on OpenRouter - limited to 20 requests per minute.`, undefined, {
      'retry-after': '3',
    }),
  quota: () => openrouterError(402, 'Insufficient credits. Add more using https://openrouter.ai/settings/credits'),
  server: () => openrouterError(500, 'Internal Server Error'),
  tooLong: (body) => {
    const context = MODELS.get(body?.model)?.context ?? 128000;
    return openrouterError(
      400,
      `This endpoint's maximum context length is ${context} tokens. However, you requested about ${context + 1000} tokens ` +
        `(${context + 1000} of text input). Please reduce the length of either one, or use the "middle-out" transform to compress your prompt automatically.`,
    );
  },
  badJson: () => openrouterError(400, 'Invalid JSON body'),
  contentType: () => openrouterError(400, 'Content-Type must be application/json'),
  badUrl: (method, path) => openrouterError(404, `Not Found: ${method} ${path}`),
  badMethod: (method, path) => openrouterError(405, `Method Not Allowed: ${method} ${path}`),
};

const chat = chatCompletions({
  path: '/openrouter/v1/chat/completions',
  allowed: null, // unknown arguments are ignored
  n: false,
  jsonWord: false,
  toolCalls: true,
  check: checkRequest,
  reshape: ({ status, json }) => openrouterError(status, json.error.message),
  idPrefix: 'gen-loopback',
  reasoning: (model, text) => (MODELS.get(model)?.reasoning ? sliceChars(`Loopback reasoning about: ${text}`, 200) : null),
  reasoningField: 'reasoning',
  messageExtra: (body) => {
    if (wantsImage(body)) return { refusal: null, images: [generatedImage(body)] };
    const web = webPlugin(body);
    if (!web) return { refusal: null };
    const domain = web.include_domains?.[0] ?? 'example.org';
    const url = `https://${domain.replace(/^\*\./, '')}/loopback-result`;
    return { refusal: null, annotations: [{ type: 'url_citation', url_citation: { url, title: 'Loopback search result', content: 'Loopback', start_index: 0, end_index: 0 } }] };
  },
  choiceExtra: () => ({ logprobs: null, native_finish_reason: 'stop' }),
  usage: ({ prompt, completion, reasoning, body }) => {
    const image = wantsImage(body) ? IMAGE_TOKENS : 0;
    return {
      prompt_tokens: prompt,
      completion_tokens: completion + reasoning + image,
      total_tokens: prompt + completion + reasoning + image,
      // $0.15/M input, $0.60/M output, $30/M image output; the web plugin costs $0.02 for five results.
      cost: (prompt * 0.15 + (completion + reasoning) * 0.6 + image * 30) / 1e6 + (webPlugin(body) ? 0.02 : 0),
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: reasoning, ...(image ? { image_tokens: image } : {}) },
    };
  },
  bodyExtra: () => ({ provider: 'Loopback', system_fingerprint: null }),
});

const wantsImage = (body) => Array.isArray(body.modalities) && body.modalities.includes('image');

/** `{type, image_url: {url}}`: a PNG data URL in the ratio asked for (square by default). */
function generatedImage(body) {
  const [width, height] = IMAGE_SIZES[body.image_config?.aspect_ratio ?? '1:1'];
  return { type: 'image_url', image_url: { url: `data:image/png;base64,${png(width, height, [220, 180, 60]).toString('base64')}` } };
}

/** `modalities` and `image_config` as OpenRouter checks them: what the model can output, Gemini's ratios. */
function checkImageOutput(body, model) {
  const { modalities, image_config: config } = body;
  if (modalities != null && !(Array.isArray(modalities) && modalities.every((m) => m === 'text' || m === 'image'))) {
    return openrouterError(400, 'modalities must be an array of "text" and "image"');
  }
  if (wantsImage(body) && !(model.output ?? ['text']).includes('image')) {
    return openrouterError(404, 'No endpoints found that support the requested output modalities: image');
  }
  if (config != null) {
    if (!isPlainObject(config)) return openrouterError(400, 'image_config must be an object');
    if (config.aspect_ratio != null && !(config.aspect_ratio in IMAGE_SIZES)) {
      return openrouterError(400, `Invalid aspect_ratio: ${config.aspect_ratio}. Expected one of ${Object.keys(IMAGE_SIZES).join(', ')}`);
    }
  }
  return null;
}

const webPlugin = (body) => (Array.isArray(body.plugins) ? body.plugins.find((p) => p?.id === 'web') : undefined);

function checkRequest(body) {
  const model = MODELS.get(body.model);
  if (!model) return openrouterError(400, `${body.model} is not a valid model ID`);
  if (body.top_k != null && !(Number.isInteger(body.top_k) && body.top_k >= 1)) return openrouterError(400, 'top_k must be an integer >= 1');
  if (body.tools?.length && !model.tools) {
    return openrouterError(404, 'No endpoints found that support tool use. To learn more about provider routing, visit: https://openrouter.ai/docs/provider-routing');
  }
  const image = body.messages.some((m) => Array.isArray(m.content) && m.content.some((p) => p.type === 'image_url'));
  if (image && !model.vision) return openrouterError(404, 'No endpoints found that support image input');
  return checkImageOutput(body, model) ?? checkImageInput(body, model) ?? checkPlugins(body.plugins);
}

/**
 * An image model given an image (a reference to refine) passes it to Google, which reads it: a
 * data URL that is no image of the type it names comes back as Google's 400, relayed by
 * OpenRouter with the provider named.
 */
function checkImageInput(body, model) {
  if (!(model.output ?? []).includes('image')) return null;
  const urls = body.messages.flatMap((m) => (Array.isArray(m.content) ? m.content : [])).filter((p) => p?.type === 'image_url').map((p) => p.image_url.url);
  for (const url of urls) {
    if (!url.startsWith('data:')) continue;
    const image = dataUrl(url);
    if (!image || imageType(image.bytes) !== image.mime) {
      return openrouterError(400, 'Provider returned error', {
        raw: JSON.stringify({ error: { code: 400, message: 'Unable to process input image.', status: 'INVALID_ARGUMENT' } }),
        provider_name: 'Google',
      });
    }
  }
  return null;
}

function checkPlugins(plugins) {
  if (plugins == null) return null;
  if (!Array.isArray(plugins)) return openrouterError(400, 'plugins must be an array');
  for (const plugin of plugins) {
    if (!isPlainObject(plugin) || typeof plugin.id !== 'string') return openrouterError(400, 'Each plugin needs an id');
    if (plugin.id !== 'web') continue;
    if (plugin.engine != null && !ENGINES.includes(plugin.engine)) return openrouterError(400, `Invalid web search engine: ${plugin.engine}`);
    for (const key of ['include_domains', 'exclude_domains']) {
      const list = plugin[key];
      if (list != null && !(Array.isArray(list) && list.every((d) => typeof d === 'string'))) {
        return openrouterError(400, `${key} must be an array of strings`);
      }
    }
  }
  return null;
}

function modelEntry([id, m]) {
  const input = m.vision ? ['text', 'image'] : ['text'];
  const output = m.output ?? ['text'];
  return {
    id,
    name: m.name,
    created: m.created,
    context_length: m.context,
    architecture: { modality: `${input.join('+')}->${output.join('+')}`, input_modalities: input, output_modalities: output },
    pricing: { prompt: m.price[0], completion: m.price[1] },
    supported_parameters: [
      'max_tokens', 'temperature', 'top_p', 'stop', 'seed',
      ...(m.tools ? ['tools', 'tool_choice'] : []),
      ...(m.reasoning ? ['reasoning', 'include_reasoning'] : []),
    ],
  };
}

/**
 * GET /v1/models. Like the real API, only models that output text unless `output_modalities`
 * (a comma list, or `all`) asks for others; a model matches when it outputs any listed modality.
 */
function listModels({ query }) {
  const wanted = (query.get('output_modalities') || 'text').split(',').map((m) => m.trim());
  const data = [...MODELS].map(modelEntry).filter((m) => wanted.includes('all') || m.architecture.output_modalities.some((o) => wanted.includes(o)));
  return jsonReply(200, { data });
}

export default {
  name: 'openrouter',
  defaultKeys: ['sk-or-v1-loopback-0000000000000000000000'],
  errors,
  owns: (path) => path.startsWith('/openrouter/'),
  authenticate: bearerAuth(errors),
  routes: [
    chat,
    // Public: no key needed, and a wrong one is not refused (the real list ignores it).
    { method: 'GET', path: '/openrouter/v1/models', authenticate: () => ({ key: null }), respond: listModels },
  ],
};
