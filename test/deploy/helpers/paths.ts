// Repository locations, resolved from the compiled file (dist/test/deploy/helpers/paths.js).
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const DEPLOY_DIR = fileURLToPath(new URL('../../../../deploy/', import.meta.url));
export const CHART_DIR = fileURLToPath(new URL('../../../../deploy/helm/portico/', import.meta.url));
export const K8S_DIR = fileURLToPath(new URL('../../../../deploy/k8s/', import.meta.url));
