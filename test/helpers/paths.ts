import { fileURLToPath } from 'node:url';

/** Repository root, from dist/test/helpers/paths.js. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const PORTICO_BIN = fileURLToPath(new URL('../../../dist/bin/portico.js', import.meta.url));
