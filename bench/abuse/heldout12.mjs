// The twelfth held-out mix of the abuse benchmark: written from scratch, without the engine's
// code or results in view, and different in structure from scenario.mjs, heldout.mjs,
// heldout2.mjs, heldout3.mjs, heldout4.mjs, heldout5.mjs, heldout6.mjs, heldout7.mjs,
// heldout8.mjs, heldout9.mjs, heldout10.mjs and heldout11.mjs, not only in seeds: another API
// (a weather data provider's, the kind it sells to energy traders and wind farms, farms and
// agronomy platforms, insurers, logistics and drone operators, event venues, broadcasters and
// smart-home hubs: a lookup API in Google's custom-method style (/v1/currentConditions:lookup,
// /v1/forecast/hours:lookup, /v1/history/areas:aggregate, a colon and a verb at the end of
// the last segment) with the place in a query parameter as coordinates or a postcode; a
// forecast API in the old Dark Sky style with the place in the path as "lat,lon" and its
// "time machine" with a Unix day appended to the coordinates in the same segment
// (/forecast/v2/29.7604,-95.3698,1769904000); observing stations by sparse station numbers of
// up to five digits (about one in eight exists) with their latest observation, a day's
// observations by ISO date and their climate normals by month; weather alerts by UUID (many
// expired and purged since) and the active ones per forecast zone by upper-case zone code
// (TXZ211); tropical storms by short code with their track, advisories after a cursor and
// wind probabilities per threshold; numerical weather prediction output as GRIB2 files per
// model, run (a ten-digit cycle) and forecast step (/models/v1/gfs-0p25/runs/2026030106/
// steps/042.grib2); customers' monitored assets created with PUT by the customers' own UUIDs
// (201, or 409 when the asset is there already); bulk point forecasts and forecasts along a
// route as POSTs of a few KB; a model-run feed the jobs poll; personal weather station
// networks' observation batches as the ingest; lightning detection networks and station
// clouds posting strike batches as the webhooks; the consumer weather app's sign-in by
// username, its saved places' "now" screen, its radar loops per radar site, frame by frame),
// other User-Agents (the provider's own SDKs for Python 3.14, Node 24 and Go 1.25, Home
// Assistant and openHAB, agronomy, energy load-forecasting, wind-farm SCADA, dispatch,
// claims-verification, drone pre-flight, venue lightning-safety and flight-briefing tools,
// broadcasters' weather graphics desks, Herbie-style GRIB downloaders, a climate archiver, an
// Airbyte source and Kestra flows, station relays; its app on iOS over CFNetwork, Android
// over okhttp and its home-screen widget; Chrome 147, Edge 147, Vivaldi 7.7, Firefox 149 on
// Windows and Linux, Safari 26.4 on macOS and iPhone, Chrome on Android 16; attackers with a
// forecast harvester on Puppeteer, a weather-key checker, a weather-app combo checker on
// tls-client, a storm-feed mirror on Go, python-requests 2.32.2, niquests, curl 8.18, Wget2,
// Java's HttpClient, Faraday, headless Chrome 147, spoofed Qwantbot, SeekportBot, Barkrowler,
// Timpibot and archive.org's crawler, Acunetix and Nessus, Thinkbot and wpbot as scanners,
// Siege and JMeter's Apache HttpClient 5; Vaisala, Earth Networks, Blitzortung,
// WeatherFlow, Davis and Netatmo feeds as webhook senders), other rates, burst shapes,
// durations, campaign sizes and spreads, and single addresses and /24s from ranges whose
// bounds no other mix uses (the single clients all in one /16). Honest clients here are
// hard on purpose: when a model run lands (about 30 s into the phase) every batch job that
// had been polling the model-run feed every few seconds fires its first burst within the
// same few seconds, tens of requests a second each, a flash crowd of machines walking
// station numbers in ascending order; GRIB downloaders take a run's forecast steps 000, 001,
// 002, ... in order at tens of requests a second; climate archivers walk every station's
// observations of one day in ascending order; asset platforms PUT their customers' assets
// blind (409s) or probe first (404s); API clients meet many 404s (alerts purged, stations
// retired) and a few 401s (keys being rotated), a fifth page through the whole station list
// as fast as the answers come, and a third follow the active storms on a timer, the same few
// storm codes as everyone else, with a cursor that makes nearly every URL new; newsrooms and
// storm rooms behind one office address follow the storms too; station networks post
// observation batches of tens of KB; lightning networks deliver strike batches in storm-long
// bursts from wide egress pools; users of the app arrive all through the phase, two in five
// from a few carrier addresses (a festival being evacuated under a thunderstorm warning), more
// than a fifth mistyping their password, nearly half with a "now" screen that reloads every
// 10-30 s, a third playing a radar loop whose frames 1, 2, 3, ... load a fraction of a
// second apart, then reporting the weather where they are. Attackers harvest stations, storms
// and alerts (a third fanned out over proxy exits), scan paths, walk station days, normals
// and storm tracks very slowly with wide gaps (two in five through proxies, a third
// harvesting the time machine city by city and day by day), dressed as search crawlers and
// archivers; read station pages one after the other dressed as a browser, stopping to read;
// check weather keys lifted from smart-home configs and microcontroller sketches and resell
// bulk forecasts with the ones that work; spray keys one per address over most of the phase;
// stuff the app's sign-in through its key from one address or a wide campaign of three to
// six addresses a /24, one or two tries each; and post observation batches and bulk
// forecasts of up to 940 KB. It uses options of the other mixes only (steady.paging and
// .live, nat.live, etl.upsert and .grid, app_users.carrierNat, .refresh and .ceremony,
// credential_stuffing.resale, key_guessing.foreignShare, key_spray.madeUpShare,
// mimic.readShare/readS, scraping.step and .fanout, slow_scraper.step, .proxies and .grid),
// and no generator option of its own: a custom method's verb is a list of one name
// (api.params.lookup is [':lookup']), so that the template keeps its colon.
// Nothing may be tuned on it: not the engine, not its thresholds, not this file in response
// to the engine's figures, or it stops being held out. Run it with
//   node bench/abuse/run.mjs --scenario bench/abuse/heldout12.mjs
// Same shape and conventions as scenario.mjs (rates per second, times in seconds from the
// phase start, [a, b] a uniform draw per client, per burst or per request where said).
// Every class has at least 10 clients per trace, except the campaigns: one campaign each,
// of at least 100 addresses.

