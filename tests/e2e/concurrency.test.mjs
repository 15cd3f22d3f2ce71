// Money under concurrency, end to end over nginx + php-fpm: many clients send
// wp_ai_client_prompt() requests at once as logged-in users (real login cookies) and guests.
// Every request must get its answer, every answer exactly one ledger entry and one log, and
// each user's balance must move by exactly what the ledger says and what the answers cost.
// A last run puts back the bug this guards against — the balance read through WordPress's
// per-request cache instead of under lock — and checks that these same checks catch it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { requireSite, sql, php, servePhp, getJson } from './site.mjs';

const CLIENTS = Number(process.env.AIPUFFER_E2E_CLIENTS ?? 8);
const REQUESTS = Number(process.env.AIPUFFER_E2E_REQUESTS ?? 100);

// A plugin's code, unaware of AI Puffer Connectors. With `stale=1` (the last test only) the
// gateway's locked balance read is answered from the per-request cache as it stood when the
// request began — what the gateway did before reads moved under a lock.
const CALLER = `<?php
require __DIR__ . '/wp-load.php';
if ( ! empty( $_GET['stale'] ) && get_current_user_id() ) {
  $stale = (string) get_user_meta( get_current_user_id(), '_aipkit_token_balance', true );
  add_filter( 'query', static fn ( $q ) => ( false !== strpos( $q, "meta_key = '_aipkit_token_balance'" ) && false !== strpos( $q, 'FOR UPDATE' ) && 0 === strpos( $q, 'SELECT u.ID, m.umeta_id, m.meta_value ' ) )
    ? str_replace( 'SELECT u.ID, m.umeta_id, m.meta_value ', "SELECT u.ID, m.umeta_id, '" . esc_sql( $stale ) . "' AS meta_value ", $q ) : $q );
}
// With \`deadlock=1\`, the first conversation-log insert is the victim of a deadlock: the whole
// recording transaction must be redone.
$deadlocked = false;
if ( ! empty( $_GET['deadlock'] ) ) {
  add_filter( 'query', static function ( $q ) use ( &$deadlocked ) {
    if ( ! $deadlocked && false !== strpos( $q, 'aipkit_chat_logs' ) && 0 === strpos( ltrim( $q ), 'INSERT' ) ) {
      $deadlocked = true;
      return "SIGNAL SQLSTATE '40001' SET MYSQL_ERRNO = 1213, MESSAGE_TEXT = 'Deadlock found when trying to get lock; try restarting transaction'";
    }
    return $q;
  } );
}
$result = wp_ai_client_prompt( (string) ( $_GET['prompt'] ?? '' ) )->generate_text_result();
header( 'Content-Type: application/json' );
echo wp_json_encode( is_wp_error( $result )
  ? array( 'error' => $result->get_error_code(), 'message' => $result->get_error_message(), 'user' => get_current_user_id() )
  : array( 'id' => $result->getId(), 'total' => $result->getTokenUsage()->getTotalTokens(), 'input' => $result->getTokenUsage()->getPromptTokens(), 'output' => $result->getTokenUsage()->getCompletionTokens(), 'user' => get_current_user_id(), 'deadlocked' => $deadlocked ) );
`;

let caller;

before(() => {
  requireSite();
  caller = servePhp('aipuffer-e2e-concurrency.php', CALLER);
});
after(() => caller?.remove());

/** A new user with a credit balance, and a real logged-in cookie for them. */
function userWithBalance(balance) {
  return php(`
    $id = wp_insert_user( array( 'user_login' => 'load-' . wp_generate_password( 10, false ), 'user_pass' => wp_generate_password(), 'role' => 'subscriber' ) );
    update_user_meta( $id, '_aipkit_token_balance', '${balance}' );
    return array( 'id' => $id, 'cookie' => LOGGED_IN_COOKIE . '=' . rawurlencode( wp_generate_auth_cookie( $id, time() + 3600, 'logged_in' ) ) );
  `);
}

const balanceOf = (userId) => Number(sql(`SELECT meta_value FROM wp_usermeta WHERE user_id = ${userId} AND meta_key = '_aipkit_token_balance'`));

/** `clients` concurrent clients, each sending `requests` prompts one after the other. */
async function load({ clients, requests, actorOf, params = {}, paramsOf = () => ({}) }) {
  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      const actor = actorOf(client);
      const answers = [];
      for (let i = 0; i < requests; i++) {
        const answer = await getJson(caller.url, { prompt: `Client ${client} prompt ${i}`, ...params, ...paramsOf(i) }, actor?.cookie);
        answers.push({ ...answer, actor });
      }
      return answers;
    }),
  );
  return { answers: results.flat(), seconds: (performance.now() - started) / 1000 };
}

/** What the database says about a set of answers. */
function recorded(answers) {
  const ids = answers.filter((a) => a.id).map((a) => `'wp-ai-client-${a.id}'`).join(',') || "''";
  const uuids = answers.filter((a) => a.id).map((a) => `'${a.id}'`).join(',') || "''";
  const [entries, keys, credits] = sql(`SELECT COUNT(*), COUNT(DISTINCT idempotency_key), COALESCE(SUM(credits_delta), 0) FROM wp_aipkit_token_ledger WHERE idempotency_key IN (${ids})`).split('\t').map(Number);
  const logs = Number(sql(`SELECT COUNT(*) FROM wp_aipkit_chat_logs WHERE module = 'wp_ai_client' AND conversation_uuid IN (${uuids})`));
  return { entries, keys, credits, logs };
}

