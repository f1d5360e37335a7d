// `make bench-abuse`: replays seeded, labelled traffic (generate.mjs, parameters in
// scenario.mjs) through the real gateway (PostgreSQL + `tollgate serve` + Caddy with the
// repository's Caddyfile, started by tests/e2e/harness.mjs) and reports false positives on
// benign clients and detection and time-to-block per attack class, for:
//   fixed window, token bucket        offline, on the same traces (baselines.mjs)
//   heuristics                        TOLLGATE_ABUSE_ENGINE=heuristics
//   model@0, model@50, model@200      TOLLGATE_ABUSE_ENGINE=model after that many simulated
//                                     customer labels (some wrong) and `tollgate train`
// with 95% intervals over the seeds. Writes build/abuse-results.md (and .json).
//
//   node bench/abuse/run.mjs [--scenario FILE] [--seeds 1,2,3] [--duration S] [--out FILE]
// (--seeds defaults to the scenario's seeds; bench/abuse/heldout.mjs is the held-out mix).
// Environment: BENCH_ABUSE_SCENARIO, BENCH_ABUSE_SEEDS, BENCH_ABUSE_DURATION do the same.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startStack, waitFor, get, ROOT } from '../../tests/e2e/harness.mjs';
import { apiPaths, generate, isValidKey, keyName, loadScenario, rng, summary } from './generate.mjs';
import { replay, outcomes, engineRefusals } from './replay.mjs';
import { fixedWindow, fixedWindowRefusals, tokenBucket, tokenBucketRefusals } from './baselines.mjs';
import { campaignStats, report } from './report.mjs';

