// OpenAI's real error body: { error: { message, type, param, code } }.
// Messages follow the wording the real API uses, so hosts that surface them
// look the same as in production.

import { maskKey } from '../../lib/keys.mjs';

export function openaiError(status, message, { type = 'invalid_request_error', param = null, code = null, headers } = {}) {
  return { status, headers: headers ?? {}, json: { error: { message, type, param, code } } };
}

export const errors = {
  missingKey: () =>
    openaiError(
      401,
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth " +
        '(i.e. Authorization: Bearer YOUR_KEY), or as the password field (i.e. Authorization: Basic ...). ' +
        'You can obtain an API key from https://platform.openai.com/account/api-keys.',
    ),
  // Never echo the key: only a masked form, as the real API does.
  invalidKey: (key) =>
    openaiError(
      401,
      `Incorrect API key provided: ${maskKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
      { code: 'invalid_api_key' },
    ),
  rateLimit: (model) =>
    openaiError(
      429,
      `Rate limit reached for ${typeof model === 'string' ? model : 'default'} in organization org-loopback on ` +
        'requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 1s. ' +
        'Visit https://platform.openai.com/account/rate-limits to learn more.',
      {
        type: 'requests',
        code: 'rate_limit_exceeded',
        headers: {
          'retry-after': '1',
          'x-ratelimit-limit-requests': '3',
          'x-ratelimit-remaining-requests': '0',
          'x-ratelimit-reset-requests': '1s',
        },
      },
    ),
  quota: () =>
    openaiError(
      429,
      'You exceeded your current quota, please check your plan and billing details. For more information on this error, ' +
        'read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
      { type: 'insufficient_quota', code: 'insufficient_quota' },
    ),
  server: () =>
    openaiError(500, 'The server had an error while processing your request. Sorry about that!', { type: 'server_error' }),
  badJson: () =>
    openaiError(
      400,
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library " +
        'correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble ' +
        'figuring out how to fix this, please contact us through our help center at help.openai.com.)',
    ),
  contentType: (type) =>
    openaiError(
      400,
      `Unsupported content type: '${type ?? ''}'. This API method only accepts 'application/json' requests, but you ` +
        `specified the header 'Content-Type: ${type ?? ''}'. Please try again with a supported content type.`,
    ),
  badUrl: (method, path) => openaiError(404, `Invalid URL (${method} ${path})`),
  badMethod: (method, path) => openaiError(405, `Invalid method for URL (${method} ${path})`),
};
