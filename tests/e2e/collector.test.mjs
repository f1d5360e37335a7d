// The collector: Caddy's access log joined to the gate's decisions, post-response facts in
// the usage tables, and hostile log lines counted and skipped without harm.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { get, startStack, waitFor } from './harness.mjs';

const metric = async (s, name) => {
  const text = (await get(`${s.internal}/metrics`)).text;
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.split(' ').pop()) : NaN;
};

const row = (s, keyId) => {
  const [requests, s2, s4, s5, latency, bytes, tokens, cost] = s.psql(
    `SELECT coalesce(sum(requests),0), coalesce(sum(status_2xx),0), coalesce(sum(status_4xx),0), coalesce(sum(status_5xx),0),
            coalesce(sum(latency_ms),0), coalesce(sum(bytes_out),0), coalesce(sum(tokens),0), coalesce(sum(cost_micros),0)
       FROM usage_monthly WHERE key_id = ${keyId}`).split('|').map(Number);
  return { requests, s2, s4, s5, latency, bytes, tokens, cost };
};

describe('collector', () => {
  let s;
  let key;
  let keyId;
  before(async () => {
    s = await startStack({ env: { TOLLGATE_FLUSH_INTERVAL: '200ms' } });
    s.tenant('collect');
    // Limits wide open: the kill test sends as fast as this machine answers, and is about
    // the collector, not rate limits (a fast machine passed the Scale plan's 100/s).
    s.mustCli('tenant', 'set', 'collect', '--key-rps', '100000', '--key-burst', '100000', '--key-rpm', '10000000',
      '--rps', '100000', '--burst', '100000', '--rpm', '10000000');
    key = s.key('collect');
    keyId = s.keyId(key);
    await waitFor('the key', async () => (await get(`${s.url}/v1/warm`, { 'X-Api-Key': key })).status === 200);
  });
  after(async () => { await s?.stop(); });

  test('status classes, bytes, latency and upstream usage (header or trailer) reach the usage tables', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await get(`${s.url}/usage/7`, { 'X-Api-Key': key })).status, 200);
    for (let i = 0; i < 2; i++) assert.equal((await get(`${s.url}/usage-trailer/11`, { 'X-Api-Key': key })).status, 200);
    assert.equal((await get(`${s.url}/status/503`, { 'X-Api-Key': key })).status, 503);
    assert.equal((await get(`${s.url}/status/404`, { 'X-Api-Key': key })).status, 404);
    // 1 warm-up + 7 here: 6 x 2xx, one 4xx, one 5xx; tokens 3*7 + 2*11; cost 5 * 250 micros.
    const want = { requests: 8, s2: 6, s4: 1, s5: 1, tokens: 43, cost: 1250 };
    await waitFor('the access-log facts in PostgreSQL', () => {
      const r = row(s, keyId);
      return Object.entries(want).every(([k, v]) => r[k] === v);
    }, { timeout: 30000 }).catch((e) => { throw new Error(`${e.message}: ${JSON.stringify(row(s, keyId))}`); });
    const r = row(s, keyId);
    assert.ok(r.bytes > 8 * 100, `bytes_out ${r.bytes}`);
    assert.ok(r.latency >= 0);
    assert.equal(await metric(s, 'tollgate_access_log_unmatched_total'), 0);
  });

  test('malformed and hostile log lines are counted and skipped; the collector keeps working', async () => {
    const collector = s.child('tg-collector');
    const before_ = await metric(s, 'tollgate_access_log_malformed_total');
    const hostile = [
      'not json at all',
      '{"status": 200}',
      '{"status": "200", "resp_headers": {"X-Request-Id": ["x"]}}',
      '{"status": 200, "resp_headers": {"X-Request-Id": ["../../../etc/passwd"]}}',
      '['.repeat(5000) + ']'.repeat(5000),
      '{"a":'.repeat(100) + '1' + '}'.repeat(100),
      'x'.repeat(200 * 1024), // longer than any real entry
      '\u0000\u0001\u00ff{}',
      '{"status": 99999999999999999999999, "resp_headers": {"X-Request-Id": [1, 2]}}',
    ];
    // Written into the access log as if Caddy had (one write, as Caddy's are).
    fs.appendFileSync(s.env.TOLLGATE_ACCESS_LOG, hostile.join('\n') + '\n');
    await waitFor('the malformed lines to be counted', async () =>
      (await metric(s, 'tollgate_access_log_malformed_total')) >= before_ + hostile.length, { timeout: 30000 })
      .catch(async (e) => { throw new Error(`${e.message}: ${await metric(s, 'tollgate_access_log_malformed_total')} vs ${before_}`); });
    assert.equal(s.child('tg-collector')?.pid, collector.pid, 'the collector must survive hostile input');
    const base = row(s, keyId).s2;
    assert.equal((await get(`${s.url}/v1/after`, { 'X-Api-Key': key })).status, 200);
    await waitFor('a real entry after the hostile ones', () => row(s, keyId).s2 === base + 1, { timeout: 30000 });
  });

  test('killing the collector (-9) under traffic loses no access-log line and counts none twice', async () => {
    const base = row(s, keyId);
    let sent = 0;
    let stop = false;
    const traffic = (async () => {
      while (!stop) {
        const r = await get(`${s.url}/usage/2`, { 'X-Api-Key': key });
        assert.equal(r.status, 200, r.text);
        sent++;
      }
    })();
    for (let i = 0; i < 3; i++) {
      const before_ = sent;
      await waitFor('some traffic', () => sent >= before_ + 20, { timeout: 30000 });
      const c = s.child('tg-collector');
      process.kill(c.pid, 'SIGKILL');
      await waitFor('a new collector', () => s.child('tg-collector')?.pid > 0 && s.child('tg-collector').pid !== c.pid, { timeout: 30000 });
    }
    stop = true;
    await traffic;
    await waitFor('every line applied once', () => {
      const r = row(s, keyId);
      return r.requests === base.requests + sent && r.s2 === base.s2 + sent && r.tokens === base.tokens + 2 * sent;
    }, { timeout: 30000 }).catch((e) => { throw new Error(`${e.message}: sent ${sent}, ${JSON.stringify(base)} -> ${JSON.stringify(row(s, keyId))}`); });
  });

  test('/metrics is valid Prometheus text and counts decisions', async () => {
    const r = await get(`${s.internal}/metrics`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/plain; version=0.0.4/);
    assert.ok((await metric(s, 'tollgate_gate_decisions_total')) > 0);
    assert.match(r.text, /^tollgate_gate_decisions_total\{outcome="allowed"\} \d+$/m);
    const { execFile } = await import('node:child_process');
    const out = await new Promise((resolve) => {
      const p = execFile('promtool', ['check', 'metrics'], (err, stdout, stderr) => resolve({ err, stdout, stderr }));
      p.stdin.end(r.text);
    });
    assert.equal(out.err, null, `promtool: ${out.stdout}${out.stderr}`);
  });
});

