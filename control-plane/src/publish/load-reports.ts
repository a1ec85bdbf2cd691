// What the data planes report about the endpoints (outlier ejections, in-flight load): only they
// know it. Each plane's latest report is kept until it is older than STALE_MS or the plane leaves;
// the control plane shows an endpoint ejected when any plane has ejected it, and the sum of the
// in-flight counts.
import type { EndpointLoad__Output } from '../../../shared/src/generated/portico/v1/EndpointLoad.js';

const STALE_MS = 10_000;

export interface EndpointLoadView {
  ejected: boolean;
  inFlight: number;
  saturated: boolean;
}

const NONE: EndpointLoadView = { ejected: false, inFlight: 0, saturated: false };

export class LoadReports {
  private readonly byPlane = new Map<string, { at: number; endpoints: Map<string, EndpointLoad__Output> }>();

  constructor(private readonly now: () => number) {}

  accept(dataPlaneId: string, endpoints: readonly EndpointLoad__Output[]): void {
    this.byPlane.set(dataPlaneId, { at: this.now(), endpoints: new Map(endpoints.map((e) => [`${e.cluster}/${e.endpoint}`, e])) });
  }

  forget(dataPlaneId: string): void {
    this.byPlane.delete(dataPlaneId);
  }

  view(cluster: string, endpoint: string): EndpointLoadView {
    const key = `${cluster}/${endpoint}`;
    const fresh = this.now() - STALE_MS;
    let out: EndpointLoadView | undefined;
    for (const [id, report] of this.byPlane) {
      if (report.at < fresh) {
        this.byPlane.delete(id);
        continue;
      }
      const e = report.endpoints.get(key);
      if (e === undefined) continue;
      out ??= { ejected: false, inFlight: 0, saturated: false };
      out.ejected ||= e.ejected;
      out.saturated ||= e.saturated;
      out.inFlight += e.inFlight;
    }
    return out ?? NONE;
  }
}
