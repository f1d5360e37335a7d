// The management API (/api/v1) through the real Caddy + tollgate + PostgreSQL: management
// tokens from the CLI, authentication, a tenant's decisions (filters, cursors, isolation),
// labelling a false positive that lifts a live block at once, Idempotency-Key, bad input,
// usage, and a database outage.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { get, probeName, startStack, waitFor } from './harness.mjs';

const TOKEN = /^tgm_[0-9A-Za-z]{32}_[0-9A-Za-z]{6}$/;
const PROBLEM = 'application/problem+json';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// features[] of the rows inserted below: bias, the path_enumeration rule, ip_rate 0.5,
// key_rate 0.25, client_error_share 0.75, ua_scripted 1.
const FEATURES = '{1,0,0,1,0,0,0,0,0,0,0,0,0,0,0,0.5,0.25,0,0,0.75,0,0,0,0,1,0,0,0,0,0,0,0,0,0,0}';
// Waits on state, not the clock: generous, since a wait returns as soon as the state is there.
const PATIENCE = 30000;

function assertProblem(r, status, slug) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.headers.get('content-type'), PROBLEM);
  assert.ok(r.json.type.endsWith(`/${slug}`), `${r.json.type} is not ${slug}: ${r.text}`);
  assert.equal(r.json.status, status);
  assert.equal(r.json.request_id, r.headers.get('x-request-id'));
}

