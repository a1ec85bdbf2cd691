// FastPath on a real node:http server and real sockets: body-less requests are answered by the
// fast path with node:http's bytes, anything else is handed to node:http with its unread bytes,
// and the order of answers on a connection is kept across the hand-over.
import assert from 'node:assert/strict';
import { createServer, IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { after, test } from 'node:test';
import { FastPath } from '../../../../data-plane/src/http1/fast-connections.js';

const seen: string[] = [];
let onRequest: ((req: IncomingMessage, res: ServerResponse) => boolean) | undefined;
const server = createServer((req, res) => {
  const by = req instanceof IncomingMessage ? 'node' : 'fast';
  seen.push(`${by} ${req.method} ${req.url}`);
  if (onRequest?.(req, res)) return;
  let body = '';
  req.on?.('data', (c: Buffer) => (body += c.toString()));
  const answer = () => {
    const text = `${by} ${req.method} ${req.url} ${body}`;
    if (req.url === '/chunked') {
      res.writeHead(200, ['content-type', 'text/plain']);
      res.write('ab');
      res.end('cd');
    } else {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    }
  };
  if (by === 'node') req.on('end', answer);
  else answer();
});
const fast = new FastPath(server, server.listeners('request')[0] as never, { headersTimeoutMs: 2_000, keepAliveTimeoutMs: 5_000 });
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as AddressInfo).port;
after(() => {
  fast.closeAll();
  server.closeAllConnections();
  server.close();
});

function open(): Promise<Socket> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
  });
}

/** Reads until `count` responses' worth of the marker has arrived. */
function readUntil(socket: Socket, done: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`timed out with ${JSON.stringify(text)}`)), 3_000);
    socket.on('data', (c: Buffer) => {
      text += c.toString('latin1');
      if (done(text)) {
        clearTimeout(timer);
        resolve(text);
      }
    });
  });
}

const count = (text: string, what: string) => text.split(what).length - 1;

test('a body-less GET is answered by the fast path with node:http headers', async () => {
  seen.length = 0;
  const s = await open();
  s.write('GET /one HTTP/1.1\r\nHost: x\r\n\r\n');
  const text = await readUntil(s, (t) => t.endsWith('fast GET /one '));
  s.destroy();
  assert.deepEqual(seen, ['fast GET /one']);
  assert.match(text, /^HTTP\/1\.1 200 OK\r\n/);
  assert.match(text, /\r\nDate: \w{3}, \d\d \w{3} \d{4} [\d:]{8} GMT\r\n/);
  assert.match(text, /\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n/);
  assert.match(text, /\r\ncontent-length: 14\r\n/);
});

test('pipelined requests are answered in order, and a POST among them goes to node:http', async () => {
  seen.length = 0;
  const s = await open();
  s.write('GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\nPOST /3 HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nbody');
  const text = await readUntil(s, (t) => t.includes('node POST /3 body'));
  s.write('GET /4 HTTP/1.1\r\nHost: x\r\n\r\n');
  const more = await readUntil(s, (t) => t.includes('GET /4'));
  s.destroy();
  assert.deepEqual(seen, ['fast GET /1', 'fast GET /2', 'node POST /3', 'node GET /4']);
  assert.ok(text.indexOf('fast GET /1') < text.indexOf('fast GET /2'));
  assert.ok(text.indexOf('fast GET /2') < text.indexOf('node POST /3'));
  assert.match(more, /node GET \/4/);
});

test('a head split across packets is handed to node:http and still answered', async () => {
  seen.length = 0;
  const s = await open();
  s.write('GET /split HTTP/1.1\r\nHo');
  await new Promise((r) => setTimeout(r, 50));
  s.write('st: x\r\n\r\n');
  await readUntil(s, (t) => t.includes('node GET /split'));
  s.destroy();
  assert.deepEqual(seen, ['node GET /split']);
});

test('a response without Content-Length is chunked, and HEAD gets no body', async () => {
  const s = await open();
  s.write('GET /chunked HTTP/1.1\r\nHost: x\r\n\r\n');
  const text = await readUntil(s, (t) => t.endsWith('0\r\n\r\n'));
  assert.match(text, /\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n2\r\ncd\r\n0\r\n\r\n$/);
  s.write('HEAD /h HTTP/1.1\r\nHost: x\r\n\r\nGET /after HTTP/1.1\r\nHost: x\r\n\r\n');
  const next = await readUntil(s, (t) => t.includes('fast GET /after'));
  s.destroy();
  assert.equal(count(next, 'HTTP/1.1 200'), 2);
  assert.ok(!next.includes('fast HEAD /h'), 'the HEAD body was not sent');
});

test('a client that leaves mid-response closes the response: destroyed, with a close event', async () => {
  let closed: Promise<boolean> | undefined;
  onRequest = (req, res) => {
    if (req.url !== '/hang') return false;
    res.writeHead(200, ['content-type', 'text/plain']);
    res.flushHeaders();
    closed = new Promise((resolve) => res.once('close', () => resolve(res.destroyed && !res.writableFinished)));
    return true;
  };
  const s = await open();
  s.write('GET /hang HTTP/1.1\r\nHost: x\r\n\r\n');
  await readUntil(s, (t) => t.includes('\r\n\r\n'));
  s.destroy();
  onRequest = undefined;
  assert.equal(await closed, true);
});

test('while closing, answers say Connection: close and the connection ends', async () => {
  const s = await open();
  const ended = new Promise((resolve) => s.once('end', resolve));
  fast.closing = true;
  try {
    s.write('GET /last HTTP/1.1\r\nHost: x\r\n\r\n');
    const text = await readUntil(s, (t) => t.includes('fast GET /last'));
    await ended;
    assert.match(text, /\r\nConnection: close\r\n/);
  } finally {
    fast.closing = false;
    s.destroy();
  }
});

test('a new connection that sends nothing gets the JSON 408', async () => {
  const s = await open();
  const text = await readUntil(s, (t) => t.includes('request_timeout'));
  s.destroy();
  assert.match(text, /^HTTP\/1\.1 408 /);
});
