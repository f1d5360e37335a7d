// The abuse engine through the real gateway: shadow and enforce modes, blocks with their
// decision id, address lists, what a stored decision holds (and does not), and training a
// tenant's model from labels until it stops refusing a pattern it was told is benign.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { get, getFrom, probeName, startStack, waitFor } from './harness.mjs';

const ABUSE_TYPE = /\/abnormal-usage-detected$/;
const env = { TOLLGATE_FLUSH_INTERVAL: '200ms', TOLLGATE_ABUSE_ANON_MODE: 'enforce' };
// Waits on state, not the clock: generous, since a wait returns as soon as the state is there.
const PATIENCE = 30000;

// Successful flush rounds so far; each one also stores the sampled decisions.
async function flushes(s) {
  const text = (await get(`${s.internal}/metrics`)).text;
  const line = text.split('\n').find((l) => l.startsWith('tollgate_flushes_total '));
  return line ? Number(line.split(' ').pop()) : NaN;
}

// Waits until every decision sampled so far is in PostgreSQL: a decision is sampled before
// its answer is sent, and of two more flush rounds the second began after this call.
async function decisionsStored(s) {
  const before_ = await flushes(s);
  await waitFor('two more flush rounds', async () => (await flushes(s)) >= before_ + 2, { timeout: PATIENCE, interval: 50 });
}

// Walks `n` distinct route templates with a key, where the tenant's API has nothing (404):
// the path_enumeration rule (a block) fires past ~40 distinct routes in ten minutes that
// mostly find nothing. (Many routes that answer are a rich client, not a scanner.)
async function enumerate(s, key, n, from = 0, headers = {}) {
  const statuses = [];
  for (let i = from; i < from + n; i++) {
    statuses.push((await get(`${s.url}/status/404/${probeName(i)}/list?page=2&email=jane@example.com`, { 'X-Api-Key': key, ...headers })).status);
  }
  return statuses;
}

