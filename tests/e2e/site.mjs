// The test site of scripts/test, as the end-to-end tests reach it: its environment, SQL against
// its MariaDB, PHP run inside its WordPress, and caller scripts served by its nginx + php-fpm.
// Without the site's environment every test fails (never skips).
import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export const { WP_URL, WP_PATH, DB_SOCKET, DEMO_OPENAI_KEY } = process.env;

export function requireSite() {
  assert.ok(WP_URL && WP_PATH && DB_SOCKET && DEMO_OPENAI_KEY, 'the test site env (WP_URL, WP_PATH, DB_SOCKET, DEMO_OPENAI_KEY) is required');
}

/** One SQL statement's result as text (tab-separated, no headers). */
export function sql(query) {
  return execFileSync('mariadb', ['--no-defaults', `--socket=${DB_SOCKET}`, '-uwordpress', '-pwordpress', '-N', '-B', 'wordpress', '-e', query], { encoding: 'utf8' }).trim();
}

/** Runs PHP inside the site's WordPress (CLI) and returns what the code's `return` gives, as JSON. */
export function php(code) {
  const script = `$_SERVER['HTTP_HOST'] = 'localhost'; require getenv('WP_PATH') . '/wp-load.php'; echo "\\n@@" . json_encode((function () { ${code} })());`;
  const out = execFileSync('php', ['-r', script], { encoding: 'utf8', env: process.env });
  return JSON.parse(out.slice(out.lastIndexOf('\n@@') + 3));
}

/** A new user of `role` with an AI Puffer credit balance; returns the user's id. */
export function userWithCredits(role, balance) {
  return php(`
    $id = wp_insert_user( array( 'user_login' => '${role}-' . wp_generate_password( 8, false ), 'user_pass' => wp_generate_password(), 'role' => '${role}' ) );
    update_user_meta( $id, '_aipkit_token_balance', '${balance}' );
    return $id;
  `);
}

/** Puts a PHP file in the WordPress root for the duration of a test file; returns its URL path. */
export function servePhp(name, source) {
  const path = join(WP_PATH, name);
  writeFileSync(path, source);
  return { url: `${WP_URL}/${name}`, remove: () => rmSync(path, { force: true }) };
}

/** GETs a caller script with query parameters (and cookies) and returns its JSON answer. */
export async function getJson(url, params = {}, cookie = undefined) {
  const target = new URL(url);
  for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
  const response = await fetch(target, { headers: cookie ? { cookie } : {} });
  assert.equal(response.status, 200, `HTTP ${response.status} from ${target.pathname}`);
  return response.json();
}
