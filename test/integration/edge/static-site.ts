// A throw-away static site for the static-route tests: text, script, style, JSON and image files,
// names needing percent-encoding, a directory without index.html, a dotfile, a symlink that stays
// inside the root and one that points out of it at a secret.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cleanup } from '../../helpers/cleanup.js';

export interface StaticSite {
  root: string;
  files: Record<string, Buffer>;
  secret: string;
}

export const SECRET = 'TOP-SECRET-OUTSIDE-ROOT';

export function makeStaticSite(t: Cleanup): StaticSite {
  const dir = mkdtempSync(join(tmpdir(), 'portico-static-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const root = join(dir, 'public');
  mkdirSync(join(root, 'assets'), { recursive: true });
  mkdirSync(join(root, 'empty-dir'));
  mkdirSync(join(dir, 'outside'));
  const files: Record<string, Buffer> = {
    'index.html': Buffer.from('<!doctype html><title>spa</title><div id="app"></div>'),
    'assets/app.js': Buffer.from(`// app\n${'console.log("portico static file");\n'.repeat(80)}`),
    'assets/style.css': Buffer.from('body { margin: 0 }\n'),
    'assets/data.json': Buffer.from(JSON.stringify({ items: Array.from({ length: 100 }, (_, i) => ({ id: i, name: `item-${i}` })) })),
    'assets/logo.png': Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(2048, 7)]),
    'assets/big.txt': Buffer.from(Array.from({ length: 4096 }, (_, i) => String.fromCharCode(97 + (i % 26))).join('')),
    'assets/hello world.txt': Buffer.from('space in the name'),
    'assets/café.txt': Buffer.from('non-ascii name'),
    '.env': Buffer.from('DOTFILE=1'),
  };
  for (const [name, data] of Object.entries(files)) writeFileSync(join(root, name), data);
  writeFileSync(join(dir, 'outside', 'secret.txt'), SECRET);
  writeFileSync(join(dir, 'secret.txt'), SECRET);
  symlinkSync(join(dir, 'outside', 'secret.txt'), join(root, 'assets', 'link-out.txt'));
  symlinkSync(join(dir, 'outside'), join(root, 'outside-dir'));
  symlinkSync(join(root, 'assets', 'style.css'), join(root, 'assets', 'link-in.css'));
  return { root, files, secret: SECRET };
}
