// Where requests may go: an upstream on a loopback, private, link-local (metadata), CGNAT,
// multicast or this machine's own address is refused when it is written, and again when it
// is used (a row written behind the CLI's back, a host name resolving there) before any
// connection is made. The upstream gets its own Host, never the client's; https upstreams
// work, with their certificate checked.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { freePort, get, startStack, waitFor } from './harness.mjs';

// A TCP listener that counts connections and answers nothing: if the gateway ever dials
// it, the count says so.
async function trap(host) {
  const port = await freePort();
  let connections = 0;
  const srv = net.createServer((c) => { connections++; c.destroy(); });
  await new Promise((r) => srv.listen(port, host, r));
  return { port, count: () => connections, close: () => new Promise((r) => srv.close(r)) };
}

// An https server with a certificate for 127.0.0.5 signed by ca (or self-signed).
function certificate(dir, name, ca) {
  const key = path.join(dir, `${name}.key`);
  const crt = path.join(dir, `${name}.crt`);
  const ext = path.join(dir, `${name}.ext`);
  fs.writeFileSync(ext, 'subjectAltName=IP:127.0.0.5\nbasicConstraints=CA:FALSE\n');
  const csr = path.join(dir, `${name}.csr`);
  execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', key, '-out', csr, '-subj', `/CN=${name}`], { stdio: 'ignore' });
  if (ca) {
    execFileSync('openssl', ['x509', '-req', '-in', csr, '-CA', ca.crt, '-CAkey', ca.key, '-CAcreateserial',
      '-days', '2', '-out', crt, '-extfile', ext], { stdio: 'ignore' });
  } else {
    execFileSync('openssl', ['x509', '-req', '-in', csr, '-signkey', key, '-days', '2', '-out', crt, '-extfile', ext],
      { stdio: 'ignore' });
  }
  return { key, crt };
}

