// The third held-out mix of the abuse benchmark: written from scratch, without the engine's
// code or results in view, and different in structure from scenario.mjs, heldout.mjs and
// heldout2.mjs, not only in seeds: another API (a clinics' appointment-scheduling API:
// appointments and patients by number, booking confirmation codes that patients type in,
// providers' handles as slugs, a FHIR-style integration part with capitalised resource
// names, a route with two record numbers in it, PUT and DELETE next to POST, document
// uploads that are large on purpose, FHIR bundles as the batch ingest), other User-Agents
// (Firefox on Linux, Safari on iPhone, Samsung Internet, Chrome on macOS and Windows, an iOS
// app over Alamofire, an Android app over Dalvik, Guzzle, HAPI FHIR, PowerShell, Insomnia,
// HTTPie, got, Deno, Bun, rest-client; attackers with a spoofed Googlebot, headless Chrome,
// ffuf, nuclei, zgrab, Hydra, PycURL, fasthttp, libwww-perl, hackney; Zoom, Square, Mandrill
// and SendGrid webhook senders), per-class User-Agent mixes for the attacks too, other rates,
// burst shapes and sizes, and addresses from the last parts of 127/8 left in this
// combination. It uses four optional generator keys no other mix sets: scrapers that skip
// ids (scraping.step), app users behind a carrier's NAT (app_users.carrierNat), key sprayers
// with made-up keys among the leaked ones (key_spray.madeUpShare), mimics that stop to read
// (mimic.readShare, readS).
// Nothing may be tuned on it: not the engine, not its thresholds, not this file in response
// to the engine's figures, or it stops being held out. Run it with
//   node bench/abuse/run.mjs --scenario bench/abuse/heldout3.mjs
// Same shape and conventions as scenario.mjs (rates per second, times in seconds from the
// phase start, [a, b] a uniform draw per client, per burst or per request where said).
// Every class has at least 10 clients per trace, except the campaigns: one campaign each,
// of at least 100 addresses.

import benchmark from './scenario.mjs';

