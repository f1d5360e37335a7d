// The eighth held-out mix of the abuse benchmark: written from scratch, without the engine's
// code or results in view, and different in structure from scenario.mjs, heldout.mjs,
// heldout2.mjs, heldout3.mjs, heldout4.mjs, heldout5.mjs, heldout6.mjs and heldout7.mjs, not
// only in seeds: another API (an airline's retailing and distribution API, the kind it sells
// to travel agencies, online travel agencies, metasearch engines and corporate booking tools:
// air shopping and offer pricing as POSTs of a few KB, offers and their seat maps by UUIDs
// that expire within minutes (so honest clients meet many 404s), a low-fare cache addressed
// by market, travel day and cabin (three lists of names in one path, every combination of
// which exists, so that a fare harvester never meets a 404), orders by six-character record
// locators with their receipts as PDFs, check-in and boarding passes per passenger (a code
// and a number of a list in one path), flight status by flight number and day, loyalty
// members by sparse nine-digit numbers with their activity and redemptions, seat holds,
// corporate travellers' profiles created with PUT by the tool's own ids (201, or 409 when the
// profile is there already), destination guides by slug, airports by code; tour operators'
// group name lists as the batch ingest; GDS and interline partners' order and ticketing
// notifications as the webhooks; the frequent-flyer app's sign-in by e-mail), other
// User-Agents (the airline's own NDC SDKs, its iOS and Android app and its agent desktop,
// booking engines, corporate booking tools, GDS and mid-office connectors, metasearch fare
// cache refreshers, Chrome 137, Edge 137, Safari 18.5, Firefox 139, Samsung Internet 28 and
// Chrome on iPad; attackers with fare scrapers, a loyalty account checker, a PNR grabber,
// spoofed MJ12bot, BLEXbot, SeznamBot and Baiduspider, headless Chrome 137, Katana-style and
// Shadowserver, BinaryEdge and Onyphe scanners, Hey, Vegeta and Artillery; Amadeus,
// Sabre, Travelport, ATPCO, SITA and ARC notification senders), other rates, burst shapes,
// durations, campaign sizes and spreads, and single addresses and /24s from ranges whose
// bounds no other mix uses. Honest clients here look like scrapers on purpose: metasearch
// partners refresh their fare caches by walking every market, day and cabin in order at
// tens of requests a second, a co-brand card issuer walks loyalty member numbers in
// ascending order, GDS connectors send through pools of workers as fast as the answers
// come, agencies page through their orders, travellers on airport Wi-Fi share an address
// and their app reloads the trip's live status on a timer. Attackers harvest the same fare
// grid slowly (some through rotating proxies), walk member numbers with gaps, enumerate
// record locators, receipts and boarding passes (half of them fanned out over proxy exits),
// read orders one by one dressed as a browser, stuff the frequent-flyer sign-in through the
// app's key from one address or a wide campaign, spray leaked agency keys one per address,
// and spin seats: keys stuffed from booking widgets are used to hold seats they never pay
// for. Besides options of the other mixes (steady.paging, batch.closedLoop,
// etl.upsert, app_users.carrierNat and .refresh, credential_stuffing.resale,
// key_guessing.foreignShare, key_spray.madeUpShare, mimic.readShare/readS, scraping.step and
// .fanout, slow_scraper.step and .proxies), it uses one optional generator key no other mix
// sets:
//   etl.grid, slow_scraper.grid
//                             a share of the jobs (fare cache refreshers) or of the slow
//                             scrapers (fare harvesters) ask for every combination of a
//                             template's lists of names in odometer order (market, then
//                             day, then cabin turning fastest), from a combination drawn
//                             once, where the others ask for their next record.
// Nothing may be tuned on it: not the engine, not its thresholds, not this file in response
// to the engine's figures, or it stops being held out. Run it with
//   node bench/abuse/run.mjs --scenario bench/abuse/heldout8.mjs
// Same shape and conventions as scenario.mjs (rates per second, times in seconds from the
// phase start, [a, b] a uniform draw per client, per burst or per request where said).
// Every class has at least 10 clients per trace, except the campaigns: one campaign each,
// of at least 100 addresses.

import benchmark from './scenario.mjs';

