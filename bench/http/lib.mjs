// What the HTTP benchmarks share: the bench site's URL, one timed request to a bench endpoint,
// and the statistics they print.
export const { WP_URL } = process.env;
if (!WP_URL) throw new Error('WP_URL is required (scripts/bench sets it)');

/** GETs a bench endpoint; returns its JSON answer and the wall time of the request in ms. */
export async function timed(path) {
  const start = process.hrtime.bigint();
  const response = await fetch(`${WP_URL}/${path}`);
  const body = await response.text();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  let json;
  try {
    json = JSON.parse(body);
  } catch {
    throw new Error(`${path}: HTTP ${response.status}, not JSON: ${body.slice(0, 300)}`);
  }
  if (json.error) throw new Error(`${path}: ${json.error}`);
  return { ms, json };
}

/** The q-quantile (nearest rank) of `xs`. */
export function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}
export const median = (xs) => quantile(xs, 0.5);
export const p90 = (xs) => quantile(xs, 0.9);

/** One row of a table: a label, then each figure to two decimals. */
export function row(label, ...figures) {
  return `${label.padEnd(58)} ${figures.map((f) => (typeof f === 'number' ? f.toFixed(2) : String(f)).padStart(9)).join(' ')}`;
}
