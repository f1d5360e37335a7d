// AI routes end to end: the official openai and @anthropic-ai/sdk clients, pointed at the
// gateway (real Caddy with the repository's Caddyfile, the gate, the AI pool, PostgreSQL),
// calling fake providers (tests/fakes/llm.mjs, itself checked against the SDKs) through
// the tenant's aliases. Fallback, cooldown, timeouts, garbage, cancellation, metering and
// budgets are driven by the fake's model names (echo…, slow…, fail429…, hang…, garbage…).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { startFake } from '../fakes/llm.mjs';
import { Browser } from './forms.mjs';
import { get, keyPair, startStack, waitFor } from './harness.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const SLUG = 'acme-ai';
const OTHER = 'other-ai';
// Prices (millionths per million tokens) of the fake's models, for the cost checks.
const PRICE = { in: 2000000, out: 8000000 };
const cost = (u) => Math.ceil((u.prompt * PRICE.in) / 1e6) + Math.ceil((u.completion * PRICE.out) / 1e6);

const usage = (s, keyId) => {
  const [tokens, micros] = s.psql(
    `SELECT coalesce(sum(tokens),0), coalesce(sum(cost_micros),0) FROM usage_monthly WHERE key_id = ${keyId}`)
    .split('|').map(Number);
  return { tokens, micros };
};

// The key the fake provider wants: set through the management API, sealed at rest, sent by
// the AI pool. The caller never holds it.
const PROVIDER_KEY = 'sk-provider-7c1d9e';

