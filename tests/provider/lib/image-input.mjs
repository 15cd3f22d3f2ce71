// What an image API checks of an image it is given to read or edit: that the bytes are an image
// of a type it takes, whatever the MIME type claims. The real APIs refuse anything else with a
// 400, so a gateway that sent the wrong bytes (a data URL's header, text, a truncated file)
// fails here too.

const SIGNATURES = [
  ['image/png', (b) => b.length > 8 && b.readUInt32BE(0) === 0x89504e47],
  ['image/jpeg', (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ['image/webp', (b) => b.length > 12 && b.toString('ascii', 0, 4) === 'RIFF' && b.toString('ascii', 8, 12) === 'WEBP'],
  ['image/gif', (b) => b.length > 6 && b.toString('ascii', 0, 3) === 'GIF'],
];

/** The image type of `bytes` (a Buffer), from their first bytes; null when they are no image. */
export function imageType(bytes) {
  return SIGNATURES.find(([, matches]) => matches(bytes))?.[0] ?? null;
}

/** The bytes of strict base64 text, or null when it is not base64. */
export function fromBase64(text) {
  if (typeof text !== 'string' || text === '' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  return Buffer.from(text, 'base64');
}

/** `{ mime, bytes }` of a base64 data URL, or null. */
export function dataUrl(url) {
  const match = typeof url === 'string' ? /^data:([^;,]+)(?:;[^;,=]+=[^;,]+)*;base64,(.*)$/s.exec(url) : null;
  if (!match) return null;
  const bytes = fromBase64(match[2]);
  return bytes ? { mime: match[1].toLowerCase(), bytes } : null;
}
