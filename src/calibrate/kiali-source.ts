/**
 * Observations from a Kiali graph JSON (what the Kiali UI's graph page fetches from
 * `/api/namespaces/graph`, or `kiali` "Download graph"): the Cytoscape config of kiali/kiali
 * graph/config/cytoscape/cytoscape.go at 9f38f4d64e923388076d0be7d9d19b9b8894382a — `Config {timestamp,
 * duration (s), graphType, elements {nodes [{data: NodeData}], edges [{data: EdgeData}]}}`, a node's
 * `nodeType` (app, versionedApp, workload, service, unknown), `cluster`, `namespace`, `workload`, `app`,
 * `version`, `service`, `isRoot`, `isGateway.ingressInfo`; an edge's `traffic {protocol, rates {http:
 * "req/s", ...}, responses {"<code>": {flags {"<flags>": "<percent of the edge's requests>"}}}}`.
 *
 * A graph holds rates only: no latency histogram (its `responseTime` is one figure per edge), so service
 * times are not calibrated from it. Rates times the graph's `duration` give request counts. In a workload
 * graph with service nodes, an edge into a service node is split over that node's edges out, in their
 * proportions, so each call lands on a workload.
 */
import {
  CalibrationInputError,
  type EdgeSample,
  type Observations,
  type WorkloadRef,
} from './observations.js';

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => x !== null && typeof x === 'object' && !Array.isArray(x);
const str = (x: unknown): string | undefined => (typeof x === 'string' && x !== '' ? x : undefined);

interface Node {
  readonly id: string;
  readonly type: string;
  readonly ref: WorkloadRef;
  readonly ingress: boolean;
}

function nodeOf(data: Obj, where: string): Node {
  const id = str(data['id']);
  const type = str(data['nodeType']);
  if (id === undefined || type === undefined)
    throw new CalibrationInputError(`${where}: expected a node's data with id and nodeType`);
  const app = str(data['app']);
  const version = str(data['version']);
  const service = str(data['service']);
  const workload =
    type === 'unknown'
      ? 'unknown'
      : (str(data['workload']) ??
        (app === undefined ? (service ?? id) : version === undefined ? app : `${app}-${version}`));
  const gateway = data['isGateway'];
  const ingress =
    (isObj(gateway) && isObj(gateway['ingressInfo'])) ||
    /ingressgateway/.test(app ?? '') ||
    /ingressgateway/.test(workload);
  return {
    id,
    type,
    ingress,
    ref: {
      workload,
      namespace: str(data['namespace']) ?? 'unknown',
      // An ingress gateway under Istio's own name, whatever its app label, so inference tells it from clients.
      service: ingress
        ? 'istio-ingressgateway'
        : type === 'service'
          ? (service ?? 'unknown')
          : (app ?? service ?? workload),
      version: version ?? 'unknown',
      cluster: str(data['cluster']) ?? 'unknown',
    },
  };
}

interface Edge {
  readonly source: string;
  readonly target: string;
  /** req/s */
  readonly rate: number;
  /** [code, flags, share of the edge's requests] */
  readonly responses: [number, string, number][];
}

