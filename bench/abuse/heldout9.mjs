// The ninth held-out mix of the abuse benchmark: written from scratch, without the engine's
// code or results in view, and different in structure from scenario.mjs, heldout.mjs,
// heldout2.mjs, heldout3.mjs, heldout4.mjs, heldout5.mjs, heldout6.mjs, heldout7.mjs and
// heldout8.mjs, not only in seeds: another API (a sports data and odds provider's, the kind
// it sells to sportsbooks, media groups, broadcasters and fantasy games: live scores, event
// feeds and odds per market of the matches being played, polled every second or two by
// every customer that follows them, the same few match numbers by everyone at once; an
// archive of matches by dense numbers of up to eight digits (seven in ten exist) with their
// lineups and timelines; fixtures, standings and rounds per competition and season (lists of names,
// every combination there); players by slug (about a third of the made-up ones exist),
// teams and alert subscriptions by short code, the latter created with PUT by the
// customer's own ids (201, or 409 when it is there already); highlight clips by UUID and
// their HLS manifests; bet-slip pricing, custom stats queries and fantasy lineups as POSTs
// of a few hundred bytes to a few KB; a change feed the jobs poll; league data hubs' event
// batches as the ingest; venues' official data systems and tracking cameras pushing events
// as the webhooks; the fantasy game app's sign-in by username), other User-Agents (the
// provider's own feed SDKs for Python, JavaScript, .NET, Go and Kotlin, its fantasy app on
// iOS, Android and tvOS, sportsbooks' trading and pricing platforms, a live-blog plugin,
// broadcast graphics data links, fantasy operators' stat syncs, a data lake's ingest,
// settlement reconcilers, Chrome 138, Edge 138, Firefox 140, Safari 18.6 on macOS and
// iPhone, Chrome on Android 16, a Tizen TV; attackers with arbitrage scanners, a live-score
// mirror, a fantasy account checker, Dalvik, python-requests 2.32.5, aiohttp 3.12, curl
// 8.15, headless Chrome 138, spoofed Applebot, DuckDuckBot, Amazonbot, ClaudeBot and CCBot,
// Arachni and WPScan, ApacheBench and oha, Stretchoid, Nokia's Genome crawler and Criminal
// IP scanners; league hubs, optical tracking, courtside scouting, federation, officiating
// and race timing systems as webhook senders), other rates, burst shapes, durations,
// campaign sizes and spreads, and single addresses and /24s from ranges whose bounds no
// other mix uses. Honest clients here look like bots on purpose: a third of the API
// clients, and a newsroom's graphics desks behind one office address, poll the live matches
// on a timer as regular as a metronome, the same match numbers as everyone else, the event
// feed with a cursor that makes nearly every URL new; settlement jobs fire short, sharp
// bursts of tens of requests a second; archive syncs walk match numbers in ascending order;
// standings caches walk every competition, season and round; fantasy players arrive as a
// flash crowd after the kick-off notification, a third of them from a few stadium Wi-Fi
// addresses, a fifth mistyping their password, while a login campaign runs. Attackers mirror
// the live feed (pirate feeds polling the whole slate, some through rotating proxies, besides
// slowly walking players and lineups), walk match numbers, lineups, players and odds (some
// fanned out over proxy exits), scan paths, read match pages one by one dressed as a
// browser, check leaked partner keys and price bet slips with the ones that work, spray keys
// one per address, stuff the fantasy sign-in through the app's key from one address or a
// wide campaign, and post stats queries of hundreds of KB. Besides options of the other
// mixes (steady.paging, etl.upsert and .grid, app_users.carrierNat and .refresh,
// credential_stuffing.resale, key_guessing.foreignShare, key_spray.madeUpShare,
// mimic.readShare/readS, scraping.step and .fanout, slow_scraper.step and .proxies), it uses
// one optional generator key no other mix sets:
//   steady.live, nat.live, slow_scraper.live
//                             a share of the clients follow live events: a few records of
//                             the trace's live slate (the same for every class), each with
//                             a few polls (score, events after a cursor, an odds market),
//                             taken in turn, one request a period, within 2% of it.
// Nothing may be tuned on it: not the engine, not its thresholds, not this file in response
// to the engine's figures, or it stops being held out. Run it with
//   node bench/abuse/run.mjs --scenario bench/abuse/heldout9.mjs
// Same shape and conventions as scenario.mjs (rates per second, times in seconds from the
// phase start, [a, b] a uniform draw per client, per burst or per request where said).
// Every class has at least 10 clients per trace, except the campaigns: one campaign each,
// of at least 100 addresses.

