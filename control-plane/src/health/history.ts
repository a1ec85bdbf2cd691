// Bounded per-endpoint health history for the dashboard and GET /api/history: 60 one-minute
// buckets (probes, and how many of them found the endpoint healthy) and the last 30 probe
// latencies for a sparkline. Fixed-size typed arrays per endpoint, O(1) per probe, no timers:
// old buckets are recognised by their minute number and reused. The clock is an argument.
import type { HealthMessage } from '../messages.js';

export const HISTORY_BUCKET_MS = 60_000;
export const HISTORY_BUCKETS = 60;
export const LATENCY_SAMPLES = 30;

export interface EndpointHistory {
  cluster: string;
  endpoint: string;
  /** Share of the last hour's probes that found the endpoint healthy (0..1); null before any probe. */
  availability: number | null;
  /** Probes recorded in the window. */
  probes: number;
  /** Oldest first; one entry per minute of the window, `total` 0 for minutes without probes. */
  minutes: Array<{ start: string; healthy: number; total: number }>;
  /** The last probes, oldest first: smoothed latency (ms) and the status after that probe. */
  latency: Array<{ ms: number; healthy: boolean }>;
}

class Track {
  readonly minute = new Float64Array(HISTORY_BUCKETS).fill(-1);
  readonly healthy = new Uint32Array(HISTORY_BUCKETS);
  readonly total = new Uint32Array(HISTORY_BUCKETS);
  readonly samples = new Float64Array(LATENCY_SAMPLES);
  readonly sampleHealthy = new Uint8Array(LATENCY_SAMPLES);
  sampleCount = 0;
  sampleNext = 0;

  constructor(readonly cluster: string, readonly endpoint: string) {}
}

export class HealthHistory {
  private readonly tracks = new Map<string, Track>();

  constructor(private readonly now: () => number) {}

  /** One probe result; resets (lastCheck '') are not probes and are not recorded. */
  record(m: HealthMessage): void {
    if (m.lastCheck === '') return;
    let track = this.tracks.get(m.key);
    if (!track) {
      track = new Track(m.cluster, m.endpoint);
      this.tracks.set(m.key, track);
    }
    const minute = Math.floor(this.now() / HISTORY_BUCKET_MS);
    const slot = minute % HISTORY_BUCKETS;
    if (track.minute[slot] !== minute) {
      track.minute[slot] = minute;
      track.healthy[slot] = 0;
      track.total[slot] = 0;
    }
    const healthy = m.status === 'HEALTHY';
    track.total[slot]!++;
    if (healthy) track.healthy[slot]!++;
    track.samples[track.sampleNext] = m.latencyMs;
    track.sampleHealthy[track.sampleNext] = healthy ? 1 : 0;
    track.sampleNext = (track.sampleNext + 1) % LATENCY_SAMPLES;
    track.sampleCount = Math.min(track.sampleCount + 1, LATENCY_SAMPLES);
  }

  /** Forgets endpoints that are no longer configured (keys are "cluster/endpoint"). */
  retain(keys: ReadonlySet<string>): void {
    for (const key of this.tracks.keys()) if (!keys.has(key)) this.tracks.delete(key);
  }

  get(cluster: string, endpoint: string): EndpointHistory {
    const track = this.tracks.get(`${cluster}/${endpoint}`);
    const current = Math.floor(this.now() / HISTORY_BUCKET_MS);
    const minutes: EndpointHistory['minutes'] = [];
    let healthy = 0;
    let total = 0;
    for (let m = current - HISTORY_BUCKETS + 1; m <= current; m++) {
      const slot = m % HISTORY_BUCKETS;
      const live = track !== undefined && track.minute[slot] === m;
      const h = live ? track.healthy[slot]! : 0;
      const n = live ? track.total[slot]! : 0;
      healthy += h;
      total += n;
      minutes.push({ start: new Date(m * HISTORY_BUCKET_MS).toISOString(), healthy: h, total: n });
    }
    const latency: EndpointHistory['latency'] = [];
    if (track) {
      const first = (track.sampleNext - track.sampleCount + LATENCY_SAMPLES) % LATENCY_SAMPLES;
      for (let i = 0; i < track.sampleCount; i++) {
        const at = (first + i) % LATENCY_SAMPLES;
        latency.push({ ms: Math.round(track.samples[at]! * 100) / 100, healthy: track.sampleHealthy[at] === 1 });
      }
    }
    return { cluster, endpoint, availability: total === 0 ? null : healthy / total, probes: total, minutes, latency };
  }
}
