// The tenth held-out mix of the abuse benchmark: written from scratch, without the engine's
// code or results in view, and different in structure from scenario.mjs, heldout.mjs,
// heldout2.mjs, heldout3.mjs, heldout4.mjs, heldout5.mjs, heldout6.mjs, heldout7.mjs,
// heldout8.mjs and heldout9.mjs, not only in seeds: another API (an e-signature and
// agreement platform's, the kind it sells to HR systems, CRMs, law firms, property brokers
// and procurement tools: envelopes by UUID, created as POSTs of tens to hundreds of KB
// because the documents travel inside them base64-encoded, with their recipients, their
// documents, each document's pages as images (a document of a list and a page number of a
// list in one path, five records deep), their status and their audit certificate as a PDF;
// reusable templates by slug and sends from a template as small POSTs; a contract
// repository of agreements by dense seven-digit numbers with their clauses and obligations;
// a public "verify this document" page by the short code printed in every signed
// document's footer; a form library per form and locale (two lists of names in one path);
// signer profiles created with PUT by the customer's own ids (201, or 409 when there
// already); AI clause extraction and clause search as POSTs; an event feed the jobs poll;
// bulk sends of recipient lists as the ingest; identity-verification vendors, remote notaries
// and trust service providers posting results as the webhooks; the signer app's sign-in by
// e-mail), other User-Agents (the platform's own SDKs for Python 3.14, Node 24, Java 25,
// .NET 10, Go 1.25, Ruby and PHP, its signer app on iOS 26, Android 16 and iPad, its Outlook
// add-in, HR, CRM, legal practice, property and procurement systems, contract AI agents,
// records archivers, Dagster and Prefect flows, Chrome 145, Edge 145, Firefox 147, Safari
// 26.2 on macOS and iPhone, Chrome on Android, Samsung Internet 29; attackers with an
// envelope dumper, a phishing-kit sender, a signer account checker, python-requests 2.33,
// httpx 0.28.2, curl 8.17, undici 7.16, Bun 1.3, headless Chrome 145, DirBuster, Caido and
// Wappalyzer, bombardier and Locust, spoofed Slackbot, facebookexternalhit, Meta's and
// OpenAI's search crawlers and Diffbot, Nimbostratus, IonCrawl and Cortex Xpanse scanners;
// Persona, Jumio, IDnow, Socure, a remote online notary and a qualified trust service
// provider as webhook senders), other rates, burst shapes, durations, campaign sizes and
// spreads, and single addresses and /24s from ranges whose bounds no other mix uses. Honest
// clients here are hard on purpose: half the signers on the app read a document in the
// app's viewer, which loads its pages 1, 2, 3, ... in order a fraction of a second apart
// (page numbers in the path, through the app's one key, a quarter of them behind a few
// carrier addresses), after a sign-in that more than one in five mistype; integrations
// meet many 404s (voided and purged envelopes) and a few 401s (keys being rotated), page
// through their envelopes, and a fifth run contract AI agents that loop over extraction
// calls and tool calls; honest bodies are large (documents inlined); records archivers walk
// agreement numbers in ascending order, HR systems PUT signer profiles blind (409s) or
// probe first (404s), form-library mirrors walk every form and locale; bulk senders and
// certificate archivers hold long bursts. Attackers dump envelopes and agreements (some
// fanned out over proxy exits), scan paths, enumerate the public verification codes and
// agreements slowly with gaps (some through proxies, some harvesting the form library,
// dressed as link unfurlers and AI crawlers), read templates one by one dressed as a
// browser, check leaked integration keys and send phishing envelopes from templates with
// the ones that work, spray keys one per address, stuff the signer sign-in through the
// app's key from one address or a very wide campaign (one or two addresses a /24, one or
// two tries each), and post envelopes of up to 950 KB. Besides options of the other mixes
// (steady.paging and .agentLoops, nat.paging, etl.upsert and .grid, app_users.carrierNat and
// .refresh, credential_stuffing.resale, key_guessing.foreignShare, key_spray.madeUpShare,
// mimic.readShare/readS, scraping.step and .fanout, slow_scraper.step, .proxies and .grid),
// it uses one optional generator key no other mix sets:
//   app_users.ceremony        a share of the app's users sign a document during their
//                             session: they open it, the viewer loads its pages 1..n in
//                             order (the page number in the path), a fraction of a second
//                             apart, and a while after the last page they post their
//                             signature, all on one envelope and document drawn once.
// Nothing may be tuned on it: not the engine, not its thresholds, not this file in response
// to the engine's figures, or it stops being held out. Run it with
//   node bench/abuse/run.mjs --scenario bench/abuse/heldout10.mjs
// Same shape and conventions as scenario.mjs (rates per second, times in seconds from the
// phase start, [a, b] a uniform draw per client, per burst or per request where said).
// Every class has at least 10 clients per trace, except the campaigns: one campaign each,
// of at least 100 addresses.

