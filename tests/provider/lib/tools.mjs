// How the loopback models use tools, the same for every wire format: asked with tools and a
// user's words, a model calls the FIRST declared tool with the smallest arguments its parameter
// schema allows (strings say "loopback"); given tool results, it answers with text quoting them.
// Deterministic, so tests can assert both turns.

import { sample } from './structured.mjs';

/** The arguments object a model calls a tool with, from the tool's JSON schema. */
export function argsFor(schema) {
  const args = sample(schema ?? { type: 'object' }, 'loopback');
  return args !== null && typeof args === 'object' && !Array.isArray(args) ? args : {};
}

/** The answer to a turn of tool results: `[{ name, output }]` (output as text). */
export function toolResultsText(results) {
  return `Loopback reply to tool results: ${results.map((r) => `${r.name}=${r.output}`).join('; ')}`;
}
