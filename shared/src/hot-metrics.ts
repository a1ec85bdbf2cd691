// Counters and histograms for the request hot path. prom-client hashes the label values on every
// inc()/observe(), even through a labels() child (~5 µs per request here, make bench); these
// children are plain objects bound once to their label values, and the metric renders itself
// through prom-client's registry interface (get()), so /metrics and worker aggregation are
// unchanged. Label sets are bounded by configuration (route, cluster, endpoint names, codes).
import type { Registry } from 'prom-client';

type Labels = Record<string, string>;
interface MetricValue { value: number; labels: Labels; metricName?: string }

export class CounterChild {
  value = 0;
  constructor(readonly labels: Labels) {}
  inc(by = 1): void {
    this.value += by;
  }
}

export class HistogramChild {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  constructor(readonly labels: Labels, private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length);
  }
  observe(value: number): void {
    const b = this.bounds;
    for (let i = 0; i < b.length; i++) if (value <= b[i]!) { this.counts[i]! += 1; break; }
    this.sum += value;
    this.count++;
  }
}

abstract class HotMetric<C> {
  readonly aggregator = 'sum';
  protected readonly children = new Map<string, C>();
  constructor(readonly name: string, readonly help: string, protected readonly labelNames: readonly string[], registry: Registry) {
    registry.registerMetric(this as never);
  }
  protected abstract make(labels: Labels): C;
  /** The child for these label values (in labelNames order); cache it, it never changes. */
  child(...values: string[]): C {
    const key = values.join('\u0000');
    let c = this.children.get(key);
    if (c === undefined) {
      const labels: Labels = {};
      this.labelNames.forEach((n, i) => { labels[n] = values[i] ?? ''; });
      c = this.make(labels);
      this.children.set(key, c);
    }
    return c;
  }
  reset(): void {
    this.children.clear();
  }
}

export class HotCounter extends HotMetric<CounterChild> {
  readonly type = 'counter';
  protected make(labels: Labels): CounterChild {
    return new CounterChild(labels);
  }
  async get() {
    const values: MetricValue[] = [...this.children.values()].map((c) => ({ value: c.value, labels: c.labels }));
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }
}

export class HotHistogram extends HotMetric<HistogramChild> {
  readonly type = 'histogram';
  constructor(name: string, help: string, labelNames: readonly string[], private readonly bounds: readonly number[], registry: Registry) {
    super(name, help, labelNames, registry);
  }
  protected make(labels: Labels): HistogramChild {
    return new HistogramChild(labels, this.bounds);
  }
  async get() {
    const values: MetricValue[] = [];
    for (const c of this.children.values()) {
      let cumulative = 0;
      this.bounds.forEach((bound, i) => {
        cumulative += c.counts[i]!;
        values.push({ value: cumulative, labels: { le: String(bound), ...c.labels }, metricName: `${this.name}_bucket` });
      });
      values.push({ value: c.count, labels: { le: '+Inf', ...c.labels }, metricName: `${this.name}_bucket` });
      values.push({ value: c.sum, labels: c.labels, metricName: `${this.name}_sum` });
      values.push({ value: c.count, labels: c.labels, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }
}
