// The fifth held-out mix of the abuse benchmark: written from scratch, without the engine's
// code or results in view, and different in structure from scenario.mjs, heldout.mjs,
// heldout2.mjs, heldout3.mjs and heldout4.mjs, not only in seeds: another API (an AI
// inference provider's public API, the kind Tollgate's customers sell: chat completions,
// embeddings, moderations and audio transcriptions as POSTs of a few KB to a few hundred KB,
// the model list and models by name, files, batches, fine-tuning jobs, assistants, threads
// and their runs, vector stores, addressed by short codes behind a type prefix (file-p7k2qx,
// ftjob-..., thread-..., run-..., vs-...), two of them in one path five and six segments
// deep; projects and stored generations by sparse seven-digit numbers; an organisation's
// usage per day; the web console's shared prompt library by slug and its own login; bulk
// embedding jobs as the batch ingest; a webhook receiver for billing and usage events),
// other User-Agents (the OpenAI, Anthropic, LangChain, LlamaIndex, LiteLLM, Haystack and
// Vercel AI SDKs, agent frameworks, evaluation harnesses, observability and ELT exporters,
// IDE assistants, the provider's own iOS and Android apps, browsers on the console;
// attackers with leaked-key checkers, TruffleHog, the old OpenAI SDK, reverse proxies and
// front ends that resell stolen keys, Kiterunner, katana, masscan, Censys, spoofed AI
// crawlers, Playwright's headless Chrome; Chargebee, Orb, Metronome, Paddle and Recurly
// webhook senders), other rates, burst shapes, durations, campaign sizes and spreads, and
// single addresses and /24s from a pairing of ranges no other mix uses. It uses four
// optional generator keys no other mix sets:
//   steady.agentLoops         a share of the API clients are agents: tasks, one after the
//                             other, that are tight loops of model calls and tool calls;
//   batch.closedLoop          batch jobs send through a pool of workers, each waiting for
//                             its answer (log-normal latency), instead of Poisson bursts;
//   credential_stuffing.resale  the keys that worked are resold: large generation requests
//                             on them (LLMjacking) instead of data pulls;
//   key_guessing.foreignShare a share of the guessed keys have other AI providers' formats
//                             (sk-..., sk-ant-..., AIza..., hf_...), as leaked-key checkers
//                             try every format everywhere.
// Nothing may be tuned on it: not the engine, not its thresholds, not this file in response
// to the engine's figures, or it stops being held out. Run it with
//   node bench/abuse/run.mjs --scenario bench/abuse/heldout5.mjs
// Same shape and conventions as scenario.mjs (rates per second, times in seconds from the
// phase start, [a, b] a uniform draw per client, per burst or per request where said).
// Every class has at least 10 clients per trace, except the campaigns: one campaign each,
// of at least 100 addresses.

import benchmark from './scenario.mjs';

// The calls of an agent's task (steady.agentLoops): the model, then tools between turns.
const AGENT_MODEL = { method: 'POST', path: '/v1/chat/completions', body: 'agentTurn' };
const AGENT_TOOLS = [
  { method: 'POST', path: '/v1/vector_stores/vs-:vs/search', body: 'search' },
  { method: 'GET', path: '/v1/files/file-:file/content' },
  { method: 'POST', path: '/v1/embeddings', body: 'embed' },
  { method: 'GET', path: '/v1/threads/thread-:thread/messages' },
  { method: 'POST', path: '/v1/moderations', body: 'moderation' },
];

