// A fake LLM provider for the judge's and the AI routes' tests: speaks OpenAI Chat Completions
// (POST /v1/chat/completions), OpenAI Embeddings (POST /v1/embeddings), the models list
// (GET /v1/models) and Anthropic Messages (POST /v1/messages), non-streaming and streaming,
// with each provider's headers and error bodies (shared/LLM-APIS.md).
//
// What it answers is chosen at run time with set() (the global mode):
//   verdicts     {"verdicts":[...]} naming every client label ("c1", ...) in the request,
//                with the given verdict and confidence
//   text         the given assistant text, as is
//   garbage      prose, not JSON
//   wrong-shape  JSON, but not the shape the judge asked for
//   slow         the verdicts answer after delayMs (longer than the judge waits)
//   error        status (default 500 for OpenAI, 529 for Anthropic) with the provider's error body
//   drop         the connection closed without an answer (a provider that went away)
// or, per request, by the requested model's name, so that one fake can back several aliases
// of a gateway at once (these override the global mode):
//   echo…     "echo: <last user message>", streamed in ~4-character deltas
//   slow…     as echo, with streamDelayMs between stream events (4× that before a plain answer)
//   fail429…  429 with the provider's error body and retry-after: 1
//   fail500…  500 (OpenAI) or 529 overloaded (Anthropic)
//   hang…     no answer at all; the socket stays open until the client closes it
//   garbage…  200, Content-Type: application/json, a body that is not JSON
//   drop…     the socket destroyed
//   tools…    one tool call (OpenAI tool_calls, Anthropic tool_use), streamed or not
// Embeddings are deterministic from the text (hashed character trigrams), so similar texts
// are close; the failing names (fail429, fail500, hang, garbage, drop, slow) and the global
// modes error, drop and slow apply to them too.
//
// It records every request (headers and raw body) so that a test can check what left the
// gateway, and keeps a ledger of what it answered: usage (tokens it would bill), cancelled
// (answers the client walked away from) and eventTimes (when each SSE event was written).
// Import startFake() in tests; run it as a script for manual runs:
//   node tests/fakes/llm.mjs --port 9090   (then POST /_fake {"mode":"garbage"} to change it)
import http from 'node:http';
import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const DEFAULTS = {
  mode: 'verdicts', verdict: 'abuse', confidence: 0.9, delayMs: 3000, status: null, text: '', streamDelayMs: 150,
};

// Behaviours picked by the model's name; checked in this order.
const PREFIXES = ['fail429', 'fail500', 'hang', 'garbage', 'drop', 'tools', 'slow', 'echo'];
const byModel = (model) => (typeof model === 'string' ? PREFIXES.find((p) => model.startsWith(p)) ?? null : null);

// What GET /v1/models lists.
export const MODELS = ['echo-small', 'echo-large', 'slow-1', 'embed-1'];
const MODELS_CREATED = 1700000000;

const EMBEDDING_DIMS = 8;

const id = (prefix) => `${prefix}${crypto.randomBytes(12).toString('hex')}`;
const tokens = (s) => Math.max(1, Math.ceil(String(s).length / 4));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.timeOrigin + performance.now();

// Prompt tokens as both providers count them here: the messages, plus Anthropic's system.
const promptTokens = (body) => tokens(JSON.stringify(body.messages)
  + (typeof body.system === 'string' ? body.system : body.system == null ? '' : JSON.stringify(body.system)));

const partsText = (content) => (typeof content === 'string' ? content
  : Array.isArray(content) ? content.map((b) => (typeof b === 'string' ? b : b?.text ?? '')).join('\n') : '');

// The text of the user turns, whatever form their content takes (string or blocks/parts).
function userText(messages) {
  return (messages || []).filter((m) => m && m.role === 'user').map((m) => partsText(m.content)).join('\n');
}

