import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { CONVERT_FORMATS, ConvertError, converterFor } from '../../shared/src/convert/index.js';

export function registerConvert(program: Command): void {
  program
    .command('convert')
    .description(`print a portico.yaml equivalent to another tool's configuration file (${CONVERT_FORMATS.join(', ')})`)
    .addOption(new Option('--from <format>', `the tool FILE belongs to: ${CONVERT_FORMATS.join(' | ')}`).env('PORTICO_FROM').makeOptionMandatory())
    .argument('<file>', "the tool's configuration file (new-api-proxy: backends.json; single-endpoint-router: config.yaml)")
    .action((file: string, options: { from: string }) => {
      try {
        const convert = converterFor(options.from);
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (err) {
          const e = err as NodeJS.ErrnoException;
          // "ENOENT: no such file or directory, open 'x'" -> "ENOENT: no such file or directory"
          throw new ConvertError('UNREADABLE', `cannot read ${file}: ${e.message.replace(/, \w+ '.*'$/, '')}`, { cause: err });
        }
        process.stdout.write(convert(text, file));
      } catch (err) {
        if (!(err instanceof ConvertError)) throw err;
        process.stderr.write(`portico convert: ${err.message}\n`);
        process.exitCode = 1;
      }
    });
}
