// POST /v1/images/generations as OpenAI checks it: GPT Image (sizes 1024², 1536×1024,
// 1024×1536, `output_format`, base64 only, token usage) and DALL·E 3 (1024², 1792×1024,
// 1024×1792, one image a request, `response_format`). Images are real PNGs (or the JPEGs and
// lossless WebPs GPT Image is asked for) of the size asked for. Azure's deployments share these
// rules (formats/azure.mjs).

import { openaiError } from './errors.mjs';
import { findModel } from './models.mjs';
import { jpeg } from '../../lib/jpeg.mjs';
import { imageType } from '../../lib/image-input.mjs';
import { parseMultipart } from '../../lib/multipart.mjs';
import { png } from '../../lib/png.mjs';
import { webp } from '../../lib/webp.mjs';

const FAMILIES = {
  'gpt-image': { sizes: ['1024x1024', '1536x1024', '1024x1536', 'auto'], maxN: 10, formats: ['png', 'jpeg', 'webp'] },
  'dall-e-3': { sizes: ['1024x1024', '1792x1024', '1024x1792'], maxN: 1, formats: null },
};

const family = (model) => (String(model).startsWith('gpt-image') ? 'gpt-image' : String(model).startsWith('dall-e-3') ? 'dall-e-3' : null);

const invalid = (message, param, code = 'invalid_value') => openaiError(400, message, { param, code });

/**
 * What OpenAI refuses in an image request for `model` (also an Azure deployment's model): null
 * when it is fine. `invalid(message, param, code)` shapes the refusal as the caller's API does.
 */
export function checkImageRequest(body, model, invalidReply = invalid) {
  if (typeof body.prompt !== 'string' || body.prompt.trim() === '') return invalidReply("Missing required parameter: 'prompt'.", 'prompt', 'missing_required_parameter');
  const rules = FAMILIES[family(model)];
  const size = body.size ?? '1024x1024';
  if (!rules.sizes.includes(size)) return invalidReply(`Invalid value: '${size}'. Supported values are: ${rules.sizes.map((s) => `'${s}'`).join(', ')}.`, 'size');
  const n = body.n ?? 1;
  if (!Number.isInteger(n) || n < 1 || n > rules.maxN) return invalidReply(`Invalid 'n': must be between 1 and ${rules.maxN} for ${model}.`, 'n');
  if (rules.formats) {
    if (body.response_format !== undefined) return invalidReply("Unknown parameter: 'response_format'.", 'response_format', 'unknown_parameter');
    const format = body.output_format ?? 'png';
    if (!rules.formats.includes(format)) return invalidReply(`Invalid value: '${format}'. Supported values are: 'png', 'jpeg' and 'webp'.`, 'output_format');
  } else {
    if (body.output_format !== undefined) return invalidReply("Unknown parameter: 'output_format'.", 'output_format', 'unknown_parameter');
    if (!['url', 'b64_json', undefined].includes(body.response_format)) return invalidReply(`Invalid value: '${body.response_format}'.`, 'response_format');
  }
  return null;
}

/** `{created, data, …}` for an accepted request: real images of the size asked for. */
export function imageResponse(body, model, { urlBase = 'https://loopback.invalid/images' } = {}) {
  const [width, height] = (body.size && body.size !== 'auto' ? body.size : '1024x1024').split('x').map(Number);
  const gptImage = family(model) === 'gpt-image';
  const format = gptImage ? body.output_format ?? 'png' : 'png';
  const data = Array.from({ length: body.n ?? 1 }, (_, i) => {
    const bytes = { jpeg: () => jpeg(width, height, 60 + 60 * i), webp: () => webp(width, height, [40 + 60 * i, 120, 200]) }[format]?.() ?? png(width, height, [40 + 60 * i, 120, 200]);
    const b64 = bytes.toString('base64');
    if (!gptImage && body.response_format !== 'b64_json') return { url: `${urlBase}/${i}.png`, revised_prompt: body.prompt };
    return gptImage ? { b64_json: b64 } : { b64_json: b64, revised_prompt: body.prompt };
  });
  const json = { created: 1795500000, data };
  if (gptImage) {
    Object.assign(json, { background: 'opaque', output_format: format, quality: 'medium', size: `${width}x${height}` });
    json.usage = { input_tokens: 20, output_tokens: 1056 * data.length, total_tokens: 20 + 1056 * data.length, input_tokens_details: { text_tokens: 20, image_tokens: 0 } };
  }
  return json;
}