// The last user turn's text, for echo.
function lastUserText(messages) {
  const m = (messages || []).filter((x) => x && x.role === 'user').at(-1);
  return m ? partsText(m.content) : '';
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

// murmur3's 32-bit finaliser: spreads every input bit over the output.
function mix32(h) {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

// A deterministic embedding: a random projection of the bag of character trigrams of the
// lowercased text. Each trigram (hashed with FNV-1a) adds a pseudo-random vector in [-1, 1]^dims;
// the sum is L2-normalised. Near-identical texts share most trigrams (cosine close to 1);
// unrelated ones add up independent vectors (cosine around 0).
export function embed(text, dims = EMBEDDING_DIMS) {
  const v = new Array(dims).fill(0);
  const s = ` ${String(text).toLowerCase()} `;
  for (let i = 0; i + 3 <= s.length; i++) {
    let h = 0x811c9dc5;
    for (let j = i; j < i + 3; j++) h = Math.imul(h ^ s.charCodeAt(j), 0x01000193);
    for (let d = 0; d < dims; d++) v[d] += mix32(h + Math.imul(d + 1, 0x9e3779b9)) / 0x80000000 - 1;
  }
  const norm = Math.hypot(...v);
  if (norm === 0) v[0] = 1;
  // Rounded to float32 so that the float and base64 encodings carry the same numbers.
  return v.map((x) => Math.fround(norm === 0 ? x : x / norm));
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

function openaiError(res, status, message, param = null, headers = {}) {
  const [type, code] = openaiErrorTypes[status] ?? ['server_error', null];
  sendJson(res, status, { 'x-request-id': id('req_'), ...headers }, { error: { message, type, param, code } });
}

function anthropicError(res, status, message, headers = {}) {
  const requestId = id('req_');
  sendJson(res, status, { 'request-id': requestId, ...headers },
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

// Splits a text in pieces of `size` characters: many events, as a real model streams.
function smallPieces(text, size = 4) {
  if (text.length === 0) return [''];
  const out = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

// Writes one SSE event per res.write, noting when it left and pausing gapMs between events;
// returns false (and writes nothing) once the client has gone.
function eventWriter(res, ctx, gapMs) {
  let first = true;
  return async (record) => {
    if (!first && gapMs > 0) await sleep(gapMs);
    first = false;
    if (ctx.gone) return false;
    res.write(record);
    ctx.times.push(now());
    return true;
  };
}

const openaiHeaders = () => ({
  'x-request-id': id('req_'), 'openai-processing-ms': '12', 'openai-version': '2020-10-01',
  'x-ratelimit-limit-requests': '10000', 'x-ratelimit-remaining-requests': '9999', 'x-ratelimit-reset-requests': '6ms',
  'x-ratelimit-limit-tokens': '1000000', 'x-ratelimit-remaining-tokens': '999000', 'x-ratelimit-reset-tokens': '60ms',
});

// answer is {text} or {tool: {name, args}}; o = {split, gapMs, ctx}.
async function openaiAnswer(res, body, answer, o) {
  const chatId = id('chatcmpl-');
  const created = Math.floor(Date.now() / 1000);
  const usage = { prompt_tokens: promptTokens(body), completion_tokens: tokens(answer.tool ? answer.tool.args : answer.text) };
  usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
  const headers = openaiHeaders();
  const finish = answer.tool ? 'tool_calls' : 'stop';
  const call = answer.tool && { id: 'call_1', type: 'function', function: { name: answer.tool.name, arguments: answer.tool.args } };
  if (!body.stream) {
    const message = answer.tool
      ? { role: 'assistant', content: null, refusal: null, tool_calls: [call] }
      : { role: 'assistant', content: answer.text, refusal: null };
    sendJson(res, 200, headers, {
      id: chatId, object: 'chat.completion', created, model: body.model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
      usage,
    });
    o.ctx.ledger(usage.prompt_tokens, usage.completion_tokens, false).completed = true;
    return;
  }
  const withUsage = body.stream_options?.include_usage === true;
  const chunk = (choices, extra = {}) => `data: ${JSON.stringify({
    id: chatId, object: 'chat.completion.chunk', created, model: body.model, choices,
    ...(withUsage ? { usage: null } : {}), ...extra,
  })}\n\n`;
  const choice = (delta, finishReason = null) => [{ index: 0, delta, logprobs: null, finish_reason: finishReason }];
  sse(res, headers);
  const entry = o.ctx.ledger(usage.prompt_tokens, usage.completion_tokens, true);
  const send = eventWriter(res, o.ctx, o.gapMs);
  const records = answer.tool
    ? [chunk(choice({ role: 'assistant', content: null, tool_calls: [{ index: 0, ...call, function: { name: call.function.name, arguments: '' } }], refusal: null })),
      ...o.split(answer.tool.args).map((p) => chunk(choice({ tool_calls: [{ index: 0, function: { arguments: p } }] })))]
    : [chunk(choice({ role: 'assistant', content: '' })),
      ...o.split(answer.text).map((p) => chunk(choice({ content: p })))];
  records.push(chunk(choice({}, finish)));
  if (withUsage) records.push(chunk([], { usage }));
  records.push('data: [DONE]\n\n');
  for (const r of records) if (!(await send(r))) return;
  entry.completed = true;
  res.end();
}

async function anthropicAnswer(res, body, answer, o) {
  const msgId = id('msg_');
  const headers = {
    'request-id': id('req_'),
    'anthropic-ratelimit-requests-limit': '4000', 'anthropic-ratelimit-requests-remaining': '3999',
    'anthropic-ratelimit-requests-reset': new Date(Date.now() + 60000).toISOString(),
  };
  const usage = { input_tokens: promptTokens(body), output_tokens: tokens(answer.tool ? answer.tool.args : answer.text) };
  const stopReason = answer.tool ? 'tool_use' : 'end_turn';
  const block = answer.tool && { type: 'tool_use', id: id('toolu_'), name: answer.tool.name, input: JSON.parse(answer.tool.args) };
  if (!body.stream) {
    sendJson(res, 200, headers, {
      id: msgId, type: 'message', role: 'assistant', model: body.model,
      content: [answer.tool ? block : { type: 'text', text: answer.text }], stop_reason: stopReason, stop_sequence: null, usage,
    });
    o.ctx.ledger(usage.input_tokens, usage.output_tokens, false).completed = true;
    return;
  }
  const event = (name, data) => `event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`;
  sse(res, headers);
  const entry = o.ctx.ledger(usage.input_tokens, usage.output_tokens, true);
  const send = eventWriter(res, o.ctx, o.gapMs);
  const records = [
    event('message_start', { message: { id: msgId, type: 'message', role: 'assistant', content: [], model: body.model, stop_reason: null, stop_sequence: null, usage: { input_tokens: usage.input_tokens, output_tokens: 1 } } }),
    event('content_block_start', { index: 0, content_block: answer.tool ? { ...block, input: {} } : { type: 'text', text: '' } }),
    event('ping', {}),
    ...(answer.tool
      ? o.split(answer.tool.args).map((p) => event('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: p } }))
      : o.split(answer.text).map((p) => event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: p } }))),
    event('content_block_stop', { index: 0 }),
    event('message_delta', { delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: usage.output_tokens } }),
    event('message_stop', {}),
  ];
  for (const r of records) if (!(await send(r))) return;
  entry.completed = true;
  res.end();
}

// The name of the first tool the request offers (OpenAI {function:{name}}, Anthropic {name}).
const firstTool = (body) => body.tools?.[0]?.function?.name ?? body.tools?.[0]?.name ?? 'lookup';

function embeddingsAnswer(res, body, o) {
  const inputs = typeof body.input === 'string' ? [body.input]
    : Array.isArray(body.input) && body.input.every((x) => typeof x === 'number') ? [body.input.join(' ')]
      : body.input.map((x) => (Array.isArray(x) ? x.join(' ') : String(x)));
  const base64 = body.encoding_format === 'base64';
  const dims = Number.isInteger(body.dimensions) && body.dimensions > 0 ? body.dimensions : EMBEDDING_DIMS;
  const data = inputs.map((text, index) => {
    const v = embed(text, dims);
    // base64 is the raw float32 bytes, little-endian (what the SDK's Float32Array reads).
    return { object: 'embedding', index, embedding: base64 ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v };
  });
  const prompt = inputs.reduce((n, t) => n + tokens(t), 0);
  sendJson(res, 200, openaiHeaders(), { object: 'list', data, model: body.model, usage: { prompt_tokens: prompt, total_tokens: prompt } });
  o.ctx.ledger(prompt, 0, false).completed = true;
}

function modelsAnswer(res, anthropic, one) {
  const names = one ? MODELS.filter((m) => m === one) : MODELS;
  // The same path answers in each provider's shape; Anthropic's clients send anthropic-version.
  const shape = anthropic
    ? (m) => ({ type: 'model', id: m, display_name: m, created_at: new Date(MODELS_CREATED * 1000).toISOString() })
    : (m) => ({ id: m, object: 'model', created: MODELS_CREATED, owned_by: 'fake' });
  if (one) {
    if (names.length === 0) {
      (anthropic ? anthropicError : openaiError)(res, 404, `The model '${one}' does not exist`);
      return;
    }
    sendJson(res, 200, {}, shape(names[0]));
    return;
  }
  sendJson(res, 200, {}, anthropic
    ? { data: names.map(shape), has_more: false, first_id: names[0], last_id: names.at(-1) }
    : { object: 'list', data: names.map(shape) });
}

// Checks a request as the real API would; returns an error message, or null.
function invalid(provider, headers, body, apiKey, kind = null) {
  if (provider === 'openai') {
    const auth = headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || auth.length <= 7) return [401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."];
    if (apiKey && auth !== `Bearer ${apiKey}`) return [401, 'Incorrect API key provided.'];
    if (kind === 'models') return null;
    if (typeof body?.model !== 'string') return [400, "you must provide a model parameter"];
    if (kind === 'embeddings') {
      const input = body.input;
      const ok = (typeof input === 'string' && input.length > 0)
        || (Array.isArray(input) && input.length > 0 && input.every((x) => (typeof x === 'string' && x.length > 0) || typeof x === 'number' || (Array.isArray(x) && x.length > 0)));
      if (!ok) return [400, "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference."];
      if (body.encoding_format != null && !['float', 'base64'].includes(body.encoding_format)) return [400, "Invalid value for 'encoding_format'."];
      return null;
    }
    if (!Array.isArray(body.messages) || body.messages.length === 0) return [400, "Invalid 'messages': empty array."];
    return null;
  }
  if (!headers['x-api-key'] && !headers.authorization) return [401, 'x-api-key header is required'];
  if (apiKey && headers['x-api-key'] !== apiKey && headers.authorization !== `Bearer ${apiKey}`) return [401, 'invalid x-api-key'];
  if (!headers['anthropic-version']) return [400, 'anthropic-version: header is required'];
  if (kind === 'models') return null;
  if (typeof body?.model !== 'string') return [400, 'model: Field required'];
  if (!Number.isInteger(body.max_tokens) || body.max_tokens < 1) return [400, 'max_tokens: Field required'];
  if (!Array.isArray(body.messages) || body.messages.length === 0) return [400, 'messages: Field required'];
  return null;
}

const ROUTES = {
  '/v1/chat/completions': ['openai', 'chat'],
  '/v1/messages': ['anthropic', 'messages'],
  '/v1/embeddings': ['openai', 'embeddings'],
};

export function startFake({ port = 0, host = '127.0.0.1', apiKey = null } = {}) {
  const requests = [];
  const usage = [];
  const eventTimes = [];
  let cancelled = 0;
  let behaviour = { ...DEFAULTS };
  const sockets = new Set();

  const server = http.createServer((req, res) => {
    res.on('error', () => { /* a client that went away mid-write */ });
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
      const b = behaviour; // as it was when the request arrived
      if (path === '/v1/models' || path.startsWith('/v1/models/')) {
        const anthropic = 'anthropic-version' in req.headers;
        const provider = anthropic ? 'anthropic' : 'openai';
        requests.push({ provider, method: req.method, path, headers: { ...req.headers }, raw, body: null, mode: b.mode, at: Date.now() });
        const fail = anthropic ? anthropicError : openaiError;
        if (req.method !== 'GET') return fail(res, 404, `Unknown request URL: ${req.method} ${path}.`);
        const bad = invalid(provider, req.headers, null, apiKey, 'models');
        if (bad) return fail(res, bad[0], bad[1]);
        modelsAnswer(res, anthropic, path === '/v1/models' ? null : decodeURIComponent(path.slice('/v1/models/'.length)));
        return;
      }
      const [provider, kind] = ROUTES[path] ?? [null, null];
      let body = null;
      try { body = JSON.parse(raw); } catch { /* checked below */ }
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
      const bad = invalid(provider, req.headers, body, apiKey, kind);
      if (bad) {
        fail(res, bad[0], bad[1]);
        return;
      }
      const named = byModel(body.model);
      const mode = named ?? b.mode;
      if (mode === 'drop') {
        req.socket.destroy();
        return;
      }
      if (mode === 'fail429') {
        const msg = 'Rate limit reached for requests. Please try again in 1s.';
        if (provider === 'anthropic') anthropicError(res, 429, msg, { 'retry-after': '1' });
        else openaiError(res, 429, msg, null, { 'retry-after': '1' });
        return;
      }
      if (mode === 'fail500' || mode === 'error') {
        const status = (mode === 'error' ? b.status : null) ?? (provider === 'anthropic' ? 529 : 500);
        fail(res, status, status === 529 ? 'Overloaded' : 'The server had an error while processing your request. Sorry about that!');
        return;
      }
      if (named === 'garbage') {
        const text = '<html>oops</html>';
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
        res.end(text);
        return;
      }
      // From here on the request gets an answer (or, for hang, waits for one): a client that
      // closes the connection before the answer is complete is counted as cancelled.
      const ctx = {
        gone: false,
        times: [],
        ledger: (prompt, completion, stream) => {
          const entry = { provider, model: body.model, prompt, completion, stream, completed: false };
          usage.push(entry);
          if (stream) eventTimes.push({ model: body.model, times: ctx.times });
          return entry;
        },
      };
      res.on('close', () => {
        if (res.writableFinished) return;
        ctx.gone = true;
        cancelled++;
      });
      if (mode === 'hang') return; // the socket stays open until the client closes it
      // slow… pauses between stream events, or 4× that before a plain answer; the global slow
      // mode holds the whole answer for delayMs.
      const wait = named === 'slow' ? (body.stream ? 0 : b.streamDelayMs * 4) : mode === 'slow' ? b.delayMs : 0;
      if (wait > 0) {
        await sleep(wait);
        if (ctx.gone || res.destroyed || req.socket.destroyed) return; // the client gave up
      }
      if (kind === 'embeddings') {
        embeddingsAnswer(res, body, { ctx });
        return;
      }
      const answer = named === 'tools' ? { tool: { name: firstTool(body), args: '{"q":"x"}' } }
        : named === 'echo' || named === 'slow' ? { text: `echo: ${lastUserText(body.messages)}` }
          : { text: answerText(b, labelsIn(userText(body.messages))) };
      const o = { ctx, split: named ? smallPieces : pieces, gapMs: named === 'slow' ? b.streamDelayMs : 0 };
      await (provider === 'openai' ? openaiAnswer : anthropicAnswer)(res, body, answer, o);
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
        // What the fake answered: {provider, model, prompt, completion, stream, completed} per
        // answer (embeddings with completion 0); a stream is completed once its last event left.
        usage,
        // Per streamed answer, {model, times}: when each SSE event was written (epoch ms).
        eventTimes,
        // Answers (streamed, slow or hanging) whose client closed the connection first.
        get cancelled() { return cancelled; },
        // Changes what the fake answers from now on; fields left out take their defaults.
        set: (b) => { behaviour = { ...DEFAULTS, ...b }; },
        behaviour: () => ({ ...behaviour }),
        // Forgets the requests and the ledger (the arrays are emptied in place).
        reset: () => {
          requests.length = 0;
          usage.length = 0;
          eventTimes.length = 0;
          cancelled = 0;
        },
        close: () => new Promise((r) => {
          for (const s of sockets) s.destroy();
          server.close(() => r());
        }),
      });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const port = Number(arg('--port') ?? 9090);
  // --api-key KEY: refuse calls without it (401), as a real provider would.
  const apiKey = arg('--api-key') ?? null;
  const fake = await startFake({ port, apiKey });
  console.error(`fake LLM provider on ${fake.url} (OpenAI: ${fake.url}/v1, Anthropic: ${fake.url})${apiKey ? ', API key required' : ''}`);
  const stop = () => fake.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
