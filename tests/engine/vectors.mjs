// Runs the conformance vectors of tests/vectors/ through an engine, the same way the Rust and
// PHP runners do: `prepare` the stored site, start the task, then resume each step with what the
// vector says the host brings back; every output must equal the recorded expectation.
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

/**
 * Drives one vector with `advance(text) -> text` and `prepare(text) -> text`; returns the
 * prepare output (when the vector has a stored site) and each step's output object.
 */
export function runVector(vector, { advance, prepare }) {
  const prepared = vector.stored ? JSON.parse(prepare(JSON.stringify(vector.stored))) : undefined;
  let input = vector.raw_input ?? (vector.start && { ...(prepared && { site: prepared.site }), ...vector.start });
  const outputs = [];
  for (const step of vector.steps ?? []) {
    const output = JSON.parse(advance(typeof input === 'string' ? input : JSON.stringify(input)));
    outputs.push(output);
    if (step.resume) input = { state: output.state, ...step.resume };
  }
  return { prepared, outputs };
}