const started = Date.now();
const arg = (name, env, dflt) => {
  const i = process.argv.indexOf(name);
  if (i > 0) return process.argv[i + 1];
  return process.env[env] || dflt;
};
const log = (...a) => console.error(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s]`, ...a);

const scenarioFile = path.resolve(arg('--scenario', 'BENCH_ABUSE_SCENARIO', path.join(ROOT, 'bench/abuse/scenario.mjs')));
const sc = structuredClone(await loadScenario(scenarioFile));
const seedsArg = arg('--seeds', 'BENCH_ABUSE_SEEDS', '');
if (seedsArg) sc.seeds = seedsArg.split(',').map(Number);
const durArg = arg('--duration', 'BENCH_ABUSE_DURATION', '');
if (durArg) sc.durationS = Number(durArg);
const outFile = path.resolve(arg('--out', 'BENCH_ABUSE_OUT', path.join(ROOT, 'build/abuse-results.md')));
if (!sc.seeds.length || sc.seeds.some((s) => !Number.isInteger(s)) || !(sc.durationS > 0)) {
  console.error('run.mjs: seeds must be integers and the duration positive');
  process.exit(2);
}
if (!fs.existsSync(path.join(ROOT, 'build/tollgate'))) {
  console.error('run.mjs: build first (make all)');
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// Traces. The model tested on seed i learns from the decisions of the model@0 replay of the
// next seed's trace (a different trace); a single seed gets an extra training trace.

const evalTraces = new Map(sc.seeds.map((s) => [s, generate(sc, s)]));
const trainingSeedOf = (s) => (sc.seeds.length > 1
  ? sc.seeds[(sc.seeds.indexOf(s) + 1) % sc.seeds.length]
  : s + sc.trainingSeedOffset);
const extraTraining = sc.seeds.length > 1 ? [] : [trainingSeedOf(sc.seeds[0])];
const traces = new Map(evalTraces);
for (const s of extraTraining) traces.set(s, generate(sc, s));
const budgets = [...new Set([0, ...sc.labels.budgets])].sort((a, b) => a - b);
const nPhases = sc.seeds.length * (1 + budgets.length) + extraTraining.length;
log(`scenario '${sc.name}' (${path.relative(ROOT, scenarioFile)}), seeds ${sc.seeds.join(', ')}, ${sc.durationS} s per phase, ${nPhases} phases: about ${Math.ceil(nPhases * (sc.durationS + 10) / 60) + 1} min`);
for (const [s, t] of traces) {
  const parts = [...summary(t)].map(([c, x]) => `${c} ${x.clients}`).join(', ');
  log(`  trace ${s}: ${t.clients.reduce((n, c) => n + c.schedule.length, 0)} requests; ${parts}`);
}

// ---------------------------------------------------------------------------------------------
// The stack: the harness's PostgreSQL, `tollgate serve` and Caddy; our own upstream.

const upstream = spawn(process.execPath, [path.join(ROOT, 'bench/abuse/upstream.mjs'), JSON.stringify(sc.api)], { stdio: ['ignore', 'pipe', 'inherit'] });
process.on('exit', () => { try { upstream.kill('SIGKILL'); } catch { /* gone */ } });
const upstreamPort = await new Promise((resolve, reject) => {
  upstream.stdout.once('data', (d) => resolve(Number(String(d).trim())));
  upstream.once('exit', (c) => reject(new Error(`the upstream exited (${c})`)));
});

// The gateway binary as it is now: others may rebuild build/tollgate during a run of 15
// minutes, and every phase restarts `tollgate serve`. Every phase and CLI call uses this copy.
const binDir = fs.mkdtempSync(path.join(ROOT, 'build', 'abuse-bin-'));
const BIN = path.join(binDir, 'tollgate');
fs.copyFileSync(path.join(ROOT, 'build/tollgate'), BIN);
fs.chmodSync(BIN, 0o755);
process.on('exit', () => fs.rmSync(binDir, { recursive: true, force: true }));
const binSha = crypto.createHash('sha256').update(fs.readFileSync(BIN)).digest('hex').slice(0, 12);
const gitDescribe = spawnSync('git', ['describe', '--always', '--dirty'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();

const s = await startStack({
  workers: sc.gateway.workers,
  env: {
    TOLLGATE_ABUSE_ENGINE: 'heuristics',
    TOLLGATE_ABUSE_ANON_MODE: 'enforce',
    TOLLGATE_FLUSH_INTERVAL: '500ms',
    // Per-address and auth-failure limits wide open: the plan limits must not mask the engine.
    TOLLGATE_IP_RPS: '1000000',
    TOLLGATE_IP_BURST: '1000000',
    TOLLGATE_AUTHFAIL_PER_MINUTE: '1000000',
    TOLLGATE_AUTHFAIL_BURST: '1000000',
    // The benchmark decides when to train; the server's own trainer must not.
    TOLLGATE_TRAIN_AFTER_LABELS: '1000000',
    TOLLGATE_LOG_LEVEL: 'warn',
    ...sc.gateway.env,
  },
});
// The harness's helpers, on the copy.
const runBin = (args) => {
  const r = spawnSync(BIN, args, { encoding: 'utf8', cwd: ROOT, env: s.env });
  if (r.error) throw r.error;
  return r;
};
s.cli = (...args) => runBin(args);
s.mustCli = (...args) => {
  const r = runBin(args);
  if (r.status !== 0) throw new Error(`tollgate ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
};
s.startServe = () => {
  const logFd = fs.openSync(path.join(s.dir, 'tollgate.log'), 'a');
  const p = spawn(BIN, ['serve'], { env: s.env, stdio: ['ignore', logFd, logFd] });
  fs.closeSync(logFd);
  s.procs.serve = p;
  return p;
};
let ok = false;
const cleanup = async () => {
  await s.stop();
  upstream.kill('SIGTERM');
};
process.on('SIGINT', () => process.exit(130));

