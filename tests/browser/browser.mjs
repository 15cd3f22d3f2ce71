// Debian's Chromium driven by playwright-core (scripts/lib/toolchain.sh `ensure_browser` exports
// where both are), logged into the test site. Screenshots go to tests/artifacts/ for a person to
// look at. Without the browser or the site every test fails (never skips).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { keepFetched } from '../e2e/site.mjs';

export const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts');

/** A logged-in admin's page, and a function that closes everything. */
export async function openAdmin() {
  const { PLAYWRIGHT_CORE, CHROMIUM, WP_URL, ADMIN_USER, ADMIN_PASS } = process.env;
  assert.ok(PLAYWRIGHT_CORE && CHROMIUM, 'PLAYWRIGHT_CORE and CHROMIUM are required (scripts/test browser sets them)');
  assert.ok(WP_URL && ADMIN_USER && ADMIN_PASS, 'the test site env (WP_URL, ADMIN_USER, ADMIN_PASS) is required');
  const { chromium } = await import(PLAYWRIGHT_CORE);
  const profile = mkdtempSync(join(tmpdir(), 'aipuffer-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const keptResponses = keepResponses(context);
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20_000);
  await page.goto(`${WP_URL}/wp-login.php`);
  await page.fill('#user_login', ADMIN_USER);
  await page.fill('#user_pass', ADMIN_PASS);
  await Promise.all([page.waitForNavigation(), page.click('#wp-submit')]);
  assert.match(page.url(), /wp-admin/, 'logged in');
  const close = async () => {
    await keptResponses();
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { page, close, url: (path) => `${WP_URL}${path}` };
}

// Text-like responses (pages, JSON, scripts, styles, text); images and fonts are not kept.
const TEXT_LIKE = /^text\/|^image\/svg|json|javascript|ecmascript|xml/i;

/**
 * Keeps every text-like response body the browser receives in any page of `context`, and what
 * `page.request` fetches, for the secret scan (keepFetched: only when AIPUFFER_FETCHED_DIR is set).
 * Bodies that can't be read (redirects, a page left while loading) are skipped. Returns a function
 * that waits (at most 5 s) for the bodies still being read, for before the context closes.
 */
function keepResponses(context) {
  if (!process.env.AIPUFFER_FETCHED_DIR) return async () => {};
  const pending = new Set();
  const keep = (response, method) => {
    if (!TEXT_LIKE.test(response.headers()['content-type'] ?? '')) return;
    const read = response
      .body()
      .then((body) => keepFetched(`${response.status()} ${method ?? response.request().method()} ${response.url()}`, body))
      .catch(() => {})
      .finally(() => pending.delete(read));
    pending.add(read);
  };
  context.on('response', (response) => keep(response));
  // page.request is the context's APIRequestContext: its get/post/... all go through fetch().
  const api = context.request;
  const fetch = api.fetch.bind(api);
  api.fetch = async (input, options = {}) => {
    const response = await fetch(input, options);
    keep(response, options.method ?? (typeof input === 'string' ? 'GET' : input.method()));
    return response;
  };
  return () => Promise.race([Promise.allSettled([...pending]), delay(5_000, undefined, { ref: false })]);
}

/** Keeps a screenshot as tests/artifacts/<name>.png: the whole page, or what is in view. */
export async function keepScreenshot(page, name, { fullPage = true } = {}) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage });
}

/**
 * Every response body the page receives from now on, read as each one finishes (a body read
 * later may be gone with its page); `texts()` gives them once all are read. A response still
 * streaming when its page was left never finishes: after 5 s it counts as empty.
 */
export function recordResponses(page) {
  const pending = [];
  const listener = (response) => {
    pending.push(
      response.finished().then(() => response.body()).then((body) => body.toString('utf8'), (e) => `unreadable ${response.url()}: ${e.message}`),
    );
  };
  page.on('response', listener);
  return {
    texts: async () => Promise.all(pending.map((body) => Promise.race([body, new Promise((resolve) => setTimeout(resolve, 5_000, ''))]))),
    stop: () => page.off('response', listener),
  };
}
