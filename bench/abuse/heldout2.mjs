// The second held-out mix of the abuse benchmark: written from scratch, without the engine's
// code or results in view, and different in structure from both scenario.mjs and
// heldout.mjs, not only in seeds: another API (a freight and fleet API: tracking codes as
// the main record ids, numbers in the middle of deep paths under a hub, warehouse SKUs as
// slugs that an ETL walks, a PATCH route, partners' webhooks on a route of their own), other
// User-Agents (Chrome on Android, Edge, an iOS app over CFNetwork, okhttp 3, Go's HTTP/2
// client, RestSharp, Java's default, Scrapy, urllib, Stripe/Twilio/Svix webhook senders) and
// mixes, other rates, burst shapes and sizes, and addresses from other parts of 127/8.
// Nothing may be tuned on it: not the engine, not its thresholds, not this file in response
// to the engine's figures, or it stops being held out. Run it with
//   node bench/abuse/run.mjs --scenario bench/abuse/heldout2.mjs
// Same shape and conventions as scenario.mjs (rates per second, times in seconds from the
// phase start, [a, b] a uniform draw per client, per burst or per request where said).
// Every class has at least 10 clients per trace, except the campaigns: one campaign each,
// of at least 100 addresses.

import benchmark from './scenario.mjs';

export default {
  name: 'heldout2',

  // Four seeds, none of the other mixes'.
  seeds: [21, 22, 23, 24],
  trainingSeedOffset: 1000,

  durationS: 90,

  // The benchmark's own settings, the same for every mix: the gateway and its engine
  // settings, the simulated customer's labels, the baselines (bench/abuse/scenario.mjs).
  gateway: benchmark.gateway,
  labels: benchmark.labels,
  baselines: benchmark.baselines,

  // Single clients in 127.100-199.x.x, whole /24s (campaigns, low-and-slow, partners' egress)
  // in 127.16-99.x.0/24: the default mix's pools swapped, none of heldout.mjs's.
  addressPools: { hosts: [100, 199], networks: [16, 99] },

  // A freight carrier's API under /freight/v3: shipments addressed by tracking code (short
  // codes such as p7k2qx) with their scan events, depots' manifests by number under a hub
  // (the number in the middle of a six-segment path), consignees and invoices by number,
  // warehouse stock by SKU slug, rate quotes per transport mode, a PATCH to amend a
  // shipment. Trucks' telematics batches go to /telemetry, carriers' status webhooks to
  // /integrations, the driver app's login to /auth.
  api: {
    maxId: 90000,
    idDensity: 0.42,
    // Made-up tracking codes and SKU slugs of the right shape exist with this density.
    slugDensity: 0.6,
    params: {
      trk: 'code', // tracking codes: p7k2qx
      sku: 'slug', // warehouse SKUs: teal-lamp-4410
      num: 'numeric', // depots, consignees, invoices
      hub: ['ams', 'fra', 'ord', 'sin', 'gru', 'jnb', 'dxb'],
      mode: ['air', 'ocean', 'road', 'rail'],
    },
    routes: [
      { w: 8, method: 'GET', path: '/freight/v3/shipments', query: 'page', queryKey: 'pg' },
      { w: 26, method: 'GET', path: '/freight/v3/shipments/:trk' },
      { w: 12, method: 'GET', path: '/freight/v3/shipments/:trk/events' },
      { w: 3, method: 'GET', path: '/freight/v3/shipments/:trk/label' },
      { w: 5, method: 'GET', path: '/freight/v3/hubs/:hub/depots/:num/manifests' },
      { w: 6, method: 'GET', path: '/freight/v3/consignees/:num' },
      { w: 4, method: 'GET', path: '/freight/v3/inventory/:sku/stock' },
      { w: 7, method: 'GET', path: '/freight/v3/places/autocomplete', query: 'search', queryKey: 'text' },
      { w: 5, method: 'GET', path: '/freight/v3/rates/:mode', query: 'search', queryKey: 'dest' },
      { w: 3, method: 'GET', path: '/freight/v3/carriers' },
      { w: 3, method: 'GET', path: '/freight/v3/accounts/current' },
      { w: 2, method: 'GET', path: '/freight/v3/feeds/status' },
      { w: 7, method: 'POST', path: '/freight/v3/shipments/:trk/events', body: 'scan' },
      { w: 4, method: 'POST', path: '/freight/v3/shipments', body: 'booking' },
      { w: 2, method: 'PATCH', path: '/freight/v3/shipments/:trk', body: 'amend' },
    ],
    extraRoutes: [
      { method: 'GET', path: '/freight/v3/invoices/:num/lines' },
      // Where the partners' webhooks arrive (a route of its own, not the ingest route).
      { method: 'POST', path: '/integrations/webhooks/status', status: 200 },
      { method: 'GET', path: '/healthz' },
    ],
    searchWords: ['rotterdam', 'hamburg', 'antwerp', 'felixstowe', 'busan', 'santos', 'durban', 'savannah', 'genoa', 'gdansk', 'chennai', 'valencia'],
    // Batch ingest jobs post trucks' position batches here.
    ingest: { path: '/telemetry/v1/positions', body: 'positions' },
    // The driver and shipper app's login: e-mail addresses of the carrier's own domain.
    login: { path: '/auth/driver/token', users: 3500, userStyle: 'email', domain: 'drivers.fleet.test' },
    // me, list, browse, poll and ping are plain paths (no placeholders).
    paths: {
      me: '/freight/v3/accounts/current',
      list: '/freight/v3/shipments',
      detail: '/freight/v3/shipments/:trk',
      browse: '/freight/v3/carriers',
      poll: '/freight/v3/feeds/status',
      sync: '/freight/v3/hubs/:hub/depots/:num/manifests',
      ping: '/healthz',
      walk: ['/freight/v3/consignees/:num', '/freight/v3/invoices/:num/lines', '/freight/v3/shipments/:trk', '/freight/v3/hubs/:hub/depots/:num/manifests'],
      upload: ['/freight/v3/shipments', '/freight/v3/shipments/:trk/events'],
      enumPrefixes: ['', '/freight', '/freight/v2', '/freight/v3', '/freight/v3/admin', '/telemetry', '/integrations', '/backoffice'],
    },
    bodies: {
      booking: { median: 2600, sigma: 0.45 }, // a booking: parties, addresses, lines, customs
      scan: { median: 240, sigma: 0.35 }, // one scan event from a handheld
      amend: { median: 380, sigma: 0.5 }, // delivery instructions, a new slot
      positions: { median: 9000, sigma: 0.35 }, // a truck's batch of GPS fixes
      status: { median: 1800, sigma: 0.7 }, // a webhook's event
    },
  },

  userAgents: {
    edge: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36 Edg/125.0.2535.67',
    android: 'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.6422.113 Mobile Safari/537.36',
    ios: 'FleetDriver/2231 CFNetwork/1496.0.7 Darwin/23.5.0',
    okhttp: 'okhttp/3.14.9',
    go: 'Go-http-client/2.0',
    axios: 'axios/0.27.2',
    restsharp: 'RestSharp/110.2.0.0',
    java: 'Java/17.0.11',
    curl: 'curl/7.88.1',
    urllib: 'Python-urllib/3.11',
    scrapy: 'Scrapy/2.11.2 (+https://scrapy.org)',
    nodefetch: 'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)',
    stripe: 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
    twilio: 'TwilioProxy/1.1',
    svix: 'Svix-Webhooks/1.24.0 (sender-Kx7bQ; +https://www.svix.com/http-sender/)',
  },
  uaMix: {
    benign: { edge: 18, android: 10, ios: 8, okhttp: 10, go: 12, axios: 12, restsharp: 10, java: 8, curl: 7, urllib: 5 },
    attack: { edge: 14, android: 8, go: 14, axios: 8, curl: 12, urllib: 14, scrapy: 8, nodefetch: 10, java: 6, okhttp: 6 },
  },

  classes: {
    // --- benign -----------------------------------------------------------------------
    // Shippers' integrations and back-office users: a wide spread of rates, customers who
    // paste mistyped or expired tracking codes (404), a few leftovers of a rotated key.
    steady: {
      benign: true, count: 18, rate: [0.15, 2.5], startS: [0, 25],
      staleIdShare: 0.06, authFailShare: 0.015,
    },
    // Batch jobs: a rare poll; short, dense bursts that either post telematics batches or
    // sync one hub's depot manifests by number.
    batch: {
      benign: true, count: 10, pollRate: 0.033, burstRate: [15, 36], burstS: [3, 8],
      firstBurstS: [2, 30], gapS: [15, 40], staleIdShare: 0.02, ingestShare: 0.6,
    },
    // ETL: a nightly-style stock export walking warehouse SKUs (slugs) in order, faster and
    // shorter syncs than the other mixes'.
    etl: {
      benign: true, count: 11, pollRate: 0.02, burstRate: [18, 45], burstS: [3, 7],
      firstBurstS: [5, 50], gapS: [20, 45], staleIdShare: 0.012,
      template: '/freight/v3/inventory/:sku/stock',
      uaMix: { go: 30, java: 25, restsharp: 25, curl: 20 },
    },
    // Depot offices and a dispatch centre: a handful of dispatchers behind each address.
    nat: {
      benign: true, gateways: 4, users: [4, 11], rate: [0.05, 0.6], startS: [0, 40],
      staleIdShare: 0.05, authFailShare: 0.02,
      uaMix: { edge: 60, android: 10, axios: 15, restsharp: 15 },
    },
    // Carriers' and payment/SMS providers' webhooks from egress pools (1-3 /24s, 4-30
    // addresses), short bursts, to a route of their own.
    partner: {
      benign: true, count: 12, networks: [1, 3], addresses: [4, 30], burstRate: [3, 18],
      burstS: [1, 5], firstBurstS: [0, 40], gapS: [5, 20],
      path: '/integrations/webhooks/status', body: 'status',
      uaMix: { stripe: 30, twilio: 30, svix: 40 },
    },
    // The driver and shipper app: phones (web view, native over okhttp and CFNetwork) and a
    // desktop web front end. More typos than a desktop login, quick retries, short sessions.
    app_users: {
      benign: true, count: [70, 95], startS: [0, 70], mistypeShare: 0.15, retryS: [2, 8],
      thinkS: [1, 3], rate: [0.08, 0.4], sessionS: [10, 60], staleIdShare: 0.05,
      uaMix: { android: 35, ios: 35, okhttp: 20, edge: 10 },
    },

    // --- attacks ----------------------------------------------------------------------
    key_guessing: {
      benign: false, count: 11, rate: [1, 6], startS: [0, 45], lengthS: [10, 35],
    },
    credential_stuffing: {
      benign: false, count: 11, rate: [0.2, 1.2], startS: [0, 45], lengthS: [35, 80],
      keysPerClient: 15, validShare: 0.4,
    },
    scraping: {
      benign: false, count: 13, enumerateShare: 0.4, rate: [0.8, 3.5], startS: [0, 45],
      normalShare: 0.35,
    },
    slow_scraper: {
      benign: false, count: 12, rate: [0.1, 0.6], startS: [0, 20], step: [1, 7],
    },
    // Slower, more patient mimics than the other mixes', with phone and desktop browsers.
    mimic: {
      benign: false, count: 11, startS: [0, 20], gapS: [1.2, 5], otherShare: 0.2, pageShare: 0.1,
      uaMix: { edge: 55, android: 45 },
    },
    // Three /24s, six addresses each, slower still.
    low_and_slow: {
      benign: false, networks: 3, addresses: 6, meanIntervalS: [12, 30], startS: [0, 35],
    },
    login_stuffing: {
      benign: false, count: 12, rate: [0.15, 1.5], startS: [0, 45], lengthS: [25, 70], correctShare: 0.03,
    },
    // More addresses, denser /24s, fewer attempts per address.
    login_campaign: {
      benign: false, campaigns: 1, addresses: [300, 380], perNetwork: [2, 12], attempts: [1, 4],
      startS: [15, 30], lengthS: [45, 60], correctShare: 0.01,
    },
    // Fewer addresses, sparser /24s, more tries per address, longer.
    key_spray: {
      benign: false, campaigns: 1, addresses: [100, 140], perNetwork: [1, 3], requests: [2, 6],
      validShare: 0.2, startS: [0, 15], lengthS: [50, 75],
    },
    // Larger uploads to routes that get small bodies (scan events) or a few KB (bookings).
    oversized: {
      benign: false, count: 12, rate: [0.2, 1], startS: [0, 45], oversizedShare: 0.4,
      bytes: [100000, 700000],
    },
  },
};
