// The real `portico` executable as a child process, on free ports, with its log captured.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cleanup } from './cleanup.js';
import { waitFor } from './cleanup.js';
import { PORTICO_BIN } from './paths.js';
import { echo, startUpstream, type Upstream } from './upstream.js';

export interface PorticoProcess {
  proc: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Parsed JSON log lines so far. */
  logs(): Array<Record<string, unknown>>;
  /** Sends SIGTERM and waits for exit; returns the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

export interface Gateway extends PorticoProcess {
  url: string;
  adminUrl: string;
  configPath: string;
}

export function writeConfig(yaml: string, dir = mkdtempSync(join(tmpdir(), 'portico-test-'))): string {
  const path = join(dir, 'portico.yaml');
  writeFileSync(path, yaml);
  return path;
}

/** Runs `portico ARGS` and collects its output. */
export function runPortico(t: Cleanup, args: string[], env: NodeJS.ProcessEnv = {}): PorticoProcess {
  const proc = spawn(process.execPath, [PORTICO_BIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => { out += d; });
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => { out += d; });
  // 'close', not 'exit': 'exit' can come before the last stdout/stderr chunks have been read, and
  // callers read the output as soon as this resolves.
  const exited = new Promise<number | null>((resolve) => proc.once('close', (code) => resolve(code)));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  t.after(() => stop());
  const logs = () => out.split('\n').filter((l) => l.startsWith('{')).map((l) => {
    try { return JSON.parse(l) as Record<string, unknown>; } catch { return {}; }
  });
  return { proc, output: () => out, logs, stop, exited };
}

/** Listening address from the "listening" log line of a listener. */
export async function listeningAddress(p: PorticoProcess, listener: string, timeoutMs = 15_000): Promise<string> {
  return waitFor(() => {
    if (p.proc.exitCode !== null) throw new Error(`portico exited with ${p.proc.exitCode}:\n${p.output()}`);
    const line = p.logs().find((l) => l.msg === 'listening' && l.listener === listener);
    return line ? `http://${String(line.address)}` : undefined;
  }, `portico ${listener} listener`, timeoutMs);
}

/** `portico all` on free ports with the given configuration. */
export async function startGateway(t: Cleanup, yaml: string, options: { env?: NodeJS.ProcessEnv; args?: string[] } = {}): Promise<Gateway> {
  const configPath = writeConfig(yaml);
  const p = runPortico(t, [
    'all', '-c', configPath,
    '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--grpc', '127.0.0.1:0',
    '--drain-timeout', '2s',
    ...(options.args ?? []),
  ], options.env);
  const url = await listeningAddress(p, 'traffic');
  const adminUrl = await listeningAddress(p, 'admin');
  await waitFor(async () => (await fetch(`${adminUrl}/readyz`)).status === 200 || undefined, 'gateway ready');
  return { ...p, url, adminUrl, configPath };
}

/**
 * One echo backend behind `portico all` with a single catch-all route (cluster "api"): the
 * setup of most edge-case tests. `gateway` is an optional YAML `gateway:` block value.
 */
export async function startEchoGateway(t: Cleanup, options: { gateway?: string } = {}): Promise<{ up: Upstream; gw: Gateway }> {
  const up = await startUpstream(t, echo('api'));
  const gw = await startGateway(t, `
${options.gateway ? `gateway: ${options.gateway}\n` : ''}clusters:
  - { name: api, endpoints: [{ url: "${up.url}" }] }
routes:
  - { match: { prefix: / }, cluster: api }
`);
  return { up, gw };
}
