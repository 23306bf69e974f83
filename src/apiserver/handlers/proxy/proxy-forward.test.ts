import assert from 'node:assert/strict';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, createServer as createNetServer, type AddressInfo, type Server as NetServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { KubeletClient } from '../../kubelet/kubelet-client.ts';
import { isStatusError } from '../../status-error.ts';
import { forwardHttp, rewriteLocation } from './proxy-forward.ts';
import type { ProxyTarget } from './proxy-targets.ts';
import { tunnelProxyUpgrade } from './proxy-upgrade.ts';

const PREFIX = '/api/v1/namespaces/ns/pods/web:80/proxy';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

async function listen(server: NetServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return (server.address() as AddressInfo).port;
}

function readAll(stream: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    stream.on('data', (c: Buffer) => (text += c.toString()));
    stream.once('end', () => resolve(text));
    stream.once('error', reject);
  });
}

/** One request through the front server; resolves with the answer once it is complete. */
function send(port: number, method: string, path: string, opts: { headers?: Record<string, string>; body?: string[] } = {}): Promise<{ status: number; headers: IncomingMessage['headers']; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: opts.headers }, (res) => {
      readAll(res).then((body) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }), reject);
    });
    req.once('error', reject);
    for (const chunk of opts.body ?? []) req.write(chunk);
    req.end();
  });
}

