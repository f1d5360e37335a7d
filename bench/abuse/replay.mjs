// Replays a trace (generate.mjs) through the real gateway in real time: every request leaves
// at its scheduled offset from the phase start, from its client's own address (each client's
// connections are bound to its 127/8 address, so the gateway sees that peer) or from the
// request's own sourceIp when it has one (a partner's pool), with its key, User-Agent and
// body (the request's `body` verbatim when it has one, a login's JSON; else `bytes` of
// filler). Every response's status is recorded, and for non-2xx answers the problem type
// and decision_id from the problem+json body.
//
// A client is REFUSED BY THE ENGINE at its first 403 or 429 whose problem type ends with
// `abnormal-usage-detected`; plan rate limits, 401s and 404s are not engine decisions.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export const ENGINE_TYPE = 'abnormal-usage-detected';

export function isEngineRefusal(res) {
  return (res.status === 403 || res.status === 429) && typeof res.type === 'string' && res.type.endsWith(ENGINE_TYPE);
}

// keys: { valid: [string], revoked: [string], app: [string], dormant: [string] }. Returns { results: [[{ t, sent, ms, status,
// type, decision }] per client], lagMs: { p50, p99, max }, wallMs }.
export async function replay(trace, { url, keys, timeoutMs = 15000, log = () => {} }) {
  const target = new URL(url);
  const maxBytes = Math.max(1, ...trace.clients.flatMap((c) => c.schedule.map((q) => q.bytes)));
  const payload = Buffer.alloc(maxBytes, 0x61);
  // One keep-alive agent per (client, source address): a connection is bound to one address.
  const agents = trace.clients.map(() => new Map());
  const agentOf = (ci, ip) => {
    let a = agents[ci].get(ip);
    if (!a) agents[ci].set(ip, (a = new http.Agent({ keepAlive: true, maxSockets: 16, localAddress: ip })));
    return a;
  };
  const results = trace.clients.map((c) => new Array(c.schedule.length));

  const events = [];
  trace.clients.forEach((c, ci) => c.schedule.forEach((q, qi) => events.push([q.t, ci, qi])));
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);

  const keyOf = (k) => {
    if (k == null) return null;
    if (k.valid !== undefined) return keys.valid[k.valid];
    if (k.revoked !== undefined) return keys.revoked[k.revoked];
    if (k.app !== undefined) return keys.app[k.app];
    if (k.dormant !== undefined) return keys.dormant[k.dormant];
    return k.made_up;
  };

  const pending = new Set();
  const lags = [];
  const send = (ci, qi, t0) => {
    const c = trace.clients[ci];
    const q = c.schedule[qi];
    const sent = performance.now() - t0;
    lags.push(sent - q.t);
    const headers = {};
    if (c.ua) headers['User-Agent'] = c.ua;
    const key = keyOf(q.key);
    if (key) headers.Authorization = `Bearer ${key}`;
    const body = q.body !== undefined ? Buffer.from(q.body, 'utf8') : null;
    if (q.method !== 'GET') {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = String(body ? body.length : q.bytes);
    }
    const rec = { t: q.t, sent: Math.round(sent), ms: 0, status: 0, type: null, decision: null };
    results[ci][qi] = rec;
    const p = new Promise((resolve) => {
      let answered = false;
      const req = http.request({
        host: target.hostname, port: target.port, method: q.method, path: q.path, headers, agent: agentOf(ci, q.sourceIp ?? c.sourceIp),
      }, (res) => {
        answered = true;
        rec.status = res.statusCode;
        const chunks = [];
        let size = 0;
        res.on('data', (d) => {
          if (res.statusCode >= 300 && size < 8192) {
            chunks.push(d);
            size += d.length;
          }
        });
        res.on('end', () => {
          rec.ms = Math.round(performance.now() - t0 - sent);
          if (res.statusCode >= 300 && /json/.test(res.headers['content-type'] || '')) {
            try {
              const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
              rec.type = body.type ?? null;
              rec.decision = body.decision_id ?? null;
            } catch { /* not JSON after all */ }
          }
          resolve();
        });
        res.on('error', () => resolve());
      });
      req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
      req.on('error', (e) => {
        // A refusal may come back before a large body is written; that is an answer.
        if (!answered) {
          rec.status = 0;
          rec.type = `error: ${e.code || e.message}`;
          resolve();
        }
      });
      if (body && q.method !== 'GET') req.end(body);
      else if (q.method !== 'GET' && q.bytes > 0) req.end(payload.subarray(0, q.bytes));
      else req.end();
    });
    pending.add(p);
    p.then(() => pending.delete(p));
  };

  const t0 = performance.now() + 100;
  const wall0 = Date.now();
  let i = 0;
  let lastLog = 0;
  await new Promise((resolve) => {
    const tick = () => {
      const now = performance.now() - t0;
      while (i < events.length && events[i][0] <= now) {
        const [, ci, qi] = events[i++];
        send(ci, qi, t0);
      }
      if (now - lastLog >= 15000) {
        lastLog = now;
        log(`  ${Math.round(now / 1000)} s: ${i}/${events.length} requests sent, ${pending.size} in flight`);
      }
      if (i >= events.length) return resolve();
      setTimeout(tick, Math.max(0, Math.min(events[i][0] - now, 25)));
    };
    setTimeout(tick, 100);
  });
  await Promise.all([...pending]);
  for (const m of agents) for (const a of m.values()) a.destroy();

  lags.sort((a, b) => a - b);
  const q = (p) => (lags.length ? lags[Math.min(lags.length - 1, Math.floor(p * lags.length))] : 0);
  return { results, lagMs: { p50: q(0.5), p99: q(0.99), max: lags.at(-1) ?? 0 }, wallMs: Date.now() - wall0 };
}

// Per client and request: refused by the engine?
export function engineRefusals(results) {
  return results.map((rs) => rs.map(isEngineRefusal));
}

// Per client: refused by the engine? when (ms after its first request), by which decision;
// and counts of what else it got. A client of several addresses (a partner) is refused if
// any of its requests is.
export function outcomes(trace, results) {
  return trace.clients.map((c, ci) => {
    const rs = results[ci];
    const first = rs.reduce((m, r) => Math.min(m, r.sent), Infinity);
    const refusal = rs.filter(isEngineRefusal).sort((a, b) => a.sent - b.sent)[0] ?? null;
    const count = (f) => rs.filter(f).length;
    return {
      refused: refusal !== null,
      ttbMs: refusal ? refusal.sent - first : null,
      refusalStatus: refusal?.status ?? null,
      decision: refusal?.decision ?? null,
      n: rs.length,
      ok: count((r) => r.status >= 200 && r.status < 300),
      engine: count(isEngineRefusal),
      s401: count((r) => r.status === 401),
      s404: count((r) => r.status === 404),
      s413: count((r) => r.status === 413),
      other429: count((r) => r.status === 429 && !isEngineRefusal(r)),
      errors: count((r) => r.status === 0 || r.status >= 500),
    };
  });
}
