// JWT callers through the real gateway: a tenant registers its identity provider (a JWKS
// URL served here, or static keys), callers present tokens signed by node's crypto, the
// gate verifies them from shared memory and the upstream learns who called. Keys rotate
// through the jwks child; usage is metered under the issuer's synthetic key.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { get, keyPair, startStack, waitFor } from './harness.mjs';

const PATIENCE = 30000;
const b64u = (b) => Buffer.from(b).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

function rsaKey(kid) {
  const { publicKey, privateKey } = keyPair('rsa', { modulusLength: 2048 });
  return { kid, publicKey, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' } };
}

function sign(key, claims, { alg = key.alg ?? 'RS256', kid = key.kid } = {}) {
  const head = b64u(JSON.stringify({ alg, typ: 'JWT', kid }));
  const body = b64u(JSON.stringify(claims));
  const input = Buffer.from(`${head}.${body}`);
  const sig = alg.startsWith('ES')
    ? crypto.sign('sha256', input, { key: key.privateKey, dsaEncoding: 'ieee-p1363' })
    : crypto.sign('sha256', input, key.privateKey);
  return `${head}.${body}.${b64u(sig)}`;
}

// A JWKS endpoint whose keys a test can swap.
async function startJwks() {
  const srv = { keys: [], hits: 0 };
  srv.server = http.createServer((req, res) => {
    srv.hits++;
    const body = JSON.stringify({ keys: srv.keys.map((k) => k.jwk) });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise((r) => srv.server.listen(0, '127.0.0.1', r));
  srv.url = `http://127.0.0.1:${srv.server.address().port}/.well-known/jwks.json`;
  srv.close = () => new Promise((r) => srv.server.close(r));
  return srv;
}

const call = (s, p, token, { method = 'GET', body } = {}) => get(`${s.console}${p}`, {
  Authorization: `Bearer ${token}`,
  ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
}, { method, body: body === undefined ? undefined : JSON.stringify(body) });

describe('JWT callers', () => {
  const ISS = 'https://login.acme.test/';
  const AUD = 'api://acme';
  let s, jwks, a, b, k1, issuer;
  const claims = (extra = {}) => ({ iss: ISS, aud: AUD, sub: 'alice', org_id: 'team-a', exp: now() + 600, ...extra });
  const gw = (token, headers = {}) => get(`${s.url}/v1/things`, { Authorization: `Bearer ${token}`, ...headers });

  before(async () => {
    jwks = await startJwks();
    k1 = rsaKey('k1');
    jwks.keys = [k1];
    s = await startStack({ workers: 1, env: { TOLLGATE_JWKS_REFRESH: '1s' } });
    a = s.tenant('jwt-a');
    b = s.tenant('jwt-b');
    a.token = s.mustCli('token', 'create', 'jwt-a').trim();
    b.token = s.mustCli('token', 'create', 'jwt-b').trim();
  });
  after(async () => {
    await s?.stop();
    await jwks?.close();
  });

  test('a tenant registers an issuer with a JWKS URL; another tenant cannot take it', async () => {
    let r = await call(s, '/api/v1/jwt/issuers', a.token, { method: 'PUT', body: { issuer: ISS, audience: AUD, jwks_url: jwks.url, team_claim: 'org_id' } });
    assert.equal(r.status, 200, r.text);
    issuer = r.json.data;
    assert.equal(issuer.issuer, ISS);
    assert.equal(issuer.jwks_url, jwks.url);
    assert.equal(issuer.static_keys, null);
    assert.ok(issuer.key_id > 0);
    assert.equal(s.psql(`SELECT name FROM api_keys WHERE id = ${issuer.key_id}`), `JWT: ${ISS}`);
    r = await call(s, '/api/v1/jwt/issuers', b.token, { method: 'PUT', body: { issuer: ISS, jwks_url: jwks.url } });
    assert.equal(r.status, 409, r.text);
    r = await call(s, '/api/v1/jwt/issuers', b.token);
    assert.deepEqual(r.json.data, [], 'walled per tenant');
    await waitFor('the keys fetched', async () => (await call(s, '/api/v1/jwt/issuers', a.token)).json.data[0]?.fetched_keys === 1, { timeout: PATIENCE });
  });

  test('a valid token passes; the upstream learns subject and team, and gets the token', async () => {
    const token = sign(k1, claims());
    let r;
    await waitFor('the token accepted', async () => (r = await gw(token)).status === 200, { timeout: PATIENCE });
    const h = r.json.echo.headers;
    assert.equal(h['x-tollgate-subject'], 'alice');
    assert.equal(h['x-tollgate-team'], 'team-a');
    assert.equal(h['x-tollgate-key'], String(issuer.key_id));
    assert.equal(h['x-tollgate-tenant'], 'jwt-a');
    assert.equal(h.authorization, `Bearer ${token}`, 'the JWT is forwarded to the upstream');
  });

  test('API-key callers get empty identity headers, and nobody can send their own', async () => {
    const key = s.key('jwt-a');
    let r;
    await waitFor('the key loaded', async () => (r = await get(`${s.url}/v1/x`, { 'X-Api-Key': key, 'X-Tollgate-Subject': 'mallory', 'X-Tollgate-Team': 'admins' })).status === 200, { timeout: PATIENCE });
    assert.equal(r.json.echo.headers['x-tollgate-subject'] ?? '', '');
    assert.equal(r.json.echo.headers['x-tollgate-team'] ?? '', '');
    r = await gw(sign(k1, claims()), { 'X-Tollgate-Subject': 'mallory' });
    assert.equal(r.json.echo.headers['x-tollgate-subject'], 'alice');
  });

  test('expired, early, wrong-audience, unknown-issuer, forged and unsigned tokens get 401', async () => {
    const other = rsaKey('k1');
    const cases = [
      [sign(k1, claims({ exp: now() - 3600 })), /expired/],
      [sign(k1, claims({ nbf: now() + 3600 })), /not valid yet/],
      [sign(k1, claims({ aud: 'api://other' })), /audience/],
      [sign(k1, claims({ iss: 'https://nobody.test/' })), /issuer is unknown/],
      [sign(other, claims()), /signature/],
      [`${b64u('{"alg":"none"}')}.${b64u(JSON.stringify(claims()))}.`, /algorithm/],
    ];
    for (const [token, why] of cases) {
      const r = await gw(token);
      assert.equal(r.status, 401, r.text);
      assert.match(r.json.type, /invalid-api-key$/);
      assert.match(r.json.detail, why);
      assert.match(r.headers.get('www-authenticate'), /invalid_token/);
    }
  });

  test('usage is metered under the issuer key', async () => {
    await waitFor('usage flushed', () => Number(s.psql(`SELECT coalesce(sum(requests), 0) FROM usage_monthly WHERE key_id = ${issuer.key_id}`)) >= 2, { timeout: PATIENCE });
  });

  test('keys rotate: a token signed with the new key passes once the JWKS is fetched again', async () => {
    const k2 = rsaKey('k2');
    jwks.keys = [k2];
    const fresh = sign(k2, claims({ sub: 'bob' }));
    let r;
    await waitFor('the new key', async () => (r = await gw(fresh)).status === 200, { timeout: PATIENCE });
    assert.equal(r.json.echo.headers['x-tollgate-subject'], 'bob');
    await waitFor('the old key gone', async () => (await gw(sign(k1, claims()))).status === 401, { timeout: PATIENCE });
  });

  test('static keys: PEM (here ES256) and checked on the way in', async () => {
    const { publicKey, privateKey } = keyPair('ec', { namedCurve: 'P-256' });
    const ec = { privateKey, alg: 'ES256', kid: 'e1' };
    const ISS2 = 'https://static.acme.test';
    let r = await call(s, '/api/v1/jwt/issuers', a.token, { method: 'PUT', body: { issuer: ISS2, static_keys: publicKey.export({ type: 'spki', format: 'pem' }) } });
    assert.equal(r.status, 200, r.text);
    const token = sign(ec, { iss: ISS2, sub: 'svc-1', exp: now() + 600 });
    await waitFor('the static key', async () => (r = await gw(token)).status === 200, { timeout: PATIENCE });
    assert.equal(r.json.echo.headers['x-tollgate-subject'], 'svc-1');
    assert.equal(r.json.echo.headers['x-tollgate-team'] ?? '', '', 'no team claim configured');

    r = await call(s, '/api/v1/jwt/issuers', a.token, { method: 'PUT', body: { issuer: ISS2, static_keys: 'not a key' } });
    assert.equal(r.status, 400, r.text);
    r = await call(s, '/api/v1/jwt/issuers', a.token, { method: 'PUT', body: { issuer: 'https://x.test', jwks_url: 'http://10.1.2.3/jwks' } });
    assert.equal(r.status, 400, r.text);
    assert.match(r.text, /refused/);
    r = await call(s, '/api/v1/jwt/issuers', a.token, { method: 'PUT', body: { issuer: 'https://x.test', jwks_url: jwks.url, static_keys: 'x' } });
    assert.equal(r.status, 400, r.text);
    r = await call(s, '/api/v1/jwt/issuers', a.token, { method: 'PUT', body: { issuer: 'https://x.test', jwks_url: jwks.url, extra: 1 } });
    assert.equal(r.status, 400, r.text);
  });

  test('removing an issuer refuses its tokens and revokes its key', async () => {
    const list = (await call(s, '/api/v1/jwt/issuers', a.token)).json.data;
    assert.equal(list.length, 2);
    const r = await call(s, `/api/v1/jwt/issuers/${issuer.id}/remove`, a.token, { method: 'POST' });
    assert.equal(r.status, 200, r.text);
    assert.equal(s.psql(`SELECT revoked_at IS NOT NULL FROM api_keys WHERE id = ${issuer.key_id}`), 't');
    const k2token = sign(jwks.keys[0], claims());
    await waitFor('the issuer gone', async () => (await gw(k2token)).status === 401, { timeout: PATIENCE });
    assert.equal((await call(s, `/api/v1/jwt/issuers/${issuer.id}/remove`, b.token, { method: 'POST' })).status, 404);
  });
});
