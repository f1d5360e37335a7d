// The operator's command line against a real PostgreSQL: migrations, tenants, keys, check,
// plans and limits, usage reports and the test clock.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT, get, startStack, waitFor } from './harness.mjs';

describe('tollgate CLI', () => {
  let s;
  before(async () => { s = await startStack({ workers: 1 }); });
  after(async () => { await s?.stop(); });

  test('migrate is idempotent', () => {
    const r = s.cli('migrate');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /up to date/);
    const n = Number(s.psql('SELECT count(*) FROM schema_migrations'));
    assert.equal(n, fs.readdirSync(path.join(ROOT, 'migrations')).filter((f) => f.endsWith('.sql')).length);
  });

  test('migrate refuses a migration file changed after it was applied, and changes nothing', () => {
    const dir = path.join(s.dir, 'migrations-copy');
    fs.cpSync(path.join(ROOT, 'migrations'), dir, { recursive: true });
    const first = fs.readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()[0];
    fs.appendFileSync(path.join(dir, first), '\nCREATE TABLE sneaky (id int);\n');
    fs.writeFileSync(path.join(dir, '9999_later.sql'), 'CREATE TABLE later (id int);\n');
    const r = s.cli('migrate', { env: { TOLLGATE_MIGRATIONS_DIR: dir } });
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`${first} was changed after it was applied`));
    assert.equal(s.psql("SELECT count(*) FROM pg_tables WHERE tablename IN ('sneaky', 'later')"), '0');
  });

  test('a failing migration is rolled back entirely', () => {
    const dir = path.join(s.dir, 'migrations-bad');
    fs.cpSync(path.join(ROOT, 'migrations'), dir, { recursive: true });
    fs.writeFileSync(path.join(dir, '9998_broken.sql'), 'CREATE TABLE half (id int);\nSELECT no_such_function();\n');
    const r = s.cli('migrate', { env: { TOLLGATE_MIGRATIONS_DIR: dir } });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /9998_broken.sql failed and was rolled back/);
    assert.equal(s.psql("SELECT count(*) FROM pg_tables WHERE tablename = 'half'"), '0');
    assert.equal(s.psql("SELECT count(*) FROM schema_migrations WHERE version = '9998'"), '0');
  });

  test('migration 0016 rewrites 34-slot decisions and models into the 35-slot layout', () => {
    assert.equal(s.cli('tenant', 'create', 'cli-slots').status, 0);
    const id = s.psql("SELECT id FROM tenants WHERE slug = 'cli-slots'");
    const old = 'ARRAY(SELECT generate_series(1, 34))::real[]';
    const now = 'ARRAY(SELECT generate_series(101, 135))::real[]';
    for (const [ip, f] of [['127.0.0.34', old], ['127.0.0.35', now]]) {
      s.psql(`INSERT INTO abuse_decisions (id, tenant_id, ip, network, at, outcome, enforced, reason, score,
                method, route, ua_family, features)
              VALUES (gen_random_uuid(), ${id}, '${ip}', '127.0.0.0/24', now(), 'block', true, 'campaign', 1,
                'GET', '/x', 'browser', ${f})`);
    }
    s.psql(`INSERT INTO abuse_models (tenant_id, version, weights, t_flag, t_throttle, t_block)
            VALUES (${id}, 1, ${old}, 0.5, 0.8, 0.95), (${id}, 2, ${now}, 0.5, 0.8, 0.95)`);
    s.psql("DELETE FROM schema_migrations WHERE version = '0016'");
    const r = s.cli('migrate');
    assert.equal(r.status, 0, r.stderr);
    const want = (fill) => `{${[...Array.from({ length: 14 }, (_, i) => i + 1), fill, ...Array.from({ length: 20 }, (_, i) => i + 15)]}}`;
    assert.equal(s.psql(`SELECT features FROM abuse_decisions WHERE ip = '127.0.0.34'`), want(0), 'the new rule did not fire then');
    assert.equal(s.psql(`SELECT weights FROM abuse_models WHERE tenant_id = ${id} AND version = 1`), want(9), "the prior's weight for a blocking rule");
    const untouched = `{${Array.from({ length: 35 }, (_, i) => i + 101)}}`;
    assert.equal(s.psql(`SELECT features FROM abuse_decisions WHERE ip = '127.0.0.35'`), untouched);
    assert.equal(s.psql(`SELECT weights FROM abuse_models WHERE tenant_id = ${id} AND version = 2`), untouched);
  });

  test('migrate refuses badly named files', () => {
    const dir = path.join(s.dir, 'migrations-named');
    fs.cpSync(path.join(ROOT, 'migrations'), dir, { recursive: true });
    fs.writeFileSync(path.join(dir, '12_Oops.sql'), 'SELECT 1;\n');
    const r = s.cli('migrate', { env: { TOLLGATE_MIGRATIONS_DIR: dir } });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /12_Oops.sql: migration names are NNNN_lowercase_words.sql/);
  });

  test('tenant create validates its input and refuses duplicates', () => {
    assert.equal(s.cli('tenant', 'create', 'cli-one', '--plan', 'pro').status, 0);
    const dup = s.cli('tenant', 'create', 'cli-one');
    assert.equal(dup.status, 1);
    assert.match(dup.stderr, /already exists/);
    const bad = s.cli('tenant', 'create', 'Bad_Slug');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /must be 2-63 characters/);
    const plan = s.cli('tenant', 'create', 'cli-two', '--plan', 'platinum');
    assert.equal(plan.status, 1);
    assert.match(plan.stderr, /there is no such plan/);
    assert.ok(!/fkey|violates|constraint|ERROR:/.test(plan.stderr), `no SQL error: ${plan.stderr}`);
    const longName = s.cli('tenant', 'create', 'cli-two', '--name', 'x'.repeat(300));
    assert.equal(longName.status, 1);
    assert.match(longName.stderr, /a name is 1 to 200 characters/);
    const up = s.cli('tenant', 'create', 'cli-three', '--upstream', 'ftp://x');
    assert.equal(up.status, 2);
    assert.match(up.stderr, /upstream/);
    const ssrf = s.cli('tenant', 'create', 'cli-three', '--upstream', 'http://169.254.169.254');
    assert.equal(ssrf.status, 2);
    assert.match(ssrf.stderr, /169\.254\.169\.254 is a link-local address/);
    // Nothing half-made: the failed creations left no tenant behind.
    assert.equal(s.psql("SELECT count(*) FROM tenants WHERE slug IN ('cli-two', 'cli-three')"), '0');
    const list = s.cli('tenant', 'list');
    assert.match(list.stdout, /cli-one\s+pro\s+active/);
  });

  test('keys are shown once, listed by prefix only, stored only as a hash, and revocable', () => {
    s.tenant('cli-keys');
    const created = s.cli('key', 'create', 'cli-keys', '--name', 'laptop');
    assert.equal(created.status, 0, created.stderr);
    const key = created.stdout.trim();
    assert.match(key, /^tg_live_[0-9A-Za-z]{32}_[0-9A-Za-z]{6}$/);
    assert.match(created.stderr, /shown only once/);
    const test_ = s.cli('key', 'create', 'cli-keys', '--test').stdout.trim();
    assert.match(test_, /^tg_test_/);

    const list = s.cli('key', 'list', 'cli-keys').stdout;
    assert.ok(list.includes(key.slice(0, 16)), list);
    assert.ok(!list.includes(key.slice(16, 30)), 'the list must not show the secret part');
    assert.match(list, /active\s+\S+\s+laptop/);
    // The database holds no trace of the key beyond its display prefix.
    const dump = s.psql("SELECT row_to_json(k)::text FROM api_keys k");
    assert.ok(!dump.includes(key.slice(16, 40)), 'the key must not be stored');
    assert.equal(s.psql(`SELECT length(hash) FROM api_keys WHERE prefix = '${key.slice(0, 16)}'`), '32');

    const id = s.keyId(key);
    assert.equal(s.cli('key', 'revoke', id).status, 0);
    assert.match(s.cli('key', 'list', 'cli-keys').stdout, new RegExp(`^${id}\\s+\\S+\\s+revoked`, 'm'));
    assert.equal(s.cli('key', 'revoke', '999999').status, 1);
    assert.equal(s.cli('key', 'revoke', 'abc').status, 2);
    assert.equal(s.cli('key', 'create', 'no-such-tenant').status, 1);
    assert.match(s.cli('key', 'list', 'no-such-tenant').stderr, /no tenant/);
  });

  test('check reports every problem and exits non-zero; passes when all is well', () => {
    const ok = s.cli('check');
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /configuration OK/);
    assert.match(ok.stdout, /TOLLGATE_SECRET_FILE=\S+/);
    assert.ok(!ok.stdout.includes(fs.readFileSync(s.env.TOLLGATE_SECRET_FILE, 'utf8').trim()), 'the secret must never be printed');

    const bad = s.cli('check', {
      env: {
        TOLLGATE_SECRET_FILE: '', TOLLGATE_MIGRATIONS_DIR: '/nonexistent', TOLLGATE_DATABASE_URL: `host=${s.dir} dbname=nope`,
        TOLLGATE_ACCESS_LOG: '/nonexistent/access.log',
      },
    });
    assert.equal(bad.status, 1);
    assert.match(bad.stdout, /TOLLGATE_ACCESS_LOG: folder \/nonexistent does not exist/);
    assert.match(bad.stdout, /no server secret/);
    assert.match(bad.stdout, /TOLLGATE_MIGRATIONS_DIR/);
    assert.match(bad.stdout, /TOLLGATE_DATABASE_URL: cannot connect/);

    const same = s.cli('check', { env: { TOLLGATE_CONSOLE_SOCKET: s.env.TOLLGATE_SOCKET } });
    assert.equal(same.status, 2);
    assert.match(same.stderr, /TOLLGATE_SOCKET and TOLLGATE_CONSOLE_SOCKET must differ/);
    const many = s.cli('check', { env: { TOLLGATE_WORKERS: '9', TOLLGATE_MAX_WORKERS: '8' } });
    assert.equal(many.status, 2);
    assert.match(many.stderr, /TOLLGATE_WORKERS \(9\) is more than TOLLGATE_MAX_WORKERS \(8\)/);

    const invalid = s.cli('check', { env: { TOLLGATE_WORKERS: 'lots' } });
    assert.equal(invalid.status, 2);
    assert.match(invalid.stderr, /TOLLGATE_WORKERS: 'lots' is not a valid integer/);
    const secret = s.cli('check', { env: { TOLLGATE_SECRET: 'not-hex-at-all', TOLLGATE_SECRET_FILE: '' } });
    assert.equal(secret.status, 2);
    assert.ok(!secret.stderr.includes('not-hex-at-all'), 'a bad secret must not be echoed');
  });

  test('help and version', () => {
    const help = s.cli('help', 'config');
    assert.equal(help.status, 0);
    assert.match(help.stdout, /TOLLGATE_DATABASE_URL/);
    assert.match(s.cli('version').stdout, /^tollgate /);
    assert.equal(s.cli('frobnicate').status, 2);
    // Every command's help, by `help COMMAND` and by `COMMAND --help`, shows only its lines.
    for (const cmd of ['tenant', 'key', 'token', 'admin', 'list', 'model', 'plan', 'usage', 'train', 'clock', 'check']) {
      for (const args of [['help', cmd], [cmd, '--help']]) {
        const r = s.cli(...args);
        assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stdout, new RegExp(`^  ${cmd}\\b`, 'm'), args.join(' '));
        assert.ok(!/^  serve /m.test(r.stdout), `${args.join(' ')} shows only its own lines`);
      }
    }
  });
});

