// The terminal logger (pino-pretty in a worker thread) must not take the process down with it:
// when its terminal goes away the printer's worker dies, and the lines after that are lost while
// the process keeps running.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const LOGGER = fileURLToPath(new URL('../../../shared/src/logger.js', import.meta.url));

test('a process whose pretty printer died keeps running and keeps logging into the void', () => {
  const script = `
    const { pino } = await import('pino');
    const { createLogger } = await import(${JSON.stringify(LOGGER)});
    const logger = createLogger({ level: 'info', pretty: true });
    logger.info('before');
    await new Promise((r) => setTimeout(r, 300));
    await logger[pino.symbols.streamSym].worker.terminate(); // what EIO on a closed terminal does
    for (let i = 0; i < 3; i++) {
      logger.info('after');
      await new Promise((r) => setTimeout(r, 50));
    }
    process.stderr.write('still running\\n');
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 15_000 });
  assert.equal(r.status, 0, `exit ${r.status}, stderr: ${r.stderr}`);
  assert.match(r.stderr, /still running/);
  assert.match(r.stdout, /before/);
  assert.doesNotMatch(r.stdout, /after/);
});
