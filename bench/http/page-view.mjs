// What the plugin costs a page view that makes no AI request, side by side: front-end requests to
// the bench site with the plugin and without it (filtered out of `active_plugins` for that request
// only), interleaved on the same php-fpm workers. Each answers, at `wp_loaded`, how long WordPress
// took to load from the must-use plugins on, and how long the plugin's own start took
// (bench/php/page-view-timer.php). The difference of the loading times is everything the plugin
// adds before a theme renders: its start, registering the providers on `init`, and its hooks.
import { timed, median, p90, row } from './lib.mjs';

const N = Number(process.argv[2] ?? 300);
if (!Number.isInteger(N) || N < 1) throw new Error(`N must be a whole number of page views, at least 1 (got "${process.argv[2]}")`);
const sides = { with: 'aipuffer_page_view=1', without: 'aipuffer_page_view=1&without_plugin=1' };
const runs = { with: [], without: [] };

async function once(side) {
  const { json } = await timed(`?${sides[side]}`);
  if (typeof json.loaded_ms !== 'number') throw new Error(`${side}: ${JSON.stringify(json).slice(0, 300)}`);
  if ((side === 'with') !== (json.plugin_classes > 0)) throw new Error(`${side}: the plugin's classes loaded: ${json.plugin_classes}`);
  return json;
}

for (let i = 0; i < 20; i++) for (const side of Object.keys(sides)) await once(side); // warm workers and opcache
for (let i = 0; i < N; i++) {
  for (const side of i % 2 ? ['without', 'with'] : ['with', 'without']) runs[side].push(await once(side));
}

const loaded = (side) => runs[side].map((r) => r.loaded_ms);
const start = runs.with.map((r) => r.plugin_load_ms);
console.log(`${N} front-end page views each side, interleaved; ms from the must-use plugins to wp_loaded`);
console.log(row('', 'median', 'p90'));
console.log(row('without the plugin', median(loaded('without')), p90(loaded('without'))));
console.log(row('with the plugin', median(loaded('with')), p90(loaded('with'))));
// Each page view with the plugin against the one without it sent next to it: a slow phase of the
// machine hits both of a pair, so the pairs' median is steadier than the difference of medians.
const pairs = runs.with.map((r, i) => r.loaded_ms - runs.without[i].loaded_ms);
console.log(row('difference of the medians', median(loaded('with')) - median(loaded('without')), p90(loaded('with')) - p90(loaded('without'))));
console.log(row('what the plugin adds: median of the paired differences', median(pairs), '—'));
console.log(row('  of which its start (Plugin::load on plugins_loaded)', median(start), p90(start)));
console.log(`the plugin's classes a page view loads: ${runs.with[0].plugin_classes}`);
