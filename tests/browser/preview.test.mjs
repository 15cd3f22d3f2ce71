// AI Puffer > Preview in Chromium: the engine compiled for the browser runs in the page on the
// site's snapshot. What the page shows — connector and model, why, the request, tokens, credits,
// dollars — must equal what the same engine says in Node for the same input; switching the request
// type and trying a pricing rule update it live; no API key is anywhere in the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { requireSite, DEMO_OPENAI_KEY } from '../e2e/site.mjs';
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
  fields.urls = await page.locator('.aipuffer-preview-request').evaluateAll((nodes) => nodes.map((n) => n.dataset.url));
  fields.body = await page.locator('.aipuffer-preview-request').first().innerText();
  return fields;
}

/** The same engine in Node on the input the page ran last. */
async function inNode(page) {
  const input = await page.evaluate(() => window.aipufferPreviewInput);
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
