// `portico convert` on the command line: the golden samples print their committed YAML, which
// `portico validate` accepts; unreadable files, invalid JSON or YAML, wrong shapes and unknown
// formats exit 1 with a message naming the problem and print nothing on stdout.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { writeConfig } from '../../helpers/gateway.js';
import { convertText, goldenInput, runCli } from '../../helpers/convert.js';
import { REPO_ROOT } from '../../helpers/paths.js';

const t = { after };

for (const [format, sample] of [['new-api-proxy', 'llm-gateway.json'], ['single-endpoint-router', 'log-services.yaml']] as const) {
  test(`convert --from ${format}: prints the golden YAML, which portico validate accepts`, async () => {
    const path = join(REPO_ROOT, 'test/golden/convert', format, sample);
    const run = await runCli(t, ['convert', '--from', format, path]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    assert.equal(run.stdout, readFileSync(path.replace(/\.[a-z]+$/, '.portico.yaml'), 'utf8'));

    const env = { BACKEND_API_KEY: 'gw', BACKEND_1_API_KEY: 'k1', BACKEND_2_API_KEY: 'k2', OPENAI_BACKEND_API_KEY: 'k3' };
    const validated = await runCli(t, ['validate', '-c', writeConfig(run.stdout)], env);
    assert.equal(validated.code, 0, validated.stderr);
    assert.match(validated.stdout, /valid \(\d+ clusters, \d+ routes\)/);
    assert.equal(validated.stderr, ''); // no warnings either
  });
}

test('convert: the new-api-proxy output does not validate without the key variables', async () => {
  const run = await runCli(t, ['convert', '--from', 'new-api-proxy', join(REPO_ROOT, 'test/golden/convert/new-api-proxy/llm-gateway.json')]);
  const validated = await runCli(t, ['validate', '-c', writeConfig(run.stdout)], { BACKEND_API_KEY: 'gw' });
  assert.equal(validated.code, 1);
  assert.match(validated.stderr, /environment variable BACKEND_1_API_KEY is not set/);
});

const failures: Array<[string, () => Promise<{ code: number | null; stdout: string; stderr: string }>, RegExp]> = [
  ['an unreadable file', () => runCli(t, ['convert', '--from', 'new-api-proxy', join(tmpdir(), 'portico-no-such-dir', 'backends.json')]),
    /^portico convert: cannot read .*backends\.json: ENOENT: no such file or directory\n$/],
  ['a directory', () => runCli(t, ['convert', '--from', 'single-endpoint-router', mkdtempSync(join(tmpdir(), 'portico-dir-'))]),
    /^portico convert: cannot read .*: EISDIR: illegal operation on a directory/],
  ['invalid JSON', () => convertText(t, 'new-api-proxy', '{"services": {"google": ', 'backends.json'),
    /^portico convert: .*backends\.json: invalid JSON: /],
  ['invalid YAML', () => convertText(t, 'single-endpoint-router', '"http://127.0.0.1:3000":\n  endpoints: [\n', 'config.yaml'),
    /^portico convert: .*config\.yaml: invalid YAML: /],
  ['JSON of the wrong shape', () => convertText(t, 'new-api-proxy', '{"services": {"google": {"models": {"m": {"backends": {}}}}}}', 'backends.json'),
    /^portico convert: .*backends\.json: services\.google\.models\.m\.backends: must be a list of backends/],
  ['YAML of the wrong shape', () => convertText(t, 'single-endpoint-router', '- http://127.0.0.1:3000\n', 'config.yaml'),
    /^portico convert: .*config\.yaml: \(top level\): must be one top-level key per backend URL/],
  ['the other tool\'s file', () => convertText(t, 'single-endpoint-router', goldenInput('new-api-proxy', 'llm-gateway.json'), 'backends.json'),
    /^portico convert: .*backends\.json: services: top-level keys must be backend URLs/],
  ['an unknown --from', () => convertText(t, 'nginx', 'server {}', 'nginx.conf'),
    /^portico convert: unknown format "nginx" for --from; supported formats: new-api-proxy, single-endpoint-router\n$/],
  ['no --from', () => runCli(t, ['convert', join(REPO_ROOT, 'test/golden/convert/new-api-proxy/llm-gateway.json')]),
    /required option '--from <format>' not specified/],
];
for (const [what, run, message] of failures) {
  // Started at once: each test awaits its own process.
  const result = run();
  test(`convert: ${what} exits 1 with a clear message`, async () => {
    const { code, stdout, stderr } = await result;
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.match(stderr, message);
  });
}
