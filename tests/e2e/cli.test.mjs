// The operator's command line against a real PostgreSQL: migrations, tenants, keys, check.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT, startStack } from './harness.mjs';

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
    const up = s.cli('tenant', 'create', 'cli-three', '--upstream', 'ftp://x');
    assert.equal(up.status, 1);
    assert.match(up.stderr, /upstream/);
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
      env: { TOLLGATE_SECRET_FILE: '', TOLLGATE_MIGRATIONS_DIR: '/nonexistent', TOLLGATE_DATABASE_URL: `host=${s.dir} dbname=nope` },
    });
    assert.equal(bad.status, 1);
    assert.match(bad.stdout, /no server secret/);
    assert.match(bad.stdout, /TOLLGATE_MIGRATIONS_DIR/);
    assert.match(bad.stdout, /TOLLGATE_DATABASE_URL: cannot connect/);

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
  });
});
