// The AI routes' part of `make bench` (bench/run.sh starts everything and calls this): what an
// AI request through the gateway costs on top of calling the provider directly, measured
// against the fake provider (tests/fakes/llm.mjs) in the same run, request by request.
//
// Two modes, two processes (so that the provider never shares an event loop with the client):
//
//   node bench/ai.mjs fake --port P --control-port Q [--api-key K]
//       The fake provider: tests/fakes/llm.mjs's startFake() on 127.0.0.1:P, unchanged, plus a
//       control listener on 127.0.0.1:Q that hands out what the fake recorded:
//       GET /times -> {pid, eventTimes} (when the fake wrote each SSE event, epoch ms from
//       performance.timeOrigin + performance.now(), per stream in order), POST /reset.
//
//   node bench/ai.mjs --gateway URL --key KEY --fake URL --control URL --provider-key K
//                     [--alias chat] [--slow-alias slow] [--root PID] [--caddy-pid PID]
//                     [--pg-pid PID]
//       The client. Every figure is measured against the direct call to the same fake in the
//       same run, the two interleaved request by request (d g, g d, d g, ...):
//       plain       POST /chat/completions, model echo-small (direct) or the alias (gateway):
//                   latency p50/p95/p99, sequential, after a warm-up; the AI pool's CPU per
//                   request over that run; then a concurrency-4 run of each for throughput
//                   and CPU (the machine's busy time per request too, direct vs gateway)
//       stream      the same streamed: time to the first event with content (TTFT)
//       slow        a model streaming with --slow-gap-ms between events (slow-1): the delay
//                   from the fake writing an event to the client having it (the fake's
//                   eventTimes against the client's clock: the same wall clock, read the
//                   same way, in two processes on one machine), direct and through the
//                   gateway; and the gap between the first two events at the client
//       cache       a deterministic request (temperature 0): direct, the gateway's miss (the
//                   first time) and its hit (the same request again); the tenant's cache must
//                   be on (bench/run.sh sets cache_ttl_seconds)
//       CPU         utime+stime (/proc/PID/stat) of the processes under --root (the
//                   `tollgate serve` keeper) by name: the AI workers (tg-ai), the gate workers
//                   (tg-gate), the rest of the pool; of the gateway's Caddy (--caddy-pid),
//                   PostgreSQL (--pg-pid, with its backends), the fake and this client;
//                   divided by the requests. The AI and gate workers from their threads'
//                   schedstat instead (nanoseconds: the figure utime+stime are rounded down
//                   from, per process, to whole ticks). Without --root: every tg-ai process
//                   on the machine.
// --markdown FILE writes the report's section (bench/run.sh appends it to its report).
// Knobs (flags or environment): --requests / BENCH_AI_REQUESTS (300 pairs), --streams /
// BENCH_AI_STREAMS (150 pairs), --slow-streams / BENCH_AI_SLOW_STREAMS (25 pairs),
// --slow-gap-ms / BENCH_AI_SLOW_GAP_MS (50), --cache-requests / BENCH_AI_CACHE_REQUESTS
// (150), --concurrent / BENCH_AI_CONCURRENT (1000 requests at concurrency 4, each side).
// Prints JSON (the figures) on stdout and a table on stderr; exits 1 if any request failed
// or got an unexpected answer (the figures are then not to be quoted).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';

const args = process.argv.slice(2);
const arg = (name, env, dflt) => {
  const i = args.indexOf(name);
  if (i >= 0 && i + 1 < args.length) return args[i + 1];
  return (env && process.env[env]) || dflt;
};
const epoch = (t) => performance.timeOrigin + t; // the fake's clock: see now() in llm.mjs

// ---------------------------------------------------------------------------------------------
// Fake mode.

if (args[0] === 'fake') {
  const { startFake } = await import('../tests/fakes/llm.mjs');
  const port = Number(arg('--port'));
  const controlPort = Number(arg('--control-port'));
  const fake = await startFake({ port, apiKey: arg('--api-key') ?? null });
  const control = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      let body = null;
      if (req.method === 'GET' && req.url === '/times') body = { pid: process.pid, eventTimes: fake.eventTimes };
      else if (req.method === 'POST' && req.url === '/reset') {
        fake.reset();
        body = { ok: true };
      }
      const text = JSON.stringify(body ?? { error: 'not found' });
      res.writeHead(body ? 200 : 404, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
    });
  });
  await new Promise((resolve, reject) => {
    control.once('error', reject);
    control.listen(controlPort, '127.0.0.1', resolve);
  });
  console.error(`bench/ai.mjs: fake provider on ${fake.url}, control on 127.0.0.1:${controlPort}, pid ${process.pid}`);
  const stop = () => {
    control.close();
    fake.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} else {
  await client();
}

// ---------------------------------------------------------------------------------------------
// Client mode.

