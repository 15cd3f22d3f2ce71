// Throughput at 8 concurrent clients over nginx + php-fpm (8 static workers, bench site): the
// gateway's prompt against the plain provider's, in alternating phases (plain, gateway, gateway,
// plain, …) so drift on a shared machine falls on both sides alike. With 8 clients on this
// machine's cores the site is CPU-bound, so the run also prints the CPU time each side's requests
// cost the site's processes (php-fpm, MariaDB, nginx, the loopback provider), from /proc: the
// throughput ratio that CPU alone allows is plain's CPU per request over the gateway's.
// A third side, `plain + SQL`, is the plain provider's prompt followed by the very statements one
// gateway prompt sent (its key's option, the pricing rules, the ledger and log transaction with
// its durable commit; kept once, sent again with a new task UUID: bench/php/replay.php). It splits
// the gateway's cost in two: what its database work alone costs a site (plain + SQL / plain), and
// what the rest — the engine and the plugin's PHP — costs on top (gateway / plain + SQL).
import { timed, siteCpu } from './lib.mjs';
import { record } from '../lib/results.mjs';

const CLIENTS = 8;
const PER_PHASE = Number(process.argv[2] ?? 200);
const sides = { plain: 'provider=plain-openai', gateway: 'provider=openai', 'plain + SQL': 'provider=plain-openai&replay=1' };

/** Requests per second of one phase: PER_PHASE requests shared by CLIENTS clients. */
async function phase(side) {
  let left = PER_PHASE;
  const client = async () => {
    while (left-- > 0) {
      const { json } = await timed(`aipuffer-bench-prompt.php?${sides[side]}`);
      if (!json.text?.startsWith('Loopback reply to:')) throw new Error(`${side}: ${JSON.stringify(json).slice(0, 300)}`);
    }
  };
  const [cpuBefore, start] = [siteCpu(), process.hrtime.bigint()];
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpuAfter = siteCpu();
  for (const role of Object.keys(cpuAfter)) cpu[side][role] = (cpu[side][role] ?? 0) + cpuAfter[role] - cpuBefore[role];
  return PER_PHASE / seconds;
}

const names = Object.keys(sides);
const fresh = () => Object.fromEntries(names.map((side) => [side, {}]));
let cpu = fresh(); // CPU seconds by role, summed over each side's phases
await phase('plain'); await phase('gateway'); // warm-up (the workers' engines and caches)
// The statements the plain + SQL side sends: those of one gateway prompt, now that workers are warm.
const { json: kept } = await timed('aipuffer-bench-prompt.php?provider=openai&capture=1');
if (!Array.isArray(kept.kept)) throw new Error(`keeping the gateway's statements: ${JSON.stringify(kept).slice(0, 300)}`);
await phase('plain + SQL');
cpu = fresh();
const rates = Object.fromEntries(names.map((side) => [side, []]));
// Each side in every position of the order, so drift falls on all alike.
for (const order of [[0, 1, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0], [0, 2, 1], [1, 0, 2]]) for (const i of order) rates[names[i]].push(await phase(names[i]));
// Total requests over total time, per side.
const rate = (side) => rates[side].length / rates[side].reduce((sum, r) => sum + 1 / r, 0);
console.log(`${CLIENTS} concurrent clients, ${rates.plain.length} phases of ${PER_PHASE} requests each side; requests/s`);
console.log(`plain + SQL sends the gateway's ${kept.kept.length} statements after the plain prompt: ${kept.kept.join(', ')}`);
for (const side of names) console.log(`${side.padEnd(26)} ${rate(side).toFixed(1).padStart(8)}   (phases: ${rates[side].map((r) => r.toFixed(0)).join(', ')})`);
console.log(`gateway / plain            ${(rate('gateway') / rate('plain')).toFixed(2).padStart(8)}   (target ≥ 0.9)`);
console.log(`  plain + SQL / plain      ${(rate('plain + SQL') / rate('plain')).toFixed(2).padStart(8)}   (the gateway's statements alone)`);
console.log(`  gateway / plain + SQL    ${(rate('gateway') / rate('plain + SQL')).toFixed(2).padStart(8)}   (the engine and the plugin's PHP)`);
// CPU per request, by process, summed over each side's phases.
const requests = (side) => rates[side].length * PER_PHASE;
const perRequest = (side, role) => (cpu[side][role] / requests(side)) * 1000;
const totals = Object.fromEntries(names.map((side) => [side, Object.keys(cpu[side]).reduce((sum, role) => sum + perRequest(side, role), 0)]));
const columns = (figures) => figures.map((f) => f.toFixed(2).padStart(12)).join('');
console.log(`CPU per request (ms), by process:  ${names.map((side) => side.padStart(12)).join('')} ${'gw − plain'.padStart(11)} ${'SQL − plain'.padStart(11)}`);
for (const role of [...Object.keys(cpu.plain), 'all']) {
  const of = (side) => (role === 'all' ? totals[side] : perRequest(side, role));
  console.log(`  ${role.padEnd(32)}${columns(names.map(of))}${columns([of('gateway') - of('plain'), of('plain + SQL') - of('plain')])}`);
}
console.log(`throughput CPU alone allows, gateway / plain: ${(totals.plain / totals.gateway).toFixed(2)}; plain + SQL / plain: ${(totals.plain / totals['plain + SQL']).toFixed(2)}`);
record('throughput at 8 clients, gateway / plain ≥ 0.9', rate('gateway') / rate('plain'), '×', 0.9, 'higher');
