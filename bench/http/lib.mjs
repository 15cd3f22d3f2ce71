// What the HTTP benchmarks share: the bench site's URL, one timed request to a bench endpoint,
// the statistics they print, and the CPU time the site's processes use.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';

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

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** A process's parent and CPU seconds so far (user + system, all its threads), from /proc. */
function procStat(pid) {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' '); // fields from the 3rd (state) on
  return { ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND };
}

/**
 * CPU seconds the bench site's processes have used so far, by role: php-fpm, MariaDB, nginx (each
 * master with its workers) and the loopback provider. Read from /proc with the site's pid files
 * (the run directory beside FPM_PID_FILE); a role whose pid file is missing or stale throws.
 */
export function siteCpu() {
  const run = dirname(process.env.FPM_PID_FILE ?? '');
  const roles = { 'php-fpm': 'php-fpm.pid', MariaDB: 'mysqld.pid', nginx: 'nginx.pid', provider: 'provider.pid' };
  const stats = new Map();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      stats.set(Number(pid), procStat(pid));
    } catch {
      // Gone since the listing.
    }
  }
  const cpu = {};
  for (const [role, file] of Object.entries(roles)) {
    const master = Number(readFileSync(`${run}/${file}`, 'utf8').trim());
    if (!stats.has(master)) throw new Error(`${role}: no process ${master} (${run}/${file})`);
    cpu[role] = [...stats].filter(([pid, s]) => pid === master || s.ppid === master).reduce((sum, [, s]) => sum + s.cpu, 0);
  }
  return cpu;
}
