// POST /google/{version}/models/{model}:predict: Imagen. The prompt is the one instance;
// `parameters` take sampleCount (1–4), aspectRatio (Imagen's five) and outputOptions.mimeType
// (PNG or JPEG). The answer is `predictions[]` of {bytesBase64Encoded, mimeType}: real images of
// the ratio asked for. Imagen reports no usage. Only `predict` models (Imagen) serve it.

import { isPlainObject } from '../../lib/http.mjs';
import { jpeg } from '../../lib/jpeg.mjs';
import { png } from '../../lib/png.mjs';
import { googleError, invalidArgument, invalidValue } from './errors.mjs';
import { findModel, supports } from './models.mjs';

/** Imagen's ratios and the pixels the loopback makes for each (exactly the ratio, near Imagen's 1K sizes). */
export const IMAGEN_SIZES = { '1:1': [1024, 1024], '16:9': [1408, 792], '9:16': [792, 1408], '4:3': [1280, 960], '3:4': [960, 1280] };
const MIME_TYPES = ['image/png', 'image/jpeg'];
const PARAMETERS = ['sampleCount', 'aspectRatio', 'outputOptions', 'personGeneration', 'negativePrompt', 'seed', 'addWatermark', 'enhancePrompt', 'imageSize', 'includeRaiReason', 'safetySetting', 'language'];

const instancesOf = (body) => (Array.isArray(body?.instances) ? body.instances : []);

export const predictEndpoint = {
  method: 'POST',
  path: /^\/google\/(?<version>v1|v1beta|v1alpha)\/(?<resource>models\/[^/:]+):predict$/,
  json: true,
  lastUserText: (body) => String(instancesOf(body)[0]?.prompt ?? ''),
  validate(body, { params }) {
    const model = findModel(params.resource);
    if (!model || !supports(model, 'predict')) {
      return googleError('NOT_FOUND', `${params.resource} is not found for API version ${params.version}, or is not supported for predict. Call ListModels to see the list of available models and their supported methods.`);
    }
    const instances = body.instances;
    if (!Array.isArray(instances) || instances.length === 0) return invalidArgument('instances must not be empty.', 'instances');
    if (instances.length > 1) return invalidArgument('Only one instance is supported.', 'instances');
    if (!isPlainObject(instances[0]) || typeof instances[0].prompt !== 'string' || instances[0].prompt.trim() === '') {
      return invalidArgument('The prompt is required.', 'instances[0].prompt');
    }
    const parameters = body.parameters ?? {};
    if (!isPlainObject(parameters)) return invalidValue('parameters', 'TYPE_MESSAGE', parameters);
    const unknown = Object.keys(parameters).find((name) => !PARAMETERS.includes(name));
    if (unknown) return invalidArgument(`Unknown parameter: ${unknown}.`, `parameters.${unknown}`);
    const count = parameters.sampleCount ?? 4;
    if (!Number.isInteger(count) || count < 1 || count > 4) return invalidArgument('sampleCount must be between 1 and 4.', 'parameters.sampleCount');
    if (parameters.aspectRatio != null && !(parameters.aspectRatio in IMAGEN_SIZES)) {
      return invalidArgument(`Unsupported aspect ratio: ${parameters.aspectRatio}. Supported: ${Object.keys(IMAGEN_SIZES).join(', ')}.`, 'parameters.aspectRatio');
    }
    const mime = parameters.outputOptions?.mimeType;
    if (mime != null && !MIME_TYPES.includes(mime)) return invalidArgument(`Unsupported output mime type: ${mime}.`, 'parameters.outputOptions.mimeType');
    return null;
  },
  respond({ body, scenario }) {
    // Imagen answers nothing at all when its filters stopped every image.
    if (scenario.kind === 'empty') return { status: 200, json: {} };
    const parameters = body.parameters ?? {};
    const [width, height] = IMAGEN_SIZES[parameters.aspectRatio ?? '1:1'];
    const mimeType = parameters.outputOptions?.mimeType ?? 'image/png';
    const predictions = Array.from({ length: parameters.sampleCount ?? 4 }, (_, i) => {
      const bytes = mimeType === 'image/jpeg' ? jpeg(width, height, 80 + 50 * i) : png(width, height, [80 + 50 * i, 160, 90]);
      return { bytesBase64Encoded: bytes.toString('base64'), mimeType };
    });
    return { status: 200, json: { predictions } };
  },
};
