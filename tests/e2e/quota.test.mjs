// The monthly quota: exhaustion, the headers that say so, persistence across a restart, and
// the roll-over into a new calendar month (with the test clock, not a month of waiting).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { get, startStack, waitFor } from './harness.mjs';

// Waits on state, not the clock: generous, since a wait returns as soon as the state is there.
const PATIENCE = 30000;

const QUOTA = 5;

// The first second of the UTC month after `ms`, as RFC 3339.
function nextMonth(ms) {
  const d = new Date(ms);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1, 0, 0, 5)).toISOString().replace(/\.\d+Z$/, 'Z');
}

describe('monthly quota', () => {
  let s;
  let key;
  let id;
  before(async () => {
    s = await startStack({ env: { TOLLGATE_ALLOW_CLOCK_SHIFT: 'true', TOLLGATE_FLUSH_INTERVAL: '200ms' } });
    ({ id } = s.tenant('quota'));
    s.mustCli('tenant', 'set', 'quota', '--monthly', String(QUOTA));
    key = s.key('quota');
    await waitFor('the quota', async () =>
      (await get(`${s.internal}/health/ready`)).status === 200 &&
      s.psql(`SELECT monthly_requests FROM tenant_limits WHERE tenant_id = ${id}`) === String(QUOTA));
    await waitFor('the key', async () => {
      const r = await get(`${s.internal}/health/ready`);
      return r.json?.data?.keys === 1;
    });
  });
  after(async () => { await s?.stop(); });

  test('a tenant gets exactly its quota, then 429 quota-exceeded until the month ends', async () => {
    const left = [];
    for (let i = 0; i < QUOTA; i++) {
      const r = await get(`${s.url}/v1/q`, { 'X-Api-Key': key });
      assert.equal(r.status, 200, r.text);
      assert.match(r.headers.get('ratelimit-policy'), new RegExp(`"month";q=${QUOTA};w=\\d+`));
      left.push(Number(r.headers.get('x-ratelimit-remaining')));
    }
    assert.deepEqual(left, [4, 3, 2, 1, 0]);
    const calls = s.upstream.calls.length;
    const r = await get(`${s.url}/v1/q`, { 'X-Api-Key': key });
    assert.equal(r.status, 429);
    assert.ok(r.json.type.endsWith('/quota-exceeded'), r.json.type);
    const now = Date.now();
    const monthEnd = Date.parse(nextMonth(now)) - 5000;
    const retry = Number(r.headers.get('retry-after'));
    assert.ok(Math.abs(retry - (monthEnd - now) / 1000) < 5, `Retry-After ${retry}s, month ends in ${(monthEnd - now) / 1000}s`);
    assert.match(r.headers.get('ratelimit'), /^"month";r=0;t=\d+$/);
    assert.equal(r.headers.get('x-ratelimit-remaining'), '0');
    assert.equal(s.upstream.calls.length, calls);
    await waitFor('the usage', () => s.psql(`SELECT requests FROM usage_tenant_monthly WHERE tenant_id = ${id}`) === String(QUOTA));
  });

  test('the quota holds across a restart of tollgate serve', async () => {
    await s.stopServe('SIGTERM');
    s.startServe();
    await waitFor('the gate', async () => (await get(`${s.internal}/health/ready`)).status === 200, { timeout: PATIENCE });
    const r = await get(`${s.url}/v1/q`, { 'X-Api-Key': key });
    assert.equal(r.status, 429);
    assert.ok(r.json.type.endsWith('/quota-exceeded'));
  });

  test('a new calendar month (UTC) starts a new quota, counted in its own month', async () => {
    const target = nextMonth(Date.now());
    s.mustCli('clock', 'set', target);
    const r = await get(`${s.url}/v1/q`, { 'X-Api-Key': key });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('x-ratelimit-remaining'), String(QUOTA - 1));
    const month = target.slice(0, 7) + '-01';
    await waitFor('the new month\'s usage', () =>
      s.psql(`SELECT requests FROM usage_tenant_monthly WHERE tenant_id = ${id} AND month = '${month}'`) === '1', { timeout: PATIENCE });
    assert.equal(s.psql(`SELECT requests FROM usage_tenant_monthly WHERE tenant_id = ${id} AND month < '${month}'`), String(QUOTA),
      'the old month keeps its own count');
    assert.equal(s.psql(`SELECT count(*) FROM usage_hourly WHERE tenant_id = ${id} AND hour >= '${month}'`), '1');
    s.mustCli('clock', 'reset');
  });
});
