// The abuse benchmark's report: per configuration and seed, the share of benign clients
// refused (overall and per benign class), the share of attack clients refused per attack
// class, the median time-to-block per attack class; then the mean over the seeds with a 95%
// interval: mean ± 1.96 · sd / √n (sd over the seeds, n seeds), rates clipped to [0, 1].
// Distributed campaigns (clients with `campaign`) are also measured as one attacker each:
// the share of their requests refused, and when the engine had them under control.

import os from 'node:os';

const machine = () => `${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}`;

const FEATURES = [
  'bias', 'r:key_guessing', 'r:credential_stuffing', 'r:path_enumeration', 'r:burst', 'r:error_ratio',
  'r:oversized_payload', 'r:bad_reputation', 'r:cross_tenant', 'r:distributed_guessing',
  'r:login_stuffing', 'r:campaign', 'r:id_enumeration', 'r:browser_mimicry', 'r:declared_crawler', 'ip_rate',
  'key_rate', 'authfail_ratio', 'not_found_ratio', 'error_ratio', 'distinct_routes', 'distinct_keys',
  'payload_z', 'burstiness', 'ua_scripted', 'net_failures', 'denied_ratio', 'key_addresses',
  'key_networks', 'id_walk', 'regularity', 'ua_churn', 'route_focus', 'path_variety', 'campaign',
];
// app/abuse/score.h: F_BIAS, RULE__MAX rule slots, then the features. Kept in step by hand;
// a length mismatch prints the raw vector.

function median(xs) {
  if (!xs.length) return null;
  const v = [...xs].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

export function ci(values, clip) {
  const v = values.filter((x) => x !== null && x !== undefined && !Number.isNaN(x));
  if (!v.length) return null;
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  if (v.length < 2) return { mean, lo: null, hi: null, n: v.length };
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1));
  const h = (1.96 * sd) / Math.sqrt(v.length);
  let lo = mean - h;
  let hi = mean + h;
  if (clip) {
    lo = Math.max(clip[0], lo);
    hi = Math.min(clip[1], hi);
  }
  return { mean, lo, hi, n: v.length };
}

const pct = (x) => `${(100 * x).toFixed(1)}%`;
const secs = (x) => `${(x / 1000).toFixed(1)} s`;
function fmt(c, f) {
  if (!c) return '–';
  if (c.lo === null) return f(c.mean);
  return `${f(c.mean)} (${f(c.lo)}–${f(c.hi)})`;
}

// A campaign is blocked from the first moment after which at least this share of its
// requests (all of them from then to its end) are refused.
export const CAMPAIGN_BLOCKED_SHARE = 0.8;

// Per campaign of a trace: { campaign, class, addresses, refusedAddresses, requests, refused,
// ttbMs, and the same measures over what can be refused at all: repeatAddresses (addresses
// that sent more than one request), refusedRepeat, later (requests after an address's
// first), refusedLater, ttbLaterMs }. An address's first request is judged before anything
// is known of it, so a campaign that spreads one or two attempts over each of hundreds of
// addresses cannot have its first requests refused without refusing every unseen address
// on its route; these measures say how much of the rest the engine refused.
// refused[ci][qi] says whether request qi of client ci was refused; times[ci][qi] when it
// left (the replay's send times; the trace's schedule when not given). ttbMs runs from the
// campaign's first request to the first request from which on at least
// CAMPAIGN_BLOCKED_SHARE of the remaining requests are refused; null if there is none.
// ttbLaterMs is the same over the later requests only (still from the campaign's start).
export function campaignStats(trace, refused, times = null) {
  const by = new Map();
  trace.clients.forEach((c, ci) => {
    if (!c.campaign) return;
    const g = by.get(c.campaign) ?? {
      campaign: c.campaign, class: c.class, addresses: 0, refusedAddresses: 0, repeatAddresses: 0, refusedRepeat: 0, reqs: [],
    };
    g.addresses++;
    if (refused[ci].some(Boolean)) g.refusedAddresses++;
    if (c.schedule.length > 1) {
      g.repeatAddresses++;
      if (refused[ci].some(Boolean)) g.refusedRepeat++;
    }
    // Per address, its requests in sending order: the first is the earliest.
    const order = c.schedule.map((q, qi) => [times ? times[ci][qi] : q.t, refused[ci][qi] ? 1 : 0]).sort((a, b) => a[0] - b[0]);
    order.forEach(([t, x], k) => g.reqs.push([t, x, k > 0]));
    by.set(c.campaign, g);
  });
  return [...by.values()].map(({ reqs, ...g }) => {
    reqs.sort((a, b) => a[0] - b[0]);
    const later = reqs.filter((q) => q[2]);
    const suffix = (xs) => {
      let ttb = null;
      // From the end backwards: the earliest start whose suffix is refused enough.
      for (let i = xs.length - 1, tail = 0; i >= 0; i--) {
        tail += xs[i][1];
        if (tail >= CAMPAIGN_BLOCKED_SHARE * (xs.length - i)) ttb = xs[i][0] - reqs[0][0];
      }
      return ttb;
    };
    const sum = (xs) => xs.reduce((a, q) => a + q[1], 0);
    return {
      ...g, requests: reqs.length, refused: sum(reqs), ttbMs: suffix(reqs), later: later.length, refusedLater: sum(later), ttbLaterMs: suffix(later),
    };
  });
}

