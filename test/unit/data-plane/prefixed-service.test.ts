// rewriteLocation and rewriteOpenApi as tables (the integration tests go through the proxy).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rewriteLocation, rewriteOpenApi } from '../../../data-plane/src/proxy/prefixed-service.js';

const ORIGIN = 'http://10.0.0.1:8000';
const locations: Array<[location: string, prefix: string, basePath: string, expected: string]> = [
  ['/login', '/svc', '', '/svc/login'],
  ['/', '/svc', '', '/svc/'],
  ['/login?next=/x#h', '/svc/', '', '/svc/login?next=/x#h'],
  [`${ORIGIN}/login`, '/svc', '', '/svc/login'],
  [`${ORIGIN}/app/login`, '/svc', '/app', '/svc/login'],
  ['/app', '/svc', '/app', '/svc/'],
  ['/app?x=1', '/svc', '/app', '/svc/?x=1'],
  ['/application', '/svc', '/app', '/svc/application'],
  ['http://10.0.0.1:9000/login', '/svc', '', 'http://10.0.0.1:9000/login'],
  ['https://idp.example.com/auth', '/svc', '', 'https://idp.example.com/auth'],
  ['//evil.test/x', '/svc', '', '//evil.test/x'],
  ['relative/path', '/svc', '', 'relative/path'],
  ['/svc/already', '/svc', '', '/svc/already'],
];

for (const [location, prefix, basePath, expected] of locations) {
  test(`rewriteLocation(${location}, ${prefix}, base ${basePath || '""'})`, () => {
    assert.equal(rewriteLocation(location, prefix, ORIGIN, basePath), expected);
  });
}

const doc = (v: unknown) => Buffer.from(JSON.stringify(v));
const parse = (b: Buffer | undefined) => JSON.parse(b!.toString()) as Record<string, unknown>;

test('rewriteOpenApi: OpenAPI 3 servers, Swagger 2 basePath/host, anything else undefined', () => {
  assert.deepEqual(parse(rewriteOpenApi(doc({ openapi: '3.0.0', servers: [{ url: 'https://h/v1' }, { url: '/' }, { url: '/svc/v2' }] }), '/svc')).servers,
    [{ url: '/svc/v1' }, { url: '/svc' }, { url: '/svc/v2' }]);
  assert.deepEqual(parse(rewriteOpenApi(doc({ openapi: '3.1.0' }), '/svc/')).servers, [{ url: '/svc' }]);
  const s = parse(rewriteOpenApi(doc({ swagger: '2.0', host: 'h', basePath: '/api/' }), '/svc'));
  assert.equal(s.basePath, '/svc/api');
  assert.equal('host' in s, false);
  for (const body of [Buffer.from('not json'), doc([1]), doc(null), doc({ info: {} }), Buffer.alloc(0)]) {
    assert.equal(rewriteOpenApi(body, '/svc'), undefined);
  }
});
