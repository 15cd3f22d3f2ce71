// Every benchmark that measures one of issue 14's targets hands it here, so scripts/bench can print
// them all in one table at the end (bench/summary.mjs). The lines go to the file named by
// BENCH_RESULTS (one JSON object a line); run alone, a benchmark only prints its own figures.
import { appendFileSync } from 'node:fs';

/**
 * @param {string} target   what is measured and its limit, as the table shows it
 * @param {number} measured the figure, in `unit`
 * @param {string} unit
 * @param {number} limit    the target's limit, in `unit`
 * @param {'lower'|'higher'} better which side of the limit meets the target
 */
export function record(target, measured, unit, limit, better = 'lower') {
  if (!process.env.BENCH_RESULTS) return;
  appendFileSync(process.env.BENCH_RESULTS, JSON.stringify({ target, measured, unit, limit, better }) + '\n');
}