// Per (config, seed): { fp: {overall, <class>}, det: {<class>}, ttb: {<class>}, counts,
// campReq: {<class>} (share of a campaign class's requests refused), campTtb: {<class>}
// (median campaign time-to-block, null if none was blocked), campCounts: {<class>}, and
// over what can be refused (see campaignStats): campRepeat (share of the addresses with more
// than one request refused), campLater (share of the later requests refused), campLaterTtb,
// campLaterCounts: {<class>} }.
export function metrics(trace, clients, campaigns = []) {
  const m = {
    fp: {}, det: {}, ttb: {}, counts: {}, campReq: {}, campTtb: {}, campCounts: {}, campRepeat: {}, campLater: {}, campLaterTtb: {}, campLaterCounts: {},
  };
  const camp = new Map();
  for (const g of campaigns) {
    const x = camp.get(g.class) ?? { requests: 0, refused: 0, ttb: [], n: 0, repeat: 0, refusedRepeat: 0, later: 0, refusedLater: 0, ttbLater: [] };
    x.requests += g.requests;
    x.refused += g.refused;
    x.n++;
    if (g.ttbMs !== null) x.ttb.push(g.ttbMs);
    // Runs stored before the later-request measures existed have none.
    if (g.later !== undefined) {
      x.repeat += g.repeatAddresses;
      x.refusedRepeat += g.refusedRepeat;
      x.later += g.later;
      x.refusedLater += g.refusedLater;
      if (g.ttbLaterMs !== null) x.ttbLater.push(g.ttbLaterMs);
    }
    camp.set(g.class, x);
  }
  for (const [k, x] of camp) {
    m.campReq[k] = x.requests ? x.refused / x.requests : null;
    m.campTtb[k] = median(x.ttb);
    m.campCounts[k] = [x.ttb.length, x.n, x.refused, x.requests];
    m.campRepeat[k] = x.repeat ? x.refusedRepeat / x.repeat : null;
    m.campLater[k] = x.later ? x.refusedLater / x.later : null;
    m.campLaterTtb[k] = median(x.ttbLater);
    m.campLaterCounts[k] = [x.ttbLater.length, x.refusedRepeat, x.repeat, x.refusedLater, x.later];
  }
  const groups = new Map();
  trace.clients.forEach((c, i) => {
    const keys = [c.class];
    if (c.benign) keys.push('overall');
    if (c.class === 'scraping' && c.variant) keys.push(`scraping/${c.variant}`);
    for (const k of keys) {
      const g = groups.get(k) ?? { benign: c.benign, n: 0, refused: 0, ttb: [] };
      g.n++;
      if (clients[i].refused) {
        g.refused++;
        g.ttb.push(clients[i].ttbMs);
      }
      groups.set(k, g);
    }
  });
  for (const [k, g] of groups) {
    m.counts[k] = [g.refused, g.n];
    if (g.benign) m.fp[k] = g.refused / g.n;
    else {
      m.det[k] = g.refused / g.n;
      m.ttb[k] = median(g.ttb);
    }
  }
  return m;
}

