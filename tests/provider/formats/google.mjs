// Google Gemini wire format, mounted under /google (the demo points the Google
// connector's base URL at <loopback>/google): generateContent, Imagen's predict,
// the model list and one model, with Google's error bodies. The key goes in the x-goog-api-key
// header (or the ?key= query parameter, which Google also accepts).

import { errors } from './google/errors.mjs';
import { generateEndpoint } from './google/generate.mjs';
import { getModel, listModels } from './google/models.mjs';
import { predictEndpoint } from './google/predict.mjs';

const VERSION = '(?:v1|v1beta|v1alpha)';

export default {
  name: 'google',
  defaultKeys: ['AIzaSyLoopbackDemoKey0000000000000000000'],
  errors,

  /** Paths whose unknown routes get Google's 404 page. */
  owns: (path) => path === '/google' || path.startsWith('/google/'),

  /** { key } when accepted, { error } when missing (403) or wrong (400 API_KEY_INVALID). */
  authenticate(headers, keys, req) {
    const fromHeader = headers['x-goog-api-key'];
    const key = typeof fromHeader === 'string' && fromHeader !== '' ? fromHeader : queryKey(req);
    if (!key) return { error: errors.missingKey() };
    if (!keys.includes(key)) return { error: errors.invalidKey() };
    return { key };
  },

  routes: [
    generateEndpoint,
    predictEndpoint,
    { method: 'GET', path: new RegExp(`^/google/${VERSION}/models$`), respond: listModels },
    { method: 'GET', path: new RegExp(`^/google/${VERSION}/models/(?<id>[^/:]+)$`), respond: ({ params }) => getModel(decodeURIComponent(params.id)) },
  ],
};

function queryKey(req) {
  if (!req?.url) return null;
  return new URL(req.url, 'http://loopback.invalid').searchParams.get('key') || null;
}
