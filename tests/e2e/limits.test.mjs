// Rate limits per key, per tenant and per client IP, failed-authentication throttling, the
// body-size limit, and the headers that report them, through the real gateway.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { get, startStack, waitFor } from './harness.mjs';

const RATE_LIMIT = /^"[a-z-]+";r=\d+;t=\d+$/;
// Waits on state, not the clock: generous, since a wait returns as soon as the state is there.
const PATIENCE = 30000;

// Waits for a changed limit to reach the gate (the syncer applies it within a second).
async function applied(s, key, check) {
  await waitFor('the limit change', async () => check(await get(`${s.url}/v1/probe`, { 'X-Api-Key': key })), { timeout: PATIENCE });
}

function assertLimitHeaders(r) {
  const policy = r.headers.get('ratelimit-policy');
  assert.match(policy, /"key-second";q=\d+;w=\d+/);
  assert.match(policy, /"key-minute";q=\d+;w=60/);
  assert.match(policy, /"tenant-second";q=\d+;w=\d+/);
  assert.match(policy, /"tenant-minute";q=\d+;w=60/);
  assert.match(r.headers.get('ratelimit'), RATE_LIMIT);
  for (const h of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) {
    assert.match(r.headers.get(h) ?? '', /^\d+$/, `${h} on ${r.status}`);
  }
  assert.ok(Number(r.headers.get('x-ratelimit-reset')) >= Math.floor(Date.now() / 1000) - 1);
}

describe('rate limits', () => {
  let s;
  before(async () => { s = await startStack(); });
  after(async () => { await s?.stop(); });

  test('a key over its per-second burst gets 429 rate-limited with Retry-After, and the upstream is not called', async () => {
    s.tenant('rl-key');
    const key = s.key('rl-key');
    const id = s.keyId(key);
    const probe = s.key('rl-key');
    // The change is seen through another key changed after it, so that no probe uses up
    // this key's burst and it starts full, with no wait for it to refill: the one syncer
    // applies changes in the order they were committed (docs/architecture.md), and the
    // first answer below checks that the key has its new limit.
    s.psql(`UPDATE api_keys SET rps = 1, burst = 3 WHERE id = ${id}`);
    s.psql(`UPDATE api_keys SET rps = 1, burst = 3 WHERE id = ${s.keyId(probe)}`);
    await applied(s, probe, (r) => r.headers.get('ratelimit-policy')?.includes('"key-second";q=3;w=3'));
    const remaining = [];
    for (let i = 0; i < 3; i++) {
      const r = await get(`${s.url}/v1/burst`, { 'X-Api-Key': key });
      assert.equal(r.status, 200);
      assert.match(r.headers.get('ratelimit-policy'), /"key-second";q=3;w=3/);
      assertLimitHeaders(r);
      remaining.push(Number(r.headers.get('x-ratelimit-remaining')));
    }
    assert.deepEqual(remaining, [2, 1, 0]);
    const calls = s.upstream.calls.length;
    const denied = await get(`${s.url}/v1/burst`, { 'X-Api-Key': key });
    assert.equal(denied.status, 429);
    assert.equal(denied.headers.get('content-type'), 'application/problem+json');
    assert.ok(denied.json.type.endsWith('/rate-limited'), denied.json.type);
    assert.ok(Number(denied.headers.get('retry-after')) >= 1);
    assert.equal(denied.headers.get('ratelimit'), '"key-second";r=0;t=' + denied.headers.get('ratelimit').split('t=')[1]);
    assertLimitHeaders(denied);
    assert.equal(denied.headers.get('x-ratelimit-remaining'), '0');
    assert.equal(s.upstream.calls.length, calls, 'a refused request must not reach the upstream');
  });

  test('a per-minute limit holds across keys of one tenant', async () => {
    const { id } = s.tenant('rl-tenant');
    s.psql(`UPDATE tenants SET tenant_rpm = 4 WHERE id = ${id}`);
    const a = s.key('rl-tenant');
    const b = s.key('rl-tenant');
    await applied(s, a, (r) => r.headers.get('ratelimit-policy')?.includes('"tenant-minute";q=4;w=60'));
    await waitFor('key b', async () => (await get(`${s.url}/v1/b`, { 'X-Api-Key': b })).status === 200);
    // Two used (one per key): two more, from either key, then the tenant is at its limit.
    assert.equal((await get(`${s.url}/v1/a`, { 'X-Api-Key': a })).status, 200);
    const last = await get(`${s.url}/v1/b`, { 'X-Api-Key': b });
    assert.equal(last.status, 200);
    assert.equal(last.headers.get('ratelimit').split(';')[0], '"tenant-minute"');
    const denied = await get(`${s.url}/v1/a`, { 'X-Api-Key': a });
    assert.equal(denied.status, 429);
    assert.match(denied.headers.get('ratelimit'), /^"tenant-minute";r=0;t=\d+$/);
    assert.ok(Number(denied.headers.get('retry-after')) > 1);
  });

  test('a body declared larger than the limit gets 413 and never reaches the upstream', async () => {
    const { id } = s.tenant('rl-size');
    s.psql(`UPDATE tenants SET max_body_bytes = 1000 WHERE id = ${id}`);
    const key = s.key('rl-size');
    await applied(s, key, (r) => r.status === 200);
    await waitFor('the body limit', async () => (await get(`${s.url}/v1/up`, { 'X-Api-Key': key }, { method: 'POST', body: 'x'.repeat(2000) })).status === 413);
    const calls = s.upstream.calls.length;
    const big = await get(`${s.url}/v1/up`, { 'X-Api-Key': key }, { method: 'POST', body: 'x'.repeat(1001) });
    assert.equal(big.status, 413);
    assert.ok(big.json.type.endsWith('/payload-too-large'));
    assert.equal(s.upstream.calls.length, calls);
    const ok = await get(`${s.url}/v1/up`, { 'X-Api-Key': key }, { method: 'POST', body: 'x'.repeat(1000) });
    assert.equal(ok.status, 200);
    assert.equal(ok.json.echo.bodyBytes, 1000);
  });
});

