// docs/ai-routes.md must work as written: its quickstart block runs here in bash, line by
// line, against a real stack whose demo tenant is set up exactly as `make run` sets it up
// (the very functions and price lines of scripts/run.sh, run against this stack and a fake
// provider), and each curl line's "# → NNN" status is checked. Its Node SDK snippet runs
// too, with the openai and @anthropic-ai/sdk clients, at the base URLs it names.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { startFake } from '../fakes/llm.mjs';
import { ROOT, startStack, waitFor } from './harness.mjs';

const execFileP = promisify(execFile);
const DOC = fs.readFileSync(path.join(ROOT, 'docs/ai-routes.md'), 'utf8');
const RUN_SH = fs.readFileSync(path.join(ROOT, 'scripts/run.sh'), 'utf8');

function quickstart() {
  const m = DOC.match(/<!-- quickstart -->\s*```sh\n([\s\S]*?)```\s*<!-- \/quickstart -->/);
  assert.ok(m, 'docs/ai-routes.md has no quickstart block');
  return m[1].split('\n');
}

// What scripts/run.sh does to set up the demo tenant's AI routes, taken from it: the
// provider key the fake wants, the price lines, and its manage() and ai_setup() functions.
function runShSetup() {
  const key = RUN_SH.match(/^DEMO_LLM_KEY=(\S+)$/m);
  const fns = ['manage', 'ai_setup'].map((f) => RUN_SH.match(new RegExp(`^${f}\\(\\) \\{\\n[\\s\\S]*?^\\}\\n`, 'm')));
  const prices = RUN_SH.match(/^tollgate ai price set .*$/gm);
  assert.ok(key && fns.every(Boolean) && prices?.length >= 3, 'scripts/run.sh no longer sets up the demo\'s AI routes as this test expects');
  return { providerKey: key[1], functions: fns.map((m) => m[0]).join(''), prices };
}

// The doc's lines as they run here: this stack's ports, key and token.
const localise = (s, line, { key, token }) => line
  .replace(/^export KEY=.*$/, `export KEY=${key}`)
  .replace(/^\. var\/env.*$/, ':')
  .replace(/^TOKEN=\$\(cat var\/demo-token\).*$/, `TOKEN=${token}`)
  .replaceAll('localhost:8080', `localhost:${s.httpPort}`)
  .replaceAll('localhost:8081', `localhost:${s.consolePort}`)
  .replaceAll('localhost:8082', `localhost:${s.internalPort}`)
  .replaceAll('localhost:8443', `localhost:${s.httpsPort}`);