describe('abuse engine', () => {
  let s;
  before(async () => { s = await startStack({ env }); });
  after(async () => { await s?.stop(); });

  test('in shadow mode (the default) it records what it would block and blocks nothing', async () => {
    const { id } = s.tenant('shadowed');
    const key = s.key('shadowed');
    await waitFor('the key', async () => (await get(`${s.url}/v1/x`, { 'X-Api-Key': key })).status === 200);
    const statuses = await enumerate(s, key, 60);
    assert.ok(statuses.every((st) => st === 404), `shadow mode must not refuse: ${statuses}`);
    await waitFor('the recorded decisions', () =>
      Number(s.psql(`SELECT count(*) FROM abuse_decisions WHERE tenant_id = ${id} AND outcome = 'block' AND NOT enforced`)) > 0,
    { timeout: PATIENCE });
    assert.equal(s.psql(`SELECT DISTINCT reason FROM abuse_decisions WHERE tenant_id = ${id} AND outcome = 'block'`), 'path_enumeration');
  });

  test('the tenant\'s API is told what the engine saw of each request (X-Tollgate-Risk), campaigns included; a client cannot say it', async () => {
    const { id } = s.tenant('told');
    const key = s.key('told');
    // From addresses of its own: what the other tests' 127.0.0.1 did is not this one's.
    const from = (a, p, headers = {}) => getFrom(`127.0.80.${a}`, `${s.url}${p}`, { 'X-Api-Key': key, ...headers });
    const risk = (r) => r.json?.echo?.headers['x-tollgate-risk'];
    // Slowly: anonymous traffic is enforced here, and a new address's 401s while the key
    // syncs would be key guessing after ten of them.
    await waitFor('the key', async () => (await from(200, '/v1/x')).status === 200, { interval: 250 });
    const r = await from(1, '/v1/x', { 'X-Tollgate-Risk': 'outcome=allow, score=0.99, campaign' });
    assert.equal(risk(r), 'outcome=allow, score=0.00', 'the gate\'s, not the client\'s');
    assert.equal(r.json.echo.rawHeaders.filter((n, i) => i % 2 === 0 && n.toLowerCase() === 'x-tollgate-risk').length, 1);
    // A login campaign through the app's key: fourteen addresses, one failed login each. No
    // address is refused for it (each failed once), but the API is told, on every route
    // the key is used on, so that it can ask for a captcha or a second factor.
    for (let a = 10; a < 24; a++) assert.equal((await from(a, '/status/401/login')).status, 401);
    await waitFor('the campaign, told', async () => /, campaign$/.test(risk(await from(100, '/v1/x')) ?? ''), { timeout: PATIENCE });
    // What shadow mode would have blocked, the API sees as a block it may act on. The key is
    // shared now (seen from many addresses), so the scanner is the address: sixty routes,
    // enough for the rule however many of the poll's 200s below come in before it.
    const statuses = [];
    for (let i = 0; i < 60; i++) statuses.push((await from(50, `/status/404/${probeName(i)}/list`)).status);
    assert.ok(statuses.every((st) => st === 404), 'shadow mode refuses nothing');
    await waitFor('the would-be block, told', async () =>
      /^outcome=block, score=[01]\.\d\d, reason=path_enumeration(, campaign)?$/.test(risk(await from(50, '/v1/x')) ?? ''),
    { timeout: PATIENCE });
    // With the engine off for the tenant, nothing was scored, and the header says so.
    s.psql(`UPDATE tenants SET abuse_mode = 'off' WHERE id = ${id}`);
    await waitFor('unscored', async () => risk(await from(2, '/v1/x')) === 'outcome=unscored', { timeout: PATIENCE });
  });

  test('in enforce mode it blocks with 403 abnormal-usage-detected and a decision id, and the upstream is not called', async () => {
    const { id } = s.tenant('enforced');
    s.psql(`UPDATE tenants SET abuse_mode = 'enforce' WHERE id = ${id}`);
    const key = s.key('enforced');
    // The key is created after abuse_mode was committed, and the one syncer applies changes
    // in the order they were committed (docs/architecture.md): a key that works proves the
    // tenant's enforce mode is in memory too, with no pause for it.
    await waitFor('the key in enforce mode', async () => (await get(`${s.url}/v1/x`, { 'X-Api-Key': key })).status === 200,
      { timeout: PATIENCE });
    const statuses = await enumerate(s, key, 60);
    const first = statuses.indexOf(403);
    // Every answer a 404: path_enumeration from 15 routes (the key's /v1/x is one of them),
    // once the collector has brought the answers in; never before.
    assert.ok(first >= 13 && first < 60, `expected a block after some 15-60 routes: ${statuses}`);
    assert.ok(statuses.slice(first).every((st) => st === 403), 'a block lasts');
    const calls = s.upstream.calls.length;
    const r = await get(`${s.url}/v1/anything`, { 'X-Api-Key': key });
    assert.equal(r.status, 403);
    assert.match(r.json.type, ABUSE_TYPE);
    assert.match(r.json.decision_id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.ok(Number(r.headers.get('retry-after')) > 0);
    assert.equal(s.upstream.calls.length, calls, 'a blocked request never reaches the upstream');
    // The decision that started the block is stored under that id.
    await waitFor('the deciding row', () =>
      s.psql(`SELECT outcome || '/' || reason || '/' || enforced FROM abuse_decisions WHERE id = '${r.json.decision_id}'`) === 'block/path_enumeration/true',
    { timeout: PATIENCE });
    // It says why: the rule, the model that scored it, and the signals that pushed hardest,
    // largest first, the rule's own slot among them (what the decisions API and the portal show).
    const why = JSON.parse(s.psql(`SELECT explanation FROM abuse_decisions WHERE id = '${r.json.decision_id}'`));
    assert.equal(why.rule, 'path_enumeration', JSON.stringify(why));
    assert.equal(typeof why.model_version, 'number');
    assert.ok(why.signals.length >= 1 && why.signals.length <= 4, JSON.stringify(why));
    assert.equal(why.signals[0].signal, 'path_enumeration', JSON.stringify(why));
    for (const [i, sig] of why.signals.entries()) {
      assert.ok(sig.contribution > 0, JSON.stringify(sig));
      if (i > 0) assert.ok(sig.contribution <= why.signals[i - 1].contribution, JSON.stringify(why));
    }
    // Another key of the same tenant is unaffected: the block is on the key.
    const other = s.key('enforced');
    await waitFor('the other key', async () => (await get(`${s.url}/v1/x`, { 'X-Api-Key': other })).status === 200);
  });

  test('a declared crawler reading records with a key is refused at its sixth; a person\'s assistant reading as much is not', async () => {
    const { id } = s.tenant('crawled');
    s.psql(`UPDATE tenants SET abuse_mode = 'enforce' WHERE id = ${id}`);
    const [scraper, person] = [s.key('crawled'), s.key('crawled')];
    await waitFor('the keys in enforce mode', async () => (await getFrom('127.0.90.9', `${s.url}/v1/x`, { 'X-Api-Key': person })).status === 200,
      { timeout: PATIENCE });
    const read = (from, key, ua, i) => getFrom(from, `${s.url}/v1/messages/${String(i).padStart(8, '0')}-7d1e-4c2a-9b5f-0e3a6c8d4f21`,
      { 'X-Api-Key': key, 'User-Agent': ua });
    // ChatGPT fetching for a person (a custom GPT's action, with that person's key) links
    // to openai.com/bot; it is not a crawler. It reads first, so that nothing it does can
    // lean on a block of the scraper's.
    for (let i = 0; i < 12; i++) {
      const r = await read('127.0.90.2', person,
        'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko); compatible; ChatGPT-User/1.0; +https://openai.com/bot', i);
      assert.equal(r.status, 200, `the assistant's read ${i}`);
    }
    const statuses = [];
    let refusal;
    for (let i = 0; i < 8; i++) {
      const r = await read('127.0.90.1', scraper, 'Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)', i);
      statuses.push(r.status);
      if (r.status === 403) refusal ??= r;
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 403, 403, 403]);
    assert.match(refusal.json.type, ABUSE_TYPE);
    await waitFor('the decision', () =>
      s.psql(`SELECT outcome || '/' || reason || '/' || enforced FROM abuse_decisions WHERE id = '${refusal.json.decision_id}'`) === 'block/declared_crawler/true',
    { timeout: PATIENCE });
  });

  test('a stored decision holds metadata only: no query, no values, no key', async () => {
    const rows = s.psql("SELECT route || '|' || header_names || '|' || ua_family || '|' || array_length(features, 1) FROM abuse_decisions ORDER BY at DESC LIMIT 50").split('\n');
    assert.ok(rows.length > 10);
    for (const row of rows) {
      const [route, headers, ua, nfeatures] = row.split('|');
      assert.ok(!route.includes('?') && !route.includes('@') && !route.includes('jane'), route);
      assert.ok(!/[=:]/.test(headers) && headers.includes('x-api-key'), headers);
      assert.ok(!headers.includes('tg_live_'));
      assert.match(ua, /^(none|browser|curl|python|node|go|java|openai-sdk|anthropic-sdk|other|crawler)$/);
      assert.equal(nfeatures, '35');
    }
    const dump = s.psql('SELECT row_to_json(d)::text FROM abuse_decisions d');
    assert.ok(!dump.includes('tg_live_') && !dump.includes('jane@example.com') && !dump.includes('page=2'),
      'no key, email or query may be stored');
  });

  test('guessing keys from one address gets it blocked, for valid keys too', async () => {
    const { id } = s.tenant('guessed');
    s.psql(`UPDATE tenants SET abuse_mode = 'enforce' WHERE id = ${id}`);
    const key = s.key('guessed');
    await waitFor('the key', async () => (await get(`${s.url}/v1/x`, { 'X-Api-Key': key })).status === 200);
    // From an address of its own, so the other tests' traffic does not count.
    const guesser = '127.0.66.6';
    const statuses = [];
    for (let i = 0; i < 30; i++) {
      statuses.push((await getFrom(guesser, `${s.url}/v1/x`, { 'X-Api-Key': `tg_live_${String(i).padStart(32, 'A')}_AAAAAA` })).status);
    }
    assert.equal(statuses[0], 401);
    assert.ok(statuses.includes(403), `key guessing must be blocked: ${statuses}`);
    const r = await getFrom(guesser, `${s.url}/v1/x`, { 'X-Api-Key': key });
    assert.equal(r.status, 403, 'the address is blocked whatever key it sends');
    assert.match(r.json.type, ABUSE_TYPE);
    assert.equal((await getFrom('127.0.66.7', `${s.url}/v1/x`, { 'X-Api-Key': key })).status, 200,
      'another address is not');
    await waitFor('the anonymous decision', () =>
      Number(s.psql("SELECT count(*) FROM abuse_decisions WHERE tenant_id IS NULL AND reason IN ('key_guessing', 'credential_stuffing') AND enforced")) > 0,
    { timeout: PATIENCE });
  });

  test('many valid keys behind one address (a NAT) are served; many dead keys from one address are blocked', async () => {
    const { id } = s.tenant('natted');
    s.psql(`UPDATE tenants SET abuse_mode = 'enforce' WHERE id = ${id}`);
    const keys = Array.from({ length: 12 }, () => s.key('natted'));
    const nat = '127.0.67.1';
    await waitFor('the keys', async () => (await getFrom('127.0.67.99', `${s.url}/v1/x`, { 'X-Api-Key': keys[11] })).status === 200,
      { interval: 250 }); // slowly, as above
    // Twelve customers behind one address, each with a live key, three rounds each.
    const served = [];
    for (let round = 0; round < 3; round++) {
      for (const key of keys) served.push((await getFrom(nat, `${s.url}/v1/x`, { 'X-Api-Key': key })).status);
    }
    assert.ok(served.every((st) => st === 200), `a NAT of honest customers must be served: ${served}`);
    // The same number of keys from another address, but revoked ones, as in a leaked list.
    const dead = Array.from({ length: 12 }, () => s.key('natted'));
    for (const key of dead) assert.equal(s.cli('key', 'revoke', s.keyId(key)).status, 0);
    const stuffer = '127.0.67.2';
    await waitFor('the revocations', async () => (await getFrom('127.0.67.98', `${s.url}/v1/x`, { 'X-Api-Key': dead[11] })).status === 401);
    const tried = [];
    for (const key of [...dead, keys[0]]) tried.push((await getFrom(stuffer, `${s.url}/v1/x`, { 'X-Api-Key': key })).status);
    assert.equal(tried[0], 401);
    assert.equal(tried.at(-1), 403, `credential stuffing must block the address, live key included: ${tried}`);
    await waitFor('the stuffing decision', () =>
      Number(s.psql("SELECT count(*) FROM abuse_decisions WHERE reason = 'credential_stuffing' AND enforced AND host(ip) = '127.0.67.2'")) > 0,
    { timeout: PATIENCE });
    assert.equal(s.psql("SELECT count(*) FROM abuse_decisions WHERE outcome IN ('throttle', 'block') AND host(ip) = '127.0.67.1'"), '0',
      'nothing was held against the NAT');
  });

  test('guessing spread thin over many addresses of one network is blocked by the network', async () => {
    // Eight addresses of one /24, four made-up keys each: too few per address for
    // key_guessing or credential_stuffing, 32 failures across the network. On a route of
    // their own: the earlier tests' failing addresses on /v1/x and these eight would be a
    // campaign on /v1/x (12 addresses), which blocks an address's second failure as soon as
    // the collector has read the first round's answers, before the network rule is due.
    const bad = (i) => ({ 'X-Api-Key': `tg_live_${String(i).padStart(32, 'B')}_AAAAAA` });
    const statuses = [];
    for (let round = 0; round < 4; round++) {
      for (let a = 1; a <= 8; a++) statuses.push((await getFrom(`127.0.68.${a}`, `${s.url}/v1/spread`, bad(round * 8 + a))).status);
    }
    assert.equal(statuses[0], 401);
    assert.ok(statuses.slice(0, 24).every((st) => st === 401), `no address alone looks like guessing: ${statuses}`);
    // A new address of the same network is refused on its first try; one of another is not.
    const r = await getFrom('127.0.68.200', `${s.url}/v1/spread`, bad(99));
    assert.equal(r.status, 403, `the network is guessing: ${statuses}`);
    assert.match(r.json.type, ABUSE_TYPE);
    assert.equal((await getFrom('127.0.69.1', `${s.url}/v1/spread`, bad(98))).status, 401);
    await waitFor('the decision', () =>
      s.psql(`SELECT reason FROM abuse_decisions WHERE id = '${r.json.decision_id}'`) === 'distributed_guessing',
    { timeout: PATIENCE });
  });
});

