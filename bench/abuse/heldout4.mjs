// The fourth held-out mix of the abuse benchmark: written from scratch, without the engine's
// code or results in view, and different in structure from scenario.mjs, heldout.mjs,
// heldout2.mjs and heldout3.mjs, not only in seeds: another API (a retail bank's: an
// open-banking part for third-party providers under a long versioned prefix, five and six
// segments deep, accounts and cards by sparse seven-digit numbers, payments and consents by
// short codes, a statement per account and month, the mobile app's own shallow routes with a
// merchant directory by slug and FX quotes per currency pair, a PATCH to freeze a card, PUT
// and DELETE, plain usernames at the login, card processors' authorisation batches as the
// batch ingest), other User-Agents (the bank's own iOS and Android apps, Opera, Firefox on
// macOS, Safari on iPad, Chrome on ChromeOS, reqwest, ureq, Jersey, Symfony, go-resty,
// Apache CXF, Reactor Netty, Paw, Thunder Client; attackers with a spoofed bingbot, headless
// Chrome on Windows, feroxbuster, gobuster, Nikto, Wfuzz, sqlmap, Nmap's NSE, colly,
// Mechanize, Typhoeus, superagent, Java 8, WinHttp; GoCardless, TrueLayer, Adyen and Onfido
// webhook senders), other rates, burst shapes, campaign sizes and spreads, and single
// addresses and /24s from a pairing of ranges no other mix uses. Besides options of the
// other mixes (key_spray.madeUpShare, app_users.carrierNat, mimic.readShare/readS,
// slow_scraper.step) it uses two optional generator keys no other mix sets: slow scrapers
// behind a rotating proxy service (slow_scraper.proxies), and the app refreshing its home
// screen on a timer while a session lasts (app_users.refresh).
// Nothing may be tuned on it: not the engine, not its thresholds, not this file in response
// to the engine's figures, or it stops being held out. Run it with
//   node bench/abuse/run.mjs --scenario bench/abuse/heldout4.mjs
// Same shape and conventions as scenario.mjs (rates per second, times in seconds from the
// phase start, [a, b] a uniform draw per client, per burst or per request where said).
// Every class has at least 10 clients per trace, except the campaigns: one campaign each,
// of at least 100 addresses.

import benchmark from './scenario.mjs';

