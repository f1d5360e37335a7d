// The pure parts of `make bench-abuse` (bench/abuse/): the seeded generator, the offline
// baselines, the confidence intervals and campaign measures, and the benchmark's upstream.
// The benchmark's figures are only as good as these; the replay through the gateway itself
// is what `make bench-abuse` runs.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { fixedWindow, tokenBucket } from '../../bench/abuse/baselines.mjs';
import { generate, idExists, passwordOf, slugExists, summary, tileExists, uuidExists } from '../../bench/abuse/generate.mjs';
import { campaignStats, ci, labelLines } from '../../bench/abuse/report.mjs';
import scenario from '../../bench/abuse/scenario.mjs';
import heldout from '../../bench/abuse/heldout.mjs';
import heldout2 from '../../bench/abuse/heldout2.mjs';
import heldout3 from '../../bench/abuse/heldout3.mjs';
import heldout4 from '../../bench/abuse/heldout4.mjs';
import heldout5 from '../../bench/abuse/heldout5.mjs';
import heldout6 from '../../bench/abuse/heldout6.mjs';
import heldout7 from '../../bench/abuse/heldout7.mjs';
import heldout8 from '../../bench/abuse/heldout8.mjs';
import heldout9 from '../../bench/abuse/heldout9.mjs';
import heldout10 from '../../bench/abuse/heldout10.mjs';
import heldout11 from '../../bench/abuse/heldout11.mjs';
import heldout12 from '../../bench/abuse/heldout12.mjs';
import heldout13 from '../../bench/abuse/heldout13.mjs';

const SCENARIOS = [
  ['default', scenario, 1], ['heldout', heldout, 11], ['heldout2', heldout2, 21], ['heldout3', heldout3, 31],
  ['heldout4', heldout4, 41], ['heldout5', heldout5, 51], ['heldout6', heldout6, 61], ['heldout7', heldout7, 71],
  ['heldout8', heldout8, 81], ['heldout9', heldout9, 91], ['heldout10', heldout10, 101],
  ['heldout11', heldout11, 111], ['heldout12', heldout12, 121], ['heldout13', heldout13, 131],
];
const HELDOUT = SCENARIOS.filter(([name]) => name !== 'default');
const net24 = (ip) => ip.split('.').slice(0, 3).join('.');
// Of the UUIDs a trace asks for at the paths `re` matches: one the API has, one it has not.
const uuidsIn = (api, trace, re) => {
  const uuids = [...new Set(trace.clients.flatMap((c) => c.schedule.map((q) => q.path.match(re)?.[1]).filter(Boolean)))];
  return [uuids.find((x) => uuidExists(api, x)), uuids.find((x) => !uuidExists(api, x))];
};
// A mix with some classes' parameters changed (an option taken out, say).
const withClasses = (sc, changes) => ({
  ...sc,
  classes: { ...sc.classes, ...Object.fromEntries(Object.entries(changes).map(([cls, p]) => [cls, { ...sc.classes[cls], ...p }])) },
});

test('the generator is deterministic per seed, and seeds differ', () => {
  const a = generate(scenario, 7);
  const b = generate(scenario, 7);
  const c = generate(scenario, 8);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.clients.map((x) => x.schedule.length), c.clients.map((x) => x.schedule.length));
});

test('the held-out generators are deterministic per seed too', () => {
  for (const [, sc, s0] of HELDOUT) {
    assert.deepEqual(generate(sc, s0), generate(sc, s0));
    assert.notDeepEqual(generate(sc, s0).clients.map((x) => x.schedule.length), generate(sc, s0 + 1).clients.map((x) => x.schedule.length));
    assert.ok(sc.seeds.length >= 4);
  }
});

for (const [name, sc, seed] of SCENARIOS) {
  test(`${name}: every class of the scenario is there with its ground truth, inside the phase`, () => {
    const trace = generate(sc, seed);
    const by = summary(trace);
    for (const [cls, p] of Object.entries(sc.classes)) {
      const s = by.get(cls);
      assert.ok(s && s.clients > 0 && s.requests > 0, `class ${cls} is missing`);
      assert.equal(typeof p.benign, 'boolean', `${cls} says whether it is benign`);
      assert.equal(s.benign, p.benign, `ground truth of ${cls}`);
    }
    for (const client of trace.clients) {
      assert.match(client.sourceIp, /^127\./, 'every client replays from a loopback address of its own');
      for (let i = 1; i < client.schedule.length; i++) assert.ok(client.schedule[i].t >= client.schedule[i - 1].t);
      for (const q of client.schedule) {
        assert.ok(q.t >= 0 && q.t <= sc.durationS * 1000, `${client.id} at ${q.t}`);
        assert.ok(Number.isInteger(q.t), `${client.id}: whole milliseconds`);
        if (q.sourceIp) assert.match(q.sourceIp, /^127\./);
      }
    }
    // Users behind one NAT share an address (an office's, or a mobile carrier's for some app
    // users); everyone else has their own.
    const nat = trace.clients.filter((x) => x.class === 'nat');
    assert.ok(new Set(nat.map((x) => x.sourceIp)).size < nat.length);
    const carrier = trace.clients.filter((x) => x.variant?.startsWith('carrier-nat'));
    if (sc.classes.app_users.carrierNat) {
      assert.ok(carrier.length > 0 && carrier.every((x) => x.class === 'app_users'));
      assert.ok(new Set(carrier.map((x) => x.sourceIp)).size < carrier.length);
    } else {
      assert.equal(carrier.length, 0);
    }
    const others = trace.clients.filter((x) => x.class !== 'nat' && x.class !== 'low_and_slow' && !carrier.includes(x));
    assert.equal(new Set(others.map((x) => x.sourceIp)).size, others.length);
  });

  test(`${name}: campaign clients have addresses of their own over many /24s`, () => {
    const trace = generate(sc, seed);
    for (const cls of ['login_campaign', 'key_spray']) {
      const cs = trace.clients.filter((x) => x.class === cls);
      assert.ok(cs.length >= 100, `${cls}: ${cs.length} addresses`);
      assert.ok(cs.every((x) => x.campaign && !x.benign), `${cls}: every address is one of a campaign`);
      assert.equal(new Set(cs.map((x) => x.campaign)).size, 1, `${cls}: one campaign per trace`);
      assert.equal(new Set(cs.map((x) => x.sourceIp)).size, cs.length, `${cls}: distinct addresses`);
      const nets = new Map();
      for (const x of cs) nets.set(net24(x.sourceIp), (nets.get(net24(x.sourceIp)) ?? 0) + 1);
      assert.ok(nets.size >= 20, `${cls}: ${nets.size} /24s`);
      const most = sc.classes[cls].perNetwork[1];
      assert.ok(Math.max(...nets.values()) <= most, `${cls}: at most ${most} addresses in a /24`);
      // No address of a campaign is anyone else's.
      const theirs = new Set(cs.map((x) => x.sourceIp));
      assert.ok(trace.clients.filter((x) => x.class !== cls).every((x) => !theirs.has(x.sourceIp)));
    }
    // Key sprayers present one key per address: revoked, a dormant account's (a pool no
    // other client draws from), or, where the mix says so, a made-up one.
    const spray = trace.clients.filter((c) => c.class === 'key_spray');
    for (const x of spray) {
      assert.equal(new Set(x.schedule.map((q) => JSON.stringify(q.key))).size, 1);
      const k = x.schedule[0].key;
      assert.ok(k.revoked !== undefined || k.dormant !== undefined || (sc.classes.key_spray.madeUpShare && /^tg_live_/.test(k.made_up)));
    }
    assert.equal(spray.some((x) => x.schedule[0].key.made_up !== undefined), !!sc.classes.key_spray.madeUpShare);
    const dormantUsers = trace.clients.filter((c) => c.schedule.some((q) => q.key?.dormant !== undefined));
    assert.ok(dormantUsers.length > 0 && dormantUsers.every((c) => c.class === 'key_spray'));
  });

  test(`${name}: logins are JSON, and the generator knows which succeed`, () => {
    const trace = generate(sc, seed);
    const logins = (cls) => trace.clients.filter((x) => x.class === cls)
      .flatMap((x) => x.schedule.filter((q) => q.body !== undefined).map((q) => ({ client: x, q, c: JSON.parse(q.body) })));
    for (const cls of ['app_users', 'login_stuffing', 'login_campaign']) {
      const ls = logins(cls);
      assert.ok(ls.length > 0, cls);
      for (const { q, c } of ls) {
        assert.equal(q.method, 'POST');
        assert.equal(q.path, sc.api.login.path);
        assert.equal(q.bytes, Buffer.byteLength(q.body));
        assert.equal(typeof c.user, 'string');
        assert.equal(typeof c.password, 'string');
        assert.deepEqual(q.key, { app: 0 }, 'through the app key');
      }
    }
    // Every app user ends up logged in; the ones who mistype fail once first.
    const users = trace.clients.filter((x) => x.class === 'app_users');
    for (const u of users) {
      const ls = u.schedule.filter((q) => q.body !== undefined).map((q) => JSON.parse(q.body));
      assert.equal(ls.at(-1).password, passwordOf(ls.at(-1).user), u.id);
      assert.equal(ls.length, u.variant?.endsWith('mistyped') ? 2 : 1, u.id);
      if (ls.length === 2) assert.notEqual(ls[0].password, passwordOf(ls[0].user));
    }
    assert.ok(users.some((u) => u.variant?.endsWith('mistyped')) && users.some((u) => !u.variant));
    // Stuffers are mostly wrong, now and then right.
    const st = [...logins('login_stuffing'), ...logins('login_campaign')];
    const right = st.filter(({ c }) => c.password === passwordOf(c.user)).length;
    assert.ok(right > 0 && right / st.length < 0.06, `${right}/${st.length} right`);
  });

  test(`${name}: a partner is one client whose requests leave from several addresses`, () => {
    const trace = generate(sc, seed);
    const partners = trace.clients.filter((x) => x.class === 'partner');
    assert.ok(partners.length > 0);
    for (const p of partners) {
      assert.ok(p.benign);
      const ips = new Set(p.schedule.map((q) => q.sourceIp));
      assert.ok(ips.size >= Math.min(4, sc.classes.partner.addresses[0]), `${p.id}: ${ips.size} addresses`);
      if (sc.classes.partner.networks[0] >= 2) assert.ok(new Set([...ips].map(net24)).size >= 2, `${p.id}: over several /24s`);
      assert.ok([...ips].every((ip) => p.sourceIps.includes(ip)), 'from its pool');
      assert.equal(new Set(p.schedule.map((q) => JSON.stringify(q.key))).size, 1, 'one key');
      assert.ok(p.schedule.every((q) => q.method === 'POST' && q.path === (sc.classes.partner.path ?? sc.api.ingest.path)));
    }
  });
}

test('held-out: at least 10 clients per class, campaigns of at least 100 addresses', () => {
  for (const [, sc] of HELDOUT) {
    for (const seed of sc.seeds) {
      for (const [cls, s] of summary(generate(sc, seed))) {
        assert.ok(s.clients >= (['login_campaign', 'key_spray'].includes(cls) ? 100 : 10), `${sc.name} seed ${seed}: ${cls} has ${s.clients}`);
      }
    }
  }
});

test('heldout3\'s own generator options: id walkers skip ahead, mimics pause to read', () => {
  const trace = generate(heldout3, 31);
  const [lo, hi] = heldout3.classes.scraping.step;
  const idOf = (path) => Number(path.match(/\/(\d+)(?:\/[A-Za-z]*)?$/)?.[1]);
  // Per template, consecutive ids (a walker's normal calls mixed in land anywhere): most
  // steps are within [lo, hi], and some skip ids.
  let steps = 0;
  let within = 0;
  let gaps = 0;
  for (const c of trace.clients.filter((x) => x.variant === 'idwalk')) {
    const byTpl = new Map();
    for (const q of c.schedule) {
      const tpl = q.path.replace(/\d+/g, ':n');
      if (!byTpl.has(tpl)) byTpl.set(tpl, []);
      byTpl.get(tpl).push(idOf(q.path));
    }
    for (const ids of byTpl.values()) {
      for (let i = 1; i < ids.length; i++) {
        if (Number.isNaN(ids[i]) || Number.isNaN(ids[i - 1])) continue;
        const d = ids[i] - ids[i - 1];
        steps++;
        within += d >= lo && d <= hi;
        gaps += d > 1 && d <= hi;
      }
    }
  }
  assert.ok(steps > 50 && within / steps > 0.8, `${within} of ${steps} steps within [${lo}, ${hi}]`);
  assert.ok(gaps > steps / 4, `${gaps} of ${steps} steps skip ids`);
  const longest = Math.max(...trace.clients.filter((x) => x.class === 'mimic')
    .flatMap((c) => c.schedule.slice(1).map((q, i) => q.t - c.schedule[i].t)));
  assert.ok(longest > heldout3.classes.mimic.gapS[1] * 1000, `longest mimic pause ${longest} ms`);
});

test('heldout4\'s own generator options: slow scrapers behind rotating proxies, an app that refreshes', () => {
  const { proxies } = heldout4.classes.slow_scraper;
  const { path, everyS } = heldout4.classes.app_users.refresh;
  for (const seed of heldout4.seeds) {
    const trace = generate(heldout4, seed);
    // Some slow scrapers send from a few exit addresses of their own, one key through all.
    const slow = trace.clients.filter((x) => x.class === 'slow_scraper');
    const proxied = slow.filter((x) => x.variant.endsWith('+proxies'));
    assert.ok(proxied.length > 0 && proxied.length < slow.length, `seed ${seed}: ${proxied.length} of ${slow.length} behind proxies`);
    for (const c of proxied) {
      assert.ok(c.sourceIps.length >= proxies.addresses[0] && c.sourceIps.length <= proxies.addresses[1], c.id);
      assert.equal(c.sourceIp, c.sourceIps[0]);
      assert.ok(c.schedule.every((q) => c.sourceIps.includes(q.sourceIp)), `${c.id}: every request from an exit`);
      if (c.schedule.length >= 15) assert.ok(new Set(c.schedule.map((q) => q.sourceIp)).size >= 2, `${c.id} rotates`);
      assert.equal(new Set(c.schedule.map((q) => JSON.stringify(q.key))).size, 1, `${c.id}: one key`);
    }
    for (const c of slow.filter((x) => !proxied.includes(x))) assert.ok(c.schedule.every((q) => q.sourceIp === undefined));
    // The exits are no one else's.
    const exits = proxied.flatMap((c) => c.sourceIps);
    assert.equal(new Set(exits).size, exits.length);
    const others = trace.clients.filter((x) => !proxied.includes(x));
    assert.ok(others.every((x) => !exits.includes(x.sourceIp) && x.schedule.every((q) => !exits.includes(q.sourceIp))));
    // Some app users' home screens reload on a timer of their own after the login, the
    // others never ask for it (it is no part of the benign route mix).
    const users = trace.clients.filter((x) => x.class === 'app_users');
    const refreshing = users.filter((x) => x.variant?.includes('refresh'));
    assert.ok(refreshing.length > 0 && refreshing.length < users.length);
    let periodic = 0;
    for (const u of users) {
      const ts = u.schedule.filter((q) => q.path === path).map((q) => q.t);
      if (!refreshing.includes(u)) {
        assert.equal(ts.length, 0, u.id);
        continue;
      }
      assert.ok(ts.length >= 1 && ts[0] > u.schedule.findLast((q) => q.body !== undefined).t, `${u.id}: after the login`);
      const gaps = ts.slice(1).map((t, k) => t - ts[k]);
      assert.ok(gaps.every((g) => g >= everyS[0] * 1000 - 60 && g <= everyS[1] * 1000 + 60), `${u.id}: ${gaps}`);
      if (gaps.length >= 2) {
        periodic++;
        assert.ok(Math.max(...gaps) - Math.min(...gaps) <= 110, `${u.id}: one period (${gaps})`);
      }
    }
    assert.ok(periodic >= 5, `seed ${seed}: ${periodic} users refreshed three times or more`);
  }
});

const qKey = (q) => JSON.stringify(q);

test('heldout5\'s own generator options: agents loop over model and tool calls', () => {
  const a = heldout5.classes.steady.agentLoops;
  const tpl = (path) => new RegExp(`^${path.replace(/:[a-z]+/g, '[a-z0-9-]+')}$`);
  const isModel = (q) => q.method === a.model.method && tpl(a.model.path).test(q.path);
  const isTool = (q) => a.tools.some((x) => q.method === x.method && tpl(x.path).test(q.path));
  const plain = withClasses(heldout5, { steady: { agentLoops: undefined } });
  for (const seed of heldout5.seeds) {
    const on = generate(heldout5, seed).clients.filter((x) => x.class === 'steady');
    const off = generate(plain, seed).clients.filter((x) => x.class === 'steady');
    assert.equal(on.length, off.length);
    const agents = on.filter((x) => x.variant === 'agent');
    assert.ok(agents.length > 0 && agents.length < on.length, `seed ${seed}: ${agents.length} agents of ${on.length}`);
    let tasks = 0;
    on.forEach((c, k) => {
      if (c.variant !== 'agent') {
        assert.deepEqual(c, off[k], 'the others are as without the option');
        return;
      }
      // An agent's route mix is the one it has without the option; the rest are its tasks.
      const rest = new Map();
      for (const q of c.schedule) rest.set(qKey(q), (rest.get(qKey(q)) ?? 0) + 1);
      for (const q of off[k].schedule) {
        assert.ok(rest.get(qKey(q)) > 0, `${c.id}: its route mix is kept`);
        rest.set(qKey(q), rest.get(qKey(q)) - 1);
      }
      const extra = c.schedule.filter((q) => rest.get(qKey(q)) > 0 && rest.set(qKey(q), rest.get(qKey(q)) - 1));
      assert.ok(extra.length >= a.turns[0] || c.schedule.at(-1).t > (heldout5.durationS - 10) * 1000, c.id);
      assert.ok(extra.every((q) => isModel(q) || isTool(q)), `${c.id}: model and tool calls only`);
      const keys = new Set(extra.map((q) => q.key.valid));
      assert.ok(keys.size === 1 && !keys.has(undefined), `${c.id}: on its own valid key`);
      // Tasks: runs of requests closer than everyS; inside one, model and tool calls
      // alternate, a model call first and last, modelMs after a model call, toolMs after a tool.
      const runs = [[extra[0]]];
      for (let i = 1; i < extra.length; i++) {
        if (extra[i].t - extra[i - 1].t > a.everyS[0] * 1000) runs.push([]);
        runs.at(-1).push(extra[i]);
      }
      for (const run of runs) {
        const last = run.at(-1).t > (heldout5.durationS - 5) * 1000;
        run.forEach((q, i) => {
          assert.ok(i % 2 === 0 ? isModel(q) : isTool(q), `${c.id}: ${q.method} ${q.path} at ${i}`);
          if (i > 0) {
            const [lo, hi] = i % 2 === 1 ? a.modelMs : a.toolMs;
            const gap = q.t - run[i - 1].t;
            assert.ok(gap >= lo - 1 && gap <= hi + 1, `${c.id}: ${gap} ms`);
          }
        });
        const turns = Math.ceil(run.length / 2);
        assert.ok(turns <= a.turns[1] && (last || (run.length % 2 === 1 && turns >= a.turns[0])), `${c.id}: ${run.length} calls`);
        // A task keeps its records: one path per tool template.
        for (const x of a.tools) assert.ok(new Set(run.filter((q) => q.method === x.method && tpl(x.path).test(q.path)).map((q) => q.path)).size <= 1);
        tasks++;
      }
    });
    assert.ok(tasks >= 10, `seed ${seed}: ${tasks} tasks`);
  }
});

test('heldout5\'s own generator options: batch jobs send through a pool of workers', () => {
  // Per batch job, requests per second inside its bursts: a closed loop of workers is far
  // more regular than Poisson arrivals at a similar rate (variance/mean well under 1).
  const dispersion = (trace) => {
    const out = [];
    for (const c of trace.clients.filter((x) => x.class === 'batch')) {
      const bins = new Map();
      for (const q of c.schedule) {
        if (q.path !== heldout5.api.paths.poll) bins.set(Math.floor(q.t / 1000), (bins.get(Math.floor(q.t / 1000)) ?? 0) + 1);
      }
      const inner = [...bins.keys()].filter((k) => bins.has(k - 1) && bins.has(k + 1)).map((k) => bins.get(k));
      if (inner.length < 10) continue;
      const m = inner.reduce((x, y) => x + y, 0) / inner.length;
      out.push(inner.reduce((x, y) => x + (y - m) ** 2, 0) / (inner.length - 1) / m);
    }
    return out.reduce((x, y) => x + y, 0) / out.length;
  };
  const { workers, latencyMs } = heldout5.classes.batch.closedLoop;
  const rate = [workers[0] * 1000 / latencyMs.median, workers[1] * 1000 / latencyMs.median];
  const poisson = withClasses(heldout5, { batch: { closedLoop: undefined, burstRate: rate } });
  for (const seed of heldout5.seeds) {
    const trace = generate(heldout5, seed);
    const on = dispersion(trace);
    const off = dispersion(generate(poisson, seed));
    assert.ok(on < 0.75 && off > 0.9, `seed ${seed}: ${on.toFixed(2)} with workers, ${off.toFixed(2)} without`);
    // Every burst starts with its workers' first requests within 250 ms of each other.
    for (const c of trace.clients.filter((x) => x.class === 'batch')) {
      const qs = c.schedule.filter((q) => q.path !== heldout5.api.paths.poll);
      const first = qs.filter((q, i) => i === 0 || q.t - qs[i - 1].t > 3000);
      for (const q of first) {
        const n = qs.filter((x) => x.t >= q.t && x.t <= q.t + 250).length;
        assert.ok(n >= Math.min(workers[0], qs.length), `${c.id}: ${n} requests at ${q.t}`);
      }
    }
  }
});

test('heldout5\'s own generator options: stuffed keys resold, guesses in other providers\' formats', () => {
  const { resale } = heldout5.classes.credential_stuffing;
  const { keysPerClient } = heldout5.classes.credential_stuffing;
  const noResale = withClasses(heldout5, { credential_stuffing: { resale: undefined } });
  const noForeign = withClasses(heldout5, { key_guessing: { foreignShare: undefined } });
  const FOREIGN = /^(sk-|sk-proj-|sk-ant-api03-|AIza|gsk_|hf_|xai-|pplx-)[A-Za-z0-9_-]{30,}$/;
  for (const seed of heldout5.seeds) {
    const on = generate(heldout5, seed).clients;
    const stuffers = on.filter((x) => x.class === 'credential_stuffing');
    const plainStuffers = generate(noResale, seed).clients.filter((x) => x.class === 'credential_stuffing');
    let resold = 0;
    stuffers.forEach((c, k) => {
      const p = plainStuffers[k];
      // The same times and the same list of keys; after it, generations on the keys that work.
      assert.deepEqual(c.schedule.map((q) => q.t), p.schedule.map((q) => q.t));
      assert.deepEqual(c.schedule.slice(0, keysPerClient), p.schedule.slice(0, keysPerClient));
      const valid = new Set(c.schedule.slice(0, keysPerClient).filter((q) => q.key.valid !== undefined).map((q) => q.key.valid));
      const after = c.schedule.slice(keysPerClient);
      const gens = after.filter((q) => q.method === 'POST');
      assert.ok(gens.every((q) => q.path === resale.path && q.bytes >= 16 && valid.has(q.key.valid)), c.id);
      assert.ok(after.every((q) => valid.has(q.key.valid)), c.id);
      assert.equal(c.variant, gens.length > 0 ? 'resale' : null);
      assert.ok(p.schedule.every((q) => q.method === 'GET') && p.variant === null, `${p.id} without the option`);
      if (after.length >= 20) assert.ok(gens.length / after.length > resale.share - 0.25, `${c.id}: ${gens.length}/${after.length}`);
      resold += gens.length;
    });
    assert.ok(resold > 100, `seed ${seed}: ${resold} generations on stuffed keys`);

    const guessers = on.filter((x) => x.class === 'key_guessing');
    const plainGuessers = generate(noForeign, seed).clients.filter((x) => x.class === 'key_guessing');
    const keys = guessers.flatMap((c) => c.schedule.map((q) => q.key.made_up));
    const foreign = keys.filter((k) => !k.startsWith('tg_live_'));
    assert.ok(foreign.every((k) => FOREIGN.test(k)), 'other providers\' formats');
    const share = foreign.length / keys.length;
    const { foreignShare } = heldout5.classes.key_guessing;
    assert.ok(Math.abs(share - foreignShare) < 0.1, `seed ${seed}: ${share.toFixed(2)} foreign`);
    assert.ok(new Set(foreign.map((k) => k.match(FOREIGN)[1])).size >= 5, 'several formats');
    guessers.forEach((c, k) => assert.deepEqual(c.schedule.map((q) => q.t), plainGuessers[k].schedule.map((q) => q.t)));
    assert.ok(plainGuessers.every((c) => c.schedule.every((q) => /^tg_live_[A-Za-z0-9]{32}_[A-Za-z0-9]{6}$/.test(q.key.made_up))));
  }
});

