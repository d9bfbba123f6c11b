/**
 * One resolver of Istio hosts to the scenario's services, shared by `validate` (check-routing.ts,
 * resources.ts) and the run (effective-routing.ts, normalize): the two can no longer disagree on what a
 * host names.
 *
 * Istio's rules (istio/istio 86c9f01f, pilot/pkg/model/config.go `ResolveShortnameToFQDN`):
 * - `*` stays `*` (every service);
 * - a host without a dot is short: it becomes `host.<namespace of the resource>.svc.cluster.local`;
 * - a host with a dot is taken as written, fully qualified: `reviews.default` is NOT expanded and names no
 *   Kubernetes service (the resolver says so and suggests the FQDN);
 * - `*.ns.svc.cluster.local` (any `*.` prefix) matches every service whose FQDN ends with the rest.
 * A service's own name is `name.namespace.svc.cluster.local`; hosts compare case-insensitively (DNS).
 *
 * Contents: `HostResolver`, `ServiceHost`, `fqdnOf`, `CLUSTER_DOMAIN`, `DEFAULT_NAMESPACE`.
 */

/** The Kubernetes cluster domain Istio appends (`meta.Domain`); meshsim models the default only. */
export const CLUSTER_DOMAIN = 'cluster.local';
/** Namespace of a service or resource that names none, as kubectl's default context. */
export const DEFAULT_NAMESPACE = 'default';

export interface ServiceHost {
  /** The scenario's name of the service (the mesh knows it by this). */
  readonly name: string;
  readonly namespace: string;
  /** `name.namespace.svc.cluster.local`; an external host's own name. */
  readonly fqdn: string;
  /** A ServiceEntry host (`externalServices`), outside the clusters. */
  readonly external?: boolean;
}

/** `ResolveShortnameToFQDN(host, {Namespace: namespace, Domain: cluster.local})`. */
export function fqdnOf(host: string, namespace: string): string {
  const h = host.toLowerCase();
  if (h === '*' || h.includes('.') || isIpAddress(h)) return h;
  return `${h}.${namespace}.svc.${CLUSTER_DOMAIN}`;
}

function isIpAddress(h: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(h) || h.includes(':');
}

export class HostResolver {
  readonly services: readonly ServiceHost[];
  private readonly byFqdn: Map<string, ServiceHost>;

  /**
   * `external`: ServiceEntry hosts the scenario describes (`externalServices`): known by the host itself
   * (it has a dot, so Istio takes it as written), in the ServiceEntry's namespace.
   */
  constructor(
    services: readonly { name: string; namespace?: string | undefined }[],
    external: readonly { host: string; namespace?: string | undefined }[] = [],
  ) {
    this.services = [
      ...services.map((s) => {
        const namespace = s.namespace ?? DEFAULT_NAMESPACE;
        return {
          name: s.name,
          namespace,
          fqdn: `${s.name}.${namespace}.svc.${CLUSTER_DOMAIN}`.toLowerCase(),
        };
      }),
      ...external.map((e) => ({
        name: e.host,
        namespace: e.namespace ?? DEFAULT_NAMESPACE,
        fqdn: e.host.toLowerCase(),
        external: true,
      })),
    ];
    this.byFqdn = new Map(this.services.map((s) => [s.fqdn, s]));
  }

  /** The services `host`, written in a resource of `namespace`, names (several for a wildcard). */
  match(host: string, namespace: string): ServiceHost[] {
    const h = fqdnOf(host, namespace);
    if (h === '*') return [...this.services];
    if (h.startsWith('*.')) {
      const suffix = h.slice(1);
      return this.services.filter((s) => s.fqdn.endsWith(suffix));
    }
    const one = this.byFqdn.get(h);
    return one === undefined ? [] : [one];
  }

  /** How specific the host is when it names `service`: exact FQDN beats any wildcard, longer wildcards beat shorter. */
  static specificity(host: string, namespace: string): number {
    const h = fqdnOf(host, namespace);
    if (h === '*') return 0;
    if (h.startsWith('*')) return h.length;
    return Number.MAX_SAFE_INTEGER;
  }

  /** The one service a route destination names, or undefined (destinations take no wildcards). */
  destination(host: string, namespace: string): ServiceHost | undefined {
    if (host.includes('*')) return undefined;
    return this.byFqdn.get(fqdnOf(host, namespace));
  }

  /** For messages: every name a user could write for a service seen from `namespace`. */
  spellings(namespace: string): string[] {
    return this.services.flatMap((s) => (s.namespace === namespace ? [s.name, s.fqdn] : [s.fqdn]));
  }

  /** A resolver that knows one host only (a service or an external host). */
  static single(host: ServiceHost): HostResolver {
    return host.external === true
      ? new HostResolver([], [{ host: host.name, namespace: host.namespace }])
      : new HostResolver([{ name: host.name, namespace: host.namespace }]);
  }

  /** Every host of a scenario: its services and its external hosts. */
  static of(input: {
    services: readonly { name: string; namespace?: string | undefined }[];
    externalServices?: readonly { host: string; namespace?: string | undefined }[] | undefined;
  }): HostResolver {
    return new HostResolver(input.services, input.externalServices ?? []);
  }

  namespaceOf(service: string): string {
    return this.services.find((s) => s.name === service)?.namespace ?? DEFAULT_NAMESPACE;
  }
}
