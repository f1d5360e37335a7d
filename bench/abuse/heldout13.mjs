// The thirteenth held-out mix of the abuse benchmark: written from scratch, without the
// engine's code or results in view, and different in structure from scenario.mjs, heldout.mjs,
// heldout2.mjs, heldout3.mjs, heldout4.mjs, heldout5.mjs, heldout6.mjs, heldout7.mjs,
// heldout8.mjs, heldout9.mjs, heldout10.mjs, heldout11.mjs and heldout12.mjs, not only in
// seeds: another API (a live-service game publisher's developer and game-services platform,
// the kind it opens to stats sites and rank trackers, Discord bots and stream overlays,
// coaching tools, tournament organisers and esports data providers, and runs its own game
// client, launcher, companion app and dedicated servers on: matches addressed by a shard and a
// match number of up to ten digits (about three in five exist) joined by an underscore in one
// path segment (/match/v5/matches/EU1_4823451234), with their timelines; players by UUID,
// looked up by game name and tagline in two segments (/account/v2/players/by-name/x7kq2p/GG),
// with their match ids, ranked entries, live games and inventories, an inventory item by the
// player's UUID and the item's slug in one path; ranked ladders addressed by queue, region,
// tier and division (four lists of names in one path, upper-case Roman divisions among them)
// and a paged global leaderboard; static game data per patch (dotted versions), locale (en_US,
// with an underscore) and hero, as .json files; hero statistics per ISO week (2026-W07); clans
// by short code with their members; crash minidumps per client build (a dotted build number
// with a zero-padded last part) as POSTs of a couple of hundred KB; item gifts, AI coaching
// analyses and tournament lobbies as POSTs of a few hundred bytes to a few KB; esports players
// created with PUT by the league's own ids (201, or 409 when they are there already) and live
// esports games' frame windows after a cursor; shard status; a change feed the jobs poll;
// dedicated servers' match telemetry as the ingest; stores, payment providers and anti-cheat
// vendors posting entitlement, purchase and ban events as the webhooks; the game's player
// sign-in by username, its matchmaking tickets by UUID, its replay viewer's chunks 1, 2, 3,
// ... and its post-match commendations), other User-Agents (the platform's own SDKs for Python
// 3.14, TypeScript on Node 24, .NET 10 and Rust; the game client on Windows 11, macOS and
// SteamOS, its launcher on CEF, the companion app on iOS and Android, a Unity-built mobile
// spin-off and Unreal-built dedicated servers; stats collectors, Discord bots, stream
// overlays, an AI coaching agent, a tournament organiser's tools, an esports data feed, dlt
// pipelines and Airflow, Postman, Insomnia and Bruno on studio desks; Chrome 148, Edge 148,
// Firefox 150 on Windows and Linux, Safari 26.5 on macOS and iPhone, Chrome on Android 16,
// Samsung Internet 30; attackers with an account checker on rnet, a dev-key brute-forcer, an
// inventory sniper on undetected-chromedriver, a match harvester on colly, a gift-minting
// tool, hrequests, python-requests 2.30, httpx 0.28.3, curl 8.19, Node's undici 7.18, headless
// Chrome 148, spoofed Discordbot, GPTBot, Perplexity-User, DotBot, coccocbot and TelegramBot,
// Keydrop and ips-agent scanners, drill and Goose; Xsolla, Epic Online Services, PlayStation
// and Xbox commerce, Easy Anti-Cheat and BattlEye as webhook senders), other rates, burst
// shapes, a longer phase (105 s), other campaign sizes and spreads, and single addresses and
// /24s from ranges whose bounds no other mix uses. Honest clients here are hard on purpose:
// dedicated server fleets post match telemetry in bursts of one to three seconds at tens of
// requests a second, one every several seconds, as matches end one after another, and esports
// data feeds pull each new match's timeline in ascending match number the same way; stats
// sites replicate matches in ascending match number within a shard, and a third refresh their
// ladder cache by walking every queue, region, tier and division in order; a quarter of the
// league tools push esports players blind (409s) or probe first (404s); API clients meet 404s
// (matches purged, accounts deleted) and a few 401s (keys rotated), a fifth page through the
// whole global leaderboard as fast as the answers come, nearly a fifth run AI coaching agents
// that loop over analyses and lookups, and some stream overlays follow the live esports games;
// esports team houses and studio QA floors put up to a dozen keyed users behind one address,
// nearly half of them polling the live games every one to three seconds; stores and anti-cheat
// vendors deliver from wide egress pools (up to 60 addresses over up to six /24s); players on
// the game client arrive through the first 72 s, nearly half of them from a few PC-bang and
// LAN-venue addresses, more than a quarter mistyping their password, half in a matchmaking
// queue whose ticket the client polls every 1.5-4 s, three in ten watching a replay whose
// chunks 1, 2, 3, ... load a fraction of a second apart before they commend a player.
// Attackers harvest matches, timelines, players and inventories (two in five fanned out over
// wide pools of proxy exits, one to four consecutive requests an exit), scan paths, walk
// timelines, inventories and ranked entries very slowly with gaps of up to twelve (nearly half
// through proxies, some harvesting the ladders), dressed as link unfurlers and AI crawlers;
// read player profiles one after the other dressed as a browser, stopping to read; check
// developer and server keys lifted from leaked server configs and mint items as gifts with the
// ones that work (honest-sized gifts); spray keys thinly, one per address and one or two
// addresses a /24, over nearly the whole phase; stuff the player sign-in through the game's
// key from one address or a short, dense campaign of four to ten addresses a /24; and post
// telemetry and minidumps of up to 990 KB. It uses options of the other mixes only
// (steady.paging, .agentLoops and .live, nat.live, etl.upsert and .grid, app_users.carrierNat,
// .refresh and .ceremony, credential_stuffing.resale, key_guessing.foreignShare,
// key_spray.madeUpShare, mimic.readShare/readS, scraping.step and .fanout, slow_scraper.step,
// .proxies and .grid), and no generator option of its own: the shard and the match number
// share a segment because a template's placeholders may sit side by side with an underscore
// between them (:shard_:match).
// Nothing may be tuned on it: not the engine, not its thresholds, not this file in response
// to the engine's figures, or it stops being held out. Run it with
//   node bench/abuse/run.mjs --scenario bench/abuse/heldout13.mjs
// Same shape and conventions as scenario.mjs (rates per second, times in seconds from the
// phase start, [a, b] a uniform draw per client, per burst or per request where said).
// Every class has at least 10 clients per trace, except the campaigns: one campaign each,
// of at least 100 addresses.