function creditsOf(answers, userId) {
  const ids = answers.filter((a) => a.id && a.user === userId).map((a) => `'wp-ai-client-${a.id}'`).join(',') || "''";
  return Number(sql(`SELECT COALESCE(SUM(credits_delta), 0) FROM wp_aipkit_token_ledger WHERE idempotency_key IN (${ids}) AND user_id = ${userId}`));
}

test(`${CLIENTS} clients × ${REQUESTS} requests as one logged-in user: nothing lost, nothing charged twice`, async (t) => {
  const user = userWithBalance(1_000_000);
  const before = balanceOf(user.id);

  const { answers, seconds } = await load({ clients: CLIENTS, requests: REQUESTS, actorOf: () => user });

  const failed = answers.filter((a) => !a.id);
  assert.deepEqual(failed.slice(0, 3), [], `${failed.length} of ${answers.length} requests failed`);
  assert.ok(answers.every((a) => a.user === user.id), 'every request ran as the logged-in user');
  const expected = answers.reduce((sum, a) => sum + a.total, 0);
  const db = recorded(answers);
  const after = balanceOf(user.id);
  t.diagnostic(
    `one user: ${answers.length} requests in ${seconds.toFixed(1)} s (${(answers.length / seconds).toFixed(0)}/s); ` +
      `balance ${before} → ${after} (−${before - after}); Σ ledger credits_delta ${db.credits}; Σ expected charges ${expected}; ` +
      `ledger entries ${db.entries} (distinct keys ${db.keys}); logs ${db.logs}`,
  );
  assert.equal(db.entries, answers.length, 'one ledger entry per request');
  assert.equal(db.keys, answers.length, 'no idempotency key twice');
  assert.equal(db.logs, answers.length, 'one conversation log per request');
  assert.equal(before - after, -db.credits, 'the balance moved by what the ledger says');
  assert.equal(-db.credits, expected, 'and by what the answers cost');
});

test(`${CLIENTS} clients × ${REQUESTS / 2} requests mixing three users and guests`, async (t) => {
  const users = [userWithBalance(500_000), userWithBalance(500_000), userWithBalance(300)];
  const before = users.map((u) => balanceOf(u.id));

  // Clients 0–5 share three users two by two; 6 and 7 are guests. The third user runs dry.
  const { answers, seconds } = await load({ clients: CLIENTS, requests: REQUESTS / 2, actorOf: (c) => (c < 6 ? users[c % 3] : null) });

  const failed = answers.filter((a) => !a.id);
  assert.deepEqual(failed.slice(0, 3), [], `${failed.length} of ${answers.length} requests failed`);
  const db = recorded(answers);
  const lines = [`mixed: ${answers.length} requests in ${seconds.toFixed(1)} s; ledger entries ${db.entries}, logs ${db.logs}`];
  assert.equal(db.entries, answers.length);
  assert.equal(db.keys, answers.length);
  assert.equal(db.logs, answers.length);
  users.forEach((user, i) => {
    const after = balanceOf(user.id);
    const credits = creditsOf(answers, user.id);
    const cost = answers.filter((a) => a.user === user.id).reduce((sum, a) => sum + a.total, 0);
    lines.push(`user ${i + 1}: balance ${before[i]} → ${after}, Σ credits_delta ${credits}, Σ charges ${cost}`);
    assert.equal(before[i] - after, -credits, `user ${i + 1}: the balance moved by what the ledger says`);
    // A balance pays what it can and never goes below zero (AI Puffer's rule).
    assert.equal(-credits, Math.min(cost, before[i]), `user ${i + 1}: by what the answers cost, as far as the balance went`);
  });
  const guests = Number(sql(`SELECT COUNT(*) FROM wp_aipkit_token_ledger WHERE actor_type = 'guest' AND credits_delta = 0 AND idempotency_key IN (${answers.filter((a) => a.user === 0).map((a) => `'wp-ai-client-${a.id}'`).join(',')})`));
  lines.push(`guests: ${guests} entries, nothing debited`);
  t.diagnostic(lines.join('; '));
  assert.equal(guests, answers.filter((a) => a.user === 0).length);
  assert.equal(balanceOf(users[2].id), 0, 'the small balance ran dry, not below zero');
});

const PRICED_REQUESTS = Number(process.env.AIPUFFER_E2E_PRICED_REQUESTS ?? 200);

