// `portico validate -c FILE`: exit 0 on a good file (warnings for routes that can never match do
// not change that), exit 1 on a bad one with every problem printed with its field path.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { runPortico, writeConfig } from '../../helpers/gateway.js';

const t = { after };

// Every file is validated by its own process, all started at once (each test awaits its own).
const started = new Map<string, Promise<{ code: number | null; output: string }>>();
function validate(yaml: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; output: string }> {
  const key = JSON.stringify([yaml, env]);
  let result = started.get(key);
  if (!result) {
    const p = runPortico(t, ['validate', '-c', writeConfig(yaml)], env);
    result = p.exited.then((code) => ({ code, output: p.output() }));
    started.set(key, result);
  }
  return result;
}

const GOOD = `
gateway: { maxHeaderSize: 32kb, trustProxy: [10.0.0.0/8] }
clusters:
  - name: api
    balancer: weighted
    timeout: 5s
    endpoints:
      - { url: "http://10.0.0.1:5000", weight: 3 }
      - { url: "https://10.0.0.2:5000/base", name: two }
routes:
  - name: api
    match: { prefix: /api, methods: [get, POST], headers: { x-tenant: acme } }
    cluster: api
    rewrite: { stripPrefix: true }
    request: { forwardQuery: false, headers: { set: { x-env: prod }, remove: [cookie] } }
    response: { headers: { remove: [server] } }
  - { name: rest, match: { regex: "^/v[0-9]+/" }, cluster: api, rewrite: { regex: "^/v([0-9]+)/(.*)$", replacement: "/$2?v=$1" } }
`;

const bad: Array<{ name: string; yaml: string; env?: NodeJS.ProcessEnv; problems: string[] }> = [
  {
    name: 'an endpoint URL that is not http(s)',
    yaml: `
clusters:
  - { name: c, endpoints: [{ url: "http://127.0.0.1:5000" }, { url: "ftp://127.0.0.1/x" }] }
routes:
  - { match: { prefix: / }, cluster: c }
`,
    problems: ['clusters[0].endpoints[1].url: must be an http(s) URL'],
  },
  {
    name: 'unknown keys anywhere (typos must not pass)',
    yaml: `
gateway: { maxHeaderSzie: 16kb }
clusters:
  - { name: c, balancr: weighted, endpoints: [{ url: "http://127.0.0.1:5000", wieght: 2 }] }
routes:
  - { match: { prefix: /, method: [GET] }, cluster: c }
`,
    problems: [
      'gateway.maxHeaderSzie: unknown key',
      'clusters[0].balancr: unknown key',
      'clusters[0].endpoints[0].wieght: unknown key',
      'routes[0].match.method: unknown key',
    ],
  },
  {
    name: 'an unset ${VAR} without a default, naming the variable',
    yaml: `
auth: { keys: ["\${PORTICO_TEST_UNSET_KEY}"] }
clusters:
  - { name: c, endpoints: [{ url: "http://127.0.0.1:5000" }] }
routes:
  - { match: { prefix: / }, cluster: c }
`,
    problems: ['auth.keys[0]: environment variable PORTICO_TEST_UNSET_KEY is not set'],
  },
  {
    name: 'duplicate names and endpoint URLs',
    yaml: `
clusters:
  - { name: c, endpoints: [{ url: "http://127.0.0.1:5000" }, { url: "http://127.0.0.1:5000" }] }
  - { name: c, endpoints: [{ url: "http://127.0.0.1:5001" }] }
routes:
  - { name: r, match: { prefix: /a }, cluster: c }
  - { name: r, match: { prefix: /b }, cluster: c }
`,
    problems: ['clusters[0].endpoints[1].url: duplicate endpoint URL', 'clusters[1].name: duplicate cluster name "c"', 'routes[1].name: duplicate route name "r"'],
  },
  {
    name: 'a route naming an unknown cluster',
    yaml: `
clusters:
  - { name: c, endpoints: [{ url: "http://127.0.0.1:5000" }] }
routes:
  - { match: { prefix: / }, cluster: missing }
`,
    problems: ['routes[0].cluster: unknown cluster "missing"'],
  },
  {
    name: 'bad durations, enums, numbers and regexes',
    yaml: `
clusters:
  - { name: c, balancer: fastest, timeout: soon, retries: -1, endpoints: [{ url: "http://127.0.0.1:5000", weight: 0 }] }
routes:
  - { match: { regex: "(a+)+$" }, cluster: c }
  - { match: { prefix: no-slash }, cluster: c }
`,
    problems: [
      'clusters[0].balancer: must be one of',
      'clusters[0].timeout: must be a duration',
      'clusters[0].retries:',
      'clusters[0].endpoints[0].weight:',
      'routes[0].match.regex: regular expression may backtrack catastrophically',
      'routes[1].match.prefix: must start with "/"',
    ],
  },
  {
    name: 'a route with two kinds of matcher and no destination',
    yaml: `
clusters:
  - { name: c, endpoints: [{ url: "http://127.0.0.1:5000" }] }
routes:
  - { match: { prefix: /a, path: /a } }
`,
    problems: ['routes[0].match: must have exactly one of prefix, path or regex', 'routes[0]: must have exactly one of cluster or static'],
  },
  {
    name: 'YAML that does not parse',
    yaml: 'routes: [\n  - {',
    problems: ['YAML'],
  },
];

const SHADOWED = `
clusters:
  - { name: c, endpoints: [{ url: "http://127.0.0.1:5000" }] }
routes:
  - { name: all, match: { prefix: /api }, cluster: c }
  - { name: shadowed, match: { prefix: /api/v1 }, cluster: c }
`;
void validate(SHADOWED);
for (const c of bad) void validate(c.yaml, c.env);
void validate(GOOD);

test('a good file: exit 0 and a summary', async () => {
  const { code, output } = await validate(GOOD);
  assert.equal(code, 0, output);
  assert.match(output, /valid \(1 clusters, 2 routes\)/);
  assert.doesNotMatch(output, /warning/);
});

test('a route that can never match: a warning naming it, still exit 0', async () => {
  const { code, output } = await validate(SHADOWED);
  assert.equal(code, 0, output);
  assert.match(output, /warning: routes\[1\]: can never match: routes\[0\] \(all\)/);
});


for (const c of bad) {
  test(`bad file: ${c.name} -> exit 1 with every problem`, async () => {
    const { code, output } = await validate(c.yaml, c.env);
    assert.equal(code, 1, output);
    for (const p of c.problems) assert.ok(output.includes(p), `missing ${JSON.stringify(p)} in:\n${output}`);
  });
}

test('a missing file: exit 1 naming it', async () => {
  const p = runPortico(t, ['validate', '-c', '/nonexistent/portico.yaml']);
  assert.equal(await p.exited, 1);
  assert.match(p.output(), /cannot read .*nonexistent\/portico\.yaml/);
});

test('`portico all` refuses a bad file with exit 1 and the same field paths', async () => {
  const p = runPortico(t, ['all', '-c', writeConfig(bad[0]!.yaml), '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--grpc', '127.0.0.1:0']);
  assert.equal(await p.exited, 1);
  assert.match(p.output(), /clusters\[0\]\.endpoints\[1\]\.url: must be an http\(s\) URL/);
});
