// The tenant's API behind the gateway in the abuse benchmark: a small REST API whose records
// exist or not (idExists(), shared with the generator), so that 404s are real: an unknown
// path or a record that does not exist is 404, everything the route mix uses is 2xx.
// Runs as its own process (run.mjs spawns it) so that it does not share the replayer's event
// loop: `node bench/abuse/upstream.mjs '{"maxId":...,"idDensity":...}'` prints its port.
import http from 'node:http';
import { idExists } from './generate.mjs';

const api = JSON.parse(process.argv[2] || '{"maxId":20000,"idDensity":0.5}');

const ROUTES = [
  ['GET', /^\/v1\/items$/, 200],
  ['GET', /^\/v1\/items\/(\d+)$/, 200],
  ['POST', /^\/v1\/items\/(\d+)\/comments$/, 201],
  ['GET', /^\/v1\/orders$/, 200],
  ['POST', /^\/v1\/orders$/, 201],
  ['GET', /^\/v1\/orders\/(\d+)$/, 200],
  ['GET', /^\/v1\/users\/me$/, 200],
  ['GET', /^\/v1\/users\/(\d+)$/, 200],
  ['GET', /^\/v1\/invoices\/(\d+)$/, 200],
  ['GET', /^\/v1\/search$/, 200],
  ['GET', /^\/v1\/stats$/, 200],
  ['POST', /^\/v1\/events$/, 202],
  ['GET', /^\/v1\/ping$/, 200],
];

function answer(method, url) {
  const p = url.split('?')[0];
  for (const [m, re, ok] of ROUTES) {
    const hit = p.match(re);
    if (!hit) continue;
    if (m !== method) return 405;
    if (hit[1] !== undefined && !idExists(api, Number(hit[1]))) return 404;
    return ok;
  }
  return 404;
}

const server = http.createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    const status = answer(req.method, req.url);
    const body = status < 300
      ? JSON.stringify({ ok: true, path: req.url.split('?')[0], data: [1, 2, 3] })
      : JSON.stringify({ error: status === 404 ? 'not found' : 'method not allowed' });
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