describe('key sprays', () => {
  let s;
  before(async () => { s = await startStack({ env }); });
  after(async () => { await s?.stop(); });

  test('a dormant key woken while dead keys are sprayed at its route is refused; keys in use and other routes are not', async () => {
    const { id } = s.tenant('dormant');
    s.psql(`UPDATE tenants SET abuse_mode = 'enforce' WHERE id = ${id}`);
    const [leaked, asleep, used] = [s.key('dormant'), s.key('dormant'), s.key('dormant')];
    // Two keys of an account made a year ago and unused since; the change reaches the
    // gate as any key change does.
    s.psql(`UPDATE api_keys SET created_at = now() - interval '400 days' WHERE id IN (${s.keyId(leaked)}, ${s.keyId(asleep)})`);
    await waitFor('the keys', async () => (await getFrom('127.0.74.99', `${s.url}/v1/x`, { 'X-Api-Key': used })).status === 200,
      { interval: 250 });
    // The spray: fourteen addresses of fourteen networks, one dead key each, at one route
    // (its last addresses may be refused already: the spray's one User-Agent only fails).
    const sprayed = [];
    for (let a = 1; a <= 14; a++) {
      sprayed.push((await getFrom(`127.0.${100 + a}.1`, `${s.url}/v1/sprayed`, { 'X-Api-Key': `tg_live_${String(a).padStart(32, 'C')}_AAAAAA` })).status);
    }
    assert.deepEqual(sprayed.slice(0, 10), Array(10).fill(401));
    // The leaked key works until the collector has read the spray's answers; then its
    // address is refused at once, though it never failed.
    let refusal;
    await waitFor('the woken key, refused', async () => {
      refusal = await getFrom('127.0.73.1', `${s.url}/v1/sprayed`, { 'X-Api-Key': leaked });
      return refusal.status === 403;
    }, { timeout: PATIENCE, interval: 250 });
    assert.match(refusal.json.type, ABUSE_TYPE);
    assert.equal((await getFrom('127.0.73.2', `${s.url}/v1/sprayed`, { 'X-Api-Key': used })).status, 200,
      'a key in use, at the sprayed route');
    assert.equal((await getFrom('127.0.73.3', `${s.url}/v1/settings`, { 'X-Api-Key': asleep })).status, 200,
      'a dormant key woken at a route the spray leaves alone');
    assert.equal((await getFrom('127.0.73.4', `${s.url}/v1/settings`, { 'X-Api-Key': leaked })).status, 200,
      'the leaked key from another address, elsewhere: the refusal is the address\'s');
    await waitFor('the decision', () =>
      s.psql(`SELECT reason || ' ' || (tenant_id = ${id}) FROM abuse_decisions WHERE id = '${refusal.json.decision_id}'`) === 'campaign true',
    { timeout: PATIENCE });
  });
});

