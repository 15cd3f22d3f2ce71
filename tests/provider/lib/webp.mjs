// A real lossless WebP (VP8L) of any size in one colour, for GPT Image's `output_format: webp`:
// image tests can decode it and check its dimensions. Every prefix code of a one-colour image
// has a single symbol, and a single-symbol code takes no bits, so the pixels cost nothing: the
// whole file is a 20-byte header and a dozen bytes of codes.

/** Writes bits least significant first (VP8L's order). */
class BitWriter {
  constructor() {
    this.bytes = [];
    this.current = 0;
    this.count = 0;
  }
  write(value, length) {
    for (let i = 0; i < length; i++) {
      this.current |= ((value >> i) & 1) << this.count;
      if (++this.count === 8) {
        this.bytes.push(this.current);
        this.current = 0;
        this.count = 0;
      }
    }
  }
  finish() {
    if (this.count > 0) this.bytes.push(this.current);
    return Buffer.from(this.bytes);
  }
}

/** A "simple" prefix code of one 8-bit symbol. */
function singleSymbol(bits, symbol) {
  bits.write(1, 1); // simple code
  bits.write(0, 1); // one symbol
  bits.write(1, 1); // the symbol takes 8 bits
  bits.write(symbol, 8);
}

/** A lossless WebP of `width` × `height` (1–16384 each) pixels of `[r, g, b]`. */
export function webp(width, height, [r, g, b] = [40, 120, 200]) {
  if (!(width >= 1 && width <= 16384 && height >= 1 && height <= 16384)) throw new RangeError('WebP sides are 1 to 16384 pixels');
  const bits = new BitWriter();
  bits.write(0x2f, 8); // VP8L signature
  bits.write(width - 1, 14);
  bits.write(height - 1, 14);
  bits.write(0, 1); // no alpha
  bits.write(0, 3); // version 0
  bits.write(0, 1); // no transform
  bits.write(0, 1); // no colour cache
  bits.write(0, 1); // one prefix code group for the whole image
  singleSymbol(bits, g); // green (and lengths)
  singleSymbol(bits, r);
  singleSymbol(bits, b);
  singleSymbol(bits, 255); // alpha
  bits.write(1, 1); // distance: simple code,
  bits.write(0, 1); // one symbol,
  bits.write(0, 1); // of one bit:
  bits.write(0, 1); // distance code 0 (never read: no back-references)
  const data = bits.finish();
  const chunk = Buffer.alloc(8);
  chunk.write('VP8L', 0, 'ascii');
  chunk.writeUInt32LE(data.length, 4);
  const padded = data.length % 2 ? Buffer.concat([data, Buffer.alloc(1)]) : data;
  const riff = Buffer.alloc(12);
  riff.write('RIFF', 0, 'ascii');
  riff.writeUInt32LE(4 + chunk.length + padded.length, 4);
  riff.write('WEBP', 8, 'ascii');
  return Buffer.concat([riff, chunk, padded]);
}

/** Width and height from a VP8L WebP's header (the loopback's own check). */
export function webpSize(bytes) {
  if (bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 16) !== 'WEBPVP8L' || bytes[20] !== 0x2f) return null;
  const bits = bytes.readUInt32LE(21);
  return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
}
