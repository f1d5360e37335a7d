// A fake LLM provider for the judge's tests: speaks OpenAI Chat Completions
// (POST /v1/chat/completions) and Anthropic Messages (POST /v1/messages), non-streaming and
// streaming, with each provider's headers and error bodies (shared/LLM-APIS.md). What it
// answers is chosen at run time with set():
//   verdicts     {"verdicts":[...]} naming every client label ("c1", ...) in the request,
//                with the given verdict and confidence
//   text         the given assistant text, as is
//   garbage      prose, not JSON
//   wrong-shape  JSON, but not the shape the judge asked for
//   slow         the verdicts answer after delayMs (longer than the judge waits)
//   error        status (default 500 for OpenAI, 529 for Anthropic) with the provider's error body
//   drop         the connection closed without an answer (a provider that went away)
// It records every request (headers and raw body) so that a test can check what left the
// gateway. Import startFake() in tests; run it as a script for manual runs:
//   node tests/fakes/llm.mjs --port 9090   (then POST /_fake {"mode":"garbage"} to change it)
import http from 'node:http';
import crypto from 'node:crypto';
import { pathToFileURL } from 'node:url';

const DEFAULTS = { mode: 'verdicts', verdict: 'abuse', confidence: 0.9, delayMs: 3000, status: null, text: '' };

const id = (prefix) => `${prefix}${crypto.randomBytes(12).toString('hex')}`;
const tokens = (s) => Math.max(1, Math.ceil(String(s).length / 4));

// The text of the user turns, whatever form their content takes (string or blocks/parts).
function userText(messages) {
  return (messages || [])
    .filter((m) => m && m.role === 'user')
    .map((m) => (typeof m.content === 'string' ? m.content
      : Array.isArray(m.content) ? m.content.map((b) => b?.text ?? '').join('\n') : ''))
    .join('\n');
}

// Client labels the judge gave: "client":"c1" in the user's text.
export function labelsIn(text) {
  return [...new Set([...text.matchAll(/"client"\s*:\s*"(c\d+)"/g)].map((m) => m[1]))];
}

function answerText(b, labels) {
  switch (b.mode) {
    case 'text': return b.text;
    case 'garbage': return `Looking at these clients, ${labels[0] ?? 'the first one'} is probably abusing the API.`;
    case 'wrong-shape': return JSON.stringify({ results: labels.map((c) => ({ id: c, abusive: true, score: 'high' })) });
    default:
      return JSON.stringify({ verdicts: labels.map((client) => ({ client, verdict: b.verdict, confidence: b.confidence })) });
  }
}

// Error bodies exactly as each provider shapes them.
const openaiErrorTypes = {
  400: ['invalid_request_error', null], 401: ['invalid_request_error', 'invalid_api_key'],
  403: ['invalid_request_error', 'unsupported_country_region_territory'], 404: ['invalid_request_error', 'unknown_url'],
  429: ['requests', 'rate_limit_exceeded'], 500: ['server_error', null], 503: ['service_unavailable_error', 'server_is_overloaded'],
};
const anthropicErrorTypes = {
  400: 'invalid_request_error', 401: 'authentication_error', 403: 'permission_error', 404: 'not_found_error',
  413: 'request_too_large', 429: 'rate_limit_error', 500: 'api_error', 529: 'overloaded_error',
};

function sendJson(res, status, headers, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function openaiError(res, status, message, param = null) {
  const [type, code] = openaiErrorTypes[status] ?? ['server_error', null];
  sendJson(res, status, { 'x-request-id': id('req_') }, { error: { message, type, param, code } });
}

function anthropicError(res, status, message) {
  const requestId = id('req_');
  sendJson(res, status, { 'request-id': requestId },
    { type: 'error', error: { type: anthropicErrorTypes[status] ?? 'api_error', message }, request_id: requestId });
}

function sse(res, headers) {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive', ...headers });
}

// Splits a text in up to three pieces, so that a stream has several deltas.
function pieces(text) {
  const n = text.length;
  if (n < 3) return [text];
  const a = Math.floor(n / 3), b = Math.floor((2 * n) / 3);
  return [text.slice(0, a), text.slice(a, b), text.slice(b)];
}

function openaiAnswer(req, res, body, text) {
  const chatId = id('chatcmpl-');
  const created = Math.floor(Date.now() / 1000);
  const usage = { prompt_tokens: tokens(JSON.stringify(body.messages)), completion_tokens: tokens(text) };
  usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
  const headers = {
    'x-request-id': id('req_'), 'openai-processing-ms': '12', 'openai-version': '2020-10-01',
    'x-ratelimit-limit-requests': '10000', 'x-ratelimit-remaining-requests': '9999', 'x-ratelimit-reset-requests': '6ms',
    'x-ratelimit-limit-tokens': '1000000', 'x-ratelimit-remaining-tokens': '999000', 'x-ratelimit-reset-tokens': '60ms',
  };
  if (!body.stream) {
    sendJson(res, 200, headers, {
      id: chatId, object: 'chat.completion', created, model: body.model,
      choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, logprobs: null, finish_reason: 'stop' }],
      usage,
    });
    return;
  }
  const withUsage = body.stream_options?.include_usage === true;
  const chunk = (choices, extra = {}) => `data: ${JSON.stringify({
    id: chatId, object: 'chat.completion.chunk', created, model: body.model, choices,
    ...(withUsage ? { usage: null } : {}), ...extra,
  })}\n\n`;
  sse(res, headers);
  res.write(chunk([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]));
  for (const p of pieces(text)) res.write(chunk([{ index: 0, delta: { content: p }, logprobs: null, finish_reason: null }]));
  res.write(chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]));
  if (withUsage) res.write(chunk([], { usage }));
  res.end('data: [DONE]\n\n');
}

