// What the Node benchmarks share: the engine's Node build, the test vectors, a timer and the
// growth of a curve.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
export const engine = require('../../pkg/node/aipuffer_js.js');

/** A test vector (tests/vectors/NAME.json), parsed. */
export function vector(name) {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../../tests/vectors/${name}.json`, import.meta.url)), 'utf8'));
}

/** Median µs of `fn` over repeated runs lasting at least `ms` (and at least 5 runs). */
export function micros(fn, ms = 800) {
  for (let i = 0; i < 3; i++) fn();
  const samples = [];
  const stop = performance.now() + ms;
  while (performance.now() < stop || samples.length < 5) {
    const t = performance.now();
    fn();
    samples.push((performance.now() - t) * 1000);
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1];
}

/**
 * How the cost grows over the last step of a curve, as the exponent k of cost ∝ size^k between
 * its two largest points: ≈0 flat, ≈1 linear, 2 quadratic. The last step, because at small sizes
 * the fixed cost of a call hides the growth.
 *
 * @param {Array<[number, number]>} points [size, cost] in increasing size
 */
export function growth(points) {
  const [[n1, t1], [n2, t2]] = points.slice(-2);
  return Math.log(t2 / t1) / Math.log(n2 / n1);
}

/** One advance step through the JSON text API (what the PHP host uses), parsed. */
export function advance(input) {
  return JSON.parse(engine.advanceJson(typeof input === 'string' ? input : JSON.stringify(input)));
}

export const pad = (value, width) => String(value).padStart(width);
