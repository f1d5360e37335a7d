// The eleventh held-out mix of the abuse benchmark: written from scratch, without the
// engine's code or results in view, and different in structure from scenario.mjs,
// heldout.mjs, heldout2.mjs, heldout3.mjs, heldout4.mjs, heldout5.mjs, heldout6.mjs,
// heldout7.mjs, heldout8.mjs, heldout9.mjs and heldout10.mjs, not only in seeds: another API
// (a multiple listing service's data platform, the kind an MLS sells to brokerages' IDX
// websites, listing portals and syndicators, real-estate CRMs, valuation and appraisal firms,
// title companies and transaction tools: a RESO Web API part in OData style, listings
// addressed by their sparse MLS numbers of up to eight digits inside a path segment, quoted
// in parentheses (Property('24081733')), with their media and open houses, agents and offices
// by short codes the same way, the service document's $metadata; a REST part with listings
// and their price and status history, listing search, market statistics per county and
// property type (two lists of names in one path), buyers' shared collections by slug and
// saved searches by short code, the latter created with PUT by the CRM's own ids (201, or 409
// when it is there already); public records of properties by UUID with their tax and sales
// history; automated valuations and comparable sales as POSTs of a few hundred bytes to a
// few KB; showing requests; listing photos by listing number and photo number, uploaded by
// listing tools as POSTs of a couple of hundred KB; a change feed the jobs poll;
// listing-input systems' listing batches as the ingest; lockbox vendors and showing services
// posting access and showing events as the webhooks; the consumer home-search app's sign-in
// by e-mail), other User-Agents (the platform's RESO SDKs for Python and JavaScript,
// Microsoft.OData.Client, Simple.OData.Client and Apache Olingo, IDX website plugins,
// real-estate CRMs, AVM and appraisal software, listing syndicators and their photo relays,
// title and transaction tools, back-office and listing-input systems, a Meltano tap, a
// market-statistics cache, its agents' desktop app, its home-search app over CFNetwork and
// okhttp, Chrome 146, Edge 146, Opera 131, Firefox 148 on macOS and Android, Safari 26.3 on
// macOS and iPhone, Chrome on iPhone; attackers with a listing harvester, an IDX key
// validator, an agent contact extractor, a home-buyer account checker on curl_cffi,
// python-requests 2.33.0, python-urllib3 2.5, aiohttp 3.13, curl 8.16, axios 1.12,
// Scrapy 2.13, headless Chrome 146, OpenVAS and ZAP, Gatling and JMeter's HttpClient, spoofed
// Twitterbot, LinkedInBot, Pinterestbot, GoogleOther and MojeekBot, Dataprovider and Awario
// crawlers as scanners; SentriLock, Supra, ShowingTime, BrokerBay, Aligned Showings and a
// centralized showing service as webhook senders), other rates, burst shapes, durations,
// campaign sizes and spreads, and single addresses and /24s from ranges whose bounds no other
// mix uses. Honest clients here are hard on purpose: listing syndicators walk listing numbers
// in ascending order and pull every photo of every listing, photo 1, 2, 3, ... at tens of
// requests a second; portals' media pullers send through pools of workers as fast as the
// answers come; IDX sites and CRMs meet many 404s (listings sold, withdrawn or expired since)
// and a few 401s (keys being rotated), and a third replicate the listings page by page as
// fast as the answers come; CRMs push their clients' saved searches blind (409s) or probe
// first (404s); market-statistics caches walk every county and property type; agents share
// their office's address, some with stale keys; lockbox vendors deliver from wide egress
// pools; listing tools upload photos of hundreds of KB; home buyers on the app swipe through
// a listing's gallery photo by photo in order and then request a tour, more than a third of
// them from a few carrier addresses (at open houses), a fifth mistyping their password.
// Attackers harvest listings, their history, agents and offices (two in five fanned out over
// proxy exits, a few ids an exit), scan paths, walk listing numbers, agents and media very
// slowly with wide gaps (two in five through proxies, some harvesting the market statistics),
// dressed as link unfurlers and search crawlers; read listings one after the other dressed as
// a browser, stopping to read; check IDX keys lifted from brokerages' public website code and
// run paid valuations with the ones that work; spray keys one per address over most of the
// phase; stuff the home-buyer sign-in through the app's key from one address or a wide
// campaign of two to five addresses a /24; and post photos and listing batches of up to
// 960 KB. Besides options of the other mixes (steady.paging, nat.paging, batch.closedLoop,
// etl.upsert and .grid, app_users.carrierNat, .refresh and .ceremony,
// credential_stuffing.resale, key_guessing.foreignShare, key_spray.madeUpShare,
// mimic.readShare/readS, scraping.step and .fanout, slow_scraper.step, .proxies and .grid),
// it uses one optional generator key no other mix sets:
//   etl.media                 a share of the ETL jobs (listing syndicators) download every
//                             record they sync with its photos: the record, then its photos
//                             1..n in order (the photo number in the path), then the next
//                             record, at the sync's own request times.
// Nothing may be tuned on it: not the engine, not its thresholds, not this file in response
// to the engine's figures, or it stops being held out. Run it with
//   node bench/abuse/run.mjs --scenario bench/abuse/heldout11.mjs
// Same shape and conventions as scenario.mjs (rates per second, times in seconds from the
// phase start, [a, b] a uniform draw per client, per burst or per request where said).
// Every class has at least 10 clients per trace, except the campaigns: one campaign each,
// of at least 100 addresses.

