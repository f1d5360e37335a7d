// The abuse benchmark's traffic generator: a scenario (bench/abuse/scenario.mjs) and a seed
// give, deterministically, a trace of clients with their ground truth and their schedule:
//   { seed, durationMs, keys: { valid, revoked, app, dormant },
//     clients: [{ id, class, variant, benign, sourceIp, ua, [campaign], [sourceIps],
//                 schedule: [{ t, method, path, bytes, key, [body], [sourceIp] }] }] }
// t is milliseconds from the phase start. key is null (none), { valid: i } or { revoked: i }
// (indexes into pools of keys that run.mjs creates, revoking the second), { app: 0 } (the
// tenant's own app's key, shared by the app's end users and by whoever attacks the app's
// login through the app), { dormant: i } (valid keys of dormant accounts: only key sprayers
// present them), or { made_up: 'tg_live_...' } (well-shaped, wrong checksum: the gateway
// finds it malformed; with key_guessing.foreignShare, some made-up keys have another AI
// provider's format instead: sk-..., sk-ant-..., AIza..., ...). keys gives the size of each
// pool. app and dormant keys are pools of
// their own so that one key plays the same part in every trace of a run.
// A request's body is `bytes` of filler unless `body` gives the exact text (a login's JSON).
// Client addresses are in 127/8, which Linux routes to lo: the replayer binds each client's
// connections to its address, so the gateway sees one peer address per client; a request's
// own sourceIp overrides it (a partner's webhooks leave from any address of its pool).
// A client with `campaign` is one address of a distributed campaign: the campaign, not the
// address, is the attacker (report.mjs measures both).
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

// ---------------------------------------------------------------------------------------------
// Record references. A route template names its values with placeholders (:id, :slug, ...);
// api.params says what each stands for: 'numeric' (record ids 1..maxId, idExists()), 'slug'
// (word slugs such as blue-desk-1042), 'code' (short codes such as p7k2qx), or a list of
// names (a region). A scenario without params has only :id, numeric. Slugs and codes are
// letters, digits and dashes, 6 to 14 characters, never all digits and never hex only, so
// the gateway's route templates (app/abuse/inspect.c) keep them as they are, as a real API's
// slugs would be: every record is a route of its own to the engine.
// Every kind is walked by an integer index (a numeric id is its own index), so that walkers
// and syncs can go "in ascending order" over any of them.
// A mix may also name 'uuid': a UUID (version 4 shape, 36 characters, lowercase hex and
// dashes), as many APIs name their records; index i (0 to 2^32 - 1) gives a UUID through a
// bijective hash, so that consecutive indexes look unrelated, as UUIDs do. A well-shaped UUID
// names a record with probability api.uuidDensity (a fixed hash; slugDensity, then
// idDensity, if unset); others are 404.
// A mix may also name 'tile': a map tile, z/x/y (three path segments in one placeholder), zoom
// 0 to TILE_MAX_ZOOM, x and y in 0..2^z-1. Its index counts the tiles zoom by zoom and, in a
// zoom, row by row (x first), so that walking indexes walks a row of tiles west to east. A
// tile has data with probability api.tileDensity (a fixed hash; 0.97 if unset); the others
// (open sea, empty desert) are 404, as some vector tile APIs answer for empty tiles.

const SLUG_ADJ = ['blue', 'red', 'tan', 'oak', 'gray', 'pink', 'teal', 'gold', 'mint', 'navy', 'rose', 'sand'];
const SLUG_NOUN = ['desk', 'lamp', 'sofa', 'rug', 'mug', 'cup', 'bed', 'vase', 'sock', 'hat', 'tee', 'bag'];
const SLUG_SPACE = SLUG_ADJ.length * SLUG_NOUN.length * 9000;
const CODE_SPACE = 36 ** 6;
export const TILE_MAX_ZOOM = 16;
const tileBase = (z) => (4 ** z - 1) / 3; // index of tile 0/0/0 of zoom z
const TILE_SPACE = tileBase(TILE_MAX_ZOOM + 1);

// A tile's index and back.
export const tileIndex = (z, x, y) => tileBase(z) + y * 2 ** z + x;
export function tileOf(i) {
  let z = 0;
  while (z < TILE_MAX_ZOOM && i >= tileBase(z + 1)) z++;
  const j = i - tileBase(z);
  return { z, x: j % 2 ** z, y: Math.floor(j / 2 ** z) };
}

// Whether z/x/y names a tile with data: its shape (no leading zeros), its range, then a fixed
// hash (the upstream asks the same).
export function tileExists(api, s) {
  const m = typeof s === 'string' && s.match(/^(\d{1,2})\/(\d{1,5})\/(\d{1,5})$/);
  if (!m || m.slice(1).some((d) => String(Number(d)) !== d)) return false;
  const [z, x, y] = m.slice(1).map(Number);
  if (z > TILE_MAX_ZOOM || x >= 2 ** z || y >= 2 ** z) return false;
  return splitmix32(hash32(`tile:${s}`)) / 4294967296 < (api.tileDensity ?? 0.97);
}

// A UUID's index space, the UUID of index i, and whether a UUID names a record: its shape,
// then a fixed hash (the upstream asks the same).
const UUID_SPACE = 2 ** 32;
const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const hex = (w, n) => (w >>> 0).toString(16).padStart(8, '0').slice(8 - n);
function uuidOf(i) {
  const w0 = splitmix32(i % UUID_SPACE); // a bijection of 32-bit words: one UUID per index
  const w1 = splitmix32(w0 ^ 0x68e31da4);
  const w2 = splitmix32(w1 ^ 0xb5297a4d);
  const w3 = splitmix32(w2 ^ 0x1b56c4e9);
  return `${hex(w0, 8)}-${hex(w1 >>> 16, 4)}-4${hex(w1, 3)}-${hex(((w2 >>> 16) & 0x3fff) | 0x8000, 4)}-${hex(w2, 4)}${hex(w3, 8)}`;
}
export function uuidExists(api, s) {
  if (typeof s !== 'string' || !UUID_SHAPE.test(s)) return false;
  return splitmix32(hash32(`uuid:${s}`)) / 4294967296 < (api.uuidDensity ?? api.slugDensity ?? api.idDensity);
}

// Whether a slug or code names a record: its shape, then a fixed hash (the upstream asks the
// same), about api.slugDensity of the well-shaped ones (idDensity if unset).
export function slugExists(api, s) {
  if (typeof s !== 'string' || !/^[a-z0-9-]{6,14}$/.test(s) || !/[a-z]/.test(s) || /^[0-9a-f]+$/.test(s)) return false;
  return splitmix32(hash32(`slug:${s}`)) / 4294967296 < (api.slugDensity ?? api.idDensity);
}

export function refKind(api, name) {
  return api.params?.[name] ?? (name === 'id' ? 'numeric' : null);
}

function refString(kind, i) {
  if (kind === 'tile') {
    const { z, x, y } = tileOf(i % TILE_SPACE); // a walk that runs off the pyramid starts it over
    return `${z}/${x}/${y}`;
  }
  if (kind === 'slug') {
    const n = SLUG_NOUN.length;
    return `${SLUG_ADJ[Math.floor(i / (n * 9000))]}-${SLUG_NOUN[Math.floor(i / 9000) % n]}-${1000 + (i % 9000)}`;
  }
  if (kind === 'code') return i.toString(36).padStart(6, '0');
  if (kind === 'uuid') return uuidOf(i);
  return String(i);
}

// The upstream's test of one path value against its placeholder's kind.
export function refExists(api, kind, value) {
  if (Array.isArray(kind)) return kind.includes(value);
  if (kind === 'numeric') return /^\d+$/.test(value) && idExists(api, Number(value));
  if (kind === 'slug' || kind === 'code') return slugExists(api, value);
  if (kind === 'tile') return tileExists(api, value);
  if (kind === 'uuid') return uuidExists(api, value);
  return false;
}

function refSpace(api, kind) {
  if (kind === 'tile') return TILE_SPACE;
  if (kind === 'uuid') return UUID_SPACE;
  return kind === 'slug' ? SLUG_SPACE : kind === 'code' ? CODE_SPACE : api.maxId;
}

const indexExists = (api, kind, i) => (kind === 'numeric' ? idExists(api, i) : refExists(api, kind, refString(kind, i)));
// Whether index i is a code of the right shape: a missing code is drawn among those (the
// others are not codes at all, and exist for no one).
const wellShaped = (kind, i) => kind !== 'code' || /[g-z]/.test(refString(kind, i));

