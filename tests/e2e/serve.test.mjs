// `tollgate serve` as an operator runs it: --help starts nothing, a second serve on the same
// shared memory refuses to start, a reload and a binary upgrade refuse no request, the
// sockets can come from systemd's socket activation, and a full table is loud.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { get, startStack, waitFor } from './harness.mjs';

// Requests to the gateway at a steady pace until stopped; counts the statuses.
function load(url, key, perSecond = 100) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const seen = { sent: 0, statuses: {} };
  let stop = false;
  const one = () => new Promise((resolve) => {
    http.get(url, { agent, headers: { 'X-Api-Key': key } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    }).on('error', () => resolve(0));
  });
  const loops = Array.from({ length: 4 }, async () => {
    while (!stop) {
      const st = await one();
      seen.sent++;
      seen.statuses[st] = (seen.statuses[st] || 0) + 1;
      await sleep(4000 / perSecond);
    }
  });
  return {
    seen,
    stop: async () => { stop = true; await Promise.all(loops); agent.destroy(); return seen; },
  };
}

const openKeys = (s, slug) => s.mustCli('tenant', 'set', slug, '--key-rps', '100000', '--key-burst', '100000',
  '--rps', '100000', '--burst', '100000');

describe('tollgate serve, operated', () => {
  let s;
  let key;
  let bin;
  const cfgFile = path.join(os.tmpdir(), `tollgate-serve-test-${process.pid}.env`);
  before(async () => {
    fs.writeFileSync(cfgFile, '');
    // The keeper runs its own copy of the program, which the upgrade test replaces.
    s = await startStack({
      workers: 2,
      env: { TOLLGATE_CONFIG_FILE: cfgFile },
      launch: (st) => {
        bin = path.join(st.dir, 'tollgate');
        fs.copyFileSync(st.bin, bin);
        fs.chmodSync(bin, 0o755);
        return [bin, ['serve']];
      },
    });
    s.tenant('ops');
    openKeys(s, 'ops');
    key = s.key('ops');
    await waitFor('the key', async () => (await get(`${s.url}/v1/x`, { 'X-Api-Key': key })).status === 200, { timeout: 30000 });
  });
  after(async () => {
    await s?.stop();
    fs.rmSync(cfgFile, { force: true });
  });

  test('--help prints help and starts nothing, for serve and every other command', async () => {
    const master = s.master().pid;
    for (const args of [['serve', '--help'], ['serve', '-h'], ['key', 'create', '--help'], ['tenant', '--help'], ['migrate', '--help']]) {
      const r = s.cli(...args);
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stdout, /usage: tollgate/, args.join(' '));
    }
    assert.match(s.cli('serve', '--help').stdout, /SIGUSR2/);
    assert.ok(fs.existsSync(s.env.TOLLGATE_SOCKET), 'the running server\'s socket is still there');
    assert.equal(s.master().pid, master);
    assert.equal((await get(`${s.url}/v1/x`, { 'X-Api-Key': key })).status, 200);
  });

  test('a second serve on the same shared memory refuses to start and changes nothing', async () => {
    const r = spawnSync(s.bin, ['serve'], { env: s.env, encoding: 'utf8', timeout: 20000 });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, new RegExp(`another \`tollgate serve\` \\(pid ${s.keeperPid()}\\)`));
    assert.ok(fs.existsSync(s.env.TOLLGATE_SOCKET));
    assert.equal((await get(`${s.url}/v1/x`, { 'X-Api-Key': key })).status, 200);
  });

  test('SIGHUP with more workers, under load: every request answered 200, the new pool in place', async () => {
    const old = s.workers().map((w) => w.pid);
    const l = load(`${s.url}/v1/reload`, key);
    await sleep(300);
    fs.writeFileSync(cfgFile, 'TOLLGATE_WORKERS=3\n');
    process.kill(s.keeperPid(), 'SIGHUP'); // the keeper passes it to the master
    await waitFor('three new gate workers', () => {
      const w = s.workers().map((x) => x.pid);
      return w.length === 3 && w.every((p) => !old.includes(p));
    }, { timeout: 30000 });
    fs.writeFileSync(cfgFile, 'TOLLGATE_WORKERS=2\n');
    process.kill(s.master().pid, 'SIGHUP');
    await waitFor('two gate workers again', () => s.workers().length === 2, { timeout: 30000 });
    const seen = await l.stop();
    assert.deepEqual(Object.keys(seen.statuses), ['200'], JSON.stringify(seen));
    // A reload that changes a restart-only setting is refused, and says which.
    fs.writeFileSync(cfgFile, 'TOLLGATE_WORKERS=2\nTOLLGATE_MAX_KEYS=5000\n');
    process.kill(s.master().pid, 'SIGHUP');
    await waitFor('the refusal', () => /reload refused: TOLLGATE_MAX_KEYS changed/.test(
      fs.readFileSync(path.join(s.dir, 'tollgate.log'), 'utf8')), { timeout: 30000 });
    fs.writeFileSync(cfgFile, '');
  });

  test('a binary replaced in place takes over on SIGUSR2 without refusing a request', async () => {
    const before_ = s.master();
    const inode = (p) => fs.statSync(p).ino;
    const l = load(`${s.url}/v1/upgrade`, key);
    await sleep(500);
    // As a package manager does: a new file renamed over the old one.
    fs.copyFileSync(s.bin, `${bin}.new`);
    fs.chmodSync(`${bin}.new`, 0o755);
    fs.renameSync(`${bin}.new`, bin);
    process.kill(s.keeperPid(), 'SIGUSR2');
    const after_ = await waitFor('a new master', () => {
      const m = s.master();
      return m && m.pid !== before_.pid && s.workers().length === 2 && m;
    }, { timeout: 30000 });
    await sleep(500);
    const seen = await l.stop();
    assert.deepEqual(Object.keys(seen.statuses), ['200'], JSON.stringify(seen));
    assert.ok(seen.sent > 50);
    // The new master runs the new file; the keeper still runs the old one.
    assert.equal(fs.statSync(`/proc/${after_.pid}/exe`).ino, inode(bin));
    assert.match(fs.readlinkSync(`/proc/${s.keeperPid()}/exe`), /\(deleted\)$/);
  });

  test('the master killed outright is replaced by the keeper; usage is not lost', async () => {
    const m = s.master();
    const l = load(`${s.url}/v1/kill`, key);
    await sleep(300);
    process.kill(m.pid, 'SIGKILL');
    await waitFor('a new master', () => s.master() && s.master().pid !== m.pid && s.workers().length === 2, { timeout: 30000 });
    await sleep(300);
    const seen = await l.stop();
    assert.deepEqual(Object.keys(seen.statuses), ['200'], JSON.stringify(seen));
  });
});

