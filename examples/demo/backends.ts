// Demo backends for `make run`: two echo services and a streaming (SSE) service on loopback,
// so `curl` through the embedded gateway works at once.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

interface Backend {
  name: string;
  port: number;
  handle(req: IncomingMessage, res: ServerResponse): void;
}

function echo(name: string) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`${JSON.stringify({ backend: name, method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }, null, 2)}\n`);
    });
  };
}

function events(req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  let n = 0;
  const timer = setInterval(() => {
    n++;
    res.write(`event: tick\ndata: {"n":${n},"at":"${new Date().toISOString()}"}\n\n`);
    if (n === 5) {
      clearInterval(timer);
      res.end();
    }
  }, 500);
  req.socket.on('close', () => clearInterval(timer));
}

const backends: Backend[] = [
  { name: 'echo-1', port: 9101, handle: echo('echo-1') },
  { name: 'echo-2', port: 9102, handle: echo('echo-2') },
  { name: 'events', port: 9103, handle: events },
];

for (const b of backends) {
  createServer((req, res) => {
    if (req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
      return;
    }
    b.handle(req, res);
  }).listen(b.port, '127.0.0.1', () => process.stdout.write(`demo backend ${b.name} on http://127.0.0.1:${b.port}\n`));
}
