// Runs the conformance vectors of tests/vectors/ through an engine `advance` function, the same
// way the Rust and PHP runners do: each step's output must equal the recorded expectation.
import { readdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const vectorsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'vectors');

export function loadVectors() {
  return readdirSync(vectorsDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, ...JSON.parse(readFileSync(join(vectorsDir, file), 'utf8')) }));
}

/** Drives one vector with `advance(text) -> text`; returns each step's output object. */
export function runVector(vector, advance) {
  let input = vector.raw_input ?? { snapshot: vector.snapshot, call: vector.call };
  const outputs = [];
  for (const step of vector.steps) {
    const output = JSON.parse(advance(typeof input === 'string' ? input : JSON.stringify(input)));
    outputs.push(output);
    if (step.responses) input = { ...input, state: output.state, responses: step.responses };
  }
  return outputs;
}
