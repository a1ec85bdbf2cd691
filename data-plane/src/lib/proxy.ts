// proxyPass / proxyWebSocket to one upstream URL (SPEC §8). Each is a one-endpoint LoadBalancer
// without retries or outlier ejection, kept in a bounded LRU by URL and timeouts so repeated calls
// reuse warm connections. There is no second forwarding path: it is the same cluster forwarder.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { LRUCache } from 'lru-cache';
import { LoadBalancer, type ProxiedWebSocket, type ProxyResult } from './load-balancer.js';
import type { Duration, EndpointOptions, ProxyOptions } from './options.js';

export interface ProxyPassOptions extends ProxyOptions {
  connectTimeout?: Duration;
  /** Until response headers (default 30s); also the WebSocket handshake timeout. */
  timeout?: Duration;
  /** Between body chunks / WebSocket frames (default 5m). */
  idleTimeout?: Duration;
  /** Client IP from X-Forwarded-For only when the socket address is in these CIDRs (default: never). */
  trustProxy?: readonly string[] | false;
  /** Backend key injected upstream. */
  auth?: EndpointOptions['auth'];
}

const shared = new LRUCache<string, LoadBalancer>({
  max: 256,
  dispose: (lb) => void lb.close(),
});

function balancerFor(upstream: string | URL, o: ProxyPassOptions): LoadBalancer {
  const url = String(upstream);
  const key = JSON.stringify([url, o.connectTimeout, o.timeout, o.idleTimeout, o.trustProxy, o.auth?.key, o.auth?.header]);
  let lb = shared.get(key);
  if (lb === undefined) {
    lb = new LoadBalancer({
      endpoints: [{ url, ...(o.auth ? { auth: o.auth } : {}) }],
      name: 'upstream',
      retries: 0,
      outlierDetection: false,
      ...(o.connectTimeout !== undefined ? { connectTimeout: o.connectTimeout } : {}),
      ...(o.timeout !== undefined ? { timeout: o.timeout } : {}),
      ...(o.idleTimeout !== undefined ? { idleTimeout: o.idleTimeout } : {}),
      ...(o.trustProxy !== undefined ? { trustProxy: o.trustProxy } : {}),
    });
    shared.set(key, lb);
  }
  return lb;
}

/**
 * Forwards one request to `upstream` (origin plus an optional base path: the request path is
 * joined to it) with the SPEC §2 `request` overrides, streaming both ways. The client is always
 * answered; the promise reports how.
 */
export function proxyPass(req: IncomingMessage, res: ServerResponse, upstream: string | URL, options: ProxyPassOptions = {}): Promise<ProxyResult> {
  return balancerFor(upstream, options).proxyPass(req, res, options);
}

/**
 * Tunnels one WebSocket upgrade to `upstream` (http(s):// or ws(s):// base URL) with deferred
 * subprotocol negotiation. Resolves with the open tunnel, or undefined when the client was
 * answered with an error (the upstream's refusal status, or a SPEC §3.2 JSON error).
 */
export function proxyWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer, upstream: string | URL, options: ProxyPassOptions = {}): Promise<ProxiedWebSocket | undefined> {
  const url = String(upstream).replace(/^ws(s?):/i, 'http$1:');
  return balancerFor(url, options).proxyWebSocket(req, socket, head, options);
}

/** Closes the connections proxyPass/proxyWebSocket keep to upstreams (call it on shutdown). */
export async function closeSharedConnections(): Promise<void> {
  const all = [...shared.values()];
  shared.clear();
  await Promise.all(all.map((lb) => lb.close()));
}
