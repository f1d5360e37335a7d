// Starts the real thing for end-to-end tests: a throwaway PostgreSQL cluster (scripts/pg.sh),
// `build/tollgate serve`, the repository's Caddyfile under `caddy run`, and a fake upstream.
// Everything listens on 127.0.0.1 or unix sockets in a fresh folder under build/, on ports
// picked here, and is stopped by stop() — or, if a test crashes, by the exit handler.
import { spawn, spawnSync } from 'node:child_process';
import crypto, { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { startUpstream } from '../fakes/upstream.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'build/tollgate');
const live = new Set(); // stacks not yet stopped, for the exit handler

// Which of `needles` occur in a file, read in pieces: the stack's shared-memory state file
// is half a gigabyte (sparse), more than one string can hold, and it must be searched too.
export function fileIncludes(file, needles) {
  const found = new Set();
  const overlap = Math.max(0, ...needles.map((x) => Buffer.byteLength(x, 'latin1'))) - 1;
  const fd = fs.openSync(file, 'r');
  try {
    const size = 8 << 20;
    const buf = Buffer.alloc(size + overlap);
    let have = 0; // the end of the last piece, kept so that a needle across two is found
    for (;;) {
      const n = fs.readSync(fd, buf, have, size, null);
      if (n <= 0) break;
      const end = have + n;
      const text = buf.toString('latin1', 0, end);
      for (const x of needles) if (text.includes(x)) found.add(x);
      const keep = Math.min(overlap, end);
      buf.copy(buf, 0, end - keep, end);
      have = keep;
    }
  } finally {
    fs.closeSync(fd);
  }
  return needles.filter((x) => found.has(x));
}

// A scanner's probe name, distinct for i below 676: letters only, since section12,
// section13 ... are record codes in base 36, a walk id_enumeration answers first.
export function probeName(i) {
  return `section${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + (Math.floor(i / 26) % 26))}`;
}

export async function freePort() {
  return (await freePorts(1))[0];
}

// n distinct free ports: all n listeners are open at once before any is closed, so the
// kernel cannot hand out one port twice (two sites of one Caddyfile on the same port
// make Caddy refuse the whole file).
export async function freePorts(n) {
  const servers = [];
  try {
    for (let i = 0; i < n; i++) {
      const srv = net.createServer();
      servers.push(srv);
      await new Promise((resolve, reject) => {
        srv.once('error', reject);
        srv.listen(0, '127.0.0.1', resolve);
      });
    }
    return servers.map((srv) => srv.address().port);
  } finally {
    await Promise.all(servers.map((srv) => new Promise((r) => srv.close(() => r()))));
  }
}

function run(cmd, args, opts = {}) {
  // The abuse benchmark reads tens of thousands of decisions in one query: far past
  // spawnSync's 1 MiB default.
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: ROOT, maxBuffer: 512 * 1024 * 1024, ...opts });
  if (r.error) throw r.error;
  return r;
}

function must(cmd, args, opts) {
  const r = run(cmd, args, opts);
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  }
  return r.stdout;
}

