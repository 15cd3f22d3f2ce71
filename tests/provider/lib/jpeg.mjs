// A real baseline JPEG of any size (one grey level), for the providers that answer JPEG (xAI
// always, Imagen when asked): image tests can decode it and check its dimensions. Every 8×8
// block of a flat image has only its DC coefficient, and every block after the first the same
// one, so the entropy-coded data is two bits a block — a 1408×792 image is ≈4 KB.

// Quantisation by 1 keeps the DC value exact; the Huffman tables hold just the codes used.
const DC_CATEGORY_ZERO = 0b0; // 1 bit: "no change from the previous block"
const EOB = 0b0; // 1 bit: "the rest of the block is zero"

function segment(marker, payload) {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0xff00 | marker, 0);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/** Writes bits most significant first, stuffing a zero byte after every 0xFF (JPEG's rule). */
class BitWriter {
  constructor() {
    this.bytes = [];
    this.current = 0;
    this.count = 0;
  }
  write(value, length) {
    for (let i = length - 1; i >= 0; i--) {
      this.current = (this.current << 1) | ((value >> i) & 1);
      if (++this.count === 8) this.flushByte();
    }
  }
  flushByte() {
    this.bytes.push(this.current);
    if (this.current === 0xff) this.bytes.push(0x00);
    this.current = 0;
    this.count = 0;
  }
  end() {
    while (this.count !== 0) this.write(1, 1); // pad with ones
    return Buffer.from(this.bytes);
  }
}

/** JPEG bytes of `width`×`height` pixels of grey `level` (0–255). */
export function jpeg(width, height, level = 200) {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0 && width < 65536 && height < 65536)) {
    throw new Error(`jpeg: bad size ${width}x${height}`);
  }
  // The DC coefficient of a flat block of value v is 8·(v − 128); its JPEG category is its bit length.
  const dc = 8 * (level - 128);
  const category = dc === 0 ? 0 : Math.floor(Math.log2(Math.abs(dc))) + 1;
  const dcBits = dc >= 0 ? dc : dc + (1 << category) - 1; // one's complement for negatives

  const dqt = Buffer.concat([Buffer.from([0x00]), Buffer.alloc(64, 1)]);
  const sof = Buffer.alloc(9);
  sof.writeUInt8(8, 0); // precision
  sof.writeUInt16BE(height, 1);
  sof.writeUInt16BE(width, 3);
  sof.set([1, 1, 0x11, 0], 5); // one component: id 1, 1×1 sampling, table 0
  // DC table 0: category 0 as "0" (1 bit), the first block's category as "10" (2 bits). A code of
  // all ones is reserved, so neither may fill its length.
  const dcCounts = Buffer.alloc(16);
  const dcSymbols = category === 0 ? [0] : [0, category];
  dcCounts[0] = 1;
  if (category !== 0) dcCounts[1] = 1;
  const dht = Buffer.concat([
    Buffer.from([0x00]), dcCounts, Buffer.from(dcSymbols),
    Buffer.from([0x10]), Buffer.from([1, ...new Array(15).fill(0)]), Buffer.from([0x00]), // AC table 0: EOB as "0"
  ]);
  const sos = Buffer.from([1, 1, 0x00, 0, 63, 0]);

  const bits = new BitWriter();
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
  for (let i = 0; i < blocks; i++) {
    if (i === 0 && category !== 0) {
      bits.write(0b10, 2);
      bits.write(dcBits, category);
    } else {
      bits.write(DC_CATEGORY_ZERO, 1);
    }
    bits.write(EOB, 1);
  }
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xdb, dqt),
    segment(0xc0, sof),
    segment(0xc4, dht),
    segment(0xda, sos),
    bits.end(),
    Buffer.from([0xff, 0xd9]),
  ]);
}

/** `{width, height}` from JPEG bytes (the first start-of-frame segment), or null. */
export function jpegSize(bytes) {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1];
    const length = bytes.readUInt16BE(at + 2);
    if (marker >= 0xc0 && marker <= 0xc3 && at + 9 <= bytes.length) {
      return { height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7) };
    }
    at += 2 + length;
  }
  return null;
}
