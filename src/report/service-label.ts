/**
 * How tables name a destination row: a meshed service by its name, a ServiceEntry host (MESH_EXTERNAL) by
 * its host marked "(external)", so a reader of the terminal, HTML or markdown table tells an outside host
 * from a service without the JSON's `kind` or the CSV's `service_kind` (the same vocabulary: service |
 * external). Versions are indented under their service.
 *
 * Contents: `serviceLabel`, `versionLabel`, `EXTERNAL_NOTE`, `hasExternal`.
 */

/** The row name of a service or external host. */
export function serviceLabel(b: {
  readonly service: string;
  readonly kind?: 'external' | undefined;
}): string {
  return b.kind === 'external' ? `${b.service} (external)` : b.service;
}

/** The row name of one version of a service, indented under it. */
export function versionLabel(v: { readonly service: string; readonly version: string }): string {
  return `  ${v.service} ${v.version}`;
}

/** Whether any row is an external host (the table's note then says what that means). */
export function hasExternal(rows: readonly { readonly kind?: 'external' | undefined }[]): boolean {
  return rows.some((r) => r.kind === 'external');
}

/** Said under a table with external rows. */
export const EXTERNAL_NOTE =
  '(external): a ServiceEntry host outside the clusters; its latency is the round trip from the calling proxy plus its own service time, and it has no replicas, versions or queue.';
