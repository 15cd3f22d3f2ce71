// php-fpm worker memory with the resident engine against a worker without the plugin. Each side
// starts from fresh workers (php-fpm reloaded: SIGUSR2 to the bench site's master), serves
// REQUESTS prompts from 8 concurrent clients so every worker has served some, and then each
// worker's resident set is read from /proc/<pid>/status (VmRSS; RssAnon is the part no other
// process shares). Gateway side: the plugin active, managed prompts (engine kept per worker).
// Plain side: the plugin left out of `active_plugins` (no activation hooks run; the value is put
// back afterwards), plain-provider prompts.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { timed, median } from './lib.mjs';
import { record } from '../lib/results.mjs';

const { FPM_PID_FILE, WP_PATH } = process.env;
const REQUESTS = Number(process.argv[2] ?? 200);
const PLUGIN = 'aipuffer-connectors/aipuffer-connectors.php';
const master = () => Number(readFileSync(FPM_PID_FILE, 'utf8'));
const workers = () => execFileSync('ps', ['-o', 'pid=', '--ppid', String(master())], { encoding: 'utf8' }).split('\n').map(Number).filter(Boolean);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs PHP with WordPress loaded (as scripts/bench changes options). */
function wp(code) {
  return execFileSync('php', ['-r', `$_SERVER["HTTP_HOST"] = "localhost"; require getenv("WP_PATH") . "/wp-load.php"; ${code}`], { encoding: 'utf8', env: { ...process.env, WP_PATH } });
}

async function reload() {
  const old = new Set(workers());
  process.kill(master(), 'SIGUSR2');
  for (let i = 0; i < 200; i++) {
    await sleep(100);
    let now = [];
    try { now = workers(); } catch { continue; } // the master is re-executing itself
    if (now.length && now.every((pid) => !old.has(pid))) return;
  }
  throw new Error('php-fpm did not come back with new workers');
}

/** kB of the given /proc/<pid>/status fields. */
function status(pid) {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Object.fromEntries(['VmRSS', 'RssAnon'].map((k) => [k, Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(text)[1])]));
}

async function side(provider) {
  await reload();
  let left = REQUESTS;
  const served = new Map();
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (left-- > 0) {
      const { json } = await timed(`aipuffer-bench-prompt.php?provider=${provider}`);
      served.set(json.pid, (served.get(json.pid) ?? 0) + 1);
    }
  }));
  const pids = [...served.keys()];
  const figures = pids.map(status);
  return { workers: pids.length, rss: median(figures.map((f) => f.VmRSS)) / 1024, anon: median(figures.map((f) => f.RssAnon)) / 1024 };
}

const active = wp('echo wp_json_encode( get_option( "active_plugins" ) );');
let gateway, plain;
try {
  gateway = await side('openai');
  wp(`update_option( "active_plugins", array_values( array_diff( get_option( "active_plugins" ), array( "${PLUGIN}" ) ) ) );`);
  plain = await side('plain-openai');
} finally {
  wp(`update_option( "active_plugins", json_decode( '${active}', true ) );`);
  await reload();
}
console.log(`${REQUESTS} prompts from 8 clients per side, fresh workers; median over the workers that served them (MB)`);
console.log(`${''.padEnd(44)} ${'VmRSS'.padStart(8)} ${'RssAnon'.padStart(8)}`);
console.log(`${`without the plugin, plain prompts (${plain.workers} workers)`.padEnd(44)} ${plain.rss.toFixed(1).padStart(8)} ${plain.anon.toFixed(1).padStart(8)}`);
console.log(`${`gateway, managed prompts (${gateway.workers} workers)`.padEnd(44)} ${gateway.rss.toFixed(1).padStart(8)} ${gateway.anon.toFixed(1).padStart(8)}`);
console.log(`${'difference'.padEnd(44)} ${(gateway.rss - plain.rss).toFixed(1).padStart(8)} ${(gateway.anon - plain.anon).toFixed(1).padStart(8)}   (target ≤ 16 MB)`);
record('php-fpm worker RSS, resident engine − no plugin ≤ 16 MB', gateway.rss - plain.rss, 'MB', 16);