// Plans, per-tenant and per-key limits, usage reports, and the clock where it is refused.
// A stack of its own; each test makes its own tenants and plans.
describe('tollgate CLI: plans, limits, usage', () => {
  let s;
  before(async () => { s = await startStack({ workers: 1 }); });
  after(async () => { await s?.stop(); });

  const planRow = (id) => s.psql(`SELECT name, price_cents, coalesce(monthly_requests::text, 'unlimited'), key_rps, key_burst, key_rpm,
    tenant_rps, tenant_burst, tenant_rpm, max_body_bytes FROM plans WHERE id = '${id}'`);
  const tenantRow = (slug) => s.psql(`SELECT plan_id, status, name, key_rps, key_burst, key_rpm, tenant_rps, tenant_burst,
    tenant_rpm, monthly_requests, monthly_unlimited, max_body_bytes FROM tenants WHERE slug = '${slug}'`);
  const limits = (slug) => s.psql(`SELECT l.key_rps, l.key_burst, l.key_rpm, l.tenant_rps, l.tenant_burst, l.tenant_rpm,
    coalesce(l.monthly_requests::text, 'unlimited'), l.max_body_bytes
    FROM tenant_limits l JOIN tenants t ON t.id = l.tenant_id WHERE t.slug = '${slug}'`);

  test('plan create, set and list round-trip', () => {
    const c = s.cli('plan', 'create', 'gold', '--name', 'Gold', '--price-cents', '999', '--monthly', '5000',
      '--key-rps', '3', '--key-burst', '6', '--key-rpm', '100', '--rps', '30', '--burst', '60', '--rpm', '1000',
      '--max-body', '64k');
    assert.equal(c.status, 0, c.stderr);
    assert.equal(planRow('gold'), 'Gold|999|5000|3|6|100|30|60|1000|65536');
    assert.match(s.mustCli('plan', 'list'), /^gold\s+Gold\s+999\s+5000\s+3\/6\/100\s+30\/60\/1000\s+65536\s+-$/m);

    const set = s.cli('plan', 'set', 'gold', '--monthly', 'unlimited', '--rps', '40', '--max-body', '16M', '--name', 'Gold 2');
    assert.equal(set.status, 0, set.stderr);
    assert.equal(planRow('gold'), 'Gold 2|999|unlimited|3|6|100|40|60|1000|16777216');
    assert.equal(s.cli('plan', 'set', 'gold', '--monthly', '0', '--max-body', '1G').status, 0);
    assert.equal(planRow('gold'), 'Gold 2|999|0|3|6|100|40|60|1000|1073741824');

    // Unnamed limits take the columns' defaults; no --monthly means no quota.
    assert.equal(s.cli('plan', 'create', 'tiny', '--name', 'Tiny').status, 0);
    const list = s.mustCli('plan', 'list');
    assert.match(list, /^ID\s+NAME\s+PRICE_CENTS\s+MONTHLY\s+KEY_LIMITS\s+TENANT_LIMITS\s+MAX_BODY\s+STRIPE$/m);
    assert.match(list, /^tiny\s+Tiny\s+0\s+unlimited\s+5\/10\/300\s+10\/20\/600\s+1048576\s+-$/m);
    assert.match(list, /^free\s+Free\s+0\s+100000\s+/m);
  });

  test('plan set --stripe-price sells a plan at a Stripe price; a bad one changes nothing', () => {
    s.mustCli('plan', 'create', 'tin', '--name', 'Tin');
    assert.equal(s.cli('plan', 'set', 'tin', '--stripe-price', 'price_1Tin', '--stripe-metered-price', 'price_1TinUse', '--overage', 'on').status, 0);
    assert.match(s.mustCli('plan', 'list'), /^tin\s+.*price_1Tin \+ price_1TinUse \(overage\)$/m);
    // With overage the gate has no hard quota: past it requests are billed, not refused.
    s.mustCli('plan', 'set', 'tin', '--monthly', '10');
    s.tenant('tinned', '--plan', 'tin');
    assert.equal(s.psql("SELECT coalesce(l.monthly_requests::text, 'none') FROM tenant_limits l JOIN tenants t ON t.id = l.tenant_id WHERE t.slug = 'tinned'"), 'none');
    const bad = s.cli('plan', 'set', 'tin', '--stripe-price', 'prod_123');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--stripe-price: expected a Stripe price id/);
    assert.equal(s.cli('plan', 'set', 'tin', '--overage', 'maybe').status, 2);
    s.mustCli('plan', 'create', 'lead', '--name', 'Lead');
    const taken = s.cli('plan', 'set', 'lead', '--stripe-price', 'price_1Tin');
    assert.equal(taken.status, 1);
    assert.match(taken.stderr, /another plan is already sold at that Stripe price/);
    assert.equal(s.psql("SELECT stripe_price || ' ' || overage FROM plans WHERE id = 'tin'"), 'price_1Tin true');
    assert.equal(s.cli('plan', 'set', 'tin', '--stripe-price', 'none', '--overage', 'off').status, 0);
    assert.equal(s.psql("SELECT coalesce(stripe_price, '-') || ' ' || overage FROM plans WHERE id = 'tin'"), '- false');
  });

  test('plan refuses bad values by name and changes nothing', () => {
    s.mustCli('plan', 'create', 'silver', '--name', 'Silver', '--rps', '20');
    const before_ = planRow('silver');
    for (const [opt, value] of [['--rps', 'abc'], ['--key-burst', '0'], ['--rpm', '-5'], ['--max-body', '12q'],
      ['--max-body', '0'], ['--price-cents', '-1'], ['--monthly', 'lots'], ['--key-rps', '3000000000'], ['--name', '']]) {
      // A valid option before the bad one must not be applied either.
      const r = s.cli('plan', 'set', 'silver', '--burst', '77', opt, value);
      assert.equal(r.status, 2, `${opt} ${value}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`^tollgate: ${opt}: expected `, 'm'));
      assert.match(r.stderr, /usage: tollgate plan/);
    }
    assert.equal(planRow('silver'), before_);
    const none = s.cli('plan', 'set', 'nope', '--rps', '3');
    assert.equal(none.status, 1);
    assert.match(none.stderr, /^tollgate: no plan 'nope'$/m);
    const dup = s.cli('plan', 'create', 'silver', '--name', 'Again');
    assert.equal(dup.status, 1);
    assert.match(dup.stderr, /plan 'silver' already exists/);
    assert.equal(s.cli('plan', 'create', 'bronze').status, 2, 'create needs --name');
    assert.equal(s.cli('plan', 'create', 'Bronze!', '--name', 'B').status, 2);
    assert.equal(s.cli('plan', 'set', 'silver').status, 2, 'nothing to change');
    assert.equal(s.cli('plan', 'frobnicate').status, 2);
    assert.equal(s.psql("SELECT count(*) FROM plans WHERE id IN ('bronze', 'nope')"), '0');
  });

  test('tenant set overrides limits, `plan` goes back to the plan, and tenant show says which', () => {
    s.tenant('lim-one', '--plan', 'pro');
    assert.equal(limits('lim-one'), '25|50|1500|100|200|6000|1000000|10485760');
    const r = s.cli('tenant', 'set', 'lim-one', '--key-rps', '7', '--rps', '70', '--rpm', '700', '--monthly', '1234', '--max-body', '2M');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(limits('lim-one'), '7|50|1500|70|200|700|1234|2097152');
    let show = s.mustCli('tenant', 'show', 'lim-one');
    assert.match(show, /^plan\s+pro$/m);
    assert.match(show, /^status\s+active$/m);
    assert.match(show, /^key-rps\s+7\s+tenant \(plan: 25\)$/m);
    assert.match(show, /^key-burst\s+50\s+plan$/m);
    assert.match(show, /^rps\s+70\s+tenant \(plan: 100\)$/m);
    assert.match(show, /^burst\s+200\s+plan$/m);
    assert.match(show, /^monthly\s+1234\s+tenant \(plan: 1000000\)$/m);
    assert.match(show, /^max-body\s+2097152\s+tenant \(plan: 10485760\)$/m);

    assert.equal(s.cli('tenant', 'set', 'lim-one', '--monthly', 'unlimited').status, 0);
    assert.match(tenantRow('lim-one'), /\|\|t\|2097152$/);
    assert.equal(limits('lim-one'), '7|50|1500|70|200|700|unlimited|2097152');
    show = s.mustCli('tenant', 'show', 'lim-one');
    assert.match(show, /^monthly\s+unlimited\s+tenant \(plan: 1000000\)$/m);
    assert.match(show, /^usage\s+0 of unlimited requests in \d{4}-\d\d \(UTC\)$/m);

    const back = s.cli('tenant', 'set', 'lim-one', '--key-rps', 'plan', '--rps', 'plan', '--rpm', 'plan', '--monthly', 'plan', '--max-body', 'plan');
    assert.equal(back.status, 0, back.stderr);
    assert.equal(tenantRow('lim-one'), 'pro|active|lim-one||||||||f|');
    assert.equal(limits('lim-one'), '25|50|1500|100|200|6000|1000000|10485760');
    assert.doesNotMatch(s.mustCli('tenant', 'show', 'lim-one'), /tenant \(plan/);

    assert.equal(s.cli('tenant', 'set', 'lim-one', '--plan', 'scale', '--status', 'suspended', '--name', 'Lim One').status, 0);
    assert.equal(tenantRow('lim-one'), 'scale|suspended|Lim One||||||||f|');
    assert.match(s.mustCli('tenant', 'list'), /lim-one\s+scale\s+suspended/);
  });

  test('tenant set: unknown tenant or plan, and bad values, change nothing', () => {
    s.tenant('lim-two');
    s.mustCli('tenant', 'set', 'lim-two', '--rps', '11');
    const before_ = tenantRow('lim-two');
    const none = s.cli('tenant', 'set', 'no-such', '--rps', '3');
    assert.equal(none.status, 1);
    assert.match(none.stderr, /^tollgate: no tenant 'no-such'$/m);
    const plan = s.cli('tenant', 'set', 'lim-two', '--rps', '9', '--plan', 'platinum');
    assert.equal(plan.status, 1);
    assert.match(plan.stderr, /no plan 'platinum'/);
    assert.doesNotMatch(plan.stderr, /ERROR|violates/);
    for (const [opt, value] of [['--rps', '0'], ['--burst', 'x'], ['--status', 'sleeping'], ['--max-body', 'lots'],
      ['--monthly', '-5'], ['--key-rpm', 'tenant'], ['--upstream', 'ftp://x'], ['--upstream', 'http://a/b']]) {
      const r = s.cli('tenant', 'set', 'lim-two', '--rpm', '5', opt, value);
      assert.equal(r.status, 2, `${opt} ${value}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`^tollgate: ${opt}: expected `, 'm'));
    }
    assert.equal(s.cli('tenant', 'set', 'lim-two').status, 2);
    assert.equal(tenantRow('lim-two'), before_);
    const show = s.cli('tenant', 'show', 'no-such');
    assert.equal(show.status, 1);
    assert.match(show.stderr, /no tenant 'no-such'/);
    assert.equal(s.cli('tenant', 'show').status, 2);
  });

  test('tenant set --upstream replaces the default upstream, or adds one', () => {
    const t = s.tenant('up-one');
    const upstreams = (id) => s.psql(`SELECT name, url, is_default FROM upstreams WHERE tenant_id = ${id} ORDER BY id`);
    // Private and loopback upstreams are refused unless the operator allows them.
    const allow = { env: { TOLLGATE_UPSTREAM_ALLOW: '127.0.0.1/32, 10.0.0.0/8, ::1' } };
    const refused = s.cli('tenant', 'set', 'up-one', '--upstream', 'http://10.1.2.3:8080');
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /10\.1\.2\.3 is a private address/);
    assert.equal(s.cli('tenant', 'set', 'up-one', '--upstream', 'http://10.1.2.3:8080', allow).status, 0);
    assert.equal(upstreams(t.id), 'default|http://10.1.2.3:8080|t');
    assert.match(s.mustCli('tenant', 'show', 'up-one'), /^upstream\s+http:\/\/10\.1\.2\.3:8080$/m);

    const id2 = s.mustCli('tenant', 'create', 'up-two').trim();
    assert.equal(upstreams(id2), '');
    assert.equal(s.cli('tenant', 'set', 'up-two', '--upstream', 'http://[::1]:9000/', allow).status, 0);
    assert.equal(upstreams(id2), 'default|http://[::1]:9000/|t');
    assert.match(s.mustCli('tenant', 'list'), /up-two\s+free\s+active\s+0\s+http:\/\/\[::1\]:9000\//);

    // One transaction: a refused plan leaves the upstream as it was.
    assert.equal(s.cli('tenant', 'set', 'up-one', '--upstream', 'http://10.9.9.9', '--plan', 'platinum', allow).status, 1);
    assert.equal(upstreams(t.id), 'default|http://10.1.2.3:8080|t');
  });

  test('tenant set reaches the gate: suspension and the body-size limit', async () => {
    s.tenant('lim-gate');
    const key = s.key('lim-gate');
    const post = (n) => get(`${s.url}/v1/up`, { 'X-Api-Key': key, 'Content-Type': 'text/plain' },
      { method: 'POST', body: 'x'.repeat(n) });
    await waitFor('the new key', async () => (await post(10)).status === 200);
    s.mustCli('tenant', 'set', 'lim-gate', '--status', 'suspended');
    await waitFor('the suspension', async () => (await post(10)).status === 403);
    s.mustCli('tenant', 'set', 'lim-gate', '--status', 'active', '--max-body', '1k');
    await waitFor('the body limit', async () => (await post(2048)).status === 413);
    assert.equal((await post(1000)).status, 200);
    s.mustCli('tenant', 'set', 'lim-gate', '--max-body', 'plan');
    await waitFor('the plan\'s body limit', async () => (await post(2048)).status === 200);
  });

  test('key set overrides a key\'s rates and `tenant` goes back to the tenant\'s', () => {
    s.tenant('key-lim');
    const id = s.keyId(s.key('key-lim'));
    const rates = () => s.psql(`SELECT rps, burst, rpm FROM api_keys WHERE id = ${id}`);
    const r = s.cli('key', 'set', id, '--rps', '7', '--burst', '3');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(rates(), '7|3|');
    assert.match(r.stderr, /rps 7, burst 3, rpm tenant's/);
    assert.equal(s.cli('key', 'set', id, '--rps', 'tenant', '--rpm', '99').status, 0);
    assert.equal(rates(), '|3|99');
    for (const args of [['--rps', '0'], ['--burst', 'plan'], ['--rpm', '1.5'], []]) {
      assert.equal(s.cli('key', 'set', id, '--burst', '1', ...args).status, args.length ? 2 : 0, args.join(' '));
      if (!args.length) s.mustCli('key', 'set', id, '--burst', '3');
    }
    assert.equal(rates(), '|3|99');
    assert.equal(s.cli('key', 'set', id).status, 2);
    assert.equal(s.cli('key', 'set', 'abc', '--rps', '3').status, 2);
    const none = s.cli('key', 'set', '999999', '--rps', '3');
    assert.equal(none.status, 1);
    assert.match(none.stderr, /no key with id 999999/);
  });

  test('usage lists a month per key with a total and the quota', () => {
    const t = s.tenant('use-one');
    const [k1, k2] = [s.key('use-one'), s.key('use-one')];
    const [id1, id2] = [s.keyId(k1), s.keyId(k2)];
    const month = new Date().toISOString().slice(0, 7);
    // The flusher is tested elsewhere: write what it would have written.
    s.psql(`INSERT INTO usage_monthly (key_id, month, tenant_id, requests, status_2xx, status_3xx, status_4xx,
              status_5xx, tokens, cost_micros) VALUES
            (${id1}, '${month}-01', ${t.id}, 100, 90, 0, 10, 0, 5000, 1234567),
            (${id2}, '${month}-01', ${t.id}, 50, 45, 5, 0, 0, 0, 42),
            (${id1}, '2025-01-01', ${t.id}, 7, 6, 0, 0, 1, 0, 0);
            INSERT INTO usage_tenant_monthly (tenant_id, month, requests) VALUES
            (${t.id}, '${month}-01', 150), (${t.id}, '2025-01-01', 7)`);
    s.mustCli('tenant', 'set', 'use-one', '--monthly', '1000');

    const r = s.cli('usage', 'use-one');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`usage of use-one in ${month} \\(UTC\\)`));
    assert.match(r.stdout, /^KEY_ID\s+PREFIX\s+REQUESTS\s+2XX\s+3XX\s+4XX\s+5XX\s+TOKENS\s+COST_USD$/m);
    assert.match(r.stdout, new RegExp(`^${id1}\\s+${k1.slice(0, 16)}\\s+100\\s+90\\s+0\\s+10\\s+0\\s+5000\\s+1\\.234567$`, 'm'));
    assert.match(r.stdout, new RegExp(`^${id2}\\s+${k2.slice(0, 16)}\\s+50\\s+45\\s+5\\s+0\\s+0\\s+0\\s+0\\.000042$`, 'm'));
    assert.match(r.stdout, /^TOTAL\s+150\s+135\s+5\s+10\s+0\s+5000\s+1\.234609$/m);
    assert.match(r.stdout, /^quota: 150 of 1000$/m);
    assert.match(s.mustCli('tenant', 'show', 'use-one'), new RegExp(`^usage\\s+150 of 1000 requests in ${month} \\(UTC\\), 15\\.0%$`, 'm'));

    const old = s.cli('usage', 'use-one', '--month', '2025-01');
    assert.equal(old.status, 0, old.stderr);
    assert.match(old.stdout, new RegExp(`^${id1}\\s+\\S+\\s+7\\s+6\\s+0\\s+0\\s+1\\s+0\\s+0\\.000000$`, 'm'));
    assert.doesNotMatch(old.stdout, new RegExp(`^${id2}\\s`, 'm'));
    assert.match(old.stdout, /^TOTAL\s+7\s+/m);
    assert.match(old.stdout, /^quota: 7 of 1000$/m);

    s.mustCli('tenant', 'set', 'use-one', '--monthly', 'unlimited');
    assert.match(s.mustCli('usage', 'use-one'), /^quota: 150 of unlimited$/m);
    const empty = s.mustCli('usage', 'use-one', '--month', '2024-12');
    assert.match(empty, /^TOTAL\s+0\s+0\s+0\s+0\s+0\s+0\s+0\.000000$/m);
    assert.match(empty, /^quota: 0 of unlimited$/m);
  });

  test('usage refuses a bad month and an unknown tenant', () => {
    for (const m of ['2026-13', '2026-00', '2026-1', '26-01', '2026-01-01', 'May-2026', '0000-01']) {
      const r = s.cli('usage', 'use-one', '--month', m);
      assert.equal(r.status, 2, m);
      assert.match(r.stderr, /--month: expected YYYY-MM/);
    }
    const none = s.cli('usage', 'no-such');
    assert.equal(none.status, 1);
    assert.match(none.stderr, /no tenant 'no-such'/);
    assert.equal(s.cli('usage').status, 2);
  });

  test('clock is refused unless the server was started to allow it', () => {
    for (const args of [['show'], ['shift', '+31d'], ['reset']]) {
      const r = s.cli('clock', ...args);
      assert.equal(r.status, 1, args.join(' '));
      assert.match(r.stderr, /^tollgate: the server was not started with TOLLGATE_ALLOW_CLOCK_SHIFT=true$/m);
    }
    assert.equal(s.cli('clock', 'shift', '31').status, 2, 'a shift needs a unit');
    assert.equal(s.cli('clock').status, 2);
  });
  test('--json on lists, for scripts: tenants and keys', () => {
    s.tenant('jsonco');
    const key = s.key('jsonco', '--name', 'ci "quoted"');
    const tenants = JSON.parse(s.mustCli('tenant', 'list', '--json'));
    const t = tenants.find((x) => x.slug === 'jsonco');
    assert.equal(t.plan, 'scale');
    assert.equal(t.abuse_mode, 'shadow');
    assert.equal(typeof t.id, 'number');
    const keys = JSON.parse(s.mustCli('key', 'list', 'jsonco', '--json'));
    assert.equal(keys.length, 1);
    assert.equal(keys[0].prefix, key.slice(0, 16));
    assert.equal(keys[0].name, 'ci "quoted"');
    assert.equal(keys[0].status, 'active');
    assert.equal(keys[0].expires_at, null);
    assert.ok(!JSON.stringify(keys).includes(key), 'never the secret');
    assert.equal(s.cli('key', 'list', 'jsonco', '--yaml').status, 2);
  });

  test('key revoke takes the key itself, and refuses what is not a key', async () => {
    s.tenant('leakco');
    const key = s.key('leakco');
    await waitFor('the key', async () => (await get(`${s.url}/x`, { 'X-Api-Key': key })).status === 200);
    assert.equal(s.cli('key', 'revoke', 'tg_live_notakey').status, 2);
    const r = s.cli('key', 'revoke', key);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`revoked key \\d+ \\(${key.slice(0, 16)}\\)`));
    await waitFor('the key refused', async () => (await get(`${s.url}/x`, { 'X-Api-Key': key })).status === 401);
  });

  test('abuse mode, address lists and model versions without psql', () => {
    s.tenant('abuseco');
    assert.equal(s.cli('tenant', 'set', 'abuseco', '--abuse-mode', 'loud').status, 2);
    s.mustCli('tenant', 'set', 'abuseco', '--abuse-mode', 'enforce');
    assert.match(s.mustCli('tenant', 'show', 'abuseco'), /abuse\s+enforce/);

    const id = s.mustCli('list', 'add', 'abuseco', '203.0.113.0/24', 'deny', '--note', 'report 1234').trim();
    s.mustCli('list', 'add', '--global', '198.51.100.7', 'suspect');
    const bad = s.cli('list', 'add', 'abuseco', 'not-a-network', 'deny');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /is not a network/);
    assert.equal(s.cli('list', 'add', 'abuseco', '10.0.0.0/8', 'maybe').status, 2);
    assert.equal(s.cli('list', 'add', 'nobody', '10.0.0.0/8', 'deny').status, 1);
    const entries = JSON.parse(s.mustCli('list', 'show', 'abuseco', '--json'));
    assert.deepEqual(entries.map((e) => [e.network, e.verdict, e.note]), [['203.0.113.0/24', 'deny', 'report 1234']]);
    const global = JSON.parse(s.mustCli('list', 'show', '--global', '--json'));
    assert.ok(global.some((e) => e.network === '198.51.100.7/32' && e.verdict === 'suspect'));
    s.mustCli('list', 'remove', id);
    assert.deepEqual(JSON.parse(s.mustCli('list', 'show', 'abuseco', '--json')), []);

    const tid = s.psql("SELECT id FROM tenants WHERE slug = 'abuseco'");
    for (const v of [1, 2]) {
      s.psql(`INSERT INTO abuse_models (tenant_id, version, weights, t_flag, t_throttle, t_block, active)
              VALUES (${tid}, ${v}, '{0.1}', 0.5, 0.7, 0.9, ${v === 2})`);
    }
    let models = JSON.parse(s.mustCli('model', 'list', 'abuseco', '--json'));
    assert.deepEqual(models.map((m) => [m.version, m.active]), [[2, true], [1, false]]);
    s.mustCli('model', 'activate', 'abuseco', '1');
    models = JSON.parse(s.mustCli('model', 'list', 'abuseco', '--json'));
    assert.deepEqual(models.map((m) => [m.version, m.active]), [[2, false], [1, true]]);
    const none = s.cli('model', 'activate', 'abuseco', '7');
    assert.equal(none.status, 1);
    assert.match(none.stderr, /no model version 7/);
    assert.equal(s.psql(`SELECT version FROM abuse_models WHERE tenant_id = ${tid} AND active`), '1');
  });
});

