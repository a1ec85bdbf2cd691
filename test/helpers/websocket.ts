// Real WebSocket upstreams and clients (ws) for the tunnel tests.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import type { Cleanup } from './cleanup.js';

export interface UpstreamConnection {
  ws: WebSocket;
  req: IncomingMessage;
  /** Date.now() when the upstream's TCP socket closed; undefined while open. */
  socketClosedAt: number | undefined;
  closed: Promise<{ code: number; reason: string }>;
}

export interface WsUpstream {
  url: string;
  port: number;
  server: Server;
  wss: WebSocketServer;
  connections: UpstreamConnection[];
  /** Upgrade requests seen (also the refused ones). */
  upgrades: IncomingMessage[];
  /** The next connection (already open ones first). */
  connection(index?: number): Promise<UpstreamConnection>;
  close(): Promise<void>;
}

export interface WsUpstreamOptions {
  /** Picks the subprotocol (ws handleProtocols); default: none. */
  handleProtocols?: (offered: Set<string>, req: IncomingMessage) => string | false;
  /** Called for each connection; default: echo every message with its type. */
  onConnection?: (c: UpstreamConnection) => void;
  /** Answers upgrades itself (a refusal) instead of accepting them. */
  refuse?: (req: IncomingMessage, socket: Duplex) => void;
  /** Extra headers on the 101. */
  responseHeaders?: string[];
  /** Plain HTTP requests; default: 200 "ok" (what health probes need). */
  http?: (req: IncomingMessage, res: ServerResponse) => void;
}

export const echoMessages = (c: UpstreamConnection): void => {
  c.ws.on('message', (data: Buffer, isBinary: boolean) => c.ws.send(data, { binary: isBinary }));
};

/** A ws server on 127.0.0.1 that also answers plain HTTP (health probes) with 200. */
export async function startWsUpstream(t: Cleanup, options: WsUpstreamOptions = {}): Promise<WsUpstream> {
  const server = createServer(options.http ?? ((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  }));
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: 64 * 1024 * 1024,
    ...(options.handleProtocols ? { handleProtocols: options.handleProtocols } : {}),
  });
  if (options.responseHeaders) {
    const extra = options.responseHeaders;
    wss.on('headers', (headers: string[]) => headers.push(...extra));
  }
  const connections: UpstreamConnection[] = [];
  const upgrades: IncomingMessage[] = [];
  const waiting: Array<() => void> = [];
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgrades.push(req);
    socket.on('error', () => undefined);
    if (options.refuse) {
      options.refuse(req, socket);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      let resolveClosed!: (v: { code: number; reason: string }) => void;
      const c: UpstreamConnection = {
        ws, req, socketClosedAt: undefined,
        closed: new Promise((resolve) => { resolveClosed = resolve; }),
      };
      socket.once('close', () => { c.socketClosedAt = Date.now(); });
      ws.on('error', () => undefined);
      ws.on('close', (code, reason) => resolveClosed({ code, reason: reason.toString() }));
      connections.push(c);
      (options.onConnection ?? echoMessages)(c);
      for (const w of waiting.splice(0)) w();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const close = async () => {
    for (const c of connections) c.ws.terminate();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  t.after(close);
  const connection = async (index = connections.length === 0 ? 0 : connections.length - 1): Promise<UpstreamConnection> => {
    const deadline = Date.now() + 10_000;
    while (connections[index] === undefined) {
      if (Date.now() > deadline) throw new Error(`no upstream WebSocket connection #${index} within 10 s`);
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        setTimeout(resolve, 200);
      });
    }
    return connections[index]!;
  };
  return { url: `http://127.0.0.1:${port}`, port, server, wss, connections, upgrades, connection, close };
}

/** Gateway traffic URL (http://) as a ws:// URL for `path`. */
export function wsUrl(gatewayUrl: string, path = '/'): string {
  return gatewayUrl.replace(/^http/, 'ws') + path;
}

/** Opens a client; rejects with the handshake error (or the refusal status). */
export function openClient(t: Cleanup, url: string, protocols: string[] = [], options: WebSocket.ClientOptions = {}): Promise<WebSocket> {
  const ws = new WebSocket(url, protocols, { perMessageDeflate: false, maxPayload: 64 * 1024 * 1024, ...options });
  t.after(() => ws.terminate());
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`unexpected response ${res.statusCode}`)));
  });
}

export interface Refusal {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

/** Attempts a handshake that should be refused; resolves with the HTTP answer. */
export function refusedHandshake(url: string, protocols: string[] = [], headers: Record<string, string> = {}): Promise<Refusal> {
  const ws = new WebSocket(url, protocols, { perMessageDeflate: false, headers });
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      ws.terminate();
      reject(new Error('handshake unexpectedly succeeded'));
    });
    ws.once('error', (err) => reject(err));
    ws.once('unexpected-response', (req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
        req.destroy();
      });
    });
  });
}

export function nextMessage(ws: WebSocket): Promise<{ data: Buffer; isBinary: boolean }> {
  return new Promise((resolve, reject) => {
    ws.once('message', (data: Buffer, isBinary: boolean) => resolve({ data, isBinary }));
    ws.once('close', (code) => reject(new Error(`closed with ${code} before a message arrived`)));
  });
}

export function closeEvent(ws: WebSocket): Promise<{ code: number; reason: string }> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.reject(new Error('already closed'));
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

/** A one-route gateway configuration sending everything to `upstreamUrl`. */
export function tunnelConfig(upstreamUrl: string, extra: { route?: string; cluster?: string; top?: string } = {}): string {
  return `
${extra.top ?? ''}
clusters:
  - name: ws
    ${extra.cluster ?? ''}
    endpoints: [{ url: "${upstreamUrl}" }]
routes:
  - name: ws
    match: { prefix: / }
    cluster: ws
    ${extra.route ?? ''}
`;
}

/** Waits until the control plane reports every endpoint of `cluster` healthy and the data plane serves that snapshot. */
export async function waitHealthy(gw: { adminUrl: string }, cluster: string, timeoutMs = 10_000): Promise<void> {
  interface StatusDoc {
    snapshotVersion: number;
    clusters: Array<{ name: string; endpoints: Array<{ status: string }> }>;
    dataPlanes: Array<{ snapshotVersion: number }>;
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${gw.adminUrl}/api/status`);
    if (res.status === 200) {
      const doc = (await res.json()) as StatusDoc;
      const eps = doc.clusters.find((c) => c.name === cluster)?.endpoints ?? [];
      if (eps.length > 0 && eps.every((e) => e.status === 'healthy') && doc.dataPlanes.length > 0 && doc.dataPlanes.every((d) => d.snapshotVersion >= doc.snapshotVersion)) return;
    } else {
      await res.arrayBuffer();
    }
    if (Date.now() > deadline) throw new Error(`cluster ${cluster} not healthy within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
