// The baselines, computed offline on the same trace the gateway replays: what a plain rate
// limiter would have refused. Limits apply per valid key; a request without a valid key
// (none, made up, revoked) is counted against its source address instead, since that is all a
// limiter can tell such a caller by (key guessing and low-and-slow guessing are limited per
// address; so are a credential stuffer's revoked keys and a NAT user's stale key).
// A client counts as refused at its first request over the limit, like an engine refusal.
// The app key is one identity for all of the app's end users (and for whoever attacks the
// app's login through it), as it would be for a limiter; a partner's requests without a valid
// key would count against the address each came from.
import { isValidKey, keyName } from './generate.mjs';

function identity(client, q) {
  return isValidKey(q.key) ? `key:${keyName(q.key)}` : `ip:${q.sourceIp ?? client.sourceIp}`;
}

function timeline(trace) {
  const ev = [];
  trace.clients.forEach((c, ci) => c.schedule.forEach((q, qi) => ev.push([q.t, ci, qi, identity(c, q)])));
  return ev.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

// Per client and request (schedule order): refused by the limiter?
function refusals(trace, refuse) {
  const out = trace.clients.map((c) => new Array(c.schedule.length).fill(false));
  for (const [t, ci, qi, id] of timeline(trace)) out[ci][qi] = refuse(t, id);
  return out;
}

function verdicts(trace, refused) {
  return trace.clients.map((c, ci) => {
    let ttbMs = null;
    c.schedule.forEach((q, qi) => {
      if (refused[ci][qi] && ttbMs === null) ttbMs = q.t - c.schedule[0].t;
    });
    return ttbMs === null ? { refused: false, ttbMs: null } : { refused: true, ttbMs };
  });
}

// A fixed window: at most `limit` admitted requests per identity per window, windows aligned
// on the phase start.
export function fixedWindowRefusals(trace, { limit, windowS }) {
  const counts = new Map();
  return refusals(trace, (t, id) => {
    const k = `${id}@${Math.floor(t / (windowS * 1000))}`;
    const n = counts.get(k) ?? 0;
    if (n >= limit) return true;
    counts.set(k, n + 1);
    return false;
  });
}

// A token bucket per identity: `burst` tokens, refilled at `ratePerS`; a request without a
// token is refused (and takes none).
export function tokenBucketRefusals(trace, { ratePerS, burst }) {
  const buckets = new Map();
  return refusals(trace, (t, id) => {
    const b = buckets.get(id) ?? { tokens: burst, at: t };
    b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * ratePerS);
    b.at = t;
    buckets.set(id, b);
    if (b.tokens < 1) return true;
    b.tokens -= 1;
    return false;
  });
}

export const fixedWindow = (trace, p) => verdicts(trace, fixedWindowRefusals(trace, p));
export const tokenBucket = (trace, p) => verdicts(trace, tokenBucketRefusals(trace, p));
