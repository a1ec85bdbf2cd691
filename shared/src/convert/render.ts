// The converters' output: a Portico configuration object written as YAML, with comments attached
// to the fields they explain. Built on the yaml package's document model so the text is always
// valid YAML whatever the input strings contain (quotes, "#", ": ", flow indicators).
import { Document, isCollection, isMap, isScalar, type Node } from 'yaml';
import type { PathSegment } from '../config/problems.js';

export interface Annotation {
  path: readonly PathSegment[];
  /** Comment lines above the field (a map entry) or the item (a list entry); '' is a blank line. */
  before?: readonly string[];
  /** A comment after the value: on the same line for a scalar, after the block for a collection. */
  after?: string;
  /** Write this map or list on one line: `match: { prefix: /a }`. */
  flow?: boolean;
}

const comment = (lines: readonly string[]) => lines.map((l) => (l === '' ? '' : ` ${l}`)).join('\n');

export function renderYaml(header: readonly string[], value: Record<string, unknown>, annotations: readonly Annotation[]): string {
  const doc = new Document(value, { aliasDuplicateObjects: false });
  doc.commentBefore = comment(header);
  const root = doc.contents;
  if (isMap(root)) {
    // A blank line between the top-level sections and between list items of clusters and routes.
    root.items.forEach((pair, i) => {
      if (i > 0 && isScalar(pair.key)) pair.key.spaceBefore = true;
    });
  }
  for (const a of annotations) {
    const node = doc.getIn(a.path as PathSegment[], true) as Node | undefined;
    if (node === undefined) throw new Error(`convert: no output field at ${a.path.join('.')}`);
    if (a.flow && isCollection(node)) node.flow = true;
    if (a.after !== undefined) node.comment = ` ${a.after}`;
    if (a.before !== undefined) {
      const last = a.path[a.path.length - 1];
      if (typeof last === 'number') {
        node.commentBefore = comment(a.before);
      } else {
        const parent = a.path.length === 1 ? root : doc.getIn(a.path.slice(0, -1) as PathSegment[], true);
        const pair = isMap(parent) ? parent.items.find((p) => isScalar(p.key) && p.key.value === last) : undefined;
        if (pair === undefined || !isScalar(pair.key)) throw new Error(`convert: no output key at ${a.path.join('.')}`);
        pair.key.commentBefore = comment(a.before);
      }
    }
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: true });
}