test('heldout5: prefixed codes, prompt slugs and numbers keep their shapes, lists their values', () => {
  const trace = generate(heldout5, 51);
  const codes = new Map();
  const slugs = new Set();
  const models = new Set();
  const days = new Set();
  for (const c of trace.clients) {
    for (const q of c.schedule) {
      const p = q.path.split('?')[0];
      let m;
      for (const seg of p.split('/')) {
        if ((m = seg.match(/^(file|ftjob|batch|asst|thread|run|vs)-(.*)$/))) {
          if (!codes.has(m[1])) codes.set(m[1], new Set());
          codes.get(m[1]).add(seg);
        }
      }
      if ((m = p.match(/^\/console\/api\/library\/([^/]+)$/))) slugs.add(m[1]);
      if ((m = p.match(/^\/v1\/models\/([^/]+)$/))) models.add(m[1]);
      if ((m = p.match(/^\/v1\/organization\/usage\/([^/]+)$/))) days.add(m[1]);
    }
  }
  assert.equal(codes.size, 7, [...codes.keys()].join());
  for (const [prefix, segs] of codes) {
    assert.ok(segs.size > 20, `${prefix}: ${segs.size}`);
    for (const seg of segs) {
      assert.match(seg, new RegExp(`^${prefix}-[a-z0-9]{6}$`));
      assert.ok(seg.length <= 14, seg);
      assert.doesNotMatch(seg, /^[0-9a-f]+$/);
    }
  }
  assert.ok(slugs.size > 100, `${slugs.size} slugs`);
  for (const s of slugs) {
    assert.match(s, /^[a-z0-9-]{6,14}$/);
    assert.doesNotMatch(s, /^[0-9]+$/);
    assert.doesNotMatch(s, /^[0-9a-f]+$/);
  }
  assert.ok(models.size > 1 && [...models].every((x) => heldout5.api.params.model.includes(x)));
  assert.ok(days.size > 1 && [...days].every((x) => heldout5.api.params.day.includes(x)));
});

// The requests of `on` that are not in `off` (as multisets), in time order.
const extraOf = (on, off) => {
  const left = new Map();
  for (const q of off) left.set(qKey(q), (left.get(qKey(q)) ?? 0) + 1);
  return on.filter((q) => {
    const n = left.get(qKey(q)) ?? 0;
    if (n > 0) left.set(qKey(q), n - 1);
    return n === 0;
  });
};
// A tile request's z, x, y (template with :tile in it), or null.
const tileAt = (tpl, path) => {
  const re = new RegExp(`^${tpl.replace(/[.]/g, '\\.').replace(/:tile(?![a-z])/, '(\\d+)/(\\d+)/(\\d+)').replace(/:[a-z]+/g, '[a-z0-9-]+')}$`);
  const m = path.match(re);
  return m ? { z: Number(m[1]), x: Number(m[2]), y: Number(m[3]) } : null;
};
// Requests in runs: a new run after a gap of more than `gapMs`.
const runsOf = (qs, gapMs) => {
  const runs = [];
  qs.forEach((q, i) => {
    if (i === 0 || q.t - qs[i - 1].t > gapMs) runs.push([]);
    runs.at(-1).push(q);
  });
  return runs;
};
const span = (ts, f) => Math.max(...ts.map(f)) - Math.min(...ts.map(f)) + 1;

test('heldout6\'s own generator options: maps on screens load blocks of neighbouring tiles', () => {
  const plain = withClasses(heldout6, { steady: { viewport: undefined }, nat: { viewport: undefined }, app_users: { viewport: undefined } });
  for (const seed of [61, 62]) {
    const on = generate(heldout6, seed).clients;
    const off = generate(plain, seed).clients;
    let zooms = 0;
    let pans = 0;
    for (const cls of ['steady', 'nat', 'app_users']) {
      const o = heldout6.classes[cls].viewport;
      const a = on.filter((x) => x.class === cls);
      const b = off.filter((x) => x.class === cls);
      assert.equal(a.length, b.length);
      let viewers = 0;
      a.forEach((c, k) => {
        const extra = extraOf(c.schedule, b[k].schedule);
        assert.equal(c.schedule.length - extra.length, b[k].schedule.length, `${c.id}: its route mix is kept`);
        if (cls !== 'nat') assert.equal(c.variant?.includes('viewport') ?? false, extra.length > 0, c.id);
        if (extra.length === 0) {
          assert.deepEqual(c, b[k], `${c.id}: as without the option`);
          return;
        }
        viewers++;
        const key = JSON.stringify(extra[0].key);
        assert.ok(extra[0].key.valid !== undefined || extra[0].key.app !== undefined, `${c.id}: a valid key`);
        const tiles = extra.map((q) => ({ ...tileAt(o.template, q.path), q }));
        assert.ok(tiles.every((x) => x.z !== undefined && x.q.method === 'GET' && JSON.stringify(x.q.key) === key), `${c.id}: tiles of the template, on one key`);
        assert.equal(new Set(extra.map((q) => q.path)).size, extra.length, `${c.id}: no tile twice (the cache)`);
        // Loads: the tiles of one view, a few ms apart; panS apart from the next.
        const loads = runsOf(tiles.map((x) => ({ ...x, t: x.q.t })), o.tileMs[1] + 1);
        const first = loads[0];
        const cols = span(first, (x) => x.x);
        const rows = span(first, (x) => x.y);
        assert.ok(cols >= o.cols[0] && cols <= o.cols[1] && rows >= o.rows[0] && rows <= o.rows[1], `${c.id}: ${cols} x ${rows}`);
        assert.equal(first.length, cols * rows, `${c.id}: the first view whole`);
        let z = first[0].z;
        for (const load of loads) {
          assert.equal(new Set(load.map((x) => x.z)).size, 1, `${c.id}: one zoom a load`);
          assert.ok(span(load, (x) => x.x) <= cols && span(load, (x) => x.y) <= rows, `${c.id}: inside one view`);
          // (A zoom back to a view the cache holds asks for nothing: two zooms in a row, say.)
          assert.ok(load[0].z >= o.zoom[0] && load[0].z <= o.zoom[1], `${c.id}: zoom ${load[0].z}`);
          if (load[0].z !== z) zooms++;
          else if (load !== first) pans++;
          z = load[0].z;
        }
      });
      assert.ok(viewers > 0 && (cls === 'nat' || viewers < a.length), `seed ${seed}: ${viewers} of ${a.length} ${cls} show a map`);
    }
    assert.ok(zooms >= 10 && pans >= 50, `seed ${seed}: ${zooms} zooms, ${pans} pans`);
  }
});

test('heldout6\'s own generator options: tile cache seeders walk a region row by row', () => {
  const { template, region } = heldout6.classes.etl;
  const plain = withClasses(heldout6, { etl: { region: undefined } });
  const on = generate(heldout6, 61).clients.filter((x) => x.class === 'etl');
  const off = generate(plain, 61).clients.filter((x) => x.class === 'etl');
  let empty = 0;
  on.forEach((c, k) => {
    // The same times, polls and list calls; tiles of the region instead of the next records.
    assert.deepEqual(c.schedule.map((q) => q.t), off[k].schedule.map((q) => q.t));
    c.schedule.forEach((q, i) => {
      if (!tileAt(template, q.path)) assert.deepEqual(q, off[k].schedule[i]);
    });
    const tiles = c.schedule.map((q) => tileAt(template, q.path)).filter(Boolean);
    assert.notDeepEqual(tiles, off[k].schedule.map((q) => tileAt(template, q.path)).filter(Boolean), c.id);
    assert.ok(tiles[0].z >= region.zoom[0] && tiles[0].z <= region.zoom[1], `${c.id}: zoom ${tiles[0].z}`);
    // Rows of cols tiles west to east, each under the last; once the region's rows are done,
    // the same region one zoom deeper (twice as wide and high).
    const rows = [];
    for (const x of tiles) {
      const row = rows.at(-1);
      if (row && row[0].z === x.z && row[0].y === x.y && row.at(-1).x + 1 === x.x) row.push(x);
      else rows.push([x]);
    }
    assert.ok(rows.length >= 10, `${c.id}: ${rows.length} rows`);
    const z0 = rows[0][0].z;
    const cols = rows[0].length;
    assert.ok(cols >= region.cols[0] && cols <= region.cols[1], `${c.id}: ${cols} wide`);
    const top = new Map([[z0, rows[0][0]]]); // each zoom's first tile
    const height = new Map([[z0, 1]]);
    rows.slice(1).forEach((row, j) => {
      const prev = rows[j];
      const { z, x, y } = row[0];
      if (j + 2 < rows.length) assert.equal(row.length, cols * 2 ** (z - z0), `${c.id}: a whole row`);
      if (z === prev[0].z) {
        assert.ok(y === prev[0].y + 1 && x === prev[0].x, `${c.id}: ${z}/${x}/${y} after ${JSON.stringify(prev[0])}`);
        height.set(z, height.get(z) + 1);
      } else {
        assert.equal(z, prev[0].z + 1, c.id);
        assert.deepEqual([x, y], [top.get(z - 1).x * 2, top.get(z - 1).y * 2], `${c.id}: the same region`);
        assert.ok(height.get(z - 1) === height.get(z0) * 2 ** (z - 1 - z0), `${c.id}: every row of zoom ${z - 1}`);
        top.set(z, row[0]);
        height.set(z, 1);
      }
    });
    const h0 = height.get(z0);
    if (height.size > 1) assert.ok(h0 >= region.rows[0] && h0 <= region.rows[1], `${c.id}: ${h0} high`);
    empty += c.schedule.filter((q) => {
      const x = tileAt(template, q.path);
      return x && !tileExists(heldout6.api, `${x.z}/${x.x}/${x.y}`);
    }).length;
  });
  // Every tile in turn: the empty ones too (without the option a sync knows which exist).
  assert.ok(empty > 20, `${empty} empty tiles asked for`);
});

test('heldout6\'s own generator options: id walkers fan out over proxy exits, a few consecutive ids each', () => {
  const { fanout } = heldout6.classes.scraping;
  const check = (seed, mix, plain, whole) => {
    const trace = generate(mix, seed);
    const on = trace.clients.filter((x) => x.class === 'scraping');
    const off = generate(plain, seed).clients.filter((x) => x.class === 'scraping');
    const fanned = on.filter((x) => x.variant === 'idwalk+fanout');
    assert.ok(fanned.length > 0 && fanned.length < on.filter((x) => x.variant.startsWith('idwalk')).length, `seed ${seed}: ${fanned.length} fan out`);
    on.forEach((c, k) => {
      const p = off[k];
      if (c.variant !== 'idwalk+fanout') {
        assert.deepEqual(c.schedule, p.schedule, `${c.id}: as without the option`);
        return;
      }
      assert.equal(p.variant, 'idwalk');
      // The same times and requests, from exits of its own, on one key.
      assert.deepEqual(c.schedule.map((q) => q.t), p.schedule.map((q) => q.t));
      assert.deepEqual(c.schedule.map((q) => q.path).sort(), p.schedule.map((q) => q.path).sort());
      assert.ok(c.sourceIps.length >= fanout.exits[0] && c.sourceIps.length <= fanout.exits[1], c.id);
      assert.equal(c.sourceIp, c.sourceIps[0]);
      assert.ok(c.schedule.every((q) => c.sourceIps.includes(q.sourceIp)), `${c.id}: every request from an exit`);
      assert.equal(new Set(c.schedule.map((q) => JSON.stringify(q.key))).size, 1, `${c.id}: one key`);
      if (!whole) return;
      // Without normal calls, the schedule without the option is the walk in order. Which
      // step of it each request is, and which address sent it:
      const step = new Map(p.schedule.map((q, i) => [q.path, i]));
      assert.equal(step.size, p.schedule.length);
      const at = c.schedule.map((q) => step.get(q.path));
      const by = new Map(c.schedule.map((q) => [step.get(q.path), q.sourceIp]));
      // Workers side by side: never far from the walk's order, but not in it.
      assert.ok(at.every((s, n) => Math.abs(s - n) < fanout.workers[1] * fanout.chunk[1]), c.id);
      if (at.length >= 20) assert.notDeepEqual(at, at.map((_, n) => n), c.id);
      // Steps in a row from one address: a chunk (two if an exit comes up twice running).
      const runs = [];
      for (let s = 0; s < at.length; s++) {
        if (s > 0 && by.get(s) === by.get(s - 1)) runs[runs.length - 1]++;
        else runs.push(1);
      }
      assert.ok(runs.every((n) => n <= 2 * fanout.chunk[1]), `${c.id}: runs of ${runs}`);
      const sorted = [...runs.slice(0, -1)].sort((a, b) => a - b);
      if (sorted.length >= 5) {
        const median = sorted[Math.floor(sorted.length / 2)];
        assert.ok(median >= fanout.chunk[0] && median <= fanout.chunk[1], `${c.id}: runs of ${runs}`);
        assert.ok(new Set(by.values()).size >= 5, `${c.id}: over many exits`);
      }
    });
    // The exits are no one else's.
    const exits = fanned.flatMap((c) => c.sourceIps);
    assert.equal(new Set(exits).size, exits.length);
    const others = trace.clients.filter((x) => !fanned.includes(x));
    assert.ok(others.every((x) => !exits.includes(x.sourceIp) && x.schedule.every((q) => !exits.includes(q.sourceIp))));
  };
  for (const seed of [61, 62]) check(seed, heldout6, withClasses(heldout6, { scraping: { fanout: undefined } }), false);
  check(61, withClasses(heldout6, { scraping: { normalShare: 0 } }), withClasses(heldout6, { scraping: { normalShare: 0, fanout: undefined } }), true);
});

test('heldout6\'s own generator options: mimics sweep tiles a viewport at a time', () => {
  const { sweep } = heldout6.classes.mimic;
  const plain = withClasses(heldout6, { mimic: { sweep: undefined } });
  for (const seed of [61, 62]) {
    const on = generate(heldout6, seed).clients.filter((x) => x.class === 'mimic');
    const off = generate(plain, seed).clients.filter((x) => x.class === 'mimic');
    const sweepers = on.filter((x) => x.variant === 'sweep');
    assert.ok(sweepers.length > 0 && sweepers.length < on.length, `seed ${seed}: ${sweepers.length} of ${on.length} sweep`);
    on.forEach((c, k) => {
      const p = off[k];
      if (c.variant !== 'sweep') {
        assert.deepEqual(c, p, `${c.id}: as without the option`);
        return;
      }
      assert.equal(c.sourceIp, p.sourceIp);
      // Where the mimic without the option asks for its next record, a block of tiles.
      const extra = extraOf(c.schedule, p.schedule);
      const replaced = extraOf(p.schedule, c.schedule);
      assert.ok(replaced.every((q) => /^\/places\/v2\/poi\/\d+$/.test(q.path)), `${c.id}: only the records replaced`);
      const blocks = runsOf(extra, sweep.tileMs[1] + 1);
      assert.deepEqual(blocks.map((b) => b[0].t), replaced.map((q) => q.t).slice(0, blocks.length), `${c.id}: at the records' times`);
      assert.ok(replaced.length - blocks.length <= 1, `${c.id}: the last one may fall after the end`);
      const tiles = blocks.map((b) => b.map((q) => tileAt(sweep.template, q.path)));
      assert.ok(tiles.flat().every(Boolean), `${c.id}: tiles of the template`);
      assert.equal(new Set(extra.map((q) => q.path)).size, extra.length, `${c.id}: no tile twice`);
      const [b0] = tiles;
      const cols = span(b0, (x) => x.x);
      const rows = span(b0, (x) => x.y);
      assert.ok(cols >= sweep.cols[0] && cols <= sweep.cols[1] && rows >= sweep.rows[0] && rows <= sweep.rows[1], c.id);
      assert.ok(b0[0].z >= sweep.zoom[0] && b0[0].z <= sweep.zoom[1], c.id);
      const west = Math.min(...b0.map((x) => x.x));
      let band = 0;
      tiles.forEach((b, j) => {
        assert.ok(b.every((x) => x.z === b0[0].z), `${c.id}: never a zoom`);
        // Whole blocks, but for the last one the phase's end may cut.
        if (b.length < cols * rows && j === tiles.length - 1) return;
        assert.equal(b.length, cols * rows, `${c.id}: whole blocks`);
        if (j === 0) return;
        const prev = tiles[j - 1];
        const [x, y] = [Math.min(...b.map((t) => t.x)), Math.min(...b.map((t) => t.y))];
        const [px, py] = [Math.min(...prev.map((t) => t.x)), Math.min(...prev.map((t) => t.y))];
        // East by one viewport, or the next band: back west, one viewport south.
        if (y === py) assert.equal(x, px + cols, `${c.id}: block ${j}`);
        else {
          assert.deepEqual([x, y], [west, py + rows], `${c.id}: block ${j}`);
          band++;
        }
      });
      if (tiles.length > sweep.band[1]) assert.ok(band >= 1, `${c.id}: ${tiles.length} blocks, one band`);
    });
  }
});

