// Anthropic wire format: the Messages API under /anthropic (a connector's base URL points at
// <loopback>/anthropic, so these routes never collide with OpenAI's /v1/…). The key goes in
// x-api-key, the API version in anthropic-version; errors have Anthropic's own shape.

import { errors } from './anthropic/errors.mjs';
import { messagesEndpoint } from './anthropic/messages.mjs';
import { listModels } from './anthropic/models.mjs';

/** The API versions Anthropic accepts in the anthropic-version header. */
export const VERSIONS = ['2023-06-01', '2023-01-01'];

export default {
  name: 'anthropic',
  defaultKeys: ['sk-ant-loopback-demo-key-0000000000'],
  errors,

  /** Paths whose unknown routes get Anthropic's 404. */
  owns: (path) => path === '/anthropic' || path.startsWith('/anthropic/'),

  /**
   * { key } when accepted; otherwise the real 401. The anthropic-version header is checked here
   * too, right after the key: it is a header rule, and endpoints only see the body.
   */
  authenticate(headers, keys) {
    const key = headers['x-api-key'];
    if (typeof key !== 'string' || key === '') return { error: errors.missingKey() };
    if (!keys.includes(key)) return { error: errors.invalidKey() };
    const version = headers['anthropic-version'];
    if (version === undefined) return { error: errors.missingVersion() };
    if (!VERSIONS.includes(version)) return { error: errors.badVersion(version) };
    return { key };
  },

  responseHeaders: (ids) => ({ 'request-id': ids.next('req_011Loopback', ''), 'anthropic-organization-id': 'org-loopback' }),

  routes: [messagesEndpoint, { method: 'GET', path: '/anthropic/v1/models', respond: listModels }],
};
