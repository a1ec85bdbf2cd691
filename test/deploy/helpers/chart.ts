// Loads deploy/helm/portico and renders it the way `helm template` would, through the
// Go-template subset in gotemplate.ts: values.yaml deep-merged with overrides, .Release and
// .Chart filled in, every non-helper template rendered and split into YAML documents.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { Chart } from './gotemplate.js';
import { CHART_DIR } from './paths.js';

export type Values = Record<string, unknown>;
export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; [k: string]: unknown }; [k: string]: unknown };

export interface RenderOptions {
  releaseName?: string;
  namespace?: string;
  values?: Values;
}

export interface Rendered {
  values: Values;
  objects: K8sObject[];
  /** Object source per template file, for error messages. */
  sources: Map<K8sObject, string>;
  notes: string;
}

export function readChartValues(): Values {
  return parse(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8')) as Values;
}

export function deepMerge(base: unknown, override: unknown): unknown {
  if (isObject(base) && isObject(override)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(override)) out[k] = k in out ? deepMerge(out[k], v) : v;
    return out;
  }
  return override;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function loadChart(): Chart {
  const dir = join(CHART_DIR, 'templates');
  const files: Record<string, string> = {};
  for (const f of readdirSync(dir).sort()) files[`templates/${f}`] = readFileSync(join(dir, f), 'utf8');
  return new Chart(files);
}

export function renderChart(options: RenderOptions = {}): Rendered {
  const meta = parse(readFileSync(join(CHART_DIR, 'Chart.yaml'), 'utf8')) as { name: string; version: string; appVersion: string };
  const values = deepMerge(readChartValues(), options.values ?? {}) as Values;
  const data = {
    Values: values,
    Release: { Name: options.releaseName ?? 'portico', Namespace: options.namespace ?? 'default', Service: 'Helm' },
    Chart: { Name: meta.name, Version: meta.version, AppVersion: meta.appVersion },
  };
  const chart = loadChart();
  const objects: K8sObject[] = [];
  const sources = new Map<K8sObject, string>();
  let notes = '';
  for (const name of chart.templateNames()) {
    const text = chart.render(name, data);
    if (name.endsWith('NOTES.txt')) { notes = text; continue; }
    for (const doc of parseAllDocuments(text, { uniqueKeys: true })) {
      if (doc.errors.length) throw new Error(`${name}: ${doc.errors.map((e) => e.message).join('; ')}\n${text}`);
      const obj = doc.toJS() as K8sObject | null;
      if (obj === null) continue;
      objects.push(obj);
      sources.set(obj, name);
    }
  }
  return { values, objects, sources, notes };
}
