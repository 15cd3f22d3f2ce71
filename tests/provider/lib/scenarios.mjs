// Failure scenarios are chosen by markers in the last user message, so a test
// that goes through WordPress (or any host) needs no side channel.
//   [[loopback:slow:MS]] delays the answer (combinable with one other marker);
//   the first other known marker decides the outcome; [[loopback:huge:MB]] sets the size
//   of a huge reply in MiB (default 2, at most 32); [[loopback:too-long]] gives the
//   provider's context-length error where its format has one. A marker ending in
//   `@<format>` ([[loopback:500@openai]]) applies only to that format's endpoints, so a
//   test can fail one connector and not the next (fallback).
//   Transport faults, after the answer is made: [[loopback:reset]] drops the connection with no
//   reply; [[loopback:slow-body:MS]] sends the headers and half the body, then the rest MS later;
//   [[loopback:wrong-type]] gives a 200 whose body is a proxy's HTML sign-in page.

export const MAX_DELAY_MS = 30_000;
export const KINDS = new Set(['401', '429', '429-quota', '500', '503-html', 'truncated', 'empty', 'huge', 'too-long', 'reset', 'slow-body', 'wrong-type']);

const MARKER = /\[\[loopback:([a-z0-9-]+)(?::(\d+))?(?:@([a-z]+))?\]\]/gi;

export const MAX_HUGE_MIB = 32;

export function parseScenario(text, format = null) {
  let kind = null;
  let delayMs = 0;
  let hugeMiB = 2;
  let bodyDelayMs = 0;
  for (const [, rawName, arg, only] of String(text ?? '').matchAll(MARKER)) {
    if (only && only.toLowerCase() !== format) continue;
    const name = rawName.toLowerCase();
    if (name === 'slow') delayMs = Math.min(Number(arg ?? 0), MAX_DELAY_MS);
    else if (!kind && KINDS.has(name)) {
      kind = name;
      if (name === 'huge' && arg) hugeMiB = Math.min(Math.max(Number(arg), 1), MAX_HUGE_MIB);
      if (name === 'slow-body') bodyDelayMs = Math.min(Number(arg ?? 0), MAX_DELAY_MS);
    }
  }
  return { kind, delayMs, hugeMiB, bodyDelayMs };
}

/** Like an nginx or CDN error page in front of the API: HTML, not the provider's JSON. */
export function htmlUnavailable() {
  return {
    status: 503,
    contentType: 'text/html; charset=utf-8',
    text:
      '<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n' +
      '<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n' +
      '</body>\r\n</html>\r\n',
  };
}

/** A captive portal or an authenticating proxy answering in the API's place: 200, but a page. */
export function htmlSignIn() {
  return {
    status: 200,
    contentType: 'text/html; charset=utf-8',
    text: '<!DOCTYPE html>\n<html><head><title>Sign in to continue</title></head>\n<body><form method="post"><input name="user"><input name="password" type="password"></form></body></html>\n',
  };
}
