// A tenant's AI routes through the management API: the settings (prefix, budgets), its
// providers (whose keys are sealed, never shown and never logged) and its aliases, strictly
// validated, audited, and walled per tenant.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { get, startStack } from './harness.mjs';

// A management-API call to stack s with a token: a JSON body (an object, or raw text) gets
// its Content-Type.
const call = (s, p, token, { method = 'GET', body, headers = {} } = {}) => get(`${s.console}${p}`, {
  Authorization: `Bearer ${token}`,
  ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
  ...headers,
}, { method, body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)) });

const KEY = 'sk-test-Zq8vN3pXr7LmK2wB9yT4hJ6dF1sA0cE5';
const hex = (s) => Buffer.from(s, 'utf8').toString('hex');

describe('management API: AI settings, providers and aliases', () => {
  let s;
  let a; // { slug, id, token }
  let b;
  let fake; // a base URL on 127.0.0.1, which TOLLGATE_UPSTREAM_ALLOW lets in

  const api = (...args) => call(s, ...args);
  const problem = (r, status, parameter) => {
    assert.equal(r.status, status, r.text);
    assert.match(r.headers.get('content-type'), /application\/problem\+json/);
    if (parameter !== undefined) assert.equal(r.json.parameter, parameter, r.text);
  };
  const count = (table, tenant, where = 'true') => s.psql(`SELECT count(*) FROM ${table} WHERE tenant_id = ${tenant.id} AND ${where}`);

  before(async () => {
    s = await startStack({ workers: 1 });
    a = s.tenant('ai-a');
    b = s.tenant('ai-b');
    a.token = s.mustCli('token', 'create', 'ai-a').trim();
    b.token = s.mustCli('token', 'create', 'ai-b').trim();
    fake = `http://127.0.0.1:${s.upstream.port}`;
  });
  after(async () => { await s?.stop(); });

  // The settings this test does not change, as they start.
  // The webhook secret is the tenant's own (derived from the server secret): checked, then
  // left out of the comparisons.
  const noSecret = (d) => {
    const { budget_webhook_secret: secret, ...rest } = d;
    assert.match(secret, /^whsec_[0-9a-f]{64}$/);
    return rest;
  };
  const REST = { budget_day_micros: null, key_budget_day_micros: null, team_budget_micros: null, team_budget_day_micros: null, budget_warn_percent: 80, budget_webhook_url: null, tpm: null, key_tpm: null, cache_ttl_seconds: 0, cache_nondeterministic: false, semantic_alias: null, semantic_threshold: 0.95 };

  test('the settings start off, round-trip, and null turns one off', async () => {
    let r = await api('/api/v1/ai', a.token);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(noSecret(r.json.data), { prefix: null, budget_micros: null, key_budget_micros: null, ...REST });
    r = await api('/api/v1/ai', a.token, { method: 'PATCH', body: { prefix: '/v1', budget_micros: 25000000, key_budget_micros: 0 } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(noSecret(r.json.data), { prefix: '/v1', budget_micros: 25000000, key_budget_micros: 0, ...REST });
    assert.deepEqual((await api('/api/v1/ai', a.token)).json.data, r.json.data);
    r = await api('/api/v1/ai', a.token, { method: 'PATCH', body: { key_budget_micros: null, prefix: '/ai/v1' } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(noSecret(r.json.data), { prefix: '/ai/v1', budget_micros: 25000000, key_budget_micros: null, ...REST }, 'an absent member is kept');
    r = await api('/api/v1/ai', a.token, { method: 'PATCH', body: { prefix: '' } });
    assert.equal(r.json.data.prefix, '', '"" is the root');
    r = await api('/api/v1/ai', a.token, { method: 'PATCH', body: {} });
    assert.equal(r.status, 200);
    assert.equal(r.json.data.prefix, '');
    r = await api('/api/v1/ai', a.token, { method: 'PATCH', body: { prefix: '/v1' } });
    assert.equal(s.psql(`SELECT ai_prefix || ' ' || ai_budget_micros FROM tenants WHERE id = ${a.id}`), '/v1 25000000');
    assert.deepEqual(noSecret((await api('/api/v1/ai', b.token)).json.data), { prefix: null, budget_micros: null, key_budget_micros: null, ...REST }, 'B has its own');
  });

  test('bad settings are refused naming the member, and change nothing', async () => {
    for (const prefix of ['v1', '/', '/v1/', '/a/b/c/d/e', '/has space', '/x/../y', '/..', `/${'a'.repeat(33)}`, '/v1?x', 7, true]) {
      const r = await api('/api/v1/ai', a.token, { method: 'PATCH', body: { prefix } });
      problem(r, 400, 'prefix');
      assert.match(r.json.detail, /prefix must/);
    }
    for (const v of [-1, 1.5, '100', {}]) {
      const r = await api('/api/v1/ai', a.token, { method: 'PATCH', body: { budget_micros: v } });
      problem(r, 400, 'budget_micros');
    }
    for (const [member, v] of [['tpm', -1], ['key_tpm', 'x'], ['cache_ttl_seconds', null], ['cache_ttl_seconds', 2592001],
      ['cache_nondeterministic', 'yes'], ['budget_webhook_url', 'ftp://x'], ['budget_webhook_url', 'http://10.0.0.1/hook'], ['budget_webhook_secret', 'x'], ['budget_warn_percent', 0], ['budget_warn_percent', 101], ['semantic_alias', '-bad'], ['semantic_threshold', 0.4], ['semantic_threshold', null]]) {
      const r = await api('/api/v1/ai', a.token, { method: 'PATCH', body: { [member]: v } });
      problem(r, 400, member);
    }
    let r = await api('/api/v1/ai', a.token, { method: 'PATCH', body: { prefix: 'x', key_budget_micros: -5 } });
    problem(r, 400);
    assert.equal(r.json.parameter, undefined, 'two members are wrong');
    assert.match(r.json.detail, /prefix must.*key_budget_micros must/);
    r = await api('/api/v1/ai', a.token, { method: 'PATCH', body: { prefix: '/v2', colour: 'red' } });
    problem(r, 400, 'colour');
    r = await api('/api/v1/ai', a.token, { method: 'PATCH', body: '{"prefix": ' });
    problem(r, 400);
    assert.deepEqual(noSecret((await api('/api/v1/ai', a.token)).json.data), { prefix: '/v1', budget_micros: 25000000, key_budget_micros: null, ...REST });
  });

  test('a provider is stored with its key sealed, and no answer, row or log line holds the key', async () => {
    let r = await api('/api/v1/ai/providers/openai', a.token, { method: 'PUT', body: { kind: 'openai', base_url: `${fake}/v1/`, api_key: KEY } });
    assert.equal(r.status, 200, r.text);
    const p = r.json.data;
    assert.equal(p.name, 'openai');
    assert.equal(p.kind, 'openai');
    assert.equal(p.base_url, `${fake}/v1`, 'the trailing / is taken off');
    assert.equal(p.has_key, true);
    assert.match(p.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(p.updated_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(Object.keys(p).sort(), ['base_url', 'created_at', 'has_key', 'kind', 'name', 'operator', 'updated_at']);
    assert.equal(p.operator, false);
    assert.ok(!r.text.includes(KEY));
    r = await api('/api/v1/ai/providers', a.token);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.data, [p]);
    assert.ok(!r.text.includes(KEY));

    const sealed = s.psql(`SELECT encode(key_sealed, 'hex') FROM ai_providers WHERE tenant_id = ${a.id} AND name = 'openai'`);
    assert.equal(sealed.length, 2 * (KEY.length + 40), 'nonce + cipher text + tag');
    assert.ok(!sealed.includes(hex(KEY)), 'the key is not stored in the clear');
    assert.ok(!sealed.includes(hex(KEY.slice(8, 24))), 'nor any part of it');

    // Changed without api_key: the stored key stays (not even sealed anew).
    r = await api('/api/v1/ai/providers/openai', a.token, { method: 'PUT', body: { kind: 'openai', base_url: `${fake}/openai/v1` } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.data.has_key, true);
    assert.equal(r.json.data.base_url, `${fake}/openai/v1`);
    assert.equal(r.json.data.created_at, p.created_at);
    assert.equal(s.psql(`SELECT encode(key_sealed, 'hex') FROM ai_providers WHERE tenant_id = ${a.id} AND name = 'openai'`), sealed);

    // A keyless one (an OpenAI-compatible server of one's own), and a key removed with null.
    r = await api('/api/v1/ai/providers/local', a.token, { method: 'PUT', body: { kind: 'openai', base_url: fake } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.data.has_key, false);
    r = await api('/api/v1/ai/providers/anthro', a.token, { method: 'PUT', body: { kind: 'anthropic', base_url: fake, api_key: 'ant-key-1' } });
    assert.equal(r.json.data.has_key, true);
    r = await api('/api/v1/ai/providers/anthro', a.token, { method: 'PUT', body: { kind: 'anthropic', base_url: fake, api_key: null } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.data.has_key, false);
    assert.equal(count('ai_providers', a, "name = 'anthro' AND key_sealed IS NULL"), '1');
    r = await api('/api/v1/ai/providers', a.token);
    assert.deepEqual(r.json.data.map((x) => x.name), ['anthro', 'local', 'openai']);

    // Nowhere else either: the audit log names the provider only, the logs never the key.
    const audit = await api('/api/v1/audit', a.token);
    assert.ok(audit.json.data.some((e) => e.action === 'ai.provider.set' && e.target === 'openai'));
    assert.ok(!audit.text.includes(KEY));
    assert.ok(!fs.readFileSync(path.join(s.dir, 'tollgate.log'), 'utf8').includes(KEY));
    assert.ok(!fs.readFileSync(path.join(s.dir, 'caddy.log'), 'utf8').includes(KEY));
  });

  test('a base_url the SSRF rules refuse is a 400 before anything is stored', async () => {
    for (const base_url of ['http://169.254.169.254/latest', 'http://10.0.0.1/v1', 'http://[::1]/v1', 'http://0x7f.1/v1']) {
      const r = await api('/api/v1/ai/providers/evil', a.token, { method: 'PUT', body: { kind: 'openai', base_url, api_key: KEY } });
      problem(r, 400, 'base_url');
      assert.match(r.json.detail, /base_url/);
      assert.ok(!r.text.includes(KEY));
    }
    for (const base_url of ['ftp://example.com', 'HTTP://127.0.0.1', `${fake}/v1?key=x`, `${fake}/v1#x`, `${fake}//v1`, `${fake}/a b`, 'http://user:pw@127.0.0.1/v1', `${fake}/${'x'.repeat(520)}`]) {
      const r = await api('/api/v1/ai/providers/evil', a.token, { method: 'PUT', body: { kind: 'openai', base_url } });
      problem(r, 400, 'base_url');
    }
    assert.equal(count('ai_providers', a, "name = 'evil'"), '0');
  });

  test('bad provider bodies and names are refused, naming what is wrong, never echoing the key', async () => {
    let r = await api('/api/v1/ai/providers/x', a.token, { method: 'PUT', body: { kind: 'azure', base_url: fake } });
    problem(r, 400, 'kind');
    r = await api('/api/v1/ai/providers/x', a.token, { method: 'PUT', body: { kind: 'openai' } });
    problem(r, 400, 'base_url');
    assert.match(r.json.detail, /base_url is required/);
    for (const api_key of ['has space', '', 'x'.repeat(513), 42, 'tab\there']) {
      r = await api('/api/v1/ai/providers/x', a.token, { method: 'PUT', body: { kind: 'openai', base_url: fake, api_key } });
      problem(r, 400, 'api_key');
      if (typeof api_key === 'string' && api_key.length > 3) assert.ok(!r.text.includes(api_key));
    }
    r = await api('/api/v1/ai/providers/x', a.token, { method: 'PUT', body: { kind: 5, base_url: 6, api_key: 'ok', extra: 1 } });
    problem(r, 400, 'extra');
    r = await api('/api/v1/ai/providers/x', a.token, { method: 'PUT', body: { kind: 5, base_url: 6 } });
    problem(r, 400);
    assert.match(r.json.detail, /kind must.*base_url must/);
    for (const name of ['OpenAI', '-x', '_x', 'a.b', 'x'.repeat(64)]) {
      r = await api(`/api/v1/ai/providers/${name}`, a.token, { method: 'PUT', body: { kind: 'openai', base_url: fake } });
      problem(r, 400, 'name');
    }
    r = await api('/api/v1/ai/providers/x', a.token, { method: 'PUT', body: `{"kind": "openai", "base_url": "${fake}", "api_key": "${KEY}"`, headers: {} });
    problem(r, 400);
    assert.equal(count('ai_providers', a, "name = 'x'"), '0');
    assert.ok(!fs.readFileSync(path.join(s.dir, 'tollgate.log'), 'utf8').includes(KEY));
  });

  test('an alias is stored normalised, every target naming one of the tenant\'s providers', async () => {
    const targets = [{ provider: 'openai', model: 'gpt-4o-mini', weight: 3 }, { provider: 'anthro', model: 'claude-3-5-haiku-latest' }];
    const by_plan = { free: [{ provider: 'local', model: 'llama-3.1-8b', weight: 0 }] };
    let r = await api('/api/v1/ai/aliases/fast', a.token, { method: 'PUT', body: { targets, by_plan } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.data.name, 'fast');
    assert.deepEqual(r.json.data.targets, targets);
    assert.deepEqual(r.json.data.by_plan, by_plan);
    assert.match(r.json.data.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const first = r.json.data;
    r = await api('/api/v1/ai/aliases/gpt-4o:latest', a.token, { method: 'PUT', body: { targets: [{ provider: 'openai', model: 'gpt-4o' }] } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.data.by_plan, {}, 'by_plan defaults to {}');
    r = await api('/api/v1/ai/aliases/fast', a.token, { method: 'PUT', body: { targets: targets.slice(1), by_plan: null } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.data.targets, targets.slice(1), 'replaced whole');
    assert.deepEqual(r.json.data.by_plan, {});
    assert.equal(r.json.data.created_at, first.created_at);
    r = await api('/api/v1/ai/aliases', a.token);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.data.map((x) => x.name), ['fast', 'gpt-4o:latest']);
    assert.equal(s.psql(`SELECT targets::text FROM ai_aliases WHERE tenant_id = ${a.id} AND name = 'fast'`), '[{"model": "claude-3-5-haiku-latest", "provider": "anthro"}]');
  });

  test('bad aliases are refused naming the problem, and change nothing', async () => {
    const t = (provider = 'openai', model = 'gpt-4o-mini', extra = {}) => ({ provider, model, ...extra });
    const before_ = s.psql(`SELECT string_agg(name || targets::text || by_plan::text, ',' ORDER BY name) FROM ai_aliases WHERE tenant_id = ${a.id}`);
    const put = (body, name = 'fast') => api(`/api/v1/ai/aliases/${name}`, a.token, { method: 'PUT', body });

    let r = await put({ targets: [t(), t('nope')] });
    problem(r, 400, 'targets');
    assert.match(r.json.detail, /targets\[1\]\.provider.*'nope'/);
    r = await put({ targets: [t()], by_plan: { pro: [t('ghost')] } });
    problem(r, 400, 'by_plan');
    assert.match(r.json.detail, /by_plan\.pro\[0\]\.provider.*'ghost'/);
    r = await put({ targets: [t('Not A Name')] });
    problem(r, 400, 'targets');
    assert.match(r.json.detail, /'Not A Name'/);
    r = await put({ targets: Array.from({ length: 9 }, () => t()) });
    problem(r, 400, 'targets');
    assert.match(r.json.detail, /1 to 8/);
    for (const targets of [[], {}, 'openai', null, [null], [[t()]], [{ provider: 'openai' }], [t('openai', '')], [t('openai', 'a\nb')], [t('openai', 'x'.repeat(129))], [t('openai', 'm', { temperature: 1 })]]) {
      r = await put({ targets });
      problem(r, 400, 'targets');
    }
    for (const weight of [1001, -1, 1.5, 'heavy', null]) {
      r = await put({ targets: [t('openai', 'm', { weight })] });
      problem(r, 400, 'targets');
      assert.match(r.json.detail, /weight must be a whole number from 0 to 1000/);
    }
    for (const by_plan of [[], [t()], 'free', { gold: [t()] }, { free: [] }, { free: t() }, { free: Array.from({ length: 9 }, () => t()) }, { free: [], pro: 'x', scale: [t()] }]) {
      r = await put({ targets: [t()], by_plan });
      problem(r, 400, 'by_plan');
    }
    r = await put({ targets: [t()], by_plan: { gold: [t()] } });
    assert.match(r.json.detail, /'gold' is not a plan/);
    r = await put({ targets: [t()], by_plan: { free: [], pro: 'x', scale: [t()] } });
    assert.match(r.json.detail, /by_plan\.free must be an array.*by_plan\.pro must be an array/);
    r = await put({ by_plan: {} });
    problem(r, 400, 'targets');
    r = await put({ targets: [t('nope', '')], by_plan: { gold: [] } });
    problem(r, 400);
    assert.match(r.json.detail, /model must.*'gold'/);
    r = await put({ targets: [t()], weights: [1] });
    problem(r, 400, 'weights');
    for (const name of ['-x', '.x', 'a%20b', 'x'.repeat(129)]) {
      r = await put({ targets: [t()] }, name);
      problem(r, 400, 'name');
    }
    assert.equal(s.psql(`SELECT string_agg(name || targets::text || by_plan::text, ',' ORDER BY name) FROM ai_aliases WHERE tenant_id = ${a.id}`), before_);
  });

  test('another tenant neither sees nor changes this tenant\'s providers and aliases', async () => {
    assert.deepEqual((await api('/api/v1/ai/providers', b.token)).json.data, []);
    assert.deepEqual((await api('/api/v1/ai/aliases', b.token)).json.data, []);
    problem(await api('/api/v1/ai/providers/openai/remove', b.token, { method: 'POST' }), 404);
    problem(await api('/api/v1/ai/aliases/fast/remove', b.token, { method: 'POST' }), 404);
    // A's provider names are not B's: an alias of B cannot use them.
    const r = await api('/api/v1/ai/aliases/fast', b.token, { method: 'PUT', body: { targets: [{ provider: 'openai', model: 'gpt-4o' }] } });
    problem(r, 400, 'targets');
    // B's provider of the same name is its own.
    const rb = await api('/api/v1/ai/providers/openai', b.token, { method: 'PUT', body: { kind: 'anthropic', base_url: fake } });
    assert.equal(rb.status, 200, rb.text);
    const mine = (await api('/api/v1/ai/providers', a.token)).json.data.find((x) => x.name === 'openai');
    assert.equal(mine.kind, 'openai');
    assert.equal(mine.has_key, true);
    assert.equal(count('ai_providers', b, 'true'), '1');
    assert.equal(count('ai_providers', a, 'true'), '3');
  });

  test('providers and aliases are removed, once, audited', async () => {
    let r = await api('/api/v1/ai/aliases/fast/remove', a.token, { method: 'POST' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.data, { name: 'fast', removed: true });
    problem(await api('/api/v1/ai/aliases/fast/remove', a.token, { method: 'POST' }), 404);
    problem(await api('/api/v1/ai/aliases/-bad/remove', a.token, { method: 'POST' }), 404);
    r = await api('/api/v1/ai/providers/local/remove', a.token, { method: 'POST' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.data, { name: 'local', removed: true });
    problem(await api('/api/v1/ai/providers/local/remove', a.token, { method: 'POST' }), 404);
    problem(await api('/api/v1/ai/providers/Bad/remove', a.token, { method: 'POST' }), 404);
    assert.deepEqual((await api('/api/v1/ai/providers', a.token)).json.data.map((x) => x.name), ['anthro', 'openai']);
    assert.deepEqual((await api('/api/v1/ai/aliases', a.token)).json.data.map((x) => x.name), ['gpt-4o:latest']);
    problem(await api('/api/v1/ai/providers/openai', a.token, { method: 'DELETE' }), 405);
    const audit = (await api('/api/v1/audit?limit=500', a.token)).json.data;
    for (const [action, target] of [['ai.settings', 'prefix=/v1'], ['ai.provider.set', 'anthro'], ['ai.provider.remove', 'local'], ['ai.alias.set', 'gpt-4o:latest'], ['ai.alias.remove', 'fast']]) {
      assert.ok(audit.some((e) => e.action === action && e.target === target), `${action} ${target}`);
    }
  });

  test('a change is idempotent with an Idempotency-Key', async () => {
    const headers = { 'Idempotency-Key': 'ai-put-1' };
    const body = { kind: 'openai', base_url: fake, api_key: 'sk-idem-1' };
    const first = await api('/api/v1/ai/providers/idem', a.token, { method: 'PUT', body, headers });
    assert.equal(first.status, 200, first.text);
    const again = await api('/api/v1/ai/providers/idem', a.token, { method: 'PUT', body, headers });
    assert.equal(again.status, 200);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(again.json.data, first.json.data);
    assert.ok(!again.text.includes('sk-idem-1'));
  });
});
