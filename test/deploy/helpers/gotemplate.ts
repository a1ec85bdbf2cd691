// A test-only renderer for the Go-template subset that deploy/helm/portico keeps to (documented at
// the top of templates/_helpers.tpl). There is no helm binary in CI and no faithful Go-template
// engine on npm, so this implements exactly that subset with Helm's semantics and rejects
// everything else ("unsupported ..."), which keeps the chart inside what is tested.
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';

export class TemplateError extends Error {
  constructor(message: string, readonly file: string) {
    super(`${file}: ${message}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Lexing: text and actions, with {{- -}} trim markers and {{/* */}} comments.

type Piece = { kind: 'text'; text: string } | { kind: 'action'; src: string; pos: number };

function splitActions(src: string, file: string): Piece[] {
  const pieces: Piece[] = [];
  let i = 0;
  let trimNext = false;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    let text = open === -1 ? src.slice(i) : src.slice(i, open);
    if (trimNext) text = text.replace(/^\s+/, '');
    trimNext = false;
    if (open === -1) {
      if (text) pieces.push({ kind: 'text', text });
      break;
    }
    const trimLeft = src.startsWith('{{- ', open) || src.startsWith('{{-\n', open);
    if (trimLeft) text = text.replace(/\s+$/, '');
    if (text) pieces.push({ kind: 'text', text });
    let start = open + (trimLeft ? 3 : 2);
    const afterSpace = src.slice(start).match(/^\s*/)![0].length;
    if (src.startsWith('/*', start + afterSpace)) {
      const endComment = src.indexOf('*/', start + afterSpace + 2);
      if (endComment === -1) throw new TemplateError('unclosed comment', file);
      const m = src.slice(endComment + 2).match(/^(\s*-)?\s*\}\}/);
      if (!m) throw new TemplateError('comment must end with */}}', file);
      trimNext = m[1] !== undefined;
      i = endComment + 2 + m[0].length;
      continue;
    }
    const close = src.indexOf('}}', start);
    if (close === -1) throw new TemplateError('unclosed action', file);
    let inner = src.slice(start, close);
    if (/\s-$/.test(inner)) {
      trimNext = true;
      inner = inner.slice(0, -1);
    }
    pieces.push({ kind: 'action', src: inner.trim(), pos: open });
    i = close + 2;
  }
  return pieces;
}

// ---------------------------------------------------------------------------------------------
// Expressions: pipelines of commands over operands.

type Operand =
  | { kind: 'field'; base: 'dot' | string; path: string[] } // base: 'dot' or a variable name ('$' is root)
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'func'; name: string }
  | { kind: 'paren'; pipe: Pipeline };

interface Pipeline {
  decl: string[]; // declared variables ($x := ..., or $k, $v := ... for range)
  commands: Operand[][];
}

const FUNCS = new Set([
  'include', 'toYaml', 'nindent', 'indent', 'quote', 'default', 'required', 'printf', 'trunc',
  'trimSuffix', 'contains', 'eq', 'ne', 'not', 'and', 'or', 'empty', 'add', 'sha256sum',
]);

type Tok = { t: 'str' | 'num' | 'ident' | 'field' | 'var' | 'sym'; v: string };

function lexExpr(src: string, file: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '"') {
      let j = i + 1;
      let out = '';
      while (j < src.length && src[j] !== '"') {
        if (src[j] === '\\') {
          const e = src[j + 1];
          out += e === 'n' ? '\n' : e === 't' ? '\t' : e === '"' ? '"' : e === '\\' ? '\\' : (() => { throw new TemplateError(`unsupported escape \\${e}`, file); })();
          j += 2;
        } else out += src[j++];
      }
      if (src[j] !== '"') throw new TemplateError(`unterminated string in {{ ${src} }}`, file);
      toks.push({ t: 'str', v: out });
      i = j + 1;
      continue;
    }
    if (c === '`' || c === "'") throw new TemplateError(`unsupported quote ${c} in {{ ${src} }}`, file);
    if (src.startsWith(':=', i)) { toks.push({ t: 'sym', v: ':=' }); i += 2; continue; }
    if ('|(),'.includes(c)) { toks.push({ t: 'sym', v: c }); i++; continue; }
    if (c === '=') throw new TemplateError(`unsupported assignment in {{ ${src} }}`, file);
    const rest = src.slice(i);
    const field = rest.match(/^\.([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)?/);
    const variable = rest.match(/^\$[A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/);
    const num = rest.match(/^-?[0-9]+(?![A-Za-z0-9_.])/);
    const ident = rest.match(/^[A-Za-z_][A-Za-z0-9_]*/);
    const m = field ?? variable ?? num ?? ident;
    if (!m) throw new TemplateError(`unsupported syntax at "${rest}"`, file);
    if (/^[.A-Za-z0-9_$]/.test(rest.slice(m[0].length))) throw new TemplateError(`unsupported syntax at "${rest}"`, file);
    if (field) toks.push({ t: 'field', v: field[1] ?? '' });
    else if (variable) toks.push({ t: 'var', v: variable[0] });
    else if (num) toks.push({ t: 'num', v: num[0] });
    else toks.push({ t: 'ident', v: m[0] });
    i += m[0].length;
  }
  return toks;
}

function parsePipeline(toks: Tok[], file: string, pos = { i: 0 }, nested = false): Pipeline {
  const decl: string[] = [];
  // Declarations: $a := ... or $a, $b := ...
  const save = pos.i;
  const vars: string[] = [];
  while (toks[pos.i]?.t === 'var' && !toks[pos.i]!.v.includes('.')) {
    vars.push(toks[pos.i]!.v);
    pos.i++;
    if (toks[pos.i]?.t === 'sym' && toks[pos.i]!.v === ',') { pos.i++; continue; }
    break;
  }
  if (vars.length && toks[pos.i]?.t === 'sym' && toks[pos.i]!.v === ':=') {
    pos.i++;
    decl.push(...vars);
  } else pos.i = save;

  const commands: Operand[][] = [];
  let cmd: Operand[] = [];
  while (pos.i < toks.length) {
    const tok = toks[pos.i]!;
    if (tok.t === 'sym' && tok.v === ')') {
      if (!nested) throw new TemplateError('unbalanced )', file);
      break;
    }
    pos.i++;
    if (tok.t === 'sym' && tok.v === '|') {
      if (!cmd.length) throw new TemplateError('empty command before |', file);
      commands.push(cmd);
      cmd = [];
    } else if (tok.t === 'sym' && tok.v === '(') {
      const pipe = parsePipeline(toks, file, pos, true);
      if (toks[pos.i]?.v !== ')') throw new TemplateError('unbalanced (', file);
      pos.i++;
      cmd.push({ kind: 'paren', pipe });
    } else if (tok.t === 'str') cmd.push({ kind: 'string', value: tok.v });
    else if (tok.t === 'num') cmd.push({ kind: 'number', value: Number(tok.v) });
    else if (tok.t === 'field') cmd.push({ kind: 'field', base: 'dot', path: tok.v.split('.').filter(Boolean) });
    else if (tok.t === 'var') {
      const [name, ...path] = tok.v.split('.');
      cmd.push({ kind: 'field', base: name!, path });
    } else if (tok.t === 'ident') {
      if (tok.v === 'true' || tok.v === 'false') cmd.push({ kind: 'bool', value: tok.v === 'true' });
      else if (FUNCS.has(tok.v)) cmd.push({ kind: 'func', name: tok.v });
      else throw new TemplateError(`unsupported function "${tok.v}"`, file);
    } else throw new TemplateError(`unexpected "${tok.v}"`, file);
  }
  if (cmd.length) commands.push(cmd);
  if (!commands.length) throw new TemplateError('empty pipeline', file);
  return { decl, commands };
}

// ---------------------------------------------------------------------------------------------
// Tree.

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'out'; pipe: Pipeline }
  | { kind: 'if'; branches: Array<{ cond: Pipeline; body: Node[] }>; otherwise: Node[] }
  | { kind: 'with'; pipe: Pipeline; body: Node[]; otherwise: Node[] }
  | { kind: 'range'; pipe: Pipeline; body: Node[]; otherwise: Node[] };

const KEYWORDS = /^(if|else|end|with|range|define|template|block|break|continue)\b/;

function parseTree(pieces: Piece[], file: string, defines: Map<string, Node[]>): Node[] {
  let i = 0;
  const expr = (src: string) => parsePipeline(lexExpr(src, file), file);

  function parseList(stops: string[]): { nodes: Node[]; stop: string; rest: string } {
    const nodes: Node[] = [];
    while (i < pieces.length) {
      const p = pieces[i++]!;
      if (p.kind === 'text') { nodes.push({ kind: 'text', text: p.text }); continue; }
      const kw = p.src.match(KEYWORDS)?.[1];
      if (!kw) { nodes.push({ kind: 'out', pipe: expr(p.src) }); continue; }
      const rest = p.src.slice(kw.length).trim();
      if (kw === 'end' || kw === 'else') {
        if (!stops.includes(kw)) throw new TemplateError(`unexpected {{ ${p.src} }}`, file);
        return { nodes, stop: kw, rest };
      }
      if (kw === 'if') {
        const branches: Array<{ cond: Pipeline; body: Node[] }> = [];
        let cond = expr(rest);
        let otherwise: Node[] = [];
        for (;;) {
          const r = parseList(['else', 'end']);
          branches.push({ cond, body: r.nodes });
          if (r.stop === 'end') break;
          if (r.rest.startsWith('if ')) { cond = expr(r.rest.slice(3)); continue; }
          if (r.rest) throw new TemplateError(`unsupported {{ else ${r.rest} }}`, file);
          otherwise = expectEnd(parseList(['end']));
          break;
        }
        nodes.push({ kind: 'if', branches, otherwise });
      } else if (kw === 'with' || kw === 'range') {
        const pipe = expr(rest);
        if (kw === 'with' && pipe.decl.length) throw new TemplateError('unsupported variable in with', file);
        if (pipe.decl.length > 2) throw new TemplateError('range declares at most two variables', file);
        const r = parseList(['else', 'end']);
        let otherwise: Node[] = [];
        if (r.stop === 'else') {
          if (r.rest) throw new TemplateError(`unsupported {{ else ${r.rest} }} in ${kw}`, file);
          otherwise = expectEnd(parseList(['end']));
        }
        nodes.push({ kind: kw, pipe, body: r.nodes, otherwise });
      } else if (kw === 'define') {
        if (stops.length) throw new TemplateError('define must be at top level', file);
        const name = rest.match(/^"([^"]+)"$/)?.[1];
        if (!name) throw new TemplateError(`bad define ${rest}`, file);
        defines.set(name, expectEnd(parseList(['end'])));
      } else throw new TemplateError(`unsupported action "${kw}"`, file);
    }
    if (stops.length) throw new TemplateError(`missing {{ end }}`, file);
    return { nodes, stop: '', rest: '' };
  }
  function expectEnd(r: { nodes: Node[]; stop: string }): Node[] {
    if (r.stop !== 'end') throw new TemplateError('expected {{ end }}', file);
    return r.nodes;
  }
  return parseList([]).nodes;
}

// ---------------------------------------------------------------------------------------------
// Evaluation with Helm's semantics.

type Value = unknown;

export function truthy(v: Value): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
}

