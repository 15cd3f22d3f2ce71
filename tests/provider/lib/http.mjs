// Small HTTP helpers shared by every wire format. A "reply" is a plain object
// { status, headers?, json? | text?, contentType?, truncate? } so handlers stay
// pure and the server decides how the bytes go out.

export const MAX_BODY_BYTES = 64 * 1024 * 1024;

export class BodyTooLarge extends Error {}

export async function readBody(req, limit = MAX_BODY_BYTES) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLarge(`request body over ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function jsonReply(status, json, headers = {}) {
  return { status, headers, json };
}

export function sendReply(res, reply) {
  const isJson = reply.json !== undefined;
  let payload = isJson ? JSON.stringify(reply.json) : (reply.text ?? '');
  // The "truncated" scenario: a 200 whose JSON stops half way, with a matching
  // Content-Length so the client sees a clean response, not a dropped socket.
  if (reply.truncate) payload = payload.slice(0, Math.floor(payload.length / 2));
  const bytes = Buffer.from(payload, 'utf8');
  res.writeHead(reply.status, {
    'content-type': reply.contentType ?? (isJson ? 'application/json' : 'text/plain; charset=utf-8'),
    'content-length': bytes.length,
    ...reply.headers,
  });
  res.end(bytes);
}

export function isJsonContentType(value) {
  return typeof value === 'string' && value.split(';')[0].trim().toLowerCase() === 'application/json';
}

export const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