describe('tollgate clock, on a server that allows it', () => {
  let s;
  before(async () => { s = await startStack({ workers: 1, env: { TOLLGATE_ALLOW_CLOCK_SHIFT: 'true' } }); });
  after(async () => { await s?.stop(); });

  const offset = (out) => Number(out.match(/^offset\s+([+-][\d.]+) s$/m)[1]);
  const clock = (out) => Date.parse(out.match(/^clock\s+(\S+)$/m)[1]);

  test('shift, set and reset move the business clock the gate uses', async () => {
    assert.equal(offset(s.mustCli('clock', 'show')), 0);
    s.tenant('clock-one');
    const key = s.key('clock-one');
    s.psql(`UPDATE api_keys SET expires_at = now() + interval '1 day' WHERE id = ${s.keyId(key)}`);
    const status = async () => (await get(`${s.url}/v1/x`, { 'X-Api-Key': key })).status;
    await waitFor('the new key', async () => (await status()) === 200);

    const shifted = s.cli('clock', 'shift', '+31d');
    assert.equal(shifted.status, 0, shifted.stderr);
    assert.equal(offset(shifted.stdout), 31 * 86400);
    const shown = s.mustCli('clock', 'show');
    assert.equal(offset(shown), 31 * 86400);
    assert.ok(Math.abs(clock(shown) - (Date.now() + 31 * 86400e3)) < 60e3, shown);
    // The key expires a day from now in real time, so 31 days on it has expired.
    await waitFor('the key to expire on the shifted clock', async () => (await status()) === 401);

    assert.equal(offset(s.mustCli('clock', 'shift', '-2h')), 31 * 86400 - 7200);
    assert.equal(offset(s.mustCli('clock', 'shift', '90s')), 31 * 86400 - 7200 + 90);
    assert.match(s.mustCli('clock', 'set', '2030-12-01T00:00:00Z'), /^clock\s+2030-12-01T00:00:0\dZ$/m);
    for (const bad of [['shift', '31'], ['shift', '+31x'], ['shift', '+-3d'], ['set', '2030-12-01'],
      ['set', '2030-02-30T00:00:00Z'], ['set', '2030-12-01T00:00:00+01:00'], ['frob']]) {
      assert.equal(s.cli('clock', ...bad).status, 2, bad.join(' '));
    }
    assert.match(s.mustCli('clock', 'show'), /^clock\s+2030-12-01T00:00:\d\dZ$/m, 'a refused change changes nothing');

    assert.equal(offset(s.mustCli('clock', 'reset')), 0);
    assert.equal(offset(s.mustCli('clock', 'show')), 0);
    await waitFor('the key to be valid again', async () => (await status()) === 200);
  });

});

