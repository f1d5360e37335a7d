// The seventh held-out mix of the abuse benchmark: written from scratch, without the engine's
// code or results in view, and different in structure from scenario.mjs, heldout.mjs,
// heldout2.mjs, heldout3.mjs, heldout4.mjs, heldout5.mjs and heldout6.mjs, not only in seeds:
// another API (a telecom messaging and voice platform's, a CPaaS: SMS, MMS and chat messages,
// calls, conversations and one-time-password verifications addressed by UUIDs, under an API
// version that is a date (/2024-11-01); phone number lookups and caller names by E.164
// numbers of up to eleven digits, which anyone can enumerate; sub-accounts by short code
// with their numbers nested under them (two records in one path) and their usage per day;
// contacts by ids the customers choose, created with PUT (201, or 409 when the contact is
// there already); WhatsApp-style message templates by slug; prices per channel and country;
// daily call detail records; bulk SMS campaigns as the batch ingest; carriers' and
// aggregators' delivery receipts as the webhooks; the platform's contact-centre desk app's
// sign-on for its agents), other User-Agents (the platform's own SDKs in seven languages,
// its desk app on macOS, Windows, iOS and Android, Salesforce callouts, Zapier, HubSpot,
// Asterisk and FreeSWITCH PBXs, Fivetran and a Singer tap, Chrome, Edge and Safari 18.4,
// Firefox 136; attackers with SMS-API key checkers, SilverBullet, a caller-name harvester,
// SemrushBot, PetalBot and DataForSeoBot spoofed, headless Chrome 134, WhatWeb, Jorgee,
// LeakIX, Odin, Netcraft and InternetMeasurement scanners, k6 and Postman; Sinch, Infobip,
// Telnyx, Kaleyra, Syniverse and Bandwidth delivery-receipt senders), other rates, burst
// shapes, durations, campaign sizes and spreads, and single addresses and /24s from ranges
// whose bounds no other mix uses. Honest clients here get many 404s and 409s on purpose (they
// probe for or create contacts of their own) and page through lists in order as fast as the
// answers come; honest ETL jobs walk phone numbers in ascending order, as number harvesters
// do; stuffed keys are resold for SMS pumping with messages of an honest size. Besides
// options of the other mixes (app_users.carrierNat and .refresh, credential_stuffing.resale,
// key_guessing.foreignShare, key_spray.madeUpShare, mimic.readShare/readS, scraping.step and
// .fanout, slow_scraper.proxies), it uses the uuid reference kind, an upstream route flag and
// two optional generator keys no other mix sets:
//   api.params 'uuid'         records named by UUIDs (version 4 shape): an index gives a UUID
//                             through a bijective hash, a fixed hash says which exist
//                             (api.uuidDensity);
//   route `create: true`      the upstream creates the record the last placeholder names: 201
//                             if it is new, 409 if it exists (the others must exist, else 404);
//   steady.paging, nat.paging a share of the users page through a list now and then: pages
//                             1, 2, ... n in order, each as soon as the last one's answer came;
//   etl.upsert                a share of the ETL jobs push contacts of their own by ids they
//                             chose, in ascending order: half of them GET each first (404 for
//                             the new ones) and PUT only the new ones, the others PUT every
//                             one (409 for those already there).
// Nothing may be tuned on it: not the engine, not its thresholds, not this file in response
// to the engine's figures, or it stops being held out. Run it with
//   node bench/abuse/run.mjs --scenario bench/abuse/heldout7.mjs
// Same shape and conventions as scenario.mjs (rates per second, times in seconds from the
// phase start, [a, b] a uniform draw per client, per burst or per request where said).
// Every class has at least 10 clients per trace, except the campaigns: one campaign each,
// of at least 100 addresses.

import benchmark from './scenario.mjs';

const V = '/2024-11-01';
const LOOKUP = '/lookup/v2/phone-numbers/:num';
const CONTACT = `${V}/contacts/:contact`;

