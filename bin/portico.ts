#!/usr/bin/env -S node --max-semi-space-size=32 --single-threaded-gc
// Node flags, for a data plane that runs one process per CPU (--workers N, one pod per core; the
// bench pins it to one CPU), where V8's helper threads only take turns with the event loop:
// - --max-semi-space-size=32 doubles the young generation (16 MiB semi-spaces by default). Each
//   scavenge stops the loop ~1.2 ms at 12.5k req/s (--trace-gc); with twice the room they come
//   half as often. Fixed-rate p99 at half the maximum: 2.88 -> 2.35 ms (interleaved A/B, five
//   4 s rounds, bench notes issue 2); the 1 GiB upload's peak RSS stayed within 44 MiB of idle.
// - --single-threaded-gc: concurrent marking and array-buffer sweeping on helper threads lagged
//   on a single CPU: under 1 MiB responses a mark-compact came every ~70 ms, each with 73 ms of
//   background marking, for a 28 MB heap that barely shrank. GC work on the main thread instead:
//   1 MiB req/s 466-496 -> 768-1,143, fixed-rate p99 2.52 -> 2.04 ms, 1 KiB maximum unchanged
//   (21.4k vs 21.5k req/s; same A/B).
// V8 reads both only at start-up (v8.setFlagsFromString leaves the young generation's size alone
// and aborts on --single-threaded-gc), so the image and `make run` pass them too;
// test/deploy/container-contract.test.ts keeps the three equal.
//
// The `portico` executable: parses the command line and hands off to one command module.
// Only the command being run is loaded (a control plane never loads the data plane's modules):
// ~10 MiB less resident memory per process, and faster start-up for `validate` and `convert`.
import { Command } from 'commander';

type Register = (program: Command) => void;

const COMMANDS: Record<string, () => Promise<Register>> = {
  all: async () => (await import('./commands/all.js')).registerAll,
  'control-plane': async () => (await import('./commands/control-plane.js')).registerControlPlane,
  'data-plane': async () => (await import('./commands/data-plane.js')).registerDataPlane,
  validate: async () => (await import('./commands/validate.js')).registerValidate,
  convert: async () => (await import('./commands/convert.js')).registerConvert,
};

const program = new Command('portico')
  .description('API gateway: a control plane that probes and publishes snapshots, data planes that forward')
  .showHelpAfterError()
  .configureOutput({ outputError: (text, write) => write(text) });

async function main(): Promise<void> {
  const named = process.argv[2];
  // Help, unknown commands and flags alone need every command registered to answer properly.
  const selected = named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
  for (const name of selected) (await COMMANDS[name]!())(program);
  await program.parseAsync(process.argv);
}

main().catch((err: unknown) => {
  process.stderr.write(`portico: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(2);
});
