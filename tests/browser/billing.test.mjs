// Upgrading in a real browser: a Free tenant's owner opens the Plan page, clicks Upgrade on
// Pro, pays on (the local fake of) Stripe's hosted checkout page, comes back to the portal
// on Pro with the new limits enforced by the gateway, opens the billing portal, downgrades
// at the period's end, and files a priority support request that the operator sees first.
// With SCREENSHOTS=1 the Plan pages are saved as docs/screenshots/billing-*.png.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import { ROOT, get, startStack, waitFor } from '../e2e/harness.mjs';
import { startFakeStripe } from '../fakes/stripe.mjs';

const CHROMIUM = '/usr/bin/chromium';
const WAIT = 30000;
const SHOTS = process.env.SCREENSHOTS === '1' ? path.join(ROOT, 'docs/screenshots') : null;
const EMAIL = 'owen@orbit.test';
const PASSWORD = 'correct horse battery staple';
const ORG = 'Orbit Maps';

describe('upgrading in a browser', () => {
  let s;
  let fake;
  let browser;
  let page;
  let key;
  const problems = [];

  async function snap(name) {
    if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `billing-${name}.png`), fullPage: true, animations: 'disabled' });
  }

  async function submit(button) {
    const [res] = await Promise.all([page.waitForNavigation({ timeout: WAIT }), button.click()]);
    return res;
  }

  // A burst of n requests with the key: how many the gateway let through.
  async function burst(n) {
    const rs = await Promise.all(Array.from({ length: n }, () => get(`${s.url}/orbit`, { 'X-Api-Key': key })));
    return rs.filter((r) => r.status === 200).length;
  }

  before(async () => {
    if (SHOTS) fs.mkdirSync(SHOTS, { recursive: true });
    fake = await startFakeStripe();
    s = await startStack({
      workers: 2,
      env: {
        TOLLGATE_STRIPE_API_KEY: 'sk_test_fake',
        TOLLGATE_STRIPE_API_URL: fake.url,
        TOLLGATE_STRIPE_WEBHOOK_SECRET: 'whsec_test_fake',
        TOLLGATE_STRIPE_METER_ID: 'mtr_browser',
      },
    });
    fake.setWebhook(`${s.console}/stripe/webhook`, 'whsec_test_fake');
    s.mustCli('plan', 'set', 'pro', '--stripe-price', 'price_browser_pro');
    s.mustCli('plan', 'set', 'scale', '--stripe-price', 'price_browser_scale');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: s.console });
    context.setDefaultTimeout(WAIT);
    context.setDefaultNavigationTimeout(WAIT);
    page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      // Only the portal's own pages are ours to keep clean (the fake's pages are not).
      if (m.type() === 'error' && page.url().startsWith(s.console)) problems.push(`console: ${m.text()} on ${page.url()}`);
    });
  });

  after(async () => {
    try {
      await browser?.close();
    } finally {
      await s?.stop();
      await fake?.stop();
    }
  });

  test('a new owner signs up and has a key on Free', async () => {
    await page.goto('/portal/signup');
    await page.getByLabel('Work email').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByLabel('Organisation').fill(ORG);
    const res = await submit(page.getByRole('button', { name: 'Create account' }));
    assert.equal(res.status(), 200);
    const slug = s.psql(`SELECT t.slug FROM tenants t JOIN users u ON u.tenant_id = t.id WHERE u.email = '${EMAIL}'`);
    s.mustCli('tenant', 'set', slug, '--upstream', `http://127.0.0.1:${s.upstream.port}`);
    key = s.key(slug);
    await waitFor('the key', async () => (await get(`${s.url}/orbit`, { 'X-Api-Key': key })).status === 200, { timeout: WAIT });
  });

  test('the Plan page shows Free as current and offers Pro and Scale', async () => {
    await Promise.all([page.waitForNavigation(), page.locator('header nav').getByRole('link', { name: 'Plan', exact: true }).click()]);
    assert.equal(await page.locator('.plan.current h2').innerText(), 'Free');
    assert.equal(await page.getByRole('button', { name: 'Upgrade' }).count(), 2);
    await snap('free');
  });

  test('Upgrade goes through Stripe Checkout and comes back on Pro, enforced at once', async () => {
    const pro = page.locator('.plan', { has: page.getByRole('heading', { name: 'Pro' }) });
    let res = await submit(pro.getByRole('button', { name: 'Upgrade' }));
    assert.equal(new URL(page.url()).origin, fake.url, 'sent to the checkout page');
    await page.getByRole('button', { name: 'Pay' }).waitFor();
    await snap('checkout');
    res = await submit(page.getByRole('button', { name: 'Pay' }));
    assert.equal(res.status(), 200);
    assert.equal(new URL(page.url()).pathname, '/portal/billing');
    assert.match(await page.locator('.notice').first().innerText(), /payment went through/);
    assert.equal(await page.locator('.plan.current h2').innerText(), 'Pro');
    assert.match(await page.locator('main').innerText(), /active/);
    await snap('pro');
    // Free's burst is 10; Pro's is 50: 30 at once all pass once the gate has the plan.
    await waitFor('Pro\'s limits at the gateway', async () => (await burst(30)) === 30, { timeout: WAIT, interval: 1200 });
  });

  test('payment details open Stripe\'s billing portal', async () => {
    await submit(page.getByRole('button', { name: 'Payment details and invoices' }));
    assert.equal(new URL(page.url()).origin, fake.url);
    await page.getByText('Manage billing').first().waitFor();
    await page.goto('/portal/billing');
  });

  test('downgrading keeps Pro until the period ends, then Free', async () => {
    const free = page.locator('.plan', { has: page.getByRole('heading', { name: 'Free' }) });
    await submit(free.getByRole('button', { name: 'Downgrade at period end' }));
    await fake.flush();
    await page.reload();
    assert.match(await page.locator('main').innerText(), /ends with the current period/);
    assert.equal(await page.locator('.plan.current h2').innerText(), 'Pro');
    await snap('ending');
    const sub = fake.subscriptionFor(s.psql(`SELECT customer_id FROM billing_accounts a JOIN users u ON u.tenant_id = a.tenant_id WHERE u.email = '${EMAIL}'`));
    await fake.endPeriod(sub.id);
    await page.reload();
    assert.equal(await page.locator('.plan.current h2').innerText(), 'Free');
  });

  test('a support request from a priority plan is first in the operator\'s queue', async () => {
    // The operator puts the former customer back on Pro by hand (a goodwill gesture):
    // billing does not overrule it, and Pro has priority support.
    const slug = s.psql(`SELECT t.slug FROM tenants t JOIN users u ON u.tenant_id = t.id WHERE u.email = '${EMAIL}'`);
    s.mustCli('tenant', 'set', slug, '--plan', 'pro');
    s.psql("INSERT INTO support_requests (tenant_id, email, subject, body, plan_id, priority) SELECT id, 'x@y.test', 'older, not priority', 'b', 'free', false FROM tenants LIMIT 1");
    await Promise.all([page.waitForNavigation(), page.locator('header nav').getByRole('link', { name: 'Support', exact: true }).click()]);
    assert.match(await page.locator('main').innerText(), /priority support/);
    await page.getByLabel('Subject').fill('Keys stopped working');
    await page.getByLabel('What happened').fill('Since 10:00 UTC every call answers 401.');
    await submit(page.getByRole('button', { name: 'Send' }));
    assert.match(await page.locator('table').innerText(), /Keys stopped working/);
    const op = spawnSync(s.bin, ['admin', 'create', 'ops@orbit.test'], { env: s.env, input: 'operator password 1\n', encoding: 'utf8' });
    assert.equal(op.status, 0, op.stderr);
    await page.goto('/admin/login');
    await page.getByLabel('Email').fill('ops@orbit.test');
    await page.getByLabel('Password').fill('operator password 1');
    await submit(page.getByRole('button', { name: 'Log in' }));
    await page.goto('/admin/support');
    const first = await page.locator('tbody tr').first().innerText();
    assert.match(first, /Keys stopped working/);
    assert.match(first, /priority/);
    await snap('admin-support');
  });

  test('no portal page had a script error or a console error', () => {
    assert.deepEqual(problems, []);
  });
});