export default {
  name: 'heldout3',

  // Four seeds, none of the other mixes'.
  seeds: [31, 32, 33, 34],
  trainingSeedOffset: 1000,

  durationS: 90,

  // The benchmark's own settings, the same for every mix: the gateway and its engine
  // settings, the simulated customer's labels, the baselines (bench/abuse/scenario.mjs).
  gateway: benchmark.gateway,
  labels: benchmark.labels,
  baselines: benchmark.baselines,

  // Single clients in 127.2-15.x.x (heldout.mjs's networks pool), whole /24s (campaigns,
  // low-and-slow, partners' egress) in 127.200-254.x.0/24 (heldout.mjs's hosts pool): the
  // one pairing of ranges no other mix uses.
  addressPools: { hosts: [2, 15], networks: [200, 254] },

  // A group of clinics' scheduling API, without a version prefix: a public provider
  // directory (providers by handle, their availability, by specialty and by site), the
  // patient portal (appointments by number, booking confirmation codes, patients by number,
  // a visit summary addressed by two numbers, booking, rescheduling with PUT, cancelling with
  // DELETE, messages, intake forms, scanned documents) and a FHIR-style part for the
  // practices' EHR systems. EHRs post FHIR bundles to /ehr/fhir/Bundle, payment, telehealth
  // and e-mail providers' webhooks go to /hooks, patients log in at /portal/auth/sessions.
  api: {
    maxId: 250000,
    // Dense: most appointment and patient numbers exist.
    idDensity: 0.68,
    // Sparse: few made-up confirmation codes or provider handles exist.
    slugDensity: 0.35,
    params: {
      appt: 'numeric', // appointments
      pat: 'numeric', // patients (record numbers)
      conf: 'code', // booking confirmation codes: p7k2qx
      doc: 'slug', // providers' handles: rose-vase-2231
      spec: [
        'cardiology', 'dermatology', 'pediatrics', 'orthopedics', 'gynecology',
        'ophthalmology', 'psychiatry', 'family-medicine',
      ],
      site: ['north', 'riverside', 'old-town', 'airport', 'university'],
    },
    routes: [
      { w: 10, method: 'GET', path: '/directory/providers', query: 'page', queryKey: 'cursor' },
      { w: 14, method: 'GET', path: '/directory/providers/:doc' },
      { w: 9, method: 'GET', path: '/directory/providers/:doc/availability' },
      { w: 6, method: 'GET', path: '/directory/specialties/:spec/providers' },
      { w: 8, method: 'GET', path: '/directory/search', query: 'search', queryKey: 'near' },
      { w: 3, method: 'GET', path: '/directory/sites/:site/hours' },
      { w: 9, method: 'GET', path: '/portal/appointments' },
      { w: 16, method: 'GET', path: '/portal/appointments/:appt' },
      { w: 4, method: 'GET', path: '/portal/appointments/confirm/:conf' },
      { w: 4, method: 'GET', path: '/portal/patients/:pat/visits/:appt/summary' },
      { w: 5, method: 'GET', path: '/portal/me' },
      { w: 3, method: 'GET', path: '/portal/insurance/plans' },
      { w: 3, method: 'GET', path: '/ehr/fhir/Appointment/:appt' },
      { w: 2, method: 'GET', path: '/ops/sync/status' },
      { w: 6, method: 'POST', path: '/portal/appointments', body: 'booking' },
      { w: 3, method: 'PUT', path: '/portal/appointments/:appt/slot', body: 'reschedule' },
      { w: 2, method: 'DELETE', path: '/portal/appointments/:appt' },
      { w: 4, method: 'POST', path: '/portal/messages', body: 'message' },
      { w: 3, method: 'POST', path: '/portal/appointments/:appt/intake', body: 'intake' },
      // Photos of insurance cards, referral letters: large bodies, honestly.
      { w: 1, method: 'POST', path: '/portal/patients/:pat/documents', body: 'scan' },
    ],
    extraRoutes: [
      { method: 'GET', path: '/portal/patients/:pat' },
      { method: 'GET', path: '/portal/patients/:pat/documents' },
      { method: 'GET', path: '/ehr/fhir/Patient/:pat' },
      // Where the partners' webhooks arrive.
      { method: 'POST', path: '/hooks/v1/notifications', status: 200 },
      { method: 'GET', path: '/status/live' },
    ],
    searchWords: [
      'brookside', 'elmwood', 'harbor', 'lakeview', 'midtown', 'northgate', 'oakridge',
      'westfield', 'kingsbury', 'fairview', 'millbrook', 'southport',
    ],
    // The practices' EHR systems post FHIR bundles (appointments, encounters) here.
    ingest: { path: '/ehr/fhir/Bundle', body: 'bundle' },
    // The patient portal's and the patient app's login.
    login: {
      path: '/portal/auth/sessions', users: 12000, userStyle: 'email',
      domain: 'patientmail.example',
    },
    // me, list, browse, poll and ping are plain paths (no placeholders).
    paths: {
      me: '/portal/me',
      list: '/directory/providers',
      detail: '/directory/providers/:doc',
      browse: '/portal/appointments',
      poll: '/ops/sync/status',
      sync: '/ehr/fhir/Appointment/:appt',
      ping: '/status/live',
      // Patients' records first: what a data thief is after.
      walk: [
        '/portal/patients/:pat', '/portal/patients/:pat/documents',
        '/ehr/fhir/Appointment/:appt', '/portal/appointments/confirm/:conf',
        '/directory/providers/:doc',
      ],
      upload: ['/portal/messages', '/portal/appointments/:appt/intake'],
      enumPrefixes: [
        '', '/portal', '/portal/admin', '/ehr', '/ehr/fhir', '/directory', '/billing',
        '/internal', '/ops',
      ],
    },
    bodies: {
      booking: { median: 1100, sigma: 0.4 }, // patient, provider, slot, reason, insurance
      reschedule: { median: 260, sigma: 0.3 }, // a new slot
      message: { median: 650, sigma: 0.8 }, // a note to the practice
      intake: { median: 3400, sigma: 0.55 }, // an intake questionnaire
      scan: { median: 140000, sigma: 0.4 }, // a photo or a PDF page
      bundle: { median: 14000, sigma: 0.6 }, // a FHIR bundle from an EHR
      notice: { median: 900, sigma: 0.4 }, // a webhook's event
    },
  },

  userAgents: {
    firefox: 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
    iphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5_1 like Mac OS X) AppleWebKit/605.1.15 ' +
      '(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    samsung: 'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) ' +
      'SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36',
    chromeMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 ' +
      '(KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
    chromeWin: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 ' +
      '(KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
    appIos: 'CareBook/6.4.0 (org.carebook.patient; build:6402; iOS 17.5.1) Alamofire/5.9.1',
    appAndroid: 'Dalvik/2.1.0 (Linux; U; Android 13; SM-A536B Build/TP1A.220624.014)',
    guzzle: 'GuzzleHttp/7',
    hapi: 'HAPI-FHIR/7.2.0 (FHIR Client; FHIR 4.0.1/R4; apache)',
    javaHttp: 'Java-http-client/21.0.3',
    powershell: 'Mozilla/5.0 (Windows NT 10.0; Microsoft Windows 10.0.22631; en-US) ' +
      'PowerShell/7.4.2',
    insomnia: 'insomnia/2023.5.8',
    httpie: 'HTTPie/3.2.2',
    got: 'got (https://github.com/sindresorhus/got)',
    deno: 'Deno/1.44.4',
    bun: 'Bun/1.1.17',
    restClient: 'rest-client/2.1.0 (linux-gnu x86_64) ruby/3.2.4p170',
    // Attack tools (and the browsers and SDKs above, which attackers claim too).
    googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    headless: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) ' +
      'HeadlessChrome/126.0.6478.126 Safari/537.36',
    ffuf: 'Fuzz Faster U Fool v2.1.0-dev',
    nuclei: 'Nuclei - Open-source project (github.com/projectdiscovery/nuclei)',
    zgrab: 'Mozilla/5.0 zgrab/0.x',
    hydra: 'Mozilla/4.0 (Hydra)',
    pycurl: 'PycURL/7.45.3 libcurl/8.6.0 OpenSSL/3.0.13 zlib/1.3',
    fasthttp: 'fasthttp',
    libwww: 'libwww-perl/6.77',
    hackney: 'hackney/1.20.1',
    // Webhook senders.
    zoom: 'Zoom Marketplace/1.0a',
    square: 'Square Connect v2',
    mandrill: 'Mandrill-Webhook/1.0',
    sendgrid: 'SendGrid Event API',
  },
  uaMix: {
    benign: {
      chromeMac: 12, chromeWin: 10, firefox: 8, iphone: 5, guzzle: 12, hapi: 10, javaHttp: 6,
      powershell: 6, restClient: 7, got: 8, deno: 5, insomnia: 4, httpie: 4, bun: 3,
    },
    attack: {
      chromeMac: 12, chromeWin: 8, firefox: 6, samsung: 4, headless: 8, pycurl: 14,
      javaHttp: 8, fasthttp: 12, libwww: 8, hackney: 6, got: 6, deno: 4, guzzle: 4,
    },
  },

  classes: {
    // --- benign -----------------------------------------------------------------------
    // Practice-management systems and staff tools: a wide spread of rates and starts,
    // appointments cancelled or merged since they were listed (404), a few calls with a key
    // the practice rotated out.
    steady: {
      benign: true, count: 20, rate: [0.08, 1.8], startS: [0, 35],
      staleIdShare: 0.07, authFailShare: 0.012,
    },
    // EHR connectors: a rare poll; short, sharp bursts that post FHIR bundles or pull
    // appointments by number, a few seconds long with short gaps.
    batch: {
      benign: true, count: 12, pollRate: 0.05, burstRate: [18, 50], burstS: [1.5, 4],
      firstBurstS: [0, 25], gapS: [8, 22], staleIdShare: 0.03, ingestShare: 0.5,
      uaMix: { hapi: 45, javaHttp: 20, guzzle: 20, powershell: 15 },
    },
    // A population-health export walking patients by number in ascending order: faster, more
    // frequent and shorter syncs than the other mixes', a few merged records (404).
    etl: {
      benign: true, count: 10, pollRate: 0.03, burstRate: [25, 60], burstS: [2, 5],
      firstBurstS: [3, 40], gapS: [12, 30], staleIdShare: 0.02,
      template: '/ehr/fhir/Patient/:pat',
      uaMix: { hapi: 35, powershell: 15, guzzle: 20, javaHttp: 15, bun: 15 },
    },
    // Clinics' front desks: a few receptionists behind each practice's router, in browsers.
    nat: {
      benign: true, gateways: 5, users: [3, 8], rate: [0.05, 0.7], startS: [0, 45],
      staleIdShare: 0.06, authFailShare: 0.02,
      uaMix: { chromeWin: 60, chromeMac: 15, firefox: 10, guzzle: 15 },
    },
    // Payment, telehealth and e-mail providers' webhooks from large rotating egress pools
    // (2-5 /24s, 20-60 addresses), small bursts, most addresses used only a few times.
    partner: {
      benign: true, count: 12, networks: [2, 5], addresses: [20, 60], burstRate: [2, 10],
      burstS: [1, 3], firstBurstS: [0, 30], gapS: [3, 12],
      path: '/hooks/v1/notifications', body: 'notice',
      uaMix: { zoom: 25, square: 25, mandrill: 25, sendgrid: 25 },
    },
    // The patient app (iOS, Android) and the portal on phones and desktops. About a third of
    // the users are on mobile data behind a carrier's NAT: a handful of addresses shared by
    // many patients, their logins and their mistyped passwords. Some retry only after a
    // while (looking the password up).
    app_users: {
      benign: true, count: [90, 120], startS: [0, 75], mistypeShare: 0.12, retryS: [3, 20],
      thinkS: [0.5, 3], rate: [0.1, 0.6], sessionS: [8, 50], staleIdShare: 0.04,
      carrierNat: { share: 0.35, addresses: [3, 5] },
      uaMix: { appIos: 35, appAndroid: 30, iphone: 15, samsung: 10, chromeMac: 10 },
    },

    // --- attacks ----------------------------------------------------------------------
    key_guessing: {
      benign: false, count: 12, rate: [0.8, 5], startS: [0, 50], lengthS: [12, 40],
    },
    // Short lists of leaked practice keys, half of them still valid, slowly.
    credential_stuffing: {
      benign: false, count: 12, rate: [0.25, 1.2], startS: [0, 50], lengthS: [35, 80],
      keysPerClient: 10, validShare: 0.5,
    },
    // Fewer scanners than walkers; the walkers skip 1-4 numbers at a time.
    scraping: {
      benign: false, count: 14, enumerateShare: 0.35, rate: [0.6, 3], startS: [0, 50],
      normalShare: 0.25, step: [1, 4],
      uaMix: {
        googlebot: 20, headless: 20, nuclei: 10, ffuf: 10, chromeMac: 15, pycurl: 15,
        fasthttp: 10,
      },
    },
    // Patients' records and providers' availability, one or two templates, bigger gaps.
    slow_scraper: {
      benign: false, count: 12, rate: [0.12, 0.5], startS: [0, 25], step: [2, 9],
      templates: [
        '/portal/patients/:pat', '/portal/patients/:pat/documents',
        '/directory/providers/:doc/availability',
      ],
      uaMix: { googlebot: 35, headless: 25, libwww: 15, pycurl: 25 },
    },
    // Slot harvesters dressed as phone and desktop browsers: providers' availability in
    // order, human-looking gaps, a longer pause now and then, more other calls.
    mimic: {
      benign: false, count: 12, startS: [0, 25], gapS: [1, 4.5], otherShare: 0.25,
      pageShare: 0.06, readShare: 0.1, readS: [6, 20],
      template: '/directory/providers/:doc/availability',
      uaMix: { chromeMac: 35, iphone: 25, samsung: 20, firefox: 20 },
    },
    // Five /24s, four addresses each.
    low_and_slow: {
      benign: false, networks: 5, addresses: 4, meanIntervalS: [10, 25], startS: [0, 30],
      uaMix: { zgrab: 20, fasthttp: 30, chromeMac: 25, libwww: 25 },
    },
    // Through the app, some copying its User-Agents.
    login_stuffing: {
      benign: false, count: 12, rate: [0.2, 1.2], startS: [0, 50], lengthS: [30, 75],
      correctShare: 0.025,
      uaMix: {
        hydra: 15, chromeMac: 20, samsung: 10, iphone: 15, appIos: 10, appAndroid: 10,
        pycurl: 10, javaHttp: 10,
      },
    },
    // Residential proxies: many addresses, 1-3 per /24, 1-3 attempts each, with phones' and
    // browsers' User-Agents, the app's among them.
    login_campaign: {
      benign: false, campaigns: 1, addresses: [400, 480], perNetwork: [1, 3], attempts: [1, 3],
      startS: [10, 25], lengthS: [50, 65], correctShare: 0.012,
      uaMix: { chromeMac: 25, iphone: 20, samsung: 15, appIos: 15, appAndroid: 15, firefox: 10 },
    },
    // A paste of "leaked" keys: revoked ones, dormant accounts' and made-up ones.
    key_spray: {
      benign: false, campaigns: 1, addresses: [160, 220], perNetwork: [1, 4], requests: [1, 3],
      validShare: 0.25, madeUpShare: 0.3, startS: [5, 25], lengthS: [40, 60],
      uaMix: { fasthttp: 25, pycurl: 25, hackney: 15, javaHttp: 15, got: 10, deno: 10 },
    },
    // Huge messages and intake forms (the documents route, large anyway, is left alone).
    oversized: {
      benign: false, count: 12, rate: [0.25, 1.1], startS: [0, 40], oversizedShare: 0.35,
      bytes: [80000, 600000],
    },
  },
};
