/**
 * One traffic source's requests as Fortio's HTTP result document (`fhttp.HTTPRunnerResults`, which embeds
 * `periodic.RunnerResults`), so `fortio report`, its browser UI and scripts built on Fortio's JSON (Istio's
 * perf/benchmark runner among them) read a simulated run as a load test. Field names, order and types as
 * Go's `encoding/json` writes those structs at fortio/fortio 45e18710810d864a615618087228996a0a824b2f
 * (periodic/periodic.go, fhttp/httprunner.go, fhttp/http_client.go `HTTPOptions`, stats/stats.go):
 * `time.Time` as RFC 3339, `time.Duration` as integer nanoseconds, `map[int]int64` with decimal keys.
 *
 * What a simulated run cannot fill is said, not invented: no sockets were opened (`SocketCount` 0,
 * `Sockets` and the size histograms null); an open-loop source has no thread count (`NumThreads` 0, which
 * Fortio's UI leaves out of its title), a closed loop's is its client count (Fortio's -c). A request that
 * got no response counts as Fortio's -1.
 */
import type { FortioTrafficRecord } from '../metrics/index.js';

export interface FortioRunContext {
  readonly scenario: string;
  readonly model: string | undefined;
  readonly seed: number;
  readonly version: string;
  /** Wall-clock ms of simulated time 0 (as the OpenMetrics export states it). */
  readonly baseTimeMs: number;
  /** Simulated ms when measurement starts (the end of warm-up), and how long it lasts. */
  readonly startMs: number;
  readonly measuredMs: number;
  /** `http://<entry>.<namespace>.svc.cluster.local<uri>`. */
  readonly url: string;
  /** The requested rate, requests per second, over the measured time (steps averaged); Fortio's "max" when none. */
  readonly requestedQps: number | 'max';
  /** Closed-loop clients (Fortio's `-c`), or 0 for an open loop. */
  readonly numThreads: number;
  /** The client's timeout in ms, or Infinity. */
  readonly timeoutMs: number;
}

/** Go's `time.Duration.String()` for a whole number of milliseconds ("1m30s", "500ms", "0s"). */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const totalS = ms / 1000;
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS - h * 3600) / 60);
  const s = Math.round((totalS - h * 3600 - m * 60) * 1000) / 1000;
  return `${h > 0 ? `${h}h` : ''}${h > 0 || m > 0 ? `${m}m` : ''}${s}s`;
}

/** Go's `%.9g` for the plain rates meshsim accepts. */
function goG9(v: number): string {
  return String(Number(v.toPrecision(9)));
}

/** Fortio's `formatDate`: YYYY-MM-DD-HHmmSS (UTC here: the base time is stated in UTC). */
function fortioDate(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/** Fortio's `RunnerOptions.GenID` (no RunID). */
function fortioId(startMs: number, labels: string): string {
  let base = fortioDate(startMs);
  if (labels === '') return base;
  let last = '_';
  base += last;
  let tail = '';
  for (const ch of labels) {
    if (/[a-zA-Z0-9]/.test(ch)) last = ch;
    else {
      if (last === '_') continue;
      last = '_';
    }
    tail += last;
  }
  base += tail;
  if (last === '_') base = base.slice(0, -1);
  return base.slice(0, 96);
}

/** The document, as an object in Go's field order. */
export function fortioResult(r: FortioTrafficRecord, ctx: FortioRunContext): Record<string, unknown> {
  const labels = `meshsim ${ctx.scenario}${ctx.model === undefined ? '' : ` ${ctx.model}`} ${r.traffic} seed ${ctx.seed}`;
  const startWall = ctx.baseTimeMs + ctx.startMs;
  const measuredS = ctx.measuredMs / 1000;
  return {
    RunType: 'HTTP',
    Labels: labels,
    StartTime: new Date(startWall).toISOString().replace('.000Z', 'Z'),
    RequestedQPS: ctx.requestedQps === 'max' ? 'max' : goG9(ctx.requestedQps),
    RequestedDuration: goDuration(Math.round(ctx.measuredMs)),
    ActualQPS: r.durations.Count / measuredS,
    ActualDuration: Math.round(ctx.measuredMs * 1e6),
    NumThreads: ctx.numThreads,
    Version: `meshsim ${ctx.version}`,
    DurationHistogram: r.durations,
    ErrorsDurationHistogram: r.errorDurations,
    Exactly: 0,
    Jitter: false,
    Uniform: false,
    NoCatchUp: false,
    RunID: 0,
    AccessLoggerInfo: '',
    ID: fortioId(startWall, labels),
    RetCodes: Object.fromEntries(r.retCodes.map(([code, n]) => [String(code), n])),
    IPCountMap: null,
    URL: ctx.url,
    NumConnections: ctx.numThreads,
    HTTPReqTimeOut: ctx.timeoutMs === Infinity ? 0 : Math.round(ctx.timeoutMs * 1e6),
    Resolution: 0.001,
    Sizes: null,
    HeaderSizes: null,
    Sockets: null,
    SocketCount: 0,
    ConnectionStats: null,
    AbortOn: 0,
  };
}

/** The document as Fortio writes it (`json.MarshalIndent(res, "", "  ")`) with a final newline. */
export function fortioResultJson(r: FortioTrafficRecord, ctx: FortioRunContext): string {
  return `${JSON.stringify(fortioResult(r, ctx), null, 2)}\n`;
}
