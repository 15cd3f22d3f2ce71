// The models the loopback Anthropic lists. Any other `claude-*` id is served too, so a synced
// catalog with newer models works against the loopback; ids that are not Claude models get the
// real API's 404.

import { errors } from './errors.mjs';

export const MODELS = [
  { id: 'claude-sonnet-4-5', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' },
  { id: 'claude-haiku-4-5', display_name: 'Claude Haiku 4.5', created_at: '2025-10-01T00:00:00Z' },
  { id: 'claude-opus-4-1', display_name: 'Claude Opus 4.1', created_at: '2025-08-05T00:00:00Z' },
];

export const checkModel = (id) => (/^claude-[a-z0-9.-]+$/.test(id) ? null : errors.modelNotFound(id));

export const listModels = () => ({
  status: 200,
  json: {
    data: MODELS.map((m) => ({ type: 'model', ...m })),
    has_more: false,
    first_id: MODELS[0].id,
    last_id: MODELS.at(-1).id,
  },
});
