// A fake of the Stripe API for tests and the `make run` demo: the slice of Stripe v1 that
// Tollgate's billing uses (customers, Checkout in subscription mode, the billing portal,
// subscriptions, meter events and their summaries), with Stripe's wire format: form-encoded
// bodies with nested keys, Bearer (or Basic) auth, Stripe's error bodies, a Request-Id on
// every answer, and webhooks signed by the official `stripe` library. State lives in
// memory; the hosted pages (/checkout/:id, /billing_portal/:id) stand in for Stripe's.
// It can fail, slow down or hang API calls on purpose (see `failures`), reproducibly.
// It listens on 127.0.0.1 only. Import startFakeStripe() in tests; run it as a script:
//   node tests/fakes/stripe.mjs --port 12111 [--webhook URL] [--secret whsec_...]
import crypto from 'node:crypto';
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import Stripe from 'stripe';

const API_VERSION = '2026-07-29.dahlia';
const DAY = 24 * 3600;
const PERIOD = 30 * DAY;
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

// Ids come from real randomness (a database may keep them across runs); only the failure
// decisions use the seeded generator, so a seed replays the same failures.
function randomId(prefix, length = 24) {
  const bytes = crypto.randomBytes(length);
  let s = '';
  for (const b of bytes) s += ALNUM[b % ALNUM.length];
  return `${prefix}_${s}`;
}

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Stripe's form encoding: `a[b][c]=v`, `line_items[0][price]=x`, brackets encoded or not.
// Numeric keys become arrays, except under `metadata` where a key is just a key.
export function parseForm(text) {
  const root = {};
  if (!text) return root;
  for (const pair of text.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const dec = (s) => { try { return decodeURIComponent(s.replace(/\+/g, ' ')); } catch { return s; } };
    const key = dec(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : dec(pair.slice(eq + 1));
    const m = key.match(/^([^[\]]+)((?:\[[^[\]]*\])*)$/);
    const path = m ? [m[1], ...[...m[2].matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1])] : [key];
    let node = root;
    for (let i = 0; i < path.length; i++) {
      let k = path[i];
      if (k === '') k = String(Object.keys(node).length); // `a[]=x` appends
      if (i === path.length - 1) { node[k] = value; break; }
      if (typeof node[k] !== 'object' || node[k] === null) node[k] = {};
      node = node[k];
    }
  }
  const arrayify = (v, key) => {
    if (typeof v !== 'object' || v === null) return v;
    for (const k of Object.keys(v)) v[k] = arrayify(v[k], k);
    const keys = Object.keys(v);
    if (key !== 'metadata' && keys.length && keys.every((k) => /^\d+$/.test(k))) {
      return keys.map(Number).sort((a, b) => a - b).map((n) => v[String(n)]);
    }
    return v;
  };
  return arrayify(root, null);
}

const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const copy = (o) => JSON.parse(JSON.stringify(o));

// A Stripe error answer, thrown by handlers and turned into JSON by the server.
class StripeFail extends Error {
  constructor(status, error, headers = {}) {
    super(error.message);
    this.status = status;
    this.error = error;
    this.headers = headers;
  }
}
const invalid = (message, param, extra = {}) =>
  new StripeFail(400, { type: 'invalid_request_error', message, ...(param ? { param } : {}), ...extra });
const missingParam = (param) => invalid(`Missing required param: ${param}.`, param);
const noSuch = (status, kind, id, param) => new StripeFail(status, {
  type: 'invalid_request_error', code: 'resource_missing', message: `No such ${kind}: '${id}'`,
  ...(param ? { param } : {}),
});

function redactKey(key) {
  const keep = key.match(/^[a-z]+_(test|live)_/)?.[0] ?? key.slice(0, 3);
  return key.length > keep.length + 4 ? keep + '*'.repeat(key.length - keep.length - 4) + key.slice(-4) : keep + '****';
}

