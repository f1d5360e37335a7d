// The Stripe fake (tests/fakes/stripe.mjs) speaks Stripe's real wire format: the official
// `stripe` library drives it end to end (customer, Checkout, the hosted page, webhooks the
// library verifies, subscription changes, the portal, meter events and their summary), and
// its errors come out of the library as the right error classes. No gateway involved.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import Stripe from 'stripe';
import { startFakeStripe } from '../fakes/stripe.mjs';

const SECRET = 'whsec_test_fake_secret';
const DAY = 24 * 3600;

// A webhook endpoint that checks each delivery the way an integration would, with
// constructEvent on the raw bytes, and keeps what it saw.
function startReceiver(secret) {
  const events = [];
  const errors = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      try {
        events.push(Stripe.webhooks.constructEvent(raw, req.headers['stripe-signature'], secret));
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"received":true}');
      } catch (e) {
        errors.push(e);
        res.writeHead(400);
        res.end(e.message);
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({
      url: `http://127.0.0.1:${server.address().port}/webhooks/stripe`,
      events,
      errors,
      close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
    }));
  });
}

describe('the Stripe fake, driven by the official stripe library', () => {
  let fake;
  let hooks;
  let stripe;
  let customer;
  let session;
  let sub;
  const opened = [];

  const client = (key, extra = {}) => new Stripe(key, {
    host: '127.0.0.1', port: fake.port, protocol: 'http', maxNetworkRetries: 0, telemetry: false, ...extra,
  });
  const types = (from = 0) => hooks.events.slice(from).map((e) => e.type);

  before(async () => {
    hooks = await startReceiver(SECRET);
    fake = await startFakeStripe({ webhookUrl: hooks.url, webhookSecret: SECRET });
    stripe = client('sk_test_fake');
  });
  after(async () => {
    await fake?.stop();
    for (const f of opened) await f.stop();
    await hooks?.close();
  });

  test('a customer and a Checkout Session in subscription mode', async () => {
    customer = await stripe.customers.create({ email: 'ann@example.test', name: 'Ann', metadata: { account: 'acct-1' } });
    assert.match(customer.id, /^cus_[A-Za-z0-9]+$/);
    assert.equal(customer.object, 'customer');
    assert.equal(customer.email, 'ann@example.test');
    assert.deepEqual(customer.metadata, { account: 'acct-1' });
    assert.match(customer.lastResponse.requestId, /^req_[A-Za-z0-9]+$/, 'every answer has a Request-Id');
    assert.equal((await stripe.customers.retrieve(customer.id)).email, 'ann@example.test');

    session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      customer: customer.id,
      line_items: [{ price: 'price_basic', quantity: 1 }, { price: 'price_metered' }],
      success_url: 'http://127.0.0.1:1/portal/billing?session={CHECKOUT_SESSION_ID}',
      cancel_url: 'http://127.0.0.1:1/portal/billing?canceled=1',
      client_reference_id: 'acct-1',
      subscription_data: { metadata: { account: 'acct-1' } },
    });
    assert.match(session.id, /^cs_test_[A-Za-z0-9]+$/);
    assert.equal(session.url, `${fake.url}/checkout/${session.id}`);
    assert.equal(session.status, 'open');
    assert.equal(session.payment_status, 'unpaid');
    assert.equal(session.customer, customer.id);
    assert.equal(session.subscription, null);
    // what the library put on the wire, as the fake parsed it
    const sent = fake.received.at(-1);
    assert.equal(sent.method, 'POST');
    assert.equal(sent.path, '/v1/checkout/sessions');
    assert.match(sent.headers['content-type'], /^application\/x-www-form-urlencoded/);
    assert.equal(sent.headers.authorization, 'Bearer sk_test_fake');
    assert.deepEqual(sent.form.line_items, [{ price: 'price_basic', quantity: '1' }, { price: 'price_metered' }]);
    assert.deepEqual(sent.form.subscription_data, { metadata: { account: 'acct-1' } });
    assert.equal((await stripe.checkout.sessions.retrieve(session.id)).client_reference_id, 'acct-1');

    const urls = { success_url: 'http://x/', cancel_url: 'http://x/' };
    await assert.rejects(stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ price: 'p' }], ...urls }),
      (e) => e instanceof Stripe.errors.StripeInvalidRequestError && e.param === 'mode');
    await assert.rejects(stripe.checkout.sessions.create({ mode: 'subscription', line_items: [{ price: 'p' }], success_url: 'http://x/' }),
      (e) => e instanceof Stripe.errors.StripeInvalidRequestError && e.param === 'cancel_url' && e.statusCode === 400);
  });

  test('the hosted page pays: three verified webhooks in order, then back to success_url', async () => {
    const page = await fetch(session.url);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<title>Pay Tollgate<\/title>/);
    assert.match(html, /price_basic/);
    assert.match(html, /value="ann@example\.test"/);
    assert.match(html, new RegExp(`<form method="post" action="/checkout/${session.id}/pay">`));
    assert.match(html, /<button type="submit">Pay<\/button>/);
    assert.match(html, /<a href="http:\/\/127\.0\.0\.1:1\/portal\/billing\?canceled=1">Cancel<\/a>/);

    const paid = await fetch(`${fake.url}/checkout/${session.id}/pay`, {
      method: 'POST', redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'email=ann%40example.test',
    });
    assert.equal(paid.status, 303);
    assert.equal(paid.headers.get('location'), `http://127.0.0.1:1/portal/billing?session=${session.id}`);

    assert.deepEqual(hooks.errors, []);
    assert.deepEqual(types(), ['customer.subscription.created', 'checkout.session.completed', 'invoice.paid']);
    assert.deepEqual(fake.webhookLog.map((w) => w.status), [200, 200, 200]);
    const [created, completed, invoice] = hooks.events;
    sub = created.data.object;
    assert.match(sub.id, /^sub_/);
    assert.equal(created.api_version, '2026-07-29.dahlia');
    assert.match(created.id, /^evt_/);
    assert.equal(completed.data.object.subscription, sub.id);
    assert.equal(completed.data.object.customer, customer.id);
    assert.equal(completed.data.object.client_reference_id, 'acct-1');
    assert.equal(invoice.data.object.parent.subscription_details.subscription, sub.id);
    assert.equal(invoice.data.object.status, 'paid');

    const done = await stripe.checkout.sessions.retrieve(session.id);
    assert.equal(done.status, 'complete');
    assert.equal(done.payment_status, 'paid');
    assert.equal(done.subscription, sub.id);
    const again = await fetch(`${fake.url}/checkout/${session.id}/pay`, { method: 'POST', redirect: 'manual' });
    assert.equal(again.status, 400, 'a session pays once');
    assert.equal(hooks.events.length, 3);
  });

  test('a receiver with another secret, or a stale signature, rejects the delivery', async () => {
    const other = await startReceiver('whsec_some_other_secret');
    try {
      fake.setWebhook(other.url);
      const r = await fake.deliver('customer.updated', customer);
      assert.equal(r.status, 400);
      assert.equal(other.events.length, 0);
      assert.ok(other.errors[0] instanceof Stripe.errors.StripeSignatureVerificationError, String(other.errors[0]));
    } finally {
      fake.setWebhook(hooks.url, SECRET);
      await other.close();
    }
    const stale = await fake.deliver('customer.updated', customer, { timestamp: Math.floor(Date.now() / 1000) - 1000 });
    assert.equal(stale.status, 400);
    assert.match(hooks.errors.at(-1).message, /tolerance/);
    hooks.errors.length = 0;
    const fresh = await fake.deliver('customer.updated', customer);
    assert.equal(fresh.status, 200);
    assert.equal(fresh.body, '{"received":true}');
  });

  test('a subscription: retrieve, cancel at period end, switch price', async () => {
    const got = await stripe.subscriptions.retrieve(sub.id);
    assert.equal(got.status, 'active');
    assert.equal(got.customer, customer.id);
    assert.deepEqual(got.items.data.map((i) => i.price.id), ['price_basic', 'price_metered']);
    const item = got.items.data[0];
    assert.match(item.id, /^si_/);
    assert.equal(item.current_period_end - item.current_period_start, 30 * DAY);
    assert.deepEqual(got.metadata, { account: 'acct-1' });
    assert.equal(got.cancel_at_period_end, false);

    const from = hooks.events.length;
    const upd = await stripe.subscriptions.update(sub.id, { cancel_at_period_end: true });
    assert.equal(upd.cancel_at_period_end, true);
    assert.equal(upd.cancel_at, item.current_period_end);
    await fake.flush();
    assert.deepEqual(types(from), ['customer.subscription.updated']);
    const ev = hooks.events.at(-1);
    assert.equal(ev.data.object.cancel_at_period_end, true);
    assert.equal(ev.data.previous_attributes.cancel_at_period_end, false);
    assert.equal(ev.data.previous_attributes.cancel_at, null);
    assert.equal(ev.request.id, upd.lastResponse.requestId, 'an API-made event names its request');

    const sw = await stripe.subscriptions.update(sub.id, {
      items: [{ id: item.id, price: 'price_pro' }], proration_behavior: 'none', metadata: { plan: 'pro' },
    });
    assert.equal(sw.items.data[0].price.id, 'price_pro');
    assert.deepEqual(sw.metadata, { account: 'acct-1', plan: 'pro' });
    await fake.flush();
    const prev = hooks.events.at(-1).data.previous_attributes;
    assert.equal(prev.items.data[0].price.id, 'price_basic', 'a changed list appears whole, as it was');
    assert.deepEqual(prev.metadata, { plan: null });

    await assert.rejects(stripe.subscriptions.retrieve('sub_nope'),
      (e) => e instanceof Stripe.errors.StripeInvalidRequestError && e.statusCode === 404 && e.code === 'resource_missing');
  });

  test('the billing portal session and its page', async () => {
    const p = await stripe.billingPortal.sessions.create({ customer: customer.id, return_url: 'http://127.0.0.1:1/portal/' });
    assert.match(p.id, /^bps_/);
    assert.equal(p.object, 'billing_portal.session');
    assert.equal(p.url, `${fake.url}/billing_portal/${p.id}`);
    const html = await (await fetch(p.url)).text();
    assert.match(html, /Manage billing/);
    assert.ok(html.includes(sub.id));
    assert.match(html, /<a href="http:\/\/127\.0\.0\.1:1\/portal\/">/);
    await assert.rejects(stripe.billingPortal.sessions.create({ customer: 'cus_nobody' }),
      (e) => e instanceof Stripe.errors.StripeInvalidRequestError && e.param === 'customer');
  });

  test('meter events: duplicates refused, summed in the summary, concurrency observed', async () => {
    const t0 = fake.clock() - 3600;
    const send = (value, identifier, timestamp = t0 + 60) => stripe.billing.meterEvents.create({
      event_name: 'api_requests', payload: { stripe_customer_id: customer.id, value: String(value) }, identifier, timestamp,
    });
    const ev = await send(5, 'acct-1:1');
    assert.equal(ev.object, 'billing.meter_event');
    assert.equal(ev.identifier, 'acct-1:1');
    assert.deepEqual(ev.payload, { stripe_customer_id: customer.id, value: '5' });
    assert.equal(ev.timestamp, t0 + 60);
    await send(7, 'acct-1:2', t0 + 120);
    await send(100, 'acct-1:old', t0 - 60); // before the window asked for below
    const auto = await stripe.billing.meterEvents.create({
      event_name: 'api_requests', payload: { stripe_customer_id: customer.id, value: '1' },
    });
    assert.ok(auto.identifier, 'an identifier is made when none is sent');

    await assert.rejects(send(5, 'acct-1:1'), (e) => e instanceof Stripe.errors.StripeInvalidRequestError
      && /already exists/.test(e.message) && e.headers['stripe-should-retry'] === 'false');
    await assert.rejects(stripe.billing.meterEvents.create({ event_name: 'api_requests', payload: { stripe_customer_id: customer.id } }),
      (e) => e instanceof Stripe.errors.StripeInvalidRequestError && e.param === 'payload[value]');
    assert.equal(fake.meterEvents.size, 4);

    const summary = await stripe.billing.meters.listEventSummaries('mtr_test_requests', {
      customer: customer.id, start_time: t0, end_time: t0 + 3600,
    });
    assert.equal(summary.object, 'list');
    assert.equal(summary.data.length, 1);
    assert.equal(summary.data[0].object, 'billing.meter_event_summary');
    assert.equal(summary.data[0].aggregated_value, 12, 'the duplicate and the event outside the window do not count');
    assert.equal(summary.data[0].meter, 'mtr_test_requests');
    await assert.rejects(stripe.billing.meters.listEventSummaries('mtr_test_requests', { customer: customer.id }),
      (e) => e instanceof Stripe.errors.StripeInvalidRequestError && e.param === 'start_time');

    assert.equal(fake.maxInFlightPerCustomer, 1, 'one at a time so far');
    fake.failures.delayMs = 150;
    try {
      await Promise.all([1, 2, 3].map((i) => send(1, `acct-1:c${i}`)));
    } finally {
      fake.failures.delayMs = 0;
    }
    assert.equal(fake.maxInFlightPerCustomer, 3);
  });

  test('failure injection and auth errors come out as the library\'s error classes', async () => {
    fake.failNext(1, 500);
    await assert.rejects(stripe.customers.retrieve(customer.id),
      (e) => e instanceof Stripe.errors.StripeAPIError && e.statusCode === 500 && e.rawType === 'api_error');
    assert.equal((await stripe.customers.retrieve(customer.id)).id, customer.id, 'only the next call fails');

    fake.failNext(1, 429);
    await assert.rejects(stripe.customers.retrieve(customer.id), (e) => e instanceof Stripe.errors.StripeRateLimitError && e.statusCode === 429
      && e.rawType === 'invalid_request_error' && e.code === 'rate_limit');

    // a failed call does not execute
    const before = fake.meterEvents.size;
    fake.failNext(1, 503);
    await assert.rejects(stripe.billing.meterEvents.create({ event_name: 'api_requests', identifier: 'acct-1:503',
      payload: { stripe_customer_id: customer.id, value: '1' } }), Stripe.errors.StripeAPIError);
    assert.equal(fake.meterEvents.size, before);
    assert.equal(fake.meterEvents.has('acct-1:503'), false);

    await assert.rejects(client('sk_test_wrong').customers.retrieve(customer.id),
      (e) => e instanceof Stripe.errors.StripeAuthenticationError && /^Invalid API Key provided: sk_test_/.test(e.message));

    // Basic auth with the key as user works too; an unknown route is Stripe's 404
    const basic = { Authorization: `Basic ${Buffer.from('sk_test_fake:').toString('base64')}` };
    assert.equal((await fetch(`${fake.url}/v1/customers/${customer.id}`, { headers: basic })).status, 200);
    const nope = await fetch(`${fake.url}/v1/nope`, { headers: basic });
    assert.equal(nope.status, 404);
    assert.match(nope.headers.get('request-id'), /^req_/);
    assert.deepEqual(await nope.json(), { error: { type: 'invalid_request_error', message: 'Unrecognized request URL (GET: /v1/nope).' } });
  });

  test('the random failure rate is reproducible from the seed, and a hung call can be stopped', async () => {
    const pattern = async (seed) => {
      const f = await startFakeStripe({ seed });
      opened.push(f);
      f.failures = { rate: 0.5, status: 503, delayMs: 0, hang: false, match: /^\/v1\/customers/ };
      const out = [];
      for (let i = 0; i < 12; i++) {
        const r = await fetch(`${f.url}/v1/customers`, { method: 'POST', headers: { Authorization: 'Bearer sk_test_fake' } });
        out.push(r.status);
      }
      return out;
    };
    const a = await pattern(7);
    assert.deepEqual(a, await pattern(7));
    assert.ok(a.includes(503) && a.includes(200), a.join(','));

    const h = opened[0];
    h.failures = { rate: 0, hang: true, match: null };
    await assert.rejects(client('sk_test_fake', { timeout: 200, port: h.port }).customers.create({}),
      Stripe.errors.StripeConnectionError);
  });

  test('billing helpers: a failed and a paid invoice, a renewal, the ends of subscriptions', async () => {
    let from = hooks.events.length;
    await fake.failPayment(sub.id);
    assert.deepEqual(types(from), ['invoice.payment_failed', 'customer.subscription.updated']);
    const failed = hooks.events.at(-2).data.object;
    assert.equal(failed.status, 'open');
    assert.equal(failed.attempt_count, 1);
    assert.ok(failed.next_payment_attempt > fake.clock());
    assert.equal(hooks.events.at(-1).data.object.status, 'past_due');
    assert.deepEqual(hooks.events.at(-1).data.previous_attributes.status, 'active');

    from = hooks.events.length;
    await fake.payInvoice(sub.id);
    assert.deepEqual(types(from), ['invoice.paid', 'customer.subscription.updated']);
    assert.equal((await stripe.subscriptions.retrieve(sub.id)).status, 'active');

    await stripe.subscriptions.update(sub.id, { cancel_at_period_end: false });
    const end0 = fake.subscriptions.get(sub.id).items.data[0].current_period_end;
    await fake.flush();
    from = hooks.events.length;
    await fake.endPeriod(sub.id);
    assert.deepEqual(types(from), ['invoice.paid', 'customer.subscription.updated']);
    const renewed = await stripe.subscriptions.retrieve(sub.id);
    assert.equal(renewed.items.data[0].current_period_start, end0);
    assert.equal(renewed.items.data[0].current_period_end, end0 + 30 * DAY);

    const gone = await stripe.subscriptions.cancel(sub.id);
    assert.equal(gone.status, 'canceled');
    assert.ok(gone.canceled_at && gone.ended_at);
    await fake.flush();
    assert.equal(hooks.events.at(-1).type, 'customer.subscription.deleted');

    // Checkout with only an email makes the customer; ending its period after a
    // cancel-at-period-end deletes the subscription
    const s2 = await stripe.checkout.sessions.create({ mode: 'subscription', customer_email: 'bob@example.test',
      line_items: [{ price: 'price_basic', quantity: 1 }], success_url: 'http://127.0.0.1:1/ok', cancel_url: 'http://127.0.0.1:1/no' });
    assert.equal(s2.customer, null);
    assert.equal((await fetch(`${fake.url}/checkout/${s2.id}/pay`, { method: 'POST', redirect: 'manual' })).status, 303);
    const done = await stripe.checkout.sessions.retrieve(s2.id);
    assert.match(done.customer, /^cus_/);
    assert.equal((await stripe.customers.retrieve(done.customer)).email, 'bob@example.test');
    const sub2 = fake.subscriptionFor(done.customer);
    assert.equal(sub2.id, done.subscription);
    await stripe.subscriptions.update(sub2.id, { cancel_at_period_end: true });
    await fake.flush();
    from = hooks.events.length;
    await fake.endPeriod(sub2.id);
    assert.deepEqual(types(from), ['customer.subscription.deleted']);
    assert.equal((await stripe.subscriptions.retrieve(sub2.id)).status, 'canceled');
    assert.deepEqual(hooks.errors, []);
    assert.ok(fake.webhookLog.every((w) => w.status === 200 || w.status === 400), 'every delivery got an answer');
  });
});
