// Ollama's error answers: {"error": "<sentence>"} with the HTTP status, the
// sentences as the real server (or ollama.com behind it, for cloud models)
// words them. A wrong path or method gets Go's plain-text 404/405.

import { inputTokens } from '../../lib/text.mjs';

export const ollamaError = (status, error, headers = {}) => ({ status, headers, json: { error } });

const plain = (status, text) => ({ status, contentType: 'text/plain', text });

export const errors = {
  missingKey: () => ollamaError(401, 'unauthorized'),
  // Ollama has no keys: a 401 comes from ollama.com (cloud model, server not signed in) or a proxy.
  invalidKey: () => ollamaError(401, 'unauthorized'),
  // Local servers queue instead; a proxy or ollama.com rate-limits with Retry-After.
  rateLimit: () => ollamaError(429, 'too many requests', { 'retry-after': '1' }),
  // ollama.com's plan limit for cloud models.
  quota: () =>
    ollamaError(429, 'you (loopback) have reached your weekly usage limit, upgrade for higher limits: https://ollama.com/upgrade'),
  server: () => ollamaError(500, 'llama runner process has terminated: exit status 2'),
  // Servers that no longer truncate silently pass the runner's own error JSON through as the sentence.
  tooLong: (body) => {
    const nCtx = Number.isInteger(body?.options?.num_ctx) ? body.options.num_ctx : 4096;
    const nPrompt = nCtx + inputTokens((body?.messages ?? []).map((m) => m?.content));
    return ollamaError(400, JSON.stringify({
      error: {
        code: 400,
        message: `request (${nPrompt} tokens) exceeds the available context size (${nCtx} tokens), try increasing it`,
        type: 'exceed_context_size_error',
        n_prompt_tokens: nPrompt,
        n_ctx: nCtx,
      },
    }));
  },
  badJson: () => ollamaError(400, 'unexpected EOF'),
  contentType: () => ollamaError(400, 'unexpected EOF'), // never used: Ollama ignores the Content-Type
  badUrl: () => plain(404, '404 page not found'),
  badMethod: () => plain(405, '405 method not allowed'),
};
