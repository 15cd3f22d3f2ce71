// The models the loopback Anthropic lists, newest first as the real API lists them. Any other
// `claude-*` id is served too, so a synced catalog with newer models works against the
// loopback; ids that are not Claude models get the real API's 404.

import { errors, invalid } from './errors.mjs';

export const MODELS = [
  { id: 'claude-haiku-4-5', display_name: 'Claude Haiku 4.5', created_at: '2025-10-01T00:00:00Z' },
  { id: 'claude-sonnet-4-5', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' },
  { id: 'claude-opus-4-1', display_name: 'Claude Opus 4.1', created_at: '2025-08-05T00:00:00Z' },
];

export const checkModel = (id) => (/^claude-[a-z0-9.-]+$/.test(id) ? null : errors.modelNotFound(id));

/** `limit` (1..1000, default 20), with the parameter wording of the real validation errors. */
function limitOf(query) {
  const raw = query.get('limit');
  if (raw === null) return 20;
  const limit = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(limit)) return invalid('limit: Input should be a valid integer, unable to parse string as an integer');
  if (limit < 1) return invalid('limit: Input should be greater than or equal to 1');
  if (limit > 1000) return invalid('limit: Input should be less than or equal to 1000');
  return limit;
}

/** Where a cursor points: just after `after_id`, or the page that ends just before `before_id`. */
function cursorOf(query, limit) {
  const [after, before] = [query.get('after_id'), query.get('before_id')];
  const cursor = after ?? before;
  if (cursor === null) return { start: 0 };
  const at = MODELS.findIndex((m) => m.id === cursor);
  if (at < 0) return { error: invalid(`${after !== null ? 'after_id' : 'before_id'}: no model with id "${cursor}"`) };
  return after !== null ? { start: at + 1 } : { start: Math.max(0, at - limit), end: at };
}

/** GET /v1/models: one page of `limit` models after `after_id` (or before `before_id`). */
export function listModels({ query }) {
  const limit = limitOf(query);
  if (typeof limit !== 'number') return limit;
  const { start, end = start + limit, error } = cursorOf(query, limit);
  if (error) return error;
  const data = MODELS.slice(start, end).map((m) => ({ type: 'model', ...m }));
  // has_more looks past the page in the direction of travel: older models after it, or newer before it.
  const hasMore = query.get('before_id') !== null && query.get('after_id') === null ? start > 0 : end < MODELS.length;
  return {
    status: 200,
    json: { data, has_more: hasMore, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null },
  };
}
