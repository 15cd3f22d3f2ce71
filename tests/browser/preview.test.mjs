// AI Puffer > Preview in Chromium: the engine compiled for the browser runs in the page on the
// site's snapshot. What the page shows — connector and model, why, the request, tokens, credits,
// dollars, the caller's cap headroom and the approvals it needs — must equal what the same engine
// says in Node for the same input; switching the request type or the caller, trying a pricing
// rule, a saved model or a pin update it live and save nothing; no API key is anywhere in the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { requireSite, php, sql, DEMO_OPENAI_KEY } from '../e2e/site.mjs';
import { openAdmin, keepScreenshot, recordResponses } from './browser.mjs';

const engine = createRequire(import.meta.url)('../../pkg/node/aipuffer_js.js');
let browser;

before(async () => {
  requireSite();
  browser = await openAdmin();
});

after(async () => {
  await browser?.close();
});

/** What the page shows, field by field. */
async function shown(page) {
  const fields = {};
  for (const row of await page.locator('.aipuffer-preview-result tr').all()) {
    fields[await row.getAttribute('data-field')] = (await row.locator('td').innerText()).trim();
  }
  for (const key of ['caps', 'approvals']) {
    fields[`${key}_items`] = await page.locator(`.aipuffer-preview-result tr[data-field="${key}"] li`).allInnerTexts();
  }
  fields.refusal = (await page.locator('.aipuffer-preview-refusal').allInnerTexts()).join('\n');
  fields.urls = await page.locator('.aipuffer-preview-request').evaluateAll((nodes) => nodes.map((n) => n.dataset.url));
  fields.body = await page.locator('.aipuffer-preview-request').first().innerText();
  return fields;
}

/** The same engine in Node on the input the page ran last — the site prepared in Node, too. */
async function inNode(page) {
  const input = await page.evaluate(() => window.aipufferPreviewInput);
  const stored = await page.evaluate(() => window.aipufferPreviewStored);
  const data = JSON.parse(await page.locator('#aipuffer-preview-data').textContent());
  const site = { ...engine.prepare(stored).site, pricing_rules: data.pricing_rules, prices: data.prices };
  if (!input.site.pricing_rules.some((rule) => rule.id === '0')) assert.deepEqual(input.site, site, 'the page prepared what Node prepares');
  assert.deepEqual(input.locked, data.cap_spend, 'the spend the server read');
  const step = engine.advance(input);
  assert.equal(step.step, 'done', JSON.stringify(step.error));
  return step.result;
}

async function settle(page) {
  // The page re-runs the engine synchronously on every input event; one frame shows the result.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve())));
}

