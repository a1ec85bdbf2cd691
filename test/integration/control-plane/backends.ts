// Backends whose /health answer a test can switch, echoing their name on every other path.
import type { Cleanup } from '../../helpers/cleanup.js';
import { echo, startUpstream, type Upstream } from '../../helpers/upstream.js';

export interface SwitchableBackend extends Upstream {
  name: string;
  setHealthy(healthy: boolean): void;
}

export async function startBackend(t: Cleanup, name: string): Promise<SwitchableBackend> {
  let healthy = true;
  const serve = echo(name);
  const upstream = await startUpstream(t, (req, res) => {
    if (req.url === '/health') {
      res.writeHead(healthy ? 200 : 503, { 'content-type': 'text/plain' });
      res.end(healthy ? 'ok' : 'failing');
      return;
    }
    serve(req, res);
  });
  return { ...upstream, name, setHealthy: (h) => { healthy = h; } };
}

/** A two-endpoint cluster `c` behind route prefix `/`, probed every `interval`. */
export function clusterYaml(backends: SwitchableBackend[], options: { interval?: string; extra?: string } = {}): string {
  return `
healthCheck: { interval: ${options.interval ?? '200ms'}, timeout: 500ms, unhealthyThreshold: 2, healthyThreshold: 1 }
${options.extra ?? ''}
clusters:
  - name: c
    endpoints:
${backends.map((b) => `      - { url: "${b.url}", name: ${b.name} }`).join('\n')}
routes:
  - name: all
    match: { prefix: / }
    cluster: c
`;
}
