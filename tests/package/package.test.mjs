// The installable zip on a fresh WordPress site, as a site owner meets it: uploaded through
// Plugins > Add New > Upload in Chromium and activated while php-fpm still has PHP's default
// ffi.enable=preload; the server check and Site Health name the exact line; that line goes into the
// pool, php-fpm reloads, *Check again* says the gateway runs; a wp_ai_client_prompt() is answered
// through it; deleting the plugin on the Plugins screen runs its uninstall and keeps AI Puffer's
// data. Needs the fresh site of `scripts/test package` (its site.env exported) and PACKAGE_ZIP;
// without them every test fails. The tests run in order: each continues where the last one left
// the site. Screenshots: tests/artifacts/package-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openAdmin, keepScreenshot } from '../browser/browser.mjs';
import { WP_URL, WP_PATH, requireSite, sql, php, servePhp, getJson } from '../e2e/site.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { PACKAGE_ZIP, FPM_CONF, FPM_PID_FILE, WP_LOGS, PROVIDER_URL, DEMO_KEYS } = process.env;
const PLUGIN_DIR = () => join(WP_PATH, 'wp-content', 'plugins', 'aipuffer-connectors');
const CACHE_DIR = () => join(WP_PATH, 'wp-content', 'cache', 'aipuffer-connectors');
const SERVER_CHECK = '/wp-admin/admin.php?page=aipuffer-connectors-server';

let admin;
let page;
let probe;
let caller;
let shownLine;

// What this site's PHP says about itself over HTTP, and what the AI Client has registered.
const PROBE = `<?php
require __DIR__ . '/wp-load.php';
header( 'Content-Type: application/json' );
echo wp_json_encode( array(
  'ffi_enable' => ini_get( 'ffi.enable' ),
  'providers'  => WordPress\\AiClient\\AiClient::defaultRegistry()->getRegisteredProviderIds(),
) );
`;

// A plugin's code that knows nothing about AI Puffer Connectors.
const CALLER = `<?php
require __DIR__ . '/wp-load.php';
$result = wp_ai_client_prompt( (string) ( $_GET['prompt'] ?? '' ) )->generate_text_result();
header( 'Content-Type: application/json' );
echo wp_json_encode( is_wp_error( $result )
  ? array( 'error' => $result->get_error_code(), 'message' => $result->get_error_message() )
  : array( 'id' => $result->getId(), 'text' => $result->toText(), 'provider' => $result->getProviderMetadata()->getName(), 'model' => $result->getModelMetadata()->getId() ) );
`;

const fatalErrors = () =>
  ['php-error.log', 'wp-debug.log', 'php-fpm.log']
    .map((name) => join(WP_LOGS, name))
    .filter((path) => existsSync(path))
    .flatMap((path) => readFileSync(path, 'utf8').split('\n').filter((line) => /Fatal error|Uncaught/.test(line)));

before(async () => {
  requireSite();
  assert.ok(PACKAGE_ZIP && existsSync(PACKAGE_ZIP), 'PACKAGE_ZIP (the zip scripts/package built) is required');
  assert.ok(FPM_CONF && FPM_PID_FILE && WP_LOGS, 'the fresh site env (FPM_CONF, FPM_PID_FILE, WP_LOGS) is required');
  assert.ok(!existsSync(PLUGIN_DIR()), 'the site is fresh: no AI Puffer Connectors installed yet');
  probe = servePhp('aipuffer-package-probe.php', PROBE);
  caller = servePhp('aipuffer-package-prompt.php', CALLER);
  admin = await openAdmin();
  page = admin.page;
});

after(async () => {
  probe?.remove();
  caller?.remove();
  await admin?.close();
});

