// A strict parser for the one request shape the fast path serves: a complete HTTP/1.1 head with
// an origin-form target and no body. Anything else (a partial head, a body, Upgrade, Expect,
// Connection options, obs-fold, odd bytes) returns undefined and the connection goes to node:http,
// whose parser owns every hard case: framing, smuggling defences, 100-continue, upgrades, 400s.

export interface RequestHead {
  method: string;
  url: string;
  /** Flat [name, value, ...] as received. */
  rawHeaders: string[];
  /** Lower-cased names, duplicates merged as node:http merges them. */
  headers: Record<string, string | string[]>;
  /** Bytes of the head including its final CRLFCRLF. */
  length: number;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']);
const TARGET = /^\/[\x21-\x7e]*$/;
export const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// What node:http refuses in a header value, in requests and in writeHead; obs-text (0x80-0xff) is allowed.
export const BAD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
/** Longest head and most header lines served here; beyond them node:http (and its limits) decide. */
const MAX_HEAD = 64 * 1024;
const MAX_LINES = 100;

// node:http keeps the first of these and drops repeats (IncomingMessage#headers).
const SINGLE = new Set([
  'age', 'authorization', 'content-length', 'content-type', 'etag', 'expires', 'from', 'host',
  'if-modified-since', 'if-unmodified-since', 'last-modified', 'location', 'max-forwards',
  'proxy-authorization', 'referer', 'retry-after', 'server', 'user-agent',
]);

export function parseRequestHead(buf: Buffer): RequestHead | undefined {
  const end = buf.indexOf('\r\n\r\n', 0, 'latin1');
  if (end === -1 || end > MAX_HEAD) return undefined;
  const lines = buf.toString('latin1', 0, end).split('\r\n');
  if (lines.length > MAX_LINES) return undefined;
  const start = lines[0]!;
  const sp1 = start.indexOf(' ');
  const sp2 = start.indexOf(' ', sp1 + 1);
  if (sp1 === -1 || sp2 === -1 || start.length - sp2 !== 9 || !start.endsWith(' HTTP/1.1')) return undefined;
  const method = start.slice(0, sp1);
  const url = start.slice(sp1 + 1, sp2);
  if (!METHODS.has(method) || !TARGET.test(url)) return undefined;

  const rawHeaders: string[] = [];
  const headers: Record<string, string | string[]> = {};
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    const name = line.slice(0, colon);
    const value = line.slice(colon + 1).trim();
    if (!TOKEN.test(name) || BAD_VALUE.test(value)) return undefined;
    const lower = name.toLowerCase();
    if (!accepted(lower, value)) return undefined;
    rawHeaders.push(name, value);
    addHeader(headers, lower, value);
  }
  return { method, url, rawHeaders, headers, length: end + 4 };
}

/** Headers that make a request one the fast path does not serve. */
function accepted(lower: string, value: string): boolean {
  switch (lower) {
    case 'content-length':
    case 'transfer-encoding':
    case 'upgrade':
    case 'expect':
    case 'http2-settings':
      return false;
    case 'connection':
      return value.toLowerCase() === 'keep-alive';
    default:
      // '__proto__', 'constructor', ...: node's plain headers object would misread them.
      return !(lower in Object.prototype);
  }
}

function addHeader(headers: Record<string, string | string[]>, name: string, value: string): void {
  const prev = headers[name];
  if (prev === undefined) {
    headers[name] = name === 'set-cookie' ? [value] : value;
  } else if (name === 'set-cookie') {
    (prev as string[]).push(value);
  } else if (!SINGLE.has(name)) {
    headers[name] = `${prev as string}${name === 'cookie' ? '; ' : ', '}${value}`;
  }
}
