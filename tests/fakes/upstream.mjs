// A tenant's upstream API for demos and tests: answers every request with a JSON echo of
// what it received (method, URL, headers, body size), so a caller can see what the gateway
// forwarded. Import startUpstream() in tests to count calls; run it as a script for `make run`:
//   node tests/fakes/upstream.mjs --port 9080
import http from 'node:http';
import { pathToFileURL } from 'node:url';

export function startUpstream({ port = 0, host = '127.0.0.1' } = {}) {
  const calls = [];
  // Requests to /hold/<name> are answered only when the test calls release(name): a way to
  // keep a proxied request in flight for as long as a test needs, without timing.
  const held = new Map();
  const server = http.createServer((req, res) => {
    let size = 0;
    req.on('data', (chunk) => { size += chunk.length; });
    req.on('end', async () => {
      const hold = req.url.match(/^\/hold\/([\w-]+)/);
      if (hold) {
        await new Promise((resolve) => held.set(hold[1], resolve));
      }
      const call = {
        method: req.method,
        url: req.url,
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        bodyBytes: size,
      };
      calls.push(call);
      const body = JSON.stringify({ echo: call, message: 'Hello from the demo upstream' }) + '\n';
      // /usage/<tokens> reports usage in a header, /usage-trailer/<tokens> in a trailer at
      // the end of a chunked body (as an LLM API does after streaming), both with a cost.
      const usage = req.url.match(/^\/usage(-trailer)?\/(\d+)/);
      if (usage && usage[1]) {
        res.writeHead(200, { 'Content-Type': 'application/json', Trailer: 'X-Usage-Tokens, X-Usage-Cost' });
        res.write(body);
        res.addTrailers({ 'X-Usage-Tokens': usage[2], 'X-Usage-Cost': '0.000250' });
        res.end();
        return;
      }
      const headers = { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) };
      if (usage) {
        headers['X-Usage-Tokens'] = usage[2];
        headers['X-Usage-Cost'] = '0.000250';
      }
      const status = req.url.match(/^\/status\/(\d{3})/);
      res.writeHead(status ? Number(status[1]) : 200, headers);
      res.end(body);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      resolve({
        port: server.address().port,
        calls,
        isHeld: (name) => held.has(name),
        release: (name) => { held.get(name)?.(); held.delete(name); },
        close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
      });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const i = process.argv.indexOf('--port');
  const port = i > 0 ? Number(process.argv[i + 1]) : 9080;
  const up = await startUpstream({ port });
  console.error(`demo upstream listening on http://127.0.0.1:${up.port}`);
  const stop = () => up.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
