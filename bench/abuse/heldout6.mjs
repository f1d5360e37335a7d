// The sixth held-out mix of the abuse benchmark: written from scratch, without the engine's
// code or results in view, and different in structure from scenario.mjs, heldout.mjs,
// heldout2.mjs, heldout3.mjs, heldout4.mjs and heldout5.mjs, not only in seeds: another API
// (a maps platform's, sold per request: vector, raster and terrain tiles addressed by z/x/y,
// a record id that spans three path segments and that honest clients ask for in contiguous
// blocks; map styles, sprites and font glyph ranges; forward, autocomplete and reverse
// geocoding, the last by coordinates in the path; points of interest by sparse ten-digit
// numbers and their owners' contacts; directions, distance matrices, route optimisation and
// map matching as POSTs of a few hundred bytes to tens of KB per travel profile; customers'
// datasets by short code with PUT and DELETE of their features; shared maps by slug; bulk
// geocoding jobs as the batch ingest; fleet telematics providers' position webhooks; the
// provider's own hiking app's login), other User-Agents (MapLibre in browsers and in the
// provider's iOS and Android apps, QGIS, ArcGIS Pro, JOSM, GDAL, MapProxy, TileServer GL,
// Tableau, Power Query, dispatch consoles on Electron, geopy, Finch, Ktor, okhttp 5, hyper;
// attackers with SAS.Planet, Mobile Atlas Creator, a tile grabber, spoofed AhrefsBot,
// Bytespider and YandexBot, headless Chrome 133, dirsearch, xray, ProjectDiscovery's httpx,
// OpenBullet 2, a maps-key validator, Modat and Expanse scanners; Samsara, Geotab, Motive,
// Webfleet and Teletrac Navman webhook senders), other rates, burst shapes, durations,
// campaign sizes and spreads, and single addresses and /24s from ranges whose bounds no
// other mix uses. Honest clients here walk contiguous ids as a matter of course (a map's
// viewport is a block of neighbouring tiles; a cache seeder walks a region row by row), and
// attackers walk them too. Besides options of the other mixes (app_users.carrierNat,
// credential_stuffing.resale, key_spray.madeUpShare, mimic.readShare/readS,
// slow_scraper.proxies), it uses the tile reference kind (api.params 'tile') and four
// optional generator keys no other mix sets:
//   steady.viewport, nat.viewport, app_users.viewport
//                             a share of the users show a map: a block of cols x rows tiles
//                             at once, then on every pan the strip of tiles that came into
//                             view, on every zoom the whole block one zoom deeper or higher;
//   etl.region                cache seeders walk one region's tiles row by row, every tile,
//                             each sync resuming where the last stopped, zoom after zoom;
//   scraping.fanout           id walkers split the walk between parallel workers behind a
//                             rotating proxy pool: every address a few consecutive ids;
//   mimic.sweep               tile harvesters dressed as a map viewer: viewport blocks at
//                             human gaps, swept over a region like a lawnmower.
// Nothing may be tuned on it: not the engine, not its thresholds, not this file in response
// to the engine's figures, or it stops being held out. Run it with
//   node bench/abuse/run.mjs --scenario bench/abuse/heldout6.mjs
// Same shape and conventions as scenario.mjs (rates per second, times in seconds from the
// phase start, [a, b] a uniform draw per client, per burst or per request where said).
// Every class has at least 10 clients per trace, except the campaigns: one campaign each,
// of at least 100 addresses.

import benchmark from './scenario.mjs';

const VECTOR = '/tiles/v3/:tileset/:tile.mvt';
const RASTER = '/raster/v2/:imagery/:tile.jpg';

