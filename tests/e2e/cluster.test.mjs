// Two nodes (each tollgate serve + its own Caddy) on one PostgreSQL share a tenant's monthly
// quota: driven at once, together they admit at most the quota plus what arrives while their
// views of each other's usage are one flush old, and the stored usage sums exactly.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { get, startStack, waitFor } from './harness.mjs';

const FLUSH_MS = 200;
const QUOTA = 300;
const env = { TOLLGATE_FLUSH_INTERVAL: `${FLUSH_MS}ms` };
// Waits on state, not the clock: generous, since a wait returns as soon as the state is there.
const PATIENCE = 30000;

// Successful usage flushes so far (every round also reads the cluster's usage back).
async function flushes(n) {
  const text = (await get(`${n.internal}/metrics`)).text;
  const line = text.split('\n').find((l) => l.startsWith('tollgate_flushes_total '));
  return line ? Number(line.split(' ').pop()) : NaN;
}

describe('two nodes', () => {
  let a;
  let b;
  before(async () => {
    a = await startStack({ env });
    b = await startStack({ env, database: a });
  });
  after(async () => { await b?.stop(); await a?.stop(); });

  test('share a monthly quota within one flush interval, and their usage sums exactly', async (t) => {
    const { id } = a.tenant('shared');
    a.psql(`UPDATE tenants SET monthly_requests = ${QUOTA}, key_rps = 100000, key_burst = 100000, key_rpm = 10000000,
            tenant_rps = 100000, tenant_burst = 100000, tenant_rpm = 10000000 WHERE id = ${id}`);
    const key = a.key('shared');
    for (const n of [a, b]) {
      await waitFor('the key on both nodes', async () =>
        (await get(`${n.internal}/health/ready`)).json?.data?.keys === 1, { timeout: PATIENCE });
    }

    // Both nodes at once, at a steady pace, until each has refused 20 in a row.
    const started = Date.now();
    const tally = await Promise.all([a, b].map(async (n) => {
      let through = 0;
      let refusedInARow = 0;
      let sent = 0;
      const statuses = {};
      while (refusedInARow < 20 && sent < 3 * QUOTA) {
        const r = await get(`${n.url}/v1/shared`, { 'X-Api-Key': key });
        sent++;
        statuses[r.status] = (statuses[r.status] || 0) + 1;
        if (r.status === 200) { through++; refusedInARow = 0; } else {
          assert.equal(r.status, 429, r.text);
          assert.ok(r.json.type.endsWith('/quota-exceeded'), r.json.type);
          refusedInARow++;
        }
        // The pace is part of what is measured (the bound below is in requests per flush
        // interval), not a wait for anything: it stays a sleep.
        await sleep(4);
      }
      return { through, sent, statuses };
    }));
    const seconds = (Date.now() - started) / 1000;
    const admitted = tally[0].through + tally[1].through;
    const rate = (tally[0].sent + tally[1].sent) / seconds; // requests per second, cluster-wide
    // What arrives in one flush interval (a node's view of the other is at most that, plus
    // a quarter for its own read-back, old), and a few in flight.
    const bound = Math.ceil(rate * 1.25 * (FLUSH_MS / 1000)) + 5;
    t.diagnostic(`admitted ${admitted} of a ${QUOTA} quota (bound +${bound}) at ${rate.toFixed(0)} req/s: ${JSON.stringify(tally)}`);
    assert.ok(tally[0].through > 0 && tally[1].through > 0, `both nodes must admit: ${JSON.stringify(tally)}`);
    assert.ok(admitted >= QUOTA, `the cluster refused before the quota was used: ${admitted}`);
    assert.ok(admitted <= QUOTA + bound,
      `admitted ${admitted} > quota ${QUOTA} + ${bound} (${rate.toFixed(0)} req/s, ${FLUSH_MS} ms flushes): ${JSON.stringify(tally)}`);

    // Every admitted request is stored, once, whichever node admitted it.
    await waitFor('the cluster usage to settle', () =>
      Number(a.psql(`SELECT coalesce(sum(requests), 0) FROM usage_monthly WHERE tenant_id = ${id}`)) === admitted, { timeout: PATIENCE });
    // More flush rounds on both nodes (a repeated flush must add nothing), counted by each
    // node instead of waited for by the clock: of three more, at least two began after the
    // total settled.
    const settled = await Promise.all([a, b].map(flushes));
    await Promise.all([a, b].map((n, i) => waitFor('more flush rounds on each node', async () =>
      (await flushes(n)) >= settled[i] + 3, { timeout: PATIENCE, interval: 100 })));
    assert.equal(Number(a.psql(`SELECT sum(requests) FROM usage_monthly WHERE tenant_id = ${id}`)), admitted);
    assert.equal(Number(a.psql(`SELECT sum(requests) FROM usage_tenant_monthly WHERE tenant_id = ${id}`)), admitted);
    const perNode = a.psql(`SELECT node_id, sum(requests) FROM usage_node_counters WHERE tenant_id = ${id} GROUP BY 1 ORDER BY 1`)
      .split('\n').map((l) => Number(l.split('|')[1]));
    assert.equal(perNode.length, 2, 'each node flushes under its own name');
    assert.deepEqual(perNode.slice().sort((x, y) => x - y), [tally[0].through, tally[1].through].sort((x, y) => x - y));
  });
});
