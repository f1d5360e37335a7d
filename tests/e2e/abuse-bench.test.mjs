// The pure parts of `make bench-abuse` (bench/abuse/): the seeded generator, the offline
// baselines and the confidence intervals. The benchmark's figures are only as good as these;
// the replay through the gateway itself is what `make bench-abuse` runs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixedWindow, tokenBucket } from '../../bench/abuse/baselines.mjs';
import { generate, summary } from '../../bench/abuse/generate.mjs';
import { ci } from '../../bench/abuse/report.mjs';
import scenario from '../../bench/abuse/scenario.mjs';

test('the generator is deterministic per seed, and seeds differ', () => {
  const a = generate(scenario, 7);
  const b = generate(scenario, 7);
  const c = generate(scenario, 8);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.clients.map((x) => x.schedule.length), c.clients.map((x) => x.schedule.length));
});

test('every class of the scenario is there with its ground truth, inside the phase', () => {
  const trace = generate(scenario, 1);
  const by = summary(trace);
  for (const [cls, p] of Object.entries(scenario.classes)) {
    const s = by.get(cls);
    assert.ok(s && s.clients > 0 && s.requests > 0, `class ${cls} is missing`);
    assert.equal(s.benign, p.benign, `ground truth of ${cls}`);
  }
  for (const client of trace.clients) {
    assert.match(client.sourceIp, /^127\./, 'every client replays from a loopback address of its own');
    for (let i = 1; i < client.schedule.length; i++) assert.ok(client.schedule[i].t >= client.schedule[i - 1].t);
    for (const q of client.schedule) assert.ok(q.t >= 0 && q.t <= scenario.durationS * 1000, `${client.id} at ${q.t}`);
  }
  // Users behind one NAT share an address; everyone else has their own.
  const nat = trace.clients.filter((x) => x.class === 'nat');
  assert.ok(new Set(nat.map((x) => x.sourceIp)).size < nat.length);
  const others = trace.clients.filter((x) => x.class !== 'nat' && x.class !== 'low_and_slow');
  assert.equal(new Set(others.map((x) => x.sourceIp)).size, others.length);
});

// A trace of one client sending `n` requests with one valid key, `gapMs` apart.
function steady(n, gapMs) {
  const schedule = Array.from({ length: n }, (_, i) => ({ t: i * gapMs, method: 'GET', path: '/v1/x', bytes: 0, key: { valid: 0 } }));
  return { clients: [{ id: 'c', class: 'steady', benign: true, sourceIp: '127.0.0.2', schedule }] };
}

test('the fixed window refuses the first request over its limit, and only then', () => {
  assert.deepEqual(fixedWindow(steady(100, 10), { limit: 100, windowS: 60 }), [{ refused: false, ttbMs: null }]);
  assert.deepEqual(fixedWindow(steady(101, 10), { limit: 100, windowS: 60 }), [{ refused: true, ttbMs: 1000 }]);
  // 150 requests over two windows, 75 in each: never over.
  assert.equal(fixedWindow(steady(150, 800), { limit: 100, windowS: 60 })[0].refused, false);
});

test('the token bucket allows its burst, then its rate', () => {
  // 5/s with a burst of 20: 20 at once pass, the 21st is refused.
  assert.equal(tokenBucket(steady(20, 0), { ratePerS: 5, burst: 20 })[0].refused, false);
  assert.deepEqual(tokenBucket(steady(21, 0), { ratePerS: 5, burst: 20 }), [{ refused: true, ttbMs: 0 }]);
  // One request every 200 ms is exactly the rate: never refused.
  assert.equal(tokenBucket(steady(200, 200), { ratePerS: 5, burst: 20 })[0].refused, false);
});

test('intervals: mean ± 1.96 sd/√n, clipped, none for a single value', () => {
  const c = ci([0.1, 0.2, 0.3]);
  assert.ok(Math.abs(c.mean - 0.2) < 1e-12);
  assert.ok(Math.abs(c.hi - c.mean - 1.96 * 0.1 / Math.sqrt(3)) < 1e-12);
  assert.deepEqual(ci([0.9, 1, 1], [0, 1]).hi, 1);
  assert.equal(ci([0.5]).lo, null);
  assert.equal(ci([]), null);
});
