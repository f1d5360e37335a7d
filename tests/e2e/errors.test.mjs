// Every error the gateway itself produces is RFC 9457 problem+json with the request id:
// Tollgate's own, and Caddy's (an upstream that cannot be reached, one that does not answer
// in time, a pool that is not running, a body over the console's limit).
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { get, startStack, waitFor } from './harness.mjs';

function assertProblem(r, status, slug) {
  assert.equal(r.status, status, r.text);
  assert.match(r.headers.get('content-type') || '', /^application\/problem\+json/, r.text);
  assert.ok(r.json, `not JSON: ${r.text}`);
  assert.equal(r.json.status, status);
  assert.ok(r.json.type.endsWith(`/${slug}`), `type ${r.json.type}, wanted ${slug}`);
  assert.ok(r.json.title);
  assert.match(r.json.request_id, /^[0-9a-f-]{36}$/);
  assert.equal(r.headers.get('x-request-id'), r.json.request_id, 'the body names the request the client got');
}

// A POST with a chunked body of n bytes (no Content-Length), straight over HTTP/1.1.
function postChunked(url, n, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        let json;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, headers: new Headers(res.headers), text, json });
      });
    });
    req.on('error', reject);
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let left = n;
    while (left > 0) {
      const c = chunk.subarray(0, Math.min(left, chunk.length));
      req.write(c);
      left -= c.length;
    }
    req.end();
  });
}

describe('errors the gateway produces itself', () => {
  let s;
  let key;
  let deadKey;
  before(async () => {
    s = await startStack({ env: { TOLLGATE_UPSTREAM_TIMEOUT: '1s' } });
    s.tenant('errs');
    key = s.key('errs');
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    s.mustCli('tenant', 'create', 'deadend', '--plan', 'scale', '--upstream', 'http://127.0.0.1:1');
    deadKey = s.key('deadend');
    await waitFor('the keys', async () => (await get(`${s.url}/v1/x`, { 'X-Api-Key': key })).status === 200 &&
      (await get(`${s.url}/v1/x`, { 'X-Api-Key': deadKey })).status !== 401, { timeout: 30000 });
  });
  after(async () => { await s?.stop(); });

  test('an upstream that refuses the connection: 502 bad-gateway, not an empty body', async () => {
    assertProblem(await get(`${s.url}/v1/x`, { 'X-Api-Key': deadKey }), 502, 'bad-gateway');
  });

  test('an upstream that does not answer in time (TOLLGATE_UPSTREAM_TIMEOUT): 504 gateway-timeout', async () => {
    const pending = get(`${s.url}/hold/slow1`, { 'X-Api-Key': key });
    const r = await pending;
    s.upstream.release('slow1');
    assertProblem(r, 504, 'gateway-timeout');
  });

  test('Tollgate\'s own denials keep their types', async () => {
    assertProblem(await get(`${s.url}/v1/x`), 401, 'missing-api-key');
    assertProblem(await get(`${s.console}/api/v1/usage`), 401, 'missing-token');
    assertProblem(await get(`${s.console}/nope`), 404, 'not-found');
  });

  test('a console body over the limit is 413, declared or chunked', async () => {
    const token = s.mustCli('token', 'create', 'errs').trim();
    const big = 'x'.repeat(3 * 1024 * 1024);
    const declared = await get(`${s.console}/api/v1/decisions/00000000-0000-4000-8000-000000000000/label`,
      { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, { method: 'POST', body: big });
    assertProblem(declared, 413, 'payload-too-large');
    const chunked = await postChunked(`${s.console}/api/v1/decisions/00000000-0000-4000-8000-000000000000/label`,
      3 * 1024 * 1024, { Authorization: `Bearer ${token}` });
    assertProblem(chunked, 413, 'payload-too-large');
  });

  test('with tollgate stopped, the gateway and the console answer 502 bad-gateway problems', async () => {
    await s.stopServe();
    assertProblem(await get(`${s.url}/v1/x`, { 'X-Api-Key': key }), 502, 'bad-gateway');
    assertProblem(await get(`${s.console}/health/live`), 502, 'bad-gateway');
  });
});

describe('the plan\'s body limit holds for bodies of undeclared length', () => {
  let s;
  let key;
  before(async () => {
    s = await startStack();
    s.tenant('chunky', '--plan', 'free'); // a 1 MiB body limit
    s.mustCli('tenant', 'set', 'chunky', '--key-rps', '1000', '--key-burst', '1000', '--rps', '1000', '--burst', '1000');
    key = s.key('chunky');
    await waitFor('the key', async () => (await get(`${s.url}/v1/x`, { 'X-Api-Key': key })).status === 200);
  });
  after(async () => { await s?.stop(); });

  test('a chunked upload over the limit is a 413 and never reaches the upstream whole', async () => {
    const before_ = s.upstream.calls.length;
    const small = await postChunked(`${s.url}/v1/upload`, 512 * 1024, { 'X-Api-Key': key });
    assert.equal(small.status, 200, small.text);
    assert.equal(small.json.echo.bodyBytes, 512 * 1024);
    const big = await postChunked(`${s.url}/v1/upload`, 5 * 1024 * 1024, { 'X-Api-Key': key });
    assertProblem(big, 413, 'payload-too-large');
    const declared = await get(`${s.url}/v1/upload`, { 'X-Api-Key': key }, { method: 'POST', body: 'x'.repeat(2 * 1024 * 1024) });
    assertProblem(declared, 413, 'payload-too-large');
    const reached = s.upstream.calls.slice(before_).filter((c) => c.url === '/v1/upload').map((c) => c.bodyBytes);
    assert.deepEqual(reached, [512 * 1024], `bodies that reached the upstream: ${reached}`);
  });
});
