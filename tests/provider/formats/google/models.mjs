// The models the loopback Gemini knows. `thinking` models report thoughtsTokenCount
// and sign their function calls; `signatures: 'required'` models (Gemini 3) refuse
// a function-calling turn whose signatures did not come back. `methods` are the
// supportedGenerationMethods: an embedding or Imagen model is not a generateContent
// model. The image model takes generateContent (it answers text too) but no tools.

import { googleError, invalidArgument, invalidValue } from './errors.mjs';

const TEXT_METHODS = ['generateContent', 'countTokens'];

export const MODELS = [
  { id: 'gemini-2.0-flash', displayName: 'Gemini 2.0 Flash', inputTokenLimit: 1048576, outputTokenLimit: 8192, thinking: false },
  { id: 'gemini-2.5-flash', displayName: 'Gemini 2.5 Flash', inputTokenLimit: 1048576, outputTokenLimit: 65536, thinking: true },
  { id: 'gemini-2.5-pro', displayName: 'Gemini 2.5 Pro', inputTokenLimit: 1048576, outputTokenLimit: 65536, thinking: true },
  { id: 'gemini-3-flash-preview', displayName: 'Gemini 3 Flash Preview', inputTokenLimit: 1048576, outputTokenLimit: 65536, thinking: true, signatures: 'required' },
  { id: 'gemini-embedding-001', displayName: 'Gemini Embedding 001', inputTokenLimit: 2048, outputTokenLimit: 1, methods: ['embedContent'] },
  { id: 'gemini-2.5-flash-image', displayName: 'Nano Banana', inputTokenLimit: 32768, outputTokenLimit: 32768, thinking: false, tools: false, images: true },
  { id: 'imagen-4.0-generate-001', displayName: 'Imagen 4', inputTokenLimit: 480, outputTokenLimit: 8192, methods: ['predict'] },
];

const byId = new Map(MODELS.map((m) => [m.id, m]));

/** A model by resource name (`models/gemini-2.5-flash`) or bare id. */
export const findModel = (name) => byId.get(String(name).replace(/^models\//, ''));

/** Whether the model serves a method (`generateContent`, `predict`, …). */
export const supports = (model, method) => (model.methods ?? TEXT_METHODS).includes(method);

const publicShape = (m) => ({
  name: `models/${m.id}`,
  version: '001',
  displayName: m.displayName,
  inputTokenLimit: m.inputTokenLimit,
  outputTokenLimit: m.outputTokenLimit,
  supportedGenerationMethods: m.methods ?? TEXT_METHODS,
  ...(m.thinking ? { thinking: true } : {}),
});

const DEFAULT_PAGE = 50;
const MAX_PAGE = 1000; // larger sizes are lowered to this, not refused

// Page tokens are opaque to clients; ours is the base64 of the next offset (with its `=`
// padding, so a client that forgets to URL-encode the token is caught).
const tokenFor = (offset) => Buffer.from(`offset:${offset}`).toString('base64');
function offsetOf(token) {
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
  return match && Number(match[1]) <= MODELS.length ? Number(match[1]) : null;
}

/** models.list: `pageSize` (or page_size) and `pageToken`; `nextPageToken` only while more remain. */
export function listModels({ query }) {
  const rawSize = query.get('pageSize') ?? query.get('page_size');
  const size = rawSize === null || rawSize === '' ? 0 : Number(rawSize);
  if (!Number.isInteger(size)) return invalidValue('page_size', 'TYPE_INT32', rawSize);
  if (size < 0) return invalidArgument('page_size must not be negative.', 'page_size');
  const token = query.get('pageToken') ?? query.get('page_token') ?? '';
  const start = token === '' ? 0 : offsetOf(token);
  if (start === null) return invalidArgument('Invalid page token.', 'page_token');
  const end = start + Math.min(size || DEFAULT_PAGE, MAX_PAGE);
  const json = { models: MODELS.slice(start, end).map(publicShape) };
  if (end < MODELS.length) json.nextPageToken = tokenFor(end);
  return { status: 200, json };
}

export function getModel(id) {
  const model = findModel(id);
  if (!model) return googleError('NOT_FOUND', `Model is not found: models/${id} for api version v1beta`);
  return { status: 200, json: publicShape(model) };
}
