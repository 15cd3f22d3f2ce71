// Node: what the number of pricing rules costs the engine. A prompt never carries the rules table:
// its recording transaction reads only the rows whose module, provider, model and operation are the
// call's (an indexed read: bench/php/pricing-rules.php measures it against the table's size), and
// the engine picks the rule among those. So the engine's curve is over rows that all match the call
// (the worst case: every rule a scope or an older edit of the same one), 1 → 10,000, each decided
// at the recording step (resume with the locked balance and the rules).
import { engine, vector as readVector, micros, growth, advance, pad } from './lib.mjs';

const vector = readVector('openai-chat-completions-user-debit');
const site = engine.prepare(vector.stored).site;
const startText = JSON.stringify({ site, ...vector.start });
const [outcomes, locked] = [vector.steps[0].resume.outcomes, vector.steps[1].resume.locked];
const recordState = advance({ state: advance(startText).state, outcomes }).state;

/** `n` rules for the call's columns, as SQL returns them (every value a string), the newest last. */
function rules(n) {
  return Array.from({ length: n }, (_, i) => ({
    id: String(i + 1), scope_type: i % 2 ? 'module' : 'global', scope_id: '0', module: 'chat', provider: 'openai',
    model: 'gpt-4.1-mini', operation: 'chat', billing_method: 'per_1k_tokens', input_rate: '1.500000',
    output_rate: '6.000000', unit_rate: null, enabled: '1', updated_at: `2026-01-01 ${[i / 3600, (i / 60) % 60, i % 60].map((v) => String(Math.floor(v)).padStart(2, '0')).join(':')}`,
  }));
}

console.log(`Node ${process.version}, engine ${engine.version()}; the recording step with n pricing rules that all match the call`);
console.log(`${pad('rules', 8)} ${pad('record step µs', 15)} ${pad('µs/rule', 8)}  rule used`);
const points = [];
for (const n of [1, 10, 100, 1000, 10000]) {
  const input = JSON.stringify({ state: recordState, locked: locked.map((l) => (l.id === 'pricing_rules' ? { ...l, value: rules(n) } : l)) });
  const write = advance(input);
  if (write.step !== 'write') throw new Error(`unexpected step ${write.step}`);
  const used = /resolved_rule_id\W+(\d+)/.exec(JSON.stringify(write))?.[1] ?? '?';
  const us = micros(() => advance(input));
  points.push([n, () => advance(input)]);
  console.log(`${pad(n, 8)} ${pad(us.toFixed(1), 15)} ${pad((us / n).toFixed(3), 8)}  ${used}`);
}
console.log(`growth 1,000 → 10,000 matching rules (cost ∝ n^k, side by side): k = ${growth(...points.slice(-2)).toFixed(2)} (linear in the rows SQL returns; see the SQL curve for the table's size)`);
