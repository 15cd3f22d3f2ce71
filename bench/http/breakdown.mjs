// Where the gateway's time goes inside PHP, side by side with the plain AI Client provider: the
// same prompts as bench/http/overhead.mjs, interleaved, each sampled by the excimer extension in
// php-fpm (wall clock, bench/php/prompt-endpoint.php `?profile=1`). Every sample's call stack is
// put in one place — the engine, the round trips of SQL statements, wpdb's own PHP around them,
// the provider call's transport, the rest of the WordPress HTTP API — or else under whoever owns
// its deepest frame: the plugin, the AI Client SDK, or WordPress and PHP. The figures are means
// per prompt (samples × period / prompts): a sample says where a prompt was, not how long one
// step took, so they explain the overhead's parts, not its median. What both sides run once per
// request (autoloading a class, code not yet in the caches) is counted where it first runs: a
// place can cost one side more only because the other side paid that earlier, elsewhere. Samples
// count wall time, so a place also holds the time the worker waited there for a CPU.
import { timed, median, row } from './lib.mjs';

const N = Number(process.argv[2] ?? 150);
if (!Number.isInteger(N) || N < 1) throw new Error(`N must be a whole number of prompts, at least 1 (got "${process.argv[2]}")`);
const sides = { plain: 'provider=plain-openai', gateway: 'provider=openai' };

// A stack goes to the first of these that one of its frames matches.
const PLACES = [
  ['the engine (wasmtime through FFI)', (f) => f.startsWith('AIPuffer\\Connectors\\Runtime\\')],
  ['SQL statements: round trips (wpdb::_do_query)', (f) => f === 'wpdb::_do_query'],
  ['SQL statements: wpdb in PHP (prepare, filters, results)', (f) => f.startsWith('wpdb::')],
  ['provider call: transport (Requests, cURL)', (f) => f.startsWith('WpOrg\\Requests\\Transport\\')],
  ['provider call: the rest of the WordPress HTTP API', (f) => f === 'WP_Http::request'],
];
const isPlugin = (f) => f.startsWith('AIPuffer\\') || f.includes('/plugins/aipuffer-connectors/');
const isSdk = (f) => f.startsWith('WordPress\\AiClient\\') || f.startsWith('WP_AI_Client');
const OWNERS = [
  ['the plugin\'s PHP', isPlugin],
  ['the AI Client SDK', isSdk],
];
const REST = 'WordPress and PHP, the rest';

/** A plugin frame's class, or its closure's file and line, without the site's path. */
const pluginPart = (frame) => frame.split('::')[0].replace(/^AIPuffer\\Connectors\\/, '').replace(/\/.*\/plugins\/aipuffer-connectors\//, '');

/** Where one stack's samples go, and for the plugin's own PHP, its deepest class. */
function place(frames) {
  for (const [name, match] of PLACES) if (frames.some(match)) return [name, null];
  for (let i = frames.length - 1; i >= 0; i--) {
    const owner = OWNERS.find(([, match]) => match(frames[i]));
    if (owner) return [owner[0], owner[0] === OWNERS[0][0] ? pluginPart(frames[i]) : null];
  }
  return [REST, null];
}

const totals = { plain: new Map(), gateway: new Map() };
const pluginClasses = new Map();
const promptMs = { plain: [], gateway: [] };
let sampleMs;

async function once(side) {
  const { json } = await timed(`aipuffer-bench-prompt.php?${sides[side]}&profile=1`);
  if (!json.text?.startsWith('Loopback reply to:')) throw new Error(`${side}: ${JSON.stringify(json).slice(0, 300)}`);
  if (typeof json.samples !== 'string') throw new Error(`${side}: no samples in the answer`);
  return json;
}

for (let i = 0; i < 10; i++) for (const side of Object.keys(sides)) await once(side); // warm workers and opcache
for (let i = 0; i < N; i++) {
  for (const side of i % 2 ? ['gateway', 'plain'] : ['plain', 'gateway']) {
    const json = await once(side);
    promptMs[side].push(json.prompt_ms);
    sampleMs = json.sample_ms;
    for (const line of json.samples.split('\n')) {
      const at = line.lastIndexOf(' ');
      if (at < 0) continue;
      const ms = Number(line.slice(at + 1)) * json.sample_ms;
      const [name, cls] = place(line.slice(0, at).split(';').filter(Boolean));
      totals[side].set(name, (totals[side].get(name) ?? 0) + ms);
      if (side === 'gateway' && cls) pluginClasses.set(cls, (pluginClasses.get(cls) ?? 0) + ms);
    }
  }
}

const mean = (side, name) => (totals[side].get(name) ?? 0) / N;
const sum = (side) => [...totals[side].values()].reduce((a, b) => a + b, 0) / N;
console.log(`${N} prompts each side, interleaved, sampled every ${sampleMs} ms (wall clock); ms per prompt, means`);
console.log(row('', 'plain', 'gateway', 'difference'));
for (const name of [...PLACES.map(([n]) => n), ...OWNERS.map(([n]) => n), REST]) {
  console.log(row(name, mean('plain', name), mean('gateway', name), mean('gateway', name) - mean('plain', name)));
}
console.log(row('all samples', sum('plain'), sum('gateway'), sum('gateway') - sum('plain')));
console.log(row('wp_ai_client_prompt() as timed, profiled (median)', median(promptMs.plain), median(promptMs.gateway), median(promptMs.gateway) - median(promptMs.plain)));
console.log('the plugin\'s PHP by its deepest class (gateway), ms per prompt:');
for (const [cls, ms] of [...pluginClasses].sort((a, b) => b[1] - a[1]).slice(0, 10)) console.log(row(`  ${cls}`, ms / N));
