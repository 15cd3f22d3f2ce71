// Ollama's native API, mounted under /ollama (the demo points the connector's
// base URL at <loopback>/ollama): POST /api/chat, GET /api/tags, GET
// /api/version and the root "Ollama is running". Ollama has no API keys and
// answers errors as {"error": "<sentence>"}.

import { chatEndpoint } from './ollama/chat.mjs';
import { errors } from './ollama/errors.mjs';
import { listModels } from './ollama/models.mjs';

export const PREFIX = '/ollama';

const running = () => ({ status: 200, contentType: 'text/plain; charset=utf-8', text: 'Ollama is running' });

export default {
  name: 'ollama',
  defaultKeys: [], // keyless: nothing to check
  errors,
  // Ollama reads any body as JSON whatever its Content-Type (`curl -d` sends a form type).
  anyContentType: true,

  owns: (path) => path === PREFIX || path.startsWith(`${PREFIX}/`),

  /** A local Ollama server has no authentication; the header is ignored, as Ollama does. */
  authenticate: () => ({ key: null }),

  routes: [
    chatEndpoint,
    { method: 'GET', path: `${PREFIX}/api/tags`, respond: listModels },
    { method: 'GET', path: `${PREFIX}/api/version`, respond: () => ({ status: 200, json: { version: '0.13.5' } }) },
    { method: 'GET', path: PREFIX, respond: running },
    { method: 'GET', path: `${PREFIX}/`, respond: running },
  ],
};