test('the zip holds the plugin, the engine, wasmtime for x86_64 and aarch64 with its licence and checksums, and no tests or sources', () => {
  const names = execFileSync('unzip', ['-Z1', PACKAGE_ZIP], { encoding: 'utf8' }).trim().split('\n');
  for (const required of [
    'aipuffer-connectors/aipuffer-connectors.php', 'aipuffer-connectors/uninstall.php', 'aipuffer-connectors/readme.txt',
    'aipuffer-connectors/license.txt', 'aipuffer-connectors/SHA256SUMS', 'aipuffer-connectors/engine/engine.wasm',
    'aipuffer-connectors/lib/x86_64/libwasmtime.so', 'aipuffer-connectors/lib/aarch64/libwasmtime.so',
    'aipuffer-connectors/lib/LICENSE-wasmtime.txt', 'aipuffer-connectors/src/Plugin.php', 'aipuffer-connectors/src/Runtime/wasmtime.h',
    'aipuffer-connectors/data/prices.php', 'aipuffer-connectors/data/LICENSE-litellm.txt',
  ]) {
    assert.ok(names.includes(required), `${required} is in the zip`);
  }
  const unwanted = names.filter((n) => /(^|\/)(tests?|crates|target|node_modules)\/|\.rs$|Cargo\.|phpunit|wasmtime-layout\.json|\.cwasm$|\.wit$|(^|\/)\./.test(n));
  assert.deepEqual(unwanted, [], 'no tests, Rust sources, build files or dot-files');
  assert.ok(names.every((n) => n.startsWith('aipuffer-connectors/')), 'one top folder, the plugin slug');

  const unpacked = mkdtempSync(join(tmpdir(), 'aipuffer-zip-'));
  try {
    execFileSync('unzip', ['-q', PACKAGE_ZIP, '-d', unpacked]);
    const plugin = join(unpacked, 'aipuffer-connectors');
    // Every file but the list itself is listed, and every checksum holds.
    const listed = readFileSync(join(plugin, 'SHA256SUMS'), 'utf8').trim().split('\n').map((l) => l.slice(66)).sort();
    const files = names.filter((n) => !n.endsWith('/') && n !== 'aipuffer-connectors/SHA256SUMS').map((n) => n.slice('aipuffer-connectors/'.length)).sort();
    assert.deepEqual(listed, files);
    execFileSync('sha256sum', ['--quiet', '-c', 'SHA256SUMS'], { cwd: plugin });
    // The libraries are what their folders say (ELF e_machine: 62 x86-64, 183 AArch64).
    const machine = (arch) => readFileSync(join(plugin, 'lib', arch, 'libwasmtime.so')).readUInt16LE(18);
    assert.equal(machine('x86_64'), 62);
    assert.equal(machine('aarch64'), 183);
    assert.match(readFileSync(join(plugin, 'lib', 'LICENSE-wasmtime.txt'), 'utf8'), /Apache License\s+Version 2\.0/);
    const readme = readFileSync(join(plugin, 'readme.txt'), 'utf8');
    for (const section of ['=== AI Puffer Connectors ===', '== Description ==', '== Installation ==', '== Frequently Asked Questions ==', '== Changelog ==', 'Stable tag: 0.1.0', 'Requires PHP:']) {
      assert.ok(readme.includes(section), `readme.txt has ${section}`);
    }
  } finally {
    rmSync(unpacked, { recursive: true, force: true });
  }
});

test('uploaded through Plugins > Add New > Upload and activated under php-fpm\'s default ffi.enable=preload, without an error', async () => {
  assert.equal((await getJson(probe.url)).ffi_enable, 'preload', 'the fresh site runs PHP\'s default');
  await page.goto(admin.url('/wp-admin/plugin-install.php?tab=upload'));
  if (!(await page.isVisible('#pluginzip'))) await page.click('.upload-view-toggle');
  await page.setInputFiles('#pluginzip', PACKAGE_ZIP);
  await Promise.all([page.waitForNavigation({ timeout: 120_000 }), page.click('#install-plugin-submit')]);
  await page.getByText('Plugin installed successfully.').waitFor();
  await keepScreenshot(page, 'package-1-uploaded');
  assert.ok(existsSync(join(PLUGIN_DIR(), 'lib', 'x86_64', 'libwasmtime.so')), 'unpacked into wp-content/plugins');

  await Promise.all([page.waitForNavigation(), page.click('a.button-primary:has-text("Activate Plugin")')]);
  await page.getByText('Plugin activated.').waitFor();
  const notice = page.locator('.notice-error', { hasText: 'AI Puffer Connectors is not running' });
  await notice.waitFor();
  assert.match(await notice.innerText(), /ffi\.enable/);
  await keepScreenshot(page, 'package-2-activated');
  assert.deepEqual(fatalErrors(), [], 'no PHP fatal error while installing or activating');
});