import benchmark from './scenario.mjs';

const STATION = '/v3/stations/:station';
const STATION_DAY = `${STATION}/observations/:day`;
const NORMALS = `${STATION}/climate/normals/:month`;
const ALERT = '/v3/alerts/:alert';
const STORM = '/v3/storms/:storm';
const ASSET = '/v3/assets/:asset';
const TIME_MACHINE = '/forecast/v2/:point,:unix';
const GRIB = '/models/v1/:model/runs/:cycle/steps/:step.grib2';
const LOOP = '/app/v7/radar/sites/:site/loop';
const PLACE = '/app/v7/places/:place';

// What a storm tracker polls for each storm it follows: the track, the advisories after the
// last one it had, the wind probabilities at one threshold.
const STORM_POLLS = [
  { path: `${STORM}/track` },
  { path: `${STORM}/advisories`, cursorKey: 'after' },
  { path: `${STORM}/wind-probabilities/:threshold` },
];

// The days the archive serves: 2026-01-01 to 2026-03-01, as ISO dates and as the Unix time
// of their midnight (UTC).
const DAY0 = Date.UTC(2026, 0, 1);
const DAYS = Array.from({ length: 60 }, (_, i) => new Date(DAY0 + i * 86400000).toISOString().slice(0, 10));
const UNIX_DAYS = Array.from({ length: 60 }, (_, i) => String(DAY0 / 1000 + i * 86400));

