// Gateway overhead per request, measured side by side in one run on one site: the same prompt
// through the gateway (provider `openai` = "OpenAI via AI Puffer", with its ledger and log
// transaction) and through a plain AI Client provider (`plain-openai`, the SDK's own
// OpenAI-compatible code), both answered by the same loopback provider with the same wire format,
// requests interleaved one at a time, each pair followed by one commit-floor request. Per request
// the bench endpoint reports, besides the wall time seen here (over HTTP: nginx + php-fpm):
// - the wp_ai_client_prompt() call timed inside PHP, and the CPU time the worker spent in it
//   (bench/php/prompt-endpoint.php): where CPU ≈ wall time, the overhead is work, not waiting;
// - the gateway's transaction, START TRANSACTION through COMMIT, and each statement in it, and the
//   statements the prompt sent outside any transaction (bench/php/db.php);
// - the provider HTTP call, and the arguments it was sent with (bench/php/http-timer.php);
// and the commit-floor request (bench/php/commit-floor-endpoint.php) an empty and a one-row
// transaction's COMMIT. The target's "one durable commit" is the one-row COMMIT: an empty one has
// nothing to flush, so it is only the round trip. The same request times one round trip
// (`SELECT 1`) right after another statement and after 2 ms of PHP work, wall and CPU: what each
// of the gateway's statements costs on this machine beyond what it asks of the database.
// A third side, `debited`, is the gateway again as a logged-in user with a balance
// (BENCH_USER_ID) and a prompt that is not ASCII: the path most managed sites take, where the
// transaction also locks the user and writes the debit, and the log holds non-ASCII text.
import { timed, median, p90, row } from './lib.mjs';
import { record } from '../lib/results.mjs';

const N = Number(process.argv[2] ?? 300);
const { BENCH_USER_ID } = process.env;
if (!BENCH_USER_ID) throw new Error('BENCH_USER_ID is required (scripts/bench sets it)');
const DEBITED_PROMPT = 'Écris un haïku sur la mer, s’il te plaît';
const sides = {
  gateway: 'provider=openai',
  plain: 'provider=plain-openai',
  debited: `provider=openai&user=${BENCH_USER_ID}&prompt=${encodeURIComponent(DEBITED_PROMPT)}`,
};
const runs = { gateway: [], plain: [], debited: [] };
const floors = [];

async function once(side) {
  const { ms, json } = await timed(`aipuffer-bench-prompt.php?${sides[side]}`);
  if (!json.text?.startsWith('Loopback reply to:')) throw new Error(`${side}: ${JSON.stringify(json).slice(0, 300)}`);
  if (side !== 'plain' && json.transactions.length !== 1) throw new Error(`${side}: expected one transaction, saw ${JSON.stringify(json.transactions)}`);
  return { wall: ms, ...json };
}

for (let i = 0; i < 20; i++) for (const side of Object.keys(sides)) await once(side); // warm php-fpm workers and opcache
for (let i = 0; i < N; i++) {
  const order = [['plain', 'gateway', 'debited'], ['gateway', 'debited', 'plain'], ['debited', 'plain', 'gateway']][i % 3];
  for (const side of order) runs[side].push(await once(side));
  floors.push((await timed('aipuffer-bench-commit-floor.php')).json);
}

const of = (side, pick) => runs[side].map(pick);
const stats = (xs) => [median(xs), p90(xs)];
const httpMs = { gateway: of('gateway', (r) => r.wall), plain: of('plain', (r) => r.wall) };
const phpMs = { gateway: of('gateway', (r) => r.prompt_ms), plain: of('plain', (r) => r.prompt_ms) };
const cpuMs = { gateway: of('gateway', (r) => r.prompt_cpu_ms), plain: of('plain', (r) => r.prompt_cpu_ms), debited: of('debited', (r) => r.prompt_cpu_ms) };
const tx = of('gateway', (r) => r.transactions[0].ms);
const txSql = of('gateway', (r) => r.transactions[0].sql_ms);
// The gateway's prompt with its own transaction taken out, request by request.
const withoutTx = of('gateway', (r) => r.prompt_ms - r.transactions[0].ms);
const provider = { gateway: of('gateway', (r) => r.http[0].ms), plain: of('plain', (r) => r.http[0].ms) };
const transport = { gateway: of('gateway', (r) => r.http[0].transport_ms), plain: of('plain', (r) => r.http[0].transport_ms) };
const emptyCommit = floors.map((f) => f.empty_commit_ms);
const durableCommit = floors.map((f) => f.durable_commit_ms);
const diff = (a, b) => [median(a) - median(b), p90(a) - p90(b)];
// The statements a side's prompt sent outside any transaction, per request: label → ms (summed).
const outside = (side) => runs[side].map((r) => r.outside.reduce((m, [label, ms]) => m.set(label, (m.get(label) ?? 0) + ms), new Map()));
const usual = (maps) => new Set([...new Set(maps.flatMap((m) => [...m.keys()]))].filter((label) => maps.filter((m) => m.has(label)).length * 2 >= maps.length));
const [gatewayOutside, plainOutside] = [outside('gateway'), outside('plain')];
const plainUsual = usual(plainOutside);
// The gateway's own: what most of its prompts sent and most plain prompts did not.
const ownLabels = [...usual(gatewayOutside)].filter((label) => !plainUsual.has(label));
const ownSql = gatewayOutside.map((m) => ownLabels.reduce((sum, label) => sum + (m.get(label) ?? 0), 0));
const withoutTxOrOwnSql = withoutTx.map((ms, i) => ms - ownSql[i]);

