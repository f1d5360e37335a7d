// The gate's pool is walled off from the console's: clients that trickle their headers or
// their bodies at every management route, four times as many as the console has workers,
// do not slow the gateway down; and the gateway proxies every path of a tenant's API, its
// /api/... and /health/... included, because Tollgate's own URLs live on the console site.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { get, startStack, waitFor } from './harness.mjs';

const CONSOLE_WORKERS = 2;
const RATE = 50; // gateway requests per second, steady
const SECONDS = 8;

const ROUTES = [
  ['GET', '/health/live'],
  ['GET', '/health/ready'],
  ['GET', '/api/v1/decisions'],
  ['GET', '/api/v1/decisions/00000000-0000-4000-8000-000000000000'],
  ['POST', '/api/v1/decisions/00000000-0000-4000-8000-000000000000/label'],
  ['GET', '/api/v1/usage'],
];

// A connection that sends its request line and then one byte a second: of its headers
// (slow-header) or, after complete headers that declare 1000 bytes, of its body (slow-body).
function trickle(port, method, path, kind) {
  const c = net.createConnection({ host: '127.0.0.1', port });
  c.on('error', () => {});
  let timer;
  c.on('connect', () => {
    if (kind === 'header') {
      c.write(`${method} ${path} HTTP/1.1\r\nHost: console\r\n`);
      timer = setInterval(() => c.write('X'), 1000);
    } else {
      c.write(`${method} ${path} HTTP/1.1\r\nHost: console\r\nContent-Type: application/json\r\n` +
        'Authorization: Bearer tgm_whatever\r\nContent-Length: 1000\r\n\r\n{');
      timer = setInterval(() => c.write(' '), 1000);
    }
  });
  return { socket: c, stop: () => { clearInterval(timer); c.destroy(); } };
}

// Steady requests to the gateway for SECONDS; returns the statuses and latencies (ms).
async function steady(url, key) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const results = [];
  const inflight = [];
  const start = Date.now();
  for (let i = 0; i < RATE * SECONDS; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    inflight.push(new Promise((resolve) => {
      const t0 = process.hrtime.bigint();
      http.get(url, { agent, headers: { 'X-Api-Key': key } }, (res) => {
        res.resume();
        res.on('end', () => {
          results.push({ status: res.statusCode, ms: Number(process.hrtime.bigint() - t0) / 1e6 });
          resolve();
        });
      }).on('error', () => { results.push({ status: 0, ms: NaN }); resolve(); });
    }));
  }
  await Promise.all(inflight);
  agent.destroy();
  return results;
}

const p99 = (xs) => {
  const s = xs.map((r) => r.ms).sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.99))];
};

describe('the gate and the console are separate', () => {
  let s;
  let key;
  before(async () => {
    s = await startStack({ workers: 2, env: { TOLLGATE_CONSOLE_WORKERS: String(CONSOLE_WORKERS) } });
    s.tenant('walled');
    s.mustCli('tenant', 'set', 'walled', '--key-rps', '100000', '--key-burst', '100000', '--rps', '100000', '--burst', '100000');
    key = s.key('walled');
    await waitFor('the key', async () => (await get(`${s.url}/v1/x`, { 'X-Api-Key': key })).status === 200, { timeout: 30000 });
  });
  after(async () => { await s?.stop(); });

  test('a tenant\'s own /api, /health and /metrics paths reach its upstream', async () => {
    for (const p of ['/api/v1/anything', '/api/v1/decisions', '/health/ready', '/metrics', '/admin/users', '/portal/x']) {
      const r = await get(`${s.url}${p}`, { 'X-Api-Key': key });
      assert.equal(r.status, 200, `${p}: ${r.text}`);
      assert.equal(r.json.echo.url, p, `${p} was not proxied to the upstream`);
    }
    const r = await get(`${s.url}/api/v1/anything`);
    assert.equal(r.status, 401, 'a tenant path without a key is the gate\'s 401, not the console\'s');
    assert.match(r.json.type, /missing-api-key$/);
  });

  test('slow clients on every console route leave the gateway as fast as it was', async (t) => {
    const unloaded = await steady(`${s.url}/v1/steady`, key);
    assert.deepEqual([...new Set(unloaded.map((r) => r.status))], [200]);

    const conns = [];
    for (const [method, path] of ROUTES) {
      for (let i = 0; i < 4 * CONSOLE_WORKERS; i++) {
        conns.push(trickle(s.consolePort, method, path, 'header'));
        conns.push(trickle(s.consolePort, method, path, 'body'));
      }
    }
    try {
      await sleep(1500); // the trickles are under way
      const loaded = await steady(`${s.url}/v1/steady`, key);
      const bad = loaded.filter((r) => r.status !== 200);
      const [a, b] = [p99(unloaded), p99(loaded)];
      t.diagnostic(`${conns.length} slow connections; gateway p99 ${a.toFixed(2)} ms unloaded, ${b.toFixed(2)} ms loaded`);
      assert.equal(bad.length, 0, `non-2xx under slow clients: ${JSON.stringify(bad.slice(0, 5))}`);
      // Pinned workers show as requests that wait out the gateway's 5 s upstream timeout
      // (and then 504). Speed itself is make bench's to measure, not a test's: here no
      // request may wait anywhere near that long, whatever else the machine is doing.
      const slowest = Math.max(...loaded.map((r) => r.ms));
      assert.ok(slowest < 2500, `a gateway request waited ${slowest.toFixed(0)} ms behind the slow clients`);
      // The console itself still answers: the trickles hold Caddy goroutines, not workers.
      const live = await get(`${s.console}/health/live`);
      assert.equal(live.status, 200);
      const open = conns.filter((c) => !c.socket.destroyed).length;
      assert.ok(open >= conns.length / 2, `the slow connections were still open (${open} of ${conns.length})`);
    } finally {
      for (const c of conns) c.stop();
    }
  });
});
