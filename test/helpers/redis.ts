// A private redis-server (Debian's) on a free port, no persistence; killed by PID in cleanup.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import type { Cleanup } from './cleanup.js';
import { waitFor } from './cleanup.js';
import { closedPort } from './upstream.js';

export interface RedisServer {
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.setTimeout(500, () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      data += d.toString();
      if (data.includes('\r\n')) {
        socket.destroy();
        resolve(data.startsWith('+PONG'));
      }
    });
    socket.on('error', () => resolve(false));
  });
}

export async function startRedis(t: Cleanup): Promise<RedisServer> {
  for (let attempt = 0; ; attempt++) {
    const port = await closedPort();
    const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
    proc.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    const stop = async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    };
    t.after(stop);
    try {
      await waitFor(async () => {
        if (proc.exitCode !== null) throw new Error(`redis-server exited: ${out}`);
        return (await ping(port)) || undefined;
      }, 'redis-server', 10_000, 50);
      return { url: `redis://127.0.0.1:${port}`, port, pid: proc.pid!, stop };
    } catch (err) {
      await stop();
      // Another process may have taken the port between closedPort() and the bind.
      if (attempt >= 2) throw err;
    }
  }
}
