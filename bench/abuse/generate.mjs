// The abuse benchmark's traffic generator: a scenario (bench/abuse/scenario.mjs) and a seed
// give, deterministically, a trace of clients with their ground truth and their schedule:
//   { seed, durationMs, keys: { valid, revoked },
//     clients: [{ id, class, variant, benign, sourceIp, ua,
//                 schedule: [{ t, method, path, bytes, key }] }] }
// t is milliseconds from the phase start. key is null (none), { valid: i } or { revoked: i }
// (indexes into pools of keys that run.mjs creates, revoking the second), or
// { made_up: 'tg_live_...' } (well-shaped, wrong checksum: the gateway finds it malformed).
// Client addresses are in 127/8, which Linux routes to lo: the replayer binds each client's
// connections to its address, so the gateway sees one peer address per client.
//
//   node bench/abuse/generate.mjs [--scenario FILE] [--seed N] [--json]   a summary, or the trace
import path from 'node:path';
import { pathToFileURL } from 'node:url';

// ---------------------------------------------------------------------------------------------
// PRNG: splitmix32 to seed, mulberry32 to draw. One stream per (seed, name).

function hash32(str) {
  let h = 0x811c9dc5;
  for (let i = 0; i < str.length; i++) {
    h ^= str.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function splitmix32(a) {
  a = (a + 0x9e3779b9) | 0;
  let t = a ^ (a >>> 16);
  t = Math.imul(t, 0x21f0aaad);
  t ^= t >>> 15;
  t = Math.imul(t, 0x735a2d97);
  return (t ^ (t >>> 15)) >>> 0;
}

export function rng(seed, name) {
  let a = splitmix32((seed >>> 0) ^ hash32(String(name)));
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r = {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    range: (pair) => (Array.isArray(pair) ? pair[0] + (pair[1] - pair[0]) * next() : pair),
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)), // inclusive
    exp: (rate) => -Math.log(1 - next()) / rate,
    normal: () => {
      const u = 1 - next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    chance: (p) => next() < p,
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    weighted: (entries) => { // [[value, weight], ...]
      const total = entries.reduce((s, [, w]) => s + w, 0);
      let x = next() * total;
      for (const [v, w] of entries) {
        if ((x -= w) < 0) return v;
      }
      return entries[entries.length - 1][0];
    },
    shuffle: (arr) => {
      for (let i = arr.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [arr[i], arr[j]] = [arr[j], arr[i]];
      }
      return arr;
    },
  };
  return r;
}

// ---------------------------------------------------------------------------------------------
// The upstream API's records: which ids exist (the upstream uses the same function).

export function idExists(api, id) {
  if (!Number.isInteger(id) || id < 1 || id > api.maxId) return false;
  return splitmix32(id ^ 0x5bd1e995) / 4294967296 < api.idDensity;
}

function existingId(api, r) {
  for (;;) {
    const id = r.int(1, api.maxId);
    if (idExists(api, id)) return id;
  }
}

function missingId(api, r) {
  for (;;) {
    const id = r.int(1, api.maxId * 2);
    if (!idExists(api, id)) return id;
  }
}

const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function madeUpKey(r) {
  let s = 'tg_live_';
  for (let i = 0; i < 32; i++) s += B62[Math.floor(r.next() * 62)];
  s += '_';
  for (let i = 0; i < 6; i++) s += B62[Math.floor(r.next() * 62)];
  return s;
}

function bodyBytes(spec, r) {
  return Math.max(16, Math.round(spec.median * Math.exp(spec.sigma * r.normal())));
}

const SEARCH_WORDS = ['shoes', 'red', 'invoice', 'march', 'laptop', 'gift', 'refund', 'blue', 'cable', 'desk'];

// One request of the benign route mix.
function benignRequest(sc, r, staleIdShare) {
  const route = r.weighted(sc.api.routes.map((x) => [x, x.w]));
  let p = route.path;
  if (p.includes(':id')) {
    const id = r.chance(staleIdShare) ? missingId(sc.api, r) : existingId(sc.api, r);
    p = p.replace(':id', String(id));
  }
  if (p === '/v1/search') p += `?q=${r.pick(SEARCH_WORDS)}`;
  if (p === '/v1/items' && r.chance(0.5)) p += `?page=${r.int(1, 20)}`;
  const bytes = route.body ? bodyBytes(sc.api.bodies[route.body], r) : 0;
  return { method: route.method, path: p, bytes };
}

// Poisson arrival times in [from, to) seconds, as milliseconds.
function poisson(r, rate, from, to) {
  const out = [];
  for (let t = from + r.exp(rate); t < to; t += r.exp(rate)) out.push(Math.round(t * 1000));
  return out;
}

// Words scrapers and scanners try. Combined with prefixes they give a few hundred distinct
// route templates. None starts with a management prefix Caddy routes elsewhere (/api, /admin,
// /health, /metrics, /portal, /webhooks): those never reach the gate.
const ENUM_WORDS = [
  '.env', '.git/config', 'config.json', 'backup.zip', 'backup.sql', 'dump.sql', 'wp-login.php',
  'phpinfo.php', 'server-status', 'swagger.json', 'openapi.json', 'graphql', 'debug', 'debug/vars',
  'internal', 'internal/users', 'export', 'export/users.csv', 'export/orders.csv', 'admin',
  'admin/users', 'admin/keys', 'console', 'actuator/env', 'actuator/health', 'config', 'settings',
  'private', 'secrets', 'tokens', 'keys', 'accounts', 'billing', 'payments', 'customers', 'staff',
  'reports', 'logs', 'audit', 'uploads', 'files', 'download', 'import', 'sync', 'webhook',
  'callback', 'oauth/token', 'login', 'register', 'reset-password', 'users/all', 'orders/all',
  'items/all', 'search/all', 'v0', 'beta', 'test', 'staging', 'old', 'legacy',
];
const ENUM_PREFIXES = ['', '/v1', '/v2', '/v1/internal', '/v1/export', '/api-old'];
const IDWALK_TEMPLATES = ['/v1/items/', '/v1/users/', '/v1/orders/', '/v1/invoices/'];

// ---------------------------------------------------------------------------------------------

class Allocator {
  constructor(seed) {
    this.r = rng(seed, 'addresses');
    this.used = new Set();
    this.usedNets = new Set();
  }

  // A fresh address anywhere in 127.16.0.0 - 127.99.255.255, never in a /24 handed out whole.
  address() {
    for (;;) {
      const a = `127.${this.r.int(16, 99)}.${this.r.int(0, 255)}`;
      const ip = `${a}.${this.r.int(2, 254)}`;
      if (this.usedNets.has(a) || this.used.has(ip)) continue;
      this.used.add(ip);
      return ip;
    }
  }

  // A whole /24 of its own (127.100.0.0/24 - 127.199.255.0/24).
  network() {
    for (;;) {
      const a = `127.${this.r.int(100, 199)}.${this.r.int(0, 255)}`;
      if (this.usedNets.has(a)) continue;
      this.usedNets.add(a);
      return a;
    }
  }
}

export function generate(sc, seed) {
  const D = sc.durationS;
  const alloc = new Allocator(seed);
  const clients = [];
  let nValid = 0;
  let nRevoked = 0;
  const validKey = () => ({ valid: nValid++ });
  const revokedKey = () => ({ revoked: nRevoked++ });
  const C = sc.classes;

  const ua = (r, benign) => {
    const fam = r.weighted(Object.entries(benign ? sc.uaMix.benign : sc.uaMix.attack));
    return sc.userAgents[fam];
  };
  const add = (cls, variant, r, sourceIp, schedule) => {
    schedule.sort((a, b) => a.t - b.t);
    clients.push({
      id: `${cls}-${clients.filter((c) => c.class === cls).length}`,
      class: cls, variant, benign: C[cls].benign, sourceIp, ua: ua(r, C[cls].benign), schedule,
    });
  };

  // A steady user (also each user behind a NAT).
  const steadyUser = (cls, p, r, ip) => {
    const key = validKey();
    const old = p.authFailShare > 0 ? revokedKey() : null;
    const rate = r.range(p.rate);
    const schedule = poisson(r, rate, r.range(p.startS), D).map((t) => {
      const q = benignRequest(sc, r, p.staleIdShare);
      return { t, ...q, key: old && r.chance(p.authFailShare) ? old : key };
    });
    add(cls, null, r, ip, schedule);
  };

  if (C.steady) {
    for (let i = 0; i < C.steady.count; i++) {
      const r = rng(seed, `steady/${i}`);
      steadyUser('steady', C.steady, r, alloc.address());
    }
  }

  if (C.nat) {
    for (let g = 0; g < C.nat.gateways; g++) {
      const rg = rng(seed, `nat/${g}`);
      const ip = alloc.address();
      const users = Math.round(rg.range(C.nat.users));
      for (let u = 0; u < users; u++) {
        const r = rng(seed, `nat/${g}/${u}`);
        steadyUser('nat', C.nat, r, ip);
        clients[clients.length - 1].variant = `gateway-${g}`;
      }
    }
  }

  if (C.batch) {
    const p = C.batch;
    for (let i = 0; i < p.count; i++) {
      const r = rng(seed, `batch/${i}`);
      const key = validKey();
      const ingest = r.chance(p.ingestShare);
      const schedule = poisson(r, p.pollRate, 0, D).map((t) => ({ t, method: 'GET', path: '/v1/stats', bytes: 0, key }));
      let cursor = existingId(sc.api, r);
      for (let start = r.range(p.firstBurstS); start < D; start += r.range(p.burstS) + r.range(p.gapS)) {
        const len = r.range(p.burstS);
        for (const t of poisson(r, r.range(p.burstRate), start, Math.min(D, start + len))) {
          if (ingest) {
            schedule.push({ t, method: 'POST', path: '/v1/events', bytes: bodyBytes(sc.api.bodies.events, r), key });
          } else {
            // A sync walks the records it knows of (existing ids), a few of them deleted since.
            do cursor = cursor >= sc.api.maxId ? 1 : cursor + 1; while (!idExists(sc.api, cursor));
            const id = r.chance(p.staleIdShare) ? missingId(sc.api, r) : cursor;
            schedule.push({ t, method: 'GET', path: `/v1/items/${id}`, bytes: 0, key });
          }
        }
      }
      add('batch', ingest ? 'ingest' : 'sync', r, alloc.address(), schedule);
    }
  }

  if (C.credential_stuffing) {
    const p = C.credential_stuffing;
    for (let i = 0; i < p.count; i++) {
      const r = rng(seed, `credential_stuffing/${i}`);
      const nv = Math.round(p.keysPerClient * p.validShare);
      const valid = Array.from({ length: nv }, validKey);
      const list = r.shuffle([...valid, ...Array.from({ length: p.keysPerClient - nv }, revokedKey)]);
      const start = r.range(p.startS);
      const end = Math.min(D, start + r.range(p.lengthS));
      const schedule = poisson(r, r.range(p.rate), start, end).map((t, n) => {
        if (n < list.length) return { t, method: 'GET', path: '/v1/users/me', bytes: 0, key: list[n] };
        // Then the accounts that worked are used to pull data.
        const q = benignRequest(sc, r, 0);
        return { t, method: 'GET', path: q.method === 'GET' ? q.path : '/v1/orders', bytes: 0, key: r.pick(valid) };
      });
      add('credential_stuffing', null, r, alloc.address(), schedule);
    }
  }

  if (C.key_guessing) {
    const p = C.key_guessing;
    for (let i = 0; i < p.count; i++) {
      const r = rng(seed, `key_guessing/${i}`);
      const start = r.range(p.startS);
      const schedule = poisson(r, r.range(p.rate), start, Math.min(D, start + r.range(p.lengthS)))
        .map((t) => ({ t, method: 'GET', path: r.chance(0.5) ? '/v1/users/me' : '/v1/items', bytes: 0, key: { made_up: madeUpKey(r) } }));
      add('key_guessing', null, r, alloc.address(), schedule);
    }
  }

  if (C.scraping) {
    const p = C.scraping;
    for (let i = 0; i < p.count; i++) {
      const r = rng(seed, `scraping/${i}`);
      const key = validKey();
      const enumerate = r.chance(p.enumerateShare);
      const words = r.shuffle(ENUM_PREFIXES.flatMap((pre) => ENUM_WORDS.map((w) => `${pre}/${w}`)));
      let w = 0;
      let id = r.int(1, sc.api.maxId);
      let tpl = 0;
      const schedule = poisson(r, r.range(p.rate), r.range(p.startS), D).map((t) => {
        if (r.chance(p.normalShare)) return { t, ...benignRequest(sc, r, 0), key };
        if (enumerate) return { t, method: 'GET', path: words[w++ % words.length], bytes: 0, key };
        // One id at a time across the templates, then the next id.
        const path = `${IDWALK_TEMPLATES[tpl]}${id}`;
        if (++tpl === IDWALK_TEMPLATES.length) {
          tpl = 0;
          id++;
        }
        return { t, method: 'GET', path, bytes: 0, key };
      });
      add('scraping', enumerate ? 'enumerate' : 'idwalk', r, alloc.address(), schedule);
    }
  }

  if (C.low_and_slow) {
    const p = C.low_and_slow;
    for (let n = 0; n < p.networks; n++) {
      const net = alloc.network();
      const rn = rng(seed, `low_and_slow/${n}`);
      const hosts = rn.shuffle(Array.from({ length: 253 }, (_, k) => k + 2)).slice(0, p.addresses);
      for (const h of hosts) {
        const r = rng(seed, `low_and_slow/${n}/${h}`);
        const schedule = poisson(r, 1 / r.range(p.meanIntervalS), r.range(p.startS), D)
          .map((t) => ({ t, method: 'GET', path: '/v1/users/me', bytes: 0, key: { made_up: madeUpKey(r) } }));
        add('low_and_slow', `net-${n}`, r, `${net}.${h}`, schedule);
      }
    }
  }

  if (C.oversized) {
    const p = C.oversized;
    for (let i = 0; i < p.count; i++) {
      const r = rng(seed, `oversized/${i}`);
      const key = validKey();
      const schedule = poisson(r, r.range(p.rate), r.range(p.startS), D).map((t) => {
        if (r.chance(p.oversizedShare)) {
          const path = r.chance(0.5) ? '/v1/orders' : `/v1/items/${existingId(sc.api, r)}/comments`;
          return { t, method: 'POST', path, bytes: Math.round(r.range(p.bytes)), key };
        }
        return { t, ...benignRequest(sc, r, 0.03), key };
      });
      add('oversized', null, r, alloc.address(), schedule);
    }
  }

  const trace = {
    scenario: sc.name, seed, durationMs: D * 1000,
    keys: { valid: nValid, revoked: nRevoked },
    clients: clients.filter((c) => c.schedule.length > 0),
  };
  return trace;
}

export function summary(trace) {
  const by = new Map();
  for (const c of trace.clients) {
    const s = by.get(c.class) ?? { clients: 0, requests: 0, benign: c.benign, variants: {} };
    s.clients++;
    s.requests += c.schedule.length;
    if (c.variant) s.variants[c.variant] = (s.variants[c.variant] ?? 0) + 1;
    by.set(c.class, s);
  }
  return by;
}

export async function loadScenario(file) {
  const abs = path.resolve(file);
  const mod = await import(pathToFileURL(abs).href);
  return mod.default;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : dflt;
  };
  const sc = await loadScenario(arg('--scenario', new URL('./scenario.mjs', import.meta.url).pathname));
  const seed = Number(arg('--seed', sc.seeds[0]));
  const trace = generate(sc, seed);
  if (process.argv.includes('--json')) {
    process.stdout.write(JSON.stringify(trace) + '\n');
  } else {
    let total = 0;
    console.log(`scenario ${sc.name}, seed ${seed}: ${trace.keys.valid} valid keys, ${trace.keys.revoked} revoked`);
    for (const [cls, s] of summary(trace)) {
      total += s.requests;
      console.log(`  ${cls.padEnd(20)} ${s.benign ? 'benign' : 'attack'}  ${String(s.clients).padStart(3)} clients  ${String(s.requests).padStart(6)} requests  ${JSON.stringify(s.variants)}`);
    }
    console.log(`  total ${total} requests in ${sc.durationS} s (${(total / sc.durationS).toFixed(0)}/s)`);
  }
}