test('with ffi.enable=preload the server check and Site Health show the exact pool line, and the AI Client is untouched', async () => {
  await page.goto(admin.url(SERVER_CHECK));
  const problem = page.locator('[data-problem="ffi_disabled"]');
  await problem.waitFor();
  const text = await problem.innerText();
  assert.match(text, /ffi\.enable=preload/);
  assert.match(text, /fpm-fcgi/);
  assert.match(text, /pool \[site\]/, 'names the pool that serves the site');
  assert.match(text, /\/etc\/php\/\d+\.\d+\/fpm\/php\.ini/, 'names the php.ini this PHP reads (php_ini_loaded_file)');
  assert.match(text, /systemctl reload php\d+\.\d+-fpm/);
  shownLine = (await problem.locator('pre.aipuffer-fix-line').first().innerText()).trim();
  assert.equal(shownLine, 'php_admin_value[ffi.enable] = 1');
  const fact = async (name) => (await page.locator(`#aipuffer-server-facts tr[data-fact="${name}"] td`).innerText()).trim();
  assert.equal(await fact('plugin'), '0.1.0');
  assert.equal(await fact('wasmtime'), '50.0.1');
  assert.equal(await fact('engine'), 'not loaded');
  assert.match(await fact('library'), /plugins\/aipuffer-connectors\/lib\/x86_64\/libwasmtime\.so \(shipped with the plugin\)/);
  await keepScreenshot(page, 'package-3-server-check-preload');

  await page.goto(admin.url('/wp-admin/site-health.php'));
  const label = page.getByRole('button', { name: /AI Puffer Connectors cannot run the WordPress AI Client gateway/ });
  await label.waitFor({ timeout: 60_000 });
  await label.click();
  const panel = page.locator('#health-check-accordion-block-aipuffer_connectors');
  await panel.waitFor();
  assert.ok((await panel.innerText()).includes('php_admin_value[ffi.enable] = 1'), 'Site Health gives the same line');
  await label.scrollIntoViewIfNeeded();
  await keepScreenshot(page, 'package-4-site-health-preload');

  await page.goto(admin.url('/wp-admin/site-health.php?tab=debug'));
  const section = page.getByRole('button', { name: 'AI Puffer Connectors', exact: true });
  await section.click();
  const info = page.locator('#health-check-accordion-block-aipuffer-connectors');
  await info.waitFor();
  const infoText = await info.innerText();
  assert.match(infoText, /Plugin version\s+0\.1\.0/);
  assert.match(infoText, /wasmtime version\s+50\.0\.1/);
  await section.scrollIntoViewIfNeeded();
  await keepScreenshot(page, 'package-5-site-health-info-preload');

  const seen = await getJson(probe.url);
  assert.deepEqual(seen.providers.filter((id) => id === 'aipuffer'), [], 'no AI Puffer provider registered');
  assert.deepEqual(fatalErrors(), []);
});

