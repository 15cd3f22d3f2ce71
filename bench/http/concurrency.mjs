// Throughput at 8 concurrent clients over nginx + php-fpm (8 static workers, bench site): the
// gateway's prompt against the plain provider's, in alternating phases (plain, gateway, gateway,
// plain, …) so drift on a shared machine falls on both sides alike.
import { timed } from './lib.mjs';
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
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CLIENTS }, client));
  return PER_PHASE / (Number(process.hrtime.bigint() - start) / 1e9);
}

await phase('plain'); await phase('gateway'); // warm-up
const rates = { gateway: [], plain: [] };
for (const side of ['plain', 'gateway', 'gateway', 'plain', 'plain', 'gateway']) rates[side].push(await phase(side));
// Total requests over total time, per side.
const rate = (side) => rates[side].length / rates[side].reduce((sum, r) => sum + 1 / r, 0);
console.log(`${CLIENTS} concurrent clients, ${rates.plain.length} phases of ${PER_PHASE} requests each side; requests/s`);
console.log(`plain AI Client provider   ${rate('plain').toFixed(1).padStart(8)}   (phases: ${rates.plain.map((r) => r.toFixed(0)).join(', ')})`);
console.log(`gateway                    ${rate('gateway').toFixed(1).padStart(8)}   (phases: ${rates.gateway.map((r) => r.toFixed(0)).join(', ')})`);
console.log(`gateway / plain            ${(rate('gateway') / rate('plain')).toFixed(2).padStart(8)}   (target ≥ 0.9)`);
record('throughput at 8 clients, gateway / plain ≥ 0.9', rate('gateway') / rate('plain'), '×', 0.9, 'higher');