async function client() {
  const gateway = arg('--gateway');
  const key = arg('--key');
  const fakeUrl = arg('--fake');
  const controlUrl = arg('--control');
  const providerKey = arg('--provider-key');
  if (!gateway || !key || !fakeUrl || !controlUrl || !providerKey) {
    console.error('usage: node bench/ai.mjs --gateway URL --key KEY --fake URL --control URL --provider-key K [...]');
    process.exit(2);
  }
  const alias = arg('--alias', null, 'chat');
  const slowAlias = arg('--slow-alias', null, 'slow');
  const root = arg('--root', null, null);
  const caddyPid = arg('--caddy-pid', null, null);
  const pgPid = arg('--pg-pid', null, null);
  const int = (name, env, dflt) => {
    const v = Number(arg(name, env, String(dflt)));
    if (!Number.isInteger(v) || v < 1) {
      console.error(`bench/ai.mjs: ${name} must be a positive integer`);
      process.exit(2);
    }
    return v;
  };
  const N = int('--requests', 'BENCH_AI_REQUESTS', 300);
  const NS = int('--streams', 'BENCH_AI_STREAMS', 150);
  const NSLOW = int('--slow-streams', 'BENCH_AI_SLOW_STREAMS', 25);
  const GAP = int('--slow-gap-ms', 'BENCH_AI_SLOW_GAP_MS', 50);
  const NC = int('--cache-requests', 'BENCH_AI_CACHE_REQUESTS', 150);
  const NCONC = int('--concurrent', 'BENCH_AI_CONCURRENT', 1000);
  const CONC = 4;
  const WARM = 20;
  const TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  const tag = `${process.pid}-${Date.now()}`; // no earlier run's cache entry can answer

  const errors = [];
  const fail = (what) => {
    if (errors.length < 20) console.error(`bench/ai.mjs: ${what}`);
    errors.push(what);
  };

  // One connection per side for the sequential runs (kept alive, as an SDK does), CONC for
  // the concurrent ones.
  const agents = {
    direct: new http.Agent({ keepAlive: true, maxSockets: 1 }),
    gateway: new http.Agent({ keepAlive: true, maxSockets: 1 }),
  };
  const agentsConc = {
    direct: new http.Agent({ keepAlive: true, maxSockets: CONC }),
    gateway: new http.Agent({ keepAlive: true, maxSockets: CONC }),
  };
  const target = {
    direct: { url: `${fakeUrl}/v1/chat/completions`, auth: providerKey, model: (m) => m.direct },
    gateway: { url: `${gateway.replace(/\/$/, '')}/v1/chat/completions`, auth: key, model: (m) => m.alias },
  };
  const MODELS = {
    plain: { direct: 'echo-small', alias },
    slow: { direct: 'slow-1', alias: slowAlias },
  };

  // One HTTP exchange. Returns the status, headers, times (performance.now() ms) of the start,
  // the head and the end, the body, and for an event stream each `data:` event with the time
  // its last byte arrived.
  function request(side, body, agent, extra = {}) {
    const t = target[side];
    const payload = JSON.stringify(body);
    return new Promise((resolve) => {
      const out = { side, status: 0, t0: performance.now(), tHead: 0, tEnd: 0, text: '', events: [], headers: {} };
      const req = http.request(t.url, {
        method: 'POST', agent,
        headers: {
          Authorization: `Bearer ${t.auth}`, 'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(payload), ...extra,
        },
        timeout: 30000,
      }, (res) => {
        out.tHead = performance.now();
        out.status = res.statusCode;
        out.headers = res.headers;
        res.setEncoding('utf8');
        const sse = String(res.headers['content-type'] ?? '').startsWith('text/event-stream');
        let buf = '';
        res.on('data', (chunk) => {
          const now = performance.now();
          out.text += chunk;
          if (!sse) return;
          buf += chunk;
          for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart());
            if (data.length > 0) out.events.push({ t: now, data: data.join('\n') });
          }
        });
        res.on('end', () => {
          out.tEnd = performance.now();
          resolve(out);
        });
        res.on('error', (e) => {
          out.error = String(e);
          resolve(out);
        });
      });
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', (e) => {
        out.error = String(e);
        out.tEnd = performance.now();
        resolve(out);
      });
      req.end(payload);
    });
  }

  const chatBody = (side, kind, content, extra = {}) => ({
    model: target[side].model(MODELS[kind]), messages: [{ role: 'user', content }], ...extra,
  });

  // The index of the first event carrying text, or -1.
  const firstContent = (events) => events.findIndex((e) => {
    if (e.data === '[DONE]') return false;
    try {
      return Boolean(JSON.parse(e.data).choices?.[0]?.delta?.content);
    } catch {
      return false;
    }
  });

  // Checks an answer; `what` names it in the error.
  function check(r, what, { stream = false, cache = null } = {}) {
    if (r.error || r.status !== 200) {
      fail(`${what}: ${r.error ?? `status ${r.status}: ${r.text.slice(0, 200)}`}`);
      return false;
    }
    if (stream) {
      if (firstContent(r.events) < 0 || r.events.at(-1)?.data !== '[DONE]') {
        fail(`${what}: not a complete stream with content (${r.events.length} events)`);
        return false;
      }
    } else {
      let j = null;
      try {
        j = JSON.parse(r.text);
      } catch { /* below */ }
      if (!j?.choices?.[0]?.message?.content?.startsWith('echo: ')) {
        fail(`${what}: not an echo answer: ${r.text.slice(0, 200)}`);
        return false;
      }
    }
    if (r.side === 'gateway' && !stream && r.headers['x-tollgate-ai-provider'] === undefined
      && r.headers['x-tollgate-cache'] !== 'hit') {
      fail(`${what}: no X-Tollgate-AI-Provider: the gateway did not route it to the AI pool`);
      return false;
    }
    if (cache !== null && r.headers['x-tollgate-cache'] !== cache) {
      fail(`${what}: X-Tollgate-Cache ${r.headers['x-tollgate-cache']}, expected ${cache}`);
      return false;
    }
    return true;
  }

  // ---- statistics -----------------------------------------------------------------------

  const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  const round = (x, d = 3) => (x === null || x === undefined || Number.isNaN(x) ? null : Number(x.toFixed(d)));
  function summary(values) {
    if (values.length === 0) return null;
    const s = [...values].sort((a, b) => a - b);
    return {
      n: s.length, p50: round(pct(s, 50)), p95: round(pct(s, 95)), p99: round(pct(s, 99)),
      mean: round(s.reduce((a, b) => a + b, 0) / s.length), min: round(s[0]), max: round(s.at(-1)),
    };
  }
  const diff = (g, d) => (g && d ? { p50: round(g.p50 - d.p50), p95: round(g.p95 - d.p95), p99: round(g.p99 - d.p99) } : null);
  const ratio = (a, b) => (a && b ? round(a / b, 2) : null);

  // ---- CPU from /proc ---------------------------------------------------------------------

  const statOf = (pid) => {
    try {
      const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' '); // f[0] is field 3
      return { comm: s.slice(s.indexOf('(') + 1, s.lastIndexOf(')')), ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]), children: Number(f[13]) + Number(f[14]) };
    } catch {
      return null;
    }
  };
  const allPids = () => fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  // The processes to account: pid -> group.
  function processes() {
    const groups = new Map();
    const name = (comm) => (comm === 'tg-ai' ? 'ai_workers' : comm === 'tg-gate' ? 'gate_workers' : 'pool_other');
    if (root) {
      const kids = new Map();
      const comms = new Map();
      for (const pid of allPids()) {
        const st = statOf(pid);
        if (!st) continue;
        comms.set(pid, st.comm);
        if (!kids.has(st.ppid)) kids.set(st.ppid, []);
        kids.get(st.ppid).push(pid);
      }
      const queue = [Number(root)];
      while (queue.length > 0) {
        const pid = queue.shift();
        if (!comms.has(pid)) continue;
        groups.set(pid, name(comms.get(pid)));
        queue.push(...(kids.get(pid) ?? []));
      }
    } else {
      for (const pid of allPids()) if (statOf(pid)?.comm === 'tg-ai') groups.set(pid, 'ai_workers');
    }
    if (caddyPid) groups.set(Number(caddyPid), 'caddy');
    if (fakePid) groups.set(fakePid, 'fake');
    return groups;
  }
  const machine = () => {
    const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, idle, iowait, irq, softirq, steal] = f;
    return { busy: user + nice + system + irq + softirq, total: user + nice + system + idle + iowait + irq + softirq + steal };
  };
  const pgTicks = () => {
    if (!pgPid) return null;
    const st = statOf(pgPid);
    if (!st) return null;
    let t = st.ticks + st.children; // + backends that have exited
    for (const pid of allPids()) {
      const c = statOf(pid);
      if (c && c.ppid === Number(pgPid)) t += c.ticks;
    }
    return t;
  };
  // The nanoseconds a process's live threads have run (the first field of each thread's
  // schedstat: the figure utime+stime are rounded down from, to whole ticks, per process).
  // Used for the AI and gate workers, single-threaded and each busy for only part of a tick
  // per request: their tick counts would be up to one tick low per process.
  const PRECISE = ['ai_workers', 'gate_workers'];
  const runtimeNs = (pid) => {
    try {
      let ns = 0;
      for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
        ns += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      }
      return Number.isFinite(ns) ? ns : null;
    } catch {
      return null;
    }
  };
  function cpuStart() {
    const groups = processes();
    const ticks = new Map([...groups.keys()].map((pid) => [pid, statOf(pid)?.ticks ?? null]));
    const ns = new Map([...groups].filter(([, g]) => PRECISE.includes(g)).map(([pid]) => [pid, runtimeNs(pid)]));
    return { groups, ticks, ns, pg: pgTicks(), machine: machine(), client: process.cpuUsage() };
  }
  // requests: what the figures are per; fakeRequests: the fake's share (it also answers the
  // direct calls); withMachine: the machine's busy time only means something for one side.
  function cpuEnd(s, requests, { fakeRequests = requests, withMachine = true } = {}) {
    const sums = {};
    const nsSums = {};
    const count = {};
    let gone = 0;
    let precise = true;
    for (const [pid, group] of s.groups) {
      const now = statOf(pid)?.ticks;
      if (now === undefined || s.ticks.get(pid) === null) {
        gone++;
        continue;
      }
      sums[group] = (sums[group] ?? 0) + now - s.ticks.get(pid);
      count[group] = (count[group] ?? 0) + 1;
      if (PRECISE.includes(group)) {
        const ns = runtimeNs(pid);
        if (ns === null || s.ns.get(pid) === null) precise = false;
        else nsSums[group] = (nsSums[group] ?? 0) + ns - s.ns.get(pid);
      }
    }
    const us = (t, n = requests) => round((t * 1e6) / TCK / n, 1);
    const m = machine();
    const pg = pgTicks();
    const out = { requests, processes: count };
    for (const g of ['ai_workers', 'gate_workers', 'pool_other', 'caddy']) out[g] = sums[g] === undefined ? null : us(sums[g]);
    // The workers from schedstat when every one of them had it; their tick figures kept.
    out.workers_source = precise ? 'schedstat' : 'stat';
    for (const g of PRECISE) {
      out[`${g}_ticks`] = out[g];
      if (precise && nsSums[g] !== undefined) out[g] = round(nsSums[g] / 1000 / requests, 1);
    }
    out.fake = sums.fake === undefined ? null : us(sums.fake, fakeRequests);
    out.postgres = pg === null || s.pg === null ? null : us(pg - s.pg);
    out.machine_busy = withMachine ? us(m.busy - s.machine.busy) : null;
    // This client's own CPU, and the rest of the machine's busy time: other processes (other
    // sessions' work, the idle configurations' background); near 0 on a quiet machine.
    const cu = process.cpuUsage(s.client);
    out.client = round((cu.user + cu.system) / fakeRequests, 1);
    if (withMachine) {
      const known = Object.entries(sums).reduce((a, [, t]) => a + t, 0) + (pg ?? 0) - (s.pg ?? 0);
      out.rest = round(out.machine_busy - (known * 1e6) / TCK / requests - out.client, 1);
    }
    out.machine_busy_pct = round((100 * (m.busy - s.machine.busy)) / Math.max(1, m.total - s.machine.total), 0);
    // utime+stime count whole ticks per process: each process's figure is up to one tick low,
    // the AI workers' tick figure up to this much per request.
    out.resolution_us = round((1e6 / TCK) * (count.ai_workers ?? 0) / requests, 1);
    if (gone > 0) fail(`CPU: ${gone} accounted process(es) exited during the run`);
    return out;
  }

  const control = async (method, path) => {
    const r = await fetch(`${controlUrl}${path}`, { method });
    if (!r.ok) throw new Error(`fake control ${path}: ${r.status}`);
    return r.json();
  };
  const fakePid = (await control('GET', '/times')).pid;

  // ---- ready ----------------------------------------------------------------------------

  // The tenant's AI prefix reaches the gate through its syncer: wait until the alias answers.
  {
    const t0 = Date.now();
    for (;;) {
      const r = await request('gateway', chatBody('gateway', 'plain', 'ready?'), agents.gateway);
      if (r.status === 200 && r.headers['x-tollgate-ai-provider'] !== undefined) break;
      if (Date.now() - t0 > 30000) {
        console.error(`bench/ai.mjs: the gateway does not route ${alias} to the AI pool after 30 s: ${r.status} ${r.error ?? r.text.slice(0, 300)}`);
        process.exit(1);
      }
      await new Promise((res) => setTimeout(res, 200));
    }
  }
  const log = (s) => console.error(`bench: AI: ${s}`);
  const result = {
    params: {
      requests: N, streams: NS, slow_streams: NSLOW, slow_gap_ms: GAP, cache_requests: NC,
      concurrent_requests: NCONC, concurrency: CONC, warmup: WARM, clk_tck: TCK,
    },
  };

  // Runs `n` pairs, the order alternating; fn(side, i) sends one request and returns its
  // result (or null after a failed check).
  async function pairs(n, fn) {
    const out = { direct: [], gateway: [] };
    for (let i = 0; i < n; i++) {
      for (const side of i % 2 === 0 ? ['direct', 'gateway'] : ['gateway', 'direct']) {
        const r = await fn(side, i);
        if (r) out[side].push(r);
      }
    }
    return out;
  }

  // ---- plain ----------------------------------------------------------------------------

  log(`plain: ${WARM} + ${N} pairs, sequential`);
  await pairs(WARM, async (side, i) => {
    const r = await request(side, chatBody(side, 'plain', `warm ${i}`), agents[side]);
    return check(r, `plain warm-up (${side})`) ? r : null;
  });
  const cpu = cpuStart();
  const plain = await pairs(N, async (side, i) => {
    const r = await request(side, chatBody(side, 'plain', `hello ${i}`), agents[side]);
    return check(r, `plain (${side})`) ? r : null;
  });
  result.plain_cpu = cpuEnd(cpu, plain.gateway.length,
    { fakeRequests: plain.gateway.length + plain.direct.length, withMachine: false });
  const lat = (rs) => summary(rs.map((r) => r.tEnd - r.t0));
  result.plain = { direct: lat(plain.direct), gateway: lat(plain.gateway) };
  result.plain.added = diff(result.plain.gateway, result.plain.direct);
  result.plain.ratio_p50 = ratio(result.plain.gateway?.p50, result.plain.direct?.p50);

  // ---- plain, concurrency 4 ---------------------------------------------------------------

  log(`plain: ${NCONC} requests at concurrency ${CONC}, direct then through the gateway`);
  async function concurrent(side) {
    let next = 0;
    let ok = 0;
    const times = [];
    const cpu0 = cpuStart();
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CONC }, async () => {
      while (next < NCONC) {
        const i = next++;
        const r = await request(side, chatBody(side, 'plain', `conc ${i}`), agentsConc[side]);
        if (check(r, `concurrent (${side})`)) {
          ok++;
          times.push(r.tEnd - r.t0);
        }
      }
    }));
    const seconds = (performance.now() - t0) / 1000;
    return { rps: round(ok / seconds, 0), latency: summary(times), cpu: cpuEnd(cpu0, ok) };
  }
  // A short warm-up of the concurrent connections, then each side alone (the machine's busy
  // time is only meaningful with one side running).
  for (const side of ['direct', 'gateway']) {
    await Promise.all(Array.from({ length: CONC }, (_, i) => request(side, chatBody(side, 'plain', `w${i}`), agentsConc[side])));
  }
  const cd = await concurrent('direct');
  const cg = await concurrent('gateway');
  result.concurrent = {
    direct: cd, gateway: cg, ratio_rps: ratio(cg.rps, cd.rps),
    added_machine_busy_us: cd.cpu.machine_busy !== null && cg.cpu.machine_busy !== null ? round(cg.cpu.machine_busy - cd.cpu.machine_busy, 1) : null,
  };

  // ---- streamed, and the delay of each event -------------------------------------------

  // For each stream (client order), the delay from the fake writing event k to the client
  // having it: client.events[k] against the fake's eventTimes[k] (both epoch ms). The
  // gateway passes the provider's events through as they are (and only adds a comment), so
  // the k-th data event is the same event on both sides; a stream whose counts differ is
  // reported and left out.
  // Every stream's delays, both phases, for the target: {direct, gateway} × {first, content}.
  const delays = { direct: { first: [], content: [] }, gateway: { first: [], content: [] } };
  async function eventDelays(streams) {
    const { eventTimes } = await control('GET', '/times');
    if (eventTimes.length !== streams.length) {
      fail(`the fake recorded ${eventTimes.length} streams, the client ran ${streams.length}`);
      return null;
    }
    const out = { direct: { first: [], content: [] }, gateway: { first: [], content: [] } };
    streams.forEach((r, i) => {
      const sent = eventTimes[i].times;
      if (sent.length !== r.events.length) {
        fail(`stream ${i} (${r.side}): the fake wrote ${sent.length} events, the client got ${r.events.length}`);
        return;
      }
      const j = firstContent(r.events);
      out[r.side].first.push(epoch(r.events[0].t) - sent[0]);
      out[r.side].content.push(epoch(r.events[j].t) - sent[j]);
      delays[r.side].first.push(out[r.side].first.at(-1));
      delays[r.side].content.push(out[r.side].content.at(-1));
    });
    const s = (side) => ({ first_event: summary(out[side].first), first_content_event: summary(out[side].content) });
    return { direct: s('direct'), gateway: s('gateway') };
  }

  log(`streamed: ${WARM} + ${NS} pairs, model echo-small`);
  await pairs(WARM, async (side, i) => {
    const r = await request(side, chatBody(side, 'plain', `warm stream ${i}`, { stream: true }), agents[side]);
    return check(r, `stream warm-up (${side})`, { stream: true }) ? r : null;
  });
  await control('POST', '/reset');
  const all = [];
  const streamed = await pairs(NS, async (side, i) => {
    const r = await request(side, chatBody(side, 'plain', `stream ${i}`, { stream: true }), agents[side]);
    all.push(r);
    return check(r, `stream (${side})`, { stream: true }) ? r : null;
  });
  const ttft = (rs) => summary(rs.map((r) => r.events[firstContent(r.events)].t - r.t0));
  const whole = (rs) => summary(rs.map((r) => r.tEnd - r.t0));
  result.stream = {
    ttft: { direct: ttft(streamed.direct), gateway: ttft(streamed.gateway) },
    total: { direct: whole(streamed.direct), gateway: whole(streamed.gateway) },
  };
  result.stream.ttft.added = diff(result.stream.ttft.gateway, result.stream.ttft.direct);
  result.stream.ttft.ratio_p50 = ratio(result.stream.ttft.gateway?.p50, result.stream.ttft.direct?.p50);
  result.stream.event_delay = errors.length === 0 ? await eventDelays(all) : null;

  // ---- slow streams ---------------------------------------------------------------------

  log(`slow streams: ${NSLOW} pairs, ${GAP} ms between events, model slow-1`);
  const set = await fetch(`${fakeUrl}/_fake`, { method: 'POST', body: JSON.stringify({ streamDelayMs: GAP }) });
  if (!set.ok) fail(`the fake refused streamDelayMs: ${set.status}`);
  await pairs(2, async (side, i) => {
    const r = await request(side, chatBody(side, 'slow', `warm ${i}`, { stream: true }), agents[side]);
    return check(r, `slow warm-up (${side})`, { stream: true }) ? r : null;
  });
  await control('POST', '/reset');
  const allSlow = [];
  const slow = await pairs(NSLOW, async (side, i) => {
    const r = await request(side, chatBody(side, 'slow', `hi ${i}`, { stream: true }), agents[side]);
    allSlow.push(r);
    return check(r, `slow stream (${side})`, { stream: true }) ? r : null;
  });
  const gap = (rs) => summary(rs.map((r) => {
    const j = firstContent(r.events);
    return r.events[j].t - r.events[j - 1].t;
  }));
  result.slow = {
    ttft: { direct: ttft(slow.direct), gateway: ttft(slow.gateway) },
    client_gap_before_first_content: { direct: gap(slow.direct), gateway: gap(slow.gateway) },
  };
  result.slow.ttft.added = diff(result.slow.ttft.gateway, result.slow.ttft.direct);
  result.slow.event_delay = errors.length === 0 ? await eventDelays(allSlow) : null;
  if (result.slow.event_delay) {
    const g = result.slow.event_delay.gateway.first_content_event;
    const d = result.slow.event_delay.direct.first_content_event;
    result.slow.event_delay.added_first_content = diff(g, d);
  }

  // The target: a streamed answer's first event (and its first content) reaches the client
  // within 10 ms of the provider writing it; over every stream of both phases.
  const over = (xs) => xs.filter((x) => x > 10).length;
  result.first_event_target = {
    limit_ms: 10,
    gateway: {
      first_event: summary(delays.gateway.first), first_content_event: summary(delays.gateway.content),
      over_limit: over(delays.gateway.first) + over(delays.gateway.content),
    },
    direct: {
      first_event: summary(delays.direct.first), first_content_event: summary(delays.direct.content),
      over_limit: over(delays.direct.first) + over(delays.direct.content),
    },
  };

  // ---- cache ----------------------------------------------------------------------------

  log(`cache: ${NC} deterministic requests: direct, gateway miss, gateway hit`);
  const cache = { direct: [], miss: [], hit: [] };
  // The AI pool keeps an answer after it has delivered it (ai_settle()), so the same request
  // sent the moment the answer arrived can still miss: every hit is asked for a whole pass
  // after its miss (one run in many failed with "expected hit" when they came back to back).
  const pass = async (i, order) => {
    for (const what of order) {
      const side = what === 'direct' ? 'direct' : 'gateway';
      const body = chatBody(side, 'plain', `cache ${tag} ${i}`, { temperature: 0 });
      const r = await request(side, body, agents[side]);
      if (check(r, `cache ${what}`, { cache: what === 'direct' ? null : what }) && i >= 0) cache[what].push(r.tEnd - r.t0);
    }
  };
  for (let i = -5; i < NC; i++) await pass(i, i % 2 ? ['direct', 'miss'] : ['miss', 'direct']); // 5 unmeasured
  for (let i = -5; i < NC; i++) await pass(i, i % 2 ? ['hit', 'direct'] : ['direct', 'hit']);
  result.cache = { direct: summary(cache.direct), miss: summary(cache.miss), hit: summary(cache.hit) };
  result.cache.hit_minus_direct = diff(result.cache.hit, result.cache.direct);
  result.cache.miss_minus_direct = diff(result.cache.miss, result.cache.direct);
  result.cache.hit_over_miss_p50 = ratio(result.cache.hit?.p50, result.cache.miss?.p50);
  result.cache.hit_over_direct_p50 = ratio(result.cache.hit?.p50, result.cache.direct?.p50);

  result.errors = errors.length;
  for (const a of [...Object.values(agents), ...Object.values(agentsConc)]) a.destroy();

  // ---- report ---------------------------------------------------------------------------

  const f = (x, d = 2) => (x === null || x === undefined ? 'n/a' : Number(x).toFixed(d));
  const row = (label, s) => (s ? `${label.padEnd(40)} ${f(s.p50).padStart(8)} ${f(s.p95).padStart(8)} ${f(s.p99).padStart(8)}` : `${label.padEnd(40)} n/a`);
  const lines = [
    '', `AI routes (ms)                                p50      p95      p99`,
    row('plain, direct', result.plain.direct), row('plain, gateway', result.plain.gateway),
    row('plain, added', result.plain.added),
    row('stream TTFT, direct', result.stream.ttft.direct), row('stream TTFT, gateway', result.stream.ttft.gateway),
    row('stream TTFT, added', result.stream.ttft.added),
    row(`slow (${GAP} ms) TTFT, direct`, result.slow.ttft.direct), row(`slow (${GAP} ms) TTFT, gateway`, result.slow.ttft.gateway),
    row('slow: fake → client, 1st content, direct', result.slow.event_delay?.direct.first_content_event),
    row('slow: fake → client, 1st content, gateway', result.slow.event_delay?.gateway.first_content_event),
    row('slow: fake → client, 1st event, gateway', result.slow.event_delay?.gateway.first_event),
    row('echo: fake → client, 1st event, gateway', result.stream.event_delay?.gateway.first_event),
    row('cache, direct', result.cache.direct), row('cache, gateway miss', result.cache.miss),
    row('cache, gateway hit', result.cache.hit),
    '',
    `concurrency ${CONC}: direct ${cd.rps} req/s, gateway ${cg.rps} req/s (ratio ${f(result.concurrent.ratio_rps)})`,
    `CPU µs/request (sequential plain run): tg-ai ${f(result.plain_cpu.ai_workers, 1)} (ticks: ${f(result.plain_cpu.ai_workers_ticks, 1)}), tg-gate ${f(result.plain_cpu.gate_workers, 1)}, Caddy ${f(result.plain_cpu.caddy, 1)}, PostgreSQL ${f(result.plain_cpu.postgres, 1)}`,
    `CPU µs/request (concurrency ${CONC}): tg-ai ${f(cg.cpu.ai_workers, 1)}, tg-gate ${f(cg.cpu.gate_workers, 1)}, Caddy ${f(cg.cpu.caddy, 1)}, PostgreSQL ${f(cg.cpu.postgres, 1)}, fake ${f(cg.cpu.fake, 1)} (direct: ${f(cd.cpu.fake, 1)}); machine ${f(cg.cpu.machine_busy, 1)} vs direct ${f(cd.cpu.machine_busy, 1)}`,
    `first event through the gateway, all ${result.first_event_target.gateway.first_event?.n ?? 0} streams: p95 ${f(result.first_event_target.gateway.first_event?.p95)} ms, max ${f(result.first_event_target.gateway.first_event?.max)} ms; ${result.first_event_target.gateway.over_limit} event(s) over 10 ms`,
    `errors: ${errors.length}`, '',
  ];
  console.error(lines.join('\n'));
  const md = arg('--markdown', null, null);
  if (md) fs.writeFileSync(md, markdown(result, errors));
  process.stdout.write(`${JSON.stringify(result, null, 1)}\n`);
  process.exit(errors.length > 0 ? 1 : 0);
}