try {
  log(`stack up: ${s.url}, upstream :${upstreamPort}`);
  const tenantId = s.mustCli('tenant', 'create', 'bench', '--upstream', `http://127.0.0.1:${upstreamPort}`, '--plan', 'scale').trim();
  s.mustCli('tenant', 'set', 'bench', '--monthly', 'unlimited', '--key-rps', '1000000', '--key-burst', '1000000',
    '--key-rpm', '100000000', '--rps', '1000000', '--burst', '1000000', '--rpm', '100000000', '--max-body', sc.gateway.maxBody);
  s.psql("UPDATE tenants SET abuse_mode = 'enforce', abuse_sample_rate = 1 WHERE slug = 'bench'");

  // Keys: the valid pool (index i of every trace), a probe key, and the revoked pool; the
  // app's key (one key every trace's app users, login stuffers and login campaigns present)
  // and the dormant accounts' valid keys (only key sprayers present them), each a pool of its
  // own so that a key plays the same part in every trace. Named, for whoever reads the
  // decisions.
  const pools = ['valid', 'revoked', 'app', 'dormant'];
  const size = Object.fromEntries(pools.map((p) => [p, Math.max(...[...traces.values()].map((t) => t.keys[p] ?? 0))]));
  log(`creating ${pools.map((p) => `${size[p]} ${p}`).join(', ')} keys`);
  const make = (n, name) => Array.from({ length: n }, (_, i) => (name ? s.key('bench', '--name', name(i)) : s.key('bench')));
  const keys = {
    valid: make(size.valid), revoked: make(size.revoked),
    app: make(size.app, () => 'app'), dormant: make(size.dormant, (i) => `dormant-${i}`),
  };
  const probeKey = s.key('bench');
  const idOf = new Map(s.psql('SELECT prefix, id FROM api_keys').split('\n').map((l) => l.split('|')));
  const keyIds = Object.fromEntries(pools.map((p) => [p, keys[p].map((k) => idOf.get(k.slice(0, 16)))]));
  if (pools.some((p) => keyIds[p].some((x) => x === undefined))) throw new Error('a created key is not in api_keys');
  if (keyIds.revoked.length) s.psql(`UPDATE api_keys SET revoked_at = now() WHERE id IN (${keyIds.revoked.join(',')})`);
  // Every account is a year old: the active ones (valid and app keys) sent requests this
  // month, the dormant ones none for months, which each phase restores (a spray in one
  // phase would otherwise have woken them for the next).
  const old = [...keyIds.valid, ...keyIds.app, ...keyIds.dormant];
  if (old.length) s.psql(`UPDATE api_keys SET created_at = now() - interval '400 days' WHERE id IN (${old.join(',')})`);
  const active = [...keyIds.valid, ...keyIds.app];
  if (active.length) {
    s.psql(`INSERT INTO usage_monthly (key_id, month, tenant_id, requests) SELECT id, date_trunc('month', now() AT TIME ZONE 'UTC')::date, tenant_id, 1 FROM api_keys WHERE id IN (${active.join(',')}) ON CONFLICT DO NOTHING`);
  }
  const asleep = () => keyIds.dormant.length && s.psql(`DELETE FROM usage_monthly WHERE key_id IN (${keyIds.dormant.join(',')})`);
  // A stored decision's key_id -> the trace's key reference ('valid:3', 'app:0', ...).
  const keyNameOfId = new Map(pools.filter((p) => p !== 'revoked').flatMap((p) => keyIds[p].map((id, i) => [String(id), `${p}:${i}`])));
  const pingPath = apiPaths(sc.api).ping;

  const columns = s.psql("SELECT string_agg(column_name, ', ' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'abuse_decisions'");
  s.psql('CREATE TABLE bench_pool AS SELECT 0 AS seed, * FROM abuse_decisions WITH NO DATA');

  // -------------------------------------------------------------------------------------------
  // One phase: a fresh `tollgate serve` (new shared memory: no client state, no block carries
  // over) with the given engine, no decisions stored, then the replay.
  let phaseNo = 0;
  const phases = [];
  const runPhase = async (config, seed, engine) => {
    phaseNo++;
    const trace = traces.get(seed);
    await s.stopServe('SIGTERM');
    const oldShm = s.env.TOLLGATE_SHM_PATH;
    s.env.TOLLGATE_SHM_PATH = path.join(s.dir, `phase-${phaseNo}.shm`);
    fs.rmSync(oldShm, { force: true });
    s.env.TOLLGATE_ABUSE_ENGINE = engine;
    s.psql('DELETE FROM abuse_decisions');
    asleep();
    s.startServe();
    await waitFor('the gate after the restart', async () => (await get(`${s.internal}/health/ready`)).status === 200, { timeout: 30000 });
    // Tenants and keys are loaded when a request with a key goes through (from 127.0.0.1,
    // an address no trace uses, on a route no trace uses).
    await waitFor('the keys after the restart', async () => (await get(`${s.url}${pingPath}`, { Authorization: `Bearer ${probeKey}` })).status === 200, { timeout: 30000 });
    log(`phase ${phaseNo}/${nPhases}: ${config}, trace ${seed} (${engine})`);
    const r = await replay(trace, { url: s.url, keys, log });
    await sleep(2500); // the flusher writes the last decisions
    const out = outcomes(trace, r.results);
    // Why each refused client was refused: the decision that imposed its block or throttle.
    const ids = [...new Set(out.map((o) => o.decision).filter((d) => /^[0-9a-f-]{36}$/.test(d ?? '')))];
    const reasons = new Map();
    if (ids.length) {
      const q = `SELECT id, reason, outcome, tenant_id IS NULL, score, features FROM abuse_decisions WHERE id IN (${ids.map((d) => `'${d}'`).join(',')})`;
      for (const l of s.psql(q).split('\n').filter(Boolean)) {
        const [id, reason, outcome, anon, score, features] = l.split('|');
        // A decision on a request without a valid key was scored by the global model (or
        // the heuristics), never by the tenant's.
        reasons.set(id, { reason: `${reason}/${outcome}${anon === 't' ? ' (no valid key)' : ''}`, score: Number(score), features: features.replace(/[{}]/g, '').split(',').map(Number) });
      }
    }
    for (const o of out) {
      const d = o.refused ? reasons.get(o.decision) : null;
      o.reason = o.refused ? (d?.reason ?? 'unknown') : null;
      if (d) {
        o.decisionScore = d.score;
        o.decisionFeatures = d.features;
      }
    }
    const versions = s.psql("SELECT coalesce(string_agg(model_version || ':' || n, ' '), '') FROM (SELECT model_version, count(*) n FROM abuse_decisions WHERE tenant_id IS NOT NULL AND host(ip) <> '127.0.0.1' GROUP BY 1 ORDER BY 1) v");
    const stored = Number(s.psql('SELECT count(*) FROM abuse_decisions'));
    const sent = r.results.reduce((n, x) => n + x.length, 0);
    log(`  done in ${(r.wallMs / 1000).toFixed(1)} s; lag p50 ${r.lagMs.p50.toFixed(1)} ms, p99 ${r.lagMs.p99.toFixed(1)} ms, max ${r.lagMs.max.toFixed(0)} ms; ${stored}/${sent} decisions stored; model versions ${versions || '-'}`);
    const campaigns = campaignStats(trace, engineRefusals(r.results), r.results.map((rs) => rs.map((x) => x.sent)));
    const phase = { config, seed, engine, clients: out, campaigns, lagMs: r.lagMs, sent, stored, modelVersions: versions };
    phases.push(phase);
    return phase;
  };

  const summarize = (phase, trace) => {
    const by = {};
    trace.clients.forEach((c, i) => {
      const b = (by[c.class] ??= { n: 0, refused: 0 });
      b.n++;
      b.refused += phase.clients[i].refused;
    });
    return Object.entries(by).map(([c, b]) => `${c} ${b.refused}/${b.n}`).join(', ');
  };

  // -------------------------------------------------------------------------------------------
  // Labels: the simulated customer reviews the training replay's decisions and labels them.

  const labelPlan = (trainSeed) => {
    const trace = traces.get(trainSeed);
    // (address, key) -> client. The app key is shared, but each of its users (and each
    // address of a campaign) has an address of its own; a partner's key is its own.
    const clientOf = new Map();
    for (const c of trace.clients) {
      for (const q of c.schedule) {
        if (isValidKey(q.key)) clientOf.set(`${q.sourceIp ?? c.sourceIp}|${keyName(q.key)}`, c);
      }
    }
    const rows = s.psql(`SELECT id, key_id, host(ip), outcome FROM bench_pool WHERE seed = ${trainSeed} AND key_id IS NOT NULL ORDER BY at, id`)
      .split('\n').filter(Boolean).map((l) => {
        const [id, keyId, ip, outcome] = l.split('|');
        return { id, client: clientOf.get(`${ip}|${keyNameOfId.get(keyId)}`), outcome };
      }).filter((r) => r.client);
    const r = rng(trainSeed, 'labels');
    // Round-robin over clients (in random order), a random decision of each per round: the
    // customer looks at many clients, a few decisions each, not 200 rows of one client.
    const rank = (list) => {
      const per = new Map();
      for (const d of list) (per.get(d.client.id) ?? per.set(d.client.id, []).get(d.client.id)).push(d);
      const queues = r.shuffle([...per.values()].map((q) => r.shuffle(q)));
      const outList = [];
      for (let round = 0; outList.length < list.length; round++) {
        for (const q of queues) if (round < q.length) outList.push(q[round]);
      }
      return outList;
    };
    const refused = rank(rows.filter((d) => d.outcome !== 'allow'));
    const allowed = rank(rows.filter((d) => d.outcome === 'allow'));
    for (const d of [...refused, ...allowed]) {
      d.truth = d.client.benign ? 'false_positive' : 'confirmed_abuse';
      d.wrong = r.chance(sc.labels.errorRate);
      d.label = d.wrong ? (d.client.benign ? 'confirmed_abuse' : 'false_positive') : d.truth;
      d.order = r.next(); // when the customer got to it: validation is the last 30%
    }
    return (budget) => {
      let nR = Math.min(refused.length, Math.round(budget * sc.labels.refusedShare));
      const nA = Math.min(allowed.length, budget - nR);
      nR = Math.min(refused.length, budget - nA);
      return [...refused.slice(0, nR), ...allowed.slice(0, nA)].sort((a, b) => a.order - b.order);
    };
  };

  const train = (evalSeed, budget, plan) => {
    s.psql(`DELETE FROM abuse_models WHERE tenant_id = ${tenantId}; DELETE FROM abuse_decisions`);
    const info = { budget, trainSeed: trainingSeedOf(evalSeed), labels: 0, abuse: 0, benign: 0, wrong: 0, byClass: {}, activated: false, version: 0, output: '' };
    if (budget === 0) return info;
    const chosen = plan(budget);
    info.labels = chosen.length;
    for (const d of chosen) {
      info.abuse += d.label === 'confirmed_abuse';
      info.benign += d.label === 'false_positive';
      info.wrong += d.wrong;
      info.byClass[d.client.class] = (info.byClass[d.client.class] ?? 0) + 1;
    }
    const values = chosen.map((d, i) => `('${d.id}'::uuid, '${d.label}', ${i})`).join(',');
    // The tenant's decisions as a real tenant has them: the whole training replay, a few
    // of them labelled (the trainer checks a new model on the unlabelled ones too).
    s.psql(`INSERT INTO abuse_decisions (${columns}) SELECT ${columns} FROM bench_pool WHERE seed = ${info.trainSeed};
      UPDATE abuse_decisions SET label = v.label, labeled_at = now() + v.ord * interval '1 millisecond'
        FROM (VALUES ${values}) AS v(id, label, ord) WHERE abuse_decisions.id = v.id`);
    const r = s.cli('train', 'bench', '--min-labels', '1');
    info.output = `${r.stdout}${r.stderr}`.trim();
    const m = info.output.match(/^version (\d+) (activated|stored, not activated)/m);
    info.version = m ? Number(m[1]) : 0;
    info.activated = m?.[2] === 'activated';
    info.weights = info.activated ? s.psql(`SELECT weights FROM abuse_models WHERE tenant_id = ${tenantId} AND active`) : null;
    s.psql('DELETE FROM abuse_decisions');
    return info;
  };

  // -------------------------------------------------------------------------------------------
  const training = [];
  for (const seed of sc.seeds) {
    const h = await runPhase('heuristics', seed, 'heuristics');
    log(`  refused: ${summarize(h, traces.get(seed))}`);
    const m0 = await runPhase('model@0', seed, 'model');
    log(`  refused: ${summarize(m0, traces.get(seed))}`);
    s.psql(`INSERT INTO bench_pool SELECT ${seed}, * FROM abuse_decisions WHERE host(ip) <> '127.0.0.1'`);
  }
  for (const seed of extraTraining) {
    const p = await runPhase('training', seed, 'model');
    log(`  refused: ${summarize(p, traces.get(seed))}`);
    s.psql(`INSERT INTO bench_pool SELECT ${seed}, * FROM abuse_decisions WHERE host(ip) <> '127.0.0.1'`);
  }
  for (const seed of sc.seeds) {
    const plan = labelPlan(trainingSeedOf(seed));
    for (const budget of budgets.filter((b) => b > 0)) {
      const info = train(seed, budget, plan);
      info.evalSeed = seed;
      training.push(info);
      log(`trained for seed ${seed} on trace ${info.trainSeed} with ${info.labels} labels (${info.abuse} abuse, ${info.benign} benign, ${info.wrong} wrong): ${info.output.split('\n').join(' | ')}`);
      const p = await runPhase(`model@${budget}`, seed, 'model');
      p.training = info;
      log(`  refused: ${summarize(p, traces.get(seed))}`);
    }
  }

  // Baselines on the same evaluation traces.
  for (const seed of sc.seeds) {
    const trace = traces.get(seed);
    phases.push({ config: 'fixed window', seed, clients: fixedWindow(trace, sc.baselines.fixedWindow), campaigns: campaignStats(trace, fixedWindowRefusals(trace, sc.baselines.fixedWindow)) });
    phases.push({ config: 'token bucket', seed, clients: tokenBucket(trace, sc.baselines.tokenBucket), campaigns: campaignStats(trace, tokenBucketRefusals(trace, sc.baselines.tokenBucket)) });
  }

  const elapsedS = (Date.now() - started) / 1000;
  const build = `${gitDescribe}, build/tollgate sha256 ${binSha}…`;
  const md = report({ sc, scenarioFile: path.relative(ROOT, scenarioFile), traces, phases, training, budgets, elapsedS, build });
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, md);
  fs.writeFileSync(outFile.replace(/\.md$/, '') + '.json', JSON.stringify({
    scenario: sc, scenarioFile: path.relative(ROOT, scenarioFile), build, elapsedS, training,
    phases: phases.map((p) => ({
      ...p,
      clients: p.clients.map((o, i) => ({ id: traces.get(p.seed).clients[i].id, class: traces.get(p.seed).clients[i].class, variant: traces.get(p.seed).clients[i].variant, ...o })),
    })),
  }, null, 1));
  console.log(md);
  console.log(`(written to ${path.relative(ROOT, outFile)} and ${path.relative(ROOT, outFile.replace(/\.md$/, '') + '.json')})`);
  ok = true;
} catch (e) {
  console.error(e.stack || String(e));
  console.error(s.logs());
} finally {
  await cleanup();
}
process.exit(ok ? 0 : 1);