describe('address lists', () => {
  let s;
  before(async () => { s = await startStack({ env }); });
  after(async () => { await s?.stop(); });

  test('deny blocks, allow exempts from scoring, a tenant entry beats the operator one', async () => {
    const a = s.tenant('listed');
    s.psql(`UPDATE tenants SET abuse_mode = 'enforce' WHERE id = ${a.id}`);
    const key = s.key('listed');
    await waitFor('the key', async () => (await get(`${s.url}/v1/x`, { 'X-Api-Key': key })).status === 200);
    s.psql("INSERT INTO ip_lists (tenant_id, network, verdict) VALUES (NULL, '127.0.0.0/8', 'deny')");
    await waitFor('the operator deny list', async () => (await get(`${s.url}/v1/x`, { 'X-Api-Key': key })).status === 403);
    const r = await get(`${s.url}/v1/x`, { 'X-Api-Key': key });
    assert.match(r.json.type, ABUSE_TYPE);
    s.psql(`INSERT INTO ip_lists (tenant_id, network, verdict) VALUES (${a.id}, '127.0.0.1/32', 'allow')`);
    await waitFor('the tenant allow entry', async () => (await get(`${s.url}/v1/x`, { 'X-Api-Key': key })).status === 200,
      { timeout: PATIENCE });
    // Allow-listed clients are not scored: enumerating does not block them either.
    const statuses = await enumerate(s, key, 60);
    assert.ok(statuses.every((st) => st === 404), `allow-listed: ${statuses}`);
    s.psql('DELETE FROM ip_lists');
  });
});