describe('per client IP', () => {
  let s;
  before(async () => {
    s = await startStack({
      env: { TOLLGATE_IP_RPS: '1', TOLLGATE_IP_BURST: '6', TOLLGATE_AUTHFAIL_PER_MINUTE: '1', TOLLGATE_AUTHFAIL_BURST: '3' },
    });
  });
  after(async () => { await s?.stop(); });

  test('guessing keys from one address is throttled; a valid key from it still works', async () => {
    s.tenant('ip-guess');
    const key = s.key('ip-guess');
    // Seen loaded in memory, not by trying it: a try before the key arrived would be a
    // failed authentication, and use up the address's allowance counted below.
    await waitFor('the key', async () => (await get(`${s.internal}/health/ready`)).json?.data?.keys === 1, { timeout: PATIENCE });
    assert.equal((await get(`${s.url}/v1/ok`, { 'X-Api-Key': key })).status, 200);
    const bad = 'tg_live_' + 'A'.repeat(32) + '_AAAAAA';
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(`${s.url}/v1/guess`, { 'X-Api-Key': bad })).status);
    assert.deepEqual(statuses, [401, 401, 401, 429]);
    const r = await get(`${s.url}/v1/guess`, { 'X-Api-Key': bad });
    assert.equal(r.status, 429);
    assert.ok(r.json.type.endsWith('/rate-limited'));
    assert.match(r.json.detail, /failed authentications/);
    assert.ok(Number(r.headers.get('retry-after')) >= 30, r.headers.get('retry-after'));
    // Someone else behind the same address (a NAT) with a valid key is not locked out.
    for (let i = 0; i < 5; i++) {
      assert.equal((await get(`${s.url}/v1/ok`, { 'X-Api-Key': key })).status, 200, 'a bystander with a valid key');
    }
    assert.equal((await get(`${s.url}/v1/guess`, { 'X-Api-Key': bad })).status, 429, 'the guesses still are');
  });
});

describe('per client IP, for every request', () => {
  let s;
  before(async () => { s = await startStack({ env: { TOLLGATE_IP_RPS: '1', TOLLGATE_IP_BURST: '5' } }); });
  after(async () => { await s?.stop(); });

  test('one address over its rate gets 429 whatever keys it uses', async () => {
    s.tenant('ip-a');
    s.tenant('ip-b');
    const a = s.key('ip-a');
    const b = s.key('ip-b');
    await waitFor('the keys', async () => (await get(`${s.internal}/health/ready`)).json?.data?.keys === 2);
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await get(`${s.url}/v1/x`, { 'X-Api-Key': i % 2 ? a : b })).status);
    assert.deepEqual(statuses.slice(0, 5), [200, 200, 200, 200, 200]);
    assert.equal(statuses[5], 429);
    const r = await get(`${s.url}/v1/x`, { 'X-Api-Key': a });
    assert.match(r.headers.get('ratelimit'), /^"ip";r=0;t=\d+$/);
    assert.match(r.headers.get('ratelimit-policy'), /"ip";q=5;w=5/);
  });
});
