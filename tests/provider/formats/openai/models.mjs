// The models the loopback OpenAI knows, and the per-model rules the real API
// enforces (image models are not chat models; reasoning models reject
// sampling parameters and the legacy max_tokens).

import { openaiError } from './errors.mjs';

export const MODELS = [
  { id: 'gpt-4o-mini', created: 1721172741, owned_by: 'system', kind: 'text' },
  { id: 'gpt-4.1-mini', created: 1744318173, owned_by: 'system', kind: 'text' },
  { id: 'gpt-4.1-nano', created: 1744321707, owned_by: 'system', kind: 'text' },
  { id: 'gpt-5.4-mini', created: 1772582400, owned_by: 'system', kind: 'text', reasoning: true },
  { id: 'gpt-image-1', created: 1745517030, owned_by: 'system', kind: 'image' },
  { id: 'dall-e-3', created: 1698785189, owned_by: 'system', kind: 'image' },
];

const byId = new Map(MODELS.map((m) => [m.id, m]));
export const findModel = (id) => byId.get(id);

const publicShape = ({ id, created, owned_by }) => ({ id, object: 'model', created, owned_by });

export const listModels = () => ({ status: 200, json: { object: 'list', data: MODELS.map(publicShape) } });

export function retrieveModel(id) {
  const model = findModel(id);
  if (!model) return openaiError(404, `The model '${id}' does not exist`, { param: 'model', code: 'model_not_found' });
  return { status: 200, json: publicShape(model) };
}

/** Model existence and suitability for a text endpoint ('chat' or 'responses'). */
export function checkTextModel(id, api) {
  const model = findModel(id);
  if (!model) {
    return openaiError(404, `The model \`${id}\` does not exist or you do not have access to it.`, { code: 'model_not_found' });
  }
  if (model.kind === 'text') return null;
  if (api === 'chat') {
    return openaiError(
      404,
      'This is not a chat model and thus not supported in the v1/chat/completions endpoint. Did you mean to use v1/completions?',
      { param: 'model' },
    );
  }
  return openaiError(400, `The requested model '${id}' is not supported with the Responses API.`, {
    param: 'model',
    code: 'unsupported_model',
  });
}

const unsupportedParam = (name, hint = '') =>
  openaiError(400, `Unsupported parameter: '${name}' is not supported with this model.${hint}`, {
    param: name,
    code: 'unsupported_parameter',
  });

/** Reasoning models accept only the default sampling settings. */
export function checkReasoningParams(body, api) {
  if (!findModel(body.model)?.reasoning) return null;
  if (api === 'responses') {
    for (const name of ['temperature', 'top_p']) if (body[name] != null) return unsupportedParam(name);
    return null;
  }
  if (body.max_tokens != null) return unsupportedParam('max_tokens', " Use 'max_completion_tokens' instead.");
  for (const name of ['temperature', 'top_p']) {
    if (body[name] != null && body[name] !== 1) {
      return openaiError(
        400,
        `Unsupported value: '${name}' does not support ${body[name]} with this model. Only the default (1) value is supported.`,
        { param: name, code: 'unsupported_value' },
      );
    }
  }
  return null;
}
