// The baselines, computed offline on the same trace the gateway replays: what a plain rate
// limiter would have refused. Limits apply per valid key; a request without a valid key
// (none, made up, revoked) is counted against its source address instead, since that is all a
// limiter can tell such a caller by (key guessing and low-and-slow guessing are limited per
// address; so are a credential stuffer's revoked keys and a NAT user's stale key).
// A client counts as refused at its first request over the limit, like an engine refusal.

function identity(client, q) {
  return q.key && q.key.valid !== undefined ? `key:${q.key.valid}` : `ip:${client.sourceIp}`;
}

function timeline(trace) {
  const ev = [];
  trace.clients.forEach((c, ci) => c.schedule.forEach((q) => ev.push([q.t, ci, identity(c, q)])));
  return ev.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

function verdicts(trace, refuse) {
  const first = trace.clients.map((c) => (c.schedule.length ? c.schedule[0].t : 0));
  const out = trace.clients.map(() => ({ refused: false, ttbMs: null }));
  for (const [t, ci, id] of timeline(trace)) {
    if (refuse(t, id) && !out[ci].refused) out[ci] = { refused: true, ttbMs: t - first[ci] };
  }
  return out;
}

// A fixed window: at most `limit` admitted requests per identity per window, windows aligned
// on the phase start.
export function fixedWindow(trace, { limit, windowS }) {
  const counts = new Map();
  return verdicts(trace, (t, id) => {
    const k = `${id}@${Math.floor(t / (windowS * 1000))}`;
    const n = counts.get(k) ?? 0;
    if (n >= limit) return true;
    counts.set(k, n + 1);
    return false;
  });
}

// A token bucket per identity: `burst` tokens, refilled at `ratePerS`; a request without a
// token is refused (and takes none).
export function tokenBucket(trace, { ratePerS, burst }) {
  const buckets = new Map();
  return verdicts(trace, (t, id) => {
    const b = buckets.get(id) ?? { tokens: burst, at: t };
    b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * ratePerS);
    b.at = t;
    buckets.set(id, b);
    if (b.tokens < 1) return true;
    b.tokens -= 1;
    return false;
  });
}