console.log(`${N} requests each, interleaved, + ${N} commit-floor requests; ms`);
console.log(row('', 'median', 'p90'));
console.log(row('over HTTP: plain AI Client provider', ...stats(httpMs.plain)));
console.log(row('over HTTP: gateway (OpenAI via AI Puffer)', ...stats(httpMs.gateway)));
console.log(row('over HTTP: gateway overhead (difference)', ...diff(httpMs.gateway, httpMs.plain)));
console.log(row('in PHP, wp_ai_client_prompt(): plain', ...stats(phpMs.plain)));
console.log(row('in PHP, wp_ai_client_prompt(): gateway', ...stats(phpMs.gateway)));
console.log(row('in PHP: gateway overhead (difference)', ...diff(phpMs.gateway, phpMs.plain)));
console.log(row('CPU in PHP, wp_ai_client_prompt(): plain', ...stats(cpuMs.plain)));
console.log(row('CPU in PHP, wp_ai_client_prompt(): gateway', ...stats(cpuMs.gateway)));
console.log(row('CPU in PHP: gateway overhead (difference)', ...diff(cpuMs.gateway, cpuMs.plain)));
console.log(row(`gateway transaction, START → COMMIT (${runs.gateway[0].transactions[0].statements} statements)`, ...stats(tx)));
console.log(row('  of which in its SQL statements', ...stats(txSql)));
runs.gateway[0].transactions[0].each.forEach(([label], i) => console.log(row(`    ${label}`, ...stats(of('gateway', (r) => r.transactions[0].each[i]?.[1] ?? NaN)))));
console.log(row('  of which in PHP between them (engine, price list, JSON)', ...stats(of('gateway', (r) => r.transactions[0].ms - r.transactions[0].sql_ms))));
console.log(row('commit floor: an empty transaction\'s COMMIT', ...stats(emptyCommit)));
console.log(row('commit floor: a one-row transaction\'s COMMIT (durable)', ...stats(durableCommit)));
console.log(row('round trip (SELECT 1) right after a statement', ...stats(floors.map((f) => f.round_trip.hot.ms))));
console.log(row('  CPU in PHP', ...stats(floors.map((f) => f.round_trip.hot.cpu_ms))));
console.log(row('round trip (SELECT 1) after 2 ms of PHP work', ...stats(floors.map((f) => f.round_trip.after_work.ms))));
console.log(row('  CPU in PHP', ...stats(floors.map((f) => f.round_trip.after_work.cpu_ms))));
console.log(row('in PHP: gateway without its transaction − plain', ...diff(withoutTx, phpMs.plain)));
console.log(row(`  of which its own statements outside the transaction (${ownLabels.length})`, ...stats(ownSql)));
for (const label of ownLabels) console.log(row(`    ${label}`, ...stats(gatewayOutside.map((m) => m.get(label) ?? 0))));
console.log(row('  the rest: engine, PHP, HTTP differences', ...diff(withoutTxOrOwnSql, phpMs.plain)));
console.log(row('over HTTP: gateway overhead − transaction', median(httpMs.gateway) - median(httpMs.plain) - median(tx), p90(httpMs.gateway) - p90(httpMs.plain) - p90(tx)));
console.log(row('transaction − durable commit floor', ...diff(tx, durableCommit)));
console.log(row('provider HTTP call, WP_Http::request(): plain', ...stats(provider.plain)));
console.log(row('provider HTTP call, WP_Http::request(): gateway', ...stats(provider.gateway)));
console.log(row('  transport alone (Requests): plain', ...stats(transport.plain)));
console.log(row('  transport alone (Requests): gateway', ...stats(transport.gateway)));
console.log(row('provider HTTP call gateway / plain (medians)', median(provider.gateway) / median(provider.plain), ''));
// The debited user's path, against the same plain requests.
const debitedMs = of('debited', (r) => r.prompt_ms);
const debitedTx = of('debited', (r) => r.transactions[0].ms);
const debitedWithoutTx = of('debited', (r) => r.prompt_ms - r.transactions[0].ms);
console.log(`as a debited user, prompt "${DEBITED_PROMPT}"; ms`);
console.log(row('in PHP, wp_ai_client_prompt(): gateway, debited user', ...stats(debitedMs)));
console.log(row('in PHP: gateway overhead (difference)', ...diff(debitedMs, phpMs.plain)));
console.log(row('CPU in PHP: gateway overhead (difference)', ...diff(cpuMs.debited, cpuMs.plain)));
console.log(row(`gateway transaction, START → COMMIT (${runs.debited[0].transactions[0].statements} statements)`, ...stats(debitedTx)));
runs.debited[0].transactions[0].each.forEach(([label], i) => console.log(row(`    ${label}`, ...stats(of('debited', (r) => r.transactions[0].each[i]?.[1] ?? NaN)))));
console.log(row('  of which in PHP between them (engine, price list, JSON)', ...stats(of('debited', (r) => r.transactions[0].ms - r.transactions[0].sql_ms))));
console.log(row('in PHP: gateway without its transaction − plain', ...diff(debitedWithoutTx, phpMs.plain)));
console.log(row('transaction − durable commit floor', ...diff(debitedTx, durableCommit)));
const rolledBack = Math.max(...runs.gateway.map((r) => r.rolled_back), ...runs.debited.map((r) => r.rolled_back));
if (rolledBack) console.log(`(a gateway request rolled back ${rolledBack} transaction(s): retries)`);