export default {
  name: 'heldout4',

  // Four seeds, none of the other mixes'.
  seeds: [41, 42, 43, 44],
  trainingSeedOffset: 1000,

  durationS: 90,

  // The benchmark's own settings, the same for every mix: the gateway and its engine
  // settings, the simulated customer's labels, the baselines (bench/abuse/scenario.mjs).
  gateway: benchmark.gateway,
  labels: benchmark.labels,
  baselines: benchmark.baselines,

  // Single clients in 127.200-254.x.x (heldout.mjs's hosts pool), whole /24s (campaigns,
  // low-and-slow, partners' egress) in 127.100-199.x.0/24 (the default mix's networks pool):
  // a pairing of ranges no other mix uses.
  addressPools: { hosts: [200, 254], networks: [100, 199] },

  // A retail bank's API. Third-party providers (budgeting apps, accounting software) read
  // accounts, balances, transactions, statements and beneficiaries and initiate payments
  // under /open-banking/v3.1 (aisp: account information, pisp: payment initiation); the
  // bank's mobile app has short routes under /app (the customer, a merchant directory,
  // transaction search, FX quotes, settings, support chat); card programme routes are under
  // /cards/v2. Card processors post authorisation batches to /ledger, payment schemes' and
  // KYC providers' webhooks go to /callbacks, customers sign in at /identity.
  api: {
    // Seven-digit account and card numbers, sparse: most numbers are no one's.
    maxId: 2400000,
    idDensity: 0.24,
    // Payment and consent ids, merchant slugs: a little under half of the made-up ones exist.
    slugDensity: 0.45,
    params: {
      acct: 'numeric', // accounts
      card: 'numeric', // cards
      pay: 'code', // payment ids: p7k2qx
      consent: 'code', // account-access consents
      merchant: 'slug', // merchant directory: gold-mug-3120
      month: [
        '2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06',
        '2024-07', '2024-08', '2024-09', '2024-10', '2024-11', '2024-12',
      ],
      pair: ['EUR-GBP', 'GBP-EUR', 'EUR-USD', 'GBP-USD', 'EUR-CHF', 'GBP-PLN', 'EUR-SEK'],
    },
    routes: [
      { w: 6, method: 'GET', path: '/open-banking/v3.1/aisp/accounts' },
      { w: 13, method: 'GET', path: '/open-banking/v3.1/aisp/accounts/:acct' },
      { w: 12, method: 'GET', path: '/open-banking/v3.1/aisp/accounts/:acct/balances' },
      {
        w: 12, method: 'GET', path: '/open-banking/v3.1/aisp/accounts/:acct/transactions',
        query: 'page', queryKey: 'pageNo',
      },
      { w: 2, method: 'GET', path: '/open-banking/v3.1/aisp/accounts/:acct/statements/:month' },
      { w: 2, method: 'GET', path: '/open-banking/v3.1/aisp/accounts/:acct/beneficiaries' },
      { w: 3, method: 'GET', path: '/open-banking/v3.1/aisp/account-access-consents/:consent' },
      // A customer withdrawing a provider's access.
      { w: 1, method: 'DELETE', path: '/open-banking/v3.1/aisp/account-access-consents/:consent' },
      {
        w: 3, method: 'POST', path: '/open-banking/v3.1/pisp/domestic-payment-consents',
        body: 'consent',
      },
      { w: 3, method: 'POST', path: '/open-banking/v3.1/pisp/domestic-payments', body: 'payment' },
      { w: 4, method: 'GET', path: '/open-banking/v3.1/pisp/domestic-payments/:pay' },
      { w: 6, method: 'GET', path: '/app/me' },
      { w: 4, method: 'GET', path: '/app/merchants', query: 'page', queryKey: 'pageNo' },
      { w: 6, method: 'GET', path: '/app/merchants/:merchant' },
      {
        w: 5, method: 'GET', path: '/app/transactions/search', query: 'search',
        queryKey: 'merchant',
      },
      { w: 4, method: 'GET', path: '/app/fx/quotes/:pair' },
      { w: 1, method: 'PUT', path: '/app/me/notification-settings', body: 'settings' },
      { w: 1, method: 'POST', path: '/app/support/messages', body: 'chat' },
      { w: 4, method: 'GET', path: '/cards/v2/cards/:card' },
      { w: 3, method: 'GET', path: '/cards/v2/cards/:card/transactions' },
      // Freezing and unfreezing a card, spending limits.
      { w: 2, method: 'PATCH', path: '/cards/v2/cards/:card/controls', body: 'controls' },
      { w: 1, method: 'GET', path: '/ledger/v1/settlement/status' },
    ],
    extraRoutes: [
      // The app's home screen (balances, recent transactions), which it refreshes.
      { method: 'GET', path: '/app/home/summary' },
      // Account holders' names, addresses and dates of birth: what a data thief is after.
      { method: 'GET', path: '/open-banking/v3.1/aisp/accounts/:acct/parties' },
      // Where the partners' webhooks arrive.
      { method: 'POST', path: '/callbacks/v2/scheme-events', status: 200 },
      { method: 'GET', path: '/platform/ping' },
    ],
    searchWords: [
      'tesco', 'uber', 'spotify', 'amazon', 'shell', 'ikea', 'netflix', 'lidl', 'deliveroo',
      'ryanair', 'boots', 'pret',
    ],
    // Card processors post batches of card authorisations here.
    ingest: { path: '/ledger/v1/card-authorisations/batches', body: 'authorisations' },
    // The app's and the web bank's sign-in: customers' usernames, not e-mail addresses.
    login: { path: '/identity/v1/customers/sign-in', users: 20000 },
    // me, list, browse, poll and ping are plain paths (no placeholders).
    paths: {
      me: '/app/me',
      list: '/app/merchants',
      detail: '/app/merchants/:merchant',
      browse: '/open-banking/v3.1/aisp/accounts',
      poll: '/ledger/v1/settlement/status',
      sync: '/cards/v2/cards/:card/transactions',
      ping: '/platform/ping',
      // Account holders first: what a data thief is after.
      walk: [
        '/open-banking/v3.1/aisp/accounts/:acct/parties',
        '/open-banking/v3.1/aisp/accounts/:acct/balances', '/cards/v2/cards/:card',
        '/open-banking/v3.1/aisp/account-access-consents/:consent',
      ],
      upload: ['/open-banking/v3.1/pisp/domestic-payment-consents', '/app/support/messages'],
      enumPrefixes: [
        '', '/open-banking', '/open-banking/v3.1', '/open-banking/v3.1/aisp', '/app', '/cards/v2',
        '/ledger/v1', '/internal/ops', '/mgmt',
      ],
    },
    bodies: {
      consent: { median: 1900, sigma: 0.3 }, // permissions, expiry, debtor and creditor
      payment: { median: 1250, sigma: 0.35 }, // a payment under a consent
      settings: { median: 420, sigma: 0.4 }, // notification switches
      chat: { median: 350, sigma: 0.9 }, // a message to support
      controls: { median: 110, sigma: 0.3 }, // { "frozen": true }, a limit
      authorisations: { median: 22000, sigma: 0.45 }, // a processor's batch
      scheme: { median: 1500, sigma: 0.5 }, // a webhook's event
    },
  },

  userAgents: {
    appIos: 'Lumen/8.12.0 (iPhone15,3; iOS 17.6; Scale/3.00)',
    appAndroid: 'LumenBank-Android/8.12.1 (Linux; Android 14; SM-S921B)',
    opera: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) ' +
      'Chrome/127.0.0.0 Safari/537.36 OPR/113.0.0.0',
    firefoxMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:128.0) Gecko/20100101 ' +
      'Firefox/128.0',
    ipad: 'Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 ' +
      '(KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
    chromeOs: 'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) ' +
      'Chrome/127.0.0.0 Safari/537.36',
    reqwest: 'reqwest/0.12.5',
    ureq: 'ureq/2.10.0',
    jersey: 'Jersey/3.1.7 (HttpUrlConnection 21.0.4)',
    symfony: 'Symfony HttpClient (Curl)',
    resty: 'go-resty/2.14.0 (https://github.com/go-resty/resty)',
    cxf: 'Apache-CXF/3.6.3',
    reactor: 'ReactorNetty/1.1.21',
    paw: 'Paw/3.4.0 (Macintosh; OS X/14.5.0) GCDHTTPRequest',
    thunder: 'Thunder Client (https://www.thunderclient.com)',
    // Attack tools (and the browsers, apps and libraries above, which attackers claim too).
    headlessWin: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 ' +
      '(KHTML, like Gecko) HeadlessChrome/127.0.6533.88 Safari/537.36',
    bingbot: 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
    sqlmap: 'sqlmap/1.8.7#stable (https://sqlmap.org)',
    nmap: 'Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)',
    gobuster: 'gobuster/3.6',
    feroxbuster: 'feroxbuster/2.10.4',
    nikto: 'Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:000001)',
    wfuzz: 'Wfuzz/3.1.0',
    colly: 'colly - https://github.com/gocolly/colly',
    mechanize: 'Mechanize/2.10.1 Ruby/3.3.4 (http://github.com/sparklemotion/mechanize/)',
    typhoeus: 'Typhoeus - https://github.com/typhoeus/typhoeus',
    superagent: 'node-superagent/3.8.3',
    java8: 'Java/1.8.0_411',
    winhttp: 'Mozilla/4.0 (compatible; Win32; WinHttp.WinHttpRequest.5)',
    // Webhook senders.
    gocardless: 'gocardless-webhook-service/1.1',
    truelayer: 'TrueLayer-Webhooks/1.0',
    adyen: 'Adyen-Notification-Service/1.0',
    onfido: 'Onfido-Webhooks/3.6',
  },
  uaMix: {
    benign: {
      opera: 12, firefoxMac: 8, chromeOs: 6, reqwest: 10, ureq: 6, jersey: 12, symfony: 10,
      resty: 10, cxf: 6, reactor: 8, paw: 3, thunder: 3,
    },
    attack: {
      opera: 10, firefoxMac: 8, chromeOs: 6, headlessWin: 10, java8: 10, superagent: 10,
      typhoeus: 10, mechanize: 8, colly: 8, winhttp: 6, reqwest: 6, resty: 4,
    },
  },

  classes: {
    // --- benign -----------------------------------------------------------------------
    // Third-party providers refreshing their customers' accounts, balances and transactions
    // and initiating payments: a spread of rates, accounts closed since the consent (404),
    // now and then a call with a key the provider has rotated out.
    steady: {
      benign: true, count: 16, rate: [0.25, 1.4], startS: [0, 20],
      staleIdShare: 0.025, authFailShare: 0.008,
    },
    // Card processors: a steady poll of the settlement status, and long, moderate bursts that
    // either post authorisation batches or reconcile cards' transactions card by card.
    batch: {
      benign: true, count: 11, pollRate: 0.08, burstRate: [8, 22], burstS: [10, 25],
      firstBurstS: [0, 20], gapS: [20, 40], staleIdShare: 0.015, ingestShare: 0.55,
      uaMix: { jersey: 30, reactor: 30, cxf: 20, resty: 20 },
    },
    // The risk team's warehouse export: accounts' balances in ascending order, slower and
    // longer syncs than the other mixes', short gaps; accounts closed since (404).
    etl: {
      benign: true, count: 10, pollRate: 0.04, burstRate: [6, 16], burstS: [12, 30],
      firstBurstS: [0, 35], gapS: [10, 25], staleIdShare: 0.015,
      template: '/open-banking/v3.1/aisp/accounts/:acct/balances',
      uaMix: { reqwest: 30, ureq: 20, jersey: 25, symfony: 25 },
    },
    // Branches and a call centre: many agents behind each address, on Chromebooks mostly,
    // some through the back office's own tooling.
    nat: {
      benign: true, gateways: 3, users: [6, 16], rate: [0.06, 0.5], startS: [0, 40],
      staleIdShare: 0.03, authFailShare: 0.015,
      uaMix: { chromeOs: 55, firefoxMac: 15, opera: 10, symfony: 20 },
    },
    // Payment schemes' and KYC providers' webhooks from wide egress pools (3-6 /24s, 12-40
    // addresses): frequent, very short bursts.
    partner: {
      benign: true, count: 13, networks: [3, 6], addresses: [12, 40], burstRate: [4, 16],
      burstS: [0.5, 2.5], firstBurstS: [0, 15], gapS: [2, 9],
      path: '/callbacks/v2/scheme-events', body: 'scheme',
      uaMix: { gocardless: 25, truelayer: 25, adyen: 25, onfido: 25 },
    },
    // The bank's app (iOS, Android) and the web bank: customers sign in, look at their
    // balance and a few transactions and leave; few mistype (saved passwords), some retry
    // only after a while. A fifth are on mobile data behind a carrier's NAT, and about half
    // leave the app open on its home screen, which reloads itself every 8-20 s.
    app_users: {
      benign: true, count: [75, 100], startS: [0, 80], mistypeShare: 0.08, retryS: [5, 30],
      thinkS: [0.3, 2], rate: [0.12, 0.7], sessionS: [10, 60], staleIdShare: 0.01,
      carrierNat: { share: 0.2, addresses: [2, 4] },
      refresh: { share: 0.45, path: '/app/home/summary', everyS: [8, 20] },
      uaMix: { appIos: 40, appAndroid: 35, ipad: 10, opera: 8, firefoxMac: 7 },
    },

    // --- attacks ----------------------------------------------------------------------
    key_guessing: {
      benign: false, count: 10, rate: [1.5, 9], startS: [0, 55], lengthS: [8, 30],
      uaMix: { winhttp: 25, superagent: 25, typhoeus: 25, java8: 25 },
    },
    // Providers' keys leaked from a breached aggregator: longer lists, fewer still valid.
    credential_stuffing: {
      benign: false, count: 10, rate: [0.4, 2.2], startS: [0, 40], lengthS: [30, 70],
      keysPerClient: 24, validShare: 0.2,
    },
    // Directory busters and walkers; the walkers go number by number (most are no one's).
    scraping: {
      benign: false, count: 13, enumerateShare: 0.45, rate: [0.9, 4], startS: [0, 45],
      normalShare: 0.15,
      uaMix: {
        feroxbuster: 15, gobuster: 12, nikto: 8, wfuzz: 10, bingbot: 15, headlessWin: 15,
        colly: 10, opera: 15,
      },
    },
    // Account holders, card transactions and payments, one or two templates, wide gaps over
    // sparse numbers; half of them through a rotating proxy service (3-8 exit addresses).
    slow_scraper: {
      benign: false, count: 11, rate: [0.15, 0.7], startS: [0, 30], step: [3, 12],
      templates: [
        '/open-banking/v3.1/aisp/accounts/:acct/parties', '/cards/v2/cards/:card/transactions',
        '/open-banking/v3.1/pisp/domestic-payments/:pay',
      ],
      proxies: { share: 0.5, addresses: [3, 8] },
      uaMix: { colly: 30, bingbot: 15, mechanize: 25, headlessWin: 30 },
    },
    // The merchant directory harvested by desktop and tablet browsers: merchants in order,
    // human-looking gaps, now and then a short read, many other calls.
    mimic: {
      benign: false, count: 11, startS: [0, 30], gapS: [0.7, 3.5], otherShare: 0.3,
      pageShare: 0.04, readShare: 0.08, readS: [5, 14],
      uaMix: { opera: 30, firefoxMac: 25, ipad: 25, chromeOs: 20 },
    },
    // Six /24s, three addresses each, faster than the other mixes'.
    low_and_slow: {
      benign: false, networks: 6, addresses: 3, meanIntervalS: [6, 18], startS: [0, 30],
      uaMix: { nmap: 25, winhttp: 25, java8: 25, chromeOs: 25 },
    },
    // Through the app, most copying its User-Agents.
    login_stuffing: {
      benign: false, count: 11, rate: [0.35, 2.5], startS: [0, 45], lengthS: [20, 55],
      correctShare: 0.018,
      uaMix: {
        appIos: 25, appAndroid: 20, opera: 15, ipad: 10, typhoeus: 10, java8: 10, winhttp: 10,
      },
    },
    // Datacenter proxies: fewer addresses than the other mixes', 3-7 in each /24, more
    // attempts each, the app's User-Agents mostly.
    login_campaign: {
      benign: false, campaigns: 1, addresses: [140, 180], perNetwork: [3, 7], attempts: [3, 8],
      startS: [5, 30], lengthS: [35, 55], correctShare: 0.02,
      uaMix: { appIos: 30, appAndroid: 30, opera: 15, ipad: 15, firefoxMac: 10 },
    },
    // Residential proxies: many addresses, one or two per /24, one or two tries each, over
    // a short campaign; revoked keys, dormant accounts' and a few made-up ones.
    key_spray: {
      benign: false, campaigns: 1, addresses: [240, 300], perNetwork: [1, 2], requests: [1, 2],
      validShare: 0.35, madeUpShare: 0.12, startS: [10, 30], lengthS: [30, 50],
      uaMix: { reqwest: 20, superagent: 20, typhoeus: 20, java8: 20, resty: 20 },
    },
    // Payment consents and support messages of hundreds of KB (bodies of 2 KB and less).
    oversized: {
      benign: false, count: 11, rate: [0.4, 1.6], startS: [0, 45], oversizedShare: 0.2,
      bytes: [48000, 450000],
      uaMix: { sqlmap: 20, wfuzz: 15, superagent: 20, java8: 15, opera: 15, reqwest: 15 },
    },
  },
};
