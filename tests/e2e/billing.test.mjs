// Billing with Stripe, end to end: the real stack (PostgreSQL, Caddy, `tollgate serve`)
// against the Stripe fake (tests/fakes/stripe.mjs). Webhooks are verified and applied once
// and in order; a tenant's plan follows its subscription on every node (checkout, switch,
// a failed payment's grace, a cancellation at the period's end); and every admitted request
// reaches Stripe's meter exactly once, one call at a time per customer, with two nodes'
// billers at work, through a biller killed mid-call and a Stripe that is down for a while.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import Stripe from 'stripe';
import { startFakeStripe } from '../fakes/stripe.mjs';
import { fileIncludes, get, startStack, waitFor } from './harness.mjs';

const SECRET = 'whsec_test_fake';
const GRACE_S = 3;
const env = {
  TOLLGATE_STRIPE_API_KEY: 'sk_test_fake',
  TOLLGATE_STRIPE_WEBHOOK_SECRET: SECRET,
  TOLLGATE_STRIPE_METER_ID: 'mtr_test',
  TOLLGATE_BILLING_INTERVAL: '1s',
  TOLLGATE_BILLING_GRACE: `${GRACE_S}s`,
  TOLLGATE_STRIPE_TIMEOUT: '2s',
  TOLLGATE_FLUSH_INTERVAL: '200ms',
};
// Waits on state, not the clock: generous, since a wait returns as soon as the state is there.
const PATIENCE = 30000;
const METER = /^\/v1\/billing\/meter_events$/;
// Limits out of the way for the metering scenarios: they are about counting, not refusing.
const UNLIMITED = 'key_rps = 1000000, key_burst = 1000000, key_rpm = 100000000, ' +
  'tenant_rps = 1000000, tenant_burst = 1000000, tenant_rpm = 100000000, monthly_unlimited = true';
// The per-key burst of each plan (migrations/0002), as the gate reports it in RateLimit-Policy.
const BURST = { free: 10, pro: 50, scale: 200 };

// The CLI without blocking this process (s.cli would: the fake, which answers the CLI's
// calls to Stripe, runs here). Resolves { status, stdout, stderr }.
const cliAsync = (node, ...args) => new Promise((resolve) => {
  execFile(node.bin, args, { env: node.env, timeout: 60000 }, (err, stdout, stderr) =>
    resolve({ status: err ? (typeof err.code === 'number' ? err.code : String(err.code ?? err.signal)) : 0, stdout, stderr }));
});

// psql without blocking this process either, for the waits that poll while the fake
// serves the biller (a blocked event loop would delay the fake's answers).
const psqlAsync = (node, sql) => new Promise((resolve, reject) => {
  execFile('psql', [node.env.TOLLGATE_DATABASE_URL, '-Atqc', sql], (err, stdout, stderr) =>
    (err ? reject(new Error(`psql: ${stderr || err.message}`)) : resolve(stdout.trim())));
});

const nowS = () => Math.floor(Date.now() / 1000);
const rid = (prefix) => `${prefix}_${randomBytes(12).toString('hex')}`;

// A management-API call with a token; a JSON body gets its Content-Type.
const call = (node, p, token, { method = 'GET', body } = {}) => get(`${node.console}${p}`, {
  Authorization: `Bearer ${token}`,
  ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
}, { method, body: body === undefined ? undefined : JSON.stringify(body) });

// A metric's value from a node's /metrics; labels as written there, e.g. 'outcome="sent"'.
async function metric(node, name, labels = '') {
  const text = (await get(`${node.internal}/metrics`)).text;
  const want = labels ? `${name}{${labels}} ` : `${name} `;
  const line = text.split('\n').find((l) => l.startsWith(want));
  return line ? Number(line.slice(want.length)) : NaN;
}

// The per-key burst the gate enforces for key on a node, from one request's RateLimit-Policy.
async function keyBurst(node, key) {
  const r = await get(`${node.url}/v1/probe`, { 'X-Api-Key': key });
  const m = (r.headers.get('ratelimit-policy') || '').match(/"key-second";q=(\d+)/);
  return m ? Number(m[1]) : null;
}

// n requests with one key at once: how many got through, and the other statuses.
async function burst(node, key, n) {
  const statuses = await Promise.all(Array.from({ length: n }, () =>
    fetch(`${node.url}/v1/burst`, { headers: { 'X-Api-Key': key } })
      .then(async (r) => { await r.arrayBuffer(); return r.status; }, () => 'network')));
  const other = {};
  for (const st of statuses) if (st !== 200) other[st] = (other[st] || 0) + 1;
  return { through: statuses.filter((st) => st === 200).length, other };
}

// Sends n requests, `lanes` at a time, each lane pausing gapMs between its requests (the
// pace spreads the load over seconds: it is the shape of the traffic, not a wait for state).
// during(done) is called after each response. Returns how many got through (200).
async function traffic(node, key, n, { lanes = 5, gapMs = 60, during } = {}) {
  let next = 0;
  let done = 0;
  let through = 0;
  const other = {};
  async function lane() {
    while (next < n) {
      next++;
      let status;
      try {
        const r = await fetch(`${node.url}/v1/metered`, { headers: { 'X-Api-Key': key } });
        await r.arrayBuffer();
        status = r.status;
      } catch {
        status = 'network';
      }
      if (status === 200) through++;
      else other[status] = (other[status] || 0) + 1;
      done++;
      during?.(done);
      await sleep(gapMs);
    }
  }
  await Promise.all(Array.from({ length: lanes }, lane));
  return { through, other };
}