// What the two provider calls were sent with, where they differ (the key is masked).
const [ga, pa] = [runs.gateway[0].http[0], runs.plain[0].http[0]];
const flat = (o, prefix = '') => Object.entries(o ?? {}).flatMap(([k, v]) => (v && typeof v === 'object' && !Array.isArray(v) ? flat(v, `${prefix}${k}.`) : [[`${prefix}${k}`, JSON.stringify(v)]]));
const [gm, pm] = [new Map(flat(ga.args)), new Map(flat(pa.args))];
const differing = [...new Set([...gm.keys(), ...pm.keys()])].filter((k) => gm.get(k) !== pm.get(k)).sort();
console.log(differing.length ? 'provider call arguments that differ (gateway | plain):' : 'provider call arguments: the same on both sides');
for (const k of differing) console.log(`  ${k.padEnd(32)} ${gm.get(k) ?? '—'} | ${pm.get(k) ?? '—'}`);
console.log(`  response bytes                   ${ga.response_bytes} | ${pa.response_bytes}`);

record('gateway overhead w/o transaction, in PHP, median ≤ 0.3 ms', median(withoutTx) - median(phpMs.plain), 'ms', 0.3);
record('gateway overhead w/o transaction, in PHP, p90 ≤ 0.3 ms', p90(withoutTx) - p90(phpMs.plain), 'ms', 0.3);
record('gateway overhead − transaction, over HTTP, median ≤ 0.3 ms', median(httpMs.gateway) - median(httpMs.plain) - median(tx), 'ms', 0.3);
record('gateway overhead − transaction, over HTTP, p90 ≤ 0.3 ms', p90(httpMs.gateway) - p90(httpMs.plain) - p90(tx), 'ms', 0.3);
record('transaction − durable commit floor, median ≤ 0.2 ms', median(tx) - median(durableCommit), 'ms', 0.2);
record('debited user: overhead w/o transaction, in PHP, median ≤ 0.3 ms', median(debitedWithoutTx) - median(phpMs.plain), 'ms', 0.3);
record('debited user: transaction − durable commit floor ≤ 0.2 ms', median(debitedTx) - median(durableCommit), 'ms', 0.2);
record('provider HTTP call, gateway / plain (medians) ≤ 1', median(provider.gateway) / median(provider.plain), '×', 1);