import benchmark from './scenario.mjs';

const MATCH = '/match/v5/matches/:shard_:match';
const PLAYER = '/account/v2/players/:player';
const ENTRIES = '/ranked/v3/players/:player/entries';
const INVENTORY = '/inventory/v1/players/:player/items';
const LADDER = '/ranked/v3/ladders/:queue/:region/:tier/:division';
const STATIC = '/static/v1/:patch/:locale/heroes/:hero.json';
const WEEKLY = '/stats/v2/heroes/:hero/weekly/:week';
const CLAN = '/clans/v1/:clan';
const ESPORTS_PLAYER = '/esports/v2/players/:eplayer';
const LIVE = '/esports/v2/live/games/:match'; // by game number: the league's servers, no shard
const TICKET = '/matchmaking/v1/tickets/:ticket';
const REPLAY = '/replays/v2/:shard_:match';
const LEADERBOARD = '/ranked/v3/leaderboards/global';

// What a follower of the live esports games polls for each game it follows: the frame
// window after the last frame it had, and the game's details.
const LIVE_POLLS = [
  { path: `${LIVE}/window`, cursorKey: 'sinceFrame' },
  { path: `${LIVE}/details` },
];

export default {
  name: 'heldout13',

  // Four seeds, none of the other mixes'; the training traces (1131-1134) are none of theirs
  // either.
  seeds: [131, 132, 133, 134],
  trainingSeedOffset: 1000,

  // A longer phase than the other mixes' (75 and 90 s): a ranked match's queue, a replay and
  // a commendation fit in one session more often.
  durationS: 105,

  // The benchmark's own settings, the same for every mix: the gateway and its engine
  // settings, the simulated customer's labels, the baselines (bench/abuse/scenario.mjs).
  gateway: benchmark.gateway,
  labels: benchmark.labels,
  baselines: benchmark.baselines,

  // Single clients in 127.148-149.x.x, whole /24s (campaigns, low-and-slow, partners' egress)
  // in 127.250-253.x.0/24. The other mixes' bounds are 1, 2, 3, 13, 14, 15, 16, 17, 18, 19,
  // 29, 30, 41, 56, 58, 66, 89, 99, 100, 113, 121, 124, 137, 147, 150, 163, 199, 200, 218,
  // 229, 231, 233, 249, 252 and 254; these are none of them, and the two pools are disjoint.
  // 127.148-149 are in four other pools (the default mix's and heldout4's networks, heldout2's
  // and heldout5's hosts), as few as anywhere between 127.57 and 127.230; 127.250-253 in four
  // or five (heldout's, heldout3's, heldout4's and heldout5's pools, heldout7's networks up to
  // 252).
  addressPools: { hosts: [148, 149], networks: [250, 253] },

  // A live-service game publisher's platform (its game: Emberfall). Players and their
  // accounts under /account/v2; matches under /match/v5; ranked ladders, the global
  // leaderboard and players' ranked entries under /ranked/v3; static game data under
  // /static/v1; hero statistics under /stats/v2; inventories and the marketplace under
  // /inventory/v1; clans under /clans/v1; live games under /spectator/v4; esports under
  // /esports/v2; AI coaching under /coach/v1; tournament lobbies under /tournament/v1; crash
  // reports under /crash/v1; shard status under /platform/v1; the game client's own routes
  // under /matchmaking/v1, /replays/v2 and /honor/v1. Dedicated servers post match telemetry
  // to /telemetry/v3/batches (the ingest); stores, payment providers and anti-cheat vendors
  // post to /webhooks/v1/commerce; players sign in at /auth/v4/player-sessions.
  api: {
    // Matches (and live esports games): numbers of up to ten digits, most of them ten, fairly
    // dense (about three in five): remakes, custom games and matches past the retention
    // window are gone.
    maxId: 4999999999,
    idDensity: 0.58,
    // Clans, game names and esports players (short codes), inventory items (slugs): a bit
    // under half of the well-shaped ones exist.
    slugDensity: 0.47,
    // Players and matchmaking tickets (UUIDs): deleted and banned accounts, expired tickets
    // aside, nearly all are there.
    uuidDensity: 0.88,
    params: {
      match: 'numeric',
      player: 'uuid',
      ticket: 'uuid',
      handle: 'code', // a player's game name
      clan: 'code',
      eplayer: 'code', // the league's own ids for its esports players
      item: 'slug', // a cosmetic: gold-hat-1042
      shard: ['EU1', 'EU2', 'NA1', 'NA2', 'KR1', 'JP1', 'BR1', 'LAT1', 'LAT2', 'OCE1', 'TR1', 'ME1', 'SEA1', 'SEA2', 'TW1'],
      // A game name's tagline.
      tag: ['EU1', 'NA1', 'KR1', 'GG', 'TTV', 'ACE', 'MID', 'JGL', 'SUP', '0001', '1337', '420', '7777', 'FNX', 'XD'],
      queue: ['ranked-solo', 'ranked-duo', 'ranked-squad', 'arena-3v3'],
      region: ['eu', 'na', 'kr', 'jp', 'br', 'lat', 'oce', 'tr', 'me', 'sea', 'tw'],
      tier: ['iron', 'bronze', 'silver', 'gold', 'platinum', 'emerald', 'diamond', 'master', 'grandmaster', 'apex'],
      division: ['I', 'II', 'III', 'IV'],
      patch: ['15.1.1', '15.2.1', '15.3.1', '15.3.2', '15.4.1', '15.5.1'],
      locale: [
        'en_US', 'en_GB', 'de_DE', 'fr_FR', 'es_ES', 'es_MX', 'pt_BR', 'it_IT', 'pl_PL', 'tr_TR',
        'ru_RU', 'ko_KR', 'ja_JP', 'zh_CN', 'zh_TW', 'th_TH', 'vi_VN',
      ],
      hero: [
        'ashwarden', 'brightvale', 'cinderwisp', 'duskmantle', 'emberjaw', 'frostcaller', 'gallowmere',
        'hollowsong', 'ironbloom', 'jadefang', 'kestrel', 'lanternborn', 'mirelock', 'nightquill',
        'oathbreaker', 'palehorn', 'quillon', 'rustvein', 'saltmarsh', 'thornwake', 'umbershade',
        'vesper', 'wyrmkin', 'yarrow', 'zephyrine', 'blackreed', 'coalheart', 'driftmoor',
      ],
      week: Array.from({ length: 10 }, (_, i) => `2026-W${String(i + 1).padStart(2, '0')}`),
      // Client builds: a dotted version, the last part zero-padded.
      build: ['15.4.612.3301', '15.4.615.1180', '15.5.620.0042', '15.5.623.0917', '15.5.624.0003'],
      page: Array.from({ length: 40 }, (_, i) => String(i + 1)), // a replay's chunks
    },
    routes: [
      { w: 3, method: 'GET', path: '/account/v2/players/by-name/:handle/:tag' },
      { w: 2, method: 'GET', path: '/account/v2/players/search', query: 'search', queryKey: 'prefix' },
      { w: 8, method: 'GET', path: PLAYER },
      { w: 2, method: 'GET', path: '/account/v2/me' },
      { w: 1, method: 'GET', path: '/account/v2/me/rate-limits' },
      { w: 6, method: 'GET', path: '/match/v5/matches/by-player/:player/ids', query: 'page', queryKey: 'start' },
      { w: 11, method: 'GET', path: MATCH },
      { w: 6, method: 'GET', path: `${MATCH}/timeline` },
      { w: 5, method: 'GET', path: LEADERBOARD, query: 'page' },
      { w: 4, method: 'GET', path: LADDER, query: 'page' },
      { w: 5, method: 'GET', path: ENTRIES },
      { w: 2, method: 'GET', path: '/static/v1/versions.json' },
      { w: 4, method: 'GET', path: STATIC },
      { w: 2, method: 'GET', path: WEEKLY },
      { w: 4, method: 'GET', path: INVENTORY },
      { w: 2, method: 'GET', path: `${INVENTORY}/:item` },
      { w: 2, method: 'POST', path: '/inventory/v1/players/:player/gifts', body: 'gift' },
      { w: 2, method: 'GET', path: '/inventory/v1/marketplace/listings', query: 'page' },
      { w: 3, method: 'GET', path: CLAN },
      { w: 2, method: 'GET', path: `${CLAN}/members` },
      { w: 3, method: 'GET', path: '/spectator/v4/active-games/by-player/:player' },
      { w: 1, method: 'GET', path: '/esports/v2/schedule' },
      { w: 1, method: 'GET', path: ESPORTS_PLAYER },
      { w: 2, method: 'POST', path: '/coach/v1/analyses', body: 'analysis' },
      { w: 1, method: 'POST', path: '/tournament/v1/lobbies', body: 'lobby' },
      { w: 1, method: 'POST', path: '/crash/v1/:build/minidumps', body: 'minidump' },
      { w: 2, method: 'GET', path: '/platform/v1/status/:shard' },
      { w: 1, method: 'GET', path: '/events/v1/changes' },
    ],
    extraRoutes: [
      // Esports players created by the league's own id: 201, or 409 if they are there
      // already.
      { method: 'PUT', path: ESPORTS_PLAYER, create: true, status: 201 },
      // What followers of the live esports games poll.
      { method: 'GET', path: `${LIVE}/window` },
      { method: 'GET', path: `${LIVE}/details` },
      // The game client: its matchmaking ticket (polled while it queues), a replay's metadata
      // and chunks, a commendation after the match.
      { method: 'GET', path: TICKET },
      { method: 'GET', path: `${REPLAY}/metadata.json` },
      { method: 'GET', path: `${REPLAY}/chunks/:page.bin` },
      { method: 'POST', path: '/honor/v1/matches/:shard_:match/commendations', status: 201 },
      // Where stores, payment providers and anti-cheat vendors post.
      { method: 'POST', path: '/webhooks/v1/commerce', status: 200 },
      { method: 'GET', path: '/platform/v1/ping' },
    ],
    // What a game-name search's prefix is.
    searchWords: ['ash', 'void', 'nova', 'kira', 'zen', 'frost', 'blitz', 'ghost', 'lyra', 'rex', 'mochi', 'tilt'],
    // Dedicated servers: a match's telemetry when it ends.
    ingest: { path: '/telemetry/v3/batches', body: 'telemetry' },
    // The game's players: usernames.
    login: { path: '/auth/v4/player-sessions', users: 250000 },
    paths: {
      me: '/account/v2/me',
      list: LEADERBOARD,
      detail: PLAYER,
      // The marketplace's listings: what stuffed keys pull (prices for a grey market).
      browse: '/inventory/v1/marketplace/listings',
      poll: '/events/v1/changes',
      // Esports data feeds pull each new match's timeline.
      sync: `${MATCH}/timeline`,
      ping: '/platform/v1/ping',
      // Matches, timelines, players, inventories.
      walk: [MATCH, `${MATCH}/timeline`, PLAYER, INVENTORY],
      // Telemetry batches and minidumps far larger than any honest one.
      upload: ['/telemetry/v3/batches', '/crash/v1/:build/minidumps'],
      enumPrefixes: ['', '/account/v2', '/match/v5', '/inventory/v1', '/static/v1', '/gm/v1', '/internal', '/backoffice', '/api'],
    },
    bodies: {
      gift: { median: 380, sigma: 0.3 }, // a recipient, items, a message
      analysis: { median: 4200, sigma: 0.45 }, // a match summary and a question
      lobby: { median: 650, sigma: 0.3 },
      minidump: { median: 170000, sigma: 0.3 }, // a crashed client's minidump
      telemetry: { median: 21000, sigma: 0.5 },
      commerceEvent: { median: 1100, sigma: 0.45 },
      eplayer: { median: 900, sigma: 0.3 },
      commend: { median: 240, sigma: 0.25 },
    },
  },

  userAgents: {
    // Browsers: stats sites' and studio staff's desks, the developer portal.
    chromeWin148: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 ' +
      '(KHTML, like Gecko) Chrome/148.0.0.0 Safari/537.36',
    chromeLinux148: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 ' +
      '(KHTML, like Gecko) Chrome/148.0.0.0 Safari/537.36',
    edgeWin148: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 ' +
      '(KHTML, like Gecko) Chrome/148.0.0.0 Safari/537.36 Edg/148.0.3967.44',
    firefoxWin150: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:150.0) Gecko/20100101 Firefox/150.0',
    firefoxLinux150: 'Mozilla/5.0 (X11; Linux x86_64; rv:150.0) Gecko/20100101 Firefox/150.0',
    safariMac265: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 ' +
      '(KHTML, like Gecko) Version/26.5 Safari/605.1.15',
    iphone265: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_7 like Mac OS X) AppleWebKit/605.1.15 ' +
      '(KHTML, like Gecko) Version/26.5 Mobile/15E148 Safari/604.1',
    chromeAndroid148: 'Mozilla/5.0 (Linux; Android 16; Pixel 10) AppleWebKit/537.36 ' +
      '(KHTML, like Gecko) Chrome/148.0.7778.62 Mobile Safari/537.36',
    samsung30: 'Mozilla/5.0 (Linux; Android 16; SM-S931B) AppleWebKit/537.36 (KHTML, like Gecko) ' +
      'SamsungBrowser/30.0 Chrome/140.0.0.0 Mobile Safari/537.36',
    // The publisher's own game client, launcher, companion app and SDKs.
    clientWin: 'EmberfallClient/15.5.620.0042 (Windows NT 10.0.26200; x64) ClientFoundation/6.2.1',
    clientMac: 'EmberfallClient/15.5.620.0042 (Macintosh; macOS 26.3; arm64) ClientFoundation/6.2.1',
    clientDeck: 'EmberfallClient/15.5.620.0042 (Linux x86_64; SteamOS 3.7.13; Proton 10.0-3)',
    launcher: 'CinderpeakLauncher/4.12.1 (Windows NT 10.0.26100; Win64; x64) CEF/138.0.7204.97',
    companionIos: 'EmberfallCompanion/8.3.0 (iPhone17,1; iOS 26.4; Scale/3.00) Alamofire/5.11.1',
    companionAndroid: 'EmberfallCompanion/8.3.0 (Android 16; SM-S931B; okhttp/5.3.2)',
    mobileUnity: 'UnityPlayer/6000.2.12f1 (UnityWebRequest/1.0, libcurl/8.10.1-DEV)',
    sdkPy: 'cinderpeak-api-python/3.4.0 (CPython 3.14.3; Linux x86_64)',
    sdkTs: 'cinderpeak-api-ts/6.0.2 (Node.js v24.13.0; linux x64)',
    sdkCs: 'Cinderpeak.Api/5.2.1 (.NET 10.0.2; Microsoft Windows 10.0.26100)',
    sdkRust: 'cinderpeak-rs/0.19.3 (reqwest 0.12.26; rustc 1.92.0)',
    // Dedicated servers, stats sites, bots, overlays, coaching, tournaments, esports data,
    // data pipelines, studio tools.
    dedicated: 'EmberfallServer/15.5.620.0042 (Linux x86_64; UnrealEngine 5.6.1; libcurl 8.17.0)',
    statsSite: 'EmberGG-Collector/11.3.0 (+https://emberstats.example/about/collector)',
    rankTracker: 'LadderWatch/2.18.4 (Go 1.25.6; +https://ladderwatch.example)',
    discordBot: 'EmberBot/2.7.1 (discord.js 14.22.1; Node.js 22.22.0)',
    overlay: 'StreamKit-Overlay/3.1.0 (OBS 32.0.4; browser source)',
    coachAgent: 'RankUp-Coach-Agent/1.4.2 (Python 3.13.11; httpx 0.28.1)',
    tourneyOps: 'BracketForge-TO/5.6.0 (Ruby 3.4.8; Faraday 2.14.1)',
    esportsFeed: 'PentaStat-EsportsFeed/4.0.1 (Java/21.0.10; Apache-HttpClient/5.5.1)',
    dlt: 'dlt/1.19.1 (source: cinderpeak_matches; Python 3.12.12; requests 2.32.5)',
    airflow: 'apache-airflow-providers-http/5.4.0 (Airflow 3.1.5; Python 3.12.12)',
    postman: 'PostmanRuntime/7.49.1',
    insomnia: 'insomnia/11.6.1',
    bruno: 'bruno-runtime/2.14.2',
    // Attack tools (and the browsers, clients and SDKs above, which attackers claim too).
    requests230: 'python-requests/2.30.0',
    httpx0283: 'python-httpx/0.28.3',
    hrequests: 'hrequests/0.9.2',
    curl8190: 'curl/8.19.0',
    undici718: 'undici/7.18.2',
    headless148: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) ' +
      'HeadlessChrome/148.0.7778.33 Safari/537.36',
    accChecker: 'ember-acc-checker/3.2 (Python 3.12; rnet 2.4.1)',
    keyBrute: 'devkey-brute/0.3.1 (reqwest 0.12.24)',
    invSniper: 'inv-sniper/0.8.5 (+undetected-chromedriver 3.5.5)',
    matchHarvester: 'match-harvester/1.9.0 (Go 1.24.11; colly/2.2.0)',
    giftMinter: 'Mozilla/5.0 (compatible; ember-gift-tool/0.6)',
    discordbot: 'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)',
    gptbot: 'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.3; +https://openai.com/gptbot)',
    perplexityUser: 'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Perplexity-User/1.0; +https://perplexity.ai/perplexity-user)',
    dotbot: 'Mozilla/5.0 (compatible; DotBot/1.2; +https://opensiteexplorer.org/dotbot; help@moz.com)',
    coccoc: 'Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)',
    telegram: 'TelegramBot (like TwitterBot)',
    keydrop: 'Mozilla/5.0 (compatible; Keydrop.io/1.0(onlyscans.com/about);)',
    ipsAgent: 'Mozilla/5.0 (compatible; ips-agent)',
    drill: 'drill/0.8.3',
    goose: 'goose/0.18.1',
    // Stores, payment providers, anti-cheat vendors.
    xsolla: 'Xsolla-Webhooks/2.0',
    eos: 'EOS-Ecom-Notifications/1.7',
    psn: 'PSN-Entitlement-Callback/3.2',
    xbox: 'XboxLive-Commerce-Hooks/2.5',
    eac: 'EasyAntiCheat-Reports/5.1',
    battleye: 'BattlEye-Notify/1.12',
  },
  uaMix: {
    benign: {
      sdkPy: 12, sdkTs: 12, sdkCs: 6, sdkRust: 4, statsSite: 8, rankTracker: 6, discordBot: 10,
      overlay: 6, coachAgent: 5, tourneyOps: 4, chromeWin148: 7, edgeWin148: 3, firefoxLinux150: 2,
      safariMac265: 2, postman: 2,
    },
    attack: {
      requests230: 14, httpx0283: 10, hrequests: 6, curl8190: 8, undici718: 8, headless148: 12,
      chromeWin148: 10, sdkPy: 9, sdkTs: 7, matchHarvester: 8, discordBot: 4, goose: 4,
    },
  },

  classes: {
    // --- benign -----------------------------------------------------------------------
    // Stats sites, rank trackers, Discord bots, stream overlays, coaching and tournament
    // tools: look players, matches, ladders and inventories up; many matches purged and
    // accounts deleted since (404), keys being rotated now and then (401). A fifth page
    // through the whole global leaderboard now and then, every page as soon as the last
    // came; nearly a fifth run AI coaching agents (an analysis that takes seconds, a lookup
    // between two of them); some overlays follow the live esports games every 2-5 s.
    steady: {
      benign: true, count: 33, rate: [0.1, 1.6], startS: [0, 35],
      staleIdShare: 0.12, authFailShare: 0.015,
      paging: {
        share: 0.22, path: LEADERBOARD, queryKey: 'page', pages: [15, 80],
        pageMs: [40, 220], everyS: [25, 70],
      },
      agentLoops: {
        share: 0.18, everyS: [8, 30], turns: [3, 9], modelMs: [2000, 8000], toolMs: [60, 300],
        model: { method: 'POST', path: '/coach/v1/analyses', body: 'analysis' },
        tools: [
          { method: 'GET', path: `${MATCH}/timeline` },
          { method: 'GET', path: ENTRIES },
          { method: 'GET', path: STATIC },
          { method: 'GET', path: WEEKLY },
        ],
      },
      live: {
        share: 0.15, slate: 4, follow: [1, 2], polls: LIVE_POLLS, everyMs: [2000, 5000],
        fromS: [0, 30], forS: [30, 105],
      },
    },
    // Dedicated server fleets posting each match's telemetry as it ends, and esports data
    // feeds pulling each new match's timeline in ascending match number: a change-feed poll,
    // then bursts of one to three seconds at tens of requests a second, one every several
    // seconds.
    batch: {
      benign: true, count: 13, pollRate: 0.3, burstRate: [15, 42], burstS: [1, 3],
      firstBurstS: [0, 12], gapS: [6, 16], staleIdShare: 0.02, ingestShare: 0.55,
      uaMix: { dedicated: 55, esportsFeed: 30, sdkRust: 15 },
    },
    // Stats sites replicating matches of one shard in ascending match number; a quarter are
    // league tools pushing esports players by their own ids, about a third new: three in
    // five probe each first, the others PUT every one (409 for those there already). Three
    // in ten of the others refresh a ladder cache: every queue, region, tier and division in
    // order.
    etl: {
      benign: true, count: 14, pollRate: 0.07, burstRate: [12, 30], burstS: [5, 14],
      firstBurstS: [0, 45], gapS: [14, 35], staleIdShare: 0.035,
      template: MATCH,
      upsert: {
        share: 0.25, write: { method: 'PUT', path: ESPORTS_PLAYER, body: 'eplayer' }, probe: ESPORTS_PLAYER,
        newShare: 0.35, probeShare: 0.6, afterMs: [15, 140],
      },
      grid: { share: 0.3, template: LADDER },
      uaMix: { statsSite: 25, rankTracker: 20, dlt: 20, airflow: 10, tourneyOps: 15, sdkRust: 10 },
    },
    // Esports team houses, studio QA floors and a university esports arena: up to a dozen
    // keyed users behind each address, nearly half of them following the live esports
    // games every 1-3 s.
    nat: {
      benign: true, gateways: 5, users: [4, 12], rate: [0.05, 0.45], startS: [0, 50],
      staleIdShare: 0.1, authFailShare: 0.03,
      live: {
        share: 0.45, slate: 4, follow: [1, 3], polls: LIVE_POLLS, everyMs: [1000, 3000],
        fromS: [0, 30], forS: [30, 105],
      },
      uaMix: { chromeWin148: 25, edgeWin148: 10, firefoxWin150: 10, postman: 20, insomnia: 15, bruno: 10, safariMac265: 10 },
    },
    // Stores, payment providers and anti-cheat vendors from wide egress pools (2-6 /24s,
    // 10-60 addresses): bursts from one second (a ban wave's tail) to 25 (a sale opening).
    partner: {
      benign: true, count: 12, networks: [2, 6], addresses: [10, 60], burstRate: [2, 11],
      burstS: [1, 25], firstBurstS: [0, 30], gapS: [3, 20],
      path: '/webhooks/v1/commerce', body: 'commerceEvent',
      uaMix: { xsolla: 18, eos: 17, psn: 17, xbox: 16, eac: 16, battleye: 16 },
    },
    // Players on the game client through its key, arriving through the first 72 s: they sign
    // in (more than a quarter mistype first and retry 2-30 s later); half queue for a match
    // and the client polls the ticket every 1.5-4 s; three in ten watch a replay, chunks
    // 10-40 in order, 0.08-0.4 s apart, and commend a player 2-15 s after the last; nearly
    // half play from a few PC-bang and LAN-venue addresses.
    app_users: {
      benign: true, count: [140, 170], startS: [0, 72], mistypeShare: 0.27, retryS: [2, 30],
      thinkS: [0.3, 3], rate: [0.03, 0.2], sessionS: [30, 105], staleIdShare: 0.07,
      carrierNat: { share: 0.45, addresses: [2, 4] },
      refresh: { share: 0.5, path: TICKET, everyS: [1.5, 4] },
      ceremony: {
        share: 0.3, open: `${REPLAY}/metadata.json`, page: `${REPLAY}/chunks/:page.bin`,
        sign: { method: 'POST', path: '/honor/v1/matches/:shard_:match/commendations', body: 'commend' },
        pages: [10, 40], pageMs: [80, 400], readS: [2, 15], afterS: [0, 20],
      },
      uaMix: {
        clientWin: 40, launcher: 12, clientMac: 6, clientDeck: 6, companionIos: 14, companionAndroid: 12,
        mobileUnity: 10,
      },
    },

    // --- attacks ----------------------------------------------------------------------
    // Developer-key brute-forcers: trickles and a few fast ones, some keys in other formats.
    key_guessing: {
      benign: false, count: 12, rate: [0.15, 10], startS: [0, 90], lengthS: [6, 45],
      foreignShare: 0.08,
      uaMix: { keyBrute: 35, requests230: 25, curl8190: 20, undici718: 20 },
    },
    // Developer and server keys lifted from leaked server configs; three in five of the
    // requests after the list mint items as gifts to accounts for sale (honest-sized gifts).
    credential_stuffing: {
      benign: false, count: 12, rate: [0.2, 1.6], startS: [0, 55], lengthS: [30, 95],
      keysPerClient: 26, validShare: 0.27,
      resale: { share: 0.6, path: '/inventory/v1/players/:player/gifts', body: 'gift' },
      uaMix: { giftMinter: 25, dedicated: 20, sdkCs: 20, requests230: 20, hrequests: 15 },
    },
    // Path scanners, and harvesters of matches, timelines, players and inventories with
    // gaps of 1-2; two in five of the harvesters fan out over 3-8 workers behind 20-60 proxy
    // exits, 1-4 consecutive requests an exit.
    scraping: {
      benign: false, count: 15, enumerateShare: 0.27, rate: [0.6, 4.5], startS: [0, 60],
      normalShare: 0.14, step: [1, 2],
      fanout: { share: 0.4, workers: [3, 8], chunk: [1, 4], exits: [20, 60] },
      uaMix: { matchHarvester: 25, invSniper: 15, headless148: 20, keydrop: 10, httpx0283: 10, chromeWin148: 20 },
    },
    // Timelines, inventories and ranked entries walked very slowly with gaps of 1-12, dressed
    // as link unfurlers and AI crawlers; nearly three in ten harvest the ladders instead;
    // nearly half through 4-16 proxy exits.
    slow_scraper: {
      benign: false, count: 14, rate: [0.05, 0.4], startS: [0, 40], step: [1, 12],
      templates: [`${MATCH}/timeline`, INVENTORY, ENTRIES],
      proxies: { share: 0.45, addresses: [4, 16] },
      grid: { share: 0.28, template: LADDER },
      uaMix: { discordbot: 20, gptbot: 18, perplexityUser: 16, dotbot: 16, coccoc: 15, telegram: 15 },
    },
    // Browsers reading player profiles one after the other, the next leaderboard page now and
    // then, stopping to read.
    mimic: {
      benign: false, count: 12, startS: [0, 45], gapS: [0.8, 4.5], otherShare: 0.2,
      pageShare: 0.1, readShare: 0.15, readS: [5, 40],
      template: PLAYER,
      uaMix: { chromeWin148: 25, chromeLinux148: 10, edgeWin148: 15, firefoxWin150: 20, safariMac265: 15, samsung30: 5, chromeAndroid148: 10 },
    },
    // Six /24s, five addresses each, very slow.
    low_and_slow: {
      benign: false, networks: 6, addresses: 5, meanIntervalS: [25, 80], startS: [0, 60],
      uaMix: { keydrop: 50, ipsAgent: 50 },
    },
    // Players' accounts stuffed through the game's key, most copying the client.
    login_stuffing: {
      benign: false, count: 14, rate: [0.08, 1.3], startS: [0, 60], lengthS: [25, 100],
      correctShare: 0.03,
      uaMix: { accChecker: 30, clientWin: 25, launcher: 15, companionAndroid: 15, hrequests: 15 },
    },
    // A short, dense campaign: four to ten addresses per /24, one or two attempts each.
    login_campaign: {
      benign: false, campaigns: 1, addresses: [230, 280], perNetwork: [4, 10], attempts: [1, 2],
      startS: [15, 45], lengthS: [30, 55], correctShare: 0.022,
      uaMix: { clientWin: 45, launcher: 20, companionIos: 15, companionAndroid: 15, iphone265: 5 },
    },
    // Leaked developer and server keys sprayed thinly over nearly the whole phase, one per
    // address, one or two addresses per /24: revoked, dormant accounts' and a quarter made
    // up, 1-6 tries each.
    key_spray: {
      benign: false, campaigns: 1, addresses: [100, 125], perNetwork: [1, 2], requests: [1, 6],
      validShare: 0.22, madeUpShare: 0.25, startS: [0, 10], lengthS: [85, 100],
      uaMix: { sdkPy: 20, sdkCs: 15, dedicated: 15, requests230: 20, drill: 30 },
    },
    // Telemetry batches and minidumps of 600-990 KB where tens of KB, and a couple of
    // hundred KB for a minidump, are honest.
    oversized: {
      benign: false, count: 11, rate: [0.1, 0.7], startS: [0, 70], oversizedShare: 0.28,
      bytes: [600000, 990000],
      uaMix: { drill: 25, goose: 25, sdkTs: 20, undici718: 15, curl8190: 15 },
    },
  },
};