export default {
  name: 'heldout5',

  // Four seeds, none of the other mixes'.
  seeds: [51, 52, 53, 54],
  trainingSeedOffset: 1000,

  durationS: 90,

  // The benchmark's own settings, the same for every mix: the gateway and its engine
  // settings, the simulated customer's labels, the baselines (bench/abuse/scenario.mjs).
  gateway: benchmark.gateway,
  labels: benchmark.labels,
  baselines: benchmark.baselines,

  // Single clients in 127.100-199.x.x (heldout2.mjs's hosts pool), whole /24s (campaigns,
  // low-and-slow, partners' egress) in 127.200-254.x.0/24 (heldout3.mjs's networks pool): a
  // pairing of ranges no other mix uses.
  addressPools: { hosts: [100, 199], networks: [200, 254] },

  // An AI inference provider's API, everything under /v1 (OpenAI-style shapes, ids with a
  // type prefix and a short code); the web console's own routes under /console/api (a shared
  // prompt library by slug, a search, the usage dashboard, the login). Bulk embedding jobs
  // post to /v1/embeddings (the ingest), billing and usage providers' webhooks go to
  // /webhooks/billing/events.
  api: {
    // Projects and stored generations: sparse seven-digit numbers.
    maxId: 9000000,
    idDensity: 0.3,
    // Files, jobs, threads, runs, vector stores, prompt slugs: a little over a third of the
    // made-up ones exist.
    slugDensity: 0.38,
    params: {
      file: 'code', // file-p7k2qx
      job: 'code', // ftjob-p7k2qx
      batch: 'code', // batch-p7k2qx
      asst: 'code', // asst-p7k2qx
      thread: 'code', // thread-p7k2qx
      run: 'code', // run-p7k2qx
      vs: 'code', // vs-p7k2qx
      prompt: 'slug', // the console's shared prompts: mint-cup-2210
      proj: 'numeric', // projects
      gen: 'numeric', // stored generations (request logs)
      model: [
        'kestrel-70b-instruct', 'kestrel-8b-instruct', 'kestrel-405b', 'wren-embed-v2',
        'wren-rerank-v1', 'lark-asr-2', 'shrike-guard-1',
      ],
      day: [
        '2024-11-01', '2024-11-02', '2024-11-03', '2024-11-04', '2024-11-05', '2024-11-06',
        '2024-11-07', '2024-11-08', '2024-11-09', '2024-11-10', '2024-11-11', '2024-11-12',
        '2024-11-13', '2024-11-14',
      ],
    },
    routes: [
      { w: 30, method: 'POST', path: '/v1/chat/completions', body: 'chat' },
      { w: 10, method: 'POST', path: '/v1/embeddings', body: 'embed' },
      { w: 4, method: 'POST', path: '/v1/moderations', body: 'moderation' },
      // Meeting recordings: large bodies, honestly.
      { w: 1, method: 'POST', path: '/v1/audio/transcriptions', body: 'audio' },
      { w: 4, method: 'GET', path: '/v1/models' },
      { w: 3, method: 'GET', path: '/v1/models/:model' },
      { w: 3, method: 'GET', path: '/v1/files', query: 'page', queryKey: 'after' },
      { w: 3, method: 'GET', path: '/v1/files/file-:file' },
      { w: 2, method: 'GET', path: '/v1/files/file-:file/content' },
      // Training and batch input files (JSONL).
      { w: 1, method: 'POST', path: '/v1/files', body: 'jsonl' },
      { w: 1, method: 'DELETE', path: '/v1/files/file-:file' },
      { w: 2, method: 'GET', path: '/v1/batches' },
      { w: 3, method: 'GET', path: '/v1/batches/batch-:batch' },
      { w: 1, method: 'POST', path: '/v1/batches', body: 'batchJob' },
      { w: 1, method: 'POST', path: '/v1/fine_tuning/jobs', body: 'ftJob' },
      { w: 2, method: 'GET', path: '/v1/fine_tuning/jobs/ftjob-:job' },
      {
        w: 2, method: 'GET', path: '/v1/fine_tuning/jobs/ftjob-:job/events', query: 'page',
        queryKey: 'after',
      },
      { w: 1, method: 'GET', path: '/v1/fine_tuning/jobs/ftjob-:job/checkpoints' },
      { w: 2, method: 'GET', path: '/v1/assistants/asst-:asst' },
      { w: 3, method: 'POST', path: '/v1/threads/thread-:thread/messages', body: 'message' },
      { w: 3, method: 'GET', path: '/v1/threads/thread-:thread/messages' },
      { w: 2, method: 'POST', path: '/v1/threads/thread-:thread/runs', body: 'run' },
      // Polling a run until it completes.
      { w: 5, method: 'GET', path: '/v1/threads/thread-:thread/runs/run-:run' },
      { w: 1, method: 'GET', path: '/v1/vector_stores/vs-:vs' },
      { w: 1, method: 'GET', path: '/v1/vector_stores/vs-:vs/files/file-:file' },
      { w: 2, method: 'POST', path: '/v1/vector_stores/vs-:vs/search', body: 'search' },
      { w: 1, method: 'GET', path: '/v1/organization/usage/:day' },
      { w: 1, method: 'GET', path: '/v1/organization/projects/:proj' },
      { w: 2, method: 'GET', path: '/v1/generations/:gen' },
      { w: 3, method: 'GET', path: '/console/api/library', query: 'page', queryKey: 'cursor' },
      { w: 3, method: 'GET', path: '/console/api/library/:prompt' },
      { w: 2, method: 'GET', path: '/console/api/search', query: 'search', queryKey: 'q' },
      { w: 1, method: 'GET', path: '/console/api/usage/summary' },
    ],
    extraRoutes: [
      // Projects' API keys (their names, owners, last use): what a data thief is after.
      { method: 'GET', path: '/v1/organization/projects/:proj/api_keys' },
      // Where the billing and usage providers' webhooks arrive.
      { method: 'POST', path: '/webhooks/billing/events', status: 200 },
      { method: 'GET', path: '/v1/health' },
    ],
    searchWords: [
      'summarize', 'sql', 'translate', 'resume', 'regex', 'email', 'poem', 'classify',
      'extract', 'json', 'support', 'tutor',
    ],
    // Indexing jobs post chunked documents to the embeddings route in bulk.
    ingest: { path: '/v1/embeddings', body: 'corpus' },
    // The web console's login (and the mobile app's): e-mail addresses.
    login: {
      path: '/console/api/auth/password', users: 15000, userStyle: 'email',
      domain: 'inbox.example.dev',
    },
    // me, list, browse, poll and ping are plain paths (no placeholders).
    paths: {
      // What key checkers ask: the model list.
      me: '/v1/models',
      list: '/console/api/library',
      detail: '/console/api/library/:prompt',
      browse: '/v1/files',
      poll: '/v1/batches',
      sync: '/v1/files/file-:file/content',
      ping: '/v1/health',
      // Other tenants' files and conversations first: what a data thief is after.
      walk: [
        '/v1/files/file-:file/content', '/v1/threads/thread-:thread/messages',
        '/v1/assistants/asst-:asst', '/v1/organization/projects/:proj/api_keys',
      ],
      upload: ['/v1/chat/completions', '/v1/embeddings'],
      enumPrefixes: [
        '', '/v1', '/v1/organization', '/v1/internal', '/v1/admin', '/console/api', '/openai/v1',
        '/v0',
      ],
    },
    bodies: {
      chat: { median: 3200, sigma: 0.9 }, // messages, a system prompt, tools
      agentTurn: { median: 7500, sigma: 0.6 }, // an agent's growing context
      embed: { median: 5000, sigma: 0.8 }, // a few chunks
      moderation: { median: 800, sigma: 0.6 },
      audio: { median: 230000, sigma: 0.35 }, // a few minutes of compressed audio
      jsonl: { median: 60000, sigma: 0.7 }, // a training or batch input file
      batchJob: { median: 350, sigma: 0.3 }, // input file id, endpoint, window
      ftJob: { median: 500, sigma: 0.3 }, // base model, training file, hyperparameters
      message: { median: 1200, sigma: 0.8 },
      run: { median: 300, sigma: 0.4 },
      search: { median: 400, sigma: 0.5 },
      corpus: { median: 45000, sigma: 0.4 }, // an indexing job's batch of chunks
      billing: { median: 2200, sigma: 0.5 }, // a webhook's event
      roleplay: { median: 16000, sigma: 0.7 }, // resold keys: long role-play contexts
    },
  },

  userAgents: {
    // SDKs, frameworks and tools of the provider's customers.
    openaiPy: 'OpenAI/Python 1.54.4',
    openaiJs: 'OpenAI/JS 4.71.1',
    anthropicPy: 'Anthropic/Python 0.39.0',
    anthropicTs: 'Anthropic/JS 0.32.1',
    langchain: 'langchain-core/0.3.19 (Python 3.11.10)',
    llamaindex: 'llama-index-core/0.11.23',
    litellm: 'litellm/1.52.9',
    haystack: 'haystack-ai/2.7.0',
    vercelAi: 'ai-sdk/3.4.33 (Vercel AI SDK; node 20.18.0)',
    crewai: 'CrewAI/0.80.0 (Python 3.12.7)',
    smolagents: 'smolagents/1.2.2 python-requests/2.32.3',
    promptfoo: 'promptfoo/0.97.0 (node 22.11.0)',
    lmEval: 'lm-eval-harness/0.4.5 aiohttp/3.10.10',
    inspect: 'inspect_ai/0.3.47 (httpx 0.27.2)',
    langfuse: 'Langfuse-Export/2.90.1',
    airbyte: 'airbyte-source-kestrel/0.4.1',
    dlt: 'dlt/1.3.0 (requests 2.32.3)',
    meltano: 'Meltano/3.5.4 singer-sdk/0.42.1',
    // IDE assistants on developers' machines.
    continueDev: 'Continue/0.8.57 (VS Code 1.95.3; darwin arm64)',
    cody: 'Cody-VSCode/1.44.0 (vscode 1.95.3)',
    jetbrains: 'JetBrains-AI-Assistant/243.22562 (PyCharm 2024.3)',
    zed: 'Zed/0.162.5 (macos; aarch64)',
    // The console in browsers, and the provider's own apps.
    firefoxLinux: 'Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0',
    edgeMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 ' +
      '(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.51',
    safari18: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 ' +
      '(KHTML, like Gecko) Version/18.1 Safari/605.1.15',
    vivaldi: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) ' +
      'Chrome/130.0.0.0 Safari/537.36 Vivaldi/7.0.3495.18',
    chromeWin131: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 ' +
      '(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    appIos: 'Kestrel/3.8.0 (com.kestrel.chat; build:3801; iPhone16,2; iOS 18.1.1) Alamofire/5.10.1',
    appAndroid: 'Kestrel-Android/3.8.2 (Pixel 9 Pro; Android 15; okhttp 4.12.0)',
    // Attack tools (and the SDKs, apps and browsers above, which attackers claim too).
    requests232: 'python-requests/2.32.3',
    aiohttp310: 'Python/3.11 aiohttp/3.10.10',
    httpx028: 'python-httpx/0.28.0',
    openaiOld: 'OpenAI/Python 0.28.1',
    trufflehog: 'TruffleHog/3.84.1',
    keyChecker: 'Mozilla/5.0 (compatible; api-key-checker/2.1)',
    reverseProxy: 'oai-reverse-proxy/1.0 (node 18.20.4)',
    sillyTavern: 'SillyTavern/1.12.7',
    nodeFetch3: 'node',
    curl811: 'curl/8.11.0',
    wget124: 'Wget/1.24.5',
    apacheJava11: 'Apache-HttpClient/4.5.14 (Java/11.0.25)',
    goReq: 'req/v3 (https://github.com/imroc/req)',
    kiterunner: 'Chrome. Kiterunner',
    katana: 'katana/1.1.2 (projectdiscovery)',
    masscan: 'masscan/1.3 (https://github.com/robertdavidgraham/masscan)',
    censys: 'Mozilla/5.0 (compatible; CensysInspect/1.1; +https://about.censys.io/)',
    gptbot: 'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; ' +
      '+https://openai.com/gptbot)',
    perplexity: 'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ' +
      'PerplexityBot/1.0; +https://perplexity.ai/perplexitybot)',
    playwright: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 ' +
      '(KHTML, like Gecko) HeadlessChrome/131.0.6778.33 Safari/537.36',
    openBullet: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 ' +
      '(KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36 OPR/115.0.0.0',
    // Webhook senders.
    chargebee: 'ChargeBee',
    orb: 'Orb-Webhooks/1.0',
    metronome: 'Metronome/1.0 (+https://metronome.com)',
    paddle: 'Paddle-Webhooks/2.0',
    recurly: 'Recurly Webhooks',
  },
  uaMix: {
    benign: {
      openaiPy: 16, openaiJs: 10, anthropicPy: 8, anthropicTs: 5, langchain: 10, llamaindex: 7,
      litellm: 8, haystack: 3, vercelAi: 8, crewai: 4, smolagents: 3, continueDev: 4, cody: 3,
      jetbrains: 3, zed: 2, firefoxLinux: 3, edgeMac: 3,
    },
    attack: {
      openaiPy: 10, openaiJs: 6, langchain: 5, requests232: 14, aiohttp310: 10, httpx028: 10,
      openaiOld: 8, nodeFetch3: 8, curl811: 6, goReq: 6, apacheJava11: 5, chromeWin131: 6,
      playwright: 6,
    },
  },

  classes: {
    // --- benign -----------------------------------------------------------------------
    // Applications built on the API: chat completions mostly, embeddings, runs polled until
    // they finish, the odd transcription; a few records gone (deleted files, expired
    // threads), a few calls with a key rotated out. About two fifths are agents whose
    // tasks are tight loops of 3-12 model calls with a tool call between two, the next task
    // 10-35 s after the last one ended.
    steady: {
      benign: true, count: 22, rate: [0.2, 1.6], startS: [0, 12],
      staleIdShare: 0.04, authFailShare: 0.006,
      agentLoops: {
        share: 0.4, everyS: [10, 35], turns: [3, 12], modelMs: [700, 3500], toolMs: [60, 400],
        model: AGENT_MODEL, tools: AGENT_TOOLS,
      },
    },
    // Indexing jobs (bulk embeddings of chunked documents) and batch-output downloaders:
    // long bursts through a pool of 2-8 workers that each wait for their answer (median
    // 900 ms), gaps of 8-25 s; a rare poll of the batches.
    batch: {
      benign: true, count: 14, pollRate: 0.06, burstS: [10, 30],
      firstBurstS: [0, 30], gapS: [8, 25], staleIdShare: 0.01, ingestShare: 0.6,
      closedLoop: { workers: [2, 8], latencyMs: { median: 900, sigma: 0.5 } },
      uaMix: { openaiPy: 25, llamaindex: 20, langchain: 20, haystack: 15, lmEval: 10, inspect: 10 },
    },
    // Observability and ELT exporters pulling stored generations in ascending order: very
    // fast, very short syncs, often; a few generations expired (404).
    etl: {
      benign: true, count: 10, pollRate: 0.015, burstRate: [30, 70], burstS: [0.8, 2],
      firstBurstS: [0, 12], gapS: [6, 16], staleIdShare: 0.02,
      template: '/v1/generations/:gen',
      uaMix: { langfuse: 35, airbyte: 25, dlt: 25, meltano: 15 },
    },
    // Developers behind their companies' egress: IDE assistants and scripts, each with a key
    // of their own; keys rotated often (more failures than elsewhere).
    nat: {
      benign: true, gateways: 4, users: [5, 12], rate: [0.1, 0.9], startS: [0, 30],
      staleIdShare: 0.03, authFailShare: 0.02,
      uaMix: { continueDev: 25, cody: 20, jetbrains: 20, zed: 10, openaiPy: 15, promptfoo: 10 },
    },
    // Billing and usage-metering providers' webhooks from wide egress pools (4-8 /24s, 30-90
    // addresses): slow, long trickles with short gaps.
    partner: {
      benign: true, count: 10, networks: [4, 8], addresses: [30, 90], burstRate: [1, 6],
      burstS: [3, 12], firstBurstS: [0, 10], gapS: [1, 6],
      path: '/webhooks/billing/events', body: 'billing',
      uaMix: { chargebee: 20, orb: 20, metronome: 20, paddle: 20, recurly: 20 },
    },
    // The web console (the playground, the prompt library, usage) and the provider's own
    // apps, all through the console's key: developers sign in (password managers: few
    // mistypes, but some look the password up for a long while), click quickly.
    app_users: {
      benign: true, count: [55, 70], startS: [0, 70], mistypeShare: 0.09, retryS: [6, 40],
      thinkS: [2, 8], rate: [0.15, 0.9], sessionS: [15, 70], staleIdShare: 0.02,
      uaMix: {
        firefoxLinux: 15, edgeMac: 15, safari18: 15, vivaldi: 5, chromeWin131: 20, appIos: 15,
        appAndroid: 15,
      },
    },

    // --- attacks ----------------------------------------------------------------------
    // Leaked-key checkers: fast and short, two fifths of the guesses in other providers'
    // key formats.
    key_guessing: {
      benign: false, count: 10, rate: [5, 20], startS: [0, 60], lengthS: [6, 20],
      foreignShare: 0.4,
      uaMix: { trufflehog: 25, keyChecker: 25, openaiOld: 25, requests232: 25 },
    },
    // Long lists of keys scraped from public repositories, few still valid, checked against
    // the model list; the ones that work are resold (large role-play generations through a
    // reverse proxy) more than they are read.
    credential_stuffing: {
      benign: false, count: 10, rate: [1, 4], startS: [0, 40], lengthS: [20, 45],
      keysPerClient: 40, validShare: 0.15,
      resale: { share: 0.85, path: '/v1/chat/completions', body: 'roleplay' },
      uaMix: { openaiOld: 25, reverseProxy: 25, sillyTavern: 20, aiohttp310: 15, nodeFetch3: 15 },
    },
    // API route brute-forcers and walkers of other tenants' files, threads and projects.
    scraping: {
      benign: false, count: 12, enumerateShare: 0.3, rate: [2, 6], startS: [0, 40],
      normalShare: 0.1,
      uaMix: {
        kiterunner: 15, katana: 15, censys: 10, httpx028: 20, goReq: 15, playwright: 10,
        openaiPy: 15,
      },
    },
    // Other tenants' files, conversations and fine-tuning jobs, one or two templates, very
    // slowly, with wide gaps over the codes.
    slow_scraper: {
      benign: false, count: 10, rate: [0.05, 0.35], startS: [0, 15], step: [5, 20],
      templates: [
        '/v1/files/file-:file/content', '/v1/threads/thread-:thread/messages',
        '/v1/fine_tuning/jobs/ftjob-:job/events',
      ],
      uaMix: { gptbot: 25, perplexity: 20, playwright: 25, wget124: 15, apacheJava11: 15 },
    },
    // The console's shared prompt library harvested by browsers: prompts in order, quick
    // human-looking gaps, the next page often, few other calls.
    mimic: {
      benign: false, count: 10, startS: [0, 20], gapS: [0.3, 2.2], otherShare: 0.12,
      pageShare: 0.12, template: '/console/api/library/:prompt',
      uaMix: { edgeMac: 25, safari18: 25, vivaldi: 20, chromeWin131: 30 },
    },
    // Eight /24s, two addresses each, slower than any other mix's.
    low_and_slow: {
      benign: false, networks: 8, addresses: 2, meanIntervalS: [14, 28], startS: [0, 20],
      uaMix: { masscan: 25, curl811: 25, requests232: 25, openaiJs: 25 },
    },
    // Through the console's key, most copying browsers.
    login_stuffing: {
      benign: false, count: 10, rate: [0.8, 4], startS: [0, 30], lengthS: [15, 40],
      correctShare: 0.03,
      uaMix: {
        openBullet: 30, chromeWin131: 25, safari18: 15, appIos: 10, httpx028: 10, goReq: 10,
      },
    },
    // A short campaign from a botnet of home routers: very many addresses, one or two per
    // /24, 1-3 attempts each.
    login_campaign: {
      benign: false, campaigns: 1, addresses: [520, 600], perNetwork: [1, 2], attempts: [1, 3],
      startS: [20, 45], lengthS: [20, 35], correctShare: 0.015,
      uaMix: { chromeWin131: 30, edgeMac: 15, safari18: 20, appAndroid: 20, firefoxLinux: 15 },
    },
    // Cloud VMs spraying a paste of keys: denser /24s (a provider's ranges), a long campaign,
    // revoked keys and dormant accounts' ones.
    key_spray: {
      benign: false, campaigns: 1, addresses: [330, 400], perNetwork: [2, 9], requests: [1, 3],
      validShare: 0.25, startS: [0, 10], lengthS: [55, 80],
      uaMix: { openaiPy: 25, openaiOld: 20, requests232: 20, goReq: 20, apacheJava11: 15 },
    },
    // Prompt flooding: context windows stuffed to near the body limit on the completions and
    // embeddings routes, between ordinary calls.
    oversized: {
      benign: false, count: 10, rate: [0.1, 0.9], startS: [0, 50], oversizedShare: 0.5,
      bytes: [300000, 950000],
      uaMix: { openaiPy: 25, litellm: 15, aiohttp310: 20, nodeFetch3: 20, vercelAi: 20 },
    },
  },
};
