import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

// A client's X-Request-ID is kept when it is sane: short, and only characters that cannot break
// a header, a log line or a JSON body.
const SANE = /^[A-Za-z0-9._:+/=-]{1,128}$/;

export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SANE.test(given) ? given : randomUUID();
}