export default {
  name: 'heldout6',

  // Four seeds, none of the other mixes'.
  seeds: [61, 62, 63, 64],
  trainingSeedOffset: 1000,

  durationS: 90,

  // The benchmark's own settings, the same for every mix: the gateway and its engine
  // settings, the simulated customer's labels, the baselines (bench/abuse/scenario.mjs).
  gateway: benchmark.gateway,
  labels: benchmark.labels,
  baselines: benchmark.baselines,

  // Single clients in 127.150-229.x.x, whole /24s (campaigns, low-and-slow, partners' egress)
  // in 127.30-89.x.0/24. The other mixes split 127.2-254 at 15/16, 99/100 and 199/200 and
  // pair those four ranges; these bounds are none of theirs, the two pools are disjoint, and
  // they straddle the others' splits: single clients where the default mix's campaigns and
  // heldout4's and heldout5's partners were, campaigns where the default mix's single
  // clients were.
  addressPools: { hosts: [150, 229], networks: [30, 89] },

  // A maps platform's API, each product under a prefix and a version of its own: tiles
  // (/tiles/v3 vector, /raster/v2 imagery, /terrain/v1 elevation), /styles/v2, /fonts/v1,
  // /geocode/v6, /places/v2, /routing/v5, /datasets/v2, /share/v1, /platform. Bulk geocoding
  // jobs post address batches to /geocode/v6/batch (the ingest); fleet telematics providers
  // push vehicle positions to /fleet/v1/telemetry/webhook; the provider's hiking app signs
  // its users in at /explore/v3.
  api: {
    // Points of interest and dataset features: sparse ten-digit numbers (an open map
    // database's node ids), kept under the tile pyramid's half so that a walker's tile
    // indexes stay in it.
    maxId: 2800000000,
    idDensity: 0.1,
    // Datasets (short codes) and shared maps (slugs): about two fifths of the made-up exist.
    slugDensity: 0.42,
    // Tiles with data; the rest (open sea) are 404.
    tileDensity: 0.97,
    params: {
      tile: 'tile', // z/x/y: 14/8529/5683
      poi: 'numeric',
      feat: 'numeric',
      ds: 'code', // datasets: p7k2qx
      share: 'slug', // shared maps: teal-hat-3307
      tileset: ['atlas-streets-v8', 'atlas-outdoors-v5', 'atlas-transit-v3', 'atlas-admin-v2'],
      imagery: ['aerial-2024', 'aerial-2023', 'hillshade-v2'],
      style: ['daybreak', 'nightfall', 'trailhead', 'fleet-ops', 'paper'],
      fontstack: ['inter-regular', 'inter-bold', 'noto-sans-cjk-regular', 'roboto-mono-medium'],
      range: ['0-255', '256-511', '512-767', '768-1023', '8192-8447', '19968-20223'],
      profile: ['driving', 'driving-traffic', 'walking', 'cycling', 'truck'],
      // Longitude,latitude of the places reverse geocoding, nearby search and isochrones ask
      // about.
      coord: [
        '-122.4194,37.7749', '2.3522,48.8566', '13.4050,52.5200', '-0.1276,51.5072',
        '139.6917,35.6895', '-46.6333,-23.5505', '151.2093,-33.8688', '-73.9857,40.7484',
        '18.0686,59.3293', '28.9784,41.0082', '77.5946,12.9716', '-99.1332,19.4326',
        '4.8952,52.3702', '-3.7038,40.4168', '103.8198,1.3521', '31.2357,30.0444',
      ],
    },
    routes: [
      // Single tiles (static map renderers, prefetchers); maps on screens ask for blocks
      // (the viewport option below).
      { w: 14, method: 'GET', path: VECTOR },
      { w: 5, method: 'GET', path: RASTER },
      { w: 2, method: 'GET', path: '/terrain/v1/elevation/:tile.png' },
      { w: 3, method: 'GET', path: '/styles/v2/:style' },
      { w: 2, method: 'GET', path: '/styles/v2/:style/sprite.json' },
      { w: 3, method: 'GET', path: '/fonts/v1/:fontstack/:range.pbf' },
      { w: 10, method: 'GET', path: '/geocode/v6/forward', query: 'search', queryKey: 'q' },
      { w: 5, method: 'GET', path: '/geocode/v6/autocomplete', query: 'search', queryKey: 'text' },
      { w: 6, method: 'GET', path: '/geocode/v6/reverse/:coord' },
      { w: 7, method: 'GET', path: '/places/v2/poi/:poi' },
      { w: 2, method: 'GET', path: '/places/v2/poi/:poi/photos' },
      { w: 3, method: 'GET', path: '/places/v2/nearby/:coord' },
      { w: 3, method: 'GET', path: '/places/v2/browse', query: 'page', queryKey: 'offset' },
      { w: 1, method: 'GET', path: '/places/v2/categories' },
      { w: 9, method: 'POST', path: '/routing/v5/directions/:profile', body: 'route' },
      { w: 3, method: 'POST', path: '/routing/v5/matrix/:profile', body: 'matrix' },
      { w: 1, method: 'POST', path: '/routing/v5/optimize', body: 'vrp' },
      { w: 2, method: 'GET', path: '/routing/v5/isochrone/:profile/:coord' },
      { w: 1, method: 'POST', path: '/routing/v5/map-match/:profile', body: 'trace' },
      { w: 2, method: 'GET', path: '/datasets/v2' },
      { w: 2, method: 'GET', path: '/datasets/v2/:ds/features', query: 'page', queryKey: 'start' },
      { w: 1, method: 'PUT', path: '/datasets/v2/:ds/features/:feat', body: 'feature' },
      { w: 1, method: 'DELETE', path: '/datasets/v2/:ds/features/:feat' },
      { w: 1, method: 'GET', path: '/share/v1/maps/:share' },
      { w: 1, method: 'GET', path: '/platform/usage/today' },
    ],
    extraRoutes: [
      // The key's own scopes and URL restrictions: what key checkers ask.
      { method: 'GET', path: '/platform/keys/self' },
      // Businesses' owners' phone numbers and e-mail addresses: what a data thief is after.
      { method: 'GET', path: '/places/v2/poi/:poi/contact' },
      // Where the telematics providers' webhooks arrive.
      { method: 'POST', path: '/fleet/v1/telemetry/webhook', status: 200 },
      { method: 'GET', path: '/platform/health' },
    ],
    searchWords: [
      'alexanderplatz', 'shibuya', 'paulista', 'rivoli', 'marylebone', 'gamla+stan', 'istiklal',
      'koramangala', 'zocalo', 'jordaan', 'chamberi', 'tiong+bahru',
    ],
    // Bulk geocoding jobs: a thousand addresses a batch.
    ingest: { path: '/geocode/v6/batch', body: 'addresses' },
    // The provider's hiking app: e-mail addresses.
    login: {
      path: '/explore/v3/account/authenticate', users: 30000, userStyle: 'email',
      domain: 'trailpost.example',
    },
    // me, list, browse, poll and ping are plain paths (no placeholders).
    paths: {
      me: '/platform/keys/self',
      list: '/places/v2/browse',
      detail: '/places/v2/poi/:poi',
      browse: '/datasets/v2',
      poll: '/platform/usage/today',
      // Imagery cache warmers walk aerial tiles.
      sync: RASTER,
      ping: '/platform/health',
      // Businesses' contacts and details, and whole rows of vector tiles.
      walk: ['/places/v2/poi/:poi/contact', '/places/v2/poi/:poi', VECTOR],
      upload: ['/routing/v5/directions/:profile', '/routing/v5/matrix/:profile'],
      enumPrefixes: [
        '', '/tiles', '/tiles/v3', '/styles/v2', '/geocode/v6', '/routing/v5', '/datasets/v2',
        '/platform', '/admin', '/tileserver', '/wms',
      ],
    },
    bodies: {
      route: { median: 650, sigma: 0.5 }, // waypoints, options
      matrix: { median: 8000, sigma: 0.8 }, // tens of origins and destinations
      vrp: { median: 55000, sigma: 0.6 }, // vehicles, jobs, time windows
      trace: { median: 22000, sigma: 0.7 }, // a GPS trace to match
      feature: { median: 1400, sigma: 0.7 }, // a GeoJSON feature
      addresses: { median: 32000, sigma: 0.45 }, // a bulk geocoding batch
      positions: { median: 2600, sigma: 0.6 }, // a webhook's vehicle positions
      bulkMatrix: { median: 48000, sigma: 0.5 }, // resold keys: hundreds-by-hundreds matrices
    },
  },

  userAgents: {
    // Maps in browsers (MapLibre GL JS), the provider's app, GIS desktops, BI tools.
    chromeWin133: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 ' +
      '(KHTML, like Gecko) Chrome/133.0.0.0 Safari/537.36',
    firefoxWin135: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:135.0) Gecko/20100101 Firefox/135.0',
    safariMac183: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 ' +
      '(KHTML, like Gecko) Version/18.3 Safari/605.1.15',
    edgeWin133: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 ' +
      '(KHTML, like Gecko) Chrome/133.0.0.0 Safari/537.36 Edg/133.0.3065.69',
    chromeLinux133: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) ' +
      'Chrome/133.0.0.0 Safari/537.36',
    iphone183: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_3 like Mac OS X) AppleWebKit/605.1.15 ' +
      '(KHTML, like Gecko) Version/18.3 Mobile/15E148 Safari/604.1',
    chromeAndroid133: 'Mozilla/5.0 (Linux; Android 15; SM-S931B) AppleWebKit/537.36 ' +
      '(KHTML, like Gecko) Chrome/133.0.6943.89 Mobile Safari/537.36',
    appIos: 'Trailpost/5.2.1 (com.trailpost.explore; build:5210; iOS 18.3) MapLibre/6.9.0',
    appAndroid: 'Trailpost-Android/5.2.0 (Pixel 8a; Android 15) MapLibreNative/11.8.0',
    dispatch: 'DepotDispatch/4.2.0 (Windows NT 10.0; Electron 33.3.1)',
    qgis: 'Mozilla/5.0 QGIS/34002/Windows 11 Version 2009',
    arcgis: 'ArcGIS Pro 3.4.0 (Windows 10.0.22631)',
    josm: 'JOSM/1.5 (19277 en) Linux Ubuntu 24.04.1 LTS',
    tableau: 'Tableau Desktop 2024.3 (20243.24.1211.0334)',
    powerQuery: 'Microsoft.Data.Mashup (https://go.microsoft.com/fwlink/?LinkID=304225)',
    // Back ends, jobs and cache seeders.
    geopy: 'geopy/2.4.1',
    finch: 'Finch/0.19.0 (Elixir 1.18.1)',
    ktor: 'Ktor client',
    okhttp5: 'okhttp/5.0.0-alpha.14',
    hyper: 'hyper/1.5.2',
    httpx0281: 'python-httpx/0.28.1',
    undici6: 'undici/6.21.1',
    phpCurl: 'PHP-Curl-Class/11.0.3 (+https://github.com/php-curl-class/php-curl-class) PHP/8.3.15',
    gdal: 'GDAL/3.10.1',
    mapproxy: 'MapProxy-3.1.3',
    tileserverGl: 'TileServer-GL/5.1.3 (seed)',
    goTileproxy: 'go-tileproxy/1.4.2',
    // Attack tools (and the browsers, apps and libraries above, which attackers claim too).
    requests228: 'python-requests/2.28.2',
    aiohttp38: 'Python/3.10 aiohttp/3.8.6',
    curl812: 'curl/8.12.1',
    wget125: 'Wget/1.25.0',
    axios17: 'axios/1.7.9',
    java21: 'Java/21.0.6',
    scrapy212: 'Scrapy/2.12.0 (+https://scrapy.org)',
    headless133: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) ' +
      'HeadlessChrome/133.0.6943.53 Safari/537.36',
    sasPlanet: 'SAS.Planet/241225',
    mobac: 'Mobile Atlas Creator/2.3.3',
    tileGrabber: 'tile-grabber/0.9.4 (python aiohttp)',
    ahrefs: 'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)',
    bytespider: 'Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) ' +
      'Mobile Safari/537.36 (compatible; Bytespider; spider-feedback@bytedance.com)',
    yandex: 'Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)',
    dirsearch: 'dirsearch/0.4.3',
    xray: 'xray/1.9.11 (chaitin)',
    pdHttpx: 'httpx - Open-source project (github.com/projectdiscovery/httpx)',
    openBullet2: 'OpenBullet2/0.3.2',
    keyValidator: 'maps-key-validator/0.6 (node 20.11.1)',
    modat: 'Mozilla/5.0 (compatible; ModatScanner/1.1; +https://modat.io/)',
    expanse: 'Expanse, a Palo Alto Networks company, searches across the global IPv4 space',
    // Webhook senders.
    samsara: 'Samsara-Webhooks/1.0',
    geotab: 'Geotab-DataFeed/6.1',
    motive: 'Motive-Webhooks/2.0 (+https://gomotive.com)',
    webfleet: 'WEBFLEET.connect-push/1.63',
    teletrac: 'TeletracNavman-Push/3.2',
  },
  uaMix: {
    benign: {
      chromeWin133: 12, firefoxWin135: 6, safariMac183: 6, edgeWin133: 6, chromeLinux133: 3,
      qgis: 6, arcgis: 5, josm: 2, tableau: 3, powerQuery: 3, geopy: 8, finch: 4, ktor: 6,
      okhttp5: 6, hyper: 4, httpx0281: 8, undici6: 8, phpCurl: 4,
    },
    attack: {
      chromeWin133: 8, edgeWin133: 5, safariMac183: 4, headless133: 10, requests228: 14,
      aiohttp38: 12, curl812: 8, wget125: 5, scrapy212: 8, axios17: 8, java21: 6, httpx0281: 6,
      undici6: 6,
    },
  },

  classes: {
    // --- benign -----------------------------------------------------------------------
    // Customers' back offices and sites: logistics planners routing and geocoding, store
    // locators, real-estate CRMs, GIS desktops. Half of them show a live map: a block of 3-6
    // by 2-4 vector tiles, then a pan every 2-12 s (the strip of new tiles) or a zoom (the
    // whole block again). Places closed since (404), a few calls with a rotated key.
    steady: {
      benign: true, count: 24, rate: [0.15, 1.6], startS: [0, 25],
      staleIdShare: 0.035, authFailShare: 0.008,
      viewport: {
        share: 0.5, template: VECTOR, cols: [3, 6], rows: [2, 4], zoom: [10, 16],
        panS: [2, 12], shift: [1, 2], zoomShare: 0.25, tileMs: [2, 30],
      },
    },
    // Bulk geocoding jobs (address batches to the ingest) and imagery cache warmers walking
    // aerial tiles row by row: long, moderate bursts, a rare poll of the usage.
    batch: {
      benign: true, count: 12, pollRate: 0.04, burstRate: [8, 22], burstS: [4, 12],
      firstBurstS: [0, 30], gapS: [15, 40], staleIdShare: 0.015, ingestShare: 0.5,
      uaMix: { geopy: 25, finch: 15, httpx0281: 20, mapproxy: 20, gdal: 20 },
    },
    // Depot servers seeding their on-premise tile caches (their plan allows it): one region
    // of 6-20 by 4-12 tiles at zoom 11-14, then deeper zooms, row by row, every tile, short
    // fast syncs with short gaps, each resuming where the last stopped.
    etl: {
      benign: true, count: 10, pollRate: 0.02, burstRate: [12, 32], burstS: [3, 8],
      firstBurstS: [0, 25], gapS: [10, 30], staleIdShare: 0.01,
      template: VECTOR,
      region: { cols: [6, 20], rows: [4, 12], zoom: [11, 14] },
      uaMix: { mapproxy: 35, tileserverGl: 25, gdal: 20, goTileproxy: 20 },
    },
    // Dispatch centres: dispatchers behind each centre's egress, three quarters with a large
    // map on screen (4-7 by 3-4 tiles) that they pan and zoom now and then.
    nat: {
      benign: true, gateways: 4, users: [4, 10], rate: [0.06, 0.5], startS: [0, 40],
      staleIdShare: 0.03, authFailShare: 0.015,
      viewport: {
        share: 0.75, template: VECTOR, cols: [4, 7], rows: [3, 4], zoom: [11, 15],
        panS: [3, 18], shift: [1, 3], zoomShare: 0.3, tileMs: [2, 25],
      },
      uaMix: { dispatch: 50, chromeWin133: 25, edgeWin133: 25 },
    },
    // Fleet telematics providers pushing vehicle positions from wide egress pools (3-7 /24s,
    // 15-50 addresses): steady trickles in short bursts with short gaps.
    partner: {
      benign: true, count: 10, networks: [3, 7], addresses: [15, 50], burstRate: [2, 7],
      burstS: [2, 6], firstBurstS: [0, 15], gapS: [3, 10],
      path: '/fleet/v1/telemetry/webhook', body: 'positions',
      uaMix: { samsara: 20, geotab: 20, motive: 20, webfleet: 20, teletrac: 20 },
    },
    // The provider's hiking app (and its web version) through the app's key: hikers sign in,
    // and four fifths of them look at a map: a phone's block of 2-4 by 3-5 tiles, panned
    // every 1.5-8 s, zoomed often. A quarter are on mobile data behind a carrier's NAT.
    app_users: {
      benign: true, count: [55, 75], startS: [0, 70], mistypeShare: 0.11, retryS: [4, 25],
      thinkS: [1, 5], rate: [0.04, 0.3], sessionS: [25, 85], staleIdShare: 0.02,
      carrierNat: { share: 0.25, addresses: [2, 5] },
      viewport: {
        share: 0.8, template: VECTOR, cols: [2, 4], rows: [3, 5], zoom: [11, 16],
        panS: [1.5, 8], shift: [1, 2], zoomShare: 0.3, tileMs: [4, 40],
      },
      uaMix: {
        appIos: 35, appAndroid: 35, iphone183: 10, chromeAndroid133: 10, safariMac183: 5,
        firefoxWin135: 5,
      },
    },

    // --- attacks ----------------------------------------------------------------------
    key_guessing: {
      benign: false, count: 10, rate: [1, 7], startS: [0, 55], lengthS: [15, 45],
      uaMix: { keyValidator: 30, requests228: 25, curl812: 20, axios17: 25 },
    },
    // Keys lifted from customers' web pages (maps keys ship in page scripts): many still
    // valid; those that work are resold to a grey-market delivery app as huge matrices.
    credential_stuffing: {
      benign: false, count: 10, rate: [0.5, 2.5], startS: [0, 40], lengthS: [30, 65],
      keysPerClient: 28, validShare: 0.35,
      resale: { share: 0.6, path: '/routing/v5/matrix/:profile', body: 'bulkMatrix' },
      uaMix: { requests228: 30, aiohttp38: 25, axios17: 25, java21: 20 },
    },
    // Directory busters, and walkers of businesses' contacts and of tile rows; three fifths
    // of the walkers fan out over 3-6 parallel workers behind 25-60 proxy exits, each exit
    // 3-8 consecutive requests at a time.
    scraping: {
      benign: false, count: 14, enumerateShare: 0.3, rate: [1.5, 5], startS: [0, 45],
      normalShare: 0.12,
      fanout: { share: 0.6, workers: [3, 6], chunk: [3, 8], exits: [25, 60] },
      uaMix: {
        scrapy212: 15, headless133: 15, pdHttpx: 10, dirsearch: 10, xray: 5, tileGrabber: 15,
        aiohttp38: 15, chromeWin133: 15,
      },
    },
    // Offline-atlas tools and crawlers: contacts, vector and aerial tiles, one or two
    // templates, very slowly, small gaps; two fifths through a few proxy exits.
    slow_scraper: {
      benign: false, count: 11, rate: [0.08, 0.45], startS: [0, 20], step: [1, 3],
      templates: ['/places/v2/poi/:poi/contact', VECTOR, RASTER],
      proxies: { share: 0.4, addresses: [4, 10] },
      uaMix: { sasPlanet: 25, mobac: 25, ahrefs: 15, bytespider: 15, yandex: 20 },
    },
    // Browsers harvesting businesses in id order, or (half of them) tiles as if panning a
    // map: viewport blocks at zoom 13-16 swept east, then a band further south.
    mimic: {
      benign: false, count: 12, startS: [0, 15], gapS: [0.8, 3.5], otherShare: 0.15,
      pageShare: 0.05, readShare: 0.05, readS: [5, 15],
      sweep: {
        share: 0.5, template: VECTOR, cols: [3, 5], rows: [2, 4], zoom: [13, 16],
        band: [4, 12], tileMs: [3, 35],
      },
      uaMix: {
        chromeWin133: 30, safariMac183: 20, edgeWin133: 15, iphone183: 15, chromeAndroid133: 20,
      },
    },
    // Thirteen /24s, one address each.
    low_and_slow: {
      benign: false, networks: 13, addresses: 1, meanIntervalS: [7, 16], startS: [0, 30],
      uaMix: { modat: 25, expanse: 25, curl812: 25, java21: 25 },
    },
    // Through the hiking app's key, most copying the app.
    login_stuffing: {
      benign: false, count: 10, rate: [0.4, 2.8], startS: [0, 40], lengthS: [20, 50],
      correctShare: 0.022,
      uaMix: {
        openBullet2: 25, appIos: 15, appAndroid: 20, chromeAndroid133: 15, iphone183: 10,
        requests228: 15,
      },
    },
    // A patient campaign from rented servers: fewer addresses, 2-6 per /24, 4-9 attempts
    // each, nearly the whole phase.
    login_campaign: {
      benign: false, campaigns: 1, addresses: [115, 150], perNetwork: [2, 6], attempts: [4, 9],
      startS: [0, 10], lengthS: [60, 80], correctShare: 0.018,
      uaMix: { appAndroid: 35, appIos: 30, chromeAndroid133: 20, iphone183: 15 },
    },
    // Keys collected from page scripts sprayed from residential proxies: revoked keys,
    // dormant accounts' and a few made-up ones, 2-5 tries each.
    key_spray: {
      benign: false, campaigns: 1, addresses: [180, 240], perNetwork: [1, 4], requests: [2, 5],
      validShare: 0.3, madeUpShare: 0.08, startS: [5, 25], lengthS: [40, 60],
      uaMix: { axios17: 25, requests228: 25, java21: 20, curl812: 15, undici6: 15 },
    },
    // Directions and matrices of hundreds of KB (a few hundred bytes to a few KB honestly).
    oversized: {
      benign: false, count: 10, rate: [0.2, 1.2], startS: [0, 45], oversizedShare: 0.3,
      bytes: [250000, 900000],
      uaMix: { aiohttp38: 25, httpx0281: 20, axios17: 20, java21: 15, ktor: 20 },
    },
  },
};
