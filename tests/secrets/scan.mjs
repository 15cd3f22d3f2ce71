// The secret scan: after the tests, none of the configured API keys is in anything they left —
// a site's database (dumped without the rows where keys are stored), every log, the loopback
// provider's recorded requests, every response the tests fetched (AIPUFFER_FETCHED_DIR), every
// artifact. A byte search, so binary files (screenshots, libraries) are searched too. It prints
// where a key was found and the key's name, never the key, and exits 1 then.
//
//   node tests/secrets/scan.mjs [--site DIR]... [--stopped-site DIR]... [--keys-file FILE]... [PATH]...
//
//   --site DIR          a running site's state folder (scripts/lib/site.sh): its files, a dump of its
//                       database and the loopback provider's recorded requests (both written to
//                       DIR/secret-scan/ and scanned there); fails when they can't be had
//   --stopped-site DIR  a site's state folder whose services are stopped: its files only
//   --keys-file FILE    more keys, JSON {"name": "key"} (the file itself is not scanned)
//   PATH                any other file or folder, scanned whole (a missing one is skipped)
//
// The keys: DEMO_KEYS and DEMO_OPENAI_KEY (scripts/lib/site.sh, each site's site.env, the
// environment), every API key stored in a running site's database (AI Puffer's `aipkit_options`
// providers, core's `connectors_ai_*_api_key` options), the key literals the tests store
// (TEST_SOURCES) and the keys files. Keys shorter than 12 characters are ignored.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, lstatSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const MIN_KEY_LENGTH = 12;

