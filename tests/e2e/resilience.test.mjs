// The worker pool and the database can fail; the gate keeps deciding.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { get, startStack, waitFor } from './harness.mjs';

// Waits on state, not the clock: generous, since a wait returns as soon as the state is there.
const PATIENCE = 30000;

describe('resilience', () => {
  let s;
  let key;

  before(async () => {
    s = await startStack({ workers: 2 });
    s.tenant('resilient');
    key = s.key('resilient');
    await waitFor('the key', async () => (await get(`${s.url}/v1/ok`, { 'X-Api-Key': key })).status === 200);
  });
  after(async () => { await s?.stop(); });

  test('a worker is back in accept() as soon as it has decided, while the upstream is still busy', async () => {
    // Caddy closes a forward_auth connection only after proxying to the upstream is done.
    // A worker that waited for that close (libfcgi's default) would be tied up for the
    // whole upstream exchange. Hold two requests at the upstream and look at what both
    // workers are blocked in: waiting for a new connection (epoll_pwait on the listening
    // socket, or accept) means free; read(2)/poll(2) means waiting on Caddy.
    const ACCEPT = new Set(['43', '288', '281', '441']); // accept, accept4, epoll_pwait, epoll_pwait2 on x86_64
    const blockedIn = () => s.workers().map((w) => fs.readFileSync(`/proc/${w.pid}/syscall`, 'utf8').split(' ')[0]);
    const pending = ['a', 'b'].map((n) => get(`${s.url}/hold/${n}`, { 'X-Api-Key': key }));
    try {
      await waitFor('both requests at the upstream', () => ['a', 'b'].every((n) => s.upstream.isHeld(n)), { timeout: PATIENCE });
      // The upstream holds both until the finally below (Caddy gives an upstream 60 s by
      // default, more than this wait), so a worker that waited for Caddy stays in poll()
      // however long this waits: a generous deadline proves the same.
      await waitFor('both workers back in accept()', () => blockedIn().every((c) => ACCEPT.has(c)), { timeout: PATIENCE })
        .catch((e) => { throw new Error(`${e.message}; workers are in syscalls ${blockedIn()}`); });
      assert.equal((await get(`${s.url}/v1/meanwhile`, { 'X-Api-Key': key })).status, 200);
    } finally {
      for (const n of ['a', 'b']) s.upstream.release(n);
    }
    for (const p of pending) assert.equal((await p).status, 200);
  });

  test('a worker killed with SIGKILL is replaced and requests keep succeeding', async () => {
    const before_ = s.workers();
    assert.equal(before_.length, 2, `expected 2 workers, saw ${JSON.stringify(before_)}`);
    const victim = before_[0].pid;
    process.kill(victim, 'SIGKILL');
    // The other worker keeps serving while the master replaces the dead one.
    for (let i = 0; i < 50; i++) {
      const r = await get(`${s.url}/v1/during`, { 'X-Api-Key': key });
      assert.equal(r.status, 200, `request ${i} after the kill: ${r.status} ${r.text}`);
    }
    const after_ = await waitFor('a replacement worker', () => {
      const w = s.workers();
      return w.length === 2 && !w.some((x) => x.pid === victim) ? w : null;
    }, { timeout: PATIENCE });
    assert.ok(after_.every((w) => w.pid !== victim));
    for (let i = 0; i < 20; i++) {
      assert.equal((await get(`${s.url}/v1/after`, { 'X-Api-Key': key })).status, 200);
    }
  });

  test('the syncer killed with SIGKILL is replaced and changes still arrive', async () => {
    const syncer = (await import('./harness.mjs')).childrenOf(s.servePid()).find((c) => c.comm === 'tg-syncer');
    assert.ok(syncer, 'no syncer process');
    process.kill(syncer.pid, 'SIGKILL');
    const k = s.key('resilient');
    await waitFor('a key created after the syncer died', async () => (await get(`${s.url}/v1/k`, { 'X-Api-Key': k })).status === 200, { timeout: PATIENCE });
  });

  test('/health/ready is 503 while PostgreSQL is down, the gate keeps serving, and it recovers', async () => {
    assert.equal((await get(`${s.internal}/health/ready`)).status, 200);
    s.pgStop();
    try {
      const down = await waitFor('readiness to fail', async () => {
        const r = await get(`${s.internal}/health/ready`);
        return r.status === 503 ? r : null;
      }, { timeout: PATIENCE });
      assert.equal(down.headers.get('content-type'), 'application/problem+json');
      assert.ok(down.json.type.endsWith('/not-ready'), down.text);
      assert.match(down.json.detail, /PostgreSQL/);
      // Keys are in shared memory: callers are unaffected by the outage.
      assert.equal((await get(`${s.url}/v1/outage`, { 'X-Api-Key': key })).status, 200);
      assert.equal((await get(`${s.url}/v1/outage`)).status, 401);
      assert.equal((await get(`${s.internal}/health/live`)).status, 200);
    } finally {
      s.pgStart();
    }
    await waitFor('readiness to return', async () => (await get(`${s.internal}/health/ready`)).status === 200, { timeout: PATIENCE });
    // Changes made while it was down are picked up after the reconnect.
    const k = s.key('resilient');
    await waitFor('a key created after recovery', async () => (await get(`${s.url}/v1/k2`, { 'X-Api-Key': k })).status === 200, { timeout: PATIENCE });
  });

  test('SIGHUP reloads the configuration without dropping requests', async () => {
    const old = s.workers().map((w) => w.pid);
    process.kill(s.servePid(), 'SIGHUP');
    const fresh = await waitFor('new workers', () => {
      const w = s.workers();
      return w.length === 2 && w.every((x) => !old.includes(x.pid)) ? w : null;
    }, { timeout: PATIENCE });
    assert.equal(fresh.length, 2);
    assert.equal((await get(`${s.url}/v1/reloaded`, { 'X-Api-Key': key })).status, 200);
  });

  test('SIGTERM drains and exits cleanly, removing the socket', async () => {
    const p = s.procs.serve;
    const exited = new Promise((r) => p.once('exit', (code, sig) => r({ code, sig })));
    p.kill('SIGTERM');
    // A deadline on the exit, which ends the wait as soon as it comes (unref'd: a timer
    // left running must not keep this file's process alive).
    const { code } = await Promise.race([exited, sleep(PATIENCE, undefined, { ref: false }).then(() => ({ code: 'timeout' }))]);
    assert.equal(code, 0);
    assert.equal(fs.existsSync(s.env.TOLLGATE_SOCKET), false);
    // Caddy answers 502 while tollgate is down; a restart brings the same keys back.
    assert.equal((await get(`${s.url}/v1/x`, { 'X-Api-Key': key })).status, 502);
    s.startServe();
    await waitFor('the gate after restart', async () => (await get(`${s.url}/v1/x`, { 'X-Api-Key': key })).status === 200, { timeout: PATIENCE });
  });
});
