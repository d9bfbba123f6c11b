/**
 * Envoy's `%RESPONSE_FLAGS%`, as bits so the hot path can OR them together without strings.
 * Meanings from Envoy's access-log docs (configuration/observability/access_log/usage).
 */
export const ResponseFlag = {
  /** No healthy upstream host. */
  UH: 1 << 0,
  /** Upstream connection failure. */
  UF: 1 << 1,
  /** Upstream overflow: circuit breaking. */
  UO: 1 << 2,
  /** No route configured. */
  NR: 1 << 3,
  /** Upstream retry limit exceeded. */
  URX: 1 << 4,
  /** Upstream request timeout. */
  UT: 1 << 5,
  /** Downstream connection termination. */
  DC: 1 << 6,
  /** Request delayed by fault injection. */
  DI: 1 << 7,
  /** Request aborted by fault injection. */
  FI: 1 << 8,
  /** Upstream connection termination (reset). */
  UC: 1 << 9,
  /** Upstream cluster not found: a route names a subset no DestinationRule defines (Envoy `NC`). */
  NC: 1 << 10,
  /** Upstream remote reset, in addition to the 503 (Envoy `UR`). */
  UR: 1 << 11,
} as const;
export type ResponseFlag = keyof typeof ResponseFlag;

const ORDER = Object.keys(ResponseFlag) as ResponseFlag[];

/** Envoy's text form: flags joined by commas, or "-" when none. */
export function formatResponseFlags(mask: number): string {
  if (mask === 0) return '-';
  return ORDER.filter((f) => (mask & ResponseFlag[f]) !== 0).join(',');
}
