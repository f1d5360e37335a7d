// No key or token is written anywhere, and none reaches an upstream: a fault suite (dead
// upstream, slow upstream, restarts of every kind, every spelling of the credentials)
// runs, then every file under the stack's folder and every captured output is searched for
// every key and token used.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileIncludes, get, startStack, waitFor } from './harness.mjs';

function* files(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (e.isFile()) yield p;
  }
}

describe('secrets stay secret', () => {
  let s;
  const secrets = []; // every key and token handed out
  const outputs = []; // every CLI output captured (not files)
  let live;
  let dead;
  let token;
  before(async () => {
    // Every log at its most verbose: the worst case for a leak.
    s = await startStack({ env: { TOLLGATE_UPSTREAM_TIMEOUT: '1s', TOLLGATE_LOG_LEVEL: 'debug', TOLLGATE_CADDY_LOG_LEVEL: 'DEBUG' } });
    s.tenant('leaky');
    s.mustCli('tenant', 'create', 'deadend', '--plan', 'scale', '--upstream', 'http://127.0.0.1:1');
    live = s.key('leaky');
    dead = s.key('deadend');
    token = s.mustCli('token', 'create', 'leaky').trim();
    secrets.push(live, dead, token);
    await waitFor('the keys', async () => (await get(`${s.url}/v1/x`, { 'X-Api-Key': live })).status === 200 &&
      (await get(`${s.url}/v1/x`, { 'X-Api-Key': dead })).status === 502);
  });
  after(async () => { await s?.stop(); });

  test('every spelling of the credentials: accepted, and never passed to the upstream', async () => {
    const spellings = [
      { Authorization: `Bearer ${live}` },
      { Authorization: `bearer ${live}` },
      { Authorization: `BEARER ${live}` },
      { Authorization: `bEaReR ${live}` },
      { Authorization: `Bearer  ${live}` },
      { 'X-Api-Key': live },
      { 'X-API-KEY': live },
      { 'x-api-key': live },
      // Another scheme that carries the key: the key (in X-Api-Key) decides, and the
      // Authorization header, which holds it too, must not be passed on.
      { Authorization: `Token ${live}`, 'X-Api-Key': live },
      { Authorization: `Basic ${live}`, 'X-Api-Key': live },
    ];
    const before_ = s.upstream.calls.length;
    for (const h of spellings) {
      const r = await get(`${s.url}/v1/spelled`, h);
      assert.equal(r.status, 200, `${JSON.stringify(Object.keys(h))}: ${r.text}`);
    }
    // Spoofing the underscore spelling is stripped before the gate (it would be HTTP_X_API_KEY).
    const underscore = await get(`${s.url}/v1/spelled`, { X_Api_Key: live });
    assert.equal(underscore.status, 401);
    const calls = s.upstream.calls.slice(before_);
    assert.equal(calls.length, spellings.length);
    for (const c of calls) {
      const raw = c.rawHeaders.join('\n');
      for (const secret of secrets) assert.ok(!raw.includes(secret), `the upstream received a credential: ${raw}`);
      assert.ok(!/tg_live_|tg_test_|tgm_/.test(raw), raw);
    }
  });

  test('faults, restarts and the management API leave no credential in any file', async () => {
    // A dead upstream (Caddy logs the failed request), a slow one (504), bad credentials.
    for (let i = 0; i < 5; i++) {
      assert.equal((await get(`${s.url}/v1/dead`, { 'X-Api-Key': dead })).status, 502);
      assert.equal((await get(`${s.url}/v1/dead`, { Authorization: `bearer ${dead}` })).status, 502);
    }
    const slow = await get(`${s.url}/hold/secrets-slow`, { 'X-Api-Key': live });
    s.upstream.release('secrets-slow');
    assert.equal(slow.status, 504);
    const wrong = `${live.slice(0, -3)}xyz`;
    secrets.push(wrong);
    assert.equal((await get(`${s.url}/v1/x`, { 'X-Api-Key': wrong })).status, 401);
    // The management API: a good token, a bad one, a gateway key where a token goes.
    const badToken = `${token.slice(0, -3)}abc`;
    secrets.push(badToken);
    assert.equal((await get(`${s.console}/api/v1/usage`, { Authorization: `Bearer ${token}` })).status, 200);
    assert.equal((await get(`${s.console}/api/v1/usage`, { Authorization: `Bearer ${badToken}` })).status, 401);
    assert.equal((await get(`${s.console}/api/v1/usage`, { Authorization: `Bearer ${live}` })).status, 401);
    // Restarts under traffic: reload, upgrade, the master killed outright.
    let stop = false;
    const traffic = (async () => {
      while (!stop) {
        await get(`${s.url}/v1/during`, { 'X-Api-Key': live });
        await get(`${s.url}/v1/during`, { Authorization: `Bearer ${dead}` });
      }
    })();
    process.kill(s.keeperPid(), 'SIGHUP');
    await sleep(500);
    const m = s.master();
    process.kill(s.keeperPid(), 'SIGUSR2');
    await waitFor('a new master', () => s.master() && s.master().pid !== m.pid && s.workers().length > 0);
    const m2 = s.master();
    process.kill(m2.pid, 'SIGKILL');
    await waitFor('another master', () => s.master() && s.master().pid !== m2.pid && s.workers().length > 0);
    await sleep(500);
    stop = true;
    await traffic;
    // The CLI too: check prints the configuration, DATABASE_URL with a password included.
    const check = s.cli('check', { env: { TOLLGATE_DATABASE_URL: `${s.env.TOLLGATE_DATABASE_URL} password=hunter2-secret` } });
    outputs.push(check.stdout, check.stderr);
    assert.match(check.stdout, /password=\*\*\*/);
    secrets.push('hunter2-secret');
    outputs.push(s.cli('key', 'list', 'leaky').stdout, s.cli('token', 'list', 'leaky').stdout);

    // Stop everything so every log is complete, then search.
    await s.stopServe();
    const hits = [];
    let searched = 0;
    // The search itself finds what is there: something every log holds, and a needle
    // across two of its pieces in a sparse file larger than one string can hold.
    const log = path.join(s.dir, 'tollgate.log');
    const line = fs.readFileSync(log, 'latin1').split('\n').at(-2);
    assert.ok(line.length > 20, line);
    assert.deepEqual(fileIncludes(log, [line, 'no-such-text']), [line]);
    const big = path.join(s.dir, 'sparse-probe.bin');
    const fd = fs.openSync(big, 'w');
    fs.writeSync(fd, Buffer.from('needle-across'), 0, 13, (8 << 20) - 6);
    fs.writeSync(fd, Buffer.from('needle-at-end'), 0, 13, 600 << 20);
    fs.closeSync(fd);
    assert.deepEqual(fileIncludes(big, ['needle-across', 'needle-at-end', 'absent']), ['needle-across', 'needle-at-end']);
    fs.unlinkSync(big);
    for (const f of files(s.dir)) {
      searched++;
      for (const secret of fileIncludes(f, secrets)) hits.push(`${path.relative(s.dir, f)}: ${secret.slice(0, 12)}...`);
    }
    outputs.forEach((o, i) => {
      for (const secret of secrets) if (o.includes(secret)) hits.push(`CLI output ${i}: ${secret.slice(0, 12)}...`);
    });
    assert.ok(searched >= 4, `searched ${searched} files`);
    assert.deepEqual(hits, [], 'no credential may be written anywhere');
    // The logs did record the faults (so the search looked at real logs).
    const caddyLog = fs.readFileSync(path.join(s.dir, 'caddy.log'), 'utf8');
    assert.match(caddyLog, /connection refused|dial tcp/);
  });
});
