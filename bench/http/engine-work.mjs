// Engine work per managed request inside php-fpm (bench/php/engine-endpoint.php): a new Engine
// on this worker's resident wasmtime handles and kept store and instance, the three calls of a
// prompt with their JSON, the teardown — timed in PHP. Requests go one at a time, so the figure is
// a worker's own cost, not a queue's.
import { timed, median, p90, row } from './lib.mjs';
import { record } from '../lib/results.mjs';

const N = Number(process.argv[2] ?? 300);
for (let i = 0; i < 20; i++) await timed('aipuffer-bench-engine.php'); // every worker loads its handles once
const runs = [];
for (let i = 0; i < N; i++) runs.push((await timed('aipuffer-bench-engine.php')).json);

const statuses = [...new Set(runs.map((r) => r.cache_status))];
if (statuses.join() !== 'resident') throw new Error(`the engine should come from the worker's resident handles, saw cache status ${statuses.join(', ')}`);
const us = runs.map((r) => r.engine_us);
const kept = runs.filter((r) => r.instance === 'kept').length;
console.log(`${N} requests, ${new Set(runs.map((r) => r.pid)).size} php-fpm workers, engine handles resident, ${kept} on the worker's kept store and instance; µs`);
console.log(row('', 'median', 'p90'));
console.log(row('new Engine + store + start + outcome + locked (JSON incl.)', median(us), p90(us)));
const steps = ['  start (+ the worker\'s handles and its kept store, or a new one)', '  resume with the provider\'s outcome', '  resume with the locked balance'];
steps.forEach((label, i) => console.log(row(label, ...[median, p90].map((f) => f(runs.map((r) => r.steps_us[i]))))));
console.log(row('  teardown (the store)', ...[median, p90].map((f) => f(runs.map((r) => r.teardown_us)))));
record('engine work per managed request, php-fpm, median ≤ 0.1 ms', median(us) / 1000, 'ms', 0.1);
