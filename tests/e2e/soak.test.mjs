// Faults under load, end to end over nginx + php-fpm. Eight clients send wp_ai_client_prompt()
// requests as logged-in users with balances, guests and system jobs (no visitor: WP-Cron, CLI)
// while the loopback provider misbehaves on purpose — timeouts, dropped connections, stalled
// bodies, 429s, 5xx, HTML pages, truncated, oversized and empty answers, wrong content types —
// and, in the second run, while the database is restarted and a row lock is held past the lock
// wait timeout. Every caller must get its answer or the AI Client's error with a message that says
// what happened, every answer must be recorded exactly once (after the database is back, if it
// was down when the answer arrived), nothing may be charged for a failure, and each balance must
// move by exactly what its answers cost.
//
// Sizes: AIPUFFER_SOAK_REQUESTS (per client, first run) and AIPUFFER_SOAK_DB_REQUESTS (second
// run); scripts/test runs a CI-sized soak, scripts/soak the full-sized one (8 × 1,000).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, existsSync, readdirSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { requireSite, sql, php, servePhp, balanceOf, keepFetched, loginCookie, userWithCredits, WP_PATH, WP_PATH_2, DB_SOCKET } from './site.mjs';

const run = promisify(execFile);
const CLIENTS = 8;
const REQUESTS = Number(process.env.AIPUFFER_SOAK_REQUESTS ?? 100);
const DB_REQUESTS = Number(process.env.AIPUFFER_SOAK_DB_REQUESTS ?? 60);
// Longer than wpdb's five reconnect attempts (one a second), so answers that arrive while the
// database is down must wait in files for it.
const OUTAGE_MS = Number(process.env.AIPUFFER_SOAK_OUTAGE_MS ?? 7000);
const ROOT = join(dirname(new URL(import.meta.url).pathname), '..', '..');
const SITE_DIR = dirname(dirname(DB_SOCKET ?? '/nonexistent/run/x'));
// Each web node keeps its own waiting records (scripts/test runs a second node on 127.0.0.2; the
// soak's clients then alternate between the two, as a load balancer would spread them).
const NODES = [WP_PATH, WP_PATH_2].filter(Boolean).map((root, node) => ({
  node,
  pending: join(root, 'wp-content', 'aipuffer-connectors-pending'),
  logs: node === 0 ? join(SITE_DIR, 'logs') : join(SITE_DIR, 'node2', 'logs'),
}));
const waitingIn = (node, suffixes = ['.json']) => (existsSync(node.pending) ? readdirSync(node.pending).filter((f) => suffixes.some((x) => f.endsWith(x))).length : 0);

