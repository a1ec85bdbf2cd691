// new-api-proxy backends.json -> portico.yaml: the SPEC §1 mapping, checked on the parsed result,
// and the errors for input that is not a backends.json.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../../shared/src/config/index.js';
import { ConvertError, convertNewApiProxy } from '../../../shared/src/convert/index.js';

const backendsJson = (spelling: 'models' | 'model', backends: unknown[]) => JSON.stringify({
  services: { google: { [spelling]: { 'gemma-4-26b-a4b-it': { backends } } } },
});

const TWO_BACKENDS = [
  { id: 'backend-1', name: 'node 1', url: 'http://10.0.0.1:5000', weight: 3, api_key: 'sk-one', auth_mode: 'Authorization' },
  { id: 'backend-2', name: 'node 2', url: 'http://10.0.0.2:5000', weight: 1, api_key: 'sk-two', auth_mode: 'x-api-key' },
];

function load(yaml: string, env: Record<string, string>) {
  return parseConfig(yaml, env, '/srv').config;
}

test('new-api-proxy: a service/model group becomes an ip-hash cluster and a /service/model route with stripPrefix', () => {
  const yaml = convertNewApiProxy(backendsJson('models', TWO_BACKENDS));
  const config = load(yaml, { BACKEND_API_KEY: 'gw', BACKEND_1_API_KEY: 'sk-one', BACKEND_2_API_KEY: 'sk-two' });
  assert.equal(config.clusters.length, 1);
  const cluster = config.clusters[0]!;
  assert.equal(cluster.balancer, 'ip-hash');
  assert.deepEqual(cluster.endpoints.map((e) => [e.url, e.name, e.weight]), [['http://10.0.0.1:5000', 'backend-1', 3], ['http://10.0.0.2:5000', 'backend-2', 1]]);
  assert.equal(config.routes.length, 1);
  const route = config.routes[0]!;
  assert.equal(route.match.prefix, '/google/gemma-4-26b-a4b-it');
  assert.equal(route.cluster, cluster.name);
  assert.deepEqual(route.rewrite, { stripPrefix: true });
  assert.deepEqual(config.auth.keys, ['gw']);
  assert.equal(config.healthCheck.path, '/v1/models');
  assert.equal(config.healthCheck.method, 'GET');
});

test('new-api-proxy: "model" is accepted as well as "models", with the same result', () => {
  assert.equal(convertNewApiProxy(backendsJson('model', TWO_BACKENDS)), convertNewApiProxy(backendsJson('models', TWO_BACKENDS)));
});

