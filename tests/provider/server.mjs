// Loopback AI provider: an HTTP server that speaks the providers' real wire
// formats so the engine and hosts can be tested with no network.
// Library:  const p = await startProvider({ port: 0 }); ... await p.close();
// CLI:      node tests/provider/server.mjs --port N [--host H] [--pid-file F]

import http from 'node:http';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BodyTooLarge, jsonReply, readBody, sendReply } from './lib/http.mjs';
import { createIds } from './lib/ids.mjs';
import { redactHeaders, redactPath, resolveKeys } from './lib/keys.mjs';
import { parseMultipart } from './lib/multipart.mjs';
import { runEndpoint } from './lib/pipeline.mjs';
import anthropic from './formats/anthropic.mjs';
import google from './formats/google.mjs';
import ollama from './formats/ollama.mjs';
import openai from './formats/openai.mjs';
import deepseek from './formats/deepseek.mjs';
import xai from './formats/xai.mjs';
import openrouter from './formats/openrouter.mjs';
import azure from './formats/azure.mjs';

export const FORMATS = [openai, google, anthropic, openrouter, azure, deepseek, xai, ollama];

export async function startProvider({ port = 0, host = '127.0.0.1', keys } = {}) {
  const keyring = resolveKeys(FORMATS, keys);
  const requests = [];
  const ids = createIds();
  const pending = new Set(); // AbortControllers of requests still being answered

  const server = http.createServer((req, res) => {
    const controller = new AbortController();
    pending.add(controller);
    res.on('close', () => {
      pending.delete(controller);
      if (!res.writableFinished) controller.abort();
    });
    handle(req, res, controller.signal).catch((err) => {
      process.stderr.write(`loopback provider: ${err.stack ?? err}\n`);
      if (!res.headersSent) sendReply(res, jsonReply(500, { error: { message: 'loopback provider crashed' } }));
      else res.destroy();
    });
  });

  async function handle(req, res, signal) {
    const url = new URL(req.url, 'http://loopback.invalid');
    if (url.pathname.startsWith('/__loopback/')) return sendReply(res, control(req.method, url.pathname));

    const entry = { method: req.method, path: redactPath(url), headers: redactHeaders(req.headers), body: null };
    requests.push(entry);
    let raw;
    try {
      raw = await readBody(req);
    } catch (err) {
      if (!(err instanceof BodyTooLarge)) throw err;
      entry.status = 413;
      return sendReply(res, jsonReply(413, { error: { message: err.message } }));
    }
    entry.body = bodyForLog(raw, req.headers['content-type']);

    const reply = await route(req, url, raw, signal);
    if (reply === null || res.destroyed) return;
    entry.status = reply.reset ? 'reset' : reply.status;
    await sendReply(res, reply, signal);
  }

  async function route(req, url, raw, signal) {
    for (const format of FORMATS) {
      for (const endpoint of format.routes) {
        const params = matchPath(endpoint.path, url.pathname);
        if (!params || endpoint.method !== req.method) continue;
        const reply = await runEndpoint({ format, endpoint, req, raw, keys: keyring[format.name], ids, params, signal });
        return reply && { ...reply, headers: { ...format.responseHeaders?.(ids), ...reply.headers } };
      }
    }
    // No route: answer in the shape of the format that owns the prefix.
    const owner = FORMATS.find((f) => f.owns(url.pathname));
    const pathKnown = FORMATS.some((f) => f.routes.some((e) => matchPath(e.path, url.pathname)));
    if (owner) return pathKnown ? owner.errors.badMethod(req.method, url.pathname) : owner.errors.badUrl(req.method, url.pathname);
    return jsonReply(404, { error: { message: `No loopback route for ${req.method} ${url.pathname}` } });
  }

  function control(method, path) {
    if (path === '/__loopback/health' && method === 'GET') return jsonReply(200, { ok: true });
    if (path === '/__loopback/requests' && method === 'GET') return jsonReply(200, requests);
    if (path === '/__loopback/requests' && method === 'DELETE') {
      requests.length = 0; // in place: callers may hold the array returned by startProvider
      return jsonReply(200, { ok: true });
    }
    return jsonReply(404, { error: { message: `Unknown control endpoint ${method} ${path}` } });
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actualPort = server.address().port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${actualPort}`,
    port: actualPort,
    requests,
    async close() {
      for (const controller of pending) controller.abort(); // end "slow" waits now
      const closed = new Promise((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

function matchPath(pattern, pathname) {
  if (typeof pattern === 'string') return pattern === pathname ? {} : null;
  const m = pattern.exec(pathname);
  return m ? { ...m.groups } : null;
}

/** JSON as parsed; a multipart upload as its fields and its files' names, types and base64. */
function bodyForLog(raw, contentType) {
  if (raw.length === 0) return null;
  const form = String(contentType ?? '').startsWith('multipart/') ? parseMultipart(contentType, raw) : null;
  if (form) {
    const files = form.files.map(({ name, filename, type, bytes }) => ({ name, filename, type, base64: bytes.toString('base64') }));
    return { ...form.fields, files };
  }
  const text = raw.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function parseArgs(argv) {
  const out = { port: 0, host: '127.0.0.1', pidFile: null };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i++], argv[i]];
    if (!['--port', '--host', '--pid-file'].includes(flag)) throw new Error(`unknown argument: ${flag}`);
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--port') out.port = Number(value);
    else if (flag === '--host') out.host = value;
    else out.pidFile = value;
  }
  if (!Number.isInteger(out.port) || out.port < 0 || out.port > 65535) throw new Error('--port must be 0..65535');
  return out;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const provider = await startProvider({ port: args.port, host: args.host });
  if (args.pidFile) fs.writeFileSync(args.pidFile, `${process.pid}\n`);
  process.stdout.write(`listening ${provider.url}\n`);
  const stop = async () => {
    await provider.close();
    if (args.pidFile) fs.rmSync(args.pidFile, { force: true });
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    process.stderr.write(`loopback provider: ${err.message}\n`);
    process.exit(1);
  });
}
