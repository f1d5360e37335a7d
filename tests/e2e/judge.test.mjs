// The LLM judge end to end: the fake provider checked against the official SDKs, then the
// real stack asking it (OpenAI and Anthropic wire formats) about a key whose traffic trips a
// gray-zone rule. A confident "abuse" blocks the key, "benign" lets it be; a provider that
// answers garbage, the wrong shape, an error or too slowly changes nothing. What reaches the
// provider is redacted: no API key of the gateway, no full address, no body.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { startFake } from '../fakes/llm.mjs';
import { get, startStack, waitFor } from './harness.mjs';

const SLUG = 'acme-judge-e2e';
const WAITING = 'acme-judge-window'; // a tenant with a decision window of 200 ms
const JUDGE_KEY = 'judge-secret';
const BODY_MARKER = 'BODY-MARKER-7f3a';

const metric = async (s, name) => {
  const text = (await get(`${s.internal}/metrics`)).text;
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ').pop()) : NaN;
};

// One request through Caddy from a chosen loopback address, so that each scenario is its own
// client (and one address never presents the many keys that look like credential stuffing).
function hit(s, urlPath, { key, from, method = 'GET', body } = {}) {
  return new Promise((resolve, reject) => {
    const headers = { 'User-Agent': 'python-requests/2.31.0' };
    if (key) headers['X-Api-Key'] = key;
    if (body) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = Buffer.byteLength(body);
    }
    const req = http.request({ host: '127.0.0.1', port: s.httpPort, path: urlPath, method, headers, localAddress: from, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => {
        let json;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, text, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

// Decisions sampled for a key (the tenant samples every one), as "outcome/reason" counts.
const decisions = (s, keyId) => Object.fromEntries(s.psql(
  `SELECT outcome || '/' || reason, count(*) FROM abuse_decisions WHERE key_id = ${keyId} GROUP BY 1`)
  .split('\n').filter(Boolean).map((l) => { const [k, n] = l.split('|'); return [k, Number(n)]; }));

// A stack whose judge asks the fake, and tenants with the judge on, enforcing, sampling all
// (and waiting `wait` ms for a verdict on a gray-zone request).
// The OpenAI stack takes the provider's key from TOLLGATE_JUDGE_API_KEY, the Anthropic one
// from a file (with the newline editors leave).
async function judgedStack(provider, fake, tenants = [{ slug: SLUG, wait: 0 }]) {
  const keyFile = path.join(os.tmpdir(), `tollgate-judge-key-${process.pid}`);
  fs.writeFileSync(keyFile, `${JUDGE_KEY}\n`, { mode: 0o600 });
  const s = await startStack({
    env: {
      TOLLGATE_JUDGE_PROVIDER: provider,
      TOLLGATE_JUDGE_URL: provider === 'openai' ? `${fake.url}/v1` : fake.url,
      TOLLGATE_JUDGE_MODEL: 'test-model',
      ...(provider === 'openai' ? { TOLLGATE_JUDGE_API_KEY: JUDGE_KEY } : { TOLLGATE_JUDGE_API_KEY_FILE: keyFile }),
      TOLLGATE_JUDGE_TIMEOUT: '500ms',
      TOLLGATE_FLUSH_INTERVAL: '200ms',
    },
  });
  for (const [i, { slug, wait }] of tenants.entries()) {
    s.tenant(slug);
    s.psql(`UPDATE tenants SET judge_enabled = true, judge_wait_ms = ${wait}, abuse_mode = 'enforce', abuse_sample_rate = 1 WHERE slug = '${slug}'`);
    // The syncer has the change once a decision of the tenant is sampled (1 in 1).
    const warm = s.key(slug);
    const warmId = s.keyId(warm);
    await waitFor('the tenant change in shared memory', async () =>
      (await hit(s, '/v1/warm', { key: warm, from: `127.0.0.${2 + i}` })).status === 200 && decisions(s, warmId)['allow/model'] > 0,
    { timeout: 30000, interval: 100 });
  }
  assert.ok(s.child('tg-judge'), 'the judge child runs when a provider is set');
  const stop = s.stop;
  s.stop = async () => { await stop(); fs.rmSync(keyFile, { force: true }); };
  return s;
}

let nextAddress = 10;

// A fresh key from a fresh address, driven into the gray zone: 24 responses that are 404
// (the error_ratio rule, a flag, needs 20 responses mostly 4xx; the collector counts them
// from the access log), some of them POSTs with a body that must never leave the gateway.
async function grayClient(s) {
  const key = s.key(SLUG);
  const c = { key, id: s.keyId(key), from: `127.0.0.${nextAddress++}` };
  await waitFor('the new key', async () => (await hit(s, '/status/404', { key, from: c.from })).status === 404, { interval: 100 });
  for (let i = 0; i < 23; i++) {
    const body = i % 4 === 0 ? JSON.stringify({ prompt: BODY_MARKER }) : undefined;
    const r = await hit(s, '/status/404', { key, from: c.from, method: body ? 'POST' : 'GET', body });
    assert.equal(r.status, 404, r.text);
  }
  return c;
}

// Keeps the client's traffic going until fn() holds.
const keepGoing = (s, c, what, fn, timeout = 20000) => waitFor(what, async () => {
  const r = await hit(s, '/status/404', { key: c.key, from: c.from });
  return fn(r);
}, { timeout, interval: 100 });

describe('fake LLM provider, checked with the official SDKs', () => {
  let fake;
  before(async () => { fake = await startFake(); });
  after(async () => { await fake?.close(); });

  test('OpenAI SDK: chat.completions.create parses the fake\'s answer, streamed or not', async () => {
    fake.set({ mode: 'verdicts', verdict: 'benign', confidence: 0.8 });
    const client = new OpenAI({ baseURL: `${fake.url}/v1`, apiKey: 'test', maxRetries: 0 });
    const content = 'Judge these clients:\n{"clients":[{"client":"c1"},{"client":"c2"}]}';
    const r = await client.chat.completions.create({
      model: 'test-model', response_format: { type: 'json_object' },
      messages: [{ role: 'system', content: 'Answer in JSON.' }, { role: 'user', content }],
    });
    assert.equal(r.object, 'chat.completion');
    assert.equal(r.choices[0].finish_reason, 'stop');
    assert.match(r._request_id, /^req_/);
    assert.deepEqual(JSON.parse(r.choices[0].message.content), {
      verdicts: [{ client: 'c1', verdict: 'benign', confidence: 0.8 }, { client: 'c2', verdict: 'benign', confidence: 0.8 }],
    });
    assert.equal(r.usage.total_tokens, r.usage.prompt_tokens + r.usage.completion_tokens);
    const stream = await client.chat.completions.create({
      model: 'test-model', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content }],
    });
    let text = '';
    let usage;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    assert.equal(text, r.choices[0].message.content);
    assert.ok(usage.total_tokens > 0);
    assert.equal(fake.requests.at(-1).headers.authorization, 'Bearer test');
  });

  test('Anthropic SDK: messages.create parses the fake\'s answer, streamed or not', async () => {
    fake.set({ mode: 'verdicts', verdict: 'abuse', confidence: 0.95 });
    const client = new Anthropic({ baseURL: fake.url, apiKey: 'test', maxRetries: 0 });
    const params = { model: 'test-model', max_tokens: 256, system: 'Answer in JSON.', messages: [{ role: 'user', content: '{"clients":[{"client":"c1"}]}' }] };
    const m = await client.messages.create(params);
    assert.equal(m.type, 'message');
    assert.equal(m.stop_reason, 'end_turn');
    assert.match(m._request_id, /^req_/);
    assert.deepEqual(JSON.parse(m.content[0].text), { verdicts: [{ client: 'c1', verdict: 'abuse', confidence: 0.95 }] });
    const final = await client.messages.stream(params).finalMessage();
    assert.equal(final.content[0].text, m.content[0].text);
    assert.equal(final.usage.output_tokens, m.usage.output_tokens);
    // SDK 1.x sends the key as a Bearer token with API version 2026-10-21; shared/LLM-APIS.md
    // (SDK 0.120) and the judge use x-api-key with 2023-06-01. The fake takes both.
    const seen = fake.requests.at(-1).headers;
    assert.ok(seen['x-api-key'] === 'test' || seen.authorization === 'Bearer test', JSON.stringify(seen));
    assert.match(seen['anthropic-version'], /^\d{4}-\d{2}-\d{2}$/);
  });

  test('OpenAI SDK: a 500 raises InternalServerError with the provider\'s error body', async () => {
    fake.set({ mode: 'error' });
    const client = new OpenAI({ baseURL: `${fake.url}/v1`, apiKey: 'test', maxRetries: 0 });
    await assert.rejects(client.chat.completions.create({ model: 'test-model', messages: [{ role: 'user', content: 'hi' }] }), (e) => {
      assert.ok(e instanceof OpenAI.InternalServerError, e.constructor.name);
      assert.ok(e instanceof OpenAI.APIError);
      assert.equal(e.status, 500);
      assert.equal(e.type, 'server_error');
      assert.match(e.requestID, /^req_/);
      return true;
    });
    fake.set({ mode: 'error', status: 429 });
    await assert.rejects(client.chat.completions.create({ model: 'test-model', messages: [{ role: 'user', content: 'hi' }] }),
      (e) => e instanceof OpenAI.RateLimitError && e.status === 429 && e.code === 'rate_limit_exceeded');
  });

  test('Anthropic SDK: a 529 raises its typed overloaded error with the provider\'s error body', async () => {
    fake.set({ mode: 'error' });
    const client = new Anthropic({ baseURL: fake.url, apiKey: 'test', maxRetries: 0 });
    await assert.rejects(client.messages.create({ model: 'test-model', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }), (e) => {
      assert.ok(e instanceof Anthropic.InternalServerError, e.constructor.name); // OverloadedError extends it
      assert.ok(e instanceof Anthropic.APIError);
      assert.equal(e.status, 529);
      assert.equal(e.error.type, 'error');
      assert.equal(e.error.error.type, 'overloaded_error');
      assert.match(e.requestID, /^req_/);
      return true;
    });
    fake.set({ mode: 'error', status: 500 });
    await assert.rejects(client.messages.create({ model: 'test-model', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }),
      (e) => e instanceof Anthropic.InternalServerError && e.status === 500 && e.error.error.type === 'api_error');
  });
});

// What left the gateway for the provider: never a key, a full address or a body.
function assertRedacted(s, fake, provider) {
  const sent = fake.requests.filter((r) => r.provider === provider);
  assert.ok(sent.length > 0);
  // Every header but Host (the fake's own address) and the whole body.
  const text = sent.map((r) => JSON.stringify({ ...r.headers, host: undefined }) + r.raw).join('\n');
  assert.doesNotMatch(text, /tg_(live|test)_/, 'an API key of the gateway reached the provider');
  assert.doesNotMatch(text, /127\.0\.0\.[1-9]/, 'a full client address reached the provider');
  assert.match(text, /"network\\?":\\?"127\.0\.0\.0\/24/, 'the network (/24) is what identifies where a client is');
  assert.doesNotMatch(text, new RegExp(BODY_MARKER), 'a request body reached the provider');
  assert.doesNotMatch(text, /Hello from the demo upstream/, 'an upstream body reached the provider');
  assert.doesNotMatch(text, /acme/, 'a tenant reached the provider');
  for (const r of sent) {
    assert.equal(r.path, provider === 'openai' ? '/v1/chat/completions' : '/v1/messages');
    assert.equal(r.body.model, 'test-model');
    if (provider === 'openai') {
      assert.equal(r.headers.authorization, `Bearer ${JUDGE_KEY}`);
      assert.deepEqual(r.body.response_format, { type: 'json_object' });
    } else {
      assert.equal(r.headers['x-api-key'], JUDGE_KEY);
      assert.equal(r.headers['anthropic-version'], '2023-06-01');
      assert.ok(r.body.max_tokens > 0 && typeof r.body.system === 'string');
    }
  }
  const log = fs.readFileSync(path.join(s.dir, 'tollgate.log'), 'utf8');
  assert.doesNotMatch(log, new RegExp(JUDGE_KEY), 'the provider key was logged');
}

// A provider that fails in some way: the call is counted as failed, nothing is cached, and
// the key goes on being flagged (error_ratio) and served exactly as without a judge.
async function failingCase(s, fake, behaviour) {
  const calls = await metric(s, 'tollgate_judge_calls_total');
  const failures = await metric(s, 'tollgate_judge_failures_total');
  const seen = fake.requests.length;
  fake.set(behaviour);
  const c = await grayClient(s);
  // The first call for the client may wait out the backoff of an earlier failure.
  await keepGoing(s, c, `a ${behaviour.mode} call`, () => fake.requests.length > seen);
  await waitFor('the failure counted', async () => (await metric(s, 'tollgate_judge_failures_total')) === failures + 1, { timeout: 30000 });
  assert.equal(await metric(s, 'tollgate_judge_calls_total'), calls + 1);
  // One call for one client; libcurl sends a request once more, on a fresh connection, when a
  // reused connection is closed without an answer (as `drop` does).
  assert.ok(fake.requests.length === seen + 1 || (behaviour.mode === 'drop' && fake.requests.length === seen + 2),
    `${fake.requests.length - seen} requests for one client`);
  for (let i = 0; i < 5; i++) {
    const r = await hit(s, '/status/404', { key: c.key, from: c.from });
    assert.equal(r.status, 404, `${behaviour.mode}: the key must be served as without a judge: ${r.text}`);
  }
  await waitFor('the flagged decisions in PostgreSQL', () => (decisions(s, c.id)['flag/error_ratio'] ?? 0) >= 5, { timeout: 30000 });
  const d = decisions(s, c.id);
  assert.deepEqual(Object.keys(d).filter((k) => !/^(allow\/model|flag\/error_ratio)$/.test(k)), [],
    `${behaviour.mode}: ${JSON.stringify(d)}`);
  fake.set({ mode: 'verdicts' });
}

describe('judge with the OpenAI wire format', () => {
  let fake;
  let s;
  before(async () => {
    fake = await startFake({ apiKey: JUDGE_KEY });
    s = await judgedStack('openai', fake);
  });
  after(async () => {
    await s?.stop();
    await fake?.close();
  });

  test('a confident "abuse" verdict blocks the key once it arrives', async () => {
    fake.set({ mode: 'verdicts', verdict: 'abuse', confidence: 0.9 });
    const calls = await metric(s, 'tollgate_judge_calls_total');
    const c = await grayClient(s);
    const r = await keepGoing(s, c, 'the block', (res) => res.status === 403 && res);
    assert.match(r.json.type, /abnormal-usage-detected$/);
    assert.equal((await hit(s, '/v1/anything', { key: c.key, from: c.from })).status, 403, 'the block stands');
    assert.equal(await metric(s, 'tollgate_judge_calls_total'), calls + 1);
    assert.equal(await metric(s, 'tollgate_judge_failures_total'), 0);
    await waitFor('the block decided by the judge', () => decisions(s, c.id)['block/llm_judge'] > 0, { timeout: 30000 });
  });

  test('a confident "benign" verdict lets the key be', async () => {
    fake.set({ mode: 'verdicts', verdict: 'benign', confidence: 0.9 });
    const c = await grayClient(s);
    await keepGoing(s, c, 'an allow decided by the judge', (res) => {
      assert.equal(res.status, 404);
      return decisions(s, c.id)['allow/llm_judge'] > 0;
    });
    for (let i = 0; i < 5; i++) assert.equal((await hit(s, '/status/404', { key: c.key, from: c.from })).status, 404);
    assert.equal(await metric(s, 'tollgate_judge_failures_total'), 0);
  });

  test('garbage, the wrong shape, a 500 or a slow answer cache nothing and change nothing', async () => {
    await failingCase(s, fake, { mode: 'garbage' });
    await failingCase(s, fake, { mode: 'wrong-shape' });
    await failingCase(s, fake, { mode: 'error', status: 500 });
    const t0 = Date.now();
    await failingCase(s, fake, { mode: 'slow', delayMs: 2000 });
    assert.ok(Date.now() - t0 < 15000);
    const log = fs.readFileSync(path.join(s.dir, 'tollgate.log'), 'utf8');
    assert.equal(log.match(/judge: the provider call failed/g)?.length, 1, 'one log line per outage, not per call');
  });

  test('nothing but the redacted summary reaches the provider', () => {
    assertRedacted(s, fake, 'openai');
  });
});

describe('judge with the Anthropic wire format', () => {
  let fake;
  let s;
  before(async () => {
    fake = await startFake({ apiKey: JUDGE_KEY });
    s = await judgedStack('anthropic', fake, [{ slug: SLUG, wait: 0 }, { slug: WAITING, wait: 200 }]);
  });
  after(async () => {
    await s?.stop();
    await fake?.close();
  });

  test('a confident "abuse" verdict blocks the key once it arrives', async () => {
    fake.set({ mode: 'verdicts', verdict: 'abuse', confidence: 0.9 });
    const c = await grayClient(s);
    const r = await keepGoing(s, c, 'the block', (res) => res.status === 403 && res);
    assert.match(r.json.type, /abnormal-usage-detected$/);
    assert.equal(await metric(s, 'tollgate_judge_calls_total'), 1);
  });

  test('a low-confidence "abuse" is cached as unsure and changes nothing', async () => {
    fake.set({ mode: 'verdicts', verdict: 'abuse', confidence: 0.5 });
    const seen = fake.requests.length;
    const c = await grayClient(s);
    await keepGoing(s, c, 'the call', () => fake.requests.length > seen);
    for (let i = 0; i < 5; i++) assert.equal((await hit(s, '/status/404', { key: c.key, from: c.from })).status, 404);
    assert.equal(await metric(s, 'tollgate_judge_failures_total'), 0);
    assert.equal(decisions(s, c.id)['block/llm_judge'], undefined);
  });

  test('the judge child is restarted when it dies and replaced on SIGHUP', async () => {
    const judges = () => s.children().filter((c) => c.comm === 'tg-judge');
    const first = judges()[0];
    assert.ok(first);
    process.kill(first.pid, 'SIGKILL');
    const second = await waitFor('a restarted judge', () => {
      const j = judges();
      return j.length === 1 && j[0].pid !== first.pid && j[0];
    });
    process.kill(s.servePid(), 'SIGHUP');
    await waitFor('the judge replaced by the reload', () => {
      const j = judges();
      return j.length === 1 && j[0].pid !== second.pid;
    });
  });

  // After the restarts above: the new judge drains the rings and calls the provider.
  test('the gate never waits for the judge: the request that asks is answered without the verdict', async () => {
    fake.set({ mode: 'verdicts', verdict: 'abuse', confidence: 0.9 });
    // A tenant with judge_wait_ms > 0 (the old decision window) gets its calls made at once,
    // but the gate still decides without waiting.
    const key = s.key(WAITING);
    const c = { key, id: s.keyId(key), from: `127.0.0.${nextAddress++}` };
    await waitFor('the new key', async () => (await hit(s, '/status/404', { key, from: c.from })).status === 404, { interval: 100 });
    const seen = fake.requests.length;
    const statuses = [];
    let r;
    for (let i = 0; i < 60; i++) {
      r = await hit(s, '/status/404', { key, from: c.from });
      statuses.push(r.status);
      if (r.status !== 404) break;
    }
    assert.ok(fake.requests.length > seen, 'the judge was asked');
    if (r.status !== 403) r = await keepGoing(s, c, 'the block', (res) => res.status === 403 && res);
    assert.match(r.json.type, /abnormal-usage-detected$/);
    await waitFor('the decisions in PostgreSQL', () => decisions(s, c.id)['block/llm_judge'] > 0, { timeout: 30000 });
    const d = decisions(s, c.id);
    assert.ok(d['flag/error_ratio'] >= 1, `the request that asked was served flagged, not held: ${JSON.stringify(d)}`);
  });

  test('a 529 overloaded answer, or none at all, caches nothing and changes nothing', async () => {
    await failingCase(s, fake, { mode: 'error' });
    assert.equal(fake.requests.at(-1).mode, 'error');
    await failingCase(s, fake, { mode: 'drop' });
  });

  test('nothing but the redacted summary reaches the provider', () => {
    assertRedacted(s, fake, 'anthropic');
  });
});