test('new-api-proxy: api_key + auth_mode become endpoint auth, keys as ${VAR} references, never literal', () => {
  const yaml = convertNewApiProxy(backendsJson('models', [
    ...TWO_BACKENDS,
    { id: 'backend-3', url: 'http://10.0.0.3:5000', api_key: 'sk-three', auth_mode: 'X-API-KEY' },
    { id: 'backend-4', url: 'http://10.0.0.4:5000', api_key: 'sk-four' },
  ]));
  for (const secret of ['sk-one', 'sk-two', 'sk-three', 'sk-four']) assert.ok(!yaml.includes(secret), `${secret} must not be in the output`);
  assert.match(yaml, /^# {3}BACKEND_1_API_KEY +api_key of google\/gemma-4-26b-a4b-it "backend-1" \(Authorization: Bearer\)$/m);
  assert.match(yaml, /^# {3}BACKEND_2_API_KEY +api_key of google\/gemma-4-26b-a4b-it "backend-2" \(X-API-Key\)$/m);
  const config = load(yaml, { BACKEND_API_KEY: 'gw', BACKEND_1_API_KEY: 'k1', BACKEND_2_API_KEY: 'k2', BACKEND_3_API_KEY: 'k3', BACKEND_4_API_KEY: 'k4' });
  assert.deepEqual(config.clusters[0]!.endpoints.map((e) => e.auth), [
    { key: 'k1', header: 'authorization' },
    { key: 'k2', header: 'x-api-key' },
    { key: 'k3', header: 'x-api-key' }, // new-api-proxy compared auth_mode case-insensitively
    { key: 'k4', header: 'authorization' }, // no auth_mode: the tool's BACKEND_AUTH_MODE default
  ]);
  // Without the variables the file is invalid: a missing key never means "no key".
  assert.throws(() => load(yaml, { BACKEND_API_KEY: 'gw' }), /BACKEND_1_API_KEY is not set/);
});

test('new-api-proxy: backends sharing one api_key share one variable; none is called BACKEND_API_KEY', () => {
  const yaml = convertNewApiProxy(backendsJson('models', [
    { id: 'backend', url: 'http://10.0.0.1:5000', api_key: 'same' },
    { id: 'other', url: 'http://10.0.0.2:5000', api_key: 'same', auth_mode: 'x-api-key' },
  ]));
  const config = load(yaml, { BACKEND_API_KEY: 'gw', BACKEND_2_API_KEY: 'shared' });
  assert.deepEqual(config.clusters[0]!.endpoints.map((e) => e.auth?.key), ['shared', 'shared']);
  assert.deepEqual(config.auth.keys, ['gw']);
});

test('new-api-proxy: a backend without api_key gets no auth (the gateway key is never forwarded), with a comment saying how', () => {
  const yaml = convertNewApiProxy(backendsJson('models', [{ id: 'plain', url: 'http://10.0.0.1:5000' }]));
  const config = load(yaml, { BACKEND_API_KEY: 'gw' });
  assert.equal(config.clusters[0]!.endpoints[0]!.auth, undefined);
  assert.match(yaml, /# No api_key: new-api-proxy sent the gateway key/);
  assert.match(yaml, /#\s+auth: \{ key: "\$\{BACKEND_API_KEY\}", header: authorization \}/);
});

test('new-api-proxy: names follow the schema rule and stay unique; odd model names become raw-path prefixes', () => {
  const yaml = convertNewApiProxy(JSON.stringify({
    services: {
      'google-gemma': { models: { x: { backends: [{ id: 'a', url: 'http://10.0.0.1:1' }] } } },
      google: { models: { 'gemma-x': { backends: [{ id: 'a', url: 'http://10.0.0.2:1' }] } }, model: undefined },
      ollama: { model: { 'llama3:8b': { backends: [{ id: '#1 box', url: 'http://10.0.0.3:1' }, { id: '#1 box', url: 'http://10.0.0.4:1' }] } } },
      '.hidden': { models: { 'qwen 2.5': { backends: [{ url: 'http://10.0.0.5:1' }] } } },
    },
  }));
  const config = load(yaml, { BACKEND_API_KEY: 'gw' });
  const names = config.clusters.map((c) => c.name);
  assert.deepEqual(names, ['google-gemma-x', 'google-gemma-x-2', 'ollama-llama3-8b', 'hidden-qwen-2.5']);
  assert.deepEqual(config.clusters[2]!.endpoints.map((e) => e.name), ['1-box', '1-box-2']);
  assert.equal(config.clusters[3]!.endpoints[0]!.name, '10.0.0.5-1'); // no id or name: from host and port
  assert.deepEqual(config.routes.map((r) => r.match.prefix), ['/google-gemma/x', '/google/gemma-x', '/ollama/llama3:8b', '/.hidden/qwen%202.5']);
});

test('new-api-proxy: groups without backends and duplicate URLs are listed as not converted', () => {
  const yaml = convertNewApiProxy(JSON.stringify({
    services: { s: { models: {
      empty: { backends: [] },
      m: { backends: [{ id: 'a', url: 'http://10.0.0.1:1', api_key: 'k1' }, { id: 'b', url: 'http://10.0.0.1:1/', api_key: 'k2' }] },
    } } },
  }));
  const config = load(yaml, { BACKEND_API_KEY: 'gw', A_API_KEY: 'k1' });
  assert.deepEqual(config.routes.map((r) => r.match.prefix), ['/s/m']);
  assert.deepEqual(config.clusters[0]!.endpoints.map((e) => e.name), ['a']);
  assert.match(yaml, /# Not converted:\n# {3}- s\/empty: no backends/);
  assert.match(yaml, /# {3}- s\/m "b": dropped: same url as "a"/);
});

test('new-api-proxy: the output lists the behaviours deliberately not copied', () => {
  const yaml = convertNewApiProxy(backendsJson('models', TWO_BACKENDS));
  assert.match(yaml, /# Behaviours of new-api-proxy deliberately not copied:/);
  assert.match(yaml, /Query strings: new-api-proxy dropped them/);
  assert.match(yaml, /sent BACKEND_API_KEY to backends without an api_key/);
});

const errors: Array<[string, string, RegExp]> = [
  ['invalid JSON', '{"services": {', /^backends\.json: invalid JSON: /],
  ['a list at the top', '[]', /^backends\.json: \(top level\): must be an object \{"services"/],
  ['no services', '{"backends": []}', /needs "services"/],
  ['services not an object', '{"services": 3}', /^backends\.json: services: must be an object of services \(got 3\)/],
  ['no models', '{"services": {"s": {}}}', /services\.s: needs "models" \(or "model"\)/],
  ['both spellings', '{"services": {"s": {"model": {}, "models": {}}}}', /services\.s: has both "models" and "model"/],
  ['backends not a list', '{"services": {"s": {"models": {"m": {"backends": {}}}}}}', /services\.s\.models\.m\.backends: must be a list of backends \(got an object\)/],
  ['a backend without url', '{"services": {"s": {"models": {"m": {"backends": [{"id": "a"}]}}}}}', /services\.s\.models\.m\.backends\[0\]\.url: must be the backend's URL \(got undefined\)/],
  ['a url that is not http', '{"services": {"s": {"models": {"m": {"backends": [{"url": "ftp://x"}]}}}}}', /backends\[0\]\.url: must be an http\(s\) URL \(got "ftp:\/\/x"\)/],
  ['an unknown auth_mode', '{"services": {"s": {"models": {"m": {"backends": [{"url": "http://x", "api_key": "k", "auth_mode": "bearer"}]}}}}}', /backends\[0\]\.auth_mode: must be "Authorization" or "x-api-key" \(got "bearer"\)/],
  ['a weight that is not a number', '{"services": {"s": {"models": {"m": {"backends": [{"url": "http://x", "weight": "2"}]}}}}}', /backends\[0\]\.weight: must be a number/],
  ['an env reference in a url', '{"services": {"s": {"models": {"m": {"backends": [{"url": "http://x/${HOME}"}]}}}}}', /"\$\{HOME\}" would be read by Portico as an environment variable reference/],
  ['nothing to convert', '{"services": {"s": {"models": {"m": {"backends": []}}}}}', /no service\/model group with backends to convert/],
];
for (const [what, input, message] of errors) {
  test(`new-api-proxy: error for ${what}`, () => {
    assert.throws(() => convertNewApiProxy(input), (err: unknown) => {
      assert.ok(err instanceof ConvertError);
      assert.match(err.message, message);
      return true;
    });
  });
}