describe('AI routes through the gateway', () => {
  let s, fake, down, key, keyId, other, openai, anthropic, token;
  const q = (v) => (v === null ? 'NULL' : `'${String(v).replace(/'/g, "''")}'`);
  const manage = async (method, path, body) => {
    const r = await fetch(`${s.console}/api/v1${path}`, {
      method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${text}`);
    return JSON.parse(text);
  };
  const provider = (name, kind, url) => manage('PUT', `/ai/providers/${name}`, { kind, base_url: url, api_key: PROVIDER_KEY });
  const alias = (name, targets, byPlan = {}) => manage('PUT', `/ai/aliases/${name}`, { targets, by_plan: byPlan });

  before(async () => {
    fake = await startFake({ apiKey: PROVIDER_KEY });
    // A provider that is not there: connecting fails at once.
    down = await startFake();
    await down.close();
    s = await startStack({
      env: {
        TOLLGATE_AI_FIRST_BYTE_TIMEOUT: '1s', TOLLGATE_AI_IDLE_TIMEOUT: '1s', TOLLGATE_AI_COOLDOWN: '2s',
        TOLLGATE_AI_WORKERS: '3',
      },
    });
    s.tenant(SLUG);
    s.tenant(OTHER);
    key = s.key(SLUG);
    keyId = s.keyId(key);
    other = s.key(OTHER);
    token = s.mustCli('token', 'create', SLUG).trim();
    s.psql(`UPDATE tenants SET ai_prefix = '/v1' WHERE slug = ${q(OTHER)}`);
    s.psql(`INSERT INTO ai_prices VALUES ('echo-small', ${PRICE.in}, ${PRICE.out}), ('slow-1', ${PRICE.in}, ${PRICE.out}),
            ('embed-1', ${PRICE.in}, 0) ON CONFLICT (model) DO NOTHING`);
    await manage('PATCH', '/ai', { prefix: '/v1' });
    await provider('oai', 'openai', `${fake.url}/v1`);
    await provider('ant', 'anthropic', fake.url);
    await provider('gone', 'openai', `${down.url}/v1`);
    await alias('chat', [{ provider: 'oai', model: 'echo-small' }]);
    await alias('claude', [{ provider: 'ant', model: 'echo-small' }]);
    await alias('embed', [{ provider: 'oai', model: 'embed-1' }]);
    await alias('slow', [{ provider: 'oai', model: 'slow-1' }]);
    openai = new OpenAI({ apiKey: key, baseURL: `${s.url}/v1`, maxRetries: 0 });
    anthropic = new Anthropic({ apiKey: key, baseURL: s.url, maxRetries: 0 });
    await waitFor('the AI prefix to reach the gate', async () =>
      (await fetch(`${s.url}/v1/models`, { headers: { Authorization: `Bearer ${key}` } })).headers.get('content-type')?.startsWith('application/json')
      && (await (await fetch(`${s.url}/v1/models`, { headers: { Authorization: `Bearer ${key}` } })).json()).object === 'list');
  });
  after(async () => {
    await s?.stop();
    await fake?.close();
  });

  test('OpenAI SDK: a chat through an alias; the provider sees its model, never the gateway key', async () => {
    fake.reset();
    const { data: r, response } = await openai.chat.completions
      .create({ model: 'chat', messages: [{ role: 'user', content: 'hello gateway' }] }).withResponse();
    assert.equal(r.choices[0].message.content, 'echo: hello gateway');
    assert.equal(response.headers.get('x-tollgate-ai-provider'), 'oai');
    assert.equal(response.headers.get('x-tollgate-ai-model'), 'echo-small');
    assert.equal(Number(response.headers.get('x-tollgate-ai-tokens')), r.usage.prompt_tokens + r.usage.completion_tokens);
    assert.equal(response.headers.get('x-tollgate-ai-cost'), (cost(fake.usage[0]) / 1e6).toFixed(6));
    assert.match(response.headers.get('x-request-id'), /^[0-9a-f-]{36}$/);
    const seen = fake.requests.at(-1);
    assert.equal(seen.body.model, 'echo-small');
    assert.equal(seen.headers.authorization, `Bearer ${PROVIDER_KEY}`);
    assert.ok(!JSON.stringify(seen.headers).includes(key), 'the caller\'s Tollgate key reached the provider');
    assert.ok(!Object.keys(seen.headers).some((h) => h.startsWith('x-tollgate')), 'gateway headers reached the provider');
  });

  test('OpenAI SDK: a streamed chat arrives event by event, with the usage the provider reported', async () => {
    fake.reset();
    const stream = await openai.chat.completions.create({
      model: 'slow', stream: true, stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'stream this answer please' }],
    });
    let text = '';
    let firstAt = null;
    let usageChunk = null;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta?.content) {
        firstAt ??= Date.now();
        text += chunk.choices[0].delta.content;
      }
      if (chunk.usage) usageChunk = chunk.usage;
    }
    assert.equal(text, 'echo: stream this answer please');
    const sent = fake.eventTimes.at(-1).times;
    // Streaming, not buffering: the first words arrived while the provider was still writing.
    assert.ok(firstAt < sent.at(-1), `first delta at ${firstAt}, the provider's last event at ${sent.at(-1)}`);
    assert.equal(usageChunk.prompt_tokens, fake.usage.at(-1).prompt);
    assert.equal(usageChunk.completion_tokens, fake.usage.at(-1).completion);
    assert.equal(fake.requests.at(-1).body.stream_options.include_usage, true);
  });

  test('Anthropic SDK: messages, plain and streamed, through an alias to an Anthropic provider', async () => {
    fake.reset();
    const m = await anthropic.messages.create({
      model: 'claude', max_tokens: 64, system: 'Be brief.', messages: [{ role: 'user', content: 'hi claude' }],
    });
    assert.equal(m.content[0].text, 'echo: hi claude');
    assert.equal(m.usage.input_tokens, fake.usage.at(-1).prompt);
    // The caller's API version goes through (the SDK sends its own).
    assert.match(fake.requests.at(-1).headers['anthropic-version'], /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(fake.requests.at(-1).headers['x-api-key'], PROVIDER_KEY);
    const stream = anthropic.messages.stream({ model: 'claude', max_tokens: 64, messages: [{ role: 'user', content: 'and streamed' }] });
    const final = await stream.finalMessage();
    assert.equal(final.content[0].text, 'echo: and streamed');
    assert.equal(final.usage.output_tokens, fake.usage.at(-1).completion);
  });

  test('OpenAI SDK: embeddings and the list of models (the tenant\'s aliases)', async () => {
    const e = await openai.embeddings.create({ model: 'embed', input: ['one text', 'another'] });
    assert.equal(e.data.length, 2);
    assert.equal(e.data[0].embedding.length, 8);
    const models = await openai.models.list();
    const ids = [];
    for await (const m of models) ids.push(m.id);
    assert.deepEqual(ids.sort(), ['chat', 'claude', 'embed', 'slow']);
    // Anthropic's SDK gets the list in Anthropic's shape.
    const theirs = [];
    for await (const m of anthropic.models.list()) theirs.push(m);
    assert.deepEqual(theirs.map((m) => m.id).sort(), ['chat', 'claude', 'embed', 'slow']);
    assert.equal(theirs[0].type, 'model');
    assert.match(theirs[0].created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  test('a provider that answers 429 falls over to the next, and then cools down for every worker', async () => {
    fake.reset();
    await alias('resilient', [{ provider: 'oai', model: 'fail429-a' }, { provider: 'ant', model: 'echo-small' }]);
    const first = await fetch(`${s.url}/v1/chat/completions`, {
      method: 'POST', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'resilient', messages: [{ role: 'user', content: 'x' }] }),
    });
    // The alias crosses providers: the Anthropic answer comes back as the provider made it.
    assert.equal(first.status, 200, await first.clone().text());
    assert.equal(first.headers.get('x-tollgate-ai-attempts'), '2');
    assert.equal(first.headers.get('x-tollgate-ai-provider'), 'ant');
    const tried = fake.requests.filter((r) => r.body?.model === 'fail429-a').length;
    assert.equal(tried, 1);
    // Cooling down: the next requests (whichever AI worker takes them) skip it.
    for (let i = 0; i < 4; i++) {
      const r = await openai.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'y' }] });
      assert.ok(r.choices.length > 0);
    }
    await alias('resilient', [{ provider: 'oai', model: 'fail429-a' }, { provider: 'oai', model: 'echo-small' }]);
    const again = await openai.chat.completions.create({ model: 'resilient', messages: [{ role: 'user', content: 'z' }] }).withResponse();
    assert.equal(again.response.headers.get('x-tollgate-ai-attempts'), '1', 'the cooling provider was tried');
    assert.equal(fake.requests.filter((r) => r.body?.model === 'fail429-a').length, 1);
  });

  test('a provider the operator offers every tenant, its key given on a file, never on the command line', async () => {
    const keyFile = path.join(s.dir, 'operator-key');
    fs.writeFileSync(keyFile, `${PROVIDER_KEY}\n`, { mode: 0o600 });
    const set = s.cli('ai', 'provider', 'set', 'house', '--kind', 'openai', '--url', `${fake.url}/v1/`, '--key-file', keyFile);
    assert.equal(set.status, 0, set.stderr);
    assert.match(set.stderr, /key sealed/);
    assert.match(s.cli('ai', 'provider', 'list').stdout, new RegExp(`^house +openai +sealed +${fake.url}/v1$`, 'm'));
    assert.ok(!s.psql("SELECT encode(key_sealed, 'escape') FROM ai_operator_providers WHERE name = 'house'").includes(PROVIDER_KEY));
    // A private address is refused here as in the API.
    const bad = s.cli('ai', 'provider', 'set', 'metadata', '--kind', 'openai', '--url', 'http://169.254.169.254/v1');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /refused/);
    const listed = (await manage('GET', '/ai/providers')).data.find((x) => x.name === 'house');
    assert.deepEqual({ kind: listed.kind, operator: listed.operator, has_key: listed.has_key }, { kind: 'openai', operator: true, has_key: true });
    await alias('house-chat', [{ provider: 'house', model: 'echo-small' }]);
    fake.reset();
    const r = await openai.chat.completions.create({ model: 'house-chat', messages: [{ role: 'user', content: 'operator' }] }).withResponse();
    assert.equal(r.data.choices[0].message.content, 'echo: operator');
    assert.equal(r.response.headers.get('x-tollgate-ai-provider'), 'house');
    assert.equal(fake.requests.at(-1).headers.authorization, `Bearer ${PROVIDER_KEY}`);
    // The tenant's own provider of that name comes first.
    await provider('house', 'anthropic', fake.url);
    const own = await openai.chat.completions.create({ model: 'house-chat', messages: [{ role: 'user', content: 'own' }] });
    assert.equal(own.choices[0].message.content, 'echo: own');
    assert.equal(fake.requests.at(-1).path, '/v1/messages', 'the tenant\'s (Anthropic) provider was not the one called');
    assert.equal(s.cli('ai', 'provider', 'remove', 'house').status, 0);
    assert.equal(s.cli('ai', 'provider', 'remove', 'house').status, 1);
  });

  test('routing: the list of the tenant\'s plan, and a weighted split of first tries', async () => {
    fake.reset();
    // The harness makes tenants on the Scale plan: its list is used; other plans' are not.
    await alias('tiered', [{ provider: 'oai', model: 'echo-large' }], {
      scale: [{ provider: 'oai', model: 'echo-small' }], free: [{ provider: 'oai', model: 'echo-large' }],
    });
    const t = await openai.chat.completions.create({ model: 'tiered', messages: [{ role: 'user', content: 'tier' }] }).withResponse();
    assert.equal(t.response.headers.get('x-tollgate-ai-model'), 'echo-small');
    s.psql(`UPDATE tenants SET plan_id = 'free' WHERE slug = '${SLUG}'`);
    try {
      const f = await openai.chat.completions.create({ model: 'tiered', messages: [{ role: 'user', content: 'tier' }] }).withResponse();
      assert.equal(f.response.headers.get('x-tollgate-ai-model'), 'echo-large');
    } finally {
      s.psql(`UPDATE tenants SET plan_id = 'scale' WHERE slug = '${SLUG}'`);
    }
    // Weights 1 and 3: about three first tries in four go to the second.
    await alias('split', [{ provider: 'oai', model: 'echo-small', weight: 1 }, { provider: 'oai', model: 'echo-large', weight: 3 }]);
    fake.reset();
    for (let i = 0; i < 40; i++) await openai.chat.completions.create({ model: 'split', messages: [{ role: 'user', content: `w${i}` }] });
    const large = fake.requests.filter((r) => r.body?.model === 'echo-large').length;
    assert.equal(fake.requests.length, 40, 'one attempt each');
    assert.ok(large >= 20 && large <= 38, `echo-large took ${large} of 40 (expected about 30)`);
  });

  test('a cooldown one node finds is seen by every node of the cluster', async () => {
    const b = await startStack({ database: s, env: { TOLLGATE_AI_WORKERS: '1', TOLLGATE_AI_COOLDOWN: '30s' } });
    try {
      await alias('cluster', [{ provider: 'oai', model: 'fail429-cluster' }, { provider: 'oai', model: 'echo-small' }]);
      const viaB = new OpenAI({ apiKey: key, baseURL: `${b.url}/v1`, maxRetries: 0 });
      await waitFor('node B\'s AI routes', async () => (await fetch(`${b.url}/v1/models`, { headers: { 'X-Api-Key': key } })).status === 200);
      fake.reset();
      const onA = await openai.chat.completions.create({ model: 'cluster', messages: [{ role: 'user', content: 'a' }] }).withResponse();
      assert.equal(onA.response.headers.get('x-tollgate-ai-attempts'), '2');
      const onB = await viaB.chat.completions.create({ model: 'cluster', messages: [{ role: 'user', content: 'b' }] }).withResponse();
      assert.equal(onB.response.headers.get('x-tollgate-ai-attempts'), '1', 'node B called the model node A saw failing');
      assert.equal(fake.requests.filter((r) => r.body?.model === 'fail429-cluster').length, 1);
    } finally {
      await b.stop();
    }
  });

  test('connect errors, hangs (first-byte timeout) and garbage fall over; when all fail, a 502 problem', async () => {
    fake.reset();
    await alias('shaky', [
      { provider: 'gone', model: 'echo-small' }, { provider: 'ant', model: 'hang-1' },
      { provider: 'ant', model: 'garbage-1' }, { provider: 'oai', model: 'echo-small' },
    ]);
    const t0 = Date.now();
    const { data: r, response } = await openai.chat.completions
      .create({ model: 'shaky', messages: [{ role: 'user', content: 'anyone?' }] }).withResponse();
    assert.equal(r.choices[0].message.content, 'echo: anyone?');
    assert.equal(response.headers.get('x-tollgate-ai-attempts'), '4');
    assert.ok(Date.now() - t0 >= 1000, 'the hang was waited for up to the first-byte timeout');
    assert.equal(fake.cancelled >= 1, true, 'the hanging call was abandoned');
    await sleep(2100); // the cooldowns end
    await alias('broken', [{ provider: 'oai', model: 'fail500-a' }, { provider: 'gone', model: 'x' }]);
    const res = await fetch(`${s.url}/v1/chat/completions`, {
      method: 'POST', headers: { 'X-Api-Key': key, 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'broken', messages: [{ role: 'user', content: 'x' }] }),
    });
    assert.equal(res.status, 502);
    assert.equal(res.headers.get('content-type'), 'application/problem+json');
    const p = await res.json();
    assert.match(p.type, /providers-failed$/);
    assert.match(p.detail, /oai, gone/);
    // Now both cool down: a 503 with Retry-After, no provider called.
    const before_ = fake.requests.length;
    const cooled = await fetch(`${s.url}/v1/chat/completions`, {
      method: 'POST', headers: { 'X-Api-Key': key, 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'broken', messages: [{ role: 'user', content: 'x' }] }),
    });
    assert.equal(cooled.status, 503);
    assert.ok(Number(cooled.headers.get('retry-after')) >= 1);
    assert.equal(fake.requests.length, before_);
    await sleep(2100);
  });

  test('a provider address outside the upstream rules is refused before any connection', async () => {
    // As if a provider's name had come to resolve to an address upstreams may not have
    // (127.0.0.2 is outside the test's TOLLGATE_UPSTREAM_ALLOW): the row is written past
    // the API's check, which would have refused it.
    const inside = await startFake({ host: '127.0.0.2', apiKey: PROVIDER_KEY });
    let connections = 0;
    try {
      s.psql(`INSERT INTO ai_providers (tenant_id, name, kind, base_url) SELECT id, 'sneaky', 'openai', '${inside.url}/v1'
              FROM tenants WHERE slug = '${SLUG}'`);
      await alias('sneaky', [{ provider: 'sneaky', model: 'echo-small' }]);
      const r = await fetch(`${s.url}/v1/chat/completions`, {
        method: 'POST', headers: { 'X-Api-Key': key, 'Content-Type': 'application/json' },
        body: JSON.stringify({ model: 'sneaky', messages: [{ role: 'user', content: 'x' }] }),
      });
      assert.equal(r.status, 502);
      assert.match((await r.json()).detail, /sneaky/);
      connections = inside.requests.length;
    } finally {
      await inside.close();
    }
    assert.equal(connections, 0, 'a request reached the forbidden address');
    assert.match(fs.readFileSync(path.join(s.dir, 'tollgate.log'), 'utf8'), /AI provider sneaky refused before connecting/);
  });

  test('a client that disconnects mid-stream cancels the provider call', async () => {
    fake.reset();
    const ac = new AbortController();
    const stream = await openai.chat.completions.create({
      model: 'slow', stream: true, messages: [{ role: 'user', content: 'a long answer that takes a while to stream' }],
    }, { signal: ac.signal });
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta?.content) break; // leaves the stream after the first words
    }
    ac.abort();
    await waitFor('the provider call to be cancelled', () => fake.cancelled >= 1, { timeout: 5000 });
    assert.equal(fake.usage.at(-1).completed, false);
  });

  test('bad requests: unknown model 404, invalid JSON 400, both as problems; the provider is not called', async () => {
    const n = fake.requests.length;
    const unknown = await fetch(`${s.url}/v1/chat/completions`, {
      method: 'POST', headers: { 'X-Api-Key': key, 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'nope', messages: [] }),
    });
    assert.equal(unknown.status, 404);
    assert.match((await unknown.json()).type, /model-not-found$/);
    const bad = await fetch(`${s.url}/v1/chat/completions`, {
      method: 'POST', headers: { 'X-Api-Key': key, 'Content-Type': 'application/json' }, body: '{"model":',
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.headers.get('content-type'), 'application/problem+json');
    // Another tenant's alias is not this tenant's: the other tenant has none.
    const theirs = await fetch(`${s.url}/v1/chat/completions`, {
      method: 'POST', headers: { 'X-Api-Key': other, 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'x' }] }),
    });
    assert.equal(theirs.status, 404);
    // Nor its providers, named directly.
    const direct = await fetch(`${s.url}/v1/chat/completions`, {
      method: 'POST', headers: { 'X-Api-Key': other, 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'oai/echo-small', messages: [{ role: 'user', content: 'x' }] }),
    });
    assert.equal(direct.status, 404);
    assert.equal(fake.requests.length, n);
    // Without a key, the gate refuses before the AI pool.
    const anon = await fetch(`${s.url}/v1/chat/completions`, { method: 'POST', body: '{}' });
    assert.equal(anon.status, 401);
  });

  test('paths outside the AI endpoints still go to the tenant\'s upstream', async () => {
    const r = await get(`${s.url}/v1/other/thing`, { 'X-Api-Key': key });
    assert.equal(r.status, 200);
    const up = await get(`${s.url}/elsewhere/chat/completions`, { 'X-Api-Key': key });
    assert.equal(up.status, 200);
  });

  test('tokens and cost stored are the sum of the providers\' usage', async () => {
    fake.reset();
    const before_ = usage(s, keyId);
    await waitFor('earlier usage flushed', async () => {
      const a = usage(s, keyId);
      await sleep(1200);
      const b = usage(s, keyId);
      return a.tokens === b.tokens;
    });
    const start = usage(s, keyId);
    for (let i = 0; i < 5; i++) {
      await openai.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: `question ${i} ${'x'.repeat(i * 17)}` }] });
    }
    const stream = await openai.chat.completions.create({ model: 'slow', stream: true, messages: [{ role: 'user', content: 'streamed one' }] });
    for await (const chunk of stream) void chunk;
    const done = fake.usage.filter((u) => u.completed);
    const tokens = done.reduce((t, u) => t + u.prompt + u.completion, 0);
    const micros = done.reduce((t, u) => t + cost(u), 0);
    await waitFor('the usage flushed', () => usage(s, keyId).tokens === start.tokens + tokens, { timeout: 10000 })
      .catch((e) => { throw new Error(`${e.message}: ${JSON.stringify(usage(s, keyId))} vs ${start.tokens} + ${tokens} (before ${before_.tokens})`); });
    assert.equal(usage(s, keyId).micros, start.micros + micros);
  });

  test('through kill -9 of the flusher, the collector and AI workers mid-stream, stored tokens stay the providers\' usage', async () => {
    fake.reset();
    await waitFor('earlier usage flushed', async () => {
      const a = usage(s, keyId);
      await sleep(1200);
      return a.tokens === usage(s, keyId).tokens;
    });
    const start = usage(s, keyId);
    // A stream whose AI worker dies under it: the caller's stream breaks, the provider's
    // answer is never complete, and nothing of it is metered.
    const stream = await openai.chat.completions.create({
      model: 'slow', stream: true, messages: [{ role: 'user', content: 'a long answer to be cut off in the middle' }],
    });
    let broke = false;
    try {
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta?.content) {
          for (const w of s.children().filter((c) => c.comm === 'tg-ai')) process.kill(w.pid, 'SIGKILL');
        }
      }
    } catch {
      broke = true;
    }
    assert.ok(broke || fake.usage.at(-1).completed === false, 'the stream went on after its worker died');
    await waitFor('the AI workers back', () => s.children().filter((c) => c.comm === 'tg-ai').length === 3);
    for (let i = 0; i < 20; i++) {
      const victim = i === 5 || i === 12 ? 'tg-flusher' : i === 8 ? 'tg-collector' : null;
      if (victim) process.kill((await waitFor(`a ${victim}`, () => s.child(victim))).pid, 'SIGKILL');
      await openai.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: `after the kill ${i}` }] });
    }
    const done = fake.usage.filter((u) => u.completed);
    const tokens = done.reduce((t, u) => t + u.prompt + u.completion, 0);
    const micros = done.reduce((t, u) => t + cost(u), 0);
    await waitFor('every answer metered once', () => usage(s, keyId).tokens === start.tokens + tokens, { timeout: 15000 })
      .catch((e) => { throw new Error(`${e.message}: ${JSON.stringify(usage(s, keyId))} vs ${start.tokens} + ${tokens}`); });
    await sleep(1500); // and not twice
    assert.deepEqual(usage(s, keyId), { tokens: start.tokens + tokens, micros: start.micros + micros });
  });

  test('/metrics counts AI answers, failures, fallbacks, cancellations and tokens', async () => {
    const text = (await get(`${s.internal}/metrics`)).text;
    const value = (re) => Number((text.match(re) ?? [])[1]);
    assert.ok(value(/^tollgate_ai_requests_total\{outcome="answered"\} (\d+)$/m) >= 10);
    assert.ok(value(/^tollgate_ai_requests_total\{outcome="failed"\} (\d+)$/m) >= 2, 'the 502 and the 503');
    assert.ok(value(/^tollgate_ai_requests_total\{outcome="cancelled"\} (\d+)$/m) >= 1);
    assert.ok(value(/^tollgate_ai_fallbacks_total (\d+)$/m) >= 4);
    assert.ok(value(/^tollgate_ai_tokens_total (\d+)$/m) > 0);
  });

  test('a budget taken past its warning share mails the tenant\'s owners and calls its webhook, once', async () => {
    // The tenant's webhook receiver: it checks the signature as a tenant would.
    const got = [];
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        got.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
    const hookUrl = `http://127.0.0.1:${receiver.address().port}/hooks/tollgate`;
    const bad = await fetch(`${s.console}/api/v1/ai`, {
      method: 'PATCH', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ budget_webhook_url: 'http://169.254.169.254/latest' }),
    });
    assert.equal(bad.status, 400, 'a metadata address is refused');
    const settings = (await manage('PATCH', '/ai', { budget_webhook_url: hookUrl })).data;
    assert.equal(settings.budget_webhook_url, hookUrl);
    assert.match(settings.budget_webhook_secret, /^whsec_[0-9a-f]{64}$/);
    s.psql(`INSERT INTO users (tenant_id, email, role) SELECT id, 'owner@acme-ai.test', 'owner' FROM tenants WHERE slug = '${SLUG}'`);
    const spent = usage(s, keyId).micros;
    await manage('PATCH', '/ai', { key_budget_micros: spent + 200, budget_warn_percent: 1 });
    const mails = () => Number(s.psql("SELECT count(*) FROM mail_outbox WHERE to_addr = 'owner@acme-ai.test' AND subject LIKE '%AI budget of API key%nearly spent'"));
    await openai.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'warn me' }] });
    await waitFor('the warning mail', () => mails() === 1);
    assert.equal(s.psql(`SELECT key_id FROM ai_budget_warnings w JOIN tenants t ON t.id = w.tenant_id WHERE t.slug = '${SLUG}'`), String(keyId));
    await openai.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'and again' }] });
    await waitFor('the webhook', () => got.length >= 1, { timeout: 15000 });
    await sleep(1500);
    assert.equal(mails(), 1, 'one warning a month');
    assert.equal(got.length, 1, 'one webhook a month');
    receiver.close();
    const { headers, body } = got[0];
    const [, t, v1] = headers['tollgate-signature'].match(/^t=(\d+),v1=([0-9a-f]{64})$/);
    const expected = crypto.createHmac('sha256', settings.budget_webhook_secret).update(`${t}.${body}`).digest('hex');
    assert.equal(v1, expected, 'the signature');
    assert.ok(Math.abs(Number(t) - Date.now() / 1000) < 60);
    assert.match(headers['tollgate-event-id'], /^aiw_\d+$/);
    const event = JSON.parse(body);
    assert.equal(event.type, 'ai.budget.warning');
    assert.equal(event.tenant, SLUG);
    assert.equal(event.key_id, Number(keyId));
    assert.ok(event.spent_micros > 0 && event.budget_micros === spent + 200);
    await manage('PATCH', '/ai', { key_budget_micros: null, budget_warn_percent: 80, budget_webhook_url: null });
  });

  test('a monthly budget stops spending with 402 before the provider is called', async () => {
    const spent = usage(s, keyId).micros;
    s.psql(`UPDATE tenants SET ai_key_budget_micros = ${spent + 1} WHERE slug = '${SLUG}'`);
    // One request fits in what is left only if its largest cost does: max_tokens is too many.
    const big = await fetch(`${s.url}/v1/chat/completions`, {
      method: 'POST', headers: { 'X-Api-Key': key, 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'chat', max_tokens: 100000, messages: [{ role: 'user', content: 'x' }] }),
    });
    assert.equal(big.status, 402);
    assert.match((await big.json()).type, /budget-exceeded$/);
    s.psql(`UPDATE tenants SET ai_key_budget_micros = ${spent} WHERE slug = '${SLUG}'`);
    const n = fake.requests.length;
    const over = await fetch(`${s.url}/v1/chat/completions`, {
      method: 'POST', headers: { 'X-Api-Key': key, 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'x' }] }),
    });
    assert.equal(over.status, 402);
    assert.equal(fake.requests.length, n, 'a provider was called over budget');
    s.psql(`UPDATE tenants SET ai_key_budget_micros = NULL WHERE slug = '${SLUG}'`);
  });
});

