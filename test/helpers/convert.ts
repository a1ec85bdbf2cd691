// `portico convert` as a user runs it: the input written to a file, the real CLI, stdout and
// stderr kept apart (stdout is the configuration, stderr the diagnostics).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cleanup } from './cleanup.js';
import { runPortico } from './gateway.js';
import { REPO_ROOT } from './paths.js';

export interface ConvertRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `portico ARGS` and returns its exit code with stdout and stderr separately. */
export async function runCli(t: Cleanup, args: string[], env: NodeJS.ProcessEnv = {}): Promise<ConvertRun> {
  const p = runPortico(t, args, env);
  let stdout = '';
  let stderr = '';
  p.proc.stdout!.on('data', (d: string) => { stdout += d; });
  p.proc.stderr!.on('data', (d: string) => { stderr += d; });
  const code = await p.exited;
  return { code, stdout, stderr };
}

/** Writes `input` to a file named `fileName` and runs `portico convert --from FORMAT FILE`. */
export function convertText(t: Cleanup, format: string, input: string, fileName: string): Promise<ConvertRun> {
  const path = join(mkdtempSync(join(tmpdir(), 'portico-convert-')), fileName);
  writeFileSync(path, input);
  return runCli(t, ['convert', '--from', format, path]);
}

/** A sample input of test/golden/convert/FORMAT/. */
export function goldenInput(format: string, file: string): string {
  return readFileSync(join(REPO_ROOT, 'test/golden/convert', format, file), 'utf8');
}

/** Replaces each sample backend URL with a real one (the sample text stays the test's source of truth). */
export function withBackends(sample: string, urls: Record<string, string>): string {
  let out = sample;
  for (const [from, to] of Object.entries(urls)) {
    if (!out.includes(from)) throw new Error(`sample has no ${from}`);
    out = out.split(from).join(to);
  }
  return out;
}
