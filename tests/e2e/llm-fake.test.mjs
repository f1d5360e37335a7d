// The fake LLM provider behind the AI routes, driven directly with the official SDKs (openai v6,
// @anthropic-ai/sdk): if they parse what it sends, it speaks the real wire format, so a gateway
// test that puts Tollgate between an SDK and the fake tests the gateway, not the fake.
// Behaviour is chosen by the model's name (echo…, slow…, tools…, fail429…, fail500…, hang…,
// garbage…); the ledger (usage, cancelled, eventTimes) is what the provider saw and answered.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { startFake } from '../fakes/llm.mjs';

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const cosine = (a, b) => {
  const dot = a.reduce((s, x, i) => s + x * b[i], 0);
  return dot / (Math.hypot(...a) * Math.hypot(...b));
};

// The fake notices a client that went away on the socket's close, a moment after the SDK throws.
async function until(what, fn, timeout = 2000) {
  const end = Date.now() + timeout;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('fake LLM provider for the AI routes, checked with the official SDKs', () => {
  let fake;
  let openai;
  let anthropic;
  before(async () => {
    fake = await startFake();
    openai = new OpenAI({ apiKey: 'sk-test', baseURL: `${fake.url}/v1`, maxRetries: 0 });
    anthropic = new Anthropic({ apiKey: 'sk-ant-test', baseURL: fake.url, maxRetries: 0 });
  });
  after(async () => { await fake?.close(); });

  test('OpenAI chat: echo… answers the last user message, with usage the ledger agrees with', async () => {
    fake.reset();
    const messages = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'first question' },
      { role: 'assistant', content: 'an answer' },
      { role: 'user', content: [{ type: 'text', text: 'hello there' }] },
    ];
    const r = await openai.chat.completions.create({ model: 'echo-small', messages });
    assert.equal(r.object, 'chat.completion');
    assert.equal(r.model, 'echo-small');
    assert.equal(r.choices[0].message.content, 'echo: hello there');
    assert.equal(r.choices[0].finish_reason, 'stop');
    assert.match(r._request_id, /^req_/);
    assert.equal(r.usage.prompt_tokens, Math.ceil(JSON.stringify(messages).length / 4));
    assert.equal(r.usage.completion_tokens, Math.ceil('echo: hello there'.length / 4));
    assert.equal(r.usage.total_tokens, r.usage.prompt_tokens + r.usage.completion_tokens);
    assert.deepEqual(fake.usage, [{
      provider: 'openai', model: 'echo-small', prompt: r.usage.prompt_tokens, completion: r.usage.completion_tokens,
      stream: false, completed: true,
    }]);
    assert.equal(fake.requests.length, 1);
    assert.equal(fake.requests[0].headers.authorization, 'Bearer sk-test');
  });

  test('OpenAI chat streamed: many deltas, one SSE event each, and the include_usage chunk', async () => {
    const text = 'echo: stream me a reasonably long sentence';
    const stream = await openai.chat.completions.create({
      model: 'echo-large', stream: true, stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'stream me a reasonably long sentence' }],
    });
    const deltas = [];
    const chunks = [];
    for await (const chunk of stream) {
      chunks.push(chunk);
      const d = chunk.choices[0]?.delta?.content;
      if (d) deltas.push(d);
    }
    assert.equal(deltas.join(''), text);
    assert.ok(deltas.length >= 8, `${deltas.length} deltas`);
    assert.equal(chunks[0].choices[0].delta.role, 'assistant');
    assert.ok(chunks.every((c) => c.object === 'chat.completion.chunk' && c.id === chunks[0].id));
    // Every chunk carries usage: null but the last, which has no choices and the usage.
    const last = chunks.at(-1);
    assert.deepEqual(last.choices, []);
    assert.ok(chunks.slice(0, -1).every((c) => c.usage === null));
    assert.equal(chunks.at(-2).choices[0].finish_reason, 'stop');
    const entry = fake.usage.at(-1);
    assert.deepEqual(entry, {
      provider: 'openai', model: 'echo-large', prompt: last.usage.prompt_tokens, completion: last.usage.completion_tokens,
      stream: true, completed: true,
    });
    assert.equal(last.usage.total_tokens, entry.prompt + entry.completion);
    // One timestamp per event written: every chunk, plus [DONE].
    const times = fake.eventTimes.at(-1);
    assert.equal(times.model, 'echo-large');
    assert.equal(times.times.length, chunks.length + 1);

    // Without include_usage the chunks carry no usage key at all, as the real API sends them.
    const plain = await openai.chat.completions.create({ model: 'echo-small', stream: true, messages: [{ role: 'user', content: 'x' }] });
    for await (const chunk of plain) assert.ok(!('usage' in chunk), JSON.stringify(chunk));
  });

  test('OpenAI embeddings: float and the SDK default (base64) carry the same deterministic vectors', async () => {
    const similar = ['The quick brown fox jumps over the lazy dog', 'The quick brown fox jumped over the lazy dog'];
    const unrelated = 'Invoice 4471 is overdue by thirty days';
    const asFloat = await openai.embeddings.create({ model: 'embed-1', input: [...similar, unrelated], encoding_format: 'float' });
    assert.equal(asFloat.object, 'list');
    assert.equal(asFloat.model, 'embed-1');
    assert.deepEqual(asFloat.data.map((d) => [d.object, d.index]), [['embedding', 0], ['embedding', 1], ['embedding', 2]]);
    for (const d of asFloat.data) {
      assert.equal(d.embedding.length, 8);
      assert.ok(d.embedding.every((x) => typeof x === 'number' && Number.isFinite(x)));
      assert.ok(Math.abs(Math.hypot(...d.embedding) - 1) < 1e-5, 'normalised');
    }
    assert.equal(asFloat.usage.total_tokens, asFloat.usage.prompt_tokens);
    assert.ok(asFloat.usage.prompt_tokens > 0);
    // The SDK asks for base64 when not told otherwise and decodes float32 bytes.
    const sent = fake.requests.length;
    const asDefault = await openai.embeddings.create({ model: 'embed-1', input: [...similar, unrelated] });
    assert.equal(fake.requests[sent].body.encoding_format, 'base64');
    assert.deepEqual(asDefault.data.map((d) => d.embedding), asFloat.data.map((d) => d.embedding));
    const single = await openai.embeddings.create({ model: 'embed-1', input: similar[0] });
    assert.deepEqual(single.data[0].embedding, asFloat.data[0].embedding, 'deterministic');
    const [a, b, c] = asFloat.data.map((d) => d.embedding);
    assert.ok(cosine(a, b) > 0.8, `similar: ${cosine(a, b)}`);
    assert.ok(cosine(a, b) > cosine(a, c), `similar ${cosine(a, b)} vs unrelated ${cosine(a, c)}`);
    assert.deepEqual(fake.usage.at(-1), { provider: 'openai', model: 'embed-1', prompt: single.usage.prompt_tokens, completion: 0, stream: false, completed: true });
    await assert.rejects(openai.embeddings.create({ model: 'embed-1', input: [] }), (e) => e instanceof OpenAI.BadRequestError);
    await assert.rejects(openai.embeddings.create({ model: 'fail429-embed', input: 'x' }), (e) => e instanceof OpenAI.RateLimitError);
  });

  test('OpenAI models list', async () => {
    const ids = [];
    for await (const m of openai.models.list()) {
      assert.equal(m.object, 'model');
      assert.equal(m.owned_by, 'fake');
      assert.ok(Number.isInteger(m.created));
      ids.push(m.id);
    }
    assert.deepEqual(ids, ['echo-small', 'echo-large', 'slow-1', 'embed-1']);
    assert.equal((await openai.models.retrieve('slow-1')).id, 'slow-1');
    await assert.rejects(openai.models.retrieve('nope'), (e) => e instanceof OpenAI.NotFoundError);
  });

  test('Anthropic messages: echo… plain and streamed; message_start/message_delta usage equals the ledger', async () => {
    const params = {
      model: 'echo-claude', max_tokens: 64, system: 'Be brief.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'bonjour tout le monde' }] }],
    };
    const m = await anthropic.messages.create(params);
    assert.equal(m.type, 'message');
    assert.deepEqual(m.content, [{ type: 'text', text: 'echo: bonjour tout le monde' }]);
    assert.equal(m.stop_reason, 'end_turn');
    assert.match(m._request_id, /^req_/);
    assert.equal(m.usage.input_tokens, Math.ceil((JSON.stringify(params.messages) + params.system).length / 4));
    assert.deepEqual(fake.usage.at(-1), { provider: 'anthropic', model: 'echo-claude', prompt: m.usage.input_tokens, completion: m.usage.output_tokens, stream: false, completed: true });

    const deltas = [];
    const stream = anthropic.messages.stream(params).on('text', (d) => deltas.push(d));
    const final = await stream.finalMessage();
    assert.equal(deltas.join(''), 'echo: bonjour tout le monde');
    assert.ok(deltas.length >= 6, `${deltas.length} deltas`);
    assert.equal(final.content[0].text, m.content[0].text);
    assert.equal(final.stop_reason, 'end_turn');
    assert.deepEqual(final.usage, m.usage);
    assert.deepEqual(fake.usage.at(-1), { provider: 'anthropic', model: 'echo-claude', prompt: final.usage.input_tokens, completion: final.usage.output_tokens, stream: true, completed: true });
    // message_start, content_block_start, ping, the deltas, content_block_stop, message_delta, message_stop.
    assert.equal(fake.eventTimes.at(-1).times.length, deltas.length + 6);
  });

  test('Anthropic models list, in Anthropic\'s shape', async () => {
    const ids = [];
    for await (const m of anthropic.models.list()) {
      assert.equal(m.type, 'model');
      ids.push(m.id);
    }
    assert.deepEqual(ids, ['echo-small', 'echo-large', 'slow-1', 'embed-1']);
  });

  test('tools…: one tool call through both SDKs, plain and streamed', async () => {
    const tools = [{ type: 'function', function: { name: 'search_docs', parameters: { type: 'object', properties: { q: { type: 'string' } } } } }];
    const r = await openai.chat.completions.create({ model: 'tools-1', tools, messages: [{ role: 'user', content: 'find x' }] });
    assert.equal(r.choices[0].finish_reason, 'tool_calls');
    assert.equal(r.choices[0].message.content, null);
    assert.deepEqual(r.choices[0].message.tool_calls, [{ id: 'call_1', type: 'function', function: { name: 'search_docs', arguments: '{"q":"x"}' } }]);
    // The SDK's stream helper assembles tool-call deltas into the same message.
    const streamed = await openai.chat.completions.stream({ model: 'tools-1', messages: [{ role: 'user', content: 'find x' }] }).finalChatCompletion();
    assert.equal(streamed.choices[0].finish_reason, 'tool_calls');
    assert.deepEqual(streamed.choices[0].message.tool_calls.map(({ id, type, function: f }) => ({ id, type, function: { name: f.name, arguments: f.arguments } })),
      [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } }]);

    const params = {
      model: 'tools-claude', max_tokens: 64, messages: [{ role: 'user', content: 'find x' }],
      tools: [{ name: 'get_weather', input_schema: { type: 'object', properties: { q: { type: 'string' } } } }],
    };
    const m = await anthropic.messages.create(params);
    assert.equal(m.stop_reason, 'tool_use');
    assert.equal(m.content.length, 1);
    assert.equal(m.content[0].type, 'tool_use');
    assert.equal(m.content[0].name, 'get_weather');
    assert.deepEqual(m.content[0].input, { q: 'x' });
    assert.match(m.content[0].id, /^toolu_/);
    const final = await anthropic.messages.stream(params).finalMessage();
    assert.equal(final.stop_reason, 'tool_use');
    assert.equal(final.content[0].type, 'tool_use');
    assert.equal(final.content[0].name, 'get_weather');
    assert.deepEqual(final.content[0].input, { q: 'x' });
  });

  test('fail429… and fail500…: each SDK raises its typed error with the provider\'s body', async () => {
    const chat = (model) => openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });
    const msg = (model) => anthropic.messages.create({ model, max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] });
    await assert.rejects(chat('fail429-a'), (e) => {
      assert.ok(e instanceof OpenAI.RateLimitError, e.constructor.name);
      assert.equal(e.status, 429);
      assert.equal(e.code, 'rate_limit_exceeded');
      assert.equal(e.headers.get('retry-after'), '1');
      return true;
    });
    await assert.rejects(msg('fail429-b'), (e) => {
      assert.ok(e instanceof Anthropic.RateLimitError, e.constructor.name);
      assert.equal(e.status, 429);
      assert.equal(e.error.error.type, 'rate_limit_error');
      assert.equal(e.headers.get('retry-after'), '1');
      return true;
    });
    await assert.rejects(chat('fail500-a'), (e) => e instanceof OpenAI.InternalServerError && e.status === 500 && e.type === 'server_error');
    await assert.rejects(msg('fail500-b'), (e) => e instanceof Anthropic.InternalServerError && e.status === 529
      && e.error.error.type === 'overloaded_error');
    // The model's name overrides the global mode, and other names keep it.
    fake.set({ mode: 'error' });
    try {
      assert.equal((await chat('echo-x')).choices[0].message.content, 'echo: hi');
      await assert.rejects(chat('gpt-4o'), (e) => e.status === 500);
    } finally {
      fake.set({});
    }
  });

  test('garbage… and drop…: the SDKs throw', async () => {
    await assert.rejects(openai.chat.completions.create({ model: 'garbage-1', messages: [{ role: 'user', content: 'hi' }] }));
    await assert.rejects(anthropic.messages.create({ model: 'garbage-1', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }));
    await assert.rejects(openai.chat.completions.create({ model: 'drop-1', messages: [{ role: 'user', content: 'hi' }] }),
      (e) => e instanceof OpenAI.APIConnectionError);
  });

  test('hang…: the SDK times out and the fake counts the request as cancelled', async () => {
    const before = fake.cancelled;
    const usage = fake.usage.length;
    await assert.rejects(openai.chat.completions.create({ model: 'hang-1', messages: [{ role: 'user', content: 'hi' }] }, { timeout: 300 }),
      (e) => e instanceof OpenAI.APIConnectionTimeoutError);
    await until('the cancel counted', () => fake.cancelled === before + 1);
    await assert.rejects(anthropic.messages.create({ model: 'hang-1', max_tokens: 16, stream: true, messages: [{ role: 'user', content: 'hi' }] }, { timeout: 300 }),
      (e) => e instanceof Anthropic.APIConnectionTimeoutError);
    await until('the second cancel counted', () => fake.cancelled === before + 2);
    assert.equal(fake.usage.length, usage, 'no answer, nothing in the ledger');
  });

  test('slow…: stream events leave streamDelayMs apart; a client that leaves mid-stream is a cancel', async () => {
    const delay = 100;
    fake.set({ streamDelayMs: delay });
    try {
      const stream = await openai.chat.completions.create({ model: 'slow-1', stream: true, messages: [{ role: 'user', content: 'take it slow' }] });
      const arrivals = [];
      let text = '';
      for await (const chunk of stream) {
        const d = chunk.choices[0]?.delta?.content;
        if (d) {
          arrivals.push(now());
          text += d;
        }
      }
      assert.equal(text, 'echo: take it slow');
      assert.ok(arrivals.length >= 4);
      assert.ok(arrivals.at(-1) - arrivals[0] >= 2 * delay, `deltas ${Math.round(arrivals.at(-1) - arrivals[0])} ms apart`);
      // The provider's clock and ours are comparable: the first content delta (the second
      // event) was written before it arrived.
      const sent = fake.eventTimes.at(-1).times;
      assert.ok(sent[1] <= arrivals[0], `sent ${sent[1]}, received ${arrivals[0]}`);
      assert.ok(sent.at(-1) - sent[0] >= (sent.length - 1) * delay * 0.9);

      // Leaving after the first delta: the answer is in the ledger, not completed, and cancelled.
      const cancelled = fake.cancelled;
      const early = await openai.chat.completions.create({ model: 'slow-2', stream: true, messages: [{ role: 'user', content: 'a longer text to stream slowly' }] });
      // Leaving the loop aborts the SDK's request.
      for await (const chunk of early) if (chunk.choices[0]?.delta?.content) break;
      await until('the cancel counted', () => fake.cancelled === cancelled + 1);
      const entry = fake.usage.at(-1);
      assert.equal(entry.model, 'slow-2');
      assert.equal(entry.stream, true);
      assert.equal(entry.completed, false);

      // Not streamed: one answer after 4 × streamDelayMs.
      const t0 = now();
      const r = await anthropic.messages.create({ model: 'slow-claude', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] });
      assert.equal(r.content[0].text, 'echo: hi');
      assert.ok(now() - t0 >= 4 * delay * 0.9);
    } finally {
      fake.set({});
    }
  });

  test('reset() forgets the requests and the ledger; bad requests are still refused', async () => {
    fake.reset();
    assert.equal(fake.requests.length, 0);
    assert.equal(fake.usage.length, 0);
    assert.equal(fake.eventTimes.length, 0);
    assert.equal(fake.cancelled, 0);
    await assert.rejects(openai.chat.completions.create({ model: 'echo-small', messages: [] }), (e) => e instanceof OpenAI.BadRequestError);
    await assert.rejects(anthropic.messages.create({ model: 'echo-small', max_tokens: 0, messages: [{ role: 'user', content: 'x' }] }),
      (e) => e instanceof Anthropic.BadRequestError);
    assert.equal(fake.requests.length, 2);
    assert.equal(fake.usage.length, 0);
  });
});

describe('fake LLM provider with an API key', () => {
  let fake;
  before(async () => { fake = await startFake({ apiKey: 'sk-right' }); });
  after(async () => { await fake?.close(); });

  test('a wrong key is refused by every endpoint', async () => {
    const wrong = new OpenAI({ apiKey: 'sk-wrong', baseURL: `${fake.url}/v1`, maxRetries: 0 });
    await assert.rejects(wrong.embeddings.create({ model: 'embed-1', input: 'x' }), (e) => e instanceof OpenAI.AuthenticationError);
    await assert.rejects(wrong.models.list(), (e) => e instanceof OpenAI.AuthenticationError);
    const right = new OpenAI({ apiKey: 'sk-right', baseURL: `${fake.url}/v1`, maxRetries: 0 });
    assert.equal((await right.embeddings.create({ model: 'embed-1', input: 'x' })).data.length, 1);
  });
});