// Where the tests store provider keys of their own (PHPUnit tests that save a key and check it is
// never shown, the browser test that types one in): quoted literals shaped like a provider's key.
const TEST_SOURCES = ['host-php/tests', 'tests/e2e', 'tests/browser', 'tests/package', 'tests/wordpress-fixtures'];
const KEY_LITERAL = /(['"`])\s*((?:sk-|sk_|xai-|AIza)[A-Za-z0-9_-]{8,})\s*\1/g;

// Where keys are meant to be: the only rows left out of the database dump.
const KEY_ROWS = "option_name = 'aipkit_options' OR option_name LIKE 'connectors\\_ai\\_%\\_api\\_key'";

/** Keys by value, each with the names it was configured under. */
export class Keys {
  constructor() {
    this.names = new Map();
  }

  add(name, value) {
    if (typeof value !== 'string') return;
    const key = value.trim();
    if (key.length < MIN_KEY_LENGTH) return;
    if (!this.names.has(key)) this.names.set(key, []);
    if (!this.names.get(key).includes(name)) this.names.get(key).push(name);
  }

  addJson(prefix, json) {
    if (!json) return;
    for (const [name, value] of Object.entries(parseJson(json, prefix))) this.add(`${prefix}.${name}`, value);
  }

  get size() {
    return this.names.size;
  }

  /** [Buffer, name] pairs: what the search looks for and what it reports. */
  entries() {
    return [...this.names].map(([key, names]) => [Buffer.from(key, 'utf8'), names.join(' = ')]);
  }
}

/** JSON.parse, whose error would quote the text: here it may hold keys. */
function parseJson(text, what) {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${what} is not valid JSON`);
  }
}

/** DEMO_KEYS as scripts/lib/site.sh sets it: the keys every demo and test site stores. */
export function demoKeys() {
  return execFileSync('bash', ['-c', 'source "$1/scripts/lib/site.sh" && printf %s "$DEMO_KEYS"', 'bash', ROOT], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Every key literal in the tests' sources. */
export function testKeyLiterals(keys, root = ROOT) {
  for (const source of TEST_SOURCES) {
    for (const [path] of walk(join(root, source), new Set())) {
      const text = readFileSync(path, 'utf8');
      const named = new Set(); // one name per key and file: where it first appears
      for (const match of text.matchAll(KEY_LITERAL)) {
        if (named.has(match[2])) continue;
        named.add(match[2]);
        const line = text.slice(0, match.index).split('\n').length;
        keys.add(`test key at ${relative(root, path)}:${line}`, match[2]);
      }
    }
  }
}

/** Regular files under `path` (not following links), skipping the excluded paths: [path, size]. */
export function* walk(path, excluded) {
  if (excluded.has(path)) return;
  let stat;
  try {
    stat = lstatSync(path);
  } catch (error) {
    if (error.code === 'ENOENT') return; // gone since its folder was read (a temp file)
    throw error;
  }
  if (stat.isDirectory()) {
    let names;
    try {
      names = readdirSync(path).sort();
    } catch (error) {
      if (error.code === 'ENOENT') return;
      throw error;
    }
    for (const name of names) yield* walk(join(path, name), excluded);
  } else if (stat.isFile()) {
    yield [path, stat.size];
  }
  // Sockets, pipes and links are not files anything was written to.
}

/** Searches every file under `roots` for every key: { files, bytes, found: [{ file, name }] }. */
export function scanFiles(keys, roots, excluded = new Set()) {
  const entries = keys.entries();
  const seen = new Set();
  const result = { files: 0, bytes: 0, found: [] };
  for (const root of roots) {
    for (const [path] of walk(resolve(root), excluded)) {
      if (seen.has(path)) continue;
      seen.add(path);
      let bytes;
      try {
        bytes = readFileSync(path);
      } catch (error) {
        if (error.code === 'ENOENT') continue;
        throw error;
      }
      result.files += 1;
      result.bytes += bytes.length;
      for (const [key, name] of entries) if (bytes.includes(key)) result.found.push({ file: path, name });
    }
  }
  return result;
}

export function summary(keys, { files, bytes, found }) {
  return `secret scan: ${keys.size} keys, ${files.toLocaleString('en-US')} files, ${(bytes / 1e6).toFixed(1)} MB scanned: ${found.length} found`;
}

/** A site.env file (KEY=VALUE lines, values maybe in single quotes). */
function readEnv(path) {
  const env = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (match) env[match[1]] = match[2].replace(/^'(.*)'$/, '$1');
  }
  return env;
}

/**
 * A running site: the API keys its database stores, and a dump of that database without the rows
 * that store them (written to `out`); none of the output is printed, it may hold keys.
 */
function dumpDatabase(env, keys, out) {
  const client = ['--no-defaults', `--socket=${env.DB_SOCKET}`, '-uwordpress', '-pwordpress'];
  const query = (sql) =>
    execFileSync('mariadb', [...client, '-N', '-B', '-r', 'wordpress', '-e', sql], { maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] });

  const serialized = query("SELECT option_value FROM wp_options WHERE option_name = 'aipkit_options'");
  if (serialized.length > 0) {
    const json = execFileSync('php', ['-r', 'echo json_encode( unserialize( rtrim( stream_get_contents( STDIN ), "\\n" ), array( "allowed_classes" => false ) ) );'], {
      input: serialized,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const options = parseJson(json.toString('utf8'), 'aipkit_options');
    for (const [provider, settings] of Object.entries(options?.providers ?? {})) {
      keys.add(`aipkit_options providers.${provider}.api_key`, settings?.api_key);
    }
  }
  const core = query("SELECT option_name, option_value FROM wp_options WHERE option_name LIKE 'connectors\\_ai\\_%\\_api\\_key'");
  for (const row of core.toString('utf8').split('\n').filter(Boolean)) {
    const tab = row.indexOf('\t');
    keys.add(`option ${row.slice(0, tab)}`, row.slice(tab + 1));
  }

  const fd = openSync(out, 'w');
  try {
    for (const args of [
      ['--ignore-table=wordpress.wp_options', 'wordpress'],
      [`--where=NOT (${KEY_ROWS})`, 'wordpress', 'wp_options'],
    ]) {
      const dump = spawnSync('mariadb-dump', [...client, '--skip-dump-date', '--single-transaction', ...args], { stdio: ['ignore', fd, 'pipe'] });
      if (dump.status !== 0) throw new Error(`mariadb-dump failed (${dump.stderr.toString().trim().split('\n')[0]})`);
    }
  } finally {
    closeSync(fd);
  }
}

async function providerRequests(env, out) {
  const response = await fetch(`${env.PROVIDER_URL}/__loopback/requests`);
  if (!response.ok) throw new Error(`the loopback provider answered HTTP ${response.status}`);
  writeFileSync(out, Buffer.from(await response.arrayBuffer()));
}

function parseArgs(argv) {
  const args = { sites: [], stoppedSites: [], keysFiles: [], paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const list = { '--site': args.sites, '--stopped-site': args.stoppedSites, '--keys-file': args.keysFiles }[flag];
    if (list) {
      if (argv[i + 1] === undefined) throw new Error(`${flag} needs a value`);
      list.push(resolve(argv[++i]));
    } else if (flag.startsWith('--')) {
      throw new Error(`unknown option ${flag}`);
    } else {
      args.paths.push(resolve(flag));
    }
  }
  return args;
}

export async function main(argv = process.argv.slice(2)) {
  const args = parseArgs(argv);
  const keys = new Keys();
  const excluded = new Set();
  const roots = [];

  keys.addJson('DEMO_KEYS', demoKeys());
  keys.addJson('DEMO_KEYS', process.env.DEMO_KEYS);
  keys.add('DEMO_OPENAI_KEY', process.env.DEMO_OPENAI_KEY);
  testKeyLiterals(keys);
  for (const file of args.keysFiles) {
    keys.addJson('keys file', readFileSync(file, 'utf8'));
    excluded.add(file); // it holds the keys
  }

  for (const dir of [...args.sites, ...args.stoppedSites]) {
    if (!existsSync(join(dir, 'site.env'))) throw new Error(`${dir} holds no site (no site.env)`);
    const env = readEnv(join(dir, 'site.env'));
    keys.addJson('DEMO_KEYS', env.DEMO_KEYS);
    keys.add('DEMO_OPENAI_KEY', env.DEMO_OPENAI_KEY);
    // Files that hold keys because that is their job, and nothing else:
    excluded.add(join(dir, 'mysql')); // the database itself (its dump below is scanned instead)
    excluded.add(join(dir, 'site.env')); // the site's environment: DEMO_KEYS
    const work = join(dir, 'secret-scan');
    rmSync(work, { recursive: true, force: true }); // never an earlier run's dump
    if (args.sites.includes(dir)) {
      mkdirSync(work, { recursive: true });
      try {
        dumpDatabase(env, keys, join(work, 'database.sql'));
      } catch (error) {
        const reason = error.stderr?.toString().trim().split('\n')[0] || error.message.split('\n')[0];
        throw new Error(`could not dump the database of the site in ${dir}: ${reason}`);
      }
      try {
        await providerRequests(env, join(work, 'provider-requests.json'));
      } catch (error) {
        throw new Error(`could not read the loopback provider's requests (${env.PROVIDER_URL}): ${error.message}`);
      }
    }
    roots.push(dir);
  }

  for (const path of args.paths) {
    if (existsSync(path)) roots.push(path);
    else console.log(`secret scan: ${path} does not exist, nothing to scan there`);
  }

  const result = scanFiles(keys, roots, excluded);
  for (const { file, name } of result.found) console.log(`secret scan: FOUND ${name} in ${file}`);
  console.log(summary(keys, result));
  return result.found.length === 0 ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error(`secret scan: ${error.message}`);
      process.exit(2);
    },
  );
}
