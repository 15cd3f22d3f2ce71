// The test site of scripts/test, as the end-to-end tests reach it: its environment, SQL against
// its MariaDB, PHP run inside its WordPress, and caller scripts served by its nginx + php-fpm.
// Without the site's environment every test fails (never skips).
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';

export const { WP_URL, WP_PATH, DB_SOCKET, DEMO_OPENAI_KEY } = process.env;
// The second web node on the same database (scripts/test starts it for this layer).
export const { WP_URL_2, WP_PATH_2 } = process.env;

export function requireSite() {
  assert.ok(WP_URL && WP_PATH && DB_SOCKET && DEMO_OPENAI_KEY, 'the test site env (WP_URL, WP_PATH, DB_SOCKET, DEMO_OPENAI_KEY) is required');
}

/**
 * One SQL statement's result as text (tab-separated, no headers). The statement goes on stdin: a
 * soak's checks name thousands of request ids, more than one command-line argument may hold.
 */
export function sql(query) {
  return execFileSync('mariadb', ['--no-defaults', `--socket=${DB_SOCKET}`, '-uwordpress', '-pwordpress', '-N', '-B', 'wordpress'], { input: query, encoding: 'utf8' }).trim();
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

/** A real logged-in cookie for a user, valid on every node (they share salts and sessions). */
export function loginCookie(userId) {
  return php(`return LOGGED_IN_COOKIE . '=' . rawurlencode( wp_generate_auth_cookie( ${Number(userId)}, time() + 3600, 'logged_in' ) );`);
}

/** A user's AI Puffer credit balance, as stored. */
export const balanceOf = (userId) => Number(sql(`SELECT meta_value FROM wp_usermeta WHERE user_id = ${Number(userId)} AND meta_key = '_aipkit_token_balance'`));

/**
 * Puts a PHP file in the WordPress root of every node for the duration of a test file; returns
 * its URL on node 1 (`url`) and on each node (`urls`).
 */
export function servePhp(name, source) {
  const nodes = [[WP_URL, WP_PATH], ...(WP_PATH_2 ? [[WP_URL_2, WP_PATH_2]] : [])];
  for (const [, root] of nodes) writeFileSync(join(root, name), source);
  return {
    url: `${WP_URL}/${name}`,
    urls: nodes.map(([url]) => `${url}/${name}`),
    remove: () => nodes.forEach(([, root]) => rmSync(join(root, name), { force: true })),
  };
}

/** GETs a caller script with query parameters (and cookies) and returns its JSON answer. */
export async function getJson(url, params = {}, cookie = undefined) {
  const target = new URL(url);
  for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
  const response = await fetch(target, { headers: cookie ? { cookie } : {} });
  const body = await response.text();
  keepFetched(`${response.status} GET ${target}`, body);
  assert.equal(response.status, 200, `HTTP ${response.status} from ${target.pathname}`);
  return JSON.parse(body);
}

/**
 * Keeps a response body a test received, for the secret scan (tests/secrets/scan.mjs): appended to
 * this test process's one file in AIPUFFER_FETCHED_DIR (scripts/test sets it); without it, nothing.
 * A body this process already kept (a script or style on every page) is named, not kept again.
 */
export function keepFetched(what, body) {
  const dir = process.env.AIPUFFER_FETCHED_DIR;
  if (!dir) return;
  const hash = createHash('sha256').update(body).digest('hex');
  const again = keptBodies.has(hash);
  keptBodies.add(hash);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${basename(process.argv[1] ?? 'node')}-${process.pid}.txt`);
  appendFileSync(file, again ? `\n=== ${what} (the same body as before)\n` : Buffer.concat([Buffer.from(`\n=== ${what}\n`), Buffer.from(body)]));
}
const keptBodies = new Set();
