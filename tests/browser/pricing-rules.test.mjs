// AI Puffer > Pricing rules in Chromium: a rule added on the screen prices the next
// wp_ai_client_prompt() request (the ledger names it and the balance moves by its charge), a
// disabled rule stops pricing, a bad rate is refused with its reason, and a deleted rule is gone;
// a spending cap added there stops a plugin's next request before anything is sent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { requireSite, php, sql, userWithCredits } from '../e2e/site.mjs';
import { openAdmin, keepScreenshot } from './browser.mjs';

let browser;
let userId;

/** A request as a subscriber with credits: what it cost and which rule priced it. */
function chargedRequest() {
  return php(`
    wp_set_current_user( ${userId} );
    $before = (int) get_user_meta( ${userId}, '_aipkit_token_balance', true );
    $result = wp_ai_client_prompt( 'Price me' )->using_model_preference( array( 'openai', 'gpt-4.1-mini' ) )->generate_text_result();
    if ( is_wp_error( $result ) ) { return array( 'error' => $result->get_error_message() ); }
    global $wpdb;
    $row  = $wpdb->get_row( $wpdb->prepare( "SELECT credits_delta, meta FROM {$wpdb->prefix}aipkit_token_ledger WHERE idempotency_key = %s", 'wp-ai-client-' . $result->getId() ), ARRAY_A );
    $meta = json_decode( $row['meta'], true );
    return array(
      'tokens' => $result->getTokenUsage()->getTotalTokens(),
      'charged' => $before - (int) get_user_meta( ${userId}, '_aipkit_token_balance', true ),
      'credits_delta' => (int) $row['credits_delta'],
      'rule' => $meta['resolved_rule_id'],
      'method' => $meta['billing_method'],
    );
  `);
}

function clearRules() {
  sql(`DELETE FROM wp_aipkit_pricing_rules WHERE module IN ('chat', 'image_generator')`);
}

before(async () => {
  requireSite();
  clearRules();
  userId = userWithCredits('subscriber', 100000);
  browser = await openAdmin();
});

after(async () => {
  await browser?.close();
  clearRules();
  php(`delete_option( 'aipuffer_connectors_caps' ); return true;`);
});

test('a rule added on the Pricing rules screen prices the next request; disabled it no longer does', async () => {
  const { page, url } = browser;
  const unpriced = chargedRequest();
  assert.equal(unpriced.method, 'legacy_fallback');
  assert.equal(unpriced.charged, unpriced.tokens, 'without a rule: one credit a token');

  await page.goto(url('/wp-admin/admin.php?page=aipuffer-connectors-pricing'));
  await page.getByText('No rules yet').waitFor();
  await page.getByLabel('Provider').selectOption('openai');
  await page.getByLabel('Model', { exact: true }).fill('gpt-4.1-mini');
  await page.getByLabel('Billing method').selectOption('flat');
  await page.getByLabel('Unit rate (credits per request or per image)').fill('12.5');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Add rule' }).click()]);
  await page.getByText('Pricing rule saved.').waitFor();
  const row = page.locator('table.aipuffer-rules tbody tr').first();
  assert.match(await row.innerText(), /gpt-4\.1-mini[\s\S]*Text[\s\S]*Module[\s\S]*12\.5 credits a request[\s\S]*Enabled/);
  await keepScreenshot(page, 'pricing-rules');

  const priced = chargedRequest();
  const ruleId = Number(await row.getAttribute('data-rule-id'));
  assert.deepEqual([priced.method, priced.rule, priced.charged, priced.credits_delta], ['flat', ruleId, 13, -13], '12.5 rounded up, from the balance');

  await Promise.all([page.waitForNavigation(), row.getByRole('button', { name: 'Disable' }).click()]);
  await page.getByText('Pricing rule disabled.').waitFor();
  assert.equal(chargedRequest().method, 'legacy_fallback', 'a disabled rule prices nothing');

  await Promise.all([page.waitForNavigation(), page.locator('table.aipuffer-rules tbody tr').first().getByRole('button', { name: 'Delete' }).click()]);
  await page.getByText('Pricing rule deleted.').waitFor();
  assert.equal(sql(`SELECT COUNT(*) FROM wp_aipkit_pricing_rules WHERE id = ${ruleId}`), '0');
});

test('a rate that is not an exact amount is refused with the reason and nothing is saved', async () => {
  const { page, url } = browser;
  await page.goto(url('/wp-admin/admin.php?page=aipuffer-connectors-pricing'));
  await page.getByLabel('Model', { exact: true }).fill('gpt-4.1-mini');
  await page.getByLabel('Billing method').selectOption('per_1k_tokens');
  // The browser's own pattern check would stop "1,5"; the server must refuse it as well.
  await page.evaluate(() => document.querySelectorAll('input[pattern]').forEach((input) => input.removeAttribute('pattern')));
  await page.getByLabel('Input rate (credits per 1,000 input tokens)').fill('1,5');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Add rule' }).click()]);
  await page.getByText('at most six decimals').waitFor();
  await keepScreenshot(page, 'pricing-rules-refused', { fullPage: false });
  assert.equal(sql(`SELECT COUNT(*) FROM wp_aipkit_pricing_rules WHERE module = 'chat'`), '0');
});

test('a spending cap added on the screen stops the plugin\'s next request before it is sent; removed, the plugin goes on', async () => {
  const { page, url } = browser;
  const pluginPrompt = () => php(`
    require_once WP_PLUGIN_DIR . '/aipuffer-test-caller/aipuffer-test-caller.php';
    $result = aipuffer_test_plugin_prompt( 'Capped?' );
    return is_wp_error( $result ) ? array( 'status' => $result->get_error_data()['status'], 'message' => $result->get_error_message() ) : array( 'answered' => true );
  `);
  await page.goto(url('/wp-admin/admin.php?page=aipuffer-connectors-pricing'));
  const form = page.locator('form.aipuffer-cap-form');
  await form.getByLabel('Caller').fill('aipuffer-test-caller/aipuffer-test-caller.php');
  await form.getByLabel('Limit').fill('0');
  await form.getByLabel('Period').selectOption('day');
  await Promise.all([page.waitForNavigation(), form.getByRole('button', { name: 'Add cap' }).click()]);
  await page.getByText('Spending caps saved.').waitFor();
  assert.match(await page.locator('table.aipuffer-caps').innerText(), /aipuffer-test-caller\/aipuffer-test-caller\.php[\s\S]*0 credits a day/);
  await page.locator('#aipuffer-caps').scrollIntoViewIfNeeded();
  await keepScreenshot(page, 'pricing-rules-spending-caps', { fullPage: false });

  const refused = pluginPrompt();
  assert.equal(refused.status, 429);
  assert.match(refused.message, /The plugin "AI Puffer Test Caller" has used \d+ credits of its daily cap of 0 credits/);

  await Promise.all([page.waitForNavigation(), page.locator('table.aipuffer-caps').getByRole('button', { name: 'Remove' }).click()]);
  await page.getByText('Spending caps saved.').waitFor();
  assert.deepEqual(pluginPrompt(), { answered: true });
});
