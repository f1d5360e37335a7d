// The portal's mails, through the outbox and the mailer to an SMTP server: the welcome
// mail's verification link, and a forgotten password's reset link (one use, one hour, the
// old sessions ended), retried when the mail server is down for a moment.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startSmtp } from '../fakes/smtp.mjs';
import { Browser } from './forms.mjs';
import { fileIncludes, get, startStack, waitFor } from './harness.mjs';

const PASSWORD = 'the first password';

describe('portal mail', () => {
  let s;
  let smtp;
  let ann;

  const mailTo = (addr, subject) => waitFor(`a mail to ${addr}`, () =>
    smtp.messages.find((m) => m.to.includes(addr) && subject.test(m.subject)));
  const link = (m, path) => {
    const u = m.body.match(new RegExp(`(http://127\\.0\\.0\\.1:\\d+${path}\\?token=[0-9a-f]{64})`));
    assert.ok(u, `no ${path} link in ${m.body}`);
    return new URL(u[1]);
  };

  before(async () => {
    smtp = await startSmtp();
    s = await startStack({ workers: 1, env: { TOLLGATE_SMTP_URL: smtp.url, TOLLGATE_SMTP_TIMEOUT: '1s', TOLLGATE_SMTP_FROM: 'Tollgate <noreply@tollgate.test>' } });
    ann = new Browser(s.console);
  });
  after(async () => { await s?.stop(); await smtp?.close(); });

  test('signing up mails a link that confirms the address, once', async () => {
    assert.equal((await ann.signup('ann@mail.test', PASSWORD, 'Mail Co')).status, 303);
    assert.match((await ann.open('/portal/')).text, /We mailed you a link to confirm/);
    const m = await mailTo('ann@mail.test', /Confirm your email/);
    assert.equal(m.from, 'noreply@tollgate.test');
    assert.match(m.headers['content-type'], /text\/plain; charset=utf-8/);
    const u = link(m, '/portal/verify');
    assert.equal(u.origin, s.console, 'the link is TOLLGATE_CONSOLE_URL');
    const r = await ann.open(u.pathname + u.search);
    assert.equal(r.status, 200);
    assert.match(r.text, /Email confirmed/);
    assert.ok(!/We mailed you a link to confirm/.test((await ann.open('/portal/')).text));
    assert.equal((await ann.open(u.pathname + u.search)).status, 400, 'a link works once');
    await waitFor('the sent body cleared', () => s.psql("SELECT count(*) FROM mail_outbox WHERE sent_at IS NOT NULL AND body <> ''") === '0');
  });

  test('a forgotten password: the same answer for any email, a mail only for a real one', async () => {
    const b = new Browser(s.console);
    await b.open('/portal/forgot');
    const none = await b.post('/portal/forgot', { email: 'nobody@mail.test' });
    assert.equal(none.status, 200);
    await b.open('/portal/forgot');
    const real = await b.post('/portal/forgot', { email: 'ANN@mail.test' });
    assert.equal(real.status, 200);
    const same = (t) => t.replace(/request [0-9a-f-]+/, '');
    assert.equal(same(none.text), same(real.text));
    assert.equal(s.psql("SELECT count(*) FROM mail_outbox WHERE to_addr = 'nobody@mail.test'"), '0');
    const m = await mailTo('ann@mail.test', /new Tollgate password/);
    const u = link(m, '/portal/reset');
    const stolen = ann.cookieHeader();
    const form = await b.open(u.pathname + u.search);
    assert.equal(form.status, 200);
    assert.equal((await b.post('/portal/reset', { token: u.searchParams.get('token'), password: 'short' })).status, 422);
    const done = await b.post('/portal/reset', { token: u.searchParams.get('token'), password: 'the second password' });
    assert.equal(done.status, 303);
    assert.equal(done.headers.get('location'), '/portal/login?reset=1');
    assert.equal((await get(`${s.console}/portal/`, { Cookie: stolen })).status, 303, 'every old session ended');
    await b.open('/portal/login');
    assert.equal((await b.post('/portal/login', { email: 'ann@mail.test', password: PASSWORD })).status, 401);
    assert.equal((await b.post('/portal/login', { email: 'ann@mail.test', password: 'the second password' })).status, 303);
    await b.open(u.pathname + u.search);
    assert.equal((await b.post('/portal/reset', { token: u.searchParams.get('token'), password: 'a third password' })).status, 400, 'once');
    assert.equal((await b.open('/portal/reset?token=nope')).status, 400);
    // The link's token is in no log (Caddy's, tollgate's) and in no file of the stack.
    const token = u.searchParams.get('token');
    for (const f of fs.readdirSync(s.dir)) {
      const p = path.join(s.dir, f);
      if (fs.statSync(p).isFile()) assert.deepEqual(fileIncludes(p, [token]), [], `${f} holds the reset token`);
    }
  });

  test('a mail the server refuses for a moment is sent on a later try, once', async () => {
    const before_ = smtp.messages.length;
    smtp.refuseNext(2);
    const b = new Browser(s.console);
    await b.open('/portal/forgot');
    await b.post('/portal/forgot', { email: 'ann@mail.test' });
    const m = await waitFor('the mail, after two refusals', () => smtp.messages.slice(before_).find((x) => /new Tollgate password/.test(x.subject)), { timeout: 60000 });
    assert.ok(m);
    assert.equal(s.psql("SELECT attempts FROM mail_outbox WHERE subject LIKE '%new Tollgate password%' ORDER BY id DESC LIMIT 1"), '3');
    assert.match(s.logs(), /mailer: mail \d+, attempt 1: .*451/);
  });
});