test('heldout6: tiles keep to the pyramid and are mostly there, lists keep their values', () => {
  const trace = generate(heldout6, 61);
  const tpls = ['/tiles/v3/:tileset/:tile.mvt', '/raster/v2/:imagery/:tile.jpg', '/terrain/v1/elevation/:tile.png'];
  const tiles = new Set();
  const coords = new Set();
  const sets = new Set();
  for (const c of trace.clients) {
    for (const q of c.schedule) {
      const p = q.path.split('?')[0];
      for (const tpl of tpls) {
        const x = tileAt(tpl, p);
        if (x) tiles.add(`${x.z}/${x.x}/${x.y}`);
      }
      let m;
      if ((m = p.match(/^\/(?:geocode\/v6\/reverse|places\/v2\/nearby)\/([^/]+)$/))) coords.add(m[1]);
      if ((m = p.match(/^\/tiles\/v3\/([^/]+)\/\d+\/\d+\/\d+\.mvt$/))) sets.add(m[1]);
    }
  }
  assert.ok(tiles.size > 5000, `${tiles.size} tiles`);
  for (const t of tiles) {
    const [z, x, y] = t.split('/').map(Number);
    assert.ok(z <= 16 && x < 2 ** z && y < 2 ** z, t);
  }
  const there = [...tiles].filter((t) => tileExists(heldout6.api, t)).length / tiles.size;
  assert.ok(there > 0.95 && there < 0.99, `${there} of the tiles have data`);
  assert.ok(new Set([...tiles].map((t) => t.split('/')[0])).size >= 6, 'many zooms');
  assert.ok(coords.size > 1 && [...coords].every((x) => heldout6.api.params.coord.includes(x)));
  assert.ok(sets.size > 1 && [...sets].every((x) => heldout6.api.params.tileset.includes(x)));
  assert.equal(tileExists(heldout6.api, '17/0/0'), false, 'beyond the deepest zoom');
  assert.equal(tileExists(heldout6.api, '3/8/0'), false, 'off the map');
  assert.equal(tileExists(heldout6.api, '03/1/1'), false, 'not a number as written');
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('heldout7\'s own generator options: users page through a list in order, as fast as the answers come', () => {
  const plain = withClasses(heldout7, { steady: { paging: undefined }, nat: { paging: undefined } });
  for (const seed of [71, 72]) {
    const on = generate(heldout7, seed).clients;
    const off = generate(plain, seed).clients;
    let runs = 0;
    for (const cls of ['steady', 'nat']) {
      const o = heldout7.classes[cls].paging;
      const a = on.filter((x) => x.class === cls);
      const b = off.filter((x) => x.class === cls);
      assert.equal(a.length, b.length);
      const re = new RegExp(`^(${o.path.replace(/:[a-z]+/g, '[a-z0-9]+')})\\?${o.queryKey}=(\\d+)$`);
      let pagers = 0;
      a.forEach((c, k) => {
        const extra = extraOf(c.schedule, b[k].schedule);
        assert.equal(c.schedule.length - extra.length, b[k].schedule.length, `${c.id}: its route mix is kept`);
        // (A user behind a NAT has its gateway as its variant.)
        if (cls === 'steady') assert.equal(c.variant === 'paging', extra.length > 0, c.id);
        if (extra.length === 0) {
          assert.deepEqual(c, b[k], `${c.id}: as without the option`);
          return;
        }
        pagers++;
        assert.ok(extra[0].key.valid !== undefined, `${c.id}: a valid key`);
        assert.ok(extra.every((q) => q.method === 'GET' && q.bytes === 0 && JSON.stringify(q.key) === JSON.stringify(extra[0].key)), `${c.id}: GETs on one key`);
        const pages = extra.map((q) => {
          const m = q.path.match(re);
          assert.ok(m, `${c.id}: ${q.path}`);
          return { t: q.t, list: m[1], n: Number(m[2]) };
        });
        // Runs: pages 1, 2, ... of one list, each pageMs after the last; everyS between runs.
        const split = [];
        for (const x of pages) {
          if (x.n === 1) split.push([]);
          split.at(-1).push(x);
        }
        split.forEach((run, j) => {
          assert.ok(run.every((x, i) => x.n === i + 1 && x.list === run[0].list), `${c.id}: pages in order`);
          for (let i = 1; i < run.length; i++) {
            const gap = run[i].t - run[i - 1].t;
            assert.ok(gap >= o.pageMs[0] - 1 && gap <= o.pageMs[1] + 1, `${c.id}: ${gap} ms between pages`);
          }
          const cut = run.at(-1).t + o.pageMs[1] >= heldout7.durationS * 1000;
          assert.ok(run.length <= o.pages[1] && (cut || run.length >= o.pages[0]), `${c.id}: ${run.length} pages`);
          if (j > 0) assert.ok(run[0].t - split[j - 1].at(-1).t >= (o.everyS[0] * 1000) + o.pageMs[0] - 1, `${c.id}: runs everyS apart`);
          runs++;
        });
      });
      assert.ok(pagers > 0 && pagers < a.length, `seed ${seed}: ${pagers} of ${a.length} ${cls} page`);
    }
    assert.ok(runs >= 10, `seed ${seed}: ${runs} runs`);
  }
});

test('heldout7\'s own generator options: ETL jobs push contacts of their own, probing first or taking the 409s', () => {
  const { upsert: o } = heldout7.classes.etl;
  const { api } = heldout7;
  const plain = withClasses(heldout7, { etl: { upsert: undefined } });
  const re = new RegExp(`^${o.write.path.replace(/:[a-z]+/, '([a-z0-9]+)')}$`);
  const idOf = (q) => q.path.match(re)?.[1];
  const tally = { probe: 0, upsert: 0, probes: 0, newProbes: 0, writes: 0, conflicts: 0 };
  for (const seed of heldout7.seeds) {
    const on = generate(heldout7, seed).clients.filter((x) => x.class === 'etl');
    const off = generate(plain, seed).clients.filter((x) => x.class === 'etl');
    assert.equal(on.length, off.length);
    on.forEach((c, k) => {
      const p = off[k];
      assert.ok(p.variant === null && p.schedule.every((q) => q.method === 'GET' && !idOf(q)), `${p.id}: no contacts without the option`);
      if (c.variant === null) {
        assert.deepEqual(c, p, `${c.id}: as without the option`);
        return;
      }
      assert.ok(['probe', 'upsert'].includes(c.variant), c.id);
      tally[c.variant]++;
      assert.equal(c.sourceIp, p.sourceIp);
      // Its polls and list calls as without the option; its contacts at the sync requests' times.
      const other = (q) => q.path === api.paths.poll || q.path === api.paths.list;
      assert.deepEqual(c.schedule.filter(other), p.schedule.filter(other), c.id);
      const mine = c.schedule.filter((q) => !other(q));
      assert.ok(mine.every((q) => idOf(q) && JSON.stringify(q.key) === JSON.stringify(p.schedule[0].key)), `${c.id}: contacts only, on its key`);
      const syncTimes = p.schedule.filter((q) => !other(q)).map((q) => q.t);
      const writes = mine.filter((q) => q.method === o.write.method);
      assert.ok(writes.every((q) => q.bytes >= 16), c.id);
      const exists = (q) => slugExists(api, idOf(q));
      if (c.variant === 'upsert') {
        // Every record written blind, at the sync times: the ones there already answer 409.
        assert.deepEqual(mine.map((q) => q.t), syncTimes, c.id);
        assert.equal(writes.length, mine.length);
        tally.writes += writes.length;
        tally.conflicts += writes.filter(exists).length;
      } else {
        // A GET at each sync time; a write only for the records it did not find, afterMs later.
        const gets = mine.filter((q) => q.method === 'GET');
        assert.deepEqual(gets.map((q) => q.t), syncTimes, c.id);
        const missing = gets.filter((q) => !exists(q));
        assert.ok(writes.every((q) => !exists(q)), `${c.id}: writes only new records`);
        const after = new Map(missing.map((q) => [q.path, q.t]));
        for (const w of writes) {
          const d = w.t - after.get(w.path);
          assert.ok(d >= o.afterMs[0] - 1 && d <= o.afterMs[1] + 1, `${c.id}: ${w.path} ${d} ms after its probe`);
        }
        const written = new Set(writes.map((q) => q.path));
        for (const q of missing.filter((x) => !written.has(x.path))) {
          assert.ok(q.t + o.afterMs[1] + 1 > heldout7.durationS * 1000, `${c.id}: ${q.path} never written (only past the end)`);
        }
        tally.probes += gets.length;
        tally.newProbes += missing.length;
      }
      // The job's own ids, each once, in ascending order.
      const ids = (c.variant === 'upsert' ? writes : mine.filter((q) => q.method === 'GET')).map((q) => parseInt(idOf(q), 36));
      assert.ok(ids.every((x, i) => i === 0 || x > ids[i - 1]), `${c.id}: ascending ids`);
    });
  }
  assert.ok(tally.probe > 0 && tally.upsert > 0, JSON.stringify(tally));
  assert.ok(tally.writes > 1000 && Math.abs(tally.conflicts / tally.writes - (1 - o.newShare)) < 0.05, JSON.stringify(tally));
  assert.ok(tally.probes > 1000 && Math.abs(tally.newProbes / tally.probes - o.newShare) < 0.05, JSON.stringify(tally));
});

test('heldout7: UUIDs keep their shape, one per index, about uuidDensity of them there; numbers, codes, days', () => {
  const { api } = heldout7;
  const trace = generate(heldout7, 71);
  const uuids = new Set();
  const days = new Set();
  const accounts = new Set();
  for (const c of trace.clients) {
    for (const q of c.schedule) {
      const p = q.path.split('?')[0];
      let m;
      if ((m = p.match(/^\/2024-11-01\/(?:messages|calls|conversations)\/([^/]+)/)) && m[1] !== 'bulk') uuids.add(m[1]);
      if ((m = p.match(/^\/verify\/v3\/verifications\/([^/]+)\/check$/))) uuids.add(m[1]);
      if ((m = p.match(/\/(?:usage|cdr)\/([^/]+)$/))) days.add(m[1]);
      if ((m = p.match(/^\/2024-11-01\/accounts\/([^/]+)/)) && m[1] !== 'self') accounts.add(m[1]);
    }
  }
  assert.ok(uuids.size > 1000, `${uuids.size} UUIDs`);
  for (const u of uuids) assert.match(u, UUID);
  // Walkers ask for consecutive indexes: distinct UUIDs, about uuidDensity of them there.
  const walked = trace.clients.filter((x) => x.variant?.startsWith('idwalk'))
    .flatMap((x) => x.schedule.map((q) => q.path.match(/^\/2024-11-01\/messages\/([^/]+)$/)?.[1]).filter(Boolean));
  assert.ok(walked.length > 200, `${walked.length} walked`);
  assert.equal(new Set(walked).size, walked.length, 'one UUID per index');
  const there = walked.filter((u) => uuidExists(api, u)).length / walked.length;
  assert.ok(Math.abs(there - api.uuidDensity) < 0.06, `${there} of the walked UUIDs there`);
  const u = [...uuids].find((x) => uuidExists(api, x));
  assert.equal(uuidExists(api, u.toUpperCase()), false, 'lowercase only');
  assert.equal(uuidExists(api, u.replace(/-/g, '')), false, 'with its dashes');
  assert.equal(uuidExists(api, `${u.slice(0, 14)}1${u.slice(15)}`), false, 'version 4 only');
  assert.equal(uuidExists({ ...api, uuidDensity: 0 }, u), false);
  assert.ok(days.size > 1 && [...days].every((x) => api.params.day.includes(x)));
  assert.ok(accounts.size > 50 && [...accounts].every((x) => /^[a-z0-9]{6}$/.test(x) && /[a-z]/.test(x)));
});


test('heldout8\'s own generator option: fare caches and fare harvesters walk a grid of lists in odometer order', () => {
  const { api } = heldout8;
  const plain = withClasses(heldout8, { etl: { grid: undefined }, slow_scraper: { grid: undefined } });
  const tally = { etl: 0, slow: 0, etlAll: 0, slowAll: 0, steps: 0 };
  for (const cls of ['etl', 'slow_scraper']) {
    const { template } = heldout8.classes[cls].grid;
    const names = [...template.matchAll(/:([a-z]+)/g)].map((m) => m[1]);
    assert.ok(names.length >= 2 && names.every((n) => Array.isArray(api.params[n])), template);
    const re = new RegExp(`^${template.replace(/:[a-z]+/g, '([^/?]+)')}$`);
    const total = names.reduce((x, n) => x * api.params[n].length, 1);
    // A path's place in the grid: the last list turning fastest.
    const indexOf = (path) => names.reduce((k, n, j) => {
      const v = api.params[n].indexOf(path.match(re)[j + 1]);
      assert.ok(v >= 0, `${path}: ${n}`);
      return k * api.params[n].length + v;
    }, 0);
    for (const seed of heldout8.seeds) {
      const on = generate(heldout8, seed).clients.filter((x) => x.class === cls);
      const off = generate(plain, seed).clients.filter((x) => x.class === cls);
      assert.equal(on.length, off.length);
      on.forEach((c, k) => {
        const p = off[k];
        assert.ok(p.schedule.every((q) => !re.test(q.path)), `${p.id}: no grid without the option`);
        assert.ok(!p.variant?.startsWith('grid'), p.id);
        if (!c.variant?.startsWith('grid')) {
          assert.deepEqual(c, p, `${c.id}: as without the option`);
          return;
        }
        tally[cls === 'etl' ? 'etl' : 'slow']++;
        assert.equal(c.sourceIp, p.sourceIp);
        assert.equal(c.ua, p.ua);
        assert.equal(c.schedule.length, p.schedule.length);
        // The times, the exits, the keys, the polls and list calls as without the option; the
        // grid where the others asked for their next record.
        const other = (q) => q.path === api.paths.poll || q.path === api.paths.list;
        c.schedule.forEach((q, n) => {
          const o = p.schedule[n];
          assert.equal(q.t, o.t, c.id);
          assert.equal(q.sourceIp, o.sourceIp, c.id);
          assert.deepEqual(q.key, o.key, c.id);
          if (other(o)) assert.deepEqual(q, o, c.id);
          else assert.ok(q.method === 'GET' && re.test(q.path), `${c.id}: ${q.path}`);
        });
        if (cls === 'slow_scraper') assert.equal(c.variant.endsWith('+proxies'), p.variant.endsWith('+proxies'), c.id);
        else assert.equal(p.variant, null, `${p.id}: a record walker without the option`);
        // Each request the next combination, wrapping round at the last: every sync of a job
        // resumes where the last one stopped.
        const ks = c.schedule.filter((q) => !other(q)).map((q) => indexOf(q.path));
        assert.ok(ks.length > 0, c.id);
        for (let i = 1; i < ks.length; i++) assert.equal(ks[i], (ks[i - 1] + 1) % total, `${c.id}: step ${i}`);
        tally.steps += ks.length;
      });
      tally[cls === 'etl' ? 'etlAll' : 'slowAll'] += on.length;
    }
  }
  assert.ok(tally.etl > 0 && tally.etl < tally.etlAll, JSON.stringify(tally));
  assert.ok(tally.slow > 0 && tally.slow < tally.slowAll, JSON.stringify(tally));
  assert.ok(tally.steps > 5000, JSON.stringify(tally));
});

test('heldout8: record locators, offers, members, lists keep their shapes and values', () => {
  const { api } = heldout8;
  const trace = generate(heldout8, 81);
  const pnrs = new Set();
  const offers = new Set();
  const members = new Set();
  const lists = { market: new Set(), day: new Set(), cabin: new Set(), flight: new Set(), date: new Set(), pax: new Set() };
  // (Scrapers walk indexes, not records, and enumerate paths: not theirs.)
  for (const c of trace.clients.filter((x) => x.class !== 'scraping')) {
    for (const q of c.schedule) {
      const p = q.path.split('?')[0];
      let m;
      if ((m = p.match(/^\/(?:orders|checkin)\/v1\/orders\/([^/]+)/))) pnrs.add(m[1]);
      if ((m = p.match(/^\/offers\/v2\/offers\/([^/]+)/))) offers.add(m[1]);
      if ((m = p.match(/^\/loyalty\/v1\/members\/([^/]+)/))) members.add(m[1]);
      if ((m = p.match(/^\/shop\/v3\/lowfares\/([^/]+)\/([^/]+)\/([^/]+)$/))) [lists.market, lists.day, lists.cabin].forEach((x, j) => x.add(m[j + 1]));
      if ((m = p.match(/^\/ops\/v1\/flights\/([^/]+)\/([^/]+)$/))) [lists.flight, lists.date].forEach((x, j) => x.add(m[j + 1]));
      if ((m = p.match(/\/(?:passengers|boarding-passes)\/([^/]+)/))) lists.pax.add(m[1]);
    }
  }
  assert.ok(pnrs.size > 500 && offers.size > 200 && members.size > 500, `${pnrs.size} ${offers.size} ${members.size}`);
  for (const s of pnrs) assert.ok(/^[a-z0-9]{6}$/.test(s) && /[a-z]/.test(s) && !/^[0-9a-f]+$/.test(s), s);
  for (const u of offers) assert.match(u, UUID);
  // Nine digits; a number that was never issued (a stale one) may have ten.
  for (const n of members) assert.ok(/^[1-9]\d{0,9}$/.test(n), n);
  for (const [name, seen] of Object.entries(lists)) {
    assert.ok(seen.size > 1 && [...seen].every((x) => api.params[name].includes(x)), `${name}: ${[...seen]}`);
  }
  assert.equal(lists.market.size, api.params.market.length, 'every market asked for');
});

test('heldout9\'s own generator option: live feed clients poll the live slate on a timer, each match and poll in turn', () => {
  const { api } = heldout9;
  const D = heldout9.durationS * 1000;
  const plain = withClasses(heldout9, { steady: { live: undefined }, nat: { live: undefined }, slow_scraper: { live: undefined } });
  const polls = heldout9.classes.steady.live.polls;
  // A poll's template as a pattern, with its record and its lists captured.
  const pollRe = polls.map((x) => new RegExp(`^${x.path.replace(/:([a-z]+)/g, (_, n) => (Array.isArray(api.params[n]) ? `(${api.params[n].join('|')})` : '(\\d+)'))}$`));
  const pollOf = (path) => pollRe.findIndex((re) => re.test(path.split('?')[0]));
  const matchOf = (path) => path.split('?')[0].match(pollRe[pollOf(path)])[1];
  const tally = { steady: 0, nat: 0, slow: 0, steadyAll: 0, slowAll: 0, advanced: 0, polls: 0, cycled: 0 };
  for (const seed of heldout9.seeds) {
    const on = generate(heldout9, seed).clients;
    const off = generate(plain, seed).clients;
    assert.equal(on.length, off.length);
    const followed = { steady: new Map(), slow_scraper: new Map() };
    on.forEach((c, k) => {
      const p = off[k];
      assert.equal(c.id, p.id);
      const extra = extraOf(c.schedule, p.schedule);
      if (!['steady', 'nat', 'slow_scraper'].includes(c.class) || extra.length === 0) {
        assert.deepEqual(c, p, `${c.id}: as without the option`);
        return;
      }
      // The client without the option, plus its polls; its address, User-Agent and variant but
      // for '+live' (a NAT user's variant is its gateway).
      assert.equal(extraOf(p.schedule, c.schedule).length, 0, `${c.id}: its own traffic is kept`);
      assert.equal(c.schedule.length, p.schedule.length + extra.length);
      assert.equal(c.sourceIp, p.sourceIp);
      assert.equal(c.ua, p.ua);
      if (c.class === 'nat') assert.equal(c.variant, p.variant);
      else {
        assert.ok(c.variant === 'live' || c.variant.includes('live'), `${c.id}: ${c.variant}`);
        assert.equal(c.variant.replace(/^live\+?|\+live/, '') || null, p.variant, c.id);
      }
      if (p.variant) assert.ok(!p.variant.includes('live'), p.id);
      tally[c.class === 'slow_scraper' ? 'slow' : c.class]++;
      // GETs of the polls, on the client's key, within the phase; from its exits, if it has any.
      const keys = new Set(p.schedule.map((q) => JSON.stringify(q.key)));
      for (const q of extra) {
        assert.ok(q.method === 'GET' && q.bytes === 0 && pollOf(q.path) >= 0, `${c.id}: ${q.path}`);
        assert.ok(q.t <= D);
        assert.ok(keys.has(JSON.stringify(q.key)) && q.key.valid !== undefined, `${c.id}: its own key`);
        if (c.sourceIps && c.class === 'slow_scraper') assert.ok(c.sourceIps.includes(q.sourceIp), `${c.id}: from an exit`);
        else assert.equal(q.sourceIp, undefined, c.id);
      }
      // One request a period (within 2% of it), each (match, poll) pair in turn: every match's
      // polls in the order given, the cycle repeating.
      const gaps = extra.slice(1).map((q, i) => q.t - extra[i].t);
      if (gaps.length >= 2) {
        const [lo, hi] = heldout9.classes[c.class].live.everyMs;
        assert.ok(Math.min(...gaps) >= lo * 0.98 - 1 && Math.max(...gaps) <= hi * 1.02 + 1, `${c.id}: ${gaps}`);
        assert.ok(Math.max(...gaps) <= Math.min(...gaps) * 1.045 + 2, `${c.id}: one period (${Math.min(...gaps)}-${Math.max(...gaps)})`);
      }
      // (A client following many matches slowly may not finish its first cycle.)
      const bare = extra.map((q) => q.path.split('?')[0]);
      const cycle = bare.findIndex((x, i) => bare.indexOf(x) < i);
      if (cycle >= 0) assert.equal(cycle % polls.length, 0, `${c.id}: every poll of each match`);
      bare.forEach((x, i) => {
        assert.equal(pollOf(x), i % polls.length, `${c.id}: poll ${i}`);
        if (cycle >= 0 && i >= cycle) assert.equal(x, bare[i - cycle], `${c.id}: the cycle repeats`);
      });
      tally.cycled += cycle >= 0;
      const matches = new Set(bare.map(matchOf));
      const { follow, slate } = heldout9.classes[c.class].live;
      assert.ok(matches.size <= Math.min(follow[1], slate) && (extra.length < follow[0] * polls.length || matches.size >= follow[0]), `${c.id}: ${matches.size} matches`);
      for (const m of matches) {
        const f = followed[c.class === 'slow_scraper' ? 'slow_scraper' : 'steady'];
        f.set(m, (f.get(m) ?? 0) + 1);
      }
      // The events after a cursor that moves on by one now and then.
      const cursors = new Map();
      for (const q of extra) {
        const since = q.path.match(/\?since=(\d+)$/);
        assert.equal(!!since, polls[pollOf(q.path)].cursorKey === 'since', q.path);
        if (!since) continue;
        const m = matchOf(q.path);
        const n = Number(since[1]);
        if (cursors.has(m)) {
          assert.ok(n - cursors.get(m) === 0 || n - cursors.get(m) === 1, `${c.id}: ${cursors.get(m)} then ${n}`);
          tally.advanced += n - cursors.get(m);
        }
        cursors.set(m, n);
      }
      tally.polls += extra.length;
    });
    // Everyone follows the same live slate: a few matches, each by several clients; the
    // feed mirrors follow a slate of their own size that holds the others'.
    const steadyMatches = [...followed.steady.keys()];
    const slowMatches = [...followed.slow_scraper.keys()];
    assert.ok(steadyMatches.length <= heldout9.classes.steady.live.slate, `seed ${seed}: ${steadyMatches.length} matches`);
    assert.ok(slowMatches.length <= heldout9.classes.slow_scraper.live.slate, `seed ${seed}: ${slowMatches.length} matches`);
    assert.ok(Math.max(...followed.steady.values()) >= 3, `seed ${seed}: a match followed by several clients`);
    assert.ok(steadyMatches.filter((m) => followed.slow_scraper.has(m)).length >= steadyMatches.length / 2, `seed ${seed}: the same slate`);
    for (const m of [...steadyMatches, ...slowMatches]) assert.ok(idExists(api, Number(m)), m);
    tally.steadyAll += on.filter((x) => x.class === 'steady').length;
    tally.slowAll += on.filter((x) => x.class === 'slow_scraper').length;
  }
  assert.ok(tally.steady > 0 && tally.steady < tally.steadyAll, JSON.stringify(tally));
  assert.ok(tally.slow > 0 && tally.slow < tally.slowAll, JSON.stringify(tally));
  assert.ok(tally.nat > 0 && tally.polls > 3000 && tally.advanced > 100 && tally.cycled > 20, JSON.stringify(tally));
});

test('heldout9: match numbers, players, teams, clips, subscriptions, lists keep their shapes and values', () => {
  const { api } = heldout9;
  const trace = generate(heldout9, 91);
  const matches = new Set();
  const players = new Set();
  const codes = new Set();
  const clips = new Set();
  const lists = { competition: new Set(), season: new Set(), round: new Set(), market: new Set() };
  // (Scrapers walk indexes, not records, and enumerate paths: not theirs.)
  for (const c of trace.clients.filter((x) => x.class !== 'scraping')) {
    for (const q of c.schedule) {
      const p = q.path.split('?')[0];
      let m;
      if ((m = p.match(/^\/(?:stats\/v5|live\/v2|odds\/v3)\/matches\/([^/]+)/))) matches.add(m[1]);
      if ((m = p.match(/^\/stats\/v5\/players\/([^/]+)(?:\/seasons\/([^/]+))?$/))) {
        players.add(m[1]);
        if (m[2]) lists.season.add(m[2]);
      }
      if ((m = p.match(/^\/(?:stats\/v5\/teams|alerts\/v1\/subscriptions|fantasy\/v2\/entries)\/([^/]+)/))) codes.add(m[1]);
      if ((m = p.match(/^\/media\/v1\/clips\/([^/]+)/))) clips.add(m[1]);
      if ((m = p.match(/^\/stats\/v5\/competitions\/([^/]+)\/seasons\/([^/]+)(?:\/rounds\/([^/]+))?/))) {
        lists.competition.add(m[1]);
        lists.season.add(m[2]);
        if (m[3]) lists.round.add(m[3]);
      }
      if ((m = p.match(/^\/odds\/v3\/matches\/[^/]+\/markets\/([^/]+)$/))) lists.market.add(m[1]);
    }
  }
  assert.ok(matches.size > 1000 && players.size > 200 && codes.size > 300 && clips.size > 50, `${matches.size} ${players.size} ${codes.size} ${clips.size}`);
  // Up to eight digits; a number that was never a match (a stale one) may have nine.
  for (const n of matches) assert.ok(/^[1-9]\d{0,8}$/.test(n), n);
  for (const s of players) assert.ok(/^[a-z]+-[a-z]+-\d{4}$/.test(s) && s.length <= 14, s);
  for (const s of codes) assert.ok(/^[a-z0-9]{6}$/.test(s) && /[a-z]/.test(s) && !/^[0-9a-f]+$/.test(s), s);
  for (const u of clips) assert.match(u, UUID);
  for (const [name, seen] of Object.entries(lists)) {
    assert.ok(seen.size > 1 && [...seen].every((x) => api.params[name].includes(x)), `${name}: ${[...seen]}`);
  }
  assert.equal(lists.market.size, api.params.market.length, 'every market asked for');
  // Dense match numbers, sparse players: most of the honest clients' matches are there.
  const honest = trace.clients.filter((x) => x.benign).flatMap((x) => x.schedule.map((q) => q.path.match(/^\/stats\/v5\/matches\/(\d+)$/)?.[1]).filter(Boolean));
  assert.ok(honest.filter((n) => idExists(api, Number(n))).length / honest.length > 0.9);
  const made = Array.from({ length: 3000 }, (_, i) => `teal-hat-${1000 + i}`);
  const share = made.filter((x) => slugExists(api, x)).length / made.length;
  assert.ok(share > 0.28 && share < 0.4, `${share}`);
});

test('heldout10\'s own generator option: signers open a document, the viewer loads its pages in order, then they sign', () => {
  const { api } = heldout10;
  const o = heldout10.classes.app_users.ceremony;
  const D = heldout10.durationS * 1000;
  const plain = withClasses(heldout10, { app_users: { ceremony: undefined } });
  // The three templates as patterns, their placeholders captured in order.
  const tplRe = (tpl) => new RegExp(`^${tpl.replace(/[.]/g, '\\.').replace(/:[a-z]+/g, '([^/]+)')}$`);
  const [openRe, pageRe, signRe] = [o.open, o.page, o.sign.path].map(tplRe);
  const ours = (q) => openRe.test(q.path) || pageRe.test(q.path) || signRe.test(q.path);
  const tally = { signers: 0, users: 0, pages: 0, signed: 0, carrier: 0, mistyped: 0, longest: 0 };
  for (const seed of heldout10.seeds) {
    const on = generate(heldout10, seed).clients;
    const off = generate(plain, seed).clients;
    assert.equal(on.length, off.length);
    on.forEach((c, k) => {
      const p = off[k];
      assert.equal(c.id, p.id);
      assert.ok(p.schedule.every((q) => !ours(q)), `${p.id}: no signing without the option`);
      assert.ok(!p.variant?.includes('signing'), p.id);
      if (c.class === 'app_users') tally.users++;
      if (c.class !== 'app_users' || !c.variant?.includes('signing')) {
        assert.deepEqual(c, p, `${c.id}: as without the option`);
        return;
      }
      tally.signers++;
      // The user without the option, plus its signing session; its address, User-Agent and
      // variant but for 'signing' (after 'viewport', before 'mistyped').
      const extra = extraOf(c.schedule, p.schedule);
      assert.equal(extraOf(p.schedule, c.schedule).length, 0, `${c.id}: its own traffic is kept`);
      assert.equal(c.schedule.length, p.schedule.length + extra.length);
      assert.equal(c.sourceIp, p.sourceIp);
      assert.equal(c.ua, p.ua);
      assert.equal(c.variant.split('+').filter((x) => x !== 'signing').join('+') || null, p.variant, c.id);
      assert.match(c.variant, /^(carrier-nat\+)?(refresh\+)?signing(\+mistyped)?$/, c.id);
      tally.carrier += c.variant.startsWith('carrier-nat');
      tally.mistyped += c.variant.endsWith('mistyped');
      assert.ok(extra.length > 0 && extra.every(ours), `${c.id}: only the session`);
      assert.ok(extra.every((q) => JSON.stringify(q.key) === JSON.stringify({ app: 0 }) && q.t <= D), `${c.id}: on the app key, in the phase`);
      // After the sign-in's think time: the document opened, then pages 1, 2, ... in order,
      // pageMs apart, then (unless the session ended first) the signature readS later.
      const login = c.schedule.findLast((q) => q.body !== undefined);
      const [first, ...rest] = extra;
      assert.ok(first.method === 'GET' && openRe.test(first.path) && first.bytes === 0, `${c.id}: ${first.path}`);
      assert.ok(first.t >= login.t + heldout10.classes.app_users.thinkS[0] * 1000 - 1, `${c.id}: after the sign-in`);
      const sign = rest.at(-1) && signRe.test(rest.at(-1).path) ? rest.at(-1) : null;
      const pages = sign ? rest.slice(0, -1) : rest;
      pages.forEach((q, n) => {
        const m = q.path.match(pageRe);
        assert.ok(q.method === 'GET' && m && q.bytes === 0, `${c.id}: ${q.path}`);
        assert.equal(m.at(-1), String(n + 1), `${c.id}: page ${n + 1} in order`);
        const gap = q.t - (n === 0 ? first.t : pages[n - 1].t);
        assert.ok(gap >= o.pageMs[0] - 1 && gap <= o.pageMs[1] + 1, `${c.id}: ${gap} ms before page ${n + 1}`);
      });
      assert.ok(pages.length <= o.pages[1], `${c.id}: ${pages.length} pages`);
      if (sign) {
        assert.ok(pages.length >= o.pages[0], `${c.id}: ${pages.length} pages before signing`);
        assert.ok(sign.method === o.sign.method && sign.bytes >= 16 && sign.body === undefined, `${c.id}: the signature`);
        const gap = sign.t - (pages.at(-1)?.t ?? first.t);
        assert.ok(gap >= o.readS[0] * 1000 - 1 && gap <= o.readS[1] * 1000 + 1, `${c.id}: signed ${gap} ms after the last page`);
        tally.signed++;
      }
      // One envelope (one the API has) and one document of its list throughout.
      const env = new Set(extra.map((q) => q.path.match(openRe) ?? q.path.match(pageRe) ?? q.path.match(signRe)).map((m) => m[1]));
      assert.equal(env.size, 1, `${c.id}: one envelope`);
      assert.ok(uuidExists(api, [...env][0]), `${c.id}: an envelope the API has`);
      const docs = new Set(pages.map((q) => q.path.match(pageRe)[2]));
      assert.ok(docs.size <= 1 && [...docs].every((x) => api.params.doc.includes(x)), `${c.id}: one document`);
      tally.pages += pages.length;
      tally.longest = Math.max(tally.longest, pages.length);
    });
  }
  assert.ok(tally.signers > 0 && tally.signers < tally.users, JSON.stringify(tally));
  assert.ok(tally.signed > 50 && tally.pages > 1500 && tally.longest >= 20, JSON.stringify(tally));
  assert.ok(tally.carrier > 0 && tally.mistyped > 0, JSON.stringify(tally));
});

test('heldout10: envelopes, agreements, templates, codes, pages, forms keep their shapes and values', () => {
  const { api } = heldout10;
  const trace = generate(heldout10, 101);
  const envelopes = new Set();
  const agreements = new Set();
  const templates = new Set();
  const codes = new Set();
  const lists = { doc: new Set(), page: new Set(), form: new Set(), locale: new Set() };
  // (Scrapers walk indexes, not records, and enumerate paths: not theirs.)
  for (const c of trace.clients.filter((x) => x.class !== 'scraping')) {
    for (const q of c.schedule) {
      const p = q.path.split('?')[0];
      let m;
      if ((m = p.match(/^\/(?:esign\/v3|app\/v9)\/envelopes\/([^/]+)/))) envelopes.add(m[1]);
      if ((m = p.match(/^\/clm\/v2\/agreements\/([^/]+)/)) && m[1] !== 'search') agreements.add(m[1]);
      if ((m = p.match(/^\/esign\/v3\/templates\/([^/]+)/))) templates.add(m[1]);
      if ((m = p.match(/^\/(?:verify\/v1\/documents|directory\/v1\/signers|app\/v9\/signers)\/([^/]+)/))) codes.add(m[1]);
      if ((m = p.match(/\/documents\/([^/]+)(?:\/pages\/([^/]+)\.png)?$/)) && !p.startsWith('/verify/')) {
        lists.doc.add(m[1]);
        if (m[2]) lists.page.add(m[2]);
      }
      if ((m = p.match(/^\/forms\/v1\/library\/([^/]+)\/([^/]+)$/))) [lists.form, lists.locale].forEach((x, j) => x.add(m[j + 1]));
    }
  }
  assert.ok(envelopes.size > 1000 && agreements.size > 1000 && templates.size > 100 && codes.size > 300,
    `${envelopes.size} ${agreements.size} ${templates.size} ${codes.size}`);
  for (const u of envelopes) assert.match(u, UUID);
  // Seven digits at most (a number never issued, a stale one, too).
  for (const n of agreements) assert.ok(/^[1-9]\d{0,6}$/.test(n), n);
  for (const s of templates) assert.ok(/^[a-z]+-[a-z]+-\d{4}$/.test(s) && s.length <= 14, s);
  for (const s of codes) assert.ok(/^[a-z0-9]{6}$/.test(s) && /[a-z]/.test(s) && !/^[0-9a-f]+$/.test(s), s);
  for (const [name, seen] of Object.entries(lists)) {
    assert.ok(seen.size > 1 && [...seen].every((x) => api.params[name].includes(x)), `${name}: ${[...seen]}`);
  }
  assert.equal(lists.form.size, api.params.form.length, 'every form asked for');
  assert.ok(lists.page.has('1') && lists.page.size >= 20, `${lists.page.size} page numbers`);
  // Dense agreements: most of the honest clients' agreements are there.
  const honest = trace.clients.filter((x) => x.benign).flatMap((x) => x.schedule.map((q) => q.path.match(/^\/clm\/v2\/agreements\/(\d+)(?:\/[a-z]+)?$/)?.[1]).filter(Boolean));
  assert.ok(honest.length > 1000 && honest.filter((n) => idExists(api, Number(n))).length / honest.length > 0.9);
  const made = Array.from({ length: 3000 }, (_, i) => `mint-cup-${1000 + i}`);
  const share = made.filter((x) => slugExists(api, x)).length / made.length;
  assert.ok(share > 0.34 && share < 0.46, `${share}`);
  // Honest bodies are large (documents inlined), the oversized ones larger still, all under
  // the tenant's body limit.
  const bytes = (benign) => trace.clients.filter((x) => x.benign === benign && x.class !== 'partner').flatMap((x) => x.schedule.map((q) => q.bytes));
  assert.ok(bytes(true).filter((b) => b > 100000).length > 20, 'honest envelopes of over 100 KB');
  assert.ok(Math.max(...bytes(true), ...bytes(false)) < 1000000);
});

// A mix's seeds and training seeds no other mix has, address bounds no other mix uses, its
// host and network pools disjoint and clear of 127.0 and 127.255. Returns the other mixes and
// the pools for the checks of its own.
function ownSeedsAndBounds(name, mix) {
  const others = SCENARIOS.filter(([n]) => n !== name).map(([, sc]) => sc);
  const theirSeeds = new Set(others.flatMap((sc) => sc.seeds.flatMap((s) => [s, s + sc.trainingSeedOffset])));
  for (const s of mix.seeds) {
    assert.ok(!theirSeeds.has(s), `seed ${s}`);
    assert.ok(!theirSeeds.has(s + mix.trainingSeedOffset), `training seed ${s + mix.trainingSeedOffset}`);
  }
  const pools = (sc) => ({ hosts: [16, 99], networks: [100, 199], ...sc.addressPools });
  const theirBounds = new Set(others.flatMap((sc) => [...pools(sc).hosts, ...pools(sc).networks]));
  const { hosts, networks } = mix.addressPools;
  for (const b of [...hosts, ...networks]) assert.ok(!theirBounds.has(b), `bound ${b} is another mix's`);
  assert.ok(hosts[0] <= hosts[1] && networks[0] <= networks[1]);
  assert.ok(hosts[1] < networks[0] || networks[1] < hosts[0], 'hosts and networks disjoint');
  // 127.0 is left alone (the upstream listens on 127.0.0.1), and so is 127.255.
  assert.ok(Math.min(...hosts, ...networks) >= 1 && Math.max(...hosts, ...networks) <= 254);
  return { others, pools, hosts, networks };
}

test('heldout11: seeds, training seeds and address bounds no other mix has, its two pools disjoint', () => {
  const { others } = ownSeedsAndBounds('heldout11', heldout11);
  // No other mix sets the option of its own.
  for (const sc of others) assert.equal(sc.classes.etl?.media, undefined, sc.name);
});

test('heldout11\'s own generator option: syndicators sync each listing with its photos 1..n in order', () => {
  const { api } = heldout11;
  const p11 = heldout11.classes.etl;
  const o = p11.media;
  const plain = withClasses(heldout11, { etl: { media: undefined } });
  const tplRe = (tpl) => new RegExp(`^${tpl.replace(/[.()$]/g, '\\$&').replace(/:[a-z]+/g, '([^/]+?)')}$`);
  const recRe = tplRe(p11.template);
  const photoRe = tplRe(o.template);
  const other = (q) => q.path === api.paths.poll || q.path === api.paths.list;
  const tally = { jobs: 0, etl: 0, records: 0, stale: 0, photos: 0, longest: 0, cut: 0 };
  for (const seed of heldout11.seeds) {
    const on = generate(heldout11, seed).clients;
    const off = generate(plain, seed).clients;
    assert.equal(on.length, off.length);
    on.forEach((c, k) => {
      const p = off[k];
      assert.equal(c.id, p.id);
      // (Photos are in the route mix too; no ETL job asks for them without the option.)
      assert.ok(p.variant !== 'media', p.id);
      if (c.class === 'etl') {
        assert.ok(p.schedule.every((q) => !photoRe.test(q.path)), `${p.id}: no photos without the option`);
        tally.etl++;
      }
      if (c.variant !== 'media') {
        assert.deepEqual(c, p, `${c.id}: as without the option`);
        return;
      }
      tally.jobs++;
      assert.equal(c.class, 'etl');
      assert.equal(p.variant, null, `${c.id}: a plain walker without the option`);
      assert.equal(c.sourceIp, p.sourceIp);
      assert.equal(c.ua, p.ua);
      // Its polls and list calls as without the option; its stream at the sync requests' times.
      assert.deepEqual(c.schedule.filter(other), p.schedule.filter(other), c.id);
      const mine = c.schedule.filter((q) => !other(q));
      const theirs = p.schedule.filter((q) => !other(q));
      assert.deepEqual(mine.map((q) => q.t), theirs.map((q) => q.t), `${c.id}: the sync's times`);
      const key = JSON.stringify(p.schedule[0].key);
      assert.ok(mine.every((q) => q.method === 'GET' && q.bytes === 0 && JSON.stringify(q.key) === key), `${c.id}: GETs on its key`);
      // Cut into syncs at the list calls.
      const lists = c.schedule.filter((q) => q.path === api.paths.list).map((q) => q.t);
      const syncOf = (q) => lists.filter((t) => t <= q.t).length;
      for (let s = 1; s <= lists.length; s++) {
        const qs = mine.filter((q) => syncOf(q) === s);
        const ref = theirs.filter((q) => syncOf(q) === s);
        if (qs.length === 0) continue;
        // A sync starts with a record, where the walk without the option starts.
        const m0 = qs[0].path.match(recRe);
        assert.ok(m0, `${c.id}: sync ${s} starts with a record, not ${qs[0].path}`);
        const first = ref[0].path.match(recRe);
        if (idExists(api, Number(m0[1])) && idExists(api, Number(first[1]))) assert.equal(qs[0].path, ref[0].path, `${c.id}: sync ${s} starts where the walk does`);
        let rec = null; // the record whose photos come next, and how many came
        let n = 0;
        let last = null; // the last existing record of this sync
        const close = (cut) => {
          if (rec === null) return;
          assert.ok(n <= o.photos[1], `${c.id}: ${n} photos`);
          if (!cut) assert.ok(n >= o.photos[0], `${c.id}: ${rec} had ${n} photos before the next record`);
          else if (n < o.photos[0]) tally.cut++;
          tally.longest = Math.max(tally.longest, n);
        };
        for (const q of qs) {
          const r = q.path.match(recRe);
          const f = q.path.match(photoRe);
          assert.ok(r || f, `${c.id}: ${q.path}`);
          if (r) {
            close(false);
            const id = Number(r[1]);
            tally.records++;
            if (!idExists(api, id)) {
              // A listing gone since: 404, no photos.
              tally.stale++;
              rec = null;
              continue;
            }
            // The next existing listing after the last one: ascending, none skipped but the
            // ones the stale requests stood for (a few).
            if (last !== null) {
              assert.ok(id > last, `${c.id}: ${id} after ${last}`);
              let between = 0;
              for (let j = last + 1; j < id; j++) between += idExists(api, j);
              assert.ok(between <= 3, `${c.id}: ${between} listings skipped between ${last} and ${id}`);
            }
            last = id;
            rec = id;
            n = 0;
          } else {
            // Photo n + 1 of the listing just synced.
            assert.ok(rec !== null && Number(f[1]) === rec, `${c.id}: ${q.path} after listing ${rec}`);
            assert.equal(f[2], String(n + 1), `${c.id}: photo ${n + 1} in order`);
            assert.ok(api.params.photo.includes(f[2]), `${c.id}: ${f[2]} is a photo number there is`);
            n++;
            tally.photos++;
          }
        }
        close(true);
      }
    });
  }
  assert.ok(tally.jobs > 0 && tally.jobs < tally.etl, JSON.stringify(tally));
  assert.ok(tally.records > 100 && tally.photos > 3000 && tally.longest >= 30, JSON.stringify(tally));
  assert.ok(tally.stale > 0 && tally.stale / tally.records < 0.1, JSON.stringify(tally));
});

test('heldout11: listings, agents, offices, saved searches, collections, records, lists keep their shapes and values', () => {
  const { api } = heldout11;
  const trace = generate(heldout11, 111);
  const listings = new Set();
  const codes = new Set();
  const collections = new Set();
  const properties = new Set();
  const lists = { market: new Set(), ptype: new Set(), photo: new Set(), page: new Set() };
  // (Scrapers walk indexes, not records, and enumerate paths: not theirs.)
  for (const c of trace.clients.filter((x) => x.class !== 'scraping')) {
    for (const q of c.schedule) {
      const p = q.path.split('?')[0];
      let m;
      if ((m = p.match(/^\/reso\/odata\/Property\('([^']*)'\)/) ?? p.match(/^\/(?:api\/v4|media\/v1|app\/v5)\/listings\/([^/]+)/))) listings.add(m[1]);
      if ((m = p.match(/^\/reso\/odata\/(?:Member|Office)\('([^']*)'\)$/) ?? p.match(/^\/(?:api\/v4|app\/v5)\/saved-searches\/([^/]+)/))) codes.add(m[1]);
      if ((m = p.match(/^\/api\/v4\/collections\/([^/]+)$/))) collections.add(m[1]);
      if ((m = p.match(/^\/records\/v1\/properties\/([^/]+)/))) properties.add(m[1]);
      if ((m = p.match(/^\/api\/v4\/markets\/([^/]+)\/([^/]+)\/stats$/))) [lists.market, lists.ptype].forEach((x, j) => x.add(m[j + 1]));
      if ((m = p.match(/^\/media\/v1\/listings\/\d+\/photos\/([^/]+)\.jpg$/))) lists.photo.add(m[1]);
      if ((m = p.match(/^\/app\/v5\/listings\/\d+\/gallery\/([^/]+)\.jpg$/))) lists.page.add(m[1]);
    }
  }
  assert.ok(listings.size > 2000 && codes.size > 300 && collections.size > 50 && properties.size > 200,
    `${listings.size} ${codes.size} ${collections.size} ${properties.size}`);
  // Up to eight digits, in parentheses and quotes on the OData side, bare on the REST side.
  for (const n of listings) assert.ok(/^[1-9]\d{0,7}$/.test(n), n);
  for (const s of codes) assert.ok(/^[a-z0-9]{6}$/.test(s) && /[a-z]/.test(s) && !/^[0-9a-f]+$/.test(s), s);
  for (const s of collections) assert.ok(/^[a-z]+-[a-z]+-\d{4}$/.test(s) && s.length <= 14, s);
  for (const u of properties) assert.match(u, UUID);
  for (const [name, seen] of Object.entries(lists)) {
    assert.ok(seen.size > 1 && [...seen].every((x) => api.params[name].includes(x)), `${name}: ${[...seen]}`);
  }
  assert.ok(lists.photo.has('1') && lists.photo.size >= 30, `${lists.photo.size} photo numbers`);
  assert.ok(lists.page.has('1') && lists.page.size >= 20, `${lists.page.size} gallery pages`);
  // Sparse listing numbers (about a third of them are there), yet most of the honest
  // clients' listings are there.
  const share = Array.from({ length: 20000 }, (_, i) => idExists(api, 1000000 + i)).filter(Boolean).length / 20000;
  assert.ok(share > 0.3 && share < 0.38, `${share}`);
  const honest = trace.clients.filter((x) => x.benign).flatMap((x) => x.schedule.map((q) => q.path.match(/^\/(?:reso\/odata\/Property\('|api\/v4\/listings\/)(\d+)/)?.[1]).filter(Boolean));
  assert.ok(honest.length > 2000 && honest.filter((n) => idExists(api, Number(n))).length / honest.length > 0.85);
  // Honest photo uploads are a couple of hundred KB, the oversized ones larger, all under the
  // tenant's body limit.
  const uploads = trace.clients.filter((x) => x.benign).flatMap((x) => x.schedule.filter((q) => q.method === 'POST' && /\/photos$/.test(q.path)).map((q) => q.bytes));
  assert.ok(uploads.length > 20 && uploads.every((b) => b > 50000), `${uploads.length} honest photo uploads`);
  const all = trace.clients.flatMap((x) => x.schedule.map((q) => q.bytes));
  assert.ok(Math.max(...all) < 1000000);
  const big = trace.clients.filter((x) => x.class === 'oversized').flatMap((x) => x.schedule.filter((q) => q.bytes >= heldout11.classes.oversized.bytes[0]));
  assert.ok(big.length > 10 && big.every((q) => q.method === 'POST'));
});

test('heldout12: seeds, training seeds and address bounds no other mix has, its two pools disjoint', () => {
  const { others, pools, hosts, networks } = ownSeedsAndBounds('heldout12', heldout12);
  // Where few other pools are: no second octet of its pools is in more than three others.
  for (const [a, b] of [hosts, networks]) {
    for (let o = a; o <= b; o++) {
      const n = others.filter((sc) => [pools(sc).hosts, pools(sc).networks].some(([x, y]) => x <= o && o <= y)).length;
      assert.ok(n <= 3, `127.${o} is in ${n} other pools`);
    }
  }
});

test('heldout12: a model run lands and the batch jobs burst at once; GRIB steps and radar frames come in order; storm trackers share a few storms', () => {
  const { api } = heldout12;
  const C = heldout12.classes;
  const D = heldout12.durationS * 1000;
  // A template as a pattern, its placeholders captured in order.
  const tplRe = (tpl) => new RegExp(`^${tpl.replace(/[.]/g, '\\.').replace(/:[a-z]+/g, '([^/?]+)')}$`);
  const station = (path) => Number(path.match(/^\/v3\/stations\/(\d+)\//)[1]);
  const grib = C.etl.grid.template;
  const gribRe = tplRe(grib);
  const gribNames = [...grib.matchAll(/:([a-z]+)/g)].map((m) => m[1]);
  assert.deepEqual(gribNames, ['model', 'cycle', 'step']);
  const gribTotal = gribNames.reduce((x, n) => x * api.params[n].length, 1);
  // A GRIB file's place in the grid: the forecast step turning fastest, then the run.
  const gribIndex = (path) => gribNames.reduce((k, n, j) => {
    const v = api.params[n].indexOf(path.match(gribRe)[j + 1]);
    assert.ok(v >= 0, `${path}: ${n}`);
    return k * api.params[n].length + v;
  }, 0);
  const o = C.app_users.ceremony;
  const [openRe, frameRe, reportRe] = [o.open, o.page, o.sign.path].map(tplRe);
  const liveRe = /^\/v3\/storms\/([^/]+)\/(?:advisories\?after=(\d+)|wind-probabilities\/([^/]+))$/;
  const tally = { syncs: 0, ingests: 0, polledFirst: 0, stale: 0, walked: 0, gribJobs: 0, grib: 0, loops: 0, frames: 0, reports: 0, trackers: 0, polls: 0 };
  for (const seed of heldout12.seeds) {
    const trace = generate(heldout12, seed);
    // Batch jobs poll the model-run feed; when the run lands they all fire their first burst
    // within the same few seconds.
    const firsts = [];
    for (const c of trace.clients.filter((x) => x.class === 'batch')) {
      const work = c.schedule.filter((q) => q.path !== api.paths.poll);
      assert.ok(work.length > 20, c.id);
      firsts.push(work[0].t);
      assert.ok(work[0].t >= C.batch.firstBurstS[0] * 1000 && work[0].t <= (C.batch.firstBurstS[1] + 1) * 1000, `${c.id}: first burst at ${work[0].t}`);
      tally.polledFirst += c.schedule.filter((q) => q.t < work[0].t).length;
      if (c.variant === 'ingest') {
        assert.ok(work.every((q) => q.method === 'POST' && q.path === api.ingest.path && q.bytes > 0), c.id);
        tally.ingests++;
        continue;
      }
      // Syncs walk station numbers in ascending order (wrapping round once at most), a few
      // of them gone since.
      assert.equal(c.variant, 'sync');
      tally.syncs++;
      const ids = work.map((q) => station(q.path));
      const live = ids.filter((n) => idExists(api, n));
      tally.stale += ids.length - live.length;
      tally.walked += ids.length;
      assert.ok(live.filter((n, i) => i > 0 && n <= live[i - 1]).length <= 1, `${c.id}: ascending`);
    }
    assert.ok(Math.max(...firsts) - Math.min(...firsts) <= (C.batch.firstBurstS[1] - C.batch.firstBurstS[0] + 1) * 1000, `seed ${seed}: ${firsts}`);
    // GRIB downloaders: each request the next forecast step, then the next run, the next
    // model, every sync resuming where the last one stopped.
    for (const c of trace.clients.filter((x) => x.class === 'etl' && x.variant === 'grid')) {
      const qs = c.schedule.filter((q) => q.path !== api.paths.poll && q.path !== api.paths.list);
      assert.ok(qs.length > 0 && qs.every((q) => q.method === 'GET' && gribRe.test(q.path)), c.id);
      const ks = qs.map((q) => gribIndex(q.path));
      for (let i = 1; i < ks.length; i++) assert.equal(ks[i], (ks[i - 1] + 1) % gribTotal, `${c.id}: step ${i}`);
      tally.gribJobs++;
      tally.grib += ks.length;
    }
    // Radar loops: the site's loop opened, then its frames 1, 2, ... in order, pageMs apart,
    // then (unless the session ended first) a report from one of the user's places.
    for (const c of trace.clients.filter((x) => x.class === 'app_users')) {
      const qs = c.schedule.filter((q) => openRe.test(q.path) || frameRe.test(q.path) || reportRe.test(q.path));
      assert.equal(qs.length > 0, !!c.variant?.includes('signing'), c.id);
      if (qs.length === 0) continue;
      const [first, ...rest] = qs;
      assert.ok(first.method === 'GET' && openRe.test(first.path), `${c.id}: ${first.path}`);
      const site = first.path.match(openRe)[1];
      assert.ok(api.params.site.includes(site), site);
      const report = rest.at(-1) && reportRe.test(rest.at(-1).path) ? rest.at(-1) : null;
      const frames = report ? rest.slice(0, -1) : rest;
      frames.forEach((q, n) => {
        const m = q.path.match(frameRe);
        assert.ok(q.method === 'GET' && m && m[1] === site, `${c.id}: ${q.path}`);
        assert.equal(m[2], String(n + 1), `${c.id}: frame ${n + 1} in order`);
        const gap = q.t - (n === 0 ? first.t : frames[n - 1].t);
        assert.ok(gap >= o.pageMs[0] - 1 && gap <= o.pageMs[1] + 1, `${c.id}: ${gap} ms before frame ${n + 1}`);
      });
      assert.ok(frames.length <= o.pages[1], `${c.id}: ${frames.length} frames`);
      if (report) {
        assert.ok(frames.length >= o.pages[0], `${c.id}: ${frames.length} frames before the report`);
        assert.ok(report.method === 'POST' && report.bytes >= 16 && slugExists(api, report.path.match(reportRe)[1]), `${c.id}: ${report.path}`);
        tally.reports++;
      }
      assert.ok(qs.every((q) => q.t <= D && JSON.stringify(q.key) === JSON.stringify({ app: 0 })), c.id);
      tally.loops++;
      tally.frames += frames.length;
    }
    // Storm trackers (API clients and newsrooms) follow the same few storms, storms there
    // are; each advisory cursor only moves forward.
    const storms = new Set();
    for (const c of trace.clients.filter((x) => x.class === 'steady' || x.class === 'nat')) {
      const qs = c.schedule.filter((q) => liveRe.test(q.path));
      if (c.class === 'steady') assert.equal(qs.length > 0, !!c.variant?.includes('live'), c.id);
      if (qs.length === 0) continue;
      tally.trackers++;
      tally.polls += qs.length;
      const cursor = new Map();
      for (const q of qs) {
        const [, storm, after, threshold] = q.path.match(liveRe);
        storms.add(storm);
        if (threshold) assert.ok(api.params.threshold.includes(threshold), q.path);
        if (after) {
          assert.ok(Number(after) >= (cursor.get(storm) ?? 0), `${c.id}: ${q.path}`);
          cursor.set(storm, Number(after));
        }
      }
    }
    assert.ok(storms.size > 1 && storms.size <= C.steady.live.slate, `seed ${seed}: ${[...storms]}`);
    assert.ok([...storms].every((s) => slugExists(api, s)), `seed ${seed}: storms there are`);
  }
  assert.ok(tally.syncs > 10 && tally.ingests > 10 && tally.polledFirst > 100, JSON.stringify(tally));
  assert.ok(tally.walked > 5000 && tally.stale > 0 && tally.stale / tally.walked < 0.1, JSON.stringify(tally));
  assert.ok(tally.gribJobs > 4 && tally.grib > 3000, JSON.stringify(tally));
  assert.ok(tally.loops > 100 && tally.frames > 2000 && tally.reports > 50, JSON.stringify(tally));
  assert.ok(tally.trackers > 30 && tally.polls > 400, JSON.stringify(tally));
});

test('heldout12: custom methods keep their colon, points and Unix days share a segment; stations, storms, places, alerts, assets, lists keep their shapes and values', () => {
  const { api } = heldout12;
  const trace = generate(heldout12, 121);
  const methods = new Set();
  const locations = new Set();
  const stations = new Set();
  const codes = new Set();
  const uuids = new Set();
  const lists = {
    point: new Set(), unix: new Set(), day: new Set(), month: new Set(), zone: new Set(), threshold: new Set(),
    model: new Set(), cycle: new Set(), step: new Set(), site: new Set(), page: new Set(),
  };
  // (Scrapers walk indexes, not records, and enumerate paths: not theirs.)
  for (const c of trace.clients.filter((x) => x.class !== 'scraping')) {
    for (const q of c.schedule) {
      const [p, query] = q.path.split('?');
      let m;
      if (p.startsWith('/v1/')) {
        // A custom method: a colon and a verb at the end of the last segment, the place in
        // the query.
        assert.match(p, /^\/v1\/[A-Za-z/]+:(lookup|aggregate)$/);
        methods.add(p);
        if (q.method === 'GET') locations.add(query.match(/^location=(.+)$/)[1]);
        else assert.equal(query, undefined);
      }
      if ((m = p.match(/^\/forecast\/v2\/([^/]+)$/))) {
        // lat,lon or lat,lon,unix: one segment.
        const parts = m[1].split(',');
        assert.ok(parts.length === 2 || parts.length === 3, p);
        lists.point.add(parts.slice(0, 2).join(','));
        if (parts[2]) lists.unix.add(parts[2]);
      }
      if ((m = p.match(/^\/v3\/stations\/([^/]+)/))) stations.add(m[1]);
      if ((m = p.match(/^\/v3\/stations\/[^/]+\/observations\/([^/]+)$/)) && m[1] !== 'latest') lists.day.add(m[1]);
      if ((m = p.match(/\/climate\/normals\/([^/]+)$/))) lists.month.add(m[1]);
      if ((m = p.match(/^\/v3\/alerts\/active\/zone\/([^/]+)$/))) lists.zone.add(m[1]);
      else if ((m = p.match(/^\/v3\/(?:alerts|assets)\/([^/]+)/)) && m[1] !== 'active') uuids.add(m[1]);
      if ((m = p.match(/^\/(?:v3\/storms|app\/v7\/places)\/([^/]+)/))) codes.add(m[1]);
      if ((m = p.match(/\/wind-probabilities\/([^/]+)$/))) lists.threshold.add(m[1]);
      if ((m = p.match(/^\/models\/v1\/([^/]+)\/runs(?:\/([^/]+)\/steps\/([^/]+)\.grib2)?$/))) {
        lists.model.add(m[1]);
        if (m[2]) [lists.cycle, lists.step].forEach((x, j) => x.add(m[j + 2]));
      }
      if ((m = p.match(/^\/app\/v7\/radar\/sites\/([^/]+)\/loop(?:\/frames\/([^/]+)\.webp)?$/))) {
        lists.site.add(m[1]);
        if (m[2]) lists.page.add(m[2]);
      }
    }
  }
  // Every custom method of the route mix, colon and verb kept; the places among the words.
  assert.deepEqual([...methods].sort(), api.routes.filter((r) => r.path.startsWith('/v1/')).map((r) => r.path).sort());
  assert.ok(locations.size > 5 && [...locations].every((x) => api.searchWords.includes(x)), `${[...locations]}`);
  assert.ok(stations.size > 2000 && codes.size > 300 && uuids.size > 300, `${stations.size} ${codes.size} ${uuids.size}`);
  // Up to five digits, the stale ones too.
  for (const n of stations) assert.ok(/^[1-9]\d{0,4}$/.test(n), n);
  for (const s of codes) assert.ok(/^[a-z0-9]{6}$/.test(s) && /[a-z]/.test(s) && !/^[0-9a-f]+$/.test(s), s);
  for (const u of uuids) assert.match(u, UUID);
  for (const [name, seen] of Object.entries(lists)) {
    assert.ok(seen.size > 1 && [...seen].every((x) => api.params[name].includes(x)), `${name}: ${[...seen]}`);
  }
  // A Unix day is the midnight (UTC) of a day the archive has; steps are three digits.
  for (const u of lists.unix) assert.ok(Number(u) % 86400 === 0 && api.params.day.includes(new Date(Number(u) * 1000).toISOString().slice(0, 10)), u);
  for (const s of lists.step) assert.match(s, /^\d{3}$/);
  assert.ok(lists.step.has('000') && lists.step.size > 100, `${lists.step.size} steps`);
  assert.ok(lists.page.has('1') && lists.page.size >= 30, `${lists.page.size} frames`);
  // Sparse station numbers (about one in eight), yet most of the honest clients' stations
  // are there.
  const share = Array.from({ length: 20000 }, (_, i) => idExists(api, 10000 + i)).filter(Boolean).length / 20000;
  assert.ok(share > 0.1 && share < 0.14, `${share}`);
  const honest = trace.clients.filter((x) => x.benign).flatMap((x) => x.schedule.map((q) => q.path.match(/^\/v3\/stations\/(\d+)/)?.[1]).filter(Boolean));
  assert.ok(honest.length > 3000 && honest.filter((n) => idExists(api, Number(n))).length / honest.length > 0.85);
  // Honest observation batches and bulk forecasts are tens of KB, the oversized ones
  // hundreds, all under the tenant's body limit.
  const big = heldout12.classes.oversized.bytes[0];
  const honestPosts = trace.clients.filter((x) => x.benign).flatMap((x) => x.schedule.filter((q) => q.method === 'POST'));
  assert.ok(honestPosts.filter((q) => q.path === api.ingest.path).length > 200);
  assert.ok(honestPosts.every((q) => q.bytes < big), 'no honest body as large as an oversized one');
  const all = trace.clients.flatMap((x) => x.schedule.map((q) => q.bytes));
  assert.ok(Math.max(...all) < 1000000);
  const oversized = trace.clients.filter((x) => x.class === 'oversized').flatMap((x) => x.schedule.filter((q) => q.bytes >= big));
  assert.ok(oversized.length > 10 && oversized.every((q) => q.method === 'POST' && api.paths.upload.includes(q.path)));
});

test('heldout13: seeds, training seeds and address bounds no other mix has, its two pools disjoint; no generator option of its own', () => {
  const { others, pools, hosts, networks } = ownSeedsAndBounds('heldout13', heldout13);
  // Where few other pools are: no second octet of its pools is in more than five others.
  for (const [a, b] of [hosts, networks]) {
    for (let o = a; o <= b; o++) {
      const n = others.filter((sc) => [pools(sc).hosts, pools(sc).networks].some(([x, y]) => x <= o && o <= y)).length;
      assert.ok(n <= 5, `127.${o} is in ${n} other pools`);
    }
  }
  // Every parameter of its classes is one another mix sets for the same class.
  for (const [cls, p] of Object.entries(heldout13.classes)) {
    for (const k of Object.keys(p)) assert.ok(others.some((sc) => sc.classes[cls] && k in sc.classes[cls]), `${cls}.${k} is no other mix's`);
  }
});

test('heldout13: server fleets burst a second or three at a time; feeds and replications walk one shard\'s matches upwards; ladder caches walk every queue, region, tier and division; tickets polled on a timer; replay chunks in order, then a commendation; live games shared', () => {
  const { api } = heldout13;
  const C = heldout13.classes;
  const D = heldout13.durationS * 1000;
  // A template as a pattern, its placeholders captured in order: a list as its values, a
  // number as digits, anything else as one segment.
  const kindRe = (n) => {
    const k = api.params[n];
    if (Array.isArray(k)) return `(${k.map((v) => v.replace(/[.]/g, '\\.')).join('|')})`;
    return k === 'numeric' ? '(\\d+)' : '([^/?]+)';
  };
  const tplRe = (tpl) => new RegExp(`^${tpl.replace(/[.]/g, '\\.').replace(/:([a-z]+)/g, (_, n) => kindRe(n))}$`);
  const syncRe = tplRe(api.paths.sync);
  const matchRe = tplRe(C.etl.template);
  const ladder = C.etl.grid.template;
  const ladderRe = tplRe(ladder);
  const ladderNames = [...ladder.matchAll(/:([a-z]+)/g)].map((m) => m[1]);
  assert.deepEqual(ladderNames, ['queue', 'region', 'tier', 'division']);
  const ladderTotal = ladderNames.reduce((x, n) => x * api.params[n].length, 1);
  // A ladder page's place in the grid: the division turning fastest, then the tier.
  const ladderIndex = (path) => ladderNames.reduce((k, n, j) => k * api.params[n].length + api.params[n].indexOf(path.match(ladderRe)[j + 1]), 0);
  const ticketRe = tplRe(C.app_users.refresh.path);
  const o = C.app_users.ceremony;
  const [openRe, chunkRe, commendRe] = [o.open, o.page, o.sign.path].map(tplRe);
  const liveRe = /^\/esports\/v2\/live\/games\/(\d+)\/(?:window\?sinceFrame=(\d+)|details)$/;
  const tally = {
    fleets: 0, bursts: 0, ingests: 0, feeds: 0, walked: 0, stale: 0, replicas: 0, syncs: 0, ladders: 0, pages: 0,
    probes: 0, blind: 0, puts: 0, queued: 0, polls: 0, replays: 0, chunks: 0, commends: 0, followers: 0, livePolls: 0,
  };
  for (const seed of heldout13.seeds) {
    const trace = generate(heldout13, seed);
    // Server fleets and esports feeds: bursts of one to three seconds, several a phase.
    for (const c of trace.clients.filter((x) => x.class === 'batch')) {
      const work = c.schedule.filter((q) => q.path !== api.paths.poll);
      // (A burst's length and the step to the next one are drawn apart: bursts are at least
      // gapS[0] + burstS[0] - burstS[1] apart.)
      const runs = runsOf(work, (C.batch.gapS[0] + C.batch.burstS[0] - C.batch.burstS[1]) * 1000 - 1);
      for (const run of runs) assert.ok(run.at(-1).t - run[0].t <= C.batch.burstS[1] * 1000, `${c.id}: a burst of ${run.at(-1).t - run[0].t} ms`);
      tally.fleets++;
      tally.bursts += runs.length;
      if (c.variant === 'ingest') {
        assert.ok(work.every((q) => q.method === 'POST' && q.path === api.ingest.path && q.bytes > 0), c.id);
        tally.ingests++;
        continue;
      }
      // Feeds pull the timelines of one shard's matches in ascending order, a few gone since.
      assert.equal(c.variant, 'sync');
      tally.feeds++;
      const ms = work.map((q) => q.path.match(syncRe));
      assert.ok(ms.every(Boolean), c.id);
      assert.equal(new Set(ms.map((m) => m[1])).size, 1, `${c.id}: one shard`);
      const live = ms.map((m) => Number(m[2])).filter((n) => idExists(api, n));
      tally.stale += ms.length - live.length;
      tally.walked += ms.length;
      assert.ok(live.every((n, i) => i === 0 || n > live[i - 1]), `${c.id}: ascending`);
    }
    for (const c of trace.clients.filter((x) => x.class === 'etl')) {
      const qs = c.schedule.filter((q) => q.path !== api.paths.poll && q.path !== api.paths.list);
      if (c.variant === 'grid') {
        // Ladder caches: each request the next division, then the next tier, region and
        // queue, every sync resuming where the last one stopped.
        assert.ok(qs.length > 0 && qs.every((q) => q.method === 'GET' && ladderRe.test(q.path)), c.id);
        const ks = qs.map((q) => ladderIndex(q.path));
        for (let i = 1; i < ks.length; i++) assert.equal(ks[i], (ks[i - 1] + 1) % ladderTotal, `${c.id}: page ${i}`);
        tally.ladders++;
        tally.pages += ks.length;
        continue;
      }
      if (c.variant === 'probe' || c.variant === 'upsert') {
        // League tools: esports players by their own ids, in ascending order (a prober's
        // probes; its PUTs follow each probe a little later); probers PUT only the ones the
        // probe did not find.
        const puts = qs.filter((q) => q.method === 'PUT');
        const walk = qs.filter((q) => q.method === (c.variant === 'probe' ? 'GET' : 'PUT'));
        const ids = walk.map((q) => q.path.match(/^\/esports\/v2\/players\/([a-z0-9]+)$/)[1]);
        assert.ok(ids.every((x, i) => i === 0 || parseInt(x, 36) > parseInt(ids[i - 1], 36)), `${c.id}: ascending`);
        if (c.variant === 'probe') {
          const probed = new Set(qs.filter((q) => q.method === 'GET').map((q) => q.path));
          assert.ok(puts.every((q) => probed.has(q.path) && !slugExists(api, q.path.split('/').at(-1))), `${c.id}: new ones, probed first`);
          tally.probes++;
        } else {
          assert.ok(qs.every((q) => q.method === 'PUT'), c.id);
          tally.blind++;
        }
        tally.puts += puts.length;
        continue;
      }
      // Replications: one shard's matches, each sync in ascending order from where the list
      // said the changes begin.
      assert.equal(c.variant, null);
      tally.replicas++;
      const lists = c.schedule.filter((q) => q.path === api.paths.list).map((q) => q.t);
      const ms = qs.map((q) => q.path.match(matchRe));
      assert.ok(ms.every(Boolean), c.id);
      assert.equal(new Set(ms.map((m) => m[1])).size, 1, `${c.id}: one shard`);
      for (let s = 1; s <= lists.length; s++) {
        const ids = qs.filter((q) => lists.filter((t) => t <= q.t).length === s).map((q) => Number(q.path.match(matchRe)[2])).filter((n) => idExists(api, n));
        assert.ok(ids.every((n, i) => i === 0 || n > ids[i - 1]), `${c.id}: sync ${s} ascending`);
        tally.syncs += ids.length > 0;
      }
    }
    for (const u of trace.clients.filter((x) => x.class === 'app_users')) {
      const key = JSON.stringify({ app: 0 });
      const signedIn = u.schedule.findLast((q) => q.body !== undefined).t;
      // The matchmaking ticket, polled on a timer of the client's own after the sign-in.
      const polls = u.schedule.filter((q) => ticketRe.test(q.path));
      assert.equal(polls.length > 0, !!u.variant?.includes('refresh'), u.id);
      if (polls.length > 0) {
        assert.equal(new Set(polls.map((q) => q.path)).size, 1, `${u.id}: one ticket`);
        assert.ok(uuidExists(api, polls[0].path.match(ticketRe)[1]), u.id);
        assert.ok(polls[0].t > signedIn && polls.every((q) => q.method === 'GET' && JSON.stringify(q.key) === key), u.id);
        const gaps = polls.slice(1).map((q, k) => q.t - polls[k].t);
        const { everyS } = C.app_users.refresh;
        assert.ok(gaps.every((g) => g >= everyS[0] * 1000 - 60 && g <= everyS[1] * 1000 + 60), `${u.id}: ${gaps}`);
        if (gaps.length >= 2) assert.ok(Math.max(...gaps) - Math.min(...gaps) <= 110, `${u.id}: one period`);
        tally.queued++;
        tally.polls += polls.length;
      }
      // A replay: its metadata, then chunks 1, 2, ... of the same match in order, pageMs
      // apart, then (unless the session ended first) a commendation on that match.
      const rq = u.schedule.filter((q) => openRe.test(q.path) || chunkRe.test(q.path) || commendRe.test(q.path));
      assert.equal(rq.length > 0, !!u.variant?.includes('signing'), u.id);
      if (rq.length === 0) continue;
      const [first, ...rest] = rq;
      assert.ok(first.method === 'GET' && openRe.test(first.path), `${u.id}: ${first.path}`);
      const [, shard, match] = first.path.match(openRe);
      assert.ok(first.t > signedIn, u.id);
      const commend = rest.at(-1) && commendRe.test(rest.at(-1).path) ? rest.at(-1) : null;
      const chunks = commend ? rest.slice(0, -1) : rest;
      chunks.forEach((q, n) => {
        const m = q.path.match(chunkRe);
        assert.ok(q.method === 'GET' && m && m[1] === shard && m[2] === match, `${u.id}: ${q.path}`);
        assert.equal(m[3], String(n + 1), `${u.id}: chunk ${n + 1} in order`);
        const gap = q.t - (n === 0 ? first.t : chunks[n - 1].t);
        assert.ok(gap >= o.pageMs[0] - 1 && gap <= o.pageMs[1] + 1, `${u.id}: ${gap} ms before chunk ${n + 1}`);
      });
      assert.ok(chunks.length <= o.pages[1], `${u.id}: ${chunks.length} chunks`);
      if (commend) {
        const m = commend.path.match(commendRe);
        assert.ok(commend.method === 'POST' && m[1] === shard && m[2] === match && commend.bytes >= 16, `${u.id}: ${commend.path}`);
        assert.ok(chunks.length >= o.pages[0], `${u.id}: ${chunks.length} chunks before the commendation`);
        tally.commends++;
      }
      assert.ok(rq.every((q) => q.t <= D && JSON.stringify(q.key) === key), u.id);
      tally.replays++;
      tally.chunks += chunks.length;
    }
    // Overlays and team houses follow the same few live games, games there are; each frame
    // cursor moves on by one now and then.
    const games = new Map();
    for (const c of trace.clients.filter((x) => x.class === 'steady' || x.class === 'nat')) {
      const qs = c.schedule.filter((q) => liveRe.test(q.path));
      if (c.class === 'steady') assert.equal(qs.length > 0, !!c.variant?.includes('live'), c.id);
      if (qs.length === 0) continue;
      const { everyMs, follow } = C[c.class].live;
      const gaps = qs.slice(1).map((q, k) => q.t - qs[k].t);
      assert.ok(gaps.every((g) => g >= everyMs[0] * 0.98 - 1 && g <= everyMs[1] * 1.02 + 1), `${c.id}: ${gaps}`);
      const cursors = new Map();
      const mine = new Set();
      for (const q of qs) {
        const [, game, since] = q.path.match(liveRe);
        mine.add(game);
        if (since === undefined) continue;
        if (cursors.has(game)) assert.ok([0, 1].includes(Number(since) - cursors.get(game)), `${c.id}: ${cursors.get(game)} then ${since}`);
        cursors.set(game, Number(since));
      }
      assert.ok(mine.size <= follow[1], `${c.id}: ${mine.size} games`);
      for (const g of mine) games.set(g, (games.get(g) ?? 0) + 1);
      tally.followers++;
      tally.livePolls += qs.length;
    }
    assert.ok(games.size > 1 && games.size <= Math.max(C.steady.live.slate, C.nat.live.slate), `seed ${seed}: ${[...games.keys()]}`);
    assert.ok([...games.keys()].every((g) => idExists(api, Number(g))), `seed ${seed}: games there are`);
    assert.ok(Math.max(...games.values()) >= 3, `seed ${seed}: a game followed by several clients`);
  }
  assert.ok(tally.fleets > 40 && tally.bursts / tally.fleets >= 5 && tally.ingests > 10 && tally.feeds > 10, JSON.stringify(tally));
  assert.ok(tally.walked > 5000 && tally.stale > 0 && tally.stale / tally.walked < 0.1, JSON.stringify(tally));
  assert.ok(tally.replicas > 10 && tally.syncs > 20 && tally.ladders > 4 && tally.pages > 3000, JSON.stringify(tally));
  assert.ok(tally.probes > 4 && tally.blind > 0 && tally.puts > 500, JSON.stringify(tally));
  assert.ok(tally.queued > 150 && tally.polls > 4000, JSON.stringify(tally));
  assert.ok(tally.replays > 100 && tally.chunks > 2000 && tally.commends > 50, JSON.stringify(tally));
  assert.ok(tally.followers > 50 && tally.livePolls > 2000, JSON.stringify(tally));
});

test('heldout13: shards and match numbers share a segment; game names and taglines, ladders, static data, weeks, builds, players, tickets, items, clans keep their shapes and values', () => {
  const { api } = heldout13;
  const trace = generate(heldout13, 131);
  const shardRe = new RegExp(`^(${api.params.shard.join('|')})_([1-9]\\d{0,9})$`);
  const matches = new Set();
  const games = new Set();
  const handles = new Set();
  const codes = new Set();
  const uuids = new Set();
  const items = new Set();
  const lists = {
    shard: new Set(), tag: new Set(), queue: new Set(), region: new Set(), tier: new Set(), division: new Set(),
    patch: new Set(), locale: new Set(), hero: new Set(), week: new Set(), build: new Set(), page: new Set(),
  };
  // (Scrapers walk indexes, not records, and enumerate paths: not theirs.)
  for (const c of trace.clients.filter((x) => x.class !== 'scraping')) {
    for (const q of c.schedule) {
      const p = q.path.split('?')[0];
      let m;
      if ((m = p.match(/^\/(?:match\/v5\/matches|replays\/v2|honor\/v1\/matches)\/([^/]+)/)) && m[1] !== 'by-player') {
        // The shard, an underscore and the match number: one segment.
        const s = m[1].match(shardRe);
        assert.ok(s, p);
        lists.shard.add(s[1]);
        matches.add(s[2]);
      }
      if ((m = p.match(/^\/esports\/v2\/live\/games\/([^/]+)\//))) games.add(m[1]);
      if ((m = p.match(/^\/platform\/v1\/status\/([^/]+)$/))) lists.shard.add(m[1]);
      if ((m = p.match(/^\/account\/v2\/players\/by-name\/([^/]+)\/([^/]+)$/))) {
        handles.add(m[1]);
        lists.tag.add(m[2]);
      } else if ((m = p.match(/^\/(?:account\/v2\/players|ranked\/v3\/players|inventory\/v1\/players|match\/v5\/matches\/by-player|spectator\/v4\/active-games\/by-player|matchmaking\/v1\/tickets)\/([^/]+)/)) && m[1] !== 'search') {
        uuids.add(m[1]);
      }
      if ((m = p.match(/^\/inventory\/v1\/players\/[^/]+\/items\/([^/]+)$/))) items.add(m[1]);
      if ((m = p.match(/^\/(?:clans\/v1|esports\/v2\/players)\/([^/]+)/))) codes.add(m[1]);
      if ((m = p.match(/^\/ranked\/v3\/ladders\/([^/]+)\/([^/]+)\/([^/]+)\/([^/]+)$/))) {
        [lists.queue, lists.region, lists.tier, lists.division].forEach((x, j) => x.add(m[j + 1]));
      }
      if ((m = p.match(/^\/static\/v1\/([^/]+)\/([^/]+)\/heroes\/([^/]+)\.json$/))) {
        [lists.patch, lists.locale, lists.hero].forEach((x, j) => x.add(m[j + 1]));
      }
      if ((m = p.match(/^\/stats\/v2\/heroes\/([^/]+)\/weekly\/([^/]+)$/))) [lists.hero, lists.week].forEach((x, j) => x.add(m[j + 1]));
      if ((m = p.match(/^\/crash\/v1\/([^/]+)\/minidumps$/))) lists.build.add(m[1]);
      if ((m = p.match(/\/chunks\/([^/]+)\.bin$/))) lists.page.add(m[1]);
    }
  }
  assert.ok(matches.size > 2000 && games.size > 1 && handles.size > 100 && codes.size > 300 && uuids.size > 1000 && items.size > 100,
    `${matches.size} ${games.size} ${handles.size} ${codes.size} ${uuids.size} ${items.size}`);
  // Up to ten digits, the stale ones too.
  for (const n of [...matches, ...games]) assert.ok(/^[1-9]\d{0,9}$/.test(n), n);
  for (const s of [...handles, ...codes]) assert.ok(/^[a-z0-9]{6}$/.test(s) && /[a-z]/.test(s) && !/^[0-9a-f]+$/.test(s), s);
  for (const u of uuids) assert.match(u, UUID);
  for (const s of items) assert.ok(/^[a-z]+-[a-z]+-\d{4}$/.test(s) && s.length <= 14, s);
  for (const [name, seen] of Object.entries(lists)) {
    assert.ok(seen.size > 1 && [...seen].every((x) => api.params[name].includes(x)), `${name}: ${[...seen]}`);
  }
  // Dotted patches, locales with an underscore, ISO weeks, builds with a zero-padded last
  // part, upper-case Roman divisions.
  for (const x of lists.patch) assert.match(x, /^\d+\.\d+\.\d+$/);
  for (const x of lists.locale) assert.match(x, /^[a-z]{2}_[A-Z]{2}$/);
  for (const x of lists.week) assert.match(x, /^2026-W\d{2}$/);
  for (const x of lists.build) assert.match(x, /^\d+\.\d+\.\d+\.\d{4}$/);
  assert.deepEqual([...lists.division].sort(), ['I', 'II', 'III', 'IV']);
  assert.ok(lists.page.has('1') && lists.page.size >= 30, `${lists.page.size} chunks`);
  // Fairly dense match numbers (about three in five), and most of the honest clients'
  // matches are there.
  const share = Array.from({ length: 20000 }, (_, i) => idExists(api, 1000000000 + i)).filter(Boolean).length / 20000;
  assert.ok(share > 0.55 && share < 0.61, `${share}`);
  const honest = trace.clients.filter((x) => x.benign).flatMap((x) => x.schedule.map((q) => q.path.match(/^\/match\/v5\/matches\/[A-Z0-9]+_(\d+)/)?.[1]).filter(Boolean));
  assert.ok(honest.length > 5000 && honest.filter((n) => idExists(api, Number(n))).length / honest.length > 0.9);
  // Honest minidumps are a couple of hundred KB, telemetry batches tens of KB, the oversized
  // bodies larger than any honest one, all under the tenant's body limit.
  const big = heldout13.classes.oversized.bytes[0];
  const honestPosts = trace.clients.filter((x) => x.benign).flatMap((x) => x.schedule.filter((q) => q.method === 'POST'));
  const dumps = honestPosts.filter((q) => /^\/crash\/v1\/[^/]+\/minidumps$/.test(q.path));
  assert.ok(dumps.length > 20 && dumps.every((q) => q.bytes > 50000), `${dumps.length} honest minidumps`);
  assert.ok(honestPosts.filter((q) => q.path === api.ingest.path).length > 1000);
  assert.ok(honestPosts.every((q) => q.bytes < big), 'no honest body as large as an oversized one');
  assert.ok(Math.max(...trace.clients.flatMap((x) => x.schedule.map((q) => q.bytes))) < 1000000);
  const oversized = trace.clients.filter((x) => x.class === 'oversized').flatMap((x) => x.schedule.filter((q) => q.bytes >= big));
  assert.ok(oversized.length > 10 && oversized.every((q) => q.method === 'POST' && (q.path === api.paths.upload[0] || /^\/crash\/v1\/[^/]+\/minidumps$/.test(q.path))));
});

test('heldout4: merchant slugs, payment and consent codes keep their shapes, lists their values', () => {
  const trace = generate(heldout4, 41);
  const slugs = new Set();
  const codes = new Set();
  const months = new Set();
  const pairs = new Set();
  for (const c of trace.clients) {
    for (const q of c.schedule) {
      const p = q.path.split('?')[0];
      let m;
      if ((m = p.match(/^\/app\/merchants\/([^/]+)$/))) slugs.add(m[1]);
      if ((m = p.match(/\/(?:domestic-payments|account-access-consents)\/([^/]+)$/))) codes.add(m[1]);
      if ((m = p.match(/\/statements\/([^/]+)$/))) months.add(m[1]);
      if ((m = p.match(/^\/app\/fx\/quotes\/([^/]+)$/))) pairs.add(m[1]);
    }
  }
  assert.ok(slugs.size > 100 && codes.size > 100, `${slugs.size} slugs, ${codes.size} codes`);
  for (const s of [...slugs, ...codes]) {
    assert.match(s, /^[a-z0-9-]{6,14}$/);
    assert.doesNotMatch(s, /^[0-9]+$/);
    assert.doesNotMatch(s, /^[0-9a-f]+$/);
  }
  for (const s of codes) assert.match(s, /^[a-z0-9]{6}$/);
  assert.ok(months.size > 1 && [...months].every((x) => heldout4.api.params.month.includes(x)));
  assert.ok(pairs.size > 1 && [...pairs].every((x) => heldout4.api.params.pair.includes(x)));
});

test('every mix has seeds and a pairing of address pools of its own; the mixes from heldout4 on keep to their pools and User-Agents', () => {
  const mixes = SCENARIOS.map(([, sc]) => sc);
  const seeds = mixes.flatMap((sc) => sc.seeds);
  assert.equal(new Set(seeds).size, seeds.length);
  const pools = mixes.map((sc) => JSON.stringify(sc.addressPools));
  assert.equal(new Set(pools).size, pools.length);
  const within = (ip, [a, b]) => Number(ip.split('.')[1]) >= a && Number(ip.split('.')[1]) <= b;
  // The mixes written blind since heldout4 keep to theirs; the first three predate the rule.
  for (const [, mix] of HELDOUT.slice(3)) {
    const { hosts, networks } = mix.addressPools;
    for (const seed of mix.seeds) {
      for (const c of generate(mix, seed).clients) {
        const pool = c.campaign || c.class === 'low_and_slow' || c.class === 'partner' ? networks : hosts;
        for (const ip of [c.sourceIp, ...c.schedule.map((q) => q.sourceIp).filter(Boolean)]) {
          assert.ok(within(ip, pool), `${mix.name} seed ${seed}: ${c.id} at ${ip}`);
        }
        assert.ok(typeof c.ua === 'string' && c.ua.length > 0, `${c.id} has a User-Agent of the mix`);
      }
    }
    const theirs = new Set(mixes.filter((sc) => sc !== mix).flatMap((sc) => Object.values(sc.userAgents)));
    for (const ua of Object.values(mix.userAgents)) assert.ok(!theirs.has(ua), `${mix.name}: ${ua} is another mix's`);
    const mixesOfUas = [mix.uaMix.benign, mix.uaMix.attack, ...Object.values(mix.classes).map((p) => p.uaMix ?? {})];
    for (const fam of mixesOfUas.flatMap(Object.keys)) assert.ok(fam in mix.userAgents, `${mix.name}: ${fam}`);
  }
});

test('held-out slugs stay slugs to the gateway: not all digits, not hex, under 16 characters', () => {
  const trace = generate(heldout, 11);
  const slugs = new Set();
  for (const c of trace.clients) {
    for (const q of c.schedule) {
      const m = q.path.match(/^\/api\/catalog\/products\/([^/?]+)/);
      if (m) slugs.add(m[1]);
    }
  }
  assert.ok(slugs.size > 100);
  for (const s of slugs) {
    assert.match(s, /^[a-z0-9-]{6,14}$/);
    assert.doesNotMatch(s, /^[0-9]+$/);
    assert.doesNotMatch(s, /^[0-9a-f]+$/);
  }
  // Walkers of made-up slugs find about half of them.
  const made = Array.from({ length: 2000 }, (_, i) => `oak-desk-${1000 + i}`);
  const share = made.filter((s) => slugExists(heldout.api, s)).length / made.length;
  assert.ok(share > 0.4 && share < 0.6, `${share}`);
});

// A trace of one client sending `n` requests with one valid key, `gapMs` apart.
function steady(n, gapMs) {
  const schedule = Array.from({ length: n }, (_, i) => ({ t: i * gapMs, method: 'GET', path: '/v1/x', bytes: 0, key: { valid: 0 } }));
  return { clients: [{ id: 'c', class: 'steady', benign: true, sourceIp: '127.0.0.2', schedule }] };
}

test('the fixed window refuses the first request over its limit, and only then', () => {
  assert.deepEqual(fixedWindow(steady(100, 10), { limit: 100, windowS: 60 }), [{ refused: false, ttbMs: null }]);
  assert.deepEqual(fixedWindow(steady(101, 10), { limit: 100, windowS: 60 }), [{ refused: true, ttbMs: 1000 }]);
  // 150 requests over two windows, 75 in each: never over.
  assert.equal(fixedWindow(steady(150, 800), { limit: 100, windowS: 60 })[0].refused, false);
});

test('the token bucket allows its burst, then its rate', () => {
  // 5/s with a burst of 20: 20 at once pass, the 21st is refused.
  assert.equal(tokenBucket(steady(20, 0), { ratePerS: 5, burst: 20 })[0].refused, false);
  assert.deepEqual(tokenBucket(steady(21, 0), { ratePerS: 5, burst: 20 }), [{ refused: true, ttbMs: 0 }]);
  // One request every 200 ms is exactly the rate: never refused.
  assert.equal(tokenBucket(steady(200, 200), { ratePerS: 5, burst: 20 })[0].refused, false);
});

test('intervals: mean ± 1.96 sd/√n, clipped, none for a single value', () => {
  const c = ci([0.1, 0.2, 0.3]);
  assert.ok(Math.abs(c.mean - 0.2) < 1e-12);
  assert.ok(Math.abs(c.hi - c.mean - 1.96 * 0.1 / Math.sqrt(3)) < 1e-12);
  assert.deepEqual(ci([0.9, 1, 1], [0, 1]).hi, 1);
  assert.equal(ci([0.5]).lo, null);
  assert.equal(ci([]), null);
});

test('a campaign is blocked from the first moment 80% of its remaining requests are refused', () => {
  const client = (ip, ts, campaign = 'c-0') => ({ class: 'login_campaign', campaign, sourceIp: ip, schedule: ts.map((t) => ({ t })) });
  const trace = { clients: [client('127.2.0.2', [1000, 5000, 9000]), client('127.2.1.2', [2000, 6000, 10000]), { class: 'steady', sourceIp: '127.16.0.2', schedule: [{ t: 0 }] }] };
  // Refused: 6000, 9000, 10000 -> from 6000 on 3/3; from 5000 on only 3/4. The steady
  // client is no part of it. Of the requests after each address's first (5000, 6000, 9000,
  // 10000), three are refused, and from 6000 on all of them.
  const [g] = campaignStats(trace, [[false, false, true], [false, true, true], [true]]);
  assert.deepEqual(g, {
    campaign: 'c-0', class: 'login_campaign', addresses: 2, refusedAddresses: 2, repeatAddresses: 2, refusedRepeat: 2,
    requests: 6, refused: 3, ttbMs: 5000, later: 4, refusedLater: 3, ttbLaterMs: 5000,
  });
  // One of the later ones let through: 4 of the 5 from 2000 on is 80% already.
  assert.equal(campaignStats(trace, [[false, true, false], [true, true, true], [false]])[0].ttbMs, 1000);
  // Never refused: never blocked.
  assert.equal(campaignStats(trace, [[false, false, false], [false, false, false], [false]])[0].ttbMs, null);
  // Send times of the replay, when given, instead of the schedule's.
  assert.equal(campaignStats(trace, [[false, false, true], [false, true, true], [false]], [[1100, 5100, 9100], [2100, 6300, 10100], [0]])[0].ttbMs, 5200);
});

test('a campaign\'s later requests: every address\'s first let through, every later one refused', () => {
  const client = (ip, ts) => ({ class: 'key_spray', campaign: 'k-0', sourceIp: ip, schedule: ts.map((t) => ({ t })) });
  // Three addresses of two requests, one of a single request, which nothing could refuse.
  const trace = { clients: [client('127.2.0.2', [0, 500]), client('127.2.0.3', [1000, 1500]), client('127.2.0.4', [2000, 2500]), client('127.2.0.5', [3000])] };
  const [g] = campaignStats(trace, [[false, true], [false, true], [false, true], [false]]);
  // Half the requests, never 80% of a suffix: never blocked as a whole...
  assert.equal(g.refused, 3);
  assert.equal(g.ttbMs, null);
  // ...but all that could be refused was, from the first later request on.
  assert.deepEqual([g.addresses, g.refusedAddresses, g.repeatAddresses, g.refusedRepeat], [4, 3, 3, 3]);
  assert.deepEqual([g.later, g.refusedLater, g.ttbLaterMs], [3, 3, 500]);
  // An address's first request is its earliest in time, whatever the schedule's order.
  const late = campaignStats(trace, [[false, true], [false, true], [false, true], [false]], [[600, 500], [1000, 1500], [2000, 2500], [3000]])[0];
  assert.deepEqual([late.later, late.refusedLater], [3, 2]);
});

// The upstream as run.mjs starts it: its own process, the scenario's api object.
function startUpstream(api) {
  const p = spawn(process.execPath, [fileURLToPath(new URL('../../bench/abuse/upstream.mjs', import.meta.url)), JSON.stringify(api)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = new Promise((resolve, reject) => {
    p.stdout.once('data', (d) => resolve(Number(String(d).trim())));
    p.once('exit', (c) => reject(new Error(`the upstream exited (${c})`)));
  });
  return { p, port };
}

describe('the upstream', () => {
  const up = {};
  before(async () => {
    for (const [name, sc] of SCENARIOS) {
      const u = startUpstream(sc.api);
      up[name] = u;
      u.url = `http://127.0.0.1:${await u.port}`;
    }
  });
  after(() => {
    for (const u of Object.values(up)) u.p.kill('SIGKILL');
  });
  const ask = async (name, method, path, body) => {
    const r = await fetch(`${up[name].url}${path}`, { method, body, headers: body ? { 'Content-Type': 'application/json' } : {} });
    await r.arrayBuffer();
    return r.status;
  };
  const find = (pred, from = 1) => {
    for (let i = from; ; i++) if (pred(i)) return i;
  };
  // Records the mix's API has and ones it has not: a seven-digit number, a base-36 code, a
  // slug of words on `stem`.
  const records = async (api, stem) => {
    const { idExists } = await import('../../bench/abuse/generate.mjs');
    const codes = Array.from({ length: 500 }, (_, i) => `p7k${(i + 46656).toString(36).slice(-3)}`).filter((x) => /[g-z]/.test(x));
    const slugs = Array.from({ length: 200 }, (_, i) => `${stem}-${1000 + i}`);
    return {
      num: find((i) => idExists(api, i), 1000000),
      missing: find((i) => !idExists(api, i), 1000000),
      code: codes.find((x) => slugExists(api, x)),
      noCode: codes.find((x) => !slugExists(api, x)),
      slug: slugs.find((x) => slugExists(api, x)),
      noSlug: slugs.find((x) => !slugExists(api, x)),
    };
  };

  test('answers the held-out routes: slugs, regions, numbers, login, ingest', async () => {
    const api = heldout.api;
    const slugs = Array.from({ length: 200 }, (_, i) => `blue-desk-${1000 + i}`);
    const yes = slugs.find((x) => slugExists(api, x));
    const no = slugs.find((x) => !slugExists(api, x));
    const code = Array.from({ length: 500 }, (_, i) => `p7k${(i + 46656).toString(36).slice(-3)}`).find((x) => /[g-z]/.test(x) && slugExists(api, x));
    const { idExists } = await import('../../bench/abuse/generate.mjs');
    const num = find((i) => idExists(api, i));
    const missing = find((i) => !idExists(api, i));
    assert.equal(await ask('heldout', 'GET', `/api/catalog/products/${yes}`), 200);
    assert.equal(await ask('heldout', 'GET', `/api/catalog/products/${no}`), 404);
    assert.equal(await ask('heldout', 'GET', `/api/catalog/products/${yes}/reviews`), 200);
    assert.equal(await ask('heldout', 'GET', '/api/catalog/products?p=3'), 200);
    assert.equal(await ask('heldout', 'GET', '/api/catalog/search?term=wool'), 200);
    assert.equal(await ask('heldout', 'GET', `/api/store/eu-west/shipments/${code}`), 200);
    assert.equal(await ask('heldout', 'GET', `/api/store/eu-west/orders/${num}`), 200);
    assert.equal(await ask('heldout', 'GET', `/api/store/eu-west/orders/${missing}`), 404);
    assert.equal(await ask('heldout', 'GET', `/api/store/mars-north/orders/${num}`), 404, 'no such region');
    assert.equal(await ask('heldout', 'GET', `/rest/accounts/${num}`), 200);
    assert.equal(await ask('heldout', 'POST', '/api/store/us-east/orders', '{"items":[1]}'), 201);
    assert.equal(await ask('heldout', 'DELETE', '/api/store/us-east/orders'), 405);
    assert.equal(await ask('heldout', 'POST', '/hooks/ingest', '{"event":"x"}'), 202);
    assert.equal(await ask('heldout', 'GET', '/api/ping'), 200);
    assert.equal(await ask('heldout', 'GET', '/v1/items'), 404, 'not the default mix\'s API');
    assert.equal(await ask('heldout', 'GET', '/.env'), 404);
    const user = 'nora.smith42@mail.test';
    assert.equal(await ask('heldout', 'POST', '/rest/accounts/session', JSON.stringify({ user, password: passwordOf(user) })), 200);
    assert.equal(await ask('heldout', 'POST', '/rest/accounts/session', JSON.stringify({ user, password: 'hunter2' })), 401);
    assert.equal(await ask('heldout', 'POST', '/rest/accounts/session', 'not json'), 401);
  });

  test('answers heldout4\'s routes: numbers, codes, slugs, months, pairs, every method, login, ingest, webhooks', async () => {
    const { num: acct, missing, code, noCode, slug, noSlug } = await records(heldout4.api, 'gold-mug');
    const ob = '/open-banking/v3.1';
    assert.equal(await ask('heldout4', 'GET', `${ob}/aisp/accounts/${acct}`), 200);
    assert.equal(await ask('heldout4', 'GET', `${ob}/aisp/accounts/${missing}`), 404);
    assert.equal(await ask('heldout4', 'GET', `${ob}/aisp/accounts/${acct}/transactions?pageNo=4`), 200);
    assert.equal(await ask('heldout4', 'GET', `${ob}/aisp/accounts/${acct}/statements/2024-03`), 200);
    assert.equal(await ask('heldout4', 'GET', `${ob}/aisp/accounts/${acct}/statements/2023-13`), 404, 'no such month');
    assert.equal(await ask('heldout4', 'GET', `${ob}/aisp/accounts/${acct}/parties`), 200);
    assert.equal(await ask('heldout4', 'GET', `${ob}/pisp/domestic-payments/${code}`), 200);
    assert.equal(await ask('heldout4', 'GET', `${ob}/pisp/domestic-payments/${noCode}`), 404);
    assert.equal(await ask('heldout4', 'DELETE', `${ob}/aisp/account-access-consents/${code}`), 200);
    assert.equal(await ask('heldout4', 'POST', `${ob}/pisp/domestic-payments`, '{"amount":"12.50"}'), 201);
    assert.equal(await ask('heldout4', 'GET', `/app/merchants/${slug}`), 200);
    assert.equal(await ask('heldout4', 'GET', `/app/merchants/${noSlug}`), 404);
    assert.equal(await ask('heldout4', 'GET', '/app/merchants?pageNo=2'), 200);
    assert.equal(await ask('heldout4', 'POST', '/app/merchants', '{}'), 405);
    assert.equal(await ask('heldout4', 'GET', '/app/fx/quotes/EUR-GBP'), 200);
    assert.equal(await ask('heldout4', 'GET', '/app/fx/quotes/EUR-XAU'), 404, 'no such pair');
    assert.equal(await ask('heldout4', 'GET', '/app/transactions/search?merchant=lidl'), 200);
    assert.equal(await ask('heldout4', 'PATCH', `/cards/v2/cards/${acct}/controls`, '{"frozen":true}'), 200);
    assert.equal(await ask('heldout4', 'PUT', '/app/me/notification-settings', '{"push":false}'), 200);
    assert.equal(await ask('heldout4', 'GET', '/app/home/summary'), 200);
    assert.equal(await ask('heldout4', 'POST', '/ledger/v1/card-authorisations/batches', '{"auths":[]}'), 202);
    assert.equal(await ask('heldout4', 'POST', '/callbacks/v2/scheme-events', '{"event":"x"}'), 200);
    assert.equal(await ask('heldout4', 'GET', '/platform/ping'), 200);
    assert.equal(await ask('heldout4', 'GET', '/v1/items'), 404, 'not the default mix\'s API');
    const user = 'omar.silva94';
    assert.equal(await ask('heldout4', 'POST', '/identity/v1/customers/sign-in', JSON.stringify({ user, password: passwordOf(user) })), 200);
    assert.equal(await ask('heldout4', 'POST', '/identity/v1/customers/sign-in', JSON.stringify({ user, password: 'letmein' })), 401);
  });

  test('answers heldout5\'s routes: prefixed codes, numbers, slugs, models, days, every method, login, ingest, webhooks', async () => {
    const { num: proj, missing, code, noCode, slug, noSlug } = await records(heldout5.api, 'mint-cup');
    assert.equal(await ask('heldout5', 'POST', '/v1/chat/completions', '{"messages":[]}'), 201);
    assert.equal(await ask('heldout5', 'GET', '/v1/chat/completions'), 405);
    assert.equal(await ask('heldout5', 'POST', '/v1/embeddings', '{"input":["a"]}'), 201);
    assert.equal(await ask('heldout5', 'GET', '/v1/models'), 200);
    assert.equal(await ask('heldout5', 'GET', '/v1/models/kestrel-70b-instruct'), 200);
    assert.equal(await ask('heldout5', 'GET', '/v1/models/gpt-4o'), 404, 'no such model');
    assert.equal(await ask('heldout5', 'GET', `/v1/files/file-${code}`), 200);
    assert.equal(await ask('heldout5', 'GET', `/v1/files/file-${noCode}`), 404);
    assert.equal(await ask('heldout5', 'GET', `/v1/files/${code}`), 404, 'an id without its prefix');
    assert.equal(await ask('heldout5', 'GET', `/v1/files/file-${code}/content`), 200);
    assert.equal(await ask('heldout5', 'DELETE', `/v1/files/file-${code}`), 200);
    assert.equal(await ask('heldout5', 'GET', '/v1/files?after=3'), 200);
    assert.equal(await ask('heldout5', 'GET', `/v1/threads/thread-${code}/runs/run-${code}`), 200);
    assert.equal(await ask('heldout5', 'GET', `/v1/threads/thread-${code}/runs/run-${noCode}`), 404);
    assert.equal(await ask('heldout5', 'GET', `/v1/fine_tuning/jobs/ftjob-${code}/events?after=2`), 200);
    assert.equal(await ask('heldout5', 'POST', `/v1/vector_stores/vs-${code}/search`, '{"query":"x"}'), 201);
    assert.equal(await ask('heldout5', 'GET', `/v1/organization/projects/${proj}/api_keys`), 200);
    assert.equal(await ask('heldout5', 'GET', `/v1/organization/projects/${missing}/api_keys`), 404);
    assert.equal(await ask('heldout5', 'GET', `/v1/generations/${proj}`), 200);
    assert.equal(await ask('heldout5', 'GET', '/v1/organization/usage/2024-11-03'), 200);
    assert.equal(await ask('heldout5', 'GET', '/v1/organization/usage/2024-10-31'), 404, 'no such day');
    assert.equal(await ask('heldout5', 'GET', `/console/api/library/${slug}`), 200);
    assert.equal(await ask('heldout5', 'GET', `/console/api/library/${noSlug}`), 404);
    assert.equal(await ask('heldout5', 'GET', '/console/api/library?cursor=2'), 200);
    assert.equal(await ask('heldout5', 'GET', '/console/api/search?q=regex'), 200);
    assert.equal(await ask('heldout5', 'POST', '/webhooks/billing/events', '{"type":"invoice.paid"}'), 200);
    assert.equal(await ask('heldout5', 'GET', '/v1/health'), 200);
    assert.equal(await ask('heldout5', 'GET', '/v1/items'), 404, 'not the default mix\'s API');
    const user = 'grace.m26@inbox.example.dev';
    assert.equal(await ask('heldout5', 'POST', '/console/api/auth/password', JSON.stringify({ user, password: passwordOf(user) })), 200);
    assert.equal(await ask('heldout5', 'POST', '/console/api/auth/password', JSON.stringify({ user, password: 'Passw0rd' })), 401);
  });

  test('answers heldout6\'s routes: tiles by z/x/y, numbers, codes, slugs, lists, every method, login, ingest, webhooks', async () => {
    const { num: poi, missing, code: ds, noCode, slug: share, noSlug } = await records(heldout6.api, 'teal-hat');
    const row = Array.from({ length: 200 }, (_, i) => `14/${8000 + i}/5400`);
    const tile = row.find((t) => tileExists(heldout6.api, t));
    const empty = row.find((t) => !tileExists(heldout6.api, t));
    const h6 = (method, path, body) => ask('heldout6', method, path, body);
    assert.equal(await h6('GET', `/tiles/v3/atlas-streets-v8/${tile}.mvt`), 200);
    assert.equal(await h6('GET', `/tiles/v3/atlas-streets-v8/${empty}.mvt`), 404, 'an empty tile');
    assert.equal(await h6('GET', '/tiles/v3/atlas-streets-v8/17/1/1.mvt'), 404, 'beyond the deepest zoom');
    assert.equal(await h6('GET', '/tiles/v3/atlas-streets-v8/3/8/1.mvt'), 404, 'off the map');
    assert.equal(await h6('GET', '/tiles/v3/atlas-streets-v8/14/8000.mvt'), 404, 'two segments');
    assert.equal(await h6('GET', `/tiles/v3/osm-bright/${tile}.mvt`), 404, 'no such tileset');
    assert.equal(await h6('GET', `/tiles/v3/atlas-streets-v8/${tile}.png`), 404, 'no such format');
    assert.equal(await h6('POST', `/tiles/v3/atlas-streets-v8/${tile}.mvt`, '{}'), 405);
    assert.equal(await h6('GET', `/raster/v2/aerial-2024/${tile}.jpg`), 200);
    assert.equal(await h6('GET', `/terrain/v1/elevation/${tile}.png`), 200);
    assert.equal(await h6('GET', '/styles/v2/daybreak'), 200);
    assert.equal(await h6('GET', '/styles/v2/nightfall/sprite.json'), 200);
    assert.equal(await h6('GET', '/styles/v2/neon'), 404, 'no such style');
    assert.equal(await h6('GET', '/fonts/v1/inter-bold/0-255.pbf'), 200);
    assert.equal(await h6('GET', '/fonts/v1/inter-bold/0-256.pbf'), 404, 'no such glyph range');
    assert.equal(await h6('GET', '/geocode/v6/forward?q=shibuya'), 200);
    assert.equal(await h6('GET', '/geocode/v6/autocomplete?text=rivoli'), 200);
    assert.equal(await h6('GET', '/geocode/v6/reverse/2.3522,48.8566'), 200);
    assert.equal(await h6('GET', '/geocode/v6/reverse/2.35,48.85'), 404, 'no such place');
    assert.equal(await h6('GET', `/places/v2/poi/${poi}`), 200);
    assert.equal(await h6('GET', `/places/v2/poi/${missing}`), 404);
    assert.equal(await h6('GET', `/places/v2/poi/${poi}/contact`), 200);
    assert.equal(await h6('GET', `/places/v2/poi/${missing}/contact`), 404);
    assert.equal(await h6('GET', `/places/v2/poi/${poi}/photos`), 200);
    assert.equal(await h6('GET', '/places/v2/browse?offset=40'), 200);
    assert.equal(await h6('POST', '/places/v2/browse', '{}'), 405);
    assert.equal(await h6('GET', '/places/v2/nearby/-0.1276,51.5072'), 200);
    assert.equal(await h6('POST', '/routing/v5/directions/cycling', '{"waypoints":[]}'), 201);
    assert.equal(await h6('GET', '/routing/v5/directions/cycling'), 405);
    assert.equal(await h6('POST', '/routing/v5/directions/hovercraft', '{}'), 404, 'no such profile');
    assert.equal(await h6('POST', '/routing/v5/matrix/truck', '{"sources":[]}'), 201);
    assert.equal(await h6('POST', '/routing/v5/optimize', '{"vehicles":[]}'), 201);
    assert.equal(await h6('GET', '/routing/v5/isochrone/walking/13.4050,52.5200'), 200);
    assert.equal(await h6('POST', '/routing/v5/map-match/driving', '{"trace":[]}'), 201);
    assert.equal(await h6('GET', '/datasets/v2'), 200);
    assert.equal(await h6('GET', `/datasets/v2/${ds}/features?start=100`), 200);
    assert.equal(await h6('GET', `/datasets/v2/${noCode}/features`), 404);
    assert.equal(await h6('PUT', `/datasets/v2/${ds}/features/${poi}`, '{"type":"Feature"}'), 200);
    assert.equal(await h6('PUT', `/datasets/v2/${ds}/features/${missing}`, '{"type":"Feature"}'), 404);
    assert.equal(await h6('DELETE', `/datasets/v2/${ds}/features/${poi}`), 200);
    assert.equal(await h6('PATCH', `/datasets/v2/${ds}/features/${poi}`, '{}'), 405);
    assert.equal(await h6('GET', `/share/v1/maps/${share}`), 200);
    assert.equal(await h6('GET', `/share/v1/maps/${noSlug}`), 404);
    assert.equal(await h6('GET', '/platform/keys/self'), 200);
    assert.equal(await h6('GET', '/platform/usage/today'), 200);
    assert.equal(await h6('GET', '/platform/health'), 200);
    assert.equal(await h6('POST', '/geocode/v6/batch', '{"addresses":[]}'), 202);
    assert.equal(await h6('POST', '/fleet/v1/telemetry/webhook', '{"positions":[]}'), 200);
    assert.equal(await h6('GET', '/v1/items'), 404, 'not the default mix\'s API');
    const user = 'ines.ng88@trailpost.example';
    assert.equal(await h6('POST', '/explore/v3/account/authenticate', JSON.stringify({ user, password: passwordOf(user) })), 200);
    assert.equal(await h6('POST', '/explore/v3/account/authenticate', JSON.stringify({ user, password: 'dragon' })), 401);
  });

  test('answers heldout7\'s routes: UUIDs, numbers, codes, slugs, days, creates with 409, every method, login, ingest, webhooks', async () => {
    const { api } = heldout7;
    const { num, missing, code, noCode, slug, noSlug } = await records(api, 'rose-bag');
    const trace = generate(heldout7, 71);
    const paths = trace.clients.flatMap((c) => c.schedule.map((q) => q.path.split('?')[0]));
    const uuids = [...new Set(paths.map((p) => p.match(/\/([0-9a-f]{8}-[0-9a-f-]{27})(?:\/|$)/)?.[1]).filter(Boolean))];
    const msg = uuids.find((x) => uuidExists(api, x));
    const noMsg = uuids.find((x) => !uuidExists(api, x));
    const h7 = (method, path, body) => ask('heldout7', method, path, body);
    const V = '/2024-11-01';
    assert.equal(await h7('GET', `${V}/messages/${msg}`), 200);
    assert.equal(await h7('GET', `${V}/messages/${noMsg}`), 404);
    assert.equal(await h7('GET', `${V}/messages/${msg.toUpperCase()}`), 404, 'not as the API spells it');
    assert.equal(await h7('GET', `${V}/messages/${msg.replace(/-/g, '')}`), 404, 'without its dashes');
    assert.equal(await h7('GET', `${V}/messages/${msg}/receipts`), 200);
    assert.equal(await h7('GET', `${V}/messages?page_number=7`), 200);
    assert.equal(await h7('POST', `${V}/messages`, '{"to":"14155550123"}'), 201);
    assert.equal(await h7('DELETE', `${V}/messages`), 405);
    assert.equal(await h7('POST', `${V}/messages/bulk`, '{"recipients":[]}'), 202);
    assert.equal(await h7('GET', `${V}/calls/${msg}`), 200);
    assert.equal(await h7('POST', `${V}/calls/${msg}/transfer`, '{"to":"sip:desk"}'), 201);
    assert.equal(await h7('GET', `${V}/conversations/${msg}/messages?page_number=2`), 200);
    assert.equal(await h7('POST', '/verify/v3/verifications', '{"to":"14155550123"}'), 201);
    assert.equal(await h7('POST', `/verify/v3/verifications/${msg}/check`, '{"code":"123456"}'), 201);
    assert.equal(await h7('POST', `/verify/v3/verifications/${noMsg}/check`, '{"code":"123456"}'), 404);
    assert.equal(await h7('GET', `/lookup/v2/phone-numbers/${num}`), 200);
    assert.equal(await h7('GET', `/lookup/v2/phone-numbers/${missing}`), 404);
    assert.equal(await h7('GET', `/lookup/v2/phone-numbers/${num}/caller-name`), 200);
    assert.equal(await h7('GET', `${V}/accounts/${code}/numbers?page_number=3`), 200);
    assert.equal(await h7('GET', `${V}/accounts/${code}/numbers/${num}`), 200);
    assert.equal(await h7('GET', `${V}/accounts/${noCode}/numbers/${num}`), 404);
    assert.equal(await h7('GET', `${V}/accounts/${code}/numbers/${missing}`), 404);
    assert.equal(await h7('PATCH', `${V}/accounts/${code}`, '{"name":"x"}'), 200);
    assert.equal(await h7('GET', `${V}/accounts/${code}/usage/2025-02-20`), 200);
    assert.equal(await h7('GET', `${V}/accounts/${code}/usage/2025-03-01`), 404, 'no such day');
    assert.equal(await h7('GET', `${V}/reports/cdr/2025-02-28`), 200);
    assert.equal(await h7('GET', `${V}/pricing/whatsapp/ng`), 200);
    assert.equal(await h7('GET', `${V}/pricing/telex/ng`), 404, 'no such channel');
    assert.equal(await h7('GET', `${V}/available-numbers/us?contains=415`), 200);
    assert.equal(await h7('GET', `${V}/templates/${slug}`), 200);
    assert.equal(await h7('GET', `${V}/templates/${noSlug}`), 404);
    assert.equal(await h7('GET', `${V}/contacts/${code}`), 200);
    assert.equal(await h7('GET', `${V}/contacts/${noCode}`), 404);
    assert.equal(await h7('DELETE', `${V}/contacts/${code}`), 200);
    // A create by the client's own id: 201 if new, 409 if the contact is there already.
    assert.equal(await h7('PUT', `${V}/contacts/${noCode}`, '{"name":"x"}'), 201);
    assert.equal(await h7('PUT', `${V}/contacts/${code}`, '{"name":"x"}'), 409);
    assert.equal(await h7('POST', `${V}/contacts/${noCode}`, '{}'), 405);
    assert.equal(await h7('GET', `${V}/accounts/self/balance`), 200);
    assert.equal(await h7('GET', `${V}/keys/current`), 200);
    assert.equal(await h7('GET', '/desk/v2/agents/me/queue'), 200);
    assert.equal(await h7('GET', '/status/v1/ping'), 200);
    assert.equal(await h7('POST', '/hooks/v1/carrier-dlr', '{"receipts":[]}'), 200);
    assert.equal(await h7('GET', '/v1/items'), 404, 'not the default mix\'s API');
    const user = 'priya.b35@relaywave-desk.example';
    assert.equal(await h7('POST', '/desk/v2/agents/sign-on', JSON.stringify({ user, password: passwordOf(user) })), 200);
    assert.equal(await h7('POST', '/desk/v2/agents/sign-on', JSON.stringify({ user, password: 'Summer2023!' })), 401);
    // The generator and the upstream agree on which UUIDs exist and which contacts conflict.
    const sample = uuids.slice(0, 60);
    for (const x of sample) assert.equal(await h7('GET', `${V}/messages/${x}`), uuidExists(api, x) ? 200 : 404, x);
    const writes = trace.clients.filter((c) => c.variant === 'upsert').flatMap((c) => c.schedule.filter((q) => q.method === 'PUT')).slice(0, 60);
    assert.ok(writes.length === 60);
    for (const q of writes) assert.equal(await h7('PUT', q.path, '{}'), slugExists(api, q.path.split('/').at(-1)) ? 409 : 201, q.path);
    // Without `create`, the same route is an ordinary one: its record must exist.
    const plain = startUpstream({ ...api, extraRoutes: api.extraRoutes.map(({ create, ...r }) => r) });
    try {
      const url = `http://127.0.0.1:${await plain.port}`;
      const put = async (id) => (await fetch(`${url}${V}/contacts/${id}`, { method: 'PUT', body: '{}' })).status;
      assert.equal(await put(noCode), 404);
      assert.equal(await put(code), 201);
    } finally {
      plain.p.kill('SIGKILL');
    }
  });

  test('answers heldout8\'s routes: fare grids, offers by UUID, locators, members, lists, creates with 409, every method, login, ingest, webhooks', async () => {
    const { api } = heldout8;
    const { num, missing, code, noCode, slug, noSlug } = await records(api, 'sand-vase');
    const trace = generate(heldout8, 81);
    const [offer, noOffer] = uuidsIn(api, trace, /^\/offers\/v2\/offers\/([^/?]+)/);
    const h8 = (method, path, body) => ask('heldout8', method, path, body);
    assert.equal(await h8('POST', '/offers/v2/air-shopping', '{"slices":[]}'), 201);
    assert.equal(await h8('GET', '/offers/v2/air-shopping'), 405);
    assert.equal(await h8('GET', '/shop/v3/lowfares/LHR-JFK/2025-08-14/business'), 200);
    assert.equal(await h8('GET', '/shop/v3/lowfares/YYZ-LHR/2025-08-31/economy'), 200);
    assert.equal(await h8('GET', '/shop/v3/lowfares/JFK-LAX/2025-08-14/business'), 404, 'no such market');
    assert.equal(await h8('GET', '/shop/v3/lowfares/LHR-JFK/2025-09-01/business'), 404, 'no such day');
    assert.equal(await h8('GET', '/shop/v3/lowfares/LHR-JFK/2025-08-14/basic'), 404, 'no such cabin');
    assert.equal(await h8('GET', `/offers/v2/offers/${offer}`), 200);
    assert.equal(await h8('GET', `/offers/v2/offers/${noOffer}`), 404, 'expired');
    assert.equal(await h8('GET', `/offers/v2/offers/${offer}/seatmap`), 200);
    assert.equal(await h8('POST', `/offers/v2/offers/${offer}/price`, '{}'), 201);
    assert.equal(await h8('POST', '/orders/v1/orders', '{"passengers":[]}'), 201);
    assert.equal(await h8('POST', '/orders/v1/holds', '{"offer":"x"}'), 201);
    assert.equal(await h8('GET', '/orders/v1/orders?pageIndex=5'), 200);
    assert.equal(await h8('GET', `/orders/v1/orders/${code}`), 200);
    assert.equal(await h8('GET', `/orders/v1/orders/${noCode}`), 404);
    assert.equal(await h8('PATCH', `/orders/v1/orders/${code}`, '{}'), 200);
    assert.equal(await h8('DELETE', `/orders/v1/orders/${code}`), 200);
    assert.equal(await h8('GET', `/orders/v1/orders/${code}/receipt.pdf`), 200);
    assert.equal(await h8('GET', `/orders/v1/orders/${noCode}/receipt.pdf`), 404);
    assert.equal(await h8('POST', `/orders/v1/orders/${code}/ancillaries`, '{}'), 201);
    assert.equal(await h8('POST', `/checkin/v1/orders/${code}/passengers/2/check-in`, '{}'), 201);
    assert.equal(await h8('GET', `/checkin/v1/orders/${code}/boarding-passes/6`), 200);
    assert.equal(await h8('GET', `/checkin/v1/orders/${code}/boarding-passes/7`), 404, 'no seventh passenger');
    assert.equal(await h8('GET', '/ops/v1/flights/HX777/2025-07-19'), 200);
    assert.equal(await h8('GET', '/ops/v1/flights/HX778/2025-07-19'), 404, 'no such flight');
    assert.equal(await h8('GET', '/ref/v1/airports?q=lisbon'), 200);
    assert.equal(await h8('GET', '/ref/v1/airports/KEF'), 200);
    assert.equal(await h8('GET', `/loyalty/v1/members/${num}`), 200);
    assert.equal(await h8('GET', `/loyalty/v1/members/${missing}`), 404);
    assert.equal(await h8('GET', `/loyalty/v1/members/${num}/activity?pageIndex=2`), 200);
    assert.equal(await h8('POST', `/loyalty/v1/members/${num}/redemptions`, '{}'), 201);
    assert.equal(await h8('GET', `/content/v1/destinations/${slug}`), 200);
    assert.equal(await h8('GET', `/content/v1/destinations/${noSlug}`), 404);
    assert.equal(await h8('GET', `/profiles/v1/travellers/${code}`), 200);
    // A create by the tool's own id: 201 if new, 409 if the profile is there already.
    assert.equal(await h8('PUT', `/profiles/v1/travellers/${noCode}`, '{}'), 201);
    assert.equal(await h8('PUT', `/profiles/v1/travellers/${code}`, '{}'), 409);
    assert.equal(await h8('GET', '/agency/v1/credentials/self'), 200);
    assert.equal(await h8('GET', '/agency/v1/queues/schedule-changes'), 200);
    assert.equal(await h8('GET', `/app/v4/trips/${code}/live`), 200);
    assert.equal(await h8('POST', '/groups/v1/name-lists', '{"names":[]}'), 202);
    assert.equal(await h8('POST', '/interline/v1/notifications', '{"event":"ticketed"}'), 200);
    assert.equal(await h8('GET', '/health/v1/live'), 200);
    assert.equal(await h8('GET', '/v1/items'), 404, 'not the default mix\'s API');
    const user = 'omar.m31@halcyon-flyer.example';
    assert.equal(await h8('POST', '/loyalty/v1/auth/sign-in', JSON.stringify({ user, password: passwordOf(user) })), 200);
    assert.equal(await h8('POST', '/loyalty/v1/auth/sign-in', JSON.stringify({ user, password: 'welcome1' })), 401);
    // Every request of the grid walkers is answered, none is a 404.
    const grid = trace.clients.filter((c) => c.variant?.startsWith('grid')).flatMap((c) => c.schedule.filter((q) => q.path.startsWith('/shop/v3/lowfares/'))).slice(0, 80);
    assert.equal(grid.length, 80);
    for (const q of grid) assert.equal(await h8('GET', q.path), 200, q.path);
  });

  test('answers heldout9\'s routes: live matches, odds markets, numbers, slugs, codes, clips, lists, creates with 409, every method, login, ingest, webhooks', async () => {
    const { api } = heldout9;
    const { num, missing, code, noCode, slug, noSlug } = await records(api, 'teal-hat');
    const trace = generate(heldout9, 91);
    const [clip, noClip] = uuidsIn(api, trace, /^\/media\/v1\/clips\/([^/?]+)/);
    const h9 = (method, path, body) => ask('heldout9', method, path, body);
    assert.equal(await h9('GET', '/live/v2/matches'), 200);
    assert.equal(await h9('GET', `/live/v2/matches/${num}/score`), 200);
    assert.equal(await h9('GET', `/live/v2/matches/${missing}/score`), 404);
    assert.equal(await h9('GET', `/live/v2/matches/${num}/events?since=212`), 200);
    assert.equal(await h9('GET', `/odds/v3/matches/${num}/markets`), 200);
    assert.equal(await h9('GET', `/odds/v3/matches/${num}/markets/over-under-2-5`), 200);
    assert.equal(await h9('GET', `/odds/v3/matches/${num}/markets/over-under-4-5`), 404, 'no such market');
    assert.equal(await h9('GET', `/odds/v3/matches/${missing}/markets/btts`), 404);
    assert.equal(await h9('POST', '/odds/v3/bet-slips/price', '{"selections":[]}'), 201);
    assert.equal(await h9('GET', '/odds/v3/bet-slips/price'), 405);
    assert.equal(await h9('GET', `/stats/v5/matches/${num}`), 200);
    assert.equal(await h9('GET', `/stats/v5/matches/${missing}`), 404);
    assert.equal(await h9('GET', `/stats/v5/matches/${num}/lineups`), 200);
    assert.equal(await h9('GET', `/stats/v5/matches/${num}/timeline`), 200);
    assert.equal(await h9('GET', '/stats/v5/competitions?pageNumber=3'), 200);
    assert.equal(await h9('GET', '/stats/v5/competitions/epl/seasons/2024-25/fixtures?pageNumber=2'), 200);
    assert.equal(await h9('GET', '/stats/v5/competitions/six-nations/seasons/2025-26/standings'), 200);
    assert.equal(await h9('GET', '/stats/v5/competitions/nba/seasons/2020-21/rounds/38'), 200);
    assert.equal(await h9('GET', '/stats/v5/competitions/nba/seasons/2020-21/rounds/39'), 404, 'no such round');
    assert.equal(await h9('GET', '/stats/v5/competitions/epl/seasons/2019-20/standings'), 404, 'no such season');
    assert.equal(await h9('GET', '/stats/v5/competitions/kabaddi/seasons/2024-25/standings'), 404, 'no such competition');
    assert.equal(await h9('GET', `/stats/v5/players/${slug}`), 200);
    assert.equal(await h9('GET', `/stats/v5/players/${noSlug}`), 404);
    assert.equal(await h9('GET', `/stats/v5/players/${slug}/seasons/2022-23`), 200);
    assert.equal(await h9('GET', `/stats/v5/teams/${code}`), 200);
    assert.equal(await h9('GET', `/stats/v5/teams/${noCode}/squad`), 404);
    assert.equal(await h9('GET', '/stats/v5/search?term=celtic'), 200);
    assert.equal(await h9('POST', '/stats/v5/queries', '{"select":[]}'), 201);
    assert.equal(await h9('GET', '/stats/v5/changes'), 200);
    assert.equal(await h9('GET', `/media/v1/clips/${clip}`), 200);
    assert.equal(await h9('GET', `/media/v1/clips/${clip}/manifest.m3u8`), 200);
    assert.equal(await h9('GET', `/media/v1/clips/${noClip}`), 404);
    assert.equal(await h9('POST', '/fantasy/v2/lineups', '{"picks":[]}'), 201);
    assert.equal(await h9('GET', `/fantasy/v2/entries/${code}/live`), 200);
    assert.equal(await h9('GET', `/alerts/v1/subscriptions/${code}`), 200);
    assert.equal(await h9('DELETE', `/alerts/v1/subscriptions/${code}`), 200);
    // A subscription created by the customer's own id: 201 if new, 409 if it is there already.
    assert.equal(await h9('PUT', `/alerts/v1/subscriptions/${noCode}`, '{}'), 201);
    assert.equal(await h9('PUT', `/alerts/v1/subscriptions/${code}`, '{}'), 409);
    assert.equal(await h9('GET', '/account/v1/usage'), 200);
    assert.equal(await h9('POST', '/collect/v1/event-batches', '{"events":[]}'), 202);
    assert.equal(await h9('POST', '/collect/v1/venue-events', '{"event":"goal"}'), 200);
    assert.equal(await h9('GET', '/status/v1/ping'), 200);
    assert.equal(await h9('GET', '/v1/items'), 404, 'not the default mix\'s API');
    assert.equal(await h9('GET', '/internal/feeds/.env'), 404);
    const user = 'sam.ortiz518';
    assert.equal(await h9('POST', '/fantasy/v2/auth/token', JSON.stringify({ user, password: passwordOf(user) })), 200);
    assert.equal(await h9('POST', '/fantasy/v2/auth/token', JSON.stringify({ user, password: 'Summer2023!' })), 401);
    // Every live poll is answered, none is a 404: the slate's matches are there.
    const live = trace.clients.filter((c) => c.variant?.includes('live')).flatMap((c) => c.schedule.filter((q) => /^\/live\/v2\/matches\/\d+\/events\?since=/.test(q.path))).slice(0, 60);
    assert.equal(live.length, 60);
    for (const q of live) assert.equal(await h9('GET', q.path), 200, q.path);
  });

  test('answers heldout10\'s routes: envelopes by UUID, pages, agreements, templates, codes, forms, creates with 409, every method, login, ingest, webhooks', async () => {
    const { api } = heldout10;
    const { num, missing, code, noCode, slug, noSlug } = await records(api, 'mint-cup');
    const trace = generate(heldout10, 101);
    const [env, noEnv] = uuidsIn(api, trace, /^\/esign\/v3\/envelopes\/([0-9a-f-]{36})/);
    const h10 = (method, path, body) => ask('heldout10', method, path, body);
    const E = '/esign/v3/envelopes';
    assert.equal(await h10('GET', `${E}?page_number=3`), 200);
    assert.equal(await h10('POST', E, '{"documents":[]}'), 201);
    assert.equal(await h10('DELETE', E), 405);
    assert.equal(await h10('GET', `${E}/${env}`), 200);
    assert.equal(await h10('GET', `${E}/${noEnv}`), 404, 'voided and purged');
    assert.equal(await h10('GET', `${E}/${env}/status`), 200);
    assert.equal(await h10('GET', `${E}/${env}/recipients`), 200);
    assert.equal(await h10('GET', `${E}/${env}/documents/combined`), 200);
    assert.equal(await h10('GET', `${E}/${env}/documents/7`), 404, 'no seventh document');
    assert.equal(await h10('GET', `${E}/${env}/documents/2/pages/12.png`), 200);
    assert.equal(await h10('GET', `${E}/${env}/documents/2/pages/61.png`), 404, 'no such page');
    assert.equal(await h10('GET', `${E}/${noEnv}/documents/2/pages/1.png`), 404);
    assert.equal(await h10('POST', `${E}/${env}/documents`, '{}'), 201);
    assert.equal(await h10('GET', `${E}/${env}/certificate.pdf`), 200);
    assert.equal(await h10('GET', `${E}/${noEnv}/certificate.pdf`), 404);
    assert.equal(await h10('POST', `${E}/${env}/reminders`, '{}'), 201);
    assert.equal(await h10('POST', `${E}/${env}/void`, '{"reason":"x"}'), 201);
    assert.equal(await h10('GET', '/esign/v3/templates?page_number=2'), 200);
    assert.equal(await h10('GET', `/esign/v3/templates/${slug}`), 200);
    assert.equal(await h10('GET', `/esign/v3/templates/${noSlug}`), 404);
    assert.equal(await h10('POST', `/esign/v3/templates/${slug}/send`, '{"recipients":[]}'), 201);
    assert.equal(await h10('GET', `/esign/v3/templates/${slug}/send`), 405);
    assert.equal(await h10('GET', '/clm/v2/agreements?page_number=4'), 200);
    assert.equal(await h10('GET', `/clm/v2/agreements/${num}`), 200);
    assert.equal(await h10('GET', `/clm/v2/agreements/${missing}`), 404);
    assert.equal(await h10('GET', `/clm/v2/agreements/${num}/clauses`), 200);
    assert.equal(await h10('GET', `/clm/v2/agreements/${num}/obligations`), 200);
    assert.equal(await h10('GET', '/clm/v2/agreements/search?text=escrow'), 200);
    assert.equal(await h10('POST', '/insights/v1/extractions', '{"fields":[]}'), 201);
    assert.equal(await h10('POST', '/insights/v1/clause-search', '{"q":"x"}'), 201);
    assert.equal(await h10('GET', `/verify/v1/documents/${code}`), 200);
    assert.equal(await h10('GET', `/verify/v1/documents/${noCode}`), 404);
    assert.equal(await h10('GET', '/forms/v1/library/w-9/en-us'), 200);
    assert.equal(await h10('GET', '/forms/v1/library/residential-lease/pt-br'), 200);
    assert.equal(await h10('GET', '/forms/v1/library/w-9/xx-xx'), 404, 'no such locale');
    assert.equal(await h10('GET', '/forms/v1/library/w-4/en-us'), 404, 'no such form');
    assert.equal(await h10('GET', `/directory/v1/signers/${code}`), 200);
    // A signer profile created by the customer's own id: 201 if new, 409 if it is there already.
    assert.equal(await h10('PUT', `/directory/v1/signers/${noCode}`, '{}'), 201);
    assert.equal(await h10('PUT', `/directory/v1/signers/${code}`, '{}'), 409);
    assert.equal(await h10('GET', '/admin/v1/account'), 200);
    assert.equal(await h10('GET', '/admin/v1/usage'), 200);
    assert.equal(await h10('GET', '/events/v1/feed'), 200);
    assert.equal(await h10('GET', `/app/v9/signers/${code}/inbox`), 200);
    assert.equal(await h10('GET', `/app/v9/envelopes/${env}`), 200);
    assert.equal(await h10('GET', `/app/v9/envelopes/${env}/documents/combined/pages/3.png`), 200);
    assert.equal(await h10('POST', `/app/v9/envelopes/${env}/signatures`, '{"image":"x"}'), 201);
    assert.equal(await h10('POST', '/bulk/v2/send-jobs', '{"recipients":[]}'), 202);
    assert.equal(await h10('POST', '/inbound/v1/verification-results', '{"result":"approved"}'), 200);
    assert.equal(await h10('GET', '/health/v1/ready'), 200);
    assert.equal(await h10('GET', '/v1/items'), 404, 'not the default mix\'s API');
    assert.equal(await h10('GET', '/restapi/v2.1/.env'), 404);
    const user = 'lena.k11@sealwell-signer.example';
    assert.equal(await h10('POST', '/id/v1/signers/sign-in', JSON.stringify({ user, password: passwordOf(user) })), 200);
    assert.equal(await h10('POST', '/id/v1/signers/sign-in', JSON.stringify({ user, password: 'letmein' })), 401);
    // Every request of the signing sessions is answered: the envelope, its pages, the signature.
    const sessions = trace.clients.filter((c) => c.variant?.includes('signing')).flatMap((c) => c.schedule.filter((q) => q.path.startsWith('/app/v9/envelopes/'))).slice(0, 80);
    assert.equal(sessions.length, 80);
    for (const q of sessions) assert.equal(await h10(q.method, q.path, q.method === 'POST' ? '{}' : undefined), q.method === 'POST' ? 201 : 200, q.path);
  });

  test('answers heldout11\'s routes: listings in OData keys, photos, agents, offices, markets, records by UUID, creates with 409, every method, login, ingest, webhooks', async () => {
    const { api } = heldout11;
    const { num, missing, code, noCode, slug, noSlug } = await records(api, 'gold-sofa');
    const trace = generate(heldout11, 111);
    const [prop, noProp] = uuidsIn(api, trace, /^\/records\/v1\/properties\/([0-9a-f-]{36})/);
    const h11 = (method, path, body) => ask('heldout11', method, path, body);
    const O = '/reso/odata';
    assert.equal(await h11('GET', `${O}/Property`), 200);
    assert.equal(await h11('GET', `${O}/Property('${num}')`), 200);
    assert.equal(await h11('GET', `${O}/Property('${missing}')`), 404, 'sold, withdrawn or expired');
    assert.equal(await h11('GET', `${O}/Property(${num})`), 404, 'the key is quoted');
    assert.equal(await h11('GET', `${O}/Property('${num}')/Media`), 200);
    assert.equal(await h11('GET', `${O}/Property('${missing}')/Media`), 404);
    assert.equal(await h11('GET', `${O}/Property('${num}')/OpenHouse`), 200);
    assert.equal(await h11('GET', `${O}/OpenHouse`), 200);
    assert.equal(await h11('GET', `${O}/Member`), 200);
    assert.equal(await h11('GET', `${O}/Member('${code}')`), 200);
    assert.equal(await h11('GET', `${O}/Member('${noCode}')`), 404);
    assert.equal(await h11('GET', `${O}/Office('${code}')`), 200);
    assert.equal(await h11('GET', `${O}/$metadata`), 200);
    assert.equal(await h11('POST', `${O}/Property`, '{}'), 405);
    assert.equal(await h11('GET', '/api/v4/listings?page=3'), 200);
    assert.equal(await h11('GET', `/api/v4/listings/${num}`), 200);
    assert.equal(await h11('GET', `/api/v4/listings/${missing}`), 404);
    assert.equal(await h11('GET', `/api/v4/listings/${num}/history`), 200);
    assert.equal(await h11('GET', '/api/v4/search/listings?q=adu'), 200);
    assert.equal(await h11('GET', '/api/v4/markets/travis-tx/condo/stats'), 200);
    assert.equal(await h11('GET', '/api/v4/markets/san-diego-ca/farm-ranch/stats'), 200);
    assert.equal(await h11('GET', '/api/v4/markets/travis-tx/castle/stats'), 404, 'no such property type');
    assert.equal(await h11('GET', '/api/v4/markets/bexar-tx/condo/stats'), 404, 'no such market');
    assert.equal(await h11('GET', `/api/v4/collections/${slug}`), 200);
    assert.equal(await h11('GET', `/api/v4/collections/${noSlug}`), 404);
    assert.equal(await h11('POST', '/api/v4/saved-searches', '{"criteria":{}}'), 201);
    assert.equal(await h11('GET', `/api/v4/saved-searches/${code}`), 200);
    // A saved search created by the CRM's own id: 201 if new, 409 if it is there already.
    assert.equal(await h11('PUT', `/api/v4/saved-searches/${noCode}`, '{}'), 201);
    assert.equal(await h11('PUT', `/api/v4/saved-searches/${code}`, '{}'), 409);
    assert.equal(await h11('GET', `/records/v1/properties/${prop}`), 200);
    assert.equal(await h11('GET', `/records/v1/properties/${noProp}`), 404);
    assert.equal(await h11('GET', `/records/v1/properties/${prop}/tax-history`), 200);
    assert.equal(await h11('GET', `/records/v1/properties/${prop}/sales-history`), 200);
    assert.equal(await h11('POST', '/avm/v2/estimates', '{"address":"x"}'), 201);
    assert.equal(await h11('POST', '/avm/v2/comps', '{"radius":1}'), 201);
    assert.equal(await h11('POST', '/showings/v1/requests', '{"when":"x"}'), 201);
    assert.equal(await h11('GET', `/media/v1/listings/${num}/photos/1.jpg`), 200);
    assert.equal(await h11('GET', `/media/v1/listings/${num}/photos/60.jpg`), 200);
    assert.equal(await h11('GET', `/media/v1/listings/${num}/photos/61.jpg`), 404, 'no 61st photo');
    assert.equal(await h11('GET', `/media/v1/listings/${missing}/photos/1.jpg`), 404);
    assert.equal(await h11('POST', `/media/v1/listings/${num}/photos`, '{}'), 201);
    assert.equal(await h11('GET', '/api/v4/account'), 200);
    assert.equal(await h11('GET', '/api/v4/usage'), 200);
    assert.equal(await h11('GET', '/api/v4/feeds/changes'), 200);
    assert.equal(await h11('GET', `/app/v5/saved-searches/${code}/matches`), 200);
    assert.equal(await h11('GET', `/app/v5/listings/${num}`), 200);
    assert.equal(await h11('GET', `/app/v5/listings/${num}/gallery/7.jpg`), 200);
    assert.equal(await h11('POST', `/app/v5/listings/${num}/tour-requests`, '{"slot":"x"}'), 201);
    assert.equal(await h11('POST', '/input/v1/listing-batches', '{"listings":[]}'), 202);
    assert.equal(await h11('POST', '/inbound/v1/showing-events', '{"event":"lockbox.opened"}'), 200);
    assert.equal(await h11('GET', '/health'), 200);
    assert.equal(await h11('GET', '/v1/items'), 404, 'not the default mix\'s API');
    assert.equal(await h11('GET', '/rets/.env'), 404);
    const user = 'grace.m26@lintel-homes.example';
    assert.equal(await h11('POST', '/auth/v2/consumers/sign-in', JSON.stringify({ user, password: passwordOf(user) })), 200);
    assert.equal(await h11('POST', '/auth/v2/consumers/sign-in', JSON.stringify({ user, password: 'qwerty' })), 401);
    // Every request of the syndicators' photo syncs and of the app's galleries is answered:
    // the listings there, their photos, the tour requests.
    const media = trace.clients.filter((c) => c.variant === 'media').flatMap((c) => c.schedule.filter((q) => /\/photos\/\d+\.jpg$/.test(q.path))).slice(0, 60);
    const gallery = trace.clients.filter((c) => c.variant?.includes('signing')).flatMap((c) => c.schedule.filter((q) => q.path.startsWith('/app/v5/listings/'))).slice(0, 60);
    assert.equal(media.length, 60);
    assert.equal(gallery.length, 60);
    for (const q of [...media, ...gallery]) assert.equal(await h11(q.method, q.path, q.method === 'POST' ? '{}' : undefined), q.method === 'POST' ? 201 : 200, q.path);
  });

  test('answers heldout12\'s routes: custom methods, points and Unix days, stations, alerts and assets by UUID, storms, zones, model runs, creates with 409, every method, login, ingest, webhooks', async () => {
    const { api } = heldout12;
    const { idExists } = await import('../../bench/abuse/generate.mjs');
    // Station numbers go up to five digits only: records() looks from 1000000 on.
    const num = find((i) => idExists(api, i), 10000);
    const missing = find((i) => !idExists(api, i), 10000);
    const codes = Array.from({ length: 500 }, (_, i) => `p7k${(i + 46656).toString(36).slice(-3)}`).filter((x) => /[g-z]/.test(x));
    const code = codes.find((x) => slugExists(api, x));
    const noCode = codes.find((x) => !slugExists(api, x));
    const trace = generate(heldout12, 121);
    const [alert, noAlert] = uuidsIn(api, trace, /^\/v3\/alerts\/([0-9a-f-]{36})/);
    const [asset, noAsset] = uuidsIn(api, trace, /^\/v3\/assets\/([0-9a-f-]{36})/);
    const h12 = (method, path, body) => ask('heldout12', method, path, body);
    // Custom methods: the verb after a colon, the place in the query.
    assert.equal(await h12('GET', '/v1/currentConditions:lookup?location=47.61,-122.33'), 200);
    assert.equal(await h12('GET', '/v1/forecast/hours:lookup?location=98101'), 200);
    assert.equal(await h12('GET', '/v1/forecast/days:lookup?location=25.76,-80.19'), 200);
    assert.equal(await h12('GET', '/v1/history/hours:lookup?location=60601'), 200);
    assert.equal(await h12('GET', '/v1/publicAlerts:lookup?location=33130'), 200);
    assert.equal(await h12('POST', '/v1/history/areas:aggregate', '{"polygon":[]}'), 201);
    assert.equal(await h12('GET', '/v1/history/areas:aggregate'), 405);
    assert.equal(await h12('GET', '/v1/currentConditions'), 404, 'no verb');
    assert.equal(await h12('GET', '/v1/currentConditions:get'), 404, 'no such verb');
    assert.equal(await h12('GET', '/v1/currentConditions/lookup'), 404, 'a colon, not a slash');
    // The Dark Sky style API: lat,lon, and lat,lon,unix in one segment.
    assert.equal(await h12('GET', '/forecast/v2/29.7604,-95.3698'), 200);
    assert.equal(await h12('GET', '/forecast/v2/29.7604,-95.3698,1767225600'), 200);
    assert.equal(await h12('GET', '/forecast/v2/29.7604,-95.3698,1772323200'), 200, 'the last day');
    assert.equal(await h12('GET', '/forecast/v2/29.7604,-95.3698,1772409600'), 404, 'a day after the archive');
    assert.equal(await h12('GET', '/forecast/v2/29.7604,-95.3698,1767225601'), 404, 'not a midnight');
    assert.equal(await h12('GET', '/forecast/v2/29.76,-95.37'), 404, 'not a point it serves');
    assert.equal(await h12('GET', '/v3/stations?page=4'), 200);
    assert.equal(await h12('GET', `/v3/stations/${num}`), 200);
    assert.equal(await h12('GET', `/v3/stations/${missing}`), 404, 'retired or never there');
    assert.equal(await h12('GET', `/v3/stations/${num}/observations/latest`), 200);
    assert.equal(await h12('GET', `/v3/stations/${missing}/observations/latest`), 404);
    assert.equal(await h12('GET', `/v3/stations/${num}/observations/2026-02-14`), 200);
    assert.equal(await h12('GET', `/v3/stations/${num}/observations/2025-12-31`), 404, 'not in the archive');
    assert.equal(await h12('POST', `/v3/stations/${num}/observations`, '{"t":1}'), 201);
    assert.equal(await h12('GET', `/v3/stations/${num}/climate/normals/12`), 200);
    assert.equal(await h12('GET', `/v3/stations/${num}/climate/normals/13`), 404);
    assert.equal(await h12('GET', '/v3/alerts/active'), 200);
    assert.equal(await h12('GET', '/v3/alerts/active/zone/TXZ211'), 200);
    assert.equal(await h12('GET', '/v3/alerts/active/zone/txz211'), 404, 'zone codes are upper case');
    assert.equal(await h12('GET', `/v3/alerts/${alert}`), 200);
    assert.equal(await h12('GET', `/v3/alerts/${noAlert}`), 404, 'expired and purged');
    assert.equal(await h12('GET', '/v3/storms'), 200);
    assert.equal(await h12('GET', `/v3/storms/${code}`), 200);
    assert.equal(await h12('GET', `/v3/storms/${noCode}`), 404);
    assert.equal(await h12('GET', `/v3/storms/${code}/track`), 200);
    assert.equal(await h12('GET', `/v3/storms/${code}/advisories?after=17`), 200);
    assert.equal(await h12('GET', `/v3/storms/${code}/wind-probabilities/64kt`), 200);
    assert.equal(await h12('GET', `/v3/storms/${code}/wind-probabilities/80kt`), 404);
    assert.equal(await h12('GET', '/models/v1/hrrr-conus/runs'), 200);
    assert.equal(await h12('GET', '/models/v1/gfs-0p25/runs/2026030106/steps/042.grib2'), 200);
    assert.equal(await h12('GET', '/models/v1/gfs-0p25/runs/2026030106/steps/121.grib2'), 404, 'beyond the last step');
    assert.equal(await h12('GET', '/models/v1/gfs-0p25/runs/2026030106/steps/42.grib2'), 404, 'steps have three digits');
    assert.equal(await h12('GET', '/models/v1/gfs-0p25/runs/2026030300/steps/000.grib2'), 404, 'no such run');
    assert.equal(await h12('POST', '/v3/forecasts/bulk', '{"points":[]}'), 201);
    assert.equal(await h12('POST', '/v3/routes/forecast', '{"polyline":"x"}'), 201);
    assert.equal(await h12('GET', `/v3/assets/${asset}`), 200);
    assert.equal(await h12('GET', `/v3/assets/${noAsset}`), 404);
    assert.equal(await h12('GET', `/v3/assets/${asset}/alerts`), 200);
    // An asset created by the customer's own UUID: 201 if new, 409 if it is there already.
    assert.equal(await h12('PUT', `/v3/assets/${noAsset}`, '{}'), 201);
    assert.equal(await h12('PUT', `/v3/assets/${asset}`, '{}'), 409);
    assert.equal(await h12('PUT', '/v3/assets/not-a-uuid', '{}'), 404);
    assert.equal(await h12('GET', '/v3/account'), 200);
    assert.equal(await h12('GET', '/v3/account/usage'), 200);
    assert.equal(await h12('GET', '/v3/feeds/model-runs'), 200);
    assert.equal(await h12('GET', `/app/v7/places/${code}/now`), 200);
    assert.equal(await h12('GET', `/app/v7/places/${noCode}/now`), 404);
    assert.equal(await h12('GET', '/app/v7/radar/sites/KTLX/loop'), 200);
    assert.equal(await h12('GET', '/app/v7/radar/sites/KTLX/loop/frames/36.webp'), 200);
    assert.equal(await h12('GET', '/app/v7/radar/sites/KTLX/loop/frames/37.webp'), 404, 'no 37th frame');
    assert.equal(await h12('GET', '/app/v7/radar/sites/KXYZ/loop'), 404, 'no such radar');
    assert.equal(await h12('POST', `/app/v7/places/${code}/reports`, '{"sky":"hail"}'), 201);
    assert.equal(await h12('POST', '/ingest/v2/observations', '{"observations":[]}'), 202);
    assert.equal(await h12('POST', '/inbound/v1/lightning', '{"strikes":[]}'), 200);
    assert.equal(await h12('GET', '/healthz'), 200);
    assert.equal(await h12('GET', '/v1/items'), 404, 'not the default mix\'s API');
    assert.equal(await h12('GET', '/wx-admin/.env'), 404);
    const user = 'grace.m26';
    assert.equal(await h12('POST', '/id/v2/sessions', JSON.stringify({ user, password: passwordOf(user) })), 200);
    assert.equal(await h12('POST', '/id/v2/sessions', JSON.stringify({ user, password: 'letmein' })), 401);
    // Every request of the batch jobs' first bursts, of the GRIB downloads and of the radar
    // loops is answered: the stations there, every step, every frame, the reports.
    const firstBurst = trace.clients.filter((c) => c.variant === 'sync').flatMap((c) => c.schedule.filter((q) => q.path !== api.paths.poll && idExists(api, Number(q.path.split('/')[3]))).slice(0, 5));
    const grib = trace.clients.filter((c) => c.class === 'etl' && c.variant === 'grid').flatMap((c) => c.schedule.filter((q) => q.path.endsWith('.grib2')).slice(0, 15));
    const loops = trace.clients.filter((c) => c.variant?.includes('signing')).flatMap((c) => c.schedule.filter((q) => q.path.startsWith('/app/v7/radar/') || q.path.endsWith('/reports'))).slice(0, 60);
    assert.ok(firstBurst.length >= 25 && grib.length >= 30 && loops.length === 60, `${firstBurst.length} ${grib.length} ${loops.length}`);
    for (const q of [...firstBurst, ...grib, ...loops]) assert.equal(await h12(q.method, q.path, q.method === 'POST' ? '{}' : undefined), q.method === 'POST' ? 201 : 200, q.path);
  });

  test('answers heldout13\'s routes: shards and match numbers in one segment, players by UUID and by name and tagline, ladders, static data, weeks, builds, creates with 409, every method, login, ingest, webhooks', async () => {
    const { api } = heldout13;
    // Match numbers of ten digits.
    const num = find((i) => idExists(api, i), 1000000000);
    const missing = find((i) => !idExists(api, i), 1000000000);
    const codes = Array.from({ length: 500 }, (_, i) => `p7k${(i + 46656).toString(36).slice(-3)}`).filter((x) => /[g-z]/.test(x));
    const code = codes.find((x) => slugExists(api, x));
    const noCode = codes.find((x) => !slugExists(api, x));
    const slugs = Array.from({ length: 200 }, (_, i) => `gold-hat-${1000 + i}`);
    const slug = slugs.find((x) => slugExists(api, x));
    const noSlug = slugs.find((x) => !slugExists(api, x));
    const trace = generate(heldout13, 131);
    const [player, noPlayer] = uuidsIn(api, trace, /^\/account\/v2\/players\/([0-9a-f-]{36})/);
    const [ticket] = uuidsIn(api, trace, /^\/matchmaking\/v1\/tickets\/([0-9a-f-]{36})/);
    const h13 = (method, path, body) => ask('heldout13', method, path, body);
    // Matches: the shard, an underscore and the match number in one segment.
    assert.equal(await h13('GET', `/match/v5/matches/EU1_${num}`), 200);
    assert.equal(await h13('GET', `/match/v5/matches/EU1_${missing}`), 404, 'purged or never there');
    assert.equal(await h13('GET', `/match/v5/matches/KR1_${num}/timeline`), 200);
    assert.equal(await h13('GET', `/match/v5/matches/XX9_${num}`), 404, 'no such shard');
    assert.equal(await h13('GET', `/match/v5/matches/eu1_${num}`), 404, 'shards are upper case');
    assert.equal(await h13('GET', `/match/v5/matches/EU1-${num}`), 404, 'an underscore, not a dash');
    assert.equal(await h13('GET', `/match/v5/matches/EU1/${num}`), 404, 'one segment, not two');
    assert.equal(await h13('GET', `/match/v5/matches/${num}`), 404, 'no shard');
    assert.equal(await h13('GET', `/match/v5/matches/by-player/${player}/ids?start=20`), 200);
    assert.equal(await h13('GET', `/match/v5/matches/by-player/${noPlayer}/ids`), 404);
    // Players: by UUID, or by game name and tagline in two segments.
    assert.equal(await h13('GET', `/account/v2/players/${player}`), 200);
    assert.equal(await h13('GET', `/account/v2/players/${noPlayer}`), 404, 'deleted or banned');
    assert.equal(await h13('GET', `/account/v2/players/by-name/${code}/GG`), 200);
    assert.equal(await h13('GET', `/account/v2/players/by-name/${code}/0001`), 200);
    assert.equal(await h13('GET', `/account/v2/players/by-name/${noCode}/GG`), 404);
    assert.equal(await h13('GET', `/account/v2/players/by-name/${code}/gg`), 404, 'taglines as they are listed');
    assert.equal(await h13('GET', `/account/v2/players/by-name/${code}`), 404, 'no tagline');
    assert.equal(await h13('GET', '/account/v2/players/search?prefix=nova'), 200);
    assert.equal(await h13('GET', '/account/v2/me'), 200);
    assert.equal(await h13('GET', '/account/v2/me/rate-limits'), 200);
    // Ranked: ladders by queue, region, tier and division; the global leaderboard.
    assert.equal(await h13('GET', '/ranked/v3/ladders/ranked-solo/eu/diamond/IV?page=3'), 200);
    assert.equal(await h13('GET', '/ranked/v3/ladders/arena-3v3/tw/apex/I'), 200);
    assert.equal(await h13('GET', '/ranked/v3/ladders/ranked-solo/eu/diamond/V'), 404, 'no fifth division');
    assert.equal(await h13('GET', '/ranked/v3/ladders/ranked-solo/eu/diamond/4'), 404, 'Roman divisions');
    assert.equal(await h13('GET', '/ranked/v3/ladders/ranked-solo/eu/diamond'), 404, 'no division');
    assert.equal(await h13('GET', '/ranked/v3/ladders/ranked-solo/mars/diamond/I'), 404, 'no such region');
    assert.equal(await h13('GET', '/ranked/v3/leaderboards/global?page=7'), 200);
    assert.equal(await h13('GET', `/ranked/v3/players/${player}/entries`), 200);
    // Static data per patch, locale and hero, as .json; statistics per ISO week.
    assert.equal(await h13('GET', '/static/v1/versions.json'), 200);
    assert.equal(await h13('GET', '/static/v1/15.4.1/en_US/heroes/kestrel.json'), 200);
    assert.equal(await h13('GET', '/static/v1/15.4.1/en-US/heroes/kestrel.json'), 404, 'locales with an underscore');
    assert.equal(await h13('GET', '/static/v1/15.6.1/en_US/heroes/kestrel.json'), 404, 'no such patch');
    assert.equal(await h13('GET', '/static/v1/15.4.1/en_US/heroes/kestrel'), 404, 'a .json file');
    assert.equal(await h13('GET', '/static/v1/15.4.1/en_US/heroes/nobody.json'), 404, 'no such hero');
    assert.equal(await h13('GET', '/stats/v2/heroes/vesper/weekly/2026-W07'), 200);
    assert.equal(await h13('GET', '/stats/v2/heroes/vesper/weekly/2026-W11'), 404, 'a week to come');
    assert.equal(await h13('GET', '/stats/v2/heroes/vesper/weekly/2026-07'), 404, 'ISO weeks');
    // Inventories: a player's UUID and an item's slug in one path; gifts.
    assert.equal(await h13('GET', `/inventory/v1/players/${player}/items`), 200);
    assert.equal(await h13('GET', `/inventory/v1/players/${player}/items/${slug}`), 200);
    assert.equal(await h13('GET', `/inventory/v1/players/${player}/items/${noSlug}`), 404);
    assert.equal(await h13('GET', `/inventory/v1/players/${noPlayer}/items/${slug}`), 404);
    assert.equal(await h13('POST', `/inventory/v1/players/${player}/gifts`, '{"items":[1]}'), 201);
    assert.equal(await h13('DELETE', `/inventory/v1/players/${player}/gifts`), 405);
    assert.equal(await h13('GET', '/inventory/v1/marketplace/listings?page=2'), 200);
    assert.equal(await h13('GET', `/clans/v1/${code}`), 200);
    assert.equal(await h13('GET', `/clans/v1/${noCode}`), 404);
    assert.equal(await h13('GET', `/clans/v1/${code}/members`), 200);
    assert.equal(await h13('GET', `/spectator/v4/active-games/by-player/${player}`), 200);
    // Esports: players created by the league's own id (201 if new, 409 if there); live games.
    assert.equal(await h13('GET', '/esports/v2/schedule'), 200);
    assert.equal(await h13('GET', `/esports/v2/players/${code}`), 200);
    assert.equal(await h13('GET', `/esports/v2/players/${noCode}`), 404);
    assert.equal(await h13('PUT', `/esports/v2/players/${noCode}`, '{}'), 201);
    assert.equal(await h13('PUT', `/esports/v2/players/${code}`, '{}'), 409);
    assert.equal(await h13('GET', `/esports/v2/live/games/${num}/window?sinceFrame=12`), 200);
    assert.equal(await h13('GET', `/esports/v2/live/games/${num}/details`), 200);
    assert.equal(await h13('GET', `/esports/v2/live/games/${missing}/details`), 404);
    assert.equal(await h13('POST', '/coach/v1/analyses', '{"match":"x"}'), 201);
    assert.equal(await h13('POST', '/tournament/v1/lobbies', '{"teams":[]}'), 201);
    // Minidumps per client build: a dotted version, the last part zero-padded.
    assert.equal(await h13('POST', '/crash/v1/15.5.620.0042/minidumps', '{}'), 201);
    assert.equal(await h13('POST', '/crash/v1/15.5.620.42/minidumps', '{}'), 404, 'zero-padded');
    assert.equal(await h13('GET', '/platform/v1/status/TW1'), 200);
    assert.equal(await h13('GET', '/platform/v1/status/TW2'), 404);
    assert.equal(await h13('GET', '/platform/v1/ping'), 200);
    assert.equal(await h13('GET', '/events/v1/changes'), 200);
    // The game client: its queue ticket, a replay's metadata and chunks, a commendation.
    assert.equal(await h13('GET', `/matchmaking/v1/tickets/${ticket}`), 200);
    assert.equal(await h13('GET', `/matchmaking/v1/tickets/${noPlayer}`), 404, 'expired');
    assert.equal(await h13('GET', `/replays/v2/NA1_${num}/metadata.json`), 200);
    assert.equal(await h13('GET', `/replays/v2/NA1_${num}/chunks/40.bin`), 200);
    assert.equal(await h13('GET', `/replays/v2/NA1_${num}/chunks/41.bin`), 404, 'no 41st chunk');
    assert.equal(await h13('GET', `/replays/v2/NA1_${missing}/metadata.json`), 404);
    assert.equal(await h13('POST', `/honor/v1/matches/NA1_${num}/commendations`, '{"player":"x"}'), 201);
    assert.equal(await h13('GET', `/honor/v1/matches/NA1_${num}/commendations`), 405);
    assert.equal(await h13('POST', '/telemetry/v3/batches', '{"events":[]}'), 202);
    assert.equal(await h13('POST', '/webhooks/v1/commerce', '{"type":"entitlement.granted"}'), 200);
    assert.equal(await h13('GET', '/v1/items'), 404, 'not the default mix\'s API');
    assert.equal(await h13('GET', '/gm/v1/.env'), 404);
    const user = 'omar.m34';
    assert.equal(await h13('POST', '/auth/v4/player-sessions', JSON.stringify({ user, password: passwordOf(user) })), 200);
    assert.equal(await h13('POST', '/auth/v4/player-sessions', JSON.stringify({ user, password: 'qwerty' })), 401);
    // Every request of the feeds' first timelines, of the ladder caches, of the queue tickets
    // and of the replays is answered: the matches there, every ladder page, every chunk, the
    // commendations.
    const feeds = trace.clients.filter((c) => c.variant === 'sync').flatMap((c) => c.schedule.filter((q) => q.path !== api.paths.poll && idExists(api, Number(q.path.split('/')[4].split('_')[1]))).slice(0, 5));
    const ladders = trace.clients.filter((c) => c.class === 'etl' && c.variant === 'grid').flatMap((c) => c.schedule.filter((q) => q.path.startsWith('/ranked/v3/ladders/')).slice(0, 15));
    const tickets = trace.clients.filter((c) => c.variant?.includes('refresh')).flatMap((c) => c.schedule.filter((q) => q.path.startsWith('/matchmaking/')).slice(0, 1)).slice(0, 20);
    const replays = trace.clients.filter((c) => c.variant?.includes('signing')).flatMap((c) => c.schedule.filter((q) => q.path.startsWith('/replays/') || q.path.startsWith('/honor/'))).slice(0, 60);
    assert.ok(feeds.length >= 25 && ladders.length >= 30 && tickets.length === 20 && replays.length === 60, `${feeds.length} ${ladders.length} ${tickets.length} ${replays.length}`);
    for (const q of [...feeds, ...ladders, ...tickets, ...replays]) assert.equal(await h13(q.method, q.path, q.method === 'POST' ? '{}' : undefined), q.method === 'POST' ? 201 : 200, q.path);
  });

  test('agrees with the generator on which logins succeed', async () => {
    for (const [name, sc, seed] of SCENARIOS) {
      const trace = generate(sc, seed);
      const qs = trace.clients.filter((x) => ['app_users', 'login_stuffing', 'login_campaign'].includes(x.class))
        .flatMap((x) => x.schedule.filter((q) => q.body !== undefined));
      // Every right one and 100 wrong ones.
      const right = qs.filter((q) => { const c = JSON.parse(q.body); return c.password === passwordOf(c.user); });
      const wrong = qs.filter((q) => !right.includes(q)).slice(0, 100);
      assert.ok(right.length > 10 && wrong.length === 100);
      for (const q of right) assert.equal(await ask(name, 'POST', q.path, q.body), 200, `${name} ${q.body}`);
      for (const q of wrong) assert.equal(await ask(name, 'POST', q.path, q.body), 401, `${name} ${q.body}`);
    }
  });

  test('answers the default mix as before its table came from the scenario', async () => {
    const { idExists } = await import('../../bench/abuse/generate.mjs');
    const id = find((i) => idExists(scenario.api, i));
    const missing = find((i) => !idExists(scenario.api, i));
    assert.equal(await ask('default', 'GET', `/v1/items/${id}`), 200);
    assert.equal(await ask('default', 'GET', `/v1/items/${missing}`), 404);
    assert.equal(await ask('default', 'GET', `/v1/users/${id}`), 200);
    assert.equal(await ask('default', 'POST', `/v1/items/${id}/comments`, '{}'), 201);
    assert.equal(await ask('default', 'POST', '/v1/events', '{}'), 202);
    assert.equal(await ask('default', 'GET', '/v1/ping'), 200);
    assert.equal(await ask('default', 'GET', '/v1/export/users.csv'), 404);
    // The first route whose path matches decides (api.firstPathMatch): GET /v1/orders.
    assert.equal(await ask('default', 'POST', '/v1/orders', '{}'), 405);
    assert.equal(await ask('default', 'POST', '/v1/items/abc'), 404);
  });
});

test('the labels check: fewer or as many benign refused, no attack class lost beyond the replay noise', () => {
  // counts: [refused, clients] per class, one seed per config.
  const cfg = (counts) => [{ m: { counts } }];
  const per = new Map([
    ['heuristics', cfg({ overall: [1, 100], stuffing: [50, 60], scraping: [9, 10] })],
    ['model@0', cfg({ overall: [1, 100], stuffing: [48, 60], scraping: [9, 10] })], // noise 2
    ['model@50', cfg({ overall: [0, 100], stuffing: [46, 60], scraping: [10, 10] })], // within noise
    ['model@200', cfg({ overall: [0, 100], stuffing: [45, 60], scraping: [9, 10] })], // 3 lost > 2
    ['model@500', cfg({ overall: [2, 100], stuffing: [48, 60], scraping: [9, 10] })], // more benign
  ]);
  const rows = labelLines({ per, budgets: [0, 50, 200, 500], attackRows: ['stuffing', 'scraping'] })
    .filter((l) => /^\| \d/.test(l));
  assert.equal(rows.length, 3);
  assert.match(rows[0], /^\| 50 \| 0\/100 \(model@0: 1\) \| none \| none \| PASS \|$/);
  assert.match(rows[1], /\| stuffing 45\/60 \(48\) \| none \| \*\*FAIL\*\* \|$/);
  assert.match(rows[2], /^\| 500 \| 2\/100 .*\*\*FAIL\*\* \|$/);
  assert.deepEqual(labelLines({ per: new Map([['heuristics', []]]), budgets: [0, 50], attackRows: [] }), []);
});
