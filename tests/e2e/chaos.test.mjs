// Restarts that refuse nothing and lose nothing: under steady load through the real Caddy +
// tollgate + PostgreSQL, the test reloads (SIGHUP) 20 times, restarts the master with SIGTERM
// 3 times, kills it with SIGKILL 3 times (the keeper starts another), kills 5 children at
// random and stops PostgreSQL for 10 s. Then every request the client sent is accounted for:
// the client saw only 2xx (beyond requests that were inside a killed gate worker, counted and
// printed), and what PostgreSQL stored (requests, statuses, bytes, tokens, cost) equals what
// the client and the upstream saw, exactly.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startStack, waitFor } from './harness.mjs';

const RATE = 300; // requests per second, offered
const SECONDS = 60;
const LOOPS = 16; // concurrent clients

// A small seeded generator, so a failing run can be replayed with the same kills.
function rng(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x / 2 ** 32;
  };
}

const failed_ = (seen) => seen.sent - seen.ok;

function request(agent, url, key) {
  return new Promise((resolve) => {
    const req = http.get(url, { agent, headers: { 'X-Api-Key': key } }, (res) => {
      let bytes = 0;
      res.on('data', (d) => { bytes += d.length; });
      res.on('end', () => resolve({ status: res.statusCode, bytes }));
      res.on('error', () => resolve({ status: 0, bytes }));
    });
    req.on('error', () => resolve({ status: 0, bytes: 0 }));
  });
}

