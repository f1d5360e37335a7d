// The README's quickstart must work as written: every line of its quickstart block runs
// here in bash against a real stack, and each curl line's "# → NNN" status is checked.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { ROOT, startStack, waitFor, get } from './harness.mjs';

const execFileP = promisify(execFile);

function quickstart() {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const m = readme.match(/<!-- quickstart -->\s*```sh\n([\s\S]*?)```\s*<!-- \/quickstart -->/);
  assert.ok(m, 'README.md has no quickstart block');
  return m[1].split('\n');
}

let s;
before(async () => {
  s = await startStack();
  s.tenant('demo');
});
after(async () => { await s?.stop(); });

test('every command of the README quickstart works as documented', async () => {
  const key = s.key('demo');
  await waitFor('the demo key', async () => (await get(`${s.url}/hello`, { 'X-Api-Key': key })).status === 200);
  const lines = quickstart();
  const curls = lines.filter((l) => /^curl .*# → \d{3}/.test(l));
  assert.ok(curls.length >= 6, `expected at least 6 checked curl lines, found ${curls.length}`);

  // What `make run` would have provided: its ports, its CA, its env, its demo key.
  let waiting = false;
  const script = [
    'set -euo pipefail',
    'expect() { want=$1; shift; got=$("$@" -s -o /dev/null -w "%{http_code}"); ' +
      'if [ "$got" != "$want" ]; then echo "FAILED ($got, wanted $want): $*" >&2; exit 1; fi; echo "ok $want: $*"; }',
    // After a "sleep N" (waiting for a change to reach the gate), the next check may retry
    // for a while: the test waits on the observable answer, not on the clock.
    'eventually() { want=$1; shift; for _ in $(seq 100); do got=$("$@" -s -o /dev/null -w "%{http_code}"); ' +
      '[ "$got" = "$want" ] && { echo "ok $want: $*"; return; }; sleep 0.2; done; ' +
      'echo "FAILED ($got, wanted $want): $*" >&2; exit 1; }',
    `export PATH=${path.join(ROOT, 'build')}:$PATH`,
    ...lines.map((l) => {
      let line = l
        .replace(/^export KEY=.*$/, `export KEY=${key}`)
        .replace(/^\. var\/env.*$/, ':')
        .replaceAll('localhost:8080', `localhost:${s.httpPort}`)
        .replaceAll('localhost:8081', `localhost:${s.consolePort}`)
        .replaceAll('localhost:8082', `localhost:${s.internalPort}`)
        .replaceAll('localhost:8443', `localhost:${s.httpsPort}`)
        .replaceAll('127.0.0.1:9080', `127.0.0.1:${s.upstream.port}`)
        .replaceAll('var/caddy/', `${s.caddyStorage}/`);
      if (/^sleep \d/.test(line)) {
        waiting = true;
        return ':';
      }
      const want = line.match(/^curl .*# → (\d{3})/);
      if (want) {
        line = `${waiting ? 'eventually' : 'expect'} ${want[1]} ${line.replace(/\s+# →.*$/, '')}`;
        waiting = false;
      } else if (/^tollgate usage/.test(line) && waiting) {
        waiting = false;
      }
      return line;
    }),
  ].join('\n');

  const env = { ...s.env };
  let out;
  try {
    out = await execFileP('bash', ['-c', script], { env, cwd: ROOT });
  } catch (e) {
    assert.fail(`quickstart failed:\n${e.stdout}\n${e.stderr}\n${s.logs()}`);
  }
  const checked = out.stdout.split('\n').filter((l) => l.startsWith('ok '));
  assert.equal(checked.length, curls.length, out.stdout + out.stderr);
});
