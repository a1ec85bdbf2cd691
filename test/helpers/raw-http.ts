// Raw-socket HTTP/1.1 for what no HTTP client will send: absolute-form targets, odd Host headers,
// unnormalised paths. The request text is sent as written; the answer is read until the server
// closes the connection (send `Connection: close`).
import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
  raw: string;
}

export function rawHttp(url: string, requestText: string, timeoutMs = 10_000): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error(`no answer in ${timeoutMs} ms to ${JSON.stringify(requestText.split('\r\n')[0])}`)), timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (err) => { clearTimeout(timer); reject(err); });
    socket.on('close', () => {
      clearTimeout(timer);
      const raw = Buffer.concat(chunks).toString('latin1');
      const parsed = parseResponse(raw);
      if (parsed) resolve(parsed);
      else reject(new Error(`not an HTTP response: ${JSON.stringify(raw.slice(0, 200))}`));
    });
    socket.write(requestText);
  });
}

function parseResponse(raw: string): RawResponse | undefined {
  const end = raw.indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  const [statusLine, ...lines] = raw.slice(0, end).split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '');
  if (!m) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  let body = raw.slice(end + 4);
  if (headers['transfer-encoding']?.toLowerCase() === 'chunked') body = dechunk(body);
  return { status: Number(m[1]), headers, body, raw };
}

function dechunk(text: string): string {
  let out = '';
  let at = 0;
  for (let guard = 0; guard < 100_000; guard++) {
    const lineEnd = text.indexOf('\r\n', at);
    if (lineEnd === -1) break;
    const size = parseInt(text.slice(at, lineEnd), 16);
    if (!(size > 0)) break;
    out += text.slice(lineEnd + 2, lineEnd + 2 + size);
    at = lineEnd + 2 + size + 2;
  }
  return out;
}