// What the loopback provider is told to do, how often (weights), and what the caller must get.
const FAULTS = [
  { marker: '', weight: 56, expect: 'answer' },
  { marker: '[[loopback:slow:150]]', weight: 4, expect: 'answer' },
  { marker: '[[loopback:slow-body:150]]', weight: 4, expect: 'answer' },
  { marker: '[[loopback:slow:3000]]', weight: 3, expect: /did not answer within 2 s/ },
  { marker: '[[loopback:slow-body:3000]]', weight: 3, expect: /did not answer within 2 s/ },
  { marker: '[[loopback:reset]]', weight: 4, expect: /closed the connection before the answer was complete/ },
  { marker: '[[loopback:429]]', weight: 4, expect: /rate-limiting this site .* Retry after 1 s/ },
  { marker: '[[loopback:500]]', weight: 4, expect: /had a server error \(HTTP 500\)/ },
  { marker: '[[loopback:503-html]]', weight: 3, expect: /server error \(HTTP 503\).*an HTML page, not the provider's API/ },
  { marker: '[[loopback:wrong-type]]', weight: 3, expect: /answered with an HTML page \(HTTP 200\)/ },
  { marker: '[[loopback:truncated]]', weight: 3, expect: /response was cut off/ },
  { marker: '[[loopback:huge:9]]', weight: 2, expect: /larger than the 8388608 bytes/ },
  { marker: '[[loopback:empty]]', weight: 3, expect: /returned no text/ },
];

// A plugin's code, unaware of AI Puffer Connectors, with a two-second request timeout (`timeout`). `who=system`
// runs with no visitor address, as WP-Cron or WP-CLI would; `lockwait=1` gives the database session
// a one-second lock wait timeout, so a row lock held elsewhere makes the recording time out.
const CALLER = `<?php
if ( 'system' === ( $_GET['who'] ?? '' ) ) {
  unset( $_SERVER['REMOTE_ADDR'] );
}
require __DIR__ . '/wp-load.php';
if ( ! empty( $_GET['lockwait'] ) ) {
  $GLOBALS['wpdb']->query( 'SET SESSION innodb_lock_wait_timeout = 1' );
}
add_filter( 'wp_ai_client_default_request_timeout', static fn () => (int) ( $_GET['timeout'] ?? 2 ) );
if ( isset( $_GET['fuel'] ) || isset( $_GET['memory'] ) ) {
  // A smaller guest budget than the plugin's own, to see a request meet it (the bounds test).
  AIPuffer\\Connectors\\Requirements::use_engine( new AIPuffer\\Connectors\\Runtime\\Engine(
    AIPuffer\\Connectors\\Requirements::library_path(), AIPuffer\\Connectors\\Requirements::component_path(), AIPuffer\\Connectors\\Requirements::cache_dir(),
    (int) ( $_GET['fuel'] ?? AIPuffer\\Connectors\\Runtime\\Engine::DEFAULT_FUEL ), (int) ( $_GET['memory'] ?? AIPuffer\\Connectors\\Runtime\\Engine::DEFAULT_MEMORY_LIMIT ) ) );
}
$started = hrtime( true );
$result  = wp_ai_client_prompt( (string) ( $_GET['prompt'] ?? '' ) )->generate_text_result();
$ms      = (int) ( ( hrtime( true ) - $started ) / 1000000 );
header( 'Content-Type: application/json' );
echo wp_json_encode( is_wp_error( $result )
  ? array( 'error' => $result->get_error_code(), 'message' => $result->get_error_message(), 'user' => get_current_user_id(), 'ms' => $ms, 'worker' => getmypid() )
  : array( 'id' => $result->getId(), 'total' => $result->getTokenUsage()->getTotalTokens(), 'user' => get_current_user_id(), 'ms' => $ms, 'worker' => getmypid() ) );
`;

const KEYS = Object.values(JSON.parse(process.env.DEMO_KEYS ?? '{}'));
let caller;

before(() => {
  requireSite();
  caller = servePhp('aipuffer-e2e-soak.php', CALLER);
});
after(() => caller?.remove());

/** A small deterministic generator, so a failing run can be repeated (AIPUFFER_SOAK_SEED). */
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick(next) {
  const total = FAULTS.reduce((sum, f) => sum + f.weight, 0);
  let roll = next() * total;
  return FAULTS.find((f) => (roll -= f.weight) < 0) ?? FAULTS[0];
}

function userWithBalance(balance) {
  const id = userWithCredits('subscriber', balance);
  return { id, cookie: loginCookie(id) };
}

/** One request to a node; a WordPress that cannot reach its database answers 500 before any plugin runs. */
async function ask(params, cookie, node = 0) {
  const target = new URL(caller.urls[node]);
  for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
  const response = await fetch(target, { headers: cookie ? { cookie } : {} });
  const text = await response.text();
  keepFetched(`${response.status} GET ${target}`, text);
  if (response.status === 500 && /Error establishing a database connection/.test(text)) return { unavailable: true };
  assert.equal(response.status, 200, `HTTP ${response.status} from the caller: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/**
 * `CLIENTS` clients, each sending `requests` prompts one after the other: clients 0–2 are the
 * first user, 3 the second, 4–5 guests, 6–7 system jobs; client c asks node c mod the node count.
 * `onProgress(done)` sees every completion.
 */
async function soak({ requests, users, seed, params = {}, onProgress = () => {} }) {
  const next = random(seed);
  const plan = Array.from({ length: CLIENTS }, () => Array.from({ length: requests }, () => pick(next)));
  const actors = [users[0], users[0], users[0], users[1], { guest: true }, { guest: true }, { system: true }, { system: true }];
  let done = 0;
  const started = performance.now();
  const results = await Promise.all(
    plan.map(async (faults, client) => {
      const actor = actors[client];
      const answers = [];
      for (let i = 0; i < faults.length; i++) {
        const fault = faults[i];
        const prompt = `Soak ${seed} client ${client} request ${i} ${fault.marker}`.trim();
        const node = client % NODES.length;
        const answer = await ask({ prompt, ...params, ...(actor.system ? { who: 'system' } : {}) }, actor.cookie, node);
        answers.push({ ...answer, fault, actor, client, node });
        onProgress(++done);
        // A caller that finds the site down tries again a moment later, as a browser's user would.
        if (answer.unavailable) await sleep(250);
      }
      return answers;
    }),
  );
  return { answers: results.flat(), seconds: (performance.now() - started) / 1000 };
}

/** Checks every outcome against its fault and the books against the answers; returns the figures. */
function verify(answers, users) {
  const answered = answers.filter((a) => a.id);
  const failed = answers.filter((a) => a.error);
  const unavailable = answers.filter((a) => a.unavailable);

  // Every outcome that is not what its fault calls for, one line per kind of fault.
  const wrong = new Map();
  for (const a of answers) {
    if (a.unavailable) continue;
    const ok = a.fault.expect === 'answer' ? Boolean(a.id) : Boolean(a.error) && /^prompt_/.test(a.error) && a.fault.expect.test(a.message);
    if (!ok) wrong.set(a.fault.marker || 'no fault', a.id ? 'an answer' : `${a.error}: ${a.message}`);
    for (const key of KEYS) assert.ok(!JSON.stringify(a).includes(key), 'no API key in what a caller sees');
  }
  assert.deepEqual(Object.fromEntries(wrong), {}, 'each fault gives the answer or the AI Client error that says what happened');

  const keys = answered.map((a) => `'wp-ai-client-${a.id}'`).join(',') || "''";
  const uuids = answered.map((a) => `'${a.id}'`).join(',') || "''";
  const [entries, distinct] = sql(`SELECT COUNT(*), COUNT(DISTINCT idempotency_key) FROM wp_aipkit_token_ledger WHERE idempotency_key IN (${keys})`).split('\t').map(Number);
  const logs = Number(sql(`SELECT COUNT(*) FROM wp_aipkit_chat_logs WHERE module = 'wp_ai_client' AND conversation_uuid IN (${uuids})`));
  // Half a record: a ledger entry without its log, or a log without its ledger entry.
  const halves = Number(sql(`
    SELECT (SELECT COUNT(*) FROM wp_aipkit_token_ledger l WHERE l.idempotency_key IN (${keys})
              AND NOT EXISTS (SELECT 1 FROM wp_aipkit_chat_logs c WHERE c.conversation_uuid = SUBSTRING(l.idempotency_key, 14)))
         + (SELECT COUNT(*) FROM wp_aipkit_chat_logs c WHERE c.conversation_uuid IN (${uuids})
              AND NOT EXISTS (SELECT 1 FROM wp_aipkit_token_ledger l WHERE l.idempotency_key = CONCAT('wp-ai-client-', c.conversation_uuid)))`));
  const recorded = new Set(sql(`SELECT idempotency_key FROM wp_aipkit_token_ledger WHERE idempotency_key IN (${keys})`).split('\n').filter(Boolean));
  const unrecorded = answered.filter((a) => !recorded.has(`wp-ai-client-${a.id}`));
  const reported = php(`return array_column( AIPuffer\\Connectors\\Storage\\Recording_Failures::all(), 'request_id' );`);
  const lost = unrecorded.filter((a) => !reported.includes(a.id)).length;

  assert.equal(halves, 0, 'no half-written request');
  assert.equal(distinct, entries, 'no idempotency key twice: nothing charged twice');
  assert.equal(lost, 0, 'every answer is recorded, or reported to the admin with its request id');
  assert.equal(logs, entries, 'one log per recorded answer');

  const lines = [];
  users.forEach((user, i) => {
    const mine = answered.filter((a) => a.user === user.id);
    const rows = Number(sql(`SELECT COUNT(*) FROM wp_aipkit_token_ledger WHERE user_id = ${user.id}`));
    const credits = -Number(sql(`SELECT COALESCE(SUM(credits_delta), 0) FROM wp_aipkit_token_ledger WHERE user_id = ${user.id}`));
    const cost = mine.reduce((sum, a) => sum + a.total, 0);
    const moved = user.before - balanceOf(user.id);
    lines.push(`user ${i + 1}: ${mine.length} answers, ${rows} ledger rows, balance −${moved}, Σ costs ${cost}`);
    assert.equal(rows, mine.length, `user ${i + 1}: a ledger row per answer and none for a failure`);
    assert.equal(moved, credits, `user ${i + 1}: the balance moved by what the ledger says`);
    assert.equal(credits, cost, `user ${i + 1}: and by exactly what the answers cost`);
  });
  const systemRows = Number(sql(`SELECT COUNT(*) FROM wp_aipkit_token_ledger WHERE session_id = 'wp-ai-client-system' AND idempotency_key IN (${keys})`));
  assert.equal(systemRows, answered.filter((a) => a.actor.system).length, 'system jobs are recorded as the system');
  const guestRows = Number(sql(`SELECT COUNT(*) FROM wp_aipkit_token_ledger WHERE actor_type = 'guest' AND credits_delta = 0 AND idempotency_key IN (${keys})`));
  assert.equal(guestRows, answered.filter((a) => !a.actor.id).length, 'guests and system jobs are recorded, never debited');

  const byFault = {};
  for (const a of answers) {
    const name = a.fault.marker.replace(/\[\[loopback:|\]\]/g, '') || 'none';
    byFault[name] = (byFault[name] ?? 0) + 1;
  }
  const nodes = NODES.map((n) => `node ${n.node + 1}: ${answers.filter((a) => (a.node ?? 0) === n.node).length}`).join(', ');
  return { answered: answered.length, failed: failed.length, unavailable: unavailable.length, entries, logs, reported: unrecorded.length, lines, byFault, nodes };
}

/** New lines of the site's PHP error logs since `marks`. */
function newLogLines(marks) {
  return Object.entries(marks).flatMap(([file, size]) => (existsSync(file) ? readFileSync(file).subarray(size).toString('utf8').split('\n') : []));
}

function logMarks() {
  const files = NODES.flatMap((n) => ['php-error.log', 'php-fpm.log', 'wp-debug.log'].map((f) => join(n.logs, f)));
  return Object.fromEntries(files.map((f) => [f, existsSync(f) ? statSync(f).size : 0]));
}

test(`provider faults under load: ${CLIENTS} clients × ${REQUESTS} requests`, async (t) => {
  const users = [userWithBalance(10_000_000), userWithBalance(10_000_000)];
  users.forEach((u) => (u.before = balanceOf(u.id)));
  const marks = logMarks();

  const { answers, seconds } = await soak({ requests: REQUESTS, users, seed: Number(process.env.AIPUFFER_SOAK_SEED ?? 1) });

  const figures = verify(answers, users);
  assert.equal(figures.unavailable, 0, 'the database was up: WordPress always started');
  assert.equal(figures.reported, 0, 'the database was up: every answer was recorded');
  const fatals = newLogLines(marks).filter((l) => /PHP Fatal|Allowed memory size/.test(l));
  assert.deepEqual(fatals, [], 'no PHP fatal error');
  t.diagnostic(
    `${answers.length} requests (${figures.nodes}) in ${seconds.toFixed(1)} s (${(answers.length / seconds).toFixed(0)}/s): ${figures.answered} answered, ${figures.failed} provider faults reported with their reason; ` +
      `ledger entries ${figures.entries}, logs ${figures.logs}, none twice, none for a failure; ${figures.lines.join('; ')}; faults ${JSON.stringify(figures.byFault)}`,
  );
});

test(`database faults: ${CLIENTS} clients × ${DB_REQUESTS} requests, MariaDB restarted mid-run, a row lock held past the lock wait timeout`, async (t) => {
  const users = [userWithBalance(10_000_000), userWithBalance(10_000_000)];
  users.forEach((u) => (u.before = balanceOf(u.id)));
  assert.deepEqual(NODES.map((n) => waitingIn(n)), NODES.map(() => 0), 'no record waiting before the run');
  const marks = logMarks();

  // Another session holds the first user's row lock for 2.5 s, again and again: that user's
  // recordings time out on the lock (one second here) and must be redone, not lost.
  let holding = true;
  let holds = 0;
  const holder = (async () => {
    while (holding) {
      try {
        await run('mariadb', ['--no-defaults', `--socket=${DB_SOCKET}`, '-uwordpress', '-pwordpress', 'wordpress', '-e',
          `START TRANSACTION; SELECT ID FROM wp_users WHERE ID = ${users[0].id} FOR UPDATE; DO SLEEP(2.5); COMMIT;`]);
        holds++;
      } catch {
        // The database is down (the restart below): try again once it is back.
      }
      await sleep(1000);
    }
  })();

  // The restart, once, when 40 % of the requests are done: stopped, kept down, started again.
  // Four requests are at the provider when it stops; their answers arrive while it is down.
  let restart;
  let inFlight = [];
  const total = CLIENTS * DB_REQUESTS;
  const onProgress = (done) => {
    if (restart || done < total * 0.4) return;
    const actors = [users[1], users[1], { guest: true }, { system: true }];
    const tag = `In flight ${users[1].id}:`;
    inFlight = actors.map((actor, i) =>
      ask({ prompt: `${tag}${i} [[loopback:slow:2500]]`, timeout: '10', ...(actor.system ? { who: 'system' } : {}) }, actor.cookie, i % NODES.length).then((a) => ({ ...a, fault: FAULTS[0], actor })),
    );
    restart = atTheProvider(tag, actors.length).then(restartDatabase);
  };
  const { answers, seconds } = await soak({ requests: DB_REQUESTS, users, seed: Number(process.env.AIPUFFER_SOAK_SEED ?? 1) + 1, params: { lockwait: '1' }, onProgress });
  holding = false;
  await holder;
  const outage = await restart;
  assert.ok(outage, 'the database was restarted during the run');
  const landed = await Promise.all(inFlight);
  assert.ok(landed.every((a) => a.id), `every request in flight when the database stopped got its answer: ${JSON.stringify(landed.filter((a) => !a.id))}`);

  // Records that waited for the database are written by the next requests that record: most
  // during the run already, the rest here.
  const waited = newLogLines(marks).filter((l) => /the database could not be reached; the record of request \S+ waits in/.test(l)).length;
  const drain = [];
  for (const node of NODES) {
    for (let i = 0; i < 40 && waitingIn(node) > 0; i++) {
      drain.push({ ...(await ask({ prompt: `Drain ${node.node}.${i}` }, users[1].cookie, node.node)), fault: FAULTS[0], actor: users[1] });
    }
  }
  const stillWaiting = NODES.reduce((sum, n) => sum + waitingIn(n, ['.json', '.claim']), 0);
  assert.equal(stillWaiting, 0, 'every waiting record was written once the database was back');

  const all = [...answers, ...landed, ...drain];
  const figures = verify(all, users);
  const slowOnLock = answers.filter((a) => a.id && a.user === users[0].id && a.fault.expect === 'answer' && !a.fault.marker && a.ms >= 1000).length;
  const fatals = newLogLines(marks).filter((l) => /PHP Fatal|Allowed memory size/.test(l));
  assert.deepEqual(fatals, [], 'no PHP fatal error');
  assert.ok(holds > 0 && slowOnLock > 0, `the row lock made recordings wait (${holds} holds, ${slowOnLock} slowed answers)`);
  t.diagnostic(
    `${all.length} requests (${figures.nodes}) in ${seconds.toFixed(1)} s; database down ${(outage.downMs / 1000).toFixed(1)} s (stopped in ${(outage.stopMs / 1000).toFixed(1)} s): ` +
      `${figures.unavailable} requests found WordPress without its database, ${waited} answers waited in files and were written after it came back (${drain.length} requests to drain); ` +
      `${holds} row-lock holds, ${slowOnLock} answers of the locked user waited on the lock; ${figures.answered} answered, ${figures.failed} provider faults; ` +
      `ledger entries ${figures.entries}, logs ${figures.logs}, none half-written, none twice; reported to the admin ${figures.reported}; ${figures.lines.join('; ')}`,
  );
});

test('bounds: a request that meets the guest fuel, guest memory or response size limit gets a clear error, and its worker serves the next one', async (t) => {
  const cases = [
    { name: 'guest fuel', params: { fuel: '200000', prompt: 'Write a haiku' }, expect: /ran out of its time budget/ },
    { name: 'guest memory', params: { memory: String(4 * 1024 * 1024), prompt: 'Write a haiku [[loopback:huge:3]]' }, expect: /too large for its memory budget of 4 MB/ },
    { name: 'response size', params: { prompt: 'Write a haiku [[loopback:huge:9]]' }, expect: /larger than the 8388608 bytes the gateway accepts/ },
  ];
  const lines = [];
  for (const c of cases) {
    const bounded = await ask(c.params);
    assert.ok(bounded.error, `${c.name}: the request must fail, got an answer`);
    assert.match(bounded.message, c.expect, `${c.name}: ${bounded.message}`);
    // php-fpm hands requests to any of its workers: ask until the same one answers.
    let next;
    for (let i = 0; i < 64 && next?.worker !== bounded.worker; i++) next = await ask({ prompt: `After the ${c.name} bound ${i}` });
    assert.equal(next.worker, bounded.worker, `${c.name}: reached the same worker again`);
    assert.ok(next.id, `${c.name}: the same worker answered the next request (${next.error}: ${next.message})`);
    lines.push(`${c.name}: "${bounded.message.slice(0, 90)}…", worker ${bounded.worker} answered next`);
  }
  t.diagnostic(lines.join('; '));
});

/** Resolves once the loopback provider has received `count` requests whose text has `tag`. */
async function atTheProvider(tag, count) {
  for (;;) {
    const requests = await (await fetch(`${process.env.PROVIDER_URL}/__loopback/requests`)).json();
    if (requests.filter((r) => JSON.stringify(r.body ?? '').includes(tag)).length >= count) return;
    await sleep(20);
  }
}

/** Stops MariaDB as a host's restart does (SIGTERM: a clean shutdown), waits OUTAGE_MS, starts it. */
async function restartDatabase() {
  const pid = Number(readFileSync(join(SITE_DIR, 'run', 'mysqld.pid'), 'utf8'));
  const stopping = performance.now();
  process.kill(pid, 'SIGTERM');
  while (alive(pid)) await sleep(50);
  const stopMs = performance.now() - stopping;
  await sleep(OUTAGE_MS);
  await run('bash', ['-c', `source "${ROOT}/scripts/lib/common.sh" && source "${ROOT}/scripts/lib/site.sh" && site_start_db "$1"`, 'restart', SITE_DIR]);
  return { stopMs, downMs: performance.now() - stopping };
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
