// Tenants walled in depth, and addresses counted right: row-level security behind every
// management query (a query that forgot its tenant predicate, or was given another
// tenant's ids, finds nothing), management-token guessing throttled per address, and the
// client's address taken from X-Forwarded-For only behind a trusted proxy.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { get, getFrom, startStack, waitFor } from './harness.mjs';

const FEATURES = '{1,0,0,1,0,0,0,0,0,0,0,0,0,0,0,0.5,0.25,0,0,0.75,0,0,0,0,1,0,0,0,0,0,0,0,0,0,0}';

describe('row-level security: the second wall', () => {
  let s;
  let a;
  let b;
  before(async () => {
    s = await startStack({ env: { TOLLGATE_AUTHFAIL_PER_MINUTE: '5', TOLLGATE_AUTHFAIL_BURST: '5' } });
    for (const slug of ['wall-a', 'wall-b']) {
      const t = s.tenant(slug);
      t.token = s.mustCli('token', 'create', slug).trim();
      t.key = s.key(slug);
      s.psql(`INSERT INTO abuse_decisions (id, tenant_id, key_id, ip, network, at, outcome, enforced, reason, score,
        model_version, method, route, payload_bytes, ua_family, header_names, features)
        SELECT gen_random_uuid(), ${t.id}, NULL, '203.0.113.9', '203.0.113.0/24', now() - n * interval '1 minute',
          'block', true, 'path_enumeration', 0.9, 0, 'GET', '/v1/{id}', 0, 'curl', 'x-api-key', '${FEATURES}'
        FROM generate_series(1, 3) n`);
      if (slug === 'wall-a') a = t; else b = t;
    }
  });
  after(async () => { await s?.stop(); });

  // psql as the console's role, with a tenant set for the transaction or not.
  const asConsole = (tenantId, sql) => s.psql(`BEGIN; SET LOCAL ROLE tollgate_console; ${
    tenantId ? `SET LOCAL tollgate.tenant_id = '${tenantId}';` : ''} ${sql}; COMMIT;`)
    .split('\n').filter((l) => l !== '' && l !== 'BEGIN' && l !== 'COMMIT' && l !== 'SET').join('\n');

  test('every table with a tenant_id has row-level security with a policy for the console', () => {
    const unguarded = s.psql(`SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
        AND NOT (c.relrowsecurity AND EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid))
      ORDER BY 1`);
    assert.equal(unguarded, '', `tables without a wall: ${unguarded}`);
    assert.equal(s.psql("SELECT relrowsecurity FROM pg_class WHERE relname = 'tenants'"), 't');
    assert.match(s.psql("SELECT array_to_string(reloptions, ',') FROM pg_class WHERE relname = 'tenant_limits'"),
      /security_invoker=true/);
  });

  test('a query missing its tenant predicate sees only the transaction\'s tenant, and none without one', () => {
    assert.equal(asConsole(null, 'SELECT count(*) FROM abuse_decisions'), '0');
    assert.equal(asConsole(null, 'SELECT count(*) FROM api_keys'), '0');
    assert.equal(asConsole(null, 'SELECT count(*) FROM tenants'), '0');
    assert.equal(asConsole(a.id, 'SELECT count(*) FROM abuse_decisions'), '3');
    assert.equal(asConsole(a.id, 'SELECT DISTINCT tenant_id FROM abuse_decisions'), String(a.id));
    assert.equal(asConsole(a.id, 'SELECT count(*) FROM api_keys'), '1');
    assert.equal(asConsole(a.id, 'SELECT string_agg(slug, \',\') FROM tenants'), 'wall-a');
    // Writing another tenant's row: nothing matches.
    const other = s.psql(`SELECT id FROM abuse_decisions WHERE tenant_id = ${b.id} LIMIT 1`);
    assert.equal(asConsole(a.id, `WITH u AS (UPDATE abuse_decisions SET label = 'false_positive', labeled_at = now()
      WHERE id = '${other}' RETURNING 1) SELECT count(*) FROM u`), '0');
    assert.equal(s.psql(`SELECT count(*) FROM abuse_decisions WHERE label IS NOT NULL`), '0');
    // And what the console may not touch at all stays out of reach.
    assert.throws(() => asConsole(a.id, 'SELECT count(*) FROM nodes'), /permission denied/);
  });

  test('every management endpoint given another tenant\'s ids finds nothing', async () => {
    const theirs = s.psql(`SELECT id FROM abuse_decisions WHERE tenant_id = ${b.id} LIMIT 1`);
    const auth = { Authorization: `Bearer ${a.token}` };
    assert.equal((await get(`${s.console}/api/v1/decisions/${theirs}`, auth)).status, 404);
    const label = await get(`${s.console}/api/v1/decisions/${theirs}/label`, { ...auth, 'Content-Type': 'application/json' },
      { method: 'POST', body: JSON.stringify({ label: 'false_positive' }) });
    assert.equal(label.status, 404);
    const list = await get(`${s.console}/api/v1/decisions?limit=100`, auth);
    assert.equal(list.status, 200);
    assert.equal(list.json.data.items.length, 3);
    assert.ok(list.json.data.items.every((d) => d.id !== theirs));
    const usage = await get(`${s.console}/api/v1/usage`, auth);
    assert.equal(usage.status, 200);
    assert.equal(s.psql(`SELECT count(*) FROM abuse_decisions WHERE tenant_id = ${b.id} AND label IS NOT NULL`), '0');
  });

  test('guessing management tokens is throttled per address before PostgreSQL is asked', async () => {
    const guess = (i) => `tgm_${String(i).padStart(32, 'G')}_GGGGGG`;
    const statuses = [];
    for (let i = 0; i < 12; i++) {
      statuses.push((await getFrom('127.0.70.1', `${s.console}/api/v1/usage`, { Authorization: `Bearer ${guess(i)}` })).status);
    }
    assert.equal(statuses[0], 401);
    assert.ok(statuses.includes(429), `no throttle: ${statuses}`);
    const r = await getFrom('127.0.70.1', `${s.console}/api/v1/usage`, { Authorization: `Bearer ${guess(99)}` });
    assert.equal(r.status, 429);
    assert.match(r.json.type, /rate-limited$/);
    assert.ok(Number(r.headers['retry-after']) >= 1);
    // Another address is not throttled.
    assert.equal((await getFrom('127.0.70.2', `${s.console}/api/v1/usage`, { Authorization: `Bearer ${a.token}` })).status, 200);
  });
});