describe('billing with Stripe', () => {
  let s; // the stack the fake sends its webhooks to
  let b; // a second node on the same PostgreSQL, for the tests of two nodes
  let fake;
  let n = 0;

  // The second node, started once for the tests that need two.
  async function second() {
    if (!b || b.stopped) b = await startStack({ env: { ...env, TOLLGATE_STRIPE_API_URL: fake.url }, database: s });
    return b;
  }

  const plan = (t) => s.psql(`SELECT plan_id FROM tenants WHERE id = ${t.id}`);
  const billing = async (t, node = s) => {
    const r = await call(node, '/api/v1/billing', t.token);
    assert.equal(r.status, 200, r.text);
    return r.json.data;
  };
  const tenantPlan = async (t, node = s) => {
    const r = await call(node, '/api/v1/tenant', t.token);
    assert.equal(r.status, 200, r.text);
    return r.json.data.plan;
  };
  // The events Tollgate accepted for a customer (one per identifier: the fake refuses a
  // second with the same identifier), and the meter calls it made for it (retries included).
  const accepted = (customer) => [...fake.meterEvents.values()].filter((e) => e.payload.stripe_customer_id === customer);
  const meterCalls = (customer) => fake.received.filter((r) => r.method === 'POST' && METER.test(r.path)
    && r.form?.payload?.stripe_customer_id === customer);
  const sum = (evs) => evs.reduce((a, e) => a + Number(e.payload.value), 0);
  const unsent = (t) => Number(s.psql(`SELECT count(*) FROM meter_outbox WHERE sent_at IS NULL${t ? ` AND tenant_id = ${t.id}` : ''}`));

  // Waits until the tenant's n admitted requests are all stored, all queued (the marks
  // caught up with the usage) and all sent: then Stripe holds what it will ever hold.
  // Returns a line saying where things stand.
  async function settled(u, n, timeout = 45000) {
    let last = '';
    const state = async () => {
      const [usage, marked, left] = (await psqlAsync(s, `SELECT (SELECT coalesce(sum(requests), 0) FROM usage_hourly WHERE tenant_id = ${u.id}), `
        + `(SELECT coalesce(sum(requests), 0) FROM meter_marks WHERE tenant_id = ${u.id}), `
        + `(SELECT count(*) FROM meter_outbox WHERE sent_at IS NULL AND tenant_id = ${u.id})`)).split('|').map(Number);
      last = `${n} admitted, usage ${usage}, queued up to ${marked}, ${left} unsent; Stripe holds ${sum(accepted(u.customer))}`;
      return usage === n && marked === n && left === 0;
    };
    await waitFor(`${u.slug}'s usage all sent to Stripe`, state, { timeout, interval: 200 })
      .catch((e) => { throw new Error(`${e.message} (${last})\n${s.logs()}`); });
    return last;
  }

  // Waits until the gate on `node` enforces `want`'s per-key burst for key.
  const enforces = (node, key, want, what) => waitFor(what, async () => (await keyBurst(node, key)) === BURST[want], { timeout: PATIENCE, interval: 100 });

  // A fresh tenant on Free with a management token.
  function freshTenant(label) {
    const slug = `bill-${label}-${++n}`;
    const t = s.tenant(slug, '--plan', 'free');
    t.token = s.mustCli('token', 'create', slug).trim();
    return t;
  }

  // Buys `want` through the API and the fake's hosted Checkout page: the tenant becomes a
  // Stripe customer with a subscription. Returns how long paying took (the webhooks are
  // delivered before the page answers).
  async function buy(t, want = 'pro') {
    const r = await call(s, '/api/v1/billing/checkout', t.token, { method: 'POST', body: { plan: want } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.data.action, 'checkout');
    const url = r.json.data.url;
    assert.ok(url.startsWith(`${fake.url}/checkout/cs_`), url);
    const session = fake.sessions.get(url.split('/').pop());
    assert.ok(session, 'the session was made at the fake');
    assert.equal(session.client_reference_id, String(t.id));
    assert.equal(session.customer, s.psql(`SELECT customer_id FROM billing_accounts WHERE tenant_id = ${t.id}`),
      'the checkout is for the tenant\'s own customer');
    const from = fake.webhookLog.length;
    const t0 = Date.now();
    const paid = await fetch(`${url}/pay`, {
      method: 'POST', redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: '',
    });
    const payMs = Date.now() - t0;
    assert.equal(paid.status, 303);
    assert.equal(paid.headers.get('location'), `${s.console}/portal/billing?checkout=done`);
    assert.deepEqual(fake.webhookLog.slice(from).map((w) => `${w.type} ${w.status}`),
      ['customer.subscription.created 200', 'checkout.session.completed 200', 'invoice.paid 200']);
    t.customer = fake.sessions.get(session.id).customer;
    t.sub = fake.sessions.get(session.id).subscription;
    assert.match(t.customer, /^cus_/);
    assert.match(t.sub, /^sub_/);
    const ids = fake.webhookLog.slice(from).map((w) => `'${w.id}'`).join(',');
    assert.deepEqual(s.psql(`SELECT type || ' ' || outcome FROM stripe_events WHERE id IN (${ids}) AND tenant_id = ${t.id} ORDER BY received_at, id`).split('\n'),
      ['customer.subscription.created applied', 'checkout.session.completed applied', 'invoice.paid applied']);
    return { t0, payMs };
  }

  // A tenant that has bought `want` (a fresh one).
  async function customer(label, want = 'pro') {
    const t = freshTenant(label);
    await buy(t, want);
    assert.equal(plan(t), want);
    return t;
  }

  // A key made after the tenant's limits were lifted, and loaded by the gate, with no
  // request sent (every request a test sends is one it counts).
  async function meteredKey(t) {
    s.psql(`UPDATE tenants SET ${UNLIMITED} WHERE id = ${t.id}`);
    const loaded = (await get(`${s.internal}/health/ready`)).json.data.keys;
    const key = s.key(t.slug);
    await waitFor('the new key at the gate', async () => (await get(`${s.internal}/health/ready`)).json?.data?.keys === loaded + 1,
      { timeout: PATIENCE });
    return key;
  }

  // Every accepted event of a customer: the tenant's identifier for its hour and cumulative
  // count, each value the step from the previous cumulative count of that hour (so no
  // usage is missing between them or counted twice), and exactly the outbox's rows.
  function assertChain(t, evs) {
    const hours = new Map();
    for (const e of evs) {
      const m = e.identifier.match(/^tg-(\d+)-(\d+)-(\d+)$/);
      assert.ok(m, `identifier ${e.identifier}`);
      assert.equal(m[1], String(t.id));
      assert.equal(e.timestamp, Number(m[2]), 'the event is dated at its hour');
      assert.equal(e.timestamp % 3600, 0);
      if (!hours.has(m[2])) hours.set(m[2], []);
      hours.get(m[2]).push({ cum: Number(m[3]), value: Number(e.payload.value) });
    }
    for (const [hour, list] of hours) {
      list.sort((x, y) => x.cum - y.cum);
      let prev = 0;
      for (const { cum, value } of list) {
        assert.equal(value, cum - prev, `hour ${hour}: the event up to ${cum} carries ${value}, after ${prev}`);
        prev = cum;
      }
    }
    const outbox = s.psql(`SELECT identifier || ' ' || value FROM meter_outbox WHERE tenant_id = ${t.id} ORDER BY identifier`)
      .split('\n').filter(Boolean);
    assert.deepEqual(evs.map((e) => `${e.identifier} ${e.payload.value}`).sort(), outbox.sort(),
      'Stripe holds exactly the outbox\'s events');
  }

  before(async () => {
    fake = await startFakeStripe({ webhookSecret: SECRET });
    s = await startStack({ env: { ...env, TOLLGATE_STRIPE_API_URL: fake.url } });
    fake.setWebhook(`${s.console}/stripe/webhook`, SECRET);
    s.mustCli('plan', 'set', 'pro', '--stripe-price', 'price_pro');
    s.mustCli('plan', 'set', 'scale', '--stripe-price', 'price_scale');
    assert.equal(s.psql("SELECT string_agg(id || '=' || coalesce(stripe_price, '-'), ' ' ORDER BY id) FROM plans"),
      'free=- pro=price_pro scale=price_scale');
  });
  after(async () => {
    fake.failures = { rate: 0, status: 500, delayMs: 0, hang: false, match: null };
    await b?.stop();
    await s?.stop();
    await fake?.stop();
  });

  test('webhook signatures: only a fresh event signed with the secret is applied, and only once', async () => {
    const t = freshTenant('sig');
    const cus = rid('cus');
    const sub = rid('sub');
    const created = nowS();
    const event = (over = {}) => {
      const object = {
        id: sub, object: 'subscription', status: 'active', customer: cus,
        items: { object: 'list', data: [{ id: rid('si'), object: 'subscription_item', price: { id: 'price_pro', object: 'price' },
          current_period_start: created, current_period_end: created + 30 * 86400 }] },
        cancel_at_period_end: false, metadata: { tenant_id: String(t.id), plan: 'pro' }, ...over.object,
      };
      return JSON.stringify({
        id: over.id ?? rid('evt'), object: 'event', api_version: '2026-07-29.dahlia', created,
        type: 'customer.subscription.created', livemode: false, data: { object },
      });
    };
    const sign = (payload, { secret = SECRET, timestamp = nowS() } = {}) =>
      Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
    const hook = (body, header) => get(`${s.console}/stripe/webhook`, {
      'Content-Type': 'application/json', ...(header !== undefined ? { 'Stripe-Signature': header } : {}),
    }, { method: 'POST', body });
    const rejected0 = await metric(s, 'tollgate_stripe_webhooks_total', 'outcome="rejected"');
    const applied0 = await metric(s, 'tollgate_stripe_webhooks_total', 'outcome="applied"');

    const body = event();
    const id = JSON.parse(body).id;
    const tampered = body.replace('"status":"active"', '"status":"active","x":1');
    assert.notEqual(tampered, body);
    const refusals = {
      'a tampered body': await hook(tampered, sign(body)),
      'another secret': await hook(body, sign(body, { secret: 'whsec_someone_else' })),
      'a stale timestamp (301 s)': await hook(body, sign(body, { timestamp: nowS() - 301 })),
      'no Stripe-Signature': await hook(body),
      'a header without v1': await hook(body, sign(body).replace(/v1=/, 'v0=')),
    };
    for (const [what, r] of Object.entries(refusals)) {
      assert.equal(r.status, 400, `${what}: ${r.status} ${r.text}`);
      assert.match(r.headers.get('content-type'), /^application\/problem\+json/, what);
    }
    assert.equal(s.psql(`SELECT count(*) FROM stripe_events WHERE id = '${id}'`), '0', 'a refused event is not recorded');
    assert.equal(s.psql(`SELECT count(*) FROM billing_accounts WHERE tenant_id = ${t.id}`), '0');
    assert.equal(plan(t), 'free', 'a refused event changes nothing');
    assert.equal((await billing(t)).subscription, null);

    const ok = await hook(body, sign(body));
    assert.equal(ok.status, 200, ok.text);
    assert.deepEqual(ok.json.data, { event: id, outcome: 'applied' });
    assert.equal(plan(t), 'pro');
    const got = await billing(t);
    assert.equal(got.plan, 'pro');
    assert.equal(got.billing_enabled, true);
    assert.equal(got.subscription.status, 'active');
    assert.equal(got.subscription.plan, 'pro');
    assert.equal(got.subscription.current_period_end, new Date((created + 30 * 86400) * 1000).toISOString().replace('.000', ''));

    // The same event again, as is and with other contents: recorded once, applied once.
    const again = await hook(body, sign(body));
    assert.equal(again.status, 200, again.text);
    assert.deepEqual(again.json.data, { event: id, outcome: 'duplicate' });
    const changed = event({ id, object: { status: 'canceled' } });
    const third = await hook(changed, sign(changed));
    assert.equal(third.status, 200, third.text);
    assert.equal(third.json.data.outcome, 'duplicate');
    assert.equal(s.psql(`SELECT count(*) FROM stripe_events WHERE id = '${id}'`), '1');
    assert.equal(plan(t), 'pro');
    assert.equal((await billing(t)).subscription.status, 'active');

    // A secret being rolled: one v1 per secret, either may match.
    const next = event({ object: { status: 'past_due' } });
    const ts = nowS();
    const both = `${sign(next, { secret: 'whsec_the_old_one', timestamp: ts })},${sign(next, { timestamp: ts }).split(',')[1]}`;
    const rolled = await hook(next, both);
    assert.equal(rolled.status, 200, rolled.text);
    assert.equal(rolled.json.data.outcome, 'applied');
    assert.equal((await billing(t)).subscription.status, 'past_due');

    // Signed but not Stripe's shape: a 400 (no retry mends it), not a 500 Stripe would
    // deliver again for three days; nothing recorded.
    for (const odd of [
      JSON.stringify({ id: rid('evt'), object: 'event', type: 'invoice.paid', created: nowS(), data: {} }),
      JSON.stringify({ id: rid('evt'), object: 'event', type: 'invoice.paid', created: 'soon', data: { object: {} } }),
      JSON.stringify({ id: 'not-an-event', type: 'invoice.paid', created: nowS(), data: { object: {} } }),
      '[1,2,3]',
    ]) {
      const r = await hook(odd, sign(odd));
      assert.equal(r.status, 400, `${odd}: ${r.status} ${r.text}`);
    }

    assert.equal(await metric(s, 'tollgate_stripe_webhooks_total', 'outcome="rejected"'), rejected0 + 9);
    assert.equal(await metric(s, 'tollgate_stripe_webhooks_total', 'outcome="applied"'), applied0 + 4);
  });

  test('upgrade through Checkout: both nodes enforce the paid plan about a second after paying', async (t) => {
    await second();
    {
      const u = freshTenant('up');
      const probe = s.key(u.slug); // reads the limits, one request at a time
      const free = s.key(u.slug); // shows Free's burst refusing
      const paid = s.key(u.slug); // untouched until the paid plan's burst
      for (const node of [s, b]) await enforces(node, probe, 'free', 'Free at the gate of both nodes');
      for (const [name, node] of [['first', s], ['second', b]]) {
        const r = await burst(node, free, 40);
        assert.ok(r.through <= BURST.free + 2 && r.other[429] >= 40 - BURST.free - 2,
          `${name} node on Free: a burst of 40 must be refused past ${BURST.free}: ${JSON.stringify(r)}`);
      }
      assert.equal((await billing(u)).subscription, null);

      const { t0, payMs } = await buy(u, 'pro');
      const seen = await Promise.all([s, b].map(async (node) => {
        let tried;
        await waitFor('Pro at the gate', () => { tried = Date.now(); return keyBurst(node, probe).then((q) => q === BURST.pro); },
          { timeout: PATIENCE, interval: 100 });
        return tried - t0;
      }));
      t.diagnostic(`paying took ${payMs} ms; Pro enforced ${seen[0]} ms (first node) and ${seen[1]} ms (second node) after paying began (promised within 1000 ms)`);
      const bursts = await Promise.all([s, b].map((node) => burst(node, paid, 40)));
      for (const [i, r] of bursts.entries()) {
        assert.deepEqual(r, { through: 40, other: {} }, `node ${i + 1} on Pro: a burst of 40 passes`);
      }
      for (const node of [s, b]) assert.equal(await tenantPlan(u, node), 'pro');
      const got = await billing(u);
      assert.equal(got.plan, 'pro');
      assert.equal(got.subscription.status, 'active');
      assert.equal(got.subscription.plan, 'pro');
      assert.equal(got.subscription.cancel_at_period_end, false);
      assert.equal(got.subscription.grace_until, null);
      const item = fake.subscriptions.get(u.sub).items.data[0];
      assert.equal(item.price.id, 'price_pro');
      assert.equal(Date.parse(got.subscription.current_period_start) / 1000, item.current_period_start);
      assert.equal(Date.parse(got.subscription.current_period_end) / 1000, item.current_period_end);

      // The monthly quota now follows the billing period: its window starts at the hour the
      // period started and runs to the same day and hour of the next month, on both nodes.
      // (The window's length alone can equal the calendar month's, as in December: the
      // Retry-After below is what tells the two windows apart.)
      const start = Math.floor(item.current_period_start / 3600) * 3600;
      const d = new Date(start * 1000);
      const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 2, 0)).getUTCDate();
      const end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, Math.min(d.getUTCDate(), last), d.getUTCHours()) / 1000;
      for (const node of [s, b]) {
        await waitFor('the quota window of the billing period', async () => {
          const r = await get(`${node.url}/v1/probe`, { 'X-Api-Key': probe });
          const w = (r.headers.get('ratelimit-policy') || '').match(/"month";q=1000000;w=(\d+)/);
          return w && Number(w[1]) === end - start;
        }, { timeout: PATIENCE, interval: 100 });
      }
      // A quota used up waits for the period's window to end, not the calendar month's.
      s.mustCli('tenant', 'set', u.slug, '--monthly', '1');
      let refused;
      await waitFor('the quota refusing', async () => {
        refused = await get(`${s.url}/v1/probe`, { 'X-Api-Key': probe });
        return refused.status === 429 && /quota-exceeded$/.test(refused.json?.type || '');
      }, { timeout: PATIENCE, interval: 100 });
      const wait = Number(refused.headers.get('retry-after'));
      assert.ok(Math.abs(wait - (end - nowS())) <= 5, `Retry-After ${wait} s; the period's window ends in ${end - nowS()} s`);
      s.mustCli('tenant', 'set', u.slug, '--monthly', 'plan');

      // With a subscription, checkout for the same plan buys nothing twice.
      const sessions = fake.sessions.size;
      const same = await call(s, '/api/v1/billing/checkout', u.token, { method: 'POST', body: { plan: 'pro' } });
      assert.equal(same.status, 200, same.text);
      assert.deepEqual(same.json.data, { action: 'keep', url: null });
      assert.equal(fake.sessions.size, sessions);
    }
  });

  test('two nodes: a customer never has two meter calls in flight, even when a batch outlasts its claim', async (t) => {
    await second();
    // Stripe answers each meter call after 1.5 s (within TOLLGATE_STRIPE_TIMEOUT): a biller
    // that claimed several customers at once is still sending the third when the claims
    // (the timeout + 2 s) run out, and the other node's biller is looking for work.
    const us = [];
    for (let i = 0; i < 6; i++) {
      const u = await customer('flight');
      u.key = await meteredKey(u);
      us.push(u);
    }
    fake.maxInFlightPerCustomer = 0;
    fake.failures = { rate: 0, status: 500, delayMs: 1500, hang: false, match: METER };
    const started = Date.now();
    try {
      for (const u of us) {
        const r = await burst(s, u.key, 3);
        assert.deepEqual(r, { through: 3, other: {} });
        u.sent = 3;
      }
      for (const u of us) await settled(u, u.sent, 60000);
    } finally {
      fake.failures = { rate: 0, status: 500, delayMs: 0, hang: false, match: null };
    }
    t.diagnostic(`all at Stripe after ${Date.now() - started} ms`);
    for (const u of us) {
      assert.equal(sum(accepted(u.customer)), u.sent);
      assertChain(u, accepted(u.customer));
    }
    // Calls for one customer that overlapped at Stripe (each was held 1.5 s there).
    const overlaps = [];
    for (const u of us) {
      const calls = meterCalls(u.customer).filter((r) => r.at >= started).sort((x, y) => x.at - y.at);
      for (let i = 1; i < calls.length; i++) {
        if (calls[i].at < calls[i - 1].at + 1500) {
          overlaps.push(`${calls[i - 1].form.identifier} at +${calls[i - 1].at - started} ms and ${calls[i].form.identifier} at +${calls[i].at - started} ms`);
        }
      }
    }
    assert.ok(fake.maxInFlightPerCustomer <= 1,
      `${fake.maxInFlightPerCustomer} meter calls in flight at once for one customer: ${overlaps.join('; ')}`);
  });

  test('two nodes: usage is queued once even when both billers\' fills overlap', async (t) => {
    let u;
    try {
      const other = await second();
      u = await customer('overlap');
      const key = await meteredKey(u);
      const keys = (await get(`${s.internal}/health/ready`)).json.data.keys;
      await waitFor('the key on the second node', async () => (await get(`${other.internal}/health/ready`)).json?.data?.keys === keys, { timeout: PATIENCE });
      // Requests through both nodes, all along.
      let through = 0;
      let stop = false;
      const other_ = {};
      const pump = (async () => {
        for (let i = 0; !stop; i++) {
          const r = await fetch(`${(i % 2 ? other : s).url}/v1/overlap`, { headers: { 'X-Api-Key': key } });
          await r.arrayBuffer();
          if (r.status === 200) through++;
          else other_[r.status] = (other_[r.status] || 0) + 1;
          await sleep(20);
        }
      })();
      try {
        await waitFor('the first usage queued', () => s.psql(`SELECT count(*) FROM meter_marks WHERE tenant_id = ${u.id}`) === '1', { timeout: PATIENCE });
        // A fill that takes a while (here: the tenant's mark held by another transaction, as a
        // slow fill on a third node would hold it): both billers start theirs meanwhile, each
        // reading the usage as it is when it starts.
        const holder = spawn('psql', [s.env.TOLLGATE_DATABASE_URL, '-q', '-v', 'ON_ERROR_STOP=1'], { stdio: ['pipe', 'ignore', 'inherit'] });
        const exited = new Promise((r) => holder.on('exit', r));
        holder.stdin.write(`BEGIN; SELECT 1 FROM meter_marks WHERE tenant_id = ${u.id} FOR UPDATE;\n`);
        const heldAt = Date.now();
        let waiting = 0;
        try {
          // Both, or (should a fill not wait at all) after every biller had a few rounds.
          await waitFor('both billers\' fills waiting', () => {
            waiting = Number(s.psql("SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
              + "AND query LIKE '%tollgate_meter_fill%' AND wait_event_type = 'Lock'"));
            return waiting === 2 || Date.now() - heldAt > 4000;
          }, { timeout: PATIENCE, interval: 100 });
          t.diagnostic(`${waiting} fills waited behind the held mark`);
        } finally {
          holder.stdin.end('COMMIT;\n');
          await exited;
        }
        const more = through + 50;
        await waitFor('more requests after the fills', () => through >= more, { timeout: PATIENCE });
      } finally {
        stop = true;
        await pump;
      }
      assert.deepEqual(other_, {}, 'every request got through');
      const last = await settled(u, through, PATIENCE);
      t.diagnostic(`${through} requests; ${last}; outbox: ${s.psql(`SELECT string_agg(identifier || '=' || value, ' ' ORDER BY id) FROM meter_outbox WHERE tenant_id = ${u.id}`)}`);
      assert.equal(sum(accepted(u.customer)), through, 'Stripe\'s meter holds exactly the admitted requests');
      assertChain(u, accepted(u.customer));
    } finally {
      await b?.stop(); // the later tests are about one node's biller
      // Whatever was counted here stays out of the later tests' reconciliations.
      if (u) s.psql(`DELETE FROM billing_accounts WHERE tenant_id = ${u.id}`);
    }
  });

  test('a switch to Scale applies; an older event about Pro arriving late is stale', async () => {
    const t = await customer('switch', 'pro');
    const r = await call(s, '/api/v1/billing/checkout', t.token, { method: 'POST', body: { plan: 'scale' } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.data, { action: 'switch', url: null });
    await fake.flush();
    await waitFor('Scale', async () => (await tenantPlan(t)) === 'scale', { timeout: PATIENCE });
    const sub = fake.subscriptions.get(t.sub);
    assert.equal(sub.items.data[0].price.id, 'price_scale', 'the subscription\'s item changed price at Stripe');
    assert.equal(sub.items.data.length, 1, 'switched, not added');
    assert.equal((await billing(t)).subscription.plan, 'scale');
    const last = fake.events.filter((e) => e.data.object.id === t.sub).at(-1);
    assert.equal(last.type, 'customer.subscription.updated');
    assert.equal(s.psql(`SELECT outcome FROM stripe_events WHERE id = '${last.id}'`), 'applied');

    // Stripe does not promise order: an update made before the switch, delivered after it.
    const old = JSON.parse(JSON.stringify(sub));
    old.items.data[0].price = { id: 'price_pro', object: 'price' };
    old.metadata.plan = 'pro';
    const late = await fake.deliver('customer.subscription.updated', old, { created: last.created - 30 });
    assert.equal(late.status, 200, late.body);
    assert.equal(JSON.parse(late.body).data.outcome, 'stale');
    assert.equal(plan(t), 'scale');
    const got = await billing(t);
    assert.equal(got.plan, 'scale');
    assert.equal(got.subscription.plan, 'scale');
  });

  test('a checkout\'s events in another order (Stripe promises none) leave the same state', async () => {
    const u = freshTenant('order');
    const r = await call(s, '/api/v1/billing/checkout', u.token, { method: 'POST', body: { plan: 'pro' } });
    assert.equal(r.status, 200, r.text);
    // Paid with the webhooks held back, then delivered in another order: the session's
    // completion first, the subscription's creation (made a second earlier) last.
    const from = fake.events.length;
    fake.setWebhook(null);
    try {
      const paid = await fetch(`${r.json.data.url}/pay`, {
        method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: '',
      });
      assert.equal(paid.status, 303);
    } finally {
      fake.setWebhook(`${s.console}/stripe/webhook`, SECRET);
    }
    const [created, completed, invoice] = fake.events.slice(from);
    assert.deepEqual([created.type, completed.type, invoice.type], ['customer.subscription.created', 'checkout.session.completed', 'invoice.paid']);
    const outcomes = [];
    for (const [ev, at] of [[completed, completed.created], [invoice, invoice.created], [created, completed.created - 1]]) {
      const d = await fake.deliver(ev.type, ev.data.object, { created: at });
      assert.equal(d.status, 200, d.body);
      outcomes.push(`${ev.type} ${JSON.parse(d.body).data.outcome}`);
    }
    assert.equal(plan(u), 'pro');
    const sub = fake.subscriptions.get(completed.data.object.subscription);
    const got = await billing(u);
    const sw = await call(s, '/api/v1/billing/checkout', u.token, { method: 'POST', body: { plan: 'scale' } });
    assert.deepEqual({
      status: got.subscription.status, period_end: got.subscription.current_period_end, switch: sw.status,
    }, {
      status: 'active', period_end: new Date(sub.items.data[0].current_period_end * 1000).toISOString().replace('.000', ''), switch: 200,
    }, `after ${outcomes.join(', ')}: ${JSON.stringify(got)}; the switch answered ${sw.text}`);
    await fake.flush();
    await waitFor('Scale', async () => (await tenantPlan(u)) === 'scale', { timeout: PATIENCE });
  });

  test('a failed payment keeps the paid plan for the grace period, then Free; paying restores it', async (t) => {
    const u = await customer('grace', 'pro');
    const probe = s.key(u.slug);
    await enforces(s, probe, 'pro', 'Pro at the gate');
    const failedAt = Date.now();
    await fake.failPayment(u.sub);
    assert.deepEqual(fake.webhookLog.slice(-2).map((w) => `${w.type} ${w.status}`),
      ['invoice.payment_failed 200', 'customer.subscription.updated 200']);
    const got = await billing(u);
    assert.equal(got.plan, 'pro', 'the paid plan stays during the grace period');
    assert.equal(got.subscription.status, 'past_due');
    assert.ok(got.subscription.grace_until, JSON.stringify(got));
    const graceUntil = Date.parse(got.subscription.grace_until);
    assert.ok(graceUntil > failedAt && graceUntil <= Date.now() + GRACE_S * 1000 + 1000,
      `grace_until ${got.subscription.grace_until} is about TOLLGATE_BILLING_GRACE (${GRACE_S} s) away`);
    assert.equal(await keyBurst(s, probe), BURST.pro);

    let freeAt;
    await waitFor('Free after the grace', async () => { freeAt = Date.now(); return (await tenantPlan(u)) === 'free'; },
      { timeout: GRACE_S * 1000 + 10000, interval: 100 });
    t.diagnostic(`Free ${freeAt - failedAt} ms after the failed payment (grace ${GRACE_S} s; grace_until ${got.subscription.grace_until})`);
    // grace_until is shown to the second, truncated
    assert.ok(freeAt >= graceUntil, `Free at ${new Date(freeAt).toISOString()}, before the grace ran out`);
    await enforces(s, probe, 'free', 'Free at the gate');
    assert.equal((await billing(u)).subscription.status, 'past_due');
    assert.match(s.psql(`SELECT target FROM audit_log WHERE tenant_id = ${u.id} AND action = 'billing.plan' ORDER BY id DESC LIMIT 1`),
      /pro -> free/);

    await fake.payInvoice(u.sub);
    await waitFor('Pro again', async () => (await tenantPlan(u)) === 'pro', { timeout: PATIENCE });
    const paid = await billing(u);
    assert.equal(paid.subscription.status, 'active');
    assert.equal(paid.subscription.grace_until, null);
    await enforces(s, probe, 'pro', 'Pro at the gate again');
  });

  test('a cancellation keeps the plan until the period ends, then Free', async () => {
    const t = await customer('cancel', 'pro');
    const r = await call(s, '/api/v1/billing/checkout', t.token, { method: 'POST', body: { plan: 'free' } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.data, { action: 'cancel', url: null });
    await fake.flush();
    assert.equal(fake.subscriptions.get(t.sub).cancel_at_period_end, true, 'asked of Stripe');
    assert.equal(fake.subscriptions.get(t.sub).status, 'active', 'not canceled at once');
    await waitFor('cancel_at_period_end', async () => (await billing(t)).subscription.cancel_at_period_end === true, { timeout: PATIENCE });
    const got = await billing(t);
    assert.equal(got.plan, 'pro', 'paid until the period ends');
    assert.equal(got.subscription.status, 'active');
    assert.ok(Date.parse(got.subscription.current_period_end) > Date.now() + 86400000);

    // Keeping the plan after all undoes the cancellation; then cancel again.
    const keep = await call(s, '/api/v1/billing/checkout', t.token, { method: 'POST', body: { plan: 'pro' } });
    assert.equal(keep.status, 200, keep.text);
    assert.deepEqual(keep.json.data, { action: 'keep', url: null });
    await fake.flush();
    assert.equal(fake.subscriptions.get(t.sub).cancel_at_period_end, false);
    await waitFor('the cancellation undone', async () => (await billing(t)).subscription.cancel_at_period_end === false, { timeout: PATIENCE });
    const again = await call(s, '/api/v1/billing/checkout', t.token, { method: 'POST', body: { plan: 'free' } });
    assert.deepEqual(again.json?.data, { action: 'cancel', url: null }, again.text);
    await fake.flush();
    await waitFor('cancel_at_period_end again', async () => (await billing(t)).subscription.cancel_at_period_end === true, { timeout: PATIENCE });
    assert.equal(plan(t), 'pro');

    // The billing portal is the customer's.
    const portal = await call(s, '/api/v1/billing/portal', t.token, { method: 'POST' });
    assert.equal(portal.status, 200, portal.text);
    assert.ok(portal.json.data.url.startsWith(`${fake.url}/billing_portal/bps_`), portal.json.data.url);
    const page = await (await fetch(portal.json.data.url)).text();
    assert.ok(page.includes(t.sub) && page.includes('cancels at period end'), page);

    await fake.endPeriod(t.sub);
    assert.equal(fake.webhookLog.at(-1).type, 'customer.subscription.deleted');
    assert.equal(fake.webhookLog.at(-1).status, 200);
    await waitFor('Free', async () => (await tenantPlan(t)) === 'free', { timeout: PATIENCE });
    const ended = await billing(t);
    assert.equal(ended.subscription.status, 'canceled');
    assert.equal(plan(t), 'free');

    // A canceled subscription does not come back, but the tenant may buy again.
    const old = await fake.deliver('customer.subscription.updated', { ...fake.subscriptions.get(t.sub), status: 'active', cancel_at_period_end: false });
    assert.equal(JSON.parse(old.body).data.outcome, 'stale');
    assert.equal(plan(t), 'free');
    const first = { sub: t.sub, customer: t.customer };
    await buy(t, 'pro');
    assert.notEqual(t.sub, first.sub);
    assert.equal(t.customer, first.customer, 'the same Stripe customer');
    assert.equal(plan(t), 'pro');
    const back = await billing(t);
    assert.equal(back.subscription.status, 'active');
    assert.equal(back.subscription.cancel_at_period_end, false);
  });

  test('a cancellation falls to Free when the period\'s end passes, even with no event', async () => {
    const t = await customer('lapse', 'pro');
    const sub = fake.subscriptions.get(t.sub);
    // Stripe's view: cancelling at the end of a period that ends in 2 s (the deleted event
    // is never sent: the biller's clock does it).
    sub.cancel_at_period_end = true;
    sub.items.data[0].current_period_end = fake.clock() + 2;
    sub.cancel_at = sub.items.data[0].current_period_end;
    const r = await fake.deliver('customer.subscription.updated', sub, { previous_attributes: { cancel_at_period_end: false } });
    assert.equal(JSON.parse(r.body).data.outcome, 'applied');
    assert.equal(plan(t), 'pro');
    const end = sub.items.data[0].current_period_end * 1000;
    // When a poll sees Free, the switch happened before the poll's query returned: only a
    // poll that returned before the period's end proves it early (its start does not: one
    // CI run failed with "Free 17 ms before" from a poll that began 17 ms before the end).
    let freeAt;
    await waitFor('Free at the period\'s end', async () => {
      const free = plan(t) === 'free';
      freeAt = Date.now();
      return free;
    }, { timeout: 15000, interval: 100 });
    assert.ok(freeAt >= end, `Free ${end - freeAt} ms before the period ended`);
  });

  test('every admitted request reaches Stripe\'s meter exactly once, through failures and a biller killed mid-call', async (t) => {
    const N = 300;
    const u = await customer('exact', 'pro');
    const key = await meteredKey(u);
    const failed0 = await metric(s, 'tollgate_meter_events_total', 'outcome="failed"');
    fake.maxInFlightPerCustomer = 0;
    const started = Date.now();
    fake.failures = { rate: 0.3, status: 500, delayMs: 0, hang: false, match: METER };

    // Halfway: the next meter call for this customer is held 1.5 s at Stripe (less than
    // TOLLGATE_STRIPE_TIMEOUT), the biller is killed while it waits, and Stripe then
    // accepts the event the dead biller never saw answered.
    let crash;
    const orphan = {};
    async function killMidCall() {
      fake.failures = { rate: 0, status: 500, delayMs: 1500, hang: false, match: METER };
      const from = fake.received.length;
      const held = await waitFor('a meter call for the customer', () => fake.received.slice(from)
        .find((r) => METER.test(r.path) && r.form?.payload?.stripe_customer_id === u.customer), { timeout: PATIENCE, interval: 10 });
      const biller = s.child('tg-biller');
      assert.ok(biller, 'tg-biller runs');
      process.kill(biller.pid, 'SIGKILL');
      orphan.identifier = held.form.identifier;
      orphan.killedAt = Date.now();
      orphan.pid = biller.pid;
      await waitFor('Stripe to accept the held call', () => fake.meterEvents.has(orphan.identifier), { timeout: PATIENCE, interval: 20 });
      // the rest of the run: 500s and 429s
      fake.failures = { rate: 0.3, status: 429, delayMs: 0, hang: false, match: METER };
      await waitFor('the master to restart tg-biller', () => { const c = s.child('tg-biller'); return c && c.pid !== orphan.pid; }, { timeout: PATIENCE });
    }
    const sent = await traffic(s, key, N, {
      during: (done) => {
        if (done !== N / 2) return;
        crash = killMidCall();
        crash.catch(() => {}); // awaited below
      },
    });
    await crash;
    t.diagnostic(`${N} requests in ${Date.now() - started} ms; biller ${orphan.pid} killed holding ${orphan.identifier}`);
    assert.deepEqual(sent, { through: N, other: {} }, 'every request got through');

    const last = await settled(u, N);
    fake.failures = { rate: 0, status: 500, delayMs: 0, hang: false, match: null };
    t.diagnostic(`all at Stripe ${Date.now() - started} ms after the first request; ${last}`);

    const evs = accepted(u.customer);
    assert.equal(sum(evs), N, 'Stripe\'s meter holds exactly the admitted requests');
    assert.equal(Number(s.psql(`SELECT sum(requests) FROM usage_hourly WHERE tenant_id = ${u.id}`)), N);
    assertChain(u, evs);
    assert.equal(unsent(), 0, 'the whole outbox is sent');
    assert.ok(fake.maxInFlightPerCustomer <= 1, `${fake.maxInFlightPerCustomer} meter calls at once for one customer`);

    // The held event was sent again after the crash (its claim ran out) and taken as sent.
    const resent = meterCalls(u.customer).filter((r) => r.form.identifier === orphan.identifier);
    assert.ok(resent.length >= 2, `the orphaned event was sent ${resent.length} time(s)`);
    const after_ = resent.filter((r) => r.at > orphan.killedAt);
    assert.ok(after_.length >= 1 && after_[0].at - orphan.killedAt >= 3500,
      `resent ${after_.length ? after_[0].at - orphan.killedAt : '-'} ms after the kill: not before the claim (timeout + 2 s) ran out`);
    assert.ok(meterCalls(u.customer).length > evs.length, 'some calls failed and were retried');
    assert.ok(await metric(s, 'tollgate_meter_events_total', 'outcome="failed"') > failed0);
    assert.match(fs.readFileSync(path.join(s.dir, 'tollgate.log'), 'utf8'), new RegExp(`biller\\.\\d+ \\(pid ${orphan.pid}\\) killed by signal 9`));

    // Reconciliation agrees: usage = queued = reported = Stripe's total.
    const month = new Date().toISOString().slice(0, 7);
    const rec = await cliAsync(s, 'billing', 'reconcile', '--month', month, '--json');
    assert.equal(rec.status, 0, `tollgate billing reconcile exited ${rec.status}:\n${rec.stdout}\n${rec.stderr}`);
    const report = JSON.parse(rec.stdout);
    assert.equal(report.month, month);
    assert.equal(report.differences, 0, rec.stdout);
    const row = report.customers.find((c) => c.tenant === u.slug);
    assert.ok(row, rec.stdout);
    assert.deepEqual(row, { tenant: u.slug, customer: u.customer, usage: N, queued: N, reported: N, stripe: N, difference: null });
    await waitFor('the reconciliation in /metrics', async () => (await metric(s, 'tollgate_billing_reconcile_differences')) === 0, { timeout: PATIENCE });
  });

  test('while Stripe is down usage waits in the outbox, backing off; then it all arrives, once', async (t) => {
    const N = 100;
    const u = await customer('down', 'pro');
    const key = await meteredKey(u);
    const failed0 = await metric(s, 'tollgate_meter_events_total', 'outcome="failed"');
    const sent0 = await metric(s, 'tollgate_meter_events_total', 'outcome="sent"');
    fake.maxInFlightPerCustomer = 0;
    fake.failures = { rate: 1, status: 503, delayMs: 0, hang: false, match: METER };
    const downAt = Date.now();
    try {
      const sent = await traffic(s, key, N, { lanes: 4 });
      assert.deepEqual(sent, { through: N, other: {} });
      await waitFor('the outbox depth in /metrics', async () => (await metric(s, 'tollgate_billing_outbox_depth')) > 0, { timeout: PATIENCE });
      // The oldest event, tried three times: the waits between tries grow.
      const first = s.psql(`SELECT identifier FROM meter_outbox WHERE tenant_id = ${u.id} ORDER BY id LIMIT 1`);
      assert.ok(first, 'usage was queued');
      await waitFor('three tries of the oldest event', () => meterCalls(u.customer).filter((r) => r.form.identifier === first).length >= 3,
        { timeout: PATIENCE, interval: 100 });
      assert.equal(accepted(u.customer).length, 0, 'nothing got through while Stripe was down');
      assert.ok(await metric(s, 'tollgate_billing_outbox_depth') > 0);
      assert.ok(await metric(s, 'tollgate_billing_outbox_oldest_age_seconds') >= 1);
      assert.ok(await metric(s, 'tollgate_meter_events_total', 'outcome="failed"') >= failed0 + 3);
      const tries = meterCalls(u.customer).filter((r) => r.form.identifier === first).map((r) => r.at);
      const gaps = tries.slice(1).map((at, i) => at - tries[i]);
      t.diagnostic(`gaps between tries of ${first}: ${gaps.join(', ')} ms`);
      // after try k: 2^(k-1) s x 0.5-1.0, then up to a round (1 s) until the biller looks
      gaps.forEach((g, i) => {
        assert.ok(g >= 500 * 2 ** i - 250 && g <= 1000 * 2 ** i + 3000, `gap ${i + 1} of ${g} ms is not 2^${i} s x 0.5-1.0 (+ one round)`);
      });
      // Reconciliation sees the gap (exit 1), and says where the requests are.
      const rec = await cliAsync(s, 'billing', 'reconcile', '--month', new Date().toISOString().slice(0, 7), '--json');
      assert.equal(rec.status, 1, `reconcile during the outage exited ${rec.status}:\n${rec.stdout}\n${rec.stderr}`);
      const report = JSON.parse(rec.stdout);
      assert.ok(report.differences >= 1, rec.stdout);
      const row = report.customers.find((c) => c.tenant === u.slug);
      assert.ok(row && row.usage === N && row.reported === 0 && row.stripe === 0 && row.difference, rec.stdout);
      await waitFor('the differences in /metrics', async () => (await metric(s, 'tollgate_billing_reconcile_differences')) >= 1, { timeout: PATIENCE });
      const calls = meterCalls(u.customer).length;
      const outage = (Date.now() - downAt) / 1000;
      assert.ok(calls <= outage + 3, `${calls} calls in ${outage.toFixed(1)} s of outage: one customer, one at a time, backing off`);
    } finally {
      fake.failures = { rate: 0, status: 500, delayMs: 0, hang: false, match: null };
    }
    const upAt = Date.now();
    const last = await settled(u, N);
    t.diagnostic(`down ${((upAt - downAt) / 1000).toFixed(1)} s; all at Stripe ${Date.now() - upAt} ms after it came back; ${last}`);
    const evs = accepted(u.customer);
    assert.equal(sum(evs), N);
    assertChain(u, evs);
    assert.ok(fake.maxInFlightPerCustomer <= 1);
    await waitFor('the outbox depth back to 0 in /metrics', async () => (await metric(s, 'tollgate_billing_outbox_depth')) === 0
      && (await metric(s, 'tollgate_billing_outbox_oldest_age_seconds')) === 0, { timeout: PATIENCE });
    assert.ok(await metric(s, 'tollgate_meter_events_total', 'outcome="sent"') >= sent0 + evs.length);
    const rec = await cliAsync(s, 'billing', 'reconcile', '--month', new Date().toISOString().slice(0, 7));
    assert.equal(rec.status, 0, `reconcile after the outage exited ${rec.status}:\n${rec.stdout}\n${rec.stderr}`);
    assert.ok(rec.stdout.includes(u.slug), rec.stdout);
    await waitFor('no differences in /metrics', async () => (await metric(s, 'tollgate_billing_reconcile_differences')) === 0, { timeout: PATIENCE });
  });

  test('no Stripe secret, and no card or key, is in any log or file the stack wrote', () => {
    const secrets = [env.TOLLGATE_STRIPE_API_KEY, SECRET];
    const seen = [];
    const walk = (dir) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const f = path.join(dir, e.name);
        if (e.isDirectory()) {
          if (e.name !== 'pg') walk(f); // PostgreSQL's own files hold no log of ours
        } else if (e.isFile()) {
          for (const x of fileIncludes(f, secrets)) seen.push(`${f}: ${x.slice(0, 8)}...`);
        }
      }
    };
    for (const node of [s, b].filter((n) => n && fs.existsSync(n.dir))) walk(node.dir);
    assert.ok(fs.readFileSync(path.join(s.dir, 'tollgate.log'), 'utf8').includes('stripe: event evt_'), 'the log was read');
    assert.deepEqual(seen, []);
  });
});
