// An SMTP server for tests (RFC 5321, the commands libcurl sends): it keeps every message it
// accepts, and can refuse the next few transactions with a temporary error (451) to play a
// mail server that is down for a moment. It speaks plain SMTP on 127.0.0.1 only.
import net from 'node:net';

export function startSmtp({ host = '127.0.0.1' } = {}) {
  const messages = [];
  let refuse = 0;
  const open = new Set();
  const server = net.createServer((sock) => {
    open.add(sock);
    sock.on('close', () => open.delete(sock));
    sock.setEncoding('utf8');
    let buf = '';
    let inData = false;
    let data = '';
    let env = { from: null, to: [] };
    const say = (line) => sock.write(`${line}\r\n`);
    say('220 fake-smtp ESMTP ready');
    sock.on('data', (chunk) => {
      buf += chunk;
      for (;;) {
        if (inData) {
          const end = buf.indexOf('\r\n.\r\n');
          if (end < 0) {
            // the whole message may start with the terminator when the body is empty
            if (buf.startsWith('.\r\n')) { buf = buf.slice(3); } else return;
          } else {
            data += buf.slice(0, end + 2);
            buf = buf.slice(end + 5);
          }
          inData = false;
          const text = data.replace(/\r\n\.\./g, '\r\n.'); // undo dot-stuffing
          const [head, ...rest] = text.split('\r\n\r\n');
          const headers = {};
          for (const line of head.split('\r\n')) {
            const i = line.indexOf(':');
            if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
          }
          messages.push({ from: env.from, to: env.to, headers, subject: headers.subject, body: rest.join('\r\n\r\n'), raw: text });
          data = '';
          env = { from: null, to: [] };
          say('250 2.0.0 queued');
          continue;
        }
        const nl = buf.indexOf('\r\n');
        if (nl < 0) return;
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') { sock.write('250-fake-smtp\r\n250-8BITMIME\r\n250 SIZE 10485760\r\n'); }
        else if (verb === 'HELO') say('250 fake-smtp');
        else if (verb === 'MAIL') {
          if (refuse > 0) { refuse--; say('451 4.3.0 try again later'); continue; }
          env.from = (line.match(/<([^>]*)>/) || [])[1] ?? null;
          say('250 2.1.0 ok');
        } else if (verb === 'RCPT') { env.to.push((line.match(/<([^>]*)>/) || [])[1]); say('250 2.1.5 ok'); }
        else if (verb === 'DATA') { inData = true; say('354 end with <CRLF>.<CRLF>'); }
        else if (verb === 'RSET') { env = { from: null, to: [] }; say('250 ok'); }
        else if (verb === 'NOOP') say('250 ok');
        else if (verb === 'QUIT') { say('221 bye'); sock.end(); return; }
        else say('502 5.5.2 not implemented');
      }
    });
    sock.on('error', () => {});
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      resolve({
        port: server.address().port,
        url: `smtp://${host}:${server.address().port}`,
        messages,
        refuseNext: (n) => { refuse = n; },
        close: () => new Promise((r) => { for (const c of open) c.destroy(); server.close(() => r()); }),
      });
    });
  });
}
