/**
 * `cost:` in scenario files: the constants of the cost model, by the names of metrics/'s `CostConstants`,
 * each a plain number in the unit its name states. A key left out keeps its published default. The
 * defaults themselves live in metrics/cost-constants.ts, which scenario/ may not import; each description
 * repeats its default and its source, and a test holds the two in step.
 *
 * Contents: `CostInput` (schema and inferred type).
 */
import { z } from 'zod';

/** Istio's "Performance and scalability" page, the source of most defaults. */
const PERF_PAGE = 'https://istio.io/latest/docs/ops/deployment/performance-and-scalability/';
const AWS_PRICES = 'https://aws.amazon.com/ec2/pricing/on-demand/, Data Transfer';

/** An amount, a size or a price: 0 turns the term off, a negative one would make a model look cheaper. */
const atLeastZero = () => z.number().min(0);
/** The reference load divides: 0 would make every istiod infinitely loaded. */
const aboveZero = () => z.number().positive();

export const CostInput = z
  .strictObject({
    istiodVcpuAtReference: atLeastZero()
      .optional()
      .describe(
        `vCPU of one istiod at the reference load (istiodReferenceServices services, istiodReferenceProxies proxies); istiod vCPU scales with load from there. Default 1 (Istio "Performance and scalability", every version since 1.1: 1 vCPU and 1.5 GB at 1000 services and 2000 sidecars; ${PERF_PAGE}).`,
      ),
    istiodMemoryGbAtReference: atLeastZero()
      .optional()
      .describe('Memory in GB of one istiod at the reference load. Default 1.5 (the same page).'),
    istiodReferenceServices: aboveZero()
      .optional()
      .describe('Services of the reference load; above 0. Default 1000 (the same page).'),
    istiodReferenceProxies: aboveZero()
      .optional()
      .describe('Proxies (sidecars) of the reference load; above 0. Default 2000 (the same page).'),
    istiodMinVcpu: atLeastZero()
      .optional()
      .describe(
        "The least vCPU an istiod is given, however light its load. Default 0.5 (istiod's default request, 500m: manifests/charts/istio-control/istio-discovery/values.yaml).",
      ),
    istiodMinMemoryGb: atLeastZero()
      .optional()
      .describe(
        "The least memory in GB an istiod is given. Default 2.147483648, i.e. 2 GiB (istiod's default request, 2048Mi: the same values.yaml).",
      ),
    sidecarVcpuPer1000Rps: atLeastZero()
      .optional()
      .describe(
        `Sidecar vCPU per 1000 requests per second through it. Default 0.2 (Istio 1.24; ${PERF_PAGE}).`,
      ),
    sidecarMemoryMb: atLeastZero()
      .optional()
      .describe(
        'Memory of one sidecar in MB; it depends on the config held, not on load. Default 60 (Istio 1.24, the same page).',
      ),
    requestBytes: atLeastZero()
      .optional()
      .describe(
        "Bytes of one request, for the traffic crossing zones and regions. Default 1024 (the 1 KB payload of Istio's load tests, the same page).",
      ),
    responseBytes: atLeastZero()
      .optional()
      .describe('Bytes of one response. Default 1024 (as requestBytes).'),
    crossZonePricePerGbEachSide: atLeastZero()
      .optional()
      .describe(
        `Price in USD per GB crossing availability zones, charged on each side, so a GB from one zone to another costs twice this. Default 0.01 (AWS EC2 list price "$0.01/GB in each direction" between zones of a region; ${AWS_PRICES}).`,
      ),
    crossRegionPricePerGb: atLeastZero()
      .optional()
      .describe(
        `Price in USD per GB crossing regions, charged once (by the sender). Default 0.02 (AWS EC2 list price for data out to another region from US regions; ${AWS_PRICES}; other regions charge up to several times more).`,
      ),
  })
  .describe(
    'Constants of the cost model, to match your cloud, prices and discounts; the run report states the ones in force. Default: every key at its published default.',
  );

export type CostInput = z.infer<typeof CostInput>;
