// The tenant's API behind the gateway in the abuse benchmark: a small REST API whose records
// exist or not (refExists(), shared with the generator), so that 404s are real: an unknown
// path or a record that does not exist is 404, everything the route mix uses is 2xx.
// The route table comes from the scenario's `api` object: the benign mix (api.routes),
// api.extraRoutes, the ingest route (202) and the login route (200 for the right password,
// passwordOf() in generate.mjs, else 401). A placeholder in a template (:id, :slug, :region,
// ...) is what api.params says (generate.mjs, refKind()); a 'tile' one spans three segments.
// A route with `create: true` creates the record its last placeholder names, by an id the
// client chose (a PUT, say): its other records must exist (else 404); then 201 (or its
// status) if that record does not exist yet, 409 if it does.
// Runs as its own process (run.mjs spawns it) so that it does not share the replayer's event
// loop: `node bench/abuse/upstream.mjs '<the scenario's api as JSON>'` prints its port.
import http from 'node:http';
import { passwordOf, refExists, refKind } from './generate.mjs';

const api = JSON.parse(process.argv[2] || '{"maxId":20000,"idDensity":0.5}');

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// What a placeholder's segment may look like; the value is then checked by refExists().
function segment(kind) {
  if (Array.isArray(kind)) return `(${kind.map(escape).join('|')})`;
  if (kind === 'slug') return '([a-z0-9-]+)';
  if (kind === 'code') return '([a-z0-9]+)';
  if (kind === 'tile') return '(\\d+/\\d+/\\d+)'; // a map tile, z/x/y: three segments
  if (kind === 'uuid') return '([0-9a-f-]+)'; // then refExists() checks its shape
  return '(\\d+)';
}

// [{ method, re, kinds, status, login }], in the order a request is matched against.
function routeTable(a) {
  const rows = [];
  const push = (method, path, status, extra = {}) => {
    const kinds = [];
    const src = path.split(/(:[a-z]+)/).map((part) => {
      if (!part.startsWith(':')) return escape(part);
      const kind = refKind(a, part.slice(1));
      kinds.push(kind);
      return segment(kind);
    }).join('');
    rows.push({ method, re: new RegExp(`^${src}$`), kinds, status, ...extra });
  };
  for (const r of [...(a.routes ?? []), ...(a.extraRoutes ?? [])]) {
    push(r.method, r.path, r.status ?? (r.method === 'POST' || r.create ? 201 : 200), r.create ? { create: true } : {});
  }
  // Without a scenario (an old command line): the default scenario's table.
  if (!a.routes) {
    for (const [m, p] of [['GET', '/v1/items'], ['GET', '/v1/items/:id'], ['POST', '/v1/items/:id/comments'], ['GET', '/v1/orders'],
      ['POST', '/v1/orders'], ['GET', '/v1/orders/:id'], ['GET', '/v1/users/me'], ['GET', '/v1/users/:id'], ['GET', '/v1/invoices/:id'],
      ['GET', '/v1/search'], ['GET', '/v1/stats'], ['GET', '/v1/ping']]) push(m, p, m === 'POST' ? 201 : 200);
  }
  push('POST', a.ingest?.path ?? '/v1/events', 202);
  if (a.login) push('POST', a.login.path, 200, { login: true });
  return rows;
}

const table = routeTable(api);

// The status for a request, and for a login whether its credentials are right. Without
// api.firstPathMatch a path served for another method is a 405 only if no route serves it
// for this one.
function answer(method, url, body) {
  const p = url.split('?')[0];
  let otherMethod = false;
  for (const rt of table) {
    const hit = p.match(rt.re);
    if (!hit) continue;
    if (rt.method !== method) {
      if (api.firstPathMatch) return 405;
      otherMethod = true;
      continue;
    }
    if (rt.create) {
      // The records before the last must exist; the last is the one created.
      const last = rt.kinds.length - 1;
      if (rt.kinds.some((k, i) => i < last && !refExists(api, k, hit[i + 1]))) return 404;
      return last >= 0 && refExists(api, rt.kinds[last], hit[last + 1]) ? 409 : rt.status;
    }
    if (rt.kinds.some((k, i) => !refExists(api, k, hit[i + 1]))) return 404;
    if (rt.login) {
      let c = null;
      try {
        c = JSON.parse(body);
      } catch { /* not JSON: wrong credentials */ }
      return c && typeof c.user === 'string' && c.password === passwordOf(c.user) ? 200 : 401;
    }
    return rt.status;
  }
  return otherMethod ? 405 : 404;
}

const ERRORS = { 401: 'invalid credentials', 404: 'not found', 405: 'method not allowed', 409: 'conflict' };

const server = http.createServer((req, res) => {
  // Only a login's body is read (a small JSON); the others are drained.
  const chunks = [];
  let size = 0;
  req.on('data', (d) => {
    if (size < 65536) chunks.push(d);
    size += d.length;
  });
  req.on('end', () => {
    const status = answer(req.method, req.url, Buffer.concat(chunks).toString('utf8'));
    const body = status < 300
      ? JSON.stringify({ ok: true, path: req.url.split('?')[0], data: [1, 2, 3] })
      : JSON.stringify({ error: ERRORS[status] ?? 'error' });
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 120000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${server.address().port}\n`);
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
