// Deterministic reply text and token counts, shared by all formats so that
// tests can compute the expected values: reply = "Loopback reply to: <last
// user text>" cut to 200 characters; tokens = ceil(characters / 4).
// "Characters" are Unicode code points, as PHP's mb_strlen counts them.

export const REPLY_PREFIX = 'Loopback reply to: ';
export const REPLY_MAX_CHARS = 200;

export function charCount(s) {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export function sliceChars(s, max) {
  if (s.length <= max) return s; // UTF-16 length bounds the code point count
  return Array.from(s).slice(0, max).join('');
}

export const tokensFor = (s) => Math.ceil(charCount(s) / 4);

/** Input tokens over every text the caller sent (instructions included), at least 1. */
export function inputTokens(texts) {
  const total = texts.reduce((n, t) => n + (typeof t === 'string' ? charCount(t) : 0), 0);
  return Math.max(1, Math.ceil(total / 4));
}

export function replyText(lastUserText, scenario) {
  if (scenario?.kind === 'huge') {
    const chars = (scenario.hugeMiB ?? 2) * 1024 * 1024;
    return 'Loopback huge reply. '.repeat(Math.ceil(chars / 21)).slice(0, chars);
  }
  return sliceChars(REPLY_PREFIX + lastUserText, REPLY_MAX_CHARS);
}

/** Apply a token limit the way a model stops: cut at maxTokens * 4 characters. */
export function limitTokens(text, maxTokens) {
  const tokens = tokensFor(text);
  if (maxTokens == null || tokens <= maxTokens) return { text, tokens, truncated: false };
  return { text: sliceChars(text, maxTokens * 4), tokens: maxTokens, truncated: true };
}
