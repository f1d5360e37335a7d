// The operator's pages: operator accounts from the CLI, the platform and tenant pages,
// suspend/resume that stops and restarts a tenant's keys at once, plan changes, and the
// audit log that records who did each of these, from where.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { get, startStack, waitFor } from './harness.mjs';
import { Browser, setCookies } from './forms.mjs';

const PASSWORD = 'operator password 1';

describe('admin pages', () => {
  let s;
  let op;
  let tenantId;
  let key;

  before(async () => {
    s = await startStack({ workers: 2 });
    const r = spawnSync(s.bin, ['admin', 'create', 'op@platform.test'], { env: s.env, input: `${PASSWORD}\n`, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const t = s.tenant('acme', '--plan', 'free');
    tenantId = t.id;
    key = s.key('acme');
    op = new Browser(s.console);
    await waitFor('the key', async () => (await get(`${s.url}/x`, { 'X-Api-Key': key })).status === 200);
  });
  after(async () => { await s?.stop(); });

  test('operators are made by the CLI, never from a short password or the command line', () => {
    const short = spawnSync(s.bin, ['admin', 'create', 'x@platform.test'], { env: s.env, input: 'short\n', encoding: 'utf8' });
    assert.equal(short.status, 2);
    const list = spawnSync(s.bin, ['admin', 'list', '--json'], { env: s.env, encoding: 'utf8' });
    assert.equal(list.status, 0, list.stderr);
    const ops = JSON.parse(list.stdout);
    assert.deepEqual(ops.map((o) => o.email), ['op@platform.test']);
    assert.ok(!list.stdout.includes('argon2'), 'no hash printed');
  });

  test('only an operator\'s session opens the admin pages', async () => {
    assert.equal((await get(`${s.console}/admin/`)).status, 303);
    const ann = new Browser(s.console);
    assert.equal((await ann.signup('ann@acme-two.test', 'a long password', 'Acme Two')).status, 303);
    const r = await ann.open('/admin/');
    assert.equal(r.status, 303, 'a tenant\'s session is no operator\'s');
    assert.equal(r.headers.get('location'), '/admin/login');
    await op.open('/admin/login');
    const wrong = await op.post('/admin/login', { email: 'op@platform.test', password: 'not the password' });
    assert.equal(wrong.status, 401);
    const ok = await op.post('/admin/login', { email: 'op@platform.test', password: PASSWORD });
    assert.equal(ok.status, 303, ok.text);
    assert.equal(ok.headers.get('location'), '/admin/');
    assert.match(setCookies(ok.headers).find((c) => c.startsWith('tg_admin=')), /HttpOnly; SameSite=Lax/);
    const portal = await get(`${s.console}/portal/`, { Cookie: op.cookieHeader() });
    assert.equal(portal.status, 303, 'an operator\'s cookie is no tenant session');
  });

  test('the platform page lists every tenant with its plan, status and usage', async () => {
    const r = await op.open('/admin/');
    assert.equal(r.status, 200);
    assert.match(r.text, new RegExp(`href="/admin/tenants/${tenantId}"`));
    assert.match(r.text, /Acme Two/);
    assert.match(r.text, /id="platform-requests">\d+/);
  });

  test('suspending stops the tenant\'s keys at once, resuming restarts them, both audited', async () => {
    await op.open(`/admin/tenants/${tenantId}`);
    const forged = await op.post(`/admin/tenants/${tenantId}`, { status: 'suspended', csrf: 'f'.repeat(64) });
    assert.equal(forged.status, 403);
    assert.equal(s.psql(`SELECT status FROM tenants WHERE id = ${tenantId}`), 'active');
    const r = await op.post(`/admin/tenants/${tenantId}`, { status: 'suspended' });
    assert.equal(r.status, 303, r.text);
    await waitFor('the key refused', async () => (await get(`${s.url}/x`, { 'X-Api-Key': key })).status === 403);
    const page = await op.open(`/admin/tenants/${tenantId}`);
    assert.match(page.text, /Resume tenant/);
    assert.match(page.text, /operator:op@platform.test<\/td><td><code>tenant.suspend<\/code>/);
    assert.match(page.text, /<td>127\.0\.0\.1<\/td>/, 'from where');
    await op.post(`/admin/tenants/${tenantId}`, { status: 'active' });
    await waitFor('the key back', async () => (await get(`${s.url}/x`, { 'X-Api-Key': key })).status === 200);
  });

  test('plans and abuse modes are changed; unknown plans and tenants are refused', async () => {
    await op.open(`/admin/tenants/${tenantId}`);
    assert.equal((await op.post(`/admin/tenants/${tenantId}`, { plan: 'pro' })).status, 303);
    assert.equal(s.psql(`SELECT plan_id FROM tenants WHERE id = ${tenantId}`), 'pro');
    assert.equal((await op.post(`/admin/tenants/${tenantId}`, { plan: 'gold' })).status, 404);
    assert.equal((await op.post(`/admin/tenants/${tenantId}`, { abuse_mode: 'enforce' })).status, 303);
    assert.equal(s.psql(`SELECT abuse_mode FROM tenants WHERE id = ${tenantId}`), 'enforce');
    assert.equal((await op.post(`/admin/tenants/${tenantId}`, { abuse_mode: 'loud' })).status, 400);
    assert.equal((await op.open('/admin/tenants/999999')).status, 404);
    const audit = await op.open('/admin/audit');
    for (const a of ['tenant.plan', 'tenant.abuse_mode', 'tenant.resume', 'tenant.signup', 'operator.login']) {
      assert.match(audit.text, new RegExp(`<code>${a.replace('.', '\\.')}</code>`), a);
    }
  });

  test('the Plans page sets a plan\'s Stripe prices; a malformed one or one taken changes nothing', async () => {
    const page = await op.open('/admin/plans');
    assert.equal(page.status, 200);
    assert.match(page.text, /TOLLGATE_STRIPE_API_KEY is not set/, 'says billing is off on this stack');
    assert.equal((await op.post('/admin/plans/pro', { stripe_price: 'price_1ProMonthly', stripe_metered_price: '', overage: 'on' })).status, 303);
    assert.equal(s.psql("SELECT stripe_price || ' ' || coalesce(stripe_metered_price, '-') || ' ' || overage FROM plans WHERE id = 'pro'"),
      'price_1ProMonthly - true');
    const bad = await op.post('/admin/plans/pro', { stripe_price: 'prod_123<script>' });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /A Stripe price id looks like price_1AbC/);
    assert.ok(!bad.text.includes('<script>'), 'nothing of the input is echoed unescaped');
    assert.equal((await op.post('/admin/plans/scale', { stripe_price: 'price_1ProMonthly' })).status, 409, 'one price, one plan');
    assert.equal((await op.post('/admin/plans/gold', { stripe_price: 'price_1Gold' })).status, 404);
    assert.equal(s.psql("SELECT coalesce(stripe_price, '-') FROM plans WHERE id = 'scale'"), '-');
    assert.match((await op.open('/admin/audit')).text, /<code>plan\.stripe<\/code>/);
    assert.equal((await op.post('/admin/plans/pro', { stripe_price: '' })).status, 303);
    assert.equal(s.psql("SELECT coalesce(stripe_price, '-') || ' ' || overage FROM plans WHERE id = 'pro'"), '- false');
  });

  test('the Billing page reconciles a month and lists Stripe\'s latest events', async () => {
    // A customer with usage queued but not yet accepted by Stripe (no biller runs here).
    s.psql(`INSERT INTO billing_accounts (tenant_id, customer_id, meter_from) VALUES (${tenantId}, 'cus_AdminTest', date_trunc('hour', now()))`);
    s.psql(`INSERT INTO meter_outbox (tenant_id, customer_id, hour, value, identifier)
            VALUES (${tenantId}, 'cus_AdminTest', date_trunc('hour', now()), 7, 'tg-admin-test-7')`);
    s.psql(`INSERT INTO stripe_events (id, type, created, tenant_id, outcome) VALUES ('evt_AdminTest', 'invoice.paid', 1, ${tenantId}, 'applied')`);
    const page = await op.open('/admin/billing');
    assert.equal(page.status, 200);
    assert.match(page.text, /evt_AdminTest/);
    const month = new Date().toISOString().slice(0, 7);
    const r = await op.post('/admin/billing', { month });
    assert.equal(r.status, 200, r.text);
    assert.match(r.text, new RegExp(`${month}: <strong>1 differences</strong>`));
    assert.match(r.text, /cus_AdminTest/);
    // queued 7, reported 0, Stripe unknown (billing is off here), and why in words
    const row = r.text.match(/cus_AdminTest<\/code><\/td>(.*?)<\/tr>/)[1];
    assert.match(row, /<td class="num">7<\/td><td class="num">0<\/td><td class="num">\?<\/td>/, row);
    assert.match(row, /requests (more queued for Stripe than were served|served but not yet queued)/, row);
    assert.equal(s.psql(`SELECT differences FROM billing_reconciliations WHERE month = '${month}-01' ORDER BY id DESC LIMIT 1`), '1');
    assert.equal((await op.post('/admin/billing', { month: '2026-13' })).status, 422);
    s.psql(`DELETE FROM meter_outbox WHERE identifier = 'tg-admin-test-7'; DELETE FROM billing_accounts WHERE tenant_id = ${tenantId}`);
  });

  test('logging out ends the operator\'s session', async () => {
    const cookie = op.cookieHeader();
    await op.open('/admin/');
    assert.equal((await op.post('/admin/logout', {})).status, 303);
    assert.equal((await get(`${s.console}/admin/`, { Cookie: cookie })).status, 303);
  });
});