// The operator's price list for AI routes (ai_prices) and a tenant's AI settings at a glance.
describe('tollgate ai: the price list and a tenant\'s AI settings', () => {
  let s;
  before(async () => { s = await startStack({ workers: 1 }); });
  after(async () => { await s?.stop(); });

  const priceRow = (model) => s.psql(`SELECT input_micros_per_mtok || '|' || output_micros_per_mtok FROM ai_prices WHERE model = '${model}'`);

  test('ai price set, list and remove round-trip', () => {
    const set = s.cli('ai', 'price', 'set', 'cli-model-a', '--input', '1500000', '--output', '6000000');
    assert.equal(set.status, 0, set.stderr);
    assert.match(set.stderr, /priced model cli-model-a: 1\.500000 per million input tokens, 6\.000000 per million output tokens/);
    assert.equal(priceRow('cli-model-a'), '1500000|6000000');

    const list = s.mustCli('ai', 'price', 'list');
    assert.match(list, /^MODEL\s+INPUT_MICROS\s+OUTPUT_MICROS\s+INPUT\/MTOK\s+OUTPUT\/MTOK$/m);
    assert.match(list, /^cli-model-a\s+1500000\s+6000000\s+1\.500000\s+6\.000000$/m);
    assert.match(list, /^gpt-4o-mini\s+150000\s+600000\s+0\.150000\s+0\.600000$/m, 'the seeded prices are listed');
    const json = JSON.parse(s.mustCli('ai', 'price', 'list', '--json'));
    assert.deepEqual(json.find((p) => p.model === 'cli-model-a'),
      { model: 'cli-model-a', input_micros_per_mtok: 1500000, output_micros_per_mtok: 6000000 });

    // Setting again replaces; a listed model may change one price alone.
    s.mustCli('ai', 'price', 'set', 'cli-model-a', '--input', '0', '--output', '2000000');
    assert.equal(priceRow('cli-model-a'), '0|2000000');
    assert.equal(s.cli('ai', 'price', 'set', 'cli-model-a', '--output', '7000000').status, 0);
    assert.equal(priceRow('cli-model-a'), '0|7000000');
    // A new model needs both.
    const half = s.cli('ai', 'price', 'set', 'cli-model-b', '--input', '5');
    assert.equal(half.status, 1);
    assert.match(half.stderr, /no price for model 'cli-model-b' yet: give both --input and --output/);
    assert.equal(priceRow('cli-model-b'), '');
    // Names with slashes, dots and colons are models too (the table is keyed by the name).
    s.mustCli('ai', 'price', 'set', 'org/model:v1.2', '--input', '1', '--output', '2');
    assert.equal(priceRow('org/model:v1.2'), '1|2');

    const rm = s.cli('ai', 'price', 'remove', 'cli-model-a');
    assert.equal(rm.status, 0, rm.stderr);
    assert.match(rm.stderr, /removed the price of model cli-model-a/);
    assert.equal(priceRow('cli-model-a'), '');
    const again = s.cli('ai', 'price', 'remove', 'cli-model-a');
    assert.equal(again.status, 1);
    assert.match(again.stderr, /no price for model 'cli-model-a'/);
    s.mustCli('ai', 'price', 'remove', 'org/model:v1.2');
  });

  test('ai: bad arguments exit 2 with the usage and change nothing', () => {
    const before_ = s.psql('SELECT count(*) FROM ai_prices');
    for (const args of [
      ['ai'], ['ai', 'frob'], ['ai', 'price'], ['ai', 'price', 'frob'],
      ['ai', 'price', 'set', 'm1'],
      ['ai', 'price', 'set', '--input', '1', '--output', '2'],
      ['ai', 'price', 'set', 'm1', 'm2', '--input', '1', '--output', '2'],
      ['ai', 'price', 'set', 'm1', '--input', '1', '--output', '2', '--cached', '3'],
      ['ai', 'price', 'set', 'm1', '--input'],
      ['ai', 'price', 'list', '--yaml'], ['ai', 'price', 'list', 'extra'],
      ['ai', 'price', 'remove'], ['ai', 'price', 'remove', 'a', 'b'],
      ['ai', 'show'], ['ai', 'show', 'a', 'b'], ['ai', 'show', '--json'],
    ]) {
      const r = s.cli(...args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /usage: tollgate ai price set MODEL --input MICROS --output MICROS/, args.join(' '));
    }
    for (const [opt, v] of [['--input', '-1'], ['--input', '1.5'], ['--output', 'lots'], ['--output', '1000000001'], ['--input', '']]) {
      const args = ['ai', 'price', 'set', 'm1', '--input', '1', '--output', '1'];
      args[args.indexOf(opt) + 1] = v;
      const r = s.cli(...args);
      assert.equal(r.status, 2, `${opt} ${v}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`${opt}: expected millionths of the currency per million tokens`));
    }
    const long = s.cli('ai', 'price', 'set', 'x'.repeat(129), '--input', '1', '--output', '1');
    assert.equal(long.status, 2);
    assert.match(long.stderr, /a model's name is 1 to 128 bytes/);
    assert.equal(s.cli('ai', 'price', 'set', 'tab\there', '--input', '1', '--output', '1').status, 2);
    assert.equal(s.psql('SELECT count(*) FROM ai_prices'), before_);
    // Its help, alone.
    for (const args of [['help', 'ai'], ['ai', '--help']]) {
      const r = s.cli(...args);
      assert.equal(r.status, 0);
      assert.match(r.stdout, /^  ai price set MODEL --input MICROS --output MICROS/m);
      assert.match(r.stdout, /^  ai show TENANT/m);
      assert.ok(!/^  serve /m.test(r.stdout), 'only the ai lines');
    }
  });

  test('ai show: prefix, budgets, providers without their keys, aliases with their targets', async () => {
    const t = s.tenant('ai-show');
    const providerKey = 'sk-cli-show-secret-8f3a1c';
    const token = s.mustCli('token', 'create', 'ai-show').trim();
    const manage = async (method, p, body) => {
      const r = await get(`${s.console}/api/v1${p}`, { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        { method, body: JSON.stringify(body) });
      assert.ok(r.status < 300, `${method} ${p}: ${r.status} ${r.text}`);
    };

    let out = s.mustCli('ai', 'show', 'ai-show');
    assert.match(out, /^tenant\s+ai-show \(id \d+, plan scale\)$/m);
    assert.match(out, /^prefix\s+off/m);
    assert.match(out, /^budget\s+none$/m);
    assert.match(out, /^key budget\s+none$/m);
    assert.match(out, /^PROVIDER\s+KIND\s+KEY\s+BASE_URL\n\(none\)$/m);
    assert.match(out, /^ALIAS\s+TARGETS.*\n\(none\)$/m);

    const base = `http://127.0.0.1:${s.upstream.port}`;
    await manage('PATCH', '/ai', { prefix: '/v1', budget_micros: 25000000, key_budget_micros: 1500000 });
    await manage('PUT', '/ai/providers/local', { kind: 'openai', base_url: `${base}/v1`, api_key: providerKey });
    await manage('PUT', '/ai/providers/nokey', { kind: 'anthropic', base_url: base });
    await manage('PUT', '/ai/aliases/chat', { targets: [{ provider: 'local', model: 'echo-small' }] });
    await manage('PUT', '/ai/aliases/resilient', {
      targets: [{ provider: 'local', model: 'fail429-demo', weight: 3 }, { provider: 'nokey', model: 'echo-large' }],
      by_plan: { free: [{ provider: 'local', model: 'echo-small' }], scale: [{ provider: 'nokey', model: 'echo-large' }] },
    });

    const r = s.cli('ai', 'show', 'ai-show');
    assert.equal(r.status, 0, r.stderr);
    out = r.stdout;
    assert.match(out, /^prefix\s+\/v1: POST \/v1\/chat\/completions, \/v1\/embeddings, \/v1\/messages; GET \/v1\/models$/m);
    assert.match(out, /^budget\s+25\.000000 a month \(25000000 micros\)$/m);
    assert.match(out, /^key budget\s+1\.500000 a month \(1500000 micros\)$/m);
    assert.match(out, /^spent\s+0\.000000 in \d{4}-\d{2} \(UTC\): 0 tokens/m);
    assert.match(out, new RegExp(`^local\\s+openai\\s+sealed\\s+${base}/v1$`, 'm'));
    assert.match(out, new RegExp(`^nokey\\s+anthropic\\s+none\\s+${base}$`, 'm'));
    assert.match(out, /^chat\s+local\/echo-small$/m);
    assert.match(out, /^resilient\s+local\/fail429-demo \(weight 3\), nokey\/echo-large$/m);
    assert.match(out, /^\s+on plan free: local\/echo-small$/m);
    assert.match(out, /^\s+on plan scale \(in use\): nokey\/echo-large$/m);
    assert.ok(out.indexOf('on plan free') < out.indexOf('on plan scale'), 'plans in order');
    assert.ok(!(r.stdout + r.stderr).includes(providerKey), 'never the provider\'s key');
    assert.ok(!/key_sealed|\\x/.test(out), 'nor its sealed form');

    const none = s.cli('ai', 'show', 'nobody');
    assert.equal(none.status, 1);
    assert.match(none.stderr, /no tenant 'nobody'/);
    assert.ok(t.id);
  });
});