describe('restarts under load', () => {
  let s;
  let key;
  let keyId;
  before(async () => {
    s = await startStack({
      workers: 2,
      env: { TOLLGATE_FLUSH_INTERVAL: '250ms', TOLLGATE_DRAIN_TIMEOUT: '5s', TOLLGATE_CONSOLE_WORKERS: '1' },
    });
    s.tenant('chaos');
    // Limits wide open: this test is about restarts, not rate limits.
    s.mustCli('tenant', 'set', 'chaos', '--key-rps', '100000', '--key-burst', '100000', '--key-rpm', '10000000',
      '--rps', '100000', '--burst', '100000', '--rpm', '10000000');
    key = s.key('chaos');
    keyId = s.keyId(key);
    await waitFor('the key', async () => (await request(undefined, `${s.url}/usage/3`, key)).status === 200);
  });
  after(async () => { await s?.stop(); });

  test('SIGHUP x20, SIGTERM x3, SIGKILL of the master x3 and of 5 children, PostgreSQL down 10 s: nothing refused, nothing lost', async (t) => {
    const seed = Number(process.env.CHAOS_SEED || Date.now() % 100000);
    const random = rng(seed);
    t.diagnostic(`seed ${seed} (CHAOS_SEED=${seed} replays the same kills)`);
    const agent = new http.Agent({ keepAlive: true, maxSockets: LOOPS });
    const upstreamBefore = s.upstream.calls.length;
    const seen = { sent: 0, ok: 0, bytes: 0, other: {} };
    let stop = false;

    const loop = async () => {
      const period = (1000 * LOOPS) / RATE;
      let next = Date.now();
      while (!stop) {
        const r = await request(agent, `${s.url}/usage/3`, key);
        seen.sent++;
        if (r.status >= 200 && r.status < 300) {
          seen.ok++;
          seen.bytes += r.bytes;
        } else {
          seen.other[r.status] = (seen.other[r.status] || 0) + 1;
        }
        next += period;
        const wait = next - Date.now();
        if (wait > 0) await sleep(wait);
        else next = Date.now();
      }
    };
    const loops = Array.from({ length: LOOPS }, loop);

    // The schedule, in seconds from the start.
    const events = [];
    for (let i = 0; i < 20; i++) events.push({ at: 1.5 + i * 2.9, what: 'sighup' });
    for (const at of [8, 28, 48]) events.push({ at, what: 'sigterm-master' });
    for (const at of [14, 31, 54]) events.push({ at, what: 'sigkill-master' });
    for (let i = 0; i < 5; i++) events.push({ at: 4 + i * 11 + random() * 4, what: 'sigkill-child' });
    events.push({ at: 22, what: 'pg-stop' });
    events.push({ at: 32, what: 'pg-start' });
    events.sort((a, b) => a.at - b.at);

    const start = Date.now();
    const log = [];
    let workerKills = 0;
    for (const e of events) {
      const wait = start + e.at * 1000 - Date.now();
      if (wait > 0) await sleep(wait);
      const master = s.master();
      switch (e.what) {
        case 'sighup':
          if (master) process.kill(master.pid, 'SIGHUP');
          break;
        case 'sigterm-master':
        case 'sigkill-master':
          // The master the keeper runs now; the next one comes up on its own.
          await waitFor('a master', () => s.master(), { timeout: 30000 });
          process.kill(s.master().pid, e.what === 'sigterm-master' ? 'SIGTERM' : 'SIGKILL');
          break;
        case 'sigkill-child': {
          const kids = s.children().filter((c) => c.comm.startsWith('tg-'));
          if (kids.length === 0) break;
          const victim = kids[Math.floor(random() * kids.length)];
          if (victim.comm === 'tg-gate') workerKills++;
          process.kill(victim.pid, 'SIGKILL');
          e.what += ` ${victim.comm}`;
          break;
        }
        case 'pg-stop':
          s.pgStop();
          break;
        case 'pg-start':
          s.pgStart();
          break;
        default:
          throw new Error(e.what);
      }
      log.push(`${((Date.now() - start) / 1000).toFixed(1)}s ${e.what}`);
    }
    const left = start + SECONDS * 1000 - Date.now();
    if (left > 0) await sleep(left);
    stop = true;
    await Promise.all(loops);
    agent.destroy();
    const elapsed = (Date.now() - start) / 1000;
    t.diagnostic(`events: ${log.join(', ')}`);
    if (failed_(seen) > 0) t.diagnostic(s.logs());
    t.diagnostic(`${seen.sent} requests in ${elapsed.toFixed(1)} s (${(seen.sent / elapsed).toFixed(0)}/s); ` +
      `non-2xx: ${JSON.stringify(seen.other)}; gate workers killed: ${workerKills}`);

    assert.ok(seen.sent / elapsed >= 200, `the load must stay at 200 req/s or more: ${(seen.sent / elapsed).toFixed(0)}/s`);
    const failed = seen.sent - seen.ok;
    assert.ok(failed <= workerKills,
      `${failed} requests failed (${JSON.stringify(seen.other)}); at most one per killed gate worker (${workerKills}) may`);

    // Every admitted request reached the upstream once, and PostgreSQL holds exactly it.
    const upstream = s.upstream.calls.slice(upstreamBefore).filter((c) => c.url === '/usage/3').length;
    assert.equal(upstream, seen.ok, 'the upstream got exactly the requests the client saw succeed');
    const stored = () => {
      const [requests, s2, s4, s5, bytes, tokens, cost] = s.psql(
        `SELECT coalesce(sum(requests),0), coalesce(sum(status_2xx),0), coalesce(sum(status_4xx),0),
                coalesce(sum(status_5xx),0), coalesce(sum(bytes_out),0), coalesce(sum(tokens),0),
                coalesce(sum(cost_micros),0) FROM usage_monthly WHERE key_id = ${keyId}`).split('|').map(Number);
      return { requests, s2, s4, s5, bytes, tokens, cost };
    };
    // The warm-up request is the one more on each side.
    const want = { requests: seen.ok + 1, s2: seen.ok + 1, s4: 0, s5: 0, tokens: 3 * (seen.ok + 1), cost: 250 * (seen.ok + 1) };
    await waitFor('PostgreSQL to hold every request', () => {
      const got = stored();
      return Object.entries(want).every(([k, v]) => got[k] === v);
    }, { timeout: 30000, interval: 250 }).catch((e) => {
      throw new Error(`${e.message}: want ${JSON.stringify(want)}, stored ${JSON.stringify(stored())}`);
    });
    const got = stored();
    const warmBytes = got.bytes - seen.bytes;
    assert.ok(warmBytes > 0 && warmBytes < 4096, `bytes stored ${got.bytes} = the client's ${seen.bytes} + the warm-up's`);
  });
});
