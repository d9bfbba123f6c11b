/**
 * What `meshsim models` prints: each Istio deployment model in a paragraph, with when to choose it, and
 * the two network models. Facts from istio.io's deployment-models page and install guides, as collected
 * in istio-behaviour.md section 1.
 *
 * Contents: `MODEL_EXPLANATIONS`, `NETWORK_EXPLANATIONS`.
 */
import type { ControlPlaneModel, NetworkModel } from '../mesh/index.js';

export interface ModelExplanation {
  /** The `controlPlane:` value in a scenario's `models:`. */
  readonly name: string;
  /** What it is and how it behaves. */
  readonly what: string;
  /** When to choose it. */
  readonly choose: string;
}

export const MODEL_EXPLANATIONS: Readonly<Record<ControlPlaneModel, ModelExplanation>> = {
  'multi-primary': {
    name: 'multi-primary',
    what:
      'Every cluster runs its own istiod, which configures only the proxies of its own cluster; each istiod watches ' +
      "every cluster's API server (remote secrets) to discover endpoints, but reads routing config only from its own " +
      'cluster. A lost istiod affects only its own cluster: its proxies keep their last config and no new pod there ' +
      'can be injected until it is back. The price: one istiod per cluster to run and upgrade, and every VirtualService ' +
      'or DestinationRule applied once per cluster, where copies can drift.',
    choose:
      'Choose it when a control-plane failure must stay inside one cluster (clusters in different regions, clusters ' +
      'run by different teams, strict availability targets), and your CI/CD applies config to every cluster anyway.',
  },
  'primary-remote': {
    name: 'primary-remote',
    what:
      "One primary cluster runs istiod; the remote clusters' proxies connect to it (through the primary's east-west " +
      'gateway) for config, certificates and sidecar injection. Config lives in one place and there is one istiod to ' +
      'run. The primary is a single point of failure for the control plane: while it is lost, no proxy in any cluster ' +
      'gets endpoint updates and new pods everywhere are refused injection; running traffic continues on stale config.',
    choose:
      'Choose it when clusters sit close together (one region), control-plane cost and one place for config matter more ' +
      'than isolation, and a central team owns the mesh.',
  },
  hybrid: {
    name: 'hybrid',
    what:
      'A primary per region (multi-primary between regions), and remote clusters in each region served by their ' +
      "region's primary: the mixed topology of Istio's install guide. A lost istiod takes the control plane of one " +
      'region, not of the whole mesh; config must be applied once per primary.',
    choose:
      'Choose it for meshes spanning regions with several clusters per region: regional fault isolation at fewer ' +
      'istiods and fewer config copies than multi-primary.',
  },
  external: {
    name: 'external',
    what:
      'istiod runs outside the mesh (a separate management cluster, or a managed control plane from a cloud vendor) and ' +
      'serves every cluster; routing config is read from one config cluster. Mesh operations are separated from the ' +
      'workload clusters, config lives in one place, and the data-plane clusters run no istiod. The external control ' +
      'plane is a single point of failure, and every proxy reaches it over the network (latency to its region).',
    choose:
      'Choose it when a platform team (or a vendor) runs the control plane for application teams, you want workload ' +
      'clusters free of control-plane pods, and one place for config outweighs depending on one external service.',
  },
};

export const NETWORK_EXPLANATIONS: Readonly<Record<NetworkModel, string>> = {
  single:
    'network: single - every pod reaches every other pod directly across clusters (flat networking, no overlapping ' +
    'pod or Service IPs). Cross-cluster calls pay only the network latency.',
  multi:
    "network: multi - clusters on different networks reach each other only through the target cluster's east-west " +
    'gateway (port 15443). Each cross-network call adds a gateway hop, and the gateways become something to size and ' +
    'something that can fail.',
};
