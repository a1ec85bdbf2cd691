// `portico control-plane` and `portico data-plane` as child processes on free ports.
import type { Cleanup } from './cleanup.js';
import { waitFor } from './cleanup.js';
import { listeningAddress, runPortico, writeConfig, type PorticoProcess } from './gateway.js';

export interface ControlPlaneProcess extends PorticoProcess {
  /** host:port of the gRPC listener (what data planes take as --control-plane). */
  grpc: string;
  adminUrl: string;
  configPath: string;
}

export interface DataPlaneProcess extends PorticoProcess {
  url: string;
  adminUrl: string;
}

/** Starts a control plane; `config` is YAML text or, with `configPath`, an existing file. */
export async function startControlPlane(t: Cleanup, options: { yaml?: string; configPath?: string; grpc?: string; args?: string[]; env?: NodeJS.ProcessEnv }): Promise<ControlPlaneProcess> {
  const configPath = options.configPath ?? writeConfig(options.yaml!);
  const p = runPortico(t, ['control-plane', '-c', configPath, '--grpc', options.grpc ?? '127.0.0.1:0', '--admin', '127.0.0.1:0', ...(options.args ?? [])], options.env);
  const grpc = (await listeningAddress(p, 'grpc')).replace(/^http:\/\//, '');
  const adminUrl = await listeningAddress(p, 'admin');
  return { ...p, grpc, adminUrl, configPath };
}

/** Starts a data plane fed by `--control-plane` or `--redis` (in `args`); waits for readiness unless told not to. */
export async function startDataPlane(t: Cleanup, args: string[], options: { ready?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<DataPlaneProcess> {
  const p = runPortico(t, ['data-plane', '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--drain-timeout', '2s', ...args], options.env);
  const url = await listeningAddress(p, 'traffic');
  const adminUrl = await listeningAddress(p, 'admin');
  if (options.ready !== false) await waitFor(async () => (await fetch(`${adminUrl}/readyz`)).status === 200 || undefined, 'data plane ready', 15_000);
  return { ...p, url, adminUrl };
}

export interface StatusBody {
  configVersion: string;
  snapshotVersion: number;
  clusters: Array<{ name: string; balancer: string; endpoints: Array<{ name: string; url: string; status: string; latencyMs: number; lastCheck: string | null; ejected: boolean }> }>;
  dataPlanes: Array<{ id: string; transport: string; snapshotVersion: number; connectedAt: string }>;
}

export async function controlPlaneStatus(adminUrl: string): Promise<StatusBody> {
  const res = await fetch(`${adminUrl}/api/status`);
  if (res.status !== 200) throw new Error(`/api/status answered ${res.status}`);
  return (await res.json()) as StatusBody;
}

/** The value of one sample line of a Prometheus text exposition (labels as written), or undefined. */
export async function metric(adminUrl: string, name: string, labels = ''): Promise<number | undefined> {
  const text = await (await fetch(`${adminUrl}/metrics`)).text();
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (labels && !rest.includes(labels)) continue;
    if (!rest.startsWith('{') && !rest.startsWith(' ')) continue;
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

/** GET through a data plane; returns status and the body's `name` field (our echo upstreams). */
export async function hit(url: string, path = '/'): Promise<{ status: number; name: string | undefined }> {
  const res = await fetch(`${url}${path}`);
  const text = await res.text();
  let name: string | undefined;
  try {
    name = (JSON.parse(text) as { name?: string }).name;
  } catch {
    name = undefined;
  }
  return { status: res.status, name };
}
