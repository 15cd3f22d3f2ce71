// The last thing scripts/bench prints: every target of issue 14 that this run measured, with its
// measured value and ratio (measured / limit: below 1 meets a "≤" target, above 1 a "≥" one).
// Reads the JSON lines the benchmarks wrote (bench/lib/results.mjs, bench/php/lib/results.php).
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? process.env.BENCH_RESULTS;
const rows = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));

const figure = (value, unit) => {
  if (!Number.isFinite(value)) return 'n/a';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : Math.abs(value) >= 1 ? 2 : 3;
  return `${value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${unit}`.trim();
};
const width = Math.max(6, ...rows.map((r) => r.target.length));
console.log(`${'target'.padEnd(width)} | ${'measured'.padStart(14)} | ${'ratio'.padStart(6)} | met?`);
console.log(`${'-'.repeat(width)}-|-${'-'.repeat(14)}-|-${'-'.repeat(6)}-|-----`);
const met = ({ measured, limit, better }) => (better === 'higher' ? measured >= limit : measured <= limit);
for (const row of rows) {
  const { target, measured, unit, limit } = row;
  const ratio = limit === 0 ? NaN : measured / limit;
  console.log(`${target.padEnd(width)} | ${figure(measured, unit).padStart(14)} | ${ratio.toFixed(2).padStart(6)} | ${met(row) ? 'yes' : 'NO'}`);
}
if (!rows.every(met)) {
  console.log('Where the time and the bytes go for each target not met, and what would remove them: docs/performance.md');
}