/** fmt.Sprint for the value kinds values.yaml can hold; nil prints as "" (Helm drops "<no value>"). */
function str(v: Value): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(str).join(' ')}]`;
  return `map[${Object.keys(v as object).sort().map((k) => `${k}:${str((v as Record<string, unknown>)[k])}`).join(' ')}]`;
}

/** Helm's toYaml: sigs.k8s.io/yaml output (sorted keys), without the trailing newline. */
export function toYaml(v: Value): string {
  if (v === undefined || v === null) return 'null';
  return stringify(v, { sortMapEntries: true, lineWidth: 0 }).replace(/\n$/, '');
}

function isPlainObject(v: Value): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

interface Scope { vars: Map<string, Value>; parent?: Scope }

function lookupVar(scope: Scope, name: string, file: string): Value {
  for (let s: Scope | undefined = scope; s; s = s.parent) if (s.vars.has(name)) return s.vars.get(name);
  throw new TemplateError(`undefined variable ${name}`, file);
}

export class Chart {
  private readonly defines = new Map<string, Node[]>();
  private readonly templates = new Map<string, Node[]>();

  /** files: name -> source. Files whose base name starts with "_" only contribute defines. */
  constructor(files: Record<string, string>) {
    for (const [name, src] of Object.entries(files)) {
      const tree = parseTree(splitActions(src, name), name, this.defines);
      const base = name.split('/').pop()!;
      if (!base.startsWith('_')) this.templates.set(name, tree);
      else if (tree.some((n) => n.kind !== 'text' || n.text.trim() !== '')) {
        throw new TemplateError('helper files may only hold defines and comments', name);
      }
    }
  }

  templateNames(): string[] {
    return [...this.templates.keys()].sort();
  }

  render(name: string, data: Value): string {
    const tree = this.templates.get(name);
    if (!tree) throw new Error(`no template ${name}`);
    return this.exec(tree, data, { vars: new Map([['$', data]]) }, name);
  }

  private exec(nodes: Node[], dot: Value, scope: Scope, file: string): string {
    let out = '';
    for (const node of nodes) {
      switch (node.kind) {
        case 'text':
          out += node.text;
          break;
        case 'out': {
          const v = this.pipe(node.pipe, dot, scope, file);
          if (node.pipe.decl.length) scope.vars.set(node.pipe.decl[0]!, v);
          else out += str(v);
          break;
        }
        case 'if': {
          const branch = node.branches.find((b) => truthy(this.pipe(b.cond, dot, scope, file)));
          out += this.exec(branch ? branch.body : node.otherwise, dot, { vars: new Map(), parent: scope }, file);
          break;
        }
        case 'with': {
          const v = this.pipe(node.pipe, dot, scope, file);
          out += truthy(v)
            ? this.exec(node.body, v, { vars: new Map(), parent: scope }, file)
            : this.exec(node.otherwise, dot, { vars: new Map(), parent: scope }, file);
          break;
        }
        case 'range': {
          const v = this.pipe({ decl: [], commands: node.pipe.commands }, dot, scope, file);
          let entries: Array<[Value, Value]>;
          if (Array.isArray(v)) entries = v.map((x, idx) => [idx, x]);
          else if (isPlainObject(v)) entries = Object.keys(v).sort().map((k) => [k, v[k]]);
          else if (v === null || v === undefined) entries = [];
          else throw new TemplateError(`range over ${typeof v}`, file);
          if (!entries.length) {
            out += this.exec(node.otherwise, dot, { vars: new Map(), parent: scope }, file);
            break;
          }
          for (const [k, x] of entries) {
            const vars = new Map<string, Value>();
            if (node.pipe.decl.length === 1) vars.set(node.pipe.decl[0]!, x);
            if (node.pipe.decl.length === 2) { vars.set(node.pipe.decl[0]!, k); vars.set(node.pipe.decl[1]!, x); }
            out += this.exec(node.body, x, { vars, parent: scope }, file);
          }
          break;
        }
      }
    }
    return out;
  }

  private pipe(p: Pipeline, dot: Value, scope: Scope, file: string): Value {
    let piped: { v: Value } | undefined;
    for (const cmd of p.commands) {
      const [head, ...rest] = cmd;
      if (head!.kind === 'func') {
        const args = rest.map((a) => this.operand(a, dot, scope, file));
        if (piped) args.push(piped.v);
        piped = { v: this.call(head!.name, args, file) };
      } else {
        if (rest.length || piped) throw new TemplateError('can only pipe into a function', file);
        piped = { v: this.operand(head!, dot, scope, file) };
      }
    }
    return piped!.v;
  }

  private operand(o: Operand, dot: Value, scope: Scope, file: string): Value {
    switch (o.kind) {
      case 'string': case 'number': case 'bool': return o.value;
      case 'paren': return this.pipe(o.pipe, dot, scope, file);
      case 'func': return this.call(o.name, [], file);
      case 'field': {
        let v = o.base === 'dot' ? dot : lookupVar(scope, o.base, file);
        let walked = o.base === 'dot' ? '' : o.base;
        for (const key of o.path) {
          if (v === null || v === undefined) throw new TemplateError(`nil pointer evaluating ${walked}.${key}`, file);
          if (!isPlainObject(v)) throw new TemplateError(`can't evaluate field ${key} in ${walked}`, file);
          v = Object.hasOwn(v, key) ? v[key] : undefined;
          walked += `.${key}`;
        }
        return v;
      }
    }
  }

  private call(name: string, a: Value[], file: string): Value {
    const need = (n: number) => {
      if (a.length !== n) throw new TemplateError(`${name} takes ${n} arguments, got ${a.length}`, file);
    };
    switch (name) {
      case 'include': {
        need(2);
        const tree = this.defines.get(String(a[0]));
        if (!tree) throw new TemplateError(`no template "${str(a[0])}" to include`, file);
        return this.exec(tree, a[1], { vars: new Map([['$', a[1]]]) }, file);
      }
      case 'toYaml': need(1); return toYaml(a[0]);
      case 'nindent': need(2); return '\n' + indent(Number(a[0]), str(a[1]));
      case 'indent': need(2); return indent(Number(a[0]), str(a[1]));
      case 'quote': return a.filter((x) => x !== null && x !== undefined).map((x) => JSON.stringify(str(x))).join(' ');
      case 'default': need(2); return truthy(a[1]) ? a[1] : a[0];
      case 'required': need(2); if (!truthy(a[1]) && a[1] !== false && a[1] !== 0) throw new TemplateError(`required: ${str(a[0])}`, file); return a[1];
      case 'printf': {
        const [fmt, ...args] = a;
        let n = 0;
        return String(fmt).replace(/%([a-z%])/g, (_, verb: string) => {
          if (verb === '%') return '%';
          if (verb !== 's' && verb !== 'v') throw new TemplateError(`printf verb %${verb} is outside the subset`, file);
          return str(args[n++]);
        });
      }
      case 'trunc': need(2); return str(a[1]).slice(0, Number(a[0]));
      case 'trimSuffix': { need(2); const s = str(a[1]); const suf = str(a[0]); return suf && s.endsWith(suf) ? s.slice(0, -suf.length) : s; }
      case 'contains': need(2); return str(a[1]).includes(str(a[0]));
      case 'eq': if (a.length < 2) need(2); return a.slice(1).some((x) => x === a[0]);
      case 'ne': need(2); return a[0] !== a[1];
      case 'not': need(1); return !truthy(a[0]);
      case 'and': { if (!a.length) need(1); for (const x of a) if (!truthy(x)) return x; return a[a.length - 1]; }
      case 'or': { if (!a.length) need(1); for (const x of a) if (truthy(x)) return x; return a[a.length - 1]; }
      case 'empty': need(1); return !truthy(a[0]);
      case 'add': return a.reduce<number>((sum, x) => {
        const n = Number(x);
        if (!Number.isFinite(n)) throw new TemplateError(`add: ${str(x)} is not a number`, file);
        return sum + Math.trunc(n);
      }, 0);
      case 'sha256sum': need(1); return createHash('sha256').update(str(a[0])).digest('hex');
      default: throw new TemplateError(`unsupported function "${name}"`, file);
    }
  }
}

function indent(n: number, s: string): string {
  const pad = ' '.repeat(n);
  return pad + s.replace(/\n/g, `\n${pad}`);
}
