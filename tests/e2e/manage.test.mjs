// The management API does what the portal does: keys (list, create, rotate, revoke),
// the upstream, the abuse mode and the audit log, idempotent, strictly validated, and
// walled per tenant.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startSmtp } from '../fakes/smtp.mjs';
import { ROOT, get, startStack, waitFor } from './harness.mjs';

// A management-API call to stack s with a token: a JSON body (an object, or raw text) gets
// its Content-Type.
const call = (s, path, token, { method = 'GET', body, headers = {} } = {}) => get(`${s.console}${path}`, {
  Authorization: `Bearer ${token}`,
  ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
  ...headers,
}, { method, body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)) });

describe('management API: keys, upstream, tenant, audit', () => {
  let s;
  let a; // { token, id }
  let b;

  const api = (...args) => call(s, ...args);
  const gw = (key, p = '/x') => get(`${s.url}${p}`, { Authorization: `Bearer ${key}` });

  before(async () => {
    s = await startStack({ workers: 2 });
    a = s.tenant('mgmt-a');
    b = s.tenant('mgmt-b');
    a.token = s.mustCli('token', 'create', 'mgmt-a').trim();
    b.token = s.mustCli('token', 'create', 'mgmt-b').trim();
  });
  after(async () => { await s?.stop(); });

  let k1;
  test('a key made through the API is shown once, works at the gateway, and is listed by prefix', async () => {
    const r = await api('/api/v1/keys', a.token, { method: 'POST', body: { name: 'from-api', expires_in_days: 30 } });
    assert.equal(r.status, 201, r.text);
    k1 = r.json.data;
    assert.match(k1.key, /^tg_live_/);
    assert.equal(k1.prefix, k1.key.slice(0, 16));
    assert.equal(k1.status, 'active');
    assert.equal(k1.name, 'from-api');
    assert.match(k1.expires_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    await waitFor('the key at the gateway', async () => (await gw(k1.key)).status === 200);
    const list = await api('/api/v1/keys', a.token);
    assert.equal(list.status, 200);
    assert.ok(list.json.data.some((k) => k.id === k1.id));
    assert.ok(!list.text.includes(k1.key), 'never the secret again');
  });

  test('Idempotency-Key: a retried create makes one key and does not show its secret twice', async () => {
    const headers = { 'Idempotency-Key': 'create-1' };
    const first = await api('/api/v1/keys', a.token, { method: 'POST', body: { name: 'idem' }, headers });
    assert.equal(first.status, 201);
    const again = await api('/api/v1/keys', a.token, { method: 'POST', body: { name: 'idem' }, headers });
    assert.equal(again.status, 201);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(again.json.data.id, first.json.data.id);
    assert.equal(again.json.data.key, undefined, 'the secret is shown only once');
    assert.equal(s.psql(`SELECT count(*) FROM api_keys WHERE tenant_id = ${a.id} AND name = 'idem'`), '1');
    const other = await api('/api/v1/keys', a.token, { method: 'POST', body: { name: 'other' }, headers });
    assert.equal(other.status, 409);
    assert.match(other.json.type, /idempotency-key-reused$/);
  });

  test('bad bodies are refused naming every bad member, and change nothing', async () => {
    const before_ = s.psql(`SELECT count(*) FROM api_keys WHERE tenant_id = ${a.id}`);
    let r = await api('/api/v1/keys', a.token, { method: 'POST', body: { name: 5, expires_in_days: 'soon', test: 'yes' } });
    assert.equal(r.status, 400);
    assert.match(r.headers.get('content-type'), /application\/problem\+json/);
    for (const m of ['name', 'expires_in_days', 'test']) assert.match(r.json.detail, new RegExp(`${m} must`));
    r = await api('/api/v1/keys', a.token, { method: 'POST', body: { name: 'x', colour: 'red' } });
    assert.equal(r.status, 400);
    assert.equal(r.json.parameter, 'colour');
    r = await api('/api/v1/keys', a.token, { method: 'POST', body: '{"name": ' });
    assert.equal(r.status, 400);
    r = await api('/api/v1/keys?limit=0', a.token);
    assert.equal(r.status, 400);
    assert.equal(r.json.parameter, 'limit');
    assert.equal(s.psql(`SELECT count(*) FROM api_keys WHERE tenant_id = ${a.id}`), before_);
  });

  test('the list pages with a cursor, newest first, every key once', async () => {
    const seen = [];
    let cursor = null;
    do {
      const r = await api(`/api/v1/keys?limit=1${cursor ? `&cursor=${cursor}` : ''}`, a.token);
      assert.equal(r.status, 200);
      assert.ok(r.json.data.length <= 1);
      seen.push(...r.json.data.map((k) => k.id));
      cursor = r.json.next_cursor;
    } while (cursor);
    assert.deepEqual(seen, [...seen].sort((x, y) => y - x));
    assert.equal(seen.length, Number(s.psql(`SELECT count(*) FROM api_keys WHERE tenant_id = ${a.id}`)));
  });

  test('rotation keeps the old key for its grace period; revoking ends it; other tenants get 404', async () => {
    assert.equal((await api(`/api/v1/keys/${k1.id}/revoke`, b.token, { method: 'POST' })).status, 404);
    assert.equal((await api(`/api/v1/keys/${k1.id}/rotate`, b.token, { method: 'POST', body: {} })).status, 404);
    assert.equal((await gw(k1.key)).status, 200, 'untouched by another tenant');
    const r = await api(`/api/v1/keys/${k1.id}/rotate`, a.token, { method: 'POST', body: { grace_minutes: 60 } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.data.old.id, k1.id);
    assert.equal(r.json.data.new.name, 'from-api');
    const next = r.json.data.key;
    await waitFor('the new key', async () => (await gw(next)).status === 200);
    assert.equal((await gw(k1.key)).status, 200, 'the old one in its grace period');
    const rv = await api(`/api/v1/keys/${k1.id}/revoke`, a.token, { method: 'POST' });
    assert.equal(rv.status, 200);
    assert.equal(rv.json.data.status, 'revoked');
    await waitFor('the old key refused', async () => (await gw(k1.key)).status === 401);
    assert.equal((await api(`/api/v1/keys/${k1.id}/revoke`, a.token, { method: 'POST' })).status, 404, 'revoked once');
  });

  test('the upstream is validated on write; the tenant sets its abuse mode', async () => {
    let r = await api('/api/v1/upstream', a.token, { method: 'PUT', body: { url: 'http://169.254.169.254/' } });
    assert.equal(r.status, 400);
    assert.equal(r.json.parameter, 'url');
    for (const body of [{ url: `HTTPS://127.0.0.1:${s.upstream.port}` }, { url: `http://127.0.0.1:${s.upstream.port}`, host_header: 'example.com:abc' }, { url: 7 }]) {
      r = await api('/api/v1/upstream', a.token, { method: 'PUT', body });
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.match(r.headers.get('content-type'), /problem\+json/);
    }
    r = await api('/api/v1/upstream', a.token, { method: 'PUT', body: { url: `http://127.0.0.1:${s.upstream.port}`, host_header: 'api.example.com' } });
    assert.equal(r.status, 200, r.text);
    r = await api('/api/v1/upstream', a.token);
    assert.deepEqual(r.json.data, { url: `http://127.0.0.1:${s.upstream.port}`, host_header: 'api.example.com' });
    r = await api('/api/v1/tenant', a.token, { method: 'PATCH', body: { abuse_mode: 'sometimes' } });
    assert.equal(r.status, 400);
    r = await api('/api/v1/tenant', a.token, { method: 'PATCH', body: { abuse_mode: 'enforce' } });
    assert.equal(r.status, 200);
    r = await api('/api/v1/tenant', a.token);
    assert.equal(r.json.data.abuse_mode, 'enforce');
    assert.equal(r.json.data.slug, 'mgmt-a');
    assert.equal((await api('/api/v1/tenant', b.token)).json.data.abuse_mode, 'shadow');
  });

  test('the contract is served at /api/v1/openapi.yaml, as the repository has it', async () => {
    const r = await get(`${s.console}/api/v1/openapi.yaml`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /yaml/);
    assert.equal(r.text, fs.readFileSync(path.join(ROOT, 'docs/openapi.yaml'), 'utf8'));
  });

  test('the audit log says who did each change, and shows a tenant only its own', async () => {
    const r = await api('/api/v1/audit', a.token);
    assert.equal(r.status, 200);
    const actions = r.json.data.map((e) => e.action);
    for (const x of ['key.create', 'key.rotate', 'key.revoke', 'upstream.set', 'abuse.mode']) assert.ok(actions.includes(x), x);
    assert.ok(r.json.data.every((e) => /^token:\d+$/.test(e.actor)));
    assert.ok(r.json.data.every((e) => e.ip === '127.0.0.1'));
    const theirs = await api('/api/v1/audit', b.token);
    assert.deepEqual(theirs.json.data, []);
  });
});

describe('a tenant\'s own address lists and model versions, in the API and the portal', () => {
  let s;
  let a;
  let b;
  const api = (...args) => call(s, ...args);

  before(async () => {
    s = await startStack({ workers: 1 });
    a = s.tenant('lists-a');
    b = s.tenant('lists-b');
    a.token = s.mustCli('token', 'create', 'lists-a').trim();
    b.token = s.mustCli('token', 'create', 'lists-b').trim();
  });
  after(async () => { await s?.stop(); });

  test('entries are added, listed and removed, each tenant only its own, and reach the gate', async () => {
    let r = await api('/api/v1/lists', a.token, { method: 'POST', body: { network: 'nonsense', verdict: 'deny' } });
    assert.equal(r.status, 400);
    assert.equal(r.json.parameter, 'network');
    r = await api('/api/v1/lists', a.token, { method: 'POST', body: { network: '127.0.0.1', verdict: 'maybe' } });
    assert.equal(r.status, 400);
    r = await api('/api/v1/lists', a.token, { method: 'POST', body: { network: '127.0.0.1', verdict: 'deny', note: 'test' } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.data.network, '127.0.0.1/32');
    const id = r.json.data.id;
    // every request here comes from 127.0.0.1: tenant A's own deny entry blocks its traffic, not B's
    s.mustCli('tenant', 'set', 'lists-a', '--abuse-mode', 'enforce');
    s.mustCli('tenant', 'set', 'lists-b', '--abuse-mode', 'enforce');
    const ka = s.key('lists-a');
    const kb = s.key('lists-b');
    await waitFor('A\'s traffic denied', async () => (await get(`${s.url}/x`, { 'X-Api-Key': ka })).status === 403);
    await waitFor('B\'s key', async () => (await get(`${s.url}/x`, { 'X-Api-Key': kb })).status === 200);
    assert.deepEqual((await api('/api/v1/lists', b.token)).json.data, []);
    assert.equal((await api(`/api/v1/lists/${id}/remove`, b.token, { method: 'POST' })).status, 404);
    assert.equal((await api(`/api/v1/lists/${id}/remove`, a.token, { method: 'POST' })).status, 200);
    await waitFor('A\'s traffic back', async () => (await get(`${s.url}/x`, { 'X-Api-Key': ka })).status === 200);
  });

  test('a model version is activated (a rollback) by its tenant only', async () => {
    for (const v of [1, 2]) {
      s.psql(`INSERT INTO abuse_models (tenant_id, version, weights, t_flag, t_throttle, t_block, active, metrics)
              VALUES (${a.id}, ${v}, '{0.1}', 0.5, 0.7, 0.9, ${v === 2}, '{"recall": 0.9}')`);
    }
    let r = await api('/api/v1/models', a.token);
    assert.deepEqual(r.json.data.map((m) => [m.version, m.active]), [[2, true], [1, false]]);
    assert.equal(r.json.data[0].metrics.recall, 0.9);
    assert.equal(r.json.data[0].thresholds.block, 0.9);
    assert.deepEqual((await api('/api/v1/models', b.token)).json.data, []);
    assert.equal((await api('/api/v1/models/1/activate', b.token, { method: 'POST' })).status, 404);
    assert.equal((await api('/api/v1/models/7/activate', a.token, { method: 'POST' })).status, 404);
    r = await api('/api/v1/models/1/activate', a.token, { method: 'POST' });
    assert.equal(r.status, 200);
    assert.equal(s.psql(`SELECT version FROM abuse_models WHERE tenant_id = ${a.id} AND active`), '1');
    const audit = (await api('/api/v1/audit', a.token)).json.data.map((e) => e.action);
    for (const x of ['list.add', 'list.remove', 'model.activate']) assert.ok(audit.includes(x), x);
  });
});

describe('members and management tokens through the API', () => {
  let s;
  let smtp;
  let a;
  let b;
  const api = (...args) => call(s, ...args);

  before(async () => {
    smtp = await startSmtp();
    s = await startStack({ workers: 1, env: { TOLLGATE_SMTP_URL: smtp.url, TOLLGATE_SMTP_TIMEOUT: '1s' } });
    a = s.tenant('team-a');
    b = s.tenant('team-b');
    a.token = s.mustCli('token', 'create', 'team-a').trim();
    b.token = s.mustCli('token', 'create', 'team-b').trim();
  });
  after(async () => { await s?.stop(); await smtp?.close(); });

  test('an invitation is mailed; members are listed and removed by their own tenant only', async () => {
    let r = await api('/api/v1/members', a.token, { method: 'POST', body: { email: 'nope', role: 'king' } });
    assert.equal(r.status, 400);
    r = await api('/api/v1/members', a.token, { method: 'POST', body: { email: 'zoe@team-a.test', role: 'owner' } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.data.invited, true);
    const id = r.json.data.id;
    assert.equal((await api('/api/v1/members', a.token, { method: 'POST', body: { email: 'ZOE@team-a.test' } })).status, 409);
    await waitFor('the invitation mail', () => smtp.messages.find((m) => m.to.includes('zoe@team-a.test')));
    const list = (await api('/api/v1/members', a.token)).json.data;
    assert.deepEqual(list.map((m) => [m.email, m.role, m.invited]), [['zoe@team-a.test', 'owner', true]]);
    assert.deepEqual((await api('/api/v1/members', b.token)).json.data, []);
    assert.equal((await api(`/api/v1/members/${id}/remove`, b.token, { method: 'POST' })).status, 404);
    assert.equal((await api(`/api/v1/members/${id}/remove`, a.token, { method: 'POST' })).status, 200);
    assert.deepEqual((await api('/api/v1/members', a.token)).json.data, []);
  });

  test('a token made through the API works once shown, and stops when revoked', async () => {
    const r = await api('/api/v1/tokens', a.token, { method: 'POST', body: { name: 'deploy' } });
    assert.equal(r.status, 201, r.text);
    const t = r.json.data.token;
    assert.match(t, /^tgm_/);
    assert.equal((await api('/api/v1/tenant', t)).json.data.slug, 'team-a');
    const list = (await api('/api/v1/tokens', a.token)).json.data;
    assert.ok(list.some((x) => x.id === r.json.data.id && x.prefix === t.slice(0, 12)));
    assert.ok(!JSON.stringify(list).includes(t), 'never the secret again');
    assert.equal((await api(`/api/v1/tokens/${r.json.data.id}/revoke`, b.token, { method: 'POST' })).status, 404);
    assert.equal((await api(`/api/v1/tokens/${r.json.data.id}/revoke`, a.token, { method: 'POST' })).status, 200);
    assert.equal((await api('/api/v1/tenant', t)).status, 401);
  });
});