describe('flushing around a bad record', () => {
  let s;
  after(async () => { await s?.stop(); });

  test('a record PostgreSQL refuses is skipped and logged; the rest of its batch is stored', async () => {
    s = await startStack({ env: { TOLLGATE_FLUSH_INTERVAL: '200ms' } });
    s.tenant('flushy');
    const good = s.key('flushy');
    const bad = s.key('flushy');
    const [goodId, badId] = [s.keyId(good), s.keyId(bad)];
    // Whatever would make one record fail (here, a constraint a test adds) must not hold
    // up the others: they are flushed in the same batch.
    s.psql(`ALTER TABLE usage_hourly ADD CONSTRAINT test_refuses_one_key CHECK (key_id <> ${badId}) NOT VALID`);
    await waitFor('the keys', async () => (await get(`${s.url}/v1/x`, { 'X-Api-Key': good })).status === 200 &&
      (await get(`${s.url}/v1/x`, { 'X-Api-Key': bad })).status === 200);
    for (let i = 0; i < 5; i++) {
      assert.equal((await get(`${s.url}/v1/x`, { 'X-Api-Key': good })).status, 200);
      assert.equal((await get(`${s.url}/v1/x`, { 'X-Api-Key': bad })).status, 200);
    }
    await waitFor('the good key\'s usage', () => row(s, goodId).requests >= 6);
    await waitFor('the skip counted', async () => (await metric(s, 'tollgate_flush_skipped_total')) >= 1);
    assert.equal(row(s, badId).requests, 0);
    assert.equal(await metric(s, 'tollgate_flush_up'), 1, 'flushing goes on');
    const log = fs.readFileSync(`${s.dir}/tollgate.log`, 'utf8');
    assert.match(log, new RegExp(`usage of key ${badId} at hour \\d+ cannot be stored \\(23514`));
    // And it keeps going for new requests.
    assert.equal((await get(`${s.url}/v1/x`, { 'X-Api-Key': good })).status, 200);
    await waitFor('a later request stored', () => row(s, goodId).requests >= 7);
  });
});
