// The held-out mix of the abuse benchmark: a second scenario written without looking at
// scenario.mjs's numbers and differing from it in structure, not only in seeds: another API
// (route names and depths, slug and short-code ids next to numeric ones, a region in the
// path), other User-Agents and mixes, other rates and sizes, addresses from other parts of
// 127/8. The engine was tuned on the default mix; this one is for testing only: tune
// nothing on it, or it stops being held out. Run it with
//   node bench/abuse/run.mjs --scenario bench/abuse/heldout.mjs
// Same shape and conventions as scenario.mjs (rates per second, times in seconds from the
// phase start, [a, b] a uniform draw per client, per burst or per request where said).
// Every class has at least 10 clients per trace, except the campaigns: one campaign each,
// of at least 100 addresses.

import benchmark from './scenario.mjs';

export default {
  name: 'heldout',

  // Four seeds (the default mix's are 1-3): the intervals over them are a little less rough.
  seeds: [11, 12, 13, 14],
  trainingSeedOffset: 1000,

  // A little longer than the default's phases, so that a 60 s campaign that starts late still
  // ends inside the phase.
  durationS: 90,

  // The benchmark's own settings, the same for every mix: the gateway and its engine
  // settings, the simulated customer's labels, the baselines (bench/abuse/scenario.mjs).
  gateway: benchmark.gateway,
  labels: benchmark.labels,
  baselines: benchmark.baselines,

  // Single clients in 127.200-254.x.x, whole /24s (campaigns, low-and-slow, partners' egress)
  // in 127.2-15.x.0/24: none of the default mix's addresses.
  addressPools: { hosts: [200, 254], networks: [2, 15] },

  // A shop's API: a catalogue addressed by slugs, orders and invoices by number under a
  // region, shipments by short codes, accounts under /rest. No route is a /v1 one.
  api: {
    maxId: 60000,
    idDensity: 0.55,
    // Made-up slugs and codes of the right shape exist with this density.
    slugDensity: 0.5,
    params: {
      slug: 'slug', // blue-desk-1042
      code: 'code', // p7k2qx
      num: 'numeric',
      region: ['eu-west', 'us-east', 'ap-south', 'sa-east'],
    },
    routes: [
      { w: 12, method: 'GET', path: '/api/catalog/products', query: 'page', queryKey: 'p' },
      { w: 24, method: 'GET', path: '/api/catalog/products/:slug' },
      { w: 6, method: 'GET', path: '/api/catalog/products/:slug/reviews' },
      { w: 9, method: 'GET', path: '/api/catalog/search', query: 'search', queryKey: 'term' },
      { w: 4, method: 'GET', path: '/api/catalog/categories' },
      { w: 6, method: 'GET', path: '/api/store/:region/orders' },
      { w: 10, method: 'GET', path: '/api/store/:region/orders/:num' },
      { w: 4, method: 'GET', path: '/api/store/:region/shipments/:code' },
      { w: 6, method: 'GET', path: '/rest/accounts/profile' },
      { w: 3, method: 'GET', path: '/api/status' },
      { w: 6, method: 'POST', path: '/api/store/:region/orders', body: 'order' },
      { w: 3, method: 'POST', path: '/api/catalog/products/:slug/reviews', body: 'review' },
    ],
    extraRoutes: [
      { method: 'GET', path: '/api/store/:region/invoices/:num' },
      { method: 'GET', path: '/rest/accounts/:num' },
      { method: 'GET', path: '/api/ping' },
    ],
    searchWords: ['walnut', 'linen', 'ceramic', 'wool', 'vintage', 'rattan', 'sale', 'gift', 'kids', 'outdoor'],
    ingest: { path: '/hooks/ingest', body: 'webhook' },
    login: { path: '/rest/accounts/session', users: 8000, userStyle: 'email', domain: 'mail.test' },
    // me, list, browse, poll and ping are plain paths (no placeholders).
    paths: {
      me: '/rest/accounts/profile',
      list: '/api/catalog/products',
      detail: '/api/catalog/products/:slug',
      browse: '/api/catalog/categories',
      poll: '/api/status',
      sync: '/api/store/:region/orders/:num',
      ping: '/api/ping',
      walk: ['/api/store/:region/orders/:num', '/api/store/:region/invoices/:num', '/rest/accounts/:num', '/api/catalog/products/:slug'],
      upload: ['/api/store/:region/orders', '/api/catalog/products/:slug/reviews'],
      enumPrefixes: ['', '/api', '/api/internal', '/api/v2', '/rest', '/rest/admin', '/api/store/eu-west'],
    },
    bodies: {
      order: { median: 1400, sigma: 0.5 },
      review: { median: 500, sigma: 0.8 },
      webhook: { median: 2500, sigma: 0.7 },
    },
  },

  userAgents: {
    safari: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
    firefox: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:126.0) Gecko/20100101 Firefox/126.0',
    httpx: 'python-httpx/0.27.0',
    aiohttp: 'Python/3.12 aiohttp/3.9.5',
    ruby: 'Ruby',
    faraday: 'Faraday v2.9.0',
    dart: 'Dart/3.3 (dart:io)',
    postman: 'PostmanRuntime/7.37',
    undici: 'undici',
    apache: 'Apache-HttpClient/5.3 (Java/21)',
    wget: 'Wget/1.21.4',
    hookshot: 'GitHub-Hookshot/6f3b2c1',
    captain: 'Shopify-Captain-Hook',
  },
  uaMix: {
    benign: { safari: 22, firefox: 13, dart: 15, httpx: 14, ruby: 8, faraday: 6, apache: 10, postman: 6, undici: 6 },
    attack: { safari: 14, firefox: 10, httpx: 22, aiohttp: 14, ruby: 8, wget: 10, postman: 7, undici: 10, apache: 5 },
  },

  classes: {
    // --- benign -----------------------------------------------------------------------
    steady: {
      benign: true, count: 24, rate: [0.3, 1.5], startS: [0, 15],
      staleIdShare: 0.05, authFailShare: 0.01,
    },
    // Batch jobs (the default mix's kind): polls, bursts that sync orders by number or post
    // webhooks' worth of events.
    batch: {
      benign: true, count: 10, pollRate: 0.1, burstRate: [10, 30], burstS: [5, 10],
      firstBurstS: [10, 40], gapS: [30, 50], staleIdShare: 0.01, ingestShare: 0.4,
    },
    etl: {
      benign: true, count: 10, pollRate: 0.05, burstRate: [12, 35], burstS: [6, 14],
      firstBurstS: [10, 40], gapS: [30, 60], staleIdShare: 0.008,
      uaMix: { httpx: 40, ruby: 25, faraday: 10, apache: 25 },
    },
    nat: {
      benign: true, gateways: 3, users: [4, 9], rate: [0.1, 0.8], startS: [0, 30],
      staleIdShare: 0.04, authFailShare: 0.01,
    },
    partner: {
      benign: true, count: 10, networks: [2, 4], addresses: [8, 20], burstRate: [5, 25],
      burstS: [2, 6], firstBurstS: [0, 30], gapS: [10, 30],
      uaMix: { hookshot: 50, captain: 50 },
    },
    // A mobile app (Dart) and its web front end.
    app_users: {
      benign: true, count: [60, 80], startS: [0, 60], mistypeShare: 0.1, retryS: [4, 15],
      thinkS: [2, 6], rate: [0.05, 0.3], sessionS: [15, 90], staleIdShare: 0.03,
      uaMix: { dart: 60, safari: 30, firefox: 10 },
    },

    // --- attacks ----------------------------------------------------------------------
    key_guessing: {
      benign: false, count: 10, rate: [2, 8], startS: [0, 40], lengthS: [15, 40],
    },
    credential_stuffing: {
      benign: false, count: 10, rate: [0.3, 1.5], startS: [0, 40], lengthS: [40, 70],
      keysPerClient: 20, validShare: 0.25,
    },
    scraping: {
      benign: false, count: 12, enumerateShare: 0.5, rate: [1, 4], startS: [0, 40],
      normalShare: 0.3,
    },
    slow_scraper: {
      benign: false, count: 10, rate: [0.2, 0.8], startS: [0, 15], step: [1, 4],
    },
    mimic: {
      benign: false, count: 10, startS: [0, 15], gapS: [0.8, 4], otherShare: 0.15, pageShare: 0.08,
      uaMix: { safari: 60, firefox: 40 },
    },
    low_and_slow: {
      benign: false, networks: 2, addresses: 8, meanIntervalS: [10, 20], startS: [0, 30],
    },
    login_stuffing: {
      benign: false, count: 10, rate: [0.3, 2], startS: [0, 40], lengthS: [30, 60], correctShare: 0.02,
    },
    login_campaign: {
      benign: false, campaigns: 1, addresses: [220, 280], perNetwork: [1, 8], attempts: [2, 6],
      startS: [10, 20], lengthS: [40, 60], correctShare: 0.015,
    },
    key_spray: {
      benign: false, campaigns: 1, addresses: [120, 180], perNetwork: [1, 5], requests: [1, 4],
      validShare: 0.3, startS: [5, 20], lengthS: [45, 60],
    },
    oversized: {
      benign: false, count: 10, rate: [0.3, 1.5], startS: [5, 40], oversizedShare: 0.25,
      bytes: [50000, 300000],
    },
  },
};