describe('the client behind a load balancer', () => {
  let s;
  let key;
  before(async () => {
    // 127.0.0.2 plays the load balancer; per-address limit: 2 requests, then 1 a second.
    s = await startStack({ env: { TOLLGATE_TRUSTED_PROXIES: '127.0.0.2/32', TOLLGATE_IP_RPS: '1', TOLLGATE_IP_BURST: '2' } });
    s.tenant('behind-lb');
    s.mustCli('tenant', 'set', 'behind-lb', '--key-rps', '1000', '--key-burst', '1000', '--rps', '1000', '--burst', '1000');
    key = s.key('behind-lb');
    await waitFor('the key', async () => (await get(`${s.internal}/health/ready`)).json?.data?.keys === 1);
  });
  after(async () => { await s?.stop(); });

  const from = (peer, xff) => getFrom(peer, `${s.url}/v1/lb`, { 'X-Api-Key': key, ...(xff ? { 'X-Forwarded-For': xff } : {}) });

  test('from a trusted proxy, each forwarded client has its own per-address limit', async () => {
    const statuses = [];
    for (let i = 1; i <= 6; i++) statuses.push((await from('127.0.0.2', `198.51.100.${i}`)).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200], 'six clients, one request each');
    // One forwarded client over its limit is limited, not the others.
    const one = [];
    for (let i = 0; i < 4; i++) one.push((await from('127.0.0.2', '203.0.113.50')).status);
    assert.deepEqual(one.slice(0, 2), [200, 200]);
    assert.equal(one.at(-1), 429);
    // A client cannot choose its address by prepending to the header: the proxy's hop counts.
    assert.equal((await from('127.0.0.2', '1.2.3.4, 198.51.100.77')).status, 200);
  });

  test('from anyone else, X-Forwarded-For is ignored', async () => {
    const statuses = [];
    for (let i = 1; i <= 4; i++) statuses.push((await from('127.0.0.3', `198.51.100.${100 + i}`)).status);
    assert.deepEqual(statuses.slice(0, 2), [200, 200]);
    assert.equal(statuses.at(-1), 429, `an untrusted peer's X-Forwarded-For must not split it: ${statuses}`);
  });
});
