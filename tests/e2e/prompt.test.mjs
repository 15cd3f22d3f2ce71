// End to end on real parts: a PHP file that knows nothing about the gateway — it only requires
// wp-load.php and calls wp_ai_client_prompt() — served by nginx and php-fpm (FFI under FPM), the
// loopback provider answering, rows landing in MariaDB. Needs the test site of scripts/test
// (its site.env exported); without it every test fails.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_OPENAI_KEY, requireSite, sql, servePhp, getJson } from './site.mjs';

let caller;

const CALLER = `<?php
// A plugin's code, unaware of AI Puffer Connectors.
require __DIR__ . '/wp-load.php';
$builder = wp_ai_client_prompt( (string) ( $_GET['prompt'] ?? '' ) );
if ( isset( $_GET['temperature'] ) ) { $builder = $builder->using_temperature( (float) $_GET['temperature'] ); }
$result = $builder->generate_text_result();
header( 'Content-Type: application/json' );
echo wp_json_encode( is_wp_error( $result )
  ? array( 'error' => $result->get_error_code(), 'status' => $result->get_error_data()['status'] ?? null, 'message' => $result->get_error_message() )
  : array( 'id' => $result->getId(), 'text' => $result->toText(), 'provider' => $result->getProviderMetadata()->toArray(),
           'model' => $result->getModelMetadata()->getId(), 'usage' => $result->getTokenUsage()->toArray() ) );
`;

const prompt = (text, params = {}) => getJson(caller.url, { prompt: text, ...params });

before(() => {
  requireSite();
  caller = servePhp('aipuffer-e2e-prompt.php', CALLER);
});
after(() => caller?.remove());

test('a haiku over HTTP is answered by "OpenAI via AI Puffer" and recorded once', async () => {
  const result = await prompt('Write a haiku', { temperature: '0.4' });
  assert.equal(result.error, undefined, result.message);
  assert.equal(result.text, 'Loopback reply to: Write a haiku');
  assert.equal(result.provider.id, 'openai');
  assert.equal(result.provider.name, 'OpenAI via AI Puffer');
  assert.equal(result.model, 'gpt-4.1-mini');
  assert.ok(result.usage.totalTokens > 0);

  assert.equal(sql(`SELECT COUNT(*) FROM wp_aipkit_token_ledger WHERE idempotency_key = 'wp-ai-client-${result.id}'`), '1');
  assert.equal(sql(`SELECT usage_total_units FROM wp_aipkit_token_ledger WHERE idempotency_key = 'wp-ai-client-${result.id}'`), String(result.usage.totalTokens));
  // A visitor over HTTP is a guest keyed by a salted hash of IP and user agent.
  assert.match(sql(`SELECT session_id FROM wp_aipkit_token_ledger WHERE idempotency_key = 'wp-ai-client-${result.id}'`), /^wp-ai-client-[0-9a-f]{40}$/);
  const log = JSON.parse(sql(`SELECT messages FROM wp_aipkit_chat_logs WHERE conversation_uuid = '${result.id}' AND module = 'wp_ai_client'`));
  assert.deepEqual(log.messages.map((m) => [m.role, m.content]), [['user', 'Write a haiku'], ['bot', result.text]]);
});

test('a provider failure over HTTP is a WP_Error with the AI Client code, without the key, and not recorded', async () => {
  const before = sql('SELECT COUNT(*) FROM wp_aipkit_token_ledger');
  const result = await prompt('Write a haiku [[loopback:500]]');
  assert.equal(result.error, 'prompt_upstream_server_error');
  assert.equal(result.status, 500);
  assert.ok(!result.message.includes(DEMO_OPENAI_KEY));
  assert.equal(sql('SELECT COUNT(*) FROM wp_aipkit_token_ledger'), before);
});

test('concurrent requests across php-fpm workers each get their own answer and ledger row', async () => {
  const texts = Array.from({ length: 8 }, (_, i) => `Concurrent prompt ${i}`);
  const results = await Promise.all(texts.map((t) => prompt(t)));
  results.forEach((r, i) => assert.equal(r.text, `Loopback reply to: ${texts[i]}`, r.message));
  const ids = results.map((r) => `'wp-ai-client-${r.id}'`).join(',');
  assert.equal(sql(`SELECT COUNT(DISTINCT idempotency_key) FROM wp_aipkit_token_ledger WHERE idempotency_key IN (${ids})`), '8');
});
