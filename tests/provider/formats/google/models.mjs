// The models the loopback Gemini knows. `thinking` models report thoughtsTokenCount
// and sign their function calls; `signatures: 'required'` models (Gemini 3) refuse
// a function-calling turn whose signatures did not come back.

import { googleError } from './errors.mjs';

export const MODELS = [
  { id: 'gemini-2.0-flash', displayName: 'Gemini 2.0 Flash', inputTokenLimit: 1048576, outputTokenLimit: 8192, thinking: false },
  { id: 'gemini-2.5-flash', displayName: 'Gemini 2.5 Flash', inputTokenLimit: 1048576, outputTokenLimit: 65536, thinking: true },
  { id: 'gemini-2.5-pro', displayName: 'Gemini 2.5 Pro', inputTokenLimit: 1048576, outputTokenLimit: 65536, thinking: true },
  { id: 'gemini-3-flash-preview', displayName: 'Gemini 3 Flash Preview', inputTokenLimit: 1048576, outputTokenLimit: 65536, thinking: true, signatures: 'required' },
  { id: 'gemini-embedding-001', displayName: 'Gemini Embedding 001', inputTokenLimit: 2048, outputTokenLimit: 1, embedding: true },
];

const byId = new Map(MODELS.map((m) => [m.id, m]));

/** A model by resource name (`models/gemini-2.5-flash`) or bare id. */
export const findModel = (name) => byId.get(String(name).replace(/^models\//, ''));

const publicShape = (m) => ({
  name: `models/${m.id}`,
  version: '001',
  displayName: m.displayName,
  inputTokenLimit: m.inputTokenLimit,
  outputTokenLimit: m.outputTokenLimit,
  supportedGenerationMethods: m.embedding ? ['embedContent'] : ['generateContent', 'countTokens'],
  ...(m.thinking ? { thinking: true } : {}),
});

export const listModels = () => ({ status: 200, json: { models: MODELS.map(publicShape) } });

export function getModel(id) {
  const model = findModel(id);
  if (!model) return googleError('NOT_FOUND', `Model is not found: models/${id} for api version v1beta`);
  return { status: 200, json: publicShape(model) };
}