export default {
  name: 'heldout12',

  // Four seeds, none of the other mixes'; the training traces (1121-1124) are none of theirs
  // either.
  seeds: [121, 122, 123, 124],
  trainingSeedOffset: 1000,

  durationS: 90,

  // The benchmark's own settings, the same for every mix: the gateway and its engine
  // settings, the simulated customer's labels, the baselines (bench/abuse/scenario.mjs).
  gateway: benchmark.gateway,
  labels: benchmark.labels,
  baselines: benchmark.baselines,

  // Single clients all in 127.18.x.x, whole /24s (campaigns, low-and-slow, partners' egress)
  // in 127.3-13.x.0/24. The other mixes' bounds are 1, 2, 14, 15, 16, 17, 19, 29, 30, 41,
  // 56, 58, 66, 89, 99, 100, 113, 121, 124, 137, 147, 150, 163, 199, 200, 218, 229, 231, 233,
  // 249, 252 and 254; these are none of them, and the two pools are disjoint. They sit where
  // the fewest other pools do: 127.18 is in three (the default mix's hosts, heldout2's and
  // heldout11's networks), 127.3-13 in three (heldout's networks, heldout3's and heldout11's
  // hosts); every second octet but 127.1 and 127.15-16 is in three or more.
  addressPools: { hosts: [18, 18], networks: [3, 13] },

  // A weather data provider's API. The lookup API under /v1 (custom methods); the Dark Sky
  // style forecast and time machine under /forecast/v2; stations, alerts, storms, bulk and
  // route forecasts, monitored assets, the account and the model-run feed under /v3; model
  // output under /models/v1; the consumer app's own routes under /app/v7. Station networks
  // post observation batches to /ingest/v2/observations (the ingest); lightning networks and
  // station clouds post strike batches to /inbound/v1/lightning; the app's users sign in at
  // /id/v2/sessions.
  api: {
    // Observing stations: numbers of up to five digits, sparse (about one in eight): the
    // numbering leaves room per region, and stations are retired.
    maxId: 49999,
    idDensity: 0.12,
    // Storms and the app's saved places (short codes): a bit under half of the well-shaped
    // ones exist.
    slugDensity: 0.45,
    // Alerts and monitored assets (UUIDs): alerts expire and are purged, so a bit over two
    // in three are there.
    uuidDensity: 0.7,
    params: {
      station: 'numeric',
      storm: 'code',
      place: 'code',
      alert: 'uuid',
      asset: 'uuid', // the customers' own ids for their assets
      // A custom method's verb (AIP-136): a list of one name, colon included, so that the
      // placeholder leaves `:lookup` in the path as it is.
      lookup: [':lookup'],
      aggregate: [':aggregate'],
      // Latitude,longitude of the places the Dark Sky style API is asked about.
      point: [
        '47.6062,-122.3321', '45.5152,-122.6784', '39.7392,-104.9903', '35.4676,-97.5164',
        '29.7604,-95.3698', '29.9511,-90.0715', '25.7617,-80.1918', '27.9506,-82.4572',
        '33.7490,-84.3880', '32.7765,-79.9311', '41.8781,-87.6298', '44.9778,-93.2650',
        '41.5868,-93.6250', '39.0997,-94.5786', '42.3601,-71.0589', '40.7128,-74.0060',
        '33.4484,-112.0740', '40.7608,-111.8910', '61.2181,-149.9003', '21.3069,-157.8583',
        '43.6532,-79.3832', '64.1466,-21.9426', '14.5995,120.9842', '-12.4634,130.8456',
      ],
      unix: UNIX_DAYS,
      day: DAYS,
      month: Array.from({ length: 12 }, (_, i) => String(i + 1).padStart(2, '0')),
      zone: [
        'WAZ558', 'ORZ006', 'CAZ041', 'AZZ542', 'COZ039', 'TXZ211', 'OKZ025', 'KSZ083', 'NEZ052',
        'MNZ060', 'IAZ062', 'ILZ014', 'LAZ069', 'FLZ172', 'GAZ033', 'NCZ045', 'VAZ053', 'NYZ072',
        'MAZ015', 'AKZ101',
      ],
      threshold: ['34kt', '50kt', '64kt'],
      model: ['gfs-0p25', 'gefs-0p50', 'hrrr-conus', 'nam-conus-3km', 'ecmwf-ifs-0p25', 'icon-global', 'gdps-15km', 'aifs-0p25'],
      cycle: ['2026030100', '2026030106', '2026030112', '2026030118', '2026030200', '2026030206', '2026030212', '2026030218'],
      step: Array.from({ length: 121 }, (_, i) => String(i).padStart(3, '0')), // forecast hours 000-120
      site: [
        'KATX', 'KRTX', 'KMUX', 'KIWA', 'KFTG', 'KTLX', 'KFWS', 'KHGX', 'KLIX', 'KAMX', 'KTBW',
        'KFFC', 'KLOT', 'KMPX', 'KDMX', 'KEAX', 'KLWX', 'KOKX', 'KBOX', 'PAHG',
      ],
      page: Array.from({ length: 36 }, (_, i) => String(i + 1)), // a radar loop's frames
    },
    routes: [
      { w: 10, method: 'GET', path: '/v1/currentConditions:lookup', query: 'search', queryKey: 'location' },
      { w: 9, method: 'GET', path: '/v1/forecast/hours:lookup', query: 'search', queryKey: 'location' },
      { w: 6, method: 'GET', path: '/v1/forecast/days:lookup', query: 'search', queryKey: 'location' },
      { w: 2, method: 'GET', path: '/v1/history/hours:lookup', query: 'search', queryKey: 'location' },
      { w: 3, method: 'GET', path: '/v1/publicAlerts:lookup', query: 'search', queryKey: 'location' },
      { w: 2, method: 'POST', path: '/v1/history/areas:aggregate', body: 'areaQuery' },
      { w: 6, method: 'GET', path: '/forecast/v2/:point' },
      { w: 3, method: 'GET', path: TIME_MACHINE },
      { w: 5, method: 'GET', path: '/v3/stations', query: 'page' },
      { w: 7, method: 'GET', path: STATION },
      { w: 6, method: 'GET', path: `${STATION}/observations/latest` },
      { w: 3, method: 'GET', path: STATION_DAY },
      { w: 2, method: 'GET', path: NORMALS },
      { w: 1, method: 'POST', path: `${STATION}/observations`, body: 'observation' },
      { w: 3, method: 'GET', path: '/v3/alerts/active' },
      { w: 3, method: 'GET', path: '/v3/alerts/active/zone/:zone' },
      { w: 4, method: 'GET', path: ALERT },
      { w: 2, method: 'GET', path: '/v3/storms' },
      { w: 2, method: 'GET', path: STORM },
      { w: 2, method: 'GET', path: `${STORM}/track` },
      { w: 2, method: 'GET', path: '/models/v1/:model/runs' },
      { w: 2, method: 'GET', path: GRIB },
      { w: 3, method: 'POST', path: '/v3/forecasts/bulk', body: 'bulkPoints' },
      { w: 2, method: 'POST', path: '/v3/routes/forecast', body: 'routeForecast' },
      { w: 2, method: 'GET', path: ASSET },
      { w: 1, method: 'GET', path: `${ASSET}/alerts` },
      { w: 2, method: 'GET', path: '/v3/account' },
      { w: 1, method: 'GET', path: '/v3/account/usage' },
      { w: 1, method: 'GET', path: '/v3/feeds/model-runs' },
    ],
    extraRoutes: [
      // Monitored assets created by the customer's own UUID: 201, or 409 if it is there
      // already.
      { method: 'PUT', path: ASSET, create: true, status: 201 },
      // What storm trackers poll besides the track.
      { method: 'GET', path: `${STORM}/advisories` },
      { method: 'GET', path: `${STORM}/wind-probabilities/:threshold` },
      // The consumer app: a saved place's "now" screen (it reloads on a timer), a radar
      // site's loop and its frames, a weather report from where the user is.
      { method: 'GET', path: `${PLACE}/now` },
      { method: 'GET', path: LOOP },
      { method: 'GET', path: `${LOOP}/frames/:page.webp` },
      { method: 'POST', path: `${PLACE}/reports`, status: 201 },
      // Where lightning networks and station clouds post.
      { method: 'POST', path: '/inbound/v1/lightning', status: 200 },
      { method: 'GET', path: '/healthz' },
    ],
    // What the lookup API's `location` takes: coordinates or a postcode.
    searchWords: [
      '47.61,-122.33', '39.74,-104.99', '35.47,-97.52', '29.76,-95.37', '25.76,-80.19',
      '41.88,-87.63', '40.71,-74.01', '33.45,-112.07', '44.98,-93.27', '42.36,-71.06',
      '98101', '80202', '73102', '77002', '33130', '60601',
    ],
    // Personal weather station networks: batches of their stations' observations.
    ingest: { path: '/ingest/v2/observations', body: 'obsBatch' },
    // The app's users: usernames (the community's handles).
    login: { path: '/id/v2/sessions', users: 60000 },
    paths: {
      me: '/v3/account',
      list: '/v3/stations',
      detail: STATION,
      // The active alerts: what stuffed keys pull (for a pirate alerting service).
      browse: '/v3/alerts/active',
      poll: '/v3/feeds/model-runs',
      // Forecast fetchers pull each station's latest observation.
      sync: `${STATION}/observations/latest`,
      ping: '/healthz',
      // Stations, storms, alerts, latest observations.
      walk: [STATION, STORM, ALERT, `${STATION}/observations/latest`],
      // Observation batches and bulk forecasts far larger than any honest one.
      upload: ['/ingest/v2/observations', '/v3/forecasts/bulk'],
      enumPrefixes: ['', '/v1', '/v2', '/v3', '/forecast/v2', '/models/v1', '/app/v7', '/wx-admin', '/data'],
    },
    bodies: {
      areaQuery: { median: 2400, sigma: 0.5 }, // a GeoJSON polygon and the fields wanted
      observation: { median: 420, sigma: 0.3 },
      bulkPoints: { median: 9000, sigma: 0.5 }, // a few hundred points
      routeForecast: { median: 3500, sigma: 0.4 }, // a polyline and departure times
      assetProfile: { median: 700, sigma: 0.35 },
      report: { median: 300, sigma: 0.3 },
      obsBatch: { median: 28000, sigma: 0.55 },
      strikeBatch: { median: 1600, sigma: 0.6 },
    },
  },

  userAgents: {
    // Browsers: forecasters' and analysts' desks, the provider's web console.
    chromeWin147: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 ' +
      '(KHTML, like Gecko) Chrome/147.0.0.0 Safari/537.36',
    chromeMac147: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 ' +
      '(KHTML, like Gecko) Chrome/147.0.0.0 Safari/537.36',
    edgeWin147: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 ' +
      '(KHTML, like Gecko) Chrome/147.0.0.0 Safari/537.36 Edg/147.0.3912.51',
    vivaldi77: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 ' +
      '(KHTML, like Gecko) Chrome/146.0.0.0 Safari/537.36 Vivaldi/7.7.3851.48',
    firefoxWin149: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:149.0) Gecko/20100101 Firefox/149.0',
    firefoxLinux149: 'Mozilla/5.0 (X11; Linux x86_64; rv:149.0) Gecko/20100101 Firefox/149.0',
    safariMac264: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 ' +
      '(KHTML, like Gecko) Version/26.4 Safari/605.1.15',
    iphone264: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_7 like Mac OS X) AppleWebKit/605.1.15 ' +
      '(KHTML, like Gecko) Version/26.4 Mobile/15E148 Safari/604.1',
    chromeAndroid147: 'Mozilla/5.0 (Linux; Android 16; Pixel 9a) AppleWebKit/537.36 ' +
      '(KHTML, like Gecko) Chrome/147.0.7727.55 Mobile Safari/537.36',
    // The provider's own app and SDKs.
    appIos: 'Cumulo/71402 CFNetwork/3860.400.51 Darwin/25.4.0',
    appAndroid: 'Cumulo-Android/7.14.0 (SM-S936B; Android 16; okhttp/5.2.1)',
    appWidget: 'CumuloWidget/7.14.2 (iPhone17,3; iOS 26.4; WidgetKit)',
    sdkPy: 'cumulo-weather-python/2.9.0 (CPython 3.14.2; Linux x86_64)',
    sdkJs: 'cumulo-weather-js/5.1.3 (Node.js v24.12.0; linux x64)',
    sdkGo: 'cumulo-go/1.8.2 (go1.25.5; linux/amd64)',
    // Smart-home hubs, agronomy, energy, logistics, insurance, drones, venues, aviation,
    // broadcasting; data jobs and station relays.
    homeAssistant: 'HomeAssistant/2026.2.3 aiohttp/3.13.2 Python/3.13',
    openhab: 'openHAB/5.1.0 (Jetty HttpClient 12.0.25; Java 21.0.9)',
    agronomy: 'FieldPulse-Agronomy/7.2.1 (Kotlin 2.2.21; Ktor 3.3.2)',
    loadForecast: 'GridCast-LoadForecaster/4.6.0 (Python 3.12.12; pandas 2.3.3)',
    windScada: 'WindFarm-SCADA-Forecast/2.2.0 (Python 3.12.12; aiohttp 3.13.2)',
    dispatch: 'RouteWise-Dispatch/12.4.0 (.NET 10.0.1; HttpClient)',
    claims: 'ClaimSight-WeatherVerify/3.1.4 (Java/25.0.1; OkHttp 5.3.0)',
    preflight: 'SkyOps-Preflight/2.8.0 (Electron 39.2.0)',
    venue: 'VenueGuard-Lightning/1.12.0 (Node 22.21.1)',
    flightBrief: 'FlightBrief-Wx/2026.1.0 (Swift 6.2; URLSession)',
    broadcast: 'StormDesk-Graphics/9.3.2 (Windows NT 10.0; Electron 38.5.0)',
    herbie: 'herbie-data/2025.11.3 (Python 3.13.9; requests 2.32.5)',
    archiver: 'ClimaVault-Archiver/6.0.2 (Java/21.0.9; Apache-HttpClient/5.5)',
    airbyte: 'airbyte-source-cumulo/0.7.1 (Python 3.11.14; airbyte-cdk 7.4.0)',
    kestra: 'Kestra/1.1.4 (io.kestra.plugin.core.http; Java 21.0.9)',
    assetSync: 'AssetWatch-Sync/3.0.5 (Ruby 3.4.7; Faraday 2.14.0)',
    stationRelay: 'StationHub-Relay/3.3.1 (WS-2902 network; Go 1.25.4)',
    // Attack tools (and the browsers, app and SDKs above, which attackers claim too).
    requests2322: 'python-requests/2.32.2',
    niquests: 'niquests/3.15.2',
    curl8180: 'curl/8.18.0',
    wget2: 'Wget2/2.2.0',
    javaHttp: 'Java-http-client/25.0.1',
    faraday: 'Faraday v2.13.4',
    headless147: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) ' +
      'HeadlessChrome/147.0.7727.24 Safari/537.36',
    forecastHarvester: 'wx-harvester/1.6.0 (+puppeteer 24.30.0)',
    keyChecker: 'weather-key-checker/0.4.2 (multi-provider; aiohttp)',
    comboChecker: 'wxapp-combo-checker/2.1 (Python 3.12; tls-client 1.0.1)',
    stormMirror: 'Go-http-client/2.0 (storm-mirror)',
    qwantbot: 'Mozilla/5.0 (compatible; Qwantbot/1.0_2815035; +https://help.qwant.com/bot/)',
    seekport: 'Mozilla/5.0 (compatible; SeekportBot; +https://bot.seekport.com)',
    barkrowler: 'Mozilla/5.0 (compatible; Barkrowler/0.9; +https://babbar.tech/crawler)',
    timpibot: 'Mozilla/5.0 (compatible; Timpibot/0.9; +http://www.timpi.io)',
    archiveBot: 'Mozilla/5.0 (compatible; archive.org_bot +http://archive.org/details/archive.org_bot)',
    acunetix: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) ' +
      'Chrome/141.0.0.0 Safari/537.36 Acunetix-Product/25.9',
    nessus: 'Mozilla/5.0 (compatible; Nessus; NASL)',
    thinkbot: 'Mozilla/5.0 (compatible; Thinkbot/0.5.8; +In_the_test_phase)',
    wpbot: 'Mozilla/5.0 (compatible; wpbot/1.3; +https://forms.gle/ajBaxygz9jSR8p8G9)',
    siege: 'Mozilla/5.0 (pc-x86_64-linux-gnu) Siege/4.1.7',
    jmeter5: 'Apache-HttpClient/5.4.4 (Java/21.0.9)',
    // Lightning networks and station clouds.
    vaisala: 'Vaisala-GLD360-Push/4.1',
    earthNetworks: 'EarthNetworks-ENTLN-Feed/3.7',
    blitzortung: 'Blitzortung-Relay/2.0',
    weatherflow: 'WeatherFlow-Tempest-Hooks/1.9',
    davis: 'Davis-WeatherLink-Push/2.4',
    netatmo: 'Netatmo-Weather-Webhook/3.2',
  },
  uaMix: {
    benign: {
      sdkPy: 12, sdkJs: 10, sdkGo: 6, homeAssistant: 8, openhab: 3, agronomy: 7, loadForecast: 6,
      dispatch: 6, claims: 5, preflight: 4, venue: 4, flightBrief: 4, chromeWin147: 6,
      chromeMac147: 4, edgeWin147: 3, firefoxLinux149: 2, safariMac264: 2, vivaldi77: 1,
    },
    attack: {
      requests2322: 14, niquests: 8, curl8180: 8, javaHttp: 6, faraday: 5, headless147: 12,
      chromeWin147: 10, chromeMac147: 4, sdkPy: 9, sdkJs: 6, forecastHarvester: 10, wget2: 4,
      homeAssistant: 4,
    },
  },

  classes: {
    // --- benign -----------------------------------------------------------------------
    // Smart-home hubs, agronomy, energy, dispatch, claims, drone, venue and flight-briefing
    // tools: look weather up by place, station and alert, post bulk and route forecasts;
    // many alerts purged and stations retired since (404), keys being rotated now and then
    // (401). A fifth page through the whole station list now and then, every page as soon as
    // the last one came; a third follow the active storms, each poll within 2% of its
    // period, the advisories after a cursor.
    steady: {
      benign: true, count: 30, rate: [0.12, 1.8], startS: [0, 30],
      staleIdShare: 0.22, authFailShare: 0.02,
      paging: {
        share: 0.2, path: '/v3/stations', queryKey: 'page', pages: [10, 60],
        pageMs: [60, 300], everyS: [20, 60],
      },
      live: {
        share: 0.33, slate: 5, follow: [1, 3], polls: STORM_POLLS, everyMs: [2500, 7000],
        fromS: [0, 20], forS: [30, 90],
      },
    },
    // Forecast fetchers (wind farms' SCADA, load forecasters) pulling every station's latest
    // observation, and station relays posting observation batches: they poll the model-run
    // feed every few seconds, and when the run lands, 29-34 s into the phase, they all fire
    // their first burst at once; short, sharp bursts after that.
    batch: {
      benign: true, count: 14, pollRate: 0.25, burstRate: [16, 40], burstS: [2, 5],
      firstBurstS: [29, 34], gapS: [15, 35], staleIdShare: 0.03, ingestShare: 0.4,
      uaMix: { windScada: 35, loadForecast: 20, stationRelay: 35, sdkGo: 10 },
    },
    // Climate archivers taking every station's observations of one day in ascending order;
    // a third are GRIB downloaders taking a run's forecast steps 000, 001, 002, ... in order
    // (then the next run, the next model); a fifth are asset platforms pushing their
    // customers' monitored assets by their own UUIDs, about half new: half probe each first,
    // the others PUT every one (409 for those there already).
    etl: {
      benign: true, count: 14, pollRate: 0.08, burstRate: [12, 32], burstS: [4, 10],
      firstBurstS: [0, 40], gapS: [10, 28], staleIdShare: 0.025,
      template: STATION_DAY,
      upsert: {
        share: 0.2, write: { method: 'PUT', path: ASSET, body: 'assetProfile' }, probe: ASSET,
        newShare: 0.45, probeShare: 0.5, afterMs: [25, 220],
      },
      grid: { share: 0.33, template: GRIB },
      uaMix: { archiver: 25, herbie: 25, airbyte: 15, kestra: 10, assetSync: 15, sdkPy: 10 },
    },
    // Newsrooms' weather desks, utilities' storm rooms, airlines' operations centres: staff
    // behind each office's egress, a desk app or a browser, some with keys that were
    // rotated; two in five follow the active storms on the desk's timer.
    nat: {
      benign: true, gateways: 6, users: [3, 10], rate: [0.04, 0.4], startS: [0, 40],
      staleIdShare: 0.15, authFailShare: 0.02,
      live: {
        share: 0.4, slate: 5, follow: [1, 2], polls: STORM_POLLS, everyMs: [5000, 12000],
        fromS: [0, 25], forS: [40, 90],
      },
      uaMix: { broadcast: 40, chromeWin147: 25, edgeWin147: 15, firefoxWin149: 10, safariMac264: 10 },
    },
    // Lightning networks and station clouds posting strike batches from wide egress pools
    // (4-8 /24s, 24-72 addresses): bursts as long as a storm cell, or short.
    partner: {
      benign: true, count: 11, networks: [4, 8], addresses: [24, 72], burstRate: [3, 9],
      burstS: [2, 20], firstBurstS: [0, 25], gapS: [4, 14],
      path: '/inbound/v1/lightning', body: 'strikeBatch',
      uaMix: { vaisala: 18, earthNetworks: 18, blitzortung: 16, weatherflow: 16, davis: 16, netatmo: 16 },
    },
    // The app's users through its key, arriving all through the phase: they sign in (more
    // than a fifth mistype first and retry 3-20 s later), nearly half keep a saved place's
    // "now" screen open (it reloads every 10-30 s), a third play a radar site's loop, frames
    // 8-36 in order, 0.12-0.6 s apart, and report the weather where they are 4-25 s after
    // the last; two in five are behind a few carrier addresses (a festival being evacuated).
    app_users: {
      benign: true, count: [125, 150], startS: [0, 70], mistypeShare: 0.22, retryS: [3, 20],
      thinkS: [0.5, 4], rate: [0.04, 0.25], sessionS: [20, 80], staleIdShare: 0.06,
      carrierNat: { share: 0.4, addresses: [2, 5] },
      refresh: { share: 0.45, path: `${PLACE}/now`, everyS: [10, 30] },
      ceremony: {
        share: 0.33, open: LOOP, page: `${LOOP}/frames/:page.webp`,
        sign: { method: 'POST', path: `${PLACE}/reports`, body: 'report' },
        pages: [8, 36], pageMs: [120, 600], readS: [4, 25], afterS: [0, 12],
      },
      uaMix: { appIos: 42, appAndroid: 34, appWidget: 10, iphone264: 8, chromeAndroid147: 6 },
    },

    // --- attacks ----------------------------------------------------------------------
    // Weather-key checkers: trickles and a few fast ones, some keys in other formats.
    key_guessing: {
      benign: false, count: 12, rate: [0.2, 8], startS: [0, 75], lengthS: [8, 50],
      foreignShare: 0.12,
      uaMix: { keyChecker: 35, requests2322: 25, curl8180: 20, niquests: 20 },
    },
    // Keys lifted from smart-home configs and microcontroller sketches; half of the requests
    // after the list resell bulk forecasts on the ones that work (honest-sized POSTs).
    credential_stuffing: {
      benign: false, count: 12, rate: [0.3, 1.8], startS: [0, 45], lengthS: [25, 80],
      keysPerClient: 22, validShare: 0.3,
      resale: { share: 0.5, path: '/v3/forecasts/bulk', body: 'bulkPoints' },
      uaMix: { keyChecker: 25, homeAssistant: 20, sdkPy: 20, requests2322: 20, faraday: 15 },
    },
    // Path scanners, and harvesters of stations, storms and alerts with gaps of 1-5; a third
    // of the harvesters fan out over 2-5 workers behind 15-45 proxy exits, 3-9 consecutive
    // requests an exit.
    scraping: {
      benign: false, count: 14, enumerateShare: 0.3, rate: [0.8, 4], startS: [0, 45],
      normalShare: 0.12, step: [1, 5],
      fanout: { share: 0.35, workers: [2, 5], chunk: [3, 9], exits: [15, 45] },
      uaMix: { forecastHarvester: 25, acunetix: 10, nessus: 10, headless147: 20, javaHttp: 15, chromeWin147: 20 },
    },
    // Station days, normals and storm tracks walked very slowly with gaps of 3-14, dressed as
    // search crawlers and archivers; a third harvest the time machine instead, city by city,
    // day by day; two in five through 2-6 proxy exits.
    slow_scraper: {
      benign: false, count: 13, rate: [0.08, 0.5], startS: [0, 35], step: [3, 14],
      templates: [STATION_DAY, NORMALS, `${STORM}/track`],
      proxies: { share: 0.4, addresses: [2, 6] },
      grid: { share: 0.33, template: TIME_MACHINE },
      uaMix: { qwantbot: 18, seekport: 16, barkrowler: 16, timpibot: 16, archiveBot: 18, wget2: 16 },
    },
    // Browsers reading station pages one after the other, the next page of the list now and
    // then, stopping to read.
    mimic: {
      benign: false, count: 12, startS: [0, 40], gapS: [1, 6], otherShare: 0.22,
      pageShare: 0.1, readShare: 0.2, readS: [8, 35],
      template: STATION,
      uaMix: { chromeWin147: 25, chromeMac147: 20, edgeWin147: 15, firefoxWin149: 15, safariMac264: 15, vivaldi77: 10 },
    },
    // Eight /24s, three addresses each, very slow.
    low_and_slow: {
      benign: false, networks: 8, addresses: 3, meanIntervalS: [18, 60], startS: [0, 50],
      uaMix: { thinkbot: 50, wpbot: 50 },
    },
    // App accounts stuffed through the app's key, most copying the app.
    login_stuffing: {
      benign: false, count: 12, rate: [0.12, 1.1], startS: [0, 50], lengthS: [30, 85],
      correctShare: 0.025,
      uaMix: { comboChecker: 30, appIos: 25, appAndroid: 25, niquests: 20 },
    },
    // A wide campaign: three to six addresses per /24, one or two attempts each, over
    // most of the phase.
    login_campaign: {
      benign: false, campaigns: 1, addresses: [175, 210], perNetwork: [3, 6], attempts: [1, 2],
      startS: [10, 35], lengthS: [40, 75], correctShare: 0.018,
      uaMix: { appIos: 45, appAndroid: 40, appWidget: 5, iphone264: 10 },
    },
    // Leaked SDK and smart-home keys sprayed one per address, over most of the phase:
    // revoked, dormant accounts' and some made up, 1-4 tries each, 1-4 addresses per /24.
    key_spray: {
      benign: false, campaigns: 1, addresses: [108, 132], perNetwork: [1, 4], requests: [1, 4],
      validShare: 0.3, madeUpShare: 0.15, startS: [5, 25], lengthS: [50, 80],
      uaMix: { sdkPy: 20, homeAssistant: 20, stormMirror: 15, requests2322: 20, siege: 25 },
    },
    // Observation batches and bulk forecasts of 380-940 KB where tens of KB is honest.
    oversized: {
      benign: false, count: 11, rate: [0.15, 0.9], startS: [0, 55], oversizedShare: 0.3,
      bytes: [380000, 940000],
      uaMix: { siege: 25, jmeter5: 25, sdkJs: 20, javaHttp: 15, curl8180: 15 },
    },
  },
};
