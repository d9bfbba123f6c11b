/**
 * Figures per service version (issue 13): calls to a service broken down by the `version` label of the
 * replica that served them (Bookinfo's reviews v1, v2, v3), as Istio's telemetry labels
 * `destination_version`. A call that reached no replica (503 UH, a fault abort, 404 NR) has no version:
 * it counts in its service's row only, so the version rows of a service may add up to fewer calls.
 *
 * One map lookup per call, by the deployment's labels object (shared by its pods); nothing grows with
 * calls. Services without versioned pods get no rows, and a run with none reports no breakdown at all.
 *
 * Contents: `VersionTallies`, `ServiceVersionBreakdown`.
 */
import type { Call } from '../mesh/index.js';
import type { Breakdown } from './run-summary.js';
import { Tally } from './tally.js';

export interface ServiceVersionBreakdown extends Breakdown {
  readonly service: string;
  /** The serving replica's `version` label. */
  readonly version: string;
}

interface Row {
  readonly service: number;
  readonly version: string;
  readonly tally: Tally;
}

export class VersionTallies {
  /**
   * Row per endpoint id (null: the pod has no version label), found on first sight: an array index per call
   * on the request path instead of a hash lookup.
   */
  private readonly byEndpoint: (Row | null | undefined)[] = [];
  private readonly rows = new Map<string, Row>();

  constructor(private readonly batches: number) {}

  add(call: Readonly<Call>, ok: boolean, latencyMs: number, batch: number, ln: number): void {
    const endpoint = call.endpoint;
    if (endpoint === undefined) return;
    let row = this.byEndpoint[endpoint.id];
    if (row === undefined) {
      const version = endpoint.labels['version'];
      if (version === undefined) row = null;
      else {
        const key = `${call.service.index}\u0000${version}`;
        row = this.rows.get(key) ?? { service: call.service.index, version, tally: new Tally(this.batches) };
        this.rows.set(key, row);
      }
      this.byEndpoint[endpoint.id] = row;
    }
    if (row !== null) row.tally.add(ok, latencyMs, batch, false, ln);
  }

  /** Rows by service (scenario order), then version (lexical); empty when no served pod had a version. */
  summary(services: readonly string[]): ServiceVersionBreakdown[] {
    return [...this.rows.values()]
      .sort((a, b) => a.service - b.service || (a.version < b.version ? -1 : a.version > b.version ? 1 : 0))
      .map((r) => ({ service: services[r.service] as string, version: r.version, ...r.tally.breakdown() }));
  }

  get bucketCount(): number {
    let n = 0;
    for (const r of this.rows.values()) n += r.tally.bucketCount;
    return n;
  }
}
