// Settings > Connectors and AI Puffer > Settings as a site owner uses them, in Chromium: turning
// management on from the banner and off again, dismissing the banner and using the Developers
// toggle instead, saving a key that never comes back, and Test connection against the loopback
// provider — with what wp_ai_client_prompt() does after each change.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { requireSite, php, DEMO_OPENAI_KEY } from '../e2e/site.mjs';
import { openAdmin, keepScreenshot, recordResponses } from './browser.mjs';

let browser;
let savedOptions;

/** Who answers a plain wp_ai_client_prompt() call right now (a fresh WordPress load). */
function whoAnswers() {
  return php(`
    $result = wp_ai_client_prompt( 'Say hi' )->generate_text_result();
    return is_wp_error( $result ) ? array( 'error' => $result->get_error_code() ) : array( 'provider' => $result->getProviderMetadata()->getName() );
  `);
}

function setMode(mode, dismissed) {
  php(`update_option( 'aipkit_wp_ai_client_gateway_mode', '${mode}', true ); update_option( 'aipkit_wp_ai_client_banner_dismissed', '${dismissed ? 1 : 0}', true ); return true;`);
}

function options() {
  return php(`return get_option( 'aipkit_options' );`);
}

function setOpenAiKey(key) {
  php(`$o = get_option( 'aipkit_options' ); $o['providers']['OpenAI']['api_key'] = ${JSON.stringify(key)}; update_option( 'aipkit_options', $o ); return true;`);
}

async function openConnectors(page, url, text) {
  await page.goto(url('/wp-admin/options-connectors.php'));
  await page.waitForSelector('.connectors-page');
  await page.getByText(text, { exact: false }).first().waitFor();
}

before(async () => {
  requireSite();
  setOpenAiKey(DEMO_OPENAI_KEY);
  savedOptions = options();
  browser = await openAdmin();
});

after(async () => {
  await browser?.close();
  setMode('managed', false);
  const saved = Buffer.from(JSON.stringify(savedOptions)).toString('base64');
  php(`update_option( 'aipkit_options', json_decode( base64_decode( '${saved}' ), true ) ); return true;`);
});