test('after the shown line goes into the pool and php-fpm reloads, Check again says the gateway runs, with the versions and the cache', async () => {
  appendFileSync(FPM_CONF, `; added as the server check says\n${shownLine}\n`);
  process.kill(Number(readFileSync(FPM_PID_FILE, 'utf8').trim()), 'SIGUSR2');
  // Until the reloaded workers answer with the new setting (polling a condition, bounded).
  let mode = '';
  for (let i = 0; i < 150 && mode !== '1'; i++) {
    mode = await getJson(probe.url).then((r) => r.ffi_enable, () => '');
    if (mode !== '1') await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(mode, '1', 'php-fpm reloaded with ffi.enable = 1');

  await page.goto(admin.url(SERVER_CHECK));
  await Promise.all([page.waitForNavigation(), page.click('input[type=submit][value="Check again"]')]);
  await page.getByText('Checked again just now.').waitFor();
  await page.locator('#aipuffer-server-ready').waitFor();
  const fact = async (name) => (await page.locator(`#aipuffer-server-facts tr[data-fact="${name}"] td`).innerText()).trim();
  assert.match(await fact('engine'), /^\d+\.\d+\.\d+/);
  assert.equal(await fact('plugin'), '0.1.0');
  assert.equal(await fact('wasmtime'), '50.0.1');
  assert.equal(await fact('cache'), CACHE_DIR());
  assert.match(await fact('server'), /ffi\.enable=1/);
  assert.equal(await page.locator('.notice-error', { hasText: 'AI Puffer Connectors is not running' }).count(), 0);
  await keepScreenshot(page, 'package-6-server-check-ready');
  assert.ok(readdirSync(CACHE_DIR()).some((f) => /^engine-.*\.cwasm$/.test(f)), 'the compiled engine is cached in wp-content/cache');
});

test('with FFI enabled and management turned on, a wp_ai_client_prompt() call is answered through the gateway', async () => {
  // A provider set up as AI Puffer keeps it (a key, the loopback provider as its endpoint, models).
  const configured = php(`
    require ${JSON.stringify(join(ROOT, 'scripts', 'lib', 'demo-connectors.php'))};
    $demo = aipuffer_demo_connectors( ${JSON.stringify(PROVIDER_URL)}, (array) json_decode( ${JSON.stringify(DEMO_KEYS)}, true ) );
    update_option( 'aipkit_options', $demo['options'], false );
    foreach ( $demo['registries'] as $name => $registry ) { update_option( $name, $registry + array( 'updated_at' => time() ), false ); }
    return get_option( 'aipkit_wp_ai_client_gateway_mode', 'unset' );`);
  assert.notEqual(configured, 'managed', 'not managed before the switch');

  await page.goto(admin.url('/wp-admin/admin.php?page=aipuffer-connectors&tab=developers'));
  await page.check('#aipuffer-managed');
  await Promise.all([page.waitForNavigation(), page.click('#submit')]);
  await page.getByText('Settings saved.').waitFor();

  const result = await getJson(caller.url, { prompt: 'Write a haiku about packages' });
  assert.equal(result.error, undefined, result.message);
  assert.equal(result.text, 'Loopback reply to: Write a haiku about packages');
  assert.equal(result.provider, 'OpenAI via AI Puffer');
  assert.equal(sql(`SELECT COUNT(*) FROM wp_aipkit_token_ledger WHERE idempotency_key = 'wp-ai-client-${result.id}'`), '1');
  assert.deepEqual(fatalErrors(), []);
});

test('deleting the plugin on the Plugins screen runs its uninstall and keeps AI Puffer\'s tables and options', async () => {
  php(`set_transient( 'aipuffer_connectors_probe', 'x', HOUR_IN_SECONDS ); update_option( 'aipkit_wp_ai_client_banner_dismissed', 1 ); return true;`);
  const ours = () => sql("SELECT COUNT(*) FROM wp_options WHERE option_name LIKE 'aipuffer\\_connectors\\_%' OR option_name LIKE '\\_transient\\_%aipuffer\\_connectors\\_%'");
  assert.ok(Number(ours()) >= 3, 'the plugin has options and a transient to remove');
  const tables = sql("SHOW TABLES LIKE 'wp\\_aipkit\\_%'");
  assert.match(tables, /wp_aipkit_token_ledger/);
  const ledger = sql('SELECT COUNT(*) FROM wp_aipkit_token_ledger');
  const aipkitOptions = sql("SELECT option_name FROM wp_options WHERE option_name LIKE 'aipkit\\_%' ORDER BY option_name");
  assert.match(aipkitOptions, /aipkit_wp_ai_client_gateway_mode/);
  assert.match(aipkitOptions, /aipkit_wp_ai_client_banner_dismissed/);

  await page.goto(admin.url('/wp-admin/plugins.php'));
  const row = () => page.locator('tr[data-plugin="aipuffer-connectors/aipuffer-connectors.php"]').first();
  const deactivate = row().locator('.deactivate a');
  await keepScreenshot(page, 'package-7-plugins-before-delete');
  assert.equal(await deactivate.count(), 1, 'the row has a Deactivate link');
  await row().hover();
  await Promise.all([page.waitForURL(/plugins\.php\?deactivate=true/), deactivate.click()]);
  await page.getByText('Plugin deactivated.').waitFor();
  page.once('dialog', (dialog) => dialog.accept());
  await row().locator('.delete a').click();
  await page.locator('tr.plugin-deleted-tr', { hasText: 'AI Puffer Connectors was successfully deleted.' }).waitFor({ timeout: 60_000 });
  await keepScreenshot(page, 'package-8-deleted');

  assert.ok(!existsSync(PLUGIN_DIR()), 'the plugin folder is gone');
  assert.equal(ours(), '0', 'every aipuffer_connectors_* option and transient is gone');
  assert.ok(!existsSync(CACHE_DIR()), 'the compiled engine cache is gone');
  assert.equal(sql("SHOW TABLES LIKE 'wp\\_aipkit\\_%'"), tables, 'AI Puffer\'s tables stay');
  assert.equal(sql('SELECT COUNT(*) FROM wp_aipkit_token_ledger'), ledger, 'the ledger keeps its rows');
  assert.equal(sql("SELECT option_name FROM wp_options WHERE option_name LIKE 'aipkit\\_%' ORDER BY option_name"), aipkitOptions, 'AI Puffer\'s options stay');
  assert.deepEqual(fatalErrors(), []);
});