function existingRef(api, kind, r) {
  if (kind === 'numeric') return existingId(api, r);
  for (;;) {
    const i = r.int(0, refSpace(api, kind) - 1);
    if (indexExists(api, kind, i)) return i;
  }
}

function missingRef(api, kind, r) {
  if (kind === 'numeric') return missingId(api, r);
  for (;;) {
    const i = r.int(0, refSpace(api, kind) - 1);
    if (wellShaped(kind, i) && !indexExists(api, kind, i)) return i;
  }
}

// The next existing record after index i, wrapping at the end of the space.
function nextExisting(api, kind, i) {
  const lo = kind === 'numeric' ? 1 : 0;
  const hi = kind === 'numeric' ? api.maxId : refSpace(api, kind) - 1;
  do i = i >= hi ? lo : i + 1; while (!indexExists(api, kind, i));
  return i;
}

const PLACEHOLDER = /:([a-z]+)/g;

// Fills a template: a name from its list, each record placeholder with an existing record or,
// with probability `stale`, a missing one (stale null: always existing, no draw for it).
function instantiate(api, tpl, r, stale) {
  return tpl.replace(PLACEHOLDER, (_, name) => {
    const kind = refKind(api, name);
    if (Array.isArray(kind)) return r.pick(kind);
    const i = stale !== null && r.chance(stale) ? missingRef(api, kind, r) : existingRef(api, kind, r);
    return refString(kind, i);
  });
}

// The kind of a template's record placeholder (the first that is not a list of names).
function recordKind(api, tpl) {
  for (const [, name] of tpl.matchAll(PLACEHOLDER)) {
    const kind = refKind(api, name);
    if (!Array.isArray(kind)) return kind;
  }
  return 'numeric';
}

// The names a walker keeps for its whole walk (one region, say). No draw without lists.
function fixNames(api, tpls, r) {
  const fixed = {};
  for (const tpl of tpls) {
    for (const [, name] of tpl.matchAll(PLACEHOLDER)) {
      const kind = refKind(api, name);
      if (Array.isArray(kind) && !(name in fixed)) fixed[name] = r.pick(kind);
    }
  }
  return fixed;
}

function fillAt(api, tpl, i, fixed) {
  return tpl.replace(PLACEHOLDER, (_, name) => {
    const kind = refKind(api, name);
    return Array.isArray(kind) ? fixed[name] : refString(kind, i);
  });
}

// The `grid` option's walker: a template's list placeholders (a market, a day, a cabin, ...)
// taken in every combination, in odometer order (the last list turning fastest), from a
// combination drawn once, wrapping round at the last; its record placeholders, if any, are
// existing records drawn once. Each call gives the next path.
function gridWalker(api, tpl, r) {
  const names = [...new Set([...tpl.matchAll(PLACEHOLDER)].map(([, n]) => n))];
  const lists = names.filter((n) => Array.isArray(refKind(api, n)));
  if (lists.length === 0) throw new Error(`grid needs a template with lists of names, not ${tpl}`);
  const fixed = {};
  for (const n of names) if (!lists.includes(n)) fixed[n] = refString(refKind(api, n), existingRef(api, refKind(api, n), r));
  const total = lists.reduce((x, n) => x * refKind(api, n).length, 1);
  let at = r.int(0, total - 1);
  return () => {
    const values = { ...fixed };
    let k = at;
    for (let j = lists.length - 1; j >= 0; j--) {
      const list = refKind(api, lists[j]);
      values[lists[j]] = list[k % list.length];
      k = Math.floor(k / list.length);
    }
    at = (at + 1) % total;
    return tpl.replace(PLACEHOLDER, (_, n) => values[n]);
  };
}

// The paths the classes use besides the benign route mix, with the default scenario's values
// for a scenario that does not name them.
const DEFAULT_PATHS = {
  me: '/v1/users/me', // who am I: what key checks ask
  list: '/v1/items', // the catalogue's list
  detail: '/v1/items/:id', // one catalogue record (browsers walking the catalogue)
  browse: '/v1/orders', // a second list (what credential stuffers pull)
  poll: '/v1/stats', // what jobs poll
  sync: '/v1/items/:id', // what a sync walks
  ping: '/v1/ping', // run.mjs's probe; no trace uses it
  walk: ['/v1/items/:id', '/v1/users/:id', '/v1/orders/:id', '/v1/invoices/:id'], // id walkers
  upload: ['/v1/orders', '/v1/items/:id/comments'], // where oversized bodies go
  enumPrefixes: ['', '/v1', '/v2', '/v1/internal', '/v1/export', '/api-old'], // path enumeration
};

export function apiPaths(api) {
  return { ...DEFAULT_PATHS, ...api.paths };
}

// ---------------------------------------------------------------------------------------------
// End users of the tenant's app and their passwords. A password is right iff it is
// passwordOf(user) (the upstream's login checks the same), so the generator decides which
// attempts succeed.

export function passwordOf(user) {
  return `pw-${hash32(user) % 100000}`;
}

const FIRST = ['anna', 'ben', 'chloe', 'dev', 'elif', 'farid', 'grace', 'hugo', 'ines', 'jon', 'kim', 'lena', 'marco', 'nora', 'omar', 'priya', 'quinn', 'rosa', 'sam', 'tomas'];
const LAST = ['k', 'm', 'b', 'lee', 'ng', 'ortiz', 'smith', 'weber', 'rossi', 'silva'];

export function userName(api, i) {
  const base = `${FIRST[i % FIRST.length]}.${LAST[Math.floor(i / FIRST.length) % LAST.length]}${i}`;
  return api.login?.userStyle === 'email' ? `${base}@${api.login.domain ?? 'mail.test'}` : base;
}

// Passwords of leak lists: never of the form passwordOf() gives, so always wrong.
const LEAKED = ['123456', 'password', 'qwerty', 'Summer2023!', 'iloveyou', 'letmein', 'dragon', 'monkey', 'football', 'Passw0rd', 'abc123', 'welcome1'];

// A key reference's pool and index ('valid:3', 'app:0', ...), and whether it is a valid key.
export function keyName(k) {
  if (!k) return null;
  for (const pool of ['valid', 'revoked', 'app', 'dormant']) if (k[pool] !== undefined) return `${pool}:${k[pool]}`;
  return null;
}
export const isValidKey = (k) => !!k && (k.valid !== undefined || k.app !== undefined || k.dormant !== undefined);

const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function madeUpKey(r) {
  let s = 'tg_live_';
  for (let i = 0; i < 32; i++) s += B62[Math.floor(r.next() * 62)];
  s += '_';
  for (let i = 0; i < 6; i++) s += B62[Math.floor(r.next() * 62)];
  return s;
}

// Key formats of other AI providers (prefix, length and alphabet of the rest): what leaked-key
// checkers try against every AI API they find. Never a Tollgate key.
const B62X = `${B62}-_`;
const FOREIGN_KEYS = [
  ['sk-', 48, B62], ['sk-proj-', 156, B62X], ['sk-ant-api03-', 95, B62X], ['AIza', 35, B62X],
  ['gsk_', 52, B62], ['hf_', 34, B62], ['xai-', 80, B62], ['pplx-', 48, B62],
];

function foreignKey(r) {
  const [prefix, n, abc] = r.pick(FOREIGN_KEYS);
  let s = prefix;
  for (let i = 0; i < n; i++) s += abc[Math.floor(r.next() * abc.length)];
  return s;
}

function bodyBytes(spec, r) {
  return Math.max(16, Math.round(spec.median * Math.exp(spec.sigma * r.normal())));
}

const SEARCH_WORDS = ['shoes', 'red', 'invoice', 'march', 'laptop', 'gift', 'refund', 'blue', 'cable', 'desk'];

// One request of the benign route mix.
function benignRequest(sc, r, staleIdShare) {
  const route = r.weighted(sc.api.routes.map((x) => [x, x.w]));
  let p = instantiate(sc.api, route.path, r, staleIdShare);
  // A search has a word; a list sometimes asks for a page.
  if (route.query === 'search') p += `?${route.queryKey ?? 'q'}=${r.pick(sc.api.searchWords ?? SEARCH_WORDS)}`;
  if (route.query === 'page' && r.chance(0.5)) p += `?${route.queryKey ?? 'page'}=${r.int(1, 20)}`;
  const bytes = route.body ? bodyBytes(sc.api.bodies[route.body], r) : 0;
  return { method: route.method, path: p, bytes };
}

