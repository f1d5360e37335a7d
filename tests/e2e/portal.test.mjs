// The onboarding portal over real HTTP: sign up, set the upstream, make a key, call the
// gateway with it and see it counted; rotate and revoke; abuse mode and labels; sessions,
// CSRF, login throttling, and another tenant's ids.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Browser, setCookies } from './forms.mjs';
import { ROOT, get, startStack, waitFor } from './harness.mjs';

const PASSWORD = 'correct horse battery staple';

describe('portal', () => {
  let s;
  let ann;
  let upstreamUrl;

  before(async () => {
    s = await startStack({ workers: 2 });
    upstreamUrl = `http://127.0.0.1:${s.upstream.port}`;
    ann = new Browser(s.console);
  });
  after(async () => { await s?.stop(); });

  test('the pages and static files are there, with careful headers', async () => {
    const r = await ann.open('/portal/signup');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/html; charset=utf-8/);
    assert.match(r.headers.get('content-security-policy'), /frame-ancestors 'none'/);
    assert.match(r.headers.get('content-security-policy'), /default-src 'none'/);
    assert.equal(r.headers.get('x-frame-options'), 'DENY');
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(r.headers.get('strict-transport-security'), null, 'no HSTS over plain HTTP');
    const pre = setCookies(r.headers).find((c) => c.startsWith('tg_pre='));
    assert.match(pre, /HttpOnly/);
    assert.match(pre, /SameSite=Lax/);
    const css = await get(`${s.console}/static/app.css`);
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type'), /text\/css/);
    const root = await get(`${s.console}/`);
    assert.equal(root.status, 302);
    assert.equal(root.headers.get('location'), '/portal/');
    const missing = await get(`${s.console}/portal/nope`);
    assert.equal(missing.status, 404);
    assert.match(missing.headers.get('content-type'), /text\/html/);
    assert.match(missing.text, /Page not found/);
    const anon = await get(`${s.console}/portal/keys`);
    assert.equal(anon.status, 303, 'not signed in: to the login page');
    assert.equal(anon.headers.get('location'), '/portal/login');
  });

  test('sign-up refuses bad input and forged forms, and changes nothing then', async () => {
    const before_ = s.psql('SELECT count(*) FROM tenants');
    const eve = new Browser(s.console);
    let r = await eve.post('/portal/signup', { email: 'eve@example.com', password: PASSWORD, org: 'Eve' }, { csrf: false });
    assert.equal(r.status, 403, 'no double-submit token: refused');
    await eve.open('/portal/signup');
    r = await eve.post('/portal/signup', { email: 'not-an-email', password: PASSWORD, org: 'Eve' });
    assert.equal(r.status, 422);
    assert.match(r.text, /valid email/);
    r = await eve.post('/portal/signup', { email: 'eve@example.com', password: 'short', org: 'Eve' });
    assert.equal(r.status, 422);
    assert.match(r.text, /at least 10 characters/);
    assert.match(r.text, /value="eve@example.com"/, 'what was typed is kept (but the password)');
    r = await eve.post('/portal/signup', { email: 'eve@example.com', password: PASSWORD, org: '' });
    assert.equal(r.status, 422);
    assert.equal(s.psql('SELECT count(*) FROM tenants'), before_);
  });

  test('a new user signs up into a Free tenant in shadow mode, with a secure session', async () => {
    const r = await ann.signup('ann@acme.test', PASSWORD, 'Acme Weather, Inc.');
    assert.equal(r.status, 303, r.text);
    assert.equal(r.headers.get('location'), '/portal/');
    const cookie = setCookies(r.headers).find((c) => c.startsWith('tg_session='));
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.match(cookie, /Path=\//);
    assert.equal(s.psql("SELECT slug || ' ' || plan_id || ' ' || abuse_mode FROM tenants WHERE name = 'Acme Weather, Inc.'"),
      'acme-weather-inc free shadow');
    const hash = s.psql("SELECT password_hash FROM users WHERE email = 'ann@acme.test'");
    assert.match(hash, /^\$argon2id\$v=19\$m=65536,t=2,p=1\$/, 'Argon2id at the interactive cost');
    const home = await ann.open('/portal/');
    assert.equal(home.status, 200);
    assert.match(home.text, /Get started/);
    assert.match(home.text, /ann@acme.test/);
    const dup = await new Browser(s.console).signup('ANN@acme.test', PASSWORD, 'Other');
    assert.equal(dup.status, 422);
    assert.match(dup.text, /already exists/);
  });

  test('the upstream is validated as the SSRF rules say, then saved', async () => {
    await ann.open('/portal/upstream');
    let r = await ann.post('/portal/upstream', { url: 'http://169.254.169.254/latest', host: '' });
    assert.equal(r.status, 422);
    assert.match(r.text, /link-local|metadata|not allowed|path/i);
    r = await ann.post('/portal/upstream', { url: 'ftp://example.com', host: '' });
    assert.equal(r.status, 422);
    r = await ann.post('/portal/upstream', { url: upstreamUrl, host: 'bad host!' });
    assert.equal(r.status, 422);
    assert.equal(s.psql("SELECT count(*) FROM upstreams u JOIN users x ON x.tenant_id = u.tenant_id WHERE x.email = 'ann@acme.test'"), '0');
    r = await ann.post('/portal/upstream', { url: upstreamUrl, host: '' });
    assert.equal(r.status, 303, r.text);
    assert.equal(s.psql("SELECT url FROM upstreams u JOIN users x ON x.tenant_id = u.tenant_id WHERE x.email = 'ann@acme.test'"), upstreamUrl);
  });

  let firstKey;
  test('a key is shown once, works through the gateway, and the request is counted', async () => {
    await ann.open('/portal/keys');
    const forged = await ann.post('/portal/keys', { name: 'forged', csrf: '0'.repeat(64) });
    assert.equal(forged.status, 403, 'a wrong CSRF token is refused');
    const r = await ann.post('/portal/keys', { name: 'production', expires_days: '' });
    assert.equal(r.status, 201, r.text);
    firstKey = r.text.match(/<pre id="new-key"><code>(tg_live_[0-9A-Za-z_]+)<\/code>/)[1];
    assert.match(r.text, new RegExp(`Authorization: Bearer ${firstKey}`), 'the curl lines carry the real key');
    assert.match(r.text, new RegExp(s.url.replace(/[.]/g, '\\.')), 'and the real gateway URL');
    const again = await ann.open('/portal/keys');
    assert.ok(!again.text.includes(firstKey), 'never shown again');
    assert.ok(again.text.includes(firstKey.slice(0, 16)), 'its prefix is listed');

    const q = await ann.open('/portal/quickstart');
    assert.match(q.text, /data-state="waiting"/);
    assert.match(q.text, /http-equiv="refresh"/);

    await waitFor('the key at the gateway', async () => (await get(`${s.url}/hello`, { Authorization: `Bearer ${firstKey}` })).status === 200);
    assert.ok(s.upstream.calls.every((c) => !JSON.stringify(c.headers).includes(firstKey)), 'the upstream never sees the key');
    const seen = await waitFor('the request on the quickstart page', async () => {
      const p = await ann.open('/portal/quickstart');
      return /data-state="received"/.test(p.text) ? p : null;
    });
    assert.ok(!/http-equiv="refresh"/.test(seen.text), 'no more refreshing once it arrived');
    const home = await ann.open('/portal/');
    assert.ok(!/Get started/.test(home.text), 'the guide is done');
    assert.match(home.text, /id="month-requests">[1-9][\d,]* <small>requests?/);
    assert.match(home.text, /<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="[1-9][\d.]*">/, 'a bar in the chart');
  });

  test('rotating keeps the old key working through its grace period; revoking stops it', async () => {
    const id = s.psql(`SELECT id FROM api_keys WHERE prefix = '${firstKey.slice(0, 16)}'`);
    await ann.open('/portal/keys');
    const r = await ann.post(`/portal/keys/${id}/rotate`, { grace_minutes: '60' });
    assert.equal(r.status, 201, r.text);
    const next = r.text.match(/<pre id="new-key"><code>(tg_live_[0-9A-Za-z_]+)<\/code>/)[1];
    assert.notEqual(next, firstKey);
    await waitFor('the new key', async () => (await get(`${s.url}/n`, { Authorization: `Bearer ${next}` })).status === 200);
    assert.equal((await get(`${s.url}/o`, { Authorization: `Bearer ${firstKey}` })).status, 200, 'old key in its grace period');
    const left = Number(s.psql(`SELECT extract(epoch FROM expires_at - now())::int FROM api_keys WHERE id = ${id}`));
    assert.ok(left > 3500 && left <= 3600, `the old key ends in an hour, not ${left} s`);
    const rv = await ann.post(`/portal/keys/${id}/revoke`, {});
    assert.equal(rv.status, 303);
    await waitFor('the old key refused', async () => (await get(`${s.url}/o`, { Authorization: `Bearer ${firstKey}` })).status === 401);
    assert.equal((await get(`${s.url}/n`, { Authorization: `Bearer ${next}` })).status, 200);
    const bad = await ann.post('/portal/keys/1/rotate', { grace_minutes: '99999999' });
    assert.equal(bad.status, 422);
  });

  test('another tenant\'s session finds none of this tenant\'s keys or decisions', async () => {
    const bob = new Browser(s.console);
    assert.equal((await bob.signup('bob@other.test', PASSWORD, 'Other Co')).status, 303);
    await bob.open('/portal/keys');
    const annKeys = s.psql("SELECT string_agg(k.id::text, ',') FROM api_keys k JOIN users u ON u.tenant_id = k.tenant_id WHERE u.email = 'ann@acme.test' AND k.revoked_at IS NULL").split(',');
    for (const id of annKeys) {
      assert.equal((await bob.post(`/portal/keys/${id}/revoke`, {})).status, 404);
      assert.equal((await bob.post(`/portal/keys/${id}/rotate`, { grace_minutes: '0' })).status, 404);
    }
    assert.equal(s.psql(`SELECT count(*) FROM api_keys WHERE id IN (${annKeys.join(',')}) AND revoked_at IS NULL AND expires_at IS NULL`), String(annKeys.length));
    const page = await bob.open('/portal/keys');
    for (const id of annKeys) assert.ok(!page.text.includes(`/portal/keys/${id}/`), 'not listed');
    // Ann's CSRF token is no good with Bob's session.
    const r = await bob.post('/portal/keys', { name: 'x', csrf: ann.csrf });
    assert.equal(r.status, 403);
  });

  test('abuse mode is switched, and a decision labelled a false positive', async () => {
    await ann.open('/portal/abuse');
    let r = await ann.post('/portal/abuse/mode', { mode: 'sometimes' });
    assert.equal(r.status, 400);
    r = await ann.post('/portal/abuse/mode', { mode: 'enforce' });
    assert.equal(r.status, 303);
    assert.equal(s.psql("SELECT abuse_mode FROM tenants WHERE slug = 'acme-weather-inc'"), 'enforce');
    const id = '7d9f6a3e-2b1c-4d5e-8f90-123456789abc';
    s.psql(`INSERT INTO abuse_decisions (id, tenant_id, ip, network, at, outcome, enforced, reason, score, method, route, ua_family, features)
      SELECT '${id}', id, '203.0.113.9', '203.0.113.0/24', now(), 'block', true, 'path_enumeration', 0.97, 'GET', '/admin/:id', 'curl', '{0}'
      FROM tenants WHERE slug = 'acme-weather-inc'`);
    const page = await ann.open('/portal/abuse');
    assert.match(page.text, /path_enumeration/);
    assert.match(page.text, /value="enforce" checked/);
    const bob = new Browser(s.console);
    await bob.open('/portal/login');
    assert.equal((await bob.post('/portal/login', { email: 'bob@other.test', password: PASSWORD })).status, 303);
    await bob.open('/portal/abuse');
    assert.equal((await bob.post(`/portal/decisions/${id}/label`, { label: 'false_positive' })).status, 404, 'not Bob\'s');
    r = await ann.post(`/portal/decisions/${id}/label`, { label: 'false_positive' });
    assert.equal(r.status, 303);
    assert.equal(s.psql(`SELECT label FROM abuse_decisions WHERE id = '${id}'`), 'false_positive');
  });

  test('the tenant\'s own address lists and model versions, from the abuse page', async () => {
    await ann.open('/portal/abuse');
    let r = await ann.post('/portal/abuse/lists', { network: 'not a network', verdict: 'deny', note: '' });
    assert.equal(r.status, 422);
    assert.match(r.text, /must be an address or a network/);
    r = await ann.post('/portal/abuse/lists', { network: '198.51.100.0/24', verdict: 'deny', note: 'scrapers' });
    assert.equal(r.status, 303);
    const page = await ann.open('/portal/abuse');
    assert.match(page.text, /198\.51\.100\.0\/24/);
    const id = s.psql("SELECT id FROM ip_lists WHERE network = '198.51.100.0/24'");
    const bob = new Browser(s.console);
    await bob.open('/portal/login');
    await bob.post('/portal/login', { email: 'bob@other.test', password: PASSWORD });
    await bob.open('/portal/abuse');
    assert.ok(!(await bob.open('/portal/abuse')).text.includes('198.51.100.0/24'), 'not on Bob\'s page');
    assert.equal((await bob.post(`/portal/abuse/lists/${id}/remove`, {})).status, 404);
    assert.equal((await ann.post(`/portal/abuse/lists/${id}/remove`, {})).status, 303);
    assert.equal(s.psql(`SELECT count(*) FROM ip_lists WHERE id = ${id}`), '0');
    const tid = s.psql("SELECT id FROM tenants WHERE slug = 'acme-weather-inc'");
    for (const v of [1, 2]) {
      s.psql(`INSERT INTO abuse_models (tenant_id, version, weights, t_flag, t_throttle, t_block, active)
              VALUES (${tid}, ${v}, '{0.1}', 0.5, 0.7, 0.9, ${v === 2})`);
    }
    await ann.open('/portal/abuse');
    assert.equal((await bob.post('/portal/abuse/models/1/activate', {})).status, 404, 'not Bob\'s model');
    assert.equal((await ann.post('/portal/abuse/models/1/activate', {})).status, 303);
    assert.equal(s.psql(`SELECT version FROM abuse_models WHERE tenant_id = ${tid} AND active`), '1');
  });

  test('log out ends the session for good; wrong passwords are throttled per address', async () => {
    const stolen = ann.cookieHeader();
    await ann.open('/portal/');
    const r = await ann.post('/portal/logout', {});
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), '/portal/login');
    assert.ok(!ann.jar.has('tg_session'));
    const replay = await get(`${s.console}/portal/`, { Cookie: stolen });
    assert.equal(replay.status, 303, 'the old cookie is worthless');
    await ann.open('/portal/login');
    const wrong = await ann.post('/portal/login', { email: 'ann@acme.test', password: 'wrong password!' });
    assert.equal(wrong.status, 401);
    assert.match(wrong.text, /not right/);
    const unknown = await ann.post('/portal/login', { email: 'nobody@acme.test', password: 'wrong password!' });
    assert.equal(unknown.status, 401);
    const same = (t) => t.replace(/request [0-9a-f-]+/, '').replace(/value="[^"]*@acme.test"/, '').replace(/value="[0-9a-f]{64}"/, '');
    assert.equal(same(unknown.text), same(wrong.text), 'the same answer for an unknown email');
    const ok = await ann.post('/portal/login', { email: 'ann@acme.test', password: PASSWORD });
    assert.equal(ok.status, 303);
    assert.equal((await ann.open('/portal/')).status, 200);
  });

  test('no console worker crashed along the way', () => {
    const log = fs.readFileSync(path.join(s.dir, 'tollgate.log'), 'utf8');
    assert.doesNotMatch(log, /killed by signal/);
  });

  test('a suspended tenant\'s staff are shown why, and its keys stop', async () => {
    s.mustCli('tenant', 'set', 'acme-weather-inc', '--status', 'suspended');
    const r = await ann.open('/portal/');
    assert.equal(r.status, 403);
    assert.match(r.text, /suspended/);
    s.mustCli('tenant', 'set', 'acme-weather-inc', '--status', 'active');
    assert.equal((await ann.open('/portal/')).status, 200);
  });
});