// stopIf: a condition under which waiting longer is pointless (the process that would
// answer has exited); the wait then fails at once, with fn's last error.
export async function waitFor(what, fn, { timeout = 30000, interval = 50, stopIf = null } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    if (stopIf?.()) throw new Error(`gave up waiting for ${what}${last ? `: ${last.message}` : ''}`);
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await sleep(interval);
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

function tail(file, lines = 40) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

// Children of a process, from /proc, with their command names (tg-worker, tg-syncer...).
export function childrenOf(pid) {
  let text = '';
  try {
    text = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8');
  } catch {
    return [];
  }
  return text.trim().split(/\s+/).filter(Boolean).map((p) => {
    let comm = '';
    try {
      comm = fs.readFileSync(`/proc/${p}/comm`, 'utf8').trim();
    } catch { /* gone */ }
    return { pid: Number(p), comm };
  });
}

// Starts a stack. With `database: other` it joins another stack's PostgreSQL (a second
// node of one cluster) instead of making its own. `launch(stack)` returns the command that
// starts `tollgate serve` ([program, args]); by default build/tollgate serve.
export async function startStack({ workers = 2, env: extraEnv = {}, database = null, launch = null } = {}) {
  fs.mkdirSync(path.join(ROOT, 'build'), { recursive: true });
  // In the system's temporary folder: the postgres user (as root) can always enter it,
  // wherever the clone is.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tollgate-e2e-'));
  fs.chmodSync(dir, 0o755);
  const pgDir = path.join(dir, 'pg');
  const [httpPort, httpsPort, consolePort, internalPort] = await freePorts(4);
  // Every node of one cluster hashes keys with the same secret.
  const secret = database
    ? fs.readFileSync(database.env.TOLLGATE_SECRET_FILE, 'utf8').trim()
    : randomBytes(32).toString('hex');
  fs.writeFileSync(path.join(dir, 'secret'), secret + '\n', { mode: 0o600 });

  const stack = {
    dir,
    httpPort,
    httpsPort,
    url: `http://127.0.0.1:${httpPort}`, // the gateway: tenants' APIs
    httpsUrl: `https://localhost:${httpsPort}`,
    console: `http://127.0.0.1:${consolePort}`, // Tollgate's own API and health
    internal: `http://127.0.0.1:${internalPort}`, // /metrics, detailed readiness
    consolePort,
    internalPort,
    caddyStorage: path.join(dir, 'caddy'),
    procs: {},
    stopped: false,
  };
  live.add(stack);

  const ownsDatabase = database === null;
  if (ownsDatabase) {
    must(path.join(ROOT, 'scripts/pg.sh'), ['init', pgDir, '--fast']);
    must(path.join(ROOT, 'scripts/pg.sh'), ['start', pgDir]);
  }
  stack.env = {
    ...process.env,
    TOLLGATE_DATABASE_URL: ownsDatabase
      ? must(path.join(ROOT, 'scripts/pg.sh'), ['url', pgDir]).trim()
      : database.env.TOLLGATE_DATABASE_URL,
    TOLLGATE_SOCKET: path.join(dir, 'tollgate.sock'),
    TOLLGATE_CONSOLE_SOCKET: path.join(dir, 'console.sock'),
    TOLLGATE_AI_SOCKET: path.join(dir, 'ai.sock'),
    TOLLGATE_ACCESS_LOG: path.join(dir, 'access.log'),
    TOLLGATE_SHM_PATH: path.join(dir, 'tollgate.shm'),
    TOLLGATE_SECRET_FILE: path.join(dir, 'secret'),
    TOLLGATE_MIGRATIONS_DIR: path.join(ROOT, 'migrations'),
    TOLLGATE_TEMPLATES: path.join(ROOT, 'templates'),
    TOLLGATE_STATIC: path.join(ROOT, 'templates', 'static'),
    TOLLGATE_DOCS: path.join(ROOT, 'docs'),
    TOLLGATE_GATEWAY_URL: `http://127.0.0.1:${httpPort}`,
    TOLLGATE_CONSOLE_URL: `http://127.0.0.1:${consolePort}`,
    TOLLGATE_WORKERS: String(workers),
    TOLLGATE_HTTP_PORT: String(httpPort),
    TOLLGATE_HTTPS_PORT: String(httpsPort),
    TOLLGATE_CONSOLE_PORT: String(consolePort),
    TOLLGATE_INTERNAL_PORT: String(internalPort),
    TOLLGATE_CADDY_ADMIN: `unix/${path.join(dir, 'caddy-admin.sock')}`,
    TOLLGATE_CADDY_STORAGE: path.join(dir, 'caddy'),
    TOLLGATE_BIND: '127.0.0.1',
    TOLLGATE_NODE_ID: `e2e-${path.basename(dir)}`,
    // Every test request comes from 127.0.0.1: per-address limits (and the throttling of
    // failed authentications, which tests waiting for a new key would trip) are opened
    // wide unless a test sets them.
    TOLLGATE_IP_RPS: '1000000',
    TOLLGATE_IP_BURST: '1000000',
    TOLLGATE_AUTHFAIL_PER_MINUTE: '1000000',
    TOLLGATE_AUTHFAIL_BURST: '1000000',
    // The fake upstreams listen on 127.0.0.1, which the SSRF rules refuse unless allowed.
    TOLLGATE_UPSTREAM_ALLOW: '127.0.0.1/32',
    // Caddy keeps autosaves and state under these: keep them in the test's folder.
    XDG_CONFIG_HOME: path.join(dir, 'xdg-config'),
    XDG_DATA_HOME: path.join(dir, 'xdg-data'),
    ...extraEnv,
  };

  // The CLI, exactly as an operator runs it. A last argument {env} overrides variables.
  stack.cli = (...args) => {
    const extra = typeof args.at(-1) === 'object' ? args.pop().env : {};
    return run(BIN, args, { env: { ...stack.env, ...extra } });
  };
  stack.mustCli = (...args) => must(BIN, args, { env: stack.env });
  stack.psql = (sql) => must('psql', [stack.env.TOLLGATE_DATABASE_URL, '-Atqc', sql]).trim();

  stack.bin = BIN;
  stack.mustCli('migrate');
  stack.upstream = await startUpstream();

  stack.startServe = () => {
    const log = fs.openSync(path.join(dir, 'tollgate.log'), 'a');
    const [cmd, args] = launch ? launch(stack) : [BIN, ['serve']];
    const p = spawn(cmd, args, { env: stack.env, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    stack.procs.serve = p;
    return p;
  };
  // The ports were free when picked, but another test's connection may take one before
  // Caddy binds it (a client socket's ephemeral port comes from the same range): Caddy
  // then exits with "address already in use", and the stack comes up again on new ports.
  const usePorts = ([h, hs, c, i]) => {
    Object.assign(stack, {
      httpPort: h, httpsPort: hs, consolePort: c, internalPort: i,
      url: `http://127.0.0.1:${h}`, httpsUrl: `https://localhost:${hs}`,
      console: `http://127.0.0.1:${c}`, internal: `http://127.0.0.1:${i}`,
    });
    Object.assign(stack.env, {
      TOLLGATE_GATEWAY_URL: `http://127.0.0.1:${h}`, TOLLGATE_CONSOLE_URL: `http://127.0.0.1:${c}`,
      TOLLGATE_HTTP_PORT: String(h), TOLLGATE_HTTPS_PORT: String(hs),
      TOLLGATE_CONSOLE_PORT: String(c), TOLLGATE_INTERNAL_PORT: String(i),
    });
  };
  const exited = (p) => new Promise((r) => (p.exitCode !== null || p.signalCode !== null ? r() : p.once('exit', r)));
  // A stack that does not come up is taken down before the error goes on: nothing it
  // started may outlive the test (a leftover keeps the test runner waiting forever).
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await bringUp();
        break;
      } catch (e) {
        if (attempt >= 3 || !/address already in use/.test(e.message)) throw e;
        const procs = Object.values(stack.procs);
        for (const p of procs) {
          try { p.kill('SIGTERM'); } catch { /* gone */ }
        }
        await Promise.all(procs.map(exited));
        usePorts(await freePorts(4));
      }
    }
  } catch (e) {
    for (const p of Object.values(stack.procs)) {
      try { p.kill('SIGKILL'); } catch { /* gone */ }
    }
    await stack.upstream.close();
    if (ownsDatabase) run(path.join(ROOT, 'scripts/pg.sh'), ['stop', pgDir]);
    live.delete(stack);
    throw e;
  }

  async function bringUp() {
    stack.startServe();
    await waitFor('the FastCGI sockets', () => fs.existsSync(stack.env.TOLLGATE_SOCKET) && fs.existsSync(stack.env.TOLLGATE_CONSOLE_SOCKET) &&
      // A service manager that starts `tollgate serve` on the first connection made the
      // other two; the AI pool's comes with it.
      (launch !== null || fs.existsSync(stack.env.TOLLGATE_AI_SOCKET)));

    const clog = fs.openSync(path.join(dir, 'caddy.log'), 'a');
    stack.procs.caddy = spawn('caddy', ['run', '--config', path.join(ROOT, 'Caddyfile'), '--adapter', 'caddyfile'], {
      env: stack.env, cwd: ROOT, stdio: ['ignore', clog, clog],
    });
    fs.closeSync(clog);
    // The last answer goes with a timeout: which of its conditions readiness was missing.
    let answer = 'none';
    const caddy = stack.procs.caddy;
    await waitFor('/health/ready through Caddy', async () => {
      if (caddy.exitCode !== null || caddy.signalCode !== null) throw new Error('caddy exited');
      const r = await fetch(`${stack.internal}/health/ready`);
      answer = `${r.status} ${await r.text()}`;
      return r.status === 200;
    }, { timeout: 30000, stopIf: () => caddy.exitCode !== null || caddy.signalCode !== null })
      .catch((e) => {
        throw new Error(`${e.message}\n--- last answer: ${answer}\n--- tollgate.log\n${tail(path.join(dir, 'tollgate.log'))}\n--- caddy.log\n${tail(path.join(dir, 'caddy.log'))}`);
      });
  }

  // `tollgate serve` is the keeper (it holds the sockets); its child tg-master runs the rest.
  stack.keeperPid = () => stack.procs.serve.pid;
  stack.master = () => childrenOf(stack.procs.serve.pid).find((c) => c.comm === 'tg-master');
  stack.servePid = () => stack.master()?.pid;
  stack.workers = () => stack.children().filter((c) => c.comm === 'tg-gate');
  stack.consoleWorkers = () => stack.children().filter((c) => c.comm === 'tg-console');
  stack.pgStop = () => must(path.join(ROOT, 'scripts/pg.sh'), ['stop', pgDir]);
  stack.pgStart = () => must(path.join(ROOT, 'scripts/pg.sh'), ['start', pgDir]);
  stack.children = () => {
    const m = stack.master();
    return m ? childrenOf(m.pid) : [];
  };
  stack.child = (comm) => stack.children().find((c) => c.comm === comm);
  stack.logs = () => `--- tollgate.log\n${tail(path.join(dir, 'tollgate.log'))}\n--- caddy.log\n${tail(path.join(dir, 'caddy.log'), 10)}`;

  // Creates a tenant (with the fake upstream) and returns { slug, id }. On the Scale plan
  // unless told otherwise, so that tests about something else are not rate-limited.
  stack.tenant = (slug, ...opts) => {
    const plan = opts.includes('--plan') ? [] : ['--plan', 'scale'];
    const upstream = opts.includes('--upstream') ? [] : ['--upstream', `http://127.0.0.1:${stack.upstream.port}`];
    const id = stack.mustCli('tenant', 'create', slug, ...upstream, ...plan, ...opts).trim();
    return { slug, id };
  };
  stack.key = (slug, ...opts) => stack.mustCli('key', 'create', slug, ...opts).trim();
  stack.keyId = (key) => stack.psql(`SELECT id FROM api_keys WHERE prefix = '${key.slice(0, 16)}'`);

  stack.stopServe = async (signal = 'SIGTERM') => {
    const p = stack.procs.serve;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const done = new Promise((r) => p.once('exit', r));
    p.kill(signal);
    await done;
  };

  stack.stop = async () => {
    if (stack.stopped) return;
    stack.stopped = true;
    live.delete(stack);
    for (const name of ['caddy', 'serve']) {
      const p = stack.procs[name];
      if (p && p.exitCode === null && p.signalCode === null) {
        const done = new Promise((r) => p.once('exit', r));
        p.kill('SIGTERM');
        await Promise.race([done, sleep(15000, undefined, { ref: false })]);
        if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
      }
    }
    await stack.upstream.close();
    if (ownsDatabase) run(path.join(ROOT, 'scripts/pg.sh'), ['stop', pgDir]);
    if (!process.env.E2E_KEEP) fs.rmSync(dir, { recursive: true, force: true });
  };
  return stack;
}