/** The image family of a model id (`gpt-image`, `dall-e-3`), or null. */
export const imageFamily = family;

export const imagesEndpoint = {
  method: 'POST',
  path: '/v1/images/generations',
  json: true,
  lastUserText: (body) => (typeof body?.prompt === 'string' ? body.prompt : ''),
  validate(body) {
    const model = body.model ?? 'dall-e-2';
    if (!FAMILIES[family(model)] || findModel(model)?.kind !== 'image') {
      if (typeof body.prompt !== 'string' || body.prompt.trim() === '') return invalid("Missing required parameter: 'prompt'.", 'prompt', 'missing_required_parameter');
      return invalid(`Invalid value for 'model': '${model}' is not an image model this loopback serves.`, 'model');
    }
    return checkImageRequest(body, model);
  },
  respond({ body }) {
    return { status: 200, json: imageResponse(body, body.model) };
  },
};

/** What `/v1/images/edits` reads: PNG, JPEG or WebP files under 50 MB each, at most 16. */
const EDIT_TYPES = ['image/png', 'image/jpeg', 'image/webp'];

/**
 * POST /v1/images/edits: GPT Image editing (multipart/form-data): `image[]` files (or one
 * `image`), the prompt and the generation's options as text fields. Refuses a JSON body, a
 * missing image, a file whose bytes are no PNG, JPEG or WebP, and DALL·E 3 (edits are DALL·E 2's
 * and GPT Image's); answers as a generation does.
 */
export const imageEditsEndpoint = {
  method: 'POST',
  path: '/v1/images/edits',
  lastUserText: (body) => (typeof body?.prompt === 'string' ? body.prompt : ''),
  validate(_body, { req, raw }) {
    const form = parseMultipart(req.headers['content-type'], raw);
    if (!form) return invalid("Invalid Content-Type header (application/json), expected multipart/form-data.", null, 'invalid_request_error');
    const model = typeof form.fields.model === 'string' ? form.fields.model : 'dall-e-2';
    if (family(model) !== 'gpt-image' || findModel(model)?.kind !== 'image') {
      return invalid(`Invalid value: '${model}'. Value must be 'dall-e-2' or a GPT Image model.`, 'model');
    }
    return checkEditForm(form, model);
  },
  respond({ req, raw }) {
    const body = editBody(parseMultipart(req.headers['content-type'], raw));
    return { status: 200, json: imageResponse(body, body.model) };
  },
};

/**
 * An edit's files and options, once the model is known to edit (OpenAI's endpoint and Azure
 * deployments' share these rules): at least one PNG, JPEG or WebP file, at most 16, and the
 * generation's option rules.
 */
export function checkEditForm(form, model, invalidReply = invalid) {
  const images = form.files.filter((f) => f.name === 'image[]' || f.name === 'image');
  if (images.length === 0) return invalidReply("Missing required parameter: 'image'.", 'image', 'missing_required_parameter');
  if (images.length > 16) return invalidReply(`Invalid 'image': too many images (${images.length}); at most 16.`, 'image');
  for (const file of images) {
    if (!EDIT_TYPES.includes(imageType(file.bytes))) {
      return invalidReply(`Invalid file '${file.filename}': unsupported mimetype ('${file.type}'). Supported file formats are 'image/jpeg', 'image/png', and 'image/webp'.`, 'image', 'unsupported_file_mimetype');
    }
  }
  const body = editBody(form);
  if (Number.isNaN(body.n)) return invalidReply("Invalid type for 'n': expected an integer.", 'n', 'invalid_type');
  return checkImageRequest(body, model, invalidReply);
}

/** The form's text fields as a generation's JSON body (numbers where the API reads numbers). */
export function editBody(form) {
  const { n, ...rest } = form.fields;
  return { ...rest, ...(n === undefined ? {} : { n: /^\d+$/.test(n) ? Number(n) : NaN }) };
}
