/**
 * Figures per service version (issue 13): calls to a service broken down by the `version` label of the
 * replica that served them (Bookinfo's reviews v1, v2, v3), as Istio's telemetry labels
 * `destination_version`. A call that reached no replica (503 UH, a fault abort, 404 NR) has no version:
 * it counts in its service's row only, so the version rows of a service may add up to fewer calls.
 *
 * A version is a property of the service graph's destination node (service, version, cluster), so a row
 * is found once per edge of the service graph (kept on the edge), and keeps only counts and sums: its histograms
 * are its edges' (service-graph.ts), merged at summary time. Nothing grows with calls or pods. Services
 * without versioned pods get no rows, and a run with none reports no breakdown at all.
 *
 * Contents: `VersionTallies`, `ServiceVersionBreakdown`.
 */
import type { Breakdown } from './run-summary.js';
import type { ServiceGraphRecorder } from './service-graph.js';
import { TallySums } from './tally.js';

export interface ServiceVersionBreakdown extends Breakdown {
  readonly service: string;
  /** The serving replica's `version` label. */
  readonly version: string;
}

interface Row {
  readonly service: number;
  readonly version: string;
  readonly sums: TallySums;
  /** The destination nodes (one per cluster) whose calls this row counts. */
  readonly nodes: Set<number>;
}

export class VersionTallies {
  /** Row per destination node (null: unversioned, or no replica reached), found on first sight. */
  private readonly byDestination: (Row | null | undefined)[] = [];
  private readonly rows = new Map<string, Row>();

  constructor(
    private readonly batches: number,
    private readonly graph: ServiceGraphRecorder,
  ) {}

  /**
   * The sums of the version row of graph node `destination`; null when it has none (unversioned, or no
   * replica reached). The recorder keeps the answer on the edge (`EdgeCell.versionSums`).
   */
  sumsOf(destination: number): TallySums | null {
    const row = this.byDestination[destination];
    return (row === undefined ? this.rowOf(destination) : row)?.sums ?? null;
  }

  private rowOf(destination: number): Row | null {
    const node = this.graph.nodeKey(destination);
    const version = this.graph.versionName(node.version);
    let row: Row | null = null;
    if (version !== null && node.cluster < this.graph.clusterCount) {
      const key = `${node.workload}\u0000${version}`;
      row = this.rows.get(key) ?? {
        service: node.workload,
        version,
        sums: new TallySums(this.batches),
        nodes: new Set(),
      };
      row.nodes.add(destination);
      this.rows.set(key, row);
    }
    this.byDestination[destination] = row;
    return row;
  }

  /** Rows by service (scenario order), then version (lexical); empty when no served pod had a version. */
  summary(services: readonly string[]): ServiceVersionBreakdown[] {
    const edges = this.graph.edges;
    return [...this.rows.values()]
      .sort((a, b) => a.service - b.service || (a.version < b.version ? -1 : a.version > b.version ? 1 : 0))
      .map((r) => {
        const parts = edges.filter((e) => r.nodes.has(e.destination));
        return { service: services[r.service] as string, version: r.version, ...r.sums.breakdown(parts) };
      });
  }
}
