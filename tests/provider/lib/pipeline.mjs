// The steps every provider endpoint shares, in the order real APIs apply them:
// auth -> content type -> JSON -> validation -> scenario -> answer.
// A format supplies `authenticate` and `errors`; an endpoint supplies
// `validate`, `lastUserText` and `respond` (all optional but `respond`), and its
// own `authenticate` when it differs from the format's (a public model list). A
// format whose API reads any body as JSON sets `anyContentType`.

import { isJsonContentType, isPlainObject } from './http.mjs';
import { htmlSignIn, htmlUnavailable, parseScenario } from './scenarios.mjs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Returns a reply object, or null when the client went away while we waited. */
export async function runEndpoint({ format, endpoint, req, raw, keys, ids, params, signal }) {
  const auth = (endpoint.authenticate ?? format.authenticate)(req.headers, keys, req);
  if (auth.error) return auth.error;

  let body = null;
  if (endpoint.json) {
    const type = req.headers['content-type'];
    if (!format.anyContentType && !isJsonContentType(type)) return format.errors.contentType(type);
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return format.errors.badJson();
    }
    if (!isPlainObject(body)) return format.errors.badJson();
  }

  // The query string (Azure's api-version) for endpoints that read it.
  const query = new URL(req.url, 'http://loopback.invalid').searchParams;
  const invalid = endpoint.validate?.(body, { params, query, req, raw });
  if (invalid) return invalid;

  const scenario = parseScenario(endpoint.lastUserText?.(body) ?? '', format.name);
  if (scenario.delayMs > 0) {
    try {
      await sleep(scenario.delayMs, undefined, { signal });
    } catch {
      return null; // aborted: client disconnected or the server is closing
    }
  }

  switch (scenario.kind) {
    case '401': return format.errors.invalidKey(auth.key);
    case '429': return format.errors.rateLimit(body?.model);
    case '429-quota': return format.errors.quota();
    case '500': return format.errors.server();
    case '503-html': return htmlUnavailable();
    case 'wrong-type': return htmlSignIn();
    case 'too-long': {
      // The provider's context-length error, where the format has one; otherwise an ordinary answer.
      const tooLong = format.errors.tooLong?.(body);
      if (tooLong) return tooLong;
      break;
    }
  }

  const reply = endpoint.respond({ body, scenario, ids, params, query, req, raw });
  switch (scenario.kind) {
    case 'truncated': return { ...reply, truncate: true };
    case 'reset': return { ...reply, reset: true };
    case 'slow-body': return { ...reply, bodyDelayMs: scenario.bodyDelayMs };
    default: return reply;
  }
}