// Poisson arrival times in [from, to) seconds, as milliseconds.
function poisson(r, rate, from, to) {
  const out = [];
  for (let t = from + r.exp(rate); t < to; t += r.exp(rate)) out.push(Math.round(t * 1000));
  return out;
}

// The eight directions a map is panned in (x east, y south).
const DIRS = [[1, 0], [1, 1], [0, 1], [-1, 1], [-1, 0], [-1, -1], [0, -1], [1, -1]];

// The tiles of a viewport of cols x rows tiles at zoom z whose top left tile is (x0, y0), x
// wrapping round the antimeridian: [x, y] pairs, nearest to the centre first (the order in
// which a map library asks for them).
function viewportTiles(z, x0, y0, cols, rows) {
  const n = 2 ** z;
  const out = [];
  for (let dy = 0; dy < rows; dy++) {
    for (let dx = 0; dx < cols; dx++) {
      const d = (dx + 0.5 - cols / 2) ** 2 + (dy + 0.5 - rows / 2) ** 2;
      out.push([d, (((x0 + dx) % n) + n) % n, y0 + dy]);
    }
  }
  return out.sort((a, b) => a[0] - b[0]).map(([, x, y]) => [x, y]);
}

// A map on a screen between `from` and `to` seconds (the `viewport` option; o is its object,
// rv its stream): a block of cols x rows tiles of o.template at a zoom drawn in o.zoom, all
// at once (o.tileMs apart, centre first); then every o.panS the user pans (the view moves by
// o.shift tiles in one of eight directions) or, with o.zoomShare, zooms in or out by one
// (within o.zoom), and the map asks for the tiles of the new view it has not had yet (a strip
// after a pan, the whole block after a zoom; tiles it had are in the browser's cache). The
// requests without a key, sorted.
function viewTiles(api, rv, o, from, to) {
  const fixed = fixNames(api, [o.template], rv);
  const cols = rv.int(...o.cols);
  const rows = rv.int(...o.rows);
  let z = rv.int(...o.zoom);
  let cx = rv.uniform(0, 2 ** z);
  let cy = rv.uniform(rows / 2, 2 ** z - rows / 2);
  const seen = new Set();
  const out = [];
  for (let t = from; t < to; t += rv.range(o.panS)) {
    const n = 2 ** z;
    const y0 = Math.max(0, Math.min(n - rows, Math.floor(cy - rows / 2)));
    let u = t;
    for (const [x, y] of viewportTiles(z, Math.floor(cx - cols / 2), y0, cols, rows)) {
      const i = tileIndex(z, x, y);
      if (seen.has(i)) continue;
      seen.add(i);
      if (u < to) out.push({ t: Math.round(u * 1000), method: 'GET', path: fillAt(api, o.template, i, fixed), bytes: 0 });
      u += rv.range(o.tileMs) / 1000;
    }
    if (o.zoom[1] > o.zoom[0] && rv.chance(o.zoomShare)) {
      const zin = z < o.zoom[1] && (z === o.zoom[0] || rv.chance(0.5));
      z += zin ? 1 : -1;
      cx = zin ? cx * 2 : cx / 2;
      cy = zin ? cy * 2 : cy / 2;
    } else {
      const s = rv.int(...o.shift);
      const [ux, uy] = DIRS[rv.int(0, 7)];
      cx += ux * s;
      cy = Math.max(rows / 2, Math.min(2 ** z - rows / 2, cy + uy * s));
    }
  }
  return out;
}

// The `live` option's polls (o its object, rl its stream, slate(kind, n) the first n records
// of the trace's live slate): `follow` of those records (drawn in o.follow), each with every
// poll of o.polls (a template naming the record; its lists of names drawn once per record and
// poll), the pairs taken in turn, one request a period (drawn once in o.everyMs, each
// request within 2% of it), from `from` for o.forS seconds, and never after `to`: a feed
// client polling the matches it follows. A poll with `cursorKey` asks for what came after the
// last event it had (?cursorKey=n, n from somewhere in the match, one more with probability
// 0.35 after each poll of that pair). The requests without a key, in time order.
function livePolls(api, rl, o, slate, from, to) {
  const kind = recordKind(api, o.polls[0].path);
  const recs = rl.shuffle([...slate(kind, o.slate)]).slice(0, rl.int(...o.follow));
  const pairs = recs.flatMap((i) => o.polls.map((poll) => ({
    path: fillAt(api, poll.path, i, fixNames(api, [poll.path], rl)), cursorKey: poll.cursorKey, n: rl.int(1, 400),
  })));
  const every = rl.range(o.everyMs) / 1000;
  const end = Math.min(to, from + rl.range(o.forS));
  const out = [];
  let k = 0;
  for (let u = from + rl.uniform(0, every); u < end; u += every * rl.uniform(0.98, 1.02)) {
    const g = pairs[k++ % pairs.length];
    let path = g.path;
    if (g.cursorKey) {
      path += `?${g.cursorKey}=${g.n}`;
      if (rl.chance(0.35)) g.n++;
    }
    out.push({ t: Math.round(u * 1000), method: 'GET', path, bytes: 0 });
  }
  return out;
}

// Words scrapers and scanners try. Combined with prefixes (api.paths.enumPrefixes) they give a
// few hundred distinct route templates.
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

// ---------------------------------------------------------------------------------------------

// Where addresses come from: single addresses have their second octet in pools.hosts, whole
// /24s in pools.networks (the default scenario's: 127.16-99.x.x and 127.100-199.x.0/24).
class Allocator {
  constructor(seed, pools = {}) {
    this.r = rng(seed, 'addresses');
    this.used = new Set();
    this.usedNets = new Set();
    this.hosts = pools.hosts ?? [16, 99];
    this.networks = pools.networks ?? [100, 199];
  }

  // A fresh address in the hosts pool, never in a /24 handed out whole.
  address() {
    for (;;) {
      const a = `127.${this.r.int(...this.hosts)}.${this.r.int(0, 255)}`;
      const ip = `${a}.${this.r.int(2, 254)}`;
      if (this.usedNets.has(a) || this.used.has(ip)) continue;
      this.used.add(ip);
      return ip;
    }
  }

  // A whole /24 of its own, from the networks pool.
  network() {
    for (;;) {
      const a = `127.${this.r.int(...this.networks)}.${this.r.int(0, 255)}`;
      if (this.usedNets.has(a)) continue;
      this.usedNets.add(a);
      return a;
    }
  }
}

