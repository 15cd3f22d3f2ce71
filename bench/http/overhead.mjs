// Whole-gateway overhead per request, measured side by side in one run on one site: the same
// prompt through the gateway (provider `openai` = "OpenAI via AI Puffer", with its ledger and log
// writes) and through a plain AI Client provider (`plain-openai`, the SDK's own OpenAI-compatible
// code), both answered by the same loopback provider, requests interleaved one at a time.
const { WP_URL } = process.env;
if (!WP_URL) throw new Error('WP_URL is required (scripts/bench sets it)');
const N = Number(process.argv[2] ?? 300);

async function once(provider) {
  const start = process.hrtime.bigint();
  const response = await fetch(`${WP_URL}/aipuffer-bench-prompt.php?provider=${provider}`);
  const body = await response.text();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (!body.startsWith('Loopback reply to:')) throw new Error(`${provider}: ${body.slice(0, 300)}`);
  return ms;
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

for (let i = 0; i < 20; i++) { await once('openai'); await once('plain-openai'); } // warm php-fpm workers and opcache
const gateway = [], plain = [];
for (let i = 0; i < N; i++) {
  if (i % 2) { gateway.push(await once('openai')); plain.push(await once('plain-openai')); }
  else { plain.push(await once('plain-openai')); gateway.push(await once('openai')); }
}
console.log(`HTTP through nginx + php-fpm, ${N} requests each, interleaved`);
console.log(`plain AI Client provider (median)            ${median(plain).toFixed(2).padStart(8)} ms`);
console.log(`gateway, OpenAI via AI Puffer (median)       ${median(gateway).toFixed(2).padStart(8)} ms`);
console.log(`gateway overhead (difference of medians)     ${(median(gateway) - median(plain)).toFixed(2).padStart(8)} ms`);
