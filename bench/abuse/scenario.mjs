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

  // The source addresses: single clients get an address whose second octet is in `hosts`,
  // distributed attacks and partners whole /24s from `networks` (all in 127/8, on lo).
  addressPools: { hosts: [16, 99], networks: [100, 199] },

  // The upstream API (bench/abuse/upstream.mjs), whose route table is built from this object:
  // the benign mix, extraRoutes, the ingest and the login route. Record ids 1..maxId exist
  // with this density (a fixed hash decides which); other ids and unknown paths are 404.
  api: {
    maxId: 20000,
    idDensity: 0.5,
    // The upstream as it answered before its table came from here: the first route whose
    // path matches decides, so a POST to /v1/orders meets GET /v1/orders first and is a 405
    // (7% of the benign mix). Kept so that this mix's figures stay comparable with earlier
    // runs (docs/abuse-bench.md); another mix leaves it out and gets 201.
    firstPathMatch: true,
    // The benign route mix: weight, method, template (:id is an existing record id), body;
    // query 'search' adds ?q=<word>, 'page' adds ?page=<n> to half of the calls.
    routes: [
      { w: 15, method: 'GET', path: '/v1/items', query: 'page' },
      { w: 30, method: 'GET', path: '/v1/items/:id' },
      { w: 8, method: 'GET', path: '/v1/orders' },
      { w: 10, method: 'GET', path: '/v1/orders/:id' },
      { w: 8, method: 'GET', path: '/v1/users/me' },
      { w: 10, method: 'GET', path: '/v1/search', query: 'search' },
      { w: 4, method: 'GET', path: '/v1/stats' },
      { w: 3, method: 'GET', path: '/v1/invoices/:id' },
      { w: 8, method: 'POST', path: '/v1/orders', body: 'order' },
      { w: 4, method: 'POST', path: '/v1/items/:id/comments', body: 'comment' },
    ],
    // Routes the upstream answers that the benign mix does not use (id walkers ask for
    // users by id; run.mjs probes /v1/ping).
    extraRoutes: [
      { method: 'GET', path: '/v1/users/:id' },
      { method: 'GET', path: '/v1/ping' },
    ],
    // Batch ingest jobs and partners' webhooks POST here (202), bodies of this kind.
    ingest: { path: '/v1/events', body: 'events' },
    // The app's login (POST, JSON {"user", "password"}): 200 if the password is
    // passwordOf(user) (generate.mjs), else 401. `users` end users exist.
    login: { path: '/v1/auth/login', users: 5000 },
    // The paths the classes use besides the mix (generate.mjs, apiPaths()).
    paths: {
      me: '/v1/users/me',
      list: '/v1/items',
      detail: '/v1/items/:id',
      browse: '/v1/orders',
      poll: '/v1/stats',
      sync: '/v1/items/:id',
      ping: '/v1/ping',
      walk: ['/v1/items/:id', '/v1/users/:id', '/v1/orders/:id', '/v1/invoices/:id'],
      upload: ['/v1/orders', '/v1/items/:id/comments'],
      enumPrefixes: ['', '/v1', '/v2', '/v1/internal', '/v1/export', '/api-old'],
    },
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
    // ETL jobs: a script with its own key and address; a slow poll, then syncs: a list call
    // and a walk over existing records in ascending id order at 10-40 req/s for 5-15 s,
    // repeated with gaps. Under 1% of the records are gone (404).
    etl: {
      benign: true, count: 8, pollRate: 0.1, burstRate: [10, 40], burstS: [5, 15],
      firstBurstS: [3, 30], gapS: [25, 50], staleIdShare: 0.005,
      uaMix: { python: 50, go: 25, java: 15, curl: 10 },
    },
    // Partners delivering webhooks: one valid key each, 8-20 egress addresses over 2-4 /24s,
    // bursts of 5-30 POSTs a second to the ingest route, each from any address of the pool.
    partner: {
      benign: true, count: 6, networks: [2, 4], addresses: [8, 20], burstRate: [5, 30],
      burstS: [2, 8], firstBurstS: [0, 20], gapS: [8, 25],
      uaMix: { go: 40, java: 30, node: 30 },
    },
    // The tenant's app: 40-60 end users, each its own address, all with the one app key; a
    // login (10% mistype their password once: a 401, then success a few seconds later),
    // then browsing at a human rate.
    app_users: {
      benign: true, count: [40, 60], startS: [0, 45], mistypeShare: 0.1, retryS: [3, 10],
      thinkS: [1, 4], rate: [0.1, 0.5], sessionS: [20, 75], staleIdShare: 0.02,
      uaMix: { browser: 70, java: 15, none: 5, node: 10 },
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
    // Login stuffing: one address, through the app (the app key), leaked user/password pairs
    // against the login route, about 2% right.
    login_stuffing: {
      benign: false, count: 8, rate: [0.5, 3], startS: [0, 30], lengthS: [30, 60], correctShare: 0.02,
    },
    // A distributed login campaign: one per trace, ~200 addresses over many /24s (1-8 per
    // /24), 2-6 attempts each through the app key, spread over a campaign of 40-60 s.
    login_campaign: {
      benign: false, campaigns: 1, addresses: [190, 210], perNetwork: [1, 8], attempts: [2, 6],
      startS: [5, 20], lengthS: [40, 60], correctShare: 0.02,
    },
    // Key spraying: ~150 addresses over many /24s, each presenting one leaked API key (70%
    // revoked, 30% valid keys of dormant accounts) 1-4 times over 40-60 s.
    key_spray: {
      benign: false, campaigns: 1, addresses: [140, 160], perNetwork: [1, 6], requests: [1, 4],
      validShare: 0.3, startS: [5, 20], lengthS: [40, 60],
    },
    // Slow scrapers: their own key, record ids in ascending order with gaps of 1-4 over one
    // or two detail templates, 0.3-1 req/s for the whole phase; about half the ids are 404.
    slow_scraper: {
      benign: false, count: 8, rate: [0.3, 1], startS: [0, 10], step: [1, 4],
    },
    // Mimics: a browser's UA, a list call, then existing records in ascending order with
    // human-looking gaps of 0.5-3 s, the next page now and then, a few other calls.
    mimic: {
      benign: false, count: 8, startS: [0, 10], gapS: [0.5, 3], otherShare: 0.1, pageShare: 0.05,
      uaMix: { browser: 1 },
    },
  },
};
