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
 * the fixed cost of a call hides the growth. Measured side by side: runs of the two sizes
 * alternate for `ms`, so a change in the machine's speed hits both alike, and k comes from the
 * median of the rounds' ratios. Two medians taken one after the other moved k by ±0.15 between
 * runs of the same build (issue 14's note of 2026-12-02).
 *
 * @param {[number, () => unknown]} smaller [size, one run at that size]
 * @param {[number, () => unknown]} larger
 */
export function growth([n1, fn1], [n2, fn2], ms = 2000) {
  for (let i = 0; i < 3; i++) { fn1(); fn2(); }
  const ratios = [];
  const stop = performance.now() + ms;
  while (performance.now() < stop || ratios.length < 7) {
    let t = performance.now();
    fn1();
    const small = performance.now() - t;
    t = performance.now();
    fn2();
    ratios.push((performance.now() - t) / small);
  }
  ratios.sort((a, b) => a - b);
  return Math.log(ratios[ratios.length >> 1]) / Math.log(n2 / n1);
}

/** One advance step through the JSON text API (what the PHP host uses), parsed. */
export function advance(input) {
  return JSON.parse(engine.advanceJson(typeof input === 'string' ? input : JSON.stringify(input)));
}

export const pad = (value, width) => String(value).padStart(width);
