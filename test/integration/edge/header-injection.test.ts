// CR/LF cannot be injected through values the gateway sets: configured header values (route
// request/response headers, header matchers, backend keys), also when they come from ${VAR}, are
// rejected by the loader `portico validate` uses; an X-Request-ID with odd characters is replaced
// by a generated one before it is echoed or forwarded.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ConfigError, parseConfig } from '../../../shared/src/config/load.js';
import { runPortico, startEchoGateway, writeConfig } from '../../helpers/gateway.js';
import { rawHttp } from '../../helpers/raw-http.js';

const t = { after };
// Started before any test is registered: the root test's after-hooks would stop it otherwise.
const { gw } = await startEchoGateway(t);

function configWith(route: string, endpoint = ''): string {
  return `
clusters:
  - { name: api, endpoints: [{ url: "http://127.0.0.1:1"${endpoint} }] }
routes:
  - { match: { prefix: / }, cluster: api${route} }
`;
}

const bad: Array<[name: string, yaml: string, path: RegExp, env?: Record<string, string>]> = [
  ['request set', configWith(', request: { headers: { set: { x-a: "v\\r\\nx-injected: 1" } } }'), /routes\[0\]\.request\.headers\.set\.x-a/],
  ['request add', configWith(', request: { headers: { add: { x-a: "v\\nx" } } }'), /routes\[0\]\.request\.headers\.add\.x-a/],
  ['request replace', configWith(', request: { headers: { replace: { x-a: "v\\rx" } } }'), /routes\[0\]\.request\.headers\.replace\.x-a/],
  ['response set', configWith(', response: { headers: { set: { x-a: "v\\r\\nset-cookie: a=b" } } }'), /routes\[0\]\.response\.headers\.set\.x-a/],
  ['NUL in a value', configWith(', request: { headers: { set: { x-a: "v\\0" } } }'), /routes\[0\]\.request\.headers\.set\.x-a/],
  ['a header name with a colon', configWith(', request: { headers: { set: { "x-a: b": "v" } } }'), /routes\[0\]\.request\.headers\.set/],
  ['from an environment variable', configWith(', request: { headers: { set: { x-a: "${INJECT}" } } }'), /routes\[0\]\.request\.headers\.set\.x-a/, { INJECT: 'v\r\nx-injected: 1' }],
  // Regression: endpoint auth.key was only checked for being non-empty; a key with CR/LF became
  // an injected upstream header line.
  ['backend key', configWith('', ', auth: { key: "sk-1\\r\\nx-injected: 1" }'), /clusters\[0\]\.endpoints\[0\]\.auth\.key/],
  ['backend key from an environment variable', configWith('', ', auth: { key: "${KEY}", header: x-api-key }'), /clusters\[0\]\.endpoints\[0\]\.auth\.key/, { KEY: 'sk\nx' }],
];

for (const [name, yaml, path, env] of bad) {
  test(`CR/LF/NUL in ${name} is a configuration error at its field path`, () => {
    assert.throws(() => parseConfig(yaml, env ?? {}, '/tmp'), (err: unknown) => {
      assert.ok(err instanceof ConfigError, String(err));
      assert.ok(err.problems.some((p) => path.test(p.path)), JSON.stringify(err.problems));
      return true;
    });
  });
}

test('portico validate exits 1 and names the field', async () => {
  const p = runPortico(t, ['validate', '-c', writeConfig(bad[0]![1])]);
  assert.equal(await p.exited, 1, p.output());
  assert.match(p.output(), /routes\[0\]\.request\.headers\.set\.x-a/);
});


const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

for (const odd of ['abc def', 'a"b', 'a<script>', 'id;x=1', 'a,b', '\u00e9t\u00e9', 'x'.repeat(300), '', 'a\tb']) {
  test(`X-Request-ID ${JSON.stringify(odd.slice(0, 20))} is replaced, upstream and in the answer`, async () => {
    const res = await rawHttp(gw.url, `GET /x HTTP/1.1\r\nHost: x\r\nX-Request-ID: ${odd}\r\nConnection: close\r\n\r\n`);
    assert.equal(res.status, 200, res.raw.slice(0, 300));
    const id = res.headers['x-request-id'] ?? '';
    assert.match(id, UUID);
    assert.equal((JSON.parse(res.body) as { headers: Record<string, string> }).headers['x-request-id'], id);
  });
}

test('a sane X-Request-ID is kept', async () => {
  const res = await rawHttp(gw.url, 'GET /x HTTP/1.1\r\nHost: x\r\nX-Request-ID: req-42.a:b\r\nConnection: close\r\n\r\n');
  assert.equal(res.headers['x-request-id'], 'req-42.a:b');
});