export function report({ sc, scenarioFile, traces, phases, training, budgets, elapsedS, build }) {
  const configs = ['fixed window', 'token bucket', 'heuristics', ...budgets.map((b) => `model@${b}`)];
  const per = new Map(configs.map((c) => [c, []])); // config -> [{seed, m}]
  for (const p of phases) {
    if (!per.has(p.config)) continue;
    per.get(p.config).push({ seed: p.seed, m: metrics(traces.get(p.seed), p.clients, p.campaigns ?? []), phase: p });
  }
  const cls = Object.entries(sc.classes);
  const benignClasses = ['overall', ...cls.filter(([, p]) => p.benign).map(([c]) => c)];
  const attackClasses = cls.filter(([, p]) => !p.benign).map(([c]) => c);
  const anyScrapeVariant = [...traces.values()].some((t) => t.clients.some((c) => c.class === 'scraping'));
  const attackRows = anyScrapeVariant
    ? attackClasses.flatMap((c) => (c === 'scraping' ? [c, 'scraping/enumerate', 'scraping/idwalk'] : [c]))
    : attackClasses;
  const stat = (config, kind, k, clip) => ci(per.get(config).map((x) => x.m[kind][k] ?? null), clip);
  const pooled = (config, k) => {
    const [a, n] = pooledCounts(per, config, k);
    return n ? `${a}/${n}` : '–';
  };

  const L = [];
  const nSeeds = sc.seeds.length;
  L.push(`## make bench-abuse, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`);
  L.push('');
  L.push(`- Scenario \`${sc.name}\` (${scenarioFile}); seeds ${sc.seeds.join(', ')}; ${sc.durationS} s of real-time traffic per phase; ` +
    `${Math.floor(elapsedS / 60)} min ${Math.round(elapsedS % 60)} s in all; ${build}; ${machine()}.`);
  const ev = sc.seeds.map((s) => traces.get(s));
  const nClients = (f) => ev.map((t) => t.clients.filter(f).length).join('/');
  L.push(`- Per evaluation trace (seed ${sc.seeds.join('/')}): ${nClients((c) => c.benign)} benign clients, ${nClients((c) => !c.benign)} attack clients, ` +
    `${ev.map((t) => t.clients.reduce((n, c) => n + c.schedule.length, 0)).join('/')} requests.`);
  L.push(`- Cells: mean over the ${nSeeds} seeds, and in brackets the 95% interval mean ± 1.96·sd/√${nSeeds} (sd over the seeds; rates clipped to [0, 100%]). ` +
    'With so few seeds the interval is rough (a t-interval would be wider); the pooled counts are given too.');
  L.push(`- Fixed window: ${sc.baselines.fixedWindow.limit} requests per ${sc.baselines.fixedWindow.windowS} s window; token bucket: ` +
    `${sc.baselines.tokenBucket.ratePerS}/s with a burst of ${sc.baselines.tokenBucket.burst}. Both per valid key, and per source address for requests without a valid key; computed offline on the same traces.`);
  L.push(`- Engine refusal: a 403 or 429 whose problem type ends with \`abnormal-usage-detected\`. Time-to-block: the client's first refusal − its first request; median over the detected clients of a class, per seed.`);
  L.push('');

  L.push('### Traffic (per evaluation trace)');
  L.push('');
  L.push(`| class | | clients (seed ${sc.seeds.join(' / ')}) | requests | variants |`);
  L.push('|---|---|--:|--:|---|');
  for (const [c, p] of cls) {
    const per1 = ev.map((t) => t.clients.filter((x) => x.class === c));
    const variants = new Map();
    for (const x of per1.flat()) if (x.variant) variants.set(x.variant, (variants.get(x.variant) ?? 0) + 1);
    L.push(`| ${c} | ${p.benign ? 'benign' : 'attack'} | ${per1.map((x) => x.length).join(' / ')} | ${per1.map((x) => x.reduce((n, y) => n + y.schedule.length, 0)).join(' / ')} | ${[...variants].map(([v, n]) => `${v} ${n}`).join(', ')} |`);
  }
  L.push('');

  const head = `| | ${configs.join(' | ')} |`;
  const sep = `|---|${configs.map(() => '--:').join('|')}|`;
  L.push('### Benign clients refused (false-positive rate)');
  L.push('');
  L.push(head);
  L.push(sep);
  for (const k of benignClasses) {
    L.push(`| ${k === 'overall' ? '**all benign**' : k} | ${configs.map((c) => fmt(stat(c, 'fp', k, [0, 1]), pct)).join(' | ')} |`);
  }
  L.push('');
  L.push('### Attack clients refused (detection rate)');
  L.push('');
  L.push(head);
  L.push(sep);
  for (const k of attackRows) {
    L.push(`| ${k.includes('/') ? `  ↳ ${k}` : k} | ${configs.map((c) => fmt(stat(c, 'det', k, [0, 1]), pct)).join(' | ')} |`);
  }
  L.push('');
  L.push('### Median time-to-block');
  L.push('');
  L.push(head);
  L.push(sep);
  for (const k of attackRows) {
    L.push(`| ${k.includes('/') ? `  ↳ ${k}` : k} | ${configs.map((c) => fmt(stat(c, 'ttb', k, [0, Infinity]), secs)).join(' | ')} |`);
  }
  L.push('');
  L.push('### Pooled counts over the seeds (refused / clients)');
  L.push('');
  L.push(head);
  L.push(sep);
  for (const k of [...benignClasses, ...attackRows]) {
    L.push(`| ${k === 'overall' ? 'all benign' : k} | ${configs.map((c) => pooled(c, k)).join(' | ')} |`);
  }
  L.push('');

  // Distributed campaigns: each campaign is one attacker.
  const campaignClasses = attackClasses.filter((c) => ev.some((t) => t.clients.some((x) => x.class === c && x.campaign)));
  if (campaignClasses.length) {
    L.push('### Campaigns');
    L.push('');
    L.push(`Addresses refused: the share of a campaign's addresses refused at least once. Requests refused: the share of its requests the engine refused. ` +
      `Time-to-block: from the campaign's first request to the first moment after which at least ${pct(CAMPAIGN_BLOCKED_SHARE)} of its remaining requests are refused ` +
      '(median over the campaigns of a trace, then over the seeds as above; – if no campaign was blocked). Blocked: campaigns blocked / campaigns, pooled. ' +
      "The last three rows measure what can be refused at all: an address's first request is judged before anything is known of it, so only the requests after it " +
      '(and the addresses that send them) can be; their time-to-block is the same suffix rule over those requests, from the campaign\'s start.');
    L.push('');
    L.push(head);
    L.push(sep);
    for (const k of campaignClasses) {
      L.push(`| ${k}: addresses refused | ${configs.map((c) => fmt(stat(c, 'det', k, [0, 1]), pct)).join(' | ')} |`);
      L.push(`| ${k}: requests refused | ${configs.map((c) => fmt(stat(c, 'campReq', k, [0, 1]), pct)).join(' | ')} |`);
      L.push(`| ${k}: time-to-block | ${configs.map((c) => fmt(stat(c, 'campTtb', k, [0, Infinity]), secs)).join(' | ')} |`);
      L.push(`| ${k}: blocked | ${configs.map((c) => {
        const xs = per.get(c).map((x) => x.m.campCounts[k]).filter(Boolean);
        return xs.length ? `${xs.reduce((a, x) => a + x[0], 0)}/${xs.reduce((a, x) => a + x[1], 0)}` : '–';
      }).join(' | ')} |`);
      // What can be refused at all: an address's requests after its first.
      const later = (c, i, j) => {
        const xs = per.get(c).map((x) => x.m.campLaterCounts?.[k]).filter(Boolean);
        return xs.length ? `${xs.reduce((a, x) => a + x[i], 0)}/${xs.reduce((a, x) => a + x[j], 0)}` : '–';
      };
      L.push(`| ${k}: addresses with more than one request, refused | ${configs.map((c) => `${fmt(stat(c, 'campRepeat', k, [0, 1]), pct)}; ${later(c, 1, 2)}`).join(' | ')} |`);
      L.push(`| ${k}: requests after an address's first, refused | ${configs.map((c) => `${fmt(stat(c, 'campLater', k, [0, 1]), pct)}; ${later(c, 3, 4)}`).join(' | ')} |`);
      L.push(`| ${k}: time-to-block of those requests | ${configs.map((c) => fmt(stat(c, 'campLaterTtb', k, [0, Infinity]), secs)).join(' | ')} |`);
    }
    L.push('');
  }

  // The issue's targets, on the untrained engine (heuristics, and the model's prior):
  // detection's lower bound, benign refusals' upper bound, time-to-block.
  L.push(...checkLines({ sc, per, stat, attackRows, campaignClasses, benignClasses: benignClasses.filter((k) => k !== 'overall'), nSeeds }));

  L.push(...labelLines({ per, budgets, attackRows: attackRows.filter((k) => !k.includes('/')) }));

  // The target.
  const M = (c, kind, k) => stat(c, kind, k, [0, 1])?.mean ?? NaN;
  const last = `model@${Math.max(...budgets)}`;
  const checks = [
    [`${last} detects credential stuffing ≥ 90%`, M(last, 'det', 'credential_stuffing') >= 0.9, pct(M(last, 'det', 'credential_stuffing'))],
    [`${last} detects scraping ≥ 90%`, M(last, 'det', 'scraping') >= 0.9, pct(M(last, 'det', 'scraping'))],
    // Fewer, where the heuristics refuse any: none is as good as it gets.
    [`${last} refuses fewer benign clients than heuristics alone (or none)`,
      M(last, 'fp', 'overall') < M('heuristics', 'fp', 'overall') || M(last, 'fp', 'overall') === 0,
      `${pct(M(last, 'fp', 'overall'))} vs ${pct(M('heuristics', 'fp', 'overall'))}`],
    [`${last} refuses fewer benign clients than the fixed window`, M(last, 'fp', 'overall') < M('fixed window', 'fp', 'overall'),
      `${pct(M(last, 'fp', 'overall'))} vs ${pct(M('fixed window', 'fp', 'overall'))}`],
  ];
  const met = checks.every((c) => c[1]);
  L.push('### Target');
  L.push('');
  L.push('| condition (on the means over the seeds) | value | met? |');
  L.push('|---|--:|---|');
  for (const [what, good, val] of checks) L.push(`| ${what} | ${val} | ${good ? 'yes' : '**no**'} |`);
  L.push('');
  L.push(`**Target ${met ? 'MET' : 'NOT MET'}.**`);
  L.push('');

  // Why clients were refused.
  L.push('### Why clients were refused (reason/outcome of the decision that refused them, all seeds)');
  L.push('');
  L.push('| configuration | class | reasons |');
  L.push('|---|---|---|');
  for (const c of configs.filter((x) => x !== 'fixed window' && x !== 'token bucket')) {
    const by = new Map();
    for (const { phase } of per.get(c)) {
      const t = traces.get(phase.seed);
      phase.clients.forEach((o, i) => {
        if (!o.refused) return;
        const k = t.clients[i].class + (t.clients[i].benign ? ' (benign)' : '');
        const m = by.get(k) ?? new Map();
        m.set(o.reason, (m.get(o.reason) ?? 0) + 1);
        by.set(k, m);
      });
    }
    for (const [k, m] of [...by].sort()) {
      L.push(`| ${c} | ${k} | ${[...m].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${r} ×${n}`).join(', ')} |`);
    }
  }
  L.push('');

  if (training.length) {
    L.push('### Training (simulated customer labels, `tollgate train bench --min-labels 1`)');
    L.push('');
    L.push('| eval seed | trained on trace | labels | abuse / benign labels | wrong | labelled clients by class | activated | tollgate train says | model version in the eval decisions |');
    L.push('|--:|--:|--:|---|--:|---|---|---|---|');
    for (const t of training) {
      const p = phases.find((x) => x.training === t);
      const cls2 = Object.entries(t.byClass).map(([k, n]) => `${k} ${n}`).join(', ');
      const said = t.output.split('\n').filter((l) => /validation|catches|rise|cannot|not trained/.test(l)).join('; ');
      L.push(`| ${t.evalSeed} | ${t.trainSeed} | ${t.labels} | ${t.abuse} / ${t.benign} | ${t.wrong} | ${cls2} | ${t.activated ? `yes (v${t.version})` : 'no'} | ${said.replace(/\|/g, '/')} | ${p?.modelVersions ?? ''} |`);
    }
    L.push('');
    const active = training.filter((t) => t.weights);
    if (active.length) {
      L.push('Weights of the activated models (prior: bias −6, each block rule 9, throttle rule 7.4, flag rule 6.2, 0 elsewhere):');
      L.push('');
      L.push(`| feature | ${active.map((t) => `seed ${t.evalSeed} @${t.budget}`).join(' | ')} |`);
      L.push(`|---|${active.map(() => '--:').join('|')}|`);
      const ws = active.map((t) => t.weights.replace(/[{}]/g, '').split(',').map(Number));
      if (ws.every((w) => w.length === FEATURES.length)) {
        FEATURES.forEach((f, i) => L.push(`| ${f} | ${ws.map((w) => w[i].toFixed(2)).join(' | ')} |`));
      } else {
        L.push(`| (raw) | ${ws.map((w) => w.map((x) => x.toFixed(2)).join(' ')).join(' | ')} |`);
      }
      L.push('');
    }
  }

  L.push('### Replay fidelity');
  L.push('');
  L.push('| phase | trace | requests | decisions stored | dispatch lag p50 / p99 / max (ms) | plan 429s | 5xx or errors |');
  L.push('|---|--:|--:|--:|---|--:|--:|');
  for (const p of phases.filter((x) => x.lagMs)) {
    const other = p.clients.reduce((n, o) => n + o.other429, 0);
    const err = p.clients.reduce((n, o) => n + o.errors, 0);
    L.push(`| ${p.config} | ${p.seed} | ${p.sent} | ${p.stored} | ${p.lagMs.p50.toFixed(1)} / ${p.lagMs.p99.toFixed(1)} / ${p.lagMs.max.toFixed(0)} | ${other} | ${err} |`);
  }
  L.push('');
  return L.join('\n');
}

// Which attack classes the issue's detection target covers: stuffing, scraping, scanning and
// guessing (a class's `category` in the scenario overrides this). Oversized payloads are not
// among them; they still have a time-to-block target.
const CATEGORY = {
  credential_stuffing: 'stuffing', login_stuffing: 'stuffing', login_campaign: 'stuffing', key_spray: 'stuffing',
  scraping: 'scraping', 'scraping/idwalk': 'scraping', 'scraping/enumerate': 'scanning', slow_scraper: 'scraping', mimic: 'scraping',
  key_guessing: 'guessing', low_and_slow: 'guessing',
};
export const CHECK_CONFIGS = ['heuristics', 'model@0'];
export const TARGETS = { detectionLo: 0.9, benignHi: 0.001, ttbMs: 10000, campaignTtbMs: 30000 };

// [refused, clients] of class k under a configuration, summed over the seeds.
function pooledCounts(per, config, k) {
  let a = 0;
  let n = 0;
  for (const x of per.get(config) ?? []) {
    const c = x.m.counts[k];
    if (c) {
      a += c[0];
      n += c[1];
    }
  }
  return [a, n];
}

// Whether labels made the engine better at both (issue 11): per model@N (N > 0), pooled over
// the seeds, no more benign clients refused than model@0, and no attack class caught less.
// "Less" allows for the replay's own noise, measured in the same run: heuristics and model@0
// are the same engine (the prior reproduces the heuristics) on the same traces, so the
// largest difference between their pooled counts over the classes (at least 1 client) is
// how much two replays of one engine differ.
export function labelLines({ per, budgets, attackRows }) {
  const counts = (config, k) => pooledCounts(per, config, k);
  if (!per.get('heuristics')?.length || !per.get('model@0')?.length) return [];
  const noise = Math.max(1, ...['overall', ...attackRows].map((k) => Math.abs(counts('heuristics', k)[0] - counts('model@0', k)[0])));
  const L = ['### Labels: better at both? (model@N against model@0, pooled)', ''];
  L.push(`Benign: refused clients, model@N ≤ model@0. Attack classes: caught clients, model@N ≥ model@0 − ${noise} ` +
    '(the largest difference between the heuristics and model@0, the same engine replayed twice: the replay\'s noise).');
  L.push('');
  L.push('| labels | benign refused | attack classes caught less | attack classes caught more | |');
  L.push('|---|--:|---|---|---|');
  for (const b of budgets.filter((x) => x > 0 && per.get(`model@${x}`)?.length)) {
    const c = `model@${b}`;
    const [fb] = counts(c, 'overall');
    const [f0, nb] = counts('model@0', 'overall');
    const less = [];
    const more = [];
    for (const k of attackRows) {
      const [a, n] = counts(c, k);
      const [a0] = counts('model@0', k);
      if (a < a0 - noise) less.push(`${k} ${a}/${n} (${a0})`);
      else if (a > a0 + noise) more.push(`${k} ${a}/${n} (${a0})`);
    }
    const good = fb <= f0 && less.length === 0;
    L.push(`| ${b} | ${fb}/${nb} (model@0: ${f0}) | ${less.join(', ') || 'none'} | ${more.join(', ') || 'none'} | ${good ? 'PASS' : '**FAIL**'} |`);
  }
  L.push('');
  return L;
}

// One line per target: PASS or FAIL. With a single seed there is no interval and the mean
// stands in for the bound. A seed in which a class was never blocked fails its time target.
function checkLines({ sc, per, stat, attackRows, campaignClasses, benignClasses, nSeeds }) {
  const L = [];
  const bound = (c, side) => (c ? (c[side] ?? c.mean) : null);
  const rows = [];
  for (const config of CHECK_CONFIGS.filter((c) => per.has(c) && per.get(c).length)) {
    for (const k of attackRows) {
      const cat = sc.classes[k]?.category ?? CATEGORY[k];
      if (!cat) continue;
      const lo = bound(stat(config, 'det', k, [0, 1]), 'lo');
      rows.push([`${config}: ${k} (${cat}) detected ≥ ${pct(TARGETS.detectionLo)}, lower bound`, lo !== null && lo >= TARGETS.detectionLo, lo === null ? '–' : pct(lo)]);
    }
    for (const k of benignClasses) {
      const hi = bound(stat(config, 'fp', k, [0, 1]), 'hi');
      rows.push([`${config}: ${k} (benign) refused ≤ ${pct(TARGETS.benignHi)}, upper bound`, hi !== null && hi <= TARGETS.benignHi, hi === null ? '–' : pct(hi)]);
    }
    for (const k of attackRows.filter((x) => !x.includes('/'))) {
      const campaign = campaignClasses.includes(k);
      const kind = campaign ? 'campTtb' : 'ttb';
      const limit = campaign ? TARGETS.campaignTtbMs : TARGETS.ttbMs;
      const seeds = per.get(config).map((x) => x.m[kind][k] ?? null);
      const never = seeds.filter((x) => x === null).length;
      const c = stat(config, kind, k, [0, Infinity]);
      const val = never ? `not blocked in ${never}/${seeds.length} seeds` : secs(c.mean);
      rows.push([`${config}: ${k} ${campaign ? 'campaign time-to-block (80% of requests refused)' : 'time-to-block p50'} ≤ ${secs(limit)}`,
        !never && c.mean <= limit, val]);
    }
  }
  L.push('### Checks (the issue\'s targets; heuristics and model@0)');
  L.push('');
  L.push(`Detection on the lower and benign refusals on the upper end of the 95% interval over the ${nSeeds} seeds${nSeeds < 2 ? ' (one seed: the value itself)' : ''}; ` +
    'time-to-block on the mean over the seeds of the per-seed median (of the clients of a class; for a campaign class, of its campaigns).');
  L.push('');
  L.push('| check | value | |');
  L.push('|---|--:|---|');
  for (const [what, good, val] of rows) L.push(`| ${what} | ${val} | ${good ? 'PASS' : '**FAIL**'} |`);
  L.push('');
  const failed = rows.filter((x) => !x[1]).length;
  L.push(`**Checks: ${rows.length - failed} PASS, ${failed} FAIL.**`);
  L.push('');
  return L;
}