// A crashed or interrupted test run must not leave servers behind.
process.on('exit', () => {
  for (const s of live) {
    for (const p of Object.values(s.procs)) {
      try { p.kill('SIGKILL'); } catch { /* gone */ }
    }
    if (fs.existsSync(path.join(s.dir, 'pg'))) spawnSync(path.join(ROOT, 'scripts/pg.sh'), ['stop', path.join(s.dir, 'pg')]);
  }
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => process.exit(130));
}

// A GET from a given loopback address (all of 127/8 is local on Linux), so tests can play
// several clients: returns { status, headers (lower-case object), json, text }.
export function getFrom(localAddress, url, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { headers, localAddress, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        let json;
        if (/json/.test(res.headers['content-type'] || '')) {
          try { json = JSON.parse(text); } catch { /* leave undefined */ }
        }
        resolve({ status: res.statusCode, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

// fetch() that also returns the parsed body (JSON when it says so).
export async function get(url, headers = {}, init = {}) {
  const res = await fetch(url, { headers, redirect: 'manual', ...init });
  const text = await res.text();
  let json;
  if (/json/.test(res.headers.get('content-type') || '')) {
    try { json = JSON.parse(text); } catch { /* leave undefined */ }
  }
  return { status: res.status, headers: res.headers, text, json };
}

// A key pair as fresh KeyObjects made from PEM. Not the KeyObjects generateKeyPairSync()
// returns: node 20 can deadlock when a collection during a key's export (JWK) destroys the
// generating job, which locks the key being exported (seen once in a CI run: the jwt suite
// hung with the main thread in ~KeyGenJob under ExportJWKRsaKey).
export function keyPair(type, options) {
  const pem = crypto.generateKeyPairSync(type, {
    ...options, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicKey: crypto.createPublicKey(pem.publicKey), privateKey: crypto.createPrivateKey(pem.privateKey) };
}