describe('SSRF: where upstream requests may go', () => {
  let s;
  let dir;
  let ca;
  const closers = [];
  before(async () => {
    dir = fs.mkdtempSync(path.join(fs.realpathSync('/tmp'), 'tollgate-ssrf-'));
    ca = { key: path.join(dir, 'ca.key'), crt: path.join(dir, 'ca.crt') };
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
      '-keyout', ca.key, '-out', ca.crt, '-days', '2', '-subj', '/CN=tollgate test CA'], { stdio: 'ignore' });
    // Only 127.0.0.5 is allowed: the harness's fake upstream (127.0.0.1) is not.
    s = await startStack({ env: { TOLLGATE_UPSTREAM_ALLOW: '127.0.0.5/32', TOLLGATE_UPSTREAM_CA: ca.crt } });
  });
  after(async () => {
    for (const c of closers) await c();
    await s?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('refused when written: metadata, loopback, private, CGNAT, multicast, hidden forms, localhost', () => {
    const cases = [
      ['http://169.254.169.254/', /link-local/],
      ['http://127.0.0.2:8080', /loopback/],
      ['http://127.0.0.1:5432', /loopback/],
      ['http://[::1]:9000', /loopback/],
      ['http://localhost:2019', /loopback/],
      ['http://0x7f.1', /neither a host name nor an address/],
      ['http://2130706433', /neither a host name nor an address/],
      ['http://127.1', /neither a host name nor an address/],
      ['http://10.0.0.1', /private/],
      ['http://192.168.1.1', /private/],
      ['http://100.64.0.1', /CGNAT/],
      ['http://224.0.0.1', /multicast/],
      ['http://[fe80::1]', /link-local/],
      ['http://0.0.0.0:80', /unspecified/],
      ['http://[::ffff:169.254.169.254]', /link-local/],
      ['http://user:pass@example.com', /user name or password/],
    ];
    for (const [url, why] of cases) {
      const r = s.cli('tenant', 'create', 'ssrf-w', '--upstream', url);
      assert.equal(r.status, 2, `${url} accepted: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, why, url);
    }
    assert.equal(s.psql("SELECT count(*) FROM tenants WHERE slug = 'ssrf-w'"), '0');
  });

  test('refused when used, before any connection: an address or a host name written behind the CLI\'s back', async () => {
    const byAddress = await trap('127.0.0.6');
    const byName = await trap('127.0.0.1');
    closers.push(byAddress.close, byName.close);
    const a = s.tenant('ssrf-addr', '--upstream', 'http://127.0.0.5:9');
    const b = s.tenant('ssrf-name', '--upstream', 'http://127.0.0.5:9');
    s.psql(`UPDATE upstreams SET url = 'http://127.0.0.6:${byAddress.port}' WHERE tenant_id = ${a.id}`);
    s.psql(`UPDATE upstreams SET url = 'http://localhost:${byName.port}' WHERE tenant_id = ${b.id}`);
    const ka = s.key('ssrf-addr');
    const kb = s.key('ssrf-name');
    for (const [key, t] of [[ka, byAddress], [kb, byName]]) {
      const r = await waitFor('the refusal', async () => {
        const x = await get(`${s.url}/latest/meta-data/`, { 'X-Api-Key': key });
        return x.status === 502 && x;
      });
      assert.match(r.json.type, /upstream-forbidden$/);
      assert.ok(!/127\.0\.0|localhost/.test(r.text), 'the client is not told where the upstream is');
      assert.equal(t.count(), 0, 'no connection was made');
    }
    const log = fs.readFileSync(path.join(s.dir, 'tollgate.log'), 'utf8');
    // localhost is 127.0.0.1 and, in Debian's default /etc/hosts, ::1 too (often first).
    assert.match(log, /tenant ssrf-name: upstream host localhost refused: (127\.0\.0\.1|::1) is a loopback address/);
  });

  test('the upstream gets its own Host (or the one configured), never the client\'s', async () => {
    const up = s.upstream; // the harness's echo upstream is on 127.0.0.1, not allowed here
    const port = await freePort();
    const { startUpstream } = await import('../fakes/upstream.mjs');
    const echo = await startUpstream({ port, host: '127.0.0.5' });
    closers.push(echo.close);
    s.tenant('hosty', '--upstream', `http://127.0.0.5:${port}`);
    s.tenant('vhost', '--upstream', `http://127.0.0.5:${port}`, '--upstream-host', 'api.internal.example');
    const k1 = s.key('hosty');
    const k2 = s.key('vhost');
    const r1 = await waitFor('hosty', async () => {
      const r = await get(`${s.url}/v1/host`, { 'X-Api-Key': k1, Host: 'localhost:2019' });
      return r.status === 200 && r;
    });
    assert.equal(r1.json.echo.headers.host, `127.0.0.5:${port}`);
    const r2 = await waitFor('vhost', async () => {
      const r = await get(`${s.url}/v1/host`, { 'X-Api-Key': k2 });
      return r.status === 200 && r;
    });
    assert.equal(r2.json.echo.headers.host, 'api.internal.example');
    for (const c of echo.calls) {
      assert.ok(!Object.keys(c.headers).some((h) => /^x-tollgate-(upstream|ratelimit)/.test(h)),
        `internal headers reached the upstream: ${Object.keys(c.headers)}`);
    }
    assert.equal(up.calls.filter((c) => c.url === '/v1/host').length, 0);
  });

  test('https upstreams work, and a certificate that does not check out is refused', async () => {
    const good = certificate(dir, 'good', ca);
    const rogue = certificate(dir, 'rogue', null);
    const serve = async (cert) => {
      const port = await freePort();
      const srv = https.createServer({ key: fs.readFileSync(cert.key), cert: fs.readFileSync(cert.crt) }, (req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ tls: true, host: req.headers.host }));
      });
      await new Promise((r) => srv.listen(port, '127.0.0.5', r));
      closers.push(() => new Promise((r) => { srv.closeAllConnections(); srv.close(r); }));
      return port;
    };
    const goodPort = await serve(good);
    const roguePort = await serve(rogue);
    s.tenant('tls-good', '--upstream', `https://127.0.0.5:${goodPort}`);
    s.tenant('tls-rogue', '--upstream', `https://127.0.0.5:${roguePort}`);
    const kg = s.key('tls-good');
    const kr = s.key('tls-rogue');
    const ok = await waitFor('the https upstream', async () => {
      const r = await get(`${s.url}/v1/tls`, { 'X-Api-Key': kg });
      return r.status === 200 && r;
    });
    assert.equal(ok.json.tls, true);
    assert.equal(ok.json.host, `127.0.0.5:${goodPort}`);
    const bad = await waitFor('the refused certificate', async () => {
      const r = await get(`${s.url}/v1/tls`, { 'X-Api-Key': kr });
      return r.status !== 401 && r;
    });
    assert.equal(bad.status, 502, bad.text);
    assert.match(bad.json.type, /bad-gateway$/);
  });
});
