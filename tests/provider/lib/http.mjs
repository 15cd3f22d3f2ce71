// Small HTTP helpers shared by every wire format. A "reply" is a plain object
// { status, headers?, json? | text?, contentType?, truncate?, reset?, bodyDelayMs? } so
// handlers stay pure and the server decides how the bytes go out.

import { setTimeout as sleep } from 'node:timers/promises';

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

/** Sends a reply; `signal` ends a slow body's wait early (the client left or the server closes). */
export async function sendReply(res, reply, signal = undefined) {
  // The "reset" scenario: the connection drops with nothing sent, as when a proxy dies.
  if (reply.reset) return res.socket?.resetAndDestroy?.() ?? res.destroy();
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
  if (!(reply.bodyDelayMs > 0)) return res.end(bytes);
  // The "slow-body" scenario: half the body now, the rest later — a stall after the headers.
  const half = Math.floor(bytes.length / 2);
  res.write(bytes.subarray(0, half));
  try {
    await sleep(reply.bodyDelayMs, undefined, { signal });
  } catch {
    return res.destroy();
  }
  res.end(bytes.subarray(half));
}

export function isJsonContentType(value) {
  return typeof value === 'string' && value.split(';')[0].trim().toLowerCase() === 'application/json';
}

export const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
