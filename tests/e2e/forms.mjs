// Pages as a browser sees them, for the portal's and admin pages' tests.
import { get } from './harness.mjs';

// Every Set-Cookie line of a fetch() answer. Node 18's Headers has no getSetCookie(): there
// the lines come joined with ", ", which only a cookie's Expires could hold (ours use
// Max-Age), so they split before each "name=".
export function setCookies(headers) {
  if (typeof headers.getSetCookie === 'function') return headers.getSetCookie();
  const all = headers.get('set-cookie');
  return all ? all.split(/,\s*(?=[^;,=\s]+=)/) : [];
}

// A browser's part: a cookie jar, forms posted the way a browser posts them, and the CSRF
// token read from the page it was given.
export class Browser {
  constructor(base) {
    this.base = base;
    this.jar = new Map();
  }

  cookieHeader() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  keep(res) {
    for (const line of setCookies(res.headers)) {
      const [pair, ...attrs] = line.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const maxAge = attrs.map((a) => a.trim()).find((a) => /^max-age=/i.test(a));
      if (value === '' || maxAge === 'Max-Age=0') this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  async get(path) {
    const r = await get(this.base + path, this.jar.size ? { Cookie: this.cookieHeader() } : {});
    this.last = r;
    return r;
  }

  async post(path, fields, { csrf = true } = {}) {
    const body = new URLSearchParams(fields);
    if (csrf && !body.has('csrf') && this.csrf) body.set('csrf', this.csrf);
    const res = await fetch(this.base + path, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: this.cookieHeader() },
      body,
    });
    this.keep(res);
    const text = await res.text();
    this.readCsrf(text);
    return { status: res.status, headers: res.headers, text };
  }

  readCsrf(text) {
    const m = text.match(/name="csrf" value="([0-9a-f]{64})"/);
    if (m) this.csrf = m[1];
  }

  // GET that keeps cookies and the page's CSRF token, like a browser showing a page.
  async open(path) {
    const res = await fetch(this.base + path, { redirect: 'manual', headers: { Cookie: this.cookieHeader() } });
    this.keep(res);
    const text = await res.text();
    this.readCsrf(text);
    return { status: res.status, headers: res.headers, text };
  }

  async signup(email, password, org) {
    await this.open('/portal/signup');
    return this.post('/portal/signup', { email, password, org });
  }
}
