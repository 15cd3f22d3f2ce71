// Users > Edit user in Chromium: an administrator adds credits with a note; the balance, the
// notice and the ledger all say the same, and the entry is listed under the balance.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { requireSite, sql, userWithCredits } from '../e2e/site.mjs';
import { openAdmin, keepScreenshot } from './browser.mjs';

let browser;
let userId;

before(async () => {
  requireSite();
  userId = userWithCredits('subscriber', 40);
  browser = await openAdmin();
});

after(async () => {
  await browser?.close();
});

test('an administrator adds credits on the user\'s profile; the ledger keeps the adjustment with the note', async () => {
  const { page, url } = browser;
  await page.goto(url(`/wp-admin/user-edit.php?user_id=${userId}`));
  assert.equal(await page.locator('.aipuffer-balance').innerText(), '40');
  await page.getByLabel('Add or take away credits').fill('75');
  await page.getByPlaceholder('Why (kept in the ledger)').fill('Contest prize');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Update User' }).click()]);
  await page.locator('.aipuffer-balance-notice').getByText('Credits changed by +75. The balance is now 115.').waitFor();
  assert.equal(await page.locator('.aipuffer-balance').innerText(), '115');
  assert.match(await page.locator('.aipuffer-balance-entries').innerText(), /Adjusted by an administrator: Contest prize: \+75/);
  await page.locator('#aipuffer-credits').scrollIntoViewIfNeeded();
  await keepScreenshot(page, 'user-credits', { fullPage: false });
  const [delta, type] = sql(`SELECT credits_delta, entry_type FROM wp_aipkit_token_ledger WHERE user_id = ${userId} ORDER BY id DESC LIMIT 1`).split('\t');
  assert.deepEqual([delta, type], ['75', 'adjustment']);
});