describe('docs/ai-routes.md', () => {
  let s, fake, key, token;
  // The doc's lines take the key from $KEY (the quickstart exports it; the others get it here).
  const bash = (script) => execFileP('bash', ['-c', script], {
    env: { ...s.env, KEY: key, PATH: `${path.join(ROOT, 'build')}:${process.env.PATH}` }, cwd: ROOT,
  });

  before(async () => {
    const setup = runShSetup();
    fake = await startFake({ apiKey: setup.providerKey });
    s = await startStack();
    // The demo tenant and its key, as `make run` makes them (on the Scale plan here, so that
    // running the whole block at machine speed is not rate-limited).
    s.tenant('demo');
    key = s.key('demo', '--name', 'make run demo');
    token = s.mustCli('token', 'create', 'demo', '--name', 'make run').trim();
    fs.mkdirSync(path.join(s.dir, 'run'), { recursive: true });
    try {
      await bash([
        'set -euo pipefail',
        `VAR=${s.dir}`,
        `CONSOLE=http://localhost:${s.consolePort}`,
        `TOKEN=${token}`,
        `DEMO_LLM_PORT=${fake.port}`,
        `DEMO_LLM_KEY=${setup.providerKey}`,
        ...setup.prices,
        setup.functions,
        'ai_setup',
      ].join('\n'));
    } catch (e) {
      assert.fail(`the demo's AI setup (scripts/run.sh) failed:\n${e.stdout}\n${e.stderr}\n${s.logs()}`);
    }
    // As run.sh does: wait for the prefix to reach the gate.
    await waitFor('the AI prefix to reach the gate', async () => {
      const r = await fetch(`${s.url}/v1/models`, { headers: { Authorization: `Bearer ${key}` } });
      return r.status === 200 && (await r.json()).object === 'list';
    });
  });
  after(async () => {
    await s?.stop();
    await fake?.close();
  });

  test('every command of the quickstart works as documented', async () => {
    const lines = quickstart();
    const curls = lines.filter((l) => /^curl .*# → \d{3}/.test(l));
    assert.ok(curls.length >= 10, `expected at least 10 checked curl lines, found ${curls.length}`);
    for (const want of ['/v1/chat/completions', '/v1/messages', '/v1/embeddings', '/v1/models']) {
      assert.ok(curls.some((l) => l.includes(`localhost:8080${want}`) && l.includes('$KEY')), `a checked curl to ${want}`);
    }
    assert.ok(curls.some((l) => /^curl -N .*"stream":true.*# → 200/.test(l)), 'a streamed curl');
    assert.ok(curls.some((l) => /# → 404/.test(l)), 'an unknown model');

    const script = [
      'set -euo pipefail',
      'expect() { want=$1; shift; got=$("$@" -s -o /dev/null -w "%{http_code}"); ' +
        'if [ "$got" != "$want" ]; then echo "FAILED ($got, wanted $want): $*" >&2; exit 1; fi; echo "ok $want: $*"; }',
      ...lines.map((l) => {
        const line = localise(s, l, { key, token });
        const want = line.match(/^curl .*# → (\d{3})/);
        return want ? `expect ${want[1]} ${line.replace(/\s+# →.*$/, '')}` : line;
      }),
    ].join('\n');
    let out;
    try {
      out = await bash(script);
    } catch (e) {
      assert.fail(`quickstart failed:\n${e.stdout}\n${e.stderr}\n${s.logs()}`);
    }
    const checked = out.stdout.split('\n').filter((l) => l.startsWith('ok '));
    assert.equal(checked.length, curls.length, out.stdout + out.stderr);
    // The CLI lines ran too: the demo's providers and aliases, and the prices run.sh set.
    assert.match(out.stdout, /^local\s+openai\s+sealed\s+http:\/\/127\.0\.0\.1:\d+\/v1$/m);
    assert.match(out.stdout, /^resilient\s+local\/fail429-demo, local\/echo-large$/m);
    assert.match(out.stdout, /^echo-small\s+1000000\s+2000000\s/m);
    assert.ok(!out.stdout.includes(runShSetup().providerKey), 'the provider\'s key is never shown');
  });

  test('what the quickstart says the answers carry, they carry', async () => {
    const line = (re) => localise(s, quickstart().find((l) => re.test(l)), { key, token }).replace(/\s+# →.*$/, '');
    const plain = (await bash(`${line(/"model":"chat","messages"/)} -s`)).stdout;
    assert.match(plain, /^x-tollgate-ai-provider: local\r$/im);
    assert.match(plain, /^x-tollgate-ai-model: echo-small\r$/im);
    assert.match(plain, /^x-tollgate-ai-cost: \d+\.\d{6}\r$/im);
    assert.match(plain, /"content":"echo: Hello"/);
    const stream = (await bash(`${line(/^curl -N /)} -s`)).stdout;
    assert.match(stream, /^data: \[DONE\]$/m);
    assert.match(stream, /^: tollgate tokens=\d+ cost=\d+\.\d{6}$/m, 'the final SSE comment');
    const resilient = (await bash(`${line(/"model":"resilient"/)} -s`)).stdout;
    assert.match(resilient, /^x-tollgate-ai-attempts: [12]\r$/im, 'the 429 target fell over (or is cooling down)');
    assert.match(resilient, /^x-tollgate-ai-model: echo-large\r$/im);
    const claude = (await bash(`${line(/\/v1\/messages/)} -s`)).stdout;
    assert.match(claude, /^x-tollgate-ai-provider: local-anthropic\r$/im);
    assert.match(claude, /"text":"echo: Hello, Claude"/);
  });

  test('the SDK snippets point at the gateway\'s routes, and the Node one runs', async () => {
    const js = DOC.match(/```js\n([\s\S]*?)```/);
    const py = DOC.match(/```python\n([\s\S]*?)```/);
    assert.ok(js && py, 'a Node and a Python snippet');
    const openaiBase = js[1].match(/new OpenAI\(\{ baseURL: '([^']+)'/)[1];
    const anthropicBase = js[1].match(/new Anthropic\(\{ baseURL: '([^']+)'/)[1];
    assert.equal(py[1].match(/base_url="([^"]+)"/)[1], openaiBase, 'the Python and Node snippets agree');
    // The demo's prefix (run.sh's PATCH) is where OpenAI's paths go; Anthropic's SDK adds /v1/messages.
    const prefix = JSON.parse(RUN_SH.match(/manage PATCH \/ai '([^']+)'/)[1]).prefix;
    assert.equal(openaiBase, `http://localhost:8080${prefix}`);
    assert.equal(`${anthropicBase}/v1/messages`, `${openaiBase}/messages`);

    // The snippet itself, with this stack's port, as a module in the repository (so that it
    // finds node_modules).
    const file = path.join(ROOT, 'build', `ai-docs-snippet-${process.pid}.mjs`);
    fs.writeFileSync(file, js[1].replaceAll('localhost:8080', `127.0.0.1:${s.httpPort}`));
    let out;
    try {
      out = await execFileP(process.execPath, [file], { env: { ...process.env, KEY: key }, cwd: ROOT });
    } catch (e) {
      assert.fail(`the Node snippet failed:\n${e.stdout}\n${e.stderr}\n${s.logs()}`);
    } finally {
      fs.rmSync(file, { force: true });
    }
    assert.deepEqual(out.stdout.trim().split('\n'), ['echo: Hello from Node', 'echo: Hello from Node']);
    assert.ok(fake.requests.some((r) => r.provider === 'anthropic' && r.body?.model === 'echo-small'), 'the Anthropic call reached the Anthropic-kind provider');
  });
});
