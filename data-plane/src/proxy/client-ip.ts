// SPEC §3.1: the client IP is the socket address, or, when that address is a trusted proxy, the
// right-most X-Forwarded-For entry that is not itself trusted.
import type { IncomingMessage } from 'node:http';
import { isIP, type BlockList } from 'node:net';

export function socketIp(req: IncomingMessage): string {
  const addr = req.socket.remoteAddress ?? '';
  return addr.startsWith('::ffff:') && addr.includes('.') ? addr.slice(7) : addr;
}

export function isTrusted(ip: string, trust: BlockList | undefined): boolean {
  if (!trust) return false;
  const family = isIP(ip);
  return family !== 0 && trust.check(ip, family === 6 ? 'ipv6' : 'ipv4');
}

export function clientIp(req: IncomingMessage, direct: string, trust: BlockList | undefined): string {
  if (!trust || !isTrusted(direct, trust)) return direct;
  const xff = req.headers['x-forwarded-for'];
  if (xff === undefined) return direct;
  const hops = (Array.isArray(xff) ? xff.join(',') : xff).split(',');
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!.trim();
    if (isIP(hop) === 0) return direct; // garbage in the chain: stop believing it
    if (!isTrusted(hop, trust)) return hop;
  }
  return direct;
}