describe('portal login throttling', () => {
  let s;
  before(async () => {
    s = await startStack({ workers: 1, env: { TOLLGATE_AUTHFAIL_PER_MINUTE: '3', TOLLGATE_AUTHFAIL_BURST: '3' } });
  });
  after(async () => { await s?.stop(); });

  test('after a few wrong passwords from one address, even the right one waits', async () => {
    const b = new Browser(s.console);
    assert.equal((await b.signup('carol@c.test', PASSWORD, 'Carol')).status, 303);
    await b.post('/portal/logout', {});
    await b.open('/portal/login');
    const codes = [];
    for (let i = 0; i < 6; i++) codes.push((await b.post('/portal/login', { email: 'carol@c.test', password: `guess number ${i}` })).status);
    assert.ok(codes.includes(429), `throttled: ${codes}`);
    const right = await b.post('/portal/login', { email: 'carol@c.test', password: PASSWORD });
    assert.equal(right.status, 429);
    assert.ok(Number(right.headers.get('retry-after')) >= 1);
  });
});

describe('portal templates', () => {
  let s;
  let dir;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tollgate-templates-'));
    fs.cpSync(path.join(ROOT, 'templates'), dir, { recursive: true });
    s = await startStack({ workers: 1, env: { TOLLGATE_TEMPLATES: dir } });
  });
  after(async () => { await s?.stop(); fs.rmSync(dir, { recursive: true, force: true }); });

  test('are compiled when a worker starts: SIGHUP brings a change in; a broken one leaves pages 503, the API up', async () => {
    await waitFor('the login page', async () => /Log in/.test((await get(`${s.console}/portal/login`)).text));
    fs.writeFileSync(path.join(dir, 'footer.mustache'), '</main><footer class="foot">Changed footer {{request_id}}</footer></body></html>\n');
    assert.ok(!/Changed footer/.test((await get(`${s.console}/portal/login`)).text), 'not before a reload');
    process.kill(s.keeperPid(), 'SIGHUP');
    await waitFor('the new footer', async () => /Changed footer/.test((await get(`${s.console}/portal/login`)).text));
    fs.writeFileSync(path.join(dir, 'footer.mustache'), '{{#unclosed}}\n');
    process.kill(s.keeperPid(), 'SIGHUP');
    const down = await waitFor('pages unavailable', async () => {
      const r = await get(`${s.console}/portal/login`);
      return r.status === 503 ? r : null;
    });
    assert.match(down.text, /templates are not loaded/);
    assert.match(s.logs(), /portal templates not loaded .*footer: line 1/);
    assert.equal((await get(`${s.console}/health/live`)).status, 200, 'the rest of the console keeps working');
  });
});