export async function startFakeStripe({
  webhookUrl = null, webhookSecret = 'whsec_test_fake', apiKey = 'sk_test_fake', seed = 1,
  port = 0, log = null,
} = {}) {
  const rand = mulberry32(seed);
  const sockets = new Set();
  const outgoing = new Set(); // webhook requests in flight, aborted by stop()
  const timers = new Set();
  const inFlight = new Map(); // customer id → meter_event calls being served
  const sessionExtras = new Map(); // checkout session id → { lineItems, subscriptionMetadata }
  let failQueue = { n: 0, status: 500 };
  let deliveries = Promise.resolve(); // one queue, so webhooks arrive in the order made
  let stopped = false;

  const fake = {
    url: null,
    port: null,
    received: [],
    customers: new Map(),
    sessions: new Map(),
    portalSessions: new Map(),
    subscriptions: new Map(),
    invoices: new Map(),
    meterEvents: new Map(),
    events: [],
    webhookLog: [],
    maxInFlightPerCustomer: 0,
    failures: { rate: 0, status: 500, delayMs: 0, hang: false, match: null },
    clock: () => Math.floor(Date.now() / 1000),
    setWebhook(url, secret) {
      webhookUrl = url;
      if (secret !== undefined) webhookSecret = secret;
    },
    failNext(n, status = 500) { failQueue = { n, status }; },
    // Resolves once every webhook queued so far was delivered (API calls answer first and
    // deliver after, as Stripe does, so a caller blocked on its API call cannot deadlock).
    flush: () => deliveries,
    deliver: (type, object, opts = {}) => enqueue(buildEvent(type, object, opts), opts.timestamp),
    subscriptionFor(customerId) {
      let last = null;
      for (const s of fake.subscriptions.values()) {
        if (s.customer === customerId && (!last || s.created >= last.created)) last = s;
      }
      return last;
    },
    async failPayment(subscriptionId) {
      const sub = mustSub(subscriptionId);
      let inv = fake.invoices.get(sub.latest_invoice);
      if (inv && inv.status === 'open') {
        inv.attempt_count += 1;
      } else {
        inv = newInvoice(sub, 'subscription_cycle');
        inv.status = 'open';
        inv.attempt_count = 1;
      }
      inv.next_payment_attempt = fake.clock() + 3 * DAY;
      const before = { status: sub.status, latest_invoice: sub.latest_invoice };
      sub.status = 'past_due';
      sub.latest_invoice = inv.id;
      await fake.deliver('invoice.payment_failed', inv);
      const prev = changed(before, sub);
      if (Object.keys(prev).length) await fake.deliver('customer.subscription.updated', sub, { previous_attributes: prev });
      return inv;
    },
    async payInvoice(subscriptionId) {
      const sub = mustSub(subscriptionId);
      let inv = fake.invoices.get(sub.latest_invoice);
      if (!inv || inv.status !== 'open') inv = newInvoice(sub, 'manual');
      markPaid(inv);
      const before = { status: sub.status, latest_invoice: sub.latest_invoice };
      sub.status = 'active';
      sub.latest_invoice = inv.id;
      await fake.deliver('invoice.paid', inv);
      const prev = changed(before, sub);
      if (Object.keys(prev).length) await fake.deliver('customer.subscription.updated', sub, { previous_attributes: prev });
      return inv;
    },
    async endPeriod(subscriptionId) {
      const sub = mustSub(subscriptionId);
      if (sub.status === 'canceled') throw new Error(`${subscriptionId} is already canceled`);
      if (sub.cancel_at_period_end) {
        const now = fake.clock();
        sub.status = 'canceled';
        sub.ended_at = now;
        sub.canceled_at = sub.canceled_at ?? now;
        await fake.deliver('customer.subscription.deleted', sub);
        return sub;
      }
      const before = { items: copy(sub.items), latest_invoice: sub.latest_invoice };
      for (const item of sub.items.data) {
        item.current_period_start = item.current_period_end;
        item.current_period_end += PERIOD;
      }
      const inv = newInvoice(sub, 'subscription_cycle');
      markPaid(inv);
      sub.latest_invoice = inv.id;
      await fake.deliver('invoice.paid', inv);
      await fake.deliver('customer.subscription.updated', sub, { previous_attributes: before });
      return sub;
    },
    stop: () => new Promise((resolve) => {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      for (const r of outgoing) r.destroy();
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };

  function mustSub(id) {
    const sub = fake.subscriptions.get(id);
    if (!sub) throw new Error(`no subscription ${id}`);
    return sub;
  }

  // The old values of the fields of `before` that differ in `after` (previous_attributes).
  function changed(before, after) {
    const prev = {};
    for (const [k, v] of Object.entries(before)) {
      if (JSON.stringify(v) !== JSON.stringify(after[k])) prev[k] = v;
    }
    return prev;
  }

  function newInvoice(sub, reason) {
    const item = sub.items.data[0];
    const inv = {
      id: randomId('in'), object: 'invoice', customer: sub.customer, status: 'draft',
      billing_reason: reason, attempt_count: 0, next_payment_attempt: null,
      parent: { type: 'subscription_details', subscription_details: { subscription: sub.id, metadata: copy(sub.metadata) } },
      period_start: item ? item.current_period_start : fake.clock(),
      period_end: item ? item.current_period_end : fake.clock(),
      amount_due: 0, amount_paid: 0, amount_remaining: 0, currency: 'usd',
      created: fake.clock(), livemode: false,
    };
    fake.invoices.set(inv.id, inv);
    return inv;
  }

  function markPaid(inv) {
    inv.status = 'paid';
    inv.attempt_count = Math.max(1, inv.attempt_count);
    inv.next_payment_attempt = null;
    inv.amount_paid = inv.amount_due;
    inv.amount_remaining = 0;
  }

  // --- webhooks ---------------------------------------------------------------------

  function buildEvent(type, object, { created, previous_attributes, request } = {}) {
    const data = { object: copy(object) };
    if (previous_attributes) data.previous_attributes = copy(previous_attributes);
    const event = {
      id: randomId('evt'), object: 'event', api_version: API_VERSION,
      created: created ?? fake.clock(), livemode: false, pending_webhooks: 1,
      request: request ?? { id: null, idempotency_key: null }, type, data,
    };
    fake.events.push(event);
    return event;
  }

  // Queue one delivery; the promise resolves with the receiver's {status, body}.
  function enqueue(event, timestamp) {
    const done = deliveries.then(() => send(event, timestamp));
    deliveries = done.then(() => {}, () => {});
    return done;
  }

  // Signed with the real time, not fake.clock(): a test that moves the clock a month ahead
  // must still pass the receiver's 5-minute tolerance. deliver(..., {timestamp}) overrides.
  function send(event, timestamp = Math.floor(Date.now() / 1000)) {
    if (!webhookUrl || stopped) return Promise.resolve({ status: null, body: null });
    const payload = JSON.stringify(event);
    const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret, timestamp });
    return new Promise((resolve) => {
      const entry = { type: event.type, id: event.id, status: 0 };
      const finish = (status, body, error) => {
        entry.status = status;
        if (error) entry.error = error;
        fake.webhookLog.push(entry);
        log?.(`webhook ${event.type} ${event.id} -> ${status || error}`);
        resolve({ status, body });
      };
      const req = http.request(webhookUrl, {
        method: 'POST',
        agent: false,
        timeout: 10000,
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'Content-Length': Buffer.byteLength(payload),
          'Stripe-Signature': header,
          'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        },
      }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => { if (body.length < 65536) body += c; });
        res.on('end', () => { outgoing.delete(req); finish(res.statusCode, body); });
        res.on('error', (e) => { outgoing.delete(req); finish(0, null, e.message); });
      });
      outgoing.add(req);
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (e) => { outgoing.delete(req); finish(0, null, e.message); });
      req.end(payload);
    });
  }

  // --- the API ------------------------------------------------------------------------

  const routes = [
    ['POST', /^\/v1\/customers$/, createCustomer],
    ['GET', /^\/v1\/customers\/([^/]+)$/, (r, id) => {
      const c = fake.customers.get(id);
      if (!c) throw noSuch(404, 'customer', id, 'id');
      return c;
    }],
    ['POST', /^\/v1\/checkout\/sessions$/, createSession],
    ['GET', /^\/v1\/checkout\/sessions\/([^/]+)$/, (r, id) => {
      const s = fake.sessions.get(id);
      if (!s) throw noSuch(404, 'checkout.session', id, 'session');
      return s;
    }],
    // Expiring an open session makes its page unusable (Stripe: only `open` ones can be).
    ['POST', /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/, (r, id) => {
      const s = fake.sessions.get(id);
      if (!s) throw noSuch(404, 'checkout.session', id, 'session');
      if (s.status !== 'open') throw invalid(`Only Checkout Sessions with a status of \`open\` can be expired. This Checkout Session has a status of \`${s.status}\`.`, null);
      s.status = 'expired';
      s.url = null;
      return s;
    }],
    ['POST', /^\/v1\/billing_portal\/sessions$/, createPortalSession],
    ['GET', /^\/v1\/subscriptions\/([^/]+)$/, (r, id) => {
      const s = fake.subscriptions.get(id);
      if (!s) throw noSuch(404, 'subscription', id, 'id');
      return s;
    }],
    ['POST', /^\/v1\/subscriptions\/([^/]+)$/, updateSubscription],
    ['DELETE', /^\/v1\/subscriptions\/([^/]+)$/, cancelSubscription],
    ['POST', /^\/v1\/billing\/meter_events$/, createMeterEvent],
    ['GET', /^\/v1\/billing\/meters\/([^/]+)\/event_summaries$/, eventSummaries],
  ];

  function createCustomer({ form }) {
    const c = {
      id: randomId('cus', 14), object: 'customer', email: form.email || null, name: form.name || null,
      metadata: cleanMetadata(form.metadata), created: fake.clock(), livemode: false,
    };
    fake.customers.set(c.id, c);
    return c;
  }

  function cleanMetadata(m) {
    const out = {};
    if (m && typeof m === 'object') for (const [k, v] of Object.entries(m)) if (v !== '') out[k] = String(v);
    return out;
  }

  function createSession({ form }) {
    if (!form.mode) throw missingParam('mode');
    if (form.mode !== 'subscription') throw invalid(`This fake supports only mode=subscription, not '${form.mode}'.`, 'mode');
    const items = Array.isArray(form.line_items) ? form.line_items : [];
    if (!items.length) {
      throw invalid('You must provide at least one recurring price in `subscription` mode when using prices.', 'line_items');
    }
    items.forEach((li, i) => { if (!li || !li.price) throw missingParam(`line_items[${i}][price]`); });
    if (!form.success_url) throw missingParam('success_url');
    if (!form.cancel_url) throw missingParam('cancel_url');
    if (form.customer && form.customer_email) {
      throw invalid('You may only specify one of these parameters: customer, customer_email.', 'customer_email');
    }
    if (form.customer && !fake.customers.has(form.customer)) throw noSuch(400, 'customer', form.customer, 'customer');
    const now = fake.clock();
    const id = randomId('cs_test', 58);
    const s = {
      id, object: 'checkout.session', url: `${fake.url}/checkout/${id}`, status: 'open',
      payment_status: 'unpaid', mode: form.mode, customer: form.customer || null,
      customer_email: form.customer_email || null, subscription: null,
      client_reference_id: form.client_reference_id || null, metadata: cleanMetadata(form.metadata),
      success_url: form.success_url, cancel_url: form.cancel_url, created: now,
      expires_at: Number(form.expires_at) || now + DAY, livemode: false,
    };
    fake.sessions.set(id, s);
    // what the hosted page and the subscription need, kept out of the session's JSON
    // (Stripe returns line_items only when expanded)
    sessionExtras.set(id, {
      lineItems: items.map((li) => ({
        price: li.price, quantity: li.quantity != null && li.quantity !== '' ? Number(li.quantity) : null,
      })),
      subscriptionMetadata: cleanMetadata(form.subscription_data?.metadata),
    });
    return s;
  }

  function createPortalSession({ form }) {
    if (!form.customer) throw missingParam('customer');
    if (!fake.customers.has(form.customer)) throw noSuch(400, 'customer', form.customer, 'customer');
    const id = randomId('bps');
    const s = {
      id, object: 'billing_portal.session', customer: form.customer, return_url: form.return_url || null,
      url: `${fake.url}/billing_portal/${id}`, created: fake.clock(), livemode: false,
    };
    fake.portalSessions.set(id, s);
    return s;
  }

  function updateSubscription({ form, requestInfo, later }, id) {
    const sub = fake.subscriptions.get(id);
    if (!sub) throw noSuch(404, 'subscription', id, 'id');
    const touchesMore = Object.keys(form).some((k) => !['metadata', 'cancellation_details', 'expand'].includes(k));
    if (sub.status === 'canceled' && touchesMore) {
      throw invalid('A canceled subscription can only update its cancellation_details and metadata.');
    }
    const before = copy({
      cancel_at_period_end: sub.cancel_at_period_end, cancel_at: sub.cancel_at,
      canceled_at: sub.canceled_at, items: sub.items,
    });
    const pb = form.proration_behavior;
    if (pb !== undefined && !['create_prorations', 'none', 'always_invoice'].includes(pb)) {
      throw invalid(`Invalid proration_behavior: must be one of create_prorations, none, or always_invoice`, 'proration_behavior');
    }
    if (form.cancel_at_period_end !== undefined) {
      if (!['true', 'false'].includes(form.cancel_at_period_end)) {
        throw invalid(`Invalid boolean: ${form.cancel_at_period_end}`, 'cancel_at_period_end');
      }
      const on = form.cancel_at_period_end === 'true';
      if (on !== sub.cancel_at_period_end) {
        sub.cancel_at_period_end = on;
        // Stripe: cancel_at becomes the period end; canceled_at the time of this request
        sub.cancel_at = on ? sub.items.data[0]?.current_period_end ?? null : null;
        sub.canceled_at = on ? fake.clock() : null;
      }
    }
    if (form.items !== undefined) {
      if (!Array.isArray(form.items)) throw invalid('Invalid array', 'items');
      form.items.forEach((it, i) => {
        const item = sub.items.data.find((x) => x.id === it?.id);
        if (!it?.id || !item) {
          throw invalid(`No such subscription item: '${it?.id ?? ''}'`, `items[${i}][id]`, { code: 'resource_missing' });
        }
        if (it.price) item.price = { id: it.price, object: 'price' };
        if (it.quantity !== undefined && it.quantity !== '') item.quantity = Number(it.quantity);
      });
    }
    const prev = changed(before, sub);
    if (form.metadata !== undefined && typeof form.metadata === 'object') {
      const old = {};
      for (const [k, v] of Object.entries(form.metadata)) {
        const was = sub.metadata[k] ?? null;
        if (v === '') delete sub.metadata[k]; else sub.metadata[k] = String(v);
        if ((sub.metadata[k] ?? null) !== was) old[k] = was; // Stripe lists only changed keys
      }
      if (Object.keys(old).length) prev.metadata = old;
    }
    if (Object.keys(prev).length) {
      later.push(() => enqueue(buildEvent('customer.subscription.updated', sub, { previous_attributes: prev, request: requestInfo })));
    }
    return sub;
  }

  function cancelSubscription({ requestInfo, later }, id) {
    const sub = fake.subscriptions.get(id);
    if (!sub) throw noSuch(404, 'subscription', id, 'id');
    if (sub.status === 'canceled') throw invalid(`No active subscription: '${id}' is already canceled.`);
    const now = fake.clock();
    sub.status = 'canceled';
    sub.canceled_at = now;
    sub.ended_at = now;
    later.push(() => enqueue(buildEvent('customer.subscription.deleted', sub, { request: requestInfo })));
    return sub;
  }

  function createMeterEvent({ form }) {
    if (!form.event_name) throw missingParam('event_name');
    const payload = form.payload && typeof form.payload === 'object' ? form.payload : {};
    if (!payload.stripe_customer_id) throw missingParam('payload[stripe_customer_id]');
    if (payload.value === undefined || payload.value === '') throw missingParam('payload[value]');
    if (!/^\d+$/.test(String(payload.value))) {
      throw invalid(`The value '${payload.value}' for payload[value] must be a whole number.`, 'payload[value]');
    }
    const now = fake.clock();
    let ts = now;
    if (form.timestamp !== undefined && form.timestamp !== '') {
      ts = Number(form.timestamp);
      if (!Number.isInteger(ts)) throw invalid('Invalid integer: ' + form.timestamp, 'timestamp');
      if (ts < now - 35 * DAY || ts > now + 300) {
        throw invalid('Timestamp must be within the past 35 calendar days or up to 5 minutes in the future.', 'timestamp');
      }
    }
    const identifier = form.identifier || randomId('mev');
    if (fake.meterEvents.has(identifier)) {
      throw new StripeFail(400, { type: 'invalid_request_error', message: `An event already exists with identifier ${identifier}.` },
        { 'Stripe-Should-Retry': 'false' });
    }
    const ev = {
      object: 'billing.meter_event', created: now, event_name: form.event_name, identifier,
      livemode: false, payload: { ...payload }, timestamp: ts,
    };
    fake.meterEvents.set(identifier, ev);
    return ev;
  }

  function eventSummaries({ query }, meterId) {
    for (const p of ['customer', 'start_time', 'end_time']) if (!query[p]) throw missingParam(p);
    const start = Number(query.start_time);
    const end = Number(query.end_time);
    if (!Number.isInteger(start)) throw invalid('Invalid integer: ' + query.start_time, 'start_time');
    if (!Number.isInteger(end)) throw invalid('Invalid integer: ' + query.end_time, 'end_time');
    let sum = 0;
    for (const ev of fake.meterEvents.values()) {
      if (ev.payload.stripe_customer_id === query.customer && ev.timestamp >= start && ev.timestamp < end) {
        sum += Number(ev.payload.value);
      }
    }
    return {
      object: 'list', url: `/v1/billing/meters/${meterId}/event_summaries`, has_more: false,
      data: [{
        id: randomId('mtrusg'), object: 'billing.meter_event_summary', aggregated_value: sum,
        start_time: start, end_time: end, livemode: false, meter: meterId,
      }],
    };
  }

  // --- hosted pages -------------------------------------------------------------------

  function page(res, status, title, body, headers = {}) {
    const html = '<!doctype html>\n<html><head><meta charset="utf-8">'
      + `<title>${esc(title)}</title></head>\n<body>\n${body}\n</body></html>\n`;
    res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html), ...headers });
    res.end(html);
  }

  function checkoutPage(res, id, headers) {
    const s = fake.sessions.get(id);
    if (!s) return page(res, 404, 'Not found', '<h1>No such checkout session</h1>', headers);
    if (s.status !== 'open') {
      return page(res, 200, 'Pay Tollgate', '<h1>Pay Tollgate</h1>\n<p>This checkout session is complete.</p>', headers);
    }
    const email = s.customer_email ?? fake.customers.get(s.customer)?.email ?? '';
    const items = sessionExtras.get(id).lineItems
      .map((li) => `<li>${esc(li.price)}${li.quantity != null ? ` &times; ${li.quantity}` : ' (metered)'}</li>`)
      .join('\n');
    page(res, 200, 'Pay Tollgate', `<h1>Pay Tollgate</h1>
<ul class="prices">
${items}
</ul>
<form method="post" action="/checkout/${esc(id)}/pay">
<label>Email <input type="email" name="email" value="${esc(email)}"></label>
<button type="submit">Pay</button>
</form>
<p><a href="${esc(s.cancel_url)}">Cancel</a></p>`, headers);
  }

  async function pay(res, id, form, headers) {
    const s = fake.sessions.get(id);
    if (!s) return page(res, 404, 'Not found', '<h1>No such checkout session</h1>', headers);
    if (s.status !== 'open') return page(res, 400, 'Pay Tollgate', '<h1>This checkout session is no longer open.</h1>', headers);
    const now = fake.clock();
    s.status = 'complete'; // before any await, so a second click cannot pay again
    let customer = s.customer;
    if (!customer) customer = createCustomer({ form: { email: s.customer_email || form.email || '' } }).id;
    const subId = randomId('sub');
    const sub = {
      id: subId, object: 'subscription', status: 'active', customer,
      items: {
        object: 'list', has_more: false, url: `/v1/subscription_items?subscription=${subId}`,
        data: sessionExtras.get(id).lineItems.map((li) => ({
          id: randomId('si', 14), object: 'subscription_item', price: { id: li.price, object: 'price' },
          quantity: li.quantity ?? 1, subscription: subId, metadata: {}, created: now,
          current_period_start: now, current_period_end: now + PERIOD,
        })),
      },
      cancel_at_period_end: false, cancel_at: null, canceled_at: null, ended_at: null, trial_end: null,
      metadata: copy(sessionExtras.get(id).subscriptionMetadata), created: now, start_date: now,
      latest_invoice: null, livemode: false,
    };
    fake.subscriptions.set(subId, sub);
    const inv = newInvoice(sub, 'subscription_create');
    markPaid(inv);
    sub.latest_invoice = inv.id;
    Object.assign(s, { payment_status: 'paid', customer, subscription: subId, url: null });
    await fake.deliver('customer.subscription.created', sub);
    await fake.deliver('checkout.session.completed', s);
    await fake.deliver('invoice.paid', inv);
    res.writeHead(303, { Location: s.success_url.split('{CHECKOUT_SESSION_ID}').join(id), 'Content-Length': 0, ...headers });
    res.end();
  }

  function portalPage(res, id, headers) {
    const p = fake.portalSessions.get(id);
    if (!p) return page(res, 404, 'Not found', '<h1>No such billing portal session</h1>', headers);
    const subs = [...fake.subscriptions.values()].filter((x) => x.customer === p.customer);
    const rows = subs.map((x) => {
      const item = x.items.data[0];
      return `<li><span class="sub">${esc(x.id)}</span> <span class="status">${esc(x.status)}</span> ${esc(item?.price.id)}`
        + (item ? ` until ${new Date(item.current_period_end * 1000).toISOString().slice(0, 10)}` : '')
        + (x.cancel_at_period_end ? ' (cancels at period end)' : '') + '</li>';
    }).join('\n');
    page(res, 200, 'Manage billing', `<h1>Manage billing</h1>
<p>Customer ${esc(p.customer)}</p>
<ul class="subscriptions">
${rows || '<li>No subscriptions</li>'}
</ul>
${p.return_url ? `<p><a href="${esc(p.return_url)}">Return</a></p>` : ''}`, headers);
  }

  // --- the server ---------------------------------------------------------------------

  function json(res, status, obj, headers = {}) {
    if (res.destroyed) return;
    const body = JSON.stringify(obj, null, 2) + '\n';
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers });
    res.end(body);
  }

  function authError(req) {
    const auth = req.headers.authorization || '';
    let key = null;
    const bearer = auth.match(/^Bearer\s+(.+)$/i);
    const basic = auth.match(/^Basic\s+(.+)$/i);
    if (bearer) key = bearer[1].trim();
    else if (basic) key = Buffer.from(basic[1], 'base64').toString('utf8').split(':')[0];
    if (!key) {
      return 'You did not provide an API key. You need to provide your API key in the Authorization header, '
        + 'using Bearer auth (e.g. \'Authorization: Bearer YOUR_SECRET_KEY\').';
    }
    const ok = apiKey ? key === apiKey : /^(sk|rk)_test_\w+$/.test(key);
    return ok ? null : `Invalid API Key provided: ${redactKey(key)}`;
  }

  const sleep = (ms) => new Promise((resolve) => {
    const t = setTimeout(() => { timers.delete(t); resolve(); }, ms);
    timers.add(t);
  });

  // Injected failure for this call, or null; may wait (delayMs) or never settle (hang).
  async function injected(path) {
    const f = fake.failures || {};
    if (f.match && !f.match.test(path)) return null;
    if (f.delayMs > 0) await sleep(f.delayMs);
    if (f.hang) await new Promise(() => {});
    let status = null;
    if (failQueue.n > 0) { failQueue.n--; status = failQueue.status; }
    else if (f.rate > 0 && rand() < f.rate) status = f.status || 500;
    if (status === null) return null;
    if (status === 429) {
      return new StripeFail(429, { type: 'invalid_request_error', code: 'rate_limit',
        message: 'Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.' });
    }
    return new StripeFail(status, { type: 'api_error', message: 'An unknown error occurred (injected by the fake).' });
  }

  async function api(req, res, path, query, form, headers) {
    fake.received.push({ method: req.method, path, query, form, headers: req.headers, at: Date.now() });
    const requestInfo = { id: headers['Request-Id'], idempotency_key: req.headers['idempotency-key'] ?? null };
    const meterCustomer = req.method === 'POST' && path === '/v1/billing/meter_events'
      ? form.payload?.stripe_customer_id ?? null : null;
    if (meterCustomer) {
      const n = (inFlight.get(meterCustomer) || 0) + 1;
      inFlight.set(meterCustomer, n);
      fake.maxInFlightPerCustomer = Math.max(fake.maxInFlightPerCustomer, n);
    }
    let status = 200;
    try {
      const bad = authError(req);
      if (bad) throw new StripeFail(401, { type: 'invalid_request_error', message: bad });
      const fail = await injected(path);
      if (fail) throw fail;
      for (const [method, re, handler] of routes) {
        const m = req.method === method && path.match(re);
        if (!m) continue;
        const args = m.slice(1).map(decodeURIComponent);
        // `later`: work for after the answer is sent (webhooks: Stripe sends them after)
        const later = [];
        const obj = handler({ form, query, requestInfo, later }, ...args);
        json(res, 200, obj, headers);
        for (const fn of later) fn();
        return;
      }
      throw new StripeFail(404, { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${path}).` });
    } catch (e) {
      if (!(e instanceof StripeFail)) throw e;
      status = e.status;
      json(res, e.status, { error: e.error }, { ...headers, ...e.headers });
    } finally {
      if (meterCustomer) inFlight.set(meterCustomer, inFlight.get(meterCustomer) - 1);
      log?.(`${req.method} ${path} -> ${status}`);
    }
  }

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const u = new URL(req.url, 'http://127.0.0.1');
      const path = u.pathname;
      const query = parseForm(u.search.slice(1));
      const form = parseForm(Buffer.concat(chunks).toString('utf8'));
      const headers = { 'Request-Id': randomId('req', 14), 'Stripe-Version': req.headers['stripe-version'] || API_VERSION };
      try {
        if (path.startsWith('/v1/')) {
          // DELETE parameters may come in the query string
          await api(req, res, path, query, req.method === 'DELETE' ? { ...query, ...form } : form, headers);
          return;
        }
        let m;
        if (req.method === 'GET' && (m = path.match(/^\/checkout\/([^/]+)$/))) return checkoutPage(res, m[1], headers);
        if (req.method === 'POST' && (m = path.match(/^\/checkout\/([^/]+)\/pay$/))) return await pay(res, m[1], form, headers);
        if (req.method === 'GET' && (m = path.match(/^\/billing_portal\/([^/]+)$/))) return portalPage(res, m[1], headers);
        const message = `Unrecognized request URL (${req.method}: ${path}).`;
        json(res, 404, { error: { type: 'invalid_request_error', message } }, headers);
      } catch (e) {
        // a bug in the fake: say so as Stripe would, and keep serving
        json(res, 500, { error: { type: 'api_error', message: `fake stripe: ${e.message}` } }, headers);
      }
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  fake.port = server.address().port;
  fake.url = `http://127.0.0.1:${fake.port}`;
  return fake;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : dflt;
  };
  const fake = await startFakeStripe({
    port: Number(arg('--port', 12111)),
    webhookUrl: arg('--webhook', null),
    webhookSecret: arg('--secret', 'whsec_test_fake'),
    log: (line) => console.error(`fake stripe: ${line}`),
  });
  console.log(`fake stripe listening on ${fake.url}`);
  const stop = () => fake.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