const LOWFARES = '/shop/v3/lowfares/:market/:day/:cabin';
const ORDER = '/orders/v1/orders/:pnr';
const MEMBER = '/loyalty/v1/members/:member';
const TRAVELLER = '/profiles/v1/travellers/:traveller';

export default {
  name: 'heldout8',

  // Four seeds, none of the other mixes'.
  seeds: [81, 82, 83, 84],
  trainingSeedOffset: 1000,

  durationS: 90,

  // The benchmark's own settings, the same for every mix: the gateway and its engine
  // settings, the simulated customer's labels, the baselines (bench/abuse/scenario.mjs).
  gateway: benchmark.gateway,
  labels: benchmark.labels,
  baselines: benchmark.baselines,

  // Single clients in 127.163-218.x.x, whole /24s (campaigns, low-and-slow, partners'
  // egress) in 127.58-121.x.0/24. The other mixes' bounds are 2, 15, 16, 30, 41, 89, 99,
  // 100, 137, 150, 199, 200, 229, 231, 252 and 254; these are none of them, and the two pools
  // are disjoint. The /24s straddle the default mix's and heldout2's host/network split at
  // 99/100 and sit where heldout7's single clients were; the single clients sit where
  // heldout5's and heldout6's were, across the 199/200 split.
  addressPools: { hosts: [163, 218], networks: [58, 121] },

  // An airline's retailing API. Shopping and offers under /offers/v2, the low-fare cache
  // under /shop/v3, orders under /orders/v1, check-in under /checkin/v1, flight status under
  // /ops/v1, the frequent-flyer programme under /loyalty/v1, corporate traveller profiles
  // under /profiles/v1, reference data and content under /ref/v1 and /content/v1, the
  // agency's own key and queues under /agency/v1. Tour operators post group name lists to
  // /groups/v1/name-lists (the ingest); GDS and interline partners push notifications to
  // /interline/v1/notifications; the app's members sign in at /loyalty/v1/auth/sign-in.
  api: {
    // Loyalty member numbers: nine digits, one in four issued.
    maxId: 999999999,
    idDensity: 0.25,
    // Record locators and traveller profiles (short codes), destination guides (slugs):
    // about half of the well-shaped ones exist.
    slugDensity: 0.45,
    // Offers (UUIDs): they expire within minutes, so a bit over half of the ones clients
    // hold are still there.
    uuidDensity: 0.55,
    params: {
      offer: 'uuid',
      pnr: 'code', // record locators: q7k2zx
      traveller: 'code', // a corporate tool's own traveller ids
      member: 'numeric',
      guide: 'slug', // destination guides: sand-vase-4821
      market: [
        'LHR-JFK', 'JFK-LHR', 'LHR-BOS', 'BOS-LHR', 'LHR-DXB', 'DXB-LHR', 'LHR-SIN', 'SIN-LHR',
        'AMS-LHR', 'LHR-AMS', 'LHR-MAD', 'MAD-LHR', 'LHR-LIS', 'LIS-LHR', 'LHR-KEF', 'KEF-LHR',
        'LHR-NBO', 'NBO-LHR', 'LHR-DEN', 'DEN-LHR', 'LHR-ICN', 'ICN-LHR', 'LHR-PER', 'PER-LHR',
        'MAN-JFK', 'JFK-MAN', 'EDI-BOS', 'BOS-EDI', 'LHR-LIM', 'LIM-LHR', 'LHR-OSL', 'OSL-LHR',
        'LHR-NRT', 'NRT-LHR', 'LHR-YYZ', 'YYZ-LHR',
      ],
      day: Array.from({ length: 31 }, (_, i) => `2025-08-${String(i + 1).padStart(2, '0')}`),
      cabin: ['economy', 'premium', 'business', 'first'],
      flight: [
        'HX12', 'HX15', 'HX101', 'HX118', 'HX202', 'HX247', 'HX330', 'HX412', 'HX415', 'HX518',
        'HX602', 'HX640', 'HX701', 'HX777', 'HX808', 'HX861', 'HX902', 'HX933', 'HX1024',
        'HX1150', 'HX1208', 'HX1311', 'HX1402', 'HX1466',
      ],
      date: Array.from({ length: 21 }, (_, i) => `2025-07-${String(i + 7).padStart(2, '0')}`),
      airport: [
        'LHR', 'JFK', 'BOS', 'DXB', 'SIN', 'AMS', 'MAD', 'LIS', 'KEF', 'NBO', 'DEN', 'ICN',
        'PER', 'MAN', 'EDI', 'LIM', 'OSL', 'NRT', 'YYZ',
      ],
      pax: ['1', '2', '3', '4', '5', '6'],
    },
    routes: [
      { w: 11, method: 'POST', path: '/offers/v2/air-shopping', body: 'shop' },
      { w: 9, method: 'GET', path: LOWFARES },
      { w: 7, method: 'GET', path: '/offers/v2/offers/:offer' },
      { w: 5, method: 'GET', path: '/offers/v2/offers/:offer/seatmap' },
      { w: 5, method: 'POST', path: '/offers/v2/offers/:offer/price', body: 'price' },
      { w: 4, method: 'POST', path: '/orders/v1/orders', body: 'order' },
      { w: 2, method: 'POST', path: '/orders/v1/holds', body: 'hold' },
      { w: 6, method: 'GET', path: '/orders/v1/orders', query: 'page', queryKey: 'pageIndex' },
      { w: 9, method: 'GET', path: ORDER },
      { w: 2, method: 'PATCH', path: ORDER, body: 'change' },
      { w: 1, method: 'DELETE', path: ORDER },
      { w: 2, method: 'GET', path: `${ORDER}/receipt.pdf` },
      { w: 2, method: 'POST', path: `${ORDER}/ancillaries`, body: 'ancillary' },
      { w: 3, method: 'POST', path: '/checkin/v1/orders/:pnr/passengers/:pax/check-in', body: 'checkin' },
      { w: 2, method: 'GET', path: '/checkin/v1/orders/:pnr/boarding-passes/:pax' },
      { w: 6, method: 'GET', path: '/ops/v1/flights/:flight/:date' },
      { w: 3, method: 'GET', path: '/ref/v1/airports', query: 'search', queryKey: 'q' },
      { w: 2, method: 'GET', path: '/ref/v1/airports/:airport' },
      { w: 3, method: 'GET', path: MEMBER },
      { w: 2, method: 'GET', path: `${MEMBER}/activity`, query: 'page', queryKey: 'pageIndex' },
      { w: 1, method: 'POST', path: `${MEMBER}/redemptions`, body: 'redeem' },
      { w: 2, method: 'GET', path: '/content/v1/destinations/:guide' },
      { w: 1, method: 'GET', path: TRAVELLER },
      { w: 2, method: 'GET', path: '/agency/v1/credentials/self' },
      { w: 2, method: 'GET', path: '/agency/v1/queues/schedule-changes' },
    ],
    extraRoutes: [
      // Traveller profiles created by the corporate tool's own id: 201, or 409 if it is
      // there already.
      { method: 'PUT', path: TRAVELLER, create: true, status: 201 },
      // The app's live trip status (it reloads on a timer).
      { method: 'GET', path: '/app/v4/trips/:pnr/live' },
      // Where GDS and interline partners' notifications arrive.
      { method: 'POST', path: '/interline/v1/notifications', status: 200 },
      { method: 'GET', path: '/health/v1/live' },
    ],
    searchWords: ['lisbon', 'tokyo', 'reykjavik', 'nairobi', 'denver', 'oslo', 'dubai', 'lima', 'boston', 'madrid', 'seoul', 'perth'],
    // Tour operators' group bookings: name lists of a coach or a cruise's worth.
    ingest: { path: '/groups/v1/name-lists', body: 'namelist' },
    // The frequent-flyer app's members: e-mail addresses.
    login: { path: '/loyalty/v1/auth/sign-in', users: 20000, userStyle: 'email', domain: 'halcyon-flyer.example' },
    paths: {
      me: '/agency/v1/credentials/self',
      list: '/orders/v1/orders',
      detail: ORDER,
      browse: '/ref/v1/airports',
      poll: '/agency/v1/queues/schedule-changes',
      // Agencies' mid-office jobs reconcile their orders.
      sync: ORDER,
      ping: '/health/v1/live',
      // Record locators with their receipts and boarding passes, and member numbers.
      walk: [ORDER, `${ORDER}/receipt.pdf`, MEMBER, '/checkin/v1/orders/:pnr/boarding-passes/:pax'],
      // Orders and check-ins with passport scans inlined.
      upload: ['/orders/v1/orders', '/checkin/v1/orders/:pnr/passengers/:pax/check-in'],
      enumPrefixes: [
        '', '/orders/v1', '/offers/v2', '/loyalty/v1', '/agency/v1', '/ndc/21.3', '/sabre',
        '/ops/internal', '/admin',
      ],
    },
    bodies: {
      shop: { median: 1600, sigma: 0.4 }, // an itinerary, passengers, preferences
      price: { median: 420, sigma: 0.3 },
      order: { median: 2800, sigma: 0.45 }, // passengers, contacts, payment token
      hold: { median: 1300, sigma: 0.35 },
      change: { median: 700, sigma: 0.5 },
      ancillary: { median: 350, sigma: 0.4 },
      checkin: { median: 900, sigma: 0.5 }, // travel documents (APIS)
      redeem: { median: 480, sigma: 0.3 },
      traveller: { median: 1900, sigma: 0.5 },
      namelist: { median: 26000, sigma: 0.6 },
      notification: { median: 1800, sigma: 0.55 },
    },
  },

  userAgents: {
    // Browsers on the airline's agent portal and booking pages.
    chromeWin137: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 ' +
      '(KHTML, like Gecko) Chrome/137.0.0.0 Safari/537.36',
    chromeMac137: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 ' +
      '(KHTML, like Gecko) Chrome/137.0.0.0 Safari/537.36',
    edgeWin137: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 ' +
      '(KHTML, like Gecko) Chrome/137.0.0.0 Safari/537.36 Edg/137.0.3296.62',
    safariMac185: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 ' +
      '(KHTML, like Gecko) Version/18.5 Safari/605.1.15',
    firefoxWin139: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:139.0) Gecko/20100101 Firefox/139.0',
    samsung28: 'Mozilla/5.0 (Linux; Android 15; SM-S931B) AppleWebKit/537.36 (KHTML, like Gecko) ' +
      'SamsungBrowser/28.0 Chrome/130.0.0.0 Mobile Safari/537.36',
    ipadChrome137: 'Mozilla/5.0 (iPad; CPU OS 18_5 like Mac OS X) AppleWebKit/605.1.15 ' +
      '(KHTML, like Gecko) CriOS/137.0.7151.79 Mobile/15E148 Safari/604.1',
    // The airline's own apps and SDKs.
    appIos: 'HalcyonAir/7.12.0 (com.halcyonair.flyer; build:71203; iPhone15,3; iOS 18.5) Alamofire/5.10.2',
    appAndroid: 'HalcyonAir-Android/7.12.1 (Android 15; Pixel 8a; okhttp 4.12.0)',
    agentDesk: 'HalcyonAgentDesk/5.3.0 (Windows NT 10.0; Win64; x64) Electron/36.4.0',
    sdkJava: 'halcyon-ndc-java/3.4.0 (Java 17.0.15; Linux amd64)',
    sdkDotnet: 'Halcyon.Ndc/3.4.1 (.NET 8.0.16; Microsoft Windows 10.0.17763)',
    sdkPy: 'halcyon-ndc-python/3.2.7 (CPython 3.11.12; Linux x86_64)',
    sdkNode: 'halcyon-ndc-node/3.3.2 (node v20.19.2; linux x64)',
    // Booking engines, corporate booking tools, GDS and mid-office connectors, metasearch.
    otaEngine: 'TripWeave-BookingEngine/12.4 (+https://tripweave.example/bots)',
    corporateTool: 'Navigo-Corporate-Travel/2025.6 (Java/21.0.7)',
    concurLike: 'ExpenseTrail-TravelSync/8.1 (+https://expensetrail.example)',
    gdsConnector: 'AmadeusNDC-Connector/4.1.3 (Linux; Java/17)',
    midOffice: 'MidOfficeSync/2.17.4 (.NET 8.0)',
    fareCache: 'SkyCompare-FareCache/6.2 (+https://skycompare.example/partners)',
    metaPrice: 'FlightLens-PriceRefresh/3.0.11 (Go 1.24)',
    cardPartner: 'CobrandLoyaltySync/1.9.2 (Python 3.12.10; requests 2.32.4)',
    tourOps: 'GroupDesk-NameList-Uploader/4.0.2 (PHP 8.3.22; Guzzle 7.9.3)',
    httpClientNet: 'System.Net.Http/8.0.16',
    reactorNetty13: 'ReactorNetty/1.2.6',
    // Attack tools (and the browsers, apps and SDKs above, which attackers claim too).
    requests2324: 'python-requests/2.32.4',
    httpx0261: 'python-httpx/0.26.0',
    curl8141: 'curl/8.14.1',
    nodeFetch: 'node-fetch/3.3.2',
    goHttp: 'Go-http-client/1.1 (fare-harvester)',
    hey: 'hey/0.0.1',
    vegeta: 'Vegeta/12.12.0',
    artillery: 'Artillery/2.0.23',
    headless137: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) ' +
      'HeadlessChrome/137.0.7151.68 Safari/537.36',
    fareScraper: 'Mozilla/5.0 (compatible; AirfareWatch/2.4; +http://airfarewatch.example)',
    loyaltyChecker: 'miles-account-checker/3.1 (aiohttp/3.12.7)',
    pnrGrabber: 'pnr-lookup-bulk/0.8 (python-httpx)',
    mj12: 'Mozilla/5.0 (compatible; MJ12bot/v1.4.8; http://mj12bot.com/)',
    blex: 'Mozilla/5.0 (compatible; BLEXBot/1.0; +http://webmeup-crawler.com/)',
    seznam: 'Mozilla/5.0 (compatible; SeznamBot/4.0; +https://o-seznam.cz/napoveda/vyhledavani/en/seznambot-crawler/)',
    baidu: 'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)',
    katana: 'Mozilla/5.0 (compatible; katana-crawl/1.1)',
    shadowserver: 'Mozilla/5.0 (compatible; Shadowserver Scanning; +https://www.shadowserver.org)',
    binaryedge: 'Mozilla/5.0 (compatible; BinaryEdge Scanner; +https://www.binaryedge.io)',
    onyphe: 'Mozilla/5.0 (compatible; ONYPHE/2.0; +https://www.onyphe.io)',
    // GDS and interline notification senders.
    amadeus: 'Amadeus-Notification-Hub/3.8',
    sabre: 'Sabre-OrderEvents/2.2',
    travelport: 'Travelport-Notify/1.14',
    atpco: 'ATPCO-FareFiling-Push/5.0',
    sita: 'SITA-TypeB-Bridge/9.2',
    arc: 'ARC-Settlement-Callback/1.6',
  },
  uaMix: {
    benign: {
      sdkJava: 12, sdkDotnet: 10, sdkPy: 8, sdkNode: 8, otaEngine: 10, corporateTool: 8,
      concurLike: 6, gdsConnector: 6, midOffice: 4, chromeWin137: 8, edgeWin137: 5,
      safariMac185: 4, chromeMac137: 4, firefoxWin139: 2, httpClientNet: 3, reactorNetty13: 3,
    },
    attack: {
      requests2324: 14, httpx0261: 12, curl8141: 8, nodeFetch: 8, goHttp: 6, headless137: 12,
      chromeWin137: 10, safariMac185: 4, sdkPy: 8, sdkNode: 6, hey: 4, vegeta: 4, artillery: 4,
    },
  },

  classes: {
    // --- benign -----------------------------------------------------------------------
    // Travel agencies' and online travel agencies' back ends and corporate booking tools:
    // shop, price, book, look orders up (expired offers and cancelled orders: 404), a
    // rotated key now and then. Three in ten reconcile their order list now and then: pages
    // 1 to 4-22 in order, as soon as each answer came.
    steady: {
      benign: true, count: 28, rate: [0.1, 1.1], startS: [0, 25],
      staleIdShare: 0.1, authFailShare: 0.004,
      paging: {
        share: 0.3, path: '/orders/v1/orders', queryKey: 'pageIndex', pages: [4, 22],
        pageMs: [200, 900], everyS: [20, 50],
      },
    },
    // GDS connectors and mid-office jobs: group name lists to the ingest, or order
    // reconciliations walking record locators, each through a pool of 2-5 workers waiting
    // for their answers; a slow queue poll.
    batch: {
      benign: true, count: 12, pollRate: 0.08, burstRate: [8, 28], burstS: [3, 8],
      firstBurstS: [0, 30], gapS: [10, 28], staleIdShare: 0.04, ingestShare: 0.4,
      closedLoop: { workers: [2, 5], latencyMs: { median: 220, sigma: 0.5 } },
      uaMix: { gdsConnector: 30, midOffice: 25, tourOps: 25, sdkJava: 20 },
    },
    // Data jobs. Three in ten push corporate travellers' profiles by their own ids, two in
    // five of them new: half probe each first (404 for the new ones, then a PUT), half PUT
    // every one (409 for those there already). Of the others, three in five are metasearch
    // partners refreshing their fare caches: every market, day and cabin in order, each sync
    // resuming where the last stopped; the rest are a co-brand card issuer's jobs walking
    // loyalty member numbers in ascending order. Fast syncs of a few seconds, short gaps.
    etl: {
      benign: true, count: 14, pollRate: 0.04, burstRate: [10, 30], burstS: [3, 9],
      firstBurstS: [0, 25], gapS: [6, 22], staleIdShare: 0.02,
      template: MEMBER,
      upsert: {
        share: 0.3, write: { method: 'PUT', path: TRAVELLER, body: 'traveller' }, probe: TRAVELLER,
        newShare: 0.4, probeShare: 0.5, afterMs: [60, 400],
      },
      grid: { share: 0.6, template: LOWFARES },
      uaMix: { fareCache: 30, metaPrice: 25, cardPartner: 20, corporateTool: 15, concurLike: 10 },
    },
    // Airport ticket desks and travel agency shops: agents behind each office's egress on
    // the agent desktop or the portal.
    nat: {
      benign: true, gateways: 4, users: [4, 10], rate: [0.08, 0.5], startS: [0, 30],
      staleIdShare: 0.05, authFailShare: 0.008,
      uaMix: { agentDesk: 55, chromeWin137: 25, edgeWin137: 20 },
    },
    // GDSs, fare filers and settlement houses pushing notifications from wide egress pools
    // (3-6 /24s, 16-48 addresses): short bursts, short gaps.
    partner: {
      benign: true, count: 10, networks: [3, 6], addresses: [16, 48], burstRate: [6, 22],
      burstS: [2, 6], firstBurstS: [0, 15], gapS: [4, 16],
      path: '/interline/v1/notifications', body: 'notification',
      uaMix: { amadeus: 18, sabre: 18, travelport: 16, atpco: 16, sita: 16, arc: 16 },
    },
    // Frequent flyers on the app through its key: they sign in (about one in seven mistype
    // first, and take a while to retry), a bit under half keep a trip's live status open
    // (it reloads every 8-20 s); three in ten are on an airport's Wi-Fi, a few addresses
    // shared by many.
    app_users: {
      benign: true, count: [70, 90], startS: [0, 55], mistypeShare: 0.15, retryS: [4, 20],
      thinkS: [2, 8], rate: [0.06, 0.3], sessionS: [25, 90], staleIdShare: 0.04,
      carrierNat: { share: 0.3, addresses: [2, 3] },
      refresh: { share: 0.45, path: '/app/v4/trips/:pnr/live', everyS: [8, 20] },
      uaMix: { appIos: 45, appAndroid: 35, samsung28: 8, ipadChrome137: 6, safariMac185: 6 },
    },

    // --- attacks ----------------------------------------------------------------------
    // Key checkers over scraped booking widgets and config dumps, a few in other formats.
    key_guessing: {
      benign: false, count: 11, rate: [0.4, 6], startS: [0, 55], lengthS: [12, 45],
      foreignShare: 0.08,
      uaMix: { requests2324: 30, curl8141: 25, nodeFetch: 20, hey: 25 },
    },
    // Agency keys lifted from booking widgets; the ones that work spin seats: holds that are
    // never paid for, on the flights the attacker wants empty.
    credential_stuffing: {
      benign: false, count: 11, rate: [0.5, 2.5], startS: [0, 40], lengthS: [30, 65],
      keysPerClient: 20, validShare: 0.35,
      resale: { share: 0.6, path: '/orders/v1/holds', body: 'hold' },
      uaMix: { requests2324: 25, httpx0261: 20, sdkJava: 20, sdkNode: 15, artillery: 20 },
    },
    // Path scanners, and walkers of record locators, receipts, boarding passes and member
    // numbers with gaps of 1-3; half the walkers fan out over 3-6 workers behind 20-50
    // proxy exits, 2-6 consecutive requests an exit.
    scraping: {
      benign: false, count: 12, enumerateShare: 0.3, rate: [1.2, 4], startS: [0, 35],
      normalShare: 0.1, step: [1, 3],
      fanout: { share: 0.5, workers: [3, 6], chunk: [2, 6], exits: [20, 50] },
      uaMix: { pnrGrabber: 25, katana: 15, headless137: 20, httpx0261: 20, chromeWin137: 20 },
    },
    // Loyalty member harvesters walking numbers with gaps of 3-11, slowly, and, nearly half
    // of them, fare harvesters walking the low-fare grid in order; two in five through
    // 4-12 proxy exits.
    slow_scraper: {
      benign: false, count: 14, rate: [0.15, 0.8], startS: [0, 20], step: [3, 11],
      templates: [MEMBER, `${MEMBER}/activity`],
      proxies: { share: 0.4, addresses: [4, 12] },
      grid: { share: 0.45, template: LOWFARES },
      uaMix: { fareScraper: 20, goHttp: 15, mj12: 15, blex: 15, seznam: 15, baidu: 20 },
    },
    // Browsers reading orders one record locator after the other through the agent portal,
    // stopping to read now and then.
    mimic: {
      benign: false, count: 12, startS: [0, 25], gapS: [0.8, 3.5], otherShare: 0.15,
      pageShare: 0.1, readShare: 0.1, readS: [3, 15],
      template: ORDER,
      uaMix: { chromeWin137: 30, edgeWin137: 20, chromeMac137: 20, safariMac185: 15, firefoxWin139: 15 },
    },
    // Eleven /24s, two addresses each, slow.
    low_and_slow: {
      benign: false, networks: 11, addresses: 2, meanIntervalS: [9, 25], startS: [0, 45],
      uaMix: { shadowserver: 30, binaryedge: 35, onyphe: 35 },
    },
    // Miles theft: the frequent-flyer sign-in through the app's key, most copying the app.
    login_stuffing: {
      benign: false, count: 12, rate: [0.25, 1.8], startS: [0, 50], lengthS: [20, 75],
      correctShare: 0.03,
      uaMix: { loyaltyChecker: 30, appIos: 25, appAndroid: 25, samsung28: 10, requests2324: 10 },
    },
    // A wide campaign: 2-5 addresses per /24, 1-3 attempts each, over 45-65 s.
    login_campaign: {
      benign: false, campaigns: 1, addresses: [220, 280], perNetwork: [2, 5], attempts: [1, 3],
      startS: [5, 25], lengthS: [45, 65], correctShare: 0.015,
      uaMix: { appAndroid: 40, appIos: 35, samsung28: 15, ipadChrome137: 10 },
    },
    // Leaked agency keys sprayed one per address: revoked, dormant accounts' and a fifth
    // made up, 1-5 tries each.
    key_spray: {
      benign: false, campaigns: 1, addresses: [110, 145], perNetwork: [1, 4], requests: [1, 5],
      validShare: 0.25, madeUpShare: 0.2, startS: [10, 30], lengthS: [35, 55],
      uaMix: { sdkJava: 20, sdkDotnet: 20, requests2324: 20, curl8141: 20, vegeta: 20 },
    },
    // Orders and check-ins with scans of passports inlined: 90-480 KB where a few KB is
    // honest.
    oversized: {
      benign: false, count: 10, rate: [0.2, 1.2], startS: [0, 45], oversizedShare: 0.2,
      bytes: [90000, 480000],
      uaMix: { artillery: 25, vegeta: 20, httpx0261: 20, sdkNode: 20, sdkDotnet: 15 },
    },
  },
};
