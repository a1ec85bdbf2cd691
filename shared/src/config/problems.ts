// Every configuration problem is reported with the field path a user can find in the file.
export type PathSegment = string | number;

export interface ConfigProblem {
  /** e.g. `clusters[0].endpoints[1].url`; empty for the document itself. */
  path: string;
  message: string;
  /** 1-based line in the YAML source when known. */
  line?: number;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

export function formatProblem(p: ConfigProblem): string {
  const where = p.path === '' ? '(document)' : p.path;
  return `${where}: ${p.message}${p.line !== undefined ? ` (line ${p.line})` : ''}`;
}
