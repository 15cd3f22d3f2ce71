// AI Puffer > Usage logs in Chromium: requests a plugin and a theme made through
// wp_ai_client_prompt() are listed with their caller and totals, one opens with its details
// (prompt, answer, why this model, credits), and the CSV export downloads exactly the filtered rows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { requireSite, php, userWithCredits, DEMO_OPENAI_KEY } from '../e2e/site.mjs';
import { openAdmin, keepScreenshot } from './browser.mjs';

let browser;
let made;

before(async () => {
  requireSite();
  const user = userWithCredits('author', 5000);
  made = php(`
    require_once WP_PLUGIN_DIR . '/aipuffer-test-caller/aipuffer-test-caller.php';
    require_once get_theme_root() . '/aipuffer-test-theme/functions.php';
    $user = ${user};
    wp_set_current_user( $user );
    $plugin = aipuffer_test_plugin_prompt( 'Summarise the product page' );
    $theme  = aipuffer_test_theme_prompt( 'Write a footer tagline' );
    $second = aipuffer_test_plugin_prompt( 'Summarise the about page' );
    return array( 'user' => $user, 'plugin' => array( $plugin->getId(), $second->getId() ), 'theme' => $theme->getId() );
  `);
  browser = await openAdmin();
});

after(async () => {
  await browser?.close();
});

test('the logs list each request with its caller and totals, and open one with its details', async () => {
  const { page, url } = browser;
  await page.goto(url(`/wp-admin/admin.php?page=aipuffer-connectors-logs&user=${made.user}`));
  await page.getByRole('heading', { name: '3 requests' }).waitFor();
  const pluginRow = page.locator(`tr[data-request-id="${made.plugin[0]}"]`);
  assert.match(await pluginRow.innerText(), /AI Puffer Test Caller \(plugin\)[\s\S]*openai \/ gpt-4\.1-mini[\s\S]*Text/);
  const byCaller = await page.locator('table[data-totals="caller"] tbody').innerText();
  assert.match(byCaller, /AI Puffer Test Caller\s+2\s/);
  assert.match(byCaller, /AI Puffer Test Theme\s+1\s/);
  await keepScreenshot(page, 'usage-logs');

  await page.getByLabel('Caller').selectOption('aipuffer-test-theme');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Filter' }).click()]);
  await page.getByRole('heading', { name: '1 request', exact: true }).waitFor();

  await Promise.all([page.waitForNavigation(), page.locator(`tr[data-request-id="${made.theme}"] a`).click()]);
  const details = await page.locator('.aipuffer-logs').innerText();
  assert.match(details, /AI Puffer Test Theme \(theme\) \(aipuffer-test-theme\)/);
  assert.match(details, /Why this model/);
  assert.match(details, /Write a footer tagline/);
  assert.match(details, /charged, \d+ taken from the balance \(no pricing rule: one credit per token\)/);
  assert.ok(!(await page.content()).includes(DEMO_OPENAI_KEY), 'no API key on the page');
  await keepScreenshot(page, 'usage-logs-request');
});

test('Export downloads the filtered rows as CSV', async () => {
  const { page, url } = browser;
  const caller = 'aipuffer-test-caller/aipuffer-test-caller.php';
  await page.goto(url(`/wp-admin/admin.php?page=aipuffer-connectors-logs&user=${made.user}&caller=${encodeURIComponent(caller)}`));
  await page.getByRole('heading', { name: '2 requests' }).waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export these rows as CSV' }).click()]);
  assert.match(download.suggestedFilename(), /^ai-puffer-usage-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = readFileSync(await download.path(), 'utf8').trim().split('\n');
  assert.match(lines[0], /^date_utc,request_id,user_id,session_id,caller_kind,caller,caller_name,provider,model,/);
  assert.equal(lines.length, 3, 'the header and the two filtered rows');
  for (const id of made.plugin) assert.ok(lines.some((line) => line.includes(id) && line.includes(caller)), `row ${id}`);
  assert.ok(!lines.some((line) => line.includes(made.theme)), 'the theme\'s request is filtered out');
});
