// Debian's Chromium driven by playwright-core (scripts/lib/toolchain.sh `ensure_browser` exports
// where both are), logged into the test site. Screenshots go to tests/artifacts/ for a person to
// look at. Without the browser or the site every test fails (never skips).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20_000);
  await page.goto(`${WP_URL}/wp-login.php`);
  await page.fill('#user_login', ADMIN_USER);
  await page.fill('#user_pass', ADMIN_PASS);
  await Promise.all([page.waitForNavigation(), page.click('#wp-submit')]);
  assert.match(page.url(), /wp-admin/, 'logged in');
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { page, close, url: (path) => `${WP_URL}${path}` };
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