describe('portal team and tokens', () => {
  let s;
  let smtp;
  let owner;

  before(async () => {
    smtp = await startSmtp();
    s = await startStack({ workers: 1, env: { TOLLGATE_SMTP_URL: smtp.url, TOLLGATE_SMTP_TIMEOUT: '1s' } });
    owner = new Browser(s.console);
    assert.equal((await owner.signup('olga@team.test', PASSWORD, 'Team Co')).status, 303);
  });
  after(async () => { await s?.stop(); await smtp?.close(); });

  test('an owner invites a member by mail, who sets a password and logs in; members cannot invite', async () => {
    await owner.open('/portal/team');
    assert.equal((await owner.post('/portal/team/invite', { email: 'olga@team.test', role: 'member' })).status, 422, 'taken');
    const r = await owner.post('/portal/team/invite', { email: 'max@team.test', role: 'member' });
    assert.equal(r.status, 201, r.text);
    assert.match(r.text, /max@team.test.*invited/s);
    const m = await waitFor('the invitation', () => smtp.messages.find((x) => x.to.includes('max@team.test')));
    assert.match(m.body, /olga@team\.test invited you/);
    const u = new URL(m.body.match(/(http:\/\/\S+\/portal\/reset\?token=[0-9a-f]{64})/)[1]);
    const max = new Browser(s.console);
    await max.open('/portal/login');
    assert.equal((await max.post('/portal/login', { email: 'max@team.test', password: '' })).status, 401, 'no password yet');
    await max.open(u.pathname + u.search);
    assert.equal((await max.post('/portal/reset', { token: u.searchParams.get('token'), password: 'max password 123' })).status, 303);
    await max.open('/portal/login');
    assert.equal((await max.post('/portal/login', { email: 'max@team.test', password: 'max password 123' })).status, 303);
    const page = await max.open('/portal/team');
    assert.ok(!/Send invitation/.test(page.text), 'no invite form for a member');
    assert.equal((await max.post('/portal/team/invite', { email: 'eve@team.test' })).status, 403);
    const olgaId = s.psql("SELECT id FROM users WHERE email = 'olga@team.test'");
    assert.equal((await max.post(`/portal/team/${olgaId}/remove`, {})).status, 403);
    // the owner removes the member: the member's session ends with it
    const maxId = s.psql("SELECT id FROM users WHERE email = 'max@team.test'");
    await owner.open('/portal/team');
    assert.equal((await owner.post(`/portal/team/${maxId}/remove`, {})).status, 303);
    assert.equal((await max.open('/portal/')).status, 303);
    assert.equal((await owner.post(`/portal/team/${olgaId}/remove`, {})).status, 404, 'not yourself');
  });

  test('a management token made in the portal works on the API once, and stops when revoked', async () => {
    await owner.open('/portal/team');
    const r = await owner.post('/portal/tokens', { name: 'ci' });
    assert.equal(r.status, 201);
    const token = r.text.match(/<pre id="new-token"><code>(tgm_[0-9A-Za-z_]+)<\/code>/)[1];
    assert.ok(!(await owner.open('/portal/team')).text.includes(token), 'shown once');
    assert.equal((await get(`${s.console}/api/v1/tenant`, { Authorization: `Bearer ${token}` })).status, 200);
    const id = s.psql(`SELECT id FROM api_tokens WHERE prefix = '${token.slice(0, 12)}'`);
    await owner.open('/portal/team');
    assert.equal((await owner.post(`/portal/tokens/${id}/revoke`, {})).status, 303);
    assert.equal((await get(`${s.console}/api/v1/tenant`, { Authorization: `Bearer ${token}` })).status, 401);
  });
});