import benchmark from './scenario.mjs';

const MATCH = '/stats/v5/matches/:match';
const PLAYER = '/stats/v5/players/:player';
const TEAM = '/stats/v5/teams/:team';
const SEASON = '/stats/v5/competitions/:competition/seasons/:season';
const ROUND = `${SEASON}/rounds/:round`;
const ODDS = '/odds/v3/matches/:match/markets/:market';
const SUBSCRIPTION = '/alerts/v1/subscriptions/:subscription';
const CLIP = '/media/v1/clips/:clip';

// What a live feed client polls for each match it follows: the score, the events after the
// last one it had, one odds market.
const LIVE_POLLS = [
  { path: '/live/v2/matches/:match/score' },
  { path: '/live/v2/matches/:match/events', cursorKey: 'since' },
  { path: ODDS },
];

export default {
  name: 'heldout9',

  // Four seeds, none of the other mixes'.
  seeds: [91, 92, 93, 94],
  trainingSeedOffset: 1000,

  durationS: 90,

  // The benchmark's own settings, the same for every mix: the gateway and its engine
  // settings, the simulated customer's labels, the baselines (bench/abuse/scenario.mjs).
  gateway: benchmark.gateway,
  labels: benchmark.labels,
  baselines: benchmark.baselines,

  // Single clients in 127.124-147.x.x, whole /24s (campaigns, low-and-slow, partners'
  // egress) in 127.19-56.x.0/24. The other mixes' bounds are 2, 15, 16, 30, 41, 58, 89, 99,
  // 100, 121, 137, 150, 163, 199, 200, 218, 229, 231, 252 and 254; these are none of them,
  // and the two pools are disjoint. The single clients sit inside the range of heldout7's
  // single clients and of heldout2's and heldout5's, the /24s across heldout6's lower bound.
  addressPools: { hosts: [124, 147], networks: [19, 56] },

  // A sports data and odds provider's API. Live scores and event feeds under /live/v2, odds
  // under /odds/v3, the archive, fixtures, players and teams under /stats/v5, highlight clips
  // under /media/v1, alert subscriptions under /alerts/v1, the fantasy game under
  // /fantasy/v2, the customer's own usage under /account/v1. League data hubs post event
  // batches to /collect/v1/event-batches (the ingest); venues' official systems push events
  // to /collect/v1/venue-events; the fantasy app's players sign in at /fantasy/v2/auth/token.
  api: {
    // Match numbers: up to eight digits, dense (seven in ten are matches of the archive).
    maxId: 12000000,
    idDensity: 0.7,
    // Players (slugs), teams and subscriptions (short codes): about a third of the
    // well-shaped ones exist.
    slugDensity: 0.34,
    // Highlight clips (UUIDs): nearly all the ones clients hold are still there.
    uuidDensity: 0.92,
    params: {
      match: 'numeric',
      player: 'slug',
      team: 'code',
      subscription: 'code', // the customer's own ids
      entry: 'code', // a fantasy player's team entry
      clip: 'uuid',
      competition: [
        'epl', 'efl-championship', 'laliga', 'serie-a', 'bundesliga', 'ligue-1', 'eredivisie',
        'primeira-liga', 'mls', 'liga-mx', 'brasileirao', 'j1-league', 'a-league', 'ucl', 'uel',
        'uecl', 'copa-libertadores', 'nba', 'euroleague', 'nfl', 'nhl', 'mlb', 'atp-tour',
        'wta-tour', 'ipl', 'big-bash', 'six-nations', 'super-rugby',
      ],
      season: ['2020-21', '2021-22', '2022-23', '2023-24', '2024-25', '2025-26'],
      round: Array.from({ length: 38 }, (_, i) => String(i + 1)),
      market: [
        '1x2', 'double-chance', 'draw-no-bet', 'btts', 'over-under-1-5', 'over-under-2-5',
        'over-under-3-5', 'asian-handicap', 'correct-score', 'first-goalscorer',
        'anytime-goalscorer', 'half-time-full-time', 'total-corners', 'total-cards',
      ],
    },
    routes: [
      { w: 8, method: 'GET', path: '/live/v2/matches' },
      { w: 9, method: 'GET', path: '/live/v2/matches/:match/score' },
      { w: 6, method: 'GET', path: '/live/v2/matches/:match/events' },
      { w: 8, method: 'GET', path: ODDS },
      { w: 4, method: 'GET', path: '/odds/v3/matches/:match/markets' },
      { w: 3, method: 'POST', path: '/odds/v3/bet-slips/price', body: 'slip' },
      { w: 7, method: 'GET', path: MATCH },
      { w: 4, method: 'GET', path: `${MATCH}/lineups` },
      { w: 4, method: 'GET', path: `${MATCH}/timeline` },
      { w: 4, method: 'GET', path: '/stats/v5/competitions', query: 'page', queryKey: 'pageNumber' },
      { w: 5, method: 'GET', path: `${SEASON}/fixtures`, query: 'page', queryKey: 'pageNumber' },
      { w: 3, method: 'GET', path: `${SEASON}/standings` },
      { w: 2, method: 'GET', path: ROUND },
      { w: 5, method: 'GET', path: PLAYER },
      { w: 3, method: 'GET', path: `${PLAYER}/seasons/:season` },
      { w: 3, method: 'GET', path: TEAM },
      { w: 2, method: 'GET', path: `${TEAM}/squad` },
      { w: 3, method: 'GET', path: '/stats/v5/search', query: 'search', queryKey: 'term' },
      { w: 2, method: 'POST', path: '/stats/v5/queries', body: 'query' },
      { w: 2, method: 'GET', path: CLIP },
      { w: 1, method: 'GET', path: `${CLIP}/manifest.m3u8` },
      { w: 2, method: 'POST', path: '/fantasy/v2/lineups', body: 'lineup' },
      { w: 1, method: 'GET', path: SUBSCRIPTION },
      { w: 1, method: 'DELETE', path: SUBSCRIPTION },
      { w: 2, method: 'GET', path: '/account/v1/usage' },
      { w: 1, method: 'GET', path: '/stats/v5/changes' },
    ],
    extraRoutes: [
      // Alert subscriptions created by the customer's own id: 201, or 409 if it is there
      // already.
      { method: 'PUT', path: SUBSCRIPTION, create: true, status: 201 },
      // The fantasy app's live points of a player's team (it reloads on a timer).
      { method: 'GET', path: '/fantasy/v2/entries/:entry/live' },
      // Where venues' official data systems push their events.
      { method: 'POST', path: '/collect/v1/venue-events', status: 200 },
      { method: 'GET', path: '/status/v1/ping' },
    ],
    searchWords: ['arsenal', 'madrid', 'lakers', 'chiefs', 'djokovic', 'mumbai', 'boca', 'celtic', 'yankees', 'oilers', 'ajax', 'sabalenka'],
    // League data hubs' batches of match events.
    ingest: { path: '/collect/v1/event-batches', body: 'eventBatch' },
    // The fantasy game's players: plain usernames.
    login: { path: '/fantasy/v2/auth/token', users: 40000 },
    paths: {
      me: '/account/v1/usage',
      list: '/stats/v5/competitions',
      detail: MATCH,
      browse: '/live/v2/matches',
      poll: '/stats/v5/changes',
      // Settlement jobs reconcile the matches they took bets on.
      sync: MATCH,
      ping: '/status/v1/ping',
      // Match numbers with their lineups and odds, and players.
      walk: [MATCH, `${MATCH}/lineups`, ODDS, PLAYER],
      // Stats queries with every player of a league inlined, fantasy lineups stuffed.
      upload: ['/stats/v5/queries', '/fantasy/v2/lineups'],
      enumPrefixes: [
        '', '/stats/v5', '/live/v2', '/odds/v3', '/fantasy/v2', '/media/v1', '/trading',
        '/internal/feeds', '/v1',
      ],
    },
    bodies: {
      slip: { median: 650, sigma: 0.35 }, // selections and stakes
      query: { median: 1500, sigma: 0.6 },
      lineup: { median: 900, sigma: 0.3 },
      subscription: { median: 450, sigma: 0.4 },
      eventBatch: { median: 9000, sigma: 0.7 },
      venueEvent: { median: 1100, sigma: 0.5 },
    },
  },

  userAgents: {
    // Browsers on the customer portal, newsrooms and the fantasy game's web version.
    chromeWin138: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 ' +
      '(KHTML, like Gecko) Chrome/138.0.0.0 Safari/537.36',
    chromeMac138: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 ' +
      '(KHTML, like Gecko) Chrome/138.0.0.0 Safari/537.36',
    edgeWin138: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 ' +
      '(KHTML, like Gecko) Chrome/138.0.0.0 Safari/537.36 Edg/138.0.3351.83',
    firefoxWin140: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0',
    safariMac186: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 ' +
      '(KHTML, like Gecko) Version/18.6 Safari/605.1.15',
    iphone186: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 ' +
      '(KHTML, like Gecko) Version/18.6 Mobile/15E148 Safari/604.1',
    android138: 'Mozilla/5.0 (Linux; Android 16; Pixel 9) AppleWebKit/537.36 (KHTML, like Gecko) ' +
      'Chrome/138.0.7204.157 Mobile Safari/537.36',
    tizenTv: 'Mozilla/5.0 (SMART-TV; LINUX; Tizen 8.0) AppleWebKit/537.36 (KHTML, like Gecko) ' +
      'SamsungBrowser/7.0 Chrome/120.0.6099.5 TV Safari/537.36',
    // The provider's own apps and SDKs.
    appIos: 'MatchwireFantasy/11.3.0 (com.matchwire.fantasy; build:113004; iPhone17,1; iOS 18.6) URLSession',
    appAndroid: 'MatchwireFantasy-Android/11.3.2 (Android 16; Pixel 9 Pro; okhttp 4.12.0)',
    appTv: 'MatchwireTV/4.0.1 (AppleTV14,1; tvOS 18.6) CFNetwork/3826.600.41',
    sdkPy: 'matchwire-feeds-python/5.1.0 (CPython 3.13.5; Linux x86_64)',
    sdkJs: 'matchwire-feeds-js/5.2.3 (node v22.17.0; linux x64)',
    sdkDotnet: 'Matchwire.Feeds/5.0.4 (.NET 9.0.7; Linux 6.8.0-1029-aws)',
    sdkGo: 'matchwire-feeds-go/2.6.0 (go1.24.5; linux/amd64)',
    sdkKotlin: 'matchwire-feeds-kotlin/1.9.1 (JVM 21.0.8; Linux amd64) Ktor/3.2.2',
    // Sportsbooks, media groups, broadcasters, fantasy operators, data teams.
    trading: 'OddsEngine-Trading/9.4.2 (Java/21.0.7; +https://oddsengine.example)',
    pricing: 'BetDeck-PricingGateway/3.18.0 (Go 1.24.4)',
    liveBlog: 'LiveBlog-Scoreboard/2.7.1 (WordPress/6.8.2; PHP/8.3.23)',
    gfx: 'OnAirGFX-DataLink/7.1.0 (Windows NT 10.0; Win64; x64)',
    fantasyOps: 'DraftRoom-StatSync/4.0.3 (Python 3.12.11)',
    dataLake: 'SportsLake-Ingest/2.2.0 (Spark 3.5.6; Scala 2.13.16)',
    airflow: 'apache-airflow-providers-matchwire/1.3.0 (Airflow 3.0.3)',
    settlement: 'SettleBot-Reconciler/6.0.2 (.NET 8.0.18)',
    restsharp112: 'RestSharp/112.1.0.0',
    apache55: 'Apache-HttpClient/5.5 (Java/21.0.8)',
    dart38: 'Dart/3.8 (dart:io)',
    // Attack tools (and the browsers, apps and SDKs above, which attackers claim too).
    requests2325: 'python-requests/2.32.5',
    aiohttp312: 'Python/3.12 aiohttp/3.12.15',
    curl8150: 'curl/8.15.0',
    dalvik16: 'Dalvik/2.1.0 (Linux; U; Android 16; Pixel 9 Build/BP2A.250705.008)',
    headless138: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) ' +
      'HeadlessChrome/138.0.7204.49 Safari/537.36',
    arbScanner: 'arb-scanner/0.9.3 (python aiohttp)',
    scoreMirror: 'livescore-mirror/2.1.0 (node v20.19.4)',
    fantasyChecker: 'fantasy-acct-checker/1.3 (python-httpx)',
    ab: 'ApacheBench/2.3',
    oha: 'oha/1.9.0',
    applebot: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) ' +
      'Version/17.4 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)',
    duckduckbot: 'DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)',
    amazonbot: 'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Amazonbot/0.1; ' +
      '+https://developer.amazon.com/support/amazonbot) Chrome/119.0.6045.214 Safari/537.36',
    claudebot: 'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; +claudebot@anthropic.com)',
    ccbot: 'CCBot/2.0 (https://commoncrawl.org/faq/)',
    arachni: 'Arachni/v1.6.1.3',
    wpscan: 'WPScan v3.8.28 (https://wpscan.com/wordpress-security-scanner)',
    stretchoid: 'Mozilla/5.0 (compatible; Stretchoid/1.0; +https://stretchoid.com/)',
    genome: 'Mozilla/5.0 (compatible; GenomeCrawlerd/1.0; +https://www.nokia.com/genomecrawler)',
    criminalip: 'Mozilla/5.0 (compatible; CriminalIP/1.0; +https://www.criminalip.io)',
    // Venues' official data systems.
    leagueHub: 'LeagueHub-OfficialFeed/3.2.0',
    opticTrack: 'OpticTrack-Relay/5.1 (optical tracking)',
    courtside: 'CourtsideScout-Sync/2.9.4',
    fedData: 'FedData-Push/2.0',
    officiating: 'MatchOfficial-EventBridge/1.4.1',
    raceTiming: 'RaceTiming-Export/7.3',
  },
  uaMix: {
    benign: {
      sdkPy: 12, sdkJs: 10, sdkDotnet: 6, sdkGo: 6, sdkKotlin: 4, trading: 10, pricing: 8,
      liveBlog: 6, fantasyOps: 6, chromeWin138: 7, edgeWin138: 4, safariMac186: 4,
      chromeMac138: 4, firefoxWin140: 2, restsharp112: 3, apache55: 3, dart38: 2,
    },
    attack: {
      requests2325: 14, aiohttp312: 12, curl8150: 8, headless138: 12, chromeWin138: 10,
      safariMac186: 4, sdkPy: 8, sdkJs: 8, arbScanner: 8, scoreMirror: 6, ab: 4, oha: 4,
      dalvik16: 4,
    },
  },

  classes: {
    // --- benign -----------------------------------------------------------------------
    // Sportsbooks' and media groups' back ends, fantasy operators, the customer portal: the
    // route mix (matches finished or postponed since: 404), a rotated key now and then. A
    // third follow 2-6 of the live matches on a timer, one request every 0.6-2.5 s for most
    // of the phase; one in seven page through a competition's fixtures now and then, each
    // page as soon as the last came.
    steady: {
      benign: true, count: 30, rate: [0.15, 1.4], startS: [0, 20],
      staleIdShare: 0.06, authFailShare: 0.006,
      live: {
        share: 0.35, slate: 12, follow: [2, 6], polls: LIVE_POLLS, everyMs: [600, 2500],
        fromS: [0, 15], forS: [40, 90],
      },
      paging: {
        share: 0.15, path: `${SEASON}/fixtures`, queryKey: 'pageNumber', pages: [3, 12],
        pageMs: [150, 700], everyS: [25, 60],
      },
    },
    // Settlement jobs reconciling the matches they took bets on, and league data hubs posting
    // event batches: a slow poll of the change feed, short sharp bursts after the whistle.
    batch: {
      benign: true, count: 11, pollRate: 0.05, burstRate: [12, 45], burstS: [2, 6],
      firstBurstS: [0, 40], gapS: [15, 40], staleIdShare: 0.03, ingestShare: 0.45,
      uaMix: { settlement: 35, leagueHub: 20, sdkDotnet: 15, sdkGo: 15, apache55: 15 },
    },
    // Data jobs walking the archive's match timelines in ascending order. A quarter push
    // alert subscriptions by their own ids, three in five of them new: a third probe each
    // first, the others PUT every one (409 for those there already). A third of the others
    // refresh a standings cache: every competition, season and round in order.
    etl: {
      benign: true, count: 13, pollRate: 0.03, burstRate: [15, 45], burstS: [4, 12],
      firstBurstS: [0, 30], gapS: [12, 35], staleIdShare: 0.015,
      template: `${MATCH}/timeline`,
      upsert: {
        share: 0.25, write: { method: 'PUT', path: SUBSCRIPTION, body: 'subscription' },
        probe: SUBSCRIPTION, newShare: 0.6, probeShare: 0.33, afterMs: [40, 300],
      },
      grid: { share: 0.35, template: ROUND },
      uaMix: { dataLake: 30, airflow: 25, fantasyOps: 20, sdkPy: 15, sdkKotlin: 10 },
    },
    // Newsrooms and broadcasters' graphics desks: journalists and graphics operators behind
    // each building's egress; a quarter of them keep a graphics data link polling the live
    // matches.
    nat: {
      benign: true, gateways: 5, users: [3, 8], rate: [0.05, 0.4], startS: [0, 30],
      staleIdShare: 0.04, authFailShare: 0.01,
      live: {
        share: 0.25, slate: 12, follow: [1, 3], polls: LIVE_POLLS, everyMs: [1000, 3000],
        fromS: [0, 20], forS: [30, 90],
      },
      uaMix: { gfx: 40, chromeWin138: 30, edgeWin138: 15, safariMac186: 15 },
    },
    // Venues' official data systems and tracking cameras pushing events from egress pools
    // (2-5 /24s, 10-40 addresses): short, dense bursts (a goal, a penalty), short gaps.
    partner: {
      benign: true, count: 10, networks: [2, 5], addresses: [10, 40], burstRate: [10, 35],
      burstS: [1, 4], firstBurstS: [0, 20], gapS: [3, 12],
      path: '/collect/v1/venue-events', body: 'venueEvent',
      uaMix: { leagueHub: 18, opticTrack: 18, courtside: 16, fedData: 16, officiating: 16, raceTiming: 16 },
    },
    // Fantasy players on the app through its key, a flash crowd after the kick-off
    // notification: they sign in within 20 s of each other (nearly one in five mistype first,
    // and retry soon or late), more than half keep their team's live points open (it reloads
    // every 5-15 s); a third are on a stadium's Wi-Fi, a few addresses shared by many.
    app_users: {
      benign: true, count: [80, 100], startS: [28, 48], mistypeShare: 0.18, retryS: [3, 25],
      thinkS: [1, 5], rate: [0.08, 0.45], sessionS: [20, 60], staleIdShare: 0.03,
      carrierNat: { share: 0.35, addresses: [2, 4] },
      refresh: { share: 0.55, path: '/fantasy/v2/entries/:entry/live', everyS: [5, 15] },
      uaMix: { appIos: 40, appAndroid: 35, appTv: 5, iphone186: 8, android138: 7, tizenTv: 5 },
    },

    // --- attacks ----------------------------------------------------------------------
    // Key checkers over decompiled betting apps and leaked CI logs, from a trickle to a
    // flood, a few in other formats.
    key_guessing: {
      benign: false, count: 12, rate: [0.3, 9], startS: [0, 60], lengthS: [10, 40],
      foreignShare: 0.05,
      uaMix: { requests2325: 30, curl8150: 25, oha: 20, aiohttp312: 25 },
    },
    // Partner keys lifted from affiliates' widgets; the ones that work price bet slips for an
    // arbitrage service.
    credential_stuffing: {
      benign: false, count: 12, rate: [0.4, 2], startS: [0, 45], lengthS: [25, 60],
      keysPerClient: 16, validShare: 0.4,
      resale: { share: 0.45, path: '/odds/v3/bet-slips/price', body: 'slip' },
      uaMix: { arbScanner: 25, requests2325: 20, sdkPy: 20, sdkJs: 15, trading: 20 },
    },
    // Path scanners, and walkers of match numbers, lineups, odds and players with gaps of
    // 1-2; two in five walkers fan out over 2-5 workers behind 12-40 proxy exits, 3-8
    // consecutive requests an exit.
    scraping: {
      benign: false, count: 14, enumerateShare: 0.25, rate: [0.9, 3.5], startS: [0, 40],
      normalShare: 0.15, step: [1, 2],
      fanout: { share: 0.4, workers: [2, 5], chunk: [3, 8], exits: [12, 40] },
      uaMix: { headless138: 20, arachni: 10, wpscan: 10, aiohttp312: 20, chromeWin138: 20, ccbot: 20 },
    },
    // Players and lineups harvested slowly with gaps of 2-7; half of them also mirror the
    // live feed of the whole slate (8-20 matches, a poll every 0.9-3.2 s) for a pirate
    // live-score site; a third through 3-10 proxy exits.
    slow_scraper: {
      benign: false, count: 14, rate: [0.1, 0.6], startS: [0, 25], step: [2, 7],
      templates: [PLAYER, `${MATCH}/lineups`, `${PLAYER}/seasons/:season`],
      proxies: { share: 0.35, addresses: [3, 10] },
      live: {
        share: 0.5, slate: 20, follow: [8, 20], polls: LIVE_POLLS, everyMs: [900, 3200],
        fromS: [0, 10], forS: [90, 90],
      },
      uaMix: { scoreMirror: 20, applebot: 15, duckduckbot: 15, amazonbot: 15, claudebot: 15, aiohttp312: 20 },
    },
    // Browsers reading match pages one match number after the other, stopping to read now
    // and then.
    mimic: {
      benign: false, count: 12, startS: [0, 30], gapS: [1.2, 5], otherShare: 0.2,
      pageShare: 0.06, readShare: 0.15, readS: [4, 20],
      template: MATCH,
      uaMix: { chromeWin138: 30, chromeMac138: 20, edgeWin138: 15, safariMac186: 15, firefoxWin140: 10, android138: 10 },
    },
    // Nine /24s, three addresses each, slow.
    low_and_slow: {
      benign: false, networks: 9, addresses: 3, meanIntervalS: [12, 35], startS: [0, 50],
      uaMix: { stretchoid: 35, genome: 30, criminalip: 35 },
    },
    // Fantasy accounts (their prize balances) stuffed through the app's key, most copying
    // the app.
    login_stuffing: {
      benign: false, count: 13, rate: [0.2, 1.4], startS: [0, 45], lengthS: [25, 80],
      correctShare: 0.04,
      uaMix: { fantasyChecker: 30, appIos: 20, appAndroid: 20, dalvik16: 20, requests2325: 10 },
    },
    // A wide campaign over the flash crowd: 1-3 addresses per /24, 1-4 attempts each.
    login_campaign: {
      benign: false, campaigns: 1, addresses: [140, 175], perNetwork: [1, 3], attempts: [1, 4],
      startS: [15, 30], lengthS: [40, 60], correctShare: 0.02,
      uaMix: { appIos: 40, appAndroid: 40, iphone186: 10, android138: 10 },
    },
    // Leaked partner keys sprayed one per address: revoked, dormant accounts' and three in
    // ten made up, 1-3 tries each, over most of the phase.
    key_spray: {
      benign: false, campaigns: 1, addresses: [105, 130], perNetwork: [2, 6], requests: [1, 3],
      validShare: 0.2, madeUpShare: 0.3, startS: [0, 20], lengthS: [50, 70],
      uaMix: { sdkPy: 20, sdkGo: 20, requests2325: 20, curl8150: 20, ab: 20 },
    },
    // Stats queries with every player of a league inlined and stuffed fantasy lineups:
    // 120-650 KB where one or two KB is honest.
    oversized: {
      benign: false, count: 11, rate: [0.15, 0.9], startS: [5, 50], oversizedShare: 0.3,
      bytes: [120000, 650000],
      uaMix: { oha: 25, ab: 15, aiohttp312: 20, sdkJs: 20, restsharp112: 20 },
    },
  },
};