test('Enable on the banner hands the AI Client to AI Puffer; Stop gives WordPress its connectors back and keeps every setting', async () => {
  const { page, url } = browser;
  setMode('observe', false);
  assert.ok(whoAnswers().error, 'not managed: WordPress has no provider of its own here');

  await openConnectors(page, url, 'Route every WordPress AI Client request');
  assert.equal(await page.getByText('OpenAI via AI Puffer').count(), 0);
  await keepScreenshot(page, 'connectors-banner-observe');

  await page.getByRole('button', { name: 'Enable', exact: true }).click();
  await page.getByText('Managed by AI Puffer.').waitFor();
  await page.getByRole('heading', { name: 'OpenAI via AI Puffer', exact: true }).waitFor();
  const card = page.locator('.aipuffer-connector--openai');
  assert.match(await card.innerText(), /Connected/);
  assert.match(await card.getByRole('link', { name: /Edit OpenAI via AI Puffer/ }).getAttribute('href'), /page=aipuffer-connectors&tab=ai#aipuffer-provider-openai$/);
  await keepScreenshot(page, 'connectors-managed');
  assert.equal(php(`return get_option( 'aipkit_wp_ai_client_gateway_mode' );`), 'managed');
  assert.equal(whoAnswers().provider, 'OpenAI via AI Puffer');

  const before = options();
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await page.getByText('Route every WordPress AI Client request').waitFor();
  await page.getByRole('heading', { name: 'OpenAI', exact: true }).waitFor();
  assert.equal(await page.getByText('via AI Puffer').count(), 0);
  assert.deepEqual(options(), before, 'stopping deletes no provider setting');
  assert.ok(whoAnswers().error, 'stopped: the call no longer goes through AI Puffer');
});

test('Dismiss hides the banner for good; the Developers toggle still turns management on', async () => {
  const { page, url } = browser;
  setMode('observe', false);
  await openConnectors(page, url, 'Route every WordPress AI Client request');
  await page.getByRole('button', { name: 'Dismiss', exact: true }).click();
  await page.locator('.aipuffer-banner').waitFor({ state: 'detached' });

  await openConnectors(page, url, 'OpenAI');
  assert.equal(await page.locator('.aipuffer-banner').count(), 0, 'still dismissed after a reload');
  await keepScreenshot(page, 'connectors-banner-dismissed');

  await page.goto(url('/wp-admin/admin.php?page=aipuffer-connectors&tab=developers'));
  const toggle = page.getByLabel('Let AI Puffer manage the WordPress AI Client connectors');
  assert.equal(await toggle.isChecked(), false);
  await toggle.check();
  await keepScreenshot(page, 'settings-developers');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Save', exact: true }).click()]);
  await page.getByText('Settings saved.').waitFor();
  assert.equal(await page.getByLabel('Let AI Puffer manage the WordPress AI Client connectors').isChecked(), true);
  assert.equal(whoAnswers().provider, 'OpenAI via AI Puffer');

  await openConnectors(page, url, 'Managed by AI Puffer.');
});

test('a saved API key never comes back to the browser', async () => {
  const { page, url } = browser;
  setMode('managed', true);
  const secret = 'sk-browser-secret-7f3a9c2e51d84b06';
  const responses = recordResponses(page);

  await page.goto(url('/wp-admin/admin.php?page=aipuffer-connectors&tab=ai'));
  await page.locator('#aipuffer-openai-api-key').fill(secret);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Save settings' }).click()]);
  await page.getByText('Settings saved.').waitFor();
  assert.match(await page.locator('#aipuffer-openai-api-key-status').innerText(), /A key is saved, ending in 4b06\./);
  await keepScreenshot(page, 'settings-ai-key-saved');
  await page.goto(url('/wp-admin/options-connectors.php'));
  await page.getByRole('heading', { name: 'OpenAI via AI Puffer', exact: true }).waitFor();

  responses.stop();
  const bodies = await responses.texts();
  assert.ok(bodies.length > 5, `responses recorded (${bodies.length})`);
  for (const body of bodies) assert.ok(!body.includes(secret) && !body.includes(DEMO_OPENAI_KEY), 'no response carries a key');
  assert.equal(options().providers.OpenAI.api_key, secret, 'the key was saved');
  setOpenAiKey(DEMO_OPENAI_KEY);
});

test('Test connection shows the provider\'s answer, and with a wrong key the actionable error', async () => {
  const { page, url } = browser;
  setMode('observe', true);
  setOpenAiKey(DEMO_OPENAI_KEY);
  await page.goto(url('/wp-admin/admin.php?page=aipuffer-connectors&tab=ai#aipuffer-provider-openai'));
  await page.locator('#aipuffer-openai-heading').scrollIntoViewIfNeeded();
  await page.locator('.aipuffer-test[data-connector="openai"]').click();
  const result = page.locator('#aipuffer-openai-test-result');
  await page.locator('#aipuffer-openai-test-result.is-success').waitFor();
  assert.match(await result.innerText(), /^Connected: gpt-4\.1-mini answered ".+"\.$/);
  await keepScreenshot(page, 'settings-ai-test-connection', { fullPage: false });

  setOpenAiKey('sk-wrong-0000000000000000');
  await page.reload();
  await page.locator('#aipuffer-openai-heading').scrollIntoViewIfNeeded();
  await page.locator('.aipuffer-test[data-connector="openai"]').click();
  await page.locator('#aipuffer-openai-test-result.is-error').waitFor();
  const error = await result.innerText();
  assert.match(error, /API key/);
  assert.ok(!error.includes('sk-wrong-0000000000000000'), 'the key is not in the error');
  await keepScreenshot(page, 'settings-ai-test-connection-error', { fullPage: false });
  setOpenAiKey(DEMO_OPENAI_KEY);
});

test('a forged nonce is refused with 403 and changes nothing', async () => {
  const { page, url } = browser;
  setMode('managed', false);
  const response = await page.request.post(url('/wp-admin/admin-ajax.php'), {
    form: { action: 'aipkit_wp_ai_client_set_mode', mode: 'observe', _ajax_nonce: 'forged1234' },
  });
  assert.equal(response.status(), 403);
  assert.equal(php(`return get_option( 'aipkit_wp_ai_client_gateway_mode' );`), 'managed');
});

test('the settings screen shows each default route with its reasons, and a pin takes effect', async () => {
  const { page, url } = browser;
  setMode('managed', true);
  php(`delete_option( 'aipuffer_connectors_routes' ); return true;`);
  await page.goto(url('/wp-admin/admin.php?page=aipuffer-connectors&tab=ai'));
  const text = page.locator('#aipuffer-route-text');
  assert.equal(await text.locator('.aipuffer-route-target').innerText(), 'OpenAI / gpt-4.1-mini');
  assert.match(await text.locator('.aipuffer-route-why').innerText(), /Its saved model gpt-4\.1-mini is listed → chosen\./);
  assert.match(await page.locator('#aipuffer-route-fast .aipuffer-route-why').innerText(), /contains "mini"/);
  await page.locator('#aipuffer-routes-heading').scrollIntoViewIfNeeded();
  await keepScreenshot(page, 'settings-ai-default-routes', { fullPage: false });

  await page.getByLabel('Pin the Default text model').selectOption('xai|grok-4');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Save settings' }).click()]);
  await page.getByText('Settings saved.').waitFor();
  assert.match(await text.locator('.aipuffer-route-target').innerText(), /^xAI \/ grok-4\s+Pinned$/);
  assert.equal(await text.locator('.aipuffer-route-why').innerText(), 'Pinned by an administrator to xAI / grok-4.');
  assert.equal(whoAnswers().provider, 'xAI via AI Puffer', 'a caller that names no model follows the pin');
  await page.locator('#aipuffer-routes-heading').scrollIntoViewIfNeeded();
  await keepScreenshot(page, 'settings-ai-default-routes-pinned', { fullPage: false });

  await page.getByLabel('Pin the Default text model').selectOption('');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Save settings' }).click()]);
  assert.equal(await text.locator('.aipuffer-route-target').innerText(), 'OpenAI / gpt-4.1-mini');
});

test('Sync models fetches the provider\'s list, says what it found and when', async () => {
  const { page, url } = browser;
  setMode('managed', true);
  const registry = php(`return get_option( 'aipkit_model_registry_openai' );`);
  try {
    await page.goto(url('/wp-admin/admin.php?page=aipuffer-connectors&tab=ai#aipuffer-provider-openai'));
    await page.locator('#aipuffer-openai-heading').scrollIntoViewIfNeeded();
    assert.match(await page.locator('#aipuffer-openai-synced-at').innerText(), /Never synced from the provider/);
    await page.locator('.aipuffer-sync[data-connector="openai"]').click();
    await page.locator('#aipuffer-openai-sync-result.is-success').waitFor();
    assert.equal(await page.locator('#aipuffer-openai-sync-result').innerText(), 'Synced: 4 text models and 2 image models.');
    await keepScreenshot(page, 'settings-ai-sync-models', { fullPage: false });
    await page.reload();
    assert.match(await page.locator('#aipuffer-openai-synced-at').innerText(), /^Last synced /);
    assert.ok((await page.locator('#aipuffer-openai-model option').allInnerTexts()).some((o) => o.includes('gpt-5.4-mini')), 'the synced model is offered');
  } finally {
    const saved = Buffer.from(JSON.stringify(registry)).toString('base64');
    php(`update_option( 'aipkit_model_registry_openai', json_decode( base64_decode( '${saved}' ), true ), false ); return true;`);
  }
});

test('fallback is off until turned on, and keeps the order set on the screen', async () => {
  const { page, url } = browser;
  setMode('managed', true);
  php(`delete_option( 'aipuffer_connectors_fallback' ); return true;`);
  try {
    await page.goto(url('/wp-admin/admin.php?page=aipuffer-connectors&tab=ai'));
    const toggle = page.locator('#aipuffer-fallback-enabled');
    assert.equal(await toggle.isChecked(), false, 'off by default');
    await toggle.check();
    await page.getByLabel('Fall back to Anthropic').check();
    await page.getByLabel('Fall back to OpenAI', { exact: true }).check();
    await page.getByLabel('Position of Anthropic').fill('1');
    await page.getByLabel('Position of OpenAI').fill('2');
    await page.locator('#aipuffer-fallback-heading').scrollIntoViewIfNeeded();
    await keepScreenshot(page, 'settings-ai-fallback', { fullPage: false });
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Save settings' }).click()]);
    await page.getByText('Settings saved.').waitFor();
    assert.deepEqual(php(`return get_option( 'aipuffer_connectors_fallback' );`), { enabled: true, order: ['anthropic', 'openai'] });
    assert.equal(await page.locator('#aipuffer-fallback-enabled').isChecked(), true);
  } finally {
    php(`delete_option( 'aipuffer_connectors_fallback' ); return true;`);
  }
});

test('the Images tab shows the default image route and pins it without touching the other settings', async () => {
  const { page, url } = browser;
  setMode('managed', true);
  php(`delete_option( 'aipuffer_connectors_routes' ); update_option( 'aipuffer_connectors_fallback', array( 'enabled' => true, 'order' => array( 'anthropic' ) ) ); return true;`);
  try {
    await page.goto(url('/wp-admin/admin.php?page=aipuffer-connectors&tab=images'));
    const image = page.locator('#aipuffer-route-image');
    assert.equal(await image.locator('.aipuffer-route-target').innerText(), 'OpenAI / dall-e-3');
    assert.equal(await page.locator('#aipuffer-route-text').count(), 0, 'only the image route here');
    await page.getByLabel('Pin the Default image model').selectOption('openai|gpt-image-1');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Save', exact: true }).click()]);
    await page.getByText('Settings saved.').waitFor();
    assert.match(page.url(), /tab=images/);
    assert.match(await image.locator('.aipuffer-route-target').innerText(), /^OpenAI \/ gpt-image-1\s+Pinned$/);
    await keepScreenshot(page, 'settings-images', { fullPage: false });
    assert.deepEqual(php(`return get_option( 'aipuffer_connectors_fallback' );`), { enabled: true, order: ['anthropic'] }, 'fallback untouched');
    assert.equal(php(`return wp_ai_client_prompt( 'A teapot' )->generate_image_result()->getModelMetadata()->getId();`), 'gpt-image-1', 'an image call follows the pin');
  } finally {
    php(`delete_option( 'aipuffer_connectors_routes' ); delete_option( 'aipuffer_connectors_fallback' ); return true;`);
  }
});
