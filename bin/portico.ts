#!/usr/bin/env node
// The `portico` executable: parses the command line and hands off to one command module.
import { Command } from 'commander';
import { registerAll } from './commands/all.js';
import { registerControlPlane } from './commands/control-plane.js';
import { registerConvert } from './commands/convert.js';
import { registerDataPlane } from './commands/data-plane.js';
import { registerValidate } from './commands/validate.js';

const program = new Command('portico')
  .description('API gateway: a control plane that probes and publishes snapshots, data planes that forward')
  .showHelpAfterError()
  .configureOutput({ outputError: (text, write) => write(text) });

registerAll(program);
registerControlPlane(program);
registerDataPlane(program);
registerValidate(program);
registerConvert(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`portico: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(2);
});
