// The onboarding portal in a real browser (headless Chromium driven by playwright-core):
// a new user signs up, points Tollgate at an API, makes a key, runs the quickstart's curl
// line against the gateway, watches the request arrive, rotates the key, switches abuse
// protection to enforce and labels a block, and is shown why once an operator suspends the
// organisation. With SCREENSHOTS=1 every page it visits is saved as
// docs/screenshots/NN-name.png (1280×800 viewport, full page) for `make walkthrough`.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { ROOT, get, startStack, waitFor } from '../e2e/harness.mjs';

const CHROMIUM = '/usr/bin/chromium';
const WAIT = 30000; // for anything that waits on state: page loads, propagation, refreshes
const SHOTS = process.env.SCREENSHOTS === '1' ? path.join(ROOT, 'docs/screenshots') : null;

const EMAIL = 'nora@nimbus.test';
const PASSWORD = 'correct horse battery staple';
const ORG = 'Nimbus Forecasts Ltd';
// The portal derives the slug from the organisation's name.
const SLUG = ORG.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

// Async on purpose: the fake upstream answers from this very process, so a synchronous
// child would wait on an event loop it blocks.
const execFileP = promisify(execFile);

// Splits a shell command as the quickstart shows it (backslash-newline continuations,
// double- or single-quoted words) into its words. Enough for the lines on our pages.
function shellWords(cmd) {
  const words = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (const m of cmd.replace(/\\\n/g, ' ').matchAll(re)) {
    words.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2] !== undefined ? m[2] : m[3]);
  }
  return words;
}

// Runs curl with the words of a command line (without the leading "curl") and returns
// { status, body }.
async function curl(words) {
  const { stdout } = await execFileP('curl', ['-sS', '--max-time', '10', ...words], { encoding: 'utf8' });
  const [head, ...rest] = stdout.split(/\r?\n\r?\n/);
  const status = Number(head.match(/^HTTP\/[\d.]+ (\d{3})/)[1]);
  return { status, body: rest.join('\n\n') };
}

