// Throughput at 8 concurrent clients over nginx + php-fpm (8 static workers, bench site): the
// gateway's prompt against the plain provider's, in alternating phases (plain, gateway, gateway,
// plain, …) so drift on a shared machine falls on both sides alike. With 8 clients on this
// machine's cores the site is CPU-bound, so the run also prints the CPU time each side's requests
// cost the site's processes (php-fpm, MariaDB, nginx, the loopback provider), from /proc: the
// throughput ratio that CPU alone allows is plain's CPU per request over the gateway's.
import { timed, siteCpu } from './lib.mjs';
import { record } from '../lib/results.mjs';

const CLIENTS = 8;
const PER_PHASE = Number(process.argv[2] ?? 200);
const sides = { gateway: 'openai', plain: 'plain-openai' };

/** Requests per second of one phase: PER_PHASE requests shared by CLIENTS clients. */
async function phase(side) {
  let left = PER_PHASE;
  const client = async () => {
    while (left-- > 0) {
      const { json } = await timed(`aipuffer-bench-prompt.php?provider=${sides[side]}`);
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

let cpu = { gateway: {}, plain: {} }; // CPU seconds by role, summed over each side's phases
await phase('plain'); await phase('gateway'); // warm-up
cpu = { gateway: {}, plain: {} };
const rates = { gateway: [], plain: [] };
for (const side of ['plain', 'gateway', 'gateway', 'plain', 'plain', 'gateway']) rates[side].push(await phase(side));
// Total requests over total time, per side.
const rate = (side) => rates[side].length / rates[side].reduce((sum, r) => sum + 1 / r, 0);
console.log(`${CLIENTS} concurrent clients, ${rates.plain.length} phases of ${PER_PHASE} requests each side; requests/s`);
console.log(`plain AI Client provider   ${rate('plain').toFixed(1).padStart(8)}   (phases: ${rates.plain.map((r) => r.toFixed(0)).join(', ')})`);
console.log(`gateway                    ${rate('gateway').toFixed(1).padStart(8)}   (phases: ${rates.gateway.map((r) => r.toFixed(0)).join(', ')})`);
console.log(`gateway / plain            ${(rate('gateway') / rate('plain')).toFixed(2).padStart(8)}   (target ≥ 0.9)`);
// CPU per request, by process, summed over each side's phases.
const requests = (side) => rates[side].length * PER_PHASE;
const perRequest = (side, role) => (cpu[side][role] / requests(side)) * 1000;
const totals = Object.fromEntries(Object.keys(sides).map((side) => [side, Object.keys(cpu[side]).reduce((sum, role) => sum + perRequest(side, role), 0)]));
console.log(`CPU per request (ms), by process: ${'plain'.padStart(9)} ${'gateway'.padStart(9)} ${'difference'.padStart(11)}`);
for (const role of Object.keys(cpu.plain)) {
  console.log(`  ${role.padEnd(32)} ${perRequest('plain', role).toFixed(2).padStart(9)} ${perRequest('gateway', role).toFixed(2).padStart(9)} ${(perRequest('gateway', role) - perRequest('plain', role)).toFixed(2).padStart(11)}`);
}
console.log(`  ${'all'.padEnd(32)} ${totals.plain.toFixed(2).padStart(9)} ${totals.gateway.toFixed(2).padStart(9)} ${(totals.gateway - totals.plain).toFixed(2).padStart(11)}`);
console.log(`throughput CPU alone allows, gateway / plain: ${(totals.plain / totals.gateway).toFixed(2)}`);
record('throughput at 8 clients, gateway / plain ≥ 0.9', rate('gateway') / rate('plain'), '×', 0.9, 'higher');