// ---------------------------------------------------------------------------------------------
// The report's section (bench/run.sh appends it to build/bench-results.md).

function markdown(r, errors) {
  const p = r.params;
  const f = (x, d = 2) => (x === null || x === undefined ? 'n/a' : Number(x).toFixed(d));
  const sgn = (x, d = 2) => (x === null || x === undefined ? 'n/a' : `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(d)}`);
  const two = (s, a = 'p50', b = 'p99', d = 2) => (s ? `${f(s[a], d)} / ${f(s[b], d)}` : 'n/a');
  const twoSigned = (s) => (s ? `${sgn(s.p50)} / ${sgn(s.p99)}` : 'n/a');
  const ev = (s) => (s ? `${f(s.p50)} / ${f(s.p95)} / ${f(s.max)}` : 'n/a');
  const L = [];
  L.push('### AI routes');
  L.push('');
  L.push('Through (3) for the tenant `bench-ai` (prefix `/v1`, aliases to the fake provider' +
    ' `tests/fakes/llm.mjs`, run as its own node process by `bench/ai.mjs fake`), against the' +
    ' same fake called directly; the direct and the gateway requests interleaved one by one,' +
    ' each side on one kept-alive connection, after warm-ups. Times in ms at the client' +
    ' (`bench/ai.mjs`), p50 / p99; "added" is gateway minus direct, per percentile.');
  L.push('');
  L.push('| measurement | requests per side | direct | gateway | added | gateway/direct p50 |');
  L.push('|---|--:|--:|--:|--:|--:|');
  L.push(`| plain chat (\`echo-small\`), whole answer | ${p.requests} | ${two(r.plain.direct)} | ${two(r.plain.gateway)} | ${twoSigned(r.plain.added)} | ${f(r.plain.ratio_p50)} |`);
  L.push(`| streamed chat, time to first token | ${p.streams} | ${two(r.stream.ttft.direct)} | ${two(r.stream.ttft.gateway)} | ${twoSigned(r.stream.ttft.added)} | ${f(r.stream.ttft.ratio_p50)} |`);
  L.push(`| streamed \`slow-1\` (${p.slow_gap_ms} ms between events), time to first token | ${p.slow_streams} | ${two(r.slow.ttft.direct)} | ${two(r.slow.ttft.gateway)} | ${twoSigned(r.slow.ttft.added)} | ${f(r.slow.ttft.gateway && r.slow.ttft.direct ? r.slow.ttft.gateway.p50 / r.slow.ttft.direct.p50 : null)} |`);
  L.push(`| cache miss (temperature 0, first time) | ${p.cache_requests} | ${two(r.cache.direct)} | ${two(r.cache.miss)} | ${twoSigned(r.cache.miss_minus_direct)} | ${f(r.cache.miss && r.cache.direct ? r.cache.miss.p50 / r.cache.direct.p50 : null)} |`);
  L.push(`| cache hit (the same request again) | ${p.cache_requests} | ${two(r.cache.direct)} | ${two(r.cache.hit)} | ${twoSigned(r.cache.hit_minus_direct)} | ${f(r.cache.hit_over_direct_p50)} |`);
  L.push('');
  L.push(`Cache hit vs miss (p50): **${f(r.cache.hit_over_miss_p50)}×**. Concurrency ${p.concurrency}` +
    ` (${p.concurrent_requests} plain requests per side, one side at a time): direct` +
    ` ${f(r.concurrent.direct.rps, 0)} req/s, gateway ${f(r.concurrent.gateway.rps, 0)} req/s,` +
    ` **${f(r.concurrent.ratio_rps)}×**; p50 ${f(r.concurrent.direct.latency?.p50)} vs` +
    ` ${f(r.concurrent.gateway.latency?.p50)} ms.`);
  L.push('');
  // The issue's target: a streamed answer's first event reaches the client within 10 ms of the
  // provider sending it.
  const g = r.slow.event_delay?.gateway;
  const d = r.slow.event_delay?.direct;
  const ge = r.stream.event_delay?.gateway;
  const de = r.stream.event_delay?.direct;
  L.push('From the fake writing an event (its `eventTimes`) to the client having it (the same' +
    ' wall clock read the same way in both processes), ms, p50 / p95 / max over the streams:');
  L.push('');
  L.push('| event | direct | gateway | added p50 |');
  L.push('|---|--:|--:|--:|');
  L.push(`| \`slow-1\`: first event (the role chunk, sent with the head) | ${ev(d?.first_event)} | ${ev(g?.first_event)} | ${sgn(g && d ? g.first_event.p50 - d.first_event.p50 : null)} |`);
  L.push(`| \`slow-1\`: first content event (${p.slow_gap_ms} ms after it) | ${ev(d?.first_content_event)} | ${ev(g?.first_content_event)} | ${sgn(g && d ? g.first_content_event.p50 - d.first_content_event.p50 : null)} |`);
  L.push(`| \`echo-small\`: first event | ${ev(de?.first_event)} | ${ev(ge?.first_event)} | ${sgn(ge && de ? ge.first_event.p50 - de.first_event.p50 : null)} |`);
  L.push(`| \`echo-small\`: first content event | ${ev(de?.first_content_event)} | ${ev(ge?.first_content_event)} | ${sgn(ge && de ? ge.first_content_event.p50 - de.first_content_event.p50 : null)} |`);
  L.push('');
  const t = r.first_event_target;
  const tf = t.gateway.first_event;
  const tc = t.gateway.first_content_event;
  const known = Boolean(tf && tc);
  const met = known && tf.p95 <= t.limit_ms && tc.p95 <= t.limit_ms;
  L.push(`- Target "a streamed answer's first event reaches the client within ${t.limit_ms} ms of the provider` +
    ` sending it", over all ${tf?.n ?? 0} streams through the gateway (both models), on the p95:` +
    ` **${known ? (met ? 'met' : 'NOT met') : 'not measured'}**. First event p50 / p95 / p99 / max` +
    ` ${known ? `${f(tf.p50)} / ${f(tf.p95)} / ${f(tf.p99)} / ${f(tf.max)}` : 'n/a'} ms, first content event` +
    ` ${known ? `${f(tc.p50)} / ${f(tc.p95)} / ${f(tc.p99)} / ${f(tc.max)}` : 'n/a'} ms;` +
    ` ${t.gateway.over_limit} of ${2 * (tf?.n ?? 0)} over ${t.limit_ms} ms (direct: ${t.direct.over_limit}` +
    ` of ${2 * (t.direct.first_event?.n ?? 0)}, max ${f(t.direct.first_event && Math.max(t.direct.first_event.max, t.direct.first_content_event.max))} ms).`);
  const gd = r.slow.client_gap_before_first_content.direct?.p50;
  const gg = r.slow.client_gap_before_first_content.gateway?.p50;
  L.push(`- At the client, the gap between the event before the first content and the first content` +
    ` (${p.slow_gap_ms} ms at the fake), p50: direct ${f(gd)} ms, gateway ${f(gg)} ms` +
    (typeof gd === 'number' && typeof gg === 'number'
      ? (Math.abs(gg - gd) <= 5 ? ' (the gateway keeps the events apart as the provider wrote them).'
        : ' (**the gateway changes the spacing of the events**).')
      : '.'));
  L.push('');
  const c = r.plain_cpu;
  const cc = r.concurrent.gateway.cpu;
  const cd = r.concurrent.direct.cpu;
  const src = c.workers_source === 'schedstat' && cc.workers_source === 'schedstat';
  L.push('CPU per gateway request, µs: utime+stime from /proc/PID/stat (whole' +
    ` ${f(1000 / p.clk_tck, 0)} ms ticks per process) divided by the requests;` +
    (src ? ' the AI and gate workers from their threads\' schedstat instead (the nanoseconds utime+stime' +
      ` are rounded down from: with ${c.processes.ai_workers ?? 0} AI workers the tick count would be up to` +
      ` ${f(c.resolution_us, 1)} µs per request low in the sequential run; it gave` +
      ` ${f(c.ai_workers_ticks, 1)} and ${f(cc.ai_workers_ticks, 1)} µs for the AI workers)` : ' (schedstat was not available)') +
    '. PostgreSQL includes its backends (the AI pool\'s queries). The direct run sends nothing' +
    ' through the gateway: its column is what these processes do meanwhile on their own.');
  L.push('');
  L.push(`| process | sequential plain run (${c.requests} requests) | concurrency ${p.concurrency} (${cc.requests}) | direct, concurrency ${p.concurrency} (${cd.requests}) |`);
  L.push('|---|--:|--:|--:|');
  L.push(`| AI workers (\`tg-ai\`, ${c.processes.ai_workers ?? 0}) | **${f(c.ai_workers, 1)}** | **${f(cc.ai_workers, 1)}** | ${f(cd.ai_workers, 1)} |`);
  L.push(`| gate workers (\`tg-gate\`) | ${f(c.gate_workers, 1)} | ${f(cc.gate_workers, 1)} | ${f(cd.gate_workers, 1)} |`);
  L.push(`| other pool processes (collector, flusher, …) | ${f(c.pool_other, 1)} | ${f(cc.pool_other, 1)} | ${f(cd.pool_other, 1)} |`);
  L.push(`| gateway Caddy | ${f(c.caddy, 1)} | ${f(cc.caddy, 1)} | ${f(cd.caddy, 1)} |`);
  L.push(`| PostgreSQL | ${f(c.postgres, 1)} | ${f(cc.postgres, 1)} | ${f(cd.postgres, 1)} |`);
  L.push(`| the fake provider | ${f(c.fake, 1)} (per call, both sides) | ${f(cc.fake, 1)} | ${f(cd.fake, 1)} |`);
  L.push(`| this client (\`bench/ai.mjs\`) | ${f(c.client, 1)} (per call, both sides) | ${f(cc.client, 1)} | ${f(cd.client, 1)} |`);
  L.push(`| rest of the machine (other processes) | — | ${f(cc.rest, 1)} | ${f(cd.rest, 1)} |`);
  L.push(`| machine busy (/proc/stat), all processes | — | ${f(cc.machine_busy, 1)} (${f(cc.machine_busy_pct, 0)}%) | ${f(cd.machine_busy, 1)} (${f(cd.machine_busy_pct, 0)}%) |`);
  L.push('');
  L.push(`- The AI route's whole extra CPU at concurrency ${p.concurrency}, machine busy time per` +
    ` request through the gateway minus direct: **${f(r.concurrent.added_machine_busy_us, 1)} µs**` +
    ' (client included on both sides; other sessions on the machine count too).');
  if (errors.length > 0) {
    L.push('');
    L.push(`**INVALID: ${errors.length} AI request(s) failed or were answered unexpectedly; first: ${errors[0]}**`);
  }
  L.push('');
  return L.join('\n');
}
