// OpenAI wire format: Bearer auth, /v1/responses, /v1/chat/completions and
// /v1/models, with OpenAI's error bodies. Other providers get their own
// module beside this one, exporting the same shape (see server.mjs FORMATS).

import { chatEndpoint } from './openai/chat.mjs';
import { errors } from './openai/errors.mjs';
import { imageEditsEndpoint, imagesEndpoint } from './openai/images.mjs';
import { listModels, retrieveModel } from './openai/models.mjs';
import { responsesEndpoint } from './openai/responses.mjs';
import { bearerAuth } from '../lib/keys.mjs';

export default {
  name: 'openai',
  defaultKeys: ['sk-loopback-demo-key-0000000000'],
  errors,

  /** Paths whose unknown routes get OpenAI's "Invalid URL" answer. */
  owns: (path) => path.startsWith('/v1/'),

  authenticate: bearerAuth(errors),

  responseHeaders: (ids) => ({ 'x-request-id': ids.next('req'), 'openai-version': '2020-10-01' }),

  routes: [
    responsesEndpoint,
    chatEndpoint,
    imagesEndpoint,
    imageEditsEndpoint,
    { method: 'GET', path: '/v1/models', respond: listModels },
    { method: 'GET', path: /^\/v1\/models\/(?<id>[^/]+)$/, respond: ({ params }) => retrieveModel(decodeURIComponent(params.id)) },
  ],
};