import benchmark from './scenario.mjs';

const ODATA = '/reso/odata';
const LISTING = `${ODATA}/Property(':listing')`;
const MEMBER = `${ODATA}/Member(':member')`;
const OFFICE = `${ODATA}/Office(':office')`;
const LISTING_REST = '/api/v4/listings/:listing';
const PHOTO = '/media/v1/listings/:listing/photos/:photo.jpg';
const MARKET = '/api/v4/markets/:market/:ptype/stats';
const SAVED = '/api/v4/saved-searches/:saved';
const PROPERTY = '/records/v1/properties/:property';
const APP_LISTING = '/app/v5/listings/:listing';

export default {
  name: 'heldout11',

  // Four seeds, none of the other mixes'; the training traces (1111-1114) are none of theirs
  // either.
  seeds: [111, 112, 113, 114],
  trainingSeedOffset: 1000,

  durationS: 90,

  // The benchmark's own settings, the same for every mix: the gateway and its engine
  // settings, the simulated customer's labels, the baselines (bench/abuse/scenario.mjs).
  gateway: benchmark.gateway,
  labels: benchmark.labels,
  baselines: benchmark.baselines,

  // Single clients in 127.1-14.x.x, whole /24s (campaigns, low-and-slow, partners' egress)
  // in 127.17-29.x.0/24. The other mixes' bounds are 2, 15, 16, 19, 30, 41, 56, 58, 66, 89,
  // 99, 100, 113, 121, 124, 137, 147, 150, 163, 199, 200, 218, 229, 231, 233, 249, 252 and
  // 254; these are none of them, and the two pools are disjoint. They sit where the fewest
  // other pools do: 127.1 is in none, 127.2-14 in two (heldout's networks, heldout3's hosts),
  // 127.17-18 in two and 127.19-29 in three (the default mix's hosts, heldout2's and
  // heldout9's networks).
  addressPools: { hosts: [1, 14], networks: [17, 29] },

  // A multiple listing service's data platform. The RESO Web API (OData) under /reso/odata:
  // listings (Property), agents (Member), offices (Office), open houses, the $metadata; the
  // REST API under /api/v4: listings and their history, search, market statistics, shared
  // collections, saved searches, the account; public records under /records/v1; valuations
  // under /avm/v2; showings under /showings/v1; listing photos under /media/v1; the
  // home-search app's own routes under /app/v5. Listing-input systems post listing batches
  // to /input/v1/listing-batches (the ingest); lockbox vendors and showing services post
  // events to /inbound/v1/showing-events; home buyers sign in at /auth/v2/consumers/sign-in.
  api: {
    // Listings: eight-digit MLS numbers, sparse (about one in three): sold, withdrawn and
    // expired listings leave the feed, and numbers are handed out per board.
    maxId: 29000000,
    idDensity: 0.34,
    // Shared collections (slugs), agents, offices and saved searches (short codes): about
    // half of the well-shaped ones exist.
    slugDensity: 0.52,
    // Public records (UUIDs): nearly every parcel the platform names is there.
    uuidDensity: 0.93,
    params: {
      listing: 'numeric',
      member: 'code',
      office: 'code',
      saved: 'code', // the CRM's own ids for its clients' saved searches
      collection: 'slug',
      property: 'uuid',
      photo: Array.from({ length: 60 }, (_, i) => String(i + 1)),
      page: Array.from({ length: 60 }, (_, i) => String(i + 1)), // the app's gallery
      market: [
        'travis-tx', 'williamson-tx', 'harris-tx', 'maricopa-az', 'pima-az', 'king-wa', 'pierce-wa',
        'snohomish-wa', 'clark-nv', 'denver-co', 'boulder-co', 'wake-nc', 'mecklenburg-nc',
        'fulton-ga', 'cobb-ga', 'hillsborough-fl', 'orange-fl', 'miami-dade-fl', 'cook-il',
        'dupage-il', 'hennepin-mn', 'franklin-oh', 'marion-in', 'davidson-tn', 'salt-lake-ut',
        'ada-id', 'multnomah-or', 'sacramento-ca', 'san-diego-ca', 'fairfax-va',
      ],
      ptype: ['single-family', 'condo', 'townhouse', 'multi-family', 'land', 'manufactured', 'co-op', 'farm-ranch'],
    },
    routes: [
      { w: 5, method: 'GET', path: `${ODATA}/Property` },
      { w: 10, method: 'GET', path: LISTING },
      { w: 5, method: 'GET', path: `${LISTING}/Media` },
      { w: 2, method: 'GET', path: `${LISTING}/OpenHouse` },
      { w: 2, method: 'GET', path: `${ODATA}/OpenHouse` },
      { w: 2, method: 'GET', path: `${ODATA}/Member` },
      { w: 3, method: 'GET', path: MEMBER },
      { w: 2, method: 'GET', path: OFFICE },
      { w: 1, method: 'GET', path: `${ODATA}/$metadata` },
      { w: 7, method: 'GET', path: '/api/v4/listings', query: 'page' },
      { w: 9, method: 'GET', path: LISTING_REST },
      { w: 4, method: 'GET', path: `${LISTING_REST}/history` },
      { w: 6, method: 'GET', path: '/api/v4/search/listings', query: 'search', queryKey: 'q' },
      { w: 3, method: 'GET', path: MARKET },
      { w: 2, method: 'GET', path: '/api/v4/collections/:collection' },
      { w: 3, method: 'POST', path: '/api/v4/saved-searches', body: 'savedSearch' },
      { w: 3, method: 'GET', path: SAVED },
      { w: 5, method: 'GET', path: PROPERTY },
      { w: 3, method: 'GET', path: `${PROPERTY}/tax-history` },
      { w: 2, method: 'GET', path: `${PROPERTY}/sales-history` },
      { w: 5, method: 'POST', path: '/avm/v2/estimates', body: 'avmRequest' },
      { w: 2, method: 'POST', path: '/avm/v2/comps', body: 'compsRequest' },
      { w: 2, method: 'POST', path: '/showings/v1/requests', body: 'showingRequest' },
      { w: 4, method: 'GET', path: PHOTO },
      { w: 2, method: 'POST', path: '/media/v1/listings/:listing/photos', body: 'photo' },
      { w: 2, method: 'GET', path: '/api/v4/account' },
      { w: 1, method: 'GET', path: '/api/v4/usage' },
      { w: 1, method: 'GET', path: '/api/v4/feeds/changes' },
    ],
    extraRoutes: [
      // Saved searches created by the CRM's own id: 201, or 409 if it is there already.
      { method: 'PUT', path: SAVED, create: true, status: 201 },
      // The home-search app: a saved search's new matches (it reloads on a timer), a listing,
      // its gallery photo by photo, a tour request.
      { method: 'GET', path: '/app/v5/saved-searches/:saved/matches' },
      { method: 'GET', path: APP_LISTING },
      { method: 'GET', path: `${APP_LISTING}/gallery/:page.jpg` },
      { method: 'POST', path: `${APP_LISTING}/tour-requests`, status: 201 },
      // Where lockbox vendors and showing services post.
      { method: 'POST', path: '/inbound/v1/showing-events', status: 200 },
      { method: 'GET', path: '/health' },
    ],
    searchWords: ['pool', 'waterfront', 'adu', 'fixer', 'acreage', 'solar', 'basement', 'views', 'duplex', 'newbuild', 'cul-de-sac', 'horse'],
    // Listing-input systems: batches of new and changed listings with their remarks.
    ingest: { path: '/input/v1/listing-batches', body: 'listingBatch' },
    // The home-search app's users: e-mail addresses.
    login: { path: '/auth/v2/consumers/sign-in', users: 80000, userStyle: 'email', domain: 'lintel-homes.example' },
    paths: {
      me: '/api/v4/account',
      list: '/api/v4/listings',
      detail: LISTING_REST,
      // The agent roster: what stuffed keys pull (contact lists for recruiters and spam).
      browse: `${ODATA}/Member`,
      poll: '/api/v4/feeds/changes',
      // Portals' media pullers fetch each listing's media list.
      sync: `${LISTING}/Media`,
      ping: '/health',
      // Listings, their history, agents, offices.
      walk: [LISTING, `${LISTING_REST}/history`, MEMBER, OFFICE],
      // Photos and listing batches far larger than any listing needs.
      upload: ['/media/v1/listings/:listing/photos', '/input/v1/listing-batches'],
      enumPrefixes: ['', '/reso/odata', '/api/v4', '/api/v3', '/app/v5', '/idx/v2', '/rets', '/mls-admin', '/odata'],
    },
    bodies: {
      savedSearch: { median: 650, sigma: 0.4 }, // criteria: area, price band, beds, polygons
      avmRequest: { median: 520, sigma: 0.3 },
      compsRequest: { median: 1900, sigma: 0.45 },
      showingRequest: { median: 430, sigma: 0.3 },
      photo: { median: 170000, sigma: 0.3 }, // a resized JPEG
      tourRequest: { median: 380, sigma: 0.25 },
      listingBatch: { median: 72000, sigma: 0.5 },
      showingEvent: { median: 950, sigma: 0.4 },
    },
  },

  userAgents: {
    // Browsers: agents' desks, brokers' back offices, home buyers on the web.
    chromeWin146: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 ' +
      '(KHTML, like Gecko) Chrome/146.0.0.0 Safari/537.36',
    chromeMac146: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 ' +
      '(KHTML, like Gecko) Chrome/146.0.0.0 Safari/537.36',
    edgeWin146: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 ' +
      '(KHTML, like Gecko) Chrome/146.0.0.0 Safari/537.36 Edg/146.0.3856.62',
    opera131: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 ' +
      '(KHTML, like Gecko) Chrome/145.0.0.0 Safari/537.36 OPR/131.0.0.0',
    firefoxMac148: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:148.0) Gecko/20100101 Firefox/148.0',
    firefoxAndroid148: 'Mozilla/5.0 (Android 16; Mobile; rv:148.0) Gecko/148.0 Firefox/148.0',
    safariMac263: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 ' +
      '(KHTML, like Gecko) Version/26.3 Safari/605.1.15',
    iphone263: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 ' +
      '(KHTML, like Gecko) Version/26.3 Mobile/15E148 Safari/604.1',
    criosIphone146: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 ' +
      '(KHTML, like Gecko) CriOS/146.0.7680.40 Mobile/15E148 Safari/604.1',
    // The platform's own apps and SDKs.
    appIos: 'LintelHomes/51207 CFNetwork/3860.300.31 Darwin/25.3.0',
    appAndroid: 'LintelHomes-Android/5.12.1 (Pixel 10 Pro; Android 16; okhttp/5.3.0)',
    agentDesktop: 'LintelPro-Desktop/2026.1.4 (Windows NT 10.0; Electron 38.2.1)',
    resoPy: 'lintel-reso-python/3.6.1 (CPython 3.13.9; Linux x86_64)',
    resoJs: 'lintel-reso-js/4.2.0 (Node.js v22.21.1; linux x64)',
    msOdata: 'Microsoft.OData.Client/8.2.3 (.NET 9.0.11)',
    simpleOdata: 'Simple.OData.Client/6.0.1 (.NET 8.0.22)',
    olingo: 'Apache-Olingo/5.0.0 (Java 21.0.9)',
    // IDX sites, CRMs, valuation, appraisal, syndication, title, transaction, back office.
    idx: 'Porchlight-IDX/11.2.5 (WordPress 6.8.3; PHP 8.3.27)',
    crm: 'Cadence-RE-CRM/8.14.0 (+https://cadence-crm.example/mls)',
    avm: 'Appraisely-AVM/4.0.7 (Python 3.12.12; httpx 0.28.1)',
    appraisal: 'FormsDesk-Appraisal/2026.0.3 (Windows NT 10.0; .NET Framework 4.8.1)',
    syndicator: 'NestQuest-Syndication/3.3.0 (Go 1.25.4)',
    photoRelay: 'PhotoRelay-MediaSync/2.7.4 (reqwest 0.12.24; rustc 1.91.1)',
    title: 'TitleBridge-OrderIntake/5.1.2 (Java/17.0.17)',
    transaction: 'Closewise-Transactions/6.9.2 (node 20.19.5)',
    backOffice: 'LedgerDoor-BackOffice/2025.4.2 (Java/21.0.9)',
    listingInput: 'ListEase-Input/7.3.1 (listing-batch-uploader; .NET 8.0.22)',
    meltano: 'meltano/3.8.0 (tap-lintel-reso 1.2.0; Python 3.12.12)',
    marketStats: 'HomeMetrics-StatsCache/1.9.0 (Python 3.13.9; urllib3 2.5.0)',
    // Attack tools (and the browsers, apps and SDKs above, which attackers claim too).
    requests2330: 'python-requests/2.33.0',
    urllib3250: 'python-urllib3/2.5.0',
    aiohttp313: 'Python/3.13 aiohttp/3.13.1',
    curl8160: 'curl/8.16.0',
    axios112: 'axios/1.12.2',
    scrapy213: 'Scrapy/2.13.3 (+https://scrapy.org)',
    headless146: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) ' +
      'HeadlessChrome/146.0.7680.31 Safari/537.36',
    listingHarvester: 'listing-harvester/2.3.0 (+playwright)',
    idxKeyCheck: 'idx-key-validator/0.9.1 (go-resty/2.16.5)',
    agentExtractor: 'agent-contact-extractor/1.4 (python-httpx)',
    buyerChecker: 'homebuyer-acct-checker/1.2 (Python 3.12; curl_cffi 0.13.0)',
    openvas: 'Mozilla/5.0 [en] (X11, U; OpenVAS-VT 23.20.1)',
    zap: 'ZAP/2.16.1',
    gatling: 'Gatling/3.14.5',
    jmeter: 'Apache-HttpClient/4.5.14 (Java/21.0.9)',
    twitterbot: 'Twitterbot/1.0',
    linkedinbot: 'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)',
    pinterestbot: 'Mozilla/5.0 (compatible; Pinterestbot/1.0; +http://www.pinterest.com/bot.html)',
    googleOther: 'Mozilla/5.0 (compatible; GoogleOther)',
    mojeek: 'Mozilla/5.0 (compatible; MojeekBot/0.11; +https://www.mojeek.com/bot.html)',
    dataprovider: 'Mozilla/5.0 (compatible; Dataprovider.com)',
    awario: 'Mozilla/5.0 (compatible; AwarioBot/1.0; +https://awario.com/bots.html)',
    // Lockbox vendors and showing services.
    sentrilock: 'SentriLock-Webhooks/4.2',
    supra: 'Supra-eKEY-Events/7.1',
    showingtime: 'ShowingTime-Notifications/3.8',
    brokerbay: 'BrokerBay-Webhook/2.2',
    aligned: 'AlignedShowings-Callback/1.9',
    centralized: 'CentralizedShowing-Events/5.0',
  },
  uaMix: {
    benign: {
      resoPy: 12, resoJs: 10, msOdata: 6, simpleOdata: 4, olingo: 4, idx: 12, crm: 10, avm: 6,
      appraisal: 4, title: 4, transaction: 5, backOffice: 3, chromeWin146: 6, chromeMac146: 4,
      edgeWin146: 3, safariMac263: 2, opera131: 1,
    },
    attack: {
      requests2330: 14, urllib3250: 8, aiohttp313: 10, curl8160: 8, axios112: 8, headless146: 12,
      chromeWin146: 10, chromeMac146: 4, resoPy: 8, resoJs: 6, listingHarvester: 8, scrapy213: 4,
    },
  },

  classes: {
    // --- benign -----------------------------------------------------------------------
    // IDX websites, CRMs, valuation, appraisal, title and transaction tools: look listings,
    // agents and public records up, run valuations, upload photos (hundreds of KB); many
    // listings gone since (404), keys being rotated now and then (401). A third replicate the
    // listings now and then: every page as soon as the last one came.
    steady: {
      benign: true, count: 34, rate: [0.1, 1.5], startS: [0, 25],
      staleIdShare: 0.14, authFailShare: 0.01,
      paging: {
        share: 0.33, path: '/api/v4/listings', queryKey: 'page', pages: [8, 45],
        pageMs: [90, 450], everyS: [15, 40],
      },
    },
    // Portals' media pullers walking listings' media lists through a pool of 2-6 workers,
    // each as soon as its last answer came, and listing-input systems posting listing
    // batches: a feed poll, then short bursts.
    batch: {
      benign: true, count: 13, pollRate: 0.1, burstRate: [10, 30], burstS: [3, 10],
      firstBurstS: [0, 30], gapS: [18, 40], staleIdShare: 0.04, ingestShare: 0.35,
      closedLoop: { workers: [2, 5], latencyMs: { median: 190, sigma: 0.55 } },
      uaMix: { syndicator: 35, listingInput: 35, resoJs: 15, msOdata: 15 },
    },
    // Listing syndicators replicating listings in ascending order, half of them with every
    // photo of every listing (1, 2, 3, ... in order); a quarter are CRMs pushing their
    // clients' saved searches by their own ids, three in five new: half probe each first, the
    // others PUT every one (409 for those there already). A fifth of the others refresh a
    // market-statistics cache: every county and property type in order.
    etl: {
      benign: true, count: 14, pollRate: 0.06, burstRate: [10, 28], burstS: [5, 13],
      firstBurstS: [0, 35], gapS: [12, 30], staleIdShare: 0.03,
      template: LISTING,
      upsert: {
        share: 0.25, write: { method: 'PUT', path: SAVED, body: 'savedSearch' }, probe: SAVED,
        newShare: 0.6, probeShare: 0.5, afterMs: [20, 180],
      },
      grid: { share: 0.2, template: MARKET },
      media: { share: 0.5, template: PHOTO, photos: [6, 45] },
      uaMix: { syndicator: 25, photoRelay: 25, meltano: 15, crm: 15, marketStats: 10, resoPy: 10 },
    },
    // Brokerage offices: agents behind each office's egress, their desktop app or a browser,
    // some with keys that were rotated; a few export their listings page by page.
    nat: {
      benign: true, gateways: 7, users: [3, 10], rate: [0.03, 0.3], startS: [0, 45],
      staleIdShare: 0.1, authFailShare: 0.025,
      paging: {
        share: 0.12, path: '/api/v4/listings', queryKey: 'page', pages: [2, 12],
        pageMs: [250, 1500], everyS: [25, 60],
      },
      uaMix: { agentDesktop: 40, chromeWin146: 25, edgeWin146: 10, chromeMac146: 15, safariMac263: 10 },
    },
    // Lockbox vendors and showing services posting access and showing events from wide
    // egress pools (3-5 /24s, 12-36 addresses): bursts of a few a second, long and short.
    partner: {
      benign: true, count: 12, networks: [3, 5], addresses: [12, 36], burstRate: [3, 12],
      burstS: [3, 15], firstBurstS: [0, 20], gapS: [5, 18],
      path: '/inbound/v1/showing-events', body: 'showingEvent',
      uaMix: { sentrilock: 18, supra: 18, showingtime: 18, brokerbay: 16, aligned: 15, centralized: 15 },
    },
    // Home buyers on the app through its key, arriving all through the phase: they sign in (a
    // fifth mistype first, some retry much later), a third keep a saved search open (its new
    // matches reload every 15-40 s), two in five open a listing and swipe through its
    // gallery, 4-40 photos in order, 0.35-2.2 s apart, then request a tour 3-20 s after the
    // last; more than a third are behind a few carrier addresses (at open houses).
    app_users: {
      benign: true, count: [120, 150], startS: [0, 70], mistypeShare: 0.2, retryS: [5, 40],
      thinkS: [1, 6], rate: [0.05, 0.3], sessionS: [25, 85], staleIdShare: 0.08,
      carrierNat: { share: 0.36, addresses: [2, 4] },
      refresh: { share: 0.33, path: '/app/v5/saved-searches/:saved/matches', everyS: [15, 40] },
      ceremony: {
        share: 0.4, open: APP_LISTING, page: `${APP_LISTING}/gallery/:page.jpg`,
        sign: { method: 'POST', path: `${APP_LISTING}/tour-requests`, body: 'tourRequest' },
        pages: [4, 40], pageMs: [350, 2200], readS: [3, 20], afterS: [0, 10],
      },
      uaMix: { appIos: 45, appAndroid: 35, iphone263: 8, criosIphone146: 6, firefoxAndroid148: 6 },
    },

    // --- attacks ----------------------------------------------------------------------
    // IDX key checkers: trickles and a few fast ones, a few keys in other formats.
    key_guessing: {
      benign: false, count: 12, rate: [0.3, 7], startS: [0, 70], lengthS: [10, 55],
      foreignShare: 0.05,
      uaMix: { idxKeyCheck: 30, requests2330: 25, curl8160: 20, axios112: 25 },
    },
    // IDX keys lifted from brokerages' public website code; the ones that work run paid
    // valuations (small, honest-looking POSTs).
    credential_stuffing: {
      benign: false, count: 12, rate: [0.25, 1.2], startS: [0, 45], lengthS: [25, 75],
      keysPerClient: 18, validShare: 0.35,
      resale: { share: 0.55, path: '/avm/v2/estimates', body: 'avmRequest' },
      uaMix: { idxKeyCheck: 25, requests2330: 20, resoPy: 20, idx: 20, aiohttp313: 15 },
    },
    // Path scanners, and harvesters of listings, their history, agents and offices with gaps
    // of 1-3; two in five of the harvesters fan out over 3-6 workers behind 12-40 proxy
    // exits, 2-7 consecutive requests an exit.
    scraping: {
      benign: false, count: 15, enumerateShare: 0.25, rate: [0.7, 3.5], startS: [0, 50],
      normalShare: 0.1, step: [1, 3],
      fanout: { share: 0.4, workers: [3, 6], chunk: [2, 7], exits: [12, 40] },
      uaMix: { listingHarvester: 25, scrapy213: 15, openvas: 10, zap: 10, headless146: 20, chromeWin146: 20 },
    },
    // Listings, agents and media lists walked very slowly with gaps of 2-9, dressed as link
    // unfurlers and search crawlers; a fifth harvest the market statistics instead; two in
    // five through 3-10 proxy exits.
    slow_scraper: {
      benign: false, count: 14, rate: [0.06, 0.45], startS: [0, 40], step: [2, 9],
      templates: [LISTING_REST, MEMBER, `${LISTING}/Media`],
      proxies: { share: 0.4, addresses: [3, 10] },
      grid: { share: 0.2, template: MARKET },
      uaMix: {
        twitterbot: 15, linkedinbot: 15, pinterestbot: 15, googleOther: 15, mojeek: 15,
        agentExtractor: 15, aiohttp313: 10,
      },
    },
    // Browsers reading listings one after the other, the next page now and then, stopping to
    // read often.
    mimic: {
      benign: false, count: 12, startS: [0, 50], gapS: [1.5, 7], otherShare: 0.18,
      pageShare: 0.12, readShare: 0.25, readS: [10, 45],
      template: LISTING_REST,
      uaMix: { chromeWin146: 25, chromeMac146: 20, edgeWin146: 15, firefoxMac148: 15, safariMac263: 15, opera131: 10 },
    },
    // Nine /24s, three addresses each, very slow.
    low_and_slow: {
      benign: false, networks: 9, addresses: 3, meanIntervalS: [20, 70], startS: [0, 55],
      uaMix: { dataprovider: 50, awario: 50 },
    },
    // Home buyers' accounts stuffed through the app's key, most copying the app.
    login_stuffing: {
      benign: false, count: 13, rate: [0.1, 0.8], startS: [0, 45], lengthS: [35, 88],
      correctShare: 0.03,
      uaMix: { buyerChecker: 30, appIos: 25, appAndroid: 25, urllib3250: 20 },
    },
    // A wide campaign: two to five addresses per /24, one to three attempts each, over
    // most of the phase.
    login_campaign: {
      benign: false, campaigns: 1, addresses: [180, 215], perNetwork: [2, 5], attempts: [1, 3],
      startS: [5, 30], lengthS: [45, 80], correctShare: 0.015,
      uaMix: { appIos: 45, appAndroid: 40, iphone263: 15 },
    },
    // Leaked IDX and back-office keys sprayed one per address, over most of the phase:
    // revoked, dormant accounts' and some made up, 2-5 tries each, 1-3 addresses per /24.
    key_spray: {
      benign: false, campaigns: 1, addresses: [105, 130], perNetwork: [1, 3], requests: [2, 5],
      validShare: 0.25, madeUpShare: 0.2, startS: [0, 15], lengthS: [65, 85],
      uaMix: { resoPy: 20, olingo: 15, requests2330: 20, curl8160: 20, gatling: 25 },
    },
    // Photos and listing batches of 430-960 KB where a couple of hundred KB is honest (and a
    // few hundred KB happens).
    oversized: {
      benign: false, count: 11, rate: [0.12, 0.8], startS: [0, 60], oversizedShare: 0.3,
      bytes: [430000, 960000],
      uaMix: { gatling: 25, jmeter: 25, axios112: 20, resoJs: 15, urllib3250: 15 },
    },
  },
};
