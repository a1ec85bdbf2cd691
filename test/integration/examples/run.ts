// Starts an example folder's portico.yaml as it is (relative paths stay relative to the example),
// with `portico all` on free ports and the example's ${VAR} references pointed at test backends.
import { join } from 'node:path';
import type { Cleanup } from '../../helpers/cleanup.js';
import { waitFor } from '../../helpers/cleanup.js';
import { listeningAddress, runPortico, type Gateway } from '../../helpers/gateway.js';
import { REPO_ROOT } from '../../helpers/paths.js';

export function examplePath(folder: string, file = 'portico.yaml'): string {
  return join(REPO_ROOT, 'examples', folder, file);
}

export async function startExample(t: Cleanup, folder: string, env: NodeJS.ProcessEnv): Promise<Gateway> {
  const configPath = examplePath(folder);
  const p = runPortico(t, [
    'all', '-c', configPath,
    '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--grpc', '127.0.0.1:0', '--drain-timeout', '2s',
  ], env);
  const url = await listeningAddress(p, 'traffic');
  const adminUrl = await listeningAddress(p, 'admin');
  await waitFor(async () => (await fetch(`${adminUrl}/readyz`)).status === 200 || undefined, 'example ready');
  return { ...p, url, adminUrl, configPath };
}
