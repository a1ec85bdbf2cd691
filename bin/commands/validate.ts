import type { Command } from 'commander';
import { ConfigError, formatProblem, loadConfigFile } from '../../shared/src/config/index.js';
import { opt } from '../options.js';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check a configuration file: exit 0 when valid, else print every problem with its field path and exit 1')
    .addOption(opt.config())
    .action((options: { config: string }) => {
      try {
        const loaded = loadConfigFile(options.config, process.env);
        for (const w of loaded.warnings) process.stderr.write(`warning: ${formatProblem(w)}\n`);
        process.stdout.write(`${loaded.path}: valid (${loaded.config.clusters.length} clusters, ${loaded.config.routes.length} routes)\n`);
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        process.stderr.write(`${err.message}\n`);
        process.exitCode = 1;
      }
    });
}