describe('AI caches and token limits', () => {
  let s, fake, key, token, openai;
  const KEY_HEADERS = () => ({ Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' });
  const manage = async (method, path, body) => {
    const r = await fetch(`${s.console}/api/v1${path}`, {
      method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${text}`);
    return JSON.parse(text).data;
  };
  const chat = (body, headers = {}) => fetch(`${s.url}/v1/chat/completions`, {
    method: 'POST', headers: { ...KEY_HEADERS(), ...headers }, body: JSON.stringify(body),
  });
  // Answers are kept once they have been sent (the caller does not wait for it): a test
  // that asks again waits for the entry first.
  const kept = (table, slug, n) => waitFor(`${n} entries in ${table}`, () =>
    Number(s.psql(`SELECT count(*) FROM ${table} c JOIN tenants t ON t.id = c.tenant_id WHERE t.slug = '${slug}'`)) >= n);

  before(async () => {
    fake = await startFake({ apiKey: PROVIDER_KEY });
    s = await startStack({ env: { TOLLGATE_AI_WORKERS: '2' } });
    s.tenant('cachey');
    key = s.key('cachey');
    token = s.mustCli('token', 'create', 'cachey').trim();
    await manage('PATCH', '/ai', { prefix: '/v1', cache_ttl_seconds: 60 });
    await manage('PUT', '/ai/providers/oai', { kind: 'openai', base_url: `${fake.url}/v1`, api_key: PROVIDER_KEY });
    await manage('PUT', '/ai/aliases/chat', { targets: [{ provider: 'oai', model: 'echo-small' }] });
    await manage('PUT', '/ai/aliases/embed', { targets: [{ provider: 'oai', model: 'embed-1' }] });
    openai = new OpenAI({ apiKey: key, baseURL: `${s.url}/v1`, maxRetries: 0 });
    await waitFor('AI routes on', async () => (await chat({ model: 'chat', messages: [{ role: 'user', content: 'warm' }] })).status === 200);
  });
  after(async () => {
    await s?.stop();
    await fake?.close();
  });

  test('exact cache: a deterministic request is answered again without calling the provider', async () => {
    const body = { model: 'chat', temperature: 0, messages: [{ role: 'user', content: 'cache me' }] };
    const n = fake.requests.length;
    const first = await chat(body);
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('x-tollgate-cache'), 'miss');
    const text = await first.text();
    await kept('ai_cache', 'cachey', 1);
    // The same request with its members in another order is the same request.
    const again = await chat({ messages: body.messages, temperature: 0, model: 'chat' });
    assert.equal(again.headers.get('x-tollgate-cache'), 'hit');
    assert.equal(again.headers.get('x-tollgate-ai-cost'), '0.000000');
    assert.equal(await again.text(), text);
    assert.equal(fake.requests.length, n + 1, 'the provider was called for a hit');
    // The SDK reads a cached answer like any other.
    const sdk = await openai.chat.completions.create(body);
    assert.equal(sdk.choices[0].message.content, 'echo: cache me');
    assert.equal(fake.requests.length, n + 1);
    // Cache-Control: no-cache goes to the provider.
    const fresh = await chat(body, { 'Cache-Control': 'no-cache' });
    assert.equal(fresh.headers.get('x-tollgate-cache'), 'bypass');
    assert.equal(fake.requests.length, n + 2);
    // Not deterministic (no temperature 0): not cached unless the tenant says so.
    const random = await chat({ model: 'chat', messages: [{ role: 'user', content: 'cache me' }] });
    assert.equal(random.headers.get('x-tollgate-cache'), 'bypass');
    assert.equal(fake.requests.length, n + 3);
  });

  test('the cache is never shared across tenants', async () => {
    s.tenant('cachey-2');
    const key2 = s.key('cachey-2');
    const token2 = s.mustCli('token', 'create', 'cachey-2').trim();
    const m2 = (method, path, body) => fetch(`${s.console}/api/v1${path}`, {
      method, headers: { Authorization: `Bearer ${token2}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
    assert.equal((await m2('PATCH', '/ai', { prefix: '/v1', cache_ttl_seconds: 60 })).status, 200);
    assert.equal((await m2('PUT', '/ai/providers/oai', { kind: 'openai', base_url: `${fake.url}/v1`, api_key: PROVIDER_KEY })).status, 200);
    assert.equal((await m2('PUT', '/ai/aliases/chat', { targets: [{ provider: 'oai', model: 'echo-small' }] })).status, 200);
    const body = JSON.stringify({ model: 'chat', temperature: 0, messages: [{ role: 'user', content: 'cache me' }] });
    await waitFor('the second tenant\'s AI routes', async () => (await fetch(`${s.url}/v1/chat/completions`, {
      method: 'POST', headers: { 'X-Api-Key': key2, 'Content-Type': 'application/json' }, body,
    })).headers.get('x-tollgate-cache') !== null);
    await kept('ai_cache', 'cachey-2', 1);
    const n = fake.requests.length;
    const r = await fetch(`${s.url}/v1/chat/completions`, { method: 'POST', headers: { 'X-Api-Key': key2, 'Content-Type': 'application/json' }, body });
    assert.equal(r.headers.get('x-tollgate-cache'), 'hit', 'its own answer from before');
    assert.equal(fake.requests.length, n);
    assert.equal(Number(s.psql("SELECT count(*) FROM ai_cache c JOIN tenants t ON t.id = c.tenant_id WHERE t.slug = 'cachey-2'")), 1);
  });

  test('semantic cache: a similar prompt is served the earlier answer, with why', async () => {
    await manage('PATCH', '/ai', { semantic_alias: 'embed', semantic_threshold: 0.85 });
    const ask = (q) => chat({ model: 'chat', temperature: 0, messages: [{ role: 'user', content: q }] });
    const first = await ask('What is the capital city of France?');
    assert.equal(first.headers.get('x-tollgate-cache'), 'miss');
    const answer = (await first.json()).choices[0].message.content;
    await kept('ai_semantic', 'cachey', 1);
    const n = fake.requests.filter((r) => r.path === '/v1/chat/completions').length;
    const similar = await ask('what is the capital city of France');
    assert.equal(similar.headers.get('x-tollgate-cache'), 'semantic-hit');
    assert.match(similar.headers.get('x-tollgate-cache-explanation'), /^similarity 0\.\d+ >= 0\.850 with entry \d+/);
    assert.equal((await similar.json()).choices[0].message.content, answer);
    assert.equal(fake.requests.filter((r) => r.path === '/v1/chat/completions').length, n);
    const other = await ask('Tell me a joke about databases and penguins');
    assert.equal(other.headers.get('x-tollgate-cache'), 'miss');
    assert.equal((await other.json()).choices[0].message.content, 'echo: Tell me a joke about databases and penguins');
    await manage('PATCH', '/ai', { semantic_alias: null });
  });

  test('tokens per minute per key: once spent, 429 with Retry-After, before the provider is called', async () => {
    await manage('PATCH', '/ai', { key_tpm: 1 });
    // A new key: its minute is untouched.
    key = s.key('cachey');
    await waitFor('the new key', async () => (await get(`${s.url}/elsewhere`, { 'X-Api-Key': key })).status === 200);
    const r1 = await chat({ model: 'chat', messages: [{ role: 'user', content: 'spend the minute' }] });
    assert.equal(r1.status, 200);
    const n = fake.requests.length;
    const r2 = await chat({ model: 'chat', messages: [{ role: 'user', content: 'one more' }] });
    assert.equal(r2.status, 429);
    assert.match((await r2.json()).type, /rate-limited$/);
    const retry = Number(r2.headers.get('retry-after'));
    assert.ok(retry >= 1 && retry <= 60, `Retry-After ${retry}`);
    assert.equal(fake.requests.length, n);
    await manage('PATCH', '/ai', { key_tpm: null });
    assert.equal((await chat({ model: 'chat', messages: [{ role: 'user', content: 'again' }] })).status, 200);
  });

  test('the portal shows the month\'s AI tokens and cost against the budget', async () => {
    const ann = new Browser(s.console);
    assert.equal((await ann.signup('ann@ai-portal.test', 'correct horse battery staple 9', 'AI Portal Co')).status, 303);
    const slug = s.psql("SELECT t.slug FROM tenants t JOIN users u ON u.tenant_id = t.id WHERE u.email = 'ann@ai-portal.test'");
    const own = s.key(slug);
    const tok = s.mustCli('token', 'create', slug).trim();
    const m = (method, path, body) => fetch(`${s.console}/api/v1${path}`, {
      method, headers: { Authorization: `Bearer ${tok}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    }).then((r) => assert.equal(r.status, 200));
    await m('PATCH', '/ai', { prefix: '/v1', budget_micros: 5000000 });
    await m('PUT', '/ai/providers/oai', { kind: 'openai', base_url: `${fake.url}/v1`, api_key: PROVIDER_KEY });
    await m('PUT', '/ai/aliases/chat', { targets: [{ provider: 'oai', model: 'echo-small' }] });
    s.psql("INSERT INTO ai_prices VALUES ('echo-small', 2000000, 8000000) ON CONFLICT (model) DO NOTHING");
    const call = () => fetch(`${s.url}/v1/chat/completions`, {
      method: 'POST', headers: { 'X-Api-Key': own, 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'portal' }] }),
    });
    await waitFor('the AI route', async () => (await call()).status === 200);
    const home = await waitFor('the tokens on the dashboard', async () => {
      const p = await ann.get('/portal/');
      return /id="ai-usage"[\s\S]*?<p class="big">[1-9][\d,]* <small>tokens/.test(p.text) ? p : null;
    });
    assert.match(home.text, /Cost 0\.0\d{5} of a 5\.000000 budget \(0%\)/);
  });

  test('budgets per day, and per team for JWT callers: each team spends its own', async () => {
    s.psql("INSERT INTO ai_prices VALUES ('echo-small', 2000000, 8000000) ON CONFLICT (model) DO NOTHING");
    // JWT callers from the tenant's identity provider, teams in the "org" claim.
    const { publicKey, privateKey } = keyPair('rsa', { modulusLength: 2048 });
    const ISS = 'https://login.cachey.test/';
    await manage('PUT', '/jwt/issuers', { issuer: ISS, static_keys: publicKey.export({ type: 'spki', format: 'pem' }), team_claim: 'org' });
    const b64u = (x) => Buffer.from(x).toString('base64url');
    const jwt = (org) => {
      const input = `${b64u(JSON.stringify({ alg: 'RS256', typ: 'JWT' }))}.${b64u(JSON.stringify({ iss: ISS, sub: `user-${org}`, org, exp: Math.floor(Date.now() / 1000) + 600 }))}`;
      return `${input}.${b64u(crypto.sign('sha256', Buffer.from(input), privateKey))}`;
    };
    const ask = (token, content) => fetch(`${s.url}/v1/chat/completions`, {
      method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content }] }),
    });
    await waitFor('the issuer at the gate', async () => (await ask(jwt('red'), 'hello')).status === 200);
    const spent = (team) => Number(s.psql(`SELECT coalesce(sum(cost_micros), 0) FROM ai_team_spend WHERE team = '${team}'`));
    await waitFor('red\'s spending kept', () => spent('red') > 0);
    // Each team may spend what red has spent so far this month: red is over, blue is not.
    await manage('PATCH', '/ai', { team_budget_micros: spent('red') });
    const red = await ask(jwt('red'), 'more');
    assert.equal(red.status, 402);
    assert.match((await red.json()).detail, /team/);
    const blue = await ask(jwt('blue'), 'first');
    assert.equal(blue.status, 200, 'another team\'s budget is its own');
    await waitFor('blue\'s spending kept', () => spent('blue') > 0);
    await manage('PATCH', '/ai', { team_budget_micros: null, team_budget_day_micros: 1 });
    assert.equal((await ask(jwt('blue'), 'today')).status, 402, 'the team\'s day budget');
    await manage('PATCH', '/ai', { team_budget_day_micros: null });
    assert.equal((await ask(jwt('red'), 'again')).status, 200);
    // A day budget for each key: spent by what the key spent today.
    await manage('PATCH', '/ai', { key_budget_day_micros: 0 });
    const r = await chat({ model: 'chat', messages: [{ role: 'user', content: 'day' }] });
    assert.equal(r.status, 402);
    await manage('PATCH', '/ai', { key_budget_day_micros: null });
  });
});