function edgeOf(data: Obj, where: string): Edge | undefined {
  const source = str(data['source']);
  const target = str(data['target']);
  if (source === undefined || target === undefined)
    throw new CalibrationInputError(`${where}: expected an edge's data with source and target`);
  const traffic = data['traffic'];
  if (!isObj(traffic)) return undefined;
  if (traffic['protocol'] !== undefined && traffic['protocol'] !== 'http' && traffic['protocol'] !== 'grpc')
    return undefined; // tcp edges carry no requests
  const rates = isObj(traffic['rates']) ? traffic['rates'] : {};
  const rate = Number(rates['http'] ?? rates['grpc'] ?? 0);
  if (!Number.isFinite(rate) || rate < 0)
    throw new CalibrationInputError(`${where}.traffic.rates.http: expected a rate as a number string`);
  const responses: [number, string, number][] = [];
  const rs = isObj(traffic['responses']) ? traffic['responses'] : {};
  for (const [code, detail] of Object.entries(rs)) {
    const flags = isObj(detail) && isObj(detail['flags']) ? detail['flags'] : { '-': '100' };
    for (const [f, pct] of Object.entries(flags)) {
      const share = Number(pct) / 100;
      if (!Number.isFinite(share))
        throw new CalibrationInputError(
          `${where}.traffic.responses.${code}.flags.${f}: expected a percentage string`,
        );
      responses.push([Number(code), f, share]);
    }
  }
  // No breakdown: every request a 200 (Kiali omits responses only when it has none to show).
  if (responses.length === 0) responses.push([200, '-', 1]);
  return { source, target, rate, responses };
}

/** Observations from a Kiali graph document; `where` names the file in messages. */
export function observationsFromKiali(graph: unknown, where: string): Observations {
  if (!isObj(graph) || !isObj(graph['elements']))
    throw new CalibrationInputError(
      `${where}: expected a Kiali graph ({timestamp, duration, graphType, elements})`,
    );
  const duration = Number(graph['duration']);
  if (!(duration > 0))
    throw new CalibrationInputError(`${where}: duration: expected the graph's duration in seconds (above 0)`);
  const elements = graph['elements'];
  const rawNodes = Array.isArray(elements['nodes']) ? elements['nodes'] : [];
  const rawEdges = Array.isArray(elements['edges']) ? elements['edges'] : [];
  const nodes = new Map<string, Node>();
  rawNodes.forEach((n, i) => {
    const at = `${where}: elements.nodes[${i}].data`;
    if (!isObj(n) || !isObj(n['data'])) throw new CalibrationInputError(`${at}: missing`);
    if (n['data']['isBox'] !== undefined) return; // a box groups nodes; it is no workload
    const node = nodeOf(n['data'], at);
    nodes.set(node.id, node);
  });
  const edges: Edge[] = [];
  rawEdges.forEach((e, i) => {
    const at = `${where}: elements.edges[${i}].data`;
    if (!isObj(e) || !isObj(e['data'])) throw new CalibrationInputError(`${at}: missing`);
    for (const end of [e['data']['source'], e['data']['target']])
      if (typeof end === 'string' && !nodes.has(end))
        throw new CalibrationInputError(`${at}: names node ${end}, which elements.nodes lacks`);
    const edge = edgeOf(e['data'], at);
    if (edge !== undefined) edges.push(edge);
  });
  const out: EdgeSample[] = [];
  const push = (from: Node, to: WorkloadRef, rate: number, responses: Edge['responses']) => {
    for (const [code, flags, share] of responses)
      out.push({
        // Kiali reads the source reporter, and the destination's for callers outside the mesh.
        reporter: from.type === 'unknown' ? 'destination' : 'source',
        source: from.ref,
        destination: to,
        responseCode: code,
        responseFlags: flags,
        requests: rate * share * duration,
      });
  };
  for (const e of edges) {
    const from = nodes.get(e.source) as Node;
    const to = nodes.get(e.target) as Node;
    if (from.type === 'service') continue; // counted through the edge into the service node
    if (to.type !== 'service') {
      push(from, to.ref, e.rate, e.responses);
      continue;
    }
    const onward = edges.filter((x) => x.source === to.id);
    const total = onward.reduce((s, x) => s + x.rate, 0);
    if (total === 0) {
      push(from, { ...to.ref, workload: 'unknown' }, e.rate, e.responses);
      continue;
    }
    for (const x of onward) {
      const w = nodes.get(x.target) as Node;
      push(from, { ...w.ref, service: to.ref.service }, (e.rate * x.rate) / total, e.responses);
    }
  }
  return { origin: where, rangeSeconds: duration, edges: out, replicas: [] };
}