test(`${CLIENTS} clients × ${PRICED_REQUESTS} requests priced by a rule, with provider failures and deadlocked writes`, async (t) => {
  // 1 credit per input token and 3 per output token (per-1K rates 1000 and 3000).
  const rule = php(`
    return AIPuffer\\Connectors\\Storage\\Pricing_Rules::save( array( 'scope_type' => 'module', 'module' => 'chat', 'provider' => 'openai', 'model' => 'gpt-4.1-mini', 'billing_method' => 'per_1k_tokens', 'input_rate' => '1000', 'output_rate' => '3000', 'unit_rate' => null, 'enabled' => true ) );
  `);
  try {
    const users = [userWithBalance(10_000_000), userWithBalance(10_000_000)];
    const before = users.map((u) => balanceOf(u.id));
    // Clients 0–3 are the first user, 4–5 the second, 6–7 guests. Every tenth request (3, 13, …)
    // meets a provider error; every tenth (7, 17, …) has its log insert deadlocked once.
    const { answers, seconds } = await load({
      clients: CLIENTS,
      requests: PRICED_REQUESTS,
      actorOf: (c) => (c < 4 ? users[0] : c < 6 ? users[1] : null),
      paramsOf: (i) => (i % 10 === 3 ? { prompt: `Failing ${i} [[loopback:500@openai]]` } : i % 10 === 7 ? { deadlock: '1' } : {}),
    });

    const failed = answers.filter((a) => !a.id);
    const answered = answers.filter((a) => a.id);
    assert.equal(failed.length, CLIENTS * Math.ceil((PRICED_REQUESTS - 3) / 10), 'exactly the requests the provider failed');
    assert.ok(failed.every((a) => a.error === 'prompt_upstream_server_error'), failed.find((a) => a.error !== 'prompt_upstream_server_error')?.message);
    const deadlocked = answered.filter((a) => a.deadlocked).length;
    assert.equal(deadlocked, CLIENTS * Math.ceil((PRICED_REQUESTS - 7) / 10), 'every planned deadlock happened');
    const db = recorded(answered);
    assert.equal(db.entries, answered.length, 'one ledger entry per answer, also after a deadlock');
    assert.equal(db.keys, answered.length, 'no idempotency key twice');
    assert.equal(db.logs, answered.length, 'one conversation log per answer');
    const lines = [`priced: ${answers.length} requests in ${seconds.toFixed(1)} s; ${failed.length} provider failures, ${deadlocked} deadlocked writes redone; ledger entries ${db.entries}, logs ${db.logs}`];
    users.forEach((user, i) => {
      const mine = answered.filter((a) => a.user === user.id);
      const expected = mine.reduce((sum, a) => sum + a.input + 3 * a.output, 0);
      const after = balanceOf(user.id);
      const credits = creditsOf(answers, user.id);
      const rows = Number(sql(`SELECT COUNT(*) FROM wp_aipkit_token_ledger WHERE user_id = ${user.id}`));
      lines.push(`user ${i + 1}: ${mine.length} answers, balance ${before[i]} → ${after}, Σ credits_delta ${credits}, Σ rule charges ${expected}`);
      assert.equal(rows, mine.length, `user ${i + 1}: no ledger row for a failed request`);
      assert.equal(before[i] - after, -credits, `user ${i + 1}: the balance moved by what the ledger says`);
      assert.equal(-credits, expected, `user ${i + 1}: and by what the rule charges for the answers`);
    });
    const ruled = Number(sql(`SELECT COUNT(*) FROM wp_aipkit_token_ledger WHERE JSON_VALUE(meta, '$.resolved_rule_id') = ${rule} AND idempotency_key IN (${answered.map((a) => `'wp-ai-client-${a.id}'`).join(',')})`));
    lines.push(`rows naming rule ${rule}: ${ruled}`);
    t.diagnostic(lines.join('; '));
    assert.equal(ruled, answered.length, 'every row names the rule that priced it');
  } finally {
    sql(`DELETE FROM wp_aipkit_pricing_rules WHERE id = ${rule}`);
  }
});

test('with the balance read from the per-request cache (the old bug), the same checks fail', async (t) => {
  const user = userWithBalance(1_000_000);
  const before = balanceOf(user.id);
  const failuresBefore = php(`return count( AIPuffer\\Connectors\\Storage\\Recording_Failures::all() );`);

  const { answers } = await load({ clients: CLIENTS, requests: 20, actorOf: () => user, params: { stale: '1' } });

  // The answers still reach every caller: bookkeeping never throws a paid answer away ...
  assert.equal(answers.filter((a) => !a.id).length, 0, 'every caller got its answer');
  const db = recorded(answers);
  const after = balanceOf(user.id);
  const failures = php(`return AIPuffer\\Connectors\\Storage\\Recording_Failures::all();`);
  t.diagnostic(`stale reads: ${answers.length} answers; ledger entries ${db.entries}; balance −${before - after}; recording failures reported ${failures.length - failuresBefore}`);
  // ... but with the fix reverted the books no longer add up, and the site owner is told.
  assert.ok(db.entries < answers.length, `expected lost ledger entries, got ${db.entries} of ${answers.length}`);
  assert.ok(failures.length > failuresBefore || failures.length === 50, 'the lost entries were reported to the site owner');
  assert.ok(failures.every((f) => /^[0-9a-f-]{36}$/.test(f.request_id)));
  php(`AIPuffer\\Connectors\\Storage\\Recording_Failures::clear(); return true;`);
});
