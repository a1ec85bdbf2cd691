// The Fastify plugin (SPEC §8): `app.register(porticoProxy, { prefix: '/api', upstream })` routes
// every method under the prefix through LoadBalancer.proxyPass, and with `websocket: true` tunnels
// upgrades under it through proxyWebSocket from the server's raw `upgrade` event (not
// @fastify/websocket, which completes the client handshake before the upstream has chosen a
// subprotocol). The plugin is encapsulated on purpose (no fastify-plugin): Fastify applies
// `prefix`, and the body parser that leaves request bodies unread stays inside it.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { PorticoError } from '../../../shared/src/errors.js';
import { segmentPrefix } from '../../../shared/src/config/semantics.js';
import { requestIdOf } from '../proxy/request-id.js';
import { refuseWithError } from '../proxy/tunnel-ws.js';
import { parseTarget } from '../routing/target.js';
import { LoadBalancer, type ProxiedWebSocket } from './load-balancer.js';
import type { ProxyOptions } from './options.js';
import type { ProxyPassOptions } from './proxy.js';

export interface PorticoProxyOptions extends ProxyPassOptions {
  /** Fastify's own route prefix: where the proxied service is mounted (default: the root). */
  prefix?: string;
  /** One upstream URL (origin plus an optional base path)... */
  upstream?: string;
  /** ...or a LoadBalancer (yours: the plugin does not close it). */
  loadBalancer?: LoadBalancer;
  /** Remove the prefix from the upstream path, like @fastify/http-proxy (default true). */
  stripPrefix?: boolean;
  /** Tunnel WebSocket upgrades under the prefix (default false). */
  websocket?: boolean;
}

type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
interface UpgradeRoute { prefix: string; handle: UpgradeHandler }

// One `upgrade` listener per server, shared by every registration of the plugin: the longest
// matching prefix takes the upgrade.
const upgradeRoutes = new WeakMap<Server, UpgradeRoute[]>();

function addUpgradeRoute(server: Server, route: UpgradeRoute): () => void {
  let routes = upgradeRoutes.get(server);
  if (routes === undefined) {
    const list: UpgradeRoute[] = [];
    routes = list;
    upgradeRoutes.set(server, list);
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = parseTarget(req.url ?? '')?.path;
      const match = path === undefined ? undefined : list.find((r) => segmentPrefix(r.prefix, path));
      if (match !== undefined) {
        match.handle(req, socket, head);
      } else if (server.listenerCount('upgrade') === 1) {
        // Nobody else listens for upgrades: answer rather than leave the socket hanging.
        socket.on('error', () => undefined);
        refuseWithError(socket, new PorticoError('NO_ROUTE', `no WebSocket route for ${path ?? req.url}`), requestIdOf(req));
      }
    });
  }
  routes.push(route);
  routes.sort((a, b) => b.prefix.length - a.prefix.length);
  return () => {
    const i = routes.indexOf(route);
    if (i !== -1) routes.splice(i, 1);
  };
}

export const porticoProxy: FastifyPluginAsync<PorticoProxyOptions> = async (app, opts) => {
  if ((opts.upstream === undefined) === (opts.loadBalancer === undefined)) {
    throw new TypeError('porticoProxy needs exactly one of `upstream` or `loadBalancer`');
  }
  const owned = opts.loadBalancer === undefined;
  const lb = opts.loadBalancer ?? new LoadBalancer({
    endpoints: [{ url: opts.upstream!, ...(opts.auth ? { auth: opts.auth } : {}) }],
    retries: 0,
    outlierDetection: false,
    ...(opts.connectTimeout !== undefined ? { connectTimeout: opts.connectTimeout } : {}),
    ...(opts.timeout !== undefined ? { timeout: opts.timeout } : {}),
    ...(opts.idleTimeout !== undefined ? { idleTimeout: opts.idleTimeout } : {}),
    ...(opts.trustProxy !== undefined ? { trustProxy: opts.trustProxy } : {}),
  });
  // app.prefix is the full prefix of this encapsulated context (parents' prefixes included).
  const prefix = app.prefix === '' ? '/' : app.prefix;
  const proxy: ProxyOptions = Object.freeze({
    ...(opts.method !== undefined ? { method: opts.method } : {}),
    ...(opts.body !== undefined ? { body: opts.body } : {}),
    ...(opts.forwardQuery !== undefined ? { forwardQuery: opts.forwardQuery } : {}),
    ...(opts.headers !== undefined ? { headers: opts.headers } : {}),
    ...(opts.path !== undefined ? { path: opts.path } : {}),
    ...(opts.response !== undefined ? { response: opts.response } : {}),
    prefix,
    ...(opts.rewrite !== undefined ? { rewrite: opts.rewrite } : opts.stripPrefix === false ? {} : { rewrite: { stripPrefix: true } }),
  });

  // Bodies stream to the upstream untouched: no parser reads them here.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req, _payload, done) => done(null));

  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    reply.hijack();
    await lb.proxyPass(request.raw, reply.raw, proxy);
  };
  app.all('/', handler);
  app.all('/*', handler);

  const tunnels = new Set<ProxiedWebSocket>();
  let removeUpgrade: (() => void) | undefined;
  if (opts.websocket) {
    removeUpgrade = addUpgradeRoute(app.server, {
      prefix,
      handle: (req, socket, head) => {
        void lb.proxyWebSocket(req, socket, head, proxy).then((tunnel) => {
          if (tunnel === undefined) return;
          tunnels.add(tunnel);
          void tunnel.closed.then(() => tunnels.delete(tunnel));
        });
      },
    });
  }
  // Upgraded sockets would keep server.close() waiting: close the tunnels first (1001).
  app.addHook('preClose', async () => {
    removeUpgrade?.();
    const open = [...tunnels];
    for (const t of open) t.close(1001, 'shutting down');
    // A peer that never answers the close frame gets its connection dropped after 2 s.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => { timer = setTimeout(resolve, 2_000); });
    await Promise.race([Promise.all(open.map((t) => t.closed)), late]);
    clearTimeout(timer);
    for (const t of tunnels) t.terminate();
  });
  app.addHook('onClose', async () => {
    if (owned) await lb.close();
  });
};