describe('learning from labels', () => {
  let s;
  before(async () => { s = await startStack({ env: { ...env, TOLLGATE_TRAIN_AFTER_LABELS: '20' } }); });
  after(async () => { await s?.stop(); });

  // Benign: the tenant's own sync job checking its records in id order, half of them
  // deleted since (404s): id_enumeration refuses it, wrongly for this tenant. Abusive:
  // scripts walking routes that do not exist (404s, which the collector reports). Each
  // client from its own address, all at once, so the labels interleave in time.
  const walk = (c, i, base) => (c.benign
    ? getFrom(c.from, `${s.url}/status/${i % 2 ? 404 : 200}/items/${1000 + base + i}`, { 'X-Api-Key': c.key, 'User-Agent': 'Go-http-client/1.1' })
    : getFrom(c.from, `${s.url}/status/404/probe${base + i}`, { 'X-Api-Key': c.key, 'User-Agent': 'python-requests/2.31' }));

  // Makes a tenant in shadow mode, runs 4 benign and 4 abusive clients, and labels what the
  // engine would have refused, as a customer reviewing it would.
  async function labelled(slug, net) {
    const { id } = s.tenant(slug);
    s.psql(`UPDATE tenants SET abuse_mode = 'shadow', abuse_sample_rate = 1 WHERE id = ${id}`);
    const clients = [];
    for (let i = 0; i < 4; i++) clients.push({ benign: true, from: `127.${net}.1.${i + 1}`, key: s.key(slug) });
    for (let i = 0; i < 4; i++) clients.push({ benign: false, from: `127.${net}.2.${i + 1}`, key: s.key(slug) });
    await waitFor('the keys', async () => Number(s.psql(`SELECT count(*) FROM api_keys WHERE tenant_id = ${id}`)) === 8 &&
      (await getFrom(clients[7].from, `${s.url}/v1/warm`, { 'X-Api-Key': clients[7].key })).status === 200);
    // Over about four seconds: a 404 counts for id_enumeration once it is a second or two
    // old (a creation may still take it back), and a walk over in one second would end first.
    for (let i = 0; i < 60; i++) {
      await Promise.all(clients.map((c) => walk(c, i, 0)));
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    await decisionsStored(s);
    for (const c of clients) c.id = s.keyId(c.key);
    s.psql(`UPDATE abuse_decisions SET label = CASE WHEN key_id IN (${clients.filter((c) => c.benign).map((c) => c.id)})
              THEN 'false_positive' ELSE 'confirmed_abuse' END, labeled_at = at
            WHERE tenant_id = ${id} AND outcome <> 'allow'`);
    const counts = s.psql(`SELECT label || ':' || count(*) FROM abuse_decisions WHERE tenant_id = ${id} AND label IS NOT NULL GROUP BY label ORDER BY 1`);
    assert.match(counts, /confirmed_abuse:\d+\nfalse_positive:\d+/, counts);
    return id;
  }

  test('labelled false positives train a model that stops refusing that pattern', async () => {
    const id = await labelled('learner', 10);
    const out = s.mustCli('train', 'learner', '--min-labels', '10');
    assert.match(out, /version \d+ activated/, out);
    const version = s.psql(`SELECT version FROM abuse_models WHERE tenant_id = ${id} AND active`);
    const metrics = JSON.parse(s.psql(`SELECT metrics FROM abuse_models WHERE tenant_id = ${id} AND active`));
    // Fewer false positives than the model it replaces on the same validation set; on a
    // busy machine the walkers' timing can leave the old model without any there, and then
    // the new one must have none either.
    assert.ok(metrics.false_positive_rate < metrics.previous_false_positive_rate ||
      (metrics.false_positive_rate === 0 && metrics.previous_false_positive_rate === 0), JSON.stringify(metrics));
    assert.ok(metrics.recall >= metrics.previous_recall, JSON.stringify(metrics));
    // The rule the false positives came from no longer decides alone, and training says so;
    // the one that caught the abuse still stands.
    assert.match(out, /contradicted by your labels, so no longer deciding alone: .*id_enumeration/, out);
    assert.ok(metrics.contradicted_rules.includes('id_enumeration'), JSON.stringify(metrics));
    assert.ok(!metrics.contradicted_rules.includes('path_enumeration'), JSON.stringify(metrics));
    // The syncer loads it: new decisions carry its version; a new benign walker is no
    // longer refused while a new abusive one still is.
    const fresh = [{ benign: true, from: '127.10.3.1', key: s.key('learner') },
      { benign: false, from: '127.10.3.2', key: s.key('learner') }];
    await waitFor('the new keys', async () => (await getFrom(fresh[1].from, `${s.url}/v1/warm`, { 'X-Api-Key': fresh[1].key })).status === 200);
    for (let i = 0; i < 60; i++) await Promise.all(fresh.map((c) => walk(c, i, 100)));
    await decisionsStored(s);
    const last = (c) => s.psql(`SELECT model_version || '/' || outcome FROM abuse_decisions WHERE key_id = ${s.keyId(c.key)} ORDER BY at DESC LIMIT 1`);
    assert.match(last(fresh[0]), new RegExp(`^${version}/(allow|flag)$`), 'the pattern labelled benign must not be refused any more');
    assert.equal(last(fresh[1]), `${version}/block`, 'the pattern labelled abuse must still be blocked');
  });

  test('enough new labels retrain a tenant automatically, and each version keeps its metrics', async () => {
    const id = await labelled('autolearner', 20);
    await waitFor('the trainer child', () => s.psql(`SELECT count(*) FROM abuse_models WHERE tenant_id = ${id}`) === '1',
      { timeout: PATIENCE, interval: 500 });
    const row = s.psql(`SELECT version || '|' || active || '|' || labels_used || '|' || metrics FROM abuse_models WHERE tenant_id = ${id}`);
    const [version, active, labels, metrics] = row.split('|');
    assert.equal(version, '1');
    assert.equal(active, 'true', row);
    assert.ok(Number(labels) >= 20);
    for (const k of ['recall', 'false_positive_rate', 'precision', 'previous_recall', 'validation']) {
      assert.ok(k in JSON.parse(metrics), `${k} in ${metrics}`);
    }
  });
});