export function generate(sc, seed) {
  const D = sc.durationS;
  const alloc = new Allocator(seed, sc.addressPools);
  const api = sc.api;
  const P = apiPaths(api);
  const clients = [];
  let nValid = 0;
  let nRevoked = 0;
  const validKey = () => ({ valid: nValid++ });
  const revokedKey = () => ({ revoked: nRevoked++ });
  const C = sc.classes;

  // A class may have a UA mix of its own (an ETL job is a script, a mimic a browser).
  const ua = (r, cls) => {
    const fam = r.weighted(Object.entries(C[cls].uaMix ?? (C[cls].benign ? sc.uaMix.benign : sc.uaMix.attack)));
    return sc.userAgents[fam];
  };
  const perClass = new Map();
  const add = (cls, variant, r, sourceIp, schedule) => {
    schedule.sort((a, b) => a.t - b.t);
    const n = perClass.get(cls) ?? 0;
    perClass.set(cls, n + 1);
    const c = { id: `${cls}-${n}`, class: cls, variant, benign: C[cls].benign, sourceIp, ua: ua(r, cls), schedule };
    clients.push(c);
    return c;
  };

  // The trace's live slate (the `live` option): the records that are live (the matches being
  // played), drawn once per trace and record kind on a stream of their own, so that every
  // class that follows live events follows the same few records, each taking the first n.
  const slates = new Map();
  const slate = (kind, n) => {
    if (!slates.has(kind)) slates.set(kind, { rs: rng(seed, `live/slate/${kind}`), recs: [] });
    const g = slates.get(kind);
    while (g.recs.length < n) {
      const i = existingRef(api, kind, g.rs);
      if (!g.recs.includes(i)) g.recs.push(i);
    }
    return g.recs.slice(0, n);
  };

  // A steady user (also each user behind a NAT); `name` is the name of its stream.
  const steadyUser = (cls, p, r, ip, name) => {
    const key = validKey();
    const old = p.authFailShare > 0 ? revokedKey() : null;
    const rate = r.range(p.rate);
    const startS = r.range(p.startS);
    const schedule = poisson(r, rate, startS, D).map((t) => {
      const q = benignRequest(sc, r, p.staleIdShare);
      return { t, ...q, key: old && r.chance(p.authFailShare) ? old : key };
    });
    // Optional `agentLoops` ({ share, everyS, turns, modelMs, toolMs, model, tools }): that
    // share of the users are agents: besides their route mix they run tasks one after the
    // other, everyS after the last one ended (the first within everyS[0] of their start). A
    // task is a loop of `turns` model calls (model: { method, path, body }) with a tool call
    // between two of them (one of tools, each { method, path, [body] }), back to back: the
    // next request leaves modelMs after a model call (its answer), toolMs after a tool call.
    // A task's records are drawn once (existing ones) and kept for the task. Drawn from a
    // stream of its own; the variant is 'agent'.
    let variant = null;
    const ra = p.agentLoops ? rng(seed, `${name}/agent`) : null;
    if (ra?.chance(p.agentLoops.share)) {
      const a = p.agentLoops;
      const call = (spec, fixed) => ({
        method: spec.method, path: fixed.get(spec), bytes: spec.body ? bodyBytes(api.bodies[spec.body], ra) : 0, key,
      });
      for (let u = startS + ra.uniform(0, a.everyS[0]); u < D;) {
        const fixed = new Map([a.model, ...a.tools].map((x) => [x, instantiate(api, x.path, ra, null)]));
        const turns = ra.int(...a.turns);
        let t = u;
        for (let k = 0; k < turns && t < D; k++) {
          schedule.push({ t: Math.round(t * 1000), ...call(a.model, fixed) });
          t += ra.range(a.modelMs) / 1000;
          if (k === turns - 1 || t >= D) break;
          schedule.push({ t: Math.round(t * 1000), ...call(ra.pick(a.tools), fixed) });
          t += ra.range(a.toolMs) / 1000;
        }
        variant = 'agent';
        u = t + ra.range(a.everyS);
      }
    }
    // Optional `viewport` ({ share, template, cols, rows, zoom, panS, shift, zoomShare,
    // tileMs }, template a 'tile' one): that share of the users show a map besides their
    // route mix (viewTiles()), from within panS[0] of their start to the phase's end, on their
    // key. Drawn from a stream of its own; 'viewport' is added to the variant.
    const rv = p.viewport ? rng(seed, `${name}/viewport`) : null;
    if (rv?.chance(p.viewport.share)) {
      const tiles = viewTiles(api, rv, p.viewport, startS + rv.uniform(0, p.viewport.panS[0]), D);
      for (const q of tiles) schedule.push({ ...q, key });
      if (tiles.length > 0) variant = variant ? `${variant}+viewport` : 'viewport';
    }
    // Optional `paging` ({ share, path, queryKey, pages: [a, b], pageMs: [a, b], everyS:
    // [a, b] }): that share of the users page through a list now and then (an export, a
    // reconciliation): pages 1, 2, ... up to a number drawn in pages, in order, each pageMs
    // after the last (its answer), as ?queryKey=n on path (a template: its records drawn once
    // a run, existing ones); the next run everyS after the last one ended, the first within
    // everyS[0] of their start. On their key. Drawn from a stream of its own; 'paging' is
    // added to the variant.
    const rg = p.paging ? rng(seed, `${name}/paging`) : null;
    if (rg?.chance(p.paging.share)) {
      const g = p.paging;
      let runs = 0;
      for (let u = startS + rg.uniform(0, g.everyS[0]); u < D;) {
        const path = instantiate(api, g.path, rg, null);
        const pages = rg.int(...g.pages);
        let t = u;
        for (let k = 1; k <= pages && t < D; k++) {
          schedule.push({ t: Math.round(t * 1000), method: 'GET', path: `${path}?${g.queryKey ?? 'page'}=${k}`, bytes: 0, key });
          t += rg.range(g.pageMs) / 1000;
        }
        runs++;
        u = t + rg.range(g.everyS);
      }
      if (runs > 0) variant = variant ? `${variant}+paging` : 'paging';
    }
    // Optional `live` ({ share, slate, follow: [a, b], polls: [{ path, [cursorKey] }], everyMs:
    // [a, b], fromS: [a, b], forS: [a, b] }): that share of the users follow live events
    // besides their route mix: `follow` of the first `slate` records of the trace's live slate,
    // polled on a timer (livePolls()) from fromS after their start, on their key. Drawn from
    // a stream of its own; 'live' is added to the variant (a NAT user's stays its gateway).
    const rl = p.live ? rng(seed, `${name}/live`) : null;
    if (rl?.chance(p.live.share)) {
      const polls = livePolls(api, rl, p.live, slate, startS + rl.range(p.live.fromS), D);
      for (const q of polls) schedule.push({ ...q, key });
      if (polls.length > 0) variant = variant ? `${variant}+live` : 'live';
    }
    add(cls, variant, r, ip, schedule);
  };

  const ingestPath = api.ingest?.path ?? '/v1/events';
  const ingestBody = api.ingest?.body ?? 'events';

  if (C.steady) {
    for (let i = 0; i < C.steady.count; i++) {
      const r = rng(seed, `steady/${i}`);
      steadyUser('steady', C.steady, r, alloc.address(), `steady/${i}`);
    }
  }

  if (C.nat) {
    for (let g = 0; g < C.nat.gateways; g++) {
      const rg = rng(seed, `nat/${g}`);
      const ip = alloc.address();
      const users = Math.round(rg.range(C.nat.users));
      for (let u = 0; u < users; u++) {
        const r = rng(seed, `nat/${g}/${u}`);
        steadyUser('nat', C.nat, r, ip, `nat/${g}/${u}`);
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
      const schedule = poisson(r, p.pollRate, 0, D).map((t) => ({ t, method: 'GET', path: P.poll, bytes: 0, key }));
      const kind = recordKind(api, P.sync);
      const fixed = fixNames(api, [P.sync], r);
      let cursor = existingRef(api, kind, r);
      // Optional `closedLoop` ({ workers: [a, b], latencyMs: { median, sigma } }): in a burst
      // the job's pool of workers (a number per job) each send their next request when the
      // answer to their last one came back, after a log-normal latency, instead of Poisson
      // arrivals at burstRate (which it then leaves unused). Drawn from a stream of its own.
      const rl = p.closedLoop ? rng(seed, `batch/${i}/closed_loop`) : null;
      const workers = rl ? rl.int(...p.closedLoop.workers) : 0;
      const closedLoop = (from, to) => {
        const out = [];
        for (let w = 0; w < workers; w++) {
          for (let t = from + rl.uniform(0, 0.25); t < to; t += bodyBytes(p.closedLoop.latencyMs, rl) / 1000) {
            out.push(Math.round(t * 1000));
          }
        }
        return out.sort((a, b) => a - b);
      };
      for (let start = r.range(p.firstBurstS); start < D; start += r.range(p.burstS) + r.range(p.gapS)) {
        const len = r.range(p.burstS);
        const end = Math.min(D, start + len);
        for (const t of rl ? closedLoop(start, end) : poisson(r, r.range(p.burstRate), start, end)) {
          if (ingest) {
            schedule.push({ t, method: 'POST', path: ingestPath, bytes: bodyBytes(api.bodies[ingestBody], r), key });
          } else {
            // A sync walks the records it knows of (existing ids), a few of them deleted since.
            cursor = nextExisting(api, kind, cursor);
            const id = r.chance(p.staleIdShare) ? missingRef(api, kind, r) : cursor;
            schedule.push({ t, method: 'GET', path: fillAt(api, P.sync, id, fixed), bytes: 0, key });
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
      // Optional `resale` ({ share, path, body }): that share of the requests after the list
      // resell the keys that worked (LLMjacking): POSTs to path (a template, existing
      // records) with bodies of that kind, on any of the valid keys, instead of pulling data.
      // Drawn from a stream of its own; the variant is 'resale' if there was any.
      const rs = p.resale ? rng(seed, `credential_stuffing/${i}/resale`) : null;
      let resold = false;
      const schedule = poisson(r, r.range(p.rate), start, end).map((t, n) => {
        if (n < list.length) return { t, method: 'GET', path: P.me, bytes: 0, key: list[n] };
        if (rs?.chance(p.resale.share)) {
          resold = true;
          const path = instantiate(api, p.resale.path, rs, null);
          return { t, method: 'POST', path, bytes: bodyBytes(api.bodies[p.resale.body], rs), key: rs.pick(valid) };
        }
        // Then the accounts that worked are used to pull data.
        const q = benignRequest(sc, r, 0);
        return { t, method: 'GET', path: q.method === 'GET' ? q.path : P.browse, bytes: 0, key: r.pick(valid) };
      });
      add('credential_stuffing', resold ? 'resale' : null, r, alloc.address(), schedule);
    }
  }

  if (C.key_guessing) {
    const p = C.key_guessing;
    for (let i = 0; i < p.count; i++) {
      const r = rng(seed, `key_guessing/${i}`);
      const start = r.range(p.startS);
      // Optional `foreignShare`: that share of the guesses are keys in other AI providers'
      // formats (FOREIGN_KEYS), decided and drawn on a stream of its own.
      const rf = p.foreignShare ? rng(seed, `key_guessing/${i}/foreign`) : null;
      const schedule = poisson(r, r.range(p.rate), start, Math.min(D, start + r.range(p.lengthS)))
        .map((t) => ({
          t, method: 'GET', path: r.chance(0.5) ? P.me : P.list, bytes: 0,
          key: { made_up: rf?.chance(p.foreignShare) ? foreignKey(rf) : madeUpKey(r) },
        }));
      add('key_guessing', null, r, alloc.address(), schedule);
    }
  }

  if (C.scraping) {
    const p = C.scraping;
    for (let i = 0; i < p.count; i++) {
      const r = rng(seed, `scraping/${i}`);
      const key = validKey();
      const enumerate = r.chance(p.enumerateShare);
      const words = r.shuffle(P.enumPrefixes.flatMap((pre) => ENUM_WORDS.map((w) => `${pre}/${w}`)));
      let w = 0;
      let id = r.int(1, api.maxId);
      let tpl = 0;
      // Optional `step` ([a, b]): an id walker skips ahead by a draw in [a, b] (random gaps)
      // instead of 1, from a stream of its own (mixes without it draw nothing more).
      const rs = p.step ? rng(seed, `scraping/${i}/step`) : null;
      // Numeric templates share the id; a slug or code template walks from a start of its own.
      const base = P.walk.map((x) => (recordKind(api, x) === 'numeric' ? 0 : r.int(0, Math.floor(refSpace(api, recordKind(api, x)) / 2))));
      const fixed = fixNames(api, P.walk, r);
      const walked = new Set();
      const schedule = poisson(r, r.range(p.rate), r.range(p.startS), D).map((t) => {
        if (r.chance(p.normalShare)) return { t, ...benignRequest(sc, r, 0), key };
        if (enumerate) return { t, method: 'GET', path: words[w++ % words.length], bytes: 0, key };
        // One id at a time across the templates, then the next id.
        const path = fillAt(api, P.walk[tpl], base[tpl] + id, fixed);
        if (++tpl === P.walk.length) {
          tpl = 0;
          id += rs ? rs.int(...p.step) : 1;
        }
        const q = { t, method: 'GET', path, bytes: 0, key };
        walked.add(q);
        return q;
      });
      // Optional `fanout` ({ share, workers: [a, b], chunk: [a, b], exits: [a, b] }): that
      // share of the id walkers split their walk between `workers` workers running side by
      // side behind a rotating proxy service. The walk (the paths it has without the option)
      // is cut into chunks of `chunk` consecutive requests, dealt to the workers in turn, a
      // window of one chunk per worker at a time; inside a window the workers' requests
      // interleave (each worker's first, then each one's second, ...), and each chunk leaves
      // from an exit picked afresh from a pool of `exits` addresses of their own. So every
      // address sends a few consecutive ids, and one key sends them all. A normal call leaves
      // from any exit. The times are as without it. Drawn from a stream of its own; the
      // variant is 'idwalk+fanout'.
      const rf = p.fanout ? rng(seed, `scraping/${i}/fanout`) : null;
      if (rf?.chance(p.fanout.share) && !enumerate) {
        const k = rf.int(...p.fanout.workers);
        const chunk = rf.int(...p.fanout.chunk);
        const exits = Array.from({ length: rf.int(...p.fanout.exits) }, () => alloc.address());
        const qs = schedule.filter((q) => walked.has(q));
        const paths = qs.map((q) => q.path);
        let n = 0;
        for (let w0 = 0; w0 < qs.length; w0 += k * chunk) {
          const ips = Array.from({ length: k }, () => rf.pick(exits));
          for (let m = 0; m < chunk; m++) {
            for (let j = 0; j < k; j++) {
              const at = w0 + j * chunk + m;
              if (at >= qs.length) continue;
              qs[n].path = paths[at];
              qs[n++].sourceIp = ips[j];
            }
          }
        }
        for (const q of schedule) if (!walked.has(q)) q.sourceIp = rf.pick(exits);
        add('scraping', 'idwalk+fanout', r, exits[0], schedule).sourceIps = exits;
        continue;
      }
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
          .map((t) => ({ t, method: 'GET', path: P.me, bytes: 0, key: { made_up: madeUpKey(r) } }));
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
          const path = instantiate(api, r.chance(0.5) ? P.upload[0] : P.upload[1], r, null);
          return { t, method: 'POST', path, bytes: Math.round(r.range(p.bytes)), key };
        }
        return { t, ...benignRequest(sc, r, 0.03), key };
      });
      add('oversized', null, r, alloc.address(), schedule);
    }
  }

  // ---------------------------------------------------------------------------------------
  // The classes below came after the ones above and draw their keys and addresses after
  // them, so adding them left the earlier classes' traffic of a seed unchanged.

  // The tenant's own app signs every call of its end users with one key (keys.app); who
  // attacks the app's login goes through the app too, with the same key.
  let nApp = 0;
  const app = () => {
    nApp = 1;
    return { app: 0 };
  };
  let nDormant = 0;
  const loginPath = api.login?.path ?? '/v1/auth/login';
  const nUsers = api.login?.users ?? 5000;
  const login = (t, user, password, key) => {
    const body = JSON.stringify({ user, password });
    return { t: Math.round(t), method: 'POST', path: loginPath, bytes: Buffer.byteLength(body), body, key };
  };
  // A pair of a leak list: users of this app and of others (a leak is not about one app),
  // the right password with probability `correct`.
  const leakedPair = (r, correct) => {
    const user = userName(api, r.int(0, 3 * nUsers - 1));
    if (r.chance(correct)) return [user, passwordOf(user)];
    return [user, `${r.pick(LEAKED)}${r.chance(0.5) ? r.int(1, 2024) : ''}`];
  };
  const uniformTimes = (r, n, from, to) => Array.from({ length: n }, () => Math.round(r.uniform(from, to) * 1000));
  // The addresses of a distributed campaign: whole /24s of the networks pool, each holding
  // perNetwork (a range) of them, so that no /24 stands out by its numbers.
  const spread = (r, n, perNetwork) => {
    const out = [];
    while (out.length < n) {
      const net = alloc.network();
      const hosts = r.shuffle(Array.from({ length: 253 }, (_, k) => k + 2)).slice(0, Math.min(n - out.length, r.int(...perNetwork)));
      for (const h of hosts) out.push(`${net}.${h}`);
    }
    return out;
  };

  // ETL jobs: a script with a key of its own; a slow poll, then syncs: a list call and a walk
  // over existing records in ascending order at tens of requests per second, with gaps.
  if (C.etl) {
    const p = C.etl;
    const tpl = p.template ?? P.sync;
    const kind = recordKind(api, tpl);
    for (let i = 0; i < p.count; i++) {
      const r = rng(seed, `etl/${i}`);
      const key = validKey();
      const fixed = fixNames(api, [tpl], r);
      const schedule = poisson(r, p.pollRate, 0, D).map((t) => ({ t, method: 'GET', path: P.poll, bytes: 0, key }));
      // Optional `region` ({ cols: [a, b], rows: [a, b], zoom: [lo, hi] }), for a 'tile'
      // template: the job keeps a tile cache of one region, cols x rows tiles at a zoom drawn
      // in zoom, then the same region at every deeper zoom (twice as wide and high each time)
      // down to TILE_MAX_ZOOM, then over again. Its syncs walk the region row by row, west to
      // east, every tile in turn (empty ones too: 404), each sync resuming where the last one
      // stopped, instead of walking the next existing records; the times, the list calls and
      // the polls are as without it. Drawn from a stream of its own.
      const rg = p.region ? rng(seed, `etl/${i}/region`) : null;
      let region = null;
      if (rg) {
        if (kind !== 'tile') throw new Error(`etl.region needs a tile template, not ${tpl}`);
        const z = rg.int(...p.region.zoom);
        const cols = rg.int(...p.region.cols);
        const rows = rg.int(...p.region.rows);
        const x = rg.int(0, 2 ** z - cols);
        const y = rg.int(0, 2 ** z - rows);
        region = { z0: z, x0: x, y0: y, cols0: cols, rows0: rows, z, x, y, cols, rows, col: 0, row: 0 };
      }
      // The region's next tile's index.
      const nextTile = (g) => {
        const k = tileIndex(g.z, g.x + g.col, g.y + g.row);
        if (++g.col < g.cols) return k;
        g.col = 0;
        if (++g.row < g.rows) return k;
        g.row = 0;
        if (g.z < TILE_MAX_ZOOM) Object.assign(g, { z: g.z + 1, x: g.x * 2, y: g.y * 2, cols: g.cols * 2, rows: g.rows * 2 });
        else Object.assign(g, { z: g.z0, x: g.x0, y: g.y0, cols: g.cols0, rows: g.rows0 });
        return k;
      };
      // Optional `upsert` ({ share, write: { method, path, body }, probe, newShare, probeShare,
      // afterMs: [a, b] }): that share of the jobs push records of their own (a CRM's
      // contacts, say) instead of walking the API's: at each sync request (the times, the list
      // calls and the polls are as without it) the next record of the job's own list, by an
      // id the client chose (ascending; one the API does not have yet with probability
      // newShare, else one it has), written with write.method to write.path (a route with
      // `create`: 201 if new, 409 if it exists) with a body of write.body's kind. A job that
      // probes (probeShare of them) first GETs the record at `probe` (a template naming the
      // same record: 200 or 404) and writes only the new ones, afterMs after the probe; the
      // others write every record, the ones already there answering 409. Not with `region`.
      // Drawn from a stream of its own; the variant is 'probe' or 'upsert'.
      const ru = p.upsert ? rng(seed, `etl/${i}/upsert`) : null;
      let upsert = null;
      if (ru?.chance(p.upsert.share)) {
        const o = p.upsert;
        const k = recordKind(api, o.write.path);
        upsert = { o, kind: k, probe: !!o.probe && ru.chance(o.probeShare ?? 1), fixed: fixNames(api, [o.write.path, o.probe].filter(Boolean), ru), at: existingRef(api, k, ru) };
      }
      // The next record of the job's list: a new one or one the API has, after the last.
      const nextOwn = (g) => {
        const isNew = ru.chance(g.o.newShare);
        const hi = g.kind === 'numeric' ? api.maxId * 2 : refSpace(api, g.kind) - 1;
        let j = g.at;
        do j = j >= hi ? (g.kind === 'numeric' ? 1 : 0) : j + 1;
        while (!wellShaped(g.kind, j) || indexExists(api, g.kind, j) === isNew);
        g.at = j;
        return { j, isNew };
      };
      const upsertAt = (g, t) => {
        const { j, isNew } = nextOwn(g);
        const write = { method: g.o.write.method, path: fillAt(api, g.o.write.path, j, g.fixed), bytes: bodyBytes(api.bodies[g.o.write.body], ru), key };
        if (!g.probe) return [{ t, ...write }];
        const out = [{ t, method: 'GET', path: fillAt(api, g.o.probe, j, g.fixed), bytes: 0, key }];
        const after = t + Math.round(ru.range(g.o.afterMs));
        if (isNew && after <= D * 1000) out.push({ ...write, t: after });
        return out;
      };
      // Optional `grid` ({ share, template }, template with lists of names): that share of the
      // jobs refresh a cache of prices (a metasearch engine's fares, say) instead of walking
      // records: each sync request asks for the next combination of the template's lists
      // (gridWalker()), each sync resuming where the last one stopped. The times, the list
      // calls and the polls are as without it. Not with `region` or `upsert`. Drawn from a
      // stream of its own; the variant is 'grid'.
      const rc = p.grid ? rng(seed, `etl/${i}/grid`) : null;
      const grid = !region && !upsert && rc?.chance(p.grid.share) ? gridWalker(api, p.grid.template, rc) : null;
      // Optional `media` ({ share, template, photos: [a, b] }, template naming a record of the
      // sync template's kind and a :photo placeholder): that share of the jobs (a listings
      // portal's syndication feed, say) download every record they sync with its photos. Each
      // sync request (the times, the list calls and the polls are as without it) is the next
      // of one stream: the next existing record after the last (from where the list said the
      // changes begin, as without it), then its photos 1, 2, ... n in order (n drawn per record
      // in photos; the template with the record and :photo the photo number, its lists of names
      // drawn once per job), then the next record. A record gone since (staleIdShare of them,
      // a missing one: 404) has no photos. Photos a sync had no time for are dropped: the next
      // sync starts afresh. Not with `region`, `upsert` or `grid`. Drawn from a stream of its
      // own; the variant is 'media'.
      const rm = p.media ? rng(seed, `etl/${i}/media`) : null;
      let media = null;
      if (rm?.chance(p.media.share) && !region && !upsert && !grid) {
        if (recordKind(api, p.media.template) !== kind) {
          throw new Error(`etl.media needs a template of ${tpl}'s records, not ${p.media.template}`);
        }
        media = { o: p.media, fixed: fixNames(api, [p.media.template], rm), at: 0, rec: 0, n: 0, left: 0 };
      }
      // The media stream's next request: a photo of the record in hand, or the next record.
      const mediaAt = (g, t) => {
        if (g.left > 0) {
          g.left--;
          g.n++;
          const path = g.o.template.replace(PLACEHOLDER, (_, name) => {
            if (name === 'photo') return String(g.n);
            const k = refKind(api, name);
            return Array.isArray(k) ? g.fixed[name] : refString(k, g.rec);
          });
          return { t, method: 'GET', path, bytes: 0, key };
        }
        g.at = nextExisting(api, kind, g.at);
        // A record gone since (404) has no photos.
        if (rm.chance(p.staleIdShare)) return { t, method: 'GET', path: fillAt(api, tpl, missingRef(api, kind, rm), fixed), bytes: 0, key };
        Object.assign(g, { rec: g.at, n: 0, left: rm.int(...g.o.photos) });
        return { t, method: 'GET', path: fillAt(api, tpl, g.at, fixed), bytes: 0, key };
      };
      for (let start = r.range(p.firstBurstS); start < D;) {
        const len = r.range(p.burstS);
        schedule.push({ t: Math.round(start * 1000), method: 'GET', path: P.list, bytes: 0, key });
        // Each sync starts where the list said the changes begin.
        let cursor = existingRef(api, kind, r);
        if (media) Object.assign(media, { at: cursor, left: 0 });
        for (const t of poisson(r, r.range(p.burstRate), start + 0.05, Math.min(D, start + len))) {
          cursor = nextExisting(api, kind, cursor);
          const id = r.chance(p.staleIdShare) ? missingRef(api, kind, r) : cursor;
          if (upsert) schedule.push(...upsertAt(upsert, t));
          else if (grid) schedule.push({ t, method: 'GET', path: grid(), bytes: 0, key });
          else if (media) schedule.push(mediaAt(media, t));
          else schedule.push({ t, method: 'GET', path: fillAt(api, tpl, region ? nextTile(region) : id, fixed), bytes: 0, key });
        }
        start += len + r.range(p.gapS);
      }
      add('etl', upsert ? (upsert.probe ? 'probe' : 'upsert') : grid ? 'grid' : media ? 'media' : null, r, alloc.address(), schedule);
    }
  }

  // Partners delivering webhooks: one key per partner, egress from a pool of addresses over a
  // few /24s, each delivery from any of them, in bursts. One client, several addresses.
  if (C.partner) {
    const p = C.partner;
    for (let i = 0; i < p.count; i++) {
      const r = rng(seed, `partner/${i}`);
      const key = validKey();
      const nets = Array.from({ length: r.int(...p.networks) }, () => alloc.network());
      const hosts = nets.map(() => r.shuffle(Array.from({ length: 253 }, (_, k) => k + 2)));
      const pool = Array.from({ length: r.int(...p.addresses) }, (_, k) => `${nets[k % nets.length]}.${hosts[k % nets.length][Math.floor(k / nets.length)]}`);
      const path = p.path ?? ingestPath;
      const body = api.bodies[p.body ?? ingestBody];
      const schedule = [];
      for (let start = r.range(p.firstBurstS); start < D;) {
        const len = r.range(p.burstS);
        for (const t of poisson(r, r.range(p.burstRate), start, Math.min(D, start + len))) {
          schedule.push({ t, method: 'POST', path, bytes: bodyBytes(body, r), key, sourceIp: r.pick(pool) });
        }
        start += len + r.range(p.gapS);
      }
      add('partner', null, r, pool[0], schedule).sourceIps = pool;
    }
  }

  // The app's end users: each its own address, all with the app key; a login (some mistype
  // their password once first), then browsing at a human rate for a while.
  if (C.app_users) {
    const p = C.app_users;
    const key = app();
    const n = Math.round(rng(seed, 'app_users').range(p.count));
    // Optional `carrierNat` ({ share, addresses: [a, b] }): that share of the users come from
    // one of a few shared addresses (a mobile carrier's NAT), drawn from a stream of their own.
    const rn = p.carrierNat ? rng(seed, 'app_users/carrier_nat') : null;
    const natIps = rn ? Array.from({ length: rn.int(...p.carrierNat.addresses) }, () => alloc.address())
      : [];
    for (let i = 0; i < n; i++) {
      const r = rng(seed, `app_users/${i}`);
      const user = userName(api, r.int(0, nUsers - 1));
      const schedule = [];
      let t = r.range(p.startS) * 1000;
      const mistyped = r.chance(p.mistypeShare);
      if (mistyped) {
        schedule.push(login(t, user, passwordOf(user).slice(0, -1), key));
        t += r.range(p.retryS) * 1000;
      }
      schedule.push(login(t, user, passwordOf(user), key));
      const from = t / 1000 + r.range(p.thinkS);
      const rate = r.range(p.rate);
      const end = Math.min(D, from + r.range(p.sessionS));
      for (const u of poisson(r, rate, from, end)) {
        schedule.push({ t: u, ...benignRequest(sc, r, p.staleIdShare), key });
      }
      // Optional `refresh` ({ share, path, everyS: [a, b] }): that share of the users' app
      // reloads its home screen (path, the user's own record where it names one) on a timer
      // while the session lasts: once after the login, then every everyS (one period per
      // user, a few tens of ms of jitter), drawn from a stream of its own. The variant says
      // 'refresh' only if the session lasted until the first reload.
      const rf = p.refresh ? rng(seed, `app_users/${i}/refresh`) : null;
      let refreshing = false;
      if (rf?.chance(p.refresh.share)) {
        const path = instantiate(api, p.refresh.path, rf, null);
        const every = rf.range(p.refresh.everyS);
        const next = () => every + rf.uniform(-0.05, 0.05);
        for (let u = t / 1000 + rf.uniform(0.2, 0.8); u < end; u += next()) {
          schedule.push({ t: Math.round(u * 1000), method: 'GET', path, bytes: 0, key });
          refreshing = true;
        }
      }
      // Optional `viewport` (as steady's): that share of the users' app shows a map while the
      // session lasts, from the end of the login's think time. Drawn from a stream of its own.
      const rv = p.viewport ? rng(seed, `app_users/${i}/viewport`) : null;
      let viewing = false;
      if (rv?.chance(p.viewport.share)) {
        for (const q of viewTiles(api, rv, p.viewport, from, end)) {
          schedule.push({ ...q, key });
          viewing = true;
        }
      }
      // Optional `ceremony` ({ share, open, page, sign: { method, path, body }, pages: [a, b],
      // pageMs: [a, b], readS: [a, b], afterS: [a, b] }): that share of the users sign a
      // document in the app while the session lasts. afterS after the end of the login's
      // think time they open it (a GET of `open`); then the app's viewer loads its pages 1,
      // 2, ... n in order as they scroll (n drawn in pages, each page pageMs after the last:
      // `page` is a template whose :page placeholder is the page number, api.params.page the
      // list of page numbers there are); readS after the last page they sign (sign.method to
      // sign.path, a body of sign.body's kind). The three templates' other placeholders name
      // the same records (existing ones), drawn once. On the app key, cut at the session's
      // end. Drawn from a stream of its own; the variant says 'signing' if any of it was sent.
      const rc = p.ceremony ? rng(seed, `app_users/${i}/ceremony`) : null;
      let signing = false;
      if (rc?.chance(p.ceremony.share)) {
        const o = p.ceremony;
        const values = {};
        for (const tpl of [o.open, o.page, o.sign.path]) {
          for (const [, name] of tpl.matchAll(PLACEHOLDER)) {
            if (name === 'page' || name in values) continue;
            const kind = refKind(api, name);
            values[name] = Array.isArray(kind) ? rc.pick(kind) : refString(kind, existingRef(api, kind, rc));
          }
        }
        const fill = (tpl, n) => tpl.replace(PLACEHOLDER, (_, name) => (name === 'page' ? String(n) : values[name]));
        let u = from + rc.range(o.afterS);
        const steps = [{ u, method: 'GET', path: fill(o.open), bytes: 0 }];
        const pages = rc.int(...o.pages);
        for (let n = 1; n <= pages; n++) {
          u += rc.range(o.pageMs) / 1000;
          steps.push({ u, method: 'GET', path: fill(o.page, n), bytes: 0 });
        }
        u += rc.range(o.readS);
        steps.push({ u, method: o.sign.method, path: fill(o.sign.path), bytes: bodyBytes(api.bodies[o.sign.body], rc) });
        for (const { u: at, ...q } of steps) {
          if (at >= end) break;
          schedule.push({ t: Math.round(at * 1000), ...q, key });
          signing = true;
        }
      }
      const natted = rn !== null && rn.chance(p.carrierNat.share);
      // 'carrier-nat', 'refresh', 'viewport', 'signing' and 'mistyped', those that apply joined
      // by '+' in this order, or none.
      const variant = [natted && 'carrier-nat', refreshing && 'refresh', viewing && 'viewport', signing && 'signing', mistyped && 'mistyped']
        .filter(Boolean).join('+') || null;
      const ip = natted ? rn.pick(natIps) : alloc.address();
      add('app_users', variant, r, ip, schedule.filter((q) => q.t <= D * 1000));
    }
  }

  // Login stuffing: one address, through the app (its key), a leak list against the login.
  if (C.login_stuffing) {
    const p = C.login_stuffing;
    for (let i = 0; i < p.count; i++) {
      const r = rng(seed, `login_stuffing/${i}`);
      const key = app();
      const start = r.range(p.startS);
      const schedule = poisson(r, r.range(p.rate), start, Math.min(D, start + r.range(p.lengthS)))
        .map((t) => login(t, ...leakedPair(r, p.correctShare), key));
      add('login_stuffing', null, r, alloc.address(), schedule);
    }
  }

  // A distributed login campaign: a leak list spread over hundreds of addresses of many /24s,
  // each address a few attempts over the whole campaign, all through the app.
  if (C.login_campaign) {
    const p = C.login_campaign;
    for (let k = 0; k < (p.campaigns ?? 1); k++) {
      const name = `login_campaign-${k}`;
      const rc = rng(seed, name);
      const start = rc.range(p.startS);
      const end = Math.min(D, start + rc.range(p.lengthS));
      const key = app();
      spread(rc, Math.round(rc.range(p.addresses)), p.perNetwork).forEach((ip, a) => {
        const r = rng(seed, `${name}/${a}`);
        const schedule = uniformTimes(r, r.int(...p.attempts), start, end).map((t) => login(t, ...leakedPair(r, p.correctShare), key));
        add('login_campaign', name, r, ip, schedule).campaign = name;
      });
    }
  }

  // Key spraying: a list of leaked API keys, one per address, each tried a few times over the
  // campaign: revoked keys, and valid keys of dormant accounts (a pool of their own: no other
  // client holds them).
  if (C.key_spray) {
    const p = C.key_spray;
    for (let k = 0; k < (p.campaigns ?? 1); k++) {
      const name = `key_spray-${k}`;
      const rc = rng(seed, name);
      const start = rc.range(p.startS);
      const end = Math.min(D, start + rc.range(p.lengthS));
      spread(rc, Math.round(rc.range(p.addresses)), p.perNetwork).forEach((ip, a) => {
        const r = rng(seed, `${name}/${a}`);
        // Optional `madeUpShare`: that share of the addresses present a made-up key (well
        // shaped, wrong checksum) instead, decided on a stream of its own.
        const rm = p.madeUpShare ? rng(seed, `${name}/${a}/made_up`) : null;
        const key = rm?.chance(p.madeUpShare) ? { made_up: madeUpKey(rm) }
          : r.chance(p.validShare) ? { dormant: nDormant++ } : revokedKey();
        const schedule = uniformTimes(r, r.int(...p.requests), start, end)
          .map((t) => ({ t, method: 'GET', path: r.chance(0.5) ? P.me : P.list, bytes: 0, key }));
        add('key_spray', name, r, ip, schedule).campaign = name;
      });
    }
  }

  // Slow scrapers: their own key, record ids in ascending order with gaps of 1-4 over one or
  // two detail templates (each id on each), under a request a second, the whole phase. The
  // ids are not known records: about half do not exist.
  if (C.slow_scraper) {
    const p = C.slow_scraper;
    for (let i = 0; i < p.count; i++) {
      const r = rng(seed, `slow_scraper/${i}`);
      const key = validKey();
      const tpls = r.shuffle([...(p.templates ?? P.walk)]).slice(0, r.int(1, 2));
      const fixed = fixNames(api, tpls, r);
      // Numeric templates share the id (users/4627, then invoices/4627); a slug or code
      // template walks from a start of its own.
      const id0 = r.int(1, Math.floor(api.maxId / 2));
      const base = tpls.map((x) => (recordKind(api, x) === 'numeric' ? id0 : r.int(0, Math.floor(refSpace(api, recordKind(api, x)) / 2))));
      let off = 0;
      let tpl = 0;
      // Optional `proxies` ({ share, addresses: [a, b] }): that share of the scrapers go through
      // a rotating proxy service, each request leaving from one of a few scattered addresses
      // of their own (one key still), drawn from a stream of its own.
      const rx = p.proxies ? rng(seed, `slow_scraper/${i}/proxies`) : null;
      const exits = rx?.chance(p.proxies.share)
        ? Array.from({ length: rx.int(...p.proxies.addresses) }, () => alloc.address()) : null;
      // Optional `grid` ({ share, template }, template with lists of names): that share of the
      // scrapers harvest a price grid instead of records: each request asks for the next
      // combination of the template's lists (gridWalker()), where the others ask for their
      // next record. The times and the exits are as without it. Drawn from a stream of its
      // own; 'grid' replaces the template count in the variant.
      const rg = p.grid ? rng(seed, `slow_scraper/${i}/grid`) : null;
      const grid = rg?.chance(p.grid.share) ? gridWalker(api, p.grid.template, rg) : null;
      const rate = r.range(p.rate);
      const startS = r.range(p.startS);
      const schedule = poisson(r, rate, startS, D).map((t) => {
        let path = fillAt(api, tpls[tpl], base[tpl] + off, fixed);
        if (++tpl === tpls.length) {
          tpl = 0;
          off += r.int(...p.step);
        }
        if (grid) path = grid();
        const q = { t, method: 'GET', path, bytes: 0, key };
        if (exits) q.sourceIp = rx.pick(exits);
        return q;
      });
      // Optional `live` (as steady's): that share of the scrapers also follow live events
      // (livePolls(): a feed resold, say) from fromS after their start, on their key, each
      // request from one of their exits if they have any. Drawn from a stream of its own;
      // '+live' is added to the variant, before '+proxies'.
      const rl = p.live ? rng(seed, `slow_scraper/${i}/live`) : null;
      let live = false;
      if (rl?.chance(p.live.share)) {
        for (const q of livePolls(api, rl, p.live, slate, startS + rl.range(p.live.fromS), D)) {
          schedule.push(exits ? { ...q, key, sourceIp: rl.pick(exits) } : { ...q, key });
          live = true;
        }
      }
      const variant = (grid ? 'grid' : tpls.length === 1 ? 'one-template' : 'two-templates') + (live ? '+live' : '');
      if (!exits) add('slow_scraper', variant, r, alloc.address(), schedule);
      else add('slow_scraper', `${variant}+proxies`, r, exits[0], schedule).sourceIps = exits;
    }
  }

  // Mimics: catalogue walking dressed as a browser. A list, then the listed (existing)
  // records in order, a human-looking gap between requests, the next page now and then, and
  // some other calls of the benign mix.
  if (C.mimic) {
    const p = C.mimic;
    const tpl = p.template ?? P.detail;
    const kind = recordKind(api, tpl);
    const pageKey = api.routes.find((x) => x.path === P.list && x.query === 'page')?.queryKey ?? 'page';
    for (let i = 0; i < p.count; i++) {
      const r = rng(seed, `mimic/${i}`);
      const key = validKey();
      const fixed = fixNames(api, [tpl], r);
      let page = 1;
      let t = r.range(p.startS);
      const schedule = [{ t: Math.round(t * 1000), method: 'GET', path: P.list, bytes: 0, key }];
      let cursor = existingRef(api, kind, r);
      // Optional `readShare`/`readS`: now and then a longer pause (reading the page), drawn
      // from a stream of its own.
      const rp = p.readShare ? rng(seed, `mimic/${i}/read`) : null;
      const pause = () => (rp?.chance(p.readShare) ? rp.range(p.readS) : 0);
      // Optional `sweep` ({ share, template, cols: [a, b], rows: [a, b], zoom: [lo, hi],
      // band: [a, b], tileMs: [a, b] }, template a 'tile' one): that share of the mimics
      // harvest map tiles dressed as a map viewer. Where the others ask for their next record,
      // they load a viewport's block of tiles (cols x rows at one zoom drawn in zoom, centre
      // first, tileMs apart), the next time the block one viewport further east; after `band`
      // blocks, one viewport further south, back at the band's west end: a lawnmower over a
      // region, never a zoom, never a tile twice. The times, the list and the other calls are
      // as without it. Drawn from a stream of its own; the variant is 'sweep'.
      const rw = p.sweep ? rng(seed, `mimic/${i}/sweep`) : null;
      let sweep = null;
      if (rw?.chance(p.sweep.share)) {
        const o = p.sweep;
        const z = rw.int(...o.zoom);
        const rows = rw.int(...o.rows);
        sweep = {
          o, z, rows, cols: rw.int(...o.cols), band: rw.int(...o.band), x0: rw.int(0, 2 ** z - 1),
          y0: rw.int(0, 2 ** z - rows), n: 0, fixed: fixNames(api, [o.template], rw),
        };
      }
      // The sweep's next block, from `at` milliseconds on.
      const sweepBlock = (g, at) => {
        const b = Math.floor(g.n / g.band);
        const y = (g.y0 + b * g.rows) % (2 ** g.z - g.rows + 1);
        const tiles = viewportTiles(g.z, g.x0 + (g.n++ % g.band) * g.cols, y, g.cols, g.rows);
        let u = at;
        return tiles.map(([x, ty]) => {
          const q = { t: Math.round(u), method: 'GET', path: fillAt(api, g.o.template, tileIndex(g.z, x, ty), g.fixed), bytes: 0, key };
          u += rw.range(g.o.tileMs);
          return q;
        });
      };
      for (t += r.range(p.gapS); t < D; t += r.range(p.gapS) + pause()) {
        const at = Math.round(t * 1000);
        if (r.chance(p.otherShare)) schedule.push({ t: at, ...benignRequest(sc, r, 0), key });
        else if (r.chance(p.pageShare)) schedule.push({ t: at, method: 'GET', path: `${P.list}?${pageKey}=${++page}`, bytes: 0, key });
        else if (sweep) schedule.push(...sweepBlock(sweep, at));
        else {
          cursor = nextExisting(api, kind, cursor);
          schedule.push({ t: at, method: 'GET', path: fillAt(api, tpl, cursor, fixed), bytes: 0, key });
        }
      }
      if (sweep) add('mimic', 'sweep', r, alloc.address(), schedule.filter((q) => q.t <= D * 1000));
      else add('mimic', null, r, alloc.address(), schedule);
    }
  }

  const trace = {
    scenario: sc.name, seed, durationMs: D * 1000,
    keys: { valid: nValid, revoked: nRevoked, app: nApp, dormant: nDormant },
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
    console.log(`scenario ${sc.name}, seed ${seed}: ${trace.keys.valid} valid keys, ${trace.keys.revoked} revoked, ${trace.keys.app} app key, ${trace.keys.dormant} dormant`);
    for (const [cls, s] of summary(trace)) {
      total += s.requests;
      console.log(`  ${cls.padEnd(20)} ${s.benign ? 'benign' : 'attack'}  ${String(s.clients).padStart(3)} clients  ${String(s.requests).padStart(6)} requests  ${JSON.stringify(s.variants)}`);
    }
    console.log(`  total ${total} requests in ${sc.durationS} s (${(total / sc.durationS).toFixed(0)}/s)`);
  }
}