function anthropicAnswer(req, res, body, text) {
  const msgId = id('msg_');
  const headers = {
    'request-id': id('req_'),
    'anthropic-ratelimit-requests-limit': '4000', 'anthropic-ratelimit-requests-remaining': '3999',
    'anthropic-ratelimit-requests-reset': new Date(Date.now() + 60000).toISOString(),
  };
  const usage = { input_tokens: tokens(JSON.stringify(body.messages) + (body.system ?? '')), output_tokens: tokens(text) };
  if (!body.stream) {
    sendJson(res, 200, headers, {
      id: msgId, type: 'message', role: 'assistant', model: body.model,
      content: [{ type: 'text', text }], stop_reason: 'end_turn', stop_sequence: null, usage,
    });
    return;
  }
  const event = (name, data) => res.write(`event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`);
  sse(res, headers);
  event('message_start', { message: { id: msgId, type: 'message', role: 'assistant', content: [], model: body.model, stop_reason: null, stop_sequence: null, usage: { input_tokens: usage.input_tokens, output_tokens: 1 } } });
  event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
  event('ping', {});
  for (const p of pieces(text)) event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: p } });
  event('content_block_stop', { index: 0 });
  event('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: usage.output_tokens } });
  event('message_stop', {});
  res.end();
}

// Checks a request as the real API would; returns an error message, or null.
function invalid(provider, headers, body, apiKey) {
  if (provider === 'openai') {
    const auth = headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || auth.length <= 7) return [401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."];
    if (apiKey && auth !== `Bearer ${apiKey}`) return [401, 'Incorrect API key provided.'];
    if (typeof body?.model !== 'string') return [400, "you must provide a model parameter"];
    if (!Array.isArray(body.messages) || body.messages.length === 0) return [400, "Invalid 'messages': empty array."];
    return null;
  }
  if (!headers['x-api-key'] && !headers.authorization) return [401, 'x-api-key header is required'];
  if (apiKey && headers['x-api-key'] !== apiKey && headers.authorization !== `Bearer ${apiKey}`) return [401, 'invalid x-api-key'];
  if (!headers['anthropic-version']) return [400, 'anthropic-version: header is required'];
  if (typeof body?.model !== 'string') return [400, 'model: Field required'];
  if (!Number.isInteger(body.max_tokens) || body.max_tokens < 1) return [400, 'max_tokens: Field required'];
  if (!Array.isArray(body.messages) || body.messages.length === 0) return [400, 'messages: Field required'];
  return null;
}

export function startFake({ port = 0, host = '127.0.0.1', apiKey = null } = {}) {
  const requests = [];
  let behaviour = { ...DEFAULTS };
  const sockets = new Set();

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const path = req.url.split('?')[0];
      if (req.method === 'POST' && path === '/_fake') {
        try { behaviour = { ...DEFAULTS, ...JSON.parse(raw) }; } catch { /* keep it */ }
        sendJson(res, 200, {}, behaviour);
        return;
      }
      const provider = path === '/v1/chat/completions' ? 'openai' : path === '/v1/messages' ? 'anthropic' : null;
      let body = null;
      try { body = JSON.parse(raw); } catch { /* checked below */ }
      const b = behaviour; // as it was when the request arrived
      requests.push({ provider, method: req.method, path, headers: { ...req.headers }, raw, body, mode: b.mode, at: Date.now() });
      const fail = provider === 'anthropic' ? anthropicError : openaiError;
      if (provider === null || req.method !== 'POST') {
        fail(res, 404, `Unknown request URL: ${req.method} ${path}.`);
        return;
      }
      if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        fail(res, 400, 'We could not parse the JSON body of your request.');
        return;
      }
      const bad = invalid(provider, req.headers, body, apiKey);
      if (bad) {
        fail(res, bad[0], bad[1]);
        return;
      }
      if (b.mode === 'drop') {
        req.socket.destroy();
        return;
      }
      if (b.mode === 'error') {
        const status = b.status ?? (provider === 'anthropic' ? 529 : 500);
        fail(res, status, status === 529 ? 'Overloaded' : 'The server had an error while processing your request. Sorry about that!');
        return;
      }
      if (b.mode === 'slow') {
        await new Promise((r) => setTimeout(r, b.delayMs));
        if (res.destroyed || req.socket.destroyed) return; // the client gave up
      }
      const text = answerText(b, labelsIn(userText(body.messages)));
      (provider === 'openai' ? openaiAnswer : anthropicAnswer)(req, res, body, text);
    });
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const p = server.address().port;
      resolve({
        port: p,
        url: `http://${host}:${p}`,
        requests,
        // Changes what the fake answers from now on; fields left out take their defaults.
        set: (b) => { behaviour = { ...DEFAULTS, ...b }; },
        behaviour: () => ({ ...behaviour }),
        close: () => new Promise((r) => {
          for (const s of sockets) s.destroy();
          server.close(() => r());
        }),
      });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const i = process.argv.indexOf('--port');
  const port = i > 0 ? Number(process.argv[i + 1]) : 9090;
  const fake = await startFake({ port });
  console.error(`fake LLM provider on ${fake.url} (OpenAI: ${fake.url}/v1, Anthropic: ${fake.url})`);
  const stop = () => fake.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