describe('the portal in a browser', () => {
  let s;
  let browser;
  let page;
  let shot = 0;
  const problems = []; // uncaught page errors and console errors (a CSP refusal, say)
  let key; // the first secret
  let rotated; // the secret after rotation

  // Saves a full-page screenshot as docs/screenshots/NN-name.png when SCREENSHOTS=1 (the
  // names are the ones scripts/walkthrough.sh lists). The quickstart page reloads itself
  // while it waits: a shot that a reload interrupts is taken again.
  async function snap(name) {
    shot += 1;
    if (!SHOTS) return;
    const file = path.join(SHOTS, `${String(shot).padStart(2, '0')}-${name}.png`);
    for (let attempt = 1; ; attempt++) {
      try {
        await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
        return;
      } catch (e) {
        if (attempt === 3) throw e;
        await page.waitForLoadState('load');
      }
    }
  }

  // Clicks a button that submits a form and returns the response of the page it leads to
  // (after any redirect).
  async function submit(button) {
    const [res] = await Promise.all([page.waitForNavigation({ timeout: WAIT }), button.click()]);
    return res;
  }

  // Follows a link of the navigation bar, as a user would.
  async function nav(name) {
    const [res] = await Promise.all([page.waitForNavigation({ timeout: WAIT }),
      page.locator('header nav').getByRole('link', { name, exact: true }).click()]);
    assert.equal(res.status(), 200, `${name}: ${res.status()}`);
    return res;
  }

  const gatewayStatus = async (secret) => (await get(`${s.url}/browser`, { Authorization: `Bearer ${secret}` })).status;

  before(async () => {
    if (SHOTS) {
      fs.mkdirSync(SHOTS, { recursive: true });
      for (const f of fs.readdirSync(SHOTS)) if (/^\d\d-.*\.png$/.test(f)) fs.rmSync(path.join(SHOTS, f));
    }
    s = await startStack({ workers: 2 });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: s.console });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: s.console });
    context.setDefaultTimeout(WAIT);
    context.setDefaultNavigationTimeout(WAIT);
    page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      const url = m.location().url;
      // Chromium reports a page answered with an error status as a failed resource: the
      // suspension page's 403 is meant, and the portal has no favicon.
      if (/Failed to load resource/.test(m.text()) && (url === page.url() || (url && new URL(url).pathname === '/favicon.ico'))) return;
      problems.push(`console: ${m.text()} (${url} on ${page.url()})`);
    });
  });

  after(async () => {
    try {
      await browser?.close();
    } finally {
      await s?.stop();
    }
  });

  test('a new user signs up and lands on the guide', async () => {
    let res = await page.goto('/portal/signup');
    assert.equal(res.status(), 200);
    await page.getByLabel('Work email').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByLabel('Organisation').fill(ORG);
    await snap('signup');
    // The login page is one click away, and back.
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Log in' }).click()]);
    assert.equal(new URL(page.url()).pathname, '/portal/login');
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await snap('login');
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Create an account' }).click()]);
    await page.getByLabel('Work email').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByLabel('Organisation').fill(ORG);
    res = await submit(page.getByRole('button', { name: 'Create account' }));
    assert.equal(res.status(), 200);
    assert.equal(new URL(page.url()).pathname, '/portal/');
    await page.getByRole('heading', { name: 'Get started' }).waitFor();
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), ORG);
    assert.match(await page.locator('header').innerText(), new RegExp(EMAIL));
    assert.equal(await page.locator('.steps li.done').count(), 0, 'nothing done yet');
    assert.equal(s.psql(`SELECT t.slug FROM tenants t JOIN users u ON u.tenant_id = t.id WHERE u.email = '${EMAIL}'`), SLUG);
    await snap('dashboard-new');
  });

  test('the upstream is set, and its step of the guide is ticked', async () => {
    await nav('Upstream');
    await page.getByLabel('Upstream URL').fill(`http://127.0.0.1:${s.upstream.port}`);
    await snap('upstream');
    const res = await submit(page.getByRole('button', { name: 'Save' }));
    assert.equal(res.status(), 200);
    assert.equal(new URL(page.url()).pathname, '/portal/');
    const step = page.locator('.steps li', { hasText: 'Point Tollgate at your API' });
    assert.match(await step.getAttribute('class'), /\bdone\b/);
    assert.equal(await page.locator('.steps li.done').count(), 1);
    await snap('dashboard-upstream');
  });

  test('a key named "production" is made and shown once', async () => {
    await nav('Keys');
    await page.getByLabel('Name', { exact: true }).fill('production');
    const res = await submit(page.getByRole('button', { name: 'Create key' }));
    assert.equal(res.status(), 201);
    key = (await page.locator('#new-key').innerText()).trim();
    assert.match(key, /^tg_live_[0-9A-Za-z_]+$/);
    assert.match(await page.locator('#curl-get').innerText(), new RegExp(`Authorization: Bearer ${key}`));
    // The Copy button (templates/static/app.js, allowed by the page's CSP) copies the key.
    await page.locator('.reveal button.copy[data-copy="new-key"]').click();
    await page.locator('.reveal button.copy[data-copy="new-key"]', { hasText: 'Copied' }).waitFor();
    assert.equal((await page.evaluate(() => navigator.clipboard.readText())).trim(), key);
    await snap('keys-new-key');
    await nav('Keys');
    const row = page.locator('tbody tr', { hasText: key.slice(0, 16) });
    assert.equal(await row.count(), 1);
    assert.match(await row.innerText(), /production/);
    assert.ok(!(await page.content()).includes(key), 'the secret is not shown again');
    await snap('keys');
  });

  test('the quickstart\'s curl line reaches the upstream, and the portal sees the request', async () => {
    await nav('Quickstart');
    await page.locator('#first-request[data-state="waiting"]').waitFor();
    const gateway = (await page.locator('#gateway-url').innerText()).trim();
    assert.equal(gateway, s.url);
    const words = shellWords((await page.locator('#curl-get').innerText()).trim());
    await snap('quickstart-waiting');
    assert.equal(words[0], 'curl');
    const url = words.find((w) => /^https?:/.test(w));
    assert.ok(url.startsWith(gateway), `${url} is on the gateway`);
    const args = words.slice(1).map((w) => w.replace('$KEY', key));
    assert.ok(args.includes(`Authorization: Bearer ${key}`), `the key goes in a header: ${args}`);
    // A new key reaches the gate's nodes within a second.
    const r = await waitFor('the key at the gateway', async () => {
      const res = await curl(args);
      return res.status === 200 ? res : null;
    }, { timeout: WAIT, interval: 200 });
    assert.match(r.body, /Hello from the demo upstream/);

    // The page refreshes itself every 3 s until the request has been counted.
    await page.locator('#first-request[data-state="received"]').waitFor({ timeout: WAIT });
    await snap('quickstart-received');
    await nav('Dashboard');
    await waitFor('the request on the dashboard', async () => {
      const n = parseInt(await page.locator('#month-requests').innerText(), 10);
      if (n >= 1) return true;
      await page.reload();
      return false;
    }, { timeout: WAIT, interval: 500 });
    assert.equal(await page.getByRole('heading', { name: 'Get started' }).count(), 0, 'the guide is done');
    await snap('dashboard-traffic');
  });

  test('the key is rotated: the old one keeps working for its hour, the new one works', async () => {
    await nav('Keys');
    const row = page.locator('tbody tr', { hasText: key.slice(0, 16) });
    await row.getByRole('combobox').selectOption({ label: 'grace 1 hour' });
    const res = await submit(row.getByRole('button', { name: 'Rotate' }));
    assert.equal(res.status(), 201);
    rotated = (await page.locator('#new-key').innerText()).trim();
    assert.match(rotated, /^tg_live_[0-9A-Za-z_]+$/);
    assert.notEqual(rotated, key);
    await snap('keys-rotated');
    await waitFor('the new key at the gateway', async () => (await gatewayStatus(rotated)) === 200, { timeout: WAIT, interval: 200 });
    assert.equal(await gatewayStatus(key), 200, 'the old key in its grace period');
    await nav('Keys');
    assert.equal(await page.locator('tbody tr', { hasText: rotated.slice(0, 16) }).count(), 1);
    const old = await page.locator('tbody tr', { hasText: key.slice(0, 16) }).innerText();
    assert.doesNotMatch(old, /never/, `the old key has an end: ${old}`);
  });

  test('abuse protection is switched to enforce, and a block labelled a false positive', async () => {
    await nav('Abuse');
    await page.locator('input[name="mode"][value="enforce"]').check();
    let res = await submit(page.getByRole('button', { name: 'Save mode' }));
    assert.equal(res.status(), 200);
    assert.ok(await page.locator('input[name="mode"][value="enforce"]').isChecked(), 'enforce, as saved');
    assert.equal(s.psql(`SELECT abuse_mode FROM tenants WHERE slug = '${SLUG}'`), 'enforce');

    const id = '3c1f0a7e-5b2d-4e6f-9a81-0f1e2d3c4b5a';
    // As the flusher stores one (app/serve/samples.c), with its explanation.
    const why = { rule: 'path_enumeration', model_version: 0, signals: [
      { signal: 'path_enumeration', value: 1, contribution: 9 }, { signal: 'not_found_ratio', value: 0.82, contribution: 2.46 }] };
    s.psql(`INSERT INTO abuse_decisions (id, tenant_id, ip, network, at, outcome, enforced, reason, score, method, route, ua_family, features, explanation)
      SELECT '${id}', id, '203.0.113.9', '203.0.113.0/24', now(), 'block', true, 'path_enumeration', 0.97, 'GET', '/admin/:id', 'curl', '{0}',
        '${JSON.stringify(why)}' FROM tenants WHERE slug = '${SLUG}'`);
    res = await page.reload();
    assert.equal(res.status(), 200);
    const row = page.locator('table.decisions tbody tr', { hasText: 'path_enumeration' });
    assert.equal(await row.count(), 1);
    assert.match(await row.locator('.why').innerText(), /^path_enumeration \+9\.0, not_found_ratio \+2\.5$/, 'why, in signals');
    await snap('abuse-block');
    res = await submit(row.getByRole('button', { name: 'False positive' }));
    assert.equal(res.status(), 200);
    await row.locator('.pill', { hasText: 'false_positive' }).waitFor();
    assert.equal(await row.getByRole('button', { name: 'False positive' }).count(), 0, 'labelled once');
    assert.equal(s.psql(`SELECT label FROM abuse_decisions WHERE id = '${id}'`), 'false_positive');
    await snap('abuse-labelled');
  });

  test('the team page: a management token is made and shown once', async () => {
    await nav('Team');
    await page.getByLabel('Name').fill('ci');
    const res = await submit(page.getByRole('button', { name: 'Create token' }));
    assert.equal(res.status(), 201);
    const token = (await page.locator('#new-token').innerText()).trim();
    assert.match(token, /^tgm_/);
    assert.equal((await get(`${s.console}/api/v1/tenant`, { Authorization: `Bearer ${token}` })).status, 200);
    await snap('team');
  });

  test('an operator signs in to the admin pages and suspends the organisation: its keys stop', async () => {
    const op = spawnSync(s.bin, ['admin', 'create', 'ops@tollgate.test'], { env: s.env, input: 'operator password 1\n', encoding: 'utf8' });
    assert.equal(op.status, 0, op.stderr);
    let res = await page.goto('/admin/login');
    assert.equal(res.status(), 200);
    await page.getByLabel('Email').fill('ops@tollgate.test');
    await page.getByLabel('Password').fill('operator password 1');
    res = await submit(page.getByRole('button', { name: 'Log in' }));
    assert.equal(new URL(page.url()).pathname, '/admin/');
    await page.getByRole('link', { name: ORG }).waitFor();
    await snap('admin-platform');
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: ORG }).click()]);
    await snap('admin-tenant');
    res = await submit(page.getByRole('button', { name: 'Suspend tenant' }));
    assert.equal(res.status(), 200);
    await page.getByRole('button', { name: 'Resume tenant' }).waitFor();
    await waitFor('the key refused at the gateway', async () => [401, 403].includes(await gatewayStatus(rotated)), { timeout: WAIT, interval: 200 });
    res = await page.goto('/admin/audit');
    assert.match(await page.locator('table.audit').innerText(), /tenant\.suspend/);
    await snap('admin-audit');
  });

  test('the suspended organisation\'s staff are told why, and can log out', async () => {
    let res = await page.goto('/portal/');
    assert.equal(res.status(), 403);
    assert.match(await page.locator('main').innerText(), /suspended/);
    await snap('suspended');
    res = await submit(page.locator('header').getByRole('button', { name: 'Log out' }));
    assert.equal(new URL(page.url()).pathname, '/portal/login');
    await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Forgot your password?' }).click()]);
    await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
    await snap('forgot');
  });

  test('no page had a script error or a console error', () => {
    assert.deepEqual(problems, []);
  });
});
