// Which API keys each format accepts, and how keys are kept out of logs.

// Header names that carry credentials for any provider we imitate.
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'x-api-key', 'api-key', 'x-goog-api-key']);
// Query parameters that carry credentials (Google accepts ?key=).
const SECRET_QUERY = ['key', 'api_key', 'api-key'];

export const REDACTED = '[redacted]';

/**
 * Accepted keys per format name. `keys` (the option) wins over the
 * LOOPBACK_PROVIDER_KEYS env JSON; a format missing from both keeps its defaults.
 */
export function resolveKeys(formats, keys, envJson = process.env.LOOPBACK_PROVIDER_KEYS) {
  let given = keys;
  if (given === undefined && envJson) {
    try {
      given = JSON.parse(envJson);
    } catch (err) {
      throw new Error(`LOOPBACK_PROVIDER_KEYS is not valid JSON: ${err.message}`);
    }
  }
  const out = {};
  for (const format of formats) {
    const list = given?.[format.name] ?? format.defaultKeys;
    if (!Array.isArray(list) || !list.every((k) => typeof k === 'string')) {
      throw new Error(`keys.${format.name} must be an array of strings`);
    }
    out[format.name] = list;
  }
  return out;
}

export function redactHeaders(headers) {
  const out = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = SECRET_HEADERS.has(name.toLowerCase()) ? REDACTED : value;
  }
  return out;
}

export function redactPath(url) {
  const copy = new URL(url);
  for (const name of SECRET_QUERY) if (copy.searchParams.has(name)) copy.searchParams.set(name, REDACTED);
  return copy.pathname + copy.search;
}

/** Mask a key the way providers do in 401 messages: never the whole key. */
export function maskKey(key) {
  if (typeof key !== 'string' || key.length === 0) return '';
  // Short keys would be mostly revealed by prefix + suffix; hide them fully.
  if (key.length < 12) return '*'.repeat(key.length);
  return key.slice(0, 3) + '*'.repeat(Math.min(key.length - 7, 40)) + key.slice(-4);
}

/**
 * `authenticate` for formats that take `Authorization: Bearer <key>`: { key } when accepted,
 * { error } (the format's own 401) when missing or wrong.
 */
export function bearerAuth(errors) {
  return (headers, keys) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
    if (!match) return { error: errors.missingKey() };
    if (!keys.includes(match[1])) return { error: errors.invalidKey(match[1]) };
    return { key: match[1] };
  };
}