describe('management API', () => {
  let s;
  let a; // tenant A: { slug, id, token }
  let b; // tenant B

  // Inserts decisions for a tenant; returns nothing. Each row: [at, outcome, reason, key_id, label].
  function insertDecisions(tenantId, rows) {
    const values = rows.map(([at, outcome, reason, keyId, label]) =>
      `(gen_random_uuid(), ${tenantId}, ${keyId ?? 'NULL'}, '203.0.113.7', '203.0.113.0/24', '${at}', '${outcome}', ` +
      `${outcome !== 'allow'}, '${reason}', 0.875, 0, 'GET', '/v1/items/{id}', 0, 'curl', 'accept,x-api-key', ` +
      `'${FEATURES}', ${label ? `'${label}', now()` : 'NULL, NULL'})`).join(',');
    s.psql(`INSERT INTO abuse_decisions (id, tenant_id, key_id, ip, network, at, outcome, enforced, reason, score,
      model_version, method, route, payload_bytes, ua_family, header_names, features, label, labeled_at) VALUES ${values}`);
  }
  const api = (path, token, { headers = {}, ...init } = {}) =>
    get(`${s.console}${path}`, token ? { Authorization: `Bearer ${token}`, ...headers } : headers, init);
  const label = (id, token, body, headers = {}) => api(`/api/v1/decisions/${id}/label`, token, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', ...headers },
  });

  before(async () => {
    s = await startStack({ env: { TOLLGATE_FLUSH_INTERVAL: '200ms' } });
    a = s.tenant('api-a');
    b = s.tenant('api-b');
    a.token = s.mustCli('token', 'create', 'api-a', '--name', 'dashboard').trim();
    b.token = s.mustCli('token', 'create', 'api-b').trim();
  });
  after(async () => { await s?.stop(); });

  test('token create prints a tgm_ token once; list shows its prefix, never the token; revoke ends it', async () => {
    assert.match(a.token, TOKEN);
    const extra = s.cli('token', 'create', 'api-a', '--name', 'temp');
    assert.equal(extra.status, 0, extra.stderr);
    const token = extra.stdout.trim();
    assert.match(token, TOKEN);
    assert.match(extra.stderr, /shown only once/);
    assert.equal(s.psql(`SELECT count(*) FROM api_tokens WHERE prefix = '${token.slice(0, 12)}' AND length(hash) = 32`), '1');

    assert.equal((await api('/api/v1/decisions', token)).status, 200);
    const list = s.mustCli('token', 'list', 'api-a');
    assert.match(list, /ID\s+PREFIX\s+STATUS\s+CREATED\s+LAST_USED\s+NAME/);
    const line = list.split('\n').find((l) => l.includes(token.slice(0, 12)));
    assert.match(line, /active\s+\S+Z\s+\S+Z\s+temp$/, 'last used is noted');
    assert.ok(!list.includes(token), 'the list never shows a token');

    const id = line.trim().split(/\s+/)[0];
    const rv = s.cli('token', 'revoke', id);
    assert.equal(rv.status, 0, rv.stderr);
    assert.match(s.mustCli('token', 'list', 'api-a'), new RegExp(`${token.slice(0, 12)}\\s+revoked`));
    assertProblem(await api('/api/v1/decisions', token), 401, 'invalid-token');

    assert.equal(s.cli('token', 'create', 'no-such-tenant').status, 1);
    assert.equal(s.cli('token', 'list', 'no-such-tenant').status, 1);
    assert.equal(s.cli('token', 'revoke', '999999').status, 1);
    assert.equal(s.cli('token', 'revoke', 'abc').status, 2);
    assert.equal(s.cli('token').status, 2);
  });

  test('401 without a token, with a bad one, and with a gateway API key', async () => {
    const none = await api('/api/v1/decisions');
    assertProblem(none, 401, 'missing-token');
    assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="tollgate"');
    const gatewayKey = s.key('api-a');
    for (const bad of ['hunter2', `tgm_${'A'.repeat(32)}_AAAAAA`, a.token.slice(0, -1) + (a.token.at(-1) === 'A' ? 'B' : 'A'), gatewayKey]) {
      const r = await api('/api/v1/decisions', bad);
      assertProblem(r, 401, 'invalid-token');
      assert.match(r.headers.get('www-authenticate'), /error="invalid_token"/);
    }
    // A well-formed token nobody issued: the checksum passes, the lookup does not.
    const forged = s.mustCli('token', 'create', 'api-b').trim();
    s.psql(`DELETE FROM api_tokens WHERE prefix = '${forged.slice(0, 12)}'`);
    assertProblem(await api('/api/v1/decisions', forged), 401, 'invalid-token');
    // Basic auth is not a management token either; nor is X-Api-Key.
    assertProblem(await api('/api/v1/decisions', null, { headers: { Authorization: 'Basic dXNlcjpwYXNz' } }), 401, 'missing-token');
    assertProblem(await api('/api/v1/decisions', null, { headers: { 'X-Api-Key': gatewayKey } }), 401, 'missing-token');
  });

  test('a suspended tenant\'s token is refused with 403 tenant-suspended', async () => {
    const t = s.tenant('api-suspended');
    const token = s.mustCli('token', 'create', t.slug).trim();
    assert.equal((await api('/api/v1/usage', token)).status, 200);
    s.mustCli('tenant', 'set', t.slug, '--status', 'suspended');
    assertProblem(await api('/api/v1/usage', token), 403, 'tenant-suspended');
  });

  test('unknown paths are 404 and wrong methods 405, before any authentication', async () => {
    assertProblem(await api('/api/v1/nope'), 404, 'not-found');
    assertProblem(await api('/api/v1/decisions/abc/label/more', a.token), 404, 'not-found');
    const r = await api('/api/v1/decisions', null, { method: 'POST' });
    assertProblem(r, 405, 'method-not-allowed');
    assert.equal(r.headers.get('allow'), 'GET, HEAD');
    const l = await api('/api/v1/decisions/x/label', null, { method: 'GET' });
    assertProblem(l, 405, 'method-not-allowed');
    assert.equal(l.headers.get('allow'), 'POST');
  });

  test('decisions: newest first, each with its fields, filters, one by id', async () => {
    insertDecisions(a.id, [
      ['2026-03-01T10:00:00Z', 'block', 'path_enumeration', 11, null],
      ['2026-03-01T11:00:00Z', 'flag', 'error_ratio', 12, 'confirmed_abuse'],
      ['2026-03-01T12:00:00.123456Z', 'allow', 'model', null, null],
      ['2026-03-02T09:30:00Z', 'throttle', 'burst', 11, 'false_positive'],
    ]);
    const r = await api('/api/v1/decisions?since=2026-03-01T00:00:00Z&until=2026-03-03T00:00:00Z', a.token);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('content-type'), 'application/json');
    assert.equal(r.json.meta.request_id, r.headers.get('x-request-id'));
    const items = r.json.data.items;
    assert.deepEqual(items.map((d) => d.outcome), ['throttle', 'allow', 'flag', 'block']);
    assert.equal(r.json.data.next_cursor, null);
    const d = items[1];
    assert.match(d.id, UUID);
    assert.equal(d.at, '2026-03-01T12:00:00.123456Z');
    assert.equal(d.key_id, null);
    assert.equal(items[0].key_id, 11);
    assert.equal(d.ip, '203.0.113.7');
    assert.equal(d.network, '203.0.113.0/24');
    assert.equal(d.enforced, false);
    assert.equal(items[0].enforced, true);
    assert.equal(d.reason, 'model');
    assert.equal(d.score, 0.875);
    assert.equal(d.model_version, 0);
    assert.equal(d.method, 'GET');
    assert.equal(d.route, '/v1/items/{id}');
    assert.equal(d.payload_bytes, 0);
    assert.equal(d.ua_family, 'curl');
    assert.equal(d.header_names, 'accept,x-api-key');
    assert.deepEqual(d.rules_fired, ['path_enumeration']);
    assert.equal(d.features.bias, 1);
    assert.equal(d.features.ip_rate, 0.5);
    assert.equal(d.features.key_rate, 0.25);
    assert.equal(d.features.client_error_share, 0.75);
    assert.equal(d.features.ua_scripted, 1);
    assert.equal(Object.keys(d.features).length, 21, 'bias and the 20 signals; the 14 rule slots are in rules_fired');
    assert.equal(d.label, null);
    assert.equal(d.labeled_at, null);
    assert.equal(items[0].label, 'false_positive');
    assert.match(items[0].labeled_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);

    // The four rows above, filtered further by q (raw, so that a test can write '+' as is).
    const outcomes = async (q) => {
      const p = Object.fromEntries(q.split('&').map((kv) => kv.split('=')));
      p.since ??= '2026-03-01T00:00:00Z';
      p.until ??= '2026-03-03T00:00:00Z';
      const qs = Object.entries(p).map(([k, v]) => `${k}=${v}`).join('&');
      const r = await api(`/api/v1/decisions?${qs}`, a.token);
      assert.equal(r.status, 200, r.text);
      return r.json.data.items.map((x) => x.outcome);
    };
    assert.deepEqual(await outcomes('outcome=block'), ['block']);
    assert.deepEqual(await outcomes('reason=burst'), ['throttle']);
    assert.deepEqual(await outcomes('key_id=11'), ['throttle', 'block']);
    assert.deepEqual(await outcomes('label=none'), ['allow', 'block']);
    assert.deepEqual(await outcomes('label=confirmed_abuse'), ['flag']);
    assert.deepEqual(await outcomes('until=2026-03-01T12:00:00Z'), ['flag', 'block'], 'until is exclusive');
    assert.deepEqual(await outcomes('since=2026-03-01T12%3A00%3A00%2B00%3A00'), ['throttle', 'allow'], 'escaped, with an offset');
    assert.deepEqual(await outcomes('since=2026-03-01T13:00:00+01:00'), ['throttle', 'allow'], "a literal '+' is an offset");
    assert.deepEqual(await outcomes('since=2026-03-01t12:00:00.123456z'), ['throttle', 'allow'], 'since is inclusive');
    assert.deepEqual(await outcomes('outcome=block&reason=burst'), []);
    assert.deepEqual(await outcomes('limit=2'), ['throttle', 'allow']);
    assert.deepEqual(await outcomes('outcome='), ['throttle', 'allow', 'flag', 'block'], 'an empty value is no filter');

    const one = await api(`/api/v1/decisions/${d.id}`, a.token);
    assert.equal(one.status, 200, one.text);
    assert.deepEqual(one.json.data, d);
    assert.equal((await api(`/api/v1/decisions/${d.id.toUpperCase()}`, a.token)).json.data.id, d.id);
    assertProblem(await api('/api/v1/decisions/6d1a1c1e-0000-4000-8000-000000000000', a.token), 404, 'not-found');
    assertProblem(await api('/api/v1/decisions/not-a-uuid', a.token), 404, 'not-found');

    // Why: null for a decision stored without an explanation; the stored object otherwise.
    assert.equal(d.explanation, null);
    const why = { rule: 'path_enumeration', model_version: 0,
      signals: [{ signal: 'not_found_ratio', value: 0.9, contribution: 3.6 }, { signal: 'ua_scripted', value: 1, contribution: 1 }] };
    s.psql(`UPDATE abuse_decisions SET explanation = '${JSON.stringify(why)}' WHERE id = '${items[3].id}'`);
    assert.deepEqual((await api(`/api/v1/decisions/${items[3].id}`, a.token)).json.data.explanation, why);
  });

  test('invalid filters are 400 invalid-parameter naming the parameter', async () => {
    for (const [q, param] of [
      ['outcome=blocked', 'outcome'],
      ['reason=nope', 'reason'],
      ['key_id=-1', 'key_id'],
      ['key_id=abc', 'key_id'],
      ['since=yesterday', 'since'],
      ['since=2026-02-30T00:00:00Z', 'since'],
      ['until=2026-03-01', 'until'],
      ['label=maybe', 'label'],
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['limit=ten', 'limit'],
      ['cursor=abc', 'cursor'],
      ['cursor=' + '0'.repeat(50), 'cursor'],
      ['colour=red', 'colour'],
      ['limit=5&limit=6', 'limit'],
      ['outcome=%zz', 'outcome'],
    ]) {
      const r = await api(`/api/v1/decisions?${q}`, a.token);
      assertProblem(r, 400, 'invalid-parameter');
      assert.equal(r.json.parameter, param, q);
      assert.ok(r.json.detail.length > 10, r.text);
    }
    assert.equal((await api('/api/v1/decisions?limit=500', a.token)).status, 200);
  });

  test('cursors page through every row exactly once, newest first, ties broken by id', async () => {
    const t = s.tenant('api-pages');
    const token = s.mustCli('token', 'create', t.slug).trim();
    // 23 rows, two per second, so that pages split between rows of the same instant.
    insertDecisions(t.id, Array.from({ length: 23 }, (_, i) =>
      [`2026-04-01T00:00:${String(Math.floor(i / 2)).padStart(2, '0')}.5Z`, i % 3 ? 'flag' : 'block', 'model', 1, null]));
    const want = s.psql(`SELECT id FROM abuse_decisions WHERE tenant_id = ${t.id} ORDER BY at DESC, id DESC`).split('\n');
    assert.equal(want.length, 23);
    for (const limit of [1, 5, 23]) {
      const seen = [];
      let cursor = null;
      let pages = 0;
      do {
        const r = await api(`/api/v1/decisions?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, token);
        assert.equal(r.status, 200, r.text);
        seen.push(...r.json.data.items.map((d) => d.id));
        cursor = r.json.data.next_cursor;
        assert.ok(++pages <= 24);
      } while (cursor);
      assert.deepEqual(seen, want, `limit=${limit}`);
      assert.equal(pages, Math.ceil(23 / limit));
    }
    // A cursor carries across filters: blocks only, two at a time.
    const blocks = [];
    let cursor = '';
    do {
      const r = await api(`/api/v1/decisions?outcome=block&limit=2${cursor}`, token);
      blocks.push(...r.json.data.items.map((d) => d.id));
      cursor = r.json.data.next_cursor ? `&cursor=${r.json.data.next_cursor}` : '';
    } while (cursor);
    assert.deepEqual(blocks, s.psql(`SELECT id FROM abuse_decisions WHERE tenant_id = ${t.id} AND outcome = 'block' ORDER BY at DESC, id DESC`).split('\n'));
  });

  test('a tenant never sees or labels another tenant\'s decisions', async () => {
    const ofA = s.psql(`SELECT id FROM abuse_decisions WHERE tenant_id = ${a.id} LIMIT 1`);
    assert.match(ofA, UUID);
    const list = await api('/api/v1/decisions?limit=500', b.token);
    assert.equal(list.status, 200);
    assert.equal(list.json.data.items.length, 0);
    assertProblem(await api(`/api/v1/decisions/${ofA}`, b.token), 404, 'not-found');
    const before_ = s.psql(`SELECT coalesce(label, '-') FROM abuse_decisions WHERE id = '${ofA}'`);
    assertProblem(await label(ofA, b.token, { label: 'false_positive' }), 404, 'not-found');
    assert.equal(s.psql(`SELECT coalesce(label, '-') FROM abuse_decisions WHERE id = '${ofA}'`), before_);
    // Nor its usage.
    const u = await api('/api/v1/usage', b.token);
    assert.deepEqual(u.json.data.keys, []);
  });

  test('labelling a block false_positive lifts it at once: the same key gets 200 again', async () => {
    const t = s.tenant('api-blocked');
    s.psql(`UPDATE tenants SET abuse_mode = 'enforce' WHERE id = ${t.id}`);
    const token = s.mustCli('token', 'create', t.slug).trim();
    const key = s.key(t.slug);
    // The key is created after abuse_mode was committed, and the one syncer applies changes
    // in the order they were committed (docs/architecture.md): a key that works proves the
    // tenant's enforce mode is in memory too, with no pause for it.
    await waitFor('the key in enforce mode', async () => (await get(`${s.url}/v1/x`, { 'X-Api-Key': key })).status === 200,
      { timeout: PATIENCE });
    // Walking distinct routes that find nothing fires path_enumeration (a block) after
    // some 40 of them.
    let blocked;
    for (let i = 0; i < 80 && !blocked; i++) {
      const r = await get(`${s.url}/status/404/${probeName(i)}/list`, { 'X-Api-Key': key });
      if (r.status === 403) blocked = r;
    }
    assert.ok(blocked, 'the key was never blocked');
    assert.match(blocked.json.type, /\/abnormal-usage-detected$/);
    const id = blocked.json.decision_id;
    assert.match(id, UUID);
    assert.equal((await get(`${s.url}/v1/again`, { 'X-Api-Key': key })).status, 403, 'a block lasts');
    const stored = await waitFor('the decision through the API', async () => {
      const r = await api(`/api/v1/decisions/${id}`, token);
      return r.status === 200 && r.json.data;
    }, { timeout: PATIENCE });
    assert.equal(stored.outcome, 'block');
    assert.equal(stored.reason, 'path_enumeration');
    assert.ok(stored.rules_fired.includes('path_enumeration'));

    const r = await label(id, token, { label: 'false_positive' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.data.id, id);
    assert.equal(r.json.data.label, 'false_positive');
    assert.match(r.json.data.labeled_at, /Z$/);
    const after_ = await get(`${s.url}/v1/again`, { 'X-Api-Key': key });
    assert.equal(after_.status, 200, `the block must be lifted at once: ${after_.text}`);
    assert.equal(s.psql(`SELECT label FROM abuse_decisions WHERE id = '${id}'`), 'false_positive');

    // Re-labelling is allowed; the last label wins.
    const again = await label(id, token, { label: 'confirmed_abuse' });
    assert.equal(again.status, 200, again.text);
    assert.equal(again.json.data.label, 'confirmed_abuse');
    assert.equal((await api(`/api/v1/decisions/${id}`, token)).json.data.label, 'confirmed_abuse');
  });

  test('Idempotency-Key: the same request is answered again without being done again; another request is 409', async () => {
    const id = s.psql(`SELECT id FROM abuse_decisions WHERE tenant_id = ${a.id} AND label IS NULL ORDER BY at LIMIT 1`);
    const key = { 'Idempotency-Key': `label-${id}` };
    const first = await label(id, a.token, { label: 'confirmed_abuse' }, key);
    assert.equal(first.status, 200, first.text);
    assert.equal(first.headers.get('idempotent-replayed'), null);
    const at = s.psql(`SELECT labeled_at FROM abuse_decisions WHERE id = '${id}'`);
    // Labelling again now would store a later labeled_at (it is the database's now()): wait
    // until the database's clock has passed the first one, rather than a guess of 20 ms.
    await waitFor('the database clock past the first labelling', () =>
      s.psql(`SELECT now() > '${at}'::timestamptz`) === 't', { timeout: PATIENCE, interval: 5 });
    const replay = await label(id, a.token, { label: 'confirmed_abuse' }, key);
    assert.equal(replay.status, 200, replay.text);
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(replay.json.data, first.json.data);
    assert.equal(replay.json.meta.request_id, replay.headers.get('x-request-id'));
    assert.equal(s.psql(`SELECT labeled_at FROM abuse_decisions WHERE id = '${id}'`), at, 'not done twice');

    const other = await label(id, a.token, { label: 'false_positive' }, key);
    assertProblem(other, 409, 'idempotency-key-reused');
    assert.equal(other.json.parameter, 'Idempotency-Key');
    assert.equal(s.psql(`SELECT label FROM abuse_decisions WHERE id = '${id}'`), 'confirmed_abuse');
    // Keys belong to their tenant: B may use the same key for its own request.
    assertProblem(await label(id, b.token, { label: 'confirmed_abuse' }, key), 404, 'not-found');
    assertProblem(await label(id, a.token, { label: 'confirmed_abuse' }, { 'Idempotency-Key': 'x'.repeat(256) }), 400, 'invalid-parameter');
  });

  test('bad bodies are 400 invalid-body, too large ones 413, as problem+json', async () => {
    const id = s.psql(`SELECT id FROM abuse_decisions WHERE tenant_id = ${a.id} LIMIT 1`);
    for (const [body, headers, param] of [
      ['{"label":"false_positive"}', { 'Content-Type': 'text/plain' }, undefined],
      ['label=false_positive', { 'Content-Type': 'application/x-www-form-urlencoded' }, undefined],
      ['', {}, undefined],
      ['{"label":', {}, undefined],
      ['[]', {}, undefined],
      ['{"label":"false_positive","note":"x"}', {}, 'note'],
      ['{"label":"maybe"}', {}, 'label'],
      ['{"label":1}', {}, 'label'],
      ['{}', {}, 'label'],
      ['{"label":"false_positive","label":"confirmed_abuse"}', {}, undefined],
    ]) {
      const r = await label(id, a.token, body, headers);
      assertProblem(r, 400, 'invalid-body');
      assert.equal(r.json.parameter, param, body);
    }
    const ok = await label(id, a.token, '{"label":"confirmed_abuse"}', { 'Content-Type': 'application/json; charset=utf-8' });
    assert.equal(ok.status, 200, ok.text);
    const big = await label(id, a.token, JSON.stringify({ label: 'x'.repeat(1100 * 1024) }));
    assertProblem(big, 413, 'payload-too-large');
  });

  test('usage: per key and in total as usage_monthly holds them, with the quota', async () => {
    const t = s.tenant('api-usage', '--plan', 'free');
    const token = s.mustCli('token', 'create', t.slug).trim();
    const k1 = s.key(t.slug);
    const k2 = s.key(t.slug, '--name', 'second');
    await waitFor('the keys', async () => (await get(`${s.url}/v1/x`, { 'X-Api-Key': k2 })).status === 200);
    for (let i = 0; i < 3; i++) assert.equal((await get(`${s.url}/v1/u${i}`, { 'X-Api-Key': k1 })).status, 200);
    const month = s.psql("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM')");
    await waitFor('usage flushed', () => s.psql(`SELECT coalesce(sum(requests), 0) FROM usage_monthly WHERE tenant_id = ${t.id}`) === '4');
    const r = await api(`/api/v1/usage?month=${month}`, token);
    assert.equal(r.status, 200, r.text);
    const d = r.json.data;
    assert.equal(d.month, month);
    const rows = s.psql(`SELECT key_id || ':' || requests || ':' || status_2xx FROM usage_monthly WHERE tenant_id = ${t.id} ORDER BY key_id`).split('\n');
    assert.deepEqual(d.keys.map((k) => `${k.key_id}:${k.requests}:${k.status_2xx}`), rows);
    assert.equal(d.keys[0].prefix, k1.slice(0, 16));
    assert.equal(d.keys[1].name, 'second');
    assert.equal(d.totals.requests, 4);
    assert.equal(d.quota.limit, Number(s.psql(`SELECT monthly_requests FROM tenant_limits WHERE tenant_id = ${t.id}`)));
    assert.equal(d.quota.used, Number(s.psql(`SELECT requests FROM usage_tenant_monthly WHERE tenant_id = ${t.id}`)));
    assert.equal(d.quota.remaining, d.quota.limit - d.quota.used);
    assert.deepEqual((await api('/api/v1/usage', token)).json.data, d, 'this month by default');

    const empty = (await api('/api/v1/usage?month=2001-01', token)).json.data;
    assert.deepEqual(empty.keys, []);
    assert.equal(empty.totals.requests, 0);
    assert.equal(empty.quota.used, 0);
    for (const m of ['2026-13', '2026-1', 'may', '0000-01']) {
      const bad = await api(`/api/v1/usage?month=${m}`, token);
      assertProblem(bad, 400, 'invalid-parameter');
      assert.equal(bad.json.parameter, 'month');
    }
  });

  test('with PostgreSQL down the API answers 503 unavailable, and recovers when it is back', async () => {
    s.pgStop();
    try {
      const r = await api('/api/v1/decisions', a.token);
      assertProblem(r, 503, 'unavailable');
      assert.equal(r.headers.get('retry-after'), '1');
      assertProblem(await api('/api/v1/usage', a.token), 503, 'unavailable');
      // Malformed tokens are refused without the database.
      assertProblem(await api('/api/v1/decisions', 'hunter2'), 401, 'invalid-token');
    } finally {
      s.pgStart();
    }
    await waitFor('the API back', async () => (await api('/api/v1/decisions', a.token)).status === 200, { timeout: PATIENCE, interval: 200 });
  });
});
