// Every parameter of the abuse benchmark's traffic in one place: who the clients are, how
// fast and how long they send, what they ask for, which keys they hold, which User-Agents
// they claim; how customers label decisions; which seeds; the baselines. `make bench-abuse`
// replays this mix; another mix is another file exporting the same shape, run with
//   node bench/abuse/run.mjs --scenario path/to/mix.mjs
// (a mix may import this one and override a few fields: see nat-clean.mjs).
//
// Conventions: rates are requests per second, times are seconds from the start of a phase,
// [a, b] is a uniform draw per client (per burst, per request where said), bytes are bytes.
// Every client draws from its own PRNG stream (seed, class, index), so changing one class's
// parameters leaves the other classes' traffic of the same seed unchanged.

export default {
  name: 'default',

  // Seeds of the evaluation traces. Each configuration is measured once per seed; the 95%
  // intervals are over these. The model of seed i is trained on the decisions of the
  // model@0 replay of seed i+1 (cyclically): a different trace than the one it is tested
  // on. With a single seed, an extra training trace (seed + trainingSeedOffset) is replayed.
  seeds: [1, 2, 3],
  trainingSeedOffset: 1000,

  // Length of one replayed phase, real time. The engine's windows are 10 s, 1 min and 10 min
  // (decayed counts; distinct keys and routes over 10-minute windows): the 10 s and 1 min
  // ones are fully exercised, the 10 min ones only partly.
  durationS: 75,

  // The gateway as the benchmark runs it (tests/e2e/harness.mjs startStack env overrides are
  // added by run.mjs: engine, enforce mode, open plan/IP/auth-failure limits).
  gateway: {
    workers: 4,
    env: {
      TOLLGATE_ABUSE_BLOCK_SECONDS: '300',
      TOLLGATE_ABUSE_THROTTLE_SECONDS: '300',
      TOLLGATE_ABUSE_THROTTLE_RPS: '1',
    },
    maxBody: '1M', // the tenant's body limit: oversized payloads stay under it
  },

  // The simulated customer who labels decisions after the training replay.
  labels: {
    budgets: [0, 50, 200],
    errorRate: 0.10, // share of labels that say the opposite of the ground truth
    // Share of the budget taken from decisions the engine acted on or flagged (flag,
    // throttle, block): the customer reviews refusals and complaints first. The rest are
    // allowed samples (a benign example, or abuse the engine missed).
    refusedShare: 0.75,
  },

  // Offline baselines on the same trace, per valid key; requests without a valid key
  // (missing, malformed, revoked) are counted per source address.
  baselines: {
    fixedWindow: { limit: 100, windowS: 60 },
    tokenBucket: { ratePerS: 5, burst: 20 },
  },

  // The upstream API (bench/abuse/upstream.mjs). Record ids 1..maxId exist with this
  // density (a fixed hash decides which); other ids and unknown paths are 404.
  api: {
    maxId: 20000,
    idDensity: 0.5,
    // The benign route mix: weight, method, template (:id is an existing record id), body.
    routes: [
      { w: 15, method: 'GET', path: '/v1/items' },
      { w: 30, method: 'GET', path: '/v1/items/:id' },
      { w: 8, method: 'GET', path: '/v1/orders' },
      { w: 10, method: 'GET', path: '/v1/orders/:id' },
      { w: 8, method: 'GET', path: '/v1/users/me' },
      { w: 10, method: 'GET', path: '/v1/search' },
      { w: 4, method: 'GET', path: '/v1/stats' },
      { w: 3, method: 'GET', path: '/v1/invoices/:id' },
      { w: 8, method: 'POST', path: '/v1/orders', body: 'order' },
      { w: 4, method: 'POST', path: '/v1/items/:id/comments', body: 'comment' },
    ],
    // Body sizes: log-normal with this median and sigma (of the log).
    bodies: {
      order: { median: 900, sigma: 0.6 },
      comment: { median: 300, sigma: 0.7 },
      events: { median: 4000, sigma: 0.5 },
    },
  },

  // User-Agent families. Each client picks one (weights below) for its whole life; attack
  // traffic spoofs browsers and SDKs too, and benign traffic uses scripting tools too.
  userAgents: {
    browser: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
    python: 'python-requests/2.31.0',
    node: 'axios/1.6.8',
    go: 'Go-http-client/1.1',
    java: 'okhttp/4.12.0',
    curl: 'curl/8.5.0',
    openai: 'OpenAI/Python 1.30.1',
    none: '',
  },
  uaMix: {
    benign: { browser: 25, python: 20, node: 15, go: 10, java: 10, openai: 10, curl: 5, none: 5 },
    attack: { browser: 20, python: 30, node: 10, go: 15, curl: 15, none: 10 },
  },

  classes: {
    // --- benign -----------------------------------------------------------------------
    // Steady users: one address and one valid key each, Poisson arrivals, the route mix,
    // a few stale ids (404), and now and then a request with their old revoked key.
    steady: {
      benign: true, count: 30, rate: [0.5, 2], startS: [0, 10],
      staleIdShare: 0.03, authFailShare: 0.005,
    },
    // Batch jobs: a valid key, a light poll, and bursts of tens of requests per second for
    // about ten seconds (a sync walking existing records, or an ingest posting events).
    batch: {
      benign: true, count: 6, pollRate: 0.2, burstRate: [15, 40], burstS: [6, 12],
      firstBurstS: [5, 25], gapS: [20, 35], staleIdShare: 0.01, ingestShare: 0.5,
    },
    // Many users behind one address (an office or a carrier NAT), each with their own valid
    // key, each like a slower steady user.
    nat: {
      benign: true, gateways: 2, users: [6, 14], rate: [0.2, 1], startS: [0, 20],
      staleIdShare: 0.03, authFailShare: 0.005,
    },

    // --- attacks ----------------------------------------------------------------------
    // Credential stuffing: one address trying a list of leaked keys once each (valid keys of
    // other, dormant accounts and revoked ones), then pulling data with the valid ones.
    credential_stuffing: {
      benign: false, count: 5, rate: [0.5, 2], startS: [0, 30], lengthS: [40, 60],
      keysPerClient: 30, validShare: 0.3,
    },
    // Key guessing: one address, a new made-up key on every request, fast.
    key_guessing: {
      benign: false, count: 3, rate: [3, 12], startS: [0, 35], lengthS: [20, 45],
    },
    // Scraping and path enumeration with the client's own valid key. 'enumerate' walks a
    // word list of paths (/.env, /v1/admin, /v1/export/...), mixed with some normal calls;
    // 'idwalk' walks record ids in order over a few templates (half of them do not exist).
    scraping: {
      benign: false, count: 8, enumerateShare: 0.5, rate: [1.5, 5], startS: [0, 30],
      normalShare: 0.2,
    },
    // Distributed low-and-slow guessing: many addresses of one /24, each slow, made-up keys.
    low_and_slow: {
      benign: false, networks: 1, addresses: 24, meanIntervalS: [8, 15], startS: [0, 25],
    },
    // Oversized payloads: a valid key, normal-looking traffic, and a share of POST bodies
    // far larger than the route usually gets (but under the tenant's body limit).
    oversized: {
      benign: false, count: 5, rate: [0.5, 2], startS: [5, 30], oversizedShare: 0.3,
      bytes: [65536, 262144],
    },
  },
};