export default {
  name: 'heldout7',

  // Four seeds, none of the other mixes'.
  seeds: [71, 72, 73, 74],
  trainingSeedOffset: 1000,

  durationS: 90,

  // The benchmark's own settings, the same for every mix: the gateway and its engine
  // settings, the simulated customer's labels, the baselines (bench/abuse/scenario.mjs).
  gateway: benchmark.gateway,
  labels: benchmark.labels,
  baselines: benchmark.baselines,

  // Single clients in 127.41-137.x.x, whole /24s (campaigns, low-and-slow, partners' egress)
  // in 127.231-252.x.0/24. The other mixes' bounds are 2, 15, 16, 30, 89, 99, 100, 150, 199,
  // 200, 229 and 254; these are none of them, and the two pools are disjoint. Single clients
  // straddle the default mix's and heldout2's host/network splits at 99/100; the /24s sit
  // inside the range heldout3's and heldout5's /24s came from, away from its bounds.
  addressPools: { hosts: [41, 137], networks: [231, 252] },

  // A communications platform's API. Messaging, voice, conversations, contacts, templates,
  // sub-accounts, pricing and reports under a dated version (/2024-11-01); number lookups
  // under /lookup/v2; one-time passwords under /verify/v3. Customers' bulk campaigns post to
  // /2024-11-01/messages/bulk (the ingest); carriers and aggregators push delivery receipts
  // to /hooks/v1/carrier-dlr; the desk app's agents sign on at /desk/v2.
  api: {
    // Phone numbers as E.164 digits without the plus (up to eleven digits), three in ten in
    // service.
    maxId: 19999999999,
    idDensity: 0.3,
    // Sub-accounts and contacts (short codes), templates (slugs).
    slugDensity: 0.4,
    // Messages, calls, conversations and verifications (UUIDs): most of the made-up exist.
    uuidDensity: 0.62,
    params: {
      msg: 'uuid',
      call: 'uuid',
      conv: 'uuid',
      vid: 'uuid',
      num: 'numeric',
      acct: 'code', // sub-accounts: k3v9qz
      contact: 'code', // a customer's own contact ids
      tpl: 'slug', // message templates: rose-bag-2210
      day: [
        '2025-02-17', '2025-02-18', '2025-02-19', '2025-02-20', '2025-02-21', '2025-02-22',
        '2025-02-23', '2025-02-24', '2025-02-25', '2025-02-26', '2025-02-27', '2025-02-28',
      ],
      country: ['us', 'ca', 'gb', 'de', 'fr', 'in', 'br', 'mx', 'ng', 'ph', 'id', 'au', 'za'],
      channel: ['sms', 'mms', 'whatsapp', 'rcs', 'voice'],
    },
    routes: [
      { w: 7, method: 'GET', path: `${V}/messages`, query: 'page', queryKey: 'page_number' },
      { w: 14, method: 'GET', path: `${V}/messages/:msg` },
      { w: 4, method: 'GET', path: `${V}/messages/:msg/receipts` },
      { w: 16, method: 'POST', path: `${V}/messages`, body: 'sms' },
      { w: 4, method: 'POST', path: `${V}/calls`, body: 'call' },
      { w: 4, method: 'GET', path: `${V}/calls/:call` },
      { w: 1, method: 'GET', path: `${V}/calls/:call/recording` },
      { w: 1, method: 'POST', path: `${V}/calls/:call/transfer`, body: 'transfer' },
      { w: 3, method: 'GET', path: `${V}/conversations` },
      { w: 4, method: 'GET', path: `${V}/conversations/:conv/messages`, query: 'page', queryKey: 'page_number' },
      { w: 3, method: 'POST', path: `${V}/conversations/:conv/messages`, body: 'sms' },
      { w: 9, method: 'GET', path: LOOKUP },
      { w: 2, method: 'GET', path: `${LOOKUP}/caller-name` },
      { w: 6, method: 'POST', path: '/verify/v3/verifications', body: 'otp' },
      { w: 5, method: 'POST', path: '/verify/v3/verifications/:vid/check', body: 'check' },
      { w: 2, method: 'GET', path: `${V}/accounts/:acct/numbers`, query: 'page', queryKey: 'page_number' },
      { w: 2, method: 'GET', path: `${V}/accounts/:acct/numbers/:num` },
      { w: 1, method: 'PATCH', path: `${V}/accounts/:acct`, body: 'settings' },
      { w: 2, method: 'GET', path: `${V}/accounts/:acct/usage/:day` },
      { w: 2, method: 'GET', path: `${V}/available-numbers/:country`, query: 'search', queryKey: 'contains' },
      { w: 2, method: 'GET', path: `${V}/pricing/:channel/:country` },
      { w: 3, method: 'GET', path: `${V}/templates/:tpl` },
      { w: 3, method: 'GET', path: CONTACT },
      { w: 1, method: 'DELETE', path: CONTACT },
      { w: 1, method: 'GET', path: `${V}/reports/cdr/:day` },
      { w: 2, method: 'GET', path: `${V}/accounts/self/balance` },
      { w: 1, method: 'GET', path: `${V}/keys/current` },
    ],
    extraRoutes: [
      // Contacts created by the customer's own id: 201, or 409 if it is there already.
      { method: 'PUT', path: CONTACT, create: true, status: 201 },
      // The desk app's agent queue (it reloads on a timer).
      { method: 'GET', path: '/desk/v2/agents/me/queue' },
      // Where carriers' delivery receipts arrive.
      { method: 'POST', path: '/hooks/v1/carrier-dlr', status: 200 },
      { method: 'GET', path: '/status/v1/ping' },
    ],
    // Vanity searches among available numbers.
    searchWords: ['415', '212', '800', '7700', '0301', '555', '2020', '888', 'cafe', 'taxi', 'pizza', '24'],
    // Bulk SMS campaigns: a few hundred recipients a batch.
    ingest: { path: `${V}/messages/bulk`, body: 'bulk' },
    // The desk app's agents: e-mail addresses.
    login: { path: '/desk/v2/agents/sign-on', users: 12000, userStyle: 'email', domain: 'relaywave-desk.example' },
    paths: {
      me: `${V}/keys/current`,
      list: `${V}/messages`,
      detail: LOOKUP,
      browse: `${V}/conversations`,
      poll: `${V}/accounts/self/balance`,
      // Delivery-receipt reconcilers walk messages.
      sync: `${V}/messages/:msg`,
      ping: '/status/v1/ping',
      // Caller names and carriers of numbers in a row, and messages by (leaked) UUID.
      walk: [`${LOOKUP}/caller-name`, LOOKUP, `${V}/messages/:msg`],
      upload: [`${V}/messages`, '/verify/v3/verifications'],
      enumPrefixes: [
        '', V, '/2010-04-01', '/lookup/v2', '/verify/v3', '/desk/v2', '/hooks', '/sip', '/ops',
        '/internal/v1',
      ],
    },
    bodies: {
      sms: { median: 380, sigma: 0.45 }, // a message, its sender, options
      call: { median: 640, sigma: 0.35 }, // a call and its call-flow URL
      transfer: { median: 260, sigma: 0.4 },
      otp: { median: 170, sigma: 0.25 },
      check: { median: 80, sigma: 0.2 },
      settings: { median: 520, sigma: 0.5 },
      contact: { median: 780, sigma: 0.55 },
      bulk: { median: 42000, sigma: 0.55 }, // a bulk campaign's recipients
      dlr: { median: 950, sigma: 0.5 }, // a batch of delivery receipts
    },
  },

  userAgents: {
    // Browsers on the console, the desk app, the platform's SDKs, integrations, PBXs.
    chromeWin134: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 ' +
      '(KHTML, like Gecko) Chrome/134.0.0.0 Safari/537.36',
    chromeMac134: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 ' +
      '(KHTML, like Gecko) Chrome/134.0.0.0 Safari/537.36',
    edgeWin134: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 ' +
      '(KHTML, like Gecko) Chrome/134.0.0.0 Safari/537.36 Edg/134.0.3124.68',
    safariMac184: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 ' +
      '(KHTML, like Gecko) Version/18.4 Safari/605.1.15',
    firefoxUbuntu136: 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:136.0) Gecko/20100101 Firefox/136.0',
    iphone184: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_4 like Mac OS X) AppleWebKit/605.1.15 ' +
      '(KHTML, like Gecko) Version/18.4 Mobile/15E148 Safari/604.1',
    android134: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) ' +
      'Chrome/134.0.0.0 Mobile Safari/537.36',
    deskMac: 'RelaywaveDesk/8.4.2 (Macintosh; macOS 15.3.2) Electron/34.3.0',
    deskWin: 'RelaywaveDesk/8.4.2 (Windows NT 10.0; Win64; x64) Electron/34.3.0',
    deskIos: 'RelaywaveDesk/8.4.0 (com.relaywave.desk; build:84017; iPhone16,1; iOS 18.3.2) ' +
      'CFNetwork/3826.400.120 Darwin/24.3.0',
    deskAndroid: 'RelaywaveDesk-Android/8.4.1 (Android 15; SM-A566B) okhttp/4.12.0',
    sdkPy: 'relaywave-python/3.8.2 (Python 3.12.9; Linux x86_64)',
    sdkNode: 'relaywave-node/4.11.0 (node v22.14.0; linux x64)',
    sdkJava: 'relaywave-java/2.19.1 (Java 21.0.6; Linux amd64)',
    sdkGo: 'relaywave-go/1.27.0 (go1.24.1; linux/amd64)',
    sdkRuby: 'relaywave-ruby/2.4.0 (ruby 3.4.2; x86_64-linux)',
    sdkPhp: 'relaywave-php/5.2.1 (PHP 8.4.5; Linux)',
    sdkDotnet: 'relaywave-dotnet/6.1.0 (.NET 9.0.3; Microsoft Windows 10.0.20348)',
    salesforce: 'SFDC-Callout/63.0',
    zapier: 'Zapier',
    hubspot: 'HubSpot Connect 2.0 (http://dev.hubspot.com/)',
    asterisk: 'asterisk-libcurl-agent/1.0',
    freeswitch: 'FreeSWITCH-mod_curl/1.10.12',
    fivetran: 'Fivetran',
    singer: 'tap-relaywave/0.9.3 singer-sdk/0.44.3',
    httpx0272: 'python-httpx/0.27.2',
    aiohttp311: 'Python/3.13 aiohttp/3.11.13',
    undici7: 'undici/7.5.0',
    javaHttp216: 'Java-http-client/21.0.6',
    // Attack tools (and the browsers, apps and SDKs above, which attackers claim too).
    requests225: 'python-requests/2.25.1',
    aiohttp37: 'Python/3.9 aiohttp/3.7.4',
    curl781: 'curl/7.81.0',
    wget1203: 'Wget/1.20.3 (linux-gnu)',
    postman: 'PostmanRuntime/7.43.0',
    k6: 'k6/0.57.0 (https://k6.io/)',
    headless134: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) ' +
      'HeadlessChrome/134.0.0.0 Safari/537.36',
    semrush: 'Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)',
    petal: 'Mozilla/5.0 (compatible;PetalBot;+https://webmaster.petalsearch.com/site/petalbot)',
    dataforseo: 'Mozilla/5.0 (compatible; DataForSeoBot/1.0; +https://dataforseo.com/dataforseo-bot)',
    cnamHarvester: 'cnam-bulk-lookup/1.4 (+aiohttp)',
    smsKeyChecker: 'sms-api-key-checker/2.0 (multi-provider; python-requests)',
    silverBullet: 'SilverBullet/1.1.4',
    whatweb: 'WhatWeb/0.5.5',
    jorgee: 'Mozilla/5.0 Jorgee',
    leakix: 'Mozilla/5.0 (l9scan/2.0.; +https://leakix.net)',
    odin: 'Mozilla/5.0 (compatible; Odin; https://docs.getodin.com/)',
    netcraft: 'Mozilla/5.0 (compatible; NetcraftSurveyAgent/1.0; +info@netcraft.com)',
    measurement: 'Mozilla/5.0 (compatible; InternetMeasurement/1.0; +https://internet-measurement.com/)',
    // Delivery-receipt senders.
    sinch: 'Sinch-Callbacks/2.3',
    infobip: 'Infobip-Notify/1.8',
    telnyx: 'Telnyx-Webhooks/2.0 (+https://telnyx.com)',
    kaleyra: 'Kaleyra-DLR-Push/3.1',
    syniverse: 'Syniverse-Messaging-Callback/4.2',
    bandwidth: 'Bandwidth-Callbacks/1.0',
  },
  uaMix: {
    benign: {
      sdkPy: 12, sdkNode: 12, sdkJava: 8, sdkGo: 6, sdkRuby: 4, sdkPhp: 6, sdkDotnet: 5,
      salesforce: 6, zapier: 5, hubspot: 4, asterisk: 3, freeswitch: 3, chromeWin134: 8,
      chromeMac134: 5, edgeWin134: 4, safariMac184: 4, firefoxUbuntu136: 2, httpx0272: 3,
      undici7: 3, javaHttp216: 2,
    },
    attack: {
      requests225: 14, aiohttp37: 12, curl781: 8, wget1203: 4, postman: 6, headless134: 10,
      chromeWin134: 8, safariMac184: 4, sdkPy: 8, sdkNode: 8, javaHttp216: 6, undici7: 6,
      k6: 6,
    },
  },

  classes: {
    // --- benign -----------------------------------------------------------------------
    // Customers' back ends: CRMs, helpdesks, appointment reminders, 2FA senders, PBXs.
    // A third of them export their message log now and then: pages 1 to 6-28 in order, as
    // fast as the answers come. Messages purged since (404), a rotated key now and then.
    steady: {
      benign: true, count: 26, rate: [0.1, 1.3], startS: [0, 30],
      staleIdShare: 0.05, authFailShare: 0.006,
      paging: {
        share: 0.35, path: `${V}/messages`, queryKey: 'page_number', pages: [6, 28],
        pageMs: [150, 650], everyS: [15, 45],
      },
    },
    // Bulk SMS campaigns (recipients to the ingest) and delivery-receipt reconcilers walking
    // messages: long, slow-ish bursts, a rare balance poll.
    batch: {
      benign: true, count: 12, pollRate: 0.05, burstRate: [5, 18], burstS: [8, 20],
      firstBurstS: [0, 35], gapS: [12, 30], staleIdShare: 0.02, ingestShare: 0.55,
      uaMix: { sdkPy: 25, sdkJava: 20, sdkGo: 20, aiohttp311: 20, httpx0272: 15 },
    },
    // Data jobs. Three fifths push CRM contacts by their own ids, a third of those new:
    // half probe each first (404 for the new ones, then a PUT), half PUT every one (409 for
    // the ones there already). The others check their customers' numbers in ascending order
    // at a lookup a record. Short fast syncs, short gaps.
    etl: {
      benign: true, count: 14, pollRate: 0.03, burstRate: [6, 25], burstS: [4, 10],
      firstBurstS: [0, 20], gapS: [8, 25], staleIdShare: 0.01,
      template: LOOKUP,
      upsert: {
        share: 0.6, write: { method: 'PUT', path: CONTACT, body: 'contact' }, probe: CONTACT,
        newShare: 0.35, probeShare: 0.5, afterMs: [40, 300],
      },
      uaMix: { fivetran: 25, singer: 20, salesforce: 20, hubspot: 15, sdkPy: 20 },
    },
    // Contact centres: agents behind each centre's egress on the desk app or the console;
    // a quarter export a sub-account's numbers page by page now and then.
    nat: {
      benign: true, gateways: 5, users: [3, 9], rate: [0.05, 0.45], startS: [0, 35],
      staleIdShare: 0.04, authFailShare: 0.01,
      paging: {
        share: 0.25, path: `${V}/accounts/:acct/numbers`, queryKey: 'page_number', pages: [3, 15],
        pageMs: [300, 1200], everyS: [25, 60],
      },
      uaMix: { deskWin: 40, deskMac: 20, chromeWin134: 25, edgeWin134: 15 },
    },
    // Carriers and aggregators pushing delivery receipts from wide egress pools (2-5 /24s,
    // 10-40 addresses): short spiky bursts with short gaps.
    partner: {
      benign: true, count: 11, networks: [2, 5], addresses: [10, 40], burstRate: [4, 16],
      burstS: [1, 4], firstBurstS: [0, 10], gapS: [2, 12],
      path: '/hooks/v1/carrier-dlr', body: 'dlr',
      uaMix: { sinch: 18, infobip: 18, telnyx: 16, kaleyra: 16, syniverse: 16, bandwidth: 16 },
    },
    // The desk app's agents through the app's key: they sign on (nearly one in five mistype
    // their password first: agents on shift change), two fifths keep the queue open (it
    // reloads every 5-15 s); a third are on mobile data behind a carrier's NAT.
    app_users: {
      benign: true, count: [60, 80], startS: [0, 60], mistypeShare: 0.18, retryS: [2, 14],
      thinkS: [1, 6], rate: [0.05, 0.35], sessionS: [20, 90], staleIdShare: 0.03,
      carrierNat: { share: 0.35, addresses: [2, 4] },
      refresh: { share: 0.4, path: '/desk/v2/agents/me/queue', everyS: [5, 15] },
      uaMix: { deskIos: 30, deskAndroid: 30, deskMac: 10, deskWin: 10, iphone184: 10, android134: 10 },
    },

    // --- attacks ----------------------------------------------------------------------
    // Key checkers run over dumps of config files: about one in seven in other providers' formats.
    key_guessing: {
      benign: false, count: 10, rate: [0.5, 5], startS: [0, 60], lengthS: [10, 40],
      foreignShare: 0.15,
      uaMix: { smsKeyChecker: 35, requests225: 25, curl781: 20, postman: 20 },
    },
    // Keys lifted from public repositories and mobile apps; those that work send SMS
    // pumping traffic (messages of an honest size, to premium ranges).
    credential_stuffing: {
      benign: false, count: 10, rate: [0.6, 3], startS: [0, 35], lengthS: [35, 70],
      keysPerClient: 24, validShare: 0.4,
      resale: { share: 0.7, path: `${V}/messages`, body: 'sms' },
      uaMix: { requests225: 25, aiohttp37: 25, sdkPy: 20, sdkNode: 15, k6: 15 },
    },
    // Path scanners, and walkers of caller names, numbers and (leaked) message UUIDs with
    // random gaps of 1-5; two fifths of the walkers fan out over 2-5 workers behind 15-40
    // proxy exits, 4-10 consecutive requests an exit.
    scraping: {
      benign: false, count: 13, enumerateShare: 0.35, rate: [1, 4.5], startS: [0, 40],
      normalShare: 0.15, step: [1, 5],
      fanout: { share: 0.4, workers: [2, 5], chunk: [4, 10], exits: [15, 40] },
      uaMix: {
        cnamHarvester: 20, headless134: 15, whatweb: 15, jorgee: 10, aiohttp37: 20, chromeWin134: 20,
      },
    },
    // Caller-name and carrier harvesters: numbers in a row with gaps of 2-9, slowly; a third
    // through a few proxy exits.
    slow_scraper: {
      benign: false, count: 12, rate: [0.1, 0.6], startS: [0, 25], step: [2, 9],
      templates: [`${LOOKUP}/caller-name`, LOOKUP, `${V}/messages/:msg`],
      proxies: { share: 0.35, addresses: [3, 8] },
      uaMix: { semrush: 25, petal: 25, dataforseo: 25, cnamHarvester: 25 },
    },
    // Browsers harvesting number lookups in order through the console, reading now and then.
    mimic: {
      benign: false, count: 11, startS: [0, 20], gapS: [1, 4.5], otherShare: 0.12,
      pageShare: 0.08, readShare: 0.08, readS: [4, 20],
      template: LOOKUP,
      uaMix: { chromeWin134: 30, chromeMac134: 20, edgeWin134: 15, safariMac184: 20, firefoxUbuntu136: 15 },
    },
    // Eight /24s, four addresses each, slow.
    low_and_slow: {
      benign: false, networks: 8, addresses: 4, meanIntervalS: [10, 22], startS: [0, 40],
      uaMix: { leakix: 25, odin: 25, netcraft: 25, measurement: 25 },
    },
    // Through the desk app's key, most copying the app.
    login_stuffing: {
      benign: false, count: 11, rate: [0.3, 2.2], startS: [0, 45], lengthS: [25, 70],
      correctShare: 0.025,
      uaMix: { silverBullet: 30, deskIos: 20, deskAndroid: 20, android134: 15, requests225: 15 },
    },
    // A wide, thin campaign: 1-3 addresses per /24, 1-4 attempts each, over 30-55 s.
    login_campaign: {
      benign: false, campaigns: 1, addresses: [160, 230], perNetwork: [1, 3], attempts: [1, 4],
      startS: [10, 30], lengthS: [30, 55], correctShare: 0.02,
      uaMix: { deskAndroid: 35, deskIos: 30, android134: 20, iphone184: 15 },
    },
    // Keys from leaked config files sprayed from rented servers: revoked ones, dormant
    // accounts' and some made-up, 1-3 tries each over nearly the whole phase.
    key_spray: {
      benign: false, campaigns: 1, addresses: [120, 170], perNetwork: [2, 7], requests: [1, 3],
      validShare: 0.4, madeUpShare: 0.12, startS: [0, 15], lengthS: [55, 75],
      uaMix: { sdkPy: 25, sdkNode: 20, requests225: 25, curl781: 15, undici7: 15 },
    },
    // MMS with media inlined: messages of 120-650 KB (a few hundred bytes honestly).
    oversized: {
      benign: false, count: 10, rate: [0.15, 1], startS: [0, 50], oversizedShare: 0.25,
      bytes: [120000, 650000],
      uaMix: { k6: 25, postman: 20, aiohttp37: 20, sdkNode: 20, javaHttp216: 15 },
    },
  },
};