test('the preview equals the engine in Node, follows the form live, and holds no key', async (t) => {
  const { page, url } = browser;
  const responses = recordResponses(page);
  await page.goto(url('/wp-admin/admin.php?page=aipuffer-connectors-preview'));
  await page.locator('.aipuffer-preview-timing').waitFor();
  const readyMs = await page.evaluate(() => window.aipufferPreviewReadyMs);
  t.diagnostic(`page load → first preview: ${readyMs} ms`);

  // The page prepared the same site Node prepares from the same snapshot.
  const data = JSON.parse(await page.locator('#aipuffer-preview-data').textContent());
  const input = await page.evaluate(() => window.aipufferPreviewInput);
  assert.deepEqual(input.site, { ...engine.prepare(data.stored).site, pricing_rules: data.pricing_rules, prices: data.prices });

  // The browser's build runs the preview alone: a task that would call a provider or write is
  // refused by name, not run (the host tasks are left out of pkg/web to keep it small).
  const refused = await page.evaluate(async ({ module, task }) => {
    const built = await import(module);
    return built.advance({ task, site: window.aipufferPreviewInput.site, context: window.aipufferPreviewInput.context, call: window.aipufferPreviewInput.call });
  }, { module: data.engine, task: 'prompt' });
  assert.equal(refused.step, 'fail');
  assert.match(refused.error.message, /runs the preview task only/);

  let result = await inNode(page);
  let fields = await shown(page);
  assert.equal(fields.target, `${result.provider} / ${result.model.id}`);
  assert.equal(fields.why, result.route.why.join(' '));
  assert.ok(fields.credits.startsWith(`${result.estimated_credits} — `), fields.credits);
  assert.equal(fields.usd, `$${result.estimated_usd} — price list entry ${result.price_key}`);
  assert.deepEqual(fields.urls, result.requests.map((r) => r.url));
  assert.match(fields.body, /Authorization: Bearer •••• \(the API key, added when the request is sent\)/);
  await keepScreenshot(page, 'preview-text');

  await page.locator('#aipuffer-preview-type').selectOption('fast');
  await settle(page);
  result = await inNode(page);
  assert.equal((await shown(page)).target, `${result.provider} / ${result.model.id}`);
  assert.equal(result.route.alias, 'aipuffer-fast-text');

  await page.locator('#aipuffer-preview-type').selectOption('json');
  await settle(page);
  assert.match((await shown(page)).body, /json_schema/, 'the schema reaches the provider request');

  await page.locator('#aipuffer-preview-rule-method').selectOption('flat');
  await page.locator('#aipuffer-preview-rule-unit').fill('7.5');
  await settle(page);
  result = await inNode(page);
  fields = await shown(page);
  assert.equal(result.estimated_credits, 8);
  assert.equal(fields.credits, '8 — the rule you are trying (flat)');
  await keepScreenshot(page, 'preview-trial-rule');

  // Images: the default image route, the provider requests its model needs, a per-image rule.
  await page.locator('#aipuffer-preview-type').selectOption('image');
  await page.locator('#aipuffer-preview-candidates').fill('2');
  await page.locator('#aipuffer-preview-rule-method').selectOption('per_image');
  await page.locator('#aipuffer-preview-rule-unit').fill('40');
  await settle(page);
  result = await inNode(page);
  fields = await shown(page);
  assert.equal(result.route.alias, 'aipuffer-default-image');
  assert.equal(fields.target, `${result.provider} / ${result.model.id}`);
  assert.ok(fields.urls.length >= 1 && fields.urls.every((u) => u.endsWith('/images/generations') || u.includes(':generateContent')), fields.urls.join());
  assert.equal(fields.credits, '80 — the rule you are trying (per_image)');
  assert.equal(result.estimated_credits, 80);
  await keepScreenshot(page, 'preview-image');

  const keys = [DEMO_OPENAI_KEY, ...Object.values(JSON.parse(process.env.DEMO_KEYS ?? '{}'))].filter(Boolean);
  assert.ok(keys.length > 1, 'the test knows the stored keys');
  const everything = [await page.content(), ...(await responses.texts())].join('\n');
  for (const key of keys) assert.ok(!everything.includes(key), 'no stored API key in the page or any response');
});

const MU_CALLER = 'aipuffer-test-mu-caller.php';
const GATEWAY = 'aipuffer-connectors/aipuffer-connectors.php';

/**
 * For the page load only: spending caps for the test mu-plugin (a daily credits cap with room, a
 * monthly dollar cap its spend has passed), some spend of it in the ledger, and the Connector
 * Approvals guard on with the gateway approved. The page keeps its snapshot; the dev site is
 * shared, so everything is put back as soon as the page has it.
 */
function arrangeCallerWithCaps() {
  const saved = php(`return array_map( fn ( $o ) => get_option( $o, null ), array( 'caps' => 'aipuffer_connectors_caps', 'guard' => 'aipuffer_test_approval_guard', 'approvals' => 'wpai_connector_approvals' ) );`);
  const key = `preview-test-${process.pid}-${Date.now()}`;
  sql(`INSERT INTO wp_aipkit_token_ledger (user_id, actor_type, module, operation, entry_type, credits_delta, idempotency_key, meta, created_at)
       VALUES (0, 'system', 'wp_ai_client', 'chat', 'usage', -30, '${key}', '{"billed_credits":30,"usd_cost":"0.500000","caller":{"kind":"mu-plugin","basename":"${MU_CALLER}","name":"${MU_CALLER}"}}', UTC_TIMESTAMP())`);
  php(`
    update_option( 'aipuffer_connectors_caps', array(
      array( 'caller' => '${MU_CALLER}', 'period' => 'day', 'unit' => 'credits', 'limit' => '1000000' ),
      array( 'caller' => '${MU_CALLER}', 'period' => 'month', 'unit' => 'usd', 'limit' => '0.25' ),
    ), false );
    update_option( 'aipuffer_test_approval_guard', 'classic' );
    update_option( 'wpai_connector_approvals', array( '${GATEWAY}' => array( 'openai' => true ) ), false );
    return true;
  `);
  return () => {
    sql(`DELETE FROM wp_aipkit_token_ledger WHERE idempotency_key = '${key}'`);
    php(`
      $saved = json_decode( '${JSON.stringify(saved).replaceAll("'", "\\'")}', true );
      foreach ( array( 'caps' => 'aipuffer_connectors_caps', 'guard' => 'aipuffer_test_approval_guard', 'approvals' => 'wpai_connector_approvals' ) as $k => $option ) {
        null === $saved[ $k ] ? delete_option( $option ) : update_option( $option, $saved[ $k ] );
      }
      return true;
    `);
  };
}

