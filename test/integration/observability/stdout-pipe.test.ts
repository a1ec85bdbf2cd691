// The JSON logger writes synchronously to stdout. On a pipe that must be a blocking write: node
// makes a stdout pipe non-blocking once process.stdout is touched, and sonic-boom would answer a
// full pipe (EAGAIN) by sleeping 100 ms with the event loop held. A reader that pauses loses nothing.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const LOGGER = fileURLToPath(new URL('../../../shared/src/logger.js', import.meta.url));
const O_NONBLOCK = 0o4000;
const LINES = 20_000;

// Touches process.stdout as bin/lifecycle.ts does, makes the logger, reports fd 1's flags on
// stderr, then logs LINES lines of ~200 bytes (4 MB, far more than a pipe holds).
const CHILD = `
const { createLogger } = await import(${JSON.stringify(LOGGER)});
const pretty = process.stdout.isTTY === true;
const logger = createLogger({ level: 'info', pretty });
const flags = parseInt(/^flags:\\s+(\\d+)/m.exec(require('node:fs').readFileSync('/proc/self/fdinfo/1', 'utf8'))[1], 8);
process.stderr.write(JSON.stringify({ flags }) + '\\n');
for (let i = 0; i < ${LINES}; i++) logger.info({ i, pad: 'x'.repeat(150) }, 'line');
`;

test('on a stdout pipe the logger writes blocking, and a paused reader gets every line whole', async () => {
  const child = spawn(process.execPath, ['--input-type=commonjs', '-e', `(async () => {${CHILD}})()`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
  // Read nothing for a while: the pipe fills and the child's writes must wait, not fail or sleep.
  child.stdout.pause();
  await new Promise((r) => setTimeout(r, 300));
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
  child.stdout.resume();
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  assert.equal(code, 0, err);

  const { flags } = JSON.parse(err.split('\n')[0]!) as { flags: number };
  assert.equal(flags & O_NONBLOCK, 0, 'stdout is blocking');
  const lines = out.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, LINES);
  const seen = lines.map((l) => (JSON.parse(l) as { i: number }).i);
  assert.deepEqual(seen, Array.from({ length: LINES }, (_, i) => i), 'every line, in order, each one whole JSON');
});
