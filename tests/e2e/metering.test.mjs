// Metering that never loses or double-counts a request: send exactly N requests, break
// something during the run, and compare what PostgreSQL stored with what got through.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { get, startStack, waitFor } from './harness.mjs';

// Limits out of the way (the harness opens the per-address ones): these tests are about
// counting, not refusing.
const UNLIMITED = 'key_rps = 1000000, key_burst = 1000000, key_rpm = 100000000, ' +
  'tenant_rps = 1000000, tenant_burst = 1000000, tenant_rpm = 100000000, monthly_unlimited = true';

// Sends n requests (or until `until()` says stop), `concurrency` at a time; `during(done)` is
// called after each response and may break things. Returns how many got through (200) and
// the other statuses seen.
export async function drive(url, key, n, { concurrency = 8, path = '/v1/meter', during, until } = {}) {
  let next = 0;
  let done = 0;
  let through = 0;
  const other = {};
  async function lane() {
    while (next < n && !(until && until())) {
      next++;
      let status;
      try {
        status = (await fetch(`${url}${path}`, { headers: { 'X-Api-Key': key } }).then(async (r) => { await r.arrayBuffer(); return r.status; }));
      } catch {
        status = 'network';
      }
      if (status === 200) through++;
      else other[status] = (other[status] || 0) + 1;
      done++;
      if (during) await during(done);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { through, other };
}

// Waits on state, not the clock: generous, since a wait returns as soon as the state is there.
const PATIENCE = 30000;

// What PostgreSQL holds for a tenant this month (every key, every node).
const stored = (s, tenantId) => Number(s.psql(`SELECT coalesce(sum(requests), 0) FROM usage_monthly WHERE tenant_id = ${tenantId}`));

// Successful usage flushes so far, as the node counts them.
async function flushes(s) {
  const text = (await get(`${s.internal}/metrics`)).text;
  const line = text.split('\n').find((l) => l.startsWith('tollgate_flushes_total '));
  return line ? Number(line.split(' ').pop()) : NaN;
}

// Waits until the flushed total equals `want`, then checks it stays there (nothing twice).
async function settles(s, tenantId, want, label) {
  await waitFor(`${label}: stored usage to reach ${want}`, () => stored(s, tenantId) === want, { timeout: PATIENCE, interval: 100 })
    .catch((e) => { throw new Error(`${e.message} (stored ${stored(s, tenantId)})\n${s.logs()}`); });
  // More flush rounds, counted rather than waited for by the clock (a repeated flush must
  // add nothing): of three more, at least two began after the total settled.
  const settled = await flushes(s);
  await waitFor(`${label}: more flush rounds`, async () => (await flushes(s)) >= settled + 3, { timeout: PATIENCE, interval: 100 })
    .catch((e) => { throw new Error(`${e.message} (${settled} flushes when settled)\n${s.logs()}`); });
  assert.equal(stored(s, tenantId), want, `${label}: stored usage moved after settling`);
  assert.equal(Number(s.psql(`SELECT coalesce(sum(requests), 0) FROM usage_tenant_monthly WHERE tenant_id = ${tenantId}`)), want,
    `${label}: the tenant's monthly total disagrees with its keys`);
  assert.equal(Number(s.psql(`SELECT coalesce(sum(requests), 0) FROM usage_hourly WHERE tenant_id = ${tenantId}`)), want,
    `${label}: the hourly usage disagrees with the monthly usage`);
}

describe('metering', () => {
  let s;
  let n = 0;

  // A fresh tenant (with one key) per scenario, so each count starts at zero.
  async function fresh() {
    const slug = `meter-${++n}`;
    const { id } = s.tenant(slug);
    s.psql(`UPDATE tenants SET ${UNLIMITED} WHERE id = ${id}`);
    const key = s.key(slug);
    await waitFor('the new key', async () => (await get(`${s.internal}/health/ready`)).status === 200 &&
      s.upstream.calls.length >= 0 && (await fetch(`${s.url}/v1/warm`, { headers: { 'X-Api-Key': key } })).status === 200);
    return { id, key, slug, base: stored(s, id) };
  }

  before(async () => { s = await startStack({ workers: 2 }); });
  after(async () => { await s?.stop(); });

  test('every admitted request is stored once, per key, hour and month', async () => {
    const t = await fresh();
    const calls = s.upstream.calls.length;
    const r = await drive(s.url, t.key, 500);
    assert.equal(r.through, 500, JSON.stringify(r.other));
    assert.equal(s.upstream.calls.length - calls, 500);
    await settles(s, t.id, 1 + 500, 'plain run'); // +1: the warm-up request
  });

  test('a worker killed with SIGKILL during the run loses nothing and adds nothing', async () => {
    const t = await fresh();
    const r = await drive(s.url, t.key, 800, {
      during: async (done) => { if (done === 250) process.kill(s.workers()[0].pid, 'SIGKILL'); },
    });
    assert.ok(r.through >= 700, `too few got through: ${JSON.stringify(r)}`);
    await settles(s, t.id, 1 + r.through, 'worker killed');
  });

  test('the flusher killed with SIGKILL during the run loses nothing and adds nothing', async () => {
    const t = await fresh();
    let killed = 0;
    const r = await drive(s.url, t.key, 1200, {
      during: async (done) => {
        if (done % 300 === 0) {
          const f = s.child('tg-flusher');
          if (f) { process.kill(f.pid, 'SIGKILL'); killed++; }
        }
      },
    });
    assert.ok(killed >= 2, 'the flusher was not killed');
    assert.equal(r.through, 1200, JSON.stringify(r.other));
    await settles(s, t.id, 1 + 1200, 'flusher killed');
  });

  test('tollgate serve stopped with SIGTERM and restarted during the run loses nothing', async () => {
    const t = await fresh();
    let restarted;
    const r = await drive(s.url, t.key, 900, {
      concurrency: 4,
      during: async (done) => {
        if (done === 300) {
          await s.stopServe('SIGTERM');
          s.startServe();
          restarted = waitFor('the gate after the restart', async () => (await get(`${s.internal}/health/live`)).status === 200, { timeout: PATIENCE });
        }
      },
    });
    await restarted;
    assert.ok(r.through >= 600, JSON.stringify(r));
    await settles(s, t.id, 1 + r.through, 'SIGTERM and restart');
  });

  test('retention drops old hourly partitions and counters no node can flush, and nothing else', () => {
    s.psql("SELECT tollgate_usage_partition('2020-01-15'), tollgate_usage_partition('2020-02-15')");
    s.psql(`INSERT INTO usage_hourly (key_id, hour, tenant_id, requests) VALUES (1, '2020-01-15 10:00+00', 1, 5)`);
    s.psql(`INSERT INTO usage_monthly (key_id, month, tenant_id, requests) VALUES (1, '2020-01-01', 1, 5)`);
    s.psql(`INSERT INTO usage_node_counters (node_id, incarnation, key_id, hour, tenant_id, requests) VALUES
            ('n1', 1, 1, now() - interval '3 days', 1, 5),    -- an earlier incarnation: gone
            ('n1', 2, 1, now() - interval '3 days', 1, 5),    -- this one, older than it still holds: gone
            ('n1', 2, 2, now() - interval '3 hours', 1, 5),   -- this one, recent: kept
            ('n2', 1, 1, now() - interval '30 days', 1, 5)`); // another node's: not ours to judge
    s.psql("SELECT tollgate_usage_retention('n1', 2, now() - interval '1 day', 13)");
    assert.equal(s.psql("SELECT count(*) FROM pg_tables WHERE tablename IN ('usage_hourly_2020_01', 'usage_hourly_2020_02')"), '0');
    assert.equal(s.psql('SELECT requests FROM usage_monthly WHERE month = \'2020-01-01\''), '5', 'monthly totals are kept for ever');
    const month = s.psql("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY_MM')");
    assert.equal(s.psql(`SELECT count(*) FROM pg_tables WHERE tablename = 'usage_hourly_${month}'`), '1', 'the current partition stays');
    assert.equal(s.psql("SELECT string_agg(node_id || '/' || incarnation || '/' || key_id, ',' ORDER BY node_id, incarnation, key_id) FROM usage_node_counters WHERE node_id IN ('n1', 'n2')"),
      'n1/2/2,n2/1/1');
  });

  test('PostgreSQL stopped for 10 s during the run: the gate keeps deciding, usage arrives after', async () => {
    const t = await fresh();
    let outage;
    const started = Date.now();
    const r = await drive(s.url, t.key, Infinity, {
      concurrency: 2,
      // The clock is the subject here, not a wait for state: a 10 s outage in a 13 s run,
      // with a steady trickle of requests throughout.
      until: () => Date.now() - started > 13000,
      during: async () => {
        if (!outage && Date.now() - started > 1000) {
          s.pgStop();
          outage = sleep(10000).then(() => s.pgStart());
        }
        await sleep(5); // a steady trickle for the whole outage
      },
    });
    await outage;
    const upstreamSaw = s.upstream.calls.filter((c) => c.headers['x-tollgate-tenant'] === t.slug).length;
    assert.equal(upstreamSaw, 1 + r.through, 'the upstream saw a different number than the client');
    assert.ok(r.through > 200, `too little traffic: ${JSON.stringify(r)}`);
    assert.deepEqual(r.other, {}, 'the gate must keep deciding while PostgreSQL is down');
    await settles(s, t.id, 1 + r.through, 'PostgreSQL outage');
  });
});