test('for a chosen caller: its caps headroom and refusal, the approvals, tried settings and an image equal the engine in Node', async (t) => {
  const { page, url } = browser;
  const responses = recordResponses(page);
  const restore = arrangeCallerWithCaps();
  try {
    await page.goto(url('/wp-admin/admin.php?page=aipuffer-connectors-preview'));
    await page.locator('.aipuffer-preview-timing').waitFor();
  } finally {
    restore();
  }
  const savedBefore = php(`return array( get_option( 'aipkit_options' )['providers']['OpenAI']['model'] ?? null, get_option( 'aipuffer_connectors_routes', null ) );`);

  // WordPress itself: no cap of the mu-plugin applies, only the gateway's approval is asked.
  let result = await inNode(page);
  let fields = await shown(page);
  assert.equal(result.caller, null);
  assert.equal(fields.caller, 'WordPress itself (no plugin or theme)');
  assert.equal(fields.caps, 'No spending cap applies to this caller.');
  assert.deepEqual(result.approvals.parties.map((n) => [n.role, n.status]), [['gateway', 'approved']]);
  assert.equal(result.approvals.refusal, null);
  assert.equal(fields.refusal, '');

  // The mu-plugin: both its caps, the dollar one reached; the approvals guard asks for it.
  await page.locator('#aipuffer-preview-caller').selectOption({ label: `Must-use plugin: ${MU_CALLER}` });
  await settle(page);
  result = await inNode(page);
  fields = await shown(page);
  assert.deepEqual(result.caller, { kind: 'mu-plugin', basename: MU_CALLER, name: MU_CALLER });
  assert.equal(fields.caller, `Must-use plugin: ${MU_CALLER}`);
  const [credits, dollars] = result.caps.applicable;
  assert.deepEqual([credits.cap.unit, credits.refuses, dollars.cap.unit, dollars.refuses], ['credits', false, 'usd', true]);
  assert.ok(Number.parseInt(credits.spent, 10) >= 30, credits.spent);
  assert.equal(fields.caps_items.length, 2);
  fields.caps_items.forEach((text, i) => {
    const cap = result.caps.applicable[i];
    for (const part of [cap.spent, cap.limit, cap.left]) assert.ok(text.includes(part), `${text} names ${part}`);
    assert.ok(text.includes(cap.this_request === null ? 'cost unknown' : `about ${cap.this_request}`), text);
  });
  assert.match(fields.caps_items[1], /Reached: requests from this caller are refused until the period ends\./);
  assert.equal(result.caps.refusal.reason, 'cap_reached');
  assert.equal(result.caps.refusal.status, 429);
  assert.deepEqual(result.approvals.parties.map((n) => [n.role, n.party.basename, n.status]), [['gateway', GATEWAY, 'approved'], ['caller', MU_CALLER, 'needs_approval']]);
  assert.deepEqual(fields.approvals_items, [
    'Plugin: AI Puffer Connectors (sends every request): approved for the openai connector.',
    `Must-use plugin: ${MU_CALLER}: needs approval for the openai connector (Tools > Connector Approvals).`,
  ]);
  assert.equal(result.approvals.refusal.reason, 'approval_caller_needed');
  // The refusals read as the engine's own sentences (the page's English templates are the same).
  assert.ok(fields.refusal.includes(result.approvals.refusal.message), fields.refusal);
  assert.ok(fields.refusal.includes(result.caps.refusal.message), fields.refusal);
  await keepScreenshot(page, 'preview-caller-caps-approvals');

  // Tried settings: a pinned text route, then another saved model — re-prepared in the page.
  await page.locator('#aipuffer-preview-caller').selectOption({ label: 'WordPress itself (no plugin or theme)' });
  await page.locator('#aipuffer-preview-pin-text').selectOption('openai|gpt-4o-mini');
  await settle(page);
  result = await inNode(page);
  fields = await shown(page);
  assert.deepEqual(await page.evaluate(() => window.aipufferPreviewStored.pins.text), { connector: 'openai', model: 'gpt-4o-mini' });
  assert.equal(result.model.id, 'gpt-4o-mini');
  assert.equal(fields.target, `${result.provider} / gpt-4o-mini`);
  assert.equal(fields.why, result.route.why.join(' '));
  assert.match(fields.why, /pinned/i);

  await page.locator('#aipuffer-preview-pin-text').selectOption('');
  await page.locator('#aipuffer-preview-saved-openai').selectOption('gpt-4.1-nano');
  await settle(page);
  result = await inNode(page);
  fields = await shown(page);
  assert.equal(await page.evaluate(() => window.aipufferPreviewStored.providers.OpenAI.model), 'gpt-4.1-nano');
  assert.equal(result.model.id, 'gpt-4.1-nano');
  assert.equal(fields.target, `${result.provider} / gpt-4.1-nano`);
  assert.equal(fields.why, result.route.why.join(' '));
  assert.match(fields.body, /"model": "gpt-4\.1-nano"/);
  await keepScreenshot(page, 'preview-tried-settings');
  assert.deepEqual(php(`return array( get_option( 'aipkit_options' )['providers']['OpenAI']['model'] ?? null, get_option( 'aipuffer_connectors_routes', null ) );`), savedBefore, 'nothing was saved');

  await page.locator('#aipuffer-preview-settings-reset').click();
  await settle(page);
  assert.equal((await inNode(page)).model.id, savedBefore[0], 'back to the saved model');

  // Text with an image: the sample, then a file picked here (read in the browser, never uploaded).
  await page.locator('#aipuffer-preview-type').selectOption('vision');
  await settle(page);
  result = await inNode(page);
  fields = await shown(page);
  const sample = await page.evaluate(() => document.getElementById('aipuffer-preview-image-thumb').src.split(',')[1]);
  assert.ok(result.requests[0].body.includes(sample), 'the provider request carries the whole image');
  assert.equal(fields.target, `${result.provider} / ${result.model.id}`);
  assert.ok(!fields.body.includes(sample), 'the page shows it shortened');
  assert.match(fields.body, /characters in all; shortened here/);
  // The estimate counts the image (AI Puffer's own counts text only) and the page says how much.
  assert.equal(result.estimated_image_tokens, 1600);
  assert.equal(fields.tokens, `${result.estimated_usage.input} input (1600 of them for the images, an estimate) + ${result.estimated_usage.output} output (the provider reports the real usage)`);
  await page.locator('.aipuffer-preview-shortened').waitFor();

  const picked = await page.screenshot({ clip: { x: 0, y: 0, width: 64, height: 48 } });
  const uploads = [];
  page.on('request', (request) => request.method() !== 'GET' && uploads.push(request.url()));
  await page.locator('#aipuffer-preview-image-file').setInputFiles({ name: 'corner.png', mimeType: 'image/png', buffer: picked });
  await page.getByText('your file corner.png (read in this browser, never uploaded)').waitFor();
  await settle(page);
  result = await inNode(page);
  assert.ok(result.requests[0].body.includes(picked.toString('base64')), 'the picked file, inline');
  assert.equal((await shown(page)).target, `${result.provider} / ${result.model.id}`);
  assert.deepEqual(uploads, [], 'nothing was sent anywhere');
  await keepScreenshot(page, 'preview-text-with-image');
  t.diagnostic(`text with an image → ${result.provider} / ${result.model.id}`);

  const keys = [DEMO_OPENAI_KEY, ...Object.values(JSON.parse(process.env.DEMO_KEYS ?? '{}'))].filter(Boolean);
  const everything = [await page.content(), ...(await responses.texts())].join('\n');
  for (const key of keys) assert.ok(!everything.includes(key), 'no stored API key in the page or any response');
});