describe('sockets from systemd (socket activation)', () => {
  let s;
  after(async () => { await s?.stop(); });

  test('systemd-socket-activate hands the gate and console sockets to tollgate serve', async () => {
    s = await startStack({
      launch: (st) => {
        const env = Object.keys(st.env).filter((k) => k.startsWith('TOLLGATE_') || k === 'PATH');
        return ['systemd-socket-activate', [
          '-l', st.env.TOLLGATE_SOCKET, '-l', st.env.TOLLGATE_CONSOLE_SOCKET, '--fdname=gate:console',
          ...env.map((k) => `-E${k}`), st.bin, 'serve']];
      },
    });
    s.tenant('sd');
    const key = s.key('sd');
    await waitFor('the key', async () => (await get(`${s.url}/v1/x`, { 'X-Api-Key': key })).status === 200, { timeout: 30000 });
    const log = fs.readFileSync(path.join(s.dir, 'tollgate.log'), 'utf8');
    assert.match(log, /using the sockets passed by the service manager/);
    // The keeper did not make them: they outlive it.
    await s.stopServe();
    assert.ok(fs.existsSync(s.env.TOLLGATE_SOCKET));
  });
});

describe('full tables are loud', () => {
  let s;
  after(async () => { await s?.stop(); });

  test('more keys than TOLLGATE_MAX_KEYS: a metric, a log line, and readiness names the setting', async () => {
    s = await startStack({ env: { TOLLGATE_MAX_KEYS: '16' } });
    s.tenant('many');
    for (let i = 0; i < 30; i++) s.key('many');
    await waitFor('the alarm', async () => {
      const m = (await get(`${s.internal}/metrics`)).text.match(/^tollgate_table_full_total\{table="keys"\} (\d+)$/m);
      return m && Number(m[1]) > 0;
    }, { timeout: 30000 });
    const r = await get(`${s.internal}/health/ready`);
    assert.equal(r.status, 503);
    assert.match(r.json.detail, /TOLLGATE_MAX_KEYS/);
    const pub = await get(`${s.console}/health/ready`);
    assert.equal(pub.status, 503);
    assert.doesNotMatch(pub.json.detail, /TOLLGATE_MAX_KEYS/, 'the public answer says no more than the status');
    const log = fs.readFileSync(path.join(s.dir, 'tollgate.log'), 'utf8');
    assert.equal(log.match(/table keys is full/g)?.length, 1, 'one log line per 10 s, not one per key');
  });
});