describe('forwardHttp and tunnelProxyUpgrade against loopback servers', () => {
  const seen: Seen[] = [];
  let target: Server;
  let front: Server;
  let frontPort = 0;
  let proxyTarget: ProxyTarget;
  let releaseSecond: () => void = () => undefined;
  let hungClosed: () => void = () => undefined;

  const targetRoutes = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readAll(req);
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    if (req.url === '/teapot') {
      res.setHeader('Set-Cookie', ['a=1', 'b=2']);
      res.writeHead(418, 'I am a teapot', { 'X-Custom': 'yes', Connection: 'X-Hop', 'X-Hop': 'secret', 'Content-Type': 'text/plain' });
      return res.end('short and stout');
    }
    if (req.url?.startsWith('/redirect')) {
      res.writeHead(302, { Location: new URL(req.url, 'http://x').searchParams.get('to') ?? '/' });
      return res.end();
    }
    if (req.url === '/stream') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('first\n');
      // The second chunk waits for the client to have seen the first: a buffering proxy deadlocks here.
      return new Promise<void>((resolve) => (releaseSecond = resolve)).then(() => res.end('second\n'));
    }
    if (req.url === '/hang') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('never ends\n');
      return res.once('close', () => hungClosed());
    }
    if (req.url === '/die') {
      res.writeHead(200, { 'Content-Length': '100' });
      res.write('partial');
      return setTimeout(() => res.socket?.destroy(), 50);
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ method: req.method, url: req.url, body }));
  };

  before(async () => {
    target = createServer((req, res) => void targetRoutes(req, res));
    target.on('upgrade', (req: IncomingMessage, socket) => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: '' });
      socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n');
      socket.pipe(socket);
    });
    proxyTarget = { scheme: 'http', host: '127.0.0.1', port: await listen(target) };
    const kubelet = {} as KubeletClient; // never dialled: the target is not a node agent
    front = createServer((req, res) => {
      const pathAndQuery = (req.url ?? '').slice(PREFIX.length) || '/';
      forwardHttp({ req, res, target: proxyTarget, pathAndQuery, prefix: PREFIX }).catch((err: unknown) => {
        const code = isStatusError(err) ? err.code : 500;
        res.writeHead(code, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(isStatusError(err) ? err.toStatus() : { message: String(err) }));
      });
    });
    front.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => {
      void tunnelProxyUpgrade({ kubelet }, { req, socket, head, target: proxyTarget, pathAndQuery: (req.url ?? '').slice(PREFIX.length) });
    });
    frontPort = await listen(front);
  });

  after(async () => {
    front.closeAllConnections();
    target.closeAllConnections();
    await new Promise((r) => front.close(r));
    await new Promise((r) => target.close(r));
  });

  it('passes every method, the query string and the request body through', async () => {
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
      const body = method === 'GET' ? [] : ['part1-', 'part2'];
      const r = await send(frontPort, method, `${PREFIX}/echo/a%2Fb?x=1&y=%20z`, { body, headers: body.length ? { 'Transfer-Encoding': 'chunked' } : {} });
      assert.equal(r.status, 200, r.body);
      assert.deepEqual(JSON.parse(r.body), { method, url: '/echo/a%2Fb?x=1&y=%20z', body: body.join('') });
    }
    const head = await send(frontPort, 'HEAD', `${PREFIX}/echo`);
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
    assert.equal(seen.at(-1)?.method, 'HEAD');
  });

  it('drops the API credentials and hop-by-hop headers, and says where the request came from', async () => {
    await send(frontPort, 'GET', `${PREFIX}/echo`, { headers: { Authorization: 'Bearer secret', 'Impersonate-User': 'alice', Connection: 'X-Private', 'X-Private': '1', 'X-Kept': 'kept', Host: 'api.example:6443' } });
    const headers = seen.at(-1)?.headers ?? {};
    assert.equal(headers.authorization, undefined);
    assert.equal(headers['impersonate-user'], undefined);
    assert.equal(headers['x-private'], undefined);
    assert.equal(headers['x-kept'], 'kept');
    assert.equal(headers.host, `127.0.0.1:${proxyTarget.port}`);
    assert.equal(headers['x-forwarded-uri'], `${PREFIX}/echo`);
    assert.equal(headers['x-forwarded-host'], 'api.example:6443');
    assert.equal(headers['x-forwarded-for'], '127.0.0.1');
  });

  it("relays the target's status, reason and headers, without its hop-by-hop ones", async () => {
    const r = await send(frontPort, 'GET', `${PREFIX}/teapot`);
    assert.equal(r.status, 418);
    assert.equal(r.body, 'short and stout');
    assert.equal(r.headers['x-custom'], 'yes');
    assert.deepEqual(r.headers['set-cookie'], ['a=1', 'b=2']);
    assert.equal(r.headers['x-hop'], undefined);
  });

  it('rewrites redirects to the target under the proxy path and leaves others alone', async () => {
    const location = async (to: string) => (await send(frontPort, 'GET', `${PREFIX}/redirect?to=${encodeURIComponent(to)}`)).headers.location;
    assert.equal(await location('/login?next=/x'), `${PREFIX}/login?next=/x`);
    assert.equal(await location(`http://127.0.0.1:${proxyTarget.port}/a/b/`), `${PREFIX}/a/b/`);
    assert.equal(await location('http://example.com/elsewhere'), 'http://example.com/elsewhere');
    assert.equal(await location('relative/page'), 'relative/page');
    assert.equal(await location(`${PREFIX}/already`), `${PREFIX}/already`);
  });

  it('streams the answer: the first chunk arrives before the target has finished', { timeout: 5000 }, async () => {
    const got = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: frontPort, path: `${PREFIX}/stream` }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
          if (text === 'first\n') releaseSecond();
        });
        res.once('end', () => resolve(text));
      });
      req.once('error', reject);
      req.end();
    });
    assert.equal(got, 'first\nsecond\n');
  });

  it('closes the target connection when the client goes away mid-answer', { timeout: 5000 }, async () => {
    const targetSawClose = new Promise<void>((resolve) => (hungClosed = resolve));
    await new Promise<void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: frontPort, path: `${PREFIX}/hang` }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.once('error', (err) => (req.destroyed ? undefined : reject(err)));
      req.end();
    });
    await targetSawClose;
  });

  it('cuts the client off when the target dies mid-answer', async () => {
    await assert.rejects(send(frontPort, 'GET', `${PREFIX}/die`), /aborted|socket hang up|ECONNRESET/);
  });

  it('reads sloppy answers (bare-LF headers, as busybox httpd relays from CGI scripts) like upstream does', async () => {
    const sloppy = createNetServer((socket) => {
      socket.once('data', () => socket.end('HTTP/1.1 200 OK\nContent-Type: text/plain\nX-Sloppy: 1\n\nloose body'));
    });
    const port = await listen(sloppy);
    const saved = proxyTarget;
    proxyTarget = { scheme: 'http', host: '127.0.0.1', port };
    try {
      const r = await send(frontPort, 'GET', `${PREFIX}/cgi`);
      assert.equal(r.status, 200);
      assert.equal(r.headers['x-sloppy'], '1');
      assert.equal(r.body, 'loose body');
    } finally {
      proxyTarget = saved;
      await new Promise((r) => sloppy.close(r));
    }
  });

  it('answers 503 ServiceUnavailable when the target cannot be reached', async () => {
    const closed = createServer();
    const port = await listen(closed);
    await new Promise((r) => closed.close(r));
    const saved = proxyTarget;
    proxyTarget = { scheme: 'http', host: '127.0.0.1', port };
    try {
      const r = await send(frontPort, 'GET', `${PREFIX}/`);
      assert.equal(r.status, 503);
      const status = JSON.parse(r.body) as { reason: string; message: string; code: number };
      assert.equal(status.reason, 'ServiceUnavailable');
      assert.match(status.message, /^error trying to reach service: connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
    } finally {
      proxyTarget = saved;
    }
  });

  it('tunnels an upgrade: the target sees its own path and no credentials, then bytes flow both ways', async () => {
    const socket = connect(frontPort, '127.0.0.1');
    socket.write(`GET ${PREFIX}/ws?room=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer secret\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n`);
    let received = '';
    await new Promise<void>((resolve, reject) => {
      socket.on('data', (c: Buffer) => {
        received += c.toString();
        if (received.includes('\r\n\r\n') && !received.includes('ping')) socket.write('ping');
        if (received.endsWith('ping')) resolve();
      });
      socket.once('error', reject);
    });
    socket.destroy();
    assert.match(received, /^HTTP\/1\.1 101 Switching Protocols\r\n/);
    const upgrade = seen.at(-1);
    assert.equal(upgrade?.url, '/ws?room=1');
    assert.equal(upgrade?.headers.authorization, undefined);
    assert.equal(upgrade?.headers.host, `127.0.0.1:${proxyTarget.port}`);
  });
});

describe('rewriteLocation', () => {
  it('handles IPv6 targets and scheme-relative locations', () => {
    const t: ProxyTarget = { scheme: 'http', host: 'fd00::5', port: 8080 };
    assert.equal(rewriteLocation('http://[fd00::5]:8080/x', t, PREFIX), `${PREFIX}/x`);
    assert.equal(rewriteLocation('//[fd00::5]:8080/y#frag', t, PREFIX), `${PREFIX}/y#frag`);
    assert.equal(rewriteLocation('http://[fd00::5]:9090/x', t, PREFIX), 'http://[fd00::5]:9090/x');
  });
});