import benchmark from './scenario.mjs';

const ENVELOPE = '/esign/v3/envelopes/:envelope';
const PAGE = `${ENVELOPE}/documents/:doc/pages/:page.png`;
const TEMPLATE = '/esign/v3/templates/:template';
const AGREEMENT = '/clm/v2/agreements/:agreement';
const VERIFY = '/verify/v1/documents/:code';
const FORM = '/forms/v1/library/:form/:locale';
const SIGNER = '/directory/v1/signers/:signer';
const APP_ENVELOPE = '/app/v9/envelopes/:envelope';

export default {
  name: 'heldout10',

  // Four seeds, none of the other mixes'.
  seeds: [101, 102, 103, 104],
  trainingSeedOffset: 1000,

  durationS: 90,

  // The benchmark's own settings, the same for every mix: the gateway and its engine
  // settings, the simulated customer's labels, the baselines (bench/abuse/scenario.mjs).
  gateway: benchmark.gateway,
  labels: benchmark.labels,
  baselines: benchmark.baselines,

  // Single clients in 127.66-113.x.x, whole /24s (campaigns, low-and-slow, partners'
  // egress) in 127.233-249.x.0/24. The other mixes' bounds are 2, 15, 16, 19, 30, 41, 56,
  // 58, 89, 99, 100, 121, 124, 137, 147, 150, 163, 199, 200, 218, 229, 231, 252 and 254;
  // these are none of them, and the two pools are disjoint. The single clients straddle the
  // default mix's and heldout2's host/network split at 99/100; the /24s sit inside heldout7's
  // networks pool and heldout3's and heldout5's.
  addressPools: { hosts: [66, 113], networks: [233, 249] },

  // An e-signature and agreement platform's API. Envelopes, their documents and pages,
  // templates under /esign/v3; the contract repository under /clm/v2; AI extraction under
  // /insights/v1; the public verification page under /verify/v1; the form library under
  // /forms/v1; signer profiles under /directory/v1; the account under /admin/v1; the signer
  // app's own routes under /app/v9. Bulk sends are posted to /bulk/v2/send-jobs (the
  // ingest); identity-verification vendors, notaries and trust service providers post
  // results to /inbound/v1/verification-results; signers sign in at /id/v1/signers/sign-in.
  api: {
    // Agreements in the repository: seven-digit numbers, dense (about three in five).
    maxId: 4800000,
    idDensity: 0.62,
    // Templates (slugs), verification codes and signer profiles (short codes): two in five
    // of the well-shaped ones exist.
    slugDensity: 0.4,
    // Envelopes (UUIDs): voided and purged ones are gone, four in five are there.
    uuidDensity: 0.8,
    params: {
      envelope: 'uuid',
      agreement: 'numeric',
      template: 'slug',
      code: 'code', // the verification code in a signed document's footer
      signer: 'code', // the customer's own ids for its signers
      doc: ['1', '2', '3', '4', '5', 'combined'],
      page: Array.from({ length: 60 }, (_, i) => String(i + 1)),
      form: [
        'mutual-nda', 'one-way-nda', 'w-9', 'w-8ben', 'i-9', 'offer-letter', 'contractor-sow',
        'msa', 'dpa-gdpr', 'baa-hipaa', 'residential-lease', 'commercial-lease',
        'purchase-agreement', 'listing-agreement', 'vendor-onboarding', 'direct-deposit',
        'photo-release', 'consent-to-treat', 'loan-disclosure', 'power-of-attorney',
        'severance', 'non-compete', 'equipment-return', 'referral-agreement',
      ],
      locale: [
        'en-us', 'en-gb', 'en-au', 'fr-fr', 'fr-ca', 'de-de', 'es-es', 'es-mx', 'it-it', 'nl-nl',
        'pt-br', 'pt-pt', 'pl-pl', 'sv-se', 'da-dk', 'ja-jp', 'ko-kr', 'zh-cn',
      ],
    },
    routes: [
      { w: 7, method: 'GET', path: '/esign/v3/envelopes', query: 'page', queryKey: 'page_number' },
      { w: 6, method: 'POST', path: '/esign/v3/envelopes', body: 'envelope' },
      { w: 9, method: 'GET', path: ENVELOPE },
      { w: 8, method: 'GET', path: `${ENVELOPE}/status` },
      { w: 4, method: 'GET', path: `${ENVELOPE}/recipients` },
      { w: 3, method: 'GET', path: `${ENVELOPE}/documents/:doc` },
      { w: 2, method: 'GET', path: PAGE },
      { w: 2, method: 'POST', path: `${ENVELOPE}/documents`, body: 'document' },
      { w: 3, method: 'GET', path: `${ENVELOPE}/certificate.pdf` },
      { w: 2, method: 'POST', path: `${ENVELOPE}/reminders`, body: 'reminder' },
      { w: 1, method: 'POST', path: `${ENVELOPE}/void`, body: 'reminder' },
      { w: 3, method: 'GET', path: '/esign/v3/templates', query: 'page', queryKey: 'page_number' },
      { w: 4, method: 'GET', path: TEMPLATE },
      { w: 5, method: 'POST', path: `${TEMPLATE}/send`, body: 'templateSend' },
      { w: 4, method: 'GET', path: '/clm/v2/agreements', query: 'page', queryKey: 'page_number' },
      { w: 6, method: 'GET', path: AGREEMENT },
      { w: 3, method: 'GET', path: `${AGREEMENT}/clauses` },
      { w: 2, method: 'GET', path: `${AGREEMENT}/obligations` },
      { w: 3, method: 'GET', path: '/clm/v2/agreements/search', query: 'search', queryKey: 'text' },
      { w: 2, method: 'POST', path: '/insights/v1/extractions', body: 'extraction' },
      { w: 1, method: 'POST', path: '/insights/v1/clause-search', body: 'clauseQuery' },
      { w: 2, method: 'GET', path: VERIFY },
      { w: 2, method: 'GET', path: FORM },
      { w: 2, method: 'GET', path: SIGNER },
      { w: 2, method: 'GET', path: '/admin/v1/account' },
      { w: 1, method: 'GET', path: '/admin/v1/usage' },
      { w: 1, method: 'GET', path: '/events/v1/feed' },
    ],
    extraRoutes: [
      // Signer profiles created by the customer's own id: 201, or 409 if it is there already.
      { method: 'PUT', path: SIGNER, create: true, status: 201 },
      // The signer app's inbox (it reloads on a timer) and its signing session: the envelope,
      // its pages, the signature.
      { method: 'GET', path: '/app/v9/signers/:signer/inbox' },
      { method: 'GET', path: APP_ENVELOPE },
      { method: 'GET', path: `${APP_ENVELOPE}/documents/:doc/pages/:page.png` },
      { method: 'POST', path: `${APP_ENVELOPE}/signatures`, status: 201 },
      // Where identity-verification vendors, notaries and trust service providers post.
      { method: 'POST', path: '/inbound/v1/verification-results', status: 200 },
      { method: 'GET', path: '/health/v1/ready' },
    ],
    searchWords: ['indemnity', 'renewal', 'termination', 'exclusivity', 'severance', 'escrow', 'royalty', 'warranty', 'liability', 'arbitration', 'assignment', 'confidentiality'],
    // Bulk sends: recipient lists with their merge fields.
    ingest: { path: '/bulk/v2/send-jobs', body: 'bulkList' },
    // The signer app's users: e-mail addresses.
    login: { path: '/id/v1/signers/sign-in', users: 60000, userStyle: 'email', domain: 'sealwell-signer.example' },
    paths: {
      me: '/admin/v1/account',
      list: '/esign/v3/envelopes',
      detail: TEMPLATE,
      browse: '/clm/v2/agreements',
      poll: '/events/v1/feed',
      // Certificate archivers fetch completed envelopes' audit certificates.
      sync: `${ENVELOPE}/certificate.pdf`,
      ping: '/health/v1/ready',
      // Agreements with their clauses, verification codes, envelopes' certificates.
      walk: [AGREEMENT, `${AGREEMENT}/clauses`, VERIFY, `${ENVELOPE}/certificate.pdf`],
      // Envelopes and added documents with far more inlined than any contract needs.
      upload: ['/esign/v3/envelopes', `${ENVELOPE}/documents`],
      enumPrefixes: [
        '', '/esign/v3', '/clm/v2', '/admin/v1', '/app/v9', '/restapi/v2.1', '/api/internal',
        '/sealwell-admin', '/v1',
      ],
    },
    bodies: {
      envelope: { median: 48000, sigma: 0.65 }, // documents inlined, base64
      document: { median: 36000, sigma: 0.6 },
      reminder: { median: 260, sigma: 0.3 },
      templateSend: { median: 1400, sigma: 0.4 }, // recipients and merge fields
      extraction: { median: 3200, sigma: 0.5 },
      clauseQuery: { median: 700, sigma: 0.4 },
      signer: { median: 850, sigma: 0.35 },
      signature: { median: 7000, sigma: 0.45 }, // a drawn signature as an image
      bulkList: { median: 36000, sigma: 0.55 },
      verification: { median: 2300, sigma: 0.5 },
    },
  },

  userAgents: {
    // Browsers on the web app, the admin console and brokers' and paralegals' desks.
    chromeWin145: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 ' +
      '(KHTML, like Gecko) Chrome/145.0.0.0 Safari/537.36',
    chromeMac145: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 ' +
      '(KHTML, like Gecko) Chrome/145.0.0.0 Safari/537.36',
    edgeWin145: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 ' +
      '(KHTML, like Gecko) Chrome/145.0.0.0 Safari/537.36 Edg/145.0.3800.58',
    firefoxWin147: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:147.0) Gecko/20100101 Firefox/147.0',
    safariMac262: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 ' +
      '(KHTML, like Gecko) Version/26.2 Safari/605.1.15',
    iphone262: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 ' +
      '(KHTML, like Gecko) Version/26.2 Mobile/15E148 Safari/604.1',
    android145: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) ' +
      'Chrome/145.0.0.0 Mobile Safari/537.36',
    samsung29: 'Mozilla/5.0 (Linux; Android 16; SM-S938B) AppleWebKit/537.36 (KHTML, like Gecko) ' +
      'SamsungBrowser/29.0 Chrome/136.0.0.0 Mobile Safari/537.36',
    // The platform's own apps and SDKs.
    appIos: 'SealwellSign/9.4.1 (com.sealwell.sign; build:94107; iPhone18,1; iOS 26.2) Alamofire/5.11.0',
    appAndroid: 'SealwellSign-Android/9.4.0 (Android 16; SM-S938B; okhttp 5.2.1)',
    appIpad: 'SealwellSign/9.4.1 (com.sealwell.sign; build:94107; iPad16,3; iPadOS 26.2) Alamofire/5.11.0',
    outlook: 'SealwellForOutlook/3.2.0 (Microsoft Outlook 16.0.19328; Windows NT 10.0; Win64)',
    sdkPy: 'sealwell-python/6.2.0 (CPython 3.14.0; Linux x86_64)',
    sdkNode: 'sealwell-node/7.1.3 (node v24.11.1; linux x64)',
    sdkJava: 'sealwell-java/5.8.1 (Java 25.0.1; Linux amd64)',
    sdkDotnet: 'Sealwell.eSign/5.4.0 (.NET 10.0.0; Microsoft Windows 10.0.26100)',
    sdkGo: 'sealwell-go/3.3.0 (go1.25.4; linux/arm64)',
    sdkRuby: 'sealwell-ruby/4.0.2 (ruby 3.4.7; aarch64-linux)',
    sdkPhp: 'sealwell-php/6.0.1 (PHP 8.4.14; Linux)',
    // HR, CRM, legal, property, procurement systems; contract AI; archivers and data flows.
    hris: 'PeopleGrid-HRIS/2025.11 (Onboarding Docs; Java/21.0.9)',
    crm: 'Pipedeck-CRM-eSign/4.18.2 (+https://pipedeck.example/integrations)',
    legal: 'CaseLedger-Practice/12.3.1 (Windows NT 10.0; .NET 8.0.22)',
    property: 'BrokerNest-Transactions/7.0.4 (PHP 8.3.27; Guzzle 7.10.0)',
    procurement: 'SourceFlow-Procure/2025.4 (Go 1.25.3)',
    contractAi: 'ClauseLens-Agent/1.7.0 (Python 3.13.9; httpx 0.28.1)',
    archiver: 'VaultKeep-RecordsArchiver/5.2 (Java/17.0.17)',
    dagster: 'dagster/1.11.16 (sealwell-archive-job; Python 3.12.12)',
    prefect: 'prefect/3.4.25 (flow:signer-sync; httpx 0.28.1)',
    bulkSender: 'CampaignDesk-BulkSend/2.9.0 (Node 22.21.0)',
    okhttp521: 'okhttp/5.2.1',
    netHttp10: 'System.Net.Http/10.0.0',
    // Attack tools (and the browsers, apps and SDKs above, which attackers claim too).
    requests233: 'python-requests/2.33.1',
    httpx0282: 'python-httpx/0.28.2',
    curl8170: 'curl/8.17.0',
    undici716: 'undici/7.16.0',
    bun13: 'Bun/1.3.2',
    headless145: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) ' +
      'HeadlessChrome/145.0.7632.26 Safari/537.36',
    envelopeDump: 'envelope-dump/0.4.2 (python-httpx)',
    phishKit: 'Mozilla/5.0 (compatible; DocuPhish-Sender/1.1)',
    signerChecker: 'signer-acct-checker/2.0 (aiohttp)',
    dirbuster: 'DirBuster-1.0-RC1 (http://www.owasp.org/index.php/Category:OWASP_DirBuster_Project)',
    caido: 'Caido/0.52.0',
    wappalyzer: 'Mozilla/5.0 (compatible; Wappalyzer/6.10.86; +https://www.wappalyzer.com)',
    bombardier: 'bombardier/v1.2.6',
    locust: 'Locust/2.42.1',
    slackbot: 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
    facebookhit: 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
    metaAgent: 'meta-externalagent/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)',
    oaiSearch: 'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; OAI-SearchBot/1.3; +https://openai.com/searchbot)',
    diffbot: 'Mozilla/5.0 (compatible; Diffbot/0.1; +http://www.diffbot.com)',
    nimbostratus: 'Mozilla/5.0 (compatible; Nimbostratus-Bot/v1.3.2; http://cloudsystemnetworks.com)',
    ioncrawl: 'Mozilla/5.0 (compatible; IonCrawl (https://www.ionos.de/terms-gtc/faq-crawler-en/))',
    xpanse: 'Hello from Palo Alto Networks, find out more about our scans in https://docs-cortex.paloaltonetworks.com/r/1/Cortex-Xpanse/Scanning-activity',
    // Identity verification, notaries, trust service providers.
    persona: 'Persona-Webhooks/1.0',
    jumio: 'Jumio-Callback/4.2',
    idnow: 'IDnow-Notify/3.0',
    socure: 'Socure-Events/2.1',
    notary: 'NotaryLive-RON/5.3 (remote online notarization)',
    qtsp: 'TrustSeal-QTSP-Callback/1.4 (eIDAS)',
  },
  uaMix: {
    benign: {
      sdkPy: 12, sdkNode: 12, sdkJava: 8, sdkDotnet: 8, sdkGo: 5, sdkRuby: 4, sdkPhp: 4,
      hris: 8, crm: 8, legal: 5, property: 5, procurement: 5, chromeWin145: 6, edgeWin145: 3,
      chromeMac145: 3, safariMac262: 2, okhttp521: 1, netHttp10: 1,
    },
    attack: {
      requests233: 14, httpx0282: 12, curl8170: 8, undici716: 8, bun13: 4, headless145: 12,
      chromeWin145: 10, edgeWin145: 4, sdkPy: 8, sdkNode: 8, envelopeDump: 6, bombardier: 3,
      locust: 3,
    },
  },

  classes: {
    // --- benign -----------------------------------------------------------------------
    // HR systems, CRMs, legal practice, property and procurement tools: send envelopes (large
    // bodies: the documents are inside), check their status, fetch certificates, look
    // agreements up; many voided or purged envelopes (404), keys being rotated now and then
    // (401). A quarter reconcile their envelope list now and then, every page as soon as the
    // last came; a fifth run contract AI agents: extraction calls that take seconds, a tool
    // call between two of them.
    steady: {
      benign: true, count: 32, rate: [0.08, 1.2], startS: [0, 30],
      staleIdShare: 0.09, authFailShare: 0.012,
      paging: {
        share: 0.25, path: '/esign/v3/envelopes', queryKey: 'page_number', pages: [5, 30],
        pageMs: [120, 600], everyS: [18, 45],
      },
      agentLoops: {
        share: 0.2, everyS: [6, 25], turns: [2, 7], modelMs: [1500, 6000], toolMs: [80, 400],
        model: { method: 'POST', path: '/insights/v1/extractions', body: 'extraction' },
        tools: [
          { method: 'GET', path: `${AGREEMENT}/clauses` },
          { method: 'GET', path: `${AGREEMENT}/obligations` },
          { method: 'GET', path: `${ENVELOPE}/documents/:doc` },
          { method: 'POST', path: '/insights/v1/clause-search', body: 'clauseQuery' },
        ],
      },
    },
    // Bulk senders posting recipient lists, and certificate archivers fetching completed
    // envelopes' certificates: a feed poll, then long bursts at a moderate rate.
    batch: {
      benign: true, count: 12, pollRate: 0.12, burstRate: [5, 14], burstS: [8, 20],
      firstBurstS: [0, 35], gapS: [18, 40], staleIdShare: 0.02, ingestShare: 0.4,
      uaMix: { bulkSender: 35, archiver: 30, sdkJava: 20, sdkDotnet: 15 },
    },
    // Records archivers walking agreements' obligations in ascending order. Three in ten are
    // HR systems pushing signer profiles by their own ids, half of them new: two in five
    // probe each first, the others PUT every one (409 for those there already). A quarter of
    // the others mirror the form library: every form and locale in order.
    etl: {
      benign: true, count: 12, pollRate: 0.05, burstRate: [12, 32], burstS: [5, 14],
      firstBurstS: [0, 40], gapS: [10, 30], staleIdShare: 0.02,
      template: `${AGREEMENT}/obligations`,
      upsert: {
        share: 0.3, write: { method: 'PUT', path: SIGNER, body: 'signer' }, probe: SIGNER,
        newShare: 0.5, probeShare: 0.4, afterMs: [30, 250],
      },
      grid: { share: 0.25, template: FORM },
      uaMix: { archiver: 25, dagster: 25, prefect: 20, hris: 20, sdkPy: 10 },
    },
    // Law firms and property brokerages: paralegals and agents behind each office's
    // egress, a few of them exporting their envelope lists page by page.
    nat: {
      benign: true, gateways: 6, users: [3, 9], rate: [0.04, 0.35], startS: [0, 40],
      staleIdShare: 0.06, authFailShare: 0.015,
      paging: {
        share: 0.15, path: '/esign/v3/envelopes', queryKey: 'page_number', pages: [3, 15],
        pageMs: [300, 1200], everyS: [30, 70],
      },
      uaMix: { legal: 30, outlook: 25, chromeWin145: 25, edgeWin145: 10, safariMac262: 10 },
    },
    // Identity-verification vendors, remote notaries and trust service providers posting
    // results from egress pools (2-4 /24s, 6-24 addresses): long, slow bursts.
    partner: {
      benign: true, count: 11, networks: [2, 4], addresses: [6, 24], burstRate: [4, 15],
      burstS: [4, 12], firstBurstS: [0, 25], gapS: [6, 20],
      path: '/inbound/v1/verification-results', body: 'verification',
      uaMix: { persona: 18, jumio: 18, idnow: 16, socure: 16, notary: 16, qtsp: 16 },
    },
    // Signers on the app through its key, arriving all through the phase as the e-mails go
    // out: they sign in (more than one in five mistype first, some retry after a while), three
    // in ten keep their inbox open (it reloads every 10-25 s), half sign a document: the
    // viewer loads its 2-36 pages in order, 0.18-0.9 s apart, and the signature follows
    // 4-25 s after the last page; a quarter are behind a carrier's few addresses.
    app_users: {
      benign: true, count: [90, 115], startS: [0, 62], mistypeShare: 0.22, retryS: [4, 26],
      thinkS: [2, 10], rate: [0.04, 0.22], sessionS: [30, 80], staleIdShare: 0.05,
      carrierNat: { share: 0.25, addresses: [3, 5] },
      refresh: { share: 0.3, path: '/app/v9/signers/:signer/inbox', everyS: [10, 25] },
      ceremony: {
        share: 0.5, open: APP_ENVELOPE, page: `${APP_ENVELOPE}/documents/:doc/pages/:page.png`,
        sign: { method: 'POST', path: `${APP_ENVELOPE}/signatures`, body: 'signature' },
        pages: [2, 36], pageMs: [180, 900], readS: [4, 25], afterS: [0, 8],
      },
      uaMix: { appIos: 40, appAndroid: 30, appIpad: 8, iphone262: 8, android145: 7, samsung29: 7 },
    },

    // --- attacks ----------------------------------------------------------------------
    // Key checkers over leaked CI logs and integration configs: mostly trickles, a few in
    // other formats.
    key_guessing: {
      benign: false, count: 12, rate: [0.2, 5], startS: [0, 65], lengthS: [15, 60],
      foreignShare: 0.1,
      uaMix: { requests233: 30, curl8170: 25, bun13: 20, httpx0282: 25 },
    },
    // Integration keys lifted from public repositories; the ones that work send phishing
    // envelopes from templates (small, honest-looking sends).
    credential_stuffing: {
      benign: false, count: 11, rate: [0.3, 1.5], startS: [0, 40], lengthS: [30, 70],
      keysPerClient: 24, validShare: 0.3,
      resale: { share: 0.5, path: `${TEMPLATE}/send`, body: 'templateSend' },
      uaMix: { phishKit: 25, requests233: 20, sdkNode: 20, sdkPy: 15, crm: 20 },
    },
    // Path scanners, and dumpers of agreements, clauses, verification codes and envelopes'
    // certificates with gaps of 1-4; a third of the dumpers fan out over 2-4 workers behind
    // 10-30 proxy exits, 4-10 consecutive requests an exit.
    scraping: {
      benign: false, count: 14, enumerateShare: 0.3, rate: [0.8, 3], startS: [0, 45],
      normalShare: 0.12, step: [1, 4],
      fanout: { share: 0.35, workers: [2, 4], chunk: [4, 10], exits: [10, 30] },
      uaMix: { envelopeDump: 20, dirbuster: 15, caido: 10, wappalyzer: 10, headless145: 20, chromeWin145: 25 },
    },
    // Verification codes and agreements enumerated slowly with gaps of 1-6, dressed as link
    // unfurlers and AI crawlers; three in ten harvest the form library instead; three in ten
    // through 5-14 proxy exits.
    slow_scraper: {
      benign: false, count: 13, rate: [0.1, 0.6], startS: [0, 30], step: [1, 6],
      templates: [VERIFY, AGREEMENT, `${AGREEMENT}/clauses`],
      proxies: { share: 0.3, addresses: [5, 14] },
      grid: { share: 0.3, template: FORM },
      uaMix: { slackbot: 20, facebookhit: 15, metaAgent: 15, oaiSearch: 15, diffbot: 15, undici716: 20 },
    },
    // Browsers reading the template library one template after the other, stopping to read
    // now and then.
    mimic: {
      benign: false, count: 11, startS: [0, 40], gapS: [1.5, 5.5], otherShare: 0.25,
      pageShare: 0.08, readShare: 0.2, readS: [6, 30],
      template: TEMPLATE,
      uaMix: { chromeWin145: 30, chromeMac145: 20, edgeWin145: 15, firefoxWin147: 15, safariMac262: 20 },
    },
    // Seven /24s, four addresses each, very slow.
    low_and_slow: {
      benign: false, networks: 7, addresses: 4, meanIntervalS: [15, 45], startS: [0, 40],
      uaMix: { nimbostratus: 35, ioncrawl: 30, xpanse: 35 },
    },
    // Signer accounts (their pending documents) stuffed through the app's key, most copying
    // the app.
    login_stuffing: {
      benign: false, count: 12, rate: [0.15, 1], startS: [0, 50], lengthS: [30, 85],
      correctShare: 0.035,
      uaMix: { signerChecker: 30, appIos: 25, appAndroid: 20, iphone262: 10, requests233: 15 },
    },
    // A very wide campaign: one or two addresses per /24, one or two attempts each, over
    // most of the phase.
    login_campaign: {
      benign: false, campaigns: 1, addresses: [120, 150], perNetwork: [1, 2], attempts: [1, 2],
      startS: [0, 20], lengthS: [60, 85], correctShare: 0.02,
      uaMix: { appIos: 40, appAndroid: 35, appIpad: 10, samsung29: 15 },
    },
    // Leaked integration keys sprayed one per address in a short, dense campaign: revoked,
    // dormant accounts' and some made up, 1-2 tries each, 3-9 addresses per /24.
    key_spray: {
      benign: false, campaigns: 1, addresses: [170, 210], perNetwork: [3, 9], requests: [1, 2],
      validShare: 0.35, madeUpShare: 0.15, startS: [20, 40], lengthS: [30, 45],
      uaMix: { sdkJava: 20, sdkPhp: 20, requests233: 20, curl8170: 20, locust: 20 },
    },
    // Envelopes and added documents of 300-950 KB where tens of KB is honest (and a few
    // hundred KB happens).
    oversized: {
      benign: false, count: 12, rate: [0.1, 0.7], startS: [0, 60], oversizedShare: 0.35,
      bytes: [300000, 950000],
      uaMix: { bombardier: 25, locust: 15, undici716: 20, sdkNode: 20, httpx0282: 20 },
    },
  },
};
